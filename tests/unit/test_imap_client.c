/*
 * Unit tests for the IMAP client's own logic, no server needed: the exact
 * commands it writes (quoting, literals, SASL), its STARTTLS rules, and
 * how its state follows canned responses.  A thread plays a transcript
 * over a socketpair, writing the server's side one byte per write().
 */
#include "config.h"

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "imap/imap.h"
#include "imap/imap-int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

/*
 * A transcript: "C:" what the client must write next (exact bytes),
 * "S:" what the server answers (byte by byte), "W:" the same in one
 * write (so it arrives together).
 */
struct fake {
	int			 fd;
	pthread_t		 th;
	const char *const	*script;
	char			 err[512];
};

static int
read_exact(int fd, char *b, size_t n)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	size_t		got = 0;
	ssize_t		r;

	while (got < n) {
		if (poll(&pfd, 1, 3000) <= 0)
			break;
		r = read(fd, b + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (int)got;
}

static void *
server(void *arg)
{
	struct fake	*f = arg;
	const char	*s, *t;
	char		*b;
	size_t		 i, n;
	int		 got;

	for (i = 0; f->script[i] != NULL; i++) {
		s = f->script[i];
		t = s + 2;
		n = strlen(t);
		if (s[0] == 'C') {
			b = xcalloc(1, n + 1);
			got = read_exact(f->fd, b, n);
			if ((size_t)got != n || memcmp(b, t, n) != 0) {
				snprintf(f->err, sizeof f->err, "step %zu: "
				    "want \"%s\", got \"%.*s\"", i, t, got, b);
				free(b);
				return NULL;
			}
			free(b);
		} else if (s[0] == 'S') {
			for (; *t != '\0'; t++) {
				if (write(f->fd, t, 1) != 1)
					return NULL;
			}
		} else if (write(f->fd, t, n) != (ssize_t)n)
			return NULL;
	}
	return NULL;
}

static struct imap_conn *
start(struct fake *f, const char *const *script, enum net_security sec,
    bool allow_plaintext, struct err *e)
{
	struct imap_params	p;
	int			sv[2];

	memset(f, 0, sizeof *f);
	memset(&p, 0, sizeof p);
	p.ep.host = "imap.test";
	p.ep.port = 143;
	p.ep.timeout_ms = 3000;
	p.security = sec;
	p.allow_plaintext = allow_plaintext;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	f->fd = sv[1];
	f->script = script;
	assert_int_equal(pthread_create(&f->th, NULL, server, f), 0);
	err_clear(e);
	return imap_connect_fd(sv[0], &p, e);
}

/* The whole transcript was played, and the client wrote nothing more. */
static void
finish(struct fake *f, struct imap_conn **cp)
{
	char	b[256];
	ssize_t	n;

	pthread_join(f->th, NULL);
	if (f->err[0] != '\0')
		fail_msg("%s", f->err);
	fcntl(f->fd, F_SETFL, O_NONBLOCK);
	n = read(f->fd, b, sizeof b - 1);
	if (n > 0) {
		b[n] = '\0';
		fail_msg("client wrote more: \"%s\"", b);
	}
	imap_close(cp);
	close(f->fd);
}

#define GREET	"S:* OK [CAPABILITY IMAP4rev1 "

static char *
mutf7(const char *utf8)
{
	struct buf	b = BUF_INIT;
	struct err	e;

	assert_int_equal(imap_mutf7_encode(utf8, &b, &e), 0);
	return buf_detach(&b, NULL);
}

/* ------------------------------------------------------------------ */
/* Login                                                               */

static void
test_sasl_ir(void **state)
{
	static const char *const script[] = {
		GREET "SASL-IR AUTH=PLAIN ID] hi\r\n",
		"C:a001 AUTHENTICATE PLAIN AGJ1ZGkAc2VjcmV0\r\n",
		"S:a001 OK [CAPABILITY IMAP4rev1 MOVE] in\r\n",
		NULL,
	};
	struct imap_auth	 a = { "budi", "secret", IMAP_AUTH_AUTO };
	struct imap_conn	*c;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, true, &e);
	assert_non_null(c);
	assert_true(imap_has_cap(c, "sasl-ir"));
	assert_int_equal(imap_login(c, &a, &e), 0);
	assert_int_equal(imap_get_state(c), IMAP_STATE_AUTH);
	/* The OK's list replaced the old one: no CAPABILITY asked. */
	assert_true(imap_has_cap(c, "MOVE"));
	assert_false(imap_has_cap(c, "SASL-IR"));
	finish(&f, &c);
}

