/* vmmapfix: hand-built vmmaps for unit tests. */
#include "config.h"

#include "vmmapfix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/classify.h"
#include "vmtop/rules.h"
#include "vmtop/xalloc.h"

#define MIB (1ULL << 20)
#define HEAP64 (64 * MIB)

struct region *vmmapfix_region(struct vmmap *m, uint64_t start, uint64_t end,
			       const char *perms, const char *path)
{
	struct region *r = vmmap_add_region(m);
	uint64_t kib = (end - start) / 1024;
	uint64_t sm[SM__COUNT];

	r->start = start;
	r->end = end;
	memcpy(r->perms, perms, 4);
	r->path = vmmap_strdup(m, path);
	if (path[0] == '/') {
		r->inode = 1000 + m->nregions;
		r->dev_major = 8;
		r->dev_minor = 1;
	}
	for (int f = 0; f < SM__COUNT; f++)
		sm[f] = 0;
	sm[SM_SIZE] = kib;
	if (perms[0] == 'r') {
		sm[SM_RSS] = kib;
		sm[SM_PSS] = kib;
		sm[SM_PRIVATE_DIRTY] = perms[1] == 'w' ? kib : 0;
	}
	vmmap_region_set_smaps(m, r, sm, NULL, true);
	return r;
}

void vmmapfix_thread(struct vmmap *m, pid_t tid, const char *name,
		     uint64_t sp, int sp_status)
{
	struct vmthread *t;

	m->threads = xreallocarray(m->threads, m->nthreads + 1,
				   sizeof(*m->threads));
	t = &m->threads[m->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->state = 'S';
	t->sp = sp;
	t->sp_status = sp_status;
}

void vmmapfix_probe(struct vmmap *m, uint64_t addr, uint64_t ar_ptr,
		    uint64_t size, uint64_t mprotect_size, int err)
{
	struct heap_probe *p;

	m->probes = xreallocarray(m->probes, m->nprobes + 1,
				  sizeof(*m->probes));
	p = &m->probes[m->nprobes++];
	memset(p, 0, sizeof(*p));
	p->addr = addr;
	p->ar_ptr = ar_ptr;
	p->size = size;
	p->mprotect_size = mprotect_size;
	p->pagesize = 4096;
	p->err = err;
}

void vmmapfix_finish(struct vmmap *m)
{
	uint64_t vsz = 0, rss = 0;

	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (strcmp(r->path, "[vsyscall]") != 0)
			vsz += (r->end - r->start) / 1024;
		rss += region_kib(r->rss_kib);
	}
	m->status_vmsize_kib = vsz;
	m->rollup_rss_kib = rss;
}

static void vmmapfix_env(struct vmmap *m, int cpus)
{
	m->online_cpus = cpus;
	m->page_size = 4096;
	m->env.read = true;
	m->env.arena_max = -1;
	m->env.tunable_arena_max = -1;
}

static void vmmapfix_c_head(struct vmmap *m)
{
	const char *exe = "/usr/bin/demo";

	vmmapfix_region(m, 0x55d0c0a00000, 0x55d0c0a01000, "r--p", exe);
	vmmapfix_region(m, 0x55d0c0a01000, 0x55d0c0a02000, "r-xp", exe);
	vmmapfix_region(m, 0x55d0c0a02000, 0x55d0c0a03000, "r--p", exe);
	vmmapfix_region(m, 0x55d0c0a03000, 0x55d0c0a04000, "rw-p", exe);
	vmmapfix_region(m, 0x55d0c0a04000, 0x55d0c0a06000, "rw-p", "");
	vmmapfix_region(m, 0x55d0c1000000, 0x55d0c1021000, "rw-p", "[heap]");
}

/* Arenas A, B, C and the decoy, with their probes. */
static void vmmapfix_c_arenas(struct vmmap *m)
{
	uint64_t a = 0x7f0000000000, b = a + 2 * HEAP64, c = a + 3 * HEAP64;
	uint64_t d = a + 4 * HEAP64, bc = a - 2 * HEAP64;

	/* B's continuation heap, full, below B's first heap */
	vmmapfix_region(m, bc, bc + HEAP64, "rw-p", "");
	vmmapfix_probe(m, bc, b + 0x30, HEAP64, HEAP64, 0);
	vmmapfix_region(m, a, a + 0x21000, "rw-p", "");
	vmmapfix_region(m, a + 0x21000, a + HEAP64, "---p", "");
	vmmapfix_probe(m, a, a + 0x30, 0x21000, 0x21000, 0);
	vmmapfix_region(m, a + HEAP64, a + HEAP64 + MIB, "rw-p", "");
	vmmapfix_region(m, a + HEAP64 + MIB, b, "---p", "");
	vmmapfix_probe(m, a + HEAP64, a + 0x30, MIB, MIB, 0);
	/* B trimmed: VMA stays mprotect_size long while size shrank */
	vmmapfix_region(m, b, b + 0x133b000, "rw-p", "");
	vmmapfix_region(m, b + 0x133b000, c, "---p", "");
	vmmapfix_probe(m, b, b + 0x30, 0x23000, 0x133b000, 0);
	vmmapfix_region(m, c, c + 0x21000, "rw-p", "");
	vmmapfix_region(m, c + 0x21000, d, "---p", "");
	vmmapfix_probe(m, c, 0, 0, 0, EPERM);
	/* aligned and rw-p, but its header is not a heap_info */
	vmmapfix_region(m, d, d + 0x21000, "rw-p", "");
	vmmapfix_region(m, d + 0x21000, d + HEAP64, "---p", "");
	vmmapfix_probe(m, d, 0x1234, 0x99999999, 0x10, 0);
}

