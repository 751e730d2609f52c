/* Server URLs: imaps://user@host:993 and friends, both ways. */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

static const struct {
	const char		*scheme;
	enum config_protocol	 protocol;
	enum net_security	 security;
} schemes[] = {
	{ "imaps", CONFIG_PROTO_IMAP, NET_SECURITY_TLS },
	{ "imap+starttls", CONFIG_PROTO_IMAP, NET_SECURITY_STARTTLS },
	{ "imap", CONFIG_PROTO_IMAP, NET_SECURITY_PLAIN },
	{ "pop3s", CONFIG_PROTO_POP3, NET_SECURITY_TLS },
	{ "pop3+starttls", CONFIG_PROTO_POP3, NET_SECURITY_STARTTLS },
	{ "pop3", CONFIG_PROTO_POP3, NET_SECURITY_PLAIN },
	{ "smtps", CONFIG_PROTO_SMTP, NET_SECURITY_TLS },
	{ "smtp+starttls", CONFIG_PROTO_SMTP, NET_SECURITY_STARTTLS },
	{ "smtp", CONFIG_PROTO_SMTP, NET_SECURITY_PLAIN },
};

uint16_t
config_default_port(enum config_protocol proto, enum net_security sec)
{
	switch (proto) {
	case CONFIG_PROTO_IMAP:
		return sec == NET_SECURITY_TLS ? 993 : 143;
	case CONFIG_PROTO_POP3:
		return sec == NET_SECURITY_TLS ? 995 : 110;
	case CONFIG_PROTO_SMTP:
		/* Submission (RFC 6409), not relay port 25. */
		return sec == NET_SECURITY_TLS ? 465 : 587;
	}
	return 0;
}

const char *
config_protocol_name(enum config_protocol proto)
{
	switch (proto) {
	case CONFIG_PROTO_IMAP:
		return "imap";
	case CONFIG_PROTO_POP3:
		return "pop3";
	case CONFIG_PROTO_SMTP:
		return "smtp";
	}
	return "?";
}

void
config_server_clear(struct config_server *srv)
{
	xfree(&srv->host);
	xfree(&srv->url_user);
	srv->port = 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode the user part; NULL on a bad escape or a NUL. */
static char *
decode_user(const char *p, size_t len)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		hi, lo;

	for (i = 0; i < len; i++) {
		if (p[i] != '%') {
			buf_addc(&b, p[i]);
			continue;
		}
		if (i + 2 >= len) {
			buf_free(&b);
			return NULL;
		}
		hi = hexval((unsigned char)p[i + 1]);
		lo = hexval((unsigned char)p[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			buf_free(&b);
			return NULL;
		}
		buf_addc(&b, (char)(hi * 16 + lo));
		i += 2;
	}
	return buf_detach(&b, NULL);
}

static bool
valid_host(const char *h, size_t len)
{
	size_t	i;

	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)h[i];

		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			return false;
	}
	return h[0] != '-' && h[0] != '.';
}

static bool
valid_ipv6(const char *h, size_t len)
{
	size_t	i;

	if (len < 2)
		return false;
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)h[i]) && h[i] != ':' &&
		    h[i] != '.')
			return false;
	}
	return true;
}

static const char *
expected_schemes(bool incoming)
{
	return incoming ? _("imaps://, imap+starttls://, pop3s:// or "
	    "pop3+starttls:// (imap:// and pop3:// need allow_plaintext = "
	    "yes)") : _("smtps:// or smtp+starttls:// (smtp:// needs "
	    "allow_plaintext = yes)");
}

static int
parse_scheme(const char **pp, bool incoming, struct config_server *srv,
    struct err *e)
{
	const char	*p = *pp, *sep;
	size_t		 i, n;

	sep = strstr(p, "://");
	if (sep != NULL) {
		n = (size_t)(sep - p);
		for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
			if (strlen(schemes[i].scheme) != n ||
			    strncasecmp(schemes[i].scheme, p, n) != 0)
				continue;
			if ((schemes[i].protocol == CONFIG_PROTO_SMTP) ==
			    incoming)
				break;
			srv->protocol = schemes[i].protocol;
			srv->security = schemes[i].security;
			*pp = sep + 3;
			return 0;
		}
	}
	err_set(e, ERR_CONFIG, _("expected a URL starting with %s, not '%s'"),
	    expected_schemes(incoming), p);
	return -1;
}

