/*
 * Search: the user's words become an FTS5 query in which every word is a
 * quoted string, so no input is ever FTS5 syntax (no operator, column
 * name or stray quote can make an error or widen the search); the other
 * criteria are plain SQL over messages.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define SEARCH_LIMIT_DEFAULT	1000
#define SEARCH_TERMS_MAX	32

/* Would the tokenizer find a token in s?  (ASCII letters, digits, or any
 * non-ASCII byte: unicode61 decides those.) */
static bool
has_token(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return true;
	}
	return false;
}

/* One FTS5 string: "..." with inner quotes doubled. */
static void
add_string(struct buf *b, const char *s, size_t n)
{
	size_t	i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
}

/*
 * Append the terms of user text: "a phrase", word, word* (prefix).  All
 * must match (FTS5's implicit AND).  Returns the number of terms, and
 * sets *junk_r when the text had something that cannot match.
 */
static size_t
add_terms(struct buf *b, const char *text, bool *junk_r)
{
	const char	*p = text, *start;
	size_t		 n, terms = 0;
	bool		 prefix;

	while (*p != '\0' && terms < SEARCH_TERMS_MAX) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		prefix = false;
		if (*p == '"') {
			start = ++p;
			n = strcspn(p, "\"");
			p += n;
			if (*p == '"')
				p++;
		} else {
			start = p;
			while (*p != '\0' && !isspace((unsigned char)*p) &&
			    *p != '"')
				p++;
			n = (size_t)(p - start);
			if (n > 1 && start[n - 1] == '*') {
				prefix = true;
				n--;
			}
		}
		if (!has_token(start, n)) {
			/* typed, but nothing a word could match */
			*junk_r = true;
			continue;
		}
		if (terms > 0)
			buf_addc(b, ' ');
		add_string(b, start, n);
		if (prefix)
			buf_adds(b, " *");
		terms++;
	}
	return terms;
}

/* The MATCH expression, or an empty buffer; false: nothing can match. */
static bool
build_match(const struct store_query *q, struct buf *m)
{
	static const struct {
		const char	*column;
		size_t		 off;
	} fields[] = {
		{ NULL, offsetof(struct store_query, text) },
		{ "sender", offsetof(struct store_query, from) },
		{ "recipients", offsetof(struct store_query, to) },
		{ "subject", offsetof(struct store_query, subject) },
	};
	struct buf	 part = BUF_INIT;
	const char	*text;
	size_t		 i;
	bool		 junk = false, ok = true;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		memcpy(&text, (const char *)q + fields[i].off, sizeof text);
		if (text == NULL)
			continue;
		buf_reset(&part);
		if (add_terms(&part, text, &junk) == 0) {
			if (junk)
				ok = false;
			continue;
		}
		if (m->len > 0)
			buf_adds(m, " AND ");
		if (fields[i].column != NULL)
			buf_addf(m, "%s : (%s)", fields[i].column,
			    buf_cstr(&part));
		else
			buf_addf(m, "(%s)", buf_cstr(&part));
	}
	buf_free(&part);
	return ok;
}

static void
build_sql(const struct store_query *q, bool fts, struct buf *sql)
{
	buf_adds(sql, "SELECT m.id FROM ");
	/* The narrow index has every column below: no wide row is read. */
	buf_adds(sql, fts ? "fts JOIN messages m INDEXED BY "
	    "messages_search_id ON m.id = fts.rowid WHERE fts MATCH ?1" :
	    "messages m WHERE 1");
	if (q->after != 0)
		buf_adds(sql, " AND m.date >= ?2");
	if (q->before != 0)
		buf_adds(sql, " AND m.date < ?3");
	if (q->has_attachment)
		buf_adds(sql, " AND m.has_attachments <> 0");
	if (q->unread)
		buf_adds(sql, " AND (m.flags & 1) = 0");
	if (q->flagged)
		buf_adds(sql, " AND (m.flags & 4) <> 0");
	if (q->folder_id != 0)
		buf_adds(sql, " AND m.folder_id = ?4");
	if (q->account_id != 0)
		/* '+': a filter, so the date order comes from the index. */
		buf_adds(sql, " AND +m.folder_id IN (SELECT id FROM folders "
		    "WHERE account_id = ?5)");
	buf_adds(sql, " ORDER BY m.date DESC, m.id DESC LIMIT ?6");
}

int
store_search(struct store *s, const struct store_query *q, int64_t **ids_r,
    size_t *n_r, struct err *err)
{
	struct buf	 match = BUF_INIT, sql = BUF_INIT;
	sqlite3_stmt	*st;
	void		*ids;
	size_t		 limit;
	int		 rc;

	*ids_r = NULL;
	*n_r = 0;
	if (!build_match(q, &match)) {
		buf_free(&match);
		return 0;
	}
	build_sql(q, match.len > 0, &sql);
	/* Inside a caller's transaction, new messages are searchable too. */
	if (match.len > 0 && fts_flush(s, err) == -1) {
		buf_free(&sql);
		buf_free(&match);
		return -1;
	}
	st = st_prep(s, buf_cstr(&sql), err);
	buf_free(&sql);
	if (st == NULL) {
		buf_free(&match);
		return -1;
	}
	limit = q->limit != 0 ? q->limit : SEARCH_LIMIT_DEFAULT;
	if (match.len > 0)
		bind_text(st, 1, buf_cstr(&match));
	bind_int64(st, 2, q->after);
	bind_int64(st, 3, q->before);
	bind_int64(st, 4, q->folder_id);
	bind_int64(st, 5, q->account_id);
	bind_int64(st, 6, (int64_t)limit);
	buf_free(&match);
	rc = st_collect(s, st, sizeof **ids_r, st_fill_id, NULL, &ids, n_r,
	    err);
	*ids_r = ids;
	return rc;
}
