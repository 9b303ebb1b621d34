/* treeview: items rebuilt from a callback, kept open and selected by tag.
 *
 * One build = an array of nodes (items plus child links), a hash from
 * tag to node, and the names copied into reusable blocks.  After build
 * every sibling list is sorted, then the open part of the tree is
 * flattened into the rows on screen.  What the user folded or unfolded
 * lives in a separate table of tags that survives builds; a tag missing
 * from it is open when its item says open_default.
 *
 * A build holds every item, folded ones included, so that no key calls
 * build: folding lays the rows out again (a walk of the open part),
 * sorting re-sorts the sibling lists, and the search walks the nodes
 * from the cursor on.  At 60 000 items a key costs a few milliseconds;
 * a build costs tens, and comes only with new data.
 *
 * Columns are placed for the width of each draw: while the name column
 * would get fewer than min_name cells, the columns of the lowest drop
 * level left are hidden (never the sort column, so that its highlight
 * stays in sight).  A name still too long loses its middle, not its end:
 * a path keeps its file name, "tid 1234" its number.  Clicks use the
 * places of the last draw. */
#include "config.h"

#include "vmtop/treeview.h"

#include <stdlib.h> /* MB_CUR_MAX */
#include <string.h>
#include <strings.h>

#include "vmtop/fmt.h"
#include "vmtop/hash.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

#define TV_NONE SIZE_MAX
#define TV_BLOCK 65536
#define TV_MIN_NAME 16  /* the name keeps this many cells while it can */
#define TV_MENU_WIDTH 22

enum { TV_STATE_OPEN = 1, TV_STATE_FOLDED = 2 };

struct tv_node {
	struct treeview_item it;
	size_t parent, first, last, next; /* TV_NONE when absent */
	size_t order;                     /* insertion order, for ties */
	size_t row;                       /* index in rows, TV_NONE hidden */
};

struct tv_block {
	struct tv_block *next;
	size_t used;
	char data[TV_BLOCK];
};

struct treeview {
	const struct treeview_column *cols;
	int ncols;
	const char *name_title;
	int sort;
	bool desc;
	treeview_build_fn *build;
	treeview_cell_fn *cell;
	void *arg;

	struct tv_node *n;
	size_t nn, capn, root_first, root_last;
	struct hash_table nodes; /* node index by tag */
	struct tv_block *blocks, *cur_block;
	struct treeview_item scratch;

	size_t *rows;       /* node indexes shown, in order */
	size_t nrows, caprows;

	struct hash_table state; /* TV_STATE_* by tag: what the user
				  * folded or unfolded */

	bool full;          /* inside build: every item is wanted */
	uint64_t last_parent; /* siblings come in runs: their parent's */
	size_t last_parent_idx; /* index is looked up once per run */
	uint64_t cur_tag, cur_parent;
	size_t cursor, top;
	int page;
	int width;          /* of the last draw, for clicks */
	int min_name;       /* cells the name keeps while columns can go */

	bool flat;          /* no indentation, no fold markers */
	treeview_compare_fn *cmp;
	bool menu_open;
	int menu_sel;       /* column chosen in the sort menu */
};

/* Where each column goes at one width; x < 0: hidden. */
struct tv_place {
	int x[TREEVIEW_MAX_COLS + 1];
	int w[TREEVIEW_MAX_COLS + 1];
};

/* --- names ------------------------------------------------------------- */

static const char *tv_strdup(struct treeview *tv, const char *s)
{
	size_t len = strlen(s) + 1;
	struct tv_block *b = tv->cur_block;
	char *p;

	if (len > TV_BLOCK)
		len = TV_BLOCK; /* a longer name is cut */
	if (!b || b->used + len > TV_BLOCK) {
		b = b && b->next ? b->next : NULL;
		if (!b) {
			b = xmalloc(sizeof(*b));
			b->next = NULL;
			if (tv->cur_block)
				tv->cur_block->next = b;
			else
				tv->blocks = b;
		}
		b->used = 0;
		tv->cur_block = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len - 1);
	p[len - 1] = '\0';
	b->used += len;
	return p;
}

