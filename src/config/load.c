/*
 * Reading the config file: sections, keys checked against the tables in
 * keys.c, accounts validated as each section ends.  Every error names the
 * file and line; nothing unknown is silently ignored.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "config/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

enum section {
	SEC_NONE = 0,
	SEC_GENERAL,
	SEC_COLORS,
	SEC_KEYS,
	SEC_ACCOUNT,
	SEC_COUNT,
};

static const char *const section_names[SEC_COUNT] = {
	NULL, "general", "colors", "keys", "account"
};

#define MAX_KEYS 64

struct load {
	const char		*path;
	struct config		*cfg;
	int			 lineno;
	enum section		 sec;
	int			 sec_line[SEC_COUNT];	/* first header line */
	int			 general_lines[MAX_KEYS];
	/* The account being read, and where each of its keys was set. */
	struct config_account	 acct;
	bool			 in_acct;
	int			 acct_lines[MAX_KEYS];
};

static void
add_warning(struct load *l, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add_warning(struct load *l, int line, const char *fmt, ...)
{
	struct config	*cfg = l->cfg;
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (line > 0)
		buf_addf(&b, "%s:%d: ", l->path, line);
	else
		buf_addf(&b, "%s: ", l->path);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	cfg->warnings = xreallocarray(cfg->warnings, cfg->nwarnings + 1,
	    sizeof *cfg->warnings);
	cfg->warnings[cfg->nwarnings++] = buf_detach(&b, NULL);
}

/* Turn a message without location into "FILE:LINE: message". */
static int
fail_at(struct load *l, int line, struct err *e)
{
	if (e != NULL && e->code == ERR_OK)
		e->code = ERR_CONFIG;
	err_prefix(e, "%s:%d: ", l->path, line);
	return -1;
}

static int
fail(struct load *l, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct load *l, struct err *e, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	err_setv(e, ERR_CONFIG, fmt, ap);
	va_end(ap);
	return fail_at(l, l->lineno, e);
}

static int
finish_account(struct load *l, struct err *e)
{
	struct config	*cfg = l->cfg;
	const char	*key;
	int		 i, line;
	size_t		 j;

	if (!l->in_acct)
		return 0;
	l->in_acct = false;
	if (cfg_account_validate(&l->acct, &key, e) != 0) {
		line = l->acct.line;
		if (key != NULL && (i = cfg_key_index(cfg_account_keys,
		    cfg_naccount_keys, key)) >= 0 && l->acct_lines[i] > 0)
			line = l->acct_lines[i];
		config_account_clear(&l->acct);
		return fail_at(l, line, e);
	}
	i = cfg_key_index(cfg_account_keys, cfg_naccount_keys, "pop3_policy");
	if (l->acct_lines[i] > 0 &&
	    l->acct.incoming.protocol != CONFIG_PROTO_POP3)
		add_warning(l, l->acct_lines[i], _("pop3_policy has no effect "
		    "on an IMAP account"));
	if (l->acct.is_default) {
		for (j = 0; j < cfg->naccounts; j++) {
			if (!cfg->accounts[j].is_default)
				continue;
			i = cfg_key_index(cfg_account_keys, cfg_naccount_keys,
			    "default");
			err_set(e, ERR_CONFIG, _("default = yes is already set "
			    "for account '%s' (line %d); only one account can "
			    "be the default"), cfg->accounts[j].id,
			    cfg->accounts[j].line);
			config_account_clear(&l->acct);
			return fail_at(l, l->acct_lines[i], e);
		}
	}
	cfg->accounts = xreallocarray(cfg->accounts, cfg->naccounts + 1,
	    sizeof *cfg->accounts);
	cfg->accounts[cfg->naccounts++] = l->acct;
	config_account_init(&l->acct);
	return 0;
}

static int
start_section(struct load *l, struct cfg_line *cl, struct err *e)
{
	const char	*why;
	enum section	 s;
	size_t		 i;

	if (finish_account(l, e) != 0)
		return -1;
	for (s = SEC_GENERAL; s < SEC_COUNT; s++) {
		if (strcmp(cl->section, section_names[s]) == 0)
			break;
	}
	if (s == SEC_COUNT)
		return fail(l, e, _("unknown section [%s]; expected [general], "
		    "[colors], [keys] or [account NAME]"), cl->section);
	if (s != SEC_ACCOUNT && cl->arg != NULL)
		return fail(l, e, _("[%s] takes no name"), cl->section);
	if (s != SEC_ACCOUNT && l->sec_line[s] > 0)
		return fail(l, e, _("duplicate section [%s] (first at line "
		    "%d)"), cl->section, l->sec_line[s]);
	if (l->sec_line[s] == 0)
		l->sec_line[s] = l->lineno;
	l->sec = s;
	if (s != SEC_ACCOUNT)
		return 0;
	if (cl->arg == NULL || !cfg_valid_account_name(cl->arg, &why))
		return fail(l, e, "%s", _(cl->arg == NULL ?
		    N_("an account needs a name: [account NAME]") : why));
	for (i = 0; i < l->cfg->naccounts; i++) {
		if (strcmp(l->cfg->accounts[i].id, cl->arg) == 0)
			return fail(l, e, _("duplicate account '%s' (first at "
			    "line %d)"), cl->arg, l->cfg->accounts[i].line);
	}
	config_account_init(&l->acct);
	l->acct.id = xstrdup(cl->arg);
	l->acct.line = l->lineno;
	l->in_acct = true;
	memset(l->acct_lines, 0, sizeof l->acct_lines);
	return 0;
}

/* A key of a table-driven section. */
static int
set_key(struct load *l, const struct cfg_key *keys, size_t n, int *lines,
    void *obj, const char *section, struct cfg_line *cl, struct err *e)
{
	char	*warn = NULL;
	int	 i;

	i = cfg_key_index(keys, n, cl->key);
	if (i < 0) {
		cfg_unknown_key(e, keys, n, section, cl->key);
		return fail_at(l, l->lineno, e);
	}
	if (lines[i] > 0)
		return fail(l, e, _("duplicate key '%s' (first at line %d)"),
		    cl->key, lines[i]);
	lines[i] = l->lineno;
	if (keys[i].set(obj, &keys[i], cl->value, &warn, e) != 0)
		return fail_at(l, l->lineno, e);
	if (warn != NULL) {
		add_warning(l, l->lineno, "%s", warn);
		free(warn);
	}
	return 0;
}

static int
set_free(struct load *l, struct config_kv **kvs, size_t *n,
    struct cfg_line *cl, struct err *e)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*kvs)[i].key, cl->key) == 0)
			return fail(l, e, _("duplicate key '%s' (first at "
			    "line %d)"), cl->key, (*kvs)[i].line);
	}
	*kvs = xreallocarray(*kvs, *n + 1, sizeof **kvs);
	(*kvs)[*n].key = xstrdup(cl->key);
	(*kvs)[*n].value = xstrdup(cl->value);
	(*kvs)[*n].line = l->lineno;
	(*n)++;
	return 0;
}

