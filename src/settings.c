/* settings: the settings file — key=value lines kept as they were, so
 * that a rewrite changes only the values set (htop's rewrite loses
 * comments and unknown keys; a newer vmtop's keys survive an older one
 * here).
 *
 * The file's bytes are kept twice: as read (each line's text for the
 * rewrite) and as a working copy where each entry's key and value are
 * cut out with NULs.  A line set later owns "key=value" followed by
 * "key\0value\0" for its entry.  What the file can make vmtop hold is
 * bounded by SETTINGS_FILE_MAX: two copies and about 40 bytes a line. */
#include "config.h"

#include "vmtop/settings.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmtop/fmt.h"
#include "vmtop/xalloc.h"

struct settings_line {
	const char *text; /* the line's bytes, newline excluded */
	size_t len;
	char *owned;      /* a line set: "key=value" then "key\0value\0" */
	long entry;       /* its entry, or -1 */
};

struct settings {
	char *path;
	char *raw;  /* the bytes read */
	char *work; /* their copy, keys and values NUL-terminated */
	struct settings_line *lines;
	size_t nlines, alines;
	size_t nread; /* lines that came from the file */
	struct settings_entry *entries;
	size_t nentries, aentries;
	char *warn[SETTINGS_WARN_MAX]; /* the first ones by line */
	unsigned warn_line[SETTINGS_WARN_MAX];
	size_t nwarn;
	char why_not[160]; /* set: settings_save() refuses, saying this */
};

int settings_default_path(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	/* the XDG base directory spec: a relative path is to be ignored */
	if (xdg && xdg[0] == '/') {
		n = snprintf(buf, size, "%s/vmtop/vmtoprc", xdg);
	} else {
		if (!home || home[0] != '/') {
			struct passwd *pw = getpwuid(getuid());

			home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ?
				       pw->pw_dir : NULL;
		}
		if (!home)
			return -ENOENT;
		n = snprintf(buf, size, "%s/.config/vmtop/vmtoprc", home);
	}
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Where a warning about line goes among those kept, in line order (the
 * parser's and its callers' come at different times); -1: it is not
 * kept, the first SETTINGS_WARN_MAX are. */
static int settings_warn_slot(struct settings *s, unsigned line)
{
	size_t kept = s->nwarn < SETTINGS_WARN_MAX ? s->nwarn :
						     SETTINGS_WARN_MAX;
	size_t at = kept;

	while (at > 0 && s->warn_line[at - 1] > line)
		at--;
	if (at == SETTINGS_WARN_MAX)
		return -1;
	if (kept == SETTINGS_WARN_MAX)
		free(s->warn[--kept]);
	memmove(&s->warn[at + 1], &s->warn[at],
		(kept - at) * sizeof(*s->warn));
	memmove(&s->warn_line[at + 1], &s->warn_line[at],
		(kept - at) * sizeof(*s->warn_line));
	s->warn_line[at] = line;
	s->warn[at] = NULL;
	return (int)at;
}

void settings_warn(struct settings *s, unsigned line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT, text = STRBUF_INIT;
	va_list ap;
	int at = settings_warn_slot(s, line);

	s->nwarn++;
	if (at < 0)
		return;
	strbuf_init(&text, 64);
	va_start(ap, fmt);
	strbuf_vaddf(&text, fmt, ap);
	va_end(ap);
	strbuf_init(&sb, 128);
	fmt_printable_str(&sb, s->path);
	if (line)
		strbuf_addf(&sb, ":%u", line);
	strbuf_addstr(&sb, ": ");
	fmt_printable_str(&sb, text.buf);
	strbuf_release(&text);
	s->warn[at] = strbuf_detach(&sb);
}

size_t settings_nwarnings(const struct settings *s)
{
	return s->nwarn;
}

const char *settings_warning(const struct settings *s, size_t i)
{
	return i < s->nwarn && i < SETTINGS_WARN_MAX ? s->warn[i] : NULL;
}

static bool settings_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static bool settings_valid_key(const char *k, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!settings_key_char((unsigned char)k[i]))
			return false;
	return true;
}

