/* classify_shared: shared memory (REFERENCE.md 2.1): shared anonymous
 * (/dev/zero (deleted)), SysV segments (/SYSV<key>), memfd, POSIX shm
 * under /dev/shm, device memory (any other /dev/ path mapped shared) and
 * shared mappings without a path.  A plain file mapped shared (nscd's
 * cache, gconv-modules.cache, the JDK's lib/modules) is a file, not
 * shared memory: classify_file tags it shared. */
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
	case 'S':
		return SHARED_PREFIX(p, "/SYSV") ? "SysV shared memory segment" :
						    NULL;
	case 'm':
		return SHARED_PREFIX(p, "/memfd:") ? "memfd" : NULL;
	default:
		return NULL;
	}
}

bool classify_shared_region(const struct classify_ctx *c, size_t i,
			    struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];
	const char *p = r->path;

	if (p[0] != '/' && r->perms[3] != 's')
		return false;
	v->reason = p[0] == '/' ? shared_named(r, p) : NULL;
	if (!v->reason && p[0] != '/')
		v->reason = "shared mapping";
	if (!v->reason)
		return false;
	v->kind = KIND_SHARED;
	v->group = p;
	return true;
}
