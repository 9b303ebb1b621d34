/* proctable: the process list.
 *
 * A refresh is one pread of /proc/PID/stat and one of /proc/PID/statm per
 * process, on descriptors kept open between refreshes, parsed by hand.
 * That is what the kernel charges for the text plus little: reading
 * through libproc2 4.0.2 (open, read, close and sscanf per file) cost 0.62
 * of top's CPU at 580 processes, its stat parser alone a fifth of it.
 * stat gives the name, state, parent, threads, ticks and start time;
 * statm gives VIRT and RES, summed exactly by the kernel (stat's rss is
 * an approximate per-CPU counter and differs from VmRSS); the owner's uid
 * comes from fstat of the open stat file, checked against status's Uid
 * when that says root (a non-dumpable process's files are root's).
 *
 * Every file is opened relative to the proc root's descriptor, so that a
 * captured tree or another procfs mount reads like /proc.  A captured
 * tree's files belong to whoever copied them: there the owner is status's
 * Uid line instead, read with VmSwap in one pass.
 *
 * The optional columns are read only when wanted: the command line, raw,
 * from /proc/PID/cmdline (cut to a bounded length), and VmSwap from status, only when the machine
 * has swap (without swap every process's is exactly 0): for /proc through
 * libproc2 (which reads /proc and nothing else), elsewhere by hand.
 * libproc2 is loaded with dlopen() the first time it is needed: linked in,
 * it brings libsystemd and five more libraries into every vmtop, which
 * costs a megabyte of RSS and the loader's time on each start.
 *
 * A descriptor is bound to the process it was opened on: when the pid is
 * reused its reads fail, and it is reopened.  Descriptors are kept open
 * within a budget under RLIMIT_NOFILE; past it files are opened and
 * closed each time.  CPU% is top's formula over our own tick history,
 * checked against the start time so that a reused pid starts afresh. */
#include "config.h"

#include "vmtop/proctable.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libproc2/pids.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/clock.h"
#include "vmtop/hostinfo.h"
#include "vmtop/procfile.h"
#include "vmtop/procmem.h"
#include "vmtop/xalloc.h"

/* Our own accessor: PIDS_VAL's arity changed in libproc2 4.0.5. */
#define VAL(i, type, stk) ((stk)->head[(i)].result.type)

/* Descriptors left free for everything else vmtop opens. */
#define FD_RESERVE 256

/* procps_pids_select() takes at most this many PIDs per call (libproc2's
 * FILL_ID_MAX); it fails on a longer list. */
#define PROC2_SELECT_MAX 255

/* One process we have seen: its open files and its previous ticks. */
struct pslot {
	pid_t pid;              /* 0: empty */
	int fd_stat, fd_statm;  /* -1 when not kept open */
	unsigned gen;           /* refresh that last saw it */
	unsigned long long start, ticks; /* start time in ticks */
	/* the owner status gave for a root-owned stat (real_owner()), for
	 * the process that started at owner_start */
	bool owner_known;
	uid_t owner_uid;
	unsigned long long owner_start;
	/* the costly columns, kept between their reads (procmem.h) for the
	 * process that started at mem_start */
	unsigned long long mem_start;
	struct procmem_sched rollup_sched, maps_sched;
	struct procmem_rollup rollup;
	struct procmem_maps maps;
	bool rollup_ok, maps_ok;
};

struct user_slot {
	uid_t uid;
	char name[33];
	bool used;
};

/* The libproc2 calls vmtop makes, resolved by dlopen(). */
struct proc2 {
	int (*pids_new)(struct pids_info **, enum pids_item *, int);
	int (*pids_unref)(struct pids_info **);
	struct pids_fetch *(*pids_reap)(struct pids_info *, enum pids_fetch_type);
	struct pids_fetch *(*pids_select)(struct pids_info *, unsigned *, int,
					  enum pids_select_type);
	void *handle;
	bool tried;
};

struct proctable {
	int procfd;
	int uptime_fd;
	struct proc2 p2;
	struct pids_info *info;      /* libproc2, for VmSwap */

	struct proc_row *rows;
	size_t nrows, cap;
	char *strings;               /* copies of user, comm and cmdline */
	size_t strings_len, strings_cap;

	struct pslot *slots;         /* size slot_cap, a power of two */
	size_t slot_cap, slot_used;
	unsigned gen;
	double prev_uptime;          /* 0 before the first refresh */
	long fds_open, fd_budget;

	struct user_slot users[64];  /* small cache of uid -> name */
	long hertz;
	unsigned long page_kib;
	bool have_swap;
	bool procfs;                 /* the root is procfs, not a copy */
	bool root_is_proc;           /* /proc itself: libproc2 reads it */
	unsigned want;               /* of the refresh under way */
	struct procmem_cadence rollup_cad, maps_cad;
	struct procmem_sched **due;  /* scratch of the costly passes */
	size_t due_cap;
};

static long fd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	/* raise the soft limit towards the hard one: it costs nothing */
	rlim_t want = rl.rlim_max == RLIM_INFINITY ? 65536 : rl.rlim_max;
	if (want > 65536)
		want = 65536;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = want;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	long cur = rl.rlim_cur == RLIM_INFINITY ? 65536 : (long)rl.rlim_cur;
	return cur > FD_RESERVE ? cur - FD_RESERVE : 0;
}

