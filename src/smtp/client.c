/*
 * The SMTP submission client: greeting, EHLO, STARTTLS, AUTH, and one
 * transaction per message with pipelined envelope and streamed DATA.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/net.h"
#include "net/sasl.h"
#include "smtp/smtp.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define SMTP_READ_CHUNK		16384
#define SMTP_DATA_CHUNK		65536
#define SMTP_PIPE_GROUP		100	/* RCPTs sent before reading replies */
#define SMTP_ADDR_MAX		512

struct smtp_conn {
	struct net_conn		*net;
	enum net_security	 security;
	struct buf		 rbuf;		/* read, not yet parsed */
	struct smtp_reply	 reply;		/* the last reply */
	char			*helo;
	char			**ext;		/* EHLO keywords and params */
	size_t			 next;
	bool			 broken;	/* out of step: only close */
};

static void
forget_ext(struct smtp_conn *c)
{
	size_t	i;

	for (i = 0; i < c->next; i++)
		free(c->ext[i]);
	xfree(&c->ext);
	c->next = 0;
}

const char *
smtp_ext_params(const struct smtp_conn *c, const char *name)
{
	size_t	i, n = strlen(name);

	for (i = 0; i < c->next; i++) {
		if (strncasecmp(c->ext[i], name, n) != 0)
			continue;
		if (c->ext[i][n] == '\0')
			return "";
		if (c->ext[i][n] == ' ' || c->ext[i][n] == '=')
			return c->ext[i] + n + 1;
	}
	return NULL;
}

bool
smtp_has_ext(const struct smtp_conn *c, const char *name)
{
	return smtp_ext_params(c, name) != NULL;
}

uint64_t
smtp_max_size(const struct smtp_conn *c)
{
	const char	*p = smtp_ext_params(c, "SIZE");
	uint64_t	 n;

	if (p == NULL || str_to_u64(p, &n) == -1)
		return 0;
	return n;
}

bool
smtp_is_tls(const struct smtp_conn *c)
{
	return net_is_tls(c->net);
}

const char *
smtp_peer(const struct smtp_conn *c)
{
	return net_peer(c->net);
}

static int
out_of_step(struct smtp_conn *c, struct err *e)
{
	err_set(e, ERR_PROTO, _("%s: connection is out of step after an "
	    "earlier error"), net_peer(c->net));
	return -1;
}

/* Read one reply into c->reply; -1 leaves the connection unusable. */
static int
read_reply(struct smtp_conn *c, struct err *e)
{
	struct smtp_parser	 p;
	enum smtp_parse_result	 r = SMTP_PARSE_MORE;
	char			 chunk[SMTP_READ_CHUNK];
	size_t			 used;
	ssize_t			 n;

	if (c->broken)
		return out_of_step(c, e);
	smtp_reply_free(&c->reply);
	smtp_parser_init(&p);
	while (r == SMTP_PARSE_MORE) {
		if (c->rbuf.len > 0) {
			r = smtp_parser_feed(&p, c->rbuf.data, c->rbuf.len,
			    &used, e);
			buf_consume(&c->rbuf, used);
			continue;
		}
		n = net_read_some(c->net, chunk, sizeof chunk, e);
		if (n < 0) {
			r = SMTP_PARSE_ERROR;
			break;
		}
		r = smtp_parser_feed(&p, chunk, (size_t)n, &used, e);
		if (used < (size_t)n)
			buf_add(&c->rbuf, chunk + used, (size_t)n - used);
	}
	if (r == SMTP_PARSE_ERROR) {
		c->broken = true;
		smtp_parser_free(&p);
		if (e != NULL && !str_starts_with(e->msg, net_peer(c->net)))
			err_prefix(e, "%s: ", net_peer(c->net));
		return -1;
	}
	smtp_parser_take(&p, &c->reply);
	smtp_parser_free(&p);
	return 0;
}

/* "250 2.0.0 text" from the last reply, sanitized, into out. */
static void
reply_summary(const struct smtp_reply *r, char *out, size_t size)
{
	char	*text = smtp_reply_text(r);

	snprintf(out, size, "%d%s%s%s%s", r->code, *r->enhanced ? " " : "",
	    r->enhanced, *text ? " " : "", text);
	free(text);
}

