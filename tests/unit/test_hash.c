/* test_hash: FNV-1a against the published test vectors, and the table
 * against a plain array searched one by one: random keys, keys that
 * differ only in their high bits or share their low ones (addresses, as
 * the tree view's tags are), growth from empty and from a size given,
 * clearing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/hash.h"

static void test_fnv(void)
{
	/* FNV-1a 64 vectors from the FNV reference (Noll's test suite) */
	tap_ok(hash_fnv(HASH_FNV_INIT, "", 0) == 0xcbf29ce484222325ULL,
	       "FNV-1a of \"\" is the offset basis");
	tap_ok(hash_fnv(HASH_FNV_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL,
	       "FNV-1a of \"a\"");
	tap_ok(hash_fnv(HASH_FNV_INIT, "foobar", 6) == 0x85944171f73967e8ULL,
	       "FNV-1a of \"foobar\"");
	tap_ok(hash_fnv_str(HASH_FNV_INIT, "foobar") == 0x85944171f73967e8ULL,
	       "hash_fnv_str() the same");
	tap_ok(hash_fnv(hash_fnv(HASH_FNV_INIT, "foo", 3), "bar", 3) ==
		       0x85944171f73967e8ULL,
	       "a chain of two calls = one call over both");
	tap_ok(hash_fnv_str(HASH_FNV_INIT, "\xff\x80") ==
		       hash_fnv(HASH_FNV_INIT, "\xff\x80", 2),
	       "bytes above 0x7f read unsigned in both");
}

/* The reference: the value of key in keys[0..n), or HASH_NONE. */
static uint32_t ref_get(const uint64_t *keys, size_t n, uint64_t key)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i] == key)
			return (uint32_t)i;
	return HASH_NONE;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Puts n keys made by key(i) (duplicates keep the first value), then
 * looks up each and as many absent ones, all against the reference. */
static void check_keys(const char *what, size_t n, size_t reserve,
		       uint64_t (*key)(size_t i, uint64_t *s))
{
	struct hash_table t = HASH_TABLE_INIT;
	uint64_t *keys = calloc(n, sizeof(*keys)), s = 88172645463325252ULL;
	size_t stored = 0, wrong = 0;

	if (reserve)
		hash_table_init(&t, reserve);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = key(i, &s);
		uint32_t *v = hash_table_put(&t, k);

		bool known = ref_get(keys, stored, k) != HASH_NONE;

		if ((*v != HASH_NONE) != known)
			wrong++;
		if (*v == HASH_NONE) {
			*v = (uint32_t)stored;
			keys[stored++] = k;
		}
	}
	tap_is_int((long long)t.count, (long long)stored,
		   "count = distinct keys");
	for (size_t i = 0; i < stored; i++)
		if (hash_table_get(&t, keys[i]) != i)
			wrong++;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = rnd(&s) | 1;

		if (hash_table_get(&t, k) != ref_get(keys, stored, k))
			wrong++;
	}
	tap_ok(wrong == 0, "%s: %zu keys, every lookup as the reference's "
	       "(%zu wrong)", what, n, wrong);
	tap_ok(2 * t.count <= t.mask + 1, "  load at most one half");
	hash_table_release(&t);
	free(keys);
}

static uint64_t k_random(size_t i, uint64_t *s)
{
	(void)i;
	return rnd(s) | 1;
}

static uint64_t k_pages(size_t i, uint64_t *s)
{
	(void)s;
	return 0x7f0000000000ULL + (uint64_t)i * 4096;
}

static uint64_t k_high(size_t i, uint64_t *s)
{
	(void)s;
	return (uint64_t)(i + 1) << 40;
}

static uint64_t k_dups(size_t i, uint64_t *s)
{
	(void)s;
	return (uint64_t)(i % 97) + 1;
}

static void test_table(void)
{
	struct hash_table t = HASH_TABLE_INIT;
	uint32_t *v;

	tap_ok(hash_table_get(&t, 42) == HASH_NONE, "empty: absent");
	v = hash_table_put(&t, 42);
	tap_ok(*v == HASH_NONE, "a new key's value is HASH_NONE");
	*v = 7;
	tap_ok(*hash_table_put(&t, 42) == 7, "put again: the value kept");
	tap_ok(hash_table_get(&t, 42) == 7 && t.count == 1, "get");
	hash_table_clear(&t);
	tap_ok(hash_table_get(&t, 42) == HASH_NONE && t.count == 0,
	       "cleared: absent, memory kept");
	tap_ok(t.keys != NULL, "  (still allocated)");
	hash_table_release(&t);
	tap_ok(t.keys == NULL && hash_table_get(&t, 42) == HASH_NONE,
	       "released: an empty table again");

	check_keys("random", 5000, 0, k_random);
	check_keys("page addresses", 5000, 0, k_pages);
	check_keys("high bits only", 3000, 0, k_high);
	check_keys("duplicates", 2000, 0, k_dups);
	check_keys("sized first", 5000, 5000, k_random);
}

int main(void)
{
	test_fnv();
	test_table();
	return tap_done();
}
