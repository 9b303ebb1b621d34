/* hsperf: the JVM's hsperfdata file, found in its maps and read without
 * attaching (doc/REFERENCE.md 8.2).
 *
 * Layout (HotSpot's perfMemory.hpp): a 32-byte prologue (magic CA FE C0
 * C0, byte order, major, minor, accessible, used, overflow, a time stamp,
 * the first entry's offset, the entry count), then entries, each a
 * 20-byte header (entry length, name offset, vector length, type, flags,
 * units, variability, data offset, all relative to the entry) followed by
 * its name and data.  Every field comes from the target: each is checked
 * against the bytes that are really there before it is used.
 *
 * The parser is a pure function of a buffer (the fuzz target calls it);
 * hsperf_read() is the only part that opens a file. */
#include "config.h"

#include "vmtop/hsperf.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/procfile.h"
#include "vmtop/xalloc.h"

#define HSPERF_PROLOGUE 32
#define HSPERF_ENTRY_HDR 20

/* --- the parser --------------------------------------------------------- */

static uint32_t hsperf_u32(const unsigned char *p, bool be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			    (uint32_t)p[2] << 8 | p[3] :
		    (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
			    (uint32_t)p[1] << 8 | p[0];
}

static uint64_t hsperf_u64(const unsigned char *p, bool be)
{
	uint64_t hi = hsperf_u32(be ? p : p + 4, be);
	uint64_t lo = hsperf_u32(be ? p + 4 : p, be);

	return hi << 32 | lo;
}

/* Size of one element of a vector of type t, 0 for an unknown type. */
static size_t hsperf_elem(char t)
{
	switch (t) {
	case 'B': case 'Z':
		return 1;
	case 'C': case 'S':
		return 2;
	case 'I': case 'F':
		return 4;
	case 'J': case 'D':
		return 8;
	default:
		return 0;
	}
}

/* Decodes the entry at b[off..end) into *e.  Returns its length (at least
 * the header's 20 bytes, so the walk always advances), or 0 when it is
 * malformed. */
static size_t hsperf_entry_at(const unsigned char *b, size_t off, size_t end,
			      bool be, struct hsperf_entry *e)
{
	const unsigned char *p = b + off;
	uint32_t elen, noff, vlen, doff;
	size_t esz, need;
	const void *nul;

	if (end - off < HSPERF_ENTRY_HDR)
		return 0;
	elen = hsperf_u32(p, be);
	noff = hsperf_u32(p + 4, be);
	vlen = hsperf_u32(p + 8, be);
	doff = hsperf_u32(p + 16, be);
	if (elen < HSPERF_ENTRY_HDR || elen > end - off)
		return 0;
	if (noff < HSPERF_ENTRY_HDR || noff >= elen)
		return 0;
	nul = memchr(p + noff, '\0', elen - noff);
	if (!nul || (const unsigned char *)nul == p + noff)
		return 0;
	memset(e, 0, sizeof(*e));
	e->name = (const char *)(p + noff);
	e->type = (char)p[12];
	e->units = p[14];
	e->variability = p[15];
	e->vector_length = vlen;
	esz = hsperf_elem(e->type);
	if (!esz || doff < HSPERF_ENTRY_HDR || doff > elen)
		return 0;
	/* 64 bits: vlen * 8 cannot wrap */
	need = vlen ? (size_t)((uint64_t)vlen * esz) : esz;
	if ((uint64_t)need > elen - doff)
		return 0;
	if (vlen == 0 && e->type == 'J')
		e->value = (int64_t)hsperf_u64(p + doff, be);
	if (vlen && e->type == 'B') {
		const void *z = memchr(p + doff, '\0', vlen);

		e->str = (const char *)(p + doff);
		e->str_len = z ? (size_t)((const char *)z - e->str) : vlen;
	}
	return elen;
}

int hsperf_parse(const void *buf, size_t len,
		 void (*fn)(void *ctx, const struct hsperf_entry *e),
		 void *ctx)
{
	const unsigned char *b = buf;
	uint32_t used, first, count;
	size_t end, off;
	bool be;
	int n = 0;

	if (!b || len < HSPERF_PROLOGUE || b[0] != 0xca || b[1] != 0xfe ||
	    b[2] != 0xc0 || b[3] != 0xc0 || b[4] > 1 || b[5] != 2)
		return -EINVAL;
	be = b[4] == 0;
	used = hsperf_u32(b + 8, be);
	first = hsperf_u32(b + 24, be);
	count = hsperf_u32(b + 28, be);
	end = used >= HSPERF_PROLOGUE && used < len ? used : len;
	if (first < HSPERF_PROLOGUE || first > end)
		return -EINVAL;
	for (off = first; (uint32_t)n < count && n < INT32_MAX;) {
		struct hsperf_entry e;
		size_t elen = hsperf_entry_at(b, off, end, be, &e);

		if (!elen)
			break;
		fn(ctx, &e);
		n++;
		off += elen;
	}
	return n;
}

/* --- what vmtop keeps of it --------------------------------------------- */

void hsperf_jvm_init(struct vmjvm *j)
{
	memset(j, 0, sizeof(*j));
	j->detected = true;
	j->perf_err = -ENODATA;
	for (unsigned g = 0; g < VMJVM_GENS; g++)
		j->gen[g].max = j->gen[g].capacity = j->gen[g].used =
			VMMAP_UNKNOWN;
	j->heap_max = j->heap_capacity = j->heap_used = VMMAP_UNKNOWN;
	j->meta_max = j->meta_capacity = j->meta_used = VMMAP_UNKNOWN;
	j->ccs_max = j->ccs_capacity = j->ccs_used = VMMAP_UNKNOWN;
	j->xmx = j->xss = j->vm_stack = j->compiler_stack = VMMAP_UNKNOWN;
	j->ccs_size = j->max_metaspace = j->code_cache = VMMAP_UNKNOWN;
	j->tiered = -1;
}

/* "-Xmx2g", "512m", "1024": the number with its K/M/G/T suffix, times
 * unit when there is no suffix; VMMAP_UNKNOWN when not a size. */
static uint64_t hsperf_size(const char *s, size_t n, uint64_t unit)
{
	uint64_t v = 0, mul = unit;
	size_t k = 0;

	for (; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
		if (v > UINT64_MAX / 10 - 9)
			return VMMAP_UNKNOWN;
		v = v * 10 + (uint64_t)(s[k] - '0');
	}
	if (k == 0)
		return VMMAP_UNKNOWN;
	if (k + 1 == n) {
		switch (s[k] | 0x20) {
		case 'k': mul = 1ull << 10; break;
		case 'm': mul = 1ull << 20; break;
		case 'g': mul = 1ull << 30; break;
		case 't': mul = 1ull << 40; break;
		default: return VMMAP_UNKNOWN;
		}
		/* -XX:ThreadStackSize and friends are in KiB even then */
		mul *= unit;
	} else if (k != n) {
		return VMMAP_UNKNOWN;
	}
	return v > UINT64_MAX / mul ? VMMAP_UNKNOWN : v * mul;
}

struct hsperf_opt {
	const char *prefix;
	size_t off;       /* offsetof the uint64_t in struct vmjvm */
	uint64_t unit;    /* of a number without suffix */
};

#define HSPERF_OPT(p, f, u) { p, offsetof(struct vmjvm, f), u }

static const struct hsperf_opt hsperf_opts[] = {
	HSPERF_OPT("-Xmx", xmx, 1),
	HSPERF_OPT("-XX:MaxHeapSize=", xmx, 1),
	HSPERF_OPT("-Xss", xss, 1),
	HSPERF_OPT("-XX:ThreadStackSize=", xss, 1024),
	HSPERF_OPT("-XX:VMThreadStackSize=", vm_stack, 1024),
	HSPERF_OPT("-XX:CompilerThreadStackSize=", compiler_stack, 1024),
	HSPERF_OPT("-XX:CompressedClassSpaceSize=", ccs_size, 1),
	HSPERF_OPT("-XX:MaxMetaspaceSize=", max_metaspace, 1),
	HSPERF_OPT("-XX:ReservedCodeCacheSize=", code_cache, 1),
};

static const struct {
	const char *name;
	enum vmjvm_gc gc;
} hsperf_gcs[] = {
	{ "G1GC", VMJVM_GC_G1 },
	{ "ZGC", VMJVM_GC_Z },
	{ "ParallelGC", VMJVM_GC_PARALLEL },
	{ "SerialGC", VMJVM_GC_SERIAL },
	{ "ShenandoahGC", VMJVM_GC_SHENANDOAH },
	{ "EpsilonGC", VMJVM_GC_EPSILON },
};

static bool hsperf_is(const char *a, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n == l && memcmp(a, lit, l) == 0;
}

/* One option a[0..n). */
static void hsperf_option(const char *a, size_t n, struct vmjvm *j)
{
	for (size_t k = 0; k < sizeof(hsperf_opts) / sizeof(hsperf_opts[0]);
	     k++) {
		const struct hsperf_opt *o = &hsperf_opts[k];
		size_t l = strlen(o->prefix);
		uint64_t v;

		if (n <= l || memcmp(a, o->prefix, l) != 0)
			continue;
		v = hsperf_size(a + l, n - l, o->unit);
		if (v != VMMAP_UNKNOWN)
			memcpy((char *)j + o->off, &v, sizeof(v));
		return;
	}
	if (n > 8 && memcmp(a, "-XX:", 4) == 0 &&
	    (a[4] == '+' || a[4] == '-')) {
		if (hsperf_is(a + 5, n - 5, "TieredCompilation"))
			j->tiered = a[4] == '+';
		if (a[4] == '+' && memcmp(a + 5, "Use", 3) == 0)
			for (size_t k = 0;
			     k < sizeof(hsperf_gcs) / sizeof(hsperf_gcs[0]); k++)
				if (hsperf_is(a + 8, n - 8, hsperf_gcs[k].name))
					j->gc = hsperf_gcs[k].gc;
	}
}

void hsperf_flags(const char *args, size_t len, char sep, struct vmjvm *j)
{
	size_t s = 0;

	for (size_t k = 0; k <= len; k++) {
		if (k < len && args[k] != sep)
			continue;
		if (k > s)
			hsperf_option(args + s, k - s, j);
		s = k + 1;
	}
}

/* Counters wanted, by name, and where each goes. */
static const struct {
	const char *name;
	size_t off;
} hsperf_fields[] = {
	{ "sun.gc.metaspace.maxCapacity", offsetof(struct vmjvm, meta_max) },
	{ "sun.gc.metaspace.capacity", offsetof(struct vmjvm, meta_capacity) },
	{ "sun.gc.metaspace.used", offsetof(struct vmjvm, meta_used) },
	{ "sun.gc.compressedclassspace.maxCapacity",
	  offsetof(struct vmjvm, ccs_max) },
	{ "sun.gc.compressedclassspace.capacity",
	  offsetof(struct vmjvm, ccs_capacity) },
	{ "sun.gc.compressedclassspace.used", offsetof(struct vmjvm, ccs_used) },
};

struct hsperf_fillctx {
	struct vmjvm *j;
	char first_collector[40];
	const char *vmargs;
	size_t vmargs_len;
};

static void hsperf_copy(char *dst, size_t size, const struct hsperf_entry *e)
{
	size_t n = e->str_len < size - 1 ? e->str_len : size - 1;

	memcpy(dst, e->str, n);
	dst[n] = '\0';
}

static uint64_t hsperf_bytes(const struct hsperf_entry *e)
{
	return e->value < 0 ? VMMAP_UNKNOWN : (uint64_t)e->value;
}

/* sun.gc.generation.N.{maxCapacity,capacity,space.M.used}: rest is what
 * follows "sun.gc.generation." */
static void hsperf_gen(struct vmjvm *j, const char *rest,
		       const struct hsperf_entry *e)
{
	struct vmjvm_gen *g;
	unsigned n = (unsigned)(rest[0] - '0');
	uint64_t v = hsperf_bytes(e);

	if (rest[0] < '0' || rest[0] > '9' || rest[1] != '.' ||
	    n >= VMJVM_GENS || v == VMMAP_UNKNOWN)
		return;
	g = &j->gen[n];
	rest += 2;
	if (strcmp(rest, "maxCapacity") == 0) {
		g->max = v;
		if (n + 1 > j->ngens)
			j->ngens = n + 1;
	} else if (strcmp(rest, "capacity") == 0) {
		g->capacity = v;
	} else if (strncmp(rest, "space.", 6) == 0 &&
		   rest[6] >= '0' && rest[6] <= '9' &&
		   strcmp(rest + 7, ".used") == 0) {
		g->used = (g->used == VMMAP_UNKNOWN ? 0 : g->used) + v;
	}
}

static void hsperf_take(void *ctx, const struct hsperf_entry *e)
{
	struct hsperf_fillctx *f = ctx;
	struct vmjvm *j = f->j;
	const char *n = e->name;

	if (e->type == 'B' && e->str) {
		if (strcmp(n, "sun.gc.policy.name") == 0)
			hsperf_copy(j->collector, sizeof(j->collector), e);
		else if (strcmp(n, "java.property.java.version") == 0)
			hsperf_copy(j->version, sizeof(j->version), e);
		else if (strcmp(n, "java.rt.vmArgs") == 0) {
			f->vmargs = e->str;
			f->vmargs_len = e->str_len;
		} else if (!f->first_collector[0] &&
			   strncmp(n, "sun.gc.collector.", 17) == 0 &&
			   n[17] >= '0' && n[17] <= '9' &&
			   strcmp(n + 18, ".name") == 0)
			hsperf_copy(f->first_collector,
				    sizeof(f->first_collector), e);
		return;
	}
	if (e->type != 'J' || e->vector_length || strncmp(n, "sun.gc.", 7))
		return;
	if (strncmp(n + 7, "generation.", 11) == 0) {
		hsperf_gen(j, n + 18, e);
		return;
	}
	for (size_t k = 0; k < sizeof(hsperf_fields) / sizeof(*hsperf_fields);
	     k++) {
		if (strcmp(n, hsperf_fields[k].name) == 0) {
			uint64_t v = hsperf_bytes(e);

			memcpy((char *)j + hsperf_fields[k].off, &v, sizeof(v));
			return;
		}
	}
}

/* The collector from its counters' names, when no flag said it. */
static enum vmjvm_gc hsperf_gc_of(const char *policy, const char *collector)
{
	if (strcmp(policy, "GarbageFirst") == 0)
		return VMJVM_GC_G1;
	if (strncmp(policy, "ParScav", 7) == 0)
		return VMJVM_GC_PARALLEL;
	if (strncmp(policy, "Copy:", 5) == 0)
		return VMJVM_GC_SERIAL;
	if (strncmp(collector, "Z ", 2) == 0)
		return VMJVM_GC_Z;
	if (strncmp(collector, "Shenandoah", 10) == 0)
		return VMJVM_GC_SHENANDOAH;
	return VMJVM_GC_UNKNOWN;
}

/* Heap totals from the generations.  G1, ZGC and Shenandoah give each
 * generation the whole heap as its maximum; the others split it. */
static void hsperf_heap(struct vmjvm *j, unsigned long page)
{
	bool whole = j->gc == VMJVM_GC_G1 || j->gc == VMJVM_GC_Z ||
		     j->gc == VMJVM_GC_SHENANDOAH;
	uint64_t max = 0, cap = 0, used = 0;

	if (!j->ngens)
		return;
	for (unsigned g = 0; g < j->ngens; g++) {
		const struct vmjvm_gen *x = &j->gen[g];

		if (x->max != VMMAP_UNKNOWN)
			max = whole ? (x->max > max ? x->max : max) :
				      max + x->max;
		if (x->capacity != VMMAP_UNKNOWN)
			cap += x->capacity;
		if (x->used != VMMAP_UNKNOWN)
			used += x->used;
	}
	j->heap_max = max / page * page;
	j->heap_capacity = cap;
	j->heap_used = used;
}

int hsperf_fill(const void *buf, size_t len, struct vmjvm *j)
{
	struct hsperf_fillctx f;
	long ps = sysconf(_SC_PAGESIZE);
	int n;

	memset(&f, 0, sizeof(f));
	f.j = j;
	n = hsperf_parse(buf, len, hsperf_take, &f);
	if (n < 0)
		return n;
	if (!j->collector[0])
		memcpy(j->collector, f.first_collector, sizeof(j->collector));
	if (f.vmargs)
		hsperf_flags(f.vmargs, f.vmargs_len, ' ', j);
	if (j->gc == VMJVM_GC_UNKNOWN)
		j->gc = hsperf_gc_of(j->collector, f.first_collector);
	hsperf_heap(j, ps > 0 ? (unsigned long)ps : 4096);
	j->perf_err = 0;
	return 0;
}

/* --- finding and reading the file --------------------------------------- */

/* Whether path's last component is libjvm.so. */
static bool hsperf_is_libjvm(const char *path, size_t n)
{
	static const char lib[] = "/libjvm.so";

	return n >= sizeof(lib) - 1 &&
	       memcmp(path + n - (sizeof(lib) - 1), lib, sizeof(lib) - 1) == 0;
}

/* Whether r is the hsperfdata mapping: "rw-s" of "/tmp/hsperfdata_USER/PID"
 * (java.io.tmpdir may move it: only the "/hsperfdata_" part is kept). */
static bool hsperf_is_perf(const struct region *r)
{
	return r->perms[3] == 's' && r->perms[1] == 'w' && r->inode &&
	       strstr(r->path, "/hsperfdata_") != NULL;
}

/* Index of the hsperfdata mapping, SIZE_MAX when none; sets detected.
 * Consecutive segments of one file share their path string, so each
 * file's path is looked at once. */
static size_t hsperf_scan(const struct vmmap *m, bool *detected)
{
	const char *last = NULL;
	size_t perf = SIZE_MAX;

	*detected = false;
	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (r->path[0] != '/' || r->path == last)
			continue;
		last = r->path;
		if (!*detected && hsperf_is_libjvm(r->path, strlen(r->path)))
			*detected = true;
		if (perf == SIZE_MAX && r->perms[3] == 's' && hsperf_is_perf(r))
			perf = i;
	}
	return *detected ? perf : SIZE_MAX;
}

