/* mapdetail: the detail pane and the sentence flow of the map panes.
 *
 * The pane is a flow of "label value" tokens: each goes on the current
 * line when it fits, else starts the next one, so the same text adapts
 * to any width and is cut (never wrapped mid-token) at the bottom. */
#include "config.h"

#include "vmtop/mapdetail.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/mappane.h"
#include "vmtop/strbuf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* smaps keys, in enum smaps_field order (vmmap.h). */
static const char *const mapdetail_sm_names[SM__COUNT] = {
	"Size",           "KernelPageSize", "MMUPageSize",   "Rss",
	"Pss",            "Pss_Dirty",      "Shared_Clean",  "Shared_Dirty",
	"Private_Clean",  "Private_Dirty",  "Referenced",    "Anonymous",
	"KSM",            "LazyFree",       "AnonHugePages", "ShmemPmdMapped",
	"FilePmdMapped",  "Shared_Hugetlb", "Private_Hugetlb", "Swap",
	"SwapPss",        "Locked",
};

/* VmFlags codes (Documentation/filesystems/proc.rst). */
static const struct {
	const char *code, *meaning;
} mapdetail_flags[] = {
	{ "rd", "readable" },
	{ "wr", "writable" },
	{ "ex", "executable" },
	{ "sh", "shared" },
	{ "mr", "may read" },
	{ "mw", "may write" },
	{ "me", "may execute" },
	{ "ms", "may share" },
	{ "gd", "stack guard (grows down)" },
	{ "pf", "pure PFN range" },
	{ "dw", "disabled write to the mapped file" },
	{ "lo", "pages locked in memory" },
	{ "io", "memory-mapped I/O" },
	{ "sr", "sequential read advised" },
	{ "rr", "random read advised" },
	{ "dc", "not copied on fork" },
	{ "de", "not expanded on remap" },
	{ "ac", "accountable" },
	{ "nr", "no swap space reserved" },
	{ "ht", "huge TLB pages" },
	{ "sf", "synchronous page faults" },
	{ "nl", "non-linear mapping" },
	{ "ar", "architecture specific" },
	{ "wf", "wiped on fork" },
	{ "dd", "not in core dumps" },
	{ "sd", "soft-dirty" },
	{ "mm", "mixed map" },
	{ "hg", "huge pages advised" },
	{ "nh", "no huge pages advised" },
	{ "mg", "mergeable (KSM) advised" },
	{ "bt", "arm64 BTI guarded" },
	{ "mt", "arm64 MTE tags" },
	{ "um", "userfaultfd missing-page tracking" },
	{ "uw", "userfaultfd write-protect tracking" },
	{ "ui", "userfaultfd minor-fault tracking" },
	{ "ss", "shadow stack" },
	{ "sl", "sealed" },
	{ "lf", "locked on fault" },
};

const char *mapdetail_vmflag(const char *code)
{
	for (size_t i = 0; i < ARRAY_SIZE(mapdetail_flags); i++)
		if (strcmp(mapdetail_flags[i].code, code) == 0)
			return mapdetail_flags[i].meaning;
	return NULL;
}

/* --- the flow ---------------------------------------------------------- */

struct flow {
	int y, ymax, width, x;
	struct strbuf sb;
};

static void flow_newline(struct flow *f)
{
	if (f->x > 0)
		f->y++;
	f->x = 0;
}

/* Adds "label value" (label may be NULL; value raw). */
static void flow_add(struct flow *f, const char *label, const char *value)
{
	int lw = label ? screen_width(label) + 1 : 0, vw;

	strbuf_reset(&f->sb);
	fmt_printable_str(&f->sb, value);
	vw = screen_width(f->sb.buf);
	if (f->x > 0 && f->x + 2 + lw + vw > f->width)
		flow_newline(f);
	if (f->y > f->ymax)
		return;
	if (f->x > 0)
		f->x += 2;
	if (label) {
		f->x += screen_put(f->y, f->x, f->width - f->x, label,
				   SCREEN_LABEL, false);
		f->x += 1;
	}
	f->x += screen_put(f->y, f->x, f->width - f->x, f->sb.buf,
			   SCREEN_NORMAL, false);
}

