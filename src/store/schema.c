/*
 * The schema and its migrations.  PRAGMA user_version is the version of
 * the file; each step below moves it up by one, in its own transaction,
 * and is recorded in the migrations table.  Steps only ever add or
 * reshape: none may drop mail.  A file newer than this program is
 * refused rather than guessed at.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

/*
 * Version 1.  Notes on choices:
 * - Enumerations are stored as text with CHECK constraints, so the file
 *   reads well in sqlite3 and does not depend on C enum order.
 * - messages holds what the index shows; the raw header block and the
 *   BODYSTRUCTURE live in message_meta so index pages stay dense.
 * - The index sorts have an index each, ending implicitly in the rowid
 *   (the tie-breaker), for keyset paging without OFFSET or sorting.
 *   The unified inbox paged over partial indexes on is_inbox (until
 *   version 6: now a merge of the inboxes' own indexes).
 * - Folder counts are kept by triggers, so no code path can forget them.
 * - The search table is a plain FTS5 table: it keeps the body text it
 *   indexes (which exists nowhere else), so rows can be deleted and
 *   updated without the caller replaying the old text.
 * - Raw messages are stored in chunks (body_chunks) so writing or reading
 *   a 50 MB message never needs it whole in memory.
 * - Rows a server operation or a POP3 UIDL points to may go away locally:
 *   those references are ON DELETE SET NULL, never a cascade into them.
 */