/* Reads the mapped file, at most the mapping's size and HSPERF_MAX_BYTES,
 * into j. */
static int hsperf_load(int dirfd, const struct region *r, struct vmjvm *j)
{
	uint64_t want = r->end - r->start;
	size_t got = 0;
	unsigned char *buf;
	int fd = procfile_open_mapped(dirfd, r), rc;

	if (fd < 0)
		return fd;
	if (want > HSPERF_MAX_BYTES)
		want = HSPERF_MAX_BYTES;
	buf = xmalloc((size_t)want);
	while (got < want) {
		ssize_t k = pread(fd, buf + got, (size_t)want - got,
				  (off_t)got);

		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	rc = hsperf_fill(buf, got, j);
	free(buf);
	return rc;
}

/* Without the file, the launcher's command line still has the flags. */
static void hsperf_cmdline(int dirfd, struct vmjvm *j)
{
	char buf[16384];
	int n = procfile_read(dirfd, "cmdline", buf, sizeof(buf));

	if (n <= 0)
		return;
	hsperf_flags(buf, (size_t)n, '\0', j);
	j->flags_from_cmdline = true;
}

void hsperf_read(int dirfd, struct vmmap *m, bool live)
{
	bool detected;
	size_t perf = hsperf_scan(m, &detected);

	if (!detected)
		return;
	hsperf_jvm_init(&m->jvm);
	if (!live)
		return;
	if (perf == SIZE_MAX) {
		m->jvm.perf_err = -ENOENT;
	} else {
		m->jvm.perf_err = hsperf_load(dirfd, &m->regions[perf],
					      &m->jvm);
	}
	if (m->jvm.perf_err != 0)
		hsperf_cmdline(dirfd, &m->jvm);
}
