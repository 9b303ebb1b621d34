/* keys: one row per action (keys, views, help), key names, the bars. */
#include "config.h"

#include "vmtop/keys.h"

#include <stdio.h>
#include <string.h>

#include "vmtop/screen.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))
#define FN(code) SCREEN_KEY_FN(code)
#define CTRL(c) SCREEN_KEY_CTRL(c)

#define V(view) (1u << KEYS_VIEW_##view)
#define V_PANES (V(THREADS) | V(ARENAS) | V(DNS) | V(INSIGHTS) | V(KNOBS))
#define V_MAP (V(TREE) | V_PANES)
#define V_TREES (V(TREE) | V(COMPARE)) /* trees with folds and detail */
#define V_LISTS (V(LIST) | V_MAP | V(COMPARE)) /* all but help and setup */
#define V_ALL (V_LISTS | V(HELP) | V(SETUP))

/* htop's meaning wherever htop has one: F3 and / search, \ and F4
 * filter, F6 opens the sort menu, < and > move the sort column, ^L
 * redraws.  Space tags in the list, as in htop, and folds in trees. */
static const struct keys_entry keys_table[] = {
	{ KEYS_UP, V_ALL, { FN(KEY_UP), 'k' }, "up one row" },
	{ KEYS_DOWN, V_ALL, { FN(KEY_DOWN), 'j' }, "down one row" },
	{ KEYS_PAGE_UP, V_ALL, { FN(KEY_PPAGE), CTRL('b') }, "one page up" },
	{ KEYS_PAGE_DOWN, V_ALL, { FN(KEY_NPAGE), CTRL('f') },
	  "one page down" },
	{ KEYS_HOME, V_ALL, { FN(KEY_HOME), 'g' }, "to the first row" },
	{ KEYS_END, V_ALL, { FN(KEY_END), 'G' }, "to the last row" },
	{ KEYS_OPEN, V(LIST) | V_TREES | V(SETUP),
	  { '\r', '\n', FN(KEY_ENTER) },
	  "open: the memory map of the process under the cursor; in the "
	  "tree, unfold the item (again: fold it); in setup, add the column "
	  "or take the next value" },
	{ KEYS_TOGGLE, V(LIST) | V_TREES, { ' ' },
	  "unfold the item (again: fold it); in the list, tag the process "
	  "for = (again: untag it) and move down" },
	{ KEYS_UNFOLD, V(LIST) | V_TREES | V(SETUP), { FN(KEY_RIGHT), 'l' },
	  "unfold; on an unfolded item, go to its first child; in setup, "
	  "the pane on the right" },
	{ KEYS_FOLD, V(LIST) | V_TREES | V(SETUP), { FN(KEY_LEFT) },
	  "fold; on a folded item, go to its parent; in setup, the pane on "
	  "the left" },
	{ KEYS_LEVEL_MORE, V(LIST) | V_TREES, { '+' },
	  "unfold one more level" },
	{ KEYS_LEVEL_LESS, V(LIST) | V_TREES, { '-' },
	  "fold the deepest level" },
	{ KEYS_UNFOLD_ALL, V(LIST) | V_TREES, { '*' }, "unfold everything" },
	{ KEYS_DETAIL, V(LIST) | V_TREES, { '\t' },
	  "map tree: show / hide the detail pane; list: program totals" },
	{ KEYS_THREADS, V(LIST) | V_MAP, { 't' },
	  "threads: TID, name, state, CPU%, stack" },
	{ KEYS_ARENAS, V(LIST) | V_MAP, { 'a' },
	  "glibc malloc arenas and their cap" },
	{ KEYS_DNS, V(LIST) | V_MAP, { 'd' },
	  "DNS resolver: related mappings and which resolver runs" },
	{ KEYS_INSIGHTS, V_MAP, { 'i' },
	  "insights: every sentence in full, scrollable" },
	{ KEYS_KNOBS, V(LIST) | V_MAP, { 'e' },
	  "knobs in effect: memory-related environment, flags, limits, "
	  "cgroup limit" },
	{ KEYS_SEARCH, V_LISTS, { '/', FN(KEY_F(3)) },
	  "search names as you type (plain text, any case); F3: next" },
	{ KEYS_SEARCH_NEXT, V_LISTS, { 'n' }, "next match of the search" },
	{ KEYS_FILTER, V(LIST), { '\\', FN(KEY_F(4)) },
	  "filter by regex as you type (Enter keeps it, Esc restores "
	  "the one before)" },
	{ KEYS_SORT_MENU, V_LISTS, { FN(KEY_F(6)) },
	  "sort menu: choose the sort column" },
	{ KEYS_SORT_LEFT, V_LISTS, { '<' }, "sort by the column on the left" },
	{ KEYS_SORT_RIGHT, V_LISTS, { '>' },
	  "sort by the column on the right" },
	{ KEYS_SORT_PID, V(LIST), { 'N' }, "sort by PID" },
	{ KEYS_SORT_VIRT, V(LIST), { 'V' }, "sort by VIRT (virtual size)" },
	{ KEYS_SORT_RES, V(LIST), { 'M' }, "sort by RES (resident memory)" },
	{ KEYS_SORT_CPU, V(LIST), { 'P' }, "sort by CPU%" },
	{ KEYS_SORT_THREADS, V(LIST), { 'T' }, "sort by THR (threads)" },
	{ KEYS_SORT_INVERT, V_LISTS, { 'I' }, "invert the sort order" },
	{ KEYS_CMDLINE, V(LIST), { 'c' },
	  "COMMAND: name or full command line" },
	{ KEYS_PAUSE, V_LISTS, { 'Z' }, "pause / resume refreshing" },
	{ KEYS_REFRESH, V_LISTS, { CTRL('r') }, "refresh now" },
	{ KEYS_REDRAW, V_LISTS, { CTRL('l') }, "redraw the screen" },
	{ KEYS_HELP, V_LISTS | V(SETUP), { FN(KEY_F(1)), '?', 'h' },
	  "help: every key of every view" },
	{ KEYS_BACK, V_MAP | V(COMPARE) | V(SETUP),
	  { SCREEN_KEY_ESC, FN(KEY_BACKSPACE), 0x7f },
	  "back: from a pane to the tree, from the tree to the list; setup "
	  "closes, saving the settings" },
	{ KEYS_CLOSE, V_LISTS | V(SETUP), { 'q' },
	  "leave: in the map views and setup as Esc, in the process list "
	  "quit" },
	{ KEYS_QUIT, V_LISTS | V(SETUP), { FN(KEY_F(10)) },
	  "quit vmtop; in setup, close it as Esc does (htop's Done)" },
	{ KEYS_PROC_TREE, V(LIST), { FN(KEY_F(5)) },
	  "tree view: processes under their parents (folded: totals)" },
	{ KEYS_THREAD_ROWS, V(LIST), { 'H' },
	  "threads as rows under their process (TID, state, CPU%)" },
	{ KEYS_BASELINE, V(TREE), { 'b' },
	  "baseline: DELTA shows the change since this picture (again: "
	  "since the last refresh)" },
	{ KEYS_UNTAG_ALL, V(LIST), { 'U' }, "untag every process" },
	{ KEYS_COMPARE, V(LIST), { '=' },
	  "compare the tagged processes (two or more; Space tags), rows "
	  "aligned by cause" },
	{ KEYS_KTHREADS, V(LIST), { 'K' },
	  "show / hide kernel threads (hidden at start, as in htop)" },
	{ KEYS_USER, V(LIST), { 'u' },
	  "show one user's processes: a menu of the users that have "
	  "some, \"all users\" first" },
	{ KEYS_SETUP, V(LIST), { FN(KEY_F(2)), 'S' },
	  "setup: the list's columns, sort, refresh interval, display and "
	  "colours, saved in the settings file" },
	{ KEYS_SETUP_UP, V(SETUP), { FN(KEY_F(7)) },
	  "move the column up; on a value, the previous one" },
	{ KEYS_SETUP_DOWN, V(SETUP), { FN(KEY_F(8)) },
	  "move the column down; on a value, the next one" },
	{ KEYS_SETUP_REMOVE, V(SETUP), { FN(KEY_F(9)), FN(KEY_DC) },
	  "take the column off the list" },
	{ KEYS_TIME_BACK, V(LIST) | V_MAP, { '[' },
	  "--load: the file's refresh before this one" },
	{ KEYS_TIME_ON, V(LIST) | V_MAP, { ']' },
	  "--load: the file's refresh after this one" },
	{ KEYS_SAVE, V_MAP, { 'w' },
	  "save this picture to a new file (JSON, as -J -m writes)" },
};

