/* What the files of src/config share: the line lexer, key tables, I/O. */
#ifndef SURAT_CONFIG_INTERNAL_H
#define SURAT_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct config;
struct config_account;
struct config_general;
struct err;

#define CFG_MAX_FILE	(1024 * 1024)	/* a config is not a mailbox */
#define CFG_MAX_LINE	8192
#define CFG_MAX_NAME	64		/* account names */

enum cfg_line_kind {
	CFG_LINE_BLANK = 0,	/* also comment-only lines */
	CFG_LINE_SECTION,
	CFG_LINE_KV,
};

/* One lexed line; strings are allocated. */
struct cfg_line {
	enum cfg_line_kind	 kind;
	char			*section;	/* "general", "account", ... */
	char			*arg;		/* NAME of [account NAME] */
	char			*key;
	char			*value;		/* unquoted, unescaped */
};

/*
 * Lex one line (without its newline).  free_keys: keys may hold any text
 * (the [colors] and [keys] sections), else [a-z0-9_]+.  Returns -1 with
 * an untranslated reason in *why_r.
 */
int	 cfg_lex_line(const char *, size_t, bool, struct cfg_line *,
	    const char **);
void	 cfg_line_clear(struct cfg_line *);
/* Whether a section name takes free-form keys. */
bool	 cfg_section_free(const char *);
/* Append a value, quoted when it needs to be. */
void	 cfg_put_value(struct buf *, const char *);
/* Append "[account NAME]" (quoted when needed). */
void	 cfg_put_account_header(struct buf *, const char *);
/* Whether an account name is acceptable; untranslated reason if not. */
bool	 cfg_valid_account_name(const char *, const char **);

/* A file read whole, bounded; ENOENT gives ERR_NOTFOUND. */
int	 cfg_read_file(const char *, struct buf *, struct err *);
/* Wipe and free a buffer that may hold a password. */
void	 cfg_buf_wipe(struct buf *);

/* Load from memory (the writer checks what it is about to write). */
int	 cfg_load_buffer(const char *, const char *, size_t, struct config *,
	    struct err *);

/*
 * The keys of [general] and [account NAME]: how to set each from text
 * (0, or -1 with a message saying what was expected; *warn_r may get a
 * warning) and how to render it back (NULL: the default, not written).
 */
struct cfg_key {
	const char	*name;
	int		(*set)(void *, const struct cfg_key *, const char *,
			    char **, struct err *);
	char		*(*get)(const void *, const struct cfg_key *);
	size_t		 off;
	unsigned	 min, max, def;
};
extern const struct cfg_key	cfg_account_keys[];
extern const size_t		cfg_naccount_keys;
extern const struct cfg_key	cfg_general_keys[];
extern const size_t		cfg_ngeneral_keys;
/* Index of name in a table, or -1. */
int	 cfg_key_index(const struct cfg_key *, size_t, const char *);
/* "unknown key 'x' in [s]; did you mean 'y'? known keys: ..." */
void	 cfg_unknown_key(struct err *, const struct cfg_key *, size_t,
	    const char *, const char *);
/*
 * Check an account and fill in derived values.  On failure *key_r names
 * the key at fault (NULL: the section as a whole).
 */
int	 cfg_account_validate(struct config_account *, const char **,
	    struct err *);
void	 cfg_general_init(struct config_general *);
void	 cfg_general_clear(struct config_general *);

/* The lines an account renders to, for the writer. */
struct cfg_pair {
	const char	*key;
	char		*value;
};
size_t	 cfg_account_render(const struct config_account *,
	    struct cfg_pair **);
size_t	 cfg_general_render(const struct config *, struct cfg_pair **);
void	 cfg_pairs_free(struct cfg_pair **, size_t);

/* Expand a leading "~/" to the home directory; allocated. */
char	*cfg_expand_home(const char *);
/* The home directory ($HOME, else the password database); allocated,
 * NULL when there is none. */
char	*cfg_home(void);

#endif
