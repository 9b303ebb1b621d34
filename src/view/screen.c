/* screen: curses start and stop, colours, input, signals, text output.
 *
 * Input: the main loop sleeps in poll() on the terminal and a self-pipe,
 * then reads keys with a zero timeout.  Keys are answered at once,
 * refreshes happen on time, and a signal handler only has to write one
 * byte.  Standard input is the terminal: main() puts /dev/tty there when
 * it is redirected (vmtop < /dev/null), so that q and F10 work and the
 * keys typed are not left for the shell. */
#include "config.h"

#include "vmtop/screen.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include <term.h> /* setupterm(), after curses.h */

#include "vmtop/fmt.h"
#include "vmtop/strbuf.h"
#include "vmtop/xalloc.h"

static const int screen_term_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static const int screen_crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
					    SIGABRT };

static SCREEN *screen_term;
static bool screen_active;
static bool screen_color;
static int screen_pipe[2] = { -1, -1 };
static volatile sig_atomic_t screen_caught;
static volatile sig_atomic_t screen_winched; /* a SIGWINCH to answer */
static bool screen_altscreen; /* the terminal restores what was before */

/* Colour pairs: role, foreground, background (-1: terminal default), and
 * the attributes used instead when there are no colours. */
struct screen_style {
	short fg, bg;
	attr_t color_attr;
	attr_t mono_attr;
};

static const struct screen_style screen_styles[SCREEN__COUNT] = {
	[SCREEN_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[SCREEN_LABEL] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[SCREEN_VALUE] = { -1, -1, A_BOLD, A_BOLD },
	[SCREEN_TITLE] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE },
	[SCREEN_TITLE_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD,
				A_BOLD | A_UNDERLINE },
	[SCREEN_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[SCREEN_DIM] = { COLOR_BLUE, -1, A_BOLD, A_DIM },
	[SCREEN_STATUS] = { -1, -1, A_NORMAL, A_NORMAL },
	[SCREEN_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[SCREEN_PROMPT] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[SCREEN_FKEY] = { -1, -1, A_BOLD, A_BOLD },
	[SCREEN_FLABEL] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[SCREEN_MENU] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[SCREEN_MENU_SEL] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD },
	[SCREEN_NEW] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[SCREEN_GREW] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[SCREEN_SHRANK] = { COLOR_CYAN, -1, A_NORMAL, A_UNDERLINE },
	[SCREEN_BAR_RESERVED] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_DIM },
	[SCREEN_BAR_COMMITTED] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL,
				   A_NORMAL },
	[SCREEN_BAR_RESIDENT] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL,
				  A_BOLD },
	[SCREEN_TAGGED] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
};

/* For a light background: no cyan, yellow or white text on the terminal's
 * own background, where it fades (the labels, prompts and "shrank" go
 * blue; the menu is drawn on blue rather than white). */
static const struct screen_style screen_styles_light[SCREEN__COUNT] = {
	[SCREEN_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[SCREEN_LABEL] = { COLOR_BLUE, -1, A_NORMAL, A_NORMAL },
	[SCREEN_VALUE] = { -1, -1, A_BOLD, A_BOLD },
	[SCREEN_TITLE] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE },
	[SCREEN_TITLE_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD,
				A_BOLD | A_UNDERLINE },
	[SCREEN_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[SCREEN_DIM] = { COLOR_BLUE, -1, A_NORMAL, A_DIM },
	[SCREEN_STATUS] = { -1, -1, A_NORMAL, A_NORMAL },
	[SCREEN_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[SCREEN_PROMPT] = { COLOR_BLUE, -1, A_BOLD, A_BOLD },
	[SCREEN_FKEY] = { -1, -1, A_BOLD, A_BOLD },
	[SCREEN_FLABEL] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[SCREEN_MENU] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	[SCREEN_MENU_SEL] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD },
	[SCREEN_NEW] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[SCREEN_GREW] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[SCREEN_SHRANK] = { COLOR_BLUE, -1, A_NORMAL, A_UNDERLINE },
	[SCREEN_BAR_RESERVED] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_DIM },
	[SCREEN_BAR_COMMITTED] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL,
				   A_NORMAL },
	[SCREEN_BAR_RESIDENT] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL,
				  A_BOLD },
};