static const char schema_v1[] =
"CREATE TABLE migrations ("
"	version INTEGER PRIMARY KEY,"
"	applied_at INTEGER NOT NULL"
");"
"CREATE TABLE accounts ("
"	id INTEGER PRIMARY KEY,"
"	name TEXT NOT NULL UNIQUE,"
"	kind TEXT NOT NULL CHECK (kind IN ('imap', 'pop3', 'local')),"
"	quota_used INTEGER,"
"	quota_limit INTEGER,"
"	created INTEGER NOT NULL"
");"
"CREATE TABLE folders ("
"	id INTEGER PRIMARY KEY,"
"	account_id INTEGER NOT NULL REFERENCES accounts(id),"
"	name TEXT NOT NULL,"
"	delim TEXT NOT NULL DEFAULT '',"
"	role TEXT NOT NULL DEFAULT 'none' CHECK (role IN ('none', 'inbox',"
"	    'sent', 'drafts', 'trash', 'junk', 'archive')),"
"	uidvalidity INTEGER NOT NULL DEFAULT 0,"
"	uidnext INTEGER NOT NULL DEFAULT 0,"
"	highestmodseq INTEGER NOT NULL DEFAULT 0,"
"	total INTEGER NOT NULL DEFAULT 0,"
"	unread INTEGER NOT NULL DEFAULT 0,"
"	last_sync INTEGER NOT NULL DEFAULT 0,"
"	UNIQUE (account_id, name)"
");"
"CREATE UNIQUE INDEX folders_role ON folders(account_id, role)"
"    WHERE role <> 'none';"
"CREATE TABLE threads ("
"	id INTEGER PRIMARY KEY,"
"	root_date INTEGER NOT NULL"
");"
"CREATE TABLE thread_ids ("
"	message_id TEXT PRIMARY KEY,"
"	thread_id INTEGER NOT NULL"
") WITHOUT ROWID;"
"CREATE INDEX thread_ids_thread ON thread_ids(thread_id);"
"CREATE TABLE messages ("
"	id INTEGER PRIMARY KEY,"
"	folder_id INTEGER NOT NULL REFERENCES folders(id),"
"	uid INTEGER,"
"	uidl TEXT,"
"	is_inbox INTEGER NOT NULL DEFAULT 0,"
"	date INTEGER NOT NULL DEFAULT 0,"
"	flags INTEGER NOT NULL DEFAULT 0,"
"	size INTEGER NOT NULL DEFAULT 0,"
"	has_attachments INTEGER NOT NULL DEFAULT 0,"
"	body_state TEXT NOT NULL DEFAULT 'none'"
"	    CHECK (body_state IN ('none', 'partial', 'full')),"
"	thread_id INTEGER NOT NULL,"
"	thread_date INTEGER NOT NULL,"
"	depth INTEGER NOT NULL DEFAULT 0,"
"	sort_from TEXT NOT NULL DEFAULT '',"
"	sort_subject TEXT NOT NULL DEFAULT '',"
"	from_name TEXT,"
"	from_addr TEXT,"
"	to_text TEXT,"
"	cc_text TEXT,"
"	subject TEXT,"
"	keywords TEXT,"
"	message_id TEXT,"
"	in_reply_to TEXT,"
"	refs TEXT,"
"	date_raw TEXT,"
"	internal_date INTEGER NOT NULL DEFAULT 0,"
"	created INTEGER NOT NULL,"
"	UNIQUE (folder_id, uid),"
"	UNIQUE (folder_id, uidl)"
");"
"CREATE INDEX messages_date ON messages(folder_id, date);"
"CREATE INDEX messages_from ON messages(folder_id, sort_from, date);"
"CREATE INDEX messages_subject ON messages(folder_id, sort_subject, date);"
"CREATE INDEX messages_size ON messages(folder_id, size);"
"CREATE INDEX messages_thread_asc ON messages(folder_id, thread_date,"
"    thread_id, date);"
"CREATE INDEX messages_thread_desc ON messages(folder_id,"
"    thread_date DESC, thread_id DESC, date);"
"CREATE INDEX messages_inbox_date ON messages(date) WHERE is_inbox = 1;"
"CREATE INDEX messages_inbox_thread_asc ON messages(thread_date,"
"    thread_id, date) WHERE is_inbox = 1;"
"CREATE INDEX messages_inbox_thread_desc ON messages(thread_date DESC,"
"    thread_id DESC, date) WHERE is_inbox = 1;"
"CREATE INDEX messages_thread ON messages(thread_id);"
"CREATE INDEX messages_msgid ON messages(message_id)"
"    WHERE message_id IS NOT NULL;"
"CREATE TABLE message_meta ("
"	msg INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,"
"	headers BLOB,"
"	bodystructure TEXT"
");"
"CREATE TABLE body_chunks ("
"	msg INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
"	seq INTEGER NOT NULL,"
"	data BLOB NOT NULL,"
"	PRIMARY KEY (msg, seq)"
");"
"CREATE TABLE parts ("
"	msg INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
"	section TEXT NOT NULL,"
"	data BLOB NOT NULL,"
"	PRIMARY KEY (msg, section)"
");"
"CREATE VIRTUAL TABLE fts USING fts5(subject, sender, recipients, body,"
"    tokenize = 'unicode61 remove_diacritics 2');"
"CREATE TABLE pending_ops ("
"	id INTEGER PRIMARY KEY,"
"	account_id INTEGER NOT NULL REFERENCES accounts(id)"
"	    ON DELETE CASCADE,"
"	op TEXT NOT NULL CHECK (op IN ('flag', 'unflag', 'move', 'copy',"
"	    'delete', 'expunge', 'append')),"
"	msg INTEGER REFERENCES messages(id) ON DELETE SET NULL,"
"	folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,"
"	uid INTEGER,"
"	target_folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,"
"	flags INTEGER NOT NULL DEFAULT 0,"
"	args TEXT,"
"	state TEXT NOT NULL DEFAULT 'queued'"
"	    CHECK (state IN ('queued', 'failed')),"
"	attempts INTEGER NOT NULL DEFAULT 0,"
"	last_error TEXT,"
"	created INTEGER NOT NULL"
");"
"CREATE INDEX pending_ops_account ON pending_ops(account_id, state);"
"CREATE INDEX pending_ops_msg ON pending_ops(msg) WHERE msg IS NOT NULL;"
"CREATE INDEX pending_ops_folder ON pending_ops(folder_id);"
"CREATE INDEX pending_ops_target ON pending_ops(target_folder_id);"
"CREATE TABLE outbox ("
"	id INTEGER PRIMARY KEY,"
"	account_id INTEGER NOT NULL REFERENCES accounts(id),"
"	env_from TEXT NOT NULL,"
"	rcpts TEXT NOT NULL,"
"	rcpt_count INTEGER NOT NULL,"
"	raw BLOB NOT NULL,"
"	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued',"
"	    'sending', 'sent', 'failed', 'check')),"
"	attempts INTEGER NOT NULL DEFAULT 0,"
"	next_attempt_at INTEGER NOT NULL,"
"	last_error TEXT,"
"	created INTEGER NOT NULL,"
"	sent_at INTEGER"
");"
"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
"CREATE INDEX outbox_sent ON outbox(account_id, sent_at)"
"    WHERE sent_at IS NOT NULL;"
"CREATE TABLE pop3_uidls ("
"	account_id INTEGER NOT NULL REFERENCES accounts(id)"
"	    ON DELETE CASCADE,"
"	uidl TEXT NOT NULL,"
"	state TEXT NOT NULL DEFAULT 'downloaded'"
"	    CHECK (state IN ('downloaded', 'deleted_on_server')),"
"	first_seen INTEGER NOT NULL,"
"	msg INTEGER REFERENCES messages(id) ON DELETE SET NULL,"
"	PRIMARY KEY (account_id, uidl)"
");"
"CREATE INDEX pop3_uidls_msg ON pop3_uidls(msg) WHERE msg IS NOT NULL;"
"CREATE TABLE addresses ("
"	address TEXT PRIMARY KEY COLLATE NOCASE,"
"	name TEXT,"
"	use_count INTEGER NOT NULL DEFAULT 0,"
"	last_used INTEGER NOT NULL DEFAULT 0"
");"
"CREATE INDEX addresses_use ON addresses(use_count DESC, last_used DESC);"
/* Folder counts: unread means neither \\Seen (1) nor \\Deleted (8). */
"CREATE TRIGGER messages_count_ins AFTER INSERT ON messages BEGIN"
"	UPDATE folders SET total = total + 1,"
"	    unread = unread + ((new.flags & 9) = 0) WHERE id = new.folder_id;"
"END;"
"CREATE TRIGGER messages_count_del AFTER DELETE ON messages BEGIN"
"	UPDATE folders SET total = total - 1,"
"	    unread = unread - ((old.flags & 9) = 0) WHERE id = old.folder_id;"
"END;"
"CREATE TRIGGER messages_count_upd AFTER UPDATE OF flags, folder_id"
"    ON messages WHEN old.folder_id <> new.folder_id"
"    OR ((old.flags & 9) = 0) <> ((new.flags & 9) = 0) BEGIN"
"	UPDATE folders SET total = total - 1,"
"	    unread = unread - ((old.flags & 9) = 0) WHERE id = old.folder_id;"
"	UPDATE folders SET total = total + 1,"
"	    unread = unread + ((new.flags & 9) = 0) WHERE id = new.folder_id;"
"END;"
"CREATE TRIGGER folders_role_upd AFTER UPDATE OF role ON folders"
"    WHEN (old.role = 'inbox') <> (new.role = 'inbox') BEGIN"
"	UPDATE messages SET is_inbox = (new.role = 'inbox')"
"	    WHERE folder_id = new.id;"
"END;"
/* The search entry lives and dies with the message. */
"CREATE TRIGGER messages_fts_ins AFTER INSERT ON messages BEGIN"
"	INSERT INTO fts(rowid, subject, sender, recipients, body)"
"	VALUES (new.id, coalesce(new.subject, ''),"
"	    coalesce(new.from_name, '') || ' ' || coalesce(new.from_addr, ''),"
"	    coalesce(new.to_text, '') || ' ' || coalesce(new.cc_text, ''),"
"	    '');"
"END;"
"CREATE TRIGGER messages_fts_del AFTER DELETE ON messages BEGIN"
"	DELETE FROM fts WHERE rowid = old.id;"
"END;"
"PRAGMA application_id = 1397899604;";

