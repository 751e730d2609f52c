/*
 * Editing a message body: in $VISUAL/$EDITOR through a private temporary
 * file, or, when none is set, in a small built-in editor (arrows, Enter,
 * Backspace, ^X to finish, ^C to abort) so a fresh machine can still
 * write mail.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/priv.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fdio.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define EDIT_MAX	(16 * 1024 * 1024)	/* bytes read back */

struct ed {
	struct ui_view	 view;		/* drawn by the main loop */
	struct ui	*ui;
	struct buf	*lines;
	size_t		 n, cap;
	size_t		 row, col;	/* col: byte offset */
	size_t		 top;
};

static void
ed_insert_line(struct ed *e, size_t at, const char *s, size_t len)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 32;
		e->lines = xreallocarray(e->lines, e->cap, sizeof *e->lines);
	}
	memmove(e->lines + at + 1, e->lines + at,
	    (e->n - at) * sizeof *e->lines);
	buf_init(&e->lines[at]);
	buf_add(&e->lines[at], s, len);
	e->n++;
}

static void
ed_draw(struct ui *ui, struct ui_view *v)
{
	struct ed		*e = (struct ed *)v;
	const struct ui_rect	*r = &ui->layout.pager;
	const char		*t = _("Built-in editor: ^X done, ^C abort");
	int			 y, h = r->h - 1, cx;
	size_t			 i;

	if (r->h <= 0)
		return;
	term_set_role(UI_C_STATUS);
	term_put(r->y, 0, t, strlen(t), r->w, true);
	if (h < 1)
		h = 1;
	e->top = (size_t)ui_scroll_top((int)e->top, (int)e->row, h,
	    (int)e->n);
	term_set_role(UI_C_NORMAL);
	for (y = 0; y < h; y++) {
		i = e->top + (size_t)y;
		if (i < e->n)
			term_put(r->y + 1 + y, 0, buf_cstr(&e->lines[i]),
			    e->lines[i].len, r->w, true);
		else
			term_fill(r->y + 1 + y, 0, r->w);
	}
	cx = (int)utf8_width(buf_cstr(&e->lines[e->row]), e->col);
	if (cx >= r->w)
		cx = r->w - 1;
	ui->cursor_on = true;
	ui->cursor_y = r->y + 1 + (int)(e->row - e->top);
	ui->cursor_x = cx;
}

static void
ed_status(struct ui *ui, struct ui_view *v, struct buf *out)
{
	struct ed	*e = (struct ed *)v;

	(void)ui;
	buf_addf(out, _("Editing -- line %zu of %zu"), e->row + 1, e->n);
}

static size_t
prev_char(const struct buf *b, size_t col)
{
	while (col > 0 && ((unsigned char)b->data[--col] & 0xc0) == 0x80)
		;
	return col;
}

static size_t
next_char(const struct buf *b, size_t col)
{
	if (col < b->len)
		col++;
	while (col < b->len && ((unsigned char)b->data[col] & 0xc0) == 0x80)
		col++;
	return col;
}

static void
ed_key(struct ed *e, int32_t key)
{
	struct buf	*l = &e->lines[e->row];
	struct buf	 enc = BUF_INIT;
	char		*tail;

	switch (key) {
	case UI_KEY_LEFT:
		if (e->col > 0)
			e->col = prev_char(l, e->col);
		break;
	case UI_KEY_RIGHT:
		e->col = next_char(l, e->col);
		break;
	case UI_KEY_UP: case UI_KEY_DOWN:
		if (key == UI_KEY_UP && e->row > 0)
			e->row--;
		else if (key == UI_KEY_DOWN && e->row + 1 < e->n)
			e->row++;
		if (e->col > e->lines[e->row].len)
			e->col = e->lines[e->row].len;
		while (e->col > 0 && ((unsigned char)
		    e->lines[e->row].data[e->col] & 0xc0) == 0x80)
			e->col--;
		break;
	case UI_KEY_HOME: case UI_KEY_CTRL('A'): e->col = 0; break;
	case UI_KEY_END: case UI_KEY_CTRL('E'): e->col = l->len; break;
	case '\r': case '\n': case UI_KEY_ENTER:
		ed_insert_line(e, e->row + 1, buf_cstr(&e->lines[e->row]) +
		    e->col, e->lines[e->row].len - e->col);
		buf_truncate(&e->lines[e->row], e->col);
		e->row++;
		e->col = 0;
		break;
	case UI_KEY_BACKSPACE: case 0x7f: case UI_KEY_CTRL('H'):
		if (e->col > 0) {
			size_t p = prev_char(l, e->col);

			memmove(l->data + p, l->data + e->col, l->len - e->col);
			buf_truncate(l, l->len - (e->col - p));
			e->col = p;
		} else if (e->row > 0) {
			struct buf *up = &e->lines[e->row - 1];

			e->col = up->len;
			buf_add(up, l->data, l->len);
			buf_free(l);
			memmove(e->lines + e->row, e->lines + e->row + 1,
			    (e->n - e->row - 1) * sizeof *e->lines);
			e->n--;
			e->row--;
		}
		break;
	default:
		if (key == '\t' || (key >= 0x20 && key < UI_KEY_SPECIAL &&
		    key != 0x7f && (key < 0x80 || key >= 0xa0))) {
			utf8_encode(&enc, (uint32_t)key);
			tail = xstrndup(buf_cstr(l) + e->col, l->len - e->col);
			buf_truncate(l, e->col);
			buf_add(l, enc.data, enc.len);
			buf_adds(l, tail);
			free(tail);
			e->col += enc.len;
		}
		break;
	}
	buf_free(&enc);
}