static bool settings_blank(int c)
{
	return c == ' ' || c == '\t';
}

static struct settings_line *settings_add_line(struct settings *s,
					       const char *text, size_t len)
{
	struct settings_line *l;

	if (s->nlines == s->alines) {
		s->alines = s->alines ? 2 * s->alines : 32;
		s->lines = xreallocarray(s->lines, s->alines,
					 sizeof(*s->lines));
	}
	l = &s->lines[s->nlines++];
	l->text = text;
	l->len = len;
	l->owned = NULL;
	l->entry = -1;
	return l;
}

static void settings_add_entry(struct settings *s, struct settings_line *l,
			       const char *key, const char *value)
{
	if (s->nentries == s->aentries) {
		s->aentries = s->aentries ? 2 * s->aentries : 16;
		s->entries = xreallocarray(s->entries, s->aentries,
					   sizeof(*s->entries));
	}
	l->entry = (long)s->nentries;
	s->entries[s->nentries].key = key;
	s->entries[s->nentries].value = value;
	s->entries[s->nentries].line = (unsigned)s->nlines;
	s->nentries++;
}

/* Line number s->nlines + 1 at raw + off, len bytes: kept, and an entry
 * when it is a good key=value line (cut out in s->work). */
static void settings_parse_line(struct settings *s, size_t off, size_t len)
{
	struct settings_line *l = settings_add_line(s, s->raw + off, len);
	unsigned no = (unsigned)s->nlines;
	char *p = s->work + off, *end = p + len, *eq, *k, *ke, *v;

	if (len > SETTINGS_LINE_MAX) {
		settings_warn(s, no, "longer than %d bytes: ignored",
			      SETTINGS_LINE_MAX);
		return;
	}
	if (memchr(p, '\0', len)) {
		settings_warn(s, no, "holds a NUL byte: ignored");
		return;
	}
	if (end > p && end[-1] == '\r')
		end--;
	while (p < end && settings_blank(*p))
		p++;
	if (p == end || *p == '#')
		return;
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq) {
		settings_warn(s, no, "not a key=value line: ignored");
		return;
	}
	k = p;
	ke = eq;
	while (ke > k && settings_blank(ke[-1]))
		ke--;
	if (!settings_valid_key(k, (size_t)(ke - k))) {
		settings_warn(s, no, "not a valid key (letters, digits, "
				     "'_', '.', '-'): ignored");
		return;
	}
	v = eq + 1;
	while (v < end && settings_blank(*v))
		v++;
	while (end > v && settings_blank(end[-1]))
		end--;
	*ke = '\0';
	*end = '\0'; /* the \r, a blank, the newline or the byte past */
	settings_add_entry(s, l, k, v);
}

/* Splits s->raw[0..len) into lines. */
static void settings_split(struct settings *s, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(s->raw + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (s->raw + off)) : len - off;

		settings_parse_line(s, off, n);
		off += n + 1;
	}
}

static struct settings *settings_new(const char *path)
{
	struct settings *s = xcalloc(1, sizeof(*s));

	s->path = xstrdup(path ? path : "");
	return s;
}

struct settings *settings_parse(const char *path, const char *buf,
				size_t len)
{
	struct settings *s = settings_new(path);

	/* one byte more: the NUL that ends a last line without newline */
	s->raw = xmalloc(len + 1);
	s->work = xmalloc(len + 1);
	if (len) {
		memcpy(s->raw, buf, len);
		memcpy(s->work, buf, len);
	}
	s->raw[len] = s->work[len] = '\0';
	settings_split(s, len);
	s->nread = s->nlines;
	return s;
}

/* Reads at most SETTINGS_FILE_MAX + 1 bytes of fd into *buf.  Returns
 * the length, or -errno. */
