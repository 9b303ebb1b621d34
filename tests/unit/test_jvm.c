/* test_jvm: the hsperfdata parser on files captured from OpenJDK 17 (G1
 * and ZGC) and on hostile variants of them; the JVM's flags; and the
 * JVM classifier on maps captured from the same JVMs
 * (tests/fixtures/jvm/: Hold.java run with -Xmx2g under G1, ZGC, and G1
 * with -XX:-UsePerfData), read through procmap as a non-live root. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/hsperf.h"
#include "vmtop/maptree.h"
#include "vmtop/procmap.h"
#include "vmtop/rules.h"
#include "vmtop/classify.h"

#define GIB (1ull << 30)
#define MIB (1ull << 20)

static char dir[4096];

static unsigned char *load(const char *name, size_t *len)
{
	char path[4200];
	unsigned char *buf = malloc(1 << 20);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f || !buf) {
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static void count_entry(void *ctx, const struct hsperf_entry *e)
{
	size_t *n = ctx;

	/* every name handed out is a C string within the entry */
	if (e->name && strlen(e->name) > 0)
		(*n)++;
}

static void test_parse(void)
{
	size_t len, n = 0;
	unsigned char *b = load("g1.hsperfdata", &len);
	uint32_t count;
	struct vmjvm j;
	int rc;

	if (!tap_ok(b != NULL && len == 32768, "captured G1 hsperfdata"))
		return;
	memcpy(&count, b + 28, 4); /* little-endian file, x86 host */
	rc = hsperf_parse(b, len, count_entry, &n);
	tap_is_int(rc, (long long)count, "every entry of the header parsed");
	tap_is_int((long long)n, (long long)count, "each with a name");
	hsperf_jvm_init(&j);
	tap_is_int(hsperf_fill(b, len, &j), 0, "hsperf_fill");
	tap_is_str(j.collector, "GarbageFirst", "collector");
	tap_is_str(j.version, "17.0.15", "java.version");
	tap_ok(j.gc == VMJVM_GC_G1, "G1 from the flags");
	tap_ok(j.heap_max == 2 * GIB, "heap max 2 GiB (G1's 8 bytes more "
	       "rounded off)");
	tap_ok(j.xmx == 2 * GIB, "-Xmx2g from java.rt.vmArgs");
	tap_ok(j.ccs_max == GIB, "class space max 1 GiB");
	tap_ok(j.meta_max == GIB + 64 * MIB, "metaspace max: both spaces");
	tap_ok(j.ngens == 2 && j.heap_capacity != VMMAP_UNKNOWN &&
	       j.heap_used != VMMAP_UNKNOWN, "two generations");

	/* hostile: every truncation, every single-byte change in the
	 * header and first entries (ASan and UBSan watch the reads) */
	for (size_t cut = 0; cut < len; cut += cut < 2048 ? 1 : 97) {
		n = 0;
		rc = hsperf_parse(b, cut, count_entry, &n);
		if (rc > (int)count || (cut < 32 && rc != -EINVAL))
			tap_ok(false, "truncated at %zu: %d", cut, rc);
	}
	for (size_t k = 0; k < 512; k++) {
		unsigned char save = b[k];

		b[k] ^= 0xff;
		n = 0;
		hsperf_parse(b, len, count_entry, &n);
		b[k] = save;
	}
	tap_ok(true, "truncated and corrupted images parse within bounds");
	b[0] = 0;
	tap_is_int(hsperf_parse(b, len, count_entry, &n), -EINVAL,
		   "bad magic: -EINVAL");
	b[0] = 0xca;
	b[5] = 3;
	tap_is_int(hsperf_parse(b, len, count_entry, &n), -EINVAL,
		   "major version 3: -EINVAL");
	free(b);
}

