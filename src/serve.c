/* serve: vmtop --listen, the Prometheus exporter.
 *
 * Two sides that share one report under a mutex.  The main thread
 * collects: every -d seconds it lists the processes, refreshes one
 * throttled pipeline per selected process (kernel threads, which have no
 * address space, and vmtop itself left out) and sums the trees per group
 * into a new report, which then replaces the served one.  smaps is read
 * per process only as often as its measured cost allows within its part
 * of --budget (pipeline_set_budget()); in between the pipeline reads maps
 * and carries the last smaps counters, whose age is exported.  A process
 * whose size, resident size and thread count (the list's cheap figures,
 * read every pass anyway) are what they were when its tree was read is
 * not read again until the tree is SERVE_STILL_MS old: most processes of
 * a machine sleep, and re-reading them would cost as much as the
 * exporters that read every process at every scrape.
 *
 * libmicrohttpd answers HTTP in its own thread, polling every connection
 * (MHD_USE_AUTO_INTERNAL_THREAD): a scrape only formats the last report,
 * so it never waits for a slow process; a client that stalls is dropped
 * after SERVE_TIMEOUT s without holding up the others, and at most
 * SERVE_CONNECTIONS are open at once.  vmtop binds the socket itself so
 * that a port in use is reported with the kernel's reason.  SIGTERM and
 * SIGINT are blocked in every thread and waited for by the collector.
 *
 * libmicrohttpd is loaded with dlopen() when --listen starts, as libproc2
 * is for the swap column: linked in, it and the GnuTLS it depends on
 * would add about a megabyte to every vmtop's RSS, which vmtop shows
 * and bounds. */
#include "config.h"

#include "vmtop/serve.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "vmtop/clock.h"
#include "vmtop/filter.h"
#include "vmtop/openmetrics.h"
#include "vmtop/pipeline.h"
#include "vmtop/source.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

/* The libmicrohttpd calls vmtop makes, resolved by dlopen(). */
static struct {
	__typeof__(&MHD_start_daemon) start_daemon;
	__typeof__(&MHD_stop_daemon) stop_daemon;
	__typeof__(&MHD_create_response_from_buffer) create_response;
	__typeof__(&MHD_add_response_header) add_header;
	__typeof__(&MHD_queue_response) queue_response;
	__typeof__(&MHD_destroy_response) destroy_response;
	__typeof__(&MHD_lookup_connection_value) lookup_value;
} mhd;

/* Loads libmicrohttpd.  Returns 0, or 1 with a message. */
static int mhd_load(void)
{
	void *h = dlopen(LIBMHD_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		fprintf(stderr, "vmtop: --listen needs %s (Debian package "
			"libmicrohttpd12): %s\n", LIBMHD_SONAME, dlerror());
		return 1;
	}
	/* POSIX's dlsym() returns data pointers that are function ones */
#define MHD_SYM(field, name)                                              \
	(*(void **)(void *)&mhd.field = dlsym(h, name))
	if (!MHD_SYM(start_daemon, "MHD_start_daemon") ||
	    !MHD_SYM(stop_daemon, "MHD_stop_daemon") ||
	    !MHD_SYM(create_response, "MHD_create_response_from_buffer") ||
	    !MHD_SYM(add_header, "MHD_add_response_header") ||
	    !MHD_SYM(queue_response, "MHD_queue_response") ||
	    !MHD_SYM(destroy_response, "MHD_destroy_response") ||
	    !MHD_SYM(lookup_value, "MHD_lookup_connection_value")) {
		fprintf(stderr, "vmtop: %s lacks a function vmtop calls: %s\n",
			LIBMHD_SONAME, dlerror());
		dlclose(h);
		return 1;
	}
#undef MHD_SYM
	return 0; /* kept loaded until exit */
}

#define SERVE_CONNECTIONS 64
#define SERVE_TIMEOUT 10 /* s, per connection */
/* A process whose list figures did not move is read again after this. */
#define SERVE_STILL_MS 60000