int proctable_new(struct proctable **out, const char *proc_root)
{
	const char *root = procfile_root(proc_root);
	struct proctable *pt = xcalloc(1, sizeof(*pt));
	struct hostinfo h;
	struct stat st, proc_st;

	pt->procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pt->procfd < 0) {
		int err = errno;

		free(pt);
		return -err;
	}
	pt->procfs = procfile_fd_is_live(pt->procfd);
	/* libproc2 reads /proc itself: only for that very directory
	 * ("/proc/" or a path through a symlink included) */
	pt->root_is_proc = pt->procfs && fstat(pt->procfd, &st) == 0 &&
			   stat("/proc", &proc_st) == 0 &&
			   st.st_dev == proc_st.st_dev &&
			   st.st_ino == proc_st.st_ino;
	pt->uptime_fd = openat(pt->procfd, "uptime", O_RDONLY | O_CLOEXEC);
	pt->hertz = sysconf(_SC_CLK_TCK);
	if (pt->hertz <= 0)
		pt->hertz = 100;
	long pg = sysconf(_SC_PAGESIZE);
	pt->page_kib = pg > 0 ? (unsigned long)pg / 1024 : 4;
	/* unknown swap: read status to be exact */
	pt->have_swap = hostinfo_read(&h, root) != 0 || h.swap_total_kib > 0;
	pt->fd_budget = fd_budget();
	pt->slot_cap = 1024;
	pt->slots = xcalloc(pt->slot_cap, sizeof(*pt->slots));
	procmem_cadence_init(&pt->rollup_cad, PROCMEM_ROLLUP_BUDGET);
	procmem_cadence_init(&pt->maps_cad, PROCMEM_MAPS_BUDGET);
	*out = pt;
	return 0;
}

static void slot_close(struct proctable *pt, struct pslot *s)
{
	if (s->fd_stat >= 0) {
		close(s->fd_stat);
		pt->fds_open--;
	}
	if (s->fd_statm >= 0) {
		close(s->fd_statm);
		pt->fds_open--;
	}
	s->fd_stat = s->fd_statm = -1;
}

void proctable_free(struct proctable *pt)
{
	if (!pt)
		return;
	for (size_t i = 0; i < pt->slot_cap; i++)
		if (pt->slots[i].pid)
			slot_close(pt, &pt->slots[i]);
	if (pt->info)
		pt->p2.pids_unref(&pt->info);
	if (pt->p2.handle)
		dlclose(pt->p2.handle);
	if (pt->uptime_fd >= 0)
		close(pt->uptime_fd);
	close(pt->procfd);
	free(pt->rows);
	free(pt->strings);
	free(pt->slots);
	free(pt->due);
	procmem_cadence_release(&pt->rollup_cad);
	procmem_cadence_release(&pt->maps_cad);
	free(pt);
}

/* ---- the table of processes seen ---- */

static struct pslot *slot_find(struct pslot *tab, size_t cap, pid_t pid)
{
	size_t h = ((size_t)pid * 2654435761u) & (cap - 1);

	while (tab[h].pid && tab[h].pid != pid)
		h = (h + 1) & (cap - 1);
	return &tab[h];
}

/* Forgets processes not seen in this refresh (closing their files) and
 * keeps the load under one half. */
static void slots_sweep(struct proctable *pt, size_t want)
{
	size_t cap = pt->slot_cap;

	while (want * 2 > cap)
		cap *= 2;
	struct pslot *tab = xcalloc(cap, sizeof(*tab));
	size_t used = 0;

	for (size_t i = 0; i < pt->slot_cap; i++) {
		struct pslot *s = &pt->slots[i];

		if (!s->pid)
			continue;
		if (s->gen != pt->gen) {
			slot_close(pt, s);
			continue;
		}
		*slot_find(tab, cap, s->pid) = *s;
		used++;
	}
	free(pt->slots);
	pt->slots = tab;
	pt->slot_cap = cap;
	pt->slot_used = used;
}

static struct pslot *slot_get(struct proctable *pt, pid_t pid)
{
	if ((pt->slot_used + 1) * 2 > pt->slot_cap)
		slots_sweep(pt, pt->slot_used + 1);
	struct pslot *s = slot_find(pt->slots, pt->slot_cap, pid);

	if (!s->pid) {
		s->pid = pid;
		s->fd_stat = s->fd_statm = -1;
		s->start = s->ticks = 0;
		s->gen = 0;
		s->owner_known = false;
		s->mem_start = 0;
		memset(&s->rollup_sched, 0, sizeof(s->rollup_sched));
		memset(&s->maps_sched, 0, sizeof(s->maps_sched));
		s->rollup_ok = s->maps_ok = false;
		pt->slot_used++;
	}
	return s;
}

/* ---- reading ---- */

static int open_file(struct proctable *pt, pid_t pid, const char *name)
{
	char path[48];

	snprintf(path, sizeof(path), "%d/%s", (int)pid, name);
	return openat(pt->procfd, path, O_RDONLY | O_CLOEXEC);
}

/* Reads a small file through *fd (kept open when the budget allows).
 * Returns the length read, or -1 when the process is gone or denied. */
static ssize_t read_kept(struct proctable *pt, pid_t pid, int *fd,
			 const char *name, char *buf, size_t size)
{
	ssize_t n = -1;

	if (*fd >= 0) {
		n = pread(*fd, buf, size - 1, 0);
		if (n > 0)
			goto done;
		close(*fd); /* bound to a process that is gone */
		*fd = -1;
		pt->fds_open--;
	}
	int f = open_file(pt, pid, name);
	if (f < 0)
		return -1;
	n = pread(f, buf, size - 1, 0);
	if (n > 0 && pt->fds_open < pt->fd_budget) {
		*fd = f;
		pt->fds_open++;
	} else {
		close(f);
	}
	if (n <= 0)
		return -1;
done:
	buf[n] = '\0';
	return n;
}

