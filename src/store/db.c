/*
 * The SQLite plumbing every store file uses: statements prepared once per
 * connection and cached by their text, SQLite errors turned into struct
 * err codes, and nested transactions.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

/* Beyond this many distinct statements the cache starts again. */
#define STMT_CACHE_MAX	512

/*
 * The length and the first and last 32 bytes: statements differ there,
 * and one run for every message stored is not hashed whole each time.
 */
static uint32_t
hash_sql(const char *s)
{
	size_t		len = strlen(s), i;
	uint32_t	h = 2166136261u ^ (uint32_t)len;

	for (i = 0; i < len && i < 32; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	for (i = len > 64 ? len - 32 : i; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void
st_cache_clear(struct store *s)
{
	size_t	i;

	for (i = 0; i < s->nslots; i++) {
		if (s->slots[i].sql == NULL)
			continue;
		sqlite3_finalize(s->slots[i].stmt);
		free(s->slots[i].sql);
	}
	free(s->slots);
	s->slots = NULL;
	s->nslots = s->nused = 0;
}

static struct stmt_slot *
slot_find(struct stmt_slot *slots, size_t n, const char *sql, uint32_t h)
{
	size_t	i = h & (n - 1);

	while (slots[i].sql != NULL) {
		if (slots[i].hash == h && strcmp(slots[i].sql, sql) == 0)
			break;
		i = (i + 1) & (n - 1);
	}
	return &slots[i];
}

static void
cache_grow(struct store *s)
{
	struct stmt_slot	*old = s->slots;
	size_t			 oldn = s->nslots, i;

	if (s->nused >= STMT_CACHE_MAX) {
		st_cache_clear(s);
		old = NULL;
		oldn = 0;
	}
	s->nslots = oldn == 0 ? 64 : oldn * 2;
	s->slots = xcalloc(s->nslots, sizeof *s->slots);
	for (i = 0; i < oldn; i++) {
		if (old[i].sql != NULL)
			*slot_find(s->slots, s->nslots, old[i].sql,
			    old[i].hash) = old[i];
	}
	free(old);
}

/*
 * The cached statement for sql, reset with its bindings cleared.  A
 * statement is only ever used by one caller at a time: callers finish
 * (st_done) before calling anything that could prepare the same text.
 */
sqlite3_stmt *
st_prep(struct store *s, const char *sql, struct err *err)
{
	struct stmt_slot	*slot;
	sqlite3_stmt		*st;
	uint32_t		 h = hash_sql(sql);
	int			 rc;

	if (s->nslots == 0 || (s->nused + 1) * 4 > s->nslots * 3)
		cache_grow(s);
	slot = slot_find(s->slots, s->nslots, sql, h);
	if (slot->sql != NULL) {
		sqlite3_reset(slot->stmt);
		sqlite3_clear_bindings(slot->stmt);
		return slot->stmt;
	}
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		st_fail(s, rc, err);
		return NULL;
	}
	slot->sql = xstrdup(sql);
	slot->hash = h;
	slot->stmt = st;
	s->nused++;
	return st;
}

/*
 * The errno behind SQLite's last I/O error.  sqlite3_system_errno() is
 * often 0 by the time we ask (later system calls reset errno), but each
 * open file keeps the errno of its own last failure: the database's and
 * the log's.
 */
static int
last_errno(struct store *s)
{
	sqlite3_file	*jf = NULL;
	int		 e = 0;

	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
	    &jf) == SQLITE_OK && jf != NULL && jf->pMethods != NULL &&
	    jf->pMethods->xFileControl(jf, SQLITE_FCNTL_LAST_ERRNO,
	    &e) != SQLITE_OK)
		e = 0;
	if (e == 0 && sqlite3_file_control(s->db, "main",
	    SQLITE_FCNTL_LAST_ERRNO, &e) != SQLITE_OK)
		e = 0;
	return e != 0 ? e : sqlite3_system_errno(s->db);
}

