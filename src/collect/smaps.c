/* smaps: per-mapping counters, read in one pass.
 *
 * smaps is maps with about 25 "Key: value kB" lines after every header,
 * so it is read alone (never maps + smaps): its header lines make the
 * regions and its key lines fill their counters, in the same streaming
 * loop maps uses.  Keys are matched by name because kernels add and drop
 * them; since a kernel always prints them in the same order, the parser
 * first tries the key that followed the previous one, which makes the
 * lookup a single memcmp on the hot path. */
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

long smaps_parse_block(char *buf, size_t len, struct maps_line *ml,
		       uint64_t sm[SM__COUNT], const char **flags)
{
	char *p = buf, *end = buf + len, *nl;
	size_t n;
	unsigned hint = 0;

	memset(sm, 0xff, sizeof(uint64_t) * SM__COUNT);
	*flags = "";
	nl = memchr(p, '\n', len);
	n = nl ? (size_t)(nl - p) : len;
	if (len == 0 || maps_parse_line(p, n, ml) < 0)
		return -EINVAL;
	p += n + (nl != NULL);
	while (p < end && !is_header(p)) {
		const char *f;
		size_t flen;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (smaps_parse_field(p, n, sm, &hint, &f, &flen) ==
		    SMAPS_VMFLAGS) {
			/* p[n] is the newline, or the byte the caller
			 * guarantees after the buffer */
			p[(f - p) + (ptrdiff_t)flen] = '\0';
			*flags = f;
		}
		p += n + (nl != NULL);
	}
	return (long)(p - buf);
}

static inline uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* "Key:" as two 8-byte words and masks, for a compare without a call. */
struct key_words {
	uint64_t w[2], mask[2];
};

static void key_words_init(struct key_words kw[NKEYS])
{
	for (size_t i = 0; i < NKEYS; i++) {
		char word[16] = { 0 }, mask[16] = { 0 };

		memcpy(word, keys[i].name, keys[i].len);
		word[keys[i].len] = ':';
		memset(mask, 0xff, keys[i].len + 1u);
		kw[i].w[0] = load64(word);
		kw[i].w[1] = load64(word + 8);
		kw[i].mask[0] = load64(mask);
		kw[i].mask[1] = load64(mask + 8);
	}
}

static inline bool key_matches(const struct key_words *kw, const char *p)
{
	return !(((load64(p) ^ kw->w[0]) & kw->mask[0]) |
		 ((load64(p + 8) ^ kw->w[1]) & kw->mask[1]));
}

/* The kernel prints "Key:" padded with spaces to 16 columns, then the
 * value right-aligned in 8, then " kB\n" (seq_put_decimal_ull_width()):
 * "Rss:                 132 kB\n" is 28 bytes.  Those lines are checked
 * and read at fixed positions; anything else (a longer value, a kernel
 * that prints differently) goes through the general path. */
#define FIXED_KEY 16
#define FIXED_LINE 28
#define FIXED_BARE 25  /* "%8u\n" after the key: THPeligible */

/* Where a kernel puts the kept counters and VmFlags in a block's body
 * (the lines after the header): learnt from one block, then checked and
 * used for the blocks that follow (see block_layout_learn()). */
#define LAYOUT_KEPT 8

struct block_layout {
	bool valid;
	unsigned char learn_budget; /* attempts left to learn a layout */
	unsigned char refused;      /* blocks refused in a row */
	unsigned char nkept;
	unsigned char next_hint;    /* the key after VmFlags */
	unsigned short vmflags;     /* the VmFlags line's offset */
	struct {
		uint64_t w[2];      /* its padded key */
		unsigned short off; /* the line's offset from the body */
		signed char field;  /* enum smaps_field */
	} kept[LAYOUT_KEPT];
	size_t used;                /* blocks read this way */
};

