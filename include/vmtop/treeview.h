/* treeview: a generic tree widget (the idea of tmux's mode-tree.c).
 *
 * The widget knows nothing about what it shows.  Its owner gives it a
 * column table, a build callback and a cell callback.  On every
 * treeview_rebuild() the widget forgets its items and calls build, which
 * adds the items again with treeview_add(): each with a stable 64-bit tag
 * (never 0), the tag of its parent (0 at the top level, added before its
 * children), a name and one number per column to sort by.  What the user
 * unfolded and where the cursor was are kept by tag, so a refresh that
 * rebuilds everything keeps both.
 *
 * Build adds every item, folded ones too: keys (fold, unfold, sort,
 * search) only lay the rows out again and never call build, so that a key
 * answers at once however many items there are.  Siblings are sorted by
 * the sort column (ties: the order they were added); the name column,
 * always the last, sorts by name.
 *
 * Cells are formatted only for rows on screen, by the cell callback; any
 * text, names included, goes through fmt_printable when drawn.
 *
 * A flat list (the process list) is a tree of top-level items drawn
 * without fold markers (treeview_set_flat); its owner may sort by other
 * than numbers (treeview_set_compare) and give columns a priority, so
 * that narrow screens hide the least useful ones first.  The sort menu
 * (TREEVIEW_SORT_MENU) lists the columns over the rows. */
#ifndef VMTOP_TREEVIEW_H
#define VMTOP_TREEVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/screen.h"

/* Columns a widget may have, and the sort keys an item carries (a
 * widget with more columns than keys sorts with treeview_set_compare():
 * the process list's memory columns). */
#define TREEVIEW_MAX_COLS 20
#define TREEVIEW_NUM_COLS 10

struct treeview_column {
	const char *title;
	int width;            /* cells */
	bool left;            /* left-aligned (default: right) */
	bool desc;            /* descending when first chosen */
	const char *label;    /* in the sort menu and messages; NULL: title */
	int drop;             /* narrow screens hide 1 first, then 2...; 0:
			       * never (nor the sort column) */
};

struct treeview_item {
	uint64_t tag, parent;
	const char *name;     /* copied by treeview_add(); raw */
	const void *data;     /* the builder's, valid until the next build */
	uint64_t num[TREEVIEW_NUM_COLS]; /* sort keys, one per column */
	bool expandable;      /* may have children (draws a fold marker) */
	bool open_default;    /* unfolded until the user folds it */
	enum screen_role role; /* how the row is drawn (not under the cursor) */
	int depth;            /* set by the widget */
};

struct treeview;
typedef void treeview_build_fn(struct treeview *tv, void *arg);
/* Writes the text of column col of it into buf (raw or printable). */
typedef void treeview_cell_fn(const struct treeview_item *it, int col,
			      char *buf, size_t size, void *arg);

/* A widget over ncols columns (at most TREEVIEW_MAX_COLS; the table is
 * borrowed) plus the name column, titled name_title.  Sorted by column
 * sort_col, descending when desc.  Never NULL. */
struct treeview *treeview_new(const struct treeview_column *cols, int ncols,
			      const char *name_title, int sort_col, bool desc,
			      treeview_build_fn *build, treeview_cell_fn *cell,
			      void *arg);
void treeview_free(struct treeview *tv);

/* While the name column would be narrower than cells, columns are hidden
 * by their drop level (default 16). */
void treeview_set_min_name(struct treeview *tv, int cells);
/* Draws names without indentation or fold markers (a flat list). */
void treeview_set_flat(struct treeview *tv, bool flat);
/* Compares a and b by column col (ncols: the name column) in ascending
 * order: < 0, 0 or > 0.  The widget inverts it for a descending sort and
 * breaks ties by the order items were added. */
typedef int treeview_compare_fn(const struct treeview_item *a,
				const struct treeview_item *b, int col,
				void *arg);
/* Sorts with cmp instead of num[] and the names (NULL: back to those);
 * cmp gets the widget's arg. */
void treeview_set_compare(struct treeview *tv, treeview_compare_fn *cmp);

/* A flat list of lines without columns, titled title, its rows in the
 * order build adds them (the insights and knobs panes). */
struct treeview *treeview_new_lines(const char *title,
				    treeview_build_fn *build, void *arg);

