/*
 * surat setup, the form for scripts and tests: an account from command
 * line options, servers filled in from the provider presets, the
 * incoming login and the outgoing AUTH tried for real, then written with
 * the config writer (mode 0600).  With no options on a terminal it hands
 * over to the interactive wizard when the program has one.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_common.h"
#include "sync/check.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* Set by the UI when it has a wizard; NULL: none in this program. */
int	(*cli_setup_wizard)(struct cli *) = NULL;

#define SETUP_MIN_TIMEOUT	60	/* warn below a minute */

struct setup_opts {
	const char	*account;
	const char	*name;
	const char	*email;
	const char	*password_cmd;
	const char	*password;
	bool		 store_password;
	const char	*imap_host;
	const char	*pop3_host;
	const char	*port;
	const char	*security;
	const char	*user;
	const char	*smtp_host;
	const char	*smtp_port;
	const char	*smtp_security;
	const char	*smtp_user;
	const char	*pop3_policy;
	const char	*prefetch;
	const char	*timeout;
	const char	*ca_file;
	bool		 no_test;
	bool		 is_default;
	bool		 allow_plaintext;
};

struct test_result {
	bool		 tried;
	bool		 ok;
	struct err	 err;
};

static int
parse_security(const char *s, enum net_security *sec_r)
{
	if (strcasecmp(s, "tls") == 0 || strcasecmp(s, "ssl") == 0)
		*sec_r = NET_SECURITY_TLS;
	else if (strcasecmp(s, "starttls") == 0)
		*sec_r = NET_SECURITY_STARTTLS;
	else if (strcasecmp(s, "plain") == 0 || strcasecmp(s, "none") == 0)
		*sec_r = NET_SECURITY_PLAIN;
	else
		return -1;
	return 0;
}

/* host, port and security from the options over a preset URL. */
static int
build_server(struct config_server *srv, enum config_protocol proto,
    const char *host, const char *port, const char *security,
    const char *preset, struct err *err)
{
	uint32_t	p;

	if (host == NULL && preset != NULL) {
		if (config_server_parse(preset, proto != CONFIG_PROTO_SMTP, srv,
		    err) == -1)
			return -1;
	} else {
		config_server_clear(srv);
		srv->protocol = proto;
		srv->security = NET_SECURITY_TLS;
		srv->host = xstrdup(host);
		srv->port = 0;
	}
	if (security != NULL) {
		if (parse_security(security, &srv->security) == -1) {
			err_set(err, ERR_USAGE, _("unknown security '%s' (tls, "
			    "starttls or plain)"), security);
			return -1;
		}
		if (port == NULL)
			srv->port = 0;
	}
	if (port != NULL) {
		if (str_to_u32(port, &p) == -1 || p == 0 || p > 65535) {
			err_set(err, ERR_USAGE, _("'%s' is not a port "
			    "number"), port);
			return -1;
		}
		srv->port = (uint16_t)p;
	}
	if (srv->port == 0)
		srv->port = config_default_port(proto, srv->security);
	return 0;
}

/* A key's value through the config's own parser, so both agree. */
static int
set_key(struct config_account *a, const char *key, const char *option,
    const char *value, struct err *err)
{
	struct err	e;

	err_clear(&e);
	if (config_account_set(a, key, option, value, &e) == 0)
		return 0;
	/* A bad option value is a usage error (exit status 2). */
	err_set(err, ERR_USAGE, "%s", e.msg);
	return -1;
}

static int
set_policy_words(struct config_account *a, const struct setup_opts *o,
    struct err *err)
{
	uint32_t	v;

	if (o->pop3_policy != NULL && set_key(a, "pop3_policy",
	    "--pop3-policy", o->pop3_policy, err) == -1)
		return -1;
	if (o->prefetch != NULL && set_key(a, "prefetch", "--prefetch",
	    o->prefetch, err) == -1)
		return -1;
	if (o->timeout != NULL) {
		if (str_to_u32(o->timeout, &v) == -1 || v == 0 ||
		    v > 86400) {
			err_set(err, ERR_USAGE, _("--timeout: '%s' is not a "
			    "number of seconds"), o->timeout);
			return -1;
		}
		a->timeout = v;
		if (v < SETUP_MIN_TIMEOUT)
			fprintf(stderr, _("surat: warning: a timeout of %u "
			    "seconds is short; slow links may fail\n"), v);
	}
	return 0;
}

static int
build_account(struct config_account *a, const struct setup_opts *o,
    struct err *err)
{
	const struct config_provider	*pv;
	const char			*in_preset = NULL, *out_preset = NULL;
	enum config_protocol		 proto;

