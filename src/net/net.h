/*
 * Connections to mail servers: TCP with timeouts, TLS through GnuTLS
 * (implicit or STARTTLS), certificate and host name verification, and the
 * bounded line layer that IMAP, POP3 and SMTP share.
 *
 * Everything here blocks, with a deadline per call (the connection's
 * timeout).  Nothing prints or prompts: a certificate the user might want
 * to pin comes back as ERR_CERT with its fingerprint in the message and in
 * struct net_cert_info.
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
	/* Filled on every handshake, successful or not, when non-NULL. */
	struct net_cert_info *cert_r;
};

/*
 * Connect; with tls, also do the TLS handshake and verification.  Error
 * messages start with "host:port: ".  Codes: ERR_DNS, ERR_CONNECT,
 * ERR_TIMEOUT, ERR_TLS, ERR_CERT.
 */
struct net_conn *net_connect(const struct net_endpoint *, bool tls,
	    struct err *);
/*
 * Upgrade to TLS after the server's STARTTLS/STLS go-ahead.  Fails with
 * ERR_STARTTLS when any byte is already buffered (injection: RFC 3207 and
 * RFC 2595 forbid it) and never reads those bytes as protocol.  The caller
 * must then forget everything it learnt before TLS (capabilities).
 */
int	 net_starttls(struct net_conn *, struct err *);
void	 net_close(struct net_conn **);

/*
 * One line, CRLF (or bare LF) removed, replacing the contents of line.
 * More than max bytes without a line end is ERR_TOOBIG: the connection is
 * then unusable.  Returns 0, or -1 with ERR_CLOSED, ERR_TIMEOUT, ...
 */
int	 net_read_line(struct net_conn *, size_t, struct buf *, struct err *);
/* Exactly n bytes (an IMAP literal), appended to out. */
int	 net_read_exact(struct net_conn *, size_t, struct buf *, struct err *);
/* Whatever is available (at least 1 byte), up to cap, for incremental
 * parsers.  Returns the count, or -1. */
ssize_t	 net_read_some(struct net_conn *, void *, size_t, struct err *);
/* Write all bytes.  secret: never log them (credentials). */
int	 net_write(struct net_conn *, const void *, size_t, bool, struct err *);
/* Write a command line and CRLF; logged through log_wire() (masked). */
int	 net_send_line(struct net_conn *, const char *, bool, struct err *);

/* Bytes already received but not yet read (our buffer or the TLS layer). */
bool	 net_pending(const struct net_conn *);
/*
 * Wait until data is readable (true), timeout_ms passes (false, no error),
 * or an error; for IDLE.  Honours net_pending() before polling.
 */
int	 net_wait_readable(struct net_conn *, int, struct err *);
int	 net_fd(const struct net_conn *);
bool	 net_is_tls(const struct net_conn *);
void	 net_set_timeout(struct net_conn *, int);
/* "host:port", for messages. */
const char *net_peer(const struct net_conn *);
const struct net_cert_info *net_cert(const struct net_conn *);

#endif
