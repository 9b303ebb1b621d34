/* json: a small JSON writer and the process part of schema vmtop/1. */
#include "config.h"

#include "vmtop/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vmtop/fmt.h"

/* The bytes a JSON string holds as they are: printable ASCII but the
 * quote and the backslash. */
static const bool json_plain[256] = {
	[' ' ... '!'] = true,
	['#' ... '['] = true,
	[']' ... '~'] = true,
};

/* A valid UTF-8 character: as it is, but C1 controls and invisible format
 * characters (fmt_is_invisible()) as \u escapes, a surrogate pair past
 * U+FFFF, so that a reader's terminal never gets them raw. */
static void json_utf8(struct strbuf *sb, const unsigned char *p, size_t n)
{
	unsigned cp = fmt_utf8_decode(p, n);

	if (!fmt_is_invisible(cp))
		strbuf_add(sb, p, n);
	else if (cp < 0x10000)
		strbuf_addf(sb, "\\u%04x", cp);
	else
		strbuf_addf(sb, "\\u%04x\\u%04x",
			    0xd800 + ((cp - 0x10000) >> 10),
			    0xdc00 + ((cp - 0x10000) & 0x3ff));
}

void json_str_n(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;

	strbuf_grow(sb, len + 2);
	strbuf_addch(sb, '"');
	while (i < len) {
		unsigned c;

		/* copy plain ASCII in runs: this is the hot path */
		for (run = i; i < len && json_plain[p[i]]; i++)
			;
		if (i > run)
			strbuf_add(sb, p + run, i - run);
		if (i == len)
			break;
		c = p[i];
		if (c < 0x80) {
			switch (c) {
			case '"': strbuf_add(sb, "\\\"", 2); break;
			case '\\': strbuf_add(sb, "\\\\", 2); break;
			case '\n': strbuf_add(sb, "\\n", 2); break;
			case '\t': strbuf_add(sb, "\\t", 2); break;
			case '\r': strbuf_add(sb, "\\r", 2); break;
			default: strbuf_addf(sb, "\\u%04x", c); break;
			}
			i++;
			continue;
		}
		size_t n = fmt_utf8_len(p + i, len - i);
		if (n) {
			json_utf8(sb, p + i, n);
			i += n;
		} else {
			/* a byte that is not UTF-8: surrogateescape */
			strbuf_addf(sb, "\\udc%02x", c);
			i++;
		}
	}
	strbuf_addch(sb, '"');
}

void json_str(struct strbuf *sb, const char *s)
{
	if (!s)
		strbuf_add(sb, "null", 4);
	else
		json_str_n(sb, s, strlen(s));
}

void json_key(struct strbuf *sb, const char *key)
{
	json_str(sb, key);
	strbuf_addch(sb, ':');
}

void json_u64(struct strbuf *sb, uint64_t v)
{
	char buf[24];
	char *p = buf + sizeof(buf);

	if (v == UINT64_MAX) {
		strbuf_add(sb, "null", 4);
		return;
	}
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	strbuf_add(sb, p, (size_t)(buf + sizeof(buf) - p));
}

