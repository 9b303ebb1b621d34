/* test_environ: the arena cap and GODEBUG from environment blocks, and
 * this process's own /proc/self/environ against getenv(). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/environ.h"
#include "vmtop/vmmap.h"

#define BLOCK(s) s, sizeof(s) - 1

static struct environ_knobs knobs(const char *buf, size_t len)
{
	struct environ_knobs k;

	environ_parse(buf, len, &k);
	return k;
}

static void test_arena_max(void)
{
	struct environ_knobs k;

	k = knobs(BLOCK("A=1\0MALLOC_ARENA_MAX=2\0B=3\0"));
	tap_is_int(k.arena_max, 2, "MALLOC_ARENA_MAX=2");
	tap_is_int(k.tunable_arena_max, -1, "no tunable");
	tap_ok(k.godebug == NULL, "no GODEBUG");
	k = knobs(BLOCK("MALLOC_ARENA_MAX=0x10"));
	tap_is_int(k.arena_max, 16, "hex, last entry without NUL");
	k = knobs(BLOCK("MALLOC_ARENA_MAX=4x\0"));
	tap_is_int(k.arena_max, -1, "junk after the number");
	k = knobs(BLOCK("MALLOC_ARENA_MAX=\0"));
	tap_is_int(k.arena_max, -1, "empty value");
	k = knobs(BLOCK("MALLOC_ARENA_MAX=99999999999\0"));
	tap_is_int(k.arena_max, -1, "beyond INT_MAX");
	k = knobs(BLOCK("MALLOC_ARENA_MAX=1\0MALLOC_ARENA_MAX=3\0"));
	tap_is_int(k.arena_max, 3, "last one wins");
	k = knobs(BLOCK("XMALLOC_ARENA_MAX=5\0MALLOC_ARENA_MAXX=6\0"));
	tap_is_int(k.arena_max, -1, "similar names are not it");
	k = knobs(BLOCK(""));
	tap_is_int(k.arena_max, -1, "empty environment");
}

static void test_tunables(void)
{
	struct environ_knobs k;

	k = knobs(BLOCK("GLIBC_TUNABLES=glibc.malloc.arena_max=3\0"));
	tap_is_int(k.tunable_arena_max, 3, "single tunable");
	k = knobs(BLOCK("GLIBC_TUNABLES=glibc.malloc.check=1:"
			"glibc.malloc.arena_max=7:"
			"glibc.malloc.tcache_count=0\0"));
	tap_is_int(k.tunable_arena_max, 7, "in the middle of a list");
	k = knobs(BLOCK("GLIBC_TUNABLES=glibc.malloc.arena_test=2\0"));
	tap_is_int(k.tunable_arena_max, -1, "arena_test is not arena_max");
	k = knobs(BLOCK("GLIBC_TUNABLES=glibc.malloc.arena_max=2:"
			"glibc.malloc.arena_max=5\0"));
	tap_is_int(k.tunable_arena_max, 5, "repeated: last wins");
	k = knobs(BLOCK("GLIBC_TUNABLES=::glibc.malloc.arena_max=:\0"));
	tap_is_int(k.tunable_arena_max, -1, "empty value, empty items");
	k = knobs(BLOCK("MALLOC_ARENA_MAX=1\0GLIBC_TUNABLES="
			"glibc.malloc.arena_max=0x4\0"));
	tap_ok(k.arena_max == 1 && k.tunable_arena_max == 4,
	       "both knobs reported separately");
	/* what glibc 2.36 leaves in /proc/PID/environ after parsing */
	k = knobs(BLOCK("GLIBC_TUNABLES=glibc.malloc.check=0\0"
			"glibc.malloc.arena_max=3\0GODEBUG=x\0"));
	tap_is_int(k.tunable_arena_max, 3, "separators rewritten to NULs");
	tap_ok(k.godebug && k.godebug_len == 1, "and the next variable");
	k = knobs(BLOCK("A=1\0glibc.malloc.arena_max=3\0"));
	tap_is_int(k.tunable_arena_max, -1,
		   "glibc.* away from GLIBC_TUNABLES is not a tunable");
}

static void test_godebug(void)
{
	struct environ_knobs k;

	k = knobs(BLOCK("GODEBUG=netdns=cgo,madvdontneed=1\0"));
	tap_ok(k.godebug && k.godebug_len == 25 &&
	       !memcmp(k.godebug, "netdns=cgo,madvdontneed=1", 25),
	       "GODEBUG value");
	k = knobs(BLOCK("GODEBUG=\0"));
	tap_ok(k.godebug && k.godebug_len == 0, "empty GODEBUG is present");
}

/* Outside truth: our own environment as getenv() sees it. */
static void test_self(void)
{
	struct vmmap *m = vmmap_new(getpid());
	int dirfd = open("/proc/self", O_RDONLY | O_DIRECTORY);
	const char *am = getenv("MALLOC_ARENA_MAX");
	const char *gd = getenv("GODEBUG");

	tap_is_int(environ_read(dirfd, m), 0, "environ_read(/proc/self)");
	tap_ok(m->env.read, "env.read");
	tap_is_int(m->env.arena_max, am ? atoi(am) : -1,
		   "MALLOC_ARENA_MAX as getenv() says");
	tap_is_str(m->env.godebug, gd, "GODEBUG as getenv() says");
	close(dirfd);
	vmmap_free(m);
}

int main(int argc, char **argv)
{
	/* run once more with known values so that test_self sees them */
	if (argc < 2) {
		setenv("MALLOC_ARENA_MAX", "5", 1);
		setenv("GODEBUG", "netdns=go", 1);
		execl("/proc/self/exe", argv[0], "again", (char *)NULL);
	}
	test_arena_max();
	test_tunables();
	test_godebug();
	test_self();
	tap_ok(argc >= 2 && getenv("MALLOC_ARENA_MAX") &&
	       !strcmp(getenv("MALLOC_ARENA_MAX"), "5"),
	       "re-executed with MALLOC_ARENA_MAX=5");
	return tap_done();
}
