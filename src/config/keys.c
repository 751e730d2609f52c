/*
 * Every key of [general] and [account NAME]: parsing a value, checking
 * it, and rendering it back for the writer.  One table per section, so
 * the loader, the writer and the "known keys" message cannot disagree.
 */
#include <config.h>

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"
#include "config/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define FIELD(obj, k, type) ((type *)(void *)((char *)(obj) + (k)->off))
#define CFIELD(obj, k, type) \
	((const type *)(const void *)((const char *)(obj) + (k)->off))

/* ------------------------------------------------------------------ */
/* Generic setters and getters */

static int
set_string(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	char	**field = FIELD(obj, k, char *);

	(void)warn_r;
	if (*v == '\0') {
		err_set(e, ERR_CONFIG, _("%s: expected a value"), k->name);
		return -1;
	}
	xfree(field);
	*field = xstrdup(v);
	return 0;
}

static char *
get_string(const void *obj, const struct cfg_key *k)
{
	const char *const *field = CFIELD(obj, k, char *);

	return *field != NULL ? xstrdup(*field) : NULL;
}

static int
set_path(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	char	**field = FIELD(obj, k, char *);

	(void)warn_r;
	if (*v == '\0') {
		err_set(e, ERR_CONFIG, _("%s: expected a file name"), k->name);
		return -1;
	}
	xfree(field);
	*field = cfg_expand_home(v);
	return 0;
}

static int
parse_bool(const char *v, bool *b_r)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t		   i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*b_r = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*b_r = false;
			return 0;
		}
	}
	return -1;
}

static int
set_bool(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	(void)warn_r;
	if (parse_bool(v, FIELD(obj, k, bool)) != 0) {
		err_set(e, ERR_CONFIG, _("%s: expected yes or no, not '%s'"),
		    k->name, v);
		return -1;
	}
	return 0;
}

static char *
get_bool(const void *obj, const struct cfg_key *k)
{
	bool	b = *CFIELD(obj, k, bool);

	if (b == (k->def != 0))
		return NULL;
	return xstrdup(b ? "yes" : "no");
}

static int
parse_uint(const char *v, unsigned min, unsigned max, unsigned *u_r)
{
	uint32_t	u;

	if (str_to_u32(v, &u) != 0 || u < min || u > max)
		return -1;
	*u_r = u;
	return 0;
}

static int
set_uint(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	(void)warn_r;
	if (parse_uint(v, k->min, k->max, FIELD(obj, k, unsigned)) != 0) {
		err_set(e, ERR_CONFIG, _("%s: expected a number from %u to %u, "
		    "not '%s'"), k->name, k->min, k->max, v);
		return -1;
	}
	return 0;
}

static char *
get_uint(const void *obj, const struct cfg_key *k)
{
	unsigned	u = *CFIELD(obj, k, unsigned);

	return u == k->def ? NULL : xasprintf("%u", u);
}

