/*
 * Index paging: the rows on screen, by keyset.  Each sort is a list of
 * columns that some index holds in that order (the rowid last, as SQLite
 * appends it to every index), so a page is an index walk that starts at
 * the cursor's values: its cost does not depend on the folder's size or
 * on where the page is.  Never OFFSET, never a sort of the whole folder.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define ROW_COLUMNS "id, folder_id, date, from_name, from_addr, to_text, " \
	"subject, flags, keywords, size, has_attachments, body_state, " \
	"thread_id, depth, thread_date, sort_from, sort_subject "

enum col_value { V_TEXT, V_K1, V_K2, V_K3, V_ID };

struct sort_col {
	const char	*name;
	enum col_value	 value;		/* where the cursor keeps it */
	bool		 fixed_asc;	/* ascending whatever the sort */
};

struct sort_def {
	struct sort_col	cols[4];
	size_t		ncols;
};

static void
sort_def(const struct store_sort *so, struct sort_def *d)
{
	static const struct sort_def defs[] = {
		[STORE_SORT_DATE] = { { { "date", V_K1, false },
		    { "id", V_ID, false } }, 2 },
		[STORE_SORT_FROM] = { { { "sort_from", V_TEXT, false },
		    { "date", V_K3, false }, { "id", V_ID, false } }, 3 },
		[STORE_SORT_SUBJECT] = { { { "sort_subject", V_TEXT, false },
		    { "date", V_K3, false }, { "id", V_ID, false } }, 3 },
		[STORE_SORT_SIZE] = { { { "size", V_K1, false },
		    { "id", V_ID, false } }, 2 },
	};
	static const struct sort_def threaded = { {
		{ "thread_date", V_K1, false }, { "thread_id", V_K2, false },
		{ "date", V_K3, true }, { "id", V_ID, true } }, 4 };

	if (so->threaded)
		*d = threaded;
	else if ((size_t)so->key < sizeof defs / sizeof defs[0])
		*d = defs[so->key];
	else
		*d = defs[STORE_SORT_DATE];
}

/*
 * The sorts by sender, subject and size get their index the first time
 * they are asked for (schema 7 dropped them): every stored message paid
 * for three indexes that most people never read, a third of the store's
 * CPU in a first sync.  Building one takes 0.1 to 0.2 s at
 * 100,000 messages.  When it cannot be built now (a read-only store,
 * inside a transaction, another connection writing) the page is sorted
 * without it: slower, never wrong; the next page tries again.
 */
static const char *const sort_index_sql[] = {
	[STORE_SORT_FROM] = "CREATE INDEX IF NOT EXISTS messages_from "
	    "ON messages(folder_id, sort_from, date)",
	[STORE_SORT_SUBJECT] = "CREATE INDEX IF NOT EXISTS messages_subject "
	    "ON messages(folder_id, sort_subject, date)",
	[STORE_SORT_SIZE] = "CREATE INDEX IF NOT EXISTS messages_size "
	    "ON messages(folder_id, size)",
};

void
page_sort_index(struct store *s, const struct store_sort *so)
{
	unsigned	bit;
	int		rc;

	if (so->threaded || (size_t)so->key >= sizeof sort_index_sql /
	    sizeof sort_index_sql[0] || sort_index_sql[so->key] == NULL)
		return;
	bit = 1u << so->key;
	if ((s->sort_indexes & bit) != 0 || s->readonly || s->depth > 0)
		return;
	/* Never wait for a writer: the page goes on without the index. */
	sqlite3_busy_timeout(s->db, 0);
	rc = sqlite3_exec(s->db, sort_index_sql[so->key], NULL, NULL, NULL);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		s->sort_indexes |= bit;
}

/* Is column i descending when walking forward (reverse: backward)? */
static bool
col_desc(const struct store_sort *so, const struct sort_col *c, bool reverse)
{
	bool	desc = c->fixed_asc ? false : so->desc;

	return reverse ? !desc : desc;
}

/*
 * Rows strictly after the cursor when walking with reverse (false:
 * forward).  Parameter ?(i + 2) holds column i's cursor value.
 */
