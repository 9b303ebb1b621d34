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
#include <unistd.h>

#include "vmtop/batch.h"
#include "vmtop/cli.h"
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

static int refuse_setid(void)
{
	if (getuid() != geteuid() || getgid() != getegid()) {
		fprintf(stderr, "vmtop: refusing to run set-uid or set-gid\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	char err[256];
	int rc;

	if (refuse_setid())
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
