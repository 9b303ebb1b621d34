/* pipeline: one process's refresh from a source to a tree (pipeline.h).
 *
 * A refresh is timed with the thread's CPU clock (the kernel's work of
 * generating maps or smaps is charged to the reader), smoothed over the
 * last refreshes, and the next refresh of the same sort is scheduled so
 * that its share of one core stays under the budget.
 *
 * A pipeline follows one process, not one pid: the start time of its
 * first read is checked on every later one, and a pid taken by another
 * process reads as "exited" (the last picture stays). */
#include "config.h"

#include "vmtop/pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/access.h"
#include "vmtop/classify.h"
#include "vmtop/clock.h"
#include "vmtop/procmap.h"
#include "vmtop/xalloc.h"

#define SMAPS_BUDGET 0.03 /* of one core */
#define MAPS_BUDGET 0.015
#define DIFF_KEEP 3       /* refreshes a change stays highlighted */
/* Every smaps counter of every region (for the detail pane) costs ~190
 * bytes a region: kept only below this many regions. */
#define SMAPS_ALL_MAX 20000

struct pipeline_cpu {
	pid_t tid;
	unsigned long long ticks;
	double pct;
};

struct pipeline {
	struct source *src;
	unsigned flags;             /* enum pipeline_flags */
	pid_t pid;
	const struct rules *rules;
	struct vmmap *m;
	struct maptree *t;
	struct diff *diff;
	int error;
	bool exited, stale;
	unsigned long long start;   /* the process's start time (ticks),
				     * learnt at the first read; 0 unknown */
	long next_maps, next_smaps; /* ms, CLOCK_MONOTONIC */
	long smaps_at;              /* when the counters shown were read */
	double maps_ms, smaps_ms;   /* smoothed cost of one refresh */
	double weight;              /* share of the last refresh's cost in
				     * its smoothed figure (for charges) */
	long delay_ms;              /* the refresh interval last given */
	long maps_every, smaps_every; /* ms between refreshs */
	long last_ms;               /* time of the last refresh */
	struct pipeline_cpu *cpu;
	size_t ncpu;
	double smaps_budget, maps_budget; /* shares of one core */
	unsigned long smaps_reads;
};

struct pipeline *pipeline_new(struct source *src, pid_t pid,
			      const struct rules *rules, unsigned flags)
{
	struct pipeline *s = xcalloc(1, sizeof(*s));

	s->src = src;
	s->flags = flags;
	s->pid = pid;
	s->rules = rules;
	s->diff = diff_new(DIFF_KEEP);
	s->smaps_budget = SMAPS_BUDGET;
	s->maps_budget = MAPS_BUDGET;
	return s;
}

void pipeline_set_budget(struct pipeline *s, double smaps_share,
			 double maps_share)
{
	if (smaps_share > 0)
		s->smaps_budget = smaps_share;
	if (maps_share > 0)
		s->maps_budget = maps_share;
}

void pipeline_free(struct pipeline *s)
{
	if (!s)
		return;
	maptree_free(s->t);
	if (s->m)
		vmmap_free(s->m);
	diff_free(s->diff);
	free(s->cpu);
	free(s);
}

static const struct pipeline_cpu *pipeline_cpu_of(const struct pipeline *s,
						    pid_t tid)
{
	for (size_t i = 0; i < s->ncpu; i++)
		if (s->cpu[i].tid == tid)
			return &s->cpu[i];
	return NULL;
}

/* Per-thread CPU % from the ticks of m against the previous refresh. */
static void pipeline_threads(struct pipeline *s, const struct vmmap *m,
			      long now_ms)
{
	struct pipeline_cpu *cpu = xcalloc(m->nthreads + 1, sizeof(*cpu));
	double dt = (double)(now_ms - s->last_ms) / 1000.0;
	long hz = sysconf(_SC_CLK_TCK);

	for (size_t i = 0; i < m->nthreads; i++) {
		const struct pipeline_cpu *old =
			pipeline_cpu_of(s, m->threads[i].tid);

		cpu[i].tid = m->threads[i].tid;
		cpu[i].ticks = m->threads[i].ticks;
		cpu[i].pct = -1;
		if (old && s->last_ms && dt > 0 && hz > 0 &&
		    cpu[i].ticks >= old->ticks)
			cpu[i].pct = (double)(cpu[i].ticks - old->ticks) /
				     (double)hz / dt * 100.0;
	}
	free(s->cpu);
	s->cpu = cpu;
	s->ncpu = m->nthreads;
}

