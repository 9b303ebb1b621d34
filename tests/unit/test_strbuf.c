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

	char *s = strbuf_detach(&sb);
	tap_ok(sb.buf == NULL && sb.len == 0, "detach empties the buffer");
	free(s);
	strbuf_release(&sb);
	return tap_done();
}
