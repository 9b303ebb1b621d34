/* batch: the non-interactive program (-b): one text or JSON report per
 * refresh on standard output, flushed each time. */
#ifndef VMTOP_BATCH_H
#define VMTOP_BATCH_H

#include "vmtop/cli.h"

/* Runs until -n refreshes were printed (forever without -n) or standard
 * output is closed.  Returns the exit status: 0, or 1 with a message on
 * stderr (for example when none of the -p PIDs exists). */
int batch_run(const struct cli_opts *o);

#endif
