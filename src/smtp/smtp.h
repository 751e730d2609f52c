/*
 * SMTP submission (RFC 6409, 5321, 3207 STARTTLS, 4954 AUTH): an I/O-free
 * reply parser, the dot-stuffing encoder for DATA, and a blocking client
 * over net/net.h.
 */
#ifndef SURAT_SMTP_SMTP_H
#define SURAT_SMTP_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "net/net.h"

struct err;

/* ---- The reply parser ---------------------------------------------- */

#define SMTP_LINE_MAX	2048	/* one reply line */
#define SMTP_LINES_MAX	128	/* lines in one reply */

enum smtp_parse_result {
	SMTP_PARSE_MORE = 0,	/* every byte used; feed more */
	SMTP_PARSE_DONE,	/* the reply is complete; *used_r bytes used */
	SMTP_PARSE_ERROR,	/* err filled; the connection is out of step */
};

/* A complete reply: "250-first", "250 last" gives code 250, two lines. */
struct smtp_reply {
	int		 code;		/* 200..599 */
	char		 enhanced[16];	/* "5.1.1" (RFC 3463) or "" */
	char		**lines;	/* text after the code, raw */
	size_t		 nlines;
};

/* Fields are private; the struct is here so it can live on the stack. */
struct smtp_parser {
	int		 state;
	struct buf	 line;
	struct smtp_reply reply;
};

void	smtp_parser_init(struct smtp_parser *);
void	smtp_parser_free(struct smtp_parser *);
enum smtp_parse_result smtp_parser_feed(struct smtp_parser *, const char *,
	    size_t, size_t *, struct err *);
/* After SMTP_PARSE_DONE; valid until the parser is freed. */
const struct smtp_reply *smtp_parser_reply(const struct smtp_parser *);
/* Move the reply out of the parser; free it with smtp_reply_free(). */
void	smtp_parser_take(struct smtp_parser *, struct smtp_reply *);
void	smtp_reply_free(struct smtp_reply *);
/* The lines joined with spaces, sanitized for display; caller frees. */
char	*smtp_reply_text(const struct smtp_reply *);

/* ---- Dot-stuffing (RFC 5321 4.5.2) ----------------------------------- */

/*
 * Turns message bytes into DATA: CRLF line ends (bare LF and bare CR
 * become CRLF) and a second dot before every line that starts with one.
 */
struct smtp_dot_encoder {
	int	state;
};

void	smtp_dot_init(struct smtp_dot_encoder *);
void	smtp_dot_encode(struct smtp_dot_encoder *, const char *, size_t,
	    struct buf *);
/* The line end the data lacks, if any (never the terminator). */
void	smtp_dot_end_data(struct smtp_dot_encoder *, struct buf *);

/* ---- The client ------------------------------------------------------ */

struct smtp_conn;

enum smtp_auth {
	SMTP_AUTH_AUTO = 0,	/* PLAIN, else LOGIN */
	SMTP_AUTH_PLAIN,
	SMTP_AUTH_LOGIN,
	SMTP_AUTH_XOAUTH2,	/* secret is an OAuth2 access token */
};

struct smtp_envelope {
	const char	 *from;		/* "" for the null reverse path */
	const char	**rcpts;
	size_t		  nrcpts;
};

/* What happened to one message, beyond success or the err. */
struct smtp_result {
	/*
	 * The final dot was (perhaps partly) written and no reply came: the
	 * server may or may not have taken the message.  Retrying risks a
	 * duplicate; the user should check.
	 */
	bool	unknown;
	/* The reply that settled it (2xx on success), sanitized, or "". */
	char	reply[512];
	int	code;
	/* Index of the recipient refused, or -1. */
	int	bad_rcpt;
};

/*
 * Called once all message bytes are written and just before the final
 * ".": the last moment at which a crash means "not sent".  Return -1
 * (err filled) to abort without sending the dot.
 */
typedef int (*smtp_before_dot_fn)(void *, struct err *);

/*
 * Connect, read the greeting, EHLO (HELO as a fallback), and with
 * NET_SECURITY_STARTTLS upgrade (ERR_STARTTLS when the server does not
 * offer it, refuses, or injected bytes) and EHLO again over TLS.
 * helo: the name for EHLO; NULL means "localhost".
 */
struct smtp_conn *smtp_connect(const struct net_endpoint *,
	    enum net_security, const char *, struct err *);
/*
 * AUTH, only over TLS (ERR_STARTTLS otherwise).  secret: the password,
 * or the access token for XOAUTH2.  Rejection is ERR_AUTH, a 4xx is
 * ERR_TEMPFAIL.
 */
int	smtp_auth(struct smtp_conn *, enum smtp_auth, const char *,
	    const char *, struct err *);
/*
 * One message: MAIL FROM, RCPT TO for every recipient (pipelined when
 * the server offers PIPELINING), DATA streamed with dot-stuffing, and the
 * final reply.  Over the server's SIZE is ERR_TOOBIG before MAIL; 4xx is
 * ERR_TEMPFAIL; 5xx is ERR_REFUSED with the server's text.  A refused
 * recipient fails the whole message (nothing is sent) and is named in
 * result->bad_rcpt.  Check result->unknown whenever this fails.
 */
int	smtp_send(struct smtp_conn *, const struct smtp_envelope *,
	    const char *, size_t, smtp_before_dot_fn, void *,
	    struct smtp_result *, struct err *);
int	smtp_rset(struct smtp_conn *, struct err *);
int	smtp_noop(struct smtp_conn *, struct err *);
int	smtp_quit(struct smtp_conn *, struct err *);
void	smtp_close(struct smtp_conn **);

/* An EHLO keyword ("PIPELINING", "AUTH"...), case-insensitive. */
bool	smtp_has_ext(const struct smtp_conn *, const char *);
/* Its parameters ("PLAIN LOGIN" for AUTH), or NULL. */
const char *smtp_ext_params(const struct smtp_conn *, const char *);
/* The SIZE limit, or 0 when the server announced none. */
uint64_t smtp_max_size(const struct smtp_conn *);
bool	smtp_is_tls(const struct smtp_conn *);
const char *smtp_peer(const struct smtp_conn *);

#endif
