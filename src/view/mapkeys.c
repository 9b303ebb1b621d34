/* mapkeys: bindings of the map views as one table with a pane mask. */
#include "config.h"

#include "vmtop/mapkeys.h"

#include <stdio.h>
#include <string.h>

#include "vmtop/keys.h"
#include "vmtop/screen.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))
#define FN(code) SCREEN_KEY_FN(code)

#define P_TREE (1u << MAPKEYS_PANE_TREE)
#define P_LISTS ((1u << MAPKEYS_PANE_THREADS) | \
		 (1u << MAPKEYS_PANE_ARENAS) | (1u << MAPKEYS_PANE_DNS))
#define P_ALL (P_TREE | P_LISTS)

struct mapkeys_binding {
	int key;
	enum mapkeys_action action;
	unsigned panes;
};

static const struct mapkeys_binding mapkeys_table[] = {
	{ SCREEN_KEY_ESC, MAPKEYS_BACK, P_ALL },
	{ FN(KEY_BACKSPACE), MAPKEYS_BACK, P_ALL },
	{ 0x7f, MAPKEYS_BACK, P_ALL },
	{ 'q', MAPKEYS_BACK, P_ALL },
	{ FN(KEY_F(10)), MAPKEYS_QUIT, P_ALL },
	{ FN(KEY_F(1)), MAPKEYS_HELP, P_ALL },
	{ '?', MAPKEYS_HELP, P_ALL },
	{ 'h', MAPKEYS_HELP, P_ALL },
	{ FN(KEY_UP), MAPKEYS_UP, P_ALL },
	{ 'k', MAPKEYS_UP, P_ALL },
	{ FN(KEY_DOWN), MAPKEYS_DOWN, P_ALL },
	{ 'j', MAPKEYS_DOWN, P_ALL },
	{ FN(KEY_PPAGE), MAPKEYS_PAGE_UP, P_ALL },
	{ FN(KEY_NPAGE), MAPKEYS_PAGE_DOWN, P_ALL },
	{ FN(KEY_HOME), MAPKEYS_HOME, P_ALL },
	{ 'g', MAPKEYS_HOME, P_ALL },
	{ FN(KEY_END), MAPKEYS_END, P_ALL },
	{ 'G', MAPKEYS_END, P_ALL },
	{ '\r', MAPKEYS_TOGGLE, P_TREE },
	{ '\n', MAPKEYS_TOGGLE, P_TREE },
	{ FN(KEY_ENTER), MAPKEYS_TOGGLE, P_TREE },
	{ ' ', MAPKEYS_TOGGLE, P_TREE },
	{ FN(KEY_RIGHT), MAPKEYS_UNFOLD, P_TREE },
	{ 'l', MAPKEYS_UNFOLD, P_TREE },
	{ FN(KEY_LEFT), MAPKEYS_FOLD, P_TREE },
	{ '+', MAPKEYS_LEVEL_MORE, P_TREE },
	{ '-', MAPKEYS_LEVEL_LESS, P_TREE },
	{ '*', MAPKEYS_UNFOLD_ALL, P_TREE },
	{ FN(KEY_F(3)), MAPKEYS_SEARCH, P_ALL },
	{ '/', MAPKEYS_SEARCH, P_ALL },
	{ 'n', MAPKEYS_SEARCH_NEXT, P_ALL },
	{ '<', MAPKEYS_SORT_LEFT, P_ALL },
	{ '>', MAPKEYS_SORT_RIGHT, P_ALL },
	{ FN(KEY_F(6)), MAPKEYS_SORT_RIGHT, P_ALL },
	{ 'I', MAPKEYS_SORT_INVERT, P_ALL },
	{ '\t', MAPKEYS_DETAIL, P_TREE },
	{ 't', MAPKEYS_THREADS, P_ALL },
	{ 'a', MAPKEYS_ARENAS, P_ALL },
	{ 'd', MAPKEYS_DNS, P_ALL },
	{ 'Z', MAPKEYS_PAUSE, P_ALL },
	{ SCREEN_KEY_CTRL('r'), MAPKEYS_REFRESH, P_ALL },
	{ SCREEN_KEY_CTRL('l'), MAPKEYS_REDRAW, P_ALL },
};

