/* snapshot: the source that reads `vmtop -J -m` output back (see
 * snapshot.h).
 *
 * The file is indexed once through collect's linefile: each line is
 * parsed and checked completely (snapmap), then only its offset is kept;
 * the refresh shown is read and parsed again when it is stepped to. */
#include "config.h"

#include "vmtop/snapshot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/linefile.h"
#include "vmtop/snapmap.h"
#include "vmtop/xalloc.h"

int snapshot_check_line(const char *line, size_t len, char *err,
			size_t errsize)
{
	json_t *doc;
	int rc = snapmap_parse(line, len, &doc, err, errsize);

	if (rc)
		return rc;
	rc = snapmap_check(doc, err, errsize);
	json_decref(doc);
	return rc;
}

/* --- the source --------------------------------------------------------- */

struct snap_frame {
	off_t off;
	size_t len;
	double time;
};

struct source_snap {
	struct source base; /* first: a struct source * is one of these */
	struct linefile *lf;
	struct snap_frame *frames;
	size_t nframes, frames_cap;
	size_t cur;              /* the refresh shown */
	json_t *doc;             /* it, parsed */
	struct hostinfo host;
	struct snapmap_rows rows;
};

static struct source_snap *snap_of(struct source *s)
{
	return (struct source_snap *)(void *)s;
}

static const struct source_snap *snap_of_const(const struct source *s)
{
	return (const struct source_snap *)(const void *)s;
}

/* Reads frame k again and parses it into *doc. */
static int snap_parse_frame(const struct source_snap *s, size_t k,
			    json_t **doc)
{
	const struct snap_frame *f = &s->frames[k];
	char *buf = xmalloc(f->len + 1);
	int rc = linefile_pread(s->lf, f->off, f->len, buf);

	if (rc == 0 && snapmap_parse(buf, f->len, doc, NULL, 0) < 0)
		rc = -EIO; /* the file changed since it was checked */
	free(buf);
	return rc;
}

/* Reads frame k again and parses it into s->doc. */
static int snap_load(struct source_snap *s, size_t k)
{
	json_t *doc;
	int rc = snap_parse_frame(s, k, &doc);

	if (rc < 0)
		return rc;
	json_decref(s->doc);
	s->doc = doc;
	s->cur = k;
	snapmap_host(doc, &s->host);
	return 0;
}

static int snap_list(struct source *src, const pid_t *pids, size_t npids,
		     unsigned want)
{
	struct source_snap *s = snap_of(src);

	(void)want; /* command lines are there when they were saved */
	return (int)snapmap_rows(s->doc, pids, npids, &s->rows);
}

static const struct proc_row *snap_rows(const struct source *src, size_t *n)
{
	*n = snap_of_const(src)->rows.n;
	return snap_of_const(src)->rows.v;
}

static int snap_read(struct source *src, pid_t pid, unsigned what,
		     const struct vmmap *prev, struct vmmap **out)
{
	(void)what; /* everything saved is read */
	(void)prev;
	return snapmap_read(snap_of(src)->doc, pid, out);
}

static int snap_host(struct source *src, struct hostinfo *hi)
{
	*hi = snap_of(src)->host;
	return 0;
}

static int snap_read_at(struct source *src, size_t index, pid_t pid,
			struct vmmap **out)
{
	struct source_snap *s = snap_of(src);
	json_t *doc;
	int rc;

	*out = NULL;
	if (index >= s->nframes)
		return -ERANGE;
	if (index == s->cur)
		return snapmap_read(s->doc, pid, out);
	rc = snap_parse_frame(s, index, &doc);
	if (rc < 0)
		return rc;
	rc = snapmap_read(doc, pid, out);
	json_decref(doc);
	return rc;
}

static int snap_knobs(struct source *src, pid_t pid, struct knobs *k)
{
	return snapmap_knobs(snap_of(src)->doc, pid, k);
}

static int snap_step(struct source *src, int delta)
{
	struct source_snap *s = snap_of(src);
	long k = (long)s->cur + delta;
	int rc;

	if (k < 0)
		k = 0;
	if (k >= (long)s->nframes)
		k = (long)s->nframes - 1;
	if ((size_t)k == s->cur)
		return -ERANGE;
	rc = snap_load(s, (size_t)k);
	return rc < 0 ? rc : (int)k;
}

