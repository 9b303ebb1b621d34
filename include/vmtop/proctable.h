/* proctable: the process list.
 *
 * One proctable lives for the whole run and reads one proc root: /proc,
 * another procfs mount, or a captured copy of one (a directory of PID
 * directories holding the same files).  Each proctable_refresh() reads
 * every process (or only the PIDs given): ROOT/PID/stat and statm through
 * descriptors kept open between refreshes (the owner's uid from fstat of
 * the stat file on procfs, from status's Uid line in a captured copy,
 * whose files' owners mean nothing); the command line only when asked
 * for; VmSwap from status only when the machine has swap (without swap
 * every process's swap is exactly 0): through libproc2, loaded at run
 * time, for /proc itself, which is the only root libproc2 can read; by
 * reading status directly for any other root.
 *
 * CPU% is computed from tick deltas between two refreshes of the same
 * table, keyed by pid and start time, so a reused pid never inherits a
 * predecessor's ticks.  A process seen for the first time has no CPU%
 * (cpu_pct < 0) unless it started after the previous refresh. */
#ifndef VMTOP_PROCTABLE_H
#define VMTOP_PROCTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The memory columns of the list beyond VIRT, RES and SWAP (proc_row's
 * mem[]), in KiB but MAPS and ARENAS (counts).  SHR, ANON and DATA come
 * from statm with VIRT and RES (free); FILE and SHMEM from status; PSS
 * and USS from smaps_rollup, RESV, COMMIT, MAPS and ARENAS from maps,
 * both on procmem's cadence (procmem.h). */
enum proc_mem {
	PROC_MEM_RESV,   /* PROT_NONE address space (---p, ---s) */
	PROC_MEM_COMMIT, /* VSZ - RESV */
	PROC_MEM_PSS,    /* smaps_rollup Pss */
	PROC_MEM_USS,    /* Private_Clean + Private_Dirty + Private_Hugetlb */
	PROC_MEM_SHR,    /* statm shared: RssFile + RssShmem */
	PROC_MEM_ANON,   /* RssAnon: statm resident - shared */
	PROC_MEM_FILE,   /* RssFile of status */
	PROC_MEM_SHMEM,  /* RssShmem of status */
	PROC_MEM_DATA,   /* statm data: VmData + VmStk */
	PROC_MEM_MAPS,   /* mappings (count) */
	PROC_MEM_ARENAS, /* glibc arena heaps by shape (count; procmem.h) */
	PROC_MEM__COUNT
};

/* A mem[] figure not read, or not readable. */
#define PROC_MEM_UNKNOWN UINT64_MAX

enum proc_access {
	PROC_ACCESS_FULL,    /* maps and smaps can be read */
	PROC_ACCESS_LIMITED, /* only what stat/status show */
};

struct proc_row {
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	const char *user;    /* name, or the uid in decimal; never NULL */
	const char *comm;    /* raw, never NULL ("" when unknown) */
	const char *cmdline; /* raw, args joined by spaces; NULL if not read;
			      * cut (see PROCTABLE_CMDLINE_MAX) */
	bool cmdline_truncated; /* the process's command line goes on */
	char state;          /* R S D T t Z I X P, '?' unknown */
	int threads;
	unsigned long vsz_kib;
	unsigned long rss_kib;
	unsigned long swap_kib;
	bool swap_known;     /* false when status could not be read */
	double cpu_pct;      /* < 0: unknown (first sample) */
	double start_time;   /* seconds after boot */
	enum proc_access access;
	bool kthread;        /* a kernel thread (PF_KTHREAD in stat's flags) */
	uint64_t mem[PROC_MEM__COUNT]; /* enum proc_mem; PROC_MEM_UNKNOWN */
	/* seconds since PSS and USS (rollup_age), RESV, COMMIT, MAPS and
	 * ARENAS (maps_age) were read; < 0 when they were not */
	double rollup_age, maps_age;
};

/* A command line is kept to its first PROCTABLE_CMDLINE_MAX bytes (cut
 * on a UTF-8 character boundary, cmdline_truncated set): enough for any
 * terminal row and any sensible pattern, while its owner can make it 2
 * MiB and share it with thousands of children for free.  Once a refresh
 * has kept PROCTABLE_CMDLINE_BUDGET bytes of command lines, each further
 * one is kept to PROCTABLE_CMDLINE_SHORT bytes. */
#define PROCTABLE_CMDLINE_MAX 4096
#define PROCTABLE_CMDLINE_SHORT 512
#define PROCTABLE_CMDLINE_BUDGET (8u << 20)
/* What the text outputs and the TUI write after a cut command line. */
#define PROCTABLE_CMDLINE_CUT "..."

