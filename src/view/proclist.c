/* proclist: the process list as a treeview.
 *
 * Columns are one table of every column (proclist_table[]); the shown
 * ones are indexes into it, in the user's order, so the sort column is a
 * shown column's index and '<' / '>' simply move along them; COMMAND, the
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

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The user menu (u): "all users" first, then each user with processes. */
struct proclist_user {
	uid_t uid;
	char name[40];
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
	int col_ids[TREEVIEW_MAX_COLS]; /* shown columns: proclist_table[] */
	int ncols;
	struct treeview_column cols[TREEVIEW_MAX_COLS]; /* the widget's;
							 * PID's title changes */
	bool show_kthreads;  /* K; hidden by default, as in htop */
	bool one_user;       /* u chose a user */
	uid_t user;
	char user_name[40];
	double rollup_age, maps_age; /* the oldest among the rows shown */
	int width;           /* of the last draw */
	struct proclist_user *users; /* the open user menu, or NULL */
	size_t nusers, user_sel;
	uint64_t *tags;     /* tagged processes, in the order tagged */
	size_t ntags, tags_cap;
};

/* Columns whose numbers can outgrow them (a cell never cuts a number). */
enum { PROCLIST_THR_WIDTH = 4, PROCLIST_CPU_WIDTH = 5, PROCLIST_MAPS_WIDTH = 5 };

/* Writes a row's cell (raw: the widget makes it printable). */
typedef void cell_fn(const struct proc_row *r, char *buf, size_t size);
/* Compares two rows by the column, ascending (ties: the caller's). */
typedef int cmp_fn(const struct proc_row *a, const struct proc_row *b);

static int proclist_cmp_num(double a, double b)
{
	return (a > b) - (a < b);
}

static void cell_pid(const struct proc_row *r, char *buf, size_t size)
{
	snprintf(buf, size, "%d", (int)r->pid);
}

static int cmp_pid(const struct proc_row *a, const struct proc_row *b)
{
	return proclist_cmp_num(a->pid, b->pid);
}

static void cell_user(const struct proc_row *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s", r->user);
}

static int cmp_user(const struct proc_row *a, const struct proc_row *b)
{
	return strcmp(a->user, b->user);
}

static void cell_threads(const struct proc_row *r, char *buf, size_t size)
{
	/* 10 001 threads in THR's 4 columns: "10k", never "1000" */
	fmt_count(buf, size, r->threads > 0 ? (uint64_t)r->threads : 0,
		  PROCLIST_THR_WIDTH);
}

static int cmp_threads(const struct proc_row *a, const struct proc_row *b)
{
	return proclist_cmp_num(a->threads, b->threads);
}

static void cell_virt(const struct proc_row *r, char *buf, size_t size)
{
	fmt_kib(buf, size, r->vsz_kib);
}

static int cmp_virt(const struct proc_row *a, const struct proc_row *b)
{
	return proclist_cmp_num(a->vsz_kib, b->vsz_kib);
}

static void cell_res(const struct proc_row *r, char *buf, size_t size)
{
	fmt_kib(buf, size, r->rss_kib);
}

static int cmp_res(const struct proc_row *a, const struct proc_row *b)
{
	return proclist_cmp_num(a->rss_kib, b->rss_kib);
}

static void cell_swap(const struct proc_row *r, char *buf, size_t size)
{
	if (r->swap_known)
		fmt_kib(buf, size, r->swap_kib);
	else
		snprintf(buf, size, "-");
}

