/* exeinfo: static or dynamic, libc or not, Go or not.
 *
 * The program headers answer the first two: PT_INTERP names the dynamic
 * loader and the DT_NEEDED strings of PT_DYNAMIC name the libraries.  A
 * Go build records "\xff Go buildinf:" at a 16-byte aligned address of a
 * writable segment; it is searched there only, because a whole-file scan
 * also hits the literal in the .rodata of any tool that looks for it
 * (vmtop included).  Since Go 1.18 the version and the module info
 * (whose "build\tKEY=VAL" lines hold CGO_ENABLED and -tags) are inline
 * after the header; older builds store pointers, which would need a
 * VA-to-file translation of Go strings, so those report a Go binary of
 * unknown version.
 *
 * The input may be hostile (any file can be exec'd): every read below
 * goes through a bounds-checked accessor. */
#include "config.h"

#include "vmtop/exeinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmtop/xalloc.h"

#define PT_LOAD_ 1
#define PT_DYNAMIC_ 2
#define PT_INTERP_ 3
#define PF_W_ 2
#define DT_NEEDED_ 1
#define DT_STRTAB_ 5
#define DT_STRSZ_ 10

static const char go_magic[] = "\xff Go buildinf:";
#define GO_MAGIC_LEN 14

struct elf {
	const unsigned char *buf;
	size_t len;
	bool is64, big;
};

/* Reads an n-byte (2, 4 or 8) integer at off; false when out of range. */
static bool rd(const struct elf *e, uint64_t off, unsigned n, uint64_t *v)
{
	uint64_t x = 0;

	if (off > e->len || e->len - off < n)
		return false;
	for (unsigned i = 0; i < n; i++) {
		unsigned b = e->big ? i : n - 1 - i;

		x = x << 8 | e->buf[off + b];
	}
	*v = x;
	return true;
}

/* A word: 8 bytes in ELF64, 4 in ELF32. */
static bool rdw(const struct elf *e, uint64_t off, uint64_t *v)
{
	return rd(e, off, e->is64 ? 8 : 4, v);
}

struct phdr {
	uint64_t type, flags, offset, vaddr, filesz, memsz;
};

static bool read_phdr(const struct elf *e, uint64_t off, struct phdr *ph)
{
	if (e->is64)
		return rd(e, off, 4, &ph->type) &&
		       rd(e, off + 4, 4, &ph->flags) &&
		       rd(e, off + 8, 8, &ph->offset) &&
		       rd(e, off + 16, 8, &ph->vaddr) &&
		       rd(e, off + 32, 8, &ph->filesz) &&
		       rd(e, off + 40, 8, &ph->memsz);
	return rd(e, off, 4, &ph->type) && rd(e, off + 4, 4, &ph->offset) &&
	       rd(e, off + 8, 4, &ph->vaddr) &&
	       rd(e, off + 16, 4, &ph->filesz) &&
	       rd(e, off + 20, 4, &ph->memsz) &&
	       rd(e, off + 24, 4, &ph->flags);
}

/* Copies the NUL-terminated string at off (at most max bytes) to dst. */
static void copy_str(const struct elf *e, uint64_t off, uint64_t max,
		     char *dst, size_t size)
{
	size_t n = 0;

	while (off < e->len && max-- && e->buf[off] && n + 1 < size)
		dst[n++] = (char)e->buf[off++];
	dst[n] = '\0';
}

struct layout {
	uint64_t phoff, phentsize, phnum;
};

static int read_header(struct elf *e, struct layout *l)
{
	const unsigned char *b = e->buf;

	if (e->len < 52 || memcmp(b, "\177ELF", 4) ||
	    (b[4] != 1 && b[4] != 2) || (b[5] != 1 && b[5] != 2))
		return -EINVAL;
	e->is64 = b[4] == 2;
	e->big = b[5] == 2;
	if (!rdw(e, e->is64 ? 32 : 28, &l->phoff) ||
	    !rd(e, e->is64 ? 54 : 42, 2, &l->phentsize) ||
	    !rd(e, e->is64 ? 56 : 44, 2, &l->phnum))
		return -EINVAL;
	if (l->phentsize < (e->is64 ? 56u : 32u) || l->phoff > e->len ||
	    l->phnum * l->phentsize > e->len - l->phoff)
		return -EINVAL;
	return 0;
}

