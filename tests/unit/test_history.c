/* Unit tests of history: the rings and their merge, the bound on memory
 * after 10 000 refreshes (measured by glibc's mallinfo2() as well as by
 * the module's own count), the sparkline scaling, the resampling, and
 * the growth rule with the insight's sentence from real trees. */
#include "config.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/classify.h"
#include "vmtop/history.h"
#include "vmtop/maptree.h"

#define MIB 1024u

/* A tree of every kind but KIND_NONE, each of size base + kind, as
 * history_add() reads it (categories and totals only). */
struct fake {
	struct maptree t;
	struct maptree_category c[KIND__COUNT];
};

static void fake_set(struct fake *f, uint64_t base, size_t kinds)
{
	memset(f, 0, sizeof(*f));
	f->t.categories = f->c;
	for (size_t k = 1; k <= kinds && k < KIND__COUNT; k++) {
		f->c[k - 1].kind = (enum region_kind)k;
		f->c[k - 1].t.vsz_kib = base + k;
		f->c[k - 1].t.rss_kib = base;
		f->t.totals.vsz_kib += base + k;
		f->t.totals.rss_kib += base;
		f->t.ncategories++;
	}
}

static void test_series(void)
{
	struct history *h = history_new();
	struct fake f;
	uint64_t v[200];
	double tm[200];
	size_t n;
	bool ascending = true;

	fake_set(&f, 0, 1);
	n = history_series(h, KIND_BINARY, HISTORY_VSZ, v, tm, 200);
	tap_is_int((long long)n, 0, "an empty history has no samples");
	for (unsigned i = 0; i < 1000; i++) {
		fake_set(&f, i, i % 2 ? 1 : 2); /* KIND_LIBRARY every other */
		history_add(h, 100.0 + 2.0 * i, &f.t);
	}
	tap_is_int((long long)history_refreshes(h), 1000, "1000 refreshes");
	n = history_series(h, KIND_BINARY, HISTORY_VSZ, v, tm, 200);
	tap_is_int((long long)n, (long long)history_kept(h),
		   "every kept sample is written");
	tap_ok(n <= HISTORY_SLOTS * HISTORY_RINGS, "at most the slots (%zu)",
	       n);
	for (size_t i = 1; i < n; i++)
		ascending &= tm[i] > tm[i - 1] && v[i] > v[i - 1];
	tap_ok(ascending, "oldest first, no sample twice");
	tap_ok(v[n - 1] == 999 + KIND_BINARY && tm[n - 1] == 100.0 + 2 * 999,
	       "the last is the last refresh");
	tap_ok(v[n - HISTORY_SLOTS] == 999 - HISTORY_SLOTS + 1 + KIND_BINARY,
	       "ring 0 holds the last %d refreshes", HISTORY_SLOTS);
	tap_ok(tm[0] <= 100.0 + 2.0 * (999 - 8 * HISTORY_SLOTS),
	       "the coarser rings reach further back (%.0f s)",
	       tm[n - 1] - tm[0]);
	n = history_series(h, KIND_LIBRARY, HISTORY_VSZ, v, NULL, 4);
	tap_ok(n == 4 && v[3] == 0 && v[2] == 998 + KIND_LIBRARY,
	       "a kind absent at a refresh reads 0 there");
	n = history_series(h, HISTORY_TOTAL, HISTORY_RSS, v, NULL, 1);
	tap_ok(n == 1 && v[0] == 999, "the totals are a series too");
	{
		unsigned long before = history_refreshes(h);

		history_add(h, 50.0, &f.t);
		history_add(h, 100.0 + 2 * 999, &f.t);
		n = history_series(h, HISTORY_TOTAL, HISTORY_RSS, v, tm, 1);
		tap_ok(history_refreshes(h) == before && n == 1 &&
			       tm[0] == 100.0 + 2 * 999,
		       "an earlier or the same moment again is no new sample "
		       "(a saved refresh shown anew)");
	}
	history_free(h);
}

