/* compareview: the compare screen of processes tagged in the list (=).
 *
 * Top to bottom: one line naming the processes (1 = PID name, 2 = ...),
 * the summary in words (compare.h), then the rows aligned by cause in a
 * treeview — one column group per process (N, VSZ, RSS) and DIFF, the
 * largest VSZ difference from the first process — with the detail of the
 * row under the cursor below (Tab), a status line and the key bar.
 * Narrow screens drop the N columns first, then RSS; VSZ and DIFF stay.
 *
 * Each process has its own pipeline (pipeline.h) on the map view's
 * cadence, its part of the smaps budget; a process that exits keeps its
 * last tree.  Up to COMPAREVIEW_MAX processes. */
#ifndef VMTOP_COMPAREVIEW_H
#define VMTOP_COMPAREVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "vmtop/keys.h"
#include "vmtop/mapview.h"
#include "vmtop/proctable.h"
#include "vmtop/rules.h"
#include "vmtop/screen.h"
#include "vmtop/source.h"

#define COMPAREVIEW_MAX 4

struct compareview;

/* A view of the processes of rows[0..n) (2 <= n; past COMPAREVIEW_MAX
 * the first ones), the first the reference; their fields are copied.
 * src and rules are borrowed and must outlive the view.  Nothing is read
 * before the first compareview_refresh().  Never NULL. */
struct compareview *compareview_new(struct source *src,
				    const struct proc_row *const *rows,
				    size_t n, const struct rules *rules);

/* One process of a view with a source each (--diff: a saved file's
 * process and the live one): src and row's fields as above (row is
 * copied); name, when not NULL, is what the columns and the words call it
 * ("then", "now") instead of its comm. */
struct compareview_side {
	struct source *src;
	const struct proc_row *row;
	const char *name;
};

/* A view of sides[0..n) (2 <= n <= COMPAREVIEW_MAX); note, when not NULL,
 * is the status line's until the first key (what was matched).  Never
 * NULL. */
struct compareview *compareview_new_sides(
	const struct compareview_side *sides, size_t n,
	const struct rules *rules, const char *note);
void compareview_free(struct compareview *cv);

/* Refreshes the pipelines that are due (all with force) and rebuilds the
 * comparison when a tree changed. */
void compareview_refresh(struct compareview *cv, long now_ms, long delay_ms,
			 bool force);
/* Swaps in the refreshes read off this thread once they are done, and
 * starts those due (as mapview_poll()); nothing while paused. */
void compareview_poll(struct compareview *cv, long now_ms, long delay_ms);
/* Waits for the refreshes being read and shows them (the last picture
 * of -n). */
void compareview_settle(struct compareview *cv);
void compareview_draw(struct compareview *cv, long now_ms);

/* A key or a mouse event; the result says what the program must do (the
 * map view's results: stay, close, quit, help, refresh). */
enum mapview_result compareview_key(struct compareview *cv, int key);
enum mapview_result compareview_mouse(struct compareview *cv,
				      enum screen_mouse m, int y, int x);

#endif
