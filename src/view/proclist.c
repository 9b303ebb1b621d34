/* proclist: the process list.
 *
 * Columns are a table indexed by enum proc_sort, so the sort column is a
 * column index and '<' / '>' simply move along the table.  The cursor is
 * remembered as a PID: after a refresh re-sorts the rows the cursor goes
 * back to that PID, or stays at the same position if the process went
 * away. */
#include "config.h"

#include "vmtop/proclist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/screen.h"
#include "vmtop/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

struct proclist {
	struct filter *filter;
	const struct proc_row *all; /* the source's rows (borrowed) */
	size_t nall;
	const struct proc_row **rows; /* shown, sorted */
	size_t n, cap;
	enum proc_sort sort;
	bool desc;
	bool full_cmdline;
	size_t cursor, top;
	pid_t cursor_pid; /* 0: none yet */
	int page;         /* rows that fit at the last draw */
	int width;        /* columns at the last draw */
	char empty[160];
	bool menu_open;
	int menu_sel;
};

/* Writes a row's cell; sets *raw when the text comes from the process. */
typedef void cell_fn(const struct proc_row *r, bool full, char *buf,
		     size_t size, bool *raw);

struct proclist_column {
	const char *title;
	int width;    /* 0: the rest of the line */
	bool left;    /* left-aligned */
	bool desc;    /* the natural order when chosen */
	cell_fn *cell;
	const char *name; /* for the sort menu and messages */
	int drop;         /* narrow screens hide 1 first, then 2...; 0 never */
};

/* Where each column goes at one screen width; x < 0: hidden. */
struct proclist_layout {
	int x[PROC_SORT__COUNT];
	int w[PROC_SORT__COUNT];
};

/* COMMAND keeps at least this many columns while others can be hidden. */
#define PROCLIST_MIN_COMMAND 16

static void cell_pid(const struct proc_row *r, bool full, char *buf,
		     size_t size, bool *raw)
{
	(void)full, (void)raw;
	snprintf(buf, size, "%d", (int)r->pid);
}

static void cell_user(const struct proc_row *r, bool full, char *buf,
		      size_t size, bool *raw)
{
	(void)full;
	*raw = true;
	snprintf(buf, size, "%s", r->user);
}

static void cell_threads(const struct proc_row *r, bool full, char *buf,
			 size_t size, bool *raw)
{
	(void)full, (void)raw;
	snprintf(buf, size, "%d", r->threads);
}

static void cell_virt(const struct proc_row *r, bool full, char *buf,
		      size_t size, bool *raw)
{
	(void)full, (void)raw;
	fmt_kib(buf, size, r->vsz_kib);
}

static void cell_res(const struct proc_row *r, bool full, char *buf,
		     size_t size, bool *raw)
{
	(void)full, (void)raw;
	fmt_kib(buf, size, r->rss_kib);
}

static void cell_swap(const struct proc_row *r, bool full, char *buf,
		      size_t size, bool *raw)
{
	(void)full, (void)raw;
	if (r->swap_known)
		fmt_kib(buf, size, r->swap_kib);
	else
		snprintf(buf, size, "-");
}

static void cell_cpu(const struct proc_row *r, bool full, char *buf,
		     size_t size, bool *raw)
{
	(void)full, (void)raw;
	if (r->cpu_pct < 0)
		snprintf(buf, size, "-");
	else if (r->cpu_pct >= 999.95) /* many threads: keep it 5 wide */
		snprintf(buf, size, "%.0f", r->cpu_pct);
	else
		snprintf(buf, size, "%.1f", r->cpu_pct);
}

static void cell_state(const struct proc_row *r, bool full, char *buf,
		       size_t size, bool *raw)
{
	(void)full;
	*raw = true;
	snprintf(buf, size, "%c", r->state ? r->state : '?');
}

/* The command line when asked for and known; kernel threads and zombies
 * have none and show their name in brackets, like ps. */
static void cell_command(const struct proc_row *r, bool full, char *buf,
			 size_t size, bool *raw)
{
	*raw = true;
	if (!full)
		snprintf(buf, size, "%s", r->comm);
	else if (r->cmdline && *r->cmdline)
		snprintf(buf, size, "%s", r->cmdline);
	else
		snprintf(buf, size, "[%s]", r->comm);
}

