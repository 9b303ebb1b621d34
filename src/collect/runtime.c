/* runtime: the language runtime and the allocators of a process, named by
 * what it maps (REFERENCE.md 7.1).  Each rule is an exact file name (or
 * a name with a version after a fixed prefix); a name matched nowhere
 * else in the map is evidence enough, since the runtime loads it to run.
 * Statically linked allocators and runtimes are named by the symbols
 * exeinfo found in the executable (vmexe.syms). */
#include "config.h"

#include "vmtop/runtime.h"

#include <string.h>

/* Whether base is prefix followed by nothing, or by ".so" and a version
 * ("libjemalloc.so.2"). */
static bool runtime_lib(const char *base, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(base, prefix, n) == 0 &&
	       (base[n] == '\0' || strncmp(base + n, ".so", 3) == 0);
}

/* "3.11" from "python3.11", "libpython3.11.so.1.0", "libpython3.11d.so":
 * the digits and one dot after prefix; false when there are none. */
static bool runtime_pyver(const char *base, const char *prefix,
			  bool lib, char *ver, size_t size)
{
	size_t n = strlen(prefix), k = 0;
	const char *p = base + n;

	if (strncmp(base, prefix, n) != 0 || p[0] != '3' || p[1] != '.')
		return false;
	for (k = 2; p[k] >= '0' && p[k] <= '9'; k++)
		;
	if (k == 2 || k >= size)
		return false;
	/* an executable is exactly "python3.N"; a library goes on with
	 * ".so" or an ABI letter then ".so" */
	if (!lib && p[k] != '\0')
		return false;
	if (lib && !strstr(p + k, ".so"))
		return false;
	memcpy(ver, p, k);
	ver[k] = '\0';
	return true;
}

/* The digits right after marker in path ("/usr/lib/jvm/java-17-..." with
 * "/java-"), into ver; nothing when there are none. */
static void runtime_path_version(const char *path, const char *marker,
				 char *ver, size_t size)
{
	const char *p = strstr(path, marker);
	size_t k = 0;

	if (!p)
		return;
	p += strlen(marker);
	while (p[k] >= '0' && p[k] <= '9' && k + 1 < size)
		k++;
	if (k && (p[k] == '-' || p[k] == '/' || p[k] == '.')) {
		memcpy(ver, p, k);
		ver[k] = '\0';
	}
}

static void runtime_set(struct vmruntime *o, enum vmmap_runtime rt,
			const char *evidence)
{
	/* the first runtime found stays: node embedding python is node */
	if (o->rt == RT_NONE) {
		o->rt = rt;
		o->evidence = evidence;
	}
}

/* One mapped file, by its base name. */
static void runtime_file(struct vmruntime *o, const char *path,
			 const char *base)
{
	char ver[sizeof(o->version)];

	if (runtime_lib(base, "libc.so.6") || !strcmp(base, "libc.so.6"))
		o->alloc |= ALLOC_GLIBC;
	else if (runtime_lib(base, "libjemalloc"))
		o->alloc |= ALLOC_JEMALLOC;
	else if (runtime_lib(base, "libtcmalloc") ||
		 runtime_lib(base, "libtcmalloc_minimal"))
		o->alloc |= ALLOC_TCMALLOC;
	else if (runtime_lib(base, "libmimalloc"))
		o->alloc |= ALLOC_MIMALLOC;
	else if (!strncmp(base, "ld-musl-", 8) ||
		 !strncmp(base, "libc.musl-", 10))
		o->alloc |= ALLOC_MUSL;
	else if (!strcmp(base, "libjvm.so")) {
		runtime_set(o, RT_JVM, "libjvm.so mapped");
		if (o->rt == RT_JVM)
			runtime_path_version(path, "/java-", o->version,
					     sizeof(o->version));
	} else if (runtime_lib(base, "libnode") || !strcmp(base, "node") ||
		   !strcmp(base, "nodejs"))
		runtime_set(o, RT_V8, base[0] == 'l' ? "libnode.so mapped" :
				       "node executable mapped");
	else if (runtime_pyver(base, "python", false, ver, sizeof(ver)) ||
		 runtime_pyver(base, "libpython", true, ver, sizeof(ver))) {
		runtime_set(o, RT_PYTHON, base[0] == 'l' ?
			    "libpython3.X.so mapped" :
			    "python3.X executable mapped");
		if (o->rt == RT_PYTHON && !o->version[0])
			memcpy(o->version, ver, sizeof(ver));
	} else if (!strcmp(base, "libcoreclr.so"))
		runtime_set(o, RT_DOTNET, "libcoreclr.so mapped");
	else if (!strcmp(base, "beam.smp"))
		runtime_set(o, RT_ERLANG, "beam.smp executable mapped");
	else if (!strcmp(base, "postgres")) {
		runtime_set(o, RT_POSTGRES, "postgres executable mapped");
		if (o->rt == RT_POSTGRES)
			runtime_path_version(path, "/postgresql/", o->version,
					     sizeof(o->version));
	}
}

void runtime_detect(struct vmmap *m)
{
	struct vmruntime *o = &m->rt;
	const char *last = NULL;

	memset(o, 0, sizeof(*o));
	o->evidence = "";
	for (size_t i = 0; i < m->nregions; i++) {
		const char *p = m->regions[i].path, *b;

		/* segments of one file share their path string */
		if (p == last || p[0] != '/')
			continue;
		last = p;
		b = strrchr(p, '/') + 1;
		runtime_file(o, p, b);
	}
	if (m->exe.read) {
		o->alloc |= m->exe.syms & (ALLOC_JEMALLOC | ALLOC_TCMALLOC |
					   ALLOC_MIMALLOC);
		if (m->exe.interp && strstr(m->exe.interp, "ld-musl"))
			o->alloc |= ALLOC_MUSL;
		if (m->exe.syms & EXE_SYM_V8)
			runtime_set(o, RT_V8, "V8's API in the executable");
		if (m->exe.syms & EXE_SYM_PYTHON)
			runtime_set(o, RT_PYTHON,
				    "Py_Initialize in the executable");
	}
}
