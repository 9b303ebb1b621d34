/* insightview: the insights pane of the map view ('i') — every insight
 * in full, wrapped to the screen, one row per line, scrollable with the
 * moves of any list; the summary above the tree shows as many as fit and
 * marks what it leaves out. */
#ifndef VMTOP_INSIGHTVIEW_H
#define VMTOP_INSIGHTVIEW_H

#include "vmtop/pipeline.h"
#include "vmtop/treeview.h"

/* A flat treeview over s's insights (s borrowed), wrapped to the width
 * of the screen at its build: rebuild it after a resize. */
struct treeview *insightview_new(struct pipeline *s);
/* Draws the pane's summary sentence from row y (at most max rows, width
 * wide); returns the rows used. */
int insightview_header(const struct pipeline *s, int y, int width, int max);

#endif
