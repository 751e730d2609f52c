/*
 * Replay of pending operations, oldest first.  Each is done on the
 * server and then removed from the queue; a network failure stops the
 * replay (the rest wait, in order), a refusal or a conflict is reported
 * and resolved so that nothing the user had is lost:
 *   - the message is gone from the server: a flag change is dropped; a
 *     move or copy uploads the local copy when the store has its body;
 *   - the source folder is gone: as above;
 *   - the target folder is gone locally: the message stays where the
 *     server has it and comes back into the store;
 *   - the target folder is missing on the server: it is created;
 *   - UIDVALIDITY changed since the operation was queued: the message is
 *     found again by its Message-ID.
 * An operation replayed twice (killed after the server did it, before the
 * queue forgot it) finds its result by Message-ID and is not done again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap.h"
#include "mime/mime.h"
#include "store/store.h"
#include "sync/sync-int.h"
#include "sync/sync.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Results of one operation besides -1. */
#define DONE		0
#define RESOLVED	1	/* a conflict, reported and settled */

static const char *
op_name(enum store_op_type t)
{
	switch (t) {
	case STORE_OP_FLAG:
		return _("flag change");
	case STORE_OP_UNFLAG:
		return _("flag change");
	case STORE_OP_MOVE:
		return _("move");
	case STORE_OP_COPY:
		return _("copy");
	case STORE_OP_DELETE:
		return _("deletion");
	case STORE_OP_EXPUNGE:
		return _("expunge");
	case STORE_OP_APPEND:
		return _("upload");
	}
	return "?";
}

/* Worth trying again later rather than giving up on the operation. */
static bool
transient(struct sync_session *s, const struct err *e)
{
	switch (e->code) {
	case ERR_REFUSED:
	case ERR_NOTFOUND:
	case ERR_USAGE:
	case ERR_PARSE:
		return !sync_session_online(s);
	default:
		return true;
	}
}

/* ------------------------------------------------------------------ */
/* Finding a message by Message-ID                                      */

struct find_ctx {
	const char	*msgid;
	uint32_t	 uid;
};

static int
on_msgid(void *arg, const struct imap_fetch *fx, struct err *err)
{
	struct find_ctx		*c = arg;
	struct mime_headers	*h;
	const char		*v;
	char			*id;
	size_t			 i;

	(void)err;
	if (!(fx->have & IMAP_FETCH_UID) || c->uid != 0)
		return 0;
	for (i = 0; i < fx->nsections; i++) {
		if (strncasecmp(fx->sections[i].section, "HEADER.FIELDS",
		    13) != 0 || fx->sections[i].data == NULL)
			continue;
		h = mime_headers_parse(fx->sections[i].data,
		    fx->sections[i].len, NULL);
		if ((v = mime_headers_get(h, "Message-ID")) != NULL &&
		    (id = mime_msgid_parse(v, strlen(v))) != NULL) {
			if (strcmp(id, c->msgid) == 0)
				c->uid = fx->uid;
			free(id);
		}
		mime_headers_free(&h);
	}
	return 0;
}

/* The UID (>= from) of msgid in the selected folder, 0 when absent. */
static int
find_msgid(struct sync_session *s, uint32_t from, const char *msgid,
    uint32_t *uid_r, struct err *err)
{
	struct imap_fetch_req	req;
	struct find_ctx		c;
	char			set[32];

	*uid_r = 0;
	if (msgid == NULL || *msgid == '\0')
		return 0;
	snprintf(set, sizeof set, "%lu:*", (unsigned long)(from > 0 ?
	    from : 1));
	memset(&c, 0, sizeof c);
	c.msgid = msgid;
	memset(&req, 0, sizeof req);
	req.uids = set;
	req.items = "UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]";
	req.on_fetch = on_msgid;
	req.arg = &c;
	if (imap_uid_fetch(s->conn, &req, err) == -1)
		return -1;
	*uid_r = c.uid;
	return 0;
}

static int
on_exists(void *arg, const struct imap_fetch *fx, struct err *err)
{
	(void)err;
	if (fx->have & IMAP_FETCH_UID)
		*(bool *)arg = true;
	return 0;
}

static int
uid_exists(struct sync_session *s, uint32_t uid, bool *yes_r,
    struct err *err)
{
	struct imap_fetch_req	req;
	char			set[16];

	*yes_r = false;
	snprintf(set, sizeof set, "%lu", (unsigned long)uid);
	memset(&req, 0, sizeof req);
	req.uids = set;
	req.items = "UID";
	req.on_fetch = on_exists;
	req.arg = yes_r;
	return imap_uid_fetch(s->conn, &req, err);
}

/* ------------------------------------------------------------------ */
/* Learning where a message went                                        */

