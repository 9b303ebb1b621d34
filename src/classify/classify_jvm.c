/* classify_jvm: a HotSpot JVM's reservations (doc/REFERENCE.md 8).
 *
 * Only for a process that maps libjvm.so (vmjvm.detected).  Each
 * reservation is one mmap() of a size the JVM chose: the Java heap
 * (MaxHeapSize), the compressed class space (CompressedClassSpaceSize)
 * after the CDS archive, metaspace nodes (64 MiB each), the code cache
 * (ReservedCodeCacheSize), and the collector's side tables, whose sizes
 * follow from the heap's (G1: heap/64 mark bitmaps, heap/512 tables).
 * The kernel shows each as a run of adjacent anonymous regions, committed
 * rw-p (rwxp for code) and reserved ---p; a run whose span is exactly the
 * size the JVM reports is that reservation.
 *
 * Evidence, strongest first, and what the reason says: the hsperfdata
 * counters (sun.gc.*: the region is tagged verified, as an arena whose
 * heap_info was read), a name the JVM gave (/memfd:java_heap, the CDS
 * archive's file), a flag's value (-Xmx...: from java.rt.vmArgs, or the
 * command line when there is no hsperfdata), HotSpot's default size.
 * What matches none stays anonymous.
 *
 * Java thread stacks stay thread_stack (the stack classifier finds them
 * by their thread's stack pointer); this one gives those with HotSpot's
 * guard zone (yellow, red and reserved pages: more than one page of ---p
 * below the stack) their reason, and lists such stack-shaped pairs for
 * the stack classifier's unowned pass, since glibc's one-page guard
 * shape does not match them.
 *
 * Runs here after the arena classifier (a metaspace node can have an
 * arena's shape; only the arena's heap_info tells) and before the stack
 * classifier (which must not take a side table's ---p for a guard). */
#include "config.h"

#include "classify_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmtop/xalloc.h"

#define JVM_KIB 1024ull
#define JVM_MIB (1024ull * JVM_KIB)
#define JVM_GIB (1024ull * JVM_MIB)

/* HotSpot's defaults on 64-bit Linux (doc/REFERENCE.md 8.3). */
#define JVM_CCS_DEFAULT JVM_GIB          /* CompressedClassSpaceSize */
#define JVM_META_NODE (64 * JVM_MIB)     /* a metaspace node's reservation */
#define JVM_META_ALIGN (4 * JVM_MIB)     /* root chunk size */
#define JVM_META_GRANULE (64 * JVM_KIB)  /* metaspace commit granule */
#define JVM_CODE_TIERED (240 * JVM_MIB)  /* ReservedCodeCacheSize */
#define JVM_CODE_PLAIN (48 * JVM_MIB)    /* ... without tiered compilation */
#define JVM_G1_MARKSTACK (32 * JVM_MIB)  /* MarkStackSize: 4M entries x 8 */
#define JVM_Z_MARKSTACK (8 * JVM_GIB)    /* ZMarkStackSpaceLimit */
#define JVM_Z_VIEW_RATIO 16              /* ZVirtualToPhysicalRatio */
/* HotSpot's stack guard zone: yellow 2 + red 1 + reserved 1 pages on
 * x86-64; more than glibc's one page, and never this many. */
#define JVM_GUARD_MAX_PAGES 32

/* What a MARK_JVM region is: owner[i] = what | evidence << 8. */
enum jvm_what {
	JW_HEAP = 1,
	JW_ZVIEW,        /* a view of ZGC's multi-mapped heap */
	JW_CDS,          /* the CDS archive (classes.jsa) */
	JW_CCS,
	JW_META,
	JW_CODE,
	JW_CODE_RWX,     /* JIT code outside a reservation of known size */
	JW_G1,           /* mark stack, bitmaps, offset and card tables */
	JW_Z_MARKSTACK,
	JW_Z_GRANULE,    /* page table, forwarding table */
};

enum jvm_evidence {
	JE_SHAPE = 0,    /* HotSpot's default size or shape */
	JE_FLAG,         /* a flag's value */
	JE_NAME,         /* a name the JVM gave */
	JE_COUNTERS,     /* the hsperfdata counters */
};

#define JVM_OWNER(w, e) ((int32_t)(w) | (int32_t)(e) << 8)

/* Whether region i is free for the JVM: anonymous, private, unmarked,
 * with perms among "rw-p", "---p" and, when code, "rwxp". */
