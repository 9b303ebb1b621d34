/* classify_arena: glibc's non-main malloc arenas (REFERENCE.md 3.2-3.4).
 *
 * Candidates are anonymous rw-p regions starting on a 64 MiB boundary.
 * With a heap_info probe that was read, a candidate whose ar_ptr is
 * start + 48 is an arena's first heap, and one whose ar_ptr points to a
 * known arena's state is a continuation heap of that arena; both are
 * verified.  A probe that was read but fails the checks (the Go heap does)
 * means "not an arena".  Without a probe (denied, or not asked for), the
 * shape decides: rw-p from a 64 MiB boundary followed by ---p up to the
 * next one; such arenas are not verified.  The ---p tail right after a
 * heap belongs to the heap's arena.  Static Go programs have no glibc
 * malloc, hence no arenas. */
#include "config.h"

#include "classify_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmtop/xalloc.h"

#define ARENA_HEAP_INFO 48

static int arena_cmp_probe(const void *a, const void *b)
{
	const struct heap_probe *x = *(const struct heap_probe *const *)a;
	const struct heap_probe *y = *(const struct heap_probe *const *)b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static const struct heap_probe *
arena_find_probe(const struct heap_probe **sorted, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid]->addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && sorted[lo]->addr == addr ? sorted[lo] : NULL;
}

static bool arena_is_candidate(const struct classify_ctx *c, size_t i)
{
	const struct region *r = &c->m->regions[i];

	return classify_is_anon(r) && classify_perms_are(r, "rw-p") &&
	       r->start % VMMAP_ARENA_HEAP_MAX == 0 &&
	       !(c->marks[i] & MARK_GO_HEAP);
}

/* The heap_info checks of REFERENCE.md 3.4.  pagesize is the page size
 * glibc made the heap with: the system's (4 KiB on x86-64, 16 or 64 KiB
 * on some arm64 kernels), or a huge page size with glibc.malloc.hugetlb,
 * so a power of two from the system's page size up. */
static bool arena_probe_ok(const struct heap_probe *p, const struct region *r,
			   uint64_t page_size)
{
	return p->pagesize >= page_size && p->pagesize <= VMMAP_ARENA_HEAP_MAX &&
	       (p->pagesize & (p->pagesize - 1)) == 0 &&
	       p->size <= p->mprotect_size &&
	       p->mprotect_size <= VMMAP_ARENA_HEAP_MAX &&
	       p->size <= r->end - r->start;
}

/* rw-p from a 64 MiB boundary, then ---p up to the next boundary. */
static bool arena_has_shape(const struct vmmap *m, size_t i)
{
	const struct region *r = &m->regions[i], *t;

	if (i + 1 >= m->nregions)
		return false;
	t = &m->regions[i + 1];
	return t->start == r->end && classify_is_anon(t) &&
	       classify_perms_are(t, "---p") &&
	       t->end == r->start + VMMAP_ARENA_HEAP_MAX;
}

static void arena_add(struct classify_ctx *c, size_t i, bool verified)
{
	if (c->narenas > VMMAP_ARENA_MAX)
		return; /* region.arena cannot number it: left to anon */
	c->arena_base = xreallocarray(c->arena_base, c->narenas + 1,
				      sizeof(*c->arena_base));
	c->arena_base[c->narenas] = c->m->regions[i].start;
	c->owner[i] = (int32_t)c->narenas++;
	c->marks[i] |= MARK_ARENA | (verified ? MARK_VERIFIED : 0);
}

