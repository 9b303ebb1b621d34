/* help: the help screen (F1, ?, h), built from the key table (keys.h):
 * one section per view, each listing every key that view knows, so that
 * the help always agrees with the dispatchers. */
#ifndef VMTOP_HELP_H
#define VMTOP_HELP_H

#include <stdbool.h>

#include "vmtop/keys.h"

/* Opens the help at the section of view (the one it was asked from). */
void help_open(enum keys_view view);
/* Draws the help over the whole screen. */
void help_draw(void);
/* Handles a key (screen code).  Returns false when the help closes:
 * any key but the ones that scroll it. */
bool help_key(int key);

#endif
