/* test_smaps: smaps keys parsed by name (known, unknown, missing, in any
 * order), VmFlags, malformed lines; every block of this process's smaps
 * against a naive sscanf() reading of the same text; and the fast path
 * against the reference (smaps_parse_field(), line by line) on text as a
 * kernel prints it, on text laid out otherwise and on text made to look
 * like the fast path's lines, cut into pieces anywhere: the same regions,
 * every counter and VmFlags alike. */
#include "config.h"

#include <ctype.h>
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

/* The counters' keys, in the order of enum smaps_field. */
static const char *const names[SM__COUNT] = {
	"Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty",
	"Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
	"Referenced", "Anonymous", "KSM", "LazyFree", "AnonHugePages",
	"ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb", "Private_Hugetlb",
	"Swap", "SwapPss", "Locked",
};

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

/* text parsed as smaps_read() does (fast), or by the reference only;
 * *ref_lines: how many key lines the reference read. */
static struct vmmap *parse(const char *text, size_t len, bool keep_all,
			   bool fast, size_t piece, size_t batch,
			   size_t *ref_lines)
{
	struct vmmap *m = vmmap_new(1);
	size_t n = smaps_parse_pieces(m, text, len, false, keep_all, fast,
				      piece, batch);

	if (ref_lines)
		*ref_lines = n;
	return m;
}

/* The fast path against the reference, with every counter and with the
 * kept ones only, every way of cutting the text (and the reference cut
 * so against itself whole).  Returns how many key lines the fast path
 * left to the reference. */
static size_t fast_vs_reference(const char *name, const char *text,
				size_t len)
{
	static const size_t pieces[] = { 1, 3, 29, 97, 4096, 1 << 20 };
	static const size_t batches[] = { 1, 700, 65536 };
	size_t used = 0, nregions = 0;
	bool same = true;

	for (int all = 0; all < 2; all++) {
		struct vmmap *ref = parse(text, len, all, false, len, len,
					  NULL);

		nregions = ref->nregions;
		for (size_t pi = 0; pi < sizeof(pieces) / sizeof(*pieces);
		     pi++) {
			for (size_t bi = 0; bi < 3; bi++) {
				struct vmmap *f, *r;
				bool ok;

				f = parse(text, len, all, true, pieces[pi],
					  batches[bi], NULL);
				r = parse(text, len, all, false, pieces[pi],
					  batches[bi], NULL);
				ok = vmmapfix_same_regions(f, ref) &&
				     vmmapfix_same_regions(r, ref);
				if (same && !ok)
					tap_diag("%s: differs (keep_all %d, "
						 "piece %zu, batch %zu)", name,
						 all, pieces[pi], batches[bi]);
				same = same && ok;
				vmmap_free(f);
				vmmap_free(r);
			}
		}
		vmmap_free(ref);
	}
	vmmap_free(parse(text, len, false, true, len, len, &used));
	tap_ok(same, "%s: %zu regions alike by the fast path and the "
	       "reference, cut anywhere", name, nregions);
	return used;
}

/* Reads a file into a buffer. */
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

/* The naive reading of one line of a block into region r: sscanf() of
 * "Key: N", the key looked up in names[].  Returns false when r's counter
 * differs; *seen gets the counter's bit. */
static bool naive_line(const struct region *r, const char *line,
		       uint32_t *seen)
{
	char key[64];
	unsigned long long v;
	const char *vf;

	if (!strncmp(line, "VmFlags:", 8)) {
		size_t n;

		for (vf = line + 8; *vf == ' '; vf++)
			;
		n = strcspn(vf, "\n");
		while (n && vf[n - 1] == ' ')
			n--;
		return strlen(region_vmflags(r)) == n &&
		       !strncmp(region_vmflags(r), vf, n);
	}
	if (sscanf(line, "%63[^:]: %llu", key, &v) != 2)
		return true;
	for (int f = 0; f < SM__COUNT; f++) {
		if (strcmp(key, names[f]))
			continue;
		*seen |= 1u << f;
		return region_sm(r, (enum smaps_field)f) == v;
	}
	return true;
}

