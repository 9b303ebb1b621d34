/* Unit tests of classify_vmmap() on hand-built layouts (tests/lib/vmmapfix). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../src/classify/classify_internal.h"
#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/classify.h"
#include "vmtop/maptree.h"
#include "vmtop/rules.h"
#include "vmtop/xalloc.h"

static const struct region *at(const struct vmmap *m, uint64_t start)
{
	for (size_t i = 0; i < m->nregions; i++)
		if (m->regions[i].start == start)
			return &m->regions[i];
	return NULL;
}

/* Checks kind, group and tags of the region starting at start. */
static void expect(const struct vmmap *m, uint64_t start,
		   enum region_kind kind, const char *group, unsigned tags,
		   const char *what)
{
	const struct region *r = at(m, start);
	char name[160];

	if (!tap_ok(r != NULL, "%s: region 0x%llx exists", what,
		    (unsigned long long)start))
		return;
	snprintf(name, sizeof(name), "%s: kind", what);
	tap_is_str(maptree_kind_name(r->kind), maptree_kind_name(kind), name);
	if (group) {
		snprintf(name, sizeof(name), "%s: group", what);
		tap_is_str(r->group, group, name);
	}
	snprintf(name, sizeof(name), "%s: tags", what);
	tap_is_int(r->tags, tags, name);
	tap_ok(r->reason && r->reason[0], "%s: has a reason", what);
}

static void test_c_program(const struct rules *rules)
{
	struct vmmap *m = vmmapfix_c_program();
	uint64_t a = 0x7f0000000000, h = 64ULL << 20;
	const char *nss = "/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2";

	classify_vmmap(m, rules);
	expect(m, 0x55d0c0a01000, KIND_BINARY, "/usr/bin/demo", TAG_EXEC,
	       "text segment");
	expect(m, 0x55d0c0a04000, KIND_BINARY, "/usr/bin/demo", 0, "bss");
	expect(m, 0x55d0c1000000, KIND_HEAP, "", 0, "[heap]");
	expect(m, a, KIND_ARENA, "arena 0x7f0000000000", TAG_VERIFIED,
	       "arena A first heap");
	expect(m, a + 0x21000, KIND_ARENA, "arena 0x7f0000000000",
	       TAG_VERIFIED | TAG_RESERVED, "arena A tail");
	expect(m, a + h, KIND_ARENA, "arena 0x7f0000000000", TAG_VERIFIED,
	       "arena A continuation above");
	expect(m, a - 2 * h, KIND_ARENA, "arena 0x7f0008000000", TAG_VERIFIED,
	       "arena B continuation below");
	expect(m, a + 2 * h, KIND_ARENA, "arena 0x7f0008000000", TAG_VERIFIED,
	       "arena B trimmed first heap");
	expect(m, a + 3 * h, KIND_ARENA, "arena 0x7f000c000000", 0,
	       "arena C by shape");
	expect(m, a + 4 * h, KIND_ANON, "", 0, "decoy with a bad heap_info");
	tap_is_int(at(m, a)->arena, 0, "arena A is number 0");
	tap_is_int(at(m, a - 2 * h)->arena, 1, "B's continuation is arena 1");
	tap_is_int(at(m, a + 3 * h)->arena, 2, "arena C is number 2");
	tap_is_int(at(m, a + 4 * h)->arena, -1, "the decoy has no arena");
	tap_is_int(m->narenas, 3, "three arenas");
	tap_is_int(m->arena_limit, 16, "limit 8 x 2 CPUs");
	tap_is_str(m->arena_limit_source, "default", "limit source");

	expect(m, 0x7f0020000000, KIND_THREAD_STACK, "tid 101",
	       TAG_GUARD | TAG_RESERVED, "guard of tid 101");
	expect(m, 0x7f0020001000, KIND_THREAD_STACK, "tid 101", 0,
	       "stack of tid 101");
	tap_is_int(at(m, 0x7f0020001000)->tid, 101, "stack tid");
	expect(m, 0x7f0020802000, KIND_THREAD_STACK, "tid 102", 0,
	       "stack of tid 102");
	expect(m, 0x7f0021003000, KIND_THREAD_STACK, "tid 103", 0,
	       "stack of tid 103, running when read");
	expect(m, 0x7f0021002000, KIND_THREAD_STACK, "tid 103",
	       TAG_GUARD | TAG_RESERVED, "its guard");
	expect(m, 0x7f0030000000, KIND_ANON, "", 0, "64 MiB malloc block");

	expect(m, 0x7f0040026000, KIND_LIBRARY,
	       "/usr/lib/x86_64-linux-gnu/libc.so.6", TAG_EXEC, "libc text");
	expect(m, 0x7f00401d5000, KIND_ANON, "", 0, "anon after libc");
	expect(m, 0x7f0040208000, KIND_LIBRARY, nss, TAG_EXEC | TAG_DNS,
	       "NSS module");
	expect(m, 0x7f0040301000, KIND_LIBRARY,
	       "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", TAG_EXEC,
	       "dynamic loader");
	expect(m, 0x7f0050000000, KIND_FILE, "/usr/lib/locale/locale-archive",
	       0, "locale archive");
	expect(m, 0x7f0050400000, KIND_SHARED, "/dev/zero", TAG_DELETED,
	       "shared anonymous");
	expect(m, 0x7f0050500000, KIND_SHARED, "/SYSV0000002a", TAG_DELETED,
	       "SysV shm");
	expect(m, 0x7f0050510000, KIND_SHARED, "/memfd:ring", TAG_DELETED,
	       "memfd");
	expect(m, 0x7f0050520000, KIND_SHARED, "/dev/shm/queue", 0,
	       "POSIX shm");
	expect(m, 0x7f0050600000, KIND_FILE, "/var/cache/nscd/hosts",
	       TAG_DNS | TAG_SHARED, "nscd cache: a file mapped r--s");
	expect(m, 0x7ffc00000000, KIND_MAIN_STACK, "", 0, "[stack]");
	expect(m, 0x7ffc00104000, KIND_KERNEL, "[vdso]", TAG_EXEC, "[vdso]");
	expect(m, 0xffffffffff600000, KIND_KERNEL, "[vsyscall]", TAG_EXEC,
	       "[vsyscall]");
	vmmap_free(m);
}

