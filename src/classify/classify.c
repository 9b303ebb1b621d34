/* classify: the pipeline that runs the classifiers over a vmmap.
 *
 * One scan of all regions comes first: it marks the executable's
 * segments and lists the regions that can start an arena heap or be a
 * thread stack.  Then every prepare step runs, in table order, on what
 * the scan listed, so that a later classifier can see what an earlier one
 * found (the stack classifier must not take an arena's ---p tail for a
 * guard page).  Then each region goes through the classifiers of its
 * classes (struct classifier's when), in table order, until one has an
 * opinion; the anonymous classifier at the end always has one.  An
 * unmarked region like a recent one (same path string, perms, deleted
 * flag and inode) takes its answer without asking again.  Generic tags
 * (reserved, exec, deleted) and the rules' tags (dns) are added here,
 * once, for every region.  Before all of it, the user's rules (rules.h):
 * a rule with a kind that matches a region's name decides it, whatever
 * the classifiers would say. */
#include "config.h"

#include "classify_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/xalloc.h"

static const struct classifier classify_table[] = {
	{ "named", WHEN_PSEUDO | WHEN_PATH, NULL, classify_named_region },
	{ "special", WHEN_PSEUDO, NULL, classify_special_region },
	/* before binlib: the builtins' copy in the code range is the
	 * executable's file but V8's reservation */
	{ "v8", WHEN_MARKED, classify_v8_prepare, classify_runtime_region },
	{ "python", WHEN_MARKED, classify_python_prepare,
	  classify_runtime_region },
	{ "binlib", WHEN_PATH | WHEN_MARKED, classify_binlib_prepare,
	  classify_binlib_region },
	{ "go", WHEN_MARKED, classify_go_prepare, classify_go_region },
	{ "arena", WHEN_MARKED, classify_arena_prepare, classify_arena_region },
	{ "jvm", WHEN_MARKED, classify_jvm_prepare, classify_jvm_region },
	{ "stack", WHEN_MARKED, classify_stack_prepare, classify_stack_region },
	{ "alloc", WHEN_MARKED, classify_alloc_prepare, classify_alloc_region },
	{ "shared", WHEN_PATH | WHEN_SHARED, NULL, classify_shared_region },
	{ "file", WHEN_PATH | WHEN_NAME, NULL, classify_file_region },
	{ "anon", WHEN_ANY, NULL, classify_anon_region },
};

#define CLASSIFY_N (sizeof(classify_table) / sizeof(classify_table[0]))
_Static_assert(CLASSIFY_N <= 16, "classify_ctx.ask has 16 bits");

const struct classifier *classify_pipeline(size_t *n)
{
	*n = CLASSIFY_N;
	return classify_table;
}

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
			      const struct rules *r,
			      const struct classify_history *h)
{
	static const char del[] = " (deleted)";
	const char *p = m->exe.path;
	size_t n = m->nregions ? m->nregions : 1;

	memset(c, 0, sizeof(*c));
	c->m = m;
	c->rules = r;
	c->hist = h;
	c->marks = xcalloc(n, sizeof(*c->marks));
	/* written for the few marked regions only */
	c->owner = xcalloc(n, sizeof(*c->owner));
	c->exe_last = SIZE_MAX;
	if (r && rules_count(r)) {
		size_t nr = rules_count(r);

		c->rule_slot = xmalloc(nr * sizeof(*c->rule_slot));
		for (size_t k = 0; k < nr; k++)
			c->rule_slot[k] = -1;
		c->rule_group = xcalloc(nr, sizeof(*c->rule_group));
		c->rule_reason = xcalloc(nr, sizeof(*c->rule_reason));
	}
	for (unsigned w = 0; w <= WHEN_ANY; w++)
		for (size_t k = 0; k < CLASSIFY_N; k++)
			if (classify_table[k].when & w)
				c->ask[w] |= (uint16_t)(1u << k);
	if (p && p[0]) {
		n = strlen(p);
		if (n > sizeof(del) - 1 &&
		    strcmp(p + n - (sizeof(del) - 1), del) == 0)
			n -= sizeof(del) - 1;
		c->exe_path = p;
		c->exe_len = n;
	}
}

void classify_release(struct classify_ctx *c)
{
	free(c->marks);
	free(c->owner);
	free(c->heap_starts);
	free(c->stack_shaped);
	free(c->stack_kept);
	free(c->stack_given);
	free(c->arena_base);
	free(c->arena_group);
	free(c->rt_reason);
	free(c->rule_slot);
	free(c->rule_group);
	free(c->rule_reason);
}

static bool classify_is_exe(const struct classify_ctx *c, const char *path)
{
	return c->exe_path && strncmp(path, c->exe_path, c->exe_len) == 0 &&
	       path[c->exe_len] == '\0';
}

static void classify_push(size_t **list, size_t *n, size_t *cap, size_t i)
{
	XGROW(*list, *cap, *n + 1);
	(*list)[(*n)++] = i;
}

