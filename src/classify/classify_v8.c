/* classify_v8: V8's reservations in node (REFERENCE.md 7.2).
 *
 * Code range: one reservation of exactly 512 MiB (128 MiB with pointer
 * compression) that holds the JIT's rwx pages and, with short builtin
 * calls, an r-xp copy of the executable's embedded builtins; it is found
 * as a run of adjacent regions, anonymous or that copy, that contains
 * such a page and starts and ends on region bounds exactly that far
 * apart.  Cage: 4 GiB reserved at a 4 GiB-aligned address (the sandbox:
 * 1 TiB, with or without 32 GiB guards each side), found the same way
 * from its aligned start.  Heap pages: an anonymous region on a 256 KiB
 * boundary whose header (rtpeek) gives its own size, a Heap pointer
 * shared by the other pages (or none: the read-only space) and an object
 * area inside it.  Heap pages inside the cage are heap pages. */
#include "config.h"

#include "classify_internal.h"

#include "vmtop/rtpeek.h"
#include "vmtop/xalloc.h"

#define V8_CODE_RANGE (512ull << 20)
#define V8_CODE_RANGE_PC (128ull << 20)
#define V8_CAGE (4ull << 30)
#define V8_SANDBOX (1ull << 40)
#define V8_SANDBOX_GUARDS (V8_SANDBOX + (64ull << 30))

/* Whether region k can be part of a V8 reservation that holds region
 * seed: anonymous, or the same file as seed (the builtins' copy). */
static bool v8_part(const struct region *k, const struct region *seed)
{
	return classify_is_anon(k) || (seed->path[0] == '/' &&
				       k->path == seed->path);
}

/* A window [s, s + size) of adjacent parts on region bounds that holds
 * region seed, closest start first; its first and last region indices
 * in *lo, *hi.  align: the start's alignment, 0 for any. */
static bool v8_window(const struct vmmap *m, size_t seed, uint64_t size,
		      uint64_t align, size_t *lo, size_t *hi)
{
	const struct region *rs = &m->regions[seed];

	for (size_t a = seed + 1; a-- > 0;) {
		const struct region *ra = &m->regions[a];

		if (!v8_part(ra, rs) || (a < seed && ra->end != ra[1].start))
			return false;
		if (rs->end - ra->start > size)
			return false;
		if (align && ra->start % align)
			continue;
		for (size_t b = seed; b < m->nregions; b++) {
			const struct region *rb = &m->regions[b];

			if (!v8_part(rb, rs) ||
			    (b > seed && rb->start != rb[-1].end) ||
			    rb->end - ra->start > size)
				break;
			if (rb->end - ra->start == size) {
				*lo = a;
				*hi = b;
				return true;
			}
		}
	}
	return false;
}

static void v8_mark_span(struct classify_ctx *c, size_t lo, size_t hi,
			 enum region_kind k, const char *why)
{
	for (size_t i = lo; i <= hi; i++)
		if (!(c->marks[i] & MARK_RUNTIME))
			classify_mark_runtime(c, i, k, why);
}

/* A JIT page: anonymous rwx, or the builtins' r-xp copy of the
 * executable or libnode outside the file's own segments. */
static bool v8_code_seed(const struct classify_ctx *c, size_t i)
{
	const struct region *r = &c->m->regions[i];

	if (classify_is_anon(r))
		return classify_perms_are(r, "rwxp");
	return classify_perms_are(r, "r-xp") && r->path[0] == '/' &&
	       i > 0 && r[-1].end == r->start && classify_is_anon(&r[-1]);
}

static void v8_code_range(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	size_t lo, hi;

	for (size_t i = 0; i < m->nregions; i++) {
		if ((c->marks[i] & MARK_RUNTIME) || !v8_code_seed(c, i))
			continue;
		if (v8_window(m, i, V8_CODE_RANGE, 0, &lo, &hi))
			v8_mark_span(c, lo, hi, KIND_V8_CODE_RANGE,
				     "V8 code range: 512 MiB reserved around "
				     "JIT code");
		else if (v8_window(m, i, V8_CODE_RANGE_PC, 0, &lo, &hi))
			v8_mark_span(c, lo, hi, KIND_V8_CODE_RANGE,
				     "V8 code range: 128 MiB reserved around "
				     "JIT code (pointer compression)");
	}
}

static void v8_cages(struct classify_ctx *c)
{
	static const struct {
		uint64_t size;
		const char *why;
	} cages[] = {
		{ V8_SANDBOX_GUARDS, "V8 sandbox: 1 TiB and its 32 GiB "
				     "guards, 4 GiB-aligned" },
		{ V8_SANDBOX, "V8 sandbox: 1 TiB, 4 GiB-aligned" },
		{ V8_CAGE, "V8 pointer-compression cage: 4 GiB, "
			   "4 GiB-aligned" },
	};
	const struct vmmap *m = c->m;
	size_t lo, hi;

	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (r->start % V8_CAGE || !classify_is_anon(r) ||
		    (c->marks[i] & MARK_RUNTIME))
			continue;
		for (size_t k = 0; k < sizeof(cages) / sizeof(*cages); k++) {
			if (!v8_window(m, i, cages[k].size, V8_CAGE, &lo,
				       &hi) || lo != i)
				continue;
			v8_mark_span(c, lo, hi, KIND_V8_CAGE, cages[k].why);
			break;
		}
	}
}

/* The Heap pointer most pages carry: the first non-zero one seen twice. */
static uint64_t v8_heap_ptr(const struct vmmap *m)
{
	uint64_t first = 0;

	for (size_t k = 0; k < m->nrtprobes; k++) {
		const struct rt_probe *p = &m->rtprobes[k];

		if (p->kind != RTP_V8_PAGE || p->err || !p->v[2])
			continue;
		if (first == p->v[2])
			return first;
		if (!first)
			first = p->v[2];
	}
	return 0;
}

static bool v8_page_ok(const struct region *r, const struct rt_probe *p,
		       uint64_t heap, uint64_t page)
{
	uint64_t size = p->v[0], as = p->v[3], ae = p->v[4];

	return !p->err && size == r->end - r->start && size % page == 0 &&
	       (p->v[2] == heap || p->v[2] == 0) && as > r->start &&
	       as < ae && ae <= r->end;
}

static void v8_pages(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	uint64_t heap = v8_heap_ptr(m);

	if (!heap)
		return;
	for (size_t k = 0; k < m->nrtprobes; k++) {
		const struct rt_probe *p = &m->rtprobes[k];
		size_t i;

		if (p->kind != RTP_V8_PAGE)
			continue;
		i = vmmap_find(m, p->addr);
		if (i == SIZE_MAX || m->regions[i].start != p->addr ||
		    !v8_page_ok(&m->regions[i], p, heap, m->page_size))
			continue;
		/* in the cage or not, a page is a page; not in the code
		 * range, whose pages are code */
		if ((c->marks[i] & MARK_RUNTIME) &&
		    c->owner[i] == KIND_V8_CODE_RANGE)
			continue;
		c->marks[i] &= (uint16_t)~MARK_RUNTIME;
		classify_mark_runtime(c, i, KIND_V8_HEAP,
				      "V8 heap page: its header gives its "
				      "size, heap and object area");
	}
}

void classify_v8_prepare(struct classify_ctx *c)
{
	if (c->m->rt.rt != RT_V8)
		return;
	if (!c->rt_reason)
		c->rt_reason = xcalloc(c->m->nregions ? c->m->nregions : 1,
				       sizeof(*c->rt_reason));
	v8_code_range(c);
	v8_cages(c);
	v8_pages(c);
}
