/* resolverview: the DNS-resolver pane of the map view ('d') — the
 * mappings tagged dns (NSS modules, resolver libraries, nscd caches), and
 * above them which resolver the process can use: glibc's getaddrinfo in
 * libc, or for Go the netgo build tag, cgo and GODEBUG=netdns; when
 * nothing resolver-related is mapped, a sentence that says so. */
#ifndef VMTOP_RESOLVERVIEW_H
#define VMTOP_RESOLVERVIEW_H

#include "vmtop/pipeline.h"
#include "vmtop/strbuf.h"
#include "vmtop/treeview.h"

/* A flat treeview of s's dns-tagged regions (s borrowed). */
struct treeview *resolverview_new(struct pipeline *s);
/* Draws the sentences from row y (at most max rows); returns rows used. */
int resolverview_header(const struct pipeline *s, int y, int width, int max);

/* The sentences, for the header and the tests: which resolver t's
 * process can use (static storage), and what resolver-related is mapped
 * (appended to sb, raw). */
const char *resolverview_which(const struct maptree *t);
void resolverview_found(const struct maptree *t, struct strbuf *sb);

#endif
