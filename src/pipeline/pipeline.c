/* pipeline: one process's refresh from a source to a tree (pipeline.h).
 *
 * A refresh is timed with the thread's CPU clock (the kernel's work of
 * generating maps or smaps is charged to the reader), smoothed over the
 * last refreshes, and the next refresh of the same sort is scheduled so
 * that its share of one core stays under the budget.
 *
 * A pipeline follows one process, not one pid: the start time of its
 * first read is checked on every later one, and a pid taken by another
 * process reads as "exited" (the last picture stays).
 *
 * A refresh is two steps: prepare (read, carry the smaps counters,
 * classify, build the tree) makes a new vmmap and tree from the source
 * and only reads the current ones; commit (diff, thread CPU, costs) swaps
 * them in.  With PIPELINE_ASYNC, prepare runs on a job thread of its own
 * while the caller keeps drawing the current tree, and the caller
 * commits when it next asks.  Classification is serialised by one lock:
 * its rules keep match data that two jobs must not share. */
#include "config.h"

#include "vmtop/pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
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

/* Jobs still running, those of freed pipelines too, so that
 * pipeline_wait_all() can wait for them before the sources and rules
 * they borrow go. */
static pthread_mutex_t pipeline_jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pipeline_jobs_done = PTHREAD_COND_INITIALIZER;
static unsigned pipeline_jobs_running;
static pthread_mutex_t pipeline_classify_lock = PTHREAD_MUTEX_INITIALIZER;

struct pipeline;

/* One prepared refresh: what prepare was asked, what it made.  Owned by
 * its pipeline, or by its thread once the pipeline is freed (orphan). */
struct pipeline_job {
	struct pipeline *s;   /* NULL once orphaned */
	bool smaps;
	long now_ms;          /* when it was started */
	const struct vmmap *after; /* the pipeline's vmmap when it started */
	bool counted;         /* a refresh of its own (not the first
			       * refresh's maps-only look): in the history */
	struct vmmap *m;      /* the new read, or NULL */
	struct maptree *t;
	int rc;
	double cpu_ms;        /* its thread's CPU time */
	atomic_bool done;
	/* an orphan's inputs, freed by its thread */
	struct vmmap *prev;
	unsigned long long start;
	unsigned flags;
	struct source *src;
	const struct rules *rules;
	pid_t pid;
	void (*wake)(void);
};

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
	struct history *hist;
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
	struct pipeline_job *job;   /* PIPELINE_ASYNC: prepared or preparing */
	long job_delay_ms;          /* the interval given when it started */
	void (*wake)(void);         /* called by a job thread when done */
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
	s->hist = history_new();
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

static void pipeline_job_free(struct pipeline_job *j)
{
	maptree_free(j->t);
	if (j->m)
		vmmap_free(j->m);
	if (j->prev)
		vmmap_free(j->prev);
	free(j);
}

