/*
 * The pager: one message rendered by the MIME engine, with header names,
 * quote levels, signatures, attachments and URLs in their colours.  When
 * the store has only the headers, those are shown and the body is asked
 * of the sync engine; the page fills in when it arrives.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config/config.h"
#include "mime/mime.h"
#include "store/store.h"
#include "ui/format.h"
#include "ui/priv.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

struct pline {
	enum mime_line_kind	 kind;
	int			 quote;
	char			*text;	/* sanitized */
};

struct pager {
	struct ui_view	 view;
	int64_t		 id;
	bool		 all_headers;
	bool		 hide_quoted;
	bool		 have_body;
	struct pline	*lines;
	size_t		 n, cap;
	size_t		 top;		/* index into the shown lines */
	size_t		*shown;		/* line numbers not hidden */
	size_t		 nshown;
	size_t		 natts;
	size_t		 url_line;	/* last URL jumped to, +1 */
	char		*subject;
};

static void
add_line(struct pager *p, enum mime_line_kind kind, int quote,
    const char *text, size_t len)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 128;
		p->lines = xreallocarray(p->lines, p->cap, sizeof *p->lines);
	}
	p->lines[p->n].kind = kind;
	p->lines[p->n].quote = quote;
	/* The renderer sanitizes; this stays cheap insurance. */
	p->lines[p->n++].text = sanitize_text(text, len, 0);
}

static void
clear_lines(struct pager *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		free(p->lines[i].text);
	p->n = 0;
	free(p->shown);
	p->shown = NULL;
	p->nshown = 0;
}

static void
header_line(struct pager *p, const char *name, const char *value)
{
	struct buf	b = BUF_INIT;

	if (value == NULL || *value == '\0')
		return;
	buf_addf(&b, "%s: %s", name, value);
	add_line(p, MIME_LINE_HEADER, 0, b.data, b.len);
	buf_free(&b);
}

/* What the store knows without a body. */
static void
render_summary(struct ui *ui, struct pager *p, const char *why)
{
	struct store_msg	*m = NULL;
	struct err		 err;
	struct buf		 b = BUF_INIT;

	err_clear(&err);
	if (store_message_get(ui->store, p->id, &m, &err) == -1) {
		add_line(p, MIME_LINE_BODY, 0, err.msg, strlen(err.msg));
		return;
	}
	if (m->from_name != NULL && *m->from_name != '\0')
		buf_addf(&b, "%s <%s>", m->from_name,
		    m->from_addr ? m->from_addr : "");
	else if (m->from_addr != NULL)
		buf_adds(&b, m->from_addr);
	header_line(p, "From", buf_cstr(&b));
	header_line(p, "To", m->to);
	header_line(p, "Cc", m->cc);
	header_line(p, "Date", m->date_raw);
	header_line(p, "Subject", m->subject);
	add_line(p, MIME_LINE_BODY, 0, "", 0);
	add_line(p, MIME_LINE_BODY, 0, why, strlen(why));
	buf_free(&b);
	store_msg_free(&m);
}

static void
build_shown(struct pager *p)
{
	size_t	i;

	free(p->shown);
	p->shown = xcalloc(p->n ? p->n : 1, sizeof *p->shown);
	p->nshown = 0;
	for (i = 0; i < p->n; i++) {
		if (p->hide_quoted && p->lines[i].kind == MIME_LINE_QUOTE) {
			/* One marker line stands for a hidden block. */
			if (i > 0 && p->lines[i - 1].kind == MIME_LINE_QUOTE)
				continue;
		}
		p->shown[p->nshown++] = i;
	}
	if (p->top >= p->nshown)
		p->top = p->nshown ? p->nshown - 1 : 0;
}

