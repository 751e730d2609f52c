/*
 * Opening the store: the data directory, the lock, the file with safe
 * modes, checks that refuse a damaged or foreign file without touching
 * it, connection settings, and migrations.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* "SRAT": marks the file as ours in its header. */
#define STORE_APPLICATION_ID	0x53524154
/*
 * Below this size quick_check is cheap enough (a few ms) to run on every
 * open.  It reads the whole file: at 1.3 MB it already took 20-40 ms, as
 * much as a whole sync with nothing new, and at 20 MB 140-250 ms.  Bigger
 * stores are checked after an unclean close; damage elsewhere is still
 * reported (ERR_CORRUPT) when a statement meets it, and nothing is ever
 * rewritten to "fix" it.
 */
#define STORE_CHECK_SIZE_MAX	(256LL * 1024)

/* mkdir -p, new directories 0700. */
static int
make_dir(const char *dir, struct err *err)
{
	struct stat	 sb;
	char		*p, *q;
	int		 rc = 0;

	if (stat(dir, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return 0;
		err_set(err, ERR_IO, _("%s: not a directory"), dir);
		return -1;
	}
	p = xstrdup(dir);
	for (q = p + 1; ; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char c = *q;
		*q = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			err_set(err, ERR_IO, _("%s: cannot create directory: "
			    "%s"), p, strerror(errno));
			rc = -1;
			break;
		}
		*q = c;
		if (c == '\0')
			break;
	}
	free(p);
	if (rc == 0 && (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode))) {
		err_set(err, ERR_IO, _("%s: not a directory"), dir);
		rc = -1;
	}
	return rc;
}

/*
 * Create the database file ourselves so its mode is 0600 whatever the
 * umask; SQLite then gives the -wal and -shm files the same mode.
 */
static int
make_db_file(const char *path, struct err *err)
{
	int	fd;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1) {
		err_set(err, errno == EEXIST ? ERR_EXISTS : ERR_IO,
		    _("%s: cannot create: %s"), path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) == -1) {
		err_set(err, ERR_IO, _("%s: cannot set mode: %s"), path,
		    strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

static int	connect_db(struct store *, struct err *);
static int	setup_connection(struct store *, struct err *);

/* fsync a file or a directory, so a rename that follows is durable. */
static int
sync_path(const char *path, int flags, struct err *err)
{
	int	fd, rc;

	if ((fd = open(path, flags | O_CLOEXEC)) == -1)
		rc = -1;
	else {
		rc = fsync(fd);
		close(fd);
	}
	if (rc == -1)
		err_set(err, ERR_IO, _("%s: cannot sync: %s"), path,
		    strerror(errno));
	return rc;
}

/* What a killed creation may have left: ours, since we hold the lock. */
static void
remove_leftovers(const char *tmp)
{
	static const char *const sfx[] = { "", "-journal", "-wal", "-shm" };
	size_t	i;
	char	*p;

	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		p = xasprintf("%s%s", tmp, sfx[i]);
		unlink(p);
		free(p);
	}
}

/*
 * A new store is built whole under a temporary name (schema and version
 * in one transaction) and only then renamed into place: a process killed
 * while creating it leaves no surat.db at all, never an empty or partly
 * made one that a later start would take for an old store.
 */
static int
create_store(struct store *s, struct err *err)
{
	struct store	 t;
	int		 rc;

	memset(&t, 0, sizeof t);
	t.dir = s->dir;
	t.path = xasprintf("%s.new", s->path);
	remove_leftovers(t.path);
	rc = make_db_file(t.path, err);
	if (rc == 0) {
		schema_crash_point("create-file");
		rc = connect_db(&t, err);
	}
	if (rc == 0)
		rc = setup_connection(&t, err);
	if (rc == 0)
		rc = schema_migrate(&t, err);
	st_cache_clear(&t);
	if (t.db != NULL && sqlite3_close(t.db) != SQLITE_OK && rc == 0) {
		err_set(err, ERR_IO, _("%s: cannot close: %s"), t.path,
		    sqlite3_errmsg(t.db));
		rc = -1;
	}
	if (rc == 0)
		rc = sync_path(t.path, O_RDONLY, err);
	schema_crash_point("create-rename");
	if (rc == 0 && rename(t.path, s->path) == -1) {
		err_set(err, ERR_IO, _("%s: cannot rename to %s: %s"), t.path,
		    s->path, strerror(errno));
		rc = -1;
	}
	if (rc == 0)
		rc = sync_path(s->dir, O_RDONLY | O_DIRECTORY, err);
	else
		remove_leftovers(t.path);
	free(t.path);
	return rc;
}

static int
pragma_int(struct store *s, const char *sql, int64_t *v_r, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, sql, err)) == NULL)
		return -1;
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	*v_r = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	st_done(st);
	return 0;
}

