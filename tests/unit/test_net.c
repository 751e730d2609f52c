/*
 * Unit tests for src/net without TLS: connecting (refused, unknown host,
 * IPv6), the line layer against a loopback server thread (CRLF and bare
 * LF, one-byte writes, the line cap, literals across buffer boundaries,
 * stalls, EOF), writes (no SIGPIPE, CRLF refused) and the wire log.
 */
#include "config.h"

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"
#include "testnet.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "util/str.h"

#define LINE_MAX_TEST	1000

static void
endpoint(struct net_endpoint *ep, const char *host, uint16_t port,
    int timeout_ms)
{
	memset(ep, 0, sizeof *ep);
	ep->host = host;
	ep->port = port;
	ep->timeout_ms = timeout_ms;
	ep->log_name = "test";
}

static struct net_conn *
connect_to(struct tsrv *s, int timeout_ms)
{
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct err		 e;

	err_clear(&e);
	endpoint(&ep, "127.0.0.1", s->port, timeout_ms);
	conn = net_connect(&ep, false, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	return conn;
}

static void
expect_line(struct net_conn *conn, const char *want)
{
	struct buf	line = BUF_INIT;
	struct err	e;

	err_clear(&e);
	if (net_read_line(conn, LINE_MAX_TEST, &line, &e) != 0)
		fail_msg("read_line: %s", e.msg);
	assert_int_equal(line.len, strlen(want));
	assert_memory_equal(buf_cstr(&line), want, line.len);
	buf_free(&line);
}

/* Scripts: each is one server's side of a test. */

static void
script_send_arg(struct tsrv *s, int fd)
{
	tsrv_sends(fd, s->arg);
}

static void
script_bytewise(struct tsrv *s, int fd)
{
	const char	*p;

	for (p = s->arg; *p != '\0'; p++) {
		tsrv_send(fd, p, 1);
		tsrv_sleep_ms(1);
	}
}

static void
test_connect_refused(void **state)
{
	struct sockaddr_in	 sin;
	struct net_endpoint	 ep;
	struct err		 e;
	socklen_t		 len = sizeof sin;
	char			 prefix[64];
	int			 fd;

	(void)state;
	/* A port that was just free and has no listener. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);

	err_clear(&e);
	endpoint(&ep, "127.0.0.1", ntohs(sin.sin_port), 2000);
	assert_null(net_connect(&ep, false, &e));
	assert_int_equal(e.code, ERR_CONNECT);
	snprintf(prefix, sizeof prefix, "127.0.0.1:%u: ",
	    (unsigned)ntohs(sin.sin_port));
	assert_true(str_starts_with(e.msg, prefix));
	assert_non_null(strstr(e.msg, strerror(ECONNREFUSED)));
}

static void
test_connect_timeout(void **state)
{
	struct sockaddr_in	 sin;
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct err		 e;
	socklen_t		 len = sizeof sin;
	char			 prefix[64];
	int			 lfd, fill[8], i;

	(void)state;
	/*
	 * A listener that never accepts, with its queue full: the kernel
	 * drops further SYNs and a connect hangs, as behind a firewall.
	 */
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(lfd, 0), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	for (i = 0; i < 8; i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		(void)connect(fill[i], (struct sockaddr *)&sin, sizeof sin);
	}
	tsrv_sleep_ms(50);

	err_clear(&e);
	endpoint(&ep, "127.0.0.1", ntohs(sin.sin_port), 300);
	conn = net_connect(&ep, false, &e);
	for (i = 0; i < 8; i++)
		close(fill[i]);
	close(lfd);
	if (conn != NULL) {
		/* This kernel queues without limit: nothing to time out. */
		net_close(&conn);
		skip();
	}
	assert_int_equal(e.code, ERR_TIMEOUT);
	snprintf(prefix, sizeof prefix, "127.0.0.1:%u: ",
	    (unsigned)ntohs(sin.sin_port));
	assert_true(str_starts_with(e.msg, prefix));
	assert_non_null(strstr(e.msg, "timed out"));
}

static void
test_connect_unknown_host(void **state)
{
	struct net_endpoint	ep;
	struct err		e;

	(void)state;
	err_clear(&e);
	/* .invalid never resolves (RFC 2606); no internet needed. */
	endpoint(&ep, "nonexistent.invalid", 993, 2000);
	assert_null(net_connect(&ep, true, &e));
	assert_int_equal(e.code, ERR_DNS);
	assert_true(str_starts_with(e.msg, "nonexistent.invalid:993: "));
}

static void
test_connect_bad_endpoint(void **state)
{
	struct net_endpoint	ep;
	struct err		e;

	(void)state;
	err_clear(&e);
	endpoint(&ep, "", 993, 0);
	assert_null(net_connect(&ep, false, &e));
	assert_int_equal(e.code, ERR_CONFIG);
	endpoint(&ep, "localhost", 993, 0);
	ep.pin = "sha256:abcd";
	assert_null(net_connect(&ep, false, &e));
	assert_int_equal(e.code, ERR_CONFIG);
	assert_non_null(strstr(e.msg, "64 hex digits"));
}

static void
test_connect_ipv6(void **state)
{
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct err		 e;
	char			 peer[64];

	(void)state;
	if (tsrv_start(&s, "::1", script_send_arg, "* v6\r\n") == -1)
		skip();		/* no IPv6 loopback on this machine */
	err_clear(&e);
	endpoint(&ep, "::1", s.port, 3000);
	conn = net_connect(&ep, false, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	snprintf(peer, sizeof peer, "[::1]:%u", (unsigned)s.port);
	assert_string_equal(net_peer(conn), peer);
	assert_false(net_is_tls(conn));
	expect_line(conn, "* v6");
	net_close(&conn);
	assert_null(conn);
	tsrv_join(&s);
}

static void
test_connect_by_name(void **state)
{
	struct tsrv		 s;
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct err		 e;

	(void)state;
	/* "localhost" may also give ::1 first, where nobody listens. */
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_send_arg,
	    "hello\r\n"), 0);
	err_clear(&e);
	endpoint(&ep, "localhost", s.port, 3000);
	conn = net_connect(&ep, false, &e);
	if (conn == NULL)
		fail_msg("connect: %s", e.msg);
	expect_line(conn, "hello");
	net_close(&conn);
	tsrv_join(&s);
}

