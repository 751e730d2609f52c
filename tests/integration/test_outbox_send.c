/*
 * The outbox sender (src/sync/outbox_send.c) against the real Postfix and
 * Dovecot: messages queued in the store go out through submission (587
 * STARTTLS, 465 TLS) exactly once, arrive by LMTP and come back through
 * the POP3 download engine; a refused recipient stays failed with the
 * server's text; with Postfix down the message waits and goes out when
 * it is back; rate limits hold the rest; crash points never lose mail.
 */
#include "config.h"

#include "testutil.h"

#include <time.h>

#include "test_pop3smtp_util.h"
#include "test_pop3smtp_store.h"

static char *
make_token(const char *what)
{
	static int	n;

	return xasprintf("surat-out-%s-%ld-%d-%d", what, (long)time(NULL),
	    (int)getpid(), n++);
}

static int64_t
queue(struct store *s, const char *account, enum store_account_kind kind,
    const char *token, const char *rcpts)
{
	struct err	 e;
	char		*raw;
	int64_t		 acc, id;

	raw = xasprintf("From: Budi <%s>\r\nTo: %s\r\nSubject: %s\r\n"
	    "Message-ID: <%s@example.test>\r\n\r\nhello\r\n.\r\nbye\r\n",
	    it.addr, it.addr, token, token);
	assert_int_equal(store_account_ensure(s, account, kind, &acc, &e), 0);
	assert_int_equal(store_outbox_add(s, acc, raw, strlen(raw), it.addr,
	    rcpts, &id, &e), 0);
	free(raw);
	return id;
}

static struct store_out *
out_get(struct store *s, int64_t id)
{
	struct store_out	*o;
	struct err		 e;

	assert_int_equal(store_outbox_get(s, id, &o, &e), 0);
	return o;
}

static enum store_out_state
out_state(struct store *s, int64_t id)
{
	struct store_out	*o = out_get(s, id);
	enum store_out_state	 st = o->state;

	store_out_free(&o);
	return st;
}

static void
send_ok(struct store *s, const struct config_account *a,
    struct sync_outbox_stats *st)
{
	struct err	e;

	if (sync_outbox_send(s, a, it.pass, NULL, NULL, st, &e) == -1)
		fail_msg("send: %s", e.msg);
}

/* Messages in the store's Inbox whose subject is token, after POP3. */
static size_t
count_subject(struct store *s, int64_t folder, const char *token)
{
	struct store_sort	 sort = { STORE_SORT_DATE, false, false };
	struct store_row	*rows;
	struct err		 e;
	size_t			 n, i, hits = 0;

	if (folder == 0)
		return 0;
	assert_int_equal(store_index_page(s, folder, &sort, NULL,
	    STORE_PAGE_FORWARD, 1000, &rows, &n, &e), 0);
	for (i = 0; i < n; i++)
		if (rows[i].subject != NULL &&
		    strcmp(rows[i].subject, token) == 0)
			hits++;
	store_rows_free(&rows, n);
	return hits;
}

/* Download budi's mail with the POP3 engine until token arrived. */
static size_t
wait_delivered(struct store *s, const struct config_account *pop,
    const char *token)
{
	struct sync_pop3_stats	st;
	struct err		e;
	size_t			hits = 0;
	int			tries;

	for (tries = 0; tries < 100 && hits == 0; tries++) {
		if (tries > 0)
			usleep(200 * 1000);
		if (sync_pop3_download(s, pop, it.pass, NULL, NULL, &st, &e)
		    == -1)
			fail_msg("download: %s", e.msg);
		hits = count_subject(s, ds_folder(s, pop->id,
		    STORE_ROLE_INBOX), token);
	}
	return hits;
}

/*
 * 587 with STARTTLS, a POP3 account: sent once, a local Sent copy, the
 * message arrives and is read back through POP3 into the same store.
 */
