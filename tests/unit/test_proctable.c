/* test_proctable: the process list's parsers of /proc/PID/stat and statm
 * on crafted and hostile text and on this process's own files (checked
 * against status, which the kernel formats apart); the list read from a
 * proc root other than /proc: the captured tree tests/fixtures/proc
 * (pid 3582's row against its status and task/3582/stat) and trees made
 * on the spot (hostile names, owners and VmSwap from status, entries that
 * are not processes, broken processes).
 *
 * The captured tree was taken without stat and statm; its 3582/stat is
 * its task/3582/stat with minflt summed over the three threads (the only
 * field in which a process's stat differs from its main thread's when no
 * thread has run a tick), its 3582/statm status's VmSize, VmRSS,
 * RssFile + RssShmem, VmExe and VmData + VmStk in pages. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/proctable.h"

#define TEXT(s) s, sizeof(s) - 1

/* Fields 4..22 of a stat line and the rest of it: ppid 1, utime 17,
 * stime 25, threads 3, start time 127753. */
#define STAT_TAIL "S 1 3573 5704 0 -1 4194304 217 0 0 0 17 25 0 0 20 0 " \
		  "3 0 127753 137023488 353 18446744073709551615 0\n"

/* Parses a copy of text in a buffer of exactly its length, so that a
 * read past the end is a read past an allocation (caught by ASan). */
static int parse(const char *text, size_t len, struct proc_stat *f)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, text, len);
	memset(f, 0, sizeof(*f));
	rc = proctable_parse_stat(copy, len, f);
	/* the name must point into the text: read it before freeing it */
	if (rc == 0 && (f->comm < copy || f->comm + f->comm_len > copy + len))
		rc = -ERANGE;
	free(copy);
	return rc;
}

static void stat_ok(const char *text, size_t len, const char *comm,
		    const char *name)
{
	struct proc_stat f;
	char got[256] = "";
	char *copy = malloc(len);
	int rc;

	memcpy(copy, text, len);
	rc = proctable_parse_stat(copy, len, &f);
	if (rc == 0 && f.comm_len < sizeof(got))
		memcpy(got, f.comm, f.comm_len);
	free(copy);
	tap_is_int(rc, 0, name);
	tap_is_str(got, comm, "  its name");
	tap_ok(rc == 0 && f.state == 'S' && f.ppid == 1 && f.threads == 3 &&
	       f.ticks == 42 && f.start == 127753,
	       "  its state, ppid, threads, ticks and start time");
}

static void stat_bad(const char *text, size_t len, const char *name)
{
	struct proc_stat f;

	tap_is_int(parse(text, len, &f), -EINVAL, name);
}

static void test_names(void)
{
	stat_ok(TEXT("3582 (fix_stacks) " STAT_TAIL), "fix_stacks",
		"a plain line");
	stat_ok(TEXT("1 (a b  c) " STAT_TAIL), "a b  c", "spaces in the name");
	stat_ok(TEXT("1 (a) S 2 (b)) " STAT_TAIL), "a) S 2 (b)",
		"a name that looks like the fields: up to the last ')'");
	stat_ok(TEXT("1 (((x) " STAT_TAIL), "((x", "'(' in the name");
	stat_ok(TEXT("1 (x\ny) " STAT_TAIL), "x\ny", "a newline in the name");
	stat_ok(TEXT("1 () " STAT_TAIL), "", "an empty name");
	stat_ok(TEXT("1 (\x1b[2J\xff) " STAT_TAIL), "\x1b[2J\xff",
		"control and non-UTF-8 bytes kept raw");
	stat_ok(TEXT("1 (x) S 1 3573 5704 0 -1 4194304 217 0 0 0 17 25 0 0 "
		     "-100 -20 3 0 127753\n"),
		"x", "negative priority and nice; ends at the start time");
}

