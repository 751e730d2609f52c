/*
 * A whole IMAP account: replay, folder list with roles, every folder,
 * quota; and the smaller entry points built on a session (body on
 * demand, merged search, IDLE).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
#include "util/sanitize.h"
#include "util/xmalloc.h"

static enum store_role
role_of(const struct config_account *a, const struct imap_folder *f)
{
	if (strcasecmp(f->name, "INBOX") == 0)
		return STORE_ROLE_INBOX;
	if (a->sent_folder != NULL)
		if (strcmp(f->utf8, a->sent_folder) == 0)
			return STORE_ROLE_SENT;
	if (a->drafts_folder != NULL)
		if (strcmp(f->utf8, a->drafts_folder) == 0)
			return STORE_ROLE_DRAFTS;
	if (a->trash_folder != NULL)
		if (strcmp(f->utf8, a->trash_folder) == 0)
			return STORE_ROLE_TRASH;
	switch (f->role) {
	case IMAP_ROLE_SENT:
		return a->sent_folder == NULL ? STORE_ROLE_SENT :
		    STORE_ROLE_NONE;
	case IMAP_ROLE_DRAFTS:
		return a->drafts_folder == NULL ? STORE_ROLE_DRAFTS :
		    STORE_ROLE_NONE;
	case IMAP_ROLE_TRASH:
		return a->trash_folder == NULL ? STORE_ROLE_TRASH :
		    STORE_ROLE_NONE;
	case IMAP_ROLE_JUNK:
		return STORE_ROLE_JUNK;
	case IMAP_ROLE_ARCHIVE:
		return STORE_ROLE_ARCHIVE;
	default:
		return STORE_ROLE_NONE;
	}
}

/*
 * A folder gone from the server goes from the store too, unless
 * something of the user's still needs it: a message not yet uploaded
 * (no UID) or a queued operation naming it.  Its mail is on the server
 * side of the story, so nothing of the user's own is lost.
 */
static int
folder_in_use(struct sync_session *s, const struct store_folder *f,
    const struct store_op *ops, size_t nops, bool *busy_r, struct err *err)
{
	size_t		 i, n;
	uint32_t	*uids;

	*busy_r = false;
	for (i = 0; i < nops; i++) {
		if (ops[i].state == STORE_OP_QUEUED &&
		    (ops[i].folder_id == f->id ||
		    ops[i].target_folder_id == f->id))
			*busy_r = true;
	}
	if (*busy_r)
		return 0;
	if (store_folder_uids(s->store, f->id, 1, 0, &uids, &n, err) == -1)
		return -1;
	free(uids);
	/* total counts every message; those with a UID are n. */
	if (f->total > (int64_t)n)
		*busy_r = true;
	return 0;
}

/* The store's name for a listed folder: INBOX in any case is "INBOX". */
static const char *
store_name(const struct imap_folder *f)
{
	return strcasecmp(f->name, "INBOX") == 0 ? "INBOX" : f->utf8;
}

static bool
selectable(const struct imap_folder *f)
{
	return !(f->flags & (IMAP_LIST_NOSELECT | IMAP_LIST_NONEXISTENT)) &&
	    *f->utf8 != '\0';
}

static bool
listed(const struct imap_folder *sf, size_t nsf, const char *name)
{
	size_t	j;

	for (j = 0; j < nsf; j++) {
		if (selectable(&sf[j]) && strcmp(store_name(&sf[j]), name) == 0)
			return true;
	}
	return false;
}

/*
 * Stores written before names were kept exact hold a folder with control
 * characters or a bidi override under its sanitized name, which the
 * server does not know.  That row is this folder's: it gets the exact
 * name back, rather than a second row being made and the first dropped
 * as gone (with whatever of the user's it holds).  A sanitized name that
 * is itself listed belongs to that other folder and is left alone.
 */
