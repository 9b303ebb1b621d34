/* snapshot: a source that reads what `vmtop -J -m` wrote.
 *
 * A snapshot file is JSON Lines, schema "vmtop/1": one object per
 * refresh, each with the processes of that refresh and, for those shown
 * with -m, their "maps" tree.  The source lists the processes of one
 * refresh (the last at first) and reads a process into a vmmap whose
 * regions carry the kind, tags, group, TID and arena they were saved with
 * (vmmap.saved): classify keeps them, so the tree built from it is the
 * tree the live view showed, not a second guess without the evidence
 * (heap_info, stack pointers, chunk headers) that only the live process
 * had.  Nothing is read from /proc.
 *
 * Opening checks every line (JSON parsed with jansson, schema, every
 * process's tree converted) so that a bad file fails at once, with one
 * line naming the file, the line and what is wrong; a refresh is parsed
 * again when it is shown, so only one refresh is held in memory. */
#ifndef VMTOP_SNAPSHOT_H
#define VMTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "vmtop/source.h"

/* A line (one refresh) longer than this is refused: 65 530 regions (the
 * kernel's default map count) take 13 MiB, or 64 MiB if each had a path
 * of 1 KiB, the longest vmtop keeps. */
#define SNAPSHOT_LINE_MAX (128u << 20)
/* At most this many refreshes in one file (an index entry each). */
#define SNAPSHOT_FRAMES_MAX 1000000u

/* Opens the snapshot file path as a source positioned at its last
 * refresh.  Returns 0 with *out set, or -errno (-EINVAL: not a snapshot,
 * -EPROTONOSUPPORT: another schema, -EFBIG: a line too long, -ENODATA:
 * empty) with one line in err saying which file, line and why. */
int snapshot_open(const char *path, struct source **out, char *err,
		  size_t errsize);

/* Checks one line of a snapshot as snapshot_open() does (parse, schema,
 * every process's rows and tree), building and freeing what it reads.
 * Returns 0, or -errno with the reason in err.  For the fuzzer. */
int snapshot_check_line(const char *line, size_t len, char *err,
			size_t errsize);

#endif
