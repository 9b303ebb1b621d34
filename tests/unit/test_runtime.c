/* test_runtime: runtime detection, the runtime headers' checks, and the
 * named, V8 and CPython classifiers on captured maps text
 * (tests/fixtures/runtime): node 20 as captured here, and from the
 * runtimes' documented layouts what cannot be installed here (node with
 * pointer compression, a V8 sandbox, .NET's doublemapper, Go 1.25's,
 * glibc's and tcmalloc's named regions).  The headers a live process
 * would give are the ones read from the captured node (REFERENCE.md
 * 7.2). */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/classify.h"
#include "vmtop/exeinfo.h"
#include "vmtop/maps.h"
#include "vmtop/maptree.h"
#include "vmtop/rtpeek.h"
#include "vmtop/rules.h"
#include "vmtop/runtime.h"
#include "vmtop/vmmap.h"

static char srcdir[PATH_MAX - 64];

static struct vmmap *load(const char *name)
{
	char path[PATH_MAX];
	struct vmmap *m = vmmap_new(4242);
	char *buf = malloc(1 << 20);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/tests/fixtures/runtime/%s", srcdir,
		 name);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, (1 << 20) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0 || maps_parse_text(m, buf, (size_t)n, false) < 0) {
		tap_diag("cannot load %s", path);
		abort();
	}
	free(buf);
	m->page_size = 4096;
	return m;
}

static void classify(struct vmmap *m)
{
	struct rules *r = NULL;
	char err[128];

	if (rules_new(NULL, 0, &r, err, sizeof(err)) != 0)
		abort();
	classify_vmmap(m, r);
	rules_free(r);
}

static const struct region *at(const struct vmmap *m, uint64_t addr)
{
	size_t i = vmmap_find(m, addr);

	return i == SIZE_MAX ? NULL : &m->regions[i];
}

static enum region_kind kind_at(const struct vmmap *m, uint64_t addr)
{
	const struct region *r = at(m, addr);

	return r ? r->kind : KIND_NONE;
}

/* Sum of the sizes of kind k's regions, and whether they are one run. */
static uint64_t kind_size(const struct vmmap *m, enum region_kind k)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < m->nregions; i++)
		if (m->regions[i].kind == k)
			sum += m->regions[i].end - m->regions[i].start;
	return sum;
}

static void v8_probe(struct vmmap *m, uint64_t addr, uint64_t size,
		     uint64_t heap, uint64_t as, uint64_t ae)
{
	struct rt_probe *p;

	m->rtprobes = realloc(m->rtprobes,
			      (m->nrtprobes + 1) * sizeof(*m->rtprobes));
	p = &m->rtprobes[m->nrtprobes++];
	memset(p, 0, sizeof(*p));
	p->addr = addr;
	p->kind = RTP_V8_PAGE;
	p->v[0] = size;
	p->v[1] = 4;
	p->v[2] = heap;
	p->v[3] = as;
	p->v[4] = ae;
}

static void pool_probe(struct vmmap *m, uint64_t addr, uint64_t pools,
		       uint64_t arenas)
{
	struct rt_probe *p;

	m->rtprobes = realloc(m->rtprobes,
			      (m->nrtprobes + 1) * sizeof(*m->rtprobes));
	p = &m->rtprobes[m->nrtprobes++];
	memset(p, 0, sizeof(*p));
	p->addr = addr;
	p->kind = RTP_PYMALLOC;
	p->v[0] = pools;
	p->v[1] = arenas;
	p->v[2] = 1 << 20;
	p->v[3] = 1 << 14;
}

