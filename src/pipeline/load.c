/* load: the source for --load FILE, chosen by the file's first bytes
 * (load.h). */
#include "config.h"

#include "vmtop/load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmtop/capsrc.h"

enum load_kind load_kind(const unsigned char *head, size_t len)
{
	size_t i = 0;

	if (len == 0)
		return LOAD_EMPTY;
	if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return LOAD_CAPTURE; /* gzip */
	if (len >= 262 && !memcmp(head + 257, "ustar", 5))
		return LOAD_CAPTURE; /* POSIX tar (pax is one) */
	while (i < len && (head[i] == ' ' || head[i] == '\n' ||
			   head[i] == '\t' || head[i] == '\r'))
		i++;
	if (i < len && head[i] == '{')
		return LOAD_SNAPSHOT;
	return LOAD_UNKNOWN;
}

int load_open(const char *path, struct source **out, char *err,
	      size_t errsize)
{
	unsigned char head[512];
	ssize_t n = 0, r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	if (fd < 0) {
		snprintf(err, errsize, "cannot open %s: %s", path,
			 strerror(errno));
		return -1;
	}
	while (n < (ssize_t)sizeof(head) &&
	       ((r = read(fd, head + n, sizeof(head) - (size_t)n)) > 0 ||
		(r < 0 && errno == EINTR)))
		n += r > 0 ? r : 0;
	close(fd);
	switch (load_kind(head, (size_t)n)) {
	case LOAD_EMPTY:
		snprintf(err, errsize, "%s is empty", path);
		return -1;
	case LOAD_CAPTURE:
		return capsrc_new(path, out, err, errsize);
	case LOAD_SNAPSHOT:
		snprintf(err, errsize, "%s is a JSON snapshot, which this "
			 "vmtop cannot load", path);
		return -1;
	default:
		snprintf(err, errsize, "%s is neither a vmtop capture "
			 "archive nor a snapshot", path);
		return -1;
	}
}
