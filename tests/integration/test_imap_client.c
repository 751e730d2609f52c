/*
 * The IMAP client against the harness's real Dovecot: STARTTLS and
 * implicit TLS with the run's CA, every login method, wrong passwords,
 * LIST with special-use roles, and a message's whole life in a folder:
 * APPEND, CONDSTORE SELECT, FETCH, STORE, COPY, MOVE, EXPUNGE, QRESYNC,
 * SEARCH, QUOTA; then IDLE woken by a second connection's APPEND.
 */
#include "config.h"

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

static struct {
	const char	*host, *ca, *other_ca;
	const char	*user, *pass, *user2, *pass2;
	uint16_t	 imap, imaps;
} it;

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "%s is not set: run under with-servers.sh\n",
		    name);
		exit(77);
	}
	return v;
}

static struct imap_params
params(uint16_t port, enum net_security sec)
{
	struct imap_params	p;

	memset(&p, 0, sizeof p);
	p.ep.host = it.host;
	p.ep.port = port;
	p.ep.timeout_ms = 15000;
	p.ep.ca_file = it.ca;
	p.ep.no_system_trust = true;
	p.security = sec;
	return p;
}

static struct imap_conn *
login_as(const char *user, const char *pass, enum imap_auth_method how)
{
	struct imap_params	 p = params(it.imaps, NET_SECURITY_TLS);
	struct imap_auth	 a = { user, pass, how };
	struct imap_conn	*c;
	struct err		 e;

	err_clear(&e);
	c = imap_connect(&p, &e);
	if (c == NULL)
		fail_msg("connect: %s", e.msg);
	if (imap_login(c, &a, &e) < 0)
		fail_msg("login: %s", e.msg);
	return c;
}

static void
logout(struct imap_conn **cp)
{
	struct err	e;

	assert_int_equal(imap_logout(*cp, &e), 0);
	assert_int_equal(imap_get_state(*cp), IMAP_STATE_LOGOUT);
	imap_close(cp);
	assert_null(*cp);
}

/* ------------------------------------------------------------------ */

static void
test_starttls(void **state)
{
	struct imap_params	 p = params(it.imap, NET_SECURITY_STARTTLS);
	struct imap_auth	 a = { NULL, NULL, IMAP_AUTH_AUTO };
	struct imap_conn	*c;
	struct err		 e;

	(void)state;
	a.user = it.user;
	a.secret = it.pass;
	c = imap_connect(&p, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	/* Capabilities were asked again over TLS: no STARTTLS now. */
	assert_false(imap_has_cap(c, "STARTTLS"));
	assert_true(imap_has_cap(c, "IMAP4rev1"));
	assert_true(imap_has_cap(c, "AUTH=PLAIN"));
	assert_int_equal(imap_get_state(c), IMAP_STATE_NOT_AUTH);
	assert_int_equal(imap_login(c, &a, &e), 0);
	assert_int_equal(imap_get_state(c), IMAP_STATE_AUTH);
	/* After login the capabilities grow (Dovecot: MOVE, QUOTA, ...). */
	assert_true(imap_has_cap(c, "MOVE"));
	assert_int_equal(imap_id(c, "surat", PACKAGE_VERSION, &e), 0);
	assert_int_equal(imap_noop(c, &e), 0);
	logout(&c);
}

static void
test_plain_connection(void **state)
{
	struct imap_params	 p = params(it.imap, NET_SECURITY_PLAIN);
	struct imap_auth	 a = { NULL, NULL, IMAP_AUTH_LOGIN };
	struct imap_conn	*c;
	struct err		 e;

	(void)state;
	a.user = it.user;
	a.secret = it.pass;
	c = imap_connect(&p, &e);
	assert_non_null(c);
	assert_true(imap_has_cap(c, "STARTTLS"));
	/* No password in the clear unless allowed (the server would take
	 * it: Dovecot trusts 127.0.0.1). */
	assert_int_equal(imap_login(c, &a, &e), -1);
	assert_int_equal(e.code, ERR_CONFIG);
	assert_int_equal(imap_get_state(c), IMAP_STATE_NOT_AUTH);
	imap_close(&c);
	p.allow_plaintext = true;
	c = imap_connect(&p, &e);
	assert_non_null(c);
	assert_int_equal(imap_login(c, &a, &e), 0);
	logout(&c);
}

static void
test_implicit_tls_methods(void **state)
{
	enum imap_auth_method	 how[] = { IMAP_AUTH_LOGIN, IMAP_AUTH_PLAIN,
				    IMAP_AUTH_SASL_LOGIN };
	struct imap_conn	*c;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof how / sizeof how[0]; i++) {
		c = login_as(it.user2, it.pass2, how[i]);
		assert_int_equal(imap_get_state(c), IMAP_STATE_AUTH);
		logout(&c);
	}
}

