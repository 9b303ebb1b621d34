/* test_maps: maps_parse_line() on every pathname case of REFERENCE.md
 * 2.1, malformed lines, the " (deleted)" decision against a real file,
 * maps_normalize() on torn reads, and the interning and cutting of
 * paths (many regions, long names). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/maps.h"
#include "vmtop/vmmap.h"

/* Parses a copy of s (with the writable byte after it). */
static int parse(const char *s, struct maps_line *ml, char *buf, size_t size)
{
	size_t n = strlen(s);

	if (n + 1 > size)
		return -E2BIG;
	memcpy(buf, s, n + 1);
	return maps_parse_line(buf, n, ml);
}

static void check_path(const char *line, const char *want, bool suffix,
		       bool deleted)
{
	char buf[512];
	struct maps_line ml;
	int rc = parse(line, &ml, buf, sizeof(buf));

	tap_is_int(rc, 0, "parses");
	if (rc)
		return;
	tap_is_str(ml.path, want, "path");
	tap_is_int((long long)ml.path_len, (long long)strlen(want), "path_len");
	tap_ok(ml.deleted_suffix == suffix && ml.deleted == deleted,
	       "suffix %d deleted %d (want %d %d)", ml.deleted_suffix,
	       ml.deleted, suffix, deleted);
}

static void test_fields(void)
{
	char buf[256];
	struct maps_line ml;
	int rc = parse("7f35ac000000-7f35b0000000 rw-s 0001f000 fe:01 "
		       "1234567890123 /x",
		       &ml, buf, sizeof(buf));

	tap_is_int(rc, 0, "full line parses");
	tap_ok(ml.start == 0x7f35ac000000ull && ml.end == 0x7f35b0000000ull,
	       "start and end");
	tap_is_str(ml.perms, "rw-s", "perms");
	tap_ok(ml.offset == 0x1f000, "offset");
	tap_ok(ml.dev_major == 0xfe && ml.dev_minor == 1, "device");
	tap_ok(ml.inode == 1234567890123ull, "inode");
	rc = parse("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
		   "                  [vsyscall]",
		   &ml, buf, sizeof(buf));
	tap_ok(rc == 0 && ml.start == 0xffffffffff600000ull, "vsyscall");
}

/* Hex fields of every width, both cases, and a digit too many, against
 * strtoull(). */
