/* procfile: opening a process's directory under a proc root and reading
 * its small files, for every reader in collect.
 *
 * A proc root is "/proc" or any directory laid out like it (a captured
 * tree such as tests/fixtures/proc, another procfs mount).  Whether it is
 * the live kernel's procfs is asked of the file system, never of the
 * path's spelling: "/proc/", a bind mount or a chroot's procfs are live
 * too, and a copy at "/proc" would not be. */
#ifndef VMTOP_PROCFILE_H
#define VMTOP_PROCFILE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The root to use for proc_root: proc_root, or "/proc" when NULL. */
const char *procfile_root(const char *proc_root);

/* Whether proc_root (NULL: "/proc") is a procfs mount, whose files are
 * the kernel's view of live processes (statfs() magic). */
bool procfile_is_live(const char *proc_root);

/* The same for a directory already open. */
bool procfile_fd_is_live(int dirfd);

/* Opens <proc_root>/<pid> as a directory (O_CLOEXEC).  Returns the
 * descriptor, -ESRCH when there is no such process, or -errno. */
int procfile_open_pid(const char *proc_root, pid_t pid);

/* Reads the small file path (relative to dirfd) with one read() into
 * buf, NUL-terminated.  Returns the length, or -errno. */
int procfile_read(int dirfd, const char *path, char *buf, size_t size);

struct strbuf;
/* Reads the file path (relative to dirfd; not through a symlink) to its
 * end into out (reset first; NUL-terminated as a strbuf is).  Returns 0,
 * -EFBIG once it holds more than max bytes (max 0: no bound), or
 * -errno. */
int procfile_read_all(int dirfd, const char *path, size_t max,
		      struct strbuf *out);

struct region;

/* Opens the file that region r of the process behind dirfd maps: its
 * path under the process's root following no symbolic link at all (a
 * directory of the path that its owner swapped for a link to /dev
 * cannot make vmtop open a device), else its map_files entry (root
 * only).  Only the very file that is mapped is taken, a regular file
 * with r's device and inode; O_NONBLOCK, so that a FIFO put in the
 * path's place cannot block the open.  Returns a descriptor or -errno
 * (-ESTALE for another file). */
int procfile_open_mapped(int dirfd, const struct region *r);

/* The errors a reader sees when the process exits under it, and when
 * access is refused. */
static inline bool procfile_gone_err(int rc)
{
	return rc == -ENOENT || rc == -ESRCH;
}

static inline bool procfile_denied_err(int rc)
{
	return rc == -EACCES || rc == -EPERM;
}

#endif
