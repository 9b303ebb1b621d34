/* pipeline: one refresh of one process, from a source to a tree.
 *
 * A refresh reads the process from its source (procmap's readers for the
 * live /proc), classifies the regions, builds the maptree and, when asked,
 * compares it with the previous tree (diff).  The TUI's map view, batch
 * and the tests all run it; only the sources know where bytes come from,
 * and nothing here draws or formats.
 *
 * Cadence (PIPELINE_THROTTLE, the map view).  Reading smaps walks the
 * target's page tables (150 ms for 60 000 mappings), so it is timed: if a
 * refresh with smaps took C ms of our CPU, the next one comes after
 * max(interval, C / 0.03), which keeps smaps under ~3 % of one core.
 * Between them a refresh reads maps only (and threads, and the arena
 * probes) and carries the last smaps counters forward to the regions that
 * did not change (diff_carry_smaps()); a maps-only refresh is itself
 * throttled to 1.5 % of one core the same way, which only matters for
 * processes with tens of thousands of mappings.  Every smaps counter and
 * VmFlags of each region (for the detail pane) are kept below 20 000
 * regions; above, only RSS, PSS, swap and dirty (PROCMAP_SMAPS_ALL costs
 * ~190 bytes a region).  Without PIPELINE_THROTTLE (batch) every refresh
 * reads smaps and the compact counters only.
 *
 * The environment and the executable are read once, at the first
 * refresh, and copied to the later ones.  The owners of the thread
 * stacks of one refresh go to the classification of the next
 * (struct classify_history): a thread running when read has no stack
 * pointer, and its stack keeps the owner it had.  When the process exits the last
 * tree stays (pipeline_exited()).  When its memory map is not readable
 * (another user's process) there is no tree and pipeline_error() is
 * -EACCES.
 *
 * Off the UI thread (PIPELINE_ASYNC, the map and compare views).  Reading maps takes
 * 70 ms and smaps 260 ms at 60 000 mappings, longer than a key may wait.
 * After the first refresh (which the caller waits for: there is nothing
 * to show before it), a due refresh is read, classified and built on a
 * job thread while the caller keeps drawing the current tree, and is
 * swapped in (diffed, its threads' CPU taken) by the pipeline_refresh()
 * call after it is done; the job calls the function given to
 * pipeline_set_wake() then, so that a caller waiting for keys wakes.
 * Only sources whose read may run beside their list (struct
 * source.concurrent_read) are read so; the others are read in place.
 *
 * History (PIPELINE_HISTORY): each refresh's tree goes into the
 * process's history (history.h) at the time its maps was read, and the
 * growth insight is added to the tree from it. */
#ifndef VMTOP_PIPELINE_H
#define VMTOP_PIPELINE_H

#include <stdbool.h>
#include <sys/types.h>

#include "vmtop/diff.h"
#include "vmtop/history.h"
#include "vmtop/maptree.h"
#include "vmtop/rules.h"
#include "vmtop/source.h"
#include "vmtop/vmmap.h"

enum pipeline_flags {
	/* smaps on the cost-bound cadence above, maps-only refreshes in
	 * between, every counter kept where cheap (the map view) */
	PIPELINE_THROTTLE = 1u << 0,
	/* compare each tree with the previous ones (pipeline_diff()) */
	PIPELINE_DIFF = 1u << 1,
	/* read on a job thread after the first refresh (above) */
	PIPELINE_ASYNC = 1u << 2,
	/* keep each refresh's totals per category (pipeline_totals_history())
	 * and add the "growth" insight when one keeps growing */
	PIPELINE_HISTORY = 1u << 3,
};

/* What the cadence is, for the status line.  Times in seconds, costs in
 * milliseconds of CPU; 0 before the first measurement. */
struct pipeline_cadence {
	double maps_every, maps_ms;
	double smaps_every, smaps_ms;
	double smaps_age;     /* since the smaps counters shown were read */
	bool stale;           /* this refresh did not read smaps */
	unsigned long smaps_reads; /* refreshes that read smaps, in all */
};

struct pipeline;

/* A pipeline for process pid of src with flags (enum pipeline_flags).
 * src and rules are borrowed and must outlive it (and its last job:
 * pipeline_wait_all()).  Nothing is read
 * before the first refresh. */
