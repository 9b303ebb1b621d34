/* hostinfo: machine-wide figures from /proc/meminfo and sysconf. */
#include "config.h"

#include "vmtop/hostinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t meminfo_value(const char *buf, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, key, klen) == 0 && p[klen] == ':')
			return strtoull(p + klen + 1, NULL, 10);
	return 0;
}

int hostinfo_read(struct hostinfo *h)
{
	char buf[8192];
	ssize_t n;
	int fd;

	memset(h, 0, sizeof(*h));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long pg = sysconf(_SC_PAGESIZE);
	h->cpus = cpus > 0 ? (int)cpus : 1;
	h->page_size = pg > 0 ? (unsigned long)pg : 4096;

	fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	h->mem_total_kib = meminfo_value(buf, "MemTotal");
	h->mem_available_kib = meminfo_value(buf, "MemAvailable");
	h->swap_total_kib = meminfo_value(buf, "SwapTotal");
	h->swap_free_kib = meminfo_value(buf, "SwapFree");
	return 0;
}
