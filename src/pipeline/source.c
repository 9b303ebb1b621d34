/* source: the interface, and the proc source.
 *
 * The proc source keeps one proctable (its descriptors on stat and statm
 * stay open between refreshes, which is what makes the list cheap) and
 * reads maps through procmap; whether the root is a live procfs is asked
 * once, of the file system. */
#include "config.h"

#include "vmtop/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/capsrc.h"

#include "vmtop/procfile.h"
#include "vmtop/procmap.h"
#include "vmtop/xalloc.h"

struct source_proc {
	struct source base; /* first: a struct source * is one of these */
	char *root;
	struct proctable *pt;
};

static struct source_proc *proc_of(struct source *s)
{
	return (struct source_proc *)(void *)s;
}

static const struct source_proc *proc_of_const(const struct source *s)
{
	return (const struct source_proc *)(const void *)s;
}

static int proc_list(struct source *s, const pid_t *pids, size_t npids,
		     unsigned want)
{
	return proctable_refresh(proc_of(s)->pt, pids, npids, want);
}

static const struct proc_row *proc_rows(const struct source *s, size_t *n)
{
	const struct proctable *pt = proc_of_const(s)->pt;

	*n = proctable_count(pt);
	return proctable_rows(pt);
}

static int proc_read(struct source *s, pid_t pid, unsigned what,
		     const struct vmmap *prev, struct vmmap **out)
{
	return procmap_read_after(proc_of(s)->root, pid, what, prev, out);
}

static int proc_host(struct source *s, struct hostinfo *hi)
{
	return hostinfo_read(hi, proc_of(s)->root);
}

static void proc_free(struct source *s)
{
	struct source_proc *p = proc_of(s);

	proctable_free(p->pt);
	free(p->root);
	free(p);
}

static const struct source_ops proc_ops = {
	.name = "proc",
	.list = proc_list,
	.rows = proc_rows,
	.read = proc_read,
	.host = proc_host,
	.free = proc_free,
};

int source_proc_new(const char *proc_root, struct source **out)
{
	struct source_proc *p = xcalloc(1, sizeof(*p));
	int rc;

	*out = NULL;
	p->root = xstrdup(procfile_root(proc_root));
	rc = proctable_new(&p->pt, p->root);
	if (rc < 0) {
		free(p->root);
		free(p);
		return rc;
	}
	p->base.ops = &proc_ops;
	p->base.live = procfile_is_live(p->root);
	*out = &p->base;
	return 0;
}

enum source_file_kind source_file_kind(const unsigned char *head,
				       size_t len)
{
	size_t i = 0;

	if (len == 0)
		return SOURCE_FILE_EMPTY;
	if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return SOURCE_FILE_CAPTURE; /* gzip */
	if (len >= 262 && !memcmp(head + 257, "ustar", 5))
		return SOURCE_FILE_CAPTURE; /* POSIX tar (pax is one) */
	while (i < len && (head[i] == ' ' || head[i] == '\n' ||
			   head[i] == '\t' || head[i] == '\r'))
		i++;
	if (i < len && head[i] == '{')
		return SOURCE_FILE_SNAPSHOT;
	return SOURCE_FILE_UNKNOWN;
}

int source_open_file(const char *path, struct source **out, char *err,
		     size_t errsize)
{
	unsigned char head[512];
	ssize_t n = 0, r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	if (fd < 0) {
		snprintf(err, errsize, "cannot open %s: %s", path,
			 strerror(errno));
		return -1;
	}
	while (n < (ssize_t)sizeof(head) &&
	       ((r = read(fd, head + n, sizeof(head) - (size_t)n)) > 0 ||
		(r < 0 && errno == EINTR)))
		n += r > 0 ? r : 0;
	close(fd);
	switch (source_file_kind(head, (size_t)n)) {
	case SOURCE_FILE_EMPTY:
		snprintf(err, errsize, "%s is empty", path);
		return -1;
	case SOURCE_FILE_CAPTURE:
		return capsrc_new(path, out, err, errsize);
	case SOURCE_FILE_SNAPSHOT:
		snprintf(err, errsize, "%s is a JSON snapshot, which this "
			 "vmtop cannot load", path);
		return -1;
	default:
		snprintf(err, errsize, "%s is neither a vmtop capture "
			 "archive nor a snapshot", path);
		return -1;
	}
}

void source_free(struct source *s)
{
	if (s)
		s->ops->free(s);
}
