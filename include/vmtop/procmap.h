/* procmap: reads one process's address space from a proc root into a
 * struct vmmap (the model, vmmap.h), calling each reader in the order
 * that keeps the files consistent.
 *
 * Order.  smaps (or maps) first, then status and smaps_rollup right
 * after, so that the kernel's totals describe the same moment as the
 * regions; threads, heap_info probes, environ and exe follow, since they
 * do not have to add up to anything.  Every file is reopened on every
 * call: a descriptor on maps is bound to the mm it was opened on.
 *
 * Live or not.  Only a live procfs (procfile_is_live()) has a memory to
 * probe and a file system behind " (deleted)" names; a captured tree gets
 * neither: no heap_info is read and " (deleted)" is taken as unlinked. */
#ifndef VMTOP_PROCMAP_H
#define VMTOP_PROCMAP_H

#include <sys/types.h>

#include "vmtop/vmmap.h"

enum procmap_flags {
	PROCMAP_SMAPS = 1u << 0,    /* read smaps too */
	PROCMAP_THREADS = 1u << 1,  /* read threads and their stack pointers */
	PROCMAP_PROBE = 1u << 2,    /* read heap_info of arena candidates,
				     * and a JVM's hsperfdata file */
	PROCMAP_ENV = 1u << 3,      /* read environ */
	PROCMAP_EXE = 1u << 4,      /* inspect the executable */
	PROCMAP_ALL = 0x1f,
	/* With PROCMAP_SMAPS: skip smaps_rollup (rollup_* stay unknown).
	 * The rollup walks the page tables again, ~10 % of smaps' own cost;
	 * the sum of the regions' Rss gives the same figure. */
	PROCMAP_NO_ROLLUP = 1u << 5,
	/* With PROCMAP_SMAPS: keep every counter and VmFlags of each region
	 * (region.sm), not just the compact ones. */
	PROCMAP_SMAPS_ALL = 1u << 6,
};

/* Reads the process pid under proc_root (NULL: "/proc").
 * Returns 0 with *out set (possibly partial: see access, missing, gone),
 * -ESRCH when the process does not exist, -EACCES when not even maps
 * could be read (*out is still set, with what status had), or another
 * -errno (*out is NULL then).  A process that vanished in the middle
 * gives 0 with gone set and what was read, or -ESRCH if nothing was.
 * Regions are sorted by start and never overlap (a torn read drops the
 * overlapping repeat).  The caller frees *out with vmmap_free(). */
int procmap_read(const char *proc_root, pid_t pid, unsigned flags,
		 struct vmmap **out);

/* The same, for a later read of a process read before as prev: without
 * PROCMAP_ENV and PROCMAP_EXE, prev's environment and executable facts
 * are taken (vmmap_adopt_facts()) before the steps that need them
 * (runtime detection, the runtimes' headers).  prev may be NULL. */
int procmap_read_after(const char *proc_root, pid_t pid, unsigned flags,
		       const struct vmmap *prev, struct vmmap **out);

#endif
