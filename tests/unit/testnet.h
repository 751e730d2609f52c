/*
 * Test helpers for src/net: a one-connection loopback server running a
 * script in a thread, and certificates made at test time with GnuTLS.
 */
#ifndef SURAT_TESTNET_H
#define SURAT_TESTNET_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

struct tsrv;
typedef void	tsrv_script(struct tsrv *, int);

struct tsrv {
	int		 lfd;
	uint16_t	 port;
	pthread_t	 thread;
	tsrv_script	*script;
	void		*arg;
	bool		 started;
	/* Set by scripts; checked by the test after tsrv_join(). */
	int		 status;
	char		 got[8192];	/* what the script read, NUL-ended */
	size_t		 gotlen;
};

/* Listen on addr ("127.0.0.1", "::1") port 0; -1 when it cannot. */
int	 tsrv_start(struct tsrv *, const char *, tsrv_script *, void *);
void	 tsrv_join(struct tsrv *);

/* Blocking helpers for scripts (5 s socket timeouts, no SIGPIPE). */
int	 tsrv_send(int, const void *, size_t);
int	 tsrv_sends(int, const char *);
/* Read up to and with LF, one byte at a time (never swallows TLS). */
int	 tsrv_read_line(struct tsrv *, int, char *, size_t);
void	 tsrv_sleep_ms(int);

struct tcert {
	gnutls_x509_crt_t	crt;
	gnutls_x509_privkey_t	key;
	char			fingerprint[80];	/* "sha256:hex" */
};

/*
 * A certificate for cn with an optional DNS name, valid from not_before
 * to not_after, signed by issuer (NULL: self-signed); ca makes it a CA.
 */
void	 tcert_make(struct tcert *, const char *, const char *, time_t,
	    time_t, const struct tcert *, bool);
void	 tcert_free(struct tcert *);
/* Write the certificate as PEM into dir/name; returns the path. */
char	*tcert_write(const struct tcert *, const char *, const char *);

/* Server-side TLS over fd with cert (its key); NULL on failure. */
gnutls_session_t tsrv_tls_accept(int, const struct tcert *,
	    gnutls_certificate_credentials_t *);
int	 tsrv_tls_send(gnutls_session_t, const char *);
int	 tsrv_tls_read_line(gnutls_session_t, char *, size_t);
void	 tsrv_tls_close(gnutls_session_t, gnutls_certificate_credentials_t);

#endif
