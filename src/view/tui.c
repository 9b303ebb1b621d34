/* tui: the interactive program — owns the proctable, the filter and the
 * screens, and runs the loop that waits for a key or the next refresh.
 *
 * Nothing is drawn between events: the loop sleeps in screen_getkey()
 * until a key, a resize, a signal or the refresh time, then redraws the
 * whole screen (curses sends only what changed).
 *
 * Layout, top to bottom: two header lines, the column titles, the rows,
 * a status line, and the function-key bar, which the filter or search
 * prompt replaces while it is open.  Small terminals drop the header and
 * the status line first, so that the list stays usable. */
#include "config.h"

#include "vmtop/tui.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "vmtop/clock.h"
#include "vmtop/compareview.h"
#include "vmtop/filter.h"
#include "vmtop/fmt.h"
#include "vmtop/help.h"
#include "vmtop/hostinfo.h"
#include "vmtop/keys.h"
#include "vmtop/mapview.h"
#include "vmtop/pipeline.h"
#include "vmtop/proclist.h"
#include "vmtop/proctable.h"
#include "vmtop/screen.h"
#include "vmtop/setup.h"
#include "vmtop/load.h"
#include "vmtop/diffpair.h"
#include "vmtop/snapfile.h"
#include "vmtop/source.h"
#include "vmtop/strbuf.h"
#include "vmtop/treeview.h"

#define TUI_MIN_DELAY_MS 100
#define TUI_WHEEL_ROWS 3
/* The filter and search lines' length in bytes: room for any sensible
 * pattern; every key redraws and recompiles the line, so it is kept
 * short whatever is pasted into it. */
#define TUI_LINE_MAX 1024

enum tui_mode {
	TUI_LIST,
	TUI_HELP,
	TUI_FILTER, /* editing the filter line */
	TUI_SEARCH, /* editing the search line */
};

struct tui {
	const struct cli_opts *o;
	struct source *src; /* the live /proc */
	struct filter *filter; /* what the list shows */
	struct strbuf filter_before; /* in effect when its line opened */
	char search[256];      /* what / looks for (plain text) */
	struct proclist *pl;
	struct hostinfo host;
	enum tui_mode mode;
	struct strbuf line; /* the prompt's text */
	char status[320];
	enum screen_role status_role;
	bool paused;
	time_t refreshed_at;  /* the header's clock: the time of the data */
	long refreshes;
	long delay_ms;
	long next_ms;         /* CLOCK_MONOTONIC time of the next refresh */
	unsigned want;        /* what the last refresh read */
	bool cost_told;       /* the filter's giving up was reported */
	bool quit;
	int failed; /* -errno of a failed refresh */
	struct mapview *mv;   /* the memory-map view, when open */
	struct compareview *cv; /* the compare view, when open */
	const struct setup_store *store; /* the settings and their saving */
	struct setup_values set; /* in effect (the list's own are read
				  * from it when setup opens) */
	struct setup *su;     /* the setup screen, when open */
	/* --diff: its sides; the NEW (or live) side's source is src */
	struct diffpair diff;
	bool diffing;
};

/* Where things go on a screen of LINES x COLS. */
struct tui_layout {
	int header;  /* header lines at the top: 0, 1 or 2 */
	int list_y;  /* column titles */
	int list_h;  /* titles + rows */
	int status;  /* status line row, or -1 */
	int bottom;  /* function bar / prompt row, or -1 */
};

static void tui_layout(struct tui_layout *l)
{
	int h = LINES, end;

	l->bottom = h >= 4 ? h - 1 : -1;
	l->status = h >= 6 ? h - 2 : -1;
	l->header = h >= 10 ? 2 : h >= 6 ? 1 : 0;
	l->list_y = l->header;
	end = l->status >= 0 ? l->status : l->bottom >= 0 ? l->bottom : h;
	l->list_h = end - l->list_y;
}

static void tui_set_status(struct tui *t, enum screen_role role,
			   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void tui_set_status(struct tui *t, enum screen_role role,
			   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof(t->status), fmt, ap);
	va_end(ap);
	t->status_role = role;
}

static long tui_now_ms(void)
{
	return clock_monotonic_ms();
}

static size_t tui_nrows(const struct tui *t)
{
	size_t n;

	source_rows(t->src, &n);
	return n;
}

