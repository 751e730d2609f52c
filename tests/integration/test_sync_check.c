/*
 * The wizard's login test against the real servers: each side of an
 * account logs in, and a wrong password, an untrusted certificate or a
 * missing STARTTLS is reported as what it is.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "sync/check.h"
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

static void
account(struct config_account *a, enum config_protocol in,
    enum net_security in_sec, const char *in_port, enum net_security out_sec,
    const char *out_port, const char *ca)
{
	config_account_init(a);
	a->id = strdup("test");
	a->email = strdup(env("SURAT_TEST_ADDR"));
	a->user = strdup(env("SURAT_TEST_USER"));
	a->incoming.protocol = in;
	a->incoming.security = in_sec;
	a->incoming.host = strdup(env("SURAT_TEST_HOST"));
	a->incoming.port = (uint16_t)atoi(env(in_port));
	a->outgoing.protocol = CONFIG_PROTO_SMTP;
	a->outgoing.security = out_sec;
	a->outgoing.host = strdup(env("SURAT_TEST_HOST"));
	a->outgoing.port = (uint16_t)atoi(env(out_port));
	a->ca_file = strdup(ca);
}

static void
expect(const char *what, struct config_account *a, const char *pw,
    bool outgoing, enum err_code want)
{
	struct net_cert_info	cert;
	struct err		e;
	int			rc;

	err_clear(&e);
	memset(&cert, 0, sizeof cert);
	rc = sync_check_login(a, pw, outgoing, &cert, &e);
	if ((want == ERR_OK && rc == 0) ||
	    (want != ERR_OK && rc == -1 && e.code == want &&
	    (want != ERR_CERT || cert.valid))) {
		printf("ok: %s%s%s\n", what, rc ? ": " : "", rc ? e.msg : "");
		return;
	}
	printf("FAIL: %s: rc %d %s: %s\n", what, rc, err_code_name(e.code),
	    e.msg);
	failures++;
}

int
main(void)
{
	struct config_account	 a;
	const char		*pw, *ca, *other;

	if (getenv("SURAT_TEST_RUNDIR") == NULL)
		return 77;
	pw = env("SURAT_TEST_PASS");
	ca = env("SURAT_TEST_CA");
	other = env("SURAT_TEST_OTHER_CA");

	account(&a, CONFIG_PROTO_IMAP, NET_SECURITY_TLS,
	    "SURAT_TEST_IMAPS_PORT", NET_SECURITY_TLS, "SURAT_TEST_SMTPS_PORT",
	    ca);
	expect("IMAP over TLS", &a, pw, false, ERR_OK);
	expect("SMTP over TLS", &a, pw, true, ERR_OK);
	expect("IMAP, wrong password", &a, "not-the-password", false,
	    ERR_AUTH);
	expect("SMTP, wrong password", &a, "not-the-password", true,
	    ERR_AUTH);
	config_account_clear(&a);

	account(&a, CONFIG_PROTO_POP3, NET_SECURITY_STARTTLS,
	    "SURAT_TEST_POP3_PORT", NET_SECURITY_STARTTLS,
	    "SURAT_TEST_SUBMISSION_PORT", ca);
	expect("POP3 with STLS", &a, pw, false, ERR_OK);
	expect("SMTP with STARTTLS", &a, pw, true, ERR_OK);
	expect("POP3, wrong password", &a, "not-the-password", false,
	    ERR_AUTH);
	config_account_clear(&a);

	account(&a, CONFIG_PROTO_IMAP, NET_SECURITY_STARTTLS,
	    "SURAT_TEST_IMAP_PORT", NET_SECURITY_STARTTLS,
	    "SURAT_TEST_SMTP_NOTLS_PORT", other);
	expect("IMAP, untrusted certificate", &a, pw, false, ERR_CERT);
	expect("SMTP without STARTTLS offered", &a, pw, true, ERR_STARTTLS);
	config_account_clear(&a);

	account(&a, CONFIG_PROTO_POP3, NET_SECURITY_TLS,
	    "SURAT_TEST_POP3S_PORT", NET_SECURITY_TLS, "SURAT_TEST_SMTPS_PORT",
	    ca);
	free(a.incoming.host);
	a.incoming.host = strdup("127.0.0.1");	/* not the name on the cert */
	expect("POP3, wrong host name", &a, pw, false, ERR_CERT);
	config_account_clear(&a);
	return failures ? 1 : 0;
}
