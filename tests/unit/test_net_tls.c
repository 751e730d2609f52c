/*
 * Unit tests for TLS in src/net against a real GnuTLS server in a thread,
 * with certificates made at test time: a trusted CA, an unknown CA,
 * self-signed, expired, not yet valid, wrong host name, pinning, STARTTLS
 * (also with injected bytes), TLS against a plain server, handshake
 * timeout, decrypted bytes that poll() cannot see, close_notify, SIGPIPE.
 */
#include "config.h"

#include "testutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net.h"
#include "testnet.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"

#define DAY	(24 * 60 * 60)

enum mode {
	MODE_GREET,		/* TLS, greeting, echo one line */
	MODE_STARTTLS,		/* plain greeting, STARTTLS, then TLS */
	MODE_STARTTLS_INJECT,	/* bytes right behind the go-ahead */
	MODE_STARTTLS_INJECT_LATE, /* bytes a moment after it */
	MODE_PLAIN,		/* no TLS at all: an IMAP greeting */
	MODE_SILENT,		/* accept and say nothing */
	MODE_ONE_RECORD,	/* two lines in one record, then wait */
	MODE_BYE,		/* one line, close_notify, close */
	MODE_VANISH,		/* handshake, then close without a word */
};

struct script {
	const struct tcert	*cert;
	enum mode		 mode;
};

static char		*tmpdir;
static char		*ca_path;
static struct tcert	 ca, other_ca, good, unknown, selfsigned, expired,
			 future, awful;

static int
setup(void **state)
{
	char	templ[] = "/tmp/surat-test-net-tls-XXXXXX";
	time_t	now = time(NULL);

	(void)state;
	if (mkdtemp(templ) == NULL)
		return -1;
	tmpdir = strdup(templ);
	tcert_make(&ca, "Surat Test CA", NULL, now - DAY, now + 365 * DAY,
	    NULL, true);
	tcert_make(&other_ca, "Other Test CA", NULL, now - DAY,
	    now + 365 * DAY, NULL, true);
	tcert_make(&good, "localhost", "localhost", now - DAY, now + 30 * DAY,
	    &ca, false);
	tcert_make(&unknown, "localhost", "localhost", now - DAY,
	    now + 30 * DAY, &other_ca, false);
	tcert_make(&selfsigned, "localhost", "localhost", now - DAY,
	    now + 30 * DAY, NULL, false);
	tcert_make(&expired, "localhost", "localhost", now - 60 * DAY,
	    now - 2 * DAY, &ca, false);
	tcert_make(&future, "localhost", "localhost", now + 2 * DAY,
	    now + 60 * DAY, &ca, false);
	tcert_make(&awful, "mail.example.com", "mail.example.com",
	    now - 60 * DAY, now - 2 * DAY, NULL, false);
	ca_path = tcert_write(&ca, tmpdir, "ca.pem");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tcert_free(&ca);
	tcert_free(&other_ca);
	tcert_free(&good);
	tcert_free(&unknown);
	tcert_free(&selfsigned);
	tcert_free(&expired);
	tcert_free(&future);
	tcert_free(&awful);
	unlink(ca_path);
	rmdir(tmpdir);
	free(ca_path);
	free(tmpdir);
	return 0;
}

static void
script_tls_greet(struct tsrv *s, int fd, gnutls_session_t *sp,
    gnutls_certificate_credentials_t *cp)
{
	struct script	*sc = s->arg;

	*sp = tsrv_tls_accept(fd, sc->cert, cp);
	s->status = *sp != NULL ? 1 : -1;
}

