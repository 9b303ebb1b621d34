/* fmt: human sizes and terminal-safe text. */
#include "config.h"

#include "vmtop/fmt.h"

#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* The unit of a size: the largest power of 1024 KiB, up to max, that it
 * holds at least once.  Returns the unit's index; *div is its size in KiB. */
static int fmt_unit(uint64_t kib, int max, uint64_t *div)
{
	int u = 0;

	*div = 1;
	while (u < max && kib / *div >= 1024) {
		*div *= 1024;
		u++;
	}
	return u;
}

/* Three significant digits, at most: columns stay narrow. */
static void fmt_column(char *buf, size_t size, uint64_t kib)
{
	static const char letters[] = "KMGTPE";
	uint64_t div;
	int u = fmt_unit(kib, 5, &div);
	double v = (double)kib / (double)div;

	if (kib == 0)
		snprintf(buf, size, "0");
	else if (u == 0)
		snprintf(buf, size, "%uK", (unsigned)kib);
	else if (v < 9.995)
		snprintf(buf, size, "%.2f%c", v, letters[u]);
	else if (v < 99.95)
		snprintf(buf, size, "%.1f%c", v, letters[u]);
	else
		snprintf(buf, size, "%.0f%c", v, letters[u]);
}

/* Whole units when the size is a whole number of them or 100 or more,
 * else one decimal: "64 MiB" reads better than "64.0 MiB" in a
 * sentence, and arenas and stacks are whole MiB. */
static void fmt_words(char *buf, size_t size, uint64_t kib)
{
	static const char *const words[] = { "KiB", "MiB", "GiB", "TiB" };
	uint64_t div;
	int u = fmt_unit(kib, 3, &div);

	if (kib % div == 0 || kib / div >= 100)
		snprintf(buf, size, "%" PRIu64 " %s", (kib + div / 2) / div,
			 words[u]);
	else
		snprintf(buf, size, "%.1f %s", (double)kib / (double)div,
			 words[u]);
}

char *fmt_size(char *buf, size_t size, uint64_t kib,
	       enum fmt_size_style style)
{
	if (style == FMT_SIZE_WORDS)
		fmt_words(buf, size, kib);
	else
		fmt_column(buf, size, kib);
	return buf;
}

char *fmt_kib_signed(char *buf, size_t size, int64_t kib)
{
	char h[16];
	uint64_t mag = kib < 0 ? -(uint64_t)kib : (uint64_t)kib;

	if (!kib)
		snprintf(buf, size, "0");
	else
		snprintf(buf, size, "%c%s", kib < 0 ? '-' : '+',
			 fmt_kib(h, sizeof(h), mag));
	return buf;
}

size_t fmt_utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0], cp;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	cp = c & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