	config_account_init(a);
	a->id = xstrdup(o->account != NULL ? o->account : o->email);
	a->email = xstrdup(o->email);
	if (o->name != NULL)
		a->name = xstrdup(o->name);
	pv = config_provider_lookup(o->email);
	proto = o->pop3_host != NULL ? CONFIG_PROTO_POP3 : CONFIG_PROTO_IMAP;
	if (pv != NULL) {
		in_preset = proto == CONFIG_PROTO_POP3 ? pv->pop3_url :
		    pv->imap_url;
		if (in_preset == NULL && o->imap_host == NULL &&
		    o->pop3_host == NULL && pv->pop3_url != NULL) {
			/* A POP3-only provider. */
			proto = CONFIG_PROTO_POP3;
			in_preset = pv->pop3_url;
		}
		out_preset = pv->smtp_url;
		if (pv->note != NULL)
			fprintf(stderr, "surat: %s: %s\n", pv->name,
			    _(pv->note));
	}
	if (o->imap_host == NULL && o->pop3_host == NULL && in_preset == NULL) {
		err_set(err, ERR_USAGE, _("no server is known for %s; give "
		    "--imap-host or --pop3-host"), o->email);
		return -1;
	}
	if (build_server(&a->incoming, proto, proto == CONFIG_PROTO_POP3 ?
	    o->pop3_host : o->imap_host, o->port, o->security, in_preset,
	    err) == -1)
		return -1;
	if ((o->smtp_host != NULL || out_preset != NULL) &&
	    build_server(&a->outgoing, CONFIG_PROTO_SMTP, o->smtp_host,
	    o->smtp_port, o->smtp_security, out_preset, err) == -1)
		return -1;
	if (o->user != NULL)
		a->user = xstrdup(o->user);
	if (o->smtp_user != NULL)
		a->smtp_user = xstrdup(o->smtp_user);
	if (o->password_cmd != NULL)
		a->password_cmd = xstrdup(o->password_cmd);
	if (o->password != NULL) {
		a->password = xstrdup(o->password);
		a->save_password = o->store_password;
	}
	if (o->ca_file != NULL)
		a->ca_file = xstrdup(o->ca_file);
	a->allow_plaintext = o->allow_plaintext;
	a->is_default = o->is_default;
	if (set_policy_words(a, o, err) == -1)
		return -1;
	return config_account_check(a, err);
}

/* ---- Trying the servers ----------------------------------------------- */

static int
secret(const struct config_account *a, enum config_secret which, char **pw_r,
    struct err *err)
{
	int	rc;

	rc = config_get_password(a, which, pw_r, err);
	if (rc == CONFIG_NEED_PROMPT) {
		err_set(err, ERR_AUTH, "%s", _("no password to try: give "
		    "--password-cmd (or --no-test to skip the test)"));
		return -1;
	}
	return rc;
}

/* One side's real login, with the secret the account would use. */
static void
try_side(const struct config_account *a, bool outgoing, struct test_result *r)
{
	char	*pw = NULL;

	if (outgoing && a->outgoing.host == NULL)
		return;
	r->tried = true;
	err_clear(&r->err);
	if (secret(a, outgoing ? CONFIG_SECRET_OUTGOING :
	    CONFIG_SECRET_INCOMING, &pw, &r->err) == -1)
		return;
	r->ok = sync_check_login(a, pw, outgoing, NULL, &r->err) == 0;
	str_free_secret(&pw);
}

/* ---- Reporting -------------------------------------------------------- */

static const char *
stage(const struct err *e)
{
	switch (e->code) {
	case ERR_DNS: return N_("name lookup");
	case ERR_CONNECT: case ERR_TIMEOUT: case ERR_CLOSED:
		return N_("connection");
	case ERR_TLS: case ERR_STARTTLS: return N_("TLS");
	case ERR_CERT: return N_("certificate");
	case ERR_AUTH: return N_("login");
	default: return N_("server");
	}
}

