/* maptree: aggregation of a classified vmmap into categories -> groups ->
 * regions with totals, and the summaries beside them.
 *
 * Cost is O(n) plus sorting the groups: regions are assigned to groups
 * through one open-addressing hash table, once per run of consecutive
 * regions of one group, and every group's region list is a slice of one
 * array filled in address order, so no allocation happens per region.
 * The regions are read once: the pass that groups them also adds up the
 * arenas and counts the resolver's regions; what follows works on the
 * runs and the groups. */
#include "config.h"

#include "vmtop/maptree.h"

#include <stdlib.h>
#include <string.h>

#include "vmtop/hash.h"
#include "vmtop/insights.h"
#include "vmtop/xalloc.h"

static const char *const maptree_kind_names[KIND__COUNT] = {
	[KIND_NONE] = "none",
	[KIND_BINARY] = "binary",
	[KIND_LIBRARY] = "library",
	[KIND_FILE] = "file",
	[KIND_HEAP] = "heap",
	[KIND_ARENA] = "arena",
	[KIND_MAIN_STACK] = "main_stack",
	[KIND_THREAD_STACK] = "thread_stack",
	[KIND_GO_HEAP] = "go_heap",
	[KIND_GO_RUNTIME] = "go_runtime",
	[KIND_ANON] = "anon",
	[KIND_SHARED] = "shared",
	[KIND_KERNEL] = "kernel",
	[KIND_V8_CODE_RANGE] = "v8_code_range",
	[KIND_V8_CAGE] = "v8_cage",
	[KIND_V8_HEAP] = "v8_heap",
	[KIND_PYMALLOC] = "pymalloc",
	[KIND_JAVA_HEAP] = "java_heap",
	[KIND_JAVA_CLASS_SPACE] = "java_class_space",
	[KIND_JAVA_METASPACE] = "java_metaspace",
	[KIND_JAVA_CODE_CACHE] = "java_code_cache",
	[KIND_JAVA_GC] = "java_gc",
	[KIND_ALLOCATOR] = "allocator",
	[KIND_MALLOC_BLOCK] = "malloc_block",
};

static const char *const maptree_tag_names[TAG__COUNT] = {
	"dns", "guard", "reserved", "deleted", "verified", "exec", "shared",
	"hugetlb",
};

const char *maptree_kind_name(enum region_kind k)
{
	return (unsigned)k < KIND__COUNT ? maptree_kind_names[k] : "none";
}

const char *maptree_tag_name(unsigned tag)
{
	for (unsigned b = 0; b < TAG__COUNT; b++)
		if (tag == 1u << b)
			return maptree_tag_names[b];
	return NULL;
}

/* A compact counter, unknown counting as 0. */
static uint64_t maptree_kib(uint32_t v)
{
	return v == VMMAP_KIB_UNKNOWN ? 0 : v;
}

static void maptree_totals_zero(struct maptree_totals *t, bool smaps)
{
	uint64_t z = smaps ? 0 : VMMAP_UNKNOWN;

	memset(t, 0, sizeof(*t));
	t->rss_kib = t->pss_kib = t->swap_kib = t->dirty_kib = z;
}

/* Adds totals b to a. */
static void maptree_totals_sum(struct maptree_totals *a,
			       const struct maptree_totals *b)
{
	a->regions += b->regions;
	a->vsz_kib += b->vsz_kib;
	a->reserved_kib += b->reserved_kib;
	a->hugetlb_kib += b->hugetlb_kib;
	if (a->rss_kib == VMMAP_UNKNOWN || b->rss_kib == VMMAP_UNKNOWN)
		return;
	a->rss_kib += b->rss_kib;
	a->pss_kib += b->pss_kib;
	a->swap_kib += b->swap_kib;
	a->dirty_kib += b->dirty_kib;
}

/* --- grouping ---------------------------------------------------------- */

struct maptree_gtab {
	struct hash_table index; /* group key -> group index; sized by the
				  * groups, not the regions: 60 000 regions
				  * make a few dozen groups, and vmtop's peak
				  * RSS counts */
	struct maptree_group *g;
	uint64_t *largest;      /* per group: its largest region, KiB */
	size_t ng, capg, capl;
};