/* Reads the digits at *p, up to end, into *v (saturating past 64 bits)
 * and moves *p past them.  Returns how many there were. */
static size_t digits(const char **p, const char *end, unsigned long long *v)
{
	const char *s = *p;
	unsigned long long x = 0;

	for (; s < end && *s >= '0' && *s <= '9'; s++)
		if (__builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, (unsigned)(*s - '0'), &x))
			x = ULLONG_MAX;
	*v = x;
	x = (unsigned long long)(s - *p);
	*p = s;
	return (size_t)x;
}

/* Reads one field at *p: spaces, then digits ('-' first when minus_ok,
 * the value being the digits' magnitude), then a space or a newline: the
 * kernel ends every line with one, so a text that ends right after the
 * digits was cut, maybe inside the number.  Returns 0 and moves *p to the
 * separator, or -EINVAL. */
static int field(const char **p, const char *end, bool minus_ok,
		 unsigned long long *v)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (minus_ok && s < end && *s == '-')
		s++;
	if (digits(&s, end, v) == 0 || s == end || (*s != ' ' && *s != '\n'))
		return -EINVAL;
	*p = s;
	return 0;
}

static int skip_fields(const char **p, const char *end, int n)
{
	unsigned long long v;

	while (n-- > 0)
		if (field(p, end, true, &v))
			return -EINVAL;
	return 0;
}

/* A field that must fit an int (ppid, threads). */
static int int_field(const char **p, const char *end, int *v)
{
	unsigned long long x;

	if (field(p, end, false, &x) || x > INT_MAX)
		return -EINVAL;
	*v = (int)x;
	return 0;
}

/* The name may hold any byte, ')' included, so it ends at the last ')';
 * every field after it is a number. */
int proctable_parse_stat(const char *text, size_t len, struct proc_stat *f)
{
	const char *end = text + len;
	const char *open = memchr(text, '(', len);
	const char *close = memrchr(text, ')', len);
	const char *p;
	unsigned long long stime;
	int ppid;

	if (!open || !close || close < open || end - close < 4 ||
	    close[1] != ' ' || close[2] <= ' ' || close[2] > '~' ||
	    close[3] != ' ')
		return -EINVAL;
	f->comm = open + 1;
	f->comm_len = (size_t)(close - open - 1);
	f->state = close[2];
	p = close + 3;
	if (int_field(&p, end, &ppid) ||                   /* 4 */
	    skip_fields(&p, end, 4) ||                     /* 5..8 */
	    field(&p, end, false, &f->flags) ||            /* 9 */
	    skip_fields(&p, end, 4) ||                     /* 10..13 */
	    field(&p, end, false, &f->ticks) ||            /* 14 utime */
	    field(&p, end, false, &stime) ||               /* 15 stime */
	    skip_fields(&p, end, 4) ||                     /* 16..19 */
	    int_field(&p, end, &f->threads) ||             /* 20 */
	    skip_fields(&p, end, 1) ||                     /* 21 */
	    field(&p, end, false, &f->start))              /* 22 */
		return -EINVAL;
	f->ppid = (pid_t)ppid;
	if (__builtin_add_overflow(f->ticks, stime, &f->ticks))
		f->ticks = ULLONG_MAX;
	return 0;
}

int proctable_parse_statm(const char *text, size_t len,
			  unsigned long long *size_pages,
			  unsigned long long *resident_pages)
{
	const char *p = text, *end = text + len;

	if (field(&p, end, false, size_pages) ||
	    field(&p, end, false, resident_pages))
		return -EINVAL;
	return 0;
}

int proctable_parse_statm_all(const char *text, size_t len,
			      unsigned long long *size_pages,
			      unsigned long long *resident_pages,
			      unsigned long long shared_data[2])
{
	const char *p = text, *end = text + len;
	unsigned long long skip;

	shared_data[0] = shared_data[1] = 0;
	if (field(&p, end, false, size_pages) ||
	    field(&p, end, false, resident_pages))
		return -EINVAL;
	/* shared, text, lib, data: all or nothing */
	if (field(&p, end, false, &shared_data[0]) ||
	    field(&p, end, false, &skip) || field(&p, end, false, &skip) ||
	    field(&p, end, false, &shared_data[1]))
		shared_data[0] = shared_data[1] = 0;
	return 0;
}

/* ---- strings ---- */

/* Offsets are stored first and turned into pointers at the end, because
 * the string area may move while it grows. */
static size_t str_put(struct proctable *pt, const char *s, size_t len)
{
	size_t off = pt->strings_len;

	XGROW(pt->strings, pt->strings_cap, off + len + 1);
	if (len)
		memcpy(pt->strings + off, s, len);
	pt->strings[off + len] = '\0';
	pt->strings_len = off + len + 1;
	return off;
}

static size_t user_name(struct proctable *pt, uid_t uid)
{
	struct user_slot *u = &pt->users[uid % 64];

	if (!u->used || u->uid != uid) {
		struct passwd *pw = getpwuid(uid);

		u->used = true;
		u->uid = uid;
		if (pw && strlen(pw->pw_name) < sizeof(u->name))
			snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
		else
			snprintf(u->name, sizeof(u->name), "%u",
				 (unsigned)uid);
	}
	return str_put(pt, u->name, strlen(u->name));
}

