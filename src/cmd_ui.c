/*
 * `surat` with no command (the mail reader) and `surat --demo` (the
 * reader on generated sample mail in a temporary store).  Without a
 * terminal both print the first index lines instead, so scripts and CI
 * can run them and never hang.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config/config.h"
#include "store/store.h"
#include "sync/sync.h"
#include "ui/jobs.h"
#include "ui/ui.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define DEMO_COUNT	300
#define DEMO_MAX	2000000
#define SUMMARY_LINES	12
#define SUMMARY_WIDTH	100

static bool
interactive(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static int
print_summary(struct store *st, const char *dir)
{
	struct buf	out = BUF_INIT;
	struct err	err;

	err_clear(&err);
	if (ui_dump_index(st, 0, SUMMARY_LINES, SUMMARY_WIDTH, &out,
	    &err) == -1) {
		buf_free(&out);
		if (err.code == ERR_NOTFOUND) {
			printf(_("surat: no mail in %s yet; run 'surat setup' "
			    "or try 'surat --demo'.\n"), dir);
			return EXIT_OK;
		}
		return cli_fail("%s", err.msg);
	}
	printf(_("surat: not a terminal; the inbox of %s starts with:\n"),
	    dir);
	fwrite(buf_cstr(&out), 1, out.len, stdout);
	buf_free(&out);
	return EXIT_OK;
}

/* The UI's view of the sync worker (ui/jobs.h), over sync_jobs_*. */
static void
job_replay(void *a, int64_t id)
{
	sync_jobs_replay(a, id);
}

static void
job_fetch(void *a, int64_t id)
{
	sync_jobs_fetch_body(a, id);
}

static void
job_fetch_part(void *a, int64_t id, const char *section)
{
	sync_jobs_fetch_part(a, id, section);
}

static void
job_send(void *a, int64_t id)
{
	sync_jobs_send(a, id);
}

static void
job_sync(void *a, int64_t id)
{
	sync_jobs_sync(a, id);
}

static void
job_search(void *a, const struct store_query *q, uint64_t token)
{
	sync_jobs_search(a, q, token);
}

static bool
job_search_result(void *a, uint64_t *token, int64_t **ids, size_t *n,
    bool *server)
{
	return sync_jobs_search_result(a, token, ids, n, server);
}

static void
job_status(void *a, struct ui_sync_status *us)
{
	struct sync_status	ss;

	memset(&ss, 0, sizeof ss);
	sync_jobs_drain(a);
	sync_jobs_status(a, &ss);
	us->online = ss.online;
	snprintf(us->progress, sizeof us->progress, "%s", ss.progress);
	snprintf(us->error, sizeof us->error, "%s", ss.error);
}

static int
run_reader(struct store *st, const struct config *cfg, const char *label,
    struct sync_jobs *sj)
{
	struct ui_options	o;
	struct ui_jobs		j;
	struct err		err;

	memset(&o, 0, sizeof o);
	o.store = st;
	o.config = cfg;
	o.label = label;
	if (sj != NULL) {
		memset(&j, 0, sizeof j);
		j.arg = sj;
		j.replay = job_replay;
		j.fetch_body = job_fetch;
		j.fetch_part = job_fetch_part;
		j.send = job_send;
		j.sync = job_sync;
		j.search = job_search;
		j.search_result = job_search_result;
		j.status = job_status;
		j.notify_fd = sync_jobs_notify_fd(sj);
		o.jobs = &j;
	}
	o.notes = (const char *const *)cfg->warnings;
	o.nnotes = cfg->nwarnings;
	err_clear(&err);
	if (ui_run(&o, &err) == -1)
		return cli_fail("%s", err.msg);
	return EXIT_OK;
}