static bool
referenced_later(struct sync_session *s, const struct store_op *op,
    int64_t msg)
{
	struct store_op	*ops;
	size_t		 n, i;
	bool		 yes = false;
	struct err	 e;

	err_clear(&e);
	if (store_op_list(s->store, s->account_id, &ops, &n, &e) == -1)
		return true;
	for (i = 0; i < n; i++) {
		if (ops[i].id != op->id && ops[i].message_id == msg &&
		    ops[i].state == STORE_OP_QUEUED)
			yes = true;
	}
	store_op_list_free(&ops, n);
	return yes;
}

/*
 * The message msg now has uid in folder tf (uidvalidity as the server
 * said; 0 when it did not say).  Without a usable UID the local copy is
 * dropped, unless later operations need it: the folder's next sync
 * brings the server's copy in.
 */
static int
learn(struct sync_session *s, const struct store_op *op,
    const struct store_folder *tf, int64_t msg, uint32_t uidvalidity,
    uint32_t uid, struct err *err)
{
	struct store_msg	*m = NULL;
	struct err		 e;
	bool			 mine;

	if (msg == 0)
		return 0;
	err_clear(&e);
	if (store_message_get(s->store, msg, &m, &e) == -1)
		return e.code == ERR_NOTFOUND ? 0 : (*err = e, -1);
	mine = m->folder_id == tf->id && m->uid == 0;
	store_msg_free(&m);
	if (uid != 0 && uidvalidity != 0 && uidvalidity == tf->uidvalidity) {
		if (store_op_learn_uid(s->store, msg, tf->id, uid, err) == -1)
			return -1;
		if (!mine)
			return 0;
		if (store_message_set_uid(s->store, msg, uid, &e) == 0)
			return 0;
		if (e.code != ERR_USAGE) {
			*err = e;
			return -1;
		}
		/* The store has the server's copy already. */
		return store_message_delete(s->store, msg, err);
	}
	if (!mine || referenced_later(s, op, msg))
		return 0;
	return store_message_delete(s->store, msg, err);
}

/* ------------------------------------------------------------------ */

static int
select_folder(struct sync_session *s, int64_t id, struct store_folder **f_r,
    struct err *err)
{
	*f_r = NULL;
	if (id == 0) {
		err_set(err, ERR_NOTFOUND, "%s", _("folder is gone"));
		return -1;
	}
	if (store_folder_get(s->store, id, f_r, err) == -1)
		return -1;
	return sess_select(s, *f_r, err);
}

/*
 * Whether a refused APPEND, COPY or MOVE asks for its target to be made:
 * [TRYCREATE] (or [NONEXISTENT]).  Any other refusal, [OVERQUOTA] say,
 * is not cured by a CREATE, and a folder the user deleted on the server
 * is not brought back for it.
 */
static bool
folder_missing(struct sync_session *s, const struct err *err)
{
	enum imap_code_type	code;

	if (!sync_session_online(s) || err->code != ERR_REFUSED)
		return false;
	code = imap_refusal_code(s->conn);
	return code == IMAP_CODE_TRYCREATE || code == IMAP_CODE_NONEXISTENT;
}

/*
 * Upload a local message into tf (an APPEND op, or the rescue of a move
 * whose source is gone), unless tf already has it (a replay run twice).
 */
static int
upload(struct sync_session *s, const struct store_op *op,
    struct store_folder *tf, int64_t msg, struct err *err)
{
	struct store_msg	*m = NULL;
	struct buf		 raw = BUF_INIT, w = BUF_INIT, fl = BUF_INIT;
	uint32_t		 uv = 0, uid = 0;
	int			 rc = -1, tries;

	if (store_message_get(s->store, msg, &m, err) == -1)
		return -1;
	if (store_body_get(s->store, msg, &raw, err) == -1)
		goto out;
	if (sess_select(s, tf, err) == -1) {
		if (!sync_session_online(s))
			goto out;
		/* Missing on the server: make it. */
		if (sess_wire_name(tf, &w, err) == -1)
			goto out;
		err_clear(err);
		if (imap_create(s->conn, buf_cstr(&w), err) == -1 ||
		    sess_select(s, tf, err) == -1)
			goto out;
	}
	if (find_msgid(s, tf->uidnext, m->message_id, &uid, err) == -1)
		goto out;
	if (uid != 0) {
		rc = learn(s, op, tf, msg, imap_mailbox(s->conn)->uidvalidity,
		    uid, err);
		goto out;
	}
	if (sess_wire_name(tf, &w, err) == -1)
		goto out;
	sync_flags_format(&fl, m->flags & ~STORE_FLAG_DELETED, m->keywords);
	for (tries = 0; tries < 2; tries++) {
		err_clear(err);
		if (imap_append(s->conn, buf_cstr(&w), buf_cstr(&fl),
		    (time_t)m->internal_date, raw.data, raw.len, &uv, &uid,
		    err) == 0)
			break;
		if (tries > 0 || !folder_missing(s, err))
			goto out;
		(void)imap_create(s->conn, buf_cstr(&w), err);
	}
	rc = learn(s, op, tf, msg, uv, uid, err);
out:
	store_msg_free(&m);
	buf_free(&raw);
	buf_free(&w);
	buf_free(&fl);
	return rc;
}