static int cmp_swap(const struct proc_row *a, const struct proc_row *b)
{
	return proclist_cmp_num(a->swap_kib, b->swap_kib);
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

static int cmp_cpu(const struct proc_row *a, const struct proc_row *b)
{
	return proclist_cmp_num(a->cpu_pct, b->cpu_pct);
}

static void cell_state(const struct proc_row *r, char *buf, size_t size)
{
	snprintf(buf, size, "%c", r->state ? r->state : '?');
}

static int cmp_state(const struct proc_row *a, const struct proc_row *b)
{
	return proclist_cmp_num(a->state, b->state);
}

static int cmp_comm(const struct proc_row *a, const struct proc_row *b)
{
	return strcmp(a->comm, b->comm);
}

/* The memory columns (enum proc_mem): sizes as VIRT, counts as THR, "-"
 * when not read (or not readable), which sorts below 0. */
static void cell_mem(const struct proc_row *r, enum proc_mem m, char *buf,
		     size_t size)
{
	uint64_t v = r->mem[m];

	if (v == PROC_MEM_UNKNOWN)
		snprintf(buf, size, "-");
	else if (m == PROC_MEM_MAPS || m == PROC_MEM_ARENAS)
		fmt_count(buf, size, v, PROCLIST_MAPS_WIDTH);
	else
		fmt_kib(buf, size, v);
}

static int cmp_mem(const struct proc_row *a, const struct proc_row *b,
		   enum proc_mem m)
{
	double x = a->mem[m] == PROC_MEM_UNKNOWN ? -1.0 : (double)a->mem[m];
	double y = b->mem[m] == PROC_MEM_UNKNOWN ? -1.0 : (double)b->mem[m];

	return proclist_cmp_num(x, y);
}

#define MEM_FNS(NAME, M)                                                   \
	static void cell_##NAME(const struct proc_row *r, char *buf,       \
				size_t size)                               \
	{                                                                  \
		cell_mem(r, M, buf, size);                                 \
	}                                                                  \
	static int cmp_##NAME(const struct proc_row *a,                    \
			      const struct proc_row *b)                    \
	{                                                                  \
		return cmp_mem(a, b, M);                                   \
	}
MEM_FNS(resv, PROC_MEM_RESV)
MEM_FNS(commit, PROC_MEM_COMMIT)
MEM_FNS(pss, PROC_MEM_PSS)
MEM_FNS(uss, PROC_MEM_USS)
MEM_FNS(shr, PROC_MEM_SHR)
MEM_FNS(anon, PROC_MEM_ANON)
MEM_FNS(file, PROC_MEM_FILE)
MEM_FNS(shmem, PROC_MEM_SHMEM)
MEM_FNS(data, PROC_MEM_DATA)
MEM_FNS(maps, PROC_MEM_MAPS)
MEM_FNS(arenas, PROC_MEM_ARENAS)

/* One column of the list: what --columns and the settings call it, its
 * title, what it shows (the sort menu and the help say it), its width,
 * its priority (narrow screens hide 1 first, then 2...; 0 never), its
 * cell and its order, what a refresh must read for it, and what it means
 * on the other kinds of rows: sum, 1 + the proctree field a folded
 * process shows summed over its subtree and a program row over its
 * processes (PSS sums right: each process's is already its share of the
 * pages it shares), 0 when it does not sum; thread, whether a thread has
 * a value of its own (otherwise its cell is blank: memory is the
 * process's). */
struct proclist_col {
	const char *name;
	const char *title;
	const char *desc;
	int width;
	int priority;
	bool left;       /* left-aligned */
	bool desc_first; /* descending when first chosen */
	cell_fn *cell;
	cmp_fn *cmp;
	unsigned want;   /* enum proctable_want */
	int sum;         /* 1 + enum proctree_field; 0: not summed */
	bool thread;
};

#define W_STATUS PROCTABLE_WANT_STATUS
#define W_ROLLUP PROCTABLE_WANT_ROLLUP
#define W_MAPS PROCTABLE_WANT_MAPS
#define SUM(f) (1 + PROCTREE_##f)