/* The text shown instead of rows when the list is empty. */
static void tui_empty_text(struct tui *t)
{
	struct strbuf sb = STRBUF_INIT;
	const pid_t *pids;
	size_t npids = filter_pids(t->filter, &pids);

	strbuf_init(&sb, 64);
	if (npids && tui_nrows(t) == 0) {
		strbuf_addstr(&sb, npids > 1 ? "no process with PIDs " :
					       "no process with PID ");
		for (size_t i = 0; i < npids && i < 8; i++)
			strbuf_addf(&sb, "%s%d", i ? ", " : "", (int)pids[i]);
		if (npids > 8)
			strbuf_addstr(&sb, ", ...");
	} else if (*filter_pattern(t->filter)) {
		strbuf_addstr(&sb, "no process matches '");
		fmt_printable_str(&sb, filter_pattern(t->filter));
		strbuf_addstr(&sb, "'");
	} else if (t->o->nuids) {
		strbuf_addstr(&sb, "no process of the users given with -u");
	} else {
		strbuf_addstr(&sb, "no process to show");
	}
	proclist_set_empty_text(t->pl, sb.buf);
	strbuf_release(&sb);
}

static unsigned tui_want(const struct tui *t)
{
	return proclist_want(t->pl);
}

/* The row of pid in the last refresh, or NULL. */
static const struct proc_row *tui_row_of(const struct tui *t, pid_t pid)
{
	size_t n;
	const struct proc_row *rows = source_rows(t->src, &n);

	for (size_t i = 0; i < n; i++)
		if (rows[i].pid == pid)
			return &rows[i];
	return NULL;
}

static void tui_map_refresh(struct tui *t, bool force)
{
	mapview_set_row(t->mv, tui_row_of(t, mapview_pid(t->mv)));
	mapview_refresh(t->mv, tui_now_ms(), t->delay_ms, force);
}

/* Enter: the memory-map view of the selected process. */
/* A map view of row's process with main.c's rules (the built-in ones,
 * --rules and the settings' rules) and the detail pane's setting. */
static struct mapview *tui_new_map(struct tui *t, const struct proc_row *r)
{
	struct mapview *mv = mapview_new(t->src, r, t->o->rules);

	mapview_set_detail(mv, t->set.detail == SETUP_DETAIL_AUTO ? -1 :
			       t->set.detail == SETUP_DETAIL_SHOWN);
	return mv;
}

static void tui_map_open(struct tui *t)
{
	const struct proc_row *r = proclist_cursor_row(t->pl);

	if (!r)
		return;
	t->mv = tui_new_map(t, r);
	mapview_refresh(t->mv, tui_now_ms(), t->delay_ms, true);
}

static void tui_map_result(struct tui *t, enum mapview_result r);

/* =: the compare view of the tagged processes (two or more). */
static void tui_compare_open(struct tui *t)
{
	const struct proc_row *rows[COMPAREVIEW_MAX];
	size_t tagged = proclist_ntagged(t->pl), n;

	n = proclist_tagged(t->pl, rows, COMPAREVIEW_MAX);
	if (n < 2) {
		tui_set_status(t, SCREEN_ERROR,
			       "Compare: tag two or more processes with Space "
			       "first, then press = (%zu tagged)", tagged);
		return;
	}
	t->cv = compareview_new(t->src, rows, tagged > n ? tagged : n,
				t->o->rules);
	compareview_refresh(t->cv, tui_now_ms(), t->delay_ms, true);
}

/* --diff: the compare view of OLD's process ("then") and NEW's or the
 * live one ("now"), each read from its own source. */
static void tui_diff_open(struct tui *t)
{
	struct compareview_side sides[2] = {
		{ t->diff.old.src, &t->diff.old.row, "then" },
		{ t->src, &t->diff.new_.row, "now" },
	};

	t->cv = compareview_new_sides(sides, 2, t->o->rules, t->diff.what);
	compareview_refresh(t->cv, tui_now_ms(), t->delay_ms, true);
}

/* t, a, d: the memory map of the selected process, at that pane (the
 * map view reads the key as it does in the tree). */
static void tui_map_pane(struct tui *t, int key)
{
	tui_map_open(t);
	if (t->mv)
		tui_map_result(t, mapview_key(t->mv, key));
}

/* Reads the processes again.  counted: a scheduled refresh, one of -n. */
/* Says once per pattern that its matches gave up (filter.c): the list
 * may then miss processes the pattern would have matched. */
static void tui_note_cost(struct tui *t)
{
	if (t->cost_told || !filter_gave_up(t->filter))
		return;
	t->cost_told = true;
	tui_set_status(t, SCREEN_ERROR,
		       "The filter costs too much: some matches gave up "
		       "(the list may miss processes)");
}

/* The threads of the processes the list shows, when it shows threads
 * (read only then: a directory and a file per thread). */
static void tui_tasks(struct tui *t, const struct proc_row *rows, size_t n)
{
	const pid_t *pids;
	const struct proc_task *tasks;
	size_t np, nt;

	if (!proclist_wants_tasks(t->pl))
		return;
	np = proclist_task_pids(t->pl, rows, n, &pids);
	tasks = source_tasks(t->src, pids, np, &nt);
	proclist_set_tasks(t->pl, tasks, nt);
}

