/* rules: PCRE2 patterns over mapping paths that decide region tags.
 *
 * Today one rule set exists: the DNS resolver rule (REFERENCE.md 4.1),
 * whose default pattern is RULES_DNS_DEFAULT; the config file may add
 * more patterns.  A struct rules is compiled once and reused for every
 * classification; it is not safe to use from two threads at once (it
 * keeps one PCRE2 match block). */
#ifndef VMTOP_RULES_H
#define VMTOP_RULES_H

#include <stdbool.h>
#include <stddef.h>

#define RULES_DNS_DEFAULT                                                  \
	"(libnss_[a-z0-9_]+\\.so|libresolv\\.so|libcares\\.so|"          \
	"libunbound\\.so|/nscd/)"

struct rules;

/* Compiles the default DNS pattern plus the nextra patterns of extra
 * (which may be NULL when nextra is 0) into *out.  Returns 0, or -EINVAL
 * for an invalid extra pattern with PCRE2's message and the offset in err
 * ("missing closing parenthesis at offset 3"), or -ENOMEM.  Free *out
 * with rules_free(). */
int rules_new(const char *const *extra, size_t nextra, struct rules **out,
	      char *err, size_t errsize);

/* Whether path[0..len) matches one of the DNS patterns. */
bool rules_match_dns(const struct rules *r, const char *path, size_t len);

void rules_free(struct rules *r);

#endif