struct serve_proc {
	struct pipeline *p;
	double start_time;
	unsigned long smaps_reads; /* of p, counted so far */
	/* the list's figures when p last refreshed, and when */
	unsigned long vsz_kib, rss_kib;
	int threads;
	long read_ms;
	bool seen;
};

struct serve {
	const struct cli_opts *o;
	struct source *src;
	struct filter *filter;
	struct serve_proc *procs;
	size_t nprocs, cap;
	const struct proc_row **take; /* this collection's selected rows */
	size_t take_cap;
	uint64_t smaps_reads, read_errors;
	pthread_mutex_t lock;         /* guards report and made_ms */
	struct openmetrics_report report;
	long made_ms;
};

static char serve_index[] =
	"<!DOCTYPE html>\n<html><head><title>vmtop exporter</title></head>\n"
	"<body><h1>vmtop exporter</h1>\n"
	"<p>Where the memory of this machine's processes goes, by process "
	"name and cause: <a href=\"/metrics\">/metrics</a></p>\n"
	"</body></html>\n";

/* The pipeline of row's process, made on first sight or when its PID
 * went to another process. */
static struct serve_proc *proc_of(struct serve *s, const struct proc_row *row)
{
	struct serve_proc *sp = NULL;

	for (size_t i = 0; i < s->nprocs && !sp; i++)
		if (pipeline_pid(s->procs[i].p) == row->pid)
			sp = &s->procs[i];
	if (!sp || sp->start_time != row->start_time) {
		if (sp) {
			pipeline_free(sp->p); /* the PID was reused */
		} else {
			XGROW(s->procs, s->cap, s->nprocs + 1);
			sp = &s->procs[s->nprocs++];
		}
		sp->p = pipeline_new(s->src, row->pid, s->o->rules,
				     PIPELINE_THROTTLE);
		sp->start_time = row->start_time;
		sp->smaps_reads = 0;
		sp->read_ms = 0;
	}
	sp->seen = true;
	return sp;
}

/* Whether sp's process looks as it did at its last refresh, recently. */
static bool proc_still(const struct serve_proc *sp,
		       const struct proc_row *row, long now)
{
	return sp->read_ms && now - sp->read_ms < SERVE_STILL_MS &&
	       pipeline_tree(sp->p) && !pipeline_error(sp->p) &&
	       row->vsz_kib == sp->vsz_kib && row->rss_kib == sp->rss_kib &&
	       row->threads == sp->threads;
}

static void sweep(struct serve *s)
{
	size_t w = 0;

	for (size_t i = 0; i < s->nprocs; i++) {
		if (s->procs[i].seen) {
			s->procs[i].seen = false;
			s->procs[w++] = s->procs[i];
		} else {
			pipeline_free(s->procs[i].p);
		}
	}
	s->nprocs = w;
}

static bool stop_pending(void)
{
	sigset_t p;

	return sigpending(&p) == 0 &&
	       (sigismember(&p, SIGTERM) || sigismember(&p, SIGINT));
}

/* One process into r: refreshed when due within its share. */
static void collect_one(struct serve *s, struct openmetrics_report *r,
			const struct proc_row *row, double share, long now)
{
	struct serve_proc *sp = proc_of(s, row);
	struct pipeline_cadence c;
	const struct maptree *t;

	pipeline_set_budget(sp->p, share, share / 2);
	if (!proc_still(sp, row, now) &&
	    pipeline_refresh(sp->p, now, (long)(s->o->delay * 1000), false)) {
		if (pipeline_error(sp->p) && !pipeline_exited(sp->p))
			s->read_errors++;
		sp->vsz_kib = row->vsz_kib;
		sp->rss_kib = row->rss_kib;
		sp->threads = row->threads;
		sp->read_ms = now;
	}
	pipeline_cadence(sp->p, now, &c);
	s->smaps_reads += c.smaps_reads - sp->smaps_reads;
	sp->smaps_reads = c.smaps_reads;
	t = pipeline_tree(sp->p);
	if (t && t->ncategories && !pipeline_exited(sp->p))
		openmetrics_add(r, row, t, c.smaps_age);
}

