/* insights: the largest causes of VSZ, each as one sentence with its
 * numbers and the knob that would change it.  One small function per
 * cause, run from a table; each adds at most one insight. */
#include "config.h"

#include "vmtop/insights.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

/* The generic "reserved" tag: a ---p region. */
static bool insights_reserved(const struct region *r)
{
	return (r->tags & TAG_RESERVED) != 0;
}

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

/* What sets the size of the threads' stacks, per runtime. */
static const char *insights_stack_knob(enum vmmap_runtime rt)
{
	switch (rt) {
	case RT_JVM:
		return "-Xss (-XX:ThreadStackSize) sets Java threads' stacks, "
		       "-XX:VMThreadStackSize and -XX:CompilerThreadStackSize "
		       "the JVM's own; ulimit -s does not change them";
	case RT_V8:
		return "node's libuv and V8 workers take ulimit -s as their "
		       "size; UV_THREADPOOL_SIZE and --v8-pool-size set how "
		       "many there are";
	case RT_PYTHON:
		return "threading.stack_size() or ulimit -s sets their size";
	default:
		return "ulimit -s or pthread_attr_setstacksize() sets their "
		       "size";
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
		     "%zu thread stack%s map%s %s: %zu of Java threads, "
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
	if (t->m->jvm.detected) {
		strbuf_release(&in);
		insights_java_stacks(t, cat, n, total);
		return;
	}
	insights_add(t, "thread_stacks", cat->t.vsz_kib,
		     "%zu thread stack%s map%s %s (%s); %s",
		     n, n == 1 ? "" : "s", n == 1 ? "s" : "", total, in.buf,
		     insights_stack_knob(t->m->rt.rt));
	strbuf_release(&in);
}

/* The figures are those of rows the tree shows: the go_runtime
 * category and its "reserved" group (classify_anon). */
static void insights_go(struct maptree *t)
{
	const struct maptree_category *rt = insights_cat(t, KIND_GO_RUNTIME);
	char a[24], b[24];

	if (!t->m->exe.is_go || !rt)
		return;
	fmt_size(a, sizeof(a), rt->t.vsz_kib, FMT_SIZE_WORDS);
	fmt_size(b, sizeof(b), rt->t.reserved_kib, FMT_SIZE_WORDS);
	insights_add(t, "go_runtime", rt->t.vsz_kib,
		     "The Go runtime maps %s beside its heap, %s of it PROT_NONE "
		     "reservations (page-allocator summaries, arena index): "
		     "address space, not memory; no GOGC or GOMEMLIMIT setting "
		     "shrinks it",
		     a, b);
}

/* The large anonymous regions of cat: PROT_NONE ones (reserved true) or
 * the others; their count, total and largest. */
static size_t insights_anon_scan(const struct maptree *t,
				 const struct maptree_category *cat,
				 bool reserved, uint64_t *sum,
				 const struct region **bigp)
{
	const struct region *big = NULL;
	size_t n = 0;

	*sum = 0;
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

			if (kib < INSIGHTS_ANON_MIN_KIB ||
			    insights_reserved(r) != reserved)
				continue;
			n++;
			*sum += kib;
			if (!big || kib > (big->end - big->start) / 1024)
				big = r;
		}
	}
	*bigp = big;
	return n;
}

/* Large anonymous regions.  Only accessible ones can be malloc()'s:
 * glibc never leaves a PROT_NONE region for a block (REFERENCE.md 3.1),
 * so reservations get a sentence of their own. */
