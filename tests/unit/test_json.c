/* Unit tests of the JSON writer's strings and numbers (json.c). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/json.h"
#include "vmtop/strbuf.h"

static void is_json_str(const char *s, size_t len, const char *want,
			const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "<");
	json_str_n(&sb, s, len);
	strbuf_addstr(&sb, ">");
	tap_is_str(sb.buf, want, name);
	tap_is_int((long long)sb.len, (long long)strlen(want),
		   "  and its length");
	strbuf_release(&sb);
}

static void test_strings(void)
{
	char all[256], big[5000];
	struct strbuf sb = STRBUF_INIT;

	is_json_str("", 0, "<\"\">", "empty string");
	is_json_str("/usr/lib/libc.so.6", 18, "<\"/usr/lib/libc.so.6\">",
		    "plain ASCII copied");
	is_json_str("a\"b\\c", 5, "<\"a\\\"b\\\\c\">", "quote and backslash");
	is_json_str("\n\t\r\x01\x1f\x7f", 6,
		    "<\"\\n\\t\\r\\u0001\\u001f\\u007f\">",
		    "control characters");
	is_json_str("x\0y", 3, "<\"x\\u0000y\">", "a NUL inside the length");
	is_json_str("caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80", 14,
		    "<\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\">",
		    "valid UTF-8 copied");
	is_json_str("a\xff" "b\xc3(\xe2\x82", 7,
		    "<\"a\\udcffb\\udcc3(\\udce2\\udc82\">",
		    "bytes that are not UTF-8 as lone surrogates");
	is_json_str("\xed\xa0\x80", 3, "<\"\\udced\\udca0\\udc80\">",
		    "an encoded surrogate is not UTF-8");
	is_json_str("abc", 2, "<\"ab\">", "only len bytes");
	is_json_str("a\xc2\x9b" "2J\xc2\x85", 7,
		    "<\"a\\u009b2J\\u0085\">",
		    "C1 controls (CSI, NEL) as \\u escapes, never raw");
	is_json_str("\xe2\x80\xae" "fdp.exe", 10,
		    "<\"\\u202efdp.exe\">", "U+202E (RLO) escaped");
	is_json_str("\xe2\x80\x8b\xe2\x81\xa6\xef\xbb\xbf\xe2\x80\xa8",
		    12,
		    "<\"\\u200b\\u2066\\ufeff\\u2028\">",
		    "zero-width space, isolate, BOM, line separator escaped");
	is_json_str("\xf3\xa0\x80\x81", 4, "<\"\\udb40\\udc01\">",
		    "U+E0001 (language tag) as a surrogate pair");
	is_json_str("\xc2\xa0\xe2\x80\x90", 5,
		    "<\"\xc2\xa0\xe2\x80\x90\">",
		    "no-break space and hyphen (visible) copied");

	/* every byte value once */
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	json_str_n(&sb, all, sizeof(all));
	tap_ok(sb.len > 256 && sb.buf[0] == '"' && sb.buf[sb.len - 1] == '"',
	       "all byte values: one quoted string");
	tap_ok(strstr(sb.buf, " !\\\"#$%&'()*+,-./0123456789:;<=>?@A") &&
	       strstr(sb.buf, "Z[\\\\]^_`a") && strstr(sb.buf, "z{|}~\\u007f"),
	       "all byte values: printable ASCII kept, '\"' and '\\' escaped");
	tap_ok(strstr(sb.buf, "\\u007f\\udc80\\udc81") &&
	       strstr(sb.buf, "\\udcfe\\udcff\"") &&
		       !memchr(sb.buf, 0x80, sb.len),
	       "all byte values: high bytes escaped");
	strbuf_reset(&sb);
	memset(big, 'p', sizeof(big));
	big[4000] = '"';
	json_str_n(&sb, big, sizeof(big));
	tap_ok(sb.len == sizeof(big) + 3 && sb.buf[4001] == '\\' &&
		       sb.buf[4002] == '"' && sb.buf[5001] == 'p' &&
		       sb.buf[5002] == '"' && sb.buf[5003] == '\0',
	       "a long string, one quote in it");
	strbuf_reset(&sb);
	json_str(&sb, NULL);
	json_str(&sb, "z");
	tap_is_str(sb.buf, "null\"z\"", "json_str: NULL is null");
	strbuf_release(&sb);
}

static void test_numbers(void)
{
	static const uint64_t v[] = {
		0, 9, 10, 99, 100, 4096, 99999, 100000, 4294967295ull,
		4294967296ull, 999999999999999999ull, 1000000000000000000ull,
		UINT64_MAX - 1,
	};
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		json_u64(&sb, v[i]);
		strbuf_addch(&sb, ' ');
		json_addr(&sb, v[i]);
		strbuf_addch(&sb, ' ');
		strbuf_addf(&want, "%llu \"0x%llx\" ", (unsigned long long)v[i],
			    (unsigned long long)v[i]);
	}
	json_u64(&sb, UINT64_MAX);
	strbuf_addstr(&want, "null");
	tap_is_str(sb.buf, want.buf, "json_u64 and json_addr as printf");
	strbuf_reset(&sb);
	json_double(&sb, 1.5, 3);
	strbuf_addch(&sb, ' ');
	json_double(&sb, 2.0, 1);
	strbuf_addch(&sb, ' ');
	json_bool(&sb, true);
	strbuf_addch(&sb, ' ');
	json_bool(&sb, false);
	tap_is_str(sb.buf, "1.5 2 true false", "json_double and json_bool");
	strbuf_release(&sb);
	strbuf_release(&want);
}

int main(void)
{
	test_strings();
	test_numbers();
	return tap_done();
}
