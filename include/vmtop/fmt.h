/* fmt: number and text formatting shared by the text output and the view. */
#ifndef VMTOP_FMT_H
#define VMTOP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/strbuf.h"

/* How fmt_size() writes a size. */
enum fmt_size_style {
	/* for columns: "0", "512K", "64.0M", "1.50G", "12.0T", "700G";
	 * binary units up to E, three significant digits; always fits in
	 * 8 bytes including the NUL */
	FMT_SIZE_COLUMN,
	/* for sentences: "528 KiB", "64 MiB", "1.9 MiB", "2.5 GiB"; units up
	 * to TiB, whole when exact or 100 and more, else one decimal; fits
	 * in 24 bytes including the NUL */
	FMT_SIZE_WORDS,
};

/* Writes a size given in KiB into buf (size bytes, cut to fit) in the
 * style asked for.  Returns buf. */
char *fmt_size(char *buf, size_t size, uint64_t kib,
	       enum fmt_size_style style);

/* fmt_size() in columns, the list's and the panes' way. */
static inline char *fmt_kib(char *buf, size_t size, uint64_t kib)
{
	return fmt_size(buf, size, kib, FMT_SIZE_COLUMN);
}

/* A change of size in columns: "+64.0M", "-1.88M", and "0" for none.
 * Returns buf. */
char *fmt_kib_signed(char *buf, size_t size, int64_t kib);

/* Length of the valid UTF-8 sequence that starts at s (n bytes
 * available): 1 for ASCII, 2 to 4, or 0 when the bytes are not valid
 * UTF-8 (overlong forms, surrogates and values past U+10FFFF included). */
size_t fmt_utf8_len(const unsigned char *s, size_t n);

/* The code point of the valid UTF-8 sequence of len bytes at s (len from
 * fmt_utf8_len()). */
unsigned fmt_utf8_decode(const unsigned char *s, size_t len);

/* Whether code point cp must never reach a terminal or a reader raw: C0
 * and C1 controls, DEL, and the invisible format characters (Unicode
 * category Cf: bidi overrides and isolates U+202A-U+202E, U+2066-U+2069,
 * zero-width U+200B-U+200F, U+2060-U+2064, U+FEFF, soft hyphen, tags...)
 * plus the line and paragraph separators U+2028, U+2029. */
bool fmt_is_invisible(unsigned cp);

/* Appends s[0..len) to sb so that it is safe to show on a terminal and is
 * valid UTF-8: printable UTF-8 is copied, \n \t \r \e and \\ become those
 * two-character escapes, other control characters (C1 included) and every
 * byte that is not part of valid UTF-8 become \xNN, and invisible format
 * characters (fmt_is_invisible()) \uNNNN or \UNNNNNNNN.  Nothing raw from
 * s can move the cursor, change the terminal's state or reorder the text
 * around it. */
void fmt_printable(struct strbuf *sb, const char *s, size_t len);

/* Same as fmt_printable() for a NUL-terminated string; NULL appends "". */
void fmt_printable_str(struct strbuf *sb, const char *s);

/* Display width, in terminal columns, of UTF-8 text (as fmt_printable()
 * writes it): by wcwidth() in a UTF-8 locale whatever the user's, a byte
 * that is not UTF-8 counting 1.  fmt_fit() returns how many bytes of
 * s[0..len) fit in max columns without cutting a character, and their
 * width in *width (NULL: not wanted). */
size_t fmt_fit(const char *s, size_t len, int max, int *width);
int fmt_width(const char *s, size_t len);

/* Pads sb with spaces until the text from byte from on is width columns
 * wide (nothing when it is already); fmt_cut() shortens that text to at
 * most width columns, never in the middle of a character. */
void fmt_pad(struct strbuf *sb, size_t from, int width);
void fmt_cut(struct strbuf *sb, size_t from, int width);

/* Writes the count v into buf (size bytes) in at most width characters
 * when it can: whole digits when they fit, else rounded down to whole
 * thousands, millions... with k, M, G, T, P, E ("10k" for 10 001 in 4).
 * A number is never cut to its first digits.  Returns buf. */
char *fmt_count(char *buf, size_t size, uint64_t v, int width);

#endif
