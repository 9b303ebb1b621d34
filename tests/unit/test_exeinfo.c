/* test_exeinfo: system binaries against readelf's view, this test's own
 * binary (which holds the Go magic as a literal, outside any writable
 * segment), and crafted Go-like ELF images in memory, whole, misaligned,
 * old-format, truncated at every length and corrupted. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/exeinfo.h"

/* --- crafted images ------------------------------------------------- */

struct img {
	unsigned char b[4096];
	size_t len;
};

static void put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void phdr(unsigned char *p, uint32_t type, uint32_t flags,
		 uint64_t off, uint64_t va, uint64_t sz)
{
	put(p, type, 4);
	put(p + 4, flags, 4);
	put(p + 8, off, 8);
	put(p + 16, va, 8);
	put(p + 24, va, 8);
	put(p + 32, sz, 8);
	put(p + 40, sz, 8);
	put(p + 48, 0x1000, 8);
}

static size_t uvarint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

static const char sentinel1[] = "0w\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07"
				"\xe6\xd6\x18\xe6";
static const char sentinel2[] = "\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82"
				"\x42\x10\x41\x16\xd8\xf2";

/* ELF64 LE, two loads: read-only at 0 (with a decoy magic), writable at
 * 0x200 holding the build info at data_off (misalign it to test). */
static void craft(struct img *im, int data_off, unsigned char flags,
		  const char *cgo, const char *tags)
{
	unsigned char *b = im->b, *bi = b + 0x200 + data_off, *p;
	char mod[512];
	size_t n;

	memset(im, 0, sizeof(*im));
	memcpy(b, "\177ELF", 4);
	b[4] = 2;  /* 64-bit */
	b[5] = 1;  /* little endian */
	b[6] = 1;
	put(b + 16, 2, 2);
	put(b + 18, 62, 2);
	put(b + 32, 64, 8);   /* e_phoff */
	put(b + 52, 64, 2);
	put(b + 54, 56, 2);   /* e_phentsize */
	put(b + 56, 2, 2);    /* e_phnum */
	phdr(b + 64, 1, 4, 0, 0x400000, 0x200);
	phdr(b + 120, 1, 6, 0x200, 0x600200, 0x600);
	memcpy(b + 0x100, "\xff Go buildinf:\x08\x02", 16);  /* decoy, r-- */
	b[0x120] = 8;
	memcpy(b + 0x121, "go9.9.9", 8);
	memcpy(bi, "\xff Go buildinf:", 14);
	bi[14] = 8;
	bi[15] = flags;
	n = (size_t)snprintf(mod, sizeof(mod),
			     "%spath\texample.com/srv\n"
			     "mod\texample.com/srv\t(devel)\t\n"
			     "dep\tgolang.org/x/net\tv0.17.0\th1:abc=\n"
			     "build\t-compiler=gc\n%s%s%s"
			     "build\tCGO_ENABLED=%s\nbuild\tGOARCH=amd64\n%s",
			     sentinel1, tags ? "build\t-tags=" : "",
			     tags ? tags : "", tags ? "\n" : "", cgo,
			     sentinel2);
	p = bi + 32;
	p += uvarint(p, 8);
	memcpy(p, "go1.21.5", 8);
	p += 8;
	p += uvarint(p, n);
	memcpy(p, mod, n);
	im->len = 0x800;
}

static void test_crafted(void)
{
	struct img im;
	struct exeinfo ei;

	craft(&im, 0, 2, "1", "netgo,osusergo");
	tap_is_int(exeinfo_parse(im.b, im.len, &ei), 0, "crafted Go ELF");
	tap_ok(ei.is_go, "is Go");
	tap_is_str(ei.go_version, "go1.21.5", "version from the writable load");
	tap_is_int(ei.go_cgo, 1, "CGO_ENABLED=1");
	tap_is_str(ei.go_tags, "netgo,osusergo", "-tags");
	tap_ok(ei.is_static && !ei.interp[0] && !ei.imports_libc,
	       "no PT_INTERP: static");

	craft(&im, 0, 2, "0", NULL);
	exeinfo_parse(im.b, im.len, &ei);
	tap_ok(ei.is_go && ei.go_cgo == 0 && !ei.go_tags[0],
	       "CGO_ENABLED=0, no tags");

	craft(&im, 8, 2, "1", NULL);
	exeinfo_parse(im.b, im.len, &ei);
	tap_ok(!ei.is_go, "misaligned magic and read-only decoy: not Go");

	craft(&im, 0, 0, "1", NULL);
	exeinfo_parse(im.b, im.len, &ei);
	tap_ok(ei.is_go && !ei.go_version[0] && ei.go_cgo == -1,
	       "pre-1.18 pointer format: Go, version unknown");
}

/* What a parse of any input may give: -EINVAL, or 0 with strings that
 * end inside their buffers and facts that agree with each other.
 * Returns false on a result no input should produce. */
