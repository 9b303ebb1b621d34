/* Unit tests of compare on hand-built trees: rows aligned by cause (not
 * by address or thread ID), per-process figures, differences, order, the
 * summary's words; and on two classified layouts (vmmapfix). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/compare.h"
#include "vmtop/compareout.h"
#include "vmtop/diff.h"
#include "vmtop/maptree.h"
#include "vmtop/xalloc.h"

#define MIB 1024u

/* A hand-built tree: at most 8 categories of at most 16 groups. */
struct fake {
	struct maptree t;
	struct maptree_category cats[8];
	struct maptree_group groups[8][16];
	struct region regions[64];
	const struct region *rptr[64];
	size_t nregions;
};

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->t.categories = f->cats;
	f->t.has_smaps = true;
}

static struct maptree_category *fake_cat(struct fake *f,
					 enum region_kind kind)
{
	for (size_t k = 0; k < f->t.ncategories; k++)
		if (f->cats[k].kind == kind)
			return &f->cats[k];
	f->cats[f->t.ncategories].kind = kind;
	f->cats[f->t.ncategories].groups = f->groups[f->t.ncategories];
	return &f->cats[f->t.ncategories++];
}

static void add_totals(struct maptree_totals *t, uint64_t vsz, uint64_t rss,
		       uint64_t resv, size_t regions)
{
	t->vsz_kib += vsz;
	t->rss_kib += rss;
	t->reserved_kib += resv;
	t->regions += regions;
}

/* A group of one region (two with a guard, for thread stacks). */
static struct maptree_group *fake_group(struct fake *f,
					enum region_kind kind,
					const char *name, uint64_t vsz,
					uint64_t rss, uint64_t resv,
					bool guard)
{
	struct maptree_category *c = fake_cat(f, kind);
	struct maptree_group *g = &c->groups[c->ngroups++];
	size_t n = guard ? 2 : 1;

	g->name = name;
	g->kind = kind;
	g->regions = &f->rptr[f->nregions];
	for (size_t k = 0; k < n; k++) {
		struct region *r = &f->regions[f->nregions];

		r->kind = kind;
		r->tags = guard && k == 0 ? TAG_GUARD : 0;
		f->rptr[f->nregions++] = r;
	}
	g->nregions = n;
	add_totals(&g->t, vsz, rss, resv, n);
	add_totals(&c->t, vsz, rss, resv, n);
	add_totals(&f->t.totals, vsz, rss, resv, n);
	return g;
}

/* The reference: 1 arena, 1 thread, libc, a heap. */
static void small(struct fake *f)
{
	fake_init(f);
	fake_group(f, KIND_BINARY, "/usr/bin/a", 100, 80, 0, false);
	fake_group(f, KIND_LIBRARY, "/lib/libc.so.6", 2000, 1000, 0, false);
	fake_group(f, KIND_HEAP, "", 132, 100, 0, false);
	fake_group(f, KIND_ARENA, "arena 0x7f0000000000", 64 * MIB, 200,
		   64 * MIB - 132, false);
	fake_group(f, KIND_THREAD_STACK, "tid 101", 8 * MIB + 4, 12, 4, true);
}

/* 4 more arenas, 4 more stacks (one unowned pair of them), two more
 * libraries, other addresses and thread IDs. */
static void big(struct fake *f)
{
	static const char *const arenas[] = {
		"arena 0x7e0000000000", "arena 0x7e0004000000",
		"arena 0x7e0008000000", "arena 0x7e000c000000",
		"arena 0x7e0010000000",
	};
	static const char *const tids[] = { "tid 201", "tid 202", "tid 203",
					    "tid 204" };

	fake_init(f);
	fake_group(f, KIND_BINARY, "/usr/bin/b", 100, 80, 0, false);
	fake_group(f, KIND_LIBRARY, "/lib/libc.so.6", 2000, 1000, 0, false);
	fake_group(f, KIND_LIBRARY, "/lib/libfoo.so", 1500, 100, 0, false);
	fake_group(f, KIND_LIBRARY, "/lib/libbar.so", 548, 100, 0, false);
	fake_group(f, KIND_HEAP, "", 132, 100, 0, false);
	for (int k = 0; k < 5; k++)
		fake_group(f, KIND_ARENA, arenas[k], 64 * MIB, 200,
			   64 * MIB - 132, false);
	for (int k = 0; k < 4; k++)
		fake_group(f, KIND_THREAD_STACK, tids[k], 8 * MIB + 4, 12, 4,
			   true);
	/* one cached stack with no thread: still a thread stack */
	fake_group(f, KIND_THREAD_STACK, "unowned", 8 * MIB + 4, 0, 4, true);
}