static const char *const screen_scheme_names[SCREEN_SCHEME__COUNT] = {
	[SCREEN_SCHEME_DEFAULT] = "default",
	[SCREEN_SCHEME_MONO] = "monochrome",
	[SCREEN_SCHEME_LIGHT] = "light",
};

static enum screen_scheme screen_cur_scheme;
/* The terminal can show colours and NO_COLOR does not forbid them. */
static bool screen_color_ok;

/* The styles of the scheme in use (the monochrome one uses mono_attr of
 * the default's). */
static const struct screen_style *screen_styles_now(void)
{
	return screen_cur_scheme == SCREEN_SCHEME_LIGHT ? screen_styles_light :
							  screen_styles;
}

void screen_wake(void)
{
	int saved = errno;
	ssize_t r = write(screen_pipe[1], "", 1);

	(void)r; /* a full pipe is already a wake-up */
	errno = saved;
}

static void screen_on_signal(int sig)
{
	screen_caught = sig;
	screen_wake();
}

/* Notes the resize and wakes the poll.  curses' own handler is not
 * called: its resize would take the terminal's size as it is, however
 * large, so screen_getkey() resizes instead (screen_resize()). */
static void screen_on_winch(int sig)
{
	(void)sig;
	screen_winched = 1;
	screen_wake();
}

/* A crash: leave a usable terminal behind, then die of the same signal
 * (the handler was reset by SA_RESETHAND).  endwin() is not
 * async-signal-safe, but the process is going down either way and a
 * terminal left in raw mode on the alternate screen is worse. */
static void screen_on_crash(int sig)
{
	screen_end();
	raise(sig);
}

static int screen_open_pipe(void)
{
	if (pipe2(screen_pipe, O_CLOEXEC | O_NONBLOCK) == 0)
		return 0;
	screen_pipe[0] = screen_pipe[1] = -1;
	return -1;
}

static void screen_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = screen_on_signal;
	for (size_t i = 0; i < sizeof(screen_term_signals) /
				       sizeof(*screen_term_signals); i++)
		sigaction(screen_term_signals[i], &sa, NULL);
	sa.sa_handler = screen_on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof(screen_crash_signals) /
				       sizeof(*screen_crash_signals); i++)
		sigaction(screen_crash_signals[i], &sa, NULL);
	sa.sa_handler = screen_on_winch;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
}

/* The pairs of the scheme in use, when colours are allowed at all. */
static void screen_apply_scheme(void)
{
	const struct screen_style *st = screen_styles_now();

	screen_color = screen_color_ok &&
		       screen_cur_scheme != SCREEN_SCHEME_MONO;
	if (!screen_color)
		return;
	for (int i = 1; i < SCREEN__COUNT; i++)
		init_pair((short)i, st[i].fg, st[i].bg);
}

static void screen_init_colors(void)
{
	const char *no_color = getenv("NO_COLOR");

	screen_color_ok = false;
	if ((no_color && *no_color) || !has_colors() || start_color() == ERR) {
		screen_apply_scheme();
		return;
	}
	use_default_colors();
	screen_color_ok = true;
	screen_apply_scheme();
}

const char *screen_scheme_name(enum screen_scheme s)
{
	return (unsigned)s < SCREEN_SCHEME__COUNT ? screen_scheme_names[s] :
						    NULL;
}

int screen_scheme_find(const char *name)
{
	for (int i = 0; i < SCREEN_SCHEME__COUNT; i++)
		if (strcasecmp(name, screen_scheme_names[i]) == 0)
			return i;
	return -1;
}

void screen_set_scheme(enum screen_scheme s)
{
	if ((unsigned)s >= SCREEN_SCHEME__COUNT)
		return;
	screen_cur_scheme = s;
	if (screen_active)
		screen_apply_scheme();
}

enum screen_scheme screen_scheme(void)
{
	return screen_cur_scheme;
}

static void screen_setup_modes(void)
{
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	wtimeout(stdscr, 0);
}

