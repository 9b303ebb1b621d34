/* compare: trees of several processes aligned by cause (compare.h).
 *
 * One pass per tree adds its categories and groups to rows found by
 * their diff keys (a hash table of key to row), then the rows are put in
 * order: kind rows by the size of their difference, each followed by its
 * group rows. */
#include "config.h"

#include "vmtop/compare.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/diff.h"
#include "vmtop/fmt.h"
#include "vmtop/hash.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

/* Items named in one sentence before "and N more". */
#define COMPARE_WORDS_MAX 5
/* Library names given after their count. */
#define COMPARE_LIBS_MAX 3

struct compare_work {
	struct compare *c;
	size_t cap;               /* rows allocated */
	struct hash_table index;  /* key -> row */
	bool *has_smaps;          /* per process */
};

bool compare_kind_merged(enum region_kind k)
{
	switch (k) {
	case KIND_BINARY:
	case KIND_ARENA:
	case KIND_THREAD_STACK:
	case KIND_MALLOC_BLOCK:
	case KIND_JAVA_HEAP:
		return true;
	default:
		return false;
	}
}

static const struct {
	const char *one, *many;
} compare_nouns[KIND__COUNT] = {
	[KIND_LIBRARY] = { "shared library", "shared libraries" },
	[KIND_FILE] = { "mapped file", "mapped files" },
	[KIND_ARENA] = { "glibc arena", "glibc arenas" },
	[KIND_THREAD_STACK] = { "thread stack", "thread stacks" },
	[KIND_SHARED] = { "shared memory mapping", "shared memory mappings" },
	[KIND_MALLOC_BLOCK] = { "malloc() block", "malloc() blocks" },
	[KIND_ALLOCATOR] = { "allocator", "allocators" },
};

const char *compare_kind_noun(enum region_kind k, unsigned count)
{
	if ((unsigned)k >= KIND__COUNT || !compare_nouns[k].one)
		return NULL;
	return count == 1 ? compare_nouns[k].one : compare_nouns[k].many;
}

static const char *const compare_words[KIND__COUNT] = {
	[KIND_NONE] = "unclassified memory",
	[KIND_BINARY] = "the program binary",
	[KIND_HEAP] = "heap",
	[KIND_MAIN_STACK] = "main stack",
	[KIND_GO_HEAP] = "Go heap",
	[KIND_GO_RUNTIME] = "Go runtime memory",
	[KIND_ANON] = "anonymous memory",
	[KIND_KERNEL] = "kernel mappings",
	[KIND_V8_CODE_RANGE] = "V8 code range",
	[KIND_V8_CAGE] = "V8 cage",
	[KIND_V8_HEAP] = "V8 heap",
	[KIND_PYMALLOC] = "pymalloc arenas",
	[KIND_JAVA_HEAP] = "Java heap",
	[KIND_JAVA_CLASS_SPACE] = "Java class space",
	[KIND_JAVA_METASPACE] = "Java metaspace",
	[KIND_JAVA_CODE_CACHE] = "Java code cache",
	[KIND_JAVA_GC] = "Java GC structures",
};

const char *compare_kind_words(enum region_kind k)
{
	const char *w = (unsigned)k < KIND__COUNT ? compare_words[k] : NULL;

	return w ? w : maptree_kind_name(k);
}

/* --- gathering ---------------------------------------------------------- */

/* The row of key, made (zeroed cells) when new. */
static size_t compare_row_of(struct compare_work *w, uint64_t key,
			     uint64_t parent, enum region_kind kind,
			     const char *name)
{
	struct compare *c = w->c;
	uint32_t *slot = hash_table_put(&w->index, key);
	struct compare_row *r;

	if (*slot != HASH_NONE)
		return *slot;
	if (c->nrows == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 32;
		c->rows = xreallocarray(c->rows, w->cap, sizeof(*c->rows));
		c->cell_store = xreallocarray(c->cell_store, w->cap * c->n,
					      sizeof(*c->cell_store));
	}
	*slot = (uint32_t)c->nrows;
	r = &c->rows[c->nrows];
	memset(r, 0, sizeof(*r));
	memset(&c->cell_store[c->nrows * c->n], 0,
	       c->n * sizeof(*c->cell_store));
	r->key = key;
	r->parent = parent;
	r->kind = kind;
	r->name = xstrdup(name);
	return c->nrows++;
}

