/* classify_stack: pthread stacks (REFERENCE.md 3.5).
 *
 * A thread's stack is the anonymous rw-p region holding its stack pointer
 * (read from task/TID/syscall by collect); the ---p region ending where
 * it starts is its guard.  Other anonymous rw-p regions with a one-page
 * ---p region right below have the same shape: glibc keeps dead threads'
 * stacks cached for reuse, so they are stacks without an owner. */
#include "config.h"

#include "classify_internal.h"

#include <stdio.h>

/* Guards larger than this are some other reservation, not a guard. */
#define STACK_GUARD_MAX (1ULL << 20)

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
		c->marks[i] |= MARK_STACK;
		c->owner[i] = th->tid;
		if (stack_guard_below(c, i, STACK_GUARD_MAX)) {
			c->marks[i - 1] |= MARK_GUARD;
			c->owner[i - 1] = th->tid;
		}
	}
}

/* The scan listed the anonymous rw-p regions with an anonymous ---p
 * page right below: those not taken by now are cached stacks. */
static void stack_unowned(struct classify_ctx *c)
{
	for (size_t k = 0; k < c->nstack_shaped; k++) {
		size_t i = c->stack_shaped[k];

		if (stack_taken(c, i) || stack_taken(c, i - 1))
			continue;
		c->marks[i] |= MARK_STACK | MARK_UNOWNED;
		c->marks[i - 1] |= MARK_GUARD | MARK_UNOWNED;
	}
}

void classify_stack_prepare(struct classify_ctx *c)
{
	stack_owned(c);
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
			"stack-shaped: cached stack of an exited thread?" :
			"holds the thread's stack pointer";
	}
	return true;
}
