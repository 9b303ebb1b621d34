/* keys: bindings as a table, key names, and the function-key bar. */
#include "config.h"

#include "vmtop/keys.h"

#include <stdio.h>
#include <string.h>

#include "vmtop/screen.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))
#define FN(code) SCREEN_KEY_FN(code)

static const struct keys_binding keys_table[] = {
	{ FN(KEY_F(1)), KEYS_HELP },
	{ '?', KEYS_HELP },
	{ 'h', KEYS_HELP },
	{ FN(KEY_F(10)), KEYS_QUIT },
	{ 'q', KEYS_QUIT },
	{ FN(KEY_UP), KEYS_UP },
	{ 'k', KEYS_UP },
	{ FN(KEY_DOWN), KEYS_DOWN },
	{ 'j', KEYS_DOWN },
	{ FN(KEY_PPAGE), KEYS_PAGE_UP },
	{ SCREEN_KEY_CTRL('b'), KEYS_PAGE_UP },
	{ FN(KEY_NPAGE), KEYS_PAGE_DOWN },
	{ SCREEN_KEY_CTRL('f'), KEYS_PAGE_DOWN },
	{ FN(KEY_HOME), KEYS_HOME },
	{ 'g', KEYS_HOME },
	{ FN(KEY_END), KEYS_END },
	{ 'G', KEYS_END },
	{ FN(KEY_F(4)), KEYS_FILTER },
	{ '\\', KEYS_FILTER },
	{ FN(KEY_F(3)), KEYS_SEARCH },
	{ '/', KEYS_SEARCH },
	{ 'n', KEYS_SEARCH_NEXT },
	{ FN(KEY_F(6)), KEYS_SORT_MENU },
	{ '<', KEYS_SORT_LEFT },
	{ '>', KEYS_SORT_RIGHT },
	{ 'N', KEYS_SORT_PID },
	{ 'V', KEYS_SORT_VIRT },
	{ 'M', KEYS_SORT_RES },
	{ 'P', KEYS_SORT_CPU },
	{ 'T', KEYS_SORT_THREADS },
	{ 'I', KEYS_SORT_INVERT },
	{ 'c', KEYS_CMDLINE },
	{ 'Z', KEYS_PAUSE },
	{ ' ', KEYS_REFRESH },
	{ SCREEN_KEY_CTRL('l'), KEYS_REDRAW },
	{ '\r', KEYS_MAP },
	{ FN(KEY_ENTER), KEYS_MAP },
};

static const char *const keys_helps[KEYS__COUNT] = {
	[KEYS_QUIT] = "quit",
	[KEYS_HELP] = "this help",
	[KEYS_UP] = "select the previous process",
	[KEYS_DOWN] = "select the next process",
	[KEYS_PAGE_UP] = "one page up",
	[KEYS_PAGE_DOWN] = "one page down",
	[KEYS_HOME] = "select the first process",
	[KEYS_END] = "select the last process",
	[KEYS_FILTER] = "filter by regex (Enter keeps it, Esc clears it)",
	[KEYS_SEARCH] = "search by regex; F3 again: next match",
	[KEYS_SEARCH_NEXT] = "next search match",
	[KEYS_SORT_MENU] = "choose the sort column",
	[KEYS_SORT_LEFT] = "sort by the column on the left",
	[KEYS_SORT_RIGHT] = "sort by the column on the right",
	[KEYS_SORT_PID] = "sort by PID",
	[KEYS_SORT_VIRT] = "sort by VIRT (virtual size)",
	[KEYS_SORT_RES] = "sort by RES (resident memory)",
	[KEYS_SORT_CPU] = "sort by CPU%",
	[KEYS_SORT_THREADS] = "sort by THR (threads)",
	[KEYS_SORT_INVERT] = "invert the sort order",
	[KEYS_CMDLINE] = "COMMAND: name or full command line",
	[KEYS_PAUSE] = "pause / resume refreshing",
	[KEYS_REFRESH] = "refresh now",
	[KEYS_REDRAW] = "redraw the screen",
	[KEYS_MAP] = "memory map of the selected process (tree, threads, "
		     "arenas, DNS)",
};

struct keys_bar_item {
	int key;
	const char *label;
};

static const struct keys_bar_item keys_bar[] = {
	{ FN(KEY_F(1)), "Help" },   { FN(KEY_F(3)), "Search" },
	{ FN(KEY_F(4)), "Filter" }, { FN(KEY_F(6)), "SortBy" },
	{ FN(KEY_F(10)), "Quit" },
};

/* Names of the function keys that are not F-keys. */
static const struct {
	int code;
	const char *name;
} keys_fn_names[] = {
	{ KEY_UP, "Up" },       { KEY_DOWN, "Down" },  { KEY_LEFT, "Left" },
	{ KEY_RIGHT, "Right" }, { KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" },
	{ KEY_HOME, "Home" },   { KEY_END, "End" },    { KEY_ENTER, "Enter" },
	{ KEY_BACKSPACE, "Backspace" },
};

enum keys_action keys_lookup(int key)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys_table); i++)
		if (keys_table[i].key == key)
			return keys_table[i].action;
	return KEYS_NONE;
}

const struct keys_binding *keys_bindings(size_t *n)
{
	*n = ARRAY_SIZE(keys_table);
	return keys_table;
}

const char *keys_help(enum keys_action action)
{
	if (action <= KEYS_NONE || action >= KEYS__COUNT)
		return "";
	return keys_helps[action];
}

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
	else if (key >= 0 && key < 0x20)
		snprintf(buf, size, "^%c", key + '@');
	else
		snprintf(buf, size, "%lc", (wint_t)key);
	return buf;
}

/* Width of one bar entry: key name, label, one space. */
static int keys_bar_item_width(const struct keys_bar_item *it)
{
	char name[16];

	keys_name(it->key, name, sizeof(name));
	return (int)(strlen(name) + strlen(it->label)) + 1;
}

void keys_bar_draw(int y, int width)
{
	int x = 0;

	for (size_t i = 0; i < ARRAY_SIZE(keys_bar) && x < width; i++) {
		char name[16];

		keys_name(keys_bar[i].key, name, sizeof(name));
		x += screen_put(y, x, width - x, name, SCREEN_FKEY, false);
		x += screen_put(y, x, width - x, keys_bar[i].label,
				SCREEN_FLABEL, false);
		x += screen_put(y, x, width - x, " ", SCREEN_NORMAL, false);
	}
	if (x < width)
		screen_put(y, x, width - x, "", SCREEN_FLABEL, true);
}

int keys_bar_hit(int x, int width)
{
	int start = 0;

	for (size_t i = 0; i < ARRAY_SIZE(keys_bar) && start < width; i++) {
		int w = keys_bar_item_width(&keys_bar[i]);

		if (x >= start && x < start + w)
			return keys_bar[i].key;
		start += w;
	}
	return SCREEN_KEY_NONE;
}
