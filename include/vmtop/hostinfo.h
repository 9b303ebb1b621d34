/* hostinfo: machine-wide facts the header and the "host" JSON object show.
 *
 * Read from <proc_root>/meminfo plus sysconf(); cheap enough to call on
 * every refresh. */
#ifndef VMTOP_HOSTINFO_H
#define VMTOP_HOSTINFO_H

#include <stdint.h>

struct hostinfo {
	uint64_t mem_total_kib;     /* MemTotal */
	uint64_t mem_available_kib; /* MemAvailable (MemFree on old kernels) */
	uint64_t swap_total_kib;    /* SwapTotal */
	uint64_t swap_free_kib;     /* SwapFree */
	int cpus;                   /* online CPUs, >= 1 */
	unsigned long page_size;    /* bytes */
};

/* Fills hi from <proc_root>/meminfo ("/proc" when proc_root is NULL) and
 * sysconf().  Returns 0, or -errno when meminfo cannot be opened or lacks
 * MemTotal; hi is zeroed (cpus and page_size still set) on failure. */
int hostinfo_read(struct hostinfo *hi, const char *proc_root);

#endif
