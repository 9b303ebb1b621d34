/* arenaview: the glibc malloc arenas pane of the map view ('a') — the
 * main arena ([heap]) on its own row, then each arena with its base,
 * heaps, reserved, committed and resident sizes and whether its
 * heap_info was verified; above them the cap and where it comes from, or
 * a sentence saying why the process has no arenas. */
#ifndef VMTOP_ARENAVIEW_H
#define VMTOP_ARENAVIEW_H

#include <stddef.h>

#include "vmtop/pipeline.h"
#include "vmtop/treeview.h"

/* A flat treeview over s's arenas (s borrowed), by base address. */
struct treeview *arenaview_new(struct pipeline *s);
/* Draws the sentences from row y (at most max rows); returns rows used. */
int arenaview_header(const struct pipeline *s, int y, int width, int max);

/* The sentences, for the header and the tests: where the cap comes from
 * ("set by MALLOC_ARENA_MAX=2", "glibc's default, 8 x 2 online CPUs..."),
 * written into buf; and why t has no arena (static storage). */
void arenaview_cap(const struct maptree *t, char *buf, size_t size);
const char *arenaview_why_none(const struct maptree *t);

#endif