/* --- the fold state (persistent, by tag) -------------------------------- */

static void tv_state_put(struct treeview *tv, uint64_t tag, unsigned char v)
{
	*hash_table_put(&tv->state, tag) = v;
}

bool treeview_is_open(const struct treeview *tv, uint64_t tag,
		      bool open_default)
{
	uint32_t v = tag ? hash_table_get(&tv->state, tag) : HASH_NONE;

	if (v == HASH_NONE)
		return open_default;
	return v == TV_STATE_OPEN;
}

bool treeview_wants_children(const struct treeview *tv, uint64_t tag,
			     bool open_default)
{
	(void)tag;
	(void)open_default;
	return tv->full;
}

static bool tv_node_open(const struct treeview *tv, const struct tv_node *n)
{
	return n->it.expandable &&
	       treeview_is_open(tv, n->it.tag, n->it.open_default);
}

/* --- building ---------------------------------------------------------- */

struct treeview *treeview_new(const struct treeview_column *cols, int ncols,
			      const char *name_title, int sort_col, bool desc,
			      treeview_build_fn *build, treeview_cell_fn *cell,
			      void *arg)
{
	struct treeview *tv = xcalloc(1, sizeof(*tv));

	tv->cols = cols;
	tv->ncols = ncols > TREEVIEW_MAX_COLS ? TREEVIEW_MAX_COLS : ncols;
	tv->name_title = name_title;
	tv->sort = sort_col;
	tv->desc = desc;
	tv->build = build;
	tv->cell = cell;
	tv->arg = arg;
	tv->page = 1;
	tv->min_name = TV_MIN_NAME;
	/* empty until the first build: sorting or moving is then a no-op */
	tv->root_first = tv->root_last = TV_NONE;
	return tv;
}

void treeview_set_min_name(struct treeview *tv, int cells)
{
	tv->min_name = cells > 0 ? cells : TV_MIN_NAME;
}

void treeview_set_flat(struct treeview *tv, bool flat)
{
	tv->flat = flat;
}

static int tv_keep_order(const struct treeview_item *a,
			 const struct treeview_item *b, int col, void *arg)
{
	(void)a;
	(void)b;
	(void)col;
	(void)arg;
	return 0;
}

static void tv_no_cell(const struct treeview_item *it, int col, char *buf,
		       size_t size, void *arg)
{
	(void)it;
	(void)col;
	(void)arg;
	if (size)
		buf[0] = '\0';
}

struct treeview *treeview_new_lines(const char *title,
				    treeview_build_fn *build, void *arg)
{
	struct treeview *tv = treeview_new(NULL, 0, title, 0, false, build,
					   tv_no_cell, arg);

	treeview_set_flat(tv, true);
	treeview_set_compare(tv, tv_keep_order);
	return tv;
}

void treeview_set_compare(struct treeview *tv, treeview_compare_fn *cmp)
{
	tv->cmp = cmp;
}

void treeview_free(struct treeview *tv)
{
	if (!tv)
		return;
	while (tv->blocks) {
		struct tv_block *b = tv->blocks;

		tv->blocks = b->next;
		free(b);
	}
	free(tv->n);
	hash_table_release(&tv->nodes);
	free(tv->rows);
	hash_table_release(&tv->state);
	free(tv);
}

static size_t tv_find(const struct treeview *tv, uint64_t tag)
{
	uint32_t v = tag ? hash_table_get(&tv->nodes, tag) : HASH_NONE;

	return v == HASH_NONE ? TV_NONE : v;
}

static void tv_clear(struct treeview *tv)
{
	tv->nn = 0;
	tv->root_first = tv->root_last = TV_NONE;
	tv->last_parent = 0;
	hash_table_clear(&tv->nodes);
	for (struct tv_block *b = tv->blocks; b; b = b->next)
		b->used = 0;
	tv->cur_block = tv->blocks;
}

static void tv_link(struct treeview *tv, size_t idx, size_t parent)
{
	size_t *first = parent == TV_NONE ? &tv->root_first :
					    &tv->n[parent].first;
	size_t *last = parent == TV_NONE ? &tv->root_last : &tv->n[parent].last;

	if (*last == TV_NONE)
		*first = idx;
	else
		tv->n[*last].next = idx;
	*last = idx;
}

