/*
 * The account setup wizard: who you are, which servers (proposed from the
 * provider table, DNS SRV records or probing), a real login test of both
 * sides, and the account written to the configuration file.
 */
#include <config.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "ui/form.h"
#include "ui/wizard.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* Fields of the first screen. */
enum { F_NAME, F_EMAIL, F_PASSWORD, F_PASSWORD_CMD, F_WHO_COUNT };

/* Fields of the server screen. */
enum {
	S_PROTO, S_HOST, S_PORT, S_SECURITY, S_USER, S_POLICY, S_DAYS,
	S_SMTP_HOST, S_SMTP_PORT, S_SMTP_SECURITY, S_SMTP_AUTH, S_TIMEOUT,
	S_PREFETCH, S_RECENT, S_PREFETCH_DAYS, S_CA_FILE, S_COUNT
};

static const char *const protocols[] = { "IMAP", "POP3", NULL };
static const char *const securities[] = { "TLS", "STARTTLS", NULL };
static const char *const policies[] = {
	"keep", "delete", "keep-days", "keep-until-deleted", NULL
};
static const char *const auths[] = { "auto", "plain", "login", NULL };
/* In the order of enum config_prefetch. */
static const char *const prefetches[] = {
	"none", "recent", "all", "days", NULL
};

struct wizard {
	const struct ui_wizard	*opts;
	struct form_field	 who[F_WHO_COUNT];
	struct form_field	 srv[S_COUNT];
	struct form		 who_form, srv_form;
	char			 proposed_for[FORM_VALUE_MAX];
	char			*provider_note;	/* translated, or NULL */
	/* What the port fields were made for, to follow changes. */
	int			 last_proto, last_sec, last_smtp_sec;
	char			*pin;		/* chosen by the user */
	bool			 warned_timeout;
};

static void
field(struct form_field *f, const char *label, enum form_kind kind,
    const char *const *choices, const char *hint)
{
	memset(f, 0, sizeof *f);
	f->label = label;
	f->kind = kind;
	f->choices = choices;
	f->hint = hint;
}

