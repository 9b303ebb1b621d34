/* proctable: the process list, read through libproc2.
 *
 * The item set decides which files libproc2 opens per process, and that is
 * the whole cost of a refresh, so it is kept minimal: stat (name, state,
 * parent, threads, ticks, start time) and statm (VIRT and RES, which the
 * kernel sums exactly there, unlike stat's approximate rss); the owner's
 * uid comes free from the directory.  The command line is added only when
 * asked, and status (for VmSwap) only when the machine has swap: without
 * swap every process's swap is exactly 0.
 *
 * CPU% is top's formula with our own history: ticks by pid, checked
 * against the start time so that a reused pid starts afresh. */
#include "config.h"

#include "vmtop/proctable.h"

#include <errno.h>
#include <fcntl.h>
#include <libproc2/misc.h>
#include <libproc2/pids.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/hostinfo.h"
#include "vmtop/xalloc.h"

/* Our own accessor: PIDS_VAL's arity changed in libproc2 4.0.5. */
#define VAL(i, type, stk) ((stk)->head[(i)].result.type)

enum item_idx {
	I_PID, I_PPID, I_EUID, I_CMD, I_STATE, I_NLWP, I_TICS, I_START,
	I_VIRT, I_RES,
	I__BASE,
	/* optional items follow in this order when wanted */
};

static const enum pids_item base_items[I__BASE] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_ID_EUID, PIDS_CMD, PIDS_STATE,
	PIDS_NLWP, PIDS_TICS_ALL, PIDS_TIME_START, PIDS_MEM_VIRT, PIDS_MEM_RES,
};

/* Previous ticks of one process, in an open-addressing table. */
struct tick_slot {
	pid_t pid;             /* 0: empty */
	double start;
	unsigned long long ticks;
	unsigned gen;
};

struct user_slot {
	uid_t uid;
	char name[33];
	bool used;
};

struct proctable {
	struct pids_info *info;
	enum pids_item items[I__BASE + 2];
	int nitems;
	int cmdline_idx, swap_idx;   /* -1 when not in the item set */

	struct proc_row *rows;
	size_t nrows, cap;
	char *strings;               /* copies of comm and cmdline */
	size_t strings_len, strings_cap;

	struct tick_slot *ticks;     /* size tick_cap, a power of two */
	size_t tick_cap, tick_used;
	unsigned gen;
	double prev_uptime;          /* 0 before the first refresh */

	struct user_slot users[64];  /* small cache of uid -> name */
	long hertz;
	int cpus;
	bool have_swap;
};

static int items_set(struct proctable *pt, bool cmdline, bool swap)
{
	int n = I__BASE;

	memcpy(pt->items, base_items, sizeof(base_items));
	pt->cmdline_idx = pt->swap_idx = -1;
	if (cmdline) {
		pt->cmdline_idx = n;
		pt->items[n++] = PIDS_CMDLINE;
	}
	if (swap) {
		pt->swap_idx = n;
		pt->items[n++] = PIDS_VM_SWAP;
	}
	pt->nitems = n;
	if (!pt->info)
		return procps_pids_new(&pt->info, pt->items, n);
	return procps_pids_reset(pt->info, pt->items, n);
}

int proctable_new(struct proctable **out)
{
	struct proctable *pt = xcalloc(1, sizeof(*pt));
	struct hostinfo h;
	int rc;

	pt->hertz = procps_hertz_get();
	if (pt->hertz <= 0)
		pt->hertz = 100;
	pt->cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (pt->cpus < 1)
		pt->cpus = 1;
	if (hostinfo_read(&h, NULL) == 0)
		pt->have_swap = h.swap_total_kib > 0;
	else
		pt->have_swap = true; /* unknown: read status to be exact */
	rc = items_set(pt, false, pt->have_swap);
	if (rc < 0) {
		free(pt);
		return rc;
	}
	pt->tick_cap = 1024;
	pt->ticks = xcalloc(pt->tick_cap, sizeof(*pt->ticks));
	*out = pt;
	return 0;
}

void proctable_free(struct proctable *pt)
{
	if (!pt)
		return;
	if (pt->info)
		procps_pids_unref(&pt->info);
	free(pt->rows);
	free(pt->strings);
	free(pt->ticks);
	free(pt);
}

/* ---- tick history ---- */

static struct tick_slot *tick_find(struct tick_slot *tab, size_t cap,
				   pid_t pid)
{
	size_t h = ((size_t)pid * 2654435761u) & (cap - 1);

	while (tab[h].pid && tab[h].pid != pid)
		h = (h + 1) & (cap - 1);
	return &tab[h];
}

/* Drops processes not seen in this refresh and keeps the load under 1/2. */
static void tick_rehash(struct proctable *pt, size_t want)
{
	size_t cap = pt->tick_cap;

	while (want * 2 > cap)
		cap *= 2;
	struct tick_slot *tab = xcalloc(cap, sizeof(*tab));
	size_t used = 0;

	for (size_t i = 0; i < pt->tick_cap; i++) {
		struct tick_slot *s = &pt->ticks[i];

		if (!s->pid || s->gen != pt->gen)
			continue;
		*tick_find(tab, cap, s->pid) = *s;
		used++;
	}
	free(pt->ticks);
	pt->ticks = tab;
	pt->tick_cap = cap;
	pt->tick_used = used;
}

