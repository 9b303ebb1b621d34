/* settings: the settings file, $XDG_CONFIG_HOME/vmtop/vmtoprc.
 *
 * A text file of "key=value" lines; blank lines and lines whose first
 * non-blank character is '#' are comments.  Blanks around the key and the
 * value are ignored, a CR before the newline too.  This module knows no
 * key: it parses the file into entries (key, value, line number) in file
 * order, keeps every line as it was (comments, unknown keys, damaged
 * lines), and writes the file back with the values set changed in place,
 * atomically.  What the keys mean is its callers' (the setup screen's
 * keys, the classification rules' "rule" and "rules").
 *
 * A damaged line (no '=', a bad key, a NUL byte, longer than
 * SETTINGS_LINE_MAX) is no entry and gives a warning, "FILE:LINE: what";
 * callers add theirs (an unknown key, a bad value) with settings_warn().
 * A file larger than SETTINGS_FILE_MAX is read up to its last line
 * within that size and is never written back (its end would be lost), nor
 * is a file that could not be read. */
#ifndef VMTOP_SETTINGS_H
#define VMTOP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "vmtop/strbuf.h"

#define SETTINGS_LINE_MAX 4096        /* bytes of a line, newline excluded */
#define SETTINGS_FILE_MAX (1u << 20)  /* bytes of the file that are read */
#define SETTINGS_WARN_MAX 16          /* warnings kept; the rest counted */

struct settings_entry {
	const char *key;   /* NUL-terminated, [A-Za-z0-9_.-]+ */
	const char *value; /* NUL-terminated, without a NUL or newline */
	unsigned line;     /* 1-based */
};

struct settings;

/* The file's path into buf: $XDG_CONFIG_HOME/vmtop/vmtoprc when that is
 * an absolute path, else $HOME/.config/vmtop/vmtoprc (the password
 * file's home when HOME is unset or relative).  Returns 0, -ENOENT when
 * there is no home, -ENAMETOOLONG when buf is too small. */
int settings_default_path(char *buf, size_t size);

/* Parses buf[0..len) as the contents of the file at path (a copy is
 * kept; path names the file in warnings and is where settings_save()
 * writes).  Never NULL. */
struct settings *settings_parse(const char *path, const char *buf,
				size_t len);
/* Reads and parses the file at path.  A missing file is an empty one; a
 * file that cannot be read gives a warning and an empty settings that
 * settings_save() refuses to write.  Never NULL. */
struct settings *settings_load(const char *path);
void settings_free(struct settings *s);

/* The entries in file order (*e stays valid until the next
 * settings_set() or settings_free()); returns their number.  A key may
 * appear more than once ("rule" lines); for the others the last wins. */
size_t settings_entries(const struct settings *s,
			const struct settings_entry **e);
/* The value of the last entry with key, or NULL. */
const char *settings_get(const struct settings *s, const char *key);

/* Adds a warning about line (0: the file as a whole) in the form
 * "FILE:LINE: text" (text is formatted and made printable). */
void settings_warn(struct settings *s, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* How many warnings were given, and warning i (i below the smaller of that
 * and SETTINGS_WARN_MAX; static until settings_free()). */
size_t settings_nwarnings(const struct settings *s);
const char *settings_warning(const struct settings *s, size_t i);

/* Sets key to value: every line with key gets the new value, or a line
 * is added at the end when there is none.  Returns 0, or -EINVAL when
 * key is not a valid key or value holds a newline or is longer than a
 * line may be. */
int settings_set(struct settings *s, const char *key, const char *value);
/* The file as settings_save() would write it, appended to sb. */
void settings_text(const struct settings *s, struct strbuf *sb);
/* Writes the file with settings_write_atomic().  Returns 0, or -errno
 * with a one-line message in err (-EPERM when the file was not read
 * whole or could not be read: err says why). */
int settings_save(const struct settings *s, char *err, size_t errsize);
/* The path given to settings_parse() or settings_load(). */
const char *settings_path(const struct settings *s);

/* Replaces the file at path with data[0..len): a temporary file in the
 * same directory (missing directories are made, mode 0700), written,
 * fsync'ed, mode 0600, renamed over path, then the directory fsync'ed.
 * A symbolic link at path is followed: its target is replaced.  On
 * failure nothing at path has changed and the temporary file is gone.
 * Returns 0 or -errno. */
int settings_write_atomic(const char *path, const char *data, size_t len);

#endif
