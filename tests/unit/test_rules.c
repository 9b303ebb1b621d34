/* test_rules: the rule parser (every key, quoting, errors with PCRE2's
 * message and offset), the file loader (bad lines reported with FILE:LINE,
 * the others kept), matching, and a rule deciding regions of a crafted
 * layout before the built-in classifiers, with its insight and knob. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/classify.h"
#include "vmtop/maptree.h"
#include "vmtop/rules.h"

static struct rules *fresh(void)
{
	struct rules *r = NULL;
	char err[128];

	if (rules_new(NULL, 0, &r, err, sizeof(err)) != 0)
		abort();
	return r;
}

static void test_parse_ok(void)
{
	struct rules *r = fresh();
	const struct rule_info *in;
	char err[256];
	size_t n0 = rules_count(r);

	tap_is_int(rules_add_line(r, "rule = /\\/opt\\/app\\/cache-\\d+$/ "
				  "kind=anon group=\"app cache\" tags=shared,dns "
				  "insight=\"the cache, \\\"sized\\\" by its knob\" "
				  "knob=APP_CACHE_MB # comment", "f:1", err,
				  sizeof(err)), 0, "a full rule parses");
	tap_is_int((long long)rules_count(r), (long long)n0 + 1,
		   "and is added after the built-in ones");
	in = rules_info(r, n0);
	tap_is_int(in->kind, KIND_ANON, "kind=anon");
	tap_is_str(in->group, "app cache", "quoted group");
	tap_is_int(in->tags, TAG_SHARED | TAG_DNS, "tags=shared,dns");
	tap_is_str(in->insight, "the cache, \"sized\" by its knob",
		   "escaped quotes in a value");
	tap_is_str(in->knob, "APP_CACHE_MB", "bare knob");
	tap_is_str(in->where, "f:1", "where");
	tap_is_int(rules_add_line(r, "/\\[anon:mycache\\]/i kind=shared", NULL,
				  err, sizeof(err)), 0,
		   "without 'rule =', a caseless regex");
	in = rules_info(r, n0 + 1);
	tap_ok(in->group == NULL && in->insight == NULL && in->knob == NULL,
	       "group, insight and knob are optional");
	tap_is_str(in->where, "rule 3", "default where is the rule's number");
	tap_is_int(rules_add_line(r, "   # only a comment", NULL, err,
				  sizeof(err)), 0, "a comment line");
	tap_is_int(rules_add_line(r, "", NULL, err, sizeof(err)), 0,
		   "an empty line");
	tap_is_int((long long)rules_count(r), (long long)n0 + 2,
		   "blank and comment lines add nothing");
	tap_is_int(rules_add_line(r, "/libmydns\\.so/ tags=dns", NULL, err,
				  sizeof(err)), 0, "a tags-only rule");
	rules_free(r);
}

struct bad_case {
	const char *line, *want;
};

static void test_parse_errors(void)
{
	static const struct bad_case cases[] = {
		{ "/(unclosed/ kind=anon",
		  "invalid regex: missing closing parenthesis at offset 9" },
		{ "/a[/ kind=anon", "invalid regex: missing terminating ] "
				    "for character class at offset 2" },
		{ "kind=anon", "a rule starts with /REGEX/" },
		{ "/abc kind=anon", "the regex has no closing /" },
		{ "// kind=anon", "the regex is empty" },
		{ "/a/x kind=anon", "a blank must follow /REGEX/" },
		{ "/a/ kind=bogus", "unknown kind 'bogus'" },
		{ "/a/ kind=arena", "kind 'arena' cannot be given by a rule" },
		{ "/a/ kind=thread_stack", "kind 'thread_stack' cannot" },
		{ "/a/ tags=cache", "unknown tag 'cache'" },
		{ "/a/ color=red", "unknown or repeated key 'color'" },
		{ "/a/ kind=anon group=a group=b", "unknown or repeated key "
						   "'group'" },
		{ "/a/ kind", "'kind' is not key=value" },
		{ "/a/ kind=anon group=\"open", "the value of group has no "
						"closing quote" },
		{ "/a/", "a rule needs kind= or tags=" },
		{ "/a/ tags=dns group=x", "group= and insight= need kind=" },
		{ "/a/ kind=anon knob=X", "knob= needs insight=" },
	};
	struct rules *r = fresh();
	size_t n0 = rules_count(r);
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int rc = rules_add_line(r, cases[i].line, NULL, err,
					sizeof(err));

		tap_ok(rc == -EINVAL && strstr(err, cases[i].want) != NULL,
		       "'%s' refused: %s", cases[i].line, err);
	}
	tap_is_int((long long)rules_count(r), (long long)n0,
		   "no bad rule was added");
	rules_free(r);
}

static void test_match(void)
{
	struct rules *r = fresh();
	unsigned tags = 0;
	char err[256];

	rules_add_line(r, "/cache/ kind=anon group=first", NULL, err,
		       sizeof(err));
	rules_add_line(r, "/cache/ kind=file group=second tags=shared", NULL,
		       err, sizeof(err));
	rules_add_line(r, "/CACHE/i tags=guard", NULL, err, sizeof(err));
	tap_is_int(rules_match(r, "/x/cache", 8, &tags),
		   (long long)rules_count(r) - 3,
		   "the first rule with a kind wins");
	tap_is_int(tags, TAG_SHARED | TAG_GUARD,
		   "every matching rule's tags add up");
	tags = 0;
	tap_is_int(rules_match(r, "/lib/libnss_files.so.2", 22, &tags), -1,
		   "no rule with a kind for an NSS module");
	tap_is_int(tags, TAG_DNS, "the built-in DNS rule tags it");
	tap_ok(rules_match_dns(r, "/lib/libresolv.so.2", 19),
	       "rules_match_dns keeps working");
	rules_free(r);
}

static void test_file(void)
{
	char path[] = "/tmp/vmtop-rules-XXXXXX";
	struct strbuf errs = STRBUF_INIT;
	struct rules *r = fresh();
	size_t n0 = rules_count(r);
	char want[128];
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!tap_ok(f != NULL, "temporary rules file"))
		return;
	fputs("# a comment\n"
	      "/good-one/ kind=anon\n"
	      "/(bad/ kind=anon\n"
	      "\n"
	      "rule = /good-two/ kind=shared group=\"two\"\n"
	      "/x/ kind=nope\n", f);
	fclose(f);
	tap_is_int(rules_load_file(r, path, &errs), 2, "two bad lines");
	tap_is_int((long long)rules_count(r), (long long)n0 + 2,
		   "the two good rules apply");
	snprintf(want, sizeof(want), "%s:3: invalid regex: missing closing "
		 "parenthesis at offset 4\n", path);
	tap_ok(errs.buf && strstr(errs.buf, want) != NULL,
	       "line 3 reported with PCRE2's message and offset");
	snprintf(want, sizeof(want), "%s:6: unknown kind 'nope'", path);
	tap_ok(errs.buf && strstr(errs.buf, want) != NULL,
	       "line 6 reported");
	snprintf(want, sizeof(want), "%s:5", path);
	tap_is_str(rules_info(r, n0 + 1)->where, want,
		   "a rule of a file is named by FILE:LINE");
	unlink(path);
	tap_is_int(rules_load_file(r, path, &errs), -ENOENT,
		   "a missing file is -ENOENT");
	strbuf_release(&errs);
	rules_free(r);
}

/* The names here are the JSON's: maptree's and rules.c's tables agree. */
static void test_names(void)
{
	struct rules *r = fresh();
	char line[128], err[256];
	bool all = true;

	for (int k = KIND_BINARY; k < KIND__COUNT; k++) {
		const char *name = maptree_kind_name((enum region_kind)k);
		int rc;

		snprintf(line, sizeof(line), "/x/ kind=%s", name);
		rc = rules_add_line(r, line, NULL, err, sizeof(err));
		if (k == KIND_ARENA || k == KIND_THREAD_STACK)
			all &= rc == -EINVAL;
		else
			all &= rc == 0 &&
			       rules_info(r, rules_count(r) - 1)->kind ==
				       (enum region_kind)k;
	}
	tap_ok(all, "every kind by its JSON name (not arena, thread_stack)");
	all = true;
	for (unsigned bit = 1; bit < 1u << TAG__COUNT; bit <<= 1) {
		snprintf(line, sizeof(line), "/x/ tags=%s",
			 maptree_tag_name(bit));
		all &= rules_add_line(r, line, NULL, err, sizeof(err)) == 0 &&
		       rules_info(r, rules_count(r) - 1)->tags == bit;
	}
	tap_ok(all, "every tag by its JSON name");
	rules_free(r);
}

