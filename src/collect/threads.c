/* threads: per-thread name, state, CPU ticks and user stack pointer.
 *
 * The stack pointer is what ties a thread to its stack mapping (thread
 * stacks are unnamed since Linux 4.5): task/TID/syscall prints it as the
 * second-to-last field, whether the thread sits in a syscall or not.
 * stat's kstkesp is always 0 nowadays, so it is not used.
 *
 * A thread on a CPU (or runnable) when its syscall file is read has no
 * stack pointer to give: the file says "running" (REFERENCE.md 2.5).
 * Such threads are read again, after the others and a short pause, a few
 * times: one that only works in bursts is caught asleep; one that spins
 * stays "running", and classification finds its stack without a stack
 * pointer (classify_stack). */
#include "config.h"

#include "vmtop/threads.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/procfile.h"
#include "vmtop/xalloc.h"

/* How many more times a running thread's syscall file is read, the pause
 * before each round, and at most how many threads a round reads again
 * (a process with thousands of busy threads costs a few ms more, not a
 * multiple of its refresh). */
#define THREADS_RUNNING_ROUNDS 3
#define THREADS_RUNNING_PAUSE_NS 500000L
#define THREADS_RUNNING_MAX 256

int threads_parse_stat(const char *buf, size_t len, struct vmthread *t)
{
	const char *open = memchr(buf, '(', len), *close, *p, *e = buf + len;
	unsigned long long v[2] = { 0, 0 };
	size_t n;
	int field;

	close = memrchr(buf, ')', len);
	if (!open || !close || close < open || e - close < 3)
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(t->name))
		n = sizeof(t->name) - 1;
	memcpy(t->name, open + 1, n);
	t->name[n] = '\0';
	t->state = close[2];
	/* state is field 3; utime and stime are fields 14 and 15 */
	for (p = close + 2, field = 3; p < e && field < 14; p++)
		if (*p == ' ')
			field++;
	for (int i = 0; i < 2; i++) {
		int digits = 0;

		while (p < e && (unsigned char)(*p - '0') < 10u &&
		       digits < 20) {
			v[i] = v[i] * 10 + (unsigned)(*p++ - '0');
			digits++;
		}
		if (!digits)
			return -EINVAL;
		if (p < e && *p == ' ')
			p++;
	}
	t->ticks = v[0] + v[1];
	return 0;
}

