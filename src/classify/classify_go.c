/* classify_go: the Go heap of a Go program (REFERENCE.md 4.2, 5).
 *
 * The Go runtime's first arena hint on amd64 is 0xc000000000 and the heap
 * grows upward from there in 64 MiB arenas, so an anonymous region of a Go
 * program between 0xc000000000 and 0x10000000000 is the Go heap, rw-p part
 * and ---p tail alike.  It has the shape of a glibc arena; marking it here
 * keeps the arena classifier off it.  The Go program's other anonymous
 * regions become go_runtime in classify_anon. */
#include "config.h"

#include "classify_internal.h"

#define GO_HEAP_LO 0xc000000000ULL
#define GO_HEAP_HI 0x10000000000ULL

/* Only the regions between the bounds are looked at, not all. */
void classify_go_prepare(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;

	if (!m->exe.is_go)
		return;
	for (size_t i = vmmap_first_above(m, GO_HEAP_LO);
	     i < m->nregions && m->regions[i].start < GO_HEAP_HI; i++) {
		const struct region *r = &m->regions[i];

		if (classify_is_anon(r) && r->start >= GO_HEAP_LO &&
		    r->end <= GO_HEAP_HI)
			c->marks[i] |= MARK_GO_HEAP;
	}
}

bool classify_go_region(const struct classify_ctx *c, size_t i,
			struct classify_verdict *v)
{
	if (!(c->marks[i] & MARK_GO_HEAP))
		return false;
	v->kind = KIND_GO_HEAP;
	v->reason = c->m->regions[i].perms[0] == '-' ?
			    "Go heap arena, reserved part" : "Go heap arena";
	return true;
}
