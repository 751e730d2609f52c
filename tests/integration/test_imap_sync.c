/*
 * The IMAP sync engine against the harness's real Dovecot: initial sync,
 * a second run that changes nothing, server-side flag changes, expunges
 * and new mail, local changes replayed (flag, move, delete, append),
 * UIDVALIDITY change with a pending change, a run stopped mid-batch and
 * resumed, bodies on demand, quota, IDLE, and the server going away.
 * The tests run in order and share one store.
 */
#include "config.h"

#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "imap/imap.h"
#include "store/store.h"
#include "sync/sync.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "test_pop3smtp_util.h"

static uint16_t			 imaps_port;
static char			 datadir[] = "/tmp/surat-isync-XXXXXX";
static struct store		*st;
static struct config_account	 tacct;
static struct sync_session	*sess;
static int64_t			 account_id;

/* ------------------------------------------------------------------ */
/* A second client: the "other device" that changes the server.        */

static struct imap_conn *
raw_connect(void)
{
	struct imap_params	 p;
	struct imap_auth	 a;
	struct imap_conn	*c;
	struct err		 e;

	memset(&p, 0, sizeof p);
	p.ep = it_endpoint(imaps_port);
	p.security = NET_SECURITY_TLS;
	err_clear(&e);
	if ((c = imap_connect(&p, &e)) == NULL)
		fail_msg("connect: %s", e.msg);
	memset(&a, 0, sizeof a);
	a.user = it.user;
	a.secret = it.pass;
	if (imap_login(c, &a, &e) == -1)
		fail_msg("login: %s", e.msg);
	return c;
}

static void
msg_text(struct buf *b, const char *id, const char *subject)
{
	buf_reset(b);
	buf_addf(b, "From: Sender <sender@example.test>\r\n"
	    "To: budi@example.test\r\n"
	    "Subject: %s\r\n"
	    "Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
	    "Message-ID: <%s@sync.test>\r\n"
	    "\r\n"
	    "Body of %s, with the word kumquat%s.\r\n", subject, id, id, id);
}

static uint32_t
raw_append(struct imap_conn *c, const char *folder, const char *id,
    const char *flags)
{
	struct buf	b = BUF_INIT;
	struct err	e;
	uint32_t	uv = 0, uid = 0;

	msg_text(&b, id, id);
	err_clear(&e);
	if (imap_append(c, folder, flags, 0, b.data, b.len, &uv, &uid,
	    &e) == -1)
		fail_msg("append: %s", e.msg);
	buf_free(&b);
	return uid;
}

struct flags_ctx {
	uint32_t	uid;
	char		flags[256];
	unsigned	count;
};

static int
on_flags(void *arg, const struct imap_fetch *fx, struct err *e)
{
	struct flags_ctx	*c = arg;
	size_t			 i;

	(void)e;
	c->count++;
	c->uid = fx->uid;
	c->flags[0] = '\0';
	for (i = 0; i < fx->nflags; i++) {
		strncat(c->flags, fx->flags[i], sizeof c->flags -
		    strlen(c->flags) - 2);
		strcat(c->flags, " ");
	}
	return 0;
}

/* Flags of a message on the server found by Message-ID; count 0: none. */
static struct flags_ctx
raw_find(struct imap_conn *c, const char *folder, const char *id)
{
	struct imap_search_key	 k[2];
	struct imap_seqset	 set;
	struct imap_fetch_req	 req;
	struct flags_ctx	 fc;
	struct buf		 v = BUF_INIT, s = BUF_INIT;
	struct err		 e;

	memset(&fc, 0, sizeof fc);
	memset(&set, 0, sizeof set);
	err_clear(&e);
	if (imap_select(c, folder, false, NULL, &e) == -1)
		fail_msg("select %s: %s", folder, e.msg);
	buf_addf(&v, "kumquat%s.", id);
	k[0].key = "BODY";
	k[0].value = buf_cstr(&v);
	if (imap_uid_search(c, k, 1, &set, &e) == -1)
		fail_msg("search: %s", e.msg);
	if (set.n > 0) {
		imap_seqset_format(&set, &s);
		memset(&req, 0, sizeof req);
		req.uids = buf_cstr(&s);
		req.items = "UID FLAGS";
		req.on_fetch = on_flags;
		req.arg = &fc;
		if (imap_uid_fetch(c, &req, &e) == -1)
			fail_msg("fetch: %s", e.msg);
	}
	imap_seqset_clear(&set);
	buf_free(&v);
	buf_free(&s);
	return fc;
}

/* ------------------------------------------------------------------ */

static int64_t
folder_id(const char *name)
{
	struct store_folder	*f;
	struct err		 e;
	int64_t			 id;

	err_clear(&e);
	if (store_folder_find(st, account_id, name, &f, &e) == -1)
		fail_msg("folder %s: %s", name, e.msg);
	id = f->id;
	store_folder_free(&f);
	return id;
}

