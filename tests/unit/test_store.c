/*
 * Unit tests for src/store, part one: opening (modes, WAL, the lock, a
 * damaged or foreign file, migrations), transactions and the change
 * counter.
 */
#include "config.h"

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "teststore.h"
#include "util/buf.h"
#include "util/str.h"

static mode_t
file_mode(const char *dir, const char *name)
{
	struct stat	 sb;
	char		*p = xasprintf("%s%s%s", dir, name != NULL ? "/" : "",
	    name != NULL ? name : "");

	if (stat(p, &sb) == -1)
		fail_msg("%s: %s", p, strerror(errno));
	free(p);
	return sb.st_mode & 07777;
}

static bool
file_exists(const char *dir, const char *name)
{
	struct stat	 sb;
	char		*p = xasprintf("%s/%s", dir, name);
	bool		 ok = stat(p, &sb) == 0;

	free(p);
	return ok;
}

/* The whole file, for "left untouched" comparisons. */
static char *
slurp(const char *path, size_t *len_r)
{
	struct buf	 b = BUF_INIT;
	char		 tmp[4096];
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		fail_msg("%s: %s", path, strerror(errno));
	while ((n = read(fd, tmp, sizeof tmp)) > 0)
		buf_add(&b, tmp, (size_t)n);
	close(fd);
	return buf_detach(&b, len_r);
}

static void
spew(const char *path, const void *data, size_t len, off_t at)
{
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) == -1)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(pwrite(fd, data, len, at), (ssize_t)len);
	close(fd);
}

/* ------------------------------------------------------------------ */

static void
test_open_creates_private_files(void **state)
{
	struct tfix	*f = *state;
	struct store	*s;
	struct err	 err;
	mode_t		 old;
	char		*deep, *lock;
	int64_t		 a;

	/* A permissive umask must not leak into the files' modes. */
	old = umask(0);
	deep = xasprintf("%s/x/y", f->dir);
	err_clear(&err);
	T_OK(store_open(deep, 0, "surat-test", &s, &err), &err);
	umask(old);
	assert_int_equal(file_mode(deep, NULL), 0700);
	assert_int_equal(file_mode(f->dir, "x"), 0700);
	assert_int_equal(file_mode(deep, "surat.db"), 0600);
	assert_int_equal(file_mode(deep, "surat.lock"), 0600);
	a = t_account(s, "acc", STORE_ACCOUNT_IMAP);
	assert_true(a > 0);
	/* WAL: the log and shared-memory files exist while open. */
	assert_true(file_exists(deep, "surat.db-wal"));
	assert_int_equal(file_mode(deep, "surat.db-wal"), 0600);
	assert_int_equal(file_mode(deep, "surat.db-shm"), 0600);
	assert_false(store_readonly(s));
	assert_true(str_ends_with(store_path(s), "/x/y/surat.db"));
	/* The lock file names its holder. */
	lock = xasprintf("%s/surat.lock", deep);
	{
		size_t	 len;
		char	*txt = slurp(lock, &len);
		char	*want = xasprintf("%ld surat-test\n", (long)getpid());

		assert_string_equal(txt, want);
		free(txt);
		free(want);
	}
	store_close(&s);
	assert_null(s);
	/* A clean close empties it (an unclean one forces a check). */
	{
		size_t	 len;
		char	*txt = slurp(lock, &len);

		assert_int_equal(len, 0);
		free(txt);
	}
	/* And the data is still there when opened again. */
	T_OK(store_open(deep, 0, NULL, &s, &err), &err);
	{
		struct store_account	*acc;

		T_OK(store_account_find(s, "acc", &acc, &err), &err);
		assert_int_equal(acc->id, a);
		store_account_free(&acc);
	}
	store_close(&s);
	store_close(&s);	/* NULL is fine */
	free(lock);
	free(deep);
}

/*
 * Schema 8: storing a message runs no trigger and builds no temporary
 * index (each gave every INSERT a journal or a table of its own), and
 * body_state is still checked.  path: the store's file, closed or not.
 */
static void
assert_lean_insert(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 ephemeral = 0, rc;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
	    "sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages' "
	    "AND sql LIKE '%AFTER INSERT%'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN INSERT INTO messages "
	    "(folder_id, thread_id, thread_date, created, body_state) "
	    "VALUES (1, 1, 0, 0, ?1)", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		ephemeral += strcmp((const char *)sqlite3_column_text(st, 1),
		    "OpenEphemeral") == 0;
	sqlite3_finalize(st);
	assert_int_equal(ephemeral, 0);
	rc = sqlite3_exec(db, "INSERT INTO messages (folder_id, thread_id, "
	    "thread_date, created, body_state) VALUES (1, 1, 0, 0, 'some')",
	    NULL, NULL, NULL);
	assert_int_equal(rc, SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_extended_errcode(db),
	    SQLITE_CONSTRAINT_CHECK);
	sqlite3_close(db);
}

static void
test_open_journal_is_wal(void **state)
{
	struct tfix	*f = *state;
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		*path = xasprintf("%s/surat.db", f->data);

	/* A second, plain SQLite connection sees the file's mode. */
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_lean_insert(path);
	free(path);
}