static void
script_plain_then_starttls(struct tsrv *s, int fd)
{
	struct script	*sc = s->arg;
	char		 line[256];

	tsrv_sends(fd, "* OK plain\r\n");
	if (tsrv_read_line(s, fd, line, sizeof line) == -1)
		return;
	switch (sc->mode) {
	case MODE_STARTTLS_INJECT:
		tsrv_sends(fd, "a OK begin\r\n* CAPABILITY IMAP4rev1 "
		    "AUTH=PLAIN\r\n");
		break;
	case MODE_STARTTLS_INJECT_LATE:
		tsrv_sends(fd, "a OK begin\r\n");
		tsrv_sleep_ms(100);
		tsrv_sends(fd, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
		break;
	default:
		tsrv_sends(fd, "a OK begin\r\n");
		break;
	}
}

static void
script(struct tsrv *s, int fd)
{
	struct script			*sc = s->arg;
	gnutls_session_t		 sess = NULL;
	gnutls_certificate_credentials_t creds = NULL;
	char				 line[4096], big[2100];

	switch (sc->mode) {
	case MODE_PLAIN:
		tsrv_sends(fd, "* OK IMAP4rev1 ready\r\n");
		tsrv_read_line(s, fd, line, sizeof line);
		return;
	case MODE_SILENT:
		tsrv_sleep_ms(800);
		return;
	case MODE_STARTTLS:
	case MODE_STARTTLS_INJECT:
	case MODE_STARTTLS_INJECT_LATE:
		script_plain_then_starttls(s, fd);
		break;
	default:
		break;
	}
	script_tls_greet(s, fd, &sess, &creds);
	if (sess == NULL)
		return;
	switch (sc->mode) {
	case MODE_ONE_RECORD:
		memset(big, 'y', sizeof big);
		memcpy(big, "first line\r\n", 12);
		memcpy(big + sizeof big - 3, "\r\n", 3);
		tsrv_tls_send(sess, big);	/* one record */
		tsrv_tls_read_line(sess, line, sizeof line);
		break;
	case MODE_BYE:
		tsrv_tls_send(sess, "* BYE\r\n");
		break;
	case MODE_VANISH:
		gnutls_deinit(sess);
		gnutls_certificate_free_credentials(creds);
		return;
	default:
		tsrv_tls_send(sess, sc->mode == MODE_GREET ? "* OK tls\r\n" :
		    "* over tls\r\n");
		if (tsrv_tls_read_line(sess, line, sizeof line) == 0) {
			tsrv_tls_send(sess, "echo: ");
			tsrv_tls_send(sess, line);
		}
		break;
	}
	tsrv_tls_close(sess, creds);
}

static void
endpoint(struct net_endpoint *ep, const char *host, uint16_t port,
    struct net_cert_info *info)
{
	memset(ep, 0, sizeof *ep);
	ep->host = host;
	ep->port = port;
	ep->timeout_ms = 5000;
	ep->ca_file = ca_path;
	ep->no_system_trust = true;
	ep->log_name = "test";
	ep->cert_r = info;
}

static void
expect_line(struct net_conn *conn, const char *want)
{
	struct buf	line = BUF_INIT;
	struct err	e;

	err_clear(&e);
	if (net_read_line(conn, 4096, &line, &e) != 0)
		fail_msg("read_line: %s", e.msg);
	assert_string_equal(buf_cstr(&line), want);
	buf_free(&line);
}

/* Connect with TLS to a server presenting cert; expect failure. */
static void
expect_cert_failure(const struct tcert *cert, const char *host,
    const char *pin, enum err_code code, const char *words)
{
	struct script		 sc = { cert, MODE_GREET };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_cert_info	 info;
	struct err		 e;
	char			 prefix[64];

	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, host, s.port, &info);
	ep.pin = pin;
	err_clear(&e);
	assert_null(net_connect(&ep, true, &e));
	tsrv_join(&s);
	if (e.code != code)
		fail_msg("expected %s, got %s: %s", err_code_name(code),
		    err_code_name(e.code), e.msg);
	if (getenv("SURAT_TEST_VERBOSE") != NULL)
		print_message("%s\n", e.msg);
	snprintf(prefix, sizeof prefix, "%s:%u: ", host, (unsigned)s.port);
	assert_true(str_starts_with(e.msg, prefix));
	if (strstr(e.msg, words) == NULL)
		fail_msg("\"%s\" not in: %s", words, e.msg);
	/* The fingerprint the UI would offer to pin: in the message too. */
	if (strstr(e.msg, cert->fingerprint) == NULL)
		fail_msg("fingerprint not in: %s", e.msg);
	assert_true(info.valid);
	assert_string_equal(info.fingerprint, cert->fingerprint);
}

