/* tui: the interactive ncurses program (src/view/tui.c).
 *
 * Runs until the user quits or -n refreshes have been shown.  Restores the
 * terminal on every way out, signals included.  Returns the process exit
 * status: 0 on a normal quit, 1 on a runtime failure (message already on
 * stderr once the terminal is restored), 2 for an invalid PATTERN (the
 * same message as batch mode).  store gives the settings to start with
 * and how to save them when setup (F2) closes (borrowed). */
#ifndef VMTOP_TUI_H
#define VMTOP_TUI_H

#include "vmtop/cli.h"
#include "vmtop/setup.h"

int tui_run(const struct cli_opts *o, const struct setup_store *store);

#endif
