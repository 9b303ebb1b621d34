/* maptext: the memory-map tree as indented text.
 *
 *   VSZ 1.20G  reserved 900M  RSS 12.0M  PSS 11.0M  swap 0  (345 regions)
 *     arena                 256M  reserved 255M  rss 528K
 *       arena 0x7f35ac000000 64.0M  reserved 63.9M  rss 132K
 *   ...
 *   insights:
 *     - 4 glibc malloc arenas reserve 256 MiB (...)
 */
#include "config.h"

#include "vmtop/maptext.h"

#include <inttypes.h>

#include "vmtop/fmt.h"

static void maptext_size(struct strbuf *sb, const char *label, uint64_t kib)
{
	char buf[16];

	if (kib == VMMAP_UNKNOWN)
		strbuf_addf(sb, "  %s -", label);
	else
		strbuf_addf(sb, "  %s %s", label,
			    fmt_kib(buf, sizeof(buf), kib));
}

static void maptext_totals(struct strbuf *sb, const struct maptree_totals *t)
{
	char buf[16];

	strbuf_addf(sb, "%7s", fmt_kib(buf, sizeof(buf), t->vsz_kib));
	if (t->reserved_kib)
		maptext_size(sb, "reserved", t->reserved_kib);
	if (t->rss_kib != VMMAP_UNKNOWN) {
		maptext_size(sb, "rss", t->rss_kib);
		maptext_size(sb, "pss", t->pss_kib);
		if (t->swap_kib)
			maptext_size(sb, "swap", t->swap_kib);
	}
	if (t->hugetlb_kib)
		maptext_size(sb, "hugetlb", t->hugetlb_kib);
	strbuf_addf(sb, "  (%zu region%s)\n", t->regions,
		    t->regions == 1 ? "" : "s");
}

/* "  name" padded to a column of 40 terminal columns, made printable. */
static void maptext_name(struct strbuf *sb, int indent, const char *name)
{
	size_t before = sb->len;

	strbuf_addf(sb, "%*s", indent, "");
	fmt_printable_str(sb, name);
	strbuf_addch(sb, ' ');
	fmt_pad(sb, before, 40);  /* by display width: wide names align */
}

static void maptext_region(struct strbuf *sb, const struct region *r)
{
	char buf[16];

	strbuf_addf(sb, "      %012" PRIx64 "-%012" PRIx64 " %.4s %7s",
		    r->start, r->end, r->perms,
		    fmt_kib(buf, sizeof(buf), (r->end - r->start) / 1024));
	if (r->has_smaps && r->rss_kib != VMMAP_KIB_UNKNOWN)
		maptext_size(sb, "rss", r->rss_kib);
	for (unsigned b = 0; b < TAG__COUNT; b++)
		if (r->tags & (1u << b))
			strbuf_addf(sb, " [%s]", maptree_tag_name(1u << b));
	if (r->reason && r->reason[0])
		strbuf_addf(sb, "  %s", r->reason);
	strbuf_addch(sb, '\n');
}

static void maptext_group(struct strbuf *sb, const struct maptree_group *g,
			  unsigned flags)
{
	if (g->name[0]) {
		maptext_name(sb, 4, g->name);
		maptext_totals(sb, &g->t);
	}
	if (!(flags & MAPTEXT_REGIONS))
		return;
	for (size_t i = 0; i < g->nregions; i++)
		maptext_region(sb, g->regions[i]);
}

static void maptext_summaries(struct strbuf *sb, const struct maptree *t)
{
	const struct maptree_arenas *as = &t->arenas;
	const struct maptree_runtime *rt = &t->runtime;

	strbuf_addf(sb, "arenas: %u (%u verified), limit %d (%s)",
		    as->count, as->verified, as->limit,
		    as->arena_max ? as->arena_max : "unknown");
	if (t->m && vmmap_memory_why(t->m))
		strbuf_addf(sb, "; unverified: %s", vmmap_memory_why(t->m));
	strbuf_addch(sb, '\n');
	strbuf_addf(sb, "threads: %zu\n", t->nthreads);
	if (t->resolver.regions || t->resolver.nscd) {
		strbuf_addf(sb, "resolver: %zu region%s%s", t->resolver.regions,
			    t->resolver.regions == 1 ? "" : "s",
			    t->resolver.nscd ? ", nscd cache" : "");
		for (size_t k = 0; k < t->resolver.nmodules; k++) {
			strbuf_addstr(sb, k ? ", " : ": ");
			fmt_printable_str(sb, t->resolver.modules[k]);
		}
		strbuf_addch(sb, '\n');
	}
	if (rt->language) {
		strbuf_addf(sb, "runtime: %s", rt->language);
		if (rt->go_version) {
			strbuf_addch(sb, ' ');
			fmt_printable_str(sb, rt->go_version);
		}
		if (rt->version) {
			strbuf_addch(sb, ' ');
			fmt_printable_str(sb, rt->version);
		}
		if (rt->cgo >= 0)
			strbuf_addstr(sb, rt->cgo ? ", cgo" : ", no cgo");
		if (rt->is_static >= 0)
			strbuf_addstr(sb, rt->is_static ? ", static" :
							  ", dynamic");
		if (rt->allocator)
			strbuf_addf(sb, ", %s malloc", rt->allocator);
		strbuf_addch(sb, '\n');
	}
}

/* "jvm: G1 17.0.15, hsperfdata read, heap 2.00G max, 380M committed" */
static void maptext_jvm(struct strbuf *sb, const struct vmjvm *j)
{
	char a[16], b[16];

	if (!j->detected)
		return;
	strbuf_addstr(sb, "jvm:");
	if (j->collector[0]) {
		strbuf_addch(sb, ' ');
		fmt_printable_str(sb, j->collector);
	}
	if (j->version[0]) {
		strbuf_addch(sb, ' ');
		fmt_printable_str(sb, j->version);
	}
	strbuf_addstr(sb, j->perf_err == 0 ? ", hsperfdata read" :
					     ", no hsperfdata");
	if (j->heap_max != VMMAP_UNKNOWN && j->heap_capacity != VMMAP_UNKNOWN)
		strbuf_addf(sb, ", heap %s max, %s committed",
			    fmt_kib(a, sizeof(a), j->heap_max / 1024),
			    fmt_kib(b, sizeof(b), j->heap_capacity / 1024));
	strbuf_addch(sb, '\n');
}

void maptext_write(struct strbuf *sb, const struct maptree *t,
		   unsigned flags)
{
	strbuf_addstr(sb, "VSZ");
	maptext_totals(sb, &t->totals);
	for (size_t c = 0; c < t->ncategories; c++) {
		const struct maptree_category *cat = &t->categories[c];

		maptext_name(sb, 2, maptree_kind_name(cat->kind));
		maptext_totals(sb, &cat->t);
		for (size_t g = 0; g < cat->ngroups; g++)
			maptext_group(sb, &cat->groups[g], flags);
	}
	maptext_summaries(sb, t);
	maptext_jvm(sb, &t->m->jvm);
	if (t->ninsights)
		strbuf_addstr(sb, "insights:\n");
	for (size_t k = 0; k < t->ninsights; k++) {
		strbuf_addstr(sb, "  - ");
		fmt_printable_str(sb, t->insights[k].text);
		strbuf_addch(sb, '\n');
	}
}