static void
test_trusted_ca(void **state)
{
	struct script		 sc = { &good, MODE_GREET };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_cert_info	 info;
	struct net_conn		*conn;
	struct err		 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, &info);
	err_clear(&e);
	conn = net_connect(&ep, true, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	assert_true(net_is_tls(conn));
	assert_true(info.valid);
	assert_string_equal(info.fingerprint, good.fingerprint);
	assert_string_equal(net_cert(conn)->fingerprint, good.fingerprint);
	assert_non_null(strstr(info.subject, "CN=localhost"));
	assert_non_null(strstr(info.issuer, "CN=Surat Test CA"));
	assert_int_equal(info.not_after,
	    gnutls_x509_crt_get_expiration_time(good.crt));
	expect_line(conn, "* OK tls");
	assert_int_equal(net_send_line(conn, "a1 NOOP", false, &e), 0);
	expect_line(conn, "echo: a1 NOOP");
	net_close(&conn);
	tsrv_join(&s);
	assert_int_equal(s.status, 1);
}

static void
test_unknown_ca(void **state)
{
	(void)state;
	expect_cert_failure(&unknown, "localhost", NULL, ERR_CERT,
	    "issuer is unknown or not trusted (CN=Other Test CA)");
}

static void
test_self_signed(void **state)
{
	(void)state;
	expect_cert_failure(&selfsigned, "localhost", NULL, ERR_CERT,
	    "self-signed");
}

static void
test_no_trust_at_all(void **state)
{
	struct script		 sc = { &good, MODE_GREET };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct err		 e;

	(void)state;
	/* Without the CA file even a good chain has nothing to end in. */
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, NULL);
	ep.ca_file = NULL;
	err_clear(&e);
	assert_null(net_connect(&ep, true, &e));
	tsrv_join(&s);
	assert_int_equal(e.code, ERR_CERT);
	assert_non_null(strstr(e.msg, "issuer is unknown"));
}

static void
test_wrong_host(void **state)
{
	(void)state;
	expect_cert_failure(&good, "127.0.0.1", NULL, ERR_CERT,
	    "issued for localhost, not 127.0.0.1");
}

static void
test_expired(void **state)
{
	char	when[64], words[96];
	time_t	t = gnutls_x509_crt_get_expiration_time(expired.crt);

	(void)state;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&t));
	snprintf(words, sizeof words, "expired on %s", when);
	expect_cert_failure(&expired, "localhost", NULL, ERR_CERT, words);
}

static void
test_not_yet_valid(void **state)
{
	(void)state;
	expect_cert_failure(&future, "localhost", NULL, ERR_CERT,
	    "not valid before");
}

static void
test_everything_wrong(void **state)
{
	(void)state;
	/* Each problem is named, not only the first GnuTLS met. */
	expect_cert_failure(&awful, "localhost", NULL, ERR_CERT,
	    "self-signed");
	expect_cert_failure(&awful, "localhost", NULL, ERR_CERT,
	    "expired on");
	expect_cert_failure(&awful, "localhost", NULL, ERR_CERT,
	    "issued for mail.example.com, not localhost");
}

static void
test_pin_accepts_self_signed(void **state)
{
	struct script		 sc = { &selfsigned, MODE_GREET };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct err		 e;
	char			 pin[128];
	size_t			 i, n;

	(void)state;
	/* The pin as a user might paste it: upper case, with colons. */
	n = str_lcpy(pin, "SHA256:", sizeof pin);
	for (i = 7; selfsigned.fingerprint[i] != '\0'; i += 2) {
		if (i > 7)
			pin[n++] = ':';
		pin[n++] = (char)toupper((unsigned char)selfsigned.fingerprint[i]);
		pin[n++] = (char)toupper(
		    (unsigned char)selfsigned.fingerprint[i + 1]);
	}
	pin[n] = '\0';

	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, NULL);
	ep.ca_file = NULL;
	ep.pin = pin;
	err_clear(&e);
	conn = net_connect(&ep, true, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	expect_line(conn, "* OK tls");
	net_close(&conn);
	tsrv_join(&s);
}

