/* Unit tests of tasks: the threads of a process as rows, compared with
 * the kernel's own listing of /proc/self/task, names and states from
 * each task's stat, and CPU% once a second read has a past. */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/tasks.h"

#define NTHREADS 4

static pthread_barrier_t gate;

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "tasks-test");
	pthread_barrier_wait(&gate); /* named */
	pthread_barrier_wait(&gate); /* read */
	return NULL;
}

/* The TIDs of /proc/self/task, counted. */
static size_t kernel_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	size_t n = 0;

	while (d && (de = readdir(d)))
		n += atoi(de->d_name) > 0;
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	pthread_t th[NTHREADS];
	struct tasks *tt = tasks_new(NULL);
	const struct proc_task *rows;
	pid_t self = getpid(), none = 0x3fffff;
	size_t n, named = 0;
	bool sorted = true, mine = true, cpu_unknown = true, cpu_known = true;

	pthread_barrier_init(&gate, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, sleeper, NULL);
	pthread_barrier_wait(&gate);
	n = tasks_read(tt, &self, 1);
	rows = tasks_rows(tt, &n);
	tap_is_int((long long)n, (long long)kernel_tasks(),
		   "one row per entry of /proc/self/task");
	tap_is_int((long long)n, NTHREADS + 1, "the main thread and 4 more");
	for (size_t i = 0; i < n; i++) {
		named += strcmp(rows[i].comm, "tasks-test") == 0;
		mine &= rows[i].tgid == self;
		sorted &= i == 0 || rows[i - 1].tid < rows[i].tid;
		cpu_unknown &= rows[i].cpu_pct < 0;
	}
	tap_ok(n && rows[0].tid == self, "the main thread first (its TID is "
					 "the PID)");
	tap_is_int((long long)named, NTHREADS, "names from each task's stat");
	tap_ok(mine && sorted, "each row knows its process; TID order");
	tap_ok(cpu_unknown, "no CPU%% on first sight");
	nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	tasks_read(tt, &self, 1);
	rows = tasks_rows(tt, &n);
	for (size_t i = 0; i < n; i++)
		cpu_known &= rows[i].cpu_pct >= 0;
	tap_ok(cpu_known, "CPU%% on the second read");
	n = tasks_read(tt, &none, 1);
	tap_is_int((long long)n, 0, "a process that is not there has none");
	pthread_barrier_wait(&gate);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	tasks_free(tt);
	return tap_done();
}
