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

#include "vmtop/clock.h"
#include "vmtop/environ.h"
#include "vmtop/exeinfo.h"
#include "vmtop/maps.h"
#include "vmtop/peek.h"
#include "vmtop/procfile.h"
#include "vmtop/proctable.h"
#include "vmtop/smaps.h"
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
			bool live)
{
	int rc;

	if (flags & PROCMAP_SMAPS) {
		rc = smaps_read(dirfd, m, live, flags & PROCMAP_SMAPS_ALL);
		if (!procfile_denied_err(rc))
			return rc;
		m->missing |= MISSING_SMAPS;
		m->access = VMMAP_ACCESS_LIMITED;
		m->nregions = m->ordered = m->ncandidates = 0;
	}
	rc = maps_read(dirfd, m, live);
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

/* heap_info headers, from the process's memory.  Read only when its pid
 * means the same process to process_vm_readv as to the proc root, and
 * kept only when the process (its start time, through dirfd) is still
 * the one whose maps were read: then the pid was never free for
 * another process during the probe. */
static void probe_memory(const char *proc_root, int dirfd, struct vmmap *m)
{
	if (!same_pid_ns(proc_root)) {
		m->missing |= MISSING_MEMORY | MISSING_PIDNS;
		return;
	}
	peek_probe_arenas(m);
	if (m->start_ticks && read_start(dirfd) != m->start_ticks)
		m->nprobes = 0;
}

static void read_extras(const char *proc_root, int dirfd, struct vmmap *m,
			unsigned flags, bool live)
{
	int rc;

	if (flags & PROCMAP_THREADS) {
		rc = threads_read(dirfd, m);
		if (procfile_gone_err(rc))
			m->gone = true;
	}
	/* heap_info lives in the target's memory: only a live process has
	 * it, a captured tree does not */
	if ((flags & PROCMAP_PROBE) && live && !m->gone)
		probe_memory(proc_root, dirfd, m);
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
}

int procmap_read(const char *proc_root, pid_t pid, unsigned flags,
		 struct vmmap **out)
{
	bool live = procfile_is_live(proc_root);
	struct vmmap *m;
	int dirfd, rc, src;

	*out = NULL;
	dirfd = procfile_open_pid(proc_root, pid);
	if (dirfd < 0)
		return dirfd;
	m = vmmap_new(pid);
	m->time = clock_realtime_s();
	m->start_ticks = read_start(dirfd);
	rc = read_regions(dirfd, m, flags, live);
	src = read_status(dirfd, m);
	/* An exec between opening maps and reading it leaves the file empty
	 * (the descriptor belongs to the old mm).  A process with a size has
	 * mappings: read them once more, from the new mm. */
	if (rc == 0 && src == 0 && m->nregions == 0 && !m->gone &&
	    m->status_vmsize_kib != VMMAP_UNKNOWN && m->status_vmsize_kib > 0) {
		rc = read_regions(dirfd, m, flags, live);
		src = read_status(dirfd, m);
	}
	if ((flags & PROCMAP_SMAPS) && !(flags & PROCMAP_NO_ROLLUP) &&
	    !(m->missing & MISSING_SMAPS) && rc == 0)
		smaps_read_rollup(dirfd, m);
	if (procfile_gone_err(rc) || procfile_gone_err(src))
		m->gone = true;
	if (m->gone && m->nregions == 0 && src < 0) {
		close(dirfd);
		vmmap_free(m);
		return -ESRCH;
	}
	maps_normalize(m);
	if (rc == 0 || m->gone)
		read_extras(proc_root, dirfd, m, flags, live);
	close(dirfd);
	if (rc < 0 && !m->gone && !(m->missing & MISSING_MAPS)) {
		vmmap_free(m);
		return rc;
	}
	*out = m;
	return m->missing & MISSING_MAPS ? -EACCES : 0;
}
