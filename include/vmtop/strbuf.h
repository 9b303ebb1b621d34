/* strbuf: a growable, always NUL-terminated byte string.
 *
 * struct strbuf sb = STRBUF_INIT; ... strbuf_release(&sb);
 * sb.buf is never NULL once a function below has been called on it. */
#ifndef VMTOP_STRBUF_H
#define VMTOP_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Empties the string and keeps the allocation. */
void strbuf_reset(struct strbuf *sb);
/* Makes room for extra more bytes and the NUL after them. */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Returns the string and leaves sb empty; the caller frees it. */
char *strbuf_detach(struct strbuf *sb);

/* Direct writes, for a hot loop that formats in place instead of making
 * a call per token:
 *
 *	char *p = strbuf_room(sb, n);
 *	... at most n bytes written from p on, p moved past them ...
 *	strbuf_commit(sb, p);
 *
 * strbuf_room() returns where sb's text ends (its NUL), with room for n
 * bytes and the NUL after them.  Nothing is added until strbuf_commit()
 * is given the end of what was written (at most n bytes past the room's
 * start): it sets len there and writes the NUL; until then sb's text may
 * lack its NUL.  Any other call on sb in between may move sb->buf, so
 * ask for room again after it.  Bytes written into the room past the
 * committed end stay as they are until sb is next written to. */
static inline char *strbuf_room(struct strbuf *sb, size_t n)
{
	if (sb->cap - sb->len <= n)
		strbuf_grow(sb, n);
	return sb->buf + sb->len;
}

static inline void strbuf_commit(struct strbuf *sb, char *end)
{
	sb->len = (size_t)(end - sb->buf);
	*end = '\0';
}

#endif