/*
 * The first real line of quick_check's report, on one line: enough to
 * show the damage is real without flooding an error line.
 */
static void
check_detail(const char *v, char *out, size_t outsz)
{
	const char	*p = v != NULL ? v : "?";
	size_t		 n;

	if (strncmp(p, "*** ", 4) == 0 && strchr(p, '\n') != NULL)
		p = strchr(p, '\n') + 1;
	n = strcspn(p, "\r\n");
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/*
 * Is this our database, readable and whole?  Only reads: a damaged file
 * must reach the user exactly as it is.
 */
static int
check_file(struct store *s, bool full, struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 appid, tables;
	int		 rc;

	if (pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables,
	    err) == -1 ||
	    pragma_int(s, "PRAGMA application_id", &appid, err) == -1)
		goto corrupt;
	if (appid != STORE_APPLICATION_ID && (appid != 0 || tables != 0)) {
		err_set(err, ERR_CORRUPT, _("%s: not a surat store (another "
		    "program's database?); it was left untouched"), s->path);
		return -1;
	}
	if (!full)
		return 0;
	if ((st = st_prep(s, "PRAGMA quick_check", err)) == NULL)
		goto corrupt;
	rc = st_step(s, st, err);
	if (rc == -1)
		goto corrupt;
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		if (v == NULL || strcmp(v, "ok") != 0) {
			char	detail[160];

			check_detail(v, detail, sizeof detail);
			err_set(err, ERR_CORRUPT, _("%s: the database is "
			    "damaged and was left untouched; keep a copy and "
			    "try the sqlite3 \".recover\" command (%s)"),
			    s->path, detail);
			st_done(st);
			return -1;
		}
	}
	st_done(st);
	return 0;
corrupt:
	if (err != NULL && (err->code == ERR_CORRUPT || err->code == ERR_IO))
		err_prefix(err, "%s", _("cannot read the store, left "
		    "untouched: "));
	return -1;
}

static int
setup_connection(struct store *s, struct err *err)
{
	if (st_exec(s, "PRAGMA foreign_keys = ON", err) == -1 ||
	    st_exec(s, "PRAGMA recursive_triggers = OFF", err) == -1 ||
	    st_exec(s, "PRAGMA temp_store = MEMORY", err) == -1 ||
	    st_exec(s, "PRAGMA cache_size = -16000", err) == -1)
		return -1;
	if (s->readonly)
		return 0;
	/*
	 * A checkpoint copies every page of the log into the database and
	 * syncs it.  At the default 1,000 pages a sync of a big folder
	 * checkpointed after nearly every batch, copying the same index
	 * pages again each time; 8,192 pages (32 MB) copies each once per
	 * many batches.  The log is cut back to that size afterwards.
	 */
	if (st_exec(s, "PRAGMA wal_autocheckpoint = 8192", err) == -1 ||
	    st_exec(s, "PRAGMA journal_size_limit = 33554432", err) == -1)
		return -1;
	return st_exec(s, "PRAGMA synchronous = NORMAL", err);
}

static int
connect_db(struct store *s, struct err *err)
{
	int	flags, rc;

	flags = SQLITE_OPEN_NOMUTEX | (s->readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE);
	rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		if (s->db == NULL)
			abort();
		st_fail(s, rc, err);
		return -1;
	}
	/*
	 * Before the first read: a reader that meets a writer resetting
	 * its log waits a moment instead of failing with "database is
	 * locked" (surat list during a sync did, now and then).
	 */
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	return 0;
}

static int
set_wal(struct store *s, struct err *err)
{
	sqlite3_stmt	*st;
	int		 ok;

	if ((st = st_prep(s, "PRAGMA journal_mode = WAL", err)) == NULL)
		return -1;
	if (st_step(s, st, err) == -1)
		return -1;
	ok = sqlite3_column_text(st, 0) != NULL &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	st_done(st);
	if (!ok) {
		err_set(err, ERR_IO, _("%s: cannot use write-ahead logging"),
		    s->path);
		return -1;
	}
	return 0;
}

static bool
want_check(const char *path, unsigned flags, bool unclean)
{
	struct stat	sb;

	if (flags & STORE_OPEN_NOCHECK)
		return false;
	if ((flags & STORE_OPEN_CHECK) || unclean)
		return true;
	return stat(path, &sb) == 0 && sb.st_size <= STORE_CHECK_SIZE_MAX;
}