/*
 * Version 2:
 * - folders.bytes, the size of a folder's mail ("surat folders" shows
 *   it), kept by the count triggers, which now also follow size changes;
 * - an index on in_reply_to, so a parent arriving after its replies
 *   finds them (thread depths are fixed at insert time);
 * - partial indexes for the unified inbox in the from, subject and size
 *   sorts, which walked the whole table before.
 */
static const char schema_v2[] =
"ALTER TABLE folders ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;"
"UPDATE folders SET bytes = (SELECT coalesce(sum(size), 0) FROM messages m"
"    WHERE m.folder_id = folders.id);"
"CREATE INDEX messages_irt ON messages(in_reply_to)"
"    WHERE in_reply_to IS NOT NULL;"
"CREATE INDEX messages_inbox_from ON messages(sort_from, date)"
"    WHERE is_inbox = 1;"
"CREATE INDEX messages_inbox_subject ON messages(sort_subject, date)"
"    WHERE is_inbox = 1;"
"CREATE INDEX messages_inbox_size ON messages(size) WHERE is_inbox = 1;"
"DROP TRIGGER messages_count_ins;"
"DROP TRIGGER messages_count_del;"
"DROP TRIGGER messages_count_upd;"
"CREATE TRIGGER messages_count_ins AFTER INSERT ON messages BEGIN"
"	UPDATE folders SET total = total + 1,"
"	    unread = unread + ((new.flags & 9) = 0),"
"	    bytes = bytes + new.size WHERE id = new.folder_id;"
"END;"
"CREATE TRIGGER messages_count_del AFTER DELETE ON messages BEGIN"
"	UPDATE folders SET total = total - 1,"
"	    unread = unread - ((old.flags & 9) = 0),"
"	    bytes = bytes - old.size WHERE id = old.folder_id;"
"END;"
"CREATE TRIGGER messages_count_upd AFTER UPDATE OF flags, folder_id, size"
"    ON messages WHEN old.folder_id <> new.folder_id"
"    OR ((old.flags & 9) = 0) <> ((new.flags & 9) = 0)"
"    OR old.size <> new.size BEGIN"
"	UPDATE folders SET total = total - 1,"
"	    unread = unread - ((old.flags & 9) = 0),"
"	    bytes = bytes - old.size WHERE id = old.folder_id;"
"	UPDATE folders SET total = total + 1,"
"	    unread = unread + ((new.flags & 9) = 0),"
"	    bytes = bytes + new.size WHERE id = new.folder_id;"
"END;";

