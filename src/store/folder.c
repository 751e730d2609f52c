/*
 * Folders: the server's mailboxes (or local ones), their roles, the IMAP
 * sync state and the message counts the triggers keep.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

static const char *const role_names[] = {
	"none", "inbox", "sent", "drafts", "trash", "junk", "archive"
};

#define NROLES (sizeof role_names / sizeof role_names[0])

#define FOLDER_COLUMNS "id, account_id, name, delim, role, uidvalidity, " \
	"uidnext, highestmodseq, total, unread, last_sync, bytes, wire " \
	"FROM folders "

const char *
store_role_name(enum store_role r)
{
	return (size_t)r < NROLES ? role_names[r] : "none";
}

int
store_role_parse(const char *v, enum store_role *r_r)
{
	size_t	i;

	for (i = 0; i < NROLES; i++) {
		if (v != NULL && strcmp(v, role_names[i]) == 0) {
			*r_r = (enum store_role)i;
			return 0;
		}
	}
	return -1;
}

static void
folder_fill(sqlite3_stmt *st, struct store_folder *f)
{
	const char	*d;
	enum store_role	 r = STORE_ROLE_NONE;

	f->id = sqlite3_column_int64(st, 0);
	f->account_id = sqlite3_column_int64(st, 1);
	f->name = col_strdup(st, 2);
	d = (const char *)sqlite3_column_text(st, 3);
	f->delim = d != NULL ? d[0] : '\0';
	store_role_parse((const char *)sqlite3_column_text(st, 4), &r);
	f->role = r;
	f->uidvalidity = (uint32_t)sqlite3_column_int64(st, 5);
	f->uidnext = (uint32_t)sqlite3_column_int64(st, 6);
	f->highestmodseq = (uint64_t)sqlite3_column_int64(st, 7);
	f->total = sqlite3_column_int64(st, 8);
	f->unread = sqlite3_column_int64(st, 9);
	f->last_sync = sqlite3_column_int64(st, 10);
	f->size = sqlite3_column_int64(st, 11);
	f->wire = col_strdup(st, 12);
	/* Sanitized once here, so no caller can draw the raw name. */
	f->display = sanitize_str(f->name != NULL ? f->name : "", 0);
}

static void
folder_clear(void *p)
{
	struct store_folder	*f = p;

	free(f->name);
	free(f->display);
	free(f->wire);
}

static int
folder_one(struct store *s, sqlite3_stmt *st, struct store_folder **r,
    struct err *err)
{
	int	rc;

	*r = NULL;
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		err_set(err, ERR_NOTFOUND, _("no such folder"));
		return -1;
	}
	*r = xcalloc(1, sizeof **r);
	folder_fill(st, *r);
	st_done(st);
	return 0;
}

