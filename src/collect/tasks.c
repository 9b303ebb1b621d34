/* tasks: the threads of the processes asked for, as rows.
 *
 * Each read makes new rows; the ticks of the last read are kept in a hash
 * by TID and start time, so a TID reused by another thread never inherits
 * its predecessor's ticks.  Names go into one pool, pointed to once the
 * read is over (the pool moves while it grows). */
#include "config.h"

#include "vmtop/tasks.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/clock.h"
#include "vmtop/hash.h"
#include "vmtop/procfile.h"
#include "vmtop/proctable.h"
#include "vmtop/xalloc.h"

struct tasks {
	char *root;
	long hertz;
	struct proc_task *rows;
	size_t n, cap;
	char *pool;
	size_t pool_len, pool_cap;
	/* ticks of the last read (seen, ticks) and of this one (_next) */
	struct hash_table seen, seen_next;
	unsigned long long *ticks, *ticks_next;
	size_t nticks_next, cap_ticks, cap_ticks_next;
	long read_ms; /* CLOCK_MONOTONIC of the last read, 0: none */
};

struct tasks *tasks_new(const char *proc_root)
{
	struct tasks *tt = xcalloc(1, sizeof(*tt));

	tt->root = xstrdup(procfile_root(proc_root));
	tt->hertz = sysconf(_SC_CLK_TCK);
	if (tt->hertz <= 0)
		tt->hertz = 100;
	return tt;
}

void tasks_free(struct tasks *tt)
{
	if (!tt)
		return;
	free(tt->root);
	free(tt->rows);
	free(tt->pool);
	free(tt->ticks);
	free(tt->ticks_next);
	hash_table_release(&tt->seen);
	hash_table_release(&tt->seen_next);
	free(tt);
}

/* Never 0 (the hash's empty key): a TID is at least 1. */
static uint64_t tasks_key(pid_t tid, unsigned long long start)
{
	return (uint64_t)start << 22 ^ (uint64_t)(uint32_t)tid;
}

static size_t tasks_pool_put(struct tasks *tt, const char *s, size_t len)
{
	size_t at = tt->pool_len;

	XGROW(tt->pool, tt->pool_cap, tt->pool_len + len + 1);
	memcpy(tt->pool + at, s, len);
	tt->pool[at + len] = '\0';
	tt->pool_len += len + 1;
	return at;
}

/* CPU% of a task from its ticks now and at the last read, et seconds
 * before; remembers them for the next read. */
static double tasks_cpu(struct tasks *tt, pid_t tid,
			const struct proc_stat *f, double et)
{
	uint64_t key = tasks_key(tid, f->start);
	uint32_t v = hash_table_get(&tt->seen, key);
	uint32_t *slot = hash_table_put(&tt->seen_next, key);
	double pct = -1;

	if (v != HASH_NONE && et > 0 && f->ticks >= tt->ticks[v])
		pct = (double)(f->ticks - tt->ticks[v]) * 100.0 /
		      ((double)tt->hertz * et);
	if (*slot == HASH_NONE) {
		*slot = (uint32_t)tt->nticks_next;
		XGROW(tt->ticks_next, tt->cap_ticks_next,
		      tt->nticks_next + 1);
		tt->ticks_next[tt->nticks_next++] = f->ticks;
	}
	return pct;
}

static int tasks_tid_cmp(const void *a, const void *b)
{
	const struct proc_task *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

static void tasks_add(struct tasks *tt, int dfd, pid_t pid, long tid,
		      double et)
{
	char path[64], buf[1024];
	struct proc_stat f;
	struct proc_task *t;
	int len;

	snprintf(path, sizeof(path), "task/%ld/stat", tid);
	len = procfile_read(dfd, path, buf, sizeof(buf));
	if (len <= 0 || proctable_parse_stat(buf, (size_t)len, &f))
		return; /* gone meanwhile */
	XGROW(tt->rows, tt->cap, tt->n + 1);
	t = &tt->rows[tt->n++];
	t->tid = (pid_t)tid;
	t->tgid = pid;
	t->state = f.state;
	/* the pool's offset, made a pointer once the read is over */
	t->comm = (const char *)(uintptr_t)tasks_pool_put(tt, f.comm,
							  f.comm_len);
	t->cpu_pct = tasks_cpu(tt, t->tid, &f, et);
}

/* The tasks of one process, appended to the rows. */
static void tasks_read_one(struct tasks *tt, pid_t pid, double et)
{
	int dfd = procfile_open_pid(tt->root, pid), tfd;
	size_t first = tt->n;
	struct dirent *de;
	DIR *d;

	if (dfd < 0)
		return;
	tfd = openat(dfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = tfd >= 0 ? fdopendir(tfd) : NULL;
	if (!d) {
		if (tfd >= 0)
			close(tfd);
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		long tid = strtol(de->d_name, NULL, 10);

		if (tid > 0)
			tasks_add(tt, dfd, pid, tid, et);
	}
	closedir(d);
	close(dfd);
	qsort(tt->rows + first, tt->n - first, sizeof(*tt->rows),
	      tasks_tid_cmp);
}

size_t tasks_read(struct tasks *tt, const pid_t *pids, size_t n)
{
	long now = clock_monotonic_ms();
	double et = tt->read_ms ? (double)(now - tt->read_ms) / 1000.0 : 0;
	struct hash_table h;
	unsigned long long *tk;
	size_t cap;

	tt->n = 0;
	tt->pool_len = 0;
	tt->nticks_next = 0;
	hash_table_clear(&tt->seen_next);
	for (size_t i = 0; i < n; i++)
		tasks_read_one(tt, pids[i], et);
	for (size_t i = 0; i < tt->n; i++)
		tt->rows[i].comm = tt->pool + (uintptr_t)tt->rows[i].comm;
	/* this read's ticks are the next one's past */
	h = tt->seen;
	tt->seen = tt->seen_next;
	tt->seen_next = h;
	tk = tt->ticks;
	tt->ticks = tt->ticks_next;
	tt->ticks_next = tk;
	cap = tt->cap_ticks;
	tt->cap_ticks = tt->cap_ticks_next;
	tt->cap_ticks_next = cap;
	tt->read_ms = now;
	return tt->n;
}

const struct proc_task *tasks_rows(const struct tasks *tt, size_t *n)
{
	*n = tt->n;
	return tt->rows;
}
