/*
 * A scripted mail server for fault tests: it plays a transcript (what to
 * send, what the client must and must not send) to one client, over plain
 * TCP or TLS, and exits 0 only if the client behaved as the script says.
 * Real servers cannot be made to misbehave on cue; this one can.
 *
 * Usage: fakeserver [-c CERT -k KEY] [-p PORTFILE] [-t SECONDS] SCRIPT
 * It listens on 127.0.0.1 on a free port, writes the port to PORTFILE,
 * accepts one connection and runs SCRIPT.  Script lines:
 *   # comment
 *   tls                  do the TLS handshake now (implicit TLS or STARTTLS)
 *   tls-refused          attempt the handshake; the client must abort it
 *                        (certificate checks), or complete it and then
 *                        close without sending data; timing out fails
 *   tls-priority PRIO    GnuTLS priority string for the handshakes that
 *                        follow (e.g. only TLS 1.0: a weak server)
 *   S: text              send text + CRLF ("S:" alone: CRLF); consecutive S: lines go out in one
 *                        write (so an injected line lands in the same packet)
 *   R: text              send text without CRLF (raw; \r \n \xHH escapes)
 *   C: regex             read one client line; it must match (POSIX ERE)
 *   L: regex             the same for the line that follows a literal (its
 *                        data and the rest of the command): $TAG stays
 *   never: regex         from now on, no client line may match
 *   eof                  the client must close the connection next, sending
 *                        nothing that a 'never:' forbids
 *   sleep N              wait N seconds (a stalled server)
 *   blob N               send N bytes of 'x' (a huge line or literal)
 *   close                close the connection now
 * In S: and R: text, $TAG is the first word of the last client line.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_NEVER 16
#define LINE_MAX_BYTES 65536

struct fake {
	int				 fd;
	gnutls_session_t		 tls;
	gnutls_certificate_credentials_t cred;
	const char			*cert, *key;
	char				*priority;	/* NULL: default */
	int				 timeout_s;
	char				 tag[64];
	char				 inbuf[LINE_MAX_BYTES];
	size_t				 inlen;
	char				 out[LINE_MAX_BYTES * 4];
	size_t				 outlen;
	regex_t				 never[MAX_NEVER];
	char				*never_src[MAX_NEVER];
	int				 nnever;
	int				 lineno;
};