static int64_t
folder_total(const char *name)
{
	struct store_folder	*f;
	struct err		 e;
	int64_t			 n;

	err_clear(&e);
	if (store_folder_find(st, account_id, name, &f, &e) == -1)
		fail_msg("folder %s: %s", name, e.msg);
	n = f->total;
	store_folder_free(&f);
	return n;
}

/* The store's message with this Message-ID in a folder, or NULL. */
static struct store_msg *
find_local(const char *folder, const char *id)
{
	struct store_row	*rows;
	struct store_sort	 sort = { STORE_SORT_DATE, false, false };
	struct store_msg	*m, *hit = NULL;
	struct err		 e;
	char			 want[128];
	size_t			 n, i;

	snprintf(want, sizeof want, "%s@sync.test", id);
	err_clear(&e);
	if (store_index_page(st, folder_id(folder), &sort, NULL,
	    STORE_PAGE_FORWARD, 1000, &rows, &n, &e) == -1)
		fail_msg("page: %s", e.msg);
	for (i = 0; i < n; i++) {
		if (store_message_get(st, rows[i].id, &m, &e) == -1)
			fail_msg("get: %s", e.msg);
		if (m->message_id != NULL && strcmp(m->message_id, want) == 0 &&
		    hit == NULL)
			hit = m;
		else
			store_msg_free(&m);
	}
	store_rows_free(&rows, n);
	return hit;
}

static void
run_sync(struct sync_report *rep, size_t batch, unsigned stop_after,
    int want_rc)
{
	struct sync_opts	o;
	struct err		e;
	int			rc;

	memset(&o, 0, sizeof o);
	o.batch = batch;
	o.test_stop_after_batches = stop_after;
	memset(rep, 0, sizeof *rep);
	err_clear(&e);
	rc = sync_account(sess, &o, rep, &e);
	if (rc != want_rc)
		fail_msg("sync returned %d: %s", rc, e.msg);
	if (account_id == 0)
		account_id = sync_session_account_id(sess);
}

static size_t
queued_ops(void)
{
	struct err	e;
	size_t		n;

	err_clear(&e);
	assert_int_equal(store_op_count(st, 0, &n, &e), 0);
	return n;
}

/* ------------------------------------------------------------------ */

static void
test_initial(void **state)
{
	struct imap_conn	*c = raw_connect();
	struct sync_report	 rep;
	struct store_folder	*f;
	struct store_msg	*m;
	struct err		 e;
	char			 id[16];
	int			 i;

	(void)state;
	for (i = 1; i <= 5; i++) {
		snprintf(id, sizeof id, "m%d", i);
		raw_append(c, "INBOX", id, NULL);
	}
	raw_append(c, "Archive", "a1", "\\Seen");
	imap_close(&c);

	run_sync(&rep, 2, 0, 0);
	assert_int_equal(rep.added, 6);
	assert_int_equal(rep.folders_failed, 0);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("INBOX"), 5);
	assert_int_equal(folder_total("Archive"), 1);
	err_clear(&e);
	assert_int_equal(store_folder_find_role(st, account_id,
	    STORE_ROLE_SENT, &f, &e), 0);
	assert_string_equal(f->name, "Sent");
	store_folder_free(&f);
	assert_int_equal(store_folder_find_role(st, account_id,
	    STORE_ROLE_INBOX, &f, &e), 0);
	assert_string_equal(f->name, "INBOX");
	assert_int_not_equal(f->uidvalidity, 0);
	store_folder_free(&f);
	assert_int_equal(store_folder_find_role(st, account_id,
	    STORE_ROLE_ARCHIVE, &f, &e), 0);
	store_folder_free(&f);
	m = find_local("INBOX", "m3");
	assert_non_null(m);
	assert_string_equal(m->subject, "m3");
	assert_string_equal(m->from_addr, "sender@example.test");
	assert_int_equal(m->flags, 0);
	assert_int_equal(m->body_state, STORE_BODY_NONE);
	store_msg_free(&m);
	m = find_local("Archive", "a1");
	assert_non_null(m);
	assert_int_equal(m->flags, STORE_FLAG_SEEN);
	store_msg_free(&m);
}

static void
test_nothing_changes(void **state)
{
	struct sync_report	rep;

	(void)state;
	run_sync(&rep, 2, 0, 0);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.removed, 0);
	assert_int_equal(rep.ops_done, 0);
	assert_int_equal(rep.nconflicts, 0);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("INBOX"), 5);
	assert_int_equal(folder_total("Archive"), 1);
}