enum keys_action keys_lookup(enum keys_view view, int key)
{
	if (key == 0)
		return KEYS_NONE;
	for (size_t i = 0; i < ARRAY_SIZE(keys_table); i++) {
		const struct keys_entry *e = &keys_table[i];

		for (int k = 0; k < KEYS_PER_ACTION && e->keys[k]; k++)
			if (e->keys[k] == key)
				return e->views & (1u << view) ? e->action :
								 KEYS_NONE;
	}
	return KEYS_NONE;
}

const struct keys_entry *keys_entries(size_t *n)
{
	*n = ARRAY_SIZE(keys_table);
	return keys_table;
}

const struct keys_entry *keys_entry_of(enum keys_action action)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys_table); i++)
		if (keys_table[i].action == action)
			return &keys_table[i];
	return NULL;
}

bool keys_is_enter(int key)
{
	return key == '\r' || key == '\n' || key == FN(KEY_ENTER);
}

/* Names of the function keys that are not F-keys. */
static const struct {
	int code;
	const char *name;
} keys_fn_names[] = {
	{ KEY_UP, "Up" },       { KEY_DOWN, "Down" },  { KEY_LEFT, "Left" },
	{ KEY_RIGHT, "Right" }, { KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" },
	{ KEY_HOME, "Home" },   { KEY_END, "End" },    { KEY_ENTER, "Enter" },
	{ KEY_BACKSPACE, "Backspace" }, { KEY_DC, "Del" },
};

static char *keys_fn_name(int code, char *buf, size_t size)
{
	if (code >= KEY_F(1) && code <= KEY_F(63)) {
		snprintf(buf, size, "F%d", code - KEY_F(0));
		return buf;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys_fn_names); i++) {
		if (keys_fn_names[i].code == code) {
			snprintf(buf, size, "%s", keys_fn_names[i].name);
			return buf;
		}
	}
	snprintf(buf, size, "key %d", code);
	return buf;
}

