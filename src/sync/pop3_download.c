/*
 * POP3 download: new messages (by UIDL) into the account's Inbox, each
 * committed with its UIDL before anything is deleted on the server, then
 * the leave-on-server policy.  For POP3 users the store holds the only
 * copy of their mail, so every step is ordered for a crash at any point.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "pop3/pop3.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "sync/delivery_int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Header bytes kept in memory for the summary; the rest is body. */
#define HEADER_CAP	(256 * 1024)
#define SPOOL_CHUNK	(64 * 1024)
/* A message up to this size is spooled in memory; a bigger one in a file,
 * so a 50 MB message is never held in RAM (nor twice). */
#define SPOOL_MEM_MAX	(1024 * 1024)
/*
 * Downloaded messages are committed in groups: a commit per message cost
 * more CPU than the download itself.  A crash loses at most the group in
 * progress, which the next run fetches again (its UIDLs were not recorded
 * either); anything deleted on the server was committed durably first.
 */
#define GROUP_MESSAGES	100
#define GROUP_BYTES	(8 * 1024 * 1024)
/*
 * RETRs out at once with PIPELINING: the server reads the next message
 * while this one is stored, instead of every message costing a round
 * trip and the server's time on top of ours.
 */
#define PIPE_DEPTH	16

struct dl {
	struct store			*store;
	const struct config_account	*acc;
	struct pop3_conn		*conn;
	int64_t				 account_id;
	int64_t				 inbox_id;
	int64_t				 now;
	sync_progress_fn		*progress;
	void				*progress_arg;
	struct sync_pop3_stats		*stats;
	size_t				 group_msgs;	/* in the open group */
	uint64_t			 group_bytes;
};

/*
 * The spool: the message in memory (mem) until it outgrows SPOOL_MEM_MAX,
 * then in a temporary file; its header block also in hdr.
 */
struct spool {
	struct buf	 mem;
	FILE		*f;
	struct buf	 hdr;
	size_t		 hdr_end;	/* 0: not found yet */
	uint64_t	 size;
};

static int
spool_to_file(struct spool *sp, struct err *err)
{
	if ((sp->f = tmpfile()) == NULL) {
		err_set(err, ERR_IO, _("cannot create a download spool file"));
		return -1;
	}
	if (sp->mem.len > 0 &&
	    fwrite(sp->mem.data, 1, sp->mem.len, sp->f) != sp->mem.len) {
		err_set(err, ERR_IO, _("cannot write the download spool"));
		return -1;
	}
	buf_free(&sp->mem);
	return 0;
}

static int
spool_sink(void *arg, const char *p, size_t len, struct err *err)
{
	struct spool	*sp = arg;
	size_t		 room, seen;

	if (sp->f == NULL && sp->mem.len + len > SPOOL_MEM_MAX &&
	    spool_to_file(sp, err) == -1)
		return -1;
	if (sp->f == NULL)
		buf_add(&sp->mem, p, len);
	else if (fwrite(p, 1, len, sp->f) != len) {
		err_set(err, ERR_IO, _("cannot write the download spool"));
		return -1;
	}
	sp->size += len;
	if (sp->hdr_end == 0 && sp->hdr.len < HEADER_CAP) {
		seen = sp->hdr.len;
		room = HEADER_CAP - sp->hdr.len;
		buf_add(&sp->hdr, p, len < room ? len : room);
		sp->hdr_end = delivery_header_end_from(sp->hdr.data,
		    sp->hdr.len, seen);
	}
	return 0;
}

/* The spooled message into the body writer, from memory or the file. */
static int
spool_copy(struct spool *sp, struct store_body_writer *w, struct err *err)
{
	char	*chunk;
	size_t	 n;
	int	 rc = 0;

	if (sp->f == NULL)
		return sp->mem.len == 0 ? 0 :
		    store_body_write(w, sp->mem.data, sp->mem.len, err);
	if (fflush(sp->f) != 0) {
		err_set(err, ERR_IO, _("cannot write the download spool"));
		return -1;
	}
	chunk = xmalloc(SPOOL_CHUNK);
	rewind(sp->f);
	while (rc == 0 && (n = fread(chunk, 1, SPOOL_CHUNK, sp->f)) > 0)
		rc = store_body_write(w, chunk, n, err);
	if (rc == 0 && ferror(sp->f)) {
		err_set(err, ERR_IO, _("cannot read the download spool"));
		rc = -1;
	}
	free(chunk);
	return rc;
}

