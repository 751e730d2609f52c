/*
 * The compose screen: header fields (address completion from the store),
 * the body in the editor, attachments; send puts the message in the
 * store's outbox for the sync engine, postpone keeps it in Drafts.
 * Replies and forwards start from the MIME engine's helpers.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "mime/mime.h"
#include "store/store.h"
#include "ui/format.h"
#include "ui/jobs.h"
#include "ui/priv.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

struct compose {
	struct ui_view	  view;
	enum ui_compose_kind kind;
	int64_t		  account;	/* store account, 0: unknown */
	int64_t		  parent;	/* replied-to message, 0: none */
	char		 *from, *to, *cc, *bcc, *subject;
	char		 *in_reply_to, *references;
	struct buf	  body;
	char		**atts;		/* file paths */
	size_t		  natts;
	size_t		  sel;		/* selected attachment */
	struct buf	  fwd;		/* message forwarded as attachment */
};

static void
set_str(char **p, const char *v)
{
	free(*p);
	*p = xstrdup(v != NULL ? v : "");
}

/* ---- Identity ---- */

static const struct config_account *
config_account_for(struct ui *ui, int64_t aid)
{
	struct store_account	*a = NULL;
	struct err		 err;
	const struct config_account *ca = NULL;

	if (ui->cfg == NULL)
		return NULL;
	err_clear(&err);
	if (aid > 0 && store_account_get(ui->store, aid, &a, &err) == 0) {
		ca = config_account_find(ui->cfg, a->name);
		store_account_free(&a);
	}
	return ca != NULL ? ca : config_default_account(ui->cfg);
}

static char *
from_for(struct ui *ui, int64_t aid)
{
	const struct config_account	*ca = config_account_for(ui, aid);
	const char			*user;

	if (ca != NULL && ca->email != NULL) {
		if (ca->name != NULL && *ca->name != '\0')
			return xasprintf("%s <%s>", ca->name, ca->email);
		return xstrdup(ca->email);
	}
	if ((user = getenv("USER")) == NULL)
		user = "user";
	return xasprintf("%s@localhost", user);
}

static int64_t
default_account(struct ui *ui)
{
	const struct config_account	*ca;
	struct store_account		*a = NULL;
	struct err			 err;
	int64_t				 id = 0, f;

	err_clear(&err);
	if ((f = ui_index_folder(ui)) > 0) {
		struct store_folder *sf = NULL;

		if (store_folder_get(ui->store, f, &sf, &err) == 0)
			id = sf->account_id;
		store_folder_free(&sf);
		if (id > 0)
			return id;
	}
	if (ui->cfg != NULL &&
	    (ca = config_default_account(ui->cfg)) != NULL &&
	    store_account_find(ui->store, ca->id, &a, &err) == 0) {
		id = a->id;
		store_account_free(&a);
	}
	return id;
}

/* ---- Drawing ---- */

static void
field(const struct ui_rect *r, int y, const char *name, const char *value)
{
	struct buf	b = BUF_INIT;
	int		w;

	if (y >= r->h)
		return;
	term_set_role(UI_C_HEADER_NAME);
	w = term_put(r->y + y, r->x, name, strlen(name), 10, true);
	ui_clean(&b, value != NULL ? value : "");
	term_set_role(UI_C_HEADER);
	term_put(r->y + y, r->x + w, buf_cstr(&b), b.len, r->w - w, true);
	buf_free(&b);
}