static long settings_read_fd(int fd, char **buf)
{
	size_t cap = 4096, len = 0;
	char *b = xmalloc(cap);

	for (;;) {
		ssize_t r;

		if (len == cap) {
			if (cap > SETTINGS_FILE_MAX)
				break;
			cap *= 2;
			b = xreallocarray(b, cap, 1);
		}
		r = read(fd, b + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			return -e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*buf = b;
	return (long)len;
}

/* A settings of nothing that settings_save() refuses, and a warning. */
static struct settings *settings_unreadable(const char *path, int err)
{
	struct settings *s = settings_parse(path, "", 0);

	settings_warn(s, 0, "cannot be read (%s): the defaults are used",
		      strerror(err));
	snprintf(s->why_not, sizeof(s->why_not),
		 "it could not be read (%s)", strerror(err));
	return s;
}

/* Keeps the lines that end within SETTINGS_FILE_MAX. */
static size_t settings_cut(const char *buf, size_t len)
{
	const char *nl;

	if (len <= SETTINGS_FILE_MAX)
		return len;
	nl = memrchr(buf, '\n', SETTINGS_FILE_MAX);
	return nl ? (size_t)(nl - buf) + 1 : 0;
}

struct settings *settings_load(const char *path)
{
	/* O_NONBLOCK: a FIFO put there must not hang the start */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct settings *s;
	struct stat st;
	char *buf = NULL;
	long len;
	size_t keep;

	if (fd < 0 && errno == ENOENT)
		return settings_parse(path, "", 0);
	if (fd < 0)
		return settings_unreadable(path, errno);
	if (fstat(fd, &st) != 0) {
		int e = errno;

		close(fd);
		return settings_unreadable(path, e);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return settings_unreadable(path, S_ISDIR(st.st_mode) ?
						       EISDIR : EINVAL);
	}
	len = settings_read_fd(fd, &buf);
	close(fd);
	if (len < 0)
		return settings_unreadable(path, (int)-len);
	keep = settings_cut(buf, (size_t)len);
	s = settings_parse(path, buf, keep);
	free(buf);
	if (keep < (size_t)len) {
		settings_warn(s, 0, "larger than %u KiB: only its first %zu "
			      "lines are read, and setup will not rewrite it",
			      SETTINGS_FILE_MAX / 1024, s->nlines);
		snprintf(s->why_not, sizeof(s->why_not),
			 "it is larger than %u KiB",
			 SETTINGS_FILE_MAX / 1024);
	}
	return s;
}

void settings_free(struct settings *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i].owned);
	for (size_t i = 0; i < s->nwarn && i < SETTINGS_WARN_MAX; i++)
		free(s->warn[i]);
	free(s->lines);
	free(s->entries);
	free(s->raw);
	free(s->work);
	free(s->path);
	free(s);
}

size_t settings_entries(const struct settings *s,
			const struct settings_entry **e)
{
	*e = s->entries;
	return s->nentries;
}

const char *settings_get(const struct settings *s, const char *key)
{
	for (size_t i = s->nentries; i-- > 0;)
		if (strcmp(s->entries[i].key, key) == 0)
			return s->entries[i].value;
	return NULL;
}

const char *settings_path(const struct settings *s)
{
	return s->path;
}

/* Makes l the line "key=value", its entry pointing into it. */
static void settings_replace(struct settings *s, struct settings_line *l,
			     const char *key, const char *value)
{
	size_t kl = strlen(key), vl = strlen(value);
	char *o = xmalloc(2 * (kl + vl) + 3);

	memcpy(o, key, kl);
	o[kl] = '=';
	memcpy(o + kl + 1, value, vl);
	memcpy(o + kl + vl + 1, key, kl);
	o[2 * kl + vl + 1] = '\0';
	memcpy(o + 2 * kl + vl + 2, value, vl + 1);
	free(l->owned);
	l->owned = o;
	l->text = o;
	l->len = kl + vl + 1;
	s->entries[l->entry].key = o + kl + vl + 1;
	s->entries[l->entry].value = o + 2 * kl + vl + 2;
}

