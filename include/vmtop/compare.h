/* compare: the memory-map trees of two or more processes side by side,
 * rows aligned by cause, not by address.
 *
 * ASLR moves every address and thread IDs differ from one process to the
 * next, so rows are made of what a region is, not where: one row per kind
 * (a category of the tree), and under it one row per group that means the
 * same in every process (a library or a file by its path, an anonymous
 * region by its [anon:NAME] or Go's "reserved" / "committed").  The kinds
 * whose groups are instances (thread stacks by "tid N", glibc arenas by
 * base address, ZGC's views, the malloc() blocks, the executable whatever
 * its path) are one row each, with the number of instances: "8 thread
 * stacks" against "4 thread stacks".
 *
 * Each row has per process its VSZ, reserved, RSS, count and regions,
 * and the difference from the first process.  Rows are sorted by the
 * size of their largest difference (kinds, and the groups under each).
 * The summary says it in words, one sentence per process after the
 * first: "ex1_default maps 290 MiB more than ex1_arena1: 4 glibc arenas
 * 256 MiB, 4 thread stacks 32 MiB, 2 shared libraries 2.0 MiB
 * (libfoo.so, libbar.so)".
 *
 * Input is trees only, from any pipeline or source (live, snapshot):
 * pure model code, no curses, no /proc. */
#ifndef VMTOP_COMPARE_H
#define VMTOP_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/maptree.h"
#include "vmtop/vmmap.h"

/* One process to compare: its tree (borrowed during compare_build()
 * only) and the name the summary and the columns call it. */
struct compare_input {
	const struct maptree *t;
	const char *name;
};

/* One row's figures in one process.  Sizes in KiB; rss_kib is
 * VMMAP_UNKNOWN when that tree has no smaps. */
struct compare_cell {
	bool present;
	uint64_t vsz_kib, reserved_kib, rss_kib;
	unsigned count;       /* instances: libraries, stacks, arenas... */
	size_t regions;
	int64_t diff_kib;     /* vsz_kib minus the first process's */
};

struct compare_row {
	uint64_t key;         /* diff_key_category() or diff_key_group() */
	uint64_t parent;      /* the kind row's key; 0 for a kind row */
	enum region_kind kind;
	char *name;           /* the aligned group; "" for a kind row */
	struct compare_cell *cells; /* one per process */
	int64_t diff_kib;     /* the difference of largest size */
	uint64_t largest_kib; /* the largest VSZ of the processes */
	unsigned nchildren;   /* group rows under a kind row */
};

struct compare {
	size_t n;                    /* processes */
	char **names;                /* n, copied */
	struct compare_cell *totals; /* n: the whole trees */
	/* kind rows by size of difference (ties: kind), each followed by
	 * its group rows, by size of difference (ties: name) */
	struct compare_row *rows;
	size_t nrows;
	char *summary;               /* sentences, raw names */
	/* private */
	struct compare_cell *cell_store;
};

/* Compares in[0..n), n >= 2, the first being the reference.  On success
 * *out gets a compare the caller frees with compare_free() (it points
 * into no tree) and 0 is returned; -EINVAL when n < 2 or a tree is
 * NULL. */
int compare_build(const struct compare_input *in, size_t n,
		  struct compare **out);
void compare_free(struct compare *c);

/* Whether the rows of kind k are instances counted as one row ("N thread
 * stacks"), its groups not shown one by one. */
bool compare_kind_merged(enum region_kind k);
/* The words for count things of kind k: "glibc arena" / "glibc arenas",
 * "thread stack(s)", "shared librar(y/ies)"...; NULL for kinds that are
 * not counted (heap, anonymous memory: said by their size alone). */
const char *compare_kind_noun(enum region_kind k, unsigned count);
/* The words for kind k when not counted: "anonymous memory", "heap". */
const char *compare_kind_words(enum region_kind k);

#endif
