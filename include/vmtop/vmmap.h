/* vmmap: everything collected about one process's address space at one
 * instant, as plain data.  This is the model that flows from collect to
 * classify to maptree; nothing in it is formatted for display.
 *
 * procmap_read() (procmap.h) fills it from a proc root through the
 * readers of collect: the regions of maps (and the counters of smaps when
 * asked), the threads with their stack pointers, the heap_info probes of
 * arena candidates, the environment knobs and the executable's runtime.  Classification then
 * writes kind, tags, group and reason into the regions in place; after
 * that a vmmap is not changed again.
 *
 * Ownership: a vmmap owns every string and array it points to;
 * vmmap_free() releases all of it. */
#ifndef VMTOP_VMMAP_H
#define VMTOP_VMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* glibc's HEAP_MAX_SIZE on 64-bit: every heap of a non-main malloc arena
 * is reserved at this size and aligned to it (doc/REFERENCE.md 3.2).  The
 * one name for it: the probe's candidates, the arena classifier and the
 * tree's arena summary all use this. */
#define VMMAP_ARENA_HEAP_MAX (64ull << 20)

/* Value of a counter that could not be read. */
#define VMMAP_UNKNOWN UINT64_MAX

enum region_kind {
	KIND_NONE = 0,     /* not classified yet */
	KIND_BINARY,
	KIND_LIBRARY,
	KIND_FILE,
	KIND_HEAP,
	KIND_ARENA,
	KIND_MAIN_STACK,
	KIND_THREAD_STACK,
	KIND_GO_HEAP,
	KIND_GO_RUNTIME,
	KIND_ANON,
	KIND_SHARED,
	KIND_KERNEL,
	KIND_V8_CODE_RANGE, /* V8's code range: JIT code, embedded builtins */
	KIND_V8_CAGE,      /* V8's pointer-compression cage or sandbox */
	KIND_V8_HEAP,      /* a V8 heap page, confirmed by its header */
	KIND_PYMALLOC,     /* CPython's pymalloc arenas, by pool headers */
	/* the JVM's (classify_jvm.c, doc/REFERENCE.md 8) */
	KIND_JAVA_HEAP,
	KIND_JAVA_CLASS_SPACE,
	KIND_JAVA_METASPACE,
	KIND_JAVA_CODE_CACHE,
	KIND_JAVA_GC,
	KIND_ALLOCATOR,    /* jemalloc, mimalloc, tcmalloc extents */
	KIND_MALLOC_BLOCK, /* glibc malloc()'s mmapped chunks */
	KIND__COUNT
};

enum region_tag {
	TAG_DNS = 1u << 0,
	TAG_GUARD = 1u << 1,
	TAG_RESERVED = 1u << 2,
	TAG_DELETED = 1u << 3,
	TAG_VERIFIED = 1u << 4,
	TAG_EXEC = 1u << 5,
	TAG_SHARED = 1u << 6,   /* a file mapped shared (MAP_SHARED, "...s") */
	TAG_HUGETLB = 1u << 7,  /* has hugetlb pages (vmmap.hugetlb) */
};
#define TAG__COUNT 8

/* smaps counters kept per region, in KiB.  VMMAP_UNKNOWN when the key
 * was absent from smaps or smaps was not read. */
enum smaps_field {
	SM_SIZE,
	SM_KERNEL_PAGE_SIZE,
	SM_MMU_PAGE_SIZE,
	SM_RSS,
	SM_PSS,
	SM_PSS_DIRTY,
	SM_SHARED_CLEAN,
	SM_SHARED_DIRTY,
	SM_PRIVATE_CLEAN,
	SM_PRIVATE_DIRTY,
	SM_REFERENCED,
	SM_ANONYMOUS,
	SM_KSM,
	SM_LAZYFREE,
	SM_ANON_HUGE_PAGES,
	SM_SHMEM_PMD_MAPPED,
	SM_FILE_PMD_MAPPED,
	SM_SHARED_HUGETLB,
	SM_PRIVATE_HUGETLB,
	SM_SWAP,
	SM_SWAP_PSS,
	SM_LOCKED,
	SM__COUNT
};

