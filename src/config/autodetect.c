/*
 * Finding an address's servers for the setup wizard: RFC 6186 SRV records
 * (with RFC 8314's implicit-TLS services), and probing a candidate with a
 * short timeout to see that it answers like the protocol it claims, with a
 * certificate that verifies.
 */
#include <config.h>

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "net/net.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* Services in the order the wizard prefers them: implicit TLS first. */
static const struct {
	const char		*service;
	enum config_protocol	 protocol;
	enum net_security	 security;
} srv_services[] = {
	{ "_imaps._tcp", CONFIG_PROTO_IMAP, NET_SECURITY_TLS },
	{ "_imap._tcp", CONFIG_PROTO_IMAP, NET_SECURITY_STARTTLS },
	{ "_pop3s._tcp", CONFIG_PROTO_POP3, NET_SECURITY_TLS },
	{ "_pop3._tcp", CONFIG_PROTO_POP3, NET_SECURITY_STARTTLS },
	{ "_submissions._tcp", CONFIG_PROTO_SMTP, NET_SECURITY_TLS },
	{ "_submission._tcp", CONFIG_PROTO_SMTP, NET_SECURITY_STARTTLS },
};

static int
srv_compare(const void *a, const void *b)
{
	const struct config_srv	*x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	/* RFC 2782 picks by weighted chance; a wizard wants one stable
	 * answer, so the heaviest goes first. */
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return 0;
}

void
config_srv_sort(struct config_srv *list, size_t n)
{
	if (n > 1)
		qsort(list, n, sizeof *list, srv_compare);
}

/*
 * The SRV records of one DNS answer, appended to list_r.  A target of "."
 * means "this service is decidedly not offered" (RFC 2782): such a record
 * is kept out, and *absent_r set.
 */
size_t
config_srv_parse(const unsigned char *answer, size_t len,
    struct config_srv **list_r, size_t n, bool *absent_r)
{
	ns_msg	 msg;
	ns_rr	 rr;
	char	 target[NS_MAXDNAME];
	int	 i, count;

	if (ns_initparse(answer, (int)len, &msg) < 0)
		return n;
	count = ns_msg_count(msg, ns_s_an);
	for (i = 0; i < count; i++) {
		const unsigned char	*rd;
		struct config_srv	*s;

		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			break;
		if (ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7)
			continue;
		rd = ns_rr_rdata(rr);
		if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6,
		    target, sizeof target) < 0)
			continue;
		if (target[0] == '\0' || strcmp(target, ".") == 0) {
			*absent_r = true;
			continue;
		}
		*list_r = xreallocarray(*list_r, n + 1, sizeof **list_r);
		s = &(*list_r)[n++];
		memset(s, 0, sizeof *s);
		s->priority = (uint16_t)(rd[0] << 8 | rd[1]);
		s->weight = (uint16_t)(rd[2] << 8 | rd[3]);
		s->port = (uint16_t)(rd[4] << 8 | rd[5]);
		s->host = xstrdup(target);
	}
	return n;
}

static char *
domain_of_address(const char *address)
{
	const char	*at = strrchr(address, '@');

	if (at == NULL || at[1] == '\0')
		return NULL;
	return xstrdup(at + 1);
}

/* Records of one service, best first; 0 when none (or DNS failed). */
static size_t
srv_query(const char *name, struct config_srv **list_r)
{
	unsigned char	 answer[4096];
	int		 len;
	size_t		 n;
	bool		 absent = false;

	*list_r = NULL;
	len = res_query(name, ns_c_in, ns_t_srv, answer, sizeof answer);
	if (len <= 0)
		return 0;
	if ((size_t)len > sizeof answer)	/* truncated: use what fits */
		len = sizeof answer;
	n = config_srv_parse(answer, (size_t)len, list_r, 0, &absent);
	config_srv_sort(*list_r, n);
	return n;
}

size_t
config_srv_servers(const char *address, struct config_guess **list_r)
{
	struct config_guess	*list = NULL;
	size_t			 i, j, n = 0;
	char			*domain;

	*list_r = NULL;
	if ((domain = domain_of_address(address)) == NULL)
		return 0;
	for (i = 0; i < sizeof srv_services / sizeof srv_services[0]; i++) {
		struct config_srv	*srv;
		size_t			 found;
		char			*name;

		name = xasprintf("%s.%s", srv_services[i].service, domain);
		found = srv_query(name, &srv);
		free(name);
		for (j = 0; j < found; j++) {
			list = xreallocarray(list, n + 1, sizeof *list);
			list[n].protocol = srv_services[i].protocol;
			list[n].security = srv_services[i].security;
			list[n].host = srv[j].host;	/* moved */
			list[n].port = srv[j].port;
			n++;
		}
		free(srv);
	}
	free(domain);
	*list_r = list;
	return n;
}