static double cpu_pct(struct proctable *pt, struct pslot *s,
		      const struct proc_stat *f, double uptime)
{
	double et = uptime - pt->prev_uptime;
	double start = (double)f->start / (double)pt->hertz;
	double pct = -1;

	if (s->gen && s->start == f->start && f->ticks >= s->ticks) {
		if (et > 0)
			pct = (double)(f->ticks - s->ticks) * 100.0 /
			      ((double)pt->hertz * et);
	} else if (pt->prev_uptime > 0 && start >= pt->prev_uptime && et > 0) {
		/* born since the previous refresh: all its ticks are new */
		pct = (double)f->ticks * 100.0 / ((double)pt->hertz * et);
	}
	s->start = f->start;
	s->ticks = f->ticks;
	return pct;
}

/* The owner of a process whose files are not kept open. */
static int stat_dir(struct proctable *pt, pid_t pid, struct stat *st)
{
	char dir[16];

	snprintf(dir, sizeof(dir), "%d", (int)pid);
	return fstatat(pt->procfd, dir, st, 0);
}

/* The value after "\nKEY:" in a NUL-terminated status text, skipping
 * `skip` numbers first.  Returns false when the key or number is absent. */
static bool status_num(const char *text, const char *key, int skip,
		       unsigned long long *v)
{
	const char *p = strstr(text, key);
	char *e;

	if (!p)
		return false;
	p += strlen(key);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		*v = strtoull(p, &e, 10);
		if (skip-- == 0)
			return true;
		p = e;
	}
}

/* ROOT/PID/status, NUL-terminated in buf (one pread: the kernel makes it
 * whole); its length, or -1. */
static ssize_t status_text(struct proctable *pt, pid_t pid, char *buf,
			   size_t size)
{
	int fd = open_file(pt, pid, "status");
	ssize_t n = fd >= 0 ? pread(fd, buf, size - 1, 0) : -1;

	if (fd >= 0)
		close(fd);
	if (n > 0)
		buf[n] = '\0';
	return n;
}

/* Reads ROOT/PID/status for what a captured tree cannot tell otherwise,
 * and for VmSwap outside /proc: *uid (the effective one, which procfs
 * gives as the owner of a process's files; left alone when uid is NULL)
 * and *swap_kib (0 without a VmSwap line: a kernel thread).  Returns 0,
 * or -1 when status cannot be read or lacks a wanted Uid line. */
static int read_status(struct proctable *pt, pid_t pid, uid_t *uid,
		       unsigned long *swap_kib)
{
	char buf[4096];
	unsigned long long v;

	if (status_text(pt, pid, buf, sizeof(buf)) <= 0)
		return -1;
	if (uid) {
		if (!status_num(buf, "\nUid:", 1, &v) || v > UINT_MAX)
			return -1;
		*uid = (uid_t)v;
	}
	*swap_kib = status_num(buf, "\nVmSwap:", 0, &v) ? (unsigned long)v : 0;
	return 0;
}

/* How often a root-owned process's status is read again, in refreshes. */
#define OWNER_RECHECK 8

/* The kernel makes a non-dumpable process's files root's whatever its
 * uid (ssh-agent, gpg-agent, a daemon that dropped privileges): when stat
 * is root's and the process has an address space (kernel threads are
 * root's for real), status's effective Uid tells, as procps takes it.
 * That answer is kept for the process (its start time) and read again on
 * every OWNER_RECHECK-th refresh, spread over the pids, to catch a later
 * change: a list of root's processes costs an eighth of a status read
 * each per refresh, not one. */
static void real_owner(struct proctable *pt, pid_t pid, struct pslot *s,
		       const struct proc_stat *f, uid_t *uid,
		       unsigned long *swap_kib, bool *swap_read)
{
	uid_t su;

	if (s->owner_known && s->owner_start == f->start &&
	    (pt->gen + (unsigned)pid) % OWNER_RECHECK != 0) {
		*uid = s->owner_uid;
		return;
	}
	if (read_status(pt, pid, &su, swap_kib) != 0)
		return;
	*swap_read = true;
	*uid = su;
	s->owner_known = true;
	s->owner_uid = su;
	s->owner_start = f->start;
}

/* The owner of a process: of its stat file on procfs (kept open or not),
 * corrected by real_owner() for root's files, else (a captured tree) from
 * status, with VmSwap on the way.  Returns 0 (*swap_read true when
 * *swap_kib was read), or -1. */
static int read_owner(struct proctable *pt, pid_t pid, struct pslot *s,
		      const struct proc_stat *f, unsigned long long size,
		      uid_t *uid, unsigned long *swap_kib, bool *swap_read)
{
	struct stat st;

	*swap_read = false;
	if (!pt->procfs) {
		*swap_read = true;
		return read_status(pt, pid, uid, swap_kib);
	}
	if (s->fd_stat >= 0 ? fstat(s->fd_stat, &st) != 0 :
			      stat_dir(pt, pid, &st) != 0)
		return -1;
	*uid = st.st_uid;
	if (st.st_uid == 0 && size > 0)
		real_owner(pt, pid, s, f, uid, swap_kib, swap_read);
	if (pt->have_swap && !pt->root_is_proc && !*swap_read)
		*swap_read = read_status(pt, pid, NULL, swap_kib) == 0;
	return 0;
}

/* RssFile and RssShmem of status into r (PROCTABLE_WANT_STATUS); VmSwap
 * too on the way, when the machine has swap. */
