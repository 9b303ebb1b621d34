/* batch: the non-interactive program (-b, -J): one report per refresh.
 *
 * Each refresh reads the process list from the source, applies the
 * filter, sorts by VIRT and writes the report through one buffer; with -m
 * each shown process's tree comes from its own pipeline (pipeline.h),
 * which reads smaps on every refresh.  A JSON document with map
 * trees goes out in chunks of about 64 KiB as it is written (60 000
 * regions make 12 MB of JSON, which would otherwise double vmtop's peak
 * RSS); every refresh still ends with all of its text written.  A closed
 * pipe (vmtop -b | head -1) ends the program quietly with status 0. */
#include "config.h"

#include "vmtop/batch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/clock.h"
#include "vmtop/compare.h"
#include "vmtop/compareout.h"
#include "vmtop/diffpair.h"
#include "vmtop/filter.h"
#include "vmtop/fmt.h"
#include "vmtop/json.h"
#include "vmtop/knobtext.h"
#include "vmtop/mapjson.h"
#include "vmtop/maptext.h"
#include "vmtop/maptree.h"
#include "vmtop/openmetrics.h"
#include "vmtop/pipeline.h"
#include "vmtop/proctable.h"
#include "vmtop/proctree.h"
#include "vmtop/rules.h"
#include "vmtop/load.h"
#include "vmtop/source.h"
#include "vmtop/strbuf.h"
#include "vmtop/text.h"
#include "vmtop/xalloc.h"

/* The map pipeline of one process shown with -m, kept from one refresh
 * to the next (the environment and the executable are read once); one
 * whose process left the list, or whose PID now names another process,
 * is dropped. */
struct batch_map {
	struct pipeline *p;
	double start_time;
	bool seen;                    /* in this refresh's list */
	unsigned long report;         /* the report it was last read for */
};

struct batch {
	const struct cli_opts *o;
	unsigned long report;         /* reports made, this one included */
	struct source *src;
	struct filter *filter;
	const struct proc_row **shown;
	size_t shown_cap;
	struct batch_map *maps;       /* with -m, by pid */
	size_t nmaps, maps_cap;
	struct proctree forest;       /* with --tree */
	int *depth;                   /* with --tree: shown[i]'s */
	size_t depth_cap;
	struct strbuf out;
	int werr;                     /* write_all() failure of this refresh */
	long now_ms;                  /* CLOCK_MONOTONIC of this refresh */
	enum proc_mem mem[PROC_MEM__COUNT]; /* --columns' memory columns */
	size_t nmem;
	unsigned mem_want;            /* what reading them needs */
};

/* Chunks smaller than this are not written before the refresh ends. */
#define BATCH_CHUNK (64u << 10)