struct smaps_ctx {
	struct maps_sink sink;
	struct block_layout layout;
	struct key_words kw[NKEYS];
	uint64_t padded[NKEYS][2]; /* "Key:" + spaces, 16 bytes; 0 if longer */
	unsigned char fixed_len[NKEYS]; /* its fixed-width line, 0: none */
	bool need[NKEYS];   /* its value is kept */
	unsigned nneed;     /* how many keys are kept */
	bool keep_all;      /* PROCMAP_SMAPS_ALL: every counter and VmFlags */
	bool have_cur;      /* the last header parsed: keys belong to it */
	unsigned hint;
	uint64_t sm[SM__COUNT]; /* the current block's counters */
	const char *flags;  /* the current block's VmFlags (pool), or NULL */
	const char *last_flags;
	size_t last_flags_len;
};

/* Without keep_all only what the compact counters of struct region are
 * made of is read; the other lines are only recognised and stepped
 * over. */
static bool key_needed(int field, bool keep_all)
{
	if (field < 0)
		return false;
	return keep_all || field == SM_RSS || field == SM_PSS ||
	       field == SM_SWAP || field == SM_PRIVATE_DIRTY ||
	       field == SM_SHARED_DIRTY;
}

static void padded_init(struct smaps_ctx *c)
{
	for (size_t i = 0; i < NKEYS; i++) {
		char word[FIXED_KEY];

		c->padded[i][0] = c->padded[i][1] = 0;
		c->need[i] = key_needed(keys[i].field, c->keep_all);
		c->nneed += c->need[i];
		c->fixed_len[i] = 0;
		if (keys[i].len + 1u > FIXED_KEY ||
		    keys[i].field == SMAPS_VMFLAGS)
			continue;
		c->fixed_len[i] = keys[i].bare ? FIXED_BARE : FIXED_LINE;
		memset(word, ' ', sizeof(word));
		memcpy(word, keys[i].name, keys[i].len);
		word[keys[i].len] = ':';
		c->padded[i][0] = load64(word);
		c->padded[i][1] = load64(word + 8);
	}
}

static void ctx_init(struct smaps_ctx *c, struct vmmap *m, bool check_fs,
		     bool keep_all)
{
	memset(c, 0, sizeof(*c));
	c->keep_all = keep_all;
	c->layout.learn_budget = 16;
	key_words_init(c->kw);
	padded_init(c);
	maps_sink_init(&c->sink, m, check_fs);
}

static struct region *last_region(struct smaps_ctx *c)
{
	return &c->sink.m->regions[c->sink.m->nregions - 1];
}

/* The block of the last header is complete: its counters go to its
 * region. */