static void read_status_mem(struct proctable *pt, struct proc_row *r)
{
	char buf[4096];
	unsigned long long v;

	if (status_text(pt, r->pid, buf, sizeof(buf)) <= 0)
		return;
	if (r->kthread) { /* no address space: no Rss lines */
		r->mem[PROC_MEM_FILE] = r->mem[PROC_MEM_SHMEM] = 0;
		return;
	}
	if (status_num(buf, "\nRssFile:", 0, &v))
		r->mem[PROC_MEM_FILE] = v;
	if (status_num(buf, "\nRssShmem:", 0, &v))
		r->mem[PROC_MEM_SHMEM] = v;
	if (pt->have_swap && status_num(buf, "\nVmSwap:", 0, &v)) {
		r->swap_kib = (unsigned long)v;
		r->swap_known = true;
	}
}

/* The figures statm gives with VIRT and RES, for free. */
static void statm_mem(struct proctable *pt, struct proc_row *r,
		      unsigned long long res,
		      const unsigned long long shared_data[2])
{
	for (int i = 0; i < PROC_MEM__COUNT; i++)
		r->mem[i] = PROC_MEM_UNKNOWN;
	r->rollup_age = r->maps_age = -1;
	if (shared_data[0] <= res) {
		r->mem[PROC_MEM_SHR] = shared_data[0] * pt->page_kib;
		r->mem[PROC_MEM_ANON] = (res - shared_data[0]) * pt->page_kib;
		r->mem[PROC_MEM_DATA] = shared_data[1] * pt->page_kib;
	}
}

/* Reads one process into a new row.  Returns false when it is gone. */
static bool read_one(struct proctable *pt, pid_t pid, double uptime)
{
	char stat_buf[1024], statm_buf[256];
	struct proc_stat f;
	unsigned long long size, res, shared_data[2];
	unsigned long swap = 0;
	bool swap_read;
	uid_t uid;
	ssize_t n;
	struct pslot *s = slot_get(pt, pid);

	if (s->gen == pt->gen)
		return false; /* listed twice (-p 1,1) */
	n = read_kept(pt, pid, &s->fd_stat, "stat", stat_buf,
		      sizeof(stat_buf));
	if (n < 0 || proctable_parse_stat(stat_buf, (size_t)n, &f))
		return false;
	n = read_kept(pt, pid, &s->fd_statm, "statm", statm_buf,
		      sizeof(statm_buf));
	if (n < 0 || proctable_parse_statm_all(statm_buf, (size_t)n, &size,
					       &res, shared_data))
		return false;
	if (read_owner(pt, pid, s, &f, size, &uid, &swap, &swap_read))
		return false;

	XGROW(pt->rows, pt->cap, pt->nrows + 1);
	struct proc_row *r = &pt->rows[pt->nrows++];

	memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->ppid = f.ppid;
	r->uid = uid;
	r->user = (const char *)(uintptr_t)user_name(pt, r->uid);
	r->comm = (const char *)(uintptr_t)str_put(pt, f.comm, f.comm_len);
	r->cmdline = (const char *)(uintptr_t)SIZE_MAX;
	r->state = f.state;
	r->threads = f.threads;
	r->vsz_kib = (unsigned long)(size * pt->page_kib);
	r->rss_kib = (unsigned long)(res * pt->page_kib);
	/* without swap every process's is 0; with it, from status here or
	 * from libproc2 after the rows are read */
	r->swap_kib = pt->have_swap ? swap : 0;
	r->swap_known = !pt->have_swap || swap_read;
	r->start_time = (double)f.start / (double)pt->hertz;
	r->cpu_pct = cpu_pct(pt, s, &f, uptime);
	uid_t me = geteuid();
	r->access = (me == 0 || me == r->uid) ? PROC_ACCESS_FULL :
						PROC_ACCESS_LIMITED;
	r->kthread = (f.flags & PROCTABLE_PF_KTHREAD) != 0;
	statm_mem(pt, r, res, shared_data);
	if (pt->want & PROCTABLE_WANT_STATUS)
		read_status_mem(pt, r);
	if (s->mem_start != f.start) { /* another process: forget */
		memset(&s->rollup_sched, 0, sizeof(s->rollup_sched));
		memset(&s->maps_sched, 0, sizeof(s->maps_sched));
		s->rollup_ok = s->maps_ok = false;
		s->mem_start = f.start;
	}
	s->gen = pt->gen;
	return true;
}

/* ---- the command line, raw ---- */

/* Whether more of a command line follows than NUL padding (some programs
 * blank their arguments and leave the NULs).  One read settles it. */
static bool cmdline_goes_on(int fd)
{
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));

	for (ssize_t i = 0; i < n; i++)
		if (buf[i])
			return true;
	return false;
}

/* Steps back from a cut at s + n to the start of a UTF-8 character
 * (at most 3 bytes), so that a cut line ends in whole characters. */
static size_t utf8_floor(const char *s, size_t n)
{
	for (int k = 0; k < 3 && n > 0 &&
			((unsigned char)s[n] & 0xc0) == 0x80; k++)
		n--;
	return n;
}

/* Reads /proc/PID/cmdline into the string area, the arguments joined by
 * spaces, every other byte as the process wrote it (libproc2 turns control
 * bytes into '?', and the JSON must carry the real ones).  Kernel threads
 * have none: "".  At most max bytes are kept: a command line's owner
 * chooses its length (up to the kernel's ARG_MAX, and every child shares
 * it for free), so a longer one is cut and *cut set.  Returns the offset
 * of the string. */