/* File offset of virtual address va, via the PT_LOAD segments. */
static bool va_to_off(const struct elf *e, const struct layout *l,
		      uint64_t va, uint64_t *off)
{
	struct phdr ph;

	for (uint64_t i = 0; i < l->phnum; i++) {
		if (!read_phdr(e, l->phoff + i * l->phentsize, &ph) ||
		    ph.type != PT_LOAD_)
			continue;
		if (va >= ph.vaddr && va - ph.vaddr < ph.filesz) {
			*off = ph.offset + (va - ph.vaddr);
			return true;
		}
	}
	return false;
}

/* Symbols that name a statically linked allocator or runtime, matched
 * whole (NUL on both sides) in a string table. */
static const struct {
	const char *name;   /* with its NULs: "\0je_malloc\0" */
	size_t len;
	unsigned bit;
} exe_syms[] = {
#define SYM(s, b) { "\0" s "", sizeof(s) + 1, b }
	SYM("je_malloc", ALLOC_JEMALLOC),
	SYM("_rjem_malloc", ALLOC_JEMALLOC),
	SYM("tc_malloc", ALLOC_TCMALLOC),
	SYM("TCMallocInternalMalloc", ALLOC_TCMALLOC),
	SYM("mi_malloc", ALLOC_MIMALLOC),
	SYM("_ZN2v87Isolate3NewERKNS0_12CreateParamsE", EXE_SYM_V8),
	SYM("Py_Initialize", EXE_SYM_PYTHON),
#undef SYM
};

/* The exe_syms bits found in the string table at [off, off + size). */
static unsigned scan_syms(const struct elf *e, uint64_t off, uint64_t size)
{
	unsigned bits = 0;

	if (off >= e->len)
		return 0;
	if (size > e->len - off)
		size = e->len - off;
	for (size_t k = 0; k < sizeof(exe_syms) / sizeof(exe_syms[0]); k++)
		if (memmem(e->buf + off, size, exe_syms[k].name,
			   exe_syms[k].len))
			bits |= exe_syms[k].bit;
	return bits;
}

#define SHT_SYMTAB_ 2

/* A static build's .symtab string table (when not stripped), through
 * the section headers. */
static unsigned symtab_syms(const struct elf *e)
{
	uint64_t shoff, shentsize, shnum, type, link, off, size;
	uint64_t w = e->is64 ? 8 : 4;

	if (!rdw(e, e->is64 ? 40 : 32, &shoff) ||
	    !rd(e, e->is64 ? 58 : 46, 2, &shentsize) ||
	    !rd(e, e->is64 ? 60 : 48, 2, &shnum) || shnum > 4096 ||
	    shentsize < (e->is64 ? 64u : 40u))
		return 0;
	for (uint64_t i = 0; i < shnum; i++) {
		uint64_t sh = shoff + i * shentsize, str;

		if (!rd(e, sh + 4, 4, &type) || type != SHT_SYMTAB_ ||
		    !rd(e, sh + (e->is64 ? 40 : 24), 4, &link) ||
		    link >= shnum)
			continue;
		str = shoff + link * shentsize;
		/* sh_offset and sh_size of the linked string table */
		if (!rdw(e, str + (e->is64 ? 24 : 16), &off) ||
		    !rdw(e, str + (e->is64 ? 24 : 16) + w, &size))
			return 0;
		return scan_syms(e, off, size);
	}
	return 0;
}

/* Looks through DT_NEEDED for libc.so (glibc's libc.so.6, musl's
 * libc.so). */