void pipeline_free(struct pipeline *s)
{
	bool orphan = false;

	if (!s)
		return;
	if (s->job) {
		/* a running job gets the vmmap it reads and frees it, so
		 * that leaving a view never waits for a read */
		pthread_mutex_lock(&pipeline_jobs_lock);
		if (!atomic_load(&s->job->done)) {
			s->job->s = NULL;
			s->job->prev = s->m;
			s->m = NULL;
			orphan = true;
		}
		pthread_mutex_unlock(&pipeline_jobs_lock);
		if (!orphan)
			pipeline_job_free(s->job);
	}
	maptree_free(s->t);
	if (s->m)
		vmmap_free(s->m);
	diff_free(s->diff);
	history_free(s->hist);
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

/* Reads, classifies and builds one refresh of pid from src, after prev
 * (the current vmmap, only read; NULL the first time) of a process that
 * started at start (0: unknown).  Fills j's results: 0 with j->m and j->t,
 * or -errno.  Touches nothing of the pipeline: it may run on a job
 * thread while the caller draws. */
static void pipeline_prepare(struct pipeline_job *j, const struct vmmap *prev)
{
	unsigned flags = PROCMAP_THREADS | PROCMAP_PROBE | PROCMAP_NO_ROLLUP;
	double t0 = clock_thread_cpu_ms();
	struct vmmap *m = NULL;
	struct classify_history hist;
	struct classify_stack_owner *owners;
	int rc;

	j->m = NULL;
	j->t = NULL;
	if (j->smaps)
		flags |= PROCMAP_SMAPS;
	if (j->smaps && (j->flags & PIPELINE_THROTTLE) &&
	    (!prev || prev->nregions < SMAPS_ALL_MAX))
		flags |= PROCMAP_SMAPS_ALL;
	if (!prev)
		flags |= PROCMAP_ENV | PROCMAP_EXE;
	/* after the first read, the environment and the executable's facts
	 * are the previous read's (read once) */
	rc = source_read(j->src, j->pid, flags, prev, &m);
	/* another start time: the process exited and its pid went to
	 * another one, which is not the process this pipeline shows */
	if (rc >= 0 && j->start && m->start_ticks &&
	    m->start_ticks != j->start)
		m->gone = true;
	if (rc < 0 || m->gone) {
		if (m)
			vmmap_free(m);
		j->rc = rc < 0 ? rc : -ESRCH;
		j->cpu_ms = clock_thread_cpu_ms() - t0;
		return;
	}
	if (prev && !j->smaps && !m->saved)
		diff_carry_smaps(m, prev);
	owners = pipeline_history(prev, m, &hist);
	pthread_mutex_lock(&pipeline_classify_lock);
	classify_vmmap_with(m, j->rules, &hist);
	pthread_mutex_unlock(&pipeline_classify_lock);
	free(owners);
	j->t = maptree_build(m);
	j->m = m;
	j->rc = 0;
	j->cpu_ms = clock_thread_cpu_ms() - t0;
}

static void pipeline_job_init(struct pipeline *s, struct pipeline_job *j,
			      bool smaps, long now_ms)
{
	j->s = s;
	j->smaps = smaps;
	j->now_ms = now_ms;
	j->start = s->start;
	j->flags = s->flags;
	j->src = s->src;
	j->rules = s->rules;
	j->pid = s->pid;
	j->wake = s->wake;
	j->after = s->m;
	atomic_init(&j->done, false);
}

/* At most this many earlier refreshes of a saved source are replayed
 * into a history: as many as its coarsest ring spans (history.h). */
#define PIPELINE_REPLAY_MAX                                                  \
	(HISTORY_SLOTS * HISTORY_STRIDE * HISTORY_STRIDE)

/* The time of the last sample of h, or -1 when it is empty. */
static double pipeline_history_last(const struct history *h)
{
	uint64_t v;
	double t;

	return history_series(h, HISTORY_TOTAL, HISTORY_VSZ, &v, &t, 1) ? t
									  : -1;
}

/* A saved source (one that steps through refreshes) shows refresh k of
 * its file: the history is the one live refreshes made up to it, so the
 * earlier refreshes that hold the process are read and recorded first,
 * once when the pipeline opens on k (the map view opened on a loaded
 * file) and again from the start when it is shown a refresh older than
 * its history's last ([ stepped back).  Each is read, classified (as
 * saved) and built as pipeline_prepare() does, its tree dropped. */
static void pipeline_replay(struct pipeline *s, double time)
{
	struct source_moment mo;
	size_t from;

	if (!source_moment(s->src, &mo) || mo.index == 0 ||
	    !s->src->ops->read_at)
		return;
	if (history_refreshes(s->hist) && time >=
	    pipeline_history_last(s->hist))
		return; /* a later refresh: it follows the history */
	history_free(s->hist);
	s->hist = history_new();
	from = mo.index > PIPELINE_REPLAY_MAX ? mo.index - PIPELINE_REPLAY_MAX
					      : 0;
	for (size_t k = from; k < mo.index; k++) {
		struct classify_history hist;
		struct classify_stack_owner *owners;
		struct maptree *t;
		struct vmmap *m;

		if (source_read_at(s->src, k, s->pid, &m) < 0)
			continue;
		owners = pipeline_history(NULL, m, &hist);
		pthread_mutex_lock(&pipeline_classify_lock);
		classify_vmmap_with(m, s->rules, &hist);
		pthread_mutex_unlock(&pipeline_classify_lock);
		free(owners);
		t = maptree_build(m);
		history_add(s->hist, m->time, t);
		maptree_free(t);
		vmmap_free(m);
	}
}

/* The smoothed cost of a refresh of that sort. */
static double *pipeline_cost(struct pipeline *s, bool smaps)
{
	return smaps ? &s->smaps_ms : &s->maps_ms;
}

/* Swaps a prepared refresh in.  Returns j->rc (0, or -errno with
 * nothing changed); j's results are the pipeline's or freed.  The
 * refresh's cost is its prepare's CPU time plus the commit's own. */
static int pipeline_commit(struct pipeline *s, struct pipeline_job *j)
{
	double t0 = clock_thread_cpu_ms();
	double *cost = pipeline_cost(s, j->smaps);

	if (j->rc < 0)
		return j->rc;
	if (!s->start)
		s->start = j->m->start_ticks;
	if ((s->flags & PIPELINE_HISTORY) && j->counted) {
		pipeline_replay(s, j->m->time);
		history_add(s->hist, j->m->time, j->t);
		history_insight(j->t, s->hist);
	}
	if (s->flags & PIPELINE_DIFF)
		diff_update(s->diff, j->t);
	pipeline_threads(s, j->m, j->now_ms);
	maptree_free(s->t);
	if (s->m)
		vmmap_free(s->m);
	s->m = j->m;
	s->t = j->t;
	j->m = NULL;
	j->t = NULL;
	s->weight = *cost > 0 ? 0.5 : 1.0;
	*cost = pipeline_smooth(*cost, j->cpu_ms);
	/* the diff, history and thread figures, on this thread */
	*cost += (clock_thread_cpu_ms() - t0) * s->weight;
	return 0;
}

/* One refresh, read on the caller's thread. */
static int pipeline_take(struct pipeline *s, bool smaps, long now_ms,
			 bool counted)
{
	struct pipeline_job j = { 0 };

	pipeline_job_init(s, &j, smaps, now_ms);
	j.counted = counted;
	pipeline_prepare(&j, s->m);
	return pipeline_commit(s, &j);
}

static void *pipeline_job_main(void *arg)
{
	struct pipeline_job *j = arg;
	void (*wake)(void);
	bool orphan;

	pipeline_prepare(j, j->after);
	pthread_mutex_lock(&pipeline_jobs_lock);
	orphan = j->s == NULL;
	wake = j->wake;
	atomic_store(&j->done, true);
	pipeline_jobs_running--;
	pthread_cond_broadcast(&pipeline_jobs_done);
	pthread_mutex_unlock(&pipeline_jobs_lock);
	if (orphan)
		pipeline_job_free(j);
	else if (wake)
		wake();
	return NULL;
}

/* Starts preparing a refresh on a job thread.  Returns 0, or -errno when
 * no thread could be made (the caller then reads in place). */
static int pipeline_job_start(struct pipeline *s, bool smaps, long now_ms)
{
	struct pipeline_job *j = xcalloc(1, sizeof(*j));
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t th;
	int rc;

	pipeline_job_init(s, j, smaps, now_ms);
	j->counted = true;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* the signals sent to the process are the UI thread's: the job
	 * never runs their handlers; a fault of its own (SIGSEGV, SIGBUS,
	 * SIGFPE, SIGILL, SIGABRT) stays its own, so that the crash handler
	 * still restores the terminal */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGABRT);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	s->job = j;
	pthread_mutex_lock(&pipeline_jobs_lock);
	pipeline_jobs_running++;
	pthread_mutex_unlock(&pipeline_jobs_lock);
	rc = pthread_create(&th, &attr, pipeline_job_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		pthread_mutex_lock(&pipeline_jobs_lock);
		pipeline_jobs_running--;
		pthread_mutex_unlock(&pipeline_jobs_lock);
		s->job = NULL;
		free(j);
		return -rc;
	}
	return 0;
}