static void
test_server_changes(void **state)
{
	struct imap_conn	*c = raw_connect();
	struct sync_report	 rep;
	struct store_msg	*m;
	struct flags_ctx	 fc;
	struct err		 e;
	char			 set[16];

	(void)state;
	err_clear(&e);
	fc = raw_find(c, "INBOX", "m1");
	assert_int_equal(fc.count, 1);
	snprintf(set, sizeof set, "%u", fc.uid);
	assert_int_equal(imap_uid_store(c, set, "+FLAGS.SILENT",
	    "\\Seen \\Flagged", 0, NULL, &e), 0);
	fc = raw_find(c, "INBOX", "m2");
	snprintf(set, sizeof set, "%u", fc.uid);
	assert_int_equal(imap_uid_store(c, set, "+FLAGS.SILENT", "\\Deleted",
	    0, NULL, &e), 0);
	assert_int_equal(imap_uid_expunge(c, set, &e), 0);
	raw_append(c, "INBOX", "m6", NULL);
	imap_close(&c);

	run_sync(&rep, 2, 0, 0);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.removed, 1);
	assert_true(rep.updated >= 1);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("INBOX"), 5);
	m = find_local("INBOX", "m1");
	assert_non_null(m);
	assert_int_equal(m->flags, STORE_FLAG_SEEN | STORE_FLAG_FLAGGED);
	store_msg_free(&m);
	assert_null(find_local("INBOX", "m2"));
	m = find_local("INBOX", "m6");
	assert_non_null(m);
	store_msg_free(&m);
}

static void
test_local_changes(void **state)
{
	struct imap_conn	*c;
	struct sync_report	 rep;
	struct store_msg	*m;
	struct flags_ctx	 fc;
	struct buf		 b = BUF_INIT;
	struct err		 e;
	int64_t			 draft;

	(void)state;
	err_clear(&e);
	m = find_local("INBOX", "m3");
	assert_int_equal(sync_local_flags(st, m->id, STORE_FLAG_SEEN |
	    STORE_FLAG_ANSWERED, 0, &e), 0);
	store_msg_free(&m);
	m = find_local("INBOX", "m1");
	assert_int_equal(sync_local_flags(st, m->id, 0, STORE_FLAG_FLAGGED,
	    &e), 0);
	store_msg_free(&m);
	m = find_local("INBOX", "m4");
	assert_int_equal(sync_local_move(st, m->id, folder_id("Archive"), &e),
	    0);
	store_msg_free(&m);
	m = find_local("INBOX", "m5");
	assert_int_equal(sync_local_delete(st, m->id, &e), 0);
	store_msg_free(&m);
	msg_text(&b, "d1", "draft one");
	assert_int_equal(sync_local_append(st, folder_id("Drafts"), b.data,
	    b.len, STORE_FLAG_DRAFT, &draft, &e), 0);
	buf_free(&b);
	/* The store shows it all at once. */
	assert_int_equal(folder_total("INBOX"), 3);
	assert_int_equal(folder_total("Archive"), 2);
	assert_int_equal(folder_total("Drafts"), 1);
	assert_int_equal(queued_ops(), 5);

	run_sync(&rep, 2, 0, 0);
	assert_int_equal(rep.ops_done, 5);
	assert_int_equal(rep.ops_failed, 0);
	assert_int_equal(rep.nconflicts, 0);
	/* Our own changes come back as no news. */
	assert_int_equal(rep.added, 0);
	sync_report_clear(&rep);
	assert_int_equal(queued_ops(), 0);
	assert_int_equal(folder_total("INBOX"), 3);
	assert_int_equal(folder_total("Archive"), 2);
	assert_int_equal(folder_total("Drafts"), 1);
	m = find_local("Archive", "m4");
	assert_non_null(m);
	assert_int_not_equal(m->uid, 0);
	store_msg_free(&m);
	assert_int_equal(store_message_get(st, draft, &m, &e), 0);
	assert_int_not_equal(m->uid, 0);
	assert_int_equal(m->body_state, STORE_BODY_FULL);
	store_msg_free(&m);

	c = raw_connect();
	fc = raw_find(c, "INBOX", "m3");
	assert_int_equal(fc.count, 1);
	assert_non_null(strstr(fc.flags, "\\Seen"));
	assert_non_null(strstr(fc.flags, "\\Answered"));
	fc = raw_find(c, "INBOX", "m1");
	assert_null(strstr(fc.flags, "\\Flagged"));
	assert_non_null(strstr(fc.flags, "\\Seen"));
	assert_int_equal(raw_find(c, "INBOX", "m4").count, 0);
	assert_int_equal(raw_find(c, "Archive", "m4").count, 1);
	assert_int_equal(raw_find(c, "INBOX", "m5").count, 0);
	fc = raw_find(c, "Drafts", "d1");
	assert_int_equal(fc.count, 1);
	assert_non_null(strstr(fc.flags, "\\Draft"));
	imap_close(&c);
}

