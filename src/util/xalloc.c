/* xalloc: allocation that never returns NULL. */
#include "config.h"

#include "vmtop/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*fatal_hook)(void);

void xalloc_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

static void *out_of_memory(size_t n)
{
	if (fatal_hook) {
		void (*hook)(void) = fatal_hook;
		fatal_hook = NULL; /* a hook that allocates must not recurse */
		hook();
	}
	/* exit status 1, as documented for every runtime failure; _exit
	 * because exit() would flush half-written output and run handlers
	 * that may allocate */
	fprintf(stderr, "vmtop: out of memory (%zu bytes)\n", n);
	_exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : out_of_memory(n);
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	return p ? p : out_of_memory(nmemb * size);
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		return out_of_memory(SIZE_MAX);
	size_t bytes = nmemb * size;
	void *q = realloc(p, bytes > 0 ? bytes : 1);

	return q ? q : out_of_memory(bytes);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
