/* diff: changes between two refreshes of a maptree, by stable key.
 *
 * One generation = the nodes of one tree as a dense array of entries plus
 * a hash table from their keys to their indexes, and the group names
 * copied into one buffer (regions point at their group's name).  An update
 * builds the new generation, looks every entry up in the previous one,
 * then lists the previous entries nobody looked up as gone.  For a
 * 60 000-region tree that is ~3.5 MiB and a few milliseconds. */
#include "config.h"

#include "vmtop/diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/hash.h"
#include "vmtop/xalloc.h"

#define DIFF_NONAME UINT32_MAX
#define DIFF_GONE_MAX 256

struct diff_entry {
	uint64_t key;
	uint64_t vsz, rss;    /* KiB; rss VMMAP_UNKNOWN when unknown */
	uint64_t start, end;  /* regions */
	int64_t delta;
	uint32_t name;        /* offset in names, or DIFF_NONAME */
	unsigned char kind, change, age;
	bool region, seen;
};

struct diff_gen {
	struct diff_entry *e;
	size_t n, cap;
	struct hash_table index; /* key -> entry index */
	char *names;
	size_t names_len, names_cap;
};

struct diff {
	unsigned keep;
	bool have_prev;
	struct diff_gen prev;
	struct diff_gone *gone;
	size_t ngone, gone_cap;
	/* the baseline, when base_time > 0, and what of it is gone */
	double base_time;
	struct diff_gen base;
	struct diff_gone *bgone;
	size_t nbgone, bgone_cap;
};

static uint64_t diff_key(char what, enum region_kind kind, const void *p,
			 size_t n)
{
	unsigned char head[2] = { (unsigned char)what, (unsigned char)kind };
	uint64_t h = hash_fnv(HASH_FNV_INIT, head, sizeof(head));

	h = hash_fnv(h, p, n);
	h ^= h >> 31;
	return h ? h : 1;
}

uint64_t diff_key_category(enum region_kind kind)
{
	return diff_key('c', kind, "", 0);
}

uint64_t diff_key_group(enum region_kind kind, const char *name)
{
	return diff_key('g', kind, name, strlen(name));
}

uint64_t diff_key_region(enum region_kind kind, uint64_t start)
{
	return diff_key('r', kind, &start, sizeof(start));
}

/* --- generations ------------------------------------------------------- */

static void diff_gen_release(struct diff_gen *g)
{
	free(g->e);
	hash_table_release(&g->index);
	free(g->names);
	memset(g, 0, sizeof(*g));
}

static void diff_gen_init(struct diff_gen *g, size_t n)
{
	memset(g, 0, sizeof(*g));
	hash_table_init(&g->index, n);
	g->e = xreallocarray(NULL, n ? n : 1, sizeof(*g->e));
	g->cap = n ? n : 1;
}

static struct diff_entry *diff_gen_find(const struct diff_gen *g, uint64_t key)
{
	uint32_t i = hash_table_get(&g->index, key);

	return i == HASH_NONE ? NULL : &g->e[i];
}

static uint32_t diff_gen_name(struct diff_gen *g, const char *name)
{
	size_t len = strlen(name) + 1;
	uint32_t off = (uint32_t)g->names_len;

	XGROW(g->names, g->names_cap, g->names_len + len);
	memcpy(g->names + g->names_len, name, len);
	g->names_len += len;
	return off;
}

/* Adds an entry; a key seen twice in one tree keeps the first. */
static struct diff_entry *diff_gen_add(struct diff_gen *g, uint64_t key)
{
	uint32_t *i = hash_table_put(&g->index, key);
	struct diff_entry *e;

