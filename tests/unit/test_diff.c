/* Unit tests of diff: keys, marks across refreshes, the gone list, and
 * carrying smaps counters to a maps-only refresh. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/classify.h"
#include "vmtop/diff.h"
#include "vmtop/maptree.h"

#define HEAP 0x55d0c1000000ULL
#define A 0x7f0000100000ULL
#define B 0x7f0000200000ULL
#define C 0x7f0000300000ULL
#define LIB "/usr/lib/x86_64-linux-gnu/libc.so.6"

#define FLAGS "rd wr mr mw me ac"

/* Gives r smaps counters: rss = pss = rss; every counter and VmFlags
 * kept when all, else only the compact ones. */
static void set_smaps(struct vmmap *m, struct region *r, uint64_t rss,
		      bool all)
{
	uint64_t sm[SM__COUNT];

	for (int f = 0; f < SM__COUNT; f++)
		sm[f] = 0;
	sm[SM_SIZE] = (r->end - r->start) / 1024;
	sm[SM_RSS] = sm[SM_PSS] = sm[SM_PRIVATE_DIRTY] = rss;
	vmmap_region_set_smaps(m, r, sm, all ? FLAGS : NULL, all);
}

/* A region as a maps-only read leaves it: no smaps. */
static struct region *bare(struct vmmap *m, const struct region *like,
			   uint64_t end)
{
	struct region *r = vmmap_add_region(m);

	r->start = like->start;
	r->end = end;
	r->inode = like->inode;
	memcpy(r->perms, like->perms, sizeof(r->perms));
	r->path = vmmap_strdup(m, like->path);
	return r;
}

/* gen 0: heap 8 KiB, anon A and B, libc; gen 1: heap 20 KiB, B gone, C
 * new; gen 2: A's rss changes; gen 3: unchanged. */
static struct vmmap *layout(int gen)
{
	struct vmmap *m = vmmap_new(100);
	struct region *r;

	vmmapfix_region(m, HEAP, HEAP + (gen ? 0x5000 : 0x2000), "rw-p",
			"[heap]");
	r = vmmapfix_region(m, A, A + 0x10000, "rw-p", "");
	set_smaps(m, r, gen >= 2 ? 4 : 64, false);
	if (gen == 0)
		vmmapfix_region(m, B, B + 0x4000, "rw-p", "");
	if (gen >= 1)
		vmmapfix_region(m, C, C + 0x8000, "rw-p", "");
	vmmapfix_region(m, 0x7f1000000000, 0x7f1000028000, "r--p", LIB);
	vmmapfix_finish(m);
	classify_vmmap(m, NULL);
	return m;
}

static void update(struct diff *d, int gen)
{
	struct vmmap *m = layout(gen);
	struct maptree *t = maptree_build(m);

	diff_update(d, t);
	maptree_free(t);
	vmmap_free(m); /* the diff must not keep pointers into either */
}

static void test_keys(void)
{
	uint64_t c = diff_key_category(KIND_HEAP);

	tap_ok(c != 0, "keys are never 0");
	tap_ok(c == diff_key_category(KIND_HEAP), "category key is stable");
	tap_ok(c != diff_key_group(KIND_HEAP, ""),
	       "a category and its unnamed group differ");
	tap_ok(diff_key_group(KIND_LIBRARY, LIB) !=
		       diff_key_group(KIND_FILE, LIB),
	       "same name, other kind: other key");
	tap_ok(diff_key_region(KIND_ANON, A) != diff_key_region(KIND_ANON, B),
	       "regions differ by start");
}