/* The counters of r that no line gave are unknown. */
static bool unseen_unknown(const struct region *r, uint32_t seen)
{
	for (int f = 0; f < SM__COUNT; f++)
		if (!(seen & (1u << f)) &&
		    region_sm(r, (enum smaps_field)f) != VMMAP_UNKNOWN)
			return false;
	return true;
}

/* Every block of /proc/self/smaps read as smaps_read() does, against
 * sscanf() on the same text: each header's fields, each counter (absent
 * ones unknown) and VmFlags. */
static void test_self(void)
{
	size_t len, k = 0, left, lines, bad = 0;
	char *text = slurp("/proc/self/smaps", &len), *p, *nl;
	struct vmmap *m;
	uint32_t seen = 0;

	if (!text || !len) {
		tap_ok(false, "read /proc/self/smaps");
		free(text);
		return;
	}
	m = parse(text, len, true, true, 4096, 1, &left);
	vmmap_free(parse(text, len, true, false, len, len, &lines));
	for (p = text; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		unsigned long long s, e, off, ino;
		unsigned maj, mnr;
		char perms[5];
		const struct region *r;

		if (sscanf(p, "%llx-%llx %4s %llx %x:%x %llu", &s, &e, perms,
			   &off, &maj, &mnr, &ino) == 7) {
			if (k && !unseen_unknown(&m->regions[k - 1], seen))
				bad++;
			seen = 0;
			if (k == m->nregions)
				break;
			r = &m->regions[k++];
			bad += r->start != s || r->end != e ||
			       memcmp(r->perms, perms, 4) || r->offset != off ||
			       r->dev_major != maj || r->dev_minor != mnr ||
			       r->inode != ino;
		} else if (k && !naive_line(&m->regions[k - 1], p, &seen)) {
			bad++;
		}
	}
	if (k && !unseen_unknown(&m->regions[k - 1], seen))
		bad++;
	tap_ok(k == m->nregions && k > 5 && bad == 0,
	       "/proc/self/smaps: %zu blocks read as sscanf() reads them "
	       "(%zu differ)", k, bad);
	tap_ok(lines > 10 * k && left * 10 < lines,
	       "the fast path read %zu of its %zu key lines", lines - left,
	       lines);
	fast_vs_reference("/proc/self/smaps", text, len);
	vmmap_free(m);
	free(text);
}

/* One block as a 6.x kernel prints it: "Key:" padded to 16 columns, the
 * value right-aligned in 8, " kB". */
