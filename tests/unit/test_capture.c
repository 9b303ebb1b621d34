/* test_capture: the facts of a capture written and read back field by
 * field, the manifest, the names a capture's entries may have, and the
 * environment kept for it: environ_parse() finds the same knobs in what
 * knobs_keep_environ() keeps as in the whole block, and nothing else is
 * kept.  The same for the knobs view: knobs_parse_environ() finds the
 * same knobs in the kept environ (of *_OPTIONS only the memory options,
 * never a -Dpassword=), and its cgroup facts read back. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/capsrc.h"
#include "vmtop/capture.h"
#include "vmtop/environ.h"
#include "vmtop/hsperf.h"
#include "vmtop/knobs.h"
#include "vmtop/strbuf.h"
#include "vmtop/vmmap.h"
#include "vmtop/xalloc.h"

/* Field by field: a struct's padding is not part of what is kept. */
static bool heap_probe_eq(const struct heap_probe *a,
			  const struct heap_probe *b)
{
	return a->addr == b->addr && a->ar_ptr == b->ar_ptr &&
	       a->prev == b->prev && a->size == b->size &&
	       a->mprotect_size == b->mprotect_size &&
	       a->pagesize == b->pagesize && a->err == b->err &&
	       a->has_state == b->has_state && a->next == b->next &&
	       a->system_mem == b->system_mem;
}

static bool chunk_walk_eq(const struct chunk_walk *a,
			  const struct chunk_walk *b)
{
	return a->addr == b->addr && a->covered == b->covered &&
	       a->nchunks == b->nchunks && a->complete == b->complete &&
	       a->cut == b->cut && a->err == b->err;
}

static void test_facts(void)
{
	struct vmmap *m = vmmap_new(42), *r = vmmap_new(42);
	struct strbuf sb = STRBUF_INIT;
	struct heap_probe p = { 0x7f0000000000, 0x7f0000000030, 0, 135168,
				135168, 4096, 0, true, 0x7f00000aa000,
				1 << 20 };
	struct chunk_walk c[2] = { { 0x1000, 8192, 2, true, false, 0 },
				   { 0x9000, 0, 0, false, true, 14 } };
	struct rt_probe rp = { 0x5000, RTP_PYMALLOC, 0, { 3, 1, 1 << 20,
							    16384, 0 } };

	m->missing = MISSING_MEMORY | MISSING_PIDNS | MISSING_MAPS;
	m->exe.read = true;
	m->exe.is_go = true;
	m->exe.go_cgo = 1;
	m->exe.syms = ALLOC_JEMALLOC | EXE_SYM_V8;
	m->exe.path = xstrdup("/opt/my app/bin%x\n");
	m->exe.interp = xstrdup("/lib64/ld-linux-x86-64.so.2");
	m->exe.go_version = xstrdup("go1.22.1");
	m->exe.go_tags = xstrdup("");
	m->solibs = xcalloc(1, sizeof(*m->solibs));
	m->nsolibs = 1;
	m->solibs[0] = (struct vmsolib){ vmmap_intern_path(m, "/lib/a b.so",
							   11), 0x7f10, 0x8000,
					 0xa000 };
	m->probes = xmalloc(sizeof(p));
	m->probes[0] = p;
	m->nprobes = 1;
	m->chunks = xmalloc(sizeof(c));
	memcpy(m->chunks, c, sizeof(c));
	m->nchunks = 2;
	m->rtprobes = xmalloc(sizeof(rp));
	m->rtprobes[0] = rp;
	m->nrtprobes = 1;
	hsperf_jvm_init(&m->jvm);
	m->jvm.perf_err = 0;
	m->jvm.ngens = 2;
	m->jvm.gen[1].max = 1 << 30;
	m->jvm.xss = 1 << 20;
	m->jvm.gc = VMJVM_GC_Z;
	strcpy(m->jvm.collector, "Z collector");
	strcpy(m->jvm.version, "17.0.9");

	capture_facts_format(&sb, m);
	tap_ok(strlen(sb.buf) == sb.len,
	       "the facts are text");
	tap_is_int(capture_facts_parse(sb.buf, sb.len, r), 0,
		   "the facts read back");
	tap_is_int(r->missing, MISSING_MEMORY | MISSING_PIDNS,
		   "missing: memory and pidns, not maps (the files say)");
	tap_ok(r->exe.read && r->exe.is_go && r->exe.go_cgo == 1 &&
	       r->exe.syms == m->exe.syms && !r->exe.is_static,
	       "exe's flags");
	tap_is_str(r->exe.path, m->exe.path, "a path with a space, % and "
		   "a newline");
	tap_is_str(r->exe.interp, m->exe.interp, "interp");
	tap_is_str(r->exe.go_version, "go1.22.1", "go version");
	tap_is_str(r->exe.go_tags, "", "empty tags stay empty, not absent");
	tap_ok(r->nsolibs == 1 && r->solibs[0].base == 0x7f10 &&
	       r->solibs[0].data_end == 0x8000 &&
	       r->solibs[0].mem_end == 0xa000 &&
	       !strcmp(r->solibs[0].path, "/lib/a b.so") &&
	       r->solibs[0].path == vmmap_intern_path(r, "/lib/a b.so", 11),
	       "the library's record, its path interned");
	tap_ok(r->nprobes == 1 && heap_probe_eq(&r->probes[0], &p),
	       "the heap probe");
	tap_ok(r->nchunks == 2 && chunk_walk_eq(&r->chunks[0], &c[0]) &&
	       chunk_walk_eq(&r->chunks[1], &c[1]),
	       "the chunk walks");
	tap_ok(r->nrtprobes == 1 && !memcmp(&r->rtprobes[0], &rp, sizeof(rp)),
	       "the runtime probe");
	tap_ok(!memcmp(&r->jvm, &m->jvm, sizeof(m->jvm)),
	       "the JVM's counters and flags");
	/* malformed: refused, never a crash */
	tap_is_int(capture_facts_parse("probe 1 2\n", 10, r), -EINVAL,
		   "a short record is refused");
	tap_is_int(capture_facts_parse("chunk 9 0 0 0 0 0\nchunk 8 0 0 0 0 "
				       "0\n", 36, r), -EINVAL,
		   "chunk walks out of order are refused");
	tap_is_int(capture_facts_parse("exe.path a%00b\n", 15, r), -EINVAL,
		   "a NUL byte in a string is refused");
	tap_is_int(capture_facts_parse("later.key 1 2 3\n", 16, r), 0,
		   "a key of a later format is skipped");
	strbuf_release(&sb);
	vmmap_free(m);
	vmmap_free(r);
}

