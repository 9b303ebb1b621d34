/* classify_shared: shared memory (REFERENCE.md 2.1): shared anonymous
 * (/dev/zero (deleted), /anon_hugepage (deleted) in huge pages), SysV
 * segments (/SYSV<key>), memfd, POSIX shm under /dev/shm, device memory
 * (any other /dev/ path mapped shared) and shared mappings without a
 * path.  A plain file mapped shared (nscd's
 * cache, gconv-modules.cache, the JDK's lib/modules) is a file, not
 * shared memory: classify_file tags it shared.
 * PostgreSQL's segments get groups that name them (REFERENCE.md 9.1). */
#include "config.h"

#include "classify_internal.h"

#include <string.h>

/* Whether s starts with the string literal lit (no strlen per call). */
#define SHARED_PREFIX(s, lit) (strncmp((s), (lit), sizeof(lit) - 1) == 0)

/* The kind of shared memory a path names, or NULL: its second byte
 * rules out most paths before any comparison. */
static const char *shared_named(const struct region *r, const char *p)
{
	switch (p[1]) {
	case 'd':
		if (SHARED_PREFIX(p, "/dev/zero") &&
		    (r->deleted || strstr(p, "(deleted)")))
			return "shared anonymous memory";
		if (SHARED_PREFIX(p, "/dev/shm/"))
			return "POSIX shared memory";
		if (SHARED_PREFIX(p, "/dev/") && r->perms[3] == 's')
			return "shared mapping of a device";
		return NULL;
	case 'a':
		/* MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB */
		return SHARED_PREFIX(p, "/anon_hugepage") &&
		       (r->deleted || strstr(p, "(deleted)")) ?
			"shared anonymous memory in huge pages" : NULL;
	case 'S':
		return SHARED_PREFIX(p, "/SYSV") ? "SysV shared memory segment" :
						    NULL;
	case 'm':
		return SHARED_PREFIX(p, "/memfd:") ? "memfd" : NULL;
	default:
		return NULL;
	}
}

/* PostgreSQL's segments: the main one is shared anonymous memory
 * (/dev/zero, or /anon_hugepage with huge_pages) in a postgres process;
 * its dynamic shared memory is named /dev/shm/PostgreSQL.<n> in any
 * process that maps it. */
static bool shared_postgres(const struct classify_ctx *c,
			    const struct region *r, struct classify_verdict *v)
{
	const char *p = r->path;

	if (SHARED_PREFIX(p, "/dev/shm/PostgreSQL.")) {
		v->reason = "PostgreSQL dynamic shared memory "
			    "(/dev/shm/PostgreSQL.<n>)";
		v->group = "PostgreSQL dynamic shared memory";
	} else if (r->perms[3] != 's' || !r->deleted ||
		   c->m->rt.rt != RT_POSTGRES) {
		return false;
	} else if (!strcmp(p, "/dev/zero") || !strcmp(p, "/anon_hugepage")) {
		v->reason = p[1] == 'a' ?
			"PostgreSQL main shared memory segment, huge pages "
			"(/anon_hugepage)" :
			"PostgreSQL main shared memory segment (shared "
			"anonymous, /dev/zero)";
		v->group = "PostgreSQL main segment (shared_buffers)";
	} else if (SHARED_PREFIX(p, "/SYSV")) {
		v->reason = "PostgreSQL SysV interlock segment";
		v->group = "PostgreSQL SysV interlock";
	} else {
		return false;
	}
	v->kind = KIND_SHARED;
	return true;
}

bool classify_shared_region(const struct classify_ctx *c, size_t i,
			    struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];
	const char *p = r->path;

	if (p[0] != '/' && r->perms[3] != 's')
		return false;
	if (p[0] == '/' && shared_postgres(c, r, v))
		return true;
	v->reason = p[0] == '/' ? shared_named(r, p) : NULL;
	if (!v->reason && p[0] != '/')
		v->reason = "shared mapping";
	if (!v->reason)
		return false;
	v->kind = KIND_SHARED;
	v->group = p;
	return true;
}
