/* threads: the threads of a process with their state and user stack
 * pointer, from /proc/PID/task. */
#ifndef VMTOP_THREADS_H
#define VMTOP_THREADS_H

#include <stddef.h>

#include "vmtop/vmmap.h"

/* Parses the text of task/TID/stat, buf[0..len): comm (between the first
 * '(' and the last ')', so names with spaces and parentheses work),
 * state, and utime + stime into t->name, t->state and t->ticks.
 * Returns 0 or -EINVAL. */
int threads_parse_stat(const char *buf, size_t len, struct vmthread *t);

/* Parses the text of task/TID/syscall, buf[0..len): sets t->sp and
 * t->sp_status (SP_OK with the second-to-last field, SP_RUNNING for
 * "running").  Returns 0 or -EINVAL. */
int threads_parse_syscall(const char *buf, size_t len, struct vmthread *t);

/* Lists dirfd's "task" directory (dirfd: /proc/PID) into m->threads,
 * main thread first then by TID, each with stat and syscall read.
 * Sets MISSING_STACKS in m->missing when a syscall file is denied.
 * Threads that exit meanwhile are dropped.  Returns 0 or -errno when the
 * task directory cannot be listed. */
int threads_read(int dirfd, struct vmmap *m);

#endif
