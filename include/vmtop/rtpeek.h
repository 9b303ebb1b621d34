/* rtpeek: headers of a runtime's memory read from a live process with
 * process_vm_readv, as peek reads glibc's heap_info: V8's page headers
 * and CPython's pymalloc pool headers (REFERENCE.md 7.2, 7.3).  Only
 * processes that runtime_detect() named are read, only anonymous
 * regions, and only a bounded number of bytes.  What is read is the
 * target's: every check treats it as hostile. */
#ifndef VMTOP_RTPEEK_H
#define VMTOP_RTPEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/vmmap.h"

/* V8 pages are aligned to this (MemoryChunk alignment, 256 KiB). */
#define RTPEEK_V8_PAGE_ALIGN (256u << 10)
/* Bytes of a pymalloc pool header (struct pool_header, 64-bit). */
#define RTPEEK_POOL_HEADER 48
/* At most this many pool headers are read per refresh (1 GiB of 16 KiB
 * pools): regions beyond stay unconfirmed. */
#define RTPEEK_POOL_BUDGET 65536

/* Whether h, the 48 bytes at a pool boundary, is a pymalloc pool header
 * of a pool of pool_size bytes: szidx below 32 (512-byte classes of 16),
 * maxnextoffset exactly pool_size - block size, and the header then
 * 0 < nextoffset <= maxnextoffset + block size.  *arena gets its
 * arenaindex. */
bool rtpeek_pool_ok(const unsigned char h[RTPEEK_POOL_HEADER],
		    uint32_t pool_size, uint32_t *arena);

/* pymalloc's arena and pool sizes for CPython version ver ("3.11"):
 * 1 MiB and 16 KiB from 3.10 on (64-bit, radix tree), else 256 KiB and
 * 4 KiB.  False when ver is not a 3.X version. */
bool rtpeek_pymalloc_sizes(const char *ver, uint32_t *arena,
			   uint32_t *pool);

/* Reads what m's runtime has to show (m->pid live, m->rt filled):
 * for V8, the first 40 bytes of each anonymous region that starts on a
 * RTPEEK_V8_PAGE_ALIGN boundary; for CPython, the pool headers of each
 * anonymous rw-p region of one arena or more that is not stack-shaped,
 * summarised per region.  Appends to m->rtprobes; sets MISSING_MEMORY
 * when denied.  Returns the number of probes added. */
size_t rtpeek_read(struct vmmap *m);

#endif