static void test_no_rules_no_probes(void)
{
	struct vmmap *m = vmmapfix_c_program();

	/* probes not read at all: the shape rule decides, unverified */
	m->nprobes = 0;
	classify_vmmap(m, NULL);
	expect(m, 0x7f0000000000, KIND_ARENA, NULL, 0, "unprobed arena A");
	/* without heap_info a continuation heap cannot be linked */
	expect(m, 0x7f0000000000 + (64ULL << 20), KIND_ARENA,
	       "arena 0x7f0004000000", 0, "unprobed continuation");
	tap_is_int(m->narenas, 5, "by shape: A, A's continuation, B, C, decoy");
	tap_ok(!(at(m, 0x7f0040208000)->tags & TAG_DNS),
	       "no rules: no dns tag");
	vmmap_free(m);
}

static void test_limits(void)
{
	struct vmmap *m = vmmapfix_four_arenas();
	const char *src;

	m->env.arena_max = 2;
	tap_is_int(classify_arena_limit(m, &src), 2, "MALLOC_ARENA_MAX=2");
	tap_is_str(src, "MALLOC_ARENA_MAX", "source MALLOC_ARENA_MAX");
	m->env.tunable_arena_max = 3;
	tap_is_int(classify_arena_limit(m, &src), 3,
		   "GLIBC_TUNABLES wins over MALLOC_ARENA_MAX");
	tap_is_str(src, "GLIBC_TUNABLES", "source GLIBC_TUNABLES");
	m->env.read = false;
	tap_is_int(classify_arena_limit(m, &src), 16, "environ unreadable");
	tap_is_str(src, "unknown", "source unknown");
	classify_vmmap(m, NULL);
	tap_is_int(m->narenas, 4, "four arenas");
	classify_vmmap(m, NULL);
	tap_is_int(m->narenas, 4, "classifying again gives the same");
	vmmap_free(m);
}

