/*
 * The account setup wizard (surat setup, and the first start without a
 * configuration): asks who you are, proposes servers, tests them for real
 * and writes the account into the configuration file.
 */
#ifndef SURAT_UI_WIZARD_H
#define SURAT_UI_WIZARD_H

#include <stdbool.h>

#include "config/config.h"

struct err;

/*
 * Log in to one side of an account for real (incoming: IMAP or POP3 login;
 * outgoing: SMTP with AUTH) with the password given, then log out.  The
 * caller supplies it because ui/ speaks no protocol.  On a certificate
 * problem the certificate seen is left in cert_r so the wizard can offer
 * to pin it.
 */
typedef int	ui_wizard_test_fn(void *arg, const struct config_account *,
		    const char *password, bool outgoing,
		    struct net_cert_info *cert_r, struct err *);

struct ui_wizard {
	const char		*config_path;	/* where the account goes */
	ui_wizard_test_fn	*test;		/* NULL: no testing */
	void			*test_arg;
	/* Edit this account (its values start the form), or NULL. */
	const struct config_account *edit;
	/* Probe servers in the DNS and on the network (off in tests). */
	bool			 probe;
};

/*
 * Run the wizard on the terminal (it sets curses up and tears it down).
 * 0 with the saved account's id in *id_r (free it), or -1: ERR_CANCELLED
 * when the user left, otherwise why it failed.
 */
int	 ui_setup_wizard(const struct ui_wizard *, char **id_r, struct err *);

#endif
