/*
 * The POP3 download engine (src/sync/pop3_download.c) against the real
 * Dovecot: every leave-on-server policy, runs repeated to show nothing is
 * fetched twice, and a stop at every crash point followed by a rerun that
 * must leave each message exactly once in the store and none lost.
 */
#include "config.h"

#include "testutil.h"

#include <time.h>

#include "pop3/pop3.h"
#include "test_pop3smtp_util.h"
#include "test_pop3smtp_store.h"

/* How many messages the server has for budi, and their UIDLs. */
static size_t
server_uidls(char ***uids_r)
{
	struct net_endpoint	 ep = it_endpoint(it.pop3s);
	struct pop3_conn	*c;
	struct pop3_uidl	*u;
	struct err		 e;
	size_t			 n, i;

	c = pop3_connect(&ep, NET_SECURITY_TLS, &e);
	if (c == NULL)
		fail_msg("connect: %s", e.msg);
	assert_int_equal(pop3_login(c, POP3_AUTH_AUTO, it.user, it.pass, &e),
	    0);
	assert_int_equal(pop3_uidl(c, &u, &n, &e), 0);
	if (uids_r != NULL) {
		*uids_r = xcalloc(n + 1, sizeof **uids_r);
		for (i = 0; i < n; i++)
			(*uids_r)[i] = xstrdup(u[i].uid);
	}
	pop3_uidl_free(&u, n);
	assert_int_equal(pop3_quit(c, &e), 0);
	pop3_close(&c);
	return n;
}

static size_t
server_count(void)
{
	return server_uidls(NULL);
}

static void
free_strv(char **v)
{
	size_t	i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static char *
make_msg(int i, const char *tag)
{
	return xasprintf("From: Sender %d <s%d@example.test>\r\n"
	    "To: budi@example.test\r\nSubject: %s message %d\r\n"
	    "Message-ID: <%s-%d@example.test>\r\n\r\n"
	    "body %d\r\n.\r\n..two\r\n", i, i, tag, i, tag, i, i);
}

static void
seed(int n, const char *tag)
{
	char	*m;
	int	 i;

	it_clear(it.user);
	for (i = 0; i < n; i++) {
		m = make_msg(i, tag);
		assert_int_equal(it_seed(it.user, m, strlen(m)), 0);
		free(m);
	}
}

static int
run(struct store *s, const struct config_account *a,
    struct sync_pop3_stats *st, struct err *e)
{
	return sync_pop3_download(s, a, it.pass, NULL, NULL, st, e);
}

static void
run_ok(struct store *s, const struct config_account *a,
    struct sync_pop3_stats *st)
{
	struct err	e;

	if (run(s, a, st, &e) == -1)
		fail_msg("download: %s", e.msg);
}

/* Every message of the Inbox once, bodies as seeded, by Message-ID. */
static void
check_inbox(struct store *s, const char *account, int n, const char *tag)
{
	struct store_msg	*m;
	struct buf		 b = BUF_INIT;
	struct store_sort	 sort = { STORE_SORT_DATE, false, false };
	struct store_row	*rows;
	struct err		 e;
	int64_t			 inbox = ds_folder(s, account, STORE_ROLE_INBOX);
	int64_t			 ids[100];
	size_t			 nids, j;
	char			*want;
	int			 i, found;

	assert_int_equal(ds_count(s, inbox), n);
	assert_int_equal(store_index_page(s, inbox, &sort, NULL,
	    STORE_PAGE_FORWARD, 100, &rows, &nids, &e), 0);
	assert_int_equal(nids, n);
	for (j = 0; j < nids; j++)
		ids[j] = rows[j].id;
	store_rows_free(&rows, nids);
	for (i = 0; i < n; i++) {
		want = make_msg(i, tag);
		found = 0;
		for (j = 0; j < nids; j++) {
			assert_int_equal(store_message_get(s, ids[j], &m, &e),
			    0);
			assert_non_null(m->uidl);
			buf_reset(&b);
			assert_int_equal(store_body_get(s, ids[j], &b, &e), 0);
			if (b.len == strlen(want) &&
			    memcmp(b.data, want, b.len) == 0) {
				found++;
				assert_non_null(strstr(m->subject, tag));
			}
			store_msg_free(&m);
		}
		assert_int_equal(found, 1);
		free(want);
	}
	buf_free(&b);
}

static void
test_keep(void **state)
{
	struct config_account	a;
	struct sync_pop3_stats	st;
	struct store		*s;
	char			*dir = ds_tempdir();

	(void)state;
	seed(3, "keep");
	ds_account(&a, "p-keep", CONFIG_PROTO_POP3, CONFIG_POP3_KEEP);
	s = ds_open(dir);
	run_ok(s, &a, &st);
	assert_int_equal(st.on_server, 3);
	assert_int_equal(st.downloaded, 3);
	assert_int_equal(st.deleted, 0);
	check_inbox(s, "p-keep", 3, "keep");
	/* Again: nothing new, nothing gone. */
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 0);
	assert_int_equal(st.deleted, 0);
	assert_int_equal(server_count(), 3);
	check_inbox(s, "p-keep", 3, "keep");
	/* After a restart too: the UIDLs are in the database. */
	store_close(&s);
	s = ds_open(dir);
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 0);
	check_inbox(s, "p-keep", 3, "keep");
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

