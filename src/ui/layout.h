/*
 * Screen layout as plain arithmetic, so it can be tested without a
 * terminal: where the help bar, folder list, index, pager, status line
 * and message line go for a given size, and what to drop when the
 * terminal is too small to hold everything.
 */
#ifndef SURAT_UI_LAYOUT_H
#define SURAT_UI_LAYOUT_H

#include <stdbool.h>

struct ui_rect {
	int	y, x, h, w;	/* h == 0 or w == 0: not shown */
};

struct ui_layout_opts {
	bool	help_bar;	/* one line of key hints on top */
	bool	sidebar;	/* the folder list, when there is room */
	int	sidebar_width;	/* wanted columns, divider included */
	bool	pager;		/* a message is open */
	int	pager_index_lines;	/* mini index above the pager; 0: none */
};

struct ui_layout {
	struct ui_rect	help;
	struct ui_rect	sidebar;	/* divider is its last column */
	struct ui_rect	index;		/* index, or the mini index */
	struct ui_rect	pager;
	struct ui_rect	status;
	struct ui_rect	message;	/* prompts and one-line errors */
};

/* Narrowest index that still makes sense beside the sidebar. */
#define UI_LAYOUT_MIN_MAIN	30

void	ui_layout_compute(int, int, const struct ui_layout_opts *,
	    struct ui_layout *);

/*
 * Scrolling: the first visible line so that line cur shows in a window of
 * h lines over n lines, moving as little as possible from top.
 */
int	ui_scroll_top(int top, int cur, int h, int n);

#endif