/* Value of a compact KiB counter of struct region that is unknown. */
#define VMMAP_KIB_UNKNOWN UINT32_MAX
/* Compact counters saturate just below VMMAP_KIB_UNKNOWN (4 TiB). */
#define VMMAP_KIB_MAX (UINT32_MAX - 1)

/* Every counter of one region's smaps block and its VmFlags, kept only
 * when collected with PROCMAP_SMAPS_ALL (the detail pane shows them all;
 * nothing else needs them, and at 60 000 regions they would cost 11 MB). */
struct region_smaps {
	uint64_t sm[SM__COUNT]; /* first: region.sm points here */
	const char *vmflags;    /* "rd wr mr mw me ac", "" when absent */
};

/* One mapping.  Kept to 96 bytes on LP64: a process can have 65 000 of
 * them, and vmtop's own RSS (bounded at 3 MiB + 128 bytes per mapping,
 * plus each distinct path, interned and cut: vmmap_intern_path()) is
 * part of what it shows.  Hence the bit-fields: a device is 12 + 20
 * bits in the kernel, a PID below 2^22 (PID_MAX_LIMIT), and there are
 * far fewer than 2^19 arenas (each reserves 64 MiB: 2^19 of them would
 * be 32 TiB of address space; classification stops numbering there). */
struct region {
	uint64_t start, end;  /* [start, end) */
	uint64_t offset;
	uint64_t inode;
	const char *path;     /* unescaped name, "" for anonymous; never NULL.
			       * Pseudo names keep their brackets: "[heap]".
			       * The " (deleted)" suffix is removed when it
			       * marks an unlinked file (deleted == true). */
	const char *group;    /* group name within the kind, never NULL after
			       * classification ("" for kinds without groups) */
	const char *reason;   /* one line: why this kind (static or owned) */
	/* smaps, when read: every counter (enum smaps_field) of the block,
	 * VMMAP_UNKNOWN where absent, in m's pool; NULL unless collected
	 * with PROCMAP_SMAPS_ALL.  See region_sm() and region_vmflags(). */
	const uint64_t *sm;
	/* smaps, when read (has_smaps): what the tree and the outputs use,
	 * in KiB, VMMAP_KIB_UNKNOWN when absent.  dirty_kib is
	 * Private_Dirty + Shared_Dirty. */
	uint32_t rss_kib, pss_kib, swap_kib, dirty_kib;
	unsigned dev_major : 12, dev_minor : 20;
	/* filled by classification */
	signed int tid : 23;  /* thread_stack: owning TID (a pid_t), 0 when
			       * unowned */
	enum region_kind kind : 8;
	bool deleted : 1;
	signed int arena : 20; /* arena: its number, 0..vmmap.narenas-1 in
			       * address order of the arenas' first heaps;
			       * else -1 */
	unsigned tags : 11;   /* enum region_tag bits */
	bool has_smaps : 1;
	char perms[4];        /* "rw-p", not NUL-terminated: "%.4s" */
};

_Static_assert(TAG__COUNT <= 11, "region.tags has 11 bits");
/* The largest arena number region.arena holds. */
#define VMMAP_ARENA_MAX ((1 << 19) - 1)
_Static_assert(KIND__COUNT <= 128, "region.kind has 8 bits");
#if defined(__x86_64__) && defined(__LP64__)
_Static_assert(sizeof(struct region) == 96, "struct region grew");
#endif

/* A compact counter as a full one: VMMAP_UNKNOWN when unknown. */
static inline uint64_t region_kib(uint32_t v)
{
	return v == VMMAP_KIB_UNKNOWN ? VMMAP_UNKNOWN : v;
}

/* Counter f of r: VMMAP_UNKNOWN when smaps was not read or the key was
 * absent.  Without PROCMAP_SMAPS_ALL only SM_RSS, SM_PSS and SM_SWAP are
 * known. */
static inline uint64_t region_sm(const struct region *r, enum smaps_field f)
{
	if (r->sm)
		return r->sm[f];
	if (!r->has_smaps)
		return VMMAP_UNKNOWN;
	switch (f) {
	case SM_RSS:
		return region_kib(r->rss_kib);
	case SM_PSS:
		return region_kib(r->pss_kib);
	case SM_SWAP:
		return region_kib(r->swap_kib);
	default:
		return VMMAP_UNKNOWN;
	}
}

