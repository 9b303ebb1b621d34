/* chunks: glibc malloc()'s mmapped chunks, walked from outside.
 *
 * A malloc() above M_MMAP_THRESHOLD is an anonymous rw-p mmap of its own
 * that starts with a chunk header: prev_size 0, then size (a multiple of
 * the page size) with the IS_MMAPPED bit, 0x2 (REFERENCE.md 3.6).
 * Neighbouring blocks merge into one VMA, so a region is walked chunk by
 * chunk.  Reading only: classify decides what a walk shows. */
#ifndef VMTOP_CHUNKS_H
#define VMTOP_CHUNKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/vmmap.h"

/* Regions shorter than this are not walked: the default threshold is
 * 128 KiB, and a block below 64 KiB is small enough to leave unnamed. */
#define CHUNKS_MIN_REGION (64u << 10)
/* Chunk headers read per process and refresh, at most, and rounds (one
 * process_vm_readv call each): the budget that keeps the walk under
 * 1 ms.  Measured here: a round of a few headers costs about 4 us (3000
 * blocks merged into 6 mappings took 2.5 ms for 340 rounds unbounded),
 * a header about 0.65 us (2048 separate regions: 1.35 ms). */
#define CHUNKS_MAX_READS 1024u
#define CHUNKS_MAX_ROUNDS 96u

/* Whether a header read at a chunk's start is an mmapped chunk's that
 * fits in the room bytes left in its region; *size gets its size. */
static inline bool chunks_header_ok(uint64_t prev_size, uint64_t size,
				    uint64_t room, uint64_t page,
				    uint64_t *len)
{
	uint64_t n = size & ~(uint64_t)7;

	*len = n;
	return prev_size == 0 && (size & 7) == 2 && n >= page &&
	       n % page == 0 && n <= room;
}

/* Walks the chunks of every anonymous rw-p region of m of at least
 * CHUNKS_MIN_REGION (m->pid must be live), within CHUNKS_MAX_READS
 * header reads and CHUNKS_MAX_ROUNDS rounds (a walk stopped there is
 * cut), with batched process_vm_readv calls: appends one
 * chunk_walk per region walked to m->chunks, by start.  Sets
 * MISSING_MEMORY when access was denied.  Returns the number of walks. */
size_t chunks_walk(struct vmmap *m);

#endif