static void test_truncated(void)
{
	static const char line[] = "3582 (fix_stacks) " STAT_TAIL;
	const char *start = strstr(line, "127753");
	/* its digits and the space after them */
	size_t need = (size_t)(start - line) + strlen("127753 ");
	size_t bad_ok = 0, good_bad = 0;
	struct proc_stat f;

	/* every cut before the start time's separator is malformed: a cut
	 * inside the start time would give a wrong number */
	for (size_t n = 0; n < sizeof(line) - 1; n++) {
		int rc = parse(line, n, &f);

		if (n < need && rc != -EINVAL)
			bad_ok++;
		if (n >= need && (rc != 0 || f.start != 127753))
			good_bad++;
	}
	tap_is_int((long long)bad_ok, 0,
		   "each cut before the 22nd field's separator: -EINVAL");
	tap_is_int((long long)good_bad, 0,
		   "each cut after it: parsed, start time whole");
	stat_bad("", 0, "empty text");
	stat_bad(TEXT("1 (x)"), "nothing after the name");
	stat_bad(TEXT("1 (x) "), "nothing after ') ' (read past it before)");
	stat_bad(TEXT("1 (x) S"), "a state and nothing else");
	stat_bad(TEXT("1 (x) S "), "a state and a space");
}

static void test_numbers(void)
{
	struct proc_stat f;

	tap_is_int(parse(TEXT("1 (x) S 1 0 0 0 0 0 0 0 0 0 "
			      "99999999999999999999 1 0 0 0 0 3 0 "
			      "123456789012345678901234567890\n"),
			 &f),
		   0, "numbers past 64 bits: parsed");
	tap_ok(f.ticks == ULLONG_MAX && f.start == ULLONG_MAX,
	       "  and saturated (ticks, start time)");
	tap_is_int(parse(TEXT("1 (x) S 1 0 0 0 0 0 0 0 0 0 "
			      "18446744073709551615 18446744073709551615 0 0 "
			      "0 0 3 0 1\n"),
			 &f),
		   0, "utime + stime past 64 bits: parsed");
	tap_ok(f.ticks == ULLONG_MAX, "  and saturated");
	tap_is_int(parse(TEXT("1 (x) S 4194304 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
			      "0 2147483647 0 1\n"),
			 &f),
		   0, "threads = INT_MAX");
	tap_ok(f.threads == INT_MAX && f.ppid == 4194304, "  read exactly");
	stat_bad(TEXT("1 (x) S 2147483648 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 "
		      "0 1\n"),
		 "ppid past INT_MAX");
	stat_bad(TEXT("1 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2147483648 "
		      "0 1\n"),
		 "threads past INT_MAX");
	stat_bad(TEXT("1 (x) S -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 0 1\n"),
		 "a negative ppid");
	stat_bad(TEXT("1 (x) S 1 0 0 0 0 0 0 0 0 0 -5 0 0 0 0 0 3 0 1\n"),
		 "negative utime");
}

static void test_hostile(void)
{
	stat_bad(TEXT("1 x) " STAT_TAIL), "no '('");
	stat_bad(TEXT("1 (x " STAT_TAIL), "no ')'");
	stat_bad(TEXT("1 )x( S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 0 1\n"),
		 "')' before '('");
	stat_bad(TEXT("1 (x)S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 0 1\n"),
		 "no space after ')'");
	stat_bad(TEXT("1 (x)  1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 0 1\n"),
		 "a space for a state");
	stat_bad(TEXT("1 (x) \n 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 0 1\n"),
		 "a control byte for a state");
	stat_bad(TEXT("1 (x) SS 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 0 1\n"),
		 "a two-letter state");
	stat_bad(TEXT("1 (x) S 1 0 0 0 0 0 0 0 0 0 1x 0 0 0 0 0 3 0 1\n"),
		 "a letter in a number");
	stat_bad(TEXT("1 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 0 - 1\n"),
		 "a lone '-'");
	stat_bad(TEXT("1 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3 0 +1\n"),
		 "a '+' sign");
	stat_bad(TEXT("1 (x) S 1 0 0 0 0 0 0 0 0 0 0\0 0 0 0 0 0 3 0 1\n"),
		 "a NUL among the fields");
	stat_ok(TEXT("1 (x\0y) " STAT_TAIL), "x",
		"a NUL in the name: kept (the name's length says where)");
}