static void
report_server(struct cmd *c, const char *key, const struct config_server *srv,
    const struct test_result *r)
{
	char	*url;

	url = srv->host != NULL ? config_server_url(srv) : NULL;
	if (c->j == NULL) {
		if (url == NULL)
			return;
		printf("%-9s %s: ", key, url);
		if (!r->tried)
			printf("%s\n", _("not tested"));
		else if (r->ok)
			printf("%s\n", _("ok"));
		else
			printf(_("FAILED at %s: %s\n"), _(stage(&r->err)),
			    r->err.msg);
		free(url);
		return;
	}
	json_key(c->j, key);
	if (url == NULL) {
		json_null(c->j);
		return;
	}
	json_object_begin(c->j);
	json_kv_string(c->j, "url", url);
	json_kv_bool(c->j, "tested", r->tried);
	if (r->tried)
		json_kv_bool(c->j, "ok", r->ok);
	else
		json_kv_null(c->j, "ok");
	json_kv_string(c->j, "stage", r->tried && !r->ok ? stage(&r->err) :
	    NULL);
	json_kv_string(c->j, "error", r->tried && !r->ok ? r->err.msg : NULL);
	json_object_end(c->j);
	free(url);
}

static int
setup_usage(struct cli *cli)
{
	return cmd_usage(cli, "%s", _("usage: surat setup --email ADDRESS "
	    "[--name NAME] [--account ID] [--password-cmd CMD] "
	    "[--imap-host HOST | --pop3-host HOST] [--port N] "
	    "[--security tls|starttls|plain] [--user USER] [--smtp-host HOST] "
	    "[--smtp-port N] [--smtp-security tls|starttls|plain] "
	    "[--smtp-user USER] [--pop3-policy POLICY] [--prefetch none|"
	    "recent:N|all] [--timeout SECONDS] [--ca-file PEM] [--default] "
	    "[--no-test]"));
}

static int
parse_setup(struct cli *cli, int argc, char **argv, struct setup_opts *o)
{
	enum {
		O_NAME = 256, O_EMAIL, O_PWCMD, O_PW, O_STOREPW, O_IMAP,
		O_POP3, O_PORT, O_SEC, O_USER, O_SMTP, O_SMTPPORT, O_SMTPSEC,
		O_SMTPUSER, O_POLICY, O_PREFETCH, O_TIMEOUT, O_NOTEST,
		O_ACCOUNT, O_CAFILE, O_DEFAULT, O_PLAIN, O_JSON,
	};
	static const struct option	 longopts[] = {
		{ "account", required_argument, NULL, O_ACCOUNT },
		{ "name", required_argument, NULL, O_NAME },
		{ "email", required_argument, NULL, O_EMAIL },
		{ "password-cmd", required_argument, NULL, O_PWCMD },
		{ "password", required_argument, NULL, O_PW },
		{ "insecure-store-password", no_argument, NULL, O_STOREPW },
		{ "imap-host", required_argument, NULL, O_IMAP },
		{ "pop3-host", required_argument, NULL, O_POP3 },
		{ "port", required_argument, NULL, O_PORT },
		{ "security", required_argument, NULL, O_SEC },
		{ "user", required_argument, NULL, O_USER },
		{ "smtp-host", required_argument, NULL, O_SMTP },
		{ "smtp-port", required_argument, NULL, O_SMTPPORT },
		{ "smtp-security", required_argument, NULL, O_SMTPSEC },
		{ "smtp-user", required_argument, NULL, O_SMTPUSER },
		{ "pop3-policy", required_argument, NULL, O_POLICY },
		{ "prefetch", required_argument, NULL, O_PREFETCH },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "ca-file", required_argument, NULL, O_CAFILE },
		{ "default", no_argument, NULL, O_DEFAULT },
		{ "allow-plaintext", no_argument, NULL, O_PLAIN },
		{ "no-test", no_argument, NULL, O_NOTEST },
		{ "json", no_argument, NULL, O_JSON },
		{ NULL, 0, NULL, 0 },
	};
	int				 ch;

	memset(o, 0, sizeof *o);
	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case O_ACCOUNT: o->account = optarg; break;
		case O_NAME: o->name = optarg; break;
		case O_EMAIL: o->email = optarg; break;
		case O_PWCMD: o->password_cmd = optarg; break;
		case O_PW: o->password = optarg; break;
		case O_STOREPW: o->store_password = true; break;
		case O_IMAP: o->imap_host = optarg; break;
		case O_POP3: o->pop3_host = optarg; break;
		case O_PORT: o->port = optarg; break;
		case O_SEC: o->security = optarg; break;
		case O_USER: o->user = optarg; break;
		case O_SMTP: o->smtp_host = optarg; break;
		case O_SMTPPORT: o->smtp_port = optarg; break;
		case O_SMTPSEC: o->smtp_security = optarg; break;
		case O_SMTPUSER: o->smtp_user = optarg; break;
		case O_POLICY: o->pop3_policy = optarg; break;
		case O_PREFETCH: o->prefetch = optarg; break;
		case O_TIMEOUT: o->timeout = optarg; break;
		case O_CAFILE: o->ca_file = optarg; break;
		case O_DEFAULT: o->is_default = true; break;
		case O_PLAIN: o->allow_plaintext = true; break;
		case O_NOTEST: o->no_test = true; break;
		case O_JSON: cli->json = 1; break;
		default:
			return setup_usage(cli);
		}
	}
	if (optind != argc || o->email == NULL ||
	    (o->imap_host != NULL && o->pop3_host != NULL) ||
	    (o->store_password && o->password == NULL))
		return setup_usage(cli);
	if (strchr(o->email, '@') == NULL)
		return cmd_usage(cli, _("'%s' is not an e-mail address"),
		    o->email);
	return EXIT_OK;
}

