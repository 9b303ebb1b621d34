/* fmt: number and text formatting shared by the text output and the view. */
#ifndef VMTOP_FMT_H
#define VMTOP_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "vmtop/strbuf.h"

/* Human size of a KiB count into buf: "0", "512K", "64.0M", "1.50G", "12T".
 * Always fits in 8 bytes including the NUL.  Returns buf. */
char *fmt_kib(char *buf, size_t size, uint64_t kib);

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
