/* threadview: one row per thread, from maptree.threads and the ticks the
 * sampler turned into CPU %. */
#include "config.h"

#include "vmtop/threadview.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/insights.h"
#include "vmtop/mapdetail.h"

enum { COL_TID, COL_STATE, COL_CPU, COL_SIZE, COL_GUARD, NCOLS };

static const struct treeview_column threadview_cols[NCOLS] = {
	[COL_TID] = { "TID", 8, false, false, "TID", 0 },
	[COL_STATE] = { "S", 1, true, false, "state", 3 },
	[COL_CPU] = { "CPU%", 5, false, true, "CPU%", 2 },
	[COL_SIZE] = { "STACK", 6, false, true, "stack size", 0 },
	[COL_GUARD] = { "GUARD", 5, false, true, "guard page size", 1 },
};

static void threadview_build(struct treeview *tv, void *arg)
{
	const struct pipeline *s = arg;
	const struct maptree *t = pipeline_tree(s);
	char name[256];

	for (size_t i = 0; t && i < t->nthreads; i++) {
		const struct maptree_thread *th = &t->threads[i];
		double cpu = pipeline_thread_cpu(s, th->tid);
		struct treeview_item *it;

		if (th->has_stack)
			snprintf(name, sizeof(name),
				 "%s  %012" PRIx64 "-%012" PRIx64,
				 th->name, th->stack_start, th->stack_end);
		else
			snprintf(name, sizeof(name), "%s  no stack: %s",
				 th->name, th->no_stack ? th->no_stack : "?");
		it = treeview_add(tv, 0, (uint64_t)th->tid + 1, name, th);
		it->num[COL_TID] = (uint64_t)th->tid;
		it->num[COL_STATE] = (unsigned char)th->state;
		it->num[COL_CPU] = cpu < 0 ? 0 : (uint64_t)(cpu * 100 + 1);
		it->num[COL_SIZE] = th->has_stack ?
			(th->stack_end - th->stack_start) / 1024 : 0;
		it->num[COL_GUARD] = th->guard_kib;
	}
}

static void threadview_cell(const struct treeview_item *it, int col,
			    char *buf, size_t size, void *arg)
{
	const struct maptree_thread *th = it->data;

	(void)arg;
	switch (col) {
	case COL_TID: snprintf(buf, size, "%d", (int)th->tid); break;
	case COL_STATE: snprintf(buf, size, "%c", th->state); break;
	case COL_CPU:
		if (it->num[COL_CPU] == 0)
			snprintf(buf, size, "-");
		else
			snprintf(buf, size, "%.1f",
				 (double)(it->num[COL_CPU] - 1) / 100.0);
		break;
	case COL_SIZE:
	case COL_GUARD:
		if (!th->has_stack)
			snprintf(buf, size, "-");
		else
			fmt_kib(buf, size, it->num[col]);
		break;
	default: buf[0] = '\0'; break;
	}
}

struct treeview *threadview_new(struct pipeline *s)
{
	struct treeview *tv = treeview_new(threadview_cols, NCOLS,
					   "NAME  ADDRESSES", COL_TID, false,
					   threadview_build, threadview_cell,
					   s);

	/* one level: no fold markers, so names sit under their title */
	treeview_set_flat(tv, true);
	/* the name and the stack's range before S, CPU% and GUARD */
	treeview_set_min_name(tv, 28);
	return tv;
}

int threadview_header(const struct pipeline *s, int y, int width, int max)
{
	const struct maptree *t = pipeline_tree(s);
	uint64_t kib = 0;
	size_t known = 0;
	char line[256], sz[32];

	if (!t)
		return 0;
	for (size_t i = 0; i < t->nthreads; i++) {
		if (!t->threads[i].has_stack)
			continue;
		known++;
		kib += (t->threads[i].stack_end - t->threads[i].stack_start) /
		       1024;
	}
	snprintf(line, sizeof(line),
		 "Threads: %zu; %zu with a known stack, %s of stacks in all. "
		 "CPU%% is measured between the last two refreshes.",
		 t->nthreads, known,
		 fmt_size(sz, sizeof(sz), kib, FMT_SIZE_WORDS));
	return mapdetail_wrap(y, width, max, line, SCREEN_STATUS);
}
