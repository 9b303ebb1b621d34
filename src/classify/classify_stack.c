/* classify_stack: pthread stacks (REFERENCE.md 3.5).
 *
 * A thread's stack is the anonymous rw-p region holding its stack pointer
 * (read from task/TID/syscall by collect); the ---p region ending where
 * it starts is its guard.  Other anonymous rw-p regions with a one-page
 * ---p region right below have glibc's stack layout ("stack-shaped").
 *
 * A thread that was running when its syscall file was read has no stack
 * pointer this time (REFERENCE.md 2.5), so its stack is one of those
 * stack-shaped regions that no stack pointer claimed.  Before anything is
 * called cached, each such region goes to a live thread without a stack
 * pointer: first to the owner an earlier refresh gave it (the pipeline's
 * classify_history), so that a stack keeps its owner; then the rest in
 * creation order, the lowest TID to the highest region (glibc maps each
 * new stack below the last one while its cache is empty).  Only what
 * is left is a cached stack of an exited thread, "unowned". */
#include "config.h"

#include "classify_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "vmtop/xalloc.h"

/* Guards larger than this are some other reservation, not a guard. */
#define STACK_GUARD_MAX (1ULL << 20)

/* A live thread without a stack pointer, while stacks are handed out. */
struct stack_waiting {
	pid_t tid;
	bool served;
};

static bool stack_taken(const struct classify_ctx *c, size_t i)
{
	return c->marks[i] & (MARK_ARENA | MARK_GO_HEAP | MARK_STACK |
				   MARK_GUARD | MARK_BSS | MARK_JVM);
}

/* Whether region i-1 can be the guard of region i. */
static bool stack_guard_below(const struct classify_ctx *c, size_t i,
			      uint64_t max)
{
	const struct region *g, *r = &c->m->regions[i];

	if (i == 0)
		return false;
	g = &c->m->regions[i - 1];
	return g->end == r->start && classify_is_anon(g) &&
	       classify_perms_are(g, "---p") && g->end - g->start <= max &&
	       !stack_taken(c, i - 1);
}

/* Gives region i, and the guard below it if any, to thread tid. */
static void stack_claim(struct classify_ctx *c, size_t i, pid_t tid)
{
	c->marks[i] |= MARK_STACK;
	c->owner[i] = tid;
	if (stack_guard_below(c, i, STACK_GUARD_MAX)) {
		c->marks[i - 1] |= MARK_GUARD;
		c->owner[i - 1] = tid;
	}
}

static void stack_owned(struct classify_ctx *c)
{
	const struct vmmap *m = c->m;

	for (size_t t = 0; t < m->nthreads; t++) {
		const struct vmthread *th = &m->threads[t];
		size_t i;

		if (th->sp_status != SP_OK || th->sp == 0)
			continue;
		i = vmmap_find(m, th->sp);
		if (i == SIZE_MAX || stack_taken(c, i) ||
		    !classify_is_anon(&m->regions[i]) ||
		    !classify_perms_are(&m->regions[i], "rw-p"))
			continue;
		stack_claim(c, i, th->tid);
	}
}

static int stack_waiting_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct stack_waiting *)a)->tid;
	pid_t y = ((const struct stack_waiting *)b)->tid;

	return (x > y) - (x < y);
}

/* The threads that can own a stack no stack pointer claimed: alive and
 * running when read, other than the main thread (its stack is
 * [stack]); by TID.  Returns how many, *out NULL when none. */
static size_t stack_waiting_list(const struct vmmap *m,
				 struct stack_waiting **out)
{
	size_t n = 0;

	*out = NULL;
	for (size_t t = 0; t < m->nthreads; t++)
		n += m->threads[t].sp_status == SP_RUNNING &&
		     m->threads[t].tid != m->pid;
	if (!n)
		return 0;
	*out = xcalloc(n, sizeof(**out));
	n = 0;
	for (size_t t = 0; t < m->nthreads; t++)
		if (m->threads[t].sp_status == SP_RUNNING &&
		    m->threads[t].tid != m->pid)
			(*out)[n++].tid = m->threads[t].tid;
	qsort(*out, n, sizeof(**out), stack_waiting_cmp);
	return n;
}

/* The earlier refresh's entry for region r, or NULL. */
static const struct classify_stack_owner *
stack_history_of(const struct classify_history *h, const struct region *r)
{
	size_t lo = 0, hi = h ? h->nstacks : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->stacks[mid].start < r->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (h ? h->nstacks : 0) && h->stacks[lo].start == r->start &&
	    h->stacks[lo].end == r->end)
		return &h->stacks[lo];
	return NULL;
}