struct treeview_item *treeview_add(struct treeview *tv, uint64_t parent,
				   uint64_t tag, const char *name,
				   const void *data)
{
	size_t p = TV_NONE;
	struct tv_node *n;
	uint32_t *slot;

	if (parent && parent == tv->last_parent) {
		p = tv->last_parent_idx;
	} else if (parent) {
		p = tv_find(tv, parent);
		tv->last_parent = parent;
		tv->last_parent_idx = p;
	}

	memset(&tv->scratch, 0, sizeof(tv->scratch));
	if (!tag || (parent && p == TV_NONE))
		return &tv->scratch;
	/* one lookup: the slot says whether the tag was already added */
	slot = hash_table_put(&tv->nodes, tag);
	if (*slot != HASH_NONE)
		return &tv->scratch;
	*slot = (uint32_t)tv->nn;
	XGROW(tv->n, tv->capn, tv->nn + 1);
	n = &tv->n[tv->nn];
	memset(n, 0, sizeof(*n));
	n->it.tag = tag;
	n->it.parent = parent;
	n->it.name = tv_strdup(tv, name ? name : "");
	n->it.data = data;
	n->it.role = SCREEN_NORMAL;
	n->it.depth = p == TV_NONE ? 0 : tv->n[p].it.depth + 1;
	n->parent = p;
	n->first = n->last = n->next = n->row = TV_NONE;
	n->order = tv->nn;
	tv_link(tv, tv->nn, p);
	return &tv->n[tv->nn++].it;
}

/* --- sorting ----------------------------------------------------------- */

static int tv_compare(const void *a, const void *b, void *arg)
{
	const struct treeview *tv = arg;
	const struct tv_node *x = &tv->n[*(const size_t *)a];
	const struct tv_node *y = &tv->n[*(const size_t *)b];
	int c = 0;

	if (tv->cmp)
		c = tv->cmp(&x->it, &y->it, tv->sort, tv->arg);
	else if (tv->sort >= tv->ncols)
		c = strcasecmp(x->it.name, y->it.name);
	else if (tv->sort < TREEVIEW_NUM_COLS &&
		 x->it.num[tv->sort] != y->it.num[tv->sort])
		c = x->it.num[tv->sort] < y->it.num[tv->sort] ? -1 : 1;
	if (tv->desc)
		c = -c;
	if (c == 0)
		c = x->order < y->order ? -1 : x->order > y->order;
	return c;
}

/* Sorts the list starting at *first (ending at *last) in place. */
static void tv_sort_list(struct treeview *tv, size_t *first, size_t *last,
			 size_t **tmp, size_t *tmpcap)
{
	size_t k = 0;

	for (size_t i = *first; i != TV_NONE; i = tv->n[i].next) {
		XGROW(*tmp, *tmpcap, k + 1);
		(*tmp)[k++] = i;
	}
	if (k < 2)
		return;
	qsort_r(*tmp, k, sizeof(**tmp), tv_compare, tv);
	*first = (*tmp)[0];
	for (size_t i = 0; i + 1 < k; i++)
		tv->n[(*tmp)[i]].next = (*tmp)[i + 1];
	tv->n[(*tmp)[k - 1]].next = TV_NONE;
	*last = (*tmp)[k - 1];
}

static void tv_sort(struct treeview *tv)
{
	size_t *tmp = NULL, cap = 0;

	tv_sort_list(tv, &tv->root_first, &tv->root_last, &tmp, &cap);
	for (size_t i = 0; i < tv->nn; i++)
		if (tv->n[i].first != TV_NONE)
			tv_sort_list(tv, &tv->n[i].first, &tv->n[i].last,
				     &tmp, &cap);
	free(tmp);
}

/* --- laying out the rows ----------------------------------------------- */

