/*
 * POP3 UIDLs: which messages of a leave-on-server account were already
 * downloaded (never twice), when they were first seen (for keep-days),
 * and which we deleted on the server.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

const char *const store_uidl_state_names[] = {
	"downloaded", "deleted_on_server"
};

int
store_pop3_known(struct store *s, int64_t account_id, const char *uidl,
    bool *known_r, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT 1 FROM pop3_uidls WHERE account_id = ?1 "
	    "AND uidl = ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_text(st, 2, uidl);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	*known_r = rc == SQLITE_ROW;
	st_done(st);
	return 0;
}

int
store_pop3_record(struct store *s, int64_t account_id, const char *uidl,
    int64_t message_id, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if (uidl == NULL || *uidl == '\0') {
		err_set(err, ERR_USAGE, _("empty UIDL"));
		return -1;
	}
	if ((st = st_prep(s, "INSERT INTO pop3_uidls (account_id, uidl, "
	    "first_seen, msg) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (account_id, uidl) DO UPDATE SET msg = excluded.msg, "
	    "state = 'downloaded'", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_text(st, 2, uidl);
	bind_int64(st, 3, (int64_t)time(NULL));
	if (message_id == 0)
		sqlite3_bind_null(st, 4);
	else
		bind_int64(st, 4, message_id);
	return st_run(s, st, err);
}

static void
uidl_row(sqlite3_stmt *st, void *p)
{
	struct store_uidl	*u = p;

	u->uidl = col_strdup(st, 0);
	u->state = enum_parse(store_uidl_state_names, 2,
	    (const char *)sqlite3_column_text(st, 1));
	u->first_seen = sqlite3_column_int64(st, 2);
	u->message_id = sqlite3_column_int64(st, 3);
}

static void
uidl_clear(void *u)
{
	free(((struct store_uidl *)u)->uidl);
}

int
store_pop3_list(struct store *s, int64_t account_id,
    struct store_uidl **arr_r, size_t *n_r, struct err *err)
{
	sqlite3_stmt	*st;
	void		*arr;
	int		 rc;

	*arr_r = NULL;
	*n_r = 0;
	if ((st = st_prep(s, "SELECT uidl, state, first_seen, "
	    "coalesce(msg, 0) FROM pop3_uidls WHERE account_id = ?1 "
	    "ORDER BY first_seen, uidl", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	rc = st_collect(s, st, sizeof **arr_r, uidl_row, uidl_clear, &arr, n_r,
	    err);
	*arr_r = arr;
	return rc;
}

void
store_pop3_list_free(struct store_uidl **arrp, size_t n)
{
	void	*arr = *arrp;

	st_list_free(&arr, n, sizeof **arrp, uidl_clear);
	*arrp = NULL;
}

int
store_pop3_mark_deleted(struct store *s, int64_t account_id,
    const char *uidl, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE pop3_uidls SET state = "
	    "'deleted_on_server' WHERE account_id = ?1 AND uidl = ?2",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_text(st, 2, uidl);
	if (st_run(s, st, err) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0) {
		err_set(err, ERR_NOTFOUND, _("UIDL %s is not known"), uidl);
		return -1;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
store_pop3_forget_missing(struct store *s, int64_t account_id,
    const char *const *present, size_t n, struct err *err)
{
	struct store_uidl	 *known;
	const char		**sorted;
	sqlite3_stmt		 *st;
	size_t			  nknown, i;
	int			  rc = 0;

	if (tx_writable(s, err) == -1)
		return -1;
	if (store_pop3_list(s, account_id, &known, &nknown, err) == -1)
		return -1;
	sorted = xreallocarray(NULL, n + 1, sizeof *sorted);
	if (n > 0)
		memcpy(sorted, present, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_str);
	if (tx_begin(s, err) == -1) {
		free(sorted);
		store_pop3_list_free(&known, nknown);
		return -1;
	}
	for (i = 0; rc == 0 && i < nknown; i++) {
		if (bsearch(&known[i].uidl, sorted, n, sizeof *sorted,
		    cmp_str) != NULL)
			continue;
		if ((st = st_prep(s, "DELETE FROM pop3_uidls "
		    "WHERE account_id = ?1 AND uidl = ?2", err)) == NULL) {
			rc = -1;
			break;
		}
		bind_int64(st, 1, account_id);
		bind_text(st, 2, known[i].uidl);
		rc = st_run(s, st, err);
	}
	rc = tx_end(s, rc, err);
	free(sorted);
	store_pop3_list_free(&known, nknown);
	return rc;
}
