/* Unit tests of the OpenMetrics / Prometheus writer (openmetrics.c):
 * escaping of hostile group names, both formats' headers and ending,
 * counters' _total, and sums over a group checked against the regions
 * of the hand-built layouts (not against the tree's own totals). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/maptree.h"
#include "vmtop/openmetrics.h"
#include "vmtop/strbuf.h"

static void is_label(const char *s, const char *want, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	openmetrics_label_value(&sb, s);
	tap_is_str(sb.buf, want, name);
	strbuf_release(&sb);
}

static void test_escaping(void)
{
	is_label("nginx", "\"nginx\"", "plain name kept");
	is_label("a\"b", "\"a\\\"b\"", "double quote escaped");
	is_label("a\\b", "\"a\\\\b\"", "backslash escaped");
	is_label("a\nb", "\"a\\nb\"", "newline escaped");
	is_label("x\"} 1\ny{", "\"x\\\"} 1\\ny{\"",
		 "a name forging a sample stays one label value");
	is_label("caf\xc3\xa9", "\"caf\xc3\xa9\"", "UTF-8 kept");
	is_label("a\xff" "b", "\"a\\\\xffb\"",
		 "a byte that is not UTF-8 becomes \\xNN");
	is_label("\xc3", "\"\\\\xc3\"", "a cut UTF-8 sequence too");
	is_label("", "\"\"", "empty name");
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p && *p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || !p[n]))
			return true;
	}
	return false;
}

static size_t count_prefix(const char *text, const char *prefix)
{
	size_t n = 0, len = strlen(prefix);

	for (const char *p = text; *p;) {
		if (strncmp(p, prefix, len) == 0)
			n++;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return n;
}

static void test_headers(void)
{
	struct strbuf sb = STRBUF_INIT;

	openmetrics_family(&sb, OPENMETRICS_OPENMETRICS, "vmtop_x_bytes",
			   "gauge", "bytes", "Help.");
	openmetrics_family(&sb, OPENMETRICS_OPENMETRICS, "vmtop_n", "counter",
			   NULL, "Count.");
	openmetrics_eof(&sb, OPENMETRICS_OPENMETRICS);
	tap_is_str(sb.buf,
		   "# HELP vmtop_x_bytes Help.\n"
		   "# TYPE vmtop_x_bytes gauge\n"
		   "# UNIT vmtop_x_bytes bytes\n"
		   "# HELP vmtop_n Count.\n"
		   "# TYPE vmtop_n counter\n"
		   "# EOF\n",
		   "OpenMetrics: UNIT, counter family without _total, EOF");
	strbuf_reset(&sb);
	openmetrics_family(&sb, OPENMETRICS_PROMETHEUS, "vmtop_x_bytes",
			   "gauge", "bytes", "Help.");
	openmetrics_family(&sb, OPENMETRICS_PROMETHEUS, "vmtop_n", "counter",
			   NULL, "Count.");
	openmetrics_family(&sb, OPENMETRICS_PROMETHEUS, "vmtop_rt", "info",
			   NULL, "Info.");
	openmetrics_eof(&sb, OPENMETRICS_PROMETHEUS);
	tap_is_str(sb.buf,
		   "# HELP vmtop_x_bytes Help.\n"
		   "# TYPE vmtop_x_bytes gauge\n"
		   "# HELP vmtop_n_total Count.\n"
		   "# TYPE vmtop_n_total counter\n"
		   "# HELP vmtop_rt_info Info.\n"
		   "# TYPE vmtop_rt_info gauge\n",
		   "Prometheus: no UNIT, counter named _total, info a gauge, "
		   "no EOF");
	strbuf_release(&sb);
}

/* The sum of vsz and rss over m's regions of kind k, in bytes. */
static void region_sums(const struct vmmap *m, enum region_kind k,
			uint64_t *vsz, uint64_t *rss)
{
	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (r->kind != k || !maptree_counts(r))
			continue;
		*vsz += r->end - r->start;
		*rss += (uint64_t)r->rss_kib * 1024;
	}
}

