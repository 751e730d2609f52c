/*
 * IMAP4rev1 (RFC 3501) client: an incremental, I/O-free response parser,
 * typed readings of the responses the sync engine needs, and a blocking
 * client over net/ with one state machine.
 *
 * Strings in parsed responses are raw server bytes: sanitize them
 * (util/sanitize.h) before anything draws them.
 */
#ifndef SURAT_IMAP_IMAP_H
#define SURAT_IMAP_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/net.h"

struct buf;
struct err;

/* ------------------------------------------------------------------ */
/* Parsed values                                                       */

enum imap_arg_type {
	IMAP_ARG_NIL = 0,
	IMAP_ARG_ATOM,		/* also numbers and BODY[...]<n> items */
	IMAP_ARG_STRING,	/* quoted, escapes removed */
	IMAP_ARG_LITERAL,	/* may hold NUL bytes: use len */
	IMAP_ARG_LIST,
};

struct imap_arg {
	enum imap_arg_type	 type;
	char			*str;	/* NUL-terminated; NULL for NIL, LIST */
	size_t			 len;	/* bytes in str */
	struct imap_arg		*list;	/* LIST: the items */
	size_t			 count;
};

/* Atom, quoted string or literal (an IMAP "astring"): its text, else NULL. */
const char *imap_arg_str(const struct imap_arg *);
/* Like imap_arg_str but NIL is accepted (returns NULL) "nstring". */
bool	 imap_arg_is_nstring(const struct imap_arg *);
bool	 imap_arg_is_string(const struct imap_arg *);
bool	 imap_arg_atom_is(const struct imap_arg *, const char *);
/* Strict unsigned numbers: 32 bits, or 63 bits (mod-sequences). */
int	 imap_arg_u32(const struct imap_arg *, uint32_t *);
int	 imap_arg_u63(const struct imap_arg *, uint64_t *);
void	 imap_arg_free(struct imap_arg *);

/* ------------------------------------------------------------------ */
/* Responses                                                           */

enum imap_resp_type {
	IMAP_RESP_UNTAGGED = 0,
	IMAP_RESP_TAGGED,
	IMAP_RESP_CONTINUE,
};

enum imap_cond {
	IMAP_COND_NONE = 0,	/* untagged data: FETCH, LIST, EXISTS, ... */
	IMAP_COND_OK,
	IMAP_COND_NO,
	IMAP_COND_BAD,
	IMAP_COND_BYE,
	IMAP_COND_PREAUTH,
};

struct imap_response {
	enum imap_resp_type	 type;
	char			*tag;		/* TAGGED only */
	enum imap_cond		 cond;
	/* Status responses and continuations. */
	char			*code;		/* "UIDNEXT", upper case, or NULL */
	char			*code_text;	/* its arguments, raw, or "" */
	char			*text;		/* human text, raw, or "" */
	/* Untagged data: "* 3 FETCH (...)" has number 3 and name "FETCH". */
	bool			 has_number;
	uint32_t		 number;
	char			*name;		/* upper case; NULL for status */
	struct imap_arg		 args;		/* LIST of the rest of the line */
};

void	 imap_response_free(struct imap_response **);

/* ------------------------------------------------------------------ */
/* The incremental parser                                              */

#define IMAP_MAX_LINE_DEFAULT		(256 * 1024)
#define IMAP_MAX_RESPONSE_DEFAULT	(2 * 1024 * 1024)
#define IMAP_MAX_DEPTH			64

enum imap_parse_result {
	IMAP_PARSE_MORE = 0,	/* all input used, response not complete */
	IMAP_PARSE_DONE,	/* one response complete in *resp_r */
	IMAP_PARSE_ERROR,	/* ERR_PARSE, ERR_TOOBIG: stream unusable */
};

struct imap_parser;

struct imap_parser *imap_parser_new(void);
void	 imap_parser_free(struct imap_parser **);
/*
 * Caps: bytes in one line outside literals, and bytes in one whole
 * response including literals.  The client raises the second for a body
 * fetch.  A literal announced over the cap fails at once, before any of
 * its bytes are stored.
 */
void	 imap_parser_set_limits(struct imap_parser *, size_t, size_t);
/* Forget a partial response (after an error or a reconnection). */
void	 imap_parser_reset(struct imap_parser *);
/* True when no byte of a next response has been fed yet. */
bool	 imap_parser_idle(const struct imap_parser *);
/*
 * Feed bytes.  Stops at the end of one response: *used_r says how many
 * bytes were consumed; feed the rest again.  On DONE the caller owns
 * *resp_r.
 */
