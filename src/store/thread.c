/*
 * Incremental threading at insert time.  thread_ids maps every Message-ID
 * seen (a message's own, and those it refers to, present or not) to a
 * thread.  A new message joins the thread of any id it mentions; when it
 * mentions ids of several threads, they merge into the oldest.  A thread's
 * root date is its oldest message's date, copied into each message's row
 * so the threaded index is a plain index walk.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define THREAD_REFS_MAX	64	/* a hostile References: is not a loop */
#define THREAD_ID_MAX	998	/* longer is not a real Message-ID */
#define THREAD_DEPTH_MAX 32

struct idlist {
	char	*ids[THREAD_REFS_MAX + 2];
	bool	 known[THREAD_REFS_MAX + 2];	/* in thread_ids already */
	size_t	 n;
};

/* What an id is stripped of at either end (as message.c's norm_id()). */
static bool
id_trim(char c)
{
	return c == '<' || c == '>' || c == ' ' || c == '\t' || c == '\r' ||
	    c == '\n';
}

/* Append one id from s..s+n, dropping <> and duplicates. */
static void
ids_add(struct idlist *l, const char *s, size_t n)
{
	size_t	i;

	while (n > 0 && id_trim(*s))
		s++, n--;
	while (n > 0 && id_trim(s[n - 1]))
		n--;
	if (n == 0 || n > THREAD_ID_MAX ||
	    l->n == sizeof l->ids / sizeof l->ids[0])
		return;
	for (i = 0; i < l->n; i++) {
		if (strlen(l->ids[i]) == n && memcmp(l->ids[i], s, n) == 0)
			return;
	}
	l->ids[l->n++] = xstrndup(s, n);
}

static const char *const seps = " \t\r\n,";

/* The last THREAD_REFS_MAX ids of a References list, in order. */
static size_t
refs_add(struct idlist *l, const char *refs)
{
	const char	*p, *start[THREAD_REFS_MAX];
	size_t		 len[THREAD_REFS_MAX], total = 0, k, first, n;

	for (p = refs; p != NULL && *p != '\0'; ) {
		p += strspn(p, seps);
		if (*p == '\0')
			break;
		n = strcspn(p, seps);
		start[total % THREAD_REFS_MAX] = p;
		len[total % THREAD_REFS_MAX] = n;
		total++;
		p += n;
	}
	first = total > THREAD_REFS_MAX ? total - THREAD_REFS_MAX : 0;
	for (k = first; k < total; k++)
		ids_add(l, start[k % THREAD_REFS_MAX],
		    len[k % THREAD_REFS_MAX]);
	return total;
}

static void
ids_free(struct idlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->ids[i]);
	l->n = 0;
}

static int
lookup(struct store *s, const char *id, int64_t *tid_r, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = st_prep(s, "SELECT thread_id FROM thread_ids "
	    "WHERE message_id = ?1", err);
	if (st == NULL)
		return -1;
	bind_text(st, 1, id);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	*tid_r = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	st_done(st);
	return 0;
}

static int
root_date(struct store *s, int64_t tid, int64_t *date_r, struct err *err)
{
	sqlite3_stmt	*st;

	st = st_prep(s, "SELECT root_date FROM threads WHERE id = ?1", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, tid);
	return st_int64(s, st, date_r, err);
}

/* Fold thread from into thread into. */
static int
merge(struct store *s, int64_t into, int64_t from, struct err *err)
{
	static const char *const sql[] = {
		"UPDATE messages SET thread_id = ?1 WHERE thread_id = ?2",
		"UPDATE thread_ids SET thread_id = ?1 WHERE thread_id = ?2",
		"DELETE FROM threads WHERE id = ?2",
	};
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if ((st = st_prep(s, sql[i], err)) == NULL)
			return -1;
		bind_int64(st, 1, into);
		bind_int64(st, 2, from);
		if (st_run(s, st, err) == -1)
			return -1;
	}
	return 0;
}

static int
set_root_date(struct store *s, int64_t tid, int64_t date, struct err *err)
{
	static const char *const sql[] = {
		"UPDATE threads SET root_date = ?2 WHERE id = ?1",
		"UPDATE messages SET thread_date = ?2 "
		    "WHERE thread_id = ?1 AND thread_date <> ?2",
	};
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if ((st = st_prep(s, sql[i], err)) == NULL)
			return -1;
		bind_int64(st, 1, tid);
		bind_int64(st, 2, date);
		if (st_run(s, st, err) == -1)
			return -1;
	}
	return 0;
}

