/*
 * Test helpers for src/net (see testnet.h).  Failures here abort:
 * a test that cannot set up its server has nothing to say.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "testnet.h"

static void
tfatal(const char *what, int r)
{
	fprintf(stderr, "test setup failed: %s: %s\n", what,
	    r < 0 ? gnutls_strerror(r) : strerror(errno));
	abort();
}

static void *
tsrv_main(void *p)
{
	struct tsrv	*s = p;
	struct pollfd	 pfd = { s->lfd, POLLIN, 0 };
	struct timeval	 tv = { 5, 0 };
	int		 fd, on = 1;

	/* Never wait forever: a broken client must not hang the test. */
	if (poll(&pfd, 1, 10000) != 1) {
		s->status = -100;
		return NULL;
	}
	fd = accept(s->lfd, NULL, NULL);
	if (fd == -1) {
		s->status = -101;
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	s->script(s, fd);
	close(fd);
	return NULL;
}

int
tsrv_start(struct tsrv *s, const char *addr, tsrv_script *script, void *arg)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len;
	int			 on = 1;

	memset(s, 0, sizeof *s);
	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		len = sizeof *sin;
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		len = sizeof *sin6;
	} else
		return -1;
	s->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->lfd == -1)
		return -1;
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(s->lfd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(s->lfd, 4) == -1 ||
	    getsockname(s->lfd, (struct sockaddr *)&ss, &len) == -1) {
		close(s->lfd);
		return -1;
	}
	s->port = ntohs(ss.ss_family == AF_INET ? sin->sin_port :
	    sin6->sin6_port);
	s->script = script;
	s->arg = arg;
	if (pthread_create(&s->thread, NULL, tsrv_main, s) != 0)
		tfatal("pthread_create", 0);
	s->started = true;
	return 0;
}

void
tsrv_join(struct tsrv *s)
{
	if (!s->started)
		return;
	pthread_join(s->thread, NULL);
	close(s->lfd);
	s->started = false;
}