static size_t read_cmdline(struct proctable *pt, pid_t pid, size_t max,
			   bool *cut)
{
	size_t off = pt->strings_len, len = 0;
	int fd = open_file(pt, pid, "cmdline");
	ssize_t n = 0;

	XGROW(pt->strings, pt->strings_cap, off + max + 2);
	while (fd >= 0 && len <= max) {
		n = read(fd, pt->strings + off + len, max + 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	while (len && pt->strings[off + len - 1] == '\0')
		len--;
	*cut = len > max || (n > 0 && cmdline_goes_on(fd));
	if (len > max)
		len = utf8_floor(pt->strings + off, max);
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < len; i++)
		if (pt->strings[off + i] == '\0')
			pt->strings[off + i] = ' ';
	pt->strings[off + len] = '\0';
	pt->strings_len = off + len + 1;
	return off;
}

/* Each command line is kept to PROCTABLE_CMDLINE_MAX bytes, and once a
 * refresh has kept PROCTABLE_CMDLINE_BUDGET bytes, the rest to
 * PROCTABLE_CMDLINE_SHORT: the list's memory stays bounded per process
 * whatever the processes' owners write in their arguments. */
static void read_cmdlines(struct proctable *pt)
{
	size_t used = 0;

	for (size_t i = 0; i < pt->nrows; i++) {
		struct proc_row *r = &pt->rows[i];
		size_t max = used < PROCTABLE_CMDLINE_BUDGET ?
				     PROCTABLE_CMDLINE_MAX :
				     PROCTABLE_CMDLINE_SHORT;
		size_t off = read_cmdline(pt, r->pid, max,
					  &r->cmdline_truncated);

		used += pt->strings_len - off;
		r->cmdline = (const char *)(uintptr_t)off;
	}
}

/* ---- swap, through libproc2 ---- */

enum { X_PID, X_SWAP };

static int row_cmp_pid(const void *a, const void *b)
{
	pid_t x = ((const struct proc_row *)a)->pid;
	pid_t y = ((const struct proc_row *)b)->pid;

	return (x > y) - (x < y);
}

static struct proc_row *row_by_pid(struct proctable *pt, pid_t pid)
{
	struct proc_row key = { .pid = pid };

	if (pt->nrows == 0)
		return NULL;
	return bsearch(&key, pt->rows, pt->nrows, sizeof(key), row_cmp_pid);
}

/* Loads libproc2 once.  Returns false when it cannot be had: swap is
 * then unknown rather than wrong. */
static bool proc2_load(struct proc2 *p)
{
	if (p->tried)
		return p->handle != NULL;
	p->tried = true;
	p->handle = dlopen(LIBPROC2_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!p->handle)
		return false;
	*(void **)&p->pids_new = dlsym(p->handle, "procps_pids_new");
	*(void **)&p->pids_unref = dlsym(p->handle, "procps_pids_unref");
	*(void **)&p->pids_reap = dlsym(p->handle, "procps_pids_reap");
	*(void **)&p->pids_select = dlsym(p->handle, "procps_pids_select");
	if (!p->pids_new || !p->pids_unref || !p->pids_reap ||
	    !p->pids_select) {
		dlclose(p->handle);
		p->handle = NULL;
	}
	return p->handle != NULL;
}

static void swap_fill(struct proctable *pt, const struct pids_fetch *fe)
{
	for (int i = 0; i < fe->counts->total; i++) {
		struct pids_stack *s = fe->stacks[i];
		struct proc_row *r = row_by_pid(pt, VAL(X_PID, s_int, s));

		if (r) {
			r->swap_kib = VAL(X_SWAP, ul_int, s);
			r->swap_known = true;
		}
	}
}

/* Adds VmSwap from status to the rows (sorted by pid) through libproc2,
 * on machines that have swap, for /proc; libproc2 is asked for that one
 * item only.  With a PID list, the rows' PIDs are selected in batches
 * that libproc2 accepts, each batch's results taken before the next
 * select reuses them; only rows still without it (the status columns read
 * it with the rows).  Other roots had status read with the rows. */
static int read_swap(struct proctable *pt, bool all)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_VM_SWAP };
	unsigned ids[PROC2_SELECT_MAX];
	struct pids_fetch *fe;

	size_t missing = 0;

	/* the status columns shown read VmSwap with them: none left */
	for (size_t i = 0; i < pt->nrows; i++)
		missing += !pt->rows[i].swap_known;
	if (!pt->have_swap || !pt->root_is_proc || missing == 0 ||
	    !proc2_load(&pt->p2))
		return 0;
	if (!pt->info) {
		int rc = pt->p2.pids_new(&pt->info, items, 2);
		if (rc < 0)
			return rc;
	}
	if (all) {
		fe = pt->p2.pids_reap(pt->info, PIDS_FETCH_TASKS_ONLY);
		if (fe) /* else every process went away meanwhile */
			swap_fill(pt, fe);
		return 0;
	}
	for (size_t i = 0; i < pt->nrows;) {
		int n = 0;

		for (; i < pt->nrows && n < PROC2_SELECT_MAX; i++)
			if (!pt->rows[i].swap_known)
				ids[n++] = (unsigned)pt->rows[i].pid;
		if (n == 0)
			break;
		fe = pt->p2.pids_select(pt->info, ids, n, PIDS_SELECT_PID);
		if (fe)
			swap_fill(pt, fe);
	}
	return 0;
}

