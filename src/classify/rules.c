/* rules: the built-in DNS rule and the user's own rules, one syntax.
 *
 * A line is parsed by hand rather than with a regex: the pattern sits
 * between slashes and may hold anything, values may be quoted, and every
 * error must say what and where (PCRE2's own message and offset for the
 * pattern).  The kind and tag names are the JSON's (maptree_kind_name(),
 * maptree_tag_name()); test_rules checks that the tables here agree. */
#include "config.h"

#include "vmtop/rules.h"

#include <errno.h>
#include <fcntl.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmtop/xalloc.h"

struct rule {
	pcre2_code *re;
	struct rule_info info;
	char *group, *insight, *knob, *where; /* owned: info's strings */
};

struct rules {
	struct rule *v;
	size_t n, cap;
	pcre2_match_data *md;
	pcre2_match_context *mctx; /* the limits below */
};

/* A user's pattern runs on every region of every refresh, in the
 * classification lock: a pattern that backtracks without end gives up
 * (as a non-match) instead of stalling it.  Figures as the filter's. */
#define RULES_MATCH_LIMIT 100000
#define RULES_DEPTH_LIMIT 10000
#define RULES_HEAP_LIMIT_KIB 4096
/* A rules file larger than this is refused: rules are a few lines. */
#define RULES_FILE_MAX (1 << 20)

/* Kinds a rule may give: not arena and thread_stack, whose regions need
 * an arena number or a thread the rule cannot give. */
static const struct {
	const char *name;
	enum region_kind kind;
} rules_kinds[] = {
	{ "binary", KIND_BINARY },
	{ "library", KIND_LIBRARY },
	{ "file", KIND_FILE },
	{ "heap", KIND_HEAP },
	{ "main_stack", KIND_MAIN_STACK },
	{ "go_heap", KIND_GO_HEAP },
	{ "go_runtime", KIND_GO_RUNTIME },
	{ "anon", KIND_ANON },
	{ "shared", KIND_SHARED },
	{ "kernel", KIND_KERNEL },
	{ "v8_code_range", KIND_V8_CODE_RANGE },
	{ "v8_cage", KIND_V8_CAGE },
	{ "v8_heap", KIND_V8_HEAP },
	{ "pymalloc", KIND_PYMALLOC },
	{ "java_heap", KIND_JAVA_HEAP },
	{ "java_class_space", KIND_JAVA_CLASS_SPACE },
	{ "java_metaspace", KIND_JAVA_METASPACE },
	{ "java_code_cache", KIND_JAVA_CODE_CACHE },
	{ "java_gc", KIND_JAVA_GC },
	{ "allocator", KIND_ALLOCATOR },
	{ "malloc_block", KIND_MALLOC_BLOCK },
};