static void
test_certificates(void **state)
{
	struct imap_params	 p = params(it.imaps, NET_SECURITY_TLS);
	struct imap_conn	*c;
	struct err		 e;

	(void)state;
	p.ep.ca_file = it.other_ca;
	c = imap_connect(&p, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
	/* The certificate names localhost only. */
	p = params(it.imaps, NET_SECURITY_TLS);
	p.ep.host = "127.0.0.1";
	c = imap_connect(&p, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
	/* STARTTLS verifies the same way. */
	p = params(it.imap, NET_SECURITY_STARTTLS);
	p.ep.ca_file = it.other_ca;
	c = imap_connect(&p, &e);
	assert_null(c);
	assert_int_equal(e.code, ERR_CERT);
}

static void
test_wrong_password(void **state)
{
	/* Dovecot delays each failure more (2 s, 4 s, ...): two will do. */
	enum imap_auth_method	 how[] = { IMAP_AUTH_LOGIN, IMAP_AUTH_PLAIN };
	struct imap_params	 p = params(it.imaps, NET_SECURITY_TLS);
	struct imap_auth	 a = { NULL, "wrong-secret", IMAP_AUTH_AUTO };
	struct imap_conn	*c;
	struct err		 e;
	size_t			 i;

	(void)state;
	a.user = it.user;
	for (i = 0; i < sizeof how / sizeof how[0]; i++) {
		a.method = how[i];
		c = imap_connect(&p, &e);
		assert_non_null(c);
		assert_int_equal(imap_login(c, &a, &e), -1);
		assert_int_equal(e.code, ERR_AUTH);
		assert_non_null(strstr(e.msg, it.host));
		assert_null(strstr(e.msg, "wrong-secret"));
		assert_int_equal(imap_get_state(c), IMAP_STATE_NOT_AUTH);
		imap_close(&c);
	}
	/* XOAUTH2 is not offered by this Dovecot: refused before sending. */
	a.method = IMAP_AUTH_XOAUTH2;
	c = imap_connect(&p, &e);
	assert_non_null(c);
	assert_int_equal(imap_login(c, &a, &e), -1);
	assert_int_equal(e.code, ERR_AUTH);
	imap_close(&c);
}

static const struct imap_folder *
find(const struct imap_folder *v, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	}
	return NULL;
}

static void
test_list(void **state)
{
	static const struct {
		const char	*name;
		enum imap_role	 role;
	} want[] = {
		{ "INBOX", IMAP_ROLE_INBOX }, { "Sent", IMAP_ROLE_SENT },
		{ "Drafts", IMAP_ROLE_DRAFTS }, { "Trash", IMAP_ROLE_TRASH },
		{ "Junk", IMAP_ROLE_JUNK }, { "Archive", IMAP_ROLE_ARCHIVE },
	};
	struct imap_conn		*c;
	struct imap_folder		*v;
	const struct imap_folder	*f;
	struct imap_status		 st;
	struct buf			 b = BUF_INIT;
	struct err			 e;
	size_t				 n, i;

	(void)state;
	c = login_as(it.user, it.pass, IMAP_AUTH_AUTO);
	assert_int_equal(imap_mutf7_encode("Caf\xc3\xa9 \xe6\x97\xa5", &b,
	    &e), 0);
	assert_string_equal(buf_cstr(&b), "Caf&AOk- &ZeU-");
	assert_int_equal(imap_create(c, buf_cstr(&b), &e), 0);
	buf_free(&b);
	assert_int_equal(imap_list_folders(c, "*", IMAP_STATUS_MESSAGES |
	    IMAP_STATUS_UIDVALIDITY | IMAP_STATUS_HIGHESTMODSEQ, &v, &n,
	    &e), 0);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		f = find(v, n, want[i].name);
		assert_non_null(f);
		assert_int_equal(f->role, want[i].role);
		/* LIST-STATUS filled the counters. */
		assert_true(f->status.have & IMAP_STATUS_UIDVALIDITY);
		assert_true(f->status.uidvalidity != 0);
		assert_true(f->status.have & IMAP_STATUS_HIGHESTMODSEQ);
		assert_int_equal(f->delim, '.');
	}
	f = find(v, n, "Caf&AOk- &ZeU-");
	assert_non_null(f);
	assert_string_equal(f->utf8, "Caf\xc3\xa9 \xe6\x97\xa5");
	assert_int_equal(f->role, IMAP_ROLE_NONE);
	assert_int_equal(imap_get_status(c, "Caf&AOk- &ZeU-",
	    IMAP_STATUS_MESSAGES | IMAP_STATUS_UIDNEXT, &st, &e), 0);
	assert_int_equal(st.messages, 0);
	assert_int_equal(st.uidnext, 1);
	assert_int_equal(imap_delete(c, f->name, &e), 0);
	imap_folders_free(&v, n);
	assert_null(v);
	/* A folder that is not there: the server's NO, connection fine. */
	assert_int_equal(imap_get_status(c, "No-Such-Folder",
	    IMAP_STATUS_MESSAGES, &st, &e), -1);
	assert_int_equal(e.code, ERR_REFUSED);
	assert_int_equal(imap_noop(c, &e), 0);
	logout(&c);
}

