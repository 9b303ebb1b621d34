/* Unit tests of proctree: the forest of the rows shown (parents before
 * children, siblings in the rows' order, an absent parent makes a root,
 * a loop of parents is cut), each subtree's sums (a field a row does not
 * know is left out), and program totals grouped by name. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/proctree.h"

#define NROWS 11

static struct proc_row rows[NROWS];
static const struct proc_row *ptrs[NROWS];

static void row(int i, pid_t pid, pid_t ppid, const char *comm,
		unsigned long vsz, unsigned long rss)
{
	struct proc_row *r = &rows[i];

	memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->ppid = ppid;
	r->comm = comm;
	r->user = "u";
	r->vsz_kib = vsz;
	r->rss_kib = rss;
	r->swap_kib = 1;
	r->swap_known = true;
	r->threads = 1;
	r->cpu_pct = 1.5;
	ptrs[i] = r;
}

/* The rows, not in PID order (siblings follow the rows' order):
 *   1 ── 3 ── 6        7 (parent 99, not shown)   8 ⇄ 9 (a loop)
 *    │    └── 5        10 (its own parent)
 *    └─ 2 ── 4                                                       */
static void setup(void)
{
	row(0, 1, 0, "init", 100, 10);
	row(1, 3, 1, "postgres", 300, 30);
	row(2, 2, 1, "sh", 200, 20);
	row(3, 4, 2, "postgres", 400, 40);
	row(4, 6, 3, "postgres", 600, 60);
	row(5, 5, 3, "postgres", 500, 50);
	row(6, 7, 99, "orphan", 700, 70);
	row(7, 8, 9, "loop", 800, 80);
	row(8, 9, 8, "loop", 900, 90);
	row(9, 10, 10, "self", 1000, 100);
	row(10, 11, 2, "sh", 1100, 110);
	rows[10].swap_known = false; /* status unreadable */
	rows[10].cpu_pct = -1;       /* first sight */
}

/* "pid/depth ..." of the nodes, in order. */
static void shape(const struct proctree *t, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%d/%d",
					i ? " " : "", (int)t->nodes[i].row->pid,
					t->nodes[i].depth);
}

static const struct proctree_node *node_of(const struct proctree *t,
					   pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->nodes[i].row->pid == pid)
			return &t->nodes[i];
	return NULL;
}

static void test_forest(void)
{
	struct proctree t = PROCTREE_INIT;
	const struct proctree_node *n1, *n2, *n3, *n8;
	char buf[256];

	proctree_build(&t, ptrs, NROWS);
	tap_is_int((long long)t.n, NROWS, "every row is a node");
	shape(&t, buf, sizeof(buf));
	tap_is_str(buf, "1/0 3/1 6/2 5/2 2/1 4/2 11/2 7/0 10/0 8/0 9/1",
		   "preorder, siblings in the rows' order, absent parent and "
		   "own parent make roots; a loop comes last, cut where "
		   "entered");
	n1 = node_of(&t, 1);
	n2 = node_of(&t, 2);
	n3 = node_of(&t, 3);
	n8 = node_of(&t, 8);
	tap_ok(n1 && n2 && n3 && n8, "the nodes are found");
	if (!n1 || !n2 || !n3 || !n8)
		goto out;
	tap_ok(t.nodes[n3->parent].row->pid == 1 &&
		       t.nodes[node_of(&t, 9)->parent].row->pid == 8,
	       "parents are indexes of their nodes");
	tap_is_int((long long)n1->descendants, 6, "1 has 6 descendants");
	tap_is_int((long long)n1->sum.processes, 7, "its sum counts 7");
	tap_is_int((long long)n1->sum.v[PROCTREE_VSZ],
		   100 + 300 + 600 + 500 + 200 + 400 + 1100,
		   "VIRT summed over the subtree");
	tap_is_int((long long)n3->sum.v[PROCTREE_RSS], 30 + 60 + 50,
		   "RES summed over a middle subtree");
	tap_is_int((long long)n2->sum.known[PROCTREE_SWAP], 2,
		   "an unknown SWAP is left out of the sum");
	tap_is_int((long long)n2->sum.v[PROCTREE_SWAP], 2,
		   "the known ones are added");
	tap_is_int((long long)(n2->sum.v[PROCTREE_CPU] * 10), 30,
		   "an unknown CPU% is left out too");
	tap_is_int((long long)n2->sum.v[PROCTREE_THREADS], 3,
		   "threads summed");
	tap_is_int((long long)node_of(&t, 6)->descendants, 0,
		   "a leaf has none");
	tap_is_int((long long)n8->sum.v[PROCTREE_VSZ], 800 + 900,
		   "the cut loop sums as a tree");
out:
	proctree_release(&t);
}

/* A chain of 100 000 processes, each the parent of the next, listed
 * youngest first: no recursion, depth and sums right. */
static void test_chain(void)
{
	enum { N = 100000 };
	struct proc_row *r = calloc(N, sizeof(*r));
	const struct proc_row **p = calloc(N, sizeof(*p));
	struct proctree t = PROCTREE_INIT;

	for (int i = 0; i < N; i++) {
		r[i].pid = N - i;
		r[i].ppid = N - i - 1;
		r[i].comm = "c";
		r[i].user = "u";
		r[i].rss_kib = 1;
		p[i] = &r[i];
	}
	proctree_build(&t, p, N);
	tap_ok(t.n == N && t.nodes[0].row->pid == 1 &&
		       t.nodes[N - 1].depth == N - 1,
	       "a chain of 100 000 is one path");
	tap_is_int((long long)t.nodes[0].sum.v[PROCTREE_RSS], N,
		   "its root sums all");
	proctree_build(&t, p, 0);
	tap_is_int((long long)t.n, 0, "a rebuild from no rows is empty");
	proctree_release(&t);
	free(p);
	free(r);
}

static void test_programs(void)
{
	struct proctree_programs pg = PROCTREE_PROGRAMS_INIT;
	const struct proctree_program *pq = NULL;
	char names[128] = "";

	proctree_programs_build(&pg, ptrs, NROWS);
	for (size_t i = 0; i < pg.n; i++) {
		strcat(names, i ? " " : "");
		strcat(names, pg.p[i].comm);
		if (!strcmp(pg.p[i].comm, "postgres"))
			pq = &pg.p[i];
	}
	tap_is_str(names, "init loop orphan postgres self sh",
		   "one program per name, by name");
	tap_ok(pq && pq->sum.processes == 4, "postgres counts 4 processes");
	if (pq) {
		tap_is_int((long long)pq->sum.v[PROCTREE_RSS],
			   30 + 40 + 60 + 50, "their RES summed");
		tap_ok(rows[pg.order[pq->first]].pid == 3 ||
			       ptrs[pg.order[pq->first]]->pid == 3,
		       "members in the rows' order");
		tap_is_int((long long)pg.program_of[3], (long long)(pq - pg.p),
			   "a row knows its program");
	}
	proctree_programs_build(&pg, ptrs, 2);
	tap_is_int((long long)pg.n, 2, "a rebuild replaces the groups");
	proctree_programs_release(&pg);
}

int main(void)
{
	setup();
	test_forest();
	test_chain();
	test_programs();
	tap_is_str(proctree_field_name(PROCTREE_RSS), "rss_kib",
		   "fields have JSON names");
	return tap_done();
}
