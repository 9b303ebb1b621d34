/* knobs: the memory-related environment, flags, limits and cgroup
 * limits of a process.
 *
 * The environment is read whole (as environ.c does) but only the
 * variables of knobs_env[] are kept: the rest (tokens, passwords) never
 * leaves this file.  knobs_keep_environ(), the filter of a capture's
 * environ, asks the same table, so a knob added to it is captured too.
 * glibc rewrites GLIBC_TUNABLES' ':' separators into NULs in the
 * process's block (environ.c), so the "glibc.*" entries right after it
 * are joined back with ':'.  The cgroup v2 limits come from
 * /sys/fs/cgroup, which is this machine's only under a live proc root. */
#include "config.h"

#include "vmtop/knobs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "vmtop/procfile.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

#define KNOBS_CGROUP_ROOT "/sys/fs/cgroup"
#define KNOBS_CGROUP2_MAGIC 0x63677270 /* linux/magic.h */

struct knobs_def {
	const char *name;
	bool prefix;          /* name is a prefix of the variables */
	bool options;         /* a list of options: keep the memory ones */
	const char *effect;
};

/* Looked up in order: a name before the prefix that covers it. */
static const struct knobs_def knobs_env[] = {
	{ "MALLOC_ARENA_MAX", false, false,
	  "caps glibc's malloc arenas (main one included); each other "
	  "arena maps 64 MiB of VSZ, mostly reserved" },
	{ "MALLOC_ARENA_TEST", false, false,
	  "arenas glibc makes before it looks at the arena cap" },
	{ "MALLOC_MMAP_THRESHOLD_", false, false,
	  "blocks above it get their own mmap, returned to the kernel on "
	  "free (RSS falls at once); fixes glibc's rising threshold" },
	{ "MALLOC_TRIM_THRESHOLD_", false, false,
	  "free memory at the heap's top above it goes back to the kernel "
	  "(RSS)" },
	{ "MALLOC_TOP_PAD_", false, false,
	  "extra bytes each heap growth asks for (VSZ, RSS once touched)" },
	{ "MALLOC_MMAP_MAX_", false, false,
	  "most blocks served by mmap at once; 0 keeps all in the heap and "
	  "arenas" },
	{ "MALLOC_PERTURB_", false, false,
	  "fills blocks with a byte: every block touched counts in RSS" },
	{ "MALLOC_CONF", false, false,
	  "jemalloc: narenas (VSZ), dirty_decay_ms/muzzy_decay_ms (how soon "
	  "freed pages leave RSS), retain:false (VSZ given back)" },
	{ "_RJEM_MALLOC_CONF", false, false,
	  "jemalloc of Rust's tikv-jemallocator: as MALLOC_CONF" },
	{ "MALLOC_", true, false,
	  "a glibc malloc setting (mallopt(3)): arenas (VSZ) or returning "
	  "freed memory (RSS)" },
	{ "GLIBC_TUNABLES", false, false,
	  "glibc tunables: glibc.malloc.arena_max (VSZ), mmap_threshold, "
	  "trim_threshold (RSS); glibc.mem.decorate_maps names mappings" },
	{ "TCMALLOC_", true, false,
	  "tcmalloc: RELEASE_RATE (how fast freed memory leaves RSS), "
	  "thread cache sizes (RSS)" },
	{ "MIMALLOC_", true, false,
	  "mimalloc: ARENA_RESERVE (the 1 GiB VSZ reservation), "
	  "PURGE_DELAY (how soon freed pages leave RSS)" },
	{ "LD_PRELOAD", false, false,
	  "libraries loaded first: a preloaded jemalloc or tcmalloc "
	  "replaces glibc's malloc and its arenas" },
	{ "GODEBUG", false, false,
	  "Go runtime: madvdontneed (RSS returned at once), "
	  "decoratemappings ([anon: Go: ...] names), netdns" },
	{ "GOGC", false, false,
	  "Go's heap grows to (1 + GOGC/100) x the live heap before a GC: "
	  "higher, more RSS; off: no GC" },
	{ "GOMEMLIMIT", false, false,
	  "Go's soft memory limit: the GC works harder to keep RSS under "
	  "it" },
	{ "GOMAXPROCS", false, false,
	  "Go's running threads: each thread's stack, with cgo its glibc "
	  "arena (VSZ)" },
	{ "JAVA_TOOL_OPTIONS", false, true, NULL },
	{ "_JAVA_OPTIONS", false, true, NULL },
	{ "JDK_JAVA_OPTIONS", false, true, NULL },
	{ "NODE_OPTIONS", false, true, NULL },
	{ "UV_THREADPOOL_SIZE", false, false,
	  "libuv's worker threads (default 4): an 8 MiB stack each "
	  "(RLIMIT_STACK) of VSZ" },
	{ "PYTHONMALLOC", false, false,
	  "CPython's allocator: malloc turns pymalloc's arenas off (all in "
	  "malloc)" },
	{ "RUST_MIN_STACK", false, false,
	  "stack size of Rust's std threads (default 2 MiB): VSZ per "
	  "thread" },
	{ "DOTNET_EnableWriteXorExecute", false, false,
	  ".NET W^X: 0 drops the /memfd:doublemapper double mapping (VSZ)" },
	{ "DOTNET_GC", true, false,
	  ".NET GC: HeapHardLimit caps the heap (RSS, and the reservation's "
	  "VSZ), RegionRange sizes the reservation, gen0size gen 0" },
	{ "COMPlus_GC", true, false,
	  ".NET GC (older name of DOTNET_GC*): heap limit and reservation" },
};

