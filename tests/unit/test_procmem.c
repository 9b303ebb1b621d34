/* Unit tests of procmem (the list's costly columns): the smaps_rollup
 * and maps parsers, on texts and on this process's own files against a
 * count of our own; the cadence's plan against its budget; and the
 * statm and stat fields proctable adds (shared, data, PF_KTHREAD). */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/procmem.h"
#include "vmtop/proctable.h"

static const char rollup_text[] =
	"55d0c0000000-7ffd7f5fe000 ---p 00000000 00:00 0    [rollup]\n"
	"Rss:                6812 kB\n"
	"Pss:                1234 kB\n"
	"Pss_Dirty:           500 kB\n"
	"Pss_Anon:            400 kB\n"
	"Shared_Clean:       5000 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:       100 kB\n"
	"Private_Dirty:       400 kB\n"
	"Referenced:         6812 kB\n"
	"Private_Hugetlb:    2048 kB\n"
	"Swap:                  0 kB\n";

static void test_rollup(void)
{
	struct procmem_rollup r;
	char cut[sizeof(rollup_text)];
	const char *p;

	tap_is_int(procmem_parse_rollup(rollup_text, strlen(rollup_text), &r),
		   0, "a rollup parses");
	tap_is_int((long long)r.pss_kib, 1234, "  Pss");
	tap_is_int((long long)r.uss_kib, 100 + 400 + 2048,
		   "  USS = Private_Clean + Private_Dirty + Private_Hugetlb");
	/* Pss_Dirty, Pss_Anon must not be taken for Pss */
	p = strstr(rollup_text, "Pss:");
	snprintf(cut, sizeof(cut), "%.*s%s", (int)(p - rollup_text),
		 rollup_text, strchr(p, '\n') + 1);
	tap_ok(procmem_parse_rollup(cut, strlen(cut), &r) < 0,
	       "without a Pss line (Pss_Dirty and Pss_Anon there): -EINVAL");
	p = strstr(rollup_text, "Private_Hugetlb:");
	snprintf(cut, sizeof(cut), "%.*s", (int)(p - rollup_text),
		 rollup_text);
	tap_ok(procmem_parse_rollup(cut, strlen(cut), &r) == 0 &&
		       r.uss_kib == 500,
	       "without Private_Hugetlb (older kernels): 0 of it");
	tap_ok(procmem_parse_rollup("", 0, &r) < 0, "empty text: -EINVAL");
}

/* A glibc arena heap (rw-p then ---p to 64 MiB), a full one, a Go heap
 * arena of the same shape, a heap whose tail ends early, a file. */
static const char maps_text[] =
	"555555554000-555555556000 r--p 00000000 08:01 1234   /usr/bin/x\n"
	"7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
	"7f0000021000-7f0004000000 ---p 00000000 00:00 0 \n"
	"7f0008000000-7f000c000000 rw-p 00000000 00:00 0 \n"
	"7f0010000000-7f0010021000 rw-p 00000000 00:00 0 \n"
	"7f0010021000-7f0011000000 ---p 00000000 00:00 0 \n"
	"7f0014000000-7f0014001000 rw-p 00000000 00:00 0   [anon:x]\n"
	"c000000000-c000400000 rw-p 00000000 00:00 0 \n"
	"c000400000-c004000000 ---p 00000000 00:00 0 \n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";

static void test_maps_text(void)
{
	struct procmem_maps_parse p;
	struct procmem_maps m, whole;
	size_t len = strlen(maps_text);
	uint64_t resv = (0x7f0004000000 - 0x7f0000021000 +
			 0x7f0011000000 - 0x7f0010021000 +
			 0xc004000000 - 0xc000400000) >> 10;

	procmem_maps_init(&p);
	procmem_maps_feed(&p, maps_text, len);
	procmem_maps_end(&p, &whole);
	tap_is_int((long long)whole.maps, 10, "every line is a mapping");
	tap_is_int((long long)whole.reserved_kib, (long long)resv,
		   "RESV: the ---p mappings");
	tap_is_int((long long)whole.arenas, 2,
		   "ARENAS: a heap with its tail and a full heap; not a short "
		   "tail, a named mapping or Go's heap arena");
	/* fed one line at a time: the same (a tail in the next piece) */
	procmem_maps_init(&p);
	for (const char *s = maps_text; *s;) {
		const char *nl = strchr(s, '\n');

		procmem_maps_feed(&p, s, (size_t)(nl + 1 - s));
		s = nl + 1;
	}
	procmem_maps_end(&p, &m);
	tap_ok(!memcmp(&m, &whole, sizeof(m)), "fed line by line: the same");
	procmem_maps_init(&p);
	procmem_maps_feed(&p, "garbage\n\n7f00-\n", 16);
	procmem_maps_end(&p, &m);
	tap_is_int((long long)m.maps, 0, "lines that are not maps: skipped");
}

/* A child's maps (it waits in pause(): its maps stay still while both
 * read them, which our own do not under a sanitizer, whose allocator maps
 * as stdio reads), counted with sscanf, against procmem_read_maps(). */
static void test_maps_live(void)
{
	char line[4096], perms[8], path[64];
	unsigned long long lo, hi, n = 0, resv = 0;
	struct procmem_maps m;
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY);
	pid_t child = fork();
	FILE *f;

	if (child == 0) {
		for (;;)
			pause();
	}
	usleep(100000); /* past its start */
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)child);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3)
			continue;
		n++;
		if (!strncmp(perms, "---", 3))
			resv += (hi - lo) >> 10;
	}
	if (f)
		fclose(f);
	tap_is_int(procmem_read_maps(procfd, child, &m), 0,
		   "a child's maps reads");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	tap_is_int((long long)m.maps, (long long)n,
		   "  as many mappings as sscanf counts");
	tap_is_int((long long)m.reserved_kib, (long long)resv,
		   "  the same ---p size");
	tap_ok(procmem_read_maps(procfd, 0x7ffffff0, &m) < 0,
	       "a PID that does not exist: an error");
	close(procfd);
}