static void test_node20(void)
{
	struct vmmap *m = load("node20.maps");
	const struct region *r;

	runtime_detect(m);
	tap_is_int(m->rt.rt, RT_V8, "node 20: V8 by its executable's name");
	tap_is_str(m->rt.evidence, "node executable mapped", "its evidence");
	tap_is_int(m->rt.alloc, ALLOC_GLIBC, "node 20: glibc malloc only");
	/* headers as read from the captured process */
	v8_probe(m, 0x4a8c4f00000, 0x40000, 0xc89a360, 0x4a8c4f01148,
		 0x4a8c4f40000);
	v8_probe(m, 0x406e1f40000, 0x42000, 0xc89a360, 0x406e1f41148,
		 0x406e1f81158);
	v8_probe(m, 0x3eb75c6c0000, 0xd000, 0, 0x3eb75c6c0060,
		 0x3eb75c6cd000);
	/* a header that does not give its region's size */
	v8_probe(m, 0xc68f0c40000, 0x20000, 0xc89a360, 0xc68f0c41148,
		 0xc68f0c60000);
	/* another heap's pointer */
	v8_probe(m, 0x131aa20c0000, 0x40000, 0xdead000, 0x131aa20c1148,
		 0x131aa2100000);
	classify(m);
	tap_is_int((long long)kind_size(m, KIND_V8_CODE_RANGE), 512ll << 20,
		   "node 20: the code range is 512 MiB exactly");
	tap_is_int(kind_at(m, 0x7f9c23e40000), KIND_V8_CODE_RANGE,
		   "the builtins' copy of /usr/bin/node is in the code range");
	tap_is_int(kind_at(m, 0x7f9c24000000), KIND_ARENA,
		   "the arena right after it is not");
	tap_is_int(kind_at(m, 0x4a8c4f00000), KIND_V8_HEAP,
		   "a page whose header checks out is v8_heap");
	tap_is_int(kind_at(m, 0x406e1f40000), KIND_V8_HEAP,
		   "a 264 KiB page too");
	tap_is_int(kind_at(m, 0x3eb75c6c0000), KIND_V8_HEAP,
		   "the read-only space (no Heap pointer) too");
	tap_is_int(kind_at(m, 0xc68f0c40000), KIND_ANON,
		   "a header of another size: no evidence, anon");
	tap_is_int(kind_at(m, 0x131aa20c0000), KIND_ANON,
		   "a header of another heap: anon");
	tap_is_int(kind_at(m, 0x16be06640000), KIND_ANON,
		   "a page not read: anon");
	r = at(m, 0x4a8c4f00000);
	tap_ok(r && strstr(r->reason, "header"), "the reason names the header");
	r = at(m, 0x7f9c04000000);
	tap_ok(r && strstr(r->reason, "512 MiB"),
	       "the code range's reason names its size");
	vmmap_free(m);
}

static void test_node_pc(void)
{
	struct vmmap *m = load("node-pc.maps");

	runtime_detect(m);
	tap_is_int(m->rt.rt, RT_V8, "node (pointer compression): V8");
	v8_probe(m, 0x1f4c00000000, 0x40000, 0x5000, 0x1f4c00001148,
		 0x1f4c00040000);
	v8_probe(m, 0x1f4c00100000, 0x40000, 0x5000, 0x1f4c00101148,
		 0x1f4c00140000);
	v8_probe(m, 0x3a0000000000, 0x40000, 0x5000, 0x3a0000001148,
		 0x3a0000040000);
	classify(m);
	tap_is_int((long long)kind_size(m, KIND_V8_CODE_RANGE), 128ll << 20,
		   "pointer compression: a 128 MiB code range");
	tap_is_int(kind_at(m, 0x7f2c15e40000), KIND_V8_CODE_RANGE,
		   "with the builtins' copy");
	tap_is_int(kind_at(m, 0x7f2c18000000), KIND_ARENA,
		   "not the arena after it");
	tap_is_int(kind_at(m, 0x1f4c00000000), KIND_V8_HEAP,
		   "a page in the cage is a heap page");
	tap_is_int(kind_at(m, 0x1f4c00100000), KIND_V8_CAGE,
		   "two pages in one region: the cage's");
	tap_is_int((long long)(kind_size(m, KIND_V8_CAGE) +
			       (256 << 10)), 4ll << 30,
		   "the cage and its page are 4 GiB");
	tap_is_int(kind_at(m, 0x3a0000000000), KIND_V8_HEAP,
		   "a page outside the cage");
	tap_is_int(kind_at(m, 0x7f2c1e000000), KIND_ANON,
		   "an 8 MiB malloc block stays anon");
	vmmap_free(m);
}

static void test_sandbox(void)
{
	struct vmmap *m = load("node-sandbox.maps");

	runtime_detect(m);
	tap_is_int(m->rt.rt, RT_NONE, "electron by name: not known");
	m->exe.read = true;
	m->exe.syms = EXE_SYM_V8;
	runtime_detect(m);
	tap_is_int(m->rt.rt, RT_V8, "by V8's API in its executable: V8");
	classify(m);
	tap_is_int((long long)kind_size(m, KIND_V8_CAGE), (1ll << 40) +
		   (64ll << 30), "the sandbox and its guards: 1 TiB + 64 GiB");
	tap_is_int(kind_at(m, 0x201000000000), KIND_ANON,
		   "the region after it is not the sandbox's");
	vmmap_free(m);
}

