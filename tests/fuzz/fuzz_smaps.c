/* fuzz_smaps: any text, read as smaps_read() reads it (the fast path in
 * front of the reference) and by the reference alone, with every counter
 * and with the kept ones only: both must give the same regions, every
 * header field, counter and VmFlags alike.  The fast path's text is cut
 * into pieces and batches whose sizes the first two bytes choose, so that
 * their boundaries fall anywhere.  Then each line goes through
 * smaps_parse_field() alone, with its invariants checked. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/vmmapfix.h"
#include "vmtop/smaps.h"
#include "vmtop/vmmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

static void check_regions(const struct vmmap *m)
{
	for (size_t i = 0; i < m->nregions; i++)
		if (!region_vmflags(&m->regions[i]) || !m->regions[i].path ||
		    !m->regions[i].has_smaps)
			abort();
}

/* The fast path, cut into pieces, against the reference whole. */
static void fast_vs_reference(const uint8_t *data, size_t size,
			      bool keep_all)
{
	size_t piece = size ? (size_t)data[0] * 7 + 1 : 1;
	size_t batch = size > 1 ? (size_t)data[1] * 13 + 1 : 1;
	struct vmmap *ref = vmmap_new(1), *fast = vmmap_new(1);

	smaps_parse_pieces(ref, (const char *)data, size, false, keep_all,
			   false, size + 1, size + 1);
	smaps_parse_pieces(fast, (const char *)data, size, false, keep_all,
			   true, piece, batch);
	check_regions(ref);
	if (!vmmapfix_same_regions(ref, fast))
		abort();
	vmmap_free(ref);
	vmmap_free(fast);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fast_vs_reference(data, size, true);
	fast_vs_reference(data, size, false);
	fields((const char *)data, size);
	return 0;
}