/* The last reply as an error: 4xx later, 5xx never. */
static void
reply_error(struct smtp_conn *c, const char *what, enum err_code perm,
    struct err *e)
{
	char	summary[600];

	reply_summary(&c->reply, summary, sizeof summary);
	err_set(e, c->reply.code / 100 == 4 ? ERR_TEMPFAIL : perm,
	    _("%s: %s: the server said: %s"), net_peer(c->net), what,
	    summary);
}

static int
send_line(struct smtp_conn *c, const char *line, bool secret, struct err *e)
{
	if (c->broken)
		return out_of_step(c, e);
	if (net_send_line(c->net, line, secret, e) == -1) {
		c->broken = true;
		return -1;
	}
	return 0;
}

/* A command and its reply, which must have code want (0: any 2xx). */
static int
command(struct smtp_conn *c, const char *line, bool secret, int want,
    const char *what, enum err_code perm, struct err *e)
{
	if (send_line(c, line, secret, e) == -1 || read_reply(c, e) == -1)
		return -1;
	if (want == 0 ? c->reply.code / 100 == 2 : c->reply.code == want)
		return 0;
	reply_error(c, what, perm, e);
	return -1;
}

static int
ehlo(struct smtp_conn *c, struct err *e)
{
	char	*line;
	size_t	 i;
	int	 rv;

	forget_ext(c);
	line = xasprintf("EHLO %s", c->helo);
	rv = send_line(c, line, false, e) == -1 ? -1 : read_reply(c, e);
	free(line);
	if (rv == -1)
		return -1;
	if (c->reply.code == 250) {
		/* The first line is the server's name, then the keywords. */
		c->next = c->reply.nlines > 0 ? c->reply.nlines - 1 : 0;
		c->ext = xcalloc(c->next + 1, sizeof *c->ext);
		for (i = 0; i < c->next; i++)
			c->ext[i] = xstrdup(c->reply.lines[i + 1]);
		return 0;
	}
	if (c->reply.code / 100 != 5) {
		reply_error(c, "EHLO", ERR_REFUSED, e);
		return -1;
	}
	/* An old server: plain SMTP, no extensions. */
	line = xasprintf("HELO %s", c->helo);
	rv = command(c, line, false, 250, "HELO", ERR_REFUSED, e);
	free(line);
	return rv;
}

static int
starttls(struct smtp_conn *c, struct err *e)
{
	if (!smtp_has_ext(c, "STARTTLS")) {
		err_set(e, ERR_STARTTLS, _("%s: the server does not offer "
		    "STARTTLS; refusing to continue without TLS"),
		    net_peer(c->net));
		return -1;
	}
	if (command(c, "STARTTLS", false, 220, "STARTTLS", ERR_STARTTLS,
	    e) == -1) {
		if (e != NULL && !c->broken)
			e->code = ERR_STARTTLS;
		return -1;
	}
	if (c->rbuf.len > 0) {
		err_set(e, ERR_STARTTLS, _("%s: data injected before the TLS "
		    "handshake; refusing to continue"), net_peer(c->net));
		return -1;
	}
	if (net_starttls(c->net, e) == -1)
		return -1;
	/* RFC 3207: forget what was learnt in the clear and ask again. */
	return ehlo(c, e);
}