static void
compose_draw(struct ui *ui, struct ui_view *v)
{
	struct compose		*c = (struct compose *)v;
	const struct ui_rect	*r = &ui->layout.pager;
	struct buf		 b = BUF_INIT;
	const char		*p, *nl, *end;
	int			 y = 0;
	size_t			 i;

	field(r, y++, _("From:"), c->from);
	field(r, y++, _("To:"), c->to);
	field(r, y++, _("Cc:"), c->cc);
	field(r, y++, _("Bcc:"), c->bcc);
	field(r, y++, _("Subject:"), c->subject);
	if (y < r->h) {
		buf_addf(&b, _("-- Attachments (%zu) --"), c->natts +
		    (c->fwd.len > 0));
		term_set_role(UI_C_STATUS);
		term_put(r->y + y++, r->x, b.data, b.len, r->w, true);
	}
	if (c->fwd.len > 0 && y < r->h) {
		buf_reset(&b);
		buf_addf(&b, "   %s", _("forwarded message (message/rfc822)"));
		term_set_role(UI_C_ATTACHMENT);
		term_put(r->y + y++, r->x, b.data, b.len, r->w, true);
	}
	for (i = 0; i < c->natts && y < r->h; i++) {
		buf_reset(&b);
		buf_adds(&b, i == c->sel ? " > " : "   ");
		ui_clean(&b, c->atts[i]);
		term_set_role(i == c->sel ? UI_C_INDICATOR : UI_C_ATTACHMENT);
		term_put(r->y + y++, r->x, b.data, b.len, r->w, true);
	}
	if (y < r->h) {
		const char *t = _("-- Message --");

		term_set_role(UI_C_STATUS);
		term_put(r->y + y++, r->x, t, strlen(t), r->w, true);
	}
	term_set_role(UI_C_NORMAL);
	p = buf_cstr(&c->body);
	end = p + c->body.len;
	while (y < r->h && p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		buf_reset(&b);
		sanitize_append(&b, p, (size_t)(nl - p), SANITIZE_KEEP_TABS);
		term_put(r->y + y++, r->x, buf_cstr(&b), b.len, r->w, true);
		p = nl + 1;
	}
	while (y < r->h)
		term_fill(r->y + y++, r->x, r->w);
	buf_free(&b);
}

/* ---- Building ---- */

static void
add_rcpts(struct buf *out, const char *list, size_t *n)
{
	struct mime_addrlist	al = { NULL, 0 };
	size_t			i;

	if (list == NULL || *list == '\0')
		return;
	mime_addrlist_parse(&al, list, strlen(list), NULL);
	for (i = 0; i < al.n; i++) {
		if (al.v[i].addr == NULL || *al.v[i].addr == '\0')
			continue;
		buf_adds(out, al.v[i].addr);
		buf_addc(out, '\n');
		(*n)++;
	}
	mime_addrlist_free(&al);
}

static void
remember_addresses(struct ui *ui, const char *list)
{
	struct mime_addrlist	al = { NULL, 0 };
	struct err		err;
	size_t			i;

	if (list == NULL || *list == '\0')
		return;
	err_clear(&err);
	mime_addrlist_parse(&al, list, strlen(list), NULL);
	for (i = 0; i < al.n; i++) {
		if (al.v[i].addr != NULL)
			store_address_seen(ui->store, al.v[i].addr,
			    al.v[i].name, (int64_t)time(NULL), &err);
	}
	mime_addrlist_free(&al);
}

static int
build(struct compose *c, bool keep_bcc, struct buf *out, char **msgid_r,
    struct err *err)
{
	struct mime_compose		 mc;
	struct mime_compose_att		*atts;
	size_t				 i;
	int				 rc;

	memset(&mc, 0, sizeof mc);
	mc.from = c->from;
	mc.to = c->to;
	mc.cc = c->cc;
	mc.bcc = c->bcc;
	mc.subject = c->subject;
	mc.body = buf_cstr(&c->body);
	mc.in_reply_to = c->in_reply_to;
	mc.references = c->references;
	mc.user_agent = "surat/" PACKAGE_VERSION;
	mc.keep_bcc = keep_bcc;
	atts = xcalloc(c->natts + 1, sizeof *atts);
	for (i = 0; i < c->natts; i++)
		atts[i].path = c->atts[i];
	mc.atts = atts;
	mc.natts = c->natts;
	if (c->fwd.len > 0) {
		mc.forward_raw = c->fwd.data;
		mc.forward_len = c->fwd.len;
	}
	rc = mime_compose_build(&mc, out, msgid_r, err);
	free(atts);
	return rc;
}

