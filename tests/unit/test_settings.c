/* Unit tests of the settings file: good lines, damaged and overlong ones,
 * CRLF, no trailing newline, NUL bytes, a huge file, setting values in
 * place with comments and unknown lines kept, and the atomic writer
 * (mode, directories, symlinks, a failure leaving the file alone). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/tap.h"
#include "vmtop/settings.h"
#include "vmtop/strbuf.h"

static char tmpdir[] = "/tmp/vmtop-settings.XXXXXX";

static struct settings *parse(const char *text)
{
	return settings_parse("/cfg/vmtoprc", text, strlen(text));
}

/* The warnings joined by '|'. */
static const char *warnings(const struct settings *s)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; settings_warning(s, i); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? "|" : "", settings_warning(s, i));
	return buf;
}

static void test_good(void)
{
	struct settings *s = parse("# comment\n\n  delay = 1.5 \n"
				   "columns=PID,VIRT\n\t# indented\n"
				   "rule=^/opt/x.*\\.so$ lib x\nrule=second\n");
	const struct settings_entry *e;
	size_t n = settings_entries(s, &e);

	tap_is_int((long long)n, 4, "four entries");
	tap_is_str(e[0].key, "delay", "key trimmed");
	tap_is_str(e[0].value, "1.5", "value trimmed");
	tap_is_int(e[0].line, 3, "line number of the first entry");
	tap_is_str(e[2].value, "^/opt/x.*\\.so$ lib x",
		   "a value keeps '=' '#' and inner blanks");
	tap_is_int(e[3].line, 7, "rule lines keep their order and lines");
	tap_is_str(settings_get(s, "rule"), "second", "get: the last wins");
	tap_ok(settings_get(s, "nothing") == NULL, "get: unknown is NULL");
	tap_is_int((long long)settings_nwarnings(s), 0, "no warning");
	settings_free(s);
}

static void test_damaged(void)
{
	struct settings *s = parse("delay=1\nno equals sign\n=x\n"
				   "bad key=1\nk\xc3\xa9y=2\ncolumns=PID\n");
	const struct settings_entry *e;
	size_t n = settings_entries(s, &e);

	tap_is_int((long long)n, 2, "damaged lines are no entries");
	tap_is_int((long long)settings_nwarnings(s), 4, "one warning each");
	tap_ok(strstr(warnings(s), "/cfg/vmtoprc:3") <
		       strstr(warnings(s), "/cfg/vmtoprc:4"),
	       "in line order");
	tap_is_str(settings_warning(s, 0),
		   "/cfg/vmtoprc:2: not a key=value line: ignored",
		   "the warning names file and line");
	settings_warn(s, 1, "about line %d", 1);
	tap_is_str(settings_warning(s, 0), "/cfg/vmtoprc:1: about line 1",
		   "a later warning about an earlier line comes first");
	tap_ok(strstr(warnings(s), "/cfg/vmtoprc:3: not a valid key") &&
		       strstr(warnings(s), "/cfg/vmtoprc:4: not a valid key") &&
		       strstr(warnings(s), "/cfg/vmtoprc:5: not a valid key"),
	       "empty, spaced and non-ASCII keys are refused");
	settings_warn(s, 6, "unknown key '%s'\x1b[31m", "columns");
	tap_ok(strstr(warnings(s), ":6: unknown key 'columns'\\e[31m") != NULL,
	       "a caller's warning is made printable");
	settings_free(s);
}

static void test_crlf_and_end(void)
{
	struct settings *s = parse("a=1\r\nb = 2 \r\r\nc=3");
	struct strbuf sb = STRBUF_INIT;

	tap_is_str(settings_get(s, "a"), "1", "CRLF: the CR goes");
	tap_is_str(settings_get(s, "b"), "2 \r", "only one CR before LF");
	tap_is_str(settings_get(s, "c"), "3", "a last line without newline");
	strbuf_init(&sb, 64);
	settings_text(s, &sb);
	tap_is_str(sb.buf, "a=1\r\nb = 2 \r\r\nc=3\n",
		   "unchanged lines are written back byte for byte");
	strbuf_release(&sb);
	settings_free(s);
}

