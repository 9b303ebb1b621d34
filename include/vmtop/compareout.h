/* compareout: a compare (compare.h) as text for batch mode and as the
 * "compare" object of the vmtop/1 JSON document.
 *
 * Text: the processes, the summary in words, then one line per row:
 *
 *   CAUSE                              N1   VSZ1   RSS1  N2   VSZ2 ...  DIFF
 *   glibc malloc arenas                 0      0      0   4   256M ... +256M
 *
 * Every name that comes from the system is made printable first. */
#ifndef VMTOP_COMPAREOUT_H
#define VMTOP_COMPAREOUT_H

#include <sys/types.h>

#include "vmtop/compare.h"
#include "vmtop/strbuf.h"

/* The label of row r of c: "thread stacks", a library's path... (raw,
 * static or c's storage). */
const char *compareout_label(const struct compare_row *r);

/* Appends the table; pids[0..c->n) name the processes. */
void compareout_text(struct strbuf *sb, const struct compare *c,
		     const pid_t *pids);

/* Appends the "compare" object (the value only, no key). */
void compareout_json(struct strbuf *sb, const struct compare *c,
		     const pid_t *pids);

#endif
