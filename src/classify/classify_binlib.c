/* classify_binlib: the main executable and the shared libraries, each
 * grouped by path with its anonymous bss. */
#include "config.h"

#include "classify_internal.h"

#include <string.h>

/* Whether region b is an anonymous rw-p region right after a. */
static bool binlib_anon_after(const struct region *a, const struct region *b)
{
	return b->start == a->end && classify_is_anon(b) &&
	       classify_perms_are(b, "rw-p");
}

/* A library's bss, as its program headers place it (collect's solib,
 * REFERENCE.md 2.1): the anonymous rw-p region right after the
 * library's last rw-p file mapping, starting where the segment's file
 * data ends and ending no later than its memory.  A region that ends
 * later was merged with a neighbour (or is not the bss at all): it is
 * left alone, never claimed whole. */
static void binlib_mark_solibs(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;

	for (size_t k = 0; k < m->nsolibs; k++) {
		const struct vmsolib *s = &m->solibs[k];
		size_t i = vmmap_first_above(m, s->data_end);
		const struct region *r;

		if (i == 0 || i >= m->nregions || s->mem_end <= s->data_end)
			continue;
		r = &m->regions[i];
		if (r->start == s->data_end && r->end <= s->mem_end &&
		    r[-1].path == s->path &&
		    classify_perms_are(&r[-1], "rw-p") &&
		    binlib_anon_after(&r[-1], r))
			c->marks[i] |= MARK_BSS;
	}
}

/* The executable's bss is the anonymous rw-p region right after its last
 * segment (the scan of classify.c marked the segments); a library's is
 * found by its headers. */
void classify_binlib_prepare(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	size_t last = c->exe_last;

	binlib_mark_solibs(c);
	if (last == SIZE_MAX || last + 1 >= m->nregions)
		return;
	if (binlib_anon_after(&m->regions[last], &m->regions[last + 1]))
		c->marks[last + 1] |= MARK_BSS;
}

/* A shared object: basename holds ".so" at its end or before a '.'. */
static bool binlib_is_so(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *p;

	base = base ? base + 1 : path;
	for (p = strstr(base, ".so"); p; p = strstr(p + 1, ".so"))
		if (p[3] == '\0' || p[3] == '.')
			return true;
	return false;
}

bool classify_binlib_region(const struct classify_ctx *c, size_t i,
			    struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];
	const char *interp = c->m->exe.interp;

	if (c->marks[i] & MARK_BSS) {
		/* marked only right after a file's region */
		bool exe = c->marks[i - 1] & MARK_EXE;

		v->kind = exe ? KIND_BINARY : KIND_LIBRARY;
		v->reason = exe ? "bss of the executable"
				: "the library's bss, by its program headers";
		v->group = c->m->regions[i - 1].path;
		return true;
	}
	if (r->path[0] != '/')
		return false;
	if (c->marks[i] & MARK_EXE) {
		v->kind = KIND_BINARY;
		v->reason = "segment of the executable";
		v->group = r->path;
		return true;
	}
	if (interp && strcmp(interp, r->path) == 0)
		v->reason = "dynamic loader";
	else if (binlib_is_so(r->path))
		v->reason = "shared object";
	else
		return false;
	v->kind = KIND_LIBRARY;
	v->group = r->path;
	return true;
}
