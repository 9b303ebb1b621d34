/* insights: the largest causes of VSZ, each as one sentence with its
 * numbers and the knob that would change it.  One small function per
 * cause, run from a table; each adds at most one insight. */
#include "config.h"

#include "vmtop/insights.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

/* Regions at least this large are "large anonymous" ones. */
#define INSIGHTS_ANON_MIN_KIB 1024

static void insights_add(struct maptree *t, const char *id, uint64_t kib,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void insights_add(struct maptree *t, const char *id, uint64_t kib,
			 const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	t->insights = xreallocarray(t->insights, t->ninsights + 1,
				    sizeof(*t->insights));
	t->insights[t->ninsights].id = id;
	t->insights[t->ninsights].kib = kib;
	t->insights[t->ninsights].text = strbuf_detach(&sb);
	t->ninsights++;
}

static const struct maptree_category *insights_cat(const struct maptree *t,
						   enum region_kind k)
{
	for (size_t c = 0; c < t->ncategories; c++)
		if (t->categories[c].kind == k)
			return &t->categories[c];
	return NULL;
}

static void insights_arenas(struct maptree *t)
{
	const struct maptree_arenas *as = &t->arenas;
	const struct maptree_category *cat = insights_cat(t, KIND_ARENA);
	char total[24], big[24], comm[24], resv[24], cap[48] = "";
	uint64_t max = 0;
	bool same = true;
	unsigned n = as->count;

	if (!cat || n == 0)
		return;
	for (unsigned a = 0; a < n; a++) {
		same &= as->items[a].vsz_kib == as->items[0].vsz_kib;
		if (as->items[a].vsz_kib > max)
			max = as->items[a].vsz_kib;
	}
	fmt_size(total, sizeof(total), cat->t.vsz_kib, FMT_SIZE_WORDS);
	fmt_size(big, sizeof(big), max, FMT_SIZE_WORDS);
	fmt_size(comm, sizeof(comm), as->committed_kib, FMT_SIZE_WORDS);
	fmt_size(resv, sizeof(resv), as->reserved_kib, FMT_SIZE_WORDS);
	/* the cap counts the main arena too */
	if (as->limit > 0 && n + 1 >= (unsigned)as->limit)
		snprintf(cap, sizeof(cap), "; the cap of %d is reached",
			 as->limit);
	/* "map", not "reserve": reserved is the PROT_NONE part only */
	if (n == 1)
		insights_add(t, "arenas", cat->t.vsz_kib,
			     "1 glibc malloc arena maps %s (%s reserved, %s "
			     "committed%s); MALLOC_ARENA_MAX=1 would remove "
			     "it", total, resv, comm, cap);
	else
		insights_add(t, "arenas", cat->t.vsz_kib,
			     "%u glibc malloc arenas map %s (%s %s; %s "
			     "reserved, %s committed%s); MALLOC_ARENA_MAX=1 "
			     "would remove them",
			     n, total, same ? big : "largest",
			     same ? "each" : big, resv, comm, cap);
}

/* Stacks (not guards) of the thread_stack category, owned or not. */
static void insights_count_stacks(const struct maptree_category *cat,
				  size_t *owned, size_t *cached,
				  uint64_t *size, bool *same)
{
	*owned = *cached = 0;
	*size = 0;
	*same = true;
	for (size_t g = 0; g < cat->ngroups; g++) {
		for (size_t k = 0; k < cat->groups[g].nregions; k++) {
			const struct region *r = cat->groups[g].regions[k];
			uint64_t kib = (r->end - r->start) / 1024;

			if (r->tags & TAG_GUARD)
				continue;
			if (r->tid)
				(*owned)++;
			else
				(*cached)++;
			if (*size && *size != kib)
				*same = false;
			if (kib > *size)
				*size = kib;
		}
	}
}

static void insights_stacks(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_THREAD_STACK);
	struct strbuf in = STRBUF_INIT;
	size_t owned, cached, n;
	uint64_t size;
	bool same;
	char total[24], a[24];

	if (!cat)
		return;
	insights_count_stacks(cat, &owned, &cached, &size, &same);
	n = owned + cached;
	if (n == 0)
		return;
	/* "map", not "reserve": a stack is committed address space (only
	 * its guard page is reserved), and how little of it is resident is
	 * the point */
	fmt_size(a, sizeof(a), size, FMT_SIZE_WORDS);
	if (n > 1)
		strbuf_addf(&in, same ? "%s each" : "largest %s", a);
	if (cached)
		strbuf_addf(&in, "%s%zu cached from exited threads",
			    in.len ? ", " : "", cached);
	fmt_size(a, sizeof(a), cat->t.vsz_kib - cat->t.reserved_kib,
		 FMT_SIZE_WORDS);
	strbuf_addf(&in, "%s%s committed", in.len ? "; " : "", a);
	if (t->has_smaps && cat->t.rss_kib != VMMAP_UNKNOWN)
		strbuf_addf(&in, ", %s resident",
			    fmt_size(a, sizeof(a), cat->t.rss_kib,
				     FMT_SIZE_WORDS));
	fmt_size(total, sizeof(total), cat->t.vsz_kib, FMT_SIZE_WORDS);
	insights_add(t, "thread_stacks", cat->t.vsz_kib,
		     "%zu thread stack%s map%s %s (%s); ulimit -s or "
		     "pthread_attr_setstacksize() sets their size",
		     n, n == 1 ? "" : "s", n == 1 ? "s" : "", total, in.buf);
	strbuf_release(&in);
}

