/*
 * TLS sessions through GnuTLS: credentials (system trust store plus an
 * optional CA file), the priority string, SNI, and a handshake driven by
 * poll() with the connection's timeout.  Verification is in cert.c.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>

#include "net/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"

/*
 * TLS 1.2 and 1.3 only; no static-RSA key exchange (no forward secrecy),
 * and never RC4, 3DES or MD5 even if a GnuTLS build still knew them.
 */
#define NET_TLS_PRIORITY \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:" \
	"-RSA:-ARCFOUR-128:-3DES-CBC:-MD5:%SAFE_RENEGOTIATION"

static bool
net_tls_is_ip_literal(const char *host)
{
	struct in6_addr	a6;
	struct in_addr	a4;

	return inet_pton(AF_INET, host, &a4) == 1 ||
	    inet_pton(AF_INET6, host, &a6) == 1;
}

void
net_tls_system_trust(struct net_conn *conn)
{
	int	r;

	conn->system_trust_deferred = false;
	r = gnutls_certificate_set_x509_system_trust(conn->creds);
	/* Not fatal: a CA file or a pin may still do. */
	if (r <= 0)
		log_warn("%s: no system trust store (%s)", conn->peer,
		    r < 0 ? gnutls_strerror(r) : "empty");
}

static int
net_tls_credentials(struct net_conn *conn, struct err *e)
{
	int	r;

	r = gnutls_certificate_allocate_credentials(&conn->creds);
	if (r < 0) {
		conn->creds = NULL;
		err_set(e, ERR_TLS, "%s: %s", conn->peer, gnutls_strerror(r));
		return -1;
	}
	/*
	 * Parsing the system's CA bundle costs tens of milliseconds, more
	 * than the rest of a sync with nothing new.  With a CA file or a pin
	 * it is often not needed: net_cert_verify() loads it only when the
	 * chain does not end at the CA file.
	 */
	conn->system_trust_deferred = !conn->no_system_trust &&
	    (conn->ca_file != NULL || conn->pin != NULL);
	if (!conn->no_system_trust && !conn->system_trust_deferred)
		net_tls_system_trust(conn);
	if (conn->ca_file != NULL) {
		r = gnutls_certificate_set_x509_trust_file(conn->creds,
		    conn->ca_file, GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			err_set(e, ERR_CONFIG, _("%s: cannot load CA "
			    "certificates from %s: %s"), conn->peer,
			    conn->ca_file, r < 0 ? gnutls_strerror(r) :
			    _("no certificate in the file"));
			return -1;
		}
	}
	return 0;
}

/*
 * Called with the server's hello before GnuTLS checks its version: keep
 * the version, so refusing an old protocol can say which one it was.
 */
static int
net_tls_hello_hook(gnutls_session_t tls, unsigned htype, unsigned when,
    unsigned incoming, const gnutls_datum_t *msg)
{
	struct net_conn	*conn = gnutls_session_get_ptr(tls);

	(void)htype;
	(void)when;
	if (conn != NULL && incoming && msg != NULL && msg->size >= 2)
		conn->hello_version = (unsigned)msg->data[0] << 8 |
		    msg->data[1];
	return 0;
}

/* "TLS 1.0" for a legacy version number below TLS 1.2, else NULL. */
static const char *
net_tls_old_version(unsigned v)
{
	switch (v) {
	case 0x0300:
		return "SSL 3.0";
	case 0x0301:
		return "TLS 1.0";
	case 0x0302:
		return "TLS 1.1";
	default:
		return v != 0 && v < 0x0300 ? "SSL 2" : NULL;
	}
}

static int
net_tls_session(struct net_conn *conn, struct err *e)
{
	const char	*where = NULL;
	int		 r;

	/* GNUTLS_NO_SIGNAL: sends use MSG_NOSIGNAL, so no SIGPIPE. */
	r = gnutls_init(&conn->tls, GNUTLS_CLIENT | GNUTLS_NONBLOCK |
	    GNUTLS_NO_SIGNAL);
	if (r < 0) {
		conn->tls = NULL;
		goto fail;
	}
	r = gnutls_priority_set_direct(conn->tls, NET_TLS_PRIORITY, &where);
	if (r < 0)
		goto fail;
	conn->hello_version = 0;
	gnutls_session_set_ptr(conn->tls, conn);
	gnutls_handshake_set_hook_function(conn->tls,
	    GNUTLS_HANDSHAKE_SERVER_HELLO, GNUTLS_HOOK_PRE, net_tls_hello_hook);
	r = gnutls_credentials_set(conn->tls, GNUTLS_CRD_CERTIFICATE,
	    conn->creds);
	if (r < 0)
		goto fail;
	/* RFC 6066: SNI carries host names only, never address literals. */
	if (!net_tls_is_ip_literal(conn->host)) {
		r = gnutls_server_name_set(conn->tls, GNUTLS_NAME_DNS,
		    conn->host, strlen(conn->host));
		if (r < 0)
			goto fail;
	}
	gnutls_transport_set_int(conn->tls, conn->fd);
	return 0;

fail:
	err_set(e, ERR_TLS, _("%s: cannot set up TLS: %s"), conn->peer,
	    gnutls_strerror(r));
	return -1;
}

