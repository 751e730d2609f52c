/*
 * Raw reads and writes on a connection, plain or TLS, on a non-blocking
 * socket: every wait goes through poll() with the connection's timeout,
 * so no call can hang on a silent server.  The timeout bounds each wait
 * for progress, not a whole transfer: a large literal arriving slowly but
 * steadily is not cut off.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "net/internal.h"
#include "util/err.h"
#include "util/i18n.h"

/* Non-fatal GnuTLS results we retry at once, at most this many in a row. */
#define NET_TLS_RETRIES	64

int64_t
net_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
net_io_broken(struct net_conn *conn)
{
	conn->broken = true;
}

int
net_io_poll(struct net_conn *conn, short events, int timeout_ms,
    struct err *e)
{
	struct pollfd	pfd;
	int64_t		deadline = 0;
	int		r, wait = timeout_ms;

	if (timeout_ms >= 0)
		deadline = net_now_ms() + timeout_ms;
	for (;;) {
		pfd.fd = conn->fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, wait);
		if (r > 0)
			return 1;	/* errors and hang-ups: the next I/O says */
		if (r == 0)
			return 0;
		if (errno != EINTR) {
			err_set(e, ERR_IO, "%s: poll: %s", conn->peer,
			    strerror(errno));
			return -1;
		}
		if (timeout_ms >= 0) {
			int64_t left = deadline - net_now_ms();

			if (left <= 0)
				return 0;
			wait = (int)left;
		}
	}
}

static void
net_io_closed(struct net_conn *conn, struct err *e)
{
	err_set(e, ERR_CLOSED, _("%s: the server closed the connection"),
	    conn->peer);
	conn->broken = true;
}

static void
net_io_errno(struct net_conn *conn, int error, bool sending, struct err *e)
{
	if (sending)
		err_set(e, ERR_CLOSED, _("%s: connection lost while "
		    "sending: %s"), conn->peer, strerror(error));
	else
		err_set(e, ERR_CLOSED, _("%s: connection lost: %s"),
		    conn->peer, strerror(error));
	conn->broken = true;
}

static int
net_io_timeout(struct net_conn *conn, bool sending, struct err *e)
{
	int	s = (conn->timeout_ms + 999) / 1000;

	if (sending)
		err_set(e, ERR_TIMEOUT, _("%s: the server accepted no data "
		    "for %d s"), conn->peer, s);
	else
		err_set(e, ERR_TIMEOUT, _("%s: the server sent nothing "
		    "for %d s"), conn->peer, s);
	return -1;
}

/* Which way GnuTLS is blocked after GNUTLS_E_AGAIN. */
static short
net_io_tls_events(struct net_conn *conn)
{
	return gnutls_record_get_direction(conn->tls) == 1 ? POLLOUT : POLLIN;
}

ssize_t
net_io_try_recv(struct net_conn *conn, void *p, size_t len, struct err *e)
{
	ssize_t	r;
	int	i;

	if (conn->tls == NULL) {
		r = recv(conn->fd, p, len, 0);
		if (r > 0)
			return r;
		if (r == 0) {
			net_io_closed(conn, e);
			return -1;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		net_io_errno(conn, errno, false, e);
		return -1;
	}

	for (i = 0; i < NET_TLS_RETRIES; i++) {
		r = gnutls_record_recv(conn->tls, p, len);
		if (r > 0)
			return r;
		if (r == 0 || r == GNUTLS_E_PREMATURE_TERMINATION) {
			net_io_closed(conn, e);
			return -1;
		}
		if (r == GNUTLS_E_AGAIN)
			return 0;
		/*
		 * Interrupted calls, warning alerts and renegotiation
		 * requests (which we decline by ignoring them) are not the
		 * end of the connection: read on.
		 */
		if (r == GNUTLS_E_INTERRUPTED || !gnutls_error_is_fatal((int)r))
			continue;
		net_tls_io_error(conn, (int)r, e);
		return -1;
	}
	return 0;
}

ssize_t
net_io_recv(struct net_conn *conn, void *p, size_t len, struct err *e)
{
	ssize_t	r;
	short	events;
	int	w;

	for (;;) {
		r = net_io_try_recv(conn, p, len, e);
		if (r != 0)
			return r;
		if (conn->tls != NULL &&
		    gnutls_record_check_pending(conn->tls) > 0)
			continue;
		events = conn->tls != NULL ? net_io_tls_events(conn) : POLLIN;
		w = net_io_poll(conn, events, conn->timeout_ms, e);
		if (w == -1)
			return -1;
		if (w == 0)
			return net_io_timeout(conn, false, e);
	}
}

/* One write attempt: count, 0 when it would block, -1 on error. */
static ssize_t
net_io_try_send(struct net_conn *conn, const void *p, size_t len,
    struct err *e)
{
	ssize_t	r;

	if (conn->tls == NULL) {
		/* MSG_NOSIGNAL: a dead peer is an error, not a SIGPIPE. */
		r = send(conn->fd, p, len, MSG_NOSIGNAL);
		if (r >= 0)
			return r;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		net_io_errno(conn, errno, true, e);
		return -1;
	}
	/* After GNUTLS_E_AGAIN, GnuTLS wants the same data again: it gets it. */
	r = gnutls_record_send(conn->tls, p, len);
	if (r >= 0)
		return r;
	if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
		return 0;
	net_tls_io_error(conn, (int)r, e);
	return -1;
}

int
net_io_send(struct net_conn *conn, const void *data, size_t len,
    struct err *e)
{
	const char	*p = data;
	ssize_t		 r;
	short		 events;
	int		 w;

	while (len > 0) {
		r = net_io_try_send(conn, p, len, e);
		if (r < 0)
			return -1;
		if (r > 0) {
			p += r;
			len -= (size_t)r;
			continue;
		}
		events = conn->tls != NULL ? net_io_tls_events(conn) : POLLOUT;
		w = net_io_poll(conn, events, conn->timeout_ms, e);
		if (w == -1)
			return -1;
		if (w == 0) {
			/* Part of a command may be out: the stream is lost. */
			conn->broken = true;
			return net_io_timeout(conn, true, e);
		}
	}
	return 0;
}

bool
net_io_socket_has_data(struct net_conn *conn)
{
	char	c;

	return recv(conn->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}
