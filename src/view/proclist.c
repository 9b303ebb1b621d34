/* proclist: the process list as a treeview.
 *
 * Columns are a table indexed by enum proc_sort, so the sort column is a
 * column index and '<' / '>' simply move along the table; COMMAND, the
 * last, is the widget's name column.  The order is the one the list
 * always had: by the column, ties by PID, all inverted when descending.
 * The tag of a process is its PID with its start time above it: the
 * cursor follows the process, not whoever gets its PID next.
 *
 * Four shapes of one widget, each item's data a struct pl_node: the flat
 * list (no fold markers); the tree (F5: each process under its parent,
 * from proctree, siblings sorted by the column; a folded process shows
 * its subtree's sums in the summable columns); program totals (Tab: one
 * folded row per name, its processes under it); and, with any of them,
 * threads (H) as rows under their process.  Thread rows come before a
 * process's child processes whatever the direction of the sort; their
 * memory columns are blank (threads share their process's address space)
 * and they are never summed.  Program tags have the top bit set, thread
 * tags the next one, so that none is a process's tag. */
#include "config.h"

#include "vmtop/proclist.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/hash.h"
#include "vmtop/proctree.h"
#include "vmtop/screen.h"
#include "vmtop/strbuf.h"
#include "vmtop/treeview.h"
#include "vmtop/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* PIDs stay below 2^22 (the kernel's PID_MAX_LIMIT). */
#define PROCLIST_PID_BITS 22
#define PROCLIST_TAG_PROGRAM (1ull << 63)
#define PROCLIST_TAG_THREAD (1ull << 62)

/* Threads first among a process's children (the order of the kinds). */
enum pl_kind { PL_THREAD, PL_PROC, PL_PROGRAM };

struct pl_node {
	enum pl_kind kind;
	const struct proc_row *row;     /* PROC; THREAD: its process */
	const struct proc_task *task;   /* THREAD */
	const struct proctree_sum *sum; /* PROC in the tree: its subtree's;
					 * PROGRAM: its processes' */
	const char *comm;               /* PROGRAM */
};

