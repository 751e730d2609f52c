/*
 * Unit tests for src/store, part three: keyset paging of the index
 * (every sort order, both directions, positions, stability while mail
 * arrives and goes, the unified inbox) checked against an order computed
 * here independently, and FTS5 search.
 */
#include "config.h"

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "teststore.h"
#include "store/internal.h"
#include "util/buf.h"

#define NMSG	600

/* What the test knows about each message it stored. */
struct ref {
	int64_t	id;
	int64_t	date;
	int64_t	size;
	char	from[32];	/* already a sort key: lower case */
	char	subj[32];	/* the key: without "Re: " */
	int64_t	thread;
	int64_t	tdate;
};

struct pfix {
	struct tfix	*t;
	int64_t		 acc, folder;
	struct ref	 refs[NMSG + 64];
	size_t		 n;
	uint32_t	 seed;
};

static uint32_t
rnd(struct pfix *p)
{
	p->seed = p->seed * 1103515245u + 12345u;
	return (p->seed >> 8) & 0xffffff;
}

static void
add_one(struct pfix *p, uint32_t uid, int64_t date)
{
	struct ref	*r = &p->refs[p->n];
	char		 subject[48], msgid[32], parent[32];
	bool		 reply;
	int		 topic;

	/* Few distinct values, so every sort has many ties. */
	r->date = date;
	snprintf(r->from, sizeof r->from, "sender%02u", rnd(p) % 23);
	topic = (int)(rnd(p) % 31);
	reply = rnd(p) % 3 == 0 && uid > 10;
	snprintf(r->subj, sizeof r->subj, "topik %02d", topic);
	snprintf(subject, sizeof subject, "%s%s", reply ? "Re: " : "",
	    r->subj);
	snprintf(msgid, sizeof msgid, "<m%u@x>", uid);
	snprintf(parent, sizeof parent, "<m%u@x>", uid - 1 - rnd(p) % 10);
	r->id = t_msg(p->t->s, p->folder, uid, msgid, reply ? parent : NULL,
	    NULL, date, r->from, subject, rnd(p) % 2 ? STORE_FLAG_SEEN : 0);
	/* t_msg's size is 1000 + uid: ties come from a second pass */
	{
		struct store_msg *g;
		struct err err;

		err_clear(&err);
		T_OK(store_message_get(p->t->s, r->id, &g, &err), &err);
		r->size = g->size;
		r->thread = g->thread_id;
		store_msg_free(&g);
	}
	p->n++;
}

/* Thread dates as the store defines them: the oldest message's. */
static void
refresh_threads(struct pfix *p)
{
	struct store_msg	*g;
	struct err		 err;
	size_t			 i, j;

	err_clear(&err);
	for (i = 0; i < p->n; i++) {
		T_OK(store_message_get(p->t->s, p->refs[i].id, &g, &err),
		    &err);
		p->refs[i].thread = g->thread_id;
		store_msg_free(&g);
	}
	for (i = 0; i < p->n; i++) {
		p->refs[i].tdate = p->refs[i].date;
		for (j = 0; j < p->n; j++) {
			if (p->refs[j].thread == p->refs[i].thread &&
			    p->refs[j].date < p->refs[i].tdate)
				p->refs[i].tdate = p->refs[j].date;
		}
	}
}

static int
pfix_setup(void **state)
{
	struct pfix	*p = xcalloc(1, sizeof *p);
	struct err	 err;
	size_t		 i;

	p->t = t_fix_new(true);
	p->seed = 42;
	p->acc = t_account(p->t->s, "a", STORE_ACCOUNT_IMAP);
	p->folder = t_folder(p->t->s, p->acc, "INBOX", STORE_ROLE_INBOX);
	err_clear(&err);
	T_OK(store_begin(p->t->s, &err), &err);
	for (i = 0; i < NMSG; i++)
		add_one(p, (uint32_t)i + 1, 1700000000 + (rnd(p) % 97) * 60);
	T_OK(store_commit(p->t->s, &err), &err);
	refresh_threads(p);
	*state = p;
	return 0;
}

static int
pfix_teardown(void **state)
{
	struct pfix	*p = *state;

	t_teardown((void **)&p->t);
	free(p);
	return 0;
}

