/* setup: the settings' keys (one table: name, parse, format) and the
 * setup screen (F2), laid out as htop's: categories on the left, their
 * options on the right.
 *
 * The screen edits a copy of the values; the columns are kept as table
 * indices (proclist.h) while it is open and written back as names.  The
 * colour scheme is shown at once, so that the user sees what is chosen;
 * everything else takes effect when the program applies the values. */
#include "config.h"

#include "vmtop/setup.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vmtop/keys.h"
#include "vmtop/proclist.h"
#include "vmtop/treeview.h"
#include "vmtop/xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))
#define SETUP_CAT_WIDTH 14
#define SETUP_AVAIL_MAX 64 /* columns the table may have */
#define SETUP_SHOWN_WIDTH 22

/* --- the keys ------------------------------------------------------- */

enum setup_key {
	SETUP_KEY_COLUMNS,
	SETUP_KEY_SORT,
	SETUP_KEY_SORT_ORDER,
	SETUP_KEY_DELAY,
	SETUP_KEY_SCHEME,
	SETUP_KEY_KTHREADS,
	SETUP_KEY_OTHERS,
	SETUP_KEY_TREE,
	SETUP_KEY_DETAIL,
	SETUP_KEY__COUNT
};

static const char *const setup_keys[SETUP_KEY__COUNT] = {
	[SETUP_KEY_COLUMNS] = "columns",
	[SETUP_KEY_SORT] = "sort",
	[SETUP_KEY_SORT_ORDER] = "sort_order",
	[SETUP_KEY_DELAY] = "delay",
	[SETUP_KEY_SCHEME] = "color_scheme",
	[SETUP_KEY_KTHREADS] = "kernel_threads",
	[SETUP_KEY_OTHERS] = "other_users",
	[SETUP_KEY_TREE] = "tree_view",
	[SETUP_KEY_DETAIL] = "map_detail",
};

static const char *const setup_details[] = {
	[SETUP_DETAIL_AUTO] = "auto",
	[SETUP_DETAIL_SHOWN] = "shown",
	[SETUP_DETAIL_HIDDEN] = "hidden",
};

/* The refresh intervals setup steps through (any other is kept). */
static const double setup_delays[] = { 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60 };

#define SETUP_DELAY_MIN 0.1
#define SETUP_DELAY_MAX 86400.0

size_t setup_nkeys(void)
{
	return SETUP_KEY__COUNT;
}

const char *setup_key_name(size_t i)
{
	return i < SETUP_KEY__COUNT ? setup_keys[i] : NULL;
}

int setup_key_find(const char *key)
{
	for (int i = 0; i < SETUP_KEY__COUNT; i++)
		if (strcmp(key, setup_keys[i]) == 0)
			return i;
	return -1;
}

/* Column indices into "PID,USER"; returns buf. */
static char *setup_names(const int *idx, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + len, size - len, "%s%s", i ? "," : "",
				 proclist_column_name((size_t)idx[i]));

		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	return buf;
}

/* "PID, USER" into column indices; returns how many, or -1 with why. */
static int setup_parse_columns(const char *s, int *idx, char *why,
			       size_t whysize)
{
	int n = 0;

	while (*s) {
		size_t len = strcspn(s, ",");
		char name[32];
		const char *p = s;
		int c;

		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		if (strcasecmp(name, "COMMAND") == 0) {
			/* always shown, last: as --columns takes it */
			s += strcspn(s, ",");
			s += *s == ',';
			continue;
		}
		c = len < sizeof(name) ? proclist_column_find(name) : -1;
		if (c < 0) {
			snprintf(why, whysize, "unknown column '%s'", name);
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (idx[i] == c) {
				snprintf(why, whysize, "column '%s' twice",
					 name);
				return -1;
			}
		}
		if (n == TREEVIEW_MAX_COLS) {
			snprintf(why, whysize, "more than %d columns",
				 TREEVIEW_MAX_COLS);
			return -1;
		}
		idx[n++] = c;
		s += strcspn(s, ",");
		s += *s == ',';
	}
	return n;
}

static int setup_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static int setup_parse_delay(const char *s, double *out)
{
	char *end;
	double d;

	if (!*s)
		return -1;
	d = strtod(s, &end);
	if (*end || !isfinite(d) || d < SETUP_DELAY_MIN || d > SETUP_DELAY_MAX)
		return -1;
	*out = d;
	return 0;
}

