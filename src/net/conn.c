/*
 * A connection's life: connect (plain or implicit TLS), STARTTLS with the
 * injection check, close, and the small accessors.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "net/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

static char *
net_peer_name(const char *host, uint16_t port)
{
	/* "[::1]:993": an IPv6 literal needs brackets to be read back. */
	if (strchr(host, ':') != NULL)
		return xasprintf("[%s]:%u", host, (unsigned)port);
	return xasprintf("%s:%u", host, (unsigned)port);
}

static bool
net_pin_valid(const char *pin)
{
	size_t	digits = 0;

	if (strncasecmp(pin, "sha256:", 7) != 0)
		return false;
	for (pin += 7; *pin != '\0'; pin++) {
		if (*pin == ':')
			continue;
		if (!isxdigit((unsigned char)*pin))
			return false;
		digits++;
	}
	return digits == 64;
}

static int
net_endpoint_check(const struct net_endpoint *ep, struct err *e)
{
	if (ep->host == NULL || *ep->host == '\0') {
		err_set(e, ERR_CONFIG, _("no server host name given"));
		return -1;
	}
	if (ep->port == 0) {
		err_set(e, ERR_CONFIG, _("%s: no port given"), ep->host);
		return -1;
	}
	if (ep->pin != NULL && !net_pin_valid(ep->pin)) {
		err_set(e, ERR_CONFIG, _("%s:%u: the pinned fingerprint must "
		    "be \"sha256:\" and 64 hex digits, not \"%s\""), ep->host,
		    (unsigned)ep->port, ep->pin);
		return -1;
	}
	return 0;
}

static struct net_conn *
net_conn_new(const struct net_endpoint *ep, int fd)
{
	struct net_conn	*conn;

	conn = xcalloc(1, sizeof *conn);
	conn->fd = fd;
	conn->host = xstrdup(ep->host);
	conn->port = ep->port;
	conn->peer = net_peer_name(ep->host, ep->port);
	conn->log_name = xstrdup(ep->log_name != NULL ? ep->log_name : "net");
	conn->timeout_ms = ep->timeout_ms > 0 ? ep->timeout_ms :
	    NET_DEFAULT_TIMEOUT_MS;
	conn->ca_file = ep->ca_file != NULL ? xstrdup(ep->ca_file) : NULL;
	conn->pin = ep->pin != NULL ? xstrdup(ep->pin) : NULL;
	conn->no_system_trust = ep->no_system_trust;
	conn->cert_r = ep->cert_r;
	buf_init(&conn->rbuf);
	return conn;
}

struct net_conn *
net_connect(const struct net_endpoint *ep, bool tls, struct err *e)
{
	struct net_conn	*conn;
	char		*peer;
	int		 fd;

	if (ep->cert_r != NULL)
		memset(ep->cert_r, 0, sizeof *ep->cert_r);
	if (net_endpoint_check(ep, e) == -1)
		return NULL;
	peer = net_peer_name(ep->host, ep->port);
	fd = net_tcp_connect(ep->host, ep->port, peer, ep->timeout_ms > 0 ?
	    ep->timeout_ms : NET_DEFAULT_TIMEOUT_MS, e);
	free(peer);
	if (fd == -1)
		return NULL;
	conn = net_conn_new(ep, fd);
	log_info("%s: %s connected", conn->peer, conn->log_name);
	if (tls && net_tls_start(conn, e) == -1) {
		net_close(&conn);
		return NULL;
	}
	return conn;
}

struct net_conn *
net_adopt_fd(int fd, const struct net_endpoint *ep, struct err *e)
{
	int	flags;

	if (ep->cert_r != NULL)
		memset(ep->cert_r, 0, sizeof *ep->cert_r);
	if (net_endpoint_check(ep, e) == -1)
		return NULL;
	flags = fcntl(fd, F_GETFL);
	if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1) {
		err_set(e, ERR_IO, "%s:%u: %s", ep->host, (unsigned)ep->port,
		    strerror(errno));
		return NULL;
	}
	return net_conn_new(ep, fd);
}

int
net_starttls(struct net_conn *conn, struct err *e)
{
	size_t	unread = conn->rbuf.len - conn->rpos;

	if (conn->broken) {
		err_set(e, ERR_CLOSED, _("%s: the connection is no longer "
		    "usable after an earlier error"), conn->peer);
		return -1;
	}
	if (conn->tls != NULL) {
		err_set(e, ERR_INTERNAL, "%s: STARTTLS on a TLS connection",
		    conn->peer);
		return -1;
	}
	/*
	 * Whatever came after the go-ahead was sent before the handshake
	 * and would be read as if it came through TLS: an attacker's
	 * injected responses (RFC 3207 section 4.2, RFC 2595 section 3.1).
	 * The socket is checked too, for bytes we did not read yet.
	 */
	if (unread > 0 || net_io_socket_has_data(conn)) {
		buf_reset(&conn->rbuf);
		conn->rpos = 0;
		conn->broken = true;
		err_set(e, ERR_STARTTLS, _("%s: the server sent data after "
		    "agreeing to start TLS; refusing the connection, which "
		    "may have been tampered with"), conn->peer);
		return -1;
	}
	buf_reset(&conn->rbuf);
	conn->rpos = 0;
	return net_tls_start(conn, e);
}

void
net_close(struct net_conn **connp)
{
	struct net_conn	*conn = *connp;

	if (conn == NULL)
		return;
	net_tls_end(conn);
	if (conn->fd != -1)
		close(conn->fd);
	log_info("%s: %s closed", conn->peer, conn->log_name);
	free(conn->host);
	free(conn->peer);
	free(conn->log_name);
	free(conn->ca_file);
	free(conn->pin);
	buf_free(&conn->rbuf);
	free(conn);
	*connp = NULL;
}

int
net_fd(const struct net_conn *conn)
{
	return conn->fd;
}

bool
net_is_tls(const struct net_conn *conn)
{
	return conn->tls != NULL;
}

void
net_set_timeout(struct net_conn *conn, int timeout_ms)
{
	conn->timeout_ms = timeout_ms > 0 ? timeout_ms :
	    NET_DEFAULT_TIMEOUT_MS;
}

const char *
net_peer(const struct net_conn *conn)
{
	return conn->peer;
}

const struct net_cert_info *
net_cert(const struct net_conn *conn)
{
	return &conn->cert;
}