/* r's VmFlags, "" unless collected with PROCMAP_SMAPS_ALL. */
static inline const char *region_vmflags(const struct region *r)
{
	/* sm is the first member of its struct region_smaps */
	return r->sm ? ((const struct region_smaps *)(const void *)r->sm)
			       ->vmflags : "";
}

/* One thread of the process. */
struct vmthread {
	pid_t tid;
	char name[64];        /* raw comm of the thread */
	char state;           /* from task/TID/stat, '?' unknown */
	unsigned long long ticks; /* utime+stime of the thread */
	uint64_t sp;          /* user stack pointer, 0 when unknown */
	enum {
		SP_OK,
		SP_RUNNING,   /* syscall said "running": try next refresh */
		SP_DENIED,    /* task/TID/syscall not readable */
		SP_GONE,      /* thread exited while read */
	} sp_status;
};

/* heap_info read from the start of an arena candidate (REFERENCE 3.4). */
struct heap_probe {
	uint64_t addr;        /* region start that was read */
	uint64_t ar_ptr, prev, size, mprotect_size, pagesize;
	int err;              /* 0 read, else errno (EPERM, ESRCH, EFAULT...) */
	/* malloc_state fields read at ar_ptr when ar_ptr == addr + 48 (the
	 * first heap of an arena: the state follows heap_info), so that
	 * classify can follow the circular next list; raw, unchecked. */
	bool has_state;
	uint64_t next;        /* malloc_state.next (+0x870) */
	uint64_t system_mem;  /* malloc_state.system_mem (+0x888) */
};

/* glibc malloc()'s mmapped chunks walked from the start of one anonymous
 * rw-p region (REFERENCE.md 3.6): each chunk header (prev_size, size) was
 * read with process_vm_readv.  Raw: the reader stops at the first header
 * that is not an mmapped chunk's, classify decides what the walk shows. */
struct chunk_walk {
	uint64_t addr;        /* region start */
	uint64_t covered;     /* bytes from addr tiled by the chunks walked */
	uint32_t nchunks;     /* chunks walked */
	bool complete;        /* the walk reached the region's end */
	bool cut;             /* stopped by the read budget, not by a header */
	int err;              /* 0, or the errno of the first failed read */
};

/* The hugetlb pages of one region, which smaps' Rss leaves out: a region
 * with any has TAG_HUGETLB, and this entry (found by its start). */
struct region_hugetlb {
	uint64_t start;
	uint64_t shared_kib, private_kib; /* Shared_Hugetlb, Private_Hugetlb */
};

/* The environment knobs vmtop understands. */
struct vmenv {
	bool read;            /* environ could be read */
	int arena_max;        /* MALLOC_ARENA_MAX, else -1 */
	int tunable_arena_max;/* glibc.malloc.arena_max in GLIBC_TUNABLES, else -1 */
	char *godebug;        /* GODEBUG value or NULL (owned, malloc'd) */
};

/* Runtimes vmtop recognises in a process (runtime_detect(), runtime.h),
 * by the libraries mapped or the executable's name.  RT_NONE: none of
 * them (a C, C++, Rust or Go program; exe tells Go apart). */
enum vmmap_runtime {
	RT_NONE = 0,
	RT_JVM,        /* libjvm.so */
	RT_V8,         /* node (the executable or libnode.so) */
	RT_PYTHON,     /* python3.X or libpython3.X.so */
	RT_DOTNET,     /* libcoreclr.so */
	RT_ERLANG,     /* beam.smp */
	RT_POSTGRES,   /* postgres */
	RT__COUNT
};

/* malloc implementations found, as bits (several can be mapped: a
 * jemalloc program still maps glibc). */
