/* cli: the command line, parsed into plain options (no printing, no exit). */
#include "config.h"

#include "vmtop/cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vmtop/proctable.h"
#include "vmtop/xalloc.h"

const char cli_usage[] =
	"Usage: vmtop [OPTION]... [PATTERN]\n"
	"Show processes and where their virtual memory goes.\n"
	"\n"
	"  PATTERN, -f REGEX   show processes whose name or command line matches\n"
	"                      (PCRE2; case-insensitive unless it has an upper-case letter)\n"
	"  -p PID[,PID...]     only these processes (repeatable)\n"
	"  -u USER             only USER's processes (name or uid; repeatable)\n"
	"  -d SECONDS          refresh interval, decimals allowed (default 2; 0 in batch)\n"
	"  -n N                exit after N refreshes (with -m, each tree keeps a\n"
	"                      history: an insight says what keeps growing)\n"
	"  -b                  batch: no TUI, print each refresh to standard output\n"
	"  -J, --json          with -b: one JSON document per refresh (schema vmtop/1)\n"
	"  -m, --maps          include the memory-map tree of each selected process\n"
	"                      (TUI: start in the map of the first process shown)\n"
	"  -c                  show full command lines instead of names\n"
	"  -t, --tree          processes under their parents (TUI: start in the\n"
	"                      tree view, F5; batch: as ps --forest, and with -J\n"
	"                      each parent's subtree totals)\n"
	"      --columns LIST  the list's columns, comma-separated, in order\n"
	"                      (+LIST: the usual ones and these): PID USER THR\n"
	"                      VIRT RES SWAP CPU% S COMMAND and the memory columns\n"
	"                      RESV COMMIT PSS USS SHR ANON FILE SHMEM DATA MAPS\n"
	"                      ARENAS (PSS, USS from smaps_rollup and RESV, COMMIT,\n"
	"                      MAPS, ARENAS from maps, read on a cost-bound cadence)\n"
	"      --format FMT    with -b: text, json, prometheus or openmetrics (the\n"
	"                      last two sum the map trees per process name, for\n"
	"                      node_exporter's textfile collector; imply -m)\n"
	"      --listen [ADDR:]PORT  serve /metrics over HTTP for Prometheus\n"
	"                      (ADDR 127.0.0.1 unless given, [::1]:PORT for IPv6;\n"
	"                      port 8958 with --listen alone); -d is the interval\n"
	"                      between collections\n"
	"      --budget PERCENT  share of one core that reading smaps may use\n"
	"                      with --listen (default 3)\n"
	"      --per-pid       with --listen or --format: a series per process\n"
	"                      (label pid), not per process name\n"
	"      --compare       with -b (implied): the selected processes' map\n"
	"                      trees side by side, rows aligned by cause, the\n"
	"                      first (-p order, else lowest PID) the reference;\n"
	"                      -J adds a \"compare\" object\n"
	"      --color-scheme NAME  the TUI's colours: default, monochrome or\n"
	"                      light (NO_COLOR, when set, means monochrome)\n"
	"      --no-config     ignore the settings file (setup, F2, then saves\n"
	"                      nothing)\n"
	"      --rules FILE    classification rules of your own, one a line:\n"
	"                      /REGEX/ kind=K group=\"G\" tags=T insight=\"I\" knob=\"N\"\n"
	"                      (repeatable; a bad line is reported, the rest apply)\n"
	"      --capture FILE  with -p: write the raw files the processes' trees\n"
	"                      are built from (and only the environment variables\n"
	"                      vmtop reads) to the new tar archive FILE (gzip when\n"
	"                      it ends in .gz), to open on another machine\n"
	"      --load FILE     show a capture archive, or a file that vmtop -b -J -m\n"
	"                      wrote, instead of /proc (with several refreshes,\n"
	"                      [ and ] step through them; -b prints each)\n"
	"      --diff OLD [NEW]  compare a process of the file OLD (what --load\n"
	"                      opens) with the same process in the file NEW, or\n"
	"                      without NEW with the live process of the same PID\n"
	"                      if it runs the same program, else of the same name\n"
	"                      (the largest); -p PID or a PATTERN picks it when\n"
	"                      OLD holds several; -b prints it, -J as JSON\n"
	"  -h, --help          show this help and exit\n"
	"  -V, --version       show the version and exit\n"
	"\n"
	"Runtimes' kinds in map trees (all kinds: vmtop(1)): java_heap,\n"
	"java_class_space, java_metaspace, java_code_cache, java_gc (a JVM's,\n"
	"checked against its hsperfdata), v8_code_range, v8_cage, v8_heap (node's),\n"
	"pymalloc (CPython's arenas), allocator (jemalloc, mimalloc, tcmalloc\n"
	"extents), malloc_block (glibc's blocks above M_MMAP_THRESHOLD).  The\n"
	"runtime line names Java, Node.js, Python, .NET, Erlang or PostgreSQL and\n"
	"the malloc in use (glibc, jemalloc, tcmalloc, mimalloc, musl).\n"
	"\n"
	"Settings (F2 in the TUI) persist in $XDG_CONFIG_HOME/vmtop/vmtoprc\n"
	"(~/.config/vmtop/vmtoprc): key=value lines, see vmtop(1), FILES.\n"
	"\n"
	"Exit status: 0 success, 1 runtime failure, 2 usage error.\n";

