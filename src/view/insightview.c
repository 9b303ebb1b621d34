/* insightview: every insight in full, one treeview row per wrapped line. */
#include "config.h"

#include "vmtop/insightview.h"

#include <stdio.h>
#include <string.h>

#include "vmtop/mapdetail.h"
#include "vmtop/screen.h"
#include "vmtop/strbuf.h"

struct insightview_build {
	struct treeview *tv;
	uint64_t tag;
};

static void insightview_line(const char *line, int x, void *arg)
{
	struct insightview_build *b = arg;
	char buf[1100];

	snprintf(buf, sizeof(buf), "%*s%s", x, "", line);
	treeview_add(b->tv, 0, ++b->tag, buf, NULL);
}

static void insightview_build(struct treeview *tv, void *arg)
{
	const struct maptree *t = pipeline_tree(arg);
	struct insightview_build b = { tv, 0 };
	struct strbuf sb = STRBUF_INIT;

	if (!t)
		return;
	strbuf_init(&sb, 256);
	for (size_t k = 0; k < t->ninsights; k++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu. ", k + 1);
		strbuf_addstr(&sb, t->insights[k].text);
		/* the row's width: the whole screen, less a cell of margin */
		mapdetail_wrap_each(COLS - 1, sb.buf, 3, insightview_line, &b);
	}
	strbuf_release(&sb);
}

struct treeview *insightview_new(struct pipeline *s)
{
	/* rows in the order they are added: the sentences', largest
	 * first */
	return treeview_new_lines("INSIGHTS, LARGEST FIRST",
				  insightview_build, s);
}

int insightview_header(const struct pipeline *s, int y, int width, int max)
{
	const struct maptree *t = pipeline_tree(s);
	char line[256];

	if (!t)
		return 0;
	snprintf(line, sizeof(line),
		 "%zu insight%s: the largest causes of VSZ, each with the "
		 "knob that would change it.  Words: reserved = PROT_NONE "
		 "address space; committed = the rest of VSZ; resident = RSS.",
		 t->ninsights, t->ninsights == 1 ? "" : "s");
	return mapdetail_wrap(y, width, max, line, SCREEN_STATUS);
}