static uint32_t
server_uidvalidity(struct imap_conn *c, const char *folder)
{
	struct imap_status	s;
	struct err		e;

	err_clear(&e);
	memset(&s, 0, sizeof s);
	if (imap_get_status(c, folder, IMAP_STATUS_UIDVALIDITY, &s, &e) == -1)
		fail_msg("status: %s", e.msg);
	return s.uidvalidity;
}

static void
test_uidvalidity(void **state)
{
	struct imap_conn	*c;
	struct sync_report	 rep;
	struct store_msg	*m;
	struct flags_ctx	 fc;
	struct err		 e;
	uint32_t		 old;
	int			 tries;

	(void)state;
	err_clear(&e);
	/* A change made here, not yet replayed... */
	m = find_local("Archive", "m4");
	assert_non_null(m);
	assert_int_equal(sync_local_flags(st, m->id, STORE_FLAG_FLAGGED, 0,
	    &e), 0);
	store_msg_free(&m);
	/* ...while the server renumbers the folder. */
	c = raw_connect();
	old = server_uidvalidity(c, "Archive");
	for (tries = 0; tries < 5; tries++) {
		assert_int_equal(imap_delete(c, "Archive", &e), 0);
		assert_int_equal(imap_create(c, "Archive", &e), 0);
		if (server_uidvalidity(c, "Archive") != old)
			break;
		sleep(1);
	}
	assert_int_not_equal(server_uidvalidity(c, "Archive"), old);
	raw_append(c, "Archive", "a1", "\\Seen");
	raw_append(c, "Archive", "m4", NULL);
	imap_close(&c);

	run_sync(&rep, 2, 0, 0);
	assert_int_equal(rep.ops_done, 1);
	assert_int_equal(rep.ops_failed, 0);
	sync_report_clear(&rep);
	assert_int_equal(queued_ops(), 0);
	assert_int_equal(folder_total("Archive"), 2);
	m = find_local("Archive", "m4");
	assert_non_null(m);
	assert_true(m->flags & STORE_FLAG_FLAGGED);
	store_msg_free(&m);
	c = raw_connect();
	fc = raw_find(c, "Archive", "m4");
	assert_int_equal(fc.count, 1);
	assert_non_null(strstr(fc.flags, "\\Flagged"));
	imap_close(&c);
}

static void
test_interrupted(void **state)
{
	struct imap_conn	*c = raw_connect();
	struct sync_report	 rep;
	struct sync_opts	 o;
	struct store_folder	*f;
	struct err		 e;
	uint32_t		*uids;
	size_t			 n, i;
	char			 id[16];

	(void)state;
	err_clear(&e);
	assert_int_equal(imap_create(c, "Big", &e), 0);
	for (i = 1; i <= 7; i++) {
		snprintf(id, sizeof id, "b%zu", i);
		raw_append(c, "Big", id, NULL);
	}
	imap_close(&c);

	/* Killed in the middle of the third batch: two are kept. */
	memset(&o, 0, sizeof o);
	run_sync(&rep, 2, 2, -1);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("Big"), 4);
	/* Again in the middle of the second batch of the rest. */
	run_sync(&rep, 2, 1, -1);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("Big"), 6);
	run_sync(&rep, 2, 0, 0);
	assert_int_equal(rep.added, 1);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("Big"), 7);
	assert_int_equal(store_folder_find(st, account_id, "Big", &f, &e), 0);
	assert_int_equal(store_folder_uids(st, f->id, 1, 0, &uids, &n, &e), 0);
	assert_int_equal(n, 7);
	for (i = 1; i < n; i++)
		assert_true(uids[i] > uids[i - 1]);
	free(uids);
	store_folder_free(&f);
	run_sync(&rep, 2, 0, 0);
	assert_int_equal(rep.added, 0);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("Big"), 7);
}

/* Cancels the sync once the first header batch of Late is stored. */
static void
cancel_after_first_batch(void *arg, const char *account, const char *what,
    uint64_t done, uint64_t total)
{
	(void)account;
	(void)done;
	if (strcmp(what, "fetching headers") == 0 && total == 6)
		*(volatile int *)arg = 1;
}

/*
 * Cancelled right after a batch commits, when the next batch's FETCH is
 * already on its way: that reply is read and dropped, so the session's
 * next sync on the same connection goes on cleanly and stores every
 * message once.
 */
static void
test_cancel_with_fetch_out(void **state)
{
	struct imap_conn	*c = raw_connect();
	struct sync_report	 rep;
	struct sync_opts	 o;
	struct err		 e;
	volatile int		 cancel = 0;
	size_t			 i;
	char			 id[16];

	(void)state;
	err_clear(&e);
	assert_int_equal(imap_create(c, "Late", &e), 0);
	for (i = 1; i <= 6; i++) {
		snprintf(id, sizeof id, "l%zu", i);
		raw_append(c, "Late", id, NULL);
	}
	imap_close(&c);
	memset(&o, 0, sizeof o);
	o.batch = 2;
	o.cancel = &cancel;
	o.progress = cancel_after_first_batch;
	o.progress_arg = (void *)&cancel;
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_account(sess, &o, &rep, &e), -1);
	assert_int_equal(e.code, ERR_CANCELLED);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("Late"), 2);
	run_sync(&rep, 2, 0, 0);
	sync_report_clear(&rep);
	assert_int_equal(folder_total("Late"), 6);
}

