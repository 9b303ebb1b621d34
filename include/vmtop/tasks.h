/* tasks: the threads of processes as rows of the list (htop's H).
 *
 * tasks_read() lists ROOT/PID/task of each process asked for and reads
 * each task's stat: TID, name, state and CPU%.  It costs one directory
 * listing and one small read per thread, so the list asks for it only
 * while threads are shown, and only for the processes it shows that have
 * more than one thread.  CPU% is computed as proctable does, from tick
 * deltas between two reads keyed by TID and start time (a thread seen for
 * the first time has none yet). */
#ifndef VMTOP_TASKS_H
#define VMTOP_TASKS_H

#include <stddef.h>
#include <sys/types.h>

struct proc_task {
	pid_t tid;
	pid_t tgid;          /* its process */
	const char *comm;    /* raw, never NULL */
	char state;          /* as in stat */
	double cpu_pct;      /* < 0: unknown (first sample) */
};

struct tasks;

/* A reader of the tasks under proc_root (NULL: "/proc"; copied).  Never
 * NULL. */
struct tasks *tasks_new(const char *proc_root);
void tasks_free(struct tasks *tt);

/* Reads the tasks of pids[0..n), each process's in TID order (a process
 * gone meanwhile has none; a task gone meanwhile is left out).  Returns
 * the number of rows; they and their strings stay valid until the next
 * read or free. */
size_t tasks_read(struct tasks *tt, const pid_t *pids, size_t n);
const struct proc_task *tasks_rows(const struct tasks *tt, size_t *n);

#endif
