/* history: per-category totals of the refreshes of one process, in three
 * rings of fixed size (history.h).
 *
 * A refresh gets a sequence number; ring k keeps the refreshes whose
 * number is a multiple of 8^k, each ring overwriting its oldest slot.
 * Reading merges them: ring 2's samples older than ring 1's oldest, then
 * ring 1's older than ring 0's oldest, then ring 0.  The slots' times and
 * numbers are shared by every series; a series (a kind, or the whole
 * process) gets its values block when its kind first appears, zeroed, so
 * that a kind absent at a refresh reads 0 there.  Memory is therefore
 * fixed by the number of kinds seen, whatever the run length. */
#include "config.h"

#include "vmtop/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

#define HISTORY_NSERIES (KIND__COUNT + 1)
#define HISTORY_MAX_SAMPLES (HISTORY_SLOTS * HISTORY_RINGS)

struct history_ring {
	unsigned n, head;                   /* samples kept, next slot */
	double time[HISTORY_SLOTS];
	unsigned long seq[HISTORY_SLOTS];
};

/* One series: VSZ and RSS of every slot of every ring. */
struct history_values {
	uint64_t v[HISTORY_RINGS][HISTORY_SLOTS][2];
};

struct history {
	unsigned long count;                /* refreshes recorded */
	double last_time;
	struct history_ring ring[HISTORY_RINGS];
	struct history_values *series[HISTORY_NSERIES];
};

struct history *history_new(void)
{
	return xcalloc(1, sizeof(struct history));
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (unsigned s = 0; s < HISTORY_NSERIES; s++)
		free(h->series[s]);
	free(h);
}

static void history_put(struct history *h, unsigned series, unsigned ring,
			unsigned slot, uint64_t vsz, uint64_t rss)
{
	struct history_values *v = h->series[series];

	if (!v)
		v = h->series[series] = xcalloc(1, sizeof(*v));
	v->v[ring][slot][HISTORY_VSZ] = vsz;
	v->v[ring][slot][HISTORY_RSS] = rss;
}

static void history_add_ring(struct history *h, unsigned k, double time,
			     const struct maptree *t)
{
	struct history_ring *r = &h->ring[k];
	unsigned slot = r->head;

	r->time[slot] = time;
	r->seq[slot] = h->count;
	r->head = (slot + 1) % HISTORY_SLOTS;
	if (r->n < HISTORY_SLOTS)
		r->n++;
	/* a kind absent now reads 0 in this slot */
	for (unsigned s = 0; s < HISTORY_NSERIES; s++)
		if (h->series[s])
			history_put(h, s, k, slot, 0, 0);
	for (size_t c = 0; c < t->ncategories; c++) {
		const struct maptree_category *cat = &t->categories[c];

		if ((unsigned)cat->kind < KIND__COUNT)
			history_put(h, cat->kind, k, slot, cat->t.vsz_kib,
				    cat->t.rss_kib);
	}
	history_put(h, HISTORY_TOTAL, k, slot, t->totals.vsz_kib,
		    t->totals.rss_kib);
}

void history_add(struct history *h, double time, const struct maptree *t)
{
	unsigned long every = 1;

	/* the same moment again (a saved file's refresh shown anew, or
	 * stepped back to) is not a new sample */
	if (h->count && time <= h->last_time)
		return;
	for (unsigned k = 0; k < HISTORY_RINGS; k++) {
		if (h->count % every == 0)
			history_add_ring(h, k, time, t);
		every *= HISTORY_STRIDE;
	}
	h->last_time = time;
	h->count++;
}

unsigned long history_refreshes(const struct history *h)
{
	return h->count;
}

/* The slot of the i-th oldest sample of ring r. */
static unsigned history_slot(const struct history_ring *r, unsigned i)
{
	return (r->head + HISTORY_SLOTS - r->n + i) % HISTORY_SLOTS;
}

/* A kept sample: its ring and slot. */
struct history_ref {
	unsigned char ring, slot;
};

/* Every kept sample, oldest first, into out; returns how many. */
static size_t history_refs(const struct history *h,
			   struct history_ref *out)
{
	unsigned long before = (unsigned long)-1; /* older than this seq */
	size_t n = 0, parts[HISTORY_RINGS] = { 0 };
	struct history_ref tmp[HISTORY_RINGS][HISTORY_SLOTS];

