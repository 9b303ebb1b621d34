/* proclist: the process list as a flat treeview.
 *
 * Columns are a table indexed by enum proc_sort; COMMAND, the last, is
 * the widget's name column.  The widget gets the columns shown, in the
 * user's order (setup, F2): its column c is the table's shown[c], so
 * '<' / '>' move along what is on screen.  The order is the one the list
 * always had: by the column, ties by PID, all inverted when descending.
 * The tag of a process is its PID with its start time above it: the
 * cursor follows the process, not whoever gets its PID next. */
#include "config.h"

#include "vmtop/proclist.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vmtop/fmt.h"
#include "vmtop/screen.h"
#include "vmtop/strbuf.h"
#include "vmtop/treeview.h"
#include "vmtop/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* PIDs stay below 2^22 (the kernel's PID_MAX_LIMIT). */
#define PROCLIST_PID_BITS 22

struct proclist {
	struct filter *filter;
	const struct proc_row *all; /* the source's rows (borrowed) */
	size_t nall;
	struct treeview *tv;
	bool full_cmdline;
	char empty[160];
	struct strbuf name; /* scratch for "[comm]" */
	int shown[TREEVIEW_MAX_COLS]; /* the widget's columns: table indices */
	int nshown;
	struct treeview_column cols[TREEVIEW_MAX_COLS]; /* the widget's table */
};

/* Columns whose numbers can outgrow them (a cell never cuts a number). */
enum { PROCLIST_THR_WIDTH = 4, PROCLIST_CPU_WIDTH = 5 };

/* Writes a row's cell (raw: the widget makes it printable). */
typedef void cell_fn(const struct proc_row *r, char *buf, size_t size);

static void cell_pid(const struct proc_row *r, char *buf, size_t size)
{
	snprintf(buf, size, "%d", (int)r->pid);
}

static void cell_user(const struct proc_row *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s", r->user);
}

static void cell_threads(const struct proc_row *r, char *buf, size_t size)
{
	/* 10 001 threads in THR's 4 columns: "10k", never "1000" */
	fmt_count(buf, size, r->threads > 0 ? (uint64_t)r->threads : 0,
		  PROCLIST_THR_WIDTH);
}

static void cell_virt(const struct proc_row *r, char *buf, size_t size)
{
	fmt_kib(buf, size, r->vsz_kib);
}

static void cell_res(const struct proc_row *r, char *buf, size_t size)
{
	fmt_kib(buf, size, r->rss_kib);
}

static void cell_swap(const struct proc_row *r, char *buf, size_t size)
{
	if (r->swap_known)
		fmt_kib(buf, size, r->swap_kib);
	else
		snprintf(buf, size, "-");
}

static void cell_cpu(const struct proc_row *r, char *buf, size_t size)
{
	if (r->cpu_pct < 0)
		snprintf(buf, size, "-");
	else if (r->cpu_pct >= 999.95) /* many threads: keep it 5 wide */
		fmt_count(buf, size, (uint64_t)(r->cpu_pct + 0.5),
			  PROCLIST_CPU_WIDTH);
	else
		snprintf(buf, size, "%.1f", r->cpu_pct);
}

static void cell_state(const struct proc_row *r, char *buf, size_t size)
{
	snprintf(buf, size, "%c", r->state ? r->state : '?');
}

/* Every column but COMMAND, which is the widget's name column. */
#define PROCLIST_NCOLS PROC_SORT_COMMAND

static cell_fn *const proclist_cells[PROCLIST_NCOLS] = {
	[PROC_SORT_PID] = cell_pid,     [PROC_SORT_USER] = cell_user,
	[PROC_SORT_THREADS] = cell_threads, [PROC_SORT_VIRT] = cell_virt,
	[PROC_SORT_RES] = cell_res,     [PROC_SORT_SWAP] = cell_swap,
	[PROC_SORT_CPU] = cell_cpu,     [PROC_SORT_STATE] = cell_state,
};