static void end_block(struct smaps_ctx *c)
{
	if (!c->have_cur)
		return;
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

static void on_flags(struct smaps_ctx *c, const char *f, size_t n)
{
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

/* The value of a VmFlags line, p..e (e at the newline), trimmed. */
static void on_flags_line(struct smaps_ctx *c, const char *p, const char *e)
{
	while (p < e && *p == ' ')
		p++;
	while (e > p && e[-1] == ' ')
		e--;
	on_flags(c, p, (size_t)(e - p));
}

#define SPACES8 0x2020202020202020ull

/* Skips the spaces at q, a word at a time: the numbers are right-aligned
 * in 8 columns, so a byte loop would spend most of its time here. */
static inline const char *skip_spaces(const char *q, const char *end)
{
	uint64_t x;

	while (end - q >= 8) {
		x = load64(q) ^ SPACES8;
		if (x) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return q + (__builtin_ctzll(x) >> 3);
#else
			break;
#endif
		}
		q += 8;
	}
	while (*q == ' ')
		q++;
	return q;
}

/* The fast path for a key line: the key the kernel prints next, then
 * "<spaces><digits> kB\n" (or a bare number).  Returns the next line, or
 * NULL to let the general parser deal with the line.  The chunk ends in
 * a newline, which stops every scan below. */
static const char *fast_field(struct smaps_ctx *c, const char *p,
			      const char *end)
{
	const struct smaps_key *k;
	const char *q;
	uint64_t v = 0;
	int n;

	if (c->hint >= NKEYS || end - p < 32 ||
	    !key_matches(&c->kw[c->hint], p))
		return NULL;
	k = &keys[c->hint];
	if (k->field == SMAPS_VMFLAGS) {
		q = memchr(p, '\n', (size_t)(end - p));
		on_flags_line(c, p + k->len + 1, q);
		c->hint++;
		return q + 1;
	}
	/* not a jump to column 16: a short line ends before it */
	q = skip_spaces(p + k->len + 1, end);
	for (n = 0; (unsigned char)(q[n] - '0') < 10u; n++)
		v = v * 10 + (uint64_t)(q[n] - '0');
	q += n;
	if (n == 0 || n > 19)
		return NULL;
	if (*q == '\n')
		q += 1;  /* a bare number: THPeligible */
	else if (end - q >= 4 && !memcmp(q, " kB\n", 4))
		q += 4;
	else
		return NULL;
	if (k->field >= 0)
		c->sm[k->field] = v;
	c->hint++;
	return q;
}

static void slow_field(struct smaps_ctx *c, const char *p, size_t n)
{
	const char *f;
	size_t fl;

	if (smaps_parse_field(p, n, c->sm, &c->hint, &f, &fl) == SMAPS_VMFLAGS)
		on_flags(c, f, fl);
}

#define BYTES8(b) (0x0101010101010101ull * (b))

/* The 8 value columns of a fixed-width line, x as loaded: spaces, then at
 * least one digit.  Returns false for anything else. */
static inline bool fixed_value(uint64_t x, uint64_t *v)
{
	uint64_t lo = x & BYTES8(0x0f);

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* one digit, as most counters of most mappings are (0 or 4) */
	if ((x & 0x00ffffffffffffffull) == 0x0020202020202020ull) {
		uint64_t d = (x >> 56) - '0';

		*v = d;
		return d < 10;
	}
#endif
	uint64_t digit = (x >> 4) & BYTES8(1);    /* 0x3X bytes */
	uint64_t dmask = digit * 0xff;

	/* every byte 0x20 or 0x30..0x39 */
	if ((x & BYTES8(0xe0)) != BYTES8(0x20) ||
	    ((lo + BYTES8(6)) & BYTES8(0xf0)) ||
	    (~dmask & lo))
		return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* spaces only before the digits, and the last column a digit: the
	 * digit bytes are the high ones */
	if (!(digit >> 56) || ((dmask << 8) & ~dmask))
		return false;
	/* spaces read as leading zeros: eight digits at once, first column
	 * most significant (the low byte) */
	lo = (lo * 10) + (lo >> 8);
	lo = (((lo & 0x000000ff000000ffull) * (100 + (1000000ull << 32))) +
	      (((lo >> 16) & 0x000000ff000000ffull) * (1 + (10000ull << 32)))) >>
	     32;
	*v = lo;
	return true;
#else
	(void)v;
	return false;
#endif
}

/* The fixed-width lines that follow p in the expected key order (see
 * FIXED_LINE), as many as there are.  Every key is compared in full, so
 * a key this kernel lacks or adds stops the run; only the values that
 * are kept are converted.  Returns the first line not read, or NULL
 * when that is p itself. */
static inline const char *fixed_field(struct smaps_ctx *c, const char *p,
				      const char *end)
{
	static const char unit[4] = { ' ', 'k', 'B', '\n' };
	const char *start = p;
	unsigned h = c->hint;

	for (; h < NKEYS && end - p >= FIXED_LINE; h++) {
		const uint64_t *w = c->padded[h];
		unsigned len = c->fixed_len[h];
		uint64_t v;

		if (!len || load64(p) != w[0] || load64(p + 8) != w[1] ||
		    p[len - 1] != '\n')
			break;
		if (c->need[h]) {
			if (memcmp(p + 24, unit, sizeof(unit)) ||
			    !fixed_value(load64(p + FIXED_KEY), &v))
				break;
			c->sm[keys[h].field] = v;
		}
		p += len;
	}
	c->hint = h;
	return p == start ? NULL : p;
}

/* Learns the layout of the body at `body` when it is whole in the
 * buffer, ends with VmFlags, has every kept counter and no line wider
 * than the fixed width of the counters.  Kernels print every block
 * alike, so the blocks that follow are then read at its offsets by
 * block_fast().  A body that the buffer cuts short is not an attempt: it
 * comes again, whole. */
static void block_layout_learn(struct smaps_ctx *c, const char *body,
			       const char *end, bool eof)
{
	struct block_layout *t = &c->layout;
	const char *q = body;
	unsigned hint = 0;

	t->nkept = 0;
	while (q < end && !is_header(q)) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		const char *colon = memchr(q, ':', (size_t)(nl - q));
		int k;

		if (!colon || (size_t)(q - body) > 0xff00u)
			goto refused;
		k = find_key(q, (size_t)(colon - q), &hint);
		if (k >= 0 && keys[k].field == SMAPS_VMFLAGS) {
			if (nl + 1 < end && !is_header(nl + 1))
				goto refused;  /* not the last line */
			t->vmflags = (unsigned short)(q - body);
			t->next_hint = (unsigned char)hint;
			/* every kept key, or a block that has one more
			 * would lose it */
			t->valid = t->nkept == c->nneed;
			t->refused = 0;
			if (!t->valid)
				goto refused;
			return;
		}
		if (nl + 1 - q > FIXED_LINE)
			goto refused;  /* a wide number: not a block to learn
					* from, the others are narrower */
		if (k >= 0 && c->need[k]) {
			if (t->nkept == LAYOUT_KEPT || nl + 1 - q != FIXED_LINE ||
			    load64(q) != c->padded[k][0] ||
			    load64(q + 8) != c->padded[k][1])
				goto refused;
			t->kept[t->nkept].w[0] = c->padded[k][0];
			t->kept[t->nkept].w[1] = c->padded[k][1];
			t->kept[t->nkept].off = (unsigned short)(q - body);
			t->kept[t->nkept++].field = keys[k].field;
		}
		q = nl + 1;
	}
	if (q < end || eof)
		goto refused;  /* a whole body without VmFlags */
	return;
refused:
	t->learn_budget--;
}

