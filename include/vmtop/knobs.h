/* knobs: the memory-related settings a process runs with — the
 * environment variables its allocator and runtime read (MALLOC_*,
 * GLIBC_TUNABLES, MALLOC_CONF, GOGC, JAVA_TOOL_OPTIONS, NODE_OPTIONS,
 * PYTHONMALLOC, DOTNET_GC*...), a JVM's or node's memory flags on its
 * command line, its resource limits (RLIMIT_STACK, RLIMIT_AS,
 * RLIMIT_DATA) and its cgroup v2 memory limits — each with one line of
 * what it does to VSZ and RSS.
 *
 * Only the variables of the table in knobs.c are ever kept, never the
 * rest of the environment (which holds secrets); of the *_OPTIONS
 * variables (JAVA_TOOL_OPTIONS, NODE_OPTIONS...) only the memory options
 * are kept, since a -Dpassword=... can sit among them.  Values are cut at
 * KNOBS_VALUE_MAX bytes. */
#ifndef VMTOP_KNOBS_H
#define VMTOP_KNOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define KNOBS_VALUE_MAX 256
/* A limit that is "unlimited" or "max". */
#define KNOBS_UNLIMITED UINT64_MAX

enum knob_from {
	KNOB_ENV,     /* the environment: "NAME" = "value" */
	KNOB_OPTION,  /* an option inside an *_OPTIONS variable: name is the
		       * variable, value the option ("-Xmx2g") */
	KNOB_ARGV,    /* a flag of the command line: name "argv" */
};

struct knob {
	enum knob_from from;
	char *name;           /* owned */
	char *value;          /* owned, raw bytes of the process */
	const char *effect;   /* static: what it does to VSZ/RSS */
};

enum knobs_limit_id { KNOBS_STACK, KNOBS_AS, KNOBS_DATA, KNOBS__NLIMITS };

struct knobs_limit {
	bool read;            /* the line was found */
	uint64_t soft, hard;  /* bytes, KNOBS_UNLIMITED for "unlimited" */
};

struct knobs {
	int env_err;          /* 0, or -errno of reading environ */
	size_t env_hidden;    /* options of *_OPTIONS variables not kept */
	struct knob *items;
	size_t nitems;
	int argv_err;         /* 0, or -errno of reading cmdline */
	int limits_err;       /* 0, or -errno of reading limits */
	struct knobs_limit limit[KNOBS__NLIMITS];
	/* cgroup v2: cg_err 0, or -errno (-ENOENT: no v2 line in
	 * /proc/PID/cgroup; -ENODEV: no cgroup2 file system at
	 * /sys/fs/cgroup, or not a live proc root) */
	int cg_err;
	char *cg_path;        /* "/user.slice/...", owned, or NULL */
	uint64_t cg_max, cg_high; /* of that cgroup; KNOBS_UNLIMITED for
				   * "max", 0 when unreadable (no memory
				   * controller): see cg_read */
	bool cg_read;         /* memory.max of the cgroup could be read */
	/* the lowest memory.max on the way up to the root (which binds the
	 * process), and the cgroup that sets it; NULL when none is set */
	uint64_t cg_eff_max;
	char *cg_eff_path;    /* owned */
};

/* The name of a limit: "RLIMIT_STACK", "RLIMIT_AS", "RLIMIT_DATA". */
const char *knobs_limit_name(enum knobs_limit_id id);
/* What a limit, or the cgroup's memory.max and memory.high, do (static
 * sentences). */
const char *knobs_limit_effect(enum knobs_limit_id id);
extern const char knobs_cgroup_max_effect[];
extern const char knobs_cgroup_high_effect[];

/* Reads pid's knobs under proc_root (NULL: "/proc") into k (which it
 * initialises; release with knobs_release()).  Each part has its own
 * error; the cgroup is read only under a live proc root.  Returns 0, or
 * -errno when the process's directory cannot be opened (-ENOENT: gone). */
int knobs_read(const char *proc_root, pid_t pid, struct knobs *k);

/* The parsers, pure functions of a buffer (for the tests and the
 * fuzzer); each appends to k, which knobs_init() prepared. */
void knobs_init(struct knobs *k);
/* A NUL-separated environment block buf[0..len). */
void knobs_parse_environ(struct knobs *k, const char *buf, size_t len);
/* A NUL-separated command line buf[0..len). */
void knobs_parse_cmdline(struct knobs *k, const char *buf, size_t len);
/* The text of /proc/PID/limits, NUL-terminated. */
int knobs_parse_limits(struct knobs *k, const char *text);
/* Copies into out the entries of the environment block buf[0..len) that
 * knobs_parse_environ() keeps, each NUL-terminated, and nothing else:
 * the variables of the table (with the items glibc split off
 * GLIBC_TUNABLES), and of the *_OPTIONS variables only their memory
 * options, joined by one blank.  It is the filter of a capture's environ
 * (capture.h): knobs_parse_environ() and environ_parse() find the same
 * knobs in out as in buf, but for env_hidden (the options left out).
 * out has room for len + 1 bytes.  Returns the bytes written. */
size_t knobs_keep_environ(const char *buf, size_t len, char *out);
/* The cgroup v2 path of /proc/PID/cgroup's text ("0::/a/b"), copied
 * into out (cut to size); -ENOENT when there is no v2 line, -EXDEV when
 * the path has a ".." (a cgroup outside the reader's namespace). */
int knobs_parse_cgroup(const char *text, char *out, size_t size);

/* The static sentence of what a knob does, chosen as knobs_read() does:
 * by the variable's name for KNOB_ENV, by the flag (value) for
 * KNOB_OPTION and KNOB_ARGV; "" when the table has none.  A saved knob
 * (a snapshot) gets its effect from here, never from the file. */
const char *knobs_effect(enum knob_from from, const char *name,
			 const char *value);

/* The name written for an error of a knobs part ("EACCES", or
 * strerror()'s text for the rare ones; "" for 0), and back: the -errno
 * of such a name, or -EIO for a name it never writes. */
const char *knobs_errname(int err);
int knobs_errno(const char *name);

void knobs_release(struct knobs *k);

#endif
