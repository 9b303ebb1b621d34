/* test_snapshot: the snapshot source against the writer it reads.
 *
 * Each hand-built process (tests/lib/vmmapfix) is classified, written as
 * `vmtop -J -m` writes it, loaded back through the source and written
 * again: the two lines must be the same bytes (the tree, its arenas,
 * threads, resolver, runtime and insights rebuilt from the file are the
 * ones that were saved).  Then stepping through refreshes, the layout
 * written before groups' "nregions", --diff's lookup, and malformed
 * lines, each refused with a reason. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/json.h"
#include "vmtop/knobtext.h"
#include "vmtop/mapjson.h"
#include "vmtop/maptree.h"
#include "vmtop/pipeline.h"
#include "vmtop/snapshot.h"
#include "vmtop/strbuf.h"

/* A path with an escape, a newline and a byte that is not UTF-8. */
#define NASTY "/tmp/we\x1b[31mird\n\xff.dat"

static const struct hostinfo host = {
	.cpus = 4, .page_size = 4096, .mem_total_kib = 16 << 20,
	.mem_available_kib = 8 << 20, .swap_total_kib = 0,
};

static struct proc_row row_of(const struct vmmap *m, const char *comm)
{
	struct proc_row r = {
		.pid = m->pid, .ppid = 1, .uid = 1000, .user = "alice",
		.comm = comm, .cmdline = "prog --flag", .state = 'S',
		.threads = (int)m->nthreads,
		.vsz_kib = (unsigned long)m->status_vmsize_kib,
		.rss_kib = 1234, .swap_known = true, .cpu_pct = 1.5,
	};
	return r;
}

/* The line -J -m writes for the process of t (row r) at time. */
static void line_of(struct strbuf *sb, double time, const struct proc_row *r,
		    const struct maptree *t)
{
	json_document_open(sb, time, &host);
	json_process_open(sb, r);
	strbuf_addstr(sb, ",\"maps\":");
	mapjson_write(sb, t);
	strbuf_addch(sb, '}');
	json_document_close(sb);
}

static char *tmp_file(const char *text, size_t len)
{
	char *path = strdup("/tmp/vmtop-test-snapshot-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		abort();
	close(fd);
	return path;
}

/* Loads the file and writes its last refresh's process pid again. */
static int reload(const char *path, pid_t pid, struct strbuf *out,
		  char *err, size_t errsize)
{
	struct source *src;
	struct vmmap *m;
	struct maptree *t;
	const struct proc_row *rows;
	struct source_moment mo;
	size_t n;
	int rc = snapshot_open(path, &src, err, errsize);

	if (rc < 0)
		return rc;
	source_list(src, NULL, 0, 0);
	rows = source_rows(src, &n);
	source_moment(src, &mo);
	rc = n == 1 && rows[0].pid == pid ? source_read(src, pid, 0, NULL, &m)
					    : -ESRCH;
	if (rc == 0) {
		t = maptree_build(m); /* classified as saved */
		line_of(out, mo.time, &rows[0], t);
		maptree_free(t);
		vmmap_free(m);
	}
	source_free(src);
	return rc;
}

static void test_roundtrip_after(const char *what, struct vmmap *m,
				 const char *comm, const char *must,
				 void (*after)(struct vmmap *m))
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct proc_row r;
	struct maptree *t;
	char err[256] = "", *path;
	int rc;

	vmmapfix_classify(m);
	if (after)
		after(m);
	t = maptree_build(m);
	r = row_of(m, comm);
	line_of(&a, 1764150000.5, &r, t);
	if (must)
		tap_ok(strstr(a.buf, must) != NULL, "%s: it holds %s", what,
		       must);
	path = tmp_file(a.buf, a.len);
	rc = reload(path, m->pid, &b, err, sizeof(err));
	tap_is_int(rc, 0, what);
	if (rc)
		tap_diag("%s", err);
	tap_ok(a.len == b.len && !memcmp(a.buf, b.buf, a.len),
	       "%s: written again, the same %zu bytes", what, a.len);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len)) {
		size_t k = 0;

		while (k < a.len && k < b.len && a.buf[k] == b.buf[k])
			k++;
		tap_diag("differ at %zu: %.80s | %.80s", k, a.buf + k,
			 b.buf + k);
	}
	unlink(path);
	free(path);
	maptree_free(t);
	vmmap_free(m);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_roundtrip(const char *what, struct vmmap *m,
			   const char *comm, const char *must)
{
	test_roundtrip_after(what, m, comm, must, NULL);
}

