/* test_smaps: smaps keys parsed by name (known, unknown, missing, in any
 * order), VmFlags, malformed lines, and a real block of this process's
 * smaps compared with a naive sscanf() reading of the same text. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/maps.h"
#include "vmtop/smaps.h"
#include "vmtop/vmmap.h"

static void test_field(void)
{
	uint64_t sm[SM__COUNT];
	const char *f = NULL;
	size_t fl = 0;
	unsigned hint = 0;
	const char l1[] = "Rss:                 132 kB";
	const char l2[] = "VmFlags: rd wr mr mw me ac sd ";
	const char l3[] = "Frobnicated:          12 kB";

	memset(sm, 0xff, sizeof(sm));
	tap_is_int(smaps_parse_field(l1, strlen(l1), sm, &hint, &f, &fl),
		   SM_RSS, "Rss recognised");
	tap_ok(sm[SM_RSS] == 132, "Rss value");
	tap_is_int(hint, SM_RSS + 1, "hint moves past Rss");
	tap_is_int(smaps_parse_field(l2, strlen(l2), sm, &hint, &f, &fl),
		   SMAPS_VMFLAGS, "VmFlags recognised");
	tap_ok(fl == 20 && !memcmp(f, "rd wr mr mw me ac sd", fl),
	       "VmFlags value trimmed");
	tap_is_int(smaps_parse_field(l3, strlen(l3), sm, NULL, &f, &fl),
		   -ENOENT, "unknown key ignored");
	tap_is_int(smaps_parse_field("THPeligible:    1", 17, sm, NULL, &f,
				     &fl),
		   -ENOENT, "THPeligible ignored");
	tap_is_int(smaps_parse_field("Rss 12 kB", 9, sm, NULL, &f, &fl),
		   -EINVAL, "no colon");
	tap_is_int(smaps_parse_field(": 12 kB", 7, sm, NULL, &f, &fl), -EINVAL,
		   "empty key");
	tap_is_int(smaps_parse_field("Pss:    kB", 10, sm, NULL, &f, &fl),
		   -EINVAL, "no number");
	tap_is_int(smaps_parse_field("Pss: 123456789012345678901 kB", 29, sm,
				     NULL, &f, &fl),
		   -EINVAL, "number too long");
	/* a prefix of a key is not the key */
	tap_is_int(smaps_parse_field("Rs: 1 kB", 8, sm, NULL, &f, &fl),
		   -ENOENT, "key prefix");
}

static void test_block(void)
{
	char buf[] = "1000-3000 rw-p 00000000 00:00 0 \n"
		     "Swap:                  8 kB\n"
		     "Size:                  8 kB\n"
		     "Brand_New_Key:         5 kB\n"
		     "Rss:                   4 kB\n"
		     "VmFlags: rd wr mr mw me ac \n"
		     "3000-4000 r--p 00000000 00:00 0 \n"
		     "Size:                  4 kB\n";
	uint64_t sm[SM__COUNT];
	struct maps_line ml;
	const char *flags;
	long n;

	n = smaps_parse_block(buf, strlen(buf), &ml, sm, &flags);
	tap_ok(n > 0 && !strncmp(buf + n, "3000-4000", 9),
	       "block ends at the next header");
	tap_ok(ml.start == 0x1000 && ml.end == 0x3000, "header parsed");
	tap_ok(sm[SM_SIZE] == 8 && sm[SM_RSS] == 4 && sm[SM_SWAP] == 8,
	       "keys out of order parsed by name");
	tap_ok(sm[SM_PSS] == VMMAP_UNKNOWN && sm[SM_LOCKED] == VMMAP_UNKNOWN,
	       "missing keys unknown");
	tap_is_str(flags, "rd wr mr mw me ac", "VmFlags");
	n = smaps_parse_block(buf + n, strlen(buf + n), &ml, sm, &flags);
	tap_ok(n > 0 && sm[SM_SIZE] == 4 && sm[SM_RSS] == VMMAP_UNKNOWN,
	       "last block, no trailing key lines");
	tap_is_str(flags, "", "no VmFlags: empty");
	tap_is_int(smaps_parse_block(buf + 34, 20, &ml, sm, &flags), -EINVAL,
		   "block must start with a header");
}

/* Reads /proc/self/smaps into a buffer. */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap + 1);
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0 || !buf)
		return NULL;
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The reference: sscanf() on each "Key: N kB" line of the first block. */
static uint64_t naive(const char *text, const char *key)
{
	char want[64];
	const char *p = text;
	unsigned long long v;

	snprintf(want, sizeof(want), "\n%s:", key);
	p = strstr(text, want);
	if (!p || sscanf(p + strlen(want), "%llu", &v) != 1)
		return VMMAP_UNKNOWN;
	return v;
}

