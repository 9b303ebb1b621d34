/* tap: a minimal Test Anything Protocol emitter for the C unit tests. */
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

bool tap_is_str(const char *got, const char *want, const char *name)
{
	bool same = (got == NULL && want == NULL) ||
		    (got && want && strcmp(got, want) == 0);

	if (!tap_ok(same, "%s", name))
		tap_diag("got '%s', want '%s'", got ? got : "(null)",
			 want ? want : "(null)");
	return same;
}

bool tap_is_int(long long got, long long want, const char *name)
{
	if (!tap_ok(got == want, "%s", name)) {
		tap_diag("got %lld, want %lld", got, want);
		return false;
	}
	return true;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}
