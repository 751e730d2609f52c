/* surat: entry point; global options, then one subcommand. */
#include "config.h"

#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/i18n.h"

static void
usage(FILE *fp)
{
	const struct cli_command	*c;

	fprintf(fp, _("Usage: surat [OPTION]... [COMMAND [ARG]...]\n"
	    "A terminal mail client for IMAP, POP3 and SMTP.\n\n"));
	fprintf(fp, _("Options:\n"
	    "  -c, --config FILE     configuration file (default: "
	    "$XDG_CONFIG_HOME/surat/config)\n"
	    "  -d, --data-dir DIR    where the mail store lives (default: "
	    "$XDG_DATA_HOME/surat)\n"
	    "      --log FILE        write a debug log to FILE\n"
	    "      --log-level LEVEL error, warn, info, debug or wire\n"
	    "      --json            machine-readable output where supported\n"
	    "      --demo            open a sample mailbox; no account needed\n"
	    "  -h, --help            show this help and exit\n"
	    "  -V, --version         show the version and exit\n\n"));
	fprintf(fp, _("Commands (none: open the mail reader):\n"));
	for (c = cli_commands; c->name != NULL; c++)
		fprintf(fp, "  %-12s %s\n", c->name, _(c->usage));
	fprintf(fp, _("\nExit status: 0 ok, 1 error, 2 usage, 3 partial or "
	    "offline.\n"));
}

static int
run_command(struct cli *cli, int argc, char **argv)
{
	const struct cli_command	*c;

	for (c = cli_commands; c->name != NULL; c++) {
		if (strcmp(c->name, argv[0]) == 0)
			return c->run(cli, argc, argv);
	}
	return cli_usage_error(_("unknown command '%s'"), argv[0]);
}

/* AddressSanitizer's leak checker attaches to the process (ptrace). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/*
 * Passwords live in our memory while we talk to servers: a crash must not
 * write them into a core file, and (on Linux) other processes of the same
 * user may not read them through ptrace or /proc/PID/mem.
 */
static void
forbid_core_dumps(void)
{
	struct rlimit	none = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &none);
#if defined(__linux__) && !defined(UNDER_ASAN)
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

int
main(int argc, char **argv)
{
	enum { OPT_LOG = 256, OPT_LOG_LEVEL, OPT_JSON, OPT_DEMO };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "demo", no_argument, NULL, OPT_DEMO },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli	 cli;
	int		 ch, demo = 0;
	char		*demo_argv[] = { (char *)"demo", NULL };

	forbid_core_dumps();
	setlocale(LC_ALL, "");
#if ENABLE_NLS
	{
		/* Lets tests and uninstalled builds find their catalogs. */
		const char *dir = getenv("SURAT_LOCALEDIR");

		bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ?
		    dir : LOCALEDIR);
	}
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#endif
	cli_setup_wizard = cmd_wizard_run;
	memset(&cli, 0, sizeof cli);
	cli.config_path = getenv("SURAT_CONFIG");
	cli.data_dir = getenv("SURAT_DATA_DIR");

	/* '+': options after the command belong to the command. */
	while ((ch = getopt_long(argc, argv, "+c:d:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': cli.config_path = optarg; break;
		case 'd': cli.data_dir = optarg; break;
		case OPT_LOG: cli.log_path = optarg; break;
		case OPT_LOG_LEVEL: cli.log_level = optarg; break;
		case OPT_JSON: cli.json = 1; break;
		case OPT_DEMO: demo = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V':
			printf("surat %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (demo)
		return cmd_demo(&cli, 1, demo_argv);
	if (argc == 0)
		return cmd_ui(&cli, 0, argv);
	optind = 1;
	return run_command(&cli, argc, argv);
}
