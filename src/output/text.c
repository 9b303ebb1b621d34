/* text: the batch text output of the process list (like top -b). */
#include "config.h"

#include "vmtop/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vmtop/fmt.h"

void text_list_header(struct strbuf *sb, double time, double delay,
		      size_t shown, size_t total, const struct hostinfo *host)
{
	char tbuf[32], a[16], b[16], c[16];
	time_t t = (time_t)time;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	strbuf_addf(sb, "vmtop - %s  processes: %zu shown, %zu total  "
			"refresh %gs\n",
		    tbuf, shown, total, delay);
	if (host->mem_total_kib == 0) {	/* meminfo not readable */
		strbuf_addstr(sb, "Mem: unknown  Swap: unknown\n");
		return;
	}
	strbuf_addf(sb, "Mem: %s total, %s available  Swap: %s total\n",
		    fmt_kib(a, sizeof(a), host->mem_total_kib),
		    fmt_kib(b, sizeof(b), host->mem_available_kib),
		    fmt_kib(c, sizeof(c), host->swap_total_kib));
}

/* A memory column's cell: sizes as the list writes them, counts as
 * numbers, "-" when not read. */
static const char *mem_cell(char *buf, size_t size, const struct proc_row *r,
			    enum proc_mem m)
{
	uint64_t v = r->mem[m];

	if (v == PROC_MEM_UNKNOWN)
		snprintf(buf, size, "-");
	else if (m == PROC_MEM_MAPS || m == PROC_MEM_ARENAS)
		snprintf(buf, size, "%llu", (unsigned long long)v);
	else
		fmt_kib(buf, size, v);
	return buf;
}

static void row_line(struct strbuf *sb, const struct proc_row *r,
		     bool full_cmdline, int depth, const enum proc_mem *mem,
		     size_t nmem)
{
	char virt[16], res[16], swap[16], cpu[16];
	const char *cmd = full_cmdline && r->cmdline && *r->cmdline ?
				  r->cmdline : r->comm;

	if (r->cpu_pct < 0)
		snprintf(cpu, sizeof(cpu), "-");
	else
		snprintf(cpu, sizeof(cpu), "%.1f", r->cpu_pct);
	if (r->swap_known)
		fmt_kib(swap, sizeof(swap), r->swap_kib);
	else
		snprintf(swap, sizeof(swap), "?");
	strbuf_addf(sb, "%7d ", (int)r->pid);
	/* the user name comes from the system: printable, cut at 9
	 * columns (never inside a character) and padded by width */
	size_t at = sb->len;
	fmt_printable_str(sb, r->user);
	fmt_cut(sb, at, 9);
	fmt_pad(sb, at, 10);
	strbuf_addf(sb, "%4d %7s %7s %7s %5s %c%c ", r->threads,
		    fmt_kib(virt, sizeof(virt), r->vsz_kib),
		    fmt_kib(res, sizeof(res), r->rss_kib), swap, cpu,
		    r->state, r->access == PROC_ACCESS_FULL ? ' ' : '!');
	for (size_t i = 0; i < nmem; i++) {
		char cell[24];

		strbuf_addf(sb, "%7s ", mem_cell(cell, sizeof(cell), r,
						 mem[i]));
	}
	/* as ps --forest draws it */
	for (int d = 1; d < depth; d++)
		strbuf_addstr(sb, "    ");
	if (depth > 0)
		strbuf_addstr(sb, " \\_ ");
	fmt_printable_str(sb, cmd);
	if (cmd == r->cmdline && r->cmdline_truncated)
		strbuf_addstr(sb, PROCTABLE_CMDLINE_CUT);
	strbuf_addch(sb, '\n');
}

void text_list_rows_mem(struct strbuf *sb,
			const struct proc_row *const *rows, const int *depth,
			size_t n, bool full_cmdline, const enum proc_mem *mem,
			size_t nmem)
{
	strbuf_addstr(sb, "    PID USER       THR    VIRT     RES    SWAP  "
			  "CPU% S  ");
	for (size_t i = 0; i < nmem; i++)
		strbuf_addf(sb, "%7s ", proctable_mem_name(mem[i]));
	strbuf_addstr(sb, "COMMAND\n");
	for (size_t i = 0; i < n; i++)
		row_line(sb, rows[i], full_cmdline, depth ? depth[i] : 0,
			 mem, nmem);
}

void text_list_rows(struct strbuf *sb, const struct proc_row *const *rows,
		    size_t n, bool full_cmdline)
{
	text_list_rows_mem(sb, rows, NULL, n, full_cmdline, NULL, 0);
}

void text_list_rows_depth(struct strbuf *sb,
			  const struct proc_row *const *rows,
			  const int *depth, size_t n, bool full_cmdline)
{
	text_list_rows_mem(sb, rows, depth, n, full_cmdline, NULL, 0);
}