enum imap_parse_result imap_parser_feed(struct imap_parser *, const void *,
	    size_t, size_t *, struct imap_response **, struct err *);

/* Parse exactly one complete response (tests, fuzzers). */
struct imap_response *imap_parse_response(const void *, size_t,
	    struct err *);

/* ------------------------------------------------------------------ */
/* Sets of UIDs or sequence numbers                                     */

struct imap_range {
	uint32_t	lo, hi;		/* inclusive; '*' reads as UINT32_MAX */
};

struct imap_seqset {
	struct imap_range	*r;
	size_t			 n, cap;
};

int	 imap_seqset_parse(struct imap_seqset *, const char *, struct err *);
void	 imap_seqset_add(struct imap_seqset *, uint32_t, uint32_t);
bool	 imap_seqset_contains(const struct imap_seqset *, uint32_t);
uint64_t imap_seqset_count(const struct imap_seqset *);
/* Append "1:4,7" (ranges as given; sort and merge with _normalize). */
void	 imap_seqset_format(const struct imap_seqset *, struct buf *);
void	 imap_seqset_normalize(struct imap_seqset *);
void	 imap_seqset_clear(struct imap_seqset *);

/* ------------------------------------------------------------------ */
/* Typed readings.  Pointers to strings borrow from the response: they  */
/* live as long as it does.  Arrays belong to the typed struct.        */

/* Response codes ([UIDNEXT 5] ...). */
enum imap_code_type {
	IMAP_CODE_NONE = 0,
	IMAP_CODE_OTHER,
	IMAP_CODE_ALERT,
	IMAP_CODE_BADCHARSET,
	IMAP_CODE_CAPABILITY,
	IMAP_CODE_PARSE,
	IMAP_CODE_PERMANENTFLAGS,
	IMAP_CODE_READ_ONLY,
	IMAP_CODE_READ_WRITE,
	IMAP_CODE_TRYCREATE,
	IMAP_CODE_UIDNEXT,
	IMAP_CODE_UIDVALIDITY,
	IMAP_CODE_UNSEEN,
	IMAP_CODE_HIGHESTMODSEQ,
	IMAP_CODE_NOMODSEQ,
	IMAP_CODE_MODIFIED,
	IMAP_CODE_APPENDUID,
	IMAP_CODE_COPYUID,
	IMAP_CODE_UIDNOTSTICKY,
	IMAP_CODE_CLOSED,
	IMAP_CODE_REFERRAL,
	IMAP_CODE_AUTHENTICATIONFAILED,
	IMAP_CODE_AUTHORIZATIONFAILED,
	IMAP_CODE_UNAVAILABLE,
	IMAP_CODE_EXPIRED,
	IMAP_CODE_OVERQUOTA,
	IMAP_CODE_NONEXISTENT,
	IMAP_CODE_ALREADYEXISTS,
};

struct imap_code {
	enum imap_code_type	 type;
	uint32_t		 num;	/* UIDNEXT, UIDVALIDITY, UNSEEN,
					   APPENDUID/COPYUID validity */
	uint32_t		 uid;	/* APPENDUID */
	uint64_t		 modseq; /* HIGHESTMODSEQ */
	struct imap_seqset	 set1;	/* COPYUID source, MODIFIED, APPENDUID */
	struct imap_seqset	 set2;	/* COPYUID destination */
	struct imap_arg		 args;	/* CAPABILITY, PERMANENTFLAGS,
					   BADCHARSET: a LIST of atoms */
	const char		*text;	/* REFERRAL and others: raw */
};

/* A response without a code gives IMAP_CODE_NONE; a malformed known
 * code is ERR_PROTO. */
/* Only the kind of the code, its arguments not read. */
enum imap_code_type imap_code_type_of(const struct imap_response *);
int	 imap_code_parse(const struct imap_response *, struct imap_code *,
	    struct err *);
void	 imap_code_clear(struct imap_code *);

struct imap_address {
	const char	*name, *adl, *mailbox, *host;	/* raw; NULL for NIL */
};

struct imap_envelope {
	const char		*date, *subject;
	const char		*in_reply_to, *message_id;
	struct imap_address	*from, *sender, *reply_to, *to, *cc, *bcc;
	size_t			 n_from, n_sender, n_reply_to, n_to, n_cc,
				 n_bcc;
};

struct imap_param {
	const char	*name, *value;
};