static void
add_after(struct buf *b, const struct store_sort *so, const struct sort_def *d,
    bool reverse)
{
	bool	mixed = false;
	size_t	i, j;

	for (i = 1; i < d->ncols; i++) {
		if (col_desc(so, &d->cols[i], reverse) !=
		    col_desc(so, &d->cols[0], reverse))
			mixed = true;
	}
	if (!mixed) {
		/* A row value: SQLite turns it into an index range. */
		buf_adds(b, " AND (");
		for (i = 0; i < d->ncols; i++)
			buf_addf(b, "%s%s", i > 0 ? ", " : "",
			    d->cols[i].name);
		buf_addf(b, ") %s (", col_desc(so, &d->cols[0], reverse) ?
		    "<" : ">");
		for (i = 0; i < d->ncols; i++)
			buf_addf(b, "%s?%zu", i > 0 ? ", " : "", i + 2);
		buf_adds(b, ")");
		return;
	}
	/* Mixed directions: a bound on the first column starts the walk,
	 * the full comparison filters the few rows that tie on it. */
	buf_addf(b, " AND %s %s ?2 AND (", d->cols[0].name,
	    col_desc(so, &d->cols[0], reverse) ? "<=" : ">=");
	for (i = 0; i < d->ncols; i++) {
		buf_adds(b, i > 0 ? " OR (" : "(");
		for (j = 0; j < i; j++)
			buf_addf(b, "%s = ?%zu AND ", d->cols[j].name, j + 2);
		buf_addf(b, "%s %s ?%zu)", d->cols[i].name,
		    col_desc(so, &d->cols[i], reverse) ? "<" : ">", i + 2);
	}
	buf_adds(b, ")");
}

static void
add_order(struct buf *b, const struct store_sort *so, const struct sort_def *d,
    bool reverse)
{
	size_t	i;

	buf_adds(b, " ORDER BY ");
	for (i = 0; i < d->ncols; i++)
		buf_addf(b, "%s%s %s", i > 0 ? ", " : "", d->cols[i].name,
		    col_desc(so, &d->cols[i], reverse) ? "DESC" : "ASC");
}

static void
bind_cursor(sqlite3_stmt *st, const struct sort_def *d,
    const struct store_cursor *c)
{
	size_t	i;
	int	p;

	for (i = 0; i < d->ncols; i++) {
		p = (int)i + 2;
		switch (d->cols[i].value) {
		case V_TEXT:
			bind_text(st, p, c->text);
			break;
		case V_K1:
			bind_int64(st, p, c->k1);
			break;
		case V_K2:
			bind_int64(st, p, c->k2);
			break;
		case V_K3:
			bind_int64(st, p, c->k3);
			break;
		case V_ID:
			bind_int64(st, p, c->id);
			break;
		}
	}
}

/* The cursor of the row st is on (ROW_COLUMNS), for sort so. */
static void
cursor_from_row(sqlite3_stmt *st, const struct store_sort *so,
    struct store_cursor *c)
{
	const char	*t = NULL;

	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->k3 = sqlite3_column_int64(st, 2);
	if (so->threaded) {
		c->k1 = sqlite3_column_int64(st, 14);
		c->k2 = sqlite3_column_int64(st, 12);
		return;
	}
	switch (so->key) {
	case STORE_SORT_SIZE:
		c->k1 = sqlite3_column_int64(st, 9);
		break;
	case STORE_SORT_FROM:
		t = (const char *)sqlite3_column_text(st, 15);
		break;
	case STORE_SORT_SUBJECT:
		t = (const char *)sqlite3_column_text(st, 16);
		break;
	default:
		c->k1 = c->k3;
		break;
	}
	if (t != NULL)
		str_lcpy(c->text, t, sizeof c->text);
}

