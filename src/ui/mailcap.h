/*
 * RFC 1524 mailcap files: which program shows a MIME type, and running
 * it safely.  The files are the user's (trusted); everything that comes
 * from a message (the attachment's name, its type, its parameters) is
 * untrusted and never reaches a shell unquoted: the file handed to a
 * viewer has a name of ours (random, with a sanitized extension), and
 * %s, %t and %{param} are substituted already shell-quoted, reduced to
 * harmless characters besides.  No curses here: attach.c draws.
 */
#ifndef SURAT_UI_MAILCAP_H
#define SURAT_UI_MAILCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct buf;
struct err;

struct mailcap_entry {
	char	*type;		/* "text/html"; "image" becomes "image/ *" */
	char	*view;		/* the view command, backslashes undone */
	char	*test;		/* test=, or NULL */
	char	*nametemplate;	/* nametemplate=, or NULL */
	char	*description;
	bool	 needsterminal;
	bool	 copiousoutput;
};

struct mailcap {
	struct mailcap_entry	*v;
	size_t			 n;
};

#define MAILCAP_MAX_FILE	(1024 * 1024)	/* bigger files are skipped */

/* Parse one file's text, appending its entries; bad lines are skipped. */
void	 mailcap_parse(struct mailcap *, const char *, size_t);
/*
 * Load the search path: $MAILCAPS (colon-separated) when set, else
 * ~/.mailcap then /etc/mailcap.  Missing files are skipped.
 */
void	 mailcap_load(struct mailcap *);
void	 mailcap_free(struct mailcap *);

/* Whether a mailcap type ("image/ *", "text/plain") covers type. */
bool	 mailcap_type_match(const char *, const char *);

/* Parameters of the part for %{name}; NULL when there is none. */
typedef const char *mailcap_param_fn(void *, const char *);

/*
 * Expand a mailcap command: %s becomes file, %t type, %{name} the
 * part's parameter; each shell-quoted ('...') and, for %t and %{name},
 * reduced to letters, digits and "+-._/=@," first.  %% is one %; other
 * %-sequences (%n, %F) expand to nothing.  *uses_file_r: whether %s
 * occurred (if not, the file goes to standard input).  Allocated.
 */
char	*mailcap_expand(const char *, const char *, const char *,
	    mailcap_param_fn *, void *, bool *);
/* Append s quoted for sh: '...' with every ' written as '\''. */
void	 mailcap_shell_quote(struct buf *, const char *);
/*
 * The suffix for the temporary file: ".ext" from the entry's
 * nametemplate (the part after %s) when it has one, else from the
 * attachment's name; only letters and digits, at most 16 of them;
 * "" when there is nothing usable.  Allocated.
 */
char	*mailcap_suffix(const struct mailcap_entry *, const char *);
/*
 * Create dir/surat-XXXXXX<suffix> with O_EXCL, mode 0600, holding the
 * len bytes of data.  Allocated path, or NULL with err.
 */
char	*mailcap_write_temp(const char *, const char *, const void *, size_t,
	    struct err *);

/*
 * The first entry for type whose test (if any) passes; test_fn runs a
 * test command and returns true on success (NULL: entries with a test
 * never match).  skip_copious: ignore copiousoutput entries (for
 * "open", which wants a program, not text).
 */
const struct mailcap_entry *mailcap_find(const struct mailcap *,
	    const char *, bool, bool (*)(void *, const char *), void *);

/* ---- Running commands (sh -c), for the attachment viewer ---- */

/*
 * Run cmd with sh -c, standard input from stdin_path (NULL: /dev/null),
 * standard output and error captured into out (at most cap bytes; the
 * rest is dropped), stopped after timeout_ms.  Returns the exit status
 * (128+N for a signal, 124 on timeout) or -1 with err.
 */
int	 mailcap_run_capture(const char *, const char *, size_t, int,
	    struct buf *, struct err *);
/*
 * Start cmd with sh -c in the background, its standard input from
 * stdin_path (NULL: /dev/null), output to /dev/null, in a process group
 * of its own.  Returns the pid, or -1 with err.
 */
pid_t	 mailcap_run_background(const char *, const char *, struct err *);

#endif
