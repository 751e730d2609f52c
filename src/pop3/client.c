/*
 * The POP3 client: greeting, CAPA, STLS, login, and the transaction
 * commands, each reply read through the incremental parser.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/net.h"
#include "net/sasl.h"
#include "pop3/pop3.h"
#include "pop3/pop3_int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define POP3_READ_CHUNK	16384
#define POP3_CAPA_MAX	64	/* capability lines kept */

struct pop3_conn {
	struct net_conn		*net;
	enum net_security	 security;
	struct buf		 rbuf;		/* read, not yet parsed */
	struct buf		 text;		/* last status text, raw */
	enum pop3_reply_kind	 kind;
	char			*timestamp;	/* APOP "<...>" or NULL */
	char			*capa[POP3_CAPA_MAX];
	size_t			 ncapa;
	bool			 capa_ok;	/* CAPA answered +OK */
	bool			 no_uidl;
	bool			 broken;	/* out of step: only close */
	size_t			 pending;	/* RETRs sent, replies unread */
};

bool
pop3_is_tls(const struct pop3_conn *c)
{
	return net_is_tls(c->net);
}

const char *
pop3_peer(const struct pop3_conn *c)
{
	return net_peer(c->net);
}

bool
pop3_has_capa(const struct pop3_conn *c, const char *name)
{
	size_t	i, n = strlen(name);

	for (i = 0; i < c->ncapa; i++) {
		if (strncasecmp(c->capa[i], name, n) == 0 &&
		    (c->capa[i][n] == '\0' || c->capa[i][n] == ' '))
			return true;
	}
	return false;
}

bool
pop3_has_uidl(const struct pop3_conn *c)
{
	if (c->no_uidl)
		return false;
	return !c->capa_ok || pop3_has_capa(c, "UIDL");
}

/* Does the SASL capability line list mechanism mech? */
static bool
has_sasl(const struct pop3_conn *c, const char *mech)
{
	size_t		 i, n = strlen(mech);
	const char	*s;

	for (i = 0; i < c->ncapa; i++) {
		if (strncasecmp(c->capa[i], "SASL ", 5) != 0)
			continue;
		for (s = c->capa[i] + 5; *s != '\0'; s += strcspn(s, " ")) {
			s += strspn(s, " ");
			if (strncasecmp(s, mech, n) == 0 &&
			    (s[n] == ' ' || s[n] == '\0'))
				return true;
		}
	}
	return false;
}

static void
forget_capa(struct pop3_conn *c)
{
	size_t	i;

	for (i = 0; i < c->ncapa; i++)
		xfree(&c->capa[i]);
	c->ncapa = 0;
	c->capa_ok = false;
}

static int
out_of_step(struct pop3_conn *c, struct err *e)
{
	err_set(e, ERR_PROTO, _("%s: connection is out of step after an "
	    "earlier error"), net_peer(c->net));
	return -1;
}

/*
 * Read one reply through the parser.  Returns 0 with c->kind and c->text
 * set, whatever the kind; -1 when the reply could not be read, after
 * which the connection is unusable.
 */
static int
read_reply(struct pop3_conn *c, int flags, pop3_data_fn fn, void *arg,
    struct err *e)
{
	struct pop3_parser	 p;
	enum pop3_parse_result	 r = POP3_PARSE_MORE;
	char			*chunk;
	size_t			 used;
	ssize_t			 n;

	if (c->broken)
		return out_of_step(c, e);
	pop3_parser_init(&p, flags, fn, arg);
	chunk = xmalloc(POP3_READ_CHUNK);
	while (r == POP3_PARSE_MORE) {
		if (c->rbuf.len > 0) {
			r = pop3_parser_feed(&p, c->rbuf.data, c->rbuf.len,
			    &used, e);
			buf_consume(&c->rbuf, used);
			continue;
		}
		n = net_read_some(c->net, chunk, POP3_READ_CHUNK, e);
		if (n < 0) {
			r = POP3_PARSE_ERROR;
			break;
		}
		r = pop3_parser_feed(&p, chunk, (size_t)n, &used, e);
		/* Bytes after the reply wait for the next one. */
		if (used < (size_t)n)
			buf_add(&c->rbuf, chunk + used, (size_t)n - used);
	}
	free(chunk);
	if (r == POP3_PARSE_ERROR) {
		c->broken = true;
		pop3_parser_free(&p);
		if (e != NULL && strncmp(e->msg, net_peer(c->net),
		    strlen(net_peer(c->net))) != 0)
			err_prefix(e, "%s: ", net_peer(c->net));
		return -1;
	}
	c->kind = pop3_parser_kind(&p);
	buf_reset(&c->text);
	buf_adds(&c->text, pop3_parser_text(&p));
	pop3_parser_free(&p);
	return 0;
}