static int
adopt_sanitized(struct sync_session *s, const struct imap_folder *sf,
    size_t nsf, const struct imap_folder *f, struct err *err)
{
	struct store_folder	*old = NULL;
	const char		*name = store_name(f);
	char			*clean;
	struct err		 e;
	int			 rc = 0;

	clean = sanitize_str(name, 0);
	if (strcmp(clean, name) == 0 || *clean == '\0' ||
	    listed(sf, nsf, clean))
		goto out;
	err_clear(&e);
	if (store_folder_find(s->store, s->account_id, name, &old, &e) == 0)
		goto out;	/* kept exact already */
	if (e.code == ERR_NOTFOUND) {
		err_clear(&e);
		if (store_folder_find(s->store, s->account_id, clean, &old,
		    &e) == -1 && e.code == ERR_NOTFOUND)
			goto out;
	}
	if (err_failed(&e)) {
		*err = e;
		rc = -1;
		goto out;
	}
	log_info("sync: %s: folder %s: was stored under a sanitized name, "
	    "now under its own", s->acct->id, old->display);
	rc = store_folder_rename(s->store, old->id, name, err);
out:
	store_folder_free(&old);
	free(clean);
	return rc;
}

/*
 * Store the listed folders under their exact names, with the wire form
 * when it is not the name encoded.  Two listed names can map to one (the
 * same name in modified UTF-7 and raw UTF-8): the first listed keeps it.
 */
static int
store_listed(struct sync_session *s, const struct imap_folder *sf,
    size_t nsf, struct err *err)
{
	int64_t		*ids, id;
	size_t		 i, j, n = 0;
	char		*shown;
	int		 rc = -1;

	ids = xreallocarray(NULL, nsf + 1, sizeof *ids);
	for (i = 0; i < nsf; i++) {
		if (!selectable(&sf[i]))
			continue;
		if (adopt_sanitized(s, sf, nsf, &sf[i], err) == -1 ||
		    store_folder_ensure(s->store, s->account_id,
		    store_name(&sf[i]), sf[i].delim, role_of(s->acct, &sf[i]),
		    &id, err) == -1)
			goto out;
		for (j = 0; j < n && ids[j] != id; j++)
			;
		if (j < n) {
			shown = sanitize_str(sf[i].utf8, 0);
			log_warn("sync: %s: two folders on the server are "
			    "called %s; only the first is synced",
			    s->acct->id, shown);
			free(shown);
			continue;
		}
		ids[n++] = id;
		if (store_folder_set_wire(s->store, id, sf[i].utf7 ? NULL :
		    sf[i].name, err) == -1)
			goto out;
		sess_listed_add(s, id, &sf[i].status);
	}
	rc = 0;
out:
	free(ids);
	return rc;
}

int
sync_folder_list(struct sync_session *s, struct sync_report *rep,
    struct err *err)
{
	struct imap_folder	*sf = NULL;
	struct store_folder	*lf = NULL;
	struct store_op		*ops = NULL;
	size_t			 nsf = 0, nlf = 0, nops = 0, i;
	unsigned		 mask = 0;
	bool			 busy;
	int			 rc = -1;

