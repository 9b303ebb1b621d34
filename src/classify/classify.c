/* classify: the pipeline that runs the classifiers over a vmmap.
 *
 * Every prepare step runs first, in table order, so that a later
 * classifier can see what an earlier one found (the stack classifier must
 * not take an arena's ---p tail for a guard page).  Then each region goes
 * through the table until one classifier has an opinion; the anonymous
 * classifier at the end always has one.  Generic tags (reserved, exec,
 * deleted, dns) are added here, once, for every region. */
#include "config.h"

#include "vmtop/classify.h"

#include <stdlib.h>
#include <string.h>

#include "vmtop/xalloc.h"

static const struct classifier classify_table[] = {
	{ "special", NULL, classify_special_region },
	{ "binlib", classify_binlib_prepare, classify_binlib_region },
	{ "go", classify_go_prepare, classify_go_region },
	{ "arena", classify_arena_prepare, classify_arena_region },
	{ "stack", classify_stack_prepare, classify_stack_region },
	{ "shared", NULL, classify_shared_region },
	{ "file", NULL, classify_file_region },
	{ "anon", NULL, classify_anon_region },
};

#define CLASSIFY_N (sizeof(classify_table) / sizeof(classify_table[0]))

int classify_arena_limit(const struct vmmap *m, const char **source)
{
	int cpus = m->online_cpus > 0 ? m->online_cpus : 1;

	if (!m->env.read) {
		*source = "unknown";
		return 8 * cpus;
	}
	if (m->env.tunable_arena_max > 0) {
		*source = "GLIBC_TUNABLES";
		return m->env.tunable_arena_max;
	}
	if (m->env.arena_max > 0) {
		*source = "MALLOC_ARENA_MAX";
		return m->env.arena_max;
	}
	*source = "default";
	return 8 * cpus;
}

static void classify_ctx_init(struct classify_ctx *c, struct vmmap *m,
			      const struct rules *r)
{
	static const char del[] = " (deleted)";
	const char *p = m->exe.path;

	memset(c, 0, sizeof(*c));
	c->m = m;
	c->rules = r;
	c->marks = xcalloc(m->nregions ? m->nregions : 1, sizeof(*c->marks));
	for (size_t i = 0; i < m->nregions; i++)
		c->marks[i].arena = -1;
	if (p && p[0]) {
		size_t n = strlen(p);

		if (n > sizeof(del) - 1 &&
		    strcmp(p + n - (sizeof(del) - 1), del) == 0)
			n -= sizeof(del) - 1;
		c->exe_path = p;
		c->exe_len = n;
	}
}

/* Tags that follow from the region itself, whatever its kind. */
static unsigned classify_generic_tags(const struct region *r)
{
	unsigned t = 0;

	if (classify_perms_are(r, "---p"))
		t |= TAG_RESERVED;
	if (r->perms[2] == 'x')
		t |= TAG_EXEC;
	if (r->deleted)
		t |= TAG_DELETED;
	return t;
}

/* DNS tag, remembering the last path: a library's segments are adjacent
 * and share the answer, which keeps the regex off most regions. */
static bool classify_dns(const struct classify_ctx *c, const struct region *r,
			 const char **last, bool *last_ans)
{
	if (!c->rules || r->path[0] == '\0')
		return false;
	if (*last && (*last == r->path || strcmp(*last, r->path) == 0))
		return *last_ans;
	*last = r->path;
	*last_ans = rules_match_dns(c->rules, r->path, strlen(r->path));
	return *last_ans;
}

static void classify_one(const struct classify_ctx *c, size_t i,
			 struct classify_verdict *v)
{
	for (size_t k = 0; k < CLASSIFY_N; k++) {
		memset(v, 0, sizeof(*v));
		v->arena = -1;
		if (classify_table[k].region(c, i, v))
			return;
	}
	/* Unreachable: the anon classifier always answers. */
	v->kind = KIND_ANON;
	v->reason = "unclassified";
}

void classify_vmmap(struct vmmap *m, const struct rules *r)
{
	struct classify_ctx c;
	const char *last = NULL;
	bool last_ans = false;

	m->arena_limit = classify_arena_limit(m, &m->arena_limit_source);
	classify_ctx_init(&c, m, r);
	for (size_t k = 0; k < CLASSIFY_N; k++)
		if (classify_table[k].prepare)
			classify_table[k].prepare(&c);
	for (size_t i = 0; i < m->nregions; i++) {
		struct region *reg = &m->regions[i];
		struct classify_verdict v;

		classify_one(&c, i, &v);
		reg->kind = v.kind;
		reg->reason = v.reason ? v.reason : "";
		reg->group = v.group ? v.group : "";
		reg->tags = v.tags | classify_generic_tags(reg);
		if (classify_dns(&c, reg, &last, &last_ans))
			reg->tags |= TAG_DNS;
		reg->tid = v.kind == KIND_THREAD_STACK ? v.tid : 0;
		reg->arena = v.kind == KIND_ARENA ? v.arena : -1;
	}
	m->narenas = c.narenas;
	free(c.marks);
	free(c.arena_base);
	free(c.arena_group);
}