static int setup_parse_word(const char *s, const char *const *words,
			    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, words[i]) == 0)
			return (int)i;
	return -1;
}

static int setup_parse_sort(struct setup_values *v, const char *value)
{
	int c = proclist_column_find(value);

	if (strcasecmp(value, "COMMAND") == 0)
		snprintf(v->sort, sizeof(v->sort), "COMMAND");
	else if (c >= 0)
		snprintf(v->sort, sizeof(v->sort), "%s",
			 proclist_column_name((size_t)c));
	else
		return -1;
	return 0;
}

static int setup_parse_order(struct setup_values *v, const char *value)
{
	static const char *const orders[] = { "ascending", "descending" };
	int o = setup_parse_word(value, orders, ARRAY_SIZE(orders));

	if (o < 0)
		return -1;
	v->sort_desc = o == 1;
	return 0;
}

static int setup_parse_one(struct setup_values *v, size_t i,
			   const char *value, char *why, size_t whysize)
{
	int idx[TREEVIEW_MAX_COLS], n, w;

	switch ((enum setup_key)i) {
	case SETUP_KEY_COLUMNS:
		n = setup_parse_columns(value, idx, why, whysize);
		if (n < 0)
			return -1;
		setup_names(idx, (size_t)n, v->columns, sizeof(v->columns));
		return 0;
	case SETUP_KEY_SORT:
		return setup_parse_sort(v, value);
	case SETUP_KEY_SORT_ORDER:
		return setup_parse_order(v, value);
	case SETUP_KEY_DELAY:
		return setup_parse_delay(value, &v->delay);
	case SETUP_KEY_SCHEME:
		w = screen_scheme_find(value);
		if (w < 0)
			return -1;
		v->scheme = (enum screen_scheme)w;
		return 0;
	case SETUP_KEY_KTHREADS:
		return setup_parse_bool(value, &v->kernel_threads);
	case SETUP_KEY_OTHERS:
		return setup_parse_bool(value, &v->other_users);
	case SETUP_KEY_TREE:
		return setup_parse_bool(value, &v->tree_view);
	case SETUP_KEY_DETAIL:
		w = setup_parse_word(value, setup_details,
				     ARRAY_SIZE(setup_details));
		if (w < 0)
			return -1;
		v->detail = (enum setup_detail)w;
		return 0;
	case SETUP_KEY__COUNT: break;
	}
	return -1;
}

/* What a key's value may be, for the warning about a bad one. */
static const char *const setup_wants[SETUP_KEY__COUNT] = {
	[SETUP_KEY_COLUMNS] = "column names separated by commas",
	[SETUP_KEY_SORT] = "a column's name or COMMAND",
	[SETUP_KEY_SORT_ORDER] = "ascending or descending",
	[SETUP_KEY_DELAY] = "seconds, 0.1 to 86400",
	[SETUP_KEY_SCHEME] = "default, monochrome or light",
	[SETUP_KEY_KTHREADS] = "yes or no",
	[SETUP_KEY_OTHERS] = "yes or no",
	[SETUP_KEY_TREE] = "yes or no",
	[SETUP_KEY_DETAIL] = "auto, shown or hidden",
};

int setup_key_parse(struct setup_values *v, size_t i, const char *value,
		    char *why, size_t whysize)
{
	struct setup_values copy = *v;

	if (i >= SETUP_KEY__COUNT)
		return -EINVAL;
	why[0] = '\0';
	if (setup_parse_one(&copy, i, value, why, whysize) < 0) {
		if (!why[0])
			snprintf(why, whysize, "want %s", setup_wants[i]);
		return -EINVAL;
	}
	*v = copy;
	return 0;
}

void setup_key_format(const struct setup_values *v, size_t i, char *buf,
		      size_t size)
{
	switch ((enum setup_key)i) {
	case SETUP_KEY_COLUMNS: snprintf(buf, size, "%s", v->columns); break;
	case SETUP_KEY_SORT: snprintf(buf, size, "%s", v->sort); break;
	case SETUP_KEY_SORT_ORDER:
		snprintf(buf, size, "%s",
			 v->sort_desc ? "descending" : "ascending");
		break;
	case SETUP_KEY_DELAY: snprintf(buf, size, "%g", v->delay); break;
	case SETUP_KEY_SCHEME:
		snprintf(buf, size, "%s", screen_scheme_name(v->scheme));
		break;
	case SETUP_KEY_KTHREADS:
	case SETUP_KEY_OTHERS:
	case SETUP_KEY_TREE:
		snprintf(buf, size, "%s",
			 (i == SETUP_KEY_KTHREADS ? v->kernel_threads :
			  i == SETUP_KEY_OTHERS	  ? v->other_users :
						    v->tree_view) ?
				 "yes" : "no");
		break;
	case SETUP_KEY_DETAIL:
		snprintf(buf, size, "%s", setup_details[v->detail]);
		break;
	case SETUP_KEY__COUNT: buf[0] = '\0'; break;
	}
}