static void
test_plain_without_ir(void **state)
{
	static const char *const script[] = {
		GREET "AUTH=PLAIN] hi\r\n",
		"C:a001 AUTHENTICATE PLAIN\r\n",
		"S:+ \r\n",
		"C:AGJ1ZGkAc2VjcmV0\r\n",
		"S:a001 OK in\r\n",
		"C:a002 CAPABILITY\r\n",
		"S:* CAPABILITY IMAP4rev1 IDLE\r\na002 OK\r\n",
		NULL,
	};
	struct imap_auth	 a = { "budi", "secret", IMAP_AUTH_PLAIN };
	struct imap_conn	*c;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, true, &e);
	assert_non_null(c);
	assert_int_equal(imap_login(c, &a, &e), 0);
	assert_true(imap_has_cap(c, "IDLE"));
	assert_false(imap_has_cap(c, "AUTH=PLAIN"));
	finish(&f, &c);
}

static void
test_sasl_login(void **state)
{
	static const char *const script[] = {
		GREET "AUTH=LOGIN] hi\r\n",
		"C:a001 AUTHENTICATE LOGIN\r\n",
		"S:+ VXNlcm5hbWU6\r\n",
		"C:YnVkaQ==\r\n",
		"S:+ UGFzc3dvcmQ6\r\n",
		"C:c2VjcmV0\r\n",
		"S:a001 OK [CAPABILITY IMAP4rev1] in\r\n",
		NULL,
	};
	struct imap_auth	 a = { "budi", "secret", IMAP_AUTH_SASL_LOGIN };
	struct imap_conn	*c;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, true, &e);
	assert_non_null(c);
	assert_int_equal(imap_login(c, &a, &e), 0);
	finish(&f, &c);
}

static void
test_xoauth2_failure(void **state)
{
	static const char *const script[] = {
		GREET "SASL-IR AUTH=XOAUTH2] hi\r\n",
		"C:a001 AUTHENTICATE XOAUTH2 "
		    "dXNlcj1idWRpAWF1dGg9QmVhcmVyIHRvawEB\r\n",
		"S:+ eyJzdGF0dXMiOiI0MDEifQ==\r\n",
		"C:\r\n",
		"S:a001 NO [AUTHENTICATIONFAILED] bad token\r\n",
		NULL,
	};
	struct imap_auth	 a = { "budi", "tok", IMAP_AUTH_XOAUTH2 };
	struct imap_conn	*c;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, true, &e);
	assert_non_null(c);
	assert_int_equal(imap_login(c, &a, &e), -1);
	assert_int_equal(e.code, ERR_AUTH);
	assert_non_null(strstr(e.msg, "bad token"));
	assert_non_null(strstr(e.msg, "401"));
	assert_null(strstr(e.msg, "tok\x01"));
	assert_int_equal(imap_get_state(c), IMAP_STATE_NOT_AUTH);
	finish(&f, &c);
}

/* LOGIN's arguments: quoted with escapes, else a literal. */
static void
test_login_quoting(void **state)
{
	static const char *const quoted[] = {
		GREET "] hi\r\n",
		"C:a001 LOGIN \"bu\\\"di\" \"p\\\\ss\"\r\n",
		"S:a001 OK [CAPABILITY IMAP4rev1] in\r\n",
		NULL,
	};
	static const char *const plus[] = {
		GREET "LITERAL+] hi\r\n",
		"C:a001 LOGIN \"budi\" {3+}\r\np\xc3\xa4\r\n",
		"S:a001 OK [CAPABILITY IMAP4rev1] in\r\n",
		NULL,
	};
	static const char *const sync[] = {
		GREET "] hi\r\n",
		"C:a001 LOGIN \"budi\" {3}\r\n",
		"S:+ go on\r\n",
		"C:p\xc3\xa4\r\n",
		"S:a001 OK [CAPABILITY IMAP4rev1] in\r\n",
		NULL,
	};
	struct imap_auth	 a = { "bu\"di", "p\\ss", IMAP_AUTH_AUTO };
	struct imap_conn	*c;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, quoted, NET_SECURITY_PLAIN, true, &e);
	assert_int_equal(imap_login(c, &a, &e), 0);
	finish(&f, &c);
	a.user = "budi";
	a.secret = "p\xc3\xa4";
	c = start(&f, plus, NET_SECURITY_PLAIN, true, &e);
	assert_int_equal(imap_login(c, &a, &e), 0);
	finish(&f, &c);
	c = start(&f, sync, NET_SECURITY_PLAIN, true, &e);
	assert_int_equal(imap_login(c, &a, &e), 0);
	finish(&f, &c);
}