static void test_marks(void)
{
	struct diff *d = diff_new(2);
	const struct diff_gone *g;
	int64_t delta;
	size_t n;

	update(d, 0);
	tap_is_int(diff_change_of(d, diff_key_region(KIND_ANON, A), NULL),
		   DIFF_NONE, "first update marks nothing");
	tap_is_int(diff_gone_list(d, &g), 0, "first update: nothing gone");

	update(d, 1);
	tap_is_int(diff_change_of(d, diff_key_region(KIND_HEAP, HEAP), &delta),
		   DIFF_GREW, "the heap grew");
	tap_is_int(delta, 12, "by 12 KiB");
	tap_is_int(diff_change_of(d, diff_key_category(KIND_HEAP), NULL),
		   DIFF_GREW, "so did its category");
	tap_is_int(diff_change_of(d, diff_key_region(KIND_ANON, C), &delta),
		   DIFF_NEW, "C is new");
	tap_is_int(delta, 32, "new: delta is its size");
	tap_is_int(diff_change_of(d, diff_key_region(KIND_ANON, A), NULL),
		   DIFF_NONE, "A did not change");
	tap_is_int(diff_change_of(d, diff_key_category(KIND_ANON), &delta),
		   DIFF_GREW, "anon: +32 -16 KiB");
	tap_is_int(delta, 16, "anon delta");
	n = diff_gone_list(d, &g);
	tap_is_int(n, 1, "one node went away");
	tap_ok(n && g[0].region && g[0].start == B && g[0].end == B + 0x4000 &&
		       g[0].vsz_kib == 16 && g[0].kind == KIND_ANON,
	       "it is region B, with its range, kind and size");

	update(d, 2);
	tap_is_int(diff_change_of(d, diff_key_region(KIND_ANON, A), &delta),
		   DIFF_SHRANK, "same size, less RSS: shrank");
	tap_is_int(delta, -60, "by 60 KiB of RSS");
	tap_is_int(diff_change_of(d, diff_key_region(KIND_HEAP, HEAP), NULL),
		   DIFF_GREW, "a mark lasts keep updates");
	tap_is_int(diff_gone_list(d, &g), 1, "so does a gone entry");

	update(d, 3);
	tap_is_int(diff_change_of(d, diff_key_region(KIND_HEAP, HEAP), NULL),
		   DIFF_NONE, "and then goes");
	tap_is_int(diff_gone_list(d, &g), 0, "the gone entry too");
	tap_is_int(diff_change_of(d, 12345, NULL), DIFF_NONE,
		   "unknown key: no mark");
	diff_free(d);
}

/* A baseline: marks compare with it, however many updates later, and
 * the gone list is what it had and the last update has not. */
static void test_baseline(void)
{
	struct diff *d = diff_new(1);
	const struct diff_gone *g;
	int64_t delta;
	size_t n;

	tap_is_int(diff_baseline_set(d, 1000.0), -EAGAIN,
		   "no baseline before the first update");
	update(d, 0);
	tap_is_int(diff_baseline_set(d, 1000.5), 0, "baseline set");
	tap_ok(diff_baseline_time(d) == 1000.5, "its time is kept");
	tap_is_int(diff_change_of(d, diff_key_region(KIND_HEAP, HEAP), NULL),
		   DIFF_NONE, "nothing changed since the baseline yet");
	tap_is_int(diff_gone_list(d, &g), 0, "nothing gone yet");
	update(d, 1);
	update(d, 2);
	update(d, 3);
	/* keep is 1: without the baseline these marks would be gone */
	tap_is_int(diff_change_of(d, diff_key_region(KIND_HEAP, HEAP), &delta),
		   DIFF_GREW, "3 updates later the heap grew since the baseline");
	tap_is_int(delta, 12, "by 12 KiB");
	tap_is_int(diff_change_of(d, diff_key_region(KIND_ANON, C), &delta),
		   DIFF_NEW, "C is new since the baseline");
	tap_is_int(delta, 32, "its size");
	tap_is_int(diff_change_of(d, diff_key_region(KIND_ANON, A), &delta),
		   DIFF_SHRANK, "A's RSS shrank since the baseline");
	tap_is_int(delta, -60, "by 60 KiB");
	tap_is_int(diff_change_of(d, diff_key_category(KIND_ANON), &delta),
		   DIFF_GREW, "anon since the baseline: +32 -16 KiB of VSZ");
	tap_is_int(delta, 16, "anon delta since the baseline");
	n = diff_gone_list(d, &g);
	tap_is_int(n, 1, "one node of the baseline is gone");
	tap_ok(n && g[0].region && g[0].start == B && g[0].vsz_kib == 16,
	       "region B, with its size");
	diff_baseline_clear(d);
	tap_ok(diff_baseline_time(d) == 0, "cleared");
	tap_is_int(diff_change_of(d, diff_key_region(KIND_HEAP, HEAP), NULL),
		   DIFF_NONE, "marks are per refresh again");
	tap_is_int(diff_gone_list(d, &g), 0, "and so is the gone list");
	update(d, 0);
	update(d, 1);
	n = diff_gone_list(d, &g);
	tap_ok(n == 1 && g[0].start == B, "B went away since the last one");
	diff_free(d);
}

