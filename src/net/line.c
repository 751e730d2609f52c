/*
 * The line layer IMAP, POP3 and SMTP share: a read buffer, capped lines,
 * exact-size literals, raw chunks for incremental parsers, and writes
 * that go to the wire log with credentials masked.
 */
#include "config.h"

#include <poll.h>
#include <string.h>

#include "net/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/str.h"

/* Writes longer than this are logged by size only (message bodies). */
#define NET_LOG_WRITE_MAX	1000
/* A literal is read straight into the caller's buffer this much at once. */
#define NET_LITERAL_CHUNK	65536

static int
net_usable(struct net_conn *conn, struct err *e)
{
	if (!conn->broken)
		return 0;
	err_set(e, ERR_CLOSED, _("%s: the connection is no longer usable "
	    "after an earlier error"), conn->peer);
	return -1;
}

static size_t
net_unread(const struct net_conn *conn)
{
	return conn->rbuf.len - conn->rpos;
}

/* Drop consumed bytes once they are the bigger part of the buffer. */
static void
net_compact(struct net_conn *conn)
{
	if (conn->rpos == 0)
		return;
	if (conn->rpos == conn->rbuf.len) {
		buf_reset(&conn->rbuf);
		conn->rpos = 0;
	} else if (conn->rpos >= conn->rbuf.len / 2) {
		buf_consume(&conn->rbuf, conn->rpos);
		conn->rpos = 0;
	}
}

/* Receive more into the buffer, waiting up to the timeout. */
static int
net_fill(struct net_conn *conn, bool wait, struct err *e)
{
	ssize_t	n;

	net_compact(conn);
	buf_reserve(&conn->rbuf, NET_READ_CHUNK);
	if (wait)
		n = net_io_recv(conn, conn->rbuf.data + conn->rbuf.len,
		    NET_READ_CHUNK, e);
	else
		n = net_io_try_recv(conn, conn->rbuf.data + conn->rbuf.len,
		    NET_READ_CHUNK, e);
	if (n < 0)
		return -1;
	conn->rbuf.len += (size_t)n;
	conn->rbuf.data[conn->rbuf.len] = '\0';
	return (int)(n > 0);
}

int
net_read_line(struct net_conn *conn, size_t max, struct buf *line,
    struct err *e)
{
	const char	*p, *nl;
	size_t		 scanned = 0, avail, n, len;

	buf_reset(line);
	if (net_usable(conn, e) == -1)
		return -1;
	for (;;) {
		avail = net_unread(conn);
		p = avail > 0 ? conn->rbuf.data + conn->rpos : NULL;
		nl = avail > scanned ? memchr(p + scanned, '\n',
		    avail - scanned) : NULL;
		if (nl != NULL) {
			n = (size_t)(nl - p);
			len = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
			if (len > max)
				break;
			buf_add(line, p, len);
			conn->rpos += n + 1;
			log_wire(conn->log_name, '<', line->data, len, false);
			return 0;
		}
		scanned = avail;
		/* One byte of slack: a CR whose LF has not arrived yet. */
		if (avail > 0 && avail - 1 > max)
			break;
		/*
		 * A partial line stays in the buffer, so after a timeout
		 * the caller may call again without losing bytes.
		 */
		if (net_fill(conn, true, e) == -1)
			return -1;
	}
	conn->broken = true;
	err_set(e, ERR_TOOBIG, _("%s: the server sent a line longer than %zu "
	    "bytes"), conn->peer, max);
	return -1;
}

int
net_read_exact(struct net_conn *conn, size_t n, struct buf *out,
    struct err *e)
{
	size_t	take, want, total = n;
	ssize_t	r;

