/* screen: the terminal under the TUI — start and stop curses, colours,
 * input with a timeout, signals, and width-aware text output.
 *
 * screen_init() opens the terminal with newterm() and installs handlers
 * that make sure screen_end() runs on every way out: atexit(), the xalloc
 * fatal hook, and SIGINT/SIGTERM/SIGHUP/SIGQUIT, which only set a flag and
 * wake screen_getkey() (through a self-pipe) so that the main loop can
 * restore the terminal and then re-raise the signal with
 * screen_reraise().  SIGWINCH reaches curses as KEY_RESIZE.  Crash
 * signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) restore the terminal
 * and then take their default action. */
#ifndef VMTOP_SCREEN_H
#define VMTOP_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "vmtop/strbuf.h"

/* Keys as screen_getkey() returns them: a character is its wchar_t value,
 * a curses function key (KEY_UP, KEY_F(1), KEY_RESIZE, KEY_MOUSE...) is
 * SCREEN_KEY_FN(code), so the two ranges never overlap. */
#define SCREEN_KEY_FN(code) (0x200000 + (code))
#define SCREEN_KEY_NONE (-1)   /* the timeout passed */
#define SCREEN_KEY_SIGNAL (-2) /* a terminating signal arrived */
#define SCREEN_KEY_CTRL(c) ((c) & 0x1f)
#define SCREEN_KEY_ESC 0x1b

/* What a piece of text is; the screen maps it to colours or attributes. */
enum screen_role {
	SCREEN_NORMAL,
	SCREEN_LABEL,       /* labels in the header ("Tasks:") */
	SCREEN_VALUE,       /* values in the header */
	SCREEN_TITLE,       /* column titles */
	SCREEN_TITLE_SORT,  /* the sort column's title */
	SCREEN_CURSOR,      /* the selected row */
	SCREEN_DIM,         /* unknown values, kernel threads */
	SCREEN_STATUS,      /* informational status line */
	SCREEN_ERROR,       /* error on the status line */
	SCREEN_PROMPT,      /* "Filter:" prompt */
	SCREEN_FKEY,        /* "F1" in the function-key bar */
	SCREEN_FLABEL,      /* "Help" in the function-key bar */
	SCREEN_MENU,        /* sort menu entries */
	SCREEN_MENU_SEL,    /* selected sort menu entry */
	SCREEN_NEW,         /* map view: appeared since the last refresh */
	SCREEN_GREW,        /* map view: grew */
	SCREEN_SHRANK,      /* map view: shrank */
	SCREEN_BAR_RESERVED,  /* VSZ bar: reserved only (---p) */
	SCREEN_BAR_COMMITTED, /* VSZ bar: committed, not resident */
	SCREEN_BAR_RESIDENT,  /* VSZ bar: resident */
	SCREEN_TAGGED,      /* process list: a tagged process (Space) */
	SCREEN__COUNT
};

/* Colour schemes.  NO_COLOR (set and not empty) or a terminal without
 * colours makes every scheme monochrome. */
enum screen_scheme {
	SCREEN_SCHEME_DEFAULT,    /* colours for a dark background */
	SCREEN_SCHEME_MONO,       /* attributes only: bold, reverse, ... */
	SCREEN_SCHEME_LIGHT,      /* colours that read on a light background */
	SCREEN_SCHEME__COUNT
};
/* The scheme's name ("default", "monochrome", "light"), or NULL. */
const char *screen_scheme_name(enum screen_scheme s);
/* The scheme named name (any case), or -1. */
int screen_scheme_find(const char *name);
/* Uses scheme s from now on (before screen_init() too); the next draw
 * shows it. */
void screen_set_scheme(enum screen_scheme s);
enum screen_scheme screen_scheme(void);

/* Opens the terminal on stdout/stdin.  Returns 0, or -1 with a one-line
 * message in err ("standard output is not a terminal; ..."). */
int screen_init(char *err, size_t errsize);
/* Restores the terminal.  Safe to call more than once, from atexit() and
 * from the xalloc fatal hook. */
void screen_end(void);
/* Whether colours are in use (false with NO_COLOR or a mono terminal). */
bool screen_has_color(void);
/* The attributes (colour pair included) for a role. */
attr_t screen_attr(enum screen_role role);

/* Waits at most timeout_ms (-1: no limit) for a key.  Returns the key,
 * SCREEN_KEY_NONE when the time ran out, or SCREEN_KEY_SIGNAL. */
int screen_getkey(int timeout_ms);
/* Makes a screen_getkey() waiting now (or the next one) return at once
 * (SCREEN_KEY_NONE): for a thread that has news for the main loop.  A
 * write to a pipe, safe from any thread and from a signal handler. */
void screen_wake(void);
/* The terminating signal that was caught, or 0. */
int screen_signal(void);
/* Restores the default action of sig and raises it (after screen_end). */
void screen_reraise(int sig);

/* Mouse events as tui and proclist use them. */
enum screen_mouse {
	SCREEN_MOUSE_NONE,
	SCREEN_MOUSE_CLICK,
	SCREEN_MOUSE_WHEEL_UP,
	SCREEN_MOUSE_WHEEL_DOWN,
};
/* After SCREEN_KEY_FN(KEY_MOUSE): the event and its cell. */
enum screen_mouse screen_mouse(int *y, int *x);

/* Display width of the UTF-8 string s (invalid bytes count 1). */
int screen_width(const char *s);
/* The end of s that fits in width columns: a pointer into s at the first
 * character of its longest suffix no wider than width.  Linear in the
 * length of s. */
const char *screen_tail(const char *s, int width);

/* The largest screen vmtop uses, whatever LINES, COLUMNS or the terminal
 * say: a larger terminal shows vmtop in its top-left corner. */
#define SCREEN_MAX_LINES 500
#define SCREEN_MAX_COLS 1000
/* Writes s at (y, x) in role's attributes, cut to at most width terminal
 * columns (double-width characters never half drawn) and, when pad is
 * set, padded with spaces to exactly width.  s must already be printable
 * (fmt_printable).  Returns the columns used. */
int screen_put(int y, int x, int width, const char *s, enum screen_role role,
	       bool pad);
/* Same, but s comes from a process: it goes through fmt_printable first. */
int screen_put_raw(int y, int x, int width, const char *s,
		   enum screen_role role, bool pad);

/* Moves *top, the first row shown of a list of n rows with page rows on
 * screen, so that the cursor row is visible and no space is left empty
 * below the last row. */
void screen_scroll_to(size_t *top, size_t cursor, size_t n, size_t page);

/* Edits a one-line input (filter, search) with key: a printable
 * character is appended (as UTF-8), Backspace removes the last character,
 * ^W the last word, ^U everything.  max bounds the length in bytes (0:
 * none).  Returns true when the text changed. */
bool screen_line_edit(struct strbuf *sb, int key, size_t max);

#endif