/* Verified arenas of the four-arena layout with the page size page and
 * every heap_info saying heap_page. */
static size_t verified_with(uint64_t page, uint64_t heap_page)
{
	struct vmmap *m = vmmapfix_four_arenas();
	size_t n = 0;

	m->page_size = page;
	for (size_t i = 0; i < m->nprobes; i++)
		m->probes[i].pagesize = heap_page;
	classify_vmmap(m, NULL);
	for (size_t i = 0; i < m->nregions; i++)
		n += m->regions[i].kind == KIND_ARENA &&
		     (m->regions[i].tags & TAG_VERIFIED);
	vmmap_free(m);
	return n;
}

/* heap_info's pagesize is checked against the system's page size, not
 * against 4096: arm64 kernels run 16 KiB and 64 KiB pages, and
 * glibc.malloc.hugetlb makes heaps of huge pages. */
static void test_page_size(void)
{
	size_t base = verified_with(4096, 4096);

	tap_ok(base > 0, "4 KiB pages: %zu verified regions", base);
	tap_is_int((long long)verified_with(16384, 16384), (long long)base,
		   "16 KiB pages: the same verified");
	tap_is_int((long long)verified_with(65536, 65536), (long long)base,
		   "64 KiB pages: the same verified");
	tap_is_int((long long)verified_with(4096, 2u << 20), (long long)base,
		   "heaps of 2 MiB huge pages: the same verified");
	tap_is_int((long long)verified_with(16384, 4096), 0,
		   "a heap page smaller than the system's: none verified");
	tap_is_int((long long)verified_with(4096, 3000), 0,
		   "a page size that is no power of two: none verified");
}

static void test_go(const struct rules *rules)
{
	struct vmmap *m = vmmapfix_go_program();

	classify_vmmap(m, rules);
	expect(m, 0x640000, KIND_BINARY, "/srv/goserv", 0, "Go bss");
	expect(m, 0xc000000000, KIND_GO_HEAP, "", 0, "Go heap");
	expect(m, 0xc000400000, KIND_GO_HEAP, "", TAG_RESERVED,
	       "Go heap reserved part");
	expect(m, 0x7f1000000000, KIND_GO_RUNTIME, "reserved", TAG_RESERVED,
	       "runtime reservation");
	expect(m, 0x7f1020000000, KIND_GO_RUNTIME, "committed", 0,
	       "runtime committed part");
	expect(m, 0x7f2000000000, KIND_GO_RUNTIME, "committed", 0,
	       "arena-shaped region of a static Go program");
	expect(m, 0x7f2000021000, KIND_GO_RUNTIME, "reserved", TAG_RESERVED,
	       "its ---p tail");
	tap_is_int(m->narenas, 0, "no arena in a static Go program");
	vmmap_free(m);
}

/* Every classifier answers false for the regions outside its classes:
 * classify_vmmap() does not ask it about them. */
static void check_classes(struct vmmap *m, const struct rules *rules,
			  const char *what)
{
	struct classify_ctx c;
	size_t n, wrong = 0;
	const struct classifier *p = classify_pipeline(&n);

	classify_prepare(&c, m, rules, NULL);
	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];
		unsigned w = classify_when_of(r, c.marks[i]);

		for (size_t k = 0; k < n; k++) {
			struct classify_verdict v;

			if (p[k].when & w)
				continue;
			memset(&v, 0, sizeof(v));
			if (p[k].region(&c, i, &v)) {
				tap_diag("%s: %s answers for 0x%llx", what,
					 p[k].name,
					 (unsigned long long)r->start);
				wrong++;
			}
		}
	}
	classify_release(&c);
	tap_is_int((long long)wrong, 0,
		   "classifiers answer only within their classes");
}