struct imap_body {
	const char		*type, *subtype;	/* as sent */
	struct imap_param	*params;
	size_t			 nparams;
	const char		*id, *description, *encoding;
	uint64_t		 size;
	uint32_t		 lines;		/* text/ and message/rfc822 */
	/* Extension data, when present. */
	const char		*md5;
	const char		*disposition;
	struct imap_param	*dparams;
	size_t			 ndparams;
	const char		*location;
	/* message/rfc822 */
	struct imap_envelope	*envelope;
	/* multipart: the parts; message/rfc822: one, the inner body. */
	struct imap_body	*parts;
	size_t			 nparts;
};

/* One BODY[section]<origin> item. */
struct imap_section {
	char		*section;	/* "HEADER.FIELDS (FROM TO)", "1.2", "";
					   RFC822.HEADER reads as "HEADER" */
	bool		 has_origin;
	uint32_t	 origin;
	const char	*data;		/* NULL for NIL */
	size_t		 len;
};

#define IMAP_FETCH_UID		0x0001
#define IMAP_FETCH_FLAGS	0x0002
#define IMAP_FETCH_INTERNALDATE	0x0004
#define IMAP_FETCH_SIZE		0x0008
#define IMAP_FETCH_ENVELOPE	0x0010
#define IMAP_FETCH_BODYSTRUCTURE 0x0020
#define IMAP_FETCH_MODSEQ	0x0040

struct imap_fetch {
	uint32_t		 seq;
	unsigned int		 have;		/* IMAP_FETCH_* */
	uint32_t		 uid;
	const char		**flags;
	size_t			 nflags;
	time_t			 internaldate;
	uint64_t		 size;
	uint64_t		 modseq;
	struct imap_envelope	*envelope;
	struct imap_body	*body;
	struct imap_section	*sections;
	size_t			 nsections;
};

int	 imap_fetch_parse(const struct imap_response *, struct imap_fetch *,
	    struct err *);
void	 imap_fetch_clear(struct imap_fetch *);
/* The part of a body structure named by a section number ("1.2");
 * NULL when there is none (or no structure). */
const struct imap_body *imap_body_part(const struct imap_body *,
	    const char *);

/* "17-Jul-1996 02:44:25 -0700" to Unix time; -1 on junk. */
int	 imap_parse_date_time(const char *, time_t *);
/* Append a date-time in that form (for APPEND). */
void	 imap_format_date_time(struct buf *, time_t);

/* LIST / LSUB. */
#define IMAP_LIST_NOSELECT	0x0001
#define IMAP_LIST_NOINFERIORS	0x0002
#define IMAP_LIST_MARKED	0x0004
#define IMAP_LIST_UNMARKED	0x0008
#define IMAP_LIST_HASCHILDREN	0x0010
#define IMAP_LIST_HASNOCHILDREN	0x0020
#define IMAP_LIST_NONEXISTENT	0x0040
#define IMAP_LIST_SUBSCRIBED	0x0080
#define IMAP_LIST_REMOTE	0x0100

enum imap_role {
	IMAP_ROLE_NONE = 0,
	IMAP_ROLE_INBOX,
	IMAP_ROLE_ALL,
	IMAP_ROLE_ARCHIVE,
	IMAP_ROLE_DRAFTS,
	IMAP_ROLE_FLAGGED,
	IMAP_ROLE_JUNK,
	IMAP_ROLE_SENT,
	IMAP_ROLE_TRASH,
	IMAP_ROLE_IMPORTANT,
};

struct imap_list {
	unsigned int	 flags;		/* IMAP_LIST_* */
	enum imap_role	 role;
	char		 delim;		/* 0 for NIL */
	const char	*name;		/* as on the wire (modified UTF-7) */
};

int	 imap_list_parse(const struct imap_response *, struct imap_list *,
	    struct err *);
const char *imap_role_name(enum imap_role);

/* STATUS, and the same counters from SELECT. */
#define IMAP_STATUS_MESSAGES	0x01
#define IMAP_STATUS_RECENT	0x02
#define IMAP_STATUS_UIDNEXT	0x04
#define IMAP_STATUS_UIDVALIDITY	0x08
#define IMAP_STATUS_UNSEEN	0x10
#define IMAP_STATUS_HIGHESTMODSEQ 0x20
#define IMAP_STATUS_SIZE	0x40

struct imap_status {
	unsigned int	 have;
	uint32_t	 messages, recent, uidnext, uidvalidity, unseen;
	uint64_t	 highestmodseq, size;
	const char	*mailbox;	/* wire name */
};

