/* diffpair: the two sides of `vmtop --diff OLD [NEW]`, each a source
 * positioned at one refresh and one process in it.
 *
 * OLD is a file --load accepts (load.h: a snapshot or a capture).  Its
 * process is the one that -p or the PATTERN selects, else the file's only
 * process with a memory map; several give an error that lists them.  The
 * refresh is the latest that holds it (a file of several refreshes is
 * stepped back from its last).
 *
 * NEW is another such file, or without it the live /proc.  Its process is
 * the same PID when that PID still runs the same program (the same comm:
 * a PID that another program reused is not it), else the process of the
 * same comm that maps the most (VSZ).  The sentence in what says what was
 * matched: "comparing PID 1234 (myserver) of snap.json, 14:02:11, with
 * the live PID 1234". */
#ifndef VMTOP_DIFFPAIR_H
#define VMTOP_DIFFPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "vmtop/proctable.h"
#include "vmtop/source.h"

struct diffpair_side {
	struct source *src;   /* owned (a caller may take it: set NULL) */
	const char *file;     /* the path given (borrowed); NULL: live */
	pid_t pid;
	char comm[64];        /* raw */
	double time;          /* the refresh's, seconds since the epoch
			       * (live: when matched); 0 when the file does
			       * not say (a capture) */
	struct proc_row row;  /* the process's row; comm points above,
			       * user is "", cmdline NULL */
};

struct diffpair {
	struct diffpair_side old, new_;
	char what[1024];      /* the sentence, raw names */
};

/* Opens both sides.  pids[0..npids) (-p) and pattern (may be NULL) pick
 * OLD's process.  Returns 0 with d filled (diffpair_release() it), or
 * -errno with one line in err (d holds nothing then): -EINVAL for a bad
 * pattern only (a usage error), -EIO when a file cannot be loaded (the
 * loader's line), -ESRCH when no process matches (the line names what was
 * looked for), -ENOTUNIQ when OLD holds several (the line lists them). */
int diffpair_open(struct diffpair *d, const char *old_path,
		  const char *new_path, const pid_t *pids, size_t npids,
		  const char *pattern, char *err, size_t errsize);

/* Frees the sources still held. */
void diffpair_release(struct diffpair *d);

#endif