static int
interactive(struct cli *cli)
{
	if (cli_setup_wizard != NULL) {
		cli->setup_sync = 1;	/* then fetch the mail, with progress */
		printf("%s\n", _("Starting the setup wizard..."));
		fflush(stdout);
		return cli_setup_wizard(cli);
	}
	return cmd_usage(cli, "%s", _("the interactive setup wizard is not "
	    "in this build; add an account with 'surat setup --email "
	    "ADDRESS --password-cmd CMD' (servers of well-known providers "
	    "are filled in) or see 'surat setup --help'"));
}

int
cmd_setup(struct cli *cli, int argc, char **argv)
{
	struct setup_opts	 o;
	struct config_account	 a;
	struct cmd		 c;
	struct test_result	 in, out;
	struct err		 err;
	char			*path;
	int			 rc;

	if (argc == 1 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return interactive(cli);
	/* Editing an account is the wizard again, filled in. */
	if (argc == 3 && strcmp(argv[1], "--edit") == 0 &&
	    isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		cli->setup_edit = argv[2];
		return interactive(cli);
	}
	if ((rc = parse_setup(cli, argc, argv, &o)) != EXIT_OK)
		return rc;
	if ((rc = cmd_open(&c, cli, 0)) != EXIT_OK)
		return rc;
	err_clear(&err);
	memset(&in, 0, sizeof in);
	memset(&out, 0, sizeof out);
	if (build_account(&a, &o, &err) == -1) {
		config_account_clear(&a);
		rc = cmd_fail(&c, err.code == ERR_USAGE ? EXIT_USAGE :
		    EXIT_ERROR, &err);
		cmd_close(&c);
		return rc;
	}
	if (o.password != NULL && !o.store_password)
		fprintf(stderr, "%s\n", _("surat: the password is used for "
		    "the test only and not saved; surat will ask for it (or "
		    "set password_cmd)"));
	if (o.store_password)
		fprintf(stderr, "%s\n", _("surat: warning: the password is "
		    "saved in clear text in the configuration file; anyone "
		    "who can read that file can read your mail"));
	if (!o.no_test) {
		try_side(&a, false, &in);
		if (in.ok)
			try_side(&a, true, &out);
	}
	if (c.j != NULL) {
		json_object_begin(c.j);
		json_kv_string(c.j, "account", a.id);
		json_kv_string(c.j, "email", a.email);
	}
	report_server(&c, "incoming", &a.incoming, &in);
	report_server(&c, "outgoing", &a.outgoing, &out);
	if (in.tried && (!in.ok || (out.tried && !out.ok))) {
		if (c.j != NULL) {
			json_kv_bool(c.j, "saved", false);
			json_object_end(c.j);
		}
		fprintf(stderr, "%s\n", _("surat: nothing saved; fix what "
		    "failed and run setup again"));
		config_account_clear(&a);
		cmd_close(&c);
		return EXIT_ERROR;
	}
	/* A password only for the test stays out of the file. */
	if (!a.save_password)
		str_free_secret(&a.password);
	rc = EXIT_OK;
	if ((path = config_path(cli->config_path, &err)) == NULL ||
	    config_write_account(path, &a, &err) == -1) {
		free(path);
		config_account_clear(&a);
		rc = cmd_fail(&c, EXIT_ERROR, &err);
		cmd_close(&c);
		return rc;
	}
	if (c.j != NULL) {
		json_kv_bool(c.j, "saved", true);
		json_kv_string(c.j, "config", path);
		json_object_end(c.j);
	} else
		printf(_("account '%s' saved in %s\n"), a.id, path);
	free(path);
	config_account_clear(&a);
	cmd_close(&c);
	return rc;
}
