/*
 * Connections to mail servers: TCP with timeouts, TLS through GnuTLS
 * (implicit or STARTTLS), certificate and host name verification, and the
 * bounded line layer that IMAP, POP3 and SMTP share.
 *
 * Everything here blocks, bounded by the connection's timeout: connecting
 * (all of the host's addresses together, each given a share) and every
 * wait for progress in the handshake, a read or a write give up after it
 * with ERR_TIMEOUT, so a slow but steady transfer is not cut off and a
 * silent server cannot hang a thread.  Name lookup is bounded by the resolver's
 * own timeouts.  Nothing prints or prompts: a certificate the user might
 * want to pin comes back as ERR_CERT with its fingerprint in the message
 * and in struct net_cert_info.  SIGPIPE is never raised (MSG_NOSIGNAL);
 * the process signal state is left alone.
 *
 * After ERR_TIMEOUT from net_read_line, net_read_some or net_wait_readable
 * no byte was lost and the call may be repeated.  After any other failure
 * (and a timeout inside net_read_exact or net_write) the stream is in an
 * unknown state: every later call fails with ERR_CLOSED; close it.
 */
#ifndef SURAT_NET_NET_H
#define SURAT_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct buf;
struct err;
struct net_conn;

enum net_security {
	NET_SECURITY_TLS = 0,	/* implicit TLS: 993, 995, 465 */
	NET_SECURITY_STARTTLS,	/* upgrade required before credentials */
	NET_SECURITY_PLAIN,	/* only with allow_plaintext = yes */
};

#define NET_FINGERPRINT_MAX 72	/* "sha256:" + 64 hex digits + NUL */

/* What the UI needs to show a certificate and offer to pin it. */
struct net_cert_info {
	char	fingerprint[NET_FINGERPRINT_MAX];	/* "sha256:ab12..." */
	char	subject[256];
	char	issuer[256];
	int64_t	not_before;	/* Unix time */
	int64_t	not_after;
	bool	valid;		/* set once a certificate was seen */
};

struct net_endpoint {
	const char	*host;		/* also the name the certificate must carry */
	uint16_t	 port;
	int		 timeout_ms;	/* each connect, read and write; 0: 300 s */
	const char	*ca_file;	/* extra trust anchor (PEM), or NULL */
	const char	*pin;		/* "sha256:HEX": accept exactly this cert */
	bool		 no_system_trust; /* tests: trust only ca_file */
	const char	*log_name;	/* "imap", "pop3", "smtp" for the log */
	/*
	 * Filled on every handshake, successful or not, when non-NULL
	 * (cleared when no certificate was seen).  The connection keeps
	 * this pointer for net_starttls(): it must stay valid until then.
	 * net_cert() gives the same data without that constraint.
	 */
	struct net_cert_info *cert_r;
};

/*
 * TLS: versions 1.2 and 1.3 only, SNI with the host name, trust in the
 * system store (unless no_system_trust) plus ca_file, and the host name
 * checked against the certificate.  With pin set, the certificate must be
 * exactly that one (whoever signed it, whatever its dates); any other is
 * refused.  Failures name the certificate's sha256 fingerprint and every
 * problem found: expired, not yet valid, issued for another name,
 * self-signed or unknown issuer, revoked, or GnuTLS's own words.
 */

/*
 * Connect; with tls, also do the TLS handshake and verification.  Error
 * messages start with "host:port: ".  Codes: ERR_DNS, ERR_CONNECT,
 * ERR_TIMEOUT, ERR_TLS, ERR_CERT, ERR_CONFIG (bad pin, unreadable
 * ca_file).  Every address of the host is tried, IPv6 and IPv4.
 */
struct net_conn *net_connect(const struct net_endpoint *, bool tls,
	    struct err *);
/*
 * Wrap an already connected stream socket (a socketpair end, a tunnel);
 * takes ownership of fd, which is made non-blocking.  The connection
 * starts in plain text; net_starttls() can start TLS on it at once.
 * ep->host is used for messages and for certificate checks.
 */
struct net_conn *net_adopt_fd(int, const struct net_endpoint *,
	    struct err *);
/*
 * Upgrade to TLS after the server's STARTTLS/STLS go-ahead.  Fails with
 * ERR_STARTTLS when any byte is already buffered or waiting in the socket
 * (injection: RFC 3207 and RFC 2595 forbid it) and discards those bytes
 * unread; the connection is then unusable.  On success the caller must
 * forget everything it learnt before TLS (capabilities, greeting) and ask
 * again over TLS.  Other failures are those of net_connect() with tls.
 */
int	 net_starttls(struct net_conn *, struct err *);
void	 net_close(struct net_conn **);

/*
 * One line, CRLF (or bare LF) removed, replacing the contents of line.
 * More than max bytes without a line end is ERR_TOOBIG: the connection is
 * then unusable.  Returns 0, or -1 with ERR_CLOSED, ERR_TIMEOUT, ...
 * The line may contain NUL bytes: use line->len.  Logged as received.
 */
int	 net_read_line(struct net_conn *, size_t, struct buf *, struct err *);
/*
 * Exactly n bytes (an IMAP literal), appended to out.  The caller caps n
 * first; the buffer grows only as bytes arrive.
 */
int	 net_read_exact(struct net_conn *, size_t, struct buf *, struct err *);
/* Whatever is available (at least 1 byte), up to cap, for incremental
 * parsers.  Returns the count, or -1. */
ssize_t	 net_read_some(struct net_conn *, void *, size_t, struct err *);
/* Write all bytes.  secret: never log them (credentials). */
int	 net_write(struct net_conn *, const void *, size_t, bool, struct err *);
/*
 * Write a command line and CRLF; logged through log_wire() (masked).  A
 * line containing CR or LF is refused (ERR_INTERNAL): it would smuggle a
 * second command.  With secret, our copy of the line is wiped after use.
 */
int	 net_send_line(struct net_conn *, const char *, bool, struct err *);

/* Bytes already received but not yet read (our buffer or the TLS layer). */
bool	 net_pending(const struct net_conn *);
/*
 * Wait until data is readable (1), timeout_ms passes (0, no error), or an
 * error (-1: ERR_CLOSED when the server hung up); for IDLE.  Honours
 * net_pending() before polling, and TLS records that carry no data do not
 * count as readable.  A negative timeout_ms waits without limit.
 */
int	 net_wait_readable(struct net_conn *, int, struct err *);
int	 net_fd(const struct net_conn *);
bool	 net_is_tls(const struct net_conn *);
/* Milliseconds; 0 or less: the default (300 s). */
void	 net_set_timeout(struct net_conn *, int);
/* "host:port", for messages. */
const char *net_peer(const struct net_conn *);
/* The certificate of the last handshake (valid false before TLS). */
const struct net_cert_info *net_cert(const struct net_conn *);

#endif
