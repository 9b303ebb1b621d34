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

static bool hex(const char **s, const char *e, uint64_t *v)
{
	uint64_t x = 0;
	const char *p = *s;

	for (; p < e; p++) {
		unsigned c = (unsigned char)*p, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		x = x << 4 | d;
	}
	if (p == *s || p - *s > 16)
		return false;
	*s = p;
	*v = x;
	return true;
}

/* Skips one field and the spaces after it. */
static const char *skip_field(const char *p, const char *e)
{
	while (p < e && *p != ' ')
		p++;
	while (p < e && *p == ' ')
		p++;
	return p;
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
	uint64_t start, end, inode = 0;
	const char *perms, *q = s;
	bool anon;

	if (!hex(&q, e, &start) || q >= e || *q != '-' ||
	    (q++, !hex(&q, e, &end)) || q >= e || *q != ' ' || end < start ||
	    e - q < 6)
		return;
	perms = q + 1;
	q = skip_field(perms, e);          /* perms */
	q = skip_field(q, e);              /* offset */
	q = skip_field(q, e);              /* dev */
	for (; q < e && *q >= '0' && *q <= '9'; q++)
		inode = inode * 10 + (uint64_t)(*q - '0');
	while (q < e && *q == ' ')
		q++;
	anon = inode == 0 && q == e;
	p->m.maps++;
	if (perms[0] == '-' && perms[1] == '-' && perms[2] == '-')
		p->m.reserved_kib += (end - start) >> 10;
	cand_settle(p, start, end,
		    anon && !memcmp(perms, "---p", 4));
	if (anon && !memcmp(perms, "rw-p", 4) &&
	    start % VMMAP_ARENA_HEAP_MAX == 0 &&
	    !(start >= GO_HEAP_LO && start < GO_HEAP_HI)) {
		p->cand_start = start;
		p->cand_end = end;
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

#define MAPS_BUF 65536

int procmem_read_maps(int procfd, pid_t pid, struct procmem_maps *out)
{
	struct procmem_maps_parse p;
	char *buf;
	size_t have = 0;
	int fd = open_in(procfd, pid, "maps"), rc = 0;

	if (fd < 0)
		return fd;
	buf = xmalloc(MAPS_BUF);
	procmem_maps_init(&p);
	for (;;) {
		ssize_t n = read(fd, buf + have, MAPS_BUF - have);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0) {
			procmem_maps_feed(&p, buf, have);
			break;
		}
		have += (size_t)n;
		nl = memrchr(buf, '\n', have);
		if (!nl) {
			if (have == MAPS_BUF)
				have = 0; /* a line past 64 KiB: dropped */
			continue;
		}
		procmem_maps_feed(&p, buf, (size_t)(nl + 1 - buf));
		have -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, have);
	}
	close(fd);
	free(buf);
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