/* A big-endian image of two entries, built by hand. */
static void test_big_endian(void)
{
	unsigned char b[160] = { 0xca, 0xfe, 0xc0, 0xc0, 0, 2, 0, 1 };
	static const char name1[] = "sun.gc.compressedclassspace.maxCapacity";
	static const char name2[] = "sun.gc.policy.name";
	struct vmjvm j;
	size_t off = 32;

	b[11] = sizeof(b);          /* used */
	b[27] = 32;                 /* entry offset */
	b[31] = 2;                  /* entries */
	/* entry 1: 20 + 40 (name) + 4 pad + 8 = 72 */
	b[off + 3] = 72;
	b[off + 7] = 20;
	b[off + 12] = 'J';
	b[off + 19] = 64;
	memcpy(b + off + 20, name1, sizeof(name1));
	b[off + 64 + 4] = 0x40;     /* 0x40000000 = 1 GiB, big-endian */
	off += 72;
	/* entry 2: 20 + 19 (name) + 13 (vector) = 52 */
	b[off + 3] = 52;
	b[off + 7] = 20;
	b[off + 11] = 13;
	b[off + 12] = 'B';
	b[off + 19] = 39;
	memcpy(b + off + 20, name2, sizeof(name2));
	memcpy(b + off + 39, "GarbageFirst", 13);
	hsperf_jvm_init(&j);
	tap_is_int(hsperf_fill(b, sizeof(b), &j), 0, "big-endian image");
	tap_ok(j.ccs_max == GIB, "big-endian long read");
	tap_is_str(j.collector, "GarbageFirst", "big-endian string read");
	/* a name that runs to the entry's end without its NUL */
	b[32 + 7] = 71;
	memset(b + 32 + 71, 'x', 1);
	b[32 + 64] = 'x';
	hsperf_jvm_init(&j);
	hsperf_fill(b, sizeof(b), &j);
	tap_ok(j.ccs_max == VMMAP_UNKNOWN && !j.collector[0],
	       "an entry whose name has no NUL ends the walk");
}

static void test_flags(void)
{
	static const char args[] = "-Xmx512m -Xss256k -XX:+UseZGC "
				   "-XX:VMThreadStackSize=2048 "
				   "-XX:CompilerThreadStackSize=4m "
				   "-XX:ReservedCodeCacheSize=64m "
				   "-XX:-TieredCompilation -Xmx1G -Xmxjunk "
				   "-XX:MaxMetaspaceSize=99999999999999999999";
	static const char cmd[] = "java\0-XX:ThreadStackSize=512\0-cp\0.\0";
	struct vmjvm j;

	hsperf_jvm_init(&j);
	hsperf_flags(args, sizeof(args) - 1, ' ', &j);
	tap_ok(j.xmx == GIB, "the last -Xmx wins, a bad one is ignored");
	tap_ok(j.xss == 256 << 10, "-Xss256k");
	tap_ok(j.vm_stack == 2 * MIB, "-XX:VMThreadStackSize is in KiB");
	tap_ok(j.compiler_stack == 4 * GIB, "... even with a suffix, as "
	       "HotSpot reads it");
	tap_ok(j.code_cache == 64 * MIB, "-XX:ReservedCodeCacheSize=64m");
	tap_ok(j.tiered == 0 && j.gc == VMJVM_GC_Z, "-Tiered, +UseZGC");
	tap_ok(j.max_metaspace == VMMAP_UNKNOWN, "an overflowing size is "
	       "unknown");
	hsperf_jvm_init(&j);
	hsperf_flags(cmd, sizeof(cmd) - 1, '\0', &j);
	tap_ok(j.xss == 512 << 10, "a command line's -XX:ThreadStackSize");
}

/* The captured JVM NAME read from tests/fixtures/jvm/NAME as a proc
 * root, its hsperfdata (when captured) filled in, classified. */
static struct maptree *classified(const char *name, const char *perf,
				  struct vmmap **mp)
{
	char root[4200];
	struct dirent *de;
	DIR *d;
	pid_t pid = 0;
	struct rules *r = NULL;
	size_t len;
	unsigned char *b;

	*mp = NULL;
	snprintf(root, sizeof(root), "%s/%s", dir, name);
	d = opendir(root);
	while (d && (de = readdir(d)))
		if (atoi(de->d_name) > 0)
			pid = atoi(de->d_name);
	if (d)
		closedir(d);
	if (!pid || procmap_read(root, pid, 0, mp) != 0)
		return NULL;
	tap_ok((*mp)->jvm.detected, "%s: libjvm.so mapped: a JVM", name);
	if (perf && (b = load(perf, &len))) {
		hsperf_fill(b, len, &(*mp)->jvm);
		free(b);
	}
	if (rules_new(NULL, 0, &r, NULL, 0) != 0)
		return NULL;
	classify_vmmap(*mp, r);
	rules_free(r);
	return maptree_build(*mp);
}

static const struct maptree_category *cat(const struct maptree *t,
					  enum region_kind k)
{
	for (size_t c = 0; c < t->ncategories; c++)
		if (t->categories[c].kind == k)
			return &t->categories[c];
	return NULL;
}

static uint64_t vsz(const struct maptree *t, enum region_kind k)
{
	const struct maptree_category *c = cat(t, k);

	return c ? c->t.vsz_kib * 1024 : 0;
}