static bool jvm_free(const struct classify_ctx *c, size_t i, bool code)
{
	const struct region *r = &c->m->regions[i];

	if (c->marks[i] || !classify_is_anon(r))
		return false;
	return classify_perms_are(r, "rw-p") || classify_perms_are(r, "---p") ||
	       (code && classify_perms_are(r, "rwxp"));
}

static void jvm_mark(struct classify_ctx *c, size_t first, size_t last,
		     enum jvm_what w, enum jvm_evidence e)
{
	for (size_t i = first; i <= last; i++) {
		c->marks[i] |= MARK_JVM;
		c->owner[i] = JVM_OWNER(w, e);
	}
}

/* What a run must look like, beyond its span. */
struct jvm_run {
	uint64_t span;
	uint64_t align;       /* of its start; 0: any */
	uint64_t granule;     /* every piece a multiple of it; 0: any */
	unsigned max_pieces;  /* 0: any number */
	bool side;            /* a side table: committed from the bottom (the
			       * first piece rw-p), and no ---p piece of a
			       * thread stack guard's size */
	bool loose;           /* the first rw-p piece may begin below the
			       * run: the kernel merged it with a neighbour */
	bool code;            /* rwxp pieces allowed, and one needed */
	bool heap;            /* classes*.jsa file pieces allowed (the
			       * archived heap at the heap's top) */
};

static bool jvm_is_jsa(const struct region *r)
{
	size_t n = strlen(r->path);

	return r->path[0] == '/' && n > 4 &&
	       strcmp(r->path + n - 4, ".jsa") == 0;
}

/* Whether region i may be a piece of run q. */
static bool jvm_piece_ok(const struct classify_ctx *c, size_t i,
			 const struct jvm_run *q)
{
	const struct region *r = &c->m->regions[i];

	if (q->granule && (r->end - r->start) % q->granule)
		return false;
	if (q->side && classify_perms_are(r, "---p") &&
	    r->end - r->start <= JVM_GUARD_MAX_PAGES * c->m->page_size)
		return false;
	if (jvm_free(c, i, q->code))
		return true;
	return q->heap && !c->marks[i] && jvm_is_jsa(r) &&
	       r->perms[3] == 'p';
}

/* Whether [a, b] is run q (its pieces already checked). */
static bool jvm_run_ok(const struct classify_ctx *c, size_t a, size_t b,
		       const struct jvm_run *q)
{
	const struct region *ra = &c->m->regions[a];
	bool rwx = false;

	if (c->m->regions[b].end - ra->start != q->span)
		return false;
	if (q->align && ra->start % q->align)
		return false;
	if (q->max_pieces && b - a + 1 > q->max_pieces)
		return false;
	if (q->side && !classify_perms_are(ra, "rw-p"))
		return false;
	if (!q->code)
		return true;
	for (size_t i = a; i <= b && !rwx; i++)
		rwx = classify_perms_are(&c->m->regions[i], "rwxp");
	return rwx;
}

/* Whether run q begins inside region a-1, a rw-p piece adjacent to a
 * that the kernel merged with what lies below the run, and ends at b. */
static bool jvm_loose_ok(const struct classify_ctx *c, size_t a, size_t b,
			 const struct jvm_run *q)
{
	const struct region *reg = c->m->regions;
	uint64_t start;

	/* the merged piece is not the run's: no granule asked of it */
	if (a == 0 || a > b || reg[a - 1].end != reg[a].start ||
	    !jvm_free(c, a - 1, false) ||
	    !classify_perms_are(&reg[a - 1], "rw-p") ||
	    reg[b].end - reg[a].start >= q->span)
		return false;
	start = reg[b].end - q->span;
	return start > reg[a - 1].start && start < reg[a - 1].end &&
	       (!q->align || start % q->align == 0);
}

/* The first run q at or after region from: a window over chains of
 * adjacent pieces, in one pass.  Returns true with [*first, *last]. */
static bool jvm_find(const struct classify_ctx *c, size_t from,
		     const struct jvm_run *q, size_t *first, size_t *last)
{
	const struct region *reg = c->m->regions;
	size_t a = from;

	if (!q->span)
		return false;
	for (size_t b = from; b < c->m->nregions; b++) {
		if (!jvm_piece_ok(c, b, q)) {
			a = b + 1;
			continue;
		}
		if (b > a && reg[b - 1].end != reg[b].start)
			a = b;
		while (a <= b && reg[b].end - reg[a].start > q->span)
			a++;
		for (size_t s = a; s <= b; s++) {
			if (reg[b].end - reg[s].start < q->span)
				break;
			if (jvm_run_ok(c, s, b, q)) {
				*first = s;
				*last = b;
				return true;
			}
		}
		if (q->loose && jvm_loose_ok(c, a, b, q)) {
			*first = a - 1;
			*last = b;
			return true;
		}
	}
	return false;
}