char *keys_name(int key, char *buf, size_t size)
{
	if (key >= SCREEN_KEY_FN(0))
		return keys_fn_name(key - SCREEN_KEY_FN(0), buf, size);
	if (key == ' ')
		snprintf(buf, size, "Space");
	else if (key == '\r' || key == '\n')
		snprintf(buf, size, "Enter");
	else if (key == '\t')
		snprintf(buf, size, "Tab");
	else if (key == SCREEN_KEY_ESC)
		snprintf(buf, size, "Esc");
	else if (key == 0x7f)
		snprintf(buf, size, "Backspace");
	else if (key >= 0 && key < 0x20)
		snprintf(buf, size, "^%c", key + '@');
	else
		snprintf(buf, size, "%lc", (wint_t)key);
	return buf;
}

char *keys_names(const struct keys_entry *e, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int k = 0; k < KEYS_PER_ACTION && e->keys[k]; k++) {
		char name[16];
		const char *seen;

		keys_name(e->keys[k], name, sizeof(name));
		/* \r, \n and KEY_ENTER are all "Enter" */
		seen = strstr(buf, name);
		if (seen && (seen[strlen(name)] == ' ' ||
			     !seen[strlen(name)]))
			continue;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%s%s", len ? " " : "", name);
	}
	return buf;
}

/* --- what the keys do to a list widget --------------------------------- */