/* Flags of a JVM or node, on the command line or in *_OPTIONS. */
static const struct knobs_def knobs_flags[] = {
	{ "-Xmx", true, false,
	  "the Java heap's maximum: its whole reservation is VSZ from the "
	  "start" },
	{ "-XX:MaxHeapSize=", true, false,
	  "the Java heap's maximum (as -Xmx): reserved VSZ" },
	{ "-Xms", true, false, "the Java heap committed at start" },
	{ "-XX:InitialHeapSize=", true, false,
	  "the Java heap committed at start" },
	{ "-Xmn", true, false, "the young generation's size" },
	{ "-Xss", true, false,
	  "Java threads' stack size: VSZ per thread (not ulimit -s)" },
	{ "-XX:ThreadStackSize=", true, false,
	  "Java threads' stack size, KiB: VSZ per thread" },
	{ "-XX:VMThreadStackSize=", true, false,
	  "the JVM's own threads' stack size, KiB" },
	{ "-XX:CompilerThreadStackSize=", true, false,
	  "JIT compiler threads' stack size, KiB" },
	{ "-XX:MaxMetaspaceSize=", true, false,
	  "caps metaspace (64 MiB nodes of VSZ)" },
	{ "-XX:CompressedClassSpaceSize=", true, false,
	  "the class space reservation (1 GiB of VSZ by default)" },
	{ "-XX:ReservedCodeCacheSize=", true, false,
	  "the JIT code cache reservation (240 MiB of VSZ by default)" },
	{ "-XX:MaxDirectMemorySize=", true, false,
	  "caps NIO direct buffers (malloc'd: RSS)" },
	{ "-XX:MaxRAMPercentage=", true, false,
	  "default heap maximum as a share of RAM or the cgroup limit" },
	{ "-XX:InitialRAMPercentage=", true, false,
	  "initial heap as a share of RAM or the cgroup limit" },
	{ "-XX:MaxRAM=", true, false,
	  "the RAM the JVM sizes its default heap from" },
	{ "-XX:+UseZGC", false, false,
	  "ZGC: the heap mapped three times (VSZ x 3) and an 8 GiB mark "
	  "stack reservation" },
	{ "-XX:+Use", true, false,
	  "the collector (its own structures take VSZ and RSS)" },
	{ "-XX:-UsePerfData", false, false,
	  "no hsperfdata: vmtop cannot confirm the JVM's sizes" },
	{ "-XX:NativeMemoryTracking=", true, false,
	  "the JVM's own account: jcmd PID VM.native_memory summary" },
	{ "--max-old-space-size=", true, false,
	  "V8's old generation cap, MiB (the JS heap's RSS)" },
	{ "--max-semi-space-size=", true, false,
	  "V8's young semi-spaces, MiB (RSS)" },
	{ "--stack-size=", true, false, "V8's stack limit, KiB" },
	{ "--v8-pool-size=", true, false,
	  "V8's worker threads: an 8 MiB stack each (VSZ)" },
	{ "--jitless", false, false,
	  "no JIT: the code range's pages stay unwritten" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

const char knobs_cgroup_max_effect[] =
	"the cgroup's hard limit on RSS and page cache: above it the kernel "
	"reclaims, then the OOM killer ends a process; VSZ is not limited";
const char knobs_cgroup_high_effect[] =
	"the cgroup's throttle: above it allocating processes are slowed "
	"and reclaimed, RSS pushed down";

static const struct {
	const char *line;
	const char *name;
	const char *effect;
} knobs_limits[KNOBS__NLIMITS] = {
	[KNOBS_STACK] = { "Max stack size", "RLIMIT_STACK",
			  "the main stack's limit; glibc's default thread "
			  "stack size (8 MiB of VSZ per thread)" },
	[KNOBS_AS] = { "Max address space", "RLIMIT_AS",
		       "caps VSZ: mmap and brk fail beyond it (arenas and "
		       "reservations count, resident or not)" },
	[KNOBS_DATA] = { "Max data size", "RLIMIT_DATA",
			 "caps private writable memory (heap, arenas, "
			 "anonymous maps): VSZ of that kind" },
};

const char *knobs_limit_name(enum knobs_limit_id id)
{
	return id < KNOBS__NLIMITS ? knobs_limits[id].name : "?";
}

const char *knobs_limit_effect(enum knobs_limit_id id)
{
	return id < KNOBS__NLIMITS ? knobs_limits[id].effect : "";
}

void knobs_init(struct knobs *k)
{
	memset(k, 0, sizeof(*k));
	k->env_err = -ENODATA;
	k->argv_err = -ENODATA;
	k->limits_err = -ENODATA;
	k->cg_err = -ENODATA;
}

void knobs_release(struct knobs *k)
{
	for (size_t i = 0; i < k->nitems; i++) {
		free(k->items[i].name);
		free(k->items[i].value);
	}
	free(k->items);
	free(k->cg_path);
	free(k->cg_eff_path);
	knobs_init(k);
}

static void knobs_add(struct knobs *k, enum knob_from from, const char *name,
		      size_t nlen, const char *val, size_t vlen,
		      const char *effect)
{
	struct knob *kn;

	k->items = xreallocarray(k->items, k->nitems + 1, sizeof(*k->items));
	kn = &k->items[k->nitems++];
	kn->from = from;
	kn->name = xstrndup(name, nlen);
	if (vlen > KNOBS_VALUE_MAX) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_add(&sb, val, KNOBS_VALUE_MAX);
		strbuf_addstr(&sb, "...");
		kn->value = strbuf_detach(&sb);
	} else {
		kn->value = xstrndup(val, vlen);
	}
	kn->effect = effect ? effect : "";
}

/* The entry of table for s[0..len) (a variable name or a flag). */
static const struct knobs_def *knobs_find(const struct knobs_def *table,
					  size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(table[i].name);

		if (table[i].prefix ? len >= l && !memcmp(s, table[i].name, l)
				    : len == l && !memcmp(s, table[i].name, l))
			return &table[i];
	}
	return NULL;
}