/* After classification: an anonymous region as CPython's pymalloc
 * arenas, 3 of them counted by their pool headers. */
static void make_pymalloc(struct vmmap *m)
{
	for (size_t i = 0; i < m->nregions; i++) {
		if (m->regions[i].kind != KIND_ANON)
			continue;
		m->regions[i].kind = KIND_PYMALLOC;
		m->regions[i].group = "";
		m->rtprobes = calloc(1, sizeof(*m->rtprobes));
		m->rtprobes[0] = (struct rt_probe){
			.addr = m->regions[i].start, .kind = RTP_PYMALLOC,
			.v = { 40, 3, 1 << 20, 16 << 10 } };
		m->nrtprobes = 1;
		return;
	}
}

static struct vmmap *nasty_program(void)
{
	struct vmmap *m = vmmapfix_c_program();

	for (size_t i = 0; i < m->nregions; i++)
		if (!strcmp(m->regions[i].path, "/usr/lib/locale/locale-archive"))
			m->regions[i].path = vmmap_strdup(m, NASTY);
	return m;
}

/* A region with hugetlb pages, which Rss leaves out: its figure goes
 * with the region and comes back into the totals. */
static struct vmmap *hugetlb_program(void)
{
	struct vmmap *m = vmmapfix_c_program();
	struct region_hugetlb *h = vmmap_add_hugetlb(m);

	h->start = m->regions[m->nregions / 2].start;
	h->shared_kib = 2048;
	h->private_kib = 4096;
	return m;
}

/* Three refreshes of one process, then [ and ]. */
static void test_steps(void)
{
	struct vmmap *m = vmmapfix_four_arenas();
	struct strbuf sb = STRBUF_INIT;
	struct source_moment mo;
	struct source *src;
	struct maptree *t;
	struct proc_row r;
	char err[256] = "", *path;
	int rc;

	vmmapfix_classify(m);
	t = maptree_build(m);
	r = row_of(m, "four");
	for (int k = 0; k < 3; k++) {
		r.rss_kib = 100 + (unsigned long)k;
		line_of(&sb, 1000.0 + k, &r, t);
	}
	strbuf_addstr(&sb, "\n   \n"); /* blank lines are skipped */
	path = tmp_file(sb.buf, sb.len);
	rc = snapshot_open(path, &src, err, sizeof(err));
	tap_is_int(rc, 0, "three refreshes open");
	if (rc == 0) {
		const struct proc_row *rows;
		size_t n;

		source_moment(src, &mo);
		tap_ok(mo.count == 3 && mo.index == 2 && mo.time == 1002.0,
		       "at the last of 3 (%zu of %zu, %.1f)", mo.index,
		       mo.count, mo.time);
		tap_is_int(source_step(src, 1), -ERANGE, "] at the end");
		tap_is_int(source_step(src, -1), 1, "[ to the second");
		source_list(src, NULL, 0, 0);
		rows = source_rows(src, &n);
		tap_ok(n == 1 && rows[0].rss_kib == 101,
		       "its rows are the second's");
		tap_is_int(source_step(src, -5), 0, "[ clamps at the first");
		tap_is_int(source_step(src, -1), -ERANGE, "[ at the first");
		source_moment(src, &mo);
		tap_ok(mo.time == 1000.0, "the first's time");
		source_list(src, (pid_t[]){ 999 }, 1, 0);
		source_rows(src, &n);
		tap_is_int((long long)n, 0, "-p of an absent PID: no row");
		source_free(src);
	}
	unlink(path);
	free(path);
	maptree_free(t);
	vmmap_free(m);
	strbuf_release(&sb);
}

