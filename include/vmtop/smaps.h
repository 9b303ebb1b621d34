/* smaps: the per-mapping counters of /proc/PID/smaps and the totals of
 * smaps_rollup, parsed by key name (keys differ between kernels). */
#ifndef VMTOP_SMAPS_H
#define VMTOP_SMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/maps.h"
#include "vmtop/vmmap.h"

/* smaps_parse_field() result for the VmFlags line. */
#define SMAPS_VMFLAGS SM__COUNT

/* Parses one "Key:   value kB" line, line[0..len) without the newline.
 * A known counter is stored into sm[] (KiB, or the bare number for keys
 * without a unit) and its enum smaps_field is returned; for "VmFlags"
 * SMAPS_VMFLAGS is returned with *flags and *flags_len set to the value
 * inside line (not NUL-terminated).  Returns -ENOENT for an unknown or
 * ignored key (sm untouched), -EINVAL for a malformed line.  hint, when
 * not NULL, carries the position of the expected next key between calls
 * (start it at 0 for each block): the kernel prints keys in a fixed order,
 * so this makes the lookup one comparison. */
int smaps_parse_field(const char *line, size_t len, uint64_t sm[SM__COUNT],
		      unsigned *hint, const char **flags, size_t *flags_len);

/* Parses one smaps block in buf[0..len): a maps header line and its key
 * lines, up to the next header or the end.  The header is parsed in
 * place (see maps_parse_line(): buf is modified, buf[len] must be
 * writable, and *ml points into buf).
 * Counters absent from the block are VMMAP_UNKNOWN; *flags is "" when no
 * VmFlags line was seen (otherwise NUL-terminated inside buf).  Returns
 * the number of bytes consumed (> 0), or -EINVAL when the block does not
 * start with a valid header line (nothing is consumed then). */
long smaps_parse_block(char *buf, size_t len, struct maps_line *ml,
		       uint64_t sm[SM__COUNT], const char **flags);

/* Parses a whole smaps text buf[0..len) into m->regions exactly as
 * smaps_read() with keep_all does (the same code).  Returns 0. */
int smaps_parse_text(struct vmmap *m, char *buf, size_t len, bool check_fs);

/* The same for any keep_all, with the text handed to the parser as
 * maps_stream_text() does: `piece` bytes a read, parsed once `batch`
 * bytes have come in.  Without keep_all, and when layout is true as it is
 * for smaps_read(), blocks laid out like an earlier one are read at its
 * offsets instead of line by line; the tests and the fuzzer compare both
 * ways.  Returns how many blocks were read at learnt offsets. */
size_t smaps_parse_pieces(struct vmmap *m, const char *text, size_t len,
			  bool check_fs, bool keep_all, bool layout,
			  size_t piece, size_t batch);

/* Reads dirfd's "smaps" (dirfd: the /proc/PID directory) into
 * m->regions in one pass, header lines giving the regions and key lines
 * their counters (has_smaps and the compact counters set; with keep_all
 * also region.sm with every counter and VmFlags, in m's pool).  Returns
 * 0 or -errno of openat()/read(); regions read before an error are
 * kept. */
int smaps_read(int dirfd, struct vmmap *m, bool check_fs, bool keep_all);

/* Reads dirfd's "smaps_rollup" into m->rollup_{rss,pss,swap}_kib.
 * Returns 0 or -errno; the fields stay VMMAP_UNKNOWN on error. */
int smaps_read_rollup(int dirfd, struct vmmap *m);

#endif