static const struct {
	enum keys_action key;
	enum treeview_action tv;
} keys_tv_actions[] = {
	{ KEYS_UP, TREEVIEW_UP },
	{ KEYS_DOWN, TREEVIEW_DOWN },
	{ KEYS_PAGE_UP, TREEVIEW_PAGE_UP },
	{ KEYS_PAGE_DOWN, TREEVIEW_PAGE_DOWN },
	{ KEYS_HOME, TREEVIEW_HOME },
	{ KEYS_END, TREEVIEW_END },
	{ KEYS_OPEN, TREEVIEW_TOGGLE },
	{ KEYS_TOGGLE, TREEVIEW_TOGGLE },
	{ KEYS_UNFOLD, TREEVIEW_UNFOLD },
	{ KEYS_FOLD, TREEVIEW_FOLD },
	{ KEYS_LEVEL_MORE, TREEVIEW_LEVEL_MORE },
	{ KEYS_LEVEL_LESS, TREEVIEW_LEVEL_LESS },
	{ KEYS_UNFOLD_ALL, TREEVIEW_UNFOLD_ALL },
	{ KEYS_SORT_MENU, TREEVIEW_SORT_MENU },
	{ KEYS_SORT_LEFT, TREEVIEW_SORT_LEFT },
	{ KEYS_SORT_RIGHT, TREEVIEW_SORT_RIGHT },
	{ KEYS_SORT_INVERT, TREEVIEW_SORT_INVERT },
};

bool keys_treeview(struct treeview *tv, enum keys_action a)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys_tv_actions); i++) {
		if (keys_tv_actions[i].key == a) {
			treeview_action(tv, keys_tv_actions[i].tv);
			return true;
		}
	}
	return false;
}

void keys_menu_key(struct treeview *tv, enum keys_view view, int key)
{
	enum keys_action a = keys_lookup(view, key);

	if (keys_is_enter(key))
		treeview_action(tv, TREEVIEW_MENU_CHOOSE);
	else if (a >= KEYS_UP && a <= KEYS_END)
		keys_treeview(tv, a);
	else
		treeview_action(tv, TREEVIEW_MENU_CLOSE);
}

/* --- function-key bars -------------------------------------------------- */

/* drop: narrow screens leave out level 1 first, then 2...; 0: never
 * (help and quit stay in sight at any width). */
struct keys_bar_item {
	int key;
	const char *label;
	int drop;
};

static const struct keys_bar_item keys_bar_list[] = {
	{ FN(KEY_F(1)), "Help", 0 },   { FN(KEY_F(2)), "Setup", 2 },
	{ FN(KEY_F(3)), "Search", 3 }, { FN(KEY_F(4)), "Filter", 2 },
	{ FN(KEY_F(5)), "Tree", 4 },   { FN(KEY_F(6)), "SortBy", 1 },
	{ FN(KEY_F(10)), "Quit", 0 },
};

static const struct keys_bar_item keys_bar_tree[] = {
	{ FN(KEY_F(1)), "Help", 0 },   { '/', "Search", 5 },
	{ '\t', "Detail", 4 },         { 't', "Threads", 3 },
	{ 'a', "Arenas", 2 },          { 'd', "DNS", 1 },
	{ 'i', "Insights", 6 },        { '*', "Unfold", 1 },
	{ SCREEN_KEY_ESC, "List", 7 }, { FN(KEY_F(10)), "Quit", 0 },
};

static const struct keys_bar_item keys_bar_compare[] = {
	{ FN(KEY_F(1)), "Help", 0 },   { '/', "Search", 4 },
	{ '\t', "Detail", 3 },         { '*', "Unfold", 2 },
	{ FN(KEY_F(6)), "SortBy", 1 }, { SCREEN_KEY_ESC, "List", 5 },
	{ FN(KEY_F(10)), "Quit", 0 },
};

