/* classify_shared: shared memory (REFERENCE.md 2.1): shared anonymous
 * (/dev/zero (deleted)), SysV segments (/SYSV<key>), memfd, POSIX shm
 * under /dev/shm, and any other MAP_SHARED mapping. */
#include "config.h"

#include "vmtop/classify.h"

#include <string.h>

static bool shared_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

bool classify_shared_region(const struct classify_ctx *c, size_t i,
			    struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];
	const char *p = r->path;

	if (p[0] != '/' && r->perms[3] != 's')
		return false;
	if (shared_prefix(p, "/dev/zero") &&
	    (r->deleted || strstr(p, "(deleted)")))
		v->reason = "shared anonymous memory";
	else if (shared_prefix(p, "/SYSV"))
		v->reason = "SysV shared memory segment";
	else if (shared_prefix(p, "/memfd:"))
		v->reason = "memfd";
	else if (shared_prefix(p, "/dev/shm/"))
		v->reason = "POSIX shared memory";
	else if (r->perms[3] == 's')
		v->reason = "shared mapping";
	else
		return false;
	v->kind = KIND_SHARED;
	v->group = p;
	return true;
}
