/* text: the batch text output of the process list (like top -b). */
#ifndef VMTOP_TEXT_H
#define VMTOP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "vmtop/hostinfo.h"
#include "vmtop/proctable.h"
#include "vmtop/strbuf.h"

/* The two header lines of one refresh: time, counts, memory. */
void text_list_header(struct strbuf *sb, double time, double delay,
		      size_t shown, size_t total, const struct hostinfo *host);
/* The column titles and one line per row; names are made printable, the
 * command is the full command line when full_cmdline and it was read,
 * followed by PROCTABLE_CMDLINE_CUT when it was cut. */
void text_list_rows(struct strbuf *sb, const struct proc_row *const *rows,
		    size_t n, bool full_cmdline);
/* The same, each command indented by depth[i] as ps --forest does it
 * ("    " per level past the first, then " \_ "); depth may be NULL. */
void text_list_rows_depth(struct strbuf *sb,
			  const struct proc_row *const *rows,
			  const int *depth, size_t n, bool full_cmdline);
/* The same with depth (may be NULL) and the memory columns
 * mem[0..nmem) (--columns) after S and before COMMAND, titled by their
 * names; "-" where not read. */
void text_list_rows_mem(struct strbuf *sb,
			const struct proc_row *const *rows, const int *depth,
			size_t n, bool full_cmdline, const enum proc_mem *mem,
			size_t nmem);

#endif
