/* xalloc: allocation that never returns NULL.
 *
 * On failure the registered fatal hook runs (the TUI uses it to restore the
 * terminal), a message goes to stderr and the program ends with
 * status 1 (_exit: no atexit handler runs). */
#ifndef VMTOP_XALLOC_H
#define VMTOP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
/* Like realloc(); grows p to nmemb * size bytes, checking for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Called once, before exiting on allocation failure.  NULL clears it. */
void xalloc_set_fatal_hook(void (*hook)(void));

/* Grow *array (of *cap elements of size) so that it holds at least need. */
#define XGROW(array, cap, need)                                             \
	do {                                                                \
		if ((need) > (cap)) {                                       \
			size_t xg_new_ = (cap) ? (cap) * 2 : 16;            \
			while (xg_new_ < (need))                            \
				xg_new_ *= 2;                               \
			(array) = xreallocarray((array), xg_new_,           \
						sizeof(*(array)));          \
			(cap) = xg_new_;                                    \
		}                                                           \
	} while (0)

#endif
