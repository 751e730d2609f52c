/*
 * The interactive side of surat setup: the curses wizard (ui/wizard.c),
 * given the real login test of sync/check.c, since ui/ speaks no protocol.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "config/config.h"
#include "sync/check.h"
#include "ui/wizard.h"
#include "util/err.h"
#include "util/i18n.h"

static int
test_login(void *arg, const struct config_account *a, const char *password,
    bool outgoing, struct net_cert_info *cert_r, struct err *e)
{
	(void)arg;
	return sync_check_login(a, password, outgoing, cert_r, e);
}

int
cmd_wizard_run(struct cli *cli)
{
	struct ui_wizard	 w = { 0 };
	struct config		 cfg;
	struct err		 e;
	int			 rc;
	char			*path, *id = NULL;

	err_clear(&e);
	if ((path = config_path(cli->config_path, &e)) == NULL)
		return cli_fail("%s", e.msg);
	w.config_path = path;
	w.test = test_login;
	config_init(&cfg);
	if (cli->setup_edit != NULL) {
		config_free(&cfg);
		if (config_load(path, &cfg, &e) == -1 ||
		    (w.edit = config_account_find(&cfg,
		    cli->setup_edit)) == NULL) {
			if (e.code == ERR_OK)
				err_set(&e, ERR_NOTFOUND, _("no account '%s'"),
				    cli->setup_edit);
			config_free(&cfg);
			free(path);
			return cli_fail("%s", e.msg);
		}
	}
	/* Tests point SURAT_PROVIDERS_FILE at loopback and skip the DNS. */
	w.probe = getenv("SURAT_NO_PROBE") == NULL;
	rc = ui_setup_wizard(&w, &id, &e);
	config_free(&cfg);
	if (rc == -1) {
		free(path);
		if (e.code == ERR_CANCELLED) {
			fprintf(stderr, "surat: %s\n", e.msg);
			return EXIT_ERROR;
		}
		return cli_fail("%s", e.msg);
	}
	if (cli->setup_sync)
		printf(_("account '%s' saved in %s\n"), id, path);
	else
		printf(_("account '%s' saved in %s; run 'surat sync' to fetch "
		    "your mail, or just 'surat'\n"), id, path);
	free(path);
	rc = EXIT_OK;
	if (cli->setup_sync) {
		/* The first sync right away, as surat sync shows it. */
		char	*argv[] = { (char *)"sync", id, NULL };

		fflush(stdout);
		rc = cmd_sync(cli, 2, argv);
	}
	free(id);
	return rc;
}