/* ------------------------------------------------------------------ */
/* One folder's messages                                               */

static const char msg1[] =
    "From: Budi <budi@example.test>\r\n"
    "To: Alice <alice@example.test>\r\n"
    "Subject: first\r\n"
    "Message-ID: <one@example.test>\r\n"
    "Date: Mon, 2 Nov 2026 10:00:00 +0700\r\n"
    "\r\n"
    "one\r\n";
static const char msg2[] =
    "From: Budi <budi@example.test>\r\n"
    "Subject: second\r\n"
    "Message-ID: <two@example.test>\r\n"
    "\r\n"
    "two\r\n";
static const char msg3[] =
    "From: Alice <alice@example.test>\r\n"
    "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_Jakarta?=\r\n"
    "Message-ID: <three@example.test>\r\n"
    "References: <one@example.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Gr\xc3\xbc\xc3\x9f" "e dari surat\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; name=note.txt\r\n"
    "Content-Disposition: attachment; filename=note.txt\r\n"
    "\r\n"
    "the attachment\r\n"
    "--b1--\r\n";

#define MAXEV	32

struct events {
	size_t		 n;
	char		 name[MAXEV][16];
	uint32_t	 number[MAXEV];
	bool		 earlier[MAXEV];
	struct imap_seqset vanished;	/* union of VANISHED (EARLIER) */
	uint32_t	 fetch_uid[MAXEV];
	bool		 fetch_answered[MAXEV];
};

static void
on_event(void *arg, const struct imap_response *r)
{
	struct events		*ev = arg;
	struct imap_fetch	 f;
	struct err		 e;
	size_t			 i;

	if (ev->n == MAXEV)
		return;
	snprintf(ev->name[ev->n], sizeof ev->name[0], "%s", r->name);
	ev->number[ev->n] = r->number;
	if (strcmp(r->name, "VANISHED") == 0) {
		assert_int_equal(imap_vanished_parse(r, &ev->vanished,
		    &ev->earlier[ev->n], &e), 0);
	} else if (strcmp(r->name, "FETCH") == 0) {
		assert_int_equal(imap_fetch_parse(r, &f, &e), 0);
		ev->fetch_uid[ev->n] = f.uid;
		for (i = 0; i < f.nflags; i++) {
			if (strcmp(f.flags[i], "\\Answered") == 0)
				ev->fetch_answered[ev->n] = true;
		}
		imap_fetch_clear(&f);
	}
	ev->n++;
}