/* Map an SQLite result to an error code with SQLite's message. */
int
st_fail(struct store *s, int rc, struct err *err)
{
	enum err_code	code;
	const char	*msg = sqlite3_errmsg(s->db);
	int		 sys;

	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		code = ERR_USAGE;
		break;
	case SQLITE_FULL:
		code = ERR_DISKFULL;
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = ERR_LOCKED;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		code = ERR_CORRUPT;
		break;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		code = ERR_IO;
		break;
	case SQLITE_NOMEM:
		abort();	/* like xmalloc: out of memory is fatal */
	default:
		code = ERR_STORE;
		break;
	}
	/*
	 * SQLite says "disk I/O error" for a write that failed with EFBIG
	 * (a file size limit) or EDQUOT: for the user that is a full disk,
	 * and the system's words say which.
	 */
	sys = (rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ?
	    last_errno(s) : 0;
	if (code == ERR_IO && (sys == ENOSPC || sys == EFBIG ||
	    sys == EDQUOT))
		code = ERR_DISKFULL;
	if (code == ERR_DISKFULL)
		err_set(err, code, _("%s: cannot write: %s; make room and "
		    "try again"), s->path,
		    strerror(sys != 0 ? sys : ENOSPC));
	else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		err_set(err, code, _("%s: database is damaged: %s"), s->path,
		    msg);
	else if (code == ERR_IO && sys != 0)
		err_set(err, code, "%s: %s (%s)", s->path, msg, strerror(sys));
	else
		err_set(err, code, "%s: %s", s->path, msg);
	return -1;
}

int
st_notfound(struct err *err, const char *what, int64_t id)
{
	err_set(err, ERR_NOTFOUND, _("no %s with id %lld"), what,
	    (long long)id);
	return -1;
}

int
st_step(struct store *s, sqlite3_stmt *st, struct err *err)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	st_fail(s, sqlite3_extended_errcode(s->db), err);
	sqlite3_reset(st);
	return -1;
}

int
st_run(struct store *s, sqlite3_stmt *st, struct err *err)
{
	int	rc;

	while ((rc = st_step(s, st, err)) == SQLITE_ROW)
		;
	if (rc == -1)
		return -1;
	sqlite3_reset(st);
	return 0;
}

int
st_exec(struct store *s, const char *sql, struct err *err)
{
	sqlite3_stmt	*st;

	if ((st = st_prep(s, sql, err)) == NULL)
		return -1;
	return st_run(s, st, err);
}

int
st_int64(struct store *s, sqlite3_stmt *st, int64_t *v_r, struct err *err)
{
	int	rc;

	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		err_set(err, ERR_NOTFOUND, _("not found"));
		return -1;
	}
	*v_r = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

void
st_done(sqlite3_stmt *st)
{
	if (st != NULL)
		sqlite3_reset(st);
}

void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

void
bind_textn(sqlite3_stmt *st, int i, const char *v, size_t n)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text64(st, i, v, n, SQLITE_TRANSIENT,
		    SQLITE_UTF8);
}

void
bind_blob(sqlite3_stmt *st, int i, const void *v, size_t n)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_blob64(st, i, v, n, SQLITE_TRANSIENT);
}

void
bind_int64(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

char *
col_strdup_len(sqlite3_stmt *st, int i, size_t *len_r)
{
	const char	*v;
	size_t		 n;

	if (sqlite3_column_type(st, i) == SQLITE_NULL) {
		if (len_r != NULL)
			*len_r = 0;
		return NULL;
	}
	v = (const char *)sqlite3_column_text(st, i);
	n = (size_t)sqlite3_column_bytes(st, i);
	if (len_r != NULL)
		*len_r = n;
	if (v == NULL)
		return xstrdup("");
	return xstrndup(v, n);
}

char *
col_strdup(sqlite3_stmt *st, int i)
{
	return col_strdup_len(st, i, NULL);
}

int
enum_parse(const char *const *names, size_t n, const char *v)
{
	size_t	i;

	if (v == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], v) == 0)
			return (int)i;
	}
	return 0;
}

int
tx_writable(struct store *s, struct err *err)
{
	if (!s->readonly)
		return 0;
	err_set(err, ERR_USAGE, _("%s: the store was opened read-only"),
	    s->path);
	return -1;
}

/*
 * SQLite rolls a whole transaction back by itself after some errors
 * (disk full, I/O); our depth counter must then follow.
 */
static bool
tx_aborted(struct store *s)
{
	return s->depth > 0 && sqlite3_get_autocommit(s->db);
}

int
store_begin(struct store *s, struct err *err)
{
	if (tx_writable(s, err) == -1)
		return -1;
	if (tx_aborted(s)) {
		err_set(err, ERR_STORE, _("%s: the transaction was aborted "
		    "after an error; roll it back first"), s->path);
		return -1;
	}
	if (st_exec(s, s->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT sp",
	    err) == -1)
		return -1;
	s->depth++;
	return 0;
}

