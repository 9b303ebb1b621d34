/* hostinfo: machine-wide figures for headers and the JSON "host" object. */
#ifndef VMTOP_HOSTINFO_H
#define VMTOP_HOSTINFO_H

#include <stdint.h>

struct hostinfo {
	int cpus;                   /* online CPUs */
	unsigned long page_size;
	uint64_t mem_total_kib;     /* /proc/meminfo, KiB */
	uint64_t mem_available_kib;
	uint64_t swap_total_kib;
	uint64_t swap_free_kib;
};

/* Reads /proc/meminfo and sysconf.  Returns 0, or -errno when meminfo
 * cannot be read (the sysconf figures are filled all the same). */
int hostinfo_read(struct hostinfo *h);

#endif
