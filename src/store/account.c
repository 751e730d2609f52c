/* Accounts: one row per configured account, with its kind and quota. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

static const char *const kind_names[] = { "imap", "pop3", "local" };

#define ACCOUNT_COLUMNS "id, name, kind, quota_used, quota_limit FROM accounts "

const char *
store_account_kind_name(enum store_account_kind k)
{
	if ((size_t)k >= sizeof kind_names / sizeof kind_names[0])
		return "?";
	return kind_names[k];
}

int
store_account_kind_parse(const char *v, enum store_account_kind *k_r)
{
	size_t	i;

	for (i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
		if (v != NULL && strcmp(v, kind_names[i]) == 0) {
			*k_r = (enum store_account_kind)i;
			return 0;
		}
	}
	return -1;
}

static void
account_fill(sqlite3_stmt *st, struct store_account *a)
{
	enum store_account_kind	k = STORE_ACCOUNT_IMAP;

	a->id = sqlite3_column_int64(st, 0);
	a->name = col_strdup(st, 1);
	store_account_kind_parse((const char *)sqlite3_column_text(st, 2), &k);
	a->kind = k;
	a->quota_used = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 3);
	a->quota_limit = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 4);
}

static int
account_one(struct store *s, sqlite3_stmt *st, struct store_account **r,
    struct err *err)
{
	int	rc;

	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		err_set(err, ERR_NOTFOUND, _("no such account"));
		return -1;
	}
	*r = xcalloc(1, sizeof **r);
	account_fill(st, *r);
	st_done(st);
	return 0;
}

int
store_account_get(struct store *s, int64_t id, struct store_account **r,
    struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " ACCOUNT_COLUMNS "WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (account_one(s, st, r, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			st_notfound(err, "account", id);
		return -1;
	}
	return 0;
}

int
store_account_find(struct store *s, const char *name,
    struct store_account **r, struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " ACCOUNT_COLUMNS "WHERE name = ?1",
	    err)) == NULL)
		return -1;
	bind_text(st, 1, name);
	if (account_one(s, st, r, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			err_set(err, ERR_NOTFOUND, _("no account called %s"),
			    name);
		return -1;
	}
	return 0;
}

int
store_account_ensure(struct store *s, const char *name,
    enum store_account_kind kind, int64_t *id_r, struct err *err)
{
	struct store_account	*a;
	sqlite3_stmt		*st;
	struct err		 e2;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((size_t)kind >= sizeof kind_names / sizeof kind_names[0]) {
		err_set(err, ERR_USAGE, _("bad account kind"));
		return -1;
	}
	if (store_account_find(s, name, &a, &e2) == 0) {
		int ok = a->kind == kind;

		if (ok)
			*id_r = a->id;
		else
			err_set(err, ERR_USAGE, _("account %s is stored as "
			    "%s, not %s: its mail will not be reinterpreted"),
			    name, kind_names[a->kind], kind_names[kind]);
		store_account_free(&a);
		return ok ? 0 : -1;
	}
	if (e2.code != ERR_NOTFOUND) {
		*err = e2;
		return -1;
	}
	if ((st = st_prep(s, "INSERT INTO accounts (name, kind, created) "
	    "VALUES (?1, ?2, ?3)", err)) == NULL)
		return -1;
	bind_text(st, 1, name);
	bind_text(st, 2, kind_names[kind]);
	bind_int64(st, 3, (int64_t)time(NULL));
	if (st_run(s, st, err) == -1)
		return -1;
	*id_r = sqlite3_last_insert_rowid(s->db);
	return 0;
}

void
store_account_free(struct store_account **ap)
{
	if (*ap == NULL)
		return;
	free((*ap)->name);
	xfree(ap);
}

int
store_account_list(struct store *s, struct store_account **arr_r,
    size_t *n_r, struct err *err)
{
	sqlite3_stmt		*st;
	struct store_account	*arr = NULL;
	size_t			 n = 0;
	int			 rc;

	*arr_r = NULL;
	*n_r = 0;
	if ((st = st_prep(s, "SELECT " ACCOUNT_COLUMNS "ORDER BY name",
	    err)) == NULL)
		return -1;
	while ((rc = st_step(s, st, err)) == SQLITE_ROW) {
		arr = xreallocarray(arr, n + 1, sizeof *arr);
		account_fill(st, &arr[n++]);
	}
	if (rc == -1) {
		store_account_list_free(&arr, n);
		return -1;
	}
	st_done(st);
	*arr_r = arr;
	*n_r = n;
	return 0;
}

void
store_account_list_free(struct store_account **arrp, size_t n)
{
	size_t	i;

	if (*arrp == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*arrp)[i].name);
	xfree(arrp);
}

int
store_account_set_quota(struct store *s, int64_t id, int64_t used,
    int64_t limit, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE accounts SET quota_used = ?2, "
	    "quota_limit = ?3 WHERE id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (used < 0)
		sqlite3_bind_null(st, 2);
	else
		bind_int64(st, 2, used);
	if (limit < 0)
		sqlite3_bind_null(st, 3);
	else
		bind_int64(st, 3, limit);
	if (st_run(s, st, err) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return st_notfound(err, "account", id);
	return 0;
}

/* What an account still holds that deleting it would lose. */
static int
account_holds(struct store *s, int64_t id, int64_t *msgs_r, int64_t *out_r,
    struct err *err)
{
	sqlite3_stmt	*st;

	if ((st = st_prep(s, "SELECT coalesce(sum(total), 0) FROM folders "
	    "WHERE account_id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (st_int64(s, st, msgs_r, err) == -1)
		return -1;
	if ((st = st_prep(s, "SELECT count(*) FROM outbox WHERE account_id = "
	    "?1 AND state IN ('queued', 'sending', 'check')", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	return st_int64(s, st, out_r, err);
}

int
store_account_delete(struct store *s, int64_t id, bool force,
    struct err *err)
{
	static const char *const sql[] = {
		("DELETE FROM messages WHERE folder_id IN "
		    "(SELECT id FROM folders WHERE account_id = ?1)"),
		"DELETE FROM folders WHERE account_id = ?1",
		"DELETE FROM outbox WHERE account_id = ?1",
		"DELETE FROM accounts WHERE id = ?1",
	};
	sqlite3_stmt	*st;
	int64_t		 msgs, out;
	size_t		 i;
	int		 rc = 0;

	if (tx_writable(s, err) == -1 || tx_begin(s, err) == -1)
		return -1;
	if (account_holds(s, id, &msgs, &out, err) == -1)
		return tx_end(s, -1, err);
	if (!force && (msgs > 0 || out > 0)) {
		err_set(err, ERR_USAGE, _("account %lld still holds %lld "
		    "messages and %lld unsent; not deleted"), (long long)id,
		    (long long)msgs, (long long)out);
		return tx_end(s, -1, err);
	}
	for (i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++) {
		if ((st = st_prep(s, sql[i], err)) == NULL) {
			rc = -1;
			break;
		}
		bind_int64(st, 1, id);
		rc = st_run(s, st, err);
	}
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = st_notfound(err, "account", id);
	return tx_end(s, rc, err);
}