/*
 * The real binary killed with SIGKILL in the middle of a header batch,
 * then run again: exactly the server's messages, none twice.
 */
static void
test_sigkill(void **state)
{
	struct imap_conn	*c = raw_connect();
	struct store		*st2;
	struct store_account	*a;
	struct store_folder	*f;
	struct err		 e;
	struct buf		 cmd = BUF_INIT;
	const char		*top = getenv("top_builddir");
	char			 dir[] = "/tmp/surat-ikill-XXXXXX", cfg[128], id[16];
	uint32_t		*uids;
	size_t			 n, i;
	FILE			*fp;
	int			 rc;

	(void)state;
	if (top == NULL)
		skip();
	err_clear(&e);
	assert_int_equal(imap_create(c, "Kill", &e), 0);
	for (i = 1; i <= 5; i++) {
		snprintf(id, sizeof id, "k%zu", i);
		raw_append(c, "Kill", id, NULL);
	}
	imap_close(&c);
	assert_non_null(mkdtemp(dir));
	snprintf(cfg, sizeof cfg, "%s/config", dir);
	assert_non_null(fp = fopen(cfg, "w"));
	fprintf(fp, "[account k]\nemail = %s\nuser = %s\n"
	    "incoming = imaps://%s:%u\npassword_cmd = echo %s\n"
	    "ca_file = %s\n", it.addr, it.user, it.host,
	    (unsigned)imaps_port, it.pass, it.ca);
	fclose(fp);
	buf_addf(&cmd, "SURAT_SYNC_BATCH=2 SURAT_CRASH_AT=imap-batch:2 "
	    "%s/src/surat -c %s -d %s/data sync --quiet --folder Kill",
	    top, cfg, dir);
	rc = system(buf_cstr(&cmd));
	assert_true(WIFSIGNALED(rc) || (WIFEXITED(rc) &&
	    WEXITSTATUS(rc) == 128 + SIGKILL));
	/* Killed inside the second batch: the first one is kept. */
	snprintf(id, sizeof id, "%s", "data");
	buf_reset(&cmd);
	buf_addf(&cmd, "%s/%s", dir, id);
	assert_int_equal(store_open(buf_cstr(&cmd), STORE_OPEN_READONLY, NULL,
	    &st2, &e), 0);
	assert_int_equal(store_account_find(st2, "k", &a, &e), 0);
	assert_int_equal(store_folder_find(st2, a->id, "Kill", &f, &e), 0);
	assert_int_equal(f->total, 2);
	store_folder_free(&f);
	store_account_free(&a);
	store_close(&st2);
	buf_reset(&cmd);
	buf_addf(&cmd, "SURAT_SYNC_BATCH=2 %s/src/surat -c %s -d %s/data "
	    "sync --quiet", top, cfg, dir);
	rc = system(buf_cstr(&cmd));
	assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
	buf_free(&cmd);

	snprintf(cfg, sizeof cfg, "%s/data", dir);
	assert_int_equal(store_open(cfg, STORE_OPEN_READONLY, NULL, &st2, &e),
	    0);
	assert_int_equal(store_account_find(st2, "k", &a, &e), 0);
	assert_int_equal(store_folder_find(st2, a->id, "Kill", &f, &e), 0);
	assert_int_equal(f->total, 5);
	assert_int_equal(store_folder_uids(st2, f->id, 1, 0, &uids, &n, &e),
	    0);
	assert_int_equal(n, 5);
	for (i = 1; i < n; i++)
		assert_true(uids[i] > uids[i - 1]);
	free(uids);
	store_folder_free(&f);
	store_account_free(&a);
	store_close(&st2);
	it_sh("rm -rf %s", dir);
}

