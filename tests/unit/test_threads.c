/* test_threads: task/TID/stat with hostile comms, task/TID/syscall in its
 * three shapes and malformed, this process's own threads against what
 * they report from inside, and a thread that works in bursts: read
 * again while it says "running", it is caught with a stack pointer. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/threads.h"
#include "vmtop/vmmap.h"

#define TEXT(s) s, sizeof(s) - 1

static void test_stat(void)
{
	struct vmthread t;

	memset(&t, 0, sizeof(t));
	tap_is_int(threads_parse_stat(TEXT("42 (a) b (c)) S 1 42 42 0 -1 "
					   "4194560 100 0 0 0 17 25 0 0 20 0 "
					   "1 0 100 0 0\n"),
				      &t),
		   0, "comm with spaces and parentheses");
	tap_is_str(t.name, "a) b (c)", "comm up to the last ')'");
	tap_ok(t.state == 'S', "state");
	tap_is_int((long long)t.ticks, 42, "utime + stime");
	tap_is_int(threads_parse_stat(TEXT("7 (x\n) R 1 2 3 4 5 6 7 8 9 10 "
					   "3 4\n"),
				      &t),
		   0, "comm with a newline");
	tap_ok(t.state == 'R' && t.ticks == 7 && !strcmp(t.name, "x\n"),
	       "newline kept raw, fields after it read");
	tap_is_int(threads_parse_stat(TEXT("7 (x) S 1 2"), &t), -EINVAL,
		   "truncated before utime");
	tap_is_int(threads_parse_stat(TEXT("7 x S 1"), &t), -EINVAL,
		   "no parentheses");
	tap_is_int(threads_parse_stat(TEXT("7 (x)"), &t), -EINVAL,
		   "nothing after comm");
	tap_is_int(threads_parse_stat(TEXT("7 (012345678901234567890123456789"
					   "012345678901234567890123456789012"
					   "34567890) S 1 2 3 4 5 6 7 8 9 10 "
					   "1 1"),
				      &t),
		   0, "over-long comm");
	tap_is_int((long long)strlen(t.name), 63, "truncated to 63 bytes");
}

static void test_syscall(void)
{
	struct vmthread t;

	memset(&t, 0, sizeof(t));
	tap_is_int(threads_parse_syscall(TEXT("running\n"), &t), 0, "running");
	tap_ok(t.sp_status == SP_RUNNING && t.sp == 0, "SP_RUNNING");
	tap_is_int(threads_parse_syscall(TEXT("34 0x0 0x0 0x2 0x7f 0x0 0x78 "
					      "0x7ffcb2b0ae60 "
					      "0x7f2b4147fdf2\n"),
					 &t),
		   0, "blocked in a syscall");
	tap_ok(t.sp_status == SP_OK && t.sp == 0x7ffcb2b0ae60ull,
	       "SP is the second-to-last field");
	tap_is_int(threads_parse_syscall(TEXT("-1 0x7ffd1000 0x401000\n"), &t),
		   0, "outside a syscall");
	tap_ok(t.sp == 0x7ffd1000ull, "SP of -1 form");
	tap_is_int(threads_parse_syscall(TEXT("0x7ffd1000"), &t), -EINVAL,
		   "one field");
	tap_is_int(threads_parse_syscall(TEXT(""), &t), -EINVAL, "empty");
	tap_is_int(threads_parse_syscall(TEXT("-1 0xzz 0x1\n"), &t), -EINVAL,
		   "not hex");
	tap_is_int(threads_parse_syscall(TEXT("-1 0x11112222333344445 0x1"),
					 &t),
		   -EINVAL, "more than 64 bits");
}

static pthread_barrier_t bar;
static pid_t worker_tid;

static void *worker(void *arg)
{
	(void)arg;
	worker_tid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	return NULL;
}

/* Our own threads: the worker, blocked in the barrier, must show up
 * with its TID and an SP that is a real stack address of this process. */
