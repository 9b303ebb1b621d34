/* filter: which processes the list shows (PCRE2 pattern, PIDs, uids).
 *
 * A pattern is matched against every process's name and command line on
 * every refresh, so its cost is bounded three ways, and a match that hits
 * a bound gives up (no match) and is counted (filter_gave_up()):
 *
 * - steps: a pattern that backtracks without end, such as (.*.*)*x$,
 *   gives up after FILTER_MATCH_LIMIT steps at a starting point instead
 *   of PCRE2's default ten million;
 * - length: a subject is matched on its first FILTER_SUBJECT_MAX bytes
 *   (a command line is kept to that anyway);
 * - time: PCRE2's limits count steps per starting point, and one step can
 *   scan the whole subject: (?=(a+))*\1c took 50 s on a 960 KB command
 *   line, 35 ms on 4 KiB.  The pattern is compiled with automatic callouts
 *   (JIT keeps them), which look at the clock: a match gives up after
 *   FILTER_MATCH_NS, and once FILTER_WINDOW_NS of matching has been
 *   spent within one FILTER_WINDOW_SEC second window, every further match
 *   of that window gives up at once.  Both are wall-clock bounds checked
 *   against the thread's CPU time before giving up, so that a preempted
 *   match goes on.  Matching thus takes at most about a quarter of a core
 *   whatever the pattern and the processes.  A callout
 *   costs a few nanoseconds; a plain word such as "nginx" reaches none on
 *   most subjects (PCRE2 first looks for its first letter). */
#include "config.h"

#include "vmtop/filter.h"

#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/xalloc.h"

#define FILTER_MATCH_LIMIT 100000
#define FILTER_DEPTH_LIMIT 10000
#define FILTER_HEAP_LIMIT_KIB 4096
#define FILTER_MATCH_NS (5 * 1000000LL)
#define FILTER_WINDOW_NS (250 * 1000000LL)
#define FILTER_WINDOW_SEC 1

struct filter {
	char *pattern;            /* "" when none */
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx; /* the limits above */
	pid_t *pids;
	size_t npids;
	uid_t *uids;
	size_t nuids;
	pid_t self;               /* a pattern never matches vmtop itself */
	long long deadline;       /* of the match under way, ns */
	long long cpu_mark;       /* thread CPU time at its first deadline */
	long long window;         /* start of the time window, ns */
	long long window_cpu;     /* thread CPU time then */
	long long spent;          /* matching time spent in that window */
	unsigned long gave_up;    /* matches that hit a bound, this pattern */
};

static long long filter_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long filter_now_ns(void)
{
	return filter_ns(CLOCK_MONOTONIC);
}

/* The thread's CPU time: a system call, so read only once a wall-clock
 * bound is passed, to tell real cost from time spent preempted (a
 * loaded machine must not make plain patterns give up). */
static long long filter_cpu_ns(void)
{
	return filter_ns(CLOCK_THREAD_CPUTIME_ID);
}

/* Every automatic callout: past the deadline, the match is abandoned if
 * it has had the CPU for half a deadline since the last one; else it gets
 * another deadline. */
static int filter_callout(pcre2_callout_block *b, void *arg)
{
	struct filter *f = arg;
	long long now = filter_now_ns(), cpu;

	(void)b;
	if (now <= f->deadline)
		return 0;
	cpu = filter_cpu_ns();
	if (f->cpu_mark >= 0 && cpu - f->cpu_mark >= FILTER_MATCH_NS / 2)
		return PCRE2_ERROR_CALLOUT;
	f->cpu_mark = cpu;
	f->deadline = now + FILTER_MATCH_NS;
	return 0;
}

struct filter *filter_new(void)
{
	struct filter *f = xcalloc(1, sizeof(*f));

	f->pattern = xstrdup("");
	f->self = getpid();
	/* without memory for it, PCRE2's defaults apply (NULL context) */
	f->mctx = pcre2_match_context_create(NULL);
	if (f->mctx) {
		pcre2_set_match_limit(f->mctx, FILTER_MATCH_LIMIT);
		pcre2_set_depth_limit(f->mctx, FILTER_DEPTH_LIMIT);
		pcre2_set_heap_limit(f->mctx, FILTER_HEAP_LIMIT_KIB);
		pcre2_set_callout(f->mctx, filter_callout, f);
	}
	return f;
}

