/* capture: one archive of the raw files a process's tree is built from,
 * for reading on another machine (vmtop --capture FILE -p PID...).
 *
 * The archive is a tar (pax) file, gzip-compressed when its name ends in
 * ".gz" or ".tgz", laid out like a proc root so that the proc source can
 * read it once unpacked (capsrc.h):
 *
 *   vmtop-capture          the manifest, always the first entry
 *   meminfo, uptime        the machine's
 *   PID/stat statm status cmdline comm maps smaps smaps_rollup
 *   PID/environ            only the knobs knobs_keep_environ() keeps:
 *                          the knobs view's variables, of *_OPTIONS
 *                          only the memory options
 *   PID/limits             the resource limits (the knobs view's)
 *   PID/task/TID/stat status syscall comm
 *   PID/vmtop-facts        what vmtop read from the executable, the
 *                          libraries' headers, the process's memory
 *                          (heap_info, chunk headers, runtime headers) and
 *                          a JVM's hsperfdata: the facts, never the files;
 *                          and the knobs view's cgroup v2 limits (read
 *                          from /sys/fs/cgroup) and hidden options count
 *
 * The manifest and the facts are lines of "key value..."; strings in them
 * are escaped (capture_escape()). */
#ifndef VMTOP_CAPTURE_H
#define VMTOP_CAPTURE_H

#include <stddef.h>
#include <sys/types.h>

#include "vmtop/knobs.h"
#include "vmtop/strbuf.h"
#include "vmtop/vmmap.h"

/* The format written; a reader refuses a newer one. */
/* 2: PID/limits and the knobs facts (an entry a format 1 reader refuses
 * by name, so it is told to use a newer vmtop instead). */
#define CAPTURE_FORMAT 2
#define CAPTURE_MANIFEST "vmtop-capture"
#define CAPTURE_FACTS "vmtop-facts"

/* What the manifest says. */
struct capture_manifest {
	int format;              /* CAPTURE_FORMAT of the writer */
	double time;             /* when it was taken (CLOCK_REALTIME) */
	unsigned long page_size; /* the capturing machine's */
	int cpus;                /* its online CPUs (glibc's arena cap) */
};

/* Writes the capture of the processes pids[0..npids) to path, created new
 * (never over an existing file or through a symbolic link) with mode
 * 0600.  Returns 0, or -1 with a one-line message in err; a file left
 * half written is removed. */
int capture_write(const char *path, const pid_t *pids, size_t npids,
		  char *err, size_t errsize);

/* Appends s to sb with every byte outside '!'..'~' and '%' as %XX, so
 * that it is one word; an empty s is "%". */
void capture_escape(struct strbuf *sb, const char *s);

/* Appends the facts of m (read from a live process with PROCMAP_ALL) to
 * sb. */
void capture_facts_format(struct strbuf *sb, const struct vmmap *m);

/* Reads facts written by capture_facts_format() from buf[0..len) into m:
 * exe, missing (environ, exe, memory), the libraries' records (paths
 * interned in m), heap probes, chunk walks, runtime probes and the JVM's
 * counters.  Unknown keys are skipped (a later format may add some).
 * Returns 0, or -EINVAL for a malformed line (m keeps what came before:
 * free it). */
int capture_facts_parse(const char *buf, size_t len, struct vmmap *m);

/* Appends what the knobs view of k (knobs_read() of a live process)
 * took from outside the captured files to sb, as facts lines: the cgroup
 * v2 limits read from /sys/fs/cgroup (path, memory.max, memory.high, the
 * effective memory.max and the cgroup that sets it), and env_hidden, the
 * count of *_OPTIONS options the capture's environ leaves out. */
void capture_knobs_format(struct strbuf *sb, const struct knobs *k);

/* Reads the lines of capture_knobs_format() from a facts file
 * buf[0..len) into k (knobs_init() by the caller; the other keys are
 * skipped): env_hidden and the cg_ fields (owned by k).  A facts file
 * without them leaves k as it was (cg_err -ENODATA).  Returns 0, or
 * -EINVAL for a malformed line (release k either way). */
int capture_knobs_parse(const char *buf, size_t len, struct knobs *k);

/* Reads a manifest; returns 0, or -EINVAL when buf is not one. */
int capture_manifest_parse(const char *buf, size_t len,
			   struct capture_manifest *out);

#endif