/* title, width, left-aligned, descending first, label, drop level */
static const struct treeview_column proclist_columns[PROCLIST_NCOLS] = {
	[PROC_SORT_PID] = { "PID", 7, false, false, "PID", 0 },
	[PROC_SORT_USER] = { "USER", 9, true, false, "USER", 4 },
	[PROC_SORT_THREADS] = { "THR", PROCLIST_THR_WIDTH, false, true,
				"THR (threads)", 3 },
	[PROC_SORT_VIRT] = { "VIRT", 6, false, true, "VIRT (virtual size)",
			     0 },
	[PROC_SORT_RES] = { "RES", 6, false, true, "RES (resident)", 6 },
	[PROC_SORT_SWAP] = { "SWAP", 6, false, true, "SWAP", 1 },
	[PROC_SORT_CPU] = { "CPU%", PROCLIST_CPU_WIDTH, false, true, "CPU%",
			    5 },
	[PROC_SORT_STATE] = { "S", 1, true, false, "S (state)", 2 },
};

static int proclist_cmp_num(double a, double b)
{
	return (a > b) - (a < b);
}

/* The table index of the widget's column col (its name column: COMMAND). */
static int proclist_table_col(const struct proclist *pl, int col)
{
	return col >= 0 && col < pl->nshown ? pl->shown[col] :
					      PROC_SORT_COMMAND;
}

static int proclist_compare(const struct treeview_item *ia,
			    const struct treeview_item *ib, int col,
			    void *arg)
{
	const struct proc_row *a = ia->data, *b = ib->data;
	int c = 0;

	switch ((enum proc_sort)proclist_table_col(arg, col)) {
	case PROC_SORT_USER: c = strcmp(a->user, b->user); break;
	case PROC_SORT_THREADS:
		c = proclist_cmp_num(a->threads, b->threads);
		break;
	case PROC_SORT_VIRT:
		c = proclist_cmp_num(a->vsz_kib, b->vsz_kib);
		break;
	case PROC_SORT_RES: c = proclist_cmp_num(a->rss_kib, b->rss_kib); break;
	case PROC_SORT_SWAP:
		c = proclist_cmp_num(a->swap_kib, b->swap_kib);
		break;
	case PROC_SORT_CPU: c = proclist_cmp_num(a->cpu_pct, b->cpu_pct); break;
	case PROC_SORT_STATE: c = proclist_cmp_num(a->state, b->state); break;
	case PROC_SORT_COMMAND: c = strcmp(a->comm, b->comm); break;
	case PROC_SORT_PID:
	case PROC_SORT__COUNT: break;
	}
	return c ? c : proclist_cmp_num(a->pid, b->pid);
}

static void proclist_cell(const struct treeview_item *it, int col, char *buf,
			  size_t size, void *arg)
{
	const struct proclist *pl = arg;

	buf[0] = '\0';
	if (col >= 0 && col < pl->nshown)
		proclist_cells[pl->shown[col]](it->data, buf, size);
}

/* The command line when asked for and known; kernel threads and zombies
 * have none and show their name in brackets, like ps. */
static const char *proclist_command(struct proclist *pl,
				    const struct proc_row *r)
{
	if (!pl->full_cmdline)
		return r->comm;
	if (r->cmdline && *r->cmdline && !r->cmdline_truncated)
		return r->cmdline;
	strbuf_reset(&pl->name);
	if (r->cmdline && *r->cmdline) {
		/* the row's text is copied by the treeview anyway */
		strbuf_addstr(&pl->name, r->cmdline);
		strbuf_addstr(&pl->name, PROCTABLE_CMDLINE_CUT);
		return pl->name.buf;
	}
	strbuf_addf(&pl->name, "[%s]", r->comm);
	return pl->name.buf;
}