static void
render(struct ui *ui, struct pager *p)
{
	struct mime_message	*m;
	struct mime_render	*r;
	struct mime_render_opts	 o;
	struct store_view	 v;
	struct err		 err;
	size_t			 i;

	clear_lines(p);
	err_clear(&err);
	p->natts = 0;
	if ((m = ui_msg_load_view(ui, p->id, &v, &err)) == NULL) {
		p->have_body = false;
		render_summary(ui, p, err.code == ERR_NOTFOUND ?
		    _("[-- The body is not here yet: it is fetched when the "
		    "account is online. --]") : err.msg);
		build_shown(p);
		return;
	}
	/* Parts still to come: render again when the engine has them. */
	p->have_body = v.whole || v.wanted_missing == 0;
	memset(&o, 0, sizeof o);
	o.all_headers = p->all_headers;
	o.width = ui->layout.pager.w > 20 ? ui->layout.pager.w : 80;
	if (ui->cfg != NULL) {
		o.html_command = ui->cfg->general.html_converter;
		o.fallback_charset = ui->cfg->general.legacy_charset;
		if (!ui->cfg->general.prefer_plain)
			o.prefer = "text/html";
	}
	r = mime_render(m, &o);
	ui_msg_mark_missing(&v, r);
	store_view_clear(&v);
	for (i = 0; i < r->nlines; i++)
		add_line(p, r->lines[i].kind, r->lines[i].quote,
		    r->lines[i].text, r->lines[i].len);
	p->natts = r->natts;
	mime_render_free(&r);
	mime_message_free(&m);
	build_shown(p);
}

/* ---- Drawing ---- */

static const char *
find_url(const char *s, size_t *len_r)
{
	static const char *const schemes[] = { "https://", "http://",
	    "mailto:", "ftp://", "www." };
	const char	*best = NULL, *q, *e;
	size_t		 i;

	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		if ((q = strcasestr(s, schemes[i])) != NULL &&
		    (best == NULL || q < best))
			best = q;
	}
	if (best == NULL)
		return NULL;
	for (e = best; *e != '\0' && *e != ' ' && *e != '>' && *e != '"' &&
	    *e != '<' && *e != ')' && *e != ']'; e++)
		;
	/* Sentence punctuation after a URL is not part of it. */
	while (e > best && strchr(".,;:!?'", e[-1]) != NULL)
		e--;
	*len_r = (size_t)(e - best);
	return best;
}

static enum ui_role
line_role(const struct pline *l)
{
	switch (l->kind) {
	case MIME_LINE_HEADER: return UI_C_HEADER;
	case MIME_LINE_QUOTE:
		return UI_C_QUOTE1 + (l->quote > 0 ? (l->quote - 1) %
		    UI_QUOTE_COLORS : 0);
	case MIME_LINE_SIGNATURE: return UI_C_SIGNATURE;
	case MIME_LINE_ATTACHMENT: return UI_C_ATTACHMENT;
	default: return UI_C_NORMAL;
	}
}

static void
draw_line(const struct pline *l, int y, int x, int w, bool url_sel)
{
	const char	*s = l->text, *u, *colon;
	size_t		 ulen;
	int		 used = 0;
	enum ui_role	 role = line_role(l);

	if (l->kind == MIME_LINE_HEADER &&
	    (colon = strchr(s, ':')) != NULL) {
		term_set_role(UI_C_HEADER_NAME);
		used += term_put(y, x, s, (size_t)(colon - s) + 1, w, false);
		s = colon + 1;
	}
	while (used < w && (u = find_url(s, &ulen)) != NULL && ulen > 0) {
		term_set_role(role);
		used += term_put(y, x + used, s, (size_t)(u - s), w - used,
		    false);
		term_set_role(url_sel ? UI_C_URL_SELECTED : UI_C_URL);
		used += term_put(y, x + used, u, ulen, w - used, false);
		s = u + ulen;
	}
	term_set_role(role);
	if (used < w)
		term_put(y, x + used, s, strlen(s), w - used, true);
}

static void
pager_draw(struct ui *ui, struct ui_view *v)
{
	struct pager		*p = (struct pager *)v;
	const struct ui_rect	*r = &ui->layout.pager;
	struct pline		 marker;
	size_t			 i;
	int			 y;

	if (ui->layout.index.h > 0) {
		if (ui->layout.sidebar.w > 0)
			ui_sidebar_draw(ui, &ui->layout.sidebar);
		ui_index_draw_rows(ui, &ui->layout.index, true);
	}
	for (y = 0; y < r->h; y++) {
		i = p->top + (size_t)y;
		if (i >= p->nshown) {
			term_set_role(UI_C_NORMAL);
			term_fill(r->y + y, r->x, r->w);
			continue;
		}
		const struct pline *l = &p->lines[p->shown[i]];
		if (p->hide_quoted && l->kind == MIME_LINE_QUOTE) {
			marker = *l;
			marker.text = (char *)_("[-- quoted text hidden --]");
			l = &marker;
		}
		draw_line(l, r->y + y, r->x, r->w,
		    p->url_line == p->shown[i] + 1);
	}
}

