/* Unit tests of maptree_build() and insights on hand-built layouts. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/insights.h"
#include "vmtop/maptree.h"
#include "vmtop/xalloc.h"

static struct maptree *build(struct vmmap *m)
{
	vmmapfix_classify(m);
	return maptree_build(m);
}

/* Every region in exactly one leaf, in address order; sorted nodes. */
static void check_shape(const struct maptree *t, const char *what)
{
	const struct vmmap *m = t->m;
	unsigned *seen = calloc(m->nregions + 1, sizeof(*seen));
	bool order = true, sorted = true, once = true;

	for (size_t c = 0; c < t->ncategories; c++) {
		const struct maptree_category *cat = &t->categories[c];

		if (c && cat->t.vsz_kib > t->categories[c - 1].t.vsz_kib)
			sorted = false;
		for (size_t g = 0; g < cat->ngroups; g++) {
			const struct maptree_group *gr = &cat->groups[g];

			if (g && gr->t.vsz_kib > cat->groups[g - 1].t.vsz_kib)
				sorted = false;
			for (size_t k = 0; k < gr->nregions; k++) {
				seen[gr->regions[k] - m->regions]++;
				if (k && gr->regions[k]->start <
						 gr->regions[k - 1]->start)
					order = false;
				if (gr->regions[k]->kind != cat->kind)
					order = false;
			}
		}
	}
	for (size_t i = 0; i < m->nregions; i++)
		once &= seen[i] == 1;
	tap_ok(once, "%s: every region in exactly one leaf", what);
	tap_ok(order, "%s: regions by address, under their kind", what);
	tap_ok(sorted, "%s: categories and groups by vsz descending", what);
	free(seen);
}

static void check_totals(const struct maptree *t, const char *what)
{
	const struct vmmap *m = t->m;
	uint64_t vsz = 0, rss = 0, res = 0;
	size_t n = 0;

	for (size_t c = 0; c < t->ncategories; c++) {
		vsz += t->categories[c].t.vsz_kib;
		rss += t->categories[c].t.rss_kib;
		n += t->categories[c].t.regions;
	}
	for (size_t i = 0; i < m->nregions; i++)
		if (memcmp(m->regions[i].perms, "---p", 4) == 0)
			res += (m->regions[i].end - m->regions[i].start) / 1024;
	tap_is_int((long long)vsz, (long long)m->status_vmsize_kib,
		   "categories add up to VmSize");
	tap_is_int((long long)t->totals.vsz_kib, (long long)vsz, "totals vsz");
	tap_is_int((long long)rss, (long long)m->rollup_rss_kib,
		   "rss adds up to smaps_rollup");
	tap_is_int((long long)t->totals.reserved_kib, (long long)res,
		   "reserved is the ---p size");
	tap_is_int((long long)n, (long long)m->nregions, "region count");
	check_shape(t, what);
}

static const struct maptree_insight *insight(const struct maptree *t,
					     const char *id)
{
	for (size_t k = 0; k < t->ninsights; k++)
		if (strcmp(t->insights[k].id, id) == 0)
			return &t->insights[k];
	return NULL;
}

static void test_c_arenas_threads(const struct maptree *t)
{
	const struct maptree_arenas *as = &t->arenas;

	tap_is_int(as->count, 3, "3 arenas");
	tap_is_int(as->verified, 2, "2 verified");
	tap_is_int(as->limit, 16, "limit");
	tap_is_str(as->arena_max, "default", "limit source");
	tap_is_int((long long)as->items[0].base, 0x7f0000000000, "A's base");
	tap_is_int(as->items[0].heaps, 2, "A has 2 heaps");
	tap_is_int((long long)as->items[0].committed_kib, 132 + 1024,
		   "A's committed part");
	tap_is_int((long long)as->items[1].base, 0x7f0008000000,
		   "B's base is its first heap, not the lower continuation");
	tap_is_int((long long)as->items[1].vsz_kib, 128 * 1024, "B's vsz");
	tap_is_int((long long)as->committed_kib, 86516, "committed in all");
	tap_ok(as->main_heap && as->main_heap->start == 0x55d0c1000000,
	       "[heap] is the main arena");
	tap_is_int((long long)t->nthreads, 4, "4 threads");
	tap_ok(t->threads[0].has_stack &&
		       t->threads[0].stack_start == 0x7ffc00000000,
	       "main thread: [stack]");
	tap_ok(t->threads[1].has_stack &&
		       t->threads[1].stack_start == 0x7f0020001000 &&
		       t->threads[1].stack_end == 0x7f0020801000 &&
		       t->threads[1].guard_kib == 4,
	       "tid 101: 8 MiB stack, 4 KiB guard");
	tap_ok(t->threads[3].has_stack &&
		       t->threads[3].stack_start == 0x7f0021003000 &&
		       t->threads[3].guard_kib == 4,
	       "tid 103, running when read: the stack no SP claimed");
}

