/* hsperf: the JVM's performance-data file (hsperfdata), read the way
 * jstat reads it, without attaching to the JVM (doc/REFERENCE.md 8.2).
 *
 * HotSpot writes its counters to /tmp/hsperfdata_USER/PID and maps that
 * file MAP_SHARED (the 32 KiB "rw-s" mapping in its maps).  The file is
 * written by the target, possibly another user's process: the parser
 * treats every byte as hostile.  It never reads outside the buffer it is
 * given, checks every offset and length before use, and takes a name or
 * string only when it is NUL-terminated within its entry. */
#ifndef VMTOP_HSPERF_H
#define VMTOP_HSPERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/vmmap.h"

/* The largest file read: HotSpot's default is 32 KiB (-XX:PerfDataMemorySize
 * raises it); a larger mapping is read up to this. */
#define HSPERF_MAX_BYTES (1u << 20)

/* One entry of the file, as handed to hsperf_parse()'s callback.  The
 * pointers point into the caller's buffer and live as long as it. */
struct hsperf_entry {
	const char *name;     /* NUL-terminated within the entry */
	char type;            /* 'J' long, 'B' byte array, ... */
	uint8_t units;        /* 1 none, 2 bytes, 3 ticks, 4 events, 5 string,
			       * 6 hertz */
	uint8_t variability;  /* 1 constant, 2 monotonic, 3 variable */
	uint32_t vector_length; /* 0: a scalar */
	int64_t value;        /* a 'J' scalar's value, else 0 */
	const char *str;      /* a 'B' vector: its bytes up to the first NUL
			       * (or vector_length), else NULL */
	size_t str_len;
};

/* Walks the entries of a perf-data image buf[0..len) and calls fn for
 * each well-formed one, in file order.  Stops at the first malformed
 * entry, at the header's entry count, or at the header's used size,
 * whichever comes first.  Returns the number of entries handed to fn, or
 * -EINVAL when the header is not a perf-data header (magic 0xcafec0c0,
 * byte order 0 or 1, major version 2). */
int hsperf_parse(const void *buf, size_t len,
		 void (*fn)(void *ctx, const struct hsperf_entry *e),
		 void *ctx);

/* Sets j to "detected, nothing known": every size VMMAP_UNKNOWN, strings
 * empty, perf_err -ENODATA. */
void hsperf_jvm_init(struct vmjvm *j);

/* Fills j's counters and flags (from java.rt.vmArgs) from a perf-data
 * image.  Returns 0, or -EINVAL when buf is not one (j's counters are
 * then left as they were). */
int hsperf_fill(const void *buf, size_t len, struct vmjvm *j);

/* Reads JVM options from args[0..len), arguments separated by sep (' '
 * for java.rt.vmArgs, '\0' for a command line), into j's flags: -Xmx,
 * -Xss, -XX:MaxHeapSize=, -XX:ThreadStackSize=, -XX:VMThreadStackSize=,
 * -XX:CompilerThreadStackSize=, -XX:CompressedClassSpaceSize=,
 * -XX:MaxMetaspaceSize=, -XX:ReservedCodeCacheSize=, -XX:+/-Tiered...,
 * -XX:+UseG1GC and the other collectors.  Later ones win, as in the
 * JVM. */
void hsperf_flags(const char *args, size_t len, char sep, struct vmjvm *j);

/* For procmap: whether m maps libjvm.so (m->jvm.detected), and when it
 * does and live is true, reads the process's hsperfdata file through
 * dirfd (its /proc/PID directory): the mapping's path under root/ with
 * no symbolic link followed (openat2), or map_files/, and only when the
 * file opened is a regular file and the very one mapped (same device
 * and inode).  Without the file, the flags come from the command
 * line.  Costs one pass over the regions' paths for any other process. */
void hsperf_read(int dirfd, struct vmmap *m, bool live);

#endif
