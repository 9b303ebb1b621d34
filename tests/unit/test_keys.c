/* Unit tests of the key table: a key is bound in one row only (so it
 * means one thing in every view), the keys that differed between the
 * list and the map mean the same in both, and the man page documents
 * every key of the table (doc/vmtop.1, KEYS). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "vmtop/keys.h"
#include "vmtop/screen.h"

#define FN(code) SCREEN_KEY_FN(code)

/* How many rows after row i bind key too. */
static size_t count_later(const struct keys_entry *e, size_t n, size_t i,
			  int key)
{
	size_t found = 0;

	for (size_t j = i + 1; j < n; j++) {
		for (int l = 0; l < KEYS_PER_ACTION; l++) {
			if (e[j].keys[l] != key)
				continue;
			tap_diag("key %d in rows %zu and %zu", key, i, j);
			found++;
		}
	}
	return found;
}

static void test_one_meaning(void)
{
	size_t n, dups = 0, bad = 0;
	const struct keys_entry *e = keys_entries(&n);

	for (size_t i = 0; i < n; i++) {
		if (!e[i].keys[0] || !e[i].views || !e[i].help ||
		    !*e[i].help || keys_entry_of(e[i].action) != &e[i]) {
			tap_diag("row %zu is incomplete or repeated", i);
			bad++;
		}
		for (int k = 0; k < KEYS_PER_ACTION && e[i].keys[k]; k++)
			dups += count_later(e, n, i, e[i].keys[k]);
	}
	tap_ok(n == KEYS__COUNT - 1, "one row per action");
	tap_is_int((long long)bad, 0, "every row has keys, views and a help");
	tap_is_int((long long)dups, 0, "no key is bound in two rows");
}

/* The keys the list and the map used to read differently. */
static void test_same_everywhere(void)
{
	static const enum keys_view lists[] = {
		KEYS_VIEW_LIST, KEYS_VIEW_TREE, KEYS_VIEW_THREADS,
		KEYS_VIEW_ARENAS, KEYS_VIEW_DNS,
	};
	bool f6 = true, slash = true, refresh = true, sort = true;

	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		f6 &= keys_lookup(lists[i], FN(KEY_F(6))) == KEYS_SORT_MENU;
		slash &= keys_lookup(lists[i], '/') == KEYS_SEARCH;
		refresh &= keys_lookup(lists[i], SCREEN_KEY_CTRL('r')) ==
			   KEYS_REFRESH;
		sort &= keys_lookup(lists[i], '<') == KEYS_SORT_LEFT &&
			keys_lookup(lists[i], '>') == KEYS_SORT_RIGHT;
	}
	tap_ok(f6, "F6 opens the sort menu in every view");
	tap_ok(slash, "/ searches in every view");
	tap_ok(refresh, "^R refreshes in every view");
	tap_ok(sort, "< and > move the sort column in every view");
	tap_is_int(keys_lookup(KEYS_VIEW_LIST, ' '), KEYS_TOGGLE,
		   "Space tags in the list (its toggle), as in htop");
	tap_is_int(keys_lookup(KEYS_VIEW_COMPARE, ' '), KEYS_TOGGLE,
		   "Space folds in the compare view");
	tap_is_int(keys_lookup(KEYS_VIEW_LIST, '='), KEYS_COMPARE,
		   "= compares the tagged processes");
	tap_is_int(keys_lookup(KEYS_VIEW_LIST, 'U'), KEYS_UNTAG_ALL,
		   "U untags all");
	tap_is_int(keys_lookup(KEYS_VIEW_COMPARE, 't'), KEYS_NONE,
		   "t means nothing in the compare view");
	/* [ and ] step a loaded file where they can: the list and the map
	 * views, not the compare view, setup or the help */
	tap_ok(keys_lookup(KEYS_VIEW_LIST, '[') == KEYS_TIME_BACK &&
	       keys_lookup(KEYS_VIEW_TREE, ']') == KEYS_TIME_ON &&
	       keys_lookup(KEYS_VIEW_COMPARE, '[') == KEYS_NONE &&
	       keys_lookup(KEYS_VIEW_COMPARE, ']') == KEYS_NONE &&
	       keys_lookup(KEYS_VIEW_SETUP, '[') == KEYS_NONE,
	       "[ ] in the list and the map views only");
	tap_is_int(keys_lookup(KEYS_VIEW_COMPARE, SCREEN_KEY_ESC), KEYS_BACK,
		   "Esc leaves the compare view");
	tap_is_int(keys_lookup(KEYS_VIEW_TREE, ' '), KEYS_TOGGLE,
		   "Space folds in the tree");
	tap_is_int(keys_lookup(KEYS_VIEW_LIST, '\\'), KEYS_FILTER,
		   "\\ is the filter in the list");
	tap_is_int(keys_lookup(KEYS_VIEW_TREE, '\\'), KEYS_NONE,
		   "... and nothing else elsewhere");
	tap_is_int(keys_lookup(KEYS_VIEW_LIST, 't'), KEYS_THREADS,
		   "t is the threads pane, from the list too");
	tap_is_int(keys_lookup(KEYS_VIEW_HELP, 'q'), KEYS_NONE,
		   "in the help, q only closes it (unbound)");
}

/* The KEYS section of the man page, unescaped, split into words. */
static char *man_keys(void)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096], line[1024];
	static char text[65536];
	size_t len = 0;
	bool in = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/doc/vmtop.1", top ? top : ".");
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, ".SH ", 4))
			in = !strncmp(line, ".SH KEYS", 8);
		for (char *p = line; in && *p && len + 2 < sizeof(text); p++) {
			if (p[0] == '\\' && (p[1] == 'e' || p[1] == '-'))
				text[len++] = *++p == 'e' ? '\\' : '-';
			else
				text[len++] = strchr(" \t\n\",;()", *p) ? ' ' :
									  *p;
		}
	}
	fclose(f);
	text[len] = '\0';
	return text;
}

static bool has_word(const char *text, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if ((p == text || p[-1] == ' ') &&
		    (p[wl] == ' ' || p[wl] == '\0'))
			return true;
	return false;
}

static void test_man_page(void)
{
	const char *text = man_keys();
	size_t n, missing = 0;
	const struct keys_entry *e = keys_entries(&n);

	if (!text || !*text) {
		tap_ok(false, "doc/vmtop.1 has a KEYS section");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < KEYS_PER_ACTION && e[i].keys[k]; k++) {
			char name[16];

			keys_name(e[i].keys[k], name, sizeof(name));
			if (!has_word(text, name)) {
				tap_diag("the man page lacks key %s", name);
				missing++;
			}
		}
	}
	tap_is_int((long long)missing, 0,
		   "the man page documents every key of the table");
}

int main(void)
{
	test_one_meaning();
	test_same_everywhere();
	test_man_page();
	return tap_done();
}
