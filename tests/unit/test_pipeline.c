/* test_pipeline: the proc source and the pipeline.
 *
 * On the captured tree tests/fixtures/proc: the source is not live, lists
 * the captured process, and the pipeline's JSON and text trees equal
 * tests/fixtures/golden/3582.txt byte for byte (made by the code before
 * the pipeline existed, from the same tree).  On live processes: the
 * source of "/proc/" is live, a child's tree adds up to its VmSize, the
 * throttled cadence refreshes only when due or forced, and a child that
 * exits keeps its last tree and says so.  On a copy of the captured tree
 * whose stat then gets another start time (its pid taken by another
 * process): the pipeline says "exited" and keeps the first picture. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/mapjson.h"
#include "vmtop/maptext.h"
#include "vmtop/pipeline.h"
#include "vmtop/rules.h"
#include "vmtop/source.h"
#include "vmtop/strbuf.h"

static char srcdir[PATH_MAX - 64];

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf)
			buf[n] = '\0'; /* the callers read it as a string */
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* The outputs the golden file holds: JSON, the tree, the tree with
 * regions, each followed by a newline. */
static void write_outputs(struct strbuf *sb, const struct maptree *t)
{
	mapjson_write(sb, t);
	strbuf_addch(sb, '\n');
	maptext_write(sb, t, 0);
	strbuf_addch(sb, '\n');
	maptext_write(sb, t, 1);
}

static void check_golden(struct source *src, const struct rules *r,
			 unsigned flags, const char *name)
{
	char path[PATH_MAX];
	struct pipeline *p = pipeline_new(src, 3582, r, flags);
	struct strbuf sb = STRBUF_INIT;
	size_t len = 0;
	char *want;

	snprintf(path, sizeof(path), "%s/tests/fixtures/golden/3582.txt",
		 srcdir);
	want = slurp(path, &len);
	tap_ok(pipeline_refresh(p, 1000, 2000, true), "%s: refreshed", name);
	tap_ok(pipeline_tree(p) != NULL, "%s: a tree", name);
	strbuf_init(&sb, 1 << 16);
	if (pipeline_tree(p))
		write_outputs(&sb, pipeline_tree(p));
	tap_ok(want && sb.len == len && memcmp(sb.buf, want, len) == 0,
	       "%s: JSON and text equal the golden file", name);
	if (want && (sb.len != len || memcmp(sb.buf, want, len)))
		tap_diag("got %zu bytes, want %zu", sb.len, len);
	free(want);
	strbuf_release(&sb);
	pipeline_free(p);
}

static void test_captured(const struct rules *r)
{
	char root[PATH_MAX];
	struct source *src;
	const struct proc_row *rows;
	size_t n;
	bool found = false;

	snprintf(root, sizeof(root), "%s/tests/fixtures/proc", srcdir);
	tap_is_int(source_proc_new(root, &src), 0, "source of a captured tree");
	if (!src)
		return;
	tap_is_str(source_name(src), "proc", "it is a proc source");
	tap_ok(!src->live, "a captured tree is not live");
	tap_is_int(source_list(src, NULL, 0, PROCTABLE_WANT_CMDLINE), 1,
		   "it lists the one captured process");
	rows = source_rows(src, &n);
	for (size_t i = 0; i < n; i++)
		found |= rows[i].pid == 3582;
	tap_ok(found, "pid 3582 is listed");
	check_golden(src, r, 0, "every refresh");
	check_golden(src, r, PIPELINE_THROTTLE | PIPELINE_DIFF, "throttled");
	source_free(src);
}

