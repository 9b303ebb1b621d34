/* proclist: the process list as a flat treeview.
 *
 * Columns are a table indexed by enum proc_sort, so the sort column is a
 * column index and '<' / '>' simply move along the table; COMMAND, the
 * last, is the widget's name column.  The order is the one the list
 * always had: by the column, ties by PID, all inverted when descending.
 * The tag of a process is its PID with its start time above it: the
 * cursor follows the process, not whoever gets its PID next. */
#include "config.h"

#include "vmtop/proclist.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	uint64_t *tags;     /* tagged processes, in the order tagged */
	size_t ntags, tags_cap;
};

/* Columns whose numbers can outgrow them (a cell never cuts a number). */
enum { PROCLIST_THR_WIDTH = 4, PROCLIST_CPU_WIDTH = 5 };

/* Writes a row's cell (raw: the widget makes it printable). */
typedef void cell_fn(const struct proc_row *r, char *buf, size_t size);


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
	[PROC_SORT_USER] = cell_user,
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

static int proclist_compare(const struct treeview_item *ia,
			    const struct treeview_item *ib, int col,
			    void *arg)
{
	const struct proc_row *a = ia->data, *b = ib->data;
	int c = 0;

	(void)arg;
	switch ((enum proc_sort)col) {
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
	(void)arg;
	buf[0] = '\0';
	if (col == PROC_SORT_PID) /* the tag's mark: the row under the
				   * cursor has no colour of its own */
		snprintf(buf, size, "%s%d",
			 it->role == SCREEN_TAGGED ? "*" : "",
			 (int)((const struct proc_row *)it->data)->pid);
	else if (col >= 0 && col < PROCLIST_NCOLS)
		proclist_cells[col](it->data, buf, size);
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

static bool proclist_is_tagged(const struct proclist *pl, uint64_t tag)
{
	for (size_t k = 0; k < pl->ntags; k++)
		if (pl->tags[k] == tag)
			return true;
	return false;
}

static void proclist_build(struct treeview *tv, void *arg)
{
	struct proclist *pl = arg;
	const struct proc_row *all = pl->all;
	size_t count = pl->nall;

	for (size_t i = 0; i < count; i++) {
		struct treeview_item *it;
		uint64_t tag = proclist_tag(&all[i]);

		if (!filter_match(pl->filter, &all[i]))
			continue;
		it = treeview_add(tv, 0, tag, proclist_command(pl, &all[i]),
				  &all[i]);
		if (pl->ntags && proclist_is_tagged(pl, tag))
			it->role = SCREEN_TAGGED;
	}
}

/* The row of tag among all rows (filtered out or not), or NULL. */
static const struct proc_row *proclist_row_of(const struct proclist *pl,
					      uint64_t tag)
{
	for (size_t i = 0; i < pl->nall; i++)
		if (proclist_tag(&pl->all[i]) == tag)
			return &pl->all[i];
	return NULL;
}

/* Tags of processes that left the rows go: a PID is not a process. */
static void proclist_sweep_tags(struct proclist *pl)
{
	size_t w = 0;

	for (size_t k = 0; k < pl->ntags; k++)
		if (proclist_row_of(pl, pl->tags[k]))
			pl->tags[w++] = pl->tags[k];
	pl->ntags = w;
}

void proclist_tag_toggle(struct proclist *pl)
{
	const struct treeview_item *it = treeview_cursor(pl->tv);
	size_t k;

	if (!it)
		return;
	for (k = 0; k < pl->ntags && pl->tags[k] != it->tag; k++)
		;
	if (k < pl->ntags) {
		memmove(&pl->tags[k], &pl->tags[k + 1],
			(pl->ntags - k - 1) * sizeof(*pl->tags));
		pl->ntags--;
	} else {
		XGROW(pl->tags, pl->tags_cap, pl->ntags + 1);
		pl->tags[pl->ntags++] = it->tag;
	}
	treeview_rebuild(pl->tv);
	treeview_action(pl->tv, TREEVIEW_DOWN);
}

void proclist_untag_all(struct proclist *pl)
{
	pl->ntags = 0;
	treeview_rebuild(pl->tv);
}

size_t proclist_ntagged(const struct proclist *pl)
{
	return pl->ntags;
}

size_t proclist_tagged(const struct proclist *pl,
		       const struct proc_row **out, size_t max)
{
	size_t n = 0;

	for (size_t k = 0; k < pl->ntags && n < max; k++) {
		const struct proc_row *r = proclist_row_of(pl, pl->tags[k]);

		if (r)
			out[n++] = r;
	}
	return n;
}

struct proclist *proclist_new(struct filter *f, bool full_cmdline)
{
	struct proclist *pl = xcalloc(1, sizeof(*pl));

	pl->filter = f;
	pl->full_cmdline = full_cmdline;
	strbuf_init(&pl->name, 64);
	pl->tv = treeview_new(proclist_columns, PROCLIST_NCOLS, "COMMAND",
			      PROC_SORT_VIRT, true, proclist_build,
			      proclist_cell, pl);
	treeview_set_flat(pl->tv, true);
	treeview_set_compare(pl->tv, proclist_compare);
	return pl;
}

void proclist_free(struct proclist *pl)
{
	if (!pl)
		return;
	treeview_free(pl->tv);
	strbuf_release(&pl->name);
	free(pl->tags);
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
	proclist_sweep_tags(pl);
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
		if (proclist_sort_keys[i].action == action) {
			treeview_sort_by(pl->tv, proclist_sort_keys[i].sort);
			return true;
		}
	}
	if (action == KEYS_CMDLINE) {
		pl->full_cmdline = !pl->full_cmdline;
		return true;
	}
	if (action == KEYS_OPEN)
		return false; /* the program's: the memory map */
	if (action == KEYS_TOGGLE) {
		proclist_tag_toggle(pl);
		return true;
	}
	if (action == KEYS_UNTAG_ALL) {
		proclist_untag_all(pl);
		return true;
	}
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
