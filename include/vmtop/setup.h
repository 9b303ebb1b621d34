/* setup: the setup screen (F2 or S in the list, as in htop) and the
 * settings it edits.
 *
 * Categories on the left (Columns, Display, Colours), their options on
 * the right: the list's columns shown (add, remove, move up and down) and
 * those available; the sort column and order, the refresh interval,
 * kernel threads, other users' processes, the tree view, the map view's
 * detail pane; the colour scheme (shown at once).  Esc, q or F10 close
 * it; the program then applies the values and saves them.
 *
 * The settings file's keys are this module's table (setup_key_*): each
 * key reads into and writes from struct setup_values, so that the file,
 * the screen and the program agree on one spelling.  The file itself is
 * the app's (settings.h); the view never opens it: a struct setup_store
 * hands the program's save function to the TUI. */
#ifndef VMTOP_SETUP_H
#define VMTOP_SETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "vmtop/screen.h"

#define SETUP_COLUMNS_MAX 256 /* "PID,USER,..." */

enum setup_detail {
	SETUP_DETAIL_AUTO,   /* shown when the terminal has room */
	SETUP_DETAIL_SHOWN,
	SETUP_DETAIL_HIDDEN,
};

struct setup_values {
	char columns[SETUP_COLUMNS_MAX]; /* the list's, by name, in order,
					  * comma-separated ("": COMMAND
					  * alone) */
	char sort[32];         /* a column's name, or "COMMAND" */
	bool sort_desc;
	double delay;          /* refresh interval, seconds */
	enum screen_scheme scheme;
	bool kernel_threads;   /* kernel threads are listed */
	bool other_users;      /* other users' processes are listed */
	bool tree_view;        /* the list starts as a process tree */
	enum setup_detail detail; /* the map view's detail pane */
};

/* vmtop's defaults: the list's default columns sorted by VIRT,
 * descending, every 2 s, the default scheme, everything listed, no tree,
 * the detail pane when there is room. */
void setup_defaults(struct setup_values *v);

/* The settings file's keys, in the order a new file lists them. */
size_t setup_nkeys(void);
const char *setup_key_name(size_t i);
/* The index of key, or -1 when setup has no such key. */
int setup_key_find(const char *key);
/* Reads value into key i's field of v.  Returns 0, or -EINVAL with a
 * short reason in why ("unknown column 'FOO'") and v unchanged. */
int setup_key_parse(struct setup_values *v, size_t i, const char *value,
		    char *why, size_t whysize);
/* Writes key i's value of v into buf (as the file spells it). */
void setup_key_format(const struct setup_values *v, size_t i, char *buf,
		      size_t size);

/* What the TUI is given to start with and to save through. */
struct setup_store {
	struct setup_values values; /* in effect at the start */
	const char *path;     /* the settings file, for messages; NULL: none */
	const char *warning;  /* the first warning about it, or NULL */
	size_t nwarnings;
	/* Saves now (the values in effect when setup closes); NULL when
	 * nothing is saved (--no-config).  Returns 1 when the file was
	 * written, 0 when nothing had changed, or -errno with a one-line
	 * message in msg. */
	int (*save)(void *ctx, const struct setup_values *now, char *msg,
		    size_t msgsize);
	void *ctx;
};

struct setup;

enum setup_result {
	SETUP_STAY,
	SETUP_CLOSE, /* apply setup_result_values(), save */
	SETUP_HELP,  /* show the help at KEYS_VIEW_SETUP, then come back */
};

/* A setup screen that starts from v (copied); path is shown as where
 * the settings go (NULL: "not saved").  Never NULL. */
struct setup *setup_new(const struct setup_values *v, const char *path);
void setup_free(struct setup *su);
/* The values as edited so far. */
void setup_get(const struct setup *su, struct setup_values *v);
/* Draws the whole screen. */
void setup_draw(struct setup *su);
/* A key (screen code). */
enum setup_result setup_key(struct setup *su, int key);

#endif
