/* procmem: the process list's costly memory columns and how often they
 * are read.
 *
 * PSS and USS come from /proc/PID/smaps_rollup, which walks the target's
 * page tables under its mmap lock (tens of milliseconds on a process with
 * tens of thousands of mappings: a stall of the target, and our CPU);
 * MAPS, RESV (PROT_NONE address space) and ARENAS from /proc/PID/maps,
 * which takes the same lock but walks no page table (REFERENCE.md 2.4).
 * The list reads them only while they are shown, and each process no
 * more often than a budget allows: every read is timed with the thread's
 * CPU clock (the kernel charges the text's generation to the reader) and
 * the next read of that process is planned so that all the reads of one
 * kind stay within a share of one core (procmem_plan()).  Cheap
 * processes are read at every refresh; the costly ones wait longer, and
 * the list says how old their figures are.
 *
 * The parsers are pure functions of a text, for the tests and the
 * fuzzer; the readers take a proc root's descriptor, as proctable does. */
#ifndef VMTOP_PROCMEM_H
#define VMTOP_PROCMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Shares of one core that the list's reads may use, all processes
 * together: smaps_rollup as the map view's smaps (pipeline.c), maps as
 * its maps-only refreshes. */
#define PROCMEM_ROLLUP_BUDGET 0.03
#define PROCMEM_MAPS_BUDGET 0.015

/* What smaps_rollup gives the list. */
struct procmem_rollup {
	uint64_t pss_kib;
	uint64_t uss_kib; /* Private_Clean + Private_Dirty + Private_Hugetlb */
};

/* Parses the text of smaps_rollup, len bytes (no NUL needed).  Returns 0,
 * or -EINVAL without a Pss line or a Private_Clean and Private_Dirty
 * line (Private_Hugetlb is 0 when absent: older kernels). */
int procmem_parse_rollup(const char *text, size_t len,
			 struct procmem_rollup *out);

/* What maps gives the list.  An arena here is a heap shaped like one of
 * glibc's non-main arenas: an anonymous rw-p mapping that starts on a
 * 64 MiB boundary and, with the ---p mapping right after it, spans at
 * least 64 MiB (glibc maps each heap so and makes its used part
 * writable; REFERENCE.md 3.2).  The map view checks each one's heap_info;
 * the list counts shapes (an arena past 64 MiB has a continuation heap,
 * counted too).  Go's heap arenas have the same shape: the range of
 * their amd64 hints, 0xc000000000 to 0x10000000000, is left out
 * (REFERENCE.md 5). */
struct procmem_maps {
	uint64_t maps;         /* mappings ([vsyscall] included) */
	uint64_t reserved_kib; /* ---p and ---s mappings */
	uint64_t arenas;
};

/* Parser state across pieces of one maps text. */
struct procmem_maps_parse {
	struct procmem_maps m;
	uint64_t cand_start;   /* an aligned rw-p heap waiting for its tail */
	uint64_t cand_end;     /* 0: none */
};

void procmem_maps_init(struct procmem_maps_parse *p);
/* Feeds text[0..len), whole lines each ending in '\n'.  Lines that are
 * not maps lines are skipped. */
void procmem_maps_feed(struct procmem_maps_parse *p, const char *text,
		       size_t len);
/* Ends the text and gives the figures. */
void procmem_maps_end(struct procmem_maps_parse *p, struct procmem_maps *out);

/* Read ROOT/PID/smaps_rollup (maps) relative to the proc root's
 * descriptor procfd.  Return 0, or -errno (-ENOENT: gone; -EACCES: not
 * ours to read; -EINVAL: not parsed). */
int procmem_read_rollup(int procfd, pid_t pid, struct procmem_rollup *out);
int procmem_read_maps(int procfd, pid_t pid, struct procmem_maps *out);

/* ---- the cadence ---- */

/* One process's reads of one kind. */
struct procmem_sched {
	double cost_ms; /* CPU of one read, smoothed; 0 before the first */
	long read_ms;   /* CLOCK_MONOTONIC of the last read; 0 never */
	long next_ms;   /* not read again before this */
};

/* Every process's reads of one kind, for one list. */
struct procmem_cadence {
	double budget;     /* share of one core */
	long last_ms;      /* the previous plan; 0 none */
	double period_ms;  /* time between plans (the refresh), smoothed */
	long every_ms;     /* the longest interval planned, for the header */
	double spent_ms;   /* CPU of the reads of the last refresh */
	unsigned long reads; /* reads in all */
	double *scratch;
	size_t cap;
};

void procmem_cadence_init(struct procmem_cadence *c, double budget);
void procmem_cadence_release(struct procmem_cadence *c);

/* Whether s is due at now_ms: never read, or its time has come. */
static inline bool procmem_due(const struct procmem_sched *s, long now_ms)
{
	return s->read_ms == 0 || now_ms >= s->next_ms;
}

/* Records a read of s that cost ms of CPU at now_ms. */
void procmem_measured(struct procmem_cadence *c, struct procmem_sched *s,
		      double ms, long now_ms);

/* Plans the next read of each of s[0..n) (the processes of this refresh)
 * at now_ms.  With P the time between refreshes and each process's read
 * costing c_i, reading all at every refresh costs sum c_i / P of a core;
 * when that is within the budget each is due at the next refresh.  Else
 * the budget is filled like water: each process gets at most a level L
 * of it, the cheap ones less (all they need), L chosen so that the shares
 * add up to the budget, and process i is read every max(P, c_i / L).
 * Every process is then read at least as often as an equal share would
 * allow, and the reads together stay within the budget.  Before P is
 * known (the first refresh with these columns) every process gets an
 * equal share: c_i * n / budget. */
void procmem_plan(struct procmem_cadence *c, struct procmem_sched *const *s,
		  size_t n, long now_ms);

#endif
