/* linefile: a file read line by line, bounded (see linefile.h). */
#include "config.h"

#include "vmtop/linefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

#define LINEFILE_CHUNK (64u << 10)

struct linefile {
	int fd;
	size_t max_line;
	char *buf;            /* what read() gave, buf[pos .. end) unused */
	size_t pos, end;
	off_t buf_off;        /* file offset of buf[0] */
	bool eof;
	struct strbuf line;
	unsigned lineno;
};

int linefile_open(const char *path, size_t max_line, struct linefile **out)
{
	struct linefile *lf;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	*out = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0)
		err = errno;
	else
		err = S_ISREG(st.st_mode) ? 0 :
		      S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	if (err) {
		close(fd);
		return -err;
	}
	lf = xcalloc(1, sizeof(*lf));
	lf->fd = fd;
	lf->max_line = max_line;
	lf->buf = xmalloc(LINEFILE_CHUNK);
	strbuf_init(&lf->line, 256);
	*out = lf;
	return 0;
}

/* Refills buf; returns the bytes read, 0 at the end, or -errno. */
static ssize_t linefile_fill(struct linefile *lf)
{
	ssize_t n;

	lf->buf_off += (off_t)lf->end;
	lf->pos = lf->end = 0;
	do
		n = read(lf->fd, lf->buf, LINEFILE_CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	lf->end = (size_t)n;
	lf->eof = n == 0;
	return n;
}

int linefile_next(struct linefile *lf, const char **line, size_t *len,
		  off_t *off, bool *newline)
{
	strbuf_reset(&lf->line);
	lf->lineno++;
	*off = lf->buf_off + (off_t)lf->pos;
	for (;;) {
		char *nl;
		size_t take;

		if (lf->pos == lf->end) {
			ssize_t n = lf->eof ? 0 : linefile_fill(lf);

			if (n < 0)
				return (int)n;
			if (n == 0) {
				*newline = false;
				break;
			}
		}
		nl = memchr(lf->buf + lf->pos, '\n', lf->end - lf->pos);
		take = (nl ? (size_t)(nl - lf->buf) : lf->end) - lf->pos;
		if (lf->line.len + take > lf->max_line)
			return -EFBIG;
		strbuf_add(&lf->line, lf->buf + lf->pos, take);
		lf->pos += take + (nl != NULL);
		if (nl) {
			*newline = true;
			break;
		}
	}
	if (!*newline && lf->line.len == 0) {
		lf->lineno--;
		return 0;
	}
	*line = lf->line.buf;
	*len = lf->line.len;
	return 1;
}

unsigned linefile_lineno(const struct linefile *lf)
{
	return lf->lineno;
}

int linefile_pread(const struct linefile *lf, off_t off, size_t len,
		   char *buf)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(lf->fd, buf + got, len - got,
				  off + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		got += (size_t)n;
	}
	return 0;
}

void linefile_close(struct linefile *lf)
{
	if (!lf)
		return;
	close(lf->fd);
	free(lf->buf);
	strbuf_release(&lf->line);
	free(lf);
}
