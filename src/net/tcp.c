/*
 * TCP connect: every address getaddrinfo() knows (IPv6 and IPv4), each
 * tried with a non-blocking connect bounded by poll() and the deadline.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/internal.h"
#include "util/err.h"
#include "util/i18n.h"

/* One attempt; the socket, or -1 with errno (ETIMEDOUT on the deadline). */
static int
tcp_try(const struct addrinfo *ai, int timeout_ms)
{
	struct pollfd	pfd;
	socklen_t	len;
	int		fd, r, soerr, saved;
	int64_t		deadline;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EINTR)
		goto fail;

	deadline = net_now_ms() + timeout_ms;
	for (;;) {
		int64_t left = deadline - net_now_ms();

		if (left <= 0) {
			errno = ETIMEDOUT;
			goto fail;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		r = poll(&pfd, 1, (int)left);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			goto fail;
		if (r == 0) {
			errno = ETIMEDOUT;
			goto fail;
		}
		break;
	}
	len = sizeof soerr;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		goto fail;
	if (soerr != 0) {
		errno = soerr;
		goto fail;
	}
	return fd;

fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/*
 * Among several failed addresses, the error worth showing: "refused" on
 * IPv4 says more than "network unreachable" on an IPv6 the machine lacks.
 */
static bool
tcp_errno_is_boring(int e)
{
	return e == EAFNOSUPPORT || e == ENETUNREACH || e == EADDRNOTAVAIL ||
	    e == EPROTONOSUPPORT || e == EHOSTUNREACH;
}

static void
tcp_socket_options(int fd)
{
	int	on = 1;

	/* Protocol lines are written whole; do not hold them back. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	/* IDLE connections sit for many minutes behind NAT boxes. */
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
}

static void
tcp_dns_error(int r, const char *peer, struct err *e)
{
	switch (r) {
	case EAI_NONAME:
#ifdef EAI_NODATA
	case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
	case EAI_ADDRFAMILY:
#endif
		err_set(e, ERR_DNS, _("%s: host name not found"), peer);
		break;
	case EAI_AGAIN:
		err_set(e, ERR_DNS,
		    _("%s: name lookup failed for now (no DNS server "
		    "answered)"), peer);
		break;
	case EAI_SYSTEM:
		err_set(e, ERR_DNS, _("%s: name lookup failed: %s"), peer,
		    strerror(errno));
		break;
	default:
		err_set(e, ERR_DNS, _("%s: name lookup failed: %s"), peer,
		    gai_strerror(r));
		break;
	}
}

int
net_tcp_connect(const char *host, uint16_t port, const char *peer,
    int timeout_ms, struct err *e)
{
	struct addrinfo	 hints, *res, *ai;
	char		 service[8];
	int		 r, fd = -1, n, tried = 0, best = 0;
	int64_t		 deadline;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(service, sizeof service, "%u", (unsigned)port);
	/* getaddrinfo() has no deadline of its own; the resolver's applies. */
	r = getaddrinfo(host, service, &hints, &res);
	if (r != 0) {
		tcp_dns_error(r, peer, e);
		return -1;
	}

	n = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next)
		n++;
	deadline = net_now_ms() + timeout_ms;
	for (ai = res; ai != NULL; ai = ai->ai_next, n--) {
		int64_t left = deadline - net_now_ms();
		int	slice;

		if (left <= 0)
			break;
		/*
		 * Share what is left among the addresses still to try, so
		 * a black-holed IPv6 route cannot eat the whole timeout.
		 */
		slice = (int)(left / n);
		if (slice < 1)
			slice = 1;
		tried++;
		fd = tcp_try(ai, ai->ai_next == NULL ? (int)left : slice);
		if (fd != -1)
			break;
		if (best == 0 || (tcp_errno_is_boring(best) &&
		    !tcp_errno_is_boring(errno)) ||
		    (best == ETIMEDOUT && errno != ETIMEDOUT &&
		    !tcp_errno_is_boring(errno)))
			best = errno;
	}
	freeaddrinfo(res);
	if (fd != -1) {
		tcp_socket_options(fd);
		return fd;
	}

	if (best == 0 || best == ETIMEDOUT)
		err_set(e, ERR_TIMEOUT,
		    _("%s: connection timed out after %d s"), peer,
		    (timeout_ms + 999) / 1000);
	else if (tried > 1)
		err_set(e, ERR_CONNECT, _("%s: cannot connect: %s (tried %d "
		    "addresses)"), peer, strerror(best), tried);
	else
		err_set(e, ERR_CONNECT, _("%s: cannot connect: %s"), peer,
		    strerror(best));
	return -1;
}