static void test_bound(void)
{
	struct mallinfo2 before, after;
	struct history *h;
	struct fake f;
	size_t at100 = 0, used;

	fake_set(&f, 0, KIND__COUNT);
	before = mallinfo2();
	h = history_new();
	for (unsigned i = 0; i < 10000; i++) {
		fake_set(&f, 4096 + i, KIND__COUNT); /* every kind present */
		history_add(h, 2.0 * i, &f.t);
		if (i == 99)
			at100 = history_bytes(h);
	}
	after = mallinfo2();
	used = after.uordblks - before.uordblks;
	tap_ok(history_bytes(h) == at100,
	       "memory after 10 000 refreshes = after 100 (%zu bytes)",
	       history_bytes(h));
	tap_ok(history_bytes(h) <= history_max_bytes() &&
		       history_max_bytes() <= 64 * 1024,
	       "within the bound, under 64 KiB (max %zu)",
	       history_max_bytes());
	/* a sanitizer's allocator replaces glibc's and keeps no count */
	if (after.uordblks == 0)
		tap_diag("malloc keeps no count here (not glibc's allocator): "
			 "the module's own count only");
	else
		tap_ok(used <= 64 * 1024 && used >= history_bytes(h),
		       "malloc's own count agrees: %zu bytes in use", used);
	/* each coarser ring repeats 1 in 8 of the finer one's samples */
	tap_is_int((long long)history_kept(h),
		   HISTORY_SLOTS * HISTORY_RINGS -
			   (HISTORY_RINGS - 1) * HISTORY_SLOTS / HISTORY_STRIDE,
		   "every slot in use, the repeats merged");
	history_free(h);
}

static void levels(const uint64_t *v, size_t n, const char *want,
		   const char *name)
{
	int l[16];
	char got[17];

	history_scale(v, n, 7, l);
	for (size_t i = 0; i < n; i++)
		got[i] = l[i] < 0 ? ' ' : (char)('0' + l[i]);
	got[n] = '\0';
	tap_is_str(got, want, name);
}

static void test_scale(void)
{
	uint64_t ramp[8], flat[4] = { 5000, 5000, 5000, 5000 };
	uint64_t noise[4] = { 1 << 20, (1 << 20) + 4, (1 << 20) - 8, 1 << 20 };
	uint64_t small[3] = { 0, 32, 64 };
	uint64_t unknown[3] = { 100, VMMAP_UNKNOWN, 100 + 7 * MIB };
	uint64_t big[2] = { 0, UINT64_C(1) << 40 };

	for (int i = 0; i < 8; i++)
		ramp[i] = 10 * MIB + (uint64_t)i * MIB;
	levels(ramp, 8, "01234567", "a ramp uses every level");
	levels(flat, 4, "0000", "a flat line is at the bottom");
	levels(noise, 4, "0000", "pages of noise on 1 GiB draw flat");
	levels(small, 3, "047", "the range is at least 64 KiB");
	levels(unknown, 3, "0 7", "an unknown value is blank");
	levels(big, 2, "07", "a TiB range does not overflow");
}

static void test_resample(void)
{
	struct history *h = history_new();
	struct fake f;
	uint64_t cells[4];
	double t[] = { 0, 1, 2, 7, 8 };

	fake_set(&f, 0, 1);
	history_add(h, 0, &f.t);
	tap_is_int((long long)history_resample(h, HISTORY_TOTAL, HISTORY_VSZ,
					       cells, 4), 0,
		   "one sample: nothing to draw");
	history_free(h);
	h = history_new();
	for (int i = 0; i < 5; i++) {
		fake_set(&f, (uint64_t)i * 10, 1);
		history_add(h, t[i], &f.t);
	}
	/* cells end at 2, 4, 6, 8 s: samples 0+1+2, 2, 2, 7+8 */
	tap_is_int((long long)history_resample(h, KIND_BINARY, HISTORY_RSS,
					       cells, 4), 4, "4 cells");
	tap_ok(cells[0] == 20 && cells[1] == 20 && cells[2] == 20 &&
		       cells[3] == 40,
	       "each cell is the last sample by its end, evenly in time "
	       "(%llu %llu %llu %llu)", (unsigned long long)cells[0],
	       (unsigned long long)cells[1], (unsigned long long)cells[2],
	       (unsigned long long)cells[3]);
	history_free(h);
}

/* A program whose anonymous region is anon_mib MiB at refresh i, and
 * whose heap's RSS is rss_kib. */