static void insights_go(struct maptree *t)
{
	const struct maptree_category *rt = insights_cat(t, KIND_GO_RUNTIME);
	const struct maptree_category *hp = insights_cat(t, KIND_GO_HEAP);
	uint64_t vsz = 0, res = 0;
	char a[24], b[24];

	if (!t->m->exe.is_go || (!rt && !hp))
		return;
	if (rt) {
		vsz += rt->t.vsz_kib;
		res += rt->t.reserved_kib;
	}
	if (hp) {
		vsz += hp->t.vsz_kib;
		res += hp->t.reserved_kib;
	}
	fmt_size(a, sizeof(a), vsz, FMT_SIZE_WORDS);
	fmt_size(b, sizeof(b), res, FMT_SIZE_WORDS);
	insights_add(t, "go_runtime", vsz,
		     "The Go runtime maps %s, %s of it PROT_NONE reservations "
		     "(heap arena, page-allocator summaries): address space, "
		     "not memory; no GOGC or GOMEMLIMIT setting shrinks it",
		     a, b);
}

static void insights_anon(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_ANON);
	const struct region *big = NULL;
	uint64_t sum = 0;
	size_t n = 0;
	char a[24], b[24];

	if (!cat)
		return;
	for (size_t g = 0; g < cat->ngroups; g++) {
		size_t gi = (size_t)(&cat->groups[g] - t->group_store);

		/* most groups hold no large region: their regions are not
		 * read at all */
		if (t->group_largest &&
		    t->group_largest[gi] < INSIGHTS_ANON_MIN_KIB)
			continue;
		for (size_t k = 0; k < cat->groups[g].nregions; k++) {
			const struct region *r = cat->groups[g].regions[k];
			uint64_t kib = (r->end - r->start) / 1024;

			if (kib < INSIGHTS_ANON_MIN_KIB)
				continue;
			n++;
			sum += kib;
			if (!big || kib > (big->end - big->start) / 1024)
				big = r;
		}
	}
	if (!n)
		return;
	fmt_size(a, sizeof(a), sum, FMT_SIZE_WORDS);
	fmt_size(b, sizeof(b), (big->end - big->start) / 1024, FMT_SIZE_WORDS);
	insights_add(t, "anon_large", sum,
		     "%zu anonymous mapping%s of 1 MiB or more hold%s %s "
		     "(largest %s at 0x%" PRIx64 "): malloc() blocks above "
		     "M_MMAP_THRESHOLD or the program's own mmap()",
		     n, n == 1 ? "" : "s", n == 1 ? "s" : "", a, b, big->start);
}

static const char *insights_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void insights_libs(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_LIBRARY);
	struct strbuf sb = STRBUF_INIT;
	char a[24];

	if (!cat)
		return;
	/* Groups are sorted by vsz: the first ones are the largest. */
	for (size_t g = 0; g < cat->ngroups && g < 3; g++) {
		fmt_size(a, sizeof(a), cat->groups[g].t.vsz_kib,
			 FMT_SIZE_WORDS);
		strbuf_addf(&sb, "%s%s (%s)", g ? ", " : "",
			    insights_base(cat->groups[g].name), a);
	}
	fmt_size(a, sizeof(a), cat->t.vsz_kib, FMT_SIZE_WORDS);
	insights_add(t, "libraries", cat->t.vsz_kib,
		     "%zu shared librar%s map %s, largest %s; fewer or static "
		     "dependencies would shrink it",
		     cat->ngroups, cat->ngroups == 1 ? "y" : "ies", a, sb.buf);
	strbuf_release(&sb);
}

static void insights_heap(struct maptree *t)
{
	const struct region *h = t->arenas.main_heap;
	uint64_t kib;
	char a[24];

	if (!h)
		return;
	kib = (h->end - h->start) / 1024;
	if (kib < INSIGHTS_ANON_MIN_KIB)
		return;
	fmt_size(a, sizeof(a), kib, FMT_SIZE_WORDS);
	insights_add(t, "heap", kib,
		     "[heap] (glibc's main arena) spans %s; malloc_trim(0) or "
		     "a lower M_TRIM_THRESHOLD returns its free top", a);
}

static int insights_cmp(const void *a, const void *b)
{
	const struct maptree_insight *x = a, *y = b;

	if (x->kib != y->kib)
		return x->kib > y->kib ? -1 : 1;
	return strcmp(x->id, y->id);
}

void insights_build(struct maptree *t)
{
	static void (*const causes[])(struct maptree *) = {
		insights_arenas, insights_stacks, insights_go,
		insights_anon, insights_libs, insights_heap,
	};

	for (size_t k = 0; k < sizeof(causes) / sizeof(causes[0]); k++)
		causes[k](t);
	if (t->ninsights)
		qsort(t->insights, t->ninsights, sizeof(*t->insights),
		      insights_cmp);
}