/* Marks every run q from the start; returns how many. */
static unsigned jvm_mark_all(struct classify_ctx *c, const struct jvm_run *q,
			     enum jvm_what w, enum jvm_evidence e,
			     unsigned max)
{
	size_t a, b, from = 0;
	unsigned n = 0;

	while (n < max && jvm_find(c, from, q, &a, &b)) {
		jvm_mark(c, a, b, w, e);
		from = b + 1;
		n++;
	}
	return n;
}

/* A size and the evidence for it: the counters' value when known, else
 * the flag's, else the default. */
static uint64_t jvm_size(uint64_t counter, uint64_t flag, uint64_t dflt,
			 enum jvm_evidence *e)
{
	if (counter != VMMAP_UNKNOWN && counter) {
		*e = JE_COUNTERS;
		return counter;
	}
	if (flag != VMMAP_UNKNOWN && flag) {
		*e = JE_FLAG;
		return flag;
	}
	*e = JE_SHAPE;
	return dflt;
}

/* --- ZGC: the heap mapped three times --------------------------------- */

static bool jvm_is_zheap(const struct region *r)
{
	return strncmp(r->path, "/memfd:java_heap", 16) == 0 &&
	       r->perms[3] == 's';
}

static unsigned jvm_top_bit(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

/* Marks the /memfd:java_heap views and the ---p rest of each view (the
 * addresses with the same top bit); returns the views' top bits. */
static uint64_t jvm_zgc_views(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	const struct vmjvm *j = &m->jvm;
	uint64_t bits = 0, span = 0;
	enum jvm_evidence e = JE_NAME;

	for (size_t i = 0; i < m->nregions; i++)
		if (jvm_is_zheap(&m->regions[i]) && m->regions[i].start)
			bits |= 1ull << jvm_top_bit(m->regions[i].start);
	if (!bits)
		return 0;
	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];
		unsigned k;

		if (!r->start)
			continue;
		k = jvm_top_bit(r->start);
		if (!(bits & (1ull << k)) || (k < 63 && r->end > 2ull << k))
			continue;
		if (jvm_is_zheap(r) || (jvm_free(c, i, false) &&
					classify_perms_are(r, "---p"))) {
			c->marks[i] |= MARK_JVM;
			span += r->end - r->start;
		}
	}
	/* each view reserves 16 x the heap (JDK 17) */
	if (j->heap_max != VMMAP_UNKNOWN && j->heap_max &&
	    span == (uint64_t)__builtin_popcountll(bits) * JVM_Z_VIEW_RATIO *
			    j->heap_max)
		e = JE_COUNTERS;
	for (size_t i = 0; i < m->nregions; i++)
		if ((c->marks[i] & MARK_JVM) && !c->owner[i])
			c->owner[i] = JVM_OWNER(JW_ZVIEW, e);
	return bits;
}

static void jvm_zgc_tables(struct classify_ctx *c, uint64_t bits)
{
	struct jvm_run q = { .span = JVM_Z_MARKSTACK, .side = true };
	unsigned low = (unsigned)__builtin_ctzll(bits);

	jvm_mark_all(c, &q, JW_Z_MARKSTACK, JE_SHAPE, 1);
	/* ZGC's granule maps: 8 bytes per 2 MiB of the address space below
	 * the lowest view */
	if (low >= 21) {
		q = (struct jvm_run){ .span = (1ull << low) >> 18,
				      .max_pieces = 1, .side = true };
		jvm_mark_all(c, &q, JW_Z_GRANULE, JE_SHAPE, 4);
	}
}

/* --- the Java heap, class space, metaspace, code cache, G1 ------------ */