static void test_self(void)
{
	struct vmmap *m = vmmap_new(getpid());
	int dirfd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	pthread_t th;
	bool found = false;

	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&th, NULL, worker, NULL);
	pthread_barrier_wait(&bar);
	usleep(50000);  /* let the worker block in the second wait */
	tap_is_int(threads_read(dirfd, m), 0, "threads_read(/proc/self)");
	tap_is_int((long long)m->nthreads, 2, "two threads");
	tap_ok(m->nthreads && m->threads[0].tid == getpid(),
	       "main thread first");
	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].tid == worker_tid)
			found = m->threads[i].sp_status == SP_OK &&
				m->threads[i].sp != 0 &&
				m->threads[i].state == 'S';
	tap_ok(found, "worker found asleep with a stack pointer");
	pthread_barrier_wait(&bar);
	pthread_join(th, NULL);
	close(dirfd);
	vmmap_free(m);
}

static volatile int bursty_stop;
static volatile pid_t bursty_tid;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* On a CPU 1 ms, asleep 1 ms, over and over. */
static void *bursty(void *arg)
{
	const struct timespec nap = { 0, 1000000L };

	(void)arg;
	bursty_tid = (pid_t)syscall(SYS_gettid);
	while (!bursty_stop) {
		double end = now_ms() + 1.0;

		while (now_ms() < end && !bursty_stop)
			;
		nanosleep(&nap, NULL);
	}
	return NULL;
}

/* Whether one read of task/TID/syscall says "running". */
static bool running_once(int dirfd, pid_t tid)
{
	char path[64], buf[16] = "";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "task/%d/syscall", (int)tid);
	fd = openat(dirfd, path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n >= 7 && !memcmp(buf, "running", 7);
}

/* A single read finds the bursty thread "running" about half of the
 * time; threads_read() reads it again after short pauses (spanning more
 * than its 1 ms burst) and finds it asleep, with its stack pointer, far
 * more often.  Both are counted at the same moments, so that a loaded
 * machine (which keeps the thread runnable longer) moves both. */
/* One round of reads: how many single reads found the thread running
 * (*once), and how threads_read() found it (*running, *ok). */
static void running_round(int dirfd, int reads, int *once, int *running,
			  int *ok)
{
	*once = *running = *ok = 0;
	for (int k = 0; k < reads; k++) {
		struct vmmap *m = vmmap_new(getpid());

		*once += running_once(dirfd, bursty_tid);
		threads_read(dirfd, m);
		for (size_t i = 0; i < m->nthreads; i++) {
			if (m->threads[i].tid != bursty_tid)
				continue;
			*running += m->threads[i].sp_status == SP_RUNNING;
			*ok += m->threads[i].sp_status == SP_OK &&
			       m->threads[i].sp != 0;
		}
		vmmap_free(m);
		usleep(1300); /* out of step with the thread's 2 ms cycle */
	}
}

static void test_running(void)
{
	int dirfd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	const int reads = 60;
	int once = 0, running = 0, ok = 0;
	pthread_t th;

	pthread_create(&th, NULL, bursty, NULL);
	while (!bursty_tid)
		usleep(1000);
	/* a machine too busy to run the thread in its bursts gives too few
	 * single reads of "running" to compare with: up to three rounds */
	for (int round = 0; round < 3; round++) {
		running_round(dirfd, reads, &once, &running, &ok);
		if (once >= 10)
			break;
	}
	bursty_stop = 1;
	pthread_join(th, NULL);
	close(dirfd);
	tap_ok(once >= 10 && running * 5 <= once * 4,
	       "a bursty thread: running at %d of %d single reads, at %d "
	       "when read again", once, reads, running);
	tap_is_int(running + ok, reads, "else found with a stack pointer");
}

/* A process on its way out can list no task at all. */
static void test_no_task(void)
{
	char dir[] = "/tmp/vmtop-threads-XXXXXX";
	char task[sizeof(dir) + 8];
	struct vmmap *m = vmmap_new(4242);
	int dirfd;

	if (!mkdtemp(dir)) {
		tap_ok(false, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(task, sizeof(task), "%s/task", dir);
	mkdir(task, 0700);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	tap_is_int(threads_read(dirfd, m), 0, "an empty task directory reads");
	tap_is_int((long long)m->nthreads, 0, "with no thread");
	close(dirfd);
	rmdir(task);
	rmdir(dir);
	vmmap_free(m);
}

int main(void)
{
	test_stat();
	test_syscall();
	test_self();
	test_running();
	test_no_task();
	return tap_done();
}