/* Words for the handshake failures people actually meet. */
static void
net_tls_handshake_error(struct net_conn *conn, int r, struct err *e)
{
	gnutls_alert_description_t alert;
	const char	*old;

	/* The server answered in a protocol we refuse: name it. */
	if ((old = net_tls_old_version(conn->hello_version)) != NULL) {
		err_set(e, ERR_TLS, _("%s: TLS handshake refused: the server "
		    "offers only %s, an old protocol with known weaknesses; "
		    "surat requires TLS 1.2 or newer"), conn->peer, old);
		return;
	}
	switch (r) {
	case GNUTLS_E_PREMATURE_TERMINATION:
	case GNUTLS_E_PULL_ERROR:
	case GNUTLS_E_PUSH_ERROR:
		err_set(e, ERR_TLS, _("%s: TLS handshake failed: the server "
		    "closed the connection"), conn->peer);
		return;
	case GNUTLS_E_UNEXPECTED_PACKET_LENGTH:
	case GNUTLS_E_UNEXPECTED_PACKET:
	case GNUTLS_E_UNSUPPORTED_VERSION_PACKET:
	case GNUTLS_E_RECORD_OVERFLOW:
		err_set(e, ERR_TLS, _("%s: TLS handshake failed: the server "
		    "did not answer in TLS (is this a port for STARTTLS or "
		    "plain text?): %s"), conn->peer, gnutls_strerror(r));
		return;
	case GNUTLS_E_FATAL_ALERT_RECEIVED:
		alert = gnutls_alert_get(conn->tls);
		if (alert == GNUTLS_A_PROTOCOL_VERSION) {
			err_set(e, ERR_TLS, _("%s: TLS handshake failed: the "
			    "server does not support TLS 1.2 or newer"),
			    conn->peer);
			return;
		}
		err_set(e, ERR_TLS, _("%s: TLS handshake failed: the server "
		    "sent the alert \"%s\""), conn->peer,
		    gnutls_alert_get_name(alert));
		return;
	case GNUTLS_E_NO_CIPHER_SUITES:
	case GNUTLS_E_UNKNOWN_CIPHER_SUITE:
	case GNUTLS_E_INSUFFICIENT_SECURITY:
	case GNUTLS_E_NO_PRIORITIES_WERE_SET:
		err_set(e, ERR_TLS, _("%s: TLS handshake failed: no secure "
		    "cipher in common with the server (%s)"), conn->peer,
		    gnutls_strerror(r));
		return;
	default:
		err_set(e, ERR_TLS, _("%s: TLS handshake failed: %s"),
		    conn->peer, gnutls_strerror(r));
		return;
	}
}

static int
net_tls_handshake(struct net_conn *conn, struct err *e)
{
	short	events;
	int	r, w;

	for (;;) {
		r = gnutls_handshake(conn->tls);
		if (r == GNUTLS_E_SUCCESS)
			return 0;
		if (r == GNUTLS_E_INTERRUPTED ||
		    (r != GNUTLS_E_AGAIN && !gnutls_error_is_fatal(r)))
			continue;
		if (r != GNUTLS_E_AGAIN) {
			net_tls_handshake_error(conn, r, e);
			return -1;
		}
		events = gnutls_record_get_direction(conn->tls) == 1 ?
		    POLLOUT : POLLIN;
		w = net_io_poll(conn, events, conn->timeout_ms, e);
		if (w == -1)
			return -1;
		if (w == 0) {
			err_set(e, ERR_TIMEOUT, _("%s: TLS handshake timed "
			    "out after %d s"), conn->peer,
			    (conn->timeout_ms + 999) / 1000);
			return -1;
		}
	}
}

static void
net_tls_publish_cert(struct net_conn *conn)
{
	net_cert_read(conn->tls, &conn->cert);
	if (conn->cert_r != NULL)
		*conn->cert_r = conn->cert;
}

int
net_tls_start(struct net_conn *conn, struct err *e)
{
	char	*desc;
	int	 r;

	memset(&conn->cert, 0, sizeof conn->cert);
	if (conn->cert_r != NULL)
		memset(conn->cert_r, 0, sizeof *conn->cert_r);
	if (net_tls_credentials(conn, e) == -1 ||
	    net_tls_session(conn, e) == -1)
		goto fail;
	r = net_tls_handshake(conn, e);
	/* Even a failed handshake may have shown us the certificate. */
	net_tls_publish_cert(conn);
	if (r == -1 || net_cert_verify(conn, e) == -1)
		goto fail;
	if (log_enabled(LOG_LEVEL_INFO)) {
		desc = gnutls_session_get_desc(conn->tls);
		log_info("%s: TLS %s, certificate %s", conn->peer,
		    desc != NULL ? desc : "?", conn->cert.fingerprint);
		gnutls_free(desc);
	}
	return 0;

fail:
	conn->broken = true;
	net_tls_end(conn);
	return -1;
}

void
net_tls_end(struct net_conn *conn)
{
	if (conn->tls != NULL) {
		/* One polite try at close_notify; never wait for it. */
		if (!conn->broken)
			(void)gnutls_bye(conn->tls, GNUTLS_SHUT_WR);
		gnutls_deinit(conn->tls);
		conn->tls = NULL;
	}
	if (conn->creds != NULL) {
		gnutls_certificate_free_credentials(conn->creds);
		conn->creds = NULL;
	}
}

void
net_tls_io_error(struct net_conn *conn, int r, struct err *e)
{
	if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
		err_set(e, ERR_TLS, _("%s: TLS error: the server sent the "
		    "alert \"%s\""), conn->peer,
		    gnutls_alert_get_name(gnutls_alert_get(conn->tls)));
	else if (r == GNUTLS_E_PUSH_ERROR || r == GNUTLS_E_PULL_ERROR)
		err_set(e, ERR_CLOSED, _("%s: connection lost: %s"),
		    conn->peer, gnutls_strerror(r));
	else
		err_set(e, ERR_TLS, _("%s: TLS error: %s"), conn->peer,
		    gnutls_strerror(r));
	conn->broken = true;
}
