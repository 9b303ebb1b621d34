/* fmt: number and text formatting shared by the text output and the view. */
#ifndef VMTOP_FMT_H
#define VMTOP_FMT_H

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

/* Length of the valid UTF-8 sequence that starts at s (n bytes
 * available): 1 for ASCII, 2 to 4, or 0 when the bytes are not valid
 * UTF-8 (overlong forms, surrogates and values past U+10FFFF included). */
size_t fmt_utf8_len(const unsigned char *s, size_t n);

/* Appends s[0..len) to sb so that it is safe to show on a terminal and is
 * valid UTF-8: printable UTF-8 is copied, \n \t \r \e and \\ become those
 * two-character escapes, other control characters and every byte that is
 * not part of valid UTF-8 become \xNN.  Nothing raw from s can move the
 * cursor or change the terminal's state. */
void fmt_printable(struct strbuf *sb, const char *s, size_t len);

/* Same as fmt_printable() for a NUL-terminated string; NULL appends "". */
void fmt_printable_str(struct strbuf *sb, const char *s);

#endif
