/* test_collect_tree: procmap_read() with proc_root set to a captured
 * tree (tests/fixtures/proc/PID: fix_stacks with 2 threads, captured
 * with MALLOC_ARENA_MAX=2 GLIBC_TUNABLES=...arena_max=3 GODEBUG=netdns=cgo),
 * checked against the captured files read naively here; then trees made
 * on the spot: a torn maps file, a missing process, denied files. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/procmap.h"
#include "vmtop/vmmap.h"

static char root[PATH_MAX];
static int pid;

static long count_lines(const char *file, const char *must_start)
{
	char path[PATH_MAX + 64], line[8192];
	long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !must_start || strchr(must_start, line[0]) != NULL;
	fclose(f);
	return n;
}

static long long kib_of(const char *file, const char *key)
{
	char path[PATH_MAX + 64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, file);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) &&
		    line[strlen(key)] == ':')
			v = atoll(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

/* The second-to-last field of task/TID/syscall, read with strtoull. */
static unsigned long long naive_sp(pid_t tid)
{
	char path[PATH_MAX + 64], buf[512], *f[16], *save = NULL;
	int n = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%d/task/%d/syscall", root, pid,
		 (int)tid);
	fp = fopen(path, "r");
	if (!fp || !fgets(buf, sizeof(buf), fp)) {
		if (fp)
			fclose(fp);
		return 0;
	}
	fclose(fp);
	for (char *t = strtok_r(buf, " \n", &save); t && n < 16;
	     t = strtok_r(NULL, " \n", &save))
		f[n++] = t;
	return n >= 2 ? strtoull(f[n - 2], NULL, 16) : 0;
}

static long count_tasks(void)
{
	char path[PATH_MAX + 64];
	struct dirent *de;
	long n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%d/task", root, pid);
	d = opendir(path);
	while (d && (de = readdir(d)))
		n += atoi(de->d_name) > 0;
	if (d)
		closedir(d);
	return n;
}

