/* capsrc: the capture source, a vmtop --capture archive (capture.h) read
 * as a source (source.h) on any machine.
 *
 * The archive is hostile input until proven otherwise.  Every entry must
 * be a regular file with one of the names a capture has (capsrc_name_ok():
 * no "..", no absolute path, nothing else), within CAPSRC_ENTRY_MAX bytes,
 * CAPSRC_TOTAL_MAX in all and CAPSRC_MAX_ENTRIES entries; anything else
 * stops the reading with a one-line error.  Accepted entries are written
 * into a private directory (mkdtemp, mode 0700, files created new and
 * never through a link), which the proc source then reads like any proc
 * root (not live: nothing is probed); the facts the live read took from
 * the executable, the libraries and the process's memory are put back
 * from PID/vmtop-facts, and the capturing machine's page size and CPUs
 * from the manifest.  Its knobs (source_knobs()) are knobs_read() of the
 * unpacked environ, cmdline and limits, with the cgroup v2 limits and
 * hidden options count of PID/vmtop-facts put back.  source_free()
 * removes the directory, as does a failed capsrc_new(). */
#ifndef VMTOP_CAPSRC_H
#define VMTOP_CAPSRC_H

#include <stdbool.h>
#include <stddef.h>

#include "vmtop/source.h"

#define CAPSRC_MAX_ENTRIES 200000
#define CAPSRC_ENTRY_MAX (256ull << 20)  /* smaps of 65 000 maps: 80 MB */
#define CAPSRC_TOTAL_MAX (1ull << 30)

/* Opens the capture archive at path.  Returns 0 with *out set, or -1 with
 * a one-line message in err (which names path). */
int capsrc_new(const char *path, struct source **out, char *err,
	       size_t errsize);

/* The same for an archive in memory (buf must outlive the call only);
 * name is what messages call it. */
int capsrc_new_memory(const void *buf, size_t len, const char *name,
		      struct source **out, char *err, size_t errsize);

/* Whether name is the name of an entry a capture may hold. */
bool capsrc_name_ok(const char *name);

#endif
