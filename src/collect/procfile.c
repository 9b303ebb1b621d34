/* procfile: a process's directory and small files under a proc root. */
#include "config.h"

#include "vmtop/procfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

const char *procfile_root(const char *proc_root)
{
	return proc_root ? proc_root : "/proc";
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