void setup_defaults(struct setup_values *v)
{
	int idx[TREEVIEW_MAX_COLS];
	size_t n = proclist_default_columns(idx, TREEVIEW_MAX_COLS);

	memset(v, 0, sizeof(*v));
	setup_names(idx, n, v->columns, sizeof(v->columns));
	snprintf(v->sort, sizeof(v->sort), "VIRT");
	v->sort_desc = true;
	v->delay = 2.0;
	v->scheme = SCREEN_SCHEME_DEFAULT;
	v->kernel_threads = false; /* hidden, as in htop */
	v->other_users = true;
	v->tree_view = false;
	v->detail = SETUP_DETAIL_AUTO;
}

/* --- the screen ----------------------------------------------------- */

enum setup_cat { SETUP_CAT_COLUMNS, SETUP_CAT_DISPLAY, SETUP_CAT_COLOURS,
		 SETUP_CAT__COUNT };

static const char *const setup_cats[SETUP_CAT__COUNT] = {
	"Columns", "Display", "Colours",
};

/* The Display page's options, in order: keys of the table. */
static const enum setup_key setup_display[] = {
	SETUP_KEY_SORT, SETUP_KEY_SORT_ORDER, SETUP_KEY_DELAY,
	SETUP_KEY_KTHREADS, SETUP_KEY_OTHERS, SETUP_KEY_TREE,
	SETUP_KEY_DETAIL,
};

static const char *const setup_display_text[] = {
	"Sort column", "Sort order", "Refresh interval (s)",
	"Kernel threads listed", "Other users' processes listed",
	"Process tree (F5) at start", "Map view's detail pane",
};

static const char *const setup_scheme_text[SCREEN_SCHEME__COUNT] = {
	[SCREEN_SCHEME_DEFAULT] = "colours for a dark background",
	[SCREEN_SCHEME_MONO] = "no colours: bold, reverse, underline",
	[SCREEN_SCHEME_LIGHT] = "colours for a light background",
};

/* Panes: the categories, the category's options (on Columns: the
 * columns shown), the columns available (Columns only). */
enum { SETUP_PANE_CATS, SETUP_PANE_MAIN, SETUP_PANE_AVAIL };

struct setup {
	struct setup_values v;
	char path[512];
	int pane;
	int cat;
	int sel[3];      /* the cursor of each pane */
	int shown[TREEVIEW_MAX_COLS];
	int nshown;
	char msg[160];   /* a note on the status line, until the next key */
};

struct setup *setup_new(const struct setup_values *v, const char *path)
{
	struct setup *su = xcalloc(1, sizeof(*su));
	char why[64];
	int n;

	su->v = *v;
	snprintf(su->path, sizeof(su->path), "%s", path ? path : "");
	n = setup_parse_columns(v->columns, su->shown, why, sizeof(why));
	su->nshown = n < 0 ? 0 : n;
	su->pane = SETUP_PANE_MAIN;
	return su;
}

void setup_free(struct setup *su)
{
	free(su);
}

void setup_get(const struct setup *su, struct setup_values *v)
{
	*v = su->v;
	setup_names(su->shown, (size_t)su->nshown, v->columns,
		    sizeof(v->columns));
}

/* The columns not shown, in table order, into idx; returns how many. */
static int setup_available(const struct setup *su, int *idx)
{
	int n = 0;

	for (size_t c = 0; c < proclist_ncolumns() && n < SETUP_AVAIL_MAX;
	     c++) {
		bool shown = false;

		for (int i = 0; i < su->nshown; i++)
			shown |= su->shown[i] == (int)c;
		if (!shown)
			idx[n++] = (int)c;
	}
	return n;
}