/* Every column; COMMAND, the last, is the widget's name column. */
static const struct proclist_col proclist_table[] = {
	{ "PID", "PID", "PID", 7, 0, false, false, cell_pid, cmp_pid, 0, 0,
	  true },
	{ "USER", "USER", "USER", 9, 4, true, false, cell_user, cmp_user, 0,
	  0, true },
	{ "THR", "THR", "THR (threads)", PROCLIST_THR_WIDTH, 3, false, true,
	  cell_threads, cmp_threads, 0, SUM(THREADS), false },
	{ "VIRT", "VIRT", "VIRT (virtual size)", 6, 0, false, true,
	  cell_virt, cmp_virt, 0, SUM(VSZ), false },
	{ "RES", "RES", "RES (resident)", 6, 6, false, true, cell_res,
	  cmp_res, 0, SUM(RSS), false },
	{ "SWAP", "SWAP", "SWAP", 6, 1, false, true, cell_swap, cmp_swap, 0,
	  SUM(SWAP), false },
	{ "CPU%", "CPU%", "CPU%", PROCLIST_CPU_WIDTH, 5, false, true,
	  cell_cpu, cmp_cpu, 0, SUM(CPU), true },
	{ "S", "S", "S (state)", 1, 2, true, false, cell_state, cmp_state,
	  0, 0, true },
	{ "RESV", "RESV", "RESV (reserved: PROT_NONE address space)", 6, 7,
	  false, true, cell_resv, cmp_resv, W_MAPS, 0, false },
	{ "COMMIT", "COMMIT", "COMMIT (committed: VIRT - RESV)", 6, 7, false,
	  true, cell_commit, cmp_commit, W_MAPS, 0, false },
	{ "PSS", "PSS", "PSS (proportional set size)", 6, 8, false, true,
	  cell_pss, cmp_pss, W_ROLLUP, SUM(PSS), false },
	{ "USS", "USS", "USS (unique: private pages)", 6, 8, false, true,
	  cell_uss, cmp_uss, W_ROLLUP, SUM(USS), false },
	{ "SHR", "SHR", "SHR (resident file and shmem)", 6, 7, false, true,
	  cell_shr, cmp_shr, 0, 0, false },
	{ "ANON", "ANON", "ANON (RssAnon)", 6, 7, false, true, cell_anon,
	  cmp_anon, 0, 0, false },
	{ "FILE", "FILE", "FILE (RssFile)", 6, 7, false, true, cell_file,
	  cmp_file, W_STATUS, 0, false },
	{ "SHMEM", "SHMEM", "SHMEM (RssShmem)", 6, 7, false, true,
	  cell_shmem, cmp_shmem, W_STATUS, 0, false },
	{ "DATA", "DATA", "DATA (VmData + VmStk)", 6, 7, false, true,
	  cell_data, cmp_data, 0, 0, false },
	{ "MAPS", "MAPS", "MAPS (mappings)", PROCLIST_MAPS_WIDTH, 7, false,
	  true, cell_maps, cmp_maps, W_MAPS, 0, false },
	{ "ARENAS", "ARENAS", "ARENAS (glibc arena heaps)", 6, 7, false,
	  true, cell_arenas, cmp_arenas, W_MAPS, 0, false },
	{ "COMMAND", "COMMAND", "COMMAND", 0, 0, true, false, NULL, cmp_comm,
	  0, 0, true },
};

#define PROCLIST_NTABLE ((int)ARRAY_SIZE(proclist_table))
#define PROCLIST_COMMAND (PROCLIST_NTABLE - 1)

/* The columns shown when none are chosen: the list as it always was. */
static const char proclist_default[] = "PID,USER,THR,VIRT,RES,SWAP,CPU%,S";

static int proclist_col_by_name(const char *name, size_t len)
{
	for (int i = 0; i < PROCLIST_NTABLE; i++)
		if (strlen(proclist_table[i].name) == len &&
		    strncasecmp(proclist_table[i].name, name, len) == 0)
			return i;
	return -1;
}

/* The shown column col's table entry (ncols: COMMAND). */
static const struct proclist_col *proclist_col(const struct proclist *pl,
					       int col)
{
	if (col >= 0 && col < pl->ncols)
		return &proclist_table[pl->col_ids[col]];
	return &proclist_table[PROCLIST_COMMAND];
}