static double pipeline_smooth(double old, double now)
{
	return old > 0 ? (old + now) / 2 : now;
}

static long pipeline_interval(long delay_ms, double cost_ms, double budget)
{
	long need = (long)(cost_ms / budget);

	return need > delay_ms ? need : delay_ms;
}

/* What classification may keep from the previous refresh (see struct
 * classify_history): the owned thread stacks of prev, by start.  Their
 * threads' being alive is classify's to check.  Returns the array h
 * points to, for the caller to free (NULL when empty). */
static struct classify_stack_owner *
pipeline_history(const struct vmmap *prev, const struct vmmap *m,
		 struct classify_history *h)
{
	struct classify_stack_owner *o = NULL;
	size_t n = 0, cap = 0;
	bool running = false;

	/* classify asks for an owner only for a thread running when read:
	 * without one, no pass over the previous regions */
	for (size_t t = 0; t < m->nthreads && !running; t++)
		running = m->threads[t].sp_status == SP_RUNNING;
	for (size_t i = 0; running && prev && i < prev->nregions; i++) {
		const struct region *r = &prev->regions[i];

		if (r->kind != KIND_THREAD_STACK || r->tid <= 0 ||
		    (r->tags & TAG_GUARD))
			continue;
		XGROW(o, cap, n + 1);
		o[n].start = r->start;
		o[n].end = r->end;
		o[n].tid = r->tid;
		n++;
	}
	/* regions are sorted by start: so is o */
	h->stacks = o;
	h->nstacks = n;
	return o;
}

/* Reads, classifies and builds one refresh.  Returns 0, or -errno with
 * nothing changed. */
static int pipeline_take(struct pipeline *s, bool smaps, long now_ms)
{
	unsigned flags = PROCMAP_THREADS | PROCMAP_PROBE | PROCMAP_NO_ROLLUP;
	double t0 = clock_thread_cpu_ms();
	struct vmmap *m = NULL;
	struct classify_history hist;
	struct classify_stack_owner *owners;
	struct maptree *t;
	int rc;

	if (smaps)
		flags |= PROCMAP_SMAPS;
	if (smaps && (s->flags & PIPELINE_THROTTLE) &&
	    (!s->m || s->m->nregions < SMAPS_ALL_MAX))
		flags |= PROCMAP_SMAPS_ALL;
	if (!s->m)
		flags |= PROCMAP_ENV | PROCMAP_EXE;
	/* after the first read, the environment and the executable's facts
	 * are the previous read's (read once) */
	rc = source_read(s->src, s->pid, flags, s->m, &m);
	/* another start time: the process exited and its pid went to
	 * another one, which is not the process this pipeline shows */
	if (rc >= 0 && s->start && m->start_ticks &&
	    m->start_ticks != s->start)
		m->gone = true;
	if (rc < 0 || m->gone) {
		if (m)
			vmmap_free(m);
		return rc < 0 ? rc : -ESRCH;
	}
	if (!s->start)
		s->start = m->start_ticks;
	if (s->m && !smaps && !m->saved)
		diff_carry_smaps(m, s->m);
	owners = pipeline_history(s->m, m, &hist);
	classify_vmmap_with(m, s->rules, &hist);
	free(owners);
	t = maptree_build(m);
	if (s->flags & PIPELINE_DIFF)
		diff_update(s->diff, t);
	pipeline_threads(s, m, now_ms);
	maptree_free(s->t);
	if (s->m)
		vmmap_free(s->m);
	s->m = m;
	s->t = t;
	s->weight = (smaps ? s->smaps_ms : s->maps_ms) > 0 ? 0.5 : 1.0;
	if (smaps)
		s->smaps_ms = pipeline_smooth(s->smaps_ms,
					       clock_thread_cpu_ms() - t0);
	else
		s->maps_ms = pipeline_smooth(s->maps_ms,
					      clock_thread_cpu_ms() - t0);
	return 0;
}