static const struct store_sort *sort_for_qsort;

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int
cmp_ref(const void *va, const void *vb)
{
	const struct ref	*a = va, *b = vb;
	const struct store_sort	*so = sort_for_qsort;
	int			 sign = so->desc ? -1 : 1, c;

	if (so->threaded) {
		if (a->tdate != b->tdate)
			return sign * (a->tdate < b->tdate ? -1 : 1);
		if (a->thread != b->thread)
			return sign * (a->thread < b->thread ? -1 : 1);
		CMP(a->date, b->date);
		CMP(a->id, b->id);
		return 0;
	}
	switch (so->key) {
	case STORE_SORT_FROM:
		if ((c = strcmp(a->from, b->from)) != 0)
			return sign * c;
		if (a->date != b->date)
			return sign * (a->date < b->date ? -1 : 1);
		break;
	case STORE_SORT_SUBJECT:
		if ((c = strcmp(a->subj, b->subj)) != 0)
			return sign * c;
		if (a->date != b->date)
			return sign * (a->date < b->date ? -1 : 1);
		break;
	case STORE_SORT_SIZE:
		if (a->size != b->size)
			return sign * (a->size < b->size ? -1 : 1);
		break;
	default:
		if (a->date != b->date)
			return sign * (a->date < b->date ? -1 : 1);
		break;
	}
	if (a->id != b->id)
		return sign * (a->id < b->id ? -1 : 1);
	return 0;
}

/* The expected order of ids; caller frees. */
static int64_t *
oracle(struct pfix *p, const struct store_sort *so)
{
	struct ref	*copy = xmalloc(p->n * sizeof *copy);
	int64_t		*ids = xmalloc(p->n * sizeof *ids);
	size_t		 i;

	memcpy(copy, p->refs, p->n * sizeof *copy);
	sort_for_qsort = so;
	qsort(copy, p->n, sizeof *copy, cmp_ref);
	for (i = 0; i < p->n; i++)
		ids[i] = copy[i].id;
	free(copy);
	return ids;
}

/* Every row, page by page, in one direction; returns how many. */
static size_t
walk(struct store *s, int64_t folder, const struct store_sort *so, int dir,
    size_t pagesz, int64_t *out, size_t max)
{
	struct store_cursor	 cur;
	struct store_row	*rows;
	struct err		 err;
	size_t			 n, total = 0, i;
	bool			 first = true;

	err_clear(&err);
	for (;;) {
		T_OK(store_index_page(s, folder, so, first ? NULL : &cur, dir,
		    pagesz, &rows, &n, &err), &err);
		if (n == 0) {
			assert_null(rows);
			break;
		}
		assert_true(n <= pagesz);
		for (i = 0; i < n; i++) {
			size_t k = dir > 0 ? i : n - 1 - i;

			assert_true(total < max);
			out[total++] = rows[k].id;
		}
		/* The next page starts past the far end of this one. */
		cur = rows[dir > 0 ? n - 1 : 0].cursor;
		store_rows_free(&rows, n);
		first = false;
	}
	return total;
}

static void
check_sort(struct pfix *p, const struct store_sort *so)
{
	int64_t		*want = oracle(p, so);
	int64_t		*got = xcalloc(p->n + 1, sizeof *got);
	struct err	 err;
	size_t		 n, i, pos;

	/* Forward, with an awkward page size. */
	n = walk(p->t->s, p->folder, so, STORE_PAGE_FORWARD, 37, got,
	    p->n + 1);
	assert_int_equal(n, p->n);
	for (i = 0; i < n; i++) {
		if (got[i] != want[i])
			fail_msg("sort key %d desc %d threaded %d: row %zu is "
			    "%lld, want %lld", so->key, so->desc, so->threaded,
			    i, (long long)got[i], (long long)want[i]);
	}
	/* Backward from the end gives the same rows, end first. */
	n = walk(p->t->s, p->folder, so, STORE_PAGE_BACKWARD, 41, got,
	    p->n + 1);
	assert_int_equal(n, p->n);
	for (i = 0; i < n; i++)
		assert_int_equal(got[i], want[p->n - 1 - i]);
	/* Positions agree. */
	err_clear(&err);
	for (i = 0; i < p->n; i += 53) {
		T_OK(store_index_position(p->t->s, p->folder, so, want[i],
		    &pos, &err), &err);
		assert_int_equal(pos, i);
	}
	free(want);
	free(got);
}

static void
test_page_every_sort(void **state)
{
	struct pfix		*p = *state;
	struct store_sort	 so;
	int			 key, desc, thr;

	for (thr = 0; thr < 2; thr++)
		for (key = STORE_SORT_DATE; key <= STORE_SORT_SIZE; key++)
			for (desc = 0; desc < 2; desc++) {
				if (thr && key != STORE_SORT_DATE)
					continue;	/* key ignored */
				so.key = (enum store_sort_key)key;
				so.desc = desc;
				so.threaded = thr;
				check_sort(p, &so);
			}
}