static bool
valid_helo(const char *s)
{
	if (*s == '\0' || strlen(s) > 255)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

struct smtp_conn *
smtp_connect(const struct net_endpoint *ep, enum net_security sec,
    const char *helo, struct err *e)
{
	struct smtp_conn	*c;

	if (helo == NULL)
		helo = "localhost";
	if (!valid_helo(helo)) {
		err_set(e, ERR_USAGE, _("invalid EHLO name"));
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->security = sec;
	c->helo = xstrdup(helo);
	c->net = net_connect(ep, sec == NET_SECURITY_TLS, e);
	if (c->net == NULL)
		goto fail;
	if (read_reply(c, e) == -1)
		goto fail;
	if (c->reply.code != 220) {
		reply_error(c, _("connection"), ERR_REFUSED, e);
		goto fail;
	}
	if (ehlo(c, e) == -1)
		goto fail;
	if (sec == NET_SECURITY_STARTTLS && starttls(c, e) == -1)
		goto fail;
	return c;
fail:
	smtp_close(&c);
	return NULL;
}

/* Is mech among the AUTH parameters? */
static bool
offers(const char *params, const char *mech)
{
	size_t		 n = strlen(mech);
	const char	*s;

	for (s = params; *s != '\0'; s += strcspn(s, " ")) {
		s += strspn(s, " ");
		if (strncasecmp(s, mech, n) == 0 && (s[n] == ' ' ||
		    s[n] == '\0'))
			return true;
	}
	return false;
}

/* The end of an AUTH exchange: 235, or why not. */
static int
auth_result(struct smtp_conn *c, struct err *e)
{
	if (c->reply.code == 235)
		return 0;
	if (c->reply.code == 334) {
		/* A challenge we have no answer to: cancel (RFC 4954). */
		if (send_line(c, "*", false, e) == -1 ||
		    read_reply(c, e) == -1)
			return -1;
	}
	reply_error(c, _("login"), ERR_AUTH, e);
	if (e != NULL && c->reply.code / 100 == 5)
		e->code = ERR_AUTH, e->scope = ERR_SCOPE_ACCOUNT;
	return -1;
}

/* Send an answer that holds a secret, wipe it, read the reply. */
static int
secret_step(struct smtp_conn *c, struct buf *b, struct err *e)
{
	int	rv;

	rv = send_line(c, buf_cstr(b), true, e);
	sasl_wipe(b);
	if (rv == -1)
		return -1;
	return read_reply(c, e);
}

static int
auth_login(struct smtp_conn *c, const char *user, const char *secret,
    struct err *e)
{
	struct buf	b = BUF_INIT;
	unsigned int	step;

	if (send_line(c, "AUTH LOGIN", false, e) == -1 ||
	    read_reply(c, e) == -1)
		return -1;
	for (step = 0; step < 2 && c->reply.code == 334; step++) {
		if (sasl_login_step(&b, step, user, secret, e) == -1) {
			sasl_wipe(&b);
			c->broken = true;
			return -1;
		}
		if (secret_step(c, &b, e) == -1)
			return -1;
	}
	return auth_result(c, e);
}

int
smtp_auth(struct smtp_conn *c, enum smtp_auth mech, const char *user,
    const char *secret, struct err *e)
{
	const char	*params = smtp_ext_params(c, "AUTH");
	struct buf	 b = BUF_INIT;
	int		 rv;

	if (!net_is_tls(c->net)) {
		err_set(e, ERR_STARTTLS, _("%s: refusing to send credentials "
		    "without TLS"), net_peer(c->net));
		return -1;
	}
	if (params == NULL) {
		err_set(e, ERR_AUTH, _("%s: the server does not offer "
		    "authentication"), net_peer(c->net));
		return -1;
	}
	if (mech == SMTP_AUTH_AUTO)
		mech = offers(params, "PLAIN") || !offers(params, "LOGIN") ?
		    SMTP_AUTH_PLAIN : SMTP_AUTH_LOGIN;
	if (mech == SMTP_AUTH_LOGIN)
		return auth_login(c, user, secret, e);
	buf_adds(&b, mech == SMTP_AUTH_PLAIN ? "AUTH PLAIN " :
	    "AUTH XOAUTH2 ");
	if (mech == SMTP_AUTH_PLAIN)
		rv = sasl_plain(&b, NULL, user, secret, e);
	else
		rv = sasl_xoauth2(&b, user, secret, e);
	if (rv == -1) {
		sasl_wipe(&b);
		return -1;
	}
	if (secret_step(c, &b, e) == -1)
		return -1;
	if (mech == SMTP_AUTH_XOAUTH2 && c->reply.code == 334) {
		/* The error details come as a challenge; an empty line
		 * gets the final reply. */
		if (send_line(c, "", false, e) == -1 ||
		    read_reply(c, e) == -1)
			return -1;
	}
	return auth_result(c, e);
}

/* Refuse addresses that could smuggle commands or break the syntax. */
static int
check_address(const char *a, bool allow_empty, bool *utf8, struct err *e)
{
	const unsigned char	*s;

	if (*a == '\0' && !allow_empty)
		goto bad;
	if (strlen(a) > SMTP_ADDR_MAX)
		goto bad;
	for (s = (const unsigned char *)a; *s != '\0'; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '<' || *s == '>')
			goto bad;
		if (*s >= 0x80)
			*utf8 = true;
	}
	return 0;
bad:
	err_set(e, ERR_USAGE, _("invalid address for SMTP: \"%.80s\""), a);
	e != NULL ? (void)(e->scope = ERR_SCOPE_MESSAGE) : (void)0;
	return -1;
}

static bool
has_8bit(const char *data, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((unsigned char)data[i] >= 0x80)
			return true;
	return false;
}

/* The MAIL FROM line with the parameters the server understands. */
static char *
mail_line(struct smtp_conn *c, const struct smtp_envelope *env,
    size_t len, bool eight, bool utf8)
{
	struct buf	b = BUF_INIT;

	buf_addf(&b, "MAIL FROM:<%s>", env->from);
	if (smtp_has_ext(c, "SIZE"))
		buf_addf(&b, " SIZE=%zu", len);
	if (eight && smtp_has_ext(c, "8BITMIME"))
		buf_adds(&b, " BODY=8BITMIME");
	if (utf8)
		buf_adds(&b, " SMTPUTF8");
	buf_cstr(&b);
	return buf_detach(&b, NULL);
}

/* Command k of the envelope: MAIL for 0, then one RCPT per recipient. */
static char *
envelope_line(struct smtp_conn *c, const struct smtp_envelope *env,
    size_t k, size_t len, bool eight, bool utf8)
{
	if (k == 0)
		return mail_line(c, env, len, eight, utf8);
	return xasprintf("RCPT TO:<%s>", env->rcpts[k - 1]);
}

/*
 * Send MAIL and the RCPTs, in groups when the server offers PIPELINING,
 * and check every reply.  After a refusal nothing more is sent: the
 * replies in flight are read and the transaction is reset.
 */
static int
envelope(struct smtp_conn *c, const struct smtp_envelope *env, size_t len,
    bool eight, bool utf8, struct smtp_result *res, struct err *e)
{
	size_t	 group = smtp_has_ext(c, "PIPELINING") ? SMTP_PIPE_GROUP : 1;
	size_t	 total = env->nrcpts + 1, sent = 0, got;
	bool	 failed = false;
	char	*line, *what;

	for (got = 0; got < sent || (!failed && got < total); got++) {
		while (!failed && sent < total && sent - got < group) {
			line = envelope_line(c, env, sent, len, eight, utf8);
			if (send_line(c, line, false, e) == -1) {
				free(line);
				return -1;
			}
			free(line);
			sent++;
		}
		if (read_reply(c, e) == -1)
			return -1;
		if (c->reply.code / 100 == 2 || failed)
			continue;
		failed = true;
		what = got == 0 ? xasprintf("MAIL FROM:<%s>", env->from) :
		    xasprintf("RCPT TO:<%s>", env->rcpts[got - 1]);
		reply_error(c, what, ERR_REFUSED, e);
		free(what);
		reply_summary(&c->reply, res->reply, sizeof res->reply);
		res->code = c->reply.code;
		res->bad_rcpt = got > 0 ? (int)(got - 1) : -1;
		if (e != NULL)
			e->scope = ERR_SCOPE_MESSAGE;
	}
	if (!failed)
		return 0;
	/* Leave the server ready for the next message. */
	if (send_line(c, "RSET", false, NULL) == 0)
		(void)read_reply(c, NULL);
	return -1;
}

/* Write the message through the dot encoder in bounded pieces. */
static int
write_data(struct smtp_conn *c, const char *data, size_t len,
    struct err *e)
{
	struct smtp_dot_encoder	 d;
	struct buf		 out = BUF_INIT;
	size_t			 off, n;
	int			 rv = 0;

	smtp_dot_init(&d);
	for (off = 0; off < len && rv == 0; off += n) {
		n = len - off < SMTP_DATA_CHUNK ? len - off : SMTP_DATA_CHUNK;
		buf_reset(&out);
		smtp_dot_encode(&d, data + off, n, &out);
		rv = net_write(c->net, out.data, out.len, false, e);
	}
	if (rv == 0) {
		buf_reset(&out);
		smtp_dot_end_data(&d, &out);
		if (out.len > 0)
			rv = net_write(c->net, out.data, out.len, false, e);
	}
	buf_free(&out);
	if (rv == -1)
		c->broken = true;
	return rv;
}

int
smtp_send(struct smtp_conn *c, const struct smtp_envelope *env,
    const char *data, size_t len, smtp_before_dot_fn before_dot, void *arg,
    struct smtp_result *res, struct err *e)
{
	bool		eight, utf8 = false;
	uint64_t	max = smtp_max_size(c);
	size_t		i;

	memset(res, 0, sizeof *res);
	res->bad_rcpt = -1;
	if (c->broken)
		return out_of_step(c, e);
	if (env->nrcpts == 0) {
		err_set(e, ERR_USAGE, _("message has no recipients"));
		e != NULL ? (void)(e->scope = ERR_SCOPE_MESSAGE) : (void)0;
		return -1;
	}
	if (check_address(env->from, true, &utf8, e) == -1)
		return -1;
	for (i = 0; i < env->nrcpts; i++)
		if (check_address(env->rcpts[i], false, &utf8, e) == -1) {
			res->bad_rcpt = (int)i;
			return -1;
		}
	if (utf8 && !smtp_has_ext(c, "SMTPUTF8")) {
		err_set(e, ERR_REFUSED, _("%s: the server does not accept "
		    "international addresses (no SMTPUTF8)"), net_peer(c->net));
		e != NULL ? (void)(e->scope = ERR_SCOPE_MESSAGE) : (void)0;
		return -1;
	}
	if (max > 0 && len > max) {
		err_set(e, ERR_TOOBIG, _("%s: the message is %zu bytes, the "
		    "server accepts at most %llu"), net_peer(c->net), len,
		    (unsigned long long)max);
		return -1;
	}
	eight = has_8bit(data, len);
	if (eight && !smtp_has_ext(c, "8BITMIME"))
		log_warn("%s: 8-bit message to a server without 8BITMIME",
		    net_peer(c->net));
	if (envelope(c, env, len, eight, utf8, res, e) == -1)
		return -1;
	if (command(c, "DATA", false, 354, "DATA", ERR_REFUSED, e) == -1) {
		reply_summary(&c->reply, res->reply, sizeof res->reply);
		res->code = c->reply.code;
		if (!c->broken && send_line(c, "RSET", false, NULL) == 0)
			(void)read_reply(c, NULL);
		return -1;
	}
	if (write_data(c, data, len, e) == -1)
		return -1;
	if (before_dot != NULL && before_dot(arg, e) == -1) {
		/* Closing without the dot makes the server drop it all. */
		c->broken = true;
		return -1;
	}
	/* From here on, silence does not mean "not sent". */
	res->unknown = true;
	if (net_write(c->net, ".\r\n", 3, false, e) == -1 ||
	    read_reply(c, e) == -1) {
		c->broken = true;
		err_prefix(e, "%s ", _("the connection failed after the whole "
		    "message was sent, so it may or may not have been "
		    "delivered:"));
		return -1;
	}
	res->unknown = false;
	reply_summary(&c->reply, res->reply, sizeof res->reply);
	res->code = c->reply.code;
	if (c->reply.code / 100 == 2)
		return 0;
	reply_error(c, _("message"), ERR_REFUSED, e);
	if (e != NULL)
		e->scope = ERR_SCOPE_MESSAGE;
	return -1;
}

int
smtp_rset(struct smtp_conn *c, struct err *e)
{
	return command(c, "RSET", false, 250, "RSET", ERR_REFUSED, e);
}

int
smtp_noop(struct smtp_conn *c, struct err *e)
{
	return command(c, "NOOP", false, 0, "NOOP", ERR_REFUSED, e);
}

int
smtp_quit(struct smtp_conn *c, struct err *e)
{
	return command(c, "QUIT", false, 221, "QUIT", ERR_REFUSED, e);
}

void
smtp_close(struct smtp_conn **cp)
{
	struct smtp_conn	*c = *cp;

	if (c == NULL)
		return;
	net_close(&c->net);
	buf_free(&c->rbuf);
	smtp_reply_free(&c->reply);
	forget_ext(c);
	free(c->helo);
	free(c);
	*cp = NULL;
}