static int
send_it(struct ui *ui, struct compose *c)
{
	struct buf		 raw = BUF_INIT, rcpts = BUF_INIT;
	struct mime_addrlist	 fl = { NULL, 0 };
	struct err		 err;
	size_t			 n = 0;
	int64_t			 oid;
	int			 rc = -1;

	err_clear(&err);
	add_rcpts(&rcpts, c->to, &n);
	add_rcpts(&rcpts, c->cc, &n);
	add_rcpts(&rcpts, c->bcc, &n);
	if (n == 0) {
		ui_error(ui, "%s", _("No recipients."));
		goto out;
	}
	if (c->account == 0) {
		ui_error(ui, "%s", _("No account to send from; run "
		    "'surat setup'."));
		goto out;
	}
	mime_addrlist_parse(&fl, c->from, strlen(c->from), NULL);
	if (fl.n == 0 || fl.v[0].addr == NULL) {
		ui_error(ui, "%s", _("The From address is not valid."));
		goto out;
	}
	if (build(c, false, &raw, NULL, &err) == -1 ||
	    store_outbox_add(ui->store, c->account, raw.data, raw.len,
	    fl.v[0].addr, buf_cstr(&rcpts), &oid, &err) == -1) {
		ui_error_err(ui, &err);
		goto out;
	}
	remember_addresses(ui, c->to);
	remember_addresses(ui, c->cc);
	remember_addresses(ui, c->bcc);
	if (c->parent != 0)
		ui_act_flags(ui, &c->parent, 1, STORE_FLAG_ANSWERED, 0);
	if (ui->jobs != NULL && ui->jobs->send != NULL) {
		ui->jobs->send(ui->jobs->arg, c->account);
		ui_message(ui, "%s", _("Message queued for sending."));
	} else
		ui_message(ui, "%s", _("Message queued in the outbox; it is "
		    "sent when the account is online."));
	rc = 0;
out:
	mime_addrlist_free(&fl);
	buf_free(&raw);
	buf_free(&rcpts);
	return rc;
}

static int
postpone(struct ui *ui, struct compose *c)
{
	struct store_folder	*f = NULL;
	struct store_msg	 m;
	struct buf		 raw = BUF_INIT;
	struct err		 err;
	char			*msgid = NULL;
	int64_t			 id;
	int			 rc = -1;

	err_clear(&err);
	if (c->account == 0 || store_folder_find_role(ui->store, c->account,
	    STORE_ROLE_DRAFTS, &f, &err) == -1) {
		ui_error(ui, "%s", _("No Drafts folder for this account."));
		return -1;
	}
	if (build(c, true, &raw, &msgid, &err) == -1)
		goto fail;
	memset(&m, 0, sizeof m);
	m.folder_id = f->id;
	m.message_id = msgid;
	m.date = (int64_t)time(NULL);
	m.from_addr = c->from;
	m.to = c->to;
	m.cc = c->cc;
	m.subject = c->subject;
	m.flags = STORE_FLAG_DRAFT | STORE_FLAG_SEEN;
	m.size = (int64_t)raw.len;
	m.has_attachments = c->natts > 0;
	m.internal_date = m.date;
	if (store_begin(ui->store, &err) == -1)
		goto fail;
	if (store_message_insert(ui->store, &m, &id, &err) == -1 ||
	    store_body_set(ui->store, id, raw.data, raw.len,
	    buf_cstr(&c->body), c->body.len, &err) == -1) {
		store_rollback(ui->store);
		goto fail;
	}
	{
		struct store_account	*a = NULL;

		if (store_account_get(ui->store, c->account, &a, &err) == 0 &&
		    a->kind == STORE_ACCOUNT_IMAP) {
			struct store_op	op;
			int64_t		opid;

			memset(&op, 0, sizeof op);
			op.account_id = c->account;
			op.type = STORE_OP_APPEND;
			op.message_id = id;
			op.target_folder_id = f->id;
			store_op_enqueue(ui->store, &op, &opid, &err);
		}
		store_account_free(&a);
	}
	if (store_commit(ui->store, &err) == -1)
		goto fail;
	ui_replay(ui, false);
	ui_message(ui, "%s", _("Message postponed to Drafts."));
	rc = 0;
	goto out;
fail:
	ui_error_err(ui, &err);
out:
	free(msgid);
	store_folder_free(&f);
	buf_free(&raw);
	return rc;
}

/* ---- Actions ---- */

static void
edit_field(struct ui *ui, const char *q, char **p, bool addresses)
{
	char	*answer = NULL;

	if (ui_prompt(ui, q, *p, addresses ? ui_complete_address : NULL,
	    NULL, &answer) == 0) {
		free(*p);
		*p = answer;
	}
}

static void
attach_file(struct ui *ui, struct compose *c)
{
	char	*answer = NULL;

	if (ui_prompt(ui, _("Attach file: "), NULL, NULL, NULL,
	    &answer) == -1 || *answer == '\0') {
		free(answer);
		return;
	}
	if (access(answer, R_OK) == -1) {
		ui_error(ui, _("%s: cannot read it."), answer);
		free(answer);
		return;
	}
	c->atts = xreallocarray(c->atts, c->natts + 1, sizeof *c->atts);
	c->atts[c->natts++] = answer;
	c->sel = c->natts - 1;
}

