/* test_solib: a library's bss from crafted ELF images (whole, truncated
 * at every length, hostile fields), and live from this test's own
 * process against the dynamic loader's view (dl_iterate_phdr). */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/procmap.h"
#include "vmtop/solib.h"

#define PAGE 4096u
#define BASE 0x7f0000000000ull

static void put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void load(unsigned char *p, uint32_t flags, uint64_t off,
		 uint64_t va, uint64_t filesz, uint64_t memsz)
{
	put(p, 1, 4);  /* PT_LOAD */
	put(p + 4, flags, 4);
	put(p + 8, off, 8);
	put(p + 16, va, 8);
	put(p + 24, va, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, PAGE, 8);
}

/* ELF64 LE shared object: a read-only load at 0 and a writable one at
 * 0x3e10 with 0x400 bytes of data and memsz of memory.  Returns its
 * length (the headers only). */
static size_t craft(unsigned char *b, uint64_t memsz)
{
	memset(b, 0, 512);
	memcpy(b, "\177ELF", 4);
	b[4] = 2;
	b[5] = 1;
	b[6] = 1;
	put(b + 16, 3, 2);   /* ET_DYN */
	put(b + 32, 64, 8);  /* e_phoff */
	put(b + 54, 56, 2);  /* e_phentsize */
	put(b + 56, 2, 2);   /* e_phnum */
	load(b + 64, 4, 0, 0, 0x1000, 0x1000);
	load(b + 120, 6, 0x2e10, 0x3e10, 0x400, memsz);
	return 64 + 2 * 56;
}

static void test_crafted(void)
{
	unsigned char b[512];
	struct vmsolib s;
	size_t len = craft(b, 0x2000);
	int rc;

	rc = solib_span(b, len, BASE, 0, PAGE, &s);
	tap_is_int(rc, 0, "crafted: parsed");
	tap_ok(s.base == BASE, "crafted: base is the first mapping's start");
	tap_ok(s.data_end == BASE + 0x5000,
	       "crafted: file data ends at 0x4210, page-rounded 0x5000");
	tap_ok(s.mem_end == BASE + 0x6000,
	       "crafted: memory ends at 0x5e10, page-rounded 0x6000");
	/* a bss within the last file page: nothing beyond the file data */
	craft(b, 0x500);
	rc = solib_span(b, len, BASE, 0, PAGE, &s);
	tap_ok(rc == 0 && s.mem_end == s.data_end,
	       "crafted: a bss that fits in the last file page has no "
	       "anonymous part");
	/* truncated: the program headers must be whole */
	craft(b, 0x2000);
	rc = 0;
	for (size_t n = 0; n < len; n++)
		if (solib_span(b, n, BASE, 0, PAGE, &s) != -EINVAL)
			rc++;
	tap_is_int(rc, 0, "crafted: truncated at every length: refused");
}

/* Each hostile image must be refused (-EINVAL). */
static void test_hostile(void)
{
	unsigned char b[512];
	struct vmsolib s;
	size_t len;

	len = craft(b, 0x2000);
	put(b + 32, UINT64_MAX - 8, 8);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: e_phoff beyond the buffer");
	len = craft(b, 0x2000);
	put(b + 56, 0xffff, 2);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: e_phnum 65535");
	len = craft(b, 0x2000);
	put(b + 54, 8, 2);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: e_phentsize too small");
	len = craft(b, 0x100);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: p_memsz below p_filesz");
	len = craft(b, UINT64_MAX - 0x1000);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: p_vaddr + p_memsz wraps");
	len = craft(b, 0x2000);
	put(b + 120 + 16, UINT64_MAX - 0x3000, 8);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: base + p_vaddr wraps");
	len = craft(b, 0x2000);
	put(b + 120 + 16, UINT64_MAX - BASE - 0x2100, 8);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: the end rounded up to a page wraps");
	len = craft(b, 0x2000);
	put(b + 64 + 16, BASE + PAGE, 8);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: first p_vaddr above the mapping (base < 0)");
	len = craft(b, 0x2000);
	tap_is_int(solib_span(b, len, BASE, PAGE, PAGE, &s), -EINVAL,
		   "hostile: first mapping's offset is not the first load's");
	tap_is_int(solib_span(b, len, BASE, 0, 3000, &s), -EINVAL,
		   "hostile: a page size that is not a power of two");
	len = craft(b, 0x2000);
	put(b + 64, 2, 4);
	put(b + 120, 2, 4);
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: no PT_LOAD");
	len = craft(b, 0x2000);
	b[4] = 7;
	tap_is_int(solib_span(b, len, BASE, 0, PAGE, &s), -EINVAL,
		   "hostile: bad class");
}

struct want {
	uint64_t base, data_end, mem_end;
	bool found;
};

static uint64_t up(uint64_t x)
{
	return (x + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

/* libc as the dynamic loader mapped it: its base and its last PT_LOAD. */
static int find_libc(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct want *w = arg;
	const ElfW(Phdr) *last = NULL;

	(void)size;
	if (!strstr(info->dlpi_name, "/libc.so."))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD)
			last = &info->dlpi_phdr[i];
	if (!last)
		return 0;
	w->base = info->dlpi_addr;
	w->data_end = up(info->dlpi_addr + last->p_vaddr + last->p_filesz);
	w->mem_end = up(info->dlpi_addr + last->p_vaddr + last->p_memsz);
	w->found = true;
	return 1;
}

static void test_live(void)
{
	struct want w = { 0, 0, 0, false };
	struct vmmap *m;
	const struct vmsolib *s = NULL;

	dl_iterate_phdr(find_libc, &w);
	if (!w.found || getpagesize() != (int)PAGE) {
		tap_ok(true, "live: # SKIP no libc.so or not 4 KiB pages");
		return;
	}
	tap_is_int(procmap_read(NULL, getpid(), PROCMAP_EXE, &m), 0,
		   "live: own maps read");
	if (!m)
		return;
	for (size_t k = 0; k < m->nsolibs; k++)
		if (strstr(m->solibs[k].path, "/libc.so."))
			s = &m->solibs[k];
	if (w.mem_end == w.data_end) {
		tap_ok(true, "live: # SKIP libc's bss fits in its file page");
	} else {
		tap_ok(s && s->base == w.base,
		       "live: libc's base is the loader's");
		tap_ok(s && s->data_end == w.data_end &&
			       s->mem_end == w.mem_end,
		       "live: libc's bss spans what the loader's headers "
		       "say");
	}
	vmmap_free(m);
}

int main(void)
{
	test_crafted();
	test_hostile();
	test_live();
	return tap_done();
}