static struct compare_cell *compare_cell_at(struct compare_work *w,
					    size_t row, size_t i)
{
	return &w->c->cell_store[row * w->c->n + i];
}

static uint64_t compare_add_kib(uint64_t a, uint64_t b)
{
	return a == VMMAP_UNKNOWN || b == VMMAP_UNKNOWN ? VMMAP_UNKNOWN :
							  a + b;
}

static void compare_cell_add(struct compare_cell *cell,
			     const struct maptree_totals *t, unsigned count)
{
	cell->present = true;
	cell->vsz_kib += t->vsz_kib;
	cell->reserved_kib += t->reserved_kib;
	cell->rss_kib = compare_add_kib(cell->rss_kib, t->rss_kib);
	cell->regions += t->regions;
	cell->count += count;
}

/* How many things group g of kind k holds: a thread's stack is one (its
 * guard page is part of it), the unowned ones one per stack region; a
 * malloc() block is one region; any other group is one thing. */
static unsigned compare_instances(const struct maptree_group *g)
{
	unsigned n = 0;

	if (g->kind == KIND_MALLOC_BLOCK)
		return (unsigned)g->nregions;
	if (g->kind != KIND_THREAD_STACK || strcmp(g->name, "unowned") != 0)
		return 1;
	for (size_t k = 0; k < g->nregions; k++)
		if (!(g->regions[k]->tags & TAG_GUARD))
			n++;
	return n;
}

static void compare_add_category(struct compare_work *w, size_t i,
				 const struct maptree_category *cat)
{
	uint64_t ckey = diff_key_category(cat->kind);
	size_t crow = compare_row_of(w, ckey, 0, cat->kind, "");
	bool merged = compare_kind_merged(cat->kind);
	unsigned count = 0;

	for (size_t k = 0; k < cat->ngroups; k++) {
		const struct maptree_group *g = &cat->groups[k];
		unsigned inst = compare_instances(g);
		size_t grow;

		count += inst;
		if (merged)
			continue;
		grow = compare_row_of(w, diff_key_group(cat->kind, g->name),
				      ckey, cat->kind, g->name);
		compare_cell_add(compare_cell_at(w, grow, i), &g->t, inst);
	}
	compare_cell_add(compare_cell_at(w, crow, i), &cat->t, count);
}

/* Absent cells get RSS 0 (or unknown without smaps); every cell its
 * difference from the first process; every row its largest one. */
static void compare_finish_cells(struct compare_work *w)
{
	struct compare *c = w->c;

	for (size_t r = 0; r < c->nrows; r++) {
		struct compare_row *row = &c->rows[r];

		row->cells = &c->cell_store[r * c->n];
		for (size_t i = 0; i < c->n; i++) {
			struct compare_cell *cell = &row->cells[i];

			if (!w->has_smaps[i])
				cell->rss_kib = VMMAP_UNKNOWN;
			cell->diff_kib = (int64_t)cell->vsz_kib -
					 (int64_t)row->cells[0].vsz_kib;
			if (llabs(cell->diff_kib) > llabs(row->diff_kib))
				row->diff_kib = cell->diff_kib;
			if (cell->vsz_kib > row->largest_kib)
				row->largest_kib = cell->vsz_kib;
		}
	}
	for (size_t i = 0; i < c->n; i++)
		c->totals[i].diff_kib = (int64_t)c->totals[i].vsz_kib -
					(int64_t)c->totals[0].vsz_kib;
}

/* --- order -------------------------------------------------------------- */