/* Whether stack-shaped region i is still free for a thread. */
static bool stack_free(const struct classify_ctx *c, size_t i)
{
	return !stack_taken(c, i) && !stack_taken(c, i - 1);
}

static void stack_push(size_t **list, size_t *n, size_t i)
{
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = i;
}

/* Stack-shaped regions that an earlier refresh gave to a thread that is
 * still waiting go back to it. */
static void stack_keep(struct classify_ctx *c, struct stack_waiting *w,
		       size_t nw)
{
	for (size_t k = 0; c->hist && k < c->nstack_shaped; k++) {
		size_t i = c->stack_shaped[k];
		const struct classify_stack_owner *o;
		struct stack_waiting key, *t;

		if (!stack_free(c, i))
			continue;
		o = stack_history_of(c->hist, &c->m->regions[i]);
		if (!o)
			continue;
		key.tid = o->tid;
		t = bsearch(&key, w, nw, sizeof(*w), stack_waiting_cmp);
		if (!t || t->served)
			continue;
		t->served = true;
		stack_claim(c, i, t->tid);
		stack_push(&c->stack_kept, &c->nstack_kept, i);
	}
}

/* The other free stack-shaped regions, from the highest, go to the
 * threads still waiting, from the lowest TID. */
static void stack_give(struct classify_ctx *c, struct stack_waiting *w,
		       size_t nw)
{
	size_t t = 0, *g, n;

	for (size_t k = c->nstack_shaped; k-- > 0;) {
		size_t i = c->stack_shaped[k];

		while (t < nw && w[t].served)
			t++;
		if (t == nw)
			break;
		if (!stack_free(c, i))
			continue;
		w[t].served = true;
		stack_claim(c, i, w[t].tid);
		stack_push(&c->stack_given, &c->nstack_given, i);
	}
	/* given from the highest down: reverse into ascending order */
	g = c->stack_given;
	n = c->nstack_given;
	for (size_t k = 0; k < n / 2; k++) {
		size_t tmp = g[k];

		g[k] = g[n - 1 - k];
		g[n - 1 - k] = tmp;
	}
}

/* The stack-shaped regions not taken by now are cached stacks. */
static void stack_unowned(struct classify_ctx *c)
{
	for (size_t k = 0; k < c->nstack_shaped; k++) {
		size_t i = c->stack_shaped[k];

		if (!stack_free(c, i))
			continue;
		c->marks[i] |= MARK_STACK | MARK_UNOWNED;
		c->marks[i - 1] |= MARK_GUARD | MARK_UNOWNED;
	}
}

void classify_stack_prepare(struct classify_ctx *c)
{
	struct stack_waiting *w;
	size_t nw;

	stack_owned(c);
	nw = stack_waiting_list(c->m, &w);
	if (nw) {
		stack_keep(c, w, nw);
		stack_give(c, w, nw);
	}
	free(w);
	stack_unowned(c);
}

static const char *stack_group(const struct classify_ctx *c, pid_t tid)
{
	char buf[32];

	if (tid == 0)
		return "unowned";
	snprintf(buf, sizeof(buf), "tid %d", (int)tid);
	return vmmap_strdup(c->m, buf);
}

/* Whether list[0..n) (ascending) holds i. */
static bool stack_listed(const size_t *list, size_t n, size_t i)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (list[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && list[lo] == i;
}

/* Why region i, a stack with an owner, is that owner's. */
static const char *stack_why(const struct classify_ctx *c, size_t i)
{
	if (stack_listed(c->stack_kept, c->nstack_kept, i))
		return "stack-shaped; its thread was running when read (no "
		       "stack pointer): owner kept from the last refresh";
	if (stack_listed(c->stack_given, c->nstack_given, i))
		return "stack-shaped; given to a thread that was running "
		       "when read (no stack pointer)";
	return "holds the thread's stack pointer";
}

bool classify_stack_region(const struct classify_ctx *c, size_t i,
			   struct classify_verdict *v)
{
	unsigned bits = c->marks[i];
	bool unowned = bits & MARK_UNOWNED;

	if (!(bits & (MARK_STACK | MARK_GUARD)))
		return false;
	v->kind = KIND_THREAD_STACK;
	v->tid = unowned ? 0 : c->owner[i];
	v->group = stack_group(c, v->tid);
	if (bits & MARK_GUARD) {
		v->tags |= TAG_GUARD;
		v->reason = unowned ? "guard page of a cached thread stack" :
				      "guard page of a thread stack";
	} else {
		v->reason = unowned ?
			"stack-shaped, no live thread left for it: cached "
			"stack of an exited thread" : stack_why(c, i);
	}
	return true;
}
