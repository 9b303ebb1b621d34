/* Unit tests for cli: options, numbers, errors. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/cli.h"

/* argv as main() gets it: writable strings.  They live until the next
 * call, as long as the options that point into them are looked at. */
static char arg_store[16][64];

static int parse_list(struct cli_opts *o, char *err, size_t errsize,
		      const char *const *args)
{
	char *argv[17];
	int argc = 0;

	for (; args[argc] && argc < 16; argc++) {
		snprintf(arg_store[argc], sizeof(arg_store[argc]), "%s",
			 args[argc]);
		argv[argc] = arg_store[argc];
	}
	argv[argc] = NULL;
	return cli_parse(argc, argv, o, err, errsize);
}

#define PARSE(o, err, ...)                                                  \
	parse_list((o), err, sizeof(err),                                   \
		   (const char *const[]){ "vmtop", __VA_ARGS__, NULL })

int main(void)
{
	struct cli_opts o;
	char err[256];

	tap_is_int(parse_list(&o, err, sizeof(err),
			      (const char *const[]){ "vmtop", NULL }),
		   0, "no arguments");
	tap_ok(o.delay == CLI_DEFAULT_DELAY && !o.batch && !o.pattern,
	       "defaults");
	cli_release(&o);

	tap_is_int(PARSE(&o, err, "-b", "-d", "0.25", "-n", "3", "nginx"), 0,
		   "batch, delay, count and a pattern");
	tap_ok(o.batch && o.delay == 0.25 && o.iterations == 3 &&
		       o.pattern && strcmp(o.pattern, "nginx") == 0,
	       "values parsed");
	cli_release(&o);

	tap_is_int(PARSE(&o, err, "-p", "1,2", "-p", "3", "-J", "-m"), 0,
		   "repeated -p with lists");
	tap_ok(o.npids == 3 && o.pids[0] == 1 && o.pids[2] == 3 && o.json &&
		       o.batch && o.maps,
	       "three PIDs; -J implies batch");
	cli_release(&o);

	tap_is_int(PARSE(&o, err, "-u", "root", "-u", "4242"), 0,
		   "-u by name and by uid");
	tap_ok(o.nuids == 2 && o.uids[0] == 0 && o.uids[1] == 4242,
	       "uids resolved");
	cli_release(&o);

	tap_is_int(PARSE(&o, err, "-t"), 0, "-t");
	tap_ok(o.tree && !o.batch, "-t: the tree view");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "-b", "--tree"), 0, "--tree");
	tap_ok(o.tree && o.batch, "--tree in batch");
	cli_release(&o);
	tap_ok(strstr(cli_usage, "-t, --tree") != NULL, "--help names it");

	tap_is_int(PARSE(&o, err, "-b", "-d", "0"), 0, "-d 0 in batch");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "-d", "0"), -1, "-d 0 without batch");
	cli_release(&o);

	static const char *const bad[][3] = {
		{ "-d", "abc", "invalid number of seconds for -d: 'abc'" },
		{ "-d", "-1", "invalid number of seconds for -d: '-1'" },
		{ "-d", "nan", "invalid number of seconds for -d: 'nan'" },
		{ "-n", "0", "invalid count for -n: '0' (want 1 or more)" },
		{ "-n", "2x", "invalid count for -n: '2x' (want 1 or more)" },
		{ "-p", "1,x", "invalid PID for -p: 'x'" },
		{ "-p", "0", "invalid PID for -p: '0'" },
		{ "-u", "no-such-user-here", "unknown user for -u: "
					    "'no-such-user-here'" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		tap_is_int(PARSE(&o, err, bad[i][0], bad[i][1]), -1,
			   bad[i][2]);
		tap_is_str(err, bad[i][2], "message names the problem");
		cli_release(&o);
	}

	tap_is_int(PARSE(&o, err, "--bogus"), -1, "unknown long option");
	tap_is_str(err, "unknown option '--bogus'", "message for it");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "-x"), -1, "unknown short option");
	tap_is_str(err, "unknown option '-x'", "message for it");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "-d"), -1, "missing argument");
	tap_is_str(err, "option '-d' needs an argument", "message for it");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "a", "b"), -1, "two patterns");
	cli_release(&o);
	/* --diff OLD [NEW] [PATTERN]: the word after OLD is NEW when it
	 * names a file, else the PATTERN */
	tap_is_int(PARSE(&o, err, "--diff", "a.json", "-b"), 0, "--diff OLD");
	tap_ok(o.diff_old && !strcmp(o.diff_old, "a.json") && !o.diff_new &&
		       !o.pattern && o.batch, "OLD alone: the live side");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "--diff", "a.json", "b.json"), 0,
		   "--diff OLD NEW");
	tap_ok(o.diff_new && !strcmp(o.diff_new, "b.json") && !o.pattern,
	       "a .json word is NEW");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "--diff", "a.json", "myserver"), 0,
		   "--diff OLD PATTERN");
	tap_ok(!o.diff_new && o.pattern && !strcmp(o.pattern, "myserver"),
	       "a word that names no file is the PATTERN");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "--diff", "a.json", "/dev/null", "srv"), 0,
		   "--diff OLD NEW PATTERN");
	tap_ok(o.diff_new && !strcmp(o.diff_new, "/dev/null") && o.pattern &&
		       !strcmp(o.pattern, "srv"), "NEW, then the PATTERN");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "--diff", "a.json", "--load", "b.json"), -1,
		   "--diff with --load");
	tap_ok(strstr(err, "not with --load") != NULL, "message for it");
	cli_release(&o);
	tap_is_int(PARSE(&o, err, "--diff", ""), -1, "--diff ''");
	cli_release(&o);
	tap_ok(strstr(cli_usage, "--diff OLD [NEW]") != NULL,
	       "--help names --diff");

	tap_is_int(PARSE(&o, err, "--help"), 0, "--help");
	tap_ok(o.help, "help set");
	cli_release(&o);
	return tap_done();
}