enum vmmap_alloc {
	ALLOC_GLIBC = 1u << 0,     /* libc.so.6 */
	ALLOC_JEMALLOC = 1u << 1,  /* libjemalloc.so, or je_malloc symbols */
	ALLOC_TCMALLOC = 1u << 2,  /* libtcmalloc*.so, or tc_malloc */
	ALLOC_MIMALLOC = 1u << 3,  /* libmimalloc.so, or mi_malloc */
	ALLOC_MUSL = 1u << 4,      /* musl's loader/libc (its own malloc) */
	ALLOC__COUNT = 5
};

/* What runtime_detect() found.  Cheap: names of mapped files and the
 * executable's symbols (vmexe.syms), no reading of the target. */
struct vmruntime {
	enum vmmap_runtime rt;
	char version[16];     /* "3.11" (python), "17" (JVM), "15"
			       * (postgres); "" when not cheaply known */
	unsigned alloc;       /* enum vmmap_alloc bits */
	const char *evidence; /* static: what named the runtime
			       * ("libjvm.so mapped"), "" for RT_NONE */
};

/* A runtime's header read from the target by rtpeek (rtpeek.h), raw
 * where classify checks it. */
enum rt_probe_kind {
	RTP_V8_PAGE = 1, /* v[0..4]: size, flags, heap, area_start,
			  * area_end of a V8 MemoryChunk, unchecked */
	RTP_PYMALLOC,    /* v[0]: pool headers that passed the pool checks,
			  * v[1]: distinct arena indices among them,
			  * v[2]: arena size, v[3]: pool size */
};

struct rt_probe {
	uint64_t addr;        /* start of the region read */
	enum rt_probe_kind kind;
	int err;              /* 0, or errno of the read */
	uint64_t v[5];
};

/* A shared object's last loaded segment, from its program headers
 * (solib.h): where the segment's file data ends in memory and where its
 * memory ends.  Its bss is the anonymous mapping between the two. */
struct vmsolib {
	const char *path;     /* the regions' path (interned: the pointer) */
	uint64_t base;        /* load base: the address of p_vaddr 0 */
	uint64_t data_end;    /* base + p_vaddr + p_filesz, page-rounded up */
	uint64_t mem_end;     /* base + p_vaddr + p_memsz, page-rounded up */
};

/* What /proc/PID/exe is.  The strings are owned by the vmmap. */
struct vmexe {
	bool read;            /* exe could be opened and parsed as ELF */
	char *path;           /* readlink of exe, NULL when denied */
	bool is_static;       /* no PT_INTERP */
	char *interp;         /* PT_INTERP path or NULL */
	bool is_go;           /* a Go build info was found */
	char *go_version;     /* "go1.19.8" or NULL */
	int go_cgo;           /* CGO_ENABLED: 1, 0, -1 unknown */
	char *go_tags;        /* -tags value or NULL */
	bool imports_libc;    /* dynamic and needs libc.so */
	unsigned syms;        /* enum vmmap_alloc bits of allocators whose
			       * malloc symbol the executable defines
			       * (static builds), plus EXE_SYM_* */
};

/* vmexe.syms beyond the allocators: runtimes linked in statically. */
#define EXE_SYM_V8 (1u << 8)      /* V8's API (v8::Isolate) */
#define EXE_SYM_PYTHON (1u << 9)  /* Py_Initialize */

/* The JVM's own account of its memory, read from its performance-data
 * file (hsperfdata, doc/REFERENCE.md 8.2) the way jstat reads it, and its
 * flags.  Sizes in bytes, VMMAP_UNKNOWN when not exported or not read.
 * Filled by hsperf_read() (collect); plain data, no pointers. */
