/* maps: /proc/PID/maps lines to regions.
 *
 * A maps line is "start-end perms offset maj:min inode<pad>path".  The
 * reader streams the file through one large buffer (the kernel hands
 * out at most a page per read(), parsed as it comes, while it is still
 * in the cache) and parses every line in place with hand-written number
 * parsing: this loop runs once per mapping and must cost little next to
 * the kernel's own text generation.  Nothing is allocated per line except
 * the path copy in the vmmap's pool: identical consecutive paths (the
 * segments of one library) share the last one's at the cost of one
 * compare, and every other path is interned there (vmmap_intern_path():
 * equal paths share one copy, long ones are cut).
 *
 * Only "\n" is escaped by the kernel (as "\012"); every other byte of a
 * path is raw.  " (deleted)" is ambiguous with a file really named so;
 * maps_resolve_deleted() settles it with the inode when it can. */
#include "config.h"

#include "vmtop/maps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vmtop/peek.h"
#include "vmtop/xalloc.h"

#define DELETED_SUFFIX " (deleted)"
#define DELETED_LEN (sizeof(DELETED_SUFFIX) - 1)

/* Reads shorter than this are never asked of the kernel (which fills a
 * read of smaps with at most a page of text, whatever its size). */
#define STREAM_READ (256u << 10)

/* Hex digit values plus one, 0 for anything else (NUL and newline
 * included, so the scanners below stop at a line's end without a bounds
 * check). */
static const unsigned char hexval1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline int hex_digit(unsigned char c)
{
	return (int)hexval1[c] - 1;
}

/* Parses 1 to 16 hex digits at *p; the text must be NUL-terminated. */
static inline bool parse_hex(const char **p, uint64_t *v)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint64_t x = 0;
	int d, n;

	/* two digits a round: half the loop's branches */
	for (n = 0; (d = hexval1[s[n]]) != 0; n += 2) {
		int e = hexval1[s[n + 1]];  /* s[n] is not the NUL */

		if (!e) {
			x = x << 4 | (uint64_t)(d - 1);
			n++;
			break;
		}
		x = x << 8 | (uint64_t)((d - 1) << 4 | (e - 1));
	}
	*p += n;
	*v = x;
	return n > 0 && n <= 16;
}

/* Parses 1 to 19 decimal digits at *p; the text must be NUL-terminated. */
static inline bool parse_dec(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int n;

	for (n = 0; (unsigned char)(s[n] - '0') < 10u; n++)
		x = x * 10 + (uint64_t)(s[n] - '0');
	*p += n;
	*v = x;
	return n > 0 && n <= 19;
}

static inline bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static bool parse_perms(const char **p, char perms[5])
{
	static const char allowed[4][2] = {
		{ 'r', '-' }, { 'w', '-' }, { 'x', '-' }, { 'p', 's' }
	};
	const char *s = *p;

	/* a NUL before the fourth byte matches nothing in allowed */
	for (int i = 0; i < 4; i++) {
		if (s[i] != allowed[i][0] && s[i] != allowed[i][1])
			return false;
		perms[i] = s[i];
	}
	perms[4] = '\0';
	*p = s + 4;
	return true;
}