static void vmmapfix_c_stacks(struct vmmap *m)
{
	uint64_t s = 0x7f0020000000, st = 8 * MIB;

	for (int k = 0; k < 3; k++) {
		uint64_t g = s + (uint64_t)k * (st + 4096);

		vmmapfix_region(m, g, g + 4096, "---p", "");
		vmmapfix_region(m, g + 4096, g + 4096 + st, "rw-p", "");
		if (k < 2)
			vmmapfix_thread(m, 101 + k, "worker", g + st - 512,
					SP_OK);
	}
	vmmapfix_thread(m, 103, "busy", 0, SP_RUNNING);
	/* a 64 MiB malloc block, aligned: neither arena nor stack */
	vmmapfix_region(m, 0x7f0030000000, 0x7f0034000000, "rw-p", "");
}

static void vmmapfix_c_libs(struct vmmap *m)
{
	const char *libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
	const char *ld = "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2";
	const char *nss = "/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2";
	uint64_t l = 0x7f0040000000;

	vmmapfix_region(m, l, l + 0x26000, "r--p", libc);
	vmmapfix_region(m, l + 0x26000, l + 0x17c000, "r-xp", libc);
	vmmapfix_region(m, l + 0x17c000, l + 0x1cf000, "r--p", libc);
	vmmapfix_region(m, l + 0x1cf000, l + 0x1d3000, "r--p", libc);
	vmmapfix_region(m, l + 0x1d3000, l + 0x1d5000, "rw-p", libc);
	vmmapfix_region(m, l + 0x1d5000, l + 0x1e2000, "rw-p", "");
	vmmapfix_region(m, l + 0x200000, l + 0x208000, "r--p", nss);
	vmmapfix_region(m, l + 0x208000, l + 0x240000, "r-xp", nss);
	vmmapfix_region(m, l + 0x240000, l + 0x241000, "rw-p", nss);
	vmmapfix_region(m, l + 0x300000, l + 0x301000, "r--p", ld);
	vmmapfix_region(m, l + 0x301000, l + 0x327000, "r-xp", ld);
	vmmapfix_region(m, l + 0x327000, l + 0x329000, "rw-p", ld);
}

static void vmmapfix_c_files(struct vmmap *m)
{
	uint64_t f = 0x7f0050000000;
	struct region *r;

	vmmapfix_region(m, f, f + 0x300000, "r--p",
			"/usr/lib/locale/locale-archive");
	r = vmmapfix_region(m, f + 0x400000, f + 0x500000, "rw-s",
			    "/dev/zero");
	r->deleted = true;
	r = vmmapfix_region(m, f + 0x500000, f + 0x510000, "rw-s",
			    "/SYSV0000002a");
	r->deleted = true;
	r = vmmapfix_region(m, f + 0x510000, f + 0x520000, "rw-s",
			    "/memfd:ring");
	r->deleted = true;
	vmmapfix_region(m, f + 0x520000, f + 0x530000, "rw-s",
			"/dev/shm/queue");
	vmmapfix_region(m, f + 0x600000, f + 0x635000, "r--s",
			"/var/cache/nscd/hosts");
}

static void vmmapfix_tail(struct vmmap *m, pid_t main_tid, uint64_t stack)
{
	vmmapfix_region(m, stack, stack + 0x21000, "rw-p", "[stack]");
	vmmapfix_region(m, 0x7ffc00100000, 0x7ffc00104000, "r--p", "[vvar]");
	vmmapfix_region(m, 0x7ffc00104000, 0x7ffc00106000, "r-xp", "[vdso]");
	vmmapfix_region(m, 0xffffffffff600000, 0xffffffffff601000, "--xp",
			"[vsyscall]");
	/* the main thread comes first */
	vmmapfix_thread(m, main_tid, "main", stack + 0x20000, SP_OK);
	if (m->nthreads > 1) {
		struct vmthread t = m->threads[m->nthreads - 1];

		memmove(m->threads + 1, m->threads,
			(m->nthreads - 1) * sizeof(t));
		m->threads[0] = t;
	}
}