static void test_manifest(void)
{
	static const char good[] = "vmtop-capture 1\nvmtop 0.1.0\n"
				   "time 1700000000.250\npage_size 16384\n"
				   "cpus 64\nkernel 6.1.0\n";
	struct capture_manifest man;

	tap_is_int(capture_manifest_parse(good, sizeof(good) - 1, &man), 0,
		   "a manifest reads");
	tap_ok(man.format == 1 && man.page_size == 16384 && man.cpus == 64 &&
	       man.time == 1700000000.25, "its format, page size, CPUs, time");
	tap_is_int(capture_manifest_parse("vmtop-capture\n", 14, &man),
		   -EINVAL, "a first line without a format is refused");
	tap_is_int(capture_manifest_parse("time 1\n", 7, &man), -EINVAL,
		   "a manifest must start with its name");
	tap_is_int(capture_manifest_parse("vmtop-capture 1\npage_size 3000\n",
					  31, &man), -EINVAL,
		   "a page size that is no power of two is refused");
}

static void test_names(void)
{
	static const char *const good[] = { "vmtop-capture", "meminfo",
		"12/smaps", "4194304/maps", "12/task/13/syscall",
		"1/vmtop-facts", "1/environ", "1/limits" };
	static const char *const bad[] = { "../x", "/etc/passwd", "12/../x",
		"12//maps", "012/maps", "4194305/maps", "12/exe", "12/mem",
		"12/task/13/mem", "12/task/13", "12/task/13/limits",
		"12/task/13/stat/x", "12/", "", "12/task/../13/stat",
		"x/maps", "12/maps/", "./12/maps" };

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		tap_ok(capsrc_name_ok(good[i]), "'%s' is accepted", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		tap_ok(!capsrc_name_ok(bad[i]), "'%s' is refused", bad[i]);
}

#define BLOCK(s) s, sizeof(s) - 1

/* Whether a and b hold the same knobs, item by item. */
static bool same_knobs(const struct knobs *a, const struct knobs *b)
{
	if (a->nitems != b->nitems)
		return false;
	for (size_t i = 0; i < a->nitems; i++)
		if (a->items[i].from != b->items[i].from ||
		    strcmp(a->items[i].name, b->items[i].name) ||
		    strcmp(a->items[i].value, b->items[i].value) ||
		    a->items[i].effect != b->items[i].effect)
			return false;
	return true;
}

static void keep_same(const char *buf, size_t len, const char *name)
{
	char *out = xmalloc(len + 1);
	size_t n = knobs_keep_environ(buf, len, out);
	struct environ_knobs a, b;
	struct knobs ka, kb;

	environ_parse(buf, len, &a);
	environ_parse(out, n, &b);
	tap_ok(n <= len + 1, "%s: within len + 1 bytes", name);
	tap_ok(a.arena_max == b.arena_max &&
	       a.tunable_arena_max == b.tunable_arena_max &&
	       a.godebug_len == b.godebug_len && (!a.godebug) == (!b.godebug) &&
	       (!a.godebug || !memcmp(a.godebug, b.godebug, a.godebug_len)),
	       "%s: the same knobs", name);
	knobs_init(&ka);
	knobs_init(&kb);
	knobs_parse_environ(&ka, buf, len);
	knobs_parse_environ(&kb, out, n);
	tap_ok(same_knobs(&ka, &kb) && kb.env_hidden == 0,
	       "%s: the knobs view finds the same, nothing hidden", name);
	tap_ok(!memmem(out, n, "SECRET", 6) && !memmem(out, n, "hunter2", 7) &&
	       !memmem(out, n, "password", 8),
	       "%s: no secret kept", name);
	knobs_release(&ka);
	knobs_release(&kb);
	free(out);
}

static void test_keep_knobs(void)
{
	char out[256];
	size_t n;

	keep_same(BLOCK("SECRET=hunter2\0MALLOC_ARENA_MAX=2\0PATH=/bin\0"),
		  "MALLOC_ARENA_MAX");
	keep_same(BLOCK("GLIBC_TUNABLES=glibc.malloc.check=0\0glibc.malloc"
			".arena_max=3\0SECRET=hunter2\0glibc.malloc.arena_max"
			"=9\0"), "GLIBC_TUNABLES split by glibc");
	keep_same(BLOCK("GODEBUG=netdns=go\0SECRET_KEY=hunter2"),
		  "GODEBUG, a last entry without its NUL");
	keep_same(BLOCK("MALLOC_ARENA_MAX=1\0SECRET=hunter2\0MALLOC_ARENA_MAX"
			"=4\0"), "a repeated variable");
	keep_same(BLOCK("SECRET=MALLOC_ARENA_MAX=5 hunter2\0"),
		  "a knob's name inside a value");
	keep_same(BLOCK("JAVA_TOOL_OPTIONS=-Dpassword=hunter2 -Xmx64m\t"
			"-XX:+UseZGC  -Dx=SECRET\0NODE_OPTIONS=--max-old-space"
			"-size=512 --require=/SECRET.js\0"),
		  "*_OPTIONS variables");
	keep_same(BLOCK("MALLOC_CONF=narenas:2\0TCMALLOC_RELEASE_RATE=0\0"
			"DOTNET_GCHeapHardLimit=0x10000000\0GOGC=400\0"
			"LD_PRELOAD=/lib/libjemalloc.so.2\0X=SECRET\0"),
		  "the knobs view's other variables");
	keep_same(BLOCK("GLIBC_TUNABLES=glibc.malloc.check=0\0SECRET=1\0"
			"glibc.malloc.arena_max=9\0"),
		  "a glibc. variable that is no item of GLIBC_TUNABLES");
	{
		struct knobs k;

		knobs_init(&k);
		knobs_parse_environ(&k, BLOCK("GLIBC_TUNABLES=glibc.a=1\0X=1"
					      "\0glibc.b=2\0"));
		tap_ok(k.nitems == 1 && !strcmp(k.items[0].value,
						"glibc.a=1"),
		       "the knobs view joins only the items right after "
		       "GLIBC_TUNABLES, as glibc splits it");
		knobs_release(&k);
	}
	n = knobs_keep_environ(BLOCK("A=1\0MALLOC_ARENA_MAX=2\0B=hunter2\0"),
			       out);
	tap_ok(n == 19 && !memcmp(out, "MALLOC_ARENA_MAX=2", 19),
	       "only MALLOC_ARENA_MAX=2 is kept");
	n = knobs_keep_environ(BLOCK("JAVA_TOOL_OPTIONS=-Xmx64m -Dpassword="
				     "hunter2 -Xss1m\0"), out);
	tap_ok(n == 33 && !memcmp(out, "JAVA_TOOL_OPTIONS=-Xmx64m -Xss1m",
				  33),
	       "JAVA_TOOL_OPTIONS keeps -Xmx64m -Xss1m only");
	n = knobs_keep_environ(BLOCK("NODE_OPTIONS=--require=x\0"), out);
	tap_ok(n == 14 && !memcmp(out, "NODE_OPTIONS=", 14),
	       "an *_OPTIONS variable without memory options stays, empty");
}

static void test_knobs_facts(void)
{
	struct knobs k, r;
	struct strbuf sb = STRBUF_INIT;

	knobs_init(&k);
	k.env_hidden = 3;
	k.cg_err = 0;
	k.cg_path = xstrdup("/user.slice/my app%.scope");
	k.cg_read = true;
	k.cg_max = KNOBS_UNLIMITED;
	k.cg_high = 1 << 30;
	k.cg_eff_max = 512 << 20;
	k.cg_eff_path = xstrdup("user.slice");
	capture_knobs_format(&sb, &k);
	knobs_init(&r);
	tap_is_int(capture_knobs_parse(sb.buf, sb.len, &r), 0,
		   "the knobs facts read back");
	tap_ok(r.env_hidden == 3 && r.cg_err == 0 && r.cg_read &&
	       r.cg_max == KNOBS_UNLIMITED && r.cg_high == 1 << 30 &&
	       r.cg_eff_max == 512 << 20, "hidden options, the limits");
	tap_is_str(r.cg_path, k.cg_path, "the cgroup, with a blank and %");
	tap_is_str(r.cg_eff_path, "user.slice", "the cgroup that binds");
	{
		struct vmmap *m = vmmap_new(1);

		tap_is_int(capture_facts_parse(sb.buf, sb.len, m), 0,
			   "the facts parser skips them");
		vmmap_free(m);
	}
	knobs_release(&r);
	knobs_release(&k);

	/* not known when captured: the error goes along, no path */
	knobs_init(&k);
	k.cg_err = -ENODEV;
	strbuf_reset(&sb);
	capture_knobs_format(&sb, &k);
	knobs_init(&r);
	tap_ok(capture_knobs_parse(sb.buf, sb.len, &r) == 0 &&
	       r.cg_err == -ENODEV && !r.cg_path && !r.cg_eff_path,
	       "a cgroup error reads back as itself");
	knobs_release(&r);
	knobs_release(&k);

	knobs_init(&r);
	tap_ok(capture_knobs_parse("exe 1 0 0 0 0 0\n", 16, &r) == 0 &&
	       r.cg_err == -ENODATA && r.env_hidden == 0,
	       "facts without them (format 1): the cgroup not known");
	knobs_release(&r);
	knobs_init(&r);
	tap_is_int(capture_knobs_parse("knobs.cgroup 0 1 2 3 4\n", 23, &r),
		   -EINVAL, "a cgroup without its path is refused");
	knobs_release(&r);
	knobs_init(&r);
	tap_is_int(capture_knobs_parse("knobs.cgroup 5 1 2 3 4\n", 23, &r),
		   -EINVAL, "a positive error is refused");
	knobs_release(&r);
	knobs_init(&r);
	tap_is_int(capture_knobs_parse("knobs.hidden x\n", 15, &r), -EINVAL,
		   "a count that is no number is refused");
	knobs_release(&r);
	strbuf_release(&sb);
}

int main(void)
{
	test_facts();
	test_manifest();
	test_names();
	test_keep_knobs();
	test_knobs_facts();
	return tap_done();
}
