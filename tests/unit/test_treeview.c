/* Unit tests of the tree widget's logic, without a terminal: fold state
 * and cursor kept by tag across rebuilds, sorting per level, the fold
 * keys, search through folded items, the sort menu, and a flat list as
 * the process list uses it (its own order, columns hidden by priority,
 * the cursor on a tag). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/treeview.h"

struct node {
	uint64_t tag, parent;
	const char *name;
	uint64_t value;
	bool expandable, open_default, present;
};

/* A (open) > A1, A2 (folded) > A2x;  B (folded) > B1 */
static struct node nodes[] = {
	{ 1, 0, "alpha", 50, true, true, true },
	{ 2, 1, "alpha-one", 10, false, false, true },
	{ 3, 1, "alpha-two", 20, true, false, true },
	{ 4, 3, "alpha-two-x", 5, false, false, true },
	{ 5, 0, "beta", 40, true, false, true },
	{ 6, 5, "beta-one", 1, false, false, true },
};
#define NNODES (sizeof(nodes) / sizeof(*nodes))

static int adds; /* items build added, to see that folded ones are skipped */

static void add_children(struct treeview *tv, uint64_t parent)
{
	for (size_t i = 0; i < NNODES; i++) {
		struct node *n = &nodes[i];
		struct treeview_item *it;

		if (!n->present || n->parent != parent)
			continue;
		it = treeview_add(tv, parent, n->tag, n->name, n);
		it->num[0] = n->value;
		it->expandable = n->expandable;
		it->open_default = n->open_default;
		adds++;
		if (n->expandable &&
		    treeview_wants_children(tv, n->tag, n->open_default))
			add_children(tv, n->tag);
	}
}

static void build(struct treeview *tv, void *arg)
{
	(void)arg;
	add_children(tv, 0);
}

static void cell(const struct treeview_item *it, int col, char *buf,
		 size_t size, void *arg)
{
	(void)arg;
	snprintf(buf, size, "%llu", (unsigned long long)it->num[col]);
}

static const struct treeview_column cols[1] = {
	{ "VAL", 5, false, true, NULL, 0 },
};

/* The names of the rows shown, joined by spaces; moves the cursor. */
static const char *rows(struct treeview *tv)
{
	static char buf[256];
	size_t len = 0;
	uint64_t keep = treeview_cursor(tv) ? treeview_cursor(tv)->tag : 0;

	buf[0] = '\0';
	treeview_action(tv, TREEVIEW_HOME);
	for (size_t i = 0; i < treeview_shown(tv); i++) {
		const char *name = treeview_cursor(tv)->name;

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? " " : "", name);
		treeview_action(tv, TREEVIEW_DOWN);
	}
	/* put the cursor back */
	treeview_action(tv, TREEVIEW_HOME);
	for (size_t i = 0; keep && i < treeview_shown(tv) &&
			   treeview_cursor(tv)->tag != keep; i++)
		treeview_action(tv, TREEVIEW_DOWN);
	return buf;
}

static const char *cursor(const struct treeview *tv)
{
	return treeview_cursor(tv) ? treeview_cursor(tv)->name : "(none)";
}

