/* mappane: the memory-map tree as treeview items — categories, groups
 * and regions of the sampled maptree with their totals, the change since
 * the last refresh (or the baseline), a category's TREND sparkline from
 * the history, and the labels the view gives to kinds.
 *
 * Tags are the diff keys (diff.h), so the fold state, the cursor and the
 * change marks all follow a node across refreshes.  Categories are open
 * and groups folded at first; a category whose regions have no group
 * (heap, anon...) is folded, its regions being its children.  Regions
 * are only built under unfolded nodes. */
#ifndef VMTOP_MAPPANE_H
#define VMTOP_MAPPANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/history.h"

#include "vmtop/pipeline.h"
#include "vmtop/treeview.h"

/* What a tree item of the map pane is. */
enum mappane_node { MAPPANE_CATEGORY, MAPPANE_GROUP, MAPPANE_REGION };

/* The tree pane over s (borrowed; must outlive the widget). */
struct treeview *mappane_new(struct pipeline *s);

/* What item it (from this pane's treeview) points at: *node gets the
 * type; returns the category, group or region (const struct
 * maptree_category / maptree_group / region *). */
const void *mappane_node_of(const struct pipeline *s,
			    const struct treeview_item *it,
			    enum mappane_node *node);

/* A label for a kind: "glibc malloc arenas", "thread stacks"... */
const char *mappane_kind_label(enum region_kind kind);

/* "7f5c24000000-7f5c24021000 rw-p" and what else identifies a region
 * (file offset, tags, a path that is not its group's name), raw. */
void mappane_region_name(const struct region *r, char *buf, size_t size);

/* Writes a sparkline of values[0..n) (n <= 64; scaled by
 * history_scale()) into buf: one cell per value, the blocks U+2581 to
 * U+2588 when utf8, else "_.-:=+*#"; an unknown value is a blank.
 * Returns its length in bytes (buf is cut at a whole cell). */
size_t mappane_sparkline(const uint64_t *values, size_t n, bool utf8,
			 char *buf, size_t size);
/* The trend of series (a kind, or HISTORY_TOTAL) in h resampled into n
 * cells: the VSZ, or the RSS when the VSZ did not move (*rss says
 * which).  Returns the cells written, 0 with less than 2 refreshes. */
size_t mappane_trend(const struct history *h, unsigned series,
		     uint64_t *cells, size_t n, bool *rss);

/* The runtime as a phrase: "Go 1.19.8, cgo, dynamic", "C, dynamic";
 * "unknown runtime" when nothing is known. */
void mappane_runtime(const struct maptree *t, char *buf, size_t size);

#endif