static double cpu_pct(struct proctable *pt, pid_t pid, double start,
		      unsigned long long ticks, double uptime)
{
	struct tick_slot *s = tick_find(pt->ticks, pt->tick_cap, pid);
	double et = uptime - pt->prev_uptime;
	double pct = -1;

	if (s->pid && s->start == start && ticks >= s->ticks) {
		if (et > 0)
			pct = (double)(ticks - s->ticks) * 100.0 /
			      ((double)pt->hertz * et);
	} else if (pt->prev_uptime > 0 && start >= pt->prev_uptime && et > 0) {
		/* born since the previous refresh: all its ticks are new */
		pct = (double)ticks * 100.0 / ((double)pt->hertz * et);
	}
	if (!s->pid)
		pt->tick_used++;
	s->pid = pid;
	s->start = start;
	s->ticks = ticks;
	s->gen = pt->gen;
	return pct;
}

/* ---- strings ---- */

/* Offsets are stored first and turned into pointers at the end, because
 * the string area may move while it grows. */
static size_t str_put(struct proctable *pt, const char *s)
{
	size_t len = s ? strlen(s) : 0, off = pt->strings_len;

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
	return str_put(pt, u->name);
}

static enum proc_access guess_access(uid_t uid)
{
	uid_t me = geteuid();

	return (me == 0 || me == uid) ? PROC_ACCESS_FULL : PROC_ACCESS_LIMITED;
}

/* Fills one row; string fields hold offsets until fix_strings(). */
static void row_fill(struct proctable *pt, struct proc_row *r,
		     struct pids_stack *s, double uptime)
{
	const char *comm = VAL(I_CMD, str, s);
	char st = VAL(I_STATE, s_ch, s);

	memset(r, 0, sizeof(*r));
	r->pid = VAL(I_PID, s_int, s);
	r->ppid = VAL(I_PPID, s_int, s);
	r->uid = VAL(I_EUID, u_int, s);
	r->user = (const char *)(uintptr_t)user_name(pt, r->uid);
	r->comm = (const char *)(uintptr_t)str_put(pt, comm);
	r->cmdline = (const char *)(uintptr_t)SIZE_MAX;
	if (pt->cmdline_idx >= 0)
		r->cmdline = (const char *)(uintptr_t)str_put(
			pt, VAL(pt->cmdline_idx, str, s));
	r->state = st ? st : '?';
	r->threads = VAL(I_NLWP, s_int, s);
	r->vsz_kib = VAL(I_VIRT, ul_int, s);
	r->rss_kib = VAL(I_RES, ul_int, s);
	r->swap_known = true;
	if (pt->swap_idx >= 0)
		r->swap_kib = VAL(pt->swap_idx, ul_int, s);
	r->start_time = VAL(I_START, real, s);
	r->cpu_pct = cpu_pct(pt, r->pid, r->start_time,
			     VAL(I_TICS, ull_int, s), uptime);
	r->access = guess_access(r->uid);
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

static struct pids_fetch *fetch(struct proctable *pt, const pid_t *pids,
				size_t npids)
{
	if (npids == 0)
		return procps_pids_reap(pt->info, PIDS_FETCH_TASKS_ONLY);
	/* select takes at most 255 ids and unsigned ones */
	unsigned ids[255];
	size_t n = npids < 255 ? npids : 255;

	for (size_t i = 0; i < n; i++)
		ids[i] = (unsigned)pids[i];
	return procps_pids_select(pt->info, ids, (int)n, PIDS_SELECT_PID);
}

int proctable_refresh(struct proctable *pt, const pid_t *pids, size_t npids,
		      unsigned want)
{
	bool cmdline = want & PROCTABLE_WANT_CMDLINE;
	double uptime = 0;
	struct pids_fetch *f;

	if (cmdline != (pt->cmdline_idx >= 0)) {
		int rc = items_set(pt, cmdline, pt->have_swap);
		if (rc < 0)
			return rc;
	}
	procps_uptime(&uptime, NULL);
	f = fetch(pt, pids, npids);
	if (!f)
		return errno == ENOENT ? 0 : -(errno ? errno : EIO);
	pt->gen++;
	pt->nrows = 0;
	pt->strings_len = 0;
	XGROW(pt->rows, pt->cap, (size_t)f->counts->total);
	for (int i = 0; i < f->counts->total; i++)
		row_fill(pt, &pt->rows[pt->nrows++], f->stacks[i], uptime);
	fix_strings(pt);
	if (pt->tick_used * 2 > pt->tick_cap || pt->gen % 64 == 0)
		tick_rehash(pt, pt->nrows + 1);
	pt->prev_uptime = uptime;
	return (int)pt->nrows;
}

const struct proc_row *proctable_rows(const struct proctable *pt)
{
	return pt->rows;
}

size_t proctable_count(const struct proctable *pt)
{
	return pt->nrows;
}

enum proc_access proctable_probe_access(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PROC_ACCESS_LIMITED;
	close(fd);
	return PROC_ACCESS_FULL;
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

	qsort_r(rows, n, sizeof(*rows), sort_cb, &c);
}
