/* serve: the Prometheus exporter (--listen): an HTTP adapter over the
 * pipeline and the openmetrics writer, as the TUI is an ncurses one. */
#ifndef VMTOP_SERVE_H
#define VMTOP_SERVE_H

#include "vmtop/cli.h"

/* Serves /metrics on o->listen_addr:o->listen_port until SIGTERM or
 * SIGINT.  Returns the exit status: 0 after a signal, 1 with a message on
 * stderr when the port cannot be bound ("vmtop: cannot listen on
 * 127.0.0.1:8958: Address already in use") or the server not started,
 * 2 for an invalid regex. */
int serve_run(const struct cli_opts *o);

#endif
