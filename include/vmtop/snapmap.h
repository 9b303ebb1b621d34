/* snapmap: one refresh of a snapshot (a line of `vmtop -J -m`), parsed
 * with jansson, and its processes as list rows and classified vmmaps.
 *
 * A process's vmmap carries the classification it was saved with
 * (vmmap.saved: kind, tags, group, TID, arena), and the facts its tree's
 * summaries and insights read, rebuilt from the saved summaries: the
 * arenas' count, cap and its source, the verified arenas as the heap_info
 * probes that verified them, each thread's stack as a stack pointer in
 * it, the runtime, the JVM's counters and flags, what was refused.  So
 * maptree_build() on it gives the tree that was saved (the tests write,
 * load and write again: the same bytes).
 *
 * Everything here treats the line as hostile: types, ranges, the
 * regions' order and overlap are checked before the model sees them. */
#ifndef VMTOP_SNAPMAP_H
#define VMTOP_SNAPMAP_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "vmtop/hostinfo.h"
#include "vmtop/knobs.h"
#include "vmtop/proctable.h"
#include "vmtop/vmmap.h"

/* The schema this vmtop writes and reads. */
#define SNAPMAP_SCHEMA "vmtop/1"

/* Parses line[0..len) into *doc (the caller's: json_decref()) after
 * checking that it is an object of schema SNAPMAP_SCHEMA.  Returns 0, or
 * -EINVAL (not JSON, not a snapshot) or -EPROTONOSUPPORT (another or a
 * newer schema) with one line in err. */
int snapmap_parse(const char *line, size_t len, json_t **doc, char *err,
		  size_t errsize);

/* Converts every process of doc (rows and trees, the trees built and
 * freed).  Returns 0, or -EINVAL with the process and the reason in
 * err. */
int snapmap_check(const json_t *doc, char *err, size_t errsize);

/* The refresh's time (seconds since the epoch, 0 when absent) and host
 * figures (zero where absent). */
double snapmap_time(const json_t *doc);
void snapmap_host(const json_t *doc, struct hostinfo *hi);

/* Strings made for rows, freed together. */
struct snapmap_strs {
	char **v;
	size_t n, cap;
};

/* The rows of a refresh, sorted by pid; they and their strings belong
 * to the struct (zero it before the first use). */
struct snapmap_rows {
	struct proc_row *v;
	size_t n, cap;
	struct snapmap_strs strs;
};

/* Fills rows with the processes of doc (those of pids when npids > 0),
 * replacing what it held.  Returns their number. */
size_t snapmap_rows(const json_t *doc, const pid_t *pids, size_t npids,
		    struct snapmap_rows *rows);
/* Empties rows (keeps its memory); frees all of it. */
void snapmap_rows_release(struct snapmap_rows *rows);
void snapmap_rows_free(struct snapmap_rows *rows);

/* Process pid of doc as a classified vmmap (vmmap_free()).  Returns 0,
 * -ESRCH (not in this refresh, or its map was null), -EACCES (its map
 * was not readable then), -ENODATA (written without -m), -EIO
 * (malformed). */
int snapmap_read(const json_t *doc, pid_t pid, struct vmmap **out);

/* The knobs process pid was saved with (k initialised either way;
 * knobs_release() it), each effect the sentence of knobs_effect().
 * Returns 0, -ESRCH (not in this refresh), -ENODATA (saved as null, or
 * written without -m), -EIO (malformed). */
int snapmap_knobs(const json_t *doc, pid_t pid, struct knobs *k);

#endif