/* Sets when the next refreshes are due from the costs and the last one. */
static void pipeline_schedule(struct pipeline *s)
{
	if (!s->stale) {
		s->smaps_every = pipeline_interval(s->delay_ms, s->smaps_ms,
						    s->smaps_budget);
		s->next_smaps = s->smaps_at + s->smaps_every;
	}
	s->maps_every = pipeline_interval(s->delay_ms, s->maps_ms,
					   s->maps_budget);
	s->next_maps = s->last_ms + s->maps_every;
}

void pipeline_charge(struct pipeline *s, double ms)
{
	if (!s->m || ms <= 0)
		return;
	if (s->stale)
		s->maps_ms += ms * s->weight;
	else
		s->smaps_ms += ms * s->weight;
	pipeline_schedule(s);
}

/* A failed read: -ESRCH means the process exited (the last tree stays);
 * anything else is remembered.  Returns whether the picture changed. */
static bool pipeline_failed(struct pipeline *s, int rc)
{
	bool changed = s->error != rc;

	if (rc == -ESRCH) {
		s->exited = true;
		return true;
	}
	s->error = rc;
	return changed;
}

bool pipeline_refresh(struct pipeline *s, long now_ms, long delay_ms,
		       bool force)
{
	bool throttle = s->flags & PIPELINE_THROTTLE;
	bool smaps = !throttle || now_ms >= s->next_smaps;
	int rc;

	if (s->exited)
		return false;
	if (!smaps && !force && now_ms < s->next_maps)
		return false;
	/* The first time, maps alone says how many regions there are, so
	 * that smaps keeps every counter only where that is cheap. */
	rc = s->m || !throttle ? 0 : pipeline_take(s, false, now_ms);
	if (rc == 0)
		rc = pipeline_take(s, smaps, now_ms);
	if (rc < 0) {
		s->next_maps = now_ms + delay_ms;
		return pipeline_failed(s, rc);
	}
	s->error = 0;
	s->stale = !smaps;
	s->last_ms = now_ms;
	s->delay_ms = delay_ms;
	if (smaps) {
		s->smaps_at = now_ms;
		s->smaps_reads++;
	}
	pipeline_schedule(s);
	return true;
}

pid_t pipeline_pid(const struct pipeline *s)
{
	return s->pid;
}

const struct maptree *pipeline_tree(const struct pipeline *s)
{
	return s->t;
}

const struct vmmap *pipeline_vmmap(const struct pipeline *s)
{
	return s->m;
}

const struct diff *pipeline_diff(const struct pipeline *s)
{
	return s->diff;
}

int pipeline_error(const struct pipeline *s)
{
	return s->error;
}

size_t pipeline_access_why(const struct pipeline *s, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	if (!s->src->live || (s->error != -EACCES && !(s->m && s->m->missing)))
		return 0;
	return access_explain(s->pid, buf, size);
}

bool pipeline_exited(const struct pipeline *s)
{
	return s->exited;
}

void pipeline_cadence(const struct pipeline *s, long now_ms,
		       struct pipeline_cadence *c)
{
	memset(c, 0, sizeof(*c));
	c->smaps_ms = s->smaps_ms;
	c->maps_ms = s->maps_ms;
	c->smaps_every = (double)s->smaps_every / 1000.0;
	c->maps_every = (double)s->maps_every / 1000.0;
	c->smaps_age = s->smaps_at ? (double)(now_ms - s->smaps_at) / 1000.0 :
				     0;
	c->stale = s->stale;
	c->smaps_reads = s->smaps_reads;
}

double pipeline_thread_cpu(const struct pipeline *s, pid_t tid)
{
	const struct pipeline_cpu *c = pipeline_cpu_of(s, tid);

	return c ? c->pct : -1;
}