static void
test_lines_crlf_and_lf(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct buf	 line = BUF_INIT;
	struct err	 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_send_arg,
	    "* OK ready\r\nbare lf\n\r\n\ninner\rcr\r\nlast"), 0);
	conn = connect_to(&s, 3000);
	expect_line(conn, "* OK ready");
	expect_line(conn, "bare lf");
	expect_line(conn, "");
	expect_line(conn, "");
	expect_line(conn, "inner\rcr");
	tsrv_join(&s);
	/* "last" has no line end and the server is gone. */
	err_clear(&e);
	assert_int_equal(net_read_line(conn, LINE_MAX_TEST, &line, &e), -1);
	assert_int_equal(e.code, ERR_CLOSED);
	assert_non_null(strstr(e.msg, "closed"));
	buf_free(&line);
	net_close(&conn);
}

static void
script_nul(struct tsrv *s, int fd)
{
	(void)s;
	tsrv_send(fd, "a\0b\r\n", 5);
}

static void
test_line_with_nul(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct buf	 line = BUF_INIT;
	struct err	 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_nul, NULL), 0);
	conn = connect_to(&s, 3000);
	assert_int_equal(net_read_line(conn, 10, &line, &e), 0);
	assert_int_equal(line.len, 3);
	assert_memory_equal(line.data, "a\0b", 3);
	buf_free(&line);
	net_close(&conn);
	tsrv_join(&s);
}

static void
test_line_bytewise(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_bytewise,
	    "* OK a line sent one byte at a time\r\nsecond\r\n"), 0);
	conn = connect_to(&s, 3000);
	expect_line(conn, "* OK a line sent one byte at a time");
	expect_line(conn, "second");
	net_close(&conn);
	tsrv_join(&s);
}

static void
script_endless(struct tsrv *s, int fd)
{
	char	chunk[4096];
	int	i;

	memset(chunk, 'x', sizeof chunk);
	/* 4 MB without a line end, or until the client hangs up. */
	for (i = 0; i < 1024; i++)
		if (tsrv_send(fd, chunk, sizeof chunk) == -1)
			break;
	s->status = i;
}