/* Groups had their count as a first "regions" key: still read. */
static void test_old_layout(void)
{
	struct vmmap *m = vmmapfix_c_program();
	struct strbuf a = STRBUF_INIT, old = STRBUF_INIT, b = STRBUF_INIT;
	struct maptree *t;
	struct proc_row r;
	char err[256] = "", *path;
	const char *p, *q;

	vmmapfix_classify(m);
	t = maptree_build(m);
	r = row_of(m, "old");
	line_of(&a, 5.0, &r, t);
	for (p = a.buf; (q = strstr(p, "\"nregions\":")); p = q + 11) {
		strbuf_add(&old, p, (size_t)(q - p));
		strbuf_addstr(&old, "\"regions\":");
	}
	strbuf_addstr(&old, p);
	path = tmp_file(old.buf, old.len);
	tap_is_int(reload(path, m->pid, &b, err, sizeof(err)), 0,
		   "a group with \"regions\" twice loads");
	tap_ok(a.len == b.len && !memcmp(a.buf, b.buf, a.len),
	       "and is the same tree");
	unlink(path);
	free(path);
	maptree_free(t);
	vmmap_free(m);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&old);
}

/* The line of the C program with from replaced by to (once). */
static void bad_line(struct strbuf *out, const char *from, const char *to)
{
	struct vmmap *m = vmmapfix_c_program();
	struct strbuf a = STRBUF_INIT;
	struct maptree *t;
	struct proc_row r;
	const char *p;

	vmmapfix_classify(m);
	t = maptree_build(m);
	r = row_of(m, "bad");
	line_of(&a, 1.0, &r, t);
	p = strstr(a.buf, from);
	strbuf_reset(out);
	if (!p) {
		strbuf_addstr(out, "(no match)");
	} else {
		strbuf_add(out, a.buf, (size_t)(p - a.buf));
		strbuf_addstr(out, to);
		strbuf_addstr(out, p + strlen(from));
	}
	maptree_free(t);
	vmmap_free(m);
	strbuf_release(&a);
}

static void test_bad(void)
{
	static const struct {
		const char *from, *to, *says;
		int rc;
	} cases[] = {
		{ "\"start\":\"0x", "\"start\":\"zz", "not an address",
		  -EINVAL },
		{ "\"perms\":\"r-xp\"", "\"perms\":\"r-x\"", "perms",
		  -EINVAL },
		{ "\"inode\":", "\"inode\":-1", "number", -EINVAL },
		{ "\"schema\":\"vmtop/1\"", "\"schema\":\"vmtop/7\"",
		  "newer", -EPROTONOSUPPORT },
		{ "\"schema\":\"vmtop/1\"", "\"schema\":\"other\"",
		  "unknown schema", -EPROTONOSUPPORT },
		{ "\"schema\":\"vmtop/1\",", "", "no \"schema\"", -EINVAL },
		{ "\"categories\":[", "\"categories\":[7,", "category",
		  -EINVAL },
		{ "\"processes\":[", "\"processes\":[[],", "not an object",
		  -EINVAL },
		{ "\"tid\":101", "\"tid\":\"x\"", "number", -EINVAL },
		{ "\"dev\":\"", "\"dev\":\"g", "device", -EINVAL },
		{ "}]}", "}", "not JSON", -EINVAL },
		{ "\"rss_kib\":1234", "\"rss_kib\":1234,\"knobs\":7",
		  "\"knobs\" is not an object", -EINVAL },
		{ "\"rss_kib\":1234", "\"rss_kib\":1234,\"knobs\":{"
		  "\"environ\":[{\"name\":\"GOGC\",\"value\":\"1\","
		  "\"from\":\"elsewhere\"}]}", "env, option or argv",
		  -EINVAL },
		{ "\"rss_kib\":1234", "\"rss_kib\":1234,\"knobs\":{"
		  "\"limits\":{\"as\":{\"soft\":-4}}}", "number",
		  -EINVAL },
		{ "\"pss_kib\":0", "\"pss_kib\":\"x\"",
		  "\"pss_kib\" is not a number", -EINVAL },
		{ "\"kthread\":false", "\"kthread\":1",
		  "\"kthread\" is not true or false", -EINVAL },
	};
	struct strbuf sb = STRBUF_INIT;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		bad_line(&sb, cases[i].from, cases[i].to);
		rc = snapshot_check_line(sb.buf, sb.len, err, sizeof(err));
		tap_ok(rc == cases[i].rc && strstr(err, cases[i].says),
		       "%s -> %s: %d, %s", cases[i].from, cases[i].to, rc,
		       err);
	}
	/* overlapping regions: a region moved into the one before */
	bad_line(&sb, "\"end\":\"0x", "\"end\":\"0xffff");
	tap_ok(snapshot_check_line(sb.buf, sb.len, err, sizeof(err)) ==
		       -EINVAL && strstr(err, "overlap"),
	       "overlapping regions: %s", err);
	tap_is_int(snapshot_check_line("", 0, err, sizeof(err)), -EINVAL,
		   "an empty line is not a refresh");
	tap_is_int(snapshot_check_line("{\"schema\":\"vmtop/1\"}", 20, err,
				       sizeof(err)), 0,
		   "a refresh without processes is one");
	strbuf_release(&sb);
}