static const struct {
	const char *name;
	unsigned tag;
} rules_tags[] = {
	{ "dns", TAG_DNS },       { "guard", TAG_GUARD },
	{ "reserved", TAG_RESERVED }, { "deleted", TAG_DELETED },
	{ "verified", TAG_VERIFIED }, { "exec", TAG_EXEC },
	{ "shared", TAG_SHARED }, { "hugetlb", TAG_HUGETLB },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* Compiles one pattern, JIT when available.  NULL on error with err set
 * to PCRE2's message and the offset. */
static pcre2_code *rules_compile(const char *pat, size_t len, uint32_t opts,
				 char *err, size_t errsize)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re;

	re = pcre2_compile((PCRE2_SPTR)pat, len, opts, &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		if (err && errsize)
			snprintf(err, errsize, "%s at offset %zu",
				 (const char *)msg, (size_t)off);
		return NULL;
	}
	/* JIT is an optimisation only: failure to JIT is not an error. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static struct rule *rules_push(struct rules *r)
{
	struct rule *ru;

	XGROW(r->v, r->cap, r->n + 1);
	ru = &r->v[r->n++];
	memset(ru, 0, sizeof(*ru));
	return ru;
}

static void rules_rule_free(struct rule *ru)
{
	pcre2_code_free(ru->re);
	free(ru->group);
	free(ru->insight);
	free(ru->knob);
	free(ru->where);
}

int rules_new(const char *const *extra, size_t nextra, struct rules **out,
	      char *err, size_t errsize)
{
	struct rules *r = xcalloc(1, sizeof(*r));

	*out = NULL;
	for (size_t i = 0; i <= nextra; i++) {
		const char *pat = i == 0 ? RULES_DNS_DEFAULT : extra[i - 1];
		struct rule *ru = rules_push(r);

		ru->re = rules_compile(pat, strlen(pat), 0, err, errsize);
		if (!ru->re) {
			rules_free(r);
			return -EINVAL;
		}
		ru->where = xstrdup("built-in");
		ru->info.kind = KIND_NONE;
		ru->info.tags = TAG_DNS;
		ru->info.where = ru->where;
	}
	r->md = pcre2_match_data_create(1, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	if (!r->md || !r->mctx) {
		rules_free(r);
		return -ENOMEM;
	}
	pcre2_set_match_limit(r->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, RULES_DEPTH_LIMIT);
	pcre2_set_heap_limit(r->mctx, RULES_HEAP_LIMIT_KIB);
	*out = r;
	return 0;
}

/* A line being parsed: p moves over s[0..e). */
struct rules_parse {
	const char *p, *e;
	char *err;
	size_t errsize;
};

static int rules_fail(struct rules_parse *ps, const char *fmt, const char *a)
	__attribute__((format(printf, 2, 0)));

static int rules_fail(struct rules_parse *ps, const char *fmt, const char *a)
{
	if (ps->err && ps->errsize)
		snprintf(ps->err, ps->errsize, fmt, a);
	return -EINVAL;
}

static void rules_blanks(struct rules_parse *ps)
{
	while (ps->p < ps->e && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

/* The pattern between slashes; its end is the first '/' after an even
 * number of backslashes.  *caseless for a trailing i. */
static int rules_regex(struct rules_parse *ps, const char **pat,
		       size_t *len, bool *caseless)
{
	const char *q;

	if (ps->p >= ps->e || *ps->p != '/')
		return rules_fail(ps, "%s", "a rule starts with /REGEX/");
	q = ++ps->p;
	while (q < ps->e && *q != '/') {
		if (*q == '\\' && q + 1 < ps->e)
			q++;
		q++;
	}
	if (q >= ps->e)
		return rules_fail(ps, "%s", "the regex has no closing /");
	*pat = ps->p;
	*len = (size_t)(q - ps->p);
	if (*len == 0)
		return rules_fail(ps, "%s", "the regex is empty");
	ps->p = q + 1;
	*caseless = ps->p < ps->e && *ps->p == 'i';
	if (*caseless)
		ps->p++;
	if (ps->p < ps->e && *ps->p != ' ' && *ps->p != '\t')
		return rules_fail(ps, "%s", "a blank must follow /REGEX/ "
				  "(the only flag is i)");
	return 0;
}

/* A value: "quoted" (\" and \\) or a bare word.  Returns a copy. */
static char *rules_value(struct rules_parse *ps)
{
	char *out = xmalloc((size_t)(ps->e - ps->p) + 1);
	size_t n = 0;

	if (ps->p < ps->e && *ps->p == '"') {
		for (ps->p++; ps->p < ps->e && *ps->p != '"'; ps->p++) {
			if (*ps->p == '\\' && ps->p + 1 < ps->e &&
			    (ps->p[1] == '"' || ps->p[1] == '\\'))
				ps->p++;
			out[n++] = *ps->p;
		}
		if (ps->p >= ps->e) {
			free(out);
			return NULL;
		}
		ps->p++;
	} else {
		while (ps->p < ps->e && *ps->p != ' ' && *ps->p != '\t')
			out[n++] = *ps->p++;
	}
	out[n] = '\0';
	return out;
}

static int rules_kind(struct rules_parse *ps, const char *v,
		      enum region_kind *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules_kinds); i++)
		if (!strcmp(v, rules_kinds[i].name)) {
			*kind = rules_kinds[i].kind;
			return 0;
		}
	if (!strcmp(v, "arena") || !strcmp(v, "thread_stack"))
		return rules_fail(ps, "kind '%s' cannot be given by a rule "
				  "(it needs an arena or a thread)", v);
	return rules_fail(ps, "unknown kind '%s' (binary, library, file, "
			  "anon, shared, heap, allocator, java_heap... as in "
			  "the JSON)", v);
}

static int rules_tagset(struct rules_parse *ps, char *v, unsigned *tags)
{
	char *save = NULL;

	for (char *t = strtok_r(v, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(rules_tags); i++)
			if (!strcmp(t, rules_tags[i].name))
				break;
		if (i == ARRAY_SIZE(rules_tags))
			return rules_fail(ps, "unknown tag '%s' (dns, guard, "
					  "reserved, deleted, verified, exec, "
					  "shared, hugetlb)", t);
		*tags |= rules_tags[i].tag;
	}
	return 0;
}

/* One key=value into ru. */
static int rules_pair(struct rules_parse *ps, struct rule *ru)
{
	const char *k = ps->p;
	char key[16], *v;
	size_t kl;
	int rc = 0;

	while (ps->p < ps->e && *ps->p != '=' && *ps->p != ' ' &&
	       *ps->p != '\t')
		ps->p++;
	kl = (size_t)(ps->p - k);
	snprintf(key, sizeof(key), "%.*s", (int)(kl < 15 ? kl : 15), k);
	if (ps->p >= ps->e || *ps->p != '=')
		return rules_fail(ps, "'%s' is not key=value", key);
	ps->p++;
	v = rules_value(ps);
	if (!v)
		return rules_fail(ps, "the value of %s has no closing quote",
				  key);
	if (kl == 4 && !memcmp(k, "kind", 4)) {
		rc = rules_kind(ps, v, &ru->info.kind);
	} else if (kl == 4 && !memcmp(k, "tags", 4)) {
		rc = rules_tagset(ps, v, &ru->info.tags);
	} else if (kl == 5 && !memcmp(k, "group", 5) && !ru->group) {
		ru->group = v;
		v = NULL;
	} else if (kl == 7 && !memcmp(k, "insight", 7) && !ru->insight) {
		ru->insight = v;
		v = NULL;
	} else if (kl == 4 && !memcmp(k, "knob", 4) && !ru->knob) {
		ru->knob = v;
		v = NULL;
	} else {
		rc = rules_fail(ps, "unknown or repeated key '%s' (kind, "
				"group, tags, insight, knob)", key);
	}
	free(v);
	return rc;
}

/* The line without a leading "rule =" and a comment; false when there is
 * nothing left (a blank or comment line). */
static bool rules_trim(struct rules_parse *ps)
{
	rules_blanks(ps);
	if (ps->e - ps->p >= 4 && !memcmp(ps->p, "rule", 4)) {
		const char *q = ps->p + 4;

		while (q < ps->e && (*q == ' ' || *q == '\t'))
			q++;
		if (q < ps->e && *q == '=') {
			ps->p = q + 1;
			rules_blanks(ps);
		}
	}
	while (ps->e > ps->p && (ps->e[-1] == ' ' || ps->e[-1] == '\t' ||
				 ps->e[-1] == '\r' || ps->e[-1] == '\n'))
		ps->e--;
	return ps->p < ps->e && *ps->p != '#';
}

/* The rest of the line after the regex: key=value pairs, a comment. */
static int rules_pairs(struct rules_parse *ps, struct rule *ru)
{
	for (;;) {
		int rc;

		rules_blanks(ps);
		if (ps->p >= ps->e || *ps->p == '#')
			break;
		rc = rules_pair(ps, ru);
		if (rc)
			return rc;
	}
	if (ru->info.kind == KIND_NONE && !ru->info.tags)
		return rules_fail(ps, "%s", "a rule needs kind= or tags=");
	if (ru->info.kind == KIND_NONE && (ru->group || ru->insight))
		return rules_fail(ps, "%s", "group= and insight= need kind=");
	if (ru->knob && !ru->insight)
		return rules_fail(ps, "%s", "knob= needs insight=");
	return 0;
}

int rules_add_line(struct rules *r, const char *line, const char *where,
		   char *err, size_t errsize)
{
	struct rules_parse ps = { line, line + strlen(line), err, errsize };
	struct rule ru;
	const char *pat;
	size_t plen;
	bool caseless;
	char rxerr[300], name[32];
	int rc;

	if (err && errsize)
		err[0] = '\0';
	if (ps.e - ps.p > RULES_LINE_MAX)
		return rules_fail(&ps, "%s", "the line is too long");
	if (!rules_trim(&ps))
		return 0;
	memset(&ru, 0, sizeof(ru));
	rc = rules_regex(&ps, &pat, &plen, &caseless);
	if (!rc)
		rc = rules_pairs(&ps, &ru);
	if (!rc) {
		ru.re = rules_compile(pat, plen, caseless ? PCRE2_CASELESS : 0,
				      rxerr, sizeof(rxerr));
		if (!ru.re)
			rc = rules_fail(&ps, "invalid regex: %s", rxerr);
	}
	if (rc) {
		rules_rule_free(&ru);
		return rc;
	}
	snprintf(name, sizeof(name), "rule %zu", r->n + 1);
	ru.where = xstrdup(where ? where : name);
	ru.info.group = ru.group;
	ru.info.insight = ru.insight;
	ru.info.knob = ru.knob;
	ru.info.where = ru.where;
	*rules_push(r) = ru;
	return 0;
}

int rules_load_file(struct rules *r, const char *path, struct strbuf *errs)
{
	/* O_NONBLOCK: a FIFO named by mistake must not hang the start */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	char *line = NULL, where[4096 + 32], err[512];
	size_t cap = 0, lineno = 0;
	struct stat st;
	int bad = 0;
	FILE *f;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > RULES_FILE_MAX) {
		int e = !S_ISREG(st.st_mode) ? ENODEV : EFBIG;

		close(fd);
		return -e;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	/* the size was checked, yet a file may grow as it is read */
	while (ftell(f) <= RULES_FILE_MAX && getline(&line, &cap, f) >= 0) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%zu", path, lineno);
		if (strlen(line) > RULES_LINE_MAX + 1) {
			strbuf_addf(errs, "%s: the line is too long\n", where);
			bad++;
			continue;
		}
		if (rules_add_line(r, line, where, err, sizeof(err))) {
			strbuf_addf(errs, "%s: %s\n", where, err);
			bad++;
		}
	}
	free(line);
	fclose(f);
	return bad;
}