static void
test_page_around_a_message(void **state)
{
	struct pfix		*p = *state;
	struct store_sort	 so = { STORE_SORT_FROM, true, false };
	struct store_cursor	 c;
	struct store_row	*rows;
	struct err		 err;
	int64_t			*want = oracle(p, &so);
	size_t			 n, i, mid = p->n / 2;

	err_clear(&err);
	T_OK(store_index_cursor(p->t->s, want[mid], &so, &c, &err), &err);
	T_OK(store_index_page(p->t->s, p->folder, &so, &c,
	    STORE_PAGE_FORWARD, 10, &rows, &n, &err), &err);
	assert_int_equal(n, 10);
	for (i = 0; i < n; i++)
		assert_int_equal(rows[i].id, want[mid + 1 + i]);
	store_rows_free(&rows, n);
	T_OK(store_index_page(p->t->s, p->folder, &so, &c,
	    STORE_PAGE_BACKWARD, 10, &rows, &n, &err), &err);
	assert_int_equal(n, 10);
	/* Backward pages come in sort order too, ending next to c. */
	for (i = 0; i < n; i++)
		assert_int_equal(rows[i].id, want[mid - 10 + i]);
	store_rows_free(&rows, n);
	/* Near the start a backward page is short. */
	T_OK(store_index_cursor(p->t->s, want[3], &so, &c, &err), &err);
	T_OK(store_index_page(p->t->s, p->folder, &so, &c,
	    STORE_PAGE_BACKWARD, 10, &rows, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, want[0]);
	store_rows_free(&rows, n);
	/* Limits: 0 gives nothing, huge is capped. */
	T_OK(store_index_page(p->t->s, p->folder, &so, NULL,
	    STORE_PAGE_FORWARD, 0, &rows, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_null(rows);
	T_OK(store_index_page(p->t->s, p->folder, &so, NULL,
	    STORE_PAGE_FORWARD, 100000, &rows, &n, &err), &err);
	assert_int_equal(n, STORE_PAGE_MAX < p->n ? STORE_PAGE_MAX : p->n);
	store_rows_free(&rows, n);
	T_FAILS(store_index_cursor(p->t->s, 99999, &so, &c, &err), &err,
	    ERR_NOTFOUND);
	T_OK(store_index_count(p->t->s, p->folder, &n, &err), &err);
	assert_int_equal(n, p->n);
	T_FAILS(store_index_count(p->t->s, 999, &n, &err), &err,
	    ERR_NOTFOUND);
	free(want);
}

static void
test_page_row_fields(void **state)
{
	struct pfix		*p = *state;
	struct store_sort	 so = { STORE_SORT_DATE, false, true };
	struct store_row	*rows;
	struct store_msg	*g;
	struct err		 err;
	size_t			 n, i;
	bool			 deep = false;

	err_clear(&err);
	T_OK(store_index_page(p->t->s, p->folder, &so, NULL,
	    STORE_PAGE_FORWARD, STORE_PAGE_MAX, &rows, &n, &err), &err);
	for (i = 0; i < n; i++) {
		T_OK(store_message_get(p->t->s, rows[i].id, &g, &err), &err);
		assert_int_equal(rows[i].folder_id, p->folder);
		assert_int_equal(rows[i].date, g->date);
		assert_string_equal(rows[i].from, g->from_name);
		assert_string_equal(rows[i].from_addr, g->from_addr);
		assert_string_equal(rows[i].subject, g->subject);
		assert_int_equal(rows[i].flags, g->flags);
		assert_int_equal(rows[i].size, g->size);
		assert_int_equal(rows[i].thread_id, g->thread_id);
		assert_int_equal(rows[i].depth, g->depth);
		if (g->depth > 0)
			deep = true;
		store_msg_free(&g);
	}
	assert_true(deep);
	store_rows_free(&rows, n);
	/* Without a display name the address stands in. */
	{
		struct store_msg m;
		int64_t id, fo;

		fo = t_folder(p->t->s, p->acc, "Other", STORE_ROLE_NONE);
		memset(&m, 0, sizeof m);
		m.folder_id = fo;
		m.from_addr = (char *)"only@addr.example";
		T_OK(store_message_insert(p->t->s, &m, &id, &err), &err);
		so.threaded = false;
		T_OK(store_index_page(p->t->s, fo, &so, NULL,
		    STORE_PAGE_FORWARD, 5, &rows, &n, &err), &err);
		assert_int_equal(n, 1);
		assert_string_equal(rows[0].from, "only@addr.example");
		assert_string_equal(rows[0].subject, "");
		store_rows_free(&rows, n);
	}
}

/*
 * The screen keeps its cursor while the sync adds and removes mail: the
 * next page starts right after the last row shown, even when that row
 * itself was deleted meanwhile.
 */
static void
test_page_stable_while_mail_changes(void **state)
{
	struct pfix		*p = *state;
	struct store_sort	 sorts[] = {
		{ STORE_SORT_DATE, true, false },
		{ STORE_SORT_SUBJECT, false, false },
		{ STORE_SORT_SIZE, true, false },
		{ STORE_SORT_DATE, true, true },
	};
	struct store_cursor	 c;
	struct store_row	*rows;
	struct err		 err;
	struct ref		 gone, *r;
	int64_t			*want, shown;
	size_t			 n, k, i, j, idx, before;
	uint32_t		 uid = 5000;

	err_clear(&err);
	for (k = 0; k < sizeof sorts / sizeof sorts[0]; k++) {
		T_OK(store_index_page(p->t->s, p->folder, &sorts[k], NULL,
		    STORE_PAGE_FORWARD, 50, &rows, &n, &err), &err);
		assert_int_equal(n, 50);
		c = rows[49].cursor;
		shown = rows[49].id;
		store_rows_free(&rows, n);
		/* Its values then (a thread's date may move later). */
		for (i = 0; i < p->n && p->refs[i].id != shown; i++)
			;
		assert_true(i < p->n);
		gone = p->refs[i];
		/* New mail on both sides of the cursor, in every sort. */
		before = p->n;
		for (i = 0; i < 10; i++)
			add_one(p, uid++, 1700000000 + (int64_t)(rnd(p) %
			    97) * 60);
		assert_int_equal(p->n, before + 10);
		/* The row last shown goes away. */
		T_OK(store_message_delete(p->t->s, shown, &err), &err);
		for (i = 0; i < p->n && p->refs[i].id != shown; i++)
			;
		assert_true(i < p->n);
		p->refs[i] = p->refs[--p->n];
		refresh_threads(p);
		want = oracle(p, &sorts[k]);
		sort_for_qsort = &sorts[k];
		/* Whatever now sorts after the cursor's place, in order. */
		for (idx = 0; idx < p->n; idx++) {
			for (j = 0, r = NULL; j < p->n; j++)
				if (p->refs[j].id == want[idx])
					r = &p->refs[j];
			assert_non_null(r);
			if (cmp_ref(r, &gone) > 0)
				break;
		}
		assert_true(idx >= 40 && idx + 20 <= p->n);
		T_OK(store_index_page(p->t->s, p->folder, &sorts[k], &c,
		    STORE_PAGE_FORWARD, 20, &rows, &n, &err), &err);
		assert_int_equal(n, 20);
		for (i = 0; i < n; i++) {
			if (rows[i].id != want[idx + i])
				fail_msg("sort %zu: row %zu is %lld, want "
				    "%lld", k, i, (long long)rows[i].id,
				    (long long)want[idx + i]);
		}
		store_rows_free(&rows, n);
		/* Backward from the same cursor: what sorts before it. */
		T_OK(store_index_page(p->t->s, p->folder, &sorts[k], &c,
		    STORE_PAGE_BACKWARD, 20, &rows, &n, &err), &err);
		assert_int_equal(n, 20);
		for (i = 0; i < n; i++)
			assert_int_equal(rows[i].id, want[idx - 20 + i]);
		store_rows_free(&rows, n);
		free(want);
	}
}

static void
test_page_unified_inbox(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_sort	 so;
	struct err		 err;
	int64_t			 a, b, ina, inb, arch, got[64];
	size_t			 n, cnt;
	int			 key, i;

	a = t_account(s, "a", STORE_ACCOUNT_IMAP);
	b = t_account(s, "b", STORE_ACCOUNT_POP3);
	ina = t_folder(s, a, "INBOX", STORE_ROLE_INBOX);
	inb = t_folder(s, b, "INBOX", STORE_ROLE_NONE);
	arch = t_folder(s, a, "Archive", STORE_ROLE_ARCHIVE);
	for (i = 0; i < 10; i++) {
		t_msg(s, ina, (uint32_t)i + 1, NULL, NULL, NULL, 100 + i,
		    "A", "a", 0);
		t_msg(s, inb, (uint32_t)i + 1, NULL, NULL, NULL, 200 + i,
		    "B", "b", 0);
		t_msg(s, arch, (uint32_t)i + 1, NULL, NULL, NULL, 300 + i,
		    "C", "c", 0);
	}
	memset(&so, 0, sizeof so);
	n = walk(s, STORE_UNIFIED_INBOX, &so, STORE_PAGE_FORWARD, 4, got, 64);
	assert_int_equal(n, 10);
	/* Giving b's folder the inbox role brings its mail in. */
	err_clear(&err);
	T_OK(store_folder_set_role(s, inb, STORE_ROLE_INBOX, &err), &err);
	T_OK(store_index_count(s, STORE_UNIFIED_INBOX, &cnt, &err), &err);
	assert_int_equal(cnt, 20);
	for (key = STORE_SORT_DATE; key <= STORE_SORT_SIZE; key++) {
		so.key = (enum store_sort_key)key;
		so.desc = true;
		n = walk(s, STORE_UNIFIED_INBOX, &so, STORE_PAGE_FORWARD, 3,
		    got, 64);
		assert_int_equal(n, 20);
		n = walk(s, STORE_UNIFIED_INBOX, &so, STORE_PAGE_BACKWARD, 7,
		    got, 64);
		assert_int_equal(n, 20);
	}
	so.key = STORE_SORT_DATE;
	so.threaded = true;
	n = walk(s, STORE_UNIFIED_INBOX, &so, STORE_PAGE_FORWARD, 6, got, 64);
	assert_int_equal(n, 20);
	/* Newest thread first: b's mail (dates 200..) leads. */
	so.threaded = false;
	n = walk(s, STORE_UNIFIED_INBOX, &so, STORE_PAGE_FORWARD, 6, got, 64);
	{
		struct store_msg *g;

		T_OK(store_message_get(s, got[0], &g, &err), &err);
		assert_int_equal(g->date, 209);
		assert_int_equal(g->folder_id, inb);
		store_msg_free(&g);
		/* Moving a message out of the inbox takes it out. */
		T_OK(store_message_move(s, got[0], arch, 0, &err), &err);
		T_FAILS(store_index_position(s, STORE_UNIFIED_INBOX, &so,
		    got[0], &cnt, &err), &err, ERR_NOTFOUND);
		T_OK(store_index_position(s, STORE_UNIFIED_INBOX, &so,
		    got[1], &cnt, &err), &err);
		assert_int_equal(cnt, 0);
	}
	n = walk(s, STORE_UNIFIED_INBOX, &so, STORE_PAGE_FORWARD, 6, got, 64);
	assert_int_equal(n, 19);
	/* A folder's own view excludes other folders. */
	T_FAILS(store_index_position(s, ina, &so, got[0], &cnt, &err), &err,
	    ERR_NOTFOUND);
}

/*
 * "The cost does not depend on the folder's size": every page query is
 * an index walk.  SQLite's plan says so (no sorting of the whole folder,
 * no scan without an index), for each scope, sort, direction and cursor.
 */
/*
 * The unified inbox of several accounts is one order, not the folders one
 * after the other: dates interleave across three inboxes, and every page
 * in both directions follows them exactly.
 */
static void
test_page_unified_merges_in_order(void **state)
{
	struct tfix		*f = *state;
	struct store		*s = f->s;
	struct store_sort	 so;
	struct store_msg	*g;
	struct err		 err;
	int64_t			 in[3], got[64], want;
	size_t			 n, i;
	int			 k, desc, dir;

	err_clear(&err);
	for (k = 0; k < 3; k++) {
		char	name[2] = { (char)('a' + k), '\0' };

		in[k] = t_folder(s, t_account(s, name, STORE_ACCOUNT_IMAP),
		    "INBOX", STORE_ROLE_INBOX);
	}
	/* Message i of inbox k is dated 1000 + 3i + k (0 is "no date"). */
	for (i = 0; i < 12; i++)
		for (k = 0; k < 3; k++)
			t_msg(s, in[k], (uint32_t)i + 1, NULL, NULL, NULL,
			    1000 + (int64_t)(3 * i) + k, "S", "s", 0);
	memset(&so, 0, sizeof so);
	for (desc = 0; desc < 2; desc++)
	for (dir = STORE_PAGE_BACKWARD; dir <= STORE_PAGE_FORWARD; dir += 2) {
		so.desc = desc;
		n = walk(s, STORE_UNIFIED_INBOX, &so, dir, 5, got, 64);
		assert_int_equal(n, 36);
		for (i = 0; i < n; i++) {
			T_OK(store_message_get(s, got[i], &g, &err), &err);
			/* Forward ascending: 1000, 1001, ...; each of
			 * the other three walks is a reversal of it. */
			want = 1000 + ((desc != 0) == (dir > 0) ?
			    35 - (int64_t)i : (int64_t)i);
			assert_int_equal(g->date, want);
			store_msg_free(&g);
		}
	}
}

/* Whether the store file has an index of that name. */
static bool
has_index(const char *path, const char *name)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	bool		 found;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master "
	    "WHERE type = 'index' AND name = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return found;
}

/*
 * The subject sort's index comes with the first page sorted by subject;
 * a read-only store, which cannot build it, sorts the same rows the same
 * way without it.
 */
static void
test_page_sort_index_on_first_use(void **state)
{
	struct tfix		*f = *state;
	struct store		*ro;
	struct store_sort	 so = { STORE_SORT_SUBJECT, false, false };
	struct err		 err;
	int64_t			 fo, with_ro[64], with_rw[64];
	size_t			 n, i;
	char			 subj[16];
	char			*path = xasprintf("%s/surat.db", f->data);

	fo = t_folder(f->s, t_account(f->s, "a", STORE_ACCOUNT_IMAP),
	    "INBOX", STORE_ROLE_INBOX);
	for (i = 0; i < 30; i++) {
		snprintf(subj, sizeof subj, "s%02zu", (i * 7) % 30);
		t_msg(f->s, fo, (uint32_t)i + 1, NULL, NULL, NULL,
		    1000 + (int64_t)i, "S", subj, 0);
	}
	assert_false(has_index(path, "messages_subject"));
	err_clear(&err);
	T_OK(store_open(f->data, STORE_OPEN_READONLY, NULL, &ro, &err), &err);
	n = walk(ro, fo, &so, STORE_PAGE_FORWARD, 4, with_ro, 64);
	assert_int_equal(n, 30);
	store_close(&ro);
	assert_false(has_index(path, "messages_subject"));
	n = walk(f->s, fo, &so, STORE_PAGE_FORWARD, 4, with_rw, 64);
	assert_int_equal(n, 30);
	assert_true(has_index(path, "messages_subject"));
	assert_false(has_index(path, "messages_from"));
	for (i = 0; i < n; i++)
		assert_int_equal(with_ro[i], with_rw[i]);
	free(path);
}

static void
test_page_plans_walk_an_index(void **state)
{
	struct tfix		*f = *state;
	struct store_sort	 so;
	struct buf		 sql = BUF_INIT, plan = BUF_INIT;
	sqlite3			*db;
	sqlite3_stmt		*st;
	int64_t			 inboxes[2];
	size_t			 sc;
	int			 key, desc, thr, after, rev, checked = 0;
	char			*path = xasprintf("%s/surat.db", f->data);

	/* One folder, and the unified inbox of two accounts (a merge). */
	inboxes[0] = t_folder(f->s, t_account(f->s, "a", STORE_ACCOUNT_IMAP),
	    "INBOX", STORE_ROLE_INBOX);
	inboxes[1] = t_folder(f->s, t_account(f->s, "b", STORE_ACCOUNT_IMAP),
	    "INBOX", STORE_ROLE_INBOX);
	/* The sender, subject and size indexes, built on first use. */
	for (key = STORE_SORT_DATE; key <= STORE_SORT_SIZE; key++) {
		so.key = (enum store_sort_key)key;
		so.threaded = false;
		page_sort_index(f->s, &so);
	}
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	for (sc = 0; sc < 2; sc++)
	for (thr = 0; thr < 2; thr++)
	for (key = STORE_SORT_DATE; key <= STORE_SORT_SIZE; key++)
	for (desc = 0; desc < 2; desc++)
	for (after = 0; after < 2; after++)
	for (rev = 0; rev < 2; rev++) {
		so.key = (enum store_sort_key)key;
		so.desc = desc;
		so.threaded = thr;
		buf_reset(&sql);
		buf_adds(&sql, "EXPLAIN QUERY PLAN ");
		page_sql(inboxes, sc + 1, &so, after, rev, &sql);
		if (sqlite3_prepare_v2(db, buf_cstr(&sql), -1, &st, NULL) !=
		    SQLITE_OK)
			fail_msg("%s: %s", buf_cstr(&sql), sqlite3_errmsg(db));
		buf_reset(&plan);
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_addf(&plan, "%s; ",
			    (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
		if (strstr(buf_cstr(&plan), "TEMP B-TREE") != NULL ||
		    strstr(buf_cstr(&plan), "INDEX") == NULL)
			fail_msg("not an index walk: %s\n  plan: %s",
			    buf_cstr(&sql), buf_cstr(&plan));
		checked++;
	}
	assert_int_equal(checked, 2 * 2 * 4 * 2 * 2 * 2);
	sqlite3_close(db);
	buf_free(&sql);
	buf_free(&plan);
	free(path);
}

/* ------------------------------------------------------------------ */
/* Search                                                              */

static int64_t
msg_full(struct store *s, int64_t folder, uint32_t uid, const char *from,
    const char *addr, const char *to, const char *subject, int64_t date,
    unsigned flags, bool attach, const char *body)
{
	struct store_msg	m;
	struct err		err;
	int64_t			id;

	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.uid = uid;
	m.from_name = (char *)from;
	m.from_addr = (char *)addr;
	m.to = (char *)to;
	m.subject = (char *)subject;
	m.date = date;
	m.flags = flags;
	m.has_attachments = attach;
	err_clear(&err);
	T_OK(store_message_insert(s, &m, &id, &err), &err);
	if (body != NULL)
		T_OK(store_body_set(s, id, body, strlen(body), body,
		    strlen(body), &err), &err);
	return id;
}

struct sfix {
	struct tfix	*t;
	int64_t		 acc, acc2, in, arch, other;
	int64_t		 m[8];
};

static int
sfix_setup(void **state)
{
	struct sfix	*x = xcalloc(1, sizeof *x);
	struct store	*s;

	x->t = t_fix_new(true);
	s = x->t->s;
	x->acc = t_account(s, "a", STORE_ACCOUNT_IMAP);
	x->acc2 = t_account(s, "b", STORE_ACCOUNT_IMAP);
	x->in = t_folder(s, x->acc, "INBOX", STORE_ROLE_INBOX);
	x->arch = t_folder(s, x->acc, "Archive", STORE_ROLE_ARCHIVE);
	x->other = t_folder(s, x->acc2, "INBOX", STORE_ROLE_INBOX);
	x->m[0] = msg_full(s, x->in, 1, "Siti Aminah", "siti@example.com",
	    "Budi <budi@example.com>", "Rapat anggaran 2024", 1000, 0, false,
	    "Mohon hadir di rapat besok pagi.");
	x->m[1] = msg_full(s, x->in, 2, "Budi", "budi@example.com",
	    "Siti <siti@example.com>", "Re: Rapat anggaran 2024", 2000,
	    STORE_FLAG_SEEN, true, "Saya akan hadir. Lampiran terlampir.");
	x->m[2] = msg_full(s, x->in, 3, "Jos\xc3\xa9 Ram\xc3\xadrez",
	    "jose@example.es", "Ani <ani@example.com>",
	    "Caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9", 3000, STORE_FLAG_FLAGGED,
	    false, "Na\xc3\xafve caf\xc3\xa9 au lait \xe6\x97\xa5\xe6\x9c\xac"
	    "\xe8\xaa\x9e text");
	x->m[3] = msg_full(s, x->arch, 4, "Ani", "ani@example.com",
	    "Budi <budi@example.com>, Cici <cici@example.com>",
	    "Laporan kuartal", 4000, STORE_FLAG_SEEN, true,
	    "the quick brown fox jumps over the lazy dog");
	x->m[4] = msg_full(s, x->other, 1, "Dedi", "dedi@example.org",
	    "budi@example.com", "rapat koordinasi", 5000, 0, false, NULL);
	*state = x;
	return 0;
}

static int
sfix_teardown(void **state)
{
	struct sfix	*x = *state;

	t_teardown((void **)&x->t);
	free(x);
	return 0;
}

/* Run a query and compare with the expected ids, in order. */
static void
expect(struct store *s, const struct store_query *q, size_t nwant, ...)
{
	va_list		 ap;
	struct err	 err;
	int64_t		*ids;
	size_t		 n, i;

	err_clear(&err);
	T_OK(store_search(s, q, &ids, &n, &err), &err);
	if (n != nwant) {
		for (i = 0; i < n; i++)
			print_message("got %lld\n", (long long)ids[i]);
		fail_msg("query text=%s from=%s: %zu results, want %zu",
		    q->text != NULL ? q->text : "-",
		    q->from != NULL ? q->from : "-", n, nwant);
	}
	va_start(ap, nwant);
	for (i = 0; i < n; i++)
		assert_int_equal(ids[i], va_arg(ap, int64_t));
	va_end(ap);
	free(ids);
}

static void
test_search_words_fields_prefix(void **state)
{
	struct sfix		*x = *state;
	struct store		*s = x->t->s;
	struct store_query	 q;

	memset(&q, 0, sizeof q);
	/* Words in any field, newest first; all must match. */
	q.text = "rapat";
	expect(s, &q, 3, x->m[4], x->m[1], x->m[0]);
	q.text = "RAPAT anggaran";
	expect(s, &q, 2, x->m[1], x->m[0]);
	q.text = "rapat kuartal";
	expect(s, &q, 0);
	/* Body text. */
	q.text = "hadir";
	expect(s, &q, 2, x->m[1], x->m[0]);
	q.text = "lazy fox";
	expect(s, &q, 1, x->m[3]);
	/* Phrases keep their order. */
	q.text = "\"lazy dog\"";
	expect(s, &q, 1, x->m[3]);
	q.text = "\"dog lazy\"";
	expect(s, &q, 0);
	/* Prefixes. */
	q.text = "angg*";
	expect(s, &q, 2, x->m[1], x->m[0]);
	q.text = "kuart* lapor*";
	expect(s, &q, 1, x->m[3]);
	q.text = "angg";
	expect(s, &q, 0);
	/* Fields. */
	q.text = NULL;
	q.from = "siti";
	expect(s, &q, 1, x->m[0]);
	q.from = "budi@example.com";
	expect(s, &q, 1, x->m[1]);
	q.from = NULL;
	q.to = "cici";
	expect(s, &q, 1, x->m[3]);
	q.to = "budi";
	expect(s, &q, 3, x->m[4], x->m[3], x->m[0]);
	q.to = NULL;
	q.subject = "koordinasi";
	expect(s, &q, 1, x->m[4]);
	q.subject = "hadir";	/* in bodies only */
	expect(s, &q, 0);
	q.subject = "rap*";
	q.from = "ded*";
	expect(s, &q, 1, x->m[4]);
}

static void
test_search_utf8(void **state)
{
	struct sfix		*x = *state;
	struct store		*s = x->t->s;
	struct store_query	 q;

	memset(&q, 0, sizeof q);
	/* Diacritics and case fold both ways. */
	q.text = "cafe resume";
	expect(s, &q, 1, x->m[2]);
	q.text = "CAF\xc3\x89";
	expect(s, &q, 1, x->m[2]);
	q.text = "naive";
	expect(s, &q, 1, x->m[2]);
	q.from = "jos\xc3\xa9 ramirez";
	q.text = NULL;
	expect(s, &q, 1, x->m[2]);
	q.from = NULL;
	q.text = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
	expect(s, &q, 1, x->m[2]);
	q.text = "r\xc3\xa9s*";
	expect(s, &q, 1, x->m[2]);
}

static void
test_search_hostile_input(void **state)
{
	struct sfix		*x = *state;
	struct store		*s = x->t->s;
	struct store_query	 q;
	static const char *const junk[] = {
		"\"", "\"\"", "(", ")", "*", "**", "^rapat", "rapat OR fox",
		"NOT rapat", "subject:rapat", "{subject}: x", "NEAR(a b)",
		"rapat\"", "a\"b\"c", "-", "+", ":", "'", ";DROP TABLE x",
		"\xff\xfe", "rapat AND", "AND", "\\",
	};
	struct err	 err;
	int64_t		*ids;
	size_t		 n, i;

	memset(&q, 0, sizeof q);
	err_clear(&err);
	for (i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		q.text = junk[i];
		if (store_search(s, &q, &ids, &n, &err) == -1)
			fail_msg("%s: %s", junk[i], err.msg);
		free(ids);
		q.text = NULL;
		q.from = junk[i];
		if (store_search(s, &q, &ids, &n, &err) == -1)
			fail_msg("from %s: %s", junk[i], err.msg);
		free(ids);
		q.from = NULL;
	}
	/* Operators are words, not operators: OR does not widen. */
	q.text = "rapat OR fox";
	expect(s, &q, 0);
	/* Only punctuation: nothing can match, nothing fails. */
	q.text = "\"";
	expect(s, &q, 0);
	/* A column name is not a filter either. */
	q.text = "subject:rapat";
	expect(s, &q, 0);
}

static void
test_search_criteria(void **state)
{
	struct sfix		*x = *state;
	struct store		*s = x->t->s;
	struct store_query	 q;

	memset(&q, 0, sizeof q);
	/* No text: every message, newest first. */
	expect(s, &q, 5, x->m[4], x->m[3], x->m[2], x->m[1], x->m[0]);
	q.limit = 2;
	expect(s, &q, 2, x->m[4], x->m[3]);
	q.limit = 0;
	q.after = 2000;
	q.before = 4000;
	expect(s, &q, 2, x->m[2], x->m[1]);
	q.after = q.before = 0;
	q.has_attachment = true;
	expect(s, &q, 2, x->m[3], x->m[1]);
	q.has_attachment = false;
	q.unread = true;
	expect(s, &q, 3, x->m[4], x->m[2], x->m[0]);
	q.unread = false;
	q.flagged = true;
	expect(s, &q, 1, x->m[2]);
	q.flagged = false;
	q.folder_id = x->arch;
	expect(s, &q, 1, x->m[3]);
	q.folder_id = 0;
	q.account_id = x->acc2;
	expect(s, &q, 1, x->m[4]);
	q.account_id = x->acc;
	q.text = "rapat";
	q.unread = true;
	expect(s, &q, 1, x->m[0]);
	/* A message's search text follows it: moved, still found... */
	{
		struct err err;

		err_clear(&err);
		T_OK(store_message_move(s, x->m[0], x->arch, 0, &err), &err);
		q.folder_id = x->arch;
		expect(s, &q, 1, x->m[0]);
		/* ... deleted, gone. */
		T_OK(store_message_delete(s, x->m[0], &err), &err);
		expect(s, &q, 0);
	}
}

#define TP(fn) cmocka_unit_test_setup_teardown(fn, pfix_setup, pfix_teardown)
#define TS(fn) cmocka_unit_test_setup_teardown(fn, sfix_setup, sfix_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TP(test_page_every_sort),
		TP(test_page_around_a_message),
		TP(test_page_row_fields),
		TP(test_page_stable_while_mail_changes),
		cmocka_unit_test_setup_teardown(test_page_unified_inbox,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_page_unified_merges_in_order,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_page_sort_index_on_first_use,
		    t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_page_plans_walk_an_index,
		    t_setup, t_teardown),
		TS(test_search_words_fields_prefix),
		TS(test_search_utf8),
		TS(test_search_hostile_input),
		TS(test_search_criteria),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
