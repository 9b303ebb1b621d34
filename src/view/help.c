/* help: a section per view from the key table, then notes.
 *
 * The lines are laid out once (the table is static) into an array; the
 * screen shows them from help_top on. */
#include "config.h"

#include "vmtop/help.h"

#include <stdio.h>
#include <string.h>

#include "vmtop/keys.h"
#include "vmtop/screen.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))
#define HELP_MAX_LINES 192
#define HELP_KEYS_COL 16

struct help_section {
	const char *title;
	unsigned views;            /* 1 << enum keys_view, or-ed */
	const char *const *notes;  /* NULL-terminated */
};

static const char *const help_notes_list[] = {
	"Filter line: a regex (PCRE2; case-insensitive unless it has an",
	"upper-case letter) on the name or command line; the list follows as",
	"you type; an invalid one shows PCRE2's message while the last valid",
	"one stays.  Enter keeps it; Esc restores the filter in effect before.",
	"Search line (every view): plain text, any case, on the names shown;",
	"Enter or Esc closes it, n and F3 find the next match.",
	"Both lines: Backspace deletes, ^U erases the line, ^W the last word.",
	"Tree (F5): a folded process shows its subtree's totals in VIRT, RES,",
	"SWAP, THR, CPU% (and PSS: shared pages counted once).  Programs",
	"(Tab): one row per name, PROCS its processes; Enter unfolds them.",
	"Threads (H): memory blank (shared with the process), never summed.",
	"Sort menu (F6, every view): Up/Down choose, Enter sorts, any other",
	"key closes it.",
	"Mouse: click a row to select it; click a column title to sort by it",
	"(again: invert); the wheel moves the selection; a click on the key",
	"bar acts as that key.",
	"Memory columns (vmtop --columns +PSS,USS...): RESV reserved (PROT_NONE),",
	"COMMIT VIRT - RESV, PSS, USS (private pages), SHR, ANON, FILE, SHMEM",
	"(resident by kind), DATA (VmData + VmStk), MAPS (mappings), ARENAS",
	"(glibc arena heaps by shape).  PSS and USS (smaps_rollup), RESV,",
	"COMMIT, MAPS and ARENAS (maps) are read within 3 % and 1.5 % of a",
	"core; the header says how old they are.  \"-\": not readable.",
	NULL,
};

static const char *const help_notes_tree[] = {
	"Columns: VSZ size; RESV reserved (---p, PROT_NONE: in VSZ, never",
	"resident); RSS, PSS, SWAP, DIRTY from smaps; N regions; DELTA the",
	"change since the last refresh (new, grown, shrunk rows highlighted),",
	"or since the baseline b set (the status line says since when);",
	"TREND a category's VSZ over its history (its RSS when VSZ is flat).",
	"The process line has VSZ and RSS sparklines; an insight says when a",
	"category keeps growing (3 of 4 of its last 20 refreshes grew).",
	"The status line says how often maps and smaps are read and at what",
	"cost; between smaps reads the last smaps figures are shown.",
	"Mouse: a click on the selected row unfolds or folds it.",
	NULL,
};

static const char *const help_notes_compare[] = {
	"Rows are causes, aligned by kind and group, not by address: thread",
	"stacks and arenas are counted (N), libraries and files matched by",
	"path.  Per process: N (how many), VSZ, RSS; DIFF the largest VSZ",
	"difference from the first process tagged.  The line on top says it",
	"in words.",
	NULL,
};

static const char *const help_notes_setup[] = {
	"Columns: the columns shown, in order, and those available; COMMAND",
	"is always shown, last.  Display: sort, refresh interval, kernel",
	"threads, other users' processes (from the next start), process tree,",
	"the map view's detail pane.  Colours: default, monochrome, light",
	"(NO_COLOR, when set, means no colours whatever the scheme).",
	"Closing setup saves the settings in $XDG_CONFIG_HOME/vmtop/vmtoprc",
	"(~/.config/vmtop/vmtoprc), key=value lines: see vmtop(1), FILES;",
	"--no-config ignores the file and saves nothing.",
	NULL,
};

static const char *const help_notes_panes[] = {
	"knobs in effect (e: also from the list): the memory-related",
	"environment only (MALLOC_*, GLIBC_TUNABLES, MALLOC_CONF, GOGC,",
	"JAVA_TOOL_OPTIONS' memory flags...), never the rest of it; limits;",
	"the cgroup v2 memory limit.",
	NULL,
};

static const char *const help_notes_help[] = {
	"Any other key returns to the view the help was opened from.",
	NULL,
};

