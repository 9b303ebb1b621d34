/* fuzz_config: a settings file through settings_parse(), then a value
 * set and the text written back, which must parse to the same entries
 * (the set one changed) with no new warning. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/settings.h"
#include "vmtop/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every entry's key and value are NUL-terminated, valid and in order. */
static void check_entries(const struct settings *s)
{
	const struct settings_entry *e;
	size_t n = settings_entries(s, &e);
	unsigned last = 0;

	for (size_t i = 0; i < n; i++) {
		size_t kl = strlen(e[i].key);

		if (!kl || strspn(e[i].key, "abcdefghijklmnopqrstuvwxyz"
					    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					    "0123456789_.-") != kl)
			abort();
		if (strchr(e[i].value, '\n') || e[i].line <= last)
			abort();
		if (strlen(e[i].value) > SETTINGS_LINE_MAX)
			abort();
		last = e[i].line;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings *s = settings_parse("f", (const char *)data, size);
	struct settings *again;
	struct strbuf sb = STRBUF_INIT;
	const struct settings_entry *e1, *e2;
	size_t n1, n2;

	check_entries(s);
	for (size_t i = 0; i < settings_nwarnings(s) && i < SETTINGS_WARN_MAX;
	     i++)
		if (!settings_warning(s, i) || strchr(settings_warning(s, i),
						       '\n'))
			abort(); /* one line each */
	if (settings_set(s, "delay", "3") != 0)
		abort();
	strbuf_init(&sb, size + 64);
	settings_text(s, &sb);
	again = settings_parse("f", sb.buf, sb.len);
	check_entries(again);
	n1 = settings_entries(s, &e1);
	n2 = settings_entries(again, &e2);
	if (n1 != n2 || settings_nwarnings(again) != settings_nwarnings(s))
		abort();
	for (size_t i = 0; i < n1; i++)
		if (strcmp(e1[i].key, e2[i].key) ||
		    strcmp(e1[i].value, e2[i].value))
			abort();
	if (strcmp(settings_get(again, "delay"), "3") != 0)
		abort();
	settings_free(again);
	strbuf_release(&sb);
	settings_free(s);
	return 0;
}
