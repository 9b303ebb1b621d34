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

#endif
