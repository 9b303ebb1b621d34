/* proctable: the process list.
 *
 * One proctable lives for the whole run.  Each proctable_refresh() reads
 * every process (or only the PIDs given): /proc/PID/stat and statm through
 * descriptors kept open between refreshes (the owner's uid from fstat of
 * the stat file); the command line only when asked for; VmSwap from
 * status, through libproc2 loaded at run time, only when the machine has
 * swap (without swap every process's swap is exactly 0).
 *
 * CPU% is computed from tick deltas between two refreshes of the same
 * table, keyed by pid and start time, so a reused pid never inherits a
 * predecessor's ticks.  A process seen for the first time has no CPU%
 * (cpu_pct < 0) unless it started after the previous refresh. */
#ifndef VMTOP_PROCTABLE_H
#define VMTOP_PROCTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum proc_access {
	PROC_ACCESS_FULL,    /* maps and smaps can be read */
	PROC_ACCESS_LIMITED, /* only what stat/status show */
};

struct proc_row {
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	const char *user;    /* name, or the uid in decimal; never NULL */
	const char *comm;    /* raw, never NULL ("" when unknown) */
	const char *cmdline; /* raw, args joined by spaces; NULL if not read */
	char state;          /* R S D T t Z I X P, '?' unknown */
	int threads;
	unsigned long vsz_kib;
	unsigned long rss_kib;
	unsigned long swap_kib;
	bool swap_known;     /* false when status could not be read */
	double cpu_pct;      /* < 0: unknown (first sample) */
	double start_time;   /* seconds after boot */
	enum proc_access access;
};

/* Which optional fields a refresh must fill. */
enum proctable_want {
	PROCTABLE_WANT_CMDLINE = 1 << 0,
};

struct proctable;

/* Creates a table of the processes under proc_root (NULL: "/proc").
 * Returns 0, or -errno when proc_root cannot be opened. */
int proctable_new(const char *proc_root, struct proctable **out);
void proctable_free(struct proctable *pt);

/* Reaps the processes: all of them when npids == 0, else only those PIDs
 * (missing ones are left out).  want is a mask of enum proctable_want.
 * Returns the number of rows (>= 0) or -errno.  The rows and their strings
 * stay valid until the next refresh or free. */
int proctable_refresh(struct proctable *pt, const pid_t *pids, size_t npids,
		      unsigned want);
const struct proc_row *proctable_rows(const struct proctable *pt);
size_t proctable_count(const struct proctable *pt);

/* Whether /proc/PID/maps can be read by us for that pid. */
enum proc_access proctable_probe_access(pid_t pid);

/* Columns the list can be sorted by. */
enum proc_sort {
	PROC_SORT_PID,
	PROC_SORT_USER,
	PROC_SORT_THREADS,
	PROC_SORT_VIRT,
	PROC_SORT_RES,
	PROC_SORT_SWAP,
	PROC_SORT_CPU,
	PROC_SORT_STATE,
	PROC_SORT_COMMAND,
	PROC_SORT__COUNT
};

/* Sorts an array of row pointers; descending when desc.  Ties by pid. */
void proctable_sort(const struct proc_row **rows, size_t n, enum proc_sort by,
		    bool desc);

#endif
