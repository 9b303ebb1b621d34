/* capture: the archive of a process's raw files (capture.h).
 *
 * The raw files are read first, then the facts (procmap_read() of the
 * live process, whose heap probes, chunk walks and runtime headers are
 * keyed by region start): a process that maps or unmaps in between gets
 * facts for regions its smaps does not show, which classification then
 * simply finds no region for. */
#include "config.h"

#include "vmtop/capture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vmtop/clock.h"
#include "vmtop/hsperf.h"
#include "vmtop/knobs.h"
#include "vmtop/procfile.h"
#include "vmtop/procmap.h"
#include "vmtop/tarlib.h"
#include "vmtop/xalloc.h"

/* The largest file captured: smaps of 65 000 mappings is about 80 MB. */
#define CAPTURE_FILE_MAX (256u << 20)

/* ---- escaping ---- */

void capture_escape(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (!*s) {
		strbuf_addch(sb, '%');
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > ' ' && c < 0x7f && c != '%') {
			strbuf_addch(sb, c);
			continue;
		}
		strbuf_addch(sb, '%');
		strbuf_addch(sb, hex[c >> 4]);
		strbuf_addch(sb, hex[c & 15]);
	}
}

/* ---- facts ---- */

static void add_str(struct strbuf *sb, const char *key, const char *s)
{
	if (!s)
		return;
	strbuf_addf(sb, "%s ", key);
	capture_escape(sb, s);
	strbuf_addch(sb, '\n');
}

static void format_jvm(struct strbuf *sb, const struct vmjvm *j)
{
	strbuf_addf(sb, "jvm %d %d %u %" PRIu64 " %" PRIu64 " %" PRIu64
		    " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		    " %" PRIu64 " %" PRIu64 " %d %" PRIu64 " %" PRIu64
		    " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		    " %" PRIu64 " %d %d\n",
		    j->detected, j->perf_err, j->ngens, j->heap_max,
		    j->heap_capacity, j->heap_used, j->meta_max,
		    j->meta_capacity, j->meta_used, j->ccs_max,
		    j->ccs_capacity, j->ccs_used, j->flags_from_cmdline,
		    j->xmx, j->xss, j->vm_stack, j->compiler_stack,
		    j->ccs_size, j->max_metaspace, j->code_cache, j->tiered,
		    (int)j->gc);
	for (unsigned g = 0; g < j->ngens && g < VMJVM_GENS; g++)
		strbuf_addf(sb, "jvm.gen %u %" PRIu64 " %" PRIu64 " %" PRIu64
			    "\n", g, j->gen[g].max, j->gen[g].capacity,
			    j->gen[g].used);
	add_str(sb, "jvm.collector", j->collector);
	add_str(sb, "jvm.version", j->version);
}