	if (*i != HASH_NONE)
		return NULL;
	*i = (uint32_t)g->n;
	e = &g->e[g->n++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->name = DIFF_NONAME;
	return e;
}

static void diff_gen_node(struct diff_gen *g, uint64_t key,
			  enum region_kind kind, const struct maptree_totals *t,
			  uint32_t name)
{
	struct diff_entry *e = diff_gen_add(g, key);

	if (!e)
		return;
	e->kind = (unsigned char)kind;
	e->vsz = t->vsz_kib;
	e->rss = t->rss_kib;
	e->name = name;
}

static void diff_gen_region(struct diff_gen *g, const struct region *r,
			    uint32_t name)
{
	struct diff_entry *e = diff_gen_add(g, diff_key_region(r->kind,
								 r->start));

	if (!e)
		return;
	e->kind = (unsigned char)r->kind;
	e->region = true;
	e->start = r->start;
	e->end = r->end;
	e->vsz = (r->end - r->start) / 1024;
	e->rss = region_sm(r, SM_RSS);
	e->name = name;
}

static void diff_gen_build(struct diff_gen *g, const struct maptree *t)
{
	size_t n = t->ncategories + (t->m ? t->m->nregions : 0);

	for (size_t c = 0; c < t->ncategories; c++)
		n += t->categories[c].ngroups;
	diff_gen_init(g, n);
	for (size_t c = 0; c < t->ncategories; c++) {
		const struct maptree_category *cat = &t->categories[c];

		diff_gen_node(g, diff_key_category(cat->kind), cat->kind,
			      &cat->t, DIFF_NONAME);
		for (size_t k = 0; k < cat->ngroups; k++) {
			const struct maptree_group *gr = &cat->groups[k];
			uint32_t name = diff_gen_name(g, gr->name);

			diff_gen_node(g, diff_key_group(gr->kind, gr->name),
				      gr->kind, &gr->t, name);
			for (size_t i = 0; i < gr->nregions; i++)
				diff_gen_region(g, gr->regions[i], name);
		}
	}
}

/* --- comparing --------------------------------------------------------- */

static void diff_compare(const struct diff *d, struct diff_entry *e,
			 struct diff_entry *o)
{
	unsigned char change = DIFF_NONE;
	int64_t delta = 0;

	if (!o) {
		change = DIFF_NEW;
		delta = (int64_t)e->vsz;
	} else if (o->vsz != e->vsz) {
		delta = (int64_t)e->vsz - (int64_t)o->vsz;
	} else if (o->rss != VMMAP_UNKNOWN && e->rss != VMMAP_UNKNOWN &&
		   o->rss != e->rss) {
		delta = (int64_t)e->rss - (int64_t)o->rss;
	}
	if (delta && change == DIFF_NONE)
		change = delta > 0 ? DIFF_GREW : DIFF_SHRANK;
	if (change != DIFF_NONE) {
		e->change = change;
		e->delta = delta;
		e->age = (unsigned char)d->keep;
	} else if (o && o->age > 1) {
		e->change = o->change;
		e->delta = o->delta;
		e->age = (unsigned char)(o->age - 1);
	}
}

static void diff_gone_age(struct diff *d)
{
	size_t k = 0;

	for (size_t i = 0; i < d->ngone; i++) {
		if (--d->gone[i].age == 0) {
			free(d->gone[i].name);
			continue;
		}
		d->gone[k++] = d->gone[i];
	}
	d->ngone = k;
}

/* Puts o at the front of the gone list (dropping the oldest if full). */
static void diff_gone_push(struct diff *d, const struct diff_gen *g,
			   const struct diff_entry *o)
{
	struct diff_gone *x;

	if (d->ngone == DIFF_GONE_MAX) {
		free(d->gone[d->ngone - 1].name);
		d->ngone--;
	}
	XGROW(d->gone, d->gone_cap, d->ngone + 1);
	memmove(d->gone + 1, d->gone, d->ngone * sizeof(*d->gone));
	d->ngone++;
	x = &d->gone[0];
	x->kind = (enum region_kind)o->kind;
	x->region = o->region;
	x->name = xstrdup(o->name == DIFF_NONAME ? "" : g->names + o->name);
	x->start = o->start;
	x->end = o->end;
	x->vsz_kib = o->vsz;
	x->age = d->keep;
}

struct diff *diff_new(unsigned keep)
{
	struct diff *d = xcalloc(1, sizeof(*d));

