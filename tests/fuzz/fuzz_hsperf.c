/* fuzz_hsperf: a JVM's hsperfdata image through hsperf_parse() and
 * hsperf_fill().  The file is written by the target process: every
 * pointer the parser hands out must lie inside the input, every name and
 * string must end within it. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/hsperf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	const char *lo, *hi;
};

static void fuzz_entry(void *ctx, const struct hsperf_entry *e)
{
	const struct fuzz_ctx *f = ctx;
	size_t n;

	if (e->name < f->lo || e->name >= f->hi)
		abort();
	n = strlen(e->name); /* ASan: the NUL must be inside the input */
	if (e->name + n >= f->hi)
		abort();
	if (e->str && (e->str < f->lo || e->str + e->str_len > f->hi))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so that ASan sees any overread */
	char *buf = malloc(size ? size : 1);
	struct fuzz_ctx f;
	struct vmjvm j;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	f.lo = buf;
	f.hi = buf + size;
	hsperf_parse(buf, size, fuzz_entry, &f);
	hsperf_jvm_init(&j);
	hsperf_fill(buf, size, &j);
	if (memchr(j.collector, '\0', sizeof(j.collector)) == NULL ||
	    memchr(j.version, '\0', sizeof(j.version)) == NULL)
		abort();
	free(buf);
	return 0;
}