static struct maptree *grown(struct vmmap **mp, uint64_t anon_mib,
			     uint64_t rss_kib)
{
	struct vmmap *m = vmmap_new(300);
	struct region *r;
	uint64_t sm[SM__COUNT] = { 0 };

	r = vmmapfix_region(m, 0x55d0c1000000, 0x55d0c1000000 + (64u << 20),
			    "rw-p", "[heap]");
	sm[SM_SIZE] = 64 * MIB;
	sm[SM_RSS] = sm[SM_PSS] = sm[SM_PRIVATE_DIRTY] = rss_kib;
	vmmap_region_set_smaps(m, r, sm, NULL, true);
	vmmapfix_region(m, 0x7f0000000000, 0x7f0000000000 + (anon_mib << 20),
			"rw-p", "");
	vmmapfix_finish(m);
	vmmapfix_classify(m);
	*mp = m;
	return maptree_build(m);
}

static const char *growth_text(const struct maptree *t)
{
	for (size_t k = 0; k < t->ninsights; k++)
		if (!strcmp(t->insights[k].id, "growth"))
			return k == 0 ? t->insights[k].text : "(not first)";
	return NULL;
}

static void test_growth(void)
{
	struct history *h = history_new();
	struct history_growth g;
	struct maptree *t = NULL;
	struct vmmap *m = NULL;

	/* 21 refreshes 2 s apart: anon grows 1 MiB each but once */
	for (unsigned i = 0; i <= 20; i++) {
		if (t) {
			maptree_free(t);
			vmmap_free(m);
		}
		t = grown(&m, i < 10 ? 4 + i : 3 + i, 1024);
		history_add(h, 1000.0 + 2.0 * i, t);
		history_insight(t, h);
	}
	tap_ok(history_growth(h, KIND_ANON, HISTORY_VSZ, &g),
	       "anon keeps growing");
	tap_ok(g.grew_kib == 19 * MIB && g.seconds == 40 &&
		       g.grew_steps == 19 && g.steps == 20,
	       "19 MiB in 40 s, 19 of 20 steps");
	tap_is_str(growth_text(t),
		   "anon grew 19 MiB in 40 s (28.5 MiB/min, in 19 of the last "
		   "20 refreshes)",
		   "the insight says it, first");
	tap_ok(!history_growth(h, KIND_HEAP, HISTORY_VSZ, &g),
	       "the heap does not grow");
	maptree_free(t);
	vmmap_free(m);
	history_free(h);

	/* up and down: not "keeps growing", even with a net growth */
	h = history_new();
	for (unsigned i = 0; i <= 20; i++) {
		t = grown(&m, 4 + i + (i % 2 ? 4 : 0), 1024);
		history_add(h, 2.0 * i, t);
		maptree_free(t);
		vmmap_free(m);
	}
	tap_ok(!history_growth(h, KIND_ANON, HISTORY_VSZ, &g),
	       "a series that grows every other refresh is not steady (%u of "
	       "%u)", g.grew_steps, g.steps);
	history_free(h);

	/* steady but tiny: under 1 MiB in all is noise */
	h = history_new();
	for (unsigned i = 0; i <= 20; i++) {
		t = grown(&m, 4, 1024 + 40 * i);
		history_add(h, 2.0 * i, t);
		maptree_free(t);
		vmmap_free(m);
	}
	tap_ok(!history_growth(h, KIND_HEAP, HISTORY_RSS, &g),
	       "800 KiB in 20 refreshes is below the noise floor");
	history_free(h);

	/* the heap's RSS grows, its VSZ does not: "resident" */
	h = history_new();
	for (unsigned i = 0; i <= 10; i++) {
		if (i) {
			maptree_free(t);
			vmmap_free(m);
		}
		t = grown(&m, 4, 1024 + 512 * i);
		history_add(h, 2.0 * i, t);
		history_insight(t, h);
	}
	tap_is_str(growth_text(t),
		   "heap grew 5 MiB resident in 20 s (15 MiB/min, in 10 of "
		   "the last 10 refreshes)",
		   "RSS growth is said as resident");
	maptree_free(t);
	vmmap_free(m);
	history_free(h);
}

int main(void)
{
	test_series();
	test_bound();
	test_scale();
	test_resample();
	test_growth();
	return tap_done();
}
