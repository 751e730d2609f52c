/* A login test of one side of an account, for the setup wizard and
 * surat setup: connect, authenticate, log out, store nothing. */
#ifndef SURAT_SYNC_CHECK_H
#define SURAT_SYNC_CHECK_H

#include <stdbool.h>

struct config_account;
struct err;
struct net_cert_info;

/*
 * Log in to the incoming server (IMAP or POP3) or, with outgoing, to the
 * SMTP server with AUTH, using secret as the password (or the OAuth2
 * token with auth = xoauth2), then log out.  The server's certificate,
 * verified or not, is copied to cert_r (may be NULL) so a caller can show
 * its fingerprint.  Errors name what failed: ERR_DNS, ERR_CONNECT,
 * ERR_CERT, ERR_TLS, ERR_STARTTLS, ERR_AUTH, ...
 */
int	 sync_check_login(const struct config_account *, const char *secret,
	    bool outgoing, struct net_cert_info *cert_r, struct err *);

#endif