static const struct compare_row *row_of(const struct compare *c,
					enum region_kind kind,
					const char *group)
{
	uint64_t key = group ? diff_key_group(kind, group) :
			       diff_key_category(kind);

	for (size_t r = 0; r < c->nrows; r++)
		if (c->rows[r].key == key)
			return &c->rows[r];
	return NULL;
}

static void test_aligned(void)
{
	static struct fake a, b;
	struct compare_input in[2] = { { &a.t, "small" }, { &b.t, "big" } };
	struct compare *c;
	const struct compare_row *r;
	int64_t sum = 0;

	small(&a);
	big(&b);
	tap_is_int(compare_build(in, 2, &c), 0, "two trees compare");
	r = row_of(c, KIND_ARENA, NULL);
	tap_ok(r && r->cells[0].count == 1 && r->cells[1].count == 5,
	       "arenas are counted, 1 against 5, whatever their addresses");
	tap_ok(r && r->diff_kib == 4 * 64 * MIB, "arenas differ by 256 MiB");
	tap_ok(!row_of(c, KIND_ARENA, "arena 0x7e0000000000"),
	       "no row per arena address");
	r = row_of(c, KIND_THREAD_STACK, NULL);
	tap_ok(r && r->cells[0].count == 1 && r->cells[1].count == 5,
	       "thread stacks counted by stack (guards and unowned too)");
	tap_ok(r && r->diff_kib == 4 * (8 * MIB + 4),
	       "thread stacks differ by 4 stacks");
	r = row_of(c, KIND_BINARY, NULL);
	tap_ok(r && r->cells[0].present && r->cells[1].present &&
		       r->diff_kib == 0,
	       "the executables are one row whatever their paths");
	r = row_of(c, KIND_LIBRARY, "/lib/libfoo.so");
	tap_ok(r && !r->cells[0].present && r->cells[1].present &&
		       r->cells[1].vsz_kib == 1500 && r->diff_kib == 1500,
	       "a library of one side only: its own row");
	r = row_of(c, KIND_LIBRARY, "/lib/libc.so.6");
	tap_ok(r && r->cells[0].present && r->diff_kib == 0,
	       "libc, in both, aligned by path");
	tap_ok(!row_of(c, KIND_HEAP, ""), "the heap has no group row");
	tap_ok(c->rows[0].kind == KIND_ARENA && !c->rows[0].parent,
	       "the largest difference first");
	r = row_of(c, KIND_LIBRARY, NULL);
	tap_ok(r && r->cells[1].count == 3 && r->cells[0].count == 1,
	       "libraries counted: 1 against 3");
	for (size_t k = 0; k < c->nrows; k++)
		if (!c->rows[k].parent)
			sum += c->rows[k].diff_kib;
	tap_is_int(sum, c->totals[1].diff_kib,
		   "the kinds' differences add up to the VSZ difference");
	tap_is_str(c->summary,
		   "big maps 290 MiB more than small: 4 glibc arenas 256 MiB, "
		   "4 thread stacks 32.0 MiB, 2 shared libraries 2 MiB "
		   "(libfoo.so, libbar.so)",
		   "the summary names the causes in words");
	compare_free(c);
}