static void test_c_program(void)
{
	struct vmmap *m = vmmapfix_c_program();
	struct maptree *t;
	const struct maptree_insight *in;

	t = build(m);
	check_totals(t, "C program");
	tap_is_int(t->categories[0].kind, KIND_ARENA, "arenas come first");
	test_c_arenas_threads(t);
	tap_is_str(t->runtime.language, "C", "language");
	tap_is_int(t->runtime.cgo, -1, "cgo: not Go");
	tap_ok(t->resolver.nscd, "nscd cache seen");
	tap_is_int((long long)t->resolver.regions, 4,
		   "dns regions: 3 of libnss_systemd, the nscd cache");
	tap_ok(t->resolver.nmodules == 1 &&
		       strstr(t->resolver.modules[0], "libnss_systemd"),
	       "resolver module");
	tap_is_str(t->insights[0].id, "arenas", "largest insight: arenas");
	tap_is_str(t->insights[0].text,
		   "3 glibc malloc arenas map 320 MiB (largest 128 MiB; "
		   "236 MiB reserved, 84.5 MiB committed); MALLOC_ARENA_MAX=1 "
		   "would remove them",
		   "arena insight");
	in = insight(t, "thread_stacks");
	tap_is_str(in ? in->text : NULL,
		   "3 thread stacks map 24.0 MiB (8 MiB each; 24 MiB "
		   "committed, 24 MiB resident); "
		   "ulimit -s or pthread_attr_setstacksize() sets their size",
		   "stack insight");
	tap_ok(insight(t, "libraries") && insight(t, "anon_large"),
	       "library and large-anon insights");
	for (size_t k = 1; k < t->ninsights; k++)
		tap_ok(t->insights[k].kib <= t->insights[k - 1].kib,
		       "insight %zu not larger than the one before", k);
	maptree_free(t);
	vmmap_free(m);
}

static void test_four_arenas(void)
{
	struct vmmap *m = vmmapfix_four_arenas();
	struct maptree *t = build(m);

	check_totals(t, "four arenas");
	tap_is_str(t->ninsights ? t->insights[0].text : NULL,
		   "4 glibc malloc arenas map 256 MiB (64 MiB each; 255 MiB "
		   "reserved, 528 KiB committed); MALLOC_ARENA_MAX=1 would "
		   "remove them",
		   "the DESIGN.md example sentence");
	maptree_free(t);
	vmmap_free(m);
	m = vmmapfix_four_arenas();
	m->env.arena_max = 5;
	t = build(m);
	tap_is_str(t->ninsights ? t->insights[0].text : NULL,
		   "4 glibc malloc arenas map 256 MiB (64 MiB each; 255 MiB "
		   "reserved, 528 KiB committed; the cap of 5 is reached); "
		   "MALLOC_ARENA_MAX=1 would remove them",
		   "the insight says when the cap is reached");
	maptree_free(t);
	vmmap_free(m);
}

static void test_go(void)
{
	struct vmmap *m = vmmapfix_go_program();
	struct maptree *t = build(m);

	check_totals(t, "Go program");
	tap_is_str(t->runtime.language, "Go", "language Go");
	tap_is_str(t->runtime.go_version, "go1.19.8", "go version");
	tap_is_int(t->runtime.cgo, 0, "no cgo");
	tap_is_int(t->runtime.is_static, 1, "static");
	tap_is_str(t->runtime.godebug, "netdns=go", "GODEBUG");
	tap_is_str(t->insights[0].id, "go_runtime", "Go insight first");
	tap_ok(!t->threads[1].has_stack &&
		       strstr(t->threads[1].no_stack, "Go heap"),
	       "Go thread's stack is in the Go heap");
	tap_is_int(t->arenas.count, 0, "no arenas");
	maptree_free(t);
	vmmap_free(m);
}

/* The Go program's resolver choice for a build (static or with cgo,
 * -tags) and GODEBUG: "choice by". */
static void resolver_is(bool cgo, const char *tags, const char *godebug,
			const char *want)
{
	struct vmmap *m = vmmapfix_go_program();
	struct maptree *t;
	char got[64], name[160];

	m->exe.is_static = !cgo;
	m->exe.go_cgo = cgo;
	m->exe.go_tags = tags ? xstrdup(tags) : NULL;
	free(m->env.godebug);
	m->env.godebug = godebug ? xstrdup(godebug) : NULL;
	t = build(m);
	snprintf(got, sizeof(got), "%s by %s",
		 t->resolver.go_choice ? t->resolver.go_choice : "null",
		 t->resolver.go_by ? t->resolver.go_by : "null");
	snprintf(name, sizeof(name), "Go resolver: cgo %d, tags %s, %s", cgo,
		 tags ? tags : "none", godebug ? godebug : "no GODEBUG");
	tap_is_str(got, want, name);
	maptree_free(t);
	vmmap_free(m);
}