static void tv_flatten_from(struct treeview *tv, size_t i)
{
	for (; i != TV_NONE; i = tv->n[i].next) {
		XGROW(tv->rows, tv->caprows, tv->nrows + 1);
		tv->n[i].row = tv->nrows;
		tv->rows[tv->nrows++] = i;
		if (tv_node_open(tv, &tv->n[i]))
			tv_flatten_from(tv, tv->n[i].first);
	}
}

static void tv_flatten(struct treeview *tv)
{
	for (size_t i = 0; i < tv->nn; i++)
		tv->n[i].row = TV_NONE;
	tv->nrows = 0;
	tv_flatten_from(tv, tv->root_first);
}

static void tv_set_cursor(struct treeview *tv, size_t row)
{
	if (tv->nrows == 0) {
		tv->cursor = 0;
		return;
	}
	if (row >= tv->nrows)
		row = tv->nrows - 1;
	tv->cursor = row;
	tv->cur_tag = tv->n[tv->rows[row]].it.tag;
	tv->cur_parent = tv->n[tv->rows[row]].it.parent;
}

/* Puts the cursor back on its tag, its nearest shown ancestor, its old
 * parent, or its old row. */
static void tv_restore_cursor(struct treeview *tv)
{
	size_t i = tv_find(tv, tv->cur_tag);

	if (i == TV_NONE)
		i = tv_find(tv, tv->cur_parent);
	while (i != TV_NONE && tv->n[i].row == TV_NONE)
		i = tv->n[i].parent;
	tv_set_cursor(tv, i != TV_NONE ? tv->n[i].row : tv->cursor);
}

/* After a fold or unfold: the rows again, from the nodes as they are. */
static void tv_relayout(struct treeview *tv)
{
	tv_flatten(tv);
	tv_restore_cursor(tv);
}

static void tv_layout(struct treeview *tv)
{
	tv_sort(tv);
	tv_relayout(tv);
}

void treeview_rebuild(struct treeview *tv)
{
	tv_clear(tv);
	tv->full = true;
	tv->build(tv, tv->arg);
	tv->full = false;
	tv_layout(tv);
}

void treeview_reset(struct treeview *tv)
{
	tv_clear(tv);
	tv->nrows = 0;
	tv->cursor = tv->top = 0;
	tv->cur_tag = tv->cur_parent = 0;
	tv->menu_open = false;
	hash_table_clear(&tv->state);
}

const struct treeview_item *treeview_cursor(const struct treeview *tv)
{
	if (tv->nrows == 0)
		return NULL;
	return &tv->n[tv->rows[tv->cursor]].it;
}

size_t treeview_shown(const struct treeview *tv)
{
	return tv->nrows;
}

int treeview_sort_col(const struct treeview *tv, bool *desc)
{
	*desc = tv->desc;
	return tv->sort;
}

const char *treeview_sort_title(const struct treeview *tv)
{
	return tv->sort < tv->ncols ? tv->cols[tv->sort].title :
				      tv->name_title;
}

const char *treeview_column_label(const struct treeview *tv, int col)
{
	if (col < 0 || col >= tv->ncols)
		return tv->name_title;
	return tv->cols[col].label ? tv->cols[col].label : tv->cols[col].title;
}

/* --- placing the columns ----------------------------------------------- */

static bool tv_hidden(const struct treeview *tv, int c, int level)
{
	int drop = tv->cols[c].drop;

	return drop && drop <= level && c != tv->sort;
}

static void tv_place(const struct treeview *tv, int width, struct tv_place *l)
{
	int level = 0, top = 0;

	for (int c = 0; c < tv->ncols; c++)
		if (tv->cols[c].drop > top)
			top = tv->cols[c].drop;
	for (; level < top; level++) {
		int fixed = 0;

		for (int c = 0; c < tv->ncols; c++)
			if (!tv_hidden(tv, c, level))
				fixed += tv->cols[c].width + 1;
		if (width - fixed >= tv->min_name)
			break;
	}
	for (int c = 0, x = 0; c <= tv->ncols; c++) {
		bool name = c == tv->ncols;

		l->x[c] = -1;
		l->w[c] = 0;
		if ((!name && tv_hidden(tv, c, level)) || x >= width)
			continue;
		l->x[c] = x;
		l->w[c] = name ? width - x : tv->cols[c].width;
		x += l->w[c] + 1;
	}
}

