/* openmetrics: per-group sums of memory-map trees as a Prometheus or
 * OpenMetrics exposition (openmetrics.h).
 *
 * Cardinality stays bounded: labels are the group (and PID when asked),
 * the kind and the measure, never a path; libraries are summed into
 * their kind. */
#include "config.h"

#include "vmtop/openmetrics.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/xalloc.h"

static const char *const measure_names[OM__MEASURES] = {
	[OM_VIRTUAL] = "virtual",
	[OM_RESERVED] = "reserved",
	[OM_RESIDENT] = "resident",
	[OM_PROPORTIONAL] = "proportional",
	[OM_SWAP] = "swap",
};

const char *openmetrics_content_type(enum openmetrics_format f)
{
	if (f == OPENMETRICS_OPENMETRICS)
		return "application/openmetrics-text; version=1.0.0; "
		       "charset=utf-8";
	return "text/plain; version=0.0.4; charset=utf-8";
}

void openmetrics_init(struct openmetrics_report *r, bool per_pid)
{
	memset(r, 0, sizeof(*r));
	r->per_pid = per_pid;
}

void openmetrics_release(struct openmetrics_report *r)
{
	for (size_t i = 0; i < r->ngroups; i++) {
		struct openmetrics_group *g = &r->groups[i];

		for (size_t j = 0; j < g->nruntimes; j++) {
			free(g->runtimes[j].language);
			free(g->runtimes[j].allocator);
		}
		free(g->runtimes);
		free(g->name);
	}
	free(r->groups);
	r->groups = NULL;
	r->ngroups = r->cap = 0;
}

static struct openmetrics_group *group_of(struct openmetrics_report *r,
					  const struct proc_row *row)
{
	pid_t pid = r->per_pid ? row->pid : 0;
	struct openmetrics_group *g;

	for (size_t i = 0; i < r->ngroups; i++) {
		g = &r->groups[i];
		if (g->pid == pid && strcmp(g->name, row->comm) == 0)
			return g;
	}
	XGROW(r->groups, r->cap, r->ngroups + 1);
	g = &r->groups[r->ngroups++];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(row->comm);
	g->pid = pid;
	return g;
}

static void add_counter(struct openmetrics_group *g, enum region_kind k,
			enum openmetrics_measure m, uint64_t kib)
{
	if (kib == VMMAP_UNKNOWN)
		return;
	g->bytes[k][m] += kib * 1024;
	g->known[k][m] = true;
}

static void add_runtime(struct openmetrics_group *g, const char *language,
			const char *allocator)
{
	language = language ? language : "unknown";
	allocator = allocator ? allocator : "unknown";
	for (size_t i = 0; i < g->nruntimes; i++)
		if (strcmp(g->runtimes[i].language, language) == 0 &&
		    strcmp(g->runtimes[i].allocator, allocator) == 0)
			return;
	g->runtimes = xreallocarray(g->runtimes, g->nruntimes + 1,
				    sizeof(*g->runtimes));
	g->runtimes[g->nruntimes].language = xstrdup(language);
	g->runtimes[g->nruntimes].allocator = xstrdup(allocator);
	g->nruntimes++;
}

void openmetrics_add(struct openmetrics_report *r, const struct proc_row *row,
		     const struct maptree *t, double age_s)
{
	struct openmetrics_group *g = group_of(r, row);

	g->processes++;
	g->threads += t->nthreads ? t->nthreads :
		      (uint64_t)(row->threads > 0 ? row->threads : 0);
	g->arenas += t->arenas.count;
	if (t->arenas.limit > g->arena_limit)
		g->arena_limit = t->arenas.limit;
	if (age_s > g->age_s)
		g->age_s = age_s;
	for (size_t i = 0; i < t->ncategories; i++) {
		const struct maptree_category *c = &t->categories[i];
		const struct maptree_totals *to = &c->t;
		uint64_t res = to->rss_kib;

		if (c->kind <= KIND_NONE || c->kind >= KIND__COUNT)
			continue;
		if (res != VMMAP_UNKNOWN && to->hugetlb_kib != VMMAP_UNKNOWN)
			res += to->hugetlb_kib;
		g->has_kind[c->kind] = true;
		add_counter(g, c->kind, OM_VIRTUAL, to->vsz_kib);
		add_counter(g, c->kind, OM_RESERVED, to->reserved_kib);
		add_counter(g, c->kind, OM_RESIDENT, res);
		add_counter(g, c->kind, OM_PROPORTIONAL, to->pss_kib);
		add_counter(g, c->kind, OM_SWAP, to->swap_kib);
		if (c->kind == KIND_THREAD_STACK)
			g->stack_bytes += to->vsz_kib * 1024;
	}
	add_runtime(g, t->runtime.language, t->runtime.allocator);
}