/* ---- Actions ---- */

static size_t
page_h(struct ui *ui)
{
	return ui->layout.pager.h > 1 ? (size_t)ui->layout.pager.h : 1;
}

static size_t
last_top(struct ui *ui, struct pager *p)
{
	size_t	h = page_h(ui);

	return p->nshown > h ? p->nshown - h : 0;
}

static void
pager_show(struct ui *ui, struct pager *p, int64_t id)
{
	struct store_msg	*m = NULL;
	struct err		 err;

	err_clear(&err);
	p->id = id;
	p->top = 0;
	p->url_line = 0;
	free(p->subject);
	p->subject = NULL;
	if (store_message_get(ui->store, id, &m, &err) == 0) {
		p->subject = sanitize_str(m->subject ? m->subject : "", 0);
		store_msg_free(&m);
	}
	ui_act_seen(ui, id);
	render(ui, p);
	ui_dirty(ui, UI_DIRTY_ROWS | UI_DIRTY_FOLDERS);
}

static void
step(struct ui *ui, struct pager *p, int dir, bool skip)
{
	if (!ui_index_step(ui, dir, skip)) {
		ui_message(ui, "%s", dir > 0 ? _("This is the last message.") :
		    _("This is the first message."));
		return;
	}
	pager_show(ui, p, ui_index_current(ui));
}

static void
skip_quoted(struct ui *ui, struct pager *p)
{
	size_t	i = p->top;

	while (i < p->nshown &&
	    p->lines[p->shown[i]].kind != MIME_LINE_QUOTE)
		i++;
	while (i < p->nshown &&
	    p->lines[p->shown[i]].kind == MIME_LINE_QUOTE)
		i++;
	if (i >= p->nshown)
		ui_message(ui, "%s", _("No more quoted text."));
	else
		p->top = i > last_top(ui, p) ? last_top(ui, p) : i;
}

static void
next_url(struct ui *ui, struct pager *p)
{
	size_t		 i, k, len;
	const char	*u;

	for (k = 0; k < p->n; k++) {
		i = (p->url_line + k) % p->n;
		if (p->lines[i].kind == MIME_LINE_HEADER)
			continue;
		if ((u = find_url(p->lines[i].text, &len)) != NULL) {
			char	*s = xstrndup(u, len);

			p->url_line = i + 1;
			ui_message(ui, _("URL: %s"), s);
			free(s);
			for (k = 0; k < p->nshown; k++) {
				if (p->shown[k] == i)
					break;
			}
			if (k < p->top || k >= p->top + page_h(ui))
				p->top = k > last_top(ui, p) ?
				    last_top(ui, p) : k;
			return;
		}
	}
	ui_message(ui, "%s", _("No URLs in this message."));
}

