/* access: why the kernel refuses vmtop part of a live process — which
 * file or call was refused, with which error, and the reason that
 * applies: another user's process without CAP_SYS_PTRACE (root in a
 * container that dropped it, or an ordinary user), Yama's ptrace_scope,
 * a process that is not dumpable.  Never "run as root" to root.
 *
 * It asks the kernel again at the moment it is called (a few opens and
 * one process_vm_readv of zero bytes' worth), so that what it reports is
 * what the kernel says, not what vmtop guesses from uids
 * (REFERENCE.md 1.6). */
#ifndef VMTOP_ACCESS_H
#define VMTOP_ACCESS_H

#include <stddef.h>
#include <sys/types.h>

/* Writes into buf (NUL-terminated, cut to size) one or two sentences:
 * what was refused for pid under the live /proc ("refused: /proc/42/maps
 * (EACCES), process_vm_readv (EPERM)") and why, with what would allow
 * it.  Returns the length written, 0 when nothing is refused now (the
 * process may have exited). */
size_t access_explain(pid_t pid, char *buf, size_t size);

#endif