/* Writes all of sb; returns 0, 1 when the reader went away, -errno. */
static int write_all(const struct strbuf *sb)
{
	size_t off = 0;

	while (off < sb->len) {
		ssize_t n = write(STDOUT_FILENO, sb->buf + off, sb->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EPIPE ? 1 : -errno;
		off += (size_t)n;
	}
	return 0;
}

/* Writes out and empties b->out in the middle of a refresh; after a
 * failure the rest of the refresh is dropped. */
static void flush_out(void *ctx, struct strbuf *sb)
{
	struct batch *b = ctx;

	if (!b->werr)
		b->werr = write_all(sb);
	strbuf_reset(sb);
}

static void maybe_flush(struct batch *b)
{
	if (b->out.len >= BATCH_CHUNK)
		flush_out(b, &b->out);
}

/* --tree: the shown rows in the forest's order (siblings by VIRT, as
 * the list is sorted), each with its depth. */
static void forest_order(struct batch *b, size_t shown)
{
	proctree_build(&b->forest, b->shown, shown);
	XGROW(b->depth, b->depth_cap, shown + 1);
	for (size_t i = 0; i < b->forest.n; i++) {
		b->shown[i] = b->forest.nodes[i].row;
		b->depth[i] = b->forest.nodes[i].depth;
	}
}

/* --tree -J: where the process is in the tree and, for a parent, the
 * sums of its subtree (itself included); null where no row knew a field
 * (SWAP when status was unreadable, CPU% on first sight). */
static void json_tree(struct strbuf *sb, const struct proctree_node *nd)
{
	strbuf_addf(sb, ",\"tree\":{\"depth\":%d,\"descendants\":%zu",
		    nd->depth, nd->descendants);
	if (nd->descendants) {
		strbuf_addf(sb, ",\"subtree\":{\"processes\":%zu",
			    nd->sum.processes);
		for (int f = 0; f < PROCTREE__NFIELDS; f++) {
			strbuf_addf(sb, ",\"%s\":", proctree_field_name(f));
			if (!nd->sum.known[f])
				strbuf_addstr(sb, "null");
			else if (f == PROCTREE_CPU)
				strbuf_addf(sb, "%.1f", nd->sum.v[f]);
			else
				strbuf_addf(sb, "%.0f", nd->sum.v[f]);
		}
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, '}');
}

static size_t select_rows(struct batch *b)
{
	size_t n, shown = 0;
	const struct proc_row *rows = source_rows(b->src, &n);

	XGROW(b->shown, b->shown_cap, n + 1);
	for (size_t i = 0; i < n; i++)
		if (filter_match(b->filter, &rows[i]))
			b->shown[shown++] = &rows[i];
	proctable_sort(b->shown, shown, PROC_SORT_VIRT, true);
	if (b->o->tree)
		forest_order(b, shown);
	return shown;
}

/* The pipeline of row's process, made on first use. */
static struct batch_map *map_of(struct batch *b, const struct proc_row *row)
{
	struct batch_map *bm = NULL;

	for (size_t i = 0; i < b->nmaps && !bm; i++)
		if (pipeline_pid(b->maps[i].p) == row->pid)
			bm = &b->maps[i];
	if (bm && bm->start_time == row->start_time) {
		bm->seen = true;
		return bm;
	}
	if (bm) {
		pipeline_free(bm->p); /* the PID was reused */
	} else {
		XGROW(b->maps, b->maps_cap, b->nmaps + 1);
		bm = &b->maps[b->nmaps++];
	}
	bm->p = pipeline_new(b->src, row->pid, b->o->rules, PIPELINE_HISTORY);
	bm->start_time = row->start_time;
	bm->seen = true;
	bm->report = 0;
	return bm;
}

/* Drops the pipelines of processes no longer shown (mark and sweep). */
static void sweep_maps(struct batch *b)
{
	size_t w = 0;

	for (size_t i = 0; i < b->nmaps; i++) {
		if (b->maps[i].seen) {
			b->maps[i].seen = false;
			b->maps[w++] = b->maps[i];
		} else {
			pipeline_free(b->maps[i].p);
		}
	}
	b->nmaps = w;
}

/* The memory-map tree of one process, refreshed now, or NULL when it
 * could not be read at all (gone, or not even maps readable).  *access
 * becomes limited when anything of it was refused (maps, smaps, environ,
 * exe, the stacks' syscall files, its memory): the text's "!" and the
 * JSON's "access" both come from here, from what was read. */
static const struct maptree *tree_now(struct batch *b,
				      const struct proc_row *row,
				      enum proc_access *access,
				      struct pipeline **pp)
{
	struct batch_map *bm = map_of(b, row);
	struct pipeline *p = bm->p;
	const struct vmmap *m;

	if (pp)
		*pp = p;
	/* once per report: the list's JSON and --compare's table show the
	 * same moment, read once */
	if (bm->report != b->report) {
		pipeline_refresh(p, b->now_ms, 0, true);
		bm->report = b->report;
	}
	if (pipeline_error(p) == -EACCES)
		*access = PROC_ACCESS_LIMITED;
	if (pipeline_error(p) || pipeline_exited(p))
		return NULL;
	m = pipeline_vmmap(p);
	if (m->access != VMMAP_ACCESS_FULL || m->missing)
		*access = PROC_ACCESS_LIMITED;
	return pipeline_tree(p);
}

/* The knobs in effect of p's process (the knobs pane's twin): a few
 * small files, read with -m only. */
static void knobs_out(struct batch *b, struct pipeline *p, bool json)
{
	struct knobs k;
	char why[640];

	if (pipeline_knobs(p, &k, why, sizeof(why)) < 0) {
		if (json)
			strbuf_addstr(&b->out, "null");
	} else if (json) {
		knobtext_json(&b->out, &k);
	} else {
		strbuf_addstr(&b->out, "knobs:\n");
		knobtext_write(&b->out, &k, why);
	}
	knobs_release(&k);
}

static void json_row(struct batch *b, const struct proc_row *row,
		     const struct proctree_node *nd)
{
	struct proc_row r = *row;
	const struct maptree *t = NULL;
	struct pipeline *p = NULL;

	if (b->o->maps)
		t = tree_now(b, row, &r.access, &p);
	json_process_open(&b->out, &r);
	if (nd)
		json_tree(&b->out, nd);
	if (b->o->maps) {
		strbuf_addstr(&b->out, ",\"maps\":");
		if (t)
			mapjson_write_flush(&b->out, t, flush_out, b);
		else
			strbuf_addstr(&b->out, "null");
		strbuf_addstr(&b->out, ",\"knobs\":");
		/* an exited process's PID may be another's now */
		if (p && !pipeline_exited(p))
			knobs_out(b, p, true);
		else
			strbuf_addstr(&b->out, "null");
	}
	strbuf_addch(&b->out, '}');
}

/* One process's tree after the list, t from tree_now(); what the kernel
 * refused and why, never "run as root" to root. */
static void text_maps(struct batch *b, const struct proc_row *r,
		      const struct maptree *t, struct pipeline *p)
{
	char why[640];

	strbuf_addf(&b->out, "\n== %d ", (int)r->pid);
	fmt_printable_str(&b->out, r->comm);
	strbuf_addstr(&b->out, " ==\n");
	pipeline_access_why(p, why, sizeof(why));
	if (t)
		maptext_write(&b->out, t, 0);
	else if (r->access == PROC_ACCESS_LIMITED)
		strbuf_addstr(&b->out, "memory map not readable\n");
	else
		strbuf_addstr(&b->out, "the process has exited\n");
	if (why[0])
		strbuf_addf(&b->out, "access: %s\n", why);
	if (!pipeline_exited(p))
		knobs_out(b, p, false);
}

/* The list, then the trees: each row's access (the "!" marker) is what
 * reading its tree found, as in the JSON, so the trees are read first. */
static void text_list_maps(struct batch *b, size_t shown)
{
	struct proc_row *rows = xcalloc(shown ? shown : 1, sizeof(*rows));
	const struct proc_row **ptrs = xcalloc(shown ? shown : 1,
					       sizeof(*ptrs));
	const struct maptree **trees = xcalloc(shown ? shown : 1,
					       sizeof(*trees));
	struct pipeline **pipes = xcalloc(shown ? shown : 1, sizeof(*pipes));

	for (size_t i = 0; i < shown; i++) {
		rows[i] = *b->shown[i];
		trees[i] = tree_now(b, &rows[i], &rows[i].access, &pipes[i]);
		ptrs[i] = &rows[i];
	}
	text_list_rows_mem(&b->out, ptrs, b->o->tree ? b->depth : NULL, shown,
			   b->o->full_cmdline, b->mem, b->nmem);
	for (size_t i = 0; i < shown; i++)
		text_maps(b, &rows[i], trees[i], pipes[i]);
	free(pipes);
	free(trees);
	free(ptrs);
	free(rows);
}

/* --format prometheus or openmetrics: the trees summed per process name
 * (per process with --per-pid), kernel threads (no address space) and
 * vmtop itself left out, as the exporter (serve.c) does. */
static void exposition(struct batch *b, size_t shown)
{
	struct openmetrics_report r;
	double t0 = clock_realtime_s();
	pid_t self = getpid();

	openmetrics_init(&r, b->o->per_pid);
	for (size_t i = 0; i < shown; i++) {
		struct proc_row row = *b->shown[i];
		struct pipeline *p;
		const struct maptree *t;

		if (row.pid == self || row.vsz_kib == 0)
			continue;
		t = tree_now(b, &row, &row.access, &p);
		if (!t) {
			if (!pipeline_exited(p))
				r.read_errors++;
			continue;
		}
		r.smaps_reads++;
		if (t->ncategories)
			openmetrics_add(&r, &row, t, 0);
	}
	r.scrape_s = clock_realtime_s() - t0;
	openmetrics_write(&b->out, &r,
			  b->o->format == CLI_FORMAT_OPENMETRICS ?
				  OPENMETRICS_OPENMETRICS :
				  OPENMETRICS_PROMETHEUS,
			  0);
	openmetrics_release(&r);
}

/* The order of --compare: -p's order, else by PID; the first is the
 * reference. */
static size_t compare_rank(const struct cli_opts *o,
			   const struct proc_row *r)
{
	for (size_t k = 0; k < o->npids; k++)
		if (o->pids[k] == r->pid)
			return k;
	return o->npids + (size_t)r->pid;
}

/* rows[0..n) by compare_rank() (insertion: a handful of processes). */
static void compare_sort(const struct cli_opts *o,
			 const struct proc_row **rows, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const struct proc_row *r = rows[i];
		size_t k = i;

		for (; k > 0 && compare_rank(o, rows[k - 1]) >
					compare_rank(o, r); k--)
			rows[k] = rows[k - 1];
		rows[k] = r;
	}
}

