/* classify_named: regions their owner named (REFERENCE.md 7.4).  An
 * owner that names its mappings knows better than any shape rule, so
 * this runs first: "[anon:NAME]" names (prctl PR_SET_VMA_ANON_NAME: Go
 * 1.25+, glibc's glibc.mem.decorate_maps, tcmalloc, CPython in dev mode)
 * and .NET's W^X double mapping.  A name not in the table is left to the
 * other classifiers (anon groups it by its name). */
#include "config.h"

#include "classify_internal.h"

#include <string.h>

static const struct {
	const char *prefix;     /* after "[anon:" and its spaces, or a path */
	enum region_kind kind;
	const char *reason;
	const char *group;      /* NULL: the name itself */
} named_table[] = {
	{ "Go: heap", KIND_GO_HEAP, "named by the Go runtime: heap", NULL },
	{ "Go: ", KIND_GO_RUNTIME, "named by the Go runtime", NULL },
	{ "glibc: malloc arena", KIND_ARENA,
	  "named by glibc (glibc.mem.decorate_maps): malloc arena", NULL },
	{ "glibc: malloc", KIND_MALLOC_BLOCK,
	  "named by glibc: malloc() block above M_MMAP_THRESHOLD",
	  "malloc() blocks (named by glibc)" },
	{ "glibc: loader malloc", KIND_MALLOC_BLOCK,
	  "named by glibc: the dynamic loader's malloc",
	  "the dynamic loader's malloc" },
	{ "tcmalloc", KIND_ALLOCATOR, "named by tcmalloc: its own region",
	  "tcmalloc" },
	{ "cpython:pymalloc", KIND_PYMALLOC,
	  "named by CPython: pymalloc arena", NULL },
	{ "/memfd:doublemapper", KIND_SHARED,
	  "named by .NET: W^X double mapping of JIT code "
	  "(DOTNET_EnableWriteXorExecute=0 turns it off)", NULL },
};

bool classify_named_region(const struct classify_ctx *c, size_t i,
			   struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];
	const char *name = r->path;

	if (name[0] == '[') {
		if (strncmp(name, "[anon:", 6) != 0)
			return false;
		for (name += 6; *name == ' '; name++)
			;
	} else if (strncmp(name, "/memfd:", 7) != 0) {
		return false;
	}
	for (size_t k = 0; k < sizeof(named_table) / sizeof(*named_table);
	     k++) {
		const char *p = named_table[k].prefix;

		if (strncmp(name, p, strlen(p)) != 0)
			continue;
		v->kind = named_table[k].kind;
		v->reason = named_table[k].reason;
		v->group = named_table[k].group ? named_table[k].group :
						  r->path;
		return true;
	}
	return false;
}
