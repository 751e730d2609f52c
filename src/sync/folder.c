/*
 * One IMAP folder into the store: UIDVALIDITY, changes to known messages
 * (CONDSTORE/QRESYNC, or a full flag fetch), expunges (VANISHED, or a
 * comparison of UIDs), new messages headers-first in batches, prefetch.
 *
 * The folder's stored uidnext is the engine's own mark: every UID below
 * it has been looked at.  It moves forward in the same transaction as
 * each batch of headers, so a run killed anywhere resumes after the last
 * batch that committed, and the (folder, uid) check skips anything seen
 * twice.  highestmodseq is saved only when the folder is fully in step.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "imap/imap.h"
#include "store/store.h"
#include "sync/sync-int.h"
#include "sync/sync.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Largest message prefetched; bigger ones come on demand. */
#define PREFETCH_MAX_SIZE	(16 * 1024 * 1024)
#define PREFETCH_BATCH		25

/*
 * For tests that run the real binary: SURAT_CRASH_AT=imap-batch[:K] kills
 * the process with SIGKILL in the middle of the K-th (default first)
 * header batch, after its rows are written and before they commit.
 */
static void
crash_point(unsigned batch)
{
	const char	*v = getenv("SURAT_CRASH_AT");
	unsigned	 k = 1;

	if (v == NULL || strncmp(v, "imap-batch", 10) != 0)
		return;
	if (v[10] == ':')
		k = (unsigned)atoi(v + 11);
	if (batch + 1 == k)
		raise(SIGKILL);
}

struct uidlist {
	uint32_t	*v;
	size_t		 n, cap;
};

static void
uidlist_add(struct uidlist *l, uint32_t uid)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 256 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = uid;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Ids of messages with queued operations: their flags are the user's. */
static int
busy_messages(struct sync_session *s, int64_t **ids_r, size_t *n_r,
    struct err *err)
{
	struct store_op	*ops;
	size_t		 n, i, k = 0;
	int64_t		*ids;

	if (store_op_list(s->store, s->account_id, &ops, &n, err) == -1)
		return -1;
	ids = xcalloc(n + 1, sizeof *ids);
	for (i = 0; i < n; i++) {
		if (ops[i].state == STORE_OP_QUEUED && ops[i].message_id != 0)
			ids[k++] = ops[i].message_id;
	}
	store_op_list_free(&ops, n);
	*ids_r = ids;
	*n_r = k;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Changes to messages we have                                          */

struct chg_ctx {
	struct sync_session	*s;
	int64_t			 folder_id;
	int64_t			*busy;
	size_t			 nbusy;
	bool			 count;		/* CHANGEDSINCE: all are news */
	struct uidlist		 seen;		/* full fetch: UIDs present */
	struct imap_seqset	 vanished;
	uint64_t		 updated;
};

static bool
is_busy(const struct chg_ctx *c, uint32_t uid)
{
	int64_t		id;
	struct err	e;
	size_t		i;

	if (c->nbusy == 0)
		return false;
	err_clear(&e);
	if (store_message_id_by_uid(c->s->store, c->folder_id, uid, &id,
	    &e) == -1)
		return false;
	for (i = 0; i < c->nbusy; i++) {
		if (c->busy[i] == id)
			return true;
	}
	return false;
}

static int
on_change(void *arg, const struct imap_fetch *fx, struct err *err)
{
	struct chg_ctx	*c = arg;
	unsigned	 flags;
	char		*kw;
	int		 rc = 0;

	if (!(fx->have & IMAP_FETCH_UID))
		return 0;
	if (!c->count)
		uidlist_add(&c->seen, fx->uid);
	if (!(fx->have & IMAP_FETCH_FLAGS) || is_busy(c, fx->uid))
		return 0;
	sync_flags_parse(fx, &flags, &kw);
	if (store_message_set_flags_uid(c->s->store, c->folder_id, fx->uid,
	    flags, kw, err) == -1) {
		if (err->code == ERR_NOTFOUND) {
			err_clear(err);
			rc = 0;
		} else
			rc = -1;
	} else if (c->count)
		c->updated++;
	free(kw);
	return rc;
}

static int
on_vanished(void *arg, const struct imap_seqset *set, struct err *err)
{
	struct chg_ctx	*c = arg;
	size_t		 i;

	(void)err;
	for (i = 0; i < set->n; i++)
		imap_seqset_add(&c->vanished, set->r[i].lo, set->r[i].hi);
	return 0;
}

/* Delete local messages below mark that are gone from the server. */
static int
apply_expunges(struct chg_ctx *c, uint32_t mark, bool have_list,
    struct sync_report *rep, struct err *err)
{
	uint32_t	*local;
	size_t		 n, i, j = 0;
	bool		 gone;