/*
 * Turn a refusal into an error: RFC 2449 response codes say whether the
 * credentials or the moment are at fault.
 */
static void
refusal(struct pop3_conn *c, const char *what, enum err_code code,
    struct err *e)
{
	const char	*t = buf_cstr(&c->text);
	char		*safe;

	if (str_istarts_with(t, "[AUTH]"))
		code = ERR_AUTH;
	else if (str_istarts_with(t, "[SYS/TEMP]") ||
	    str_istarts_with(t, "[IN-USE]") ||
	    str_istarts_with(t, "[LOGIN-DELAY]"))
		code = ERR_TEMPFAIL;
	safe = sanitize_text(t, c->text.len, 0);
	err_set(e, code, _("%s: %s refused: %s"), net_peer(c->net), what,
	    *safe != '\0' ? safe : _("(no reason given)"));
	free(safe);
}

/*
 * Whether a command may go out: not after an error that left the
 * connection out of step, nor while pipelined RETRs wait to be read
 * (their replies would be taken for this one's).
 */
static bool
in_step(struct pop3_conn *c, struct err *e)
{
	if (c->pending > 0)
		c->broken = true;
	if (c->broken)
		(void)out_of_step(c, e);
	return !c->broken;
}

/* Send a command and read a single-line reply; -ERR is an error. */
static int
simple(struct pop3_conn *c, const char *cmd, bool secret, const char *what,
    enum err_code code, struct err *e)
{
	if (!in_step(c, e))
		return -1;
	if (net_send_line(c->net, cmd, secret, e) == -1 ||
	    read_reply(c, 0, NULL, NULL, e) == -1) {
		c->broken = true;
		return -1;
	}
	if (c->kind == POP3_REPLY_CONT) {
		err_set(e, ERR_PROTO, _("%s: unexpected continuation after "
		    "%s"), net_peer(c->net), what);
		c->broken = true;
		return -1;
	}
	if (c->kind != POP3_REPLY_OK) {
		refusal(c, what, code, e);
		return -1;
	}
	return 0;
}

/* Read the reply, with data lines after +OK, of a command sent. */
static int
multi_read(struct pop3_conn *c, const char *what, int flags,
    pop3_data_fn fn, void *arg, struct err *e)
{
	if (read_reply(c, flags | POP3_PARSE_MULTI, fn, arg, e) == -1) {
		c->broken = true;
		return -1;
	}
	if (c->kind != POP3_REPLY_OK) {
		if (c->kind == POP3_REPLY_CONT)
			c->broken = true;
		refusal(c, what, ERR_REFUSED, e);
		return -1;
	}
	return 0;
}

/* Send a command whose +OK reply carries data lines. */
static int
multi(struct pop3_conn *c, const char *cmd, const char *what, int flags,
    pop3_data_fn fn, void *arg, struct err *e)
{
	if (!in_step(c, e))
		return -1;
	if (net_send_line(c->net, cmd, false, e) == -1) {
		c->broken = true;
		return -1;
	}
	return multi_read(c, what, flags, fn, arg, e);
}

static int
capa_line(void *arg, const char *line, size_t len, struct err *e)
{
	struct pop3_conn	*c = arg;

	(void)e;
	if (c->ncapa < POP3_CAPA_MAX && len > 0)
		c->capa[c->ncapa++] = xstrndup(line, len);
	return 0;
}

/* CAPA; a server without it (RFC 1939 only) is not an error. */
static int
ask_capa(struct pop3_conn *c, struct err *e)
{
	forget_capa(c);
	if (net_send_line(c->net, "CAPA", false, e) == -1 ||
	    read_reply(c, POP3_PARSE_MULTI | POP3_PARSE_LINES, capa_line, c,
	    e) == -1)
		return -1;
	c->capa_ok = c->kind == POP3_REPLY_OK;
	if (!c->capa_ok)
		forget_capa(c);
	return 0;
}

