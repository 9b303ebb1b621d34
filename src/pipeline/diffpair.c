/* diffpair: the two sides of --diff (diffpair.h). */
#include "config.h"

#include "vmtop/diffpair.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/clock.h"
#include "vmtop/filter.h"
#include "vmtop/load.h"
#include "vmtop/vmmap.h"

/* Candidates listed in the error when OLD holds several processes. */
#define DIFFPAIR_LIST_MAX 8

/* Whether src holds a memory map of pid in its refresh shown (a snapshot
 * written without -m lists processes only). */
static bool diffpair_has_map(struct source *src, pid_t pid)
{
	struct vmmap *m = NULL;

	if (source_read(src, pid, 0, NULL, &m) < 0 || !m)
		return false;
	vmmap_free(m);
	return true;
}

/* Fills side from row of its source's refresh shown. */
static void diffpair_take(struct diffpair_side *side,
			  const struct proc_row *row)
{
	struct source_moment mo;

	side->pid = row->pid;
	snprintf(side->comm, sizeof(side->comm), "%s", row->comm);
	side->row = *row;
	side->row.comm = side->comm;
	side->row.cmdline = NULL;
	side->row.user = "";
	side->time = source_moment(side->src, &mo) ? mo.time : 0;
	if (!side->file) /* the live process: now */
		side->time = clock_realtime_s();
}

/* Steps a file's source one refresh back; false at its first (or for a
 * source of one moment). */
static bool diffpair_back(struct source *src)
{
	return source_step(src, -1) >= 0;
}

static void diffpair_say_none(const struct diffpair_side *side,
			      const pid_t *pids, size_t npids,
			      const char *pattern, char *err, size_t errsize)
{
	char pid[48] = "", pat[300] = "";

	if (npids)
		snprintf(pid, sizeof(pid), " with PID %d%s", (int)pids[0],
			 npids > 1 ? ", ..." : "");
	if (pattern)
		snprintf(pat, sizeof(pat), " matching '%.256s'", pattern);
	snprintf(err, errsize, "%s: no process%s%s with a memory map in any "
		 "refresh%s", side->file, pid, pat, npids || pattern ? "" :
		 " (vmtop -b -J -m writes them)");
}

/* OLD: the one process f selects, in the latest refresh that has one. */
static int diffpair_old(struct diffpair_side *side, struct filter *f,
			const pid_t *pids, size_t npids, const char *pattern,
			char *err, size_t errsize)
{
	unsigned want = filter_wants_cmdline(f) ? PROCTABLE_WANT_CMDLINE : 0;

	do {
		const struct proc_row *rows, *hit[DIFFPAIR_LIST_MAX];
		size_t n, nhit = 0;
		int len;

		if (source_list(side->src, NULL, 0, want) < 0)
			continue;
		rows = source_rows(side->src, &n);
		for (size_t i = 0; i < n; i++) {
			if (rows[i].vsz_kib == 0 ||
			    !filter_match(f, &rows[i]) ||
			    !diffpair_has_map(side->src, rows[i].pid))
				continue;
			if (nhit < DIFFPAIR_LIST_MAX)
				hit[nhit] = &rows[i];
			nhit++;
		}
		if (nhit == 1) {
			diffpair_take(side, hit[0]);
			return 0;
		}
		if (nhit == 0)
			continue;
		len = snprintf(err, errsize, "%s holds %zu processes with a "
			       "memory map:", side->file, nhit);
		for (size_t i = 0; i < nhit && i < DIFFPAIR_LIST_MAX &&
				   len >= 0 && (size_t)len < errsize; i++)
			len += snprintf(err + len, errsize - (size_t)len,
					"%s PID %d (%.32s)", i ? "," : "",
					(int)hit[i]->pid, hit[i]->comm);
		if (len >= 0 && (size_t)len < errsize)
			snprintf(err + len, errsize - (size_t)len, "%s; choose "
				 "one with -p PID or a PATTERN",
				 nhit > DIFFPAIR_LIST_MAX ? ", ..." : "");
		return -ENOTUNIQ;
	} while (diffpair_back(side->src));
	diffpair_say_none(side, pids, npids, pattern, err, errsize);
	return -ESRCH;
}

/* NEW: old's PID when it runs the same program, else the process of the
 * same comm that maps the most; *reused the comm its PID runs now ("" if
 * none).  A file is searched from its last refresh back. */
