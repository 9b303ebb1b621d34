/* Unit tests for fmt: human sizes and terminal-safe text. */
#include "config.h"

#include <string.h>

#include "../lib/tap.h"
#include "vmtop/fmt.h"

static void size_is(uint64_t kib, const char *want)
{
	char buf[16];

	tap_is_str(fmt_kib(buf, sizeof(buf), kib), want, want);
}

static void words_is(uint64_t kib, const char *want)
{
	char buf[24];

	tap_is_str(fmt_size(buf, sizeof(buf), kib, FMT_SIZE_WORDS), want,
		   want);
}

static void printable_is(const char *in, size_t len, const char *want,
			 const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 0);
	fmt_printable(&sb, in, len);
	tap_is_str(sb.buf, want, name);
	strbuf_release(&sb);
}

static void width_is(const char *s, int want, const char *name)
{
	tap_is_int(fmt_width(s, strlen(s)), want, name);
}

static void cut_is(const char *s, int width, const char *want,
		   const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, "> ");
	strbuf_addstr(&sb, s);
	fmt_cut(&sb, 2, width);
	tap_is_str(sb.buf + 2, want, name);
	strbuf_release(&sb);
}

static void pad_is(const char *s, int width, const char *want,
		   const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, s);
	fmt_pad(&sb, 0, width);
	tap_is_str(sb.buf, want, name);
	strbuf_release(&sb);
}

static void count_is(uint64_t v, int width, const char *want)
{
	char buf[32];

	tap_is_str(fmt_count(buf, sizeof(buf), v, width), want, want);
}

int main(void)
{
	size_is(0, "0");
	size_is(4, "4K");
	size_is(1023, "1023K");
	size_is(1024, "1.00M");
	size_is(65536, "64.0M");
	size_is(65404, "63.9M");
	size_is(1536 * 1024, "1.50G");
	size_is(700ULL * 1024 * 1024, "700G");
	size_is(12ULL << 30, "12.0T");
	size_is(10239, "10.0M");
	size_is(102348, "99.9M");
	size_is(102349, "100M");
	size_is(1048575, "1024M");
	size_is(UINT64_MAX, "16384E");
	{
		char b[16];

		tap_is_str(fmt_kib_signed(b, sizeof(b), 65536), "+64.0M",
			   "a growth: +64.0M");
		tap_is_str(fmt_kib_signed(b, sizeof(b), -1926), "-1.88M",
			   "a shrink: -1.88M");
		tap_is_str(fmt_kib_signed(b, sizeof(b), 0), "0", "none: 0");
		tap_is_str(fmt_kib_signed(b, sizeof(b), INT64_MIN),
			   "-8192E", "the most negative: no overflow");
	}

	words_is(0, "0 KiB");
	words_is(528, "528 KiB");
	words_is(1023, "1023 KiB");
	words_is(1024, "1 MiB");
	words_is(1946, "1.9 MiB");
	words_is(65536, "64 MiB");
	words_is(65404, "63.9 MiB");
	words_is(102400 + 512, "101 MiB");
	words_is(2621440, "2.5 GiB");
	words_is(5ULL << 40, "5120 TiB");

	printable_is("plain", 5, "plain", "ASCII is copied");
	printable_is("a\tb\nc", 5, "a\\tb\\nc", "tab and newline escaped");
	printable_is("\033[31mred", 8, "\\e[31mred", "escape sequence defused");
	printable_is("a\\b", 3, "a\\\\b", "backslash doubled");
	printable_is("\x01\x7f", 2, "\\x01\\x7f", "C0 controls and DEL");
	printable_is("caf\xc3\xa9", 5, "caf\xc3\xa9", "valid UTF-8 kept");
	printable_is("\xff\xfe", 2, "\\xff\\xfe", "invalid bytes escaped");
	printable_is("\xc3", 1, "\\xc3", "truncated sequence escaped");
	printable_is("\xc2\x9b" "2J", 4, "\\xc2\\x9b2J",
		     "C1 control (CSI) escaped");
	printable_is("\xed\xa0\x80", 3, "\\xed\\xa0\\x80",
		     "UTF-16 surrogate escaped");
	printable_is("\xe6\x97\xa5", 3, "\xe6\x97\xa5", "CJK kept");
	printable_is("a\0b", 3, "a\\x00b", "NUL escaped");
	printable_is("\xe2\x80\xae" "fdp.exe", 10, "\\u202efdp.exe",
		     "U+202E (right-to-left override) escaped");
	printable_is("a\xe2\x80\x8b" "b\xe2\x81\xa9\xef\xbb\xbf", 11,
		     "a\\u200bb\\u2069\\ufeff",
		     "zero-width space, pop isolate, BOM escaped");
	printable_is("\xf3\xa0\x80\x81", 4, "\\U000e0001",
		     "a tag character escaped");
	printable_is("\xc2\xa0\xc3\xa9", 4, "\xc2\xa0\xc3\xa9",
		     "no-break space and letters kept");

	width_is("abc", 3, "ASCII: one column each");
	width_is("\xe6\x97\xa5\xe6\x9c\xac", 4, "CJK: two columns each");
	width_is("e\xcc\x81", 1, "a combining accent adds nothing");
	cut_is("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3,
	       "\xc3\xa9\xc3\xa9\xc3\xa9",
	       "cut after 3 columns, whole characters");
	cut_is("ab\xe6\x97\xa5", 3, "ab",
	       "a wide character that does not fit is left out whole");
	pad_is("\xe6\x97\xa5x", 5, "\xe6\x97\xa5x  ", "padded by width");

	count_is(9999, 4, "9999");
	count_is(10001, 4, "10k");
	count_is(999999, 4, "999k");
	count_is(1234567, 4, "1M");
	count_is(1234567, 7, "1234567");
	count_is(123456, 5, "123k");
	return tap_done();
}