/* The key of a group: a hash of its kind and name, never 0. */
static uint64_t maptree_key(enum region_kind k, const char *s)
{
	uint64_t h = hash_fnv_str(HASH_FNV_INIT ^ (uint64_t)k, s);

	h ^= h >> 29;
	return h ? h : 1;
}

static size_t maptree_gtab_get(struct maptree_gtab *gt, const struct region *r,
			       bool smaps)
{
	uint64_t key = maptree_key(r->kind, r->group);
	uint32_t *slot;

	/* two groups with one key: the later one takes the next key free */
	for (;; key = key + 1 ? key + 1 : 1) {
		slot = hash_table_put(&gt->index, key);
		if (*slot == HASH_NONE)
			break;
		if (gt->g[*slot].kind == r->kind &&
		    strcmp(gt->g[*slot].name, r->group) == 0)
			return *slot;
	}
	*slot = (uint32_t)gt->ng;
	XGROW(gt->g, gt->capg, gt->ng + 1);
	XGROW(gt->largest, gt->capl, gt->ng + 1);
	memset(&gt->g[gt->ng], 0, sizeof(gt->g[0]));
	gt->largest[gt->ng] = 0;
	gt->g[gt->ng].name = r->group;
	gt->g[gt->ng].kind = r->kind;
	maptree_totals_zero(&gt->g[gt->ng].t, smaps);
	return gt->ng++;
}

/* Consecutive regions of one group: from first to the next run's first
 * (or the end).  Runs, not a group index per region, because a map has
 * far fewer of them (the segments of a library, a run of anonymous
 * memory). */
struct maptree_run {
	uint32_t first;
	uint32_t group;         /* index in maptree_gtab.g */
};

struct maptree_runs {
	struct maptree_run *r;
	size_t n, cap;
};

static void maptree_arena_note(struct maptree *t, const struct region *r);
static void maptree_resolver_note(struct maptree *t, const struct region *r);

static bool maptree_same_group(const struct region *p, const struct region *r)
{
	return p->kind == r->kind &&
	       (p->group == r->group || strcmp(p->group, r->group) == 0);
}

/* Adds the regions from r on that share r's kind and group string to
 * tg and *largest (the size of the largest), counts those with the dns
 * tag in *dns, and returns the region after them.  The hot loop of
 * maptree_build(): no call in it, so that the sums stay in registers;
 * [vsyscall] is left to the caller. */
static const struct region *maptree_sum_run(const struct region *r,
					    const struct region *end,
					    bool smaps,
					    struct maptree_totals *tg,
					    uint64_t *largest_kib, size_t *dns)
{
	const struct region *first = r;
	enum region_kind kind = r->kind;
	const char *group = r->group;
	uint64_t vsz = 0, res = 0, rss = 0, pss = 0, swap = 0, dirty = 0;
	uint64_t largest = *largest_kib;
	size_t ndns = 0;

	do {
		uint64_t kib = (r->end - r->start) / 1024;

		if (kib > largest)
			largest = kib;
		vsz += kib;
		if (r->tags & TAG_RESERVED)
			res += kib;
		if (smaps && r->has_smaps) {
			rss += maptree_kib(r->rss_kib);
			pss += maptree_kib(r->pss_kib);
			swap += maptree_kib(r->swap_kib);
			dirty += maptree_kib(r->dirty_kib);
		}
		ndns += (r->tags & TAG_DNS) != 0;
		r++;
	} while (r < end && r->kind == kind && r->group == group);
	*largest_kib = largest;
	tg->regions += (size_t)(r - first);
	tg->vsz_kib += vsz;
	tg->reserved_kib += res;
	if (smaps) {
		tg->rss_kib += rss;
		tg->pss_kib += pss;
		tg->swap_kib += swap;
		tg->dirty_kib += dirty;
	}
	*dns = ndns;
	return r;
}

/* Takes the regions in [r, end) that do not count in VmSize back out
 * of tg. */
static void maptree_uncount(const struct region *r, const struct region *end,
			    struct maptree_totals *tg)
{
	for (; r < end; r++) {
		uint64_t kib = (r->end - r->start) / 1024;

		if (maptree_counts(r))
			continue;
		tg->vsz_kib -= kib;
		if (r->tags & TAG_RESERVED)
			tg->reserved_kib -= kib;
	}
}