static enum pop3_auth
pop3_auth_of(enum config_auth a)
{
	switch (a) {
	case CONFIG_AUTH_PLAIN:
		return POP3_AUTH_PLAIN;
	case CONFIG_AUTH_LOGIN:
		return POP3_AUTH_USER;
	default:
		return POP3_AUTH_AUTO;
	}
}

/* Copy the spool into a new message of the Inbox, with its UIDL. */
static int
store_spooled(struct dl *d, struct spool *sp, const char *uidl,
    struct err *err)
{
	struct store_msg		 m;
	struct store_body_writer	*w = NULL;
	size_t				 hlen;
	int64_t				 id;
	int				 rc = -1;
	bool				 light;

	hlen = sp->hdr_end != 0 ? sp->hdr_end : sp->hdr.len;
	delivery_msg_from_headers(&m, sp->hdr.data != NULL ? sp->hdr.data :
	    "", hlen, (int64_t)sp->size, d->now);
	m.folder_id = d->inbox_id;
	m.uidl = uidl != NULL ? xstrdup(uidl) : NULL;
	/* In a group, no level of its own (see store_begin_light()). */
	if (store_begin_light(d->store, &light, err) == -1)
		goto out;
	if (store_message_insert(d->store, &m, &id, err) == 0 &&
	    store_body_write_begin(d->store, id, &w, err) == 0) {
		if (spool_copy(sp, w, err) == -1)
			store_body_write_abort(&w);
		else if (store_body_write_commit(&w, NULL, 0, err) == 0 &&
		    (uidl == NULL || store_pop3_record(d->store,
		    d->account_id, uidl, id, err) == 0))
			rc = 0;
	}
	if (store_end_light(d->store, light, rc, err) == -1) {
		/*
		 * In a group the message may be half stored (say, without
		 * its UIDL): the group's commit fails and the whole group
		 * goes, to be fetched again next time.  Nothing of it was
		 * deleted on the server.
		 */
		d->group_msgs = 0;
		d->group_bytes = 0;
		rc = -1;
	}
out:
	store_msg_clear(&m);
	return rc;
}

/* Read the reply of the RETR sent for message num into the store. */
static int
download_one(struct dl *d, uint32_t num, const char *uidl, struct err *err)
{
	struct spool	sp;
	int		rc = -1;

	memset(&sp, 0, sizeof sp);
	if (pop3_retr_read(d->conn, num, spool_sink, &sp, err) == 0 &&
	    store_spooled(d, &sp, uidl, err) == 0) {
		d->stats->downloaded++;
		d->stats->bytes += sp.size;
		d->group_msgs++;
		d->group_bytes += sp.size;
		rc = 0;
	}
	if (sp.f != NULL)
		fclose(sp.f);
	buf_free(&sp.mem);
	buf_free(&sp.hdr);
	return rc;
}

/* Commit the open group of downloads once it is big enough (or always). */
static int
group_end(struct dl *d, bool always, struct err *err)
{
	if (!always && d->group_msgs < GROUP_MESSAGES &&
	    d->group_bytes < GROUP_BYTES)
		return 0;
	d->group_msgs = 0;
	d->group_bytes = 0;
	if (store_commit(d->store, err) == -1)
		return -1;
	return always ? 0 : store_begin(d->store, err);
}

static int
cmp_uidl(const void *a, const void *b)
{
	return strcmp(((const struct store_uidl *)a)->uidl,
	    ((const struct store_uidl *)b)->uidl);
}

/* Should the server's copy of this downloaded message go now? */
static bool
policy_deletes(const struct dl *d, const struct store_uidl *rec)
{
	switch (d->acc->pop3_policy) {
	case CONFIG_POP3_DELETE:
		return true;
	case CONFIG_POP3_KEEP_DAYS:
		return rec->first_seen + (int64_t)d->acc->pop3_keep_days *
		    86400 <= d->now;
	case CONFIG_POP3_KEEP_UNTIL_DELETED:
		return rec->message_id == 0;
	default:
		return false;
	}
}