static void insights_anon(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_ANON);
	const struct region *big;
	/* maptree_runtime() named it before the insights */
	const char *alloc = t->runtime.allocator;
	uint64_t sum;
	size_t n;
	char a[24], b[24], who[80];

	if (!cat)
		return;
	n = insights_anon_scan(t, cat, false, &sum, &big);
	if (n) {
		if (alloc && strcmp(alloc, "glibc") != 0)
			snprintf(who, sizeof(who), "%s's memory", alloc);
		else
			snprintf(who, sizeof(who),
				 "malloc() blocks above M_MMAP_THRESHOLD");
		fmt_size(a, sizeof(a), sum, FMT_SIZE_WORDS);
		fmt_size(b, sizeof(b), (big->end - big->start) / 1024,
			 FMT_SIZE_WORDS);
		insights_add(t, "anon_large", sum,
			     "%zu anonymous mapping%s of 1 MiB or more hold%s "
			     "%s (largest %s at 0x%" PRIx64 "): %s or the "
			     "program's own mmap()",
			     n, n == 1 ? "" : "s", n == 1 ? "s" : "", a, b,
			     big->start, who);
	}
	n = insights_anon_scan(t, cat, true, &sum, &big);
	if (n) {
		fmt_size(a, sizeof(a), sum, FMT_SIZE_WORDS);
		fmt_size(b, sizeof(b), (big->end - big->start) / 1024,
			 FMT_SIZE_WORDS);
		insights_add(t, "anon_reserved", sum,
			     "%zu PROT_NONE reservation%s of 1 MiB or more "
			     "reserve%s %s (largest %s at 0x%" PRIx64 "): "
			     "address space the program or its runtime "
			     "reserved with mmap(), not memory, and not "
			     "malloc()'s",
			     n, n == 1 ? "" : "s", n == 1 ? "s" : "", a, b,
			     big->start);
	}
}

/* Size and resident size of kind k's category, in KiB; false when the
 * process has none. */
static bool insights_kind(const struct maptree *t, enum region_kind k,
			  uint64_t *vsz, uint64_t *rss)
{
	const struct maptree_category *cat = insights_cat(t, k);

	if (!cat)
		return false;
	*vsz = cat->t.vsz_kib;
	*rss = cat->t.rss_kib;
	return true;
}

/* "512 MiB (744 KiB resident)", or without the part in brackets when
 * smaps was not read. */
static void insights_sizes(char *buf, size_t size, uint64_t vsz,
			   uint64_t rss)
{
	char a[24], b[24];

	fmt_size(a, sizeof(a), vsz, FMT_SIZE_WORDS);
	if (rss == VMMAP_UNKNOWN) {
		snprintf(buf, size, "%s", a);
		return;
	}
	fmt_size(b, sizeof(b), rss, FMT_SIZE_WORDS);
	snprintf(buf, size, "%s (%s resident)", a, b);
}

static void insights_v8(struct maptree *t)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t vsz, rss, total = 0;
	char a[64];

	if (insights_kind(t, KIND_V8_CODE_RANGE, &vsz, &rss)) {
		insights_sizes(a, sizeof(a), vsz, rss);
		strbuf_addf(&sb, "V8 maps %s for its code range: address "
			    "space for JIT code, not memory (--jitless does "
			    "without it)", a);
		total += vsz;
	}
	if (insights_kind(t, KIND_V8_CAGE, &vsz, &rss)) {
		insights_sizes(a, sizeof(a), vsz, rss);
		strbuf_addf(&sb, "%sits pointer cage or sandbox maps %s, "
			    "address space too", sb.len ? "; " : "V8: ", a);
		total += vsz;
	}
	if (insights_kind(t, KIND_V8_HEAP, &vsz, &rss)) {
		insights_sizes(a, sizeof(a), vsz, rss);
		strbuf_addf(&sb, "%sits heap pages hold %s; "
			    "--max-old-space-size caps the old generation, "
			    "--max-semi-space-size the young one",
			    sb.len ? "; " : "V8: ", a);
		total += vsz;
	}
	if (sb.len)
		insights_add(t, "v8", total, "%s", sb.buf);
	strbuf_release(&sb);
}

