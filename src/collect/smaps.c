/* smaps: per-mapping counters, read in one pass.
 *
 * smaps is maps with about 25 "Key: value kB" lines after every header,
 * so it is read alone (never maps + smaps): its header lines make the
 * regions and its key lines fill their counters, in the same streaming
 * loop maps uses.
 *
 * Key lines have one parser that is the reference, smaps_parse_field():
 * line by line, by key name, since kernels add and drop keys and may
 * one day print them otherwise.  In front of it sits one fast path,
 * fixed_lines(), for the lines as today's kernels print them; it takes a
 * line only when the reference would read it alike and leaves it to the
 * reference otherwise, so the result never depends on which one read a
 * line.  The unit test and the fuzzer check that on every input, cut
 * into pieces anywhere (smaps_parse_pieces()).  The reference alone
 * takes about three times as long (60 000 mappings: 39 ms against 12,
 * the copying of the text included). */
#include "config.h"

#include "vmtop/smaps.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/maps.h"
#include "vmtop/procfile.h"
#include "vmtop/xalloc.h"

#define IGNORED (-1)

struct smaps_key {
	const char *name;
	unsigned char len;
	signed char field;  /* enum smaps_field, SMAPS_VMFLAGS or IGNORED */
	bool bare;          /* a number without " kB" */
};

#define KEY(s, f) { s, sizeof(s) - 1, f, false }
#define BARE(s) { s, sizeof(s) - 1, IGNORED, true }

