/* test_collect_live: procmap_read() on running fixture programs, checked
 * against what the kernel and the fixtures say independently: maps line
 * counts, status VmSize, smaps_rollup Rss, the names the fixture created,
 * the stack ranges its threads reported, glibc's arena headers.
 * Fixture binaries come from $FIXTURES, else ../fixtures next to this
 * test.  Every child is killed by its PID before exit. */
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
#include "vmtop/procmap.h"
#include "vmtop/vmmap.h"

#define MAX_KIDS 8

static pid_t kids[MAX_KIDS];
static int nkids;
static char fixdir[PATH_MAX];

static void kill_kids(void)
{
	for (int i = 0; i < nkids; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	nkids = 0;
}

/* Copies a NULL-terminated list of literals into writable strings. */
static char **dup_list(const char *const *l)
{
	size_t n = 0;
	char **d;

	while (l[n])
		n++;
	d = calloc(n + 1, sizeof(*d));
	for (size_t i = 0; d && i < n; i++)
		d[i] = strdup(l[i]);
	return d;
}

/* Starts FIXTURES/argv[0] with stdout on a pipe; returns that stream. */
static FILE *spawn(const char *const argv[], const char *const env[],
		   pid_t *pid)
{
	char path[PATH_MAX + 64];
	int fd[2];

	snprintf(path, sizeof(path), "%s/%s", fixdir, argv[0]);
	if (pipe(fd) < 0 || nkids == MAX_KIDS)
		return NULL;
	*pid = fork();
	if (*pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		if (env)
			execve(path, dup_list(argv), dup_list(env));
		else
			execv(path, dup_list(argv));
		_exit(127);
	}
	close(fd[1]);
	if (*pid < 0)
		return NULL;
	kids[nkids++] = *pid;
	return fdopen(fd[0], "r");
}

static long count_lines(pid_t pid, const char *file)
{
	char path[64];
	FILE *f;
	long n = 0;
	int c;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* "Key: N kB" of /proc/PID/file, read here independently. */
static long long kib_of(pid_t pid, const char *file, const char *key)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) &&
		    line[strlen(key)] == ':')
			v = atoll(line + strlen(key) + 1);
	fclose(f);
	return v;
}

static uint64_t vsz_kib(const struct vmmap *m, uint64_t *rss)
{
	uint64_t sum = 0;

	*rss = 0;
	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (strcmp(r->path, "[vsyscall]"))  /* not in VmSize */
			sum += (r->end - r->start) >> 10;
		if (r->has_smaps)
			*rss += region_kib(r->rss_kib);
	}
	return sum;
}

static bool sorted(const struct vmmap *m)
{
	for (size_t i = 1; i < m->nregions; i++)
		if (m->regions[i].start < m->regions[i - 1].end)
			return false;
	return true;
}

static void test_many_maps(void)
{
	const char *const argv[] = { "fix_maps", "8000", "2000", NULL };
	struct vmmap *m = NULL;
	uint64_t rss, vsz;
	size_t deleted = 0;
	int pid = 0, rc;
	long lines = 0;
	pid_t p;
	FILE *f = spawn(argv, NULL, &p);

	if (!f || fscanf(f, "%d %ld", &pid, &lines) != 2) {
		tap_ok(false, "fix_maps started");
		return;
	}
	rc = procmap_read(NULL, p, PROCMAP_SMAPS, &m);
	tap_is_int(rc, 0, "collect fix_maps with smaps");
	if (rc)
		return;
	tap_ok(m->nregions >= 10000, "10 000 mappings or more (%zu)",
	       m->nregions);
	tap_is_int((long long)m->nregions, count_lines(p, "maps"),
		   "regions = lines of /proc/PID/maps");
	vsz = vsz_kib(m, &rss);
	tap_is_int((long long)vsz, kib_of(p, "status", "VmSize"),
		   "sum of sizes = VmSize");
	tap_is_int((long long)rss, kib_of(p, "smaps_rollup", "Rss"),
		   "sum of Rss = smaps_rollup Rss");
	tap_is_int((long long)m->rollup_rss_kib, (long long)rss,
		   "collected rollup Rss = sum");
	tap_ok(sorted(m), "sorted, no overlap");
	for (size_t i = 0; i < m->nregions; i++)
		deleted += m->regions[i].deleted &&
			   !strncmp(m->regions[i].path, "/tmp/fix_maps_", 14) &&
			   !strstr(m->regions[i].path, "(deleted)");
	tap_is_int((long long)deleted, 2000, "2000 unlinked scratch mappings");
	vmmap_free(m);
	rc = procmap_read(NULL, p, 0, &m);
	tap_ok(rc == 0 && m->nregions == (size_t)count_lines(p, "maps") &&
	       !m->regions[0].has_smaps && !m->regions[0].sm &&
	       region_sm(&m->regions[0], SM_RSS) == VMMAP_UNKNOWN &&
	       m->rollup_rss_kib == VMMAP_UNKNOWN,
	       "maps only: same regions, counters unknown");
	vmmap_free(m);
	fclose(f);
}