/* Names for the words: the command name, with the PID when two
 * processes share it. */
static void compare_name(char *buf, size_t size,
			 const struct proc_row *const *rows, size_t n,
			 size_t i)
{
	bool twin = false;

	for (size_t k = 0; k < n; k++)
		twin |= k != i && strcmp(rows[k]->comm, rows[i]->comm) == 0;
	if (twin)
		snprintf(buf, size, "%s[%d]", rows[i]->comm,
			 (int)rows[i]->pid);
	else
		snprintf(buf, size, "%s", rows[i]->comm);
}

/* --compare: the shown processes' trees side by side, as text or as the
 * JSON's "compare" value; those whose tree cannot be read are left out
 * (fewer than two: said, or null). */
static void compare_report(struct batch *b, size_t shown)
{
	const struct proc_row **rows = xcalloc(shown + 1, sizeof(*rows));
	struct compare_input *in = xcalloc(shown + 1, sizeof(*in));
	char (*names)[96] = xcalloc(shown + 1, sizeof(*names));
	pid_t *pids = xcalloc(shown + 1, sizeof(*pids));
	struct compare *c = NULL;
	size_t n = 0;

	memcpy(rows, b->shown, shown * sizeof(*rows));
	compare_sort(b->o, rows, shown);
	for (size_t i = 0; i < shown; i++) {
		struct proc_row r = *rows[i];
		const struct maptree *t;

		if (r.vsz_kib == 0) /* a kernel thread: no address space */
			continue;
		t = tree_now(b, &r, &r.access, NULL);
		if (!t)
			continue;
		compare_name(names[n], sizeof(names[n]), rows, shown, i);
		in[n].name = names[n];
		pids[n] = r.pid;
		in[n++].t = t;
	}
	if (n >= 2 && compare_build(in, n, &c) < 0)
		c = NULL;
	if (b->o->json && c)
		compareout_json(&b->out, c, pids);
	else if (b->o->json)
		strbuf_addstr(&b->out, "null");
	else if (c)
		compareout_text(&b->out, c, pids);
	else
		strbuf_addf(&b->out, "\n== compare ==\nneeds two or more "
			    "processes whose maps can be read: %zu of %zu\n",
			    n, shown);
	compare_free(c);
	free(pids);
	free(names);
	free(in);
	free(rows);
}