int
store_folder_get(struct store *s, int64_t id, struct store_folder **r,
    struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " FOLDER_COLUMNS "WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (folder_one(s, st, r, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			st_notfound(err, "folder", id);
		return -1;
	}
	return 0;
}

int
store_folder_find(struct store *s, int64_t account_id, const char *name,
    struct store_folder **r, struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " FOLDER_COLUMNS
	    "WHERE account_id = ?1 AND name = ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_text(st, 2, name);
	if (folder_one(s, st, r, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			err_set(err, ERR_NOTFOUND, _("no folder %s"), name);
		return -1;
	}
	return 0;
}

int
store_folder_find_role(struct store *s, int64_t account_id,
    enum store_role role, struct store_folder **r, struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " FOLDER_COLUMNS
	    "WHERE account_id = ?1 AND role = ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	bind_text(st, 2, store_role_name(role));
	if (folder_one(s, st, r, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			err_set(err, ERR_NOTFOUND, _("no %s folder"),
			    store_role_name(role));
		return -1;
	}
	return 0;
}

void
store_folder_free(struct store_folder **fp)
{
	if (*fp == NULL)
		return;
	folder_clear(*fp);
	xfree(fp);
}

static void
folder_row(sqlite3_stmt *st, void *f)
{
	folder_fill(st, f);
}

int
store_folder_list(struct store *s, int64_t account_id,
    struct store_folder **arr_r, size_t *n_r, struct err *err)
{
	sqlite3_stmt	*st;
	void		*arr;
	int		 rc;

	*arr_r = NULL;
	*n_r = 0;
	if ((st = st_prep(s, "SELECT " FOLDER_COLUMNS "WHERE ?1 = 0 OR "
	    "account_id = ?1 ORDER BY account_id, name", err)) == NULL)
		return -1;
	bind_int64(st, 1, account_id);
	rc = st_collect(s, st, sizeof **arr_r, folder_row, folder_clear, &arr,
	    n_r, err);
	*arr_r = arr;
	return rc;
}

void
store_folder_list_free(struct store_folder **arrp, size_t n)
{
	void	*arr = *arrp;

	st_list_free(&arr, n, sizeof **arrp, folder_clear);
	*arrp = NULL;
}

/* Give role to folder id, taking it from the account's other folders. */
static int
role_set(struct store *s, int64_t id, enum store_role role, struct err *err)
{
	sqlite3_stmt	*st;

	if (role != STORE_ROLE_NONE) {
		if ((st = st_prep(s, "UPDATE folders SET role = 'none' "
		    "WHERE role = ?2 AND id <> ?1 AND account_id = "
		    "(SELECT account_id FROM folders WHERE id = ?1)",
		    err)) == NULL)
			return -1;
		bind_int64(st, 1, id);
		bind_text(st, 2, store_role_name(role));
		if (st_run(s, st, err) == -1)
			return -1;
	}
	if ((st = st_prep(s, "UPDATE folders SET role = ?2 WHERE id = ?1 "
	    "AND role <> ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_text(st, 2, store_role_name(role));
	return st_run(s, st, err);
}

int
store_folder_set_role(struct store *s, int64_t id, enum store_role role,
    struct err *err)
{
	struct store_folder	*f;
	int			 rc;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((size_t)role >= NROLES) {
		err_set(err, ERR_USAGE, _("bad folder role"));
		return -1;
	}
	if (store_folder_get(s, id, &f, err) == -1)
		return -1;
	store_folder_free(&f);
	if (tx_begin(s, err) == -1)
		return -1;
	rc = role_set(s, id, role, err);
	return tx_end(s, rc, err);
}

int
store_folder_ensure(struct store *s, int64_t account_id, const char *name,
    char delim, enum store_role role, int64_t *id_r, struct err *err)
{
	sqlite3_stmt	*st;
	char		 d[2] = { delim, '\0' };
	int64_t		 id;
	int		 rc = -1;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((size_t)role >= NROLES || name == NULL || *name == '\0') {
		err_set(err, ERR_USAGE, _("bad folder name or role"));
		return -1;
	}
	if (tx_begin(s, err) == -1)
		return -1;
	st = st_prep(s, "INSERT INTO folders (account_id, name, delim) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (account_id, name) "
	    "DO UPDATE SET delim = excluded.delim", err);
	if (st == NULL)
		goto out;
	bind_int64(st, 1, account_id);
	bind_text(st, 2, name);
	bind_text(st, 3, d);
	if (st_run(s, st, err) == -1) {
		if (err_failed(err) && sqlite3_extended_errcode(s->db) ==
		    SQLITE_CONSTRAINT_FOREIGNKEY)
			st_notfound(err, "account", account_id);
		goto out;
	}
	if ((st = st_prep(s, "SELECT id FROM folders WHERE account_id = ?1 "
	    "AND name = ?2", err)) == NULL)
		goto out;
	bind_int64(st, 1, account_id);
	bind_text(st, 2, name);
	if (st_int64(s, st, &id, err) == -1)
		goto out;
	if (role != STORE_ROLE_NONE && role_set(s, id, role, err) == -1)
		goto out;
	rc = 0;
out:
	if (tx_end(s, rc, err) == -1)
		return -1;
	*id_r = id;
	return 0;
}

int
store_folder_set_sync(struct store *s, int64_t id, uint32_t uidvalidity,
    uint32_t uidnext, uint64_t highestmodseq, int64_t last_sync,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE folders SET uidvalidity = ?2, "
	    "uidnext = ?3, highestmodseq = ?4, last_sync = ?5 WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_int64(st, 2, uidvalidity);
	bind_int64(st, 3, uidnext);
	bind_int64(st, 4, (int64_t)highestmodseq);
	bind_int64(st, 5, last_sync != 0 ? last_sync : (int64_t)time(NULL));
	if (st_run(s, st, err) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return st_notfound(err, "folder", id);
	return 0;
}

int
store_folder_rename(struct store *s, int64_t id, const char *name,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if (name == NULL || *name == '\0') {
		err_set(err, ERR_USAGE, _("empty folder name"));
		return -1;
	}
	if ((st = st_prep(s, "UPDATE folders SET name = ?2, wire = NULL "
	    "WHERE id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_text(st, 2, name);
	if (st_run(s, st, err) == -1) {
		if (err_failed(err) && err->code == ERR_USAGE)
			err_set(err, ERR_USAGE, _("there is already a folder "
			    "called %s"), name);
		return -1;
	}
	if (sqlite3_changes(s->db) == 0)
		return st_notfound(err, "folder", id);
	return 0;
}

int
store_folder_set_wire(struct store *s, int64_t id, const char *wire,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	/* Written only when it changes: a sync sets it for every folder. */
	if ((st = st_prep(s, "UPDATE folders SET wire = ?2 "
	    "WHERE id = ?1 AND wire IS NOT ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_text(st, 2, wire);
	return st_run(s, st, err);
}

static int
folder_run(struct store *s, const char *sql, int64_t id, struct err *err)
{
	sqlite3_stmt	*st;

	if ((st = st_prep(s, sql, err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	return st_run(s, st, err);
}

int
store_folder_clear(struct store *s, int64_t id, struct err *err)
{
	if (tx_writable(s, err) == -1)
		return -1;
	if (tx_begin(s, err) == -1)
		return -1;
	/* Messages without a UID are not on the server yet (an offline
	 * draft waiting for its APPEND): the server cannot give them back,
	 * so they stay. */
	return tx_end(s, folder_run(s, "DELETE FROM messages "
	    "WHERE folder_id = ?1 AND uid IS NOT NULL", id, err), err);
}

int
store_folder_delete(struct store *s, int64_t id, unsigned flags,
    struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 n;
	int		 rc = -1;

	if (tx_writable(s, err) == -1 || tx_begin(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "SELECT count(*) FROM messages "
	    "WHERE folder_id = ?1", err)) == NULL)
		goto out;
	bind_int64(st, 1, id);
	if (st_int64(s, st, &n, err) == -1)
		goto out;
	if (n > 0 && !(flags & STORE_DELETE_MAIL)) {
		err_set(err, ERR_USAGE, _("folder %lld still holds %lld "
		    "messages; not deleted"), (long long)id, (long long)n);
		goto out;
	}
	if (n > 0 && folder_run(s, "DELETE FROM messages WHERE folder_id = ?1",
	    id, err) == -1)
		goto out;
	if (folder_run(s, "DELETE FROM folders WHERE id = ?1", id, err) == -1)
		goto out;
	if (sqlite3_changes(s->db) == 0) {
		st_notfound(err, "folder", id);
		goto out;
	}
	rc = 0;
out:
	return tx_end(s, rc, err);
}

int
store_folder_recount(struct store *s, int64_t id, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE folders SET "
	    "total = (SELECT count(*) FROM messages m "
	    "WHERE m.folder_id = folders.id), "
	    "unread = (SELECT count(*) FROM messages m "
	    "WHERE m.folder_id = folders.id AND (m.flags & 9) = 0), "
	    "bytes = (SELECT coalesce(sum(size), 0) FROM messages m "
	    "WHERE m.folder_id = folders.id) "
	    "WHERE ?1 = 0 OR id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	return st_run(s, st, err);
}

int
store_unified_counts(struct store *s, int64_t *total_r, int64_t *unread_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT coalesce(sum(total), 0), "
	    "coalesce(sum(unread), 0) FROM folders WHERE role = 'inbox'",
	    err)) == NULL)
		return -1;
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	*total_r = sqlite3_column_int64(st, 0);
	if (unread_r != NULL)
		*unread_r = sqlite3_column_int64(st, 1);
	st_done(st);
	return 0;
}

int
store_folder_missing_bodies(struct store *s, int64_t folder_id, int64_t since,
    size_t limit, int64_t **ids_r, size_t *n_r, struct err *err)
{
	sqlite3_stmt	*st;
	void		*ids;
	int		 rc;

	*ids_r = NULL;
	*n_r = 0;
	if ((st = st_prep(s, "SELECT id FROM messages WHERE folder_id = ?1 "
	    "AND date >= ?2 AND body_state <> 'full' "
	    "ORDER BY date DESC, id DESC LIMIT ?3", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	bind_int64(st, 2, since);
	bind_int64(st, 3, limit == 0 ? -1 : (int64_t)limit);
	rc = st_collect(s, st, sizeof **ids_r, st_fill_id, NULL, &ids, n_r,
	    err);
	*ids_r = ids;
	return rc;
}
