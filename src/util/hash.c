/* hash: FNV-1a and an open-addressing table of 64-bit keys. */
#include "config.h"

#include "vmtop/hash.h"

#include <stdlib.h>
#include <string.h>

#include "vmtop/xalloc.h"

#define HASH_FNV_PRIME 1099511628211ULL

uint64_t hash_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * HASH_FNV_PRIME;
	return h;
}

uint64_t hash_fnv_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * HASH_FNV_PRIME;
	return h;
}

/* The first slot of a key: multiplied by 2^64 / phi, whose high bits
 * depend on all of the key's, then folded down to the low ones. */
static size_t hash_slot(uint64_t key, size_t mask)
{
	key *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(key ^ (key >> 29)) & mask;
}

static void hash_table_alloc(struct hash_table *t, size_t slots)
{
	t->keys = xcalloc(slots, sizeof(*t->keys));
	t->vals = xmalloc(slots * sizeof(*t->vals));
	t->mask = slots - 1;
	t->count = 0;
}

void hash_table_init(struct hash_table *t, size_t n)
{
	size_t slots = 16;

	while (slots < 2 * n)
		slots *= 2;
	hash_table_alloc(t, slots);
}

void hash_table_release(struct hash_table *t)
{
	free(t->keys);
	free(t->vals);
	memset(t, 0, sizeof(*t));
}

void hash_table_clear(struct hash_table *t)
{
	if (t->keys)
		memset(t->keys, 0, (t->mask + 1) * sizeof(*t->keys));
	t->count = 0;
}

uint32_t hash_table_get(const struct hash_table *t, uint64_t key)
{
	if (!t->keys)
		return HASH_NONE;
	for (size_t h = hash_slot(key, t->mask);; h = (h + 1) & t->mask) {
		if (t->keys[h] == key)
			return t->vals[h];
		if (t->keys[h] == 0)
			return HASH_NONE;
	}
}

/* Doubles the slots (or makes the first 16), moving every key. */
static void hash_table_grow(struct hash_table *t)
{
	struct hash_table old = *t;

	hash_table_alloc(t, old.keys ? (old.mask + 1) * 2 : 16);
	for (size_t i = 0; old.keys && i <= old.mask; i++) {
		size_t h;

		if (!old.keys[i])
			continue;
		h = hash_slot(old.keys[i], t->mask);
		while (t->keys[h])
			h = (h + 1) & t->mask;
		t->keys[h] = old.keys[i];
		t->vals[h] = old.vals[i];
	}
	t->count = old.count;
	free(old.keys);
	free(old.vals);
}

uint32_t *hash_table_put(struct hash_table *t, uint64_t key)
{
	size_t h;

	if (!t->keys || 2 * (t->count + 1) > t->mask + 1)
		hash_table_grow(t);
	for (h = hash_slot(key, t->mask); t->keys[h]; h = (h + 1) & t->mask)
		if (t->keys[h] == key)
			return &t->vals[h];
	t->keys[h] = key;
	t->vals[h] = HASH_NONE;
	t->count++;
	return &t->vals[h];
}
