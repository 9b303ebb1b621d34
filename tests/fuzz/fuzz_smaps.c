/* fuzz_smaps: smaps text through smaps_parse_text() (the reader's
 * one-pass loop with its fast path that reads words ahead); then without
 * keep_all, read line by line and at the offsets of a learnt block
 * layout, cut into pieces whose size the first byte chooses: on text
 * laid out as a kernel prints it, both must give the same regions and
 * counters; then through smaps_parse_block()
 * block by block, and each line through smaps_parse_field(). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/vmmapfix.h"
#include "vmtop/maps.h"
#include "vmtop/smaps.h"
#include "vmtop/vmmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void blocks(char *buf, size_t size)
{
	uint64_t sm[SM__COUNT];
	struct maps_line ml;
	const char *flags;
	size_t off = 0;

	while (off < size) {
		long n = smaps_parse_block(buf + off, size - off, &ml, sm,
					   &flags);

		if (n <= 0) {
			char *nl = memchr(buf + off, '\n', size - off);

			if (!nl)
				break;
			off = (size_t)(nl - buf) + 1;
			continue;
		}
		if ((size_t)n > size - off || strlen(flags) > size)
			abort();
		off += (size_t)n;
	}
}

static void fields(const char *buf, size_t size)
{
	uint64_t sm[SM__COUNT];
	const char *p = buf, *end = buf + size, *f;
	unsigned hint = 0;
	size_t fl;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int rc = smaps_parse_field(p, n, sm, &hint, &f, &fl);

		if (rc == SMAPS_VMFLAGS && (f < p || f + fl > p + n))
			abort();
		p += n + 1;
	}
}

/* Whether d[i..e) is "Key:" (a capital, then letters and '_'), with key
 * set to it; returns the byte after the colon, or 0. */
static size_t key_of(const uint8_t *d, size_t i, size_t e, const uint8_t **key,
		     size_t *klen)
{
	size_t k = i;

	if (d[k] < 'A' || d[k] > 'Z')
		return 0;
	while (k < e && ((d[k] >= 'A' && d[k] <= 'Z') ||
			 (d[k] >= 'a' && d[k] <= 'z') || d[k] == '_'))
		k++;
	if (k == e || d[k] != ':' || k - i > 30)
		return 0;
	*key = d + i;
	*klen = k - i;
	return k + 1;
}

/* Text as a kernel prints it: a header first; each line a header (it
 * starts with a hex digit, which is how the parser tells them), "Key:"
 * and a number with or without " kB", or VmFlags; every block with the
 * same keys in the same order, each key once.  On such text the block
 * layout path must read what the line parser reads. */
static bool kernel_like(const uint8_t *d, size_t n)
{
	const uint8_t *seq[64];
	size_t seq_len[64], nseq = 0, at = 0, i = 0;
	bool first = true;

	if (n == 0 || !((d[0] >= '0' && d[0] <= '9') ||
			(d[0] >= 'a' && d[0] <= 'f')))
		return false;
	while (i < n) {
		size_t e = i, p, digits = 0, klen;
		const uint8_t *key;

		while (e < n && d[e] != '\n')
			e++;
		if (e == i)
			return false;
		if ((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'a' && d[i] <= 'f')) {
			if (i > 0 && (at != nseq || nseq == 0))
				return false;  /* the block before was not alike */
			first = i == 0;
			at = 0;
			i = e + 1;
			continue;
		}
		p = key_of(d, i, e, &key, &klen);
		if (!p)
			return false;
		if (first) {
			if (nseq == 64)
				return false;
			for (size_t j = 0; j < nseq; j++)
				if (seq_len[j] == klen &&
				    !memcmp(seq[j], key, klen))
					return false;
			seq[nseq] = key;
			seq_len[nseq++] = klen;
			at = nseq;
		} else if (at == nseq || seq_len[at] != klen ||
			   memcmp(seq[at], key, klen)) {
			return false;
		} else {
			at++;
		}
		if (klen == 7 && !memcmp(key, "VmFlags", 7)) {
			for (; p < e; p++)
				if (d[p] != ' ' && (d[p] < 'a' || d[p] > 'z'))
					return false;
			i = e + 1;
			continue;
		}
		while (p < e && d[p] == ' ')
			p++;
		for (; p < e && d[p] >= '0' && d[p] <= '9'; p++)
			digits++;
		if (digits == 0 || digits > 19)
			return false;
		if (p != e && (e - p != 3 || memcmp(d + p, " kB", 3)))
			return false;
		i = e + 1;
	}
	return at == nseq && nseq > 0;
}

/* The block layout path against the line parser, both keeping the
 * compact counters only, on the same text cut into other pieces. */
static void both_ways(const uint8_t *data, size_t size)
{
	size_t piece = size ? (size_t)data[0] * 7 + 1 : 1;
	struct vmmap *a = vmmap_new(1), *b = vmmap_new(1);

	smaps_parse_pieces(a, (const char *)data, size, false, false, false,
			   size + 1, size + 1);
	smaps_parse_pieces(b, (const char *)data, size, false, false, true,
			   piece, piece * 3);
	if (!vmmapfix_same_counters(a, b))
		abort();
	vmmap_free(a);
	vmmap_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	struct vmmap *m = vmmap_new(1);

	if (!buf)
		abort();
	memcpy(buf, data, size);
	smaps_parse_text(m, buf, size, false);
	for (size_t i = 0; i < m->nregions; i++)
		if (!region_vmflags(&m->regions[i]) || !m->regions[i].path)
			abort();
	vmmap_free(m);
	if (kernel_like(data, size))
		both_ways(data, size);
	memcpy(buf, data, size);
	fields(buf, size);
	blocks(buf, size);
	free(buf);
	return 0;
}
