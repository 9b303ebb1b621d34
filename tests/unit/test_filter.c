/* Unit tests for filter: PCRE2 smart case, PIDs, uids, errors. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/filter.h"

static struct proc_row row(pid_t pid, uid_t uid, const char *comm,
			   const char *cmdline)
{
	struct proc_row r;

	memset(&r, 0, sizeof(r));
	r.pid = pid;
	r.uid = uid;
	r.comm = comm;
	r.cmdline = cmdline;
	r.user = "u";
	return r;
}

int main(void)
{
	struct filter *f = filter_new();
	struct proc_row nginx = row(10, 0, "nginx", "nginx: worker process");
	struct proc_row go = row(11, 1000, "server", "/srv/Server --port 80");
	char err[256] = "";

	tap_ok(filter_match(f, &nginx) && filter_match(f, &go),
	       "an empty filter matches everything");
	tap_ok(!filter_wants_cmdline(f), "no pattern needs no command line");

	tap_is_int(filter_set_pattern(f, "NGINX", err, sizeof(err)), 0,
		   "upper-case pattern compiles");
	tap_ok(!filter_match(f, &nginx), "upper case makes it case-sensitive");
	filter_set_pattern(f, "ngi", err, sizeof(err));
	tap_ok(filter_match(f, &nginx) && !filter_match(f, &go),
	       "lower case matches the name");
	filter_set_pattern(f, "nGiNx", err, sizeof(err));
	tap_ok(!filter_match(f, &nginx), "mixed case is case-sensitive");
	filter_set_pattern(f, "server", err, sizeof(err));
	tap_ok(filter_match(f, &go), "lower case is case-insensitive");
	filter_set_pattern(f, "--port", err, sizeof(err));
	tap_ok(filter_match(f, &go) && !filter_match(f, &nginx),
	       "the command line is searched too");
	tap_ok(filter_wants_cmdline(f), "a pattern needs command lines");
	filter_set_pattern(f, "\\Sver", err, sizeof(err));
	tap_ok(filter_match(f, &go), "an escape like \\S is not upper case");

	tap_is_int(filter_set_pattern(f, "(ngi", err, sizeof(err)), -EINVAL,
		   "an invalid pattern is refused");
	tap_ok(strstr(err, "missing closing parenthesis") != NULL &&
		       strstr(err, "offset 4") != NULL,
	       "the message names the problem and the offset");
	tap_diag("message: %s", err);
	tap_is_str(filter_pattern(f), "\\Sver",
		   "the last valid pattern stays in effect");
	tap_ok(filter_match(f, &go), "and still filters");

	struct proc_row bad = row(12, 0, "x\xff\xfe", "a\xc3(b");
	filter_set_pattern(f, "x", err, sizeof(err));
	tap_ok(filter_match(f, &bad), "invalid UTF-8 text is matched safely");

	struct proc_row self = row(getpid(), 0, "vmtop", "vmtop -b server");
	filter_set_pattern(f, "server", err, sizeof(err));
	tap_ok(!filter_match(f, &self), "a pattern never matches vmtop itself");

	filter_set_pattern(f, "", err, sizeof(err));
	tap_ok(filter_match(f, &self), "without a pattern vmtop is listed");
	filter_add_pid(f, 11);
	tap_ok(filter_match(f, &go) && !filter_match(f, &nginx),
	       "a PID list keeps only those PIDs");
	filter_add_uid(f, 0);
	tap_ok(!filter_match(f, &go), "PIDs and uids must both match");
	filter_free(f);

	f = filter_new();
	filter_add_uid(f, 1000);
	tap_ok(filter_match(f, &go) && !filter_match(f, &nginx),
	       "a uid list keeps that user's processes");
	filter_free(f);
	return tap_done();
}
