/*
 * The IMAP connection: greeting, STARTTLS with its traps, capabilities,
 * authentication (LOGIN, AUTHENTICATE PLAIN/LOGIN/XOAUTH2), ENABLE, ID,
 * NOOP and LOGOUT.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "imap/imap-int.h"
#include "net/net.h"
#include "net/sasl.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

enum imap_state
imap_get_state(const struct imap_conn *c)
{
	return c->state;
}

const char *
imap_peer(const struct imap_conn *c)
{
	return c->peer;
}

void
imap_set_event_cb(struct imap_conn *c, imap_event_fn *fn, void *arg)
{
	c->event_cb = fn;
	c->event_arg = arg;
}

void
imap_set_max_response(struct imap_conn *c, size_t max)
{
	c->max_response = max != 0 ? max : IMAP_MAX_RESPONSE_DEFAULT;
	imap_parser_set_limits(c->parser, IMAP_MAX_LINE_DEFAULT,
	    c->max_response);
}

const struct imap_mailbox *
imap_mailbox(const struct imap_conn *c)
{
	return c->state == IMAP_STATE_SELECTED ? &c->mbox : NULL;
}

enum imap_code_type
imap_refusal_code(const struct imap_conn *c)
{
	return c->refusal;
}

char **
imap_take_alerts(struct imap_conn *c, size_t *n_r)
{
	char	**v = c->alerts;

	*n_r = c->nalerts;
	c->alerts = NULL;
	c->nalerts = 0;
	return v;
}

static void
drop_alerts(struct imap_conn *c)
{
	size_t	i;

	for (i = 0; i < c->nalerts; i++)
		free(c->alerts[i]);
	free(c->alerts);
	c->alerts = NULL;
	c->nalerts = 0;
}

void
imap_close(struct imap_conn **cp)
{
	struct imap_conn	*c = *cp;
	size_t			 i;

	if (c == NULL)
		return;
	net_close(&c->net);
	imap_parser_free(&c->parser);
	buf_free(&c->in);
	imap_forget_caps(c);
	for (i = 0; i < c->nenabled; i++)
		free(c->enabled[i]);
	free(c->enabled);
	imap_mailbox_clear(&c->mbox);
	drop_alerts(c);
	free(c->peer);
	xfree(cp);
}

bool
imap_has_cap(const struct imap_conn *c, const char *cap)
{
	size_t	i;

	for (i = 0; i < c->ncaps; i++) {
		if (strcasecmp(c->caps[i], cap) == 0)
			return true;
	}
	return false;
}

bool
imap_is_enabled(const struct imap_conn *c, const char *ext)
{
	size_t	i;

	for (i = 0; i < c->nenabled; i++) {
		if (strcasecmp(c->enabled[i], ext) == 0)
			return true;
	}
	return false;
}

int
imap_capability(struct imap_conn *c, struct err *err)
{
	struct imap_cmd	cmd;
	int		rc;

	imap_cmd_init(&cmd, "CAPABILITY", IMAP_ANY_STATE);
	imap_cmd_addf(&cmd, "CAPABILITY");
	imap_forget_caps(c);
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	if (rc == 0)
		c->caps_known = true;
	return rc;
}

static int
simple(struct imap_conn *c, const char *name, unsigned int states,
    struct err *err)
{
	struct imap_cmd	cmd;
	int		rc;

	imap_cmd_init(&cmd, name, states);
	imap_cmd_addf(&cmd, "%s", name);
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	return rc;
}

int
imap_noop(struct imap_conn *c, struct err *err)
{
	return simple(c, "NOOP", IMAP_ANY_STATE, err);
}

/* STARTTLS, then forget everything learnt in the clear. */
static int
starttls(struct imap_conn *c, struct err *err)
{
	if (!c->caps_known && imap_capability(c, err) < 0)
		return -1;
	if (!imap_has_cap(c, "STARTTLS")) {
		err_set(err, ERR_STARTTLS, _("%s: the server does not offer "
		    "STARTTLS, which this account requires"), c->peer);
		return -1;
	}
	if (simple(c, "STARTTLS", IMAP_IN(IMAP_STATE_NOT_AUTH), err) < 0) {
		if (err_failed(err) && err->code == ERR_REFUSED)
			err->code = ERR_STARTTLS;
		return -1;
	}
	/* Bytes after the OK and before the handshake are an injection. */
	if (c->in.len > 0 || !imap_parser_idle(c->parser)) {
		err_set(err, ERR_STARTTLS, _("%s: data injected after "
		    "STARTTLS; connection dropped"), c->peer);
		imap_conn_broken(c);
		return -1;
	}
	if (net_starttls(c->net, err) < 0) {
		imap_conn_broken(c);
		return -1;
	}
	imap_forget_caps(c);
	drop_alerts(c);
	return imap_capability(c, err);
}

