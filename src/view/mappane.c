/* mappane: categories -> groups -> regions as treeview items. */
#include "config.h"

#include "vmtop/mappane.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h> /* MB_CUR_MAX */
#include <string.h>

#include "vmtop/fmt.h"

enum {
	COL_VSZ,
	COL_RESV,
	COL_RSS,
	COL_PSS,
	COL_SWAP,
	COL_DIRTY,
	COL_COUNT,
	COL_DELTA,
	COL_TREND,
	NCOLS
};

/* Cells of a sparkline: the TREND column's, and the process line's. */
#define MAPPANE_TREND_CELLS 8

/* Deltas are signed; stored shifted so that they sort as numbers. */
#define DELTA_BIAS (UINT64_C(1) << 63)

static const struct treeview_column mappane_cols[NCOLS] = {
	/* fmt_kib() never needs more than 5 cells: "1023K", "64.0M".
	 * Narrow screens hide SWAP first, then DIRTY, PSS, N, TREND, DELTA;
	 * VSZ, RESV and RSS, the story of the bar, stay. */
	[COL_VSZ] = { "VSZ", 5, false, true, NULL, 0 },
	[COL_RESV] = { "RESV", 5, false, true, NULL, 0 },
	[COL_RSS] = { "RSS", 5, false, true, NULL, 0 },
	[COL_PSS] = { "PSS", 5, false, true, NULL, 3 },
	[COL_SWAP] = { "SWAP", 5, false, true, NULL, 1 },
	[COL_DIRTY] = { "DIRTY", 5, false, true, NULL, 2 },
	[COL_COUNT] = { "N", 5, false, true, NULL, 4 },
	[COL_DELTA] = { "DELTA", 6, false, true, NULL, 6 },
	[COL_TREND] = { "TREND", MAPPANE_TREND_CELLS, true, true,
			"TREND (growth over the history)", 5 },
};

static const char *const mappane_labels[KIND__COUNT] = {
	[KIND_NONE] = "unclassified",
	[KIND_BINARY] = "program binary",
	[KIND_LIBRARY] = "shared libraries",
	[KIND_FILE] = "mapped files",
	[KIND_HEAP] = "heap ([heap], glibc main arena)",
	[KIND_ARENA] = "glibc malloc arenas",
	[KIND_MAIN_STACK] = "main thread stack ([stack])",
	[KIND_THREAD_STACK] = "thread stacks",
	[KIND_GO_HEAP] = "Go heap",
	[KIND_GO_RUNTIME] = "Go runtime (outside the heap)",
	[KIND_ANON] = "anonymous memory",
	[KIND_SHARED] = "shared memory",
	[KIND_KERNEL] = "kernel ([vdso], [vvar], [vsyscall])",
	[KIND_V8_CODE_RANGE] = "V8 code range",
	[KIND_V8_CAGE] = "V8 pointer cage / sandbox",
	[KIND_V8_HEAP] = "V8 heap pages",
	[KIND_PYMALLOC] = "CPython pymalloc arenas",
};

const char *mappane_kind_label(enum region_kind kind)
{
	return (unsigned)kind < KIND__COUNT ? mappane_labels[kind] : "?";
}

static enum screen_role mappane_role(const struct diff *d, uint64_t key,
				     int64_t *delta)
{
	switch (diff_change_of(d, key, delta)) {
	case DIFF_NEW: return SCREEN_NEW;
	case DIFF_GREW: return SCREEN_GREW;
	case DIFF_SHRANK: return SCREEN_SHRANK;
	default: return SCREEN_NORMAL;
	}
}

/* Levels 0-7 of a sparkline, low to high. */
static const char *const mappane_blocks[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};
static const char mappane_ascii[8] = { '_', '.', '-', ':', '=', '+', '*',
				       '#' };

size_t mappane_sparkline(const uint64_t *values, size_t n, bool utf8,
			 char *buf, size_t size)
{
	int levels[64];
	size_t len = 0;

	if (n > 64)
		n = 64;
	history_scale(values, n, 7, levels);
	for (size_t i = 0; i < n; i++) {
		const char *g = levels[i] < 0 ? " " :
				utf8 ? mappane_blocks[levels[i]] : NULL;
		char one[2] = { levels[i] < 0 ? ' ' :
					mappane_ascii[levels[i] & 7], '\0' };
		size_t gl;

		if (!g)
			g = one;
		gl = strlen(g);
		if (len + gl + 1 > size)
			break;
		memcpy(buf + len, g, gl);
		len += gl;
	}
	if (size)
		buf[len] = '\0';
	return len;
}

/* The trend of series over the history, resampled into cells: VSZ, or
 * RSS when VSZ did not change in that time (as DELTA).  Returns the
 * cells written (0: not enough history); *rss says which. */