	if (mark <= 1)
		return 0;
	if (store_folder_uids(c->s->store, c->folder_id, 1, mark - 1, &local,
	    &n, err) == -1)
		return -1;
	if (have_list && c->seen.n > 1)
		qsort(c->seen.v, c->seen.n, sizeof *c->seen.v, cmp_u32);
	else
		imap_seqset_normalize(&c->vanished);
	for (i = 0; i < n; i++) {
		if (have_list) {
			while (j < c->seen.n && c->seen.v[j] < local[i])
				j++;
			gone = j == c->seen.n || c->seen.v[j] != local[i];
		} else
			gone = imap_seqset_contains(&c->vanished, local[i]);
		if (!gone)
			continue;
		if (store_message_delete_uid(c->s->store, c->folder_id,
		    local[i], err) == -1) {
			free(local);
			return -1;
		}
		rep->removed++;
	}
	free(local);
	return 0;
}

static int
on_search_uid(void *arg, const struct imap_fetch *fx, struct err *err)
{
	struct uidlist	*l = arg;

	(void)err;
	if (fx->have & IMAP_FETCH_UID)
		uidlist_add(l, fx->uid);
	return 0;
}

/* Every UID of the selected folder from lo up (UID FETCH lo:* (UID)). */
static int
server_uids(struct sync_session *s, uint32_t lo, struct uidlist *l,
    struct err *err)
{
	struct imap_fetch_req	req;
	char			set[32];
	size_t			i, k = 0;

	snprintf(set, sizeof set, "%lu:*", (unsigned long)lo);
	memset(&req, 0, sizeof req);
	req.uids = set;
	req.items = "UID";
	req.on_fetch = on_search_uid;
	req.arg = l;
	if (imap_uid_fetch(s->conn, &req, err) == -1)
		return -1;
	/* "lo:*" also names the last message when lo is past it. */
	for (i = 0; i < l->n; i++) {
		if (l->v[i] >= lo)
			l->v[k++] = l->v[i];
	}
	l->n = k;
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp_u32);
	return 0;
}

static int
sync_changes(struct sync_session *s, const struct store_folder *f,
    uint32_t mark, uint64_t modseq, struct sync_report *rep,
    struct err *err)
{
	struct imap_fetch_req	 req;
	struct chg_ctx		 c;
	char			 set[32];
	bool			 incremental, have_list;
	int			 rc = -1;

	if (mark <= 1)
		return 0;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.folder_id = f->id;
	if (busy_messages(s, &c.busy, &c.nbusy, err) == -1)
		return -1;
	incremental = s->condstore && modseq > 0;
	c.count = incremental;
	snprintf(set, sizeof set, "1:%lu", (unsigned long)(mark - 1));
	memset(&req, 0, sizeof req);
	req.uids = set;
	req.items = "UID FLAGS";
	req.changedsince = incremental ? modseq : 0;
	req.vanished = incremental && s->qresync;
	req.on_fetch = on_change;
	req.on_vanished = on_vanished;
	req.arg = &c;
	if (store_begin(s->store, err) == -1)
		goto out;
	if (imap_uid_fetch(s->conn, &req, err) == -1)
		goto out;
	have_list = !incremental;
	if (incremental && !s->qresync) {
		/* CONDSTORE without QRESYNC: compare the UID lists. */
		if (server_uids(s, 1, &c.seen, err) == -1)
			goto out;
		have_list = true;
	}
	if (apply_expunges(&c, mark, have_list, rep, err) == -1)
		goto out;
	if (store_commit(s->store, err) == -1)
		goto out;
	rep->updated += c.updated;
	rc = 0;
out:
	if (rc == -1)
		store_rollback(s->store);
	free(c.busy);
	free(c.seen.v);
	imap_seqset_clear(&c.vanished);
	return rc;
}