/*
 * Version 3: search without a folder.  Filters alone (is:unread,
 * has:attachment) walk dates newest first in a narrow index and stop at
 * the limit, instead of scanning and sorting the whole table; words take
 * each FTS5 hit's date and flags from a narrow index by id instead of
 * reading the wide row.  100,000 messages: 150 ms -> 10-30 ms.
 */
static const char schema_v3[] =
"CREATE INDEX messages_search_date ON messages(date, flags,"
"    has_attachments, folder_id);"
"CREATE INDEX messages_search_id ON messages(id, date, flags,"
"    has_attachments, folder_id);";

/*
 * Version 4: folders.wire, the server's exact name for a folder whose
 * name is not modified UTF-7 (raw UTF-8, control bytes); NULL, as for
 * every older row, means the name encoded.  Names are kept exact from
 * now on (sanitized only when shown); rows stored under a sanitized name
 * are renamed by the next sync (sync/account.c), never dropped here.
 */
static const char schema_v4[] =
"ALTER TABLE folders ADD COLUMN wire TEXT;";

/*
 * Version 5:
 * - search entries of new messages are written by the store in one
 *   statement per transaction (fts.c), not by a trigger per message;
 *   every message has its entry already: nothing to fill in;
 * - an index of the messages without their body, so a prefetch finds
 *   what is missing without walking a whole folder (0.8 s at 100,000
 *   messages, on every sync).
 */
static const char schema_v5[] =
"DROP TRIGGER messages_fts_ins;"
"CREATE INDEX messages_no_body ON messages(folder_id, date)"
"    WHERE body_state <> 'full';";

/*
 * Version 6: the unified inbox is a merge of the per-folder walks (page.c),
 * so its six partial indexes go: every message stored paid for them, a
 * fifth of the CPU of a sync of 100,000 headers.  is_inbox stays (cheap,
 * and it tells whether a message is in that view).
 */
static const char schema_v6[] =
"DROP INDEX messages_inbox_date;"
"DROP INDEX messages_inbox_thread_asc;"
"DROP INDEX messages_inbox_thread_desc;"
"DROP INDEX messages_inbox_from;"
"DROP INDEX messages_inbox_subject;"
"DROP INDEX messages_inbox_size;";

/*
 * Version 7: the per-folder indexes of the sorts by sender, subject and
 * size are built the first time such a sort is asked for (page.c), not
 * kept up to date for every message from the start: a third of the
 * store's CPU in a first sync of 100,000 headers.
 */
static const char schema_v7[] =
"DROP INDEX messages_from;"
"DROP INDEX messages_subject;"
"DROP INDEX messages_size;";