static int
parse_port(const char *p, size_t len, const char *url, uint16_t *port_r,
    struct err *e)
{
	char	tmp[8];
	int	v;

	if (len == 0 || len >= sizeof tmp)
		goto bad;
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	if (str_to_int(tmp, 1, 65535, &v) != 0 || tmp[0] == '-')
		goto bad;
	*port_r = (uint16_t)v;
	return 0;
bad:
	err_set(e, ERR_CONFIG, _("expected a port from 1 to 65535 in '%s'"),
	    url);
	return -1;
}

int
config_server_parse(const char *url, bool incoming, struct config_server *srv,
    struct err *e)
{
	const char	*p = url, *end, *at, *host, *hend, *colon;

	memset(srv, 0, sizeof *srv);
	if (parse_scheme(&p, incoming, srv, e) != 0)
		return -1;
	end = p + strlen(p);
	if (end > p && end[-1] == '/')
		end--;		/* "imaps://host/" is common enough */
	if (memchr(p, '/', (size_t)(end - p)) != NULL ||
	    memchr(p, '?', (size_t)(end - p)) != NULL ||
	    memchr(p, '#', (size_t)(end - p)) != NULL) {
		err_set(e, ERR_CONFIG, _("expected scheme://[user@]host[:port] "
		    "without a path, not '%s'"), url);
		return -1;
	}
	/* The last '@' ends the user: "me@example.com@host" works. */
	at = NULL;
	for (host = p; host < end; host++)
		if (*host == '@')
			at = host;
	if (at != NULL) {
		if (memchr(p, ':', (size_t)(at - p)) != NULL) {
			err_set(e, ERR_CONFIG, _("a password does not belong "
			    "in the URL (use password_cmd): '%.*s...'"),
			    (int)(strstr(url, "://") - url + 3), url);
			return -1;
		}
		if (at == p || (srv->url_user = decode_user(p,
		    (size_t)(at - p))) == NULL) {
			err_set(e, ERR_CONFIG, _("expected a user name before "
			    "'@' (with valid %%XX escapes) in '%s'"), url);
			return -1;
		}
		host = at + 1;
	} else
		host = p;
	if (host < end && *host == '[') {
		hend = memchr(host, ']', (size_t)(end - host));
		if (hend == NULL || !valid_ipv6(host + 1,
		    (size_t)(hend - host - 1)))
			goto badhost;
		srv->host = xstrndup(host + 1, (size_t)(hend - host - 1));
		colon = hend + 1;
		if (colon < end && *colon != ':')
			goto badhost;
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
		hend = colon != NULL ? colon : end;
		if (!valid_host(host, (size_t)(hend - host)))
			goto badhost;
		srv->host = xstrndup(host, (size_t)(hend - host));
		str_lower(srv->host);
	}
	if (colon != NULL && colon < end) {
		if (parse_port(colon + 1, (size_t)(end - colon - 1), url,
		    &srv->port, e) != 0) {
			config_server_clear(srv);
			return -1;
		}
	} else
		srv->port = config_default_port(srv->protocol, srv->security);
	return 0;
badhost:
	config_server_clear(srv);
	err_set(e, ERR_CONFIG, _("expected a host name in '%s'"), url);
	return -1;
}

static const char *
scheme_name(const struct config_server *srv)
{
	size_t	i;

	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		if (schemes[i].protocol == srv->protocol &&
		    schemes[i].security == srv->security)
			return schemes[i].scheme;
	}
	return "?";
}

/* Unreserved characters and sub-delims stay; the rest is %XX. */
static void
encode_user(struct buf *b, const char *u)
{
	for (; *u != '\0'; u++) {
		unsigned char c = (unsigned char)*u;

		if (isalnum(c) || strchr("-._~!$&'()*+,;=@", c) != NULL)
			buf_addc(b, (char)c);
		else
			buf_addf(b, "%%%02X", c);
	}
}

char *
config_server_url(const struct config_server *srv)
{
	struct buf	b = BUF_INIT;

	buf_adds(&b, scheme_name(srv));
	buf_adds(&b, "://");
	if (srv->url_user != NULL) {
		encode_user(&b, srv->url_user);
		buf_addc(&b, '@');
	}
	if (srv->host != NULL && strchr(srv->host, ':') != NULL)
		buf_addf(&b, "[%s]", srv->host);
	else
		buf_adds(&b, srv->host != NULL ? srv->host : "");
	buf_addf(&b, ":%u", (unsigned)srv->port);
	return buf_detach(&b, NULL);
}