/* The hugetlb pages of the regions in [r, end) (few processes have any:
 * the caller asks only when m has some). */
static void maptree_hugetlb_run(const struct vmmap *m, const struct region *r,
				const struct region *end,
				struct maptree_totals *tg)
{
	for (; r < end; r++) {
		const struct region_hugetlb *h;

		if (!(r->tags & TAG_HUGETLB))
			continue;
		h = vmmap_hugetlb_of(m, r->start);
		if (h)
			tg->hugetlb_kib += h->shared_kib + h->private_kib;
	}
}

/* Adds the regions from index i on that share its kind and group string
 * to group g of gt, notes what the summaries need from them, and returns
 * the index after them. */
static size_t maptree_add_run(struct maptree *t, size_t i,
			      struct maptree_gtab *gt, size_t g)
{
	struct maptree_totals *tg = &gt->g[g].t;
	const struct region *first = &t->m->regions[i];
	const struct region *end = t->m->regions + t->m->nregions;
	const struct region *next;
	size_t dns;

	next = maptree_sum_run(first, end, t->has_smaps, tg, &gt->largest[g],
			       &dns);
	/* what depends on the kind is decided once per run, and the few
	 * regions that need more are read again while in cache */
	if (first->kind == KIND_KERNEL)
		maptree_uncount(first, next, tg);
	if (first->kind == KIND_HEAP && !t->arenas.main_heap)
		t->arenas.main_heap = first;
	if (t->m->nhugetlb)
		maptree_hugetlb_run(t->m, first, next, tg);
	if (first->kind != KIND_ARENA && !dns)
		return (size_t)(next - t->m->regions);
	for (const struct region *r = first; r < next; r++) {
		if (r->kind == KIND_ARENA)
			maptree_arena_note(t, r);
		if (r->tags & TAG_DNS)
			maptree_resolver_note(t, r);
	}
	return (size_t)(next - t->m->regions);
}

/* The one pass over the regions: cuts them into runs, accumulates the
 * group totals, and notes what the summaries need ([heap], the arenas,
 * the resolver's regions).  A run ends where the group string changes;
 * the next one is looked up only when its name does too. */
static void maptree_group_regions(struct maptree *t, struct maptree_gtab *gt,
				  struct maptree_runs *runs)
{
	const struct vmmap *m = t->m;
	size_t g = 0;

	for (size_t i = 0; i < m->nregions;) {
		const struct region *r = &m->regions[i];

		if (i == 0 || !maptree_same_group(r - 1, r)) {
			g = maptree_gtab_get(gt, r, t->has_smaps);
			XGROW(runs->r, runs->cap, runs->n + 1);
			runs->r[runs->n].first = (uint32_t)i;
			runs->r[runs->n].group = (uint32_t)g;
			runs->n++;
		}
		i = maptree_add_run(t, i, gt, g);
	}
	hash_table_release(&gt->index);
}

struct maptree_sortctx {
	const struct maptree_group *g;
	int rank[KIND__COUNT];  /* category order: vsz descending, then kind */
};

