/* classify_special: the kernel's pseudo names ([heap], [stack], [vdso]...). */
#include "config.h"

#include "classify_internal.h"

#include <string.h>

static const struct {
	const char *name;
	enum region_kind kind;
	const char *reason;
} special_names[] = {
	{ "[heap]", KIND_HEAP, "brk heap: glibc's main arena" },
	{ "[stack]", KIND_MAIN_STACK, "main thread's stack" },
	{ "[vdso]", KIND_KERNEL, "kernel vDSO" },
	{ "[vvar]", KIND_KERNEL, "kernel vDSO data" },
	{ "[vvar_vclock]", KIND_KERNEL, "kernel vDSO clock data" },
	{ "[vsyscall]", KIND_KERNEL, "legacy vsyscall page (not in VmSize)" },
};

bool classify_special_region(const struct classify_ctx *c, size_t i,
			     struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];

	if (r->path[0] != '[')
		return false;
	for (size_t k = 0; k < sizeof(special_names) / sizeof(*special_names);
	     k++) {
		if (strcmp(r->path, special_names[k].name) == 0) {
			v->kind = special_names[k].kind;
			v->reason = special_names[k].reason;
			if (v->kind == KIND_KERNEL)
				v->group = r->path;
			return true;
		}
	}
	return false;
}
