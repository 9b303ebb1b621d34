/* classify_file: every other file mapping, grouped by path; one mapped
 * shared ("r--s", "rw-s") is tagged shared. */
#include "config.h"

#include "classify_internal.h"

bool classify_file_region(const struct classify_ctx *c, size_t i,
			  struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];

	if (r->path[0] == '\0' || r->path[0] == '[')
		return false;
	v->kind = KIND_FILE;
	if (r->perms[3] == 's') {
		v->tags = TAG_SHARED;
		v->reason = r->inode ? "file mapped shared" :
				       "named shared mapping without inode";
	} else {
		v->reason = r->inode ? "file mapping" :
				       "named mapping without inode";
	}
	v->group = r->path;
	return true;
}