size_t rules_count(const struct rules *r)
{
	return r->n;
}

const struct rule_info *rules_info(const struct rules *r, size_t i)
{
	return i < r->n ? &r->v[i].info : NULL;
}

int rules_match(const struct rules *r, const char *path, size_t len,
		unsigned *tags)
{
	int decided = -1;

	for (size_t i = 0; i < r->n; i++) {
		const struct rule *ru = &r->v[i];

		/* a later rule with a kind cannot win: skip its regex */
		if (decided >= 0 && !ru->info.tags)
			continue;
		if (pcre2_match(ru->re, (PCRE2_SPTR)path, len, 0, 0, r->md,
				r->mctx) < 0)
			continue;
		*tags |= ru->info.tags;
		if (decided < 0 && ru->info.kind != KIND_NONE)
			decided = (int)i;
	}
	return decided;
}

bool rules_match_dns(const struct rules *r, const char *path, size_t len)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct rule *ru = &r->v[i];

		if ((ru->info.tags & TAG_DNS) &&
		    pcre2_match(ru->re, (PCRE2_SPTR)path, len, 0, 0, r->md,
				r->mctx) >= 0)
			return true;
	}
	return false;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		rules_rule_free(&r->v[i]);
	free(r->v);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	free(r);
}

const char *rules_file_error(int err)
{
	switch (err) {
	case -ENODEV: return "not a regular file";
	case -EFBIG: return "larger than 1 MiB, too large for rules";
	default: return strerror(-err);
	}
}
