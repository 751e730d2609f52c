/* One account: defaults, deep copies, and the checks shared by the loader
 * and the setup wizard. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

void
config_account_init(struct config_account *a)
{
	memset(a, 0, sizeof *a);
	a->incoming.protocol = CONFIG_PROTO_IMAP;
	a->outgoing.protocol = CONFIG_PROTO_SMTP;
	a->auth = CONFIG_AUTH_AUTO;
	a->pop3_policy = CONFIG_POP3_KEEP;
	a->prefetch = CONFIG_PREFETCH_RECENT;
	a->prefetch_recent = 30;
	a->sent_copy = CONFIG_SENT_COPY_AUTO;
	a->rate_period = CONFIG_RATE_NONE;
	a->idle = true;
	a->poll_interval = 300;
	a->timeout = 300;
}

/* Every string of an account, for copying, freeing and checking. */
#define ACCOUNT_STRINGS(a) \
	&(a)->id, &(a)->name, &(a)->email, &(a)->user, &(a)->smtp_user, \
	&(a)->password_cmd, &(a)->smtp_password_cmd, &(a)->oauth_token_cmd, \
	&(a)->ca_file, &(a)->pin, &(a)->sent_folder, &(a)->drafts_folder, \
	&(a)->trash_folder, &(a)->signature_file, &(a)->incoming.host, \
	&(a)->incoming.url_user, &(a)->outgoing.host, &(a)->outgoing.url_user

void
config_account_clear(struct config_account *a)
{
	char	**strs[] = { ACCOUNT_STRINGS(a) };
	size_t	  i;

	for (i = 0; i < sizeof strs / sizeof strs[0]; i++)
		xfree(strs[i]);
	if (a->password != NULL)
		str_free_secret(&a->password);
	config_account_init(a);
}

void
config_account_copy(struct config_account *dst,
    const struct config_account *src)
{
	char	**strs[] = { ACCOUNT_STRINGS(dst) };
	size_t	  i;

	*dst = *src;
	for (i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		if (*strs[i] != NULL)
			*strs[i] = xstrdup(*strs[i]);
	}
	if (src->password != NULL)
		dst->password = xstrdup(src->password);
}

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

static int
check_server(struct config_server *srv, bool allow_plaintext,
    const char *key, const char **key_r, struct err *e)
{
	if (srv->port == 0)
		srv->port = config_default_port(srv->protocol, srv->security);
	if (srv->security != NET_SECURITY_PLAIN || allow_plaintext)
		return 0;
	*key_r = key;
	if (srv->protocol == CONFIG_PROTO_SMTP)
		err_set(e, ERR_CONFIG, _("%s: smtp:// would send the password "
		    "unencrypted; use smtps:// or smtp+starttls://, or set "
		    "allow_plaintext = yes"), key);
	else
		err_set(e, ERR_CONFIG, _("%s: %s:// would send the password "
		    "unencrypted; use %ss:// or %s+starttls://, or set "
		    "allow_plaintext = yes"), key,
		    config_protocol_name(srv->protocol),
		    config_protocol_name(srv->protocol),
		    config_protocol_name(srv->protocol));
	return -1;
}

/* Values a hand-built account could get wrong that the parser rejects. */
static int
check_ranges(const struct config_account *a, const char **key_r,
    struct err *e)
{
	if (a->timeout == 0 || a->timeout > 86400) {
		*key_r = "timeout";
		err_set(e, ERR_CONFIG, _("timeout: expected 1 to 86400 "
		    "seconds"));
		return -1;
	}
	if (a->poll_interval < 10 || a->poll_interval > 86400) {
		*key_r = "poll_interval";
		err_set(e, ERR_CONFIG, _("poll_interval: expected 10 to 86400 "
		    "seconds"));
		return -1;
	}
	if ((a->pop3_policy == CONFIG_POP3_KEEP_DAYS &&
	    (a->pop3_keep_days == 0 || a->pop3_keep_days > 36500)) ||
	    (a->prefetch == CONFIG_PREFETCH_RECENT &&
	    (a->prefetch_recent == 0 || a->prefetch_recent > 1000000)) ||
	    (a->prefetch == CONFIG_PREFETCH_DAYS &&
	    (a->prefetch_days == 0 || a->prefetch_days > 36500)) ||
	    (a->rate_period != CONFIG_RATE_NONE && a->rate_limit == 0)) {
		*key_r = NULL;
		err_set(e, ERR_CONFIG, _("account '%s': a count of zero or out "
		    "of range (keep-days, recent, days or rate_limit)"), a->id);
		return -1;
	}
	return 0;
}