/* Whether the terminal just set up can address the cursor: TERM=dumb, a
 * generic type or a hard-copy one would get a screenful of garbage. */
static bool screen_term_addressable(void)
{
	const char *cup = tigetstr("cup");

	return cup && cup != (const char *)-1 && tigetflag("gn") <= 0 &&
	       tigetflag("hc") <= 0;
}

/* Clamps a size to what vmtop draws: curses keeps a few copies of every
 * cell (about 28 bytes each), and LINES, COLUMNS or a terminal's size can
 * say anything: 3000 x 3000 cost 742 MB. */
static void screen_clamp(int *h, int *w)
{
	if (*h > SCREEN_MAX_LINES)
		*h = SCREEN_MAX_LINES;
	if (*w > SCREEN_MAX_COLS)
		*w = SCREEN_MAX_COLS;
}

/* A positive number from the environment variable name, or 0. */
static int screen_env_size(const char *name)
{
	const char *v = getenv(name);
	long n = v ? strtol(v, NULL, 10) : 0;

	return n > 0 && n < INT_MAX ? (int)n : 0;
}

/* newterm() at a clamped size: curses takes LINES and COLUMNS from the
 * environment before the terminal's size, so while it starts they say
 * the clamped size (and are given back their values after). */
static SCREEN *screen_newterm(void)
{
	struct winsize ws = { 0 };
	int h = screen_env_size("LINES"), w = screen_env_size("COLUMNS");
	char *old_lines = getenv("LINES"), *old_cols = getenv("COLUMNS");
	char l[16], c[16];
	SCREEN *sp;

	if ((!h || !w) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		h = h ? h : ws.ws_row;
		w = w ? w : ws.ws_col;
	}
	if (h <= SCREEN_MAX_LINES && w <= SCREEN_MAX_COLS)
		return newterm(NULL, stdout, stdin);
	old_lines = old_lines ? xstrdup(old_lines) : NULL;
	old_cols = old_cols ? xstrdup(old_cols) : NULL;
	screen_clamp(&h, &w);
	snprintf(l, sizeof(l), "%d", h);
	snprintf(c, sizeof(c), "%d", w);
	setenv("LINES", l, 1);
	setenv("COLUMNS", c, 1);
	sp = newterm(NULL, stdout, stdin);
	old_lines ? setenv("LINES", old_lines, 1) : unsetenv("LINES");
	old_cols ? setenv("COLUMNS", old_cols, 1) : unsetenv("COLUMNS");
	free(old_lines);
	free(old_cols);
	return sp;
}

/* After SIGWINCH: the terminal's new size, clamped, for curses. */
static void screen_resize(void)
{
	struct winsize ws;
	int h, w;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || !ws.ws_row ||
	    !ws.ws_col)
		return;
	h = ws.ws_row;
	w = ws.ws_col;
	screen_clamp(&h, &w);
	resizeterm(h, w);
}

static int screen_open_term(char *err, size_t errsize)
{
	const char *term = getenv("TERM");
	int rc;

	if (!term || !*term) {
		snprintf(err, errsize, "TERM is not set (set TERM, or use -b)");
		return -1;
	}
	/* setupterm() first: newterm() leaks its half-built screen when the
	 * terminal type is unknown */
	if (setupterm(NULL, STDOUT_FILENO, &rc) != OK) {
		snprintf(err, errsize,
			 "unknown terminal type '%s' (set TERM, or use -b)",
			 term);
		return -1;
	}
	if (!screen_term_addressable()) {
		del_curterm(cur_term);
		snprintf(err, errsize,
			 "terminal type '%s' cannot move the cursor "
			 "(use a full-screen terminal, or -b)", term);
		return -1;
	}
	del_curterm(cur_term);
	screen_term = screen_newterm();
	if (!screen_term) {
		snprintf(err, errsize,
			 "unknown terminal type '%s' (set TERM, or use -b)",
			 term);
		return -1;
	}
	set_term(screen_term);
	{
		const char *smcup = tigetstr("smcup");

		screen_altscreen = smcup && smcup != (const char *)-1;
	}
	return 0;
}

