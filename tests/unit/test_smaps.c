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

int main(void)
{
	test_field();
	test_block();
	test_real_block();
	return tap_done();
}
