/* openmetrics: the memory-map trees of many processes, summed per group,
 * as a Prometheus exposition (text format 0.0.4, or OpenMetrics 1.0.0).
 *
 * A report collects processes one by one (openmetrics_add()): each joins
 * the group of its name (comm), or of its name and PID with per_pid.  A
 * group's figures are sums over its processes; proportional bytes (PSS)
 * sum without counting a shared page twice, resident bytes do not.  The
 * report then writes every family (openmetrics_write()): HELP and TYPE
 * always, UNIT in OpenMetrics, counters' samples ending in _total, and
 * "# EOF" at the end of OpenMetrics.
 *
 * Group names come from other users' processes: a label value is written
 * with backslash, double quote and newline escaped as both formats say,
 * and a byte that is not UTF-8 (which both formats forbid) as the four
 * characters \xNN (so written "\\xNN").
 *
 * Memory: a report owns copies of every string it keeps; nothing points
 * into the trees or rows added. */
#ifndef VMTOP_OPENMETRICS_H
#define VMTOP_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vmtop/maptree.h"
#include "vmtop/proctable.h"
#include "vmtop/strbuf.h"
#include "vmtop/vmmap.h"

enum openmetrics_format {
	OPENMETRICS_PROMETHEUS, /* text/plain; version=0.0.4 */
	OPENMETRICS_OPENMETRICS, /* application/openmetrics-text; 1.0.0 */
};

/* Content-Type of each format, for HTTP. */
const char *openmetrics_content_type(enum openmetrics_format f);

/* The measures of vmtop_memory_bytes, in label order. */
enum openmetrics_measure {
	OM_VIRTUAL,
	OM_RESERVED,
	OM_RESIDENT,
	OM_PROPORTIONAL,
	OM_SWAP,
	OM__MEASURES
};

struct openmetrics_runtime {
	char *language, *allocator; /* owned */
};

struct openmetrics_group {
	char *name;                     /* comm, owned */
	pid_t pid;                      /* with per_pid; else 0 */
	unsigned processes;
	uint64_t threads;
	uint64_t stack_bytes;           /* thread stacks' virtual size */
	uint64_t arenas;
	int arena_limit;                /* max over the group, 0 unknown */
	double age_s;                   /* the oldest smaps counters */
	bool has_kind[KIND__COUNT];
	/* bytes per kind and measure; known[] false where no process of
	 * the group had that counter (no smaps) */
	uint64_t bytes[KIND__COUNT][OM__MEASURES];
	bool known[KIND__COUNT][OM__MEASURES];
	struct openmetrics_runtime *runtimes; /* distinct pairs */
	size_t nruntimes;
};

struct openmetrics_report {
	bool per_pid;
	struct openmetrics_group *groups;
	size_t ngroups, cap;
	/* vmtop's own cost */
	double scrape_s;                /* the last collection, wall time */
	uint64_t smaps_reads;           /* since start */
	uint64_t read_errors;           /* since start */
};

void openmetrics_init(struct openmetrics_report *r, bool per_pid);
/* Frees every group; r can be used again after openmetrics_init(). */
void openmetrics_release(struct openmetrics_report *r);

/* Adds one process: row for its name and PID, t its tree (not kept),
 * age_s how old t's smaps counters are. */
void openmetrics_add(struct openmetrics_report *r, const struct proc_row *row,
		     const struct maptree *t, double age_s);

/* Appends the exposition of r to sb in format f; age_more_s is added to
 * every group's age (the time since the report was made).  Groups are
 * written sorted by name, then PID. */
void openmetrics_write(struct strbuf *sb, const struct openmetrics_report *r,
		       enum openmetrics_format f, double age_more_s);

/* The building blocks, for tests and other families.  A family's header:
 * name is the family name (without _total for a counter), type
 * "gauge", "counter" or "info", unit NULL or "bytes"/"seconds" (written in
 * OpenMetrics only).  In the Prometheus format a counter's TYPE and HELP
 * name the sample (name_total) and an info family is a gauge named
 * name_info. */
void openmetrics_family(struct strbuf *sb, enum openmetrics_format f,
			const char *name, const char *type, const char *unit,
			const char *help);
/* A label value between double quotes, escaped (see above). */
void openmetrics_label_value(struct strbuf *sb, const char *s);
/* "# EOF\n" in OpenMetrics, nothing in the Prometheus format. */
void openmetrics_eof(struct strbuf *sb, enum openmetrics_format f);

#endif