static struct region *add(struct vmmap *m, uint64_t start, uint64_t len,
			  const char *perms, const char *path)
{
	return vmmapfix_region(m, start, start + len, perms, path);
}

/* Runs of regions with the same path, each differing from the one
 * before in one input of the classifiers, or marked. */
static struct vmmap *repeats(void)
{
	struct vmmap *m = vmmap_new(400);
	uint64_t a = 0x7f0000000000, pg = 4096;
	struct region *r;

	m->online_cpus = 2;
	m->page_size = pg;
	m->exe.read = true;
	m->exe.path = xstrdup("/usr/bin/rep");
	add(m, 0x400000, pg, "r--p", "/usr/bin/rep");
	add(m, 0x401000, pg, "r-xp", "/usr/bin/rep");
	add(m, 0x402000, pg, "rw-p", "/usr/bin/rep");
	add(m, 0x403000, pg, "rw-p", "");          /* bss */
	add(m, 0x404000, pg, "rw-p", "");          /* like the bss */
	add(m, 0x500000, pg, "r--p", "/data/x");
	add(m, 0x501000, pg, "r--p", "/data/x")->inode = 0;
	add(m, 0x502000, pg, "r--p", "/data/x");
	add(m, 0x503000, pg, "r--s", "/data/x");
	r = add(m, 0x600000, pg, "rw-s", "/dev/zero");
	r->deleted = true;
	add(m, 0x601000, pg, "rw-s", "/dev/zero");
	add(m, 0x700000, pg, "rw-p", "[anon:buf]");
	add(m, 0x701000, pg, "---p", "[anon:buf]");
	add(m, 0x702000, pg, "---p", "[anon:buf]");
	/* an arena by shape, its tail, then a reservation like the tail */
	add(m, a, 0x21000, "rw-p", "");
	add(m, a + 0x21000, (64ULL << 20) - 0x21000, "---p", "");
	add(m, a + (64ULL << 20), pg, "---p", "");
	/* a cached stack below its guard page, then memory like it */
	add(m, a + 0x10000000, pg, "---p", "");
	add(m, a + 0x10001000, 16 * pg, "rw-p", "");
	add(m, a + 0x10011000, 16 * pg, "rw-p", "");
	add(m, a + 0x20000000, pg, "r--p", "/usr/lib/libnss_files.so.2");
	add(m, a + 0x20001000, pg, "r--p", "/usr/lib/libnss_files.so.2");
	/* one file mapped between other mappings, each time differing in
	 * one input from the time before */
	add(m, a + 0x30000000, pg, "r--p", "/data/z");
	add(m, a + 0x30001000, pg, "rw-p", "");
	add(m, a + 0x30002000, pg, "r--p", "/data/z")->deleted = true;
	add(m, a + 0x30003000, pg, "rw-p", "");
	add(m, a + 0x30004000, pg, "r--p", "/data/z")->inode = 0;
	add(m, a + 0x30005000, pg, "rw-p", "");
	add(m, a + 0x30006000, pg, "r--s", "/data/z");
	add(m, a + 0x30007000, pg, "rw-p", "");
	add(m, a + 0x30008000, pg, "r--p", "/data/z");
	/* one inode per file, as in the kernel's maps */
	for (size_t i = 0; i < m->nregions; i++)
		if (m->regions[i].inode)
			m->regions[i].inode = 1000 + strlen(m->regions[i].path);
	return m;
}

static void test_classes(const struct rules *rules)
{
	struct vmmap *m = vmmapfix_c_program();

	check_classes(m, rules, "C program");
	m->nprobes = 0;
	check_classes(m, rules, "C program, no probes");
	vmmap_free(m);
	m = vmmapfix_go_program();
	check_classes(m, rules, "Go program");
	vmmap_free(m);
}