	if (sess_ready(s, err) == -1)
		return -1;
	/* One round trip tells which folders changed (RFC 5819). */
	if (s->condstore && imap_has_cap(s->conn, "LIST-STATUS"))
		mask = IMAP_STATUS_UIDVALIDITY | IMAP_STATUS_UIDNEXT |
		    IMAP_STATUS_HIGHESTMODSEQ;
	sess_listed_clear(s);
	s->nunchanged = 0;
	s->list_changed = false;
	if (imap_list_folders(s->conn, "*", mask, &sf, &nsf, err) == -1) {
		sess_check_conn(s);
		return -1;
	}
	if (store_begin(s->store, err) == -1)
		goto out;
	if (store_listed(s, sf, nsf, err) == -1)
		goto out;
	if (store_folder_list(s->store, s->account_id, &lf, &nlf, err) == -1 ||
	    store_op_list(s->store, s->account_id, &ops, &nops, err) == -1)
		goto out;
	for (i = 0; i < nlf; i++) {
		if (listed(sf, nsf, lf[i].name))
			continue;
		if (folder_in_use(s, &lf[i], ops, nops, &busy, err) == -1)
			goto out;
		if (busy) {
			sync_report_conflict(rep, _("%s: folder is gone from "
			    "the server but holds local changes; kept"),
			    lf[i].display);
			continue;
		}
		log_info("sync: %s: folder %s gone from the server",
		    s->acct->id, lf[i].display);
		s->list_changed = true;
		if (store_folder_delete(s->store, lf[i].id, STORE_DELETE_MAIL,
		    err) == -1)
			goto out;
	}
	if (store_commit(s->store, err) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		store_rollback(s->store);
	imap_folders_free(&sf, nsf);
	store_folder_list_free(&lf, nlf);
	store_op_list_free(&ops, nops);
	return rc;
}

int
sync_quota(struct sync_session *s, struct err *err)
{
	struct imap_quota_usage	u;

	if (sess_ready(s, err) == -1)
		return -1;
	if (!imap_has_cap(s->conn, "QUOTA"))
		return store_account_set_quota(s->store, s->account_id, -1, -1,
		    err);
	memset(&u, 0, sizeof u);
	if (imap_getquotaroot(s->conn, "INBOX", &u, err) == -1) {
		sess_check_conn(s);
		return -1;
	}
	if (!u.has_storage)
		return store_account_set_quota(s->store, s->account_id, -1, -1,
		    err);
	return store_account_set_quota(s->store, s->account_id,
	    (int64_t)(u.storage_used * 1024),
	    u.storage_limit > 0 ? (int64_t)(u.storage_limit * 1024) : -1,
	    err);
}

/*
 * Usage cannot have moved when no folder changed, none went away and no
 * local change was replayed; some servers count it afresh on every
 * GETQUOTAROOT (Dovecot's "count" backend took 0.4 s at 10,000 messages).
 */
static bool
quota_unchanged(const struct sync_session *s, const struct sync_report *rep,
    size_t nfolders)
{
	return s->nunchanged == nfolders && !s->list_changed &&
	    rep->ops_done == 0;
}

static bool
account_level(struct sync_session *s, const struct err *e)
{
	if (e->code == ERR_CANCELLED || e->code == ERR_STORE ||
	    e->code == ERR_LOCKED || e->code == ERR_DISKFULL ||
	    e->code == ERR_CORRUPT || e->code == ERR_IO)
		return true;
	return !sync_session_online(s);
}

/*
 * Is lf[i] the folder asked for?  Its exact name, or else (names with
 * control characters cannot be typed) the name shown for it.
 */
static bool
wanted(const struct store_folder *lf, size_t nlf, size_t i, const char *name)
{
	size_t	j;

	if (strcmp(lf[i].name, name) == 0)
		return true;
	for (j = 0; j < nlf; j++) {
		if (strcmp(lf[j].name, name) == 0)
			return false;
	}
	return strcmp(lf[i].display, name) == 0;
}

int
sync_account(struct sync_session *s, const struct sync_opts *o,
    struct sync_report *rep, struct err *err)
{
	struct store_folder	*lf = NULL;
	size_t			 nlf = 0, i;
	bool			 found = false;
	struct err		 e;
	int			 rc = -1;