int	 imap_status_parse(const struct imap_response *, struct imap_status *,
	    struct err *);

/* SEARCH and ESEARCH results, added to set. */
int	 imap_search_parse(const struct imap_response *, struct imap_seqset *,
	    struct err *);
/* VANISHED [(EARLIER)] set. */
int	 imap_vanished_parse(const struct imap_response *,
	    struct imap_seqset *, bool *, struct err *);

struct imap_quota_resource {
	const char	*name;		/* STORAGE (KiB), MESSAGE, ... */
	uint64_t	 usage, limit;
};

struct imap_quota {
	const char			*root;
	struct imap_quota_resource	*res;
	size_t				 nres;
};

int	 imap_quota_parse(const struct imap_response *, struct imap_quota *,
	    struct err *);
void	 imap_quota_clear(struct imap_quota *);

/* ------------------------------------------------------------------ */
/* Modified UTF-7 mailbox names (RFC 3501 5.1.3)                       */

/* UTF-8 to the wire form; -1 on invalid UTF-8. */
int	 imap_mutf7_encode(const char *, struct buf *, struct err *);
/* Wire form to UTF-8; -1 on anything not produced by a correct encoder. */
int	 imap_mutf7_decode(const char *, struct buf *, struct err *);

/* Append s as an IMAP quoted string; false if it needs a literal. */
bool	 imap_quote(struct buf *, const char *);

/* ------------------------------------------------------------------ */
/* The client                                                          */

/*
 * One connection, one state machine.  Every call blocks with the
 * endpoint's timeout.  Errors: ERR_REFUSED (tagged NO/BAD, with the
 * server's sanitized words), ERR_AUTH, ERR_STARTTLS, ERR_CLOSED (BYE or
 * a closed socket), ERR_PROTO, ERR_TOOBIG, and net/'s codes.  After any
 * error other than ERR_REFUSED the connection is unusable: close it.
 */
struct imap_conn;

enum imap_state {
	IMAP_STATE_NOT_AUTH = 0,
	IMAP_STATE_AUTH,
	IMAP_STATE_SELECTED,
	IMAP_STATE_LOGOUT,	/* also: broken, closed */
};

struct imap_params {
	struct net_endpoint	 ep;
	enum net_security	 security;
	/* Allow credentials over a connection without TLS. */
	bool			 allow_plaintext;
};

enum imap_auth_method {
	IMAP_AUTH_AUTO = 0,	/* AUTHENTICATE PLAIN if offered, else LOGIN */
	IMAP_AUTH_LOGIN,	/* the LOGIN command */
	IMAP_AUTH_PLAIN,	/* AUTHENTICATE PLAIN (SASL-IR when offered) */
	IMAP_AUTH_SASL_LOGIN,	/* AUTHENTICATE LOGIN */
	IMAP_AUTH_XOAUTH2,	/* AUTHENTICATE XOAUTH2; secret is the token */
};

struct imap_auth {
	const char		*user;
	const char		*secret;	/* password or OAuth2 token */
	enum imap_auth_method	 method;
};

/* What is known about the selected mailbox; updated by every response. */
struct imap_mailbox {
	char		*name;		/* wire name */
	bool		 readonly;
	uint32_t	 exists, recent, uidvalidity, uidnext, unseen;
	uint64_t	 highestmodseq;	/* 0 when unknown or NOMODSEQ */
	bool		 nomodseq;
	struct imap_arg	 flags;		/* LIST of atoms */
	struct imap_arg	 permanentflags;
};

/*
 * Untagged responses nobody asked for (EXISTS, EXPUNGE, VANISHED, FETCH
 * of flag changes), after the client has applied them to its state.
 */
typedef void	imap_event_fn(void *, const struct imap_response *);

/*
 * Connect, read the greeting, and with STARTTLS upgrade: the capability
 * STARTTLS must be offered (else ERR_STARTTLS, before any credential),
 * what was learnt before TLS is forgotten and asked for again, and a
 * PREAUTH greeting on a connection that requires TLS aborts.
 */
struct imap_conn *imap_connect(const struct imap_params *, struct err *);
/*
 * The same over an already connected socket (a tunnel, a test), which
 * it takes over; security STARTTLS or PLAIN only.
 */
struct imap_conn *imap_connect_fd(int, const struct imap_params *,
	    struct err *);
/* Close without LOGOUT; accepts NULL. */
void	 imap_close(struct imap_conn **);
int	 imap_login(struct imap_conn *, const struct imap_auth *,
	    struct err *);
int	 imap_logout(struct imap_conn *, struct err *);

