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

/* Parses a whole smaps text[0..len) into m->regions as smaps_read()
 * does, handing it to the parser as maps_stream_text() does: `piece`
 * bytes a read, parsed once `batch` bytes have come in.  With fast, as in
 * smaps_read(), the lines laid out as a kernel prints them are read at
 * fixed positions; without, every key line goes through
 * smaps_parse_field(), the reference: the tests and the fuzzer compare
 * both ways on any text.  text is not modified.  Returns how many key
 * lines went to smaps_parse_field() (every one without fast). */
size_t smaps_parse_pieces(struct vmmap *m, const char *text, size_t len,
			  bool check_fs, bool keep_all, bool fast,
			  size_t piece, size_t batch);

/* Reads dirfd's "smaps" (dirfd: the /proc/PID directory) into
 * m->regions in one pass, header lines giving the regions and key lines
 * their counters (has_smaps and the compact counters set; with keep_all
 * also region.sm with every counter and VmFlags, in m's pool), noting
 * them in notes (may be NULL) as maps_read() does.  Returns 0 or -errno
 * of openat()/read(); regions read before an error are kept. */
int smaps_read(int dirfd, struct vmmap *m, bool check_fs, bool keep_all,
	       struct maps_notes *notes);

/* Parses smaps_rollup's text[0..len) with the reference parser into sm
 * (VMMAP_UNKNOWN for a field absent).  Returns 0, or -EINVAL without an
 * Rss line. */
int smaps_parse_rollup(const char *text, size_t len, uint64_t sm[SM__COUNT]);

/* Reads dirfd's "smaps_rollup" into m->rollup_{rss,pss,swap}_kib.
 * Returns 0 or -errno; the fields stay VMMAP_UNKNOWN on error. */
int smaps_read_rollup(int dirfd, struct vmmap *m);

#endif
