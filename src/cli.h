/* The command line: global options and one function per subcommand. */
#ifndef SURAT_CLI_H
#define SURAT_CLI_H

/* Exit codes, documented in surat(1). */
#define EXIT_OK		0
#define EXIT_ERROR	1
#define EXIT_USAGE	2
#define EXIT_PARTIAL	3	/* partly done, or offline */

struct cli {
	const char	*config_path;	/* --config, SURAT_CONFIG, or NULL */
	const char	*data_dir;	/* --data-dir, SURAT_DATA_DIR, or NULL */
	const char	*log_path;	/* --log */
	const char	*log_level;	/* --log-level */
	int		 json;		/* --json where a command supports it */
	const char	*setup_edit;	/* surat setup --edit ACCOUNT */
	int		 setup_sync;	/* sync the account once it is saved */
};

struct cli_command {
	const char	*name;
	int		(*run)(struct cli *, int, char **);
	const char	*usage;		/* untranslated; translated when shown */
};

extern const struct cli_command cli_commands[];

int	 cli_usage_error(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
int	 cli_fail(const char *, ...) __attribute__((format(printf, 1, 2)));

int	 cmd_demo(struct cli *, int, char **);
int	 cmd_sync(struct cli *, int, char **);
int	 cmd_ui(struct cli *, int, char **);

/* The curses wizard with real login tests (cmd_wizard.c). */
int	 cmd_wizard_run(struct cli *);

int	 cmd_send(struct cli *, int, char **);
int	 cmd_outbox(struct cli *, int, char **);

int	 cmd_import(struct cli *, int, char **);
int	 cmd_export(struct cli *, int, char **);
int	 cmd_list(struct cli *, int, char **);
int	 cmd_show(struct cli *, int, char **);
int	 cmd_search(struct cli *, int, char **);
int	 cmd_flag(struct cli *, int, char **);
int	 cmd_unflag(struct cli *, int, char **);
int	 cmd_read(struct cli *, int, char **);
int	 cmd_unread(struct cli *, int, char **);
int	 cmd_move(struct cli *, int, char **);
int	 cmd_copy(struct cli *, int, char **);
int	 cmd_delete(struct cli *, int, char **);
int	 cmd_folders(struct cli *, int, char **);
int	 cmd_accounts(struct cli *, int, char **);
int	 cmd_pending(struct cli *, int, char **);
int	 cmd_setup(struct cli *, int, char **);

/* The interactive setup wizard, set by the UI when it has one. */
extern int	(*cli_setup_wizard)(struct cli *);

#endif
