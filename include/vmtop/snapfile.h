/* snapfile: one process's picture saved as a snapshot file (the map
 * view's `w`): the same line `vmtop -J -m` writes for it, schema
 * vmtop/1, in a file created new.
 *
 * The file is opened with O_CREAT | O_EXCL | O_NOFOLLOW and mode 0600:
 * it never replaces a file or follows a symbolic link someone left under
 * that name, and the picture (paths, command line) is readable by its
 * owner only. */
#ifndef VMTOP_SNAPFILE_H
#define VMTOP_SNAPFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "vmtop/hostinfo.h"
#include "vmtop/maptree.h"
#include "vmtop/proctable.h"

/* Writes into buf the default name of a picture of process pid named
 * comm taken at time (seconds since the epoch, local time):
 * "vmtop-PID-NAME-YYYYmmdd-HHMMSS.json", NAME being comm with every byte
 * but letters, digits, '.', '_' and '-' as '_' (at most 32 of them, no
 * leading '.'), so that the name is one plain file name whatever the
 * process calls itself.  Returns the length, or -ENAMETOOLONG when buf is
 * too small. */
int snapfile_name(char *buf, size_t size, pid_t pid, const char *comm,
		  double time);

/* Creates path (never over an existing file or through a symlink) and
 * writes the snapshot line of row and its tree t, with host, at time t's
 * vmmap was read.  Returns 0, or -errno (-EEXIST, -EACCES, -ELOOP,
 * -ENOSPC...); a file partly written is removed. */
int snapfile_write(const char *path, const struct hostinfo *host,
		   const struct proc_row *row, const struct maptree *t);

#endif
