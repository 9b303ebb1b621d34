/* fuzz_smaps: smaps text through smaps_parse_text() (the reader's
 * one-pass loop with its fast path that reads words ahead), then through
 * smaps_parse_block() block by block, and each line through
 * smaps_parse_field(). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	memcpy(buf, data, size);
	fields(buf, size);
	blocks(buf, size);
	free(buf);
	return 0;
}