static bool parse_hex_field(const char *p, const char *e, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0;

	if (e - p > 2 && p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
	for (; p < e; p++, n++) {
		unsigned c = (unsigned char)*p;

		if (c - '0' < 10u)
			x = x << 4 | (c - '0');
		else if ((c | 0x20) - 'a' < 6u)
			x = x << 4 | ((c | 0x20) - 'a' + 10);
		else
			return false;
		if (n >= 16)
			return false;
	}
	*v = x;
	return n > 0;
}

int threads_parse_syscall(const char *buf, size_t len, struct vmthread *t)
{
	const char *f[2] = { NULL, NULL }, *fe[2] = { NULL, NULL };
	const char *p = buf, *e = buf + len;

	while (e > p && (e[-1] == '\n' || e[-1] == ' '))
		e--;
	if (e - p == 7 && !memcmp(p, "running", 7)) {
		t->sp = 0;
		t->sp_status = SP_RUNNING;
		return 0;
	}
	/* walk back over the last two space-separated fields */
	for (int i = 1; i >= 0; i--) {
		const char *s = e;

		while (s > p && s[-1] != ' ')
			s--;
		f[i] = s;
		fe[i] = e;
		if (s == p && i > 0)
			return -EINVAL;
		e = s > p ? s - 1 : s;
	}
	if (!parse_hex_field(f[0], fe[0], &t->sp))
		return -EINVAL;
	t->sp_status = SP_OK;
	return 0;
}

/* Fills t's stack pointer from task/TID/syscall. */
static void read_sp(int taskfd, struct vmthread *t, unsigned *missing)
{
	char path[64], buf[1024];
	int n;

	snprintf(path, sizeof(path), "%d/syscall", (int)t->tid);
	n = procfile_read(taskfd, path, buf, sizeof(buf));
	if (n == -EACCES || n == -EPERM) {
		t->sp_status = SP_DENIED;
		*missing |= MISSING_STACKS;
	} else if (n < 0 || n == 0) {
		t->sp_status = SP_GONE;
	} else if (threads_parse_syscall(buf, (size_t)n, t) < 0) {
		t->sp_status = SP_GONE;
	}
}

/* Fills t from task/TID; false when the thread is gone. */
static bool read_thread(int taskfd, struct vmthread *t, unsigned *missing)
{
	char path[64], buf[1024];
	int n;

	snprintf(path, sizeof(path), "%d/stat", (int)t->tid);
	n = procfile_read(taskfd, path, buf, sizeof(buf));
	if (n == -ENOENT || n == -ESRCH)
		return false;
	if (n < 0 || threads_parse_stat(buf, (size_t)n, t) < 0)
		t->state = '?';
	read_sp(taskfd, t, missing);
	return true;
}

/* Reads the syscall file of the threads that were running again, in a
 * few rounds with a pause before each, while some still are. */
static void reread_running(int taskfd, struct vmmap *m)
{
	const struct timespec pause = { 0, THREADS_RUNNING_PAUSE_NS };

	for (int round = 0; round < THREADS_RUNNING_ROUNDS; round++) {
		size_t again = 0;

		for (size_t i = 0; i < m->nthreads; i++)
			again += m->threads[i].sp_status == SP_RUNNING;
		if (!again)
			return;
		nanosleep(&pause, NULL);
		again = 0;
		for (size_t i = 0; i < m->nthreads &&
				   again < THREADS_RUNNING_MAX; i++) {
			if (m->threads[i].sp_status != SP_RUNNING)
				continue;
			read_sp(taskfd, &m->threads[i], &m->missing);
			again++;
		}
	}
}

static int tid_cmp_main_first(const void *a, const void *b, void *arg)
{
	pid_t x = ((const struct vmthread *)a)->tid;
	pid_t y = ((const struct vmthread *)b)->tid;
	pid_t main_tid = *(const pid_t *)arg;

	if (x == main_tid || y == main_tid)
		return (y == main_tid) - (x == main_tid);
	return (x > y) - (x < y);
}

static size_t list_tids(DIR *d, struct vmmap *m)
{
	size_t cap = 0;
	struct dirent *de;

	while ((de = readdir(d))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);

		if (*end || tid <= 0)
			continue;
		XGROW(m->threads, cap, m->nthreads + 1);
		memset(&m->threads[m->nthreads], 0, sizeof(*m->threads));
		m->threads[m->nthreads].tid = (pid_t)tid;
		m->threads[m->nthreads].state = '?';
		m->nthreads++;
	}
	return m->nthreads;
}

int threads_read(int dirfd, struct vmmap *m)
{
	int taskfd = openat(dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t i, w;
	DIR *d;

	if (taskfd < 0)
		return -errno;
	d = fdopendir(dup(taskfd));
	if (!d) {
		int err = -errno;

		close(taskfd);
		return err;
	}
	list_tids(d, m);
	closedir(d);
	/* an exiting process may list no task at all (threads stays NULL) */
	if (m->nthreads > 1)
		qsort_r(m->threads, m->nthreads, sizeof(*m->threads),
			tid_cmp_main_first, &m->pid);
	for (i = 0, w = 0; i < m->nthreads; i++) {
		if (!read_thread(taskfd, &m->threads[i], &m->missing))
			continue;
		if (w != i)
			m->threads[w] = m->threads[i];
		w++;
	}
	m->nthreads = w;
	reread_running(taskfd, m);
	close(taskfd);
	return 0;
}