static void test_no_runtime(void)
{
	struct vmmap *m = load("node-pc.maps");

	/* the same layout in a program that is not V8: shapes alone name
	 * nothing */
	for (size_t i = 0; i < m->nregions; i++)
		if (strstr(m->regions[i].path, "node"))
			m->regions[i].path = "/usr/bin/other";
	runtime_detect(m);
	tap_is_int(m->rt.rt, RT_NONE, "not node: no runtime");
	classify(m);
	tap_is_int((long long)kind_size(m, KIND_V8_CODE_RANGE) +
		   (long long)kind_size(m, KIND_V8_CAGE), 0,
		   "not node: no V8 kind");
	vmmap_free(m);
}

static void test_named(void)
{
	struct vmmap *m = load("named.maps");
	const struct region *r;

	runtime_detect(m);
	classify(m);
	tap_is_int(kind_at(m, 0xc000000000), KIND_GO_HEAP,
		   "[anon: Go: heap] is go_heap");
	tap_is_int(kind_at(m, 0xc000400000), KIND_GO_HEAP,
		   "[anon: Go: heap reservation] is go_heap");
	tap_is_int(kind_at(m, 0x7f8a50500000), KIND_GO_RUNTIME,
		   "[anon: Go: page alloc] is go_runtime");
	tap_is_int(kind_at(m, 0x7f8a10000000), KIND_ARENA,
		   "[anon: glibc: malloc arena] is an arena");
	tap_is_int(kind_at(m, 0x7f8a10021000), KIND_ARENA,
		   "its ---p part too");
	tap_is_int(kind_at(m, 0x7f8a50600000), KIND_PYMALLOC,
		   "[anon:cpython:pymalloc] is pymalloc");
	r = at(m, 0x7f8a20000000);
	tap_ok(r && r->kind == KIND_ALLOCATOR &&
	       strstr(r->reason, "named by tcmalloc") &&
	       !strcmp(r->group, "tcmalloc"),
	       "tcmalloc's region: allocator, group tcmalloc");
	r = at(m, 0x7f8a50000000);
	tap_ok(r && r->kind == KIND_MALLOC_BLOCK &&
	       strstr(r->reason, "M_MMAP_THRESHOLD"),
	       "[anon: glibc: malloc]: a malloc_block, by its name");
	r = at(m, 0x7f8a50700000);
	tap_ok(r && r->kind == KIND_ANON &&
	       !strcmp(r->group, "[anon:some other name]") &&
	       !strstr(r->reason, "named by"),
	       "an unknown name: anon, grouped by it");
	vmmap_free(m);
}

static void test_dotnet(void)
{
	struct vmmap *m = load("dotnet.maps");
	const struct region *r;

	runtime_detect(m);
	tap_is_int(m->rt.rt, RT_DOTNET, ".NET by libcoreclr.so");
	classify(m);
	r = at(m, 0x7f3a00000000);
	tap_ok(r && r->kind == KIND_SHARED && strstr(r->reason, ".NET") &&
	       strstr(r->reason, "DOTNET_EnableWriteXorExecute"),
	       "doublemapper rw-s: .NET's, with its knob");
	r = at(m, 0x7f3a00010000);
	tap_ok(r && r->kind == KIND_SHARED && strstr(r->reason, ".NET"),
	       "doublemapper r-xs too");
	vmmap_free(m);
}

