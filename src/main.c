/* vmtop: where does this process's virtual memory go, and why?
 *
 * main decides between the batch program and the TUI, and is the only
 * place besides cli.c that chooses an exit status. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

#include "vmtop/batch.h"
#include "vmtop/capture.h"
#include "vmtop/cli.h"
#include "vmtop/serve.h"
#include "vmtop/tui.h"

/* The TUI reads keys from standard input: when that is not the terminal
 * (vmtop < /dev/null, a pipe), the terminal is put there, else q and F10
 * could not be read and what was typed would be left for the shell.
 * Returns 0, or 1 with a message when there is no terminal. */
static int keys_from_tty(void)
{
	int fd;

	if (isatty(STDIN_FILENO))
		return 0;
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || !isatty(fd) || dup2(fd, STDIN_FILENO) < 0) {
		fprintf(stderr, "vmtop: standard input is not a terminal and "
			"/dev/tty cannot be opened (%s): no keys could be "
			"read; use -b for batch output\n",
			strerror(fd < 0 ? errno : ENOTTY));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (fd != STDIN_FILENO) /* with stdin closed, open() gave 0 */
		close(fd);
	return 0;
}

/* The kernel sets AT_SECURE for a set-uid or set-gid program and for one
 * that gained file capabilities (setcap cap_sys_ptrace+ep): vmtop would
 * then read other users' memory for whoever runs it, and ncurses would
 * parse that user's TERMINFO with those powers.  Root or the owner runs
 * vmtop as it is instead. */
static int refuse_privileged(void)
{
	if (getauxval(AT_SECURE) || getuid() != geteuid() ||
	    getgid() != getegid()) {
		fprintf(stderr, "vmtop: refusing to run with privileges its "
				"user does not have (set-uid, set-gid or file "
				"capabilities); run it as root instead\n");
		return 1;
	}
	return 0;
}

/* vmtop holds a few descriptors at once (the proc root, a process's
 * directory, one of its files, a thread's; the terminal and its terminfo
 * in the TUI; a library loaded on demand).  Below this many, reads fail
 * with EMFILE and look like vanished processes: "0 shown", no threads. */
#define MIN_FILES 16

/* Raises the soft RLIMIT_NOFILE to MIN_FILES when the hard one allows.
 * Returns 0, or 1 after saying which limit is too low. */
static int check_files(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= MIN_FILES)
		return 0;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= MIN_FILES) {
		rl.rlim_cur = MIN_FILES;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
	}
	fprintf(stderr, "vmtop: too few open files allowed: the limit "
			"(RLIMIT_NOFILE, ulimit -n) is %llu, vmtop needs %d\n",
		(unsigned long long)rl.rlim_cur, MIN_FILES);
	return 1;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	char err[512];
	int rc;

	if (refuse_privileged() || check_files())
		return 1;
	if (cli_parse(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "vmtop: %s\nTry 'vmtop --help' for more.\n",
			err);
		cli_release(&o);
		return 2;
	}
	if (o.help) {
		fputs(cli_usage, stdout);
		rc = 0;
	} else if (o.version) {
		printf("vmtop %s\n", PACKAGE_VERSION);
		rc = 0;
	} else if (o.capture) {
		rc = capture_write(o.capture, o.pids, o.npids, err,
				   sizeof(err)) ? 1 : 0;
		if (rc)
			fprintf(stderr, "vmtop: %s\n", err);
	} else if (o.listen) {
		rc = serve_run(&o);
	} else if (o.batch) {
		rc = batch_run(&o);
	} else if (!isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmtop: standard output is not a terminal; "
				"use -b for batch output\n");
		rc = 1;
	} else if (keys_from_tty()) {
		rc = 1;
	} else {
		rc = tui_run(&o);
	}
	cli_release(&o);
	return rc;
}