/* Keep the APOP timestamp "<...@...>" of the greeting, if any. */
static void
keep_timestamp(struct pop3_conn *c)
{
	const char	*t = buf_cstr(&c->text), *lt, *gt;

	lt = strchr(t, '<');
	if (lt == NULL || (gt = strchr(lt, '>')) == NULL)
		return;
	if (memchr(lt, '@', (size_t)(gt - lt)) == NULL || gt - lt > 256)
		return;
	c->timestamp = xstrndup(lt, (size_t)(gt - lt + 1));
}

static int
stls(struct pop3_conn *c, struct err *e)
{
	if (c->capa_ok && !pop3_has_capa(c, "STLS")) {
		err_set(e, ERR_STARTTLS, _("%s: the server does not offer "
		    "STLS; refusing to continue without TLS"),
		    net_peer(c->net));
		return -1;
	}
	if (simple(c, "STLS", false, "STLS", ERR_STARTTLS, e) == -1) {
		if (e != NULL && e->code != ERR_STARTTLS)
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
	/* Nothing learnt in the clear can be trusted now. */
	return ask_capa(c, e);
}

struct pop3_conn *
pop3_connect(const struct net_endpoint *ep, enum net_security sec,
    struct err *e)
{
	struct pop3_conn	*c;

	c = xcalloc(1, sizeof *c);
	c->security = sec;
	c->net = net_connect(ep, sec == NET_SECURITY_TLS, e);
	if (c->net == NULL) {
		free(c);
		return NULL;
	}
	if (read_reply(c, 0, NULL, NULL, e) == -1)
		goto fail;
	if (c->kind != POP3_REPLY_OK) {
		refusal(c, _("connection"), ERR_REFUSED, e);
		goto fail;
	}
	keep_timestamp(c);
	if (ask_capa(c, e) == -1)
		goto fail;
	if (sec == NET_SECURITY_STARTTLS && stls(c, e) == -1)
		goto fail;
	return c;
fail:
	pop3_close(&c);
	return NULL;
}

static int
login_user(struct pop3_conn *c, const char *user, const char *pass,
    struct err *e)
{
	char	*line;
	int	 rv;

	if (strpbrk(user, "\r\n") != NULL || strpbrk(pass, "\r\n") != NULL) {
		err_set(e, ERR_USAGE, _("user name or password contains a "
		    "line break"));
		return -1;
	}
	line = xasprintf("USER %s", user);
	rv = simple(c, line, false, "USER", ERR_AUTH, e);
	free(line);
	if (rv == -1)
		return -1;
	line = xasprintf("PASS %s", pass);
	rv = simple(c, line, true, _("login"), ERR_AUTH, e);
	str_free_secret(&line);
	return rv;
}

static int
login_apop(struct pop3_conn *c, const char *user, const char *pass,
    struct err *e)
{
	char	 hex[33], *line;
	int	 rv;

	if (c->timestamp == NULL) {
		err_set(e, ERR_AUTH, _("%s: the server does not offer APOP"),
		    net_peer(c->net));
		return -1;
	}
	if (strpbrk(user, "\r\n ") != NULL) {
		err_set(e, ERR_USAGE, _("user name contains a space or line "
		    "break"));
		return -1;
	}
	if (pop3_apop_digest(c->timestamp, pass, hex) == -1) {
		err_set(e, ERR_INTERNAL, _("MD5 is not available"));
		return -1;
	}
	line = xasprintf("APOP %s %s", user, hex);
	rv = simple(c, line, true, _("login"), ERR_AUTH, e);
	str_free_secret(&line);
	return rv;
}

static int
login_plain(struct pop3_conn *c, const char *user, const char *pass,
    struct err *e)
{
	struct buf	 resp = BUF_INIT;
	int		 rv = -1;

	buf_adds(&resp, "AUTH PLAIN ");
	if (sasl_plain(&resp, NULL, user, pass, e) == -1)
		goto out;
	/* RFC 5034: a longer initial response goes after a "+ ". */
	if (resp.len <= 255) {
		rv = simple(c, buf_cstr(&resp), true, _("login"), ERR_AUTH, e);
		goto out;
	}
	if (net_send_line(c->net, "AUTH PLAIN", false, e) == -1 ||
	    read_reply(c, 0, NULL, NULL, e) == -1) {
		c->broken = true;
		goto out;
	}
	if (c->kind != POP3_REPLY_CONT) {
		refusal(c, _("login"), ERR_AUTH, e);
		goto out;
	}
	rv = simple(c, buf_cstr(&resp) + 11, true, _("login"), ERR_AUTH, e);
out:
	sasl_wipe(&resp);
	return rv;
}

int
pop3_login(struct pop3_conn *c, enum pop3_auth how, const char *user,
    const char *pass, struct err *e)
{
	if (!net_is_tls(c->net) && c->security != NET_SECURITY_PLAIN) {
		err_set(e, ERR_STARTTLS, _("%s: refusing to send credentials "
		    "without TLS"), net_peer(c->net));
		return -1;
	}
	if (how == POP3_AUTH_AUTO) {
		if (has_sasl(c, "PLAIN"))
			how = POP3_AUTH_PLAIN;
		else if (!net_is_tls(c->net) && c->timestamp != NULL)
			how = POP3_AUTH_APOP;	/* keeps the password off the wire */
		else
			how = POP3_AUTH_USER;
	}
	switch (how) {
	case POP3_AUTH_APOP:
		return login_apop(c, user, pass, e);
	case POP3_AUTH_PLAIN:
		return login_plain(c, user, pass, e);
	default:
		return login_user(c, user, pass, e);
	}
}

int
pop3_stat(struct pop3_conn *c, uint32_t *count_r, uint64_t *size_r,
    struct err *e)
{
	char	*t, *sp;
	int	 rv = 0;

	if (simple(c, "STAT", false, "STAT", ERR_REFUSED, e) == -1)
		return -1;
	t = xstrdup(buf_cstr(&c->text));
	sp = strchr(t, ' ');
	if (sp != NULL) {
		*sp++ = '\0';
		sp[strcspn(sp, " ")] = '\0';
	}
	if (sp == NULL || str_to_u32(t, count_r) == -1 ||
	    str_to_u64(sp, size_r) == -1) {
		err_set(e, ERR_PROTO, _("%s: malformed STAT reply"),
		    net_peer(c->net));
		rv = -1;
	}
	free(t);
	return rv;
}

struct list_ctx {
	struct pop3_conn	*c;
	void			*items;
	size_t			 n;
	size_t			 cap;
	bool			 uidl;
};

/* "num arg" as in UIDL and LIST data lines. */
static int
split_line(const char *line, size_t len, uint32_t *num_r, const char **arg_r)
{
	const char	*sp;
	char		 num[16];
	size_t		 nl;

	if (len == 0 || len > 512 || (sp = memchr(line, ' ', len)) == NULL)
		return -1;
	nl = (size_t)(sp - line);
	if (nl == 0 || nl >= sizeof num)
		return -1;
	memcpy(num, line, nl);
	num[nl] = '\0';
	if (str_to_u32(num, num_r) == -1 || *num_r == 0)
		return -1;
	*arg_r = sp + 1;
	return 0;
}

static int
list_line(void *arg, const char *line, size_t len, struct err *e)
{
	struct list_ctx	*l = arg;
	const char	*a, *p;
	uint32_t	 num;
	uint64_t	 size;

	if (split_line(line, len, &num, &a) == -1)
		goto bad;
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->items = xreallocarray(l->items, l->cap, l->uidl ?
		    sizeof(struct pop3_uidl) : sizeof(struct pop3_list));
	}
	if (l->uidl) {
		struct pop3_uidl	*u = l->items;
		size_t			 ul = len - (size_t)(a - line);

		/* RFC 1939: 1 to 70 characters from 0x21 to 0x7E. */
		if (ul == 0 || ul > 70)
			goto bad;
		for (p = a; p < line + len; p++)
			if (*p < 0x21 || *p > 0x7e)
				goto bad;
		u[l->n].num = num;
		u[l->n].uid = xstrndup(a, ul);
	} else {
		struct pop3_list	*li = l->items;
		char			 sz[24];
		size_t			 sl;

		sl = strcspn(a, " ");
		if (sl == 0 || sl >= sizeof sz)
			goto bad;
		memcpy(sz, a, sl);
		sz[sl] = '\0';
		if (str_to_u64(sz, &size) == -1)
			goto bad;
		li[l->n].num = num;
		li[l->n].size = size;
	}
	l->n++;
	return 0;
bad:
	err_set(e, ERR_PROTO, _("malformed %s line"), l->uidl ? "UIDL" :
	    "LIST");
	return -1;
}