#define VMJVM_GENS 3
struct vmjvm {
	bool detected;        /* libjvm.so is mapped */
	int perf_err;         /* 0: hsperfdata read and parsed; -ENOENT: none
			       * mapped (-XX:-UsePerfData); -ENODATA: not
			       * looked for (not live, or not asked); else
			       * -errno of the read, -EINVAL malformed */
	char collector[40];   /* sun.gc.policy.name ("GarbageFirst"), else
			       * the first sun.gc.collector.N.name; "" */
	char version[24];     /* java.property.java.version, "" unknown */
	/* sun.gc.generation.N.{maxCapacity,capacity} and the sum of its
	 * spaces' used; ngens generations were found */
	unsigned ngens;
	struct vmjvm_gen {
		uint64_t max, capacity, used;
	} gen[VMJVM_GENS];
	/* The heap's reservation derived from the generations' maxCapacity
	 * (whole-heap collectors: the largest; generational ones: the sum),
	 * rounded down to a page (G1 reports 8 bytes more). */
	uint64_t heap_max, heap_capacity, heap_used;
	/* sun.gc.metaspace.* (class space included) and
	 * sun.gc.compressedclassspace.* */
	uint64_t meta_max, meta_capacity, meta_used;
	uint64_t ccs_max, ccs_capacity, ccs_used;
	/* Flags, from java.rt.vmArgs, or from the command line when there
	 * is no hsperfdata (flags_from_cmdline).  Bytes. */
	bool flags_from_cmdline;
	uint64_t xmx;             /* -Xmx, -XX:MaxHeapSize */
	uint64_t xss;             /* -Xss, -XX:ThreadStackSize */
	uint64_t vm_stack;        /* -XX:VMThreadStackSize */
	uint64_t compiler_stack;  /* -XX:CompilerThreadStackSize */
	uint64_t ccs_size;        /* -XX:CompressedClassSpaceSize */
	uint64_t max_metaspace;   /* -XX:MaxMetaspaceSize */
	uint64_t code_cache;      /* -XX:ReservedCodeCacheSize */
	int tiered;               /* -XX:+/-TieredCompilation: 1, 0, -1 */
	enum vmjvm_gc {
		VMJVM_GC_UNKNOWN,
		VMJVM_GC_G1,
		VMJVM_GC_Z,
		VMJVM_GC_PARALLEL,
		VMJVM_GC_SERIAL,
		VMJVM_GC_SHENANDOAH,
		VMJVM_GC_EPSILON,
	} gc;                     /* from the flags, else the counters */
};

/* What the user's rules (rules.h) with an insight decided in one
 * process, per rule, in rule order: filled by classify_vmmap(), the
 * strings in the vmmap's pool. */
struct vmrulehit {
	enum region_kind kind;
	const char *group;    /* the rule's group, or the first region's path */
	const char *insight, *knob; /* knob may be NULL */
	const char *where;    /* the rule's "FILE:LINE" or "rule N" */
	size_t nregions;
	uint64_t vsz_kib, reserved_kib, rss_kib; /* rss: known regions only */
};

enum vmmap_access {
	VMMAP_ACCESS_FULL,
	VMMAP_ACCESS_LIMITED, /* maps or smaps denied: see missing */
};

/* Which parts could not be read, as bits. */
enum vmmap_missing {
	MISSING_MAPS = 1u << 0,
	MISSING_SMAPS = 1u << 1,
	MISSING_ENVIRON = 1u << 2,
	MISSING_EXE = 1u << 3,
	MISSING_MEMORY = 1u << 4,  /* process_vm_readv denied */
	MISSING_STACKS = 1u << 5,  /* task/TID/syscall denied */
	/* with MISSING_MEMORY: not tried, the proc root's PIDs are another
	 * PID namespace's than vmtop's (process_vm_readv takes vmtop's) */
	MISSING_PIDNS = 1u << 6,
};

struct vmmap {
	pid_t pid;
	double time;          /* CLOCK_REALTIME when maps was read */
	enum vmmap_access access;
	unsigned missing;     /* enum vmmap_missing bits */
	bool gone;            /* the process exited during the read */
	/* Read from a saved snapshot (snapshot.h): the regions carry the
	 * kind, tags, group, TID and arena they were saved with, and their
	 * counters; classify keeps them and nothing is carried into them. */
	bool saved;
	/* stat's start time, in clock ticks after boot: which process this
	 * pid was (a reused pid has another); 0 when stat was unreadable */
	unsigned long long start_ticks;

	struct region *regions; /* sorted by start */
	size_t nregions;

	struct vmthread *threads; /* main thread first */
	size_t nthreads;

	struct heap_probe *probes; /* one per arena candidate */
	size_t nprobes;