static void
test_open_bad_dir(void **state)
{
	struct tfix	*f = *state;
	struct store	*s;
	struct err	 err;
	char		*file = xasprintf("%s/plainfile", f->dir);

	spew(file, "x", 1, 0);
	T_FAILS(store_open(file, 0, NULL, &s, &err), &err, ERR_IO);
	assert_null(s);
	assert_non_null(strstr(err.msg, "not a directory"));
	T_FAILS(store_open("", 0, NULL, &s, &err), &err, ERR_USAGE);
	if (geteuid() != 0) {
		/* root writes anywhere: only meaningful for users */
		char *ro = xasprintf("%s/ro", f->dir);

		mkdir(ro, 0500);
		T_FAILS(store_open(ro, 0, NULL, &s, &err), &err, ERR_IO);
		free(ro);
	}
	free(file);
}

/*
 * The child's verdict goes back as its exit status: 0 when the second
 * open failed the way it must.
 */
static int
child_open_expect_locked(const char *dir, pid_t holder)
{
	struct store	*s;
	struct err	 err;
	char		 want[128];

	err_clear(&err);
	if (store_open(dir, 0, "intruder", &s, &err) == 0)
		return 1;
	if (err.code != ERR_LOCKED)
		return 2;
	snprintf(want, sizeof want, "store is in use by process %ld "
	    "(surat-test)", (long)holder);
	if (strstr(err.msg, want) == NULL) {
		fprintf(stderr, "message: %s\n", err.msg);
		return 3;
	}
	/* Read-only opens take no lock: a viewer still works. */
	if (store_open(dir, STORE_OPEN_READONLY, NULL, &s, &err) == -1)
		return 4;
	if (!store_readonly(s))
		return 5;
	store_close(&s);
	return 0;
}

static int
child_open_expect_ok(const char *dir)
{
	struct store	*s;
	struct err	 err;

	err_clear(&err);
	if (store_open(dir, 0, "second", &s, &err) == -1) {
		fprintf(stderr, "child: %s\n", err.msg);
		return 1;
	}
	store_close(&s);
	return 0;
}