int treeview_column_x(const struct treeview *tv, int col, int width)
{
	struct tv_place l;

	if (col < 0 || col > tv->ncols)
		return -1;
	tv_place(tv, width, &l);
	return l.x[col];
}

/* --- actions ----------------------------------------------------------- */

static void tv_fold(struct treeview *tv, const struct tv_node *n, bool open)
{
	tv_state_put(tv, n->it.tag, open ? TV_STATE_OPEN : TV_STATE_FOLDED);
}

static void tv_unfold(struct treeview *tv, bool toggle)
{
	const struct tv_node *n;
	size_t row = tv->cursor;

	if (!tv->nrows)
		return;
	n = &tv->n[tv->rows[row]];
	if (!n->it.expandable)
		return;
	if (!tv_node_open(tv, n)) {
		tv_fold(tv, n, true);
		tv_relayout(tv);
	} else if (toggle) {
		tv_fold(tv, n, false);
		tv_relayout(tv);
	} else if (n->first != TV_NONE) {
		tv_set_cursor(tv, row + 1);
	}
}

static void tv_fold_or_parent(struct treeview *tv)
{
	const struct tv_node *n;

	if (!tv->nrows)
		return;
	n = &tv->n[tv->rows[tv->cursor]];
	if (tv_node_open(tv, n)) {
		tv_fold(tv, n, false);
		tv_relayout(tv);
	} else if (n->parent != TV_NONE && tv->n[n->parent].row != TV_NONE) {
		tv_set_cursor(tv, tv->n[n->parent].row);
	}
}

/* + unfolds every shown folded item at the shallowest such depth;
 * - folds every shown open item at the deepest such depth. */
static void tv_level(struct treeview *tv, bool more)
{
	int best = -1;

	for (size_t r = 0; r < tv->nrows; r++) {
		const struct tv_node *n = &tv->n[tv->rows[r]];
		int d = n->it.depth;

		if (!n->it.expandable || tv_node_open(tv, n) != !more)
			continue;
		if (best < 0 || (more ? d < best : d > best))
			best = d;
	}
	if (best < 0)
		return;
	for (size_t r = 0; r < tv->nrows; r++) {
		const struct tv_node *n = &tv->n[tv->rows[r]];

		if (n->it.expandable && n->it.depth == best &&
		    tv_node_open(tv, n) == !more)
			tv_fold(tv, n, more);
	}
	tv_relayout(tv);
}

static void tv_unfold_all(struct treeview *tv)
{
	for (size_t i = 0; i < tv->nn; i++)
		if (tv->n[i].it.expandable)
			tv_fold(tv, &tv->n[i], true);
	tv_relayout(tv);
}

void treeview_sort_by(struct treeview *tv, int col)
{
	if (col < 0 || col > tv->ncols)
		return;
	tv->sort = col;
	tv->desc = col < tv->ncols ? tv->cols[col].desc : false;
	tv_layout(tv);
}

static void tv_move_sort(struct treeview *tv, int delta)
{
	int n = tv->ncols + 1;

	treeview_sort_by(tv, (tv->sort + delta + n) % n);
}

bool treeview_menu_active(const struct treeview *tv)
{
	return tv->menu_open;
}

/* An action while the sort menu is open: the moves move in the menu. */
static void tv_menu_action(struct treeview *tv, enum treeview_action a)
{
	switch (a) {
	case TREEVIEW_UP:
		tv->menu_sel -= tv->menu_sel > 0;
		break;
	case TREEVIEW_DOWN:
		tv->menu_sel += tv->menu_sel < tv->ncols;
		break;
	case TREEVIEW_PAGE_UP:
	case TREEVIEW_HOME: tv->menu_sel = 0; break;
	case TREEVIEW_PAGE_DOWN:
	case TREEVIEW_END: tv->menu_sel = tv->ncols; break;
	case TREEVIEW_SORT_MENU: break;
	case TREEVIEW_MENU_CHOOSE:
		tv->menu_open = false;
		treeview_sort_by(tv, tv->menu_sel);
		break;
	default: tv->menu_open = false; break;
	}
}