/* A rule decides a named anonymous region and a file before the
 * built-in classifiers, gives its insight and knob, and leaves the
 * other regions as they were. */
static void test_classify(void)
{
	struct vmmap *m = vmmap_new(300);
	struct rules *r = fresh();
	struct maptree *t;
	const struct region *a, *f, *h;
	bool found = false;
	char err[256];

	vmmapfix_region(m, 0x10000000, 0x10400000, "rw-p",
			"[anon:myapp cache]");
	vmmapfix_region(m, 0x20000000, 0x20200000, "---p",
			"[anon:myapp cache]");
	vmmapfix_region(m, 0x30000000, 0x30100000, "rw-p", "[heap]");
	vmmapfix_region(m, 0x40000000, 0x40001000, "r--s",
			"/srv/app/index.db");
	vmmapfix_finish(m);
	tap_is_int(rules_add_line(r, "/^\\[anon:myapp cache\\]$/ kind=anon "
				  "group=\"myapp cache\" insight=\"myapp's "
				  "block cache\" knob=\"MYAPP_CACHE_MB\"",
				  "t:1", err, sizeof(err)), 0, "anon rule");
	tap_is_int(rules_add_line(r, "/index\\.db$/ kind=java_heap", "t:2",
				  err, sizeof(err)), 0, "file rule");
	classify_vmmap(m, r);
	a = &m->regions[0];
	h = &m->regions[2];
	f = &m->regions[3];
	tap_ok(a->kind == KIND_ANON && !strcmp(a->group, "myapp cache"),
	       "the named region is the rule's kind and group");
	tap_is_str(a->reason, "user rule t:1", "its reason names the rule");
	tap_ok(m->regions[1].tags & TAG_RESERVED,
	       "the generic tags still apply");
	tap_ok(f->kind == KIND_JAVA_HEAP && !strcmp(f->group, f->path),
	       "a rule without group groups by path, even against the "
	       "file classifier");
	tap_is_int(h->kind, KIND_HEAP, "[heap] is left to the classifiers");
	tap_is_int((long long)m->nrulehits, 1, "one rule with an insight hit");
	tap_is_int((long long)m->rulehits[0].nregions, 2, "on two regions");
	tap_is_int((long long)m->rulehits[0].vsz_kib, 6144, "6 MiB of VSZ");
	tap_is_int((long long)m->rulehits[0].reserved_kib, 2048,
		   "2 MiB of it reserved");
	t = maptree_build(m);
	for (size_t k = 0; k < t->ninsights; k++)
		if (!strcmp(t->insights[k].id, "rule")) {
			found = true;
			tap_is_str(t->insights[k].text,
				   "myapp cache: myapp's block cache (2 regions "
				   "map 6 MiB, 2 MiB reserved, 4 MiB resident); "
				   "knob: MYAPP_CACHE_MB", "the insight");
		}
	tap_ok(found, "the rule's insight is among the insights");
	maptree_free(t);
	classify_vmmap(m, r);
	tap_is_int((long long)m->nrulehits, 1,
		   "classifying again does not add hits twice");
	vmmap_free(m);
	rules_free(r);
}

int main(void)
{
	test_parse_ok();
	test_parse_errors();
	test_match();
	test_file();
	test_names();
	test_classify();
	return tap_done();
}