/* A flag's name: up to '=' for -XX:Name=value and --name=value, the
 * whole word otherwise (the table's prefixes match "-Xmx2g"). */
static const struct knobs_def *knobs_flag(const char *s, size_t len)
{
	return knobs_find(knobs_flags, ARRAY_SIZE(knobs_flags), s, len);
}

const char *knobs_effect(enum knob_from from, const char *name,
			 const char *value)
{
	const struct knobs_def *d;

	if (from == KNOB_ENV)
		d = name ? knobs_find(knobs_env, ARRAY_SIZE(knobs_env), name,
				      strlen(name)) : NULL;
	else
		d = value ? knobs_flag(value, strlen(value)) : NULL;
	return d && d->effect ? d->effect : "";
}

static const struct {
	int err;
	const char *name;
} knobs_errnames[] = {
	{ -EACCES, "EACCES" }, { -EPERM, "EPERM" }, { -ENOENT, "ENOENT" },
	{ -ESRCH, "ESRCH" }, { -ENODEV, "ENODEV" }, { -ENODATA, "ENODATA" },
	{ -EINVAL, "EINVAL" },
};

const char *knobs_errname(int err)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs_errnames); i++)
		if (knobs_errnames[i].err == err)
			return knobs_errnames[i].name;
	return err ? strerror(-err) : "";
}