/* Makes regions with equal paths share one string, as the maps reader
 * does for consecutive ones. */
static void share_paths(struct vmmap *m)
{
	for (size_t i = 1; i < m->nregions; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(m->regions[i].path, m->regions[j].path) ==
			    0) {
				m->regions[i].path = m->regions[j].path;
				break;
			}
}

/* A region gets the answer it gets alone, whether or not its path
 * string is shared with the region before it. */
static void test_repeats(const struct rules *rules)
{
	struct vmmap *shared = repeats(), *alone = repeats();
	size_t same = 0;

	share_paths(shared);
	classify_vmmap(shared, rules);
	classify_vmmap(alone, rules);
	for (size_t i = 0; i < shared->nregions; i++) {
		const struct region *x = &shared->regions[i];
		const struct region *y = &alone->regions[i];

		if (x->kind == y->kind && strcmp(x->reason, y->reason) == 0 &&
		    strcmp(x->group, y->group) == 0 && x->tags == y->tags &&
		    x->tid == y->tid && x->arena == y->arena)
			same++;
		else
			tap_diag("region 0x%llx: %s (%s) alone, %s (%s) shared",
				 (unsigned long long)x->start,
				 maptree_kind_name(y->kind), y->reason,
				 maptree_kind_name(x->kind), x->reason);
	}
	tap_is_int((long long)same, (long long)shared->nregions,
		   "a shared path string changes no answer");
	expect(shared, 0x403000, KIND_BINARY, "/usr/bin/rep", 0, "rep: bss");
	expect(shared, 0x404000, KIND_ANON, "", 0, "rep: after the bss");
	expect(shared, 0x7f0000021000 + (64ULL << 20) - 0x21000, KIND_ANON,
	       "", TAG_RESERVED, "rep: after the arena tail");
	expect(shared, 0x7f0010011000, KIND_ANON, "", 0,
	       "rep: after the cached stack");
	expect(shared, 0x503000, KIND_FILE, "/data/x", TAG_SHARED,
	       "rep: x mapped shared");
	expect(shared, 0x7f0020001000, KIND_LIBRARY,
	       "/usr/lib/libnss_files.so.2", TAG_DNS, "rep: 2nd segment");
	tap_is_str(at(shared, 0x501000)->reason, "named mapping without inode",
		   "rep: no inode");
	tap_is_str(at(shared, 0x601000)->reason, "shared mapping of a device",
		   "rep: /dev/zero not deleted");
	tap_is_str(at(shared, 0x701000)->reason,
		   "anonymous reservation (PROT_NONE)", "rep: [anon:buf] ---p");
	expect(shared, 0x7f0030002000, KIND_FILE, "/data/z", TAG_DELETED,
	       "rep: z deleted");
	expect(shared, 0x7f0030008000, KIND_FILE, "/data/z", 0,
	       "rep: z again");
	check_classes(shared, rules, "repeats");
	vmmap_free(shared);
	vmmap_free(alone);
}

/* The index of the classifier called name in the pipeline. */
static unsigned classifier_bit(const char *name)
{
	size_t n;
	const struct classifier *p = classify_pipeline(&n);

	for (size_t k = 0; k < n; k++)
		if (strcmp(p[k].name, name) == 0)
			return 1u << k;
	tap_diag("no classifier called %s", name);
	return 0;
}

/* Checks that v is the complete fallback answer. */
static void expect_fallback(const struct classify_verdict *v,
			    const char *what)
{
	char name[160];

	snprintf(name, sizeof(name), "%s: kind anon", what);
	tap_is_str(maptree_kind_name(v->kind), maptree_kind_name(KIND_ANON),
		   name);
	snprintf(name, sizeof(name), "%s: reason", what);
	tap_is_str(v->reason ? v->reason : "(null)", "unclassified", name);
	tap_ok(v->group == NULL, "%s: no group", what);
	tap_ok(v->tags == 0, "%s: no tags", what);
	tap_ok(v->tid == 0, "%s: no tid", what);
	tap_ok(v->arena == -1, "%s: no arena", what);
}