static void insights_pymalloc(struct maptree *t)
{
	const struct vmmap *m = t->m;
	uint64_t vsz, rss, arenas = 0;
	char a[64];

	if (!insights_kind(t, KIND_PYMALLOC, &vsz, &rss))
		return;
	for (size_t k = 0; k < m->nrtprobes; k++) {
		size_t i = vmmap_find(m, m->rtprobes[k].addr);

		if (m->rtprobes[k].kind == RTP_PYMALLOC && i != SIZE_MAX &&
		    m->regions[i].kind == KIND_PYMALLOC)
			arenas += m->rtprobes[k].v[1];
	}
	insights_sizes(a, sizeof(a), vsz, rss);
	if (arenas)
		insights_add(t, "pymalloc", vsz,
			     "%" PRIu64 " pymalloc arena%s hold%s %s of "
			     "small Python objects; an arena is returned only "
			     "when all its pools are empty, and "
			     "PYTHONMALLOC=malloc hands small objects to "
			     "malloc() instead", arenas,
			     arenas == 1 ? "" : "s", arenas == 1 ? "s" : "",
			     a);
	else
		insights_add(t, "pymalloc", vsz,
			     "pymalloc arenas hold %s of small Python objects; "
			     "PYTHONMALLOC=malloc hands them to malloc() "
			     "instead", a);
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
		     "The Java heap maps %s%s): address space, "
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
			     "map %s%s): address space, not memory; "
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
			     "Metaspace maps %s%s); -XX:MaxMetaspaceSize "
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
			     "The JIT code cache maps %s); "
			     "-XX:ReservedCodeCacheSize sets the reservation",
			     vc);
	}
	if (!gc)
		return;
	insights_vsz_comm(vc, sizeof(vc), gc);
	insights_add(t, "java_gc", gc->t.vsz_kib,
		     "The collector's own structures%s%s map %s)%s",
		     j->gc ? " of " : "", insights_gc_name(j->gc), vc,
		     j->gc == VMJVM_GC_Z ?
			     ": mostly ZGC's mark stack reservation "
			     "(-XX:ZMarkStackSpaceLimit), address space only" :
			     ": mark bitmaps and card tables, which scale "
			     "with -Xmx");
}

/* glibc's mmapped chunks (classify_alloc): the group is named with their
 * count. */
static void insights_malloc_blocks(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_MALLOC_BLOCK);
	char a[24], b[24] = "";

	if (!cat || !cat->ngroups)
		return;
	fmt_size(a, sizeof(a), cat->t.vsz_kib, FMT_SIZE_WORDS);
	if (cat->t.rss_kib != VMMAP_UNKNOWN)
		fmt_size(b, sizeof(b), cat->t.rss_kib, FMT_SIZE_WORDS);
	insights_add(t, "malloc_blocks", cat->t.vsz_kib,
		     "%s above M_MMAP_THRESHOLD map %s%s%s, each its own "
		     "mmap() that free() unmaps; mallopt(M_MMAP_THRESHOLD) "
		     "or MALLOC_MMAP_THRESHOLD_=BYTES moves the size from "
		     "which malloc() does so",
		     cat->groups[0].name, a, b[0] ? ", resident " : "", b);
}

/* jemalloc's or mimalloc's extents (classify_alloc), with the knobs
 * that return or cap them. */
static void insights_allocator(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_ALLOCATOR);
	const char *name, *knob;
	char a[24], b[24] = "";

	if (!cat || !cat->ngroups)
		return;
	name = cat->groups[0].name;
	if (!strcmp(name, "jemalloc"))
		knob = "MALLOC_CONF=dirty_decay_ms:N,muzzy_decay_ms:N returns "
		       "freed pages sooner, narenas:N caps the arenas (4 per "
		       "CPU), retain:false unmaps what it frees (retained "
		       "address space only grows otherwise); "
		       "_RJEM_MALLOC_CONF for Rust's tikv-jemallocator";
	else if (!strcmp(name, "tcmalloc"))
		knob = "TCMALLOC_RELEASE_RATE (gperftools) or tcmalloc's "
		       "background release rate returns freed pages sooner, "
		       "TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES caps the "
		       "thread caches";
	else
		knob = "MIMALLOC_PURGE_DELAY=0 returns freed pages at once, "
		       "MIMALLOC_ARENA_RESERVE sets the reservation";
	fmt_size(a, sizeof(a), cat->t.vsz_kib, FMT_SIZE_WORDS);
	if (cat->t.rss_kib != VMMAP_UNKNOWN)
		fmt_size(b, sizeof(b), cat->t.rss_kib, FMT_SIZE_WORDS);
	insights_add(t, "allocator", cat->t.vsz_kib,
		     "%s's extents map %s%s%s; %s", name, a,
		     b[0] ? ", resident " : "", b, knob);
}

/* The group of PostgreSQL's main segment (classify_shared), or NULL. */
static const struct maptree_group *
insights_postgres_main(const struct maptree_category *cat)
{
	for (size_t g = 0; cat && g < cat->ngroups; g++)
		if (!strcmp(cat->groups[g].name,
			    "PostgreSQL main segment (shared_buffers)"))
			return &cat->groups[g];
	return NULL;
}

/* Shared memory: PostgreSQL's main segment with its knobs, else any
 * process whose largest category is shared memory.  RSS counts the
 * shared pages in every process that touched them; PSS divides them. */