/*
 * Download what is new, then DELE what the policy lets go, QUIT, and
 * forget the UIDLs that are no longer on the server.
 */
static int
sync_with_uidl(struct dl *d, struct pop3_uidl *u, size_t n, struct err *err)
{
	struct store_uidl	*recs = NULL, key, fresh, *rec;
	const char		**keep = NULL;
	bool			*gone = NULL, known;
	size_t			*todo = NULL;
	size_t			 i, nrecs = 0, nnew = 0, done = 0, nkeep = 0;
	size_t			 ndele = 0, sent = 0, depth;
	struct err		 e2;
	int			 rc = -1;

	gone = xcalloc(n + 1, sizeof *gone);
	todo = xcalloc(n + 1, sizeof *todo);
	/*
	 * One query for what is known, not one per message on the server;
	 * the policy below reads the same list (what this run downloads is
	 * known to be here, just now).
	 */
	if (store_pop3_list(d->store, d->account_id, &recs, &nrecs, err) == -1)
		goto out;
	if (nrecs > 0)
		qsort(recs, nrecs, sizeof *recs, cmp_uidl);
	for (i = 0; i < n; i++) {
		key.uidl = u[i].uid;
		known = nrecs > 0 && bsearch(&key, recs, nrecs, sizeof *recs,
		    cmp_uidl) != NULL;
		if (!known)
			todo[nnew++] = i;
	}
	if (nnew > 0 && store_begin(d->store, err) == -1)
		goto out;
	depth = pop3_can_pipeline(d->conn) ? PIPE_DEPTH : 1;
	for (done = 0; done < nnew; done++) {
		i = todo[done];
		while (sent < nnew && sent < done + depth)
			if (pop3_retr_send(d->conn, u[todo[sent++]].num,
			    err) == -1)
				goto fail;
		if (d->progress != NULL)
			d->progress(d->progress_arg, d->acc->id,
			    _("downloading"), done, nnew);
		if (download_one(d, u[i].num, u[i].uid, err) == -1 ||
		    delivery_crash_point("pop3-stored", err) == -1 ||
		    group_end(d, false, err) == -1)
			goto fail;
	}
	if (nnew > 0 && group_end(d, true, err) == -1)
		goto out;
	if (d->progress != NULL && nnew > 0)
		d->progress(d->progress_arg, d->acc->id, _("downloading"),
		    done, nnew);
	/* Every message was known or is stored now (else we left above). */
	memset(&fresh, 0, sizeof fresh);
	fresh.first_seen = (int64_t)time(NULL);	/* as store_pop3_record */
	fresh.message_id = 1;			/* the local copy is here */
	for (i = 0; i < n; i++) {
		key.uidl = u[i].uid;
		rec = nrecs > 0 ? bsearch(&key, recs, nrecs, sizeof *recs,
		    cmp_uidl) : NULL;
		gone[i] = d->acc->pop3_policy != CONFIG_POP3_KEEP &&
		    policy_deletes(d, rec != NULL ? rec : &fresh);
	}
	for (i = 0; i < n; i++)
		if (gone[i])
			ndele++;
	if (ndele > 0 && store_commit_durable(d->store, err) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (!gone[i])
			continue;
		if (pop3_dele(d->conn, u[i].num, err) == -1)
			goto out;
		if (delivery_crash_point("pop3-dele", err) == -1)
			goto out;
	}
	if (pop3_quit(d->conn, err) == -1)
		goto out;
	if (delivery_crash_point("pop3-quit", err) == -1)
		goto out;
	d->stats->deleted = ndele;
	keep = xcalloc(n + 1, sizeof *keep);
	for (i = 0; i < n; i++)
		if (!gone[i])
			keep[nkeep++] = u[i].uid;
	if (store_pop3_forget_missing(d->store, d->account_id, keep, nkeep,
	    err) == -1)
		goto out;
	rc = 0;
	goto out;
fail:
	/* Keep what did arrive; this error is reported.  RETRs still out
	 * leave the connection out of step: it is only closed. */
	if (store_in_transaction(d->store) > 0 &&
	    group_end(d, true, &e2) == -1)
		store_rollback(d->store);
out:
	free(keep);
	free(todo);
	free(gone);
	store_pop3_list_free(&recs, nrecs);
	return rc;
}