static void test_real_block(void)
{
	static const struct { const char *key; int field; } keys[] = {
		{ "Size", SM_SIZE }, { "Rss", SM_RSS }, { "Pss", SM_PSS },
		{ "Private_Dirty", SM_PRIVATE_DIRTY }, { "Swap", SM_SWAP },
		{ "Anonymous", SM_ANONYMOUS }, { "Locked", SM_LOCKED },
		{ "KernelPageSize", SM_KERNEL_PAGE_SIZE },
	};
	uint64_t sm[SM__COUNT];
	struct maps_line ml;
	const char *flags;
	size_t len;
	char *text = slurp("/proc/self/smaps", &len), *copy, *vmf;
	long n;

	if (!text || !len) {
		tap_ok(false, "read /proc/self/smaps");
		return;
	}
	copy = strdup(text);
	n = smaps_parse_block(copy, len, &ml, sm, &flags);
	tap_ok(n > 0, "first block of /proc/self/smaps");
	text[n] = '\0';  /* the reference looks at the same block only */
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		tap_ok(sm[keys[i].field] == naive(text, keys[i].key),
		       "%s matches sscanf (%" PRIu64 ")", keys[i].key,
		       naive(text, keys[i].key));
	tap_ok(sm[SM_SIZE] == (ml.end - ml.start) >> 10, "Size = end - start");
	vmf = strstr(text, "VmFlags: ");
	tap_ok(vmf && !strncmp(vmf + 9, flags, strlen(flags)),
	       "VmFlags as printed");
	free(copy);
	free(text);
}

/* One block as a 6.x kernel prints it: "Key:" padded to 16 columns, the
 * value right-aligned in 8, " kB". */
static void put_block(char **p, uint64_t start, uint64_t size_kib,
		      const char *path, uint64_t rss, uint64_t big,
		      bool pkey, const char *extra)
{
	static const char *const names[] = {
		"Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss",
		"Pss_Dirty", "Shared_Clean", "Shared_Dirty", "Private_Clean",
		"Private_Dirty", "Referenced", "Anonymous", "KSM", "LazyFree",
		"AnonHugePages", "ShmemPmdMapped", "FilePmdMapped",
		"Shared_Hugetlb", "Private_Hugetlb", "Swap", "SwapPss", "Locked",
	};

	*p += sprintf(*p, "%" PRIx64 "-%" PRIx64 " rw-p 00000000 00:00 0 %s\n",
		      start, start + size_kib * 1024, path);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char key[32];
		uint64_t v = i == 3 ? rss : i == 4 ? rss / 2 : i == 7 ? 4 :
			     i == 9 ? rss / 4 : i == 19 ? big : i == 0 ?
			     size_kib : i + 1;

		snprintf(key, sizeof(key), "%s:", names[i]);
		*p += sprintf(*p, "%-16s%8" PRIu64 " kB\n", key, v);
		if (i == 10 && extra)
			*p += sprintf(*p, "%s\n", extra);
	}
	*p += sprintf(*p, "THPeligible:           0\n");
	if (pkey)
		*p += sprintf(*p, "ProtectionKey:         0\n");
	*p += sprintf(*p, "VmFlags: rd wr mr mw me ac \n");
}

/* The block layout path against the line parser (with every counter,
 * and with the kept ones only), every way of cutting the text: the same
 * regions and the same counters.  Returns how many blocks the layout
 * path read in the last run. */
static size_t same_both_ways(const char *name, const char *text, size_t len)
{
	static const size_t pieces[] = { 1, 3, 97, 4096, 1 << 20 };
	static const size_t batches[] = { 1, 700, 65536 };
	struct vmmap *all = vmmap_new(1), *kept = vmmap_new(1);
	size_t used = 0;
	bool same = true;

	smaps_parse_pieces(all, text, len, false, true, false, len, len);
	smaps_parse_pieces(kept, text, len, false, false, false, 4096, 65536);
	for (size_t pi = 0; pi < 5; pi++) {
		for (size_t bi = 0; bi < 3; bi++) {
			struct vmmap *m = vmmap_new(1);

			used = smaps_parse_pieces(m, text, len, false, false,
						  true, pieces[pi],
						  batches[bi]);
			same = same && vmmapfix_same_counters(m, all) &&
			       vmmapfix_same_counters(m, kept);
			vmmap_free(m);
		}
	}
	tap_ok(same, "%s: %zu regions alike line by line and by layout, "
	       "cut anywhere", name, all->nregions);
	vmmap_free(all);
	vmmap_free(kept);
	return used;
}

/* A key line with no number must not take the next line's, where the
 * key is the one expected next (the fast path) as elsewhere. */
