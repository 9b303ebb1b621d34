/* history: each refresh's totals of one process, per category, kept in
 * bounded memory for the TREND sparklines and the growth insight.
 *
 * What is kept: for every refresh given to history_add(), the time of
 * the read (vmmap.time, so that refreshes replayed from a saved source
 * give the same history as live ones) and, per category (kind) present
 * and for the whole process, VSZ and RSS in KiB (RSS VMMAP_UNKNOWN when
 * smaps was not read).  Nothing here reads a clock or /proc: the history
 * is a pure function of the trees it was given, in order.
 *
 * Bound (doc/DESIGN.md, "The tree, insights, diff"): three rings of
 * HISTORY_SLOTS samples each: every refresh, every 8th and every 64th.
 * At the default 2 s interval that is the last 96 s at full resolution,
 * 12.8 min at 16 s and 1.7 h at 128 s.  Older samples are dropped, so the
 * memory is the same after a minute or a month: at most
 * history_max_bytes() (under 64 KiB, every kind present), about a third
 * of it for a typical process.
 *
 * Pure model code: no curses, no /proc. */
#ifndef VMTOP_HISTORY_H
#define VMTOP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/maptree.h"
#include "vmtop/vmmap.h"

#define HISTORY_SLOTS 48   /* samples per ring */
#define HISTORY_RINGS 3    /* every refresh, every 8th, every 64th */
#define HISTORY_STRIDE 8   /* each ring keeps every 8th of the one before */
/* The series of the whole process: history_series(h, HISTORY_TOTAL...) */
#define HISTORY_TOTAL KIND__COUNT

enum history_what { HISTORY_VSZ, HISTORY_RSS };

struct history;

/* An empty history.  Never NULL; free with history_free(). */
struct history *history_new(void);
void history_free(struct history *h);

/* Records one refresh: t's categories and totals, read at time (seconds,
 * CLOCK_REALTIME, as vmmap.time).  A time not after the last one
 * recorded is the same moment again (a saved file's refresh shown anew,
 * or stepped back to; a clock that stepped back): nothing is recorded. */
void history_add(struct history *h, double time, const struct maptree *t);

/* Refreshes recorded in all, and samples kept now. */
unsigned long history_refreshes(const struct history *h);
size_t history_kept(const struct history *h);

/* Writes the kept samples of series (a kind, or HISTORY_TOTAL), oldest
 * first, at most max of the most recent ones: values[] in KiB (0 for a
 * refresh where the kind was absent, VMMAP_UNKNOWN for an RSS not read)
 * and times[] (may be NULL).  Returns how many were written. */
size_t history_series(const struct history *h, unsigned series,
		      enum history_what what, uint64_t *values,
		      double *times, size_t max);

/* Resamples series over the whole time kept into cells values, evenly
 * in time: each cell is the last sample at or before its end.  Returns
 * the cells written (0 when fewer than 2 samples are kept). */
size_t history_resample(const struct history *h, unsigned series,
			enum history_what what, uint64_t *cells, size_t n);

/* Scales n values into levels 0..top for a sparkline: the lowest value
 * is 0, and the range is at least 1 % of the largest value and 64 KiB,
 * so that a few pages of noise on a large category draw a flat line.
 * VMMAP_UNKNOWN gives -1 (drawn blank). */
void history_scale(const uint64_t *values, size_t n, int top, int *levels);

/* Whether series keeps growing (what the growth insight says):
 *   - of its last HISTORY_GROWTH_STEPS refreshes (or all but the first,
 *     when fewer are kept, and at least HISTORY_GROWTH_MIN), three in
 *     four grew;
 *   - since the last time it was at its lowest in the kept history, it
 *     grew at least HISTORY_GROWTH_MIN_KIB (1 MiB): pages that come and
 *     go are noise.
 * Fills g with that growth: from the lowest sample to the last one. */
#define HISTORY_GROWTH_STEPS 20
#define HISTORY_GROWTH_MIN 6
#define HISTORY_GROWTH_MIN_KIB 1024

struct history_growth {
	uint64_t grew_kib;      /* last - lowest */
	double seconds;         /* between them */
	double kib_per_min;
	unsigned grew_steps;    /* of the last steps, how many grew */
	unsigned steps;
};

bool history_growth(const struct history *h, unsigned series,
		    enum history_what what, struct history_growth *g);

/* Adds the "growth" insight to t when categories of it keep growing in
 * h (history_growth(): VSZ, else RSS), the fastest three named, first
 * among t's insights: "anon grew 38 MiB in 10 min (3.8 MiB/min, in 19 of
 * the last 20 refreshes)".  h must already hold t's refresh
 * (history_add()).  Nothing when nothing keeps growing.  The text is
 * owned by t (maptree_free()).  It is here, not in insights, because
 * it reads the history, which the tree knows nothing of. */
void history_insight(struct maptree *t, const struct history *h);

/* Bytes allocated for h now, and the most any history can take. */
size_t history_bytes(const struct history *h);
size_t history_max_bytes(void);

#endif