/*
 * Version 8: storing a message costs a third less.
 * - A new message is counted into its folder by the store (message.c,
 *   count_new_row), not by an insert trigger: an INSERT that fires a
 *   trigger may write several rows, so SQLite gave every one a statement
 *   journal of its own, opened, written and closed per message.
 * - The CHECK on messages.body_state compares with each name instead of
 *   "IN (...)": for an IN list SQLite built a temporary index per
 *   INSERT.  A CHECK is not part of the file format, so the table's
 *   stored definition is edited in place (rewrite_body_state_check), as
 *   SQLite's documentation describes for such changes; no row moves.
 */
static const char schema_v8[] =
"DROP TRIGGER messages_count_ins;";

static int	rewrite_body_state_check(struct store *, struct err *);

struct migration {
	int		 version;
	const char	*sql;
	/* A step SQL alone cannot take, run after it (or NULL). */
	int		(*fn)(struct store *, struct err *);
};

static const struct migration migrations[] = {
	{ 1, schema_v1, NULL },
	{ 2, schema_v2, NULL },
	{ 3, schema_v3, NULL },
	{ 4, schema_v4, NULL },
	{ 5, schema_v5, NULL },
	{ 6, schema_v6, NULL },
	{ 7, schema_v7, NULL },
	{ 8, schema_v8, rewrite_body_state_check },
};

#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

static int
user_version(struct store *s, int64_t *v_r, struct err *err)
{
	sqlite3_stmt	*st;

	if ((st = st_prep(s, "PRAGMA user_version", err)) == NULL)
		return -1;
	return st_int64(s, st, v_r, err);
}

static int
too_new(struct store *s, int64_t v, struct err *err)
{
	err_set(err, ERR_USAGE, _("%s: created by a newer surat (schema "
	    "version %lld, this surat knows up to %d); upgrade surat to "
	    "open it"), s->path, (long long)v, STORE_SCHEMA_VERSION);
	return -1;
}

int
schema_refuse_newer(struct store *s, struct err *err)
{
	int64_t	v;

	if (user_version(s, &v, err) == -1)
		return -1;
	return v > STORE_SCHEMA_VERSION ? too_new(s, v, err) : 0;
}

int
schema_check_version(struct store *s, struct err *err)
{
	int64_t	v;

	if (user_version(s, &v, err) == -1)
		return -1;
	if (v > STORE_SCHEMA_VERSION)
		return too_new(s, v, err);
	if (v < STORE_SCHEMA_VERSION) {
		err_set(err, ERR_USAGE, _("%s: the store needs an upgrade "
		    "(schema version %lld); open it once without read-only"),
		    s->path, (long long)v);
		return -1;
	}
	return 0;
}

/* sqlite3_exec, for multi-statement migration text (not cached). */
static int
exec_script(struct store *s, const char *sql, struct err *err)
{
	int	rc;

	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return st_fail(s, sqlite3_extended_errcode(s->db), err);
	return 0;
}

#define BODY_STATE_CHECK_V1 \
	"CHECK (body_state IN ('none', 'partial', 'full'))"
#define BODY_STATE_CHECK_V8 \
	"CHECK (body_state = 'none' OR body_state = 'partial' OR " \
	"body_state = 'full')"

/* Version 8's edit of the stored definition of messages (see there). */
static int
rewrite_body_state_check(struct store *s, struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 ver;
	char		*sql;
	int		 rc;

	if ((st = st_prep(s, "PRAGMA schema_version", err)) == NULL ||
	    st_int64(s, st, &ver, err) == -1 ||
	    exec_script(s, "PRAGMA writable_schema = ON", err) == -1)
		return -1;
	rc = -1;
	st = st_prep(s, "UPDATE sqlite_master SET sql = replace(sql, ?1, ?2) "
	    "WHERE type = 'table' AND name = 'messages'", err);
	if (st != NULL) {
		bind_text(st, 1, BODY_STATE_CHECK_V1);
		bind_text(st, 2, BODY_STATE_CHECK_V8);
		rc = st_run(s, st, err);
	}
	/* A new version number makes every connection read the definition
	 * again, this one included. */
	if (rc == 0) {
		sql = xasprintf("PRAGMA schema_version = %lld",
		    (long long)ver + 1);
		rc = exec_script(s, sql, err);
		free(sql);
	}
	st_cache_clear(s);
	(void)sqlite3_exec(s->db, "PRAGMA writable_schema = OFF", NULL, NULL,
	    NULL);
	return rc;
}