/* Arena number whose state is at ar_ptr, or -1 (bases are ascending). */
static int arena_by_state(const struct classify_ctx *c, uint64_t ar_ptr)
{
	size_t lo = 0, hi = c->narenas;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t st = c->arena_base[mid] + ARENA_HEAP_INFO;

		if (st == ar_ptr)
			return (int)mid;
		if (st < ar_ptr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The probe of candidate i that was read and passes the checks, or NULL.
 * Looked up again rather than kept per region: candidates are few, and a
 * pointer per region would cost 480 KB at 60 000 regions. */
static const struct heap_probe *
arena_probe_of(const struct classify_ctx *c, const struct heap_probe **sorted,
	       size_t np, size_t i)
{
	const struct heap_probe *p;

	if (!np || !arena_is_candidate(c, i))
		return NULL;
	p = arena_find_probe(sorted, np, c->m->regions[i].start);
	if (!p || p->err != 0 || !arena_probe_ok(p, &c->m->regions[i],
						 c->m->page_size))
		return NULL;
	return p;
}

/* First heaps, verified or by shape, numbered in address order. */
static void arena_first_heaps(struct classify_ctx *c,
			      const struct heap_probe **sorted, size_t np)
{
	const struct vmmap *m = c->m;

	for (size_t k = 0; k < c->nheap_starts; k++) {
		size_t i = c->heap_starts[k];
		const struct heap_probe *p;

		if (!arena_is_candidate(c, i))
			continue;
		p = arena_find_probe(sorted, np, m->regions[i].start);
		if (p && p->err == 0) {
			if (!arena_probe_ok(p, &m->regions[i], m->page_size))
				continue;
			if (p->ar_ptr == p->addr + ARENA_HEAP_INFO)
				arena_add(c, i, true);
		} else if (arena_has_shape(m, i)) {
			arena_add(c, i, false);
		}
	}
}

static void arena_continuations(struct classify_ctx *c,
				const struct heap_probe **sorted, size_t np)
{
	for (size_t k = 0; k < c->nheap_starts; k++) {
		size_t i = c->heap_starts[k];
		const struct heap_probe *p = arena_probe_of(c, sorted, np, i);
		int a;

		if (!p || p->ar_ptr == p->addr + ARENA_HEAP_INFO)
			continue;
		a = arena_by_state(c, p->ar_ptr);
		if (a < 0)
			continue;
		c->owner[i] = a;
		c->marks[i] |= MARK_ARENA | MARK_VERIFIED;
	}
}

/* The ---p right after a heap, within its 64 MiB, is the heap's tail.
 * Heaps (first or continuation) are all among the heap starts. */
static void arena_tails(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;

	for (size_t k = 0; k < c->nheap_starts; k++) {
		size_t i = c->heap_starts[k];
		const struct region *r = &m->regions[i];
		const struct region *t = r + 1;

		if (!(c->marks[i] & MARK_ARENA) || i + 1 >= m->nregions ||
		    t->start != r->end || !classify_is_anon(t) ||
		    !classify_perms_are(t, "---p") ||
		    t->end > r->start + VMMAP_ARENA_HEAP_MAX)
			continue;
		c->owner[i + 1] = c->owner[i];
		c->marks[i + 1] |= c->marks[i] & (MARK_ARENA | MARK_VERIFIED);
	}
}

static void arena_name(struct classify_ctx *c)
{
	char buf[40];

	c->arena_group = xcalloc(c->narenas ? c->narenas : 1,
				 sizeof(*c->arena_group));
	for (unsigned a = 0; a < c->narenas; a++) {
		snprintf(buf, sizeof(buf), "arena 0x%" PRIx64,
			 c->arena_base[a]);
		c->arena_group[a] = vmmap_strdup(c->m, buf);
	}
}

void classify_arena_prepare(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	const struct heap_probe **sorted;

	/* A static Go binary (pure Go, netgo) has no glibc malloc at all. */
	if (m->exe.is_go && m->exe.is_static)
		return;
	sorted = xcalloc(m->nprobes ? m->nprobes : 1, sizeof(*sorted));
	for (size_t k = 0; k < m->nprobes; k++)
		sorted[k] = &m->probes[k];
	qsort(sorted, m->nprobes, sizeof(*sorted), arena_cmp_probe);
	arena_first_heaps(c, sorted, m->nprobes);
	arena_continuations(c, sorted, m->nprobes);
	arena_tails(c);
	arena_name(c);
	free(sorted);
}

bool classify_arena_region(const struct classify_ctx *c, size_t i,
			   struct classify_verdict *v)
{
	unsigned bits = c->marks[i];
	int a = c->owner[i];
	const struct region *r = &c->m->regions[i];

	if (!(bits & MARK_ARENA))
		return false;
	v->kind = KIND_ARENA;
	v->arena = a;
	v->group = c->arena_group[a];
	if (bits & MARK_VERIFIED)
		v->tags |= TAG_VERIFIED;
	if (r->perms[0] == '-')
		v->reason = "PROT_NONE rest of a glibc arena heap";
	else if (r->start == c->arena_base[a])
		v->reason = bits & MARK_VERIFIED ?
				    "glibc arena: heap_info checked" :
				    "glibc arena by shape (heap_info unread)";
	else
		v->reason = "glibc arena continuation heap: heap_info checked";
	return true;
}