/* ---- the costly columns: smaps_rollup and maps, on their cadence ---- */

/* A process with an address space (kernel threads and zombies have
 * none: their costly figures are 0 without a read). */
static bool has_mm(const struct proc_row *r)
{
	return !r->kthread && r->vsz_kib > 0;
}

static void rollup_one(struct proctable *pt, struct pslot *s,
		       struct proc_row *r, long now)
{
	if (procmem_due(&s->rollup_sched, now)) {
		struct procmem_rollup ro;
		double t0 = clock_thread_cpu_ms();
		int rc = procmem_read_rollup(pt->procfd, r->pid, &ro);

		procmem_measured(&pt->rollup_cad, &s->rollup_sched,
				 clock_thread_cpu_ms() - t0, now);
		s->rollup_ok = rc == 0;
		if (rc == 0)
			s->rollup = ro;
	}
	if (!s->rollup_ok)
		return;
	r->mem[PROC_MEM_PSS] = s->rollup.pss_kib;
	r->mem[PROC_MEM_USS] = s->rollup.uss_kib;
	r->rollup_age = (double)(now - s->rollup_sched.read_ms) / 1000.0;
}

static void maps_one(struct proctable *pt, struct pslot *s,
		     struct proc_row *r, long now)
{
	if (procmem_due(&s->maps_sched, now)) {
		struct procmem_maps m;
		double t0 = clock_thread_cpu_ms();
		int rc = procmem_read_maps(pt->procfd, r->pid, &m);

		procmem_measured(&pt->maps_cad, &s->maps_sched,
				 clock_thread_cpu_ms() - t0, now);
		s->maps_ok = rc == 0;
		if (rc == 0)
			s->maps = m;
	}
	if (!s->maps_ok)
		return;
	r->mem[PROC_MEM_RESV] = s->maps.reserved_kib;
	/* VSZ is now's, RESV may be older: never below 0 */
	r->mem[PROC_MEM_COMMIT] = r->vsz_kib > s->maps.reserved_kib ?
					  r->vsz_kib - s->maps.reserved_kib :
					  0;
	r->mem[PROC_MEM_MAPS] = s->maps.maps;
	r->mem[PROC_MEM_ARENAS] = s->maps.arenas;
	r->maps_age = (double)(now - s->maps_sched.read_ms) / 1000.0;
}

static void no_mm(struct proc_row *r, bool rollup)
{
	static const enum proc_mem rollup_mem[] = { PROC_MEM_PSS,
						     PROC_MEM_USS };
	static const enum proc_mem maps_mem[] = { PROC_MEM_RESV,
						  PROC_MEM_COMMIT,
						  PROC_MEM_MAPS,
						  PROC_MEM_ARENAS };

	if (rollup)
		for (size_t i = 0; i < 2; i++)
			r->mem[rollup_mem[i]] = 0;
	else
		for (size_t i = 0; i < 4; i++)
			r->mem[maps_mem[i]] = 0;
}

/* Reads smaps_rollup (rollup) or maps of the processes due, keeps the
 * last figures of the others, and plans the next reads (procmem_plan()).
 * Only live processes' files cost what the plan assumes; a captured tree
 * is read the same way. */
static void read_costly(struct proctable *pt, bool rollup, long now)
{
	struct procmem_cadence *c = rollup ? &pt->rollup_cad : &pt->maps_cad;
	struct procmem_sched **due = pt->due;
	size_t n = 0;

	c->spent_ms = 0;
	for (size_t i = 0; i < pt->nrows; i++) {
		struct proc_row *r = &pt->rows[i];
		struct pslot *s = slot_find(pt->slots, pt->slot_cap, r->pid);

		if (!has_mm(r) || s->pid != r->pid) {
			no_mm(r, rollup);
			continue;
		}
		if (rollup) {
			rollup_one(pt, s, r, now);
			due[n++] = &s->rollup_sched;
		} else {
			maps_one(pt, s, r, now);
			due[n++] = &s->maps_sched;
		}
	}
	procmem_plan(c, due, n, now);
}

static void read_all_costly(struct proctable *pt)
{
	long now = clock_monotonic_ms();

	XGROW(pt->due, pt->due_cap, pt->nrows + 1);
	if (pt->want & PROCTABLE_WANT_ROLLUP)
		read_costly(pt, true, now);
	else
		pt->rollup_cad.last_ms = 0; /* the period starts again */
	if (pt->want & PROCTABLE_WANT_MAPS)
		read_costly(pt, false, now);
	else
		pt->maps_cad.last_ms = 0;
}

static const struct {
	const char *name, *key;
	unsigned want;
} mem_cols[PROC_MEM__COUNT] = {
	[PROC_MEM_RESV] = { "RESV", "resv_kib", PROCTABLE_WANT_MAPS },
	[PROC_MEM_COMMIT] = { "COMMIT", "commit_kib", PROCTABLE_WANT_MAPS },
	[PROC_MEM_PSS] = { "PSS", "pss_kib", PROCTABLE_WANT_ROLLUP },
	[PROC_MEM_USS] = { "USS", "uss_kib", PROCTABLE_WANT_ROLLUP },
	[PROC_MEM_SHR] = { "SHR", "shr_kib", 0 },
	[PROC_MEM_ANON] = { "ANON", "anon_kib", 0 },
	[PROC_MEM_FILE] = { "FILE", "file_kib", PROCTABLE_WANT_STATUS },
	[PROC_MEM_SHMEM] = { "SHMEM", "shmem_kib", PROCTABLE_WANT_STATUS },
	[PROC_MEM_DATA] = { "DATA", "data_kib", 0 },
	[PROC_MEM_MAPS] = { "MAPS", "mappings", PROCTABLE_WANT_MAPS },
	[PROC_MEM_ARENAS] = { "ARENAS", "arenas", PROCTABLE_WANT_MAPS },
};