static void tv_move(struct treeview *tv, long delta)
{
	long row = (long)tv->cursor + delta;

	if (row < 0)
		row = 0;
	tv_set_cursor(tv, (size_t)row);
}

void treeview_action(struct treeview *tv, enum treeview_action a)
{
	if (tv->menu_open) {
		tv_menu_action(tv, a);
		return;
	}
	switch (a) {
	case TREEVIEW_UP: tv_move(tv, -1); break;
	case TREEVIEW_DOWN: tv_move(tv, 1); break;
	case TREEVIEW_PAGE_UP: tv_move(tv, -tv->page); break;
	case TREEVIEW_PAGE_DOWN: tv_move(tv, tv->page); break;
	case TREEVIEW_HOME: tv_set_cursor(tv, 0); break;
	case TREEVIEW_END: tv_set_cursor(tv, tv->nrows ? tv->nrows - 1 : 0);
		break;
	case TREEVIEW_UNFOLD: tv_unfold(tv, false); break;
	case TREEVIEW_TOGGLE: tv_unfold(tv, true); break;
	case TREEVIEW_FOLD: tv_fold_or_parent(tv); break;
	case TREEVIEW_LEVEL_MORE: tv_level(tv, true); break;
	case TREEVIEW_LEVEL_LESS: tv_level(tv, false); break;
	case TREEVIEW_UNFOLD_ALL: tv_unfold_all(tv); break;
	case TREEVIEW_SORT_LEFT: tv_move_sort(tv, -1); break;
	case TREEVIEW_SORT_RIGHT: tv_move_sort(tv, 1); break;
	case TREEVIEW_SORT_INVERT:
		tv->desc = !tv->desc;
		tv_layout(tv);
		break;
	case TREEVIEW_SORT_MENU:
		tv->menu_open = true;
		tv->menu_sel = tv->sort;
		break;
	case TREEVIEW_MENU_CHOOSE:
	case TREEVIEW_MENU_CLOSE: break;
	}
}

/* --- search ------------------------------------------------------------ */

/* The node after i in the order of a fully unfolded tree, wrapping from
 * the last to the first. */
static size_t tv_preorder_next(const struct treeview *tv, size_t i)
{
	if (tv->n[i].first != TV_NONE)
		return tv->n[i].first;
	for (; i != TV_NONE; i = tv->n[i].parent)
		if (tv->n[i].next != TV_NONE)
			return tv->n[i].next;
	return tv->root_first;
}

/* Walks from the cursor's node, so that typing one more character of a
 * needle costs the distance to the next match, not a pass over all. */
bool treeview_search(struct treeview *tv, const char *needle, bool next)
{
	size_t start = tv_find(tv, tv->cur_tag), i, found = TV_NONE;

	if (!needle || !*needle || tv->nn == 0)
		return false;
	if (start == TV_NONE)
		start = tv->root_first;
	i = next ? tv_preorder_next(tv, start) : start;
	for (size_t k = 0; k < tv->nn; k++, i = tv_preorder_next(tv, i)) {
		if (strcasestr(tv->n[i].it.name, needle)) {
			found = i;
			break;
		}
	}
	if (found == TV_NONE)
		return false;
	for (size_t p = tv->n[found].parent; p != TV_NONE; p = tv->n[p].parent)
		if (!tv_node_open(tv, &tv->n[p]))
			tv_fold(tv, &tv->n[p], true);
	tv->cur_tag = tv->n[found].it.tag;
	tv->cur_parent = tv->n[found].it.parent;
	tv_relayout(tv);
	return true;
}

/* --- drawing ----------------------------------------------------------- */

/* Draws text in a cell of w columns; right-aligned unless left. */
static void tv_cell(int y, int x, int w, const char *text, bool left,
		    enum screen_role role)
{
	int tw = screen_width(text);

	if (!left && tw < w) {
		screen_put(y, x, w - tw, "", role, true);
		x += w - tw;
		w = tw;
	}
	screen_put(y, x, w, text, role, true);
}

