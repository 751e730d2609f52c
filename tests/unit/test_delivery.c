/*
 * The delivery engines without a server: backoff, header blocks, the
 * summary row of a message, and the outbox sender's decisions that need
 * no network (server unreachable: queued with a retry time; rate limit:
 * held, and nothing is even tried).
 */
#include "config.h"

#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "sync/delivery_int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

static void
test_backoff(void **state)
{
	int	i;

	(void)state;
	assert_int_equal(sync_outbox_backoff(0), 60);
	assert_int_equal(sync_outbox_backoff(1), 120);
	assert_int_equal(sync_outbox_backoff(2), 240);
	for (i = 3; i < 1000; i += 7) {
		assert_true(sync_outbox_backoff(i) >= sync_outbox_backoff(i - 1));
		assert_true(sync_outbox_backoff(i) <= 4 * 3600);
	}
	assert_int_equal(sync_outbox_backoff(1000), 4 * 3600);
}

static void
test_header_end(void **state)
{
	static const struct { const char *s; size_t end; } t[] = {
		{ "A: b\r\n\r\nbody", 8 },
		{ "A: b\n\nbody", 6 },
		{ "A: b\r\n", 0 },
		{ "A: b\r\nC: d\r\n", 0 },
		{ "\r\nbody", 2 },
		{ "\nbody", 1 },
		{ "A: b\r\n c\r\n\r\n", 12 },
		{ "", 0 },
	};
	size_t	i, n, len;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(delivery_header_end(t[i].s, strlen(t[i].s)),
		    t[i].end);
	/* Growing one byte at a time, the end is found exactly once the
	 * empty line is complete. */
	{
		const char *s = "Subject: x\r\nFrom: y\r\n\r\nbody\r\n";

		len = strlen(s);
		for (n = 0; n <= len; n++)
			assert_int_equal(delivery_header_end(s, n),
			    n >= 23 ? 23 : 0);
		/* Resumed after every byte, and after every split into
		 * two reads before the end was found: the same answers. */
		for (n = 1; n <= 23; n++)
			assert_int_equal(delivery_header_end_from(s, n, n - 1),
			    n >= 23 ? 23 : 0);
		for (n = 0; n < 23; n++)
			assert_int_equal(delivery_header_end_from(s, len, n),
			    23);
		s = "A: b\n\nbody";
		for (n = 0; n < 6; n++)
			assert_int_equal(delivery_header_end_from(s, 6, n), 6);
	}
}

static void
test_msg_from_headers(void **state)
{
	const char	*h = "From: =?UTF-8?B?QnVkaQ==?= <budi@example.test>\r\n"
	    "To: a@example.test, B <b@example.test>\r\n"
	    "Cc: c@example.test\r\n"
	    "Subject: =?UTF-8?Q?Halo_dunia?=\r\n"
	    "Date: Mon, 02 Jan 2006 15:04:05 +0700\r\n"
	    "Message-ID: <m1@example.test>\r\n"
	    "In-Reply-To: <p@example.test>\r\n"
	    "References: <r@example.test> <p@example.test>\r\n\r\n";
	struct store_msg	m;

	(void)state;
	delivery_msg_from_headers(&m, h, strlen(h), 1234, (int64_t)time(NULL));
	assert_string_equal(m.from_name, "Budi");
	assert_string_equal(m.from_addr, "budi@example.test");
	assert_string_equal(m.subject, "Halo dunia");
	assert_string_equal(m.message_id, "m1@example.test");
	assert_string_equal(m.in_reply_to, "p@example.test");
	assert_string_equal(m.references, "r@example.test p@example.test");
	assert_non_null(strstr(m.to, "b@example.test"));
	assert_non_null(strstr(m.cc, "c@example.test"));
	assert_int_equal(m.date, 1136189045);
	assert_int_equal(m.size, 1234);
	assert_int_equal(m.headers_len, strlen(h));
	assert_memory_equal(m.headers, h, m.headers_len);
	assert_int_equal(m.body_state, STORE_BODY_FULL);
	store_msg_clear(&m);
	assert_null(m.subject);
	/* Nothing at all still makes a row. */
	delivery_msg_from_headers(&m, "", 0, 0, 99);
	assert_string_equal(m.subject, "");
	assert_null(m.from_addr);
	store_msg_clear(&m);
}

struct fixture {
	char			*dir;
	struct store		*st;
	struct config_account	 acc;
	int64_t			 account_id;
};