struct proclist {
	struct filter *filter;
	const struct proc_row *all; /* the source's rows (borrowed) */
	size_t nall;
	struct treeview *tv;
	bool full_cmdline;
	bool tree, programs, threads;
	char empty[160];
	struct strbuf name; /* scratch for "[comm]" */
	const struct proc_row **shown; /* the rows the filter matches */
	size_t nshown, shown_cap;
	struct pl_node *nodes; /* the items' data, one build's */
	size_t nnodes, nodes_cap;
	struct proctree forest;
	struct proctree_programs progs;
	const struct proc_task *tasks; /* the source's (borrowed) */
	size_t ntasks;
	struct hash_table task_of; /* PID -> its first task */
	pid_t *task_pids;
	size_t task_pids_cap;
	struct treeview_column cols[PROC_SORT_COMMAND]; /* PID's title
							 * changes */
	uint64_t *tags;     /* tagged processes, in the order tagged */
	size_t ntags, tags_cap;
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

/* What a column means on the other kinds of rows.  summable: a folded
 * process shows the sum of field over its subtree, a program row over
 * its processes (PSS sums right: each process's is already its share of
 * the pages it shares).  thread: a thread has a value of its own
 * (otherwise its cell is blank: memory is the process's). */
static const struct {
	bool summable;
	enum proctree_field field;
	bool thread;
} proclist_colinfo[PROCLIST_NCOLS] = {
	[PROC_SORT_PID] = { false, 0, true },
	[PROC_SORT_USER] = { false, 0, true },
	[PROC_SORT_THREADS] = { true, PROCTREE_THREADS, false },
	[PROC_SORT_VIRT] = { true, PROCTREE_VSZ, false },
	[PROC_SORT_RES] = { true, PROCTREE_RSS, false },
	[PROC_SORT_SWAP] = { true, PROCTREE_SWAP, false },
	[PROC_SORT_CPU] = { true, PROCTREE_CPU, true },
	[PROC_SORT_STATE] = { false, 0, true },
};

static int proclist_cmp_num(double a, double b)
{
	return (a > b) - (a < b);
}

static int proclist_compare_rows(const struct proc_row *a,
				 const struct proc_row *b, int col)
{
	int c = 0;

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

/* Ties in TID order whatever the direction (desc: the widget inverts). */
static int proclist_compare_tasks(const struct proc_task *a,
				  const struct proc_task *b, int col,
				  bool desc)
{
	int c = 0;

	if (col == PROC_SORT_CPU)
		c = proclist_cmp_num(a->cpu_pct, b->cpu_pct);
	else if (col == PROC_SORT_STATE)
		c = proclist_cmp_num(a->state, b->state);
	else if (col == PROC_SORT_COMMAND)
		c = strcmp(a->comm, b->comm);
	if (c)
		return c;
	c = proclist_cmp_num(a->tid, b->tid);
	return desc ? -c : c;
}

/* Programs: PID's column counts processes, a summable one sums. */
static int proclist_compare_programs(const struct pl_node *a,
				     const struct pl_node *b, int col)
{
	int c = 0;

	if (col == PROC_SORT_PID)
		c = proclist_cmp_num((double)a->sum->processes,
				     (double)b->sum->processes);
	else if (col < PROCLIST_NCOLS && proclist_colinfo[col].summable)
		c = proclist_cmp_num(a->sum->v[proclist_colinfo[col].field],
				     b->sum->v[proclist_colinfo[col].field]);
	return c ? c : strcmp(a->comm, b->comm);
}

static int proclist_compare(const struct treeview_item *ia,
			    const struct treeview_item *ib, int col,
			    void *arg)
{
	const struct pl_node *a = ia->data, *b = ib->data;
	struct proclist *pl = arg;
	bool desc;

	treeview_sort_col(pl->tv, &desc);
	if (a->kind != b->kind) {
		/* threads before child processes in either direction: the
		 * widget inverts what this returns when descending */
		int c = a->kind < b->kind ? -1 : 1;

		return desc ? -c : c;
	}
	if (a->kind == PL_THREAD)
		return proclist_compare_tasks(a->task, b->task, col, desc);
	if (a->kind == PL_PROGRAM)
		return proclist_compare_programs(a, b, col);
	return proclist_compare_rows(a->row, b->row, col);
}

static void proclist_sum_cell(const struct proctree_sum *sum, int col,
			      char *buf, size_t size)
{
	enum proctree_field f = proclist_colinfo[col].field;
	double v = sum->v[f];

	if (!sum->known[f])
		snprintf(buf, size, "-");
	else if (f == PROCTREE_CPU)
		snprintf(buf, size, "%.1f", v);
	else if (f == PROCTREE_THREADS)
		fmt_count(buf, size, (uint64_t)v, PROCLIST_THR_WIDTH);
	else
		fmt_kib(buf, size, (uint64_t)v);
}

/* A thread's cell: its own TID, state and CPU%, its process's user; the
 * rest (memory) is its process's and left blank. */
static void proclist_thread_cell(const struct pl_node *nd, int col,
				 char *buf, size_t size)
{
	struct proc_row r = *nd->row;

	if (!proclist_colinfo[col].thread)
		return;
	r.pid = nd->task->tid;
	r.state = nd->task->state;
	r.cpu_pct = nd->task->cpu_pct;
	proclist_cells[col](&r, buf, size);
}

static void proclist_cell(const struct treeview_item *it, int col, char *buf,
			  size_t size, void *arg)
{
	const struct pl_node *nd = it->data;
	struct proclist *pl = arg;

	buf[0] = '\0';
	if (col < 0 || col >= PROCLIST_NCOLS)
		return;
	if (nd->kind == PL_THREAD) {
		proclist_thread_cell(nd, col, buf, size);
	} else if (nd->kind == PL_PROGRAM) {
		if (col == PROC_SORT_PID)
			fmt_count(buf, size, nd->sum->processes, 7);
		else if (proclist_colinfo[col].summable)
			proclist_sum_cell(nd->sum, col, buf, size);
	} else if (nd->sum && proclist_colinfo[col].summable &&
		   nd->sum->processes > 1 &&
		   !treeview_is_open(pl->tv, it->tag, it->open_default)) {
		proclist_sum_cell(nd->sum, col, buf, size); /* folded */
	} else if (col == PROC_SORT_PID && it->role == SCREEN_TAGGED) {
		/* the tag's mark: the row under the cursor has no colour of
		 * its own */
		snprintf(buf, size, "*%d", (int)nd->row->pid);
	} else {
		proclist_cells[col](nd->row, buf, size);
	}
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

	return (start << PROCLIST_PID_BITS | (uint64_t)r->pid) &
	       ~(PROCLIST_TAG_PROGRAM | PROCLIST_TAG_THREAD);
}

static struct pl_node *proclist_node(struct proclist *pl, enum pl_kind kind,
				     const struct proc_row *row)
{
	/* reserved before the build: items point into the array */
	struct pl_node *nd = &pl->nodes[pl->nnodes++];

	memset(nd, 0, sizeof(*nd));
	nd->kind = kind;
	nd->row = row;
	return nd;
}

/* The threads of r (none unless threads are shown). */
static const struct proc_task *proclist_tasks_of(const struct proclist *pl,
						 const struct proc_row *r,
						 size_t *n)
{
	uint32_t v;
	size_t i;

	*n = 0;
	if (!pl->threads || !pl->ntasks)
		return NULL;
	v = hash_table_get(&pl->task_of, (uint64_t)(uint32_t)r->pid);
	if (v == HASH_NONE)
		return NULL;
	for (i = v; i < pl->ntasks && pl->tasks[i].tgid == r->pid; i++)
		(*n)++;
	return &pl->tasks[v];
}

static bool proclist_is_tagged(const struct proclist *pl, uint64_t tag)
{
	for (size_t k = 0; k < pl->ntags; k++)
		if (pl->tags[k] == tag)
			return true;
	return false;
}

/* Adds a process (under parent, 0 at the top) and its threads. */
static void proclist_add_proc(struct proclist *pl, uint64_t parent,
			      const struct proc_row *r,
			      const struct proctree_node *tn)
{
	uint64_t tag = proclist_tag(r);
	size_t nt;
	const struct proc_task *t = proclist_tasks_of(pl, r, &nt);
	struct pl_node *nd = proclist_node(pl, PL_PROC, r);
	struct treeview_item *it;

	nd->sum = tn ? &tn->sum : NULL;
	it = treeview_add(pl->tv, parent, tag, proclist_command(pl, r), nd);
	if (pl->ntags && proclist_is_tagged(pl, tag))
		it->role = SCREEN_TAGGED;
	it->expandable = nt > 0 || (tn && tn->descendants > 0);
	it->open_default = true;
	for (size_t i = 0; i < nt; i++) {
		uint64_t ttag = PROCLIST_TAG_THREAD |
				(uint64_t)(uint32_t)r->pid << PROCLIST_PID_BITS |
				(uint64_t)(uint32_t)t[i].tid;

		nd = proclist_node(pl, PL_THREAD, r);
		nd->task = &t[i];
		it = treeview_add(pl->tv, tag, ttag, t[i].comm, nd);
		it->role = SCREEN_DIM;
	}
}

static void proclist_build_tree(struct proclist *pl)
{
	const struct proctree *f = &pl->forest;

	proctree_build(&pl->forest, pl->shown, pl->nshown);
	for (size_t i = 0; i < f->n; i++) {
		const struct proctree_node *tn = &f->nodes[i];
		uint64_t parent = tn->parent == PROCTREE_NONE ?
					  0 :
					  proclist_tag(f->nodes[tn->parent].row);

		proclist_add_proc(pl, parent, tn->row, tn);
	}
}

static void proclist_build_programs(struct proclist *pl)
{
	const struct proctree_programs *pg = &pl->progs;

	proctree_programs_build(&pl->progs, pl->shown, pl->nshown);
	for (size_t p = 0; p < pg->n; p++) {
		const struct proctree_program *prog = &pg->p[p];
		uint64_t tag = PROCLIST_TAG_PROGRAM |
			       (hash_fnv_str(0, prog->comm) >> 2);
		struct pl_node *nd = proclist_node(pl, PL_PROGRAM, NULL);
		struct treeview_item *it;

		nd->sum = &prog->sum;
		nd->comm = prog->comm;
		it = treeview_add(pl->tv, 0, tag, prog->comm, nd);
		it->expandable = true;
		for (size_t k = 0; k < prog->sum.processes; k++)
			proclist_add_proc(pl, tag,
					  pl->shown[pg->order[prog->first + k]],
					  NULL);
	}
}

static void proclist_build(struct treeview *tv, void *arg)
{
	struct proclist *pl = arg;
	const struct proc_row *all = pl->all;

	(void)tv;
	pl->nshown = 0;
	XGROW(pl->shown, pl->shown_cap, pl->nall + 1);
	for (size_t i = 0; i < pl->nall; i++)
		if (filter_match(pl->filter, &all[i]))
			pl->shown[pl->nshown++] = &all[i];
	pl->nnodes = 0;
	XGROW(pl->nodes, pl->nodes_cap,
	      2 * pl->nshown + (pl->threads ? pl->ntasks : 0) + 1);
	if (pl->programs) {
		proclist_build_programs(pl);
	} else if (pl->tree) {
		proclist_build_tree(pl);
	} else {
		for (size_t i = 0; i < pl->nshown; i++)
			proclist_add_proc(pl, 0, pl->shown[i], NULL);
	}
}

/* The widget's look and the PID column's title for the mode. */
static void proclist_mode_changed(struct proclist *pl)
{
	struct treeview_column *pid = &pl->cols[PROC_SORT_PID];

	treeview_set_flat(pl->tv, !pl->tree && !pl->programs && !pl->threads);
	pid->title = pl->programs ? "PROCS" : "PID";
	pid->label = pl->programs ? "PROCS (processes of the program)" :
				    "PID";
	treeview_rebuild(pl->tv);
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
	const struct proc_row *r = proclist_cursor_row(pl);
	uint64_t tag;
	size_t k;

	if (!r) /* a program's or a thread's row: nothing to tag */
		return;
	tag = proclist_tag(r);
	for (k = 0; k < pl->ntags && pl->tags[k] != tag; k++)
		;
	if (k < pl->ntags) {
		memmove(&pl->tags[k], &pl->tags[k + 1],
			(pl->ntags - k - 1) * sizeof(*pl->tags));
		pl->ntags--;
	} else {
		XGROW(pl->tags, pl->tags_cap, pl->ntags + 1);
		pl->tags[pl->ntags++] = tag;
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
	memcpy(pl->cols, proclist_columns, sizeof(pl->cols));
	pl->tv = treeview_new(pl->cols, PROCLIST_NCOLS, "COMMAND",
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
	proctree_release(&pl->forest);
	proctree_programs_release(&pl->progs);
	hash_table_release(&pl->task_of);
	free(pl->task_pids);
	free(pl->shown);
	free(pl->nodes);
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

void proclist_set_tree(struct proclist *pl, bool on)
{
	pl->tree = on;
	if (on)
		pl->programs = false;
	proclist_mode_changed(pl);
}

bool proclist_tree(const struct proclist *pl)
{
	return pl->tree;
}

bool proclist_wants_tasks(const struct proclist *pl)
{
	return pl->threads;
}

size_t proclist_task_pids(struct proclist *pl, const struct proc_row *rows,
			  size_t n, const pid_t **pids)
{
	size_t k = 0;

	XGROW(pl->task_pids, pl->task_pids_cap, n + 1);
	for (size_t i = 0; i < n; i++)
		if (rows[i].threads > 1 && filter_match(pl->filter, &rows[i]))
			pl->task_pids[k++] = rows[i].pid;
	*pids = pl->task_pids;
	return k;
}

void proclist_set_tasks(struct proclist *pl, const struct proc_task *tasks,
			size_t n)
{
	pl->tasks = tasks;
	pl->ntasks = n;
	hash_table_clear(&pl->task_of);
	for (size_t i = 0; i < n; i++) {
		uint32_t *slot = hash_table_put(
			&pl->task_of, (uint64_t)(uint32_t)tasks[i].tgid);

		if (*slot == HASH_NONE)
			*slot = (uint32_t)i;
	}
}

char *proclist_mode_text(const struct proclist *pl, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s",
		 pl->programs ? "programs" : pl->tree ? "tree" : "list",
		 pl->threads ? " + threads" : "");
	return buf;
}

bool proclist_wants_cmdline(const struct proclist *pl)
{
	return pl->full_cmdline || filter_wants_cmdline(pl->filter);
}

size_t proclist_shown(const struct proclist *pl)
{
	return pl->nshown; /* processes, whatever is folded */
}

const struct proc_row *proclist_cursor_row(const struct proclist *pl)
{
	const struct treeview_item *it = treeview_cursor(pl->tv);
	const struct pl_node *nd = it ? it->data : NULL;

	return nd ? nd->row : NULL; /* a program's is NULL */
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
	switch (action) {
	case KEYS_CMDLINE:
		pl->full_cmdline = !pl->full_cmdline;
		return true;
	case KEYS_PROC_TREE:
		proclist_set_tree(pl, !pl->tree);
		return true;
	case KEYS_DETAIL: /* Tab: program totals */
		pl->programs = !pl->programs;
		proclist_mode_changed(pl);
		return true;
	case KEYS_THREAD_ROWS:
		pl->threads = !pl->threads;
		if (!pl->threads)
			proclist_set_tasks(pl, NULL, 0);
		proclist_mode_changed(pl);
		return true;
	case KEYS_TOGGLE: /* Space */
		proclist_tag_toggle(pl);
		return true;
	case KEYS_UNTAG_ALL:
		proclist_untag_all(pl);
		return true;
	case KEYS_OPEN:
		/* a program row unfolds; a process's is the memory map */
		if (proclist_cursor_row(pl) || !treeview_cursor(pl->tv))
			return false;
		treeview_action(pl->tv, TREEVIEW_TOGGLE);
		return true;
	default:
		return keys_treeview(pl->tv, action);
	}
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
