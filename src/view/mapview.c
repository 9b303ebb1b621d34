/* mapview: the map screen — summary, one pane, detail, status, keys.
 *
 * The panes are a table: each makes its treeview over the sampler and
 * may draw sentences above it.  Only the pane on screen is rebuilt when a
 * new sample arrives; another one is rebuilt when the user switches to
 * it, so no widget is ever drawn with pointers into a freed sample. */
#include "config.h"

#include "vmtop/mapview.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "vmtop/arenaview.h"
#include "vmtop/clock.h"
#include "vmtop/diff.h"
#include "vmtop/fmt.h"
#include "vmtop/history.h"
#include "vmtop/insights.h"
#include "vmtop/insightview.h"
#include "vmtop/mapdetail.h"
#include "vmtop/keys.h"
#include "vmtop/mappane.h"
#include "vmtop/pipeline.h"
#include "vmtop/resolverview.h"
#include "vmtop/knobview.h"
#include "vmtop/strbuf.h"
#include "vmtop/threadview.h"
#include "vmtop/treeview.h"
#include "vmtop/xalloc.h"

#define MAPVIEW_WHEEL_ROWS 3
#define MAPVIEW_DETAIL_ROWS 9
#define MAPVIEW_SPARK_CELLS 8

enum mapview_pane_id {
	PANE_TREE,
	PANE_THREADS,
	PANE_ARENAS,
	PANE_DNS,
	PANE_INSIGHTS,
	PANE_KNOBS,
	PANE__COUNT
};

struct mapview_pane {
	struct treeview *(*make)(struct pipeline *s);
	int (*header)(const struct pipeline *s, int y, int width, int max);
	enum keys_view view; /* whose keys it takes */
};

static const struct mapview_pane mapview_panes[PANE__COUNT] = {
	[PANE_TREE] = { mappane_new, NULL, KEYS_VIEW_TREE },
	[PANE_THREADS] = { threadview_new, threadview_header,
			   KEYS_VIEW_THREADS },
	[PANE_ARENAS] = { arenaview_new, arenaview_header, KEYS_VIEW_ARENAS },
	[PANE_DNS] = { resolverview_new, resolverview_header, KEYS_VIEW_DNS },
	[PANE_INSIGHTS] = { insightview_new, insightview_header,
			    KEYS_VIEW_INSIGHTS },
	[PANE_KNOBS] = { knobview_new, knobview_header, KEYS_VIEW_KNOBS },
};

struct mapview {
	struct pipeline *s;
	pid_t pid;
	char comm[64], user[64];
	unsigned long vsz_kib, rss_kib;
	int threads;
	bool in_list;
	double start_time;          /* the row's when the view opened: a row
				     * of another is another process */
	enum mapview_pane_id pane;
	struct treeview *tv[PANE__COUNT];
	bool built[PANE__COUNT];
	int detail;            /* -1: when there is room; 0 hidden; 1 shown */
	bool detail_on;        /* shown at the last draw */
	bool paused;
	time_t refreshed_at;   /* the clock shown: the time of the data */
	char why[640];         /* what the kernel refuses and why, or "" */
	bool prompt;           /* the search line is open */
	struct strbuf line;
	char search[256];
	char status[256];
	enum screen_role status_role;
	int pane_y, pane_h, bar_y; /* where the last draw put them */
};

struct mapview *mapview_new(struct source *src, const struct proc_row *row,
			    const struct rules *rules)
{
	struct mapview *mv = xcalloc(1, sizeof(*mv));

	mv->pid = row->pid;
	mv->start_time = row->start_time;
	mv->s = pipeline_new(src, row->pid, rules,
			     PIPELINE_THROTTLE | PIPELINE_DIFF |
				     PIPELINE_ASYNC | PIPELINE_HISTORY);
	pipeline_set_wake(mv->s, screen_wake);
	for (int p = 0; p < PANE__COUNT; p++)
		mv->tv[p] = mapview_panes[p].make(mv->s);
	mv->detail = -1;
	mv->bar_y = -1;
	strbuf_init(&mv->line, 64);
	mapview_set_row(mv, row);
	return mv;
}

void mapview_free(struct mapview *mv)
{
	if (!mv)
		return;
	for (int p = 0; p < PANE__COUNT; p++)
		treeview_free(mv->tv[p]);
	pipeline_free(mv->s);
	strbuf_release(&mv->line);
	free(mv);
}

