/*
 * The configuration: the file format (surat.conf(5)), accounts with their
 * servers, XDG paths, secrets (password_cmd, prompt hook), the writer used
 * by the setup wizard, and provider presets for autodetection.
 *
 * Note for files inside src/config/: this header shadows the autoconf
 * "config.h" there, so those files include <config.h> for the latter.
 */
#ifndef SURAT_CONFIG_CONFIG_H
#define SURAT_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net.h"
#include "util/log.h"

struct err;

/* ------------------------------------------------------------------ */
/* Servers */

enum config_protocol {
	CONFIG_PROTO_IMAP = 0,
	CONFIG_PROTO_POP3,
	CONFIG_PROTO_SMTP,
};

/* One server, parsed from a URL such as imaps://user@host:993. */
struct config_server {
	enum config_protocol	 protocol;
	enum net_security	 security;
	char			*host;		/* NULL: not configured */
	uint16_t		 port;		/* the scheme's default if absent */
	char			*url_user;	/* user part of the URL, or NULL */
};

/*
 * Parse a server URL.  incoming: imaps, imap+starttls, imap, pop3s,
 * pop3+starttls, pop3; otherwise smtps, smtp+starttls, smtp.  The user
 * may be percent-encoded and may contain '@' (the last '@' ends it).
 * Plain schemes parse here; refusing them without allow_plaintext is the
 * loader's job.  Fills *srv (free with config_server_clear()); ERR_CONFIG
 * with a message saying what was expected.
 */
int	 config_server_parse(const char *, bool incoming,
	    struct config_server *, struct err *);
/* The URL form of a server (always with the port); allocated. */
char	*config_server_url(const struct config_server *);
void	 config_server_clear(struct config_server *);
/* Default port of a protocol and security: 993, 143, 995, 110, 465, 587. */
uint16_t config_default_port(enum config_protocol, enum net_security);
const char *config_protocol_name(enum config_protocol);	/* "imap" ... */

/* ------------------------------------------------------------------ */
/* Accounts */

enum config_auth {
	CONFIG_AUTH_AUTO = 0,	/* best mechanism the server offers */
	CONFIG_AUTH_PLAIN,
	CONFIG_AUTH_LOGIN,
	CONFIG_AUTH_XOAUTH2,	/* needs oauth_token_cmd */
};

enum config_pop3_policy {
	CONFIG_POP3_KEEP = 0,		/* leave everything on the server */
	CONFIG_POP3_DELETE,		/* delete once stored locally */
	CONFIG_POP3_KEEP_DAYS,		/* delete after pop3_keep_days */
	CONFIG_POP3_KEEP_UNTIL_DELETED,	/* delete when deleted in surat */
};

enum config_prefetch {
	CONFIG_PREFETCH_NONE = 0,	/* headers only; bodies on demand */
	CONFIG_PREFETCH_RECENT,		/* bodies of the newest N per folder */
	CONFIG_PREFETCH_ALL,
	CONFIG_PREFETCH_DAYS,		/* bodies of the last N days */
};

enum config_sent_copy {
	CONFIG_SENT_COPY_AUTO = 0,	/* not for Gmail, which files it */
	CONFIG_SENT_COPY_YES,
	CONFIG_SENT_COPY_NO,
};

enum config_rate_period {
	CONFIG_RATE_NONE = 0,		/* no limit */
	CONFIG_RATE_HOUR,
	CONFIG_RATE_DAY,
};

/*
 * One [account NAME] section.  Every pointer is owned by the struct and
 * may be NULL when unset, except id, email and incoming.host after a
 * successful load or config_account_check().  user and smtp_user hold
 * the effective login names (defaults already applied).
 */
struct config_account {
	char			*id;		/* NAME of [account NAME] */
	char			*name;		/* display name for From */
	char			*email;
	struct config_server	 incoming;	/* IMAP or POP3 */
	struct config_server	 outgoing;	/* SMTP; host NULL: cannot send */
	char			*user;		/* user, URL user, else email */
	char			*smtp_user;	/* smtp_user, URL user, else user */
	char			*password_cmd;
	char			*password;	/* clear text in the file */
	/*
	 * The writer puts a clear-text password in the file only when this
	 * is set: the user insisted (or the loaded file already had one).
	 */
	bool			 save_password;
	char			*smtp_password_cmd; /* NULL: as incoming */
	enum config_auth	 auth;
	char			*oauth_token_cmd;
	char			*ca_file;
	char			*pin;		/* "sha256:HEX" */
	bool			 allow_plaintext;
	enum config_pop3_policy	 pop3_policy;
	unsigned		 pop3_keep_days; /* for CONFIG_POP3_KEEP_DAYS */
	enum config_prefetch	 prefetch;
	unsigned		 prefetch_recent; /* N of recent:N; default 30 */
	unsigned		 prefetch_days;	/* N of days:N */
	enum config_sent_copy	 sent_copy;
	unsigned		 rate_limit;	/* messages per rate_period */
	enum config_rate_period	 rate_period;
	char			*sent_folder;	/* NULL: from SPECIAL-USE/names */
	char			*drafts_folder;
	char			*trash_folder;
	bool			 idle;		/* default yes */
	unsigned		 poll_interval;	/* seconds; default 300 */
	char			*signature_file;
	bool			 is_default;	/* default = yes */
	unsigned		 timeout;	/* seconds; default 300 */
	int			 line;		/* of the section header; 0 if none */
};