	d->keep = keep ? (keep > 255 ? 255 : keep) : 1;
	return d;
}

void diff_free(struct diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ngone; i++)
		free(d->gone[i].name);
	free(d->gone);
	diff_gen_release(&d->prev);
	diff_baseline_clear(d);
	free(d->bgone);
	free(d);
}

/* --- the baseline ----------------------------------------------------- */

static void diff_bgone_clear(struct diff *d)
{
	for (size_t i = 0; i < d->nbgone; i++)
		free(d->bgone[i].name);
	d->nbgone = 0;
}

/* The baseline's nodes that the last update does not have. */
static void diff_base_gone(struct diff *d)
{
	diff_bgone_clear(d);
	if (!d->base_time)
		return;
	for (size_t i = 0; i < d->base.n && d->nbgone < DIFF_GONE_MAX; i++) {
		const struct diff_entry *o = &d->base.e[i];
		struct diff_gone *x;

		if (diff_gen_find(&d->prev, o->key))
			continue;
		XGROW(d->bgone, d->bgone_cap, d->nbgone + 1);
		x = &d->bgone[d->nbgone++];
		x->kind = (enum region_kind)o->kind;
		x->region = o->region;
		x->name = xstrdup(o->name == DIFF_NONAME ? "" :
						       d->base.names + o->name);
		x->start = o->start;
		x->end = o->end;
		x->vsz_kib = o->vsz;
		x->age = 1;
	}
}

/* A copy of generation g (its index rebuilt: keys and order are g's). */
static void diff_gen_copy(struct diff_gen *dst, const struct diff_gen *g)
{
	diff_gen_init(dst, g->n);
	for (size_t i = 0; i < g->n; i++) {
		struct diff_entry *e = diff_gen_add(dst, g->e[i].key);

		if (e)
			*e = g->e[i];
	}
	if (g->names_len) {
		dst->names = xmalloc(g->names_len);
		memcpy(dst->names, g->names, g->names_len);
		dst->names_len = dst->names_cap = g->names_len;
	}
}

int diff_baseline_set(struct diff *d, double time)
{
	if (!d->have_prev)
		return -EAGAIN;
	diff_baseline_clear(d);
	diff_gen_copy(&d->base, &d->prev);
	d->base_time = time > 0 ? time : 1e-9;
	diff_base_gone(d);
	return 0;
}

void diff_baseline_clear(struct diff *d)
{
	if (d->base_time)
		diff_gen_release(&d->base);
	d->base_time = 0;
	diff_bgone_clear(d);
}

double diff_baseline_time(const struct diff *d)
{
	return d->base_time;
}

/* The change of e (the last update's) since the baseline. */
static enum diff_change diff_since_base(const struct diff *d,
					const struct diff_entry *e,
					int64_t *delta_kib)
{
	const struct diff_entry *o = diff_gen_find(&d->base, e->key);
	int64_t delta = 0;

	if (!o) {
		*delta_kib = (int64_t)e->vsz;
		return DIFF_NEW;
	}
	if (o->vsz != e->vsz)
		delta = (int64_t)e->vsz - (int64_t)o->vsz;
	else if (o->rss != VMMAP_UNKNOWN && e->rss != VMMAP_UNKNOWN)
		delta = (int64_t)e->rss - (int64_t)o->rss;
	*delta_kib = delta;
	return delta > 0 ? DIFF_GREW : delta < 0 ? DIFF_SHRANK : DIFF_NONE;
}

