/*
 * Unit tests of src/sync that need no server: local changes written to
 * the store and queued as pending operations in one step (what each
 * queues, and that POP3/local accounts queue nothing), reports, and the
 * job queue's plumbing (notify pipe, status, an unreachable server).
 */
#include "config.h"

#include "testutil.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "store/store.h"
#include "sync/sync.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct fx {
	char		 dir[64];
	struct store	*st;
	int64_t		 acct, inbox, archive;
	int64_t		 msg;		/* in inbox, UID 7 */
};

static int64_t
add_msg(struct fx *f, int64_t folder, uint32_t uid, const char *subject)
{
	struct store_msg	m;
	struct err		e;
	int64_t			id;

	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.uid = uid;
	m.subject = (char *)subject;
	m.message_id = (char *)"id@test";
	m.date = 1700000000;
	err_clear(&e);
	assert_int_equal(store_message_insert(f->st, &m, &id, &e), 0);
	return id;
}

static int
setup_kind(void **state, enum store_account_kind kind)
{
	struct fx	*f = xcalloc(1, sizeof *f);
	struct err	 e;

	strcpy(f->dir, "/tmp/surat-tsync-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	err_clear(&e);
	if (store_open(f->dir, STORE_OPEN_NOCHECK, "test", &f->st, &e) == -1 ||
	    store_account_ensure(f->st, "a", kind, &f->acct, &e) == -1 ||
	    store_folder_ensure(f->st, f->acct, "INBOX", '.', STORE_ROLE_INBOX,
	    &f->inbox, &e) == -1 ||
	    store_folder_ensure(f->st, f->acct, "Archive", '.',
	    STORE_ROLE_ARCHIVE, &f->archive, &e) == -1) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	f->msg = add_msg(f, f->inbox, 7, "hello");
	*state = f;
	return 0;
}

static int
setup_imap(void **state)
{
	return setup_kind(state, STORE_ACCOUNT_IMAP);
}

static int
setup_pop3(void **state)
{
	return setup_kind(state, STORE_ACCOUNT_POP3);
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 cmd[128];

	store_close(&f->st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void
ops(struct fx *f, struct store_op **arr, size_t *n)
{
	struct err	e;

	err_clear(&e);
	assert_int_equal(store_op_list(f->st, f->acct, arr, n, &e), 0);
}

static void
test_flags_queue(void **state)
{
	struct fx		*f = *state;
	struct store_op		*o;
	struct store_msg	*m;
	struct store_folder	*fo;
	struct err		 e;
	size_t			 n;

	err_clear(&e);
	assert_int_equal(sync_local_flags(f->st, f->msg, STORE_FLAG_SEEN |
	    STORE_FLAG_FLAGGED, 0, &e), 0);
	/* Setting what is set already queues nothing more. */
	assert_int_equal(sync_local_flags(f->st, f->msg, STORE_FLAG_SEEN, 0,
	    &e), 0);
	assert_int_equal(sync_local_flags(f->st, f->msg, STORE_FLAG_DRAFT,
	    STORE_FLAG_FLAGGED, &e), 0);
	assert_int_equal(store_message_get(f->st, f->msg, &m, &e), 0);
	assert_int_equal(m->flags, STORE_FLAG_SEEN | STORE_FLAG_DRAFT);
	store_msg_free(&m);
	assert_int_equal(store_folder_get(f->st, f->inbox, &fo, &e), 0);
	assert_int_equal(fo->unread, 0);
	store_folder_free(&fo);
	ops(f, &o, &n);
	assert_int_equal(n, 3);
	assert_int_equal(o[0].type, STORE_OP_FLAG);
	assert_int_equal(o[0].flags, STORE_FLAG_SEEN | STORE_FLAG_FLAGGED);
	assert_int_equal(o[0].uid, 7);
	assert_int_equal(o[0].folder_id, f->inbox);
	assert_int_equal(o[0].message_id, f->msg);
	assert_int_equal(o[1].type, STORE_OP_FLAG);
	assert_int_equal(o[1].flags, STORE_FLAG_DRAFT);
	assert_int_equal(o[2].type, STORE_OP_UNFLAG);
	assert_int_equal(o[2].flags, STORE_FLAG_FLAGGED);
	store_op_list_free(&o, n);
}

static void
test_move_copy_delete_queue(void **state)
{
	struct fx		*f = *state;
	struct store_op		*o;
	struct store_msg	*m;
	struct err		 e;
	int64_t			 other, copy;
	size_t			 n;

	err_clear(&e);
	other = add_msg(f, f->inbox, 9, "other");
	assert_int_equal(sync_local_move(f->st, f->msg, f->archive, &e), 0);
	assert_int_equal(store_message_get(f->st, f->msg, &m, &e), 0);
	assert_int_equal(m->folder_id, f->archive);
	assert_int_equal(m->uid, 0);	/* until the server's COPYUID */
	store_msg_free(&m);
	assert_int_equal(sync_local_copy(f->st, other, f->archive, &copy, &e),
	    0);
	assert_int_not_equal(copy, other);
	assert_int_equal(sync_local_delete(f->st, other, &e), 0);
	assert_int_equal(store_message_get(f->st, other, &m, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	ops(f, &o, &n);
	assert_int_equal(n, 3);
	assert_int_equal(o[0].type, STORE_OP_MOVE);
	assert_int_equal(o[0].uid, 7);
	assert_int_equal(o[0].folder_id, f->inbox);
	assert_int_equal(o[0].target_folder_id, f->archive);
	assert_int_equal(o[0].message_id, f->msg);
	assert_int_equal(o[1].type, STORE_OP_COPY);
	assert_int_equal(o[1].uid, 9);
	assert_int_equal(o[1].message_id, copy);
	assert_int_equal(o[2].type, STORE_OP_DELETE);
	assert_int_equal(o[2].uid, 9);
	assert_int_equal(o[2].message_id, 0);	/* the row is gone */
	store_op_list_free(&o, n);
	/* Across accounts is refused, and nothing is queued. */
	{
		int64_t	a2, f2;

		assert_int_equal(store_account_ensure(f->st, "b",
		    STORE_ACCOUNT_IMAP, &a2, &e), 0);
		assert_int_equal(store_folder_ensure(f->st, a2, "INBOX", '.',
		    STORE_ROLE_INBOX, &f2, &e), 0);
		assert_int_equal(sync_local_move(f->st, f->msg, f2, &e), -1);
		assert_int_equal(e.code, ERR_USAGE);
		ops(f, &o, &n);
		assert_int_equal(n, 3);
		store_op_list_free(&o, n);
	}
	/* The UID learnt later reaches queued operations that lacked it. */
	assert_int_equal(sync_local_flags(f->st, f->msg, STORE_FLAG_SEEN, 0,
	    &e), 0);
	assert_int_equal(store_op_learn_uid(f->st, f->msg, f->archive, 42,
	    &e), 0);
	ops(f, &o, &n);
	assert_int_equal(o[n - 1].type, STORE_OP_FLAG);
	assert_int_equal(o[n - 1].folder_id, f->archive);
	assert_int_equal(o[n - 1].uid, 42);
	store_op_list_free(&o, n);
}

static void
test_append_queue(void **state)
{
	struct fx		*f = *state;
	struct store_op		*o;
	struct store_msg	*m;
	struct buf		 b = BUF_INIT;
	struct err		 e;
	const char		*raw = "From: Ani <ani@example.test>\r\n"
	    "To: budi@example.test\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n"
	    "Message-ID: <d1@test>\r\n\r\nplum pudding\r\n";
	int64_t			 id, *ids;
	size_t			 n;
	struct store_query	 q;

	err_clear(&e);
	assert_int_equal(sync_local_append(f->st, f->archive, raw,
	    strlen(raw), STORE_FLAG_DRAFT | STORE_FLAG_SEEN, &id, &e), 0);
	assert_int_equal(store_message_get(f->st, id, &m, &e), 0);
	assert_string_equal(m->subject, "caf\xc3\xa9");
	assert_string_equal(m->from_name, "Ani");
	assert_string_equal(m->from_addr, "ani@example.test");
	assert_string_equal(m->message_id, "d1@test");
	assert_int_equal(m->uid, 0);
	assert_int_equal(m->body_state, STORE_BODY_FULL);
	assert_int_equal(m->flags, STORE_FLAG_DRAFT | STORE_FLAG_SEEN);
	store_msg_free(&m);
	assert_int_equal(store_body_get(f->st, id, &b, &e), 0);
	assert_int_equal(b.len, strlen(raw));
	buf_free(&b);
	/* The body is searchable at once. */
	memset(&q, 0, sizeof q);
	q.text = "pudding";
	assert_int_equal(store_search(f->st, &q, &ids, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], id);
	free(ids);
	ops(f, &o, &n);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].type, STORE_OP_APPEND);
	assert_int_equal(o[0].message_id, id);
	assert_int_equal(o[0].target_folder_id, f->archive);
	store_op_list_free(&o, n);
}

/* POP3 (and local) accounts have no server state to replay into. */
static void
test_pop3_no_queue(void **state)
{
	struct fx		*f = *state;
	struct store_op		*o;
	struct err		 e;
	size_t			 n;

	err_clear(&e);
	assert_int_equal(sync_local_flags(f->st, f->msg, STORE_FLAG_SEEN, 0,
	    &e), 0);
	assert_int_equal(sync_local_move(f->st, f->msg, f->archive, &e), 0);
	assert_int_equal(sync_local_delete(f->st, f->msg, &e), 0);
	ops(f, &o, &n);
	assert_int_equal(n, 0);
	store_op_list_free(&o, n);
}

static void
test_report(void **state)
{
	struct sync_report	r;

	(void)state;
	memset(&r, 0, sizeof r);
	sync_report_conflict(&r, "%s: %d", "INBOX", 3);
	sync_report_conflict(&r, "two");
	assert_int_equal(r.nconflicts, 2);
	assert_string_equal(r.conflicts[0], "INBOX: 3");
	sync_report_clear(&r);
	assert_int_equal(r.nconflicts, 0);
	assert_null(r.conflicts);
}

static bool
wait_idle(struct sync_jobs *j)
{
	int	i;

	for (i = 0; i < 200; i++) {
		if (sync_jobs_pending(j) == 0)
			return true;
		usleep(20000);
	}
	return false;
}

static void
test_jobs(void **state)
{
	struct fx		*f = *state;
	struct config		 cfg;
	struct config_account	 a;
	struct sync_jobs	*j;
	struct sync_status	 s;
	struct pollfd		 pfd;
	struct err		 e;

	config_init(&cfg);
	config_account_init(&a);
	a.id = (char *)"a";
	a.email = (char *)"a@example.test";
	a.user = (char *)"a";
	a.password = (char *)"secret";
	a.incoming.protocol = CONFIG_PROTO_IMAP;
	a.incoming.security = NET_SECURITY_TLS;
	a.incoming.host = (char *)"127.0.0.1";
	a.incoming.port = 1;	/* nothing listens there */
	a.timeout = 5;
	cfg.accounts = &a;
	cfg.naccounts = 1;
	err_clear(&e);
	assert_int_equal(sync_jobs_new(f->st, &cfg, &j, &e), 0);
	assert_true(sync_jobs_notify_fd(j) >= 0);
	sync_jobs_sync(j, 0);
	sync_jobs_replay(j, 0);
	sync_jobs_fetch_body(j, f->msg);
	sync_jobs_send(j, 0);
	assert_true(wait_idle(j));
	pfd.fd = sync_jobs_notify_fd(j);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	assert_true(sync_jobs_drain(j));
	assert_false(sync_jobs_drain(j));
	sync_jobs_status(j, &s);
	assert_false(s.online);
	assert_string_equal(s.progress, "");
	assert_non_null(strstr(s.error, "127.0.0.1"));
	/* Polling runs a sync by itself. */
	sync_jobs_poll(j, 1);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_true(sync_jobs_drain(j));
	sync_jobs_poll(j, 0);
	/* IDLE on a folder whose server is down backs off quietly. */
	sync_jobs_idle(j, f->inbox);
	usleep(100000);
	sync_jobs_free(&j);
	assert_null(j);
	sync_jobs_free(&j);
	cfg.accounts = NULL;
	cfg.naccounts = 0;
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flags_queue, setup_imap,
		    teardown),
		cmocka_unit_test_setup_teardown(test_move_copy_delete_queue,
		    setup_imap, teardown),
		cmocka_unit_test_setup_teardown(test_append_queue, setup_imap,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pop3_no_queue, setup_pop3,
		    teardown),
		cmocka_unit_test(test_report),
		cmocka_unit_test_setup_teardown(test_jobs, setup_imap,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