/* As Go 1.19's net/conf.go decides. */
static void test_go_resolver(void)
{
	struct vmmap *m = vmmapfix_c_program();
	struct maptree *t = build(m);

	tap_ok(!t->resolver.go_choice && !t->resolver.go_by,
	       "a C program has no Go resolver");
	maptree_free(t);
	vmmap_free(m);
	resolver_is(false, NULL, NULL, "go by no_cgo");
	resolver_is(false, NULL, "netdns=cgo", "go by no_cgo");
	resolver_is(true, NULL, NULL, "go_then_cgo by default");
	resolver_is(true, "netcgo", NULL, "cgo by netcgo");
	resolver_is(true, "osusergo,netcgo", NULL, "cgo by netcgo");
	resolver_is(true, "mynetcgo", NULL, "go_then_cgo by default");
	resolver_is(true, "netgo", NULL, "go by netgo");
	resolver_is(false, "netgo", NULL, "go by netgo");
	resolver_is(true, "netgo,netcgo", NULL, "go by netgo");
	resolver_is(true, "netcgo", "netdns=go", "go by GODEBUG");
	resolver_is(true, NULL, "netdns=cgo+2", "cgo by GODEBUG");
	resolver_is(true, NULL, "madvdontneed=1,netdns=1+go", "go by GODEBUG");
	resolver_is(true, NULL, "xnetdns=cgo", "go_then_cgo by default");
}

static void test_no_smaps(void)
{
	struct vmmap *m = vmmapfix_c_program();
	struct maptree *t;

	for (size_t i = 0; i < m->nregions; i++)
		m->regions[i].has_smaps = false;
	t = build(m);
	tap_ok(!t->has_smaps, "no smaps");
	tap_ok(t->totals.rss_kib == VMMAP_UNKNOWN &&
		       t->categories[0].groups[0].t.pss_kib == VMMAP_UNKNOWN,
	       "rss and pss unknown without smaps");
	tap_is_int((long long)t->totals.vsz_kib,
		   (long long)m->status_vmsize_kib, "vsz still adds up");
	maptree_free(t);
	vmmap_free(m);
}

/* Many small anonymous regions, a library interrupted by anonymous
 * memory, and large anonymous regions in two groups when large. */
static struct vmmap *runs(bool large)
{
	struct vmmap *m = vmmap_new(500);
	const char *lib = "/usr/lib/libx.so.1";
	uint64_t a = 0x10000000, l = 0x7f0000000000;

	m->online_cpus = 2;
	m->page_size = 4096;
	m->exe.read = true;
	m->exe.path = xstrdup("/usr/bin/r");
	vmmapfix_region(m, 0x400000, 0x401000, "r--p", "/usr/bin/r");
	for (int k = 0; k < 8; k++, a += 4096)
		vmmapfix_region(m, a, a + 4096, k % 2 ? "r--p" : "rw-p", "");
	if (large) {
		vmmapfix_region(m, 0x20000000, 0x20200000, "rw-p", "[anon:a]");
		vmmapfix_region(m, 0x30000000, 0x30300000, "rw-p", "");
	}
	vmmapfix_region(m, l, l + 0x1000, "r--p", lib);
	vmmapfix_region(m, l + 0x1000, l + 0x3000, "r-xp", lib);
	vmmapfix_region(m, l + 0x10000, l + 0x11000, "rw-p", "");
	vmmapfix_region(m, l + 0x20000, l + 0x21000, "rw-p", lib);
	vmmapfix_finish(m);
	return m;
}

static const struct maptree_group *group(const struct maptree *t,
					 enum region_kind k, const char *name)
{
	for (size_t c = 0; c < t->ncategories; c++)
		for (size_t g = 0; g < t->categories[c].ngroups; g++)
			if (t->categories[c].kind == k &&
			    strcmp(t->categories[c].groups[g].name, name) == 0)
				return &t->categories[c].groups[g];
	return NULL;
}

static void test_runs(void)
{
	struct vmmap *m = runs(true);
	struct maptree *t = build(m);
	const struct maptree_group *g = group(t, KIND_LIBRARY,
					      "/usr/lib/libx.so.1");
	const struct maptree_insight *in = insight(t, "anon_large");

	check_totals(t, "runs");
	tap_ok(g && g->nregions == 3 && g->regions[2]->start ==
					     0x7f0000020000,
	       "a library split by anonymous memory is one group");
	g = group(t, KIND_ANON, "");
	tap_ok(g && g->nregions == 10 && g->t.vsz_kib == 8 * 4 + 3072 + 4,
	       "small and large anonymous regions: one group");
	tap_is_str(in ? in->text : NULL,
		   "2 anonymous mappings of 1 MiB or more hold 5 MiB (largest "
		   "3 MiB at 0x30000000): malloc() blocks above "
		   "M_MMAP_THRESHOLD or the program's own mmap()",
		   "large anonymous regions of two groups");
	maptree_free(t);
	vmmap_free(m);
	m = runs(false);
	t = build(m);
	check_totals(t, "runs, no large region");
	tap_ok(!insight(t, "anon_large"), "no large anonymous region");
	maptree_free(t);
	vmmap_free(m);
}

int main(void)
{
	test_c_program();
	test_four_arenas();
	test_go();
	test_go_resolver();
	test_no_smaps();
	test_runs();
	return tap_done();
}