static int
replay_append(struct sync_session *s, const struct store_op *op,
    struct sync_report *rep, struct err *err)
{
	struct store_folder	*tf = NULL;
	int			 rc;

	if (op->message_id == 0)
		return DONE;	/* deleted before it was uploaded */
	if (op->target_folder_id == 0 || store_folder_get(s->store,
	    op->target_folder_id, &tf, err) == -1) {
		sync_report_conflict(rep, _("message %lld: its folder is gone; "
		    "not uploaded"), (long long)op->message_id);
		return RESOLVED;
	}
	rc = upload(s, op, tf, op->message_id, err);
	store_folder_free(&tf);
	return rc;
}

/* The message is not where the operation expected it on the server. */
static int
gone(struct sync_session *s, const struct store_op *op,
    const char *fname, struct sync_report *rep, struct err *err)
{
	struct store_folder	*tf = NULL;
	struct store_msg	*m = NULL;
	struct err		 e;
	bool			 body;
	int			 rc;

	switch (op->type) {
	case STORE_OP_DELETE:
	case STORE_OP_EXPUNGE:
		return DONE;	/* what the user wanted */
	case STORE_OP_FLAG:
	case STORE_OP_UNFLAG:
		sync_report_conflict(rep, _("%s: a message is gone from the "
		    "server; %s dropped"), fname, op_name(op->type));
		return RESOLVED;
	default:
		break;
	}
	/* Move or copy: rescue the local copy when we have all of it. */
	err_clear(&e);
	body = op->message_id != 0 && store_message_get(s->store,
	    op->message_id, &m, &e) == 0 && m->body_state == STORE_BODY_FULL;
	store_msg_free(&m);
	if (body && op->target_folder_id != 0 && store_folder_get(s->store,
	    op->target_folder_id, &tf, &e) == 0) {
		rc = upload(s, op, tf, op->message_id, err);
		if (rc == 0)
			sync_report_conflict(rep, _("%s: a message was gone from "
			    "the server; the local copy was uploaded to %s"),
			    fname, tf->display);
		store_folder_free(&tf);
		return rc == 0 ? RESOLVED : -1;
	}
	sync_report_conflict(rep, _("%s: a message is gone from the server; "
	    "%s dropped"), fname, op_name(op->type));
	if (op->message_id != 0 && !referenced_later(s, op, op->message_id) &&
	    store_message_get(s->store, op->message_id, &m, &e) == 0) {
		if (m->uid == 0 && store_message_delete(s->store,
		    op->message_id, err) == -1) {
			store_msg_free(&m);
			return -1;
		}
		store_msg_free(&m);
	}
	return RESOLVED;
}

/* Which UID the operation's message has now in the selected folder f. */
static int
resolve_uid(struct sync_session *s, const struct store_op *op,
    const struct store_folder *f, uint32_t *uid_r, struct err *err)
{
	struct store_msg	*m = NULL;
	struct err		 e;
	uint32_t		 uid = op->uid;
	int			 rc = 0;

	err_clear(&e);
	if (op->message_id != 0 && store_message_get(s->store,
	    op->message_id, &m, &e) == -1)
		m = NULL;
	if (uid == 0 && m != NULL && m->folder_id == f->id)
		uid = m->uid;
	if (f->uidvalidity != 0 &&
	    imap_mailbox(s->conn)->uidvalidity != f->uidvalidity) {
		/* Renumbered since: look for the message itself. */
		uid = 0;
		if (m != NULL)
			rc = find_msgid(s, 1, m->message_id, &uid, err);
	}
	store_msg_free(&m);
	*uid_r = uid;
	return rc;
}

static int
replay_source(struct sync_session *s, const struct store_op *op,
    struct sync_report *rep, struct err *err)
{
	struct store_folder	*f = NULL, *tf = NULL;
	struct imap_copyuid	 cu;
	struct buf		 set = BUF_INIT, w = BUF_INIT, fl = BUF_INIT;
	const char		*fname;
	uint32_t		 uid;
	bool			 there;
	int			 rc = -1, tries;