pid_t mapview_pid(const struct mapview *mv)
{
	return mv->pid;
}

bool mapview_row_is_its(const struct mapview *mv, const struct proc_row *row)
{
	return row && row->pid == mv->pid && row->start_time == mv->start_time;
}

void mapview_set_row(struct mapview *mv, const struct proc_row *row)
{
	/* another process took the PID: the header keeps this one's name
	 * and last figures, as the tree keeps its last picture */
	if (row && row->start_time != mv->start_time)
		row = NULL;
	mv->in_list = row != NULL;
	if (!row)
		return;
	snprintf(mv->comm, sizeof(mv->comm), "%s", row->comm);
	snprintf(mv->user, sizeof(mv->user), "%s", row->user);
	mv->vsz_kib = row->vsz_kib;
	mv->rss_kib = row->rss_kib;
	mv->threads = row->threads;
}

static void mapview_set_status(struct mapview *mv, enum screen_role role,
			       const char *text)
{
	snprintf(mv->status, sizeof(mv->status), "%s", text);
	mv->status_role = role;
}

/* Rebuilds the tree and the pane on screen after a new sample, their
 * cost charged to the sample; the other panes (a few rows each) are
 * marked out of date.  The tree, the one that grows with the mappings,
 * is never built on a key. */
static void mapview_rebuild(struct mapview *mv)
{
	double t0 = clock_thread_cpu_ms();

	for (int p = 0; p < PANE__COUNT; p++)
		mv->built[p] = false;
	treeview_rebuild(mv->tv[PANE_TREE]);
	mv->built[PANE_TREE] = true;
	if (mv->pane != PANE_TREE) {
		treeview_rebuild(mv->tv[mv->pane]);
		mv->built[mv->pane] = true;
	}
	pipeline_charge(mv->s, clock_thread_cpu_ms() - t0);
}

void mapview_refresh(struct mapview *mv, long now_ms, long delay_ms,
		     bool force)
{
	bool first = !mv->built[mv->pane];

	if (mv->paused && !force)
		return;
	mv->refreshed_at = time(NULL);
	if (pipeline_refresh(mv->s, now_ms, delay_ms, force) || first) {
		mapview_rebuild(mv);
		pipeline_access_why(mv->s, mv->why, sizeof(mv->why));
	}
	/* a loaded snapshot: the clock is the refresh shown */
	if (pipeline_vmmap(mv->s) && pipeline_vmmap(mv->s)->saved)
		mv->refreshed_at = (time_t)pipeline_vmmap(mv->s)->time;
}

const struct maptree *mapview_tree(const struct mapview *mv)
{
	return pipeline_tree(mv->s);
}

void mapview_message(struct mapview *mv, enum screen_role role,
		     const char *text)
{
	mapview_set_status(mv, role, text);
}

void mapview_poll(struct mapview *mv, long now_ms, long delay_ms)
{
	if (!mv->paused && pipeline_refresh(mv->s, now_ms, delay_ms, false))
		mapview_rebuild(mv);
}

void mapview_settle(struct mapview *mv)
{
	if (pipeline_settle(mv->s))
		mapview_rebuild(mv);
}

static void mapview_switch(struct mapview *mv, enum mapview_pane_id pane)
{
	mv->pane = pane;
	if (!mv->built[pane]) {
		treeview_rebuild(mv->tv[pane]);
		mv->built[pane] = true;
	}
}

/* --- summary ----------------------------------------------------------- */

/* Appends head and the time of the baseline ("14:02:11") when one is
 * set.  Returns whether one is. */
static bool mapview_since(const struct mapview *mv, const char *head,
			  struct strbuf *sb)
{
	double at = diff_baseline_time(pipeline_diff(mv->s));
	time_t tt = (time_t)at;
	struct tm tm;

