/* Helpers shared inside src/imap; not part of its public face. */
#ifndef SURAT_IMAP_IMAP_INT_H
#define SURAT_IMAP_IMAP_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"

struct err;

/* Tokenise a complete, literal-free text (a response code's arguments)
 * into a LIST of values. */
int	 imap_parse_args(const char *, size_t, struct imap_arg *,
	    struct err *);

/* Tags are "a001", "a002", ...; one command in flight at a time. */
#define IMAP_TAG_MAX	16

struct imap_conn {
	struct net_conn		*net;
	struct imap_parser	*parser;
	struct buf		 in;		/* read, not yet parsed */
	enum imap_state		 state;
	enum net_security	 security;
	bool			 allow_plaintext;
	unsigned int		 tagn;
	char			 tag[IMAP_TAG_MAX];
	bool			 idling;
	bool			 logging_out;
	char			**caps;		/* upper case */
	size_t			 ncaps;
	bool			 caps_known;
	char			**enabled;
	size_t			 nenabled;
	struct imap_mailbox	 mbox;
	char			**alerts;
	size_t			 nalerts;
	imap_event_fn		*event_cb;
	void			*event_arg;
	char			*peer;
	size_t			 max_response;
	enum imap_code_type	 refusal;	/* of the last NO or BAD */
};

struct imap_cmd;

/* 1: the response was for the command; 0: not (goes to the event
 * callback); -1: error (stored, the reply is still read to its end). */
typedef int	imap_cmd_untagged_fn(struct imap_conn *, struct imap_cmd *,
		    const struct imap_response *, struct err *);
/* A "+" during the command (AUTHENTICATE, IDLE): 0 or -1 (fatal). */
typedef int	imap_cmd_continue_fn(struct imap_conn *, struct imap_cmd *,
		    const struct imap_response *, struct err *);

struct imap_cmd_lit {
	size_t		 at;		/* where in text the literal goes */
	const void	*data;
	size_t		 len;
};

struct imap_cmd {
	const char		*name;		/* "SELECT", for messages */
	unsigned int		 states;	/* 1 << IMAP_STATE_* allowed */
	struct buf		 text;		/* without the tag */
	struct imap_cmd_lit	*lits;
	size_t			 nlits;
	bool			 secret;	/* text or literals hold one */
	imap_cmd_untagged_fn	*on_untagged;
	imap_cmd_continue_fn	*on_continue;
	void			*arg;
	struct imap_response	*reply;		/* the tagged reply */
	struct err		 cb_err;
	bool			 cb_failed;
};

#define IMAP_IN(s)	(1u << (s))
#define IMAP_ANY_STATE	(IMAP_IN(IMAP_STATE_NOT_AUTH) | \
			 IMAP_IN(IMAP_STATE_AUTH) | IMAP_IN(IMAP_STATE_SELECTED))
#define IMAP_AUTHED	(IMAP_IN(IMAP_STATE_AUTH) | IMAP_IN(IMAP_STATE_SELECTED))

void	 imap_cmd_init(struct imap_cmd *, const char *, unsigned int);
void	 imap_cmd_addf(struct imap_cmd *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* A string argument: quoted when it can be, else a literal (borrowed). */
void	 imap_cmd_add_string(struct imap_cmd *, const char *);
/* A literal; data is borrowed until the command has run. */
void	 imap_cmd_add_literal(struct imap_cmd *, const void *, size_t);
/*
 * Send and read to the tagged reply: 0 on OK; NO and BAD give
 * ERR_REFUSED with the server's words; connection trouble breaks the
 * connection (state LOGOUT).
 */
int	 imap_cmd_run(struct imap_conn *, struct imap_cmd *, struct err *);
/* imap_cmd_run() in two steps: send, then (after other work, but no
 * other command) read the reply.  A finish must follow every start that
 * returned 0. */
int	 imap_cmd_start(struct imap_conn *, struct imap_cmd *, struct err *);
int	 imap_cmd_finish(struct imap_conn *, struct imap_cmd *, struct err *);
void	 imap_cmd_free(struct imap_cmd *);

/* Mark the connection unusable. */
void	 imap_conn_broken(struct imap_conn *);
void	 imap_set_state(struct imap_conn *, enum imap_state);
void	 imap_mailbox_clear(struct imap_mailbox *);
/* Read one response and apply what it says to the connection's state. */
int	 imap_read_response(struct imap_conn *, struct imap_response **,
	    struct err *);
/* 0, or 1 when the response must be dropped (an unknown message), -1. */
int	 imap_apply_untagged(struct imap_conn *, const struct imap_response *,
	    struct err *);
void	 imap_forget_caps(struct imap_conn *);
void	 imap_emit_event(struct imap_conn *, const struct imap_response *);
/* The server's text, sanitized and clipped, for an error message. */
char	*imap_server_words(const char *);
/* A referral's URL, sanitized and without its user part, or NULL. */
char	*imap_referral_words(const struct imap_response *);
/* "(MESSAGES UIDNEXT ...)" for a mask of IMAP_STATUS_*. */
void	 imap_add_status_items(struct imap_conn *, struct buf *,
	    unsigned int);
/* UID SEARCH's text for keys (CHARSET UTF-8 only when needed). */
int	 imap_search_build(struct imap_cmd *, const struct imap_search_key *,
	    size_t, struct err *);
/* A sequence set as the caller gave it: digits, ':', ',' and '*'. */
bool	 imap_valid_set(const char *);

#endif