static void
setup_fields(struct wizard *w)
{
	field(&w->who[F_NAME], _("Your name"), FORM_TEXT, NULL,
	    _("Shown to the people you write to, e.g. Budi Santoso."));
	field(&w->who[F_EMAIL], _("Email address"), FORM_TEXT, NULL, NULL);
	field(&w->who[F_PASSWORD], _("Password"), FORM_SECRET, NULL,
	    _("Used for the test now.  It is saved only if you agree; "
	    "otherwise surat asks for it when it starts."));
	field(&w->who[F_PASSWORD_CMD], _("or password command"), FORM_TEXT,
	    NULL, _("A command that prints the password, such as "
	    "'pass show mail/work'.  Safer than saving the password."));

	field(&w->srv[S_PROTO], _("Incoming protocol"), FORM_CHOICE,
	    protocols, _("IMAP keeps mail on the server and in step on "
	    "every device; POP3 downloads it to this computer."));
	field(&w->srv[S_HOST], _("Incoming server"), FORM_TEXT, NULL, NULL);
	field(&w->srv[S_PORT], _("Port"), FORM_NUMBER, NULL, NULL);
	field(&w->srv[S_SECURITY], _("Security"), FORM_CHOICE, securities,
	    _("TLS encrypts from the first byte (ports 993, 995, 465); "
	    "STARTTLS upgrades a plain connection (143, 110, 587)."));
	field(&w->srv[S_USER], _("User name"), FORM_TEXT, NULL,
	    _("Often the whole email address."));
	field(&w->srv[S_POLICY], _("Leave mail on the server"), FORM_CHOICE,
	    policies, _("keep: never delete on the server; delete: after "
	    "downloading; keep-days: delete after N days; keep-until-deleted: "
	    "delete on the server when you delete it here."));
	field(&w->srv[S_DAYS], _("Days to keep"), FORM_NUMBER, NULL, NULL);
	field(&w->srv[S_SMTP_HOST], _("Outgoing (SMTP) server"), FORM_TEXT,
	    NULL, NULL);
	field(&w->srv[S_SMTP_PORT], _("Port"), FORM_NUMBER, NULL, NULL);
	field(&w->srv[S_SMTP_SECURITY], _("Security"), FORM_CHOICE,
	    securities, NULL);
	field(&w->srv[S_SMTP_AUTH], _("Authentication"), FORM_CHOICE, auths,
	    _("auto picks the best method the server offers."));
	field(&w->srv[S_TIMEOUT], _("Server timeout (seconds)"), FORM_NUMBER,
	    NULL, _("How long to wait for a silent server; 300 (5 minutes) "
	    "suits slow links and large messages."));
	field(&w->srv[S_PREFETCH], _("Download for offline reading"),
	    FORM_CHOICE, prefetches, _("none: bodies when you open them; "
	    "recent: the newest N messages of each folder; all: everything; "
	    "days: the mail of the last N days."));
	field(&w->srv[S_RECENT], _("Newest messages"), FORM_NUMBER, NULL,
	    NULL);
	field(&w->srv[S_PREFETCH_DAYS], _("Days of mail"), FORM_NUMBER, NULL,
	    NULL);
	field(&w->srv[S_CA_FILE], _("Extra CA file (optional)"), FORM_TEXT,
	    NULL, _("Only for servers with a certificate from your own "
	    "authority; leave empty otherwise."));
	form_set(&w->srv[S_DAYS], "30");
	form_set(&w->srv[S_TIMEOUT], "300");
	form_set(&w->srv[S_RECENT], "100");
	form_set(&w->srv[S_PREFETCH_DAYS], "30");
	form_set(&w->srv[S_PREFETCH], "recent");

	w->who_form.title = _("Set up a mail account (1 of 3): who you are");
	w->who_form.fields = w->who;
	w->who_form.nfields = F_WHO_COUNT;
	w->srv_form.title = _("Set up a mail account (2 of 3): servers");
	w->srv_form.fields = w->srv;
	w->srv_form.nfields = S_COUNT;
}

static enum config_protocol
chosen_protocol(const struct wizard *w)
{
	return w->srv[S_PROTO].choice == 1 ? CONFIG_PROTO_POP3 :
	    CONFIG_PROTO_IMAP;
}

static enum net_security
security_of(const struct form_field *f)
{
	return f->choice == 1 ? NET_SECURITY_STARTTLS : NET_SECURITY_TLS;
}

static void
set_port(struct form_field *f, uint16_t port)
{
	char	num[8];

	snprintf(num, sizeof num, "%u", port);
	form_set(f, num);
}

/*
 * Keep dependent fields in step: POP3-only fields show only for POP3, and
 * a port still at the old default follows a change of protocol or
 * security (a port the user typed stays).
 */
static void
servers_changed(struct form *form, void *arg)
{
	struct wizard		*w = arg;
	enum config_protocol	 proto = chosen_protocol(w);
	int			 sec = w->srv[S_SECURITY].choice;
	int			 smtp_sec = w->srv[S_SMTP_SECURITY].choice;
	char			 old[8];

	(void)form;
	w->srv[S_POLICY].hidden = proto != CONFIG_PROTO_POP3;
	w->srv[S_DAYS].hidden = proto != CONFIG_PROTO_POP3 ||
	    w->srv[S_POLICY].choice != 2;
	w->srv[S_RECENT].hidden =
	    w->srv[S_PREFETCH].choice != CONFIG_PREFETCH_RECENT;
	w->srv[S_PREFETCH_DAYS].hidden =
	    w->srv[S_PREFETCH].choice != CONFIG_PREFETCH_DAYS;
	if ((int)proto != w->last_proto || sec != w->last_sec) {
		snprintf(old, sizeof old, "%u", config_default_port(
		    (enum config_protocol)w->last_proto,
		    w->last_sec == 1 ? NET_SECURITY_STARTTLS :
		    NET_SECURITY_TLS));
		if (strcmp(w->srv[S_PORT].value, old) == 0 ||
		    w->srv[S_PORT].value[0] == '\0')
			set_port(&w->srv[S_PORT], config_default_port(proto,
			    security_of(&w->srv[S_SECURITY])));
	}
	if (smtp_sec != w->last_smtp_sec) {
		snprintf(old, sizeof old, "%u", config_default_port(
		    CONFIG_PROTO_SMTP, w->last_smtp_sec == 1 ?
		    NET_SECURITY_STARTTLS : NET_SECURITY_TLS));
		if (strcmp(w->srv[S_SMTP_PORT].value, old) == 0 ||
		    w->srv[S_SMTP_PORT].value[0] == '\0')
			set_port(&w->srv[S_SMTP_PORT], config_default_port(
			    CONFIG_PROTO_SMTP,
			    security_of(&w->srv[S_SMTP_SECURITY])));
	}
	w->last_proto = (int)proto;
	w->last_sec = sec;
	w->last_smtp_sec = smtp_sec;
}

