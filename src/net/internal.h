/*
 * What the files of src/net share behind net.h: the connection structure
 * and the steps (TCP, raw I/O, TLS, certificate checks) it is built from.
 */
#ifndef SURAT_NET_INTERNAL_H
#define SURAT_NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <gnutls/gnutls.h>

#include "net/net.h"
#include "util/buf.h"

#define NET_DEFAULT_TIMEOUT_MS	(300 * 1000)
/* Read in chunks of this size; also the most read_line asks for at once. */
#define NET_READ_CHUNK		16384

struct net_conn {
	int			 fd;
	char			*host;
	uint16_t		 port;
	char			*peer;		/* "host:port" */
	char			*log_name;
	int			 timeout_ms;

	/* Kept for a later STARTTLS. */
	char			*ca_file;
	char			*pin;
	bool			 no_system_trust;
	/* System CAs not parsed yet (see net_tls_credentials). */
	bool			 system_trust_deferred;
	struct net_cert_info	*cert_r;	/* caller's; see net.h */

	gnutls_session_t	 tls;		/* NULL before TLS */
	gnutls_certificate_credentials_t creds;
	struct net_cert_info	 cert;
	/* The version in the server's hello, to name a refused one. */
	unsigned		 hello_version;

	/* Received, not yet consumed: rbuf.data[rpos .. rbuf.len). */
	struct buf		 rbuf;
	size_t			 rpos;

	/*
	 * Set after a failure that leaves the byte stream in an unknown
	 * state (TLS error, line over the cap, EOF): every later call
	 * fails at once instead of misreading the protocol.
	 */
	bool			 broken;
};

/* tcp.c: a connected, non-blocking stream socket, or -1. */
int	 net_tcp_connect(const char *, uint16_t, const char *, int,
	    struct err *);

/* io.c: raw reads and writes with the connection's timeout. */
int64_t	 net_now_ms(void);
/* poll() one fd; 1 ready, 0 timeout, -1 error (err set). */
int	 net_io_poll(struct net_conn *, short, int, struct err *);
/* One read of up to len bytes, waiting as needed: count, or -1. */
ssize_t	 net_io_recv(struct net_conn *, void *, size_t, struct err *);
/* One read that never waits: count, 0 nothing yet, -1 error or EOF. */
ssize_t	 net_io_try_recv(struct net_conn *, void *, size_t, struct err *);
int	 net_io_send(struct net_conn *, const void *, size_t, struct err *);
/* Bytes the socket holds that nobody has read (STARTTLS check). */
bool	 net_io_socket_has_data(struct net_conn *);
void	 net_io_broken(struct net_conn *);

/* tls.c */
int	 net_tls_start(struct net_conn *, struct err *);
void	 net_tls_end(struct net_conn *);
/* Adds the system's CAs to the connection's credentials (once). */
void	 net_tls_system_trust(struct net_conn *);
/* An error from gnutls during I/O turned into an err; sets broken. */
void	 net_tls_io_error(struct net_conn *, int, struct err *);

/* cert.c */
void	 net_cert_read(gnutls_session_t, struct net_cert_info *);
int	 net_cert_verify(struct net_conn *, struct err *);
/* "sha256:HEX" strings equal, ignoring case and ':' separators. */
bool	 net_pin_equal(const char *, const char *);

#endif
