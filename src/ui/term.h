/*
 * The terminal: curses set-up and tear-down, signals turned into events
 * on a self-pipe (SIGWINCH, SIGTSTP/SIGCONT, SIGTERM/SIGHUP), keys
 * translated to UI_KEY_* values, drawing of UTF-8 text fitted to a width,
 * colour roles, suspending, and running external programs (editor,
 * viewers) with the screen restored afterwards.  The only file besides
 * the screens' draw code that talks to curses.
 */
#ifndef SURAT_UI_TERM_H
#define SURAT_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/color.h"

struct err;

/* What the signal pipe reported since the last call. */
#define TERM_EV_RESIZE	0x1
#define TERM_EV_CONT	0x2	/* resumed after a stop: redraw all */
#define TERM_EV_QUIT	0x4	/* SIGTERM or SIGHUP: leave cleanly */
#define TERM_EV_TSTP	0x8	/* someone asked us to stop */

int	 term_init(const struct ui_color_spec *, struct err *);
void	 term_end(void);
bool	 term_active(void);
int	 term_rows(void);
int	 term_cols(void);
bool	 term_utf8(void);
/* The fd to poll for signal events; term_events() drains it. */
int	 term_signal_fd(void);
unsigned term_events(void);
/* Re-read the size after TERM_EV_RESIZE. */
void	 term_resize(void);
/*
 * Next key if one is waiting (UI_KEY_NONE if not).  A lone Esc followed
 * within a few milliseconds by another key becomes that key | META.
 */
int32_t	 term_getkey(void);
/* Mouse reporting (clicks and the wheel) on or off. */
void	 term_mouse(bool);
#define TERM_MOUSE_CLICK	1
#define TERM_MOUSE_WHEEL_UP	2
#define TERM_MOUSE_WHEEL_DOWN	3
/* After UI_KEY_MOUSE: where and what (TERM_MOUSE_*); 0 if nothing. */
int	 term_mouse_event(int *, int *);
/* Stop the process (job control) and restore the screen afterwards. */
void	 term_suspend(void);
/* Forget what the terminal shows: the next refresh repaints everything. */
void	 term_clear(void);

/* Drawing (on the virtual screen; term_refresh() sends it). */
void	 term_erase(void);
void	 term_refresh(void);
void	 term_set_role(enum ui_role);
void	 term_set_role_attrs(enum ui_role, unsigned);
/*
 * Draw s (len bytes of sanitized UTF-8) at y,x within cols columns;
 * wide characters that would straddle the edge are dropped; pad fills
 * the rest with spaces.  Returns the columns drawn.
 */
int	 term_put(int, int, const char *, size_t, int, bool);
/* Fill cols columns at y,x with spaces in the current role. */
void	 term_fill(int, int, int);
void	 term_vline(int, int, int);	/* divider of the sidebar */
void	 term_cursor(int, int, bool);	/* place (and show) the cursor */

/*
 * Leave curses, run argv (no shell) in the foreground with the terminal,
 * wait, and restore the screen.  Returns the exit status, or -1 with err.
 * argv[0] is looked up in PATH.  stdin_path: redirect standard input from
 * that file (NULL: the terminal).
 */
int	 term_run(char *const *, const char *, struct err *);
/* As term_run, for a user-configured shell command (the editor). */
int	 term_run_shell(const char *, struct err *);

#endif
