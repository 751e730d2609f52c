/*
 * Unit tests for src/store, part two: accounts, folders (roles, counts,
 * sync state), messages (fields, flags, UID/UIDL idempotence, move, copy,
 * delete), bodies and parts, and threading at insert time.
 */
#include "config.h"

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "teststore.h"
#include "util/buf.h"

/* ------------------------------------------------------------------ */
/* Accounts                                                            */

static void
test_account_crud(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_account	*a, *arr;
	struct err		 err;
	enum store_account_kind	 k;
	int64_t			 id1, id2, id;
	size_t			 n;

	err_clear(&err);
	id1 = t_account(s, "work", STORE_ACCOUNT_IMAP);
	id2 = t_account(s, "home", STORE_ACCOUNT_POP3);
	assert_int_equal(t_account(s, "work", STORE_ACCOUNT_IMAP), id1);
	/* A kind change would reinterpret mail: refused. */
	T_FAILS(store_account_ensure(s, "work", STORE_ACCOUNT_POP3, &id,
	    &err), &err, ERR_USAGE);
	assert_non_null(strstr(err.msg, "work"));
	T_FAILS(store_account_ensure(s, "x", (enum store_account_kind)9, &id,
	    &err), &err, ERR_USAGE);
	T_OK(store_account_get(s, id2, &a, &err), &err);
	assert_string_equal(a->name, "home");
	assert_int_equal(a->kind, STORE_ACCOUNT_POP3);
	assert_int_equal(a->quota_used, -1);
	assert_int_equal(a->quota_limit, -1);
	store_account_free(&a);
	assert_null(a);
	store_account_free(&a);
	T_FAILS(store_account_get(s, 999, &a, &err), &err, ERR_NOTFOUND);
	assert_null(a);
	T_FAILS(store_account_find(s, "nope", &a, &err), &err, ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "nope"));
	/* Quota: what GETQUOTAROOT said, for the status line. */
	T_OK(store_account_set_quota(s, id1, 2100000000LL, 15000000000LL,
	    &err), &err);
	T_OK(store_account_find(s, "work", &a, &err), &err);
	assert_int_equal(a->quota_used, 2100000000LL);
	assert_int_equal(a->quota_limit, 15000000000LL);
	store_account_free(&a);
	T_OK(store_account_set_quota(s, id1, -1, -1, &err), &err);
	T_OK(store_account_get(s, id1, &a, &err), &err);
	assert_int_equal(a->quota_used, -1);
	store_account_free(&a);
	T_FAILS(store_account_set_quota(s, 999, 1, 2, &err), &err,
	    ERR_NOTFOUND);
	T_OK(store_account_list(s, &arr, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_string_equal(arr[0].name, "home");
	assert_string_equal(arr[1].name, "work");
	store_account_list_free(&arr, n);
	assert_null(arr);
	assert_string_equal(store_account_kind_name(STORE_ACCOUNT_LOCAL),
	    "local");
	assert_int_equal(store_account_kind_parse("pop3", &k), 0);
	assert_int_equal(k, STORE_ACCOUNT_POP3);
	assert_int_equal(store_account_kind_parse("smtp", &k), -1);
}

static void
test_account_delete_keeps_mail_unless_forced(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_account	*a;
	struct err		 err;
	int64_t			 acc, fo, out, empty;

	acc = t_account(s, "pop", STORE_ACCOUNT_POP3);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	t_msg(s, fo, 0, "only@copy", NULL, NULL, 100, "A", "only copy", 0);
	err_clear(&err);
	T_FAILS(store_account_delete(s, acc, false, &err), &err, ERR_USAGE);
	assert_non_null(strstr(err.msg, "1 messages"));
	T_OK(store_account_get(s, acc, &a, &err), &err);
	store_account_free(&a);
	/* An unsent message also holds it. */
	empty = t_account(s, "smtp-only", STORE_ACCOUNT_IMAP);
	T_OK(store_outbox_add(s, empty, "x", 1, "a@b", "c@d", &out, &err),
	    &err);
	T_FAILS(store_account_delete(s, empty, false, &err), &err, ERR_USAGE);
	T_OK(store_outbox_cancel(s, out, &err), &err);
	T_OK(store_account_delete(s, empty, false, &err), &err);
	T_FAILS(store_account_delete(s, empty, false, &err), &err,
	    ERR_NOTFOUND);
	/* Forced: everything of it goes, atomically. */
	T_OK(store_account_delete(s, acc, true, &err), &err);
	T_FAILS(store_account_get(s, acc, &a, &err), &err, ERR_NOTFOUND);
	T_FAILS(store_folder_delete(s, fo, 0, &err), &err, ERR_NOTFOUND);
}

/* ------------------------------------------------------------------ */
/* Folders                                                             */

static enum store_role
role_of(struct store *s, int64_t id)
{
	struct store_folder	*f;
	struct err		 err;
	enum store_role		 r;

	err_clear(&err);
	T_OK(store_folder_get(s, id, &f, &err), &err);
	r = f->role;
	store_folder_free(&f);
	return r;
}

static void
test_folder_roles(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_folder	*fo, *arr;
	struct err		 err;
	enum store_role		 r;
	int64_t			 acc, acc2, inbox, sent, sent2, other, id;
	size_t			 n;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	acc2 = t_account(s, "b", STORE_ACCOUNT_IMAP);
	inbox = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	sent = t_folder(s, acc, "Sent", STORE_ROLE_SENT);
	other = t_folder(s, acc2, "Sent Items", STORE_ROLE_SENT);
	/* ensure is idempotent; NONE keeps a role set before. */
	assert_int_equal(t_folder(s, acc, "Sent", STORE_ROLE_NONE), sent);
	assert_int_equal(role_of(s, sent), STORE_ROLE_SENT);
	/* A role is one folder's per account: it moves. */
	sent2 = t_folder(s, acc, "Terkirim", STORE_ROLE_SENT);
	assert_int_equal(role_of(s, sent2), STORE_ROLE_SENT);
	assert_int_equal(role_of(s, sent), STORE_ROLE_NONE);
	assert_int_equal(role_of(s, other), STORE_ROLE_SENT);
	err_clear(&err);
	T_OK(store_folder_set_role(s, sent, STORE_ROLE_SENT, &err), &err);
	assert_int_equal(role_of(s, sent2), STORE_ROLE_NONE);
	T_OK(store_folder_find_role(s, acc, STORE_ROLE_SENT, &fo, &err),
	    &err);
	assert_int_equal(fo->id, sent);
	assert_string_equal(fo->name, "Sent");
	assert_int_equal(fo->delim, '/');
	assert_int_equal(fo->uidvalidity, 0);
	store_folder_free(&fo);
	T_FAILS(store_folder_find_role(s, acc, STORE_ROLE_JUNK, &fo, &err),
	    &err, ERR_NOTFOUND);
	T_FAILS(store_folder_set_role(s, 999, STORE_ROLE_JUNK, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_folder_set_role(s, sent, (enum store_role)42, &err),
	    &err, ERR_USAGE);
	T_FAILS(store_folder_ensure(s, acc, "", 0, 0, &id, &err), &err,
	    ERR_USAGE);
	T_FAILS(store_folder_ensure(s, 777, "X", 0, 0, &id, &err), &err,
	    ERR_NOTFOUND);
	/* A delimiter learned later is updated. */
	T_OK(store_folder_ensure(s, acc, "INBOX", '.', STORE_ROLE_NONE, &id,
	    &err), &err);
	assert_int_equal(id, inbox);
	T_OK(store_folder_find(s, acc, "INBOX", &fo, &err), &err);
	assert_int_equal(fo->delim, '.');
	assert_int_equal(fo->role, STORE_ROLE_INBOX);
	store_folder_free(&fo);
	T_FAILS(store_folder_find(s, acc2, "INBOX", &fo, &err), &err,
	    ERR_NOTFOUND);
	/* Lists: one account, or all by account then name. */
	T_OK(store_folder_list(s, acc, &arr, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_string_equal(arr[0].name, "INBOX");
	assert_string_equal(arr[2].name, "Terkirim");
	store_folder_list_free(&arr, n);
	T_OK(store_folder_list(s, 0, &arr, &n, &err), &err);
	assert_int_equal(n, 4);
	assert_int_equal(arr[3].account_id, acc2);
	store_folder_list_free(&arr, n);
	assert_string_equal(store_role_name(STORE_ROLE_ARCHIVE), "archive");
	assert_int_equal(store_role_parse("junk", &r), 0);
	assert_int_equal(r, STORE_ROLE_JUNK);
	assert_int_equal(store_role_parse("spam", &r), -1);
}

/*
 * A name from the server is kept as it is, control characters and bidi
 * overrides included (a cleaned name is one the server does not know);
 * display is the same name sanitized; wire, the server's bytes when they
 * are not the name in modified UTF-7, goes with a rename.
 */
static void
test_folder_exact_name(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_folder	*fo, *arr;
	struct err		 err;
	const char		*bidi = "bidi\xe2\x80\xaetxt";
	const char		*ctl = "ctl\x1b]0;owned\x07";
	int64_t			 acc, a, b;
	size_t			 n;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	a = t_folder(s, acc, bidi, STORE_ROLE_NONE);
	b = t_folder(s, acc, ctl, STORE_ROLE_NONE);
	err_clear(&err);
	T_OK(store_folder_set_wire(s, b, ctl, &err), &err);
	T_OK(store_folder_find(s, acc, bidi, &fo, &err), &err);
	assert_int_equal(fo->id, a);
	assert_string_equal(fo->name, bidi);
	assert_string_equal(fo->display, "biditxt");
	assert_null(fo->wire);
	store_folder_free(&fo);
	T_OK(store_folder_list(s, acc, &arr, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_string_equal(arr[1].name, ctl);
	assert_string_equal(arr[1].display, "ctl");
	assert_string_equal(arr[1].wire, ctl);
	store_folder_list_free(&arr, n);
	/* The clean name is another folder. */
	T_FAILS(store_folder_find(s, acc, "ctl", &fo, &err), &err,
	    ERR_NOTFOUND);
	T_OK(store_folder_set_wire(s, b, NULL, &err), &err);
	T_OK(store_folder_get(s, b, &fo, &err), &err);
	assert_null(fo->wire);
	store_folder_free(&fo);
	T_OK(store_folder_set_wire(s, b, ctl, &err), &err);
	T_OK(store_folder_rename(s, b, "Arsip", &err), &err);
	T_OK(store_folder_get(s, b, &fo, &err), &err);
	assert_string_equal(fo->name, "Arsip");
	assert_string_equal(fo->display, "Arsip");
	assert_null(fo->wire);
	store_folder_free(&fo);
}

static void
test_folder_sync_state_rename_delete(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_folder	*fo;
	struct err		 err;
	int64_t			 acc, a, b, m;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	a = t_folder(s, acc, "A", STORE_ROLE_NONE);
	b = t_folder(s, acc, "B", STORE_ROLE_NONE);
	err_clear(&err);
	T_OK(store_folder_set_sync(s, a, 1234567, 99, 4000000000ULL, 1700000000,
	    &err), &err);
	T_OK(store_folder_get(s, a, &fo, &err), &err);
	assert_int_equal(fo->uidvalidity, 1234567);
	assert_int_equal(fo->uidnext, 99);
	assert_true(fo->highestmodseq == 4000000000ULL);
	assert_int_equal(fo->last_sync, 1700000000);
	store_folder_free(&fo);
	/* uidvalidity above 2^31 survives the round trip */
	T_OK(store_folder_set_sync(s, a, 4000000000U, 1, 0, 0, &err), &err);
	T_OK(store_folder_get(s, a, &fo, &err), &err);
	assert_true(fo->uidvalidity == 4000000000U);
	assert_true(fo->last_sync > 1700000000);	/* 0 means now */
	store_folder_free(&fo);
	T_FAILS(store_folder_set_sync(s, 999, 1, 1, 1, 1, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_folder_rename(s, a, "B", &err), &err, ERR_USAGE);
	assert_non_null(strstr(err.msg, "B"));
	T_OK(store_folder_rename(s, a, "A2", &err), &err);
	T_FAILS(store_folder_rename(s, 999, "C", &err), &err, ERR_NOTFOUND);
	T_FAILS(store_folder_rename(s, a, "", &err), &err, ERR_USAGE);
	/* A folder with mail is not deleted by accident. */
	m = t_msg(s, b, 1, "m@x", NULL, NULL, 10, "A", "s", 0);
	T_FAILS(store_folder_delete(s, b, 0, &err), &err, ERR_USAGE);
	{
		struct store_msg *still;

		T_OK(store_message_get(s, m, &still, &err), &err);
		store_msg_free(&still);
	}
	T_OK(store_folder_delete(s, a, 0, &err), &err);
	T_OK(store_folder_delete(s, b, STORE_DELETE_MAIL, &err), &err);
	{
		struct store_msg *gone;

		T_FAILS(store_message_get(s, m, &gone, &err), &err,
		    ERR_NOTFOUND);
	}
	T_FAILS(store_folder_delete(s, b, 0, &err), &err, ERR_NOTFOUND);
}

static void
test_folder_counts_follow_messages(void **state)
{
	struct tfix	*f = *state;
	struct store	*s = f->s;
	struct err	 err;
	int64_t		 acc, in, arch, m1, m2, m3, unread, total, uu;
	struct store_folder *fo;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	in = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	arch = t_folder(s, acc, "Archive", STORE_ROLE_ARCHIVE);
	m1 = t_msg(s, in, 1, NULL, NULL, NULL, 1, "A", "s", 0);
	m2 = t_msg(s, in, 2, NULL, NULL, NULL, 2, "A", "s", STORE_FLAG_SEEN);
	m3 = t_msg(s, in, 3, NULL, NULL, NULL, 3, "A", "s",
	    STORE_FLAG_DELETED);
	assert_int_equal(t_folder_total(s, in, &unread), 3);
	assert_int_equal(unread, 1);	/* \Deleted is not unread */
	T_OK(store_folder_get(s, in, &fo, &err), &err);
	assert_int_equal(fo->size, 1001 + 1002 + 1003);
	store_folder_free(&fo);
	err_clear(&err);
	T_OK(store_message_flags(s, m1, STORE_FLAG_SEEN, 0, &err), &err);
	t_folder_total(s, in, &unread);
	assert_int_equal(unread, 0);
	T_OK(store_message_flags(s, m2, 0, STORE_FLAG_SEEN, &err), &err);
	T_OK(store_message_flags(s, m3, 0, STORE_FLAG_DELETED, &err), &err);
	t_folder_total(s, in, &unread);
	assert_int_equal(unread, 2);
	T_OK(store_message_move(s, m2, arch, 50, &err), &err);
	assert_int_equal(t_folder_total(s, in, &unread), 2);
	assert_int_equal(unread, 1);
	assert_int_equal(t_folder_total(s, arch, &unread), 1);
	assert_int_equal(unread, 1);
	T_OK(store_unified_counts(s, &total, &uu, &err), &err);
	assert_int_equal(total, 2);
	assert_int_equal(uu, 1);
	T_OK(store_message_delete(s, m3, &err), &err);
	assert_int_equal(t_folder_total(s, in, &unread), 1);
	assert_int_equal(unread, 0);
	T_OK(store_folder_get(s, in, &fo, &err), &err);
	assert_int_equal(fo->size, 1001);
	store_folder_free(&fo);
	/* recount agrees with what the triggers kept */
	T_OK(store_folder_recount(s, 0, &err), &err);
	assert_int_equal(t_folder_total(s, in, &unread), 1);
	assert_int_equal(unread, 0);
	assert_int_equal(t_folder_total(s, arch, NULL), 1);
	T_OK(store_folder_clear(s, in, &err), &err);
	assert_int_equal(t_folder_total(s, in, &unread), 0);
	T_OK(store_folder_get(s, in, &fo, &err), &err);
	assert_int_equal(fo->size, 0);
	store_folder_free(&fo);
	assert_int_equal(t_folder_total(s, arch, NULL), 1);
}

static void
test_folder_clear_keeps_local_only_mail(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_msg	*g;
	struct err		 err;
	int64_t			 acc, drafts, draft, synced, *ids;
	size_t			 n;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	drafts = t_folder(s, acc, "Drafts", STORE_ROLE_DRAFTS);
	synced = t_msg(s, drafts, 7, NULL, NULL, NULL, 1, "A", "old", 0);
	/* Written offline, its APPEND still queued: no UID yet. */
	draft = t_msg(s, drafts, 0, NULL, NULL, NULL, 2, "A", "unsent", 0);
	err_clear(&err);
	T_OK(store_body_set(s, draft, "draft", 5, NULL, 0, &err), &err);
	/* UIDVALIDITY changed: the server's copies are fetched again. */
	T_OK(store_folder_clear(s, drafts, &err), &err);
	T_FAILS(store_message_get(s, synced, &g, &err), &err, ERR_NOTFOUND);
	T_OK(store_message_get(s, draft, &g, &err), &err);
	store_msg_free(&g);
	assert_int_equal(t_folder_total(s, drafts, NULL), 1);
	/* What a prefetch still has to fetch: no raw message here. */
	t_msg(s, drafts, 8, NULL, NULL, NULL, 100, "A", "new", 0);
	t_msg(s, drafts, 9, NULL, NULL, NULL, 50, "A", "mid", 0);
	T_OK(store_folder_missing_bodies(s, drafts, 0, 0, &ids, &n, &err),
	    &err);
	assert_int_equal(n, 2);
	free(ids);
	T_OK(store_folder_missing_bodies(s, drafts, 60, 0, &ids, &n, &err),
	    &err);
	assert_int_equal(n, 1);
	free(ids);
	T_OK(store_folder_missing_bodies(s, drafts, 0, 1, &ids, &n, &err),
	    &err);
	assert_int_equal(n, 1);
	{
		struct store_msg *nw;

		T_OK(store_message_get(s, ids[0], &nw, &err), &err);
		assert_string_equal(nw->subject, "new");
		store_msg_free(&nw);
	}
	free(ids);
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static void
test_message_fields_round_trip(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_msg	 m, *g;
	struct err		 err;
	static const char	 hdr[] = "Subject: x\r\nX-Nul: a\0b\r\n\r\n";
	int64_t			 acc, fo, id, id2;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	memset(&m, 0, sizeof m);
	m.folder_id = fo;
	m.uid = 4000000001U;
	m.message_id = (char *)" <abc@example.com> ";
	m.in_reply_to = (char *)"<parent@example.com>";
	m.references = (char *)"<root@example.com> <parent@example.com>";
	m.date = 1700000000;
	m.date_raw = (char *)"Tue, 14 Nov 2023 22:13:20 +0000";
	m.from_name = (char *)"Siti Nurhaliza";
	m.from_addr = (char *)"siti@example.com";
	m.to = (char *)"Budi <budi@example.com>";
	m.cc = (char *)"Ani <ani@example.com>";
	m.subject = (char *)"Rapat besok \xf0\x9f\x93\x85";
	m.flags = STORE_FLAG_SEEN | STORE_FLAG_ANSWERED | 0x100;
	m.keywords = (char *)"$Label1 Penting";
	m.size = 123456;
	m.has_attachments = true;
	m.headers = (char *)hdr;
	m.headers_len = sizeof hdr - 1;
	m.bodystructure = (char *)"(\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1)";
	m.internal_date = 1700000100;
	m.body_state = STORE_BODY_NONE;
	err_clear(&err);
	T_OK(store_message_insert(s, &m, &id, &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->id, id);
	assert_int_equal(g->folder_id, fo);
	assert_true(g->uid == 4000000001U);
	assert_null(g->uidl);
	assert_string_equal(g->message_id, "abc@example.com");
	assert_string_equal(g->in_reply_to, "parent@example.com");
	assert_string_equal(g->references, m.references);
	assert_int_equal(g->date, 1700000000);
	assert_string_equal(g->date_raw, m.date_raw);
	assert_string_equal(g->from_name, m.from_name);
	assert_string_equal(g->from_addr, m.from_addr);
	assert_string_equal(g->to, m.to);
	assert_string_equal(g->cc, m.cc);
	assert_string_equal(g->subject, m.subject);
	assert_int_equal(g->flags, STORE_FLAG_SEEN | STORE_FLAG_ANSWERED);
	assert_string_equal(g->keywords, m.keywords);
	assert_int_equal(g->size, 123456);
	assert_true(g->has_attachments);
	assert_int_equal(g->headers_len, sizeof hdr - 1);
	assert_memory_equal(g->headers, hdr, sizeof hdr - 1);
	assert_string_equal(g->bodystructure, m.bodystructure);
	assert_int_equal(g->internal_date, 1700000100);
	assert_int_equal(g->body_state, STORE_BODY_NONE);
	assert_true(g->created > 0);
	assert_int_equal(g->depth, 2);	/* two references, parent absent */
	store_msg_free(&g);
	assert_null(g);
	store_msg_free(&g);
	/* Lookups by UID, and the bare id. */
	T_OK(store_message_get_uid(s, fo, 4000000001U, &g, &err), &err);
	assert_int_equal(g->id, id);
	store_msg_free(&g);
	T_OK(store_message_id_by_uid(s, fo, 4000000001U, &id2, &err), &err);
	assert_int_equal(id2, id);
	T_FAILS(store_message_id_by_uid(s, fo, 5, &id2, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_message_get_uid(s, fo, 5, &g, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_message_get(s, 999, &g, &err), &err, ERR_NOTFOUND);
	/* Without a Date:, the internal date sorts it. */
	memset(&m, 0, sizeof m);
	m.folder_id = fo;
	m.uid = 7;
	m.internal_date = 1600000000;
	T_OK(store_message_insert(s, &m, &id2, &err), &err);
	T_OK(store_message_get(s, id2, &g, &err), &err);
	assert_int_equal(g->date, 1600000000);
	assert_null(g->subject);
	assert_null(g->headers);
	store_msg_free(&g);
	/* A folder that does not exist. */
	m.folder_id = 999;
	T_FAILS(store_message_insert(s, &m, &id2, &err), &err, ERR_NOTFOUND);
}

static void
test_message_same_uid_twice_is_idempotent(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_msg	 m, *g;
	struct err		 err;
	int64_t			 acc, fo, other, pop, pin, id, id2, unread;
	bool			 existed;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	other = t_folder(s, acc, "Other", STORE_ROLE_NONE);
	id = t_msg(s, fo, 42, "x@y", NULL, NULL, 10, "A", "first", 0);
	/* A resumed sync stores the same batch again. */
	memset(&m, 0, sizeof m);
	m.folder_id = fo;
	m.uid = 42;
	m.subject = (char *)"second";
	err_clear(&err);
	T_OK(store_message_add(s, &m, &id2, &existed, &err), &err);
	assert_true(existed);
	assert_int_equal(id2, id);
	T_OK(store_message_insert(s, &m, &id2, &err), &err);
	assert_int_equal(id2, id);
	assert_int_equal(t_folder_total(s, fo, &unread), 1);
	assert_int_equal(unread, 1);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_string_equal(g->subject, "first");	/* untouched */
	store_msg_free(&g);
	/* Same UID in another folder is another message. */
	m.folder_id = other;
	T_OK(store_message_add(s, &m, &id2, &existed, &err), &err);
	assert_false(existed);
	assert_true(id2 != id);
	/* Inside a caller's batch too, and the batch still commits. */
	T_OK(store_begin(s, &err), &err);
	m.folder_id = fo;
	m.uid = 43;
	T_OK(store_message_insert(s, &m, &id2, &err), &err);
	T_OK(store_message_insert(s, &m, &id, &err), &err);
	assert_int_equal(id, id2);
	T_OK(store_commit(s, &err), &err);
	assert_int_equal(t_folder_total(s, fo, NULL), 2);
	/* POP3: the same UIDL twice in one folder is one message. */
	pop = t_account(s, "p", STORE_ACCOUNT_POP3);
	pin = t_folder(s, pop, "INBOX", STORE_ROLE_INBOX);
	memset(&m, 0, sizeof m);
	m.folder_id = pin;
	m.uidl = (char *)"UID-1";
	T_OK(store_message_add(s, &m, &id, &existed, &err), &err);
	assert_false(existed);
	T_OK(store_message_add(s, &m, &id2, &existed, &err), &err);
	assert_true(existed);
	assert_int_equal(id, id2);
	T_OK(store_message_get_uidl(s, pin, "UID-1", &g, &err), &err);
	assert_int_equal(g->id, id);
	assert_string_equal(g->uidl, "UID-1");
	store_msg_free(&g);
	T_FAILS(store_message_get_uidl(s, pin, "UID-2", &g, &err), &err,
	    ERR_NOTFOUND);
	/* Messages without UID or UIDL (local drafts) never collide. */
	memset(&m, 0, sizeof m);
	m.folder_id = pin;
	T_OK(store_message_add(s, &m, &id, &existed, &err), &err);
	T_OK(store_message_add(s, &m, &id2, &existed, &err), &err);
	assert_false(existed);
	assert_true(id != id2);
	assert_int_equal(t_folder_total(s, pin, NULL), 3);
}

static void
test_message_flags_uids(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_msg	*g;
	struct err		 err;
	uint32_t		*uids, max;
	size_t			 n;
	int64_t			 acc, fo, id, id9;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	err_clear(&err);
	T_OK(store_folder_uid_max(s, fo, &max, &err), &err);
	assert_int_equal(max, 0);
	id = t_msg(s, fo, 5, NULL, NULL, NULL, 1, "A", "s", 0);
	t_msg(s, fo, 3, NULL, NULL, NULL, 1, "A", "s", 0);
	id9 = t_msg(s, fo, 9, NULL, NULL, NULL, 1, "A", "s", 0);
	t_msg(s, fo, 4000000000U, NULL, NULL, NULL, 1, "A", "s", 0);
	t_msg(s, fo, 0, NULL, NULL, NULL, 1, "A", "local", 0);
	T_OK(store_folder_uids(s, fo, 1, 0, &uids, &n, &err), &err);
	assert_int_equal(n, 4);
	assert_int_equal(uids[0], 3);
	assert_int_equal(uids[1], 5);
	assert_int_equal(uids[2], 9);
	assert_true(uids[3] == 4000000000U);
	free(uids);
	T_OK(store_folder_uids(s, fo, 4, 9, &uids, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_int_equal(uids[0], 5);
	free(uids);
	T_OK(store_folder_uids(s, fo, 10, 20, &uids, &n, &err), &err);
	assert_int_equal(n, 0);
	free(uids);
	T_OK(store_folder_uid_max(s, fo, &max, &err), &err);
	assert_true(max == 4000000000U);
	/* Local flag changes: set, then clear. */
	T_OK(store_message_flags(s, id, STORE_FLAG_FLAGGED | STORE_FLAG_SEEN,
	    STORE_FLAG_SEEN, &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->flags, STORE_FLAG_FLAGGED);
	store_msg_free(&g);
	T_FAILS(store_message_flags(s, 999, 1, 0, &err), &err, ERR_NOTFOUND);
	/* The server's flags replace ours; NULL keywords keep them. */
	T_OK(store_message_set_keywords(s, id, "$Work", &err), &err);
	T_OK(store_message_set_flags_uid(s, fo, 5, STORE_FLAG_SEEN, NULL,
	    &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->flags, STORE_FLAG_SEEN);
	assert_string_equal(g->keywords, "$Work");
	store_msg_free(&g);
	T_OK(store_message_set_flags_uid(s, fo, 5, 0, "", &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->flags, 0);
	assert_string_equal(g->keywords, "");
	store_msg_free(&g);
	T_FAILS(store_message_set_flags_uid(s, fo, 6, 0, NULL, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_message_set_keywords(s, 999, "x", &err), &err,
	    ERR_NOTFOUND);
	/* UIDs learned after APPEND; a taken one is refused. */
	T_OK(store_message_set_uid(s, id, 6, &err), &err);
	T_FAILS(store_message_set_uid(s, id, 9, &err), &err, ERR_USAGE);
	assert_non_null(strstr(err.msg, "UID 9"));
	T_OK(store_message_set_uid(s, id, 0, &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->uid, 0);
	store_msg_free(&g);
	T_OK(store_message_delete_uid(s, fo, 9, &err), &err);
	T_FAILS(store_message_get(s, id9, &g, &err), &err, ERR_NOTFOUND);
	T_FAILS(store_message_delete_uid(s, fo, 9, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_message_delete(s, id9, &err), &err, ERR_NOTFOUND);
	T_OK(store_message_set_body_state(s, id, STORE_BODY_PARTIAL, &err),
	    &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->body_state, STORE_BODY_PARTIAL);
	store_msg_free(&g);
}

static size_t
t_hits(struct store *s, const char *text)
{
	struct store_query	 q;
	struct err		 err;
	int64_t			*ids;
	size_t			 n;

	memset(&q, 0, sizeof q);
	q.text = text;
	err_clear(&err);
	T_OK(store_search(s, &q, &ids, &n, &err), &err);
	free(ids);
	return n;
}

/*
 * Search entries of new messages are written at the outermost commit
 * (store/fts.c), once per transaction: each message must have exactly one,
 * also when searched before the commit, after a rollback, for a copy, and
 * when a body's text arrives in the same transaction.
 */
static void
test_search_entries_of_a_transaction(void **state)
{
	struct tfix	*f = *state;
	struct store	*s = f->s, *r;
	struct err	 err;
	int64_t		 acc, in, id, copy;
	int		 i;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	in = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	err_clear(&err);
	T_OK(store_begin(s, &err), &err);
	for (i = 1; i <= 50; i++)
		t_msg(s, in, (uint32_t)i, NULL, NULL, NULL, i, "Ani",
		    "rapat anggaran", 0);
	/* Searched inside the transaction: there already. */
	assert_int_equal(t_hits(s, "anggaran"), 50);
	id = t_msg(s, in, 51, NULL, NULL, NULL, 51, "Ani", "cuti", 0);
	T_OK(store_body_set(s, id, "raw", 3, "tahunan", 7, &err), &err);
	T_OK(store_commit(s, &err), &err);
	/* Another connection sees them: the commit wrote them. */
	T_OK(store_open(f->data, STORE_OPEN_READONLY, "t", &r, &err), &err);
	assert_int_equal(t_hits(r, "anggaran"), 50);
	assert_int_equal(t_hits(r, "cuti"), 1);
	assert_int_equal(t_hits(r, "tahunan"), 1);
	/* Rolled back: no entry, and the next commit writes the rest. */
	T_OK(store_begin(s, &err), &err);
	t_msg(s, in, 52, NULL, NULL, NULL, 52, "Ani", "batal", 0);
	store_rollback(s);
	t_msg(s, in, 53, NULL, NULL, NULL, 53, "Ani", "jadi", 0);
	assert_int_equal(t_hits(r, "batal"), 0);
	assert_int_equal(t_hits(r, "jadi"), 1);
	/* A copy in a transaction takes the body's text along. */
	T_OK(store_begin(s, &err), &err);
	T_OK(store_message_copy(s, id, in, 0, &copy, &err), &err);
	T_OK(store_commit(s, &err), &err);
	assert_int_equal(t_hits(r, "tahunan"), 2);
	assert_int_equal(t_hits(r, "cuti"), 2);
	/* Nested levels: entries once, at the outermost commit. */
	T_OK(store_begin(s, &err), &err);
	T_OK(store_begin(s, &err), &err);
	t_msg(s, in, 60, NULL, NULL, NULL, 60, "Ani", "bersarang", 0);
	T_OK(store_commit(s, &err), &err);
	T_OK(store_commit(s, &err), &err);
	assert_int_equal(t_hits(r, "bersarang"), 1);
	assert_int_equal(t_hits(r, "ani"), 54);
	assert_int_equal(t_hits(s, "ani"), 54);
	store_close(&r);
}

static void
test_message_move_copy_delete(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_msg	*g;
	struct store_query	 q;
	struct buf		 b = BUF_INIT;
	struct err		 err;
	int64_t			 acc, in, arch, id, copy, *ids;
	size_t			 n;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	in = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	arch = t_folder(s, acc, "Archive", STORE_ROLE_ARCHIVE);
	id = t_msg(s, in, 1, "m@x", NULL, NULL, 5, "Ani", "laporan", 0);
	err_clear(&err);
	T_OK(store_body_set(s, id, "raw bytes", 9, "isi kuartalan", 13,
	    &err), &err);
	/* Copy: a new row with body and search text. */
	T_OK(store_message_copy(s, id, arch, 0, &copy, &err), &err);
	assert_true(copy != id);
	T_OK(store_body_get(s, copy, &b, &err), &err);
	assert_string_equal(buf_cstr(&b), "raw bytes");
	buf_reset(&b);
	T_OK(store_message_get(s, copy, &g, &err), &err);
	assert_int_equal(g->folder_id, arch);
	assert_int_equal(g->uid, 0);
	assert_string_equal(g->subject, "laporan");
	assert_int_equal(g->body_state, STORE_BODY_FULL);
	store_msg_free(&g);
	memset(&q, 0, sizeof q);
	q.text = "kuartalan";
	T_OK(store_search(s, &q, &ids, &n, &err), &err);
	assert_int_equal(n, 2);
	free(ids);
	T_FAILS(store_message_copy(s, 999, arch, 0, &copy, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_message_copy(s, id, 999, 0, &copy, &err), &err,
	    ERR_NOTFOUND);
	/* A copy to a UID the folder already has is refused, whole. */
	T_OK(store_message_set_uid(s, copy, 77, &err), &err);
	T_FAILS(store_message_copy(s, id, arch, 77, &copy, &err), &err,
	    ERR_USAGE);
	assert_int_equal(t_folder_total(s, arch, NULL), 1);
	/* Move keeps the id and the body. */
	T_OK(store_message_move(s, id, arch, 78, &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->folder_id, arch);
	assert_int_equal(g->uid, 78);
	store_msg_free(&g);
	T_OK(store_body_get(s, id, &b, &err), &err);
	assert_string_equal(buf_cstr(&b), "raw bytes");
	buf_reset(&b);
	T_FAILS(store_message_move(s, id, arch, 77, &err), &err, ERR_USAGE);
	T_FAILS(store_message_move(s, id, 999, 0, &err), &err, ERR_NOTFOUND);
	T_FAILS(store_message_move(s, 999, arch, 0, &err), &err,
	    ERR_NOTFOUND);
	/* Delete takes body and search entry along. */
	T_OK(store_message_delete(s, id, &err), &err);
	T_FAILS(store_body_get(s, id, &b, &err), &err, ERR_NOTFOUND);
	T_OK(store_search(s, &q, &ids, &n, &err), &err);
	assert_int_equal(n, 1);
	free(ids);
	/* A message with parts only: the copy has them too, and deleting
	 * the original takes its own along. */
	id = t_msg(s, in, 2, "p@x", NULL, NULL, 5, "Ani", "lampiran", 0);
	T_OK(store_part_set(s, id, "2", "PDF", 3, &err), &err);
	T_OK(store_message_copy(s, id, arch, 0, &copy, &err), &err);
	T_OK(store_part_get(s, copy, "2", &b, &err), &err);
	assert_string_equal(buf_cstr(&b), "PDF");
	buf_reset(&b);
	T_OK(store_message_get(s, copy, &g, &err), &err);
	assert_int_equal(g->body_state, STORE_BODY_PARTIAL);
	store_msg_free(&g);
	T_OK(store_message_delete(s, id, &err), &err);
	T_FAILS(store_part_get(s, id, "2", &b, &err), &err, ERR_NOTFOUND);
	T_OK(store_part_get(s, copy, "2", &b, &err), &err);
	buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Bodies                                                              */

static int
count_chunks(void *arg, const void *data, size_t len)
{
	size_t	*n = arg;

	(void)data;
	assert_true(len <= 256 * 1024);
	(*n)++;
	return 0;
}

static int
stop_at_first(void *arg, const void *data, size_t len)
{
	(void)arg;
	(void)data;
	(void)len;
	return 7;
}

static void
test_body_set_replace_sizes(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_msg	*g;
	struct buf		 b = BUF_INIT;
	struct err		 err;
	int64_t			 acc, fo, id, size;
	char			*big;
	size_t			 i, bigsz = 600 * 1024 + 17, chunks = 0;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	id = t_msg(s, fo, 1, NULL, NULL, NULL, 5, "A", "s", 0);
	err_clear(&err);
	T_FAILS(store_body_get(s, id, &b, &err), &err, ERR_NOTFOUND);
	T_FAILS(store_body_size(s, id, &size, &err), &err, ERR_NOTFOUND);
	big = xmalloc(bigsz);
	for (i = 0; i < bigsz; i++)
		big[i] = (char)(i * 31 + i / 1000);
	T_OK(store_body_set(s, id, big, bigsz, NULL, 0, &err), &err);
	T_OK(store_body_size(s, id, &size, &err), &err);
	assert_int_equal(size, bigsz);
	T_OK(store_body_get(s, id, &b, &err), &err);
	assert_int_equal(b.len, bigsz);
	assert_memory_equal(b.data, big, bigsz);
	T_OK(store_body_read(s, id, count_chunks, &chunks, &err), &err);
	assert_int_equal(chunks, 3);
	assert_int_equal(store_body_read(s, id, stop_at_first, NULL, &err),
	    7);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->body_state, STORE_BODY_FULL);
	store_msg_free(&g);
	/* Replaced by a shorter one: no bytes of the old remain. */
	T_OK(store_body_set(s, id, "short", 5, NULL, 0, &err), &err);
	buf_reset(&b);
	T_OK(store_body_get(s, id, &b, &err), &err);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "short", 5);
	T_OK(store_body_size(s, id, &size, &err), &err);
	assert_int_equal(size, 5);
	/* An empty message is still a body. */
	T_OK(store_body_set(s, id, NULL, 0, NULL, 0, &err), &err);
	T_OK(store_body_size(s, id, &size, &err), &err);
	assert_int_equal(size, 0);
	/* Dropping it makes the message headers-only again. */
	T_OK(store_body_drop(s, id, &err), &err);
	T_FAILS(store_body_size(s, id, &size, &err), &err, ERR_NOTFOUND);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->body_state, STORE_BODY_NONE);
	store_msg_free(&g);
	T_FAILS(store_body_set(s, 999, "x", 1, NULL, 0, &err), &err,
	    ERR_NOTFOUND);
	T_FAILS(store_body_drop(s, 999, &err), &err, ERR_NOTFOUND);
	assert_int_equal(store_in_transaction(s), 0);
	free(big);
	buf_free(&b);
}

static void
test_body_streaming_writer(void **state)
{
	struct tfix			*f = *state;
	struct store			*s = f->s;
	struct store_body_writer	*w, *w2;
	struct store_query		 q;
	struct buf			 b = BUF_INIT, want = BUF_INIT;
	struct err			 err;
	int64_t				 acc, fo, id, *ids;
	size_t				 i, n;
	char				 piece[1000];

	acc = t_account(s, "a", STORE_ACCOUNT_POP3);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	id = t_msg(s, fo, 0, NULL, NULL, NULL, 5, "A", "s", 0);
	err_clear(&err);
	T_OK(store_body_set(s, id, "old body", 8, "lama", 4, &err), &err);
	/* Odd-sized writes across chunk boundaries. */
	T_OK(store_body_write_begin(s, id, &w, &err), &err);
	T_FAILS(store_body_write_begin(s, id, &w2, &err), &err,
	    ERR_INTERNAL);
	for (i = 0; i < 700; i++) {
		memset(piece, 'a' + (int)(i % 26), sizeof piece);
		T_OK(store_body_write(w, piece, i % 997 + 1, &err), &err);
		buf_add(&want, piece, i % 997 + 1);
	}
	/* Nothing is visible to another connection before commit. */
	{
		struct store	*other;
		struct buf	 ob = BUF_INIT;

		T_OK(store_open_more(s, &other, &err), &err);
		T_OK(store_body_get(other, id, &ob, &err), &err);
		assert_string_equal(buf_cstr(&ob), "old body");
		buf_free(&ob);
		store_close(&other);
	}
	T_OK(store_body_write_commit(&w, "baru sekali", 11, &err), &err);
	assert_null(w);
	T_OK(store_body_get(s, id, &b, &err), &err);
	assert_int_equal(b.len, want.len);
	assert_memory_equal(b.data, want.data, want.len);
	memset(&q, 0, sizeof q);
	q.text = "baru";
	T_OK(store_search(s, &q, &ids, &n, &err), &err);
	assert_int_equal(n, 1);
	free(ids);
	q.text = "lama";
	T_OK(store_search(s, &q, &ids, &n, &err), &err);
	assert_int_equal(n, 0);
	free(ids);
	/* An aborted write leaves the previous body. */
	T_OK(store_body_write_begin(s, id, &w, &err), &err);
	T_OK(store_body_write(w, "partial", 7, &err), &err);
	store_body_write_abort(&w);
	assert_null(w);
	store_body_write_abort(&w);
	buf_reset(&b);
	T_OK(store_body_get(s, id, &b, &err), &err);
	assert_int_equal(b.len, want.len);
	assert_int_equal(store_in_transaction(s), 0);
	/* Inside a caller's transaction, rolled back with it. */
	T_OK(store_begin(s, &err), &err);
	T_OK(store_body_write_begin(s, id, &w, &err), &err);
	T_OK(store_body_write(w, "x", 1, &err), &err);
	T_OK(store_body_write_commit(&w, NULL, 0, &err), &err);
	store_rollback(s);
	buf_reset(&b);
	T_OK(store_body_get(s, id, &b, &err), &err);
	assert_int_equal(b.len, want.len);
	T_FAILS(store_body_write_begin(s, 999, &w, &err), &err,
	    ERR_NOTFOUND);
	assert_null(w);
	assert_int_equal(store_in_transaction(s), 0);
	buf_free(&b);
	buf_free(&want);
}

static void
test_body_parts(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_msg	*g;
	struct buf		 b = BUF_INIT;
	struct err		 err;
	int64_t			 acc, fo, id;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	id = t_msg(s, fo, 1, NULL, NULL, NULL, 5, "A", "s", 0);
	err_clear(&err);
	T_FAILS(store_part_get(s, id, "1", &b, &err), &err, ERR_NOTFOUND);
	T_OK(store_part_set(s, id, "1", "hello", 5, &err), &err);
	T_OK(store_part_set(s, id, "1.2", "\0bin\0", 5, &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->body_state, STORE_BODY_PARTIAL);
	store_msg_free(&g);
	T_OK(store_part_set(s, id, "1", "bye", 3, &err), &err);
	T_OK(store_part_get(s, id, "1", &b, &err), &err);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "bye", 3);
	buf_reset(&b);
	T_OK(store_part_get(s, id, "1.2", &b, &err), &err);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "\0bin\0", 5);
	T_FAILS(store_part_set(s, id, "", "x", 1, &err), &err, ERR_USAGE);
	T_FAILS(store_part_set(s, 999, "1", "x", 1, &err), &err,
	    ERR_NOTFOUND);
	/* The whole body replaces the parts; a part arriving after it is
	 * not kept (the body stays full); dropping the body leaves none. */
	T_OK(store_body_set(s, id, "whole", 5, NULL, 0, &err), &err);
	T_FAILS(store_part_get(s, id, "1", &b, &err), &err, ERR_NOTFOUND);
	T_FAILS(store_part_get(s, id, "1.2", &b, &err), &err, ERR_NOTFOUND);
	T_OK(store_part_set(s, id, "2", "x", 1, &err), &err);
	T_FAILS(store_part_get(s, id, "2", &b, &err), &err, ERR_NOTFOUND);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->body_state, STORE_BODY_FULL);
	store_msg_free(&g);
	T_OK(store_body_drop(s, id, &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->body_state, STORE_BODY_NONE);
	store_msg_free(&g);
	/* Parts alone: dropping the (absent) body leaves them. */
	T_OK(store_part_set(s, id, "2", "x", 1, &err), &err);
	T_OK(store_body_drop(s, id, &err), &err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	assert_int_equal(g->body_state, STORE_BODY_PARTIAL);
	store_msg_free(&g);
	T_OK(store_message_index_text(s, id, "teks bagian", 11, &err), &err);
	T_FAILS(store_message_index_text(s, 999, "x", 1, &err), &err,
	    ERR_NOTFOUND);
	buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */

static struct store_msg *
get(struct store *s, int64_t id)
{
	struct store_msg	*g;
	struct err		 err;

	err_clear(&err);
	T_OK(store_message_get(s, id, &g, &err), &err);
	return g;
}

static int64_t
tid_of(struct store *s, int64_t id, int *depth_r)
{
	struct store_msg	*g = get(s, id);
	int64_t			 t = g->thread_id;

	if (depth_r != NULL)
		*depth_r = g->depth;
	store_msg_free(&g);
	return t;
}

static void
test_thread_parent_first(void **state)
{
	struct tfix	*f = *state;
	struct store	*s = f->s;
	int64_t		 acc, fo, root, r1, r2, other;
	int		 d;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	root = t_msg(s, fo, 1, "<root@x>", NULL, NULL, 100, "A", "Rapat", 0);
	r1 = t_msg(s, fo, 2, "<r1@x>", "<root@x>", "<root@x>", 200, "B",
	    "Re: Rapat", 0);
	r2 = t_msg(s, fo, 3, "<r2@x>", "<r1@x>", "<root@x> <r1@x>", 300, "A",
	    "Re: Re: Rapat", 0);
	other = t_msg(s, fo, 4, "<o@x>", NULL, NULL, 150, "C", "Rapat", 0);
	assert_int_equal(tid_of(s, r1, &d), tid_of(s, root, NULL));
	assert_int_equal(d, 1);
	assert_int_equal(tid_of(s, r2, &d), tid_of(s, root, NULL));
	assert_int_equal(d, 2);
	tid_of(s, root, &d);
	assert_int_equal(d, 0);
	/* The same subject alone does not thread. */
	assert_true(tid_of(s, other, NULL) != tid_of(s, root, NULL));
}

static void
test_thread_replies_before_parent(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_msg	*g;
	int64_t			 acc, fo, r2, r1, root, x;
	int			 d;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	/* The grandchild first, knowing only its parent (no References). */
	r2 = t_msg(s, fo, 1, "<r2@x>", "<r1@x>", NULL, 300, "A", "Re: x", 0);
	tid_of(s, r2, &d);
	assert_int_equal(d, 1);
	/* Then the child, with the whole chain. */
	r1 = t_msg(s, fo, 2, "<r1@x>", "<root@x>", "<root@x>", 200, "B",
	    "Re: x", 0);
	assert_int_equal(tid_of(s, r1, &d), tid_of(s, r2, NULL));
	assert_int_equal(d, 1);
	tid_of(s, r2, &d);
	assert_int_equal(d, 2);	/* fixed below its parent */
	/* The root last, older than both: it becomes the thread's date. */
	root = t_msg(s, fo, 3, "<root@x>", NULL, NULL, 100, "A", "x", 0);
	assert_int_equal(tid_of(s, root, &d), tid_of(s, r1, NULL));
	assert_int_equal(d, 0);
	g = get(s, r2);
	assert_int_equal(g->date, 300);
	store_msg_free(&g);
	/* Another copy (same Message-ID, another folder) joins too. */
	x = t_folder(s, acc, "Archive", STORE_ROLE_ARCHIVE);
	x = t_msg(s, x, 1, "<r1@x>", "<root@x>", "<root@x>", 200, "B",
	    "Re: x", 0);
	assert_int_equal(tid_of(s, x, &d), tid_of(s, root, NULL));
	assert_int_equal(d, 1);
}

static void
test_thread_merge_and_root_date(void **state)
{
	struct tfix	*f = *state;
	struct store	*s = f->s;
	struct store_sort so = { STORE_SORT_DATE, false, true };
	struct store_row *rows;
	struct err	 err;
	int64_t		 acc, fo, a, b, c;
	size_t		 n;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	/* Two replies to an absent root, each its own thread so far... */
	a = t_msg(s, fo, 1, "<a@x>", "<p1@x>", NULL, 500, "A", "one", 0);
	b = t_msg(s, fo, 2, "<b@x>", "<p2@x>", NULL, 400, "B", "two", 0);
	assert_true(tid_of(s, a, NULL) != tid_of(s, b, NULL));
	/* ... until a message names both parents: one thread. */
	c = t_msg(s, fo, 3, "<c@x>", "<p2@x>", "<p1@x> <p2@x>", 50, "C",
	    "three", 0);
	assert_int_equal(tid_of(s, a, NULL), tid_of(s, b, NULL));
	assert_int_equal(tid_of(s, c, NULL), tid_of(s, a, NULL));
	/* The threaded index puts them together, oldest first, and the
	 * thread's date (for its place) is its oldest message's. */
	t_msg(s, fo, 4, "<lone@x>", NULL, NULL, 300, "D", "lone", 0);
	err_clear(&err);
	T_OK(store_index_page(s, fo, &so, NULL, STORE_PAGE_FORWARD, 10,
	    &rows, &n, &err), &err);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].id, c);
	assert_int_equal(rows[1].id, b);
	assert_int_equal(rows[2].id, a);
	assert_string_equal(rows[3].subject, "lone");
	assert_int_equal(rows[0].cursor.k1, 50);
	assert_int_equal(rows[2].cursor.k1, 50);
	store_rows_free(&rows, n);
}

static void
test_thread_hostile_references(void **state)
{
	struct tfix	*f = *state;
	struct store	*s = f->s;
	struct buf	 refs = BUF_INIT;
	int64_t		 acc, fo, id, loop1, loop2;
	int		 i, d;

	acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	fo = t_folder(s, acc, "INBOX", STORE_ROLE_INBOX);
	/* Thousands of references: capped, no error. */
	for (i = 0; i < 5000; i++)
		buf_addf(&refs, "<r%d@x> ", i);
	id = t_msg(s, fo, 1, "<big@x>", NULL, buf_cstr(&refs), 1, "A", "s",
	    0);
	tid_of(s, id, &d);
	assert_true(d <= 32);
	/* A reply loop ends. */
	loop1 = t_msg(s, fo, 2, "<l1@x>", "<l2@x>", NULL, 1, "A", "s", 0);
	loop2 = t_msg(s, fo, 3, "<l2@x>", "<l1@x>", NULL, 1, "A", "s", 0);
	assert_int_equal(tid_of(s, loop1, NULL), tid_of(s, loop2, NULL));
	tid_of(s, loop1, &d);
	assert_true(d <= 32);
	/* Junk ids are ignored. */
	t_msg(s, fo, 4, "<>", "<>", "  <> , ", 1, "A", "s", 0);
	buf_free(&refs);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, t_setup, t_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_account_crud),
		T(test_account_delete_keeps_mail_unless_forced),
		T(test_folder_roles),
		T(test_folder_exact_name),
		T(test_folder_sync_state_rename_delete),
		T(test_folder_counts_follow_messages),
		T(test_folder_clear_keeps_local_only_mail),
		T(test_message_fields_round_trip),
		T(test_message_same_uid_twice_is_idempotent),
		T(test_message_flags_uids),
		T(test_message_move_copy_delete),
	T(test_search_entries_of_a_transaction),
		T(test_body_set_replace_sizes),
		T(test_body_streaming_writer),
		T(test_body_parts),
		T(test_thread_parent_first),
		T(test_thread_replies_before_parent),
		T(test_thread_merge_and_root_date),
		T(test_thread_hostile_references),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
