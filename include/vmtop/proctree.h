/* proctree: the process list as a forest (each process under its parent,
 * as ps --forest and htop's tree view show it) and as program totals (one
 * group per process name, as bottom's grouped list), with the sums of
 * each subtree and each group.
 *
 * Both take the rows shown (after the filter): a process whose parent is
 * not among them is a root, so a filter never hides a subtree under an
 * absent parent.  Sums are over processes only, never threads, and add
 * the summable fields (enum proctree_field): memory in KiB, threads and
 * CPU%.  A field a row does not know (SWAP when status was unreadable,
 * CPU% on first sight) is left out of the sum, and the sum says how many
 * rows it counts.
 *
 * To make a new per-process figure summable (PSS, USS...), add it to enum
 * proctree_field and to the field table in proctree.c (its JSON name and
 * its getter): the list's folded parents, its program rows and the JSON
 * "tree" object sum it from then on.  PSS is the figure to sum for
 * "how much memory does this family use": each process's PSS already
 * charges a shared page to its sharers in proportion, so the plain sum
 * over a subtree counts a page the subtree shares once (RSS would count
 * it once per process). */
#ifndef VMTOP_PROCTREE_H
#define VMTOP_PROCTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/proctable.h"

#define PROCTREE_NONE SIZE_MAX

enum proctree_field {
	PROCTREE_VSZ,     /* KiB */
	PROCTREE_RSS,     /* KiB */
	PROCTREE_SWAP,    /* KiB */
	PROCTREE_THREADS,
	PROCTREE_CPU,     /* percent of one CPU */
	PROCTREE_PSS,     /* KiB, when read (the list's PSS column) */
	PROCTREE_USS,     /* KiB, when read */
	PROCTREE__NFIELDS
};

struct proctree_sum {
	size_t processes;
	double v[PROCTREE__NFIELDS];
	size_t known[PROCTREE__NFIELDS]; /* rows the field counts */
};

/* The JSON name of field ("rss_kib"; static storage). */
const char *proctree_field_name(enum proctree_field f);
/* A row's value of f into *v; false when the row does not know it. */
bool proctree_value(const struct proc_row *r, enum proctree_field f,
		    double *v);
/* Adds r to s. */
void proctree_sum_add(struct proctree_sum *s, const struct proc_row *r);

struct proctree_node {
	const struct proc_row *row;
	size_t parent;      /* index in nodes, PROCTREE_NONE for a root */
	int depth;          /* 0 for a root */
	size_t descendants; /* processes below it */
	struct proctree_sum sum; /* it and all its descendants */
};

struct proctree {
	struct proctree_node *nodes; /* in preorder: a parent before its
				      * children, a subtree contiguous */
	size_t n, cap;
};

#define PROCTREE_INIT { 0 }

/* Builds the forest of rows[0..n) (borrowed: the nodes point to them)
 * into t, replacing what it held.  Siblings keep their order in rows, so
 * the caller sorts rows first (ps --forest: siblings by PID).  A row
 * whose ppid is not among the rows, is its own PID, or closes a loop of
 * parents (only a damaged proc tree has one) is a root. */
void proctree_build(struct proctree *t, const struct proc_row *const *rows,
		    size_t n);
void proctree_release(struct proctree *t);

struct proctree_program {
	const char *comm;    /* the rows' (borrowed) */
	struct proctree_sum sum;
	size_t first;        /* its members: rows' indexes in order[first..
			      * first + sum.processes) */
};

struct proctree_programs {
	struct proctree_program *p; /* by name (bytes) */
	size_t n, cap;
	size_t *order;       /* indexes into rows, grouped by program */
	size_t *program_of;  /* the program of rows[i] */
	size_t order_cap;
};

#define PROCTREE_PROGRAMS_INIT { 0 }

/* Groups rows[0..n) by comm (a program is its name, as pgrep NAME counts
 * it) into pg, replacing what it held; members keep their order in rows. */
void proctree_programs_build(struct proctree_programs *pg,
			     const struct proc_row *const *rows, size_t n);
void proctree_programs_release(struct proctree_programs *pg);

#endif