static void test_rollup_live(void)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY);
	struct procmem_rollup r;
	char *map = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *big = map;

	for (long i = 0; i < (8 << 20); i += 4096)
		big[i] = 1; /* 8 MiB of our own pages */
	tap_is_int(procmem_read_rollup(procfd, getpid(), &r), 0,
		   "our own smaps_rollup reads");
	tap_ok(r.uss_kib >= 8192 && r.pss_kib >= r.uss_kib,
	       "  USS holds our 8 MiB and PSS holds USS (%llu, %llu)",
	       (unsigned long long)r.uss_kib, (unsigned long long)r.pss_kib);
	munmap(map, 8 << 20);
	close(procfd);
}

/* Sum over processes of cost / interval, the share of a core used. */
static double used_share(struct procmem_sched *s, size_t n, double period)
{
	double u = 0;

	for (size_t i = 0; i < n; i++) {
		double gap = (double)(s[i].next_ms - s[i].read_ms);

		u += s[i].cost_ms / (gap > period ? gap : period);
	}
	return u;
}

static void test_plan(void)
{
	struct procmem_cadence c;
	struct procmem_sched s[101];
	struct procmem_sched *ptr[101];
	long now = 1000;

	memset(s, 0, sizeof(s));
	procmem_cadence_init(&c, 0.03);
	/* 100 processes of 0.04 ms and one of 50 ms, refreshed every
	 * second: 5.4 % of a core to read all each time, 3 % allowed */
	for (int round = 0; round < 3; round++, now += 1000) {
		for (int i = 0; i < 101; i++) {
			ptr[i] = &s[i];
			if (procmem_due(&s[i], now))
				procmem_measured(&c, &s[i],
						 i == 100 ? 50.0 : 0.04, now);
		}
		procmem_plan(&c, ptr, 101, now);
	}
	tap_ok(used_share(s, 101, 1000) <= 0.03 + 1e-9,
	       "the plan keeps within the budget (%.4f)",
	       used_share(s, 101, 1000));
	tap_ok(s[0].next_ms - s[0].read_ms <= 1000,
	       "a cheap process is read at every refresh");
	/* what the cheap ones leave: 3 % - 0.4 % = 2.6 % */
	tap_ok(s[100].next_ms - s[100].read_ms >= 50.0 / 0.026 &&
		       s[100].next_ms - s[100].read_ms <= 50.0 / 0.026 + 2,
	       "the costly one waits its cost / what the cheap ones leave "
	       "(%ld ms)", s[100].next_ms - s[100].read_ms);
	tap_is_int(c.every_ms, s[100].next_ms - s[100].read_ms,
		   "the longest interval is reported");
	procmem_cadence_release(&c);

	/* all cheap: everyone every refresh */
	memset(s, 0, sizeof(s));
	procmem_cadence_init(&c, 0.03);
	now = 1000;
	for (int round = 0; round < 2; round++, now += 2000) {
		for (int i = 0; i < 10; i++) {
			ptr[i] = &s[i];
			procmem_measured(&c, &s[i], 0.05, now);
		}
		procmem_plan(&c, ptr, 10, now);
	}
	tap_ok(s[3].next_ms == s[3].read_ms,
	       "within the budget every process is due at the next refresh");
	/* the first plan, no period known: equal shares */
	memset(s, 0, sizeof(s));
	procmem_cadence_release(&c);
	procmem_cadence_init(&c, 0.03);
	ptr[0] = &s[0];
	procmem_measured(&c, &s[0], 15.0, 5000);
	procmem_plan(&c, ptr, 1, 5000);
	tap_is_int(s[0].next_ms - s[0].read_ms, 501,
		   "before the period is known: cost / budget (rounded up)");
	procmem_cadence_release(&c);
}

static void test_statm_stat(void)
{
	static const char statm[] = "2500 1200 300 10 0 900 0\n";
	static const char kstat[] =
		"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 3 0 0 20 0 1 0 "
		"5 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 "
		"0 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
	unsigned long long size, res, sd[2];
	struct proc_stat f;

	tap_ok(proctable_parse_statm_all(statm, strlen(statm), &size, &res,
					 sd) == 0 &&
		       size == 2500 && res == 1200 && sd[0] == 300 &&
		       sd[1] == 900,
	       "statm: size, resident, shared, data");
	tap_ok(proctable_parse_statm_all("10 5\n", 5, &size, &res, sd) == 0 &&
		       sd[0] == 0 && sd[1] == 0,
	       "statm of two fields: shared and data 0");
	tap_ok(proctable_parse_stat(kstat, strlen(kstat), &f) == 0 &&
		       (f.flags & PROCTABLE_PF_KTHREAD),
	       "kthreadd's stat has PF_KTHREAD (flags 2129984)");
	tap_is_int(proctable_mem_by_name("pss"), PROC_MEM_PSS,
		   "columns by name, any case");
	tap_is_int(proctable_mem_by_name("VIRT"), -1,
		   "VIRT is not a memory column of proc_mem");
}

int main(void)
{
	test_rollup();
	test_maps_text();
	test_maps_live();
	test_rollup_live();
	test_plan();
	test_statm_stat();
	return tap_done();
}