/* --- the writer ------------------------------------------------------- */

void openmetrics_label_value(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	strbuf_addch(sb, '"');
	for (size_t i = 0; i < n;) {
		size_t len = fmt_utf8_len(p + i, n - i);

		if (len == 0) {
			strbuf_addf(sb, "\\\\x%02x", p[i]);
			i++;
			continue;
		}
		if (p[i] == '\\')
			strbuf_addstr(sb, "\\\\");
		else if (p[i] == '"')
			strbuf_addstr(sb, "\\\"");
		else if (p[i] == '\n')
			strbuf_addstr(sb, "\\n");
		else
			strbuf_add(sb, p + i, len);
		i += len;
	}
	strbuf_addch(sb, '"');
}

void openmetrics_family(struct strbuf *sb, enum openmetrics_format f,
			const char *name, const char *type, const char *unit,
			const char *help)
{
	const char *suffix = "";

	if (f == OPENMETRICS_PROMETHEUS) {
		if (strcmp(type, "counter") == 0) {
			suffix = "_total";
		} else if (strcmp(type, "info") == 0) {
			suffix = "_info";
			type = "gauge";
		}
	}
	strbuf_addf(sb, "# HELP %s%s %s\n", name, suffix, help);
	strbuf_addf(sb, "# TYPE %s%s %s\n", name, suffix, type);
	if (f == OPENMETRICS_OPENMETRICS && unit)
		strbuf_addf(sb, "# UNIT %s %s\n", name, unit);
}

void openmetrics_eof(struct strbuf *sb, enum openmetrics_format f)
{
	if (f == OPENMETRICS_OPENMETRICS)
		strbuf_addstr(sb, "# EOF\n");
}

/* "name{group="...",pid="..."" with the brace left open. */
static void sample_open(struct strbuf *sb, const char *name,
			const struct openmetrics_report *r,
			const struct openmetrics_group *g)
{
	strbuf_addf(sb, "%s{group=", name);
	openmetrics_label_value(sb, g->name);
	if (r->per_pid)
		strbuf_addf(sb, ",pid=\"%d\"", (int)g->pid);
}

static void sample_u64(struct strbuf *sb, const char *name,
		       const struct openmetrics_report *r,
		       const struct openmetrics_group *g, uint64_t v)
{
	sample_open(sb, name, r, g);
	strbuf_addf(sb, "} %" PRIu64 "\n", v);
}