static void test_report(void)
{
	struct vmmap *a = vmmapfix_c_program(), *b = vmmapfix_c_program();
	struct vmmap *c = vmmapfix_four_arenas();
	struct maptree *ta, *tb, *tc;
	struct proc_row ra = { .pid = 100, .comm = "srv\"\n" };
	struct proc_row rb = { .pid = 101, .comm = "srv\"\n" };
	struct proc_row rc = { .pid = 102, .comm = "other" };
	struct openmetrics_report r;
	struct strbuf sb = STRBUF_INIT;
	uint64_t vsz = 0, rss = 0;
	char want[256];

	vmmapfix_classify(a);
	vmmapfix_classify(b);
	vmmapfix_classify(c);
	ta = maptree_build(a);
	tb = maptree_build(b);
	tc = maptree_build(c);
	openmetrics_init(&r, false);
	openmetrics_add(&r, &ra, ta, 1.5);
	openmetrics_add(&r, &rb, tb, 0.5);
	openmetrics_add(&r, &rc, tc, 0);
	r.smaps_reads = 7;
	openmetrics_write(&sb, &r, OPENMETRICS_OPENMETRICS, 1.0);

	tap_is_int((long long)r.ngroups, 2, "two groups from three processes");
	tap_ok(has_line(sb.buf, "vmtop_processes{group=\"srv\\\"\\n\"} 2"),
	       "the hostile group has its two processes");
	region_sums(a, KIND_ARENA, &vsz, &rss);
	region_sums(b, KIND_ARENA, &vsz, &rss);
	snprintf(want, sizeof(want),
		 "vmtop_memory_bytes{group=\"srv\\\"\\n\",kind=\"arena\","
		 "measure=\"virtual\"} %" PRIu64, vsz);
	tap_ok(has_line(sb.buf, want), "arena virtual bytes summed: %s",
	       want);
	snprintf(want, sizeof(want),
		 "vmtop_memory_bytes{group=\"srv\\\"\\n\",kind=\"arena\","
		 "measure=\"resident\"} %" PRIu64, rss);
	tap_ok(has_line(sb.buf, want), "arena resident bytes summed: %s",
	       want);
	snprintf(want, sizeof(want),
		 "vmtop_glibc_arenas{group=\"srv\\\"\\n\"} %u",
		 ta->arenas.count + tb->arenas.count);
	tap_ok(has_line(sb.buf, want), "arenas summed: %s", want);
	tap_ok(has_line(sb.buf, "vmtop_tree_age_seconds{group=\"srv\\\"\\n\"} "
				"2.500"),
	       "age: the oldest in the group plus the time since");
	tap_ok(has_line(sb.buf, "vmtop_smaps_reads_total 7"),
	       "counter sample ends in _total");
	tap_ok(has_line(sb.buf, "# UNIT vmtop_memory_bytes bytes"),
	       "UNIT of a byte family");
	tap_ok(has_line(sb.buf, "# TYPE vmtop_runtime_info gauge"),
	       "runtime info is a gauge (value 1)");
	tap_ok(count_prefix(sb.buf, "vmtop_runtime_info{group=\"other\","
				    "language=") == 1,
	       "one runtime sample for a group of one");
	tap_ok(count_prefix(sb.buf, "# HELP ") == count_prefix(sb.buf,
								"# TYPE "),
	       "every family has HELP and TYPE");
	tap_ok(count_prefix(sb.buf, "# HELP ") == 11, "eleven families");
	tap_ok(sb.len > 6 && strcmp(sb.buf + sb.len - 6, "# EOF\n") == 0,
	       "OpenMetrics ends with # EOF");
	tap_ok(!strstr(sb.buf, "path="), "no path label");

	strbuf_reset(&sb);
	openmetrics_write(&sb, &r, OPENMETRICS_PROMETHEUS, 0);
	tap_ok(!strstr(sb.buf, "# EOF") && !strstr(sb.buf, "# UNIT"),
	       "Prometheus text: no EOF, no UNIT");
	tap_ok(has_line(sb.buf, "# TYPE vmtop_smaps_reads_total counter"),
	       "Prometheus text: counter TYPE names the sample");
	openmetrics_release(&r);

	openmetrics_init(&r, true);
	openmetrics_add(&r, &ra, ta, 0);
	openmetrics_add(&r, &rb, tb, 0);
	strbuf_reset(&sb);
	openmetrics_write(&sb, &r, OPENMETRICS_PROMETHEUS, 0);
	tap_ok(has_line(sb.buf,
			"vmtop_processes{group=\"srv\\\"\\n\",pid=\"101\"} 1"),
	       "per PID: a group per process, with a pid label");
	openmetrics_release(&r);

	strbuf_release(&sb);
	maptree_free(ta);
	maptree_free(tb);
	maptree_free(tc);
	vmmap_free(a);
	vmmap_free(b);
	vmmap_free(c);
}

int main(void)
{
	test_escaping();
	test_headers();
	test_report();
	return tap_done();
}
