/* maptree: the classified regions of one vmmap aggregated into
 * categories (one per kind present) -> groups -> regions, each node with
 * its totals, plus the summaries the views and outputs show: arenas,
 * threads and their stacks, resolver footprint, runtime, and insights.
 *
 * Invariants (tests check them on live processes): every region is in
 * exactly one group; the categories' vsz adds up to the process's VmSize
 * ([vsyscall] is listed, its size not counted); with smaps, rss adds up
 * to smaps_rollup's Rss; reserved = the size of the ---p regions.
 *
 * Ordering: categories and groups by vsz descending (ties: kind, name),
 * regions by address. */
#ifndef VMTOP_MAPTREE_H
#define VMTOP_MAPTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "vmtop/vmmap.h"

/* Sizes in KiB.  rss, pss, swap and dirty are VMMAP_UNKNOWN when smaps
 * was not read.  hugetlb_kib is the hugetlb pages (Shared_Hugetlb +
 * Private_Hugetlb), which the kernel's Rss, and so rss_kib, leaves out:
 * resident memory is rss_kib + hugetlb_kib (0 without smaps). */
struct maptree_totals {
	uint64_t vsz_kib, reserved_kib, rss_kib, pss_kib, swap_kib, dirty_kib;
	size_t regions;
	uint64_t hugetlb_kib;
};

struct maptree_group {
	const char *name;               /* "" for kinds without groups */
	enum region_kind kind;
	struct maptree_totals t;
	const struct region **regions;  /* by address */
	size_t nregions;
};

struct maptree_category {
	enum region_kind kind;
	struct maptree_totals t;
	struct maptree_group *groups;
	size_t ngroups;
};

struct maptree_arena {
	uint64_t base;                  /* first heap's start */
	unsigned heaps;                 /* 64 MiB heaps (first+continuations) */
	uint64_t vsz_kib, committed_kib, rss_kib;
	bool verified;
};

struct maptree_arenas {
	unsigned count;                 /* non-main arenas */
	unsigned verified;
	int limit;                      /* cap, the main arena included */
	const char *arena_max;          /* source of the limit */
	uint64_t reserved_kib, committed_kib;
	struct maptree_arena *items;    /* by base */
	const struct region *main_heap; /* [heap], or NULL */
};

struct maptree_thread {
	pid_t tid;
	const char *name;               /* raw comm */
	char state;
	bool has_stack;
	uint64_t stack_start, stack_end, guard_kib;
	const char *no_stack;           /* why not, when !has_stack */
};

struct maptree_resolver {
	const char **modules;           /* dns-tagged library paths */
	size_t nmodules;
	bool nscd;                      /* a dns-tagged /nscd/ cache is mapped */
	size_t regions;                 /* dns-tagged regions */
	/* Which resolver a Go program's lookups use (REFERENCE.md 4.2), as
	 * Go's net package decides it from cgo, the netgo and netcgo build
	 * tags and GODEBUG=netdns; NULL when not a Go program.  go_choice:
	 * "go" (Go's own, always), "cgo" (glibc's getaddrinfo, always) or
	 * "go_then_cgo" (Go's own unless nsswitch.conf or resolv.conf need
	 * getaddrinfo).  go_by, what decided: "netgo", "no_cgo", "netcgo",
	 * "GODEBUG" or "default". */
	const char *go_choice;
	const char *go_by;
};

struct maptree_runtime {
	const char *language;           /* "C", "Go", or runtime_name():
					 * "java", "node", "python"...;
					 * NULL unknown */
	const char *go_version;         /* NULL unless Go */
	int cgo;                        /* 1, 0, -1 unknown / not Go */
	int is_static;                  /* 1, 0, -1 unknown */
	const char *build_tags;
	const char *godebug;
	const char *version;            /* runtime's version ("3.11"), NULL
					 * when not cheaply known */
	const char *evidence;           /* what named the runtime, "" none */
	const char *allocator;          /* runtime_alloc_name() of the one
					 * serving malloc, NULL unknown */
	unsigned allocators;            /* every enum vmmap_alloc found */
};

struct maptree_insight {
	const char *id;                 /* stable: "arenas", "heap"... */
	char *text;
	uint64_t kib;                   /* the size it explains, for ordering */
};

struct maptree {
	const struct vmmap *m;
	bool has_smaps;
	struct maptree_totals totals;
	struct maptree_category *categories;
	size_t ncategories;
	struct maptree_arenas arenas;
	struct maptree_thread *threads;
	size_t nthreads;
	struct maptree_resolver resolver;
	struct maptree_runtime runtime;
	struct maptree_insight *insights; /* largest first */
	size_t ninsights;
	/* private storage */
	struct maptree_group *group_store;
	const struct region **region_store;
	uint64_t *group_largest;  /* per group_store entry: the size of its
				   * largest region, KiB (for insights) */
};

/* Builds the tree of a classified vmmap (classify_vmmap() ran on it).
 * The tree points into m: m must outlive it and stay unchanged.  Never
 * returns NULL; free with maptree_free(). */
struct maptree *maptree_build(const struct vmmap *m);
void maptree_free(struct maptree *t);

/* Whether a region's size counts in VmSize ([vsyscall] does not).
 * Inline: the outputs ask it for every region. */
static inline bool maptree_counts(const struct region *r)
{
	return !(r->kind == KIND_KERNEL && strcmp(r->path, "[vsyscall]") == 0);
}

/* Stable lowercase names, as in the JSON: "binary", "thread_stack"... */
const char *maptree_kind_name(enum region_kind k);
/* Stable lowercase names of runtimes, as in the JSON: "java", "node",
 * "python", "dotnet", "erlang", "postgres"; NULL for RT_NONE. */
const char *maptree_runtime_name(enum vmmap_runtime rt);
/* Name of one enum vmmap_alloc bit: "glibc", "jemalloc", "tcmalloc",
 * "mimalloc", "musl"; NULL for an unknown bit. */
const char *maptree_alloc_name(unsigned bit);
/* The allocator serving malloc() among the bits in alloc: a replacement
 * (jemalloc, tcmalloc, mimalloc) before the libc's own; 0 for none. */
unsigned maptree_alloc_primary(unsigned alloc);
/* Name of one tag bit: "dns", "guard"...; NULL for an unknown bit. */
const char *maptree_tag_name(unsigned tag);

#endif
