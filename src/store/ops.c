/*
 * Pending operations: what the user did offline (or before the server
 * answered), in order, until the sync engine replays it on the server.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

const char *const store_op_type_names[] = {
	"flag", "unflag", "move", "copy", "delete", "expunge", "append"
};
static const char *const op_state_names[] = { "queued", "failed" };

#define NOPS (sizeof store_op_type_names / sizeof store_op_type_names[0])

#define OP_COLUMNS "id, account_id, op, coalesce(msg, 0), " \
	"coalesce(folder_id, 0), coalesce(uid, 0), " \
	"coalesce(target_folder_id, 0), flags, args, state, attempts, " \
	"last_error, created FROM pending_ops "

static void
nullable(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(st, i);
	else
		bind_int64(st, i, v);
}

int
store_op_enqueue(struct store *s, const struct store_op *op, int64_t *id_r,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((size_t)op->type >= NOPS) {
		err_set(err, ERR_USAGE, _("bad pending operation type"));
		return -1;
	}
	if ((st = st_prep(s, "INSERT INTO pending_ops (account_id, op, msg, "
	    "folder_id, uid, target_folder_id, flags, args, created) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err)) == NULL)
		return -1;
	bind_int64(st, 1, op->account_id);
	bind_text(st, 2, store_op_type_names[op->type]);
	nullable(st, 3, op->message_id);
	nullable(st, 4, op->folder_id);
	nullable(st, 5, op->uid);
	nullable(st, 6, op->target_folder_id);
	bind_int64(st, 7, op->flags);
	bind_text(st, 8, op->args);
	bind_int64(st, 9, (int64_t)time(NULL));
	if (st_run(s, st, err) == -1) {
		if (err_failed(err) && err->code == ERR_USAGE)
			err_prefix(err, "%s", _("queueing an operation: "));
		return -1;
	}
	if (id_r != NULL)
		*id_r = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void
op_fill(sqlite3_stmt *st, struct store_op *op)
{
	op->id = sqlite3_column_int64(st, 0);
	op->account_id = sqlite3_column_int64(st, 1);
	op->type = enum_parse(store_op_type_names, NOPS,
	    (const char *)sqlite3_column_text(st, 2));
	op->message_id = sqlite3_column_int64(st, 3);
	op->folder_id = sqlite3_column_int64(st, 4);
	op->uid = (uint32_t)sqlite3_column_int64(st, 5);
	op->target_folder_id = sqlite3_column_int64(st, 6);
	op->flags = (unsigned)sqlite3_column_int(st, 7);
	op->args = col_strdup(st, 8);
	op->state = enum_parse(op_state_names, 2,
	    (const char *)sqlite3_column_text(st, 9));
	op->attempts = sqlite3_column_int(st, 10);
	op->last_error = col_strdup(st, 11);
	op->created = sqlite3_column_int64(st, 12);
}

static void
op_row(sqlite3_stmt *st, void *op)
{
	op_fill(st, op);
}

static void
op_clear(void *p)
{
	struct store_op	*op = p;

	free(op->args);
	free(op->last_error);
}

static int
op_collect(struct store *s, sqlite3_stmt *st, struct store_op **arr_r,
    size_t *n_r, struct err *err)
{
	void	*arr;
	int	 rc;

	rc = st_collect(s, st, sizeof **arr_r, op_row, op_clear, &arr, n_r,
	    err);
	*arr_r = arr;
	return rc;
}

int
store_op_next(struct store *s, int64_t account_id, size_t n,
    struct store_op **arr_r, size_t *n_r, struct err *err)
{
	sqlite3_stmt	*st;

	*arr_r = NULL;
	*n_r = 0;
	if ((st = st_prep(s, "SELECT " OP_COLUMNS "WHERE account_id = ?1 "
	    "AND state = 'queued' ORDER BY id LIMIT ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_int64(st, 2, (int64_t)n);
	return op_collect(s, st, arr_r, n_r, err);
}

int
store_op_list(struct store *s, int64_t account_id, struct store_op **arr_r,
    size_t *n_r, struct err *err)
{
	sqlite3_stmt	*st;

	*arr_r = NULL;
	*n_r = 0;
	if ((st = st_prep(s, "SELECT " OP_COLUMNS "WHERE ?1 = 0 OR "
	    "account_id = ?1 ORDER BY id", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	return op_collect(s, st, arr_r, n_r, err);
}

void
store_op_list_free(struct store_op **arrp, size_t n)
{
	void	*arr = *arrp;

	st_list_free(&arr, n, sizeof **arrp, op_clear);
	*arrp = NULL;
}

static int
op_update(struct store *s, const char *sql, int64_t id, const char *text,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, sql, err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (sqlite3_bind_parameter_count(st) >= 2)
		bind_text(st, 2, text);
	if (st_run(s, st, err) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return st_notfound(err, "pending operation", id);
	return 0;
}

int
store_op_done(struct store *s, int64_t id, struct err *err)
{
	return op_update(s, "DELETE FROM pending_ops WHERE id = ?1", id, NULL,
	    err);
}

int
store_op_failed(struct store *s, int64_t id, const char *error,
    bool permanent, struct err *err)
{
	return op_update(s, permanent ?
	    "UPDATE pending_ops SET attempts = attempts + 1, last_error = ?2, "
	    "state = 'failed' WHERE id = ?1" :
	    "UPDATE pending_ops SET attempts = attempts + 1, last_error = ?2 "
	    "WHERE id = ?1", id, error, err);
}

int
store_op_retry(struct store *s, int64_t id, struct err *err)
{
	return op_update(s, "UPDATE pending_ops SET state = 'queued' "
	    "WHERE id = ?1", id, NULL, err);
}

int
store_op_count(struct store *s, int64_t account_id, size_t *n_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	if ((st = st_prep(s, "SELECT count(*) FROM pending_ops "
	    "WHERE (?1 = 0 OR account_id = ?1) AND state = 'queued'",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	if (st_int64(s, st, &n, err) == -1)
		return -1;
	*n_r = (size_t)n;
	return 0;
}

int
store_op_learn_uid(struct store *s, int64_t message_id, int64_t folder_id,
    uint32_t uid, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE pending_ops SET uid = ?3 WHERE msg = ?1 "
	    "AND folder_id = ?2 AND uid IS NULL AND state = 'queued'",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, message_id);
	bind_int64(st, 2, folder_id);
	bind_int64(st, 3, uid);
	return st_run(s, st, err);
}
