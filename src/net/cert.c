/*
 * The server's certificate: its fingerprint and names for the UI, the
 * pin check, and verification against the trust store and the host name,
 * with one clear sentence per thing that is wrong.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/x509.h>

#include "net/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* Room for the reasons, so the fingerprint after them always fits. */
#define NET_CERT_REASONS_MAX	640
#define NET_CERT_NAMES_MAX	160

static void
net_cert_copy_name(char *dst, size_t size, gnutls_datum_t *d)
{
	char	*clean;

	/* Names come from the network and end up on the screen. */
	clean = sanitize_text((const char *)d->data, d->size, 0);
	str_lcpy(dst, clean, size);
	free(clean);
	gnutls_free(d->data);
	d->data = NULL;
}

static void
net_cert_fingerprint(const gnutls_datum_t *der, char *out, size_t size)
{
	unsigned char	md[32];
	size_t		mdlen = sizeof md, i, n;

	out[0] = '\0';
	if (gnutls_fingerprint(GNUTLS_DIG_SHA256, der, md, &mdlen) < 0 ||
	    mdlen != sizeof md)
		return;
	n = str_lcpy(out, "sha256:", size);
	for (i = 0; i < mdlen && n + 2 < size; i++, n += 2) {
		static const char hex[] = "0123456789abcdef";

		out[n] = hex[md[i] >> 4];
		out[n + 1] = hex[md[i] & 15];
	}
	out[n] = '\0';
}

/* The leaf certificate the server sent, or NULL. */
static gnutls_x509_crt_t
net_cert_leaf(gnutls_session_t s, const gnutls_datum_t **der_r)
{
	const gnutls_datum_t	*list;
	gnutls_x509_crt_t	 crt;
	unsigned int		 n = 0;

	if (s == NULL)
		return NULL;
	if (gnutls_certificate_type_get(s) != GNUTLS_CRT_X509)
		return NULL;
	list = gnutls_certificate_get_peers(s, &n);
	if (list == NULL || n == 0)
		return NULL;
	if (gnutls_x509_crt_init(&crt) < 0)
		return NULL;
	if (gnutls_x509_crt_import(crt, &list[0], GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(crt);
		return NULL;
	}
	if (der_r != NULL)
		*der_r = &list[0];
	return crt;
}

void
net_cert_read(gnutls_session_t s, struct net_cert_info *info)
{
	const gnutls_datum_t	*der;
	gnutls_x509_crt_t	 crt;
	gnutls_datum_t		 d;

	memset(info, 0, sizeof *info);
	if ((crt = net_cert_leaf(s, &der)) == NULL)
		return;
	net_cert_fingerprint(der, info->fingerprint, sizeof info->fingerprint);
	if (gnutls_x509_crt_get_dn3(crt, &d, 0) >= 0)
		net_cert_copy_name(info->subject, sizeof info->subject, &d);
	if (gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) >= 0)
		net_cert_copy_name(info->issuer, sizeof info->issuer, &d);
	info->not_before = gnutls_x509_crt_get_activation_time(crt);
	info->not_after = gnutls_x509_crt_get_expiration_time(crt);
	info->valid = info->fingerprint[0] != '\0';
	gnutls_x509_crt_deinit(crt);
}

static bool
net_pin_next(const char **pp, int *c_r)
{
	const char	*p = *pp;

	while (*p == ':')
		p++;
	if (*p == '\0')
		return false;
	*c_r = tolower((unsigned char)*p);
	*pp = p + 1;
	return true;
}

bool
net_pin_equal(const char *a, const char *b)
{
	int	ca, cb;
	bool	ma, mb;

	if (strncasecmp(a, "sha256:", 7) != 0 ||
	    strncasecmp(b, "sha256:", 7) != 0)
		return false;
	a += 7;
	b += 7;
	for (;;) {
		ma = net_pin_next(&a, &ca);
		mb = net_pin_next(&b, &cb);
		if (!ma || !mb)
			return ma == mb;
		if (ca != cb)
			return false;
	}
}

static void
net_cert_time(int64_t t, char *out, size_t size)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if (t < 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		str_lcpy(out, "?", size);
}

/* The DNS names (or the CN) the certificate is for, for "issued for". */
static void
net_cert_names(gnutls_x509_crt_t crt, struct buf *out)
{
	char		 name[256];
	size_t		 len;
	unsigned int	 i, type;
	int		 r, shown = 0;

	for (i = 0; shown < 4; i++) {
		len = sizeof name - 1;
		r = gnutls_x509_crt_get_subject_alt_name2(crt, i, name, &len,
		    &type, NULL);
		if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (r < 0 || (type != GNUTLS_SAN_DNSNAME &&
		    type != GNUTLS_SAN_IPADDRESS))
			continue;
		if (type == GNUTLS_SAN_IPADDRESS)
			continue;	/* binary; the DNS names say enough */
		name[len] = '\0';
		if (shown++ > 0)
			buf_adds(out, ", ");
		sanitize_append(out, name, len, 0);
	}
	if (shown == 0) {
		len = sizeof name - 1;
		if (gnutls_x509_crt_get_dn_by_oid(crt,
		    GNUTLS_OID_X520_COMMON_NAME, 0, 0, name, &len) >= 0) {
			name[len < sizeof name ? len : sizeof name - 1] = '\0';
			sanitize_append(out, name, strlen(name), 0);
		} else
			buf_adds(out, _("no host name"));
	}
	if (out->len > NET_CERT_NAMES_MAX) {
		buf_truncate(out, NET_CERT_NAMES_MAX);
		buf_adds(out, "...");
	}
}