/* ------------------------------------------------------------------ */
/* UIDVALIDITY                                                         */

/*
 * The server renumbered the folder: forget every message that has a
 * UID there.  Messages without one (a move or an upload not yet
 * replayed) stay, and so do the pending operations: replay maps their
 * UIDs through Message-ID before this runs.
 */
static int
reset_folder(struct sync_session *s, const struct store_folder *f,
    uint32_t uidvalidity, struct sync_report *rep, struct err *err)
{
	uint32_t	*uids;
	size_t		 n, i;

	log_warn("sync: %s: %s: UIDVALIDITY %lu -> %lu, reloading",
	    s->acct->id, f->display, (unsigned long)f->uidvalidity,
	    (unsigned long)uidvalidity);
	if (store_begin(s->store, err) == -1)
		return -1;
	if (store_folder_uids(s->store, f->id, 1, 0, &uids, &n, err) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (store_message_delete_uid(s->store, f->id, uids[i],
		    err) == -1) {
			free(uids);
			goto fail;
		}
	}
	free(uids);
	if (store_folder_set_sync(s->store, f->id, uidvalidity, 0, 0,
	    f->last_sync, err) == -1)
		goto fail;
	if (store_commit(s->store, err) == -1)
		goto fail;
	rep->removed += n;
	return 0;
fail:
	store_rollback(s->store);
	return -1;
}

/* ------------------------------------------------------------------ */
/* New messages                                                        */

/* The size of the batch at UID index i: growing from the default to
 * SYNC_BATCH_MAX, so a first screen comes soon and a big folder takes few
 * commits; fixed when configured. */
static size_t
batch_at(size_t i, size_t n, size_t *batch, bool fixed)
{
	if (i > 0 && !fixed && *batch < SYNC_BATCH_MAX)
		*batch *= 2;
	return n - i < *batch ? n - i : *batch;
}

/*
 * Storing a batch of headers (one transaction) runs on a thread of its
 * own while the main thread reads the next batch from the server: on two
 * cores, reading and parsing (a quarter of a first sync's CPU) and the
 * server's work no longer wait for the store.  From store_job_start() to
 * store_job_wait() only the job touches the store.
 */
struct store_job {
	pthread_t			 thread;
	bool				 running;	/* started, not waited */
	bool				 threaded;	/* on its own thread */
	struct sync_session		*s;
	const struct store_folder	*f;
	const struct sync_opts		*o;
	uint32_t			 uidvalidity;
	uint64_t			 modseq;
	struct sync_msgs		 msgs;
	uint32_t			 uid_next;	/* the folder's mark after */
	size_t				 done;		/* UIDs looked at after */
	unsigned			 batch;		/* batches committed before */
	uint64_t			 added;
	int				 rc;
	struct err			 err;
};

static int
store_batch(struct store_job *j)
{
	struct store	*st = j->s->store;

	if (store_begin(st, &j->err) == -1)
		return -1;
	if (sync_msgs_store(j->s, &j->msgs, &j->added, &j->err) == -1 ||
	    store_folder_set_sync(st, j->f->id, j->uidvalidity, j->uid_next,
	    j->modseq, j->f->last_sync, &j->err) == -1)
		goto rollback;
	crash_point(j->batch);
	if (j->o != NULL && j->o->test_stop_after_batches > 0 &&
	    j->batch == j->o->test_stop_after_batches) {
		err_set(&j->err, ERR_CANCELLED, "%s",
		    _("stopped by the test hook"));
		goto rollback;
	}
	return store_commit(st, &j->err);
rollback:
	store_rollback(st);
	return -1;
}