static void test_fold_and_cursor(struct treeview *tv)
{
	adds = 0;
	treeview_rebuild(tv);
	tap_is_str(rows(tv), "alpha alpha-two alpha-one beta",
		   "open_default items are open, sorted by value descending");
	tap_is_int(adds, (int)NNODES,
		   "a build holds every item, folded ones too");
	adds = 0;
	treeview_action(tv, TREEVIEW_UNFOLD_ALL);
	treeview_action(tv, TREEVIEW_LEVEL_LESS);
	treeview_action(tv, TREEVIEW_LEVEL_LESS);
	treeview_action(tv, TREEVIEW_SORT_INVERT);
	treeview_action(tv, TREEVIEW_SORT_INVERT);
	treeview_search(tv, "beta-one", false);
	treeview_search(tv, "alpha", true);
	tap_is_int(adds, 0, "folding, sorting and search never call build");
	treeview_reset(tv);
	treeview_rebuild(tv);
	treeview_action(tv, TREEVIEW_HOME);
	treeview_action(tv, TREEVIEW_DOWN);
	tap_is_str(cursor(tv), "alpha-two", "Down moves the cursor");
	nodes[1].value = 30; /* alpha-one now sorts first */
	treeview_rebuild(tv);
	tap_is_str(rows(tv), "alpha alpha-one alpha-two beta",
		   "a rebuild re-sorts");
	tap_is_str(cursor(tv), "alpha-two", "the cursor follows its tag");
	treeview_action(tv, TREEVIEW_UNFOLD);
	tap_is_str(rows(tv), "alpha alpha-one alpha-two alpha-two-x beta",
		   "Unfold shows the children");
	treeview_rebuild(tv);
	tap_ok(treeview_is_open(tv, 3, false), "the unfold survives a rebuild");
	treeview_action(tv, TREEVIEW_UNFOLD);
	tap_is_str(cursor(tv), "alpha-two-x", "Unfold on an open item: child");
	treeview_action(tv, TREEVIEW_FOLD);
	tap_is_str(cursor(tv), "alpha-two", "Fold on a leaf: its parent");
	treeview_action(tv, TREEVIEW_FOLD);
	tap_is_str(rows(tv), "alpha alpha-one alpha-two beta",
		   "Fold on an open item folds it");
	nodes[2].present = nodes[3].present = false;
	treeview_rebuild(tv);
	tap_is_str(cursor(tv), "alpha", "an item that went away: its parent");
	nodes[2].present = nodes[3].present = true;
	treeview_rebuild(tv);
}

static void test_levels(struct treeview *tv)
{
	treeview_action(tv, TREEVIEW_LEVEL_MORE);
	tap_is_str(rows(tv), "alpha alpha-one alpha-two beta beta-one",
		   "+ unfolds the shallowest folded level (beta)");
	treeview_action(tv, TREEVIEW_LEVEL_MORE);
	tap_is_str(rows(tv),
		   "alpha alpha-one alpha-two alpha-two-x beta beta-one",
		   "+ again unfolds the next level");
	treeview_action(tv, TREEVIEW_LEVEL_LESS);
	tap_is_str(rows(tv), "alpha alpha-one alpha-two beta beta-one",
		   "- folds the deepest open level");
	treeview_action(tv, TREEVIEW_LEVEL_LESS);
	tap_is_str(rows(tv), "alpha beta", "- again folds the level above");
	treeview_action(tv, TREEVIEW_UNFOLD_ALL);
	tap_is_int(treeview_shown(tv), NNODES, "* unfolds everything");
	treeview_reset(tv);
	treeview_rebuild(tv);
	tap_is_str(rows(tv), "alpha alpha-one alpha-two beta",
		   "reset forgets what was unfolded");
}

static void test_search_sort(struct treeview *tv)
{
	bool desc;

	treeview_action(tv, TREEVIEW_HOME);
	tap_ok(treeview_search(tv, "BETA-ONE", false),
	       "search finds a folded item, ignoring case");
	tap_is_str(cursor(tv), "beta-one", "the cursor is on it");
	tap_ok(treeview_is_open(tv, 5, false), "its parent was unfolded");
	tap_ok(treeview_search(tv, "alpha", true), "next match wraps around");
	tap_is_str(cursor(tv), "alpha", "... to the first item");
	tap_ok(treeview_search(tv, "alpha", true), "next match again");
	tap_is_str(cursor(tv), "alpha-one", "... goes on in row order");
	tap_ok(!treeview_search(tv, "gamma", true), "no match: false");
	tap_is_str(cursor(tv), "alpha-one", "and the cursor stays");
	treeview_action(tv, TREEVIEW_SORT_RIGHT);
	tap_is_int(treeview_sort_col(tv, &desc), 1, "> sorts by the name");
	tap_is_str(treeview_sort_title(tv), "NAME", "its title");
	tap_is_str(rows(tv), "alpha alpha-one alpha-two beta beta-one",
		   "names ascending, each level apart");
	treeview_action(tv, TREEVIEW_SORT_INVERT);
	tap_is_str(rows(tv), "beta beta-one alpha alpha-two alpha-one",
		   "I inverts the order");
}