unsigned proctable_mem_want(enum proc_mem m)
{
	return (unsigned)m < PROC_MEM__COUNT ? mem_cols[m].want : 0;
}

const char *proctable_mem_name(enum proc_mem m)
{
	return (unsigned)m < PROC_MEM__COUNT ? mem_cols[m].name : "";
}

const char *proctable_mem_key(enum proc_mem m)
{
	return (unsigned)m < PROC_MEM__COUNT ? mem_cols[m].key : "";
}

int proctable_mem_by_name(const char *name)
{
	for (int i = 0; i < PROC_MEM__COUNT; i++)
		if (strcasecmp(name, mem_cols[i].name) == 0)
			return i;
	return -1;
}

/* ---- refresh ---- */

static void read_all(struct proctable *pt, double uptime)
{
	int fd = openat(pt->procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		const char *p = e->d_name;
		unsigned long long pid;

		if (*p < '1' || *p > '9' || !digits(&p, p + strlen(p), &pid) ||
		    *p || pid > INT_MAX)
			continue;
		read_one(pt, (pid_t)pid, uptime);
	}
	closedir(d);
}

static void fix_strings(struct proctable *pt)
{
	for (size_t i = 0; i < pt->nrows; i++) {
		struct proc_row *r = &pt->rows[i];
		size_t cmd = (size_t)(uintptr_t)r->cmdline;

		r->user = pt->strings + (size_t)(uintptr_t)r->user;
		r->comm = pt->strings + (size_t)(uintptr_t)r->comm;
		r->cmdline = cmd == SIZE_MAX ? NULL : pt->strings + cmd;
	}
}

/* Seconds since boot, from /proc/uptime; 0 when unreadable. */
static double read_uptime(struct proctable *pt)
{
	char buf[64];
	ssize_t n = pt->uptime_fd >= 0 ?
			    pread(pt->uptime_fd, buf, sizeof(buf) - 1, 0) : -1;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtod(buf, NULL);
}

int proctable_refresh(struct proctable *pt, const pid_t *pids, size_t npids,
		      unsigned want)
{
	double uptime = 0;

	uptime = read_uptime(pt);
	pt->gen++;
	pt->want = want;
	pt->nrows = 0;
	pt->strings_len = 0;
	if (npids == 0)
		read_all(pt, uptime);
	for (size_t i = 0; i < npids; i++)
		if (pids[i] > 0)
			read_one(pt, pids[i], uptime);
	if (pt->nrows > 1)
		qsort(pt->rows, pt->nrows, sizeof(*pt->rows), row_cmp_pid);
	if (want & PROCTABLE_WANT_CMDLINE)
		read_cmdlines(pt);
	read_all_costly(pt);
	int rc = read_swap(pt, npids == 0);
	fix_strings(pt);
	/* close the files of processes that went away, in batches */
	if (pt->slot_used > pt->nrows + 32 || pt->gen % 16 == 0)
		slots_sweep(pt, pt->nrows + 1);
	pt->prev_uptime = uptime;
	return rc < 0 ? rc : (int)pt->nrows;
}

const struct proc_row *proctable_rows(const struct proctable *pt)
{
	return pt->rows;
}

size_t proctable_count(const struct proctable *pt)
{
	return pt->nrows;
}

/* ---- sorting ---- */

static int cmp_num(double a, double b)
{
	return (a > b) - (a < b);
}

static int row_cmp(const struct proc_row *a, const struct proc_row *b,
		   enum proc_sort by)
{
	switch (by) {
	case PROC_SORT_USER: return strcmp(a->user, b->user);
	case PROC_SORT_THREADS: return cmp_num(a->threads, b->threads);
	case PROC_SORT_VIRT: return cmp_num(a->vsz_kib, b->vsz_kib);
	case PROC_SORT_RES: return cmp_num(a->rss_kib, b->rss_kib);
	case PROC_SORT_SWAP: return cmp_num(a->swap_kib, b->swap_kib);
	case PROC_SORT_CPU: return cmp_num(a->cpu_pct, b->cpu_pct);
	case PROC_SORT_STATE: return cmp_num(a->state, b->state);
	case PROC_SORT_COMMAND: return strcmp(a->comm, b->comm);
	case PROC_SORT_PID:
	case PROC_SORT__COUNT: break;
	}
	return 0;
}

struct sort_ctx {
	enum proc_sort by;
	bool desc;
};

static int sort_cb(const void *pa, const void *pb, void *arg)
{
	const struct proc_row *a = *(const struct proc_row *const *)pa;
	const struct proc_row *b = *(const struct proc_row *const *)pb;
	const struct sort_ctx *c = arg;
	int r = row_cmp(a, b, c->by);

	if (r == 0)
		r = cmp_num(a->pid, b->pid);
	return c->desc ? -r : r;
}

void proctable_sort(const struct proc_row **rows, size_t n, enum proc_sort by,
		    bool desc)
{
	struct sort_ctx c = { by, desc };

	if (n > 1) /* rows may be NULL when there are none */
		qsort_r(rows, n, sizeof(*rows), sort_cb, &c);
}