static bool
compose_action(struct ui *ui, struct ui_view *v, enum ui_action a,
    int32_t key)
{
	struct compose	*c = (struct compose *)v;

	(void)key;
	switch (a) {
	case A_EDIT_TO: edit_field(ui, _("To: "), &c->to, true); break;
	case A_EDIT_CC: edit_field(ui, _("Cc: "), &c->cc, true); break;
	case A_EDIT_BCC: edit_field(ui, _("Bcc: "), &c->bcc, true); break;
	case A_EDIT_FROM: edit_field(ui, _("From: "), &c->from, true); break;
	case A_EDIT_SUBJECT:
		edit_field(ui, _("Subject: "), &c->subject, false);
		break;
	case A_EDIT_BODY: case A_SELECT:
		ui_edit_text(ui, &c->body);
		break;
	case A_ATTACH_FILE: attach_file(ui, c); break;
	case A_DETACH:
		if (c->natts == 0)
			break;
		free(c->atts[c->sel]);
		memmove(c->atts + c->sel, c->atts + c->sel + 1,
		    (c->natts - c->sel - 1) * sizeof *c->atts);
		c->natts--;
		if (c->sel > 0 && c->sel >= c->natts)
			c->sel--;
		break;
	case A_NEXT: case A_NEXT_UNDELETED:
		if (c->sel + 1 < c->natts)
			c->sel++;
		break;
	case A_PREV: case A_PREV_UNDELETED:
		if (c->sel > 0)
			c->sel--;
		break;
	case A_SEND:
		if (send_it(ui, c) == 0)
			ui_pop(ui);
		return true;
	case A_POSTPONE:
		if (postpone(ui, c) == 0)
			ui_pop(ui);
		return true;
	case A_ABORT: case A_EXIT: case A_QUIT:
		if (ui_yesno(ui, _("Abort this message?"), false)) {
			ui_message(ui, "%s", _("Message aborted."));
			ui_pop(ui);
		}
		return true;
	default:
		return false;
	}
	ui_dirty(ui, 0);
	return true;
}

static void
compose_status(struct ui *ui, struct ui_view *v, struct buf *out)
{
	struct compose	*c = (struct compose *)v;

	(void)ui;
	buf_adds(out, _("Compose"));
	buf_addf(out, " -- %zu bytes", c->body.len);
}

static void
compose_free(struct ui_view *v)
{
	struct compose	*c = (struct compose *)v;
	size_t		 i;

	free(c->from);
	free(c->to);
	free(c->cc);
	free(c->bcc);
	free(c->subject);
	free(c->in_reply_to);
	free(c->references);
	buf_free(&c->body);
	buf_free(&c->fwd);
	for (i = 0; i < c->natts; i++)
		free(c->atts[i]);
	free(c->atts);
	free(c);
}

/* ---- Starting ---- */

static bool
prepare(struct ui *ui, struct compose *c, int64_t id)
{
	struct mime_message	*m;
	struct mime_reply	 rep;
	struct err		 err;
	const char		*me[2] = { NULL, NULL };
	struct mime_addrlist	 fl = { NULL, 0 };
	int			 flags = 0;

	err_clear(&err);
	if ((m = ui_msg_load(ui, id, &err)) == NULL) {
		ui_error(ui, "%s", err.code == ERR_NOTFOUND ? _("The message "
		    "is not downloaded yet.") : err.msg);
		return false;
	}
	memset(&rep, 0, sizeof rep);
	mime_addrlist_parse(&fl, c->from, strlen(c->from), NULL);
	if (fl.n > 0)
		me[0] = fl.v[0].addr;
	switch (c->kind) {
	case UI_COMPOSE_GROUP_REPLY: flags = MIME_REPLY_ALL; break;
	case UI_COMPOSE_LIST_REPLY: flags = MIME_REPLY_LIST; break;
	default: break;
	}
	if (c->kind == UI_COMPOSE_FORWARD ||
	    c->kind == UI_COMPOSE_FORWARD_ATTACH) {
		mime_forward_prepare(m, c->kind == UI_COMPOSE_FORWARD, NULL,
		    &rep);
		if (c->kind == UI_COMPOSE_FORWARD_ATTACH) {
			size_t		 len;
			const char	*raw = mime_message_raw(m, &len);

			/* Attachments still on the server would go empty. */
			if (!ui_msg_complete(ui, id)) {
				ui_error(ui, "%s", _("Some attachments of this "
				    "message are not downloaded: open them (v) "
				    "first, or forward inline."));
				mime_reply_free(&rep);
				mime_addrlist_free(&fl);
				mime_message_free(&m);
				return false;
			}
			buf_add(&c->fwd, raw, len);
		}
	} else {
		mime_reply_prepare(m, flags, me, NULL, &rep);
		c->parent = id;
	}
	set_str(&c->to, rep.to);
	set_str(&c->cc, rep.cc);
	set_str(&c->subject, rep.subject);
	if (rep.in_reply_to != NULL)
		c->in_reply_to = xstrdup(rep.in_reply_to);
	if (rep.references != NULL)
		c->references = xstrdup(rep.references);
	if (rep.body != NULL)
		buf_adds(&c->body, rep.body);
	mime_reply_free(&rep);
	mime_addrlist_free(&fl);
	mime_message_free(&m);
	return true;
}