int screen_init(char *err, size_t errsize)
{
	static bool atexit_done;

	setlocale(LC_ALL, "");
	if (!isatty(STDOUT_FILENO)) {
		snprintf(err, errsize, "standard output is not a terminal; "
				       "use -b for batch output");
		return -1;
	}
	if (!isatty(STDIN_FILENO)) {
		snprintf(err, errsize, "standard input is not a terminal: no "
				       "keys could be read; use -b for batch "
				       "output");
		return -1;
	}
	if (screen_open_pipe() < 0) {
		snprintf(err, errsize, "pipe: %s", strerror(errno));
		return -1;
	}
	if (screen_open_term(err, errsize) < 0)
		return -1;
	screen_active = true;
	if (!atexit_done)
		atexit(screen_end);
	atexit_done = true;
	xalloc_set_fatal_hook(screen_end);
	screen_install_signals();
	screen_setup_modes();
	screen_init_colors();
	return 0;
}

void screen_end(void)
{
	if (!screen_active)
		return;
	screen_active = false;
	mousemask(0, NULL);
	curs_set(1);
	endwin();
	/* Without an alternate screen (TERM=linux) the last picture stays and
	 * endwin() leaves the cursor on its last row, the key bar: the
	 * shell's prompt goes on a row of its own instead of over it. */
	if (!screen_altscreen)
		fputs("\n", stdout);
	fflush(stdout);
}

bool screen_has_color(void)
{
	return screen_color;
}

attr_t screen_attr(enum screen_role role)
{
	const struct screen_style *s = &screen_styles_now()[role];

	if (!screen_color)
		return screen_styles[role].mono_attr;
	return s->color_attr | (role ? COLOR_PAIR(role) : 0);
}

int screen_signal(void)
{
	return screen_caught;
}

void screen_reraise(int sig)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

/* One key that curses already has or can read without waiting. */
static int screen_read_key(void)
{
	wint_t wc;
	int r = wget_wch(stdscr, &wc);

	if (r == KEY_CODE_YES)
		return SCREEN_KEY_FN((int)wc);
	if (r == OK)
		return (int)wc;
	return SCREEN_KEY_NONE;
}

static void screen_drain_pipe(void)
{
	char buf[64];

	while (read(screen_pipe[0], buf, sizeof(buf)) > 0)
		;
}

/* After poll() found the terminal ready but no key came: a terminal that
 * hung up ends the program like SIGHUP. */
static void screen_check_input(short revents)
{
	if (revents & (POLLHUP | POLLERR | POLLNVAL))
		screen_caught = SIGHUP;
}

int screen_getkey(int timeout_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = screen_pipe[0], .events = POLLIN },
	};
	int key;

	if (screen_winched) {
		screen_winched = 0;
		screen_resize();
		return SCREEN_KEY_FN(KEY_RESIZE);
	}
	key = screen_read_key();
	if (key != SCREEN_KEY_NONE)
		return key;
	if (screen_caught)
		return SCREEN_KEY_SIGNAL;
	if (poll(pfd, 2, timeout_ms) < 0 && errno != EINTR)
		return SCREEN_KEY_NONE;
	if (pfd[1].revents)
		screen_drain_pipe();
	if (screen_winched) {
		screen_winched = 0;
		screen_resize();
		return SCREEN_KEY_FN(KEY_RESIZE);
	}
	key = screen_read_key();
	if (key != SCREEN_KEY_NONE)
		return key;
	if (!screen_caught && pfd[0].revents)
		screen_check_input(pfd[0].revents);
	return screen_caught ? SCREEN_KEY_SIGNAL : SCREEN_KEY_NONE;
}

enum screen_mouse screen_mouse(int *y, int *x)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return SCREEN_MOUSE_NONE;
	*y = ev.y;
	*x = ev.x;
	if (ev.bstate & BUTTON4_PRESSED)
		return SCREEN_MOUSE_WHEEL_UP;
	if (ev.bstate & BUTTON5_PRESSED)
		return SCREEN_MOUSE_WHEEL_DOWN;
	if (ev.bstate & BUTTON1_PRESSED)
		return SCREEN_MOUSE_CLICK;
	return SCREEN_MOUSE_NONE;
}

