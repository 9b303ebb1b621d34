/* hostinfo: memory totals from /proc/meminfo, CPUs and page size. */
#include "config.h"

#include "vmtop/hostinfo.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct meminfo_field {
	const char *name; /* including the colon */
	size_t offset;    /* into struct hostinfo */
};

static const struct meminfo_field meminfo_fields[] = {
	{ "MemTotal:", offsetof(struct hostinfo, mem_total_kib) },
	{ "MemAvailable:", offsetof(struct hostinfo, mem_available_kib) },
	{ "SwapTotal:", offsetof(struct hostinfo, swap_total_kib) },
	{ "SwapFree:", offsetof(struct hostinfo, swap_free_kib) },
};

static void hostinfo_sysconf(struct hostinfo *hi)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long page = sysconf(_SC_PAGESIZE);

	hi->cpus = cpus > 0 ? (int)cpus : 1;
	hi->page_size = page > 0 ? (unsigned long)page : 4096;
}

/* Stores the value of one "Name:   123 kB" line if its name is wanted. */
static void hostinfo_parse_line(struct hostinfo *hi, const char *line,
				unsigned long long *memfree)
{
	unsigned long long v;
	char name[64];

	if (sscanf(line, "%63s %llu", name, &v) != 2)
		return;
	if (strcmp(name, "MemFree:") == 0)
		*memfree = v;
	for (size_t i = 0; i < sizeof(meminfo_fields) / sizeof(*meminfo_fields);
	     i++) {
		if (strcmp(name, meminfo_fields[i].name) == 0)
			*(uint64_t *)((char *)hi + meminfo_fields[i].offset) = v;
	}
}

int hostinfo_read(struct hostinfo *hi, const char *proc_root)
{
	unsigned long long memfree = 0;
	char path[4096], line[256];
	FILE *fp;
	int err;

	memset(hi, 0, sizeof(*hi));
	hostinfo_sysconf(hi);
	snprintf(path, sizeof(path), "%s/meminfo",
		 proc_root ? proc_root : "/proc");
	fp = fopen(path, "re");
	if (!fp)
		return -errno;
	hi->mem_available_kib = UINT64_MAX;
	while (fgets(line, sizeof(line), fp))
		hostinfo_parse_line(hi, line, &memfree);
	err = ferror(fp) ? -EIO : 0;
	fclose(fp);
	if (hi->mem_available_kib == UINT64_MAX)
		hi->mem_available_kib = memfree;
	if (!err && hi->mem_total_kib == 0)
		err = -EINVAL;
	if (err) {
		memset(hi, 0, sizeof(*hi));
		hostinfo_sysconf(hi);
	}
	return err;
}
