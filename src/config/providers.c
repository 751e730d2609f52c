/*
 * Provider presets for the setup wizard: well-known domains and their
 * servers (from the providers' own help pages), an optional table from
 * $SURAT_PROVIDERS_FILE for tests, and plain guesses for other domains.
 */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "config/config.h"
#include "config/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define GMAIL(d) { d, "Gmail", "imaps://imap.gmail.com:993", \
	"pop3s://pop.gmail.com:995", "smtps://smtp.gmail.com:465", \
	"smtp+starttls://smtp.gmail.com:587", \
	N_("Use an app password (Google account, Security, App " \
	"passwords); enable IMAP or POP in the Gmail settings if it is off.") }
#define OUTLOOK(d) { d, "Outlook.com", \
	"imaps://outlook.office365.com:993", \
	"pop3s://outlook.office365.com:995", \
	"smtp+starttls://smtp.office365.com:587", NULL, \
	N_("Microsoft may accept only OAuth2 sign-in (auth = xoauth2 with " \
	"oauth_token_cmd); POP must be enabled in the Outlook.com " \
	"settings.") }
#define YAHOO(d) { d, "Yahoo Mail", "imaps://imap.mail.yahoo.com:993", \
	"pop3s://pop.mail.yahoo.com:995", \
	"smtps://smtp.mail.yahoo.com:465", \
	"smtp+starttls://smtp.mail.yahoo.com:587", \
	N_("Use an app password generated in the Yahoo account security " \
	"settings.") }
#define ICLOUD(d) { d, "iCloud Mail", "imaps://imap.mail.me.com:993", \
	NULL, "smtp+starttls://smtp.mail.me.com:587", NULL, \
	N_("Use an app-specific password (appleid.apple.com).  iCloud " \
	"offers no POP.  The IMAP user name is usually the part of the " \
	"address before the @.") }
#define FASTMAIL(d) { d, "Fastmail", "imaps://imap.fastmail.com:993", \
	"pop3s://pop.fastmail.com:995", "smtps://smtp.fastmail.com:465", \
	"smtp+starttls://smtp.fastmail.com:587", \
	N_("Use an app password (Settings, Privacy & Security).") }
#define ZOHO(d) { d, "Zoho Mail", "imaps://imap.zoho.com:993", \
	"pop3s://pop.zoho.com:995", "smtps://smtp.zoho.com:465", \
	"smtp+starttls://smtp.zoho.com:587", \
	N_("Enable IMAP or POP access in the Zoho Mail settings.  Accounts " \
	"kept in the EU or India use imap.zoho.eu or imap.zoho.in " \
	"instead.") }
#define GMX(d, imap, pop, smtp) { d, "GMX", imap, pop, smtp, NULL, \
	N_("Enable POP3 and IMAP access in the GMX settings first.") }
#define AOL(d) { d, "AOL Mail", "imaps://imap.aol.com:993", \
	"pop3s://pop.aol.com:995", "smtps://smtp.aol.com:465", NULL, \
	N_("Use an app password generated in the AOL account security " \
	"settings.") }
#define YANDEX(d, imap, pop, smtp) { d, "Yandex Mail", imap, pop, smtp, \
	NULL, N_("Allow access by mail clients in the Yandex Mail settings " \
	"and use an app password.") }
#define MAILRU(d) { d, "Mail.ru", "imaps://imap.mail.ru:993", \
	"pop3s://pop.mail.ru:995", "smtps://smtp.mail.ru:465", NULL, \
	N_("Use a password for external applications (Mail.ru security " \
	"settings).") }
#define PROTON(d) { d, "Proton Mail Bridge", \
	"imap+starttls://127.0.0.1:1143", NULL, \
	"smtp+starttls://127.0.0.1:1025", NULL, \
	N_("Needs Proton Mail Bridge running on this computer; use the " \
	"user name and password Bridge shows.  Bridge uses its own " \
	"certificate: export it and set ca_file, or pin it.") }

