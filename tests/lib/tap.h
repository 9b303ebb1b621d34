/* tap: a minimal Test Anything Protocol emitter for the C unit tests. */
#ifndef VMTOP_TESTS_TAP_H
#define VMTOP_TESTS_TAP_H

#include <stdbool.h>

/* Records one test; prints "ok N - name" or "not ok N - name". */
bool tap_ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Compares two strings (NULL-safe), printing both on failure. */
bool tap_is_str(const char *got, const char *want, const char *name);
/* Compares two integers, printing both on failure. */
bool tap_is_int(long long got, long long want, const char *name);
/* Prints a diagnostic line ("# ..."). */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the plan and returns the exit status: 0 when all passed. */
int tap_done(void);

#endif