/* One refresh of a process with its memory columns and knobs, loaded:
 * the row and the knobs write the same JSON and the same knobs text, the
 * effects the table's own sentences. */
static void knobs_case(const char *what, struct knobs *k,
		       const char *must_text)
{
	struct vmmap *m = vmmapfix_c_program();
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct strbuf ta = STRBUF_INIT, tb = STRBUF_INIT;
	struct maptree *t;
	struct proc_row r;
	struct source *src = NULL;
	struct knobs k2;
	char err[256] = "", *path;
	int rc;

	vmmapfix_classify(m);
	t = maptree_build(m);
	r = row_of(m, "knobby");
	for (int i = 0; i < PROC_MEM__COUNT; i++)
		r.mem[i] = i == PROC_MEM_FILE ? PROC_MEM_UNKNOWN :
						(uint64_t)(1000 + i);
	r.rollup_age = 2.5;
	r.maps_age = -1;
	r.kthread = false;
	json_document_open(&a, 7.0, &host);
	json_process_open(&a, &r);
	strbuf_addstr(&a, ",\"maps\":");
	mapjson_write(&a, t);
	strbuf_addstr(&a, ",\"knobs\":");
	knobtext_json(&a, k);
	strbuf_addch(&a, '}');
	json_document_close(&a);
	knobtext_write(&ta, k, NULL);
	path = tmp_file(a.buf, a.len);
	rc = snapshot_open(path, &src, err, sizeof(err));
	tap_ok(rc == 0, "%s: opens (%s)", what, err);
	if (rc == 0) {
		const struct proc_row *rows;
		size_t n;

		source_list(src, NULL, 0, 0);
		rows = source_rows(src, &n);
		rc = source_knobs(src, r.pid, &k2);
		tap_ok(rc == 0, "%s: the source gives knobs", what);
		json_document_open(&b, 7.0, &host);
		json_process_open(&b, &rows[0]);
		strbuf_addstr(&b, ",\"maps\":");
		mapjson_write(&b, t);
		strbuf_addstr(&b, ",\"knobs\":");
		knobtext_json(&b, &k2);
		strbuf_addch(&b, '}');
		json_document_close(&b);
		tap_ok(n == 1 && a.len == b.len && !memcmp(a.buf, b.buf, a.len),
		       "%s: row and knobs written the same", what);
		if (a.len != b.len || memcmp(a.buf, b.buf, a.len))
			tap_diag("%s\n%s", a.buf, b.buf);
		knobtext_write(&tb, &k2, NULL);
		tap_ok(ta.len == tb.len && !memcmp(ta.buf, tb.buf, ta.len) &&
		       strstr(tb.buf, must_text),
		       "%s: the knobs pane's text the same", what);
		if (ta.len != tb.len || memcmp(ta.buf, tb.buf, ta.len))
			tap_diag("%s\n%s", ta.buf, tb.buf);
		for (size_t i = 0; i < k2.nitems; i++)
			tap_ok(k2.items[i].effect == k->items[i].effect,
			       "%s: %s's effect is the table's sentence", what,
			       k2.items[i].value);
		knobs_release(&k2);
		tap_ok(source_knobs(src, 4242, &k2) == -ESRCH,
		       "%s: no knobs of an absent PID", what);
		knobs_release(&k2);
		source_free(src);
	}
	unlink(path);
	free(path);
	maptree_free(t);
	vmmap_free(m);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&ta);
	strbuf_release(&tb);
}

