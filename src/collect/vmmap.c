/* vmmap: one process's address space at one instant.
 *
 * vmmap_collect() reads the files in the order that keeps them
 * consistent: smaps (or maps) first, then status and smaps_rollup right
 * after, so that the kernel's totals describe the same moment as the
 * regions; threads, heap_info probes, environ and exe follow, since they
 * do not have to add up to anything.  Every file is reopened on every
 * call: an fd on maps is bound to the mm it was opened on.
 *
 * Strings live in a chunked arena (struct vmmap_pool) so that a sample of
 * 60 000 regions costs a handful of allocations and one free walk. */
#include "config.h"

#include "vmtop/vmmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/environ.h"
#include "vmtop/exeinfo.h"
#include "vmtop/maps.h"
#include "vmtop/peek.h"
#include "vmtop/smaps.h"
#include "vmtop/threads.h"
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
	free(m->candidates);
	free(m->pool);
	free(m->threads);
	free(m->probes);
	free(m->env.godebug);
	free(m->exe.path);
	free(m->exe.interp);
	free(m->exe.go_version);
	free(m->exe.go_tags);
	free(m);
}

static bool is_gone_err(int rc)
{
	return rc == -ENOENT || rc == -ESRCH;
}

static bool is_denied_err(int rc)
{
	return rc == -EACCES || rc == -EPERM;
}

/* Value in KiB of "Key:   N kB" at the start of a line of status. */
static uint64_t status_value(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	uint64_t v = 0;
	int n = 0;

	if (!p || (p != buf && p[-1] != '\n'))
		return VMMAP_UNKNOWN;
	for (p += strlen(key); *p == ' ' || *p == '\t'; p++)
		;
	for (; *p >= '0' && *p <= '9' && n < 19; p++, n++)
		v = v * 10 + (uint64_t)(*p - '0');
	return n ? v : VMMAP_UNKNOWN;
}

int vmmap_read_file(int dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return (int)n;
}

static int read_status(int dirfd, struct vmmap *m)
{
	char buf[8192];
	const char *state;
	int n = vmmap_read_file(dirfd, "status", buf, sizeof(buf));

	if (n < 0)
		return n;
	m->status_vmsize_kib = status_value(buf, "VmSize:");
	m->status_vmrss_kib = status_value(buf, "VmRSS:");
	state = strstr(buf, "\nState:\t");
	if (state && (state[8] == 'Z' || state[8] == 'X'))
		m->gone = true;  /* exited: its maps are empty now */
	return 0;
}

/* smaps when asked and allowed, else maps.  Returns 0 or -errno of the
 * last file tried; regions read before a failure are kept. */
static int read_regions(int dirfd, struct vmmap *m, unsigned flags,
			bool live)
{
	int rc;

	if (flags & VMMAP_SMAPS) {
		rc = smaps_read(dirfd, m, live, flags & VMMAP_SMAPS_ALL);
		if (!is_denied_err(rc))
			return rc;
		m->missing |= MISSING_SMAPS;
		m->access = VMMAP_ACCESS_LIMITED;
		m->nregions = m->ordered = m->ncandidates = 0;
	}
	rc = maps_read(dirfd, m, live);
	if (is_denied_err(rc)) {
		m->missing |= MISSING_MAPS;
		m->access = VMMAP_ACCESS_LIMITED;
	}
	return rc;
}

static void read_extras(int dirfd, struct vmmap *m, unsigned flags,
			bool live)
{
	int rc;

	if (flags & VMMAP_THREADS) {
		rc = threads_read(dirfd, m);
		if (is_gone_err(rc))
			m->gone = true;
	}
	/* heap_info lives in the target's memory: only a live process has
	 * it, a captured tree does not */
	if ((flags & VMMAP_PROBE) && live && !m->gone)
		peek_probe_arenas(m);
	if (flags & VMMAP_ENV) {
		rc = environ_read(dirfd, m);
		if (is_denied_err(rc))
			m->missing |= MISSING_ENVIRON;
	}
	if (flags & VMMAP_EXE) {
		rc = exeinfo_read(dirfd, m);
		if (is_denied_err(rc))
			m->missing |= MISSING_EXE;
	}
}

static int open_pid_dir(const char *root, pid_t pid)
{
	char path[4096];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%d", root, (int)pid) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return fd;
}

static double now_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int vmmap_collect(const char *proc_root, pid_t pid, unsigned flags,
		  struct vmmap **out)
{
	const char *root = proc_root ? proc_root : "/proc";
	bool live = !strcmp(root, "/proc");
	struct vmmap *m;
	int dirfd, rc, src;

	*out = NULL;
	dirfd = open_pid_dir(root, pid);
	if (dirfd < 0)
		return dirfd;
	m = vmmap_new(pid);
	m->time = now_realtime();
	rc = read_regions(dirfd, m, flags, live);
	src = read_status(dirfd, m);
	/* An exec between opening maps and reading it leaves the file empty
	 * (the descriptor belongs to the old mm).  A process with a size has
	 * mappings: read them once more, from the new mm. */
	if (rc == 0 && src == 0 && m->nregions == 0 && !m->gone &&
	    m->status_vmsize_kib != VMMAP_UNKNOWN && m->status_vmsize_kib > 0) {
		rc = read_regions(dirfd, m, flags, live);
		src = read_status(dirfd, m);
	}
	if ((flags & VMMAP_SMAPS) && !(flags & VMMAP_NO_ROLLUP) &&
	    !(m->missing & MISSING_SMAPS) && rc == 0)
		smaps_read_rollup(dirfd, m);
	if (is_gone_err(rc) || is_gone_err(src))
		m->gone = true;
	if (m->gone && m->nregions == 0 && src < 0) {
		close(dirfd);
		vmmap_free(m);
		return -ESRCH;
	}
	maps_normalize(m);
	if (rc == 0 || m->gone)
		read_extras(dirfd, m, flags, live);
	close(dirfd);
	if (rc < 0 && !m->gone && !(m->missing & MISSING_MAPS)) {
		vmmap_free(m);
		return rc;
	}
	*out = m;
	return m->missing & MISSING_MAPS ? -EACCES : 0;
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