static const struct proclist_column proclist_columns[PROC_SORT__COUNT] = {
	[PROC_SORT_PID] = { "PID", 7, false, false, cell_pid, "PID", 0 },
	[PROC_SORT_USER] = { "USER", 9, true, false, cell_user, "USER", 4 },
	[PROC_SORT_THREADS] = { "THR", 4, false, true, cell_threads,
				"THR (threads)", 3 },
	[PROC_SORT_VIRT] = { "VIRT", 6, false, true, cell_virt,
			     "VIRT (virtual size)", 0 },
	[PROC_SORT_RES] = { "RES", 6, false, true, cell_res,
			    "RES (resident)", 6 },
	[PROC_SORT_SWAP] = { "SWAP", 6, false, true, cell_swap, "SWAP", 1 },
	[PROC_SORT_CPU] = { "CPU%", 5, false, true, cell_cpu, "CPU%", 5 },
	[PROC_SORT_STATE] = { "S", 1, true, false, cell_state, "S (state)",
			      2 },
	[PROC_SORT_COMMAND] = { "COMMAND", 0, true, false, cell_command,
				"COMMAND", 0 },
};

struct proclist *proclist_new(struct filter *f, bool full_cmdline)
{
	struct proclist *pl = xcalloc(1, sizeof(*pl));

	pl->filter = f;
	pl->full_cmdline = full_cmdline;
	pl->sort = PROC_SORT_VIRT;
	pl->desc = true;
	pl->page = 1;
	return pl;
}

void proclist_free(struct proclist *pl)
{
	if (!pl)
		return;
	free(pl->rows);
	free(pl);
}

/* Puts the cursor back on cursor_pid, or keeps its position. */
static void proclist_restore_cursor(struct proclist *pl)
{
	for (size_t i = 0; pl->cursor_pid && i < pl->n; i++) {
		if (pl->rows[i]->pid == pl->cursor_pid) {
			pl->cursor = i;
			return;
		}
	}
	if (pl->cursor >= pl->n)
		pl->cursor = pl->n ? pl->n - 1 : 0;
	pl->cursor_pid = pl->n ? pl->rows[pl->cursor]->pid : 0;
}

void proclist_rebuild(struct proclist *pl)
{
	const struct proc_row *all = pl->all;
	size_t count = pl->nall;

	pl->n = 0;
	XGROW(pl->rows, pl->cap, count);
	for (size_t i = 0; i < count; i++)
		if (filter_match(pl->filter, &all[i]))
			pl->rows[pl->n++] = &all[i];
	if (pl->n > 1) /* rows is NULL until a process was seen */
		proctable_sort(pl->rows, pl->n, pl->sort, pl->desc);
	proclist_restore_cursor(pl);
}

void proclist_update(struct proclist *pl, const struct proc_row *rows,
		     size_t n)
{
	pl->all = rows;
	pl->nall = n;
	proclist_rebuild(pl);
}

bool proclist_wants_cmdline(const struct proclist *pl)
{
	return pl->full_cmdline || filter_wants_cmdline(pl->filter);
}

size_t proclist_shown(const struct proclist *pl)
{
	return pl->n;
}

const struct proc_row *proclist_cursor_row(const struct proclist *pl)
{
	return pl->n ? pl->rows[pl->cursor] : NULL;
}

void proclist_set_empty_text(struct proclist *pl, const char *text)
{
	snprintf(pl->empty, sizeof(pl->empty), "%s", text ? text : "");
}

char *proclist_sort_text(const struct proclist *pl, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s", proclist_columns[pl->sort].name,
		 pl->desc ? "descending" : "ascending");
	return buf;
}

static void proclist_set_cursor(struct proclist *pl, long i)
{
	if (pl->n == 0)
		return;
	if (i < 0)
		i = 0;
	if ((size_t)i >= pl->n)
		i = (long)pl->n - 1;
	pl->cursor = (size_t)i;
	pl->cursor_pid = pl->rows[i]->pid;
}

static void proclist_set_sort(struct proclist *pl, enum proc_sort by)
{
	pl->sort = by;
	pl->desc = proclist_columns[by].desc;
	proclist_rebuild(pl);
}

/* Whether column c is hidden at drop level `level`: the sort column
 * never is, so that its highlight stays in sight. */
static bool proclist_hidden(const struct proclist *pl, int c, int level)
{
	int drop = proclist_columns[c].drop;

	return drop && drop <= level && c != (int)pl->sort;
}

/* Places the columns in width: hides the least useful ones until
 * COMMAND has room, or nothing more can go. */
static void proclist_layout(const struct proclist *pl, int width,
			    struct proclist_layout *l)
{
	int level = 0, fixed;

