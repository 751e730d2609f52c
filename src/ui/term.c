/* The terminal: curses, signals, keys, fitted drawing, external programs. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ui/keymap.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static int		 sig_pipe[2] = { -1, -1 };
static bool		 active;
static bool		 utf8_locale;
static attr_t		 role_attr[UI_C_COUNT];
static short		 role_pair[UI_C_COUNT];
static struct buf	 scratch;

static void
sig_handler(int sig)
{
	int	saved = errno;
	char	c;

	switch (sig) {
	case SIGWINCH: c = 'w'; break;
	case SIGCONT: c = 'c'; break;
	case SIGTSTP: c = 't'; break;
	default: c = 'q'; break;
	}
	/* A full pipe already holds a wake-up; dropping this one is fine. */
	(void)!write(sig_pipe[1], &c, 1);
	errno = saved;
}

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static void
install_handlers(void)
{
	set_handler(SIGWINCH, sig_handler);
	set_handler(SIGCONT, sig_handler);
	set_handler(SIGTSTP, sig_handler);
	set_handler(SIGTERM, sig_handler);
	set_handler(SIGHUP, sig_handler);
	set_handler(SIGINT, sig_handler);
	set_handler(SIGPIPE, SIG_IGN);
}

static unsigned
ui_attrs_to_curses(unsigned a)
{
	unsigned	r = 0;

	if (a & UI_A_BOLD)
		r |= A_BOLD;
	if (a & UI_A_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & UI_A_REVERSE)
		r |= A_REVERSE;
	if (a & UI_A_DIM)
		r |= A_DIM;
	if (a & UI_A_BLINK)
		r |= A_BLINK;
	if (a & UI_A_STANDOUT)
		r |= A_STANDOUT;
#ifdef A_ITALIC
	if (a & UI_A_ITALIC)
		r |= A_ITALIC;
#endif
	return r;
}

static void
setup_colors(const struct ui_color_spec *spec)
{
	int	i, ncolors = 0, fg, bg;
	bool	color = has_colors();

	if (color) {
		start_color();
		use_default_colors();
		ncolors = COLORS;
	}
	for (i = 0; i < UI_C_COUNT; i++) {
		role_attr[i] = ui_attrs_to_curses(spec[i].attrs);
		role_pair[i] = 0;
		if (!color || i + 1 >= COLOR_PAIRS)
			continue;
		fg = ui_color_reduce(spec[i].fg, ncolors);
		bg = ui_color_reduce(spec[i].bg, ncolors);
		if (fg == UI_COLOR_DEFAULT && bg == UI_COLOR_DEFAULT)
			continue;
#if NCURSES_EXT_COLORS
		if (init_extended_pair(i + 1, fg, bg) == ERR)
			continue;
#else
		if (fg > 255 || bg > 255 ||
		    init_pair((short)(i + 1), (short)fg, (short)bg) == ERR)
			continue;
#endif
		role_pair[i] = (short)(i + 1);
	}
}

static bool
locale_is_utf8(void)
{
	const char	*cs = nl_langinfo(CODESET);

	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0);
}