void
pop3_uidl_free(struct pop3_uidl **list, size_t n)
{
	size_t	i;

	if (*list == NULL)
		return;
	for (i = 0; i < n; i++)
		free((*list)[i].uid);
	xfree(list);
}

int
pop3_uidl(struct pop3_conn *c, struct pop3_uidl **list_r, size_t *n_r,
    struct err *e)
{
	struct list_ctx	l = { c, NULL, 0, 0, true };

	*list_r = NULL;
	*n_r = 0;
	if (c->no_uidl) {
		err_set(e, ERR_REFUSED, _("%s: the server does not support "
		    "UIDL"), net_peer(c->net));
		return -1;
	}
	if (multi(c, "UIDL", "UIDL", POP3_PARSE_LINES, list_line, &l,
	    e) == -1) {
		pop3_uidl_free((struct pop3_uidl **)&l.items, l.n);
		if (!c->broken && c->kind == POP3_REPLY_ERR) {
			c->no_uidl = true;
			err_prefix(e, "%s ", _("the server does not support "
			    "UIDL:"));
		}
		return -1;
	}
	*list_r = l.items;
	*n_r = l.n;
	return 0;
}

int
pop3_list(struct pop3_conn *c, struct pop3_list **list_r, size_t *n_r,
    struct err *e)
{
	struct list_ctx	l = { c, NULL, 0, 0, false };