	if (!at)
		return false;
	localtime_r(&tt, &tm);
	strbuf_addf(sb, "%s%02d:%02d:%02d", head, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
	return true;
}

/* " ▁▂▃▅▆▇" after a figure of the process line: cells of its history
 * (VSZ or RSS of the whole process), "" before two refreshes or when
 * cells is 0. */
static const char *mapview_spark(const struct mapview *mv,
				 enum history_what what, size_t cells,
				 char *buf, size_t size)
{
	uint64_t v[MAPVIEW_SPARK_CELLS];
	size_t n = cells ? history_resample(pipeline_totals_history(mv->s),
					    HISTORY_TOTAL, what, v, cells) :
			   0;

	buf[0] = '\0';
	if (n) {
		buf[0] = ' ';
		mappane_sparkline(v, n, MB_CUR_MAX > 1, buf + 1, size - 1);
	}
	return buf;
}

/* The process line, with sparklines of cells cells after VSZ and RSS. */
static void mapview_procline_text(const struct mapview *mv, size_t cells,
				  struct strbuf *sb)
{
	const struct maptree *t = pipeline_tree(mv->s);
	char rt[96], a[16], b[16], c[16], vs[40], rs[40];
	size_t threads = t ? t->nthreads : (size_t)mv->threads;
	struct tm tm;

	/* the time of the last refresh: it stops while paused */
	localtime_r(&mv->refreshed_at, &tm);
	strbuf_addf(sb, " %02d:%02d:%02d  PID %d ", tm.tm_hour, tm.tm_min,
		    tm.tm_sec, (int)mv->pid);
	fmt_printable_str(sb, mv->comm);
	if (pipeline_exited(mv->s))
		strbuf_addstr(sb, " [process exited]");
	else if (mv->paused)
		strbuf_addstr(sb, " [paused]");
	if (t && t->has_smaps)
		strbuf_addf(sb, "  VSZ %s%s  RSS %s%s  PSS %s",
			    fmt_kib(a, sizeof(a), t->totals.vsz_kib),
			    mapview_spark(mv, HISTORY_VSZ, cells, vs,
					  sizeof(vs)),
			    fmt_kib(b, sizeof(b), t->totals.rss_kib),
			    mapview_spark(mv, HISTORY_RSS, cells, rs,
					  sizeof(rs)),
			    fmt_kib(c, sizeof(c), t->totals.pss_kib));
	else if (t)
		strbuf_addf(sb, "  VSZ %s%s",
			    fmt_kib(a, sizeof(a), t->totals.vsz_kib),
			    mapview_spark(mv, HISTORY_VSZ, cells, vs,
					  sizeof(vs)));
	else
		strbuf_addf(sb, "  VSZ %s  RSS %s",
			    fmt_kib(a, sizeof(a), mv->vsz_kib),
			    fmt_kib(b, sizeof(b), mv->rss_kib));
	/* the figures first: a narrow screen cuts the words */
	strbuf_addf(sb, "  %zu thread%s", threads, threads == 1 ? "" : "s");
	if (t) {
		mappane_runtime(t, rt, sizeof(rt));
		strbuf_addf(sb, "  %s", rt);
	}
	strbuf_addstr(sb, "  user ");
	fmt_printable_str(sb, mv->user);
}

/* The sparklines are drawn where the whole line has room for them (8
 * cells, else 4): they never push the runtime or the user off it. */
static int mapview_draw_procline(const struct mapview *mv, int y, int width)
{
	struct strbuf sb = STRBUF_INIT;
	static const size_t cells[] = { MAPVIEW_SPARK_CELLS,
					MAPVIEW_SPARK_CELLS / 2, 0 };

	strbuf_init(&sb, 160);
	for (size_t k = 0; k < sizeof(cells) / sizeof(cells[0]); k++) {
		strbuf_reset(&sb);
		mapview_procline_text(mv, cells[k], &sb);
		if (screen_width(sb.buf) <= width)
			break;
	}
	screen_put(y, 0, width, sb.buf, SCREEN_VALUE, true);
	strbuf_release(&sb);
	return 1;
}

static int mapview_cells(uint64_t part, uint64_t whole, int cells)
{
	return whole ? (int)((part * (uint64_t)cells + whole / 2) / whole) : 0;
}

static int mapview_bar_segment(int y, int x, int n, char ch,
			       enum screen_role role)
{
	char buf[512];