static void test_reverse_and_same(void)
{
	static struct fake a, b;
	struct compare_input in[3] = { { &b.t, "big" }, { &a.t, "small" },
				       { &b.t, "twin" } };
	struct compare *c;

	small(&a);
	big(&b);
	tap_is_int(compare_build(in, 3, &c), 0, "three trees compare");
	tap_ok(strstr(c->summary, "small maps 290 MiB less than big: "
				  "4 glibc arenas 256 MiB") != NULL,
	       "less, when the first is larger");
	tap_ok(strstr(c->summary, "twin maps as much as big") != NULL,
	       "the same, said");
	tap_ok(c->totals[2].diff_kib == 0 && c->totals[1].diff_kib < 0,
	       "per process differences");
	compare_free(c);
	tap_is_int(compare_build(in, 1, &c), -EINVAL, "one tree: EINVAL");
	in[1].t = NULL;
	tap_is_int(compare_build(in, 2, &c), -EINVAL, "a NULL tree: EINVAL");
}

/* Both ways with opposite signs: the words say what goes the other way. */
static void test_mixed(void)
{
	static struct fake a, b;
	struct compare_input in[2] = { { &a.t, "a" }, { &b.t, "b" } };
	struct compare *c;

	fake_init(&a);
	fake_init(&b);
	fake_group(&a, KIND_ANON, "", 10 * MIB, 0, 0, false);
	fake_group(&a, KIND_LIBRARY, "/lib/libx.so", 2 * MIB, 0, 0, false);
	fake_group(&b, KIND_ANON, "", 20 * MIB, 0, 0, false);
	b.t.has_smaps = false;
	tap_is_int(compare_build(in, 2, &c), 0, "mixed compare");
	tap_is_str(c->summary,
		   "b maps 8 MiB more than a: anonymous memory 10 MiB; "
		   "less: 1 shared library 2 MiB (libx.so)",
		   "both directions in words");
	tap_ok(c->totals[1].rss_kib == VMMAP_UNKNOWN &&
		       c->rows[0].cells[1].rss_kib == VMMAP_UNKNOWN,
	       "RSS unknown without smaps");
	compare_free(c);
}

/* Classified layouts: a C program against the same with four arenas. */
static void test_classified(void)
{
	struct vmmap *m1 = vmmapfix_c_program(), *m2 = vmmapfix_four_arenas();
	struct maptree *t1, *t2;
	struct compare_input in[2] = { { NULL, "c" }, { NULL, "four" } };
	struct compare *c;
	const struct compare_row *r;
	struct strbuf sb = STRBUF_INIT;
	pid_t pids[2] = { 1, 2 };

	vmmapfix_classify(m1);
	vmmapfix_classify(m2);
	in[0].t = t1 = maptree_build(m1);
	in[1].t = t2 = maptree_build(m2);
	tap_is_int(compare_build(in, 2, &c), 0, "classified trees compare");
	r = row_of(c, KIND_ARENA, NULL);
	tap_ok(r && r->cells[1].count == t2->arenas.count &&
		       r->cells[0].count == t1->arenas.count,
	       "arena counts are the trees' (%u, %u)", t1->arenas.count,
	       t2->arenas.count);
	tap_ok(c->totals[1].diff_kib == (int64_t)t2->totals.vsz_kib -
						(int64_t)t1->totals.vsz_kib,
	       "total difference is the trees'");
	strbuf_init(&sb, 256);
	compareout_json(&sb, c, pids);
	tap_ok(strncmp(sb.buf, "{\"processes\":[{\"pid\":1,", 22) == 0 &&
		       strstr(sb.buf, "\"kind\":\"arena\",\"group\":null,"
				      "\"merged\":true") != NULL,
	       "JSON has processes and merged rows");
	strbuf_reset(&sb);
	compareout_text(&sb, c, pids);
	tap_ok(strstr(sb.buf, "glibc arenas") && strstr(sb.buf, "DIFF"),
	       "text has the table");
	strbuf_release(&sb);
	compare_free(c);
	maptree_free(t1);
	maptree_free(t2);
	vmmap_free(m1);
	vmmap_free(m2);
}

int main(void)
{
	test_aligned();
	test_reverse_and_same();
	test_mixed();
	test_classified();
	return tap_done();
}