/* Defaults for every field; all strings NULL. */
void	 config_account_init(struct config_account *);
/*
 * Validate an account built by hand (the setup wizard) the way the loader
 * does, and fill user/smtp_user from their defaults when NULL.
 */
int	 config_account_check(struct config_account *, struct err *);
void	 config_account_clear(struct config_account *);
/*
 * How to reach one side of an account: host, port (the default for the
 * scheme when unset), timeout, CA file and pin.  The strings point into
 * the account.
 */
struct net_endpoint config_account_endpoint(const struct config_account *,
	    bool outgoing);
/* A deep copy into *dst (initialised here). */
void	 config_account_copy(struct config_account *,
	    const struct config_account *);
/*
 * Set one key from text exactly as the config file does ("prefetch",
 * "days:7"), for command-line options that mirror a key; its messages
 * name the value as label ("--prefetch").  Keys with warnings (timeout)
 * are not for this: the warning is dropped.
 */
int	 config_account_set(struct config_account *, const char *,
	    const char *, const char *, struct err *);

/* ------------------------------------------------------------------ */
/* The whole file */

enum config_sort {
	CONFIG_SORT_DATE = 0,
	CONFIG_SORT_ARRIVAL,
	CONFIG_SORT_FROM,
	CONFIG_SORT_SUBJECT,
	CONFIG_SORT_SIZE,
};

enum config_delete_mode {
	CONFIG_DELETE_TRASH = 0,	/* move to the trash folder */
	CONFIG_DELETE_EXPUNGE,		/* flag \Deleted and expunge */
};

/* [general] */
struct config_general {
	char			*editor;	/* NULL: $VISUAL, $EDITOR, vi */
	char			*log_file;	/* NULL: no log (unless --log) */
	enum log_level		 log_level;	/* default warn */
	enum config_sort	 sort;		/* default date */
	bool			 sort_reverse;	/* "reverse-date" */
	bool			 threading;	/* default yes */
	bool			 sidebar;	/* default yes */
	char			*html_converter; /* NULL: built-in */
	char			*legacy_charset; /* default windows-1252 */
	bool			 prefer_plain;	/* default yes */
	enum config_delete_mode	 delete_mode;	/* default trash */
	bool			 mouse;		/* default no */
};

/* A free-form key/value from [colors] or [keys], in file order. */
struct config_kv {
	char	*key;
	char	*value;
	int	 line;
};

struct config {
	char			*path;		/* the file loaded, or NULL */
	struct config_general	 general;
	struct config_account	*accounts;
	size_t			 naccounts;
	struct config_kv	*colors;
	size_t			 ncolors;
	struct config_kv	*keys;
	size_t			 nkeys;
	/* Translated, "FILE:LINE: ..." messages for the caller to show. */
	char			**warnings;
	size_t			 nwarnings;
};

/* An empty configuration with defaults (no accounts). */
void	 config_init(struct config *);
/*
 * Load path into *cfg (initialised here; free with config_free() even on
 * failure).  A missing file is ERR_NOTFOUND with the message "no
 * configuration at PATH; run 'surat setup'" so the UI can start the
 * setup wizard; every other problem is ERR_CONFIG "FILE:LINE: ...", or
 * ERR_IO.
 */
int	 config_load(const char *, struct config *, struct err *);
void	 config_free(struct config *);
const struct config_account *config_account_find(const struct config *,
	    const char *);
/* The account with default = yes, else the first; NULL without any. */
const struct config_account *config_default_account(const struct config *);

/*
 * Write a whole configuration to path, atomically (temporary file in the
 * same directory, fsync, rename), mode 0600, creating the directory
 * (0700) if needed.  Only values that differ from the defaults are
 * written.  This replaces the file: comments of an old file are lost.
 */
int	 config_write(const char *, const struct config *, struct err *);
/*
 * Add or replace one account (matched by id) in the file at path, or
 * create the file.  Other sections and all comments are kept; in the
 * replaced section, lines whose value did not change are kept as they
 * were.  When the account is the default, other accounts' "default"
 * lines are dropped.  Atomic and 0600 as above.
 */
int	 config_write_account(const char *, const struct config_account *,
	    struct err *);
/* Remove [account NAME] and its lines; ERR_NOTFOUND if absent. */
int	 config_remove_account(const char *, const char *, struct err *);

/* ------------------------------------------------------------------ */
/* Paths */

/* $XDG_CONFIG_HOME/surat/config, else ~/.config/surat/config. */
char	*config_default_path(struct err *);
/* $XDG_DATA_HOME/surat, else ~/.local/share/surat. */
char	*config_default_data_dir(struct err *);
/* override (--config / SURAT_CONFIG) when non-NULL, else the default. */
char	*config_path(const char *, struct err *);
char	*config_data_dir(const char *, struct err *);