static void report(struct batch *b, size_t shown, size_t total)
{
	struct hostinfo host;
	struct source_moment mo;
	double t = clock_realtime_s();

	/* a loaded file: the time of the refresh printed */
	if (source_moment(b->src, &mo))
		t = mo.time;
	source_host(b->src, &host);
	b->now_ms = clock_monotonic_ms();
	b->report++;
	strbuf_reset(&b->out);
	b->werr = 0;
	if (b->o->format >= CLI_FORMAT_PROMETHEUS) {
		exposition(b, shown);
		return;
	}
	if (b->o->json) {
		json_document_open(&b->out, t, &host);
		for (size_t i = 0; i < shown; i++) {
			if (i)
				strbuf_addch(&b->out, ',');
			json_row(b, b->shown[i],
				 b->o->tree ? &b->forest.nodes[i] : NULL);
			maybe_flush(b);
		}
		if (b->o->compare) {
			/* the document's closing, with "compare" before it */
			strbuf_addstr(&b->out, "],\"compare\":");
			compare_report(b, shown);
			strbuf_addstr(&b->out, "}\n");
			return;
		}
		json_document_close(&b->out);
		return;
	}
	text_list_header(&b->out, t, b->o->delay, shown, total, &host);
	if (b->o->compare) {
		text_list_rows(&b->out, b->shown, shown, b->o->full_cmdline);
		compare_report(b, shown);
	} else if (b->o->maps)
		text_list_maps(b, shown);
	else
		text_list_rows_mem(&b->out, b->shown,
				   b->o->tree ? b->depth : NULL, shown,
				   b->o->full_cmdline, b->mem, b->nmem);
	strbuf_addch(&b->out, '\n');
}

