/* procfile: a process's directory and small files under a proc root. */
#include "config.h"

#include "vmtop/procfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "vmtop/strbuf.h"
#include "vmtop/vmmap.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

const char *procfile_root(const char *proc_root)
{
	return proc_root ? proc_root : "/proc";
}

bool procfile_fd_is_live(int dirfd)
{
	struct statfs sf;

	return fstatfs(dirfd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

bool procfile_is_live(const char *proc_root)
{
	struct statfs sf;

	if (statfs(procfile_root(proc_root), &sf) < 0)
		return false;
	return sf.f_type == PROC_SUPER_MAGIC;
}

int procfile_open_pid(const char *proc_root, pid_t pid)
{
	char path[4096];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%d",
			     procfile_root(proc_root),
			     (int)pid) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return fd;
}

int procfile_read(int dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return (int)n;
}

int procfile_read_all(int dirfd, const char *path, size_t max,
		      struct strbuf *out)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	strbuf_reset(out);
	if (fd < 0)
		return -errno;
	for (;;) {
		char *room = strbuf_room(out, 65536);
		ssize_t n = read(fd, room, 65536);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (n == 0)
			break;
		strbuf_commit(out, room + n);
		if (max && out->len > max) {
			close(fd);
			return -EFBIG;
		}
	}
	close(fd);
	return 0;
}

#define PROCFILE_OFLAGS (O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

/* path (absolute, in the process's mount namespace) under its root,
 * with no symbolic link followed.  Returns a descriptor, or -1 with
 * errno (ENOSYS before Linux 5.6). */
static int procfile_open_in_root(int dirfd, const char *path)
{
#ifdef SYS_openat2
	struct open_how how;
	int root, fd, e;

	memset(&how, 0, sizeof(how));
	how.flags = PROCFILE_OFLAGS;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
		      RESOLVE_NO_MAGICLINKS;
	root = openat(dirfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -1;
	fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	e = errno;
	close(root);
	errno = e;
	return fd;
#else
	(void)dirfd;
	(void)path;
	errno = ENOSYS;
	return -1;
#endif
}

int procfile_open_mapped(int dirfd, const struct region *r)
{
	char path[64];
	struct stat st;
	int fd = -1;

	if (!r->deleted && r->path[0] == '/')
		fd = procfile_open_in_root(dirfd, r->path);
	if (fd < 0) {
		snprintf(path, sizeof(path), "map_files/%" PRIx64 "-%" PRIx64,
			 r->start, r->end);
		if (fstatat(dirfd, path, &st, 0) < 0)
			return -errno;
		if (!S_ISREG(st.st_mode))
			return -ESTALE;
		fd = openat(dirfd, path, PROCFILE_OFLAGS & ~O_NOFOLLOW);
	}
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_ino != r->inode || major(st.st_dev) != r->dev_major ||
	    minor(st.st_dev) != r->dev_minor) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}