/* The heap; returns its span, 0 when not found. */
static uint64_t jvm_heap(struct classify_ctx *c)
{
	const struct vmjvm *j = &c->m->jvm;
	struct jvm_run q = { .heap = true };
	enum jvm_evidence e;
	size_t a, b;

	q.span = jvm_size(j->heap_max, j->xmx, 0, &e);
	if (jvm_find(c, 0, &q, &a, &b)) {
		jvm_mark(c, a, b, JW_HEAP, e);
		return q.span;
	}
	/* No size known: with compressed oops the heap ends at 4 or 32 GiB */
	for (uint64_t top = 4 * JVM_GIB; top <= 32 * JVM_GIB; top *= 8) {
		size_t i = vmmap_first_above(c->m, top - 1);

		if (i >= c->m->nregions || c->m->regions[i].end != top ||
		    !jvm_piece_ok(c, i, &q))
			continue;
		for (a = i; a > 0 && jvm_piece_ok(c, a - 1, &q) &&
			    c->m->regions[a - 1].end == c->m->regions[a].start;
		     a--)
			;
		jvm_mark(c, a, i, JW_HEAP, JE_SHAPE);
		return top - c->m->regions[a].start;
	}
	return 0;
}

/* The CDS archive: classes*.jsa mappings outside the heap and the ---p
 * rest of the archive's reservation right after them. */
static void jvm_cds(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;

	for (size_t i = 0; i < m->nregions; i++) {
		if (c->marks[i] || !jvm_is_jsa(&m->regions[i]))
			continue;
		jvm_mark(c, i, i, JW_CDS, JE_NAME);
		if (i + 1 < m->nregions && jvm_free(c, i + 1, false) &&
		    classify_perms_are(&m->regions[i + 1], "---p") &&
		    m->regions[i + 1].start == m->regions[i].end)
			jvm_mark(c, i + 1, i + 1, JW_CDS, JE_NAME);
	}
}

static void jvm_class_meta(struct classify_ctx *c)
{
	const struct vmjvm *j = &c->m->jvm;
	struct jvm_run q = { .align = JVM_META_ALIGN,
			     .granule = JVM_META_GRANULE };
	uint64_t nonclass = VMMAP_UNKNOWN;
	enum jvm_evidence e;
	unsigned n, want = 64;

	q.span = jvm_size(j->ccs_max, j->ccs_size, JVM_CCS_DEFAULT, &e);
	jvm_mark_all(c, &q, JW_CCS, e, 1);
	/* metaspace.maxCapacity is what both spaces reserve */
	if (j->meta_max != VMMAP_UNKNOWN && j->ccs_max != VMMAP_UNKNOWN &&
	    j->meta_max > j->ccs_max &&
	    (j->meta_max - j->ccs_max) % JVM_META_NODE == 0) {
		nonclass = j->meta_max - j->ccs_max;
		want = (unsigned)(nonclass / JVM_META_NODE);
	}
	q.span = JVM_META_NODE;
	n = jvm_mark_all(c, &q, JW_META, JE_SHAPE, want);
	q.loose = true;
	n += jvm_mark_all(c, &q, JW_META, JE_SHAPE, want - n);
	if (nonclass == VMMAP_UNKNOWN || n * JVM_META_NODE != nonclass)
		return;
	for (size_t i = 0; i < c->m->nregions; i++)
		if ((c->marks[i] & MARK_JVM) &&
		    c->owner[i] == JVM_OWNER(JW_META, JE_SHAPE))
			c->owner[i] = JVM_OWNER(JW_META, JE_COUNTERS);
}

static void jvm_code(struct classify_ctx *c)
{
	const struct vmjvm *j = &c->m->jvm;
	struct jvm_run q = { .code = true };
	enum jvm_evidence e;

	q.span = jvm_size(VMMAP_UNKNOWN, j->code_cache,
			  j->tiered == 0 ? JVM_CODE_PLAIN : JVM_CODE_TIERED,
			  &e);
	if (jvm_mark_all(c, &q, JW_CODE, e, 1))
		return;
	for (size_t i = 0; i < c->m->nregions; i++)
		if (!c->marks[i] && classify_is_anon(&c->m->regions[i]) &&
		    classify_perms_are(&c->m->regions[i], "rwxp"))
			jvm_mark(c, i, i, JW_CODE_RWX, JE_SHAPE);
}

/* G1's own structures, sized from the heap: the concurrent mark stack
 * (fully committed), two mark bitmaps of heap/64 (JDK 17), the block
 * offset table, card table and card counts of heap/512 each.  They are
 * reserved near one another, the kernel merges neighbours of the same
 * perms (the mark stack with a bitmap's committed bottom; each table's
 * top, committed for the archived heap regions, with the next one's
 * bottom), and the order varies from run to run: so runs are looked for
 * whose span is any sum of them, the largest sums first, each structure
 * counted once. */