int
cmd_ui(struct cli *cli, int argc, char **argv)
{
	struct config	 cfg;
	struct store	*st = NULL;
	struct sync_jobs *sj = NULL;
	struct err	 err;
	char		*path, *dir;
	int		 rc;

	(void)argc; (void)argv;
	err_clear(&err);
	if ((path = config_path(cli->config_path, &err)) == NULL)
		return cli_fail("%s", err.msg);
	/* config_load() initialises cfg, also when it fails. */
	if (config_load(path, &cfg, &err) == -1) {
		if (err.code != ERR_NOTFOUND) {
			free(path);
			config_free(&cfg);
			return cli_fail("%s", err.msg);
		}
		config_free(&cfg);
		config_init(&cfg);
		err_clear(&err);
		/* First start on a terminal: set an account up, then read. */
		if (interactive() && cli_setup_wizard != NULL &&
		    cli_setup_wizard(cli) == EXIT_OK) {
			config_free(&cfg);
			if (config_load(path, &cfg, &err) == -1) {
				free(path);
				config_free(&cfg);
				return cli_fail("%s", err.msg);
			}
		}
		/* Without one: the store alone (offline reading). */
		if (cfg.naccounts == 0)
			fprintf(stderr, _("surat: no configuration at %s; run "
			    "'surat setup'\n"), path);
		free(path);
	} else
		free(path);
	if ((dir = config_data_dir(cli->data_dir, &err)) == NULL) {
		config_free(&cfg);
		return cli_fail("%s", err.msg);
	}
	if (store_open(dir, 0, "surat", &st, &err) == -1) {
		rc = cli_fail("%s", err.msg);
		goto out;
	}
	if (!interactive()) {
		rc = print_summary(st, dir);
		goto out;
	}
	/* Network work runs in the worker; the reader never waits on it. */
	if (cfg.naccounts > 0) {
		const struct config_account *ca = config_default_account(&cfg);

		if (sync_jobs_new(st, &cfg, &sj, &err) == -1) {
			fprintf(stderr, "surat: %s\n", err.msg);
			err_clear(&err);
		} else {
			sync_jobs_poll(sj, ca != NULL && ca->poll_interval > 0 ?
			    ca->poll_interval : 300);
			sync_jobs_replay(sj, 0);
			sync_jobs_send(sj, 0);
			sync_jobs_sync(sj, 0);
		}
	}
	rc = run_reader(st, &cfg, NULL, sj);
	sync_jobs_free(&sj);
out:
	store_close(&st);
	free(dir);
	config_free(&cfg);
	return rc;
}

static int
rm_entry(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	(void)sb; (void)type; (void)f;
	return remove(path);
}

static void
demo_config(struct config *cfg)
{
	struct config_account	*a;

	config_init(cfg);
	cfg->accounts = xcalloc(1, sizeof *cfg->accounts);
	a = &cfg->accounts[0];
	config_account_init(a);
	a->id = xstrdup("demo");
	a->name = xstrdup("Demo User");
	a->email = xstrdup("you@example.org");
	cfg->naccounts = 1;
}

int
cmd_demo(struct cli *cli, int argc, char **argv)
{
	struct config		 cfg;
	struct store		*st = NULL;
	struct store_account	*acct = NULL;
	struct err		 err;
	const char		*tmp;
	char			*dir = NULL;
	size_t			 count = DEMO_COUNT;
	uint64_t		 v;
	bool			 temp = false, fill = true, no_ui = false;
	bool			 bodies = true;
	int			 i, rc = EXIT_ERROR;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			if (str_to_u64(argv[++i], &v) == -1 || v > DEMO_MAX)
				return cli_usage_error(_("--count: a number "
				    "up to %d"), DEMO_MAX);
			count = (size_t)v;
		} else if (strcmp(argv[i], "--no-ui") == 0)
			no_ui = true;
		else if (strcmp(argv[i], "--headers-only") == 0)
			bodies = false;
		else
			return cli_usage_error(_("demo: unknown option '%s'"),
			    argv[i]);
	}
	err_clear(&err);
	if (cli->data_dir != NULL)
		dir = xstrdup(cli->data_dir);
	else {
		if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
			tmp = "/tmp";
		dir = xasprintf("%s/surat-demo-XXXXXX", tmp);
		if (mkdtemp(dir) == NULL) {
			rc = cli_fail("%s: %s", dir, strerror(errno));
			free(dir);
			return rc;
		}
		temp = true;
	}
	demo_config(&cfg);
	if (store_open(dir, STORE_OPEN_NOCHECK, "surat --demo", &st,
	    &err) == -1) {
		rc = cli_fail("%s", err.msg);
		goto out;
	}
	/* A kept --data-dir is filled once and then reused. */
	if (store_account_find(st, "demo", &acct, &err) == 0) {
		fill = false;
		store_account_free(&acct);
	}
	err_clear(&err);
	if (fill && ui_demo_fill(st, count, bodies, &err) == -1) {
		rc = cli_fail(_("cannot build the demo mailbox: %s"), err.msg);
		goto out;
	}
	if (no_ui || !interactive())
		rc = print_summary(st, dir);
	else
		rc = run_reader(st, &cfg, _("demo"), NULL);
out:
	store_close(&st);
	config_free(&cfg);
	if (temp)
		nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return rc;
}