static void test_nul_and_long(void)
{
	static const char text[] = "a=1\nb=x\0y\nc=3\n";
	struct settings *s = settings_parse("f", text, sizeof(text) - 1);
	struct strbuf sb = STRBUF_INIT;
	char *big = malloc(SETTINGS_LINE_MAX + 64);

	tap_ok(settings_get(s, "b") == NULL, "a line with a NUL is ignored");
	tap_is_str(settings_get(s, "c"), "3", "the next line is read");
	tap_ok(strstr(warnings(s), "f:2: holds a NUL byte") != NULL,
	       "the NUL is warned about");
	strbuf_init(&sb, 64);
	settings_text(s, &sb);
	tap_ok(sb.len == sizeof(text) - 1 &&
		       memcmp(sb.buf, text, sb.len) == 0,
	       "and kept as it was");
	strbuf_release(&sb);
	settings_free(s);

	strcpy(big, "long=");
	memset(big + 5, 'x', SETTINGS_LINE_MAX);
	strcpy(big + 5 + SETTINGS_LINE_MAX, "\nafter=1\n");
	s = parse(big);
	tap_ok(settings_get(s, "long") == NULL, "an overlong line is ignored");
	tap_is_str(settings_get(s, "after"), "1", "the line after it is read");
	tap_ok(strstr(warnings(s), "f:1: longer than 4096 bytes") ||
		       strstr(warnings(s), ":1: longer than 4096 bytes"),
	       "the overlong line is warned about");
	settings_free(s);
	free(big);
}

static void test_many_warnings(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct settings *s;

	strbuf_init(&sb, 1024);
	for (int i = 0; i < 1000; i++)
		strbuf_addstr(&sb, "damaged\n");
	s = parse(sb.buf);
	tap_is_int((long long)settings_nwarnings(s), 1000,
		   "every damaged line is counted");
	tap_ok(settings_warning(s, SETTINGS_WARN_MAX - 1) &&
		       !settings_warning(s, SETTINGS_WARN_MAX),
	       "only the first few are kept");
	settings_warn(s, 2000, "late");
	settings_warn(s, 0, "the file");
	tap_ok(strstr(settings_warning(s, 0), "vmtoprc: the file") &&
		       !strstr(warnings(s), "late"),
	       "the kept ones are the first by line");
	settings_free(s);
	strbuf_release(&sb);
}