/* How many rows the focused pane has. */
static int setup_rows(const struct setup *su, int pane)
{
	int avail[SETUP_AVAIL_MAX];

	if (pane == SETUP_PANE_CATS)
		return SETUP_CAT__COUNT;
	if (su->cat == SETUP_CAT_COLUMNS)
		return pane == SETUP_PANE_MAIN ?
			       su->nshown :
			       setup_available(su, avail);
	if (su->cat == SETUP_CAT_DISPLAY)
		return (int)ARRAY_SIZE(setup_display);
	return SCREEN_SCHEME__COUNT;
}

static void setup_clamp(struct setup *su)
{
	for (int p = 0; p < 3; p++) {
		int n = setup_rows(su, p);

		if (su->sel[p] >= n)
			su->sel[p] = n - 1;
		if (su->sel[p] < 0)
			su->sel[p] = 0;
	}
}

/* Draws one row of a pane: the cursor's in the focused pane stands out. */
static void setup_row(const struct setup *su, int pane, int row, int y,
		      int x, int w, const char *text)
{
	enum screen_role role = SCREEN_NORMAL;

	if (row == su->sel[pane])
		role = su->pane == pane ? SCREEN_CURSOR : SCREEN_MENU_SEL;
	screen_put(y, x, w, text, role, true);
}

static void setup_draw_columns(const struct setup *su, int y, int h, int x)
{
	int avail[SETUP_AVAIL_MAX], na = setup_available(su, avail);
	int w2 = COLS - x - SETUP_SHOWN_WIDTH - 1;
	char line[128];

	screen_put(y, x, SETUP_SHOWN_WIDTH, "Columns shown", SCREEN_TITLE,
		   true);
	screen_put(y, x + SETUP_SHOWN_WIDTH + 1, w2, "Columns available",
		   SCREEN_TITLE, true);
	for (int i = 0; i < su->nshown && i + 1 < h; i++)
		setup_row(su, SETUP_PANE_MAIN, i, y + 1 + i, x,
			  SETUP_SHOWN_WIDTH,
			  proclist_column_name((size_t)su->shown[i]));
	if (su->nshown + 1 < h)
		screen_put(y + 1 + su->nshown, x, SETUP_SHOWN_WIDTH,
			   "COMMAND (always)", SCREEN_DIM, true);
	for (int i = 0; i < na && i + 1 < h; i++) {
		snprintf(line, sizeof(line), "%s",
			 proclist_column_text((size_t)avail[i]));
		setup_row(su, SETUP_PANE_AVAIL, i, y + 1 + i,
			  x + SETUP_SHOWN_WIDTH + 1, w2, line);
	}
}

static void setup_draw_display(const struct setup *su, int y, int h, int x)
{
	char line[160], val[64];

	screen_put(y, x, COLS - x, "Display", SCREEN_TITLE, true);
	for (size_t i = 0; i < ARRAY_SIZE(setup_display) && (int)i + 1 < h;
	     i++) {
		setup_key_format(&su->v, setup_display[i], val, sizeof(val));
		snprintf(line, sizeof(line), "%-32s %s", setup_display_text[i],
			 val);
		setup_row(su, SETUP_PANE_MAIN, (int)i, y + 1 + (int)i, x,
			  COLS - x, line);
	}
}

static void setup_draw_colours(const struct setup *su, int y, int h, int x)
{
	char line[160];

	screen_put(y, x, COLS - x, "Colour scheme", SCREEN_TITLE, true);
	for (int i = 0; i < SCREEN_SCHEME__COUNT && i + 1 < h; i++) {
		snprintf(line, sizeof(line), "(%c) %-12s %s",
			 su->v.scheme == (enum screen_scheme)i ? '*' : ' ',
			 screen_scheme_name((enum screen_scheme)i),
			 setup_scheme_text[i]);
		setup_row(su, SETUP_PANE_MAIN, i, y + 1 + i, x, COLS - x,
			  line);
	}
	if (!screen_has_color() && su->v.scheme != SCREEN_SCHEME_MONO &&
	    SCREEN_SCHEME__COUNT + 2 < h)
		screen_put(y + SCREEN_SCHEME__COUNT + 2, x, COLS - x,
			   "No colours here: NO_COLOR is set or the terminal "
			   "has none.", SCREEN_DIM, false);
}

/* The status line: a note, or where the settings go. */
static void setup_draw_status(const struct setup *su, int y)
{
	char line[600];

	if (su->msg[0])
		snprintf(line, sizeof(line), "%s", su->msg);
	else if (su->path[0])
		snprintf(line, sizeof(line), "Esc, q or F10: done, saved in %s",
			 su->path);
	else
		snprintf(line, sizeof(line), "Esc, q or F10: done (settings "
					     "not saved: --no-config)");
	screen_put_raw(y, 0, COLS, line, SCREEN_STATUS, true);
}

