/* mapsample: the live memory map of one process, as the map view shows
 * it: collected, classified, built into a maptree and compared with the
 * previous refresh, on a cadence that bounds its own cost.
 *
 * Cadence.  Reading smaps walks the target's page tables (150 ms for
 * 60 000 mappings), so it is timed: if a sample with smaps took C ms of
 * our CPU, the next one comes after max(refresh, C / 0.03), which keeps
 * smaps under ~3 % of one core.  Between them a sample reads maps only
 * (and threads, and the arena probes) and carries the last smaps counters
 * forward to the regions that did not change (diff_carry_smaps()); a
 * maps-only sample is itself throttled to 1.5 % of one core the same way,
 * which only matters for processes with tens of thousands of mappings.
 * The environment and the executable are read once, at the first sample,
 * and copied to the later ones.  Every smaps counter and VmFlags of each
 * region (for the detail pane) are kept below 20 000 regions; above, only
 * RSS, PSS, swap and dirty (VMMAP_SMAPS_ALL costs ~190 bytes a region).
 *
 * When the process exits the last tree stays (mapsample_exited()).  When
 * its memory map is not readable (another user's process) there is no
 * tree and mapsample_error() is -EACCES.
 *
 * Uses only collect, classify, maptree and diff APIs: no curses. */
#ifndef VMTOP_MAPSAMPLE_H
#define VMTOP_MAPSAMPLE_H

#include <stdbool.h>
#include <sys/types.h>

#include "vmtop/diff.h"
#include "vmtop/maptree.h"
#include "vmtop/rules.h"
#include "vmtop/vmmap.h"

/* What the cadence is, for the status line.  Times in seconds, costs in
 * milliseconds of CPU; 0 before the first measurement. */
struct mapsample_cadence {
	double maps_every, maps_ms;
	double smaps_every, smaps_ms;
	double smaps_age;     /* since the smaps counters shown were read */
	bool stale;           /* this refresh did not read smaps */
};

struct mapsample;

/* A sampler of pid (under proc_root, NULL: "/proc"); rules is borrowed
 * and must outlive it.  Nothing is read before the first refresh. */
struct mapsample *mapsample_new(const char *proc_root, pid_t pid,
				const struct rules *rules);
void mapsample_free(struct mapsample *s);

/* Takes a sample if one is due at now_ms (CLOCK_MONOTONIC), with
 * delay_ms the refresh interval; force takes a maps sample at least.
 * Returns true when the tree changed (the previous tree and vmmap are
 * freed then: pointers from the getters below become invalid). */
bool mapsample_refresh(struct mapsample *s, long now_ms, long delay_ms,
		       bool force);

/* Adds ms of CPU, spent by the caller on the sample just taken (laying
 * out the view), to that sample's cost, and reschedules: the budget
 * covers everything a refresh costs, not only the reading. */
void mapsample_charge(struct mapsample *s, double ms);

/* The current tree and the vmmap under it, or NULL before the first
 * successful sample (or while access is denied). */
const struct maptree *mapsample_tree(const struct mapsample *s);
const struct vmmap *mapsample_vmmap(const struct mapsample *s);
/* What changed at the last samples (never NULL). */
const struct diff *mapsample_diff(const struct mapsample *s);
/* 0, or -EACCES (not readable) / -ESRCH (never seen) of the last read. */
int mapsample_error(const struct mapsample *s);
/* Whether the process has exited since the view opened. */
bool mapsample_exited(const struct mapsample *s);
void mapsample_cadence(const struct mapsample *s, long now_ms,
		       struct mapsample_cadence *c);
/* CPU % of thread tid between its last two samples, < 0 when unknown. */
double mapsample_thread_cpu(const struct mapsample *s, pid_t tid);

#endif
