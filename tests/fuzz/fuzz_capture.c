/* fuzz_capture: hostile capture archives through the capture source
 * (capsrc_new_memory(): libarchive, the entry checks, unpacking into a
 * private directory, the facts and the manifest, then every process read
 * as the pipeline reads it, knobs too), and the facts parsers alone.  The
 * first byte chooses: even, an archive; odd, a facts file, which is also
 * an environment block for the capture's environ filter (what it keeps
 * must give the knobs view the same knobs). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/capsrc.h"
#include "vmtop/capture.h"
#include "vmtop/knobs.h"
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

			struct knobs k;

			source_read(s, rows[i].pid, PROCMAP_ALL |
				    PROCMAP_SMAPS | PROCMAP_SMAPS_ALL, NULL,
				    &m);
			vmmap_free(m);
			source_knobs(s, rows[i].pid, &k);
			knobs_release(&k);
		}
	}
	source_free(s);
}

/* knobs_keep_environ() of buf[0..len): the knobs view finds the same
 * knobs in what it keeps, and nothing is hidden there. */
static void keep_environ(const char *buf, size_t len)
{
	char *out = malloc(len + 1);
	struct knobs a, b;
	size_t n;

	if (!out)
		return;
	n = knobs_keep_environ(buf, len, out);
	if (n > len + 1)
		abort();
	knobs_init(&a);
	knobs_init(&b);
	knobs_parse_environ(&a, buf, len);
	knobs_parse_environ(&b, out, n);
	if (a.nitems != b.nitems || b.env_hidden)
		abort();
	for (size_t i = 0; i < a.nitems; i++)
		if (a.items[i].from != b.items[i].from ||
		    strcmp(a.items[i].name, b.items[i].name) ||
		    strcmp(a.items[i].value, b.items[i].value))
			abort();
	knobs_release(&a);
	knobs_release(&b);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct knobs k;
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
	knobs_init(&k);
	capture_knobs_parse((const char *)data + 1, size - 1, &k);
	knobs_release(&k);
	keep_environ((const char *)data + 1, size - 1);
	return 0;
}
