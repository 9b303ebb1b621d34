/* threadview: the threads pane of the map view ('t') — every thread with
 * its TID, name, state, CPU % between the last two samples, and its
 * stack (range, size, guard page), or why its stack is unknown. */
#ifndef VMTOP_THREADVIEW_H
#define VMTOP_THREADVIEW_H

#include "vmtop/pipeline.h"
#include "vmtop/treeview.h"

/* A flat treeview over s's threads (s borrowed), sorted by TID. */
struct treeview *threadview_new(struct pipeline *s);
/* Draws the summary sentence from row y (at most max rows, width wide);
 * returns the rows used. */
int threadview_header(const struct pipeline *s, int y, int width, int max);

#endif
