/*
 * Loading a message for the screens: the raw message from the store, or
 * one put together from the parts fetched so far, parsed.  What is not
 * here is asked of the sync engine.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "mime/mime.h"
#include "store/store.h"
#include "ui/jobs.h"
#include "ui/priv.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"

const char *
ui_msg_prefer(struct ui *ui)
{
	return ui->cfg != NULL && !ui->cfg->general.prefer_plain ?
	    "text/html" : NULL;
}

static void
ask_body(struct ui *ui, int64_t id)
{
	if (ui->jobs != NULL && ui->jobs->fetch_body != NULL)
		ui->jobs->fetch_body(ui->jobs->arg, id);
}

struct mime_message *
ui_msg_load_view(struct ui *ui, int64_t id, struct store_view *v,
    struct err *err)
{
	struct buf		 raw = BUF_INIT;
	struct mime_message	*m;

	if (store_message_view(ui->store, id, ui_msg_prefer(ui), &raw, v,
	    err) == -1) {
		buf_free(&raw);
		/* Only the headers are here: ask the engine, show the rest. */
		if (err->code == ERR_NOTFOUND)
			ask_body(ui, id);
		return NULL;
	}
	/* Parts the reader shows are missing: the engine fetches them. */
	if (!v->whole && v->wanted_missing > 0)
		ask_body(ui, id);
	m = mime_message_parse(raw.data, raw.len, MIME_PARSE_COPY);
	buf_free(&raw);
	if (m == NULL) {
		store_view_clear(v);
		err_set(err, ERR_PARSE, "%s", _("empty message"));
	}
	return m;
}

struct mime_message *
ui_msg_load(struct ui *ui, int64_t id, struct err *err)
{
	struct store_view	 v;
	struct mime_message	*m;

	m = ui_msg_load_view(ui, id, &v, err);
	if (m != NULL && !v.whole && v.wanted_missing > 0) {
		/* Without its text it is no message to quote or resend. */
		mime_message_free(&m);
		err_set(err, ERR_NOTFOUND, _("message %lld has no body here"),
		    (long long)id);
	}
	store_view_clear(&v);
	return m;
}

bool
ui_msg_complete(struct ui *ui, int64_t id)
{
	struct store_view	 v;
	struct buf		 raw = BUF_INIT;
	struct err		 err;
	bool			 all = false;

	err_clear(&err);
	if (store_message_view(ui->store, id, ui_msg_prefer(ui), &raw, &v,
	    &err) == 0)
		all = v.whole || v.nmissing == 0;
	store_view_clear(&v);
	buf_free(&raw);
	return all;
}

void
ui_msg_mark_missing(const struct store_view *v, struct mime_render *r)
{
	struct mime_strlist	miss;

	if (v->whole || v->structure == NULL)
		return;
	miss.v = v->missing;
	miss.n = v->nmissing;
	mime_structure_mark_missing(r, v->structure, &miss);
}

bool
ui_msg_part_missing(const struct store_view *v, const char *section)
{
	size_t	i;

	for (i = 0; i < v->nmissing; i++)
		if (strcmp(v->missing[i], section) == 0)
			return true;
	return false;
}

int64_t
ui_msg_account(struct ui *ui, int64_t id)
{
	struct store_msg	*m = NULL;
	struct store_folder	*f = NULL;
	struct err		 err;
	int64_t			 aid = 0;

	err_clear(&err);
	if (store_message_get(ui->store, id, &m, &err) == -1)
		return 0;
	if (store_folder_get(ui->store, m->folder_id, &f, &err) == 0)
		aid = f->account_id;
	store_folder_free(&f);
	store_msg_free(&m);
	return aid;
}
