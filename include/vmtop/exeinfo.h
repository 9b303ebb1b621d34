/* exeinfo: what kind of program an ELF executable is: static or dynamic,
 * linked against libc or not, and a Go build's version, cgo setting and
 * build tags (REFERENCE.md 4.2). */
#ifndef VMTOP_EXEINFO_H
#define VMTOP_EXEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmtop/vmmap.h"

/* The facts, in fixed buffers so that parsing never allocates.  Strings
 * longer than their buffer are truncated (always NUL-terminated). */
struct exeinfo {
	bool is_static;         /* no PT_INTERP */
	char interp[256];       /* PT_INTERP, "" when static */
	bool imports_libc;      /* a DT_NEEDED entry contains "libc.so" */
	bool is_go;             /* "\xff Go buildinf:" found in a PF_W load */
	char go_version[64];    /* "go1.19.8", "" when unknown (pre-1.18) */
	int go_cgo;             /* build CGO_ENABLED: 1, 0, -1 unknown */
	char go_tags[256];      /* build -tags value, "" when none */
	unsigned syms;          /* vmexe.syms: allocators' and runtimes'
				 * symbols in the dynamic string table or,
				 * for a static build, in .symtab's */
};

/* Parses the ELF image buf[0..len) (64- or 32-bit, little or big endian).
 * Every offset is bounds-checked; hostile input gives -EINVAL, never a
 * crash.  Returns 0 (with *out filled) or -EINVAL when buf is not ELF or
 * its program headers are out of range. */
int exeinfo_parse(const unsigned char *buf, size_t len, struct exeinfo *out);

/* The PT_LOAD segments of an ELF image, as its program headers say
 * (virtual addresses relative to the load base of a shared object). */
struct exeinfo_loads {
	unsigned nloads;        /* PT_LOAD entries */
	uint64_t first_vaddr;   /* p_vaddr of the first PT_LOAD */
	uint64_t first_offset;  /* and its p_offset */
	/* the PT_LOAD whose memory ends highest: p_vaddr, p_filesz, p_memsz
	 * (its bss is p_memsz - p_filesz past its file part) */
	uint64_t last_vaddr, last_filesz, last_memsz;
};

/* Reads the PT_LOAD program headers of the ELF image buf[0..len), which
 * need only hold the ELF header and the program headers.  Bounds-checked
 * like exeinfo_parse().  Returns 0, or -EINVAL when buf is not ELF, its
 * program headers are out of range, it has no PT_LOAD, or one has
 * p_memsz < p_filesz or ends beyond the address space. */
int exeinfo_loads(const unsigned char *buf, size_t len,
		  struct exeinfo_loads *out);

/* Maps the file open on fd read-only and parses it.  Returns 0 or
 * -errno (-EINVAL when not ELF). */
int exeinfo_read_fd(int fd, struct exeinfo *out);

/* Inspects dirfd's "exe" (dirfd: /proc/PID): readlink for m->exe.path and
 * the file itself for the rest of m->exe (strings in m's pool).  Returns
 * 0 or -errno (EACCES when denied, ENOENT for kernel threads). */
int exeinfo_read(int dirfd, struct vmmap *m);

#endif