static void
test_line_cap(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct buf	 line = BUF_INIT;
	struct err	 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_endless, NULL),
	    0);
	conn = connect_to(&s, 3000);
	err_clear(&e);
	assert_int_equal(net_read_line(conn, 5000, &line, &e), -1);
	assert_int_equal(e.code, ERR_TOOBIG);
	assert_non_null(strstr(e.msg, "5000"));
	/* Nothing of the monster line reached the caller's buffer. */
	assert_int_equal(line.len, 0);
	assert_true(line.cap < 5000);
	/* The stream is lost: no second try reads the tail as a line. */
	err_clear(&e);
	assert_int_equal(net_read_line(conn, 5000, &line, &e), -1);
	assert_int_equal(e.code, ERR_CLOSED);
	net_close(&conn);
	tsrv_join(&s);
	/* We stopped reading long before the 4 MB were out. */
	assert_true(s.status < 1024);
	buf_free(&line);
}

static void
script_cap_edges(struct tsrv *s, int fd)
{
	char	line[64];

	(void)s;
	memset(line, 'a', sizeof line);
	/* 10 bytes + CRLF, 10 + LF, then 11 + CRLF. */
	tsrv_send(fd, line, 10);
	tsrv_sends(fd, "\r\n");
	tsrv_send(fd, line, 10);
	tsrv_sends(fd, "\n");
	tsrv_send(fd, line, 11);
	tsrv_sends(fd, "\r\n");
	tsrv_sleep_ms(200);
}

static void
test_line_cap_edges(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct buf	 line = BUF_INIT;
	struct err	 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_cap_edges, NULL),
	    0);
	conn = connect_to(&s, 3000);
	assert_int_equal(net_read_line(conn, 10, &line, &e), 0);
	assert_string_equal(buf_cstr(&line), "aaaaaaaaaa");
	assert_int_equal(net_read_line(conn, 10, &line, &e), 0);
	assert_string_equal(buf_cstr(&line), "aaaaaaaaaa");
	err_clear(&e);
	assert_int_equal(net_read_line(conn, 10, &line, &e), -1);
	assert_int_equal(e.code, ERR_TOOBIG);
	buf_free(&line);
	net_close(&conn);
	tsrv_join(&s);
}

#define LITERAL_SIZE	100003

static void
script_literal(struct tsrv *s, int fd)
{
	char	*lit;
	size_t	 i;

	(void)s;
	lit = malloc(LITERAL_SIZE);
	for (i = 0; i < LITERAL_SIZE; i++)
		lit[i] = (char)('a' + i % 26);
	lit[5000] = '\n';	/* line ends inside a literal mean nothing */
	tsrv_sends(fd, "* 1 FETCH (BODY[] {100003}\r\n");
	/* Odd pieces so reads straddle every buffer boundary. */
	for (i = 0; i < LITERAL_SIZE; i += 7777)
		tsrv_send(fd, lit + i, LITERAL_SIZE - i < 7777 ?
		    LITERAL_SIZE - i : 7777);
	tsrv_sends(fd, ")\r\n* next\r\n");
	free(lit);
}

static void
test_read_exact(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct buf	 lit = BUF_INIT;
	struct err	 e;
	size_t		 i;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_literal, NULL), 0);
	conn = connect_to(&s, 3000);
	expect_line(conn, "* 1 FETCH (BODY[] {100003}");
	buf_adds(&lit, "kept:");
	err_clear(&e);
	if (net_read_exact(conn, LITERAL_SIZE, &lit, &e) != 0)
		fail_msg("read_exact: %s", e.msg);
	assert_int_equal(lit.len, 5 + LITERAL_SIZE);
	assert_memory_equal(lit.data, "kept:", 5);
	for (i = 0; i < LITERAL_SIZE; i++) {
		char want = i == 5000 ? '\n' : (char)('a' + i % 26);

		if (lit.data[5 + i] != want)
			fail_msg("literal byte %zu differs", i);
	}
	expect_line(conn, ")");
	expect_line(conn, "* next");
	buf_free(&lit);
	net_close(&conn);
	tsrv_join(&s);
}

static void
test_read_exact_bytewise(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct buf	 lit = BUF_INIT;
	struct err	 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_bytewise,
	    "{11}\r\nhello\r\nworld tail\r\n"), 0);
	conn = connect_to(&s, 3000);
	expect_line(conn, "{11}");
	assert_int_equal(net_read_exact(conn, 0, &lit, &e), 0);
	assert_int_equal(lit.len, 0);
	assert_int_equal(net_read_exact(conn, 11, &lit, &e), 0);
	assert_string_equal(buf_cstr(&lit), "hello\r\nworl");
	expect_line(conn, "d tail");
	buf_free(&lit);
	net_close(&conn);
	tsrv_join(&s);
}

