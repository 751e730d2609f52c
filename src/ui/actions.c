/*
 * What the keys do to messages: flags, delete, move and copy.  Each
 * change is written to the store at once (the screen follows) and queued
 * as a pending operation for the sync engine; the replay waits a few
 * seconds so the last delete or move can still be undone locally.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "store/store.h"
#include "ui/priv.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

struct ui_undo {
	bool	 move;		/* else a delete */
	size_t	 n;
	int64_t	*ids;
	int64_t	*from;		/* folder before a move */
	int64_t	*ops;		/* queued operations, 0: none */
};

void
ui_undo_free(struct ui_undo **up)
{
	struct ui_undo	*u = *up;

	if (u == NULL)
		return;
	free(u->ids);
	free(u->from);
	free(u->ops);
	free(u);
	*up = NULL;
}

/* Local accounts have no server: their changes need no replay. */
static bool
needs_replay(struct ui *ui, struct store_msg *m, int64_t *aid_r)
{
	struct store_folder	*f = NULL;
	struct store_account	*a = NULL;
	struct err		 err;
	bool			 r = false;

	err_clear(&err);
	*aid_r = 0;
	if (store_folder_get(ui->store, m->folder_id, &f, &err) == -1)
		return false;
	*aid_r = f->account_id;
	if (store_account_get(ui->store, f->account_id, &a, &err) == 0)
		r = a->kind != STORE_ACCOUNT_LOCAL;
	store_account_free(&a);
	store_folder_free(&f);
	return r;
}

static int64_t
queue_op(struct ui *ui, struct store_msg *m, enum store_op_type type,
    unsigned flags, int64_t target, struct err *err)
{
	struct store_op	op;
	int64_t		aid, id = 0;

	if (!needs_replay(ui, m, &aid))
		return 0;
	memset(&op, 0, sizeof op);
	op.account_id = aid;
	op.type = type;
	op.message_id = m->id;
	op.folder_id = m->folder_id;
	op.uid = m->uid;
	op.target_folder_id = target;
	op.flags = flags;
	if (store_op_enqueue(ui->store, &op, &id, err) == -1)
		return -1;
	return id;
}

int
ui_act_flags(struct ui *ui, const int64_t *ids, size_t n, unsigned set,
    unsigned clear)
{
	struct store_msg	*m;
	struct err		 err;
	size_t			 i;
	unsigned		 add, del;

	err_clear(&err);
	if (store_begin(ui->store, &err) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		m = NULL;
		if (store_message_get(ui->store, ids[i], &m, &err) == -1)
			goto fail_tx;
		add = set & ~m->flags;
		del = clear & m->flags;
		if (store_message_flags(ui->store, m->id, set, clear,
		    &err) == -1 ||
		    (add != 0 && queue_op(ui, m, STORE_OP_FLAG, add, 0,
		    &err) == -1) ||
		    (del != 0 && queue_op(ui, m, STORE_OP_UNFLAG, del, 0,
		    &err) == -1)) {
			store_msg_free(&m);
			goto fail_tx;
		}
		store_msg_free(&m);
	}
	if (store_commit(ui->store, &err) == -1)
		goto fail;
	ui_replay(ui, false);
	ui_dirty(ui, UI_DIRTY_ROWS | UI_DIRTY_FOLDERS);
	return 0;
fail_tx:
	store_rollback(ui->store);
fail:
	ui_error_err(ui, &err);
	return -1;
}

int
ui_act_toggle(struct ui *ui, const int64_t *ids, size_t n, unsigned flag)
{
	struct store_msg	*m = NULL;
	struct err		 err;
	bool			 on;

	/* Like mutt: the first message decides for all of them. */
	err_clear(&err);
	if (n == 0 || store_message_get(ui->store, ids[0], &m, &err) == -1)
		return -1;
	on = (m->flags & flag) != 0;
	store_msg_free(&m);
	return on ? ui_act_flags(ui, ids, n, 0, flag) :
	    ui_act_flags(ui, ids, n, flag, 0);
}

void
ui_act_seen(struct ui *ui, int64_t id)
{
	struct store_msg	*m = NULL;
	struct err		 err;

	err_clear(&err);
	if (store_message_get(ui->store, id, &m, &err) == -1)
		return;
	if (!(m->flags & STORE_FLAG_SEEN))
		ui_act_flags(ui, &id, 1, STORE_FLAG_SEEN, 0);
	store_msg_free(&m);
}

static struct ui_undo *
undo_new(size_t n, bool move)
{
	struct ui_undo	*u = xcalloc(1, sizeof *u);

	u->move = move;
	u->ids = xcalloc(n, sizeof *u->ids);
	u->from = xcalloc(n, sizeof *u->from);
	u->ops = xcalloc(n, sizeof *u->ops);
	return u;
}

int
ui_act_delete(struct ui *ui, const int64_t *ids, size_t n)
{
	struct store_msg	*m;
	struct ui_undo		*u = undo_new(n, false);
	struct err		 err;
	size_t			 i;
	int64_t			 op;

	err_clear(&err);
	if (store_begin(ui->store, &err) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		m = NULL;
		if (store_message_get(ui->store, ids[i], &m, &err) == -1)
			goto fail_tx;
		if (m->flags & STORE_FLAG_DELETED) {
			store_msg_free(&m);
			continue;
		}
		if (store_message_flags(ui->store, m->id, STORE_FLAG_DELETED,
		    0, &err) == -1 ||
		    (op = queue_op(ui, m, STORE_OP_DELETE, 0, 0, &err)) == -1) {
			store_msg_free(&m);
			goto fail_tx;
		}
		u->ids[u->n] = m->id;
		u->from[u->n] = m->folder_id;
		u->ops[u->n++] = op;
		store_msg_free(&m);
	}
	if (store_commit(ui->store, &err) == -1)
		goto fail;
	ui_undo_free(&ui->undo);
	ui->undo = u;
	ui_replay(ui, false);
	ui_dirty(ui, UI_DIRTY_ROWS | UI_DIRTY_FOLDERS);
	if (n > 1)
		ui_message(ui, _("%zu messages deleted (u: undo)."), u->n);
	return 0;
fail_tx:
	store_rollback(ui->store);
fail:
	ui_undo_free(&u);
	ui_error_err(ui, &err);
	return -1;
}