	if (n <= 0)
		return 0;
	if (n >= (int)sizeof(buf))
		n = (int)sizeof(buf) - 1;
	memset(buf, ch, (size_t)n);
	buf[n] = '\0';
	return screen_put(y, x, n, buf, role, false);
}

/* VSZ [####====------] =committed 59.7M, #resident 10.8M  -reserved 375M
 *
 * The words of the whole program: reserved = PROT_NONE address space,
 * committed = the rest of VSZ (resident memory included), resident =
 * RSS.  The bar draws resident as the part of committed it is. */
static int mapview_draw_bar(const struct mapview *mv, const struct maptree *t,
			    int y, int width)
{
	uint64_t vsz = t->totals.vsz_kib, resv = t->totals.reserved_kib;
	uint64_t commit = vsz > resv ? vsz - resv : 0;
	uint64_t res = t->has_smaps ? t->totals.rss_kib :
				      t->m->status_vmrss_kib;
	uint64_t huge = t->totals.hugetlb_kib;
	char head[32], legend[160], a[16], b[16], c[16], d[16], hl[40] = "";
	int x, bw, rc, cc;

	(void)mv;
	if (res == VMMAP_UNKNOWN)
		res = 0;
	/* hugetlb pages are resident, though not in the kernel's Rss */
	res += huge;
	if (res > commit)
		res = commit;
	if (huge)
		snprintf(hl, sizeof(hl), " (hugetlb %s)",
			 fmt_kib(d, sizeof(d), huge));
	snprintf(head, sizeof(head), " VSZ %s [", fmt_kib(a, sizeof(a), vsz));
	snprintf(legend, sizeof(legend),
		 "] =committed %s, #resident %s%s  -reserved %s",
		 fmt_kib(b, sizeof(b), commit), fmt_kib(a, sizeof(a), res),
		 hl,
		 fmt_kib(c, sizeof(c), resv));
	bw = width - screen_width(head) - screen_width(legend);
	if (bw < 10) { /* no room for a bar: the figures alone */
		snprintf(legend, sizeof(legend),
			 " VSZ %s = committed %s + reserved %s; resident %s",
			 fmt_kib(a, sizeof(a), vsz),
			 fmt_kib(b, sizeof(b), commit),
			 fmt_kib(c, sizeof(c), resv), fmt_kib(head, 16, res));
		screen_put(y, 0, width, legend, SCREEN_LABEL, true);
		return 1;
	}
	x = screen_put(y, 0, width, head, SCREEN_LABEL, false);
	rc = mapview_cells(res, vsz, bw);
	cc = mapview_cells(commit, vsz, bw) - rc;
	x += mapview_bar_segment(y, x, rc, '#', SCREEN_BAR_RESIDENT);
	x += mapview_bar_segment(y, x, cc, '=', SCREEN_BAR_COMMITTED);
	x += mapview_bar_segment(y, x, bw - rc - cc, '-', SCREEN_BAR_RESERVED);
	screen_put(y, x, width - x, legend, SCREEN_LABEL, true);
	return 1;
}

/* The insights, largest first, in at most max rows: each whole while it
 * fits (the knob is at a sentence's end), the first cut only when it
 * alone needs more than the rows there are.  What is left out is said on
 * the last row, with the key that shows every insight in full. */
static int mapview_draw_insights(const struct maptree *t, int y, int width,
				 int max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k, n = t->ninsights;
	int rows = 0;
	bool cut = false;

	if (max < 1 || n == 0)
		return 0;
	strbuf_init(&sb, 160);
	for (k = 0; k < n; k++) {
		int left = max - rows, need;

		strbuf_reset(&sb);
		strbuf_addstr(&sb, " * ");
		strbuf_addstr(&sb, t->insights[k].text);
		need = mapdetail_wrap_each(width, sb.buf, 3, NULL, NULL);
		/* whole, leaving a row for the note when others follow */
		if (need <= left && (k + 1 == n || need < left)) {
			rows += mapdetail_wrap_indent(y + rows, width, need,
						      sb.buf, SCREEN_STATUS, 3);
			continue;
		}
		if (k == 0) { /* the largest, cut: better than nothing */
			rows += mapdetail_wrap_cut(y + rows, width,
						   left > 1 ? left - 1 : 1,
						   sb.buf, SCREEN_STATUS, 3,
						   &cut);
			k++;
		}
		break;
	}
	if (k < n || cut) {
		strbuf_reset(&sb);
		if (k < n)
			strbuf_addf(&sb, " + %zu more insight%s", n - k,
				    n - k == 1 ? "" : "s");
		strbuf_addf(&sb, "%s: i shows %s in full", k < n ? "" : " ...",
			    n == 1 ? "it" : "every insight");
		if (rows < max)
			rows += mapdetail_wrap_indent(y + rows, width, 1,
						      sb.buf, SCREEN_PROMPT, 3);
	}
	strbuf_release(&sb);
	return rows;
}

/* "went away: tid 5932 (8.00M), 7f..-7f.. (64.0M)" */
static int mapview_draw_gone(const struct mapview *mv, int y, int width)
{
	const struct diff_gone *g;
	size_t n = diff_gone_list(pipeline_diff(mv->s), &g);
	struct strbuf sb = STRBUF_INIT;
	size_t shown = 0;
	char sz[16];

	if (!n)
		return 0;
	strbuf_init(&sb, 160);
	strbuf_addstr(&sb, " went away");
	mapview_since(mv, " since ", &sb);
	strbuf_addch(&sb, ':');
	for (size_t i = 0; i < n && shown < 6; i++) {
		if (g[i].region && g[i].name[0])
			continue; /* its group is listed */
		strbuf_addstr(&sb, shown++ ? ", " : " ");
		if (g[i].region)
			strbuf_addf(&sb, "%s %llx-%llx",
				    maptree_kind_name(g[i].kind),
				    (unsigned long long)g[i].start,
				    (unsigned long long)g[i].end);
		else
			fmt_printable_str(&sb, g[i].name[0] ? g[i].name :
					  mappane_kind_label(g[i].kind));
		fmt_kib(sz, sizeof(sz), g[i].vsz_kib);
		strbuf_addf(&sb, " (%s)", sz);
	}
	if (shown)
		screen_put(y, 0, width, sb.buf, SCREEN_GREW, true);
	strbuf_release(&sb);
	return shown ? 1 : 0;
}

/* The lines shown instead of the tree when the map cannot be read. */
static int mapview_draw_denied(const struct mapview *mv, int y, int width,
			       int max)
{
	struct strbuf sb = STRBUF_INIT;
	int rows;

	if (pipeline_error(mv->s) == 0 && !pipeline_exited(mv->s))
		return mapdetail_wrap(y, width, max,
				      " reading the memory map...",
				      SCREEN_STATUS);
	if (pipeline_error(mv->s) != -EACCES)
		return mapdetail_wrap(y, width, max,
				      " The process exited before its memory "
				      "map could be read.", SCREEN_ERROR);
	strbuf_init(&sb, 256);
	rows = mapdetail_wrap(y, width, max, " Memory map not readable: "
			      "permission denied.", SCREEN_ERROR);
	rows += mapdetail_wrap(y + rows, width, max - rows,
			       " Shown: VSZ, RSS and threads from the "
			       "process list.  Missing: the memory-map tree, "
			       "RSS and PSS per mapping (smaps), thread "
			       "stacks, malloc "
			       "arenas and the DNS-resolver mappings.",
			       SCREEN_STATUS);
	/* what the kernel refused and why: the advice depends on who
	 * vmtop is (root without CAP_SYS_PTRACE is not helped by "run as
	 * root") */
	strbuf_addch(&sb, ' ');
	if (mv->why[0]) {
		strbuf_addstr(&sb, mv->why);
	} else {
		strbuf_addstr(&sb, "The process belongs to user ");
		fmt_printable_str(&sb, mv->user);
		strbuf_addstr(&sb, ".");
	}
	rows += mapdetail_wrap(y + rows, width, max - rows, sb.buf,
			       SCREEN_STATUS);
	strbuf_release(&sb);
	return rows;
}

static int mapview_draw_summary(struct mapview *mv, int y, int height)
{
	const struct maptree *t = pipeline_tree(mv->s);
	int used = mapview_draw_procline(mv, y, COLS);
	int ins = LINES >= 40 ? 8 : LINES >= 24 ? 4 : LINES >= 16 ? 2 :
		  LINES >= 12 ? 1 : 0;

	if (!t)
		return used + mapview_draw_denied(mv, y + used, COLS,
						  height - used);
	if (t->m->nregions == 0)
		return used + mapdetail_wrap(y + used, COLS, 2,
					     " No memory map: a kernel thread "
					     "has no user address space.",
					     SCREEN_STATUS);
	if (LINES >= 8)
		used += mapview_draw_bar(mv, t, y + used, COLS);
	if (mv->pane != PANE_INSIGHTS) /* that pane has them all */
		used += mapview_draw_insights(t, y + used, COLS, ins);
	if (mv->why[0] && LINES >= 16) /* what the kernel refuses, and why */
		used += mapdetail_wrap_indent(y + used, COLS,
					      LINES >= 30 ? 3 : 2, mv->why,
					      SCREEN_ERROR, 1);
	if (LINES >= 20)
		used += mapview_draw_gone(mv, y + used, COLS);
	return used;
}

/* --- status line and prompt -------------------------------------------- */

static void mapview_seconds(char *buf, size_t size, double s)
{
	snprintf(buf, size, s >= 10 || s == (long)s ? "%.0f s" : "%.1f s", s);
}

static void mapview_ms(char *buf, size_t size, double ms)
{
	snprintf(buf, size, ms >= 10 ? "%.0f ms" : "%.1f ms", ms);
}

/* "smaps every 4 s, 150 ms each; maps every 1 s, 3.2 ms each" */
static void mapview_cadence(const struct mapview *mv, long now_ms,
			    struct strbuf *sb)
{
	struct pipeline_cadence c;
	char a[32], b[32], d[32], e[32];
	const struct vmmap *m = pipeline_vmmap(mv->s);