static void
test_no_password_in_clear(void **state)
{
	static const char *const script[] = {
		GREET "AUTH=PLAIN] hi\r\n",
		NULL,
	};
	static const char *const disabled[] = {
		GREET "LOGINDISABLED] hi\r\n",
		NULL,
	};
	struct imap_auth	 a = { "budi", "secret", IMAP_AUTH_AUTO };
	struct imap_conn	*c;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_non_null(c);
	assert_int_equal(imap_login(c, &a, &e), -1);
	assert_int_equal(e.code, ERR_CONFIG);
	finish(&f, &c);
	a.method = IMAP_AUTH_LOGIN;
	c = start(&f, disabled, NET_SECURITY_PLAIN, true, &e);
	assert_int_equal(imap_login(c, &a, &e), -1);
	assert_int_equal(e.code, ERR_AUTH);
	finish(&f, &c);
}

/* ------------------------------------------------------------------ */
/* STARTTLS                                                            */

static void
test_starttls_rules(void **state)
{
	static const char *const missing[] = {
		GREET "AUTH=PLAIN] hi\r\n",
		NULL,
	};
	static const char *const injected[] = {
		GREET "STARTTLS] hi\r\n",
		"C:a001 STARTTLS\r\n",
		"W:a001 OK go\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] x\r\n",
		NULL,
	};
	static const char *const preauth[] = {
		"S:* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n",
		NULL,
	};
	static const char *const refused[] = {
		"S:* OK hi\r\n",
		"C:a001 CAPABILITY\r\n",
		"S:* CAPABILITY IMAP4rev1 STARTTLS\r\na001 OK\r\n",
		"C:a002 STARTTLS\r\n",
		"S:a002 NO not today\r\n",
		NULL,
	};
	struct imap_conn	*c;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, missing, NET_SECURITY_STARTTLS, false, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_STARTTLS);
	finish(&f, &c);
	c = start(&f, injected, NET_SECURITY_STARTTLS, false, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_STARTTLS);
	assert_non_null(strstr(e.msg, "injected"));
	finish(&f, &c);
	c = start(&f, preauth, NET_SECURITY_STARTTLS, false, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_STARTTLS);
	finish(&f, &c);
	c = start(&f, refused, NET_SECURITY_STARTTLS, false, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_STARTTLS);
	finish(&f, &c);
}

/* ------------------------------------------------------------------ */
/* Mailbox state                                                       */

struct events {
	size_t	n;
	char	names[16][16];
};

static void
on_event(void *arg, const struct imap_response *r)
{
	struct events	*ev = arg;

	if (ev->n < 16)
		snprintf(ev->names[ev->n++], sizeof ev->names[0], "%s",
		    r->name);
}

#define PREAUTH	"S:* PREAUTH [CAPABILITY IMAP4rev1 "

