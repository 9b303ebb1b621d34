/* solib: where a shared object's bss lies, from the program headers of
 * the file it was mapped from (doc/REFERENCE.md 2.1).
 *
 * The bss of a PT_LOAD segment is its p_memsz past its p_filesz.  What
 * fits in the segment's last file page is in the file mapping; the rest
 * is an anonymous mapping that ld.so makes right after it.  An anonymous
 * rw-p region right after a library's last file mapping can also be an
 * unrelated older mapping (ld.so puts a library's span right below the
 * mapping made before it): only the headers tell the two apart. */
#ifndef VMTOP_SOLIB_H
#define VMTOP_SOLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/vmmap.h"

/* The most files looked at per read: a process has tens of libraries;
 * this bounds the cost of one that maps thousands of files. */
#define SOLIB_MAX_LOOKS 256

/* Bytes read from the start of a file: the ELF header and its program
 * headers (64 + 56 per entry on ELF64; a library has about ten). */
#define SOLIB_HEAD_BYTES 4096

/* The record for a file mapped at first_start (the start of its first
 * region, file offset first_offset) whose head (ELF header and program
 * headers, len bytes from offset 0) is buf, with pages of page bytes.
 * Returns 0 with *out filled (path not set), or -EINVAL when buf is not
 * ELF, the headers do not describe such a mapping or an address would
 * overflow. */
int solib_span(const unsigned char *buf, size_t len, uint64_t first_start,
	       uint64_t first_offset, uint64_t page, struct vmsolib *out);

/* For each distinct file path of m's regions (dirfd: /proc/PID of a live
 * process) whose last rw-p file mapping is followed right away by an
 * anonymous rw-p region, reads the head of the file and appends its
 * record to m->solibs.  The file is opened through map_files when
 * allowed, else through the process's root, and then used only when its
 * device and inode are the mapping's; a file that cannot be read or is
 * not ELF gets no record.  An object prev (the previous read, may be
 * NULL) had at the same address, the same file, keeps prev's record
 * without a read: the files are read once, not at every refresh.
 * Returns the number of records. */
size_t solib_read(int dirfd, struct vmmap *m, const struct vmmap *prev);

#endif