	pipeline_cadence(mv->s, now_ms, &c);
	if (m && (m->missing & MISSING_SMAPS)) {
		strbuf_addstr(sb, "smaps not readable: no RSS per mapping");
	} else {
		mapview_seconds(a, sizeof(a), c.smaps_every);
		mapview_ms(b, sizeof(b), c.smaps_ms);
		strbuf_addf(sb, "smaps every %s, %s each", a, b);
	}
	mapview_seconds(d, sizeof(d), c.maps_every);
	mapview_ms(e, sizeof(e), c.maps_ms);
	if (c.maps_ms > 0)
		strbuf_addf(sb, "; maps every %s, %s each", d, e);
	if (c.stale) {
		mapview_seconds(a, sizeof(a), c.smaps_age);
		strbuf_addf(sb, "; smaps %s old", a);
	}
}

static void mapview_draw_status(const struct mapview *mv, long now_ms, int y)
{
	struct strbuf sb = STRBUF_INIT;
	const struct vmmap *m = pipeline_vmmap(mv->s);
	bool desc;
	int col;

	if (mv->status[0]) {
		screen_put(y, 0, COLS, mv->status, mv->status_role, true);
		return;
	}
	if (pipeline_exited(mv->s)) {
		screen_put(y, 0, COLS, " process exited: this is its last "
			   "picture; Esc goes back to the list", SCREEN_ERROR,
			   true);
		return;
	}
	strbuf_init(&sb, 128);
	/* the sort first: a narrow screen cuts the cadence, not it */
	col = treeview_sort_col(mv->tv[mv->pane], &desc);
	strbuf_addf(&sb, " sort: %s %s",
		    treeview_column_label(mv->tv[mv->pane], col),
		    desc ? "desc" : "asc");
	mapview_since(mv, "  DELTA since ", &sb);
	if (m && m->saved) {
		strbuf_addstr(&sb, "  loaded from a file: [ and ] step "
				   "through its refreshes");
	} else if (m) {
		strbuf_addstr(&sb, "  ");
		mapview_cadence(mv, now_ms, &sb);
	}
	if (mv->why[0])
		strbuf_addstr(&sb, "; partly refused by the kernel (see "
				   "above)");
	if (m && (m->missing & MISSING_PIDNS))
		strbuf_addf(&sb, "; heap_info: %s", vmmap_memory_why(m));
	screen_put(y, 0, COLS, sb.buf, SCREEN_STATUS, true);
	strbuf_release(&sb);
}

static void mapview_draw_prompt(const struct mapview *mv, int y)
{
	const char *text = mv->line.buf;
	int x = screen_put(y, 0, COLS, "Search: ", SCREEN_PROMPT, false);
	int room = COLS - x - 1;
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 64);
	fmt_printable_str(&sb, text);
	text = sb.buf;
	while (*text && screen_width(text) > room)
		text++;
	while ((*text & 0xc0) == 0x80)
		text++;
	x += screen_put(y, x, room, text, SCREEN_NORMAL, false);
	x += screen_put(y, x, 1, " ", SCREEN_CURSOR, true);
	screen_put(y, x, COLS - x, "", SCREEN_NORMAL, true);
	strbuf_release(&sb);
}

