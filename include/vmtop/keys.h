/* keys: the one key table of every view — the process list, the memory
 * map's tree, its threads, arenas and DNS panes, the help, the compare
 * view — and the function-key bars.
 *
 * Each action has one row: the keys bound to it, the views where it is
 * available (a mask of enum keys_view) and its description.  A key is in
 * one row only, so it means one thing everywhere; where an action does
 * not apply, its keys do nothing.  The dispatchers (tui, mapview), the
 * help screen and the bars all read this table.  Keys are
 * screen_getkey() codes (see screen.h). */
#ifndef VMTOP_KEYS_H
#define VMTOP_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "vmtop/treeview.h"

enum keys_view {
	KEYS_VIEW_LIST,    /* the process list */
	KEYS_VIEW_TREE,    /* the memory-map tree and its detail pane */
	KEYS_VIEW_THREADS, /* the map view's panes */
	KEYS_VIEW_ARENAS,
	KEYS_VIEW_DNS,
	KEYS_VIEW_INSIGHTS,
	KEYS_VIEW_KNOBS,   /* the knobs in effect */
	KEYS_VIEW_HELP,
	KEYS_VIEW_COMPARE, /* the compare view of tagged processes */
	KEYS_VIEW_SETUP,   /* the setup screen (F2) */
	KEYS_VIEW__COUNT
};

enum keys_action {
	KEYS_NONE,
	KEYS_UP,
	KEYS_DOWN,
	KEYS_PAGE_UP,
	KEYS_PAGE_DOWN,
	KEYS_HOME,
	KEYS_END,
	KEYS_OPEN,        /* Enter: a process's map; a tree item unfolds */
	KEYS_TOGGLE,      /* Space: fold or unfold (the tree); tag (list) */
	KEYS_UNFOLD,
	KEYS_FOLD,
	KEYS_LEVEL_MORE,
	KEYS_LEVEL_LESS,
	KEYS_UNFOLD_ALL,
	KEYS_DETAIL,      /* Tab: the detail pane; in the list, programs */
	KEYS_THREADS,
	KEYS_ARENAS,
	KEYS_DNS,
	KEYS_INSIGHTS,    /* i: every insight in full */
	KEYS_KNOBS,       /* e: the knobs in effect */
	KEYS_SEARCH,
	KEYS_SEARCH_NEXT,
	KEYS_FILTER,
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
	KEYS_HELP,
	KEYS_BACK,        /* Esc: pane to tree, tree to list */
	KEYS_CLOSE,       /* q: as Esc; in the process list, quit */
	KEYS_QUIT,
	KEYS_PROC_TREE,   /* F5: the list as a tree of processes */
	KEYS_THREAD_ROWS, /* H: threads as rows under their process */
	KEYS_BASELINE,    /* b: DELTA since this picture (again: clears) */
	KEYS_UNTAG_ALL,   /* U: untag every process (the list) */
	KEYS_COMPARE,     /* =: compare the tagged processes */
	KEYS_KTHREADS,    /* K: show / hide kernel threads */
	KEYS_USER,        /* u: show one user's processes */
	KEYS_SETUP,        /* F2, S: the setup screen */
	KEYS_SETUP_UP,     /* setup: move the column up, the previous value */
	KEYS_SETUP_DOWN,   /* setup: move the column down, the next value */
	KEYS_SETUP_REMOVE, /* setup: take the column off the list */
	KEYS_TIME_BACK,   /* [: a loaded file's refresh before */
	KEYS_TIME_ON,     /* ]: and the one after */
	KEYS_SAVE,        /* w: the map view's picture to a new file */
	KEYS__COUNT
};

#define KEYS_PER_ACTION 4

struct keys_entry {
	enum keys_action action;
	unsigned views;              /* 1 << enum keys_view, or-ed */
	int keys[KEYS_PER_ACTION];   /* screen codes; 0 ends the list */
	const char *help;
};

/* The action key has in view, or KEYS_NONE (unbound there). */
enum keys_action keys_lookup(enum keys_view view, int key);
/* The table (static storage), in the order the help lists it; *n gets
 * its length. */
const struct keys_entry *keys_entries(size_t *n);
/* The row of action, or NULL. */
const struct keys_entry *keys_entry_of(enum keys_action action);
/* Writes the names of e's keys ("F1 ? h", one "Enter" for its codes)
 * into buf and returns buf. */
char *keys_names(const struct keys_entry *e, char *buf, size_t size);
/* Writes a key's name ("F1", "Up", "PgDn", "Space", "^L", "q") into buf
 * and returns buf. */
char *keys_name(int key, char *buf, size_t size);
/* Whether key is Enter (any of its codes). */
bool keys_is_enter(int key);

/* Applies to tv what a means for any list widget (moves, folding,
 * sorting, the sort menu; Enter unfolds).  Returns whether a was one of
 * those. */
bool keys_treeview(struct treeview *tv, enum keys_action a);
/* A key while tv's sort menu is open, keys read as in view: the moves
 * choose an entry, Enter sorts by it, any other key closes the menu. */
void keys_menu_key(struct treeview *tv, enum keys_view view, int key);

/* Draws view's function-key bar ("F1Help F3Search ...") on row y; a
 * narrow screen leaves out the least used entries first, never F1 or F10. */
void keys_bar_draw(enum keys_view view, int y, int width);
/* The key of view's bar entry drawn at column x, or SCREEN_KEY_NONE. */
int keys_bar_hit(enum keys_view view, int x, int width);

#endif