static int maptree_cmp_group(const void *a, const void *b, void *arg)
{
	const struct maptree_sortctx *sc = arg;
	const struct maptree_group *x = &sc->g[*(const uint32_t *)a];
	const struct maptree_group *y = &sc->g[*(const uint32_t *)b];

	if (sc->rank[x->kind] != sc->rank[y->kind])
		return sc->rank[x->kind] - sc->rank[y->kind];
	if (x->t.vsz_kib != y->t.vsz_kib)
		return x->t.vsz_kib > y->t.vsz_kib ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int maptree_cmp_cat(const void *a, const void *b)
{
	const struct maptree_category *x = a, *y = b;

	if (x->t.vsz_kib != y->t.vsz_kib)
		return x->t.vsz_kib > y->t.vsz_kib ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

/* Category totals, sorted; fills sc->rank. */
static void maptree_categories(struct maptree *t, const struct maptree_gtab *gt,
			       struct maptree_sortctx *sc)
{
	struct maptree_category cat[KIND__COUNT];
	bool present[KIND__COUNT] = { false };

	for (int k = 0; k < KIND__COUNT; k++) {
		memset(&cat[k], 0, sizeof(cat[k]));
		cat[k].kind = (enum region_kind)k;
		maptree_totals_zero(&cat[k].t, t->has_smaps);
	}
	for (size_t g = 0; g < gt->ng; g++) {
		present[gt->g[g].kind] = true;
		maptree_totals_sum(&cat[gt->g[g].kind].t, &gt->g[g].t);
	}
	t->categories = xcalloc(KIND__COUNT, sizeof(*t->categories));
	for (int k = 0; k < KIND__COUNT; k++)
		if (present[k])
			t->categories[t->ncategories++] = cat[k];
	qsort(t->categories, t->ncategories, sizeof(*t->categories),
	      maptree_cmp_cat);
	for (size_t c = 0; c < t->ncategories; c++) {
		sc->rank[t->categories[c].kind] = (int)c;
		maptree_totals_sum(&t->totals, &t->categories[c].t);
	}
}

/* Orders the groups, gives each its slice of region_store, links the
 * categories to their groups. */
static void maptree_place(struct maptree *t, struct maptree_gtab *gt,
			  struct maptree_sortctx *sc,
			  const struct maptree_runs *runs)
{
	const struct vmmap *m = t->m;
	uint32_t *order = xcalloc(gt->ng + 1, sizeof(*order));
	uint32_t *newid = xcalloc(gt->ng + 1, sizeof(*newid));
	size_t off = 0, c = 0;

	for (size_t g = 0; g < gt->ng; g++)
		order[g] = (uint32_t)g;
	sc->g = gt->g;
	qsort_r(order, gt->ng, sizeof(*order), maptree_cmp_group, sc);
	t->group_store = xcalloc(gt->ng + 1, sizeof(*t->group_store));
	t->group_largest = xcalloc(gt->ng + 1, sizeof(*t->group_largest));
	/* not zeroed: every entry is written below (the groups' counts add
	 * up to nregions) */
	t->region_store = xreallocarray(NULL, m->nregions + 1,
					sizeof(*t->region_store));
	for (size_t n = 0; n < gt->ng; n++) {
		struct maptree_group *g = &t->group_store[n];

		*g = gt->g[order[n]];
		t->group_largest[n] = gt->largest[order[n]];
		newid[order[n]] = (uint32_t)n;
		g->regions = t->region_store + off;
		off += g->t.regions;
	}
	for (size_t k = 0; k < runs->n; k++) {
		const struct maptree_run *run = &runs->r[k];
		struct maptree_group *g = &t->group_store[newid[run->group]];
		size_t end = k + 1 < runs->n ? run[1].first : m->nregions;
		const struct region **out = g->regions + g->nregions;

		for (size_t i = run->first; i < end; i++)
			*out++ = &m->regions[i];
		g->nregions += end - run->first;
	}
	for (size_t n = 0; n < gt->ng; n++) {
		while (t->categories[c].kind != t->group_store[n].kind)
			c++;
		if (!t->categories[c].groups)
			t->categories[c].groups = &t->group_store[n];
		t->categories[c].ngroups++;
	}
	free(order);
	free(newid);
}

static void maptree_tree(struct maptree *t)
{
	struct maptree_gtab gt = { 0 };
	struct maptree_sortctx sc;
	struct maptree_runs runs = { 0 };

	memset(&sc, 0, sizeof(sc));
	maptree_totals_zero(&t->totals, t->has_smaps);
	maptree_group_regions(t, &gt, &runs);
	maptree_categories(t, &gt, &sc);
	maptree_place(t, &gt, &sc, &runs);
	free(gt.g);
	free(gt.largest);
	free(runs.r);
}

/* --- summaries --------------------------------------------------------- */

/* Whether region r starts an arena's first heap (its probe says so). */
static bool maptree_first_heap(const struct vmmap *m, const struct region *r)
{
	for (size_t k = 0; k < m->nprobes; k++)
		if (m->probes[k].addr == r->start)
			return m->probes[k].err == 0 &&
			       m->probes[k].ar_ptr == r->start + 48;
	return false;
}

static void maptree_arena_add(struct maptree *t, const struct region *r)
{
	struct maptree_arena *a = &t->arenas.items[r->arena];
	uint64_t kib = (r->end - r->start) / 1024;
	bool heap = r->start % VMMAP_ARENA_HEAP_MAX == 0 && !(r->tags & TAG_RESERVED);

	a->vsz_kib += kib;
	if (r->tags & TAG_RESERVED)
		t->arenas.reserved_kib += kib;
	else
		a->committed_kib += kib;
	if (r->has_smaps)
		a->rss_kib += maptree_kib(r->rss_kib);
	a->verified = r->tags & TAG_VERIFIED;
	if (!heap)
		return;
	a->heaps++;
	/* Base: the first heap; by shape, an arena has only that one. */
	if (a->base == 0 || maptree_first_heap(t->m, r))
		a->base = r->start;
}

/* Before the grouping pass: one item per arena. */
static void maptree_arenas_init(struct maptree *t)
{
	const struct vmmap *m = t->m;
	struct maptree_arenas *as = &t->arenas;

	as->count = m->narenas;
	as->limit = m->arena_limit;
	as->arena_max = m->arena_limit_source;
	as->items = xcalloc(m->narenas + 1, sizeof(*as->items));
	for (unsigned a = 0; a < m->narenas; a++)
		as->items[a].rss_kib = t->has_smaps ? 0 : VMMAP_UNKNOWN;
}

/* After it: the sums over the arenas. */
static void maptree_arenas_finish(struct maptree *t)
{
	struct maptree_arenas *as = &t->arenas;

	for (unsigned a = 0; a < as->count; a++) {
		as->committed_kib += as->items[a].committed_kib;
		as->verified += as->items[a].verified;
	}
}

/* Arena region r, in the grouping pass (address order). */
static void maptree_arena_note(struct maptree *t, const struct region *r)
{
	if (r->arena >= 0 && (unsigned)r->arena < t->m->narenas)
		maptree_arena_add(t, r);
}

/* Region r with the dns tag, in the grouping pass. */
static void maptree_resolver_note(struct maptree *t, const struct region *r)
{
	t->resolver.regions++;
	/* nscd's caches match the dns rule: only those need a look */
	if (strstr(r->path, "/nscd/"))
		t->resolver.nscd = true;
}

static const char *maptree_no_stack(const struct vmmap *m,
				    const struct vmthread *th)
{
	size_t i;

	switch (th->sp_status) {
	case SP_RUNNING:
		return "running when read: stack pointer unknown";
	case SP_DENIED:
		return "task syscall file not readable";
	case SP_GONE:
		return "thread exited";
	default:
		break;
	}
	if (th->sp == 0)
		return "stack pointer unknown";
	i = vmmap_find(m, th->sp);
	if (i == SIZE_MAX)
		return "stack pointer outside every mapping";
	if (m->regions[i].kind == KIND_GO_HEAP)
		return "stack inside the Go heap";
	return "stack pointer in a region that is not a stack";
}

/* Thread stacks (not guards) with an owner, by TID: how a thread
 * without a stack pointer finds the stack classification gave it. */
struct maptree_stacks {
	const struct region **r;
	size_t n;
};

static int maptree_cmp_tid(const void *a, const void *b)
{
	int x = (*(const struct region *const *)a)->tid;
	int y = (*(const struct region *const *)b)->tid;

	return (x > y) - (x < y);
}

static void maptree_stacks_init(const struct vmmap *m,
				struct maptree_stacks *s)
{
	bool running = false;

	s->r = NULL;
	s->n = 0;
	for (size_t t = 0; t < m->nthreads; t++)
		running |= m->threads[t].sp_status == SP_RUNNING;
	if (!running)
		return;
	s->r = xcalloc(m->nregions + 1, sizeof(*s->r));
	for (size_t i = 0; i < m->nregions; i++)
		if (m->regions[i].kind == KIND_THREAD_STACK &&
		    m->regions[i].tid > 0 &&
		    !(m->regions[i].tags & TAG_GUARD))
			s->r[s->n++] = &m->regions[i];
	qsort(s->r, s->n, sizeof(*s->r), maptree_cmp_tid);
}

/* Index of thread tid's stack region in m, or SIZE_MAX. */
static size_t maptree_stack_of(const struct vmmap *m,
			       const struct maptree_stacks *s, pid_t tid)
{
	struct region key;
	const struct region *kp = &key, *const *hit;

	if (!s->n)
		return SIZE_MAX;
	key.tid = tid;
	hit = bsearch(&kp, s->r, s->n, sizeof(*s->r), maptree_cmp_tid);
	return hit ? (size_t)(*hit - m->regions) : SIZE_MAX;
}

/* Fills th's stack from the region holding its SP, or else the one
 * classification gave it, and the guard below. */
static void maptree_thread_stack(const struct vmmap *m,
				 const struct maptree_stacks *s,
				 const struct vmthread *th,
				 struct maptree_thread *out)
{
	size_t i = th->sp_status == SP_OK && th->sp ?
			   vmmap_find(m, th->sp) : SIZE_MAX;
	const struct region *r, *g;

	if (i == SIZE_MAX && th->sp_status == SP_RUNNING)
		i = maptree_stack_of(m, s, th->tid);

	if (i == SIZE_MAX && th->tid == m->pid) {
		/* The main thread's stack is [stack] even without its SP. */
		for (size_t k = m->nregions; k-- > 0;)
			if (m->regions[k].kind == KIND_MAIN_STACK)
				i = k;
	}
	if (i == SIZE_MAX || (m->regions[i].kind != KIND_THREAD_STACK &&
			      m->regions[i].kind != KIND_MAIN_STACK)) {
		out->no_stack = maptree_no_stack(m, th);
		return;
	}
	r = &m->regions[i];
	out->has_stack = true;
	out->stack_start = r->start;
	out->stack_end = r->end;
	g = i > 0 ? &m->regions[i - 1] : NULL;
	if (g && (g->tags & TAG_GUARD) && g->end == r->start)
		out->guard_kib = (g->end - g->start) / 1024;
}

static void maptree_threads(struct maptree *t)
{
	const struct vmmap *m = t->m;
	struct maptree_stacks s;

	maptree_stacks_init(m, &s);
	t->threads = xcalloc(m->nthreads + 1, sizeof(*t->threads));
	t->nthreads = m->nthreads;
	for (size_t k = 0; k < m->nthreads; k++) {
		const struct vmthread *th = &m->threads[k];
		struct maptree_thread *o = &t->threads[k];

		o->tid = th->tid;
		o->name = th->name;
		o->state = th->state;
		maptree_thread_stack(m, &s, th, o);
	}
	free(s.r);
}

static void maptree_resolver(struct maptree *t)
{
	struct maptree_resolver *rs = &t->resolver;

	/* regions and nscd were noted in the grouping pass */
	for (size_t c = 0; c < t->ncategories; c++) {
		const struct maptree_category *cat = &t->categories[c];

		if (cat->kind != KIND_LIBRARY)
			continue;
		rs->modules = xcalloc(cat->ngroups + 1, sizeof(*rs->modules));
		for (size_t g = 0; g < cat->ngroups; g++)
			if (cat->groups[g].regions[0]->tags & TAG_DNS)
				rs->modules[rs->nmodules++] =
					cat->groups[g].name;
	}
}

/* Whether word is one of the comma- or space-separated items of list. */
static bool maptree_has_item(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ", ");

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		p += strspn(p, ", ");
	}
	return false;
}