static const struct config_provider builtin[] = {
	GMAIL("gmail.com"),
	GMAIL("googlemail.com"),
	OUTLOOK("outlook.com"),
	OUTLOOK("hotmail.com"),
	OUTLOOK("live.com"),
	OUTLOOK("msn.com"),
	YAHOO("yahoo.com"),
	YAHOO("ymail.com"),
	YAHOO("rocketmail.com"),
	YAHOO("yahoo.co.id"),
	ICLOUD("icloud.com"),
	ICLOUD("me.com"),
	ICLOUD("mac.com"),
	FASTMAIL("fastmail.com"),
	FASTMAIL("fastmail.fm"),
	ZOHO("zoho.com"),
	ZOHO("zohomail.com"),
	GMX("gmx.com", "imaps://imap.gmx.com:993", "pop3s://pop.gmx.com:995",
	    "smtp+starttls://mail.gmx.com:587"),
	GMX("gmx.net", "imaps://imap.gmx.net:993", "pop3s://pop.gmx.net:995",
	    "smtp+starttls://mail.gmx.net:587"),
	GMX("gmx.de", "imaps://imap.gmx.net:993", "pop3s://pop.gmx.net:995",
	    "smtp+starttls://mail.gmx.net:587"),
	AOL("aol.com"),
	YANDEX("yandex.com", "imaps://imap.yandex.com:993",
	    "pop3s://pop.yandex.com:995", "smtps://smtp.yandex.com:465"),
	YANDEX("yandex.ru", "imaps://imap.yandex.ru:993",
	    "pop3s://pop.yandex.ru:995", "smtps://smtp.yandex.ru:465"),
	YANDEX("ya.ru", "imaps://imap.yandex.ru:993",
	    "pop3s://pop.yandex.ru:995", "smtps://smtp.yandex.ru:465"),
	MAILRU("mail.ru"),
	MAILRU("inbox.ru"),
	MAILRU("list.ru"),
	MAILRU("bk.ru"),
	PROTON("proton.me"),
	PROTON("protonmail.com"),
	PROTON("protonmail.ch"),
	PROTON("pm.me"),
};

/*
 * Tables read from $SURAT_PROVIDERS_FILE.  A changed file (path, size or
 * time) gives a new table; old ones stay, since callers may still hold
 * pointers into them.
 */
struct extra {
	char			*path;
	off_t			 size;
	struct timespec		 mtime;
	struct config_provider	*v;
	size_t			 n;
	struct extra		*next;
};

static pthread_mutex_t	 extra_lock = PTHREAD_MUTEX_INITIALIZER;
static struct extra	*extras;

static const char *
field(char **pp)
{
	char	*p = *pp, *start;

	while (*p == ' ' || *p == '\t')
		p++;
	start = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return start;
}

static const char *
url_or_null(const char *f, bool incoming, const char *path, int line)
{
	struct config_server	srv;
	struct err		e;

	if (*f == '\0' || strcmp(f, "-") == 0)
		return NULL;
	if (config_server_parse(f, incoming, &srv, &e) != 0) {
		log_warn("%s:%d: %s", path, line, e.msg);
		return NULL;
	}
	config_server_clear(&srv);
	return xstrdup(f);
}

static void
extra_parse_line(struct extra *x, char *line, int lineno)
{
	struct config_provider	*p;
	const char		*dom, *imap, *pop, *smtp;
	char			*s = line, *note, *d;

	dom = field(&s);
	if (*dom == '\0' || *dom == '#')
		return;
	imap = field(&s);
	pop = field(&s);
	smtp = field(&s);
	note = str_trim(s);
	x->v = xreallocarray(x->v, x->n + 1, sizeof *x->v);
	p = &x->v[x->n++];
	memset(p, 0, sizeof *p);
	d = xstrdup(dom);
	str_lower(d);
	p->domain = d;
	p->name = xstrdup(dom);
	p->imap_url = url_or_null(imap, true, x->path, lineno);
	p->pop3_url = url_or_null(pop, true, x->path, lineno);
	p->smtp_url = url_or_null(smtp, false, x->path, lineno);
	p->note = *note != '\0' ? xstrdup(note) : NULL;
}

static struct extra *
extra_load(const char *path, const struct stat *st)
{
	struct extra	*x;
	FILE		*fp;
	char		 line[2048];
	int		 lineno = 0;

	x = xcalloc(1, sizeof *x);
	x->path = xstrdup(path);
	x->size = st->st_size;
	x->mtime = st->st_mtim;
	if ((fp = fopen(path, "re")) != NULL) {
		while (fgets(line, sizeof line, fp) != NULL)
			extra_parse_line(x, line, ++lineno);
		fclose(fp);
	}
	x->next = extras;
	extras = x;
	return x;
}

