/* Screen layout arithmetic (see layout.h). */
#include "config.h"

#include <string.h>

#include "ui/layout.h"

static void
rect(struct ui_rect *r, int y, int x, int h, int w)
{
	if (h <= 0 || w <= 0)
		h = w = 0;
	r->y = y;
	r->x = x;
	r->h = h;
	r->w = w;
}

/*
 * Rows are given out by priority: the message line first (prompts must
 * always be visible), then the main area, then the status line, then the
 * help bar; a 20x5 terminal still gets a usable index.
 */
void
ui_layout_compute(int cols, int rows, const struct ui_layout_opts *o,
    struct ui_layout *l)
{
	int	y, main_h, sw, mini;
	bool	help, status;

	memset(l, 0, sizeof *l);
	if (cols <= 0 || rows <= 0)
		return;
	rect(&l->message, rows - 1, 0, 1, cols);
	status = rows >= 3;
	help = o->help_bar && rows >= 6;
	main_h = rows - 1 - (status ? 1 : 0) - (help ? 1 : 0);
	y = 0;
	if (help) {
		rect(&l->help, 0, 0, 1, cols);
		y = 1;
	}
	if (status)
		rect(&l->status, y + main_h, 0, 1, cols);

	sw = 0;
	if (o->sidebar && o->sidebar_width > 2 &&
	    cols - o->sidebar_width >= UI_LAYOUT_MIN_MAIN)
		sw = o->sidebar_width;
	rect(&l->sidebar, y, 0, main_h, sw);

	if (!o->pager) {
		rect(&l->index, y, sw, main_h, cols - sw);
		return;
	}
	/* The pager keeps at least half of the rows for the message. */
	mini = o->pager_index_lines;
	if (mini > (main_h - 1) / 2)
		mini = (main_h - 1) / 2;
	if (mini < 0)
		mini = 0;
	if (mini > 0) {
		rect(&l->index, y, sw, mini, cols - sw);
		/* The pager's own header line separates the two. */
		rect(&l->pager, y + mini, 0, main_h - mini, cols);
	} else
		rect(&l->pager, y, 0, main_h, cols);
	/* The pager takes the full width: messages need the columns. */
	if (mini == 0)
		rect(&l->sidebar, 0, 0, 0, 0);
	else
		rect(&l->sidebar, y, 0, mini, sw);
}

int
ui_scroll_top(int top, int cur, int h, int n)
{
	if (h <= 0 || n <= 0)
		return 0;
	if (cur < 0)
		cur = 0;
	if (cur >= n)
		cur = n - 1;
	if (cur < top)
		top = cur;
	else if (cur >= top + h)
		top = cur - h + 1;
	if (top > n - h)
		top = n - h;
	if (top < 0)
		top = 0;
	return top;
}