static uint64_t proclist_tag(const struct proc_row *r)
{
	uint64_t start = r->start_time > 0 ?
				 (uint64_t)(r->start_time * 1000.0) : 0;

	return start << PROCLIST_PID_BITS | (uint64_t)r->pid;
}

static void proclist_build(struct treeview *tv, void *arg)
{
	struct proclist *pl = arg;
	const struct proc_row *all = pl->all;
	size_t count = pl->nall;

	for (size_t i = 0; i < count; i++)
		if (filter_match(pl->filter, &all[i]))
			treeview_add(tv, 0, proclist_tag(&all[i]),
				     proclist_command(pl, &all[i]), &all[i]);
}

/* The widget's index of table column col, or -1 when it is not shown
 * (COMMAND: the widget's name column). */
static int proclist_widget_col(const struct proclist *pl, int col)
{
	if (col == PROC_SORT_COMMAND)
		return pl->nshown;
	for (int c = 0; c < pl->nshown; c++)
		if (pl->shown[c] == col)
			return c;
	return -1;
}

/* A new widget over the columns shown, sorted by table column sort (VIRT
 * when it is not shown, else the first column, else COMMAND). */
static void proclist_new_widget(struct proclist *pl, int sort, bool desc)
{
	int c = proclist_widget_col(pl, sort);

	if (c < 0) {
		c = proclist_widget_col(pl, PROC_SORT_VIRT);
		c = c >= 0 ? c : pl->nshown ? 0 : pl->nshown;
		desc = c < pl->nshown && proclist_columns[pl->shown[c]].desc;
	}
	for (int i = 0; i < pl->nshown; i++)
		pl->cols[i] = proclist_columns[pl->shown[i]];
	treeview_free(pl->tv);
	pl->tv = treeview_new(pl->cols, pl->nshown, "COMMAND", c, desc,
			      proclist_build, proclist_cell, pl);
	treeview_set_flat(pl->tv, true);
	treeview_set_compare(pl->tv, proclist_compare);
}

struct proclist *proclist_new(struct filter *f, bool full_cmdline)
{
	struct proclist *pl = xcalloc(1, sizeof(*pl));

	pl->filter = f;
	pl->full_cmdline = full_cmdline;
	strbuf_init(&pl->name, 64);
	pl->nshown = (int)proclist_default_columns(pl->shown,
						   TREEVIEW_MAX_COLS);
	proclist_new_widget(pl, PROC_SORT_VIRT, true);
	return pl;
}

size_t proclist_ncolumns(void)
{
	return PROCLIST_NCOLS;
}

const char *proclist_column_name(size_t i)
{
	return i < PROCLIST_NCOLS ? proclist_columns[i].title : NULL;
}

const char *proclist_column_text(size_t i)
{
	if (i >= PROCLIST_NCOLS)
		return NULL;
	return proclist_columns[i].label ? proclist_columns[i].label :
					   proclist_columns[i].title;
}

int proclist_column_find(const char *name)
{
	for (int i = 0; i < PROCLIST_NCOLS; i++)
		if (strcasecmp(name, proclist_columns[i].title) == 0)
			return i;
	return -1;
}

size_t proclist_default_columns(int *idx, size_t max)
{
	size_t n = 0;

	/* every column of the table, in its order */
	for (int i = 0; i < PROCLIST_NCOLS && n < max; i++)
		idx[n++] = i;
	return n;
}

size_t proclist_get_columns(const struct proclist *pl, int *idx,
			    size_t max)
{
	size_t n = 0;

	for (int c = 0; c < pl->nshown && n < max; c++)
		idx[n++] = pl->shown[c];
	return n;
}