/* The newest draft comes back to the compose screen, and leaves Drafts. */
static bool
recall(struct ui *ui, struct compose *c)
{
	struct store_folder	*f = NULL;
	struct store_sort	 s = { STORE_SORT_DATE, true, false };
	struct store_row	*rows = NULL;
	struct mime_message	*m;
	struct err		 err;
	size_t			 n = 0;
	bool			 ok = false;

	err_clear(&err);
	if (c->account == 0 || store_folder_find_role(ui->store, c->account,
	    STORE_ROLE_DRAFTS, &f, &err) == -1 ||
	    store_index_page(ui->store, f->id, &s, NULL, STORE_PAGE_FORWARD,
	    1, &rows, &n, &err) == -1 || n == 0) {
		ui_message(ui, "%s", _("No postponed messages."));
		goto out;
	}
	if ((m = ui_msg_load(ui, rows[0].id, &err)) == NULL) {
		ui_error_err(ui, &err);
		goto out;
	}
	{
		const struct mime_headers *h = mime_message_headers(m);
		const char *const names[] = { "To", "Cc", "Bcc", "Subject" };
		char **dst[] = { &c->to, &c->cc, &c->bcc, &c->subject };
		size_t i;

		for (i = 0; i < 4; i++) {
			char *v = mime_headers_get_decoded(h, names[i], NULL);

			set_str(dst[i], v);
			free(v);
		}
		const struct mime_part *root = mime_message_root(m);
		const struct mime_part *text = root;

		while (text != NULL && mime_part_is_multipart(text))
			text = text->child;
		if (text != NULL && mime_part_is(text, "text", NULL))
			mime_part_text(m, text, NULL, &c->body);
	}
	mime_message_free(&m);
	ui_act_delete(ui, &rows[0].id, 1);
	ok = true;
out:
	store_rows_free(&rows, n);
	store_folder_free(&f);
	return ok;
}

void
ui_compose_start(struct ui *ui, enum ui_compose_kind kind, int64_t id)
{
	struct compose	*c = xcalloc(1, sizeof *c);

	c->kind = kind;
	c->account = id != 0 ? ui_msg_account(ui, id) : default_account(ui);
	c->from = from_for(ui, c->account);
	set_str(&c->to, "");
	set_str(&c->cc, "");
	set_str(&c->bcc, "");
	set_str(&c->subject, "");
	c->view.ctx = UI_CTX_COMPOSE;
	c->view.title = "compose";
	c->view.draw = compose_draw;
	c->view.action = compose_action;
	c->view.status = compose_status;
	c->view.free = compose_free;
	c->view.full = true;
	if (kind == UI_COMPOSE_RECALL ? !recall(ui, c) :
	    kind != UI_COMPOSE_NEW && !prepare(ui, c, id)) {
		compose_free(&c->view);
		return;
	}
	ui_push(ui, &c->view);
	if (kind == UI_COMPOSE_NEW) {
		edit_field(ui, _("To: "), &c->to, true);
		if (*c->to == '\0') {
			ui_pop(ui);
			ui_message(ui, "%s", _("No recipients; not sent."));
			return;
		}
		edit_field(ui, _("Subject: "), &c->subject, false);
	}
	if (kind != UI_COMPOSE_RECALL)
		ui_edit_text(ui, &c->body);
}
