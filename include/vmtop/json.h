/* json: a small JSON writer into a strbuf, and the process-list part of
 * the vmtop/1 document (DESIGN.md, "Interfaces").
 *
 * Strings are written so that they round-trip the bytes they came from:
 * valid UTF-8 is copied (with the escapes JSON requires), and each byte
 * that is not part of valid UTF-8 becomes a lone low surrogate
 * \udc80..\udcff (the "surrogateescape" convention), which a decoder such
 * as Python's json module maps back to the original byte. */
#ifndef VMTOP_JSON_H
#define VMTOP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/hostinfo.h"
#include "vmtop/proctable.h"
#include "vmtop/strbuf.h"

/* Appends s[0..len) as a quoted JSON string: valid UTF-8 as it is but
 * for controls (C1 included) and invisible format characters, written as
 * \uNNNN; each byte that is not UTF-8 as a lone surrogate \udc80-\udcff. */
void json_str_n(struct strbuf *sb, const char *s, size_t len);
/* Appends s as a quoted JSON string, or null when s is NULL. */
void json_str(struct strbuf *sb, const char *s);
/* Appends "key": (quoted key and colon) */
void json_key(struct strbuf *sb, const char *key);
/* Appends an unsigned number, or null when v == UINT64_MAX. */
void json_u64(struct strbuf *sb, uint64_t v);
/* Appends an address as a hex string: "0x7f35ac000000". */
void json_addr(struct strbuf *sb, uint64_t v);
/* Appends a double with up to `decimals` decimals (trailing zeros
 * dropped), or null when v is not finite or v < 0 and nonneg is set. */
void json_double(struct strbuf *sb, double v, int decimals);
void json_bool(struct strbuf *sb, bool v);

/* Appends one process object of schema vmtop/1 without its closing brace,
 * so that the caller can add "maps" before closing it with '}'. */
void json_process_open(struct strbuf *sb, const struct proc_row *row);

/* Appends the document's opening up to and including `"processes": [`. */
void json_document_open(struct strbuf *sb, double time,
			const struct hostinfo *host);
/* Appends `]}` and a newline. */
void json_document_close(struct strbuf *sb);

#endif
