/* fuzz_snapshot: one line of a snapshot file through the loader's checks
 * (snapshot_check_line(): jansson, the schema, every process's rows and
 * tree converted and built), as --load reads each line of a file anyone
 * may have edited.  A refused line must say why. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vmtop/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	int rc = snapshot_check_line((const char *)data, size, err,
				     sizeof(err));

	if (rc > 0 || (rc < 0 && !err[0]))
		abort();
	return 0;
}
