/* keys: the key binding table, shared by the dispatcher and the help
 * screen, and the function-key bar at the bottom of the screen.
 *
 * Keys are screen_getkey() codes (see screen.h).  One action may have
 * several keys; the help screen lists them together, in table order. */
#ifndef VMTOP_KEYS_H
#define VMTOP_KEYS_H

#include <stddef.h>

enum keys_action {
	KEYS_NONE,
	KEYS_QUIT,
	KEYS_HELP,
	KEYS_UP,
	KEYS_DOWN,
	KEYS_PAGE_UP,
	KEYS_PAGE_DOWN,
	KEYS_HOME,
	KEYS_END,
	KEYS_FILTER,
	KEYS_SEARCH,
	KEYS_SEARCH_NEXT,
	KEYS_SORT_MENU,
	KEYS_SORT_LEFT,
	KEYS_SORT_RIGHT,
	KEYS_SORT_PID,
	KEYS_SORT_VIRT,
	KEYS_SORT_RES,
	KEYS_SORT_CPU,
	KEYS_SORT_THREADS,
	KEYS_SORT_INVERT,
	KEYS_CMDLINE,
	KEYS_PAUSE,
	KEYS_REFRESH,
	KEYS_REDRAW,
	KEYS_MAP,
	KEYS__COUNT
};

struct keys_binding {
	int key;                 /* screen_getkey() code */
	enum keys_action action;
};

/* The action bound to key in the process list, or KEYS_NONE. */
enum keys_action keys_lookup(int key);
/* The binding table (static storage); *n gets its length. */
const struct keys_binding *keys_bindings(size_t *n);
/* One-line description of an action for the help screen. */
const char *keys_help(enum keys_action action);
/* Writes a key's name ("F1", "Up", "PgDn", "Space", "^L", "q") into buf
 * and returns buf. */
char *keys_name(int key, char *buf, size_t size);

/* Draws the function-key bar ("F1Help F3Search ...") on row y. */
void keys_bar_draw(int y, int width);
/* The key of the bar entry drawn at column x, or SCREEN_KEY_NONE. */
int keys_bar_hit(int x, int width);

#endif