/* --- drawing ----------------------------------------------------------- */

static bool mapview_detail_shown(const struct mapview *mv, int area)
{
	if (mv->pane != PANE_TREE || !pipeline_tree(mv->s))
		return false;
	if (mv->detail >= 0)
		return mv->detail && area >= 6;
	return LINES >= 30 && area >= 2 * MAPVIEW_DETAIL_ROWS;
}

static void mapview_draw_pane(struct mapview *mv, int y, int area)
{
	struct treeview *tv = mv->tv[mv->pane];
	int dh = 0;

	mv->detail_on = false;
	if (!pipeline_tree(mv->s) || area < 1)
		return;
	if (mapview_panes[mv->pane].header) {
		int h = mapview_panes[mv->pane].header(mv->s, y, COLS,
						       area > 10 ? 4 : 1);
		y += h;
		area -= h;
	}
	if (mapview_detail_shown(mv, area)) {
		dh = mv->detail > 0 && area < 2 * MAPVIEW_DETAIL_ROWS ?
			     area / 2 :
			     MAPVIEW_DETAIL_ROWS;
		screen_put(y + area - dh, 0, COLS, " detail", SCREEN_TITLE,
			   true);
		mapdetail_draw(mv->s, treeview_cursor(tv), y + area - dh + 1,
			       dh - 1, COLS);
		mv->detail_on = true;
	}
	mv->pane_y = y;
	mv->pane_h = area - dh;
	treeview_draw(tv, y, area - dh, COLS);
}

