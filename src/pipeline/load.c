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
#include "vmtop/snapshot.h"

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
	ssize_t n = 0, r = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	while (fd >= 0 && n < (ssize_t)sizeof(head) &&
	       ((r = read(fd, head + n, sizeof(head) - (size_t)n)) > 0 ||
		(r < 0 && errno == EINTR)))
		n += r > 0 ? r : 0;
	if (fd >= 0)
		close(fd);
	/* a capture is told by its tar or gzip header; anything else,
	 * unreadable, empty or not, is the snapshot reader's to explain
	 * (it names the file, the line and what is wrong) */
	if (fd >= 0 && r >= 0 && load_kind(head, (size_t)n) == LOAD_CAPTURE)
		return capsrc_new(path, out, err, errsize);
	return snapshot_open(path, out, err, errsize) < 0 ? -1 : 0;
}
