/*
 * The SMTP client against the harness's real Postfix: STARTTLS on the
 * submission port, implicit TLS, no credentials without TLS, certificate
 * failures, refused recipients, and a message that travels through
 * Postfix and LMTP into Dovecot and is read back with the POP3 client.
 */
#include "config.h"

#include "testutil.h"

#include <time.h>
#include <unistd.h>

#include "pop3/pop3.h"
#include "smtp/smtp.h"
#include "util/xmalloc.h"
#include "test_pop3smtp_util.h"

static struct smtp_conn *
open_auth(uint16_t port, enum net_security sec, enum smtp_auth mech)
{
	struct net_endpoint	 ep = it_endpoint(port);
	struct smtp_conn	*c;
	struct err		 e;

	err_clear(&e);
	c = smtp_connect(&ep, sec, "client.example.test", &e);
	if (c == NULL)
		fail_msg("connect: %s", e.msg);
	assert_true(smtp_is_tls(c));
	if (smtp_auth(c, mech, it.user, it.pass, &e) == -1)
		fail_msg("auth: %s", e.msg);
	return c;
}

static int
collect(void *arg, const char *s, size_t len, struct err *e)
{
	(void)e;
	buf_add(arg, s, len);
	return 0;
}

/*
 * Wait (tries * 0.2 s) for a message containing token to reach user's
 * INBOX; returns it as POP3 hands it out, or NULL.
 */
static char *
fetch_tries(const char *user, const char *pass, const char *token,
    int max_tries)
{
	struct pop3_conn	*c;
	struct net_endpoint	 ep = it_endpoint(it.pop3s);
	struct pop3_uidl	*u;
	struct buf		 got = BUF_INIT;
	struct err		 e;
	size_t			 n, i;
	int			 tries;

	for (tries = 0; tries < max_tries; tries++) {
		c = pop3_connect(&ep, NET_SECURITY_TLS, &e);
		assert_non_null(c);
		assert_int_equal(pop3_login(c, POP3_AUTH_AUTO, user, pass,
		    &e), 0);
		assert_int_equal(pop3_uidl(c, &u, &n, &e), 0);
		for (i = 0; i < n; i++) {
			buf_reset(&got);
			assert_int_equal(pop3_retr(c, u[i].num, collect, &got,
			    &e), 0);
			if (strstr(buf_cstr(&got), token) != NULL)
				break;
		}
		pop3_uidl_free(&u, n);
		(void)pop3_quit(c, &e);
		pop3_close(&c);
		if (i < n)
			return buf_detach(&got, NULL);
		usleep(200 * 1000);
	}
	buf_free(&got);
	return NULL;
}

static char *
fetch_by_token(const char *user, const char *pass, const char *token)
{
	return fetch_tries(user, pass, token, 150);
}

static char *
make_message(const char *token, const char *to, bool bare_lf)
{
	const char	*nl = bare_lf ? "\n" : "\r\n";

	return xasprintf("From: <%s>%sTo: <%s>%sSubject: %s%s%s"
	    "first line%s.%s..two dots%s.leading dot%slast line without "
	    "newline", it.addr, nl, to, nl, token, nl, nl, nl, nl, nl, nl);
}

static void
test_submission_starttls_roundtrip(void **state)
{
	struct smtp_conn	*c;
	struct smtp_result	 res;
	struct smtp_envelope	 env;
	struct err		 e;
	char			 token[64], *msg, *got;
	const char		*rcpts[1];

	(void)state;
	snprintf(token, sizeof token, "surat-sub-%ld-%d", (long)time(NULL),
	    (int)getpid());
	c = open_auth(it.submission, NET_SECURITY_STARTTLS, SMTP_AUTH_PLAIN);
	/* Over TLS Postfix no longer offers STARTTLS, and offers AUTH. */
	assert_false(smtp_has_ext(c, "STARTTLS"));
	assert_true(smtp_has_ext(c, "AUTH"));
	assert_true(smtp_has_ext(c, "PIPELINING"));
	msg = make_message(token, it.addr2, true);
	rcpts[0] = it.addr2;
	env.from = it.addr;
	env.rcpts = rcpts;
	env.nrcpts = 1;
	assert_int_equal(smtp_send(c, &env, msg, strlen(msg), NULL, NULL,
	    &res, &e), 0);
	assert_int_equal(res.code, 250);
	assert_false(res.unknown);
	assert_int_equal(smtp_quit(c, &e), 0);
	smtp_close(&c);
	got = fetch_by_token(it.user2, it.pass2, token);
	assert_non_null(got);
	/* Line ends normalised, stuffing undone on the way back. */
	assert_non_null(strstr(got, "\r\nfirst line\r\n.\r\n..two dots\r\n"
	    ".leading dot\r\nlast line without newline\r\n"));
	free(got);
	free(msg);
}