static void tv_draw_titles(const struct treeview *tv,
			   const struct tv_place *l, int y, int width)
{
	screen_put(y, 0, width, "", SCREEN_TITLE, true);
	for (int c = 0; c <= tv->ncols; c++) {
		bool name = c == tv->ncols;
		enum screen_role role =
			c == tv->sort ? SCREEN_TITLE_SORT : SCREEN_TITLE;

		if (l->x[c] < 0)
			continue;
		tv_cell(y, l->x[c], l->w[c],
			name ? tv->name_title : tv->cols[c].title,
			name || tv->cols[c].left, role);
	}
}

/* The start of the last part of s (printable) that is at most w cells
 * wide, on a character boundary. */
static const char *tv_tail(const char *s, int w)
{
	const char *p = s + strlen(s);

	while (p > s) {
		const char *q = p - 1;

		while (q > s && (*q & 0xc0) == 0x80)
			q--;
		if (screen_width(q) > w)
			break;
		p = q;
	}
	return p;
}

/* Appends name (raw) to sb, made printable and, when wider than room
 * cells, shortened: a path loses its middle, not its file name
 * ("/usr/lib/x86_6...-gnu/libcrypto.so.3"), with up to two thirds of the
 * room for its end; another name (an address range, a label) loses its
 * end, its beginning being what tells it apart. */
static void tv_fit_middle(struct strbuf *sb, const char *name, int room)
{
	struct strbuf p = STRBUF_INIT;
	const char *mark = MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : "~";
	const char *tail, *slash;
	int headw, tailw;
	size_t cut;

	strbuf_init(&p, 128);
	fmt_printable_str(&p, name);
	if (room < 8 || screen_width(p.buf) <= room) {
		strbuf_addstr(sb, p.buf);
		strbuf_release(&p);
		return;
	}
	slash = strrchr(p.buf, '/');
	tailw = 0;
	if (slash) {
		tailw = screen_width(slash);
		if (tailw > (room - 1) * 2 / 3)
			tailw = (room - 1) * 2 / 3;
	}
	headw = room - 1 - tailw;
	tail = tv_tail(p.buf, tailw);
	/* the head: whole characters while they fit */
	for (cut = 0; p.buf[cut];) {
		size_t next = cut + 1;
		char c;

		while (p.buf[next] && (p.buf[next] & 0xc0) == 0x80)
			next++;
		c = p.buf[next];
		p.buf[next] = '\0';
		if (screen_width(p.buf) > headw) {
			p.buf[next] = c;
			break;
		}
		p.buf[next] = c;
		cut = next;
	}
	strbuf_add(sb, p.buf, cut);
	strbuf_addstr(sb, mark);
	strbuf_addstr(sb, tail);
	strbuf_release(&p);
}

static void tv_draw_name(const struct treeview *tv, const struct tv_node *n,
			 int y, int x, int w, enum screen_role role,
			 struct strbuf *sb)
{
	strbuf_reset(sb);
	if (!tv->flat) {
		for (int d = 0; d < n->it.depth; d++)
			strbuf_addstr(sb, "  ");
		strbuf_addstr(sb, !n->it.expandable   ? "  " :
				  tv_node_open(tv, n) ? "- " :
							"+ ");
	}
	tv_fit_middle(sb, n->it.name, w - screen_width(sb->buf));
	screen_put(y, x, w, sb->buf, role, true);
}

static void tv_draw_row(const struct treeview *tv, const struct tv_place *l,
			const struct tv_node *n, int y, int width,
			bool selected)
{
	struct strbuf sb = STRBUF_INIT;
	enum screen_role base = selected ? SCREEN_CURSOR : n->it.role;

	strbuf_init(&sb, 128);
	screen_put(y, 0, width, "", base, true);
	for (int c = 0; c < tv->ncols; c++) {
		char buf[256] = "";

		if (l->x[c] < 0)
			continue;
		tv->cell(&n->it, c, buf, sizeof(buf), tv->arg);
		strbuf_reset(&sb);
		fmt_printable_str(&sb, buf);
		tv_cell(y, l->x[c], l->w[c], sb.buf, tv->cols[c].left,
			!selected && strcmp(buf, "-") == 0 ? SCREEN_DIM : base);
	}
	if (l->x[tv->ncols] >= 0)
		tv_draw_name(tv, n, y, l->x[tv->ncols], l->w[tv->ncols], base,
			     &sb);
	strbuf_release(&sb);
}