void setup_draw(struct setup *su)
{
	int top = 1, h = LINES - 3, x = SETUP_CAT_WIDTH + 1;

	erase();
	setup_clamp(su);
	screen_put(0, 0, COLS, " vmtop setup", SCREEN_VALUE, true);
	if (h < 2) {
		refresh();
		return;
	}
	screen_put(top, 0, SETUP_CAT_WIDTH, "Categories", SCREEN_TITLE, true);
	for (int i = 0; i < SETUP_CAT__COUNT && i + 1 < h; i++)
		setup_row(su, SETUP_PANE_CATS, i, top + 1 + i, 0,
			  SETUP_CAT_WIDTH, setup_cats[i]);
	if (su->cat == SETUP_CAT_COLUMNS)
		setup_draw_columns(su, top, h, x);
	else if (su->cat == SETUP_CAT_DISPLAY)
		setup_draw_display(su, top, h, x);
	else
		setup_draw_colours(su, top, h, x);
	setup_draw_status(su, LINES - 2);
	keys_bar_draw(KEYS_VIEW_SETUP, LINES - 1, COLS);
	refresh();
}

/* --- keys ----------------------------------------------------------- */

static void setup_move(struct setup *su, enum keys_action a)
{
	int *sel = &su->sel[su->pane], n = setup_rows(su, su->pane);
	int page = LINES > 6 ? LINES - 6 : 1;

	switch (a) {
	case KEYS_UP: (*sel)--; break;
	case KEYS_DOWN: (*sel)++; break;
	case KEYS_PAGE_UP: *sel -= page; break;
	case KEYS_PAGE_DOWN: *sel += page; break;
	case KEYS_HOME: *sel = 0; break;
	case KEYS_END: *sel = n - 1; break;
	default: break;
	}
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	if (su->pane == SETUP_PANE_CATS && su->cat != *sel) {
		su->cat = *sel;
		/* the Colours page opens on the scheme in use */
		su->sel[SETUP_PANE_MAIN] = su->cat == SETUP_CAT_COLOURS ?
						   (int)su->v.scheme : 0;
		su->sel[SETUP_PANE_AVAIL] = 0;
	}
}

static void setup_add_column(struct setup *su)
{
	int avail[SETUP_AVAIL_MAX], na = setup_available(su, avail);

	if (su->sel[SETUP_PANE_AVAIL] >= na)
		return;
	if (su->nshown == TREEVIEW_MAX_COLS) {
		snprintf(su->msg, sizeof(su->msg),
			 "At most %d columns: remove one first (F9)",
			 TREEVIEW_MAX_COLS);
		return;
	}
	su->shown[su->nshown++] = avail[su->sel[SETUP_PANE_AVAIL]];
}

static void setup_remove_column(struct setup *su)
{
	int i = su->sel[SETUP_PANE_MAIN];

	if (su->cat != SETUP_CAT_COLUMNS || su->pane != SETUP_PANE_MAIN ||
	    i >= su->nshown)
		return;
	memmove(&su->shown[i], &su->shown[i + 1],
		(size_t)(su->nshown - i - 1) * sizeof(*su->shown));
	su->nshown--;
}

static void setup_move_column(struct setup *su, int dir)
{
	int i = su->sel[SETUP_PANE_MAIN], j = i + dir, t;

	if (i >= su->nshown || j < 0 || j >= su->nshown)
		return;
	t = su->shown[i];
	su->shown[i] = su->shown[j];
	su->shown[j] = t;
	su->sel[SETUP_PANE_MAIN] = j;
}

/* The sort column after (dir 1) or before (-1) the one set, among the
 * columns shown and COMMAND. */
static void setup_step_sort(struct setup *su, int dir)
{
	int n = su->nshown + 1, cur = su->nshown;

	for (int i = 0; i < su->nshown; i++)
		if (!strcasecmp(proclist_column_name((size_t)su->shown[i]),
				su->v.sort))
			cur = i;
	cur = ((cur + dir) % n + n) % n;
	snprintf(su->v.sort, sizeof(su->v.sort), "%s",
		 cur == su->nshown ?
			 "COMMAND" :
			 proclist_column_name((size_t)su->shown[cur]));
}