/* The mode of GODEBUG's first netdns setting ("go", "cgo"; "netdns=go+1"
 * and "netdns=1+cgo" have a debug level too), as Go's runtime reads it:
 * into buf, "" when none. */
static void maptree_netdns(const char *godebug, char *buf, size_t size)
{
	const char *p = godebug;

	buf[0] = '\0';
	while (p && *p) {
		size_t len = strcspn(p, ",");

		if (len > 7 && strncmp(p, "netdns=", 7) == 0) {
			const char *v = p + 7, *e = p + len;

			while (v < e) {
				size_t part = strcspn(v, "+,");

				if (part && (unsigned char)(*v - '0') > 9 &&
				    part < size) {
					memcpy(buf, v, part);
					buf[part] = '\0';
				}
				v += part + (v + part < e);
			}
			return;
		}
		p += len + (p[len] == ',');
	}
}

/* Go 1.19's net/conf.go: Go's resolver when built with netgo, without
 * cgo, or with netdns=go; else getaddrinfo when built with netcgo or
 * with netdns=cgo; else Go's own unless the system's configuration
 * needs getaddrinfo. */
static void maptree_go_resolver(struct maptree *t)
{
	const struct maptree_runtime *rt = &t->runtime;
	struct maptree_resolver *rs = &t->resolver;
	bool netgo = maptree_has_item(rt->build_tags, "netgo");
	bool netcgo = maptree_has_item(rt->build_tags, "netcgo");
	char mode[8];

	if (!t->m->exe.is_go)
		return;
	maptree_netdns(rt->godebug, mode, sizeof(mode));
	/* netcgo does not build without cgo: it says cgo is linked */
	if (netgo || (rt->cgo != 1 && !netcgo) || !strcmp(mode, "go")) {
		rs->go_choice = "go";
		rs->go_by = netgo ? "netgo" :
			    rt->cgo != 1 && !netcgo ? "no_cgo" : "GODEBUG";
	} else if (netcgo || !strcmp(mode, "cgo")) {
		rs->go_choice = "cgo";
		rs->go_by = netcgo ? "netcgo" : "GODEBUG";
	} else {
		rs->go_choice = "go_then_cgo";
		rs->go_by = "default";
	}
}