void mapview_draw(struct mapview *mv, long now_ms)
{
	int bottom = LINES >= 4 ? LINES - 1 : -1;
	int status = LINES >= 6 ? LINES - 2 : -1;
	int end = status >= 0 ? status : bottom >= 0 ? bottom : LINES;
	int y;

	erase();
	mv->pane_h = 0;
	y = mapview_draw_summary(mv, 0, end);
	mapview_draw_pane(mv, y, end - y);
	if (status >= 0)
		mapview_draw_status(mv, now_ms, status);
	mv->bar_y = bottom;
	if (mv->prompt)
		mapview_draw_prompt(mv, bottom >= 0 ? bottom : LINES - 1);
	else if (bottom >= 0)
		keys_bar_draw(mapview_panes[mv->pane].view, bottom, COLS);
	refresh();
}

/* --- keys -------------------------------------------------------------- */

enum keys_view mapview_keys_view(const struct mapview *mv)
{
	return mapview_panes[mv->pane].view;
}

static void mapview_search(struct mapview *mv, bool next)
{
	if (!mv->search[0]) {
		mapview_set_status(mv, SCREEN_STATUS,
				   " No search yet: press / first");
		return;
	}
	if (!treeview_search(mv->tv[mv->pane], mv->search, next))
		mapview_set_status(mv, SCREEN_ERROR,
				   " No match for the search");
	else
		mv->status[0] = '\0';
}

/* The search line: Enter or Esc close it (the cursor stays where the
 * search put it, n goes on from there), F3 finds the next match. */
static void mapview_prompt_key(struct mapview *mv, int key)
{
	enum keys_action a = key >= SCREEN_KEY_FN(0) ?
				     keys_lookup(mapview_keys_view(mv), key) :
				     KEYS_NONE;

	if (key == SCREEN_KEY_ESC || keys_is_enter(key)) {
		mv->prompt = false;
		return;
	}
	if (a == KEYS_SEARCH) {
		mapview_search(mv, true);
		return;
	}
	if (!screen_line_edit(&mv->line, key, 254)) {
		if (a >= KEYS_UP && a <= KEYS_END)
			keys_treeview(mv->tv[mv->pane], a);
		return;
	}
	snprintf(mv->search, sizeof(mv->search), "%s", mv->line.buf);
	if (mv->search[0])
		mapview_search(mv, false);
}

static void mapview_toggle_detail(struct mapview *mv)
{
	mv->detail = !mv->detail_on;
}

/* b: the picture shown becomes the baseline of DELTA; again, clears it.
 * The tree is rebuilt for the marks to follow at once. */
static void mapview_baseline(struct mapview *mv)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 128);
	if (diff_baseline_time(pipeline_diff(mv->s))) {
		pipeline_baseline_clear(mv->s);
		mapview_set_status(mv, SCREEN_STATUS,
				   " Baseline cleared: DELTA is the change "
				   "since the last refresh");
	} else if (pipeline_baseline_set(mv->s) == 0) {
		mapview_since(mv, " Baseline set: DELTA is the change since ",
			      &sb);
		strbuf_addstr(&sb, "; b again clears it");
		mapview_set_status(mv, SCREEN_STATUS, sb.buf);
	} else {
		mapview_set_status(mv, SCREEN_ERROR,
				   " No picture yet to keep as the baseline");
	}
	strbuf_release(&sb);
	treeview_rebuild(mv->tv[PANE_TREE]);
}

