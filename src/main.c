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
#include "vmtop/rules.h"
#include "vmtop/screen.h"
#include "vmtop/serve.h"
#include "vmtop/settings.h"
#include "vmtop/setup.h"
#include "vmtop/strbuf.h"
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

/* The settings file behind the TUI: what it said (defaults for what it
 * did not say or said wrong), and what was in effect at the start or at
 * the last save, so that a save writes only what the user changed (a -d
 * or --color-scheme of this run is not written unless changed in setup). */
struct main_settings {
	struct settings *file;
	struct setup_values file_vals;
	struct setup_values saved;
	bool bad[32]; /* keys whose line is damaged: rewritten on save */
	char path[4096];
};

/* Keys the settings file may hold that setup does not own: the user's
 * classification rules (a rule= line each, or rules=FILE), read by the
 * rules' own loader from the same entries. */
static bool main_other_key(const char *key)
{
	return strcmp(key, "rule") == 0 || strcmp(key, "rules") == 0;
}

/* Reads each entry into ms->file_vals, warning about unknown keys and bad
 * values (whose setting keeps its default). */
static void main_read_entries(struct main_settings *ms)
{
	const struct settings_entry *e;
	size_t n = settings_entries(ms->file, &e);
	struct setup_values def;

	setup_defaults(&def);
	for (size_t i = 0; i < n; i++) {
		int k = setup_key_find(e[i].key);
		char why[160], dflt[SETUP_COLUMNS_MAX];

		if (k < 0) {
			if (!main_other_key(e[i].key))
				settings_warn(ms->file, e[i].line,
					      "unknown key '%s': ignored",
					      e[i].key);
			continue;
		}
		if (setup_key_parse(&ms->file_vals, (size_t)k, e[i].value, why,
				    sizeof(why)) == 0) {
			ms->bad[k] = false;
			continue;
		}
		setup_key_format(&def, (size_t)k, dflt, sizeof(dflt));
		settings_warn(ms->file, e[i].line, "%s: %s; the default (%s) "
			      "is used", e[i].key, why, dflt);
		setup_key_parse(&ms->file_vals, (size_t)k, dflt, why,
				sizeof(why));
		ms->bad[k] = true;
	}
}

/* The save function of struct setup_store. */
static int main_save_settings(void *ctx, const struct setup_values *now,
			      char *msg, size_t msgsize)
{
	struct main_settings *ms = ctx;
	bool changed = false;
	char a[SETUP_COLUMNS_MAX], b[SETUP_COLUMNS_MAX], why[160];
	int r;

	for (size_t i = 0; i < setup_nkeys(); i++) {
		setup_key_format(now, i, a, sizeof(a));
		setup_key_format(&ms->saved, i, b, sizeof(b));
		if (strcmp(a, b) == 0)
			continue;
		setup_key_parse(&ms->file_vals, i, a, why, sizeof(why));
		changed = true;
	}
	if (!changed)
		return 0;
	/* every key of setup is written, so that the file shows them all */
	for (size_t i = 0; i < setup_nkeys(); i++) {
		const char *key = setup_key_name(i);

		setup_key_format(&ms->file_vals, i, a, sizeof(a));
		if (ms->bad[i] || !settings_get(ms->file, key) ||
		    strcmp(settings_get(ms->file, key), a) != 0)
			settings_set(ms->file, key, a);
		ms->bad[i] = false;
	}
	r = settings_save(ms->file, msg, msgsize);
	if (r < 0)
		return r;
	ms->saved = *now;
	return 1;
}

/* Prints the file's warnings, one a line, before the TUI takes the
 * screen (they are seen again once it leaves). */
static void main_print_warnings(const struct settings *s)
{
	size_t n = settings_nwarnings(s);

	for (size_t i = 0; i < n && i < SETTINGS_WARN_MAX; i++)
		fprintf(stderr, "vmtop: %s\n", settings_warning(s, i));
	if (n > SETTINGS_WARN_MAX)
		fprintf(stderr, "vmtop: %s: %zu more warnings\n",
			settings_path(s), n - SETTINGS_WARN_MAX);
}

/* Fills store from the settings file cfg (NULL: none, --no-config;
 * borrowed) and the command line, which wins. */
static void main_settings_load(const struct cli_opts *o,
			       struct settings *cfg,
			       struct main_settings *ms,
			       struct setup_store *store)
{
	memset(ms, 0, sizeof(*ms));
	memset(store, 0, sizeof(*store));
	setup_defaults(&ms->file_vals);
	if (cfg) {
		snprintf(ms->path, sizeof(ms->path), "%s", settings_path(cfg));
		ms->file = cfg;
		main_read_entries(ms);
		main_print_warnings(ms->file);
		store->path = ms->path;
		store->nwarnings = settings_nwarnings(ms->file);
		store->warning = settings_warning(ms->file, 0);
		store->save = main_save_settings;
		store->ctx = ms;
	}
	store->values = ms->file_vals;
	if (o->delay_given)
		store->values.delay = o->delay;
	if (o->color_scheme)
		store->values.scheme =
			(enum screen_scheme)screen_scheme_find(o->color_scheme);
	/* --columns (+LIST: after the file's) and --tree are this run's:
	 * in effect from the start, never written unless changed in setup */
	if (o->columns && o->columns[0] == '+') {
		size_t len = strlen(store->values.columns);

		snprintf(store->values.columns + len,
			 sizeof(store->values.columns) - len, "%s%s",
			 len ? "," : "", o->columns + 1);
	} else if (o->columns) {
		snprintf(store->values.columns, sizeof(store->values.columns),
			 "%s", o->columns);
	}
	if (o->tree)
		store->values.tree_view = true;
	ms->saved = store->values;
}