static size_t
event_index(const struct events *ev, const char *name)
{
	size_t	i;

	for (i = 0; i < ev->n; i++) {
		if (strcmp(ev->name[i], name) == 0)
			return i;
	}
	return SIZE_MAX;
}

struct fetched {
	size_t		 n;
	uint32_t	 uid[8];
	char		 subject[8][64];
	uint64_t	 size[8], modseq[8];
	size_t		 nparts[8];
	char		 refs[8][128];
	bool		 flagged[8];
	struct imap_seqset vanished;
};

static int
on_fetch(void *arg, const struct imap_fetch *f, struct err *e)
{
	struct fetched	*x = arg;
	size_t		 i, k = x->n;

	(void)e;
	assert_true(k < 8);
	x->n++;
	x->uid[k] = f->uid;
	x->size[k] = f->size;
	x->modseq[k] = f->modseq;
	if (f->envelope != NULL && f->envelope->subject != NULL)
		snprintf(x->subject[k], sizeof x->subject[0], "%s",
		    f->envelope->subject);
	if (f->body != NULL)
		x->nparts[k] = f->body->nparts;
	for (i = 0; i < f->nsections; i++)
		snprintf(x->refs[k], sizeof x->refs[0], "%.*s",
		    (int)f->sections[i].len, f->sections[i].data);
	for (i = 0; i < f->nflags; i++) {
		if (strcmp(f->flags[i], "\\Flagged") == 0)
			x->flagged[k] = true;
	}
	return 0;
}

static int
on_vanished(void *arg, const struct imap_seqset *s, struct err *e)
{
	struct fetched	*x = arg;
	size_t		 i;

	(void)e;
	for (i = 0; i < s->n; i++)
		imap_seqset_add(&x->vanished, s->r[i].lo, s->r[i].hi);
	return 0;
}

static void
fetch(struct imap_conn *c, const char *uids, const char *items,
    uint64_t changedsince, struct fetched *x)
{
	struct imap_fetch_req	req;
	struct err		e;

	memset(x, 0, sizeof *x);
	memset(&req, 0, sizeof req);
	req.uids = uids;
	req.items = items;
	req.changedsince = changedsince;
	req.vanished = changedsince != 0;
	req.on_fetch = on_fetch;
	req.on_vanished = on_vanished;
	req.arg = x;
	if (imap_uid_fetch(c, &req, &e) < 0)
		fail_msg("fetch: %s", e.msg);
}

static void
search(struct imap_conn *c, const char *key, const char *value,
    const char *expect)
{
	struct imap_search_key	k = { key, value };
	struct imap_seqset	set = { 0 };
	struct buf		b = BUF_INIT;
	struct err		e;

	if (imap_uid_search(c, &k, 1, &set, &e) < 0)
		fail_msg("search: %s", e.msg);
	imap_seqset_normalize(&set);
	imap_seqset_format(&set, &b);
	assert_string_equal(buf_cstr(&b), expect);
	buf_free(&b);
	imap_seqset_clear(&set);
}

#define FOLDER	"Lab"

