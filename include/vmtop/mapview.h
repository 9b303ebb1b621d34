/* mapview: the memory-map screen of one process (Enter in the list).
 *
 * Top to bottom: the process line (PID, name, runtime, sizes), a bar
 * that splits VSZ into reserved-only (---p), committed and resident, the
 * insights (largest first, as many as fit), what went away lately; then
 * one pane — the tree (mappane), threads (t), arenas (a) or the DNS
 * resolver (d) — with, under the tree, the detail pane of the selected
 * item (Tab; shown by default when the terminal has room); a status line
 * with the sampling cadence; and the function-key bar of the pane.
 *
 * The view owns its sampler (pipeline.h).  When the map is not
 * readable it shows what the list row had (VSZ, RSS, threads) and says
 * what is missing; when the process exits it says so and keeps the last
 * picture until the user leaves. */
#ifndef VMTOP_MAPVIEW_H
#define VMTOP_MAPVIEW_H

#include <stdbool.h>
#include <sys/types.h>

#include "vmtop/keys.h"
#include "vmtop/proctable.h"
#include "vmtop/rules.h"
#include "vmtop/screen.h"
#include "vmtop/source.h"

struct mapview;

/* A view of the process of row (its fields are copied), read from src
 * and classified with rules (both borrowed, must outlive the view).
 * Nothing is read before the first mapview_refresh().  Never NULL. */
struct mapview *mapview_new(struct source *src, const struct proc_row *row,
			    const struct rules *rules);
void mapview_free(struct mapview *mv);
pid_t mapview_pid(const struct mapview *mv);

/* The detail pane until the user toggles it (Tab): -1 shown when the
 * terminal has room (the default), 0 hidden, 1 shown. */
void mapview_set_detail(struct mapview *mv, int detail);

/* Whether row is of the view's process (its PID and start time: not
 * another process that took the PID). */
bool mapview_row_is_its(const struct mapview *mv, const struct proc_row *row);

/* Updates the copy of the list row (NULL: the process left the list). */
void mapview_set_row(struct mapview *mv, const struct proc_row *row);

/* Samples when due at now_ms (CLOCK_MONOTONIC), delay_ms being the
 * refresh interval; force: at once (the user asked).  Does nothing while
 * the view is paused, unless forced. */
void mapview_refresh(struct mapview *mv, long now_ms, long delay_ms,
		     bool force);

/* Swaps in a refresh read off this thread (pipeline.h, PIPELINE_ASYNC)
 * once it is done, and starts one when due: call it whenever the loop
 * wakes.  Nothing while the view is paused. */
void mapview_poll(struct mapview *mv, long now_ms, long delay_ms);
/* Waits for the refresh being read, if any, and shows it (the last
 * picture of -n). */
void mapview_settle(struct mapview *mv);

/* Draws the whole screen. */
void mapview_draw(struct mapview *mv, long now_ms);

/* What the program must do after a key or a mouse event. */
enum mapview_result {
	MAPVIEW_STAY,
	MAPVIEW_CLOSE,   /* back to the process list */
	MAPVIEW_QUIT,
	MAPVIEW_HELP,    /* show the help, then come back */
	MAPVIEW_REFRESH, /* sample now (mapview_refresh with force) */
	MAPVIEW_TIME_BACK, /* [ and ]: a loaded file's refresh before */
	MAPVIEW_TIME_ON,   /* and after */
	MAPVIEW_SAVE,    /* w: save the picture (mapview_tree()), then
			  * mapview_message() says where */
};
/* A key (screen code), read as the pane on screen reads it. */
enum mapview_result mapview_key(struct mapview *mv, int key);
enum mapview_result mapview_mouse(struct mapview *mv, enum screen_mouse m,
				  int y, int x);

/* The view whose keys apply now (the tree or a pane), for the help. */
enum keys_view mapview_keys_view(const struct mapview *mv);

/* The tree shown (NULL before the first refresh or while refused),
 * valid until the next mapview_refresh(). */
const struct maptree *mapview_tree(const struct mapview *mv);

/* Puts text on the status line until the next key (an error when
 * role is SCREEN_ERROR). */
void mapview_message(struct mapview *mv, enum screen_role role,
		     const char *text);

#endif