static int
greeting(struct imap_conn *c, struct err *err)
{
	struct imap_response	*r;
	char			*w;
	int			 rc = 0;

	if (imap_read_response(c, &r, err) < 0)
		return -1;
	if (r->type != IMAP_RESP_UNTAGGED || (r->cond != IMAP_COND_OK &&
	    r->cond != IMAP_COND_PREAUTH && r->cond != IMAP_COND_BYE)) {
		err_set(err, ERR_PROTO, "%s: not an IMAP greeting", c->peer);
		rc = -1;
	} else if (r->cond == IMAP_COND_BYE) {
		w = imap_server_words(r->text);
		err_set(err, ERR_TEMPFAIL, _("%s: the server refuses "
		    "connections: %s"), c->peer, w);
		free(w);
		rc = -1;
	} else if (r->cond == IMAP_COND_PREAUTH &&
	    c->security == NET_SECURITY_STARTTLS) {
		/* Nothing can be upgraded after PREAUTH: a downgrade. */
		err_set(err, ERR_STARTTLS, _("%s: the server skipped login "
		    "(PREAUTH) before STARTTLS; refusing to go on without "
		    "TLS"), c->peer);
		rc = -1;
	} else {
		imap_apply_untagged(c, r, err);
		if (r->cond == IMAP_COND_PREAUTH)
			imap_set_state(c, IMAP_STATE_AUTH);
	}
	imap_response_free(&r);
	if (rc < 0)
		imap_conn_broken(c);
	return rc;
}

/* Connect (fd < 0) or adopt fd, then greeting and STARTTLS. */
static struct imap_conn *
open_conn(int fd, const struct imap_params *p, struct err *err)
{
	struct imap_conn	*c;
	struct net_endpoint	 ep = p->ep;

	if (ep.log_name == NULL)
		ep.log_name = "imap";
	c = xcalloc(1, sizeof *c);
	c->parser = imap_parser_new();
	c->max_response = IMAP_MAX_RESPONSE_DEFAULT;
	c->security = p->security;
	c->allow_plaintext = p->allow_plaintext;
	imap_mailbox_clear(&c->mbox);
	if (fd >= 0)
		c->net = net_adopt_fd(fd, &ep, err);
	else
		c->net = net_connect(&ep, p->security == NET_SECURITY_TLS,
		    err);
	if (c->net == NULL) {
		imap_close(&c);
		return NULL;
	}
	c->peer = xstrdup(net_peer(c->net));
	if (greeting(c, err) < 0 ||
	    (p->security == NET_SECURITY_STARTTLS && starttls(c, err) < 0) ||
	    (!c->caps_known && imap_capability(c, err) < 0)) {
		imap_close(&c);
		return NULL;
	}
	return c;
}

struct imap_conn *
imap_connect(const struct imap_params *p, struct err *err)
{
	return open_conn(-1, p, err);
}

struct imap_conn *
imap_connect_fd(int fd, const struct imap_params *p, struct err *err)
{
	if (p->security == NET_SECURITY_TLS) {
		err_set(err, ERR_USAGE, "imap_connect_fd: implicit TLS on an "
		    "adopted socket is not supported");
		return NULL;
	}
	return open_conn(fd, p, err);
}

/* ------------------------------------------------------------------ */
/* Authentication                                                      */

struct auth_ctx {
	const struct imap_auth	*auth;
	enum imap_auth_method	 method;
	unsigned int		 step;
	bool			 ir_sent;
	struct buf		 challenge;	/* XOAUTH2's error, decoded */
};

static int
send_secret_line(struct imap_conn *c, struct buf *b, struct err *err)
{
	int	rc;

	rc = net_send_line(c->net, buf_cstr(b), true, err);
	sasl_wipe(b);
	return rc;
}

static int
auth_continue(struct imap_conn *c, struct imap_cmd *cmd,
    const struct imap_response *r, struct err *err)
{
	struct auth_ctx	*a = cmd->arg;
	struct buf	 b = BUF_INIT;
	int		 rc;

	switch (a->method) {
	case IMAP_AUTH_PLAIN:
		if (a->ir_sent)
			break;
		a->ir_sent = true;
		if (sasl_plain(&b, NULL, a->auth->user, a->auth->secret,
		    err) < 0)
			return -1;
		return send_secret_line(c, &b, err);
	case IMAP_AUTH_SASL_LOGIN:
		rc = sasl_login_step(&b, a->step++, a->auth->user,
		    a->auth->secret, err);
		if (rc < 0) {
			sasl_wipe(&b);
			return -1;
		}
		return send_secret_line(c, &b, err);
	case IMAP_AUTH_XOAUTH2:
		if (!a->ir_sent) {
			a->ir_sent = true;
			if (sasl_xoauth2(&b, a->auth->user, a->auth->secret,
			    err) < 0)
				return -1;
			return send_secret_line(c, &b, err);
		}
		/* An error challenge: answer empty, the NO follows. */
		buf_reset(&a->challenge);
		sasl_decode_challenge(&a->challenge, r->text,
		    strlen(r->text), NULL);
		return net_send_line(c->net, "", false, err);
	default:
		break;
	}
	err_set(err, ERR_PROTO, "%s: unexpected challenge during "
	    "authentication", c->peer);
	/* Cancel the exchange as RFC 3501 allows, so the reply is read. */
	return net_send_line(c->net, "*", false, err) < 0 ? -1 : 0;
}