static void
row_fill(sqlite3_stmt *st, const struct store_sort *so, struct store_row *r)
{
	char	*name;

	r->id = sqlite3_column_int64(st, 0);
	r->folder_id = sqlite3_column_int64(st, 1);
	r->date = sqlite3_column_int64(st, 2);
	name = col_strdup(st, 3);
	r->from_addr = col_strdup(st, 4);
	if (name == NULL || *name == '\0') {
		free(name);
		name = xstrdup(r->from_addr != NULL ? r->from_addr : "");
	}
	r->from = name;
	r->to = col_strdup(st, 5);
	r->subject = col_strdup(st, 6);
	if (r->subject == NULL)
		r->subject = xstrdup("");
	r->flags = (unsigned)sqlite3_column_int(st, 7);
	r->keywords = col_strdup(st, 8);
	r->size = sqlite3_column_int64(st, 9);
	r->has_attachments = sqlite3_column_int(st, 10) != 0;
	r->body_state = enum_parse(store_body_state_names, 3,
	    (const char *)sqlite3_column_text(st, 11));
	r->thread_id = sqlite3_column_int64(st, 12);
	r->depth = so->threaded ? sqlite3_column_int(st, 13) : 0;
	cursor_from_row(st, so, &r->cursor);
}

static void
rows_reverse(struct store_row *rows, size_t n)
{
	struct store_row	t;
	size_t			i;

	for (i = 0; i < n / 2; i++) {
		t = rows[i];
		rows[i] = rows[n - 1 - i];
		rows[n - 1 - i] = t;
	}
}

/*
 * One page over folders[0..n): with one folder a walk of its index; with
 * several (the unified inbox: every account's inbox) a UNION ALL of those
 * walks, which SQLite merges in order and stops at the limit, so no index
 * of its own is needed (six partial ones cost a fifth of a sync's CPU).
 * Folder ids are the store's own integers, written into the SQL.
 */
void
page_sql(const int64_t *folders, size_t n, const struct store_sort *so,
    bool after, bool reverse, struct buf *sql)
{
	struct sort_def	d;
	size_t		i;

	sort_def(so, &d);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(sql, " UNION ALL ");
		buf_adds(sql, "SELECT " ROW_COLUMNS "FROM messages WHERE ");
		if (n == 1)
			buf_adds(sql, "folder_id = ?1");
		else
			buf_addf(sql, "folder_id = %lld",
			    (long long)folders[i]);
		if (after)
			add_after(sql, so, &d, reverse);
	}
	add_order(sql, so, &d, reverse);
	buf_adds(sql, " LIMIT ?9");
}

/* The folders a view shows: one, or every account's inbox. */
static int
view_folders(struct store *s, int64_t folder_id, int64_t **ids_r,
    size_t *n_r, struct err *err)
{
	sqlite3_stmt	*st;

	if (folder_id != STORE_UNIFIED_INBOX) {
		*ids_r = xmalloc(sizeof **ids_r);
		**ids_r = folder_id;
		*n_r = 1;
		return 0;
	}
	if ((st = st_prep(s, "SELECT id FROM folders WHERE role = 'inbox' "
	    "ORDER BY id", err)) == NULL)
		return -1;
	return st_collect(s, st, sizeof **ids_r, st_fill_id, NULL,
	    (void **)ids_r, n_r, err);
}

int
store_index_page(struct store *s, int64_t folder_id,
    const struct store_sort *so, const struct store_cursor *after,
    int direction, size_t limit, struct store_row **rows_r, size_t *n_r,
    struct err *err)
{
	struct sort_def		 d;
	struct buf		 sql = BUF_INIT;
	struct store_row	*rows;
	sqlite3_stmt		*st;
	int64_t			*folders;
	size_t			 n = 0, nfolders;
	bool			 reverse = direction < 0;
	int			 rc;

