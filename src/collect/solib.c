/* solib: a shared object's bss, from its program headers.  The ELF
 * parsing is exeinfo's (exeinfo_loads()); this module finds the files
 * worth reading, opens them safely and turns the headers into
 * addresses.  The file may be another user's: its bytes are read with
 * one bounded pread and parsed by the bounds-checked exeinfo. */
#include "config.h"

#include "vmtop/solib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/exeinfo.h"
#include "vmtop/procfile.h"
#include "vmtop/xalloc.h"

/* x rounded up to a multiple of page (a power of two); false on
 * overflow. */
static bool page_up(uint64_t x, uint64_t page, uint64_t *out)
{
	if (x > UINT64_MAX - (page - 1))
		return false;
	*out = (x + page - 1) & ~(page - 1);
	return true;
}

int solib_span(const unsigned char *buf, size_t len, uint64_t first_start,
	       uint64_t first_offset, uint64_t page, struct vmsolib *out)
{
	struct exeinfo_loads ld;
	uint64_t vdown, data, mem;

	if (!page || (page & (page - 1)) || exeinfo_loads(buf, len, &ld) < 0)
		return -EINVAL;
	/* the first region maps the first PT_LOAD's first page */
	vdown = ld.first_vaddr & ~(page - 1);
	if ((ld.first_offset & ~(page - 1)) != first_offset ||
	    first_start < vdown)
		return -EINVAL;
	out->path = NULL;
	out->base = first_start - vdown;
	if (ld.last_vaddr > UINT64_MAX - out->base)
		return -EINVAL;
	data = out->base + ld.last_vaddr;
	/* exeinfo_loads checked filesz <= memsz and vaddr + memsz */
	if (ld.last_memsz > UINT64_MAX - data)
		return -EINVAL;
	mem = data + ld.last_memsz;
	data += ld.last_filesz;
	if (!page_up(data, page, &out->data_end) ||
	    !page_up(mem, page, &out->mem_end))
		return -EINVAL;
	return 0;
}

/* Reads the head of region first's file and fills *out.  Returns 0 or
 * -errno. */
static int solib_look(int dirfd, const struct region *first,
		      uint64_t page, struct vmsolib *out)
{
	unsigned char buf[SOLIB_HEAD_BYTES];
	ssize_t n;
	int fd = procfile_open_mapped(dirfd, first);

	if (fd < 0)
		return fd;
	n = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	if (n < 0)
		return -errno;
	return solib_span(buf, (size_t)n, first->start, first->offset, page,
			  out);
}

/* Whether region b is an anonymous rw-p region right after a. */
static bool solib_anon_after(const struct region *a, const struct region *b)
{
	return b->start == a->end && b->path[0] == '\0' && b->inode == 0 &&
	       memcmp(b->perms, "rw-p", 4) == 0;
}

/* prev's record of the object whose first region is first, when prev
 * had the same file (device, inode, offset, path) mapped at the same
 * address: the headers say the same, no need to read them again. */
static const struct vmsolib *solib_known(const struct vmmap *prev,
					 const struct region *first)
{
	size_t lo = 0, hi = prev ? prev->nregions : 0;
	const struct region *r = NULL;

	while (lo < hi) { /* regions are sorted by start */
		size_t mid = lo + (hi - lo) / 2;

		if (prev->regions[mid].start < first->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (prev ? prev->nregions : 0))
		r = &prev->regions[lo];
	if (!r || r->start != first->start || r->inode != first->inode ||
	    r->offset != first->offset || r->dev_major != first->dev_major ||
	    r->dev_minor != first->dev_minor || strcmp(r->path, first->path))
		return NULL;
	for (size_t k = 0; k < prev->nsolibs; k++)
		if (prev->solibs[k].path == r->path)
			return &prev->solibs[k];
	return NULL;
}

size_t solib_read(int dirfd, struct vmmap *m, const struct vmmap *prev)
{
	size_t cap = 0, looks = 0, i = 0;

	free(m->solibs);
	m->solibs = NULL;
	m->nsolibs = 0;
	while (i < m->nregions) {
		const struct region *first = &m->regions[i];
		size_t j = i + 1;
		struct vmsolib s;

		if (first->path[0] != '/') {
			i++;
			continue;
		}
		/* one object: the run of regions sharing its path string */
		while (j < m->nregions && m->regions[j].path == first->path)
			j++;
		i = j;
		if (j >= m->nregions ||
		    memcmp(m->regions[j - 1].perms, "rw-p", 4) != 0 ||
		    !solib_anon_after(&m->regions[j - 1], &m->regions[j]))
			continue;
		if (solib_known(prev, first)) {
			s = *solib_known(prev, first);
		} else {
			if (looks++ >= SOLIB_MAX_LOOKS)
				break;
			if (solib_look(dirfd, first, m->page_size, &s) < 0)
				continue;
		}
		s.path = first->path;
		XGROW(m->solibs, cap, m->nsolibs + 1);
		m->solibs[m->nsolibs++] = s;
	}
	return m->nsolibs;
}