/* A dead process cannot know whether its message went out. */
static int
recover_outbox(struct store *s, struct err *err)
{
	return st_exec(s, "UPDATE outbox SET state = 'check', "
	    "last_error = 'interrupted while sending' "
	    "WHERE state = 'sending'", err);
}

static int
open_writable(struct store *s, unsigned flags, const char *who,
    struct err *err)
{
	bool	unclean, created;

	if (make_dir(s->dir, err) == -1)
		return -1;
	if (access(s->dir, W_OK | X_OK) == -1) {
		err_set(err, ERR_IO, _("%s: cannot write in the data "
		    "directory: %s"), s->dir, strerror(errno));
		return -1;
	}
	if (lock_acquire(s->dir, who, &s->lock, &unclean, err) == -1)
		return -1;
	created = access(s->path, F_OK) == -1 && errno == ENOENT;
	if (created && create_store(s, err) == -1)
		return -1;
	if (connect_db(s, err) == -1)
		return -1;
	if (check_file(s, !created && want_check(s->path, flags, unclean),
	    err) == -1)
		return -1;
	/* Switching to WAL rewrites the header: refuse a newer file first. */
	if (schema_refuse_newer(s, err) == -1 || set_wal(s, err) == -1 ||
	    setup_connection(s, err) == -1)
		return -1;
	if (schema_migrate(s, err) == -1)
		return -1;
	return recover_outbox(s, err);
}

static int
open_readonly(struct store *s, unsigned flags, struct err *err)
{
	if (access(s->path, R_OK) == -1) {
		err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
		    "%s: %s", s->path, strerror(errno));
		return -1;
	}
	if (connect_db(s, err) == -1)
		return -1;
	if (check_file(s, want_check(s->path, flags, false), err) == -1)
		return -1;
	if (setup_connection(s, err) == -1)
		return -1;
	return schema_check_version(s, err);
}

/* store_open() flag of our own: the log was recovered, do not loop. */
#define OPEN_LOG_RECOVERED	0x100

/*
 * SQLite cannot open a log left by a killed writer on a read-only
 * connection: rebuilding its index needs write access.
 */
static bool
needs_log_recovery(const struct store *s)
{
	return s->readonly && s->db != NULL &&
	    (sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_READONLY;
}

/* A writable open recovers the log (it fails if a writer is running). */
static int
recover_log(const char *data_dir, const char *who, struct err *err)
{
	struct store	*s;

	if (store_open(data_dir, 0, who, &s, err) == -1)
		return -1;
	store_close(&s);
	return 0;
}

int
store_open(const char *data_dir, unsigned flags, const char *who,
    struct store **store_r, struct err *err)
{
	struct store	*s;
	int		 rc;

	*store_r = NULL;
	if (data_dir == NULL || *data_dir == '\0') {
		err_set(err, ERR_USAGE, _("no data directory"));
		return -1;
	}
	s = xcalloc(1, sizeof *s);
	s->dir = xstrdup(data_dir);
	s->path = xasprintf("%s/%s", data_dir, STORE_DB_NAME);
	s->readonly = (flags & STORE_OPEN_READONLY) != 0;
	if (s->readonly)
		rc = open_readonly(s, flags, err);
	else
		rc = open_writable(s, flags, who, err);
	if (rc == -1 && needs_log_recovery(s) &&
	    !(flags & OPEN_LOG_RECOVERED)) {
		store_close(&s);
		err_clear(err);
		if (recover_log(data_dir, who, err) == -1)
			return -1;
		return store_open(data_dir, flags | OPEN_LOG_RECOVERED, who,
		    store_r, err);
	}
	if (rc == -1) {
		store_close(&s);
		return -1;
	}
	*store_r = s;
	return 0;
}

int
store_open_more(struct store *orig, struct store **store_r, struct err *err)
{
	struct store	*s;

	*store_r = NULL;
	s = xcalloc(1, sizeof *s);
	s->dir = xstrdup(orig->dir);
	s->path = xstrdup(orig->path);
	s->readonly = orig->readonly;
	if (orig->lock != NULL) {
		lock_ref(orig->lock);
		s->lock = orig->lock;
	}
	if (connect_db(s, err) == -1 || setup_connection(s, err) == -1) {
		store_close(&s);
		return -1;
	}
	*store_r = s;
	return 0;
}

void
store_close(struct store **sp)
{
	struct store	*s = *sp;

	if (s == NULL)
		return;
	*sp = NULL;
	while (s->depth > 0)
		store_rollback(s);
	st_cache_clear(s);
	if (s->db != NULL)
		sqlite3_close_v2(s->db);
	lock_release(&s->lock);
	free(s->dir);
	free(s->path);
	free(s);
}

bool
store_readonly(const struct store *s)
{
	return s->readonly;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}