static void
net_cert_reason(struct buf *reasons, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
net_cert_reason(struct buf *reasons, const char *fmt, ...)
{
	va_list	ap;

	if (reasons->len > 0)
		buf_adds(reasons, "; ");
	va_start(ap, fmt);
	buf_vaddf(reasons, fmt, ap);
	va_end(ap);
}

/*
 * Every problem, not only the one GnuTLS met first: an expired
 * self-signed certificate for another host is all three, and the user
 * deciding whether to pin it should know.
 */
static void
net_cert_explain(struct net_conn *conn, gnutls_x509_crt_t crt,
    unsigned int status, struct buf *reasons)
{
	char		 when[40];
	struct buf	 names = BUF_INIT;
	int64_t		 now = (int64_t)time(NULL);
	bool		 known = false;

	if (status & GNUTLS_CERT_REVOKED) {
		net_cert_reason(reasons, _("it has been revoked"));
		known = true;
	}
	if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA |
	    GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE)) {
		if (gnutls_x509_crt_check_issuer(crt, crt) == 1)
			net_cert_reason(reasons, _("it is self-signed, so "
			    "nothing vouches for it"));
		else
			net_cert_reason(reasons, _("its issuer is unknown or "
			    "not trusted (%s)"), conn->cert.issuer);
		known = true;
	}
	if ((status & GNUTLS_CERT_EXPIRED) || conn->cert.not_after < now) {
		net_cert_time(conn->cert.not_after, when, sizeof when);
		net_cert_reason(reasons, _("it expired on %s"), when);
		known = true;
	}
	if ((status & GNUTLS_CERT_NOT_ACTIVATED) ||
	    conn->cert.not_before > now) {
		net_cert_time(conn->cert.not_before, when, sizeof when);
		net_cert_reason(reasons, _("it is not valid before %s"), when);
		known = true;
	}
	if ((status & GNUTLS_CERT_UNEXPECTED_OWNER) ||
	    !gnutls_x509_crt_check_hostname2(crt, conn->host, 0)) {
		net_cert_names(crt, &names);
		net_cert_reason(reasons, _("it was issued for %s, not %s"),
		    buf_cstr(&names), conn->host);
		buf_free(&names);
		known = true;
	}
	if (status & GNUTLS_CERT_INSECURE_ALGORITHM) {
		net_cert_reason(reasons, _("it is signed with an insecure "
		    "algorithm"));
		known = true;
	}
	if (status & GNUTLS_CERT_SIGNATURE_FAILURE) {
		net_cert_reason(reasons, _("its signature is invalid"));
		known = true;
	}
	if (status & GNUTLS_CERT_PURPOSE_MISMATCH) {
		net_cert_reason(reasons, _("it is not meant for a server"));
		known = true;
	}
	if (status & (GNUTLS_CERT_INVALID_OCSP_STATUS |
	    GNUTLS_CERT_MISSING_OCSP_STATUS)) {
		net_cert_reason(reasons, _("its revocation status (OCSP) is "
		    "missing or invalid"));
		known = true;
	}
	if (!known) {
		gnutls_datum_t	d;

		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &d, 0) >= 0) {
			net_cert_reason(reasons, _("it could not be verified: "
			    "%.*s"), (int)d.size, (const char *)d.data);
			gnutls_free(d.data);
		} else
			net_cert_reason(reasons, _("it could not be verified"));
	}
	if (reasons->len > NET_CERT_REASONS_MAX) {
		buf_truncate(reasons, NET_CERT_REASONS_MAX);
		buf_adds(reasons, "...");
	}
}

int
net_cert_verify(struct net_conn *conn, struct err *e)
{
	gnutls_x509_crt_t	 crt;
	struct buf		 reasons = BUF_INIT;
	unsigned int		 status = 0;
	int			 r;

	if (!conn->cert.valid || (crt = net_cert_leaf(conn->tls, NULL)) ==
	    NULL) {
		err_set(e, ERR_CERT, _("%s: the server sent no usable "
		    "certificate"), conn->peer);
		return -1;
	}
	/* A pin is the user's decision about this exact certificate. */
	if (conn->pin != NULL) {
		gnutls_x509_crt_deinit(crt);
		if (net_pin_equal(conn->pin, conn->cert.fingerprint))
			return 0;
		err_set(e, ERR_CERT, _("%s: the server's certificate %s does "
		    "not match the pinned fingerprint %s"), conn->peer,
		    conn->cert.fingerprint, conn->pin);
		return -1;
	}

	r = gnutls_certificate_verify_peers3(conn->tls, conn->host, &status);
	if (r >= 0 && (status & GNUTLS_CERT_SIGNER_NOT_FOUND) &&
	    conn->system_trust_deferred) {
		/* Not issued by the CA file: try the system's CAs too. */
		net_tls_system_trust(conn);
		status = 0;
		r = gnutls_certificate_verify_peers3(conn->tls, conn->host,
		    &status);
	}
	if (r < 0) {
		gnutls_x509_crt_deinit(crt);
		err_set(e, ERR_CERT, _("%s: cannot verify the certificate "
		    "(%s): %s"), conn->peer, conn->cert.fingerprint,
		    gnutls_strerror(r));
		return -1;
	}
	if (status == 0) {
		gnutls_x509_crt_deinit(crt);
		return 0;
	}
	net_cert_explain(conn, crt, status, &reasons);
	gnutls_x509_crt_deinit(crt);
	err_set(e, ERR_CERT, _("%s: certificate not accepted: %s (%s)"),
	    conn->peer, buf_cstr(&reasons), conn->cert.fingerprint);
	buf_free(&reasons);
	return -1;
}