static void test_short_line(void)
{
	static const char *const before[] = {
		"Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss",
		"Pss_Dirty", "Shared_Clean", "Shared_Dirty", "Private_Clean",
		"Private_Dirty", "Referenced", "Anonymous", "KSM", "LazyFree",
		"AnonHugePages", "ShmemPmdMapped", "FilePmdMapped",
		"Shared_Hugetlb", "Private_Hugetlb",
	};
	char text[2048], *p = text;
	struct vmmap *m = vmmap_new(1);

	p += sprintf(p, "1000-2000 rw-p 00000000 00:00 0 \n");
	for (size_t i = 0; i < sizeof(before) / sizeof(*before); i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s:", before[i]);
		p += sprintf(p, "%-16s%8d kB\n", key, 4);
	}
	p += sprintf(p, "Swap:kB\n                  7 kB\n"
		     "SwapPss:               0 kB\nVmFlags: rd wr \n");
	smaps_parse_pieces(m, text, (size_t)(p - text), false, false, false,
			   4096, 4096);
	tap_ok(m->nregions == 1 && m->regions[0].rss_kib == 4 &&
	       m->regions[0].swap_kib == VMMAP_KIB_UNKNOWN,
	       "a value is never read from the next line");
	vmmap_free(m);
}

static void test_layout(void)
{
	size_t cap = 1 << 20, len, used;
	char *text = malloc(cap), *p = text, *self;
	char path[5000];
	struct vmmap *m = vmmap_new(1);

	/* 400 ordinary blocks: all read by layout, the first once learnt */
	for (int i = 0; i < 400; i++)
		put_block(&p, 0x10000 + (uint64_t)i * 0x2000, 8, "", 4 * i, 0,
			  true, NULL);
	len = (size_t)(p - text);
	used = same_both_ways("ordinary blocks", text, len);
	tap_is_int((int)used, 400, "400 of 400 blocks read by layout");
	smaps_parse_pieces(m, text, len, false, false, true, 4096, 65536);
	tap_ok(m->nregions == 400 && m->regions[7].rss_kib == 28 &&
	       m->regions[7].pss_kib == 14 && m->regions[7].dirty_kib == 11 &&
	       m->regions[7].swap_kib == 0, "counters of block 7");
	vmmap_free(m);

	/* blocks that break the layout in every way, between ordinary ones */
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	p = text;
	for (int i = 0; i < 60; i++) {
		uint64_t start = 0x10000 + (uint64_t)i * 0x100000;

		switch (i % 10) {
		case 3:  /* a Size of 10 digits shifts every line after it */
			put_block(&p, start, 1234567890, "", 4, 0, true, NULL);
			break;
		case 4:  /* a kept counter too wide for the columns */
			put_block(&p, start, 8, "", 123456789, 0, true, NULL);
			break;
		case 5:  /* no ProtectionKey */
			put_block(&p, start, 8, "", 8, 4, false, NULL);
			break;
		case 6:  /* a key this parser does not know */
			put_block(&p, start, 8, "/lib/a", 8, 4, true,
				  "Brand_New:             7 kB");
			break;
		case 7:  /* a long path */
			put_block(&p, start, 8, path, 12, 0, true, NULL);
			break;
		case 8:  /* swap of 8 digits */
			put_block(&p, start, 8, "[heap]", 0, 99999999, true,
				  NULL);
			break;
		default:
			put_block(&p, start, 8, "", 4, 0, true, NULL);
		}
	}
	/* and a last block cut short */
	p += sprintf(p, "fff000-fff000 r--p 00000000 00:00 0 \nSize:     "
		     "             4 kB\nRss:                   4 kB\n");
	len = (size_t)(p - text);
	used = same_both_ways("blocks of other layouts", text, len);
	tap_ok(used > 0 && used < 60, "layout path used (%zu) and refused "
	       "where it must", used);

	/* odd blocks now and then keep the layout; an odd first block
	 * does not keep the others from it */
	p = text;
	for (int i = 0; i < 1000; i++)
		put_block(&p, 0x10000 + (uint64_t)i * 0x200000,
			  i % 10 == 0 ? 123456789 : 8, "", 4, 0, true, NULL);
	len = (size_t)(p - text);
	used = same_both_ways("an odd block in ten", text, len);
	tap_ok(used == 900, "the 900 ordinary blocks read by layout (%zu)",
	       used);

	/* a first block without one kept key must not hide it in the
	 * blocks after it */
	p = text;
	for (int i = 0; i < 20; i++)
		put_block(&p, 0x10000 + (uint64_t)i * 0x2000, 8, "", 8, 0,
			  true, NULL);
	memcpy(strstr(text, "Private_Dirty:"), "Private_Dirtx:", 14);
	len = (size_t)(p - text);
	same_both_ways("first block without Private_Dirty", text, len);

	self = slurp("/proc/self/smaps", &len);
	if (self && len) {
		same_both_ways("/proc/self/smaps", self, len);
	} else {
		tap_ok(false, "read /proc/self/smaps");
	}
	free(self);
	free(text);
}

int main(void)
{
	test_field();
	test_block();
	test_real_block();
	test_short_line();
	test_layout();
	return tap_done();
}