/* Fill the incoming or outgoing fields from one server. */
static void
use_server(struct wizard *w, enum config_protocol proto,
    enum net_security sec, const char *host, uint16_t port)
{
	if (proto == CONFIG_PROTO_SMTP) {
		form_set(&w->srv[S_SMTP_HOST], host);
		w->srv[S_SMTP_SECURITY].choice =
		    sec == NET_SECURITY_STARTTLS ? 1 : 0;
		set_port(&w->srv[S_SMTP_PORT], port);
		w->last_smtp_sec = w->srv[S_SMTP_SECURITY].choice;
		return;
	}
	w->srv[S_PROTO].choice = proto == CONFIG_PROTO_POP3 ? 1 : 0;
	form_set(&w->srv[S_HOST], host);
	w->srv[S_SECURITY].choice = sec == NET_SECURITY_STARTTLS ? 1 : 0;
	set_port(&w->srv[S_PORT], port);
	w->last_proto = (int)proto;
	w->last_sec = w->srv[S_SECURITY].choice;
}

static bool
use_url(struct wizard *w, const char *url, bool incoming)
{
	struct config_server	s;
	struct err		e;

	if (url == NULL || config_server_parse(url, incoming, &s, &e) == -1)
		return false;
	use_server(w, s.protocol, s.security, s.host, s.port);
	config_server_clear(&s);
	return true;
}

static bool
propose_from_preset(struct wizard *w, const char *email)
{
	const struct config_provider *p = config_provider_lookup(email);

	if (p == NULL)
		return false;
	if (!use_url(w, p->imap_url, true))
		use_url(w, p->pop3_url, true);
	use_url(w, p->smtp_url, false);
	xfree(&w->provider_note);
	w->provider_note = xasprintf("%s: %s", p->name,
	    p->note != NULL ? _(p->note) : _("settings known to surat."));
	return true;
}

/* The first candidate of each kind from a list; true if any was used. */
static bool
use_first(struct wizard *w, const struct config_guess *g, size_t n,
    bool probe, const struct config_probe_opts *po)
{
	bool	have_in = false, have_out = false;
	size_t	i;

	for (i = 0; i < n && !(have_in && have_out); i++) {
		bool	out = g[i].protocol == CONFIG_PROTO_SMTP;
		struct err e;

		if ((out && have_out) || (!out && have_in))
			continue;
		if (probe) {
			/* Any key skips the rest of the probing. */
			nodelay(stdscr, TRUE);
			if (getch() != ERR) {
				nodelay(stdscr, FALSE);
				break;
			}
			nodelay(stdscr, FALSE);
			mvprintw(LINES - 2, 1, "%-*.*s", COLS - 2, COLS - 2, "");
			mvprintw(LINES - 2, 1, _("Trying %s:%u..."),
			    g[i].host, g[i].port);
			refresh();
			if (config_probe(&g[i], po, NULL, &e) == -1)
				continue;
		}
		use_server(w, g[i].protocol, g[i].security, g[i].host,
		    g[i].port);
		if (out)
			have_out = true;
		else
			have_in = true;
	}
	return have_in || have_out;
}

