/* environ: the environment knobs of a process that change its memory
 * layout (glibc's arena cap) or its resolver (Go's GODEBUG). */
#ifndef VMTOP_ENVIRON_H
#define VMTOP_ENVIRON_H

#include <stddef.h>

#include "vmtop/vmmap.h"

/* What environ_parse() found.  godebug points into the parsed buffer. */
struct environ_knobs {
	int arena_max;          /* MALLOC_ARENA_MAX, -1 when absent/invalid */
	int tunable_arena_max;  /* glibc.malloc.arena_max, else -1 */
	const char *godebug;    /* GODEBUG's value, NULL when absent */
	size_t godebug_len;
};

/* Parses a NUL-separated environment block buf[0..len) (the last entry
 * may lack its NUL).  Numbers are decimal or 0x-hex like glibc's
 * tunables accept; values beyond INT_MAX or with junk count as invalid.
 * When a variable repeats, the last one wins.  Entries starting with
 * "glibc." right after GLIBC_TUNABLES are read as its items, because glibc
 * turns the ':' separators into NULs in the process's environ.  Never
 * fails. */
void environ_parse(const char *buf, size_t len, struct environ_knobs *k);

/* A capture keeps of the environment what knobs_keep_environ() keeps
 * (knobs.h): its table holds the three variables read here, so
 * environ_parse() finds the same knobs in it (tests/unit/test_capture.c
 * checks it). */

/* Reads dirfd's "environ" (dirfd: /proc/PID) into m->env (godebug copied
 * into m's pool).  Returns 0 or -errno (EACCES when denied). */
int environ_read(int dirfd, struct vmmap *m);

#endif