static void
test_delete(void **state)
{
	struct config_account	a;
	struct sync_pop3_stats	st;
	struct store		*s;
	char			*dir = ds_tempdir();

	(void)state;
	seed(2, "del");
	ds_account(&a, "p-del", CONFIG_PROTO_POP3, CONFIG_POP3_DELETE);
	s = ds_open(dir);
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 2);
	assert_int_equal(st.deleted, 2);
	assert_int_equal(server_count(), 0);
	check_inbox(s, "p-del", 2, "del");
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 0);
	assert_int_equal(st.on_server, 0);
	check_inbox(s, "p-del", 2, "del");
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

static int64_t	clock_shift;

static int64_t
test_clock(void)
{
	return (int64_t)time(NULL) + clock_shift;
}

static void
test_keep_days(void **state)
{
	struct config_account	a;
	struct sync_pop3_stats	st;
	struct store		*s;
	char			*dir = ds_tempdir();

	(void)state;
	seed(2, "days");
	ds_account(&a, "p-days", CONFIG_PROTO_POP3, CONFIG_POP3_KEEP_DAYS);
	a.pop3_keep_days = 3;
	s = ds_open(dir);
	sync_delivery_set_clock(test_clock);
	clock_shift = 0;
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 2);
	assert_int_equal(st.deleted, 0);
	/* Two days later: still kept. */
	clock_shift = 2 * 86400;
	run_ok(s, &a, &st);
	assert_int_equal(st.deleted, 0);
	assert_int_equal(server_count(), 2);
	/* A third message arrives; three days after the first two. */
	{
		char *m = make_msg(2, "days");

		assert_int_equal(it_seed(it.user, m, strlen(m)), 0);
		free(m);
	}
	clock_shift = 0;
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 1);
	/* The store stamps first_seen with the real clock; from its point
	 * of view, 3 days + a minute later the first two are due, and the
	 * third too (seen seconds later): all go. */
	clock_shift = 3 * 86400 + 60;
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 0);
	assert_int_equal(st.deleted, 3);
	assert_int_equal(server_count(), 0);
	check_inbox(s, "p-days", 3, "days");
	sync_delivery_set_clock(NULL);
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

static void
test_keep_until_deleted(void **state)
{
	struct config_account	 a;
	struct sync_pop3_stats	 st;
	struct store		*s;
	struct store_msg	*m;
	struct err		 e;
	char			*dir = ds_tempdir(), **uids;
	int64_t			 inbox, id;

	(void)state;
	seed(3, "kud");
	ds_account(&a, "p-kud", CONFIG_PROTO_POP3,
	    CONFIG_POP3_KEEP_UNTIL_DELETED);
	s = ds_open(dir);
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 3);
	assert_int_equal(st.deleted, 0);
	assert_int_equal(server_uidls(&uids), 3);
	/* The user deletes the second message locally. */
	inbox = ds_folder(s, "p-kud", STORE_ROLE_INBOX);
	assert_int_equal(store_message_get_uidl(s, inbox, uids[1], &m, &e), 0);
	id = m->id;
	store_msg_free(&m);
	assert_int_equal(store_message_delete(s, id, &e), 0);
	free_strv(uids);
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 0);
	assert_int_equal(st.deleted, 1);
	assert_int_equal(server_uidls(&uids), 2);
	/* The two left are exactly those still in the store. */
	assert_int_equal(store_message_get_uidl(s, inbox, uids[0], &m, &e), 0);
	store_msg_free(&m);
	assert_int_equal(store_message_get_uidl(s, inbox, uids[1], &m, &e), 0);
	store_msg_free(&m);
	free_strv(uids);
	/* And it stays that way. */
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 0);
	assert_int_equal(st.deleted, 0);
	assert_int_equal(ds_count(s, inbox), 2);
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

/* Stop at the k-th time a step is reached. */
struct crash {
	const char	*step;
	int		 k, hits;
};

static int
crash_hook(void *arg, const char *step)
{
	struct crash	*c = arg;

	if (strcmp(step, c->step) != 0)
		return 0;
	return ++c->hits == c->k;
}