	/* newest ring first: each older ring adds what precedes it */
	for (unsigned k = 0; k < HISTORY_RINGS; k++) {
		const struct history_ring *r = &h->ring[k];
		unsigned long oldest = before;

		for (unsigned i = 0; i < r->n; i++) {
			unsigned slot = history_slot(r, i);

			if (r->seq[slot] >= before)
				break;
			tmp[k][parts[k]].ring = (unsigned char)k;
			tmp[k][parts[k]++].slot = (unsigned char)slot;
			if (parts[k] == 1)
				oldest = r->seq[slot];
		}
		before = oldest;
	}
	for (unsigned k = HISTORY_RINGS; k-- > 0;) {
		memcpy(out + n, tmp[k], parts[k] * sizeof(*out));
		n += parts[k];
	}
	return n;
}

size_t history_kept(const struct history *h)
{
	struct history_ref refs[HISTORY_MAX_SAMPLES];

	return history_refs(h, refs);
}

size_t history_series(const struct history *h, unsigned series,
		      enum history_what what, uint64_t *values,
		      double *times, size_t max)
{
	struct history_ref refs[HISTORY_MAX_SAMPLES];
	size_t n = history_refs(h, refs), from = n > max ? n - max : 0;
	const struct history_values *v =
		series < HISTORY_NSERIES ? h->series[series] : NULL;

	for (size_t i = from; i < n; i++) {
		const struct history_ref *r = &refs[i];

		values[i - from] = v ? v->v[r->ring][r->slot][what] : 0;
		if (times)
			times[i - from] = h->ring[r->ring].time[r->slot];
	}
	return n - from;
}

size_t history_resample(const struct history *h, unsigned series,
			enum history_what what, uint64_t *cells, size_t n)
{
	uint64_t v[HISTORY_MAX_SAMPLES];
	double tm[HISTORY_MAX_SAMPLES], span;
	size_t k = history_series(h, series, what, v, tm,
				  HISTORY_MAX_SAMPLES);
	size_t j = 0;

	if (k < 2 || n == 0)
		return 0;
	span = tm[k - 1] - tm[0];
	for (size_t c = 0; c < n; c++) {
		double end = tm[0] + span * (double)(c + 1) / (double)n;

		/* the last sample at or before the cell's end */
		while (j + 1 < k && tm[j + 1] <= end)
			j++;
		cells[c] = v[j];
	}
	cells[n - 1] = v[k - 1];
	return n;
}

/* The smallest range a sparkline spans: 1 % of its largest value, and at
 * least 64 KiB (16 pages). */
static uint64_t history_min_range(uint64_t max)
{
	uint64_t r = max / 100;

	return r > 64 ? r : 64;
}

void history_scale(const uint64_t *values, size_t n, int top, int *levels)
{
	uint64_t lo = UINT64_MAX, hi = 0, range;
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		if (values[i] == VMMAP_UNKNOWN)
			continue;
		any = true;
		if (values[i] < lo)
			lo = values[i];
		if (values[i] > hi)
			hi = values[i];
	}
	range = any ? hi - lo : 0;
	if (range < history_min_range(hi))
		range = history_min_range(hi);
	for (size_t i = 0; i < n; i++) {
		if (values[i] == VMMAP_UNKNOWN) {
			levels[i] = -1;
			continue;
		}
		/* rounded to the nearest level */
		levels[i] = (int)(((values[i] - lo) * (uint64_t)top +
				   range / 2) / range);
		if (levels[i] > top)
			levels[i] = top;
	}
}

/* How many of the last steps of v[0..n) grew, of how many: the last
 * HISTORY_GROWTH_STEPS, or all when fewer. */
static void history_steps(const uint64_t *v, size_t n, unsigned *grew,
			  unsigned *steps)
{
	size_t from = n > HISTORY_GROWTH_STEPS ? n - HISTORY_GROWTH_STEPS - 1 :
						 0;

	*grew = *steps = 0;
	for (size_t i = from + 1; i < n; i++) {
		if (v[i] == VMMAP_UNKNOWN || v[i - 1] == VMMAP_UNKNOWN)
			continue;
		(*steps)++;
		if (v[i] > v[i - 1])
			(*grew)++;
	}
}

bool history_growth(const struct history *h, unsigned series,
		    enum history_what what, struct history_growth *g)
{
	uint64_t v[HISTORY_MAX_SAMPLES];
	double tm[HISTORY_MAX_SAMPLES];
	size_t n = history_series(h, series, what, v, tm,
				  HISTORY_MAX_SAMPLES);
	size_t raw = n < h->ring[0].n ? n : h->ring[0].n;
	size_t low = n;

