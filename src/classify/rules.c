/* rules: compiled PCRE2 patterns for region tags. */
#include "config.h"

#include "vmtop/rules.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/xalloc.h"

struct rules {
	pcre2_code **dns;
	size_t ndns;
	pcre2_match_data *md;
};

/* Compiles one pattern, JIT when available.  NULL on error with err set. */
static pcre2_code *rules_compile(const char *pat, char *err, size_t errsize)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re;

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &code,
			   &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		if (err && errsize)
			snprintf(err, errsize, "%s at offset %zu",
				 (const char *)msg, (size_t)off);
		return NULL;
	}
	/* JIT is an optimisation only: failure to JIT is not an error. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

int rules_new(const char *const *extra, size_t nextra, struct rules **out,
	      char *err, size_t errsize)
{
	struct rules *r = xcalloc(1, sizeof(*r));

	r->dns = xcalloc(nextra + 1, sizeof(*r->dns));
	for (size_t i = 0; i <= nextra; i++) {
		const char *pat = i == 0 ? RULES_DNS_DEFAULT : extra[i - 1];

		r->dns[i] = rules_compile(pat, err, errsize);
		if (!r->dns[i]) {
			rules_free(r);
			return -EINVAL;
		}
		r->ndns++;
	}
	r->md = pcre2_match_data_create(1, NULL);
	if (!r->md) {
		rules_free(r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

bool rules_match_dns(const struct rules *r, const char *path, size_t len)
{
	for (size_t i = 0; i < r->ndns; i++) {
		if (pcre2_match(r->dns[i], (PCRE2_SPTR)path, len, 0, 0, r->md,
				NULL) >= 0)
			return true;
	}
	return false;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ndns; i++)
		pcre2_code_free(r->dns[i]);
	free(r->dns);
	pcre2_match_data_free(r->md);
	free(r);
}
