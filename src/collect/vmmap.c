/* vmmap: the model of one process's address space at one instant: the
 * region array, threads, probes and a string pool.  Nothing here reads a
 * file: the readers in collect fill it (procmap.h says in which order).
 *
 * Strings live in a chunked arena (struct vmmap_pool) so that a sample of
 * 60 000 regions costs a handful of allocations and one free walk.
 *
 * Paths are interned: a process maps one file many times (every segment
 * of a library, thousands of mappings of one data file, hard links), and
 * its owner chooses how long the names are.  Each distinct path is kept
 * once, found again through a hash of its bytes, and cut when long (see
 * vmmap_intern_path()), so that what a process's paths cost vmtop is
 * bounded whatever their number and length. */
#include "config.h"

#include "vmtop/vmmap.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmtop/hash.h"
#include "vmtop/xalloc.h"

#define POOL_CHUNK (64u << 10)

struct pool_chunk {
	struct pool_chunk *next;
	size_t used, size;
	char data[];
};

/* The vmmap's private storage: the string arena and array capacities. */
struct vmmap_pool {
	struct pool_chunk *head;
	size_t regions_cap;
	size_t regions_ready; /* slots up to here have been pre-faulted */
	struct hash_table paths; /* a path's hash -> its index in strs */
	const char **strs;       /* the interned paths */
	size_t nstrs, strs_cap;
	size_t path_bytes;       /* their bytes, for VMMAP_PATH_BUDGET */
};

