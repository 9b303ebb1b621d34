/* compareview: processes side by side, rows aligned by cause.
 *
 * The comparison (compare.h) is rebuilt whenever one of the pipelines
 * brings a new tree, and the treeview right after it, so that no item
 * ever points into a freed comparison.  Tags are the rows' diff keys: a
 * refresh keeps what was unfolded and where the cursor was. */
#include "config.h"

#include "vmtop/compareview.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmtop/compare.h"
#include "vmtop/fmt.h"
#include "vmtop/mapdetail.h"
#include "vmtop/mappane.h"
#include "vmtop/pipeline.h"
#include "vmtop/strbuf.h"
#include "vmtop/treeview.h"
#include "vmtop/xalloc.h"

#define COMPAREVIEW_WHEEL_ROWS 3
#define COMPAREVIEW_MIN_NAME 24

struct compareview_proc {
	struct pipeline *p;
	pid_t pid;
	char name[80];        /* "comm", or "comm[PID]" when names repeat */
	bool twin;            /* the name has its PID */
};

struct compareview {
	struct compareview_proc procs[COMPAREVIEW_MAX];
	size_t n, tagged;
	int per;              /* columns per process: N, VSZ, RSS or 2 */
	int diff_col;
	struct compare *c;    /* NULL until two trees are read */
	struct treeview *tv;
	struct treeview_column cols[TREEVIEW_MAX_COLS];
	char titles[TREEVIEW_MAX_COLS][16];
	bool built;
	int detail;           /* -1: when there is room; 0 hidden; 1 shown */
	bool paused;
	time_t refreshed_at;
	bool prompt;
	struct strbuf line;
	char search[256];
	char status[256];
	enum screen_role status_role;
	int pane_y, pane_h, bar_y;
};

/* Column c of process i: N, VSZ, RSS (or VSZ, RSS with 2 per process). */
enum { CV_N, CV_VSZ, CV_RSS };

static int compareview_what(const struct compareview *cv, int col,
			    size_t *proc)
{
	*proc = (size_t)col / (size_t)cv->per;
	return col % cv->per + (cv->per == 2 ? 1 : 0);
}

/* --- rows as items ------------------------------------------------------ */

static const char *compareview_label(const struct compare_row *r)
{
	if (r->parent)
		return r->name[0] ? r->name : "(no name)";
	return mappane_kind_label(r->kind);
}

static enum screen_role compareview_role(const struct compare_row *r)
{
	return r->diff_kib > 0 ? SCREEN_GREW :
	       r->diff_kib < 0 ? SCREEN_SHRANK : SCREEN_NORMAL;
}

static void compareview_build(struct treeview *tv, void *arg)
{
	struct compareview *cv = arg;

	if (!cv->c)
		return;
	for (size_t r = 0; r < cv->c->nrows; r++) {
		const struct compare_row *row = &cv->c->rows[r];
		struct treeview_item *it = treeview_add(
			tv, row->parent, row->key, compareview_label(row), row);

		for (int col = 0; col < cv->diff_col; col++) {
			size_t i;
			int what = compareview_what(cv, col, &i);
			const struct compare_cell *cell = &row->cells[i];

			it->num[col] = what == CV_N ? cell->count :
				       what == CV_VSZ ? cell->vsz_kib :
						       cell->rss_kib;
		}
		it->num[cv->diff_col] = (uint64_t)llabs(row->diff_kib);
		it->expandable = row->nchildren > 0;
		it->role = compareview_role(row);
	}
}

static void compareview_cell(const struct treeview_item *it, int col,
			     char *buf, size_t size, void *arg)
{
	const struct compareview *cv = arg;
	const struct compare_row *row = it->data;
	size_t i;
	int what;

	buf[0] = '\0';
	if (col == cv->diff_col) {
		fmt_kib_signed(buf, size, row->diff_kib);
		return;
	}
	what = compareview_what(cv, col, &i);
	if (!row->cells[i].present && what != CV_N)
		snprintf(buf, size, "-");
	else if (what == CV_N)
		fmt_count(buf, size, row->cells[i].count, 3);
	else if (it->num[col] == VMMAP_UNKNOWN)
		snprintf(buf, size, "?");
	else
		fmt_kib(buf, size, it->num[col]);
}

/* The column table: per process N (dropped first), VSZ (never), RSS
 * (dropped next, the last process's first), then DIFF. */