static bool proclist_col_is(const struct proclist *pl, int col,
			    const char *name)
{
	return !strcmp(proclist_col(pl, col)->name, name);
}

static int proclist_compare_rows(const struct proclist *pl,
				 const struct proc_row *a,
				 const struct proc_row *b, int col)
{
	int c = proclist_col(pl, col)->cmp(a, b);

	return c ? c : proclist_cmp_num(a->pid, b->pid);
}

/* Ties in TID order whatever the direction (desc: the widget inverts). */
static int proclist_compare_tasks(const struct proclist *pl,
				  const struct proc_task *a,
				  const struct proc_task *b, int col,
				  bool desc)
{
	int c = 0;

	if (proclist_col_is(pl, col, "CPU%"))
		c = proclist_cmp_num(a->cpu_pct, b->cpu_pct);
	else if (proclist_col_is(pl, col, "S"))
		c = proclist_cmp_num(a->state, b->state);
	else if (proclist_col_is(pl, col, "COMMAND"))
		c = strcmp(a->comm, b->comm);
	if (c)
		return c;
	c = proclist_cmp_num(a->tid, b->tid);
	return desc ? -c : c;
}

/* Programs: PID's column counts processes, a summable one sums. */
static int proclist_compare_programs(const struct proclist *pl,
				     const struct pl_node *a,
				     const struct pl_node *b, int col)
{
	int c = 0, f = proclist_col(pl, col)->sum - 1;

	if (proclist_col_is(pl, col, "PID"))
		c = proclist_cmp_num((double)a->sum->processes,
				     (double)b->sum->processes);
	else if (col < pl->ncols && f >= 0)
		c = proclist_cmp_num(a->sum->v[f], b->sum->v[f]);
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
		return proclist_compare_tasks(pl, a->task, b->task, col, desc);
	if (a->kind == PL_PROGRAM)
		return proclist_compare_programs(pl, a, b, col);
	return proclist_compare_rows(pl, a->row, b->row, col);
}