static bool well_formed(int rc, const struct exeinfo *ei)
{
	if (rc != 0)
		return rc == -EINVAL;
	if (!memchr(ei->interp, '\0', sizeof(ei->interp)) ||
	    !memchr(ei->go_version, '\0', sizeof(ei->go_version)) ||
	    !memchr(ei->go_tags, '\0', sizeof(ei->go_tags)))
		return false;
	if (ei->is_static != !ei->interp[0])
		return false;
	if (ei->go_cgo < -1 || ei->go_cgo > 1)
		return false;
	/* only a Go build info fills the Go fields */
	return ei->is_go || (!ei->go_version[0] && ei->go_cgo == -1 &&
			     !ei->go_tags[0]);
}

/* Hostile input must never crash nor read outside its buffer: each image
 * is parsed where it ends at a page followed by an inaccessible one, so
 * that a read past its end faults. */
static void test_hostile(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct img im, bad;
	struct exeinfo ei;
	unsigned seed = 12345;
	unsigned char *area, *at;
	int ok = 1, bad_results = 0, go = 0, other = 0, refused = 0;

	craft(&im, 0, 2, "1", "netgo");
	area = mmap(NULL, (size_t)(2 * pg), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || (size_t)pg < im.len ||
	    mprotect(area + pg, (size_t)pg, PROT_NONE)) {
		tap_ok(false, "a buffer before a guard page");
		return;
	}
	at = area + pg - im.len;
	for (size_t len = 0; len <= im.len; len++) {
		int rc;

		memcpy(area + pg - len, im.b, len);
		rc = exeinfo_parse(area + pg - len, len, &ei);
		if (len < 64 + 2 * 56 && rc == 0)
			ok = 0;  /* headers cut: must be refused */
		bad_results += !well_formed(rc, &ei);
	}
	tap_ok(ok, "every truncation parsed in bounds, cut headers refused");
	for (int i = 0; i < 20000; i++) {
		int rc;

		bad = im;
		for (int j = 0; j < 4; j++) {
			seed = seed * 1103515245u + 12345u;
			bad.b[(seed >> 8) % 0x900 % sizeof(bad.b)] ^=
				(unsigned char)(seed >> 20);
		}
		memcpy(at, bad.b, bad.len);
		rc = exeinfo_parse(at, bad.len, &ei);
		bad_results += !well_formed(rc, &ei);
		if (rc)
			refused++;
		else if (ei.is_go)
			go++;
		else
			other++;
	}
	munmap(area, (size_t)(2 * pg));
	tap_diag("20000 corrupted images: %d Go, %d other ELF, %d refused",
		 go, other, refused);
	tap_is_int(bad_results, 0,
		   "every result is -EINVAL or well-formed facts");
	tap_ok(go > 0 && other > 0 && refused > 0,
	       "the corruptions reach every outcome");
	tap_ok(exeinfo_parse((const unsigned char *)"\177ELF", 4, &ei) < 0,
	       "4-byte ELF refused");
}

/* --- real binaries --------------------------------------------------- */

static int parse_file(const char *path, struct exeinfo *ei)
{
	int fd = open(path, O_RDONLY), rc;

	if (fd < 0)
		return -1;
	rc = exeinfo_read_fd(fd, ei);
	close(fd);
	return rc;
}

/* readelf's "[Requesting program interpreter: X]", "" when none. */
static int readelf_interp(const char *path, char *out, size_t size)
{
	char cmd[512], line[1024], *p;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "readelf -lW '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	out[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "program interpreter: ");
		if (p && strchr(p, ']')) {
			p += 21;
			*strchr(p, ']') = '\0';
			snprintf(out, size, "%s", p);
		}
	}
	return pclose(f) == 0 ? 0 : -1;
}

static void test_real(void)
{
	static const char *bins[] = { "/bin/true", "/sbin/ldconfig" };
	struct exeinfo ei;
	char want[256];

	for (size_t i = 0; i < 2; i++) {
		if (access(bins[i], R_OK)) {
			tap_ok(true, "# SKIP %s missing", bins[i]);
			continue;
		}
		tap_is_int(parse_file(bins[i], &ei), 0, bins[i]);
		if (readelf_interp(bins[i], want, sizeof(want)) == 0)
			tap_is_str(ei.interp, want, "PT_INTERP as readelf");
		tap_ok(ei.is_static == !want[0], "static iff no interpreter");
		tap_ok(!ei.is_go, "not Go");
	}
	parse_file("/bin/true", &ei);
	tap_ok(ei.imports_libc && !ei.is_static, "/bin/true needs libc.so");
	if (parse_file("/sbin/ldconfig", &ei) == 0)
		tap_ok(ei.is_static && !ei.imports_libc,
		       "/sbin/ldconfig is static, no libc import");
	tap_ok(parse_file("/proc/self/exe", &ei) == 0 && !ei.is_go,
	       "this binary holds the magic in .rodata: not Go");
	tap_ok(parse_file("/etc/hostname", &ei) < 0, "text file refused");
}

int main(void)
{
	test_crafted();
	test_hostile();
	test_real();
	return tap_done();
}
