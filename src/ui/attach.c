/*
 * The attachment list of one message: view a part as text, save it to a
 * file (never overwriting one).  Names come from the message, so they
 * are sanitized to draw and made safe before any file is written.
 */
#include "config.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "ui/format.h"
#include "ui/priv.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

struct attview {
	struct ui_view		 view;
	struct mime_message	*msg;
	struct mime_attachment	*atts;
	size_t			 n;
	size_t			 sel, top;
};

static void
att_draw(struct ui *ui, struct ui_view *v)
{
	struct attview		*a = (struct attview *)v;
	const struct ui_rect	*r = &ui->layout.pager;
	struct buf		 b = BUF_INIT;
	const char		*title = _("Attachments");
	size_t			 i;
	int			 y, h = r->h - 1;

	if (r->h <= 0)
		return;
	term_set_role(UI_C_STATUS);
	term_put(r->y, r->x, title, strlen(title), r->w, true);
	a->top = (size_t)ui_scroll_top((int)a->top, (int)a->sel, h,
	    (int)a->n);
	for (y = 0; y < h; y++) {
		i = a->top + (size_t)y;
		term_set_role(i == a->sel ? UI_C_INDICATOR : UI_C_NORMAL);
		if (i >= a->n) {
			term_set_role(UI_C_NORMAL);
			term_fill(r->y + 1 + y, r->x, r->w);
			continue;
		}
		buf_reset(&b);
		buf_addf(&b, "%2zu ", i + 1);
		ui_fit(&b, a->atts[i].type, strlen(a->atts[i].type), 28,
		    UI_FIT_PAD);
		buf_addc(&b, ' ');
		ui_fmt_size_short(&b, (int64_t)a->atts[i].size);
		buf_adds(&b, "  ");
		ui_clean(&b, a->atts[i].name);
		term_put(r->y + 1 + y, r->x, buf_cstr(&b), b.len, r->w, true);
	}
	buf_free(&b);
}

static void
att_view_text(struct ui *ui, struct attview *a)
{
	struct buf		 b = BUF_INIT;
	const struct mime_attachment *at = &a->atts[a->sel];
	char			*title;

	mime_part_text(a->msg, at->part, NULL, &b);
	title = xasprintf("%s (%s)", at->name[0] ? at->name : _("attachment"),
	    at->type);
	ui_text_open(ui, title, b.data != NULL ? b.data : "", b.len);
	free(title);
	buf_free(&b);
}

static void
att_save(struct ui *ui, struct attview *a)
{
	const struct mime_attachment *at = &a->atts[a->sel];
	struct err	 err;
	char		*safe, *answer = NULL, *d1, *d2, *path = NULL;

	err_clear(&err);
	safe = mime_safe_filename(at->name[0] ? at->name : "attachment");
	if (ui_prompt(ui, _("Save to file: "), safe, NULL, NULL,
	    &answer) == -1 || *answer == '\0') {
		free(safe);
		free(answer);
		return;
	}
	d1 = xstrdup(answer);
	d2 = xstrdup(answer);
	if (mime_part_save(a->msg, at->part, dirname(d1), basename(d2), &path,
	    &err) == -1) {
		if (err.code == ERR_EXISTS)
			ui_error(ui, _("%s exists; not overwritten."), answer);
		else
			ui_error_err(ui, &err);
	} else
		ui_message(ui, _("Saved %s."), path);
	free(path);
	free(d1);
	free(d2);
	free(safe);
	free(answer);
}

static bool
att_action(struct ui *ui, struct ui_view *v, enum ui_action act, int32_t key)
{
	struct attview	*a = (struct attview *)v;

	(void)key;
	switch (act) {
	case A_NEXT: case A_NEXT_UNDELETED: case A_NEXT_LINE:
		if (a->sel + 1 < a->n)
			a->sel++;
		break;
	case A_PREV: case A_PREV_UNDELETED: case A_PREV_LINE:
		if (a->sel > 0)
			a->sel--;
		break;
	case A_FIRST: a->sel = 0; break;
	case A_LAST: a->sel = a->n ? a->n - 1 : 0; break;
	case A_VIEW: case A_VIEW_TEXT: case A_SELECT:
		if (a->n == 0)
			return true;
		/* Bytes of an image or archive say nothing drawn as text. */
		if (act != A_VIEW_TEXT &&
		    !mime_part_is(a->atts[a->sel].part, "text", NULL) &&
		    !mime_part_is(a->atts[a->sel].part, "message", NULL)) {
			ui_message(ui, _("%s is not text: save it with s, or "
			    "T to view it as text anyway."),
			    a->atts[a->sel].type);
			return true;
		}
		att_view_text(ui, a);
		return true;
	case A_SAVE_ATTACH: case A_SAVE:
		if (a->n > 0)
			att_save(ui, a);
		break;
	case A_EXIT: case A_QUIT:
		ui_pop(ui);
		return true;
	default:
		return false;
	}
	ui_dirty(ui, 0);
	return true;
}

static void
att_status(struct ui *ui, struct ui_view *v, struct buf *out)
{
	struct attview	*a = (struct attview *)v;

	(void)ui;
	buf_addf(out, _("attachments: %zu"), a->n);
}

static void
att_free(struct ui_view *v)
{
	struct attview	*a = (struct attview *)v;

	mime_attachments_free(&a->atts, a->n);
	mime_message_free(&a->msg);
	free(a);
}

void
ui_attach_open(struct ui *ui, int64_t id)
{
	struct attview	*a;
	struct err	 err;
	struct mime_message *m;

	err_clear(&err);
	if ((m = ui_msg_load(ui, id, &err)) == NULL) {
		ui_error(ui, "%s", err.code == ERR_NOTFOUND ? _("The message "
		    "is not downloaded yet.") : err.msg);
		return;
	}
	a = xcalloc(1, sizeof *a);
	a->msg = m;
	mime_attachments(mime_message_root(m), &a->atts, &a->n);
	if (a->n == 0) {
		att_free(&a->view);
		ui_message(ui, "%s", _("No attachments."));
		return;
	}
	a->view.ctx = UI_CTX_ATTACH;
	a->view.title = "attach";
	a->view.draw = att_draw;
	a->view.action = att_action;
	a->view.status = att_status;
	a->view.free = att_free;
	a->view.full = true;
	ui_push(ui, &a->view);
}
