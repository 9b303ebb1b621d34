/* compareout: a compare as batch text and as JSON (compareout.h). */
#include "config.h"

#include "vmtop/compareout.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/json.h"

/* The cause column, in terminal columns. */
#define COMPAREOUT_NAME 40

const char *compareout_label(const struct compare_row *r)
{
	const char *noun;

	if (r->parent)
		return r->name[0] ? r->name : "(no name)";
	noun = compare_kind_noun(r->kind, 2);
	return noun ? noun : compare_kind_words(r->kind);
}

static void compareout_kib(struct strbuf *sb, uint64_t kib)
{
	char buf[16];

	strbuf_addf(sb, " %6s", kib == VMMAP_UNKNOWN ? "-" :
				fmt_kib(buf, sizeof(buf), kib));
}

static void compareout_diff(struct strbuf *sb, int64_t d)
{
	char s[20];

	strbuf_addf(sb, " %7s", fmt_kib_signed(s, sizeof(s), d));
}

static void compareout_line(struct strbuf *sb, const struct compare *c,
			    const char *name, int indent,
			    const struct compare_cell *cells, int64_t diff)
{
	size_t before = sb->len, at;
	int room = COMPAREOUT_NAME - 1 - indent, w;

	strbuf_addf(sb, "%*s", indent, "");
	at = sb->len;
	fmt_printable_str(sb, name);
	w = fmt_width(sb->buf + at, sb->len - at);
	if (w > room) {
		/* a path keeps its end, the file's name */
		size_t skip = at;

		while (skip < sb->len && w > room - 3) {
			size_t n = fmt_utf8_len(
				(const unsigned char *)sb->buf + skip,
				sb->len - skip);

			n = n ? n : 1;
			w -= fmt_width(sb->buf + skip, n);
			skip += n;
		}
		memmove(sb->buf + at + 3, sb->buf + skip, sb->len - skip);
		memcpy(sb->buf + at, "...", 3);
		sb->len = at + 3 + (sb->len - skip);
		sb->buf[sb->len] = '\0';
	}
	fmt_pad(sb, before, COMPAREOUT_NAME);
	for (size_t i = 0; i < c->n; i++) {
		strbuf_addf(sb, " %3u", cells[i].count);
		compareout_kib(sb, cells[i].vsz_kib);
		compareout_kib(sb, cells[i].rss_kib);
	}
	compareout_diff(sb, diff);
	strbuf_addch(sb, '\n');
}

void compareout_text(struct strbuf *sb, const struct compare *c,
		     const pid_t *pids)
{
	size_t before;
	int64_t diff = 0;

	strbuf_addstr(sb, "\n== compare ==\n");
	for (size_t i = 0; i < c->n; i++) {
		strbuf_addf(sb, "%zu: %d ", i + 1, (int)pids[i]);
		fmt_printable_str(sb, c->names[i]);
		strbuf_addch(sb, '\n');
	}
	fmt_printable_str(sb, c->summary);
	strbuf_addch(sb, '\n');
	before = sb->len;
	strbuf_addstr(sb, "CAUSE");
	fmt_pad(sb, before, COMPAREOUT_NAME);
	for (size_t i = 0; i < c->n; i++)
		strbuf_addf(sb, " %2s%zu %5s%zu %5s%zu", "N", i + 1, "VSZ",
			    i + 1, "RSS", i + 1);
	strbuf_addf(sb, " %7s\n", "DIFF");
	for (size_t i = 1; i < c->n; i++)
		if (llabs(c->totals[i].diff_kib) > llabs(diff))
			diff = c->totals[i].diff_kib;
	compareout_line(sb, c, "total", 0, c->totals, diff);
	for (size_t r = 0; r < c->nrows; r++) {
		const struct compare_row *row = &c->rows[r];

		compareout_line(sb, c, compareout_label(row),
				row->parent ? 2 : 0, row->cells,
				row->diff_kib);
	}
}

static void compareout_json_cell(struct strbuf *sb,
				 const struct compare_cell *cell)
{
	strbuf_addstr(sb, "{\"present\":");
	json_bool(sb, cell->present);
	strbuf_addf(sb, ",\"count\":%u,\"regions\":%zu,\"vsz_kib\":%" PRIu64
		    ",\"reserved_kib\":%" PRIu64 ",\"rss_kib\":",
		    cell->count, cell->regions, cell->vsz_kib,
		    cell->reserved_kib);
	json_u64(sb, cell->rss_kib);
	strbuf_addf(sb, ",\"diff_kib\":%" PRId64 "}", cell->diff_kib);
}

static void compareout_json_row(struct strbuf *sb, const struct compare *c,
				const struct compare_row *row)
{
	strbuf_addstr(sb, "{\"kind\":");
	json_str(sb, maptree_kind_name(row->kind));
	strbuf_addstr(sb, ",\"group\":");
	json_str(sb, row->parent ? row->name : NULL);
	strbuf_addf(sb, ",\"merged\":%s,\"diff_kib\":%" PRId64 ",\"cells\":[",
		    !row->parent && compare_kind_merged(row->kind) ? "true" :
								       "false",
		    row->diff_kib);
	for (size_t i = 0; i < c->n; i++) {
		if (i)
			strbuf_addch(sb, ',');
		compareout_json_cell(sb, &row->cells[i]);
	}
	strbuf_addstr(sb, "]}");
}

void compareout_json(struct strbuf *sb, const struct compare *c,
		     const pid_t *pids)
{
	strbuf_addstr(sb, "{\"processes\":[");
	for (size_t i = 0; i < c->n; i++) {
		const struct compare_cell *t = &c->totals[i];

		strbuf_addf(sb, "%s{\"pid\":%d,\"name\":", i ? "," : "",
			    (int)pids[i]);
		json_str(sb, c->names[i]);
		strbuf_addf(sb, ",\"vsz_kib\":%" PRIu64 ",\"reserved_kib\":%"
			    PRIu64 ",\"rss_kib\":", t->vsz_kib,
			    t->reserved_kib);
		json_u64(sb, t->rss_kib);
		strbuf_addf(sb, ",\"diff_kib\":%" PRId64 "}", t->diff_kib);
	}
	strbuf_addstr(sb, "],\"summary\":");
	json_str(sb, c->summary);
	strbuf_addstr(sb, ",\"rows\":[");
	for (size_t r = 0; r < c->nrows; r++) {
		if (r)
			strbuf_addch(sb, ',');
		compareout_json_row(sb, c, &c->rows[r]);
	}
	strbuf_addstr(sb, "]}");
}
