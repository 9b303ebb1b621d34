/* classify_anon: the rest.  In a Go program, anonymous memory outside the
 * Go heap is the runtime's (page-allocator summaries, arena index, ...),
 * in two groups: "reserved" (PROT_NONE address space, most of it) and
 * "committed" (the rest, tens of MiB of rw-p), so that neither hides in
 * the other; elsewhere it is private anonymous memory such as large
 * malloc blocks.  Named anonymous regions ([anon:NAME]) are grouped by
 * their name. */
#include "config.h"

#include "classify_internal.h"

bool classify_anon_region(const struct classify_ctx *c, size_t i,
			  struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];

	if (r->path[0] == '[')
		v->group = r->path;
	if (c->m->exe.is_go) {
		bool none = classify_perms_are(r, "---p");

		v->kind = KIND_GO_RUNTIME;
		v->reason = none ? "Go runtime reservation (PROT_NONE)" :
				   "Go runtime or cgo anonymous memory";
		if (!v->group)
			v->group = none ? "reserved" : "committed";
		return true;
	}
	v->kind = KIND_ANON;
	v->reason = r->perms[0] == '-' ? "anonymous reservation (PROT_NONE)" :
					 "private anonymous memory";
	return true;
}
