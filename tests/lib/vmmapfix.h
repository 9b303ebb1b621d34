/* vmmapfix: hand-built vmmaps for the unit tests of classify, maptree and
 * the map outputs: real-looking layouts of a C program with arenas,
 * stacks, libraries and shared memory, and of a pure Go program. */
#ifndef VMTOP_TESTS_VMMAPFIX_H
#define VMTOP_TESTS_VMMAPFIX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "vmtop/vmmap.h"

/* Appends a region; file mappings (path starting with '/') get an inode.
 * smaps counters: rss = pss = the size when perms allow reading, swap 0. */
struct region *vmmapfix_region(struct vmmap *m, uint64_t start, uint64_t end,
			       const char *perms, const char *path);
void vmmapfix_thread(struct vmmap *m, pid_t tid, const char *name,
		     uint64_t sp, int sp_status);
void vmmapfix_probe(struct vmmap *m, uint64_t addr, uint64_t ar_ptr,
		    uint64_t size, uint64_t mprotect_size, int err);
/* Sets status_vmsize_kib and rollup_rss_kib from the regions. */
void vmmapfix_finish(struct vmmap *m);

/* Classifies m with the default rules (aborts if they do not compile). */
void vmmapfix_classify(struct vmmap *m);

/* Whether a and b have the same regions: every field a maps or smaps
 * reader sets (header fields, path, deleted, the compact counters and,
 * when kept, every smaps counter and VmFlags). */
bool vmmapfix_same_regions(const struct vmmap *a, const struct vmmap *b);

/* A C program (pid 100) with: binary + bss, [heap], arena A (first heap
 * + continuation above), arena B (trimmed first heap + continuation
 * below it), arena C (by shape: probe denied), a 64 MiB-aligned region
 * whose probe fails the checks, owned stacks of tids 101 and 102 with
 * guards, a third stack without a stack pointer in it and tid 103
 * running when read (so the stack is its), a 64 MiB malloc block, libc,
 * ld.so, libnss_systemd, locale-archive, shared memory of
 * each kind, an nscd cache (a file mapped r--s), [stack], [vvar], [vdso],
 * [vsyscall]. */
struct vmmap *vmmapfix_c_program(void);

/* Four arenas of one 132 KiB heap each, as REFERENCE.md 3.2 shows. */
struct vmmap *vmmapfix_four_arenas(void);

/* A static pure Go program (pid 200): binary, Go heap at c000000000,
 * runtime reservations, one arena-shaped region that is not an arena,
 * a thread whose SP is in the Go heap. */
struct vmmap *vmmapfix_go_program(void);

#endif