size_t mappane_trend(const struct history *h, unsigned series,
		     uint64_t *cells, size_t n, bool *rss)
{
	size_t k = history_resample(h, series, HISTORY_VSZ, cells, n);
	bool flat = true;

	*rss = false;
	for (size_t i = 1; i < k; i++)
		flat &= cells[i] == cells[0];
	if (k && flat) {
		*rss = true;
		k = history_resample(h, series, HISTORY_RSS, cells, n);
	}
	return k;
}

/* The sort key of TREND: the change over the cells, signed. */
static uint64_t mappane_trend_key(const struct history *h, unsigned series)
{
	uint64_t cells[MAPPANE_TREND_CELLS];
	bool rss;
	size_t k = mappane_trend(h, series, cells, MAPPANE_TREND_CELLS, &rss);

	if (k < 2 || cells[0] == VMMAP_UNKNOWN ||
	    cells[k - 1] == VMMAP_UNKNOWN)
		return DELTA_BIAS;
	return cells[k - 1] - cells[0] + DELTA_BIAS;
}

static void mappane_set_totals(struct treeview_item *it,
			       const struct maptree_totals *t,
			       const struct diff *d)
{
	int64_t delta;

	it->num[COL_VSZ] = t->vsz_kib;
	it->num[COL_RESV] = t->reserved_kib;
	it->num[COL_RSS] = t->rss_kib;
	it->num[COL_PSS] = t->pss_kib;
	it->num[COL_SWAP] = t->swap_kib;
	it->num[COL_DIRTY] = t->dirty_kib;
	it->num[COL_COUNT] = t->regions;
	it->role = mappane_role(d, it->tag, &delta);
	it->num[COL_DELTA] = (uint64_t)delta + DELTA_BIAS;
	it->num[COL_TREND] = DELTA_BIAS;
}

static void mappane_region_totals(struct treeview_item *it,
				  const struct region *r, const struct diff *d)
{
	struct maptree_totals t;

	memset(&t, 0, sizeof(t));
	t.vsz_kib = maptree_counts(r) ? (r->end - r->start) / 1024 : 0;
	t.reserved_kib = r->tags & TAG_RESERVED ? t.vsz_kib : 0;
	t.rss_kib = region_sm(r, SM_RSS);
	t.pss_kib = region_sm(r, SM_PSS);
	t.swap_kib = region_sm(r, SM_SWAP);
	t.dirty_kib = r->has_smaps ? region_kib(r->dirty_kib) : VMMAP_UNKNOWN;
	t.regions = 1;
	mappane_set_totals(it, &t, d);
}

/* Writes v as at least 12 hex digits at p; returns the end.  snprintf()
 * costs more than the rest of a build at 60 000 regions. */
static char *mappane_hex(char *p, uint64_t v)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	for (int k = n; k < 12; k++)
		*p++ = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

void mappane_region_name(const struct region *r, char *buf, size_t size)
{
	char head[48], *p = head;
	size_t len;

	p = mappane_hex(p, r->start);
	*p++ = '-';
	p = mappane_hex(p, r->end);
	*p++ = ' ';
	for (int k = 0; k < 4 && r->perms[k]; k++)
		*p++ = r->perms[k];
	*p = '\0';
	len = (size_t)snprintf(buf, size, "%s", head);

	if (r->inode && len < size)
		len += (size_t)snprintf(buf + len, size - len,
					" @%" PRIx64, r->offset);
	for (unsigned b = 0; b < TAG__COUNT && len < size; b++)
		if (r->tags & (1u << b))
			len += (size_t)snprintf(buf + len, size - len, " [%s]",
						maptree_tag_name(1u << b));
	if (r->path[0] && strcmp(r->path, r->group) != 0 && len < size)
		snprintf(buf + len, size - len, " %s%s", r->path,
			 r->deleted ? " (deleted)" : "");
}

static void mappane_add_regions(struct treeview *tv, uint64_t parent,
				const struct maptree_group *g,
				const struct diff *d)
{
	char name[512];

	for (size_t i = 0; i < g->nregions; i++) {
		const struct region *r = g->regions[i];
		struct treeview_item *it;

		uint64_t tag = diff_key_region(r->kind, r->start);

		mappane_region_name(r, name, sizeof(name));
		it = treeview_add(tv, parent, tag, name, r);
		mappane_region_totals(it, r, d);
	}
}

/* A category whose only group has no name shows its regions directly. */
static bool mappane_flat(const struct maptree_category *c)
{
	return c->ngroups == 1 && c->groups[0].name[0] == '\0';
}