static void compareview_columns(struct compareview *cv)
{
	int col = 0;

	/* every column, DIFF too, needs a sort key in the item */
	cv->per = cv->n * 3 + 1 <= TREEVIEW_NUM_COLS ? 3 : 2;
	for (size_t i = 0; i < cv->n; i++) {
		for (int k = 0; k < cv->per; k++, col++) {
			int what = k + (cv->per == 2 ? 1 : 0);
			struct treeview_column *tc = &cv->cols[col];

			snprintf(cv->titles[col], sizeof(cv->titles[col]),
				 "%s%d", what == CV_N ? "N" :
					 what == CV_VSZ ? "VSZ" : "RSS",
				 (int)(i + 1) % 10);
			tc->title = cv->titles[col];
			tc->width = what == CV_N ? 3 : 5;
			tc->desc = true;
			tc->drop = what == CV_N ? 1 :
				   what == CV_RSS ? 2 + (int)(cv->n - 1 - i) :
						    0;
		}
	}
	cv->diff_col = col;
	snprintf(cv->titles[col], sizeof(cv->titles[col]), "DIFF");
	cv->cols[col] = (struct treeview_column){ cv->titles[col], 6, false,
						  true, "DIFF (difference)",
						  0 };
}

/* --- life --------------------------------------------------------------- */

static void compareview_names(struct compareview *cv,
			      const struct compareview_side *sides)
{
	for (size_t i = 0; i < cv->n; i++) {
		const struct proc_row *r = sides[i].row;
		bool twin = false;

		for (size_t k = 0; k < cv->n && !sides[i].name; k++)
			twin |= k != i &&
				!strcmp(sides[k].row->comm, r->comm);
		cv->procs[i].twin = twin;
		if (sides[i].name)
			snprintf(cv->procs[i].name, sizeof(cv->procs[i].name),
				 "%s", sides[i].name);
		else if (twin)
			snprintf(cv->procs[i].name, sizeof(cv->procs[i].name),
				 "%s[%d]", r->comm, (int)r->pid);
		else
			snprintf(cv->procs[i].name, sizeof(cv->procs[i].name),
				 "%s", r->comm);
	}
}

struct compareview *compareview_new_sides(
	const struct compareview_side *sides, size_t n,
	const struct rules *rules, const char *note)
{
	struct compareview *cv = xcalloc(1, sizeof(*cv));

	cv->tagged = n;
	cv->n = n > COMPAREVIEW_MAX ? COMPAREVIEW_MAX : n;
	for (size_t i = 0; i < cv->n; i++) {
		cv->procs[i].pid = sides[i].row->pid;
		/* read off the UI thread as the map view's (pipeline.h) */
		cv->procs[i].p = pipeline_new(sides[i].src,
					      sides[i].row->pid, rules,
					      PIPELINE_THROTTLE |
						      PIPELINE_ASYNC);
		pipeline_set_wake(cv->procs[i].p, screen_wake);
		/* the map view's budget, shared */
		pipeline_set_budget(cv->procs[i].p, 0.03 / (double)cv->n,
				    0.015 / (double)cv->n);
	}
	compareview_names(cv, sides);
	compareview_columns(cv);
	cv->tv = treeview_new(cv->cols, cv->diff_col + 1,
			      "CAUSE: KIND / GROUP", cv->diff_col, true,
			      compareview_build, compareview_cell, cv);
	treeview_set_min_name(cv->tv, COMPAREVIEW_MIN_NAME);
	cv->detail = -1;
	cv->bar_y = -1;
	strbuf_init(&cv->line, 64);
	if (note)
		snprintf(cv->status, sizeof(cv->status), " %s", note);
	cv->status_role = SCREEN_STATUS;
	return cv;
}

struct compareview *compareview_new(struct source *src,
				    const struct proc_row *const *rows,
				    size_t n, const struct rules *rules)
{
	struct compareview_side sides[COMPAREVIEW_MAX] = {
		{ NULL, NULL, NULL } };
	size_t k = n > COMPAREVIEW_MAX ? COMPAREVIEW_MAX : n;
	struct compareview *cv;

	for (size_t i = 0; i < k; i++)
		sides[i] = (struct compareview_side){ src, rows[i], NULL };
	cv = compareview_new_sides(sides, k, rules, NULL);
	cv->tagged = n;
	if (cv->tagged > cv->n)
		snprintf(cv->status, sizeof(cv->status),
			 " Comparing the first %d of the %zu processes "
			 "tagged", COMPAREVIEW_MAX, cv->tagged);
	return cv;
}

void compareview_free(struct compareview *cv)
{
	if (!cv)
		return;
	treeview_free(cv->tv);
	compare_free(cv->c);
	for (size_t i = 0; i < cv->n; i++)
		pipeline_free(cv->procs[i].p);
	strbuf_release(&cv->line);
	free(cv);
}

