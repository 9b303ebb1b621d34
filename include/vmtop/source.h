/* source: where the processes and their address spaces come from.
 *
 * One small interface, as ncdu splits its scanner from its JSON importer:
 * the pipeline, the TUI and batch ask a source for the process list and
 * for one process's vmmap, and never learn where the bytes came from.
 * Today's source is the live /proc (any proc root: "/proc", another
 * procfs mount, or a captured directory tree such as tests/fixtures/proc);
 * a saved snapshot and a capture archive are the next kinds, each a
 * struct source_ops of its own.  Only the proc source touches /proc, and
 * only through collect's readers.
 *
 * Ownership: a source owns its rows and the strings in them; they stay
 * valid until its next source_list() or source_free().  A vmmap read
 * from it belongs to the caller (vmmap_free()). */
#ifndef VMTOP_SOURCE_H
#define VMTOP_SOURCE_H

#include <errno.h>
#include <stdbool.h>
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

#include "vmtop/hostinfo.h"
#include "vmtop/knobs.h"
#include "vmtop/proctable.h"
#include "vmtop/tasks.h"
#include "vmtop/vmmap.h"

struct source;
struct source_moment;

/* What a kind of source implements.  Every function is required but
 * tasks, knobs, step, moment and read_at. */
struct source_ops {
	const char *name; /* "proc" */
	/* Reads the process list: every process when npids is 0, else those
	 * PIDs (absent ones left out); want: enum proctable_want bits.
	 * Returns the number of rows or -errno. */
	int (*list)(struct source *s, const pid_t *pids, size_t npids,
		    unsigned want);
	const struct proc_row *(*rows)(const struct source *s, size_t *n);
	/* Reads process pid with what (enum procmap_flags), as
	 * procmap_read_after() returns; prev (may be NULL) is the previous
	 * read of the same process, whose lifelong facts are kept. */
	int (*read)(struct source *s, pid_t pid, unsigned what,
		    const struct vmmap *prev, struct vmmap **out);
	/* Machine-wide facts; returns 0 or -errno (hi filled as far as
	 * known). */
	int (*host)(struct source *s, struct hostinfo *hi);
	void (*free)(struct source *s);
	/* Reads the threads of the processes pids[0..npids) now (tasks.h);
	 * the rows stay valid until the next call or free.  NULL: the
	 * source has no threads to give. */
	const struct proc_task *(*tasks)(struct source *s, const pid_t *pids,
					 size_t npids, size_t *n);
	/* Optional (NULL: a source without them): the knobs of process pid
	 * (knobs_read()); returns 0 or -errno. */
	int (*knobs)(struct source *s, pid_t pid, struct knobs *k);
	/* Optional, NULL for a source of one moment (the live /proc): a
	 * saved source holds several refreshes.  step moves delta refreshes
	 * away (-1 back, +1 on, clamped at either end) and returns the index
	 * of the one now shown, or -ERANGE when already at that end. */
	int (*step)(struct source *s, int delta);
	/* The refresh shown: index, count and time (seconds since the
	 * epoch). */
	void (*moment)(const struct source *s, struct source_moment *m);
	/* Optional, with step: reads process pid as the earlier refresh
	 * index held it, as read() does, without moving to it (the refresh
	 * shown and its rows stay), so that a pipeline opened on a later
	 * refresh can build the history the refreshes before it make.
	 * Returns 0 or -errno (-ESRCH: not in that refresh). */
	int (*read_at)(struct source *s, size_t index, pid_t pid,
		       struct vmmap **out);
};

struct source_moment {
	size_t index, count;
	double time;
};

struct source {
	const struct source_ops *ops;
	/* Its processes live and change: there is a memory to probe and a
	 * file system behind " (deleted)" names, and refreshing shows new
	 * figures.  False for a captured tree. */
	bool live;
	/* read() may run on another thread at the same time as list() and
	 * rows() (it changes nothing they use), so a pipeline may read off
	 * the UI thread (PIPELINE_ASYNC). */
	bool concurrent_read;
};

/* The proc source under proc_root (NULL: "/proc"; the string is copied).
 * Returns 0 with *out set, or -errno when proc_root cannot be opened as a
 * directory of processes. */
int source_proc_new(const char *proc_root, struct source **out);

/* Frees s and everything it owns; NULL is ignored. */
void source_free(struct source *s);

static inline const char *source_name(const struct source *s)
{
	return s->ops->name;
}

static inline int source_list(struct source *s, const pid_t *pids,
			      size_t npids, unsigned want)
{
	return s->ops->list(s, pids, npids, want);
}

/* The rows of the last source_list() (sorted by pid); *n their number. */
static inline const struct proc_row *source_rows(const struct source *s,
						 size_t *n)
{
	return s->ops->rows(s, n);
}

static inline int source_read(struct source *s, pid_t pid, unsigned what,
			      const struct vmmap *prev, struct vmmap **out)
{
	return s->ops->read(s, pid, what, prev, out);
}

static inline int source_host(struct source *s, struct hostinfo *hi)
{
	return s->ops->host(s, hi);
}

/* The threads of pids[0..npids) (none when the source has no threads). */
static inline const struct proc_task *source_tasks(struct source *s,
						   const pid_t *pids,
						   size_t npids, size_t *n)
{
	*n = 0;
	return s->ops->tasks ? s->ops->tasks(s, pids, npids, n) : NULL;
}

/* The knobs of pid (k initialised either way; knobs_release() it);
 * -EOPNOTSUPP when the source has none. */
static inline int source_knobs(struct source *s, pid_t pid, struct knobs *k)
{
	if (!s->ops->knobs) {
		knobs_init(k);
		return -EOPNOTSUPP;
	}
	return s->ops->knobs(s, pid, k);
}

/* See source_ops.step; -ERANGE for a source of one moment. */
static inline int source_step(struct source *s, int delta)
{
	return s->ops->step ? s->ops->step(s, delta) : -ERANGE;
}

/* See source_ops.read_at; -EOPNOTSUPP for a source without it. */
static inline int source_read_at(struct source *s, size_t index, pid_t pid,
				 struct vmmap **out)
{
	*out = NULL;
	return s->ops->read_at ? s->ops->read_at(s, index, pid, out) :
				 -EOPNOTSUPP;
}

/* See source_ops.moment; false (m zeroed) for a source of one moment. */
static inline bool source_moment(const struct source *s,
				 struct source_moment *m)
{
	m->index = m->count = 0;
	m->time = 0;
	if (!s->ops->moment)
		return false;
	s->ops->moment(s, m);
	return true;
}

#endif
