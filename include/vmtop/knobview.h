/* knobview: the knobs pane of the map view ('e') — the process's
 * memory-related environment variables (never the rest of its
 * environment), a JVM's or node's memory flags, its limits (RLIMIT_STACK,
 * RLIMIT_AS, RLIMIT_DATA) and its cgroup v2 memory limits, each with a
 * line of what it does to VSZ and RSS; when the environment is refused,
 * what the kernel refused and why.  Read anew at each refresh while the
 * pane is shown, as knobtext_write() writes them. */
#ifndef VMTOP_KNOBVIEW_H
#define VMTOP_KNOBVIEW_H

#include "vmtop/pipeline.h"
#include "vmtop/treeview.h"

/* A flat treeview of s's knobs, one row per wrapped line (s borrowed). */
struct treeview *knobview_new(struct pipeline *s);
/* Draws the sentence above the rows from row y; returns rows used. */
int knobview_header(const struct pipeline *s, int y, int width, int max);

#endif