/* The comparison of the trees there are (two at least), then the rows. */
static void compareview_rebuild(struct compareview *cv)
{
	struct compare_input in[COMPAREVIEW_MAX];
	struct compare *c = NULL;
	bool all = true;

	for (size_t i = 0; i < cv->n; i++) {
		in[i].t = pipeline_tree(cv->procs[i].p);
		in[i].name = cv->procs[i].name;
		all &= in[i].t != NULL;
	}
	if (all && compare_build(in, cv->n, &c) < 0)
		c = NULL;
	compare_free(cv->c);
	cv->c = c;
	treeview_rebuild(cv->tv);
	cv->built = true;
}

/* Refreshes each process's pipeline; the compare again when a tree
 * changed (or none was built yet). */
static void compareview_pipelines(struct compareview *cv, long now_ms,
				  long delay_ms, bool force)
{
	bool changed = !cv->built;

	for (size_t i = 0; i < cv->n; i++)
		changed |= pipeline_refresh(cv->procs[i].p, now_ms, delay_ms,
					    force);
	if (changed)
		compareview_rebuild(cv);
}

void compareview_refresh(struct compareview *cv, long now_ms, long delay_ms,
			 bool force)
{
	if (cv->paused && !force)
		return;
	cv->refreshed_at = time(NULL);
	compareview_pipelines(cv, now_ms, delay_ms, force);
}

void compareview_poll(struct compareview *cv, long now_ms, long delay_ms)
{
	if (!cv->paused)
		compareview_pipelines(cv, now_ms, delay_ms, false);
}

void compareview_settle(struct compareview *cv)
{
	bool changed = false;

	for (size_t i = 0; i < cv->n; i++)
		changed |= pipeline_settle(cv->procs[i].p);
	if (changed)
		compareview_rebuild(cv);
}

/* --- drawing ------------------------------------------------------------ */

