/*
 * The POP3 client against the harness's real Dovecot: implicit TLS and
 * STLS, USER/PASS and AUTH PLAIN, wrong passwords, certificate failures,
 * UIDL/RETR/DELE of messages seeded with doveadm save.
 */
#include "config.h"

#include "testutil.h"

#include <sys/wait.h>

#include "pop3/pop3.h"
#include "util/xmalloc.h"
#include "test_pop3smtp_util.h"

static struct pop3_conn *
login(uint16_t port, enum net_security sec, enum pop3_auth how,
    const char *user, const char *pass)
{
	struct net_endpoint	 ep = it_endpoint(port);
	struct pop3_conn	*c;
	struct err		 e;

	err_clear(&e);
	c = pop3_connect(&ep, sec, &e);
	if (c == NULL)
		fail_msg("connect: %s", e.msg);
	if (pop3_login(c, how, user, pass, &e) == -1)
		fail_msg("login: %s", e.msg);
	return c;
}

static int
collect(void *arg, const char *s, size_t len, struct err *e)
{
	(void)e;
	buf_add(arg, s, len);
	return 0;
}

static void
test_pop3s_user_pass(void **state)
{
	struct pop3_conn	*c;
	struct err		 e;
	uint32_t		 n;
	uint64_t		 size;

	(void)state;
	it_clear(it.user);
	c = login(it.pop3s, NET_SECURITY_TLS, POP3_AUTH_USER, it.user,
	    it.pass);
	assert_true(pop3_is_tls(c));
	assert_int_equal(pop3_stat(c, &n, &size, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(pop3_noop(c, &e), 0);
	assert_int_equal(pop3_quit(c, &e), 0);
	pop3_close(&c);
}

static void
test_stls_auth_plain(void **state)
{
	struct pop3_conn	*c;
	struct err		 e;
	uint32_t		 n;
	uint64_t		 size;

	(void)state;
	c = login(it.pop3, NET_SECURITY_STARTTLS, POP3_AUTH_PLAIN, it.user,
	    it.pass);
	assert_true(pop3_is_tls(c));
	/* CAPA was asked again over TLS: STLS is gone, UIDL is there. */
	assert_false(pop3_has_capa(c, "STLS"));
	assert_true(pop3_has_capa(c, "UIDL"));
	assert_true(pop3_has_uidl(c));
	assert_int_equal(pop3_stat(c, &n, &size, &e), 0);
	assert_int_equal(pop3_quit(c, &e), 0);
	pop3_close(&c);
	/* AUTO picks a mechanism that works too. */
	c = login(it.pop3, NET_SECURITY_STARTTLS, POP3_AUTH_AUTO, it.user2,
	    it.pass2);
	pop3_close(&c);
}

static void
test_wrong_password(void **state)
{
	struct net_endpoint	 ep = it_endpoint(it.pop3s);
	struct pop3_conn	*c;
	struct err		 e;
	enum pop3_auth		 how[] = { POP3_AUTH_USER, POP3_AUTH_PLAIN };
	size_t			 i;

	(void)state;
	for (i = 0; i < 2; i++) {
		c = pop3_connect(&ep, NET_SECURITY_TLS, &e);
		assert_non_null(c);
		assert_int_equal(pop3_login(c, how[i], it.user, "wrong", &e),
		    -1);
		assert_int_equal(e.code, ERR_AUTH);
		assert_non_null(strstr(e.msg, it.host));
		pop3_close(&c);
	}
}

/* In the clear, CAPA offers STLS; after it (above) it is gone. */
static void
test_plain_capa(void **state)
{
	struct net_endpoint	 ep = it_endpoint(it.pop3);
	struct pop3_conn	*c;
	struct err		 e;

	(void)state;
	c = pop3_connect(&ep, NET_SECURITY_PLAIN, &e);
	assert_non_null(c);
	assert_false(pop3_is_tls(c));
	assert_true(pop3_has_capa(c, "STLS"));
	assert_int_equal(pop3_quit(c, &e), 0);
	pop3_close(&c);
}

static void
test_cert_failures(void **state)
{
	struct net_endpoint	 ep;
	struct pop3_conn	*c;
	struct err		 e;

	(void)state;
	/* The certificate names localhost, not 127.0.0.1. */
	ep = it_endpoint(it.pop3s);
	ep.host = "127.0.0.1";
	c = pop3_connect(&ep, NET_SECURITY_TLS, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
	ep = it_endpoint(it.pop3);
	ep.host = "127.0.0.1";
	c = pop3_connect(&ep, NET_SECURITY_STARTTLS, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
	/* Signed by a CA we do not trust. */
	ep = it_endpoint(it.pop3s);
	ep.ca_file = it.other_ca;
	c = pop3_connect(&ep, NET_SECURITY_TLS, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
}

static void
test_uidl_retr_dele(void **state)
{
	static const char	*msgs[] = {
		"From: a@example.test\r\nSubject: one\r\n\r\nbody one\r\n",
		"From: b@example.test\r\nSubject: two\r\n\r\n.\r\n..\r\n"
		    ".leading dot\r\n",
		NULL,	/* a large one, made below */
	};
	struct pop3_conn	*c;
	struct pop3_uidl	*u;
	struct pop3_list	*l;
	struct buf		 big = BUF_INIT, got = BUF_INIT;
	struct err		 e;
	size_t			 n, nl, i;
	uint32_t		 count;
	uint64_t		 size;
	char			*first_uid;

	(void)state;
	it_clear(it.user);
	buf_adds(&big, "From: c@example.test\r\nSubject: big\r\n\r\n");
	for (i = 0; i < 60000; i++)
		buf_addf(&big, "%sline %zu of a large message body\r\n",
		    i % 50 ? "" : ".", i);
	msgs[2] = big.data;
	for (i = 0; i < 3; i++)
		assert_int_equal(it_seed(it.user, msgs[i], strlen(msgs[i])),
		    0);
	c = login(it.pop3s, NET_SECURITY_TLS, POP3_AUTH_AUTO, it.user,
	    it.pass);
	assert_int_equal(pop3_stat(c, &count, &size, &e), 0);
	assert_int_equal(count, 3);
	assert_int_equal(pop3_uidl(c, &u, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(pop3_list(c, &l, &nl, &e), 0);
	assert_int_equal(nl, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(u[i].num, i + 1);
		assert_int_equal(l[i].num, i + 1);
		assert_true(strlen(u[i].uid) > 0);
		buf_reset(&got);
		assert_int_equal(pop3_retr(c, u[i].num, collect, &got, &e),
		    0);
		assert_int_equal(got.len, strlen(msgs[i]));
		assert_memory_equal(got.data, msgs[i], got.len);
		assert_int_equal(l[i].size, got.len);
	}
	/* TOP 0: the header only. */
	buf_reset(&got);
	assert_int_equal(pop3_top(c, 1, 0, collect, &got, &e), 0);
	assert_string_equal(buf_cstr(&got),
	    "From: a@example.test\r\nSubject: one\r\n\r\n");
	/* A message that is not there is a refusal, not a broken link. */
	assert_int_equal(pop3_retr(c, 99, collect, &got, &e), -1);
	assert_int_equal(e.code, ERR_REFUSED);
	assert_int_equal(pop3_noop(c, &e), 0);
	first_uid = xstrdup(u[0].uid);
	pop3_uidl_free(&u, n);
	free(l);
	/* DELE counts only after QUIT; RSET takes it back. */
	assert_int_equal(pop3_dele(c, 2, &e), 0);
	assert_int_equal(pop3_rset(c, &e), 0);
	assert_int_equal(pop3_dele(c, 1, &e), 0);
	assert_int_equal(pop3_quit(c, &e), 0);
	pop3_close(&c);
	c = login(it.pop3s, NET_SECURITY_TLS, POP3_AUTH_USER, it.user,
	    it.pass);
	assert_int_equal(pop3_uidl(c, &u, &n, &e), 0);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		assert_string_not_equal(u[i].uid, first_uid);
	pop3_uidl_free(&u, n);
	assert_int_equal(pop3_quit(c, &e), 0);
	pop3_close(&c);
	free(first_uid);
	buf_free(&big);
	buf_free(&got);
}

/*
 * Pipelined RETRs (Dovecot offers PIPELINING): all sent first, the
 * replies read in order, a missing message refused in its turn without
 * putting the rest out of step; any other command while a reply is
 * unread fails and ends the connection's use.
 */
static void
test_retr_pipelined(void **state)
{
	static const uint32_t	 order[] = { 3, 99, 1, 2 };
	struct pop3_conn	*c;
	struct buf		 got = BUF_INIT;
	struct err		 e;
	char			 want[64];
	size_t			 i;

	(void)state;
	it_clear(it.user);
	for (i = 1; i <= 3; i++) {
		snprintf(want, sizeof want, "Subject: %zu\r\n\r\nbody %zu\r\n",
		    i, i);
		assert_int_equal(it_seed(it.user, want, strlen(want)), 0);
	}
	c = login(it.pop3s, NET_SECURITY_TLS, POP3_AUTH_USER, it.user,
	    it.pass);
	assert_true(pop3_can_pipeline(c));
	for (i = 0; i < 4; i++)
		assert_int_equal(pop3_retr_send(c, order[i], &e), 0);
	for (i = 0; i < 4; i++) {
		buf_reset(&got);
		if (order[i] == 99) {
			assert_int_equal(pop3_retr_read(c, order[i], collect,
			    &got, &e), -1);
			assert_int_equal(e.code, ERR_REFUSED);
			continue;
		}
		assert_int_equal(pop3_retr_read(c, order[i], collect, &got,
		    &e), 0);
		snprintf(want, sizeof want, "Subject: %u\r\n\r\nbody %u\r\n",
		    (unsigned)order[i], (unsigned)order[i]);
		assert_string_equal(buf_cstr(&got), want);
	}
	assert_int_equal(pop3_noop(c, &e), 0);
	/* A reply unread: NOOP would take it for its own. */
	assert_int_equal(pop3_retr_send(c, 1, &e), 0);
	assert_int_equal(pop3_noop(c, &e), -1);
	assert_int_equal(e.code, ERR_PROTO);
	assert_int_equal(pop3_quit(c, &e), -1);
	pop3_close(&c);
	buf_free(&got);
}

/* A sink error stops the download and leaves the connection unusable. */
static int
failing_sink(void *arg, const char *s, size_t len, struct err *e)
{
	(void)arg; (void)s; (void)len;
	err_set(e, ERR_DISKFULL, "disk full");
	return -1;
}

static void
test_sink_failure(void **state)
{
	struct pop3_conn	*c;
	struct err		 e;
	const char		*msg = "Subject: x\r\n\r\nbody\r\n";

	(void)state;
	it_clear(it.user);
	assert_int_equal(it_seed(it.user, msg, strlen(msg)), 0);
	c = login(it.pop3s, NET_SECURITY_TLS, POP3_AUTH_USER, it.user,
	    it.pass);
	assert_int_equal(pop3_retr(c, 1, failing_sink, NULL, &e), -1);
	assert_int_equal(e.code, ERR_DISKFULL);
	assert_int_equal(pop3_noop(c, &e), -1);
	pop3_close(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pop3s_user_pass),
		cmocka_unit_test(test_stls_auth_plain),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_plain_capa),
		cmocka_unit_test(test_cert_failures),
		cmocka_unit_test(test_uidl_retr_dele),
		cmocka_unit_test(test_sink_failure),
		cmocka_unit_test(test_retr_pipelined),
	};

	it_load();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