#define HV(view) (1u << KEYS_VIEW_##view)

static const struct help_section help_sections[] = {
	{ "Process list", HV(LIST), help_notes_list },
	{ "Memory map: the tree (Enter on a process) and its detail pane",
	  HV(TREE), help_notes_tree },
	{ "Memory map: threads (t), arenas (a), DNS (d), insights (i), knobs (e)",
	  HV(THREADS) | HV(ARENAS) | HV(DNS) | HV(INSIGHTS) | HV(KNOBS),
	  help_notes_panes },
	{ "Compare (= on processes tagged with Space)", HV(COMPARE),
	  help_notes_compare },
	{ "Setup (F2, S in the list)", HV(SETUP), help_notes_setup },
	{ "This help", HV(HELP), help_notes_help },
};

struct help_line {
	char keys[40];      /* "" for a title or a note */
	const char *text;
	bool title;
};

static struct help_line help_lines[HELP_MAX_LINES];
static int help_n;
static int help_start[ARRAY_SIZE(help_sections)];
static int help_top, help_opened_at;

static struct help_line *help_add(const char *text)
{
	struct help_line *l;

	if (help_n >= HELP_MAX_LINES)
		return NULL;
	l = &help_lines[help_n++];
	l->keys[0] = '\0';
	l->text = text;
	l->title = false;
	return l;
}

/* The lowest view of a section: every view of it has the same keys. */
static enum keys_view help_view_of(const struct help_section *s)
{
	int v = 0;

	while (v < KEYS_VIEW__COUNT - 1 && !(s->views & (1u << v)))
		v++;
	return (enum keys_view)v;
}

static void help_add_section(size_t i)
{
	const struct help_section *s = &help_sections[i];
	enum keys_view v = help_view_of(s);
	size_t n;
	const struct keys_entry *e = keys_entries(&n);
	struct help_line *l;

	help_start[i] = help_n;
	l = help_add(s->title);
	if (l)
		l->title = true;
	for (size_t k = 0; k < n; k++) {
		if (!(e[k].views & (1u << v)))
			continue;
		l = help_add(e[k].help);
		if (l)
			keys_names(&e[k], l->keys, sizeof(l->keys));
	}
	for (size_t k = 0; s->notes && s->notes[k]; k++)
		help_add(s->notes[k]);
	help_add("");
}

static void help_build(void)
{
	if (help_n)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(help_sections); i++)
		help_add_section(i);
}

void help_open(enum keys_view view)
{
	help_build();
	help_top = 0;
	for (size_t i = 0; i < ARRAY_SIZE(help_sections); i++)
		if (help_sections[i].views & (1u << view))
			help_top = help_start[i];
	help_opened_at = help_top;
}

static void help_draw_line(int y, const struct help_line *l)
{
	int x;

	if (l->title) {
		screen_put(y, 0, COLS, "", SCREEN_TITLE, true);
		screen_put(y, 1, COLS - 1, l->text, SCREEN_TITLE, true);
		return;
	}
	if (!l->keys[0]) {
		screen_put(y, 1, COLS - 1, l->text, SCREEN_NORMAL, false);
		return;
	}
	x = 1 + screen_put(y, 1, COLS - 1, l->keys, SCREEN_FKEY, false);
	x = x < HELP_KEYS_COL ? HELP_KEYS_COL : x + 1; /* long lists push */
	screen_put(y, x, COLS - x, l->text, SCREEN_NORMAL, false);
}

void help_draw(void)
{
	help_build();
	erase();
	screen_put(0, 0, COLS, " vmtop " PACKAGE_VERSION " - keys",
		   SCREEN_VALUE, true);
	for (int y = 1; y < LINES && help_top + y - 1 < help_n; y++)
		help_draw_line(y, &help_lines[help_top + y - 1]);
}

bool help_key(int key)
{
	int page = LINES > 2 ? LINES - 2 : 1;
	int max = help_n - (LINES - 1);

	if (max < help_opened_at)
		max = help_opened_at; /* the last sections stay reachable */
	switch (keys_lookup(KEYS_VIEW_HELP, key)) {
	case KEYS_UP: help_top--; break;
	case KEYS_DOWN: help_top++; break;
	case KEYS_PAGE_UP: help_top -= page; break;
	case KEYS_PAGE_DOWN: help_top += page; break;
	case KEYS_HOME: help_top = 0; break;
	case KEYS_END: help_top = max; break;
	default: return key == SCREEN_KEY_FN(KEY_RESIZE);
	}
	if (help_top > max)
		help_top = max;
	if (help_top < 0)
		help_top = 0;
	return true;
}