static void
propose_by_search(struct wizard *w, const char *email)
{
	struct config_probe_opts po = { 3000, NULL, NULL, false };
	struct config_guess	*g;
	size_t			 n;
	bool			 found = false;

	erase();
	mvprintw(1, 1, _("Looking for the servers of %s..."), email);
	mvaddstr(3, 1, _("Press any key to skip and type them in yourself."));
	refresh();
	n = config_srv_servers(email, &g);
	if (n > 0) {
		found = use_first(w, g, n, false, &po);
		xfree(&w->provider_note);
		w->provider_note = xstrdup(
		    _("Found in the domain's DNS records (RFC 6186)."));
	}
	config_guess_free(&g, n);
	if (found)
		return;
	n = config_guess_servers(email, &g);
	if (use_first(w, g, n, true, &po)) {
		xfree(&w->provider_note);
		w->provider_note = xstrdup(
		    _("These servers answered; check them before going on."));
	}
	config_guess_free(&g, n);
}

/* Sensible starting values for a new address. */
static void
propose_servers(struct wizard *w)
{
	const char	*email = w->who[F_EMAIL].value;
	const char	*at = strrchr(email, '@');
	struct config_guess *g;
	size_t		 n;

	if (strcmp(w->proposed_for, email) == 0)
		return;
	snprintf(w->proposed_for, sizeof w->proposed_for, "%s", email);
	form_set(&w->srv[S_USER], email);
	xfree(&w->provider_note);
	if (propose_from_preset(w, email))
		return;
	/* Plain guesses first, so skipping the search still fills in. */
	n = config_guess_servers(email, &g);
	use_first(w, g, n, false, NULL);
	config_guess_free(&g, n);
	if (w->opts->probe && at != NULL)
		propose_by_search(w, email);
}

static bool
check_identity(struct wizard *w)
{
	const char	*email = w->who[F_EMAIL].value;
	const char	*at = strchr(email, '@');

	if (at == NULL || at == email || at[1] == '\0' ||
	    strchr(at + 1, '.') == NULL || strpbrk(email, " <>\"") != NULL) {
		form_message(&w->who_form, true,
		    _("Type an address such as budi@example.com."));
		form_focus(&w->who_form, F_EMAIL);
		return false;
	}
	return true;
}

/* An id for [account NAME]: the domain's first label, made unique. */
static char *
account_id(const struct wizard *w, const struct config *existing)
{
	const char	*at = strrchr(w->who[F_EMAIL].value, '@');
	char		*base, *id, *dot;
	int		 i;

	if (w->opts->edit != NULL)
		return xstrdup(w->opts->edit->id);
	base = xstrdup(at != NULL ? at + 1 : "mail");
	if ((dot = strchr(base, '.')) != NULL)
		*dot = '\0';
	id = xstrdup(base);
	for (i = 2; existing != NULL &&
	    config_account_find(existing, id) != NULL; i++) {
		free(id);
		id = xasprintf("%s-%d", base, i);
	}
	free(base);
	return id;
}

static void
set_string(char **dst, const char *v)
{
	xfree(dst);
	if (v != NULL && v[0] != '\0')
		*dst = xstrdup(v);
}

static int
build_server(struct config_server *s, enum config_protocol proto,
    const struct form_field *host, const struct form_field *port,
    const struct form_field *sec)
{
	config_server_clear(s);
	s->protocol = proto;
	s->security = security_of(sec);
	s->host = xstrdup(host->value);
	s->port = (uint16_t)atoi(port->value);
	return s->host[0] != '\0' && s->port != 0 ? 0 : -1;
}

