/* source: the interface, and the proc source.
 *
 * The proc source keeps one proctable (its descriptors on stat and statm
 * stay open between refreshes, which is what makes the list cheap) and
 * reads maps through procmap; whether the root is a live procfs is asked
 * once, of the file system. */
#include "config.h"

#include "vmtop/source.h"

#include <errno.h>
#include <stdlib.h>

#include "vmtop/procfile.h"
#include "vmtop/procmap.h"
#include "vmtop/snapshot.h"
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

int source_load(const char *path, struct source **out, char *err,
		size_t errsize)
{
	/* One kind today: JSON Lines from -J -m (it starts with '{').  A
	 * capture archive, told apart by its own first bytes, opens
	 * beside it. */
	return snapshot_open(path, out, err, errsize);
}

void source_free(struct source *s)
{
	if (s)
		s->ops->free(s);
}