/* A word out of a fixed list, stored as its index (an enum). */
static int
set_word(const char *name, const char *v, const char *const *words,
    int *out, struct err *e)
{
	struct buf	list = BUF_INIT;
	int		i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcasecmp(v, words[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	for (i = 0; words[i] != NULL; i++)
		buf_addf(&list, "%s%s", i > 0 ? ", " : "", words[i]);
	err_set(e, ERR_CONFIG, _("%s: expected one of %s, not '%s'"), name,
	    buf_cstr(&list), v);
	buf_free(&list);
	return -1;
}

/* ------------------------------------------------------------------ */
/* [account NAME] */

static int
set_email(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	const char	*at = strrchr(v, '@');

	(void)warn_r;
	if (at == NULL || at == v || at[1] == '\0' ||
	    strpbrk(v, " \t<>,;") != NULL) {
		err_set(e, ERR_CONFIG, _("%s: expected an address such as "
		    "budi@example.com, not '%s'"), k->name, v);
		return -1;
	}
	return set_string(obj, k, v, warn_r, e);
}

static int
set_server(void *obj, const struct cfg_key *k, const char *v, bool incoming,
    struct err *e)
{
	struct config_server	*srv = FIELD(obj, k, struct config_server);
	struct config_server	 tmp;

	if (config_server_parse(v, incoming, &tmp, e) != 0) {
		err_prefix(e, "%s: ", k->name);
		return -1;
	}
	config_server_clear(srv);
	*srv = tmp;
	return 0;
}

static int
set_incoming(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	(void)warn_r;
	return set_server(obj, k, v, true, e);
}

static int
set_outgoing(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	(void)warn_r;
	return set_server(obj, k, v, false, e);
}

static char *
get_server(const void *obj, const struct cfg_key *k)
{
	const struct config_server *srv = CFIELD(obj, k, struct config_server);

	return srv->host != NULL ? config_server_url(srv) : NULL;
}

/* What user would be without a "user" line. */
static const char *
derived_user(const struct config_account *a)
{
	return a->incoming.url_user != NULL ? a->incoming.url_user : a->email;
}

static const char *
derived_smtp_user(const struct config_account *a)
{
	return a->outgoing.url_user != NULL ? a->outgoing.url_user : a->user;
}

static char *
get_user(const void *obj, const struct cfg_key *k)
{
	const struct config_account	*a = obj;
	const char			*d = derived_user(a);

	(void)k;
	if (a->user == NULL || (d != NULL && strcmp(a->user, d) == 0))
		return NULL;
	return xstrdup(a->user);
}

static char *
get_smtp_user(const void *obj, const struct cfg_key *k)
{
	const struct config_account	*a = obj;
	const char			*d = derived_smtp_user(a);

	(void)k;
	if (a->smtp_user == NULL || (d != NULL && strcmp(a->smtp_user, d) == 0))
		return NULL;
	return xstrdup(a->smtp_user);
}

static int
set_password(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	struct config_account	*a = obj;

	(void)k;
	(void)warn_r;
	if (*v == '\0') {
		err_set(e, ERR_CONFIG, _("password: expected a value (or "
		    "remove the line to be asked)"));
		return -1;
	}
	if (a->password != NULL)
		str_free_secret(&a->password);
	a->password = xstrdup(v);
	/* It came from the file, so writing it back loses nothing. */
	a->save_password = true;
	return 0;
}

static char *
get_password(const void *obj, const struct cfg_key *k)
{
	const struct config_account	*a = obj;

	(void)k;
	if (a->password == NULL || !a->save_password)
		return NULL;
	return xstrdup(a->password);
}

static const char *const auth_words[] = {
	"auto", "plain", "login", "xoauth2", NULL
};

static int
set_auth(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	int	i;

	(void)warn_r;
	if (set_word(k->name, v, auth_words, &i, e) != 0)
		return -1;
	((struct config_account *)obj)->auth = (enum config_auth)i;
	return 0;
}

static char *
get_auth(const void *obj, const struct cfg_key *k)
{
	const struct config_account *a = obj;

	(void)k;
	return a->auth == CONFIG_AUTH_AUTO ? NULL :
	    xstrdup(auth_words[a->auth]);
}

/* "sha256:" and 64 hex digits, colons between pairs allowed. */
static int
set_pin(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	struct config_account	*a = obj;
	struct buf		 b = BUF_INIT;
	const char		*p;
	size_t			 digits = 0;

	(void)warn_r;
	if (!str_istarts_with(v, "sha256:"))
		goto bad;
	buf_adds(&b, "sha256:");
	for (p = v + 7; *p != '\0'; p++) {
		if (*p == ':')
			continue;
		if (!isxdigit((unsigned char)*p))
			goto bad;
		buf_addc(&b, (char)tolower((unsigned char)*p));
		digits++;
	}
	if (digits != 64)
		goto bad;
	xfree(&a->pin);
	a->pin = buf_detach(&b, NULL);
	return 0;
bad:
	buf_free(&b);
	err_set(e, ERR_CONFIG, _("%s: expected sha256: and 64 hex digits "
	    "(the certificate fingerprint), not '%s'"), k->name, v);
	return -1;
}

static int
set_timeout(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	struct config_account	*a = obj;

	if (set_uint(obj, k, v, warn_r, e) != 0)
		return -1;
	if (a->timeout < 60) {
		*warn_r = xasprintf(_("timeout = %u is short: a slow server "
		    "or a large message may be cut off (60 or more is "
		    "safer)"), a->timeout);
	}
	return 0;
}

/* "word" or "word:N" with N in range, e.g. keep-days:30, recent:50. */
static int
split_n(const char *v, const char *word, unsigned min, unsigned max,
    unsigned *n_r)
{
	size_t	len = strlen(word);

	if (strncasecmp(v, word, len) != 0 || v[len] != ':')
		return 1;
	return parse_uint(v + len + 1, min, max, n_r) == 0 ? 0 : -1;
}

static int
set_pop3_policy(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	struct config_account	*a = obj;
	unsigned		 n;

	(void)warn_r;
	if (strcasecmp(v, "keep") == 0)
		a->pop3_policy = CONFIG_POP3_KEEP;
	else if (strcasecmp(v, "delete") == 0)
		a->pop3_policy = CONFIG_POP3_DELETE;
	else if (strcasecmp(v, "keep-until-deleted") == 0)
		a->pop3_policy = CONFIG_POP3_KEEP_UNTIL_DELETED;
	else if (split_n(v, "keep-days", 1, 36500, &n) == 0) {
		a->pop3_policy = CONFIG_POP3_KEEP_DAYS;
		a->pop3_keep_days = n;
	} else {
		err_set(e, ERR_CONFIG, _("%s: expected keep, delete, "
		    "keep-days:N (N from 1 to 36500) or keep-until-deleted, "
		    "not '%s'"), k->name, v);
		return -1;
	}
	return 0;
}

static char *
get_pop3_policy(const void *obj, const struct cfg_key *k)
{
	const struct config_account *a = obj;

	(void)k;
	switch (a->pop3_policy) {
	case CONFIG_POP3_KEEP:
		return NULL;
	case CONFIG_POP3_DELETE:
		return xstrdup("delete");
	case CONFIG_POP3_KEEP_DAYS:
		return xasprintf("keep-days:%u", a->pop3_keep_days);
	case CONFIG_POP3_KEEP_UNTIL_DELETED:
		return xstrdup("keep-until-deleted");
	}
	return NULL;
}

#define PREFETCH_DEFAULT	30

static int
set_prefetch(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	struct config_account	*a = obj;
	unsigned		 n;

	(void)warn_r;
	if (strcasecmp(v, "none") == 0)
		a->prefetch = CONFIG_PREFETCH_NONE;
	else if (strcasecmp(v, "all") == 0)
		a->prefetch = CONFIG_PREFETCH_ALL;
	else if (split_n(v, "recent", 1, 1000000, &n) == 0) {
		a->prefetch = CONFIG_PREFETCH_RECENT;
		a->prefetch_recent = n;
	} else if (split_n(v, "days", 1, 36500, &n) == 0) {
		a->prefetch = CONFIG_PREFETCH_DAYS;
		a->prefetch_days = n;
	} else {
		err_set(e, ERR_CONFIG, _("%s: expected none, recent:N (N from "
		    "1 to 1000000), days:N (N from 1 to 36500) or all, not "
		    "'%s'"), k->name, v);
		return -1;
	}
	return 0;
}

static char *
get_prefetch(const void *obj, const struct cfg_key *k)
{
	const struct config_account *a = obj;

	(void)k;
	switch (a->prefetch) {
	case CONFIG_PREFETCH_NONE:
		return xstrdup("none");
	case CONFIG_PREFETCH_RECENT:
		if (a->prefetch_recent == PREFETCH_DEFAULT)
			return NULL;
		return xasprintf("recent:%u", a->prefetch_recent);
	case CONFIG_PREFETCH_ALL:
		return xstrdup("all");
	case CONFIG_PREFETCH_DAYS:
		return xasprintf("days:%u", a->prefetch_days);
	}
	return NULL;
}

static const char *const sent_copy_words[] = { "auto", "yes", "no", NULL };

static int
set_sent_copy(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	int	i;

	(void)warn_r;
	if (set_word(k->name, v, sent_copy_words, &i, e) != 0)
		return -1;
	((struct config_account *)obj)->sent_copy = (enum config_sent_copy)i;
	return 0;
}

static char *
get_sent_copy(const void *obj, const struct cfg_key *k)
{
	const struct config_account *a = obj;

	(void)k;
	return a->sent_copy == CONFIG_SENT_COPY_AUTO ? NULL :
	    xstrdup(sent_copy_words[a->sent_copy]);
}

static int
set_rate_limit(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	struct config_account	*a = obj;
	const char		*slash;
	char			 num[16];
	unsigned		 n;

	(void)warn_r;
	if (strcasecmp(v, "none") == 0) {
		a->rate_limit = 0;
		a->rate_period = CONFIG_RATE_NONE;
		return 0;
	}
	slash = strchr(v, '/');
	if (slash == NULL || (size_t)(slash - v) >= sizeof num)
		goto bad;
	memcpy(num, v, (size_t)(slash - v));
	num[slash - v] = '\0';
	if (parse_uint(num, 1, 1000000, &n) != 0)
		goto bad;
	if (strcasecmp(slash + 1, "hour") == 0)
		a->rate_period = CONFIG_RATE_HOUR;
	else if (strcasecmp(slash + 1, "day") == 0)
		a->rate_period = CONFIG_RATE_DAY;
	else
		goto bad;
	a->rate_limit = n;
	return 0;
bad:
	err_set(e, ERR_CONFIG, _("%s: expected N/hour or N/day (N from 1 to "
	    "1000000) or none, not '%s'"), k->name, v);
	return -1;
}

static char *
get_rate_limit(const void *obj, const struct cfg_key *k)
{
	const struct config_account *a = obj;

	(void)k;
	if (a->rate_period == CONFIG_RATE_NONE || a->rate_limit == 0)
		return NULL;
	return xasprintf("%u/%s", a->rate_limit,
	    a->rate_period == CONFIG_RATE_HOUR ? "hour" : "day");
}

#define A(f) offsetof(struct config_account, f)

/* The order here is the order the writer uses. */
const struct cfg_key cfg_account_keys[] = {
	{ "name", set_string, get_string, A(name), 0, 0, 0 },
	{ "email", set_email, get_string, A(email), 0, 0, 0 },
	{ "incoming", set_incoming, get_server, A(incoming), 0, 0, 0 },
	{ "outgoing", set_outgoing, get_server, A(outgoing), 0, 0, 0 },
	{ "user", set_string, get_user, A(user), 0, 0, 0 },
	{ "smtp_user", set_string, get_smtp_user, A(smtp_user), 0, 0, 0 },
	{ "password_cmd", set_string, get_string, A(password_cmd), 0, 0, 0 },
	{ "password", set_password, get_password, A(password), 0, 0, 0 },
	{ "smtp_password_cmd", set_string, get_string, A(smtp_password_cmd),
	    0, 0, 0 },
	{ "auth", set_auth, get_auth, A(auth), 0, 0, 0 },
	{ "oauth_token_cmd", set_string, get_string, A(oauth_token_cmd),
	    0, 0, 0 },
	{ "ca_file", set_path, get_string, A(ca_file), 0, 0, 0 },
	{ "pin", set_pin, get_string, A(pin), 0, 0, 0 },
	{ "allow_plaintext", set_bool, get_bool, A(allow_plaintext), 0, 0, 0 },
	{ "timeout", set_timeout, get_uint, A(timeout), 1, 86400, 300 },
	{ "pop3_policy", set_pop3_policy, get_pop3_policy, A(pop3_policy),
	    0, 0, 0 },
	{ "prefetch", set_prefetch, get_prefetch, A(prefetch), 0, 0, 0 },
	{ "idle", set_bool, get_bool, A(idle), 0, 0, 1 },
	{ "poll_interval", set_uint, get_uint, A(poll_interval), 10, 86400,
	    300 },
	{ "sent_copy", set_sent_copy, get_sent_copy, A(sent_copy), 0, 0, 0 },
	{ "sent_folder", set_string, get_string, A(sent_folder), 0, 0, 0 },
	{ "drafts_folder", set_string, get_string, A(drafts_folder), 0, 0, 0 },
	{ "trash_folder", set_string, get_string, A(trash_folder), 0, 0, 0 },
	{ "rate_limit", set_rate_limit, get_rate_limit, A(rate_limit),
	    0, 0, 0 },
	{ "signature_file", set_path, get_string, A(signature_file), 0, 0, 0 },
	{ "default", set_bool, get_bool, A(is_default), 0, 0, 0 },
};
const size_t cfg_naccount_keys =
    sizeof cfg_account_keys / sizeof cfg_account_keys[0];

int
config_account_set(struct config_account *a, const char *key,
    const char *label, const char *value, struct err *e)
{
	struct cfg_key	 k;
	char		*warn = NULL;
	int		 i, rc;

	if ((i = cfg_key_index(cfg_account_keys, cfg_naccount_keys,
	    key)) < 0) {
		cfg_unknown_key(e, cfg_account_keys, cfg_naccount_keys,
		    "account", key);
		return -1;
	}
	/* The same setter; only the name its messages give differs. */
	k = cfg_account_keys[i];
	k.name = label;
	rc = k.set(a, &k, value, &warn, e);
	free(warn);
	return rc;
}

/* ------------------------------------------------------------------ */
/* [general] */

static const char *const log_words[] = {
	"error", "warn", "info", "debug", "wire", NULL
};

static int
set_log_level(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	int	i;

	(void)warn_r;
	if (set_word(k->name, v, log_words, &i, e) != 0)
		return -1;
	((struct config_general *)obj)->log_level = (enum log_level)i;
	return 0;
}

static char *
get_log_level(const void *obj, const struct cfg_key *k)
{
	const struct config_general *g = obj;

	(void)k;
	if (g->log_level == LOG_LEVEL_WARN || (size_t)g->log_level >= 5)
		return NULL;
	return xstrdup(log_words[g->log_level]);
}

static const char *const sort_words[] = {
	"date", "arrival", "from", "subject", "size", NULL
};

static int
set_sort(void *obj, const struct cfg_key *k, const char *v, char **warn_r,
    struct err *e)
{
	struct config_general	*g = obj;
	bool			 rev = false;
	int			 i;

	(void)warn_r;
	if (str_istarts_with(v, "reverse-")) {
		rev = true;
		v += 8;
	}
	if (set_word(k->name, v, sort_words, &i, e) != 0) {
		err_set(e, ERR_CONFIG, _("%s: expected date, arrival, from, "
		    "subject or size, optionally with reverse- in front, not "
		    "'%s%s'"), k->name, rev ? "reverse-" : "", v);
		return -1;
	}
	g->sort = (enum config_sort)i;
	g->sort_reverse = rev;
	return 0;
}

static char *
get_sort(const void *obj, const struct cfg_key *k)
{
	const struct config_general *g = obj;

	(void)k;
	if (g->sort == CONFIG_SORT_DATE && !g->sort_reverse)
		return NULL;
	return xasprintf("%s%s", g->sort_reverse ? "reverse-" : "",
	    sort_words[g->sort]);
}

static const char *const delete_words[] = { "trash", "expunge", NULL };

static int
set_delete_mode(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	int	i;

	(void)warn_r;
	if (set_word(k->name, v, delete_words, &i, e) != 0)
		return -1;
	((struct config_general *)obj)->delete_mode =
	    (enum config_delete_mode)i;
	return 0;
}

static char *
get_delete_mode(const void *obj, const struct cfg_key *k)
{
	const struct config_general *g = obj;

	(void)k;
	return g->delete_mode == CONFIG_DELETE_TRASH ? NULL :
	    xstrdup(delete_words[g->delete_mode]);
}

#define DEFAULT_CHARSET "windows-1252"

static int
set_charset(void *obj, const struct cfg_key *k, const char *v,
    char **warn_r, struct err *e)
{
	const char	*p;

	for (p = v; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("-_.:", *p) == NULL)
			break;
	}
	if (*v == '\0' || *p != '\0' || p - v > 40) {
		err_set(e, ERR_CONFIG, _("%s: expected a character set name "
		    "such as windows-1252 or iso-8859-1, not '%s'"), k->name,
		    v);
		return -1;
	}
	return set_string(obj, k, v, warn_r, e);
}

static char *
get_charset(const void *obj, const struct cfg_key *k)
{
	const struct config_general *g = obj;

	(void)k;
	if (g->legacy_charset == NULL ||
	    strcasecmp(g->legacy_charset, DEFAULT_CHARSET) == 0)
		return NULL;
	return xstrdup(g->legacy_charset);
}

#define G(f) offsetof(struct config_general, f)

const struct cfg_key cfg_general_keys[] = {
	{ "editor", set_string, get_string, G(editor), 0, 0, 0 },
	{ "log_file", set_path, get_string, G(log_file), 0, 0, 0 },
	{ "log_level", set_log_level, get_log_level, G(log_level), 0, 0, 0 },
	{ "sort", set_sort, get_sort, G(sort), 0, 0, 0 },
	{ "threading", set_bool, get_bool, G(threading), 0, 0, 1 },
	{ "sidebar", set_bool, get_bool, G(sidebar), 0, 0, 1 },
	{ "html_converter", set_string, get_string, G(html_converter),
	    0, 0, 0 },
	{ "legacy_charset", set_charset, get_charset, G(legacy_charset),
	    0, 0, 0 },
	{ "prefer_plain", set_bool, get_bool, G(prefer_plain), 0, 0, 1 },
	{ "delete_mode", set_delete_mode, get_delete_mode, G(delete_mode),
	    0, 0, 0 },
	{ "mouse", set_bool, get_bool, G(mouse), 0, 0, 0 },
};
const size_t cfg_ngeneral_keys =
    sizeof cfg_general_keys / sizeof cfg_general_keys[0];

void
cfg_general_init(struct config_general *g)
{
	memset(g, 0, sizeof *g);
	g->log_level = LOG_LEVEL_WARN;
	g->sort = CONFIG_SORT_DATE;
	g->threading = true;
	g->sidebar = true;
	g->legacy_charset = xstrdup(DEFAULT_CHARSET);
	g->prefer_plain = true;
	g->delete_mode = CONFIG_DELETE_TRASH;
}

void
cfg_general_clear(struct config_general *g)
{
	xfree(&g->editor);
	xfree(&g->log_file);
	xfree(&g->html_converter);
	xfree(&g->legacy_charset);
}

/* ------------------------------------------------------------------ */
/* Lookup, messages, rendering */

int
cfg_key_index(const struct cfg_key *keys, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(keys[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* Edit distance, capped: enough to suggest a fix for a typo. */
static size_t
distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j;
	size_t	row[40], prev, tmp;

	if (la >= sizeof row / sizeof row[0] || lb >= sizeof row /
	    sizeof row[0])
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

void
cfg_unknown_key(struct err *e, const struct cfg_key *keys, size_t n,
    const char *section, const char *key)
{
	struct buf	 list = BUF_INIT;
	const char	*best = NULL;
	size_t		 i, d, bestd = 3;

	for (i = 0; i < n; i++) {
		buf_addf(&list, "%s%s", i > 0 ? ", " : "", keys[i].name);
		d = distance(key, keys[i].name);
		if (d < bestd) {
			bestd = d;
			best = keys[i].name;
		}
	}
	if (best != NULL)
		err_set(e, ERR_CONFIG, _("unknown key '%s' in [%s]; did you "
		    "mean '%s'? Known keys: %s"), key, section, best,
		    buf_cstr(&list));
	else
		err_set(e, ERR_CONFIG, _("unknown key '%s' in [%s]; known "
		    "keys: %s"), key, section, buf_cstr(&list));
	buf_free(&list);
}

static size_t
render(const struct cfg_key *keys, size_t n, const void *obj,
    struct cfg_pair **pairs_r)
{
	struct cfg_pair	*pairs;
	size_t		 i, np = 0;
	char		*v;

	pairs = xcalloc(n, sizeof *pairs);
	for (i = 0; i < n; i++) {
		if ((v = keys[i].get(obj, &keys[i])) == NULL)
			continue;
		pairs[np].key = keys[i].name;
		pairs[np].value = v;
		np++;
	}
	*pairs_r = pairs;
	return np;
}

size_t
cfg_account_render(const struct config_account *a, struct cfg_pair **pairs_r)
{
	return render(cfg_account_keys, cfg_naccount_keys, a, pairs_r);
}

size_t
cfg_general_render(const struct config *cfg, struct cfg_pair **pairs_r)
{
	return render(cfg_general_keys, cfg_ngeneral_keys, &cfg->general,
	    pairs_r);
}

void
cfg_pairs_free(struct cfg_pair **pairs, size_t n)
{
	size_t	i;

	if (*pairs == NULL)
		return;
	for (i = 0; i < n; i++)
		str_free_secret(&(*pairs)[i].value);
	xfree(pairs);
}
