/* help: every key binding, grouped by action, plus the prompt keys. */
#include "config.h"

#include "vmtop/help.h"

#include <stdio.h>
#include <string.h>

#include "vmtop/keys.h"
#include "vmtop/mapkeys.h"
#include "vmtop/screen.h"
#include "vmtop/strbuf.h"

static int help_top;

static const char *const help_footer[] = {
	"",
	"Mouse: click a row to select it; click a column title to sort by it",
	"       (again: invert); the wheel moves the selection.",
	"",
	"Filter and search line: type a regex (PCRE2; case-insensitive unless",
	"it has an upper-case letter).  Backspace deletes, ^U erases the",
	"line, ^W the last word; Enter keeps it; Esc clears it and closes.",
	"Sort menu: Up/Down choose, Enter sorts, any other key closes.",
	"",
	"Up/Down/PgUp/PgDn scroll this help; any other key returns.",
};

void help_open(void)
{
	help_top = 0;
}

/* "F1 ? h" — every key bound to action, in table order. */
static void help_keys_of(struct strbuf *sb, enum keys_action action)
{
	size_t n;
	const struct keys_binding *b = keys_bindings(&n);

	strbuf_reset(sb);
	for (size_t i = 0; i < n; i++) {
		char name[16];

		if (b[i].action != action)
			continue;
		keys_name(b[i].key, name, sizeof(name));
		if (sb->len >= strlen(name) &&
		    !strcmp(sb->buf + sb->len - strlen(name), name))
			continue; /* \r and KEY_ENTER are both "Enter" */
		if (sb->len)
			strbuf_addch(sb, ' ');
		strbuf_addstr(sb, name);
	}
}

/* Draws line number i of the help at row y (when it is on screen). */
static void help_line(int *i, int y0, const char *keys, const char *text)
{
	int y = y0 + *i - help_top;

	(*i)++;
	if (y < y0 || y >= LINES)
		return;
	if (keys) {
		int x = 1 + screen_put(y, 1, COLS - 1, keys, SCREEN_FKEY, false);

		x = x < 16 ? 16 : x + 1; /* long key lists push the text */
		screen_put(y, x, COLS - x, text, SCREEN_NORMAL, false);
	} else {
		screen_put(y, 1, COLS - 1, text, SCREEN_NORMAL, false);
	}
}

static int help_lines(void)
{
	return KEYS__COUNT - 1 +
	       (int)(sizeof(help_footer) / sizeof(*help_footer)) + 1 +
	       mapkeys_help_lines();
}

void help_draw(void)
{
	struct strbuf sb = STRBUF_INIT;
	int i = 0;

	erase();
	screen_put(0, 0, COLS, " vmtop " PACKAGE_VERSION " - keys",
		   SCREEN_TITLE, true);
	strbuf_init(&sb, 64);
	for (int a = KEYS_NONE + 1; a < KEYS__COUNT; a++) {
		help_keys_of(&sb, (enum keys_action)a);
		help_line(&i, 1, sb.buf, keys_help((enum keys_action)a));
	}
	for (size_t k = 0; k < sizeof(help_footer) / sizeof(*help_footer); k++)
		help_line(&i, 1, NULL, help_footer[k]);
	help_line(&i, 1, NULL, "");
	for (int k = 0; k < mapkeys_help_lines(); k++) {
		char keys[64];
		const char *kp, *text;

		mapkeys_help_line(k, keys, sizeof(keys), &kp, &text);
		help_line(&i, 1, kp, text);
	}
	strbuf_release(&sb);
}

bool help_key(int key)
{
	int page = LINES > 2 ? LINES - 2 : 1;
	int max = help_lines() - (LINES - 1);

	switch (keys_lookup(key)) {
	case KEYS_UP: help_top--; break;
	case KEYS_DOWN: help_top++; break;
	case KEYS_PAGE_UP: help_top -= page; break;
	case KEYS_PAGE_DOWN: help_top += page; break;
	default: return key == SCREEN_KEY_FN(KEY_RESIZE);
	}
	if (help_top > max)
		help_top = max;
	if (help_top < 0)
		help_top = 0;
	return true;
}
