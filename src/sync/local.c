/*
 * Local changes: what the user does is written to the store at once (so
 * the screen shows it) and, for IMAP accounts, queued as a pending
 * operation in the same transaction, so neither half exists without the
 * other.  The replay (replay.c) takes it to the server later.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "sync/sync-int.h"
#include "sync/sync.h"
#include "util/err.h"
#include "util/i18n.h"

/* The message, its folder and whether its account has a server. */
static int
load(struct store *st, int64_t id, struct store_msg **m_r,
    struct store_folder **f_r, bool *imap_r, struct err *err)
{
	struct store_account	*a;

	*m_r = NULL;
	*f_r = NULL;
	if (store_message_get(st, id, m_r, err) == -1)
		return -1;
	if (store_folder_get(st, (*m_r)->folder_id, f_r, err) == -1)
		goto fail;
	if (store_account_get(st, (*f_r)->account_id, &a, err) == -1)
		goto fail;
	*imap_r = a->kind == STORE_ACCOUNT_IMAP;
	store_account_free(&a);
	return 0;
fail:
	store_msg_free(m_r);
	store_folder_free(f_r);
	return -1;
}

static int
queue(struct store *st, const struct store_folder *f, enum store_op_type t,
    int64_t msg, uint32_t uid, int64_t target, unsigned flags,
    const char *args, struct err *err)
{
	struct store_op	op;

	memset(&op, 0, sizeof op);
	op.account_id = f != NULL ? f->account_id : 0;
	op.type = t;
	op.message_id = msg;
	op.folder_id = f != NULL && t != STORE_OP_APPEND ? f->id : 0;
	op.uid = uid;
	op.target_folder_id = target;
	op.flags = flags;
	op.args = (char *)args;
	return store_op_enqueue(st, &op, NULL, err);
}

static int
same_account(struct store *st, const struct store_folder *f, int64_t target,
    struct err *err)
{
	struct store_folder	*t;
	int			 rc = 0;

	if (store_folder_get(st, target, &t, err) == -1)
		return -1;
	if (t->account_id != f->account_id) {
		err_set(err, ERR_USAGE, "%s", _("messages move between "
		    "folders of one account only"));
		rc = -1;
	}
	store_folder_free(&t);
	return rc;
}

int
sync_local_flags(struct store *st, int64_t id, unsigned set, unsigned clear,
    struct err *err)
{
	struct store_msg	*m;
	struct store_folder	*f;
	bool			 imap;
	int			 rc = -1;

	if (load(st, id, &m, &f, &imap, err) == -1)
		return -1;
	set &= ~m->flags & STORE_FLAGS_ALL;
	clear &= m->flags & STORE_FLAGS_ALL;
	if (set == 0 && clear == 0) {
		rc = 0;
		goto out;
	}
	if (store_begin(st, err) == -1)
		goto out;
	if (store_message_flags(st, id, set, clear, err) == -1 ||
	    (imap && set != 0 && queue(st, f, STORE_OP_FLAG, id, m->uid, 0,
	    set, NULL, err) == -1) ||
	    (imap && clear != 0 && queue(st, f, STORE_OP_UNFLAG, id, m->uid,
	    0, clear, NULL, err) == -1)) {
		store_rollback(st);
		goto out;
	}
	rc = store_commit(st, err);
out:
	store_msg_free(&m);
	store_folder_free(&f);
	return rc;
}

static int
move_or_copy(struct store *st, int64_t id, int64_t target, bool copy,
    int64_t *id_r, struct err *err)
{
	struct store_msg	*m;
	struct store_folder	*f;
	int64_t			 nid = id;
	bool			 imap;
	int			 rc = -1;

	if (load(st, id, &m, &f, &imap, err) == -1)
		return -1;
	if (target == f->id && !copy) {
		rc = 0;
		goto out;
	}
	if (same_account(st, f, target, err) == -1 ||
	    store_begin(st, err) == -1)
		goto out;
	if ((copy ? store_message_copy(st, id, target, 0, &nid, err) :
	    store_message_move(st, id, target, 0, err)) == -1 ||
	    (imap && queue(st, f, copy ? STORE_OP_COPY : STORE_OP_MOVE, nid,
	    m->uid, target, 0, NULL, err) == -1)) {
		store_rollback(st);
		goto out;
	}
	if ((rc = store_commit(st, err)) == 0 && id_r != NULL)
		*id_r = nid;
out:
	store_msg_free(&m);
	store_folder_free(&f);
	return rc;
}

int
sync_local_move(struct store *st, int64_t id, int64_t target,
    struct err *err)
{
	return move_or_copy(st, id, target, false, NULL, err);
}

int
sync_local_copy(struct store *st, int64_t id, int64_t target, int64_t *id_r,
    struct err *err)
{
	return move_or_copy(st, id, target, true, id_r, err);
}

int
sync_local_delete(struct store *st, int64_t id, struct err *err)
{
	struct store_msg	*m;
	struct store_folder	*f;
	bool			 imap;
	int			 rc = -1;

	if (load(st, id, &m, &f, &imap, err) == -1)
		return -1;
	if (store_begin(st, err) == -1)
		goto out;
	if ((imap && m->uid != 0 && queue(st, f, STORE_OP_DELETE, id, m->uid,
	    0, 0, NULL, err) == -1) ||
	    store_message_delete(st, id, err) == -1) {
		store_rollback(st);
		goto out;
	}
	rc = store_commit(st, err);
out:
	store_msg_free(&m);
	store_folder_free(&f);
	return rc;
}

int
sync_local_append(struct store *st, int64_t folder_id, const void *raw,
    size_t len, unsigned flags, int64_t *id_r, struct err *err)
{
	struct store_folder	*f;
	struct store_account	*a;
	struct store_msg	 m;
	char			*text;
	size_t			 tlen;
	int64_t			 id;
	bool			 imap;
	int			 rc = -1;

	if (store_folder_get(st, folder_id, &f, err) == -1)
		return -1;
	if (store_account_get(st, f->account_id, &a, err) == -1) {
		store_folder_free(&f);
		return -1;
	}
	imap = a->kind == STORE_ACCOUNT_IMAP;
	store_account_free(&a);
	memset(&m, 0, sizeof m);
	m.folder_id = folder_id;
	m.internal_date = (int64_t)time(NULL);
	m.size = (int64_t)len;
	m.flags = flags & STORE_FLAGS_ALL;
	sync_msg_fill_headers(&m, raw, len);
	text = sync_search_text(raw, len, &tlen);
	if (store_begin(st, err) == -1)
		goto out;
	if (store_message_insert(st, &m, &id, err) == -1 ||
	    store_body_set(st, id, raw, len, text, tlen, err) == -1 ||
	    (imap && queue(st, f, STORE_OP_APPEND, id, 0, folder_id, 0,
	    NULL, err) == -1)) {
		store_rollback(st);
		goto out;
	}
	if ((rc = store_commit(st, err)) == 0 && id_r != NULL)
		*id_r = id;
out:
	free(text);
	m.headers = NULL;
	store_msg_clear(&m);
	store_folder_free(&f);
	return rc;
}