static void
test_submission_pop3_roundtrip(void **state)
{
	struct config_account		a;
	struct sync_outbox_stats	st;
	struct store			*s;
	char				*dir = ds_tempdir(), *tok;
	int64_t				 id;

	(void)state;
	it_clear(it.user);
	ds_account(&a, "o-pop", CONFIG_PROTO_POP3, CONFIG_POP3_DELETE);
	s = ds_open(dir);
	tok = make_token("587");
	id = queue(s, "o-pop", STORE_ACCOUNT_POP3, tok, it.addr);
	send_ok(s, &a, &st);
	assert_int_equal(st.sent, 1);
	assert_int_equal(out_state(s, id), STORE_OUT_SENT);
	assert_int_equal(count_subject(s, ds_folder(s, "o-pop",
	    STORE_ROLE_SENT), tok), 1);
	/* A second run sends nothing. */
	send_ok(s, &a, &st);
	assert_int_equal(st.sent, 0);
	assert_int_equal(wait_delivered(s, &a, tok), 1);
	/* Give a duplicate time to show up; there must be none. */
	usleep(1500 * 1000);
	assert_int_equal(wait_delivered(s, &a, tok), 1);
	free(tok);
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

/* 465 with TLS, an IMAP account: the Sent copy waits as an APPEND. */
static void
test_smtps_imap_sent_append(void **state)
{
	struct config_account		 a, pop;
	struct sync_outbox_stats	 st;
	struct store			*s;
	struct store_op			*ops;
	struct store_account		*sa;
	struct err			 e;
	size_t				 nops;
	char				*dir = ds_tempdir(), *tok;
	int64_t				 id, sent;

	(void)state;
	it_clear(it.user);
	ds_account(&a, "o-imap", CONFIG_PROTO_IMAP, CONFIG_POP3_KEEP);
	a.outgoing.security = NET_SECURITY_TLS;
	a.outgoing.port = it.smtps;
	a.auth = CONFIG_AUTH_LOGIN;
	s = ds_open(dir);
	tok = make_token("465");
	id = queue(s, "o-imap", STORE_ACCOUNT_IMAP, tok, it.addr);
	send_ok(s, &a, &st);
	assert_int_equal(st.sent, 1);
	assert_int_equal(out_state(s, id), STORE_OUT_SENT);
	sent = ds_folder(s, "o-imap", STORE_ROLE_SENT);
	assert_int_equal(count_subject(s, sent, tok), 1);
	assert_int_equal(store_account_find(s, "o-imap", &sa, &e), 0);
	assert_int_equal(store_op_list(s, sa->id, &ops, &nops, &e), 0);
	assert_int_equal(nops, 1);
	assert_int_equal(ops[0].type, STORE_OP_APPEND);
	assert_int_equal(ops[0].target_folder_id, sent);
	store_op_list_free(&ops, nops);
	store_account_free(&sa);
	ds_account(&pop, "o-imap-pop", CONFIG_PROTO_POP3, CONFIG_POP3_DELETE);
	assert_int_equal(wait_delivered(s, &pop, tok), 1);
	free(tok);
	store_close(&s);
	config_account_clear(&a);
	config_account_clear(&pop);
	ds_rmdir(&dir);
}

/* A recipient Postfix refuses: failed, the server's words kept. */
static void
test_refused_recipient(void **state)
{
	struct config_account		 a;
	struct sync_outbox_stats	 st;
	struct store			*s;
	struct store_out		*o;
	char				*dir = ds_tempdir(), *tok;
	int64_t				 id, ok;

	(void)state;
	ds_account(&a, "o-5xx", CONFIG_PROTO_POP3, CONFIG_POP3_KEEP);
	s = ds_open(dir);
	tok = make_token("5xx");
	id = queue(s, "o-5xx", STORE_ACCOUNT_POP3, tok,
	    "nobody-here@example.test\n");
	/* The one after it still goes. */
	ok = queue(s, "o-5xx", STORE_ACCOUNT_POP3, tok, it.addr2);
	send_ok(s, &a, &st);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.sent, 1);
	o = out_get(s, id);
	assert_int_equal(o->state, STORE_OUT_FAILED);
	assert_non_null(o->last_error);
	assert_non_null(strstr(o->last_error, "nobody-here@example.test"));
	assert_non_null(strstr(o->last_error, "5"));
	store_out_free(&o);
	assert_int_equal(out_state(s, ok), STORE_OUT_SENT);
	/* It stays failed: not retried behind the user's back. */
	send_ok(s, &a, &st);
	assert_int_equal(st.sent + st.failed + st.retry, 0);
	assert_int_equal(out_state(s, id), STORE_OUT_FAILED);
	free(tok);
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

static int64_t	clock_shift;

static int64_t
test_clock(void)
{
	return (int64_t)time(NULL) + clock_shift;
}

/* Postfix down: the message waits, with a retry time; then it goes. */
static void
test_server_down(void **state)
{
	struct config_account		 a;
	struct sync_outbox_stats	 st;
	struct store			*s;
	struct store_out		*o;
	struct err			 e;
	char				*dir = ds_tempdir(), *tok;
	int64_t				 id, now;

	(void)state;
	ds_account(&a, "o-down", CONFIG_PROTO_POP3, CONFIG_POP3_DELETE);
	s = ds_open(dir);
	tok = make_token("down");
	id = queue(s, "o-down", STORE_ACCOUNT_POP3, tok, it.addr);
	assert_int_equal(it_servers("stop-smtp"), 0);
	now = (int64_t)time(NULL);
	assert_int_equal(sync_outbox_send(s, &a, it.pass, NULL, NULL, &st,
	    &e), -1);
	assert_int_equal(e.scope, ERR_SCOPE_ACCOUNT);
	assert_int_equal(st.retry, 1);
	o = out_get(s, id);
	assert_int_equal(o->state, STORE_OUT_QUEUED);
	assert_int_equal(o->attempts, 1);
	assert_true(o->next_attempt_at >= now + sync_outbox_backoff(0));
	assert_true(st.next_at == o->next_attempt_at);
	store_out_free(&o);
	/* Not due yet: nothing is tried. */
	send_ok(s, &a, &st);
	assert_int_equal(st.sent + st.retry, 0);
	assert_int_equal(it_servers("start-smtp"), 0);
	/* Once due, it goes, once. */
	clock_shift = sync_outbox_backoff(0) + 5;
	sync_delivery_set_clock(test_clock);
	send_ok(s, &a, &st);
	assert_int_equal(st.sent, 1);
	assert_int_equal(out_state(s, id), STORE_OUT_SENT);
	sync_delivery_set_clock(NULL);
	it_clear(it.user);
	free(tok);
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

/* Two per hour: the third waits and says until when. */
static void
test_rate_limit(void **state)
{
	struct config_account		a;
	struct sync_outbox_stats	st;
	struct store			*s;
	char				*dir = ds_tempdir(), *tok;
	int64_t				 ids[3], now;
	int				 i;

	(void)state;
	ds_account(&a, "o-rate", CONFIG_PROTO_POP3, CONFIG_POP3_KEEP);
	a.rate_limit = 2;
	a.rate_period = CONFIG_RATE_HOUR;
	a.sent_copy = CONFIG_SENT_COPY_NO;
	s = ds_open(dir);
	tok = make_token("rate");
	for (i = 0; i < 3; i++)
		ids[i] = queue(s, "o-rate", STORE_ACCOUNT_POP3, tok, it.addr2);
	now = (int64_t)time(NULL);
	send_ok(s, &a, &st);
	assert_int_equal(st.sent, 2);
	assert_int_equal(st.held, 1);
	assert_true(st.next_at >= now + 3600 && st.next_at <= now + 3660);
	assert_int_equal(out_state(s, ids[2]), STORE_OUT_QUEUED);
	assert_int_equal(ds_folder(s, "o-rate", STORE_ROLE_SENT), 0);
	send_ok(s, &a, &st);
	assert_int_equal(st.sent, 0);
	assert_int_equal(st.held, 1);
	/* An hour later the third goes. */
	clock_shift = 3601;
	sync_delivery_set_clock(test_clock);
	send_ok(s, &a, &st);
	assert_int_equal(st.sent, 1);
	assert_int_equal(out_state(s, ids[2]), STORE_OUT_SENT);
	sync_delivery_set_clock(NULL);
	free(tok);
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

struct crash {
	const char	*step;
	int		 hits;
};

static int
crash_hook(void *arg, const char *step)
{
	struct crash	*c = arg;

	if (strcmp(step, c->step) != 0)
		return 0;
	return ++c->hits == 1;
}

/*
 * Stopped at each crash point, then restarted: the message is never
 * lost, never resent silently.  Before the server's reply is recorded
 * it is "check"; once recorded it is sent, and sent once.
 */
static void
test_crash_points(void **state)
{
	static const struct {
		const char		*step;
		enum store_out_state	 after;
		bool			 arrives;
	} pts[] = {
		{ "smtp-dot", STORE_OUT_CHECK, false },
		{ "smtp-250", STORE_OUT_CHECK, true },
		{ "smtp-sent", STORE_OUT_SENT, true },
	};
	struct config_account		 a, pop;
	struct sync_outbox_stats	 st;
	struct store			*s;
	struct crash			 c;
	struct err			 e;
	size_t				 i;
	char				*dir, *tok;
	int64_t				 id;

	(void)state;
	ds_account(&a, "o-crash", CONFIG_PROTO_POP3, CONFIG_POP3_KEEP);
	ds_account(&pop, "o-crash-pop", CONFIG_PROTO_POP3, CONFIG_POP3_DELETE);
	for (i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		it_clear(it.user);
		dir = ds_tempdir();
		s = ds_open(dir);
		tok = make_token(pts[i].step);
		id = queue(s, "o-crash", STORE_ACCOUNT_POP3, tok, it.addr);
		c.step = pts[i].step;
		c.hits = 0;
		sync_delivery_set_crash(crash_hook, &c);
		assert_int_equal(sync_outbox_send(s, &a, it.pass, NULL, NULL,
		    &st, &e), -1);
		assert_int_equal(e.code, ERR_CANCELLED);
		sync_delivery_set_crash(NULL, NULL);
		store_close(&s);
		s = ds_open(dir);
		assert_int_equal(out_state(s, id), pts[i].after);
		send_ok(s, &a, &st);
		assert_int_equal(st.sent, 0);
		assert_int_equal(out_state(s, id), pts[i].after);
		if (pts[i].arrives)
			assert_int_equal(wait_delivered(s, &pop, tok), 1);
		else {
			/* The dot never went: a marker sent after it
			 * arrives alone. */
			char *m = make_token("marker");

			queue(s, "o-crash", STORE_ACCOUNT_POP3, m, it.addr);
			send_ok(s, &a, &st);
			assert_int_equal(st.sent, 1);
			assert_int_equal(wait_delivered(s, &pop, m), 1);
			assert_int_equal(count_subject(s, ds_folder(s,
			    "o-crash-pop", STORE_ROLE_INBOX), tok), 0);
			free(m);
		}
		/* The user says "send it again": it goes exactly once more. */
		if (pts[i].after == STORE_OUT_CHECK) {
			assert_int_equal(store_outbox_requeue(s, id,
			    (int64_t)time(NULL), &e), 0);
			send_ok(s, &a, &st);
			assert_int_equal(st.sent, 1);
			assert_int_equal(out_state(s, id), STORE_OUT_SENT);
		}
		free(tok);
		store_close(&s);
		ds_rmdir(&dir);
	}
	config_account_clear(&a);
	config_account_clear(&pop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submission_pop3_roundtrip),
		cmocka_unit_test(test_smtps_imap_sent_append),
		cmocka_unit_test(test_refused_recipient),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_crash_points),
		cmocka_unit_test(test_server_down),
	};

	it_load();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