/* classify_region() answers as classify_vmmap() decided; when no
 * classifier answers, its fallback is a whole answer, whatever *v held. */
static void test_fallback(const struct rules *rules)
{
	struct vmmap *m = vmmapfix_c_program();
	const struct region *heap = at(m, 0x55d0c1000000);
	const struct region *stack = at(m, 0x7f0020001000);
	struct classify_verdict v;
	struct classify_ctx c;
	size_t same = 0, hi, si;

	classify_vmmap(m, rules);
	classify_prepare(&c, m, rules, NULL);
	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		classify_region(&c, i, &v);
		if (v.kind == r->kind && v.reason &&
		    strcmp(v.reason, r->reason) == 0)
			same++;
		else
			tap_diag("region 0x%llx: %s, classify_vmmap %s",
				 (unsigned long long)r->start,
				 v.reason ? v.reason : "(null)", r->reason);
	}
	tap_is_int((long long)same, (long long)m->nregions,
		   "classify_region() agrees with classify_vmmap()");
	if (!tap_ok(heap && stack, "the layout has [heap] and a stack"))
		goto out;
	hi = (size_t)(heap - m->regions);
	si = (size_t)(stack - m->regions);

	/* no classifier to ask at all */
	memset(c.ask, 0, sizeof(c.ask));
	memset(&v, 0xa5, sizeof(v));
	classify_region(&c, hi, &v);
	expect_fallback(&v, "empty ask mask");

	/* only classifiers that decline: binlib and arena say nothing
	 * about a thread stack */
	for (size_t w = 0; w < sizeof(c.ask) / sizeof(c.ask[0]); w++)
		c.ask[w] = (uint16_t)(classifier_bit("binlib") |
				      classifier_bit("arena"));
	memset(&v, 0xa5, sizeof(v));
	classify_region(&c, si, &v);
	expect_fallback(&v, "all asked decline");
out:
	classify_release(&c);
	vmmap_free(m);
}

#define MIB (1ULL << 20)
#define STK(k) (0x7f0020000000ULL + (uint64_t)(k) * (MIB + 4096))

/* A C program (pid 500) with four 1 MiB stacks with guards, STK(0)
 * lowest: thread 501's stack pointer in STK(1), threads 502 and 503
 * running when read, the main thread too. */
static struct vmmap *four_stacks(void)
{
	struct vmmap *m = vmmap_new(500);

	m->online_cpus = 2;
	m->page_size = 4096;
	m->exe.read = true;
	m->exe.path = xstrdup("/usr/bin/st");
	add(m, 0x400000, 4096, "r-xp", "/usr/bin/st");
	for (int k = 0; k < 4; k++) {
		add(m, STK(k), 4096, "---p", "");
		add(m, STK(k) + 4096, MIB, "rw-p", "");
	}
	add(m, 0x7ffc00000000, 0x21000, "rw-p", "[stack]");
	vmmapfix_thread(m, 500, "main", 0, SP_RUNNING);
	vmmapfix_thread(m, 501, "blocked", STK(1) + MIB - 64, SP_OK);
	vmmapfix_thread(m, 502, "spin", 0, SP_RUNNING);
	vmmapfix_thread(m, 503, "spin", 0, SP_RUNNING);
	return m;
}

/* The TID of the stack (not the guard) at STK(k), 0 when unowned. */
static int owner(const struct vmmap *m, int k)
{
	const struct region *r = at(m, STK(k) + 4096);
	const struct region *g = at(m, STK(k));

	if (!r || !g || r->kind != KIND_THREAD_STACK || g->tid != r->tid ||
	    !(g->tags & TAG_GUARD))
		return -1;
	return r->tid;
}

/* Stack-shaped regions that no stack pointer claimed go to the live
 * threads without one before anything is called cached. */