static void flow_addf(struct flow *f, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void flow_addf(struct flow *f, const char *label, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	flow_add(f, label, buf);
}

static void flow_kib(struct flow *f, const char *label, uint64_t kib)
{
	char buf[16];

	if (kib == VMMAP_UNKNOWN)
		flow_add(f, label, "-");
	else
		flow_add(f, label, fmt_kib(buf, sizeof(buf), kib));
}

int mapdetail_wrap(int y, int width, int max, const char *text,
		   enum screen_role role)
{
	return mapdetail_wrap_indent(y, width, max, text, role, 0);
}

/* One row of a wrap: the longest prefix of whole words of p that fits in
 * w cells goes to line (a word longer than the row is cut); returns where
 * the next row starts. */
static const char *mapdetail_wrap_row(const char *p, int w, char *line,
				      size_t size)
{
	const char *end = p, *cut = NULL;
	size_t n;

	while (*end) {
		const char *next = strchr(end + 1, ' ');

		n = (size_t)((next ? next : end + strlen(end)) - p);
		if (n >= size)
			break;
		memcpy(line, p, n);
		line[n] = '\0';
		if (screen_width(line) > w)
			break;
		cut = next ? next : end + strlen(end);
		end = cut;
		if (!next)
			break;
	}
	if (!cut) /* one word longer than the line: cut it */
		cut = p + strnlen(p, size - 1);
	n = (size_t)(cut - p);
	memcpy(line, p, n);
	line[n] = '\0';
	while (*cut == ' ')
		cut++;
	return cut;
}

int mapdetail_wrap_each(int width, const char *text, int indent,
			void (*fn)(const char *line, int x, void *arg),
			void *arg)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	int rows = 0;

	strbuf_init(&sb, 256);
	fmt_printable_str(&sb, text);
	for (p = sb.buf; *p && width > indent; rows++) {
		char line[1024];
		int x = rows ? indent : 0;

		p = mapdetail_wrap_row(p, width - x, line, sizeof(line));
		if (fn)
			fn(line, x, arg);
	}
	strbuf_release(&sb);
	return rows;
}

#define MAPDETAIL_MORE " ..."

int mapdetail_wrap_cut(int y, int width, int max, const char *text,
		       enum screen_role role, int indent, bool *more)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	int rows = 0, lastw = 0;

	strbuf_init(&sb, 256);
	fmt_printable_str(&sb, text);
	p = sb.buf;
	while (*p && rows < max && width > indent) {
		int x = rows ? indent : 0, w = width - x;
		char line[1024];

		p = mapdetail_wrap_row(p, w, line, sizeof(line));
		if (x)
			screen_put(y + rows, 0, x, "", role, true);
		lastw = x + screen_put(y + rows++, x, w, line, role, true);
	}
	if (more)
		*more = *p != '\0';
	/* what is left out is marked: after the last word, or over the
	 * row's end when it is full */
	if (*p && rows > 0 && width > 8) {
		int mw = (int)strlen(MAPDETAIL_MORE);
		int x = lastw + mw <= width ? lastw : width - mw;

		screen_put(y + rows - 1, x, mw, MAPDETAIL_MORE, SCREEN_PROMPT,
			   false);
	}
	strbuf_release(&sb);
	return rows;
}

int mapdetail_wrap_indent(int y, int width, int max, const char *text,
			  enum screen_role role, int indent)
{
	return mapdetail_wrap_cut(y, width, max, text, role, indent, NULL);
}

/* --- regions ----------------------------------------------------------- */

static const struct heap_probe *mapdetail_probe(const struct vmmap *m,
						uint64_t addr)
{
	for (size_t i = 0; i < m->nprobes; i++)
		if (m->probes[i].addr == addr)
			return &m->probes[i];
	return NULL;
}

static void mapdetail_heap_info(struct flow *f, const struct vmmap *m,
				const struct region *r)
{
	const struct heap_probe *p = mapdetail_probe(m, r->start);

	if (!p)
		return;
	flow_newline(f);
	if (p->err) {
		flow_addf(f, "heap_info:", "not read (%s)", strerror(p->err));
		return;
	}
	flow_addf(f, "heap_info: ar_ptr", "0x%" PRIx64, p->ar_ptr);
	flow_addf(f, "prev", "0x%" PRIx64, p->prev);
	flow_addf(f, "size", "0x%" PRIx64, p->size);
	flow_addf(f, "mprotect_size", "0x%" PRIx64, p->mprotect_size);
	flow_addf(f, "pagesize", "%" PRIu64, p->pagesize);
	if (p->has_state) {
		flow_addf(f, "malloc_state.next", "0x%" PRIx64, p->next);
		flow_addf(f, "system_mem", "%" PRIu64, p->system_mem);
	}
}

static void mapdetail_vmflags(struct flow *f, const char *flags)
{
	char code[8];
	const char *p = flags;

	if (!flags || !*flags)
		return;
	flow_newline(f);
	flow_add(f, "VmFlags:", "");
	while (*p) {
		size_t n = strcspn(p, " ");
		const char *meaning;

		if (n && n < sizeof(code)) {
			memcpy(code, p, n);
			code[n] = '\0';
			meaning = mapdetail_vmflag(code);
			flow_addf(f, NULL, "%s%s%s%s", code,
				  meaning ? " (" : "", meaning ? meaning : "",
				  meaning ? ")" : "");
		}
		p += n;
		p += strspn(p, " ");
	}
}