static void test_set(void)
{
	struct settings *s = parse("# mine\ndelay=2\nfuture_key=7\n"
				   "delay = 3\n# end\n");
	struct strbuf sb = STRBUF_INIT;

	tap_is_int(settings_set(s, "delay", "5"), 0, "set an existing key");
	tap_is_int(settings_set(s, "columns", "PID,VIRT"), 0, "set a new key");
	tap_is_int(settings_set(s, "bad key", "1"), -EINVAL,
		   "a bad key is refused");
	tap_is_int(settings_set(s, "x", "a\nb"), -EINVAL,
		   "a newline in a value is refused");
	strbuf_init(&sb, 64);
	settings_text(s, &sb);
	tap_is_str(sb.buf, "# mine\ndelay=5\nfuture_key=7\ndelay=5\n# end\n"
			   "columns=PID,VIRT\n",
		   "values change in place; comments and unknown keys stay");
	tap_is_str(settings_get(s, "delay"), "5", "get sees the new value");
	tap_is_str(settings_get(s, "columns"), "PID,VIRT", "and the new key");
	strbuf_release(&sb);
	settings_free(s);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[8192];
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_atomic(void)
{
	char path[512], link[512], target[512], dir[512];
	struct stat st;
	struct settings *s;
	char err[256];

	snprintf(path, sizeof(path), "%s/a/b/vmtoprc", tmpdir);
	tap_is_int(settings_write_atomic(path, "x=1\n", 4), 0,
		   "writes, making the directories");
	tap_is_str(slurp(path), "x=1\n", "the data is there");
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	       "the file is mode 0600");
	snprintf(dir, sizeof(dir), "%s/a/b", tmpdir);
	tap_ok(stat(dir, &st) == 0 && (st.st_mode & 07777) == 0700,
	       "a directory made is mode 0700");
	chmod(path, 0644);
	tap_is_int(settings_write_atomic(path, "x=2\n", 4), 0, "rewrites");
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 &&
		       strcmp(slurp(path), "x=2\n") == 0,
	       "the new file replaces the old, mode 0600");

	snprintf(target, sizeof(target), "%s/real", tmpdir);
	snprintf(link, sizeof(link), "%s/a/link", tmpdir);
	tap_ok(symlink(target, link) == 0, "a symlink to a dotfile");
	tap_is_int(settings_write_atomic(link, "y=1\n", 4), 0,
		   "writes through it");
	tap_ok(lstat(link, &st) == 0 && S_ISLNK(st.st_mode) &&
		       strcmp(slurp(target), "y=1\n") == 0,
	       "the link stays, its target has the data");

	/* a directory where the file should be: rename fails */
	snprintf(path, sizeof(path), "%s/adir", tmpdir);
	mkdir(path, 0700);
	tap_ok(settings_write_atomic(path, "z\n", 2) < 0,
	       "fails on a directory");
	{
		char cmd[600];
		FILE *p;
		int left = -1;

		snprintf(cmd, sizeof(cmd), "ls -A %s | grep -c '^\\.adir\\.'",
			 tmpdir);
		p = popen(cmd, "r");
		if (p) {
			if (fscanf(p, "%d", &left) != 1)
				left = -1;
			pclose(p);
		}
		tap_is_int(left, 0, "no temporary file is left behind");
	}

	/* settings_save(): a new file gets the header; unreadable refuses */
	snprintf(path, sizeof(path), "%s/new/vmtoprc", tmpdir);
	s = settings_load(path);
	tap_is_int((long long)settings_nwarnings(s), 0,
		   "a missing file is no warning");
	settings_set(s, "delay", "3");
	tap_is_int(settings_save(s, err, sizeof(err)), 0, "saves");
	tap_ok(slurp(path) && strstr(slurp(path), "# vmtop settings") &&
		       strstr(slurp(path), "\ndelay=3\n"),
	       "a new file says what it is, then the values");
	settings_free(s);
	s = settings_load(dir); /* a directory */
	tap_ok(strstr(warnings(s), "cannot be read") != NULL,
	       "a directory cannot be read: warned");
	tap_ok(settings_save(s, err, sizeof(err)) == -EPERM &&
		       strstr(err, "could not be read"),
	       "and is never written");
	settings_free(s);
}

static void test_huge(void)
{
	char path[512], err[256];
	struct settings *s;
	const struct settings_entry *e;
	FILE *f;

	snprintf(path, sizeof(path), "%s/huge", tmpdir);
	f = fopen(path, "w");
	if (!f) {
		tap_ok(false, "create the huge file");
		return;
	}
	/* 2 MiB of lines of 16 bytes */
	for (long i = 0; i < (2L << 20) / 16; i++)
		fprintf(f, "k%08ld=value\n", i);
	fclose(f);
	s = settings_load(path);
	tap_is_int((long long)settings_entries(s, &e), SETTINGS_FILE_MAX / 16,
		   "the first 1 MiB of lines is read");
	tap_ok(strstr(warnings(s), "larger than 1024 KiB") != NULL,
	       "the size is warned about");
	tap_ok(settings_save(s, err, sizeof(err)) == -EPERM,
	       "a file read in part is never written back");
	settings_free(s);
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 1;
	test_good();
	test_damaged();
	test_crlf_and_end();
	test_nul_and_long();
	test_many_warnings();
	test_set();
	test_atomic();
	test_huge();
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", tmpdir);
	}
	return tap_done();
}