struct jvm_g1_set {
	uint64_t span;
	unsigned stack, bitmaps, tables;
};

static int jvm_g1_cmp(const void *a, const void *b)
{
	const struct jvm_g1_set *x = a, *y = b;

	return x->span > y->span ? -1 : x->span < y->span;
}

static void jvm_g1(struct classify_ctx *c, uint64_t heap)
{
	struct jvm_g1_set sets[2 * 3 * 4];
	unsigned left[3] = { 1, heap ? 2 : 0, heap ? 3 : 0 }, n = 0;
	struct jvm_run q = { .side = true };
	size_t a, b;

	for (unsigned s = 0; s <= left[0]; s++)
		for (unsigned m = 0; m <= left[1]; m++)
			for (unsigned t = 0; t <= left[2]; t++)
				if (s + m + t)
					sets[n++] = (struct jvm_g1_set){
						s * JVM_G1_MARKSTACK +
							m * (heap / 64) +
							t * (heap / 512),
						s, m, t };
	qsort(sets, n, sizeof(sets[0]), jvm_g1_cmp);
	/* exact runs first, then those merged with a neighbour below */
	for (unsigned k = 0; k < 2 * n; k++) {
		const struct jvm_g1_set *x = &sets[k % n];

		q.loose = k >= n;
		q.span = x->span;
		while (x->stack <= left[0] && x->bitmaps <= left[1] &&
		       x->tables <= left[2] && jvm_find(c, 0, &q, &a, &b)) {
			jvm_mark(c, a, b, JW_G1, JE_SHAPE);
			left[0] -= x->stack;
			left[1] -= x->bitmaps;
			left[2] -= x->tables;
		}
	}
}

/* --- Java thread stacks ------------------------------------------------ */

/* Whether region g is HotSpot's guard zone below stack region s. */
static bool jvm_guard_zone(const struct vmmap *m, const struct region *g,
			   const struct region *s)
{
	uint64_t n = g->end - g->start;

	return g->end == s->start && classify_is_anon(g) &&
	       classify_perms_are(g, "---p") && n > m->page_size &&
	       n <= JVM_GUARD_MAX_PAGES * m->page_size;
}

static int jvm_cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Adds the stack-shaped pairs with a guard zone to the scan's list. */
static void jvm_stacks(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	size_t cap = c->nstack_shaped, n0 = c->nstack_shaped;

	for (size_t i = 1; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (c->marks[i] || c->marks[i - 1] || !classify_is_anon(r) ||
		    !classify_perms_are(r, "rw-p") ||
		    !jvm_guard_zone(m, r - 1, r))
			continue;
		XGROW(c->stack_shaped, cap, c->nstack_shaped + 1);
		c->stack_shaped[c->nstack_shaped++] = i;
	}
	if (c->nstack_shaped > n0)
		qsort(c->stack_shaped, c->nstack_shaped,
		      sizeof(*c->stack_shaped), jvm_cmp_index);
}

void classify_jvm_prepare(struct classify_ctx *c)
{
	const struct vmjvm *j = &c->m->jvm;
	uint64_t zbits, heap;

	if (!j->detected)
		return;
	zbits = jvm_zgc_views(c);
	heap = zbits ? 0 : jvm_heap(c);
	jvm_cds(c);
	jvm_class_meta(c);
	jvm_code(c);
	if (zbits)
		jvm_zgc_tables(c, zbits);
	else if (j->gc == VMJVM_GC_G1 || j->gc == VMJVM_GC_UNKNOWN)
		jvm_g1(c, heap);
	jvm_stacks(c);
}

/* --- the verdicts ------------------------------------------------------ */