static bool all_tagged(const struct maptree *t, enum region_kind k,
		       unsigned tag)
{
	const struct maptree_category *c = cat(t, k);

	for (size_t g = 0; c && g < c->ngroups; g++)
		for (size_t i = 0; i < c->groups[g].nregions; i++)
			if (!(c->groups[g].regions[i]->tags & tag))
				return false;
	return c != NULL;
}

static void test_g1(void)
{
	struct vmmap *m;
	struct maptree *t = classified("g1", "g1.hsperfdata", &m);

	if (!tap_ok(t != NULL, "captured G1 JVM"))
		return;
	tap_ok(vsz(t, KIND_JAVA_HEAP) == 2 * GIB, "java_heap is -Xmx2g");
	tap_ok(all_tagged(t, KIND_JAVA_HEAP, TAG_VERIFIED),
	       "the heap is verified by the counters");
	tap_ok(vsz(t, KIND_JAVA_CLASS_SPACE) == GIB + 16 * MIB,
	       "class space 1 GiB + the 16 MiB CDS archive");
	tap_ok(all_tagged(t, KIND_JAVA_METASPACE, TAG_VERIFIED) &&
	       vsz(t, KIND_JAVA_METASPACE) == 64 * MIB,
	       "metaspace: one 64 MiB node, as the counters say");
	tap_ok(vsz(t, KIND_JAVA_CODE_CACHE) == 240 * MIB, "code cache 240 MiB");
	tap_ok(vsz(t, KIND_JAVA_GC) == 108 * MIB,
	       "G1's mark stack, bitmaps and tables: 108 MiB (NMT: GC mmap "
	       "110868 KB less G1FromCardCache's 276 KB)");
	tap_ok(vsz(t, KIND_ANON) < t->totals.vsz_kib * 1024 / 100,
	       "less than 1 %% of VSZ left anonymous");
	tap_is_str(t->runtime.language, "Java", "runtime Java");
	for (size_t k = 0; k < t->ninsights; k++)
		tap_ok(!strstr(t->insights[k].text, "M_MMAP_THRESHOLD") ||
		       !strstr(t->insights[k].text, "PROT_NONE"),
		       "no PROT_NONE blamed on malloc: %s", t->insights[k].id);
	maptree_free(t);
	vmmap_free(m);
}

static void test_zgc(void)
{
	struct vmmap *m;
	struct maptree *t = classified("zgc", "zgc.hsperfdata", &m);
	const struct maptree_category *h;

	if (!tap_ok(t != NULL, "captured ZGC JVM"))
		return;
	h = cat(t, KIND_JAVA_HEAP);
	tap_ok(h && h->ngroups == 3 && vsz(t, KIND_JAVA_HEAP) == 96 * GIB,
	       "three 32 GiB views of /memfd:java_heap");
	tap_ok(all_tagged(t, KIND_JAVA_HEAP, TAG_VERIFIED),
	       "views of 16 x the counters' heap: verified");
	tap_ok(vsz(t, KIND_JAVA_GC) == 8 * GIB + 32 * MIB,
	       "the 8 GiB mark stack and two 16 MiB granule maps");
	tap_ok(vsz(t, KIND_ANON) < t->totals.vsz_kib * 1024 / 1000,
	       "less than 0.1 %% of VSZ left anonymous");
	maptree_free(t);
	vmmap_free(m);
}

static void test_noperf(void)
{
	struct vmmap *m;
	struct maptree *t = classified("noperf", NULL, &m);
	const struct maptree_category *h;

	if (!tap_ok(t != NULL, "captured JVM without hsperfdata"))
		return;
	h = cat(t, KIND_JAVA_HEAP);
	tap_ok(vsz(t, KIND_JAVA_HEAP) == 2 * GIB,
	       "the heap by shape: ends at 4 GiB (compressed oops)");
	tap_ok(h && !(h->groups[0].regions[0]->tags & TAG_VERIFIED) &&
	       strstr(h->groups[0].regions[0]->reason, "not confirmed"),
	       "not verified, and the reason says so");
	tap_ok(vsz(t, KIND_JAVA_CLASS_SPACE) == GIB + 16 * MIB,
	       "class space by HotSpot's default size");
	maptree_free(t);
	vmmap_free(m);
}

int main(void)
{
	const char *src = getenv("TOP_SRCDIR");

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/jvm", src ? src : ".");
	test_parse();
	test_big_endian();
	test_flags();
	test_g1();
	test_zgc();
	test_noperf();
	return tap_done();
}