static int
set_value(struct load *l, struct cfg_line *cl, struct err *e)
{
	struct config	*cfg = l->cfg;

	switch (l->sec) {
	case SEC_NONE:
	case SEC_COUNT:
		break;
	case SEC_GENERAL:
		return set_key(l, cfg_general_keys, cfg_ngeneral_keys,
		    l->general_lines, &cfg->general, "general", cl, e);
	case SEC_ACCOUNT: {
		char	*label = xasprintf("account %s", l->acct.id);
		int	 rc;

		rc = set_key(l, cfg_account_keys, cfg_naccount_keys,
		    l->acct_lines, &l->acct, label, cl, e);
		free(label);
		return rc;
	}
	case SEC_COLORS:
		return set_free(l, &cfg->colors, &cfg->ncolors, cl, e);
	case SEC_KEYS:
		return set_free(l, &cfg->keys, &cfg->nkeys, cl, e);
	}
	return fail(l, e, _("'%s' is outside any section; put it under "
	    "[general] or [account NAME]"), cl->key);
}

static int
load_line(struct load *l, const char *line, size_t len, struct err *e)
{
	struct cfg_line	 cl;
	const char	*why;
	bool		 free_keys;
	int		 rc;

	if (len > CFG_MAX_LINE)
		return fail(l, e, _("line longer than %d bytes"), CFG_MAX_LINE);
	if (!utf8_valid(line, len))
		return fail(l, e, _("not valid UTF-8"));
	free_keys = l->sec == SEC_COLORS || l->sec == SEC_KEYS;
	if (cfg_lex_line(line, len, free_keys, &cl, &why) != 0)
		return fail(l, e, "%s", _(why));
	switch (cl.kind) {
	case CFG_LINE_BLANK:
		rc = 0;
		break;
	case CFG_LINE_SECTION:
		rc = start_section(l, &cl, e);
		break;
	case CFG_LINE_KV:
	default:
		rc = set_value(l, &cl, e);
		break;
	}
	cfg_line_clear(&cl);
	return rc;
}