static int
run_child(int (*fn)(const char *, pid_t), const char *dir)
{
	pid_t	pid, parent = getpid();
	int	status;

	fflush(NULL);
	if ((pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(fn(dir, parent));
	if (waitpid(pid, &status, 0) == -1)
		fail_msg("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

static int
expect_ok_adapter(const char *dir, pid_t holder)
{
	(void)holder;
	return child_open_expect_ok(dir);
}

static void
test_lock_second_process(void **state)
{
	struct tfix	*f = *state;
	struct store	*more, *again;
	struct err	 err;

	assert_int_equal(run_child(child_open_expect_locked, f->data), 0);
	/* Another connection of this process shares the lock... */
	err_clear(&err);
	T_OK(store_open_more(f->s, &more, &err), &err);
	/* ... and so does a second store_open of the same process. */
	T_OK(store_open(f->data, 0, "surat-test", &again, &err), &err);
	store_close(&again);
	/* Closing the first keeps the lock while another is open. */
	store_close(&f->s);
	assert_int_equal(run_child(child_open_expect_locked, f->data), 0);
	/* The last close releases it. */
	store_close(&more);
	assert_int_equal(run_child(expect_ok_adapter, f->data), 0);
}

static void
test_lock_stale_after_crash(void **state)
{
	struct tfix	*f = *state;
	char		*lock = xasprintf("%s/surat.lock", f->data);
	struct err	 err;
	pid_t		 pid;
	int		 status;

	store_close(&f->s);
	/* A child opens and dies without closing: its lock goes with it. */
	fflush(NULL);
	if ((pid = fork()) == 0) {
		struct store *s;

		if (store_open(f->data, 0, "doomed", &s, &err) == -1)
			_exit(1);
		_exit(0);	/* no store_close */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	{
		size_t	 len;
		char	*txt = slurp(lock, &len);

		assert_true(len > 0);	/* left behind: marks a crash */
		free(txt);
	}
	err_clear(&err);
	T_OK(store_open(f->data, 0, "surat-test", &f->s, &err), &err);
	free(lock);
}

static void
test_corrupt_garbage_refused_untouched(void **state)
{
	struct tfix	*f = *state;
	struct store	*s;
	struct err	 err;
	char		 junk[8192];
	char		*path, *before, *after;
	size_t		 i, n1, n2;

	mkdir(f->data, 0700);
	path = xasprintf("%s/surat.db", f->data);
	for (i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	spew(path, junk, sizeof junk, 0);
	before = slurp(path, &n1);
	T_FAILS(store_open(f->data, 0, NULL, &s, &err), &err, ERR_CORRUPT);
	assert_null(s);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "untouched"));
	after = slurp(path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	assert_false(file_exists(f->data, "surat.db-wal"));
	/* Also with a check forced, and read-only. */
	T_FAILS(store_open(f->data, STORE_OPEN_CHECK, NULL, &s, &err), &err,
	    ERR_CORRUPT);
	T_FAILS(store_open(f->data, STORE_OPEN_READONLY, NULL, &s, &err),
	    &err, ERR_CORRUPT);
	free(after);
	after = slurp(path, &n2);
	assert_memory_equal(before, after, n1);
	/* The lock was released: nothing is left holding the directory. */
	assert_int_equal(run_child(child_open_expect_locked, f->data), 2);
	free(before);
	free(after);
	free(path);
}

static void
test_corrupt_damaged_pages_refused(void **state)
{
	struct tfix	*f = *state;
	struct store	*s;
	struct err	 err;
	char		 junk[4096 * 8];
	char		*path, *before, *after;
	int64_t		 acc, fo;
	size_t		 n1, n2;
	uint32_t	 i;

	acc = t_account(f->s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(f->s, acc, "INBOX", STORE_ROLE_INBOX);
	err_clear(&err);
	T_OK(store_begin(f->s, &err), &err);
	for (i = 1; i <= 2000; i++)
		t_msg(f->s, fo, i, NULL, NULL, NULL, 1000 + i, "Ani",
		    "a subject long enough to fill some pages", 0);
	T_OK(store_commit(f->s, &err), &err);
	store_close(&f->s);
	path = xasprintf("%s/surat.db", f->data);
	/* Keep the header (page 1), smash pages in the middle. */
	memset(junk, 0xa5, sizeof junk);
	spew(path, junk, sizeof junk, 4096 * 4);
	before = slurp(path, &n1);
	/* Too big to be checked on every open: ask for the check. */
	T_FAILS(store_open(f->data, STORE_OPEN_CHECK, NULL, &s, &err), &err,
	    ERR_CORRUPT);
	assert_non_null(strstr(err.msg, "untouched"));
	after = slurp(path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	/* Unchecked (a big store after a clean close): the damage still
	 * surfaces as ERR_CORRUPT when a statement meets it. */
	err_clear(&err);
	if (store_open(f->data, STORE_OPEN_NOCHECK, NULL, &s, &err) == 0) {
		struct store_sort	 so = { STORE_SORT_DATE, false, false };
		struct store_row	*rows;
		struct store_cursor	 c;
		size_t			 n;
		int			 rc;
		bool			 first = true;

		do {
			rc = store_index_page(s, fo, &so, first ? NULL : &c,
			    STORE_PAGE_FORWARD, 100, &rows, &n, &err);
			if (rc == 0 && n > 0)
				c = rows[n - 1].cursor;
			store_rows_free(&rows, n);
			first = false;
		} while (rc == 0 && n > 0);
		if (rc == 0) {
			struct store_query q;
			int64_t *ids;

			memset(&q, 0, sizeof q);
			q.text = "subject";
			rc = store_search(s, &q, &ids, &n, &err);
			free(ids);
		}
		assert_int_equal(rc, -1);
		store_close(&s);
	}
	assert_int_equal(err.code, ERR_CORRUPT);
	assert_non_null(strstr(err.msg, "damaged"));
	free(before);
	free(after);
	free(path);
}

/*
 * The disk fills up mid-sync (a file size limit stands in for it): the
 * batch that hit it fails with a clear error, every batch committed
 * before is there, and the file passes a full check.
 */
#define FULL_BATCH	40

static int
child_fill_until_full(const char *dir, pid_t unused)
{
	struct store		*s;
	struct store_msg	 m;
	struct rlimit		 rl;
	struct err		 err;
	char			 body[4096];
	int64_t			 fo, id;
	int			 batch, i, rc = 0;

	(void)unused;
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = rl.rlim_max = 3 * 1024 * 1024;
	if (setrlimit(RLIMIT_FSIZE, &rl) == -1)
		return 250;
	err_clear(&err);
	if (store_open(dir, 0, "filler", &s, &err) == -1) {
		fprintf(stderr, "child open: %s\n", err.msg);
		return 251;
	}
	fo = 1;
	memset(body, 'x', sizeof body);
	for (batch = 0; batch < 200 && rc == 0; batch++) {
		if (store_begin(s, &err) == -1)
			break;
		for (i = 0; i < FULL_BATCH && rc == 0; i++) {
			memset(&m, 0, sizeof m);
			m.folder_id = fo;
			m.uid = (uint32_t)(batch * FULL_BATCH + i + 1);
			m.subject = (char *)"filler";
			rc = store_message_insert(s, &m, &id, &err);
			if (rc == 0)
				rc = store_body_set(s, id, body, sizeof body,
				    NULL, 0, &err);
		}
		if (rc == 0)
			rc = store_commit(s, &err);
		else
			store_rollback(s);
	}
	if (rc == 0)
		return 252;	/* never full: the test proves nothing */
	if (err.code != ERR_DISKFULL && err.code != ERR_IO) {
		fprintf(stderr, "child: %s: %s\n", err_code_name(err.code),
		    err.msg);
		return 253;
	}
	if (strstr(err.msg, "surat.db") == NULL)
		return 254;
	store_close(&s);
	return batch - 1;	/* batches committed */
}

static void
test_disk_full_loses_nothing(void **state)
{
	struct tfix	*f = *state;
	struct err	 err;
	int64_t		 acc, fo;
	int		 batches;

	acc = t_account(f->s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(f->s, acc, "INBOX", STORE_ROLE_INBOX);
	assert_int_equal(fo, 1);
	store_close(&f->s);
	batches = run_child(child_fill_until_full, f->data);
	assert_true(batches > 0 && batches < 250);
	err_clear(&err);
	T_OK(store_open(f->data, STORE_OPEN_CHECK, NULL, &f->s, &err), &err);
	assert_int_equal(t_folder_total(f->s, fo, NULL),
	    batches * FULL_BATCH);
	/* and it takes more mail once there is room */
	t_msg(f->s, fo, 100000, NULL, NULL, NULL, 1, "A", "after", 0);
}

/*
 * A store too big to check on every open is checked after a crash (the
 * lock file still names a holder): damage is found then, not written on.
 */
static void
test_big_store_checked_after_crash(void **state)
{
	struct tfix	*f = *state;
	struct store	*s;
	struct err	 err;
	char		 body[4096], junk[4096 * 4];
	char		*path, *lock, *before, *after;
	int64_t		 acc, fo, id;
	size_t		 n1, n2;
	uint32_t	 i;
	struct stat	 sb;

	acc = t_account(f->s, "a", STORE_ACCOUNT_POP3);
	fo = t_folder(f->s, acc, "INBOX", STORE_ROLE_INBOX);
	memset(body, 'b', sizeof body);
	err_clear(&err);
	T_OK(store_begin(f->s, &err), &err);
	for (i = 1; i <= 1500; i++) {
		id = t_msg(f->s, fo, i, NULL, NULL, NULL, i, "A", "s", 0);
		T_OK(store_body_set(f->s, id, body, sizeof body, NULL, 0,
		    &err), &err);
	}
	T_OK(store_commit(f->s, &err), &err);
	store_close(&f->s);
	path = xasprintf("%s/surat.db", f->data);
	lock = xasprintf("%s/surat.lock", f->data);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 5 * 1024 * 1024);
	/* Damage near the start, where the tables' roots are. */
	memset(junk, 0x5a, sizeof junk);
	spew(path, junk, sizeof junk, 4096 * 2);
	/* Clean close, big file: not checked on open. */
	T_OK(store_open(f->data, STORE_OPEN_READONLY, NULL, &s, &err), &err);
	store_close(&s);
	/* The last writer died: the lock file still names it. */
	spew(lock, "4242 surat sync\n", 15, 0);
	before = slurp(path, &n1);
	/* Too big to be checked on every open: ask for the check. */
	T_FAILS(store_open(f->data, STORE_OPEN_CHECK, NULL, &s, &err), &err,
	    ERR_CORRUPT);
	assert_non_null(strstr(err.msg, "untouched"));
	after = slurp(path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
	free(lock);
	free(path);
}

static void
test_empty_file_becomes_a_store(void **state)
{
	struct tfix	*f = *state;
	char		*path = xasprintf("%s/surat.db", f->data);
	struct err	 err;

	/* A crash between creating the file and its first schema. */
	mkdir(f->data, 0700);
	spew(path, "", 0, 0);
	err_clear(&err);
	T_OK(store_open(f->data, 0, NULL, &f->s, &err), &err);
	t_account(f->s, "a", STORE_ACCOUNT_IMAP);
	free(path);
}

static void
test_foreign_and_newer_files_refused(void **state)
{
	struct tfix	*f = *state;
	struct store	*s;
	struct err	 err;
	sqlite3		*db;
	char		*path = xasprintf("%s/surat.db", f->data);

	store_close(&f->s);
	/* A newer surat's store. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	T_FAILS(store_open(f->data, 0, NULL, &s, &err), &err, ERR_USAGE);
	assert_non_null(strstr(err.msg, "newer surat"));
	T_FAILS(store_open(f->data, STORE_OPEN_READONLY, NULL, &s, &err),
	    &err, ERR_USAGE);
	/* Another program's database. */
	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x); "
	    "INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	T_FAILS(store_open(f->data, 0, NULL, &s, &err), &err, ERR_CORRUPT);
	assert_non_null(strstr(err.msg, "not a surat store"));
	/* Still just that program's table. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) "
		    "FROM sqlite_master", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	free(path);
}

static void
test_readonly(void **state)
{
	struct tfix	*f = *state;
	struct store	*ro;
	struct err	 err;
	int64_t		 id, acc;
	char		*missing = xasprintf("%s/nothing", f->dir);

	T_FAILS(store_open(missing, STORE_OPEN_READONLY, NULL, &ro, &err),
	    &err, ERR_NOTFOUND);
	assert_false(file_exists(f->dir, "nothing"));
	acc = t_account(f->s, "a", STORE_ACCOUNT_POP3);
	err_clear(&err);
	T_OK(store_open(f->data, STORE_OPEN_READONLY, NULL, &ro, &err), &err);
	assert_true(store_readonly(ro));
	T_FAILS(store_account_ensure(ro, "b", STORE_ACCOUNT_IMAP, &id, &err),
	    &err, ERR_USAGE);
	T_FAILS(store_begin(ro, &err), &err, ERR_USAGE);
	T_FAILS(store_folder_ensure(ro, acc, "INBOX", 0, STORE_ROLE_INBOX,
	    &id, &err), &err, ERR_USAGE);
	/* It reads what the writer commits. */
	t_folder(f->s, acc, "INBOX", STORE_ROLE_INBOX);
	{
		struct store_folder *fo;

		T_OK(store_folder_find_role(ro, acc, STORE_ROLE_INBOX, &fo,
		    &err), &err);
		assert_string_equal(fo->name, "INBOX");
		store_folder_free(&fo);
	}
	store_close(&ro);
	free(missing);
}

/* ------------------------------------------------------------------ */
/* Migrations                                                          */

static char *
read_text(const char *path)
{
	size_t	len;

	return slurp(path, &len);
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/*
 * A version 1 store, as surat 1 wrote it, with mail in it: the frozen
 * schema from tests/data/store plus rows inserted by SQL.
 */
static void
make_v1_store(const char *dir, int nmsgs)
{
	sqlite3	*db;
	char	*path, *schema, *sql;
	int	 i;

	mkdir(dir, 0700);
	path = xasprintf("%s/surat.db", dir);
	schema = read_text(TEST_DATA_DIR "/store/schema-v1.sql");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db, "PRAGMA journal_mode = WAL");
	exec_ok(db, schema);
	exec_ok(db, "BEGIN;"
	    "INSERT INTO migrations VALUES (1, 1700000000);"
	    "INSERT INTO accounts (id, name, kind, created) "
	    "    VALUES (1, 'pop', 'pop3', 1700000000);"
	    "INSERT INTO folders (id, account_id, name, role) "
	    "    VALUES (1, 1, 'INBOX', 'inbox'), (2, 1, 'Arsip', 'archive');"
	    "INSERT INTO threads (id, root_date) VALUES (1, 1700000000);");
	for (i = 1; i <= nmsgs; i++) {
		sql = sqlite3_mprintf("INSERT INTO messages (id, folder_id, "
		    "uidl, is_inbox, date, flags, size, thread_id, "
		    "thread_date, sort_from, sort_subject, from_name, "
		    "from_addr, subject, message_id, created) VALUES (%d, %d, "
		    "'uidl-%d', %d, %d, %d, %d, 1, 1700000000, 'ani', "
		    "'pesan %d', 'Ani', 'ani@example.com', 'Pesan %d', "
		    "'m%d@example.com', 1700000000);"
		    "INSERT INTO body_chunks (msg, seq, data) VALUES (%d, 0, "
		    "'Subject: Pesan %d\r\n\r\nisi surat nomor %d\r\n');"
		    "INSERT INTO pop3_uidls (account_id, uidl, first_seen, msg)"
		    " VALUES (1, 'uidl-%d', 1700000000, %d);"
		    "UPDATE fts SET body = 'isi surat nomor %d' "
		    "WHERE rowid = %d;",
		    i, i % 2 + 1, i, i % 2 == 0, 1700000000 + i, i % 3 == 0,
		    100 + i, i, i, i, i, i, i, i, i, i, i);
		exec_ok(db, sql);
		sqlite3_free(sql);
	}
	exec_ok(db, "INSERT INTO outbox (account_id, env_from, rcpts, "
	    "rcpt_count, raw, next_attempt_at, created) VALUES (1, "
	    "'a@example.com', 'b@example.com', 1, 'raw message', 0, 0);"
	    "INSERT INTO pending_ops (account_id, op, msg, created) "
	    "    VALUES (1, 'delete', 3, 0);"
	    "COMMIT");
	sqlite3_close(db);
	free(schema);
	free(path);
}

static void
test_migration_keeps_all_mail(void **state)
{
	struct tfix		*f = *state;
	struct store_folder	*fo;
	struct store_msg	*m;
	struct store_out	*out;
	struct store_op		*ops;
	struct store_uidl	*uidls;
	struct buf		 b = BUF_INIT;
	struct err		 err;
	struct dirent		*de;
	DIR			*d;
	int64_t			*ids, total = 0, bytes = 0, unread;
	size_t			 n, nops, nu;
	int			 i, backups = 0;
	const int		 nmsgs = 300;

	make_v1_store(f->data, nmsgs);
	err_clear(&err);
	T_OK(store_open(f->data, 0, "surat-test", &f->s, &err), &err);
	/* Every message, with its body, its search text and its UIDL. */
	for (i = 1; i <= nmsgs; i++) {
		char want[64];

		T_OK(store_message_get(f->s, i, &m, &err), &err);
		snprintf(want, sizeof want, "uidl-%d", i);
		assert_string_equal(m->uidl, want);
		snprintf(want, sizeof want, "Pesan %d", i);
		assert_string_equal(m->subject, want);
		store_msg_free(&m);
		buf_reset(&b);
		T_OK(store_body_get(f->s, i, &b, &err), &err);
		snprintf(want, sizeof want, "isi surat nomor %d\r\n", i);
		assert_non_null(strstr(buf_cstr(&b), want));
	}
	buf_free(&b);
	T_OK(store_folder_get(f->s, 1, &fo, &err), &err);
	total += fo->total;
	bytes += fo->size;
	store_folder_free(&fo);
	T_OK(store_folder_get(f->s, 2, &fo, &err), &err);
	total += fo->total;
	bytes += fo->size;
	store_folder_free(&fo);
	assert_int_equal(total, nmsgs);
	/* Version 2 counted the bytes already stored. */
	assert_int_equal(bytes, 100 * nmsgs + nmsgs * (nmsgs + 1) / 2);
	/* Counts the new version keeps agree with the rows. */
	T_OK(store_folder_recount(f->s, 0, &err), &err);
	assert_int_equal(t_folder_total(f->s, 1, &unread) +
	    t_folder_total(f->s, 2, NULL), nmsgs);
	{
		struct store_query q;

		memset(&q, 0, sizeof q);
		q.text = "nomor";
		T_OK(store_search(f->s, &q, &ids, &n, &err), &err);
		assert_int_equal(n, nmsgs);
		free(ids);
		/* Mail stored after the upgrade gets its entry (once). */
		t_msg(f->s, 1, 9001, NULL, NULL, NULL, 5, "Ani", "pesan baru",
		    0);
		/* Counted by the store now, not by a trigger. */
		assert_int_equal(t_folder_total(f->s, 1, NULL) +
		    t_folder_total(f->s, 2, NULL), nmsgs + 1);
		q.text = "baru";
		T_OK(store_search(f->s, &q, &ids, &n, &err), &err);
		assert_int_equal(n, 1);
		free(ids);
		q.text = "pesan";
		T_OK(store_search(f->s, &q, &ids, &n, &err), &err);
		assert_int_equal(n, nmsgs + 1);
		free(ids);
	}
	/* The index pages what the migrations left: the unified inbox (a
	 * merge now) and the subject sort (its index built on first use). */
	{
		struct store_sort	 so = { STORE_SORT_SUBJECT, false, false };
		struct store_row	*rows;
		size_t			 pos;

		T_OK(store_index_page(f->s, 1, &so, NULL, STORE_PAGE_FORWARD,
		    10, &rows, &n, &err), &err);
		assert_int_equal(n, 10);
		assert_string_equal(rows[0].subject, "Pesan 10");
		store_rows_free(&rows, n);
		so.key = STORE_SORT_DATE;
		so.threaded = true;
		T_OK(store_index_page(f->s, STORE_UNIFIED_INBOX, &so, NULL,
		    STORE_PAGE_BACKWARD, 10, &rows, &n, &err), &err);
		assert_int_equal(n, 10);
		assert_int_equal(rows[9].id, nmsgs);
		T_OK(store_index_position(f->s, STORE_UNIFIED_INBOX, &so,
		    rows[9].id, &pos, &err), &err);
		/* After the inbox's old half and the one stored above. */
		assert_int_equal(pos, nmsgs / 2);
		store_rows_free(&rows, n);
	}
	T_OK(store_pop3_list(f->s, 1, &uidls, &nu, &err), &err);
	assert_int_equal(nu, nmsgs);
	store_pop3_list_free(&uidls, nu);
	T_OK(store_outbox_get(f->s, 1, &out, &err), &err);
	assert_int_equal(out->state, STORE_OUT_QUEUED);
	store_out_free(&out);
	T_OK(store_op_list(f->s, 1, &ops, &nops, &err), &err);
	assert_int_equal(nops, 1);
	assert_int_equal(ops[0].message_id, 3);
	store_op_list_free(&ops, nops);
	/* A backup of the old file was made first, private. */
	assert_non_null(d = opendir(f->data));
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "surat.db.v1-", 12) != 0)
			continue;
		backups++;
		assert_int_equal(file_mode(f->data, de->d_name), 0600);
	}
	closedir(d);
	assert_int_equal(backups, STORE_SCHEMA_VERSION > 1 ? 1 : 0);
	/* Opening again migrates nothing and backs up nothing. */
	store_close(&f->s);
	T_OK(store_open(f->data, 0, "surat-test", &f->s, &err), &err);
	assert_non_null(d = opendir(f->data));
	backups = 0;
	while ((de = readdir(d)) != NULL)
		backups += strncmp(de->d_name, "surat.db.v", 10) == 0;
	closedir(d);
	assert_int_equal(backups, STORE_SCHEMA_VERSION > 1 ? 1 : 0);
	store_close(&f->s);
	{
		char *path = xasprintf("%s/surat.db", f->data);

		assert_lean_insert(path);
		free(path);
	}
}

static void
test_migration_readonly_refuses_old(void **state)
{
	struct tfix	*f = *state;
	struct store	*s;
	struct err	 err;

	if (STORE_SCHEMA_VERSION == 1)
		skip();
	make_v1_store(f->data, 3);
	T_FAILS(store_open(f->data, STORE_OPEN_READONLY, NULL, &s, &err),
	    &err, ERR_USAGE);
	assert_non_null(strstr(err.msg, "upgrade"));
}

/* ------------------------------------------------------------------ */
/* Transactions and the change counter                                 */

static size_t
count_accounts(struct store *s)
{
	struct store_account	*arr;
	struct err		 err;
	size_t			 n;

	err_clear(&err);
	T_OK(store_account_list(s, &arr, &n, &err), &err);
	store_account_list_free(&arr, n);
	return n;
}

static void
test_transactions_nest(void **state)
{
	struct tfix	*f = *state;
	struct store	*s = f->s;
	struct err	 err;

	err_clear(&err);
	assert_int_equal(store_in_transaction(s), 0);
	store_rollback(s);	/* no-op at depth 0 */
	T_FAILS(store_commit(s, &err), &err, ERR_INTERNAL);
	T_OK(store_begin(s, &err), &err);
	t_account(s, "one", STORE_ACCOUNT_IMAP);
	T_OK(store_begin(s, &err), &err);
	assert_int_equal(store_in_transaction(s), 2);
	t_account(s, "two", STORE_ACCOUNT_IMAP);
	store_rollback(s);	/* only "two" */
	assert_int_equal(store_in_transaction(s), 1);
	T_OK(store_begin(s, &err), &err);
	t_account(s, "three", STORE_ACCOUNT_IMAP);
	T_OK(store_commit(s, &err), &err);
	T_OK(store_commit(s, &err), &err);
	assert_int_equal(store_in_transaction(s), 0);
	assert_int_equal(count_accounts(s), 2);
	/* An outer rollback undoes committed inner levels too. */
	T_OK(store_begin(s, &err), &err);
	T_OK(store_begin(s, &err), &err);
	t_account(s, "four", STORE_ACCOUNT_IMAP);
	T_OK(store_commit(s, &err), &err);
	store_rollback(s);
	assert_int_equal(count_accounts(s), 2);
	/* A failing call inside a transaction undoes only itself. */
	T_OK(store_begin(s, &err), &err);
	t_account(s, "five", STORE_ACCOUNT_IMAP);
	{
		int64_t id;

		T_FAILS(store_account_ensure(s, "five", STORE_ACCOUNT_POP3,
		    &id, &err), &err, ERR_USAGE);
		T_FAILS(store_folder_ensure(s, 12345, "X", 0, 0, &id, &err),
		    &err, ERR_NOTFOUND);
	}
	assert_int_equal(store_in_transaction(s), 1);
	T_OK(store_commit(s, &err), &err);
	assert_int_equal(count_accounts(s), 3);
	/* Durable commits end the outermost level; at depth 0 they sync. */
	T_OK(store_commit_durable(s, &err), &err);
	T_OK(store_begin(s, &err), &err);
	t_account(s, "six", STORE_ACCOUNT_IMAP);
	T_OK(store_commit_durable(s, &err), &err);
	assert_int_equal(store_in_transaction(s), 0);
	assert_int_equal(count_accounts(s), 4);
	T_OK(store_begin(s, &err), &err);
	T_OK(store_begin(s, &err), &err);
	T_FAILS(store_commit_durable(s, &err), &err, ERR_INTERNAL);
	T_OK(store_commit(s, &err), &err);
	T_OK(store_commit(s, &err), &err);
	/* Closing with a transaction open rolls it back. */
	T_OK(store_begin(s, &err), &err);
	t_account(s, "seven", STORE_ACCOUNT_IMAP);
	store_close(&f->s);
	T_OK(store_open(f->data, 0, NULL, &f->s, &err), &err);
	assert_int_equal(count_accounts(f->s), 4);
}

static void
test_writer_blocks_other_connection_briefly(void **state)
{
	struct tfix	*f = *state;
	struct store	*more;
	struct err	 err;
	int64_t		 id;

	err_clear(&err);
	T_OK(store_open_more(f->s, &more, &err), &err);
	T_OK(store_begin(f->s, &err), &err);
	t_account(f->s, "a", STORE_ACCOUNT_IMAP);
	/* Readers see the last commit, not the open transaction. */
	assert_int_equal(count_accounts(more), 0);
	T_OK(store_commit(f->s, &err), &err);
	assert_int_equal(count_accounts(more), 1);
	T_OK(store_account_ensure(more, "b", STORE_ACCOUNT_IMAP, &id, &err),
	    &err);
	assert_int_equal(count_accounts(f->s), 2);
	store_close(&more);
}

static void
test_change_counter(void **state)
{
	struct tfix	*f = *state;
	struct store	*ui;
	struct err	 err;
	uint64_t	 c0, c1;
	int64_t		 acc;

	err_clear(&err);
	T_OK(store_open_more(f->s, &ui, &err), &err);
	c0 = store_change_counter(ui);
	assert_int_equal(store_change_counter(ui), c0);	/* no change */
	/* Another connection's commit moves the reader's counter. */
	acc = t_account(f->s, "a", STORE_ACCOUNT_IMAP);
	c1 = store_change_counter(ui);
	assert_true(c1 != c0);
	assert_int_equal(store_change_counter(ui), c1);
	/* Its own writes too. */
	c0 = store_change_counter(f->s);
	t_folder(f->s, acc, "INBOX", STORE_ROLE_INBOX);
	assert_true(store_change_counter(f->s) != c0);
	/* And a read does not. */
	c0 = store_change_counter(ui);
	assert_int_equal(count_accounts(ui), 1);
	assert_int_equal(store_change_counter(ui), c0);
	store_close(&ui);
}

/*
 * The design's threads: the sync worker writes batches on its own
 * connection while the UI thread flags messages and reads pages on
 * another.  Nothing fails with "busy", nothing is lost.
 */
struct writer_arg {
	struct store	*s;
	int64_t		 folder;
	uint32_t	 first_uid;
	int		 failures;
	char		 msg[256];
};

static void *
writer_thread(void *varg)
{
	struct writer_arg	*a = varg;
	struct store_msg	 m;
	struct err		 err;
	int64_t			 id;
	int			 batch, i, rc;

	for (batch = 0; batch < 20; batch++) {
		err_clear(&err);
		rc = store_begin(a->s, &err);
		for (i = 0; rc == 0 && i < 25; i++) {
			memset(&m, 0, sizeof m);
			m.folder_id = a->folder;
			m.uid = a->first_uid + (uint32_t)(batch * 25 + i);
			m.subject = (char *)"threaded";
			rc = store_message_insert(a->s, &m, &id, &err);
			if (rc == 0)
				rc = store_message_flags(a->s, id,
				    STORE_FLAG_SEEN, 0, &err);
		}
		if (rc == 0)
			rc = store_commit(a->s, &err);
		else
			store_rollback(a->s);
		if (rc == -1) {
			a->failures++;
			str_lcpy(a->msg, err.msg, sizeof a->msg);
		}
	}
	return NULL;
}

static void
test_threads_write_concurrently(void **state)
{
	struct tfix		*f = *state;
	struct writer_arg	 a[2];
	struct store_sort	 so = { STORE_SORT_DATE, true, false };
	struct store_row	*rows;
	pthread_t		 th[2];
	struct err		 err;
	int64_t			 acc, fo, unread;
	size_t			 n;
	int			 i;

	acc = t_account(f->s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(f->s, acc, "INBOX", STORE_ROLE_INBOX);
	err_clear(&err);
	for (i = 0; i < 2; i++) {
		memset(&a[i], 0, sizeof a[i]);
		T_OK(store_open_more(f->s, &a[i].s, &err), &err);
		a[i].folder = fo;
		a[i].first_uid = (uint32_t)(1 + i * 10000);
		assert_int_equal(pthread_create(&th[i], NULL, writer_thread,
		    &a[i]), 0);
	}
	/* Meanwhile this thread reads, as the UI does. */
	for (i = 0; i < 50; i++) {
		T_OK(store_index_page(f->s, fo, &so, NULL, STORE_PAGE_FORWARD,
		    20, &rows, &n, &err), &err);
		store_rows_free(&rows, n);
		(void)store_change_counter(f->s);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		if (a[i].failures > 0)
			fail_msg("writer %d: %d failures: %s", i,
			    a[i].failures, a[i].msg);
		store_close(&a[i].s);
	}
	assert_int_equal(t_folder_total(f->s, fo, &unread), 1000);
	assert_int_equal(unread, 0);
}

static int
child_write_account(const char *dir, pid_t holder)
{
	struct store	*s;
	struct err	 err;
	int64_t		 id;

	(void)holder;
	if (store_open(dir, 0, "child", &s, &err) == -1)
		return 1;
	if (store_account_ensure(s, "from-child", STORE_ACCOUNT_LOCAL, &id,
	    &err) == -1)
		return 2;
	store_close(&s);
	return 0;
}

static void
test_change_counter_other_process(void **state)
{
	struct tfix	*f = *state;
	struct store	*ro;
	struct err	 err;
	uint64_t	 c0;

	store_close(&f->s);
	/* A read-only viewer notices another process's commit. */
	err_clear(&err);
	T_OK(store_open(f->data, STORE_OPEN_READONLY, NULL, &ro, &err), &err);
	c0 = store_change_counter(ro);
	assert_int_equal(run_child(child_write_account, f->data), 0);
	assert_true(store_change_counter(ro) != c0);
	assert_int_equal(count_accounts(ro), 1);
	store_close(&ro);
}

/*
 * A message stored inside a caller's transaction has no savepoint of its
 * own (store_begin_light): a failure in it poisons the enclosing level, whose
 * commit then fails and keeps nothing of it; rolling back an inner level
 * that the caller opened undoes the damage and clears the poison.
 */
static void
test_light_level_failure_poisons(void **state)
{
	struct tfix			*f = *state;
	struct store_body_writer	*w;
	struct err			 err;
	int64_t				 acc, fo;

	acc = t_account(f->s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(f->s, acc, "INBOX", STORE_ROLE_INBOX);
	err_clear(&err);
	T_OK(store_begin(f->s, &err), &err);
	t_msg(f->s, fo, 1, NULL, NULL, NULL, 1000, "Ani", "kept?", 0);
	T_FAILS(store_body_write_begin(f->s, 424242, &w, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_commit(f->s, &err), &err, ERR_STORE);
	assert_int_equal(store_in_transaction(f->s), 0);
	assert_int_equal(t_folder_total(f->s, fo, NULL), 0);

	/* The caller's own inner level takes the failure alone. */
	err_clear(&err);
	T_OK(store_begin(f->s, &err), &err);
	t_msg(f->s, fo, 2, NULL, NULL, NULL, 1001, "Ani", "kept", 0);
	T_OK(store_begin(f->s, &err), &err);
	T_FAILS(store_body_write_begin(f->s, 424242, &w, &err), &err,
	    ERR_NOTFOUND);
	store_rollback(f->s);
	err_clear(&err);
	T_OK(store_commit(f->s, &err), &err);
	assert_int_equal(t_folder_total(f->s, fo, NULL), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_open_creates_private_files, t_setup_closed,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_open_journal_is_wal,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_open_bad_dir,
		    t_setup_closed, t_teardown),
		cmocka_unit_test_setup_teardown(test_lock_second_process,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_lock_stale_after_crash,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_corrupt_garbage_refused_untouched, t_setup_closed,
		    t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_corrupt_damaged_pages_refused, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_disk_full_loses_nothing,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_big_store_checked_after_crash, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_empty_file_becomes_a_store, t_setup_closed,
		    t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_foreign_and_newer_files_refused, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_readonly, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_light_level_failure_poisons, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_migration_keeps_all_mail, t_setup_closed,
		    t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_migration_readonly_refuses_old, t_setup_closed,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_transactions_nest,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_writer_blocks_other_connection_briefly, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(test_change_counter, t_setup,
		    t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_threads_write_concurrently, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_change_counter_other_process, t_setup,
		    t_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