static void
test_messages(void **state)
{
	struct imap_conn		*c, *c2;
	const struct imap_mailbox	*m;
	struct imap_copyuid		 cu;
	struct imap_quota_usage		 q;
	struct imap_qresync		 qr;
	struct imap_seqset		 mod = { 0 };
	struct imap_status		 st;
	struct events			 ev;
	struct fetched			 x;
	struct buf			 b = BUF_INIT;
	struct err			 e;
	uint32_t			 uv, uid[3], uv2, u;
	uint64_t			 hms, ms1;
	const char			*msgs[] = { msg1, msg2, msg3 };
	size_t				 i, k;

	(void)state;
	memset(&ev, 0, sizeof ev);
	c = login_as(it.user, it.pass, IMAP_AUTH_AUTO);
	imap_set_event_cb(c, on_event, &ev);
	assert_int_equal(imap_enable(c, "QRESYNC", &e), 0);
	assert_true(imap_is_enabled(c, "QRESYNC"));
	assert_int_equal(imap_create(c, FOLDER, &e), 0);

	/* APPEND (LITERAL+ here) gives APPENDUID. */
	for (i = 0; i < 3; i++) {
		assert_int_equal(imap_append(c, FOLDER, i == 1 ? "\\Seen" :
		    NULL, i == 0 ? 1793000000 : 0, msgs[i], strlen(msgs[i]),
		    &uv, &uid[i], &e), 0);
		assert_int_equal(uid[i], i + 1);
		assert_true(uv != 0);
	}

	/* SELECT: counters and a HIGHESTMODSEQ (CONDSTORE via QRESYNC). */
	assert_int_equal(imap_select(c, FOLDER, false, NULL, &e), 0);
	assert_int_equal(imap_get_state(c), IMAP_STATE_SELECTED);
	m = imap_mailbox(c);
	assert_non_null(m);
	assert_string_equal(m->name, FOLDER);
	assert_int_equal(m->exists, 3);
	assert_int_equal(m->uidvalidity, uv);
	assert_int_equal(m->uidnext, 4);
	assert_false(m->readonly);
	assert_true(m->highestmodseq > 0);
	assert_false(m->nomodseq);
	hms = m->highestmodseq;

	/* The header batch. */
	fetch(c, "1:*", IMAP_HEADER_ITEMS " MODSEQ", 0, &x);
	assert_int_equal(x.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(x.uid[i], i + 1);
		assert_int_equal(x.size[i], strlen(msgs[i]));
		assert_true(x.modseq[i] > 0);
	}
	assert_string_equal(x.subject[0], "first");
	assert_string_equal(x.subject[2],
	    "=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_Jakarta?=");
	assert_int_equal(x.nparts[2], 2);
	assert_int_equal(x.nparts[0], 0);
	assert_non_null(strstr(x.refs[2], "References: <one@example.test>"));
	ms1 = x.modseq[0];

	/* One part, and the whole message byte for byte. */
	assert_int_equal(imap_fetch_part(c, 3, "2", 1024, &b, &e), 0);
	assert_string_equal(buf_cstr(&b), "the attachment");
	buf_reset(&b);
	assert_int_equal(imap_fetch_part(c, 3, "", 65536, &b, &e), 0);
	assert_int_equal(b.len, strlen(msg3));
	assert_memory_equal(b.data, msg3, b.len);
	buf_reset(&b);
	assert_int_equal(imap_fetch_part(c, 99, "", 65536, &b, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	/* Over the cap: refused, nothing kept, the connection fine. */
	assert_int_equal(imap_fetch_part(c, 3, "", 100, &b, &e), -1);
	assert_int_equal(e.code, ERR_TOOBIG);
	assert_int_equal(e.scope, ERR_SCOPE_MESSAGE);
	assert_int_equal(b.len, 0);
	assert_int_equal(imap_noop(c, &e), 0);
	/* EXAMINE is read-only. */
	c2 = login_as(it.user, it.pass, IMAP_AUTH_AUTO);
	assert_int_equal(imap_select(c2, FOLDER, true, NULL, &e), 0);
	assert_true(imap_mailbox(c2)->readonly);
	logout(&c2);
	buf_free(&b);

	/* STORE with UNCHANGEDSINCE, then CHANGEDSINCE sees only it. */
	assert_int_equal(imap_uid_store(c, "1", "+FLAGS.SILENT", "\\Flagged",
	    ms1, &mod, &e), 0);
	assert_int_equal(mod.n, 0);
	fetch(c, "1:*", "UID FLAGS", hms, &x);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.uid[0], 1);
	assert_true(x.flagged[0]);
	/* A stale UNCHANGEDSINCE: the server refuses for that UID. */
	assert_int_equal(imap_uid_store(c, "1", "-FLAGS.SILENT", "\\Flagged",
	    ms1, &mod, &e), 0);
	assert_true(imap_seqset_contains(&mod, 1));
	imap_seqset_clear(&mod);
	fetch(c, "1", "UID FLAGS", 0, &x);
	assert_true(x.flagged[0]);

	/* What a sync remembers before the next changes. */
	m = imap_mailbox(c);
	qr.uidvalidity = m->uidvalidity;
	qr.modseq = hms;
	qr.known_uids = "1:3";
	fetch(c, "1:*", "UID MODSEQ", hms, &x);
	for (i = 0; i < x.n; i++)
		qr.modseq = x.modseq[i] > qr.modseq ? x.modseq[i] : qr.modseq;
	assert_true(qr.modseq > hms);

	/* COPY keeps the message; COPYUID tells where it went. */
	assert_int_equal(imap_uid_copy(c, "2", "Archive", &cu, &e), 0);
	assert_true(cu.uidvalidity != 0);
	assert_true(imap_seqset_contains(&cu.src, 2));
	assert_int_equal(cu.dst.n, 1);
	imap_copyuid_clear(&cu);
	assert_int_equal(imap_get_status(c, "Archive", IMAP_STATUS_MESSAGES,
	    &st, &e), 0);
	assert_int_equal(st.messages, 1);

	/* MOVE: gone here (VANISHED under QRESYNC), there in Trash. */
	ev.n = 0;
	assert_int_equal(imap_uid_move(c, "2", "Trash", &cu, &e), 0);
	assert_true(imap_seqset_contains(&cu.src, 2));
	assert_int_equal(cu.dst.n, 1);
	imap_copyuid_clear(&cu);
	assert_int_equal(imap_mailbox(c)->exists, 2);
	k = event_index(&ev, "VANISHED");
	assert_true(k != SIZE_MAX);
	assert_false(ev.earlier[k]);
	assert_true(imap_seqset_contains(&ev.vanished, 2));
	imap_seqset_clear(&ev.vanished);
	assert_int_equal(imap_get_status(c, "Trash", IMAP_STATUS_MESSAGES,
	    &st, &e), 0);
	assert_int_equal(st.messages, 1);

	/* UID EXPUNGE removes only the given \Deleted message. */
	assert_int_equal(imap_uid_store(c, "1,3", "+FLAGS.SILENT",
	    "\\Deleted", 0, NULL, &e), 0);
	assert_int_equal(imap_uid_expunge(c, "1", &e), 0);
	assert_int_equal(imap_mailbox(c)->exists, 1);
	assert_int_equal(imap_uid_store(c, "3", "-FLAGS.SILENT",
	    "\\Deleted", 0, NULL, &e), 0);

	/* SEARCH, with UTF-8 text in the body and the decoded subject. */
	search(c, "BODY", "Gr\xc3\xbc\xc3\x9f" "e", "3");
	search(c, "SUBJECT", "Gr\xc3\xbc\xc3\x9f" "e aus", "3");
	search(c, "SUBJECT", "first", "");
	search(c, "UID", "1:*", "3");
	search(c, "UNSEEN", NULL, "3");

	/* GETQUOTAROOT: the harness sets 100 MiB. */
	assert_int_equal(imap_getquotaroot(c, "INBOX", &q, &e), 0);
	assert_true(q.has_storage);
	assert_int_equal(q.storage_limit, 100 * 1024);

	/* Another client answers message 3 while we are away. */
	assert_int_equal(imap_unselect(c, &e), 0);
	assert_int_equal(imap_get_state(c), IMAP_STATE_AUTH);
	assert_null(imap_mailbox(c));
	c2 = login_as(it.user, it.pass, IMAP_AUTH_AUTO);
	assert_int_equal(imap_select(c2, FOLDER, false, NULL, &e), 0);
	assert_int_equal(imap_uid_store(c2, "3", "+FLAGS", "\\Answered", 0,
	    NULL, &e), 0);
	logout(&c2);

	/* QRESYNC reselect: what vanished since, and what changed. */
	ev.n = 0;
	assert_int_equal(imap_select(c, FOLDER, false, &qr, &e), 0);
	k = event_index(&ev, "VANISHED");
	assert_true(k != SIZE_MAX);
	assert_true(ev.earlier[k]);
	assert_true(imap_seqset_contains(&ev.vanished, 1));
	assert_true(imap_seqset_contains(&ev.vanished, 2));
	assert_false(imap_seqset_contains(&ev.vanished, 3));
	imap_seqset_clear(&ev.vanished);
	k = event_index(&ev, "FETCH");
	assert_true(k != SIZE_MAX);
	assert_int_equal(ev.fetch_uid[k], 3);
	assert_true(ev.fetch_answered[k]);
	assert_int_equal(imap_mailbox(c)->exists, 1);

	/* A plain SELECT of another folder after that one. */
	assert_int_equal(imap_select(c, "Trash", true, NULL, &e), 0);
	assert_string_equal(imap_mailbox(c)->name, "Trash");
	assert_int_equal(imap_mailbox(c)->exists, 1);
	/* A SELECT that fails leaves no mailbox selected (RFC 3501). */
	assert_int_equal(imap_select(c, "No-Such", false, NULL, &e), -1);
	assert_int_equal(e.code, ERR_REFUSED);
	assert_int_equal(imap_get_state(c), IMAP_STATE_AUTH);

	/* APPEND without UIDPLUS' answer still works; here it has one. */
	assert_int_equal(imap_append(c, "Trash", "\\Seen \\Draft", 0, msg1,
	    strlen(msg1), &uv2, &u, &e), 0);
	assert_int_equal(u, 2);
	logout(&c);
}

/* ------------------------------------------------------------------ */

static void
test_idle(void **state)
{
	struct imap_conn	*c, *c2;
	struct events		 ev;
	struct err		 e;
	uint32_t		 before;
	int			 rc, tries;

	(void)state;
	memset(&ev, 0, sizeof ev);
	c = login_as(it.user2, it.pass2, IMAP_AUTH_AUTO);
	imap_set_event_cb(c, on_event, &ev);
	assert_int_equal(imap_select(c, "INBOX", false, NULL, &e), 0);
	before = imap_mailbox(c)->exists;
	ev.n = 0;	/* SELECT's own EXISTS went there too */
	assert_int_equal(imap_idle_start(c, &e), 0);
	/* Commands wait until DONE. */
	assert_int_equal(imap_noop(c, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(imap_idle_wait(c, 200, &e), 0);

	c2 = login_as(it.user2, it.pass2, IMAP_AUTH_AUTO);
	assert_int_equal(imap_append(c2, "INBOX", NULL, 0, msg2, strlen(msg2),
	    NULL, NULL, &e), 0);
	logout(&c2);

	/* Dovecot notices within a second or two. */
	for (tries = 0; tries < 10 && event_index(&ev, "EXISTS") == SIZE_MAX;
	    tries++) {
		rc = imap_idle_wait(c, 1000, &e);
		if (rc < 0)
			fail_msg("idle: %s", e.msg);

	}
	assert_true(event_index(&ev, "EXISTS") != SIZE_MAX);
	assert_int_equal(ev.number[event_index(&ev, "EXISTS")], before + 1);
	assert_int_equal(imap_mailbox(c)->exists, before + 1);
	assert_int_equal(imap_idle_done(c, &e), 0);
	assert_int_equal(imap_noop(c, &e), 0);
	logout(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starttls),
		cmocka_unit_test(test_plain_connection),
		cmocka_unit_test(test_implicit_tls_methods),
		cmocka_unit_test(test_certificates),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_idle),
		/* Last: failures slow down later logins from this address. */
		cmocka_unit_test(test_wrong_password),
	};

	it.host = env("SURAT_TEST_HOST");
	it.ca = env("SURAT_TEST_CA");
	it.other_ca = env("SURAT_TEST_OTHER_CA");
	it.user = env("SURAT_TEST_USER");
	it.pass = env("SURAT_TEST_PASS");
	it.user2 = env("SURAT_TEST_USER2");
	it.pass2 = env("SURAT_TEST_PASS2");
	it.imap = (uint16_t)atoi(env("SURAT_TEST_IMAP_PORT"));
	it.imaps = (uint16_t)atoi(env("SURAT_TEST_IMAPS_PORT"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