/* The memory columns that --columns names, in its order, once each. */
static void setup_columns(struct batch *b, const char *list)
{
	const char *p = list && *list == '+' ? list + 1 : list;
	bool seen[PROC_MEM__COUNT] = { false };

	while (p && *p) {
		size_t n = strcspn(p, ",");
		char name[16];
		int m;

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		m = proctable_mem_by_name(name);
		if (m >= 0 && !seen[m]) {
			seen[m] = true;
			b->mem[b->nmem++] = (enum proc_mem)m;
			b->mem_want |= proctable_mem_want((enum proc_mem)m);
		}
		p += n + (p[n] == ',');
	}
}

/* --load: the file's source, at its first refresh (each refresh of the
 * file is printed once, in order).  Returns 0, or 1 after the message. */
static int setup_load(struct batch *b)
{
	struct source_moment mo;
	char err[640];

	strbuf_init(&b->out, 1 << 16);
	if (load_open(b->o->load, &b->src, err, sizeof(err))) {
		fprintf(stderr, "vmtop: %s\n", err);
		return 1;
	}
	if (source_moment(b->src, &mo) && mo.index > 0)
		source_step(b->src, -(int)mo.index);
	return 0;
}

static int setup(struct batch *b, const struct cli_opts *o)
{
	char err[512];
	int rc;

	memset(b, 0, sizeof(*b));
	b->o = o;
	setup_columns(b, o->columns);
	b->filter = filter_new();
	if (filter_set_pattern(b->filter, o->pattern, err, sizeof(err))) {
		fprintf(stderr, "vmtop: invalid regex '%s': %s\n", o->pattern,
			err);
		return 2;
	}
	for (size_t i = 0; i < o->npids; i++)
		filter_add_pid(b->filter, o->pids[i]);
	for (size_t i = 0; i < o->nuids; i++)
		filter_add_uid(b->filter, o->uids[i]);
	if (o->load)
		return setup_load(b);
	rc = source_proc_new(NULL, &b->src);
	if (rc < 0) {
		fprintf(stderr, "vmtop: cannot read processes: %s\n",
			strerror(-rc));
		return 1;
	}
	strbuf_init(&b->out, 1 << 16);
	return 0;
}