static int tv_menu_width(const struct treeview *tv, int width)
{
	int w = TV_MENU_WIDTH;

	for (int c = 0; c <= tv->ncols; c++) {
		int lw = screen_width(treeview_column_label(tv, c)) + 2;

		if (lw > w)
			w = lw;
	}
	return w < width ? w : width;
}

/* The menu over the rows: its title at y, one entry per column below. */
static void tv_draw_menu(const struct treeview *tv, int y, int height,
			 int width)
{
	int w = tv_menu_width(tv, width);
	char line[128];

	if (height < 1 || w < 1)
		return;
	screen_put(y, 0, w, " Sort by", SCREEN_TITLE, true);
	for (int c = 0; c <= tv->ncols && c + 1 < height; c++) {
		snprintf(line, sizeof(line), " %s",
			 treeview_column_label(tv, c));
		screen_put(y + 1 + c, 0, w, line,
			   c == tv->menu_sel ? SCREEN_MENU_SEL : SCREEN_MENU,
			   true);
	}
}

static void tv_scroll_to_cursor(struct treeview *tv)
{
	screen_scroll_to(&tv->top, tv->cursor, tv->nrows, (size_t)tv->page);
}

void treeview_draw(struct treeview *tv, int y, int height, int width)
{
	struct tv_place l;

	if (height < 1 || width < 1)
		return;
	tv->width = width;
	tv_place(tv, width, &l);
	tv_draw_titles(tv, &l, y, width);
	tv->page = height > 1 ? height - 1 : 1;
	tv_scroll_to_cursor(tv);
	for (int i = 0; i + 1 < height; i++) {
		size_t r = tv->top + (size_t)i;

		if (r >= tv->nrows)
			break;

		tv_draw_row(tv, &l, &tv->n[tv->rows[r]], y + 1 + i, width,
			    r == tv->cursor);
	}
	if (tv->menu_open)
		tv_draw_menu(tv, y + 1, height - 1, width);
}

/* --- mouse ------------------------------------------------------------- */

/* The column drawn at x (its separator included) at the last draw, or
 * -1. */
static int tv_column_at(const struct treeview *tv, int x)
{
	struct tv_place l;

	tv_place(tv, tv->width, &l);
	for (int c = 0; c <= tv->ncols; c++)
		if (l.x[c] >= 0 && x >= l.x[c] && x <= l.x[c] + l.w[c])
			return c;
	return -1;
}

/* A click while the menu is open: on an entry (rows 2...) it sorts;
 * elsewhere it closes the menu.  Returns whether the click was used. */
static bool tv_menu_click(struct treeview *tv, int y, int x)
{
	int c = y - 2;

	tv->menu_open = false;
	if (c < 0 || c > tv->ncols || x >= tv_menu_width(tv, tv->width))
		return false;
	treeview_sort_by(tv, c);
	return true;
}

void treeview_click(struct treeview *tv, int y, int x)
{
	size_t row;

	if (tv->menu_open && tv_menu_click(tv, y, x))
		return;
	if (y == 0) {
		int c = tv_column_at(tv, x);

		if (c < 0)
			return;
		if (c == tv->sort) {
			tv->desc = !tv->desc;
			tv_layout(tv);
		} else {
			treeview_sort_by(tv, c);
		}
		return;
	}
	row = tv->top + (size_t)(y - 1);
	if (y < 0 || row >= tv->nrows)
		return;
	if (row == tv->cursor)
		tv_unfold(tv, true);
	else
		tv_set_cursor(tv, row);
}

void treeview_scroll(struct treeview *tv, int rows)
{
	tv->menu_open = false;
	tv_move(tv, rows);
}
