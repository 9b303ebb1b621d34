/* filter: which processes the list shows.
 *
 * A filter combines a PCRE2 pattern over the name and the command line
 * (case-insensitive unless the pattern holds an upper-case letter, like
 * less and htop's smart case), a set of PIDs and a set of uids.  Empty
 * parts match everything.  Like pgrep, a pattern never matches vmtop's own
 * process, whose command line holds the pattern itself. */
#ifndef VMTOP_FILTER_H
#define VMTOP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "vmtop/proctable.h"

struct filter;

struct filter *filter_new(void);
void filter_free(struct filter *f);

/* Compiles pattern and makes it the filter's pattern.  NULL or "" clears
 * it.  On an invalid pattern returns -EINVAL, leaves the previous pattern
 * in effect and writes PCRE2's message and the offset into err, e.g.
 * "missing closing parenthesis at offset 3". */
int filter_set_pattern(struct filter *f, const char *pattern, char *err,
		       size_t errsize);
/* The pattern in effect, or "" */
const char *filter_pattern(const struct filter *f);

void filter_add_pid(struct filter *f, pid_t pid);
size_t filter_pids(const struct filter *f, const pid_t **pids);
void filter_add_uid(struct filter *f, uid_t uid);

/* Whether the pattern needs command lines to decide. */
bool filter_wants_cmdline(const struct filter *f);

/* Whether row passes the filter.  The pattern is matched on the name
 * and on the command line as kept (PROCTABLE_CMDLINE_MAX bytes).  The
 * filter's time accounting changes (see filter_gave_up()). */
bool filter_match(struct filter *f, const struct proc_row *row);

/* Pattern match on arbitrary text (used by search): true on a match.
 * Only the first FILTER_SUBJECT_MAX bytes of text are looked at, and a
 * match that costs too much gives up: false (see filter.c). */
bool filter_match_text(struct filter *f, const char *text);

/* The subject length a match looks at: a kept command line. */
#define FILTER_SUBJECT_MAX PROCTABLE_CMDLINE_MAX

/* How many matches gave up (steps, memory or time) since the pattern was
 * set: nonzero means some processes may be missing from the list. */
unsigned long filter_gave_up(const struct filter *f);

#endif
