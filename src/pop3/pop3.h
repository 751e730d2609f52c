/*
 * POP3 (RFC 1939, 2449 CAPA, 2595 STLS, 5034 SASL): an I/O-free reply
 * parser that can be fed bytes in any split, and a blocking client over
 * net/net.h that streams messages to a caller-supplied sink.
 */
#ifndef SURAT_POP3_POP3_H
#define SURAT_POP3_POP3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "net/net.h"

struct err;

/* ---- The reply parser ---------------------------------------------- */

/* Longest status line ("+OK ...") and longest data line in line mode. */
#define POP3_STATUS_MAX	4096
#define POP3_LINE_MAX	4096

enum pop3_reply_kind {
	POP3_REPLY_OK = 0,	/* +OK */
	POP3_REPLY_ERR,		/* -ERR */
	POP3_REPLY_CONT,	/* "+ " SASL continuation */
};

enum pop3_parse_result {
	POP3_PARSE_MORE = 0,	/* every byte used; feed more */
	POP3_PARSE_DONE,	/* the reply is complete; *used_r bytes used */
	POP3_PARSE_ERROR,	/* err filled; the connection is out of step */
};

/* The reply has data lines after "+OK" (RETR, TOP, UIDL, LIST, CAPA). */
#define POP3_PARSE_MULTI	0x1
/* Hand data out one line at a time, without its line end, each at most
 * POP3_LINE_MAX bytes; otherwise as a byte stream with CRLF line ends. */
#define POP3_PARSE_LINES	0x2

/*
 * Receives the data of a multi-line reply with the byte-stuffing undone
 * and the terminating "." removed.  In stream mode every line end is
 * CRLF (a bare LF from the server becomes CRLF) and chunks split lines
 * anywhere.  Returning -1 (with err filled) stops the parse.
 */
typedef int (*pop3_data_fn)(void *, const char *, size_t, struct err *);

/* Fields are private; the struct is here so it can live on the stack. */
struct pop3_parser {
	int			 state;
	int			 flags;
	enum pop3_reply_kind	 kind;
	struct buf		 status;	/* status line text after +OK */
	struct buf		 line;		/* line mode: the current line */
	pop3_data_fn		 data;
	void			*arg;
};

void	pop3_parser_init(struct pop3_parser *, int, pop3_data_fn, void *);
void	pop3_parser_free(struct pop3_parser *);
/* used_r gets how many bytes of this call belong to the reply. */
enum pop3_parse_result pop3_parser_feed(struct pop3_parser *, const char *,
	    size_t, size_t *, struct err *);
/* After POP3_PARSE_DONE: the kind and the raw (unsanitized) text. */
enum pop3_reply_kind pop3_parser_kind(const struct pop3_parser *);
const char *pop3_parser_text(const struct pop3_parser *);

/* ---- The client ------------------------------------------------------ */

struct pop3_conn;

enum pop3_auth {
	POP3_AUTH_AUTO = 0,	/* AUTH PLAIN if offered, else USER/PASS */
	POP3_AUTH_USER,		/* USER/PASS */
	POP3_AUTH_APOP,		/* APOP (needs a greeting timestamp) */
	POP3_AUTH_PLAIN,	/* SASL PLAIN (RFC 5034) */
};

struct pop3_uidl {
	uint32_t	 num;	/* message number in this session */
	char		*uid;	/* 1..70 printable ASCII characters */
};

struct pop3_list {
	uint32_t	num;
	uint64_t	size;	/* octets, as the server counts them */
};

/*
 * Receives a message from RETR or TOP in chunks, CRLF line ends,
 * stuffing undone.  Return -1 with err filled to abort (the connection
 * is then unusable: the rest of the message was not read).
 */
typedef int (*pop3_sink_fn)(void *, const char *, size_t, struct err *);

/*
 * Connect, read the greeting, ask for CAPA and, with
 * NET_SECURITY_STARTTLS, upgrade with STLS: a server that does not offer
 * it is ERR_STARTTLS before any credential is sent.  Capabilities are
 * asked again over TLS.
 */
struct pop3_conn *pop3_connect(const struct net_endpoint *,
	    enum net_security, struct err *);
/*
 * Log in.  Credentials go only over TLS, or over plain TCP when the
 * connection was opened with NET_SECURITY_PLAIN (the user's explicit
 * choice).  Rejected credentials are ERR_AUTH with the server's text.
 */
int	pop3_login(struct pop3_conn *, enum pop3_auth, const char *,
	    const char *, struct err *);
int	pop3_stat(struct pop3_conn *, uint32_t *, uint64_t *, struct err *);
/*
 * The unique ids of all messages.  A server without UIDL fails with
 * ERR_REFUSED and pop3_has_uidl() turns false.  The caller frees the
 * array with pop3_uidl_free().
 */
int	pop3_uidl(struct pop3_conn *, struct pop3_uidl **, size_t *,
	    struct err *);
void	pop3_uidl_free(struct pop3_uidl **, size_t);
int	pop3_list(struct pop3_conn *, struct pop3_list **, size_t *,
	    struct err *);
/* Stream message num to sink; never holds the whole message. */
int	pop3_retr(struct pop3_conn *, uint32_t, pop3_sink_fn, void *,
	    struct err *);
/*
 * pop3_retr() in two steps, for PIPELINING (RFC 2449): several RETRs go
 * out, then their replies are read in the order sent (each read names
 * the message sent in its turn).  No other command may go out while a
 * reply is unread: it fails and the connection is done.
 */
bool	pop3_can_pipeline(const struct pop3_conn *);
int	pop3_retr_send(struct pop3_conn *, uint32_t, struct err *);
int	pop3_retr_read(struct pop3_conn *, uint32_t, pop3_sink_fn, void *,
	    struct err *);
/* The headers and the first n body lines. */
int	pop3_top(struct pop3_conn *, uint32_t, uint32_t, pop3_sink_fn, void *,
	    struct err *);
/* Marks for deletion; the server deletes only after a successful QUIT. */
int	pop3_dele(struct pop3_conn *, uint32_t, struct err *);
int	pop3_rset(struct pop3_conn *, struct err *);
int	pop3_noop(struct pop3_conn *, struct err *);
/* QUIT: 0 means the server committed the DELEs; the conn stays to free. */
int	pop3_quit(struct pop3_conn *, struct err *);
void	pop3_close(struct pop3_conn **);

/* A capability from the last CAPA ("UIDL", "TOP", "STLS"...). */
bool	pop3_has_capa(const struct pop3_conn *, const char *);
/* False once the server is known to lack UIDL (CAPA or a refused UIDL). */
bool	pop3_has_uidl(const struct pop3_conn *);
bool	pop3_is_tls(const struct pop3_conn *);
const char *pop3_peer(const struct pop3_conn *);

#endif