static void
test_smtps_login_two_messages(void **state)
{
	struct smtp_conn	*c;
	struct smtp_result	 res;
	struct smtp_envelope	 env;
	struct err		 e;
	char			 token[64], *msg, *got;
	const char		*rcpts[2];
	int			 i;

	(void)state;
	c = open_auth(it.smtps, NET_SECURITY_TLS, SMTP_AUTH_LOGIN);
	for (i = 0; i < 2; i++) {
		snprintf(token, sizeof token, "surat-smtps-%d-%ld-%d", i,
		    (long)time(NULL), (int)getpid());
		msg = make_message(token, it.addr, false);
		rcpts[0] = it.addr;
		rcpts[1] = it.addr2;
		env.from = it.addr;
		env.rcpts = rcpts;
		env.nrcpts = 2;
		assert_int_equal(smtp_send(c, &env, msg, strlen(msg), NULL,
		    NULL, &res, &e), 0);
		free(msg);
		got = fetch_by_token(it.user, it.pass, token);
		assert_non_null(got);
		free(got);
	}
	assert_int_equal(smtp_quit(c, &e), 0);
	smtp_close(&c);
}

static void
test_wrong_password(void **state)
{
	struct net_endpoint	 ep = it_endpoint(it.smtps);
	struct smtp_conn	*c;
	struct err		 e;

	(void)state;
	c = smtp_connect(&ep, NET_SECURITY_TLS, NULL, &e);
	assert_non_null(c);
	assert_int_equal(smtp_auth(c, SMTP_AUTH_PLAIN, it.user, "wrong", &e),
	    -1);
	assert_int_equal(e.code, ERR_AUTH);
	smtp_close(&c);
}

static void
test_no_credentials_without_tls(void **state)
{
	struct net_endpoint	 ep = it_endpoint(it.notls);
	struct smtp_conn	*c;
	struct err		 e;

	(void)state;
	/* STARTTLS required, the server has none: stop before AUTH. */
	c = smtp_connect(&ep, NET_SECURITY_STARTTLS, NULL, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_STARTTLS);
	/* Even when the user allowed a plain connection, AUTH stays off. */
	c = smtp_connect(&ep, NET_SECURITY_PLAIN, NULL, &e);
	assert_non_null(c);
	assert_true(smtp_has_ext(c, "AUTH"));
	assert_int_equal(smtp_auth(c, SMTP_AUTH_PLAIN, it.user, it.pass, &e),
	    -1);
	assert_int_equal(e.code, ERR_STARTTLS);
	assert_int_equal(smtp_quit(c, &e), 0);
	smtp_close(&c);
}

