/* proclist: the process list screen — a flat treeview (treeview.h) of
 * the rows the filter matches, one item per process tagged by its PID
 * and start time, so that the cursor stays on its process across
 * refreshes and a reused PID is another process.  The module gives the
 * widget its columns (narrow screens hide the least useful first), the
 * cells, and the sort order of the rows.
 *
 * The list holds pointers into the source's rows: call
 * proclist_update() right after every source_list(), before
 * drawing, so that no stale row is ever read. */
#ifndef VMTOP_PROCLIST_H
#define VMTOP_PROCLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "vmtop/filter.h"
#include "vmtop/keys.h"
#include "vmtop/proctable.h"

struct proclist;

/* A list that shows the rows f matches; f is borrowed and must outlive
 * the list.  Sorted by VIRT, descending. */
struct proclist *proclist_new(struct filter *f, bool full_cmdline);
void proclist_free(struct proclist *pl);

/* Takes rows[0..n) (borrowed until the next call) and rebuilds the
 * shown list: filter, sort, cursor back on the process it was on. */
void proclist_update(struct proclist *pl, const struct proc_row *rows,
		     size_t n);
/* Rebuilds from the same rows, after the filter or the sort changed. */
void proclist_rebuild(struct proclist *pl);

/* Whether the next refresh must read command lines. */
bool proclist_wants_cmdline(const struct proclist *pl);
size_t proclist_shown(const struct proclist *pl);
/* The row under the cursor, or NULL when none is shown; valid until the
 * next update. */
const struct proc_row *proclist_cursor_row(const struct proclist *pl);
/* Text shown in place of the rows when none is shown (copied). */
void proclist_set_empty_text(struct proclist *pl, const char *text);
/* "VIRT (virtual size), descending" into buf; returns buf. */
char *proclist_sort_text(const struct proclist *pl, char *buf, size_t size);

/* The list's columns, by name, for setup and the settings file.  They
 * are the table's (COMMAND, always shown and last, is not one of them):
 * their number, and column i's name ("VIRT") and description ("VIRT
 * (virtual size)"), static strings, NULL past the end. */
size_t proclist_ncolumns(void);
const char *proclist_column_name(size_t i);
const char *proclist_column_text(size_t i);
/* The index of the column named name (any case), or -1. */
int proclist_column_find(const char *name);
/* The columns a new list shows, in order, into idx[0..max); returns how
 * many. */
size_t proclist_default_columns(int *idx, size_t max);
/* The columns shown, in order, into idx[0..max); returns how many. */
size_t proclist_get_columns(const struct proclist *pl, int *idx,
			    size_t max);
/* Shows columns idx[0..n) in that order (n == 0: COMMAND alone).  The
 * sort column stays when still shown, else the list sorts by VIRT, or the
 * first column.  Returns 0, -EINVAL for an unknown or repeated index,
 * -E2BIG past TREEVIEW_MAX_COLS (nothing changes then). */
int proclist_set_columns(struct proclist *pl, const int *idx, size_t n);
/* The sort column's name ("VIRT", or "COMMAND"; static) and direction. */
const char *proclist_sort_name(const struct proclist *pl, bool *desc);
/* Sorts by the column named name (a column shown, or COMMAND), descending
 * when desc.  Returns 0, or -ENOENT (the sort is unchanged). */
int proclist_set_sort(struct proclist *pl, const char *name, bool desc);

/* Draws the column titles on row y and the rows below, height rows in
 * all, width columns wide; the sort menu on top when it is open. */
void proclist_draw(struct proclist *pl, int y, int height, int width);
/* Handles an action of the list view (moves, sorting, the sort menu,
 * the command line).  Returns true when the action was the list's. */
bool proclist_key(struct proclist *pl, enum keys_action action);
/* A mouse event at (y, x) relative to the top of the list area (row 0 is
 * the titles: a click sorts by that column, again inverts it). */
void proclist_click(struct proclist *pl, int y, int x);
void proclist_scroll(struct proclist *pl, int rows);

/* Moves the cursor to the next process whose COMMAND as shown contains
 * text (plain text, any case), starting at the cursor itself unless
 * next is set, wrapping around.  Returns whether one matched (the cursor
 * stays put when none does). */
bool proclist_search(struct proclist *pl, const char *text, bool next);

/* Whether the sort menu (F6) is open, and a key (screen code) for it:
 * Up/Down choose, Enter sorts, any other key closes it. */
bool proclist_menu_active(const struct proclist *pl);
void proclist_menu_key(struct proclist *pl, int key);

#endif
