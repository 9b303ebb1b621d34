/* access: what the kernel refuses of a process, and why. */
#include "config.h"

#include "vmtop/access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "vmtop/procfile.h"
#include "vmtop/strbuf.h"

#define ACCESS_CAP_SYS_PTRACE 19 /* linux/capability.h */

/* The error of opening path under the process's directory: 0 or errno. */
static int access_open_err(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	char c;

	if (fd < 0)
		return errno;
	/* maps opens fine and refuses at read on some kernels */
	if (read(fd, &c, 1) < 0) {
		int err = errno;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

static int access_exe_err(int dirfd)
{
	char buf[8];

	return readlinkat(dirfd, "exe", buf, sizeof(buf)) < 0 &&
			       errno != ENOENT ? errno : 0;
}

/* process_vm_readv of one byte at an address that cannot be mapped:
 * refused (EPERM) before the address is looked at when ptrace access is
 * denied, EFAULT when it is allowed. */
static int access_vm_err(pid_t pid)
{
	char c;
	struct iovec local = { &c, 1 }, remote = { NULL, 1 };

	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0 &&
	    (errno == EPERM || errno == EACCES))
		return errno;
	return 0;
}

static const char *access_errname(int err)
{
	return err == EACCES ? "EACCES" : err == EPERM ? "EPERM" :
	       strerror(err);
}

/* Whether this process has CAP_SYS_PTRACE in its effective set. */
static bool access_have_ptrace_cap(void)
{
	char buf[4096], *p;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	unsigned long long eff;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nCapEff:");
	if (!p || sscanf(p + 8, "%llx", &eff) != 1)
		return false;
	return eff & (1ULL << ACCESS_CAP_SYS_PTRACE);
}

/* kernel.yama.ptrace_scope, or -1 without Yama. */
static int access_ptrace_scope(void)
{
	char buf[16];
	int fd = open("/proc/sys/kernel/yama/ptrace_scope",
		      O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

/* "refused: /proc/PID/maps (EACCES), ..."; returns how many. */
static int access_refused(struct strbuf *sb, int dirfd, pid_t pid,
			  bool *only_attach)
{
	static const char *const files[] = { "maps", "smaps", "environ" };
	int n = 0, err;

	*only_attach = true;
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		err = access_open_err(dirfd, files[i]);
		if (err != EACCES && err != EPERM)
			continue;
		strbuf_addf(sb, "%s/proc/%d/%s (%s)", n++ ? ", " : "refused: ",
			    (int)pid, files[i], access_errname(err));
		*only_attach = false;
	}
	err = access_exe_err(dirfd);
	if (err == EACCES || err == EPERM) {
		strbuf_addf(sb, "%s/proc/%d/exe (%s)", n++ ? ", " : "refused: ",
			    (int)pid, access_errname(err));
		*only_attach = false;
	}
	err = access_open_err(dirfd, "syscall");
	if (err == EACCES || err == EPERM)
		strbuf_addf(sb, "%s/proc/%d/syscall (%s)",
			    n++ ? ", " : "refused: ", (int)pid,
			    access_errname(err));
	err = access_vm_err(pid);
	if (err)
		strbuf_addf(sb, "%sprocess_vm_readv (%s)",
			    n++ ? ", " : "refused: ", access_errname(err));
	return n;
}

/* The reason, from what vmtop is and what the target is. */
static void access_why(struct strbuf *sb, uid_t owner, bool only_attach)
{
	uid_t me = geteuid();
	bool cap = access_have_ptrace_cap();
	int scope = access_ptrace_scope();

	/* Yama restricts attaching (stacks, memory), not reading maps */
	if (only_attach && (scope >= 3 || (scope >= 1 && !cap)))
		strbuf_addf(sb, ".  kernel.yama.ptrace_scope is %d: %s", scope,
			    scope == 1 ? "only a process's ancestors (or "
					 "CAP_SYS_PTRACE) may read its stacks "
					 "and memory" :
			    scope == 2 ? "only CAP_SYS_PTRACE may read a "
					 "process's stacks and memory" :
					 "no process may read another's stacks "
					 "and memory");
	else if (me == owner && !cap)
		strbuf_addstr(sb, ".  The process is vmtop's own user's, so it "
				  "is not dumpable (a set-uid or set-gid "
				  "program, or prctl(PR_SET_DUMPABLE, 0)): "
				  "only CAP_SYS_PTRACE reads it");
	else if (me == 0 && !cap)
		strbuf_addf(sb, ".  The process belongs to uid %u and vmtop "
				"runs as root without CAP_SYS_PTRACE (as in a "
				"container started without --cap-add "
				"SYS_PTRACE), which the kernel requires to "
				"read another user's process",
			    (unsigned)owner);
	else if (!cap)
		strbuf_addf(sb, ".  The process belongs to uid %u, not to "
				"vmtop's uid %u: run vmtop as uid %u, or with "
				"CAP_SYS_PTRACE (as root)", (unsigned)owner,
			    (unsigned)me, (unsigned)owner);
	else
		strbuf_addstr(sb, ".  vmtop has CAP_SYS_PTRACE: a security "
				  "module (AppArmor, SELinux) or a user "
				  "namespace refuses it");
}

size_t access_explain(pid_t pid, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	int dirfd = procfile_open_pid(NULL, pid);
	struct stat st;
	bool only_attach;
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	if (dirfd < 0)
		return 0;
	strbuf_init(&sb, 256);
	if (fstat(dirfd, &st) == 0 && access_refused(&sb, dirfd, pid,
						     &only_attach) > 0) {
		access_why(&sb, st.st_uid, only_attach);
		strbuf_addch(&sb, '.');
		len = (size_t)snprintf(buf, size, "%s", sb.buf);
		if (len >= size)
			len = size ? size - 1 : 0;
	}
	close(dirfd);
	strbuf_release(&sb);
	return len;
}