void
config_srv_free(struct config_srv **list, size_t n)
{
	size_t	i;

	if (*list == NULL)
		return;
	for (i = 0; i < n; i++)
		xfree(&(*list)[i].host);
	xfree(list);
}

/* ------------------------------------------------------------------ */
/* Probing */

static const char *
upper_name(enum config_protocol proto)
{
	switch (proto) {
	case CONFIG_PROTO_IMAP:
		return "IMAP";
	case CONFIG_PROTO_POP3:
		return "POP3";
	case CONFIG_PROTO_SMTP:
		return "SMTP";
	}
	return "?";
}

/* Does a greeting line look like this protocol's "ready"? */
static bool
greeting_ok(enum config_protocol proto, const char *line)
{
	switch (proto) {
	case CONFIG_PROTO_IMAP:
		return strncmp(line, "* OK", 4) == 0 ||
		    strncmp(line, "* PREAUTH", 9) == 0;
	case CONFIG_PROTO_POP3:
		return strncmp(line, "+OK", 3) == 0;
	case CONFIG_PROTO_SMTP:
		return strncmp(line, "220", 3) == 0;
	}
	return false;
}

/* Read one line; SMTP's multi-line replies ("220-...") up to the last. */
static int
read_reply(struct net_conn *c, enum config_protocol proto, struct buf *line,
    struct err *e)
{
	int	i;

	for (i = 0; i < 64; i++) {
		buf_reset(line);
		if (net_read_line(c, 4096, line, e) == -1)
			return -1;
		if (proto != CONFIG_PROTO_SMTP || line->len < 4 ||
		    buf_cstr(line)[3] != '-')
			return 0;
	}
	err_set(e, ERR_PROTO, _("the server's reply does not end"));
	return -1;
}

/* The protocol's request to start TLS, and what a yes looks like. */
static int
ask_starttls(struct net_conn *c, enum config_protocol proto, struct buf *line,
    struct err *e)
{
	const char	*cmd = NULL, *yes = NULL;

	switch (proto) {
	case CONFIG_PROTO_IMAP:
		cmd = "P1 STARTTLS";
		yes = "P1 OK";
		break;
	case CONFIG_PROTO_POP3:
		cmd = "STLS";
		yes = "+OK";
		break;
	case CONFIG_PROTO_SMTP:
		if (net_send_line(c, "EHLO surat.invalid", false, e) == -1 ||
		    read_reply(c, proto, line, e) == -1)
			return -1;
		cmd = "STARTTLS";
		yes = "220";
		break;
	}
	if (net_send_line(c, cmd, false, e) == -1)
		return -1;
	/* IMAP may send untagged lines first. */
	do {
		if (read_reply(c, proto, line, e) == -1)
			return -1;
	} while (proto == CONFIG_PROTO_IMAP && buf_cstr(line)[0] == '*');
	if (strncmp(buf_cstr(line), yes, strlen(yes)) != 0) {
		err_set(e, ERR_STARTTLS,
		    _("the server does not agree to start TLS"));
		return -1;
	}
	return net_starttls(c, e);
}

int
config_probe(const struct config_guess *g, const struct config_probe_opts *o,
    struct net_cert_info *cert_r, struct err *e)
{
	struct net_endpoint	 ep;
	struct net_conn		*c;
	struct buf		 line = BUF_INIT;
	int			 rc = -1;

	memset(&ep, 0, sizeof ep);
	ep.host = g->host;
	ep.port = g->port;
	ep.timeout_ms = o != NULL && o->timeout_ms > 0 ? o->timeout_ms : 5000;
	ep.ca_file = o != NULL ? o->ca_file : NULL;
	ep.pin = o != NULL ? o->pin : NULL;
	ep.no_system_trust = o != NULL && o->no_system_trust;
	ep.log_name = config_protocol_name(g->protocol);
	ep.cert_r = cert_r;
	if (cert_r != NULL)
		memset(cert_r, 0, sizeof *cert_r);

	c = net_connect(&ep, g->security == NET_SECURITY_TLS, e);
	if (c == NULL)
		return -1;
	if (read_reply(c, g->protocol, &line, e) == -1)
		goto out;
	if (!greeting_ok(g->protocol, buf_cstr(&line))) {
		err_set(e, ERR_PROTO,
		    _("%s:%u: the server's greeting is not %s"),
		    g->host, g->port, upper_name(g->protocol));
		goto out;
	}
	if (g->security == NET_SECURITY_STARTTLS &&
	    ask_starttls(c, g->protocol, &line, e) == -1) {
		/* net/ names the server in its own errors. */
		if (e != NULL && e->code == ERR_STARTTLS)
			err_prefix(e, "%s:%u: ", g->host, g->port);
		goto out;
	}
	rc = 0;
out:
	buf_free(&line);
	net_close(&c);
	return rc;
}