	/* glibc chunk walks, by region start (chunks_walk()) */
	struct chunk_walk *chunks;
	size_t nchunks;
	/* regions with hugetlb pages, by start (the smaps reader) */
	struct region_hugetlb *hugetlb;
	size_t nhugetlb;
	/* starts of the anonymous regions whose VmFlags have nr
	 * (MAP_NORESERVE), ascending; from smaps only */
	uint64_t *noreserve;
	size_t nnoreserve;

	struct vmenv env;
	struct vmexe exe;
	/* shared objects followed by an anonymous rw-p mapping, read from a
	 * live process only (solib_read()), in address order */
	struct vmsolib *solibs;
	size_t nsolibs;
	struct vmruntime rt;  /* runtime_detect() */

	struct rt_probe *rtprobes; /* rtpeek: V8 pages, pymalloc regions */
	size_t nrtprobes;

	struct vmjvm jvm;       /* jvm.detected false for any other process */

	int online_cpus;
	unsigned long page_size;
	/* From /proc/PID/status at the time of the read, VMMAP_UNKNOWN when
	 * unreadable: the kernel's own totals the tree must add up to. */
	uint64_t status_vmsize_kib, status_vmrss_kib;
	/* From smaps_rollup when smaps was read, else VMMAP_UNKNOWN. */
	uint64_t rollup_rss_kib, rollup_pss_kib, rollup_swap_kib;

	/* Filled by classify_vmmap() (src/classify/classify.c). */
	unsigned narenas;     /* glibc non-main arenas found */
	int arena_limit;      /* glibc's arena cap, the main arena included */
	const char *arena_limit_source; /* "default" (8 x online CPUs),
			       * "MALLOC_ARENA_MAX", "GLIBC_TUNABLES", or
			       * "unknown" (environ unreadable: default) */
	struct vmrulehit *rulehits; /* owned (malloc) */
	size_t nrulehits;

	/* Storage for strings: owned, freed by vmmap_free(). */
	struct vmmap_pool *pool;
};

/* The hugetlb entry of the region starting at start, or NULL.  Few
 * regions have one: a linear search. */
static inline const struct region_hugetlb *
vmmap_hugetlb_of(const struct vmmap *m, uint64_t start)
{
	for (size_t k = 0; k < m->nhugetlb; k++)
		if (m->hugetlb[k].start == start)
			return &m->hugetlb[k];
	return NULL;
}

/* The chunk walk of the region starting at start, or NULL (the walks are
 * by start). */
static inline const struct chunk_walk *
vmmap_chunks_of(const struct vmmap *m, uint64_t start)
{
	size_t lo = 0, hi = m->nchunks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->chunks[mid].addr < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nchunks && m->chunks[lo].addr == start ?
		       &m->chunks[lo] : NULL;
}

/* For the smaps reader and diff_carry_smaps(): appends to m->hugetlb (the
 * entry returned is valid until the next append) and to m->noreserve.
 * Regions are appended in address order, so the lists stay sorted. */
struct region_hugetlb *vmmap_add_hugetlb(struct vmmap *m);
void vmmap_add_noreserve(struct vmmap *m, uint64_t start);

/* Whether the region starting at start is listed in m->noreserve. */
static inline bool vmmap_is_noreserve(const struct vmmap *m, uint64_t start)
{
	size_t lo = 0, hi = m->nnoreserve;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->noreserve[mid] < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nnoreserve && m->noreserve[lo] == start;
}

/* Why the heap_info headers (arenas' "verified") could not be read, as a
 * phrase for the views and the text output; NULL when nothing stopped
 * them.  The JSON says it as a word: see mapjson. */
static inline const char *vmmap_memory_why(const struct vmmap *m)
{
	if (!(m->missing & MISSING_MEMORY))
		return NULL;
	if (m->missing & MISSING_PIDNS)
		return "/proc is another PID namespace's than vmtop's, so "
		       "the process's memory was not read";
	return "memory not readable (run as the owner or root)";
}

/* Frees m and everything it owns; NULL is ignored. */
void vmmap_free(struct vmmap *m);

/* Gives dst copies of src's environment and executable facts (env, exe,
 * and whether they were missing), which a process keeps for its life. */
