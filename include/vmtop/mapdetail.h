/* mapdetail: the detail pane of the map view — everything known about
 * the region under the cursor (range, perms, offset, device, inode,
 * every smaps counter, VmFlags spelled out, kind, tags, the classifier's
 * reason, and for an arena heap its heap_info), or the totals of a group
 * or category — and the text flow the map panes share for sentences. */
#ifndef VMTOP_MAPDETAIL_H
#define VMTOP_MAPDETAIL_H

#include <stdbool.h>

#include "vmtop/pipeline.h"
#include "vmtop/screen.h"
#include "vmtop/treeview.h"

/* Draws the detail of it (an item of the map pane, or NULL) in rows
 * y..y+height-1, width wide; lines that do not fit are left out. */
void mapdetail_draw(const struct pipeline *s, const struct treeview_item *it,
		    int y, int height, int width);

/* Draws text (raw: made printable here) from row y, wrapped at spaces
 * to width columns, in at most max rows.  Returns the rows used. */
int mapdetail_wrap(int y, int width, int max, const char *text,
		   enum screen_role role);
/* Same, with the rows after the first indented by indent columns.  When
 * text needs more than max rows, the last row ends with " ..." (never a
 * silent cut). */
int mapdetail_wrap_indent(int y, int width, int max, const char *text,
			  enum screen_role role, int indent);
/* Same; *more (if not NULL) gets whether text needed more than max rows. */
int mapdetail_wrap_cut(int y, int width, int max, const char *text,
		       enum screen_role role, int indent, bool *more);
/* Wraps text as mapdetail_wrap_indent() would, drawing nothing: calls fn
 * (if not NULL) with each row's printable text and its column, and
 * returns the number of rows. */
int mapdetail_wrap_each(int width, const char *text, int indent,
			void (*fn)(const char *line, int x, void *arg),
			void *arg);

/* What a VmFlags code means ("rd" -> "readable"), or NULL if unknown. */
const char *mapdetail_vmflag(const char *code);

#endif