/* " 12:00:00  1 = 4242 cgo  2 = 4243 nocgo [exited]" */
static int compareview_draw_procs(const struct compareview *cv, int y)
{
	struct strbuf sb = STRBUF_INIT;
	struct tm tm;
	char v[16];

	localtime_r(&cv->refreshed_at, &tm);
	strbuf_init(&sb, 160);
	strbuf_addf(&sb, " %02d:%02d:%02d  Compare:", tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
	for (size_t i = 0; i < cv->n; i++) {
		const struct maptree *t = pipeline_tree(cv->procs[i].p);

		/* a name shared by two already ends in its [PID] */
		strbuf_addf(&sb, "  %zu = ", i + 1);
		if (!cv->procs[i].twin)
			strbuf_addf(&sb, "%d ", (int)cv->procs[i].pid);
		fmt_printable_str(&sb, cv->procs[i].name);
		if (t)
			strbuf_addf(&sb, " %s",
				    fmt_kib(v, sizeof(v), t->totals.vsz_kib));
		if (pipeline_exited(cv->procs[i].p))
			strbuf_addstr(&sb, " [exited]");
	}
	if (cv->paused)
		strbuf_addstr(&sb, "  [paused]");
	screen_put(y, 0, COLS, sb.buf, SCREEN_VALUE, true);
	strbuf_release(&sb);
	return 1;
}

/* Why there is no comparison yet: a process not read, or refused. */
static int compareview_draw_waiting(const struct compareview *cv, int y,
				    int max)
{
	struct strbuf sb = STRBUF_INIT;
	int rows;

	strbuf_init(&sb, 160);
	strbuf_addstr(&sb, " ");
	for (size_t i = 0; i < cv->n; i++) {
		const struct pipeline *p = cv->procs[i].p;

		if (pipeline_tree(p))
			continue;
		fmt_printable_str(&sb, cv->procs[i].name);
		strbuf_addstr(&sb, pipeline_error(p) == -EACCES ?
				   ": memory map not readable (permission "
				   "denied).  " :
				   pipeline_exited(p) ?
				   ": exited before its map was read.  " :
				   ": reading the memory map...  ");
	}
	rows = mapdetail_wrap(y, COLS, max, sb.buf, SCREEN_STATUS);
	strbuf_release(&sb);
	return rows;
}

static int compareview_draw_summary(const struct compareview *cv, int y,
				    int max)
{
	struct strbuf sb = STRBUF_INIT;
	int rows;

	if (!cv->c)
		return compareview_draw_waiting(cv, y, max);
	strbuf_init(&sb, 256);
	strbuf_addch(&sb, ' ');
	fmt_printable_str(&sb, cv->c->summary);
	rows = mapdetail_wrap_indent(y, COLS, max, sb.buf, SCREEN_STATUS, 1);
	strbuf_release(&sb);
	return rows;
}

/* The row under the cursor, process by process. */
static void compareview_draw_detail(const struct compareview *cv, int y,
				    int h)
{
	const struct treeview_item *it = treeview_cursor(cv->tv);
	const struct compare_row *row = it ? it->data : NULL;
	struct strbuf sb = STRBUF_INIT;
	char a[16], b[16], d[16];

	screen_put(y, 0, COLS, " detail", SCREEN_TITLE, true);
	if (!row || !cv->c)
		return;
	strbuf_init(&sb, 160);
	strbuf_addf(&sb, " %s", maptree_kind_name(row->kind));
	if (row->parent) {
		strbuf_addstr(&sb, ": ");
		fmt_printable_str(&sb, row->name);
	} else if (compare_kind_merged(row->kind)) {
		strbuf_addstr(&sb, ": counted, not matched one by one");
	}
	screen_put(y + 1, 0, COLS, sb.buf, SCREEN_NORMAL, true);
	for (size_t i = 0; i < cv->n && (int)i + 2 < h; i++) {
		const struct compare_cell *cell = &row->cells[i];

		strbuf_reset(&sb);
		strbuf_addf(&sb, " %zu ", i + 1);
		fmt_printable_str(&sb, cv->c->names[i]);
		if (!cell->present) {
			strbuf_addstr(&sb, ": none");
		} else {
			strbuf_addf(&sb, ": VSZ %s, reserved %s, RSS %s, "
				    "N %u, %zu region%s",
				    fmt_kib(a, sizeof(a), cell->vsz_kib),
				    fmt_kib(b, sizeof(b), cell->reserved_kib),
				    cell->rss_kib == VMMAP_UNKNOWN ? "?" :
				    fmt_kib(d, sizeof(d), cell->rss_kib),
				    cell->count, cell->regions,
				    cell->regions == 1 ? "" : "s");
		}
		if (i && cell->diff_kib)
			strbuf_addf(&sb, "; %s VSZ",
				    fmt_kib_signed(a, sizeof(a),
						   cell->diff_kib));
		screen_put(y + 2 + (int)i, 0, COLS, sb.buf, SCREEN_NORMAL,
			   true);
	}
	strbuf_release(&sb);
}

static void compareview_draw_status(const struct compareview *cv, int y)
{
	char text[256];
	bool desc;
	int col;

	if (cv->status[0]) {
		screen_put(y, 0, COLS, cv->status, cv->status_role, true);
		return;
	}
	col = treeview_sort_col(cv->tv, &desc);
	snprintf(text, sizeof(text),
		 " sort: %s %s  DIFF: VSZ against 1 (the first tagged)",
		 treeview_column_label(cv->tv, col), desc ? "desc" : "asc");
	screen_put(y, 0, COLS, text, SCREEN_STATUS, true);
}

static void compareview_draw_prompt(const struct compareview *cv, int y)
{
	int x = screen_put(y, 0, COLS, "Search: ", SCREEN_PROMPT, false);
	const char *text = screen_tail(cv->line.buf, COLS - x - 1);

	x += screen_put_raw(y, x, COLS - x - 1, text, SCREEN_NORMAL, false);
	x += screen_put(y, x, 1, " ", SCREEN_CURSOR, true);
	screen_put(y, x, COLS - x, "", SCREEN_NORMAL, true);
}

static int compareview_detail_rows(const struct compareview *cv, int area)
{
	int want = (int)cv->n + 2;

	if (!cv->c || cv->detail == 0)
		return 0;
	if (cv->detail < 0 && LINES < 30)
		return 0;
	return area >= want + 4 ? want : 0;
}

void compareview_draw(struct compareview *cv, long now_ms)
{
	int bottom = LINES >= 4 ? LINES - 1 : -1;
	int status = LINES >= 6 ? LINES - 2 : -1;
	int end = status >= 0 ? status : bottom >= 0 ? bottom : LINES;
	int y, dh, area;

	(void)now_ms;
	erase();
	y = compareview_draw_procs(cv, 0);
	y += compareview_draw_summary(cv, y, LINES >= 40 ? 6 :
					     LINES >= 20 ? 3 : 1);
	area = end - y;
	dh = compareview_detail_rows(cv, area);
	if (dh)
		compareview_draw_detail(cv, end - dh, dh);
	cv->pane_y = y;
	cv->pane_h = area - dh;
	if (cv->pane_h > 0)
		treeview_draw(cv->tv, y, cv->pane_h, COLS);
	if (status >= 0)
		compareview_draw_status(cv, status);
	cv->bar_y = bottom;
	if (cv->prompt)
		compareview_draw_prompt(cv, bottom >= 0 ? bottom : LINES - 1);
	else if (bottom >= 0)
		keys_bar_draw(KEYS_VIEW_COMPARE, bottom, COLS);
	refresh();
}

/* --- keys --------------------------------------------------------------- */

static void compareview_set_status(struct compareview *cv,
				   enum screen_role role, const char *text)
{
	snprintf(cv->status, sizeof(cv->status), "%s", text);
	cv->status_role = role;
}

static void compareview_search(struct compareview *cv, bool next)
{
	if (!cv->search[0])
		compareview_set_status(cv, SCREEN_STATUS,
				       " No search yet: press / first");
	else if (!treeview_search(cv->tv, cv->search, next))
		compareview_set_status(cv, SCREEN_ERROR,
				       " No match for the search");
	else
		cv->status[0] = '\0';
}

static void compareview_prompt_key(struct compareview *cv, int key)
{
	enum keys_action a = key >= SCREEN_KEY_FN(0) ?
				     keys_lookup(KEYS_VIEW_COMPARE, key) :
				     KEYS_NONE;

	if (key == SCREEN_KEY_ESC || keys_is_enter(key)) {
		cv->prompt = false;
		return;
	}
	if (a == KEYS_SEARCH) {
		compareview_search(cv, true);
		return;
	}
	if (!screen_line_edit(&cv->line, key, 254)) {
		if (a >= KEYS_UP && a <= KEYS_END)
			keys_treeview(cv->tv, a);
		return;
	}
	snprintf(cv->search, sizeof(cv->search), "%s", cv->line.buf);
	if (cv->search[0])
		compareview_search(cv, false);
}

static enum mapview_result compareview_action(struct compareview *cv,
					      enum keys_action a)
{
	switch (a) {
	case KEYS_BACK:
	case KEYS_CLOSE: return MAPVIEW_CLOSE;
	case KEYS_QUIT: return MAPVIEW_QUIT;
	case KEYS_HELP: return MAPVIEW_HELP;
	case KEYS_REFRESH: return MAPVIEW_REFRESH;
	case KEYS_SEARCH:
		cv->prompt = true;
		strbuf_reset(&cv->line);
		break;
	case KEYS_SEARCH_NEXT: compareview_search(cv, true); break;
	case KEYS_DETAIL:
		cv->detail = compareview_detail_rows(cv, LINES) ? 0 : 1;
		break;
	case KEYS_PAUSE: cv->paused = !cv->paused; break;
	case KEYS_REDRAW: clearok(curscr, TRUE); break;
	default: keys_treeview(cv->tv, a); break;
	}
	return MAPVIEW_STAY;
}

enum mapview_result compareview_key(struct compareview *cv, int key)
{
	enum keys_action a;

	if (key == SCREEN_KEY_FN(KEY_RESIZE))
		return MAPVIEW_STAY;
	if (cv->prompt) {
		compareview_prompt_key(cv, key);
		return MAPVIEW_STAY;
	}
	if (treeview_menu_active(cv->tv)) {
		keys_menu_key(cv->tv, KEYS_VIEW_COMPARE, key);
		return MAPVIEW_STAY;
	}
	a = keys_lookup(KEYS_VIEW_COMPARE, key);
	if (a != KEYS_SEARCH_NEXT)
		cv->status[0] = '\0';
	return compareview_action(cv, a);
}

enum mapview_result compareview_mouse(struct compareview *cv,
				      enum screen_mouse m, int y, int x)
{
	if (m == SCREEN_MOUSE_WHEEL_UP || m == SCREEN_MOUSE_WHEEL_DOWN) {
		treeview_scroll(cv->tv, m == SCREEN_MOUSE_WHEEL_UP ?
						-COMPAREVIEW_WHEEL_ROWS :
						COMPAREVIEW_WHEEL_ROWS);
		return MAPVIEW_STAY;
	}
	if (m != SCREEN_MOUSE_CLICK)
		return MAPVIEW_STAY;
	if (y == cv->bar_y && !cv->prompt) {
		int key = keys_bar_hit(KEYS_VIEW_COMPARE, x, COLS);

		return key == SCREEN_KEY_NONE ? MAPVIEW_STAY :
						compareview_key(cv, key);
	}
	if (y >= cv->pane_y && y < cv->pane_y + cv->pane_h)
		treeview_click(cv->tv, y - cv->pane_y, x);
	return MAPVIEW_STAY;
}