	for (;; level++) {
		fixed = 0;
		for (int c = 0; c < PROC_SORT__COUNT; c++)
			if (!proclist_hidden(pl, c, level))
				fixed += proclist_columns[c].width + 1;
		if (width - fixed >= PROCLIST_MIN_COMMAND || level > 6)
			break;
	}
	for (int c = 0, x = 0; c < PROC_SORT__COUNT; c++) {
		int w = proclist_columns[c].width;

		l->x[c] = -1;
		l->w[c] = 0;
		if (proclist_hidden(pl, c, level) || x >= width)
			continue;
		l->x[c] = x;
		l->w[c] = w ? w : width - x;
		x += l->w[c] + 1;
	}
}

/* Draws text in a cell of w columns, aligned as the column says. */
static void proclist_draw_cell(int y, int x, int w, const char *text,
			       bool left, enum screen_role role)
{
	int tw = screen_width(text);

	if (!left && tw < w) {
		screen_put(y, x, w - tw, "", role, true);
		x += w - tw;
		w = tw;
	}
	screen_put(y, x, w, text, role, true);
}

static void proclist_draw_titles(const struct proclist *pl,
				 const struct proclist_layout *l, int y,
				 int width)
{
	screen_put(y, 0, width, "", SCREEN_TITLE, true);
	for (int c = 0; c < PROC_SORT__COUNT; c++) {
		enum screen_role role =
			c == (int)pl->sort ? SCREEN_TITLE_SORT : SCREEN_TITLE;

		if (l->x[c] < 0)
			continue;
		proclist_draw_cell(y, l->x[c], l->w[c],
				   proclist_columns[c].title,
				   proclist_columns[c].left, role);
	}
}

static void proclist_draw_row(const struct proclist *pl,
			      const struct proclist_layout *l,
			      const struct proc_row *r, int y, int width,
			      bool selected)
{
	struct strbuf sb = STRBUF_INIT;
	enum screen_role base = selected ? SCREEN_CURSOR : SCREEN_NORMAL;

	screen_put(y, 0, width, "", base, true);
	for (int c = 0; c < PROC_SORT__COUNT; c++) {
		const struct proclist_column *col = &proclist_columns[c];
		bool raw = false;
		char buf[4096];

		if (l->x[c] < 0)
			continue;
		col->cell(r, pl->full_cmdline, buf, sizeof(buf), &raw);
		strbuf_reset(&sb);
		if (raw)
			fmt_printable_str(&sb, buf);
		else
			strbuf_addstr(&sb, buf);
		proclist_draw_cell(y, l->x[c], l->w[c], sb.buf, col->left,
				   !selected && strcmp(buf, "-") == 0 ?
					   SCREEN_DIM : base);
	}
	strbuf_release(&sb);
}

/* Keeps the cursor inside the page of rows that fit. */
static void proclist_scroll_to_cursor(struct proclist *pl)
{
	screen_scroll_to(&pl->top, pl->cursor, pl->n, (size_t)pl->page);
}

static void proclist_menu_draw(const struct proclist *pl, int y, int height,
			       int width)
{
	int w = width < 22 ? width : 22;

	if (height < 1 || w < 1)
		return;
	screen_put(y, 0, w, " Sort by", SCREEN_TITLE, true);
	for (int c = 0; c < PROC_SORT__COUNT && c + 1 < height; c++) {
		char line[64];

		snprintf(line, sizeof(line), " %s", proclist_columns[c].name);
		screen_put(y + 1 + c, 0, w, line,
			   c == pl->menu_sel ? SCREEN_MENU_SEL : SCREEN_MENU,
			   true);
	}
}

void proclist_draw(struct proclist *pl, int y, int height, int width)
{
	struct proclist_layout l;

	if (height < 1 || width < 1)
		return;
	pl->width = width;
	proclist_layout(pl, width, &l);
	proclist_draw_titles(pl, &l, y, width);
	pl->page = height - 1 > 0 ? height - 1 : 1;
	if (height > 1 && pl->n == 0)
		screen_put(y + 1, 1, width - 1, pl->empty, SCREEN_STATUS,
			   false);
	proclist_scroll_to_cursor(pl);
	for (int i = 0; i < height - 1 && pl->top + i < pl->n; i++) {
		size_t idx = pl->top + (size_t)i;

		proclist_draw_row(pl, &l, pl->rows[idx], y + 1 + i, width,
				  idx == pl->cursor);
	}
	if (pl->menu_open)
		proclist_menu_draw(pl, y + 1, height - 1, width);
}

static void proclist_move_sort(struct proclist *pl, int delta)
{
	int c = ((int)pl->sort + delta + PROC_SORT__COUNT) % PROC_SORT__COUNT;

	proclist_set_sort(pl, (enum proc_sort)c);
}

