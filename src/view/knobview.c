/* knobview: the knobs in effect, one treeview row per wrapped line of
 * knobtext_write()'s text. */
#include "config.h"

#include "vmtop/knobview.h"

#include <stdio.h>
#include <string.h>

#include "vmtop/knobtext.h"
#include "vmtop/mapdetail.h"
#include "vmtop/screen.h"
#include "vmtop/strbuf.h"

struct knobview_build {
	struct treeview *tv;
	uint64_t tag;
	int indent;
};

static void knobview_line(const char *line, int x, void *arg)
{
	struct knobview_build *b = arg;
	char buf[1100];

	snprintf(buf, sizeof(buf), "%*s%s", x + b->indent, "", line);
	treeview_add(b->tv, 0, ++b->tag, buf, NULL);
}

static void knobview_build(struct treeview *tv, void *arg)
{
	struct knobview_build b = { tv, 0, 0 };
	struct strbuf sb = STRBUF_INIT;
	struct knobs k;
	char why[640];
	const char *p;

	if (pipeline_knobs(arg, &k, why, sizeof(why)) < 0) {
		knobs_release(&k);
		return;
	}
	strbuf_init(&sb, 1024);
	knobtext_write(&sb, &k, why);
	knobs_release(&k);
	/* each line wrapped to the screen, its continuation rows under
	 * its text (already printable: the wrap makes it so again) */
	for (p = sb.buf; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[1100];
		size_t lead = strspn(p, " ");

		snprintf(line, sizeof(line), "%.*s", (int)(n - lead), p + lead);
		b.indent = (int)lead;
		mapdetail_wrap_each(COLS - 1 - (int)lead, line, 2,
				    knobview_line, &b);
		p += n + (nl ? 1 : 0);
	}
	strbuf_release(&sb);
}

struct treeview *knobview_new(struct pipeline *s)
{
	/* rows in the order they are added: the table's order */
	return treeview_new_lines("KNOBS IN EFFECT", knobview_build, s);
}

int knobview_header(const struct pipeline *s, int y, int width, int max)
{
	(void)s;
	return mapdetail_wrap(y, width, max,
			      "What the process runs with that changes its "
			      "VSZ and RSS: allocator and runtime variables, "
			      "memory flags, limits.  The rest of its "
			      "environment is never shown.", SCREEN_STATUS);
}
