/*
 * Unit tests for src/store, part four: the queues and logs the engines
 * work through: pending operations, the outbox state machine (also
 * across a crash), POP3 UIDL records, and address completion.
 */
#include "config.h"

#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "teststore.h"
#include "util/buf.h"

/* ------------------------------------------------------------------ */
/* Pending operations                                                  */

static int64_t
enqueue(struct store *s, int64_t acc, enum store_op_type type, int64_t msg,
    int64_t folder, uint32_t uid, int64_t target, unsigned flags,
    const char *args)
{
	struct store_op	op;
	struct err	err;
	int64_t		id;

	memset(&op, 0, sizeof op);
	op.account_id = acc;
	op.type = type;
	op.message_id = msg;
	op.folder_id = folder;
	op.uid = uid;
	op.target_folder_id = target;
	op.flags = flags;
	op.args = (char *)args;
	op.state = STORE_OP_FAILED;	/* ignored */
	op.attempts = 9;		/* ignored */
	err_clear(&err);
	T_OK(store_op_enqueue(s, &op, &id, &err), &err);
	return id;
}

static void
test_ops_queue_in_order(void **state)
{
	struct tfix	*f = *state;
	struct store	*s = f->s;
	struct store_op	*ops, bad;
	struct err	 err;
	int64_t		 a, b, in, trash, m1, m2, o1, o2, o3, o4, ob;
	size_t		 n;

	a = t_account(s, "a", STORE_ACCOUNT_IMAP);
	b = t_account(s, "b", STORE_ACCOUNT_IMAP);
	in = t_folder(s, a, "INBOX", STORE_ROLE_INBOX);
	trash = t_folder(s, a, "Trash", STORE_ROLE_TRASH);
	m1 = t_msg(s, in, 11, NULL, NULL, NULL, 1, "A", "s", 0);
	m2 = t_msg(s, in, 12, NULL, NULL, NULL, 1, "A", "s", 0);
	o1 = enqueue(s, a, STORE_OP_FLAG, m1, in, 11, 0, STORE_FLAG_SEEN,
	    "$Done");
	ob = enqueue(s, b, STORE_OP_EXPUNGE, 0, 0, 0, 0, 0, NULL);
	o2 = enqueue(s, a, STORE_OP_MOVE, m2, in, 12, trash, 0, NULL);
	o3 = enqueue(s, a, STORE_OP_UNFLAG, m1, in, 11, 0, STORE_FLAG_SEEN,
	    NULL);
	o4 = enqueue(s, a, STORE_OP_APPEND, m1, 0, 0, trash, 0, NULL);
	assert_true(o1 < o2 && o2 < o3 && o3 < o4);
	err_clear(&err);
	T_OK(store_op_next(s, a, 2, &ops, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_int_equal(ops[0].id, o1);
	assert_int_equal(ops[0].type, STORE_OP_FLAG);
	assert_int_equal(ops[0].account_id, a);
	assert_int_equal(ops[0].message_id, m1);
	assert_int_equal(ops[0].folder_id, in);
	assert_int_equal(ops[0].uid, 11);
	assert_int_equal(ops[0].flags, STORE_FLAG_SEEN);
	assert_string_equal(ops[0].args, "$Done");
	assert_int_equal(ops[0].state, STORE_OP_QUEUED);
	assert_int_equal(ops[0].attempts, 0);
	assert_null(ops[0].last_error);
	assert_true(ops[0].created > 0);
	assert_int_equal(ops[1].id, o2);
	assert_int_equal(ops[1].target_folder_id, trash);
	store_op_list_free(&ops, n);
	assert_null(ops);
	T_OK(store_op_count(s, a, &n, &err), &err);
	assert_int_equal(n, 4);
	T_OK(store_op_count(s, 0, &n, &err), &err);
	assert_int_equal(n, 5);
	/* A transient failure counts an attempt and keeps the place. */
	T_OK(store_op_failed(s, o1, "connection lost", false, &err), &err);
	T_OK(store_op_next(s, a, 10, &ops, &n, &err), &err);
	assert_int_equal(n, 4);
	assert_int_equal(ops[0].id, o1);
	assert_int_equal(ops[0].attempts, 1);
	assert_string_equal(ops[0].last_error, "connection lost");
	store_op_list_free(&ops, n);
	/* A permanent one leaves the queue but stays listed. */
	T_OK(store_op_failed(s, o2, "NO [NONEXISTENT] gone", true, &err),
	    &err);
	T_OK(store_op_next(s, a, 10, &ops, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_int_equal(ops[1].id, o3);
	store_op_list_free(&ops, n);
	T_OK(store_op_count(s, a, &n, &err), &err);
	assert_int_equal(n, 3);
	T_OK(store_op_list(s, a, &ops, &n, &err), &err);
	assert_int_equal(n, 4);
	assert_int_equal(ops[1].state, STORE_OP_FAILED);
	assert_int_equal(ops[1].attempts, 1);
	assert_string_equal(ops[1].last_error, "NO [NONEXISTENT] gone");
	store_op_list_free(&ops, n);
	T_OK(store_op_list(s, 0, &ops, &n, &err), &err);
	assert_int_equal(n, 5);
	store_op_list_free(&ops, n);
	/* The user retries it: back in its old place. */
	T_OK(store_op_retry(s, o2, &err), &err);
	T_OK(store_op_next(s, a, 2, &ops, &n, &err), &err);
	assert_int_equal(ops[1].id, o2);
	store_op_list_free(&ops, n);
	/* Done: gone from the queue. */
	T_OK(store_op_done(s, o1, &err), &err);
	T_FAILS(store_op_done(s, o1, &err), &err, ERR_NOTFOUND);
	T_FAILS(store_op_failed(s, o1, "x", false, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_op_retry(s, o1, &err), &err, ERR_NOTFOUND);
	T_OK(store_op_next(s, a, 10, &ops, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_int_equal(ops[0].id, o2);
	store_op_list_free(&ops, n);
	T_OK(store_op_next(s, b, 10, &ops, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(ops[0].id, ob);
	assert_int_equal(ops[0].message_id, 0);
	assert_int_equal(ops[0].uid, 0);
	store_op_list_free(&ops, n);
	/* Nonsense is refused, and nothing is queued. */
	memset(&bad, 0, sizeof bad);
	bad.account_id = a;
	bad.type = (enum store_op_type)77;
	T_FAILS(store_op_enqueue(s, &bad, NULL, &err), &err, ERR_USAGE);
	bad.type = STORE_OP_FLAG;
	bad.account_id = 999;
	T_FAILS(store_op_enqueue(s, &bad, NULL, &err), &err, ERR_USAGE);
	T_OK(store_op_count(s, 0, &n, &err), &err);
	assert_int_equal(n, 4);
}

static void
test_ops_survive_local_changes(void **state)
{
	struct tfix	*f = *state;
	struct store	*s = f->s;
	struct store_op	*ops;
	struct err	 err;
	int64_t		 a, in, tmp, m, o1, o2, o3;
	size_t		 n;

	a = t_account(s, "a", STORE_ACCOUNT_IMAP);
	in = t_folder(s, a, "INBOX", STORE_ROLE_INBOX);
	tmp = t_folder(s, a, "Tmp", STORE_ROLE_NONE);
	m = t_msg(s, in, 5, NULL, NULL, NULL, 1, "A", "s", 0);
	/* Delete locally at once, replay later: the op keeps the UID. */
	o1 = enqueue(s, a, STORE_OP_DELETE, m, in, 5, 0, 0, NULL);
	err_clear(&err);
	T_OK(store_message_delete(s, m, &err), &err);
	/* A folder deleted locally: ops pointing at it keep going. */
	o2 = enqueue(s, a, STORE_OP_EXPUNGE, 0, tmp, 0, 0, 0, NULL);
	T_OK(store_folder_delete(s, tmp, 0, &err), &err);
	T_OK(store_op_list(s, a, &ops, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_int_equal(ops[0].id, o1);
	assert_int_equal(ops[0].message_id, 0);
	assert_int_equal(ops[0].folder_id, in);
	assert_int_equal(ops[0].uid, 5);
	assert_int_equal(ops[1].id, o2);
	assert_int_equal(ops[1].folder_id, 0);
	store_op_list_free(&ops, n);
	/* A UID learnt later reaches the ops queued without one. */
	m = t_msg(s, in, 0, NULL, NULL, NULL, 1, "A", "draft", 0);
	o3 = enqueue(s, a, STORE_OP_FLAG, m, in, 0, 0, STORE_FLAG_FLAGGED,
	    NULL);
	T_OK(store_op_learn_uid(s, m, in, 321, &err), &err);
	T_OK(store_op_next(s, a, 10, &ops, &n, &err), &err);
	assert_int_equal(ops[n - 1].id, o3);
	assert_int_equal(ops[n - 1].uid, 321);
	assert_int_equal(ops[0].uid, 5);	/* others untouched */
	store_op_list_free(&ops, n);
	/* Forgetting the account forgets its queue. */
	T_OK(store_account_delete(s, a, true, &err), &err);
	T_OK(store_op_count(s, 0, &n, &err), &err);
	assert_int_equal(n, 0);
}

/* ------------------------------------------------------------------ */
/* Outbox                                                              */

static const char raw_msg[] = "From: a@example.com\r\nTo: b@example.com\r\n"
    "Subject: hi\r\n\r\nhello\r\n";

static int64_t
out_add(struct store *s, int64_t acc, const char *rcpts)
{
	struct err	err;
	int64_t		id;

	err_clear(&err);
	T_OK(store_outbox_add(s, acc, raw_msg, sizeof raw_msg - 1,
	    "a@example.com", rcpts, &id, &err), &err);
	return id;
}

static enum store_out_state
out_state(struct store *s, int64_t id, int *attempts_r)
{
	struct store_out	*o;
	struct err		 err;
	enum store_out_state	 st;

	err_clear(&err);
	T_OK(store_outbox_get(s, id, &o, &err), &err);
	st = o->state;
	if (attempts_r != NULL)
		*attempts_r = o->attempts;
	store_out_free(&o);
	return st;
}

static void
test_outbox_state_machine(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_out	*o;
	struct buf		 b = BUF_INIT;
	struct err		 err;
	int64_t			 a, m1, m2, now = 1800000000, when;
	int			 att;

	a = t_account(s, "a", STORE_ACCOUNT_IMAP);
	err_clear(&err);
	T_FAILS(store_outbox_next_due(s, a, now, &o, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_outbox_next_time(s, a, &when, &err), &err,
	    ERR_NOTFOUND);
	m1 = out_add(s, a, "b@example.com\nc@example.com\r\n\n  \n");
	m2 = out_add(s, a, "d@example.com");
	T_OK(store_outbox_get(s, m1, &o, &err), &err);
	assert_int_equal(o->state, STORE_OUT_QUEUED);
	assert_int_equal(o->rcpt_count, 2);
	assert_string_equal(o->env_from, "a@example.com");
	assert_int_equal(o->size, sizeof raw_msg - 1);
	assert_int_equal(o->attempts, 0);
	assert_int_equal(o->sent_at, 0);
	assert_true(o->created > 0);
	store_out_free(&o);
	T_OK(store_outbox_raw(s, m1, &b, &err), &err);
	assert_int_equal(b.len, sizeof raw_msg - 1);
	assert_memory_equal(b.data, raw_msg, b.len);
	/* Oldest first. */
	T_OK(store_outbox_next_due(s, a, now, &o, &err), &err);
	assert_int_equal(o->id, m1);
	store_out_free(&o);
	/* queued -> sending: claimed once only. */
	T_OK(store_outbox_mark_sending(s, m1, &err), &err);
	T_FAILS(store_outbox_mark_sending(s, m1, &err), &err, ERR_USAGE);
	assert_non_null(strstr(err.msg, "sending"));
	T_FAILS(store_outbox_cancel(s, m1, &err), &err, ERR_USAGE);
	T_FAILS(store_outbox_requeue(s, m1, now, &err), &err, ERR_USAGE);
	T_OK(store_outbox_next_due(s, a, now, &o, &err), &err);
	assert_int_equal(o->id, m2);	/* m1 is taken */
	store_out_free(&o);
	/* sending -> queued (4xx): not due before the time given. */
	T_OK(store_outbox_mark_retry(s, m1, now + 300, "451 try later",
	    &err), &err);
	assert_int_equal(out_state(s, m1, &att), STORE_OUT_QUEUED);
	assert_int_equal(att, 1);
	T_OK(store_outbox_mark_sending(s, m2, &err), &err);
	T_FAILS(store_outbox_next_due(s, a, now + 299, &o, &err), &err,
	    ERR_NOTFOUND);
	T_OK(store_outbox_next_time(s, a, &when, &err), &err);
	assert_int_equal(when, now + 300);
	T_OK(store_outbox_next_due(s, 0, now + 300, &o, &err), &err);
	assert_int_equal(o->id, m1);
	assert_string_equal(o->last_error, "451 try later");
	assert_int_equal(o->next_attempt_at, now + 300);
	store_out_free(&o);
	/* sending -> failed (5xx), with the server's words. */
	T_OK(store_outbox_mark_failed(s, m2, "550 5.1.1 no such user", &err),
	    &err);
	assert_int_equal(out_state(s, m2, &att), STORE_OUT_FAILED);
	T_FAILS(store_outbox_mark_sent(s, m2, now, &err), &err, ERR_USAGE);
	T_FAILS(store_outbox_mark_retry(s, m2, now, "x", &err), &err,
	    ERR_USAGE);
	/* The user fixes the address and sends again. */
	T_OK(store_outbox_requeue(s, m2, now + 10, &err), &err);
	assert_int_equal(out_state(s, m2, NULL), STORE_OUT_QUEUED);
	/* sending -> check: the reply to the final dot never came. */
	T_OK(store_outbox_mark_sending(s, m2, &err), &err);
	T_OK(store_outbox_mark_check(s, m2, "connection lost after DATA",
	    &err), &err);
	assert_int_equal(out_state(s, m2, NULL), STORE_OUT_CHECK);
	{
		size_t queued, attention;

		T_OK(store_outbox_count(s, a, &queued, &attention, &err),
		    &err);
		assert_int_equal(queued, 1);	/* m1, due later */
		assert_int_equal(attention, 1);	/* m2 */
		T_OK(store_outbox_count(s, 0, &queued, NULL, &err), &err);
		assert_int_equal(queued, 1);
	}
	/* Never sent again by itself. */
	T_OK(store_outbox_next_due(s, a, now + 100000, &o, &err), &err);
	assert_int_equal(o->id, m1);
	store_out_free(&o);
	/* sending -> sent, and the rate counters see it. */
	T_OK(store_outbox_mark_sending(s, m1, &err), &err);
	T_OK(store_outbox_mark_sent(s, m1, now + 400, &err), &err);
	T_OK(store_outbox_get(s, m1, &o, &err), &err);
	assert_int_equal(o->state, STORE_OUT_SENT);
	assert_int_equal(o->sent_at, now + 400);
	assert_null(o->last_error);
	store_out_free(&o);
	/* The user found m2 in Sent: check -> sent. */
	T_OK(store_outbox_mark_sent(s, m2, now + 500, &err), &err);
	{
		size_t msgs, rcpts;

		T_OK(store_outbox_sent_since(s, a, now, &msgs, &rcpts, &err),
		    &err);
		assert_int_equal(msgs, 2);
		assert_int_equal(rcpts, 3);
		T_OK(store_outbox_sent_since(s, a, now + 450, &msgs, NULL,
		    &err), &err);
		assert_int_equal(msgs, 1);
	}
	T_FAILS(store_outbox_next_due(s, a, now + 100000, &o, &err), &err,
	    ERR_NOTFOUND);
	/* Pruning removes only sent messages sent before the time. */
	T_OK(store_outbox_prune_sent(s, now + 450, &err), &err);
	T_FAILS(store_outbox_get(s, m1, &o, &err), &err, ERR_NOTFOUND);
	T_OK(store_outbox_get(s, m2, &o, &err), &err);
	store_out_free(&o);
	T_FAILS(store_outbox_mark_sending(s, 999, &err), &err, ERR_NOTFOUND);
	T_FAILS(store_outbox_raw(s, 999, &b, &err), &err, ERR_NOTFOUND);
	buf_free(&b);
}

static void
test_outbox_add_cancel_list(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_out	*arr;
	struct err		 err;
	int64_t			 a, b, id, m1, m2, m3;
	size_t			 n;

	a = t_account(s, "a", STORE_ACCOUNT_IMAP);
	b = t_account(s, "b", STORE_ACCOUNT_POP3);
	err_clear(&err);
	T_FAILS(store_outbox_add(s, a, "x", 1, "a@b", "", &id, &err), &err,
	    ERR_USAGE);
	T_FAILS(store_outbox_add(s, a, "x", 1, "a@b", " \r\n\n", &id, &err),
	    &err, ERR_USAGE);
	T_FAILS(store_outbox_add(s, a, "x", 1, NULL, "c@d", &id, &err), &err,
	    ERR_USAGE);
	T_FAILS(store_outbox_add(s, 999, "x", 1, "a@b", "c@d", &id, &err),
	    &err, ERR_USAGE);
	m1 = out_add(s, a, "x@example.com");
	m2 = out_add(s, b, "y@example.com");
	m3 = out_add(s, a, "z@example.com");
	T_OK(store_outbox_list(s, 0, &arr, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_int_equal(arr[0].id, m1);
	assert_int_equal(arr[1].id, m2);
	assert_string_equal(arr[2].rcpts, "z@example.com");
	store_outbox_list_free(&arr, n);
	assert_null(arr);
	T_OK(store_outbox_list(s, b, &arr, &n, &err), &err);
	assert_int_equal(n, 1);
	store_outbox_list_free(&arr, n);
	T_OK(store_outbox_cancel(s, m3, &err), &err);
	T_FAILS(store_outbox_cancel(s, m3, &err), &err, ERR_NOTFOUND);
	T_OK(store_outbox_list(s, a, &arr, &n, &err), &err);
	assert_int_equal(n, 1);
	store_outbox_list_free(&arr, n);
	/* An empty message body is still a message. */
	T_OK(store_outbox_add(s, a, NULL, 0, "a@b", "c@d", &id, &err), &err);
}

static int
child_claims_and_dies(const char *dir, int64_t id)
{
	struct store	*s;
	struct err	 err;

	if (store_open(dir, 0, "surat send", &s, &err) == -1)
		return 1;
	if (store_outbox_mark_sending(s, id, &err) == -1)
		return 2;
	_exit(0);	/* killed between the final dot and the reply */
}

static void
test_outbox_crash_while_sending(void **state)
{
	struct tfix		*f = *state;
	struct store_out	*o;
	struct err		 err;
	int64_t			 a, id, other;
	pid_t			 pid;
	int			 status;

	a = t_account(f->s, "a", STORE_ACCOUNT_IMAP);
	id = out_add(f->s, a, "b@example.com");
	other = out_add(f->s, a, "c@example.com");
	store_close(&f->s);
	fflush(NULL);
	if ((pid = fork()) == 0)
		_exit(child_claims_and_dies(f->data, id));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	/* The next open cannot know whether it went: "check", not sent
	 * again by itself; the untouched one is still queued. */
	err_clear(&err);
	T_OK(store_open(f->data, 0, NULL, &f->s, &err), &err);
	T_OK(store_outbox_get(f->s, id, &o, &err), &err);
	assert_int_equal(o->state, STORE_OUT_CHECK);
	assert_non_null(o->last_error);
	store_out_free(&o);
	assert_int_equal(out_state(f->s, other, NULL), STORE_OUT_QUEUED);
	T_OK(store_outbox_next_due(f->s, a, 4000000000LL, &o, &err), &err);
	assert_int_equal(o->id, other);
	store_out_free(&o);
}

/* ------------------------------------------------------------------ */
/* POP3 UIDLs                                                          */

static void
test_pop3_uidls(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_uidl	*arr;
	struct err		 err;
	struct store_msg	 m;
	int64_t			 a, b, in, id1, id2, first;
	size_t			 n;
	bool			 known;
	const char		*present[] = { "U2", "U3" };

	a = t_account(s, "pop", STORE_ACCOUNT_POP3);
	b = t_account(s, "pop2", STORE_ACCOUNT_POP3);
	in = t_folder(s, a, "INBOX", STORE_ROLE_INBOX);
	err_clear(&err);
	T_OK(store_pop3_known(s, a, "U1", &known, &err), &err);
	assert_false(known);
	/* A download: message and UIDL in one transaction. */
	memset(&m, 0, sizeof m);
	m.folder_id = in;
	m.uidl = (char *)"U1";
	T_OK(store_begin(s, &err), &err);
	T_OK(store_message_insert(s, &m, &id1, &err), &err);
	T_OK(store_pop3_record(s, a, "U1", id1, &err), &err);
	T_OK(store_commit_durable(s, &err), &err);
	/* A download whose transaction died: neither is there. */
	m.uidl = (char *)"U9";
	T_OK(store_begin(s, &err), &err);
	T_OK(store_message_insert(s, &m, &id2, &err), &err);
	T_OK(store_pop3_record(s, a, "U9", id2, &err), &err);
	store_rollback(s);
	T_OK(store_pop3_known(s, a, "U9", &known, &err), &err);
	assert_false(known);
	m.uidl = (char *)"U2";
	T_OK(store_message_insert(s, &m, &id2, &err), &err);
	T_OK(store_pop3_record(s, a, "U2", id2, &err), &err);
	T_OK(store_pop3_record(s, a, "U3", 0, &err), &err);
	T_OK(store_pop3_known(s, a, "U1", &known, &err), &err);
	assert_true(known);
	T_OK(store_pop3_known(s, b, "U1", &known, &err), &err);
	assert_false(known);	/* per account */
	T_FAILS(store_pop3_record(s, a, "", 0, &err), &err, ERR_USAGE);
	T_OK(store_pop3_list(s, a, &arr, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_string_equal(arr[0].uidl, "U1");
	assert_int_equal(arr[0].message_id, id1);
	assert_int_equal(arr[0].state, STORE_UIDL_DOWNLOADED);
	assert_true(arr[0].first_seen > 0);
	first = arr[0].first_seen;
	assert_int_equal(arr[2].message_id, 0);
	store_pop3_list_free(&arr, n);
	assert_null(arr);
	/* Recording again keeps the first-seen date (keep-days counts
	 * from the first download). */
	sleep(1);
	T_OK(store_pop3_record(s, a, "U1", id1, &err), &err);
	T_OK(store_pop3_list(s, a, &arr, &n, &err), &err);
	assert_int_equal(arr[0].first_seen, first);
	store_pop3_list_free(&arr, n);
	/* Deleted locally (keep-until-deleted): the record says so. */
	T_OK(store_message_delete(s, id2, &err), &err);
	T_OK(store_pop3_list(s, a, &arr, &n, &err), &err);
	assert_string_equal(arr[1].uidl, "U2");
	assert_int_equal(arr[1].message_id, 0);
	store_pop3_list_free(&arr, n);
	/* We deleted it on the server. */
	T_OK(store_pop3_mark_deleted(s, a, "U1", &err), &err);
	T_FAILS(store_pop3_mark_deleted(s, a, "nope", &err), &err,
	    ERR_NOTFOUND);
	T_OK(store_pop3_list(s, a, &arr, &n, &err), &err);
	assert_int_equal(arr[0].state, STORE_UIDL_DELETED);
	assert_int_equal(arr[0].message_id, id1);	/* local copy stays */
	store_pop3_list_free(&arr, n);
	/* Gone from the server: forgotten; the mail is not touched. */
	T_OK(store_pop3_forget_missing(s, a, present, 2, &err), &err);
	T_OK(store_pop3_list(s, a, &arr, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_string_equal(arr[0].uidl, "U2");
	assert_string_equal(arr[1].uidl, "U3");
	store_pop3_list_free(&arr, n);
	{
		struct store_msg *g;

		T_OK(store_message_get(s, id1, &g, &err), &err);
		store_msg_free(&g);
	}
	/* An empty server list forgets everything (and nothing breaks). */
	T_OK(store_pop3_forget_missing(s, a, NULL, 0, &err), &err);
	T_OK(store_pop3_list(s, a, &arr, &n, &err), &err);
	assert_int_equal(n, 0);
	store_pop3_list_free(&arr, n);
	/* Hostile UIDLs are just text. */
	T_OK(store_pop3_record(s, b, "../../etc/passwd\x01'\"", 0, &err),
	    &err);
	T_OK(store_pop3_known(s, b, "../../etc/passwd\x01'\"", &known,
	    &err), &err);
	assert_true(known);
}

/* ------------------------------------------------------------------ */
/* Addresses                                                           */

static void
test_address_completion_ranking(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_address	*arr;
	struct err		 err;
	size_t			 n;
	int			 i;

	err_clear(&err);
	T_OK(store_address_seen(s, "budi@example.com", "Budi Santoso", 100,
	    &err), &err);
	for (i = 0; i < 5; i++)
		T_OK(store_address_seen(s, "bunga@example.com", NULL, 50 + i,
		    &err), &err);
	T_OK(store_address_seen(s, "ani@example.com", "Ani Budiman", 300,
	    &err), &err);
	T_OK(store_address_seen(s, "boss@work.example", "The Boss", 200,
	    &err), &err);
	T_OK(store_address_seen(s, "x_y@example.com", "Per%cent", 10, &err),
	    &err);
	T_FAILS(store_address_seen(s, "not an address", NULL, 1, &err), &err,
	    ERR_USAGE);
	T_FAILS(store_address_seen(s, NULL, NULL, 1, &err), &err, ERR_USAGE);
	/* Most used first, then most recent. */
	T_OK(store_address_complete(s, "bu", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_string_equal(arr[0].address, "bunga@example.com");
	assert_int_equal(arr[0].use_count, 5);
	assert_int_equal(arr[0].last_used, 54);
	assert_null(arr[0].name);
	assert_string_equal(arr[1].address, "ani@example.com");
	assert_string_equal(arr[2].address, "budi@example.com");
	assert_string_equal(arr[2].name, "Budi Santoso");
	store_address_list_free(&arr, n);
	assert_null(arr);
	/* Any word of the name; any case. */
	T_OK(store_address_complete(s, "SANT", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_string_equal(arr[0].address, "budi@example.com");
	store_address_list_free(&arr, n);
	T_OK(store_address_complete(s, "boss", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 1);
	store_address_list_free(&arr, n);
	/* Not the middle of a word. */
	T_OK(store_address_complete(s, "anto", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_null(arr);
	/* LIKE's wildcards are literal. */
	T_OK(store_address_complete(s, "x_", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 1);
	store_address_list_free(&arr, n);
	T_OK(store_address_complete(s, "%", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 0);
	T_OK(store_address_complete(s, "per%", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 1);
	store_address_list_free(&arr, n);
	T_OK(store_address_complete(s, "xy", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 0);
	/* A use updates count and recency, and keeps the name unless a
	 * new one comes; the address is one row whatever its case. */
	T_OK(store_address_seen(s, "BUDI@example.com", NULL, 400, &err),
	    &err);
	T_OK(store_address_seen(s, "budi@example.com", NULL, 350, &err),
	    &err);
	T_OK(store_address_complete(s, "budi@", 10, &arr, &n, &err), &err);
	assert_int_equal(n, 1);
	assert_int_equal(arr[0].use_count, 3);
	assert_int_equal(arr[0].last_used, 400);
	assert_string_equal(arr[0].name, "Budi Santoso");
	store_address_list_free(&arr, n);
	/* The limit holds; an empty prefix lists the top ones. */
	T_OK(store_address_complete(s, "", 2, &arr, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_string_equal(arr[0].address, "bunga@example.com");
	store_address_list_free(&arr, n);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, t_setup, t_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ops_queue_in_order),
		T(test_ops_survive_local_changes),
		T(test_outbox_state_machine),
		T(test_outbox_add_cancel_list),
		T(test_outbox_crash_while_sending),
		T(test_pop3_uidls),
		T(test_address_completion_ranking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