/* One step's SQL, the version stamp and its migrations row. */
static int
apply_step(struct store *s, const struct migration *m, struct err *err)
{
	sqlite3_stmt	*st;
	char		*sql;
	int		 rc;

	rc = exec_script(s, m->sql, err);
	if (rc == 0 && m->fn != NULL)
		rc = m->fn(s, err);
	if (rc == 0) {
		sql = xasprintf("PRAGMA user_version = %d", m->version);
		rc = exec_script(s, sql, err);
		free(sql);
	}
	if (rc == 0 && (st = st_prep(s, "INSERT INTO migrations (version, "
	    "applied_at) VALUES (?1, ?2)", err)) != NULL) {
		bind_int64(st, 1, m->version);
		bind_int64(st, 2, (int64_t)time(NULL));
		rc = st_run(s, st, err);
	} else
		rc = -1;
	/* The statement cache may hold plans of the old schema. */
	st_cache_clear(s);
	return rc;
}

/*
 * Tests kill the process at named points (SURAT_TEST_CRASH_AT) to show a
 * store is never left half-made; unset, this costs one getenv.
 */
void
schema_crash_point(const char *name)
{
	const char	*at = getenv("SURAT_TEST_CRASH_AT");

	if (at != NULL && strcmp(at, name) == 0)
		raise(SIGKILL);
}

/*
 * Steps from version v up.  A new file (v = 0) gets all of them in one
 * transaction, version stamp included: killed halfway, it is left empty,
 * never at some version in between that would then look like an old
 * store needing an upgrade.  An existing store moves one step per
 * transaction, each recorded.
 */
static int
run_steps(struct store *s, int64_t v, struct err *err)
{
	size_t	i;
	bool	one_tx = v == 0;
	int	rc = 0;
	char	point[32];

	if (one_tx && store_begin(s, err) == -1)
		return -1;
	for (i = 0; i < NMIGRATIONS && rc == 0; i++) {
		const struct migration *m = &migrations[i];

		if (m->version <= v)
			continue;
		if (!one_tx && store_begin(s, err) == -1)
			return -1;
		rc = apply_step(s, m, err);
		if (!one_tx && tx_end(s, rc, err) == -1) {
			err_prefix(err, _("%s: upgrading the store to version "
			    "%d: "), s->path, m->version);
			return -1;
		}
		snprintf(point, sizeof point, "migrate-%d", m->version);
		schema_crash_point(point);
	}
	if (one_tx && tx_end(s, rc, err) == -1) {
		err_prefix(err, _("%s: creating the store: "), s->path);
		return -1;
	}
	return 0;
}

/*
 * Before the first step on a store that holds mail, a copy of the whole
 * file (VACUUM INTO: consistent, compact), kept next to it.
 */
static int
backup_before(struct store *s, int64_t v, struct err *err)
{
	sqlite3_stmt	*st;
	char		*path;
	int		 fd, rc;

	path = xasprintf("%s.v%lld-%lld.bak", s->path, (long long)v,
	    (long long)time(NULL));
	/* The copy holds the same mail: create it 0600 before SQLite
	 * fills it (VACUUM INTO accepts an empty file). */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1 || fchmod(fd, 0600) == -1) {
		err_set(err, errno == EEXIST ? ERR_EXISTS : ERR_IO,
		    _("%s: cannot create a backup: %s"), path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		return -1;
	}
	close(fd);
	if ((st = st_prep(s, "VACUUM INTO ?1", err)) == NULL) {
		unlink(path);
		free(path);
		return -1;
	}
	bind_text(st, 1, path);
	rc = st_run(s, st, err);
	if (rc == -1) {
		err_prefix(err, _("backup before upgrading to %s: "), path);
		unlink(path);
	}
	free(path);
	return rc;
}

int
schema_migrate(struct store *s, struct err *err)
{
	int64_t	v;

	if (user_version(s, &v, err) == -1)
		return -1;
	if (v > STORE_SCHEMA_VERSION)
		return too_new(s, v, err);
	if (v > 0 && v < STORE_SCHEMA_VERSION && backup_before(s, v,
	    err) == -1)
		return -1;
	return run_steps(s, v, err);
}