int proclist_set_columns(struct proclist *pl, const int *idx, size_t n)
{
	bool seen[PROCLIST_NCOLS] = { false };
	bool desc;
	int sort;

	if (n > TREEVIEW_MAX_COLS)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		if (idx[i] < 0 || idx[i] >= PROCLIST_NCOLS || seen[idx[i]])
			return -EINVAL;
		seen[idx[i]] = true;
	}
	sort = proclist_table_col(pl, treeview_sort_col(pl->tv, &desc));
	memcpy(pl->shown, idx, n * sizeof(*idx));
	pl->nshown = (int)n;
	proclist_new_widget(pl, sort, desc);
	proclist_rebuild(pl);
	return 0;
}

const char *proclist_sort_name(const struct proclist *pl, bool *desc)
{
	int col = proclist_table_col(pl, treeview_sort_col(pl->tv, desc));

	return col == PROC_SORT_COMMAND ? "COMMAND" :
					  proclist_columns[col].title;
}

int proclist_set_sort(struct proclist *pl, const char *name, bool desc)
{
	int col = strcasecmp(name, "COMMAND") == 0 ?
			  PROC_SORT_COMMAND : proclist_column_find(name);
	bool now;

	col = col < 0 ? -1 : proclist_widget_col(pl, col);
	if (col < 0)
		return -ENOENT;
	treeview_sort_by(pl->tv, col);
	treeview_sort_col(pl->tv, &now);
	if (now != desc)
		treeview_action(pl->tv, TREEVIEW_SORT_INVERT);
	return 0;
}

void proclist_free(struct proclist *pl)
{
	if (!pl)
		return;
	treeview_free(pl->tv);
	strbuf_release(&pl->name);
	free(pl);
}

void proclist_rebuild(struct proclist *pl)
{
	treeview_rebuild(pl->tv);
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
	return treeview_shown(pl->tv);
}

const struct proc_row *proclist_cursor_row(const struct proclist *pl)
{
	const struct treeview_item *it = treeview_cursor(pl->tv);

	return it ? it->data : NULL;
}

void proclist_set_empty_text(struct proclist *pl, const char *text)
{
	snprintf(pl->empty, sizeof(pl->empty), "%s", text ? text : "");
}

char *proclist_sort_text(const struct proclist *pl, char *buf, size_t size)
{
	bool desc;
	int col = treeview_sort_col(pl->tv, &desc);

	snprintf(buf, size, "%s, %s", treeview_column_label(pl->tv, col),
		 desc ? "descending" : "ascending");
	return buf;
}

void proclist_draw(struct proclist *pl, int y, int height, int width)
{
	if (height < 1 || width < 1)
		return;
	treeview_draw(pl->tv, y, height, width);
	if (height > 1 && proclist_shown(pl) == 0)
		screen_put(y + 1, 1, width - 1, pl->empty, SCREEN_STATUS,
			   false);
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

bool proclist_key(struct proclist *pl, enum keys_action action)
{
	for (size_t i = 0; i < ARRAY_SIZE(proclist_sort_keys); i++) {
		int c;

		if (proclist_sort_keys[i].action != action)
			continue;
		/* a column not shown cannot be the sort column */
		c = proclist_widget_col(pl, proclist_sort_keys[i].sort);
		if (c >= 0)
			treeview_sort_by(pl->tv, c);
		return true;
	}
	if (action == KEYS_CMDLINE) {
		pl->full_cmdline = !pl->full_cmdline;
		return true;
	}
	if (action == KEYS_OPEN)
		return false; /* the program's: the memory map */
	return keys_treeview(pl->tv, action);
}

void proclist_click(struct proclist *pl, int y, int x)
{
	treeview_click(pl->tv, y, x);
}

void proclist_scroll(struct proclist *pl, int rows)
{
	treeview_scroll(pl->tv, rows);
}

bool proclist_search(struct proclist *pl, const char *text, bool next)
{
	return treeview_search(pl->tv, text, next);
}

bool proclist_menu_active(const struct proclist *pl)
{
	return treeview_menu_active(pl->tv);
}

void proclist_menu_key(struct proclist *pl, int key)
{
	keys_menu_key(pl->tv, KEYS_VIEW_LIST, key);
}