void json_addr(struct strbuf *sb, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char buf[24];
	char *p = buf + sizeof(buf);

	*--p = '"';
	do {
		*--p = hex[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	*--p = '"';
	strbuf_add(sb, p, (size_t)(buf + sizeof(buf) - p));
}

void json_double(struct strbuf *sb, double v, int decimals)
{
	char buf[64];
	int n;

	if (!isfinite(v)) {
		strbuf_add(sb, "null", 4);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	if (n <= 0 || (size_t)n >= sizeof(buf)) {
		strbuf_add(sb, "null", 4);
		return;
	}
	if (strchr(buf, '.')) {
		while (n > 0 && buf[n - 1] == '0')
			n--;
		if (n > 0 && buf[n - 1] == '.')
			n--;
	}
	strbuf_add(sb, buf, (size_t)n);
}

void json_bool(struct strbuf *sb, bool v)
{
	if (v)
		strbuf_add(sb, "true", 4);
	else
		strbuf_add(sb, "false", 5);
}

void json_document_open(struct strbuf *sb, double time,
			const struct hostinfo *host)
{
	strbuf_addstr(sb, "{\"schema\":\"vmtop/1\",\"time\":");
	json_double(sb, time, 3);
	strbuf_addstr(sb, ",\"host\":{\"cpus\":");
	json_u64(sb, (uint64_t)host->cpus);
	strbuf_addstr(sb, ",\"page_size\":");
	json_u64(sb, host->page_size);
	/* MemTotal 0: meminfo was not readable (a /proc mounted with
	 * subset=pid has none): unknown, not zero */
	bool known = host->mem_total_kib != 0;

	strbuf_addstr(sb, ",\"mem_total_kib\":");
	json_u64(sb, known ? host->mem_total_kib : UINT64_MAX);
	strbuf_addstr(sb, ",\"mem_available_kib\":");
	json_u64(sb, known ? host->mem_available_kib : UINT64_MAX);
	strbuf_addstr(sb, ",\"swap_total_kib\":");
	json_u64(sb, known ? host->swap_total_kib : UINT64_MAX);
	strbuf_addstr(sb, "},\"processes\":[");
}

void json_document_close(struct strbuf *sb)
{
	strbuf_add(sb, "]}\n", 3);
}

void json_process_open(struct strbuf *sb, const struct proc_row *r)
{
	char state[2] = { r->state, '\0' };

	strbuf_addstr(sb, "{\"pid\":");
	json_u64(sb, (uint64_t)r->pid);
	strbuf_addstr(sb, ",\"ppid\":");
	json_u64(sb, (uint64_t)r->ppid);
	strbuf_addstr(sb, ",\"uid\":");
	json_u64(sb, (uint64_t)r->uid);
	strbuf_addstr(sb, ",\"user\":");
	json_str(sb, r->user);
	strbuf_addstr(sb, ",\"comm\":");
	json_str(sb, r->comm);
	strbuf_addstr(sb, ",\"cmdline\":");
	json_str(sb, r->cmdline);
	/* added to vmtop/1: the command line goes on past what was kept */
	strbuf_addstr(sb, r->cmdline_truncated ? ",\"cmdline_truncated\":true"
					       : ",\"cmdline_truncated\":false");
	strbuf_addstr(sb, ",\"state\":");
	json_str(sb, state);
	strbuf_addstr(sb, ",\"threads\":");
	json_u64(sb, (uint64_t)r->threads);
	strbuf_addstr(sb, ",\"vsz_kib\":");
	json_u64(sb, r->vsz_kib);
	strbuf_addstr(sb, ",\"rss_kib\":");
	json_u64(sb, r->rss_kib);
	strbuf_addstr(sb, ",\"swap_kib\":");
	json_u64(sb, r->swap_known ? r->swap_kib : UINT64_MAX);
	strbuf_addstr(sb, ",\"cpu_pct\":");
	if (r->cpu_pct < 0)
		strbuf_add(sb, "null", 4);
	else
		json_double(sb, r->cpu_pct, 1);
	strbuf_addstr(sb, ",\"access\":");
	json_str(sb, r->access == PROC_ACCESS_FULL ? "full" : "limited");
	strbuf_addstr(sb, r->kthread ? ",\"kthread\":true" :
				       ",\"kthread\":false");
	/* the memory columns read (SHR, ANON, DATA always; the others
	 * when --columns names them), and how old the costly ones are */
	for (int i = 0; i < PROC_MEM__COUNT; i++) {
		if (r->mem[i] == PROC_MEM_UNKNOWN)
			continue;
		strbuf_addf(sb, ",\"%s\":", proctable_mem_key(i));
		json_u64(sb, r->mem[i]);
	}
	if (r->rollup_age >= 0) {
		strbuf_addstr(sb, ",\"rollup_age_s\":");
		json_double(sb, r->rollup_age, 3);
	}
	if (r->maps_age >= 0) {
		strbuf_addstr(sb, ",\"maps_age_s\":");
		json_double(sb, r->maps_age, 3);
	}
}