static void test_running_stacks(const struct rules *rules)
{
	struct vmmap *m = four_stacks();
	struct classify_stack_owner was[3];
	struct classify_history h = { was, 3 };

	classify_vmmap(m, rules);
	tap_is_int(owner(m, 1), 501, "the stack pointer's stack");
	tap_is_int(owner(m, 3), 502, "highest free stack: lowest TID");
	tap_is_int(owner(m, 2), 503, "next one: next TID");
	tap_is_int(owner(m, 0), 0, "one left: cached");
	tap_ok(strstr(at(m, STK(3) + 4096)->reason, "running") != NULL,
	       "the reason says the thread was running: %s",
	       at(m, STK(3) + 4096)->reason);
	tap_ok(strstr(at(m, STK(0) + 4096)->reason, "cached") != NULL,
	       "the leftover is a cached stack: %s",
	       at(m, STK(0) + 4096)->reason);
	tap_is_int(at(m, 0x7ffc00000000)->kind, KIND_MAIN_STACK,
		   "the running main thread keeps [stack]");

	/* an earlier refresh's owners stay, for threads alive and without
	 * a stack pointer; a dead thread's or a changed region's do not */
	was[0] = (struct classify_stack_owner){ STK(0) + 4096,
						STK(0) + 4096 + MIB, 503 };
	was[1] = (struct classify_stack_owner){ STK(2) + 4096,
						STK(2) + 4096 + MIB / 2, 777 };
	was[2] = (struct classify_stack_owner){ STK(3) + 4096,
						STK(3) + 4096 + MIB, 599 };
	classify_vmmap_with(m, rules, &h);
	tap_is_int(owner(m, 0), 503, "503 keeps its stack from before");
	tap_ok(strstr(at(m, STK(0) + 4096)->reason, "kept") != NULL,
	       "the reason says so: %s", at(m, STK(0) + 4096)->reason);
	tap_is_int(owner(m, 3), 502, "an exited thread's entry is not used");
	tap_is_int(owner(m, 2), 0, "nor one for another region");
	tap_is_int(owner(m, 1), 501, "a stack pointer beats the history");

	/* the history cannot take a stack from its stack pointer's owner */
	was[0] = (struct classify_stack_owner){ STK(1) + 4096,
						STK(1) + 4096 + MIB, 502 };
	h.nstacks = 1;
	classify_vmmap_with(m, rules, &h);
	tap_is_int(owner(m, 1), 501, "501's stack stays 501's");
	tap_is_int(owner(m, 3), 502, "502 gets a free one");

	/* the same answer at every refresh, when each feeds the next */
	for (int round = 0, same = 1; round < 5; round++) {
		struct classify_stack_owner o[4];
		size_t n = 0;
		int before[4];

		for (int k = 0; k < 4; k++) {
			before[k] = owner(m, k);
			if (before[k] > 0)
				o[n++] = (struct classify_stack_owner){
					STK(k) + 4096, STK(k) + 4096 + MIB,
					before[k]
				};
		}
		h.stacks = o;
		h.nstacks = n;
		/* 503 blocks for a moment: its stack pointer is seen */
		m->threads[3].sp_status = round == 2 ? SP_OK : SP_RUNNING;
		m->threads[3].sp = round == 2 ? STK(2) + 8192 : 0;
		classify_vmmap_with(m, rules, &h);
		for (int k = 0; k < 4; k++)
			same &= round == 2 || owner(m, k) == before[k];
		if (round == 4)
			tap_ok(same, "owners stay from refresh to refresh");
		if (round == 2)
			tap_is_int(owner(m, 2), 503, "503 seen in STK(2)");
	}
	check_classes(m, rules, "running threads");
	vmmap_free(m);
}

/* A Go program built with cgo (dynamic, libc): a plain file mapped r--s
 * is a file; device memory mapped shared is shared; the Go runtime's
 * anonymous memory is reserved or committed. */