static void pattern_clear(struct filter *f)
{
	pcre2_match_data_free(f->md);
	pcre2_code_free(f->code);
	free(f->pattern);
	f->md = NULL;
	f->code = NULL;
	f->pattern = NULL;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	pattern_clear(f);
	pcre2_match_context_free(f->mctx);
	free(f->pids);
	free(f->uids);
	free(f);
}

/* Smart case: a pattern with an upper-case letter is case-sensitive.
 * Escapes such as \S or \W are not letters the user typed as text. */
static bool has_upper(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (isupper((unsigned char)*p))
			return true;
	}
	return false;
}

int filter_set_pattern(struct filter *f, const char *pattern, char *err,
		       size_t errsize)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
			PCRE2_AUTO_CALLOUT;
	pcre2_code *code;
	PCRE2_SIZE off;
	int ec;

	if (!pattern || !*pattern) {
		pattern_clear(f);
		f->pattern = xstrdup("");
		f->gave_up = 0;
		return 0;
	}
	if (!has_upper(pattern))
		opts |= PCRE2_CASELESS;
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
			     &ec, &off, NULL);
	if (!code) {
		char msg[256];

		pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof(msg));
		if (err && errsize)
			snprintf(err, errsize, "%s at offset %zu", msg,
				 (size_t)off);
		return -EINVAL;
	}
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!md) {
		pcre2_code_free(code);
		if (err && errsize)
			snprintf(err, errsize, "out of memory");
		return -ENOMEM;
	}
	/* JIT is an optimisation only: without it matching still works */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	pattern_clear(f);
	f->code = code;
	f->md = md;
	f->pattern = xstrdup(pattern);
	f->gave_up = 0;
	f->spent = 0; /* the time spent was the last pattern's */
	return 0;
}

const char *filter_pattern(const struct filter *f)
{
	return f->pattern;
}

void filter_add_pid(struct filter *f, pid_t pid)
{
	f->pids = xreallocarray(f->pids, f->npids + 1, sizeof(*f->pids));
	f->pids[f->npids++] = pid;
}

size_t filter_pids(const struct filter *f, const pid_t **pids)
{
	*pids = f->pids;
	return f->npids;
}

void filter_add_uid(struct filter *f, uid_t uid)
{
	f->uids = xreallocarray(f->uids, f->nuids + 1, sizeof(*f->uids));
	f->uids[f->nuids++] = uid;
}

bool filter_wants_cmdline(const struct filter *f)
{
	return f->code != NULL;
}

unsigned long filter_gave_up(const struct filter *f)
{
	return f->gave_up;
}

bool filter_match_text(struct filter *f, const char *text)
{
	long long start;
	int rc;

	if (!f->code)
		return true;
	if (!text)
		return false;
	start = filter_now_ns();
	if (start - f->window >= FILTER_WINDOW_SEC * 1000000000LL) {
		f->window = start;
		f->window_cpu = filter_cpu_ns();
		f->spent = 0;
	}
	/* past the window's budget of wall-clock time, and of CPU time too
	 * (the thread's since the window began, matching or not) */
	if (f->spent >= FILTER_WINDOW_NS &&
	    filter_cpu_ns() - f->window_cpu >= FILTER_WINDOW_NS) {
		f->gave_up++;
		return false;
	}
	f->deadline = start + FILTER_MATCH_NS;
	f->cpu_mark = -1;
	rc = pcre2_match(f->code, (PCRE2_SPTR)text,
			 strnlen(text, FILTER_SUBJECT_MAX), 0, 0, f->md,
			 f->mctx);
	f->spent += filter_now_ns() - start;
	if (rc == PCRE2_ERROR_CALLOUT || rc == PCRE2_ERROR_MATCHLIMIT ||
	    rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
	    rc == PCRE2_ERROR_JIT_STACKLIMIT)
		f->gave_up++;
	return rc >= 0;
}

bool filter_match(struct filter *f, const struct proc_row *row)
{
	if (f->npids) {
		size_t i;

		for (i = 0; i < f->npids && f->pids[i] != row->pid; i++)
			;
		if (i == f->npids)
			return false;
	}
	if (f->nuids) {
		size_t i;

		for (i = 0; i < f->nuids && f->uids[i] != row->uid; i++)
			;
		if (i == f->nuids)
			return false;
	}
	if (!f->code)
		return true;
	if (row->pid == f->self)
		return false;
	return filter_match_text(f, row->comm) ||
	       (row->cmdline && filter_match_text(f, row->cmdline));
}