static void test_menu(struct treeview *tv)
{
	bool desc;
	char before[256];

	treeview_sort_by(tv, 0);
	tap_ok(!treeview_menu_active(tv), "the sort menu starts closed");
	treeview_action(tv, TREEVIEW_END);
	treeview_action(tv, TREEVIEW_SORT_MENU);
	tap_ok(treeview_menu_active(tv), "SORT_MENU opens it");
	treeview_action(tv, TREEVIEW_HOME);
	treeview_action(tv, TREEVIEW_UP);
	tap_is_str(cursor(tv), "beta-one",
		   "while it is open, moves do not move the cursor");
	treeview_action(tv, TREEVIEW_DOWN);
	treeview_action(tv, TREEVIEW_MENU_CHOOSE);
	tap_ok(!treeview_menu_active(tv), "MENU_CHOOSE closes it");
	tap_is_int(treeview_sort_col(tv, &desc), 1,
		   "... and sorts by the entry chosen (Down from VAL: NAME)");
	tap_ok(!desc, "in the column's natural order");
	snprintf(before, sizeof(before), "%s", rows(tv));
	treeview_action(tv, TREEVIEW_SORT_MENU);
	treeview_action(tv, TREEVIEW_UP);
	treeview_action(tv, TREEVIEW_LEVEL_LESS);
	tap_ok(!treeview_menu_active(tv), "another action closes the menu");
	tap_is_int(treeview_sort_col(tv, &desc), 1, "without sorting");
	tap_is_str(rows(tv), before, "nor doing that action");
	tap_is_str(treeview_column_label(tv, 0), "VAL",
		   "a column without a label is listed by its title");
	tap_is_str(treeview_column_label(tv, 1), "NAME",
		   "the name column by the name title");
}

/* --- a flat list: processes tagged by PID and start time --------------- */

struct proc {
	int pid, start;
	const char *user;
	unsigned vsz;
};

static struct proc procs[] = {
	{ 10, 5, "root", 300 }, { 11, 6, "bob", 100 },
	{ 12, 7, "alice", 200 }, { 13, 8, "bob", 100 },
};
#define NPROCS (sizeof(procs) / sizeof(*procs))

enum { P_PID, P_USER, P_VSZ, P_NCOLS };

static const struct treeview_column pcols[P_NCOLS] = {
	[P_PID] = { "PID", 5, false, false, NULL, 0 },
	[P_USER] = { "USER", 8, true, false, "USER (owner)", 1 },
	[P_VSZ] = { "VSZ", 6, false, true, "VSZ (size)", 2 },
};

static uint64_t proc_tag(const struct proc *p)
{
	return (uint64_t)p->start << 22 | (uint64_t)p->pid;
}

static void proc_build(struct treeview *tv, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < NPROCS; i++) {
		char name[32];
		struct treeview_item *it;

		snprintf(name, sizeof(name), "p%d", procs[i].pid);
		it = treeview_add(tv, 0, proc_tag(&procs[i]), name, &procs[i]);
		it->num[P_PID] = (uint64_t)procs[i].pid;
		it->num[P_VSZ] = procs[i].vsz;
	}
}

