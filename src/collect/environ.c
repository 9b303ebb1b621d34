/* environ: MALLOC_ARENA_MAX, GLIBC_TUNABLES' glibc.malloc.arena_max and
 * GODEBUG from a process's environment block.
 *
 * The block is the process's initial environment (later setenv() calls
 * do not show), which is what glibc read at startup anyway.  glibc 2.36
 * rewrites GLIBC_TUNABLES there while parsing it: the ':' separators
 * become NULs, so the entries after it that start with "glibc." are
 * still its items (seen in a captured environ: "GLIBC_TUNABLES=
 * glibc.malloc.check=0\0glibc.malloc.arena_max=3\0"). */
#include "config.h"

#include "vmtop/environ.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/procfile.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

/* Decimal or 0x-hex, the whole of s[0..len), at most INT_MAX; else -1. */
static int parse_int(const char *s, size_t len)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		unsigned c = (unsigned char)s[i], d;

		if (c - '0' < 10u)
			d = c - '0';
		else if (base == 16 && (c | 0x20) - 'a' < 6u)
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * base + d;
		if (v > INT_MAX)
			return -1;
	}
	return (int)v;
}

static bool has_prefix(const char *s, size_t len, const char *pfx,
		       size_t plen)
{
	return len >= plen && !memcmp(s, pfx, plen);
}

/* GLIBC_TUNABLES is "name=value:name=value..."; the last match wins. */
static void parse_tunables(const char *s, size_t len, int *arena_max)
{
	static const char key[] = "glibc.malloc.arena_max=";
	const char *e = s + len;

	while (s < e) {
		const char *colon = memchr(s, ':', (size_t)(e - s));
		size_t n = colon ? (size_t)(colon - s) : (size_t)(e - s);

		if (has_prefix(s, n, key, sizeof(key) - 1))
			*arena_max = parse_int(s + sizeof(key) - 1,
					       n - (sizeof(key) - 1));
		s += n + 1;
	}
}

#define VAR(s) s, sizeof(s) - 1

/* Returns whether the entry was GLIBC_TUNABLES (or its continuation). */
static bool parse_entry(const char *s, size_t n, struct environ_knobs *k,
			bool in_tunables)
{
	if (in_tunables && has_prefix(s, n, VAR("glibc."))) {
		parse_tunables(s, n, &k->tunable_arena_max);
		return true;
	}
	if (has_prefix(s, n, VAR("MALLOC_ARENA_MAX=")))
		k->arena_max = parse_int(s + 17, n - 17);
	else if (has_prefix(s, n, VAR("GLIBC_TUNABLES="))) {
		parse_tunables(s + 15, n - 15, &k->tunable_arena_max);
		return true;
	} else if (has_prefix(s, n, VAR("GODEBUG="))) {
		k->godebug = s + 8;
		k->godebug_len = n - 8;
	}
	return false;
}

void environ_parse(const char *buf, size_t len, struct environ_knobs *k)
{
	const char *p = buf, *e = buf + len;
	bool in_tunables = false;

	k->arena_max = -1;
	k->tunable_arena_max = -1;
	k->godebug = NULL;
	k->godebug_len = 0;
	while (p < e) {
		const char *nul = memchr(p, '\0', (size_t)(e - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(e - p);

		in_tunables = parse_entry(p, n, k, in_tunables);
		p += n + 1;
	}
}

int environ_read(int dirfd, struct vmmap *m)
{
	struct environ_knobs k;
	struct strbuf sb = STRBUF_INIT;
	int rc = procfile_read_all(dirfd, "environ", 0, &sb);

	if (rc < 0) {
		strbuf_release(&sb);
		return rc;
	}
	environ_parse(sb.buf ? sb.buf : "", sb.len, &k);
	m->env.read = true;
	m->env.arena_max = k.arena_max;
	m->env.tunable_arena_max = k.tunable_arena_max;
	free(m->env.godebug);
	m->env.godebug = k.godebug ? xstrndup(k.godebug, k.godebug_len)
				   : NULL;
	strbuf_release(&sb);
	return 0;
}