static enum mapview_result mapview_back(struct mapview *mv)
{
	if (mv->pane == PANE_TREE)
		return MAPVIEW_CLOSE;
	mapview_switch(mv, PANE_TREE);
	return MAPVIEW_STAY;
}

static enum mapview_result mapview_action(struct mapview *mv,
					  enum keys_action a)
{
	switch (a) {
	case KEYS_BACK:
	case KEYS_CLOSE: return mapview_back(mv);
	case KEYS_QUIT: return MAPVIEW_QUIT;
	case KEYS_HELP: return MAPVIEW_HELP;
	case KEYS_SEARCH:
		mv->prompt = true;
		strbuf_reset(&mv->line);
		return MAPVIEW_STAY;
	case KEYS_SEARCH_NEXT: mapview_search(mv, true); break;
	case KEYS_DETAIL: mapview_toggle_detail(mv); break;
	case KEYS_THREADS: mapview_switch(mv, PANE_THREADS); break;
	case KEYS_ARENAS: mapview_switch(mv, PANE_ARENAS); break;
	case KEYS_DNS: mapview_switch(mv, PANE_DNS); break;
	case KEYS_INSIGHTS: mapview_switch(mv, PANE_INSIGHTS); break;
	case KEYS_KNOBS: mapview_switch(mv, PANE_KNOBS); break;
	case KEYS_PAUSE: mv->paused = !mv->paused; break;
	case KEYS_BASELINE: mapview_baseline(mv); break;
	case KEYS_REFRESH: return MAPVIEW_REFRESH;
	case KEYS_TIME_BACK: return MAPVIEW_TIME_BACK;
	case KEYS_TIME_ON: return MAPVIEW_TIME_ON;
	case KEYS_SAVE: return MAPVIEW_SAVE;
	case KEYS_REDRAW: clearok(curscr, TRUE); break;
	default: keys_treeview(mv->tv[mv->pane], a); break;
	}
	return MAPVIEW_STAY;
}

enum mapview_result mapview_key(struct mapview *mv, int key)
{
	enum keys_action a;

	if (key == SCREEN_KEY_FN(KEY_RESIZE)) {
		/* the insights pane is wrapped to the width */
		if (mv->built[PANE_INSIGHTS])
			treeview_rebuild(mv->tv[PANE_INSIGHTS]);
		return MAPVIEW_STAY;
	}
	if (mv->prompt) {
		mapview_prompt_key(mv, key);
		return MAPVIEW_STAY;
	}
	if (treeview_menu_active(mv->tv[mv->pane])) {
		keys_menu_key(mv->tv[mv->pane], mapview_keys_view(mv), key);
		return MAPVIEW_STAY;
	}
	a = keys_lookup(mapview_keys_view(mv), key);
	if (a != KEYS_SEARCH_NEXT)
		mv->status[0] = '\0';
	return mapview_action(mv, a);
}

enum mapview_result mapview_mouse(struct mapview *mv, enum screen_mouse m,
				  int y, int x)
{
	struct treeview *tv = mv->tv[mv->pane];

	if (m == SCREEN_MOUSE_WHEEL_UP || m == SCREEN_MOUSE_WHEEL_DOWN) {
		treeview_scroll(tv, m == SCREEN_MOUSE_WHEEL_UP ?
					    -MAPVIEW_WHEEL_ROWS :
					    MAPVIEW_WHEEL_ROWS);
		return MAPVIEW_STAY;
	}
	if (m != SCREEN_MOUSE_CLICK)
		return MAPVIEW_STAY;
	if (y == mv->bar_y && !mv->prompt) {
		int key = keys_bar_hit(mapview_keys_view(mv), x, COLS);

		return key == SCREEN_KEY_NONE ? MAPVIEW_STAY :
						mapview_key(mv, key);
	}
	if (y >= mv->pane_y && y < mv->pane_y + mv->pane_h)
		treeview_click(tv, y - mv->pane_y, x);
	return MAPVIEW_STAY;
}

void mapview_set_detail(struct mapview *mv, int detail)
{
	mv->detail = detail < 0 ? -1 : detail > 0;
}
