/* mapjson: the "maps" object of schema vmtop/1 (DESIGN.md, "Interfaces")
 * written from a maptree: totals, categories -> groups -> regions,
 * arenas, threads, resolver, runtime and insights.  Sizes in KiB,
 * addresses (and file offsets) as hex strings, null where unknown.
 *
 * Fields beyond DESIGN.md (allowed by the schema's rules): arenas.main
 * (the [heap] region or null), region "tid" (thread_stack only),
 * threads[].stack_reason (why stack is null). */
#ifndef VMTOP_MAPJSON_H
#define VMTOP_MAPJSON_H

#include "vmtop/maptree.h"
#include "vmtop/strbuf.h"

/* Appends the object, from '{' to '}', without a key or newline. */
void mapjson_write(struct strbuf *sb, const struct maptree *t);

/* The same, streamed: whenever sb holds 64 KiB or more between two
 * regions, flush(ctx, sb) is called and must empty sb (strbuf_reset());
 * what it was given is complete text, never half a token.  The object's
 * end is left in sb for the caller. */
void mapjson_write_flush(struct strbuf *sb, const struct maptree *t,
			 void (*flush)(void *ctx, struct strbuf *sb),
			 void *ctx);

#endif
