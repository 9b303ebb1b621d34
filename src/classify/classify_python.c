/* classify_python: CPython's pymalloc arenas (REFERENCE.md 7.3).
 *
 * Arenas (1 MiB from 3.10 on) merge with each other and with malloc's
 * blocks into larger regions, so size says nothing; rtpeek read the pool
 * header at every pool boundary of each candidate.  A region is pymalloc
 * when the arenas whose pools passed the checks cover all of it but less
 * than one arena: what is left cannot be another arena. */
#include "config.h"

#include "classify_internal.h"

#include <inttypes.h>
#include <stdio.h>

#include "vmtop/xalloc.h"

static void python_mark(struct classify_ctx *c, size_t i,
			const struct rt_probe *p)
{
	const struct region *r = &c->m->regions[i];
	uint64_t size = r->end - r->start, covered = p->v[1] * p->v[2];
	char why[160];

	if (p->err || p->v[1] == 0 || covered > size ||
	    size - covered >= p->v[2])
		return;
	snprintf(why, sizeof(why),
		 "pymalloc: %" PRIu64 " arena%s confirmed by %" PRIu64
		 " pool headers", p->v[1], p->v[1] == 1 ? "" : "s", p->v[0]);
	if (!c->rt_reason)
		c->rt_reason = xcalloc(c->m->nregions ? c->m->nregions : 1, sizeof(*c->rt_reason));
	classify_mark_runtime(c, i, KIND_PYMALLOC,
			      vmmap_strdup(c->m, why));
}

void classify_python_prepare(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;

	if (m->rt.rt != RT_PYTHON)
		return;
	for (size_t k = 0; k < m->nrtprobes; k++) {
		const struct rt_probe *p = &m->rtprobes[k];
		size_t i;

		if (p->kind != RTP_PYMALLOC)
			continue;
		i = vmmap_find(m, p->addr);
		if (i != SIZE_MAX && m->regions[i].start == p->addr &&
		    !c->marks[i])
			python_mark(c, i, p);
	}
}

/* The answer for a region a runtime's prepare step marked (V8 and
 * CPython share it). */
bool classify_runtime_region(const struct classify_ctx *c, size_t i,
			     struct classify_verdict *v)
{
	if (!(c->marks[i] & MARK_RUNTIME))
		return false;
	v->kind = (enum region_kind)c->owner[i];
	v->reason = c->rt_reason[i];
	return true;
}
