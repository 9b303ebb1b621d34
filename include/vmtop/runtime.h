/* runtime: which language runtime and which malloc a process uses, from
 * the files it maps and its executable's symbols (REFERENCE.md 7.1).
 *
 * Cheap by design: no file is opened and the target is not read.  The
 * result, m->rt (struct vmruntime, vmmap.h), is what the runtime readers
 * (rtpeek) and classifiers ask ("is this V8?") and what every output
 * shows (maptree names them: maptree_runtime_name()).  Other classifiers use it the same way:
 *
 *	if (m->rt.rt == RT_JVM) ...
 *	if (m->rt.alloc & ALLOC_JEMALLOC) ...
 */
#ifndef VMTOP_RUNTIME_H
#define VMTOP_RUNTIME_H

#include "vmtop/vmmap.h"

/* Fills m->rt from m's regions and m->exe (its syms when exe was read).
 * Runs again on each refresh (a library can be loaded late): one pass
 * that looks at a path only when it differs from the region before.
 * Never fails; RT_NONE and no allocator bits when nothing is known. */
void runtime_detect(struct vmmap *m);

#endif