/* One collection: every selected process into a new report, which then
 * replaces the served one.  Returns false when a signal came first. */
static bool collect(struct serve *s)
{
	struct openmetrics_report r, old;
	double t0 = clock_realtime_s();
	long now = clock_monotonic_ms();
	const struct proc_row *rows;
	size_t n, take = 0;
	pid_t self = getpid();
	unsigned want = filter_wants_cmdline(s->filter) ?
				PROCTABLE_WANT_CMDLINE : 0;

	if (source_list(s->src, s->o->pids, s->o->npids, want) < 0)
		return true;
	rows = source_rows(s->src, &n);
	/* the selected rows, once (a filter match is a regex run) */
	XGROW(s->take, s->take_cap, n + 1);
	for (size_t i = 0; i < n; i++)
		if (rows[i].pid != self && rows[i].vsz_kib &&
		    filter_match(s->filter, &rows[i]))
			s->take[take++] = &rows[i];
	openmetrics_init(&r, s->o->per_pid);
	for (size_t i = 0; i < take; i++) {
		if (stop_pending()) {
			openmetrics_release(&r);
			return false;
		}
		collect_one(s, &r, s->take[i],
			    s->o->budget / 100.0 / (double)take, now);
	}
	sweep(s);
	r.scrape_s = clock_realtime_s() - t0;
	r.smaps_reads = s->smaps_reads;
	r.read_errors = s->read_errors;
	pthread_mutex_lock(&s->lock);
	old = s->report;
	s->report = r;
	s->made_ms = clock_monotonic_ms();
	pthread_mutex_unlock(&s->lock);
	openmetrics_release(&old);
	return true;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
			     const char *type, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *res =
		mhd.create_response(len, body, mode);
	enum MHD_Result rc;

	if (!res)
		return MHD_NO;
	mhd.add_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	rc = mhd.queue_response(c, status, res);
	mhd.destroy_response(res);
	return rc;
}

static enum MHD_Result metrics(struct serve *s, struct MHD_Connection *c)
{
	const char *accept = mhd.lookup_value(c, MHD_HEADER_KIND,
					      MHD_HTTP_HEADER_ACCEPT);
	enum openmetrics_format f =
		accept && strstr(accept, "application/openmetrics-text") ?
			OPENMETRICS_OPENMETRICS :
			OPENMETRICS_PROMETHEUS;
	struct strbuf sb;
	size_t len;

	strbuf_init(&sb, 1 << 16);
	pthread_mutex_lock(&s->lock);
	openmetrics_write(&sb, &s->report, f,
			  (double)(clock_monotonic_ms() - s->made_ms) / 1000.0);
	pthread_mutex_unlock(&s->lock);
	len = sb.len;
	/* MHD frees the body with free() */
	return reply(c, MHD_HTTP_OK, openmetrics_content_type(f),
		     strbuf_detach(&sb), len, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	static const char text[] = "text/plain; charset=utf-8";
	static char not_found[] = "not found: try /metrics\n";
	static char not_allowed[] = "only GET and HEAD\n";
	static int first;

	(void)version;
	(void)upload;
	if (!*state) { /* headers only so far; the body, if any, is next */
		*state = &first;
		return MHD_YES;
	}
	if (*upload_size) { /* a body is read and ignored */
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, text, not_allowed,
			     strlen(not_allowed), MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics") == 0)
		return metrics(cls, c);
	if (strcmp(url, "/") == 0)
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8",
			     serve_index, strlen(serve_index),
			     MHD_RESPMEM_PERSISTENT);
	return reply(c, MHD_HTTP_NOT_FOUND, text, not_found,
		     strlen(not_found), MHD_RESPMEM_PERSISTENT);
}

/* A listening socket on the address of o; -1 after the message. */
static int bind_socket(const struct cli_opts *o, bool *v6)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	const struct sockaddr *sa = (const struct sockaddr *)&in4;
	socklen_t len = sizeof(in4);
	int fd, one = 1;