static void put_block(char **p, uint64_t start, uint64_t size_kib,
		      const char *path, uint64_t rss, uint64_t big,
		      bool pkey, const char *extra)
{
	*p += sprintf(*p, "%" PRIx64 "-%" PRIx64 " rw-p 00000000 00:00 0 %s\n",
		      start, start + size_kib * 1024, path);
	for (size_t i = 0; i < SM__COUNT; i++) {
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

/* Blocks as a kernel prints them, and blocks laid out otherwise between
 * them. */
static void test_layouts(void)
{
	size_t cap = 1 << 20, len, used;
	char *text = malloc(cap), *p = text;
	char path[5000];
	struct vmmap *m;

	/* every key line of 400 ordinary blocks by the fast path */
	for (int i = 0; i < 400; i++)
		put_block(&p, 0x10000 + (uint64_t)i * 0x2000, 8, "", 4 * i, 0,
			  true, NULL);
	len = (size_t)(p - text);
	used = fast_vs_reference("ordinary blocks", text, len);
	tap_is_int((long long)used, 0, "every key line read by the fast path");
	m = parse(text, len, false, true, 4096, 65536, NULL);
	tap_ok(m->nregions == 400 && m->regions[7].rss_kib == 28 &&
	       m->regions[7].pss_kib == 14 && m->regions[7].dirty_kib == 11 &&
	       m->regions[7].swap_kib == 0, "counters of block 7");
	vmmap_free(m);

	/* blocks of other layouts, between ordinary ones */
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	p = text;
	for (int i = 0; i < 60; i++) {
		uint64_t start = 0x10000 + (uint64_t)i * 0x100000;

		switch (i % 10) {
		case 3:  /* a Size of 10 digits */
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
	used = fast_vs_reference("blocks of other layouts", text, len);
	tap_ok(used > 0 && used < 60,
	       "the fast path left %zu lines to the reference", used);

	/* a first block without one kept key */
	p = text;
	for (int i = 0; i < 20; i++)
		put_block(&p, 0x10000 + (uint64_t)i * 0x2000, 8, "", 8, 0,
			  true, NULL);
	memcpy(strstr(text, "Private_Dirty:"), "Private_Dirtx:", 14);
	len = (size_t)(p - text);
	fast_vs_reference("first block without Private_Dirty", text, len);
	free(text);
}

/* A key line with no number must not take the next line's. */
static void test_short_line(void)
{
	char text[2048], *p = text;

	p += sprintf(p, "1000-2000 rw-p 00000000 00:00 0 \n");
	for (size_t i = 0; i < SM_SWAP; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s:", names[i]);
		p += sprintf(p, "%-16s%8d kB\n", key, 4);
	}
	p += sprintf(p, "Swap:kB\n                  7 kB\n"
		     "SwapPss:               0 kB\nVmFlags: rd wr \n");
	for (int fast = 0; fast < 2; fast++) {
		struct vmmap *m = parse(text, (size_t)(p - text), false, fast,
					4096, 4096, NULL);

		tap_ok(m->nregions == 1 && m->regions[0].rss_kib == 4 &&
		       m->regions[0].swap_kib == VMMAP_KIB_UNKNOWN,
		       "a value is never read from the next line (%s)",
		       fast ? "fast path" : "reference");
		vmmap_free(m);
	}
}

/* Lines that look like the fast path's at its fixed positions but are
 * not what the kernel prints, each where the fast path expects its key
 * (after the lines of the keys before it, `from`): a block's counter as
 * the reference reads it, by hand, and the fast path alike. */
static void test_lookalikes(void)
{
	static const struct {
		int from;
		const char *body;
		int field;
		uint64_t want;
	} cases[] = {
		/* a line inside a line the fast path steps over: 28
		 * bytes from "KSM:" to the unit's newline */
		{ SM_KSM, "KSM:            \nRss:  5 kB\n", SM_RSS, 5 },
		{ 0, "Size:           \nRss:  5 kB\n", SM_RSS, 5 },
		/* the same inside a number without a unit */
		{ SM__COUNT, "THPeligible:    \nPss:  7\n", SM_PSS, 7 },
		/* a kept counter's columns with a newline in them */
		{ SM_SWAP, "Swap:           \n     12 kB\n", SM_SWAP,
		  VMMAP_UNKNOWN },
		/* a later line of a key wins, in or out of the columns */
		{ SM_RSS, "Rss:                   4 kB\n"
		  "Pss:                   2 kB\nRss: 9 kB\n", SM_RSS, 9 },
		{ SM_RSS, "Rss: 9 kB\nPss:                   2 kB\n"
		  "Rss:                   4 kB\n", SM_RSS, 4 },
		/* a tab is not a space */
		{ SM_PSS, "Pss:            \t      3 kB\n", SM_PSS,
		  VMMAP_UNKNOWN },
		{ SM_RSS, "Rss:            00000012 kB\n", SM_RSS, 12 },
		{ SM_RSS, "Rss:            123456789 kB\n", SM_RSS, 123456789 },
		{ SM_RSS, "Rss:                  12 kB\r\n", SM_RSS, 12 },
		{ SM_RSS, "Rss:                 1 2 kB\n", SM_RSS, 1 },
		{ SM_RSS, "Rss:                   x kB\n", SM_RSS,
		  VMMAP_UNKNOWN },
		{ SM_RSS, "Rssx:                  6 kB\n"
		  "Rs:                     6 kB\n", SM_RSS, VMMAP_UNKNOWN },
		/* key lines after a header that does not parse belong to
		 * no region: the block before keeps its own */
		{ SM_RSS, "Rss:                   3 kB\n"
		  "1000-0fff rw-p 0 00:00 0\nRss:                   8 kB\n",
		  SM_RSS, 3 },
		{ SM_PRIVATE_HUGETLB, "Private_Hugetlb:       6 kB\n",
		  SM_PRIVATE_HUGETLB, 6 },
		{ 0, "Size:                  4 kB\n\nRss:                   "
		  "5 kB\n", SM_RSS, 5 },
	};
	char text[16384], *p = text;
	struct vmmap *m;
	size_t n = sizeof(cases) / sizeof(*cases), wrong = 0;

	for (size_t i = 0; i < n; i++) {
		p += sprintf(p, "%zx000-%zx000 rw-p 00000000 00:00 0 \n", i + 1,
			     i + 2);
		for (int k = 0; k < cases[i].from; k++) {
			char key[32];

			snprintf(key, sizeof(key), "%s:", names[k]);
			p += sprintf(p, "%-16s%8d kB\n", key, 1);
		}
		p += sprintf(p, "%s", cases[i].body);
	}
	for (int run = 0; run < 4; run++) {
		bool fast = run & 1, all = run & 2;

		wrong = 0;
		m = parse(text, (size_t)(p - text), all, fast, 4096, 1, NULL);
		for (size_t i = 0; i < n && m->nregions == n; i++) {
			enum smaps_field f = (enum smaps_field)cases[i].field;
			uint64_t got = region_sm(&m->regions[i], f);

			if (!all && f != SM_RSS && f != SM_PSS && f != SM_SWAP)
				continue;  /* not kept */
			if (got != cases[i].want && wrong++ < 5)
				tap_diag("case %zu: %" PRIu64, i, got);
		}
		tap_ok(m->nregions == n && wrong == 0,
		       "%zu look-alike lines read as by hand (%s, %s)", n,
		       fast ? "fast path" : "reference",
		       all ? "every counter" : "the kept ones");
		vmmap_free(m);
	}
	fast_vs_reference("look-alike lines", text, (size_t)(p - text));
}

/* VmFlags' value trimmed of the spaces around it, whichever path reads
 * it; after every other key, as a kernel prints it, and alone. */
static void test_vmflags(void)
{
	static const char *const lines[][2] = {
		{ "VmFlags: rd wr mr mw me ac sd \n", "rd wr mr mw me ac sd" },
		{ "VmFlags:rd  wr\n", "rd  wr" },
		{ "VmFlags:                    \n", "" },
		{ "VmFlags: a:b  \t \n", "a:b  \t" },
		{ "VmFlags: rd wr mr mw me ac sd dd \r\n",
		  "rd wr mr mw me ac sd dd \r" },
	};
	size_t n = sizeof(lines) / sizeof(*lines);
	char text[8192], *p = text;

	for (size_t i = 0; i < 2 * n; i++) {
		p += sprintf(p, "%zx000-%zx000 rw-p 00000000 00:00 0 \n", i + 1,
			     i + 2);
		for (int k = 0; i < n && k < SM__COUNT; k++) {
			char key[32];

			snprintf(key, sizeof(key), "%s:", names[k]);
			p += sprintf(p, "%-16s%8d kB\n", key, 1);
		}
		if (i < n)
			p += sprintf(p, "THPeligible:           0\n");
		p += sprintf(p, "%s", lines[i % n][0]);
	}
	for (int fast = 0; fast < 2; fast++) {
		struct vmmap *m = parse(text, (size_t)(p - text), true, fast,
					4096, 1, NULL);
		size_t wrong = 0;

		for (size_t i = 0; i < 2 * n && m->nregions == 2 * n; i++)
			wrong += strcmp(region_vmflags(&m->regions[i]),
					lines[i % n][1]) != 0;
		tap_ok(m->nregions == 2 * n && wrong == 0,
		       "VmFlags trimmed of spaces only (%s)",
		       fast ? "fast path" : "reference");
		vmmap_free(m);
	}
	fast_vs_reference("VmFlags", text, (size_t)(p - text));
}

int main(void)
{
	test_field();
	test_self();
	test_layouts();
	test_short_line();
	test_lookalikes();
	test_vmflags();
	return tap_done();
}
