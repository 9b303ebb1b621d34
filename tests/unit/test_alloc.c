/* test_alloc: the allocator, malloc_block and hugetlb parts on captured
 * smaps text (tests/fixtures/alloc, a non-live root) for what is not
 * installed here: mimalloc (1 GiB arena reservation and a 32 MiB
 * segment, VmFlags nr), gperftools' tcmalloc (mmaps without nr: nothing
 * names them, they stay anon), jemalloc (redis-server's layout), and
 * shared memory in huge pages, which Rss leaves out; then the chunk
 * header checks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/chunks.h"
#include "vmtop/classify.h"
#include "vmtop/maptree.h"
#include "vmtop/procmap.h"

static char root[4096];

/* IS() with a formatted name */
#define IS(got, want, ...)                                                  \
	do {                                                                \
		long long g_ = (got), w_ = (want);                          \
		if (!tap_ok(g_ == w_, __VA_ARGS__))                         \
			tap_diag("got %lld, want %lld", g_, w_);            \
	} while (0)

static struct maptree *load(pid_t pid, struct vmmap **m)
{
	int rc = procmap_read(root, pid, PROCMAP_SMAPS, m);

	IS(rc, 0, "captured process %d read", (int)pid);
	if (rc)
		exit(tap_done());
	classify_vmmap(*m, NULL);
	return maptree_build(*m);
}

static const struct maptree_category *cat_of(const struct maptree *t,
					     enum region_kind k)
{
	for (size_t c = 0; c < t->ncategories; c++)
		if (t->categories[c].kind == k)
			return &t->categories[c];
	return NULL;
}

static bool has_insight(const struct maptree *t, const char *id,
			const char *word)
{
	for (size_t k = 0; k < t->ninsights; k++)
		if (!strcmp(t->insights[k].id, id) &&
		    strstr(t->insights[k].text, word))
			return true;
	return false;
}

static void test_allocator(pid_t pid, const char *name, uint64_t vsz_kib,
			   uint64_t anon_kib, const char *knob)
{
	struct vmmap *m;
	struct maptree *t = load(pid, &m);
	const struct maptree_category *a = cat_of(t, KIND_ALLOCATOR);
	const struct maptree_category *n = cat_of(t, KIND_ANON);

	if (!name) {
		tap_ok(!a, "%d: no allocator kind without evidence", (int)pid);
	} else {
		tap_ok(a && a->ngroups == 1 && !strcmp(a->groups[0].name, name),
		       "%d: one allocator group, %s", (int)pid, name);
		IS(a ? (long long)a->t.vsz_kib : -1, (long long)vsz_kib,
			   "%d: its extents' size", (int)pid);
		tap_ok(has_insight(t, "allocator", knob),
		       "%d: the insight names %s", (int)pid, knob);
	}
	IS(n ? (long long)n->t.vsz_kib : 0, (long long)anon_kib,
		   "%d: what has no nr stays anon", (int)pid);
	IS((long long)t->totals.vsz_kib,
		   (long long)m->status_vmsize_kib, "%d: adds up to VmSize",
		   (int)pid);
	maptree_free(t);
	vmmap_free(m);
}

static void test_hugetlb(void)
{
	struct vmmap *m;
	struct maptree *t = load(204, &m);
	const struct maptree_category *s = cat_of(t, KIND_SHARED);
	size_t i = vmmap_find(m, 0x7f0000000000ull);
	bool dsm = false;

	tap_ok(i != SIZE_MAX && (m->regions[i].tags & TAG_HUGETLB),
	       "the huge page segment has the hugetlb tag");
	IS((long long)t->totals.hugetlb_kib, 4096,
		   "hugetlb pages in the totals");
	IS((long long)t->totals.rss_kib, (long long)m->status_vmrss_kib,
		   "rss stays the kernel's Rss, without them");
	IS(s ? (long long)s->t.hugetlb_kib : -1, 4096,
		   "and in the shared category's");
	for (size_t g = 0; s && g < s->ngroups; g++)
		dsm |= !strcmp(s->groups[g].name,
			       "PostgreSQL dynamic shared memory");
	tap_ok(dsm, "/dev/shm/PostgreSQL.<n> is named");
	tap_ok(has_insight(t, "hugetlb", "Rss"), "an insight says so");
	maptree_free(t);
	vmmap_free(m);
}

static void test_header(void)
{
	uint64_t len;

	tap_ok(chunks_header_ok(0, 0x22002, 0x22000, 4096, &len) &&
	       len == 0x22000, "an mmapped chunk header that fits");
	tap_ok(!chunks_header_ok(0, 0x22002, 0x21000, 4096, &len),
	       "longer than the room left: no");
	tap_ok(!chunks_header_ok(0, 0x22003, 0x22000, 4096, &len),
	       "PREV_INUSE set: not an mmapped chunk");
	tap_ok(!chunks_header_ok(0, 0x22006, 0x22000, 4096, &len),
	       "NON_MAIN_ARENA set: not an mmapped chunk");
	tap_ok(!chunks_header_ok(16, 0x22002, 0x22000, 4096, &len),
	       "prev_size not 0: no");
	tap_ok(!chunks_header_ok(0, 0x22802, 0x23000, 4096, &len),
	       "not a page multiple: no");
	tap_ok(!chunks_header_ok(0, 2, 0x23000, 4096, &len),
	       "size 0: no (a walk could not advance)");
}

int main(void)
{
	const char *src = getenv("TOP_SRCDIR");

	snprintf(root, sizeof(root), "%s/tests/fixtures/alloc",
		 src ? src : ".");
	/* 4 MiB + 1020 MiB reservation + 32 MiB segment */
	test_allocator(201, "mimalloc", 1024 * 1024 + 32 * 1024, 132,
		       "MIMALLOC_PURGE_DELAY");
	test_allocator(202, NULL, 0, 128 * 1024 + 2048, NULL);
	test_allocator(203, "jemalloc", 30 * 1024 + 13 * 1024 + 9 * 1024,
		       2172, "MALLOC_CONF");
	test_hugetlb();
	test_header();
	return tap_done();
}