	*v6 = strchr(o->listen_addr, ':') != NULL;
	if (*v6) {
		in6.sin6_port = htons((uint16_t)o->listen_port);
		sa = (const struct sockaddr *)&in6;
		len = sizeof(in6);
	}
	in4.sin_port = htons((uint16_t)o->listen_port);
	if (*v6 ? inet_pton(AF_INET6, o->listen_addr, &in6.sin6_addr) != 1 :
		  inet_pton(AF_INET, o->listen_addr, &in4.sin_addr) != 1) {
		fprintf(stderr, "vmtop: cannot listen on %s: not a numeric "
				"IPv4 or IPv6 address\n", o->listen_addr);
		return -1;
	}
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, sa, len) < 0 || listen(fd, 64) < 0) {
		int e = errno;

		fprintf(stderr, "vmtop: cannot listen on %s%s%s:%d: %s\n",
			*v6 ? "[" : "", o->listen_addr, *v6 ? "]" : "",
			o->listen_port, strerror(e));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int setup(struct serve *s, const struct cli_opts *o)
{
	char err[256];
	int rc;

	memset(s, 0, sizeof(*s));
	s->o = o;
	pthread_mutex_init(&s->lock, NULL);
	openmetrics_init(&s->report, o->per_pid);
	s->filter = filter_new();
	if (filter_set_pattern(s->filter, o->pattern, err, sizeof(err))) {
		fprintf(stderr, "vmtop: invalid regex '%s': %s\n", o->pattern,
			err);
		return 2;
	}
	for (size_t i = 0; i < o->npids; i++)
		filter_add_pid(s->filter, o->pids[i]);
	for (size_t i = 0; i < o->nuids; i++)
		filter_add_uid(s->filter, o->uids[i]);
	rc = source_proc_new(NULL, &s->src);
	if (rc < 0) {
		fprintf(stderr, "vmtop: cannot read processes: %s\n",
			strerror(-rc));
		return 1;
	}
	return 0;
}

static void teardown(struct serve *s)
{
	for (size_t i = 0; i < s->nprocs; i++)
		pipeline_free(s->procs[i].p);
	free(s->procs);
	free(s->take);
	openmetrics_release(&s->report);
	source_free(s->src);
	filter_free(s->filter);
	pthread_mutex_destroy(&s->lock);
}

/* Collects every -d seconds until SIGTERM or SIGINT. */
static void loop(struct serve *s, const sigset_t *stop)
{
	struct timespec wait = {
		.tv_sec = (time_t)s->o->delay,
		.tv_nsec = (long)((s->o->delay - (double)(time_t)s->o->delay) *
				  1e9),
	};

	for (;;) {
		int sig = sigtimedwait(stop, NULL, &wait);

		if (sig == SIGTERM || sig == SIGINT)
			return;
		if (!collect(s))
			return;
	}
}

int serve_run(const struct cli_opts *o)
{
	struct serve s;
	struct MHD_Daemon *d;
	sigset_t stop;
	bool v6;
	int fd, rc;

	if (mhd_load())
		return 1;
	rc = setup(&s, o);
	if (rc) {
		teardown(&s);
		return rc;
	}
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	/* before MHD's thread exists, so that it inherits the mask */
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	fd = bind_socket(o, &v6);
	if (fd < 0) {
		teardown(&s);
		return 1;
	}
	collect(&s); /* the first scrape finds figures */
	d = mhd.start_daemon(MHD_USE_AUTO_INTERNAL_THREAD |
				     (v6 ? MHD_USE_IPv6 : 0),
			     0, NULL, NULL, answer, &s,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_CONNECTION_LIMIT,
			     (unsigned)SERVE_CONNECTIONS,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned)SERVE_TIMEOUT, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "vmtop: cannot start the HTTP server on port "
				"%d\n", o->listen_port);
		close(fd);
		teardown(&s);
		return 1;
	}
	if (!stop_pending())
		loop(&s, &stop);
	mhd.stop_daemon(d);
	close(fd);
	teardown(&s);
	return 0;
}