static int
new_thread(struct store *s, int64_t date, int64_t *tid_r, struct err *err)
{
	sqlite3_stmt	*st;

	st = st_prep(s, "INSERT INTO threads (root_date) VALUES (?1)", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, date);
	if (st_run(s, st, err) == -1)
		return -1;
	*tid_r = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Join the threads the ids point to: *tid_r, with its root date. */
static int
join_threads(struct store *s, struct idlist *l, int64_t date,
    int64_t *tid_r, int64_t *root_r, struct err *err)
{
	int64_t	tids[THREAD_REFS_MAX + 2], t, root, r;
	size_t	n = 0, i, j;
	bool	changed = false;

	for (i = 0; i < l->n; i++) {
		if (lookup(s, l->ids[i], &t, err) == -1)
			return -1;
		l->known[i] = t != 0;
		for (j = 0; j < n && tids[j] != t; j++)
			;
		if (t != 0 && j == n)
			tids[n++] = t;
	}
	if (n == 0) {
		*root_r = date;
		return new_thread(s, date, tid_r, err);
	}
	*tid_r = tids[0];
	for (i = 1; i < n; i++) {
		if (tids[i] < *tid_r)
			*tid_r = tids[i];
	}
	if (root_date(s, *tid_r, &root, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (tids[i] == *tid_r)
			continue;
		if (root_date(s, tids[i], &r, err) == -1 ||
		    merge(s, *tid_r, tids[i], err) == -1)
			return -1;
		if (r < root)
			root = r;
		changed = true;
	}
	if (date < root) {
		root = date;
		changed = true;
	}
	*root_r = root;
	return changed ? set_root_date(s, *tid_r, root, err) : 0;
}

static int
record_ids(struct store *s, const struct idlist *l, int64_t tid,
    struct err *err)
{
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < l->n; i++) {
		/* Known ids are in the joined thread already (merge()). */
		if (l->known[i])
			continue;
		st = st_prep(s, "INSERT OR IGNORE INTO thread_ids "
		    "(message_id, thread_id) VALUES (?1, ?2)", err);
		if (st == NULL)
			return -1;
		bind_text(st, 1, l->ids[i]);
		bind_int64(st, 2, tid);
		if (st_run(s, st, err) == -1)
			return -1;
	}
	return 0;
}

/*
 * Depth below the parent when the parent is stored, else the length of
 * the References chain: what the message says about its place.
 */
static int
depth_of(struct store *s, const char *parent, size_t nrefs, int *depth_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	*depth_r = (int)(nrefs < THREAD_DEPTH_MAX ? nrefs : THREAD_DEPTH_MAX);
	if (parent == NULL)
		return 0;
	if (*depth_r == 0)
		*depth_r = 1;
	st = st_prep(s, "SELECT min(depth) FROM messages "
	    "WHERE message_id = ?1", err);
	if (st == NULL)
		return -1;
	bind_text(st, 1, parent);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*depth_r = sqlite3_column_int(st, 0) + 1;
		if (*depth_r > THREAD_DEPTH_MAX)
			*depth_r = THREAD_DEPTH_MAX;
	}
	st_done(st);
	return 0;
}

int
thread_assign(struct store *s, const struct store_msg *m, int64_t date,
    struct thread_place *p, struct err *err)
{
	struct idlist	 l;
	char		*parent = NULL;
	size_t		 nrefs, nlisted, own = (size_t)-1;
	int		 rc = -1;

	l.n = 0;
	nrefs = refs_add(&l, m->references);
	if (m->in_reply_to != NULL)
		ids_add(&l, m->in_reply_to, strlen(m->in_reply_to));
	/* The parent: In-Reply-To, else the last reference. */
	if (m->in_reply_to != NULL && l.n > 0 &&
	    strspn(m->in_reply_to, "<> ") < strlen(m->in_reply_to)) {
		struct idlist	pl;

		pl.n = 0;
		ids_add(&pl, m->in_reply_to, strlen(m->in_reply_to));
		if (pl.n == 1)
			parent = pl.ids[0];
	} else if (l.n > 0)
		parent = xstrdup(l.ids[l.n - 1]);
	nlisted = l.n;
	if (m->message_id != NULL) {
		ids_add(&l, m->message_id, strlen(m->message_id));
		/* Not added: it refers to itself, or is no id we keep. */
		if (l.n > nlisted)
			own = l.n - 1;
	}
	if (join_threads(s, &l, date, &p->thread, &p->date, err) == -1 ||
	    record_ids(s, &l, p->thread, err) == -1 ||
	    depth_of(s, parent, nrefs, &p->depth, err) == -1)
		goto out;
	/*
	 * A reply stored before this message put this Message-ID into
	 * thread_ids (rows there are never removed): if it was not there,
	 * nothing can be adopted.
	 */
	p->mentioned = m->message_id != NULL &&
	    (own == (size_t)-1 || l.known[own]);
	rc = 0;
out:
	free(parent);
	ids_free(&l);
	return rc;
}

/*
 * Message id just arrived; replies to it that were stored before it (a
 * sync fetches in UID order, not in thread order) took their depth from
 * their References alone.  Walk down from it by In-Reply-To and set each
 * reply one below its parent.  The walk runs over distinct Message-IDs,
 * so copies of a thread in several folders cost nothing extra, and it
 * stops at THREAD_DEPTH_MAX, so a loop of replies ends.
 */
/* Whether a message other than id replies to id's Message-ID. */
static int
has_early_reply(struct store *s, int64_t id, struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 found;

	st = st_prep(s, "SELECT EXISTS (SELECT 1 FROM messages WHERE "
	    "in_reply_to = (SELECT message_id FROM messages WHERE id = ?1) "
	    "AND id <> ?1)", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (st_int64(s, st, &found, err) == -1)
		return -1;
	return found != 0;
}

int
thread_adopt(struct store *s, int64_t id, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	/*
	 * Replies mostly arrive after what they answer: one index probe
	 * settles that, where the walk below builds temporary tables (a
	 * tenth of the CPU of storing a message).
	 */
	if ((rc = has_early_reply(s, id, err)) <= 0)
		return rc;
	st = st_prep(s, "WITH RECURSIVE sub(mid, d) AS ("
	    "SELECT message_id, depth FROM messages WHERE id = ?1 "
	    "UNION "
	    "SELECT m.message_id, sub.d + 1 FROM messages m "
	    "JOIN sub ON m.in_reply_to = sub.mid "
	    "WHERE sub.d < ?2 AND m.message_id IS NOT NULL) "
	    "UPDATE messages SET depth = min(?2, (SELECT max(d) + 1 FROM sub "
	    "WHERE sub.mid = messages.in_reply_to)) "
	    "WHERE in_reply_to IN (SELECT mid FROM sub) AND id <> ?1 "
	    "AND depth <> min(?2, (SELECT max(d) + 1 FROM sub "
	    "WHERE sub.mid = messages.in_reply_to))", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_int64(st, 2, THREAD_DEPTH_MAX);
	return st_run(s, st, err);
}
