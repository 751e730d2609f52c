/* The table of subcommands and the shared ways they report failure. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "util/i18n.h"

const struct cli_command cli_commands[] = {
	{ "demo", cmd_demo, N_("try surat on generated sample mail") },
	{ "sync", cmd_sync, N_("synchronise accounts with their servers") },
	{ "send", cmd_send, N_("put a message (FILE or stdin) in the "
	    "outbox; --now sends it") },
	{ "outbox", cmd_outbox, N_("list the outbox; retry or cancel a "
	    "message") },
	{ "import", cmd_import, N_("copy mbox, Maildir or message files "
	    "into a local folder") },
	{ "export", cmd_export, N_("write folders out as mbox or Maildir") },
	{ "list", cmd_list, N_("list messages of a folder") },
	{ "show", cmd_show, N_("show a message (stored, or a file)") },
	{ "search", cmd_search, N_("search stored messages") },
	{ "flag", cmd_flag, N_("flag messages, or set and clear flags: "
	    "ID... [+seen -flagged]") },
	{ "unflag", cmd_unflag, N_("clear the flag of messages") },
	{ "read", cmd_read, N_("mark messages read") },
	{ "unread", cmd_unread, N_("mark messages unread") },
	{ "move", cmd_move, N_("move messages to a folder") },
	{ "copy", cmd_copy, N_("copy messages to a folder") },
	{ "delete", cmd_delete, N_("delete messages (to the trash first)") },
	{ "folders", cmd_folders, N_("list folders with counts") },
	{ "accounts", cmd_accounts, N_("list accounts") },
	{ "pending", cmd_pending, N_("list changes waiting for a server") },
	{ "setup", cmd_setup, N_("add or change an account") },
	{ NULL, NULL, NULL },
};

int
cli_usage_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("surat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fprintf(stderr, _("Try 'surat --help'.\n"));
	return EXIT_USAGE;
}

int
cli_fail(const char *fmt, ...)
{
	va_list	ap;

	fputs("surat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return EXIT_ERROR;
}