int
cfg_account_validate(struct config_account *a, const char **key_r,
    struct err *e)
{
	char		**strs[] = { ACCOUNT_STRINGS(a), &a->password };
	const char	 *why;
	size_t		  i;

	*key_r = NULL;
	if (a->id == NULL || !cfg_valid_account_name(a->id, &why)) {
		err_set(e, ERR_CONFIG, "%s", _(a->id == NULL ?
		    N_("an account needs a name") : why));
		return -1;
	}
	for (i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		if (*strs[i] != NULL && has_control(*strs[i])) {
			err_set(e, ERR_CONFIG, _("account '%s': a value holds "
			    "a control character (a line break?)"), a->id);
			return -1;
		}
	}
	if (a->email == NULL) {
		err_set(e, ERR_CONFIG, _("account '%s' has no email = "
		    "ADDRESS"), a->id);
		return -1;
	}
	if (a->incoming.host == NULL ||
	    a->incoming.protocol == CONFIG_PROTO_SMTP) {
		err_set(e, ERR_CONFIG, _("account '%s' has no incoming = URL "
		    "(such as imaps://mail.example.com:993)"), a->id);
		return -1;
	}
	if (check_server(&a->incoming, a->allow_plaintext, "incoming", key_r,
	    e) != 0)
		return -1;
	if (a->outgoing.host != NULL) {
		a->outgoing.protocol = CONFIG_PROTO_SMTP;
		if (check_server(&a->outgoing, a->allow_plaintext, "outgoing",
		    key_r, e) != 0)
			return -1;
	}
	if (a->password != NULL && a->password_cmd != NULL) {
		*key_r = "password";
		err_set(e, ERR_CONFIG, _("password: both password and "
		    "password_cmd are set; keep one"));
		return -1;
	}
	if (a->auth == CONFIG_AUTH_XOAUTH2 && a->oauth_token_cmd == NULL) {
		*key_r = "auth";
		err_set(e, ERR_CONFIG, _("auth: xoauth2 needs oauth_token_cmd, "
		    "a command that prints an access token"));
		return -1;
	}
	if (check_ranges(a, key_r, e) != 0)
		return -1;
	if (a->user == NULL)
		a->user = xstrdup(a->incoming.url_user != NULL ?
		    a->incoming.url_user : a->email);
	if (a->smtp_user == NULL)
		a->smtp_user = xstrdup(a->outgoing.url_user != NULL ?
		    a->outgoing.url_user : a->user);
	return 0;
}

int
config_account_check(struct config_account *a, struct err *e)
{
	const char	*key;

	return cfg_account_validate(a, &key, e);
}

struct net_endpoint
config_account_endpoint(const struct config_account *a, bool outgoing)
{
	const struct config_server *srv = outgoing ? &a->outgoing :
	    &a->incoming;
	struct net_endpoint	 ep;

	memset(&ep, 0, sizeof ep);
	ep.host = srv->host;
	ep.port = srv->port != 0 ? srv->port :
	    config_default_port(srv->protocol, srv->security);
	/* 0 lets net/ apply its own default. */
	ep.timeout_ms = a->timeout > 0 && a->timeout < 86400 ?
	    (int)a->timeout * 1000 : 0;
	ep.ca_file = a->ca_file;
	ep.pin = a->pin;
	ep.log_name = config_protocol_name(srv->protocol);
	return ep;
}
