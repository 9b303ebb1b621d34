/* classify_binlib: the main executable (with its anonymous bss) and the
 * shared libraries, each grouped by path. */
#include "config.h"

#include "classify_internal.h"

#include <string.h>

/* The bss is the anonymous rw-p region right after the last segment
 * (the scan of classify.c marked the segments). */
void classify_binlib_prepare(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	size_t last = c->exe_last;

	if (last == SIZE_MAX || last + 1 >= m->nregions)
		return;
	if (m->regions[last + 1].start == m->regions[last].end &&
	    classify_is_anon(&m->regions[last + 1]) &&
	    classify_perms_are(&m->regions[last + 1], "rw-p"))
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
		v->kind = KIND_BINARY;
		v->reason = "bss of the executable";
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