void capture_facts_format(struct strbuf *sb, const struct vmmap *m)
{
	const struct vmexe *x = &m->exe;

	strbuf_addf(sb, "missing %u\n", m->missing & (MISSING_ENVIRON |
		    MISSING_EXE | MISSING_MEMORY | MISSING_PIDNS |
		    MISSING_STACKS));
	strbuf_addf(sb, "exe %d %d %d %d %d %u\n", x->read, x->is_static,
		    x->is_go, x->go_cgo, x->imports_libc, x->syms);
	add_str(sb, "exe.path", x->path);
	add_str(sb, "exe.interp", x->interp);
	add_str(sb, "exe.go_version", x->go_version);
	add_str(sb, "exe.go_tags", x->go_tags);
	for (size_t i = 0; i < m->nsolibs; i++) {
		const struct vmsolib *s = &m->solibs[i];

		strbuf_addf(sb, "solib %" PRIu64 " %" PRIu64 " %" PRIu64 " ",
			    s->base, s->data_end, s->mem_end);
		capture_escape(sb, s->path);
		strbuf_addch(sb, '\n');
	}
	for (size_t i = 0; i < m->nprobes; i++) {
		const struct heap_probe *p = &m->probes[i];

		strbuf_addf(sb, "probe %" PRIu64 " %" PRIu64 " %" PRIu64
			    " %" PRIu64 " %" PRIu64 " %" PRIu64 " %d %d %"
			    PRIu64 " %" PRIu64 "\n", p->addr, p->ar_ptr,
			    p->prev, p->size, p->mprotect_size, p->pagesize,
			    p->err, p->has_state, p->next, p->system_mem);
	}
	for (size_t i = 0; i < m->nchunks; i++) {
		const struct chunk_walk *c = &m->chunks[i];

		strbuf_addf(sb, "chunk %" PRIu64 " %" PRIu64 " %u %d %d %d\n",
			    c->addr, c->covered, c->nchunks, c->complete,
			    c->cut, c->err);
	}
	for (size_t i = 0; i < m->nrtprobes; i++) {
		const struct rt_probe *r = &m->rtprobes[i];

		strbuf_addf(sb, "rtprobe %" PRIu64 " %d %d", r->addr,
			    (int)r->kind, r->err);
		for (int k = 0; k < 5; k++)
			strbuf_addf(sb, " %" PRIu64, r->v[k]);
		strbuf_addch(sb, '\n');
	}
	if (m->jvm.detected)
		format_jvm(sb, &m->jvm);
}

#define MAX_WORDS 24

/* One line split into words (pointers into a copy, NUL-terminated). */
struct line {
	char buf[4096];
	char *w[MAX_WORDS];
	int n;
};

/* Splits s[0..len) at spaces.  Returns 0, or -EINVAL when the line is too
 * long or has too many words. */
