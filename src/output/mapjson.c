/* mapjson: the "maps" object of vmtop/1 from a maptree.  Keys are written
 * as literals with their separators, as in json.c: at 60 000 regions this
 * is the hot path of `vmtop -b -J -m`. */
#include "config.h"

#include "vmtop/mapjson.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "vmtop/json.h"

/* A node's totals; count_key names the region count ("regions", but
 * "nregions" in a group, whose "regions" is the array of them). */
static void mapjson_totals(struct strbuf *sb, const struct maptree_totals *t,
			   const char *count_key)
{
	strbuf_addstr(sb, "\"vsz_kib\":");
	json_u64(sb, t->vsz_kib);
	strbuf_addstr(sb, ",\"reserved_kib\":");
	json_u64(sb, t->reserved_kib);
	strbuf_addstr(sb, ",\"rss_kib\":");
	json_u64(sb, t->rss_kib);
	strbuf_addstr(sb, ",\"pss_kib\":");
	json_u64(sb, t->pss_kib);
	strbuf_addstr(sb, ",\"swap_kib\":");
	json_u64(sb, t->swap_kib);
	strbuf_addstr(sb, ",\"dirty_kib\":");
	json_u64(sb, t->dirty_kib);
	strbuf_addstr(sb, count_key);
	json_u64(sb, t->regions);
	/* hugetlb pages are not in rss_kib (the kernel's Rss): only a
	 * process that has some gets the figure */
	if (t->hugetlb_kib) {
		strbuf_addstr(sb, ",\"hugetlb_kib\":");
		json_u64(sb, t->hugetlb_kib);
	}
}

/* The region writer is the hot loop (60 000 regions make 12 MB): it
 * formats into the strbuf's room directly (strbuf_room()) instead of
 * going through a call per token; the names of kinds and tags are made
 * JSON once per write, and only a path that differs from the region
 * before's goes through json_str() for escaping. */

/* A region's text at its longest, but for its path, kind and tags:
 * mapjson_region_head() and _tail() with every number at 20 digits make
 * 381 bytes (hugetlb_kib included). */
#define MJ_ROOM_FIXED 416

/* A name made JSON: mj_writer.names.buf[off .. off + n).  names has
 * MJ_NAME_COPY bytes of room after its end, so that a name shorter than
 * that goes in one copy of a fixed size (the room for a region counts
 * them). */
struct mj_name {
	size_t off, n;
};

#define MJ_NAME_COPY 32

static inline char *mj_name_put(char *p, const struct strbuf *names,
				const struct mj_name *nm)
{
	if (nm->n <= MJ_NAME_COPY)
		memcpy(p, names->buf + nm->off, MJ_NAME_COPY);
	else
		memcpy(p, names->buf + nm->off, nm->n);
	return p + nm->n;
}

/* The state of one mapjson_write_flush(). */
struct mj_writer {
	const struct vmmap *m;
	struct strbuf *sb;
	void (*flush)(void *ctx, struct strbuf *sb);
	void *ctx;
	size_t room; /* the most a region takes, its path aside */
	/* `,"kind":"anon","tags":[` per kind, the last one for a kind out
	 * of range; `"deleted"` per tag */
	struct mj_name kinds[KIND__COUNT + 1];
	struct mj_name tags[TAG__COUNT];
	struct strbuf names;
	/* the last path written (NULL before the first) and its JSON */
	const char *path;
	struct strbuf path_json;
};

#define MJ_FLUSH_AT (64u << 10)

