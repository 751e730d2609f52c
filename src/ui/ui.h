/*
 * The mail reader: folders, index, pager, compose, search and help over
 * the store, in one curses screen.  main.c opens the store and config
 * and calls ui_run(); it returns when the user quits.
 */
#ifndef SURAT_UI_UI_H
#define SURAT_UI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct config;
struct err;
struct store;
struct ui_jobs;

struct ui_options {
	struct store		*store;
	const struct config	*config;	/* NULL: defaults, no accounts */
	const struct ui_jobs	*jobs;		/* NULL: nothing to wake */
	const char		*label;		/* shown in the status line */
	/* Messages to show once the screen is up (config warnings). */
	const char *const	*notes;
	size_t			 nnotes;
};

/* Run until the user quits.  -1 only when the terminal cannot be used. */
int	 ui_run(const struct ui_options *, struct err *);

/*
 * Fill a store with generated sample mail (account "demo", folders INBOX,
 * Sent, Drafts, Trash, Archive, Lists/dev, a CJK-named one): count
 * messages in threads plus a few special ones (a hostile message with
 * terminal escapes, Latin-1, HTML).  The same every time (fixed seed);
 * dates are relative to now.  bodies false: headers only (benches).
 */
int	 ui_demo_fill(struct store *, size_t, bool, struct err *);

/*
 * The first n index lines of a folder (0: the first inbox), formatted
 * and sanitized as the index shows them, width columns each, one per
 * line: for `surat --demo` without a terminal and for scripts.
 */
int	 ui_dump_index(struct store *, int64_t, size_t, size_t, struct buf *,
	    struct err *);

#endif