/*
 * A server without UIDL: nothing can be recognised next time, so only
 * "delete" can work, one message at a time (stored, then DELE).
 */
static int
sync_without_uidl(struct dl *d, struct err *err)
{
	uint32_t	count, i;
	uint64_t	size;

	d->stats->no_uidl = true;
	if (d->acc->pop3_policy != CONFIG_POP3_DELETE) {
		snprintf(d->stats->warning, sizeof d->stats->warning, "%s",
		    _("the POP3 server does not support UIDL, so surat cannot "
		    "tell which messages it already has: nothing was "
		    "downloaded (set pop3_policy = delete to download and "
		    "remove them from the server)"));
		log_warn("%s: %s", d->acc->id, d->stats->warning);
		return pop3_quit(d->conn, err);
	}
	snprintf(d->stats->warning, sizeof d->stats->warning, "%s",
	    _("the POP3 server does not support UIDL: messages are "
	    "deleted from it once downloaded"));
	log_warn("%s: %s", d->acc->id, d->stats->warning);
	if (pop3_stat(d->conn, &count, &size, err) == -1)
		return -1;
	d->stats->on_server = count;
	for (i = 1; i <= count; i++) {
		if (d->progress != NULL)
			d->progress(d->progress_arg, d->acc->id,
			    _("downloading"), i - 1, count);
		if (pop3_retr_send(d->conn, i, err) == -1 ||
		    download_one(d, i, NULL, err) == -1 ||
		    delivery_crash_point("pop3-stored", err) == -1 ||
		    store_commit_durable(d->store, err) == -1 ||
		    pop3_dele(d->conn, i, err) == -1 ||
		    delivery_crash_point("pop3-dele", err) == -1)
			return -1;
	}
	if (pop3_quit(d->conn, err) == -1 ||
	    delivery_crash_point("pop3-quit", err) == -1)
		return -1;
	d->stats->deleted = count;
	return 0;
}

int
sync_pop3_download(struct store *store, const struct config_account *acc,
    const char *password, sync_progress_fn *progress, void *progress_arg,
    struct sync_pop3_stats *stats_r, struct err *err)
{
	struct sync_pop3_stats	 stats;
	struct net_endpoint	 ep;
	struct pop3_uidl	*u = NULL;
	struct dl		 d;
	size_t			 n = 0;
	int			 rc = -1;

	memset(&stats, 0, sizeof stats);
	memset(&d, 0, sizeof d);
	d.store = store;
	d.acc = acc;
	d.progress = progress;
	d.progress_arg = progress_arg;
	d.stats = &stats;
	d.now = sync_delivery_now();
	if (acc->incoming.protocol != CONFIG_PROTO_POP3 ||
	    acc->incoming.host == NULL) {
		err_set(err, ERR_USAGE, _("%s: not a POP3 account"), acc->id);
		goto out;
	}
	if (store_account_ensure(store, acc->id, STORE_ACCOUNT_POP3,
	    &d.account_id, err) == -1 ||
	    store_folder_ensure(store, d.account_id, "INBOX", 0,
	    STORE_ROLE_INBOX, &d.inbox_id, err) == -1)
		goto out;
	ep = config_account_endpoint(acc, false);
	if (progress != NULL)
		progress(progress_arg, acc->id, _("connecting"), 0, 0);
	if ((d.conn = pop3_connect(&ep, acc->incoming.security, err)) == NULL)
		goto scope;
	if (pop3_login(d.conn, pop3_auth_of(acc->auth), acc->user, password,
	    err) == -1)
		goto scope;
	if (pop3_has_uidl(d.conn) && pop3_uidl(d.conn, &u, &n, err) == 0) {
		stats.on_server = n;
		rc = sync_with_uidl(&d, u, n, err);
	} else if (!pop3_has_uidl(d.conn)) {
		rc = sync_without_uidl(&d, err);
	}
	goto out;
scope:
	err->scope = ERR_SCOPE_ACCOUNT;
out:
	pop3_uidl_free(&u, n);
	pop3_close(&d.conn);
	if (stats_r != NULL)
		*stats_r = stats;
	return rc;
}