static void tui_refresh(struct tui *t, bool counted)
{
	const pid_t *pids;
	size_t npids = filter_pids(t->filter, &pids);
	unsigned want = tui_want(t);
	int r = source_list(t->src, pids, npids, want);
	const struct proc_row *rows;
	struct source_moment mo;
	size_t n;

	if (r < 0) {
		t->failed = r;
		t->quit = true;
		return;
	}
	t->want = want;
	rows = source_rows(t->src, &n);
	tui_tasks(t, rows, n);
	proclist_update(t->pl, rows, n);
	tui_empty_text(t);
	tui_note_cost(t);
	source_host(t->src, &t->host);
	if (counted)
		t->refreshes++;
	t->refreshed_at = time(NULL);
	if (source_moment(t->src, &mo)) /* a loaded file: its refresh's */
		t->refreshed_at = (time_t)mo.time;
	if (t->mv)
		tui_map_refresh(t, !counted);
	if (t->cv)
		compareview_refresh(t->cv, tui_now_ms(), t->delay_ms,
				    !counted);
	t->next_ms = tui_now_ms() + t->delay_ms;
}

/* After the filter or a column changed: re-read only when the rows lack
 * command lines that are now needed. */
static void tui_list_changed(struct tui *t)
{
	if ((tui_want(t) & ~t->want) != 0) {
		tui_refresh(t, false);
		return;
	}
	proclist_rebuild(t->pl);
	tui_empty_text(t);
	tui_note_cost(t);
}

static void tui_draw_header(const struct tui *t, int rows)
{
	char line[320], a[16], b[16], c[16], d[16], e[16], hid[96], age[64];
	struct source_moment mo;
	struct tm tm;
	uint64_t used = t->host.mem_total_kib - t->host.mem_available_kib;

	/* the time of the last refresh: it stops while paused */
	localtime_r(&t->refreshed_at, &tm);
	proclist_hidden_text(t->pl, hid, sizeof(hid));
	proclist_age_text(t->pl, age, sizeof(age));
	snprintf(line, sizeof(line),
		 " vmtop %02d:%02d:%02d  Tasks: %zu shown of %zu%s  Refresh: "
		 "%.1fs%s%s%s",
		 tm.tm_hour, tm.tm_min, tm.tm_sec, proclist_shown(t->pl),
		 tui_nrows(t), hid, (double)t->delay_ms / 1000.0,
		 *age ? "  " : "", age, t->paused ? "  [paused]" : "");
	if (source_moment(t->src, &mo))
		snprintf(line, sizeof(line), " vmtop %04d-%02d-%02d "
			 "%02d:%02d:%02d  Tasks: %zu shown of %zu  "
			 "Refresh %zu of %zu in the file ([ ])",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec,
			 proclist_shown(t->pl), tui_nrows(t), mo.index + 1,
			 mo.count);
	screen_put(0, 0, COLS, line, SCREEN_VALUE, true);
	if (rows < 2)
		return;
	snprintf(line, sizeof(line),
		 " Mem: %s used of %s (%s available)  Swap: %s of %s"
		 "  CPUs: %d",
		 fmt_kib(a, sizeof(a), used),
		 fmt_kib(b, sizeof(b), t->host.mem_total_kib),
		 fmt_kib(c, sizeof(c), t->host.mem_available_kib),
		 fmt_kib(d, sizeof(d), t->host.swap_total_kib -
					       t->host.swap_free_kib),
		 fmt_kib(e, sizeof(e), t->host.swap_total_kib), t->host.cpus);
	screen_put(1, 0, COLS, line, SCREEN_LABEL, true);
}

/* "Filter: text" with a block cursor; the end of a long text stays seen. */
static void tui_draw_prompt(const struct tui *t, int y)
{
	const char *label = t->mode == TUI_FILTER ? "Filter: " : "Search: ";
	const char *text = t->line.buf;
	int x = screen_put(y, 0, COLS, label, SCREEN_PROMPT, false);
	int room = COLS - x - 1;

	text = screen_tail(text, room);
	x += screen_put(y, x, room, text, SCREEN_NORMAL, false);
	x += screen_put(y, x, 1, " ", SCREEN_CURSOR, true);
	screen_put(y, x, COLS - x, "", SCREEN_NORMAL, true);
}

/* The status line: a message, or what filter and search are in effect. */
static void tui_draw_status(const struct tui *t, int y)
{
	struct strbuf sb = STRBUF_INIT;
	char sort[64];

	if (*t->status) {
		screen_put(y, 0, COLS, t->status, t->status_role, true);
		return;
	}
	strbuf_init(&sb, 64);
	strbuf_addf(&sb, "Sort: %s",
		    proclist_sort_text(t->pl, sort, sizeof(sort)));
	strbuf_addf(&sb, "  View: %s",
		    proclist_mode_text(t->pl, sort, sizeof(sort)));
	if (*filter_pattern(t->filter)) {
		strbuf_addstr(&sb, "  Filter: ");
		fmt_printable_str(&sb, filter_pattern(t->filter));
	}
	screen_put(y, 0, COLS, sb.buf, SCREEN_STATUS, true);
	strbuf_release(&sb);
}