static int fail(char *err, size_t errsize, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_delay(const char *s, double *out)
{
	char *end;

	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < 0 || v > 86400)
		return -1;
	*out = v;
	return 0;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;

	if (!*s || !(isdigit((unsigned char)*s) || *s == '-' || *s == '+'))
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int add_pids(struct cli_opts *o, const char *arg, char *err,
		    size_t errsize)
{
	char *copy = xstrdup(arg), *save = NULL;
	int rc = 0;

	if (!*arg)
		rc = fail(err, errsize, "invalid PID list for -p: ''");
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc;
	     tok = strtok_r(NULL, ",", &save)) {
		long v;

		if (parse_long(tok, 1, INT_MAX, &v)) {
			rc = fail(err, errsize, "invalid PID for -p: '%s'",
				  tok);
			break;
		}
		o->pids = xreallocarray(o->pids, o->npids + 1,
					sizeof(*o->pids));
		o->pids[o->npids++] = (pid_t)v;
	}
	free(copy);
	return rc;
}

static int add_user(struct cli_opts *o, const char *arg, char *err,
		    size_t errsize)
{
	struct passwd *pw = *arg ? getpwnam(arg) : NULL;
	long v;
	uid_t uid;

	if (pw)
		uid = pw->pw_uid;
	else if (parse_long(arg, 0, UINT_MAX - 1L, &v) == 0)
		uid = (uid_t)v;
	else
		return fail(err, errsize, "unknown user for -u: '%s'", arg);
	o->uids = xreallocarray(o->uids, o->nuids + 1, sizeof(*o->uids));
	o->uids[o->nuids++] = uid;
	return 0;
}

static int parse_format(struct cli_opts *o, const char *arg, char *err,
			size_t errsize)
{
	static const char *const names[] = {
		[CLI_FORMAT_TEXT] = "text",
		[CLI_FORMAT_JSON] = "json",
		[CLI_FORMAT_PROMETHEUS] = "prometheus",
		[CLI_FORMAT_OPENMETRICS] = "openmetrics",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i]) == 0) {
			o->format = (enum cli_format)i;
			o->batch = true;
			if (o->format >= CLI_FORMAT_PROMETHEUS)
				o->maps = true;
			o->json = o->format == CLI_FORMAT_JSON;
			return 0;
		}
	}
	return fail(err, errsize, "unknown format for --format: '%s' (text, "
		    "json, prometheus or openmetrics)", arg);
}

/* [ADDR:]PORT, ADDR numeric IPv4, or IPv6 in brackets. */
static int parse_listen(struct cli_opts *o, const char *arg, char *err,
			size_t errsize)
{
	const char *colon = strrchr(arg, ':'), *port = arg;
	const char *addr = "127.0.0.1";
	size_t alen = strlen(addr);
	long v;

	o->listen = true;
	if (colon) {
		port = colon + 1;
		addr = arg;
		alen = (size_t)(colon - arg);
		if (alen >= 2 && arg[0] == '[' && arg[alen - 1] == ']') {
			addr++;
			alen -= 2;
		} else if (memchr(arg, ':', alen)) {
			alen = 0; /* IPv6 without brackets */
		}
		if (alen == 0 || alen >= sizeof(o->listen_addr))
			return fail(err, errsize, "invalid address for "
				    "--listen: '%s' (want [ADDR:]PORT)", arg);
	}
	if (parse_long(port, 1, 65535, &v) || !isdigit((unsigned char)*port))
		return fail(err, errsize, "invalid port for --listen: '%s' "
			    "(want 1 to 65535)", arg);
	memcpy(o->listen_addr, addr, alen);
	o->listen_addr[alen] = '\0';
	o->listen_port = (int)v;
	return 0;
}