static void test_hex_widths(void)
{
	static const char digits[] = "0123456789abcdefFEDCBA9876543210";
	char line[256], buf[256], want[32];
	struct maps_line ml;
	bool ok = true;

	for (int n = 1; n <= 17; n++) {
		for (int shift = 0; shift < 16; shift += 5) {
			int upper = shift == 15, rc;

			for (int i = 0; i < n; i++)
				want[i] = digits[(upper ? 16 : 0) +
						 (i + shift) % 16];
			want[n] = '\0';
			if (want[0] == '0')
				want[0] = '1';
			snprintf(line, sizeof(line),
				 "%s-%s r--p %s 08:01 7   /a/long/enough/path",
				 want, "ffffffffffffffff", want);
			rc = parse(line, &ml, buf, sizeof(buf));

			if (n > 16) {
				ok = ok && rc == -EINVAL;
			} else {
				uint64_t v = strtoull(want, NULL, 16);

				ok = ok && rc == 0 && ml.start == v &&
				     ml.offset == v &&
				     ml.end == 0xffffffffffffffffull;
			}
			if (!ok) {
				tap_diag("failed on %s", line);
				break;
			}
		}
	}
	tap_ok(ok, "hex fields of 1 to 16 digits, any case; 17 refused");
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static uint64_t hex_of(const char *s, size_t n)
{
	char tmp[20];

	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return strtoull(tmp, NULL, 16);
}

/* Lines in the columns of a 64-bit header ("%12x-%12x perms %8x %2x:%2x
 * inode"), with random bytes where the digits go, some of them not hex
 * digits or in upper case: the parser must take or refuse each exactly as
 * a reading of the columns with isxdigit() and strtoull() does. */
static void test_fixed_columns(void)
{
	static const char pool[] =
		"0123456789abcdefABCDEFgG :-\x80\xff\xb5\xe3/z";
	char line[128], buf[160];
	struct maps_line ml;
	unsigned seed = 12345;
	int wrong = 0, taken = 0;

	for (int iter = 0; iter < 20000; iter++) {
		int rc;
		bool valid;

		snprintf(line, sizeof(line),
			 "%012llx-%012llx rw-p %08x %02x:%02x %u   /lib/x.so",
			 0x7f0000000000ull + (unsigned long long)iter * 4096,
			 0x7f0000001000ull + (unsigned long long)iter * 4096,
			 (unsigned)iter * 16, iter % 256, iter % 7,
			 (unsigned)iter);
		/* spoil one to three digit columns, mostly with digits */
		for (int k = 0; k < 1 + iter % 3; k++) {
			static const int cols[] = { 0,  5,  11, 13, 20, 24,
						    31, 35, 38, 40, 41, 43,
						    44 };

			seed = seed * 1103515245 + 12345;
			line[cols[(seed >> 8) % 13]] =
				pool[(seed >> 16) % (sizeof(pool) - 1)];
		}
		valid = all_hex(line, 12) && all_hex(line + 13, 12) &&
			all_hex(line + 31, 8) && all_hex(line + 40, 2) &&
			all_hex(line + 43, 2) &&
			hex_of(line + 13, 12) >= hex_of(line, 12);
		rc = parse(line, &ml, buf, sizeof(buf));
		taken += rc == 0;
		if ((rc == 0) != valid ||
		    (valid && (ml.start != hex_of(line, 12) ||
			       ml.end != hex_of(line + 13, 12) ||
			       ml.offset != hex_of(line + 31, 8) ||
			       ml.dev_major != hex_of(line + 40, 2) ||
			       ml.dev_minor != hex_of(line + 43, 2) ||
			       ml.inode != (uint64_t)iter ||
			       strcmp(ml.path, "/lib/x.so")))) {
			if (wrong++ < 3)
				tap_diag("wrong on \"%s\" (rc %d)", line, rc);
		}
	}
	tap_ok(wrong == 0 && taken > 1000 && taken < 20000,
	       "20000 headers in fixed columns read as the columns say "
	       "(%d taken)", taken);
}

static void test_paths(void)
{
	static const char *pseudo[] = {
		"[heap]", "[stack]", "[vdso]", "[vvar]", "[vvar_vclock]",
		"[vsyscall]", "[anon:my name]", "[anon_shmem:x]",
		"/usr/lib/x86_64-linux-gnu/libc.so.6",
	};
	char line[256];

	for (size_t i = 0; i < sizeof(pseudo) / sizeof(*pseudo); i++) {
		snprintf(line, sizeof(line),
			 "1000-2000 r--p 00000000 00:00 0    %s", pseudo[i]);
		check_path(line, pseudo[i], false, false);
	}
	/* anonymous, with and without the kernel's trailing space */
	check_path("1000-2000 rw-p 00000000 00:00 0 ", "", false, false);
	check_path("1000-2000 rw-p 00000000 00:00 0", "", false, false);
	check_path("1000-2000 ---p 00000000 00:00 0                ", "",
		   false, false);
	/* raw spaces, tabs and backslashes; only \012 is an escape */
	check_path("1000-2000 r--p 0 08:01 5  /tmp/a b\tc\\d", "/tmp/a b\tc\\d",
		   false, false);
	check_path("1000-2000 r--p 0 08:01 5  /tmp/nl\\012name\\012",
		   "/tmp/nl\nname\n", false, false);
	check_path("1000-2000 r--p 0 08:01 5  /tmp/\\01", "/tmp/\\01", false,
		   false);
	/* the suffix: undecided for files, decided for the special ones */
	check_path("1000-2000 r--p 0 08:01 5  /tmp/f (deleted)",
		   "/tmp/f (deleted)", true, false);
	check_path("1000-2000 r--s 0 00:01 7  /memfd:my fd (deleted)",
		   "/memfd:my fd", true, true);
	check_path("1000-2000 rw-s 0 00:01 7  /dev/zero (deleted)",
		   "/dev/zero", true, true);
	check_path("1000-2000 rw-s 0 00:01 7  /SYSV0000002a (deleted)",
		   "/SYSV0000002a", true, true);
	check_path("1000-2000 rw-s 0 00:01 7  /SYSV00002a (deleted)",
		   "/SYSV00002a (deleted)", true, false);
	check_path("1000-2000 rw-s 0 00:01 7  /dev/zero", "/dev/zero", false,
		   false);
	check_path("1000-2000 r--p 0 08:01 5  (deleted)", "(deleted)", false,
		   false);
}

static void test_malformed(void)
{
	static const char *bad[] = {
		"",
		"garbage",
		"1000-2000",
		"1000-2000 rw-p",
		"1000-2000 rw-p 0",
		"1000-2000 rw-p 0 08:01",
		"1000-2000 rw-p 0 08:01 ",
		"1000-2000 rwxq 0 08:01 5",
		"1000-2000 rw- 0 08:01 5",
		"2000-1000 rw-p 0 08:01 5",
		"1000 2000 rw-p 0 08:01 5",
		"10000000000000000-1 rw-p 0 08:01 5",
		"1000-2000 rw-p 0 0801 5",
		"1000-2000 rw-p 0 08:01 5x",
		"1000-2000 rw-p 0 08:01 99999999999999999999",
		"1000-2000 rw-p 0 1000:01 5",
		"-2000 rw-p 0 08:01 5",
		"1000-2000 rw-p\t0 08:01 5",
	};
	char buf[128];
	struct maps_line ml;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		tap_is_int(parse(bad[i], &ml, buf, sizeof(buf)), -EINVAL,
			   bad[i][0] ? bad[i] : "(empty line)");
}

/* A file whose name holds a literal backslash-012 shows in maps exactly
 * like one with a newline: the inode decides. */
static void test_escape_fs(const char *dir)
{
	char path[128], line[512], buf[512], want_nl[128];
	struct maps_line ml;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/back\\012slash", dir);
	snprintf(want_nl, sizeof(want_nl), "%s/back\nslash", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	tap_ok(fd >= 0 && fstat(fd, &st) == 0, "created a backslash-012 name");
	close(fd);
	snprintf(line, sizeof(line), "1000-2000 r--p 0 %02x:%02x %llu  %s",
		 major(st.st_dev), minor(st.st_dev),
		 (unsigned long long)st.st_ino, path);
	parse(line, &ml, buf, sizeof(buf));
	tap_ok(ml.escaped && !strcmp(ml.path, want_nl), "decoded at first");
	maps_resolve_escapes(&ml, false);
	tap_is_str(ml.path, want_nl, "without the file system: decoded");
	maps_resolve_escapes(&ml, true);
	tap_is_str(ml.path, path, "the mapped inode has the literal name");
	tap_is_int((long long)ml.path_len, (long long)strlen(path),
		   "path_len follows");
	unlink(path);
	/* and a real newline stays a newline */
	fd = open(want_nl, O_CREAT | O_WRONLY, 0600);
	tap_ok(fd >= 0 && fstat(fd, &st) == 0, "created a newline name");
	close(fd);
	snprintf(line, sizeof(line), "1000-2000 r--p 0 %02x:%02x %llu  %s",
		 major(st.st_dev), minor(st.st_dev),
		 (unsigned long long)st.st_ino, path);
	parse(line, &ml, buf, sizeof(buf));
	maps_resolve_escapes(&ml, true);
	tap_is_str(ml.path, want_nl, "the mapped inode has the newline");
	unlink(want_nl);
}

/* A file really named "x (deleted)" keeps its suffix when its inode is
 * the mapped one; an unlinked file loses it. */
static void test_deleted_fs(void)
{
	char dir[] = "/tmp/test_maps.XXXXXX", path[128], line[512];
	char buf[512];
	struct maps_line ml;
	struct stat st;
	int fd;

	if (!mkdtemp(dir)) {
		tap_ok(false, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/x (deleted)", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	tap_ok(fd >= 0 && fstat(fd, &st) == 0, "created '%s'", path);
	close(fd);
	snprintf(line, sizeof(line), "1000-2000 r--p 0 %02x:%02x %llu  %s",
		 major(st.st_dev), minor(st.st_dev),
		 (unsigned long long)st.st_ino, path);
	parse(line, &ml, buf, sizeof(buf));
	maps_resolve_deleted(&ml, true);
	tap_ok(!ml.deleted, "real file with that inode: not deleted");
	tap_is_str(ml.path, path, "name keeps the suffix");
	snprintf(line, sizeof(line), "1000-2000 r--p 0 %02x:%02x %llu  %s",
		 major(st.st_dev), minor(st.st_dev),
		 (unsigned long long)st.st_ino + 1, path);
	parse(line, &ml, buf, sizeof(buf));
	maps_resolve_deleted(&ml, true);
	tap_ok(ml.deleted, "same name, other inode: deleted");
	tap_ok(strlen(ml.path) == strlen(path) - 10, "suffix stripped");
	parse(line, &ml, buf, sizeof(buf));
	maps_resolve_deleted(&ml, false);
	tap_ok(ml.deleted, "without checking the file system: deleted");
	unlink(path);
	test_escape_fs(dir);
	rmdir(dir);
}

static void add(struct vmmap *m, uint64_t start, uint64_t end)
{
	struct region *r = vmmap_add_region(m);

	r->start = start;
	r->end = end;
	r->path = "";
}

/* Appends the maps line text through a sink that notes into n. */
static void sink_line(struct maps_sink *s, const char *text)
{
	char buf[256];
	struct maps_line ml;

	snprintf(buf, sizeof(buf), "%s", text);
	if (maps_parse_line(buf, strlen(buf), &ml) == 0)
		maps_sink_add(s, &ml);
}

/* What a reader notes: the regions seen in order, the arena candidates;
 * a sort forgets the candidates' places. */
static void test_notes(void)
{
	struct vmmap *m = vmmap_new(1);
	struct maps_notes n = { 0 };
	struct maps_sink s;

	maps_sink_init(&s, m, false, &n);
	sink_line(&s, "7f0000000000-7f0000021000 rw-p 00000000 00:00 0");
	sink_line(&s, "7f0004000000-7f0004021000 rw-p 00000000 00:00 0");
	sink_line(&s, "7f0004021000-7f0008000000 ---p 00000000 00:00 0");
	tap_is_int((long long)n.ordered, 3, "notes: three in order");
	tap_ok(n.listed && n.ncandidates == 2 && n.candidates[0] == 0 &&
	       n.candidates[1] == 1, "notes: the two 64 MiB-aligned rw-p");
	tap_is_int((long long)maps_normalize(m, &n), 0, "in order: nothing");
	tap_ok(n.listed, "notes: still listed");
	sink_line(&s, "7f0000021000-7f0000022000 r--p 00000000 00:00 0");
	tap_is_int((long long)n.ordered, 3, "notes: the fourth is out of order");
	maps_normalize(m, &n);
	tap_ok(!n.listed && n.ordered == 4 && m->regions[1].start ==
	       0x7f0000021000ULL, "sorted: candidates no longer listed");
	maps_sink_release(&s);
	maps_notes_release(&n);
	tap_ok(n.candidates == NULL && n.ncandidates == 0, "notes released");
	vmmap_free(m);
}

static void test_normalize(void)
{
	struct vmmap *m = vmmap_new(1);
	size_t dropped;

	add(m, 0x3000, 0x4000);
	add(m, 0x1000, 0x2000);
	add(m, 0x1000, 0x2000);  /* repeated by a torn read */
	add(m, 0x2000, 0x3000);
	add(m, 0x3800, 0x5000);  /* overlaps 0x3000-0x4000 */
	dropped = maps_normalize(m, NULL);
	tap_is_int((long long)dropped, 2, "two overlapping regions dropped");
	tap_is_int((long long)m->nregions, 3, "three left");
	tap_ok(m->nregions == 3 && m->regions[0].start == 0x1000 &&
	       m->regions[1].start == 0x2000 && m->regions[2].start == 0x3000,
	       "sorted by start");
	tap_ok(m->regions[0].arena == -1 && !m->regions[0].sm &&
	       m->regions[0].rss_kib == VMMAP_KIB_UNKNOWN &&
	       region_sm(&m->regions[0], SM_RSS) == VMMAP_UNKNOWN &&
	       !strcmp(region_vmflags(&m->regions[0]), ""),
	       "new regions: arena -1, counters unknown, no flags");
	/* 0x1000-0x2000, 0x2000-0x3000, 0x3000-0x4000 */
	tap_ok(vmmap_first_above(m, 0) == 0 &&
	       vmmap_first_above(m, 0x1fff) == 0 &&
	       vmmap_first_above(m, 0x2000) == 1 &&
	       vmmap_first_above(m, 0x3fff) == 2 &&
	       vmmap_first_above(m, 0x4000) == 3, "first region above");
	tap_ok(vmmap_find(m, 0xfff) == SIZE_MAX && vmmap_find(m, 0x1000) == 0 &&
	       vmmap_find(m, 0x2fff) == 1 && vmmap_find(m, 0x4000) == SIZE_MAX,
	       "region containing an address");
	vmmap_free(m);
}

struct stream_seen {
	size_t calls, aligned, bytes;
	bool first_aligned;
};

static long note_chunk(void *ctx, char *buf, size_t len, bool eof)
{
	struct stream_seen *seen = ctx;

	if (!seen->calls++)
		seen->first_aligned = ((uintptr_t)buf & 4095) == 0;
	seen->aligned += ((uintptr_t)buf & 4095) == 0;
	seen->bytes += len;
	(void)eof;
	return (long)len;
}

/* The kernel copies read() text out of a page-aligned buffer; the
 * stream reads into one too (see struct stream in maps.c), so a chunk
 * starts on a 4096-byte boundary: the first one, and every one after a
 * read that ended with a line (smaps' reads end with a block). */
static void test_stream_aligned(void)
{
	struct stream_seen seen = { 0 };
	int fd = open("/proc/self/smaps", O_RDONLY);
	int rc = fd < 0 ? -errno : maps_stream(fd, note_chunk, &seen);

	if (fd >= 0)
		close(fd);
	tap_ok(rc == 0 && seen.calls > 1 && seen.first_aligned &&
	       seen.aligned * 2 > seen.calls && seen.bytes > 4096,
	       "chunks of /proc/self/smaps read into a 4096-aligned "
	       "buffer (%zu of %zu)", seen.aligned, seen.calls);
}

/* Bytes the vmmap keeps for its regions' distinct paths. */
static size_t distinct_bytes(const struct vmmap *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nregions; i++) {
		size_t j;

		for (j = 0; j < i && m->regions[j].path != m->regions[i].path;
		     j++)
			;
		if (j == i)
			n += strlen(m->regions[i].path) + 1;
	}
	return n;
}

/* Maps text of n one-page regions, region i named name(i). */
static char *maps_text(size_t n, void (*name)(char *, size_t, size_t),
		       size_t *len)
{
	size_t cap = n * 5200 + 1, used = 0;
	char *t = malloc(cap), pbuf[4200];

	for (size_t i = 0; i < n; i++) {
		name(pbuf, sizeof(pbuf), i);
		used += (size_t)snprintf(t + used, cap - used,
					 "%zx-%zx r--p 00000000 08:01 %zu %s\n",
					 (i + 16) << 12, (i + 17) << 12, i + 1,
					 pbuf);
	}
	*len = used;
	return t;
}

/* Four paths in turn: equal paths far apart share one pointer. */
static void name_cycle(char *b, size_t size, size_t i)
{
	snprintf(b, size, "/usr/lib/lib%zu.so", i % 4);
}

/* 4 000-byte names that differ at both ends; each holds a two-byte
 * character across the place where a head would be cut. */
static void name_long(char *b, size_t size, size_t i)
{
	size_t n = 4000;

	snprintf(b, size, "/%05zu", i);
	memset(b + 6, 'x', n - 12);
	memcpy(b + 509, "\xc3\xa9", 2);
	snprintf(b + n - 6, size - n + 6, "%05zu", i);
	b[n - 1] = 'z';
	b[n] = '\0';
}

static void test_intern(void)
{
	struct vmmap *m = vmmap_new(1);
	size_t len;
	char *t = maps_text(40, name_cycle, &len);

	maps_parse_text(m, t, len, false);
	free(t);
	tap_is_int((long long)m->nregions, 40, "cycle: 40 regions");
	tap_ok(m->regions[0].path == m->regions[4].path &&
	       m->regions[1].path == m->regions[37].path &&
	       m->regions[0].path != m->regions[1].path,
	       "equal paths share one pointer, different ones do not");
	tap_is_str(m->regions[39].path, "/usr/lib/lib3.so", "kept whole");
	vmmap_free(m);

	m = vmmap_new(1);
	t = maps_text(3000, name_long, &len);
	maps_parse_text(m, t, len, false);
	free(t);
	tap_is_int((long long)m->nregions, 3000, "long: 3000 regions");
	const char *p0 = m->regions[0].path;
	size_t l0 = strlen(p0);
	tap_is_int((long long)l0, VMMAP_PATH_MAX - 1,
		   "a 4000-byte path is cut to about VMMAP_PATH_MAX bytes");
	tap_ok(strncmp(p0, "/00000xxx", 9) == 0 &&
	       strstr(p0, "xxx" VMMAP_PATH_CUT "xxx") &&
	       strcmp(p0 + l0 - 6, "00000z") == 0,
	       "its head and tail are kept around the marker");
	tap_ok(!strstr(p0, "\xc3" VMMAP_PATH_CUT), "cut on a character");
	size_t bytes = distinct_bytes(m);
	tap_ok(bytes <= VMMAP_PATH_BUDGET + VMMAP_PATH_MAX +
			       3000 * (VMMAP_PATH_SHORT + 1),
	       "3000 distinct long paths keep %zu bytes", bytes);
	const char *pl = m->regions[2999].path;
	tap_is_int((long long)strlen(pl), VMMAP_PATH_SHORT,
		   "past the budget a path keeps VMMAP_PATH_SHORT bytes");
	tap_ok(strncmp(pl, "/02999", 6) == 0 &&
	       strcmp(pl + strlen(pl) - 6, "02999z") == 0,
	       "and still tells the names apart: %s", pl);
	vmmap_free(m);
}

int main(void)
{
	test_fields();
	test_hex_widths();
	test_fixed_columns();
	test_paths();
	test_malformed();
	test_deleted_fs();
	test_notes();
	test_normalize();
	test_stream_aligned();
	test_intern();
	return tap_done();
}