static void tui_draw(const struct tui *t)
{
	struct tui_layout l;
	bool editing = t->mode == TUI_FILTER || t->mode == TUI_SEARCH;

	erase();
	if (t->mode == TUI_HELP) {
		help_draw();
		refresh();
		return;
	}
	if (t->su) {
		setup_draw(t->su);
		return;
	}
	if (t->mv) {
		mapview_draw(t->mv, tui_now_ms());
		return;
	}
	if (t->cv) {
		compareview_draw(t->cv, tui_now_ms());
		return;
	}
	tui_layout(&l);
	if (l.header)
		tui_draw_header(t, l.header);
	proclist_draw(t->pl, l.list_y, l.list_h, COLS);
	if (l.status >= 0)
		tui_draw_status(t, l.status);
	if (editing)
		tui_draw_prompt(t, l.bottom >= 0 ? l.bottom : LINES - 1);
	else if (l.bottom >= 0 && l.status < 0 && *t->status)
		screen_put(l.bottom, 0, COLS, t->status, t->status_role, true);
	else if (l.bottom >= 0)
		keys_bar_draw(KEYS_VIEW_LIST, l.bottom, COLS);
	refresh();
}

/* Applies the filter line as typed; an invalid regex leaves the last
 * valid one in effect and shows PCRE2's message. */
static void tui_filter_apply(struct tui *t)
{
	char err[256];

	if (filter_set_pattern(t->filter, t->line.buf, err, sizeof(err)) < 0) {
		tui_set_status(t, SCREEN_ERROR, "Invalid regex: %s", err);
	} else {
		t->status[0] = '\0';
		t->cost_told = false;
	}
	tui_list_changed(t);
}

/* The search as typed: plain text on the names shown, as in the map. */
static void tui_search_apply(struct tui *t, bool next)
{
	snprintf(t->search, sizeof(t->search), "%s", t->line.buf);
	t->status[0] = '\0';
	if (!t->search[0])
		return;
	if (!proclist_search(t->pl, t->search, next))
		tui_set_status(t, SCREEN_ERROR, "No match for the search");
}

static void tui_search_next(struct tui *t)
{
	if (!t->search[0]) {
		tui_set_status(t, SCREEN_STATUS,
			       "No search yet: press / first");
		return;
	}
	if (!proclist_search(t->pl, t->search, true))
		tui_set_status(t, SCREEN_ERROR, "No match for the search");
}

/* The filter line opens on the filter in effect, to edit it, and keeps
 * it for Esc; the search line opens empty, the last search staying in
 * effect for n until the first key. */
static void tui_prompt_open(struct tui *t, enum tui_mode mode)
{
	t->mode = mode;
	strbuf_reset(&t->line);
	if (mode == TUI_FILTER) {
		strbuf_addstr(&t->line, filter_pattern(t->filter));
		strbuf_reset(&t->filter_before);
		strbuf_addstr(&t->filter_before, filter_pattern(t->filter));
	}
	t->status[0] = '\0';
}

/* Esc: the filter line gives back the filter it opened on (valid, since
 * it was in effect); the search line just closes. */
static void tui_prompt_cancel(struct tui *t)
{
	if (t->mode == TUI_FILTER) {
		strbuf_reset(&t->line);
		strbuf_addstr(&t->line, t->filter_before.buf);
		tui_filter_apply(t);
	}
	t->status[0] = '\0';
	t->mode = TUI_LIST;
}

/* A key while the filter or the search line is open. */
static void tui_prompt_key(struct tui *t, int key)
{
	bool filter = t->mode == TUI_FILTER;
	/* characters are text here: only function keys keep their action */
	enum keys_action a = key >= SCREEN_KEY_FN(0) ?
				     keys_lookup(KEYS_VIEW_LIST, key) :
				     KEYS_NONE;

	if (key == SCREEN_KEY_ESC) {
		tui_prompt_cancel(t);
	} else if (keys_is_enter(key) || (filter && a == KEYS_FILTER) ||
		   a == KEYS_QUIT) {
		t->mode = TUI_LIST;
	} else if (!filter && a == KEYS_SEARCH) {
		if (t->line.len)
			tui_search_apply(t, true);
		else
			tui_search_next(t); /* F3 F3: the last search again */
	} else if (screen_line_edit(&t->line, key, TUI_LINE_MAX)) {
		filter ? tui_filter_apply(t) : tui_search_apply(t, false);
	} else if (a >= KEYS_UP && a <= KEYS_END) {
		proclist_key(t->pl, a);
	}
}