static char *mj_lit(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define MJ_LIT(p, s) mj_lit((p), (s), sizeof(s) - 1)

/* Two-digit tables: "000102...ff" and "0001...99". */
#define MJ_HEX16(h)                                                       \
	h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" h "8" h "9" h "a" \
	h "b" h "c" h "d" h "e" h "f"
#define MJ_DEC10(d)                                                       \
	d "0" d "1" d "2" d "3" d "4" d "5" d "6" d "7" d "8" d "9"

static const char mj_hex2[] =
	MJ_HEX16("0") MJ_HEX16("1") MJ_HEX16("2") MJ_HEX16("3")
	MJ_HEX16("4") MJ_HEX16("5") MJ_HEX16("6") MJ_HEX16("7")
	MJ_HEX16("8") MJ_HEX16("9") MJ_HEX16("a") MJ_HEX16("b")
	MJ_HEX16("c") MJ_HEX16("d") MJ_HEX16("e") MJ_HEX16("f");
static const char mj_dec2[] =
	MJ_DEC10("0") MJ_DEC10("1") MJ_DEC10("2") MJ_DEC10("3")
	MJ_DEC10("4") MJ_DEC10("5") MJ_DEC10("6") MJ_DEC10("7")
	MJ_DEC10("8") MJ_DEC10("9");

/* v (at least 10, or VMMAP_UNKNOWN for null) in decimal. */
static char *mj_u64_long(char *p, uint64_t v)
{
	static const uint64_t pow10[20] = {
		1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
		10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
		100000000000ull, 1000000000000ull, 10000000000000ull,
		100000000000000ull, 1000000000000000ull,
		10000000000000000ull, 100000000000000000ull,
		1000000000000000000ull, 10000000000000000000ull,
	};
	/* digits: log10(2) ~ 1233 / 4096 from the bit length, then exact */
	int n = (64 - __builtin_clzll(v)) * 1233 >> 12;
	char *q;

	if (v == VMMAP_UNKNOWN)
		return MJ_LIT(p, "null");
	n += v >= pow10[n];
	q = p + n;
	while (v >= 100) {
		q -= 2;
		memcpy(q, mj_dec2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(q - 2, mj_dec2 + 2 * v, 2);
	else
		q[-1] = (char)('0' + v);
	return p + n;
}

/* Most counters of most regions are 0 or one page. */
static inline char *mj_u64(char *p, uint64_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	return mj_u64_long(p, v);
}

/* How many hex digits v has (0 has one). */
static inline int mj_hex_len(uint64_t v)
{
	return (67 - __builtin_clzll(v | 1)) / 4;
}

/* v in n hex digits (1 <= n <= 16, v < 16^n), two at a time. */
static inline char *mj_hex(char *p, uint64_t v, int n)
{
	char *q = p + n;

	for (; q - p >= 2; v >>= 8) {
		q -= 2;
		memcpy(q, mj_hex2 + 2 * (v & 0xff), 2);
	}
	if (q > p)
		*p = mj_hex2[2 * (v & 0xf) + 1];
	return p + n;
}

/* v in hex, as many digits as it takes */
static inline char *mj_hex_u64(char *p, uint64_t v)
{
	return mj_hex(p, v, mj_hex_len(v));
}

/* v in hex, at least two digits */
static char *mj_hex_min2(char *p, unsigned v)
{
	int n = mj_hex_len(v);

	return mj_hex(p, v, n < 2 ? 2 : n);
}

/* "fe:00": a byte each in nearly every region. */
static inline char *mj_dev(char *p, unsigned major, unsigned minor)
{
	if ((major | minor) < 0x100) {
		memcpy(p, mj_hex2 + 2 * major, 2);
		p[2] = ':';
		memcpy(p + 3, mj_hex2 + 2 * minor, 2);
		return p + 5;
	}
	p = mj_hex_min2(p, major);
	*p++ = ':';
	return mj_hex_min2(p, minor);
}

/* The names of the tag bits set, then the closing bracket. */
static char *mj_tags(const struct mj_writer *w, char *p, unsigned tags)
{
	tags &= (1u << TAG__COUNT) - 1;
	while (tags) {
		const struct mj_name *t = &w->tags[__builtin_ctz(tags)];

		p = mj_name_put(p, &w->names, t);
		tags &= tags - 1;
		if (tags)
			*p++ = ',';
	}
	*p++ = ']';
	return p;
}

/* A counter from smaps, known to have been read: null when absent. */
static inline char *mj_kib(char *p, uint32_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	return mj_u64_long(p, region_kib(v));
}

/* start .. inode, then `,"path":` */
static char *mapjson_region_head(char *p, const struct region *r)
{
	p = MJ_LIT(p, "{\"start\":\"0x");
	p = mj_hex_u64(p, r->start);
	p = MJ_LIT(p, "\",\"end\":\"0x");
	p = mj_hex_u64(p, r->end);
	p = MJ_LIT(p, "\",\"perms\":\"");
	p = mj_lit(p, r->perms, 4);
	p = MJ_LIT(p, "\",\"offset\":\"0x");
	p = mj_hex_u64(p, r->offset);
	p = MJ_LIT(p, "\",\"dev\":\"");
	p = mj_dev(p, r->dev_major, r->dev_minor);
	p = MJ_LIT(p, "\",\"inode\":");
	p = mj_u64(p, r->inode);
	return MJ_LIT(p, ",\"path\":");
}

/* kind .. dirty_kib and the closing brace */
static char *mapjson_region_tail(const struct mj_writer *w, char *p,
				 const struct region *r)
{
	const struct mj_name *k =
		&w->kinds[r->kind < KIND__COUNT ? r->kind : KIND__COUNT];

	p = mj_name_put(p, &w->names, k);
	p = mj_tags(w, p, r->tags);
	if (r->kind == KIND_THREAD_STACK) {
		p = MJ_LIT(p, ",\"tid\":");
		p = mj_u64(p, (uint64_t)r->tid);
	}
	/* its hugetlb pages, which rss_kib leaves out (the totals add them
	 * up; a snapshot loaded back needs them per region) */
	if (r->tags & TAG_HUGETLB) {
		const struct region_hugetlb *h = vmmap_hugetlb_of(w->m,
								  r->start);

		p = MJ_LIT(p, ",\"hugetlb_kib\":");
		p = mj_u64(p, h ? h->shared_kib + h->private_kib : 0);
	}
	p = MJ_LIT(p, ",\"vsz_kib\":");
	p = mj_u64(p, maptree_counts(r) ? (r->end - r->start) / 1024 : 0);
	if (!r->has_smaps)
		return MJ_LIT(p, ",\"rss_kib\":null,\"pss_kib\":null,"
				 "\"swap_kib\":null,\"dirty_kib\":null}");
	p = MJ_LIT(p, ",\"rss_kib\":");
	p = mj_kib(p, r->rss_kib);
	p = MJ_LIT(p, ",\"pss_kib\":");
	p = mj_kib(p, r->pss_kib);
	p = MJ_LIT(p, ",\"swap_kib\":");
	p = mj_kib(p, r->swap_kib);
	p = MJ_LIT(p, ",\"dirty_kib\":");
	p = mj_kib(p, r->dirty_kib);
	*p++ = '}';
	return p;
}

/* The path's JSON, then room for the rest of the region.  Most regions
 * are anonymous: their empty path needs no escaping.  The regions of a
 * file come one after another in its group: its JSON is made once. */
static char *mj_path(struct mj_writer *w, char *p, const char *path)
{
	struct strbuf *sb = w->sb;
	size_t start;

	if (path[0] == '\0')
		return MJ_LIT(p, "\"\"");
	strbuf_commit(sb, p);
	if (w->path && (w->path == path || !strcmp(w->path, path))) {
		p = strbuf_room(sb, w->path_json.len + w->room);
		return mj_lit(p, w->path_json.buf, w->path_json.len);
	}
	start = sb->len;
	json_str(sb, path);
	strbuf_reset(&w->path_json);
	strbuf_add(&w->path_json, sb->buf + start, sb->len - start);
	w->path = path;
	return strbuf_room(sb, w->room);
}

/* A region, after a comma unless it is the first of its group. */
static void mapjson_region(struct mj_writer *w, const struct region *r,
			   bool comma)
{
	char *p = strbuf_room(w->sb, w->room);

	*p = ',';
	p = mapjson_region_head(p + comma, r);
	p = mj_path(w, p, r->path);
	strbuf_commit(w->sb, mapjson_region_tail(w, p, r));
}

static size_t mj_name_set(struct mj_writer *w, struct mj_name *nm,
			  const char *pre, const char *name, const char *post)
{
	nm->off = w->names.len;
	strbuf_addstr(&w->names, pre);
	strbuf_addstr(&w->names, name);
	strbuf_addstr(&w->names, post);
	nm->n = w->names.len - nm->off;
	return nm->n;
}

static void mj_writer_init(struct mj_writer *w, struct strbuf *sb,
			   void (*flush)(void *ctx, struct strbuf *sb),
			   void *ctx)
{
	size_t n, kind_max = 0;

	memset(w, 0, sizeof(*w));
	w->sb = sb;
	w->flush = flush;
	w->ctx = ctx;
	w->room = MJ_ROOM_FIXED;
	for (unsigned k = 0; k <= KIND__COUNT; k++) {
		n = mj_name_set(w, &w->kinds[k], ",\"kind\":\"",
				maptree_kind_name((enum region_kind)k),
				"\",\"tags\":[");
		if (n > kind_max)
			kind_max = n;
	}
	w->room += kind_max;
	for (unsigned b = 0; b < TAG__COUNT; b++) {
		n = mj_name_set(w, &w->tags[b], "\"",
				maptree_tag_name(1u << b), "\"");
		w->room += n + 1;  /* and a comma */
	}
	/* what mj_name_put() reads and stores past a name */
	memset(strbuf_room(&w->names, MJ_NAME_COPY), 0, MJ_NAME_COPY);
	w->room += MJ_NAME_COPY;
}

static void mj_writer_release(struct mj_writer *w)
{
	strbuf_release(&w->names);
	strbuf_release(&w->path_json);
}

static void mapjson_group(struct mj_writer *w, const struct maptree_group *g)
{
	struct strbuf *sb = w->sb;

	strbuf_addstr(sb, "{\"name\":");
	json_str(sb, g->name);
	strbuf_addch(sb, ',');
	mapjson_totals(sb, &g->t, ",\"nregions\":");
	strbuf_addstr(sb, ",\"regions\":[");
	for (size_t i = 0; i < g->nregions; i++) {
		mapjson_region(w, g->regions[i], i > 0);
		if (w->flush && sb->len >= MJ_FLUSH_AT)
			w->flush(w->ctx, sb);
	}
	strbuf_addstr(sb, "]}");
}

static void mapjson_categories(struct mj_writer *w, const struct maptree *t)
{
	struct strbuf *sb = w->sb;

	strbuf_addstr(sb, ",\"categories\":[");
	for (size_t c = 0; c < t->ncategories; c++) {
		const struct maptree_category *cat = &t->categories[c];

		strbuf_addstr(sb, c ? ",{\"kind\":" : "{\"kind\":");
		json_str(sb, maptree_kind_name(cat->kind));
		strbuf_addch(sb, ',');
		mapjson_totals(sb, &cat->t, ",\"regions\":");
		strbuf_addstr(sb, ",\"groups\":[");
		for (size_t g = 0; g < cat->ngroups; g++) {
			if (g)
				strbuf_addch(sb, ',');
			mapjson_group(w, &cat->groups[g]);
		}
		strbuf_addstr(sb, "]}");
	}
	strbuf_addch(sb, ']');
}

static void mapjson_arena(struct strbuf *sb, const struct maptree_arena *a)
{
	strbuf_addstr(sb, "{\"base\":");
	json_addr(sb, a->base);
	strbuf_addstr(sb, ",\"heaps\":");
	json_u64(sb, a->heaps);
	strbuf_addstr(sb, ",\"vsz_kib\":");
	json_u64(sb, a->vsz_kib);
	strbuf_addstr(sb, ",\"committed_kib\":");
	json_u64(sb, a->committed_kib);
	strbuf_addstr(sb, ",\"rss_kib\":");
	json_u64(sb, a->rss_kib);
	strbuf_addstr(sb, ",\"verified\":");
	json_bool(sb, a->verified);
	strbuf_addch(sb, '}');
}

static void mapjson_arenas(struct strbuf *sb, const struct maptree *t)
{
	const struct maptree_arenas *as = &t->arenas;

	strbuf_addstr(sb, ",\"arenas\":{\"count\":");
	json_u64(sb, as->count);
	strbuf_addstr(sb, ",\"verified\":");
	json_u64(sb, as->verified);
	/* why heap_info could not be read: null, "not_permitted" or
	 * "pid_namespace" (vmmap_memory_why()) */
	strbuf_addstr(sb, ",\"unverified_reason\":");
	json_str(sb, !(t->m->missing & MISSING_MEMORY) ? NULL :
		     t->m->missing & MISSING_PIDNS ? "pid_namespace" :
						     "not_permitted");
	strbuf_addstr(sb, ",\"limit\":");
	json_u64(sb, as->limit > 0 ? (uint64_t)as->limit : VMMAP_UNKNOWN);
	strbuf_addstr(sb, ",\"arena_max\":");
	json_str(sb, as->arena_max);
	strbuf_addstr(sb, ",\"reserved_kib\":");
	json_u64(sb, as->reserved_kib);
	strbuf_addstr(sb, ",\"committed_kib\":");
	json_u64(sb, as->committed_kib);
	strbuf_addstr(sb, ",\"main\":");
	if (as->main_heap) {
		strbuf_addstr(sb, "{\"start\":");
		json_addr(sb, as->main_heap->start);
		strbuf_addstr(sb, ",\"end\":");
		json_addr(sb, as->main_heap->end);
		strbuf_addch(sb, '}');
	} else {
		strbuf_addstr(sb, "null");
	}
	strbuf_addstr(sb, ",\"items\":[");
	for (unsigned a = 0; a < as->count; a++) {
		if (a)
			strbuf_addch(sb, ',');
		mapjson_arena(sb, &as->items[a]);
	}
	strbuf_addstr(sb, "]}");
}

static void mapjson_thread(struct strbuf *sb, const struct maptree_thread *th)
{
	char state[2] = { th->state, '\0' };

	strbuf_addstr(sb, "{\"tid\":");
	json_u64(sb, (uint64_t)th->tid);
	strbuf_addstr(sb, ",\"name\":");
	json_str(sb, th->name);
	strbuf_addstr(sb, ",\"state\":");
	json_str(sb, th->state && th->state != '?' ? state : NULL);
	strbuf_addstr(sb, ",\"stack\":");
	if (th->has_stack) {
		strbuf_addstr(sb, "{\"start\":");
		json_addr(sb, th->stack_start);
		strbuf_addstr(sb, ",\"end\":");
		json_addr(sb, th->stack_end);
		strbuf_addstr(sb, ",\"guard_kib\":");
		json_u64(sb, th->guard_kib);
		strbuf_addch(sb, '}');
	} else {
		strbuf_addstr(sb, "null,\"stack_reason\":");
		json_str(sb, th->no_stack);
	}
	strbuf_addch(sb, '}');
}

static void mapjson_threads(struct strbuf *sb, const struct maptree *t)
{
	strbuf_addstr(sb, ",\"threads\":[");
	for (size_t k = 0; k < t->nthreads; k++) {
		if (k)
			strbuf_addch(sb, ',');
		mapjson_thread(sb, &t->threads[k]);
	}
	strbuf_addch(sb, ']');
}

static void mapjson_resolver(struct strbuf *sb, const struct maptree *t)
{
	const struct maptree_resolver *rs = &t->resolver;

	strbuf_addstr(sb, ",\"resolver\":{\"modules\":[");
	for (size_t k = 0; k < rs->nmodules; k++) {
		if (k)
			strbuf_addch(sb, ',');
		json_str(sb, rs->modules[k]);
	}
	strbuf_addstr(sb, "],\"nscd\":");
	json_bool(sb, rs->nscd);
	strbuf_addstr(sb, ",\"regions\":");
	json_u64(sb, rs->regions);
	strbuf_addstr(sb, ",\"go_resolver\":");
	json_str(sb, rs->go_choice);
	strbuf_addstr(sb, ",\"go_resolver_by\":");
	json_str(sb, rs->go_by);
	strbuf_addch(sb, '}');
}

static void mapjson_tristate(struct strbuf *sb, int v)
{
	if (v < 0)
		strbuf_addstr(sb, "null");
	else
		json_bool(sb, v);
}

/* CPython's pymalloc arenas counted by their pool headers (the number
 * the pymalloc insight cites), when there are any: a snapshot loaded
 * back has no headers to count. */
static void mapjson_pymalloc(struct strbuf *sb, const struct vmmap *m)
{
	uint64_t arenas = 0;

	for (size_t k = 0; k < m->nrtprobes; k++) {
		size_t i = vmmap_find(m, m->rtprobes[k].addr);

		if (m->rtprobes[k].kind == RTP_PYMALLOC && i != SIZE_MAX &&
		    m->regions[i].kind == KIND_PYMALLOC)
			arenas += m->rtprobes[k].v[1];
	}
	if (arenas) {
		strbuf_addstr(sb, ",\"pymalloc_arenas\":");
		json_u64(sb, arenas);
	}
}

static void mapjson_runtime(struct strbuf *sb, const struct maptree *t)
{
	const struct maptree_runtime *rt = &t->runtime;

	strbuf_addstr(sb, ",\"runtime\":{\"language\":");
	json_str(sb, rt->language);
	strbuf_addstr(sb, ",\"go_version\":");
	json_str(sb, rt->go_version);
	strbuf_addstr(sb, ",\"cgo\":");
	mapjson_tristate(sb, rt->cgo);
	strbuf_addstr(sb, ",\"static\":");
	mapjson_tristate(sb, rt->is_static);
	strbuf_addstr(sb, ",\"build_tags\":");
	json_str(sb, rt->build_tags);
	strbuf_addstr(sb, ",\"godebug\":");
	json_str(sb, rt->godebug);
	strbuf_addstr(sb, ",\"version\":");
	json_str(sb, rt->version);
	strbuf_addstr(sb, ",\"evidence\":");
	json_str(sb, rt->evidence && rt->evidence[0] ? rt->evidence : NULL);
	strbuf_addstr(sb, ",\"allocator\":");
	json_str(sb, rt->allocator);
	strbuf_addstr(sb, ",\"allocators\":[");
	for (unsigned k = 0, n = 0; k < ALLOC__COUNT; k++) {
		if (!(rt->allocators & 1u << k))
			continue;
		if (n++)
			strbuf_addch(sb, ',');
		json_str(sb, maptree_alloc_name(1u << k));
	}
	strbuf_addch(sb, ']');
	mapjson_pymalloc(sb, t->m);
	strbuf_addch(sb, '}');
}

/* {"max_kib":..,"capacity_kib":..,"used_kib":..}, bytes as KiB. */
static void mapjson_jvm_space(struct strbuf *sb, const char *key,
			      uint64_t max, uint64_t cap, uint64_t used)
{
	uint64_t v[3] = { max, cap, used };
	static const char *const names[3] = { "{\"max_kib\":",
					       ",\"capacity_kib\":",
					       ",\"used_kib\":" };

	strbuf_addstr(sb, key);
	for (int k = 0; k < 3; k++) {
		strbuf_addstr(sb, names[k]);
		json_u64(sb, v[k] == VMMAP_UNKNOWN ? v[k] : v[k] / 1024);
	}
	strbuf_addch(sb, '}');
}

static void mapjson_jvm_flag(struct strbuf *sb, const char *key, uint64_t v)
{
	strbuf_addstr(sb, key);
	json_u64(sb, v == VMMAP_UNKNOWN ? v : v / 1024);
}

static void mapjson_jvm_flags(struct strbuf *sb, const struct vmjvm *j)
{
	strbuf_addstr(sb, ",\"flags\":{\"source\":");
	json_str(sb, j->flags_from_cmdline ? "cmdline" : "vmArgs");
	mapjson_jvm_flag(sb, ",\"xmx_kib\":", j->xmx);
	mapjson_jvm_flag(sb, ",\"xss_kib\":", j->xss);
	mapjson_jvm_flag(sb, ",\"vm_thread_stack_kib\":", j->vm_stack);
	mapjson_jvm_flag(sb, ",\"compiler_thread_stack_kib\":",
			 j->compiler_stack);
	mapjson_jvm_flag(sb, ",\"compressed_class_space_kib\":", j->ccs_size);
	mapjson_jvm_flag(sb, ",\"max_metaspace_kib\":", j->max_metaspace);
	mapjson_jvm_flag(sb, ",\"reserved_code_cache_kib\":", j->code_cache);
	strbuf_addch(sb, '}');
}

static const char *mapjson_jvm_gc(enum vmjvm_gc gc)
{
	static const char *const names[] = {
		[VMJVM_GC_UNKNOWN] = NULL, [VMJVM_GC_G1] = "G1",
		[VMJVM_GC_Z] = "Z", [VMJVM_GC_PARALLEL] = "Parallel",
		[VMJVM_GC_SERIAL] = "Serial",
		[VMJVM_GC_SHENANDOAH] = "Shenandoah",
		[VMJVM_GC_EPSILON] = "Epsilon",
	};

	return (unsigned)gc < sizeof(names) / sizeof(names[0]) ? names[gc] :
								 NULL;
}

/* "jvm": null, or what the JVM says of itself (hsperfdata). */
static void mapjson_jvm(struct strbuf *sb, const struct maptree *t)
{
	const struct vmjvm *j = &t->m->jvm;
	const char *perf;

	strbuf_addstr(sb, ",\"jvm\":");
	if (!j->detected) {
		strbuf_addstr(sb, "null");
		return;
	}
	perf = j->perf_err == 0 ? "read" :
	       j->perf_err == -ENOENT ? "absent" :
	       j->perf_err == -ENODATA ? "not_read" : "unreadable";
	strbuf_addstr(sb, "{\"perfdata\":");
	json_str(sb, perf);
	strbuf_addstr(sb, ",\"gc\":");
	json_str(sb, mapjson_jvm_gc(j->gc));
	strbuf_addstr(sb, ",\"collector\":");
	json_str(sb, j->collector[0] ? j->collector : NULL);
	strbuf_addstr(sb, ",\"version\":");
	json_str(sb, j->version[0] ? j->version : NULL);
	mapjson_jvm_space(sb, ",\"heap\":", j->heap_max, j->heap_capacity,
			  j->heap_used);
	strbuf_addstr(sb, ",\"generations\":[");
	for (unsigned g = 0; g < j->ngens && g < VMJVM_GENS; g++)
		mapjson_jvm_space(sb, g ? "," : "", j->gen[g].max,
				  j->gen[g].capacity, j->gen[g].used);
	strbuf_addch(sb, ']');
	mapjson_jvm_space(sb, ",\"metaspace\":", j->meta_max,
			  j->meta_capacity, j->meta_used);
	mapjson_jvm_space(sb, ",\"class_space\":", j->ccs_max,
			  j->ccs_capacity, j->ccs_used);
	mapjson_jvm_flags(sb, j);
	strbuf_addch(sb, '}');
}

static void mapjson_insights(struct strbuf *sb, const struct maptree *t)
{
	strbuf_addstr(sb, ",\"insights\":[");
	for (size_t k = 0; k < t->ninsights; k++) {
		strbuf_addstr(sb, k ? ",{\"id\":" : "{\"id\":");
		json_str(sb, t->insights[k].id);
		strbuf_addstr(sb, ",\"text\":");
		json_str(sb, t->insights[k].text);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

void mapjson_write_flush(struct strbuf *sb, const struct maptree *t,
			 void (*flush)(void *ctx, struct strbuf *sb),
			 void *ctx)
{
	struct mj_writer w;

	/* about 210 bytes per region: grow once instead of doubling, unless
	 * the text goes out in chunks */
	if (!flush)
		strbuf_grow(sb, t->m->nregions * 224 + 4096);
	strbuf_addstr(sb, "{\"totals\":{");
	mapjson_totals(sb, &t->totals, ",\"regions\":");
	strbuf_addch(sb, '}');
	mj_writer_init(&w, sb, flush, ctx);
	w.m = t->m;
	mapjson_categories(&w, t);
	mj_writer_release(&w);
	mapjson_arenas(sb, t);
	mapjson_threads(sb, t);
	mapjson_resolver(sb, t);
	mapjson_runtime(sb, t);
	mapjson_jvm(sb, t);
	mapjson_insights(sb, t);
	strbuf_addch(sb, '}');
}

void mapjson_write(struct strbuf *sb, const struct maptree *t)
{
	mapjson_write_flush(sb, t, NULL, NULL);
}
