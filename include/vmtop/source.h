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

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "vmtop/hostinfo.h"
#include "vmtop/proctable.h"
#include "vmtop/vmmap.h"

struct source;

/* What a kind of source implements.  Every function is required. */
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
};

struct source {
	const struct source_ops *ops;
	/* Its processes live and change: there is a memory to probe and a
	 * file system behind " (deleted)" names, and refreshing shows new
	 * figures.  False for a captured tree. */
	bool live;
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

#endif