/* A message on the status line of the screen shown. */
static void tui_message(struct tui *t, enum screen_role role,
			const char *text)
{
	if (t->mv)
		mapview_message(t->mv, role, text);
	else
		tui_set_status(t, role, "%s", text);
}

/* [ and ]: the refresh of a loaded file before or after this one, in
 * the list and in the map view (as atop -r steps with t and T). */
static void tui_step(struct tui *t, int delta)
{
	/* a map whose process was not in the refresh left has taken it
	 * for exited: it opens afresh if the process is in the new one */
	bool absent = t->mv && !tui_row_of(t, mapview_pid(t->mv));
	int r = source_step(t->src, delta);

	if (r == -ERANGE) {
		tui_message(t, SCREEN_STATUS,
			    !t->src->ops->step ? " [ and ] step through a "
						 "file shown with --load" :
			    delta < 0 ? " This is the file's first refresh" :
					" This is the file's last refresh");
		return;
	}
	if (r < 0) {
		tui_message(t, SCREEN_ERROR, " Cannot read the file again: "
					     "it changed");
		return;
	}
	if (absent) {
		pid_t pid = mapview_pid(t->mv);

		source_list(t->src, &pid, 1, tui_want(t));
		if (tui_row_of(t, pid)) {
			mapview_free(t->mv);
			t->mv = tui_new_map(t, tui_row_of(t, pid));
		}
	}
	tui_refresh(t, false);
}

/* w in the map view: the picture shown, saved to a new file in the
 * current directory. */
static void tui_save(struct tui *t)
{
	const struct maptree *tree = mapview_tree(t->mv);
	const struct proc_row *row = tui_row_of(t, mapview_pid(t->mv));
	char name[128], msg[320];
	int r;

	/* the row must be the tree's process, not one that took its PID */
	if (!tree || !row || !mapview_row_is_its(t->mv, row)) {
		mapview_message(t->mv, SCREEN_ERROR, " Nothing to save: no "
				"picture of a listed process");
		return;
	}
	r = snapfile_name(name, sizeof(name), row->pid, row->comm,
			  tree->m->time);
	if (r >= 0)
		r = snapfile_write(name, &t->host, row, tree);
	if (r < 0)
		snprintf(msg, sizeof(msg), " Not saved: %s: %s", name,
			 strerror(-r));
	else
		snprintf(msg, sizeof(msg), " Saved to %s (vmtop --load %s)",
			 name, name);
	mapview_message(t->mv, r < 0 ? SCREEN_ERROR : SCREEN_STATUS, msg);
}

static void tui_toggle_pause(struct tui *t)
{
	t->paused = !t->paused;
	if (!t->paused)
		tui_refresh(t, true);
}

static void tui_help_open(struct tui *t, enum keys_view view)
{
	help_open(view);
	t->mode = TUI_HELP;
}

/* The settings in effect: the list's columns and sort as they are now
 * (keys change the sort), the rest as last applied. */