static char *pool_alloc(struct vmmap_pool *p, size_t n)
{
	struct pool_chunk *c = p->head;

	if (!c || c->size - c->used < n) {
		size_t size = n > POOL_CHUNK ? n : POOL_CHUNK;

		/* zeroed: PCRE2's JIT reads subjects (paths) a word at a
		 * time past their NUL, and valgrind must see defined bytes */
		c = xcalloc(1, sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = p->head;
		p->head = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

const char *vmmap_strndup(struct vmmap *m, const char *s, size_t len)
{
	char *d = pool_alloc(m->pool, len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

const char *vmmap_strdup(struct vmmap *m, const char *s)
{
	return vmmap_strndup(m, s, strlen(s));
}

/* Steps back from a cut at s + n to the start of a UTF-8 character, so
 * that a cut path stays valid text where it was (at most 3 bytes). */
static size_t utf8_floor(const char *s, size_t n)
{
	for (int k = 0; k < 3 && n > 0 &&
			((unsigned char)s[n] & 0xc0) == 0x80; k++)
		n--;
	return n;
}

/* Writes into buf (room for keep + 1 bytes) the path s[0..len) cut to at
 * most keep bytes: its head and tail around VMMAP_PATH_CUT.  Returns the
 * length written. */
static size_t path_cut(char *buf, const char *s, size_t len, size_t keep)
{
	size_t mark = sizeof(VMMAP_PATH_CUT) - 1;
	size_t head = utf8_floor(s, (keep - mark) / 2);
	size_t tail = keep - mark - (keep - mark) / 2;
	size_t from = len - tail;

	/* the tail starts on a character too: step over continuation bytes */
	while (from < len && ((unsigned char)s[from] & 0xc0) == 0x80)
		from++;
	memcpy(buf, s, head);
	memcpy(buf + head, VMMAP_PATH_CUT, mark);
	memcpy(buf + head + mark, s + from, len - from);
	buf[head + mark + len - from] = '\0';
	return head + mark + len - from;
}

static const char *intern_add(struct vmmap_pool *p, const char *d)
{
	XGROW(p->strs, p->strs_cap, p->nstrs + 1);
	p->strs[p->nstrs++] = d;
	return d;
}

const char *vmmap_intern_path(struct vmmap *m, const char *s, size_t len)
{
	struct vmmap_pool *p = m->pool;
	char cut[VMMAP_PATH_MAX + 1];
	size_t keep = p->path_bytes < VMMAP_PATH_BUDGET ? VMMAP_PATH_MAX :
							   VMMAP_PATH_SHORT;
	uint64_t key;
	uint32_t *slot;
	const char *d;

	if (len > keep) {
		len = path_cut(cut, s, len, keep);
		s = cut;
	}
	key = hash_fnv(HASH_FNV_INIT, s, len);
	slot = hash_table_put(&p->paths, key ? key : 1);
	if (*slot != HASH_NONE) {
		d = p->strs[*slot];
		if (strncmp(d, s, len) == 0 && d[len] == '\0')
			return d;
		/* another path with the same 64-bit hash: kept apart, not
		 * interned (equal paths may then have two copies) */
		p->path_bytes += len + 1;
		return vmmap_strndup(m, s, len);
	}
	*slot = (uint32_t)p->nstrs;
	p->path_bytes += len + 1;
	return intern_add(p, vmmap_strndup(m, s, len));
}

struct vmmap *vmmap_new(pid_t pid)
{
	struct vmmap *m = xcalloc(1, sizeof(*m));
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	m->pool = xcalloc(1, sizeof(*m->pool));
	m->pid = pid;
	m->env.arena_max = -1;
	m->env.tunable_arena_max = -1;
	m->exe.go_cgo = -1;
	m->online_cpus = n > 0 ? (int)n : 1;
	n = sysconf(_SC_PAGESIZE);
	m->page_size = n > 0 ? (unsigned long)n : 4096;
	m->status_vmsize_kib = m->status_vmrss_kib = VMMAP_UNKNOWN;
	m->rollup_rss_kib = m->rollup_pss_kib = VMMAP_UNKNOWN;
	m->rollup_swap_kib = VMMAP_UNKNOWN;
	return m;
}

/* Doubles the region array, starting at 512: most processes have a few
 * hundred mappings.  (Measured at 60 000 regions: growing by 4, or with
 * mremap(), saves realloc's copies but costs more in page faults.) */
static void grow_regions(struct vmmap *m)
{
	size_t cap = m->pool->regions_cap ? m->pool->regions_cap * 2 : 512;

	m->regions = xreallocarray(m->regions, cap, sizeof(*m->regions));
	m->pool->regions_cap = cap;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  /* Linux 5.14 */
#endif

/* Arrays of more regions than this are pre-faulted a slice at a time. */
#define PREFAULT_FROM 8192
#define PREFAULT_SLICE (256u << 10)

/* Faults in the next slice of a big region array with one madvise()
 * instead of a page fault per 4 KiB as the regions are written: at 60 000
 * regions the faults alone were 2 ms, more than parsing the headers.
 * Slices keep the memory touched to what is used.  Kernels before 5.14
 * refuse the advice; the array is then faulted in as it is written. */
static void prefault_regions(struct vmmap *m)
{
	static bool unsupported;
	size_t page = m->page_size, cap = m->pool->regions_cap;
	size_t upto = m->nregions + PREFAULT_SLICE / sizeof(struct region);
	uintptr_t a, b;

	if (upto > cap)
		upto = cap;
	m->pool->regions_ready = upto;
	if (unsupported || cap < PREFAULT_FROM)
		return;
	a = ((uintptr_t)&m->regions[m->nregions] + page - 1) & ~(page - 1);
	b = (uintptr_t)&m->regions[upto] & ~(page - 1);
	if (b > a && madvise((void *)a, b - a, MADV_POPULATE_WRITE) < 0 &&
	    errno == EINVAL)
		unsupported = true;
}

static const struct region blank_region = {
	.path = "",
	.rss_kib = VMMAP_KIB_UNKNOWN,
	.pss_kib = VMMAP_KIB_UNKNOWN,
	.swap_kib = VMMAP_KIB_UNKNOWN,
	.dirty_kib = VMMAP_KIB_UNKNOWN,
	.arena = -1,
};

struct region *vmmap_add_region(struct vmmap *m)
{
	struct region *r;

	if (m->nregions == m->pool->regions_cap)
		grow_regions(m);
	if (m->nregions >= m->pool->regions_ready)
		prefault_regions(m);
	r = &m->regions[m->nregions++];
	/* a copy of a constant, not memset() and stores: for 96 bytes the
	 * compiler's "rep stos" cost more than the rest of the function */
	memcpy(r, &blank_region, sizeof(*r));
	return r;
}

void vmmap_region_set_smaps(struct vmmap *m, struct region *r,
			    const uint64_t sm[SM__COUNT], const char *vmflags,
			    bool keep_all)
{
	vmmap_region_set_compact(r, sm);
	if (keep_all) {
		struct region_smaps *all = (struct region_smaps *)(void *)
			pool_alloc(m->pool, sizeof(*all) + 7);

		/* the pool hands out bytes: align the block for its words */
		all = (struct region_smaps *)(void *)
			(((uintptr_t)all + 7) & ~(uintptr_t)7);
		memcpy(all->sm, sm, sizeof(all->sm));
		all->vmflags = vmflags ? vmflags : "";
		r->sm = all->sm;
	}
}

void vmmap_free(struct vmmap *m)
{
	struct pool_chunk *c, *next;

	if (!m)
		return;
	for (c = m->pool->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(m->regions);
	hash_table_release(&m->pool->paths);
	free(m->pool->strs);
	free(m->pool);
	free(m->threads);
	free(m->probes);
	free(m->rtprobes);
	free(m->chunks);
	free(m->hugetlb);
	free(m->noreserve);
	free(m->rulehits);
	free(m->solibs);
	free(m->env.godebug);
	free(m->exe.path);
	free(m->exe.interp);
	free(m->exe.go_version);
	free(m->exe.go_tags);
	free(m);
}

static char *vmmap_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void vmmap_adopt_facts(struct vmmap *dst, const struct vmmap *src)
{
	free(dst->env.godebug);
	dst->env = src->env;
	dst->env.godebug = vmmap_dup(src->env.godebug);
	free(dst->exe.path);
	free(dst->exe.interp);
	free(dst->exe.go_version);
	free(dst->exe.go_tags);
	dst->exe = src->exe;
	dst->exe.path = vmmap_dup(src->exe.path);
	dst->exe.interp = vmmap_dup(src->exe.interp);
	dst->exe.go_version = vmmap_dup(src->exe.go_version);
	dst->exe.go_tags = vmmap_dup(src->exe.go_tags);
	dst->missing |= src->missing & (MISSING_ENVIRON | MISSING_EXE);
}

struct region_hugetlb *vmmap_add_hugetlb(struct vmmap *m)
{
	m->hugetlb = xreallocarray(m->hugetlb, m->nhugetlb + 1,
				   sizeof(*m->hugetlb));
	return &m->hugetlb[m->nhugetlb++];
}

void vmmap_add_noreserve(struct vmmap *m, uint64_t start)
{
	size_t n = m->nnoreserve;

	/* grow by doubling: the room is the next power of two */
	if ((n & (n - 1)) == 0)
		m->noreserve = xreallocarray(m->noreserve, n ? 2 * n : 1,
					     sizeof(*m->noreserve));
	m->noreserve[m->nnoreserve++] = start;
}

size_t vmmap_first_above(const struct vmmap *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nregions;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->regions[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t vmmap_find(const struct vmmap *m, uint64_t addr)
{
	size_t i = vmmap_first_above(m, addr);

	if (i < m->nregions && m->regions[i].start <= addr)
		return i;
	return SIZE_MAX;
}