static void *
store_job_main(void *arg)
{
	struct store_job	*j = arg;

	j->rc = store_batch(j);
	return NULL;
}

/* Stores msgs (taken over) as the next batch, on the job's thread. */
static void
store_job_start(struct store_job *j, struct sync_msgs *msgs,
    uint32_t uid_next, size_t done)
{
	j->msgs = *msgs;
	memset(msgs, 0, sizeof *msgs);
	j->uid_next = uid_next;
	j->done = done;
	j->added = 0;
	err_clear(&j->err);
	j->running = true;
	j->threaded = pthread_create(&j->thread, NULL, store_job_main,
	    j) == 0;
	if (!j->threaded)	/* no thread to be had: store it here */
		j->rc = store_batch(j);
}

/* Waits for the batch being stored; once it committed, the folder's mark,
 * the report and the progress move on. */
static int
store_job_wait(struct store_job *j, uint32_t *mark, struct sync_report *rep,
    size_t total, struct err *err)
{
	if (!j->running)
		return 0;
	if (j->threaded)
		pthread_join(j->thread, NULL);
	j->running = false;
	sync_msgs_free(&j->msgs);
	if (j->rc == -1) {
		*err = j->err;
		return -1;
	}
	j->batch++;
	*mark = j->uid_next;
	rep->added += j->added;
	if (j->o != NULL && j->o->progress != NULL)
		j->o->progress(j->o->progress_arg, j->s->acct->id,
		    _("fetching headers"), j->done, total);
	return 0;
}