	memset(g, 0, sizeof(*g));
	if (n < 2 || v[n - 1] == VMMAP_UNKNOWN)
		return false;
	/* steadiness over the refreshes themselves: the merged series ends
	 * with ring 0, every refresh */
	history_steps(v + n - raw, raw, &g->grew_steps, &g->steps);
	/* the last time it was at its lowest */
	for (size_t i = 0; i < n; i++)
		if (v[i] != VMMAP_UNKNOWN && (low == n || v[i] <= v[low]))
			low = i;
	g->grew_kib = v[n - 1] - v[low];
	g->seconds = tm[n - 1] - tm[low];
	if (g->seconds > 0)
		g->kib_per_min = (double)g->grew_kib * 60.0 / g->seconds;
	return g->steps >= HISTORY_GROWTH_MIN &&
	       g->grew_steps * 4 >= g->steps * 3 &&
	       g->grew_kib >= HISTORY_GROWTH_MIN_KIB && g->seconds > 0;
}

/* --- the growth insight ------------------------------------------------ */

/* "40 s", "10 min", "1.5 h" */
static void history_duration(char *buf, size_t size, double s)
{
	if (s < 90)
		snprintf(buf, size, "%.0f s", s);
	else if (s < 90 * 60)
		snprintf(buf, size, "%.0f min", s / 60);
	else
		snprintf(buf, size, "%.1f h", s / 3600);
}

/* "anon grew 38 MiB in 10 min (3.8 MiB/min, in 19 of the last 20
 * refreshes)", "resident" after the size when it is RSS that grew. */
static void history_growth_one(struct strbuf *sb, enum region_kind kind,
				bool rss, const struct history_growth *g)
{
	char a[24], b[24], d[24];

	fmt_size(a, sizeof(a), g->grew_kib, FMT_SIZE_WORDS);
	fmt_size(b, sizeof(b), (uint64_t)(g->kib_per_min + 0.5),
		 FMT_SIZE_WORDS);
	history_duration(d, sizeof(d), g->seconds);
	strbuf_addf(sb, "%s grew %s%s in %s (%s/min, in %u of the last %u "
		    "refreshes)", maptree_kind_name(kind), a,
		    rss ? " resident" : "", d, b, g->grew_steps, g->steps);
}

struct history_grower {
	enum region_kind kind;
	bool rss;
	struct history_growth g;
};

static int history_grower_cmp(const void *a, const void *b)
{
	const struct history_grower *x = a, *y = b;

	if (x->g.kib_per_min != y->g.kib_per_min)
		return x->g.kib_per_min > y->g.kib_per_min ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

void history_insight(struct maptree *t, const struct history *h)
{
	struct history_grower gr[KIND__COUNT];
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	for (size_t c = 0; c < t->ncategories && n < KIND__COUNT; c++) {
		struct history_grower *x = &gr[n];

		x->kind = t->categories[c].kind;
		/* VSZ first, as DELTA: what the address space did */
		x->rss = false;
		if (!history_growth(h, x->kind, HISTORY_VSZ, &x->g)) {
			x->rss = true;
			if (!history_growth(h, x->kind, HISTORY_RSS, &x->g))
				continue;
		}
		n++;
	}
	if (!n)
		return;
	qsort(gr, n, sizeof(*gr), history_grower_cmp);
	strbuf_init(&sb, 160);
	for (size_t k = 0; k < n && k < 3; k++) {
		if (k)
			strbuf_addstr(&sb, "; ");
		history_growth_one(&sb, gr[k].kind, gr[k].rss, &gr[k].g);
	}
	/* the leak hunter's first question comes first */
	t->insights = xreallocarray(t->insights, t->ninsights + 1,
				    sizeof(*t->insights));
	memmove(t->insights + 1, t->insights,
		t->ninsights * sizeof(*t->insights));
	t->insights[0].id = "growth";
	t->insights[0].kib = gr[0].g.grew_kib;
	t->insights[0].text = strbuf_detach(&sb);
	t->ninsights++;
}

size_t history_bytes(const struct history *h)
{
	size_t b = sizeof(*h);

	for (unsigned s = 0; s < HISTORY_NSERIES; s++)
		if (h->series[s])
			b += sizeof(*h->series[s]);
	return b;
}

size_t history_max_bytes(void)
{
	return sizeof(struct history) +
	       HISTORY_NSERIES * sizeof(struct history_values);
}