	*rows_r = NULL;
	*n_r = 0;
	if (limit == 0)
		return 0;
	if (limit > STORE_PAGE_MAX)
		limit = STORE_PAGE_MAX;
	if (view_folders(s, folder_id, &folders, &nfolders, err) == -1)
		return -1;
	if (nfolders == 0) {
		free(folders);
		return 0;
	}
	page_sort_index(s, so);
	sort_def(so, &d);
	page_sql(folders, nfolders, so, after != NULL, reverse, &sql);
	st = st_prep(s, buf_cstr(&sql), err);
	buf_free(&sql);
	if (st != NULL && nfolders == 1)
		bind_int64(st, 1, folders[0]);
	free(folders);
	if (st == NULL)
		return -1;
	if (after != NULL)
		bind_cursor(st, &d, after);
	bind_int64(st, 9, (int64_t)limit);
	rows = xcalloc(limit, sizeof *rows);
	while ((rc = st_step(s, st, err)) == SQLITE_ROW)
		row_fill(st, so, &rows[n++]);
	if (rc == -1) {
		store_rows_free(&rows, n);
		return -1;
	}
	st_done(st);
	if (reverse)
		rows_reverse(rows, n);
	if (n == 0)
		xfree(&rows);
	*rows_r = rows;
	*n_r = n;
	return 0;
}

void
store_rows_free(struct store_row **rowsp, size_t n)
{
	struct store_row	*rows = *rowsp;
	size_t			 i;

	if (rows == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(rows[i].from);
		free(rows[i].from_addr);
		free(rows[i].to);
		free(rows[i].subject);
		free(rows[i].keywords);
	}
	xfree(rowsp);
}

/* The cursor of message id, and whether it is in the view. */
static int
cursor_of(struct store *s, int64_t folder_id, int64_t id,
    const struct store_sort *so, struct store_cursor *c, bool *in_view_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT " ROW_COLUMNS ", is_inbox "
	    "FROM messages WHERE id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_DONE)
		return st_notfound(err, "message", id);
	cursor_from_row(st, so, c);
	*in_view_r = folder_id == STORE_UNIFIED_INBOX ?
	    sqlite3_column_int(st, 17) != 0 :
	    sqlite3_column_int64(st, 1) == folder_id;
	st_done(st);
	return 0;
}

int
store_index_cursor(struct store *s, int64_t id, const struct store_sort *so,
    struct store_cursor *cur_r, struct err *err)
{
	bool	in_view;

	return cursor_of(s, STORE_UNIFIED_INBOX, id, so, cur_r, &in_view, err);
}

int
store_index_position(struct store *s, int64_t folder_id,
    const struct store_sort *so, int64_t id, size_t *pos_r, struct err *err)
{
	struct store_cursor	 c;
	struct sort_def		 d;
	struct buf		 sql = BUF_INIT;
	sqlite3_stmt		*st;
	int64_t			 n;
	bool			 in_view;

	if (cursor_of(s, folder_id, id, so, &c, &in_view, err) == -1)
		return -1;
	if (!in_view) {
		err_set(err, ERR_NOTFOUND, _("message %lld is not in this "
		    "view"), (long long)id);
		return -1;
	}
	page_sort_index(s, so);
	sort_def(so, &d);
	buf_adds(&sql, "SELECT count(*) FROM messages WHERE ");
	buf_adds(&sql, folder_id == STORE_UNIFIED_INBOX ?
	    "folder_id IN (SELECT id FROM folders WHERE role = 'inbox')" :
	    "folder_id = ?1");
	add_after(&sql, so, &d, true);
	st = st_prep(s, buf_cstr(&sql), err);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	if (folder_id != STORE_UNIFIED_INBOX)
		bind_int64(st, 1, folder_id);
	bind_cursor(st, &d, &c);
	if (st_int64(s, st, &n, err) == -1)
		return -1;
	*pos_r = (size_t)n;
	return 0;
}

int
store_index_count(struct store *s, int64_t folder_id, size_t *n_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	/* The triggers keep folders.total exact. */
	if ((st = st_prep(s, folder_id == STORE_UNIFIED_INBOX ?
	    "SELECT coalesce(sum(total), 0) FROM folders "
	    "WHERE role = 'inbox' AND ?1 = 0" :
	    "SELECT total FROM folders WHERE id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	if (st_int64(s, st, &n, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			st_notfound(err, "folder", folder_id);
		return -1;
	}
	*n_r = (size_t)n;
	return 0;
}
