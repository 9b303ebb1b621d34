/* Unit tests for strbuf. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/strbuf.h"

int main(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	tap_is_str(sb.buf, "", "reset on a fresh buffer gives an empty string");
	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, '-');
	strbuf_addf(&sb, "%d/%s", 42, "x");
	tap_is_str(sb.buf, "abc-42/x", "add, addch and addf append");
	tap_is_int((long long)sb.len, 8, "length follows");

	strbuf_reset(&sb);
	for (int i = 0; i < 10000; i++)
		strbuf_addf(&sb, "%04d", i % 10000);
	tap_is_int((long long)sb.len, 40000, "grows over many appends");
	tap_ok(memcmp(sb.buf + 39996, "9999", 4) == 0 && sb.buf[40000] == 0,
	       "content and terminator intact after growth");

	char big[5000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_reset(&sb);
	strbuf_addf(&sb, "<%s>", big);
	tap_is_int((long long)sb.len, 5001, "addf longer than the buffer");
	tap_ok(sb.buf[0] == '<' && sb.buf[5000] == '>', "addf result intact");

	/* direct writes: room, then commit */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "ab");
	char *p = strbuf_room(&sb, 3);
	tap_ok(p == sb.buf + 2 && sb.cap - sb.len > 3,
	       "room starts at the text's end, with n bytes and a NUL");
	memcpy(p, "cd", 2);
	tap_is_int((long long)sb.len, 2, "nothing added before the commit");
	strbuf_commit(&sb, p + 2);
	tap_is_str(sb.buf, "abcd", "commit adds what was written");
	tap_is_int((long long)sb.len, 4, "commit sets the length");
	p = strbuf_room(&sb, 8);
	memcpy(p, "efghijkl", 8);
	strbuf_commit(&sb, p + 3);
	tap_ok(!strcmp(sb.buf, "abcdefg") && !memcmp(sb.buf + 8, "ijkl", 4),
	       "a shorter commit ends the text there; the room after it "
	       "keeps what was written");
	strbuf_addch(&sb, 'x');
	tap_is_str(sb.buf, "abcdefgx", "the next add goes after the commit");

	/* room on an empty buffer, and room that makes it grow */
	struct strbuf fresh = STRBUF_INIT;
	p = strbuf_room(&fresh, 1);
	tap_ok(p && p == fresh.buf, "room on a buffer never used");
	strbuf_commit(&fresh, p);
	tap_is_str(fresh.buf, "", "an empty commit leaves an empty string");
	strbuf_release(&fresh);
	size_t cap = sb.cap;
	p = strbuf_room(&sb, cap * 3);
	memset(p, 'y', cap * 3);
	strbuf_commit(&sb, p + cap * 3);
	tap_ok(sb.len == 8 + cap * 3 && sb.cap > sb.len &&
	       !strncmp(sb.buf, "abcdefgx", 8) && sb.buf[sb.len - 1] == 'y' &&
	       sb.buf[sb.len] == '\0',
	       "room beyond the allocation grows it, text kept");

	char *s = strbuf_detach(&sb);
	tap_ok(sb.buf == NULL && sb.len == 0, "detach empties the buffer");
	free(s);
	strbuf_release(&sb);
	return tap_done();
}