static void test_knobs(void)
{
	static const char env[] =
		"HOME=/root\0MALLOC_ARENA_MAX=2\0GLIBC_TUNABLES=glibc.malloc."
		"arena_max=1\0glibc.malloc.trim_threshold=9\0"
		"JAVA_TOOL_OPTIONS=-Xmx64m -Dpassword=s3cret -Xss1m\0"
		"GOGC=off";
	static const char argv[] = "java\0-Xms8m\0-jar\0app.jar";
	static const char limits[] =
		"Limit                     Soft Limit           Hard Limit  "
		"         Units     \n"
		"Max data size             unlimited            unlimited   "
		"         bytes     \n"
		"Max stack size            8388608              unlimited   "
		"         bytes     \n"
		"Max address space         4294967296           unlimited   "
		"         bytes     \n";
	struct knobs k;

	knobs_init(&k);
	k.env_err = 0;
	k.argv_err = 0;
	knobs_parse_environ(&k, env, sizeof(env) - 1);
	knobs_parse_cmdline(&k, argv, sizeof(argv) - 1);
	k.limits_err = knobs_parse_limits(&k, limits);
	k.cg_err = 0;
	k.cg_path = strdup("/system.slice/app.service");
	k.cg_read = true;
	k.cg_max = 1ull << 30;
	k.cg_high = KNOBS_UNLIMITED; /* "max" */
	k.cg_eff_max = 512ull << 20;
	k.cg_eff_path = strdup("system.slice");
	knobs_case("knobs of a JVM in a cgroup", &k, "memory.high unlimited");
	knobs_release(&k);

	/* refused environ, a cgroup whose memory.max is unreadable */
	knobs_init(&k);
	k.env_err = -EACCES;
	k.argv_err = 0;
	k.limits_err = -EPERM;
	k.cg_err = 0;
	k.cg_path = strdup("/user.slice");
	k.cg_eff_max = KNOBS_UNLIMITED;
	knobs_case("knobs refused", &k, "memory.max not readable");
	knobs_release(&k);

	knobs_init(&k);
	k.env_err = 0;
	k.limits_err = 0;
	k.cg_err = -ENODEV;
	knobs_case("no cgroup2", &k, "no cgroup2 file system");
	knobs_release(&k);
}

int main(void)
{
	test_roundtrip("a C program with arenas, stacks, nss, nscd",
		       nasty_program(), "c\xff" "prog", "\\udcff.dat");
	test_roundtrip("four arenas", vmmapfix_four_arenas(), "four",
		       "\"count\":4");
	test_roundtrip("a static Go program", vmmapfix_go_program(), "gosrv",
		       "\"language\":\"Go\"");
	test_roundtrip("a region with hugetlb pages", hugetlb_program(),
		       "huge", "\"hugetlb_kib\":6144,\"vsz_kib\"");
	test_roundtrip_after("pymalloc arenas", vmmapfix_c_program(), "py",
			     "\"pymalloc_arenas\":3", make_pymalloc);
	test_knobs();
	test_steps();
	test_old_layout();
	test_bad();
	return tap_done();
}
