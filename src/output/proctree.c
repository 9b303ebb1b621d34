/* proctree: the forest of processes and the program totals.
 *
 * The forest is built in three passes over the rows: each row's parent
 * found by a binary search of the PIDs, children lists laid out in the
 * rows' order, then one walk from the roots (an explicit stack: a chain
 * of thousands of processes does not grow the C stack) that writes the
 * nodes in preorder.  Sums go from the last node back to the first,
 * each added to its parent's, which preorder makes complete in time. */
#include "config.h"

#include "vmtop/proctree.h"

#include <stdlib.h>
#include <string.h>

#include "vmtop/xalloc.h"

static const struct {
	const char *name;
} proctree_fields[PROCTREE__NFIELDS] = {
	[PROCTREE_VSZ] = { "vsz_kib" },
	[PROCTREE_RSS] = { "rss_kib" },
	[PROCTREE_SWAP] = { "swap_kib" },
	[PROCTREE_THREADS] = { "threads" },
	[PROCTREE_CPU] = { "cpu_pct" },
	[PROCTREE_PSS] = { "pss_kib" },
	[PROCTREE_USS] = { "uss_kib" },
};

const char *proctree_field_name(enum proctree_field f)
{
	return f < PROCTREE__NFIELDS ? proctree_fields[f].name : "";
}

bool proctree_value(const struct proc_row *r, enum proctree_field f,
		    double *v)
{
	switch (f) {
	case PROCTREE_VSZ: *v = (double)r->vsz_kib; return true;
	case PROCTREE_RSS: *v = (double)r->rss_kib; return true;
	case PROCTREE_SWAP:
		*v = (double)r->swap_kib;
		return r->swap_known;
	case PROCTREE_THREADS:
		*v = r->threads > 0 ? r->threads : 0;
		return true;
	case PROCTREE_CPU:
		*v = r->cpu_pct;
		return r->cpu_pct >= 0;
	case PROCTREE_PSS:
	case PROCTREE_USS: {
		uint64_t m = r->mem[f == PROCTREE_PSS ? PROC_MEM_PSS :
							PROC_MEM_USS];

		*v = m == PROC_MEM_UNKNOWN ? 0 : (double)m;
		return m != PROC_MEM_UNKNOWN;
	}
	case PROCTREE__NFIELDS: break;
	}
	*v = 0;
	return false;
}

void proctree_sum_add(struct proctree_sum *s, const struct proc_row *r)
{
	s->processes++;
	for (int f = 0; f < PROCTREE__NFIELDS; f++) {
		double v;

		if (proctree_value(r, f, &v)) {
			s->v[f] += v;
			s->known[f]++;
		}
	}
}

static void proctree_sum_merge(struct proctree_sum *to,
			       const struct proctree_sum *from)
{
	to->processes += from->processes;
	for (int f = 0; f < PROCTREE__NFIELDS; f++) {
		to->v[f] += from->v[f];
		to->known[f] += from->known[f];
	}
}

/* --- the forest -------------------------------------------------------- */

struct proctree_pid {
	pid_t pid;
	size_t idx;
};