int settings_set(struct settings *s, const char *key, const char *value)
{
	bool found = false;
	struct settings_line *l;

	if (!settings_valid_key(key, strlen(key)) || strchr(value, '\n') ||
	    strchr(value, '\r') ||
	    strlen(key) + strlen(value) + 1 > SETTINGS_LINE_MAX)
		return -EINVAL;
	for (size_t i = 0; i < s->nlines; i++) {
		l = &s->lines[i];
		if (l->entry < 0 || strcmp(s->entries[l->entry].key, key))
			continue;
		settings_replace(s, l, key, value);
		found = true;
	}
	if (found)
		return 0;
	l = settings_add_line(s, "", 0);
	settings_add_entry(s, l, "", "");
	settings_replace(s, l, key, value);
	return 0;
}

void settings_text(const struct settings *s, struct strbuf *sb)
{
	for (size_t i = 0; i < s->nlines; i++) {
		strbuf_add(sb, s->lines[i].text, s->lines[i].len);
		strbuf_addch(sb, '\n');
	}
}

int settings_save(const struct settings *s, char *err, size_t errsize)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	if (s->why_not[0]) {
		snprintf(err, errsize, "not written: %s", s->why_not);
		return -EPERM;
	}
	strbuf_init(&sb, 1024);
	if (s->nread == 0) /* a new file says what it is */
		strbuf_addstr(&sb,
			      "# vmtop settings: key=value lines, see "
			      "vmtop(1), FILES.\n"
			      "# vmtop rewrites the values its setup (F2) "
			      "changes and keeps every other line.\n");
	settings_text(s, &sb);
	r = settings_write_atomic(s->path, sb.buf, sb.len);
	strbuf_release(&sb);
	if (r < 0)
		snprintf(err, errsize, "%s", strerror(-r));
	return r;
}

/* Makes the missing directories of dir (a path without a trailing
 * slash), mode 0700.  Returns 0 or -errno. */
static int settings_mkdirs(char *dir)
{
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			int e = errno;

			*p = c;
			return -e;
		}
		*p = c;
		if (!c)
			return 0;
	}
}

static int settings_write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes the temporary file next to target and renames it over.
 * Returns 0 or -errno. */
static int settings_replace_file(const char *dir, const char *target,
				 const char *data, size_t len)
{
	const char *base = strrchr(target, '/');
	char *tmp;
	int fd, r, dfd;

	base = base ? base + 1 : target;
	tmp = xmalloc(strlen(dir) + strlen(base) + 10);
	sprintf(tmp, "%s/.%s.XXXXXX", dir, base);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	r = fchmod(fd, 0600) ? -errno : 0;
	if (!r)
		r = settings_write_all(fd, data, len);
	if (!r && fsync(fd) != 0)
		r = -errno;
	if (close(fd) != 0 && !r)
		r = -errno;
	if (!r && rename(tmp, target) != 0)
		r = -errno;
	if (r)
		unlink(tmp);
	free(tmp);
	if (r)
		return r;
	/* the rename itself lasts once the directory is on disk */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* The file a symbolic link at path names (resolved when it exists; its
 * link text, relative to the link's directory, when not yet), or NULL. */
static char *settings_link_target(const char *path)
{
	char *t = realpath(path, NULL), buf[PATH_MAX];
	const char *slash;
	ssize_t n;

	if (t)
		return t;
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(path, '/');
	if (buf[0] == '/' || !slash)
		return xstrdup(buf);
	t = xmalloc((size_t)(slash - path) + 2 + (size_t)n);
	sprintf(t, "%.*s/%s", (int)(slash - path), path, buf);
	return t;
}

int settings_write_atomic(const char *path, const char *data, size_t len)
{
	char *target = NULL, *dir, *slash;
	struct stat st;
	int r;

	/* a dotfile manager's link: its target is the file */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		target = settings_link_target(path);
	if (!target)
		target = xstrdup(path);
	dir = xstrdup(target);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		/* a relative name or a file of /: the current or root dir */
		free(dir);
		dir = xstrdup(slash ? "/" : ".");
		r = 0;
	} else {
		*slash = '\0';
		r = settings_mkdirs(dir);
	}
	if (!r)
		r = settings_replace_file(dir, target, data, len);
	free(dir);
	free(target);
	return r;
}
