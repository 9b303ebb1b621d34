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

#include "vmtop/rules.h"
#include "vmtop/vmmap.h"

/* Classifies every region of m in place: writes kind, tags, group,
 * reason, tid and arena of each region, and m->narenas, m->arena_limit and
 * m->arena_limit_source.  r supplies the DNS rule; NULL means no region
 * gets the dns tag.  Strings it creates (group names) live in m's pool.
 * Running it again on the same vmmap gives the same result. */
void classify_vmmap(struct vmmap *m, const struct rules *r);

/* glibc's arena cap for m (REFERENCE.md 3.3): glibc.malloc.arena_max in
 * GLIBC_TUNABLES wins over MALLOC_ARENA_MAX, else 8 x online CPUs.  Sets
 * *source to a static string as documented for vmmap.arena_limit_source. */
int classify_arena_limit(const struct vmmap *m, const char **source);

#endif