static void
test_cert_failures(void **state)
{
	struct net_endpoint	 ep;
	struct smtp_conn	*c;
	struct err		 e;

	(void)state;
	ep = it_endpoint(it.smtps);
	ep.host = "127.0.0.1";
	c = smtp_connect(&ep, NET_SECURITY_TLS, NULL, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
	ep = it_endpoint(it.submission);
	ep.host = "127.0.0.1";
	c = smtp_connect(&ep, NET_SECURITY_STARTTLS, NULL, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
	ep = it_endpoint(it.submission);
	ep.ca_file = it.other_ca;
	c = smtp_connect(&ep, NET_SECURITY_STARTTLS, NULL, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
}

static void
test_refused_recipient(void **state)
{
	struct smtp_conn	*c;
	struct smtp_result	 res;
	struct smtp_envelope	 env;
	struct err		 e;
	const char		*rcpts[3], *msg = "Subject: x\r\n\r\nx\r\n";

	(void)state;
	c = open_auth(it.submission, NET_SECURITY_STARTTLS, SMTP_AUTH_AUTO);
	rcpts[0] = it.addr;
	rcpts[1] = "nobody-here@example.test";
	rcpts[2] = it.addr2;
	env.from = it.addr;
	env.rcpts = rcpts;
	env.nrcpts = 3;
	assert_int_equal(smtp_send(c, &env, msg, strlen(msg), NULL, NULL,
	    &res, &e), -1);
	assert_int_equal(e.code, ERR_REFUSED);
	assert_int_equal(e.scope, ERR_SCOPE_MESSAGE);
	assert_int_equal(res.bad_rcpt, 1);
	assert_int_equal(res.code / 100, 5);
	assert_false(res.unknown);
	assert_non_null(strstr(e.msg, "nobody-here@example.test"));
	/* The connection is still good for the next message. */
	env.nrcpts = 1;
	assert_int_equal(smtp_send(c, &env, msg, strlen(msg), NULL, NULL,
	    &res, &e), 0);
	/* An address that could smuggle a command never goes out. */
	rcpts[0] = "a@example.test>\r\nRCPT TO:<b@example.test";
	assert_int_equal(smtp_send(c, &env, msg, strlen(msg), NULL, NULL,
	    &res, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(smtp_noop(c, &e), 0);
	assert_int_equal(smtp_quit(c, &e), 0);
	smtp_close(&c);
}

static int
refuse_dot(void *arg, struct err *e)
{
	*(int *)arg += 1;
	err_set(e, ERR_CANCELLED, "stopped before the dot");
	return -1;
}

/* Stopped before the final dot: nothing is delivered. */
static void
test_abort_before_dot(void **state)
{
	struct smtp_conn	*c;
	struct smtp_result	 res;
	struct smtp_envelope	 env;
	struct err		 e;
	const char		*rcpts[1];
	char			 token[64], *msg, *got;
	int			 called = 0;

	(void)state;
	snprintf(token, sizeof token, "surat-nodot-%ld-%d",
	    (long)time(NULL), (int)getpid());
	msg = make_message(token, it.addr, false);
	c = open_auth(it.smtps, NET_SECURITY_TLS, SMTP_AUTH_PLAIN);
	rcpts[0] = it.addr;
	env.from = it.addr;
	env.rcpts = rcpts;
	env.nrcpts = 1;
	assert_int_equal(smtp_send(c, &env, msg, strlen(msg), refuse_dot,
	    &called, &res, &e), -1);
	assert_int_equal(called, 1);
	assert_false(res.unknown);
	smtp_close(&c);
	/* Send a marker after it; once the marker is in, so would be it. */
	snprintf(token + strlen(token), sizeof token - strlen(token), "-m");
	free(msg);
	msg = make_message(token, it.addr, false);
	c = open_auth(it.smtps, NET_SECURITY_TLS, SMTP_AUTH_PLAIN);
	assert_int_equal(smtp_send(c, &env, msg, strlen(msg), NULL, NULL,
	    &res, &e), 0);
	smtp_close(&c);
	got = fetch_by_token(it.user, it.pass, token);
	assert_non_null(got);
	free(got);
	token[strlen(token) - 2] = '\0';
	strcat(token, "\r\n");	/* the Subject line of the first only */
	got = fetch_tries(it.user, it.pass, token, 1);
	assert_null(got);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submission_starttls_roundtrip),
		cmocka_unit_test(test_smtps_login_two_messages),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_no_credentials_without_tls),
		cmocka_unit_test(test_cert_failures),
		cmocka_unit_test(test_refused_recipient),
		cmocka_unit_test(test_abort_before_dot),
	};

	it_load();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