static void test_statm(void)
{
	unsigned long long size = 1, res = 1;

	tap_is_int(proctable_parse_statm(TEXT("33453 384 353 1 0 219 0\n"),
					 &size, &res),
		   0, "statm");
	tap_ok(size == 33453 && res == 384, "  size and resident");
	tap_is_int(proctable_parse_statm(TEXT("5 6\n"), &size, &res), 0,
		   "statm of two fields");
	tap_ok(size == 5 && res == 6, "  read");
	tap_is_int(proctable_parse_statm(TEXT("5 6"), &size, &res), -EINVAL,
		   "statm cut after its second number");
	tap_is_int(proctable_parse_statm(TEXT("99999999999999999999999 1\n"),
					 &size, &res),
		   0, "statm past 64 bits");
	tap_ok(size == ULLONG_MAX && res == 1, "  saturates");
	tap_is_int(proctable_parse_statm("", 0, &size, &res), -EINVAL,
		   "empty statm");
	tap_is_int(proctable_parse_statm(TEXT("5\n"), &size, &res), -EINVAL,
		   "statm of one field");
	tap_is_int(proctable_parse_statm(TEXT("5 x\n"), &size, &res), -EINVAL,
		   "statm with a letter");
	tap_is_int(proctable_parse_statm(TEXT("-5 6\n"), &size, &res),
		   -EINVAL, "statm with a negative size");
	tap_is_int(proctable_parse_statm(TEXT("56"), &size, &res), -EINVAL,
		   "statm cut inside its first field");
}

/* --- files, read naively ------------------------------------------------ */

static size_t slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return n;
}

/* The first number after "KEY:" in a status file, or -1. */
static long long status_of(const char *dir, const char *key, int nth)
{
	char path[PATH_MAX + 16], line[512];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/status", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *p = line + strlen(key);

		if (strncmp(line, key, strlen(key)) || *p != ':')
			continue;
		p++;
		for (int i = 0; i <= nth; i++)
			v = strtoll(p, &p, 10);
	}
	if (f)
		fclose(f);
	return v;
}

static char status_state(const char *dir)
{
	char path[PATH_MAX + 16], line[512], st = '?';
	FILE *f;

	snprintf(path, sizeof(path), "%s/status", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "State:", 6))
			sscanf(line + 6, " %c", &st);
	if (f)
		fclose(f);
	return st;
}

/* This process's stat and statm against its status. */
static void test_self(void)
{
	char buf[4096], dir[64];
	struct proc_stat f;
	unsigned long long size, res;
	long page_kib = sysconf(_SC_PAGESIZE) / 1024;
	size_t n;

	snprintf(dir, sizeof(dir), "/proc/%d", (int)getpid());
	n = slurp("/proc/self/stat", buf, sizeof(buf));
	tap_is_int(proctable_parse_stat(buf, n, &f), 0, "own stat parsed");
	tap_is_int(f.ppid, status_of(dir, "PPid", 0), "  ppid = PPid");
	tap_is_int(f.threads, status_of(dir, "Threads", 0),
		   "  threads = Threads");
	tap_ok(f.state == status_state(dir), "  state = State (%c)", f.state);
	tap_ok(f.comm_len == strlen("test_proctable") &&
	       !memcmp(f.comm, "test_proctable", f.comm_len), "  name");
	n = slurp("/proc/self/statm", buf, sizeof(buf));
	tap_is_int(proctable_parse_statm(buf, n, &size, &res), 0,
		   "own statm parsed");
	tap_is_int((long long)size * page_kib, status_of(dir, "VmSize", 0),
		   "  size = VmSize");
}

/* --- proc roots ------------------------------------------------------- */

static const struct proc_row *row_of(const struct proctable *pt, pid_t pid)
{
	const struct proc_row *r = proctable_rows(pt);

	for (size_t i = 0; i < proctable_count(pt); i++)
		if (r[i].pid == pid)
			return &r[i];
	return NULL;
}

/* The 22nd field of a stat file, by splitting after the last ')'. */
static unsigned long long naive_start(const char *path)
{
	char buf[1024], *p;
	unsigned long long v = 0;

	slurp(path, buf, sizeof(buf));
	p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	return v;
}

