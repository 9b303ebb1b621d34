/* snapfile: the map view's `w` (see snapfile.h). */
#include "config.h"

#include "vmtop/snapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/json.h"
#include "vmtop/mapjson.h"
#include "vmtop/strbuf.h"

#define SNAPFILE_NAME_MAX 32

int snapfile_name(char *buf, size_t size, pid_t pid, const char *comm,
		  double time)
{
	char name[SNAPFILE_NAME_MAX + 1];
	time_t sec = (time_t)time;
	struct tm tm;
	size_t n = 0;
	int len;

	for (const char *p = comm; p && *p && n < SNAPFILE_NAME_MAX; p++) {
		char c = *p;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '_' || c == '-' ||
			     (c == '.' && n > 0);

		name[n++] = plain ? c : '_';
	}
	if (n == 0)
		memcpy(name, "process", n = 7);
	name[n] = '\0';
	localtime_r(&sec, &tm);
	len = snprintf(buf, size, "vmtop-%d-%s-%04d%02d%02d-%02d%02d%02d.json",
		       (int)pid, name, tm.tm_year + 1900, tm.tm_mon + 1,
		       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return len < 0 || (size_t)len >= size ? -ENAMETOOLONG : len;
}

static int snapfile_write_all(int fd, const struct strbuf *sb)
{
	size_t off = 0;

	while (off < sb->len) {
		ssize_t n = write(fd, sb->buf + off, sb->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return 0;
}

int snapfile_write(const char *path, const struct hostinfo *host,
		   const struct proc_row *row, const struct maptree *t)
{
	struct strbuf sb = STRBUF_INIT;
	struct proc_row r = *row;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return -errno;
	/* access as batch mode says it: from what reading the tree found */
	if (t->m->access != VMMAP_ACCESS_FULL || t->m->missing)
		r.access = PROC_ACCESS_LIMITED;
	strbuf_init(&sb, 1 << 16);
	json_document_open(&sb, t->m->time, host);
	json_process_open(&sb, &r);
	strbuf_addstr(&sb, ",\"maps\":");
	mapjson_write(&sb, t);
	strbuf_addch(&sb, '}');
	json_document_close(&sb);
	rc = snapfile_write_all(fd, &sb);
	strbuf_release(&sb);
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc)
		unlink(path);
	return rc;
}
