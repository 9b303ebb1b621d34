/* mapjson: the "maps" object of vmtop/1 from a maptree.  Keys are written
 * as literals with their separators, as in json.c: at 60 000 regions this
 * is the hot path of `vmtop -b -J -m`. */
#include "config.h"

#include "vmtop/mapjson.h"

#include <stdio.h>

#include "vmtop/json.h"

static void mapjson_totals(struct strbuf *sb, const struct maptree_totals *t)
{
	strbuf_addstr(sb, "\"vsz_kib\":");
	json_u64(sb, t->vsz_kib);
	strbuf_addstr(sb, ",\"reserved_kib\":");
	json_u64(sb, t->reserved_kib);
	strbuf_addstr(sb, ",\"rss_kib\":");
	json_u64(sb, t->rss_kib);
	strbuf_addstr(sb, ",\"pss_kib\":");
	json_u64(sb, t->pss_kib);
	strbuf_addstr(sb, ",\"swap_kib\":");
	json_u64(sb, t->swap_kib);
	strbuf_addstr(sb, ",\"dirty_kib\":");
	json_u64(sb, t->dirty_kib);
	strbuf_addstr(sb, ",\"regions\":");
	json_u64(sb, t->regions);
}

static void mapjson_tags(struct strbuf *sb, unsigned tags)
{
	bool first = true;

	strbuf_addch(sb, '[');
	for (unsigned b = 0; b < TAG__COUNT; b++) {
		if (!(tags & (1u << b)))
			continue;
		if (!first)
			strbuf_addch(sb, ',');
		json_str(sb, maptree_tag_name(1u << b));
		first = false;
	}
	strbuf_addch(sb, ']');
}

static void mapjson_sm(struct strbuf *sb, const char *key,
		       const struct region *r, enum smaps_field f)
{
	strbuf_addstr(sb, key);
	json_u64(sb, r->has_smaps ? r->sm[f] : VMMAP_UNKNOWN);
}

static void mapjson_region(struct strbuf *sb, const struct region *r)
{
	char dev[24];
	uint64_t dirty = VMMAP_UNKNOWN;

	snprintf(dev, sizeof(dev), "%02x:%02x", r->dev_major, r->dev_minor);
	strbuf_addstr(sb, "{\"start\":");
	json_addr(sb, r->start);
	strbuf_addstr(sb, ",\"end\":");
	json_addr(sb, r->end);
	strbuf_addstr(sb, ",\"perms\":");
	json_str_n(sb, r->perms, 4);
	strbuf_addstr(sb, ",\"offset\":");
	json_addr(sb, r->offset);
	strbuf_addstr(sb, ",\"dev\":");
	json_str(sb, dev);
	strbuf_addstr(sb, ",\"inode\":");
	json_u64(sb, r->inode);
	strbuf_addstr(sb, ",\"path\":");
	json_str(sb, r->path);
	strbuf_addstr(sb, ",\"kind\":");
	json_str(sb, maptree_kind_name(r->kind));
	strbuf_addstr(sb, ",\"tags\":");
	mapjson_tags(sb, r->tags);
	if (r->kind == KIND_THREAD_STACK) {
		strbuf_addstr(sb, ",\"tid\":");
		json_u64(sb, (uint64_t)r->tid);
	}
	strbuf_addstr(sb, ",\"vsz_kib\":");
	json_u64(sb, maptree_counts(r) ? (r->end - r->start) / 1024 : 0);
	mapjson_sm(sb, ",\"rss_kib\":", r, SM_RSS);
	mapjson_sm(sb, ",\"pss_kib\":", r, SM_PSS);
	mapjson_sm(sb, ",\"swap_kib\":", r, SM_SWAP);
	if (r->has_smaps && r->sm[SM_PRIVATE_DIRTY] != VMMAP_UNKNOWN &&
	    r->sm[SM_SHARED_DIRTY] != VMMAP_UNKNOWN)
		dirty = r->sm[SM_PRIVATE_DIRTY] + r->sm[SM_SHARED_DIRTY];
	strbuf_addstr(sb, ",\"dirty_kib\":");
	json_u64(sb, dirty);
	strbuf_addch(sb, '}');
}