/* Replaces every "\012" by a newline, in place; returns the new length. */
static size_t unescape_newlines(char *s, size_t len)
{
	char *r = memchr(s, '\\', len), *w, *end = s + len;

	if (!r)
		return len;
	w = r;
	while (r < end) {
		if (*r == '\\' && end - r >= 4 && !memcmp(r, "\\012", 4)) {
			*w++ = '\n';
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	return (size_t)(w - s);
}

static bool is_sysv_name(const char *p, size_t len)
{
	/* "/SYSV" + 8 hex digits of the key */
	if (len != 13 || memcmp(p, "/SYSV", 5))
		return false;
	for (size_t i = 5; i < 13; i++)
		if (hex_digit((unsigned char)p[i]) < 0)
			return false;
	return true;
}

/* Names whose suffix always means "no file behind it". */
static bool always_deleted(const char *p, size_t len)
{
	return (len >= 7 && !memcmp(p, "/memfd:", 7)) ||
	       (len == 9 && !memcmp(p, "/dev/zero", 9)) ||
	       is_sysv_name(p, len);
}

/* The kernel pads to the path's column with up to ~30 spaces: skip them
 * a word at a time. */
static char *skip_padding(char *p, const char *end)
{
	static const char spaces[8] = "        ";

	while (end - p >= 8 && !memcmp(p, spaces, 8))
		p += 8;
	while (p < end && *p == ' ')
		p++;
	return p;
}

static void parse_path(char *p, char *end, struct maps_line *out)
{
	size_t len;

	p = skip_padding(p, end);
	out->raw_len = (size_t)(end - p);
	len = unescape_newlines(p, out->raw_len);
	out->escaped = len != out->raw_len;
	p[len] = '\0';
	out->path = p;
	out->path_len = len;
	out->deleted = false;
	out->deleted_suffix = len >= DELETED_LEN &&
		!memcmp(p + len - DELETED_LEN, DELETED_SUFFIX, DELETED_LEN);
	if (out->deleted_suffix && always_deleted(p, len - DELETED_LEN)) {
		out->path_len = len - DELETED_LEN;
		p[out->path_len] = '\0';
		out->deleted = true;
	}
}

int maps_parse_line(char *line, size_t len, struct maps_line *out)
{
	const char *p = line;
	uint64_t maj, min;

	/* A terminator lets the scanners run without bounds checks; the
	 * path's own NUL lands here (or before) anyway. */
	line[len] = '\0';
	if (!parse_hex(&p, &out->start) || !expect(&p, '-') ||
	    !parse_hex(&p, &out->end) || !expect(&p, ' ') ||
	    !parse_perms(&p, out->perms) || !expect(&p, ' ') ||
	    !parse_hex(&p, &out->offset) || !expect(&p, ' ') ||
	    !parse_hex(&p, &maj) || !expect(&p, ':') ||
	    !parse_hex(&p, &min) || !expect(&p, ' ') ||
	    !parse_dec(&p, &out->inode))
		return -EINVAL;
	if (out->end < out->start || maj > 0xfff || min > 0xfffff)
		return -EINVAL;
	if (*p != ' ' && *p != '\0')
		return -EINVAL;
	out->dev_major = (unsigned)maj;
	out->dev_minor = (unsigned)min;
	parse_path(line + (p - line), line + len, out);
	return 0;
}

static void strip_suffix(struct maps_line *ml)
{
	ml->path_len -= DELETED_LEN;
	ml->path[ml->path_len] = '\0';
	ml->deleted = true;
}

static bool is_mapped_file(const char *path, const struct maps_line *ml)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_ino == ml->inode &&
	       major(st.st_dev) == ml->dev_major &&
	       minor(st.st_dev) == ml->dev_minor;
}

void maps_resolve_deleted(struct maps_line *ml, bool check_fs)
{
	if (!ml->deleted_suffix || ml->deleted)
		return;
	/* The kernel appends the suffix only when the mapped dentry was
	 * unlinked, so the one alternative is a live file whose real name
	 * ends in the suffix: it must be the very inode that is mapped. */
	if (check_fs && is_mapped_file(ml->path, ml))
		return;
	strip_suffix(ml);
}

void maps_resolve_escapes(struct maps_line *ml, bool check_fs)
{
	char *raw, *w;

	if (!ml->escaped || !check_fs || ml->deleted || ml->inode == 0 ||
	    is_mapped_file(ml->path, ml))
		return;
	raw = malloc(ml->raw_len + 1);  /* rare: names with "\012" only */
	if (!raw)
		return;
	w = raw;
	for (size_t i = 0; i < ml->path_len; i++) {
		size_t used = (size_t)(w - raw);

		if (ml->path[i] == '\n' && used + 4 <= ml->raw_len) {
			memcpy(w, "\\012", 4);
			w += 4;
		} else {
			*w++ = ml->path[i];
		}
	}
	*w = '\0';
	/* the undecoded text was in the line before: it fits there again */
	if ((size_t)(w - raw) <= ml->raw_len && is_mapped_file(raw, ml)) {
		memcpy(ml->path, raw, (size_t)(w - raw) + 1);
		ml->path_len = (size_t)(w - raw);
	}
	free(raw);
}

/* The stream's buffer: buf[off..have) is text the callback has not
 * consumed yet; it is handed whole lines once `batch` bytes are there.
 * New text goes after it, so that the callback reads what the kernel has
 * just written, still in the first-level cache; the rest moves to the
 * front only when the room at the end runs out.
 *
 * buf starts on a 4096-byte boundary, as cat's buffer does: the kernel
 * copies a read's text out of a page-aligned buffer, and into a
 * destination a few bytes past a boundary (where malloc() puts a large
 * block) every store lands just ahead of the next loads modulo 4096 and
 * holds them up.  At 60 000 mappings that made read() cost some 15 ms
 * more (4K aliasing). */
#define STREAM_ALIGN 4096u

struct stream {
	char *mem;    /* the allocation, buf inside it */
	char *buf;
	size_t cap, off, have, batch;
	maps_chunk_fn chunk;
	void *ctx;
};

/* A buffer of cap bytes and the byte deliver() may append, aligned, with
 * the text not consumed yet moved to its front. */
static void stream_alloc(struct stream *s, size_t cap)
{
	char *mem = xmalloc(cap + 1 + STREAM_ALIGN - 1);
	char *buf = mem + (-(uintptr_t)mem & (STREAM_ALIGN - 1));

	if (s->mem) {
		memcpy(buf, s->buf + s->off, s->have - s->off);
		free(s->mem);
	}
	s->have -= s->off;
	s->off = 0;
	s->mem = mem;
	s->buf = buf;
	s->cap = cap;
}

/* Keeps room for n more bytes after the text, plus the byte that
 * deliver() may append at the end. */
static void stream_room(struct stream *s, size_t n)
{
	size_t cap = s->cap;

	if (s->cap - s->have >= n)
		return;
	if (s->off) {
		memmove(s->buf, s->buf + s->off, s->have - s->off);
		s->have -= s->off;
		s->off = 0;
	}
	while (cap - s->have < n)
		cap *= 2;
	if (cap != s->cap)
		stream_alloc(s, cap);
}

/* Hands the text's whole lines to the callback (at eof, everything, with
 * a newline added after an unterminated last line) and keeps what it
 * leaves.  Returns the callback's negative value, or 0. */
static long deliver(struct stream *s, bool eof)
{
	char *text = s->buf + s->off;
	size_t len = s->have - s->off;
	long used;

	if (len == 0)
		return 0;
	if (eof && text[len - 1] != '\n')
		text[len++] = '\n';  /* stream_room() keeps this byte */
	if (!eof) {
		char *nl = memrchr(text, '\n', len);

		if (!nl)
			return 0;
		len = (size_t)(nl - text) + 1;
	}
	used = s->chunk(s->ctx, text, len, eof);
	if (used < 0)
		return used;
	if (eof || (size_t)used > s->have - s->off)
		used = (long)(s->have - s->off);
	s->off += (size_t)used;
	if (s->off == s->have)
		s->off = s->have = 0;
	return 0;
}

static void stream_init(struct stream *s, size_t batch, maps_chunk_fn chunk,
			void *ctx)
{
	s->mem = NULL;
	s->off = s->have = 0;
	stream_alloc(s, STREAM_READ + (64u << 10));
	s->batch = batch ? batch : 1;
	s->chunk = chunk;
	s->ctx = ctx;
}

int maps_stream(int fd, maps_chunk_fn chunk, void *ctx)
{
	struct stream s;
	long rc = 0;

	stream_init(&s, 1, chunk, ctx);
	for (;;) {
		ssize_t n;

		stream_room(&s, STREAM_READ);
		n = read(fd, s.buf + s.have, s.cap - s.have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0) {
			rc = deliver(&s, true);
			break;
		}
		s.have += (size_t)n;
		if ((rc = deliver(&s, false)) < 0)
			break;
	}
	free(s.mem);
	return rc < 0 ? (int)rc : 0;
}

int maps_stream_text(const char *text, size_t len, size_t piece,
		     size_t batch, maps_chunk_fn chunk, void *ctx)
{
	struct stream s;
	long rc = 0;
	size_t off = 0;

	if (piece == 0)
		piece = 1;
	stream_init(&s, batch, chunk, ctx);
	while (off < len) {
		size_t n = len - off < piece ? len - off : piece;

		stream_room(&s, n);
		memcpy(s.buf + s.have, text + off, n);
		s.have += n;
		off += n;
		if (s.have - s.off >= s.batch &&
		    (rc = deliver(&s, false)) < 0)
			break;
	}
	if (rc >= 0)
		rc = deliver(&s, true);
	free(s.mem);
	return rc < 0 ? (int)rc : 0;
}

void maps_notes_reset(struct maps_notes *n)
{
	n->ordered = n->ncandidates = 0;
	n->listed = false;
}

void maps_notes_release(struct maps_notes *n)
{
	free(n->candidates);
	memset(n, 0, sizeof(*n));
}

void maps_sink_init(struct maps_sink *s, struct vmmap *m, bool check_fs,
		    struct maps_notes *notes)
{
	memset(s, 0, sizeof(*s));
	s->m = m;
	s->check_fs = check_fs;
	s->notes = notes ? notes : &s->own;
}

void maps_sink_release(struct maps_sink *s)
{
	maps_notes_release(&s->own);
	free(s->del_name);
	s->del_name = NULL;
	s->del_len = s->del_cap = 0;
}

/* maps_resolve_deleted() with a one-entry cache: thousands of mappings of
 * one unlinked file would otherwise cost thousands of stat() calls. */
static void sink_resolve(struct maps_sink *s, struct maps_line *ml)
{
	if (!ml->deleted_suffix || ml->deleted)
		return;
	if (s->del_name && s->del_len == ml->path_len &&
	    s->del_inode == ml->inode && s->del_major == ml->dev_major &&
	    s->del_minor == ml->dev_minor &&
	    !memcmp(s->del_name, ml->path, ml->path_len)) {
		if (s->del_result)
			strip_suffix(ml);
		return;
	}
	if (s->del_cap < ml->path_len + 1) {
		s->del_cap = ml->path_len + 1;
		s->del_name = xreallocarray(s->del_name, s->del_cap, 1);
	}
	memcpy(s->del_name, ml->path, ml->path_len + 1);
	s->del_len = ml->path_len;
	s->del_inode = ml->inode;
	s->del_major = ml->dev_major;
	s->del_minor = ml->dev_minor;
	maps_resolve_deleted(ml, s->check_fs);
	s->del_result = ml->deleted;
}

/* Both ambiguities of a maps name, settled against the file system. */
static void sink_resolve_all(struct maps_sink *s, struct maps_line *ml)
{
	sink_resolve(s, ml);
	if (ml->escaped)
		maps_resolve_escapes(ml, s->check_fs);
}

struct region *maps_sink_add(struct maps_sink *s, struct maps_line *ml)
{
	struct vmmap *m = s->m;
	struct maps_notes *n = s->notes;
	const char *prev = m->nregions ? m->regions[m->nregions - 1].path
				       : NULL;
	struct region *r;

	sink_resolve_all(s, ml);
	r = vmmap_add_region(m);
	r->start = ml->start;
	r->end = ml->end;
	r->offset = ml->offset;
	r->inode = ml->inode;
	r->dev_major = ml->dev_major;
	r->dev_minor = ml->dev_minor;
	memcpy(r->perms, ml->perms, sizeof(r->perms));
	r->deleted = ml->deleted;
	if (ml->path_len == 0)
		r->path = "";
	else if (prev && prev[0] == ml->path[0] && !strcmp(prev, ml->path))
		r->path = prev;
	else
		r->path = vmmap_intern_path(m, ml->path, ml->path_len);
	/* while the region is at hand: see struct maps_notes */
	if (n->ordered == m->nregions - 1 &&
	    (m->nregions == 1 || r->start >= r[-1].end))
		n->ordered = m->nregions;
	if (m->nregions == 1)
		n->listed = true;
	if (peek_is_candidate(r)) {
		XGROW(n->candidates, n->cap, n->ncandidates + 1);
		n->candidates[n->ncandidates++] = m->nregions - 1;
	}
	return r;
}

static long maps_chunk(void *ctx, char *buf, size_t len, bool eof)
{
	struct maps_sink *s = ctx;
	char *p = buf, *end = buf + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct maps_line ml;

		if (maps_parse_line(p, n, &ml) == 0)
			maps_sink_add(s, &ml);
		p += n + 1;
	}
	(void)eof;
	return (long)len;
}