/* Why a region adds nothing to VSZ ([vsyscall]: REFERENCE.md 2.1). */
static void mapdetail_uncounted(struct flow *f, const struct region *r)
{
	if (maptree_counts(r))
		return;
	flow_add(f, "VSZ 0:", "the kernel does not count [vsyscall] in VmSize "
		 "(one fixed page above the user address space, the same in "
		 "every process), so neither does vmtop");
}

static void mapdetail_region(struct flow *f, const struct vmmap *m,
			     const struct region *r)
{
	char tags[96] = "";
	size_t len = 0;

	flow_addf(f, NULL, "%012" PRIx64 "-%012" PRIx64, r->start, r->end);
	flow_addf(f, "perms", "%.4s", r->perms);
	flow_kib(f, "size", (r->end - r->start) / 1024);
	mapdetail_uncounted(f, r);
	flow_addf(f, "offset", "%08" PRIx64, r->offset);
	flow_addf(f, "dev", "%02x:%02x", r->dev_major, r->dev_minor);
	flow_addf(f, "inode", "%" PRIu64, r->inode);
	if (r->path[0])
		flow_addf(f, "path", "%s%s", r->path,
			  r->deleted ? " (deleted)" : "");
	else
		flow_add(f, NULL, "anonymous");
	flow_newline(f);
	flow_add(f, "kind", maptree_kind_name(r->kind));
	if (r->group[0])
		flow_add(f, "group", r->group);
	for (unsigned b = 0; b < TAG__COUNT && len < sizeof(tags); b++)
		if (r->tags & (1u << b))
			len += (size_t)snprintf(tags + len, sizeof(tags) - len,
						"%s%s", len ? "," : "",
						maptree_tag_name(1u << b));
	flow_add(f, "tags", len ? tags : "none");
	flow_add(f, "reason", r->reason && r->reason[0] ? r->reason : "-");
	mapdetail_heap_info(f, m, r);
	mapdetail_vmflags(f, region_vmflags(r));
	flow_newline(f);
	if (!r->has_smaps) {
		flow_add(f, "smaps:", "not read for this region yet");
		return;
	}
	if (!r->sm) { /* only the compact counters were kept */
		flow_kib(f, "Rss", region_sm(r, SM_RSS));
		flow_kib(f, "Pss", region_sm(r, SM_PSS));
		flow_kib(f, "Swap", region_sm(r, SM_SWAP));
		flow_kib(f, "Private_Dirty+Shared_Dirty",
			  region_kib(r->dirty_kib));
		flow_add(f, NULL, "(every smaps field is kept for processes "
				  "with fewer mappings)");
		return;
	}
	for (int k = 0; k < SM__COUNT; k++)
		flow_kib(f, mapdetail_sm_names[k], r->sm[k]);
}

/* --- groups and categories --------------------------------------------- */

static void mapdetail_totals(struct flow *f, const struct maptree_totals *t)
{
	flow_kib(f, "VSZ", t->vsz_kib);
	flow_kib(f, "reserved (---p)", t->reserved_kib);
	flow_kib(f, "committed", t->vsz_kib - t->reserved_kib);
	flow_kib(f, "RSS", t->rss_kib);
	flow_kib(f, "PSS", t->pss_kib);
	flow_kib(f, "swap", t->swap_kib);
	flow_kib(f, "dirty", t->dirty_kib);
	flow_addf(f, "regions", "%zu", t->regions);
}

void mapdetail_draw(const struct pipeline *s, const struct treeview_item *it,
		    int y, int height, int width)
{
	struct flow f = { y, y + height - 1, width, 0, STRBUF_INIT };
	enum mappane_node node;
	const void *p = mappane_node_of(s, it, &node);

	if (height < 1 || width < 1)
		return;
	screen_put(y, 0, width, "", SCREEN_NORMAL, true);
	if (!p) {
		screen_put(y, 0, width, "(nothing selected)", SCREEN_DIM, true);
		return;
	}
	strbuf_init(&f.sb, 128);
	if (node == MAPPANE_REGION) {
		mapdetail_region(&f, pipeline_vmmap(s), p);
	} else if (node == MAPPANE_GROUP) {
		const struct maptree_group *g = p;

		flow_add(&f, mappane_kind_label(g->kind), g->name);
		flow_newline(&f);
		mapdetail_totals(&f, &g->t);
		if (g->nregions) {
			flow_newline(&f);
			mapdetail_uncounted(&f, g->regions[0]);
		}
	} else {
		const struct maptree_category *c = p;

		flow_addf(&f, NULL, "%s (%s): %zu group%s",
			  mappane_kind_label(c->kind),
			  maptree_kind_name(c->kind), c->ngroups,
			  c->ngroups == 1 ? "" : "s");
		flow_newline(&f);
		mapdetail_totals(&f, &c->t);
	}
	strbuf_release(&f.sb);
}
