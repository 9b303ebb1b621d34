/* resolverview: dns-tagged regions, and what resolver the process has. */
#include "config.h"

#include "vmtop/resolverview.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmtop/diff.h"
#include "vmtop/fmt.h"
#include "vmtop/mapdetail.h"
#include "vmtop/mappane.h"
#include "vmtop/strbuf.h"

enum { COL_VSZ, COL_RSS, COL_PERMS, NCOLS };

static const struct treeview_column resolverview_cols[NCOLS] = {
	[COL_VSZ] = { "VSZ", 6, false, true },
	[COL_RSS] = { "RSS", 6, false, true },
	[COL_PERMS] = { "PERM", 4, true, false },
};

static void resolverview_build(struct treeview *tv, void *arg)
{
	const struct vmmap *m = pipeline_vmmap(arg);
	char name[512];

	for (size_t i = 0; m && i < m->nregions; i++) {
		const struct region *r = &m->regions[i];
		struct treeview_item *it;

		if (!(r->tags & TAG_DNS))
			continue;
		snprintf(name, sizeof(name), "%s%s  %012" PRIx64, r->path,
			 strstr(r->path, "/nscd/") ? "  (nscd cache)" : "",
			 r->start);
		it = treeview_add(tv, 0, diff_key_region(r->kind, r->start),
				  name, r);
		it->num[COL_VSZ] = (r->end - r->start) / 1024;
		it->num[COL_RSS] = region_sm(r, SM_RSS);
		it->num[COL_PERMS] = i;
	}
}

static void resolverview_cell(const struct treeview_item *it, int col,
			      char *buf, size_t size, void *arg)
{
	const struct region *r = it->data;

	(void)arg;
	if (col == COL_PERMS)
		snprintf(buf, size, "%.4s", r->perms);
	else if (it->num[col] == VMMAP_UNKNOWN)
		snprintf(buf, size, "-");
	else
		fmt_kib(buf, size, it->num[col]);
}

struct treeview *resolverview_new(struct pipeline *s)
{
	struct treeview *tv = treeview_new(resolverview_cols, NCOLS,
					   "MAPPING", NCOLS, false,
					   resolverview_build,
					   resolverview_cell, s);

	treeview_set_flat(tv, true); /* one level: no fold markers */
	return tv;
}

/* Which resolver a Go program uses, as maptree decided it. */
static const char *resolverview_go(const struct maptree_resolver *rs)
{
	const char *by = rs->go_by ? rs->go_by : "";

	if (!strcmp(by, "netgo"))
		return "Resolver: Go's own (built with -tags netgo): "
		       "getaddrinfo and NSS modules are never used.";
	if (!strcmp(by, "no_cgo"))
		return "Resolver: Go's own (no cgo): getaddrinfo and NSS "
		       "modules cannot be used.";
	if (!strcmp(by, "netcgo"))
		return "Resolver: cgo, glibc's getaddrinfo, always (built "
		       "with -tags netcgo).";
	if (rs->go_choice && !strcmp(rs->go_choice, "cgo"))
		return "Resolver: cgo, glibc's getaddrinfo, always "
		       "(GODEBUG=netdns=cgo).";
	if (rs->go_choice && !strcmp(rs->go_choice, "go"))
		return "Resolver: Go's own, always (GODEBUG=netdns=go), "
		       "although cgo is linked.";
	return "Resolver: Go's own by default; cgo, glibc's getaddrinfo, "
	       "when nsswitch.conf or resolv.conf need it (GODEBUG=netdns=cgo "
	       "forces it).";
}

const char *resolverview_which(const struct maptree *t)
{
	const struct maptree_runtime *rt = &t->runtime;

	if (rt->language && !strcmp(rt->language, "Go"))
		return resolverview_go(&t->resolver);
	if (rt->language && rt->is_static == 1)
		return "Resolver: the libc linked into the program, if any; "
		       "a static glibc still loads NSS modules at run time.";
	if (rt->language)
		return "Resolver: glibc's getaddrinfo.  The files and dns NSS "
		       "services and the stub resolver are inside libc.so.6 "
		       "(glibc 2.34+); other sources in nsswitch.conf add "
		       "libnss_* modules.";
	return "Resolver: unknown (the executable could not be read).";
}

void resolverview_found(const struct maptree *t, struct strbuf *sb)
{
	const struct maptree_resolver *rs = &t->resolver;

	if (rs->regions == 0) {
		strbuf_addstr(sb, "Nothing resolver-related is mapped: no NSS "
				  "module, libresolv, c-ares, unbound or nscd "
				  "cache.  Lookups so far, if any, used only "
				  "code already in libc or in the program.");
		return;
	}
	strbuf_addf(sb, "%zu resolver-related mapping%s", rs->regions,
		    rs->regions == 1 ? "" : "s");
	for (size_t k = 0; k < rs->nmodules; k++) {
		const char *base = strrchr(rs->modules[k], '/');

		strbuf_addstr(sb, k ? ", " : "; libraries: ");
		strbuf_addstr(sb, base ? base + 1 : rs->modules[k]);
	}
	strbuf_addstr(sb, ".");
	if (rs->nscd)
		strbuf_addstr(sb, "  An nscd cache is mapped: lookups are "
				  "answered from nscd's shared database.");
}

int resolverview_header(const struct pipeline *s, int y, int width, int max)
{
	const struct maptree *t = pipeline_tree(s);
	struct strbuf sb = STRBUF_INIT;
	int rows;

	if (!t)
		return 0;
	rows = mapdetail_wrap(y, width, max, resolverview_which(t),
			      SCREEN_STATUS);
	strbuf_init(&sb, 256);
	resolverview_found(t, &sb);
	rows += mapdetail_wrap(y + rows, width, max - rows, sb.buf,
			       SCREEN_STATUS);
	strbuf_release(&sb);
	return rows;
}