/* Users by name, ties by PID, the way the process list orders. */
static int proc_compare(const struct treeview_item *a,
			const struct treeview_item *b, int col, void *arg)
{
	const struct proc *x = a->data, *y = b->data;
	int c = 0;

	(void)arg;
	if (col == P_USER)
		c = strcmp(x->user, y->user);
	else if (col == P_VSZ)
		c = (x->vsz > y->vsz) - (x->vsz < y->vsz);
	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

static void test_flat(void)
{
	struct treeview *tv = treeview_new(pcols, P_NCOLS, "COMMAND", P_VSZ,
					   true, proc_build, cell, NULL);

	treeview_set_flat(tv, true);
	treeview_set_compare(tv, proc_compare);
	treeview_rebuild(tv);
	tap_is_str(rows(tv), "p10 p12 p13 p11",
		   "compare callback: VSZ descending, ties by PID inverted");
	treeview_sort_by(tv, P_USER);
	tap_is_str(rows(tv), "p12 p11 p13 p10",
		   "by USER ascending (strings), ties by PID");
	treeview_action(tv, TREEVIEW_END);
	tap_is_str(cursor(tv), "p10", "End: the last row");
	procs[0].user = "aaron";
	treeview_rebuild(tv);
	tap_is_str(cursor(tv), "p10",
		   "the cursor stays on its process when rows reorder");
	tap_is_str(rows(tv), "p10 p12 p11 p13", "... which moved first");
	procs[0].start = 99; /* PID 10 exits; a new process gets PID 10 */
	treeview_action(tv, TREEVIEW_DOWN);
	tap_is_str(cursor(tv), "p12", "Down");
	procs[2].start = 42; /* so does PID 12 */
	treeview_rebuild(tv);
	tap_is_str(cursor(tv), "p12",
		   "a reused PID is another process: the cursor keeps its row");
	tap_ok(treeview_cursor(tv)->tag == proc_tag(&procs[2]),
	       "... and takes the new process's tag");

	treeview_sort_by(tv, P_PID);
	tap_is_int(treeview_column_x(tv, P_VSZ, 80), 15,
		   "wide: every column (PID 5, USER 8, then VSZ)");
	tap_is_int(treeview_column_x(tv, P_NCOLS, 80), 22, "name after them");
	tap_is_int(treeview_column_x(tv, P_USER, 35), -1,
		   "narrower: drop level 1 (USER) is hidden first");
	tap_ok(treeview_column_x(tv, P_VSZ, 35) == 6 &&
	       treeview_column_x(tv, P_NCOLS, 35) == 13,
	       "... the others move left");
	tap_ok(treeview_column_x(tv, P_VSZ, 25) == -1 &&
	       treeview_column_x(tv, P_NCOLS, 25) == 6,
	       "narrower still: level 2 (VSZ) too; PID (0) never");
	treeview_sort_by(tv, P_USER);
	tap_ok(treeview_column_x(tv, P_USER, 25) == 6 &&
	       treeview_column_x(tv, P_NCOLS, 25) == 15,
	       "the sort column is never hidden");
	treeview_free(tv);
}

static void scratch_build(struct treeview *tv, void *arg)
{
	(void)arg;
	treeview_add(tv, 0, 7, "one", NULL);
	treeview_add(tv, 0, 7, "duplicate", NULL)->num[0] = 1;
	treeview_add(tv, 99, 8, "orphan", NULL);
	treeview_add(tv, 0, 0, "no tag", NULL);
}

int main(void)
{
	struct treeview *tv = treeview_new(cols, 1, "NAME", 0, true, build,
					   cell, NULL);
	struct treeview *bad = treeview_new(cols, 1, "NAME", 0, true,
					    scratch_build, cell, NULL);

	test_fold_and_cursor(tv);
	test_levels(tv);
	test_search_sort(tv);
	test_menu(tv);
	test_flat();
	treeview_rebuild(bad);
	tap_is_str(rows(bad), "one",
		   "a repeated tag, an unknown parent, tag 0: not shown");
	treeview_free(bad);
	treeview_free(tv);
	return tap_done();
}