static void __attribute__((noreturn, format(printf, 2, 3)))
fail(struct fake *f, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "fakeserver: script line %d: ", f->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
raw_write(struct fake *f, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if (f->tls != NULL)
			n = gnutls_record_send(f->tls, p, len);
		else
			n = send(f->fd, p, len, MSG_NOSIGNAL);
		if (n <= 0) {
			/* The client hung up; the script decides if that is bad. */
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

static void
flush_out(struct fake *f)
{
	if (f->outlen > 0)
		raw_write(f, f->out, f->outlen);
	f->outlen = 0;
}

/* Expand $TAG and, for raw lines, \r \n \xHH escapes. */
static void
queue_text(struct fake *f, const char *text, bool raw)
{
	const char	*p;

	for (p = text; *p != '\0'; p++) {
		if (f->outlen + 80 >= sizeof f->out)
			flush_out(f);
		if (strncmp(p, "$TAG", 4) == 0) {
			size_t n = strlen(f->tag);
			memcpy(f->out + f->outlen, f->tag, n);
			f->outlen += n;
			p += 3;
		} else if (raw && *p == '\\' && p[1] == 'r') {
			f->out[f->outlen++] = '\r';
			p++;
		} else if (raw && *p == '\\' && p[1] == 'n') {
			f->out[f->outlen++] = '\n';
			p++;
		} else if (raw && *p == '\\' && p[1] == 'x' && p[2] && p[3]) {
			char hex[3] = { p[2], p[3], 0 };
			f->out[f->outlen++] = (char)strtol(hex, NULL, 16);
			p += 3;
		} else
			f->out[f->outlen++] = *p;
	}
	if (!raw) {
		f->out[f->outlen++] = '\r';
		f->out[f->outlen++] = '\n';
	}
}

static ssize_t
raw_read(struct fake *f, char *p, size_t len)
{
	struct pollfd	pfd = { .fd = f->fd, .events = POLLIN };
	ssize_t		n;

	if (f->tls == NULL || gnutls_record_check_pending(f->tls) == 0) {
		if (poll(&pfd, 1, f->timeout_s * 1000) <= 0)
			fail(f, "timed out waiting for the client");
	}
	if (f->tls != NULL) {
		do
			n = gnutls_record_recv(f->tls, p, len);
		while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
		if (n < 0)
			return 0;	/* an abrupt TLS close counts as EOF */
		return n;
	}
	n = recv(f->fd, p, len, 0);
	return n < 0 ? 0 : n;
}

static void
check_never(struct fake *f, const char *line)
{
	int	i;

	for (i = 0; i < f->nnever; i++) {
		if (regexec(&f->never[i], line, 0, NULL, 0) == 0)
			fail(f, "client sent a forbidden line: \"%s\" "
			    "(matches never: %s)", line, f->never_src[i]);
	}
}

/* One client line without CRLF; false at EOF. */
static bool
read_line(struct fake *f, char *line, size_t size)
{
	char	*nl;
	ssize_t	 n;
	size_t	 len;

	while ((nl = memchr(f->inbuf, '\n', f->inlen)) == NULL) {
		if (f->inlen == sizeof f->inbuf)
			fail(f, "client line too long");
		n = raw_read(f, f->inbuf + f->inlen, sizeof f->inbuf - f->inlen);
		if (n == 0)
			return false;
		f->inlen += (size_t)n;
	}
	len = (size_t)(nl - f->inbuf);
	if (len > 0 && f->inbuf[len - 1] == '\r')
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(line, f->inbuf, len);
	line[len] = '\0';
	f->inlen -= (size_t)(nl - f->inbuf) + 1;
	memmove(f->inbuf, nl + 1, f->inlen);
	check_never(f, line);
	return true;
}

static void
expect_line(struct fake *f, const char *pattern, bool keep_tag)
{
	char	line[LINE_MAX_BYTES];
	regex_t	re;
	size_t	n;

	flush_out(f);
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		fail(f, "bad regex: %s", pattern);
	if (!read_line(f, line, sizeof line))
		fail(f, "client closed the connection; expected: %s", pattern);
	if (regexec(&re, line, 0, NULL, 0) != 0)
		fail(f, "client sent \"%s\"; expected: %s", line, pattern);
	regfree(&re);
	if (keep_tag)
		return;
	n = strcspn(line, " ");
	if (n >= sizeof f->tag)
		n = sizeof f->tag - 1;
	memcpy(f->tag, line, n);
	f->tag[n] = '\0';
}

static void
expect_eof(struct fake *f)
{
	char	line[LINE_MAX_BYTES];

	flush_out(f);
	while (read_line(f, line, sizeof line))
		;	/* check_never() fails on anything forbidden */
}

/*
 * A client that checks the certificate once the handshake is done (TLS 1.3
 * ends the server's side first) must hang up without one byte of data;
 * one that waits for a greeting or sends a command accepted it.
 */
static void
refused_after_handshake(struct fake *f)
{
	char	buf[256];

	if (raw_read(f, buf, sizeof buf) > 0)
		fail(f, "the client sent data over a certificate it must "
		    "refuse");
	gnutls_deinit(f->tls);
	f->tls = NULL;
}

static void
start_tls(struct fake *f, bool expect_refusal)
{
	int	ret;

	flush_out(f);
	if (f->cert == NULL)
		fail(f, "tls needs -c CERT -k KEY");
	gnutls_certificate_allocate_credentials(&f->cred);
	if (gnutls_certificate_set_x509_key_file(f->cred, f->cert, f->key,
	    GNUTLS_X509_FMT_PEM) < 0)
		fail(f, "cannot load %s / %s", f->cert, f->key);
	gnutls_init(&f->tls, GNUTLS_SERVER);
	if (f->priority == NULL)
		gnutls_set_default_priority(f->tls);
	else if (gnutls_priority_set_direct(f->tls, f->priority, NULL) < 0)
		fail(f, "bad priority string: %s", f->priority);
	gnutls_credentials_set(f->tls, GNUTLS_CRD_CERTIFICATE, f->cred);
	gnutls_transport_set_int(f->tls, f->fd);
	gnutls_handshake_set_timeout(f->tls, (unsigned)f->timeout_s * 1000);
	do
		ret = gnutls_handshake(f->tls);
	while (ret < 0 && !gnutls_error_is_fatal(ret));
	if (ret < 0 && expect_refusal) {
		/* Whatever follows on the socket is not TLS any more. */
		gnutls_deinit(f->tls);
		f->tls = NULL;
		return;
	}
	if (ret < 0)
		fail(f, "TLS handshake failed: %s", gnutls_strerror(ret));
	if (expect_refusal)
		refused_after_handshake(f);
}

static void
add_never(struct fake *f, const char *pattern)
{
	if (f->nnever == MAX_NEVER)
		fail(f, "too many never: lines");
	if (regcomp(&f->never[f->nnever], pattern,
	    REG_EXTENDED | REG_NOSUB | REG_ICASE) != 0)
		fail(f, "bad regex: %s", pattern);
	f->never_src[f->nnever++] = strdup(pattern);
}

static void
send_blob(struct fake *f, const char *count)
{
	char	chunk[8192];
	long	n = strtol(count, NULL, 10), k;

	flush_out(f);
	memset(chunk, 'x', sizeof chunk);
	for (; n > 0; n -= k) {
		k = n < (long)sizeof chunk ? n : (long)sizeof chunk;
		raw_write(f, chunk, (size_t)k);
	}
}

static void
run_line(struct fake *f, char *line)
{
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return;
	if (strncmp(line, "S: ", 3) == 0)
		queue_text(f, line + 3, false);
	else if (strcmp(line, "S:") == 0)
		queue_text(f, "", false);	/* an empty line */
	else if (strncmp(line, "R: ", 3) == 0)
		queue_text(f, line + 3, true);
	else if (strncmp(line, "C: ", 3) == 0)
		expect_line(f, line + 3, false);
	else if (strncmp(line, "L: ", 3) == 0)
		expect_line(f, line + 3, true);
	else if (strncmp(line, "never: ", 7) == 0)
		add_never(f, line + 7);
	else if (strcmp(line, "tls") == 0)
		start_tls(f, false);
	else if (strcmp(line, "tls-refused") == 0)
		start_tls(f, true);
	else if (strncmp(line, "tls-priority ", 13) == 0) {
		free(f->priority);
		f->priority = strdup(line + 13);
	}
	else if (strcmp(line, "eof") == 0)
		expect_eof(f);
	else if (strncmp(line, "sleep ", 6) == 0) {
		flush_out(f);
		sleep((unsigned)atoi(line + 6));
	} else if (strncmp(line, "blob ", 5) == 0)
		send_blob(f, line + 5);
	else if (strcmp(line, "close") == 0) {
		flush_out(f);
		if (f->tls != NULL)
			gnutls_bye(f->tls, GNUTLS_SHUT_WR);
		close(f->fd);
		f->fd = -1;
	} else
		fail(f, "unknown script line: %s", line);
}

/* Everything back, so a sanitizer build reports only the client's leaks. */
static void
fake_free(struct fake *f)
{
	int	i;

	for (i = 0; i < f->nnever; i++) {
		regfree(&f->never[i]);
		free(f->never_src[i]);
	}
	if (f->tls != NULL)
		gnutls_deinit(f->tls);
	if (f->cred != NULL)
		gnutls_certificate_free_credentials(f->cred);
	gnutls_global_deinit();
	free(f->priority);
	free(f);
}

static int
listen_any_port(const char *portfile)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	FILE			*fp;
	int			fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(fd, 1) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		perror("fakeserver: listen");
		exit(1);
	}
	if (portfile != NULL) {
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
		if ((fp = fopen(tmp, "w")) == NULL) {
			perror(tmp);
			exit(1);
		}
		fprintf(fp, "%d\n", ntohs(sin.sin_port));
		fclose(fp);
		rename(tmp, portfile);	/* readers never see half a number */
	} else
		printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	return fd;
}

int
main(int argc, char **argv)
{
	struct fake	*f;
	const char	*portfile = NULL;
	char		 line[LINE_MAX_BYTES];
	FILE		*script;
	int		 ch, lfd;

	f = calloc(1, sizeof *f);
	f->timeout_s = 10;
	f->fd = -1;
	while ((ch = getopt(argc, argv, "c:k:p:t:")) != -1) {
		switch (ch) {
		case 'c': f->cert = optarg; break;
		case 'k': f->key = optarg; break;
		case 'p': portfile = optarg; break;
		case 't': f->timeout_s = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: fakeserver [-c cert -k key] "
			    "[-p portfile] [-t secs] script\n");
			return 2;
		}
	}
	if (optind + 1 != argc || (script = fopen(argv[optind], "r")) == NULL) {
		fprintf(stderr, "fakeserver: need a readable script\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	gnutls_global_init();
	lfd = listen_any_port(portfile);
	f->fd = accept(lfd, NULL, NULL);
	close(lfd);
	if (f->fd < 0) {
		perror("fakeserver: accept");
		return 1;
	}
	while (fgets(line, sizeof line, script) != NULL) {
		f->lineno++;
		run_line(f, line);
	}
	flush_out(f);
	fclose(script);
	if (f->fd >= 0)
		close(f->fd);
	fake_free(f);
	return 0;
}