static const struct keys_bar_item keys_bar_pane[] = {
	{ FN(KEY_F(1)), "Help", 0 },   { '/', "Search", 4 },
	{ 't', "Threads", 3 },         { 'a', "Arenas", 2 },
	{ 'd', "DNS", 1 },             { 'i', "Insights", 3 },
	{ 'e', "Knobs", 2 },
	{ FN(KEY_F(6)), "SortBy", 1 }, { SCREEN_KEY_ESC, "Tree", 5 },
	{ FN(KEY_F(10)), "Quit", 0 },
};

static const struct keys_bar_item keys_bar_setup[] = {
	{ FN(KEY_F(1)), "Help", 0 },   { '\r', "Add/Change", 3 },
	{ FN(KEY_F(7)), "MoveUp", 2 }, { FN(KEY_F(8)), "MoveDn", 2 },
	{ FN(KEY_F(9)), "Remove", 1 }, { SCREEN_KEY_ESC, "Done", 4 },
	{ FN(KEY_F(10)), "Done", 0 },
};

static const struct keys_bar_item *keys_bar(enum keys_view view, size_t *n)
{
	switch (view) {
	case KEYS_VIEW_SETUP:
		*n = ARRAY_SIZE(keys_bar_setup);
		return keys_bar_setup;
	case KEYS_VIEW_LIST:
		*n = ARRAY_SIZE(keys_bar_list);
		return keys_bar_list;
	case KEYS_VIEW_TREE:
		*n = ARRAY_SIZE(keys_bar_tree);
		return keys_bar_tree;
	case KEYS_VIEW_COMPARE:
		*n = ARRAY_SIZE(keys_bar_compare);
		return keys_bar_compare;
	case KEYS_VIEW_HELP:
	case KEYS_VIEW__COUNT:
		*n = 0;
		return NULL;
	default:
		*n = ARRAY_SIZE(keys_bar_pane);
		return keys_bar_pane;
	}
}

/* Width of one bar entry: key name, label, one space. */
static int keys_bar_item_width(const struct keys_bar_item *it)
{
	char name[16];

	keys_name(it->key, name, sizeof(name));
	return screen_width(name) + screen_width(it->label) + 1;
}

static bool keys_bar_hidden(const struct keys_bar_item *it, int level)
{
	return it->drop && it->drop <= level;
}

/* The lowest drop level at which the bar fits in width. */
static int keys_bar_level(const struct keys_bar_item *bar, size_t n,
			  int width)
{
	int level = 0, top = 0;

	for (size_t i = 0; i < n; i++)
		if (bar[i].drop > top)
			top = bar[i].drop;
	for (; level < top; level++) {
		int w = 0;

		for (size_t i = 0; i < n; i++)
			if (!keys_bar_hidden(&bar[i], level))
				w += keys_bar_item_width(&bar[i]);
		if (w <= width)
			break;
	}
	return level;
}

void keys_bar_draw(enum keys_view view, int y, int width)
{
	size_t n;
	const struct keys_bar_item *bar = keys_bar(view, &n);
	int x = 0, level = keys_bar_level(bar, n, width);

	for (size_t i = 0; i < n && x < width; i++) {
		char name[16];

		if (keys_bar_hidden(&bar[i], level))
			continue;
		keys_name(bar[i].key, name, sizeof(name));
		x += screen_put(y, x, width - x, name, SCREEN_FKEY, false);
		x += screen_put(y, x, width - x, bar[i].label, SCREEN_FLABEL,
				false);
		x += screen_put(y, x, width - x, " ", SCREEN_NORMAL, false);
	}
	if (x < width)
		screen_put(y, x, width - x, "", SCREEN_FLABEL, true);
}

int keys_bar_hit(enum keys_view view, int x, int width)
{
	size_t n;
	const struct keys_bar_item *bar = keys_bar(view, &n);
	int start = 0, level = keys_bar_level(bar, n, width);

	for (size_t i = 0; i < n && start < width; i++) {
		int w;

		if (keys_bar_hidden(&bar[i], level))
			continue;
		w = keys_bar_item_width(&bar[i]);
		if (x >= start && x < start + w)
			return bar[i].key;
		start += w;
	}
	return SCREEN_KEY_NONE;
}