static int split(const char *s, size_t len, struct line *l)
{
	char *p;

	if (len >= sizeof(l->buf))
		return -EINVAL;
	memcpy(l->buf, s, len);
	l->buf[len] = '\0';
	l->n = 0;
	for (p = l->buf; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (l->n == MAX_WORDS)
			return -EINVAL;
		l->w[l->n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Undoes capture_escape() in place.  Returns 0, or -EINVAL for a bad
 * escape or a NUL byte. */
static int unescape(char *w)
{
	char *o = w;

	if (!strcmp(w, "%")) {
		*w = '\0';
		return 0;
	}
	for (char *p = w; *p; p++) {
		int hi, lo;

		if (*p != '%') {
			*o++ = *p;
			continue;
		}
		hi = hexval(p[1]);
		lo = hi < 0 ? -1 : hexval(p[2]);
		if (lo < 0 || (hi | lo) == 0)
			return -EINVAL;
		*o++ = (char)(hi << 4 | lo);
		p += 2;
	}
	*o = '\0';
	return 0;
}

static int u64(const char *w, uint64_t *v)
{
	char *end;

	if (*w < '0' || *w > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(w, &end, 10);
	return *end || errno ? -EINVAL : 0;
}

static int i32(const char *w, int *v)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(w, &end, 10);
	if (!*w || *end || errno || x < INT_MIN || x > INT_MAX)
		return -EINVAL;
	*v = (int)x;
	return 0;
}

/* Reads words w[first..first+n) as u64 into v[].  Returns 0 or -EINVAL. */
static int u64s(const struct line *l, int first, int n, uint64_t *v)
{
	if (l->n != first + n)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (u64(l->w[first + i], &v[i]))
			return -EINVAL;
	return 0;
}

/* The most records of one kind: bounded by the file's size anyway. */
#define FACTS_MAX_RECORDS (1u << 20)

static int parse_exe(struct line *l, struct vmmap *m)
{
	int v[6];

	if (l->n != 7)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		if (i32(l->w[i + 1], &v[i]))
			return -EINVAL;
	m->exe.read = v[0] != 0;
	m->exe.is_static = v[1] != 0;
	m->exe.is_go = v[2] != 0;
	m->exe.go_cgo = v[3] < 0 ? -1 : v[3] != 0;
	m->exe.imports_libc = v[4] != 0;
	m->exe.syms = (unsigned)v[5];
	return 0;
}

/* exe.path and the other strings of vmexe. */
static int parse_exe_str(struct line *l, char **dst)
{
	if (l->n != 2 || unescape(l->w[1]))
		return -EINVAL;
	free(*dst);
	*dst = xstrdup(l->w[1]);
	return 0;
}

static int parse_solib(struct line *l, struct vmmap *m)
{
	uint64_t v[3];
	struct vmsolib *s;

	if (l->n != 5 || m->nsolibs >= FACTS_MAX_RECORDS ||
	    unescape(l->w[4]))
		return -EINVAL;
	for (int i = 0; i < 3; i++)
		if (u64(l->w[1 + i], &v[i]))
			return -EINVAL;
	if (v[1] > v[2])
		return -EINVAL;
	m->solibs = xreallocarray(m->solibs, m->nsolibs + 1,
				  sizeof(*m->solibs));
	s = &m->solibs[m->nsolibs++];
	s->base = v[0];
	s->data_end = v[1];
	s->mem_end = v[2];
	s->path = vmmap_intern_path(m, l->w[4], strlen(l->w[4]));
	return 0;
}

static int parse_probe(struct line *l, struct vmmap *m)
{
	struct heap_probe p = { 0 };
	int err, has;

	if (l->n != 11 || m->nprobes >= FACTS_MAX_RECORDS ||
	    u64(l->w[1], &p.addr) || u64(l->w[2], &p.ar_ptr) ||
	    u64(l->w[3], &p.prev) || u64(l->w[4], &p.size) ||
	    u64(l->w[5], &p.mprotect_size) || u64(l->w[6], &p.pagesize) ||
	    i32(l->w[7], &err) || i32(l->w[8], &has) ||
	    u64(l->w[9], &p.next) || u64(l->w[10], &p.system_mem))
		return -EINVAL;
	p.err = err;
	p.has_state = has != 0;
	m->probes = xreallocarray(m->probes, m->nprobes + 1,
				  sizeof(*m->probes));
	m->probes[m->nprobes++] = p;
	return 0;
}

static int parse_chunk(struct line *l, struct vmmap *m)
{
	struct chunk_walk c = { 0 };
	uint64_t n;
	int complete, cut, err;

	if (l->n != 7 || m->nchunks >= FACTS_MAX_RECORDS ||
	    u64(l->w[1], &c.addr) || u64(l->w[2], &c.covered) ||
	    u64(l->w[3], &n) || n > UINT32_MAX || i32(l->w[4], &complete) ||
	    i32(l->w[5], &cut) || i32(l->w[6], &err))
		return -EINVAL;
	/* vmmap_chunks_of() searches them by start */
	if (m->nchunks && m->chunks[m->nchunks - 1].addr >= c.addr)
		return -EINVAL;
	c.nchunks = (uint32_t)n;
	c.complete = complete != 0;
	c.cut = cut != 0;
	c.err = err;
	m->chunks = xreallocarray(m->chunks, m->nchunks + 1,
				  sizeof(*m->chunks));
	m->chunks[m->nchunks++] = c;
	return 0;
}

static int parse_rtprobe(struct line *l, struct vmmap *m)
{
	struct rt_probe r = { 0 };
	int kind, err;

	if (l->n != 9 || m->nrtprobes >= FACTS_MAX_RECORDS ||
	    u64(l->w[1], &r.addr) || i32(l->w[2], &kind) ||
	    i32(l->w[3], &err) || u64s(l, 4, 5, r.v) ||
	    (kind != RTP_V8_PAGE && kind != RTP_PYMALLOC))
		return -EINVAL;
	r.kind = (enum rt_probe_kind)kind;
	r.err = err;
	m->rtprobes = xreallocarray(m->rtprobes, m->nrtprobes + 1,
				    sizeof(*m->rtprobes));
	m->rtprobes[m->nrtprobes++] = r;
	return 0;
}

static int parse_jvm(struct line *l, struct vmjvm *j)
{
	uint64_t *u[] = { &j->heap_max, &j->heap_capacity, &j->heap_used,
			  &j->meta_max, &j->meta_capacity, &j->meta_used,
			  &j->ccs_max, &j->ccs_capacity, &j->ccs_used };
	uint64_t *f[] = { &j->xmx, &j->xss, &j->vm_stack,
			  &j->compiler_stack, &j->ccs_size,
			  &j->max_metaspace, &j->code_cache };
	int det, perf, ngens, cmdl, tiered, gc;

	if (l->n != 23 || i32(l->w[1], &det) || i32(l->w[2], &perf) ||
	    i32(l->w[3], &ngens) || ngens < 0 || ngens > VMJVM_GENS ||
	    i32(l->w[13], &cmdl) || i32(l->w[21], &tiered) ||
	    i32(l->w[22], &gc) || gc < VMJVM_GC_UNKNOWN ||
	    gc > VMJVM_GC_EPSILON)
		return -EINVAL;
	for (int i = 0; i < 9; i++)
		if (u64(l->w[4 + i], u[i]))
			return -EINVAL;
	for (int i = 0; i < 7; i++)
		if (u64(l->w[14 + i], f[i]))
			return -EINVAL;
	j->detected = det != 0;
	j->perf_err = perf;
	j->ngens = (unsigned)ngens;
	j->flags_from_cmdline = cmdl != 0;
	j->tiered = tiered < 0 ? -1 : tiered != 0;
	j->gc = (enum vmjvm_gc)gc;
	return 0;
}

static int parse_jvm_gen(struct line *l, struct vmjvm *j)
{
	uint64_t v[4];

	if (u64s(l, 1, 4, v) || v[0] >= VMJVM_GENS)
		return -EINVAL;
	j->gen[v[0]].max = v[1];
	j->gen[v[0]].capacity = v[2];
	j->gen[v[0]].used = v[3];
	return 0;
}

static int parse_fixed(struct line *l, char *dst, size_t size)
{
	if (l->n != 2 || unescape(l->w[1]))
		return -EINVAL;
	snprintf(dst, size, "%s", l->w[1]);
	return 0;
}

static int parse_fact(struct line *l, struct vmmap *m)
{
	const char *k = l->w[0];
	int v;

	if (!strcmp(k, "missing")) {
		if (l->n != 2 || i32(l->w[1], &v))
			return -EINVAL;
		m->missing |= (unsigned)v & (MISSING_ENVIRON | MISSING_EXE |
			      MISSING_MEMORY | MISSING_PIDNS | MISSING_STACKS);
		return 0;
	}
	if (!strcmp(k, "exe"))
		return parse_exe(l, m);
	if (!strcmp(k, "exe.path"))
		return parse_exe_str(l, &m->exe.path);
	if (!strcmp(k, "exe.interp"))
		return parse_exe_str(l, &m->exe.interp);
	if (!strcmp(k, "exe.go_version"))
		return parse_exe_str(l, &m->exe.go_version);
	if (!strcmp(k, "exe.go_tags"))
		return parse_exe_str(l, &m->exe.go_tags);
	if (!strcmp(k, "solib"))
		return parse_solib(l, m);
	if (!strcmp(k, "probe"))
		return parse_probe(l, m);
	if (!strcmp(k, "chunk"))
		return parse_chunk(l, m);
	if (!strcmp(k, "rtprobe"))
		return parse_rtprobe(l, m);
	if (!strcmp(k, "jvm")) {
		hsperf_jvm_init(&m->jvm);
		return parse_jvm(l, &m->jvm);
	}
	if (!strcmp(k, "jvm.gen"))
		return parse_jvm_gen(l, &m->jvm);
	if (!strcmp(k, "jvm.collector"))
		return parse_fixed(l, m->jvm.collector,
				   sizeof(m->jvm.collector));
	if (!strcmp(k, "jvm.version"))
		return parse_fixed(l, m->jvm.version, sizeof(m->jvm.version));
	return 0; /* a key of a later format */
}

/* Calls fn for each line of buf[0..len) that is not empty. */
static int each_line(const char *buf, size_t len,
		     int (*fn)(struct line *l, void *ctx), void *ctx)
{
	static __thread struct line l;
	const char *p = buf, *e = buf + len;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
		int rc;

		if (memchr(p, '\0', n) || split(p, n, &l))
			return -EINVAL;
		if (l.n) {
			rc = fn(&l, ctx);
			if (rc)
				return rc;
		}
		p += n + 1;
	}
	return 0;
}

static int fact_line(struct line *l, void *ctx)
{
	return parse_fact(l, ctx);
}

int capture_facts_parse(const char *buf, size_t len, struct vmmap *m)
{
	return each_line(buf, len, fact_line, m);
}

/* ---- the knobs facts ---- */

/* A line is at most sizeof(struct line.buf) - 1 bytes; a path that does
 * not fit escaped is not kept. */
#define KNOBS_FACT_MAX 4000

void capture_knobs_format(struct strbuf *sb, const struct knobs *k)
{
	struct strbuf path = STRBUF_INIT, bound = STRBUF_INIT;
	int err = k->cg_err;

	strbuf_addf(sb, "knobs.hidden %zu\n", k->env_hidden);
	if (!err && k->cg_path)
		capture_escape(&path, k->cg_path);
	if (!err && k->cg_eff_path)
		capture_escape(&bound, k->cg_eff_path);
	if (!err && (!k->cg_path || path.len > KNOBS_FACT_MAX ||
		     bound.len > KNOBS_FACT_MAX))
		err = -ENAMETOOLONG;
	strbuf_addf(sb, "knobs.cgroup %d %d %" PRIu64 " %" PRIu64 " %"
		    PRIu64 "\n", err, err ? 0 : k->cg_read,
		    err ? 0 : k->cg_max, err ? 0 : k->cg_high,
		    err ? 0 : k->cg_eff_max);
	if (!err) {
		strbuf_addf(sb, "knobs.cgroup.path %s\n", path.buf);
		if (bound.len)
			strbuf_addf(sb, "knobs.cgroup.bound %s\n", bound.buf);
	}
	strbuf_release(&path);
	strbuf_release(&bound);
}

static int knobs_fact_str(struct line *l, char **dst)
{
	if (l->n != 2 || unescape(l->w[1]) || !l->w[1][0])
		return -EINVAL;
	free(*dst);
	*dst = xstrdup(l->w[1]);
	return 0;
}

static int knobs_line(struct line *l, void *ctx)
{
	struct knobs *k = ctx;
	const char *key = l->w[0];
	uint64_t v[3];
	int err, rd;

	if (!strcmp(key, "knobs.hidden")) {
		if (u64s(l, 1, 1, v) || v[0] > SIZE_MAX)
			return -EINVAL;
		k->env_hidden = (size_t)v[0];
		return 0;
	}
	if (!strcmp(key, "knobs.cgroup")) {
		if (l->n != 6 || i32(l->w[1], &err) || err > 0 ||
		    i32(l->w[2], &rd) || u64(l->w[3], &k->cg_max) ||
		    u64(l->w[4], &k->cg_high) || u64(l->w[5], &k->cg_eff_max))
			return -EINVAL;
		k->cg_err = err;
		k->cg_read = rd != 0;
		return 0;
	}
	if (!strcmp(key, "knobs.cgroup.path"))
		return knobs_fact_str(l, &k->cg_path);
	if (!strcmp(key, "knobs.cgroup.bound"))
		return knobs_fact_str(l, &k->cg_eff_path);
	return 0;
}

int capture_knobs_parse(const char *buf, size_t len, struct knobs *k)
{
	int rc = each_line(buf, len, knobs_line, k);

	/* the knobs view names the cgroup it read */
	if (rc == 0 && k->cg_err == 0 && !k->cg_path)
		rc = -EINVAL;
	return rc;
}

struct manifest_ctx {
	struct capture_manifest *out;
	bool first_seen;
};

static int manifest_line(struct line *l, void *ctx)
{
	struct manifest_ctx *c = ctx;
	struct capture_manifest *o = c->out;
	uint64_t v;
	char *end;

	if (!c->first_seen) {
		/* the first line names the file and its format */
		if (l->n != 2 || strcmp(l->w[0], CAPTURE_MANIFEST) ||
		    i32(l->w[1], &o->format) || o->format < 1)
			return -EINVAL;
		c->first_seen = true;
		return 0;
	}
	if (!strcmp(l->w[0], "time") && l->n == 2) {
		errno = 0;
		o->time = strtod(l->w[1], &end);
		if (*end || errno || !(o->time >= 0))
			return -EINVAL;
	} else if (!strcmp(l->w[0], "page_size")) {
		if (u64s(l, 1, 1, &v) || v < 512 || v > (1u << 30) ||
		    (v & (v - 1)))
			return -EINVAL;
		o->page_size = (unsigned long)v;
	} else if (!strcmp(l->w[0], "cpus")) {
		if (u64s(l, 1, 1, &v) || v < 1 || v > 65536)
			return -EINVAL;
		o->cpus = (int)v;
	}
	return 0;
}

int capture_manifest_parse(const char *buf, size_t len,
			   struct capture_manifest *out)
{
	struct manifest_ctx c = { out, false };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = each_line(buf, len, manifest_line, &c);
	if (rc == 0 && !c.first_seen)
		rc = -EINVAL;
	return rc;
}

/* ---- writing ---- */

struct writer {
	const struct tarlib *t;
	struct archive *a;
	struct archive_entry *e;
	time_t mtime;
	char *err;
	size_t errsize;
};

static int add_entry(struct writer *w, const char *name, const void *data,
		     size_t len)
{
	const struct tarlib *t = w->t;

	t->entry_clear(w->e);
	t->entry_set_pathname(w->e, name);
	t->entry_set_filetype(w->e, AE_IFREG);
	t->entry_set_perm(w->e, 0400);
	t->entry_set_size(w->e, (la_int64_t)len);
	t->entry_set_mtime(w->e, w->mtime, 0);
	if (t->write_header(w->a, w->e) != ARCHIVE_OK ||
	    (len && t->write_data(w->a, data, len) != (la_ssize_t)len)) {
		snprintf(w->err, w->errsize, "cannot write %s: %s", name,
			 t->error_string(w->a));
		return -1;
	}
	return 0;
}

/* Reads dirfd's name and adds it as entry.  Returns 0, 1 when it could
 * not be read (rc set), -1 on a write error. */
static int copy_file(struct writer *w, int dirfd, const char *name,
		     const char *entry, struct strbuf *sb, int *rc)
{
	*rc = procfile_read_all(dirfd, name, CAPTURE_FILE_MAX, sb);
	if (*rc < 0)
		return 1;
	return add_entry(w, entry, sb->buf, sb->len);
}

static int capture_threads(struct writer *w, int dirfd, pid_t pid,
			   struct strbuf *sb)
{
	static const char *const files[] = { "stat", "status", "syscall",
					     "comm" };
	int taskfd = openat(dirfd, "task", O_RDONLY | O_DIRECTORY |
			    O_CLOEXEC);
	struct dirent *de;
	char entry[128];
	DIR *d;
	int rc = 0, err;

	if (taskfd < 0)
		return 0; /* the threads are then unknown, as in a live read */
	d = fdopendir(taskfd);
	if (!d) {
		close(taskfd);
		return 0;
	}
	while (rc == 0 && (de = readdir(d))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);
		int tfd;

		if (*end || tid <= 0)
			continue;
		tfd = openat(taskfd, de->d_name, O_RDONLY | O_DIRECTORY |
			     O_CLOEXEC);
		if (tfd < 0)
			continue; /* the thread exited */
		for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
			snprintf(entry, sizeof(entry), "%d/task/%ld/%s",
				 (int)pid, tid, files[i]);
			if (copy_file(w, tfd, files[i], entry, sb, &err) < 0) {
				rc = -1;
				break;
			}
		}
		close(tfd);
	}
	closedir(d);
	return rc;
}