int
tsrv_send(int fd, const void *p, size_t len)
{
	const char	*c = p;
	ssize_t		 n;

	while (len > 0) {
		n = send(fd, c, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

int
tsrv_sends(int fd, const char *s)
{
	return tsrv_send(fd, s, strlen(s));
}

int
tsrv_read_line(struct tsrv *s, int fd, char *line, size_t size)
{
	size_t	n = 0;
	char	c;

	for (;;) {
		ssize_t r = recv(fd, &c, 1, 0);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (s->gotlen + 1 < sizeof s->got) {
			s->got[s->gotlen++] = c;
			s->got[s->gotlen] = '\0';
		}
		if (n + 1 < size)
			line[n++] = c;
		if (c == '\n')
			break;
	}
	line[n] = '\0';
	return 0;
}

void
tsrv_sleep_ms(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
tcert_key_id(gnutls_x509_crt_t crt, unsigned char *id, size_t *len)
{
	int	r;

	r = gnutls_x509_crt_get_key_id(crt, 0, id, len);
	if (r < 0)
		tfatal("get_key_id", r);
}

void
tcert_make(struct tcert *c, const char *cn, const char *dns, time_t not_before,
    time_t not_after, const struct tcert *issuer, bool ca)
{
	static unsigned int	serial = 1;
	unsigned char		id[64], sn[4], md[32];
	size_t			idlen, mdlen = sizeof md, i;
	int			r;

	memset(c, 0, sizeof *c);
	if ((r = gnutls_x509_privkey_init(&c->key)) < 0 ||
	    (r = gnutls_x509_privkey_generate(c->key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0)
		tfatal("privkey", r);
	if ((r = gnutls_x509_crt_init(&c->crt)) < 0)
		tfatal("crt_init", r);
	serial++;
	sn[0] = 0x10;
	sn[1] = (unsigned char)(serial >> 16);
	sn[2] = (unsigned char)(serial >> 8);
	sn[3] = (unsigned char)serial;
	if ((r = gnutls_x509_crt_set_version(c->crt, 3)) < 0 ||
	    (r = gnutls_x509_crt_set_serial(c->crt, sn, sizeof sn)) < 0 ||
	    (r = gnutls_x509_crt_set_activation_time(c->crt,
	    not_before)) < 0 ||
	    (r = gnutls_x509_crt_set_expiration_time(c->crt, not_after)) < 0 ||
	    (r = gnutls_x509_crt_set_dn_by_oid(c->crt,
	    GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn))) < 0 ||
	    (r = gnutls_x509_crt_set_key(c->crt, c->key)) < 0)
		tfatal("crt_set", r);
	if (ca) {
		r = gnutls_x509_crt_set_basic_constraints(c->crt, 1, -1);
		if (r >= 0)
			r = gnutls_x509_crt_set_key_usage(c->crt,
			    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	} else {
		r = gnutls_x509_crt_set_basic_constraints(c->crt, 0, -1);
		if (r >= 0)
			r = gnutls_x509_crt_set_key_usage(c->crt,
			    GNUTLS_KEY_DIGITAL_SIGNATURE);
		if (r >= 0)
			r = gnutls_x509_crt_set_key_purpose_oid(c->crt,
			    GNUTLS_KP_TLS_WWW_SERVER, 0);
	}
	if (r < 0)
		tfatal("crt_usage", r);
	if (dns != NULL && (r = gnutls_x509_crt_set_subject_alt_name(c->crt,
	    GNUTLS_SAN_DNSNAME, dns, strlen(dns), GNUTLS_FSAN_APPEND)) < 0)
		tfatal("crt_san", r);
	idlen = sizeof id;
	tcert_key_id(c->crt, id, &idlen);
	if ((r = gnutls_x509_crt_set_subject_key_id(c->crt, id, idlen)) < 0)
		tfatal("crt_ski", r);
	if (issuer != NULL) {
		idlen = sizeof id;
		tcert_key_id(issuer->crt, id, &idlen);
		if ((r = gnutls_x509_crt_set_authority_key_id(c->crt, id,
		    idlen)) < 0)
			tfatal("crt_aki", r);
		r = gnutls_x509_crt_sign2(c->crt, issuer->crt, issuer->key,
		    GNUTLS_DIG_SHA256, 0);
	} else
		r = gnutls_x509_crt_sign2(c->crt, c->crt, c->key,
		    GNUTLS_DIG_SHA256, 0);
	if (r < 0)
		tfatal("crt_sign", r);

	/* The fingerprint computed here, independently of src/net. */
	if ((r = gnutls_x509_crt_get_fingerprint(c->crt, GNUTLS_DIG_SHA256, md,
	    &mdlen)) < 0)
		tfatal("fingerprint", r);
	strcpy(c->fingerprint, "sha256:");
	for (i = 0; i < mdlen; i++)
		sprintf(c->fingerprint + 7 + 2 * i, "%02x", md[i]);
}

void
tcert_free(struct tcert *c)
{
	if (c->crt != NULL)
		gnutls_x509_crt_deinit(c->crt);
	if (c->key != NULL)
		gnutls_x509_privkey_deinit(c->key);
	memset(c, 0, sizeof *c);
}

char *
tcert_write(const struct tcert *c, const char *dir, const char *name)
{
	gnutls_datum_t	 d;
	FILE		*f;
	char		*path;
	int		 r;

	if ((r = gnutls_x509_crt_export2(c->crt, GNUTLS_X509_FMT_PEM, &d)) < 0)
		tfatal("export", r);
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		tfatal("asprintf", 0);
	if ((f = fopen(path, "w")) == NULL)
		tfatal(path, 0);
	fwrite(d.data, 1, d.size, f);
	fclose(f);
	gnutls_free(d.data);
	return path;
}

gnutls_session_t
tsrv_tls_accept(int fd, const struct tcert *c,
    gnutls_certificate_credentials_t *creds_r)
{
	gnutls_session_t	s;
	gnutls_x509_crt_t	chain[1];
	int			r;

	if ((r = gnutls_certificate_allocate_credentials(creds_r)) < 0)
		tfatal("server creds", r);
	chain[0] = c->crt;
	if ((r = gnutls_certificate_set_x509_key(*creds_r, chain, 1,
	    c->key)) < 0)
		tfatal("server key", r);
	if ((r = gnutls_init(&s, GNUTLS_SERVER | GNUTLS_NO_SIGNAL)) < 0 ||
	    (r = gnutls_set_default_priority(s)) < 0 ||
	    (r = gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE,
	    *creds_r)) < 0)
		tfatal("server session", r);
	gnutls_transport_set_int(s, fd);
	/* The socket blocks with a timeout: AGAIN means that timeout. */
	do
		r = gnutls_handshake(s);
	while (r < 0 && r != GNUTLS_E_AGAIN && !gnutls_error_is_fatal(r));
	if (r < 0) {
		gnutls_deinit(s);
		gnutls_certificate_free_credentials(*creds_r);
		*creds_r = NULL;
		return NULL;
	}
	return s;
}

int
tsrv_tls_send(gnutls_session_t s, const char *str)
{
	size_t	len = strlen(str);
	ssize_t	n;

	while (len > 0) {
		n = gnutls_record_send(s, str, len);
		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n < 0)
			return -1;
		str += n;
		len -= (size_t)n;
	}
	return 0;
}

int
tsrv_tls_read_line(gnutls_session_t s, char *line, size_t size)
{
	size_t	n = 0;
	char	c;
	ssize_t	r;

	for (;;) {
		r = gnutls_record_recv(s, &c, 1);
		if (r == GNUTLS_E_INTERRUPTED)
			continue;
		if (r <= 0)
			return -1;
		if (n + 1 < size)
			line[n++] = c;
		if (c == '\n')
			break;
	}
	line[n] = '\0';
	return 0;
}

void
tsrv_tls_close(gnutls_session_t s, gnutls_certificate_credentials_t creds)
{
	if (s != NULL) {
		gnutls_bye(s, GNUTLS_SHUT_WR);
		gnutls_deinit(s);
	}
	if (creds != NULL)
		gnutls_certificate_free_credentials(creds);
}