struct pipeline *pipeline_new(struct source *src, pid_t pid,
			      const struct rules *rules, unsigned flags);
void pipeline_free(struct pipeline *p);

/* The CPU shares of one core (0.03 is 3 %) that smaps and maps-only
 * refreshes may use with PIPELINE_THROTTLE (defaults 0.03 and 0.015); a
 * caller that runs many pipelines gives each its part of one budget.
 * Takes effect at the next refresh. */
void pipeline_set_budget(struct pipeline *p, double smaps_share,
			 double maps_share);

pid_t pipeline_pid(const struct pipeline *p);

/* Refreshes if one is due at now_ms (CLOCK_MONOTONIC), with delay_ms the
 * refresh interval; force refreshes maps at least.  Without
 * PIPELINE_THROTTLE every call is due.  Returns true when the tree
 * changed (the previous tree and vmmap are freed then: pointers from the
 * getters below become invalid) or the error or exit state did. */
bool pipeline_refresh(struct pipeline *p, long now_ms, long delay_ms,
		      bool force);

/* With PIPELINE_ASYNC: wake is called (on the job's thread) when a
 * refresh has been read and waits to be swapped in by the next
 * pipeline_refresh().  It must be async-signal-safe in spirit: a write to
 * a pipe. */
void pipeline_set_wake(struct pipeline *p, void (*wake)(void));
/* Waits for the refresh being read, if any, and swaps it in.  Returns
 * whether the picture changed (as pipeline_refresh()). */
bool pipeline_settle(struct pipeline *p);
/* Waits until every job has ended, those of freed pipelines too (a
 * freed pipeline's job frees itself when its read ends): call it before
 * freeing the sources and rules that pipelines borrowed. */
void pipeline_wait_all(void);

/* Adds ms of CPU, spent by the caller on the refresh just made (laying
 * out the view), to that refresh's cost, and reschedules: the budget
 * covers everything a refresh costs, not only the reading. */
void pipeline_charge(struct pipeline *p, double ms);

/* The current tree and the vmmap under it, or NULL before the first
 * successful refresh (or while access is denied). */
const struct maptree *pipeline_tree(const struct pipeline *p);
const struct vmmap *pipeline_vmmap(const struct pipeline *p);
/* What changed at the last refreshes (never NULL; empty without
 * PIPELINE_DIFF). */
const struct diff *pipeline_diff(const struct pipeline *p);
/* The totals of the refreshes so far (never NULL; empty without
 * PIPELINE_HISTORY).  Fed only from the trees refreshed, at their
 * vmmap.time: a source replaying saved refreshes gives the same one. */
const struct history *pipeline_totals_history(const struct pipeline *p);
/* Makes the current tree the baseline of pipeline_diff() (with
 * PIPELINE_DIFF): DELTA then says the change since it.  Returns 0, or
 * -EAGAIN before the first tree.  pipeline_baseline_clear() drops it. */
int pipeline_baseline_set(struct pipeline *p);
void pipeline_baseline_clear(struct pipeline *p);
/* 0, or -EACCES (not readable) / another -errno of the last read. */
int pipeline_error(const struct pipeline *p);
/* When part of the process is refused (pipeline_error() is -EACCES, or
 * the vmmap misses some of it): writes into buf what the kernel refuses
 * now and why (access_explain()) and returns its length; 0 when nothing
 * is refused or the source is not live. */
size_t pipeline_access_why(const struct pipeline *p, char *buf,
			   size_t size);
/* Reads the process's knobs now, from its source (knobs.h): k is
 * initialised either way (knobs_release() it).  When its environment
 * was refused and the source is live, writes into why what the kernel
 * refuses and why (access_explain()), else why is "".  Returns 0 or
 * -errno (-EOPNOTSUPP: the source has no knobs). */
int pipeline_knobs(const struct pipeline *p, struct knobs *k, char *why,
		   size_t whysize);
/* Whether the process has exited (or was never there). */
bool pipeline_exited(const struct pipeline *p);
void pipeline_cadence(const struct pipeline *p, long now_ms,
		      struct pipeline_cadence *c);
/* CPU % of thread tid between its last two refreshes, < 0 when unknown. */
double pipeline_thread_cpu(const struct pipeline *p, pid_t tid);

#endif