static void test_python(void)
{
	struct vmmap *m = load("python311.maps");

	runtime_detect(m);
	tap_is_int(m->rt.rt, RT_PYTHON, "python3.11: CPython");
	tap_is_str(m->rt.version, "3.11", "its version from the name");
	/* what rtpeek read on the captured process (REFERENCE.md 7.3) */
	pool_probe(m, 0x7ff03edf1000, 441, 7);  /* 7 MiB: 7 arenas */
	pool_probe(m, 0x7ff0453cb000, 378, 6);  /* 6664 KiB: 6 + 520 KiB */
	pool_probe(m, 0x7ff03e8e9000, 0, 0);    /* a 5 MiB malloc block */
	pool_probe(m, 0x7ff03f76a000, 200, 4);  /* 8 MiB, only 4 arenas */
	classify(m);
	tap_is_int(kind_at(m, 0x7ff03edf1000), KIND_PYMALLOC,
		   "7 arenas in 7 MiB: pymalloc");
	tap_is_int(kind_at(m, 0x7ff0453cb000), KIND_PYMALLOC,
		   "6 arenas and less than one arena more: pymalloc");
	tap_is_int(kind_at(m, 0x7ff03e8e9000), KIND_ANON,
		   "no pool header: anon");
	tap_is_int(kind_at(m, 0x7ff03f76a000), KIND_ANON,
		   "4 MiB of arenas in 8 MiB: no evidence for the rest, anon");
	tap_is_int(kind_at(m, 0x7ff040064000), KIND_ANON,
		   "a region not read: anon");
	vmmap_free(m);
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void test_pool_checks(void)
{
	unsigned char h[RTPEEK_POOL_HEADER] = { 0 };
	uint32_t arena = 0, a, p;

	tap_ok(!rtpeek_pool_ok(h, 16384, &arena), "a zero page: no pool");
	put32(h + 32, 17);
	put32(h + 36, 3);               /* 64-byte blocks */
	put32(h + 40, 48 + 2 * 64);
	put32(h + 44, 16384 - 64);
	tap_ok(rtpeek_pool_ok(h, 16384, &arena) && arena == 17,
	       "a fresh pool of 64-byte blocks, arena 17");
	tap_ok(!rtpeek_pool_ok(h, 4096, &arena),
	       "the same header for 4 KiB pools: no");
	put32(h + 40, 16384);
	tap_ok(rtpeek_pool_ok(h, 16384, &arena), "a full pool");
	put32(h + 40, 16384 + 16);
	tap_ok(!rtpeek_pool_ok(h, 16384, &arena), "nextoffset past the end");
	put32(h + 40, 48);
	put32(h + 36, 32);
	tap_ok(!rtpeek_pool_ok(h, 16384, &arena), "size class 32: no");
	tap_ok(rtpeek_pymalloc_sizes("3.11", &a, &p) && a == 1u << 20 &&
	       p == 1u << 14, "3.11: 1 MiB arenas, 16 KiB pools");
	tap_ok(rtpeek_pymalloc_sizes("3.9", &a, &p) && a == 1u << 18 &&
	       p == 1u << 12, "3.9: 256 KiB arenas, 4 KiB pools");
	tap_ok(!rtpeek_pymalloc_sizes("", &a, &p) &&
	       !rtpeek_pymalloc_sizes("3.x", &a, &p),
	       "no version: no sizes");
}

/* One mapped file in an otherwise empty process. */
static struct vmmap *one_file(const char *path)
{
	struct vmmap *m = vmmap_new(1);
	struct region *r = vmmap_add_region(m);

	r->start = 0x400000;
	r->end = 0x401000;
	r->inode = 7;
	r->path = vmmap_strdup(m, path);
	memcpy(r->perms, "r-xp", 4);
	runtime_detect(m);
	return m;
}

static void test_detect_names(void)
{
	static const struct {
		const char *path;
		enum vmmap_runtime rt;
		const char *version;
		unsigned alloc;
	} cases[] = {
		{ "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
		  RT_JVM, "17", 0 },
		{ "/usr/lib/x86_64-linux-gnu/libpython3.12.so.1.0", RT_PYTHON,
		  "3.12", 0 },
		{ "/usr/bin/python3.11", RT_PYTHON, "3.11", 0 },
		{ "/usr/bin/python3.11-config", RT_NONE, "", 0 },
		{ "/usr/lib/libnode.so.108", RT_V8, "", 0 },
		{ "/usr/bin/nodejs", RT_V8, "", 0 },
		{ "/usr/lib/postgresql/15/bin/postgres", RT_POSTGRES, "15", 0 },
		{ "/usr/lib/erlang/erts-13.1.5/bin/beam.smp", RT_ERLANG, "", 0 },
		{ "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", RT_NONE, "",
		  ALLOC_JEMALLOC },
		{ "/usr/lib/libtcmalloc_minimal.so.4", RT_NONE, "",
		  ALLOC_TCMALLOC },
		{ "/usr/lib/libmimalloc.so.2", RT_NONE, "", ALLOC_MIMALLOC },
		{ "/lib/ld-musl-x86_64.so.1", RT_NONE, "", ALLOC_MUSL },
		{ "/usr/lib/x86_64-linux-gnu/libc.so.6", RT_NONE, "",
		  ALLOC_GLIBC },
		{ "/usr/lib/libjemalloc_wrapper.so", RT_NONE, "", 0 },
		{ "/home/u/node_modules/x.node", RT_NONE, "", 0 },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		struct vmmap *m = one_file(cases[k].path);

		tap_ok(m->rt.rt == cases[k].rt &&
		       !strcmp(m->rt.version, cases[k].version) &&
		       m->rt.alloc == cases[k].alloc,
		       "%s: runtime %d version '%s' alloc %#x", cases[k].path,
		       cases[k].rt, cases[k].version, cases[k].alloc);
		vmmap_free(m);
	}
	tap_is_str(maptree_alloc_name(maptree_alloc_primary(
			   ALLOC_GLIBC | ALLOC_JEMALLOC)), "jemalloc",
		   "jemalloc serves malloc before glibc");
	tap_is_str(maptree_runtime_name(RT_JVM), "Java", "RT_JVM is Java");
}

static const char *insight(const struct maptree *t, const char *id)
{
	for (size_t k = 0; k < t->ninsights; k++)
		if (!strcmp(t->insights[k].id, id))
			return t->insights[k].text;
	return "";
}

/* The sentences' conditions: a PROT_NONE region is never malloc's; the
 * stacks' knob is the runtime's. */
static void test_insights(void)
{
	struct vmmap *m = load("node-pc.maps");
	struct maptree *t;
	const char *s;

	for (size_t i = 0; i < m->nregions; i++)
		if (strstr(m->regions[i].path, "node"))
			m->regions[i].path = "/usr/bin/other";
	runtime_detect(m);
	m->rt.rt = RT_JVM;      /* as if libjvm.so were mapped */
	classify(m);
	t = maptree_build(m);
	s = insight(t, "anon_large");
	tap_ok(strstr(s, "1 anonymous mapping") && strstr(s, "8 MiB") &&
	       strstr(s, "M_MMAP_THRESHOLD"),
	       "the 8 MiB rw-p block may be malloc's: %s", s);
	s = insight(t, "anon_reserved");
	tap_ok(strstr(s, "PROT_NONE") && !strstr(s, "M_MMAP_THRESHOLD") &&
	       strstr(s, "not malloc"),
	       "PROT_NONE reservations are not blamed on malloc: %s", s);
	s = insight(t, "thread_stacks");
	tap_ok(strstr(s, "-Xss") && !strstr(s, "ulimit -s or"),
	       "a JVM's stacks: -Xss, not ulimit -s: %s", s);
	maptree_free(t);
	vmmap_free(m);

	m = load("node-pc.maps");
	runtime_detect(m);
	m->rt.alloc |= ALLOC_JEMALLOC;
	v8_probe(m, 0x3a0000000000, 0x40000, 0x5000, 0x3a0000001148,
		 0x3a0000040000);
	v8_probe(m, 0x1f4c00000000, 0x40000, 0x5000, 0x1f4c00001148,
		 0x1f4c00040000);
	classify(m);
	t = maptree_build(m);
	s = insight(t, "v8");
	tap_ok(strstr(s, "128 MiB") && strstr(s, "--max-old-space-size") &&
	       strstr(s, "cage"), "node: the V8 sentence: %s", s);
	s = insight(t, "anon_large");
	tap_ok(strstr(s, "jemalloc's memory") &&
	       !strstr(s, "M_MMAP_THRESHOLD"),
	       "with jemalloc, large blocks are not glibc's: %s", s);
	tap_ok(strstr(insight(t, "thread_stacks"), "UV_THREADPOOL_SIZE") != NULL,
	       "node's stacks: UV_THREADPOOL_SIZE");
	maptree_free(t);
	vmmap_free(m);
}

/* The executables of this machine, where installed: their symbols. */
static void test_exe_syms(void)
{
	static const struct {
		const char *path;
		unsigned bit;
	} exes[] = {
		{ "/usr/bin/node", EXE_SYM_V8 },
		{ "/usr/bin/python3.11", EXE_SYM_PYTHON },
	};
	struct exeinfo ei;

	for (size_t k = 0; k < sizeof(exes) / sizeof(*exes); k++) {
		int fd = open(exes[k].path, O_RDONLY);

		if (fd < 0) {
			tap_ok(true, "# SKIP %s not installed", exes[k].path);
			continue;
		}
		tap_ok(exeinfo_read_fd(fd, &ei) == 0 &&
		       (ei.syms & exes[k].bit) &&
		       !(ei.syms & (ALLOC_JEMALLOC | ALLOC_TCMALLOC)),
		       "%s: its runtime's symbol, no allocator's",
		       exes[k].path);
		close(fd);
	}
	{
		int fd = open("/bin/true", O_RDONLY);

		tap_ok(fd >= 0 && exeinfo_read_fd(fd, &ei) == 0 &&
		       ei.syms == 0, "/bin/true: none");
		if (fd >= 0)
			close(fd);
	}
}

int main(void)
{
	const char *top = getenv("TOP_SRCDIR");

	snprintf(srcdir, sizeof(srcdir), "%s", top ? top : ".");
	test_node20();
	test_node_pc();
	test_sandbox();
	test_no_runtime();
	test_named();
	test_dotnet();
	test_python();
	test_pool_checks();
	test_detect_names();
	test_insights();
	test_exe_syms();
	return tap_done();
}