	*list_r = NULL;
	*n_r = 0;
	if (multi(c, "LIST", "LIST", POP3_PARSE_LINES, list_line, &l,
	    e) == -1) {
		free(l.items);
		return -1;
	}
	*list_r = l.items;
	*n_r = l.n;
	return 0;
}

int
pop3_retr(struct pop3_conn *c, uint32_t num, pop3_sink_fn sink, void *arg,
    struct err *e)
{
	if (pop3_retr_send(c, num, e) == -1)
		return -1;
	return pop3_retr_read(c, num, sink, arg, e);
}

bool
pop3_can_pipeline(const struct pop3_conn *c)
{
	return pop3_has_capa(c, "PIPELINING");
}

int
pop3_retr_send(struct pop3_conn *c, uint32_t num, struct err *e)
{
	char	cmd[32];

	if (c->broken)
		return out_of_step(c, e);
	snprintf(cmd, sizeof cmd, "RETR %u", (unsigned)num);
	if (net_send_line(c->net, cmd, false, e) == -1) {
		c->broken = true;
		return -1;
	}
	c->pending++;
	return 0;
}

int
pop3_retr_read(struct pop3_conn *c, uint32_t num, pop3_sink_fn sink,
    void *arg, struct err *e)
{
	char	what[32];

	if (c->pending == 0) {
		err_set(e, ERR_INTERNAL, "%s", _("POP3: a reply read for no "
		    "RETR sent"));
		return -1;
	}
	c->pending--;
	snprintf(what, sizeof what, "RETR %u", (unsigned)num);
	return multi_read(c, what, 0, sink, arg, e);
}

int
pop3_top(struct pop3_conn *c, uint32_t num, uint32_t lines,
    pop3_sink_fn sink, void *arg, struct err *e)
{
	char	cmd[48];

	snprintf(cmd, sizeof cmd, "TOP %u %u", (unsigned)num,
	    (unsigned)lines);
	return multi(c, cmd, cmd, 0, sink, arg, e);
}

int
pop3_dele(struct pop3_conn *c, uint32_t num, struct err *e)
{
	char	cmd[32];

	snprintf(cmd, sizeof cmd, "DELE %u", (unsigned)num);
	return simple(c, cmd, false, cmd, ERR_REFUSED, e);
}

int
pop3_rset(struct pop3_conn *c, struct err *e)
{
	return simple(c, "RSET", false, "RSET", ERR_REFUSED, e);
}

int
pop3_noop(struct pop3_conn *c, struct err *e)
{
	return simple(c, "NOOP", false, "NOOP", ERR_REFUSED, e);
}

int
pop3_quit(struct pop3_conn *c, struct err *e)
{
	return simple(c, "QUIT", false, "QUIT", ERR_REFUSED, e);
}

void
pop3_close(struct pop3_conn **cp)
{
	struct pop3_conn	*c = *cp;

	if (c == NULL)
		return;
	net_close(&c->net);
	buf_free(&c->rbuf);
	buf_free(&c->text);
	forget_capa(c);
	free(c->timestamp);
	free(c);
	*cp = NULL;
}