static void
test_read_some(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct err	 e;
	char		 b[64];
	ssize_t		 n;
	size_t		 got = 0;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_send_arg,
	    "line\r\nrest of the data"), 0);
	conn = connect_to(&s, 3000);
	expect_line(conn, "line");
	/* First what the line reader buffered, in pieces no larger than cap. */
	n = net_read_some(conn, b, 4, &e);
	assert_true(n >= 1 && n <= 4);
	got = (size_t)n;
	while (got < strlen("rest of the data")) {
		n = net_read_some(conn, b + got, sizeof b - got, &e);
		if (n < 0)
			fail_msg("read_some: %s", e.msg);
		got += (size_t)n;
	}
	assert_memory_equal(b, "rest of the data", got);
	assert_false(net_pending(conn));
	tsrv_join(&s);
	err_clear(&e);
	assert_int_equal(net_read_some(conn, b, sizeof b, &e), -1);
	assert_int_equal(e.code, ERR_CLOSED);
	net_close(&conn);
}

static void
script_stall(struct tsrv *s, int fd)
{
	(void)s;
	tsrv_sends(fd, "* partial");
	tsrv_sleep_ms(600);
	tsrv_sends(fd, " done\r\n");
	tsrv_sleep_ms(100);
}

static void
test_timeout_keeps_partial_line(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct buf	 line = BUF_INIT;
	struct err	 e;
	char		 prefix[64];

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_stall, NULL), 0);
	conn = connect_to(&s, 200);
	err_clear(&e);
	assert_int_equal(net_read_line(conn, LINE_MAX_TEST, &line, &e), -1);
	assert_int_equal(e.code, ERR_TIMEOUT);
	snprintf(prefix, sizeof prefix, "127.0.0.1:%u: ", (unsigned)s.port);
	assert_true(str_starts_with(e.msg, prefix));
	/* A timeout loses nothing: the line completes on the next call. */
	net_set_timeout(conn, 3000);
	expect_line(conn, "* partial done");
	buf_free(&line);
	net_close(&conn);
	tsrv_join(&s);
}

static void
script_wait(struct tsrv *s, int fd)
{
	(void)s;
	tsrv_sleep_ms(300);
	tsrv_sends(fd, "* 3 EXISTS\r\n* 4 EXISTS\r\n");
	tsrv_sleep_ms(300);
}

static void
test_wait_readable(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct err	 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_wait, NULL), 0);
	conn = connect_to(&s, 3000);
	err_clear(&e);
	assert_false(net_pending(conn));
	assert_int_equal(net_wait_readable(conn, 50, &e), 0);
	assert_int_equal(e.code, ERR_OK);
	assert_int_equal(net_wait_readable(conn, 3000, &e), 1);
	expect_line(conn, "* 3 EXISTS");
	/* The second line is buffered: no poll() would see it. */
	assert_true(net_pending(conn));
	assert_int_equal(net_wait_readable(conn, 0, &e), 1);
	expect_line(conn, "* 4 EXISTS");
	tsrv_join(&s);
	assert_int_equal(net_wait_readable(conn, 1000, &e), -1);
	assert_int_equal(e.code, ERR_CLOSED);
	net_close(&conn);
}

static void
script_read_command(struct tsrv *s, int fd)
{
	char	line[256];

	while (tsrv_read_line(s, fd, line, sizeof line) == 0)
		;
}

static void
test_send_line(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct err	 e;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_read_command,
	    NULL), 0);
	conn = connect_to(&s, 3000);
	err_clear(&e);
	assert_int_equal(net_send_line(conn, "a001 NOOP", false, &e), 0);
	assert_int_equal(net_write(conn, "a002 APPEND x {3}\r\nabc\r\n", 24,
	    false, &e), 0);
	/* A line break would smuggle a second command. */
	assert_int_equal(net_send_line(conn, "a003 SELECT x\r\na004 DELETE y",
	    false, &e), -1);
	assert_int_equal(e.code, ERR_INTERNAL);
	err_clear(&e);
	assert_int_equal(net_send_line(conn, "a005 LOGOUT", false, &e), 0);
	net_close(&conn);
	tsrv_join(&s);
	assert_string_equal(s.got,
	    "a001 NOOP\r\na002 APPEND x {3}\r\nabc\r\na005 LOGOUT\r\n");
}

