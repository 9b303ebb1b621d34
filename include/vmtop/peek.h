/* peek: reading a few bytes of another process's memory, for the heap_info
 * header of glibc arena candidates (REFERENCE.md 3.4). */
#ifndef VMTOP_PEEK_H
#define VMTOP_PEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "vmtop/maps.h"
#include "vmtop/vmmap.h"


/* Whether r is an arena candidate: anonymous (inode 0, empty path),
 * "rw-p", and starting on a 64 MiB boundary.  Deciding whether it really
 * is an arena is classify's job. */
static inline bool peek_is_candidate(const struct region *r)
{
	/* the alignment first: it rules out nearly every region */
	return r->start % VMMAP_ARENA_HEAP_MAX == 0 && r->inode == 0 &&
	       r->path[0] == '\0' && !memcmp(r->perms, "rw-p", 4);
}

/* Copies len bytes at addr in process pid into buf with
 * process_vm_readv().  Returns 0, or -errno (-EPERM without ptrace
 * rights, -ESRCH when gone, -EFAULT when unmapped, -EIO when short). */
int peek_read(pid_t pid, uint64_t addr, void *buf, size_t len);

/* Decodes a 48-byte heap_info (native endianness, 64-bit fields) from
 * buf into p's raw fields.  Never fails. */
void peek_decode_heap_info(const unsigned char buf[48], struct heap_probe *p);

/* Probes every candidate of m (m->pid must be live): appends one
 * heap_probe per candidate to m->probes with its raw fields or its err,
 * and for a first heap (ar_ptr == addr + 48) also reads malloc_state's
 * next and system_mem.  The candidates are those notes lists (the
 * reader's, when it saw every region in place), else every region is
 * asked.  Sets MISSING_MEMORY when access was denied.  Returns the
 * number of probes. */
size_t peek_probe_arenas(struct vmmap *m, const struct maps_notes *notes);

#endif
