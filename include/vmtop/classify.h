/* classify: gives every region of a vmmap a kind, tags, a group and a
 * reason (DESIGN.md, "Region kinds").
 *
 * This is the pipeline's view of classification.  The classifiers
 * themselves (one per file under src/classify/, run as one table) and
 * the state they share are private to src/classify/: see
 * src/classify/classify_internal.h.
 *
 * Classification never formats display text: a reason is a short static
 * string, or one owned by the vmmap's pool. */
#ifndef VMTOP_CLASSIFY_H
#define VMTOP_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vmtop/rules.h"
#include "vmtop/vmmap.h"

/* One thread stack as an earlier refresh of the same process decided
 * it: the stack's rw-p region (its guard not included) and its owner. */
struct classify_stack_owner {
	uint64_t start, end;
	pid_t tid;
};

/* What an earlier refresh of the same process knew that one read cannot
 * always tell again: which thread owns a stack whose stack pointer is
 * unknown this time (the thread was running when task/TID/syscall was
 * read, REFERENCE.md 2.5).  The caller (the pipeline) fills it from the
 * vmmap it classified last; classify reads nothing else of that vmmap.
 * An entry is used only for a stack-shaped region with the same start
 * and end that no stack pointer claimed, and only while its thread is
 * alive and without a stack pointer of its own: a stack keeps its owner
 * from one refresh to the next instead of flapping to "unowned". */
struct classify_history {
	const struct classify_stack_owner *stacks; /* by start, ascending */
	size_t nstacks;
};

/* Classifies every region of m in place: writes kind, tags, group,
 * reason, tid and arena of each region, and m->narenas, m->arena_limit and
 * m->arena_limit_source.  r supplies the DNS rule; NULL means no region
 * gets the dns tag.  Strings it creates (group names) live in m's pool.
 * Running it again on the same vmmap gives the same result. */
void classify_vmmap(struct vmmap *m, const struct rules *r);

/* classify_vmmap() with what an earlier refresh knew (NULL: nothing).
 * h is only read, and only during the call. */
void classify_vmmap_with(struct vmmap *m, const struct rules *r,
			 const struct classify_history *h);

/* glibc's arena cap for m (REFERENCE.md 3.3): glibc.malloc.arena_max in
 * GLIBC_TUNABLES wins over MALLOC_ARENA_MAX, else 8 x online CPUs.  Sets
 * *source to a static string as documented for vmmap.arena_limit_source. */
int classify_arena_limit(const struct vmmap *m, const char **source);

#endif
