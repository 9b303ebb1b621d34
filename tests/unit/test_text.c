/* Unit tests of the batch text list (text.c): the USER column is cut at
 * 9 display columns, never inside a character, and padded by width, so
 * that the columns after it stay aligned whatever the name. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/text.h"

/* The row of a process owned by user, as text_list_rows() writes it. */
static void row_of(struct strbuf *sb, const char *user, int threads)
{
	struct proc_row r;
	const struct proc_row *rows[1] = { &r };

	memset(&r, 0, sizeof(r));
	r.pid = 42;
	r.user = user;
	r.comm = "x";
	r.state = 'S';
	r.threads = threads;
	r.cpu_pct = -1;
	r.access = PROC_ACCESS_FULL;
	strbuf_reset(sb);
	text_list_rows(sb, rows, 1, false);
}

/* The row without the header line. */
static const char *row_line(const struct strbuf *sb)
{
	const char *nl = strchr(sb->buf, '\n');

	return nl ? nl + 1 : sb->buf;
}

int main(void)
{
	struct strbuf sb = STRBUF_INIT;
	char ascii[256];

	strbuf_init(&sb, 256);
	row_of(&sb, "root", 1);
	snprintf(ascii, sizeof(ascii), "%s", row_line(&sb));
	tap_ok(!strncmp(ascii, "     42 root       ", 19),
	       "an ASCII name is padded to 10 columns");
	/* eleven e-acute, 2 bytes each: cut after 9 characters, not after
	 * 9 bytes (which would split the fifth) */
	row_of(&sb, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 1);
	tap_ok(!strncmp(row_line(&sb) + 8,
			"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			"\xc3\xa9\xc3\xa9\xc3\xa9 ", 19),
	       "a UTF-8 name is cut at 9 characters, whole");
	tap_is_str(row_line(&sb) + 8 + 19, ascii + 8 + 10,
		   "the columns after it are where an ASCII name puts them");
	/* CJK: two columns each; 4 fit in 9, the fifth does not */
	row_of(&sb, "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
		    "\xe6\x97\xa5\xe6\x97\xa5", 1);
	tap_ok(!strncmp(row_line(&sb) + 8,
			"\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5  ",
			14),
	       "wide characters: 4 of them (8 columns) and padding");
	tap_is_str(row_line(&sb) + 8 + 14, ascii + 8 + 10,
		   "wide characters: the columns after them aligned");
	strbuf_release(&sb);
	return tap_done();
}
