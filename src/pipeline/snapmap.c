/* snapmap: one refresh of a snapshot, parsed, and its processes as rows
 * and classified vmmaps (see snapmap.h).
 *
 * Every value is checked for its type and range, and the regions for
 * order and overlap, before the model sees it: maptree and the views
 * assume what collect promises, and a snapshot is a file anyone can
 * edit.
 *
 * Strings: vmtop's JSON writes a byte that is not UTF-8 as a lone
 * surrogate \udc80-\udcff, which jansson (rightly, for JSON) refuses.
 * Before parsing, those escapes become private-use characters
 * U+F780-U+F7FF, and after it those characters become the bytes again.
 * (A name that really holds one of those 128 private-use characters reads
 * back as the byte: no program vmtop knows uses them.) */
#include "config.h"

#include "vmtop/snapmap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/maptree.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

/* --- errors ------------------------------------------------------------- */

struct snap_err {
	char *buf;
	size_t size;
};

static int snap_fail(struct snap_err *e, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes the reason into e (once: the first reason is the one shown) and
 * returns rc. */
static int snap_fail(struct snap_err *e, int rc, const char *fmt, ...)
{
	va_list ap;

	if (e->buf && e->size && !e->buf[0]) {
		va_start(ap, fmt);
		vsnprintf(e->buf, e->size, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* --- strings ------------------------------------------------------------ */

static int snap_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether p[0..6) is \udcXY with XY 80..ff. */
static bool snap_is_escaped_byte(const char *p, size_t left)
{
	int hi, lo;

	if (left < 6 || p[1] != 'u' || (p[2] | 0x20) != 'd' ||
	    (p[3] | 0x20) != 'c')
		return false;
	hi = snap_hexval(p[4]);
	lo = snap_hexval(p[5]);
	return hi >= 8 && lo >= 0;
}

/* The line with \udcXY escapes as \uf7XY (see the top).  Only escapes
 * are looked at: a backslash and the character after it go as a pair, so
 * an escaped backslash followed by "udc80" is left alone. */
static void snap_unsurrogate(const char *in, size_t len, struct strbuf *out)
{
	size_t i = 0, run = 0;

	strbuf_reset(out);
	while (i < len) {
		if (in[i] != '\\') {
			i++;
			continue;
		}
		if (snap_is_escaped_byte(in + i, len - i)) {
			strbuf_add(out, in + run, i - run);
			strbuf_add(out, "\\uf7", 4);
			strbuf_add(out, in + i + 4, 2);
			i += 6;
			run = i;
			continue;
		}
		i += 2;
	}
	if (i > len)
		i = len;
	strbuf_add(out, in + run, len - run);
}

/* s as the bytes it stands for: U+F780-U+F7FF (EF 9E 80 .. EF 9F BF)
 * become 0x80-0xff.  Returns a malloc'd copy. */
static char *snap_bytes(const char *s)
{
	size_t n = strlen(s);
	char *o = xmalloc(n + 1), *q = o;

	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (p[0] == 0xef && (p[1] == 0x9e || p[1] == 0x9f) &&
		    (p[2] & 0xc0) == 0x80) {
			*q++ = (char)(0x80 + ((p[1] & 1) << 6) + (p[2] & 0x3f));
			p += 3;
		} else {
			*q++ = (char)*p++;
		}
	}
	*q = '\0';
	return o;
}


static const char *snap_keep(struct snapmap_strs *ss, char *s)
{
	XGROW(ss->v, ss->cap, ss->n + 1);
	ss->v[ss->n++] = s;
	return s;
}

static void snap_strs_clear(struct snapmap_strs *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		free(ss->v[i]);
	ss->n = 0;
}

/* --- typed getters ------------------------------------------------------ */

/* The string at key: *out NULL when null or absent.  Returns 0 or
 * -EINVAL when it is something else. */
static int snap_str(const json_t *o, const char *key, const char **out,
		    struct snap_err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return snap_fail(e, -EINVAL, "\"%s\" is not a string", key);
	*out = json_string_value(v);
	return 0;
}

/* A count or size: an integer >= 0 at key, VMMAP_UNKNOWN when null or
 * absent. */
static int snap_u64(const json_t *o, const char *key, uint64_t *out,
		    struct snap_err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = VMMAP_UNKNOWN;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return snap_fail(e, -EINVAL, "\"%s\" is not a number >= 0",
				 key);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* A number (integer or real) at key, def when null or absent. */
static int snap_num(const json_t *o, const char *key, double def,
		    double *out, struct snap_err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = def;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return snap_fail(e, -EINVAL, "\"%s\" is not a number", key);
	*out = json_number_value(v);
	return 0;
}

/* true, false, or -1 for null or absent. */
static int snap_tristate(const json_t *o, const char *key, int *out,
			 struct snap_err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return snap_fail(e, -EINVAL, "\"%s\" is not true or false",
				 key);
	*out = json_is_true(v);
	return 0;
}

/* An address written as "0x..." at key. */
static int snap_addr(const json_t *o, const char *key, uint64_t *out,
		     struct snap_err *e)
{
	const char *s;
	char *end;

	if (snap_str(o, key, &s, e) < 0)
		return -EINVAL;
	if (!s || s[0] != '0' || s[1] != 'x' || !s[2] || strlen(s) > 18)
		return snap_fail(e, -EINVAL, "\"%s\" is not an address", key);
	errno = 0;
	*out = strtoull(s + 2, &end, 16);
	if (*end || errno)
		return snap_fail(e, -EINVAL, "\"%s\" is not an address", key);
	return 0;
}

/* The array at key (absent or null: empty, *out NULL). */
static int snap_array(const json_t *o, const char *key, const json_t **out,
		      struct snap_err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return snap_fail(e, -EINVAL, "\"%s\" is not an array", key);
	*out = v;
	return 0;
}

/* --- processes ---------------------------------------------------------- */

static int snap_host_read(const json_t *doc, struct hostinfo *hi,
			  struct snap_err *e)
{
	const json_t *h = json_object_get(doc, "host");
	uint64_t cpus, ps, total, avail, swap;

	memset(hi, 0, sizeof(*hi));
	if (!h || json_is_null(h))
		return 0;
	if (!json_is_object(h))
		return snap_fail(e, -EINVAL, "\"host\" is not an object");
	if (snap_u64(h, "cpus", &cpus, e) || snap_u64(h, "page_size", &ps, e) ||
	    snap_u64(h, "mem_total_kib", &total, e) ||
	    snap_u64(h, "mem_available_kib", &avail, e) ||
	    snap_u64(h, "swap_total_kib", &swap, e))
		return -EINVAL;
	hi->cpus = cpus == VMMAP_UNKNOWN || cpus > 1u << 20 ? 0 : (int)cpus;
	hi->page_size = ps == VMMAP_UNKNOWN ? 0 : (unsigned long)ps;
	hi->mem_total_kib = total == VMMAP_UNKNOWN ? 0 : total;
	hi->mem_available_kib = avail == VMMAP_UNKNOWN ? 0 : avail;
	hi->swap_total_kib = swap == VMMAP_UNKNOWN ? 0 : swap;
	hi->swap_free_kib = hi->swap_total_kib; /* not saved */
	return 0;
}

static int snap_row(const json_t *p, struct proc_row *r,
		    struct snapmap_strs *ss, struct snap_err *e)
{
	const char *user, *comm, *cmd, *state, *access;
	uint64_t pid, ppid, uid, threads, vsz, rss, swap;
	double cpu, rollup_age, maps_age;
	int trunc, kthread;

	memset(r, 0, sizeof(*r));
	if (!json_is_object(p))
		return snap_fail(e, -EINVAL, "a process is not an object");
	if (snap_u64(p, "pid", &pid, e) || snap_u64(p, "ppid", &ppid, e) ||
	    snap_u64(p, "uid", &uid, e) || snap_str(p, "user", &user, e) ||
	    snap_str(p, "comm", &comm, e) || snap_str(p, "cmdline", &cmd, e) ||
	    snap_tristate(p, "cmdline_truncated", &trunc, e) ||
	    snap_str(p, "state", &state, e) ||
	    snap_u64(p, "threads", &threads, e) ||
	    snap_u64(p, "vsz_kib", &vsz, e) || snap_u64(p, "rss_kib", &rss, e) ||
	    snap_u64(p, "swap_kib", &swap, e) ||
	    snap_num(p, "cpu_pct", -1, &cpu, e) ||
	    snap_str(p, "access", &access, e) ||
	    snap_tristate(p, "kthread", &kthread, e) ||
	    snap_num(p, "rollup_age_s", -1, &rollup_age, e) ||
	    snap_num(p, "maps_age_s", -1, &maps_age, e))
		return -EINVAL;
	/* the memory columns as they were read: a key absent was not */
	for (int i = 0; i < PROC_MEM__COUNT; i++)
		if (snap_u64(p, proctable_mem_key(i), &r->mem[i], e))
			return -EINVAL;
	if (pid == 0 || pid >= 1u << 22)
		return snap_fail(e, -EINVAL, "a process has no valid \"pid\"");
	r->pid = (pid_t)pid;
	r->ppid = ppid < 1u << 22 ? (pid_t)ppid : 0;
	r->uid = uid <= UINT32_MAX ? (uid_t)uid : (uid_t)-1;
	r->user = snap_keep(ss, snap_bytes(user ? user : ""));
	r->comm = snap_keep(ss, snap_bytes(comm ? comm : ""));
	r->cmdline = cmd ? snap_keep(ss, snap_bytes(cmd)) : NULL;
	r->cmdline_truncated = trunc == 1;
	r->state = state && state[0] && !state[1] ? state[0] : '?';
	r->threads = threads < 1u << 22 ? (int)threads : 0;
	r->vsz_kib = vsz == VMMAP_UNKNOWN ? 0 : (unsigned long)vsz;
	r->rss_kib = rss == VMMAP_UNKNOWN ? 0 : (unsigned long)rss;
	r->swap_known = swap != VMMAP_UNKNOWN;
	r->swap_kib = r->swap_known ? (unsigned long)swap : 0;
	r->cpu_pct = cpu;
	r->access = access && !strcmp(access, "limited") ?
			    PROC_ACCESS_LIMITED : PROC_ACCESS_FULL;
	r->kthread = kthread == 1;
	r->rollup_age = rollup_age >= 0 ? rollup_age : -1;
	r->maps_age = maps_age >= 0 ? maps_age : -1;
	return 0;
}

/* --- a process's tree into a vmmap -------------------------------------- */

static enum region_kind snap_kind(const char *name)
{
	for (unsigned k = 1; k < KIND__COUNT; k++)
		if (!strcmp(name, maptree_kind_name((enum region_kind)k)))
			return (enum region_kind)k;
	/* a kind added by a newer vmtop/1 writer */
	return KIND_ANON;
}

static int snap_tags(const json_t *reg, unsigned *tags, struct snap_err *e)
{
	const json_t *a, *v;
	size_t i;

	*tags = 0;
	if (snap_array(reg, "tags", &a, e))
		return -EINVAL;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return snap_fail(e, -EINVAL, "a tag is not a string");
		for (unsigned b = 0; b < TAG__COUNT; b++)
			if (!strcmp(json_string_value(v),
				    maptree_tag_name(1u << b)))
				*tags |= 1u << b;
	}
	return 0;
}

static int snap_dev(const json_t *reg, struct region *r, struct snap_err *e)
{
	const char *s;
	unsigned maj, min;
	int n = 0;

	if (snap_str(reg, "dev", &s, e))
		return -EINVAL;
	if (!s || sscanf(s, "%x:%x%n", &maj, &min, &n) != 2 || s[n] ||
	    maj >= 1u << 12 || min >= 1u << 20)
		return snap_fail(e, -EINVAL, "\"dev\" is not a device");
	r->dev_major = maj;
	r->dev_minor = min;
	return 0;
}

#define SNAPMAP_HUGETLB_MAX 4096

static uint32_t snap_kib(uint64_t v)
{
	return vmmap_compact_kib(v);
}

/* One region of group (kind, group name gname) into m. */
static int snap_region(struct vmmap *m, const json_t *reg,
		       enum region_kind kind, const char *gname,
		       struct snap_err *e)
{
	uint64_t start, end, off, inode, tid, rss, pss, swap, dirty, huge;
	const char *perms, *path, *kname;
	char *raw;
	struct region *r;
	unsigned tags;

	if (!json_is_object(reg))
		return snap_fail(e, -EINVAL, "a region is not an object");
	if (snap_addr(reg, "start", &start, e) ||
	    snap_addr(reg, "end", &end, e) ||
	    snap_addr(reg, "offset", &off, e) ||
	    snap_u64(reg, "inode", &inode, e) ||
	    snap_str(reg, "perms", &perms, e) ||
	    snap_str(reg, "path", &path, e) ||
	    snap_str(reg, "kind", &kname, e) || snap_tags(reg, &tags, e) ||
	    snap_u64(reg, "tid", &tid, e) ||
	    snap_u64(reg, "rss_kib", &rss, e) ||
	    snap_u64(reg, "pss_kib", &pss, e) ||
	    snap_u64(reg, "swap_kib", &swap, e) ||
	    snap_u64(reg, "dirty_kib", &dirty, e) ||
	    snap_u64(reg, "hugetlb_kib", &huge, e))
		return -EINVAL;
	if (start >= end)
		return snap_fail(e, -EINVAL, "a region ends before it starts");
	if (!perms || strlen(perms) != 4)
		return snap_fail(e, -EINVAL, "\"perms\" is not 4 letters");
	r = vmmap_add_region(m);
	if (snap_dev(reg, r, e))
		return -EINVAL;
	r->start = start;
	r->end = end;
	r->offset = off;
	r->inode = inode == VMMAP_UNKNOWN ? 0 : inode;
	memcpy(r->perms, perms, 4);
	raw = snap_bytes(path ? path : "");
	r->path = vmmap_intern_path(m, raw, strlen(raw));
	free(raw);
	r->kind = kname ? snap_kind(kname) : kind;
	r->group = gname;
	r->reason = "as saved in the snapshot";
	r->tags = tags;
	r->deleted = tags & TAG_DELETED;
	r->tid = r->kind == KIND_THREAD_STACK && tid < 1u << 22 ? (int)tid : 0;
	if ((tags & TAG_HUGETLB) && huge != VMMAP_UNKNOWN) {
		/* looked up one by one (vmmap_hugetlb_of()): a real process
		 * has a few such regions, a file may claim thousands */
		if (m->nhugetlb >= SNAPMAP_HUGETLB_MAX)
			return snap_fail(e, -EINVAL, "more than %d regions "
					 "with hugetlb pages",
					 SNAPMAP_HUGETLB_MAX);
		*vmmap_add_hugetlb(m) = (struct region_hugetlb){
			.start = start, .shared_kib = huge };
	}
	if (rss != VMMAP_UNKNOWN) {
		r->has_smaps = true;
		r->rss_kib = snap_kib(rss);
		r->pss_kib = snap_kib(pss);
		r->swap_kib = snap_kib(swap);
		r->dirty_kib = snap_kib(dirty);
	}
	return 0;
}

static int snap_groups(struct vmmap *m, const json_t *cat,
		       struct snap_err *e)
{
	const json_t *groups, *g, *regs, *reg;
	const char *kname, *name;
	enum region_kind kind;
	size_t i, k;
	char *raw;

	if (!json_is_object(cat) || snap_str(cat, "kind", &kname, e) ||
	    snap_array(cat, "groups", &groups, e))
		return snap_fail(e, -EINVAL, "a category is not valid");
	kind = kname ? snap_kind(kname) : KIND_ANON;
	json_array_foreach(groups, i, g) {
		if (!json_is_object(g) || snap_str(g, "name", &name, e))
			return snap_fail(e, -EINVAL, "a group is not valid");
		/* "regions" is the array; before it was renamed to
		 * "nregions" the count came first under the same key, and a
		 * JSON object keeps the last of a duplicated key */
		if (snap_array(g, "regions", &regs, e))
			return -EINVAL;
		raw = snap_bytes(name ? name : "");
		name = vmmap_intern_path(m, raw, strlen(raw));
		free(raw);
		json_array_foreach(regs, k, reg)
			if (snap_region(m, reg, kind, name, e))
				return -EINVAL;
	}
	return 0;
}

static int snap_cmp_start(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* The regions of every category, by start, none overlapping. */
static int snap_regions(struct vmmap *m, const json_t *maps,
			struct snap_err *e)
{
	const json_t *cats, *cat;
	size_t i;

	if (snap_array(maps, "categories", &cats, e))
		return -EINVAL;
	json_array_foreach(cats, i, cat)
		if (snap_groups(m, cat, e))
			return -EINVAL;
	if (m->nregions > 1)
		qsort(m->regions, m->nregions, sizeof(*m->regions),
		      snap_cmp_start);
	for (i = 1; i < m->nregions; i++)
		if (m->regions[i].start < m->regions[i - 1].end)
			return snap_fail(e, -EINVAL,
					 "regions overlap at 0x%llx",
					 (unsigned long long)
						 m->regions[i].start);
	return 0;
}

/* An arena's group and its number, sorted by group pointer. */
struct snap_arena_group {
	const char *group;
	int arena;
};

static int snap_cmp_group(const void *a, const void *b)
{
	const char *x = ((const struct snap_arena_group *)a)->group;
	const char *y = ((const struct snap_arena_group *)b)->group;

	return (x > y) - (x < y);
}

/* Each arena's regions: those of the group of the region at its base
 * (groups are interned: one pointer per name); the verified ones get the
 * heap_info probe that verified them. */
static int snap_arena_items(struct vmmap *m, const json_t *items,
			    struct snap_err *e)
{
	struct snap_arena_group *ag = xcalloc(m->narenas + 1, sizeof(*ag));
	const json_t *it;
	size_t k, n = 0;
	uint64_t base;

	json_array_foreach(items, k, it) {
		size_t i;

		if (!json_is_object(it) || snap_addr(it, "base", &base, e)) {
			free(ag);
			return snap_fail(e, -EINVAL, "an arena is not valid");
		}
		i = vmmap_find(m, base);
		if (i == SIZE_MAX || m->regions[i].kind != KIND_ARENA)
			continue;
		ag[n++] = (struct snap_arena_group){ m->regions[i].group,
						     (int)k };
		if (json_is_true(json_object_get(it, "verified")))
			m->probes[m->nprobes++] = (struct heap_probe){
				.addr = base, .ar_ptr = base + 48 };
	}
	if (n > 1)
		qsort(ag, n, sizeof(*ag), snap_cmp_group);
	for (size_t j = 0; n && j < m->nregions; j++) {
		struct snap_arena_group key = { m->regions[j].group, 0 };
		const struct snap_arena_group *hit;

		if (m->regions[j].kind != KIND_ARENA)
			continue;
		hit = bsearch(&key, ag, n, sizeof(*ag), snap_cmp_group);
		if (hit)
			m->regions[j].arena = hit->arena;
	}
	free(ag);
	return 0;
}

/* The arenas: count, cap and where it came from, which regions belong to
 * which arena (by the group of the region at each arena's base), and the
 * verified ones as the heap_info probe that verified them. */
static int snap_arenas(struct vmmap *m, const json_t *maps,
		       struct snap_err *e)
{
	const json_t *as = json_object_get(maps, "arenas"), *items;
	const char *src, *reason;
	uint64_t limit;

	if (!as || json_is_null(as))
		return 0;
	if (!json_is_object(as) || snap_array(as, "items", &items, e) ||
	    snap_u64(as, "limit", &limit, e) ||
	    snap_str(as, "arena_max", &src, e) ||
	    snap_str(as, "unverified_reason", &reason, e))
		return snap_fail(e, -EINVAL, "\"arenas\" is not valid");
	if (json_array_size(items) > m->nregions ||
	    json_array_size(items) > VMMAP_ARENA_MAX)
		return snap_fail(e, -EINVAL, "more arenas than regions");
	m->arena_limit = limit != VMMAP_UNKNOWN && limit < 1u << 30 ?
				 (int)limit : 0;
	m->arena_limit_source = src ? vmmap_strdup(m, src) : NULL;
	if (src && !strcmp(src, "MALLOC_ARENA_MAX"))
		m->env.arena_max = m->arena_limit;
	if (src && !strcmp(src, "GLIBC_TUNABLES"))
		m->env.tunable_arena_max = m->arena_limit;
	m->env.read = src && strcmp(src, "unknown") != 0;
	if (src && !m->env.read)
		m->missing |= MISSING_ENVIRON;
	if (reason)
		m->missing |= MISSING_MEMORY |
			      (!strcmp(reason, "pid_namespace") ? MISSING_PIDNS
								: 0);
	m->narenas = (unsigned)json_array_size(items);
	m->probes = xcalloc(m->narenas + 1, sizeof(*m->probes));
	return snap_arena_items(m, items, e);
}

/* The first region of kind (or, with kind KIND_NONE, that is no stack
 * and not the Go heap), for a stack pointer that must land there. */
static uint64_t snap_sp_in(const struct vmmap *m, enum region_kind kind)
{
	for (size_t i = 0; i < m->nregions; i++) {
		enum region_kind k = m->regions[i].kind;

		if (kind != KIND_NONE ? k == kind :
		    k != KIND_THREAD_STACK && k != KIND_MAIN_STACK &&
		    k != KIND_GO_HEAP)
			return m->regions[i].start;
	}
	return 0;
}

/* A thread without a stack: the stack pointer state that gives the same
 * reason (maptree_no_stack()). */
static void snap_no_stack(const struct vmmap *m, struct vmthread *th,
			  const char *why)
{
	th->sp_status = SP_OK;
	th->sp = 0;
	if (!why)
		return;
	if (strstr(why, "running"))
		th->sp_status = SP_RUNNING;
	else if (strstr(why, "syscall file"))
		th->sp_status = SP_DENIED;
	else if (!strcmp(why, "thread exited"))
		th->sp_status = SP_GONE;
	else if (strstr(why, "outside every"))
		th->sp = vmmap_find(m, 1) == SIZE_MAX ? 1 : 0;
	else if (strstr(why, "Go heap"))
		th->sp = snap_sp_in(m, KIND_GO_HEAP);
	else if (strstr(why, "not a stack"))
		th->sp = snap_sp_in(m, KIND_NONE);
}

static int snap_threads(struct vmmap *m, const json_t *maps,
			struct snap_err *e)
{
	const json_t *a, *t, *st;
	const char *name, *state, *why;
	uint64_t tid, start;
	size_t i;

	if (snap_array(maps, "threads", &a, e))
		return -EINVAL;
	m->threads = xcalloc(json_array_size(a) + 1, sizeof(*m->threads));
	json_array_foreach(a, i, t) {
		struct vmthread *th = &m->threads[m->nthreads];

		if (!json_is_object(t) || snap_u64(t, "tid", &tid, e) ||
		    snap_str(t, "name", &name, e) ||
		    snap_str(t, "state", &state, e) ||
		    snap_str(t, "stack_reason", &why, e) || tid == 0 ||
		    tid >= 1u << 22)
			return snap_fail(e, -EINVAL, "a thread is not valid");
		th->tid = (pid_t)tid;
		if (name) {
			char *raw = snap_bytes(name);

			snprintf(th->name, sizeof(th->name), "%s", raw);
			free(raw);
		}
		th->state = state && state[0] && !state[1] ? state[0] : '?';
		st = json_object_get(t, "stack");
		if (st && json_is_object(st)) {
			if (snap_addr(st, "start", &start, e))
				return -EINVAL;
			th->sp = start;
			th->sp_status = SP_OK;
		} else {
			snap_no_stack(m, th, why);
		}
		m->nthreads++;
	}
	return 0;
}

static const struct {
	const char *name;
	enum vmmap_runtime rt;
} snap_runtimes[] = {
	{ "Java", RT_JVM },     { "Node.js", RT_V8 },
	{ "Python", RT_PYTHON }, { ".NET", RT_DOTNET },
	{ "Erlang", RT_ERLANG }, { "PostgreSQL", RT_POSTGRES },
};

static char *snap_dup(const char *s)
{
	return s ? snap_bytes(s) : NULL;
}

/* The pymalloc arenas counted when saved, as the one pool-header probe
 * that counted them all (the pymalloc insight adds up probes). */
static void snap_pymalloc(struct vmmap *m, uint64_t arenas)
{
	if (arenas == VMMAP_UNKNOWN || arenas == 0)
		return;
	for (size_t i = 0; i < m->nregions; i++) {
		if (m->regions[i].kind != KIND_PYMALLOC)
			continue;
		m->rtprobes = xcalloc(1, sizeof(*m->rtprobes));
		m->rtprobes[0] = (struct rt_probe){
			.addr = m->regions[i].start, .kind = RTP_PYMALLOC,
			.v = { 0, arenas } };
		m->nrtprobes = 1;
		return;
	}
}

static int snap_runtime(struct vmmap *m, const json_t *maps,
			struct snap_err *e)
{
	const json_t *rt = json_object_get(maps, "runtime"), *al, *v;
	const char *lang, *gover, *tags, *godebug, *ver, *evid;
	uint64_t pyarenas;
	int cgo, st;
	size_t i;

	if (!rt || json_is_null(rt))
		return 0;
	if (!json_is_object(rt) || snap_str(rt, "language", &lang, e) ||
	    snap_str(rt, "go_version", &gover, e) ||
	    snap_tristate(rt, "cgo", &cgo, e) ||
	    snap_tristate(rt, "static", &st, e) ||
	    snap_str(rt, "build_tags", &tags, e) ||
	    snap_str(rt, "godebug", &godebug, e) ||
	    snap_str(rt, "version", &ver, e) ||
	    snap_str(rt, "evidence", &evid, e) ||
	    snap_array(rt, "allocators", &al, e))
		return snap_fail(e, -EINVAL, "\"runtime\" is not valid");
	m->exe.read = st >= 0;
	m->exe.is_static = st == 1;
	if (!m->exe.read)
		m->missing |= MISSING_EXE;
	m->exe.is_go = lang && !strcmp(lang, "Go");
	m->exe.go_version = snap_dup(gover);
	m->exe.go_tags = snap_dup(tags);
	/* maptree says cgo only for a dynamic build with CGO_ENABLED=1 */
	m->exe.go_cgo = cgo;
	m->env.godebug = snap_dup(godebug);
	for (size_t k = 0; lang && k < sizeof(snap_runtimes) /
					       sizeof(snap_runtimes[0]); k++)
		if (!strcmp(lang, snap_runtimes[k].name))
			m->rt.rt = snap_runtimes[k].rt;
	snprintf(m->rt.version, sizeof(m->rt.version), "%s", ver ? ver : "");
	m->rt.evidence = evid ? vmmap_strdup(m, evid) : "";
	if (snap_u64(rt, "pymalloc_arenas", &pyarenas, e))
		return -EINVAL;
	snap_pymalloc(m, pyarenas);
	json_array_foreach(al, i, v)
		for (unsigned b = 0; b < ALLOC__COUNT; b++)
			if (json_is_string(v) &&
			    !strcmp(json_string_value(v),
				    maptree_alloc_name(1u << b)))
				m->rt.alloc |= 1u << b;
	return 0;
}

/* KiB at key of o as bytes, VMMAP_UNKNOWN when unknown. */
static uint64_t snap_bytes_of(const json_t *o, const char *key,
			      struct snap_err *e, int *rc)
{
	uint64_t v;

	if (!o || !json_is_object(o))
		return VMMAP_UNKNOWN;
	if (snap_u64(o, key, &v, e)) {
		*rc = -EINVAL;
		return VMMAP_UNKNOWN;
	}
	return v == VMMAP_UNKNOWN || v > UINT64_MAX / 2048 ? VMMAP_UNKNOWN :
							    v * 1024;
}

static void snap_space(const json_t *o, uint64_t v[3], struct snap_err *e,
		       int *rc)
{
	v[0] = snap_bytes_of(o, "max_kib", e, rc);
	v[1] = snap_bytes_of(o, "capacity_kib", e, rc);
	v[2] = snap_bytes_of(o, "used_kib", e, rc);
}

static const char *const snap_gcs[] = {
	[VMJVM_GC_G1] = "G1",         [VMJVM_GC_Z] = "Z",
	[VMJVM_GC_PARALLEL] = "Parallel", [VMJVM_GC_SERIAL] = "Serial",
	[VMJVM_GC_SHENANDOAH] = "Shenandoah", [VMJVM_GC_EPSILON] = "Epsilon",
};

static void snap_jvm_flags(struct vmjvm *j, const json_t *f,
			   struct snap_err *e, int *rc)
{
	const char *src = NULL;

	if (f && json_is_object(f) && snap_str(f, "source", &src, e))
		*rc = -EINVAL;
	j->flags_from_cmdline = src && !strcmp(src, "cmdline");
	j->xmx = snap_bytes_of(f, "xmx_kib", e, rc);
	j->xss = snap_bytes_of(f, "xss_kib", e, rc);
	j->vm_stack = snap_bytes_of(f, "vm_thread_stack_kib", e, rc);
	j->compiler_stack = snap_bytes_of(f, "compiler_thread_stack_kib", e,
					  rc);
	j->ccs_size = snap_bytes_of(f, "compressed_class_space_kib", e, rc);
	j->max_metaspace = snap_bytes_of(f, "max_metaspace_kib", e, rc);
	j->code_cache = snap_bytes_of(f, "reserved_code_cache_kib", e, rc);
	j->tiered = -1;
}

static int snap_jvm(struct vmmap *m, const json_t *maps, struct snap_err *e)
{
	const json_t *o = json_object_get(maps, "jvm"), *gens, *g;
	struct vmjvm *j = &m->jvm;
	const char *perf, *gc, *coll, *ver;
	uint64_t v[3];
	size_t i;
	int rc = 0;

	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o) || snap_str(o, "perfdata", &perf, e) ||
	    snap_str(o, "gc", &gc, e) || snap_str(o, "collector", &coll, e) ||
	    snap_str(o, "version", &ver, e) ||
	    snap_array(o, "generations", &gens, e))
		return snap_fail(e, -EINVAL, "\"jvm\" is not valid");
	j->detected = true;
	j->perf_err = !perf || !strcmp(perf, "read") ? 0 :
		      !strcmp(perf, "absent") ? -ENOENT :
		      !strcmp(perf, "not_read") ? -ENODATA : -EIO;
	for (unsigned k = 1; gc && k < sizeof(snap_gcs) / sizeof(*snap_gcs);
	     k++)
		if (!strcmp(gc, snap_gcs[k]))
			j->gc = (enum vmjvm_gc)k;
	snprintf(j->collector, sizeof(j->collector), "%s", coll ? coll : "");
	snprintf(j->version, sizeof(j->version), "%s", ver ? ver : "");
	snap_space(json_object_get(o, "heap"), v, e, &rc);
	j->heap_max = v[0], j->heap_capacity = v[1], j->heap_used = v[2];
	json_array_foreach(gens, i, g) {
		if (j->ngens >= VMJVM_GENS)
			break;
		snap_space(g, v, e, &rc);
		j->gen[j->ngens++] = (struct vmjvm_gen){ v[0], v[1], v[2] };
	}
	snap_space(json_object_get(o, "metaspace"), v, e, &rc);
	j->meta_max = v[0], j->meta_capacity = v[1], j->meta_used = v[2];
	snap_space(json_object_get(o, "class_space"), v, e, &rc);
	j->ccs_max = v[0], j->ccs_capacity = v[1], j->ccs_used = v[2];
	snap_jvm_flags(j, json_object_get(o, "flags"), e, &rc);
	return rc;
}

/* Process p of a refresh at time with host hi as a classified vmmap.
 * Returns 0, -ENODATA when it was written without -m, -EACCES when its
 * map was not readable then, -EINVAL with e set when malformed. */
static int snap_vmmap(const json_t *p, const struct proc_row *row,
		      const struct hostinfo *hi, double time,
		      struct vmmap **out, struct snap_err *e)
{
	const json_t *maps = json_object_get(p, "maps");
	struct vmmap *m;

	*out = NULL;
	if (!maps)
		return -ENODATA;
	if (json_is_null(maps))
		return row->access == PROC_ACCESS_LIMITED ? -EACCES : -ESRCH;
	if (!json_is_object(maps))
		return snap_fail(e, -EINVAL, "\"maps\" is not an object");
	m = vmmap_new(row->pid);
	m->saved = true;
	m->time = time;
	if (hi->page_size >= 1024 && !(hi->page_size & (hi->page_size - 1)))
		m->page_size = hi->page_size;
	if (hi->cpus > 0)
		m->online_cpus = hi->cpus;
	m->status_vmsize_kib = row->vsz_kib;
	m->status_vmrss_kib = row->rss_kib;
	if (snap_regions(m, maps, e) || snap_arenas(m, maps, e) ||
	    snap_threads(m, maps, e) || snap_runtime(m, maps, e) ||
	    snap_jvm(m, maps, e)) {
		vmmap_free(m);
		return -EINVAL;
	}
	if (row->access == PROC_ACCESS_LIMITED && !m->missing)
		m->access = VMMAP_ACCESS_LIMITED;
	*out = m;
	return 0;
}

/* --- a process's knobs ------------------------------------------------- */

/* An error name of the knobs object at key (null or absent: 0). */
static int snap_knob_err(const json_t *o, const char *key, int *err,
			 struct snap_err *e)
{
	const char *s;

	*err = 0;
	if (snap_str(o, key, &s, e))
		return -EINVAL;
	if (s && s[0])
		*err = knobs_errno(s);
	return 0;
}

/* A knob value as knobs_read() keeps one: at most KNOBS_VALUE_MAX bytes
 * and the "..." of a cut one. */
static char *snap_knob_value(const char *s)
{
	char *v = snap_bytes(s);

	if (strlen(v) > KNOBS_VALUE_MAX + 3)
		v[KNOBS_VALUE_MAX + 3] = '\0';
	return v;
}

/* The knobs of one array ("environ" or "argv"). */
static int snap_knob_items(struct knobs *k, const json_t *arr,
			   struct snap_err *e)
{
	const json_t *it;
	size_t i;

	if (json_array_size(arr) > 4096)
		return snap_fail(e, -EINVAL, "more than 4096 knobs");
	json_array_foreach(arr, i, it) {
		const char *name, *value, *from;
		enum knob_from f;
		struct knob *kn;

		if (!json_is_object(it))
			return snap_fail(e, -EINVAL, "a knob is not an object");
		if (snap_str(it, "name", &name, e) ||
		    snap_str(it, "value", &value, e) ||
		    snap_str(it, "from", &from, e))
			return -EINVAL;
		if (!name || !value || !from)
			return snap_fail(e, -EINVAL, "a knob without its "
					 "\"name\", \"value\" or \"from\"");
		if (!strcmp(from, "env"))
			f = KNOB_ENV;
		else if (!strcmp(from, "option"))
			f = KNOB_OPTION;
		else if (!strcmp(from, "argv"))
			f = KNOB_ARGV;
		else
			return snap_fail(e, -EINVAL, "a knob's \"from\" is not "
					 "env, option or argv");
		k->items = xreallocarray(k->items, k->nitems + 1,
					 sizeof(*k->items));
		kn = &k->items[k->nitems++];
		kn->from = f;
		kn->name = snap_bytes(name);
		kn->value = snap_knob_value(value);
		/* the sentence of this vmtop's table, not the file's */
		kn->effect = knobs_effect(f, kn->name, kn->value);
	}
	return 0;
}

static int snap_knob_limits(struct knobs *k, const json_t *o,
			    struct snap_err *e)
{
	static const char *const names[KNOBS__NLIMITS] = { "stack", "as",
							   "data" };

	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return snap_fail(e, -EINVAL, "\"limits\" is not an object");
	for (int id = 0; id < KNOBS__NLIMITS; id++) {
		const json_t *l = json_object_get(o, names[id]);
		struct knobs_limit *kl = &k->limit[id];

		if (!l)
			continue;
		if (!json_is_object(l))
			return snap_fail(e, -EINVAL, "limit \"%s\" is not an "
					 "object", names[id]);
		/* null is unlimited, as VMMAP_UNKNOWN is KNOBS_UNLIMITED */
		if (snap_u64(l, "soft", &kl->soft, e) ||
		    snap_u64(l, "hard", &kl->hard, e))
			return -EINVAL;
		kl->read = true;
	}
	return 0;
}

static int snap_knob_cgroup(struct knobs *k, const json_t *o,
			    struct snap_err *e)
{
	const char *path, *eff;
	uint64_t max, high;
	int read;

	if (snap_knob_err(o, "cgroup_error", &k->cg_err, e))
		return -EINVAL;
	o = json_object_get(o, "cgroup");
	if (!o || json_is_null(o)) {
		if (!k->cg_err)
			k->cg_err = -ENODATA;
		return 0;
	}
	if (!json_is_object(o))
		return snap_fail(e, -EINVAL, "\"cgroup\" is not an object");
	if (snap_str(o, "path", &path, e) || snap_str(o, "effective_path",
						       &eff, e) ||
	    snap_u64(o, "memory_max", &max, e) ||
	    snap_u64(o, "memory_high", &high, e) ||
	    snap_u64(o, "effective_max", &k->cg_eff_max, e) ||
	    snap_tristate(o, "memory_max_read", &read, e))
		return -EINVAL;
	k->cg_err = 0;
	k->cg_path = snap_bytes(path ? path : "/");
	k->cg_eff_path = eff ? snap_bytes(eff) : NULL;
	/* files written before memory_max_read: a figure says it was read;
	 * two nulls are taken as unreadable */
	k->cg_read = read == 1 || (read == -1 && (max != VMMAP_UNKNOWN ||
						  high != VMMAP_UNKNOWN));
	k->cg_max = k->cg_read ? max : 0;
	/* memory.high is there wherever memory.max is: null is "max" */
	k->cg_high = k->cg_read ? high : 0;
	return 0;
}

/* The knobs object o into k (knobs_init()ed).  Returns 0, -ENODATA when
 * it is null or absent (no knobs were saved), -EINVAL with e set. */
static int snap_knobs(const json_t *o, struct knobs *k, struct snap_err *e)
{
	const json_t *env, *argv;
	uint64_t hidden;

	if (!o || json_is_null(o))
		return -ENODATA;
	if (!json_is_object(o))
		return snap_fail(e, -EINVAL, "\"knobs\" is not an object");
	if (snap_array(o, "environ", &env, e) ||
	    snap_array(o, "argv", &argv, e) ||
	    snap_knob_err(o, "environ_error", &k->env_err, e) ||
	    snap_u64(o, "hidden_options", &hidden, e) ||
	    snap_knob_err(o, "limits_error", &k->limits_err, e))
		return -EINVAL;
	if (!env && !k->env_err)
		k->env_err = -ENODATA;
	if (k->env_err)
		env = NULL;
	k->env_hidden = hidden == VMMAP_UNKNOWN ? 0 : (size_t)hidden;
	k->argv_err = 0; /* not saved; nothing shows it */
	if (snap_knob_items(k, env, e) || snap_knob_items(k, argv, e) ||
	    snap_knob_limits(k, json_object_get(o, "limits"), e) ||
	    snap_knob_cgroup(k, o, e))
		return -EINVAL;
	return 0;
}

/* --- one refresh -------------------------------------------------------- */

/* Parses one line into *doc after checking its schema.  Returns 0 or
 * -errno with e set. */
static int snap_parse(const char *line, size_t len, json_t **doc,
		      struct snap_err *e)
{
	struct strbuf sb = STRBUF_INIT;
	json_error_t je;
	const char *schema;
	json_t *d;

	*doc = NULL;
	strbuf_init(&sb, len + 1);
	snap_unsurrogate(line, len, &sb);
	d = json_loadb(sb.buf, sb.len, 0, &je);
	strbuf_release(&sb);
	if (!d) {
		for (char *q = je.text; *q; q++)
			if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
				*q = '?';
		return snap_fail(e, -EINVAL, "not JSON: %s (column %d)",
				 je.text, je.column);
	}
	if (!json_is_object(d)) {
		json_decref(d);
		return snap_fail(e, -EINVAL, "not a vmtop snapshot (a line "
					     "is not a JSON object)");
	}
	if (snap_str(d, "schema", &schema, e) || !schema) {
		json_decref(d);
		return snap_fail(e, -EINVAL, "not a vmtop snapshot (no "
					     "\"schema\")");
	}
	if (strcmp(schema, SNAPMAP_SCHEMA) != 0) {
		bool newer = !strncmp(schema, "vmtop/", 6) &&
			     atoi(schema + 6) > 1;
		char s[40];

		snprintf(s, sizeof(s), "%s", schema);
		for (char *q = s; *q; q++)
			if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
				*q = '?';
		json_decref(d);
		return snap_fail(e, -EPROTONOSUPPORT,
				 newer ? "schema %s is newer than this vmtop "
					 "reads (" SNAPMAP_SCHEMA "): use a "
					 "newer vmtop" :
					 "unknown schema '%s' (this vmtop "
					 "reads " SNAPMAP_SCHEMA ")", s);
	}
	*doc = d;
	return 0;
}

/* Every process of doc through snap_row() and snap_vmmap(), the trees
 * built and dropped. */
static int snap_check_doc(const json_t *doc, struct snap_err *e)
{
	const json_t *procs, *p;
	struct snapmap_strs ss = { NULL, 0, 0 };
	struct hostinfo hi;
	double time;
	size_t i;
	int rc = 0;

	if (snap_num(doc, "time", 0, &time, e) ||
	    snap_host_read(doc, &hi, e) ||
	    snap_array(doc, "processes", &procs, e))
		return -EINVAL;
	json_array_foreach(procs, i, p) {
		struct proc_row row;
		struct vmmap *m;

		struct knobs k;

		knobs_init(&k);
		rc = snap_row(p, &row, &ss, e);
		if (rc == 0)
			rc = snap_knobs(json_object_get(p, "knobs"), &k, e);
		knobs_release(&k);
		if (rc == 0 || rc == -ENODATA)
			rc = snap_vmmap(p, &row, &hi, time, &m, e);
		if (rc == -EINVAL) {
			char what[160];

			if (e->buf) {
				snprintf(what, sizeof(what), "%s", e->buf);
				e->buf[0] = '\0';
				if (row.pid)
					snap_fail(e, rc, "process %d: %s",
						  (int)row.pid, what);
				else
					snap_fail(e, rc, "%s", what);
			}
			break;
		}
		rc = 0;
		if (m)
			maptree_free(maptree_build(m));
		vmmap_free(m);
	}
	snap_strs_clear(&ss);
	free(ss.v);
	return rc;
}

/* --- the module's calls ------------------------------------------------- */

int snapmap_parse(const char *line, size_t len, json_t **doc, char *err,
		  size_t errsize)
{
	struct snap_err e = { err, errsize };

	if (errsize)
		err[0] = '\0';
	return snap_parse(line, len, doc, &e);
}

int snapmap_check(const json_t *doc, char *err, size_t errsize)
{
	struct snap_err e = { err, errsize };

	if (errsize)
		err[0] = '\0';
	return snap_check_doc(doc, &e);
}

double snapmap_time(const json_t *doc)
{
	struct snap_err e = { NULL, 0 };
	double t;

	snap_num(doc, "time", 0, &t, &e);
	return t;
}

void snapmap_host(const json_t *doc, struct hostinfo *hi)
{
	struct snap_err e = { NULL, 0 };

	snap_host_read(doc, hi, &e);
}

static int snap_cmp_row(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static bool snap_wanted(pid_t pid, const pid_t *pids, size_t npids)
{
	if (!npids)
		return true;
	for (size_t i = 0; i < npids; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

size_t snapmap_rows(const json_t *doc, const pid_t *pids, size_t npids,
		    struct snapmap_rows *rows)
{
	struct snap_err e = { NULL, 0 };
	const json_t *procs = json_object_get(doc, "processes"), *p;
	size_t i;

	snapmap_rows_release(rows);
	json_array_foreach(procs, i, p) {
		struct proc_row r;

		if (snap_row(p, &r, &rows->strs, &e) ||
		    !snap_wanted(r.pid, pids, npids))
			continue;
		XGROW(rows->v, rows->cap, rows->n + 1);
		rows->v[rows->n++] = r;
	}
	if (rows->n > 1)
		qsort(rows->v, rows->n, sizeof(*rows->v), snap_cmp_row);
	return rows->n;
}

void snapmap_rows_release(struct snapmap_rows *rows)
{
	snap_strs_clear(&rows->strs);
	rows->n = 0;
}

void snapmap_rows_free(struct snapmap_rows *rows)
{
	snap_strs_clear(&rows->strs);
	free(rows->strs.v);
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

int snapmap_read(const json_t *doc, pid_t pid, struct vmmap **out)
{
	struct snap_err e = { NULL, 0 };
	const json_t *procs = json_object_get(doc, "processes"), *p;
	struct snapmap_strs ss = { NULL, 0, 0 };
	struct hostinfo hi;
	size_t i;
	int rc = -ESRCH;

	*out = NULL;
	snap_host_read(doc, &hi, &e);
	json_array_foreach(procs, i, p) {
		struct proc_row r;

		if (snap_row(p, &r, &ss, &e) || r.pid != pid)
			continue;
		rc = snap_vmmap(p, &r, &hi, snapmap_time(doc), out, &e);
		break;
	}
	snap_strs_clear(&ss);
	free(ss.v);
	return rc == -EINVAL ? -EIO : rc;
}

int snapmap_knobs(const json_t *doc, pid_t pid, struct knobs *k)
{
	struct snap_err e = { NULL, 0 };
	const json_t *procs = json_object_get(doc, "processes"), *p;
	size_t i;
	int rc = -ESRCH;

	knobs_init(k);
	json_array_foreach(procs, i, p) {
		uint64_t v;

		if (snap_u64(p, "pid", &v, &e) || v != (uint64_t)pid)
			continue;
		rc = snap_knobs(json_object_get(p, "knobs"), k, &e);
		break;
	}
	if (rc < 0) {
		knobs_release(k);
		return rc == -EINVAL ? -EIO : rc;
	}
	return 0;
}
