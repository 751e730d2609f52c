/*
 * The delivery engines (delivery.h) called the way surat sync and the job
 * worker need them: secrets fetched here, the outbox skipped without a
 * password question when nothing is due, and an IMAP account's Sent copy
 * uploaded at once.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "config/config.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "sync/sync-int.h"
#include "sync/sync.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"

static int
secret(const struct config_account *a, enum config_secret which, char **s_r,
    struct err *err)
{
	int	rc;

	*s_r = NULL;
	if (a->auth == CONFIG_AUTH_XOAUTH2)
		which = CONFIG_SECRET_OAUTH;
	if ((rc = config_get_password(a, which, s_r, err)) == -1)
		return -1;
	if (rc == CONFIG_NEED_PROMPT || *s_r == NULL) {
		err_set(err, ERR_AUTH, _("%s: no password (set password_cmd in "
		    "the configuration)"), a->id);
		return -1;
	}
	return 0;
}

int
sync_run_pop3(struct store *st, const struct config_account *a,
    sync_progress_fn *progress, void *arg, struct sync_pop3_stats *stats,
    struct err *err)
{
	char	*pw;
	int	 rc;

	memset(stats, 0, sizeof *stats);
	if (secret(a, CONFIG_SECRET_INCOMING, &pw, err) == -1)
		return -1;
	rc = sync_pop3_download(st, a, pw, progress, arg, stats, err);
	str_free_secret(&pw);
	return rc;
}

int
sync_run_outbox(struct store *st, const struct config_account *a,
    sync_progress_fn *progress, void *arg, struct sync_outbox_stats *stats,
    bool *nothing_r, struct err *err)
{
	struct store_account	*sa;
	struct store_out	*o;
	struct err		 e;
	char			*pw;
	int			 rc;

	memset(stats, 0, sizeof *stats);
	*nothing_r = true;
	err_clear(&e);
	if (store_account_find(st, a->id, &sa, &e) == -1)
		return e.code == ERR_NOTFOUND ? 0 : (*err = e, -1);
	rc = store_outbox_next_due(st, sa->id, (int64_t)time(NULL), &o, &e);
	store_account_free(&sa);
	if (rc == -1)
		return e.code == ERR_NOTFOUND ? 0 : (*err = e, -1);
	store_out_free(&o);
	*nothing_r = false;
	if (a->outgoing.host == NULL) {
		err_set(err, ERR_CONFIG, _("%s: messages wait in the outbox but "
		    "no outgoing server is configured"), a->id);
		return -1;
	}
	if (secret(a, CONFIG_SECRET_OUTGOING, &pw, err) == -1)
		return -1;
	rc = sync_outbox_send(st, a, pw, progress, arg, stats, err);
	str_free_secret(&pw);
	return rc;
}
