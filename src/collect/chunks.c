/* chunks: glibc's mmapped chunks of anonymous regions, read with
 * process_vm_readv (REFERENCE.md 3.6).
 *
 * Every walk advances one header per round: a round reads the next
 * header of every walk still going in one process_vm_readv call (one
 * remote iovec each), so a process with many large blocks costs a few
 * system calls, not one per block.  What is read is the target's memory,
 * hostile input: a size is followed only when it is a page multiple that
 * stays inside the region, so a walk never leaves its region and ends
 * after at most region length / page size steps. */
#include "config.h"

#include "vmtop/chunks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "vmtop/xalloc.h"

/* Remote iovecs per call (IOV_MAX is 1024). */
#define CHUNKS_BATCH 512

struct chunks_active {
	size_t walk;          /* index in m->chunks */
	uint64_t next, end;   /* next header, region end */
};

static bool chunks_candidate(const struct region *r)
{
	return r->inode == 0 && r->path[0] == '\0' &&
	       !memcmp(r->perms, "rw-p", 4) &&
	       r->end - r->start >= CHUNKS_MIN_REGION;
}

/* One step of walk a with the 16 bytes read at a->next; returns whether
 * it goes on. */
static bool chunks_step(struct vmmap *m, struct chunks_active *a,
			const uint64_t hdr[2])
{
	struct chunk_walk *w = &m->chunks[a->walk];
	uint64_t len;

	if (!chunks_header_ok(hdr[0], hdr[1], a->end - a->next, m->page_size,
			      &len))
		return false;
	w->nchunks++;
	w->covered += len;
	a->next += len;
	w->complete = a->next == a->end;
	return !w->complete;
}

/* Reads the next header of act[0..n) and advances them; the walks that
 * go on are moved to the front.  *reads counts the headers read.
 * Returns how many go on, or -errno when the process cannot be read. */
static long chunks_round(struct vmmap *m, struct chunks_active *act,
			 size_t n, size_t *reads)
{
	uint64_t buf[CHUNKS_BATCH][2];
	struct iovec remote[CHUNKS_BATCH];
	size_t keep = 0;

	for (size_t done = 0; done < n;) {
		size_t k = n - done < CHUNKS_BATCH ? n - done : CHUNKS_BATCH;
		struct iovec local = { buf, k * sizeof(buf[0]) };
		ssize_t got;
		size_t ok;

		for (size_t j = 0; j < k; j++) {
			remote[j].iov_base =
				(void *)(uintptr_t)act[done + j].next;
			remote[j].iov_len = sizeof(buf[0]);
		}
		got = process_vm_readv(m->pid, &local, 1, remote, k, 0);
		if (got < 0 && (errno == EPERM || errno == EACCES ||
				errno == ESRCH))
			return -errno;
		ok = got < 0 ? 0 : (size_t)got / sizeof(buf[0]);
		*reads += ok + (ok < k);
		for (size_t j = 0; j < ok; j++)
			if (chunks_step(m, &act[done + j], buf[j]))
				act[keep++] = act[done + j];
		if (ok < k) /* the one that failed ends; the rest go on */
			m->chunks[act[done + ok].walk].err =
				got < 0 ? errno : EFAULT;
		done += ok + (ok < k);
	}
	return (long)keep;
}

size_t chunks_walk(struct vmmap *m)
{
	struct chunks_active *act = NULL;
	size_t n = 0, cap = 0, capw = 0, reads = 0;
	unsigned rounds = 0;
	long rc;

	for (size_t i = 0; i < m->nregions && n < CHUNKS_MAX_READS; i++) {
		const struct region *r = &m->regions[i];

		if (!chunks_candidate(r))
			continue;
		XGROW(m->chunks, capw, m->nchunks + 1);
		memset(&m->chunks[m->nchunks], 0, sizeof(m->chunks[0]));
		m->chunks[m->nchunks].addr = r->start;
		XGROW(act, cap, n + 1);
		act[n].walk = m->nchunks++;
		act[n].next = r->start;
		act[n].end = r->end;
		n++;
	}
	while (n && reads < CHUNKS_MAX_READS && rounds++ < CHUNKS_MAX_ROUNDS) {
		/* the budget cuts the last round short, never a read */
		if (n > CHUNKS_MAX_READS - reads) {
			for (size_t k = CHUNKS_MAX_READS - reads; k < n; k++)
				m->chunks[act[k].walk].cut = true;
			n = CHUNKS_MAX_READS - reads;
		}
		rc = chunks_round(m, act, n, &reads);
		if (rc < 0) {
			if (rc == -EPERM || rc == -EACCES)
				m->missing |= MISSING_MEMORY;
			for (size_t k = 0; k < m->nchunks; k++)
				if (!m->chunks[k].complete)
					m->chunks[k].err = (int)-rc;
			break;
		}
		n = (size_t)rc;
	}
	for (size_t k = 0; k < n; k++)  /* still going: out of budget */
		m->chunks[act[k].walk].cut = true;
	free(act);
	return m->nchunks;
}
