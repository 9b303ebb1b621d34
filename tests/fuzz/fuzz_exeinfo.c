/* fuzz_exeinfo: any bytes as an executable image through exeinfo_parse():
 * ELF header, program headers, PT_INTERP, PT_DYNAMIC's DT_NEEDED strings,
 * the Go build info in writable loads.  Strings must come out
 * NUL-terminated within their buffers. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/exeinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf = malloc(size ? size : 1);
	struct exeinfo ei;

	if (!buf)
		abort();
	memcpy(buf, data, size);  /* exact size: ASan sees any overread */
	if (exeinfo_parse(buf, size, &ei) == 0 &&
	    (!memchr(ei.interp, 0, sizeof(ei.interp)) ||
	     !memchr(ei.go_version, 0, sizeof(ei.go_version)) ||
	     !memchr(ei.go_tags, 0, sizeof(ei.go_tags)) ||
	     ei.go_cgo < -1 || ei.go_cgo > 1))
		abort();
	free(buf);
	return 0;
}