static const struct config_provider *
extra_lookup(const char *domain)
{
	const char	*path;
	struct extra	*x;
	struct stat	 st;
	size_t		 i;

	path = getenv("SURAT_PROVIDERS_FILE");
	if (path == NULL || *path == '\0' || stat(path, &st) != 0)
		return NULL;
	pthread_mutex_lock(&extra_lock);
	for (x = extras; x != NULL; x = x->next) {
		if (strcmp(x->path, path) == 0 && x->size == st.st_size &&
		    x->mtime.tv_sec == st.st_mtim.tv_sec &&
		    x->mtime.tv_nsec == st.st_mtim.tv_nsec)
			break;
	}
	if (x == NULL)
		x = extra_load(path, &st);
	pthread_mutex_unlock(&extra_lock);
	for (i = 0; i < x->n; i++) {
		if (strcasecmp(x->v[i].domain, domain) == 0)
			return &x->v[i];
	}
	return NULL;
}

/* The domain of an address (or the argument itself), lower case. */
static char *
domain_of(const char *email)
{
	const char	*at;
	char		*d, *t;

	at = strrchr(email, '@');
	d = xstrdup(at != NULL ? at + 1 : email);
	t = str_trim(d);
	memmove(d, t, strlen(t) + 1);
	while (*d != '\0' && d[strlen(d) - 1] == '.')
		d[strlen(d) - 1] = '\0';
	str_lower(d);
	if (*d == '\0' || strpbrk(d, " \t/:@") != NULL)
		xfree(&d);
	return d;
}

const struct config_provider *
config_provider_lookup(const char *email)
{
	const struct config_provider	*p;
	char				*d;
	size_t				 i;

	if ((d = domain_of(email)) == NULL)
		return NULL;
	p = extra_lookup(d);
	for (i = 0; p == NULL && i < sizeof builtin / sizeof builtin[0]; i++) {
		if (strcmp(builtin[i].domain, d) == 0)
			p = &builtin[i];
	}
	free(d);
	return p;
}

size_t
config_guess_servers(const char *email, struct config_guess **list_r)
{
	static const struct {
		enum config_protocol	 proto;
		enum net_security	 sec;
		const char		*prefix;
	} order[] = {
		/* Implicit TLS first (RFC 8314), then STARTTLS. */
		{ CONFIG_PROTO_IMAP, NET_SECURITY_TLS, "imap." },
		{ CONFIG_PROTO_IMAP, NET_SECURITY_TLS, "mail." },
		{ CONFIG_PROTO_IMAP, NET_SECURITY_STARTTLS, "imap." },
		{ CONFIG_PROTO_IMAP, NET_SECURITY_STARTTLS, "mail." },
		{ CONFIG_PROTO_POP3, NET_SECURITY_TLS, "pop." },
		{ CONFIG_PROTO_POP3, NET_SECURITY_TLS, "mail." },
		{ CONFIG_PROTO_POP3, NET_SECURITY_STARTTLS, "pop." },
		{ CONFIG_PROTO_POP3, NET_SECURITY_STARTTLS, "mail." },
		{ CONFIG_PROTO_SMTP, NET_SECURITY_TLS, "smtp." },
		{ CONFIG_PROTO_SMTP, NET_SECURITY_TLS, "mail." },
		{ CONFIG_PROTO_SMTP, NET_SECURITY_STARTTLS, "smtp." },
		{ CONFIG_PROTO_SMTP, NET_SECURITY_STARTTLS, "mail." },
	};
	struct config_guess	*list;
	char			*d;
	size_t			 i, n = sizeof order / sizeof order[0];

	*list_r = NULL;
	if (strchr(email, '@') == NULL || (d = domain_of(email)) == NULL)
		return 0;
	list = xcalloc(n, sizeof *list);
	for (i = 0; i < n; i++) {
		list[i].protocol = order[i].proto;
		list[i].security = order[i].sec;
		list[i].host = xasprintf("%s%s", order[i].prefix, d);
		list[i].port = config_default_port(order[i].proto,
		    order[i].sec);
	}
	free(d);
	*list_r = list;
	return n;
}

void
config_guess_free(struct config_guess **list, size_t n)
{
	size_t	i;

	if (*list == NULL)
		return;
	for (i = 0; i < n; i++)
		xfree(&(*list)[i].host);
	xfree(list);
}