/* The process's environment, its knobs only: the knobs view's filter. */
static int capture_environ(struct writer *w, int dirfd, pid_t pid,
			   struct strbuf *sb)
{
	char entry[64];
	char *kept;
	size_t n;
	int rc;

	if (procfile_read_all(dirfd, "environ", CAPTURE_FILE_MAX, sb) < 0)
		return 0; /* the facts say environ is missing */
	kept = xmalloc(sb->len + 1);
	n = knobs_keep_environ(sb->buf, sb->len, kept);
	/* the whole environment goes away at once */
	memset(sb->buf, 0, sb->len);
	strbuf_reset(sb);
	snprintf(entry, sizeof(entry), "%d/environ", (int)pid);
	rc = add_entry(w, entry, kept, n);
	free(kept);
	return rc;
}

static int capture_facts(struct writer *w, pid_t pid, struct strbuf *sb)
{
	struct knobs k;
	struct vmmap *m;
	char entry[64];
	/* the probes and the executable's facts only: the threads and the
	 * environ are in the archive already, and a load reads them there */
	int rc = procmap_read(NULL, pid, PROCMAP_PROBE | PROCMAP_EXE, &m);

	if (rc < 0 && !m) {
		snprintf(w->err, w->errsize, "process %d: %s", (int)pid,
			 strerror(-rc));
		return -1;
	}
	strbuf_reset(sb);
	capture_facts_format(sb, m);
	vmmap_free(m);
	/* the cgroup is /sys's, which the archive has not got */
	if (knobs_read(NULL, pid, &k) == 0)
		capture_knobs_format(sb, &k);
	knobs_release(&k);
	snprintf(entry, sizeof(entry), "%d/" CAPTURE_FACTS, (int)pid);
	return add_entry(w, entry, sb->buf, sb->len);
}