static void setup_step_delay(struct setup *su, int dir)
{
	size_t n = ARRAY_SIZE(setup_delays);
	double d = su->v.delay;

	if (dir > 0) {
		for (size_t i = 0; i < n; i++)
			if (setup_delays[i] > d + 1e-9) {
				su->v.delay = setup_delays[i];
				return;
			}
		su->v.delay = setup_delays[0]; /* round again */
		return;
	}
	for (size_t i = n; i-- > 0;)
		if (setup_delays[i] < d - 1e-9) {
			su->v.delay = setup_delays[i];
			return;
		}
	su->v.delay = setup_delays[n - 1];
}

/* The next (dir 1) or previous (-1) value of a Display option. */
static void setup_step_option(struct setup *su, int dir)
{
	struct setup_values *v = &su->v;

	switch (setup_display[su->sel[SETUP_PANE_MAIN]]) {
	case SETUP_KEY_SORT: setup_step_sort(su, dir); break;
	case SETUP_KEY_SORT_ORDER: v->sort_desc = !v->sort_desc; break;
	case SETUP_KEY_DELAY: setup_step_delay(su, dir); break;
	case SETUP_KEY_KTHREADS: v->kernel_threads = !v->kernel_threads; break;
	case SETUP_KEY_OTHERS:
		v->other_users = !v->other_users;
		snprintf(su->msg, sizeof(su->msg),
			 "Other users' processes: from the next start (-u "
			 "chooses users now)");
		break;
	case SETUP_KEY_TREE: v->tree_view = !v->tree_view; break;
	case SETUP_KEY_DETAIL:
		v->detail = (enum setup_detail)(((int)v->detail + dir + 3) % 3);
		break;
	default: break;
	}
}

static void setup_step_scheme(struct setup *su, int dir, bool choose)
{
	int n = SCREEN_SCHEME__COUNT, *sel = &su->sel[SETUP_PANE_MAIN];

	if (!choose)
		*sel = ((*sel + dir) % n + n) % n;
	su->v.scheme = (enum screen_scheme)*sel;
	screen_set_scheme(su->v.scheme);
}

/* Enter (dir 0), F7 (-1), F8 (1) on the focused pane. */
static void setup_change(struct setup *su, int dir)
{
	if (su->pane == SETUP_PANE_CATS) {
		if (dir == 0)
			su->pane = SETUP_PANE_MAIN;
		return;
	}
	if (su->cat == SETUP_CAT_COLUMNS) {
		if (su->pane == SETUP_PANE_AVAIL && dir == 0)
			setup_add_column(su);
		else if (su->pane == SETUP_PANE_MAIN && dir)
			setup_move_column(su, dir);
		else if (su->pane == SETUP_PANE_MAIN)
			snprintf(su->msg, sizeof(su->msg),
				 "F7/F8 move the column, F9 or Del removes "
				 "it; add columns from the right (Enter)");
	} else if (su->cat == SETUP_CAT_DISPLAY) {
		setup_step_option(su, dir ? dir : 1);
	} else {
		setup_step_scheme(su, dir, dir == 0);
	}
}

static void setup_pane(struct setup *su, int dir)
{
	int last = su->cat == SETUP_CAT_COLUMNS ? SETUP_PANE_AVAIL :
						  SETUP_PANE_MAIN;

	su->pane += dir;
	if (su->pane < SETUP_PANE_CATS)
		su->pane = SETUP_PANE_CATS;
	if (su->pane > last)
		su->pane = last;
}

enum setup_result setup_key(struct setup *su, int key)
{
	enum keys_action a = keys_lookup(KEYS_VIEW_SETUP, key);

	su->msg[0] = '\0';
	setup_clamp(su);
	switch (a) {
	case KEYS_BACK:
	case KEYS_CLOSE:
	case KEYS_QUIT: return SETUP_CLOSE;
	case KEYS_HELP: return SETUP_HELP;
	case KEYS_FOLD: setup_pane(su, -1); break;
	case KEYS_UNFOLD: setup_pane(su, 1); break;
	case KEYS_OPEN: setup_change(su, 0); break;
	case KEYS_SETUP_UP: setup_change(su, -1); break;
	case KEYS_SETUP_DOWN: setup_change(su, 1); break;
	case KEYS_SETUP_REMOVE: setup_remove_column(su); break;
	default:
		if (a >= KEYS_UP && a <= KEYS_END)
			setup_move(su, a);
		break;
	}
	setup_clamp(su);
	return SETUP_STAY;
}
