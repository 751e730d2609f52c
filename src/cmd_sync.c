/*
 * surat sync [ACCOUNT] [--folder F] [--quiet]: the sync engines run
 * headless on the main thread, with a progress line on a terminal and a
 * summary line per account.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "config/config.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "sync/sync.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

struct sync_cli {
	bool	quiet;
	bool	tty;
	bool	drawn;		/* a progress line is on the screen */
};

static void
progress(void *arg, const char *account, const char *what, uint64_t done,
    uint64_t total)
{
	struct sync_cli	*c = arg;

	if (!c->tty || c->quiet)
		return;
	if (total > 0)
		fprintf(stderr, "\r\033[K%s: %s %llu/%llu", account, what,
		    (unsigned long long)done, (unsigned long long)total);
	else
		fprintf(stderr, "\r\033[K%s: %s", account, what);
	fflush(stderr);
	c->drawn = true;
}

static void
progress_clear(struct sync_cli *c)
{
	if (c->drawn) {
		fputs("\r\033[K", stderr);
		c->drawn = false;
	}
}

/* Ask on the terminal with echo off. */
static int
prompt(const struct config_account *a, enum config_secret which, char **pw_r,
    void *arg, struct err *err)
{
	struct termios	 old, noecho;
	FILE		*tty;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;

	(void)arg;
	if ((tty = fopen("/dev/tty", "r+")) == NULL) {
		err_set(err, ERR_CANCELLED, "%s", _("no terminal to ask for "
		    "the password"));
		return -1;
	}
	fprintf(tty, which == CONFIG_SECRET_OUTGOING ?
	    _("SMTP password for %s: ") : _("Password for %s: "), a->id);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &noecho);
	n = getline(&line, &cap, tty);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	if (n <= 0) {
		str_free_secret(&line);
		err_set(err, ERR_CANCELLED, "%s", _("no password given"));
		return -1;
	}
	line[strcspn(line, "\r\n")] = '\0';
	*pw_r = line;
	return 0;
}

static bool
offline(const struct err *e)
{
	switch (e->code) {
	case ERR_DNS:
	case ERR_CONNECT:
	case ERR_TIMEOUT:
	case ERR_CLOSED:
		return true;
	default:
		return false;
	}
}

static int
sync_imap(struct store *st, const struct config_account *a, const char *folder,
    struct sync_cli *c, struct err *err)
{
	struct sync_session	*s;
	struct sync_opts	 o;
	struct sync_report	 rep;
	size_t			 i;
	int			 rc;

	memset(&o, 0, sizeof o);
	o.folder = folder;
	/* Messages per header batch: a tuning knob, and tests use it. */
	if (getenv("SURAT_SYNC_BATCH") != NULL)
		o.batch = (size_t)strtoul(getenv("SURAT_SYNC_BATCH"), NULL, 10);
	o.progress = progress;
	o.progress_arg = c;
	memset(&rep, 0, sizeof rep);
	s = sync_session_new(st, a);
	rc = sync_account(s, &o, &rep, err);
	sync_session_free(&s);
	progress_clear(c);
	for (i = 0; i < rep.nconflicts; i++)
		fprintf(stderr, "surat: %s: %s\n", a->id, rep.conflicts[i]);
	if (rc == 0 && !c->quiet)
		printf(_("%s: %u folders, %llu new, %llu changed, %llu removed, "
		    "%llu bodies, %llu local changes sent%s\n"), a->id,
		    rep.folders, (unsigned long long)rep.added,
		    (unsigned long long)rep.updated,
		    (unsigned long long)rep.removed,
		    (unsigned long long)rep.bodies,
		    (unsigned long long)rep.ops_done,
		    rep.folders_failed > 0 || rep.ops_failed > 0 ?
		    _(" (with problems)") : "");
	if (rc == 0 && (rep.folders_failed > 0 || rep.ops_failed > 0)) {
		err_set(err, ERR_REFUSED, _("%u folders failed, %llu changes "
		    "refused"), rep.folders_failed,
		    (unsigned long long)rep.ops_failed);
		rc = -1;
	}
	sync_report_clear(&rep);
	return rc;
}

static int
sync_pop3(struct store *st, const struct config_account *a,
    struct sync_cli *c, struct err *err)
{
	struct sync_pop3_stats	s;
	int			rc;

	rc = sync_run_pop3(st, a, progress, c, &s, err);
	progress_clear(c);
	if (s.no_uidl && s.warning[0] != '\0')
		fprintf(stderr, "surat: %s: %s\n", a->id, s.warning);
	if (rc == 0 && !c->quiet)
		printf(_("%s: %zu new, %zu deleted on the server, %zu on the "
		    "server\n"), a->id, s.downloaded, s.deleted, s.on_server);
	return rc;
}

/* The outbox after the mailbox; an IMAP account's Sent copies follow. */
static int
send_outbox(struct store *st, const struct config_account *a,
    struct sync_cli *c, struct err *err)
{
	struct sync_outbox_stats s;
	struct sync_session	*ss;
	struct sync_report	 rep;
	bool			 nothing;
	int			 rc;

