/* fuzz_environ: a /proc/PID/environ block through environ_parse(). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/environ.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct environ_knobs k;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	environ_parse(buf, size, &k);
	if (k.godebug && (k.godebug < buf || k.godebug + k.godebug_len >
						     buf + size))
		abort();
	if (k.arena_max < -1 || k.tunable_arena_max < -1)
		abort();
	free(buf);
	return 0;
}