static int unhex(const char *h, char *out, size_t size)
{
	size_t n = 0;
	unsigned c;

	while (h[0] && h[1] && n + 1 < size && sscanf(h, "%2x", &c) == 1) {
		out[n++] = (char)c;
		h += 2;
	}
	out[n] = '\0';
	return (int)n;
}

static const struct region *find(const struct vmmap *m, uint64_t start)
{
	for (size_t i = 0; i < m->nregions; i++)
		if (m->regions[i].start == start)
			return &m->regions[i];
	return NULL;
}

static void check_names(FILE *f, const struct vmmap *m)
{
	char line[8192], name[4096], hex[8192];
	unsigned long start;
	int deleted, n = 0;

	while (fgets(line, sizeof(line), f) && strncmp(line, "end", 3)) {
		const struct region *r;

		if (sscanf(line, "map %lx %d %8191s", &start, &deleted, hex) !=
		    3)
			continue;
		unhex(hex, name, sizeof(name));
		r = find(m, start);
		tap_ok(r != NULL, "mapping %d found", ++n);
		if (!r)
			continue;
		tap_ok(!strcmp(r->path, name), "name %d decoded exactly", n);
		tap_is_int(r->deleted, deleted, "deleted flag");
	}
	tap_is_int(n, 8, "eight hard names checked");
}

static void test_names(void)
{
	const char *const argv[] = { "fix_names", NULL };
	char line[4096], dir[4096] = "", cmd[4200];
	struct vmmap *m = NULL;
	pid_t p;
	FILE *f = spawn(argv, NULL, &p);

	if (!f || !fgets(line, sizeof(line), f) ||
	    !fgets(line, sizeof(line), f) ||
	    sscanf(line, "dir %4095s", dir) != 1) {
		tap_ok(false, "fix_names started");
		return;
	}
	tap_is_int(procmap_read(NULL, p, PROCMAP_SMAPS, &m), 0,
		   "collect fix_names");
	if (m)
		check_names(f, m);
	vmmap_free(m);
	fclose(f);
	kill_kids();
	if (strstr(dir, "/fix_names.")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", dir);
	}
}

static const struct vmthread *thread_of(const struct vmmap *m, pid_t tid)
{
	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].tid == tid)
			return &m->threads[i];
	return NULL;
}

static bool all_asleep(const struct vmmap *m)
{
	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].state != 'S' ||
		    m->threads[i].sp_status != SP_OK)
			return false;
	return true;
}

/* The fixture's threads may still be on their way into pause() when it
 * prints: collect again (as the view would on its next refresh) until
 * every thread sleeps, for at most a second. */
static struct vmmap *collect_settled(pid_t p)
{
	struct vmmap *m = NULL;

	for (int i = 0; i < 50; i++) {
		vmmap_free(m);
		m = NULL;
		if (procmap_read(NULL, p, PROCMAP_THREADS, &m) || all_asleep(m))
			break;
		usleep(20000);
	}
	return m;
}

static void test_stacks(void)
{
	const char *const argv[] = { "fix_stacks", "5", "256", NULL };
	char line[256];
	struct vmmap *m = NULL;
	unsigned long lo, hi;
	int tid, n = 0;
	pid_t p;
	FILE *f = spawn(argv, NULL, &p);

	if (!f || !fgets(line, sizeof(line), f)) {
		tap_ok(false, "fix_stacks started");
		return;
	}
	m = collect_settled(p);
	tap_ok(m != NULL, "collect fix_stacks with threads");
	if (!m)
		return;
	tap_is_int((long long)m->nthreads, 6, "main + 5 threads");
	tap_ok(m->nthreads && m->threads[0].tid == p, "main thread first");
	while (fgets(line, sizeof(line), f) && strncmp(line, "end", 3)) {
		const struct vmthread *t;

		if (sscanf(line, "thread %d %lx %lx", &tid, &lo, &hi) != 3)
			continue;
		n++;
		t = thread_of(m, tid);
		tap_ok(t != NULL, "TID %d found", tid);
		if (!t)
			continue;
		tap_ok(t->sp_status == SP_OK && t->sp >= lo && t->sp < hi,
		       "TID %d: SP %llx in [%lx, %lx)", tid,
		       (unsigned long long)t->sp, lo, hi);
		tap_ok(t->state == 'S' && !strcmp(t->name, "fix_stacks"),
		       "TID %d: state S, name from stat", tid);
	}
	tap_is_int(n, 5, "five stacks reported");
	vmmap_free(m);
	fclose(f);
}