static void insights_shared(struct maptree *t)
{
	const struct maptree_category *cat = insights_cat(t, KIND_SHARED);
	const struct maptree_group *pg = insights_postgres_main(cat);
	char a[24], b[24] = "", c[24] = "";
	uint64_t rss, pss, huge;

	if (!cat || (!pg && t->categories[0].kind != KIND_SHARED))
		return;
	rss = pg ? pg->t.rss_kib : cat->t.rss_kib;
	pss = pg ? pg->t.pss_kib : cat->t.pss_kib;
	huge = pg ? pg->t.hugetlb_kib : cat->t.hugetlb_kib;
	fmt_size(a, sizeof(a), pg ? pg->t.vsz_kib : cat->t.vsz_kib,
		 FMT_SIZE_WORDS);
	if (rss != VMMAP_UNKNOWN) {
		fmt_size(b, sizeof(b), rss + huge, FMT_SIZE_WORDS);
		fmt_size(c, sizeof(c), pss + huge, FMT_SIZE_WORDS);
	}
	if (pg) {
		insights_add(t, "postgres_shared", pg->t.vsz_kib,
			     "PostgreSQL's main shared memory segment is %s "
			     "(shared_buffers, plus wal_buffers and "
			     "max_connections' locks)%s%s%s%s%s; every backend's "
			     "RSS counts the same shared pages it touched, PSS "
			     "is the fair share; huge_pages=on maps it in huge "
			     "pages",
			     a, b[0] ? ", " : "", b, b[0] ? " resident here" :
			     "", c[0] ? ", PSS " : "", c);
		return;
	}
	insights_add(t, "shared", cat->t.vsz_kib,
		     "Shared memory is the largest part: %s in %zu "
		     "segment%s%s%s%s%s%s; RSS counts shared pages in every "
		     "process that maps them, PSS is this one's fair share",
		     a, cat->ngroups, cat->ngroups == 1 ? "" : "s",
		     b[0] ? ", " : "", b, b[0] ? " resident" : "",
		     c[0] ? ", PSS " : "", c);
}

/* Huge pages are resident but not in the kernel's Rss. */
static void insights_hugetlb(struct maptree *t)
{
	char a[24];

	if (!t->totals.hugetlb_kib)
		return;
	fmt_size(a, sizeof(a), t->totals.hugetlb_kib, FMT_SIZE_WORDS);
	insights_add(t, "hugetlb", t->totals.hugetlb_kib,
		     "%s of hugetlb pages are resident on top of RSS (the "
		     "kernel's Rss leaves them out; HugePages_ in /proc/meminfo "
		     "and vm.nr_hugepages reserve them)", a);
}

/* The user's rules with an insight (rules.h): their own sentence, the
 * sizes of the regions they decided, their knob. */
static void insights_rules(struct maptree *t)
{
	const struct vmmap *m = t->m;

	for (size_t k = 0; m && k < m->nrulehits; k++) {
		const struct vmrulehit *h = &m->rulehits[k];
		char vsz[24], rss[24], resv[80] = "";

		fmt_size(vsz, sizeof(vsz), h->vsz_kib, FMT_SIZE_WORDS);
		fmt_size(rss, sizeof(rss), h->rss_kib, FMT_SIZE_WORDS);
		if (h->reserved_kib) {
			char r[24];

			fmt_size(r, sizeof(r), h->reserved_kib,
				 FMT_SIZE_WORDS);
			snprintf(resv, sizeof(resv), ", %s reserved", r);
		}
		insights_add(t, "rule", h->vsz_kib,
			     "%s: %s (%zu region%s map %s%s, %s resident)%s%s",
			     h->group, h->insight, h->nregions,
			     h->nregions == 1 ? "" : "s", vsz, resv, rss,
			     h->knob ? "; knob: " : "", h->knob ? h->knob : "");
	}
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
		insights_v8, insights_pymalloc,
		insights_java_heap, insights_java_class,
		insights_java_code_gc,
		insights_malloc_blocks, insights_allocator, insights_shared,
		insights_hugetlb, insights_rules,
	};

	for (size_t k = 0; k < sizeof(causes) / sizeof(causes[0]); k++)
		causes[k](t);
	if (t->ninsights)
		qsort(t->insights, t->ninsights, sizeof(*t->insights),
		      insights_cmp);
}
