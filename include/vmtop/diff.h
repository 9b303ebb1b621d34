/* diff: what changed in a process's memory-map tree between refreshes,
 * and how a maps-only refresh keeps the last smaps counters.
 *
 * Every node of a maptree has a stable 64-bit key: the category by its
 * kind, a group by kind + name, a region by kind + start address.  The
 * live view uses the same keys as its tree tags, so what the user
 * unfolded and what changed are both remembered by key.
 *
 * A struct diff holds the previous tree's sizes by key (not the tree
 * itself, so the previous vmmap can be freed at once).  diff_update()
 * compares a new tree with them: a node that is new, or whose VSZ (else
 * RSS) grew or shrank, is marked for `keep` updates; a node that went
 * away is listed with its name and size for as many.  The first update
 * marks nothing: everything would be new.
 *
 * A baseline (diff_baseline_set()) is the sizes of one update kept
 * aside: while it is set, the marks and the nodes gone compare the
 * current tree with it instead of with the previous one, and last as
 * long as the difference does.
 *
 * Pure model code: no curses, no /proc. */
#ifndef VMTOP_DIFF_H
#define VMTOP_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/maptree.h"
#include "vmtop/vmmap.h"

/* The keys of maptree nodes (never 0). */
uint64_t diff_key_category(enum region_kind kind);
uint64_t diff_key_group(enum region_kind kind, const char *name);
uint64_t diff_key_region(enum region_kind kind, uint64_t start);

enum diff_change {
	DIFF_NONE,
	DIFF_NEW,     /* not in the previous tree */
	DIFF_GREW,
	DIFF_SHRANK,
};

/* A node that went away. */
struct diff_gone {
	enum region_kind kind;
	bool region;          /* a region; else a group or category */
	char *name;           /* group name ("" for a category or a region
			       * of a kind without groups); owned */
	uint64_t start, end;  /* regions only */
	uint64_t vsz_kib;
	unsigned age;         /* updates left before it is forgotten */
};

struct diff;

/* A diff whose marks last keep updates (keep >= 1).  Never NULL. */
struct diff *diff_new(unsigned keep);
void diff_free(struct diff *d);

/* Compares t with the tree of the previous update and remembers t's
 * sizes; marks age by one.  t is only read during the call. */
void diff_update(struct diff *d, const struct maptree *t);

/* The mark of node key, DIFF_NONE when none is active.  *delta_kib (may
 * be NULL) gets the size change (VSZ, or RSS when VSZ did not change):
 * since the baseline when one is set. */
enum diff_change diff_change_of(const struct diff *d, uint64_t key,
				int64_t *delta_kib);

/* The nodes that went away within the last keep updates, most recent
 * first; with a baseline, those of the baseline that are not in the last
 * update.  *out stays valid until the next update, baseline change or
 * free. */
size_t diff_gone_list(const struct diff *d, const struct diff_gone **out);

/* Keeps the sizes of the last update as the baseline, taken at time
 * (seconds, as vmmap.time; what diff_baseline_time() returns).  Returns
 * 0, or -EAGAIN before the first update (there is nothing to keep). */
int diff_baseline_set(struct diff *d, double time);
/* Drops the baseline: marks compare refreshes again from the next
 * update on. */
void diff_baseline_clear(struct diff *d);
/* When the baseline was taken, or 0 when there is none. */
double diff_baseline_time(const struct diff *d);

/* Copies smaps counters (the compact ones, and sm[] with VmFlags when src
 * kept them all; has_smaps) from each region of src to the region of dst
 * with the same start, end, inode and perms,
 * and src's smaps_rollup figures to dst, so that a refresh that read
 * only maps still shows the last smaps figures.  Regions of dst without
 * a twin keep has_smaps false.  Both are sorted by start (as
 * procmap_read() makes them); dst must not be classified yet.  Strings
 * are copied into dst's pool.  Returns the number of regions matched. */
size_t diff_carry_smaps(struct vmmap *dst, const struct vmmap *src);

#endif
