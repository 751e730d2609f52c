/* Loading a message for the screens: the raw body from the store, parsed. */
#include "config.h"

#include <stdlib.h>

#include "mime/mime.h"
#include "store/store.h"
#include "ui/jobs.h"
#include "ui/priv.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"

struct mime_message *
ui_msg_load(struct ui *ui, int64_t id, struct err *err)
{
	struct buf		 raw = BUF_INIT;
	struct mime_message	*m;

	if (store_body_get(ui->store, id, &raw, err) == -1) {
		buf_free(&raw);
		/* Only the headers are here: ask the engine, show the rest. */
		if (err->code == ERR_NOTFOUND && ui->jobs != NULL &&
		    ui->jobs->fetch_body != NULL)
			ui->jobs->fetch_body(ui->jobs->arg, id);
		return NULL;
	}
	m = mime_message_parse(raw.data, raw.len, MIME_PARSE_COPY);
	buf_free(&raw);
	if (m == NULL)
		err_set(err, ERR_PARSE, "%s", _("empty message"));
	return m;
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