static void
test_select_state(void **state)
{
	static const char *const script[] = {
		PREAUTH "CONDSTORE] hi\r\n",
		"C:a001 SELECT \"INBOX\" (CONDSTORE)\r\n",
		"S:* FLAGS (\\Seen \\Deleted)\r\n"
		"* OK [PERMANENTFLAGS (\\Seen \\*)] ok\r\n"
		"* 5 EXISTS\r\n* 0 RECENT\r\n"
		"* OK [UIDVALIDITY 42] ok\r\n* OK [UIDNEXT 9] ok\r\n"
		"* OK [HIGHESTMODSEQ 1234] ok\r\n"
		"a001 OK [READ-WRITE] done\r\n",
		"C:a002 NOOP\r\n",
		"S:* 2 EXPUNGE\r\n"
		"* 1 FETCH (UID 7 FLAGS (\\Seen) MODSEQ (1240))\r\n"
		"* OK [HIGHESTMODSEQ 1240] x\r\n* OK [ALERT] disk \x1b[31mfull\r\n"
		"a002 OK\r\n",
		"C:a003 EXAMINE \"Gone\" (CONDSTORE)\r\n",
		"S:a003 NO [NONEXISTENT] no such mailbox\r\n",
		"C:a004 NOOP\r\n",
		"S:* BYE shutting down\r\n",
		NULL,
	};
	struct imap_conn		*c;
	const struct imap_mailbox	*m;
	struct events			 ev = { 0 };
	struct fake			 f;
	struct err			 e;
	char				**alerts;
	size_t				 n;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_non_null(c);
	assert_int_equal(imap_get_state(c), IMAP_STATE_AUTH);
	imap_set_event_cb(c, on_event, &ev);
	assert_null(imap_mailbox(c));
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	m = imap_mailbox(c);
	assert_non_null(m);
	assert_int_equal(m->exists, 5);
	assert_int_equal(m->uidvalidity, 42);
	assert_int_equal(m->uidnext, 9);
	assert_int_equal(m->highestmodseq, 1234);
	assert_false(m->readonly);
	assert_int_equal(m->flags.count, 2);
	assert_int_equal(m->permanentflags.count, 2);
	assert_int_equal(imap_noop(c, &e), 0);
	assert_int_equal(m->exists, 4);
	assert_int_equal(m->highestmodseq, 1240);
	/* Events: SELECT's data too, then the NOOP's news. */
	assert_string_equal(ev.names[ev.n - 2], "EXPUNGE");
	assert_string_equal(ev.names[ev.n - 1], "FETCH");
	alerts = imap_take_alerts(c, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(alerts[0], "imap.test"));
	assert_null(strchr(alerts[0], '\x1b'));
	free(alerts[0]);
	free(alerts);
	/* A failed SELECT leaves no mailbox selected. */
	assert_int_equal(imap_select(c, "Gone", true, NULL, &e), -1);
	assert_int_equal(e.code, ERR_REFUSED);
	assert_non_null(strstr(e.msg, "NONEXISTENT"));
	assert_int_equal(imap_get_state(c), IMAP_STATE_AUTH);
	assert_null(imap_mailbox(c));
	/* BYE during a command. */
	assert_int_equal(imap_noop(c, &e), -1);
	assert_int_equal(e.code, ERR_CLOSED);
	assert_non_null(strstr(e.msg, "shutting down"));
	assert_int_equal(imap_get_state(c), IMAP_STATE_LOGOUT);
	assert_int_equal(imap_noop(c, &e), -1);
	assert_int_equal(e.code, ERR_CLOSED);
	finish(&f, &c);
}

static void
test_qresync(void **state)
{
	static const char *const script[] = {
		PREAUTH "ENABLE QRESYNC CONDSTORE] hi\r\n",
		"C:a001 ENABLE QRESYNC\r\n",
		"S:* ENABLED QRESYNC\r\na001 OK\r\n",
		"C:a002 SELECT \"INBOX\" (QRESYNC (42 1000 1:9))\r\n",
		"S:* 4 EXISTS\r\n* OK [UIDVALIDITY 42] x\r\n"
		"* VANISHED (EARLIER) 3:4,8\r\n"
		"* 1 FETCH (UID 1 FLAGS () MODSEQ (1001))\r\n"
		"a002 OK [READ-WRITE] ok\r\n",
		NULL,
	};
	struct imap_conn	*c;
	struct events		 ev = { 0 };
	struct imap_qresync	 qr = { 42, 1000, "1:9" };
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_non_null(c);
	imap_set_event_cb(c, on_event, &ev);
	assert_int_equal(imap_enable(c, "QRESYNC", &e), 0);
	assert_true(imap_is_enabled(c, "qresync"));
	assert_int_equal(imap_select(c, "INBOX", false, &qr, &e), 0);
	/* VANISHED (EARLIER) does not count against EXISTS. */
	assert_int_equal(imap_mailbox(c)->exists, 4);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.names[1], "VANISHED");
	assert_string_equal(ev.names[2], "FETCH");
	finish(&f, &c);
}

/* The FETCH part of the QRESYNC transcript, with callbacks. */
struct got {
	uint32_t		uids[8];
	size_t			n;
	struct imap_seqset	vanished;
};

static int
got_fetch(void *arg, const struct imap_fetch *fe, struct err *e)
{
	struct got	*g = arg;

	(void)e;
	if (g->n < 8)
		g->uids[g->n++] = fe->uid;
	return 0;
}

static int
got_vanished(void *arg, const struct imap_seqset *s, struct err *e)
{
	struct got	*g = arg;
	size_t		 i;

	(void)e;
	for (i = 0; i < s->n; i++)
		imap_seqset_add(&g->vanished, s->r[i].lo, s->r[i].hi);
	return 0;
}