static void mapjson_group(struct strbuf *sb, const struct maptree_group *g)
{
	strbuf_addstr(sb, "{\"name\":");
	json_str(sb, g->name);
	strbuf_addch(sb, ',');
	mapjson_totals(sb, &g->t);
	strbuf_addstr(sb, ",\"regions\":[");
	for (size_t i = 0; i < g->nregions; i++) {
		if (i)
			strbuf_addch(sb, ',');
		mapjson_region(sb, g->regions[i]);
	}
	strbuf_addstr(sb, "]}");
}

static void mapjson_categories(struct strbuf *sb, const struct maptree *t)
{
	strbuf_addstr(sb, ",\"categories\":[");
	for (size_t c = 0; c < t->ncategories; c++) {
		const struct maptree_category *cat = &t->categories[c];

		strbuf_addstr(sb, c ? ",{\"kind\":" : "{\"kind\":");
		json_str(sb, maptree_kind_name(cat->kind));
		strbuf_addch(sb, ',');
		mapjson_totals(sb, &cat->t);
		strbuf_addstr(sb, ",\"groups\":[");
		for (size_t g = 0; g < cat->ngroups; g++) {
			if (g)
				strbuf_addch(sb, ',');
			mapjson_group(sb, &cat->groups[g]);
		}
		strbuf_addstr(sb, "]}");
	}
	strbuf_addch(sb, ']');
}

static void mapjson_arena(struct strbuf *sb, const struct maptree_arena *a)
{
	strbuf_addstr(sb, "{\"base\":");
	json_addr(sb, a->base);
	strbuf_addstr(sb, ",\"heaps\":");
	json_u64(sb, a->heaps);
	strbuf_addstr(sb, ",\"vsz_kib\":");
	json_u64(sb, a->vsz_kib);
	strbuf_addstr(sb, ",\"committed_kib\":");
	json_u64(sb, a->committed_kib);
	strbuf_addstr(sb, ",\"rss_kib\":");
	json_u64(sb, a->rss_kib);
	strbuf_addstr(sb, ",\"verified\":");
	json_bool(sb, a->verified);
	strbuf_addch(sb, '}');
}

static void mapjson_arenas(struct strbuf *sb, const struct maptree *t)
{
	const struct maptree_arenas *as = &t->arenas;

	strbuf_addstr(sb, ",\"arenas\":{\"count\":");
	json_u64(sb, as->count);
	strbuf_addstr(sb, ",\"verified\":");
	json_u64(sb, as->verified);
	strbuf_addstr(sb, ",\"limit\":");
	json_u64(sb, as->limit > 0 ? (uint64_t)as->limit : VMMAP_UNKNOWN);
	strbuf_addstr(sb, ",\"arena_max\":");
	json_str(sb, as->arena_max);
	strbuf_addstr(sb, ",\"reserved_kib\":");
	json_u64(sb, as->reserved_kib);
	strbuf_addstr(sb, ",\"committed_kib\":");
	json_u64(sb, as->committed_kib);
	strbuf_addstr(sb, ",\"main\":");
	if (as->main_heap) {
		strbuf_addstr(sb, "{\"start\":");
		json_addr(sb, as->main_heap->start);
		strbuf_addstr(sb, ",\"end\":");
		json_addr(sb, as->main_heap->end);
		strbuf_addch(sb, '}');
	} else {
		strbuf_addstr(sb, "null");
	}
	strbuf_addstr(sb, ",\"items\":[");
	for (unsigned a = 0; a < as->count; a++) {
		if (a)
			strbuf_addch(sb, ',');
		mapjson_arena(sb, &as->items[a]);
	}
	strbuf_addstr(sb, "]}");
}

