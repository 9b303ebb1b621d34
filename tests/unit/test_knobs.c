/* test_knobs: the knobs parsers on crafted blocks (only the table's
 * variables kept, *_OPTIONS filtered, GLIBC_TUNABLES joined back), and
 * knobs_read() on a live child started with a chosen environment and
 * RLIMIT_STACK set with prlimit(), and on itself against getrlimit(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/knobs.h"

#define BLOCK(s) s, sizeof(s) - 1

static const struct knob *find(const struct knobs *k, const char *name,
			       enum knob_from from)
{
	for (size_t i = 0; i < k->nitems; i++)
		if (k->items[i].from == from && !strcmp(k->items[i].name, name))
			return &k->items[i];
	return NULL;
}

static bool holds(const struct knobs *k, const char *s)
{
	for (size_t i = 0; i < k->nitems; i++)
		if (strstr(k->items[i].name, s) || strstr(k->items[i].value, s))
			return true;
	return false;
}

static void test_environ(void)
{
	struct knobs k;
	const struct knob *kn;

	knobs_init(&k);
	knobs_parse_environ(&k, BLOCK("HOME=/root\0MALLOC_ARENA_MAX=2\0"
				      "AWS_SECRET_ACCESS_KEY=hunter2\0"
				      "GLIBC_TUNABLES=glibc.malloc.check=0\0"
				      "glibc.malloc.arena_max=3\0"
				      "JAVA_TOOL_OPTIONS=-Xmx2g -Dpass=hunter2 "
				      "-XX:MaxMetaspaceSize=128m\0"
				      "MALLOC_CONF=narenas:2\0GOGC=50\0"
				      "DOTNET_GCHeapHardLimit=0x10000000\0"
				      "MALLOC_TOP_PAD_=1\0TCMALLOC_X=1"));
	kn = find(&k, "MALLOC_ARENA_MAX", KNOB_ENV);
	tap_ok(kn && !strcmp(kn->value, "2") && kn->effect[0],
	       "MALLOC_ARENA_MAX=2 with its effect");
	tap_ok(!holds(&k, "hunter2") && !holds(&k, "HOME") &&
	       !holds(&k, "AWS_"), "no other variable, no secret option");
	kn = find(&k, "GLIBC_TUNABLES", KNOB_ENV);
	tap_is_str(kn ? kn->value : NULL,
		   "glibc.malloc.check=0:glibc.malloc.arena_max=3",
		   "GLIBC_TUNABLES joined back with ':'");
	tap_ok(find(&k, "MALLOC_CONF", KNOB_ENV) &&
	       find(&k, "GOGC", KNOB_ENV) &&
	       find(&k, "DOTNET_GCHeapHardLimit", KNOB_ENV) &&
	       find(&k, "MALLOC_TOP_PAD_", KNOB_ENV) &&
	       find(&k, "TCMALLOC_X", KNOB_ENV),
	       "jemalloc, Go, .NET, glibc and tcmalloc variables");
	tap_is_int((long long)k.env_hidden, 1, "one option not shown");
	tap_ok(holds(&k, "-Xmx2g") && holds(&k, "-XX:MaxMetaspaceSize=128m"),
	       "the memory options of JAVA_TOOL_OPTIONS");
	knobs_release(&k);
}

static void test_cmdline(void)
{
	struct knobs k;

	knobs_init(&k);
	knobs_parse_cmdline(&k, BLOCK("/usr/bin/java\0-Xss512k\0-Dtoken=x\0"
				      "-XX:+UseZGC\0-cp\0app.jar\0Main"));
	tap_is_int((long long)k.nitems, 2, "two JVM flags of argv");
	tap_ok(holds(&k, "-Xss512k") && holds(&k, "-XX:+UseZGC") &&
	       !holds(&k, "token"), "the memory flags only");
	knobs_release(&k);
	knobs_init(&k);
	knobs_parse_cmdline(&k, BLOCK("-Xmx1g\0"));
	tap_is_int((long long)k.nitems, 0, "argv[0] is not a flag");
	knobs_release(&k);
}

static void test_limits_text(void)
{
	static const char text[] =
		"Limit                     Soft Limit           Hard Limit"
		"           Units     \n"
		"Max data size             unlimited            unlimited"
		"            bytes     \n"
		"Max stack size            8388608              unlimited"
		"            bytes     \n"
		"Max address space         1073741824           2147483648"
		"           bytes     \n";
	struct knobs k;
	char path[64];

	knobs_init(&k);
	tap_is_int(knobs_parse_limits(&k, text), 0, "limits parse");
	tap_ok(k.limit[KNOBS_STACK].read &&
	       k.limit[KNOBS_STACK].soft == 8388608 &&
	       k.limit[KNOBS_STACK].hard == KNOBS_UNLIMITED, "stack");
	tap_ok(k.limit[KNOBS_AS].soft == 1073741824 &&
	       k.limit[KNOBS_AS].hard == 2147483648ULL, "address space");
	tap_ok(k.limit[KNOBS_DATA].soft == KNOBS_UNLIMITED, "data");
	tap_is_int(knobs_parse_limits(&k, "garbage"), -EINVAL, "garbage");
	tap_is_int(knobs_parse_cgroup("1:memory:/x\n0::/user.slice/a b\n",
				      path, sizeof(path)), 0, "cgroup v2 line");
	tap_is_str(path, "/user.slice/a b", "its path");
	tap_is_int(knobs_parse_cgroup("4:memory:/x\n", path, sizeof(path)),
		   -ENOENT, "no v2 line");
	tap_is_int(knobs_parse_cgroup("0::/../../other.slice\n", path,
				      sizeof(path)),
		   -EXDEV, "a cgroup outside our namespace (/../..) is refused");
	tap_is_int(knobs_parse_cgroup("0::/a/..\n", path, sizeof(path)),
		   -EXDEV, "so is any .. component");
	tap_is_int(knobs_parse_cgroup("0::/a..b/c..\n", path, sizeof(path)),
		   0, "dots inside a name are a name");
	knobs_release(&k);
}

/* A child with a chosen environment and RLIMIT_STACK, read live. */
static void test_live(void)
{
	char a0[] = "sleep", a1[] = "30", e0[] = "MALLOC_ARENA_MAX=2",
	     e1[] = "VMTOP_TEST_SECRET=hunter2", e2[] = "PATH=/usr/bin:/bin";
	char *const argv[] = { a0, a1, NULL };
	char *const envp[] = { e0, e1, e2, NULL };
	struct rlimit rl = { 4u << 20, 16u << 20 }, got;
	struct knobs k;
	const struct knob *kn;
	int pfd[2];
	char c;
	pid_t pid;

	if (pipe(pfd))
		return;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		/* the pipe closes at exec: the parent reads after it */
		fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
		execve("/bin/sleep", argv, envp);
		_exit(127);
	}
	close(pfd[1]);
	(void)!read(pfd[0], &c, 1);
	close(pfd[0]);
	/* set from here, on the exec'd child: the kernel's own value
	 * (valgrind keeps a process's own RLIMIT_STACK to itself) */
	if (prlimit(pid, RLIMIT_STACK, &rl, NULL))
		tap_diag("prlimit: %s", strerror(errno));
	tap_is_int(knobs_read(NULL, pid, &k), 0, "knobs_read of a child");
	kn = find(&k, "MALLOC_ARENA_MAX", KNOB_ENV);
	tap_ok(kn && !strcmp(kn->value, "2"), "its MALLOC_ARENA_MAX=2");
	tap_ok(!holds(&k, "hunter2") && !holds(&k, "VMTOP_TEST_SECRET") &&
	       !holds(&k, "PATH"), "and nothing else of its environment");
	tap_ok(k.limit[KNOBS_STACK].soft == 4u << 20 &&
	       k.limit[KNOBS_STACK].hard == 16u << 20,
	       "its RLIMIT_STACK as set: 4 MiB, hard 16 MiB");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	knobs_release(&k);
	tap_is_int(knobs_read(NULL, getpid(), &k), 0, "knobs_read of self");
	getrlimit(RLIMIT_AS, &got);
	tap_ok(k.limit[KNOBS_AS].soft == (got.rlim_cur == RLIM_INFINITY ?
					  KNOBS_UNLIMITED : got.rlim_cur),
	       "RLIMIT_AS as getrlimit() says");
	knobs_release(&k);
	tap_is_int(knobs_read(NULL, 0x3fffff, &k), -ESRCH,
		   "a process that does not exist");
	knobs_release(&k);
}

int main(void)
{
	test_environ();
	test_cmdline();
	test_limits_text();
	test_live();
	return tap_done();
}
