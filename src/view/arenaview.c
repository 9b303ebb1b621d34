/* arenaview: the main arena and one row per glibc arena. */
#include "config.h"

#include "vmtop/arenaview.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/insights.h"
#include "vmtop/mapdetail.h"

enum { COL_BASE, COL_HEAPS, COL_VSZ, COL_RESV, COL_COMMIT, COL_RSS,
       COL_VERIFIED, NCOLS };

#define MAIN_TAG 1

static const struct treeview_column arenaview_cols[NCOLS] = {
	[COL_BASE] = { "BASE", 14, false, false },
	[COL_HEAPS] = { "HEAPS", 5, false, true, NULL, 1 },
	[COL_VSZ] = { "VSZ", 6, false, true },
	[COL_RESV] = { "RESV", 6, false, true },
	[COL_COMMIT] = { "COMMIT", 6, false, true },
	[COL_RSS] = { "RSS", 6, false, true },
	[COL_VERIFIED] = { "VERIFIED", 8, true, true, NULL, 2 },
};

static uint64_t arenaview_rss(const struct region *r)
{
	return region_sm(r, SM_RSS);
}

static void arenaview_build(struct treeview *tv, void *arg)
{
	const struct maptree *t = pipeline_tree(arg);
	const struct maptree_arenas *as;
	struct treeview_item *it;

	if (!t)
		return;
	as = &t->arenas;
	if (as->main_heap) {
		const struct region *h = as->main_heap;

		it = treeview_add(tv, 0, MAIN_TAG, "main arena ([heap], brk)",
				  h);
		it->num[COL_BASE] = h->start;
		it->num[COL_VSZ] = it->num[COL_COMMIT] =
			(h->end - h->start) / 1024;
		it->num[COL_RSS] = arenaview_rss(h);
	}
	for (unsigned a = 0; a < as->count; a++) {
		const struct maptree_arena *ar = &as->items[a];

		it = treeview_add(tv, 0, ar->base + 2, "arena", ar);
		it->num[COL_BASE] = ar->base;
		it->num[COL_HEAPS] = ar->heaps;
		it->num[COL_VSZ] = ar->vsz_kib;
		it->num[COL_RESV] = ar->vsz_kib - ar->committed_kib;
		it->num[COL_COMMIT] = ar->committed_kib;
		it->num[COL_RSS] = ar->rss_kib;
		it->num[COL_VERIFIED] = ar->verified;
	}
}

static void arenaview_cell(const struct treeview_item *it, int col,
			   char *buf, size_t size, void *arg)
{
	bool is_main = it->tag == MAIN_TAG;

	(void)arg;
	if (col == COL_BASE)
		snprintf(buf, size, "%012" PRIx64, it->num[col]);
	else if (is_main && (col == COL_VERIFIED || col == COL_HEAPS))
		snprintf(buf, size, "-");
	else if (col == COL_VERIFIED)
		snprintf(buf, size, "%s", it->num[col] ? "yes" : "by shape");
	else if (col == COL_HEAPS)
		snprintf(buf, size, "%" PRIu64, it->num[col]);
	else if (it->num[col] == VMMAP_UNKNOWN)
		snprintf(buf, size, "-");
	else
		fmt_kib(buf, size, it->num[col]);
}

struct treeview *arenaview_new(struct pipeline *s)
{
	struct treeview *tv = treeview_new(arenaview_cols, NCOLS, "ARENA",
					   COL_BASE, false, arenaview_build,
					   arenaview_cell, s);

	treeview_set_flat(tv, true); /* one level: no fold markers */
	return tv;
}

void arenaview_cap(const struct maptree *t, char *buf, size_t size)
{
	const struct maptree_arenas *as = &t->arenas;
	const struct vmmap *m = t->m;
	const char *src = as->arena_max ? as->arena_max : "unknown";

	if (!strcmp(src, "MALLOC_ARENA_MAX"))
		snprintf(buf, size, "set by MALLOC_ARENA_MAX=%d",
			 m->env.arena_max);
	else if (!strcmp(src, "GLIBC_TUNABLES"))
		snprintf(buf, size,
			 "set by GLIBC_TUNABLES glibc.malloc.arena_max=%d",
			 m->env.tunable_arena_max);
	else if (!strcmp(src, "default"))
		snprintf(buf, size,
			 "glibc's default, 8 x %d online CPUs "
			 "(MALLOC_ARENA_MAX lowers it)", m->online_cpus);
	else
		snprintf(buf, size, "8 x %d online CPUs assumed: the "
			 "environment is not readable", m->online_cpus);
}

const char *arenaview_why_none(const struct maptree *t)
{
	const struct maptree_runtime *rt = &t->runtime;
	bool go = rt->language && !strcmp(rt->language, "Go");

	if (go && rt->is_static == 1)
		return "No glibc malloc arenas: a static Go program has no "
		       "glibc malloc; its memory is the Go heap and the Go "
		       "runtime's reservations.";
	if (go)
		return "No glibc malloc arenas yet: with cgo, each thread that "
		       "calls malloc gets one, up to the cap.";
	if (rt->is_static == 1)
		return "No glibc malloc arenas: the program is statically "
		       "linked, and none of its mappings has the shape of a "
		       "glibc arena (its allocator may not be glibc's).";
	if (!t->arenas.main_heap)
		return "No glibc malloc arenas and no [heap]: nothing has "
		       "been allocated with glibc's malloc, or the allocator "
		       "is another one.";
	return "No glibc malloc arenas besides the main one ([heap]): only "
	       "one thread has called malloc so far, or the cap is 1.";
}

int arenaview_header(const struct pipeline *s, int y, int width, int max)
{
	const struct maptree *t = pipeline_tree(s);
	const struct maptree_arenas *as;
	char line[512], cap[160], r[32], c[32];
	int rows;

	if (!t)
		return 0;
	as = &t->arenas;
	if (as->count == 0)
		return mapdetail_wrap(y, width, max, arenaview_why_none(t),
				      SCREEN_STATUS);
	snprintf(line, sizeof(line),
		 "%u glibc malloc arena%s besides the main one (%u verified "
		 "by their heap_info): %s reserved (PROT_NONE), %s committed.",
		 as->count, as->count == 1 ? "" : "s", as->verified,
		 fmt_size(r, sizeof(r), as->reserved_kib, FMT_SIZE_WORDS),
		 fmt_size(c, sizeof(c), as->committed_kib, FMT_SIZE_WORDS));
	rows = mapdetail_wrap(y, width, max, line, SCREEN_STATUS);
	arenaview_cap(t, cap, sizeof(cap));
	snprintf(line, sizeof(line),
		 "Cap: %d arenas, the main one included; %s.", as->limit, cap);
	return rows + mapdetail_wrap(y + rows, width, max - rows, line,
				     SCREEN_STATUS);
}