static int group_cmp(const void *a, const void *b)
{
	const struct openmetrics_group *x = *(const struct openmetrics_group *
						const *)a;
	const struct openmetrics_group *y = *(const struct openmetrics_group *
						const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void write_memory(struct strbuf *sb, const struct openmetrics_report *r,
			 const struct openmetrics_group *const *gs,
			 enum openmetrics_format f)
{
	openmetrics_family(sb, f, "vmtop_memory_bytes", "gauge", "bytes",
			   "Memory of the group's processes by cause: kind is "
			   "the region kind of vmtop's map tree, measure one of "
			   "virtual, reserved (PROT_NONE), resident, "
			   "proportional (PSS), swap.");
	for (size_t i = 0; i < r->ngroups; i++) {
		const struct openmetrics_group *g = gs[i];

		for (int k = 1; k < KIND__COUNT; k++) {
			if (!g->has_kind[k])
				continue;
			for (int m = 0; m < OM__MEASURES; m++) {
				if (!g->known[k][m])
					continue;
				sample_open(sb, "vmtop_memory_bytes", r, g);
				strbuf_addf(sb, ",kind=\"%s\",measure=\"%s\"} "
					    "%" PRIu64 "\n",
					    maptree_kind_name((enum region_kind)k),
					    measure_names[m], g->bytes[k][m]);
			}
		}
	}
}

static void write_counts(struct strbuf *sb, const struct openmetrics_report *r,
			 const struct openmetrics_group *const *gs,
			 enum openmetrics_format f)
{
	openmetrics_family(sb, f, "vmtop_processes", "gauge", NULL,
			   "Processes in the group.");
	for (size_t i = 0; i < r->ngroups; i++)
		sample_u64(sb, "vmtop_processes", r, gs[i], gs[i]->processes);
	openmetrics_family(sb, f, "vmtop_threads", "gauge", NULL,
			   "Threads of the group's processes.");
	for (size_t i = 0; i < r->ngroups; i++)
		sample_u64(sb, "vmtop_threads", r, gs[i], gs[i]->threads);
	openmetrics_family(sb, f, "vmtop_thread_stack_bytes", "gauge",
			   "bytes", "Virtual size of the thread stacks.");
	for (size_t i = 0; i < r->ngroups; i++)
		sample_u64(sb, "vmtop_thread_stack_bytes", r, gs[i],
			   gs[i]->stack_bytes);
	openmetrics_family(sb, f, "vmtop_glibc_arenas", "gauge", NULL,
			   "Non-main glibc malloc arenas found.");
	for (size_t i = 0; i < r->ngroups; i++)
		sample_u64(sb, "vmtop_glibc_arenas", r, gs[i], gs[i]->arenas);
	openmetrics_family(sb, f, "vmtop_glibc_arena_limit", "gauge", NULL,
			   "glibc's cap on arenas, the main one included "
			   "(max over the group).");
	for (size_t i = 0; i < r->ngroups; i++)
		if (gs[i]->arena_limit > 0)
			sample_u64(sb, "vmtop_glibc_arena_limit", r, gs[i],
				   (uint64_t)gs[i]->arena_limit);
}

static void write_runtime(struct strbuf *sb,
			  const struct openmetrics_report *r,
			  const struct openmetrics_group *const *gs,
			  enum openmetrics_format f, double age_more_s)
{
	/* a gauge of value 1, as the exporters' _info convention and the
	 * Prometheus text format have it: the same TYPE in both formats, so
	 * that promtool checks both */
	openmetrics_family(sb, f, "vmtop_runtime_info", "gauge", NULL,
			   "The language runtime and the malloc in use "
			   "(value 1).");
	for (size_t i = 0; i < r->ngroups; i++) {
		for (size_t j = 0; j < gs[i]->nruntimes; j++) {
			sample_open(sb, "vmtop_runtime_info", r, gs[i]);
			strbuf_addstr(sb, ",language=");
			openmetrics_label_value(sb,
						gs[i]->runtimes[j].language);
			strbuf_addstr(sb, ",allocator=");
			openmetrics_label_value(sb,
						gs[i]->runtimes[j].allocator);
			strbuf_addstr(sb, "} 1\n");
		}
	}
	openmetrics_family(sb, f, "vmtop_tree_age_seconds", "gauge", "seconds",
			   "Age of the oldest smaps counters served for the "
			   "group.");
	for (size_t i = 0; i < r->ngroups; i++) {
		sample_open(sb, "vmtop_tree_age_seconds", r, gs[i]);
		strbuf_addf(sb, "} %.3f\n", gs[i]->age_s + age_more_s);
	}
}

static void write_self(struct strbuf *sb, const struct openmetrics_report *r,
		       enum openmetrics_format f)
{
	openmetrics_family(sb, f, "vmtop_scrape_duration_seconds", "gauge",
			   "seconds",
			   "Wall time of vmtop's last collection of every "
			   "process.");
	strbuf_addf(sb, "vmtop_scrape_duration_seconds %.6f\n", r->scrape_s);
	openmetrics_family(sb, f, "vmtop_smaps_reads", "counter", NULL,
			   "smaps files read since vmtop started.");
	strbuf_addf(sb, "vmtop_smaps_reads_total %" PRIu64 "\n",
		    r->smaps_reads);
	openmetrics_family(sb, f, "vmtop_read_errors", "counter", NULL,
			   "Processes whose memory map could not be read "
			   "(other than by exiting) since vmtop started.");
	strbuf_addf(sb, "vmtop_read_errors_total %" PRIu64 "\n",
		    r->read_errors);
}

void openmetrics_write(struct strbuf *sb, const struct openmetrics_report *r,
		       enum openmetrics_format f, double age_more_s)
{
	const struct openmetrics_group **gs =
		xcalloc(r->ngroups ? r->ngroups : 1, sizeof(*gs));

	for (size_t i = 0; i < r->ngroups; i++)
		gs[i] = &r->groups[i];
	qsort(gs, r->ngroups, sizeof(*gs), group_cmp);
	write_memory(sb, r, gs, f);
	write_counts(sb, r, gs, f);
	write_runtime(sb, r, gs, f, age_more_s);
	write_self(sb, r, f);
	openmetrics_eof(sb, f);
	free(gs);
}