static void
test_pin_mismatch(void **state)
{
	(void)state;
	/* Signed by the trusted CA, but not the pinned certificate. */
	expect_cert_failure(&good, "localhost", selfsigned.fingerprint,
	    ERR_CERT, "does not match the pinned fingerprint");
}

static void
test_bad_ca_file(void **state)
{
	struct script		 sc = { &good, MODE_GREET };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct err		 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, NULL);
	ep.ca_file = "/nonexistent/ca.pem";
	err_clear(&e);
	assert_null(net_connect(&ep, true, &e));
	tsrv_join(&s);
	assert_int_equal(e.code, ERR_CONFIG);
	assert_non_null(strstr(e.msg, "/nonexistent/ca.pem"));
}

static struct net_conn *
starttls_prelude(struct tsrv *s, struct net_cert_info *info)
{
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct err		 e;

	endpoint(&ep, "localhost", s->port, info);
	err_clear(&e);
	conn = net_connect(&ep, false, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	assert_false(net_is_tls(conn));
	assert_false(net_cert(conn)->valid);
	expect_line(conn, "* OK plain");
	assert_int_equal(net_send_line(conn, "a STARTTLS", false, &e), 0);
	expect_line(conn, "a OK begin");
	return conn;
}

static void
test_starttls(void **state)
{
	struct script		 sc = { &good, MODE_STARTTLS };
	struct tsrv		 s;
	struct net_cert_info	 info;
	struct net_conn		*conn;
	struct err		 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	conn = starttls_prelude(&s, &info);
	err_clear(&e);
	if (net_starttls(conn, &e) != 0)
		fail_msg("starttls: %s", e.msg);
	assert_true(net_is_tls(conn));
	assert_string_equal(info.fingerprint, good.fingerprint);
	expect_line(conn, "* over tls");
	assert_int_equal(net_send_line(conn, "b CAPABILITY", false, &e), 0);
	expect_line(conn, "echo: b CAPABILITY");
	/* Once is enough. */
	assert_int_equal(net_starttls(conn, &e), -1);
	net_close(&conn);
	tsrv_join(&s);
	assert_int_equal(s.status, 1);
}

static void
test_starttls_injection(void **state)
{
	struct script		 sc = { &good, MODE_STARTTLS_INJECT };
	struct tsrv		 s;
	struct net_conn		*conn;
	struct buf		 line = BUF_INIT;
	struct err		 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	conn = starttls_prelude(&s, NULL);
	/* The injected CAPABILITY sits in our buffer. */
	assert_true(net_pending(conn));
	err_clear(&e);
	assert_int_equal(net_starttls(conn, &e), -1);
	assert_int_equal(e.code, ERR_STARTTLS);
	assert_false(net_is_tls(conn));
	/* And it is never handed out as protocol. */
	assert_false(net_pending(conn));
	assert_int_equal(net_read_line(conn, 4096, &line, &e), -1);
	assert_int_equal(line.len, 0);
	buf_free(&line);
	net_close(&conn);
	tsrv_join(&s);
	assert_int_equal(s.status, -1);		/* no handshake happened */
}

static void
test_starttls_injection_late(void **state)
{
	struct script		 sc = { &good, MODE_STARTTLS_INJECT_LATE };
	struct tsrv		 s;
	struct net_conn		*conn;
	struct err		 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	conn = starttls_prelude(&s, NULL);
	/* The injected bytes arrive after we read the go-ahead. */
	tsrv_sleep_ms(400);
	assert_false(net_pending(conn));
	err_clear(&e);
	assert_int_equal(net_starttls(conn, &e), -1);
	assert_int_equal(e.code, ERR_STARTTLS);
	net_close(&conn);
	tsrv_join(&s);
	assert_int_equal(s.status, -1);
}

static void
test_tls_to_plain_server(void **state)
{
	struct script		 sc = { NULL, MODE_PLAIN };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_cert_info	 info;
	struct err		 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, &info);
	err_clear(&e);
	assert_null(net_connect(&ep, true, &e));
	tsrv_join(&s);
	if (getenv("SURAT_TEST_VERBOSE") != NULL)
		print_message("%s\n", e.msg);
	assert_int_equal(e.code, ERR_TLS);
	assert_non_null(strstr(e.msg, "TLS handshake failed"));
	assert_false(info.valid);
}

