/* tarlib: libarchive, loaded with dlopen() by --capture and --load only.
 *
 * Linked in, libarchive and what it depends on (libxml2, ICU, libstdc++)
 * would add megabytes to every vmtop's RSS, which vmtop shows and bounds;
 * so, like libmicrohttpd for --listen and libproc2 for the swap column,
 * it is loaded when a capture is written or read, and kept until exit. */
#ifndef VMTOP_TARLIB_H
#define VMTOP_TARLIB_H

#include <archive.h>
#include <archive_entry.h>
#include <stddef.h>

/* The libarchive calls vmtop makes. */
struct tarlib {
	__typeof__(&archive_write_new) write_new;
	__typeof__(&archive_write_set_format_pax_restricted) write_pax;
	__typeof__(&archive_write_add_filter_gzip) write_gzip;
	__typeof__(&archive_write_open_fd) write_open_fd;
	__typeof__(&archive_write_header) write_header;
	__typeof__(&archive_write_data) write_data;
	__typeof__(&archive_write_close) write_close;
	__typeof__(&archive_write_free) write_free;
	__typeof__(&archive_read_new) read_new;
	__typeof__(&archive_read_support_format_tar) read_tar;
	__typeof__(&archive_read_support_filter_gzip) read_gzip;
	__typeof__(&archive_read_open_fd) read_open_fd;
	__typeof__(&archive_read_open_memory) read_open_memory;
	__typeof__(&archive_read_next_header) read_next_header;
	__typeof__(&archive_read_data) read_data;
	__typeof__(&archive_read_free) read_free;
	__typeof__(&archive_error_string) error_string;
	__typeof__(&archive_entry_new) entry_new;
	__typeof__(&archive_entry_free) entry_free;
	__typeof__(&archive_entry_clear) entry_clear;
	__typeof__(&archive_entry_set_pathname) entry_set_pathname;
	__typeof__(&archive_entry_set_size) entry_set_size;
	__typeof__(&archive_entry_set_filetype) entry_set_filetype;
	__typeof__(&archive_entry_set_perm) entry_set_perm;
	__typeof__(&archive_entry_set_mtime) entry_set_mtime;
	__typeof__(&archive_entry_pathname) entry_pathname;
	__typeof__(&archive_entry_filetype) entry_filetype;
	__typeof__(&archive_entry_size) entry_size;
	__typeof__(&archive_entry_size_is_set) entry_size_is_set;
};

/* Loads libarchive (once; later calls return the same table).  Returns
 * the table, or NULL with a one-line message in err. */
const struct tarlib *tarlib_load(char *err, size_t errsize);

#endif
