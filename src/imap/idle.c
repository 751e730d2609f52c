/*
 * IDLE (RFC 2177): start, wait for the server's news with a timeout, and
 * DONE.  Everything that arrives is applied to the connection's state and
 * passed to the event callback.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "imap/imap-int.h"
#include "net/net.h"
#include "util/err.h"

/* One response during IDLE: 1 untagged, 2 continuation, 3 tagged. */
static int
idle_one(struct imap_conn *c, struct imap_response **rp, struct err *err)
{
	struct imap_response	*r;
	int			 rc;

	if (imap_read_response(c, rp, err) < 0)
		return -1;
	r = *rp;
	if (r->type == IMAP_RESP_CONTINUE)
		return 2;
	if (r->type == IMAP_RESP_TAGGED) {
		if (strcmp(r->tag, c->tag) != 0) {
			err_set(err, ERR_PROTO, "%s: tagged response for a "
			    "command never sent", c->peer);
			imap_conn_broken(c);
			return -1;
		}
		return 3;
	}
	if ((rc = imap_apply_untagged(c, r, err)) < 0)
		return -1;
	if (rc == 0)
		imap_emit_event(c, r);
	return 1;
}

static int
idle_refused(struct imap_conn *c, struct imap_response *r, struct err *err)
{
	char	*w;

	w = imap_server_words(r->text);
	err_set(err, ERR_REFUSED, "%s: IDLE refused: %s", c->peer, w);
	free(w);
	return -1;
}

int
imap_idle_start(struct imap_conn *c, struct err *err)
{
	struct imap_response	*r = NULL;
	char			 line[IMAP_TAG_MAX + 8];
	int			 rc;

	if (c->idling || (c->state != IMAP_STATE_SELECTED &&
	    c->state != IMAP_STATE_AUTH)) {
		err_set(err, c->state == IMAP_STATE_LOGOUT ? ERR_CLOSED :
		    ERR_USAGE, "%s: IDLE not possible in this state", c->peer);
		return -1;
	}
	if (!imap_has_cap(c, "IDLE")) {
		err_set(err, ERR_REFUSED, "%s: the server has no IDLE",
		    c->peer);
		return -1;
	}
	snprintf(c->tag, sizeof c->tag, "a%03u", ++c->tagn);
	snprintf(line, sizeof line, "%s IDLE", c->tag);
	if (net_send_line(c->net, line, false, err) < 0) {
		imap_conn_broken(c);
		return -1;
	}
	for (;;) {
		rc = idle_one(c, &r, err);
		if (rc < 0)
			break;
		if (rc == 2) {
			c->idling = true;
			rc = 0;
			break;
		}
		if (rc == 3) {
			c->tag[0] = '\0';
			rc = r->cond == IMAP_COND_OK ? 0 : idle_refused(c, r,
			    err);
			if (rc == 0) {
				err_set(err, ERR_PROTO, "%s: IDLE ended before "
				    "it began", c->peer);
				rc = -1;
			}
			break;
		}
		imap_response_free(&r);
	}
	imap_response_free(&r);
	return rc;
}

int
imap_idle_wait(struct imap_conn *c, int timeout_ms, struct err *err)
{
	struct imap_response	*r = NULL;
	int			 rc;

	if (!c->idling) {
		err_set(err, ERR_USAGE, "%s: not idling", c->peer);
		return -1;
	}
	/* Bytes already read but not parsed do not wake poll(). */
	if (c->in.len == 0 && imap_parser_idle(c->parser)) {
		rc = net_wait_readable(c->net, timeout_ms, err);
		if (rc < 0) {
			imap_conn_broken(c);
			return -1;
		}
		if (rc == 0)
			return 0;
	}
	do {
		rc = idle_one(c, &r, err);
		if (rc == 3 || rc == 2) {
			/* The server may end IDLE itself (RFC 2177). */
			err_set(err, ERR_PROTO, "%s: unexpected %s during "
			    "IDLE", c->peer, rc == 3 ? "end" : "continuation");
			imap_conn_broken(c);
			rc = -1;
		}
		imap_response_free(&r);
		if (rc < 0)
			return -1;
	} while (c->in.len > 0 || net_pending(c->net));
	return 1;
}

int
imap_idle_done(struct imap_conn *c, struct err *err)
{
	struct imap_response	*r = NULL;
	int			 rc;

	if (!c->idling) {
		err_set(err, ERR_USAGE, "%s: not idling", c->peer);
		return -1;
	}
	c->idling = false;
	if (net_send_line(c->net, "DONE", false, err) < 0) {
		imap_conn_broken(c);
		return -1;
	}
	for (;;) {
		rc = idle_one(c, &r, err);
		if (rc < 0)
			return -1;
		if (rc == 3)
			break;
		if (rc == 2) {
			err_set(err, ERR_PROTO, "%s: unexpected continuation "
			    "after DONE", c->peer);
			imap_conn_broken(c);
			imap_response_free(&r);
			return -1;
		}
		imap_response_free(&r);
	}
	c->tag[0] = '\0';
	rc = r->cond == IMAP_COND_OK ? 0 : idle_refused(c, r, err);
	imap_response_free(&r);
	return rc;
}