static void test_captured(const char *root)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 48];
	struct proctable *pt = NULL;
	const struct proc_row *r;
	long hz = sysconf(_SC_CLK_TCK);
	pid_t both[] = { 99999, 3582, 3582 };

	snprintf(dir, sizeof(dir), "%s/3582", root);
	tap_is_int(proctable_new(&pt, root), 0, "table on the captured tree");
	if (!pt)
		return;
	tap_is_int(proctable_refresh(pt, NULL, 0, PROCTABLE_WANT_CMDLINE), 1,
		   "one process listed");
	r = row_of(pt, 3582);
	tap_ok(r != NULL, "pid 3582");
	if (!r)
		goto out;
	tap_is_str(r->comm, "fix_stacks", "  comm = status Name");
	tap_ok(r->state == status_state(dir), "  state = status State (%c)",
	       r->state);
	tap_is_int(r->ppid, status_of(dir, "PPid", 0), "  ppid = PPid");
	tap_is_int(r->threads, status_of(dir, "Threads", 0),
		   "  threads = Threads");
	tap_is_int((long long)r->vsz_kib, status_of(dir, "VmSize", 0),
		   "  VIRT = VmSize");
	tap_is_int((long long)r->rss_kib, status_of(dir, "VmRSS", 0),
		   "  RES = VmRSS");
	tap_ok(r->swap_known, "  swap known (no meminfo: read from status)");
	tap_is_int((long long)r->swap_kib, status_of(dir, "VmSwap", 0),
		   "  SWAP = VmSwap");
	tap_is_int(r->uid, status_of(dir, "Uid", 1),
		   "  uid = status's effective Uid, not the file's owner");
	snprintf(path, sizeof(path), "%s/task/3582/stat", dir);
	tap_ok(r->start_time == (double)naive_start(path) / (double)hz,
	       "  start time = task/3582/stat's field 22 / CLK_TCK");
	tap_is_str(r->cmdline, "", "  no cmdline captured: \"\"");
	tap_ok(r->cpu_pct < 0, "  no CPU%% on a first sample");
	tap_is_int(proctable_refresh(pt, both, 3, 0), 1,
		   "-p 99999,3582,3582: one row");
	tap_ok(proctable_count(pt) == 1 && proctable_rows(pt)[0].pid == 3582 &&
	       proctable_rows(pt)[0].cmdline == NULL,
	       "  3582's, without cmdline");
out:
	proctable_free(pt);
}

static void put(const char *root, const char *file, const char *text,
		size_t len)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, file);
	if (strchr(file, '/')) {
		char d[PATH_MAX + 64];

		snprintf(d, sizeof(d), "%s", path);
		*strrchr(d, '/') = '\0';
		mkdir(d, 0755);
	}
	f = fopen(path, "w");
	if (!f || fwrite(text, 1, len, f) != len)
		tap_diag("cannot write %s", path);
	if (f)
		fclose(f);
}

#define PUT(root, file, s) put(root, file, s, sizeof(s) - 1)