int
store_commit(struct store *s, struct err *err)
{
	if (s->depth == 0) {
		err_set(err, ERR_INTERNAL, _("commit without a transaction"));
		return -1;
	}
	if (tx_aborted(s)) {
		s->depth--;
		err_set(err, ERR_STORE, _("%s: the transaction was aborted "
		    "after an error"), s->path);
		return -1;
	}
	if (s->poisoned != 0 && s->poisoned >= s->depth) {
		store_rollback(s);
		err_set(err, ERR_STORE, _("%s: the transaction was rolled "
		    "back: a change in it failed halfway"), s->path);
		return -1;
	}
	if (s->depth > 1) {
		if (st_exec(s, "RELEASE sp", err) == -1)
			return -1;
		s->depth--;
		return 0;
	}
	if (fts_flush(s, err) == -1 || st_exec(s, "COMMIT", err) == -1) {
		/* Nothing of it was written: say so and end it. */
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->depth = 0;
		return -1;
	}
	s->depth = 0;
	return 0;
}

void
store_rollback(struct store *s)
{
	if (s->depth == 0)
		return;
	/* Undoing this level undoes any half-done writes in it. */
	if (s->poisoned >= s->depth)
		s->poisoned = 0;
	if (!sqlite3_get_autocommit(s->db)) {
		if (s->depth > 1)
			sqlite3_exec(s->db, "ROLLBACK TO sp; RELEASE sp",
			    NULL, NULL, NULL);
		else
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	s->depth--;
}

int
store_commit_durable(struct store *s, struct err *err)
{
	sqlite3_file	*jf;
	int		 rc;

	if (s->depth > 1) {
		err_set(err, ERR_INTERNAL, _("a durable commit must end the "
		    "outermost transaction"));
		return -1;
	}
	if (s->depth == 1 && (rc = store_commit(s, err)) == -1)
		return -1;
	/*
	 * With synchronous=NORMAL a WAL commit is not synced, and the level
	 * cannot change inside a transaction: sync the log file ourselves,
	 * now that the commit is in it.
	 */
	jf = NULL;
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
	    &jf) != SQLITE_OK || jf == NULL || jf->pMethods == NULL)
		return 0;	/* no log open: nothing unsynced */
	if ((rc = jf->pMethods->xSync(jf, SQLITE_SYNC_NORMAL)) != SQLITE_OK) {
		err_set(err, ERR_IO, _("%s: cannot sync the log: error %d"),
		    s->path, rc);
		return -1;
	}
	return 0;
}

int
store_in_transaction(const struct store *s)
{
	return s->depth;
}

int
tx_begin(struct store *s, struct err *err)
{
	return store_begin(s, err);
}

int
st_collect(struct store *s, sqlite3_stmt *st, size_t elem,
    void (*fill)(sqlite3_stmt *, void *), void (*clear)(void *),
    void **arr_r, size_t *n_r, struct err *err)
{
	char	*arr = NULL;
	size_t	 n = 0, cap = 0;
	int	 rc;

	*arr_r = NULL;
	*n_r = 0;
	while ((rc = st_step(s, st, err)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			arr = xreallocarray(arr, cap, elem);
		}
		memset(arr + n * elem, 0, elem);
		fill(st, arr + n * elem);
		n++;
	}
	if (rc == -1) {
		st_list_free((void **)&arr, n, elem, clear);
		return -1;
	}
	st_done(st);
	*arr_r = arr;
	*n_r = n;
	return 0;
}

void
st_list_free(void **arrp, size_t n, size_t elem, void (*clear)(void *))
{
	char	*arr = *arrp;
	size_t	 i;

	if (arr == NULL)
		return;
	for (i = 0; clear != NULL && i < n; i++)
		clear(arr + i * elem);
	free(arr);
	*arrp = NULL;
}

void
st_fill_id(sqlite3_stmt *st, void *id)
{
	*(int64_t *)id = sqlite3_column_int64(st, 0);
}

int
store_begin_light(struct store *s, bool *light_r, struct err *err)
{
	*light_r = s->depth > 0;
	if (!*light_r)
		return store_begin(s, err);
	return tx_writable(s, err);
}

int
store_end_light(struct store *s, bool light, int rc, struct err *err)
{
	if (!light)
		return tx_end(s, rc, err);
	if (rc != 0 && (s->poisoned == 0 || s->poisoned > s->depth))
		s->poisoned = s->depth;
	return rc == 0 ? 0 : -1;
}

int
tx_end(struct store *s, int rc, struct err *err)
{
	if (rc == 0)
		return store_commit(s, err);
	store_rollback(s);
	return -1;
}

uint64_t
store_change_counter(struct store *s)
{
	sqlite3_stmt	*st;
	uint64_t	 v = 0;

	/* data_version moves on other connections' commits, total_changes
	 * on ours: their sum moves on both. */
	st = st_prep(s, "PRAGMA data_version", NULL);
	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		v = (uint64_t)sqlite3_column_int64(st, 0);
	st_done(st);
	return v + (uint64_t)sqlite3_total_changes(s->db);
}