static void
test_handshake_timeout(void **state)
{
	struct script		 sc = { NULL, MODE_SILENT };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct err		 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, NULL);
	ep.timeout_ms = 200;
	err_clear(&e);
	assert_null(net_connect(&ep, true, &e));
	tsrv_join(&s);
	assert_int_equal(e.code, ERR_TIMEOUT);
	assert_non_null(strstr(e.msg, "handshake"));
}

static void
test_decrypted_bytes_poll_cannot_see(void **state)
{
	struct script		 sc = { &good, MODE_ONE_RECORD };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct buf		 line = BUF_INIT;
	struct err		 e;
	char			 b[10];
	size_t			 i;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, NULL);
	err_clear(&e);
	conn = net_connect(&ep, true, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	/* A small read leaves the rest of the record inside GnuTLS. */
	assert_int_equal(net_read_some(conn, b, sizeof b, &e), 10);
	assert_memory_equal(b, "first line", 10);
	assert_true(net_pending(conn));
	assert_int_equal(net_wait_readable(conn, 0, &e), 1);
	expect_line(conn, "");
	assert_int_equal(net_read_line(conn, 4096, &line, &e), 0);
	assert_int_equal(line.len, 2100 - 12 - 3);
	for (i = 0; i < line.len; i++)
		assert_int_equal(line.data[i], 'y');
	assert_false(net_pending(conn));
	assert_int_equal(net_wait_readable(conn, 50, &e), 0);
	assert_int_equal(net_send_line(conn, "done", false, &e), 0);
	buf_free(&line);
	net_close(&conn);
	tsrv_join(&s);
}

static void
test_close_notify(void **state)
{
	struct script		 sc = { &good, MODE_BYE };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct buf		 line = BUF_INIT;
	struct err		 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, NULL);
	err_clear(&e);
	conn = net_connect(&ep, true, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	expect_line(conn, "* BYE");
	tsrv_join(&s);
	assert_int_equal(net_read_line(conn, 4096, &line, &e), -1);
	assert_int_equal(e.code, ERR_CLOSED);
	buf_free(&line);
	net_close(&conn);
}

static void
test_tls_no_sigpipe(void **state)
{
	struct script		 sc = { &good, MODE_VANISH };
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct err		 e;
	char			 big[65536];
	int			 i, r = 0;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script, &sc), 0);
	endpoint(&ep, "localhost", s.port, NULL);
	err_clear(&e);
	conn = net_connect(&ep, true, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	tsrv_join(&s);
	memset(big, 'q', sizeof big);
	for (i = 0; i < 100 && r == 0; i++) {
		r = net_write(conn, big, sizeof big, false, &e);
		tsrv_sleep_ms(1);
	}
	assert_int_equal(r, -1);
	assert_int_equal(e.code, ERR_CLOSED);
	net_close(&conn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trusted_ca),
		cmocka_unit_test(test_unknown_ca),
		cmocka_unit_test(test_self_signed),
		cmocka_unit_test(test_no_trust_at_all),
		cmocka_unit_test(test_wrong_host),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_not_yet_valid),
		cmocka_unit_test(test_everything_wrong),
		cmocka_unit_test(test_pin_accepts_self_signed),
		cmocka_unit_test(test_pin_mismatch),
		cmocka_unit_test(test_bad_ca_file),
		cmocka_unit_test(test_starttls),
		cmocka_unit_test(test_starttls_injection),
		cmocka_unit_test(test_starttls_injection_late),
		cmocka_unit_test(test_tls_to_plain_server),
		cmocka_unit_test(test_handshake_timeout),
		cmocka_unit_test(test_decrypted_bytes_poll_cannot_see),
		cmocka_unit_test(test_close_notify),
		cmocka_unit_test(test_tls_no_sigpipe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