static int diffpair_new(struct diffpair_side *side,
			const struct diffpair_side *old, char *reused,
			size_t reusedsize)
{
	pid_t self = getpid();

	reused[0] = '\0';
	do {
		const struct proc_row *rows, *same = NULL, *named = NULL;
		size_t n;

		if (source_list(side->src, NULL, 0, 0) < 0)
			continue;
		rows = source_rows(side->src, &n);
		for (size_t i = 0; i < n; i++) {
			const struct proc_row *r = &rows[i];
			bool comm = strcmp(r->comm, old->comm) == 0;

			if (r->pid == self || r->vsz_kib == 0)
				continue;
			if (r->pid == old->pid && comm)
				same = r;
			else if (r->pid == old->pid)
				snprintf(reused, reusedsize, "%s", r->comm);
			if (comm && (!named || r->vsz_kib > named->vsz_kib))
				named = r;
		}
		if (same || named) {
			diffpair_take(side, same ? same : named);
			return 0;
		}
	} while (side->file && diffpair_back(side->src));
	return -ESRCH;
}

/* "of snap.json, 14:02:11" */
static int diffpair_where(char *buf, size_t size,
			  const struct diffpair_side *s)
{
	struct tm tm;
	time_t t = (time_t)s->time;

	if (!s->time || !localtime_r(&t, &tm))
		return snprintf(buf, size, "of %s", s->file);
	return snprintf(buf, size, "of %s, %02d:%02d:%02d", s->file,
			tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void diffpair_sentence(struct diffpair *d, const char *reused)
{
	char w0[300], w1[300], extra[120] = "";
	const struct diffpair_side *o = &d->old, *n = &d->new_;

	diffpair_where(w0, sizeof(w0), o);
	if (reused[0])
		snprintf(extra, sizeof(extra), " (PID %d now runs %.40s)",
			 (int)o->pid, reused);
	if (!n->file && n->pid == o->pid)
		snprintf(d->what, sizeof(d->what), "comparing PID %d (%s) %s, "
			 "with the live PID %d", (int)o->pid, o->comm, w0,
			 (int)n->pid);
	else if (!n->file)
		snprintf(d->what, sizeof(d->what), "comparing PID %d (%s) %s, "
			 "with the live PID %d (%s)%s", (int)o->pid, o->comm,
			 w0, (int)n->pid, n->comm, extra);
	else {
		diffpair_where(w1, sizeof(w1), n);
		snprintf(d->what, sizeof(d->what), "comparing PID %d (%s) %s, "
			 "with PID %d (%s) %s%s", (int)o->pid, o->comm, w0,
			 (int)n->pid, n->comm, w1, extra);
	}
}

static int diffpair_open_new(struct diffpair *d, const char *new_path,
			     char *err, size_t errsize)
{
	char reused[64];
	int rc;

	d->new_.file = new_path;
	if (new_path && load_open(new_path, &d->new_.src, err, errsize))
		return -EIO;
	if (!new_path && (rc = source_proc_new(NULL, &d->new_.src)) < 0) {
		snprintf(err, errsize, "cannot read processes: %s",
			 strerror(-rc));
		return rc;
	}
	if (diffpair_new(&d->new_, &d->old, reused, sizeof(reused)) == 0) {
		diffpair_sentence(d, reused);
		return 0;
	}
	if (reused[0])
		snprintf(err, errsize, "%s holds no process named '%s' (of "
			 "PID %d of %s): PID %d now runs another program "
			 "(%s)", new_path ? new_path : "/proc", d->old.comm,
			 (int)d->old.pid, d->old.file, (int)d->old.pid,
			 reused);
	else
		snprintf(err, errsize, "%s holds no process with PID %d or "
			 "named '%s' (of %s)", new_path ? new_path :
			 "/proc", (int)d->old.pid, d->old.comm, d->old.file);
	return -ESRCH;
}

int diffpair_open(struct diffpair *d, const char *old_path,
		  const char *new_path, const pid_t *pids, size_t npids,
		  const char *pattern, char *err, size_t errsize)
{
	struct filter *f = filter_new();
	char perr[256];
	int rc = 0;

	memset(d, 0, sizeof(*d));
	d->old.file = old_path;
	if (filter_set_pattern(f, pattern, perr, sizeof(perr)) < 0) {
		snprintf(err, errsize, "invalid regex '%s': %s", pattern,
			 perr);
		rc = -EINVAL;
	}
	for (size_t i = 0; i < npids; i++)
		filter_add_pid(f, pids[i]);
	if (!rc && load_open(old_path, &d->old.src, err, errsize))
		rc = -EIO;
	if (!rc)
		rc = diffpair_old(&d->old, f, pids, npids, pattern, err,
				  errsize);
	filter_free(f);
	if (!rc)
		rc = diffpair_open_new(d, new_path, err, errsize);
	if (rc)
		diffpair_release(d);
	return rc;
}

void diffpair_release(struct diffpair *d)
{
	source_free(d->old.src);
	source_free(d->new_.src);
	d->old.src = d->new_.src = NULL;
}
