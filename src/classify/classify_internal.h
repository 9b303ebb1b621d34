/* classify's private header: the classifiers and the state they share,
 * for src/classify/classify*.c and the unit test only (the pipeline's
 * API is include/vmtop/classify.h).
 *
 * classify_vmmap() runs a table of small classifiers, one per file under
 * src/classify/, in this order: special names, binary and libraries, Go
 * heap, glibc arenas, thread stacks, shared memory, other files, anonymous
 * memory.  The first classifier with an opinion decides a region's kind.
 * A Go program's anonymous regions outside the Go heap become go_runtime
 * in the last step, not the Go one, so that the arenas and pthread stacks
 * of a cgo program are found first.
 * Classifiers that need facts about the whole map (which regions form an
 * arena, which one holds a thread's stack pointer) compute them once in a
 * prepare step, before any region is decided.
 *
 * Calls go one way: classify.c holds the table and calls the
 * classifiers; a classifier calls nothing in classify.c (what they share
 * is inline below), so the object files form no cycle (tests/symbols.sh).
 */
#ifndef VMTOP_CLASSIFY_INTERNAL_H
#define VMTOP_CLASSIFY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "vmtop/classify.h"
#include "vmtop/rules.h"
#include "vmtop/vmmap.h"

/* What the prepare steps found about region i, for later classifiers. */
enum classify_mark_bits {
	MARK_ARENA = 1u << 0,        /* part of arena owner[i] */
	MARK_VERIFIED = 1u << 1,     /* ... and its heap_info checked out */
	MARK_STACK = 1u << 2,        /* holds thread owner[i]'s SP */
	MARK_GUARD = 1u << 3,        /* the guard page below a stack */
	MARK_UNOWNED = 1u << 4,      /* stack-shaped, no thread's SP in it */
	MARK_BSS = 1u << 5,          /* the binary's anonymous bss */
	MARK_GO_HEAP = 1u << 6,      /* Go heap arena (or its ---p tail) */
	MARK_EXE = 1u << 7,          /* a segment of the executable */
	MARK_RUNTIME = 1u << 8,      /* a runtime's region: its kind is
				      * owner[i] (classify_v8, classify_python) */
	MARK_JVM = 1u << 9,          /* the JVM's: owner[i] says what */
	MARK_ALLOC = 1u << 10,       /* an allocator's extent (VmFlags) */
	MARK_MALLOC_BLOCK = 1u << 11, /* glibc mmapped chunks, owner[i] of
				       * them (headers read) */
};

/* Classes of regions, as bits: a classifier names those it can have an
 * opinion on, and is asked about no other region. */
enum classify_when {
	WHEN_ANON = 1u << 0,   /* no path */
	WHEN_PSEUDO = 1u << 1, /* a name in brackets: "[heap]", "[anon:x]" */
	WHEN_PATH = 1u << 2,   /* a path: "/usr/lib/libc.so.6" */
	WHEN_NAME = 1u << 3,   /* any other name: "anon_inode:..." */
	WHEN_SHARED = 1u << 4, /* perms "...s" */
	WHEN_MARKED = 1u << 5, /* a prepare step marked it */
	WHEN_ANY = 0x3f,
};

/* The classes of region r with marks bits. */
static inline unsigned classify_when_of(const struct region *r,
					unsigned marks)
{
	unsigned w;

	switch (r->path[0]) {
	case '\0':
		w = WHEN_ANON;
		break;
	case '[':
		w = WHEN_PSEUDO;
		break;
	case '/':
		w = WHEN_PATH;
		break;
	default:
		w = WHEN_NAME;
		break;
	}
	if (r->perms[3] == 's')
		w |= WHEN_SHARED;
	if (marks)
		w |= WHEN_MARKED;
	return w;
}

/* Shared state of one classify_vmmap() run. */
struct classify_ctx {
	struct vmmap *m;
	const struct rules *rules;
	const struct classify_history *hist; /* an earlier refresh's, or
					      * NULL */
	const char *exe_path;     /* exe.path without " (deleted)", or NULL */
	size_t exe_len;
	/* enum classify_mark_bits of each region: two bytes, so that the
	 * pass that decides the kinds reads 120 KB, not 720, at 60 000
	 * regions. */
	uint16_t *marks;
	/* Per region, meaningful only with a mark: the arena number
	 * (MARK_ARENA), the owning thread's TID (MARK_STACK or
	 * MARK_GUARD without MARK_UNOWNED), the enum region_kind a
	 * runtime classifier gave it (MARK_RUNTIME), or what the JVM's
	 * region is (MARK_JVM, classify_jvm.c).  A region has at most one
	 * of these. */
	int32_t *owner;
	/* Found by the one scan of all regions that runs before the
	 * prepare steps, so that these need not walk every region again
	 * (indices into m->regions, ascending): */
	size_t *heap_starts;      /* anonymous rw-p regions starting on a
				   * CLASSIFY_HEAP_ALIGN boundary */
	size_t nheap_starts;
	size_t *stack_shaped;     /* anonymous rw-p regions right above an
				   * adjacent anonymous ---p one-page region */
	size_t nstack_shaped;
	size_t exe_last;          /* last region with MARK_EXE, SIZE_MAX
				   * when none (the scan sets MARK_EXE) */
	/* Thread stacks owned without a stack pointer in them (their
	 * thread was running when read), ascending: the owner of the
	 * earlier refresh kept (stack_kept), or a running thread given the
	 * region (stack_given). */
	size_t *stack_kept, *stack_given;
	size_t nstack_kept, nstack_given;
	/* For each set of enum classify_when bits, the classifiers to ask,
	 * as bits of their indices in the pipeline. */
	uint16_t ask[WHEN_ANY + 1];
	unsigned narenas;
	uint64_t *arena_base;     /* first heap's start, per arena number */
	const char **arena_group; /* group name, per arena number (pool) */
	/* Per region, with MARK_RUNTIME only: the reason (which evidence
	 * named it); allocated by the first runtime prepare step that marks
	 * a region, NULL in a process without a runtime's regions. */
	const char **rt_reason;
	/* classify_alloc: the allocator whose library is mapped, or NULL,
	 * and the group of glibc's mmapped chunks (pool) */
	const struct alloc_lib *allocator;
	const char *malloc_group;
	/* The rules that decided regions (rules.h), per rule index: its
	 * entry in m->rulehits (-1: none yet), and its group and reason
	 * copied once into m's pool (NULL until needed).  NULL without
	 * rules. */
	int *rule_slot;
	const char **rule_group, **rule_reason;
};

