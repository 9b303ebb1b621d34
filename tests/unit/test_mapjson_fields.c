/* Unit tests of the region objects of mapjson_write(): every field of
 * every region against the same object written with printf, for
 * addresses, offsets, device numbers and counters of every width, all
 * tag sets, and paths that need escaping, that are prefixes of one
 * another, and that repeat over runs of regions (as one copy and as
 * separate copies: the writer reuses the JSON of the region before's
 * path); and the streamed output (mapjson_write_flush()) against the
 * whole. */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/mapjson.h"
#include "vmtop/maptree.h"
#include "vmtop/strbuf.h"

#define N_MAX 1200

/* Paths and their JSON, written by hand. */
static const char *const paths[][2] = {
	{ "", "\"\"" },
	{ "/lib/a\"q", "\"/lib/a\\\"q\"" },
	{ "/lib/a", "\"/lib/a\"" },
	{ "/lib/a\"q2", "\"/lib/a\\\"q2\"" },
	{ "/lib/\xff\n", "\"/lib/\\udcff\\n\"" },
	{ "/lib/caf\xc3\xa9", "\"/lib/caf\xc3\xa9\"" },
	{ "/lib/a\"", "\"/lib/a\\\"\"" },
	{ "/tmp/data", "\"/tmp/data\"" },
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static const unsigned devs[][2] = {
	{ 0, 0 }, { 8, 1 }, { 0xfe, 0 }, { 0xf, 0xf }, { 0x10, 0x10 },
	{ 0xff, 0xff }, { 0x100, 1 }, { 0xfff, 0xfffff }, { 0x12, 0x345 },
	{ 0xabc, 0xdef01 },
};

static const uint64_t inodes[] = {
	0, 9, 10, 99, 100, 4096, 99999, 123456789, 4294967296ull,
	UINT64_MAX - 1, 1,
};

static const uint32_t kibs[] = {
	0, 1, 9, 10, 99, 100, 4096, 65535, 1000000, UINT32_MAX - 1,
	VMMAP_KIB_UNKNOWN, 4,
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Which path each region of the map was given. */
static size_t path_of[N_MAX + 1];

/* Region i, with paths[k]. */
static void add_region(struct vmmap *m, size_t i, size_t k, uint64_t start,
		       uint64_t end, const char *prev_path)
{
	static const char *const perms[] = { "r--p", "rw-p", "r-xp", "---s" };
	struct region *r = vmmapfix_region(m, start, end, perms[i % 4],
					   paths[k][0]);

	/* some regions share the previous one's copy of the path */
	if (prev_path && i % 3 == 0 && !strcmp(prev_path, paths[k][0]))
		r->path = prev_path;
	path_of[i] = k;
	r->offset = i == 1 ? UINT64_MAX : i % 4 ? start * 13 + i : 0;
	r->dev_major = devs[i % NELEM(devs)][0];
	r->dev_minor = devs[i % NELEM(devs)][1];
	r->inode = inodes[i % NELEM(inodes)];
	r->rss_kib = kibs[i % NELEM(kibs)];
	r->pss_kib = kibs[(i + 3) % NELEM(kibs)];
	r->swap_kib = kibs[(i + 6) % NELEM(kibs)];
	r->dirty_kib = kibs[(i + 9) % NELEM(kibs)];
	if (i % 11 == 5)
		r->has_smaps = false;
}

/* Regions at addresses of 1 to 16 hex digits, then [vsyscall]. */
static struct vmmap *spread_map(void)
{
	struct vmmap *m = vmmap_new(300);
	uint64_t v = 0x10;
	size_t i = 0;

	while (v < 0xf000000000000000ull && i < N_MAX) {
		add_region(m, i, i % NPATHS, v, v + (0x1000ull << (i % 3)),
			   i ? m->regions[i - 1].path : NULL);
		v += (v >> 1) + 0x1f3a5;
		i++;
	}
	vmmapfix_region(m, 0xffffffffff600000ull, 0xffffffffff601000ull,
			"--xp", "[vsyscall]");
	path_of[i] = NPATHS;
	vmmapfix_finish(m);
	return m;
}

/* n regions side by side, long runs of one path. */
static struct vmmap *long_map(size_t n)
{
	struct vmmap *m = vmmap_new(301);

	for (size_t i = 0; i < n; i++) {
		uint64_t start = 0x7f0000000000ull + i * 0x2000;

		add_region(m, i, i * NPATHS / n, start, start + 0x1000,
			   i ? m->regions[i - 1].path : NULL);
	}
	vmmapfix_finish(m);
	return m;
}

/* Classifies m, then gives its regions every tag set and a few of them
 * the thread_stack kind, which carries a tid. */
static struct maptree *build(struct vmmap *m)
{
	vmmapfix_classify(m);
	for (size_t i = 0; i < m->nregions; i++) {
		struct region *g = &m->regions[i];

		g->tags = i % (1u << TAG__COUNT);
		if (i % 13 == 3) {
			g->kind = KIND_THREAD_STACK;
			g->tid = (int)(i * 1009 + 7);
		}
	}
	return maptree_build(m);
}

static void add_kib(struct strbuf *sb, const char *key,
		    const struct region *r, uint32_t v)
{
	if (!r->has_smaps || v == VMMAP_KIB_UNKNOWN)
		strbuf_addf(sb, ",\"%s\":null", key);
	else
		strbuf_addf(sb, ",\"%s\":%" PRIu32, key, v);
}

/* Region i of m as printf writes it. */
static void want_region(struct strbuf *sb, const struct vmmap *m, size_t i)
{
	const struct region *r = &m->regions[i];
	const char *sep = "";

	strbuf_addf(sb, "{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64
		    "\",\"perms\":\"%.4s\",\"offset\":\"0x%" PRIx64
		    "\",\"dev\":\"%02x:%02x\",\"inode\":%" PRIu64
		    ",\"path\":%s,\"kind\":\"%s\",\"tags\":[",
		    r->start, r->end, r->perms, r->offset,
		    (unsigned)r->dev_major, (unsigned)r->dev_minor, r->inode,
		    path_of[i] < NPATHS ? paths[path_of[i]][1] :
					  "\"[vsyscall]\"",
		    maptree_kind_name(r->kind));
	for (unsigned b = 0; b < TAG__COUNT; b++) {
		if (r->tags & (1u << b)) {
			strbuf_addf(sb, "%s\"%s\"", sep,
				    maptree_tag_name(1u << b));
			sep = ",";
		}
	}
	strbuf_addch(sb, ']');
	if (r->kind == KIND_THREAD_STACK)
		strbuf_addf(sb, ",\"tid\":%d", (int)r->tid);
	if (r->tags & TAG_HUGETLB) {
		const struct region_hugetlb *h = vmmap_hugetlb_of(m, r->start);

		strbuf_addf(sb, ",\"hugetlb_kib\":%" PRIu64,
			    h ? h->shared_kib + h->private_kib : 0);
	}
	strbuf_addf(sb, ",\"vsz_kib\":%" PRIu64,
		    maptree_counts(r) ? (r->end - r->start) / 1024 : 0);
	add_kib(sb, "rss_kib", r, r->rss_kib);
	add_kib(sb, "pss_kib", r, r->pss_kib);
	add_kib(sb, "swap_kib", r, r->swap_kib);
	add_kib(sb, "dirty_kib", r, r->dirty_kib);
	strbuf_addch(sb, '}');
}

/* How many regions of m appear in out exactly as printf writes them. */
static size_t count_exact(const struct vmmap *m, const char *out)
{
	struct strbuf w = STRBUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < m->nregions; i++) {
		strbuf_reset(&w);
		want_region(&w, m, i);
		if (strstr(out, w.buf))
			n++;
		else if (n == i)  /* the first miss */
			tap_diag("not found: %s", w.buf);
	}
	strbuf_release(&w);
	return n;
}

static void test_fields(void)
{
	struct vmmap *m = spread_map();
	struct maptree *t = build(m);
	struct strbuf sb = STRBUF_INIT;
	size_t ntid = 0, n16 = 0;

	for (size_t i = 0; i < m->nregions; i++) {
		ntid += m->regions[i].kind == KIND_THREAD_STACK;
		n16 += m->regions[i].start >= 1ull << 60;
	}
	tap_ok(m->nregions > 80 && ntid > 5 && n16 >= 2,
	       "%zu regions, %zu thread stacks, %zu 16-digit addresses",
	       m->nregions, ntid, n16);
	mapjson_write(&sb, t);
	tap_is_int((long long)count_exact(m, sb.buf), (long long)m->nregions,
		   "every region as printf writes it");
	strbuf_release(&sb);
	maptree_free(t);
	vmmap_free(m);
}

struct chunks {
	struct strbuf all;
	size_t n;
	bool whole;  /* every chunk ended with a region */
};

static void collect(void *ctx, struct strbuf *sb)
{
	struct chunks *c = ctx;

	c->n++;
	if (sb->len < (64u << 10) || sb->buf[sb->len - 1] != '}')
		c->whole = false;
	strbuf_add(&c->all, sb->buf, sb->len);
	strbuf_reset(sb);
}

static void test_streamed(void)
{
	struct vmmap *m = long_map(N_MAX);
	struct maptree *t = build(m);
	struct strbuf sb = STRBUF_INIT, whole = STRBUF_INIT;
	struct chunks c = { STRBUF_INIT, 0, true };

	strbuf_addstr(&whole, "[");
	mapjson_write(&whole, t);
	tap_ok(whole.buf[0] == '[' && whole.buf[1] == '{',
	       "mapjson_write appends to what the buffer holds");
	tap_is_int((long long)count_exact(m, whole.buf), N_MAX,
		   "long runs of one path: every region as printf writes it");
	strbuf_addstr(&sb, "[");
	mapjson_write_flush(&sb, t, collect, &c);
	strbuf_add(&c.all, sb.buf, sb.len);
	tap_ok(c.n >= 3 && c.whole, "streamed in %zu chunks of whole regions",
	       c.n);
	tap_ok(c.all.len == whole.len &&
		       !memcmp(c.all.buf, whole.buf, whole.len),
	       "streamed text equals the whole");
	strbuf_release(&c.all);
	strbuf_release(&sb);
	strbuf_release(&whole);
	maptree_free(t);
	vmmap_free(m);
}

int main(void)
{
	test_fields();
	test_streamed();
	return tap_done();
}
