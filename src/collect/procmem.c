/* procmem: the list's costly columns (smaps_rollup, maps) and their
 * cadence (procmem.h).
 *
 * The maps reader parses only what it counts (addresses, perms, inode,
 * whether a name follows) with its own small loop: the full maps reader
 * of the map view interns paths and resolves names, work the list does
 * not need at every refresh of every process. */
#include "config.h"

#include "vmtop/procmem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/clock.h"
#include "vmtop/maps.h"
#include "vmtop/procfile.h"
#include "vmtop/smaps.h"
#include "vmtop/vmmap.h"
#include "vmtop/xalloc.h"

/* Go's heap hints on amd64 (REFERENCE.md 5). */
#define GO_HEAP_LO 0xc000000000ull
#define GO_HEAP_HI 0x10000000000ull

/* ---- smaps_rollup ---- */

int procmem_parse_rollup(const char *text, size_t len,
			 struct procmem_rollup *out)
{
	uint64_t sm[SM__COUNT];

	/* smaps' own parser: one for the format */
	if (smaps_parse_rollup(text, len, sm) < 0 ||
	    sm[SM_PSS] == VMMAP_UNKNOWN ||
	    sm[SM_PRIVATE_CLEAN] == VMMAP_UNKNOWN ||
	    sm[SM_PRIVATE_DIRTY] == VMMAP_UNKNOWN)
		return -EINVAL;
	out->pss_kib = sm[SM_PSS];
	out->uss_kib = sm[SM_PRIVATE_CLEAN] + sm[SM_PRIVATE_DIRTY] +
		       (sm[SM_PRIVATE_HUGETLB] == VMMAP_UNKNOWN ?
				0 :
				sm[SM_PRIVATE_HUGETLB]);
	return 0;
}

static int open_in(int procfd, pid_t pid, const char *name)
{
	char path[48];
	int fd;

	snprintf(path, sizeof(path), "%d/%s", (int)pid, name);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int procmem_read_rollup(int procfd, pid_t pid, struct procmem_rollup *out)
{
	char path[48], buf[4096];
	int n;

	/* one record of ~1 KiB, which the kernel gives in one read */
	snprintf(path, sizeof(path), "%d/smaps_rollup", (int)pid);
	n = procfile_read(procfd, path, buf, sizeof(buf));
	if (n < 0)
		return n;
	return procmem_parse_rollup(buf, (size_t)n, out);
}

/* ---- maps ---- */

void procmem_maps_init(struct procmem_maps_parse *p)
{
	memset(p, 0, sizeof(*p));
}

/* An aligned heap waiting for its tail: counted when this region (or
 * nothing) follows it. */
static void cand_settle(struct procmem_maps_parse *p, uint64_t start,
			uint64_t end, bool tail)
{
	if (!p->cand_end)
		return;
	if (p->cand_end - p->cand_start >= VMMAP_ARENA_HEAP_MAX ||
	    (tail && start == p->cand_end &&
	     end - p->cand_start >= VMMAP_ARENA_HEAP_MAX))
		p->m.arenas++;
	p->cand_end = 0;
}

static void maps_line(struct procmem_maps_parse *p, const char *s,
		      const char *e)
{
	/* maps' own parser, on a copy: it writes into the line (a path cut
	 * here still leaves the fields and "anonymous or not" whole) */
	char line[512];
	size_t len = (size_t)(e - s) < sizeof(line) - 1 ? (size_t)(e - s) :
							   sizeof(line) - 1;
	struct maps_line ml;
	bool anon;

	memcpy(line, s, len);
	line[len] = '\0';
	if (maps_parse_line(line, len, &ml) < 0)
		return;
	anon = ml.inode == 0 && ml.path[0] == '\0';
	p->m.maps++;
	if (!memcmp(ml.perms, "---", 3))
		p->m.reserved_kib += (ml.end - ml.start) >> 10;
	cand_settle(p, ml.start, ml.end, anon && !memcmp(ml.perms, "---p", 4));
	if (anon && !memcmp(ml.perms, "rw-p", 4) &&
	    ml.start % VMMAP_ARENA_HEAP_MAX == 0 &&
	    !(ml.start >= GO_HEAP_LO && ml.start < GO_HEAP_HI)) {
		p->cand_start = ml.start;
		p->cand_end = ml.end;
	}
}

void procmem_maps_feed(struct procmem_maps_parse *p, const char *text,
		       size_t len)
{
	const char *s = text, *end = text + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;

		maps_line(p, s, e);
		s = e + 1;
	}
}

