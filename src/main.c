/* vmtop: where does this process's virtual memory go, and why?
 *
 * main decides between the batch program and the TUI, and is the only
 * place besides cli.c that chooses an exit status. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "vmtop/batch.h"
#include "vmtop/cli.h"
#include "vmtop/tui.h"

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

int main(int argc, char **argv)
{
	struct cli_opts o;
	char err[256];
	int rc;

	if (refuse_privileged())
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
	} else {
		rc = tui_run(&o);
	}
	cli_release(&o);
	return rc;
}
