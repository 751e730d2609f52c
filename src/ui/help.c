/*
 * Read-only text screens: the help of the current bindings, the list of
 * recent messages and errors, and any text shown whole (viewer output).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "ui/priv.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

struct textview {
	struct ui_view	  view;
	char		 *title;
	char		**lines;	/* sanitized */
	size_t		  n;
	size_t		  top;
};

static void
text_draw(struct ui *ui, struct ui_view *v)
{
	struct textview		*t = (struct textview *)v;
	const struct ui_rect	*r = &ui->layout.pager;
	int			 y;
	size_t			 i;

	if (r->h <= 0)
		return;
	term_set_role(UI_C_STATUS);
	term_put(r->y, r->x, t->title, strlen(t->title), r->w, true);
	term_set_role(UI_C_NORMAL);
	for (y = 1; y < r->h; y++) {
		i = t->top + (size_t)y - 1;
		if (i >= t->n)
			break;
		term_put(r->y + y, r->x, t->lines[i], strlen(t->lines[i]),
		    r->w, true);
	}
}

static bool
text_action(struct ui *ui, struct ui_view *v, enum ui_action a, int32_t key)
{
	struct textview	*t = (struct textview *)v;
	size_t		 h = ui->layout.pager.h > 1 ?
			    (size_t)ui->layout.pager.h - 1 : 1;
	size_t		 last = t->n > h ? t->n - h : 0;

	(void)key;
	switch (a) {
	case A_NEXT: case A_NEXT_LINE: case A_NEXT_UNDELETED:
		if (t->top < last)
			t->top++;
		break;
	case A_PREV: case A_PREV_LINE: case A_PREV_UNDELETED:
		if (t->top > 0)
			t->top--;
		break;
	case A_PAGE_DOWN: case A_HALF_DOWN:
		t->top = t->top + h < last ? t->top + h : last;
		break;
	case A_PAGE_UP: case A_HALF_UP:
		t->top = t->top > h ? t->top - h : 0;
		break;
	case A_FIRST: t->top = 0; break;
	case A_LAST: t->top = last; break;
	case A_EXIT: case A_QUIT: case A_SELECT:
		ui_pop(ui);
		return true;
	case A_HELP:
		return true;	/* already here */
	default:
		return false;
	}
	ui_dirty(ui, 0);
	return true;
}

static void
text_status(struct ui *ui, struct ui_view *v, struct buf *out)
{
	struct textview	*t = (struct textview *)v;

	(void)ui;
	buf_addf(out, "%s -- %zu/%zu", t->title, t->n ? t->top + 1 : 0, t->n);
}

static void
text_free(struct ui_view *v)
{
	struct textview	*t = (struct textview *)v;
	size_t		 i;

	for (i = 0; i < t->n; i++)
		free(t->lines[i]);
	free(t->lines);
	free(t->title);
	free(t);
}

void
ui_text_open(struct ui *ui, const char *title, const char *text, size_t len)
{
	struct textview	*t = xcalloc(1, sizeof *t);
	const char	*p = text, *e = text + len, *nl;
	size_t		 cap = 0;

	t->view.ctx = UI_CTX_PAGER;
	t->view.title = "text";
	t->view.draw = text_draw;
	t->view.action = text_action;
	t->view.status = text_status;
	t->view.free = text_free;
	t->view.full = true;
	t->title = sanitize_str(title, 0);
	while (p < e) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			t->lines = xreallocarray(t->lines, cap,
			    sizeof *t->lines);
		}
		t->lines[t->n++] = sanitize_text(p, (size_t)(nl - p), 0);
		p = nl + 1;
	}
	ui_push(ui, &t->view);
}

struct help_walk {
	struct buf	*out;
	struct ui	*ui;
	enum ui_ctx	 ctx;
};

static int
help_line(void *arg, int32_t key, enum ui_action a)
{
	struct help_walk	*w = arg;
	struct buf		 k = BUF_INIT;

	if (a == A_NONE)
		return 0;
	keymap_key_name(&k, key);
	buf_adds(w->out, "  ");
	ui_fit(w->out, buf_cstr(&k), k.len, 14, UI_FIT_PAD);
	ui_fit(w->out, keymap_action_name(a), strlen(keymap_action_name(a)),
	    22, UI_FIT_PAD);
	buf_adds(w->out, _(keymap_action_help(a)));
	buf_addc(w->out, '\n');
	buf_free(&k);
	return 0;
}

static int
generic_line(void *arg, int32_t key, enum ui_action a)
{
	struct help_walk	*w = arg;

	/* Hidden when the context binds the same key to something else. */
	if (keymap_lookup(w->ui->km, w->ctx, key) != a)
		return 0;
	return help_line(arg, key, a);
}

void
ui_help_open(struct ui *ui, enum ui_ctx ctx)
{
	struct buf		out = BUF_INIT;
	struct help_walk	w = { &out, ui, ctx };
	char			*title;

	buf_addf(&out, _("Bindings for %s:"), keymap_ctx_name(ctx));
	buf_addc(&out, '\n');
	keymap_each(ui->km, ctx, help_line, &w);
	if (ctx != UI_CTX_GENERIC) {
		buf_addc(&out, '\n');
		buf_adds(&out, _("Generic bindings:"));
		buf_addc(&out, '\n');
		keymap_each(ui->km, UI_CTX_GENERIC, generic_line, &w);
	}
	buf_addc(&out, '\n');
	buf_adds(&out, _("Bindings can be changed in the [keys] section of "
	    "the configuration, e.g. \"index j = next-entry\"."));
	title = xasprintf(_("Help: %s"), keymap_ctx_name(ctx));
	ui_text_open(ui, title, out.data != NULL ? out.data : "", out.len);
	free(title);
	buf_free(&out);
}

void
ui_notes_open(struct ui *ui)
{
	struct buf	out = BUF_INIT;
	size_t		i;

	if (ui->nnotes == 0) {
		ui_message(ui, "%s", _("No messages or errors yet."));
		return;
	}
	for (i = ui->nnotes; i > 0; i--) {
		buf_adds(&out, ui->notes[i - 1]);
		buf_addc(&out, '\n');
	}
	ui_text_open(ui, _("Messages and errors (newest first)"), out.data,
	    out.len);
	buf_free(&out);
}
