/* fuzz_proctable: /proc/PID/stat and statm text through the process
 * list's parsers, each from a buffer of exactly the input's length, and
 * the same bytes as smaps_rollup and maps text through procmem's.
 * What stat's parser accepts is read again naively (split on spaces after
 * the last ')', strtoull) and must give the same fields. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmtop/procmem.h"
#include "vmtop/proctable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Field n (4 and up) of an accepted stat text, the naive way. */
static unsigned long long naive_field(const char *text, int n)
{
	const char *p = strrchr(text, ')') + 2; /* at the state */

	for (int f = 3; f < n; f++) {
		p = strpbrk(p, " \n");
		if (!p)
			abort(); /* accepted, yet fewer fields */
		while (*p == ' ' || *p == '\n')
			p++;
	}
	return strtoull(p, NULL, 10);
}

static void check_stat(const char *buf, size_t size)
{
	struct proc_stat f;
	unsigned long long utime, stime, ticks;
	char *z;

	if (proctable_parse_stat(buf, size, &f) != 0)
		return;
	if (f.comm < buf + 1 || f.comm + f.comm_len >= buf + size ||
	    f.comm[-1] != '(' || f.comm[f.comm_len] != ')' ||
	    f.state <= ' ' || f.state > '~' || f.ppid < 0 || f.threads < 0)
		abort();
	/* a NUL before the last ')' hides it from the naive reader */
	if (memchr(buf, '\0', size))
		return;
	z = malloc(size + 1);
	if (!z)
		abort();
	memcpy(z, buf, size);
	z[size] = '\0';
	if (strrchr(z, ')') != z + (f.comm + f.comm_len - buf))
		abort();
	utime = naive_field(z, 14);
	stime = naive_field(z, 15);
	ticks = utime + stime < utime ? ULLONG_MAX : utime + stime;
	if (naive_field(z, 4) != (unsigned long long)f.ppid ||
	    naive_field(z, 9) != f.flags ||
	    naive_field(z, 20) != (unsigned long long)f.threads ||
	    ticks != f.ticks || naive_field(z, 22) != f.start)
		abort();
	free(z);
}

static void check_statm(const char *buf, size_t size)
{
	unsigned long long a, b;
	char *z, *e;

	if (proctable_parse_statm(buf, size, &a, &b) != 0)
		return;
	z = malloc(size + 1);
	if (!z)
		abort();
	memcpy(z, buf, size);
	z[size] = '\0';
	if (strtoull(z, &e, 10) != a || strtoull(e, NULL, 10) != b)
		abort();
	free(z);
	unsigned long long sd[2];
	if (proctable_parse_statm_all(buf, size, &a, &b, sd) != 0)
		abort(); /* the first two fields parsed above */
}

/* procmem's parsers: any bytes, no read past them; a maps text fed
 * whole or in two pieces at a line boundary counts the same. */
static void check_procmem(const char *buf, size_t size)
{
	struct procmem_rollup r;
	struct procmem_maps_parse p;
	struct procmem_maps whole, split;
	const char *nl = memchr(buf, '\n', size);

	if (procmem_parse_rollup(buf, size, &r) == 0 && r.pss_kib > 1ull << 62)
		abort(); /* at most 19 digits are taken */
	procmem_maps_init(&p);
	procmem_maps_feed(&p, buf, size);
	procmem_maps_end(&p, &whole);
	if (!nl)
		return;
	procmem_maps_init(&p);
	procmem_maps_feed(&p, buf, (size_t)(nl + 1 - buf));
	procmem_maps_feed(&p, nl + 1, size - (size_t)(nl + 1 - buf));
	procmem_maps_end(&p, &split);
	if (memcmp(&whole, &split, sizeof(whole)) || whole.arenas > whole.maps)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);

	if (!buf)
		abort();
	memcpy(buf, data, size);
	check_stat(buf, size);
	check_statm(buf, size);
	check_procmem(buf, size);
	free(buf);
	return 0;
}