static enum imap_auth_method
choose_method(struct imap_conn *c, const struct imap_auth *auth)
{
	if (auth->method != IMAP_AUTH_AUTO)
		return auth->method;
	if (imap_has_cap(c, "AUTH=PLAIN"))
		return IMAP_AUTH_PLAIN;
	return IMAP_AUTH_LOGIN;
}

static int
build_auth(struct imap_conn *c, struct imap_cmd *cmd, struct auth_ctx *a,
    struct err *err)
{
	struct buf	ir = BUF_INIT;
	bool		sasl_ir = imap_has_cap(c, "SASL-IR");
	int		rc = 0;

	buf_reserve(&cmd->text, strlen(a->auth->user) +
	    strlen(a->auth->secret) * 2 + 256);
	cmd->secret = true;
	switch (a->method) {
	case IMAP_AUTH_LOGIN:
		if (imap_has_cap(c, "LOGINDISABLED")) {
			err_set(err, ERR_AUTH, _("%s: the server does not "
			    "allow LOGIN here"), c->peer);
			return -1;
		}
		imap_cmd_addf(cmd, "LOGIN ");
		imap_cmd_add_string(cmd, a->auth->user);
		imap_cmd_addf(cmd, " ");
		imap_cmd_add_string(cmd, a->auth->secret);
		return 0;
	case IMAP_AUTH_PLAIN:
	case IMAP_AUTH_XOAUTH2:
		if (!imap_has_cap(c, a->method == IMAP_AUTH_PLAIN ?
		    "AUTH=PLAIN" : "AUTH=XOAUTH2")) {
			err_set(err, ERR_AUTH, _("%s: the server does not "
			    "offer %s"), c->peer, a->method ==
			    IMAP_AUTH_PLAIN ? "AUTH=PLAIN" : "AUTH=XOAUTH2");
			return -1;
		}
		imap_cmd_addf(cmd, "AUTHENTICATE %s", a->method ==
		    IMAP_AUTH_PLAIN ? "PLAIN" : "XOAUTH2");
		if (!sasl_ir)
			return 0;
		if (a->method == IMAP_AUTH_PLAIN)
			rc = sasl_plain(&ir, NULL, a->auth->user,
			    a->auth->secret, err);
		else
			rc = sasl_xoauth2(&ir, a->auth->user,
			    a->auth->secret, err);
		if (rc == 0) {
			imap_cmd_addf(cmd, " %s", ir.len > 0 ?
			    buf_cstr(&ir) : "=");
			a->ir_sent = true;
		}
		sasl_wipe(&ir);
		return rc;
	case IMAP_AUTH_SASL_LOGIN:
		if (!imap_has_cap(c, "AUTH=LOGIN")) {
			err_set(err, ERR_AUTH, _("%s: the server does not "
			    "offer %s"), c->peer, "AUTH=LOGIN");
			return -1;
		}
		imap_cmd_addf(cmd, "AUTHENTICATE LOGIN");
		return 0;
	default:
		err_set(err, ERR_USAGE, "unknown authentication method");
		return -1;
	}
}

/* Map a refused authentication to what it means for the user. */
static void
auth_refused(struct imap_conn *c, struct imap_cmd *cmd, struct auth_ctx *a,
    struct err *err)
{
	const struct imap_response	*r = cmd->reply;
	char				*w, *u, *ch = NULL;

	if (r == NULL || err->code != ERR_REFUSED)
		return;
	w = imap_server_words(r->text);
	if (a->challenge.len > 0)
		ch = imap_server_words(buf_cstr(&a->challenge));
	if (r->code != NULL && strcmp(r->code, "UNAVAILABLE") == 0)
		err_set(err, ERR_TEMPFAIL, _("%s: login not possible now: "
		    "%s"), c->peer, w);
	else if ((u = imap_referral_words(r)) != NULL) {
		err_set(err, ERR_AUTH, _("%s: login failed: the server refers "
		    "to another server (%s), which surat does not follow: %s"),
		    c->peer, u, w);
		free(u);
	} else
		err_set(err, ERR_AUTH, _("%s: login failed: %s%s%s"), c->peer,
		    w, ch != NULL ? " " : "", ch != NULL ? ch : "");
	free(w);
	free(ch);
}