/* The kept counters of the body at `body`, read at the learnt offsets.
 * Each line read is checked in full: it starts a line, its padded key,
 * its value in the 8 columns, its unit; and so is VmFlags' key.  A block
 * laid out otherwise (a wider number shifts the lines after it) is
 * refused, so for text a kernel prints (one line per key, every key
 * once) the values are the ones the line parser reads.  Returns the line
 * after VmFlags, or NULL. */
static const char *block_fast(struct smaps_ctx *c, const char *body,
			      const char *end)
{
	static const char unit[4] = { ' ', 'k', 'B', '\n' };
	struct block_layout *t = &c->layout;
	uint64_t v[LAYOUT_KEPT];
	const char *vf;

	if ((size_t)(end - body) < t->vmflags + 9u)
		return NULL;
	vf = body + t->vmflags;
	if (vf[-1] != '\n' || memcmp(vf, "VmFlags:", 8))
		return NULL;
	for (unsigned i = 0; i < t->nkept; i++) {
		const char *q = body + t->kept[i].off;

		if (q[-1] != '\n' || load64(q) != t->kept[i].w[0] ||
		    load64(q + 8) != t->kept[i].w[1] ||
		    memcmp(q + 24, unit, 4) ||
		    !fixed_value(load64(q + FIXED_KEY), &v[i]))
			return NULL;
	}
	for (unsigned i = 0; i < t->nkept; i++)
		c->sm[t->kept[i].field] = v[i];
	c->hint = t->next_hint;
	t->used++;
	t->refused = 0;
	return (const char *)memchr(vf, '\n', (size_t)(end - vf)) + 1;
}