static void
script_close_at_once(struct tsrv *s, int fd)
{
	(void)s;
	(void)fd;
}

static void
test_no_sigpipe(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct err	 e;
	char		 big[65536];
	int		 i, r = 0;

	(void)state;
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_close_at_once,
	    NULL), 0);
	conn = connect_to(&s, 3000);
	tsrv_join(&s);
	memset(big, 'z', sizeof big);
	/* SIGPIPE is not ignored here: a raw write would kill the test. */
	err_clear(&e);
	for (i = 0; i < 100 && r == 0; i++) {
		r = net_write(conn, big, sizeof big, false, &e);
		tsrv_sleep_ms(1);
	}
	assert_int_equal(r, -1);
	assert_int_equal(e.code, ERR_CLOSED);
	net_close(&conn);
}

static void
test_adopt_socketpair(void **state)
{
	struct net_endpoint	 ep;
	struct net_conn		*conn;
	struct err		 e;
	char			 b[64];
	int			 sv[2];
	ssize_t			 n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	endpoint(&ep, "tunnel", 1, 1000);
	err_clear(&e);
	conn = net_adopt_fd(sv[0], &ep, &e);
	assert_non_null(conn);
	assert_int_equal(net_fd(conn), sv[0]);
	assert_string_equal(net_peer(conn), "tunnel:1");
	assert_int_equal(write(sv[1], "+OK hi\r\n", 8), 8);
	expect_line(conn, "+OK hi");
	assert_int_equal(net_send_line(conn, "QUIT", false, &e), 0);
	n = read(sv[1], b, sizeof b);
	assert_int_equal(n, 6);
	assert_memory_equal(b, "QUIT\r\n", 6);
	/* STARTTLS with bytes waiting in the socket is refused unread. */
	assert_int_equal(write(sv[1], "injected", 8), 8);
	tsrv_sleep_ms(20);
	assert_int_equal(net_starttls(conn, &e), -1);
	assert_int_equal(e.code, ERR_STARTTLS);
	net_close(&conn);
	close(sv[1]);
}

static void
test_wire_log_masks_secrets(void **state)
{
	struct tsrv	 s;
	struct net_conn	*conn;
	struct err	 e;
	char		 path[] = "/tmp/surat-test-net-log-XXXXXX";
	char		 text[8192];
	ssize_t		 n;
	int		 fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(log_open(path, LOG_LEVEL_WIRE, &e), 0);
	assert_int_equal(tsrv_start(&s, "127.0.0.1", script_read_command,
	    NULL), 0);
	conn = connect_to(&s, 3000);
	assert_int_equal(net_send_line(conn, "AHVzZXIAaHVudGVyMg==", true,
	    &e), 0);
	assert_int_equal(net_write(conn, "hunter2\r\n", 9, true, &e), 0);
	assert_int_equal(net_send_line(conn, "a1 NOOP", false, &e), 0);
	net_close(&conn);
	tsrv_join(&s);
	log_close();
	n = read(fd, text, sizeof text - 1);
	assert_true(n > 0);
	text[n] = '\0';
	close(fd);
	unlink(path);
	assert_null(strstr(text, "AHVzZXIAaHVudGVyMg=="));
	assert_null(strstr(text, "hunter2"));
	assert_non_null(strstr(text, "a1 NOOP"));
	/* The server did get the secret. */
	assert_non_null(strstr(s.got, "AHVzZXIAaHVudGVyMg==\r\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_connect_unknown_host),
		cmocka_unit_test(test_connect_bad_endpoint),
		cmocka_unit_test(test_connect_ipv6),
		cmocka_unit_test(test_connect_by_name),
		cmocka_unit_test(test_lines_crlf_and_lf),
		cmocka_unit_test(test_line_with_nul),
		cmocka_unit_test(test_line_bytewise),
		cmocka_unit_test(test_line_cap),
		cmocka_unit_test(test_line_cap_edges),
		cmocka_unit_test(test_read_exact),
		cmocka_unit_test(test_read_exact_bytewise),
		cmocka_unit_test(test_read_some),
		cmocka_unit_test(test_timeout_keeps_partial_line),
		cmocka_unit_test(test_wait_readable),
		cmocka_unit_test(test_send_line),
		cmocka_unit_test(test_no_sigpipe),
		cmocka_unit_test(test_adopt_socketpair),
		cmocka_unit_test(test_wire_log_masks_secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