static void teardown(struct batch *b)
{
	for (size_t i = 0; i < b->nmaps; i++)
		pipeline_free(b->maps[i].p);
	free(b->maps);
	source_free(b->src);
	filter_free(b->filter);
	free(b->shown);
	proctree_release(&b->forest);
	free(b->depth);
	strbuf_release(&b->out);
}

static void sleep_until(struct timespec *next, double delay)
{
	long long ns = (long long)(delay * 1e9);

	next->tv_sec += ns / 1000000000LL;
	next->tv_nsec += ns % 1000000000LL;
	if (next->tv_nsec >= 1000000000L) {
		next->tv_sec++;
		next->tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) ==
	       EINTR)
		;
}

/* Why none of the -p PIDs is shown: none exists, or the pattern or -u
 * left out those that do. */
static void no_pid_shown(const struct cli_opts *o, bool exists)
{
	const char *what = o->npids > 1 ? "PIDs" : "PID";
	const char *more = o->npids > 1 ? ", ..." : "";

	if (!exists)
		fprintf(stderr, "vmtop: no process with %s %d%s\n", what,
			(int)o->pids[0], more);
	else if (o->pattern)
		fprintf(stderr, "vmtop: the process with %s %d%s does not "
				"match the pattern '%s'%s\n", what,
			(int)o->pids[0], more, o->pattern,
			o->nuids ? " or -u" : "");
	else
		fprintf(stderr, "vmtop: the process with %s %d%s is not "
				"owned by a -u user\n", what,
			(int)o->pids[0], more);
}

static int one_refresh(struct batch *b, long iter)
{
	unsigned want = b->mem_want;
	int n;

	if (b->o->json || b->o->full_cmdline || filter_wants_cmdline(b->filter))
		want |= PROCTABLE_WANT_CMDLINE;
	n = source_list(b->src, b->o->pids, b->o->npids, want);
	if (n < 0) {
		fprintf(stderr, "vmtop: cannot read processes: %s\n",
			strerror(-n));
		return 1;
	}
	size_t shown = select_rows(b);
	if (iter == 0 && b->o->npids && shown == 0) {
		no_pid_shown(b->o, n > 0);
		return 1;
	}
	if (iter == 0 && b->o->compare && shown < 2) {
		fprintf(stderr, "vmtop: --compare needs two or more "
				"processes: %zu selected (-p PID,PID or a "
				"PATTERN)\n", shown);
		return 1;
	}
	report(b, shown, (size_t)n);
	sweep_maps(b);
	int w = b->werr ? b->werr : write_all(&b->out);
	if (w < 0) {
		fprintf(stderr, "vmtop: write error: %s\n", strerror(-w));
		return 1;
	}
	return w == 1 ? -1 : 0; /* -1: the reader is gone */
}

/* --diff: one side's "file", "time" and "pid" in the JSON. */
static void diff_side_json(struct strbuf *sb, const struct diffpair_side *s)
{
	strbuf_addstr(sb, "{\"file\":");
	json_str(sb, s->file);
	strbuf_addf(sb, ",\"live\":%s,\"time\":", s->file ? "false" :
								"true");
	if (s->time)
		json_double(sb, s->time, 3);
	else
		strbuf_addstr(sb, "null");
	strbuf_addf(sb, ",\"pid\":%d,\"comm\":", (int)s->pid);
	json_str(sb, s->comm);
	strbuf_addch(sb, '}');
}

/* --diff -b: the two sides' trees compared, OLD first ("then"), NEW or
 * the live process second ("now"), once. */
