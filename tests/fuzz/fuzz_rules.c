/* fuzz_rules: lines of a rules file through rules_add_line(), then a
 * match of each rule added against the line itself; the knobs parsers
 * (environment, command line, limits, cgroup) on the same bytes.  A rule
 * either is added whole or refused with a message; a match never reads
 * past its input. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/knobs.h"
#include "vmtop/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_knobs(const char *buf, size_t size)
{
	struct knobs k;

	knobs_init(&k);
	knobs_parse_environ(&k, buf, size);
	knobs_parse_cmdline(&k, buf, size);
	for (size_t i = 0; i < k.nitems; i++)
		if (!k.items[i].name || !k.items[i].value ||
		    strlen(k.items[i].value) > KNOBS_VALUE_MAX + 3)
			abort();
	knobs_release(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rules *r;
	char *buf = malloc(size + 1), err[512], path[256];
	size_t n0;
	struct knobs k;

	if (!buf)
		abort();
	if (!r && rules_new(NULL, 0, &r, err, sizeof(err)))
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	fuzz_knobs(buf, size);
	knobs_init(&k);
	(void)knobs_parse_limits(&k, buf);
	knobs_release(&k);
	(void)knobs_parse_cgroup(buf, path, sizeof(path));
	n0 = rules_count(r);
	/* every line of the input, as a rules file has them */
	for (char *p = buf, *nl; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		err[0] = 'x';
		if (rules_add_line(r, p, "fuzz:1", err, sizeof(err)) != 0 &&
		    err[0] == '\0')
			abort(); /* refused without a message */
	}
	for (size_t i = n0; i < rules_count(r); i++) {
		const struct rule_info *in = rules_info(r, i);
		unsigned tags = 0;

		if (in->kind == KIND_NONE && !in->tags)
			abort();
		(void)rules_match(r, (const char *)data, size, &tags);
	}
	/* keep the set small: start again from the built-in rules */
	rules_free(r);
	r = NULL;
	free(buf);
	return 0;
}