static void
test_fetch_changedsince(void **state)
{
	static const char *const script[] = {
		PREAUTH "ENABLE QRESYNC CONDSTORE] hi\r\n",
		"C:a001 ENABLE QRESYNC\r\n",
		"S:* ENABLED QRESYNC\r\na001 OK\r\n",
		"C:a002 SELECT \"INBOX\"\r\n",
		"S:* 4 EXISTS\r\na002 OK [READ-WRITE] ok\r\n",
		"C:a003 UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE 1001 VANISHED)\r\n",
		"S:* VANISHED (EARLIER) 9\r\n"
		"* 2 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (1002))\r\n"
		"* 3 FETCH (FLAGS (\\Seen))\r\n"
		"a003 OK\r\n",
		"C:a004 NOOP\r\n",
		"S:* VANISHED 5\r\na004 OK\r\n",
		"C:a005 UID FETCH 7 (UID BODY.PEEK[1])\r\n",
		"S:* 3 FETCH (UID 7 BODY[1] {5}\r\nhello)\r\na005 OK\r\n",
		"C:a006 UID FETCH 8 (UID BODY.PEEK[])\r\n",
		"S:* 3 FETCH (UID 8 BODY[] {12}\r\nhello world!)\r\na006 OK\r\n",
		"C:a007 NOOP\r\n",
		"S:a007 OK\r\n",
		NULL,
	};
	struct imap_conn	*c;
	struct imap_fetch_req	 req;
	struct events		 ev = { 0 };
	struct got		 g = { { 0 }, 0, { 0 } };
	struct buf		 b = BUF_INIT;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_non_null(c);
	assert_int_equal(imap_enable(c, "QRESYNC", &e), 0);
	/* QRESYNC is on, nothing remembered: a plain SELECT. */
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	imap_set_event_cb(c, on_event, &ev);
	memset(&req, 0, sizeof req);
	req.uids = "1:*";
	req.items = "UID FLAGS";
	req.changedsince = 1001;
	req.vanished = true;
	req.on_fetch = got_fetch;
	req.on_vanished = got_vanished;
	req.arg = &g;
	assert_int_equal(imap_uid_fetch(c, &req, &e), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.uids[0], 5);
	assert_true(imap_seqset_contains(&g.vanished, 9));
	/* A FETCH without UID is the server's own news. */
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.names[0], "FETCH");
	assert_int_equal(imap_noop(c, &e), 0);
	assert_int_equal(imap_mailbox(c)->exists, 3);
	/* One part; then the whole message over the cap. */
	assert_int_equal(imap_fetch_part(c, 7, "1", 100, &b, &e), 0);
	assert_string_equal(buf_cstr(&b), "hello");
	buf_reset(&b);
	assert_int_equal(imap_fetch_part(c, 8, "", 5, &b, &e), -1);
	assert_int_equal(e.code, ERR_TOOBIG);
	assert_int_equal(b.len, 0);
	assert_int_equal(imap_noop(c, &e), 0);
	buf_free(&b);
	imap_seqset_clear(&g.vanished);
	finish(&f, &c);
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static void
test_move_and_fallback(void **state)
{
	static const char *const with_move[] = {
		PREAUTH "MOVE UIDPLUS] hi\r\n",
		"C:a001 SELECT \"INBOX\"\r\n",
		"S:* 5 EXISTS\r\na001 OK [READ-WRITE] ok\r\n",
		"C:a002 UID MOVE 3:4 \"Trash\"\r\n",
		"S:* OK [COPYUID 9 3:4 10:11] moved\r\n"
		"* 3 EXPUNGE\r\n* 3 EXPUNGE\r\na002 OK done\r\n",
		"C:a003 UID EXPUNGE 2\r\n",
		"S:* 2 EXPUNGE\r\na003 OK\r\n",
		NULL,
	};
	static const char *const fallback[] = {
		PREAUTH "] hi\r\n",
		"C:a001 SELECT \"INBOX\"\r\n",
		"S:* 5 EXISTS\r\na001 OK [READ-WRITE] ok\r\n",
		"C:a002 UID COPY 3:4 \"Trash\"\r\n",
		"S:a002 OK copied\r\n",
		"C:a003 UID STORE 3:4 +FLAGS.SILENT (\\Deleted)\r\n",
		"S:a003 OK\r\n",
		"C:a004 EXPUNGE\r\n",
		"S:* 3 EXPUNGE\r\n* 3 EXPUNGE\r\na004 OK\r\n",
		NULL,
	};
	struct imap_conn	*c;
	struct imap_copyuid	 cu;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, with_move, NET_SECURITY_PLAIN, false, &e);
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	assert_int_equal(imap_uid_move(c, "3:4", "Trash", &cu, &e), 0);
	assert_int_equal(cu.uidvalidity, 9);
	assert_true(imap_seqset_contains(&cu.dst, 11));
	assert_true(imap_seqset_contains(&cu.src, 3));
	imap_copyuid_clear(&cu);
	assert_int_equal(imap_mailbox(c)->exists, 3);
	assert_int_equal(imap_uid_expunge(c, "2", &e), 0);
	assert_int_equal(imap_mailbox(c)->exists, 2);
	/* Sets are checked before anything is sent. */
	assert_int_equal(imap_uid_move(c, "3 4", "Trash", &cu, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	finish(&f, &c);

	c = start(&f, fallback, NET_SECURITY_PLAIN, false, &e);
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	assert_int_equal(imap_uid_move(c, "3:4", "Trash", &cu, &e), 0);
	assert_int_equal(cu.uidvalidity, 0);
	assert_int_equal(imap_mailbox(c)->exists, 3);
	finish(&f, &c);
}

static void
test_store_append(void **state)
{
	static const char *const script[] = {
		PREAUTH "CONDSTORE LITERAL+] hi\r\n",
		"C:a001 SELECT \"INBOX\" (CONDSTORE)\r\n",
		"S:* 5 EXISTS\r\na001 OK [READ-WRITE] ok\r\n",
		"C:a002 UID STORE 1:3 (UNCHANGEDSINCE 77) +FLAGS.SILENT "
		    "(\\Seen $Label1)\r\n",
		"S:* 1 FETCH (UID 1 MODSEQ (80))\r\n"
		"a002 OK [MODIFIED 2:3] conditional\r\n",
		"C:a003 APPEND \"Sent\" (\\Seen) \"02-Jan-2026 03:04:05 +0000\" "
		    "{7+}\r\nhello\r\n\r\n",
		"S:a003 OK [APPENDUID 42 17] ok\r\n",
		NULL,
	};
	static const char *const sync[] = {
		PREAUTH "] hi\r\n",
		"C:a001 APPEND \"INBOX\" {7}\r\n",
		"S:a001 NO [OVERQUOTA] mailbox full\r\n",
		"C:a002 APPEND \"INBOX\" {7}\r\n",
		"S:+ ok\r\n",
		"C:hello\r\n\r\n",
		"S:a002 OK done\r\n",
		NULL,
	};
	struct imap_conn	*c;
	struct imap_seqset	 mod = { 0 };
	struct fake		 f;
	struct err		 e;
	uint32_t		 uv, uid;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	assert_int_equal(imap_uid_store(c, "1:3", "+FLAGS.SILENT",
	    "\\Seen $Label1", 77, &mod, &e), 0);
	assert_false(imap_seqset_contains(&mod, 1));
	assert_true(imap_seqset_contains(&mod, 3));
	imap_seqset_clear(&mod);
	/* Flags that would break the command are refused. */
	assert_int_equal(imap_uid_store(c, "1", "+FLAGS", "\\Seen) (x", 0,
	    NULL, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(imap_uid_store(c, "1", "+FLAGZ", "\\Seen", 0,
	    NULL, &e), -1);
	assert_int_equal(imap_append(c, "Sent", "\\Seen", 1767323045,
	    "hello\r\n", 7, &uv, &uid, &e), 0);
	assert_int_equal(uv, 42);
	assert_int_equal(uid, 17);
	finish(&f, &c);

	/* Without LITERAL+: a NO instead of "+" leaves it usable. */
	c = start(&f, sync, NET_SECURITY_PLAIN, false, &e);
	assert_int_equal(imap_append(c, "INBOX", NULL, 0, "hello\r\n", 7,
	    &uv, &uid, &e), -1);
	assert_int_equal(e.code, ERR_REFUSED);
	assert_non_null(strstr(e.msg, "OVERQUOTA"));
	assert_int_equal(imap_refusal_code(c), IMAP_CODE_OVERQUOTA);
	assert_int_equal(imap_append(c, "INBOX", "", 0, "hello\r\n", 7,
	    &uv, &uid, &e), 0);
	assert_int_equal(uid, 0);
	finish(&f, &c);
}

static void
test_search_build(void **state)
{
	struct imap_search_key	 ascii[] = { { "FROM", "bob \"b\"" },
				    { "UNSEEN", NULL }, { "UID", "1:*" } };
	struct imap_search_key	 utf8[] = { { "SUBJECT", "Gr\xc3\xbc\xc3\x9f" "e" } };
	struct imap_search_key	 bad1[] = { { "FROM x", "y" } };
	struct imap_search_key	 bad2[] = { { "UID", "1 OR 2" } };
	struct imap_cmd		 cmd;
	struct err		 e;

	(void)state;
	imap_cmd_init(&cmd, "SEARCH", 0);
	assert_int_equal(imap_search_build(&cmd, ascii, 3, &e), 0);
	assert_string_equal(buf_cstr(&cmd.text),
	    "UID SEARCH FROM \"bob \\\"b\\\"\" UNSEEN UID 1:*");
	assert_int_equal(cmd.nlits, 0);
	imap_cmd_free(&cmd);
	imap_cmd_init(&cmd, "SEARCH", 0);
	assert_int_equal(imap_search_build(&cmd, utf8, 1, &e), 0);
	assert_string_equal(buf_cstr(&cmd.text),
	    "UID SEARCH CHARSET UTF-8 SUBJECT ");
	assert_int_equal(cmd.nlits, 1);
	assert_int_equal(cmd.lits[0].len, 7);
	imap_cmd_free(&cmd);
	imap_cmd_init(&cmd, "SEARCH", 0);
	assert_int_equal(imap_search_build(&cmd, NULL, 0, &e), 0);
	assert_string_equal(buf_cstr(&cmd.text), "UID SEARCH ALL");
	imap_cmd_free(&cmd);
	imap_cmd_init(&cmd, "SEARCH", 0);
	assert_int_equal(imap_search_build(&cmd, bad1, 1, &e), -1);
	imap_cmd_free(&cmd);
	imap_cmd_init(&cmd, "SEARCH", 0);
	assert_int_equal(imap_search_build(&cmd, bad2, 1, &e), -1);
	imap_cmd_free(&cmd);
}

static void
test_search_list_quota(void **state)
{
	static const char *const script[] = {
		PREAUTH "LITERAL+ SPECIAL-USE QUOTA] hi\r\n",
		"C:a001 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n",
		"S:* LIST (\\HasNoChildren) \".\" INBOX\r\n"
		"* LIST (\\Sent) \".\" \"Sent Messages\"\r\n"
		"* LIST (\\Noselect) \".\" \"Entw&APw-rfe\"\r\n"
		"a001 OK\r\n",
		"C:a002 STATUS \"INBOX\" (MESSAGES UIDNEXT)\r\n",
		"S:* STATUS INBOX (MESSAGES 3 UIDNEXT 4)\r\na002 OK\r\n",
		"C:a003 STATUS \"Sent Messages\" (MESSAGES UIDNEXT)\r\n",
		"S:* STATUS \"Sent Messages\" (MESSAGES 1 UIDNEXT 2)\r\n"
		"a003 OK\r\n",
		"C:a004 SELECT \"INBOX\"\r\n",
		"S:a004 OK [READ-WRITE] ok\r\n",
		"C:a005 UID SEARCH CHARSET UTF-8 BODY {2+}\r\n\xc3\xbc\r\n",
		"S:* SEARCH 2 5 9\r\na005 OK\r\n",
		"C:a006 GETQUOTAROOT \"INBOX\"\r\n",
		"S:* QUOTAROOT INBOX \"User quota\"\r\n"
		"* QUOTA \"User quota\" (STORAGE 10 102400 MESSAGE 3 1000)\r\n"
		"a006 OK\r\n",
		"C:a007 CREATE \"Entw&APw-rfe.Caf&AOk-\"\r\n",
		"S:a007 OK\r\n",
		NULL,
	};
	struct imap_search_key	 k = { "BODY", "\xc3\xbc" };
	struct imap_conn	*c;
	struct imap_folder	*v;
	struct imap_seqset	 set = { 0 };
	struct imap_quota_usage	 q;
	struct buf		 b = BUF_INIT;
	struct fake		 f;
	struct err		 e;
	size_t			 n;
	char			*wire;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_int_equal(imap_list_folders(c, "*", IMAP_STATUS_MESSAGES |
	    IMAP_STATUS_UIDNEXT | IMAP_STATUS_HIGHESTMODSEQ, &v, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].role, IMAP_ROLE_INBOX);
	assert_int_equal(v[0].status.messages, 3);
	assert_int_equal(v[1].role, IMAP_ROLE_SENT);
	assert_int_equal(v[1].status.uidnext, 2);
	assert_string_equal(v[2].utf8, "Entw\xc3\xbcrfe");
	assert_int_equal(v[2].status.have, 0);
	imap_folders_free(&v, n);
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	assert_int_equal(imap_uid_search(c, &k, 1, &set, &e), 0);
	imap_seqset_format(&set, &b);
	assert_string_equal(buf_cstr(&b), "2,5,9");
	buf_free(&b);
	imap_seqset_clear(&set);
	assert_int_equal(imap_getquotaroot(c, "INBOX", &q, &e), 0);
	assert_true(q.has_storage && q.has_messages);
	assert_int_equal(q.storage_used, 10);
	assert_int_equal(q.storage_limit, 102400);
	assert_int_equal(q.messages_limit, 1000);
	wire = mutf7("Entw\xc3\xbcrfe.Caf\xc3\xa9");
	assert_int_equal(imap_create(c, wire, &e), 0);
	free(wire);
	finish(&f, &c);
}

static void
test_idle(void **state)
{
	static const char *const script[] = {
		PREAUTH "IDLE] hi\r\n",
		"C:a001 SELECT \"INBOX\"\r\n",
		"S:* 5 EXISTS\r\na001 OK [READ-WRITE] ok\r\n",
		"C:a002 IDLE\r\n",
		"S:* 1 FETCH (FLAGS (\\Seen))\r\n+ idling\r\n",
		"S:* 6 EXISTS\r\n* 7 EXISTS\r\n",
		"C:DONE\r\n",
		"S:* 2 EXPUNGE\r\na002 OK idle done\r\n",
		"C:a003 NOOP\r\n",
		"S:a003 OK\r\n",
		NULL,
	};
	struct imap_conn	*c;
	struct events		 ev = { 0 };
	struct fake		 f;
	struct err		 e;
	int			 rc;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_int_equal(imap_idle_wait(c, 10, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	imap_set_event_cb(c, on_event, &ev);
	assert_int_equal(imap_idle_start(c, &e), 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(imap_noop(c, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	while (imap_mailbox(c)->exists != 7) {
		rc = imap_idle_wait(c, 2000, &e);
		assert_int_equal(rc, 1);
	}
	assert_int_equal(ev.n, 3);
	assert_int_equal(imap_idle_wait(c, 50, &e), 0);
	assert_int_equal(imap_idle_done(c, &e), 0);
	assert_int_equal(imap_mailbox(c)->exists, 6);
	assert_int_equal(imap_noop(c, &e), 0);
	finish(&f, &c);
}

/* A literal far over the cap is refused unread: the stream is lost. */
static void
test_fetch_far_over_cap(void **state)
{
	static const char *const script[] = {
		PREAUTH "] hi\r\n",
		"C:a001 SELECT \"INBOX\"\r\n",
		"S:* 5 EXISTS\r\na001 OK [READ-WRITE] ok\r\n",
		"C:a002 UID FETCH 8 (UID BODY.PEEK[])\r\n",
		"S:* 4 FETCH (UID 8 BODY[] {50000}\r\n",
		NULL,
	};
	struct imap_conn	*c;
	struct buf		 b = BUF_INIT;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	assert_int_equal(imap_fetch_part(c, 8, "", 100, &b, &e), -1);
	assert_int_equal(e.code, ERR_TOOBIG);
	assert_int_equal(e.scope, ERR_SCOPE_MESSAGE);
	assert_int_equal(b.len, 0);
	assert_int_equal(imap_get_state(c), IMAP_STATE_LOGOUT);
	buf_free(&b);
	finish(&f, &c);
}

static void
test_wrong_tag(void **state)
{
	static const char *const script[] = {
		PREAUTH "] hi\r\n",
		"C:a001 NOOP\r\n",
		"S:a999 OK\r\n",
		NULL,
	};
	struct imap_conn	*c;
	struct fake		 f;
	struct err		 e;

	(void)state;
	c = start(&f, script, NET_SECURITY_PLAIN, false, &e);
	assert_int_equal(imap_noop(c, &e), -1);
	assert_int_equal(e.code, ERR_PROTO);
	assert_int_equal(imap_get_state(c), IMAP_STATE_LOGOUT);
	finish(&f, &c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sasl_ir),
		cmocka_unit_test(test_plain_without_ir),
		cmocka_unit_test(test_sasl_login),
		cmocka_unit_test(test_xoauth2_failure),
		cmocka_unit_test(test_login_quoting),
		cmocka_unit_test(test_no_password_in_clear),
		cmocka_unit_test(test_starttls_rules),
		cmocka_unit_test(test_select_state),
		cmocka_unit_test(test_qresync),
		cmocka_unit_test(test_fetch_changedsince),
		cmocka_unit_test(test_move_and_fallback),
		cmocka_unit_test(test_store_append),
		cmocka_unit_test(test_search_build),
		cmocka_unit_test(test_search_list_quota),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_fetch_far_over_cap),
		cmocka_unit_test(test_wrong_tag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