static int parse_budget(struct cli_opts *o, const char *arg, char *err,
			size_t errsize)
{
	double v;

	if (parse_delay(arg, &v) || v <= 0 || v > 100)
		return fail(err, errsize, "invalid percentage for --budget: "
			    "'%s' (want more than 0, at most 100)", arg);
	o->budget = v;
	return 0;
}

bool cli_column_known(const char *name, size_t len)
{
	static const char *const base[] = { "PID", "USER", "THR", "VIRT",
					    "RES", "SWAP", "CPU%", "S",
					    "COMMAND" };
	char buf[16];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, name, len);
	buf[len] = '\0';
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		if (strcasecmp(buf, base[i]) == 0)
			return true;
	return proctable_mem_by_name(buf) >= 0;
}

static int parse_columns(struct cli_opts *o, const char *arg, char *err,
			 size_t errsize)
{
	const char *p = arg + (*arg == '+');

	if (!*p)
		return fail(err, errsize, "no column for --columns: '%s'",
			    arg);
	while (*p) {
		size_t n = strcspn(p, ",");

		if (!cli_column_known(p, n))
			return fail(err, errsize, "unknown column for "
				    "--columns: '%.*s'", (int)n, p);
		p += n + (p[n] == ',');
	}
	o->columns = arg;
	return 0;
}
/* Long options without a short one: codes no character has. */
enum {
	CLI_OPT_NO_CONFIG = 0x101,
	CLI_OPT_COLOR_SCHEME,
	CLI_OPT_CAPTURE,
	CLI_OPT_LOAD,
	CLI_OPT_DIFF,
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "maps", no_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "format", required_argument, NULL, 'F' },
	{ "listen", optional_argument, NULL, 'L' },
	{ "budget", required_argument, NULL, 'B' },
	{ "per-pid", no_argument, NULL, 'P' },
	{ "tree", no_argument, NULL, 't' },
	{ "compare", no_argument, NULL, 'C' },
	{ "columns", required_argument, NULL, 'O' },
	{ "no-config", no_argument, NULL, CLI_OPT_NO_CONFIG },
	{ "color-scheme", required_argument, NULL, CLI_OPT_COLOR_SCHEME },
	{ "rules", required_argument, NULL, 'R' },
	{ "capture", required_argument, NULL, CLI_OPT_CAPTURE },
	{ "load", required_argument, NULL, CLI_OPT_LOAD },
	{ "diff", required_argument, NULL, CLI_OPT_DIFF },
	{ NULL, 0, NULL, 0 },
};

static int parse_one(struct cli_opts *o, int c, const char *arg,
		     const char *bad, char *err, size_t errsize)
{
	long n;

	switch (c) {
	case 'f': o->pattern = arg; return 0;
	case 'p': return add_pids(o, arg, err, errsize);
	case 'u': return add_user(o, arg, err, errsize);
	case 'd':
		if (parse_delay(arg, &o->delay))
			return fail(err, errsize,
				    "invalid number of seconds for -d: '%s'",
				    arg);
		o->delay_given = true;
		return 0;
	case 'n':
		if (parse_long(arg, 1, LONG_MAX, &n))
			return fail(err, errsize,
				    "invalid count for -n: '%s' (want 1 or more)",
				    arg);
		o->iterations = n;
		return 0;
	case 'b': o->batch = true; return 0;
	case 'J':
		o->json = o->batch = true;
		o->format = CLI_FORMAT_JSON;
		return 0;
	case 'm': o->maps = true; return 0;
	case 'c': o->full_cmdline = true; return 0;
	case 't': o->tree = true; return 0;
	case 'h': o->help = true; return 0;
	case 'V': o->version = true; return 0;
	case 'F': return parse_format(o, arg, err, errsize);
	case 'L':
		if (!arg) {
			o->listen = true;
			o->listen_port = CLI_DEFAULT_PORT;
			strcpy(o->listen_addr, "127.0.0.1");
			return 0;
		}
		return parse_listen(o, arg, err, errsize);
	case 'B': return parse_budget(o, arg, err, errsize);
	case 'P': o->per_pid = true; return 0;
	case 'C': o->compare = o->batch = true; return 0;
	case 'O': return parse_columns(o, arg, err, errsize);
	case CLI_OPT_NO_CONFIG: o->no_config = true; return 0;
	case CLI_OPT_COLOR_SCHEME: o->color_scheme = arg; return 0;
	case 'R':
		o->rules_files = xreallocarray(o->rules_files,
					       o->nrules_files + 1,
					       sizeof(*o->rules_files));
		o->rules_files[o->nrules_files++] = arg;
		return 0;
	case CLI_OPT_CAPTURE: o->capture = arg; return 0;
	case CLI_OPT_LOAD:
		if (!*arg)
			return fail(err, errsize, "--load needs a file name");
		o->load = arg;
		return 0;
	case CLI_OPT_DIFF:
		if (!*arg)
			return fail(err, errsize, "--diff needs a file name");
		o->diff_old = arg;
		return 0;
	case ':':
		return fail(err, errsize, "option '%s' needs an argument", bad);
	default:
		return fail(err, errsize, "unknown option '%s'", bad);
	}
}