	if (net_usable(conn, e) == -1)
		return -1;
	take = net_unread(conn) < n ? net_unread(conn) : n;
	if (take > 0) {
		buf_add(out, conn->rbuf.data + conn->rpos, take);
		conn->rpos += take;
		n -= take;
	}
	while (n > 0) {
		/* Grow with what arrives, not with what the server claims. */
		want = n < NET_LITERAL_CHUNK ? n : NET_LITERAL_CHUNK;
		buf_reserve(out, want);
		r = net_io_recv(conn, out->data + out->len, want, e);
		if (r < 0) {
			out->data[out->len] = '\0';
			/* Mid-literal, the protocol cannot be resumed. */
			conn->broken = true;
			return -1;
		}
		out->len += (size_t)r;
		out->data[out->len] = '\0';
		n -= (size_t)r;
	}
	if (log_enabled(LOG_LEVEL_WIRE))
		log_msg(LOG_LEVEL_WIRE, "%s < [%zu bytes]", conn->log_name,
		    total);
	return 0;
}

ssize_t
net_read_some(struct net_conn *conn, void *p, size_t cap, struct err *e)
{
	size_t	take;
	ssize_t	r;

	if (net_usable(conn, e) == -1)
		return -1;
	if (cap == 0)
		return 0;
	if (net_unread(conn) > 0) {
		take = net_unread(conn) < cap ? net_unread(conn) : cap;
		memcpy(p, conn->rbuf.data + conn->rpos, take);
		conn->rpos += take;
		net_compact(conn);
		r = (ssize_t)take;
	} else if ((r = net_io_recv(conn, p, cap, e)) < 0)
		return -1;
	if (log_enabled(LOG_LEVEL_WIRE))
		log_msg(LOG_LEVEL_WIRE, "%s < [%zd bytes]", conn->log_name, r);
	return r;
}

static void
net_log_write(struct net_conn *conn, const void *data, size_t len,
    bool secret)
{
	if (!log_enabled(LOG_LEVEL_WIRE))
		return;
	if (secret || len <= NET_LOG_WRITE_MAX)
		log_wire(conn->log_name, '>', data, len, secret);
	else
		log_msg(LOG_LEVEL_WIRE, "%s > [%zu bytes]", conn->log_name,
		    len);
}

int
net_write(struct net_conn *conn, const void *data, size_t len, bool secret,
    struct err *e)
{
	if (net_usable(conn, e) == -1)
		return -1;
	net_log_write(conn, data, len, secret);
	return net_io_send(conn, data, len, e);
}

int
net_send_line(struct net_conn *conn, const char *line, bool secret,
    struct err *e)
{
	struct buf	b = BUF_INIT;
	size_t		len = strlen(line);
	int		r;

	if (net_usable(conn, e) == -1)
		return -1;
	/* A line break inside would smuggle in a second command. */
	if (strpbrk(line, "\r\n") != NULL) {
		err_set(e, ERR_INTERNAL, "%s: refusing to send a command line "
		    "that contains a line break", conn->peer);
		return -1;
	}
	/* Sized once, so a secret is never left behind by a realloc. */
	buf_reserve(&b, len + 2);
	buf_add(&b, line, len);
	buf_add(&b, "\r\n", 2);
	log_wire(conn->log_name, '>', line, len, secret);
	r = net_io_send(conn, b.data, b.len, e);
	if (secret)
		str_wipe(b.data, b.cap);
	buf_free(&b);
	return r;
}

bool
net_pending(const struct net_conn *conn)
{
	if (net_unread(conn) > 0)
		return true;
	return conn->tls != NULL && gnutls_record_check_pending(conn->tls) > 0;
}

int
net_wait_readable(struct net_conn *conn, int timeout_ms, struct err *e)
{
	int64_t	deadline = 0, left;
	int	w, r;

	if (net_usable(conn, e) == -1)
		return -1;
	if (timeout_ms >= 0)
		deadline = net_now_ms() + timeout_ms;
	for (;;) {
		if (net_pending(conn))
			return 1;
		left = -1;
		if (timeout_ms >= 0 && (left = deadline - net_now_ms()) < 0)
			left = 0;
		w = net_io_poll(conn, POLLIN, (int)left, e);
		if (w == -1)
			return -1;
		if (w == 0)
			return 0;
		/*
		 * A readable socket may carry only TLS housekeeping (a
		 * session ticket): read it now, and keep waiting unless
		 * application data came with it.
		 */
		if ((r = net_fill(conn, false, e)) == -1)
			return -1;
		if (r == 1)
			return 1;
		if (timeout_ms >= 0 && net_now_ms() >= deadline)
			return 0;
	}
}