void diff_update(struct diff *d, const struct maptree *t)
{
	struct diff_gen g;

	diff_gen_build(&g, t);
	diff_gone_age(d);
	if (d->have_prev) {
		for (size_t i = 0; i < g.n; i++) {
			struct diff_entry *o;

			o = diff_gen_find(&d->prev, g.e[i].key);

			if (o)
				o->seen = true;
			diff_compare(d, &g.e[i], o);
		}
		/* the last pushed ends up first: push in reverse order */
		for (size_t i = d->prev.n; i-- > 0;)
			if (!d->prev.e[i].seen)
				diff_gone_push(d, &d->prev, &d->prev.e[i]);
	}
	diff_gen_release(&d->prev);
	d->prev = g;
	d->have_prev = true;
	diff_base_gone(d);
}

enum diff_change diff_change_of(const struct diff *d, uint64_t key,
				int64_t *delta_kib)
{
	const struct diff_entry *e;

	if (delta_kib)
		*delta_kib = 0;
	if (!d->have_prev)
		return DIFF_NONE;
	e = diff_gen_find(&d->prev, key);
	if (e && d->base_time) {
		int64_t delta;
		enum diff_change c = diff_since_base(d, e, &delta);

		if (delta_kib)
			*delta_kib = delta;
		return c;
	}
	if (!e || !e->age)
		return DIFF_NONE;
	if (delta_kib)
		*delta_kib = e->delta;
	return (enum diff_change)e->change;
}

size_t diff_gone_list(const struct diff *d, const struct diff_gone **out)
{
	if (d->base_time) {
		*out = d->bgone;
		return d->nbgone;
	}
	*out = d->gone;
	return d->ngone;
}

/* --- carrying smaps forward -------------------------------------------- */

static bool diff_same_region(const struct region *a, const struct region *b)
{
	return a->start == b->start && a->end == b->end &&
	       a->inode == b->inode && memcmp(a->perms, b->perms, 4) == 0;
}

/* The last VmFlags string copied into dst, and where it came from:
 * neighbours mostly share flags, so each run is copied once. */
struct diff_flags {
	const char *src, *dst;
};

static void diff_carry_one(struct vmmap *dst, struct region *a,
			   const struct region *b, struct diff_flags *fl)
{
	const char *vf;

	if (!b->sm) {
		a->rss_kib = b->rss_kib;
		a->pss_kib = b->pss_kib;
		a->swap_kib = b->swap_kib;
		a->dirty_kib = b->dirty_kib;
		a->has_smaps = true;
		return;
	}
	vf = region_vmflags(b);
	if (!fl->src || strcmp(vf, fl->src) != 0)
		fl->dst = vmmap_strdup(dst, vf);
	fl->src = vf;
	vmmap_region_set_smaps(dst, a, b->sm, fl->dst, true);
}

size_t diff_carry_smaps(struct vmmap *dst, const struct vmmap *src)
{
	struct diff_flags fl = { NULL, NULL };
	size_t i = 0, j = 0, matched = 0;

	while (i < dst->nregions && j < src->nregions) {
		struct region *a = &dst->regions[i];
		const struct region *b = &src->regions[j];

		if (a->start < b->start) {
			i++;
			continue;
		}
		if (b->start < a->start) {
			j++;
			continue;
		}
		if (diff_same_region(a, b) && b->has_smaps) {
			const struct region_hugetlb *h =
				vmmap_hugetlb_of(src, b->start);

			diff_carry_one(dst, a, b, &fl);
			/* what the smaps reader noted beside the counters */
			if (h)
				*vmmap_add_hugetlb(dst) = *h;
			if (vmmap_is_noreserve(src, b->start))
				vmmap_add_noreserve(dst, a->start);
			matched++;
		}
		i++;
		j++;
	}
	dst->rollup_rss_kib = src->rollup_rss_kib;
	dst->rollup_pss_kib = src->rollup_pss_kib;
	dst->rollup_swap_kib = src->rollup_swap_kib;
	return matched;
}
