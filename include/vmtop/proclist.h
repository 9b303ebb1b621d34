/* proclist: the process list screen — a flat treeview (treeview.h) of
 * the rows the filter matches, one item per process tagged by its PID
 * and start time, so that the cursor stays on its process across
 * refreshes and a reused PID is another process.  The module gives the
 * widget its columns (narrow screens hide the least useful first), the
 * cells, and the sort order of the rows.
 *
 * Tags (Space, as in htop) are kept by the same tags: they survive
 * refreshes and sorting, and go when their process leaves the source's
 * rows.  A tagged row is drawn in the tagged colour with a "*" before
 * its PID.
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

/* Tags the process under the cursor, or untags it when tagged, and
 * moves the cursor down. */
void proclist_tag_toggle(struct proclist *pl);
void proclist_untag_all(struct proclist *pl);
size_t proclist_ntagged(const struct proclist *pl);
/* Writes the rows of the tagged processes, in the order they were
 * tagged, into out[0..max) and returns how many (valid until the next
 * update). */
size_t proclist_tagged(const struct proclist *pl,
		       const struct proc_row **out, size_t max);

/* Whether the sort menu (F6) is open, and a key (screen code) for it:
 * Up/Down choose, Enter sorts, any other key closes it. */
bool proclist_menu_active(const struct proclist *pl);
void proclist_menu_key(struct proclist *pl, int key);

#endif