static void test_carry(void)
{
	struct vmmap *src = layout(1), *dst = vmmap_new(100);
	struct region *r;
	size_t n;

	set_smaps(src, &src->regions[0], 12, false);
	set_smaps(src, &src->regions[1], 40, true);
	src->rollup_rss_kib = 77;
	/* what the smaps reader lists beside the counters: huge pages of
	 * region 0, MAP_NORESERVE of region 1, and of resized C */
	*vmmap_add_hugetlb(src) = (struct region_hugetlb){
		src->regions[0].start, 2048, 0 };
	vmmap_add_noreserve(src, src->regions[1].start);
	vmmap_add_noreserve(src, C);
	/* dst: the same regions without smaps, C resized, a new region D */
	for (size_t i = 0; i < src->nregions; i++) {
		const struct region *s = &src->regions[i];

		bare(dst, s, s->start == C ? s->end + 0x1000 : s->end);
	}
	r = vmmap_add_region(dst);
	r->start = 0x7f2000000000;
	r->end = 0x7f2000001000;
	memcpy(r->perms, "rw-p", 4);
	r->path = "";
	n = diff_carry_smaps(dst, src);
	tap_is_int(n, 3, "heap, A and libc matched; resized C did not");
	tap_ok(dst->regions[0].has_smaps && !dst->regions[0].sm &&
		       region_sm(&dst->regions[0], SM_RSS) == 12 &&
		       region_kib(dst->regions[0].dirty_kib) == 12,
	       "compact counters carried");
	tap_ok(dst->regions[1].has_smaps && dst->regions[1].sm &&
		       region_sm(&dst->regions[1], SM_RSS) == 40 &&
		       region_sm(&dst->regions[1], SM_SIZE) == 64,
	       "every counter carried when src kept them all");
	tap_is_str(region_vmflags(&dst->regions[1]), FLAGS, "vmflags carried");
	tap_ok(dst->regions[1].sm != src->regions[1].sm &&
		       region_vmflags(&dst->regions[1]) !=
			       region_vmflags(&src->regions[1]),
	       "into dst's own storage");
	tap_ok(!dst->regions[2].has_smaps, "a resized region has no smaps");
	tap_ok(!dst->regions[4].has_smaps, "a new region has no smaps");
	tap_is_int((long long)dst->rollup_rss_kib, 77, "rollup carried");
	tap_ok(dst->nhugetlb == 1 &&
		       vmmap_hugetlb_of(dst, dst->regions[0].start) &&
		       vmmap_hugetlb_of(dst, dst->regions[0].start)
				       ->shared_kib == 2048,
	       "huge pages carried");
	tap_ok(dst->nnoreserve == 1 &&
		       vmmap_is_noreserve(dst, dst->regions[1].start) &&
		       !vmmap_is_noreserve(dst, C),
	       "MAP_NORESERVE carried, not for a resized region");
	vmmap_free(src);
	vmmap_free(dst);
}

int main(void)
{
	test_keys();
	test_marks();
	test_baseline();
	test_carry();
	return tap_done();
}
