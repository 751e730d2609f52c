/*
 * The outbox: messages waiting to be sent, their state machine
 *   queued -> sending -> sent | queued (retry) | failed | check
 * and the sent log that rate limits count.  "check" is the case where the
 * connection died after the final dot: maybe sent, so never resent
 * without the user saying so.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

const char *const store_out_state_names[] = {
	"queued", "sending", "sent", "failed", "check"
};

#define NSTATES 5

#define OUT_COLUMNS "id, account_id, env_from, rcpts, rcpt_count, state, " \
	"attempts, next_attempt_at, last_error, created, " \
	"coalesce(sent_at, 0), length(raw) FROM outbox "

static size_t
count_rcpts(const char *rcpts)
{
	const char	*p = rcpts;
	size_t		 n = 0, len;

	while (*p != '\0') {
		len = strcspn(p, "\r\n");
		if (len > 0 && strspn(p, " \t") < len)
			n++;
		p += len;
		p += strspn(p, "\r\n");
	}
	return n;
}

int
store_outbox_add(struct store *s, int64_t account_id, const void *raw,
    size_t raw_len, const char *env_from, const char *rcpts, int64_t *id_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	size_t		 n;
	int64_t		 now = (int64_t)time(NULL);

	if (tx_writable(s, err) == -1)
		return -1;
	if (rcpts == NULL || (n = count_rcpts(rcpts)) == 0 ||
	    env_from == NULL) {
		err_set(err, ERR_USAGE, _("a message to send needs a sender "
		    "and at least one recipient"));
		return -1;
	}
	if ((st = st_prep(s, "INSERT INTO outbox (account_id, env_from, "
	    "rcpts, rcpt_count, raw, next_attempt_at, created) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_text(st, 2, env_from);
	bind_text(st, 3, rcpts);
	bind_int64(st, 4, (int64_t)n);
	sqlite3_bind_blob64(st, 5, raw_len > 0 ? raw : "", raw_len,
	    SQLITE_STATIC);
	bind_int64(st, 6, now);
	if (st_run(s, st, err) == -1)
		return -1;
	sqlite3_clear_bindings(st);
	if (id_r != NULL)
		*id_r = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static struct store_out *
out_from_row(sqlite3_stmt *st, struct store_out *o)
{
	o->id = sqlite3_column_int64(st, 0);
	o->account_id = sqlite3_column_int64(st, 1);
	o->env_from = col_strdup(st, 2);
	o->rcpts = col_strdup(st, 3);
	o->rcpt_count = (size_t)sqlite3_column_int64(st, 4);
	o->state = enum_parse(store_out_state_names, NSTATES,
	    (const char *)sqlite3_column_text(st, 5));
	o->attempts = sqlite3_column_int(st, 6);
	o->next_attempt_at = sqlite3_column_int64(st, 7);
	o->last_error = col_strdup(st, 8);
	o->created = sqlite3_column_int64(st, 9);
	o->sent_at = sqlite3_column_int64(st, 10);
	o->size = sqlite3_column_int64(st, 11);
	return o;
}

static int
out_one(struct store *s, sqlite3_stmt *st, struct store_out **r,
    struct err *err)
{
	int	rc;

	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		err_set(err, ERR_NOTFOUND, _("no message to send"));
		return -1;
	}
	*r = out_from_row(st, xcalloc(1, sizeof **r));
	st_done(st);
	return 0;
}

int
store_outbox_next_due(struct store *s, int64_t account_id, int64_t now,
    struct store_out **r, struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " OUT_COLUMNS "WHERE state = 'queued' "
	    "AND next_attempt_at <= ?2 AND (?1 = 0 OR account_id = ?1) "
	    "ORDER BY next_attempt_at, id LIMIT 1", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_int64(st, 2, now);
	return out_one(s, st, r, err);
}

int
store_outbox_next_time(struct store *s, int64_t account_id, int64_t *when_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT min(next_attempt_at) FROM outbox "
	    "WHERE state = 'queued' AND (?1 = 0 OR account_id = ?1)",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		st_done(st);
		err_set(err, ERR_NOTFOUND, _("nothing queued to send"));
		return -1;
	}
	*when_r = sqlite3_column_int64(st, 0);
	st_done(st);
	return 0;
}

int
store_outbox_get(struct store *s, int64_t id, struct store_out **r,
    struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " OUT_COLUMNS "WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (out_one(s, st, r, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			st_notfound(err, "outbox message", id);
		return -1;
	}
	return 0;
}

static void
out_clear(struct store_out *o)
{
	free(o->env_from);
	free(o->rcpts);
	free(o->last_error);
}

void
store_out_free(struct store_out **op)
{
	if (*op == NULL)
		return;
	out_clear(*op);
	xfree(op);
}

int
store_outbox_raw(struct store *s, int64_t id, struct buf *out,
    struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT raw FROM outbox WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_DONE)
		return st_notfound(err, "outbox message", id);
	buf_add(out, sqlite3_column_blob(st, 0),
	    (size_t)sqlite3_column_bytes(st, 0));
	st_done(st);
	return 0;
}

/*
 * One transition: sql updates row ?1 only from the states it allows;
 * when nothing changed, say whether the row is missing or in the wrong
 * state.
 */