/* The account as the fields describe it; -1 with a message on the form. */
static int
build_account(struct wizard *w, struct config_account *a, char *id)
{
	struct err	e;

	config_account_init(a);
	a->id = id;
	set_string(&a->name, w->who[F_NAME].value);
	set_string(&a->email, w->who[F_EMAIL].value);
	set_string(&a->password_cmd, w->who[F_PASSWORD_CMD].value);
	set_string(&a->user, w->srv[S_USER].value);
	set_string(&a->ca_file, w->srv[S_CA_FILE].value);
	set_string(&a->pin, w->pin);
	if (build_server(&a->incoming, chosen_protocol(w), &w->srv[S_HOST],
	    &w->srv[S_PORT], &w->srv[S_SECURITY]) == -1 ||
	    build_server(&a->outgoing, CONFIG_PROTO_SMTP,
	    &w->srv[S_SMTP_HOST], &w->srv[S_SMTP_PORT],
	    &w->srv[S_SMTP_SECURITY]) == -1) {
		form_message(&w->srv_form, true,
		    _("Each server needs a host name and a port."));
		return -1;
	}
	a->pop3_policy = (enum config_pop3_policy)w->srv[S_POLICY].choice;
	a->pop3_keep_days = (unsigned)atoi(w->srv[S_DAYS].value);
	a->auth = (enum config_auth)w->srv[S_SMTP_AUTH].choice;
	a->timeout = (unsigned)atoi(w->srv[S_TIMEOUT].value);
	a->prefetch = (enum config_prefetch)w->srv[S_PREFETCH].choice;
	a->prefetch_recent = (unsigned)atoi(w->srv[S_RECENT].value);
	a->prefetch_days = (unsigned)atoi(w->srv[S_PREFETCH_DAYS].value);
	if (a->incoming.protocol != CONFIG_PROTO_POP3)
		a->pop3_policy = CONFIG_POP3_KEEP;
	if (config_account_check(a, &e) == -1) {
		form_message(&w->srv_form, true, "%s", e.msg);
		return -1;
	}
	return 0;
}

/* Show one test result line under the others. */
static void
report(int *row, const char *what, const char *result)
{
	char	*safe = sanitize_str(result, 0);

	mvprintw((*row)++, 1, "%s: %s", what, safe);
	free(safe);
	refresh();
}

/*
 * A certificate that did not verify: show it and let the user pin it.
 * Only an explicit yes pins; anything else keeps refusing.
 */
static bool
offer_pin(struct wizard *w, const struct net_cert_info *cert,
    const char *problem)
{
	struct buf	 b = BUF_INIT;
	char		*subject = sanitize_str(cert->subject, 0);
	char		*issuer = sanitize_str(cert->issuer, 0);
	char		*why = sanitize_str(problem, 0);
	bool		 yes;

	buf_addf(&b, _("The server's certificate was not accepted:\n%s\n\n"),
	    why);
	buf_addf(&b, _("Subject: %s\nIssuer: %s\nFingerprint: %s\n\n"),
	    subject, issuer, cert->fingerprint);
	buf_adds(&b, _("Pin it only if you know this is your server's "
	    "certificate (for example, you compared the fingerprint with "
	    "what your administrator gave you).  Otherwise someone may be "
	    "listening in."));
	erase();
	attron(A_BOLD);
	mvaddstr(0, 1, _("Certificate problem"));
	attroff(A_BOLD);
	mvaddstr(2, 0, "");
	printw("%s", b.data);
	yes = form_ask(_("Trust this certificate from now on?"), false);
	if (yes) {
		xfree(&w->pin);
		w->pin = xstrdup(cert->fingerprint);
	}
	buf_free(&b);
	free(subject);
	free(issuer);
	free(why);
	return yes;
}