static bool needs_libc(const struct elf *e, const struct layout *l,
		       const struct phdr *dyn, unsigned *syms)
{
	uint64_t ent = e->is64 ? 16 : 8, tag, val, strtab = 0, strsz = 0;
	uint64_t needed[64], nneeded = 0, stroff;
	char name[256];

	for (uint64_t o = 0; o + ent <= dyn->filesz; o += ent) {
		if (!rdw(e, dyn->offset + o, &tag) ||
		    !rdw(e, dyn->offset + o + ent / 2, &val) || tag == 0)
			break;
		if (tag == DT_NEEDED_ && nneeded < 64)
			needed[nneeded++] = val;
		else if (tag == DT_STRTAB_)
			strtab = val;
		else if (tag == DT_STRSZ_)
			strsz = val;
	}
	if (!va_to_off(e, l, strtab, &stroff))
		return false;
	*syms |= scan_syms(e, stroff, strsz);
	if (!nneeded)
		return false;
	for (uint64_t i = 0; i < nneeded; i++) {
		if (needed[i] >= strsz || stroff + needed[i] < stroff)
			continue;
		copy_str(e, stroff + needed[i], strsz - needed[i], name,
			 sizeof(name));
		if (strstr(name, "libc.so"))
			return true;
	}
	return false;
}

/* Go's uvarint, bounded by e; false when truncated or too long. */
static bool uvarint(const struct elf *e, uint64_t *off, uint64_t *v)
{
	uint64_t x = 0;

	for (unsigned sh = 0; sh < 64; sh += 7) {
		unsigned char b;

		if (*off >= e->len)
			return false;
		b = e->buf[(*off)++];
		x |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80)) {
			*v = x;
			return true;
		}
	}
	return false;
}

/* Copies the value of the modinfo line starting with key into dst.
 * Returns false when there is no such line. */
static bool modinfo_value(const char *mi, size_t len, const char *key,
			  char *dst, size_t size)
{
	size_t klen = strlen(key);
	const char *p = mi, *e = mi + len;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);

		if (n >= klen && !memcmp(p, key, klen)) {
			n -= klen;
			p += klen;
			if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
				p++;
				n -= 2;
			}
			if (n >= size)
				n = size - 1;
			memcpy(dst, p, n);
			dst[n] = '\0';
			return true;
		}
		p += n + 1;
	}
	return false;
}

static void parse_buildinfo(const struct elf *e, uint64_t at,
			    struct exeinfo *out)
{
	uint64_t off = at + 32, n;
	char cgo[8];
	const char *mi;

	out->is_go = true;
	if (at + 16 > e->len || !(e->buf[at + 15] & 2))
		return;  /* pre-1.18: pointers, version unknown */
	if (!uvarint(e, &off, &n) || n > e->len - off)
		return;
	n = n < sizeof(out->go_version) ? n : sizeof(out->go_version) - 1;
	memcpy(out->go_version, e->buf + off, n);
	out->go_version[n] = '\0';
	off += n;
	if (!uvarint(e, &off, &n) || n > e->len - off)
		return;
	mi = (const char *)e->buf + off;
	if (modinfo_value(mi, n, "build\tCGO_ENABLED=", cgo, sizeof(cgo)))
		out->go_cgo = !strcmp(cgo, "1") ? 1
			      : !strcmp(cgo, "0") ? 0 : -1;
	modinfo_value(mi, n, "build\t-tags=", out->go_tags,
		      sizeof(out->go_tags));
}

/* Searches one writable segment for the 16-byte aligned magic. */
static bool find_buildinfo(const struct elf *e, const struct phdr *ph,
			   struct exeinfo *out)
{
	uint64_t start = ph->offset, end;
	const unsigned char *p, *hit;

	if (start >= e->len)
		return false;
	end = ph->filesz > e->len - start ? e->len : start + ph->filesz;
	p = e->buf + start;
	while ((hit = memmem(p, (size_t)(e->buf + end - p), go_magic,
			     GO_MAGIC_LEN))) {
		uint64_t off = (uint64_t)(hit - e->buf);
		uint64_t va = ph->vaddr + (off - ph->offset);

		if (va % 16 == 0 && end - off >= 16 &&
		    (hit[14] == 4 || hit[14] == 8)) {
			parse_buildinfo(e, off, out);
			return true;
		}
		p = hit + 1;
	}
	return false;
}