static int
sync_new(struct sync_session *s, const struct store_folder *f,
    uint32_t uidvalidity, uint32_t *mark, uint64_t modseq,
    const struct sync_opts *o, struct sync_report *rep, struct err *err)
{
	struct sync_hdr_batch	*next = NULL;
	struct sync_msgs	 msgs;
	struct store_job	 job;
	struct uidlist		 l;
	struct err		 drain;
	size_t			 batch, i, k, nk;
	bool			 fixed;

	memset(&l, 0, sizeof l);
	memset(&msgs, 0, sizeof msgs);
	memset(&job, 0, sizeof job);
	job.s = s;
	job.f = f;
	job.o = o;
	job.uidvalidity = uidvalidity;
	job.modseq = modseq;
	fixed = o != NULL && o->batch > 0;
	batch = fixed ? o->batch : SYNC_BATCH_DEFAULT;
	if (server_uids(s, *mark > 0 ? *mark : 1, &l, err) == -1)
		goto fail;
	k = l.n > 0 ? batch_at(0, l.n, &batch, fixed) : 0;
	for (i = 0; i < l.n; i += k, k = nk) {
		if (sess_cancelled(o, err))
			goto fail;
		if ((next == NULL && sync_headers_start(s, f->id, l.v + i, k,
		    &next, err) == -1) ||
		    sync_headers_finish(s, &next, &msgs, err) == -1)
			goto fail;
		/* The next FETCH goes out before this batch is stored: the
		 * server prepares it meanwhile. */
		nk = i + k < l.n ? batch_at(i + k, l.n, &batch, fixed) : 0;
		if (nk > 0 && sync_headers_start(s, f->id, l.v + i + k, nk,
		    &next, err) == -1)
			goto fail;
		if (store_job_wait(&job, mark, rep, l.n, err) == -1 ||
		    sess_cancelled(o, err))
			goto fail;
		store_job_start(&job, &msgs, l.v[i + k - 1] + 1, i + k);
	}
	if (store_job_wait(&job, mark, rep, l.n, err) == -1)
		goto fail;
	free(l.v);
	return 0;
fail:
	/* A batch being stored is waited for (what committed counts); a
	 * FETCH already sent is read to its end, so the connection stays
	 * usable; what it brings is not stored.  Their errors come second
	 * to the one that got us here. */
	err_clear(&drain);
	(void)store_job_wait(&job, mark, rep, l.n, &drain);
	err_clear(&drain);
	(void)sync_headers_finish(s, &next, NULL, &drain);
	sync_msgs_free(&msgs);
	free(l.v);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Prefetch                                                            */

/* Adds the UID of message id unless its body is too big to prefetch. */
static int
want_body(struct sync_session *s, int64_t id, struct uidlist *want,
    struct err *err)
{
	struct store_msg	*m;

	if (store_message_get(s->store, id, &m, err) == -1)
		return -1;
	if (m->uid != 0 && m->size <= PREFETCH_MAX_SIZE)
		uidlist_add(want, m->uid);
	store_msg_free(&m);
	return 0;
}

/* The newest limit messages of the folder, those without a body. */
static int
want_recent(struct sync_session *s, const struct store_folder *f,
    size_t limit, struct uidlist *want, struct err *err)
{
	struct store_sort	 sort = { STORE_SORT_DATE, true, false };
	struct store_row	*rows = NULL;
	struct store_cursor	 cur;
	size_t			 nrows = 0, i, seen = 0;
	bool			 more = true, first = true;

	while (more && seen < limit) {
		if (store_index_page(s->store, f->id, &sort, first ? NULL :
		    &cur, STORE_PAGE_FORWARD, 200, &rows, &nrows, err) == -1)
			return -1;
		first = false;
		more = nrows == 200;
		for (i = 0; i < nrows && seen < limit; i++, seen++) {
			if (rows[i].body_state == STORE_BODY_FULL ||
			    rows[i].size > PREFETCH_MAX_SIZE)
				continue;
			if (want_body(s, rows[i].id, want, err) == -1) {
				store_rows_free(&rows, nrows);
				return -1;
			}
		}
		if (nrows > 0)
			cur = rows[nrows - 1].cursor;
		store_rows_free(&rows, nrows);
	}
	return 0;
}

/*
 * Every message dated since (0: any) without a body: the store finds them
 * in an index of such messages alone, so a folder whose bodies are all
 * here costs one short lookup, not a walk over its 100,000 rows.
 */
static int
want_since(struct sync_session *s, const struct store_folder *f,
    int64_t since, struct uidlist *want, struct err *err)
{
	int64_t	*ids;
	size_t	 n, i;
	int	 rc = 0;

	if (store_folder_missing_bodies(s->store, f->id, since, 0, &ids, &n,
	    err) == -1)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = want_body(s, ids[i], want, err);
	free(ids);
	return rc;
}

int
sync_prefetch(struct sync_session *s, const struct store_folder *f,
    const struct sync_opts *o, struct sync_report *rep, struct err *err)
{
	struct uidlist	 want;
	int64_t		 since = 0;
	size_t		 i;
	int		 rc = -1;

	if (s->acct->prefetch == CONFIG_PREFETCH_NONE ||
	    (o != NULL && o->no_prefetch))
		return 0;
	memset(&want, 0, sizeof want);
	if (s->acct->prefetch == CONFIG_PREFETCH_DAYS)
		since = (int64_t)time(NULL) -
		    (int64_t)s->acct->prefetch_days * 86400;
	if ((s->acct->prefetch == CONFIG_PREFETCH_RECENT ?
	    want_recent(s, f, s->acct->prefetch_recent, &want, err) :
	    want_since(s, f, since, &want, err)) == -1)
		goto out;
	if (want.n == 0) {
		rc = 0;
		goto out;
	}
	/* An unchanged folder was not selected by sync_folder(). */
	if (sess_select(s, f, err) == -1)
		goto out;
	if (want.n > 1)
		qsort(want.v, want.n, sizeof *want.v, cmp_u32);
	for (i = 0; i < want.n; i += PREFETCH_BATCH) {
		if (sess_cancelled(o, err))
			goto out;
		if (sync_fetch_bodies(s, f->id, want.v + i, want.n - i <
		    PREFETCH_BATCH ? want.n - i : PREFETCH_BATCH,
		    PREFETCH_MAX_SIZE + 1024 * 1024, &rep->bodies,
		    err) == -1)
			goto out;
		if (o != NULL && o->progress != NULL)
			o->progress(o->progress_arg, s->acct->id,
			    _("fetching bodies"), i, want.n);
	}
	rc = 0;
out:
	free(want.v);
	return rc;
}

/* Prefix the folder's name unless sess_select() put it there already. */
static void
name_folder(struct err *err, const char *name)
{
	size_t	n = strlen(name);

	if (strncmp(err->msg, name, n) == 0 && err->msg[n] == ':')
		return;
	err_prefix(err, "%s: ", name);
}

/*
 * LIST-STATUS said the folder is as the last sync left it: the same
 * UIDVALIDITY, no new UID, and no change at all since the stored
 * HIGHESTMODSEQ (flag changes and expunges raise it too, RFC 7162).
 */
static bool
folder_unchanged(struct sync_session *s, const struct store_folder *f)
{
	struct sync_listed	l;

	if (!sess_listed_take(s, f->id, &l))
		return false;
	if (f->uidvalidity == 0 || l.uidvalidity != f->uidvalidity ||
	    f->highestmodseq == 0 || l.highestmodseq != f->highestmodseq ||
	    l.uidnext > f->uidnext)
		return false;
	s->nunchanged++;
	return true;
}

int
sync_folder(struct sync_session *s, int64_t folder_id,
    const struct sync_opts *o, struct sync_report *rep, struct err *err)
{
	struct store_folder		*f = NULL;
	const struct imap_mailbox	*mb;
	uint32_t			 mark, sel_uidnext, sel_uidvalidity;
	uint64_t			 modseq, sel_modseq;
	int				 rc = -1;

	if (sess_ready(s, err) == -1)
		return -1;
	if (store_folder_get(s->store, folder_id, &f, err) == -1)
		return -1;
	if (folder_unchanged(s, f)) {
		rc = store_folder_set_sync(s->store, f->id, f->uidvalidity,
		    f->uidnext, f->highestmodseq, 0, err);
		goto prefetch;
	}
	s->selected = 0;	/* SELECT again: fresh counters */
	if (sess_select(s, f, err) == -1)
		goto out;
	/* What SELECT said: later changes are for the next run. */
	mb = imap_mailbox(s->conn);
	sel_uidnext = mb->uidnext;
	sel_uidvalidity = mb->uidvalidity;
	sel_modseq = s->condstore && !mb->nomodseq ? mb->highestmodseq : 0;
	if (f->uidvalidity != 0 && f->uidvalidity != mb->uidvalidity) {
		if (reset_folder(s, f, mb->uidvalidity, rep, err) == -1)
			goto out;
		store_folder_free(&f);
		if (store_folder_get(s->store, folder_id, &f, err) == -1)
			goto out;
	}
	mark = f->uidvalidity == mb->uidvalidity ? f->uidnext : 0;
	modseq = f->uidvalidity == mb->uidvalidity ? f->highestmodseq : 0;
	if (sel_modseq != 0 && sel_modseq == modseq && sel_uidnext <= mark) {
		/* Nothing happened since last time. */
		rc = store_folder_set_sync(s->store, f->id, mb->uidvalidity,
		    mark, modseq, 0, err);
		goto prefetch;
	}
	if (f->uidvalidity == 0 && store_folder_set_sync(s->store, f->id,
	    mb->uidvalidity, 0, 0, f->last_sync, err) == -1)
		goto out;
	if (sync_changes(s, f, mark, modseq, rep, err) == -1)
		goto out;
	if (sess_cancelled(o, err))
		goto out;
	if (sync_new(s, f, sel_uidvalidity, &mark, modseq, o, rep, err) == -1)
		goto out;
	if (sel_uidnext > mark)
		mark = sel_uidnext;
	if (store_folder_set_sync(s->store, f->id, sel_uidvalidity, mark,
	    sel_modseq, 0, err) == -1)
		goto out;
	rc = 0;
prefetch:
	if (rc == 0 && sync_prefetch(s, f, o, rep, err) == -1)
		rc = -1;
out:
	if (rc == -1) {
		if (f != NULL)
			name_folder(err, f->display);
		sess_check_conn(s);
	} else
		rep->folders++;
	store_folder_free(&f);
	return rc;
}