static void test_misfiled(const struct rules *rules)
{
	struct vmmap *m = vmmap_new(600);
	const char *libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
	const char *lib = "/usr/lib/libfoo.so.1";
	const char *gconv = "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache";
	uint64_t l = 0x7f0040000000, a = 0x7f0044000000;

	m->online_cpus = 2;
	m->page_size = 4096;
	m->exe.read = true;
	m->exe.path = xstrdup("/srv/gocgo");
	m->exe.interp = xstrdup("/lib64/ld-linux-x86-64.so.2");
	m->exe.is_go = true;
	m->exe.go_cgo = 1;
	m->exe.imports_libc = true;
	add(m, 0x400000, 0x1000, "r-xp", "/srv/gocgo");
	add(m, 0x401000, 0x1000, "rw-p", "/srv/gocgo");
	add(m, 0x402000, 0x3000, "rw-p", "");
	add(m, l, 0x26000, "r--p", libc);
	add(m, l + 0x26000, 0x156000, "r-xp", libc);
	add(m, l + 0x17c000, 0x57000, "r--p", libc);
	add(m, l + 0x1d3000, 0x2000, "rw-p", libc);
	add(m, l + 0x1d5000, 0xd000, "rw-p", "");
	/* a library mapped right below an arena-shaped reservation: its
	 * rw-p part is not the library's bss */
	add(m, a - 0x2000, 0x1000, "r-xp", lib);
	add(m, a - 0x1000, 0x1000, "rw-p", lib);
	add(m, a, 0x21000, "rw-p", "");
	add(m, a + 0x21000, (64ULL << 20) - 0x21000, "---p", "");
	add(m, 0x7f0050000000, 0x8000, "r--s", gconv);
	add(m, 0x7f0050100000, 0x100000, "rw-s", "/dev/dri/card0");
	classify_vmmap(m, rules);
	expect(m, 0x402000, KIND_BINARY, "/srv/gocgo", 0, "Go exe's bss");
	expect(m, a, KIND_ARENA, NULL, 0, "cgo's arena right after a library");
	expect(m, 0x7f0050000000, KIND_FILE, gconv, TAG_SHARED,
	       "gconv-modules.cache mapped r--s");
	expect(m, 0x7f0050100000, KIND_SHARED, "/dev/dri/card0", 0,
	       "device memory mapped shared");
	check_classes(m, rules, "misfiled");
	vmmap_free(m);
}

static void test_rules(void)
{
	struct rules *r = NULL;
	const char *bad[] = { "(unclosed" };
	const char *extra[] = { "libmydns\\.so" };
	char err[128] = "";

	tap_is_int(rules_new(bad, 1, &r, err, sizeof(err)), -EINVAL,
		   "an invalid extra pattern is refused");
	tap_ok(strstr(err, "offset") != NULL, "with its offset: %s", err);
	tap_is_int(rules_new(extra, 1, &r, err, sizeof(err)), 0,
		   "extra patterns compile");
	tap_ok(rules_match_dns(r, "/usr/lib/libmydns.so.1", 22),
	       "extra pattern matches");
	tap_ok(rules_match_dns(r, "/lib/libresolv.so.2", 19),
	       "default pattern still matches");
	tap_ok(!rules_match_dns(r, "/lib/libc.so.6", 14),
	       "libc is not resolver related");
	rules_free(r);
}

int main(void)
{
	struct rules *rules = NULL;
	char err[128];

	if (!tap_ok(rules_new(NULL, 0, &rules, err, sizeof(err)) == 0,
		    "default rules compile"))
		return tap_done();
	test_c_program(rules);
	test_no_rules_no_probes();
	test_limits();
	test_page_size();
	test_go(rules);
	test_classes(rules);
	test_repeats(rules);
	test_fallback(rules);
	test_running_stacks(rules);
	test_misfiled(rules);
	test_rules();
	rules_free(rules);
	return tap_done();
}
