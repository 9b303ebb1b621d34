/* Unit tests for filter: PCRE2 smart case, PIDs, uids, errors, and the
 * bounds on a match's cost (steps, subject length, time). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* The thread's CPU time: the bounds hold for it whatever the load. */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* (?=(a+))*\1c scans the rest of the subject at every starting point, in
 * one of PCRE2's steps: quadratic, 35 ms on 4 KiB of "a" then "bc", 50 s
 * on 960 KB.  A match is bounded by time, and so is a run of them. */
static void test_cost(void)
{
	struct filter *f = filter_new();
	char err[256] = "";
	size_t n = 960000;
	char *s = malloc(n + 1);
	double t;
	bool any = false;

	memset(s, 'a', n);
	memcpy(s + FILTER_SUBJECT_MAX - 2, "bc", 2);
	memcpy(s + n - 2, "bc", 2);
	s[n] = '\0';
	filter_set_pattern(f, "(?=(a+))*\\1c", err, sizeof(err));
	t = now_ms();
	any = filter_match_text(f, s);
	t = now_ms() - t;
	tap_ok(!any && t < 100, "a quadratic pattern on 960 KB: %.1f ms of CPU",
	       t);
	tap_ok(filter_gave_up(f) == 1, "and it is counted as given up (%lu)",
	       filter_gave_up(f));
	t = now_ms();
	for (int i = 0; i < 200; i++)
		any |= filter_match_text(f, s);
	t = now_ms() - t;
	tap_ok(!any && t < 700,
	       "200 such matches take %.0f ms of CPU (250 ms a second at most)",
	       t);
	struct proc_row r = row(99, 0, "long", s);
	filter_set_pattern(f, "a{4090}bc", err, sizeof(err));
	tap_ok(filter_match(f, &r) && filter_gave_up(f) == 0,
	       "a new pattern starts afresh and matches the kept command line");
	filter_set_pattern(f, "a{4096}", err, sizeof(err));
	tap_ok(!filter_match(f, &r),
	       "past FILTER_SUBJECT_MAX bytes nothing is matched");
	free(s);
	filter_free(f);
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
	test_cost();
	return tap_done();
}
