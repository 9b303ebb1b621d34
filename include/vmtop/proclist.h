/* proclist: the process list screen — a treeview (treeview.h) of the
 * rows the filter matches, one item per process tagged by its PID and
 * start time, so that the cursor stays on its process across refreshes
 * and a reused PID is another process.  The module gives the widget its
 * columns (narrow screens hide the least useful first), the cells, and
 * the sort order of the rows.  One table holds every column (the
 * usual ones and the memory columns); the user's choice is shown.
 * Kernel threads (K) and other users' processes (u) are hidden before
 * the filter.
 *
 * The rows are a flat list, or (F5) a tree of processes under their
 * parents (proctree.h) whose folded processes show their subtree's sums,
 * or (Tab) program totals: one row per name, folded, its processes
 * under it.  With any of them, threads (H) are rows under their process;
 * their memory cells are blank and they are never summed.  A column
 * sums when its row of the column table says summable (proclist.c).
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
#include "vmtop/tasks.h"

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

/* The tree view (F5) on or off; on turns program totals off.  For the
 * settings, which may keep it between runs. */
void proclist_set_tree(struct proclist *pl, bool on);
bool proclist_tree(const struct proclist *pl);
/* Whether kernel threads are listed (K; hidden at first, as in htop). */
void proclist_set_kthreads(struct proclist *pl, bool shown);
bool proclist_kthreads(const struct proclist *pl);
/* "tree + threads": the shape of the list, for the status line. */
char *proclist_mode_text(const struct proclist *pl, char *buf, size_t size);

/* Threads as rows (H): whether the list wants them, the PIDs whose
 * threads it wants among rows[0..n) (those it shows with more than one
 * thread; *pids valid until the next call), and the threads read
 * (borrowed until the next call; grouped by process, as tasks_read()
 * gives them), to be given before proclist_update(). */
bool proclist_wants_tasks(const struct proclist *pl);
size_t proclist_task_pids(struct proclist *pl, const struct proc_row *rows,
			  size_t n, const pid_t **pids);
void proclist_set_tasks(struct proclist *pl, const struct proc_task *tasks,
			size_t n);

/* Whether the next refresh must read command lines. */
bool proclist_wants_cmdline(const struct proclist *pl);
/* What the next refresh must read (enum proctable_want): command lines,
 * and what the columns shown need. */
unsigned proclist_want(const struct proclist *pl);

/* What K and u hide, for the header (", kernel threads hidden, user
 * bob"; "" when nothing), into buf; returns buf. */
char *proclist_hidden_text(const struct proclist *pl, char *buf,
			   size_t size);
/* How old the costly columns' figures shown are ("PSS/USS up to 4.0s
 * old"; "" without such columns), into buf; returns buf. */
char *proclist_age_text(const struct proclist *pl, char *buf, size_t size);
/* The processes the filter shows (folded ones and thread rows aside). */
size_t proclist_shown(const struct proclist *pl);
/* The process under the cursor (a thread row's process), or NULL when
 * none is shown or the cursor is on a program row; valid until the next
 * update. */
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
int proclist_set_column_ids(struct proclist *pl, const int *idx,
			    size_t n);
/* The sort column's name ("VIRT", or "COMMAND"; static) and direction. */
const char *proclist_sort_name(const struct proclist *pl, bool *desc);
/* Sorts by the column named name (a column shown, or COMMAND), descending
 * when desc.  Returns 0, or -ENOENT (the sort is unchanged). */
int proclist_set_sort(struct proclist *pl, const char *name, bool desc);

/* Draws the column titles on row y and the rows below, height rows in
 * all, width columns wide; the sort menu on top when it is open. */
void proclist_draw(struct proclist *pl, int y, int height, int width);
/* Handles an action of the list view (moves, folding, sorting, the sort
 * menu, the command line, tree, programs and threads; Enter on a program
 * row unfolds it).  Returns true when the action was the list's: after
 * KEYS_THREAD_ROWS, the owner gives the threads (proclist_set_tasks) and
 * rebuilds. */
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

/* Whether the sort menu (F6) or the user menu (u) is open, and a key
 * (screen code) for it: Up/Down choose, Enter sorts or picks the user,
 * any other key closes it. */
bool proclist_menu_active(const struct proclist *pl);
void proclist_menu_key(struct proclist *pl, int key);

#endif
