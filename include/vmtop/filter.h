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

bool filter_match(const struct filter *f, const struct proc_row *row);

/* Pattern match on arbitrary text (used by search): true on a match. */
bool filter_match_text(const struct filter *f, const char *text);

#endif