/*
 * For every crash point: stop there, reopen the store as after a restart,
 * run again.  Each message exactly once in the store, the server empty
 * (policy delete), and nothing deleted on the server that the store did
 * not hold at that moment.
 */
static void
test_crash_points(void **state)
{
	static const struct { const char *step; int k; } pts[] = {
		{ "pop3-stored", 1 }, { "pop3-stored", 2 },
		{ "pop3-stored", 3 }, { "pop3-dele", 1 }, { "pop3-dele", 3 },
		{ "pop3-quit", 1 },
	};
	struct config_account	a;
	struct sync_pop3_stats	st;
	struct store		*s;
	struct crash		 c;
	struct err		 e;
	size_t			 i;
	char			*dir;

	(void)state;
	ds_account(&a, "p-crash", CONFIG_PROTO_POP3, CONFIG_POP3_DELETE);
	for (i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		seed(3, "crash");
		dir = ds_tempdir();
		s = ds_open(dir);
		c.step = pts[i].step;
		c.k = pts[i].k;
		c.hits = 0;
		sync_delivery_set_crash(crash_hook, &c);
		assert_int_equal(run(s, &a, &st, &e), -1);
		assert_int_equal(e.code, ERR_CANCELLED);
		sync_delivery_set_crash(NULL, NULL);
		/* Stopped before QUIT: the server deleted nothing. */
		if (strcmp(c.step, "pop3-quit") != 0)
			assert_int_equal(server_count(), 3);
		else
			assert_int_equal(server_count(), 0);
		store_close(&s);
		s = ds_open(dir);
		run_ok(s, &a, &st);
		check_inbox(s, "p-crash", 3, "crash");
		assert_int_equal(server_count(), 0);
		/* A third run changes nothing. */
		run_ok(s, &a, &st);
		assert_int_equal(st.downloaded, 0);
		check_inbox(s, "p-crash", 3, "crash");
		store_close(&s);
		ds_rmdir(&dir);
	}
	config_account_clear(&a);
}

/* A large message goes through the spool and the chunked store writer. */
static void
test_large(void **state)
{
	struct config_account	 a;
	struct sync_pop3_stats	 st;
	struct store		*s;
	struct store_msg	*m;
	struct buf		 big = BUF_INIT, got = BUF_INIT;
	struct err		 e;
	char			*dir = ds_tempdir(), **uids;
	size_t			 i;

	(void)state;
	it_clear(it.user);
	buf_adds(&big, "From: big@example.test\r\nSubject: big\r\n\r\n");
	for (i = 0; big.len < 6 * 1024 * 1024; i++)
		buf_addf(&big, "%sline %zu of a large message body, padded "
		    "out to make it longer\r\n", i % 37 ? "" : ".", i);
	assert_int_equal(it_seed(it.user, big.data, big.len), 0);
	ds_account(&a, "p-big", CONFIG_PROTO_POP3, CONFIG_POP3_KEEP);
	s = ds_open(dir);
	run_ok(s, &a, &st);
	assert_int_equal(st.downloaded, 1);
	assert_int_equal(st.bytes, big.len);
	assert_int_equal(server_uidls(&uids), 1);
	assert_int_equal(store_message_get_uidl(s, ds_folder(s, "p-big",
	    STORE_ROLE_INBOX), uids[0], &m, &e), 0);
	assert_int_equal(m->size, (int64_t)big.len);
	assert_string_equal(m->subject, "big");
	assert_int_equal(store_body_get(s, m->id, &got, &e), 0);
	assert_int_equal(got.len, big.len);
	assert_memory_equal(got.data, big.data, big.len);
	store_msg_free(&m);
	free_strv(uids);
	store_close(&s);
	config_account_clear(&a);
	buf_free(&big);
	buf_free(&got);
	ds_rmdir(&dir);
}

static void
test_wrong_password(void **state)
{
	struct config_account	a;
	struct sync_pop3_stats	st;
	struct store		*s;
	struct err		 e;
	char			*dir = ds_tempdir();

	(void)state;
	ds_account(&a, "p-bad", CONFIG_PROTO_POP3, CONFIG_POP3_DELETE);
	s = ds_open(dir);
	assert_int_equal(sync_pop3_download(s, &a, "wrong", NULL, NULL, &st,
	    &e), -1);
	assert_int_equal(e.code, ERR_AUTH);
	assert_int_equal(e.scope, ERR_SCOPE_ACCOUNT);
	store_close(&s);
	config_account_clear(&a);
	ds_rmdir(&dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_keep_days),
		cmocka_unit_test(test_keep_until_deleted),
		cmocka_unit_test(test_crash_points),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_wrong_password),
	};

	it_load();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