static void tui_values(const struct tui *t, struct setup_values *v)
{
	int idx[TREEVIEW_MAX_COLS];
	size_t n = proclist_get_columns(t->pl, idx, TREEVIEW_MAX_COLS), len = 0;
	bool desc;

	*v = t->set;
	v->columns[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(v->columns + len,
					len < sizeof(v->columns) ?
						sizeof(v->columns) - len : 0,
					"%s%s", i ? "," : "",
					proclist_column_name((size_t)idx[i]));
	snprintf(v->sort, sizeof(v->sort), "%s",
		 proclist_sort_name(t->pl, &desc));
	v->sort_desc = desc;
	v->delay = (double)t->delay_ms / 1000.0;
	v->scheme = screen_scheme();
	v->kernel_threads = proclist_kthreads(t->pl);
	v->tree_view = proclist_tree(t->pl);
}

static void tui_set_delay(struct tui *t, double seconds)
{
	t->delay_ms = (long)(seconds * 1000.0 + 0.5);
	if (t->delay_ms < TUI_MIN_DELAY_MS)
		t->delay_ms = TUI_MIN_DELAY_MS;
	t->next_ms = tui_now_ms() + t->delay_ms;
}

/* Puts v in effect: the list's columns and sort, kernel threads, the
 * tree view, the refresh interval, the colour scheme; the rest is kept for what reads it (the map view's
 * detail pane; other users' processes at the start). */
static void tui_apply(struct tui *t, const struct setup_values *v)
{
	int idx[TREEVIEW_MAX_COLS];
	size_t n = 0;
	const char *s = v->columns;

	while (*s && n < TREEVIEW_MAX_COLS) {
		char name[32];
		size_t len = strcspn(s, ",");
		int c;

		bool dup = false;

		snprintf(name, sizeof(name), "%.*s", (int)len, s);
		c = proclist_column_find(name);
		for (size_t i = 0; i < n; i++)
			dup |= idx[i] == c;
		if (c >= 0 && !dup)
			idx[n++] = c;
		s += len + (s[len] == ',');
	}
	proclist_set_column_ids(t->pl, idx, n);
	proclist_set_sort(t->pl, v->sort, v->sort_desc); /* hidden: VIRT */
	proclist_set_kthreads(t->pl, v->kernel_threads);
	if (proclist_tree(t->pl) != v->tree_view)
		proclist_set_tree(t->pl, v->tree_view);
	tui_set_delay(t, v->delay);
	screen_set_scheme(v->scheme);
	t->set = *v;
}

/* F2, S: the setup screen, on the settings in effect. */
static void tui_setup_open(struct tui *t)
{
	struct setup_values v;

	tui_values(t, &v);
	t->su = setup_new(&v, t->store->save ? t->store->path : NULL);
}

/* Setup closed: its values go in effect and are saved. */
static void tui_setup_close(struct tui *t)
{
	struct setup_values v;
	char msg[256];
	int r;

	setup_get(t->su, &v);
	setup_free(t->su);
	t->su = NULL;
	tui_apply(t, &v);
	tui_list_changed(t);
	if (!t->store->save) {
		tui_set_status(t, SCREEN_STATUS, "Settings in effect, not "
			       "saved (--no-config)");
		return;
	}
	r = t->store->save(t->store->ctx, &v, msg, sizeof(msg));
	if (r < 0)
		tui_set_status(t, SCREEN_ERROR, "Settings not saved in %s: %s",
			       t->store->path, msg);
	else
		tui_set_status(t, SCREEN_STATUS, r ? "Settings saved in %s" :
			       "Settings unchanged (%s not written)",
			       t->store->path);
}

static void tui_setup_key(struct tui *t, int key)
{
	switch (setup_key(t->su, key)) {
	case SETUP_CLOSE: tui_setup_close(t); break;
	case SETUP_HELP: tui_help_open(t, KEYS_VIEW_SETUP); break;
	default: break;
	}
}

/* Actions that belong to the program rather than to the list. */
static bool tui_action(struct tui *t, enum keys_action a, int key)
{
	switch (a) {
	case KEYS_CLOSE:
	case KEYS_QUIT: t->quit = true; return true;
	case KEYS_HELP: tui_help_open(t, KEYS_VIEW_LIST); return true;
	case KEYS_FILTER: tui_prompt_open(t, TUI_FILTER); return true;
	case KEYS_SEARCH: tui_prompt_open(t, TUI_SEARCH); return true;
	case KEYS_SEARCH_NEXT: tui_search_next(t); return true;
	case KEYS_PAUSE: tui_toggle_pause(t); return true;
	case KEYS_REFRESH: tui_refresh(t, false); return true;
	case KEYS_REDRAW: clearok(curscr, TRUE); return true;
	case KEYS_OPEN: /* a program row unfolds; a process opens */
		if (!proclist_key(t->pl, a))
			tui_map_open(t);
		return true;
	case KEYS_COMPARE: tui_compare_open(t); return true;
	case KEYS_TIME_BACK: tui_step(t, -1); return true;
	case KEYS_TIME_ON: tui_step(t, 1); return true;
	case KEYS_THREADS:
	case KEYS_ARENAS:
	case KEYS_DNS:
	case KEYS_KNOBS: tui_map_pane(t, key); return true;
	case KEYS_SETUP: tui_setup_open(t); return true;
	default: return false;
	}
}

static void tui_list_key(struct tui *t, int key)
{
	enum keys_action a = keys_lookup(KEYS_VIEW_LIST, key);

	t->status[0] = '\0';
	if (tui_action(t, a, key))
		return;
	if (a == KEYS_CMDLINE) {
		proclist_key(t->pl, a);
		tui_list_changed(t);
		return;
	}
	if (a == KEYS_THREAD_ROWS) {
		size_t n;
		const struct proc_row *rows = source_rows(t->src, &n);

		proclist_key(t->pl, a);
		tui_tasks(t, rows, n);
		proclist_rebuild(t->pl);
		return;
	}
	proclist_key(t->pl, a);
}

static void tui_mouse_list(struct tui *t, enum screen_mouse m, int y, int x)
{
	struct tui_layout l;

	tui_layout(&l);
	if (m == SCREEN_MOUSE_WHEEL_UP || m == SCREEN_MOUSE_WHEEL_DOWN) {
		proclist_scroll(t->pl, m == SCREEN_MOUSE_WHEEL_UP ?
					       -TUI_WHEEL_ROWS :
					       TUI_WHEEL_ROWS);
	} else if (y == l.bottom && t->mode == TUI_LIST) {
		int key = keys_bar_hit(KEYS_VIEW_LIST, x, COLS);

		if (proclist_menu_active(t->pl))
			proclist_menu_key(t->pl, SCREEN_KEY_ESC);
		if (key != SCREEN_KEY_NONE)
			tui_list_key(t, key);
	} else if (y >= l.list_y && y < l.list_y + l.list_h) {
		proclist_click(t->pl, y - l.list_y, x);
	}
}

/* What the map view asked for after a key or a click. */
static void tui_map_result(struct tui *t, enum mapview_result r)
{
	switch (r) {
	case MAPVIEW_CLOSE:
		mapview_free(t->mv);
		t->mv = NULL;
		break;
	case MAPVIEW_QUIT: t->quit = true; break;
	case MAPVIEW_HELP: tui_help_open(t, mapview_keys_view(t->mv)); break;
	case MAPVIEW_REFRESH: tui_refresh(t, false); break;
	case MAPVIEW_TIME_BACK: tui_step(t, -1); break;
	case MAPVIEW_TIME_ON: tui_step(t, 1); break;
	case MAPVIEW_SAVE: tui_save(t); break;
	default: break;
	}
}

/* What the compare view asked for after a key or a click. */
static void tui_compare_result(struct tui *t, enum mapview_result r)
{
	switch (r) {
	case MAPVIEW_CLOSE:
		compareview_free(t->cv);
		t->cv = NULL;
		break;
	case MAPVIEW_QUIT: t->quit = true; break;
	case MAPVIEW_HELP: tui_help_open(t, KEYS_VIEW_COMPARE); break;
	case MAPVIEW_REFRESH: tui_refresh(t, false); break;
	default: break;
	}
}

static void tui_mouse(struct tui *t)
{
	int y = 0, x = 0;
	enum screen_mouse m = screen_mouse(&y, &x);

	if (m == SCREEN_MOUSE_NONE)
		return;
	if (t->mode == TUI_HELP) {
		if (m == SCREEN_MOUSE_CLICK)
			t->mode = TUI_LIST;
		else
			help_key(SCREEN_KEY_FN(m == SCREEN_MOUSE_WHEEL_UP ?
						       KEY_UP : KEY_DOWN));
		return;
	}
	if (t->su) { /* the key bar only */
		if (m == SCREEN_MOUSE_CLICK && y == LINES - 1) {
			int key = keys_bar_hit(KEYS_VIEW_SETUP, x, COLS);

			if (key != SCREEN_KEY_NONE)
				tui_setup_key(t, key);
		}
		return;
	}
	if (t->mv) {
		tui_map_result(t, mapview_mouse(t->mv, m, y, x));
		return;
	}
	if (t->cv) {
		tui_compare_result(t, compareview_mouse(t->cv, m, y, x));
		return;
	}
	tui_mouse_list(t, m, y, x);
}

static void tui_key(struct tui *t, int key)
{
	if (key == SCREEN_KEY_FN(KEY_RESIZE)) {
		/* curses knows the new size; the next draw uses it (the map
		 * view rewraps its insights pane) */
		if (t->mv)
			mapview_key(t->mv, key);
		return;
	}
	if (key == SCREEN_KEY_FN(KEY_MOUSE)) {
		tui_mouse(t);
		return;
	}
	if (t->mode == TUI_HELP) {
		if (!help_key(key))
			t->mode = TUI_LIST;
	} else if (t->su) {
		tui_setup_key(t, key);
	} else if (t->mv && t->mode == TUI_LIST) {
		tui_map_result(t, mapview_key(t->mv, key));
	} else if (t->cv && t->mode == TUI_LIST) {
		tui_compare_result(t, compareview_key(t->cv, key));
	} else if (t->mode != TUI_LIST) {
		tui_prompt_key(t, key);
	} else if (proclist_menu_active(t->pl)) {
		proclist_menu_key(t->pl, key);
	} else {
		tui_list_key(t, key);
	}
}

/* Milliseconds until the next refresh; -1 (no limit) while paused. */
static int tui_timeout(const struct tui *t)
{
	long left;

	/* a loaded file changes on [ and ] only */
	if (t->paused || !t->src->live)
		return -1;
	left = t->next_ms - tui_now_ms();
	return left < 0 ? 0 : (int)left;
}

static bool tui_done(const struct tui *t)
{
	return t->quit ||
	       (t->o->iterations > 0 && t->refreshes >= t->o->iterations);
}

static void tui_loop(struct tui *t)
{
	tui_refresh(t, true);
	/* -m: start in the memory map of the first process shown (with -p,
	 * the one named) */
	if (t->o->maps && !t->mv && !t->diffing)
		tui_map_open(t);
	if (t->diffing)
		tui_diff_open(t);
	while (!tui_done(t)) {
		int key;

		tui_draw(t);
		key = screen_getkey(tui_timeout(t));
		if (key == SCREEN_KEY_SIGNAL)
			return;
		if (key != SCREEN_KEY_NONE)
			tui_key(t, key);
		if (!t->quit && !t->paused && tui_timeout(t) == 0)
			tui_refresh(t, true);
		else if (t->mv && !t->quit)
			/* a refresh read off this thread may be ready */
			mapview_poll(t->mv, tui_now_ms(), t->delay_ms);
		else if (t->cv && !t->quit)
			compareview_poll(t->cv, tui_now_ms(), t->delay_ms);
	}
	if (!t->failed && !t->quit) {
		if (t->mv)
			mapview_settle(t->mv);
		else if (t->cv)
			compareview_settle(t->cv);
		tui_draw(t); /* the last of -n refreshes */
	}
}

/* The filter from -p, -u and PATTERN.  Returns 0, or 2 with a message. */
static int tui_setup_filter(struct tui *t, char *err, size_t errsize)
{
	const struct cli_opts *o = t->o;
	char perr[256];

	for (size_t i = 0; i < o->npids; i++)
		filter_add_pid(t->filter, o->pids[i]);
	for (size_t i = 0; i < o->nuids; i++)
		filter_add_uid(t->filter, o->uids[i]);
	/* other_users=no: the user's own processes, unless -u or -p chose */
	if (!t->set.other_users && !o->nuids && !o->npids)
		filter_add_uid(t->filter, getuid());
	if (filter_set_pattern(t->filter, o->pattern, perr, sizeof(perr)) < 0) {
		snprintf(err, errsize, "invalid regex '%s': %s",
			 o->pattern, perr);
		return 2; /* a usage error, as in batch mode */
	}
	return 0;
}

/* Returns 0, or the exit status (1 or 2) with a message in err. */
static int tui_setup(struct tui *t, const struct cli_opts *o,
		     const struct setup_store *store, char *err,
		     size_t errsize)
{
	int r;

	memset(t, 0, sizeof(*t));
	t->o = o;
	t->store = store;
	strbuf_init(&t->line, 64);
	strbuf_init(&t->filter_before, 64);
	t->filter = filter_new();
	t->pl = proclist_new(t->filter, o->full_cmdline);
	tui_apply(t, &store->values);
	if (store->warning)
		tui_set_status(t, SCREEN_ERROR, "%s%s", store->warning,
			       store->nwarnings > 1 ?
				       " (more on stderr after quitting)" :
				       "");
	/* --columns and --tree came in store->values (main.c) */
	if (o->diff_old) {
		r = diffpair_open(&t->diff, o->diff_old, o->diff_new, o->pids,
				  o->npids, o->pattern, err, errsize);
		if (r < 0)
			return r == -EINVAL ? 2 : 1;
		t->diffing = true;
		t->src = t->diff.new_.src; /* the list's */
		t->diff.new_.src = NULL;
		return tui_setup_filter(t, err, errsize);
	}
	if (o->load) {
		if (load_open(o->load, &t->src, err, errsize))
			return 1;
		return tui_setup_filter(t, err, errsize);
	}
	r = source_proc_new(NULL, &t->src);
	if (r < 0) {
		snprintf(err, errsize, "cannot read processes: %s",
			 strerror(-r));
		return 1;
	}
	return tui_setup_filter(t, err, errsize);
}

static void tui_release(struct tui *t)
{
	setup_free(t->su);
	mapview_free(t->mv);
	compareview_free(t->cv);
	/* a view's read still under way borrows the rules and the source */
	pipeline_wait_all();
	proclist_free(t->pl);
	filter_free(t->filter);
	source_free(t->src);
	diffpair_release(&t->diff);
	strbuf_release(&t->line);
	strbuf_release(&t->filter_before);
}

int tui_run(const struct cli_opts *o, const struct setup_store *store)
{
	struct tui t;
	char err[512];
	int sig, rc;

	rc = tui_setup(&t, o, store, err, sizeof(err));
	if (rc == 0 && screen_init(err, sizeof(err)) < 0)
		rc = 1;
	if (rc) {
		fprintf(stderr, "vmtop: %s\n", err);
		tui_release(&t);
		return rc;
	}
	tui_loop(&t);
	screen_end();
	sig = screen_signal();
	tui_release(&t);
	if (sig)
		screen_reraise(sig);
	if (t.failed) {
		fprintf(stderr, "vmtop: cannot read processes: %s\n",
			strerror(-t.failed));
		return 1;
	}
	return 0;
}
