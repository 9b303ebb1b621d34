/* tarlib: libarchive resolved by dlopen() (tarlib.h). */
#include "config.h"

#include "vmtop/tarlib.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

static struct tarlib lib;
static bool loaded;

const struct tarlib *tarlib_load(char *err, size_t errsize)
{
	void *h;

	if (loaded)
		return &lib;
	h = dlopen(LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, errsize, "captures need %s (Debian package "
			 "libarchive13): %s", LIBARCHIVE_SONAME, dlerror());
		return NULL;
	}
	/* POSIX's dlsym() returns data pointers that are function ones */
#define SYM(field, name) (*(void **)(void *)&lib.field = dlsym(h, name))
	if (!SYM(write_new, "archive_write_new") ||
	    !SYM(write_pax, "archive_write_set_format_pax_restricted") ||
	    !SYM(write_gzip, "archive_write_add_filter_gzip") ||
	    !SYM(write_open_fd, "archive_write_open_fd") ||
	    !SYM(write_header, "archive_write_header") ||
	    !SYM(write_data, "archive_write_data") ||
	    !SYM(write_close, "archive_write_close") ||
	    !SYM(write_free, "archive_write_free") ||
	    !SYM(read_new, "archive_read_new") ||
	    !SYM(read_tar, "archive_read_support_format_tar") ||
	    !SYM(read_gzip, "archive_read_support_filter_gzip") ||
	    !SYM(read_open_fd, "archive_read_open_fd") ||
	    !SYM(read_open_memory, "archive_read_open_memory") ||
	    !SYM(read_next_header, "archive_read_next_header") ||
	    !SYM(read_data, "archive_read_data") ||
	    !SYM(read_free, "archive_read_free") ||
	    !SYM(error_string, "archive_error_string") ||
	    !SYM(entry_new, "archive_entry_new") ||
	    !SYM(entry_free, "archive_entry_free") ||
	    !SYM(entry_clear, "archive_entry_clear") ||
	    !SYM(entry_set_pathname, "archive_entry_set_pathname") ||
	    !SYM(entry_set_size, "archive_entry_set_size") ||
	    !SYM(entry_set_filetype, "archive_entry_set_filetype") ||
	    !SYM(entry_set_perm, "archive_entry_set_perm") ||
	    !SYM(entry_set_mtime, "archive_entry_set_mtime") ||
	    !SYM(entry_pathname, "archive_entry_pathname") ||
	    !SYM(entry_filetype, "archive_entry_filetype") ||
	    !SYM(entry_size, "archive_entry_size") ||
	    !SYM(entry_size_is_set, "archive_entry_size_is_set")) {
		snprintf(err, errsize, "%s lacks a function vmtop calls: %s",
			 LIBARCHIVE_SONAME, dlerror());
		dlclose(h);
		return NULL;
	}
#undef SYM
	loaded = true;
	return &lib; /* kept loaded until exit */
}