/* Where to send the user back for a failure of this kind. */
static void
point_at_failure(struct wizard *w, enum err_code code, bool outgoing)
{
	size_t	f;

	switch (code) {
	case ERR_AUTH:
		f = outgoing ? S_SMTP_AUTH : S_USER;
		break;
	case ERR_TLS:
	case ERR_STARTTLS:
	case ERR_PROTO:
		f = outgoing ? S_SMTP_SECURITY : S_SECURITY;
		break;
	case ERR_CONNECT:
	case ERR_TIMEOUT:
		f = outgoing ? S_SMTP_PORT : S_PORT;
		break;
	default:
		f = outgoing ? S_SMTP_HOST : S_HOST;
		break;
	}
	form_focus(&w->srv_form, f);
}

/* Run one side's test, with one retry after the user pinned. */
static int
test_side(struct wizard *w, struct config_account *a, const char *pw,
    bool outgoing, int *row)
{
	const char		*what = outgoing ? _("Outgoing mail (SMTP)") :
				    _("Incoming mail");
	struct net_cert_info	 cert;
	struct err		 e;
	int			 tries;

	for (tries = 0; tries < 2; tries++) {
		report(row, what, _("testing..."));
		(*row)--;
		err_clear(&e);
		memset(&cert, 0, sizeof cert);
		if (w->opts->test(w->opts->test_arg, a, pw, outgoing, &cert,
		    &e) == 0) {
			report(row, what, _("works"));
			return 0;
		}
		if (e.code != ERR_CERT || !cert.valid || tries > 0 ||
		    !offer_pin(w, &cert, e.msg))
			break;
		set_string(&a->pin, w->pin);
		erase();
	}
	report(row, what, e.msg);
	form_message(&w->srv_form, true, "%s: %s",
	    what, e.msg);
	point_at_failure(w, e.code, outgoing);
	form_show(_("The test failed"), w->srv_form.message);
	return -1;
}

/* The password to test with: typed, or from the command. */
static char *
test_password(struct wizard *w, const struct config_account *a,
    struct err *e)
{
	char	*pw = NULL;

	if (w->who[F_PASSWORD].value[0] != '\0')
		return xstrdup(w->who[F_PASSWORD].value);
	if (a->password_cmd != NULL &&
	    config_get_password(a, CONFIG_SECRET_INCOMING, &pw, e) == 0)
		return pw;
	return NULL;
}

static int
test_account(struct wizard *w, struct config_account *a)
{
	struct err	 e;
	char		*pw;
	int		 row = 2, rc = 0;

	if (w->opts->test == NULL)
		return 0;
	erase();
	attron(A_BOLD);
	mvaddstr(0, 1, _("Set up a mail account (3 of 3): testing"));
	attroff(A_BOLD);
	refresh();
	err_clear(&e);
	if ((pw = test_password(w, a, &e)) == NULL) {
		form_message(&w->srv_form, true, "%s",
		    e.code != ERR_OK ? e.msg :
		    _("Type the password (or a password command) to test."));
		return -1;
	}
	if (test_side(w, a, pw, false, &row) == -1 ||
	    test_side(w, a, pw, true, &row) == -1)
		rc = -1;
	str_free_secret(&pw);
	return rc;
}

/* Save, asking before a password goes into the file in clear text. */
static int
save_account(struct wizard *w, struct config_account *a, struct err *e)
{
	if (w->who[F_PASSWORD].value[0] != '\0' && a->password_cmd == NULL &&
	    form_ask(_("Save the password in the configuration file?  Anyone "
	    "who can read the file can read it (a password command is "
	    "safer)."), false)) {
		set_string(&a->password, w->who[F_PASSWORD].value);
		a->save_password = true;
	}
	return config_write_account(w->opts->config_path, a, e);
}

static bool
timeout_ok(struct wizard *w)
{
	if (atoi(w->srv[S_TIMEOUT].value) >= 60 || w->warned_timeout)
		return true;
	w->warned_timeout = true;
	form_message(&w->srv_form, true, _("A timeout under a minute may "
	    "cut off slow servers or large messages; press Enter again to "
	    "keep it."));
	form_focus(&w->srv_form, S_TIMEOUT);
	return false;
}

