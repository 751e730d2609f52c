/*
 * The optional mouse (mouse = yes): a click selects an index row or an
 * attachment (a second click opens it) or opens a folder of the sidebar;
 * the wheel scrolls the index, the pager and lists.  Everything ends
 * up as the actions the keys trigger.
 */
#include "config.h"

#include "ui/priv.h"
#include "ui/term.h"

#define DOUBLE_CLICK_MS	400
#define WHEEL_LINES	3

static bool
inside(const struct ui_rect *r, int y, int x)
{
	return r->h > 0 && r->w > 0 && y >= r->y && y < r->y + r->h &&
	    x >= r->x && x < r->x + r->w;
}

static void
wheel(struct ui *ui, int dir)
{
	struct ui_view	*v = ui->top;
	int		 i;

	for (i = 0; i < WHEEL_LINES; i++) {
		if (v == ui_index_view(ui) && !ui->sidebar_focus) {
			if (!ui_index_step(ui, dir, false))
				break;
			ui_dirty(ui, 0);
		} else if (v->ctx == UI_CTX_PAGER)
			ui_dispatch(ui, dir > 0 ? A_NEXT_LINE : A_PREV_LINE, 0);
		else
			ui_dispatch(ui, dir > 0 ? A_NEXT : A_PREV, 0);
	}
}

void
ui_mouse(struct ui *ui)
{
	static int64_t	 last_ms;
	static int	 last_y = -1;
	const struct ui_layout *l = &ui->layout;
	int		 y, x, kind;
	int64_t		 now = ui_now_ms();
	bool		 twice;

	if ((kind = term_mouse_event(&y, &x)) == 0)
		return;
	if (kind == TERM_MOUSE_WHEEL_UP || kind == TERM_MOUSE_WHEEL_DOWN) {
		wheel(ui, kind == TERM_MOUSE_WHEEL_DOWN ? 1 : -1);
		return;
	}
	twice = y == last_y && now - last_ms < DOUBLE_CLICK_MS;
	last_y = y;
	last_ms = twice ? 0 : now;
	if (ui->top->ctx == UI_CTX_ATTACH) {
		if (inside(&l->pager, y, x))
			ui_attach_click(ui, y, twice);
		return;
	}
	if (ui->top != ui_index_view(ui))
		return;
	if (inside(&l->sidebar, y, x))
		ui_sidebar_click(ui, y - l->sidebar.y);
	else if (inside(&l->index, y, x))
		ui_index_click(ui, y - l->index.y, twice);
}