static int compare_rows_cmp(const void *pa, const void *pb)
{
	const struct compare_row *a = pa, *b = pb;
	long long da = llabs(a->diff_kib), db = llabs(b->diff_kib);

	if (da != db)
		return da > db ? -1 : 1;
	if (a->largest_kib != b->largest_kib)
		return a->largest_kib > b->largest_kib ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* A kind whose one group has no name (heap, anon without names) needs
 * no group row: it would repeat the kind's. */
static bool compare_drop_child(const struct compare *c,
			       const struct compare_row *child)
{
	if (child->name[0])
		return false;
	for (size_t r = 0; r < c->nrows; r++) {
		const struct compare_row *o = &c->rows[r];

		if (o != child && o->parent == child->parent)
			return false;
	}
	return true;
}

/* Kind rows first in order, each followed by its children in order. */
static void compare_order(struct compare *c)
{
	struct compare_row *out = xcalloc(c->nrows ? c->nrows : 1,
					  sizeof(*out));
	size_t k = 0;

	qsort(c->rows, c->nrows, sizeof(*c->rows), compare_rows_cmp);
	for (size_t r = 0; r < c->nrows; r++) {
		if (c->rows[r].parent)
			continue;
		out[k++] = c->rows[r];
		for (size_t g = 0; g < c->nrows; g++) {
			struct compare_row *child = &c->rows[g];

			if (child->parent != c->rows[r].key)
				continue;
			if (compare_drop_child(c, child)) {
				free(child->name);
				continue;
			}
			out[k++] = *child;
		}
	}
	free(c->rows);
	c->rows = out;
	c->nrows = k;
	/* children per kind row, for the views */
	for (size_t r = 0, top = 0; r < c->nrows; r++) {
		if (!c->rows[r].parent)
			top = r;
		else
			c->rows[top].nchildren++;
	}
}

/* --- words -------------------------------------------------------------- */

static const char *compare_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* " (libc.so.6, ld-linux-x86-64.so.2)": the libraries one side maps and
 * the other does not (sign > 0: process i's own). */
static void compare_lib_names(struct strbuf *sb, const struct compare *c,
			      size_t kind_row, size_t i, int sign)
{
	unsigned named = 0;

	for (size_t r = kind_row + 1; r < c->nrows && c->rows[r].parent;
	     r++) {
		const struct compare_cell *a = &c->rows[r].cells[0];
		const struct compare_cell *b = &c->rows[r].cells[i];
		bool only = sign > 0 ? b->present && !a->present :
				       a->present && !b->present;

		if (!only)
			continue;
		if (named == COMPARE_LIBS_MAX) {
			strbuf_addstr(sb, ", ...");
			break;
		}
		strbuf_addstr(sb, named++ ? ", " : " (");
		strbuf_addstr(sb, compare_basename(c->rows[r].name));
	}
	if (named)
		strbuf_addch(sb, ')');
}

/* "4 glibc arenas 256 MiB" or "anonymous memory 1.9 MiB". */
static void compare_item(struct strbuf *sb, const struct compare *c,
			 size_t r, size_t i)
{
	const struct compare_row *row = &c->rows[r];
	const struct compare_cell *a = &row->cells[0], *b = &row->cells[i];
	unsigned count = a->count > b->count ? a->count - b->count :
					       b->count - a->count;
	const char *noun = compare_kind_noun(row->kind, count);
	char sz[24];

	fmt_size(sz, sizeof(sz), (uint64_t)llabs(b->diff_kib),
		 FMT_SIZE_WORDS);
	if (noun && count)
		strbuf_addf(sb, "%u %s %s", count, noun, sz);
	else
		strbuf_addf(sb, "%s %s", compare_kind_words(row->kind), sz);
	if (row->kind == KIND_LIBRARY)
		compare_lib_names(sb, c, r, i, b->diff_kib > 0 ? 1 : -1);
}

/* The kind rows whose difference in process i has sign sign, by size
 * of that difference; returns how many. */
static size_t compare_kinds_of(const struct compare *c, size_t i, int sign,
			       size_t *out)
{
	size_t n = 0;

	for (size_t r = 0; r < c->nrows; r++) {
		int64_t d = c->rows[r].cells[i].diff_kib;
		size_t k;

		if (c->rows[r].parent || !d || (d > 0) != (sign > 0))
			continue;
		for (k = n; k > 0; k--) { /* insertion: a few dozen kinds */
			int64_t o = c->rows[out[k - 1]].cells[i].diff_kib;

			if (llabs(o) >= llabs(d))
				break;
			out[k] = out[k - 1];
		}
		out[k] = r;
		n++;
	}
	return n;
}

/* "4 glibc arenas 256 MiB, 2 shared libraries 2.0 MiB (...)" */
static void compare_items(struct strbuf *sb, const struct compare *c,
			  size_t i, const size_t *kinds, size_t n)
{
	int64_t rest = 0;

	for (size_t k = 0; k < n; k++) {
		if (k == COMPARE_WORDS_MAX) {
			rest += c->rows[kinds[k]].cells[i].diff_kib;
			continue;
		}
		strbuf_addstr(sb, k ? ", " : "");
		compare_item(sb, c, kinds[k], i);
	}
	if (n > COMPARE_WORDS_MAX) {
		char sz[24];

		fmt_size(sz, sizeof(sz), (uint64_t)llabs(rest),
			 FMT_SIZE_WORDS);
		strbuf_addf(sb, ", %zu more cause%s %s",
			    n - COMPARE_WORDS_MAX,
			    n - COMPARE_WORDS_MAX == 1 ? "" : "s", sz);
	}
}

/* One sentence: how process i differs from the first. */
static void compare_sentence(struct strbuf *sb, const struct compare *c,
			     size_t i, size_t *kinds)
{
	int64_t d = c->totals[i].diff_kib;
	int sign = d < 0 ? -1 : 1;
	size_t n;
	char sz[24];

	strbuf_addstr(sb, c->names[i]);
	if (!d) {
		strbuf_addf(sb, " maps as much as %s", c->names[0]);
	} else {
		fmt_size(sz, sizeof(sz), (uint64_t)llabs(d), FMT_SIZE_WORDS);
		strbuf_addf(sb, " maps %s %s than %s", sz,
			    d > 0 ? "more" : "less", c->names[0]);
	}
	n = compare_kinds_of(c, i, sign, kinds);
	if (n) {
		strbuf_addstr(sb, ": ");
		compare_items(sb, c, i, kinds, n);
	}
	/* what goes the other way, which the total hides */
	n = compare_kinds_of(c, i, -sign, kinds);
	if (n) {
		strbuf_addf(sb, "; %s: ", sign > 0 ? "less" : "more");
		compare_items(sb, c, i, kinds, n);
	}
}

static void compare_summary(struct compare *c)
{
	struct strbuf sb = STRBUF_INIT;
	size_t *kinds = xcalloc(c->nrows ? c->nrows : 1, sizeof(*kinds));

	strbuf_init(&sb, 256);
	for (size_t i = 1; i < c->n; i++) {
		if (i > 1)
			strbuf_addstr(&sb, ".  ");
		compare_sentence(&sb, c, i, kinds);
	}
	free(kinds);
	c->summary = strbuf_detach(&sb);
}

/* --- the whole ---------------------------------------------------------- */

int compare_build(const struct compare_input *in, size_t n,
		  struct compare **out)
{
	struct compare_work w;
	struct compare *c;

	*out = NULL;
	if (n < 2)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!in[i].t)
			return -EINVAL;
	memset(&w, 0, sizeof(w));
	c = w.c = xcalloc(1, sizeof(*c));
	c->n = n;
	c->names = xcalloc(n, sizeof(*c->names));
	c->totals = xcalloc(n, sizeof(*c->totals));
	w.has_smaps = xcalloc(n, sizeof(*w.has_smaps));
	for (size_t i = 0; i < n; i++) {
		const struct maptree *t = in[i].t;

		c->names[i] = xstrdup(in[i].name ? in[i].name : "?");
		w.has_smaps[i] = t->has_smaps;
		compare_cell_add(&c->totals[i], &t->totals, 0);
		if (!t->has_smaps)
			c->totals[i].rss_kib = VMMAP_UNKNOWN;
		for (size_t k = 0; k < t->ncategories; k++)
			compare_add_category(&w, i, &t->categories[k]);
	}
	compare_finish_cells(&w);
	compare_order(c);
	compare_summary(c);
	hash_table_release(&w.index);
	free(w.has_smaps);
	*out = c;
	return 0;
}

void compare_free(struct compare *c)
{
	if (!c)
		return;
	for (size_t r = 0; r < c->nrows; r++)
		free(c->rows[r].name);
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->totals);
	free(c->rows);
	free(c->cell_store);
	free(c->summary);
	free(c);
}
