/* peek: the heap_info header of glibc arena candidates.
 *
 * An arena heap is a 64 MiB-aligned anonymous rw-p mapping that starts
 * with struct heap_info; the Go heap has the same shape, so only reading
 * the header tells them apart.  This module only reads: the checks of
 * REFERENCE.md 3.4 live in classify, which sees the raw fields. */
#include "config.h"

#include "vmtop/peek.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "vmtop/xalloc.h"

#define HEAP_INFO_SIZE 48
#define STATE_NEXT_OFF 0x870
#define STATE_SYSMEM_OFF 0x888

int peek_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

void peek_decode_heap_info(const unsigned char buf[48], struct heap_probe *p)
{
	p->ar_ptr = get64(buf);
	p->prev = get64(buf + 8);
	p->size = get64(buf + 16);
	p->mprotect_size = get64(buf + 24);
	p->pagesize = get64(buf + 32);
}

/* The state of an arena's first heap follows its heap_info.  Only the
 * span from its next field to its system_mem field is read; offsets into
 * buf are differences of the two, taken before they meet the pointer, so
 * that no pointer outside buf is ever formed. */
static void probe_state(pid_t pid, const struct region *r,
			struct heap_probe *p)
{
	enum { SPAN = STATE_SYSMEM_OFF + 8 - STATE_NEXT_OFF };
	const size_t sysmem_at = STATE_SYSMEM_OFF - STATE_NEXT_OFF;
	unsigned char buf[SPAN];

	/* the region is at least HEAP_INFO_SIZE long (probe_one), so
	 * ar_ptr <= end here and the subtraction cannot wrap */
	if (p->ar_ptr != r->start + HEAP_INFO_SIZE ||
	    r->end - p->ar_ptr < STATE_SYSMEM_OFF + 8)
		return;
	if (peek_read(pid, p->ar_ptr + STATE_NEXT_OFF, buf, sizeof(buf)))
		return;
	p->has_state = true;
	p->next = get64(buf);
	p->system_mem = get64(buf + sysmem_at);
}

static void probe_one(struct vmmap *m, const struct region *r,
		      struct heap_probe *p)
{
	unsigned char buf[HEAP_INFO_SIZE];

	memset(p, 0, sizeof(*p));
	p->addr = r->start;
	if (r->end - r->start < HEAP_INFO_SIZE) {
		p->err = EFAULT;
		return;
	}
	p->err = -peek_read(m->pid, r->start, buf, sizeof(buf));
	if (p->err == EPERM || p->err == EACCES)
		m->missing |= MISSING_MEMORY;
	if (p->err)
		return;
	peek_decode_heap_info(buf, p);
	probe_state(m->pid, r, p);
}

static void probe_region(struct vmmap *m, size_t i, size_t *cap)
{
	XGROW(m->probes, *cap, m->nprobes + 1);
	probe_one(m, &m->regions[i], &m->probes[m->nprobes++]);
}

size_t peek_probe_arenas(struct vmmap *m, const struct maps_notes *notes)
{
	size_t cap = m->nprobes;

	if (notes && notes->listed) {
		/* listed by the reader: no pass over every region */
		for (size_t j = 0; j < notes->ncandidates; j++)
			if (notes->candidates[j] < m->nregions)
				probe_region(m, notes->candidates[j], &cap);
		return m->nprobes;
	}
	for (size_t i = 0; i < m->nregions; i++)
		if (peek_is_candidate(&m->regions[i]))
			probe_region(m, i, &cap);
	return m->nprobes;
}