/* Sort actions: the column each one chooses. */
static const struct {
	enum keys_action action;
	enum proc_sort sort;
} proclist_sort_keys[] = {
	{ KEYS_SORT_PID, PROC_SORT_PID },
	{ KEYS_SORT_VIRT, PROC_SORT_VIRT },
	{ KEYS_SORT_RES, PROC_SORT_RES },
	{ KEYS_SORT_CPU, PROC_SORT_CPU },
	{ KEYS_SORT_THREADS, PROC_SORT_THREADS },
};

static bool proclist_sort_key(struct proclist *pl, enum keys_action action)
{
	for (size_t i = 0; i < ARRAY_SIZE(proclist_sort_keys); i++) {
		if (proclist_sort_keys[i].action == action) {
			proclist_set_sort(pl, proclist_sort_keys[i].sort);
			return true;
		}
	}
	switch (action) {
	case KEYS_SORT_LEFT: proclist_move_sort(pl, -1); return true;
	case KEYS_SORT_RIGHT: proclist_move_sort(pl, 1); return true;
	case KEYS_SORT_INVERT:
		pl->desc = !pl->desc;
		proclist_rebuild(pl);
		return true;
	default: return false;
	}
}

bool proclist_key(struct proclist *pl, enum keys_action action)
{
	long cur = (long)pl->cursor;

	switch (action) {
	case KEYS_UP: proclist_set_cursor(pl, cur - 1); return true;
	case KEYS_DOWN: proclist_set_cursor(pl, cur + 1); return true;
	case KEYS_PAGE_UP: proclist_set_cursor(pl, cur - pl->page); return true;
	case KEYS_PAGE_DOWN:
		proclist_set_cursor(pl, cur + pl->page);
		return true;
	case KEYS_HOME: proclist_set_cursor(pl, 0); return true;
	case KEYS_END: proclist_set_cursor(pl, (long)pl->n - 1); return true;
	case KEYS_CMDLINE: pl->full_cmdline = !pl->full_cmdline; return true;
	default: return proclist_sort_key(pl, action);
	}
}

/* The column drawn at x (its separator included) at the last draw. */
static int proclist_column_at(const struct proclist *pl, int x)
{
	struct proclist_layout l;

	proclist_layout(pl, pl->width, &l);
	for (int c = 0; c < PROC_SORT__COUNT; c++)
		if (l.x[c] >= 0 && x >= l.x[c] && x <= l.x[c] + l.w[c])
			return c;
	return -1;
}

void proclist_click(struct proclist *pl, int y, int x)
{
	if (y == 0) {
		int c = proclist_column_at(pl, x);

		if (c < 0)
			return;
		if (c == (int)pl->sort) {
			pl->desc = !pl->desc;
			proclist_rebuild(pl);
		} else {
			proclist_set_sort(pl, (enum proc_sort)c);
		}
		return;
	}
	if (pl->top + (size_t)(y - 1) < pl->n)
		proclist_set_cursor(pl, (long)pl->top + y - 1);
}

void proclist_scroll(struct proclist *pl, int rows)
{
	proclist_set_cursor(pl, (long)pl->cursor + rows);
}

bool proclist_search(struct proclist *pl, const struct filter *s, bool next)
{
	for (size_t k = next ? 1 : 0; k <= pl->n && pl->n; k++) {
		size_t i = (pl->cursor + k) % pl->n;

		if (filter_match(s, pl->rows[i])) {
			proclist_set_cursor(pl, (long)i);
			return true;
		}
	}
	return false;
}

void proclist_menu_open(struct proclist *pl)
{
	pl->menu_open = true;
	pl->menu_sel = (int)pl->sort;
}

bool proclist_menu_active(const struct proclist *pl)
{
	return pl->menu_open;
}

bool proclist_menu_key(struct proclist *pl, int key)
{
	switch (keys_lookup(key)) {
	case KEYS_UP:
		pl->menu_sel = pl->menu_sel > 0 ? pl->menu_sel - 1 : 0;
		return true;
	case KEYS_DOWN:
		if (pl->menu_sel + 1 < PROC_SORT__COUNT)
			pl->menu_sel++;
		return true;
	case KEYS_HOME: pl->menu_sel = 0; return true;
	case KEYS_END: pl->menu_sel = PROC_SORT__COUNT - 1; return true;
	default: break;
	}
	if (key == '\r' || key == '\n' || key == SCREEN_KEY_FN(KEY_ENTER))
		proclist_set_sort(pl, (enum proc_sort)pl->menu_sel);
	pl->menu_open = false;
	return false;
}
