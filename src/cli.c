/* The table of subcommands and the shared ways they report failure. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "util/i18n.h"

const struct cli_command cli_commands[] = {
	{ "demo", cmd_demo, N_("try surat on generated sample mail") },
	{ "import", cmd_import, N_("copy mbox, Maildir or message files "
	    "into a local folder") },
	{ "export", cmd_export, N_("write folders out as mbox or Maildir") },
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

int
cmd_demo(struct cli *cli, int argc, char **argv)
{
	(void)cli; (void)argc; (void)argv;
	printf("%s\n", _("surat: the demo mailbox is not ready yet; the build "
	    "works and 'make check' runs the tests."));
	return EXIT_OK;
}