int knobs_errno(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs_errnames); i++)
		if (!strcmp(knobs_errnames[i].name, name))
			return knobs_errnames[i].err;
	/* strerror()'s text of the others: errno values are small */
	for (int e = 1; e < 256; e++)
		if (!strcmp(strerror(e), name))
			return -e;
	return -EIO;
}

/* The memory options of an *_OPTIONS value, split at blanks; the others
 * are counted, not kept. */
static void knobs_options(struct knobs *k, const char *var, size_t vlen,
			  const char *s, size_t len)
{
	const char *e = s + len;

	while (s < e) {
		const char *w;
		const struct knobs_def *d;

		while (s < e && (*s == ' ' || *s == '\t' || *s == '\n'))
			s++;
		w = s;
		while (s < e && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
		if (s == w)
			break;
		d = knobs_flag(w, (size_t)(s - w));
		if (d)
			knobs_add(k, KNOB_OPTION, var, vlen, w, (size_t)(s - w),
				  d->effect);
		else
			k->env_hidden++;
	}
}

/* The table's entry of the variable of the environment entry s[0..n)
 * ("NAME=value"), and where its value starts; NULL when it is no knob.
 * The one test of what is a knob: knobs_parse_environ() and
 * knobs_keep_environ() both ask it. */
static const struct knobs_def *knobs_env_var(const char *s, size_t n,
					     const char **val)
{
	const char *eq = memchr(s, '=', n);

	if (!eq)
		return NULL;
	*val = eq + 1;
	return knobs_find(knobs_env, ARRAY_SIZE(knobs_env), s,
			  (size_t)(eq - s));
}

/* Whether s[0..n) is an item of GLIBC_TUNABLES that glibc split off: a
 * "glibc." entry right after GLIBC_TUNABLES or another such item
 * (in_tunables), as environ_parse() reads it. */
static bool knobs_is_tunable_item(const char *s, size_t n, bool in_tunables)
{
	return in_tunables && n >= 6 && !memcmp(s, "glibc.", 6);
}

static bool knobs_is_tunables(const char *s, size_t n)
{
	return n >= 15 && !memcmp(s, "GLIBC_TUNABLES=", 15);
}

/* GLIBC_TUNABLES' items that glibc split into entries of their own are
 * joined back to its value (the last item) with ':'. */
static void knobs_tunables_more(struct knobs *k, const char *s, size_t n)
{
	struct knob *last = k->nitems ? &k->items[k->nitems - 1] : NULL;
	struct strbuf sb = STRBUF_INIT;

	if (!last || last->from != KNOB_ENV ||
	    strcmp(last->name, "GLIBC_TUNABLES") != 0 ||
	    strlen(last->value) + 1 + n > KNOBS_VALUE_MAX)
		return;
	strbuf_addstr(&sb, last->value);
	strbuf_addch(&sb, ':');
	strbuf_add(&sb, s, n);
	free(last->value);
	last->value = strbuf_detach(&sb);
}

void knobs_parse_environ(struct knobs *k, const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len;
	bool in_tunables = false;

	while (p < e) {
		const char *nul = memchr(p, '\0', (size_t)(e - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(e - p);
		const struct knobs_def *d;
		const char *val;

		if (knobs_is_tunable_item(p, n, in_tunables)) {
			knobs_tunables_more(k, p, n);
		} else if ((d = knobs_env_var(p, n, &val))) {
			size_t nl = (size_t)(val - 1 - p);
			size_t vl = n - nl - 1;

			if (d->options)
				knobs_options(k, p, nl, val, vl);
			else
				knobs_add(k, KNOB_ENV, p, nl, val, vl,
					  d->effect);
			in_tunables = knobs_is_tunables(p, n);
		} else {
			in_tunables = false;
		}
		p += n + 1;
	}
}

/* Appends to out at *o the memory options of the *_OPTIONS value
 * s[0..len), one blank between them (never longer than s). */
static void knobs_keep_options(const char *s, size_t len, char *out,
			       size_t *o)
{
	const char *e = s + len;
	bool first = true;

	while (s < e) {
		const char *w;

		while (s < e && (*s == ' ' || *s == '\t' || *s == '\n'))
			s++;
		w = s;
		while (s < e && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
		if (s == w)
			break;
		if (!knobs_flag(w, (size_t)(s - w)))
			continue;
		if (!first)
			out[(*o)++] = ' ';
		first = false;
		memcpy(out + *o, w, (size_t)(s - w));
		*o += (size_t)(s - w);
	}
}

size_t knobs_keep_environ(const char *buf, size_t len, char *out)
{
	const char *p = buf, *e = buf + len;
	bool in_tunables = false;
	size_t o = 0;

	while (p < e) {
		const char *nul = memchr(p, '\0', (size_t)(e - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(e - p);
		const struct knobs_def *d = NULL;
		const char *val;

		if (knobs_is_tunable_item(p, n, in_tunables) ||
		    (d = knobs_env_var(p, n, &val))) {
			if (d && d->options) {
				size_t nl = (size_t)(val - p);

				memcpy(out + o, p, nl);
				o += nl;
				knobs_keep_options(val, n - nl, out, &o);
			} else {
				memcpy(out + o, p, n);
				o += n;
			}
			out[o++] = '\0';
			/* an item keeps it; a variable starts or ends it */
			if (d)
				in_tunables = knobs_is_tunables(p, n);
		} else {
			in_tunables = false;
		}
		p += n + 1;
	}
	return o;
}

void knobs_parse_cmdline(struct knobs *k, const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len;
	bool first = true;

	while (p < e) {
		const char *nul = memchr(p, '\0', (size_t)(e - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(e - p);
		const struct knobs_def *d = first ? NULL : knobs_flag(p, n);

		if (d)
			knobs_add(k, KNOB_ARGV, "argv", 4, p, n, d->effect);
		first = false;
		p += n + 1;
	}
}

/* "unlimited" or a decimal number of bytes; -1 for anything else. */
static int knobs_limit_value(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;
	int n = 0;

	while (*p == ' ')
		p++;
	if (!strncmp(p, "unlimited", 9)) {
		*v = KNOBS_UNLIMITED;
		*pp = p + 9;
		return 0;
	}
	for (; *p >= '0' && *p <= '9' && n < 20; p++, n++) {
		if (x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	if (!n)
		return -1;
	*v = x;
	*pp = p;
	return 0;
}

int knobs_parse_limits(struct knobs *k, const char *text)
{
	int found = 0;

	for (int id = 0; id < KNOBS__NLIMITS; id++) {
		const char *key = knobs_limits[id].line, *p = text;
		size_t kl = strlen(key);
		struct knobs_limit *l = &k->limit[id];

		while ((p = strstr(p, key)) && p != text && p[-1] != '\n')
			p += kl;
		if (!p || p[kl] != ' ')
			continue;
		p += kl;
		if (knobs_limit_value(&p, &l->soft) ||
		    knobs_limit_value(&p, &l->hard))
			continue;
		l->read = true;
		found++;
	}
	return found ? 0 : -EINVAL;
}

/* Whether the cgroup path rel has a ".." component. */
static bool knobs_path_climbs(const char *rel)
{
	for (const char *p = rel; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == rel || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

int knobs_parse_cgroup(const char *text, char *out, size_t size)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n >= 4 && !memcmp(p, "0::/", 4)) {
			snprintf(out, size, "%.*s", (int)(n - 3), p + 3);
			/* a cgroup outside the reader's cgroup namespace reads
			 * "/../.." (cgroup_namespaces(7)): not under our
			 * cgroup2 mount, and a ".." must never walk out of
			 * it */
			return knobs_path_climbs(out) ? -EXDEV : 0;
		}
		p = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

/* memory.max or memory.high of the cgroup at rel (under the cgroup2
 * root fd): bytes, KNOBS_UNLIMITED for "max"; -errno when unreadable. */
static int knobs_cg_value(int root, const char *rel, const char *file,
			  uint64_t *v)
{
	char path[4096], buf[64];
	const char *p = buf;
	int fd, n;

	snprintf(path, sizeof(path), "%s%s%s", rel[0] ? rel : "",
		 rel[0] ? "/" : "", file);
	fd = openat(root, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	buf[n] = '\0';
	if (!strncmp(buf, "max", 3)) {
		*v = KNOBS_UNLIMITED;
		return 0;
	}
	return knobs_limit_value(&p, v) ? -EINVAL : 0;
}

/* The process's cgroup and the lowest memory.max on its way up. */
static void knobs_read_cgroup(int dirfd, struct knobs *k)
{
	char text[4096], rel[4096];
	const char *dir = NULL;
	struct statfs sf;
	uint64_t v;
	int root, n;

	n = procfile_read(dirfd, "cgroup", text, sizeof(text));
	if (n < 0) {
		k->cg_err = n;
		return;
	}
	k->cg_err = knobs_parse_cgroup(text, rel, sizeof(rel));
	if (k->cg_err)
		return;
	k->cg_path = xstrdup(rel);
	/* the unified hierarchy: /sys/fs/cgroup, or its "unified" folder
	 * on a hybrid (v1 and v2) machine */
	if (!statfs(KNOBS_CGROUP_ROOT, &sf) && sf.f_type == KNOBS_CGROUP2_MAGIC)
		dir = KNOBS_CGROUP_ROOT;
	else if (!statfs(KNOBS_CGROUP_ROOT "/unified", &sf) &&
		 sf.f_type == KNOBS_CGROUP2_MAGIC)
		dir = KNOBS_CGROUP_ROOT "/unified";
	if (!dir) {
		k->cg_err = -ENODEV;
		return;
	}
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		k->cg_err = -errno;
		return;
	}
	/* rel without its leading '/', relative to the root */
	memmove(rel, rel + 1, strlen(rel));
	k->cg_read = knobs_cg_value(root, rel, "memory.max", &k->cg_max) == 0;
	if (knobs_cg_value(root, rel, "memory.high", &k->cg_high))
		k->cg_high = 0;
	k->cg_eff_max = KNOBS_UNLIMITED;
	for (;;) {
		char *slash;

		if (rel[0] && knobs_cg_value(root, rel, "memory.max", &v) == 0 &&
		    v < k->cg_eff_max) {
			k->cg_eff_max = v;
			free(k->cg_eff_path);
			k->cg_eff_path = xstrdup(rel);
		}
		if (!rel[0])
			break;
		slash = strrchr(rel, '/');
		if (slash)
			*slash = '\0';
		else
			rel[0] = '\0';
	}
	close(root);
}

int knobs_read(const char *proc_root, pid_t pid, struct knobs *k)
{
	struct strbuf sb = STRBUF_INIT;
	char text[4096];
	ssize_t n;
	int dirfd;

	knobs_init(k);
	dirfd = procfile_open_pid(proc_root, pid);
	if (dirfd < 0)
		return dirfd;
	k->env_err = procfile_read_all(dirfd, "environ", 0, &sb);
	if (!k->env_err)
		knobs_parse_environ(k, sb.buf ? sb.buf : "", sb.len);
	k->argv_err = procfile_read_all(dirfd, "cmdline", 0, &sb);
	if (!k->argv_err)
		knobs_parse_cmdline(k, sb.buf ? sb.buf : "", sb.len);
	strbuf_release(&sb);
	n = procfile_read(dirfd, "limits", text, sizeof(text));
	k->limits_err = n < 0 ? (int)n : knobs_parse_limits(k, text);
	if (procfile_is_live(proc_root))
		knobs_read_cgroup(dirfd, k);
	else
		k->cg_err = -ENODEV;
	close(dirfd);
	return 0;
}