/* Rewrites the start time (the 22nd field) of the stat file at path. */
static int set_start(const char *path, const char *start)
{
	size_t len;
	char *old = slurp(path, &len), *p, *q;
	FILE *f;
	int field = 2;

	if (!old || !(p = strrchr(old, ')')))
		return -1;
	for (p++; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	/* p is at the start of field 22 */
	q = strchr(p, ' ');
	f = fopen(path, "w");
	if (!f || !q)
		return -1;
	fprintf(f, "%.*s%s%s", (int)(p - old), old, start, q);
	fclose(f);
	free(old);
	return 0;
}

/* A pid taken by another process: the start time differs. */
static void test_reused(const struct rules *r)
{
	char dir[] = "/tmp/vmtop-pipeline-XXXXXX", cmd[PATH_MAX * 2 + 32];
	char stat[PATH_MAX];
	struct source *src = NULL;
	struct pipeline *p;
	const struct maptree *first;

	if (!mkdtemp(dir)) {
		tap_ok(false, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(cmd, sizeof(cmd), "cp -R '%s/tests/fixtures/proc/3582' '%s/'",
		 srcdir, dir);
	tap_is_int(system(cmd), 0, "a copy of the captured tree");
	tap_is_int(source_proc_new(dir, &src), 0, "its source");
	p = pipeline_new(src, 3582, r, PIPELINE_THROTTLE | PIPELINE_DIFF);
	tap_ok(pipeline_refresh(p, 1000, 2000, true), "first refresh");
	first = pipeline_tree(p);
	tap_ok(first != NULL && !pipeline_exited(p), "a tree, not exited");
	tap_ok(pipeline_refresh(p, 2000, 2000, true) && !pipeline_exited(p),
	       "the same start time: the same process");
	first = pipeline_tree(p);
	snprintf(stat, sizeof(stat), "%s/3582/stat", dir);
	tap_is_int(set_start(stat, "999999"), 0, "another start time");
	tap_ok(pipeline_refresh(p, 3000, 2000, true), "the change is news");
	tap_ok(pipeline_exited(p), "the pid's new process reads as exited");
	tap_ok(pipeline_tree(p) == first && first != NULL,
	       "the last picture of the first process stays");
	tap_ok(!pipeline_refresh(p, 9000, 2000, true),
	       "the new process is never followed");
	pipeline_free(p);
	source_free(src);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	tap_is_int(system(cmd), 0, "copy removed");
}

/* VmSize of pid from status, read naively; -1 when unreadable. */
static long long vmsize_of(pid_t pid)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmSize:", 7))
			v = atoll(line + 7);
	if (f)
		fclose(f);
	return v;
}

static void test_live(const struct rules *r)
{
	struct source *src;
	struct pipeline *p;
	pid_t kid;
	int st;

	tap_is_int(source_proc_new("/proc/", &src), 0, "source of /proc/");
	if (!src)
		return;
	tap_ok(src->live, "/proc/ is live, spelt with a slash too");
	kid = fork();
	if (kid == 0) {
		pause();
		_exit(0);
	}
	p = pipeline_new(src, kid, r, PIPELINE_THROTTLE | PIPELINE_DIFF);
	tap_ok(pipeline_refresh(p, 1000, 2000, true), "first refresh");
	tap_ok(pipeline_tree(p) != NULL, "a live tree");
	if (pipeline_tree(p))
		tap_is_int((long long)pipeline_tree(p)->totals.vsz_kib,
			   vmsize_of(kid), "its categories add up to VmSize");
	tap_is_int(pipeline_pid(p), kid, "it is the child's");
	tap_ok(!pipeline_refresh(p, 1001, 2000, false),
	       "not due a millisecond later");
	tap_ok(pipeline_refresh(p, 1002, 2000, true), "forced: refreshed");
	tap_ok(pipeline_refresh(p, 60000, 2000, false), "due a minute later");
	kill(kid, SIGKILL);
	waitpid(kid, &st, 0);
	tap_ok(pipeline_refresh(p, 120000, 2000, true), "the exit is news");
	tap_ok(pipeline_exited(p), "exited");
	tap_ok(pipeline_tree(p) != NULL, "the last tree stays");
	tap_ok(!pipeline_refresh(p, 180000, 2000, true), "then nothing more");
	pipeline_free(p);

	p = pipeline_new(src, kid, r, 0);
	pipeline_refresh(p, 1000, 2000, true);
	tap_ok(pipeline_exited(p) && !pipeline_tree(p),
	       "a process that is gone: exited, no tree");
	pipeline_free(p);
	source_free(src);
}

/* pipeline_set_budget(): the smaps interval is the measured cost over
 * the share given, and refreshes in between read maps only. */
static void test_budget(const struct rules *r)
{
	struct source *src;
	struct pipeline *p;
	struct pipeline_cadence c;
	double want;

	if (source_proc_new(NULL, &src)) {
		tap_ok(false, "the live source");
		return;
	}
	p = pipeline_new(src, getpid(), r, PIPELINE_THROTTLE);
	pipeline_set_budget(p, 0.0001, 0.5);
	tap_ok(pipeline_refresh(p, 1000, 100, true), "first refresh");
	pipeline_cadence(p, 1000, &c);
	tap_is_int((long long)c.smaps_reads, 1, "one smaps read");
	want = c.smaps_ms / 0.0001 / 1000.0;
	tap_ok(c.smaps_every >= want - 0.01 && c.smaps_every >= 0.1,
	       "smaps every %.2f s: its cost %.3f ms over 0.01 %% (%.2f s)",
	       c.smaps_every, c.smaps_ms, want);
	if (c.smaps_every > 0.5) {
		pipeline_refresh(p, 1400, 100, true);
		pipeline_cadence(p, 1400, &c);
		tap_ok(c.smaps_reads == 1 && c.stale,
		       "a refresh before then reads maps only");
	} else {
		tap_ok(true, "# SKIP smaps too cheap here to wait for");
	}
	pipeline_set_budget(p, 1.0, 1.0);
	pipeline_refresh(p, 1000000, 100, true);
	pipeline_cadence(p, 1000000, &c);
	tap_is_int((long long)c.smaps_reads, 2, "a due refresh reads smaps");
	tap_ok(c.smaps_every < 1.0, "a whole core: every %.3f s",
	       c.smaps_every);
	pipeline_free(p);
	source_free(src);
}

int main(void)
{
	const char *top = getenv("TOP_SRCDIR");
	struct rules *r;
	char err[256];

	snprintf(srcdir, sizeof(srcdir), "%s", top ? top : ".");
	if (rules_new(NULL, 0, &r, err, sizeof(err))) {
		tap_ok(false, "rules: %s", err);
		return tap_done();
	}
	test_captured(r);
	test_live(r);
	test_reused(r);
	test_budget(r);
	rules_free(r);
	return tap_done();
}
