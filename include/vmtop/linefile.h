/* linefile: a regular file read line by line, each line bounded, with
 * the offset of each line so that it can be read again later (the
 * snapshot source indexes a JSON Lines file this way and parses one
 * refresh at a time).  Lines are returned as bytes, without their '\n'.
 *
 * Ownership: a linefile owns its descriptor and its line buffer; a line
 * returned stays valid until the next linefile_next() or
 * linefile_close(). */
#ifndef VMTOP_LINEFILE_H
#define VMTOP_LINEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct linefile;

/* Opens path for reading lines of at most max_line bytes.  Returns 0
 * with *out set, or -errno: -ENOENT, -EACCES..., -EISDIR for a
 * directory, -EINVAL for anything else that is not a regular file. */
int linefile_open(const char *path, size_t max_line, struct linefile **out);

/* The next line: *line and *len (the '\n' left out), *off its offset in
 * the file, *newline whether a '\n' ended it (false only for the file's
 * last line).  Returns 1, 0 at the end of the file, -EFBIG when the line
 * is longer than max_line (reading stops there), or -errno. */
int linefile_next(struct linefile *lf, const char **line, size_t *len,
		  off_t *off, bool *newline);

/* The number of the line the last linefile_next() returned (1 for the
 * first), or was reading when it failed. */
unsigned linefile_lineno(const struct linefile *lf);

/* Reads len bytes at off into buf (a line again).  Returns 0, or -errno
 * (-EIO when the file is shorter now). */
int linefile_pread(const struct linefile *lf, off_t off, size_t len,
		   char *buf);

/* Closes lf; NULL is ignored. */
void linefile_close(struct linefile *lf);

#endif