static int diff_report(const struct cli_opts *o, struct diffpair *d,
		       const struct rules *rules, struct strbuf *out)
{
	struct diffpair_side *side[2] = { &d->old, &d->new_ };
	struct pipeline *p[2];
	struct compare_input in[2];
	struct compare *c = NULL;
	pid_t pids[2];
	long now = clock_monotonic_ms();
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		p[i] = pipeline_new(side[i]->src, side[i]->pid, rules, 0);
		pipeline_refresh(p[i], now, 0, true);
		in[i].t = pipeline_tree(p[i]);
		in[i].name = i ? "now" : "then";
		pids[i] = side[i]->pid;
		if (!in[i].t && !rc) {
			fprintf(stderr, "vmtop: the memory map of PID %d "
				"(%s) cannot be read: %s\n",
				(int)side[i]->pid, side[i]->file ?
				side[i]->file : "live",
				pipeline_error(p[i]) ?
				strerror(-pipeline_error(p[i])) :
				"the process has exited");
			rc = 1;
		}
	}
	if (!rc && compare_build(in, 2, &c) < 0) {
		fprintf(stderr, "vmtop: out of memory\n");
		rc = 1;
	}
	if (!rc && o->json) {
		struct strbuf obj = STRBUF_INIT;
		struct hostinfo host;

		source_host(d->new_.src, &host);
		strbuf_init(&obj, 1 << 12);
		json_document_open(out, clock_realtime_s(), &host);
		strbuf_addstr(out, "],\"compare\":{\"what\":");
		json_str(out, d->what);
		strbuf_addstr(out, ",\"sides\":[");
		diff_side_json(out, &d->old);
		strbuf_addch(out, ',');
		diff_side_json(out, &d->new_);
		strbuf_addstr(out, "],");
		/* the model's object, its members after the sides' */
		compareout_json(&obj, c, pids);
		strbuf_addstr(out, obj.buf + 1);
		strbuf_addstr(out, "}\n");
		strbuf_release(&obj);
	} else if (!rc) {
		strbuf_addstr(out, "vmtop --diff: ");
		fmt_printable_str(out, d->what);
		strbuf_addch(out, '\n');
		compareout_text(out, c, pids);
	}
	compare_free(c);
	for (int i = 0; i < 2; i++)
		pipeline_free(p[i]);
	return rc;
}

/* --diff OLD [NEW] with -b or -J.  Returns the exit status. */
static int diff_run(const struct cli_opts *o)
{
	struct diffpair d;
	struct strbuf out = STRBUF_INIT;
	char err[1024];
	int rc = diffpair_open(&d, o->diff_old, o->diff_new, o->pids,
			       o->npids, o->pattern, err, sizeof(err));

	if (rc < 0) {
		fprintf(stderr, "vmtop: %s\n", err);
		return rc == -EINVAL ? 2 : 1;
	}
	strbuf_init(&out, 1 << 16);
	rc = diff_report(o, &d, o->rules, &out);
	if (!rc) {
		signal(SIGPIPE, SIG_IGN);
		int w = write_all(&out);

		if (w < 0) {
			fprintf(stderr, "vmtop: write error: %s\n",
				strerror(-w));
			rc = 1;
		}
	}
	strbuf_release(&out);
	diffpair_release(&d);
	return rc;
}

int batch_run(const struct cli_opts *o)
{
	struct batch b;
	struct timespec next;
	int rc;

	if (o->diff_old)
		return diff_run(o);
	rc = setup(&b, o);

	if (rc) {
		teardown(&b);
		return rc;
	}
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long i = 0; o->iterations == 0 || i < o->iterations; i++) {
		/* a loaded file's refreshes, one after the other */
		if (i && !b.src->live && source_step(b.src, 1) < 0)
			break;
		if (i && b.src->live)
			sleep_until(&next, o->delay);
		rc = one_refresh(&b, i);
		if (rc)
			break;
	}
	teardown(&b);
	return rc < 0 ? 0 : rc;
}
