/* fuzz_maps: /proc/PID/maps text, whole, through maps_parse_text() (the
 * reader's own loop: line split, maps_parse_line(), " (deleted)"
 * handling, pooled paths) and maps_normalize(); then each line alone
 * through maps_parse_line() with invariants checked. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/maps.h"
#include "vmtop/vmmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_regions(const struct vmmap *m)
{
	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (r->start > r->end || !r->path || r->sm ||
		    (i && r->start < m->regions[i - 1].end))
			abort();
	}
}

static void each_line(char *buf, size_t size)
{
	char *p = buf, *end = buf + size;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct maps_line ml;

		if (maps_parse_line(p, n, &ml) == 0) {
			if (ml.path_len != strlen(ml.path) &&
			    !memchr(ml.path, '\0', ml.path_len))
				abort();
			if (ml.start > ml.end || ml.path_len > n)
				abort();
			maps_resolve_deleted(&ml, false);
		}
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
	maps_parse_text(m, buf, size, false);
	maps_normalize(m, NULL);
	check_regions(m);
	vmmap_free(m);
	memcpy(buf, data, size);
	each_line(buf, size);
	free(buf);
	return 0;
}