static void test_captured(void)
{
	struct vmmap *m = NULL;
	uint64_t vsz = 0, rss = 0;
	int rc = procmap_read(root, pid, PROCMAP_ALL, &m);

	tap_is_int(rc, 0, "collect the captured tree");
	if (!m)
		return;
	tap_is_int((long long)m->nregions, count_lines("maps", NULL),
		   "regions = lines of maps");
	tap_is_int((long long)m->nregions,
		   count_lines("smaps", "0123456789abcdef"),
		   "regions = headers of smaps");
	for (size_t i = 0; i < m->nregions; i++) {
		if (strcmp(m->regions[i].path, "[vsyscall]"))
			vsz += (m->regions[i].end - m->regions[i].start) >> 10;
		rss += region_kib(m->regions[i].rss_kib);
	}
	tap_is_int((long long)vsz, kib_of("status", "VmSize"),
		   "sum of sizes = VmSize");
	tap_is_int((long long)m->status_vmsize_kib, kib_of("status", "VmSize"),
		   "status VmSize read");
	tap_is_int((long long)rss, kib_of("smaps_rollup", "Rss"),
		   "sum of Rss = smaps_rollup Rss");
	tap_is_int((long long)m->rollup_pss_kib, kib_of("smaps_rollup", "Pss"),
		   "rollup Pss read");
	tap_is_int((long long)m->nthreads, count_tasks(),
		   "threads = task dirs");
	for (size_t i = 0; i < m->nthreads; i++)
		tap_ok(m->threads[i].sp_status == SP_OK &&
		       m->threads[i].sp == naive_sp(m->threads[i].tid) &&
		       m->threads[i].sp != 0,
		       "thread %d: SP as the syscall file says",
		       (int)m->threads[i].tid);
	tap_ok(m->nthreads && m->threads[0].tid == pid, "main thread first");
	tap_is_int(m->env.arena_max, 2, "MALLOC_ARENA_MAX");
	tap_is_int(m->env.tunable_arena_max, 3, "glibc.malloc.arena_max");
	tap_is_str(m->env.godebug, "netdns=cgo", "GODEBUG");
	tap_is_int((long long)m->nprobes, 0, "no heap_info probes off /proc");
	tap_ok(!m->exe.read, "no exe in the tree: not read");
	vmmap_free(m);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A maps file as a torn read leaves it: a repeat and a moved VMA. */
static void test_torn(const char *tmp)
{
	char dir[PATH_MAX];
	struct vmmap *m = NULL;

	snprintf(dir, sizeof(dir), "%s/77", tmp);
	mkdir(dir, 0755);
	write_file(dir, "maps",
		   "1000-2000 r--p 00000000 00:00 0 \n"
		   "2000-3000 rw-p 00000000 00:00 0 \n"
		   "4000-6000 rw-p 00000000 00:00 0 \n"
		   "2000-3000 rw-p 00000000 00:00 0 \n"
		   "5000-7000 rw-p 00000000 00:00 0 \n"
		   "3000-4000 r--p 00000000 00:00 0 \n"
		   "not a maps line\n"
		   "8000-9000 r--p 00000000 00:00 0 /x (deleted)");
	write_file(dir, "status",
		   "Name:\tx\nState:\tS (sleeping)\n"
		   "VmSize:\t      28 kB\nVmRSS:\t       4 kB\n");
	tap_is_int(procmap_read(tmp, 77, 0, &m), 0, "collect a torn tree");
	if (!m)
		return;
	tap_is_int((long long)m->nregions, 5, "repeat and overlap dropped");
	tap_ok(m->nregions == 5 && m->regions[2].start == 0x3000 &&
	       m->regions[3].start == 0x4000 && m->regions[4].start == 0x8000,
	       "sorted by start");
	tap_ok(m->nregions == 5 && m->regions[4].deleted &&
	       !strcmp(m->regions[4].path, "/x"),
	       "off /proc, a (deleted) suffix means unlinked");
	tap_is_int((long long)m->status_vmsize_kib, 28, "VmSize");
	vmmap_free(m);
	tap_is_int(procmap_read(tmp, 78, 0, &m), -ESRCH, "no such process");
	tap_ok(m == NULL, "no vmmap for it");
}

/* Run as an unprivileged user: denied smaps, then denied maps. */
static int denied_child(const char *tmp)
{
	char dir[PATH_MAX];
	struct vmmap *m = NULL;
	int bad = 0, rc;

	snprintf(dir, sizeof(dir), "%s/77/smaps", tmp);
	write_file(tmp, "77/smaps", "");
	chmod(dir, 0);
	if (getuid() == 0 && setuid(65534) < 0)
		return 100;
	rc = procmap_read(tmp, 77, PROCMAP_SMAPS, &m);
	bad |= (rc != 0 || !m || !(m->missing & MISSING_SMAPS) ||
		m->access != VMMAP_ACCESS_LIMITED || m->nregions != 5) << 0;
	vmmap_free(m);
	return bad;
}

static void test_denied(const char *tmp)
{
	char path[PATH_MAX + 16];
	struct vmmap *m = NULL;
	int status = -1, rc;
	pid_t p = fork();

	if (p == 0)
		_exit(denied_child(tmp));
	waitpid(p, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "smaps denied: regions from maps, MISSING_SMAPS, limited");
	snprintf(path, sizeof(path), "%s/77/maps", tmp);
	rc = chmod(path, 0);
	p = fork();
	if (p == 0) {
		if (rc < 0 || (getuid() == 0 && setuid(65534) < 0))
			_exit(100);
		rc = procmap_read(tmp, 77, 0, &m);
		_exit(!(rc == -EACCES && m && (m->missing & MISSING_MAPS) &&
			m->status_vmsize_kib == 28));
	}
	waitpid(p, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "maps denied: -EACCES with what status had");
}

static void find_tree(void)
{
	const char *src = getenv("TOP_SRCDIR");
	struct dirent *de;
	DIR *d;

	snprintf(root, sizeof(root), "%s/tests/fixtures/proc",
		 src ? src : ".");
	d = opendir(root);
	while (d && (de = readdir(d)))
		if (atoi(de->d_name) > 0)
			pid = atoi(de->d_name);
	if (d)
		closedir(d);
}

int main(void)
{
	char tmp[] = "/tmp/test_collect_tree.XXXXXX", cmd[128];

	find_tree();
	if (!pid) {
		printf("1..0 # SKIP no captured tree under %s\n", root);
		return 0;
	}
	test_captured();
	if (mkdtemp(tmp)) {
		chmod(tmp, 0755);
		test_torn(tmp);
		test_denied(tmp);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", tmp);
	}
	return tap_done();
}