bool
ui_editor_run(struct ui *ui, struct buf *text)
{
	struct ed	 e;
	const char	*p, *end, *nl;
	int32_t		 key;
	bool		 done = false, ok = false;
	size_t		 i;

	memset(&e, 0, sizeof e);
	p = text->data != NULL ? text->data : "";
	end = p + text->len;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		ed_insert_line(&e, e.n, p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (e.n == 0 || e.lines[e.n - 1].len > 0)
		ed_insert_line(&e, e.n, "", 0);
	/* Write below what is there (the quoted text of a reply). */
	e.row = e.n - 1;
	e.view.ctx = UI_CTX_COMPOSE;
	e.view.title = "editor";
	e.view.draw = ed_draw;
	e.view.status = ed_status;
	e.view.full = true;
	e.ui = ui;
	ui_push(ui, &e.view);
	while (!done) {
		key = ui_getkey(ui);
		ui_dirty(ui, 0);
		if (ui->quit || key == UI_KEY_CTRL('C') ||
		    key == UI_KEY_CTRL('G'))
			done = true;
		else if (key == UI_KEY_CTRL('X') || key == UI_KEY_CTRL('D'))
			done = ok = true;
		else if (key == UI_KEY_RESIZE)
			continue;
		else
			ed_key(&e, key);
	}
	if (ok) {
		buf_reset(text);
		for (i = 0; i < e.n; i++) {
			buf_add(text, e.lines[i].data, e.lines[i].len);
			if (i + 1 < e.n || e.lines[i].len > 0)
				buf_addc(text, '\n');
		}
	}
	for (i = 0; i < e.n; i++)
		buf_free(&e.lines[i]);
	free(e.lines);
	/* The view lives on this stack frame: no free function to call. */
	ui_pop(ui);
	ui->cursor_on = false;
	ui_dirty(ui, UI_DIRTY_ALL);
	return ok;
}

/* Edit text with the user's editor, or the built-in one. */
bool
ui_edit_text(struct ui *ui, struct buf *text)
{
	const char	*editor = ui_editor(ui), *dir;
	struct err	 err;
	char		*path, *cmd, chunk[8192];
	int		 fd, rc;
	ssize_t		 r;
	bool		 ok = false;

	if (editor == NULL)
		return ui_editor_run(ui, text);
	err_clear(&err);
	if ((dir = ui_tmpdir(ui, &err)) == NULL) {
		ui_error_err(ui, &err);
		return false;
	}
	path = xasprintf("%s/message.txt", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    fd_write_all(fd, text->data, text->len) == -1) {
		ui_error(ui, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		return false;
	}
	close(fd);
	/* The path is ours (no quotes in it); the editor is a shell word. */
	cmd = xasprintf("%s '%s'", editor, path);
	rc = term_run_shell(cmd, &err);
	free(cmd);
	ui_dirty(ui, UI_DIRTY_ALL);
	if (rc != 0) {
		if (rc == -1)
			ui_error_err(ui, &err);
		else
			ui_error(ui, _("The editor exited with status %d; "
			    "message unchanged."), rc);
		goto out;
	}
	if ((fd = open(path, O_RDONLY)) == -1) {
		ui_error(ui, "%s: %s", path, strerror(errno));
		goto out;
	}
	buf_reset(text);
	while ((r = read(fd, chunk, sizeof chunk)) > 0 &&
	    text->len < EDIT_MAX)
		buf_add(text, chunk, (size_t)r);
	close(fd);
	ok = true;
out:
	unlink(path);
	free(path);
	return ok;
}