static void snap_moment(const struct source *src, struct source_moment *m)
{
	const struct source_snap *s = snap_of_const(src);

	m->index = s->cur;
	m->count = s->nframes;
	m->time = s->frames[s->cur].time;
}

static void snap_free(struct source *src)
{
	struct source_snap *s = snap_of(src);

	json_decref(s->doc);
	snapmap_rows_free(&s->rows);
	free(s->frames);
	linefile_close(s->lf);
	free(s);
}

static const struct source_ops snap_ops = {
	.name = "snapshot",
	.list = snap_list,
	.rows = snap_rows,
	.read = snap_read,
	.host = snap_host,
	.free = snap_free,
	.knobs = snap_knobs,
	.step = snap_step,
	.moment = snap_moment,
	.read_at = snap_read_at,
};

/* --- indexing the file -------------------------------------------------- */

/* Whether line[0..len) is only white space. */
static bool snap_blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return false;
	return true;
}

/* Checks the line at off and indexes it. */
static int snap_index_line(struct source_snap *s, const char *line,
			   size_t len, off_t off, bool last_no_newline,
			   char *err, size_t errsize)
{
	json_t *doc;
	int rc;

	if (snap_blank(line, len))
		return 0;
	if (s->nframes >= SNAPSHOT_FRAMES_MAX) {
		snprintf(err, errsize, "more than %u refreshes",
			 SNAPSHOT_FRAMES_MAX);
		return -EFBIG;
	}
	rc = snapmap_parse(line, len, &doc, err, errsize);
	if (rc == -EINVAL && last_no_newline && !strncmp(err, "not JSON", 8))
		snprintf(err, errsize, "truncated: the file ends inside a "
			 "refresh");
	if (rc)
		return rc;
	rc = snapmap_check(doc, err, errsize);
	if (rc == 0) {
		XGROW(s->frames, s->frames_cap, s->nframes + 1);
		s->frames[s->nframes++] = (struct snap_frame){
			off, len, snapmap_time(doc) };
	}
	json_decref(doc);
	return rc;
}

/* Reads and checks every line of the file; *lineno is the line being
 * read when it fails. */
static int snap_index(struct source_snap *s, unsigned *lineno, char *err,
		      size_t errsize)
{
	const char *line;
	size_t len;
	off_t off;
	bool newline;
	int rc;

	while ((rc = linefile_next(s->lf, &line, &len, &off, &newline)) > 0) {
		*lineno = linefile_lineno(s->lf);
		rc = snap_index_line(s, line, len, off, !newline, err,
				     errsize);
		if (rc)
			return rc;
	}
	*lineno = linefile_lineno(s->lf);
	if (rc == -EFBIG)
		snprintf(err, errsize, "a line longer than %u MiB: not a "
			 "snapshot vmtop wrote", SNAPSHOT_LINE_MAX >> 20);
	else if (rc < 0)
		snprintf(err, errsize, "%s", strerror(-rc));
	return rc;
}

int snapshot_open(const char *path, struct source **out, char *err,
		  size_t errsize)
{
	struct source_snap *s = xcalloc(1, sizeof(*s));
	char why[400] = "";
	unsigned lineno = 0;
	int rc;

	*out = NULL;
	rc = linefile_open(path, SNAPSHOT_LINE_MAX, &s->lf);
	if (rc == -EISDIR)
		snprintf(why, sizeof(why), "is a directory, not a snapshot");
	else if (rc == -EINVAL)
		snprintf(why, sizeof(why), "not a regular file");
	if (rc == 0)
		rc = snap_index(s, &lineno, why, sizeof(why));
	if (rc == 0 && s->nframes == 0) {
		rc = -ENODATA;
		snprintf(why, sizeof(why), "empty: no refresh in it (write "
			 "one with vmtop -b -J -m)");
	}
	if (rc == 0)
		rc = snap_load(s, s->nframes - 1);
	if (rc < 0) {
		if (lineno && rc != -ENODATA)
			snprintf(err, errsize, "%s:%u: %s", path, lineno, why);
		else
			snprintf(err, errsize, "%s: %s", path,
				 why[0] ? why : strerror(-rc));
		snap_free(&s->base);
		return rc;
	}
	s->base.ops = &snap_ops;
	s->base.live = false;
	*out = &s->base;
	return 0;
}