/* A header line at p, n bytes, and the block after it.  Returns where
 * the caller goes on (the body, for the line parser, or past the block),
 * or NULL when the block may not be whole in the buffer yet and more text
 * is coming: it is then left for the next call. */
static const char *on_block(struct smaps_ctx *c, char *p, size_t n,
			    const char *end, bool eof)
{
	const char *body = p + n + 1, *next;
	struct block_layout *t = &c->layout;

	if (c->keep_all)
		goto lines;  /* every counter and VmFlags: the line parser */
	if (t->valid && (size_t)(end - body) < t->vmflags + 128u && !eof)
		return NULL;  /* VmFlags may be past the end */
	if (!t->valid && t->learn_budget)
		block_layout_learn(c, body, end, eof);
lines:
	on_header(c, p, n);
	if (!t->valid || c->keep_all || !c->have_cur)
		return body;
	next = block_fast(c, body, end);
	if (next)
		return next;
	/* An odd block (a number wider than its columns) leaves the layout
	 * alone; a run of them means it was learnt from an odd one. */
	if (++t->refused == 8)
		t->valid = false;
	return body;
}

static long smaps_chunk(void *ctx, char *buf, size_t len, bool eof)
{
	struct smaps_ctx *c = ctx;
	char *p = buf, *end = buf + len;

	while (p < end) {
		const char *next;
		char *nl;

		if (c->have_cur && !is_header(p)) {
			next = fixed_field(c, p, end);
			if (!next)
				next = fast_field(c, p, end);
			if (next) {
				p += next - p;
				continue;
			}
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl != p && is_header(p)) {
			next = on_block(c, p, (size_t)(nl - p), end, eof);
			if (!next)
				return (long)(p - buf);
			p += next - p;
			continue;
		}
		if (nl != p && c->have_cur)
			slow_field(c, p, (size_t)(nl - p));
		p = nl + 1;
	}
	return (long)len;
}

int smaps_parse_text(struct vmmap *m, char *buf, size_t len, bool check_fs)
{
	smaps_parse_pieces(m, buf, len, check_fs, true, true, len, len);
	return 0;
}

size_t smaps_parse_pieces(struct vmmap *m, const char *text, size_t len,
			  bool check_fs, bool keep_all, bool layout,
			  size_t piece, size_t batch)
{
	struct smaps_ctx c;

	if (len == 0)
		return 0;
	ctx_init(&c, m, check_fs, keep_all);
	if (!layout)
		c.layout.learn_budget = 0;
	maps_stream_text(text, len, piece, batch, smaps_chunk, &c);
	end_block(&c);
	maps_sink_release(&c.sink);
	return c.layout.used;
}

int smaps_read(int dirfd, struct vmmap *m, bool check_fs, bool keep_all)
{
	struct smaps_ctx c;
	int fd, rc;

	fd = openat(dirfd, "smaps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ctx_init(&c, m, check_fs, keep_all);
	rc = maps_stream(fd, smaps_chunk, &c);
	end_block(&c);
	maps_sink_release(&c.sink);
	close(fd);
	return rc;
}

int smaps_read_rollup(int dirfd, struct vmmap *m)
{
	char buf[4096];
	uint64_t sm[SM__COUNT];
	char *p, *end;
	int n = procfile_read(dirfd, "smaps_rollup", buf, sizeof(buf));

	if (n < 0)
		return n;
	memset(sm, 0xff, sizeof(sm));
	for (p = buf, end = buf + n; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *f;
		size_t fl;

		if (len && !is_header(p))
			smaps_parse_field(p, len, sm, NULL, &f, &fl);
		p += len + 1;
	}
	if (sm[SM_RSS] == VMMAP_UNKNOWN)
		return -EINVAL;
	m->rollup_rss_kib = sm[SM_RSS];
	m->rollup_pss_kib = sm[SM_PSS];
	m->rollup_swap_kib = sm[SM_SWAP];
	return 0;
}