int
ui_act_move(struct ui *ui, const int64_t *ids, size_t n, int64_t target,
    bool copy)
{
	struct store_msg	*m;
	struct ui_undo		*u = undo_new(n, true);
	struct err		 err;
	size_t			 i;
	int64_t			 op, nid;

	err_clear(&err);
	if (store_begin(ui->store, &err) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		m = NULL;
		if (store_message_get(ui->store, ids[i], &m, &err) == -1)
			goto fail_tx;
		if (m->folder_id == target && !copy) {
			store_msg_free(&m);
			continue;
		}
		op = queue_op(ui, m, copy ? STORE_OP_COPY : STORE_OP_MOVE, 0,
		    target, &err);
		if (op == -1 || (copy ? store_message_copy(ui->store, m->id,
		    target, 0, &nid, &err) : store_message_move(ui->store,
		    m->id, target, 0, &err)) == -1) {
			store_msg_free(&m);
			goto fail_tx;
		}
		u->ids[u->n] = copy ? nid : m->id;
		u->from[u->n] = m->folder_id;
		u->ops[u->n++] = op;
		store_msg_free(&m);
	}
	if (store_commit(ui->store, &err) == -1)
		goto fail;
	ui_undo_free(&ui->undo);
	if (copy)
		ui_undo_free(&u);	/* a copy is removed by deleting it */
	else
		ui->undo = u;
	ui_replay(ui, false);
	ui_dirty(ui, UI_DIRTY_ROWS | UI_DIRTY_FOLDERS);
	return 0;
fail_tx:
	store_rollback(ui->store);
fail:
	ui_undo_free(&u);
	ui_error_err(ui, &err);
	return -1;
}

/* True when every queued operation of u is still in the queue. */
static bool
still_pending(struct ui *ui, const struct ui_undo *u)
{
	struct store_op	*ops = NULL;
	struct err	 err;
	size_t		 n = 0, i, j, found = 0, want = 0;

	err_clear(&err);
	for (i = 0; i < u->n; i++)
		want += u->ops[i] != 0;
	if (want == 0)
		return true;
	if (store_op_list(ui->store, 0, &ops, &n, &err) == -1)
		return false;
	for (i = 0; i < u->n; i++) {
		for (j = 0; j < n && u->ops[i] != 0; j++) {
			if (ops[j].id == u->ops[i] &&
			    ops[j].state == STORE_OP_QUEUED) {
				found++;
				break;
			}
		}
	}
	store_op_list_free(&ops, n);
	return found == want;
}

int
ui_act_undo(struct ui *ui)
{
	struct ui_undo	*u = ui->undo;
	struct err	 err;
	size_t		 i;

	err_clear(&err);
	if (u == NULL) {
		ui_message(ui, "%s", _("Nothing to undo."));
		return -1;
	}
	if (!still_pending(ui, u)) {
		ui_undo_free(&ui->undo);
		ui_error(ui, "%s", _("Too late to undo: the server already "
		    "has the change."));
		return -1;
	}
	if (store_begin(ui->store, &err) == -1)
		goto fail;
	for (i = 0; i < u->n; i++) {
		if ((u->ops[i] != 0 &&
		    store_op_done(ui->store, u->ops[i], &err) == -1) ||
		    (u->move ? store_message_move(ui->store, u->ids[i],
		    u->from[i], 0, &err) : store_message_flags(ui->store,
		    u->ids[i], 0, STORE_FLAG_DELETED, &err)) == -1) {
			store_rollback(ui->store);
			goto fail;
		}
	}
	if (store_commit(ui->store, &err) == -1)
		goto fail;
	ui_message(ui, u->move ? _("Move undone (%zu).") :
	    _("Delete undone (%zu)."), u->n);
	ui_undo_free(&ui->undo);
	ui->replay_at = 0;
	ui_dirty(ui, UI_DIRTY_ROWS | UI_DIRTY_FOLDERS);
	return 0;
fail:
	ui_error_err(ui, &err);
	return -1;
}

void
ui_act_save(struct ui *ui, bool copy)
{
	int64_t	*ids, target;
	size_t	 n;
	char	*answer = NULL;

	ids = ui_index_targets(ui, &n);
	if (n == 0) {
		free(ids);
		ui_message(ui, "%s", _("No messages."));
		return;
	}
	if (ui_prompt(ui, copy ? _("Copy to folder: ") : _("Move to folder: "),
	    ui->last_folder, ui_complete_folder, NULL, &answer) == -1 ||
	    *answer == '\0') {
		free(answer);
		free(ids);
		return;
	}
	if (ui_folder_lookup(ui, answer, &target) == -1)
		ui_error(ui, _("No folder '%s'."), answer);
	else if (ui_act_move(ui, ids, n, target, copy) == 0) {
		free(ui->last_folder);
		ui->last_folder = xstrdup(answer);
		ui_message(ui, copy ? _("%zu copied to %s.") :
		    _("%zu moved to %s (u: undo)."), n, answer);
	}
	free(answer);
	free(ids);
}
