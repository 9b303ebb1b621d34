/* Unit tests of mapjson_write() and maptext_write(): the JSON is checked
 * by Python's json module against the vmtop/1 "maps" schema (exact keys,
 * types, values), the text for content and terminal safety. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../lib/tap.h"
#include "../lib/vmmapfix.h"
#include "vmtop/classify.h"
#include "vmtop/mapjson.h"
#include "vmtop/maptext.h"
#include "vmtop/maptree.h"
#include "vmtop/rules.h"
#include "vmtop/strbuf.h"

#define NASTY "/tmp/we\x1b[31mird\n\xff.dat"

static const char checker[] =
	"import json, sys\n"
	"def nodup(pairs):\n"
	"    keys = [k for k, _ in pairs]\n"
	"    assert len(keys) == len(set(keys)), keys\n"
	"    return dict(pairs)\n"
	"m = json.load(sys.stdin, object_pairs_hook=nodup)\n"
	"T = {'vsz_kib','reserved_kib','rss_kib','pss_kib','swap_kib',"
	"'dirty_kib','regions'}\n"
	"assert set(m) == {'totals','categories','arenas','threads',"
	"'resolver','runtime','jvm','insights'}, sorted(m)\n"
	"assert set(m['totals']) == T\n"
	"R = {'start','end','perms','offset','dev','inode','path','kind',"
	"'tags','vsz_kib','rss_kib','pss_kib','swap_kib','dirty_kib'}\n"
	"vsz = 0\n"
	"for c in m['categories']:\n"
	"    assert set(c) == T | {'kind','groups'}, sorted(c)\n"
	"    vsz += c['vsz_kib']\n"
	"    for g in c['groups']:\n"
	"        assert set(g) == T | {'name','nregions'}, sorted(g)\n"
	"        assert g['nregions'] == len(g['regions'])\n"
	"        for r in g['regions']:\n"
	"            assert set(r) - {'tid'} == R, sorted(r)\n"
	"            assert r['kind'] == c['kind']\n"
	"            assert r['start'].startswith('0x')\n"
	"assert vsz == m['totals']['vsz_kib'] == int(sys.argv[1]), vsz\n"
	"a = m['arenas']\n"
	"assert set(a) >= {'count','verified','limit','arena_max',"
	"'reserved_kib','committed_kib','items'}\n"
	"assert a['count'] == 3 and a['verified'] == 2 and a['limit'] == 16\n"
	"assert a['items'][0] == {'base':'0x7f0000000000','heaps':2,"
	"'vsz_kib':131072,'committed_kib':1156,'rss_kib':1156,"
	"'verified':True}, a['items'][0]\n"
	"t = {x['tid']: x for x in m['threads']}\n"
	"assert t[101]['stack'] == {'start':'0x7f0020001000',"
	"'end':'0x7f0020801000','guard_kib':4}, t[101]\n"
	"assert t[103]['stack'] == {'start':'0x7f0021003000',"
	"'end':'0x7f0021803000','guard_kib':4}, t[103]\n"
	"assert m['resolver']['nscd'] is True\n"
	"assert m['resolver']['modules'] == "
	"['/usr/lib/x86_64-linux-gnu/libnss_systemd.so.2']\n"
	"assert m['runtime'] == {'language':'C','go_version':None,"
	"'cgo':None,'static':False,'build_tags':None,'godebug':None,"
	"'version':None,'evidence':None,'allocator':None,"
	"'allocators':[]}, m['runtime']\n"
	"assert m['insights'][0]['id'] == 'arenas'\n"
	"assert m['jvm'] is None\n"
	"paths = [r['path'] for c in m['categories'] for g in c['groups']"
	" for r in g['regions']]\n"
	"want = b'/tmp/we\\x1b[31mird\\n\\xff.dat'.decode('utf-8',"
	" 'surrogateescape')\n"
	"assert want in paths, [p for p in paths if 'we' in p]\n"
	"vs = [r for c in m['categories'] for g in c['groups']"
	" for r in g['regions'] if r['path'] == '[vsyscall]']\n"
	"assert vs[0]['vsz_kib'] == 0 and vs[0]['tags'] == ['exec']\n";

/* Runs python3 on the JSON; returns its exit status, or -1 without it. */
static int python_check(const struct strbuf *sb, unsigned long vmsize)
{
	char cmd[sizeof(checker) + 64];
	FILE *p;
	int st;

	if (system("python3 -c '' 2>/dev/null") != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "python3 -c \"$VMTOP_CHECKER\" %lu",
		 vmsize);
	setenv("VMTOP_CHECKER", checker, 1);
	p = popen(cmd, "w");
	if (!p)
		return -1;
	fwrite(sb->buf, 1, sb->len, p);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static struct maptree *build(struct vmmap *m)
{
	struct rules *r = NULL;
	char err[128];

	if (rules_new(NULL, 0, &r, err, sizeof(err)) != 0)
		abort();
	for (size_t i = 0; i < m->nregions; i++)
		if (strcmp(m->regions[i].path,
			   "/usr/lib/locale/locale-archive") == 0)
			m->regions[i].path = vmmap_strdup(m, NASTY);
	classify_vmmap(m, r);
	rules_free(r);
	return maptree_build(m);
}

static void test_json(void)
{
	struct vmmap *m = vmmapfix_c_program();
	struct maptree *t = build(m);
	struct strbuf sb = STRBUF_INIT;
	int rc;

	mapjson_write(&sb, t);
	tap_ok(sb.len > 2 && sb.buf[0] == '{' && sb.buf[sb.len - 1] == '}',
	       "one object");
	tap_ok(!strchr(sb.buf, '\n') && !strchr(sb.buf, '\x1b'),
	       "no raw newline or escape in the JSON");
	rc = python_check(&sb, (unsigned long)m->status_vmsize_kib);
	if (rc < 0)
		tap_ok(true, "# SKIP python3 is not available");
	else
		tap_is_int(rc, 0, "python3 parses it and finds schema vmtop/1");
	strbuf_release(&sb);
	maptree_free(t);
	vmmap_free(m);
}

static void test_text(void)
{
	struct vmmap *m = vmmapfix_c_program();
	struct maptree *t = build(m);
	struct strbuf sb = STRBUF_INIT;

	maptext_write(&sb, t, MAPTEXT_REGIONS);
	tap_ok(strncmp(sb.buf, "VSZ", 3) == 0, "starts with the totals");
	tap_ok(strstr(sb.buf, "\n  arena ") != NULL, "arena category line");
	tap_ok(strstr(sb.buf, "arena 0x7f0008000000") != NULL,
	       "arena group line");
	tap_ok(strstr(sb.buf, "insights:\n  - 3 glibc malloc arenas") != NULL,
	       "insights at the end, largest first");
	tap_ok(strstr(sb.buf, "\\e[31mird\\n\\xff.dat") != NULL,
	       "names made printable");
	tap_ok(!strchr(sb.buf, '\x1b'), "no raw escape reaches the terminal");
	tap_ok(strstr(sb.buf, "7f0020001000-") != NULL, "regions listed");
	strbuf_reset(&sb);
	maptext_write(&sb, t, 0);
	tap_ok(strstr(sb.buf, "7f0020001000-") == NULL,
	       "regions only on request");
	strbuf_release(&sb);
	maptree_free(t);
	vmmap_free(m);
}

int main(void)
{
	test_json();
	test_text();
	return tap_done();
}