void vmmap_adopt_facts(struct vmmap *dst, const struct vmmap *src);

/* Index of the first region that ends above addr (regions are sorted by
 * start and do not overlap), m->nregions when none does. */
size_t vmmap_first_above(const struct vmmap *m, uint64_t addr);

/* Index of the region that contains addr, or SIZE_MAX when no region
 * does. */
size_t vmmap_find(const struct vmmap *m, uint64_t addr);

/* A path longer than VMMAP_PATH_MAX bytes is stored as its first and last
 * parts around VMMAP_PATH_CUT, VMMAP_PATH_MAX bytes in all; once a
 * process's distinct paths have used VMMAP_PATH_BUDGET bytes, each new
 * one is cut so to VMMAP_PATH_SHORT bytes.  (Cuts fall on UTF-8
 * character boundaries.)  A real process's paths are far shorter: the
 * bound is for a process whose owner makes thousands of long names. */
#define VMMAP_PATH_MAX 1024
#define VMMAP_PATH_SHORT 64
#define VMMAP_PATH_BUDGET (1u << 20)
#define VMMAP_PATH_CUT "..."

/* For the collectors: m's one copy of the path s[0..len) (any bytes but
 * NUL), cut as above when long.  Equal paths (after the cut) get the same
 * pointer, which lives as long as m: comparing paths by pointer is then
 * comparing them by value, except in the unlikely case of two paths with
 * the same 64-bit hash (the second gets a copy of its own). */
const char *vmmap_intern_path(struct vmmap *m, const char *s, size_t len);

/* Copies s into m's pool; the copy lives as long as m. */
const char *vmmap_strdup(struct vmmap *m, const char *s);
/* Copies s[0..len) plus a NUL into m's pool; lives as long as m. */
const char *vmmap_strndup(struct vmmap *m, const char *s, size_t len);

/* For the collectors: an empty vmmap for pid (no regions, counters
 * VMMAP_UNKNOWN, online_cpus and page_size set).  Never NULL; free it
 * with vmmap_free(). */
struct vmmap *vmmap_new(pid_t pid);
/* For the collectors: appends a region to m and returns it: zeroed, with
 * counters unknown, sm NULL and arena -1.  The pointer is valid until the
 * next append (the array may move). */
struct region *vmmap_add_region(struct vmmap *m);

/* For the collectors: gives r the smaps counters sm[] (VMMAP_UNKNOWN
 * where absent) and sets has_smaps.  The compact counters are derived
 * from sm; with keep_all, sm and vmflags (NULL for "") are also copied
 * into a struct region_smaps in m's pool that r->sm then points to
 * (vmflags itself must live as long as m). */
void vmmap_region_set_smaps(struct vmmap *m, struct region *r,
			    const uint64_t sm[SM__COUNT], const char *vmflags,
			    bool keep_all);

/* v as a compact counter: VMMAP_KIB_UNKNOWN when unknown, saturated
 * at VMMAP_KIB_MAX. */
static inline uint32_t vmmap_compact_kib(uint64_t v)
{
	if (v == VMMAP_UNKNOWN)
		return VMMAP_KIB_UNKNOWN;
	return v > VMMAP_KIB_MAX ? VMMAP_KIB_MAX : (uint32_t)v;
}

/* The compact counters part of vmmap_region_set_smaps(), for the readers'
 * per-region loop. */
static inline void vmmap_region_set_compact(struct region *r,
					    const uint64_t sm[SM__COUNT])
{
	uint64_t pd = sm[SM_PRIVATE_DIRTY], sd = sm[SM_SHARED_DIRTY];

	r->has_smaps = true;
	r->rss_kib = vmmap_compact_kib(sm[SM_RSS]);
	r->pss_kib = vmmap_compact_kib(sm[SM_PSS]);
	r->swap_kib = vmmap_compact_kib(sm[SM_SWAP]);
	r->dirty_kib = vmmap_compact_kib(pd == VMMAP_UNKNOWN ||
					 sd == VMMAP_UNKNOWN ?
					 VMMAP_UNKNOWN : pd + sd);
	r->sm = NULL;
}

#endif