/* Whether s is [ADDR:]PORT rather than a PATTERN or an option. */
static bool looks_like_listen(const char *s)
{
	size_t n = strlen(s);

	return n && (isdigit((unsigned char)*s) || *s == '[') &&
	       isdigit((unsigned char)s[n - 1]) &&
	       strspn(s, "0123456789abcdefABCDEF.:[]") == n;
}

/* Whether the word after --diff OLD is a file (NEW) rather than a
 * PATTERN: it exists, or it has a / or a file name's ending. */
static bool cli_names_file(const char *s)
{
	static const char *const ends[] = { ".json", ".jsonl", ".tar",
					    ".gz", ".tgz" };
	size_t n = strlen(s);

	if (access(s, F_OK) == 0 || strchr(s, '/'))
		return true;
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t k = strlen(ends[i]);

		if (n > k && strcmp(s + n - k, ends[i]) == 0)
			return true;
	}
	return false;
}

int cli_parse(int argc, char **argv, struct cli_opts *o, char *err,
	      size_t errsize)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->delay = CLI_DEFAULT_DELAY;
	o->budget = CLI_DEFAULT_BUDGET;
	optind = 0; /* full reset: the parser may run more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:p:u:d:n:bJmchVt", long_opts,
				NULL)) != -1) {
		const char *bad = argv[optind - 1];
		char shortopt[3] = { '-', (char)optopt, '\0' };

		const char *arg = optarg;

		if ((c == '?' || c == ':') && optopt)
			bad = shortopt;
		/* --listen PORT as well as --listen=PORT */
		if (c == 'L' && !arg && optind < argc &&
		    looks_like_listen(argv[optind]))
			arg = argv[optind++];
		if (parse_one(o, c, arg, bad, err, errsize))
			return -1;
	}
	/* --diff OLD NEW [PATTERN]: a word that names a file is NEW */
	if (o->diff_old && optind < argc &&
	    (argc - optind >= 2 || cli_names_file(argv[optind])))
		o->diff_new = argv[optind++];
	if (optind < argc) {
		if (o->pattern)
			return fail(err, errsize,
				    "both -f and PATTERN given: '%s'",
				    argv[optind]);
		o->pattern = argv[optind++];
	}
	if (optind < argc)
		return fail(err, errsize, "unexpected argument '%s'",
			    argv[optind]);
	if (o->compare && o->format >= CLI_FORMAT_PROMETHEUS)
		return fail(err, errsize, "--compare writes text or JSON, "
			    "not --format %s", o->format ==
			    CLI_FORMAT_PROMETHEUS ? "prometheus" :
			    "openmetrics");
	if (o->listen && o->batch)
		return fail(err, errsize, "--listen serves HTTP: not with -b, "
			    "-J or --format");
	if (o->capture && !o->npids)
		return fail(err, errsize, "--capture needs -p PID[,PID...]: "
			    "the processes to capture");
	if (o->capture && (o->load || o->listen || o->batch))
		return fail(err, errsize, "--capture writes a file: not with "
			    "--load, --listen, -b, -J or --format");
	if (o->diff_old && (o->load || o->listen || o->compare ||
			    o->format >= CLI_FORMAT_PROMETHEUS))
		return fail(err, errsize, "--diff compares two files or a file "
			    "and /proc: not with --load, --listen, --compare "
			    "or a --format for metrics");
	if (o->load && o->listen)
		return fail(err, errsize, "--load shows a file: not with "
			    "--listen");
	if (o->delay == 0 && (!o->batch || o->listen))
		return fail(err, errsize, "-d 0 is only allowed with -b");
	return 0;
}

void cli_release(struct cli_opts *o)
{
	free(o->pids);
	free(o->uids);
	free(o->rules_files);
	o->rules_files = NULL;
	o->nrules_files = 0;
	o->pids = NULL;
	o->uids = NULL;
	o->npids = o->nuids = 0;
}