static void
test_body_search_quota(void **state)
{
	struct store_msg	*m;
	struct store_account	*a;
	struct store_query	 q;
	struct buf		 b = BUF_INIT;
	struct err		 e;
	int64_t			*ids;
	size_t			 n;
	bool			 server;
	int64_t			 id;

	(void)state;
	err_clear(&e);
	m = find_local("INBOX", "m6");
	id = m->id;
	store_msg_free(&m);
	/* Found on the server before the body is here. */
	memset(&q, 0, sizeof q);
	q.text = "kumquatm6";
	q.folder_id = folder_id("INBOX");
	assert_int_equal(sync_search(sess, &q, &ids, &n, &server, &e), 0);
	assert_true(server);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], id);
	free(ids);

	assert_int_equal(sync_fetch_body(sess, id, &e), 0);
	assert_int_equal(store_message_get(st, id, &m, &e), 0);
	assert_int_equal(m->body_state, STORE_BODY_FULL);
	store_msg_free(&m);
	assert_int_equal(store_body_get(st, id, &b, &e), 0);
	assert_non_null(strstr(buf_cstr(&b), "kumquatm6"));
	buf_free(&b);
	/* And now locally, by the indexed body. */
	memset(&q, 0, sizeof q);
	q.text = "kumquatm6";
	assert_int_equal(store_search(st, &q, &ids, &n, &e), 0);
	assert_int_equal(n, 1);
	free(ids);

	assert_int_equal(store_account_get(st, account_id, &a, &e), 0);
	assert_true(a->quota_limit > 0);
	assert_true(a->quota_used > 0);
	store_account_free(&a);
}

static void
test_idle(void **state)
{
	struct imap_conn	*c;
	struct sync_report	 rep;
	struct store_msg	*m;
	struct err		 e;
	int			 rc, i;

	(void)state;
	err_clear(&e);
	/* Select INBOX first, so the news arrives during IDLE. */
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_idle_once(sess, folder_id("INBOX"), 100, &rep,
	    &e), 0);
	c = raw_connect();
	raw_append(c, "INBOX", "m7", NULL);
	imap_close(&c);
	for (i = 0, rc = 0; i < 5 && rc == 0; i++) {
		rc = sync_idle_once(sess, folder_id("INBOX"), 2000, &rep, &e);
		assert_int_not_equal(rc, -1);
	}
	assert_int_equal(rc, 1);
	sync_report_clear(&rep);
	m = find_local("INBOX", "m7");
	assert_non_null(m);
	store_msg_free(&m);
}

/* The plain fallbacks: no QRESYNC (UID lists), no CONDSTORE (all flags). */
static void
test_fallbacks(void **state)
{
	struct sync_session	*plain = sync_session_new(st, &tacct);
	struct imap_conn	*c;
	struct sync_report	 rep;
	struct store_msg	*m;
	struct flags_ctx	 fc;
	struct err		 e;
	char			 set[16];
	int			 round;
	static const char	*gone[] = { "m1", "m7" };
	static const char	*added[] = { "m8", "m9" };

	(void)state;
	for (round = 0; round < 2; round++) {
		sync_session_set_limits(plain, round == 0 ? SYNC_NO_QRESYNC :
		    SYNC_NO_CONDSTORE);
		sync_session_disconnect(plain);
		err_clear(&e);
		c = raw_connect();
		fc = raw_find(c, "INBOX", "m3");
		snprintf(set, sizeof set, "%u", fc.uid);
		assert_int_equal(imap_uid_store(c, set, round == 0 ?
		    "+FLAGS.SILENT" : "-FLAGS.SILENT", "\\Flagged", 0, NULL,
		    &e), 0);
		fc = raw_find(c, "INBOX", gone[round]);
		assert_int_equal(fc.count, 1);
		snprintf(set, sizeof set, "%u", fc.uid);
		assert_int_equal(imap_uid_store(c, set, "+FLAGS.SILENT",
		    "\\Deleted", 0, NULL, &e), 0);
		assert_int_equal(imap_uid_expunge(c, set, &e), 0);
		raw_append(c, "INBOX", added[round], NULL);
		imap_close(&c);

		memset(&rep, 0, sizeof rep);
		assert_int_equal(sync_folder(plain, folder_id("INBOX"), NULL,
		    &rep, &e), 0);
		assert_int_equal(rep.added, 1);
		assert_int_equal(rep.removed, 1);
		sync_report_clear(&rep);
		assert_null(find_local("INBOX", gone[round]));
		m = find_local("INBOX", added[round]);
		assert_non_null(m);
		store_msg_free(&m);
		m = find_local("INBOX", "m3");
		assert_non_null(m);
		if (round == 0)
			assert_true(m->flags & STORE_FLAG_FLAGGED);
		else
			assert_false(m->flags & STORE_FLAG_FLAGGED);
		store_msg_free(&m);
		/* And a second run finds nothing to do. */
		memset(&rep, 0, sizeof rep);
		assert_int_equal(sync_folder(plain, folder_id("INBOX"), NULL,
		    &rep, &e), 0);
		assert_int_equal(rep.added, 0);
		assert_int_equal(rep.removed, 0);
		sync_report_clear(&rep);
	}
	sync_session_free(&plain);
}

