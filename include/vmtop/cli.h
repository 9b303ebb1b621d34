/* cli: the command line, parsed into plain options.
 *
 * cli_parse() never exits and never prints: main.c decides what to do with
 * a usage error (message on stderr, exit status 2). */
#ifndef VMTOP_CLI_H
#define VMTOP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CLI_DEFAULT_DELAY 2.0
/* --listen without a port: outside 9100-9999, which Prometheus's list of
 * exporters' default ports fills */
#define CLI_DEFAULT_PORT 8958
#define CLI_DEFAULT_BUDGET 3.0 /* --budget, % of one core */

enum cli_format {
	CLI_FORMAT_TEXT = 0,  /* the list (and trees) as text */
	CLI_FORMAT_JSON,      /* -J */
	CLI_FORMAT_PROMETHEUS, /* --format prometheus */
	CLI_FORMAT_OPENMETRICS, /* --format openmetrics */
};

struct cli_opts {
	const char *pattern;  /* PATTERN or -f REGEX, NULL when none */
	pid_t *pids;          /* -p, in the order given; owned */
	size_t npids;
	uid_t *uids;          /* -u, resolved; owned */
	size_t nuids;
	double delay;         /* -d seconds; CLI_DEFAULT_DELAY when not given */
	long iterations;      /* -n; 0 means until quit */
	bool batch;           /* -b */
	bool json;            /* -J, --json */
	bool maps;            /* -m, --maps */
	bool full_cmdline;    /* -c: COMMAND shows the command line */
	bool tree;            /* -t, --tree: processes under their parents */
	bool help;            /* -h, --help */
	bool version;         /* -V, --version */
	enum cli_format format; /* --format (implies -b -m), -J */
	bool listen;          /* --listen [ADDR:]PORT */
	char listen_addr[64]; /* numeric, without brackets: "127.0.0.1" */
	int listen_port;
	double budget;        /* --budget PERCENT of one core */
	bool per_pid;         /* --per-pid */
	bool compare;         /* --compare (implies -b): the selected
			       * processes side by side */
	const char *columns;  /* --columns LIST, checked; NULL when none */
	bool delay_given;     /* -d was given (it wins over the settings) */
	bool no_config;       /* --no-config: the settings file is ignored */
	const char *color_scheme; /* --color-scheme NAME, NULL when none */
	const char **rules_files; /* --rules FILE, in order; the array owned,
				   * the strings argv's */
	size_t nrules_files;
	/* The classification rules (rules.h), built by main.c from the
	 * built-in ones, the settings and rules_files; borrowed by batch,
	 * the TUI and the exporter.  NULL from cli_parse(). */
	struct rules *rules;
	const char *capture;  /* --capture FILE, NULL when not given */
	const char *load;     /* --load FILE, NULL when not given */
	const char *diff_old; /* --diff OLD, NULL when not given */
	const char *diff_new; /* its NEW, NULL: the live process */
};

/* The list's columns by name, as --columns takes them (any case): the
 * usual ones and the memory columns of proctable (enum proc_mem). */
bool cli_column_known(const char *name, size_t len);

/* Parses argv into o (which it initialises).  Returns 0, or -1 with a
 * one-line message in err ("invalid number for -d: 'x'").  A regex is
 * only checked for syntax later, by the filter. */
int cli_parse(int argc, char **argv, struct cli_opts *o, char *err,
	      size_t errsize);
void cli_release(struct cli_opts *o);

/* The --help text. */
extern const char cli_usage[];

#endif