static void
load_edit(struct wizard *w, const struct config_account *a)
{
	form_set(&w->who[F_NAME], a->name);
	form_set(&w->who[F_EMAIL], a->email);
	form_set(&w->who[F_PASSWORD_CMD], a->password_cmd);
	form_set(&w->who[F_PASSWORD], a->password);
	snprintf(w->proposed_for, sizeof w->proposed_for, "%s", a->email);
	use_server(w, a->incoming.protocol, a->incoming.security,
	    a->incoming.host, a->incoming.port);
	if (a->outgoing.host != NULL)
		use_server(w, CONFIG_PROTO_SMTP, a->outgoing.security,
		    a->outgoing.host, a->outgoing.port);
	form_set(&w->srv[S_USER], a->user);
	form_set(&w->srv[S_CA_FILE], a->ca_file);
	w->srv[S_POLICY].choice = (int)a->pop3_policy;
	w->srv[S_SMTP_AUTH].choice = a->auth <= CONFIG_AUTH_LOGIN ?
	    (int)a->auth : 0;
	w->srv[S_PREFETCH].choice = (int)a->prefetch;
	set_port(&w->srv[S_DAYS], (uint16_t)a->pop3_keep_days);
	set_port(&w->srv[S_TIMEOUT], (uint16_t)a->timeout);
	set_port(&w->srv[S_RECENT], (uint16_t)a->prefetch_recent);
	set_port(&w->srv[S_PREFETCH_DAYS], (uint16_t)a->prefetch_days);
	if (a->pin != NULL)
		w->pin = xstrdup(a->pin);
}

static int
run_steps(struct wizard *w, char **id_r, struct err *e)
{
	struct config		 existing;
	struct config_account	 a;
	struct err		 ignore;
	int			 step = 0;

	/* config_load() initialises existing, also when it fails. */
	if (config_load(w->opts->config_path, &existing, &ignore) == -1) {
		config_free(&existing);
		config_init(&existing);
	}
	for (;;) {
		enum form_result r;

		if (step == 0) {
			r = form_run(&w->who_form);
			if (r == FORM_CANCEL)
				break;
			if (r == FORM_DONE && check_identity(w)) {
				propose_servers(w);
				step = 1;
			}
			continue;
		}
		w->srv_form.note = w->provider_note;
		servers_changed(&w->srv_form, w);
		r = form_run(&w->srv_form);
		if (r == FORM_CANCEL)
			break;
		if (r == FORM_BACK) {
			step = 0;
			continue;
		}
		if (!timeout_ok(w))
			continue;
		if (build_account(w, &a, account_id(w, &existing)) == -1) {
			config_account_clear(&a);
			continue;
		}
		if (test_account(w, &a) == 0 && save_account(w, &a, e) == 0) {
			*id_r = xstrdup(a.id);
			config_account_clear(&a);
			config_free(&existing);
			return 0;
		}
		if (err_failed(e)) {
			form_message(&w->srv_form, true, "%s", e->msg);
			err_clear(e);
		}
		config_account_clear(&a);
	}
	config_free(&existing);
	err_set(e, ERR_CANCELLED, _("the setup was cancelled; nothing was "
	    "saved"));
	return -1;
}

int
ui_setup_wizard(const struct ui_wizard *opts, char **id_r, struct err *e)
{
	struct wizard	w;
	int		rc;

	*id_r = NULL;
	memset(&w, 0, sizeof w);
	w.opts = opts;
	setup_fields(&w);
	w.last_proto = CONFIG_PROTO_IMAP;
	if (opts->edit != NULL)
		load_edit(&w, opts->edit);
	w.srv_form.changed = servers_changed;
	w.srv_form.changed_arg = &w;

	if (initscr() == NULL) {
		err_set(e, ERR_IO, _("cannot start the terminal screen"));
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	rc = run_steps(&w, id_r, e);
	endwin();
	str_wipe(w.who[F_PASSWORD].value, sizeof w.who[F_PASSWORD].value);
	xfree(&w.provider_note);
	xfree(&w.pin);
	return rc;
}
