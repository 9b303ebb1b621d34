/* classify_alloc: the memory of malloc implementations, named only on
 * evidence (REFERENCE.md 3.6, 3.7).
 *
 * glibc's large blocks: an anonymous rw-p region whose chunk walk (the
 * headers read by collect's chunks module) covers it with mmapped chunks
 * is malloc_block, grouped with the count of blocks.  New blocks are
 * mapped below the older ones and merge with them, and also with an
 * older anonymous mapping above that is no block (seen: 12 KiB of the
 * loader's): so the chunks, walked from the start, may stop short of the
 * end.  At least 7/8 of the region must be chunks, and the reason says
 * how much is not.
 *
 * Other allocators: jemalloc and mimalloc map their extents with
 * MAP_NORESERVE (VmFlags "nr") where the kernel overcommits; glibc never
 * does for a malloc() block or a thread stack (its arenas do, and come
 * first).  So in a process that maps the allocator's library, an
 * anonymous region with "nr" is that allocator's.  The smaps reader
 * lists those regions (vmmap.noreserve); from maps alone they stay
 * anon.  tcmalloc leaves no such mark (gperftools maps without
 * MAP_NORESERVE, Google's tcmalloc names its regions instead).
 *
 * The allocator is found by its library being mapped; a static build is
 * not recognised here (the runtime detection's job). */
#include "config.h"

#include "classify_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Allocators whose extents carry VmFlags nr, by runtime_detect()'s bit
 * (a mapped library or, for a static build, its malloc symbols). */
static const struct alloc_lib {
	unsigned bit;      /* enum vmmap_alloc */
	const char *name;  /* the group */
	const char *reason;
} alloc_libs[] = {
	{ ALLOC_JEMALLOC, "jemalloc",
	  "jemalloc extent: MAP_NORESERVE (VmFlags nr), jemalloc in use" },
	{ ALLOC_MIMALLOC, "mimalloc",
	  "mimalloc segment: MAP_NORESERVE (VmFlags nr), mimalloc in use" },
};

/* The allocator of m whose extents are named, or NULL. */
static const struct alloc_lib *alloc_detect(const struct vmmap *m)
{
	for (size_t k = 0; k < sizeof(alloc_libs) / sizeof(alloc_libs[0]); k++)
		if (m->rt.alloc & alloc_libs[k].bit)
			return &alloc_libs[k];
	return NULL;
}

/* Regions whose chunk walk tiles them: marked, owner = chunk count. */
static unsigned long alloc_mark_chunks(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	unsigned long total = 0;

	for (size_t k = 0; k < m->nchunks; k++) {
		const struct chunk_walk *w = &m->chunks[k];
		size_t i;

		/* a walk the read budget cut would undercount */
		if (w->nchunks == 0 || w->cut)
			continue;
		i = vmmap_find(m, w->addr);
		if (i == SIZE_MAX || c->marks[i] ||
		    m->regions[i].start != w->addr ||
		    w->covered > m->regions[i].end - w->addr ||
		    w->covered < (m->regions[i].end - w->addr) / 8 * 7 ||
		    !classify_is_anon(&m->regions[i]) ||
		    !classify_perms_are(&m->regions[i], "rw-p"))
			continue;
		c->marks[i] |= MARK_MALLOC_BLOCK;
		c->owner[i] = (int32_t)(w->nchunks > INT32_MAX ? INT32_MAX :
					w->nchunks);
		total += w->nchunks;
	}
	return total;
}

static void alloc_mark_extents(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;

	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (c->marks[i] || !classify_is_anon(r) || r->perms[3] != 'p' ||
		    !vmmap_is_noreserve(m, r->start))
			continue;
		c->marks[i] |= MARK_ALLOC;
	}
}

void classify_alloc_prepare(struct classify_ctx *c)
{
	char buf[48];
	unsigned long n;

	n = alloc_mark_chunks(c);
	if (n) {
		snprintf(buf, sizeof(buf), "%lu malloc() block%s", n,
			 n == 1 ? "" : "s");
		c->malloc_group = vmmap_strdup(c->m, buf);
	}
	c->allocator = alloc_detect(c->m);
	if (c->allocator)
		alloc_mark_extents(c);
}

bool classify_alloc_region(const struct classify_ctx *c, size_t i,
			   struct classify_verdict *v)
{
	unsigned bits = c->marks[i];
	const struct region *r = &c->m->regions[i];
	const struct chunk_walk *w;
	char buf[160], rest[48] = "";

	if (bits & MARK_MALLOC_BLOCK) {
		v->kind = KIND_MALLOC_BLOCK;
		v->group = c->malloc_group;
		w = vmmap_chunks_of(c->m, r->start);
		if (w && w->covered < r->end - r->start)
			snprintf(rest, sizeof(rest),
				 "; the last %" PRIu64 " KiB are not",
				 (r->end - r->start - w->covered) / 1024);
		if (c->owner[i] == 1 && !rest[0]) {
			v->reason = "glibc malloc() block above "
				    "M_MMAP_THRESHOLD: mmapped chunk header "
				    "read";
			return true;
		}
		snprintf(buf, sizeof(buf),
			 "%" PRId32 " glibc malloc() block%s above "
			 "M_MMAP_THRESHOLD: mmapped chunk headers read%s",
			 c->owner[i], c->owner[i] == 1 ? "" : "s", rest);
		v->reason = vmmap_strdup(c->m, buf);
		return true;
	}
	if (!(bits & MARK_ALLOC))
		return false;
	v->kind = KIND_ALLOCATOR;
	v->group = c->allocator->name;
	v->reason = c->allocator->reason;
	return true;
}