static int capture_pid(struct writer *w, pid_t pid, struct strbuf *sb)
{
	/* without the first five there is no tree; the rest may be denied
	 * or missing, as they may be for a live read */
	static const char *const files[] = { "stat", "statm", "status",
		"maps", "smaps", "smaps_rollup", "cmdline", "comm", "limits" };
	char entry[64];
	int dirfd = procfile_open_pid(NULL, pid);
	int rc = 0, err;

	if (dirfd < 0) {
		snprintf(w->err, w->errsize, "no process with PID %d",
			 (int)pid);
		return -1;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(entry, sizeof(entry), "%d/%s", (int)pid, files[i]);
		rc = copy_file(w, dirfd, files[i], entry, sb, &err);
		if (rc < 0)
			break;
		if (rc > 0 && i < 5) {
			snprintf(w->err, w->errsize, "cannot read /proc/%d/%s:"
				 " %s%s", (int)pid, files[i], strerror(-err),
				 procfile_denied_err(err) ? " (capture as "
				 "the process's owner or root)" : "");
			rc = -1;
			break;
		}
		rc = 0;
	}
	if (rc == 0)
		rc = capture_environ(w, dirfd, pid, sb);
	if (rc == 0)
		rc = capture_threads(w, dirfd, pid, sb);
	close(dirfd);
	if (rc == 0)
		rc = capture_facts(w, pid, sb);
	return rc;
}