/* For build: adds an item and returns it, zeroed but for the arguments,
 * for the caller to fill in (the pointer is valid until the next add).
 * A tag already added in this build, or whose parent is unknown, gets a
 * scratch item that is not shown. */
struct treeview_item *treeview_add(struct treeview *tv, uint64_t parent,
				   uint64_t tag, const char *name,
				   const void *data);
/* For build: whether the children of tag are wanted.  Every build holds
 * every item (keys fold, sort and search without calling build again),
 * so this is true inside build; it stays for builders that ask. */
bool treeview_wants_children(const struct treeview *tv, uint64_t tag,
			     bool open_default);

/* Calls build again and lays out the rows; the cursor stays on its tag,
 * else moves to its parent, else keeps its row. */
void treeview_rebuild(struct treeview *tv);
/* Drops the items (and what the user folded) and the cursor. */
void treeview_reset(struct treeview *tv);

/* Draws the titles at row y and rows below: height rows, width wide. */
void treeview_draw(struct treeview *tv, int y, int height, int width);

enum treeview_action {
	TREEVIEW_UP,
	TREEVIEW_DOWN,
	TREEVIEW_PAGE_UP,
	TREEVIEW_PAGE_DOWN,
	TREEVIEW_HOME,
	TREEVIEW_END,
	TREEVIEW_UNFOLD,      /* unfold; on an unfolded item, go to its child */
	TREEVIEW_FOLD,        /* fold; on a folded item, go to its parent */
	TREEVIEW_TOGGLE,      /* fold or unfold */
	TREEVIEW_LEVEL_MORE,  /* unfold the shallowest folded level */
	TREEVIEW_LEVEL_LESS,  /* fold the deepest unfolded level */
	TREEVIEW_UNFOLD_ALL,
	TREEVIEW_SORT_LEFT,
	TREEVIEW_SORT_RIGHT,
	TREEVIEW_SORT_INVERT,
	TREEVIEW_SORT_MENU,   /* open the sort menu */
	TREEVIEW_MENU_CHOOSE, /* sort by the menu's entry, close the menu */
	TREEVIEW_MENU_CLOSE,
};
/* Applies an action (rebuilding when the tree's shape changes).  While
 * the sort menu is open, the moves (UP to END) move in the menu and
 * every action but those, MENU_CHOOSE and SORT_MENU closes it. */
void treeview_action(struct treeview *tv, enum treeview_action a);
/* Whether the sort menu is open. */
bool treeview_menu_active(const struct treeview *tv);
/* Sorts by column col (ncols: the name) in its natural order. */
void treeview_sort_by(struct treeview *tv, int col);

/* A click at row y of the area drawn (0: titles, which sort by the
 * column at x, again inverts; a click on the selected row folds or
 * unfolds it).  While the sort menu is open a click on an entry sorts by
 * it; any other click closes the menu first. */
void treeview_click(struct treeview *tv, int y, int x);
void treeview_scroll(struct treeview *tv, int rows);

/* Moves the cursor to the next item (after the cursor when next, else
 * from it) whose name contains needle, ignoring case, among every item
 * (folded ones included), wrapping around; unfolds its ancestors.
 * Returns whether one matched. */
bool treeview_search(struct treeview *tv, const char *needle, bool next);

/* The item under the cursor, or NULL when there is none; valid until the
 * next rebuild. */
const struct treeview_item *treeview_cursor(const struct treeview *tv);
/* Items shown (unfolded ones) and all items of the last build. */
size_t treeview_shown(const struct treeview *tv);
/* The sort column (ncols for the name) and direction, for the status. */
int treeview_sort_col(const struct treeview *tv, bool *desc);
/* The title of the sort column (static storage: the column table's). */
const char *treeview_sort_title(const struct treeview *tv);
/* Where column col (ncols: the name) starts on a screen width wide, or
 * -1 when it is hidden there. */
int treeview_column_x(const struct treeview *tv, int col, int width);
/* The label of column col in the sort menu (static storage). */
const char *treeview_column_label(const struct treeview *tv, int col);
/* Whether tag is unfolded now. */
bool treeview_is_open(const struct treeview *tv, uint64_t tag,
		      bool open_default);

#endif