	memset(&cu, 0, sizeof cu);
	if (select_folder(s, op->folder_id, &f, err) == -1) {
		if (!sync_session_online(s))
			goto out;
		err_clear(err);
		rc = gone(s, op, f != NULL ? f->display : _("a folder"), rep,
		    err);
		goto out;
	}
	fname = f->display;
	if (op->type == STORE_OP_EXPUNGE) {
		rc = imap_uid_expunge(s->conn, "1:*", err);
		goto out;
	}
	if (resolve_uid(s, op, f, &uid, err) == -1)
		goto out;
	there = false;
	if (uid != 0 && uid_exists(s, uid, &there, err) == -1)
		goto out;
	if (!there) {
		rc = gone(s, op, fname, rep, err);
		goto out;
	}
	buf_addf(&set, "%lu", (unsigned long)uid);
	switch (op->type) {
	case STORE_OP_FLAG:
	case STORE_OP_UNFLAG:
		sync_flags_format(&fl, op->flags, op->args);
		if (fl.len == 0) {
			rc = DONE;
			break;
		}
		rc = imap_uid_store(s->conn, buf_cstr(&set),
		    op->type == STORE_OP_FLAG ? "+FLAGS.SILENT" :
		    "-FLAGS.SILENT", buf_cstr(&fl), 0, NULL, err);
		break;
	case STORE_OP_DELETE:
		if (imap_uid_store(s->conn, buf_cstr(&set), "+FLAGS.SILENT",
		    "\\Deleted", 0, NULL, err) == -1)
			break;
		rc = imap_uid_expunge(s->conn, buf_cstr(&set), err);
		break;
	case STORE_OP_MOVE:
	case STORE_OP_COPY:
		if (op->target_folder_id == 0 || store_folder_get(s->store,
		    op->target_folder_id, &tf, err) == -1) {
			/* Left where it is: bring it back into the store. */
			err_clear(err);
			sync_report_conflict(rep, _("%s: the target folder is "
			    "gone; the message stays here"), fname);
			rc = op->type == STORE_OP_MOVE && sync_fetch_headers(s,
			    f->id, &uid, 1, NULL, err) == -1 ? -1 : RESOLVED;
			break;
		}
		if (sess_wire_name(tf, &w, err) == -1)
			break;
		for (tries = 0; tries < 2; tries++) {
			err_clear(err);
			imap_copyuid_clear(&cu);
			rc = op->type == STORE_OP_MOVE ?
			    imap_uid_move(s->conn, buf_cstr(&set),
			    buf_cstr(&w), &cu, err) :
			    imap_uid_copy(s->conn, buf_cstr(&set),
			    buf_cstr(&w), &cu, err);
			if (rc == 0 || tries > 0 || !folder_missing(s, err))
				break;
			(void)imap_create(s->conn, buf_cstr(&w), err);
		}
		if (rc == -1)
			break;
		rc = learn(s, op, tf, op->message_id, cu.uidvalidity,
		    cu.dst.n > 0 ? cu.dst.r[0].lo : 0, err);
		break;
	default:
		err_set(err, ERR_INTERNAL, "%s", _("bad pending operation"));
		break;
	}
out:
	imap_copyuid_clear(&cu);
	store_folder_free(&f);
	store_folder_free(&tf);
	buf_free(&set);
	buf_free(&w);
	buf_free(&fl);
	return rc;
}

static int
replay_one(struct sync_session *s, const struct store_op *op,
    struct sync_report *rep, struct err *err)
{
	if (op->type == STORE_OP_APPEND)
		return replay_append(s, op, rep, err);
	return replay_source(s, op, rep, err);
}

int
sync_replay(struct sync_session *s, struct sync_report *rep,
    struct err *err)
{
	struct store_op	*ops = NULL;
	size_t		 n = 0, i;
	struct err	 e;
	int		 rc;

	if (sess_ready(s, err) == -1)
		return -1;
	/* SELECT afresh: UIDVALIDITY may have changed since we looked. */
	s->selected = 0;
	for (;;) {
		if (store_op_next(s->store, s->account_id, 32, &ops, &n,
		    err) == -1)
			return -1;
		if (n == 0)
			return 0;
		for (i = 0; i < n; i++) {
			err_clear(&e);
			if ((rc = replay_one(s, &ops[i], rep, &e)) >= 0) {
				if (store_op_done(s->store, ops[i].id,
				    err) == -1)
					goto fail;
				rep->ops_done++;
				continue;
			}
			sess_check_conn(s);
			if (transient(s, &e)) {
				(void)store_op_failed(s->store, ops[i].id,
				    e.msg, false, err);
				*err = e;
				goto fail;
			}
			if (store_op_failed(s->store, ops[i].id, e.msg, true,
			    err) == -1)
				goto fail;
			rep->ops_failed++;
			sync_report_conflict(rep, _("%s failed: %s"),
			    op_name(ops[i].type), e.msg);
		}
		store_op_list_free(&ops, n);
	}
fail:
	store_op_list_free(&ops, n);
	return -1;
}