static int capture_host(struct writer *w, const pid_t *pids, size_t npids,
			double now, struct strbuf *sb)
{
	struct utsname u;
	long page = sysconf(_SC_PAGESIZE), cpus = sysconf(
		_SC_NPROCESSORS_ONLN);
	int rc = 0, err;

	strbuf_reset(sb);
	strbuf_addf(sb, CAPTURE_MANIFEST " %d\nvmtop %s\ntime %.3f\n"
		    "page_size %ld\ncpus %ld\n", CAPTURE_FORMAT,
		    PACKAGE_VERSION, now, page > 0 ? page : 4096,
		    cpus > 0 ? cpus : 1);
	if (uname(&u) == 0) {
		add_str(sb, "kernel", u.release);
		add_str(sb, "machine", u.machine);
	}
	strbuf_addstr(sb, "pids");
	for (size_t i = 0; i < npids; i++)
		strbuf_addf(sb, " %d", (int)pids[i]);
	strbuf_addch(sb, '\n');
	if (add_entry(w, CAPTURE_MANIFEST, sb->buf, sb->len) < 0)
		return -1;
	int procfd = open(procfile_root(NULL), O_RDONLY | O_DIRECTORY |
			  O_CLOEXEC);

	if (procfd < 0)
		return 0;
	if (copy_file(w, procfd, "meminfo", "meminfo", sb, &err) < 0 ||
	    copy_file(w, procfd, "uptime", "uptime", sb, &err) < 0)
		rc = -1;
	close(procfd);
	return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

int capture_write(const char *path, const pid_t *pids, size_t npids,
		  char *err, size_t errsize)
{
	struct writer w = { .err = err, .errsize = errsize };
	struct strbuf sb;
	double now = clock_realtime_s();
	int fd, rc = -1;

	w.t = tarlib_load(err, errsize);
	if (!w.t)
		return -1;
	/* O_EXCL: never over an existing file, nor through a symbolic link
	 * (one counts as existing, dangling or not) */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		snprintf(err, errsize, "cannot create %s: %s%s", path,
			 strerror(errno), errno == EEXIST ? " (a capture "
			 "never overwrites a file)" : "");
		return -1;
	}
	w.mtime = (time_t)now;
	w.a = w.t->write_new();
	w.e = w.t->entry_new();
	strbuf_init(&sb, 1 << 16);
	if (!w.a || !w.e || w.t->write_pax(w.a) != ARCHIVE_OK ||
	    ((ends_with(path, ".gz") || ends_with(path, ".tgz")) &&
	     w.t->write_gzip(w.a) != ARCHIVE_OK) ||
	    w.t->write_open_fd(w.a, fd) != ARCHIVE_OK) {
		snprintf(err, errsize, "cannot write %s: %s", path,
			 w.a ? w.t->error_string(w.a) : strerror(ENOMEM));
		goto out;
	}
	if (capture_host(&w, pids, npids, now, &sb) < 0)
		goto out;
	for (size_t i = 0; i < npids; i++)
		if (capture_pid(&w, pids[i], &sb) < 0)
			goto out;
	if (w.t->write_close(w.a) != ARCHIVE_OK) {
		snprintf(err, errsize, "cannot write %s: %s", path,
			 w.t->error_string(w.a));
		goto out;
	}
	rc = fsync(fd) == 0 || errno == EINVAL ? 0 : -1;
	if (rc < 0)
		snprintf(err, errsize, "cannot write %s: %s", path,
			 strerror(errno));
out:
	if (w.a)
		w.t->write_free(w.a);
	if (w.e)
		w.t->entry_free(w.e);
	strbuf_release(&sb);
	close(fd);
	if (rc < 0)
		unlink(path);
	return rc;
}