/* In the order a 6.x kernel prints them in smaps. */
static const struct smaps_key keys[] = {
	KEY("Size", SM_SIZE),
	KEY("KernelPageSize", SM_KERNEL_PAGE_SIZE),
	KEY("MMUPageSize", SM_MMU_PAGE_SIZE),
	KEY("Rss", SM_RSS),
	KEY("Pss", SM_PSS),
	KEY("Pss_Dirty", SM_PSS_DIRTY),
	KEY("Shared_Clean", SM_SHARED_CLEAN),
	KEY("Shared_Dirty", SM_SHARED_DIRTY),
	KEY("Private_Clean", SM_PRIVATE_CLEAN),
	KEY("Private_Dirty", SM_PRIVATE_DIRTY),
	KEY("Referenced", SM_REFERENCED),
	KEY("Anonymous", SM_ANONYMOUS),
	KEY("KSM", SM_KSM),
	KEY("LazyFree", SM_LAZYFREE),
	KEY("AnonHugePages", SM_ANON_HUGE_PAGES),
	KEY("ShmemPmdMapped", SM_SHMEM_PMD_MAPPED),
	KEY("FilePmdMapped", SM_FILE_PMD_MAPPED),
	KEY("Shared_Hugetlb", SM_SHARED_HUGETLB),
	KEY("Private_Hugetlb", SM_PRIVATE_HUGETLB),
	KEY("Swap", SM_SWAP),
	KEY("SwapPss", SM_SWAP_PSS),
	KEY("Locked", SM_LOCKED),
	BARE("THPeligible"),
	BARE("ProtectionKey"),
	KEY("VmFlags", SMAPS_VMFLAGS),
	/* smaps_rollup only: last, so they do not break smaps' sequence */
	KEY("Pss_Anon", IGNORED),
	KEY("Pss_File", IGNORED),
	KEY("Pss_Shmem", IGNORED),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int find_key(const char *k, size_t len, unsigned *hint)
{
	unsigned h = hint ? *hint : 0;

	if (h < NKEYS && keys[h].len == len && !memcmp(keys[h].name, k, len))
		goto found;
	for (h = 0; h < NKEYS; h++)
		if (keys[h].len == len && !memcmp(keys[h].name, k, len))
			goto found;
	return -1;
found:
	if (hint)
		*hint = h + 1;
	return (int)h;
}

static int parse_value(const char *p, const char *e, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0;

	while (p < e && *p == ' ')
		p++;
	while (p < e && (unsigned char)(*p - '0') < 10u) {
		if (++n > 19)
			return -EINVAL;
		x = x * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (n == 0)
		return -EINVAL;
	*v = x;
	return 0;
}

int smaps_parse_field(const char *line, size_t len, uint64_t sm[SM__COUNT],
		      unsigned *hint, const char **flags, size_t *flags_len)
{
	const char *colon = memchr(line, ':', len), *e = line + len;
	const char *p;
	uint64_t v;
	int k;

	if (!colon || colon == line)
		return -EINVAL;
	k = find_key(line, (size_t)(colon - line), hint);
	if (k < 0 || keys[k].field == IGNORED)
		return -ENOENT;
	if (keys[k].field == SMAPS_VMFLAGS) {
		for (p = colon + 1; p < e && *p == ' '; p++)
			;
		while (e > p && e[-1] == ' ')
			e--;  /* the kernel ends the list with a space */
		*flags = p;
		*flags_len = (size_t)(e - p);
		return SMAPS_VMFLAGS;
	}
	if (parse_value(colon + 1, e, &v) < 0)
		return -EINVAL;
	sm[keys[k].field] = v;
	return keys[k].field;
}

/* A header starts with a hex digit; key names start with a capital. */
static inline bool is_header(const char *p)
{
	return (unsigned char)(*p - '0') < 10u ||
	       (unsigned char)(*p - 'a') < 6u;
}

static inline uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The kernel prints "Key:" padded with spaces to 16 columns, then the
 * value right-aligned in 8, then " kB\n" (seq_put_decimal_ull_width()):
 * "Rss:                 132 kB\n" is 28 bytes; THPeligible and
 * ProtectionKey have no unit (25 bytes).  The fast path reads such lines
 * at fixed positions; any other line is the reference parser's. */
#define FIXED_KEY 16
#define FIXED_LINE 28
#define FIXED_BARE 25

/* A key's fixed line: "Key:" + spaces (16 bytes), the value's 8, then
 * the 4 bytes at offset 24 under tail_mask (" kB\n"; for a bare number
 * its newline, the rest being the next line's); len is 0 for a key
 * without one (VmFlags). */
struct fixed_key {
	uint64_t w[2];
	uint32_t tail, tail_mask;
	unsigned char len;
	signed char field;  /* its enum smaps_field when kept, else -1 */
};

struct smaps_ctx {
	struct maps_sink sink;
	bool fast;          /* the fast path may take lines (fixed_lines()) */
	bool keep_all;      /* PROCMAP_SMAPS_ALL: every counter and VmFlags */
	bool have_cur;      /* the last header parsed: keys belong to it */
	unsigned hint;      /* the key expected next (see find_key()) */
	uint64_t sm[SM__COUNT]; /* the current block's counters */
	const char *flags;  /* the current block's VmFlags (pool), or NULL */
	const char *last_flags;
	size_t last_flags_len;
	size_t ref_lines;   /* key lines the reference read */
	unsigned vmflags_key; /* VmFlags' index in keys[] */
	struct fixed_key fixed[NKEYS];
};

/* Without keep_all only what the compact counters of struct region are
 * made of (vmmap_region_set_compact()) is kept; the other lines are only
 * recognised and stepped over. */
static bool key_needed(int field, bool keep_all)
{
	if (field < 0 || field == SMAPS_VMFLAGS)
		return false;
	return keep_all || field == SM_RSS || field == SM_PSS ||
	       field == SM_SWAP || field == SM_PRIVATE_DIRTY ||
	       field == SM_SHARED_DIRTY || field == SM_SHARED_HUGETLB ||
	       field == SM_PRIVATE_HUGETLB;
}

static void ctx_init(struct smaps_ctx *c, struct vmmap *m, bool check_fs,
		     bool keep_all, bool fast, struct maps_notes *notes)
{
	memset(c, 0, sizeof(*c));
	c->keep_all = keep_all;
	c->fast = fast;
	for (size_t i = 0; i < NKEYS; i++) {
		struct fixed_key *f = &c->fixed[i];
		char word[FIXED_KEY];

		f->field = key_needed(keys[i].field, keep_all) ?
			   keys[i].field : -1;
		if (keys[i].field == SMAPS_VMFLAGS)
			c->vmflags_key = (unsigned)i;
		if (keys[i].len + 1u > FIXED_KEY ||
		    keys[i].field == SMAPS_VMFLAGS)
			continue;
		f->len = keys[i].bare ? FIXED_BARE : FIXED_LINE;
		memset(word, ' ', sizeof(word));
		memcpy(word, keys[i].name, keys[i].len);
		word[keys[i].len] = ':';
		f->w[0] = load64(word);
		f->w[1] = load64(word + 8);
		f->tail = keys[i].bare ? load32("\n\0\0") : load32(" kB\n");
		f->tail_mask = keys[i].bare ? load32("\xff\0\0") :
			       UINT32_MAX;
	}
	maps_sink_init(&c->sink, m, check_fs, notes);
}

static struct region *last_region(struct smaps_ctx *c)
{
	return &c->sink.m->regions[c->sink.m->nregions - 1];
}

/* hugetlb pages are not in Rss (REFERENCE.md 2.2): a region with any
 * gets an entry of its own, so that the tree can show them. */
static void note_hugetlb(struct vmmap *m, const struct region *r,
			 const uint64_t sm[SM__COUNT])
{
	uint64_t s = sm[SM_SHARED_HUGETLB], p = sm[SM_PRIVATE_HUGETLB];
	struct region_hugetlb *h;

	if (s == VMMAP_UNKNOWN)
		s = 0;
	if (p == VMMAP_UNKNOWN)
		p = 0;
	if (!s && !p)
		return;
	h = vmmap_add_hugetlb(m);
	h->start = r->start;
	h->shared_kib = s;
	h->private_kib = p;
}

/* The block of the last header is complete: its counters go to its
 * region. */
static void end_block(struct smaps_ctx *c)
{
	if (!c->have_cur)
		return;
	/* known and non-zero: VMMAP_UNKNOWN + 1 wraps to 0 */
	if (c->sm[SM_SHARED_HUGETLB] + 1 > 1 ||
	    c->sm[SM_PRIVATE_HUGETLB] + 1 > 1)
		note_hugetlb(c->sink.m, last_region(c), c->sm);
	if (c->keep_all)
		vmmap_region_set_smaps(c->sink.m, last_region(c), c->sm,
				       c->flags, true);
	else
		vmmap_region_set_compact(last_region(c), c->sm);
	c->have_cur = false;
}

static void on_header(struct smaps_ctx *c, char *p, size_t n)
{
	struct maps_line ml;

	end_block(c);
	if (maps_parse_line(p, n, &ml) < 0)
		return;
	maps_sink_add(&c->sink, &ml);
	c->have_cur = true;
	c->hint = 0;
	c->flags = NULL;
	memset(c->sm, 0xff, sizeof(c->sm));
}

/* An anonymous region mapped with MAP_NORESERVE (VmFlags nr) is listed:
 * jemalloc's and mimalloc's extents are (classify_alloc), glibc's
 * malloc() blocks and stacks are not.  Its size is left out of the
 * test: the flags line is short, the anonymous check comes first. */
static void note_noreserve(struct smaps_ctx *c, const char *f, size_t n)
{
	struct vmmap *m = c->sink.m;
	const struct region *r = last_region(c);

	if (r->inode != 0 || r->path[0] != '\0')
		return;
	for (size_t k = 0; k + 2 <= n; k += 3)  /* "rd wr nr": every third */
		if (f[k] == 'n' && f[k + 1] == 'r') {
			vmmap_add_noreserve(m, r->start);
			return;
		}
}

static void on_flags(struct smaps_ctx *c, const char *f, size_t n)
{
	if (c->have_cur)
		note_noreserve(c, f, n);
	if (!c->keep_all)
		return;  /* only the detail pane shows them */
	/* Many neighbours share flags: reuse the previous copy. */
	if (c->last_flags && c->last_flags_len == n &&
	    !memcmp(c->last_flags, f, n)) {
		c->flags = c->last_flags;
		return;
	}
	c->flags = c->last_flags = vmmap_strndup(c->sink.m, f, n);
	c->last_flags_len = n;
}

/* The reference: one key line by name, whatever its layout. */
static void on_field(struct smaps_ctx *c, const char *p, size_t n)
{
	const char *f;
	size_t fl;

	c->ref_lines++;
	if (smaps_parse_field(p, n, c->sm, &c->hint, &f, &fl) == SMAPS_VMFLAGS)
		on_flags(c, f, fl);
}

#define BYTES8(b) (0x0101010101010101ull * (b))

/* Whether one of the 8 bytes of x is a newline. */
static inline bool has_newline(uint64_t x)
{
	x ^= BYTES8('\n');
	return ((x - BYTES8(1)) & ~x & BYTES8(0x80)) != 0;
}

/* The 8 value columns of a fixed-width line, x as loaded: spaces, then at
 * least one digit up to the last column, as parse_value() reads them.
 * Returns false for anything else. */
static inline bool fixed_value(uint64_t x, uint64_t *v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t lo = x & BYTES8(0x0f);
	uint64_t digit = (x >> 4) & BYTES8(1);    /* 0x3X bytes */
	uint64_t dmask = digit * 0xff;

	/* one digit, as most counters of most mappings are (0 or 4) */
	if ((x & 0x00ffffffffffffffull) == 0x0020202020202020ull) {
		uint64_t d = (x >> 56) - '0';

		*v = d;
		return d < 10;
	}
	/* every byte 0x20 or 0x30..0x39 */
	if ((x & BYTES8(0xe0)) != BYTES8(0x20) ||
	    ((lo + BYTES8(6)) & BYTES8(0xf0)) || (~dmask & lo))
		return false;
	/* spaces only before the digits, and the last column a digit: the
	 * digit bytes are the high ones */
	if (!(digit >> 56) || ((dmask << 8) & ~dmask))
		return false;
	/* spaces read as leading zeros: eight digits at once, first column
	 * most significant (the low byte) */
	lo = (lo * 10) + (lo >> 8);
	lo = (((lo & 0x000000ff000000ffull) * (100 + (1000000ull << 32))) +
	      (((lo >> 16) & 0x000000ff000000ffull) *
	       (1 + (10000ull << 32)))) >> 32;
	*v = lo;
	return true;
#else
	(void)x;
	(void)v;
	return false;  /* every line goes to the reference */
#endif
}

/* VmFlags' value at p, up to the newline before end, trimmed as
 * smaps_parse_field() trims it.  Returns the next line. */
static const char *vmflags_line(struct smaps_ctx *c, const char *p,
				const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl;

	while (p < e && *p == ' ')
		p++;
	if (c->keep_all) {
		while (e > p && e[-1] == ' ')
			e--;
		on_flags(c, p, (size_t)(e - p));
	} else if (c->have_cur) {
		note_noreserve(c, p, (size_t)(e - p));
	}
	return nl + 1;
}

/* Whether the line at p (28 bytes of it readable) is f's fixed line,
 * but for its value. */
static inline bool fixed_key_at(const struct fixed_key *f, const char *p)
{
	return f->len && load64(p) == f->w[0] && load64(p + 8) == f->w[1] &&
	       (load32(p + 24) & f->tail_mask) == f->tail;
}

/* The fast path: the run of lines at p that are laid out as the kernel
 * prints them (see FIXED_LINE), in the order of keys[] from the one
 * expected next, or the one after it (a key this kernel does not print,
 * as ProtectionKey without memory protection keys).  It takes a line
 * only when the reference would read it alike: its whole padded key
 * matches (so its first colon is the key's), it is one line of the fixed
 * length, and a kept value is spaces then digits up to its unit; a value
 * not kept still has no newline inside.  A line that starts "VmFlags:"
 * is taken whole, up to its newline.  The first line that is none of
 * these stops the run and is left to the reference.  Each line is read
 * as 28 bytes from its start (for a bare number, 3 of them the next
 * line's), so the run stops where the chunk holds fewer.  Returns the
 * first line not taken. */
static inline const char *fixed_lines(struct smaps_ctx *c, const char *p,
				      const char *end)
{
	unsigned h = c->hint;

	for (; h < NKEYS && end - p >= FIXED_LINE; h++) {
		const struct fixed_key *f = &c->fixed[h];
		uint64_t x, v;

		if (!fixed_key_at(f, p)) {
			if (h + 1 < NKEYS && fixed_key_at(f + 1, p)) {
				f++;
				h++;
			} else if (load64(p) == load64("VmFlags:")) {
				p = vmflags_line(c, p + 8, end);
				h = c->vmflags_key;
				continue;
			} else {
				break;
			}
		}
		x = load64(p + FIXED_KEY);
		if (f->field >= 0) {
			if (!fixed_value(x, &v))
				break;
			c->sm[f->field] = v;
		} else if (has_newline(x)) {
			break;
		}
		p += f->len;
	}
	c->hint = h;
	return p;
}

static long smaps_chunk(void *ctx, char *buf, size_t len, bool eof)
{
	struct smaps_ctx *c = ctx;
	char *p = buf, *end = buf + len;

	(void)eof;
	while (p < end) {
		char *nl;

		if (c->fast && c->have_cur) {
			p += fixed_lines(c, p, end) - p;
			if (p == end)
				break;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl != p && is_header(p))
			on_header(c, p, (size_t)(nl - p));
		else if (nl != p && c->have_cur)
			on_field(c, p, (size_t)(nl - p));
		p = nl + 1;
	}
	return (long)len;
}

size_t smaps_parse_pieces(struct vmmap *m, const char *text, size_t len,
			  bool check_fs, bool keep_all, bool fast,
			  size_t piece, size_t batch)
{
	struct smaps_ctx c;

	ctx_init(&c, m, check_fs, keep_all, fast, NULL);
	maps_stream_text(text, len, piece, batch, smaps_chunk, &c);
	end_block(&c);
	maps_sink_release(&c.sink);
	return c.ref_lines;
}
int smaps_read(int dirfd, struct vmmap *m, bool check_fs, bool keep_all,
	       struct maps_notes *notes)
{
	struct smaps_ctx c;
	int fd, rc;

	fd = openat(dirfd, "smaps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ctx_init(&c, m, check_fs, keep_all, true, notes);
	rc = maps_stream(fd, smaps_chunk, &c);
	end_block(&c);
	maps_sink_release(&c.sink);
	close(fd);
	return rc;
}

int smaps_parse_rollup(const char *text, size_t len, uint64_t sm[SM__COUNT])
{
	const char *p = text, *end = text + len;

	memset(sm, 0xff, sizeof(uint64_t) * SM__COUNT);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *f;
		size_t fl;

		if (n && !is_header(p))
			smaps_parse_field(p, n, sm, NULL, &f, &fl);
		p += n + 1;
	}
	return sm[SM_RSS] == VMMAP_UNKNOWN ? -EINVAL : 0;
}

int smaps_read_rollup(int dirfd, struct vmmap *m)
{
	char buf[4096];
	uint64_t sm[SM__COUNT];
	int n = procfile_read(dirfd, "smaps_rollup", buf, sizeof(buf));

	if (n < 0)
		return n;
	if (smaps_parse_rollup(buf, (size_t)n, sm) < 0)
		return -EINVAL;
	m->rollup_rss_kib = sm[SM_RSS];
	m->rollup_pss_kib = sm[SM_PSS];
	m->rollup_swap_kib = sm[SM_SWAP];
	return 0;
}