/* A crafted tree: rows as the files say, non-processes skipped. */
static void test_crafted(const char *root)
{
	struct proctable *pt = NULL;
	const struct proc_row *r;
	pid_t ask[] = { 13, 10 };

	PUT(root, "10/stat", "10 (a) b\n(c) " STAT_TAIL);
	PUT(root, "10/statm", "100 50 0 0 0 0 0\n");
	PUT(root, "10/status", "Name:\ta) b\\n(c\nUid:\t1000\t4321\t0\t0\n"
			       "VmSwap:\t      77 kB\n");
	PUT(root, "11/stat", "11 (kthread) I 2 0 0 0 -1 0 0 0 0 0 0 0 0 0 "
			     "20 0 1 0 5 0 0\n");
	PUT(root, "11/statm", "0 0 0 0 0 0 0\n");
	PUT(root, "11/status", "Name:\tkthread\nUid:\t0\t0\t0\t0\n");
	PUT(root, "12/stat", "12 (cut) S 1 2 3");           /* truncated */
	PUT(root, "12/statm", "1 1 0 0 0 0 0\n");
	PUT(root, "12/status", "Uid:\t0\t0\t0\t0\n");
	PUT(root, "13/stat", "13 (nostatm) " STAT_TAIL);     /* no statm */
	PUT(root, "13/status", "Uid:\t0\t0\t0\t0\n");
	PUT(root, "14/stat", "14 (nouid) " STAT_TAIL);       /* no Uid line */
	PUT(root, "14/statm", "1 1 0 0 0 0 0\n");
	PUT(root, "14/status", "Name:\tnouid\n");
	PUT(root, "15x/stat", "15 (notapid) " STAT_TAIL);
	PUT(root, "15x/statm", "1 1 0 0 0 0 0\n");
	PUT(root, "15x/status", "Uid:\t0\t0\t0\t0\n");
	PUT(root, "self", "");
	PUT(root, "uptime", "1000.00 10.00\n");

	tap_is_int(proctable_new(&pt, root), 0, "table on a crafted tree");
	if (!pt)
		return;
	tap_is_int(proctable_refresh(pt, NULL, 0, 0), 2,
		   "two processes: truncated stat, no statm, no Uid, "
		   "'15x' and 'self' left out");
	r = row_of(pt, 10);
	tap_ok(r && !strcmp(r->comm, "a) b\n(c") && r->state == 'S' &&
	       r->ppid == 1 && r->threads == 3,
	       "hostile name read raw, fields after it");
	tap_ok(r && r->uid == 4321, "owner: the effective uid of status");
	tap_ok(r && r->swap_known && r->swap_kib == 77, "VmSwap from status");
	tap_ok(r && r->vsz_kib == 100 * (unsigned long)(sysconf(_SC_PAGESIZE) /
							1024),
	       "VIRT from statm in pages");
	r = row_of(pt, 11);
	tap_ok(r && r->state == 'I' && r->swap_known && r->swap_kib == 0 &&
	       r->uid == 0, "no VmSwap line (a kernel thread): 0, known");
	tap_is_int(proctable_refresh(pt, ask, 2, 0), 1,
		   "-p 13,10: 13 has no statm, 10 listed");
	proctable_free(pt);

	PUT(root, "meminfo", "MemTotal: 1000 kB\nSwapTotal: 0 kB\n");
	tap_is_int(proctable_new(&pt, root), 0, "again, with meminfo");
	if (!pt)
		return;
	proctable_refresh(pt, NULL, 0, 0);
	r = row_of(pt, 10);
	tap_ok(r && r->swap_known && r->swap_kib == 0,
	       "a machine without swap: VmSwap not read, 0");
	proctable_free(pt);
	tap_is_int(proctable_new(&pt, "/nonexistent/proc"), -ENOENT,
		   "a missing root: -ENOENT");
}

/* The live /proc, named or by default: the same processes. */
static void test_live(void)
{
	struct proctable *a = NULL, *b = NULL;
	pid_t me = getpid();

	tap_is_int(proctable_new(&a, NULL), 0, "default root");
	tap_is_int(proctable_new(&b, "/proc"), 0, "/proc named");
	if (!a || !b)
		goto out;
	proctable_refresh(a, &me, 1, 0);
	proctable_refresh(b, &me, 1, 0);
	tap_ok(proctable_count(a) == 1 && proctable_count(b) == 1 &&
	       proctable_rows(a)[0].uid == geteuid() &&
	       proctable_rows(b)[0].uid == geteuid() &&
	       proctable_rows(a)[0].vsz_kib > 0,
	       "own row from both, owner from procfs");
out:
	proctable_free(a);
	proctable_free(b);
}

int main(void)
{
	const char *src = getenv("TOP_SRCDIR");
	char root[PATH_MAX], tmp[] = "/tmp/test_proctable.XXXXXX", cmd[128];
	struct stat st;

	test_names();
	test_truncated();
	test_numbers();
	test_hostile();
	test_statm();
	test_self();
	test_live();
	snprintf(root, sizeof(root), "%s/tests/fixtures/proc",
		 src ? src : ".");
	if (stat(root, &st) == 0)
		test_captured(root);
	else
		tap_ok(false, "captured tree at %s", root);
	if (mkdtemp(tmp)) {
		test_crafted(tmp);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", tmp);
	}
	return tap_done();
}