int
term_init(const struct ui_color_spec *spec, struct err *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		err_set(err, ERR_USAGE, _("the mail reader needs a terminal"));
		return -1;
	}
	if (sig_pipe[0] == -1) {
		if (pipe(sig_pipe) == -1) {
			err_set(err, ERR_IO, "pipe: %s", strerror(errno));
			return -1;
		}
		fcntl(sig_pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK);
		fcntl(sig_pipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(sig_pipe[1], F_SETFD, FD_CLOEXEC);
	}
	/* Ours before initscr(), so curses leaves SIGWINCH to us. */
	install_handlers();
	utf8_locale = locale_is_utf8();
	set_escdelay(25);
	if (initscr() == NULL) {
		err_set(err, ERR_USAGE, _("cannot initialise the terminal"));
		return -1;
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	meta(stdscr, TRUE);
	setup_colors(spec);
	active = true;
	return 0;
}

void
term_end(void)
{
	if (!active)
		return;
	curs_set(1);
	endwin();
	active = false;
	buf_free(&scratch);
	set_handler(SIGWINCH, SIG_DFL);
	set_handler(SIGTSTP, SIG_DFL);
	set_handler(SIGCONT, SIG_DFL);
	set_handler(SIGINT, SIG_DFL);
}

bool
term_active(void)
{
	return active;
}

int
term_rows(void)
{
	return LINES;
}

int
term_cols(void)
{
	return COLS;
}

bool
term_utf8(void)
{
	return utf8_locale;
}

int
term_signal_fd(void)
{
	return sig_pipe[0];
}

unsigned
term_events(void)
{
	char		buf[64];
	ssize_t		n, i;
	unsigned	ev = 0;

	while ((n = read(sig_pipe[0], buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			switch (buf[i]) {
			case 'w': ev |= TERM_EV_RESIZE; break;
			case 'c': ev |= TERM_EV_CONT | TERM_EV_RESIZE; break;
			case 't': ev |= TERM_EV_TSTP; break;
			case 'q': ev |= TERM_EV_QUIT; break;
			}
		}
	}
	return ev;
}

void
term_resize(void)
{
	struct winsize	ws;

	if (!active)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

static int32_t
translate(int rc, wint_t wc)
{
	if (rc == OK) {
		if (wc == 127 || wc == KEY_BACKSPACE)
			return UI_KEY_BACKSPACE;
		return (int32_t)wc;
	}
	switch (wc) {
	case KEY_UP: return UI_KEY_UP;
	case KEY_DOWN: return UI_KEY_DOWN;
	case KEY_LEFT: return UI_KEY_LEFT;
	case KEY_RIGHT: return UI_KEY_RIGHT;
	case KEY_PPAGE: return UI_KEY_PGUP;
	case KEY_NPAGE: return UI_KEY_PGDN;
	case KEY_HOME: case KEY_A1: case KEY_FIND: return UI_KEY_HOME;
	case KEY_END: case KEY_C1: case KEY_SELECT: return UI_KEY_END;
	case KEY_IC: return UI_KEY_INSERT;
	case KEY_DC: return UI_KEY_DELETE;
	case KEY_BACKSPACE: return UI_KEY_BACKSPACE;
	case KEY_BTAB: return UI_KEY_BTAB;
	case KEY_ENTER: return '\r';
	case KEY_RESIZE: return UI_KEY_RESIZE;
	case KEY_MOUSE: return UI_KEY_MOUSE;
	}
	if (wc >= KEY_F(1) && wc <= KEY_F(63))
		return UI_KEY_F0 + (int32_t)(wc - KEY_F0);
	return UI_KEY_NONE;
}

int32_t
term_getkey(void)
{
	wint_t	wc;
	int	rc;
	int32_t	key, next;

	for (;;) {
		if ((rc = get_wch(&wc)) == ERR)
			return UI_KEY_NONE;
		key = translate(rc, wc);
		if (key != UI_KEY_NONE)
			break;
	}
	if (key != UI_KEY_ESC)
		return key;
	/* Esc then a key soon after: Alt-key or a typed Esc-prefix. */
	timeout(40);
	rc = get_wch(&wc);
	nodelay(stdscr, TRUE);
	if (rc == ERR)
		return UI_KEY_ESC;
	next = translate(rc, wc);
	if (next == UI_KEY_NONE || next == UI_KEY_RESIZE)
		return UI_KEY_ESC;
	return next | UI_KEY_META;
}

void
term_mouse(bool on)
{
	mmask_t	m = 0;

	if (!active)
		return;
	if (on) {
		m = BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
		m |= BUTTON5_PRESSED;
#endif
	}
	/* Presses come at once; waiting to pair them would lag. */
	mouseinterval(0);
	mousemask(m, NULL);
}

int
term_mouse_event(int *y, int *x)
{
	MEVENT	ev;

	if (getmouse(&ev) != OK)
		return 0;
	*y = ev.y;
	*x = ev.x;
	if (ev.bstate & BUTTON4_PRESSED)
		return TERM_MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED)
		return TERM_MOUSE_WHEEL_DOWN;
#endif
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		return TERM_MOUSE_CLICK;
	return 0;
}

void
term_suspend(void)
{
	if (!active)
		return;
	def_prog_mode();
	endwin();
	set_handler(SIGTSTP, SIG_DFL);
	kill(0, SIGTSTP);
	/* Running again. */
	set_handler(SIGTSTP, sig_handler);
	reset_prog_mode();
	term_resize();
}

void
term_clear(void)
{
	clearok(curscr, TRUE);
}

void
term_erase(void)
{
	attrset(A_NORMAL);
	erase();
}

void
term_refresh(void)
{
	refresh();
}

void
term_set_role(enum ui_role r)
{
	term_set_role_attrs(r, 0);
}

void
term_set_role_attrs(enum ui_role r, unsigned extra)
{
	attr_t	a;

	if ((unsigned)r >= UI_C_COUNT)
		r = UI_C_NORMAL;
	a = role_attr[r] | ui_attrs_to_curses(extra);
	attr_set(a, role_pair[r], NULL);
}

/* Without a UTF-8 locale, everything beyond ASCII is drawn as '?'. */
static const char *
to_locale(const char *s, size_t *len)
{
	size_t		i, n;
	uint32_t	cp;

	if (utf8_locale)
		return s;
	buf_reset(&scratch);
	for (i = 0; i < *len; i += n) {
		n = utf8_decode(s + i, *len - i, &cp);
		if (cp < 0x80)
			buf_addc(&scratch, (char)cp);
		else if (utf8_cp_width(cp) > 0)
			buf_addc(&scratch, '?');
	}
	*len = scratch.len;
	return buf_cstr(&scratch);
}

int
term_put(int y, int x, const char *s, size_t len, int cols, bool pad)
{
	size_t	n, used = 0;

	if (cols <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + cols > COLS)
		cols = COLS - x;
	s = to_locale(s, &len);
	n = utf8_fit(s, len, (size_t)cols, &used);
	move(y, x);
	if (n > 0)
		addnstr(s, (int)n);
	if (pad && (int)used < cols)
		term_fill(y, x + (int)used, cols - (int)used);
	return (int)used;
}

void
term_fill(int y, int x, int cols)
{
	if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + cols > COLS)
		cols = COLS - x;
	mvhline(y, x, ' ', cols);
}

void
term_vline(int y, int x, int h)
{
	if (h <= 0 || x < 0 || x >= COLS)
		return;
	mvvline(y, x, utf8_locale ? ACS_VLINE : '|', h);
}

void
term_cursor(int y, int x, bool show)
{
	if (show) {
		move(y, x);
		curs_set(1);
	} else
		curs_set(0);
}

/*
 * The child gets default signal handling and the terminal in the mode
 * it had before curses; we ignore the keyboard's signals meanwhile, as a
 * shell does for a foreground job.
 */
static int
run_child(char *const *argv, const char *stdin_path, struct err *err)
{
	struct sigaction	 oint, oquit;
	struct sigaction	 ign;
	pid_t			 pid;
	int			 status, fd;

	if (active) {
		def_prog_mode();
		endwin();
	}
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		signal(SIGWINCH, SIG_DFL);
		signal(SIGCONT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (stdin_path != NULL) {
			if ((fd = open(stdin_path, O_RDONLY)) == -1)
				_exit(126);
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	status = -1;
	if (pid == -1)
		err_set(err, ERR_IO, "fork: %s", strerror(errno));
	else {
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	if (active) {
		reset_prog_mode();
		term_resize();
		refresh();
	}
	if (pid == -1)
		return -1;
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 127) {
			err_set(err, ERR_USAGE, _("%s: cannot run it"), argv[0]);
			return -1;
		}
		return WEXITSTATUS(status);
	}
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int
term_run(char *const *argv, const char *stdin_path, struct err *err)
{
	return run_child(argv, stdin_path, err);
}

int
term_run_shell(const char *cmd, struct err *err)
{
	char	*argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)cmd,
		    NULL };

	return run_child(argv, NULL, err);
}
