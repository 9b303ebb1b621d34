/* rtpeek: V8 page headers and pymalloc pool headers, read from the target
 * (REFERENCE.md 7.2, 7.3).
 *
 * V8: a page (MemoryChunk) begins with its size, its flags, its Heap*,
 * and the bounds of its object area; the checks are classify's.
 * CPython: an arena holds pools at every pool-size boundary, each with a
 * header; arenas merge into larger regions, so every boundary is read and
 * the region is summarised by the headers that pass rtpeek_pool_ok() and
 * the distinct arena indices among them.  Pool headers are read in
 * batches of iovecs: one system call per RTPEEK_BATCH pools. */
#include "config.h"

#include "vmtop/rtpeek.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "vmtop/peek.h"
#include "vmtop/xalloc.h"

#define RTPEEK_V8_HEADER 40
#define RTPEEK_BATCH 256

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

bool rtpeek_pool_ok(const unsigned char h[RTPEEK_POOL_HEADER],
		    uint32_t pool_size, uint32_t *arena)
{
	uint32_t szidx = get32(h + 36), next = get32(h + 40);
	uint32_t maxnext = get32(h + 44), size;

	if (szidx >= 32)
		return false;
	size = (szidx + 1) * 16;
	if (maxnext != pool_size - size || next < RTPEEK_POOL_HEADER ||
	    next > maxnext + size)
		return false;
	*arena = get32(h + 32);
	return true;
}

bool rtpeek_pymalloc_sizes(const char *ver, uint32_t *arena, uint32_t *pool)
{
	char *end;
	long minor;

	if (strncmp(ver, "3.", 2) != 0)
		return false;
	minor = strtol(ver + 2, &end, 10);
	if (end == ver + 2 || *end)
		return false;
	*arena = minor >= 10 ? 1u << 20 : 1u << 18;
	*pool = minor >= 10 ? 1u << 14 : 1u << 12;
	return true;
}

static struct rt_probe *rtpeek_add(struct vmmap *m, size_t *cap)
{
	struct rt_probe *p;

	XGROW(m->rtprobes, *cap, m->nrtprobes + 1);
	p = &m->rtprobes[m->nrtprobes++];
	memset(p, 0, sizeof(*p));
	return p;
}

static bool rtpeek_anon(const struct region *r)
{
	return r->inode == 0 && r->path[0] == '\0';
}

static void rtpeek_v8(struct vmmap *m, size_t *cap)
{
	unsigned char h[RTPEEK_V8_HEADER];

	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];
		struct rt_probe *p;

		if (r->start % RTPEEK_V8_PAGE_ALIGN || !rtpeek_anon(r) ||
		    r->perms[0] != 'r' || r->end - r->start < sizeof(h))
			continue;
		p = rtpeek_add(m, cap);
		p->addr = r->start;
		p->kind = RTP_V8_PAGE;
		p->err = -peek_read(m->pid, r->start, h, sizeof(h));
		if (p->err == EPERM)
			m->missing |= MISSING_MEMORY;
		for (int k = 0; k < 5 && !p->err; k++)
			p->v[k] = get64(h + 8 * k);
	}
}

static int rtpeek_cmp32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The pool headers of [lo, hi) at pool boundaries, n of them, read in
 * batches; *ok and *ids get the good ones and their arena indices.
 * Returns 0 or -errno of the first failed batch. */
static int rtpeek_pools(pid_t pid, uint64_t lo, size_t n, uint32_t pool,
			uint32_t *ids, size_t *ok)
{
	unsigned char buf[RTPEEK_BATCH][RTPEEK_POOL_HEADER];
	struct iovec loc[RTPEEK_BATCH], rem[RTPEEK_BATCH];

	*ok = 0;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < RTPEEK_BATCH ? n - done : RTPEEK_BATCH;
		ssize_t got;

		for (size_t j = 0; j < k; j++) {
			loc[j].iov_base = buf[j];
			loc[j].iov_len = RTPEEK_POOL_HEADER;
			rem[j].iov_base =
				(void *)(uintptr_t)(lo + (done + j) * pool);
			rem[j].iov_len = RTPEEK_POOL_HEADER;
		}
		got = process_vm_readv(pid, loc, k, rem, k, 0);
		if (got < 0)
			return -errno;
		/* a short read stops at the first iovec that failed */
		k = (size_t)got / RTPEEK_POOL_HEADER;
		for (size_t j = 0; j < k; j++)
			if (rtpeek_pool_ok(buf[j], pool, &ids[*ok]))
				(*ok)++;
		if (k == 0)
			return -EFAULT;
		done += k;
	}
	return 0;
}

/* Whether region i sits right above a one-page ---p guard: a thread
 * stack, not worth reading. */
static bool rtpeek_stack_shaped(const struct vmmap *m, size_t i)
{
	const struct region *g;

	if (i == 0)
		return false;
	g = &m->regions[i - 1];
	return g->end == m->regions[i].start &&
	       g->end - g->start == m->page_size && rtpeek_anon(g) &&
	       !memcmp(g->perms, "---p", 4);
}

static void rtpeek_python(struct vmmap *m, size_t *cap)
{
	uint32_t arena, pool, *ids;
	size_t budget = RTPEEK_POOL_BUDGET;

	if (!rtpeek_pymalloc_sizes(m->rt.version, &arena, &pool))
		return;
	ids = xcalloc(budget, sizeof(*ids));
	for (size_t i = 0; i < m->nregions && budget; i++) {
		const struct region *r = &m->regions[i];
		uint64_t lo = (r->start + pool - 1) & ~(uint64_t)(pool - 1);
		size_t n, ok, distinct = 0;
		struct rt_probe *p;

		if (!rtpeek_anon(r) || memcmp(r->perms, "rw-p", 4) ||
		    r->end - r->start < arena || rtpeek_stack_shaped(m, i))
			continue;
		n = (size_t)((r->end - lo) / pool);
		if (n > budget)
			n = budget;
		budget -= n;
		p = rtpeek_add(m, cap);
		p->addr = r->start;
		p->kind = RTP_PYMALLOC;
		p->err = -rtpeek_pools(m->pid, lo, n, pool, ids, &ok);
		if (p->err == EPERM)
			m->missing |= MISSING_MEMORY;
		qsort(ids, ok, sizeof(*ids), rtpeek_cmp32);
		for (size_t k = 0; k < ok; k++)
			distinct += k == 0 || ids[k] != ids[k - 1];
		p->v[0] = ok;
		p->v[1] = distinct;
		p->v[2] = arena;
		p->v[3] = pool;
	}
	free(ids);
}

size_t rtpeek_read(struct vmmap *m)
{
	size_t cap = 0, before = m->nrtprobes;

	if (m->rt.rt == RT_V8)
		rtpeek_v8(m, &cap);
	else if (m->rt.rt == RT_PYTHON)
		rtpeek_python(m, &cap);
	return m->nrtprobes - before;
}