	if (sess_ready(s, err) == -1)
		return -1;
	if (o != NULL && o->progress != NULL)
		o->progress(o->progress_arg, s->acct->id,
		    _("sending local changes"), 0, 0);
	if (sync_replay(s, rep, err) == -1)
		return -1;
	if (sync_folder_list(s, rep, err) == -1)
		return -1;
	if (store_folder_list(s->store, s->account_id, &lf, &nlf, err) == -1)
		return -1;
	for (i = 0; i < nlf; i++) {
		if (o != NULL && o->folder != NULL &&
		    !wanted(lf, nlf, i, o->folder))
			continue;
		found = true;
		if (sess_cancelled(o, err))
			goto out;
		if (o != NULL && o->progress != NULL)
			o->progress(o->progress_arg, s->acct->id,
			    lf[i].display, i, nlf);
		err_clear(&e);
		if (sync_folder(s, lf[i].id, o, rep, &e) == 0)
			continue;
		if (account_level(s, &e)) {
			*err = e;
			goto out;
		}
		rep->folders_failed++;
		sync_report_conflict(rep, "%s", e.msg);
	}
	if (o != NULL && o->folder != NULL && !found) {
		err_set(err, ERR_NOTFOUND, _("%s: no folder '%s'"),
		    s->acct->id, o->folder);
		goto out;
	}
	err_clear(&e);
	if (!quota_unchanged(s, rep, nlf) && sync_quota(s, &e) == -1)
		log_warn("sync: %s: quota: %s", s->acct->id, e.msg);
	rc = 0;
out:
	sess_listed_clear(s);
	store_folder_list_free(&lf, nlf);
	return rc;
}

/* ------------------------------------------------------------------ */

int
sync_fetch_body(struct sync_session *s, int64_t msg_id, struct err *err)
{
	struct store_msg	*m = NULL;
	struct store_folder	*f = NULL;
	uint64_t		 got = 0;
	size_t			 cap;
	int			 rc = -1;

	if (sess_ready(s, err) == -1)
		return -1;
	if (store_message_get(s->store, msg_id, &m, err) == -1)
		return -1;
	if (m->uid == 0) {
		err_set(err, ERR_NOTFOUND, _("message %lld is not on the server "
		    "yet"), (long long)msg_id);
		goto out;
	}
	if (store_folder_get(s->store, m->folder_id, &f, err) == -1)
		goto out;
	if (sess_select(s, f, err) == -1) {
		sess_check_conn(s);
		goto out;
	}
	cap = (size_t)m->size + 1024 * 1024;
	if (cap < IMAP_MAX_RESPONSE_DEFAULT)
		cap = IMAP_MAX_RESPONSE_DEFAULT;
	if (sync_fetch_bodies(s, f->id, &m->uid, 1, cap, &got, err) == -1) {
		sess_check_conn(s);
		goto out;
	}
	if (got == 0) {
		err_set(err, ERR_NOTFOUND, _("%s: message UID %lu is gone from "
		    "the server"), f->display, (unsigned long)m->uid);
		goto out;
	}
	rc = 0;
out:
	store_msg_free(&m);
	store_folder_free(&f);
	return rc;
}

/* ------------------------------------------------------------------ */

static void
add_id(int64_t **ids, size_t *n, size_t *cap, int64_t id)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if ((*ids)[i] == id)
			return;
	}
	if (*n == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		*ids = xreallocarray(*ids, *cap, sizeof **ids);
	}
	(*ids)[(*n)++] = id;
}

static int
server_search(struct sync_session *s, const struct store_query *q,
    int64_t **ids, size_t *n, size_t *cap, size_t limit, struct err *err)
{
	struct store_folder	*f = NULL;
	struct imap_search_key	 k[6];
	struct imap_seqset	 set;
	size_t			 nk = 0, i;
	uint32_t		 uid;
	int64_t			 id;
	struct err		 e;
	int			 rc = -1;

	if (q->text != NULL && *q->text != '\0')
		k[nk++] = (struct imap_search_key){ "TEXT", q->text };
	if (q->from != NULL && *q->from != '\0')
		k[nk++] = (struct imap_search_key){ "FROM", q->from };
	if (q->to != NULL && *q->to != '\0')
		k[nk++] = (struct imap_search_key){ "TO", q->to };
	if (q->subject != NULL && *q->subject != '\0')
		k[nk++] = (struct imap_search_key){ "SUBJECT", q->subject };
	if (q->unread)
		k[nk++] = (struct imap_search_key){ "UNSEEN", NULL };
	if (q->flagged)
		k[nk++] = (struct imap_search_key){ "FLAGGED", NULL };
	if (nk == 0)
		return 0;
	if (store_folder_get(s->store, q->folder_id, &f, err) == -1)
		return -1;
	memset(&set, 0, sizeof set);
	if (sess_select(s, f, err) == -1 ||
	    imap_uid_search(s->conn, k, nk, &set, err) == -1) {
		sess_check_conn(s);
		goto out;
	}
	imap_seqset_normalize(&set);
	/* Newest (highest UID) first, like the local answer. */
	for (i = set.n; i-- > 0 && *n < limit;) {
		for (uid = set.r[i].hi; uid >= set.r[i].lo && *n < limit;
		    uid--) {
			err_clear(&e);
			if (store_message_id_by_uid(s->store, f->id, uid, &id,
			    &e) == 0)
				add_id(ids, n, cap, id);
			if (uid == 0 || uid == set.r[i].lo)
				break;
		}
	}
	rc = 0;
out:
	imap_seqset_clear(&set);
	store_folder_free(&f);
	return rc;
}