enum imap_state imap_get_state(const struct imap_conn *);
const char *imap_peer(const struct imap_conn *);
void	 imap_set_event_cb(struct imap_conn *, imap_event_fn *, void *);
/* Raise (or restore, with 0) the response cap for big body fetches. */
void	 imap_set_max_response(struct imap_conn *, size_t);
/*
 * [ALERT] texts, sanitized and attributed to the server, oldest first;
 * the caller takes them (free each, then the array).
 */
char	**imap_take_alerts(struct imap_conn *, size_t *);

int	 imap_capability(struct imap_conn *, struct err *);
bool	 imap_has_cap(const struct imap_conn *, const char *);
/* ENABLE the given space-separated extensions when the server can. */
int	 imap_enable(struct imap_conn *, const char *, struct err *);
bool	 imap_is_enabled(const struct imap_conn *, const char *);
/* ID ("name" "surat" "version" ...); a no-op without the capability. */
int	 imap_id(struct imap_conn *, const char *, const char *,
	    struct err *);
int	 imap_noop(struct imap_conn *, struct err *);

struct imap_folder {
	char			*name;		/* wire name: use in commands */
	/*
	 * The name as UTF-8, exact: decoded when name is modified UTF-7
	 * (utf7 true), else name's own bytes (raw UTF-8 some servers send,
	 * control bytes), invalid UTF-8 replaced.  Not sanitized: it may
	 * hold control characters or bidi overrides, so sanitize it
	 * (util/sanitize.h) before it is shown anywhere.
	 */
	char			*utf8;
	bool			 utf7;
	char			 delim;
	unsigned int		 flags;		/* IMAP_LIST_* */
	enum imap_role		 role;
	struct imap_status	 status;	/* have == 0 unless LIST-STATUS */
};

/*
 * LIST "" pattern, with RETURN (SPECIAL-USE) and, with LIST-STATUS,
 * each folder's counters (statusmask: IMAP_STATUS_*).
 */
int	 imap_list_folders(struct imap_conn *, const char *, unsigned int,
	    struct imap_folder **, size_t *, struct err *);
void	 imap_folders_free(struct imap_folder **, size_t);

/* Every command takes the wire name, as imap_folder.name gives it; for
 * a name the user typed, imap_mutf7_encode() it first. */
int	 imap_create(struct imap_conn *, const char *, struct err *);
int	 imap_delete(struct imap_conn *, const char *, struct err *);

/* STATUS mailbox (items); st->mailbox is NULL on return. */
int	 imap_get_status(struct imap_conn *, const char *, unsigned int,
	    struct imap_status *, struct err *);

/* What the client remembers for QRESYNC (RFC 7162). */
struct imap_qresync {
	uint32_t	 uidvalidity;
	uint64_t	 modseq;
	const char	*known_uids;	/* or NULL */
};

/*
 * SELECT (or EXAMINE with readonly).  With QRESYNC enabled and qr given,
 * VANISHED (EARLIER) and changed FETCHes arrive during the command and go
 * to the event callback.  With CONDSTORE, asks for it.
 */
int	 imap_select(struct imap_conn *, const char *, bool,
	    const struct imap_qresync *, struct err *);
const struct imap_mailbox *imap_mailbox(const struct imap_conn *);
/* The response code of the last command refused (ERR_REFUSED):
 * IMAP_CODE_TRYCREATE says the target mailbox is missing. */
enum imap_code_type imap_refusal_code(const struct imap_conn *);
/* UNSELECT (or CLOSE when the server lacks it: that expunges!). */
int	 imap_unselect(struct imap_conn *, struct err *);

struct imap_fetch_req {
	const char	*uids;		/* UID set: "1:*", "4,7:9" */
	const char	*items;		/* "UID FLAGS BODY.PEEK[]" */
	uint64_t	 changedsince;	/* 0: all */
	bool		 vanished;	/* with QRESYNC and changedsince */
	size_t		 max_response;	/* response cap; 0: the default */
	/* FETCH for a requested UID; others go to the event callback. */
	int		(*on_fetch)(void *, const struct imap_fetch *,
			    struct err *);
	int		(*on_vanished)(void *, const struct imap_seqset *,
			    struct err *);
	void		*arg;
};

/*
 * What the sync engine fetches for a new message: add MODSEQ with
 * CONDSTORE.  Header fields beyond the envelope that the index shows.
 */
