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
	char total[24], big[24], comm[24], cap[48] = "";
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
	/* the cap counts the main arena too */
	if (as->limit > 0 && n + 1 >= (unsigned)as->limit)
		snprintf(cap, sizeof(cap), "; the cap of %d is reached",
			 as->limit);
	insights_add(t, "arenas", cat->t.vsz_kib,
		     "%u glibc malloc arena%s reserve%s %s (%s %s, %s "
		     "committed%s); MALLOC_ARENA_MAX=1 would remove %s",
		     n, n == 1 ? "" : "s", n == 1 ? "s" : "", total,
		     same ? big : "largest", same ? "each" : big, comm, cap,
		     n == 1 ? "it" : "them");
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

/* Java threads: a guard of more than one page (HotSpot's zone) below. */
static size_t insights_java_threads(const struct maptree *t,
				    const struct maptree_category *cat)
{
	size_t n = 0;

	for (size_t g = 0; g < cat->ngroups; g++)
		for (size_t k = 0; k < cat->groups[g].nregions; k++) {
			const struct region *r = cat->groups[g].regions[k];

			n += (r->tags & TAG_GUARD) &&
			     r->end - r->start > t->m->page_size;
		}
	return n;
}

/* A JVM's stacks: their sizes are the JVM's flags, not ulimit -s. */
static void insights_java_stacks(struct maptree *t,
				 const struct maptree_category *cat,
				 size_t n, const char *total)
{
	size_t java = insights_java_threads(t, cat);

	insights_add(t, "thread_stacks", cat->t.vsz_kib,
		     "%zu thread stack%s reserve%s %s: %zu of Java threads, "
		     "with HotSpot's guard zone (-Xss or -XX:ThreadStackSize; "
		     "compiler threads -XX:CompilerThreadStackSize), %zu of "
		     "VM and GC threads (-XX:VMThreadStackSize); ulimit -s "
		     "does not change them",
		     n, n == 1 ? "" : "s", n == 1 ? "s" : "", total,
		     java < n ? java : n, java < n ? n - java : 0);
}

static void insights_stacks(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_THREAD_STACK);
	size_t owned, cached;
	uint64_t size;
	bool same;
	char total[24], each[24], extra[64] = "";

	if (!cat)
		return;
	insights_count_stacks(cat, &owned, &cached, &size, &same);
	if (owned + cached == 0)
		return;
	if (cached)
		snprintf(extra, sizeof(extra),
			 ", %zu cached from exited threads", cached);
	fmt_size(total, sizeof(total), cat->t.vsz_kib, FMT_SIZE_WORDS);
	fmt_size(each, sizeof(each), size, FMT_SIZE_WORDS);
	if (t->m->jvm.detected) {
		insights_java_stacks(t, cat, owned + cached, total);
		return;
	}
	insights_add(t, "thread_stacks", cat->t.vsz_kib,
		     "%zu thread stack%s reserve%s %s (%s %s%s); ulimit -s or "
		     "pthread_attr_setstacksize() sets their size",
		     owned + cached, owned + cached == 1 ? "" : "s",
		     owned + cached == 1 ? "s" : "", total,
		     same ? each : "largest", same ? "each" : each, extra);
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
	uint64_t sum = 0, res = 0;
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
			/* glibc's malloc never leaves a ---p region */
			if (r->tags & TAG_RESERVED) {
				res += kib;
				continue;
			}
			n++;
			sum += kib;
			if (!big || kib > (big->end - big->start) / 1024)
				big = r;
		}
	}
	if (res) {
		fmt_size(a, sizeof(a), res, FMT_SIZE_WORDS);
		insights_add(t, "anon_reserved", res,
			     "%s of anonymous PROT_NONE reservations: address "
			     "space the program reserved with its own mmap() "
			     "(malloc never leaves one), never resident", a);
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

/* --- the JVM's --------------------------------------------------------- */

/* "2.0 GiB (380 MiB committed": a category's size and its rw part. */
static void insights_vsz_comm(char *out, size_t size,
			      const struct maptree_category *cat)
{
	char a[24], b[24];

	fmt_size(a, sizeof(a), cat->t.vsz_kib, FMT_SIZE_WORDS);
	fmt_size(b, sizeof(b), cat->t.vsz_kib - cat->t.reserved_kib,
		 FMT_SIZE_WORDS);
	snprintf(out, size, "%s (%s committed", a, b);
}

/* ", 129 MiB used per hsperfdata" when the counter is known. */
static void insights_used(char *out, size_t size, uint64_t bytes)
{
	char a[24];

	out[0] = '\0';
	/* ZGC updates its counters at collections: 0 until the first */
	if (bytes == VMMAP_UNKNOWN || bytes == 0)
		return;
	fmt_size(a, sizeof(a), bytes / 1024, FMT_SIZE_WORDS);
	snprintf(out, size, ", %s used per hsperfdata", a);
}

static void insights_java_heap(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_JAVA_HEAP);
	const struct vmjvm *j = &t->m->jvm;
	char vc[64], used[64], one[24];

	if (!cat)
		return;
	insights_vsz_comm(vc, sizeof(vc), cat);
	insights_used(used, sizeof(used), j->heap_used);
	if (cat->ngroups >= 2 && strncmp(cat->groups[0].name, "view ", 5) == 0) {
		fmt_size(one, sizeof(one), cat->groups[0].t.vsz_kib,
			 FMT_SIZE_WORDS);
		insights_add(t, "java_heap", cat->t.vsz_kib,
			     "ZGC maps its heap %zu times: %s)%s are %zu views "
			     "of %s onto the same memory (/memfd:java_heap); "
			     "VSZ counts it %zu times, the memory is one copy; "
			     "-Xmx sets the heap, each view reserves 16 times "
			     "it", cat->ngroups, vc, used, cat->ngroups, one,
			     cat->ngroups);
		return;
	}
	insights_add(t, "java_heap", cat->t.vsz_kib,
		     "The Java heap reserves %s%s): reserved address space, "
		     "committed as the heap grows; -Xmx (or "
		     "-XX:MaxRAMPercentage) sets the reservation",
		     vc, used);
}

