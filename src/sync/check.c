/*
 * A real login to each side of an account and nothing else: what the
 * setup wizard shows before it saves, so a typo in a host name or a
 * password is found while the user is still at the form.
 */
#include <config.h>

#include <string.h>

#include "config/config.h"
#include "imap/imap.h"
#include "net/net.h"
#include "pop3/pop3.h"
#include "smtp/smtp.h"
#include "sync/check.h"
#include "util/err.h"
#include "util/i18n.h"

static int
check_imap(const struct config_account *a, const char *secret,
    struct net_cert_info *cert, struct err *e)
{
	struct imap_params	 p;
	struct imap_auth	 auth;
	struct imap_conn	*c;
	int			 rc;

	memset(&p, 0, sizeof p);
	p.ep = config_account_endpoint(a, false);
	p.ep.cert_r = cert;
	p.security = a->incoming.security;
	p.allow_plaintext = a->allow_plaintext;
	if ((c = imap_connect(&p, e)) == NULL)
		return -1;
	memset(&auth, 0, sizeof auth);
	auth.user = a->user != NULL ? a->user : a->email;
	auth.secret = secret;
	switch (a->auth) {
	case CONFIG_AUTH_PLAIN:
		auth.method = IMAP_AUTH_PLAIN;
		break;
	case CONFIG_AUTH_LOGIN:
		auth.method = IMAP_AUTH_LOGIN;
		break;
	case CONFIG_AUTH_XOAUTH2:
		auth.method = IMAP_AUTH_XOAUTH2;
		break;
	default:
		auth.method = IMAP_AUTH_AUTO;
		break;
	}
	rc = imap_login(c, &auth, e);
	if (rc == 0)
		(void)imap_logout(c, NULL);	/* the test already passed */
	imap_close(&c);
	return rc;
}

static int
check_pop3(const struct config_account *a, const char *secret,
    struct net_cert_info *cert, struct err *e)
{
	struct net_endpoint	 ep = config_account_endpoint(a, false);
	struct pop3_conn	*c;
	int			 rc;

	ep.cert_r = cert;
	if ((c = pop3_connect(&ep, a->incoming.security, e)) == NULL)
		return -1;
	rc = pop3_login(c, a->auth == CONFIG_AUTH_PLAIN ? POP3_AUTH_PLAIN :
	    POP3_AUTH_AUTO, a->user != NULL ? a->user : a->email, secret, e);
	if (rc == 0)
		(void)pop3_quit(c, NULL);
	pop3_close(&c);
	return rc;
}

static int
check_smtp(const struct config_account *a, const char *secret,
    struct net_cert_info *cert, struct err *e)
{
	struct net_endpoint	 ep = config_account_endpoint(a, true);
	struct smtp_conn	*c;
	enum smtp_auth		 method = SMTP_AUTH_AUTO;
	int			 rc;

	if (a->outgoing.host == NULL) {
		err_set(e, ERR_CONFIG, _("%s: no outgoing server is set"),
		    a->id != NULL ? a->id : a->email);
		return -1;
	}
	ep.cert_r = cert;
	if ((c = smtp_connect(&ep, a->outgoing.security, NULL, e)) == NULL)
		return -1;
	if (a->auth == CONFIG_AUTH_PLAIN)
		method = SMTP_AUTH_PLAIN;
	else if (a->auth == CONFIG_AUTH_LOGIN)
		method = SMTP_AUTH_LOGIN;
	else if (a->auth == CONFIG_AUTH_XOAUTH2)
		method = SMTP_AUTH_XOAUTH2;
	rc = smtp_auth(c, method, a->smtp_user != NULL ? a->smtp_user :
	    (a->user != NULL ? a->user : a->email), secret, e);
	if (rc == 0)
		(void)smtp_quit(c, NULL);
	smtp_close(&c);
	return rc;
}

int
sync_check_login(const struct config_account *a, const char *secret,
    bool outgoing, struct net_cert_info *cert_r, struct err *e)
{
	if (outgoing)
		return check_smtp(a, secret, cert_r, e);
	if (a->incoming.protocol == CONFIG_PROTO_POP3)
		return check_pop3(a, secret, cert_r, e);
	return check_imap(a, secret, cert_r, e);
}