int
cfg_load_buffer(const char *path, const char *data, size_t len,
    struct config *cfg, struct err *e)
{
	struct load	 l;
	const char	*p = data, *end = data + len, *nl;
	int		 rc = 0;

	config_init(cfg);
	cfg->path = xstrdup(path);
	memset(&l, 0, sizeof l);
	l.path = path;
	l.cfg = cfg;
	config_account_init(&l.acct);
	if (memchr(data, '\0', len) != NULL) {
		err_set(e, ERR_CONFIG, _("%s: contains a NUL byte; is this a "
		    "text file?"), path);
		return -1;
	}
	while (p < end && rc == 0) {
		l.lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		rc = load_line(&l, p, (size_t)(nl - p), e);
		p = nl + 1;
	}
	if (rc == 0)
		rc = finish_account(&l, e);
	config_account_clear(&l.acct);
	return rc;
}

static void
warn_permissions(struct load *l, const struct stat *st)
{
	const struct config	*cfg = l->cfg;
	size_t			 i;

	if ((st->st_mode & 077) == 0)
		return;
	for (i = 0; i < cfg->naccounts; i++) {
		if (cfg->accounts[i].password == NULL)
			continue;
		add_warning(l, cfg->accounts[i].line, _("account '%s' has a "
		    "clear-text password and the file can be read by other "
		    "users; run 'chmod 600 %s' or use password_cmd"),
		    cfg->accounts[i].id, l->path);
	}
}

int
config_load(const char *path, struct config *cfg, struct err *e)
{
	struct buf	data = BUF_INIT;
	struct load	l;
	struct stat	st;
	int		rc;

	config_init(cfg);
	if (cfg_read_file(path, &data, e) != 0)
		return -1;
	config_free(cfg);
	rc = cfg_load_buffer(path, buf_cstr(&data), data.len, cfg, e);
	cfg_buf_wipe(&data);
	if (rc == 0 && stat(path, &st) == 0) {
		memset(&l, 0, sizeof l);
		l.path = path;
		l.cfg = cfg;
		warn_permissions(&l, &st);
	}
	return rc;
}

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg_general_init(&cfg->general);
}

static void
free_kvs(struct config_kv **kvs, size_t *n)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		xfree(&(*kvs)[i].key);
		xfree(&(*kvs)[i].value);
	}
	xfree(kvs);
	*n = 0;
}

void
config_free(struct config *cfg)
{
	size_t	i;

	xfree(&cfg->path);
	cfg_general_clear(&cfg->general);
	for (i = 0; i < cfg->naccounts; i++)
		config_account_clear(&cfg->accounts[i]);
	xfree(&cfg->accounts);
	cfg->naccounts = 0;
	free_kvs(&cfg->colors, &cfg->ncolors);
	free_kvs(&cfg->keys, &cfg->nkeys);
	for (i = 0; i < cfg->nwarnings; i++)
		xfree(&cfg->warnings[i]);
	xfree(&cfg->warnings);
	memset(cfg, 0, sizeof *cfg);
}

const struct config_account *
config_account_find(const struct config *cfg, const char *id)
{
	size_t	i;

	for (i = 0; i < cfg->naccounts; i++) {
		if (strcmp(cfg->accounts[i].id, id) == 0)
			return &cfg->accounts[i];
	}
	return NULL;
}

const struct config_account *
config_default_account(const struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->naccounts; i++) {
		if (cfg->accounts[i].is_default)
			return &cfg->accounts[i];
	}
	return cfg->naccounts > 0 ? &cfg->accounts[0] : NULL;
}