	rc = sync_run_outbox(st, a, progress, c, &s, &nothing, err);
	progress_clear(c);
	if (nothing)
		return rc;
	if (!c->quiet)
		printf(_("%s: outbox: %zu sent, %zu to retry, %zu failed, %zu to "
		    "check, %zu held by the rate limit\n"), a->id, s.sent,
		    s.retry, s.failed, s.check, s.held);
	if (rc == 0 && (s.retry > 0 || s.failed > 0 || s.check > 0)) {
		err_set(err, ERR_TEMPFAIL, _("%s: some messages were not sent "
		    "(see 'surat outbox')"), a->id);
		rc = -1;
	}
	if (s.sent > 0 && a->incoming.protocol == CONFIG_PROTO_IMAP) {
		struct err	e;

		memset(&rep, 0, sizeof rep);
		err_clear(&e);
		ss = sync_session_new(st, a);
		if (sync_replay(ss, &rep, &e) == -1)
			fprintf(stderr, "surat: %s: %s\n", a->id, e.msg);
		sync_session_free(&ss);
		sync_report_clear(&rep);
	}
	return rc;
}

static int
usage(void)
{
	return cli_usage_error("%s", _("usage: surat sync [ACCOUNT] "
	    "[--folder FOLDER | --outbox] [--quiet]"));
}

int
cmd_sync(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "folder", required_argument, NULL, 'f' },
		{ "outbox", no_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct sync_cli			 c;
	struct config			 cfg;
	struct store			*st = NULL;
	struct err			 err;
	enum log_level			 lvl = LOG_LEVEL_DEBUG;
	const struct config_account	*a;
	const char			*folder = NULL, *only = NULL;
	char				*cpath = NULL, *dpath = NULL;
	size_t				 i, ok = 0, failed = 0;
	bool				 all_offline = true, outbox_only = false;
	int				 ch, ret = EXIT_ERROR;

	memset(&c, 0, sizeof c);
	optind = 0;	/* start afresh, permuting: "sync ACCOUNT --quiet" */
	while ((ch = getopt_long(argc, argv, "f:oq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': folder = optarg; break;
		case 'o': outbox_only = true; break;
		case 'q': c.quiet = true; break;
		default: return usage();
		}
	}
	if (argc - optind > 1 || (folder != NULL && outbox_only))
		return usage();
	if (argc - optind == 1)
		only = argv[optind];
	c.tty = isatty(STDERR_FILENO);
	err_clear(&err);
	memset(&cfg, 0, sizeof cfg);	/* config_load() initialises it */
	if (cli->log_path != NULL) {
		if (cli->log_level != NULL &&
		    log_level_parse(cli->log_level, &lvl) == -1)
			return cli_usage_error(_("bad log level '%s'"),
			    cli->log_level);
		if (log_open(cli->log_path, lvl, &err) == -1)
			return cli_fail("%s", err.msg);
	}
	if ((cpath = config_path(cli->config_path, &err)) == NULL ||
	    config_load(cpath, &cfg, &err) == -1) {
		ret = cli_fail("%s", err.msg);
		goto out;
	}
	for (i = 0; i < cfg.nwarnings; i++)
		fprintf(stderr, "surat: %s\n", cfg.warnings[i]);
	if (only != NULL && config_account_find(&cfg, only) == NULL) {
		ret = cli_fail(_("no account '%s' in %s"), only, cpath);
		goto out;
	}
	if ((dpath = config_data_dir(cli->data_dir, &err)) == NULL ||
	    store_open(dpath, 0, "surat sync", &st, &err) == -1) {
		ret = cli_fail("%s", err.msg);
		goto out;
	}
	if (isatty(STDIN_FILENO))
		config_set_prompt(prompt, NULL);
	for (i = 0; i < cfg.naccounts; i++) {
		a = &cfg.accounts[i];
		if (only != NULL && strcmp(a->id, only) != 0)
			continue;
		err_clear(&err);
		/* --outbox: what msmtp users run after queueing mail. */
		if ((outbox_only ? 0 :
		    a->incoming.protocol == CONFIG_PROTO_IMAP ?
		    sync_imap(st, a, folder, &c, &err) :
		    sync_pop3(st, a, &c, &err)) == 0 &&
		    (folder != NULL || send_outbox(st, a, &c, &err) == 0)) {
			ok++;
			continue;
		}
		failed++;
		if (!offline(&err))
			all_offline = false;
		fprintf(stderr, "surat: %s\n", err.msg);
	}
	if (failed == 0)
		ret = EXIT_OK;
	else if (ok > 0 || all_offline)
		ret = EXIT_PARTIAL;
	else
		ret = EXIT_ERROR;
out:
	config_set_prompt(NULL, NULL);
	store_close(&st);
	config_free(&cfg);
	free(cpath);
	free(dpath);
	log_close();
	return ret;
}
