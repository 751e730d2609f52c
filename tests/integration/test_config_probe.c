/*
 * The setup wizard's probe against the real Dovecot and Postfix: every
 * protocol and security answers, and each failure names its cause.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "util/err.h"

static int failures;

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	if (v == NULL) {
		fprintf(stderr, "%s is not set\n", name);
		exit(99);
	}
	return v;
}

static uint16_t
port_of(const char *name)
{
	return (uint16_t)atoi(env(name));
}

static void
check(const char *what, enum config_protocol proto, enum net_security sec,
    const char *host, uint16_t port, const char *ca, enum err_code want)
{
	struct config_guess	 g = { proto, sec, (char *)host, port };
	struct config_probe_opts o = { 5000, ca, NULL, true };
	struct net_cert_info	 cert;
	struct err		 e;
	int			 rc;

	err_clear(&e);
	rc = config_probe(&g, &o, &cert, &e);
	if (want == ERR_OK && rc == 0 && cert.valid &&
	    strncmp(cert.fingerprint, "sha256:", 7) == 0) {
		printf("ok: %s\n", what);
		return;
	}
	if (want != ERR_OK && rc == -1 && e.code == want) {
		/* A certificate problem must come with the certificate. */
		if (want == ERR_CERT && !cert.valid) {
			printf("FAIL: %s: no certificate data for %s\n", what,
			    e.msg);
			failures++;
			return;
		}
		printf("ok: %s (%s)\n", what, e.msg);
		return;
	}
	printf("FAIL: %s: rc %d, %s: %s\n", what, rc, err_code_name(e.code),
	    e.msg);
	failures++;
}

int
main(void)
{
	const char	*host, *ca, *other;

	if (getenv("SURAT_TEST_RUNDIR") == NULL) {
		fprintf(stderr, "run me through with-servers.sh\n");
		return 77;
	}
	host = env("SURAT_TEST_HOST");
	ca = env("SURAT_TEST_CA");
	other = env("SURAT_TEST_OTHER_CA");

	check("IMAP, implicit TLS", CONFIG_PROTO_IMAP, NET_SECURITY_TLS,
	    host, port_of("SURAT_TEST_IMAPS_PORT"), ca, ERR_OK);
	check("IMAP, STARTTLS", CONFIG_PROTO_IMAP, NET_SECURITY_STARTTLS,
	    host, port_of("SURAT_TEST_IMAP_PORT"), ca, ERR_OK);
	check("POP3, implicit TLS", CONFIG_PROTO_POP3, NET_SECURITY_TLS,
	    host, port_of("SURAT_TEST_POP3S_PORT"), ca, ERR_OK);
	check("POP3, STLS", CONFIG_PROTO_POP3, NET_SECURITY_STARTTLS,
	    host, port_of("SURAT_TEST_POP3_PORT"), ca, ERR_OK);
	check("SMTP, implicit TLS", CONFIG_PROTO_SMTP, NET_SECURITY_TLS,
	    host, port_of("SURAT_TEST_SMTPS_PORT"), ca, ERR_OK);
	check("SMTP, STARTTLS", CONFIG_PROTO_SMTP, NET_SECURITY_STARTTLS,
	    host, port_of("SURAT_TEST_SUBMISSION_PORT"), ca, ERR_OK);

	check("unknown issuer", CONFIG_PROTO_IMAP, NET_SECURITY_TLS,
	    host, port_of("SURAT_TEST_IMAPS_PORT"), other, ERR_CERT);
	check("STARTTLS, unknown issuer", CONFIG_PROTO_SMTP,
	    NET_SECURITY_STARTTLS, host, port_of("SURAT_TEST_SUBMISSION_PORT"),
	    other, ERR_CERT);
	check("wrong host name", CONFIG_PROTO_POP3, NET_SECURITY_TLS,
	    "127.0.0.1", port_of("SURAT_TEST_POP3S_PORT"), ca, ERR_CERT);
	check("no STARTTLS offered", CONFIG_PROTO_SMTP, NET_SECURITY_STARTTLS,
	    host, port_of("SURAT_TEST_SMTP_NOTLS_PORT"), ca, ERR_STARTTLS);
	check("another protocol on the port", CONFIG_PROTO_IMAP,
	    NET_SECURITY_TLS, host, port_of("SURAT_TEST_POP3S_PORT"), ca,
	    ERR_PROTO);
	check("plain port probed with TLS", CONFIG_PROTO_IMAP,
	    NET_SECURITY_TLS, host, port_of("SURAT_TEST_IMAP_PORT"), ca,
	    ERR_TLS);
	check("nothing listening", CONFIG_PROTO_IMAP, NET_SECURITY_TLS,
	    host, 1, ca, ERR_CONNECT);
	return failures ? 1 : 0;
}