int
imap_login(struct imap_conn *c, const struct imap_auth *auth,
    struct err *err)
{
	struct imap_cmd	cmd;
	struct auth_ctx	a;
	bool		fresh;
	int		rc;

	if (c->state != IMAP_STATE_NOT_AUTH) {
		err_set(err, c->state == IMAP_STATE_LOGOUT ? ERR_CLOSED :
		    ERR_USAGE, "%s: already logged in", c->peer);
		return c->state == IMAP_STATE_LOGOUT ? -1 : 0;
	}
	if (!net_is_tls(c->net) && !c->allow_plaintext) {
		err_set(err, ERR_CONFIG, _("%s: refusing to send the password "
		    "without TLS (allow_plaintext is off)"), c->peer);
		return -1;
	}
	if (auth->user == NULL || auth->secret == NULL) {
		err_set(err, ERR_USAGE, "%s: no user or secret", c->peer);
		return -1;
	}
	memset(&a, 0, sizeof a);
	a.auth = auth;
	a.method = choose_method(c, auth);
	imap_cmd_init(&cmd, a.method == IMAP_AUTH_LOGIN ? "LOGIN" :
	    "AUTHENTICATE", IMAP_IN(IMAP_STATE_NOT_AUTH));
	cmd.on_continue = auth_continue;
	cmd.arg = &a;
	rc = build_auth(c, &cmd, &a, err);
	if (rc == 0)
		rc = imap_cmd_run(c, &cmd, err);
	if (rc < 0)
		auth_refused(c, &cmd, &a, err);
	/* Capabilities change with login; use the OK's list, else ask. */
	fresh = rc == 0 && cmd.reply->code != NULL &&
	    strcmp(cmd.reply->code, "CAPABILITY") == 0;
	imap_cmd_free(&cmd);
	buf_free(&a.challenge);
	if (rc < 0)
		return -1;
	imap_set_state(c, IMAP_STATE_AUTH);
	if (!fresh)
		return imap_capability(c, err);
	return 0;
}

int
imap_logout(struct imap_conn *c, struct err *err)
{
	struct err	e2;
	int		rc;

	if (c->state == IMAP_STATE_LOGOUT)
		return 0;
	c->logging_out = true;
	rc = simple(c, "LOGOUT", IMAP_ANY_STATE, &e2);
	imap_set_state(c, IMAP_STATE_LOGOUT);
	/* A server that hangs up after its BYE has still said goodbye. */
	if (rc < 0 && e2.code != ERR_CLOSED) {
		*err = e2;
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */

int
imap_enable(struct imap_conn *c, const char *exts, struct err *err)
{
	struct imap_cmd	 cmd;
	char		*copy, *w, *save = NULL;
	bool		 any = false;
	int		 rc;

	if (!imap_has_cap(c, "ENABLE"))
		return 0;
	imap_cmd_init(&cmd, "ENABLE", IMAP_IN(IMAP_STATE_AUTH));
	imap_cmd_addf(&cmd, "ENABLE");
	copy = xstrdup(exts);
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		/* QRESYNC implies CONDSTORE (RFC 7162). */
		if (imap_has_cap(c, w) || (strcasecmp(w, "CONDSTORE") == 0 &&
		    imap_has_cap(c, "QRESYNC"))) {
			imap_cmd_addf(&cmd, " %s", w);
			any = true;
		}
	}
	free(copy);
	rc = any ? imap_cmd_run(c, &cmd, err) : 0;
	imap_cmd_free(&cmd);
	return rc;
}

static int
id_untagged(struct imap_conn *c, struct imap_cmd *cmd,
    const struct imap_response *r, struct err *err)
{
	return strcmp(r->name, "ID") == 0;
}

int
imap_id(struct imap_conn *c, const char *name, const char *version,
    struct err *err)
{
	struct imap_cmd	cmd;
	int		rc;

	if (!imap_has_cap(c, "ID"))
		return 0;
	imap_cmd_init(&cmd, "ID", IMAP_ANY_STATE);
	cmd.on_untagged = id_untagged;
	imap_cmd_addf(&cmd, "ID (\"name\" ");
	imap_cmd_add_string(&cmd, name);
	imap_cmd_addf(&cmd, " \"version\" ");
	imap_cmd_add_string(&cmd, version);
	imap_cmd_addf(&cmd, ")");
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	return rc;
}