/* A classifier's answer for one region. */
struct classify_verdict {
	enum region_kind kind;
	const char *reason;
	const char *group;        /* NULL means "" */
	unsigned tags;            /* tags beyond the generic ones */
	pid_t tid;
	int arena;
};

/* One entry of the pipeline.  prepare may be NULL; region returns true
 * and fills *v when it has an opinion on region i, false otherwise.  It
 * is called only for regions of the classes in when (and must answer
 * false for all others: the unit tests check it).
 * For a region that no prepare step marked, region must answer from the
 * region's path, perms, deleted flag and inode alone (and from facts
 * about the whole process): classify_vmmap() gives an unmarked region
 * the answer of an earlier unmarked one when these are the same, as with
 * the segments of one file or runs of identical mappings. */
struct classifier {
	const char *name;
	unsigned when;          /* enum classify_when bits */
	void (*prepare)(struct classify_ctx *c);
	bool (*region)(const struct classify_ctx *c, size_t i,
		       struct classify_verdict *v);
};

/* The pipeline, in order, for tests; *n gets its length. */
const struct classifier *classify_pipeline(size_t *n);

/* The steps of classify_vmmap() before any region is decided, for
 * tests: classify_prepare() fills c for m (the scan and every prepare
 * step), with h as in classify_vmmap_with(); classify_release() frees
 * what c holds. */
void classify_prepare(struct classify_ctx *c, struct vmmap *m,
		      const struct rules *r, const struct classify_history *h);
void classify_release(struct classify_ctx *c);

/* The answer for region i of a prepared c: the first classifier of the
 * region's classes (c->ask) with an opinion.  Should none answer (the anon
 * classifier always does, so only a test with an emptied c->ask gets
 * there), the answer is plain private anonymous memory: kind anon, reason
 * "unclassified", no group, tags or tid, arena -1.  Every field of *v is
 * written either way. */
void classify_region(const struct classify_ctx *c, size_t i,
		     struct classify_verdict *v);

/* The classifiers, each in src/classify/classify_NAME.c. */
bool classify_named_region(const struct classify_ctx *c, size_t i,
			   struct classify_verdict *v);
void classify_v8_prepare(struct classify_ctx *c);
void classify_python_prepare(struct classify_ctx *c);
bool classify_runtime_region(const struct classify_ctx *c, size_t i,
			     struct classify_verdict *v);
bool classify_special_region(const struct classify_ctx *c, size_t i,
			     struct classify_verdict *v);
void classify_binlib_prepare(struct classify_ctx *c);
bool classify_binlib_region(const struct classify_ctx *c, size_t i,
			    struct classify_verdict *v);
void classify_go_prepare(struct classify_ctx *c);
bool classify_go_region(const struct classify_ctx *c, size_t i,
			struct classify_verdict *v);
void classify_arena_prepare(struct classify_ctx *c);
bool classify_arena_region(const struct classify_ctx *c, size_t i,
			   struct classify_verdict *v);
void classify_jvm_prepare(struct classify_ctx *c);
bool classify_jvm_region(const struct classify_ctx *c, size_t i,
			 struct classify_verdict *v);
void classify_stack_prepare(struct classify_ctx *c);
bool classify_stack_region(const struct classify_ctx *c, size_t i,
			   struct classify_verdict *v);
void classify_alloc_prepare(struct classify_ctx *c);
bool classify_alloc_region(const struct classify_ctx *c, size_t i,
			   struct classify_verdict *v);
bool classify_shared_region(const struct classify_ctx *c, size_t i,
			    struct classify_verdict *v);
bool classify_file_region(const struct classify_ctx *c, size_t i,
			  struct classify_verdict *v);
bool classify_anon_region(const struct classify_ctx *c, size_t i,
			  struct classify_verdict *v);

/* Helpers shared by the classifiers. */

/* Marks region i as the runtime's kind k with reason why (static, or in
 * the vmmap's pool), for classify_runtime_region(). */
static inline void classify_mark_runtime(struct classify_ctx *c, size_t i,
					 enum region_kind k, const char *why)
{
	c->marks[i] |= MARK_RUNTIME;
	c->owner[i] = (int32_t)k;
	c->rt_reason[i] = why;
}

static inline bool classify_is_anon(const struct region *r)
{
	return r->inode == 0 && r->path[0] == '\0';
}

/* p is four characters, "rw-p": one 32-bit comparison */
static inline bool classify_perms_are(const struct region *r, const char *p)
{
	return memcmp(r->perms, p, 4) == 0;
}

#endif