static const char *const maptree_runtime_names[RT__COUNT] = {
	/* the names people use, as "C" and "Go" are */
	[RT_JVM] = "Java",      [RT_V8] = "Node.js",
	[RT_PYTHON] = "Python", [RT_DOTNET] = ".NET",
	[RT_ERLANG] = "Erlang", [RT_POSTGRES] = "PostgreSQL",
};

static const char *const maptree_alloc_names[ALLOC__COUNT] = {
	"glibc", "jemalloc", "tcmalloc", "mimalloc", "musl",
};

const char *maptree_runtime_name(enum vmmap_runtime rt)
{
	return (unsigned)rt < RT__COUNT ? maptree_runtime_names[rt] : NULL;
}

const char *maptree_alloc_name(unsigned bit)
{
	for (unsigned k = 0; k < ALLOC__COUNT; k++)
		if (bit == 1u << k)
			return maptree_alloc_names[k];
	return NULL;
}

unsigned maptree_alloc_primary(unsigned alloc)
{
	static const unsigned order[] = { ALLOC_JEMALLOC, ALLOC_TCMALLOC,
					  ALLOC_MIMALLOC, ALLOC_MUSL,
					  ALLOC_GLIBC };

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		if (alloc & order[k])
			return order[k];
	return 0;
}