/* Which optional fields a refresh must fill. */
enum proctable_want {
	PROCTABLE_WANT_CMDLINE = 1 << 0,
	PROCTABLE_WANT_STATUS = 1 << 1, /* FILE, SHMEM */
	PROCTABLE_WANT_ROLLUP = 1 << 2, /* PSS, USS, on the cadence */
	PROCTABLE_WANT_MAPS = 1 << 3,   /* RESV, COMMIT, MAPS, ARENAS, too */
};

/* The want bit that fills mem[m] (0: always filled). */
unsigned proctable_mem_want(enum proc_mem m);
/* The column's name ("PSS", "MAPS"), and the JSON key of its figure
 * ("pss_kib", "mappings"); static strings. */
const char *proctable_mem_name(enum proc_mem m);
const char *proctable_mem_key(enum proc_mem m);
/* The column named name (any case), or -1. */
int proctable_mem_by_name(const char *name);



struct proctable;

/* Creates a table that reads the processes under proc_root ("/proc" when
 * NULL; the string is not kept).  Returns 0, or -errno when proc_root
 * cannot be opened as a directory. */
int proctable_new(struct proctable **out, const char *proc_root);
void proctable_free(struct proctable *pt);

/* Reaps the processes: all of them when npids == 0, else only those PIDs
 * (missing ones are left out).  want is a mask of enum proctable_want.
 * Returns the number of rows (>= 0) or -errno.  The rows and their strings
 * stay valid until the next refresh or free. */
int proctable_refresh(struct proctable *pt, const pid_t *pids, size_t npids,
		      unsigned want);
const struct proc_row *proctable_rows(const struct proctable *pt);
size_t proctable_count(const struct proctable *pt);

/* Columns the list can be sorted by. */
enum proc_sort {
	PROC_SORT_PID,
	PROC_SORT_USER,
	PROC_SORT_THREADS,
	PROC_SORT_VIRT,
	PROC_SORT_RES,
	PROC_SORT_SWAP,
	PROC_SORT_CPU,
	PROC_SORT_STATE,
	PROC_SORT_COMMAND,
	PROC_SORT__COUNT
};

/* Sorts an array of row pointers; descending when desc.  Ties by pid. */
void proctable_sort(const struct proc_row **rows, size_t n, enum proc_sort by,
		    bool desc);

/* ---- the parsers of the refresh, for tests and fuzzing ---- */

/* The fields of /proc/PID/stat that the list uses. */
struct proc_stat {
	const char *comm;         /* into the parsed text; no NUL after it */
	size_t comm_len;          /* any byte may be in it, ')' and '\n' too */
	char state;               /* the byte after the name, as written */
	pid_t ppid;
	unsigned long long flags; /* the task's PF_* flags (field 9) */
	int threads;
	unsigned long long ticks; /* utime + stime, clock ticks */
	unsigned long long start; /* start time, clock ticks after boot */
};

/* Parses the text of /proc/PID/stat, len bytes (no NUL needed; reading
 * stops at len).  The name is what lies between the first '(' and the
 * last ')', which must be followed by a space, the state (one printable
 * ASCII byte that is not a space) and a space; then every field up to
 * the 22nd (the start time), each a run of digits ('-' allowed before the
 * ones the list does not use) followed by a space or a newline, as the
 * kernel writes them: a text that ends right after a field's digits was
 * cut short.  A number too large for its field saturates (ticks, start)
 * or makes the text malformed (ppid, threads).  Returns 0 and fills *out,
 * or -EINVAL when the text is malformed or cut short (*out is then
 * unspecified). */
int proctable_parse_stat(const char *text, size_t len, struct proc_stat *out);

/* Parses the first two fields of /proc/PID/statm, len bytes: the size and
 * the resident set, in pages, each followed by a space or a newline.
 * Returns 0, or -EINVAL when either is not a number or the text was cut
 * short (numbers past 64 bits saturate). */
int proctable_parse_statm(const char *text, size_t len,
			  unsigned long long *size_pages,
			  unsigned long long *resident_pages);

/* The same, and the shared and data fields (3rd and 6th), in pages, into
 * shared_data[0] and [1] (both 0 when the text has only two fields). */
int proctable_parse_statm_all(const char *text, size_t len,
			      unsigned long long *size_pages,
			      unsigned long long *resident_pages,
			      unsigned long long shared_data[2]);

/* The kernel's flag of a kernel thread in stat's field 9. */
#define PROCTABLE_PF_KTHREAD 0x00200000ull

#endif