static const char *const mapkeys_helps[MAPKEYS__COUNT] = {
	[MAPKEYS_BACK] = "back: from threads/arenas/DNS to the tree, "
			 "from the tree to the list",
	[MAPKEYS_QUIT] = "quit vmtop",
	[MAPKEYS_HELP] = "this help",
	[MAPKEYS_UP] = "select the previous row",
	[MAPKEYS_DOWN] = "select the next row",
	[MAPKEYS_PAGE_UP] = "one page up",
	[MAPKEYS_PAGE_DOWN] = "one page down",
	[MAPKEYS_HOME] = "select the first row",
	[MAPKEYS_END] = "select the last row",
	[MAPKEYS_TOGGLE] = "tree: unfold the selected item (again: fold it)",
	[MAPKEYS_UNFOLD] = "tree: unfold; on an unfolded item, go to its "
			   "first child",
	[MAPKEYS_FOLD] = "tree: fold; on a folded item, go to its parent",
	[MAPKEYS_LEVEL_MORE] = "tree: unfold one more level everywhere",
	[MAPKEYS_LEVEL_LESS] = "tree: fold the deepest unfolded level",
	[MAPKEYS_UNFOLD_ALL] = "tree: unfold everything",
	[MAPKEYS_SEARCH] = "search names (text, any case; folded items too)",
	[MAPKEYS_SEARCH_NEXT] = "next match of the search",
	[MAPKEYS_SORT_LEFT] = "sort by the column on the left (each level "
			      "apart)",
	[MAPKEYS_SORT_RIGHT] = "sort by the column on the right",
	[MAPKEYS_SORT_INVERT] = "invert the sort order",
	[MAPKEYS_DETAIL] = "tree: show / hide the detail pane of the "
			   "selected item",
	[MAPKEYS_THREADS] = "threads: TID, name, state, CPU%, stack",
	[MAPKEYS_ARENAS] = "glibc malloc arenas and their cap",
	[MAPKEYS_DNS] = "DNS resolver: related mappings and which resolver "
			"runs",
	[MAPKEYS_PAUSE] = "pause / resume refreshing",
	[MAPKEYS_REFRESH] = "refresh now (maps; smaps when due)",
	[MAPKEYS_REDRAW] = "redraw the screen",
};

static const char *const mapkeys_footer[] = {
	"Columns: VSZ size; RESV reserved (---p, PROT_NONE: in VSZ, never",
	"resident); RSS, PSS, SWAP, DIRTY from smaps; N regions; DELTA the",
	"change since the last refresh (new, grown, shrunk rows highlighted).",
	"The status line says how often maps and smaps are read and at what",
	"cost; between smaps reads the last smaps figures are shown.",
	"Mouse: click a row to select it (again: fold/unfold), click a title",
	"to sort by it, the wheel scrolls.",
	"Search line: type text, Enter keeps it, Esc cancels, Backspace and",
	"^U edit.",
};

struct mapkeys_bar_item {
	int key;
	const char *label;
};

static const struct mapkeys_bar_item mapkeys_bar_tree[] = {
	{ FN(KEY_F(1)), "Help" }, { '/', "Search" }, { '\t', "Detail" },
	{ 't', "Threads" },      { 'a', "Arenas" },  { 'd', "DNS" },
	{ '*', "Unfold" },        { SCREEN_KEY_ESC, "List" },
	{ FN(KEY_F(10)), "Quit" },
};

static const struct mapkeys_bar_item mapkeys_bar_list[] = {
	{ FN(KEY_F(1)), "Help" }, { '/', "Search" },       { 't', "Threads" },
	{ 'a', "Arenas" },        { 'd', "DNS" },          { '>', "Sort" },
	{ SCREEN_KEY_ESC, "Tree" }, { FN(KEY_F(10)), "Quit" },
};

