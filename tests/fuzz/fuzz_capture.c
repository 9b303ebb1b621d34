/* fuzz_capture: hostile capture archives through the capture source
 * (capsrc_new_memory(): libarchive, the entry checks, unpacking into a
 * private directory, the facts and the manifest, then every process read
 * as the pipeline reads it), and the facts parser alone.  The first
 * byte chooses: even, an archive; odd, a facts file. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vmtop/capsrc.h"
#include "vmtop/capture.h"
#include "vmtop/procmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void archive(const uint8_t *data, size_t size)
{
	struct source *s;
	const struct proc_row *rows;
	char err[512];
	size_t n;

	if (capsrc_new_memory(data, size, "fuzz", &s, err, sizeof(err)))
		return;
	if (source_list(s, NULL, 0, PROCTABLE_WANT_CMDLINE) >= 0) {
		rows = source_rows(s, &n);
		for (size_t i = 0; i < n; i++) {
			struct vmmap *m = NULL;

			source_read(s, rows[i].pid, PROCMAP_ALL |
				    PROCMAP_SMAPS | PROCMAP_SMAPS_ALL, NULL,
				    &m);
			vmmap_free(m);
		}
	}
	source_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture_manifest man;
	struct vmmap *m;

	if (size == 0)
		return 0;
	if (!(data[0] & 1)) {
		archive(data + 1, size - 1);
		return 0;
	}
	m = vmmap_new(1);
	capture_facts_parse((const char *)data + 1, size - 1, m);
	for (size_t i = 1; i < m->nchunks; i++)
		if (m->chunks[i - 1].addr >= m->chunks[i].addr)
			abort();
	vmmap_free(m);
	capture_manifest_parse((const char *)data + 1, size - 1, &man);
	return 0;
}
