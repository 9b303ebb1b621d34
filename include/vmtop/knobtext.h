/* knobtext: a process's knobs (knobs.h) as text lines and as the "knobs"
 * object of vmtop/1 — the batch twin of the map view's knobs pane ('e'),
 * which shows the same lines. */
#ifndef VMTOP_KNOBTEXT_H
#define VMTOP_KNOBTEXT_H

#include "vmtop/knobs.h"
#include "vmtop/strbuf.h"

/* Appends k as text to sb, one item a line: section lines ("limits:")
 * at column 0, knobs indented by 2, each one's effect on the next line
 * indented by 6.  Values from the process are made printable.  why
 * (may be NULL or "") says why the environment was refused. */
void knobtext_write(struct strbuf *sb, const struct knobs *k,
		    const char *why);

/* Appends k as a JSON object: {"environ": [{"name","value","from",
 * "effect"}] or null, "environ_error", "hidden_options", "argv": [..],
 * "limits": {"stack"|"as"|"data": {"soft","hard"}} (bytes, null =
 * unlimited), "cgroup": {"path","memory_max","memory_high",
 * "effective_max","effective_path"} or null, "cgroup_error"}. */
void knobtext_json(struct strbuf *sb, const struct knobs *k);

#endif