static void maptree_runtime(struct maptree *t)
{
	const struct vmexe *e = &t->m->exe;
	struct maptree_runtime *rt = &t->runtime;

	rt->cgo = -1;
	rt->is_static = e->read ? e->is_static : -1;
	rt->godebug = t->m->env.godebug;
	if (e->is_go) {
		rt->language = "Go";
		rt->go_version = e->go_version;
		rt->build_tags = e->go_tags;
		/* CGO_ENABLED=1 is only the setting: netgo builds are static */
		if (e->go_cgo >= 0)
			rt->cgo = e->go_cgo == 1 && !e->is_static;
	} else if (t->m->rt.rt != RT_NONE) {
		rt->language = maptree_runtime_name(t->m->rt.rt);
	} else if (e->read) {
		rt->language = "C";
	}
	rt->version = t->m->rt.version[0] ? t->m->rt.version : NULL;
	rt->evidence = t->m->rt.evidence;
	rt->allocators = t->m->rt.alloc;
	rt->allocator = maptree_alloc_name(
		maptree_alloc_primary(t->m->rt.alloc));
}

struct maptree *maptree_build(const struct vmmap *m)
{
	struct maptree *t = xcalloc(1, sizeof(*t));

	t->m = m;
	for (size_t i = 0; i < m->nregions && !t->has_smaps; i++)
		t->has_smaps = m->regions[i].has_smaps;
	maptree_arenas_init(t);
	maptree_tree(t);
	maptree_arenas_finish(t);
	maptree_threads(t);
	maptree_resolver(t);
	maptree_runtime(t);
	maptree_go_resolver(t);
	insights_build(t);
	return t;
}

void maptree_free(struct maptree *t)
{
	if (!t)
		return;
	for (size_t k = 0; k < t->ninsights; k++)
		free(t->insights[k].text);
	free(t->insights);
	free(t->resolver.modules);
	free(t->threads);
	free(t->arenas.items);
	free(t->categories);
	free(t->group_store);
	free(t->group_largest);
	free(t->region_store);
	free(t);
}