int maps_parse_text(struct vmmap *m, char *buf, size_t len, bool check_fs)
{
	struct maps_sink s;

	maps_sink_init(&s, m, check_fs, NULL);
	maps_chunk(&s, buf, len, true);
	maps_sink_release(&s);
	return 0;
}

int maps_read(int dirfd, struct vmmap *m, bool check_fs,
	      struct maps_notes *notes)
{
	struct maps_sink s;
	int fd, rc;

	fd = openat(dirfd, "maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	maps_sink_init(&s, m, check_fs, notes);
	rc = maps_stream(fd, maps_chunk, &s);
	maps_sink_release(&s);
	close(fd);
	return rc;
}

static int region_cmp(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/* True when every region starts at or after its predecessor's end. */
static bool is_clean(const struct vmmap *m)
{
	for (size_t i = 1; i < m->nregions; i++)
		if (m->regions[i].start < m->regions[i - 1].end)
			return false;
	return true;
}

size_t maps_normalize(struct vmmap *m, struct maps_notes *notes)
{
	size_t i, w, dropped;

	if (m->nregions < 2 || (notes && notes->ordered == m->nregions) ||
	    is_clean(m))
		return 0;
	if (notes)
		notes->listed = false;  /* the candidates' indexes move */
	qsort(m->regions, m->nregions, sizeof(*m->regions), region_cmp);
	for (i = 1, w = 1; i < m->nregions; i++) {
		if (m->regions[i].start < m->regions[w - 1].end)
			continue;  /* torn read: a repeated or moved VMA */
		if (w != i)
			m->regions[w] = m->regions[i];
		w++;
	}
	dropped = m->nregions - w;
	m->nregions = w;
	if (notes)
		notes->ordered = w;
	return dropped;
}
