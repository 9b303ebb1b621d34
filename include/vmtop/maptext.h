/* maptext: a maptree as indented text for batch mode: categories, groups
 * (and, on request, regions) with human sizes, then the insights.
 * Every name that comes from the system is made printable first. */
#ifndef VMTOP_MAPTEXT_H
#define VMTOP_MAPTEXT_H

#include "vmtop/maptree.h"
#include "vmtop/strbuf.h"

enum maptext_flags {
	MAPTEXT_REGIONS = 1u << 0,  /* list every region under its group */
};

/* Appends the tree, one node per line, each line ending in '\n'. */
void maptext_write(struct strbuf *sb, const struct maptree *t,
		   unsigned flags);

#endif