#define IMAP_HEADER_ITEMS \
	"UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE " \
	"BODY.PEEK[HEADER.FIELDS (REFERENCES LIST-ID LIST-POST " \
	"CONTENT-TYPE X-PRIORITY AUTO-SUBMITTED)]"

/* A callback's error stops the delivery, not the command: the reply is
 * read to its end so the connection stays usable.  FETCHes for UIDs
 * outside the set (a server's own news) go to the event callback. */
int	 imap_uid_fetch(struct imap_conn *, const struct imap_fetch_req *,
	    struct err *);
/*
 * imap_uid_fetch() in two steps, so the server prepares the answer while
 * the caller does other work (a sync commits the previous batch): start
 * sends the command; finish reads the reply and calls the callbacks.  req
 * must stay valid until finish, which must follow a start that returned
 * 0, with no other command on the connection in between.
 */
struct imap_fetch_pending;
int	 imap_uid_fetch_start(struct imap_conn *, const struct imap_fetch_req *,
	    struct imap_fetch_pending **, struct err *);
int	 imap_uid_fetch_finish(struct imap_conn *, struct imap_fetch_pending **,
	    struct err *);
/*
 * BODY.PEEK[section] of one message ("" the whole message, "1.2" a part,
 * "1.MIME", "HEADER": digits, dots, capitals), appended to out.  Over
 * cap bytes is ERR_TOOBIG (scope MESSAGE); the connection stays usable
 * up to 4 KiB over cap (the response is read and dropped), beyond that
 * the bytes are refused unread and the connection is unusable: check
 * the size (RFC822.SIZE, BODYSTRUCTURE) first.  A message gone is
 * ERR_NOTFOUND.
 */
int	 imap_fetch_part(struct imap_conn *, uint32_t, const char *, size_t,
	    struct buf *, struct err *);

/*
 * UID STORE uids action (flags), action "+FLAGS.SILENT", "-FLAGS.SILENT"
 * or "FLAGS.SILENT"; flags space-separated atoms.  With unchangedsince,
 * UIDs the server refused to change are put in modified_r (may be NULL).
 */
int	 imap_uid_store(struct imap_conn *, const char *, const char *,
	    const char *, uint64_t, struct imap_seqset *, struct err *);

/* From [COPYUID] (UIDPLUS); uidvalidity 0 when the server sent none. */
struct imap_copyuid {
	uint32_t		uidvalidity;
	struct imap_seqset	src, dst;
};

int	 imap_uid_copy(struct imap_conn *, const char *, const char *,
	    struct imap_copyuid *, struct err *);
/* UID MOVE, or COPY + STORE \Deleted + (UID) EXPUNGE without MOVE. */
int	 imap_uid_move(struct imap_conn *, const char *, const char *,
	    struct imap_copyuid *, struct err *);
/* UID EXPUNGE with UIDPLUS; else EXPUNGE (all \Deleted messages). */
int	 imap_uid_expunge(struct imap_conn *, const char *, struct err *);
void	 imap_copyuid_clear(struct imap_copyuid *);

/*
 * APPEND mailbox (flags) date message; date 0: none.  uidvalidity_r and
 * uid_r (may be NULL) from [APPENDUID], else 0.
 */
int	 imap_append(struct imap_conn *, const char *, const char *, time_t,
	    const void *, size_t, uint32_t *, uint32_t *, struct err *);

/* One search key: "UNSEEN" (value NULL), "FROM" "x", "SINCE" "1-Jan-2024". */
struct imap_search_key {
	const char	*key;
	const char	*value;		/* UTF-8 */
};

/* UID SEARCH [CHARSET UTF-8] keys... (ANDed); UIDs added to result. */
int	 imap_uid_search(struct imap_conn *, const struct imap_search_key *,
	    size_t, struct imap_seqset *, struct err *);

struct imap_quota_usage {
	bool		has_storage, has_messages;
	uint64_t	storage_used, storage_limit;	/* KiB */
	uint64_t	messages_used, messages_limit;
};

/* GETQUOTAROOT mailbox; without QUOTA, ERR_REFUSED. */
int	 imap_getquotaroot(struct imap_conn *, const char *,
	    struct imap_quota_usage *, struct err *);

/*
 * IDLE: start (waits for the server's go-ahead), wait up to timeout_ms
 * for anything (1: responses arrived and went to the event callback,
 * 0: timeout), done (DONE and the tagged reply).
 */
int	 imap_idle_start(struct imap_conn *, struct err *);
int	 imap_idle_wait(struct imap_conn *, int, struct err *);
int	 imap_idle_done(struct imap_conn *, struct err *);

#endif
