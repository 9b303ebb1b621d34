/* capsrc: a capture archive as a source (capsrc.h). */
#include "config.h"

#include "vmtop/capsrc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmtop/capture.h"
#include "vmtop/environ.h"
#include "vmtop/knobs.h"
#include "vmtop/procfile.h"
#include "vmtop/procmap.h"
#include "vmtop/tarlib.h"
#include "vmtop/xalloc.h"

/* PID_MAX_LIMIT on 64-bit */
#define PID_LIMIT 4194304

struct capfacts {
	pid_t pid;
	struct vmmap *m;      /* env, exe, solibs, probes..., jvm */
	struct knobs *knobs;  /* the knobs facts: cgroup, hidden options */
};

struct source_capture {
	struct source base;   /* first: a struct source * is one of these */
	char *dir;            /* the private directory, removed at free */
	struct source *proc;  /* the proc source under dir */
	struct capture_manifest man;
	struct capfacts *facts; /* by pid */
	size_t nfacts;
};

static struct source_capture *cap_of(struct source *s)
{
	return (struct source_capture *)(void *)s;
}

static const struct source_capture *cap_of_const(const struct source *s)
{
	return (const struct source_capture *)(const void *)s;
}

/* ---- names ---- */

/* A PID or TID as the kernel writes it: 1..PID_LIMIT, no leading 0. */
static bool id_ok(const char *s, size_t n)
{
	long v = 0;

	if (n == 0 || n > 7 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	return v <= PID_LIMIT;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

bool capsrc_name_ok(const char *name)
{
	static const char *const top[] = { CAPTURE_MANIFEST, "meminfo",
					   "uptime", NULL };
	static const char *const proc[] = { "stat", "statm", "status",
		"maps", "smaps", "smaps_rollup", "cmdline", "comm", "environ",
		"limits", CAPTURE_FACTS, NULL };
	static const char *const task[] = { "stat", "status", "syscall",
					    "comm", NULL };
	const char *s1 = strchr(name, '/'), *s2, *s3;

	if (!s1)
		return one_of(name, top);
	if (!id_ok(name, (size_t)(s1 - name)))
		return false;
	s2 = strchr(s1 + 1, '/');
	if (!s2)
		return one_of(s1 + 1, proc);
	if (s2 - s1 - 1 != 4 || memcmp(s1 + 1, "task", 4))
		return false;
	s3 = strchr(s2 + 1, '/');
	if (!s3 || !id_ok(s2 + 1, (size_t)(s3 - s2 - 1)))
		return false;
	return one_of(s3 + 1, task);
}

/* ---- the private directory ---- */

/* Removes everything under dirfd (closed), which holds only what
 * extraction made: directories and regular files, no links. */
static void clear_dir(int dirfd)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *de;

	if (!d) {
		close(dirfd);
		return;
	}
	while ((de = readdir(d))) {
		int sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0)
			continue;
		sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY |
			     O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			clear_dir(sub);
		unlinkat(dirfd, de->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

static void remove_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0)
		clear_dir(fd);
	rmdir(dir);
}

/* Makes the directories of name (relative to rootfd).  Returns 0 or
 * -errno. */
static int make_parents(int rootfd, const char *name)
{
	char path[64];
	size_t n = strlen(name);

	if (n >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, name, n + 1);
	for (char *p = path; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdirat(rootfd, path, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

/* ---- reading the archive ---- */

struct reader {
	const struct tarlib *t;
	struct archive *a;
	const char *name;     /* the archive, for messages */
	char *err;
	size_t errsize;
	int rootfd;
	unsigned long long total;
	struct strbuf manifest;
};

static const char *entry_type(unsigned type)
{
	switch (type) {
	case AE_IFLNK:
		return "a symbolic link";
	case AE_IFDIR:
		return "a directory";
	case AE_IFCHR:
	case AE_IFBLK:
		return "a device";
	case AE_IFIFO:
		return "a FIFO";
	case AE_IFSOCK:
		return "a socket";
	default:
		return "not a regular file";
	}
}

/* Copies the current entry's data to fd (or to r->manifest when fd < 0),
 * within the limits.  Returns 0 or -1 with a message. */
static int copy_data(struct reader *r, const char *entry, int fd)
{
	char buf[65536];
	unsigned long long got = 0;

	for (;;) {
		la_ssize_t n = r->t->read_data(r->a, buf, sizeof(buf));

		if (n == 0)
			return 0;
		if (n < 0) {
			snprintf(r->err, r->errsize, "%s: truncated or damaged "
				 "archive at '%s': %s", r->name, entry,
				 r->t->error_string(r->a));
			return -1;
		}
		got += (unsigned long long)n;
		r->total += (unsigned long long)n;
		if (got > CAPSRC_ENTRY_MAX || r->total > CAPSRC_TOTAL_MAX ||
		    (fd < 0 && got > 65536)) {
			snprintf(r->err, r->errsize, "%s: entry '%s' is too "
				 "large for a vmtop capture", r->name, entry);
			return -1;
		}
		if (fd < 0) {
			strbuf_add(&r->manifest, buf, (size_t)n);
			continue;
		}
		for (la_ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				snprintf(r->err, r->errsize, "%s: cannot "
					 "unpack '%s': %s", r->name, entry,
					 strerror(errno));
				return -1;
			}
			off += w;
		}
	}
}

static int extract_entry(struct reader *r, struct archive_entry *e,
			 size_t index)
{
	const char *entry = r->t->entry_pathname(e);
	unsigned type = r->t->entry_filetype(e);
	char shown[96];
	int fd, rc;

	if (!entry) {
		snprintf(r->err, r->errsize, "%s: an entry has no name",
			 r->name);
		return -1;
	}
	/* the name as the message shows it: printable, cut */
	size_t k = 0;

	for (const char *p = entry; *p && k < sizeof(shown) - 4; p++)
		shown[k++] = (*p >= ' ' && *p < 0x7f) ? *p : '?';
	shown[k] = '\0';
	if (!capsrc_name_ok(entry)) {
		snprintf(r->err, r->errsize, "%s: entry '%s' is not a file "
			 "of a vmtop capture (refused)", r->name, shown);
		return -1;
	}
	if (type != AE_IFREG) {
		snprintf(r->err, r->errsize, "%s: entry '%s' is %s "
			 "(refused)", r->name, shown, entry_type(type));
		return -1;
	}
	if (r->t->entry_size_is_set(e) &&
	    (r->t->entry_size(e) < 0 ||
	     (unsigned long long)r->t->entry_size(e) > CAPSRC_ENTRY_MAX)) {
		snprintf(r->err, r->errsize, "%s: entry '%s' is too large "
			 "for a vmtop capture", r->name, shown);
		return -1;
	}
	if ((index == 0) != !strcmp(entry, CAPTURE_MANIFEST)) {
		snprintf(r->err, r->errsize, "%s: not a vmtop capture (its "
			 "first entry must be '" CAPTURE_MANIFEST "')",
			 r->name);
		return -1;
	}
	if (index == 0)
		return copy_data(r, shown, -1);
	rc = make_parents(r->rootfd, entry);
	if (rc < 0) {
		snprintf(r->err, r->errsize, "%s: cannot unpack '%s': %s",
			 r->name, shown, strerror(-rc));
		return -1;
	}
	fd = openat(r->rootfd, entry, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(r->err, r->errsize, "%s: %s '%s'", r->name,
			 errno == EEXIST ? "twice the entry" :
			 "cannot unpack", shown);
		return -1;
	}
	rc = copy_data(r, shown, fd);
	close(fd);
	return rc;
}

static int check_manifest(struct reader *r, struct capture_manifest *man)
{
	if (capture_manifest_parse(r->manifest.buf, r->manifest.len, man)) {
		snprintf(r->err, r->errsize, "%s: not a vmtop capture (its "
			 "manifest cannot be read)", r->name);
		return -1;
	}
	if (man->format > CAPTURE_FORMAT) {
		snprintf(r->err, r->errsize, "%s: a capture of format %d, "
			 "newer than this vmtop reads (%d): use a newer "
			 "vmtop", r->name, man->format, CAPTURE_FORMAT);
		return -1;
	}
	return 0;
}

static int extract_all(struct reader *r, struct capture_manifest *man)
{
	struct archive_entry *e;
	size_t n = 0;
	int rc;

	for (;;) {
		rc = r->t->read_next_header(r->a, &e);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			snprintf(r->err, r->errsize, "%s: %s: %s", r->name,
				 n ? "truncated or damaged archive" :
				 "not a vmtop capture",
				 r->t->error_string(r->a));
			return -1;
		}
		if (n == CAPSRC_MAX_ENTRIES) {
			snprintf(r->err, r->errsize, "%s: more than %d "
				 "entries: not a vmtop capture", r->name,
				 CAPSRC_MAX_ENTRIES);
			return -1;
		}
		if (extract_entry(r, e, n) < 0)
			return -1;
		if (n == 0 && check_manifest(r, man) < 0)
			return -1;
		n++;
	}
	if (n == 0) {
		snprintf(r->err, r->errsize, "%s: an empty archive, not a "
			 "vmtop capture", r->name);
		return -1;
	}
	return 0;
}

/* ---- the facts ---- */

static int cmp_facts(const void *a, const void *b)
{
	pid_t x = ((const struct capfacts *)a)->pid;
	pid_t y = ((const struct capfacts *)b)->pid;

	return (x > y) - (x < y);
}

/* Reads PID/vmtop-facts and PID/environ of each process unpacked. */
static int load_facts(struct source_capture *c, int rootfd,
		      const char *name, char *err, size_t errsize)
{
	int dfd = dup(rootfd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	int rc = 0;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		snprintf(err, errsize, "%s: %s", name, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d))) {
		struct strbuf sb = STRBUF_INIT;
		struct knobs *kf;
		struct vmmap *m;
		int pfd;

		if (!id_ok(de->d_name, strlen(de->d_name)))
			continue;
		pfd = openat(rootfd, de->d_name, O_RDONLY | O_DIRECTORY |
			     O_NOFOLLOW | O_CLOEXEC);
		if (pfd < 0)
			continue;
		m = vmmap_new((pid_t)atoi(de->d_name));
		kf = xmalloc(sizeof(*kf));
		knobs_init(kf);
		if (environ_read(pfd, m) < 0)
			m->missing |= MISSING_ENVIRON;
		if (procfile_read_all(pfd, CAPTURE_FACTS, 0, &sb) == 0) {
			if (capture_facts_parse(sb.buf ? sb.buf : "", sb.len,
						m) ||
			    capture_knobs_parse(sb.buf ? sb.buf : "", sb.len,
						kf)) {
				snprintf(err, errsize, "%s: the facts of "
					 "process %s are malformed", name,
					 de->d_name);
				rc = -1;
			}
		} else {
			m->missing |= MISSING_EXE;
		}
		strbuf_release(&sb);
		close(pfd);
		c->facts = xreallocarray(c->facts, c->nfacts + 1,
					 sizeof(*c->facts));
		c->facts[c->nfacts].pid = m->pid;
		c->facts[c->nfacts].knobs = kf;
		c->facts[c->nfacts++].m = m;
	}
	closedir(d);
	if (c->nfacts)
		qsort(c->facts, c->nfacts, sizeof(*c->facts), cmp_facts);
	return rc;
}

static const struct capfacts *capfacts_of(const struct source_capture *c,
					  pid_t pid)
{
	struct capfacts key = { .pid = pid };

	return c->nfacts ? bsearch(&key, c->facts, c->nfacts,
				   sizeof(*c->facts), cmp_facts) : NULL;
}

static const struct vmmap *facts_of(const struct source_capture *c,
				    pid_t pid)
{
	const struct capfacts *f = capfacts_of(c, pid);

	return f ? f->m : NULL;
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *p;

	if (!n)
		return NULL;
	p = xreallocarray(NULL, n, size);
	memcpy(p, src, n * size);
	return p;
}

/* Gives m what the live read took from outside the proc files. */
static void put_facts(struct vmmap *m, const struct vmmap *f,
		      const struct capture_manifest *man)
{
	m->time = man->time;
	if (man->cpus)
		m->online_cpus = man->cpus;
	if (man->page_size)
		m->page_size = man->page_size;
	m->missing |= f->missing & (MISSING_MEMORY | MISSING_PIDNS);
	free(m->solibs);
	m->solibs = dup_array(f->solibs, f->nsolibs, sizeof(*f->solibs));
	m->nsolibs = f->nsolibs;
	for (size_t i = 0; i < m->nsolibs; i++) {
		const char *path = f->solibs[i].path;

		m->solibs[i].path = vmmap_intern_path(m, path, strlen(path));
	}
	free(m->probes);
	m->probes = dup_array(f->probes, f->nprobes, sizeof(*f->probes));
	m->nprobes = f->nprobes;
	free(m->chunks);
	m->chunks = dup_array(f->chunks, f->nchunks, sizeof(*f->chunks));
	m->nchunks = f->nchunks;
	free(m->rtprobes);
	m->rtprobes = dup_array(f->rtprobes, f->nrtprobes,
				 sizeof(*f->rtprobes));
	m->nrtprobes = f->nrtprobes;
	if (f->jvm.detected)
		m->jvm = f->jvm;
}

/* ---- the source ---- */

static int cap_list(struct source *s, const pid_t *pids, size_t npids,
		    unsigned want)
{
	return source_list(cap_of(s)->proc, pids, npids, want);
}

static const struct proc_row *cap_rows(const struct source *s, size_t *n)
{
	return source_rows(cap_of_const(s)->proc, n);
}

static int cap_read(struct source *s, pid_t pid, unsigned what,
		    const struct vmmap *prev, struct vmmap **out)
{
	struct source_capture *c = cap_of(s);
	const struct vmmap *f = facts_of(c, pid);
	int rc;

	(void)prev; /* the facts are the capture's, read once */
	*out = NULL;
	if (!f)
		return -ESRCH;
	rc = procmap_read_after(c->dir, pid,
				what & ~(unsigned)(PROCMAP_ENV | PROCMAP_EXE),
				f, out);
	if (*out)
		put_facts(*out, f, &c->man);
	return rc;
}

static int cap_host(struct source *s, struct hostinfo *hi)
{
	struct source_capture *c = cap_of(s);
	int rc = hostinfo_read(hi, c->dir);

	if (c->man.cpus)
		hi->cpus = c->man.cpus;
	if (c->man.page_size)
		hi->page_size = c->man.page_size;
	return rc;
}

/* The knobs view of a captured process: its environ (the knobs only),
 * cmdline and limits as unpacked, read by knobs_read() like any proc root
 * (not live: no cgroup), then what the capture stored of the rest. */
static int cap_knobs(struct source *s, pid_t pid, struct knobs *k)
{
	const struct capfacts *f = capfacts_of(cap_of(s), pid);
	const struct knobs *kf;
	int rc;

	if (!f) {
		knobs_init(k);
		return -ESRCH;
	}
	rc = knobs_read(cap_of(s)->dir, pid, k);
	if (rc < 0)
		return rc;
	kf = f->knobs;
	/* the options the capture's environ left out */
	if (!k->env_err)
		k->env_hidden = kf->env_hidden;
	k->cg_err = kf->cg_err;
	k->cg_read = kf->cg_read;
	k->cg_max = kf->cg_max;
	k->cg_high = kf->cg_high;
	k->cg_eff_max = kf->cg_eff_max;
	free(k->cg_path);
	free(k->cg_eff_path);
	k->cg_path = kf->cg_path ? xstrdup(kf->cg_path) : NULL;
	k->cg_eff_path = kf->cg_eff_path ? xstrdup(kf->cg_eff_path) : NULL;
	return 0;
}

static void cap_free(struct source *s)
{
	struct source_capture *c = cap_of(s);

	source_free(c->proc);
	for (size_t i = 0; i < c->nfacts; i++) {
		vmmap_free(c->facts[i].m);
		knobs_release(c->facts[i].knobs);
		free(c->facts[i].knobs);
	}
	free(c->facts);
	if (c->dir) {
		remove_dir(c->dir);
		free(c->dir);
	}
	free(c);
}

static const struct source_ops capture_ops = {
	.name = "capture",
	.list = cap_list,
	.rows = cap_rows,
	.read = cap_read,
	.host = cap_host,
	.free = cap_free,
	.knobs = cap_knobs,
};

/* Opens the archive read by a (opened by the caller) into a new source. */
static int open_archive(const struct tarlib *t, struct archive *a,
			const char *name, struct source **out, char *err,
			size_t errsize)
{
	struct source_capture *c = xcalloc(1, sizeof(*c));
	struct reader r = { .t = t, .a = a, .name = name, .err = err,
			    .errsize = errsize, .rootfd = -1 };
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	int rc = -1;

	c->base.ops = &capture_ops;
	snprintf(dir, sizeof(dir), "%s/vmtop-capture.XXXXXX",
		 tmp && *tmp == '/' ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		snprintf(err, errsize, "%s: cannot make a directory to "
			 "unpack it in: %s", name, strerror(errno));
		goto out;
	}
	c->dir = xstrdup(dir);
	r.rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	strbuf_init(&r.manifest, 256);
	if (r.rootfd < 0) {
		snprintf(err, errsize, "%s: %s: %s", name, dir,
			 strerror(errno));
		goto out;
	}
	if (extract_all(&r, &c->man) < 0 ||
	    load_facts(c, r.rootfd, name, err, errsize) < 0)
		goto out;
	rc = source_proc_new(c->dir, &c->proc);
	if (rc < 0) {
		snprintf(err, errsize, "%s: %s", name, strerror(-rc));
		rc = -1;
		goto out;
	}
	c->base.live = false;
	rc = 0;
out:
	if (r.rootfd >= 0)
		close(r.rootfd);
	strbuf_release(&r.manifest);
	t->read_free(a);
	if (rc < 0) {
		cap_free(&c->base);
		return -1;
	}
	*out = &c->base;
	return 0;
}

static struct archive *new_reader(const struct tarlib *t)
{
	struct archive *a = t->read_new();

	if (a && (t->read_tar(a) != ARCHIVE_OK ||
		  t->read_gzip(a) != ARCHIVE_OK)) {
		t->read_free(a);
		return NULL;
	}
	return a;
}

int capsrc_new(const char *path, struct source **out, char *err,
	       size_t errsize)
{
	const struct tarlib *t = tarlib_load(err, errsize);
	struct archive *a;
	int fd, rc;

	*out = NULL;
	if (!t)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsize, "cannot open %s: %s", path,
			 strerror(errno));
		return -1;
	}
	a = new_reader(t);
	if (!a || t->read_open_fd(a, fd, 65536) != ARCHIVE_OK) {
		snprintf(err, errsize, "%s: not a vmtop capture: %s", path,
			 a ? t->error_string(a) : strerror(ENOMEM));
		if (a)
			t->read_free(a);
		close(fd);
		return -1;
	}
	rc = open_archive(t, a, path, out, err, errsize);
	close(fd);
	return rc;
}

int capsrc_new_memory(const void *buf, size_t len, const char *name,
		      struct source **out, char *err, size_t errsize)
{
	const struct tarlib *t = tarlib_load(err, errsize);
	struct archive *a;

	*out = NULL;
	if (!t)
		return -1;
	a = new_reader(t);
	/* libarchive's prototype takes a non-const buffer it only reads */
	if (!a || t->read_open_memory(a, (void *)(uintptr_t)buf, len) !=
	    ARCHIVE_OK) {
		snprintf(err, errsize, "%s: not a vmtop capture: %s", name,
			 a ? t->error_string(a) : strerror(ENOMEM));
		if (a)
			t->read_free(a);
		return -1;
	}
	return open_archive(t, a, name, out, err, errsize);
}
