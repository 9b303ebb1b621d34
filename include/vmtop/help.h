/* help: the help screen (F1, ?, h), built from the key binding table so
 * that it always lists every key the dispatcher knows. */
#ifndef VMTOP_HELP_H
#define VMTOP_HELP_H

#include <stdbool.h>

/* Resets the scroll position; call when the screen opens. */
void help_open(void);
/* Draws the help over the whole screen. */
void help_draw(void);
/* Handles a key (screen code).  Returns false when the help closes:
 * any key but the ones that scroll it. */
bool help_key(int key);

#endif