struct vmmap *vmmapfix_c_program(void)
{
	struct vmmap *m = vmmap_new(100);

	vmmapfix_env(m, 2);
	m->exe.read = true;
	m->exe.path = xstrdup("/usr/bin/demo");
	m->exe.interp = xstrdup("/lib64/ld-linux-x86-64.so.2");
	m->exe.imports_libc = true;
	m->exe.go_cgo = -1;
	vmmapfix_c_head(m);
	vmmapfix_c_arenas(m);
	vmmapfix_c_stacks(m);
	vmmapfix_c_libs(m);
	vmmapfix_c_files(m);
	vmmapfix_tail(m, 100, 0x7ffc00000000);
	vmmapfix_finish(m);
	return m;
}

struct vmmap *vmmapfix_four_arenas(void)
{
	struct vmmap *m = vmmap_new(300);
	uint64_t a = 0x7f35ac000000;

	vmmapfix_env(m, 2);
	m->exe.read = true;
	m->exe.path = xstrdup("/usr/bin/four");
	vmmapfix_region(m, 0x55d0c0a00000, 0x55d0c0a01000, "r--p",
			"/usr/bin/four");
	for (int k = 0; k < 4; k++, a += HEAP64) {
		vmmapfix_region(m, a, a + 0x21000, "rw-p", "");
		vmmapfix_region(m, a + 0x21000, a + HEAP64, "---p", "");
		vmmapfix_probe(m, a, a + 0x30, 0x21000, 0x21000, 0);
	}
	vmmapfix_tail(m, 300, 0x7ffc00000000);
	vmmapfix_finish(m);
	return m;
}

struct vmmap *vmmapfix_go_program(void)
{
	struct vmmap *m = vmmap_new(200);
	const char *exe = "/srv/goserv";
	uint64_t r = 0x7f1000000000;

	vmmapfix_env(m, 2);
	m->exe.read = true;
	m->exe.path = xstrdup(exe);
	m->exe.is_static = true;
	m->exe.is_go = true;
	m->exe.go_version = xstrdup("go1.19.8");
	m->exe.go_cgo = 0;
	m->env.godebug = xstrdup("netdns=go");
	vmmapfix_region(m, 0x400000, 0x401000, "r--p", exe);
	vmmapfix_region(m, 0x401000, 0x600000, "r-xp", exe);
	vmmapfix_region(m, 0x600000, 0x640000, "rw-p", exe);
	vmmapfix_region(m, 0x640000, 0x670000, "rw-p", "");
	vmmapfix_region(m, 0xc000000000, 0xc000400000, "rw-p", "");
	vmmapfix_region(m, 0xc000400000, 0xc004000000, "---p", "");
	vmmapfix_region(m, r, r + 0x20000000, "---p", "");
	vmmapfix_region(m, r + 0x20000000, r + 0x20200000, "rw-p", "");
	vmmapfix_region(m, r + 0x20200000, r + 0x24000000, "---p", "");
	vmmapfix_region(m, 0x7f2000000000, 0x7f2000021000, "rw-p", "");
	vmmapfix_region(m, 0x7f2000021000, 0x7f2004000000, "---p", "");
	vmmapfix_thread(m, 201, "goserv", 0xc000100000, SP_OK);
	vmmapfix_tail(m, 200, 0x7ffb00000000);
	vmmapfix_finish(m);
	return m;
}

void vmmapfix_classify(struct vmmap *m)
{
	struct rules *r = NULL;
	char err[128];

	if (rules_new(NULL, 0, &r, err, sizeof(err)) != 0)
		abort();
	classify_vmmap(m, r);
	rules_free(r);
}

bool vmmapfix_same_regions(const struct vmmap *a, const struct vmmap *b)
{
	if (a->nregions != b->nregions)
		return false;
	for (size_t i = 0; i < a->nregions; i++) {
		const struct region *x = &a->regions[i], *y = &b->regions[i];

		if (x->start != y->start || x->end != y->end ||
		    x->offset != y->offset || x->inode != y->inode ||
		    x->dev_major != y->dev_major ||
		    x->dev_minor != y->dev_minor ||
		    memcmp(x->perms, y->perms, sizeof(x->perms)) ||
		    x->deleted != y->deleted || strcmp(x->path, y->path) ||
		    x->rss_kib != y->rss_kib || x->pss_kib != y->pss_kib ||
		    x->swap_kib != y->swap_kib ||
		    x->dirty_kib != y->dirty_kib ||
		    x->has_smaps != y->has_smaps || !x->sm != !y->sm ||
		    strcmp(region_vmflags(x), region_vmflags(y)))
			return false;
		for (int f = 0; x->sm && f < SM__COUNT; f++)
			if (x->sm[f] != y->sm[f])
				return false;
	}
	return true;
}