static int main_tui(const struct cli_opts *o, struct settings *cfg)
{
	struct main_settings *ms = calloc(1, sizeof(*ms));
	struct setup_store store;
	int rc;

	if (!ms) {
		fprintf(stderr, "vmtop: out of memory\n");
		return 1;
	}
	main_settings_load(o, cfg, ms, &store);
	rc = tui_run(o, &store);
	free(ms);
	return rc;
}

/* The settings file's rules, after those of --rules: each rule= line
 * (rules.h's syntax), and the rules of each rules=FILE (a relative FILE
 * is the settings directory's).  Bad lines and unreadable files go to
 * errs as "FILE:LINE: message" lines; the other rules apply. */
static void settings_rules(struct rules *r, const struct settings *s,
			   struct strbuf *errs)
{
	const struct settings_entry *e;
	const char *path = settings_path(s);
	size_t n = settings_entries(s, &e);

	for (size_t i = 0; i < n; i++) {
		char where[4200], err[256], file[8192];
		int k;

		snprintf(where, sizeof(where), "%s:%u", path, e[i].line);
		if (strcmp(e[i].key, "rule") == 0) {
			if (rules_add_line(r, e[i].value, where, err,
					   sizeof(err)) < 0)
				strbuf_addf(errs, "%s: %s\n", where, err);
			continue;
		}
		if (strcmp(e[i].key, "rules") != 0)
			continue;
		if (e[i].value[0] == '/') {
			snprintf(file, sizeof(file), "%s", e[i].value);
		} else {
			const char *slash = strrchr(path, '/');

			snprintf(file, sizeof(file), "%.*s/%s",
				 slash ? (int)(slash - path) : 1,
				 slash ? path : ".", e[i].value);
		}
		k = rules_load_file(r, file, errs);
		if (k < 0)
			strbuf_addf(errs, "%s: cannot read rules from %s: %s\n",
				    where, file, rules_file_error(k));
	}
}

/* The classification rules: the built-in ones, then each --rules file's,
 * then the settings file's (unless --no-config).  A bad line is reported ("FILE:LINE: message") and left out, the other
 * rules apply; a file that cannot be read is a usage error (2). */
static int make_rules(struct cli_opts *o, const struct settings *cfg)
{
	struct strbuf errs = STRBUF_INIT;
	char err[256];
	int rc = 0;

	if (rules_new(NULL, 0, &o->rules, err, sizeof(err))) {
		fprintf(stderr, "vmtop: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < o->nrules_files && !rc; i++) {
		const char *f = o->rules_files[i];
		int n = rules_load_file(o->rules, f, &errs);

		if (n < 0) {
			fprintf(stderr, "vmtop: cannot read rules from %s: "
				"%s\n", f, rules_file_error(n));
			rc = 2;
		}
	}
	if (!rc && cfg)
		settings_rules(o->rules, cfg, &errs);
	/* each line of errs is "FILE:LINE: message" */
	for (const char *p = errs.buf; p && *p;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(stderr, "vmtop: %.*s\n", len, p);
		p += len + (nl ? 1 : 0);
	}
	strbuf_release(&errs);
	return rc;
}

/* The modes that classify: the settings file (read once, unless
 * --no-config) gives the TUI its settings and every mode its rules. */
static int main_run(struct cli_opts *o)
{
	struct settings *cfg = NULL;
	char path[4096];
	int rc;

	if (!o->no_config && settings_default_path(path, sizeof(path)) == 0)
		cfg = settings_load(path);
	if ((rc = make_rules(o, cfg)) != 0) {
		/* said on stderr */
	} else if (o->listen) {
		rc = serve_run(o);
	} else if (o->batch) {
		rc = batch_run(o);
	} else if (!isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmtop: standard output is not a terminal; "
				"use -b for batch output\n");
		rc = 1;
	} else if (keys_from_tty()) {
		rc = 1;
	} else {
		rc = main_tui(o, cfg);
	}
	settings_free(cfg);
	return rc;
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
	if (o.color_scheme && screen_scheme_find(o.color_scheme) < 0) {
		fprintf(stderr, "vmtop: unknown colour scheme for "
				"--color-scheme: '%s' (default, monochrome or "
				"light)\nTry 'vmtop --help' for more.\n",
			o.color_scheme);
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
	} else {
		rc = main_run(&o);
	}
	rules_free(o.rules);
	cli_release(&o);
	return rc;
}