static int
transition(struct store *s, const char *sql, int64_t id, int64_t v,
    const char *text, struct err *err)
{
	struct store_out	*o;
	sqlite3_stmt		*st;
	int			 n;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, sql, err)) == NULL)
		return -1;
	n = sqlite3_bind_parameter_count(st);
	bind_int64(st, 1, id);
	if (n >= 2)
		bind_int64(st, 2, v);
	if (n >= 3)
		bind_text(st, 3, text);
	if (st_run(s, st, err) == -1)
		return -1;
	if (sqlite3_changes(s->db) > 0)
		return 0;
	if (store_outbox_get(s, id, &o, err) == -1)
		return -1;
	err_set(err, ERR_USAGE, _("outbox message %lld is %s: not possible "
	    "now"), (long long)id, store_out_state_names[o->state]);
	store_out_free(&o);
	return -1;
}

int
store_outbox_mark_sending(struct store *s, int64_t id, struct err *err)
{
	return transition(s, "UPDATE outbox SET state = 'sending' "
	    "WHERE id = ?1 AND state = 'queued'", id, 0, NULL, err);
}

int
store_outbox_mark_sent(struct store *s, int64_t id, int64_t now,
    struct err *err)
{
	/* From check too: the user found it in their Sent folder. */
	return transition(s, "UPDATE outbox SET state = 'sent', sent_at = ?2, "
	    "last_error = NULL WHERE id = ?1 AND state IN ('sending', "
	    "'check')", id, now, NULL, err);
}

int
store_outbox_mark_retry(struct store *s, int64_t id, int64_t next_attempt_at,
    const char *error, struct err *err)
{
	return transition(s, "UPDATE outbox SET state = 'queued', "
	    "attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 "
	    "WHERE id = ?1 AND state = 'sending'", id, next_attempt_at, error,
	    err);
}

int
store_outbox_mark_failed(struct store *s, int64_t id,
    const char *server_text, struct err *err)
{
	return transition(s, "UPDATE outbox SET state = 'failed', "
	    "attempts = attempts + 1, last_error = ?3 "
	    "WHERE id = ?1 AND state = 'sending'", id, 0,
	    server_text, err);
}

int
store_outbox_mark_check(struct store *s, int64_t id, const char *why,
    struct err *err)
{
	return transition(s, "UPDATE outbox SET state = 'check', "
	    "attempts = attempts + 1, last_error = ?3 "
	    "WHERE id = ?1 AND state = 'sending'", id, 0, why, err);
}

int
store_outbox_requeue(struct store *s, int64_t id, int64_t now,
    struct err *err)
{
	return transition(s, "UPDATE outbox SET state = 'queued', "
	    "next_attempt_at = ?2 WHERE id = ?1 AND state IN ('failed', "
	    "'check')", id, now, NULL, err);
}

int
store_outbox_due_now(struct store *s, int64_t account_id, int64_t now,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE outbox SET next_attempt_at = ?2 "
	    "WHERE state = 'queued' AND next_attempt_at > ?2 AND "
	    "(?1 = 0 OR account_id = ?1)", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_int64(st, 2, now);
	return st_run(s, st, err);
}

int
store_outbox_cancel(struct store *s, int64_t id, struct err *err)
{
	return transition(s, "DELETE FROM outbox WHERE id = ?1 "
	    "AND state <> 'sending'", id, 0, NULL, err);
}

static void
out_row(sqlite3_stmt *st, void *o)
{
	out_from_row(st, o);
}

static void
out_clear_v(void *o)
{
	out_clear(o);
}

int
store_outbox_list(struct store *s, int64_t account_id,
    struct store_out **arr_r, size_t *n_r, struct err *err)
{
	sqlite3_stmt	*st;
	void		*arr;
	int		 rc;

	*arr_r = NULL;
	*n_r = 0;
	if ((st = st_prep(s, "SELECT " OUT_COLUMNS "WHERE ?1 = 0 OR "
	    "account_id = ?1 ORDER BY created, id", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	rc = st_collect(s, st, sizeof **arr_r, out_row, out_clear_v, &arr, n_r,
	    err);
	*arr_r = arr;
	return rc;
}

void
store_outbox_list_free(struct store_out **arrp, size_t n)
{
	void	*arr = *arrp;

	st_list_free(&arr, n, sizeof **arrp, out_clear_v);
	*arrp = NULL;
}

int
store_outbox_sent_since(struct store *s, int64_t account_id, int64_t since,
    size_t *messages_r, size_t *rcpts_r, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT count(*), coalesce(sum(rcpt_count), 0) "
	    "FROM outbox WHERE account_id = ?1 AND sent_at >= ?2", err)) ==
	    NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_int64(st, 2, since);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	*messages_r = (size_t)sqlite3_column_int64(st, 0);
	if (rcpts_r != NULL)
		*rcpts_r = (size_t)sqlite3_column_int64(st, 1);
	st_done(st);
	return 0;
}

int
store_outbox_prune_sent(struct store *s, int64_t before, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "DELETE FROM outbox WHERE state = 'sent' "
	    "AND sent_at < ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, before);
	return st_run(s, st, err);
}

int
store_outbox_count(struct store *s, int64_t account_id, size_t *queued_r,
    size_t *attention_r, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT "
	    "coalesce(sum(state IN ('queued', 'sending')), 0), "
	    "coalesce(sum(state IN ('failed', 'check')), 0) "
	    "FROM outbox WHERE ?1 = 0 OR account_id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	*queued_r = (size_t)sqlite3_column_int64(st, 0);
	if (attention_r != NULL)
		*attention_r = (size_t)sqlite3_column_int64(st, 1);
	st_done(st);
	return 0;
}