void pipeline_wait_all(void)
{
	pthread_mutex_lock(&pipeline_jobs_lock);
	while (pipeline_jobs_running)
		pthread_cond_wait(&pipeline_jobs_done, &pipeline_jobs_lock);
	pthread_mutex_unlock(&pipeline_jobs_lock);
}

void pipeline_set_wake(struct pipeline *s, void (*wake)(void))
{
	s->wake = wake;
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
	*pipeline_cost(s, !s->stale) += ms * s->weight;
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

/* After a refresh (rc its result) that was due at now_ms: the state,
 * the schedule.  Returns whether the picture changed. */
static bool pipeline_done(struct pipeline *s, int rc, bool smaps,
			  long now_ms, long delay_ms)
{
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

/* Commits the job's refresh if it is done.  Returns whether the picture
 * changed; false while it runs. */
static bool pipeline_collect(struct pipeline *s)
{
	struct pipeline_job *j = s->job;
	bool changed;

	if (!atomic_load(&j->done))
		return false;
	s->job = NULL;
	changed = pipeline_done(s, pipeline_commit(s, j), j->smaps, j->now_ms,
				s->job_delay_ms);
	pipeline_job_free(j);
	return changed;
}

bool pipeline_refresh(struct pipeline *s, long now_ms, long delay_ms,
		       bool force)
{
	bool throttle = s->flags & PIPELINE_THROTTLE;
	bool smaps = !throttle || now_ms >= s->next_smaps;
	int rc;

	if (s->job)
		return pipeline_collect(s);
	if (s->exited)
		return false;
	if (!smaps && !force && now_ms < s->next_maps)
		return false;
	/* after the first read (which the caller waits for: there is no
	 * picture before it), a job reads while the caller draws */
	if ((s->flags & PIPELINE_ASYNC) && s->m && s->src->concurrent_read) {
		s->job_delay_ms = delay_ms;
		if (pipeline_job_start(s, smaps, now_ms) == 0)
			return false;
	}
	/* The first time, maps alone says how many regions there are, so
	 * that smaps keeps every counter only where that is cheap. */
	rc = s->m || !throttle ? 0 : pipeline_take(s, false, now_ms, false);
	if (rc == 0)
		rc = pipeline_take(s, smaps, now_ms, true);
	return pipeline_done(s, rc, smaps, now_ms, delay_ms);
}

bool pipeline_settle(struct pipeline *s)
{
	if (!s->job)
		return false;
	pthread_mutex_lock(&pipeline_jobs_lock);
	while (!atomic_load(&s->job->done))
		pthread_cond_wait(&pipeline_jobs_done, &pipeline_jobs_lock);
	pthread_mutex_unlock(&pipeline_jobs_lock);
	return pipeline_collect(s);
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

const struct history *pipeline_totals_history(const struct pipeline *s)
{
	return s->hist;
}

int pipeline_baseline_set(struct pipeline *s)
{
	if (!s->m)
		return -EAGAIN;
	return diff_baseline_set(s->diff, s->m->time);
}

void pipeline_baseline_clear(struct pipeline *s)
{
	diff_baseline_clear(s->diff);
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

int pipeline_knobs(const struct pipeline *s, struct knobs *k, char *why,
		   size_t whysize)
{
	int rc = source_knobs(s->src, s->pid, k);

	if (whysize)
		why[0] = '\0';
	if (rc == 0 && s->src->live &&
	    (k->env_err == -EACCES || k->env_err == -EPERM))
		access_explain(s->pid, why, whysize);
	return rc;
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