unsigned fmt_utf8_decode(const unsigned char *s, size_t len)
{
	unsigned cp = s[0] & (0x7fu >> len);

	if (len <= 1)
		return s[0];
	for (size_t i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

/* Format characters (Unicode category Cf) and the line and paragraph
 * separators: invisible, yet they reorder or hide what follows (U+202E
 * shows "fdp.exe" as "exe.pdf"), so they are shown as escapes.  Ranges
 * from UnicodeData.txt, Unicode 15. */
static const struct {
	unsigned lo, hi;
} fmt_format_ranges[] = {
	{ 0xad, 0xad },       { 0x600, 0x605 },     { 0x61c, 0x61c },
	{ 0x6dd, 0x6dd },     { 0x70f, 0x70f },     { 0x890, 0x891 },
	{ 0x8e2, 0x8e2 },     { 0x180e, 0x180e },   { 0x200b, 0x200f },
	{ 0x2028, 0x202e },   { 0x2060, 0x2064 },   { 0x2066, 0x206f },
	{ 0xfeff, 0xfeff },   { 0xfff9, 0xfffb },   { 0x110bd, 0x110bd },
	{ 0x110cd, 0x110cd }, { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 },
	{ 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
};

bool fmt_is_invisible(unsigned cp)
{
	if (cp < 0xa0)
		return cp < 0x20 || cp >= 0x7f;
	for (size_t i = 0; i < sizeof(fmt_format_ranges) /
				   sizeof(fmt_format_ranges[0]); i++)
		if (cp >= fmt_format_ranges[i].lo &&
		    cp <= fmt_format_ranges[i].hi)
			return true;
	return false;
}

static void fmt_escape_cp(struct strbuf *sb, unsigned cp)
{
	if (cp < 0x100)
		strbuf_addf(sb, "\\x%02x", cp);
	else if (cp < 0x10000)
		strbuf_addf(sb, "\\u%04x", cp);
	else
		strbuf_addf(sb, "\\U%08x", cp);
}

void fmt_printable(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	strbuf_grow(sb, len);
	while (i < len) {
		unsigned c = p[i], cp;
		size_t n;

		switch (c) {
		case '\n': strbuf_add(sb, "\\n", 2); i++; continue;
		case '\t': strbuf_add(sb, "\\t", 2); i++; continue;
		case '\r': strbuf_add(sb, "\\r", 2); i++; continue;
		case 0x1b: strbuf_add(sb, "\\e", 2); i++; continue;
		case '\\': strbuf_add(sb, "\\\\", 2); i++; continue;
		default: break;
		}
		n = fmt_utf8_len(p + i, len - i);
		if (n == 0) {
			/* not UTF-8: escape the byte */
			strbuf_addf(sb, "\\x%02x", c);
			i++;
			continue;
		}
		cp = fmt_utf8_decode(p + i, n);
		if (fmt_is_invisible(cp)) {
			/* C0, DEL, C1 (which acts on some terminals) as
			 * \xNN; format characters as \uNNNN */
			if (cp >= 0x80 && cp < 0xa0)
				for (size_t k = 0; k < n; k++)
					strbuf_addf(sb, "\\x%02x", p[i + k]);
			else
				fmt_escape_cp(sb, cp);
		} else {
			strbuf_add(sb, p + i, n);
		}
		i += n;
	}
}

void fmt_printable_str(struct strbuf *sb, const char *s)
{
	if (!sb->buf)
		strbuf_init(sb, 0);
	if (s)
		fmt_printable(sb, s, strlen(s));
}

/* A UTF-8 locale of its own for wcwidth(): batch output is UTF-8 whatever
 * the user's locale, and the TUI's locale is the user's. */
static int fmt_cp_width(unsigned cp)
{
	static locale_t utf8;
	static bool tried;
	locale_t old;
	int w;

	if (cp < 0x80)
		return 1;
	if (!tried) {
		tried = true;
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	if (!utf8)
		return 1;
	old = uselocale(utf8);
	w = wcwidth((wchar_t)cp);
	uselocale(old);
	return w < 0 ? 1 : w;
}

size_t fmt_fit(const char *s, size_t len, int max, int *width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int used = 0;

	while (i < len) {
		size_t n = fmt_utf8_len(p + i, len - i);
		int w;

		if (n == 0)
			n = 1;
		w = n == 1 ? 1 : fmt_cp_width(fmt_utf8_decode(p + i, n));
		if (used + w > max)
			break;
		used += w;
		i += n;
	}
	if (width)
		*width = used;
	return i;
}

int fmt_width(const char *s, size_t len)
{
	int w;

	fmt_fit(s, len, INT_MAX, &w);
	return w;
}

void fmt_pad(struct strbuf *sb, size_t from, int width)
{
	int w = fmt_width(sb->buf + from, sb->len - from);

	for (; w < width; w++)
		strbuf_addch(sb, ' ');
}

void fmt_cut(struct strbuf *sb, size_t from, int width)
{
	size_t keep = fmt_fit(sb->buf + from, sb->len - from, width, NULL);

	sb->len = from + keep;
	sb->buf[sb->len] = '\0';
}

char *fmt_count(char *buf, size_t size, uint64_t v, int width)
{
	static const char letters[] = "kMGTPE";
	uint64_t div = 1;
	int u = -1;

	if (snprintf(buf, size, "%" PRIu64, v) <= width)
		return buf;
	/* whole units, rounded down: 10 001 threads are "10k", never "1000" */
	while (u < 5 && (v / div >= 1000 || u < 0)) {
		div *= 1000;
		u++;
		if (snprintf(buf, size, "%" PRIu64 "%c", v / div,
			     letters[u]) <= width)
			return buf;
	}
	return buf;
}
