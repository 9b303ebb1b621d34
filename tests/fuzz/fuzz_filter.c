/* fuzz_filter: the filter's input handling, i.e. what a user types at the
 * "/" and "\" prompts or passes as PATTERN: compile, then match on text.
 *
 * Input: PATTERN NUL TEXT [NUL TEXT2].  PATTERN goes through
 * filter_set_pattern() (invalid ones must give a message with an offset
 * and leave the previous pattern in effect), then TEXT and TEXT2 through
 * filter_match_text() and filter_match() as a process's comm and command
 * line.  Arbitrary bytes, invalid UTF-8 included, as /proc gives them. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated piece of *data, copied; advances past the NUL. */
static char *next_piece(const uint8_t **data, size_t *size)
{
	const uint8_t *nul = memchr(*data, 0, *size);
	size_t len = nul ? (size_t)(nul - *data) : *size;
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, *data, len);
	s[len] = '\0';
	*data += nul ? len + 1 : len;
	*size -= nul ? len + 1 : len;
	return s;
}

static void check_invalid(struct filter *filter, const char *before, int rc,
			  const char *err)
{
	/* an invalid pattern leaves the previous one and says where */
	if (rc != -EINVAL)
		abort();
	if (strcmp(filter_pattern(filter), before) || !strstr(err, "offset"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *pattern, *text, *text2, err[256] = "";
	const char *before = "vmtop";
	struct filter *filter = filter_new();
	struct proc_row row = {.pid = 1, .user = "root", .state = 'S'};
	int rc;

	/* a valid pattern first, so that a rejected one must keep it */
	if (filter_set_pattern(filter, before, err, sizeof(err)))
		abort();
	pattern = next_piece(&data, &size);
	text = next_piece(&data, &size);
	text2 = next_piece(&data, &size);
	rc = filter_set_pattern(filter, pattern, err, sizeof(err));
	if (rc)
		check_invalid(filter, before, rc, err);
	else if (strcmp(filter_pattern(filter), pattern))
		abort();
	(void)filter_match_text(filter, text);
	(void)filter_match_text(filter, NULL);
	row.comm = text;
	row.cmdline = *text2 ? text2 : NULL;
	(void)filter_match(filter, &row);
	filter_free(filter);
	free(pattern);
	free(text);
	free(text2);
	return 0;
}
