/* fmt: human sizes and terminal-safe text. */
#include "config.h"

#include "vmtop/fmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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

/* Like fmt_utf8_len(), but C1 controls (U+0080..U+009F), which act on
 * some terminals, count as invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	if (s[0] == 0xc2 && n > 1 && s[1] <= 0x9f)
		return 0;
	return fmt_utf8_len(s, n);
}

void fmt_printable(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	strbuf_grow(sb, len);
	while (i < len) {
		unsigned c = p[i];
		size_t n;

		switch (c) {
		case '\n': strbuf_add(sb, "\\n", 2); i++; continue;
		case '\t': strbuf_add(sb, "\\t", 2); i++; continue;
		case '\r': strbuf_add(sb, "\\r", 2); i++; continue;
		case 0x1b: strbuf_add(sb, "\\e", 2); i++; continue;
		case '\\': strbuf_add(sb, "\\\\", 2); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			strbuf_addf(sb, "\\x%02x", c);
			i++;
			continue;
		}
		n = utf8_seq(p + i, len - i);
		if (n == 0) {
			/* invalid, or a C1 control: escape each byte */
			n = (c == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
			     p[i + 1] <= 0x9f) ? 2 : 1;
			for (size_t k = 0; k < n; k++)
				strbuf_addf(sb, "\\x%02x", p[i + k]);
			i += n;
			continue;
		}
		strbuf_add(sb, p + i, n);
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