static void test_arenas(void)
{
	const char *const argv[] = { "fix_threads", "4", NULL };
	const char *const env[] = { "GODEBUG=netdns=go",
				    "MALLOC_ARENA_MAX=0x20", NULL };
	struct vmmap *m = NULL;
	char line[PATH_MAX], exe[PATH_MAX + 64];
	int first = 0, cont = 0;
	pid_t p;
	FILE *f = spawn(argv, env, &p);

	if (!f || !fgets(line, sizeof(line), f)) {
		tap_ok(false, "fix_threads started");
		return;
	}
	tap_is_int(procmap_read(NULL, p, PROCMAP_ALL, &m), 0,
		   "collect fix_threads, everything");
	if (!m)
		return;
	for (size_t i = 0; i < m->nprobes; i++) {
		const struct heap_probe *h = &m->probes[i];

		if (h->err || h->pagesize != (uint64_t)sysconf(_SC_PAGESIZE))
			continue;
		if (h->ar_ptr == h->addr + 48 && h->has_state)
			first++;
		else
			cont++;
	}
	tap_is_int(first, 4, "4 threads on a free cap: 4 arena first heaps");
	tap_is_int(m->env.arena_max, 32, "MALLOC_ARENA_MAX=0x20 read");
	tap_is_str(m->env.godebug, "netdns=go", "GODEBUG read");
	snprintf(exe, sizeof(exe), "%s/fix_threads", fixdir);
	tap_ok(m->exe.read && m->exe.path && !m->exe.is_static &&
	       m->exe.imports_libc && !m->exe.is_go,
	       "exe: dynamic, libc, not Go");
	tap_is_str(m->exe.path, realpath(exe, line) ? line : exe,
		   "exe path = the fixture's real path");
	tap_is_int((long long)m->nthreads, 5, "5 threads");
	vmmap_free(m);
	fclose(f);
}

/* An unprivileged reader of a root process: maps denied, status not. */
static void test_denied(void)
{
	const char *const argv[] = { "fix_stacks", "1", "64", NULL };
	char line[256];
	int status = -1;
	pid_t p, c;
	FILE *f;

	if (getuid() != 0) {
		tap_ok(true, "# SKIP not root: cannot start a foreign process");
		return;
	}
	f = spawn(argv, NULL, &p);
	if (!f || !fgets(line, sizeof(line), f)) {
		tap_ok(false, "fix_stacks started");
		return;
	}
	c = fork();
	if (c == 0) {
		struct vmmap *m = NULL;
		int rc;

		if (setuid(65534) < 0)
			_exit(100);
		rc = procmap_read(NULL, p, PROCMAP_ALL, &m);
		_exit(!(rc == -EACCES && m && (m->missing & MISSING_MAPS) &&
			m->access == VMMAP_ACCESS_LIMITED &&
			m->nregions == 0 &&
			(long long)m->status_vmsize_kib ==
				kib_of(p, "status", "VmSize")));
	}
	waitpid(c, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "as nobody: -EACCES, MISSING_MAPS, VmSize from status");
	fclose(f);
}

static void test_gone(void)
{
	struct vmmap *m = (struct vmmap *)1;
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	tap_is_int(procmap_read(NULL, p, PROCMAP_ALL, &m), -ESRCH,
		   "reaped process: -ESRCH");
	tap_ok(m == NULL, "and no vmmap");
}

static void find_fixtures(void)
{
	const char *env = getenv("FIXTURES");
	char self[PATH_MAX - 64];
	ssize_t n;

	if (env) {
		snprintf(fixdir, sizeof(fixdir), "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	if (strrchr(self, '/'))
		*strrchr(self, '/') = '\0';
	snprintf(fixdir, sizeof(fixdir), "%s/../fixtures", self);
}

int main(void)
{
	find_fixtures();
	atexit(kill_kids);
	test_many_maps();
	kill_kids();
	test_names();
	test_stacks();
	kill_kids();
	test_arenas();
	kill_kids();
	test_denied();
	kill_kids();
	test_gone();
	return tap_done();
}