/* ------------------------------------------------------------------ */
/* Secrets */

enum config_secret {
	CONFIG_SECRET_INCOMING = 0,	/* IMAP/POP3 password */
	CONFIG_SECRET_OUTGOING,		/* SMTP password */
	CONFIG_SECRET_OAUTH,		/* OAuth2 access token */
};

/* config_get_password() result when the user must be asked. */
#define CONFIG_NEED_PROMPT	1

/*
 * Ask the user for a secret.  Return 0 with an allocated *pw_r (surat
 * wipes and frees it), or -1 with err (ERR_CANCELLED when the user gave
 * up).  Called on the thread that called config_get_password().
 */
typedef int (*config_prompt_fn)(const struct config_account *,
	    enum config_secret, char **, void *, struct err *);

/* Set (or clear, with NULL) the process-wide prompt hook. */
void	 config_set_prompt(config_prompt_fn, void *);

/*
 * The secret for one side of an account:
 *   - the command (password_cmd, smtp_password_cmd falling back to
 *     password_cmd, oauth_token_cmd) run by /bin/sh -c with stdin from
 *     /dev/null; its first line of output is the secret.  A non-zero exit,
 *     no output or taking longer than the account's timeout fails with
 *     ERR_AUTH and the first line of the command's stderr;
 *   - else the clear-text password from the file;
 *   - else the prompt hook, if set;
 *   - else CONFIG_NEED_PROMPT (1) with *pw_r NULL: the caller asks.
 * Returns 0 with an allocated *pw_r (free with str_free_secret()), 1, or
 * -1.  Secrets are never logged and never appear in error messages.
 */
int	 config_get_password(const struct config_account *,
	    enum config_secret, char **, struct err *);

/* ------------------------------------------------------------------ */
/* Provider presets and guesses (providers.c) */

struct config_provider {
	const char	*domain;	/* lower case, e.g. "gmail.com" */
	const char	*name;		/* "Gmail" */
	/* Server URLs for config_server_parse(), NULL when not offered. */
	const char	*imap_url;
	const char	*pop3_url;
	const char	*smtp_url;	/* preferred */
	const char	*smtp_alt_url;	/* another port, or NULL */
	/* Untranslated (N_()): show with _(note).  May be NULL. */
	const char	*note;
};

/*
 * The preset for the domain of an e-mail address (or a bare domain),
 * case-insensitively; NULL when unknown.  Entries of the file named by
 * $SURAT_PROVIDERS_FILE come first (lines "domain imap_url pop3_url
 * smtp_url note", '-' for none; tests point a domain at loopback).  The
 * result lives as long as the process.
 */
const struct config_provider *config_provider_lookup(const char *);

/* One candidate server, for probing by the setup wizard. */
struct config_guess {
	enum config_protocol	 protocol;
	enum net_security	 security;
	char			*host;
	uint16_t		 port;
};

/*
 * Candidates for an address's domain, most likely first: imap.D, mail.D
 * (993 then 143 STARTTLS), pop.D, mail.D (995, 110), smtp.D, mail.D (465,
 * 587).  Returns the count (0 for an address without a domain); free
 * with config_guess_free().
 */
size_t	 config_guess_servers(const char *, struct config_guess **);
void	 config_guess_free(struct config_guess **, size_t);

/* ------------------------------------------------------------------ */
/* Autodetection (autodetect.c) */

/* One SRV record (RFC 2782). */
struct config_srv {
	uint16_t	 priority, weight, port;
	char		*host;
};

/*
 * The servers an address's domain announces in DNS (RFC 6186, with the
 * implicit-TLS services of RFC 8314), each service's records best first,
 * implicit TLS before STARTTLS.  0 when none or DNS fails.  Free with
 * config_guess_free().
 */
size_t	 config_srv_servers(const char *, struct config_guess **);

/*
 * The SRV records in one DNS answer, appended to *list (n records so
 * far); returns the new count.  A "." target sets *absent_r.  Exposed
 * for tests; config_srv_sort() orders by priority, then heavier first.
 */
size_t	 config_srv_parse(const unsigned char *, size_t, struct config_srv **,
	    size_t, bool *);
void	 config_srv_sort(struct config_srv *, size_t);
void	 config_srv_free(struct config_srv **, size_t);

struct config_probe_opts {
	int		 timeout_ms;	/* 0: 5 s */
	const char	*ca_file;	/* extra trust anchor, or NULL */
	const char	*pin;		/* accept exactly this certificate */
	bool		 no_system_trust;
};

/*
 * Connect to a candidate, read its greeting and (for STARTTLS) upgrade:
 * 0 when it answers as its protocol with a certificate that verifies.
 * The certificate seen, good or bad, lands in cert_r (may be NULL) so the
 * wizard can show its fingerprint and offer to pin it.  Sends no
 * credentials.
 */
int	 config_probe(const struct config_guess *,
	    const struct config_probe_opts *, struct net_cert_info *,
	    struct err *);

#endif
