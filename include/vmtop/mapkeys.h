/* mapkeys: the key bindings of the memory-map views (the tree, threads,
 * arenas, DNS resolver), their help texts, and their function-key bars.
 *
 * One table serves the dispatcher (mapkeys_lookup), the help screen
 * (mapkeys_help_line) and the bars, so that they always agree.  Keys are
 * screen_getkey() codes (screen.h). */
#ifndef VMTOP_MAPKEYS_H
#define VMTOP_MAPKEYS_H

#include <stddef.h>

enum mapkeys_pane {
	MAPKEYS_PANE_TREE,
	MAPKEYS_PANE_THREADS,
	MAPKEYS_PANE_ARENAS,
	MAPKEYS_PANE_DNS,
	MAPKEYS_PANE__COUNT
};

enum mapkeys_action {
	MAPKEYS_NONE,
	MAPKEYS_BACK,
	MAPKEYS_QUIT,
	MAPKEYS_HELP,
	MAPKEYS_UP,
	MAPKEYS_DOWN,
	MAPKEYS_PAGE_UP,
	MAPKEYS_PAGE_DOWN,
	MAPKEYS_HOME,
	MAPKEYS_END,
	MAPKEYS_TOGGLE,
	MAPKEYS_UNFOLD,
	MAPKEYS_FOLD,
	MAPKEYS_LEVEL_MORE,
	MAPKEYS_LEVEL_LESS,
	MAPKEYS_UNFOLD_ALL,
	MAPKEYS_SEARCH,
	MAPKEYS_SEARCH_NEXT,
	MAPKEYS_SORT_LEFT,
	MAPKEYS_SORT_RIGHT,
	MAPKEYS_SORT_INVERT,
	MAPKEYS_DETAIL,
	MAPKEYS_THREADS,
	MAPKEYS_ARENAS,
	MAPKEYS_DNS,
	MAPKEYS_PAUSE,
	MAPKEYS_REFRESH,
	MAPKEYS_REDRAW,
	MAPKEYS__COUNT
};

/* The action bound to key in pane, or MAPKEYS_NONE. */
enum mapkeys_action mapkeys_lookup(enum mapkeys_pane pane, int key);

/* The help about these views, mapkeys_help_lines() lines: line i gives
 * in *keys the keys bound ("Enter Space", written into buf) and in *text
 * their description; a section title has *keys NULL. */
int mapkeys_help_lines(void);
void mapkeys_help_line(int i, char *buf, size_t size, const char **keys,
		       const char **text);

/* Draws pane's function-key bar on row y; *_hit returns the key of the
 * entry at column x, or SCREEN_KEY_NONE. */
void mapkeys_bar_draw(enum mapkeys_pane pane, int y, int width);
int mapkeys_bar_hit(enum mapkeys_pane pane, int x, int width);

#endif