static void insights_java_class(struct maptree *t)
{
	const struct maptree_category *cs =
		insights_cat(t, KIND_JAVA_CLASS_SPACE);
	const struct maptree_category *ms = insights_cat(t, KIND_JAVA_METASPACE);
	const struct vmjvm *j = &t->m->jvm;
	char vc[64], used[64];

	if (cs) {
		insights_vsz_comm(vc, sizeof(vc), cs);
		insights_used(used, sizeof(used), j->ccs_used);
		insights_add(t, "java_class_space", cs->t.vsz_kib,
			     "Compressed class space and the CDS archive "
			     "reserve %s%s): address space, not memory; "
			     "-XX:CompressedClassSpaceSize sets the "
			     "reservation, -Xshare the archive", vc, used);
	}
	if (ms) {
		insights_vsz_comm(vc, sizeof(vc), ms);
		/* metaspace.used counts the class space's too */
		insights_used(used, sizeof(used),
			      j->meta_used == VMMAP_UNKNOWN ||
					      j->ccs_used == VMMAP_UNKNOWN ||
					      j->ccs_used > j->meta_used ?
				      VMMAP_UNKNOWN :
				      j->meta_used - j->ccs_used);
		insights_add(t, "java_metaspace", ms->t.vsz_kib,
			     "Metaspace reserves %s%s); -XX:MaxMetaspaceSize "
			     "caps it", vc, used);
	}
}

static const char *insights_gc_name(enum vmjvm_gc gc)
{
	static const char *const names[] = {
		[VMJVM_GC_UNKNOWN] = "", [VMJVM_GC_G1] = "G1",
		[VMJVM_GC_Z] = "ZGC", [VMJVM_GC_PARALLEL] = "Parallel GC",
		[VMJVM_GC_SERIAL] = "Serial GC",
		[VMJVM_GC_SHENANDOAH] = "Shenandoah",
		[VMJVM_GC_EPSILON] = "Epsilon",
	};

	return (unsigned)gc < sizeof(names) / sizeof(names[0]) ? names[gc] :
								 "";
}

static void insights_java_code_gc(struct maptree *t)
{
	const struct maptree_category *cc =
		insights_cat(t, KIND_JAVA_CODE_CACHE);
	const struct maptree_category *gc = insights_cat(t, KIND_JAVA_GC);
	const struct vmjvm *j = &t->m->jvm;
	char vc[64];

	if (cc) {
		insights_vsz_comm(vc, sizeof(vc), cc);
		insights_add(t, "java_code_cache", cc->t.vsz_kib,
			     "The JIT code cache reserves %s); "
			     "-XX:ReservedCodeCacheSize sets the reservation",
			     vc);
	}
	if (!gc)
		return;
	insights_vsz_comm(vc, sizeof(vc), gc);
	insights_add(t, "java_gc", gc->t.vsz_kib,
		     "The collector's own structures%s%s reserve %s)%s",
		     j->gc ? " of " : "", insights_gc_name(j->gc), vc,
		     j->gc == VMJVM_GC_Z ?
			     ": mostly ZGC's mark stack reservation "
			     "(-XX:ZMarkStackSpaceLimit), address space only" :
			     ": mark bitmaps and card tables, which scale "
			     "with -Xmx");
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
		insights_java_heap, insights_java_class,
		insights_java_code_gc,
	};

	for (size_t k = 0; k < sizeof(causes) / sizeof(causes[0]); k++)
		causes[k](t);
	if (t->ninsights)
		qsort(t->insights, t->ninsights, sizeof(*t->insights),
		      insights_cmp);
}