/* Decodes one character at s; *w gets its width.  Invalid bytes (which
 * fmt_printable never lets through, but a non-UTF-8 locale produces) and
 * characters without a width become '?'. */
static size_t screen_decode(const char *s, size_t n, mbstate_t *st,
			    wchar_t *wc, int *w)
{
	size_t len = mbrtowc(wc, s, n, st);

	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		memset(st, 0, sizeof(*st));
		*wc = L'?';
		len = 1;
	}
	*w = wcwidth(*wc);
	if (*w < 0) {
		*wc = L'?';
		*w = 1;
	}
	return len;
}

int screen_width(const char *s)
{
	size_t n = strlen(s);
	mbstate_t st;
	int total = 0;

	memset(&st, 0, sizeof(st));
	while (n > 0) {
		wchar_t wc;
		int w;
		size_t len = screen_decode(s, n, &st, &wc, &w);

		total += w;
		s += len;
		n -= len;
	}
	return total;
}

const char *screen_tail(const char *s, int width)
{
	size_t n = strlen(s);
	int total = screen_width(s);
	mbstate_t st;

	/* one pass for the width, one to drop characters from the front:
	 * measuring every suffix again made a long line quadratic */
	memset(&st, 0, sizeof(st));
	while (n > 0 && total > width) {
		wchar_t wc;
		int w;
		size_t len = screen_decode(s, n, &st, &wc, &w);

		total -= w;
		s += len;
		n -= len;
	}
	return s;
}

int screen_put(int y, int x, int width, const char *s, enum screen_role role,
	       bool pad)
{
	size_t n = strlen(s);
	mbstate_t st;
	int used = 0;

	if (width <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (width > COLS - x)
		width = COLS - x;
	memset(&st, 0, sizeof(st));
	attrset(screen_attr(role));
	move(y, x);
	while (n > 0) {
		wchar_t wc[2] = { 0, 0 };
		int w;
		size_t len = screen_decode(s, n, &st, &wc[0], &w);

		if (used + w > width)
			break;
		addnwstr(wc, 1);
		used += w;
		s += len;
		n -= len;
	}
	for (; pad && used < width; used++)
		addch(' ');
	attrset(A_NORMAL);
	return used;
}

int screen_put_raw(int y, int x, int width, const char *s,
		   enum screen_role role, bool pad)
{
	struct strbuf sb = STRBUF_INIT;
	int used;

	fmt_printable_str(&sb, s);
	used = screen_put(y, x, width, sb.buf, role, pad);
	strbuf_release(&sb);
	return used;
}

void screen_scroll_to(size_t *top, size_t cursor, size_t n, size_t page)
{
	if (cursor < *top)
		*top = cursor;
	if (cursor >= *top + page)
		*top = cursor - page + 1;
	if (n <= page)
		*top = 0;
	else if (*top > n - page)
		*top = n - page;
}

/* Removes the last character (UTF-8), or the last word when word. */
static void screen_line_erase(struct strbuf *sb, bool word)
{
	while (word && sb->len && sb->buf[sb->len - 1] == ' ')
		sb->len--;
	do {
		while (sb->len && (sb->buf[sb->len - 1] & 0xc0) == 0x80)
			sb->len--;
		if (sb->len)
			sb->len--;
	} while (word && sb->len && sb->buf[sb->len - 1] != ' ');
	sb->buf[sb->len] = '\0';
}

bool screen_line_edit(struct strbuf *sb, int key, size_t max)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	if (key == SCREEN_KEY_FN(KEY_BACKSPACE) || key == 0x7f || key == 0x08) {
		screen_line_erase(sb, false);
		return true;
	}
	if (key == SCREEN_KEY_CTRL('w')) {
		screen_line_erase(sb, true);
		return true;
	}
	if (key == SCREEN_KEY_CTRL('u')) {
		strbuf_reset(sb);
		return true;
	}
	if (key < 0x20 || key >= SCREEN_KEY_FN(0) || !iswprint((wint_t)key))
		return false;
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)key, &st);
	if (n == (size_t)-1 || (max && sb->len + n > max))
		return false;
	strbuf_add(sb, mb, n);
	return true;
}
