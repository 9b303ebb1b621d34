/* Unit tests of what the map panes say, on hand-built layouts: the
 * runtime phrase, which resolver a C or Go program can use (netgo, cgo,
 * GODEBUG=netdns), what resolver-related is mapped, the arena cap and
 * where it comes from, why there is no arena, and VmFlags names.  The Go
 * cases cannot be reached by the TUI tests without a Go toolchain. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/arenaview.h"
#include "vmtop/classify.h"
#include "vmtop/mapdetail.h"
#include "vmtop/mappane.h"
#include "vmtop/resolverview.h"
#include "vmtop/rules.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

static const struct rules *rules;

/* Classifies m and returns its tree; frees the previous pair. */
static const struct maptree *tree(struct vmmap *m)
{
	static struct vmmap *last_m;
	static struct maptree *last_t;

	maptree_free(last_t);
	if (last_m)
		vmmap_free(last_m);
	last_m = m;
	last_t = NULL;
	if (!m)
		return NULL;
	classify_vmmap(m, rules);
	last_t = maptree_build(m);
	return last_t;
}

static bool has(const char *s, const char *needle, const char *name)
{
	bool ok = s && strstr(s, needle);

	tap_ok(ok, "%s", name);
	if (!ok)
		tap_diag("'%s' lacks '%s'", s ? s : "(null)", needle);
	return ok;
}

static void test_c_program(void)
{
	const struct maptree *t = tree(vmmapfix_c_program());
	struct strbuf sb = STRBUF_INIT;
	char buf[256];

	mappane_runtime(t, buf, sizeof(buf));
	tap_is_str(buf, "C, dynamic", "C runtime phrase");
	has(resolverview_which(t), "glibc's getaddrinfo",
	    "C: glibc's resolver");
	strbuf_init(&sb, 64);
	resolverview_found(t, &sb);
	has(sb.buf, "libnss_systemd.so.2", "C: the NSS module is named");
	has(sb.buf, "nscd cache is mapped", "C: the nscd cache is noticed");
	strbuf_release(&sb);
	arenaview_cap(t, buf, sizeof(buf));
	has(buf, "glibc's default, 8 x 2 online CPUs", "default cap source");
	tap_is_str(mappane_kind_label(KIND_ARENA), "glibc malloc arenas",
		   "kind label");
}

static void test_arena_knobs(void)
{
	struct vmmap *m = vmmapfix_four_arenas();
	const struct maptree *t;
	char buf[256];

	m->env.arena_max = 2;
	t = tree(m);
	arenaview_cap(t, buf, sizeof(buf));
	tap_is_str(buf, "set by MALLOC_ARENA_MAX=2", "MALLOC_ARENA_MAX source");
	m = vmmapfix_four_arenas();
	m->env.arena_max = 2;
	m->env.tunable_arena_max = 3;
	t = tree(m);
	arenaview_cap(t, buf, sizeof(buf));
	tap_is_str(buf, "set by GLIBC_TUNABLES glibc.malloc.arena_max=3",
		   "GLIBC_TUNABLES wins over MALLOC_ARENA_MAX");
}

/* A Go program: static (netgo or no cgo) or dynamic with cgo. */
static const struct maptree *go(bool is_static, int cgo, const char *tags,
				const char *godebug)
{
	struct vmmap *m = vmmapfix_go_program();

	m->exe.is_static = is_static;
	m->exe.go_cgo = cgo;
	free(m->exe.go_tags);
	m->exe.go_tags = tags ? xstrdup(tags) : NULL;
	free(m->env.godebug);
	m->env.godebug = godebug ? xstrdup(godebug) : NULL;
	if (!is_static) {
		free(m->exe.interp);
		m->exe.interp = xstrdup("/lib64/ld-linux-x86-64.so.2");
		m->exe.imports_libc = true;
	}
	return tree(m);
}

static void test_go(void)
{
	const struct maptree *t = go(true, 0, NULL, "netdns=go");
	struct strbuf sb = STRBUF_INIT;
	char buf[256];

	mappane_runtime(t, buf, sizeof(buf));
	tap_is_str(buf, "Go 1.19.8, no cgo, static", "Go runtime phrase");
	has(resolverview_which(t), "Go's own (no cgo)",
	    "no cgo: Go's resolver");
	has(arenaview_why_none(t), "a static Go program has no glibc malloc",
	    "static Go: why no arenas");
	strbuf_init(&sb, 64);
	resolverview_found(t, &sb);
	has(sb.buf, "Nothing resolver-related is mapped",
	    "nothing mapped: said so");
	strbuf_release(&sb);

	t = go(true, 1, "netgo", NULL);
	has(resolverview_which(t), "built with -tags netgo", "netgo build");
	t = go(false, 1, NULL, NULL);
	mappane_runtime(t, buf, sizeof(buf));
	tap_is_str(buf, "Go 1.19.8, cgo, dynamic", "cgo runtime phrase");
	has(resolverview_which(t), "Go's own by default; cgo",
	    "cgo: Go's by default, getaddrinfo when needed");
	t = go(false, 1, NULL, "madvdontneed=1,netdns=cgo");
	has(resolverview_which(t), "(GODEBUG=netdns=cgo)",
	    "GODEBUG=netdns=cgo forces getaddrinfo");
	t = go(false, 1, "netcgo", NULL);
	has(resolverview_which(t), "always (built with -tags netcgo)",
	    "-tags netcgo: getaddrinfo always");
	t = go(false, 1, NULL, "netdns=go+1");
	has(resolverview_which(t), "(GODEBUG=netdns=go)",
	    "GODEBUG=netdns=go forces Go's resolver");
	tree(NULL);
}

static void test_vmflags(void)
{
	tap_is_str(mapdetail_vmflag("rd"), "readable", "rd");
	tap_is_str(mapdetail_vmflag("gd"), "stack guard (grows down)", "gd");
	tap_is_str(mapdetail_vmflag("ac"), "accountable", "ac");
	tap_ok(mapdetail_vmflag("zz") == NULL, "an unknown flag: NULL");
}

/* The TREND column's sparkline: one cell per value, blocks in UTF-8,
 * an ASCII ramp otherwise, blank when unknown, cut at a whole cell. */
static void test_sparkline(void)
{
	uint64_t v[8], u[3] = { 0, VMMAP_UNKNOWN, 1024 };
	char buf[64];

	for (int i = 0; i < 8; i++)
		v[i] = (uint64_t)i * 1024;
	mappane_sparkline(v, 8, true, buf, sizeof(buf));
	tap_is_str(buf, "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588",
		   "UTF-8: the eight blocks, low to high");
	mappane_sparkline(v, 8, false, buf, sizeof(buf));
	tap_is_str(buf, "_.-:=+*#", "ASCII: the ramp");
	mappane_sparkline(u, 3, false, buf, sizeof(buf));
	tap_is_str(buf, "_ #", "unknown: blank");
	tap_is_int((long long)mappane_sparkline(v, 8, true, buf, 8), 6,
		   "a short buffer holds whole cells only");
}

int main(void)
{
	struct rules *r;
	char err[256];

	if (rules_new(NULL, 0, &r, err, sizeof(err)) < 0) {
		tap_diag("rules_new: %s", err);
		return 1;
	}
	rules = r;
	test_c_program();
	test_arena_knobs();
	test_go();
	test_vmflags();
	test_sparkline();
	rules_free(r);
	return tap_done();
}
