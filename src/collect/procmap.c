/* procmap: one process's address space read from a proc root in the
 * order described in procmap.h. */
#include "config.h"

#include "vmtop/procmap.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/chunks.h"
#include "vmtop/clock.h"
#include "vmtop/environ.h"
#include "vmtop/exeinfo.h"
#include "vmtop/hsperf.h"
#include "vmtop/maps.h"
#include "vmtop/peek.h"
#include "vmtop/procfile.h"
#include "vmtop/proctable.h"
#include "vmtop/rtpeek.h"
#include "vmtop/runtime.h"
#include "vmtop/smaps.h"
#include "vmtop/solib.h"
#include "vmtop/threads.h"

/* Value in KiB of "Key:   N kB" at the start of a line of status. */
static uint64_t status_value(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	uint64_t v = 0;
	int n = 0;

	if (!p || (p != buf && p[-1] != '\n'))
		return VMMAP_UNKNOWN;
	for (p += strlen(key); *p == ' ' || *p == '\t'; p++)
		;
	for (; *p >= '0' && *p <= '9' && n < 19; p++, n++)
		v = v * 10 + (uint64_t)(*p - '0');
	return n ? v : VMMAP_UNKNOWN;
}

static int read_status(int dirfd, struct vmmap *m)
{
	char buf[8192];
	const char *state;
	int n = procfile_read(dirfd, "status", buf, sizeof(buf));

	if (n < 0)
		return n;
	m->status_vmsize_kib = status_value(buf, "VmSize:");
	m->status_vmrss_kib = status_value(buf, "VmRSS:");
	state = strstr(buf, "\nState:\t");
	if (state && (state[8] == 'Z' || state[8] == 'X'))
		m->gone = true;  /* exited: its maps are empty now */
	return 0;
}

/* smaps when asked and allowed, else maps.  Returns 0 or -errno of the
 * last file tried; regions read before a failure are kept. */
static int read_regions(int dirfd, struct vmmap *m, unsigned flags,
			bool live, struct maps_notes *notes)
{
	int rc;

	m->nhugetlb = 0;
	m->nnoreserve = 0;
	maps_notes_reset(notes);
	if (flags & PROCMAP_SMAPS) {
		rc = smaps_read(dirfd, m, live, flags & PROCMAP_SMAPS_ALL,
				notes);
		if (!procfile_denied_err(rc))
			return rc;
		m->missing |= MISSING_SMAPS;
		m->access = VMMAP_ACCESS_LIMITED;
		m->nregions = 0;
		maps_notes_reset(notes);
	}
	rc = maps_read(dirfd, m, live, notes);
	if (procfile_denied_err(rc)) {
		m->missing |= MISSING_MAPS;
		m->access = VMMAP_ACCESS_LIMITED;
	}
	return rc;
}

/* The start time of the process behind dirfd (stat's 22nd field), 0
 * when stat cannot be read: the process is gone (a directory descriptor
 * stays bound to its process, never to a later one with the same pid). */
static unsigned long long read_start(int dirfd)
{
	char buf[1024];
	struct proc_stat f;
	int n = procfile_read(dirfd, "stat", buf, sizeof(buf));

	if (n <= 0 || proctable_parse_stat(buf, (size_t)n, &f))
		return 0;
	return f.start;
}

/* Whether the proc root's PIDs are vmtop's own.  process_vm_readv takes a
 * PID of vmtop's namespace: with another namespace's /proc (a host's
 * /proc in a container made without --mount-proc) the same number names
 * another process, or none.  The root's "self" is vmtop as that proc
 * names it: getpid() only in vmtop's own namespace. */
static bool same_pid_ns(const char *proc_root)
{
	char path[4096], link[32];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/self", procfile_root(proc_root));
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	return strtol(link, NULL, 10) == (long)getpid();
}

/* Whether the process's memory may be read: a live process whose pid
 * means the same process to process_vm_readv as to the proc root. */
static bool memory_readable(const char *proc_root, struct vmmap *m,
			    unsigned flags, bool live)
{
	if (!(flags & PROCMAP_PROBE) || !live || m->gone)
		return false;
	if (!same_pid_ns(proc_root)) {
		m->missing |= MISSING_MEMORY | MISSING_PIDNS;
		return false;
	}
	return true;
}

/* What was read from the process's memory is kept only when the process
 * (its start time, through dirfd) is still the one whose maps were
 * read: then the pid was never free for another process meanwhile. */