void procmem_maps_end(struct procmem_maps_parse *p, struct procmem_maps *out)
{
	cand_settle(p, 0, 0, false);
	*out = p->m;
}

/* maps_stream()'s callback: whole lines to the counter. */
static long procmem_maps_chunk(void *ctx, char *buf, size_t len, bool eof)
{
	(void)eof;
	procmem_maps_feed(ctx, buf, len);
	return (long)len;
}

int procmem_read_maps(int procfd, pid_t pid, struct procmem_maps *out)
{
	struct procmem_maps_parse p;
	int fd = open_in(procfd, pid, "maps"), rc;

	if (fd < 0)
		return fd;
	procmem_maps_init(&p);
	rc = maps_stream(fd, procmem_maps_chunk, &p);
	close(fd);
	procmem_maps_end(&p, out);
	return rc;
}

/* ---- cadence ---- */

void procmem_cadence_init(struct procmem_cadence *c, double budget)
{
	memset(c, 0, sizeof(*c));
	c->budget = budget;
}

void procmem_cadence_release(struct procmem_cadence *c)
{
	free(c->scratch);
	c->scratch = NULL;
	c->cap = 0;
}

void procmem_measured(struct procmem_cadence *c, struct procmem_sched *s,
		      double ms, long now_ms)
{
	if (ms < 0)
		ms = 0;
	/* smoothed as the pipeline smooths smaps: a process that grew
	 * shows in the next plan, one odd read does not swing it */
	s->cost_ms = s->cost_ms > 0 ? (s->cost_ms + ms) / 2 : ms;
	s->read_ms = now_ms ? now_ms : 1;
	c->spent_ms += ms;
	c->reads++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The water level: the largest share L such that the sum over i of
 * min(d_i, L) is the budget (d sorted ascending); +inf when everything
 * fits. */
static double plan_level(double *d, size_t n, double budget)
{
	double left = budget;

	qsort(d, n, sizeof(*d), cmp_double);
	for (size_t i = 0; i < n; i++) {
		double even = left / (double)(n - i);

		if (d[i] > even)
			return even;
		left -= d[i];
	}
	return -1; /* everything fits */
}

void procmem_plan(struct procmem_cadence *c, struct procmem_sched *const *s,
		  size_t n, long now_ms)
{
	double period, level;
	long every = 0;

	if (c->last_ms && now_ms > c->last_ms)
		c->period_ms = c->period_ms > 0 ?
			(c->period_ms * 3 + (double)(now_ms - c->last_ms)) / 4 :
			(double)(now_ms - c->last_ms);
	c->last_ms = now_ms;
	period = c->period_ms;
	c->every_ms = (long)period;
	if (n == 0)
		return;
	if (period > 0) {
		XGROW(c->scratch, c->cap, n);
		for (size_t i = 0; i < n; i++)
			c->scratch[i] = s[i]->cost_ms / period;
		level = plan_level(c->scratch, n, c->budget);
	} else {
		/* no period yet (the first refresh, or the first since the
		 * columns were shown): equal shares, which never exceed the
		 * budget however soon the next refresh comes */
		level = c->budget / (double)n;
	}
	for (size_t i = 0; i < n; i++) {
		long gap = 0;

		if (level > 0 && (period <= 0 ||
				  s[i]->cost_ms / period > level))
			gap = (long)(s[i]->cost_ms / level) + 1; /* up */
		s[i]->next_ms = s[i]->read_ms + gap;
		if (gap > every)
			every = gap;
	}
	c->every_ms = every > (long)period ? every : (long)period;
}