/* Whether g, right below r, is an anonymous ---p region of one page. */
static bool classify_is_guard_page(const struct region *g,
				   const struct region *r, uint64_t page)
{
	return g->end == r->start && g->end - g->start == page &&
	       classify_is_anon(g) && classify_perms_are(g, "---p");
}

/* The one walk over all regions before the prepare steps: marks the
 * executable's segments and lists the regions that can start an arena
 * heap or be a thread stack.  Consecutive segments of one file share
 * their path string, so the executable's path is compared once per
 * file, not per segment. */
static void classify_scan(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;
	uint64_t page = m->page_size;
	size_t cap_heaps = 0, cap_stacks = 0;
	const char *last_path = NULL;
	bool last_is_exe = false;

	for (size_t i = 0; i < m->nregions; i++) {
		const struct region *r = &m->regions[i];

		if (r->path[0] == '/') {
			if (r->path != last_path) {
				last_path = r->path;
				last_is_exe = classify_is_exe(c, r->path);
			}
			if (last_is_exe) {
				c->marks[i] |= MARK_EXE;
				c->exe_last = i;
			}
			continue;
		}
		if (!classify_is_anon(r) || !classify_perms_are(r, "rw-p"))
			continue;
		if (r->start % VMMAP_ARENA_HEAP_MAX == 0)
			classify_push(&c->heap_starts, &c->nheap_starts,
				      &cap_heaps, i);
		if (i > 0 && classify_is_guard_page(r - 1, r, page))
			classify_push(&c->stack_shaped, &c->nstack_shaped,
				      &cap_stacks, i);
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

/* What the decision pass remembers from the regions before. */
struct classify_memo {
	const char *rule_path;  /* the last path the rules were run on */
	int rule_ans;           /* its deciding rule, or -1 */
	unsigned rule_tags;     /* and the tags of its matching rules */
	/* The last unmarked region decided, per combination of the r, w
	 * and x permissions. */
	const struct region *recent[8];
};

/* The rules' answer for a region's name (the deciding rule or -1; the
 * tags into *tags), remembering the last path: a library's segments are
 * adjacent and share the answer, which keeps the regexes off most
 * regions. */
static int classify_rules(const struct classify_ctx *c, const struct region *r,
			  struct classify_memo *mo, unsigned *tags)
{
	*tags = 0;
	if (!c->rules || r->path[0] == '\0')
		return -1;
	if (!mo->rule_path ||
	    (mo->rule_path != r->path && strcmp(mo->rule_path, r->path))) {
		mo->rule_path = r->path;
		mo->rule_tags = 0;
		mo->rule_ans = rules_match(c->rules, r->path, strlen(r->path),
					   &mo->rule_tags);
	}
	*tags = mo->rule_tags;
	return mo->rule_ans;
}

/* Adds region r, decided by rule k with an insight, to its hit. */
static void classify_rule_hit(const struct classify_ctx *c, int k,
			      const struct rule_info *in,
			      const struct region *r)
{
	struct vmmap *m = c->m;
	struct vmrulehit *h;

	if (c->rule_slot[k] < 0) {
		m->rulehits = xreallocarray(m->rulehits, m->nrulehits + 1,
					    sizeof(*m->rulehits));
		h = &m->rulehits[m->nrulehits];
		memset(h, 0, sizeof(*h));
		h->kind = in->kind;
		h->group = r->group;
		h->insight = vmmap_strdup(m, in->insight);
		h->knob = in->knob ? vmmap_strdup(m, in->knob) : NULL;
		h->where = vmmap_strdup(m, in->where);
		c->rule_slot[k] = (int)m->nrulehits++;
	}
	h = &m->rulehits[c->rule_slot[k]];
	h->nregions++;
	h->vsz_kib += (r->end - r->start) / 1024;
	if (r->tags & TAG_RESERVED)
		h->reserved_kib += (r->end - r->start) / 1024;
	if (r->has_smaps && r->rss_kib != VMMAP_KIB_UNKNOWN)
		h->rss_kib += r->rss_kib;
}

/* Region i as user rule k says, with the tags of every matching rule. */
static void classify_by_rule(const struct classify_ctx *c, size_t i, int k,
			     unsigned tags)
{
	struct region *reg = &c->m->regions[i];
	const struct rule_info *in = rules_info(c->rules, (size_t)k);

	if (in->group && !c->rule_group[k])
		c->rule_group[k] = vmmap_strdup(c->m, in->group);
	if (!c->rule_reason[k]) {
		char why[4200];

		snprintf(why, sizeof(why), "user rule %s", in->where);
		c->rule_reason[k] = vmmap_strdup(c->m, why);
	}
	reg->kind = in->kind;
	reg->group = in->group ? c->rule_group[k] : reg->path;
	reg->reason = c->rule_reason[k];
	reg->tags = in->tags | tags | classify_generic_tags(reg);
	reg->tid = 0;
	reg->arena = -1;
	if (in->insight)
		classify_rule_hit(c, k, in, reg);
}

/* A verdict with no opinion in it yet: every field written. */
static void classify_verdict_clear(struct classify_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->arena = -1;
}

void classify_region(const struct classify_ctx *c, size_t i,
		     struct classify_verdict *v)
{
	const struct region *r = &c->m->regions[i];
	unsigned ask = c->ask[classify_when_of(r, c->marks[i])];

	for (; ask; ask &= ask - 1) {
		unsigned k = (unsigned)__builtin_ctz(ask);

		classify_verdict_clear(v);
		if (classify_table[k].region(c, i, v))
			return;
	}
	/* The anon classifier always answers, so only a test gets here;
	 * a classifier that declined may have written to *v first. */
	classify_verdict_clear(v);
	v->kind = KIND_ANON;
	v->reason = "unclassified";
}

/* Whether a and b give an unmarked region the same answer (see struct
 * classifier): the same path string, perms, deleted flag and inode. */
static bool classify_same_inputs(const struct region *a,
				 const struct region *b)
{
	return a->path == b->path && a->inode == b->inode &&
	       a->deleted == b->deleted && memcmp(a->perms, b->perms, 4) == 0;
}

static unsigned classify_rwx(const struct region *r)
{
	return (unsigned)(r->perms[0] == 'r') |
	       (unsigned)(r->perms[1] == 'w') << 1 |
	       (unsigned)(r->perms[2] == 'x') << 2;
}

/* Writes the answer for region i.  An unmarked region with the same
 * inputs as the last unmarked one of its r, w, x permissions takes that
 * one's answer (segments of one file, runs of identical mappings, even
 * when two kinds of mapping alternate). */
static void classify_decide(const struct classify_ctx *c, size_t i,
			    struct classify_memo *mo)
{
	struct region *reg = &c->m->regions[i];
	const struct region **recent = NULL;
	struct classify_verdict v;
	unsigned rtags;
	int rule = classify_rules(c, reg, mo, &rtags);

	if (rule >= 0) {
		classify_by_rule(c, i, rule, rtags);
		return;
	}
	if (!c->marks[i]) {
		recent = &mo->recent[classify_rwx(reg)];
		if (*recent && classify_same_inputs(*recent, reg)) {
			const struct region *p = *recent;

			/* the generic tags too: they follow from perms,
			 * deleted and path; an unmarked region is neither
			 * a stack (tid) nor an arena */
			reg->kind = p->kind;
			reg->reason = p->reason;
			reg->group = p->group;
			reg->tags = p->tags;
			reg->tid = 0;
			reg->arena = -1;
			return;
		}
	}
	classify_region(c, i, &v);
	reg->kind = v.kind;
	reg->reason = v.reason ? v.reason : "";
	reg->group = v.group ? v.group : "";
	reg->tags = v.tags | classify_generic_tags(reg);
	reg->tags |= rtags;
	reg->tid = v.kind == KIND_THREAD_STACK ? v.tid : 0;
	reg->arena = v.kind == KIND_ARENA ? v.arena : -1;
	if (recent)
		*recent = reg;
}

void classify_prepare(struct classify_ctx *c, struct vmmap *m,
		      const struct rules *r, const struct classify_history *h)
{
	classify_ctx_init(c, m, r, h);
	classify_scan(c);
	for (size_t k = 0; k < CLASSIFY_N; k++)
		if (classify_table[k].prepare)
			classify_table[k].prepare(c);
}

void classify_vmmap_with(struct vmmap *m, const struct rules *r,
			 const struct classify_history *h)
{
	struct classify_ctx c;
	struct classify_memo mo;

	/* a snapshot's regions are classified as they were saved: without
	 * the live evidence (heap_info, stack pointers, chunk headers) a
	 * second classification could only differ from what was shown */
	if (m->saved)
		return;
	memset(&mo, 0, sizeof(mo));
	free(m->rulehits);
	m->rulehits = NULL;
	m->nrulehits = 0;
	m->arena_limit = classify_arena_limit(m, &m->arena_limit_source);
	classify_prepare(&c, m, r, h);
	for (size_t i = 0; i < m->nregions; i++)
		classify_decide(&c, i, &mo);
	/* the smaps reader listed the few regions with hugetlb pages */
	for (size_t k = 0; k < m->nhugetlb; k++) {
		size_t i = vmmap_find(m, m->hugetlb[k].start);

		if (i != SIZE_MAX && m->regions[i].start == m->hugetlb[k].start)
			m->regions[i].tags |= TAG_HUGETLB;
	}
	m->narenas = c.narenas;
	classify_release(&c);
}

void classify_vmmap(struct vmmap *m, const struct rules *r)
{
	classify_vmmap_with(m, r, NULL);
}
