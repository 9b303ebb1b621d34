/* proclist: the process list screen — a flat treeview (treeview.h) of
 * the rows the filter matches, one item per process tagged by its PID
 * and start time, so that the cursor stays on its process across
 * refreshes and a reused PID is another process.  The module gives the
 * widget its columns (one table of every column; the user's choice is
 * shown, narrow screens hiding the least useful first), the cells, and
 * the sort order of the rows; it hides kernel threads (K) and other
 * users' processes (u) before the filter.
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

/* A list that shows the rows f matches, kernel threads hidden but for
 * those f names by PID (K shows them), every user's (u picks one); f is
 * borrowed and must outlive the list.  The usual columns, sorted by
 * VIRT, descending. */
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
/* What the next refresh must read (enum proctable_want): command lines,
 * and what the columns shown need. */
unsigned proclist_want(const struct proclist *pl);

/* Shows the columns of list, names separated by commas, in that order
 * (any case; COMMAND is always last; NULL or "": the usual ones,
 * PID,USER,THR,VIRT,RES,SWAP,CPU%,S; "+LIST": those and LIST).  The sort
 * column stays when still shown, else VIRT (else the first).  Returns 0,
 * or -EINVAL (unknown name) or -E2BIG (more than TREEVIEW_MAX_COLS) with
 * a message in err, the columns unchanged. */
int proclist_set_columns(struct proclist *pl, const char *list, char *err,
			 size_t errsize);
/* The names of the columns shown, comma-separated, into buf; returns buf. */
char *proclist_columns(const struct proclist *pl, char *buf, size_t size);
/* What K and u hide, for the header (", kernel threads hidden, user
 * bob"; "" when nothing), into buf; returns buf. */
char *proclist_hidden_text(const struct proclist *pl, char *buf,
			   size_t size);
/* How old the costly columns' figures shown are ("PSS/USS up to 4.0s
 * old"; "" without such columns), into buf; returns buf. */
char *proclist_age_text(const struct proclist *pl, char *buf, size_t size);
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

/* Whether the sort menu (F6) or the user menu (u) is open, and a key
 * (screen code) for it: Up/Down choose, Enter sorts or picks the user,
 * any other key closes it. */
bool proclist_menu_active(const struct proclist *pl);
void proclist_menu_key(struct proclist *pl, int key);

#endif
