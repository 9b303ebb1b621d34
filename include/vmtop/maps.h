/* maps: parsing /proc/PID/maps lines, and reading maps into a vmmap.
 *
 * The parser works on a caller's buffer in place (it unescapes the path
 * and NUL-terminates it there) so that the readers never allocate per
 * line and the fuzzer can feed it anything. */
#ifndef VMTOP_MAPS_H
#define VMTOP_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/vmmap.h"

/* One parsed maps line.  path points into the parsed buffer. */
struct maps_line {
	uint64_t start, end, offset, inode;
	unsigned dev_major, dev_minor;
	char perms[5];
	char *path;       /* unescaped, NUL-terminated, "" when anonymous */
	size_t path_len;
	/* The line ended in " (deleted)".  For memfd, SysV and /dev/zero the
	 * suffix has been removed from path and deleted is true; for other
	 * names path still holds the suffix (path_len includes it) and
	 * maps_resolve_deleted() decides. */
	bool deleted_suffix;
	bool deleted;
	/* "\012" was decoded; raw_len is the path's length before that (a
	 * literal backslash-012 in a name looks the same: see
	 * maps_resolve_escapes()). */
	bool escaped;
	size_t raw_len;
};

/* Parses line[0..len) (no trailing newline; line[len] must be writable
 * and is overwritten with the path's NUL).  Returns 0, or -EINVAL when
 * the line is not a maps line (out is then unspecified).  Unescapes
 * "\012" to a newline in place; out->path stays valid as long as line. */
int maps_parse_line(char *line, size_t len, struct maps_line *out);

/* Decides whether a line with the " (deleted)" suffix is an unlinked file
 * or a file really named "... (deleted)".  When check_fs is true it
 * stat()s the full name and keeps the suffix if that file has the line's
 * device and inode; otherwise (or when no such file exists) it strips the
 * suffix and sets deleted.  No-op for lines without the suffix. */
void maps_resolve_deleted(struct maps_line *ml, bool check_fs);

/* Settles "\012" for a line whose path had it: the kernel escapes a
 * newline so, but leaves a literal backslash followed by "012" as is.
 * When check_fs is true and the decoded name is not the mapped inode
 * while the undecoded one is, path is put back undecoded.  No-op
 * otherwise and for deleted mappings (no file to look at). */
void maps_resolve_escapes(struct maps_line *ml, bool check_fs);

/* What maps_stream() hands its text to: buf[0..len) is whole lines, each
 * ending in '\n' (at eof a newline is added after an unterminated last
 * line).  The callback may write into buf (buf[len] too) and returns how
 * many bytes from the front it consumed: the rest is handed to it again,
 * followed by more text, on the next call.  At eof everything counts as
 * consumed.  A negative return stops the stream with that value. */
typedef long (*maps_chunk_fn)(void *ctx, char *buf, size_t len, bool eof);

/* Reads fd to its end with reads of at least 256 KiB and hands the text
 * to chunk after each read, growing the buffer for longer lines or
 * unconsumed text.  The buffer is reused
 * between calls: the callback must copy what it keeps.  Returns 0 at end
 * of file, the callback's negative value if it returns one, or -errno of
 * read(). */
int maps_stream(int fd, maps_chunk_fn chunk, void *ctx);

/* The same loop over text[0..len) in memory, as if each read() returned
 * `piece` bytes and the text were handed on once `batch` bytes had come
 * in: the tests and the fuzzer use it to put the pieces' boundaries
 * anywhere.  Returns as maps_stream() does. */
int maps_stream_text(const char *text, size_t len, size_t piece,
		     size_t batch, maps_chunk_fn chunk, void *ctx);

/* What a reader notes about the regions it appends, for the steps after
 * it (maps_normalize(), peek_probe_arenas()), so that none of them needs
 * another pass over every region.  The caller owns it; a reader only
 * appends to it. */
struct maps_notes {
	/* regions[0..ordered) are in address order, without overlap */
	size_t ordered;
	/* indexes of the arena candidates (peek_is_candidate()), every one
	 * of them while listed is true (a sort moves them: false then) */
	size_t *candidates;
	size_t ncandidates, cap;
	bool listed;
};

/* Empties n for a new read (keeping its memory). */
void maps_notes_reset(struct maps_notes *n);
/* Frees n's memory; n is then empty. */
void maps_notes_release(struct maps_notes *n);

/* Turns parsed lines into regions of a vmmap.  It remembers the last
 * " (deleted)" decision so that many mappings of one file cost one
 * stat(); the fields after notes are private. */
struct maps_sink {
	struct vmmap *m;
	struct maps_notes *notes; /* where the regions are noted */
	struct maps_notes own;    /* when the caller gave none */
	bool check_fs;    /* see maps_resolve_deleted() */
	char *del_name;   /* last name checked for " (deleted)" */
	size_t del_len, del_cap;
	uint64_t del_inode;
	unsigned del_major, del_minor;
	bool del_result;
};

/* A sink appending to m; the regions are noted in notes (reset by the
 * caller), or in the sink's own when notes is NULL. */
void maps_sink_init(struct maps_sink *s, struct vmmap *m, bool check_fs,
		    struct maps_notes *notes);
/* Frees the sink's own memory; m and the caller's notes are untouched. */
void maps_sink_release(struct maps_sink *s);

/* Resolves ml's " (deleted)" suffix, then appends a region built from ml
 * to s->m: path copied into m's pool (the previous region's copy is
 * reused when equal), counters VMMAP_UNKNOWN, vmflags "", kind NONE,
 * arena -1.  Returns the new region, owned by m and valid until the next
 * append to m. */
struct region *maps_sink_add(struct maps_sink *s, struct maps_line *ml);

/* Parses a whole maps text buf[0..len) into m->regions exactly as
 * maps_read() does; malformed lines are skipped.  buf is modified and
 * buf[len] must be writable.  Returns 0. */
int maps_parse_text(struct vmmap *m, char *buf, size_t len, bool check_fs);

/* Reads dirfd's "maps" (dirfd: the /proc/PID directory) into m->regions,
 * appending, and notes them in notes (may be NULL).  check_fs: see
 * maps_resolve_deleted().  Returns 0, or -errno of openat()/read()
 * (regions read before an error are kept). */
int maps_read(int dirfd, struct vmmap *m, bool check_fs,
	      struct maps_notes *notes);

/* Sorts m->regions by start address when needed and drops regions that
 * overlap their predecessor (a torn read).  notes (may be NULL) spares
 * the check when the reader saw the regions in order, and is updated.
 * Returns how many were dropped. */
size_t maps_normalize(struct vmmap *m, struct maps_notes *notes);

#endif