/* Conflicts: the server removed what a pending change was about. */
static void
test_conflicts(void **state)
{
	struct imap_conn	*c;
	struct sync_report	 rep;
	struct store_msg	*m;
	struct flags_ctx	 fc;
	struct err		 e;
	char			 set[16];
	size_t			 i;
	bool			 dropped = false, uploaded = false;

	(void)state;
	err_clear(&e);
	/* A flag change for a message expunged meanwhile is dropped. */
	m = find_local("INBOX", "m9");
	assert_int_equal(sync_local_flags(st, m->id, STORE_FLAG_FLAGGED, 0,
	    &e), 0);
	store_msg_free(&m);
	/* A move whose source is gone: the local copy (with its body)
	 * is uploaded to the target, so nothing is lost. */
	m = find_local("INBOX", "m6");
	assert_int_equal(m->body_state, STORE_BODY_FULL);
	assert_int_equal(sync_local_move(st, m->id, folder_id("Archive"), &e),
	    0);
	store_msg_free(&m);
	c = raw_connect();
	for (i = 0; i < 2; i++) {
		fc = raw_find(c, "INBOX", i == 0 ? "m9" : "m6");
		assert_int_equal(fc.count, 1);
		snprintf(set, sizeof set, "%u", fc.uid);
		assert_int_equal(imap_uid_store(c, set, "+FLAGS.SILENT",
		    "\\Deleted", 0, NULL, &e), 0);
		assert_int_equal(imap_uid_expunge(c, set, &e), 0);
	}
	imap_close(&c);

	run_sync(&rep, 0, 0, 0);
	assert_int_equal(rep.ops_done, 2);
	assert_int_equal(rep.ops_failed, 0);
	for (i = 0; i < rep.nconflicts; i++) {
		if (strstr(rep.conflicts[i], "flag change dropped") != NULL)
			dropped = true;
		if (strstr(rep.conflicts[i], "uploaded to Archive") != NULL)
			uploaded = true;
	}
	assert_true(dropped);
	assert_true(uploaded);
	sync_report_clear(&rep);
	assert_int_equal(queued_ops(), 0);
	assert_null(find_local("INBOX", "m9"));
	m = find_local("Archive", "m6");
	assert_non_null(m);
	assert_int_not_equal(m->uid, 0);
	store_msg_free(&m);
	c = raw_connect();
	assert_int_equal(raw_find(c, "Archive", "m6").count, 1);
	assert_int_equal(raw_find(c, "INBOX", "m6").count, 0);
	imap_close(&c);
}

/* A folder gone from the server: the error names it once. */
static void
test_folder_gone_named_once(void **state)
{
	struct imap_conn	*c;
	struct sync_report	 rep;
	struct err		 e;
	int64_t			 id;

	(void)state;
	err_clear(&e);
	c = raw_connect();
	assert_int_equal(imap_create(c, "Fana", &e), 0);
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_account(sess, NULL, &rep, &e), 0);
	sync_report_clear(&rep);
	id = folder_id("Fana");
	assert_int_equal(imap_delete(c, "Fana", &e), 0);
	imap_close(&c);
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_folder(sess, id, NULL, &rep, &e), -1);
	sync_report_clear(&rep);
	assert_true(strncmp(e.msg, "Fana: ", 6) == 0);
	assert_null(strstr(e.msg + 6, "Fana: "));
	/* The next account sync drops the folder (nothing of ours in it). */
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_account(sess, NULL, &rep, &e), 0);
	sync_report_clear(&rep);
}

/* Prefetch recent:N fetches the bodies of the newest N, days:N those of
 * the last N days. */
static void
test_prefetch(void **state)
{
	struct sync_report	 rep;
	struct store_row	*rows;
	struct store_sort	 sort = { STORE_SORT_DATE, false, false };
	struct err		 e;
	size_t			 n, i, full = 0;

	(void)state;
	err_clear(&e);
	tacct.prefetch = CONFIG_PREFETCH_RECENT;
	tacct.prefetch_recent = 2;
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_folder(sess, folder_id("Big"), NULL, &rep, &e),
	    0);
	assert_int_equal(rep.bodies, 2);
	sync_report_clear(&rep);
	assert_int_equal(store_index_page(st, folder_id("Big"), &sort, NULL,
	    STORE_PAGE_FORWARD, 100, &rows, &n, &e), 0);
	for (i = 0; i < n; i++)
		if (rows[i].body_state == STORE_BODY_FULL)
			full++;
	store_rows_free(&rows, n);
	assert_int_equal(full, 2);
	/* Nothing more the second time. */
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_folder(sess, folder_id("Big"), NULL, &rep, &e),
	    0);
	assert_int_equal(rep.bodies, 0);
	sync_report_clear(&rep);
	/* days:N goes by the Date: header; the test mail is from March. */
	tacct.prefetch = CONFIG_PREFETCH_DAYS;
	tacct.prefetch_days = 1;
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_folder(sess, folder_id("Big"), NULL, &rep, &e),
	    0);
	assert_int_equal(rep.bodies, 0);
	sync_report_clear(&rep);
	tacct.prefetch_days = 36500;
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_folder(sess, folder_id("Big"), NULL, &rep, &e),
	    0);
	assert_int_equal(rep.bodies, n - 2);
	sync_report_clear(&rep);
	tacct.prefetch = CONFIG_PREFETCH_NONE;
}

