/* load: what --load FILE opens.  One small function chooses the source
 * by the file's first bytes, so that each kind of saved file (a capture
 * archive, capsrc.h; a JSON snapshot) is one case of it. */
#ifndef VMTOP_LOAD_H
#define VMTOP_LOAD_H

#include <stddef.h>

#include "vmtop/source.h"

/* What a file given to --load is, by its first bytes. */
enum load_kind {
	LOAD_EMPTY,
	LOAD_CAPTURE,   /* a tar archive, or gzip (capture.h) */
	LOAD_SNAPSHOT,  /* JSON: what -J writes */
	LOAD_UNKNOWN,
};

/* The kind of a file that starts with head[0..len) (len: what could be
 * read of its first 512 bytes). */
enum load_kind load_kind(const unsigned char *head, size_t len);

/* The source for --load path, chosen by load_kind().  Returns 0 with
 * *out set, or -1 with a one-line message in err. */
int load_open(const char *path, struct source **out, char *err,
	      size_t errsize);

#endif