static const struct {
	enum region_kind kind;
	const char *what;
	const char *group;
} jvm_whats[] = {
	[JW_HEAP] = { KIND_JAVA_HEAP, "Java heap reservation", "" },
	[JW_ZVIEW] = { KIND_JAVA_HEAP,
		       "ZGC heap view (/memfd:java_heap mapped three times)",
		       "" },
	[JW_CDS] = { KIND_JAVA_CLASS_SPACE, "CDS archive (-Xshare)",
		     "CDS archive" },
	[JW_CCS] = { KIND_JAVA_CLASS_SPACE, "compressed class space",
		     "class space" },
	[JW_META] = { KIND_JAVA_METASPACE, "metaspace node (64 MiB)", "" },
	[JW_CODE] = { KIND_JAVA_CODE_CACHE, "code cache reservation", "" },
	[JW_CODE_RWX] = { KIND_JAVA_CODE_CACHE,
			  "JIT code (anonymous rwx in a JVM)", "" },
	[JW_G1] = { KIND_JAVA_GC,
		    "G1 mark stack, mark bitmaps (heap/64) or block offset "
		    "and card tables (heap/512)", "G1" },
	[JW_Z_MARKSTACK] = { KIND_JAVA_GC,
			     "ZGC mark stack space (ZMarkStackSpaceLimit)",
			     "ZGC mark stack" },
	[JW_Z_GRANULE] = { KIND_JAVA_GC,
			   "ZGC page or forwarding table (8 bytes per 2 MiB)",
			   "ZGC tables" },
};

static const char *const jvm_evidences[] = {
	[JE_SHAPE] = "by HotSpot's shape and default size, not confirmed "
		     "by hsperfdata",
	[JE_FLAG] = "size equals the JVM's flag, not confirmed by hsperfdata",
	[JE_NAME] = "named by the JVM",
	[JE_COUNTERS] = "size confirmed by the hsperfdata counters",
};

/* A ZGC view's group: its base address. */
static const char *jvm_view_group(const struct classify_ctx *c,
				  const struct region *r)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "view 0x%" PRIx64,
		 (uint64_t)1 << jvm_top_bit(r->start));
	return vmmap_strdup(c->m, buf);
}

static bool jvm_region_mark(const struct classify_ctx *c, size_t i,
			    struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];
	unsigned w = (unsigned)c->owner[i] & 0xff;
	unsigned e = ((unsigned)c->owner[i] >> 8) & 0xff;
	char buf[192];

	if (w == 0 || w >= sizeof(jvm_whats) / sizeof(jvm_whats[0]) ||
	    e >= sizeof(jvm_evidences) / sizeof(jvm_evidences[0]))
		return false;
	v->kind = jvm_whats[w].kind;
	v->group = w == JW_ZVIEW ? jvm_view_group(c, r) : jvm_whats[w].group;
	if (e == JE_COUNTERS)
		v->tags |= TAG_VERIFIED;
	snprintf(buf, sizeof(buf), "%s%s: %s", jvm_whats[w].what,
		 r->perms[0] == '-' ? ", reserved part" : "", jvm_evidences[e]);
	v->reason = vmmap_strdup(c->m, buf);
	return true;
}

/* A stack or guard the stack classifier marked, when it has HotSpot's
 * guard zone: thread_stack with the JVM's reason. */
static bool jvm_region_stack(const struct classify_ctx *c, size_t i,
			     struct classify_verdict *v)
{
	const struct vmmap *m = c->m;
	unsigned bits = c->marks[i];
	bool guard = bits & MARK_GUARD, unowned = bits & MARK_UNOWNED;
	char buf[32];

	if (guard ? i + 1 >= m->nregions ||
			    !jvm_guard_zone(m, &m->regions[i],
					    &m->regions[i + 1]) :
		    i == 0 || !(c->marks[i - 1] & MARK_GUARD) ||
			    !jvm_guard_zone(m, &m->regions[i - 1],
					    &m->regions[i]))
		return false;
	v->kind = KIND_THREAD_STACK;
	v->tid = unowned ? 0 : c->owner[i];
	if (v->tid) {
		snprintf(buf, sizeof(buf), "tid %d", (int)v->tid);
		v->group = vmmap_strdup(c->m, buf);
	} else {
		v->group = "unowned";
	}
	if (guard) {
		v->tags |= TAG_GUARD;
		v->reason = "HotSpot guard zone of a Java thread stack "
			    "(yellow, red and reserved pages)";
	} else {
		v->reason = unowned ?
			"Java thread stack (HotSpot guard zone below); no "
			"thread's stack pointer read in it" :
			"Java thread stack: holds the thread's stack pointer";
	}
	return true;
}

bool classify_jvm_region(const struct classify_ctx *c, size_t i,
			 struct classify_verdict *v)
{
	unsigned bits = c->marks[i];

	if (!c->m->jvm.detected)
		return false;
	if (bits & MARK_JVM)
		return jvm_region_mark(c, i, v);
	if (bits & (MARK_STACK | MARK_GUARD))
		return jvm_region_stack(c, i, v);
	return false;
}