static int proctree_pid_cmp(const void *a, const void *b)
{
	const struct proctree_pid *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* parent[i]: the index of rows[i]'s parent, PROCTREE_NONE when absent
 * (a PID listed twice, which only a damaged tree has, is its first). */
static void proctree_parents(const struct proc_row *const *rows, size_t n,
			     size_t *parent)
{
	struct proctree_pid *by = xcalloc(n ? n : 1, sizeof(*by));

	for (size_t i = 0; i < n; i++) {
		by[i].pid = rows[i]->pid;
		by[i].idx = i;
	}
	qsort(by, n, sizeof(*by), proctree_pid_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = n;
		pid_t pp = rows[i]->ppid;

		parent[i] = PROCTREE_NONE;
		if (pp == rows[i]->pid)
			continue;
		while (lo < hi) { /* the first entry with pid >= pp */
			size_t mid = lo + (hi - lo) / 2;

			if (by[mid].pid < pp)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && by[lo].pid == pp)
			parent[i] = by[lo].idx;
	}
	free(by);
}

/* The children of each row, in the rows' order: kids[start[i]..start[i+1]). */
static void proctree_children(const size_t *parent, size_t n, size_t *start,
			      size_t *kids)
{
	size_t *fill;

	memset(start, 0, (n + 1) * sizeof(*start));
	for (size_t i = 0; i < n; i++)
		if (parent[i] != PROCTREE_NONE)
			start[parent[i] + 1]++;
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	fill = xcalloc(n + 1, sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		if (parent[i] != PROCTREE_NONE)
			kids[start[parent[i]] + fill[parent[i]]++] = i;
	free(fill);
}

static void proctree_emit(struct proctree *t, const struct proc_row *row,
			  size_t parent)
{
	struct proctree_node *nd;

	XGROW(t->nodes, t->cap, t->n + 1);
	nd = &t->nodes[t->n++];
	memset(nd, 0, sizeof(*nd));
	nd->row = row;
	nd->parent = parent;
	nd->depth = parent == PROCTREE_NONE ? 0 : t->nodes[parent].depth + 1;
	proctree_sum_add(&nd->sum, row);
}

/* Writes root's subtree in preorder; rows already written are skipped,
 * which cuts a loop of parents where the walk entered it.  next[r] (from
 * start[r]) moves past each child of r as it is taken. */
static void proctree_walk(struct proctree *t,
			  const struct proc_row *const *rows, size_t root,
			  const size_t *start, size_t *next, const size_t *kids,
			  bool *done, size_t *stack, size_t *pos)
{
	size_t depth = 0;

	done[root] = true;
	proctree_emit(t, rows[root], PROCTREE_NONE);
	stack[0] = root;
	pos[0] = t->n - 1; /* the node of the stack's row */
	while (true) {
		size_t r = stack[depth], c = PROCTREE_NONE;

		while (next[r] < start[r + 1]) {
			size_t k = kids[next[r]++];

			if (!done[k]) {
				c = k;
				break;
			}
		}
		if (c == PROCTREE_NONE) {
			if (depth == 0)
				return;
			depth--;
			continue;
		}
		done[c] = true;
		proctree_emit(t, rows[c], pos[depth]);
		stack[++depth] = c;
		pos[depth] = t->n - 1;
	}
}

static void proctree_sums(struct proctree *t)
{
	for (size_t i = t->n; i-- > 0;) {
		struct proctree_node *nd = &t->nodes[i];

		if (nd->parent == PROCTREE_NONE)
			continue;
		proctree_sum_merge(&t->nodes[nd->parent].sum, &nd->sum);
		t->nodes[nd->parent].descendants += nd->descendants + 1;
	}
}

void proctree_build(struct proctree *t, const struct proc_row *const *rows,
		    size_t n)
{
	size_t m = n ? n : 1;
	size_t *parent = xcalloc(m, sizeof(*parent));
	size_t *start = xcalloc(m + 1, sizeof(*start));
	size_t *next = xcalloc(m + 1, sizeof(*next));
	size_t *kids = xcalloc(m, sizeof(*kids));
	size_t *stack = xcalloc(m, sizeof(*stack));
	size_t *pos = xcalloc(m, sizeof(*pos));
	bool *done = xcalloc(m, sizeof(*done));

	t->n = 0;
	proctree_parents(rows, n, parent);
	proctree_children(parent, n, start, kids);
	memcpy(next, start, (n + 1) * sizeof(*next));
	/* roots first, in the rows' order; then what a loop left out */
	for (size_t i = 0; i < n; i++)
		if (parent[i] == PROCTREE_NONE && !done[i])
			proctree_walk(t, rows, i, start, next, kids, done,
				      stack, pos);
	for (size_t i = 0; i < n; i++)
		if (!done[i])
			proctree_walk(t, rows, i, start, next, kids, done,
				      stack, pos);
	proctree_sums(t);
	free(done);
	free(pos);
	free(stack);
	free(kids);
	free(next);
	free(start);
	free(parent);
}

void proctree_release(struct proctree *t)
{
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

/* --- programs ---------------------------------------------------------- */

struct proctree_rows {
	const struct proc_row *const *rows;
};

static int proctree_comm_cmp(const void *a, const void *b, void *arg)
{
	const struct proc_row *const *rows =
		((const struct proctree_rows *)arg)->rows;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(rows[x]->comm, rows[y]->comm);

	return c ? c : (x > y) - (x < y);
}

void proctree_programs_build(struct proctree_programs *pg,
			     const struct proc_row *const *rows, size_t n)
{
	struct proctree_rows by = { rows };

	pg->n = 0;
	XGROW(pg->order, pg->order_cap, n + 1);
	pg->program_of = xreallocarray(pg->program_of, n + 1,
				       sizeof(*pg->program_of));
	for (size_t i = 0; i < n; i++)
		pg->order[i] = i;
	qsort_r(pg->order, n, sizeof(*pg->order), proctree_comm_cmp,
		&by);
	for (size_t k = 0; k < n; k++) {
		const struct proc_row *r = rows[pg->order[k]];
		struct proctree_program *p = pg->n ? &pg->p[pg->n - 1] : NULL;

		if (!p || strcmp(p->comm, r->comm) != 0) {
			XGROW(pg->p, pg->cap, pg->n + 1);
			p = &pg->p[pg->n++];
			memset(p, 0, sizeof(*p));
			p->comm = r->comm;
			p->first = k;
		}
		proctree_sum_add(&p->sum, r);
		pg->program_of[pg->order[k]] = pg->n - 1;
	}
}

void proctree_programs_release(struct proctree_programs *pg)
{
	free(pg->p);
	free(pg->order);
	free(pg->program_of);
	memset(pg, 0, sizeof(*pg));
}