int exeinfo_parse(const unsigned char *buf, size_t len, struct exeinfo *out)
{
	struct elf e = { buf, len, false, false };
	struct layout l;
	struct phdr ph, dyn = { 0, 0, 0, 0, 0, 0 };
	bool have_dyn = false;

	memset(out, 0, sizeof(*out));
	out->go_cgo = -1;
	if (read_header(&e, &l) < 0)
		return -EINVAL;
	for (uint64_t i = 0; i < l.phnum; i++) {
		if (!read_phdr(&e, l.phoff + i * l.phentsize, &ph))
			return -EINVAL;
		if (ph.type == PT_INTERP_)
			copy_str(&e, ph.offset, ph.filesz, out->interp,
				 sizeof(out->interp));
		else if (ph.type == PT_DYNAMIC_ && !have_dyn)
			have_dyn = true, dyn = ph;
		else if (ph.type == PT_LOAD_ && (ph.flags & PF_W_) &&
			 !out->is_go)
			find_buildinfo(&e, &ph, out);
	}
	out->is_static = out->interp[0] == '\0';
	if (have_dyn)
		out->imports_libc = needs_libc(&e, &l, &dyn, &out->syms);
	else
		out->syms |= symtab_syms(&e);
	return 0;
}

int exeinfo_loads(const unsigned char *buf, size_t len,
		  struct exeinfo_loads *out)
{
	struct elf e = { buf, len, false, false };
	struct layout l;
	struct phdr ph;
	uint64_t top = 0;

	memset(out, 0, sizeof(*out));
	if (read_header(&e, &l) < 0)
		return -EINVAL;
	for (uint64_t i = 0; i < l.phnum; i++) {
		if (!read_phdr(&e, l.phoff + i * l.phentsize, &ph))
			return -EINVAL;
		if (ph.type != PT_LOAD_)
			continue;
		/* a segment's memory holds its file part, and fits in the
		 * address space: else the header lies */
		if (ph.memsz < ph.filesz || ph.vaddr + ph.memsz < ph.vaddr)
			return -EINVAL;
		if (!out->nloads++) {
			out->first_vaddr = ph.vaddr;
			out->first_offset = ph.offset;
		}
		if (ph.vaddr + ph.memsz >= top) {
			top = ph.vaddr + ph.memsz;
			out->last_vaddr = ph.vaddr;
			out->last_filesz = ph.filesz;
			out->last_memsz = ph.memsz;
		}
	}
	return out->nloads ? 0 : -EINVAL;
}

int exeinfo_read_fd(int fd, struct exeinfo *out)
{
	struct stat st;
	void *p;
	int rc;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size < 52)
		return -EINVAL;
	if ((uint64_t)st.st_size > SIZE_MAX)
		return -EFBIG;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	rc = exeinfo_parse(p, (size_t)st.st_size, out);
	munmap(p, (size_t)st.st_size);
	return rc;
}

static void store(struct vmexe *x, const struct exeinfo *ei)
{
	x->read = true;
	x->is_static = ei->is_static;
	x->interp = ei->interp[0] ? xstrdup(ei->interp) : NULL;
	x->imports_libc = ei->imports_libc;
	x->is_go = ei->is_go;
	x->go_version = ei->go_version[0] ? xstrdup(ei->go_version) : NULL;
	x->go_cgo = ei->go_cgo;
	x->go_tags = ei->go_tags[0] ? xstrdup(ei->go_tags) : NULL;
	x->syms = ei->syms;
}

int exeinfo_read(int dirfd, struct vmmap *m)
{
	char path[PATH_MAX + 1];
	struct exeinfo ei;
	ssize_t n;
	int fd, rc;

	m->exe.go_cgo = -1;
	n = readlinkat(dirfd, "exe", path, sizeof(path) - 1);
	if (n < 0)
		return -errno;
	path[n] = '\0';
	m->exe.path = xstrdup(path);
	fd = openat(dirfd, "exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = exeinfo_read_fd(fd, &ei);
	close(fd);
	if (rc == 0)
		store(&m->exe, &ei);
	return rc;
}
