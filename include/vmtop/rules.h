/* rules: PCRE2 patterns over mapping names that classify regions — the
 * built-in DNS resolver rule (REFERENCE.md 4.1), whose pattern is
 * RULES_DNS_DEFAULT, and the rules of the user's own, so that a team can
 * teach vmtop its own programs' mappings.
 *
 * A rule is one line (doc/vmtop.1, RULES):
 *
 *   [rule =] /REGEX/[i] [kind=KIND] [group="NAME"] [tags=TAG,TAG]
 *                       [insight="TEXT"] [knob="KNOB"]
 *
 * REGEX (PCRE2; "\/" for a slash, a trailing i for any case) is matched
 * against a region's path or name as maps shows it ("/opt/app/cache.db",
 * "[anon:myapp cache]").  A rule with a kind decides the region's kind
 * and group (the path when no group is given) before any built-in
 * classifier: the first such rule that matches wins.  Every matching rule
 * adds its tags (the DNS rule is "tags=dns" alone).  A rule with a kind
 * may have an insight, with its knob: one insight per process where it
 * decided regions.
 * Values are bare words or "quoted" (\" and \\ inside quotes); '#'
 * starts a comment outside quotes and the regex.
 *
 * A struct rules is compiled once and reused for every classification;
 * it is not safe to use from two threads at once (one PCRE2 match
 * block), nor to add rules while a pipeline classifies with it. */
#ifndef VMTOP_RULES_H
#define VMTOP_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "vmtop/strbuf.h"
#include "vmtop/vmmap.h"

#define RULES_DNS_DEFAULT                                                  \
	"(libnss_[a-z0-9_]+\\.so|libresolv\\.so|libcares\\.so|"          \
	"libunbound\\.so|/nscd/)"

/* The longest rule line accepted, in bytes. */
#define RULES_LINE_MAX 4096

struct rules;

/* What one rule gives a region that matches it.  Strings are owned by
 * the rules and live as long as they do. */
struct rule_info {
	enum region_kind kind; /* KIND_NONE: tags (and insight) only */
	const char *group;     /* NULL: the region's path */
	unsigned tags;         /* enum region_tag bits */
	const char *insight;   /* NULL when none */
	const char *knob;      /* NULL when none */
	const char *where;     /* "FILE:LINE", "rule N" or "built-in" */
};

/* Compiles the built-in rules (the DNS rule) plus the nextra DNS
 * patterns of extra (which may be NULL when nextra is 0) into *out.
 * Returns 0, or -EINVAL for an invalid extra pattern with PCRE2's message
 * and the offset in err ("missing closing parenthesis at offset 3"), or
 * -ENOMEM.  Free *out with rules_free(). */
int rules_new(const char *const *extra, size_t nextra, struct rules **out,
	      char *err, size_t errsize);

/* Adds the rule of one line's value (the syntax above; a leading
 * "rule =" is allowed; a blank or comment line adds nothing) after the
 * rules already there.  where names it in reasons ("vmtoprc:12"; NULL:
 * "rule N").  Returns 0, or -EINVAL with a one-line message in err:
 * "invalid regex: missing closing parenthesis at offset 3", "unknown
 * kind 'foo'"... */
int rules_add_line(struct rules *r, const char *line, const char *where,
		   char *err, size_t errsize);

/* Adds the rules of file path, one per line.  Each bad line is appended
 * to errs as "PATH:LINE: message\n" and left out; the others apply.
 * Returns the number of bad lines, or -errno when the file cannot be
 * read (nothing added): only a regular file of at most 1 MiB is read. */
int rules_load_file(struct rules *r, const char *path, struct strbuf *errs);
/* Why rules_load_file() returned err (< 0), in words: "not a regular
 * file" (-ENODEV: a FIFO, a device, a directory), "larger than 1 MiB..."
 * (-EFBIG), else strerror(). */
const char *rules_file_error(int err);

/* Number of rules (the built-in ones first) and what rule i gives. */
size_t rules_count(const struct rules *r);
const struct rule_info *rules_info(const struct rules *r, size_t i);

/* Matches path[0..len) against every rule: returns the index of the
 * first rule with a kind that matches (-1 when none) and ORs the tags of
 * every matching rule into *tags. */
int rules_match(const struct rules *r, const char *path, size_t len,
		unsigned *tags);

/* Whether path[0..len) matches a rule that gives the dns tag. */
bool rules_match_dns(const struct rules *r, const char *path, size_t len);

void rules_free(struct rules *r);

#endif
