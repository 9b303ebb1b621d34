/* Unit tests of the tree widget's logic, without a terminal: fold state
 * and cursor kept by tag across rebuilds, sorting per level, the fold
 * keys, and search through folded items. */
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

static const struct treeview_column cols[1] = { { "VAL", 5, false, true } };

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
	tap_is_int(adds, 4, "children of folded items are not built");
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
	treeview_rebuild(bad);
	tap_is_str(rows(bad), "one",
		   "a repeated tag, an unknown parent, tag 0: not shown");
	treeview_free(bad);
	treeview_free(tv);
	return tap_done();
}