static void memory_check(int dirfd, struct vmmap *m)
{
	if (m->start_ticks && read_start(dirfd) != m->start_ticks) {
		m->nprobes = 0;
		m->nchunks = 0;
		m->nrtprobes = 0;
	}
}

static void read_extras(const char *proc_root, int dirfd, struct vmmap *m,
			const struct vmmap *prev, unsigned flags, bool live,
			const struct maps_notes *notes)
{
	bool mem;
	int rc;

	if (flags & PROCMAP_THREADS) {
		rc = threads_read(dirfd, m);
		if (procfile_gone_err(rc))
			m->gone = true;
	}
	/* heap_info and chunk headers live in the target's memory: only a
	 * live process has it, a captured tree does not */
	mem = memory_readable(proc_root, m, flags, live);
	if (mem) {
		peek_probe_arenas(m, notes);
		chunks_walk(m);
	}
	/* a JVM (libjvm.so mapped): its hsperfdata counters, read like the
	 * probes from a live process only; any other process costs one
	 * look at each file's path */
	hsperf_read(dirfd, m, (flags & PROCMAP_PROBE) && live && !m->gone);
	if (flags & PROCMAP_ENV) {
		rc = environ_read(dirfd, m);
		if (procfile_denied_err(rc))
			m->missing |= MISSING_ENVIRON;
	}
	if (flags & PROCMAP_EXE) {
		rc = exeinfo_read(dirfd, m);
		if (procfile_denied_err(rc))
			m->missing |= MISSING_EXE;
	}
	if (prev && !(flags & (PROCMAP_ENV | PROCMAP_EXE)))
		vmmap_adopt_facts(m, prev);
	/* the libraries' program headers place their bss: a library the
	 * previous read had at the same place keeps its record, a new one
	 * (dlopen) is read; a captured tree has no files to read
	 * (REFERENCE.md 2.1) */
	if (live && !m->gone)
		solib_read(dirfd, m, prev);
	/* after exe: its symbols name static runtimes; the runtime says
	 * which headers are worth reading */
	runtime_detect(m);
	if (mem) {
		rtpeek_read(m);
		memory_check(dirfd, m);
	}
}

int procmap_read(const char *proc_root, pid_t pid, unsigned flags,
		 struct vmmap **out)
{
	return procmap_read_after(proc_root, pid, flags, NULL, out);
}

int procmap_read_after(const char *proc_root, pid_t pid, unsigned flags,
		       const struct vmmap *prev, struct vmmap **out)
{
	bool live = procfile_is_live(proc_root);
	struct maps_notes notes = { 0 };
	struct vmmap *m;
	int dirfd, rc, src;

	*out = NULL;
	dirfd = procfile_open_pid(proc_root, pid);
	if (dirfd < 0)
		return dirfd;
	m = vmmap_new(pid);
	m->time = clock_realtime_s();
	m->start_ticks = read_start(dirfd);
	rc = read_regions(dirfd, m, flags, live, &notes);
	src = read_status(dirfd, m);
	/* An exec between opening maps and reading it leaves the file empty
	 * (the descriptor belongs to the old mm).  A process with a size has
	 * mappings: read them once more, from the new mm. */
	if (rc == 0 && src == 0 && m->nregions == 0 && !m->gone &&
	    m->status_vmsize_kib != VMMAP_UNKNOWN && m->status_vmsize_kib > 0) {
		rc = read_regions(dirfd, m, flags, live, &notes);
		src = read_status(dirfd, m);
	}
	if ((flags & PROCMAP_SMAPS) && !(flags & PROCMAP_NO_ROLLUP) &&
	    !(m->missing & MISSING_SMAPS) && rc == 0)
		smaps_read_rollup(dirfd, m);
	if (procfile_gone_err(rc) || procfile_gone_err(src))
		m->gone = true;
	if (m->gone && m->nregions == 0 && src < 0) {
		close(dirfd);
		maps_notes_release(&notes);
		vmmap_free(m);
		return -ESRCH;
	}
	maps_normalize(m, &notes);
	if (rc == 0 || m->gone)
		read_extras(proc_root, dirfd, m, prev, flags, live, &notes);
	maps_notes_release(&notes);
	close(dirfd);
	if (rc < 0 && !m->gone && !(m->missing & MISSING_MAPS)) {
		vmmap_free(m);
		return rc;
	}
	*out = m;
	return m->missing & MISSING_MAPS ? -EACCES : 0;
}
