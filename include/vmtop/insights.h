/* insights: short sentences naming the largest causes of a process's VSZ
 * and the knob that changes each, computed from a maptree.
 *
 * Ids are stable and each appears at most once: "arenas",
 * "thread_stacks", "go_runtime", "anon_large" (accessible regions: malloc
 * blocks or the program's mmap), "anon_reserved" (PROT_NONE ones, never
 * blamed on malloc), "libraries", "heap", "v8", "pymalloc",
 * "malloc_blocks", "allocator", "postgres_shared", "shared", "hugetlb",
 * and a JVM's "java_heap", "java_class_space", "java_metaspace",
 * "java_code_cache", "java_gc"; "rule", once for each of the user's
 * rules with an insight that decided regions (rules.h), whose sentence
 * is the rule's own with the group, sizes and knob; "growth"
 * (history_insight(), from the history of the refreshes) comes first.
 * The knob named is the one of the
 * process's runtime (vmmap.rt): -Xss for Java threads, not ulimit -s.
 * Sentences carry numbers ("4 glibc malloc arenas map 256 MiB (64 MiB
 * each; 255 MiB reserved, 528 KiB committed); MALLOC_ARENA_MAX=1 would
 * remove them") and are ordered by the size they explain, largest first.
 * Words: reserved = PROT_NONE address space, committed = the rest of VSZ
 * (resident included), resident = RSS; "map" is address space. */
#ifndef VMTOP_INSIGHTS_H
#define VMTOP_INSIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "vmtop/maptree.h"

/* Fills t->insights and t->ninsights from the rest of t (maptree_build()
 * calls it last).  The texts are owned by t; maptree_free() frees them. */
void insights_build(struct maptree *t);

#endif