/* An account whose SMTP server is a port where nothing listens. */
static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	struct err	 e;

	f->dir = xstrdup("/tmp/surat-tdeliv-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	if (store_open(f->dir, STORE_OPEN_NOCHECK, "test", &f->st, &e) == -1)
		return -1;
	config_account_init(&f->acc);
	f->acc.id = xstrdup("t");
	f->acc.email = xstrdup("me@example.test");
	f->acc.user = xstrdup("me");
	f->acc.incoming.protocol = CONFIG_PROTO_POP3;
	f->acc.incoming.host = xstrdup("127.0.0.1");
	f->acc.outgoing.protocol = CONFIG_PROTO_SMTP;
	f->acc.outgoing.security = NET_SECURITY_TLS;
	f->acc.outgoing.host = xstrdup("127.0.0.1");
	f->acc.outgoing.port = 1;
	f->acc.timeout = 5;
	if (store_account_ensure(f->st, "t", STORE_ACCOUNT_POP3,
	    &f->account_id, &e) == -1)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		*cmd;

	store_close(&f->st);
	config_account_clear(&f->acc);
	cmd = xasprintf("rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(f->dir);
	free(f);
	sync_delivery_set_clock(NULL);
	return 0;
}

static int64_t
queue(struct fixture *f)
{
	static const char	*raw = "To: you@example.test\r\n"
	    "Subject: hi\r\n\r\nhello\r\n";
	struct err		 e;
	int64_t			 id;

	assert_int_equal(store_outbox_add(f->st, f->account_id, raw,
	    strlen(raw), "me@example.test", "you@example.test\n", &id, &e), 0);
	return id;
}

static void
test_unreachable_stays_queued(void **state)
{
	struct fixture			*f = *state;
	struct sync_outbox_stats	 st;
	struct store_out		*o;
	struct err			 e;
	int64_t				 id, now = (int64_t)time(NULL);

	id = queue(f);
	assert_int_equal(sync_outbox_send(f->st, &f->acc, "pw", NULL, NULL,
	    &st, &e), -1);
	assert_int_equal(e.scope, ERR_SCOPE_ACCOUNT);
	assert_int_equal(st.retry, 1);
	assert_int_equal(st.sent, 0);
	assert_int_equal(store_outbox_get(f->st, id, &o, &e), 0);
	assert_int_equal(o->state, STORE_OUT_QUEUED);
	assert_int_equal(o->attempts, 1);
	assert_true(o->next_attempt_at >= now + 60);
	assert_true(o->next_attempt_at <= (int64_t)time(NULL) + 60);
	assert_non_null(o->last_error);
	assert_int_equal(st.next_at, o->next_attempt_at);
	store_out_free(&o);
	/* Not due yet: a second run does not try. */
	assert_int_equal(sync_outbox_send(f->st, &f->acc, "pw", NULL, NULL,
	    &st, &e), 0);
	assert_int_equal(st.retry, 0);
	/* The next failure waits twice as long. */
	assert_int_equal(store_outbox_get(f->st, id, &o, &e), 0);
	assert_int_equal(o->attempts, 1);
	store_out_free(&o);
}

static int64_t	fake_now;

static int64_t
fake_clock(void)
{
	return fake_now;
}

static void
test_rate_limit_holds(void **state)
{
	struct fixture			*f = *state;
	struct sync_outbox_stats	 st;
	struct store_out		*o;
	struct err			 e;
	int64_t				 a, b, c, now = (int64_t)time(NULL);

	f->acc.rate_limit = 1;
	f->acc.rate_period = CONFIG_RATE_HOUR;
	/* One sent 10 minutes ago (as the store records it: now). */
	a = queue(f);
	assert_int_equal(store_outbox_mark_sending(f->st, a, &e), 0);
	assert_int_equal(store_outbox_mark_sent(f->st, a, now - 600, &e), 0);
	b = queue(f);
	c = queue(f);
	sync_delivery_set_clock(fake_clock);
	fake_now = now;
	/* Over the limit: nothing is tried (the server would fail). */
	assert_int_equal(sync_outbox_send(f->st, &f->acc, "pw", NULL, NULL,
	    &st, &e), 0);
	assert_int_equal(st.held, 2);
	assert_int_equal(st.retry, 0);
	assert_int_equal(st.next_at, now - 600 + 3600);
	assert_int_equal(store_outbox_get(f->st, b, &o, &e), 0);
	assert_int_equal(o->state, STORE_OUT_QUEUED);
	assert_int_equal(o->attempts, 0);
	store_out_free(&o);
	/* Once the hour is over it is tried again (and fails here). */
	fake_now = now + 3001;
	assert_int_equal(sync_outbox_send(f->st, &f->acc, "pw", NULL, NULL,
	    &st, &e), -1);
	assert_int_equal(st.retry, 1);
	(void)c;
}

static void
test_no_smtp_server(void **state)
{
	struct fixture			*f = *state;
	struct sync_outbox_stats	 st;
	struct err			 e;

	free(f->acc.outgoing.host);
	f->acc.outgoing.host = NULL;
	queue(f);
	assert_int_equal(sync_outbox_send(f->st, &f->acc, "pw", NULL, NULL,
	    &st, &e), -1);
	assert_int_equal(e.code, ERR_CONFIG);
	/* An empty outbox needs no server. */
	free(f->acc.id);
	f->acc.id = xstrdup("other");
	assert_int_equal(sync_outbox_send(f->st, &f->acc, "pw", NULL, NULL,
	    &st, &e), 0);
}

static int	crash_calls;

static int
crash_hook(void *arg, const char *step)
{
	(void)arg;
	(void)step;
	crash_calls++;
	return 1;
}

static void
test_crash_hook(void **state)
{
	struct err	e;

	(void)state;
	err_clear(&e);
	assert_int_equal(delivery_crash_point("x", &e), 0);
	sync_delivery_set_crash(crash_hook, NULL);
	assert_int_equal(delivery_crash_point("pop3-stored", &e), -1);
	assert_int_equal(e.code, ERR_CANCELLED);
	assert_int_equal(crash_calls, 1);
	sync_delivery_set_crash(NULL, NULL);
	/* SURAT_CRASH_AT names another step: nothing happens. */
	setenv("SURAT_CRASH_AT", "smtp-dot:2", 1);
	assert_int_equal(delivery_crash_point("smtp-250", &e), 0);
	assert_int_equal(delivery_crash_point("smtp-dot", &e), 0);
	unsetenv("SURAT_CRASH_AT");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_header_end),
		cmocka_unit_test(test_msg_from_headers),
		cmocka_unit_test(test_crash_hook),
		cmocka_unit_test_setup_teardown(test_unreachable_stays_queued,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit_holds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_smtp_server, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