static void proclist_sum_cell(const struct proclist *pl,
			      const struct proctree_sum *sum, int col,
			      char *buf, size_t size)
{
	enum proctree_field f = (enum proctree_field)(proclist_col(pl, col)->sum - 1);
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
static void proclist_thread_cell(const struct proclist *pl,
				 const struct pl_node *nd, int col,
				 char *buf, size_t size)
{
	struct proc_row r = *nd->row;
	const struct proclist_col *c = proclist_col(pl, col);

	if (!c->thread)
		return;
	r.pid = nd->task->tid;
	r.state = nd->task->state;
	r.cpu_pct = nd->task->cpu_pct;
	c->cell(&r, buf, size);
}

static void proclist_cell(const struct treeview_item *it, int col, char *buf,
			  size_t size, void *arg)
{
	const struct pl_node *nd = it->data;
	struct proclist *pl = arg;
	const struct proclist_col *c;

	buf[0] = '\0';
	if (col < 0 || col >= pl->ncols)
		return;
	c = proclist_col(pl, col);
	if (nd->kind == PL_THREAD) {
		proclist_thread_cell(pl, nd, col, buf, size);
	} else if (nd->kind == PL_PROGRAM) {
		if (!strcmp(c->name, "PID"))
			fmt_count(buf, size, nd->sum->processes, 7);
		else if (c->sum)
			proclist_sum_cell(pl, nd->sum, col, buf, size);
	} else if (nd->sum && c->sum && nd->sum->processes > 1 &&
		   !treeview_is_open(pl->tv, it->tag, it->open_default)) {
		proclist_sum_cell(pl, nd->sum, col, buf, size); /* folded */
	} else if (!strcmp(c->name, "PID") && it->role == SCREEN_TAGGED) {
		/* the tag's mark: the row under the cursor has no colour of
		 * its own */
		snprintf(buf, size, "*%d", (int)nd->row->pid);
	} else {
		c->cell(nd->row, buf, size);
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

/* Whether r's PID was named with -p: shown even when a kernel thread. */
static bool proclist_named(const struct proclist *pl, const struct proc_row *r)
{
	const pid_t *pids;
	size_t n = filter_pids(pl->filter, &pids);

	for (size_t i = 0; i < n; i++)
		if (pids[i] == r->pid)
			return true;
	return false;
}

/* Whether K and u let r through (the filter is asked after). */
static bool proclist_lets(const struct proclist *pl, const struct proc_row *r)
{
	if (r->kthread && !pl->show_kthreads && !proclist_named(pl, r))
		return false;
	return !pl->one_user || r->uid == pl->user;
}

static void proclist_build(struct treeview *tv, void *arg)
{
	struct proclist *pl = arg;
	const struct proc_row *all = pl->all;

	(void)tv;
	pl->nshown = 0;
	pl->rollup_age = pl->maps_age = -1;
	XGROW(pl->shown, pl->shown_cap, pl->nall + 1);
	for (size_t i = 0; i < pl->nall; i++) {
		if (!proclist_lets(pl, &all[i]) ||
		    !filter_match(pl->filter, &all[i]))
			continue;
		pl->shown[pl->nshown++] = &all[i];
		/* the header says how old the oldest figure shown is */
		if (all[i].rollup_age > pl->rollup_age)
			pl->rollup_age = all[i].rollup_age;
		if (all[i].maps_age > pl->maps_age)
			pl->maps_age = all[i].maps_age;
	}
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
static void proclist_mode_look(struct proclist *pl)
{
	treeview_set_flat(pl->tv, !pl->tree && !pl->programs && !pl->threads);
	for (int i = 0; i < pl->ncols; i++) {
		struct treeview_column *pid = &pl->cols[i];

		if (!proclist_col_is(pl, i, "PID"))
			continue;
		pid->title = pl->programs ? "PROCS" : "PID";
		pid->label = pl->programs ?
				     "PROCS (processes of the program)" :
				     "PID";
	}
}

static void proclist_mode_changed(struct proclist *pl)
{
	proclist_mode_look(pl);
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
	const struct treeview_item *it = treeview_cursor(pl->tv);
	const struct pl_node *nd = it ? it->data : NULL;
	const struct proc_row *r = nd ? nd->row : NULL;
	uint64_t tag;
	size_t k;

	/* a program's or a thread's row: nothing to tag (a thread's row
	 * holds its process's, which it is not) */
	if (!r || nd->kind != PL_PROC)
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

/* Makes the widget over the columns in pl->cols, sorted by the column
 * named sort (VIRT, else the first, when it is not shown). */
static void proclist_make_tv(struct proclist *pl, const char *sort,
			     bool desc)
{
	int sort_col = -1;

	for (int i = 0; i < pl->ncols; i++) {
		const struct proclist_col *c = &proclist_table[pl->col_ids[i]];

		pl->cols[i] = (struct treeview_column){
			c->title, c->width, c->left, c->desc_first, c->desc,
			c->priority
		};
		if (!strcmp(c->name, sort))
			sort_col = i;
	}
	if (!strcmp(sort, "COMMAND"))
		sort_col = pl->ncols;
	if (sort_col < 0) {
		sort_col = 0;
		desc = false;
		for (int i = 0; i < pl->ncols; i++)
			if (!strcmp(proclist_table[pl->col_ids[i]].name, "VIRT"))
				sort_col = i, desc = true;
	}
	treeview_free(pl->tv);
	pl->tv = treeview_new(pl->cols, pl->ncols, "COMMAND", sort_col,
			      desc, proclist_build, proclist_cell, pl);
	treeview_set_compare(pl->tv, proclist_compare);
	proclist_mode_look(pl);
}

/* Appends the columns of list (names, commas between) to cols[*n]. */
static int proclist_parse_cols(const char *list, int *cols, int *n,
			       char *err, size_t errsize)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int c = proclist_col_by_name(p, len);
		bool dup = false;

		if (c < 0) {
			snprintf(err, errsize, "unknown column '%.*s'",
				 (int)len, p);
			return -EINVAL;
		}
		for (int i = 0; i < *n; i++)
			dup |= cols[i] == c;
		if (c != PROCLIST_COMMAND && !dup) {
			if (*n == TREEVIEW_MAX_COLS) {
				snprintf(err, errsize, "at most %d columns "
					 "besides COMMAND", TREEVIEW_MAX_COLS);
				return -E2BIG;
			}
			cols[(*n)++] = c;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

struct proclist *proclist_new(struct filter *f, bool full_cmdline)
{
	struct proclist *pl = xcalloc(1, sizeof(*pl));
	int idx[TREEVIEW_MAX_COLS];

	pl->filter = f;
	pl->full_cmdline = full_cmdline;
	strbuf_init(&pl->name, 64);
	proclist_set_column_ids(pl, idx,
				proclist_default_columns(idx, TREEVIEW_MAX_COLS));
	return pl;
}

size_t proclist_ncolumns(void)
{
	return PROCLIST_COMMAND; /* COMMAND, the last, is always shown */
}

const char *proclist_column_name(size_t i)
{
	return i < (size_t)PROCLIST_COMMAND ? proclist_table[i].name : NULL;
}

const char *proclist_column_text(size_t i)
{
	return i < (size_t)PROCLIST_COMMAND ? proclist_table[i].desc : NULL;
}

int proclist_column_find(const char *name)
{
	int c = proclist_col_by_name(name, strlen(name));

	return c == PROCLIST_COMMAND ? -1 : c;
}

size_t proclist_default_columns(int *idx, size_t max)
{
	int cols[TREEVIEW_MAX_COLS], n = 0;
	char err[80];
	size_t k = 0;

	proclist_parse_cols(proclist_default, cols, &n, err, sizeof(err));
	for (int i = 0; i < n && k < max; i++)
		idx[k++] = cols[i];
	return k;
}

size_t proclist_get_columns(const struct proclist *pl, int *idx,
			    size_t max)
{
	size_t n = 0;

	for (int c = 0; c < pl->ncols && n < max; c++)
		idx[n++] = pl->col_ids[c];
	return n;
}

int proclist_set_column_ids(struct proclist *pl, const int *idx, size_t n)
{
	bool seen[PROCLIST_NTABLE];
	char sort[16] = "VIRT";
	bool desc = true;

	memset(seen, 0, sizeof(seen));
	if (n > TREEVIEW_MAX_COLS)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		if (idx[i] < 0 || idx[i] >= PROCLIST_COMMAND || seen[idx[i]])
			return -EINVAL;
		seen[idx[i]] = true;
	}
	if (pl->tv) /* the sort column stays when still shown */
		snprintf(sort, sizeof(sort), "%s",
			 proclist_col(pl, treeview_sort_col(pl->tv, &desc))
				 ->name);
	memcpy(pl->col_ids, idx, n * sizeof(*idx));
	pl->ncols = (int)n;
	proclist_make_tv(pl, sort, desc);
	if (pl->all)
		proclist_rebuild(pl);
	return 0;
}

const char *proclist_sort_name(const struct proclist *pl, bool *desc)
{
	return proclist_col(pl, treeview_sort_col(pl->tv, desc))->name;
}

int proclist_set_sort(struct proclist *pl, const char *name, bool desc)
{
	int c = proclist_col_by_name(name, strlen(name)), col = -1;
	bool now;

	if (c == PROCLIST_COMMAND)
		col = pl->ncols;
	for (int i = 0; c >= 0 && i < pl->ncols; i++)
		if (pl->col_ids[i] == c)
			col = i;
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
	proctree_release(&pl->forest);
	proctree_programs_release(&pl->progs);
	hash_table_release(&pl->task_of);
	free(pl->task_pids);
	free(pl->shown);
	free(pl->nodes);
	free(pl->tags);
	free(pl->users);
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

void proclist_set_kthreads(struct proclist *pl, bool shown)
{
	if (pl->show_kthreads == shown)
		return;
	pl->show_kthreads = shown;
	if (pl->all)
		proclist_rebuild(pl);
}

bool proclist_kthreads(const struct proclist *pl)
{
	return pl->show_kthreads;
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
		if (rows[i].threads > 1 && proclist_lets(pl, &rows[i]) &&
		    filter_match(pl->filter, &rows[i]))
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

unsigned proclist_want(const struct proclist *pl)
{
	unsigned want = proclist_wants_cmdline(pl) ? PROCTABLE_WANT_CMDLINE : 0;

	for (int i = 0; i < pl->ncols; i++)
		want |= proclist_table[pl->col_ids[i]].want;
	return want;
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

/* ---- the user menu (u) ---- */

static int proclist_user_cmp(const void *a, const void *b)
{
	const struct proclist_user *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Opens the menu on the users that have processes now, "all users"
 * first, the entry in effect selected. */
static void proclist_users_open(struct proclist *pl)
{
	size_t n = 1;

	free(pl->users);
	pl->users = xcalloc(pl->nall + 1, sizeof(*pl->users));
	snprintf(pl->users[0].name, sizeof(pl->users[0].name), "all users");
	for (size_t i = 0; i < pl->nall; i++) {
		const struct proc_row *r = &pl->all[i];
		bool seen = false;

		if (r->kthread && !pl->show_kthreads)
			continue;
		for (size_t k = 1; k < n && !seen; k++)
			seen = pl->users[k].uid == r->uid;
		if (seen)
			continue;
		pl->users[n].uid = r->uid;
		snprintf(pl->users[n].name, sizeof(pl->users[n].name), "%s",
			 r->user);
		n++;
	}
	qsort(pl->users + 1, n - 1, sizeof(*pl->users), proclist_user_cmp);
	pl->nusers = n;
	pl->user_sel = 0;
	for (size_t k = 1; k < n && pl->one_user; k++)
		if (pl->users[k].uid == pl->user)
			pl->user_sel = k;
}

static void proclist_users_close(struct proclist *pl)
{
	free(pl->users);
	pl->users = NULL;
	pl->nusers = 0;
}

static void proclist_users_choose(struct proclist *pl)
{
	const struct proclist_user *u = &pl->users[pl->user_sel];

	pl->one_user = pl->user_sel > 0;
	pl->user = u->uid;
	snprintf(pl->user_name, sizeof(pl->user_name), "%s", u->name);
	proclist_users_close(pl);
	proclist_rebuild(pl);
}

static int proclist_users_width(int width)
{
	return width < 24 ? width : 24;
}

static void proclist_users_draw(const struct proclist *pl, int y,
				int height, int width)
{
	int w = proclist_users_width(width), room = height - 1;
	size_t top = 0;
	char line[64];

	if (height < 2 || w < 1)
		return;
	if (pl->user_sel >= (size_t)room)
		top = pl->user_sel - (size_t)room + 1;
	screen_put(y, 0, w, " Show processes of", SCREEN_TITLE, true);
	for (int i = 0; i < room && top + (size_t)i < pl->nusers; i++) {
		size_t k = top + (size_t)i;

		/* a user's name is the system's: the screen makes it
		 * printable */
		snprintf(line, sizeof(line), " %s", pl->users[k].name);
		screen_put(y + 1 + i, 0, w, line,
			   k == pl->user_sel ? SCREEN_MENU_SEL : SCREEN_MENU,
			   true);
	}
}

static void proclist_users_key(struct proclist *pl, int key)
{
	enum keys_action a = keys_lookup(KEYS_VIEW_LIST, key);
	size_t last = pl->nusers - 1;

	if (keys_is_enter(key)) {
		proclist_users_choose(pl);
		return;
	}
	switch (a) {
	case KEYS_UP: pl->user_sel -= pl->user_sel > 0; break;
	case KEYS_DOWN: pl->user_sel += pl->user_sel < last; break;
	case KEYS_PAGE_UP:
		pl->user_sel = pl->user_sel > 10 ? pl->user_sel - 10 : 0;
		break;
	case KEYS_PAGE_DOWN:
		pl->user_sel = pl->user_sel + 10 < last ? pl->user_sel + 10 :
							  last;
		break;
	case KEYS_HOME: pl->user_sel = 0; break;
	case KEYS_END: pl->user_sel = last; break;
	default: proclist_users_close(pl); break;
	}
}

/* ---- drawing, keys ---- */

void proclist_draw(struct proclist *pl, int y, int height, int width)
{
	if (height < 1 || width < 1)
		return;
	pl->width = width;
	treeview_draw(pl->tv, y, height, width);
	if (height > 1 && proclist_shown(pl) == 0)
		screen_put(y + 1, 1, width - 1, pl->empty, SCREEN_STATUS,
			   false);
	if (pl->users)
		proclist_users_draw(pl, y + 1, height - 1, width);
}

/* Sort actions: the column each one chooses (when shown). */
static const struct {
	enum keys_action action;
	const char *col;
} proclist_sort_keys[] = {
	{ KEYS_SORT_PID, "PID" },
	{ KEYS_SORT_VIRT, "VIRT" },
	{ KEYS_SORT_RES, "RES" },
	{ KEYS_SORT_CPU, "CPU%" },
	{ KEYS_SORT_THREADS, "THR" },
};

static void proclist_sort_named(struct proclist *pl, const char *name)
{
	for (int i = 0; i < pl->ncols; i++)
		if (!strcmp(proclist_table[pl->col_ids[i]].name, name))
			treeview_sort_by(pl->tv, i);
}

bool proclist_key(struct proclist *pl, enum keys_action action)
{
	for (size_t i = 0; i < ARRAY_SIZE(proclist_sort_keys); i++) {
		if (proclist_sort_keys[i].action == action) {
			proclist_sort_named(pl, proclist_sort_keys[i].col);
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
	case KEYS_KTHREADS:
		pl->show_kthreads = !pl->show_kthreads;
		proclist_rebuild(pl);
		return true;
	case KEYS_USER: proclist_users_open(pl); return true;
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

char *proclist_hidden_text(const struct proclist *pl, char *buf,
			   size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	if (!pl->show_kthreads)
		len += (size_t)snprintf(buf, size, ", kernel threads hidden");
	if (pl->one_user && len < size)
		snprintf(buf + len, size - len, ", user %s", pl->user_name);
	return buf;
}

char *proclist_age_text(const struct proclist *pl, char *buf, size_t size)
{
	double rollup, maps;
	bool has_rollup = false, has_maps = false;
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < pl->ncols; i++) {
		has_rollup |= proclist_table[pl->col_ids[i]].want & W_ROLLUP;
		has_maps |= proclist_table[pl->col_ids[i]].want & W_MAPS;
	}
	if (!has_rollup && !has_maps)
		return buf;
	rollup = pl->rollup_age;
	maps = pl->maps_age;
	if (has_rollup && rollup >= 0)
		len += (size_t)snprintf(buf, size, "PSS/USS up to %.1fs old",
					rollup);
	if (has_maps && maps >= 0 && len < size)
		snprintf(buf + len, size - len, "%sMAPS up to %.1fs old",
			 len ? ", " : "", maps);
	return buf;
}
void proclist_click(struct proclist *pl, int y, int x)
{
	if (pl->users) {
		/* rows 2...: the entries (no scrolling by the mouse) */
		if (y >= 2 && (size_t)(y - 2) < pl->nusers &&
		    x < proclist_users_width(pl->width)) {
			pl->user_sel = (size_t)(y - 2);
			proclist_users_choose(pl);
		} else {
			proclist_users_close(pl);
		}
		return;
	}
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
	return pl->users || treeview_menu_active(pl->tv);
}

void proclist_menu_key(struct proclist *pl, int key)
{
	if (pl->users)
		proclist_users_key(pl, key);
	else
		keys_menu_key(pl->tv, KEYS_VIEW_LIST, key);
}