static void
test_offline(void **state)
{
	struct sync_report	 rep;
	struct store_msg	*m;
	struct flags_ctx	 fc;
	struct imap_conn	*c;
	struct err		 e;

	(void)state;
	err_clear(&e);
	assert_int_equal(it_servers("stop-imap"), 0);
	m = find_local("INBOX", "m8");
	assert_int_equal(sync_local_flags(st, m->id, STORE_FLAG_FLAGGED, 0,
	    &e), 0);
	store_msg_free(&m);
	memset(&rep, 0, sizeof rep);
	assert_int_equal(sync_account(sess, NULL, &rep, &e), -1);
	sync_report_clear(&rep);
	assert_int_equal(queued_ops(), 1);
	assert_int_equal(it_servers("start-imap"), 0);
	run_sync(&rep, 0, 0, 0);
	assert_int_equal(rep.ops_done, 1);
	sync_report_clear(&rep);
	assert_int_equal(queued_ops(), 0);
	c = raw_connect();
	fc = raw_find(c, "INBOX", "m8");
	assert_non_null(strstr(fc.flags, "\\Flagged"));
	imap_close(&c);
}

static int
setup(void **state)
{
	struct err	e;

	(void)state;
	it_load();
	imaps_port = it_port("SURAT_TEST_IMAPS_PORT");
	if (mkdtemp(datadir) == NULL)
		return -1;
	err_clear(&e);
	if (store_open(datadir, STORE_OPEN_NOCHECK, "test", &st, &e) == -1) {
		fprintf(stderr, "store: %s\n", e.msg);
		return -1;
	}
	config_account_init(&tacct);
	tacct.id = xstrdup("test");
	tacct.email = xstrdup(it.addr);
	tacct.user = xstrdup(it.user);
	tacct.password = xstrdup(it.pass);
	tacct.ca_file = xstrdup(it.ca);
	tacct.incoming.protocol = CONFIG_PROTO_IMAP;
	tacct.incoming.security = NET_SECURITY_TLS;
	tacct.incoming.host = xstrdup(it.host);
	tacct.incoming.port = imaps_port;
	tacct.timeout = 20;
	tacct.prefetch = CONFIG_PREFETCH_NONE;
	sess = sync_session_new(st, &tacct);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sync_session_free(&sess);
	store_close(&st);
	config_account_clear(&tacct);
	it_sh("rm -rf %s", datadir);
	return 0;
}

/*
 * A move to a folder deleted on the server meanwhile: the server refuses
 * it with [TRYCREATE], the replay makes the folder again and the message
 * lands there.  (A refusal without that code makes no folder.)
 */
static void
test_move_trycreate(void **state)
{
	struct imap_conn	*c;
	struct sync_report	 rep;
	struct store_msg	*m;
	struct err		 e;

	(void)state;
	err_clear(&e);
	c = raw_connect();
	assert_int_equal(imap_create(c, "Kotak", &e), 0);
	raw_append(c, "INBOX", "k1", NULL);
	run_sync(&rep, 0, 0, 0);
	sync_report_clear(&rep);
	m = find_local("INBOX", "k1");
	assert_non_null(m);
	assert_int_equal(sync_local_move(st, m->id, folder_id("Kotak"), &e),
	    0);
	store_msg_free(&m);
	assert_int_equal(imap_delete(c, "Kotak", &e), 0);
	imap_close(&c);

	run_sync(&rep, 0, 0, 0);
	assert_int_equal(rep.ops_done, 1);
	assert_int_equal(rep.ops_failed, 0);
	sync_report_clear(&rep);
	assert_int_equal(queued_ops(), 0);
	c = raw_connect();
	assert_int_equal(raw_find(c, "Kotak", "k1").count, 1);
	assert_int_equal(raw_find(c, "INBOX", "k1").count, 0);
	imap_close(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial),
		cmocka_unit_test(test_nothing_changes),
		cmocka_unit_test(test_server_changes),
		cmocka_unit_test(test_local_changes),
		cmocka_unit_test(test_uidvalidity),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_cancel_with_fetch_out),
		cmocka_unit_test(test_sigkill),
		cmocka_unit_test(test_body_search_quota),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_prefetch),
		cmocka_unit_test(test_folder_gone_named_once),
		cmocka_unit_test(test_move_trycreate),
		cmocka_unit_test(test_offline),
	};

	if (getenv("SURAT_TEST_RUNDIR") == NULL)
		return 77;
	return cmocka_run_group_tests(tests, setup, teardown);
}
