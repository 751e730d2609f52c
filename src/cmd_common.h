/*
 * What the headless commands (src/cmd_*.c) share: opening the config and
 * the store, finding accounts, folders and messages by what the user
 * typed, message rows as text and as JSON (doc/json.md), and errors that
 * become one line on stderr plus, with --json, an error object on stdout.
 */
#ifndef SURAT_CMD_COMMON_H
#define SURAT_CMD_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "util/buf.h"
#include "util/err.h"

struct cli;
struct json;
struct store;
struct store_msg;
struct store_folder;

#define CMD_STORE_READ	0x1	/* open the store read-only */
#define CMD_STORE_WRITE	0x2	/* open it for writing (takes the lock) */
#define CMD_CONFIG	0x4	/* load the config if there is one */

/* One folder's names, cached for rows. */
struct cmd_folder_name {
	int64_t	 id;
	char	*account;
	char	*folder;	/* as shown: sanitized, never for lookups */
	int	 kind;		/* enum store_account_kind */
};

struct cmd {
	struct cli		*cli;
	struct config		 cfg;
	bool			 have_cfg;
	char			*data_dir;
	struct store		*st;
	struct buf		 out;	/* JSON document */
	struct json		*j;
	bool			 tty;	/* stdout is a terminal */
	struct cmd_folder_name	*names;
	size_t			 nnames;
};

/*
 * Open what the command needs.  Returns an exit code: EXIT_OK, or an
 * error already reported.
 */
int	 cmd_open(struct cmd *, struct cli *, unsigned);
/* Write the JSON document (if any) and close everything. */
void	 cmd_close(struct cmd *);
/* Flush the JSON written so far to stdout. */
void	 cmd_json_flush(struct cmd *);

/* Report a failure (stderr, and an error object with --json). */
int	 cmd_fail(struct cmd *, int, const struct err *);
int	 cmd_failf(struct cmd *, int, enum err_code, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
/* For failures before a struct cmd exists: usage errors. */
int	 cmd_usage(struct cli *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Reset getopt for a command's own options. */
void	 cmd_getopt_reset(void);

/* msg without a leading "prefix: " (an error that names the account
 * already, shown after the account's name). */
const char *cmd_unprefixed(const char *msg, const char *prefix);

/* Parse a message id ("42"); -1 on junk. */
int	 cmd_parse_id(const char *, int64_t *);

/*
 * The folder a command works on.  account and folder may be NULL:
 * no folder means the account's inbox; no account means the folder of
 * that name in the only account that has one (or the default account);
 * neither means *folder_id_r = 0 when allow_all, else the default inbox.
 */
int	 cmd_resolve_folder(struct cmd *, const char *account,
	    const char *folder, bool allow_all, int64_t *folder_id_r,
	    int64_t *account_id_r, struct err *);
int	 cmd_resolve_account(struct cmd *, const char *, int64_t *,
	    struct err *);
/* Account and folder name of a folder id (cached; never NULL). */
const struct cmd_folder_name *cmd_folder_name(struct cmd *, int64_t);
/* A message by id, or ERR_NOTFOUND "no message with id N". */
int	 cmd_get_message(struct cmd *, int64_t, struct store_msg **,
	    struct err *);

/* "2024-01-31T10:00:00+07:00" (the Date header's offset when it has
 * the same instant, else UTC "Z"). */
void	 cmd_rfc3339(struct buf *, int64_t, const char *date_raw);
/* Flags as IMAP names ("\\Seen") and keywords: a JSON array. */
void	 cmd_json_flags(struct json *, unsigned, const char *);
/* Letters for the text listing: N unread, F flagged, A answered, D
 * deleted, T draft; '-' for none.  out needs 6 bytes. */
void	 cmd_flag_letters(unsigned, char *);
/* The message row object of doc/json.md. */
void	 cmd_json_message(struct cmd *, const struct store_msg *);
/* Untrusted one-line text for a text listing: sanitized, no newlines. */
void	 cmd_put_line_text(FILE *, const char *);
/* The same, cut or padded to cols terminal columns. */
void	 cmd_put_padded(FILE *, const char *, size_t);

#endif