int
sync_search(struct sync_session *s, const struct store_query *q,
    int64_t **ids_r, size_t *n_r, bool *server_r, struct err *err)
{
	int64_t		*local = NULL, *ids = NULL;
	size_t		 nlocal = 0, n = 0, cap = 0, i, limit;
	struct err	 e;

	*ids_r = NULL;
	*n_r = 0;
	*server_r = false;
	limit = q->limit > 0 ? q->limit : 1000;
	if (store_search(s->store, q, &local, &nlocal, err) == -1)
		return -1;
	for (i = 0; i < nlocal; i++)
		add_id(&ids, &n, &cap, local[i]);
	free(local);
	err_clear(&e);
	if (q->folder_id > 0 && n < limit && sess_ready(s, &e) == 0 &&
	    server_search(s, q, &ids, &n, &cap, limit, &e) == 0)
		*server_r = true;
	else if (err_failed(&e))
		log_info("sync: search on the server: %s", e.msg);
	*ids_r = ids;
	*n_r = n;
	return 0;
}

/* ------------------------------------------------------------------ */

static void
on_event(void *arg, const struct imap_response *r)
{
	struct sync_session	*s = arg;

	(void)r;
	s->changed = true;
}

int
sess_idle_begin(struct sync_session *s, int64_t folder_id, struct err *err)
{
	struct store_folder	*f;
	int			 rc;

	if (sess_ready(s, err) == -1)
		return -1;
	if (store_folder_get(s->store, folder_id, &f, err) == -1)
		return -1;
	rc = sess_select(s, f, err);
	store_folder_free(&f);
	if (rc == -1) {
		sess_check_conn(s);
		return -1;
	}
	s->changed = false;
	imap_set_event_cb(s->conn, on_event, s);
	if (imap_has_cap(s->conn, "IDLE") && imap_idle_start(s->conn,
	    err) == -1) {
		imap_set_event_cb(s->conn, NULL, NULL);
		sess_check_conn(s);
		return -1;
	}
	return 0;
}

int
sess_idle_wait(struct sync_session *s, int timeout_ms, struct err *err)
{
	struct timespec	ts;
	int		rc;

	if (!imap_has_cap(s->conn, "IDLE")) {
		/* Poll: a NOOP now and then shows new mail and flags. */
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		if (imap_noop(s->conn, err) == -1) {
			sess_check_conn(s);
			return -1;
		}
		return s->changed ? 1 : 0;
	}
	rc = imap_idle_wait(s->conn, timeout_ms, err);
	if (rc == -1)
		sess_check_conn(s);
	return rc == 1 || s->changed ? 1 : rc;
}

int
sess_idle_end(struct sync_session *s, struct err *err)
{
	int	rc = 0;

	if (s->conn != NULL && imap_has_cap(s->conn, "IDLE"))
		rc = imap_idle_done(s->conn, err);
	if (s->conn != NULL)
		imap_set_event_cb(s->conn, NULL, NULL);
	if (rc == -1)
		sess_check_conn(s);
	return rc;
}

int
sync_idle_once(struct sync_session *s, int64_t folder_id, int timeout_ms,
    struct sync_report *rep, struct err *err)
{
	struct err	e;
	int		rc;

	if (sess_idle_begin(s, folder_id, err) == -1)
		return -1;
	rc = sess_idle_wait(s, timeout_ms, err);
	err_clear(&e);
	if (sess_idle_end(s, rc == -1 ? &e : err) == -1 && rc != -1)
		return -1;
	if (rc == -1)
		return -1;
	if (rc == 1 && sync_folder(s, folder_id, NULL, rep, err) == -1)
		return -1;
	return rc;
}