static void mapjson_thread(struct strbuf *sb, const struct maptree_thread *th)
{
	char state[2] = { th->state, '\0' };

	strbuf_addstr(sb, "{\"tid\":");
	json_u64(sb, (uint64_t)th->tid);
	strbuf_addstr(sb, ",\"name\":");
	json_str(sb, th->name);
	strbuf_addstr(sb, ",\"state\":");
	json_str(sb, th->state && th->state != '?' ? state : NULL);
	strbuf_addstr(sb, ",\"stack\":");
	if (th->has_stack) {
		strbuf_addstr(sb, "{\"start\":");
		json_addr(sb, th->stack_start);
		strbuf_addstr(sb, ",\"end\":");
		json_addr(sb, th->stack_end);
		strbuf_addstr(sb, ",\"guard_kib\":");
		json_u64(sb, th->guard_kib);
		strbuf_addch(sb, '}');
	} else {
		strbuf_addstr(sb, "null,\"stack_reason\":");
		json_str(sb, th->no_stack);
	}
	strbuf_addch(sb, '}');
}

static void mapjson_threads(struct strbuf *sb, const struct maptree *t)
{
	strbuf_addstr(sb, ",\"threads\":[");
	for (size_t k = 0; k < t->nthreads; k++) {
		if (k)
			strbuf_addch(sb, ',');
		mapjson_thread(sb, &t->threads[k]);
	}
	strbuf_addch(sb, ']');
}

static void mapjson_resolver(struct strbuf *sb, const struct maptree *t)
{
	const struct maptree_resolver *rs = &t->resolver;

	strbuf_addstr(sb, ",\"resolver\":{\"modules\":[");
	for (size_t k = 0; k < rs->nmodules; k++) {
		if (k)
			strbuf_addch(sb, ',');
		json_str(sb, rs->modules[k]);
	}
	strbuf_addstr(sb, "],\"nscd\":");
	json_bool(sb, rs->nscd);
	strbuf_addstr(sb, ",\"regions\":");
	json_u64(sb, rs->regions);
	strbuf_addch(sb, '}');
}

static void mapjson_tristate(struct strbuf *sb, int v)
{
	if (v < 0)
		strbuf_addstr(sb, "null");
	else
		json_bool(sb, v);
}

static void mapjson_runtime(struct strbuf *sb, const struct maptree *t)
{
	const struct maptree_runtime *rt = &t->runtime;

	strbuf_addstr(sb, ",\"runtime\":{\"language\":");
	json_str(sb, rt->language);
	strbuf_addstr(sb, ",\"go_version\":");
	json_str(sb, rt->go_version);
	strbuf_addstr(sb, ",\"cgo\":");
	mapjson_tristate(sb, rt->cgo);
	strbuf_addstr(sb, ",\"static\":");
	mapjson_tristate(sb, rt->is_static);
	strbuf_addstr(sb, ",\"build_tags\":");
	json_str(sb, rt->build_tags);
	strbuf_addstr(sb, ",\"godebug\":");
	json_str(sb, rt->godebug);
	strbuf_addch(sb, '}');
}

static void mapjson_insights(struct strbuf *sb, const struct maptree *t)
{
	strbuf_addstr(sb, ",\"insights\":[");
	for (size_t k = 0; k < t->ninsights; k++) {
		strbuf_addstr(sb, k ? ",{\"id\":" : "{\"id\":");
		json_str(sb, t->insights[k].id);
		strbuf_addstr(sb, ",\"text\":");
		json_str(sb, t->insights[k].text);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

void mapjson_write(struct strbuf *sb, const struct maptree *t)
{
	strbuf_addstr(sb, "{\"totals\":{");
	mapjson_totals(sb, &t->totals);
	strbuf_addch(sb, '}');
	mapjson_categories(sb, t);
	mapjson_arenas(sb, t);
	mapjson_threads(sb, t);
	mapjson_resolver(sb, t);
	mapjson_runtime(sb, t);
	mapjson_insights(sb, t);
	strbuf_addch(sb, '}');
}