static bool
pager_action(struct ui *ui, struct ui_view *v, enum ui_action a, int32_t key)
{
	struct pager	*p = (struct pager *)v;
	struct ui_view	*iv = ui_index_view(ui);
	size_t		 h = page_h(ui), last = last_top(ui, p);
	int64_t		 before;

	switch (a) {
	case A_NEXT_LINE:
		if (p->top < last)
			p->top++;
		else
			ui_message(ui, "%s", _("Bottom of message."));
		break;
	case A_PREV_LINE:
		if (p->top > 0)
			p->top--;
		break;
	case A_PAGE_DOWN:
		if (p->top >= last) {
			/* Like mutt: space at the end goes on reading. */
			step(ui, p, 1, true);
			break;
		}
		p->top = p->top + h - 1 < last ? p->top + h - 1 : last;
		break;
	case A_HALF_DOWN:
		p->top = p->top + h / 2 < last ? p->top + h / 2 : last;
		break;
	case A_PAGE_UP:
		p->top = p->top > h - 1 ? p->top - (h - 1) : 0;
		break;
	case A_HALF_UP:
		p->top = p->top > h / 2 ? p->top - h / 2 : 0;
		break;
	case A_FIRST: p->top = 0; break;
	case A_LAST: p->top = last; break;
	case A_NEXT: case A_NEXT_UNDELETED:
		step(ui, p, 1, a == A_NEXT_UNDELETED);
		break;
	case A_PREV: case A_PREV_UNDELETED:
		step(ui, p, -1, a == A_PREV_UNDELETED);
		break;
	case A_TOGGLE_HEADERS:
		p->all_headers = !p->all_headers;
		p->top = 0;
		render(ui, p);
		break;
	case A_TOGGLE_QUOTED:
		p->hide_quoted = !p->hide_quoted;
		build_shown(p);
		break;
	case A_SKIP_QUOTED: skip_quoted(ui, p); break;
	case A_NEXT_URL: next_url(ui, p); break;
	case A_OPEN_URL:
		if (p->url_line == 0)
			next_url(ui, p);
		break;
	case A_EXIT:
		ui_pop(ui);
		return true;
	case A_VIEW_ATTACH:
		ui_attach_open(ui, p->id);
		return true;
	case A_NEXT_UNREAD: case A_PREV_UNREAD: case A_NEXT_THREAD:
	case A_PREV_THREAD: case A_DELETE: case A_UNDELETE: case A_UNDO:
	case A_SAVE: case A_COPY:
		/* The index does these on its selection: the open message. */
		before = ui_index_current(ui);
		iv->action(ui, iv, a, key);
		if (ui->top == v && ui_index_current(ui) != before &&
		    ui_index_current(ui) != 0)
			pager_show(ui, p, ui_index_current(ui));
		break;
	case A_FLAG: case A_TOGGLE_NEW: case A_READ: case A_REPLY:
	case A_GROUP_REPLY: case A_LIST_REPLY: case A_FORWARD:
	case A_FORWARD_ATTACH: case A_MAIL: case A_RECALL: case A_SYNC:
		return iv->action(ui, iv, a, key);
	default:
		return false;
	}
	ui_dirty(ui, 0);
	return true;
}

static void
pager_reload(struct ui *ui, struct ui_view *v, unsigned what)
{
	struct pager	*p = (struct pager *)v;

	/* A body that was missing may have arrived; a new width rewraps. */
	if (((what & UI_DIRTY_PAGER) && !p->have_body) ||
	    (what & UI_DIRTY_LAYOUT))
		render(ui, p);
}

static void
pager_status(struct ui *ui, struct ui_view *v, struct buf *out)
{
	struct pager	*p = (struct pager *)v;
	size_t		 h = page_h(ui), pct;

	pct = p->nshown <= h ? 100 : (p->top + h) * 100 / p->nshown;
	if (pct > 100)
		pct = 100;
	ui_fit(out, p->subject ? p->subject : "", strlen(p->subject ?
	    p->subject : ""), 50, 0);
	buf_addf(out, " -- (%zu%%)", pct);
	if (p->natts > 0)
		buf_addf(out, _(" -- %zu attachments (v)"), p->natts);
	if (p->all_headers)
		buf_adds(out, _(" -- all headers"));
}

static void
pager_free(struct ui_view *v)
{
	struct pager	*p = (struct pager *)v;

	clear_lines(p);
	free(p->lines);
	free(p->subject);
	free(p);
}

void
ui_pager_open(struct ui *ui, int64_t id)
{
	struct pager	*p = xcalloc(1, sizeof *p);

	p->view.ctx = UI_CTX_PAGER;
	p->view.title = "pager";
	p->view.draw = pager_draw;
	p->view.action = pager_action;
	p->view.reload = pager_reload;
	p->view.status = pager_status;
	p->view.free = pager_free;
	p->view.full = true;
	ui_push(ui, &p->view);
	/* The width comes from the layout the push asked for. */
	ui_layout_compute(term_cols(), term_rows(), &(struct ui_layout_opts){
	    .help_bar = ui->lopts.help_bar, .sidebar = ui->lopts.sidebar,
	    .sidebar_width = ui->lopts.sidebar_width, .pager = true,
	    .pager_index_lines = ui->lopts.pager_index_lines }, &ui->layout);
	pager_show(ui, p, id);
}