static void mappane_add_category(struct treeview *tv,
				 const struct maptree_category *c,
				 const struct diff *d, const struct history *h)
{
	uint64_t tag = diff_key_category(c->kind);
	bool flat = mappane_flat(c);
	struct treeview_item *it = treeview_add(
		tv, 0, tag, mappane_kind_label(c->kind), c);

	mappane_set_totals(it, &c->t, d);
	it->num[COL_TREND] = mappane_trend_key(h, c->kind);
	it->expandable = true;
	it->open_default = !flat;
	if (!treeview_wants_children(tv, tag, !flat))
		return;
	if (flat) {
		mappane_add_regions(tv, tag, &c->groups[0], d);
		return;
	}
	for (size_t k = 0; k < c->ngroups; k++) {
		const struct maptree_group *g = &c->groups[k];
		uint64_t gtag = diff_key_group(g->kind, g->name);

		it = treeview_add(tv, tag, gtag, g->name, g);
		mappane_set_totals(it, &g->t, d);
		it->expandable = g->nregions > 0;
		if (treeview_wants_children(tv, gtag, false))
			mappane_add_regions(tv, gtag, g, d);
	}
}

static void mappane_build(struct treeview *tv, void *arg)
{
	const struct pipeline *s = arg;
	const struct maptree *t = pipeline_tree(s);

	if (!t)
		return;
	for (size_t c = 0; c < t->ncategories; c++)
		mappane_add_category(tv, &t->categories[c], pipeline_diff(s),
				     pipeline_totals_history(s));
}

static void mappane_delta(const struct treeview_item *it, char *buf,
			  size_t size)
{
	int64_t delta = (int64_t)(it->num[COL_DELTA] - DELTA_BIAS);

	if (it->role == SCREEN_NEW)
		snprintf(buf, size, "new");
	else if (it->role == SCREEN_GREW || it->role == SCREEN_SHRANK)
		fmt_kib_signed(buf, size, delta);
	else
		buf[0] = '\0';
}

/* The sparkline of a category (the top level); nothing for the rest. */
static void mappane_trend_cell(const struct treeview_item *it,
			       const struct pipeline *s, char *buf,
			       size_t size)
{
	const struct maptree *t = pipeline_tree(s);
	const struct maptree_category *c = it->data;
	uint64_t cells[MAPPANE_TREND_CELLS];
	bool rss;
	size_t k;

	buf[0] = '\0';
	if (it->depth != 0 || !t ||
	    !(c >= t->categories && c < t->categories + t->ncategories))
		return;
	k = mappane_trend(pipeline_totals_history(s), c->kind, cells,
			  MAPPANE_TREND_CELLS, &rss);
	mappane_sparkline(cells, k, MB_CUR_MAX > 1, buf, size);
}

static void mappane_cell(const struct treeview_item *it, int col, char *buf,
			 size_t size, void *arg)
{
	if (col == COL_TREND) {
		mappane_trend_cell(it, arg, buf, size);
	} else if (col == COL_DELTA) {
		mappane_delta(it, buf, size);
	} else if (col == COL_COUNT) {
		snprintf(buf, size, "%" PRIu64, it->num[col]);
	} else if (it->num[col] == VMMAP_UNKNOWN) {
		snprintf(buf, size, "-");
	} else {
		fmt_kib(buf, size, it->num[col]);
	}
}

/* Names keep 30 cells while columns can go: an indented library path
 * or "tid 12345" must stay readable. */
#define MAPPANE_MIN_NAME 30

struct treeview *mappane_new(struct pipeline *s)
{
	struct treeview *tv = treeview_new(mappane_cols, NCOLS,
					   "CATEGORY / GROUP / REGION",
					   COL_VSZ, true, mappane_build,
					   mappane_cell, s);

	treeview_set_min_name(tv, MAPPANE_MIN_NAME);
	return tv;
}

static bool mappane_within(const void *p, const void *base, size_t n,
			   size_t size)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;

	return base && a >= b && a < b + n * size;
}

const void *mappane_node_of(const struct pipeline *s,
			    const struct treeview_item *it,
			    enum mappane_node *node)
{
	const struct maptree *t = pipeline_tree(s);
	const struct vmmap *m = pipeline_vmmap(s);

	*node = MAPPANE_GROUP;
	if (!t || !m || !it)
		return NULL;
	if (mappane_within(it->data, m->regions, m->nregions,
			   sizeof(*m->regions)))
		*node = MAPPANE_REGION;
	else if (mappane_within(it->data, t->categories, t->ncategories,
				sizeof(*t->categories)))
		*node = MAPPANE_CATEGORY;
	return it->data;
}

void mappane_runtime(const struct maptree *t, char *buf, size_t size)
{
	const struct maptree_runtime *rt = &t->runtime;
	const char *v = rt->go_version ? rt->go_version : rt->version;
	size_t len;

	if (!rt->language) {
		snprintf(buf, size, "unknown runtime");
		return;
	}
	if (v && strncmp(v, "go", 2) == 0)
		v += 2;
	len = (size_t)snprintf(buf, size, "%s%s%s", rt->language,
			       v ? " " : "", v ? v : "");
	if (rt->cgo >= 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%s",
					rt->cgo ? ", cgo" : ", no cgo");
	if (rt->is_static >= 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%s",
					rt->is_static ? ", static" :
							", dynamic");
	if (rt->allocator && len < size)
		snprintf(buf + len, size - len, ", %s malloc", rt->allocator);
}
