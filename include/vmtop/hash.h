/* hash: FNV-1a over bytes, and an open-addressing table of 64-bit keys to
 * 32-bit values (an index in the caller's array, most often).
 *
 * The table keeps its keys, so that a lookup reads nothing of the
 * caller's; keys are mixed before they pick a slot, so that keys whose
 * low bits are alike (addresses, tags built from them) spread.  Linear
 * probing at a load of at most one half; nothing is ever removed, only
 * the whole table cleared.  Key 0 marks an empty slot and cannot be
 * stored: callers map their keys to nonzero ones. */
#ifndef VMTOP_HASH_H
#define VMTOP_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a's offset basis: the h to start a hash_fnv() chain with. */
#define HASH_FNV_INIT 14695981039346656037ULL

/* Continues the FNV-1a hash h over n bytes at p.  Returns the new h. */
uint64_t hash_fnv(uint64_t h, const void *p, size_t n);

/* Same over the bytes of a NUL-terminated string (not the NUL). */
uint64_t hash_fnv_str(uint64_t h, const char *s);

/* The value of an absent key. */
#define HASH_NONE UINT32_MAX

struct hash_table {
	uint64_t *keys;   /* 0: an empty slot */
	uint32_t *vals;
	size_t mask;      /* slots - 1, the slots a power of two */
	size_t count;     /* keys stored */
};

/* An empty table that allocates on its first hash_table_put(). */
#define HASH_TABLE_INIT { NULL, NULL, 0, 0 }

/* Makes t an empty table with room for n keys before it grows. */
void hash_table_init(struct hash_table *t, size_t n);

/* Frees t's memory; t is then an empty table again. */
void hash_table_release(struct hash_table *t);

/* Forgets every key, keeping the memory. */
void hash_table_clear(struct hash_table *t);

/* Returns the value stored under key (nonzero), or HASH_NONE. */
uint32_t hash_table_get(const struct hash_table *t, uint64_t key);

/* Returns where the value of key (nonzero) is kept, adding key with the
 * value HASH_NONE when it is absent (the table grows as needed): the
 * caller tells a new key by that value and stores the one it wants.  The
 * pointer is valid until the next put, clear or release. */
uint32_t *hash_table_put(struct hash_table *t, uint64_t key);

#endif