enum mapkeys_action mapkeys_lookup(enum mapkeys_pane pane, int key)
{
	for (size_t i = 0; i < ARRAY_SIZE(mapkeys_table); i++)
		if (mapkeys_table[i].key == key &&
		    (mapkeys_table[i].panes & (1u << pane)))
			return mapkeys_table[i].action;
	return MAPKEYS_NONE;
}

int mapkeys_help_lines(void)
{
	return 1 + (MAPKEYS__COUNT - 1) + 1 + (int)ARRAY_SIZE(mapkeys_footer);
}

/* "Esc Backspace q" for action, written into buf. */
static const char *mapkeys_keys_of(enum mapkeys_action a, char *buf,
				   size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(mapkeys_table); i++) {
		char name[16];

		int key = mapkeys_table[i].key;

		if (mapkeys_table[i].action != a || key == 0x7f || key == '\n')
			continue;
		keys_name(mapkeys_table[i].key, name, sizeof(name));
		if (a == MAPKEYS_TOGGLE && !strcmp(name, "Enter") && len)
			continue; /* KEY_ENTER and \r: one Enter */
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%s%s", len ? " " : "", name);
	}
	return buf;
}

void mapkeys_help_line(int i, char *buf, size_t size, const char **keys,
		       const char **text)
{
	*keys = NULL;
	*text = "";
	if (i == 0) {
		*text = "Memory-map views (Enter on a process): the tree, "
			"threads (t), arenas (a), DNS (d)";
		return;
	}
	if (i <= MAPKEYS__COUNT - 1) {
		*keys = mapkeys_keys_of((enum mapkeys_action)i, buf, size);
		*text = mapkeys_helps[i];
		return;
	}
	i -= MAPKEYS__COUNT;
	if (i >= 1 && i - 1 < (int)ARRAY_SIZE(mapkeys_footer))
		*text = mapkeys_footer[i - 1];
}

static const struct mapkeys_bar_item *mapkeys_bar(enum mapkeys_pane pane,
						  size_t *n)
{
	if (pane == MAPKEYS_PANE_TREE) {
		*n = ARRAY_SIZE(mapkeys_bar_tree);
		return mapkeys_bar_tree;
	}
	*n = ARRAY_SIZE(mapkeys_bar_list);
	return mapkeys_bar_list;
}

static const char *mapkeys_bar_name(int key, char *buf, size_t size)
{
	return keys_name(key, buf, size);
}

void mapkeys_bar_draw(enum mapkeys_pane pane, int y, int width)
{
	size_t n;
	const struct mapkeys_bar_item *bar = mapkeys_bar(pane, &n);
	int x = 0;

	for (size_t i = 0; i < n && x < width; i++) {
		char name[16];

		mapkeys_bar_name(bar[i].key, name, sizeof(name));
		x += screen_put(y, x, width - x, name, SCREEN_FKEY, false);
		x += screen_put(y, x, width - x, bar[i].label, SCREEN_FLABEL,
				false);
		x += screen_put(y, x, width - x, " ", SCREEN_NORMAL, false);
	}
	if (x < width)
		screen_put(y, x, width - x, "", SCREEN_FLABEL, true);
}

int mapkeys_bar_hit(enum mapkeys_pane pane, int x, int width)
{
	size_t n;
	const struct mapkeys_bar_item *bar = mapkeys_bar(pane, &n);
	int start = 0;

	for (size_t i = 0; i < n && start < width; i++) {
		char name[16];
		int w;

		mapkeys_bar_name(bar[i].key, name, sizeof(name));
		w = screen_width(name) + screen_width(bar[i].label) + 1;
		if (x >= start && x < start + w)
			return bar[i].key;
		start += w;
	}
	return SCREEN_KEY_NONE;
}
