/*
 * Messages: insert (with threading and sort keys), lookups, flags, moves,
 * copies, deletes, and the UID lists the IMAP sync compares with the
 * server's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mime/mime.h"
#include "store/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

const char *const store_body_state_names[] = { "none", "partial", "full" };

#define MSG_COLUMNS \
	"m.id, m.folder_id, m.uid, m.uidl, m.message_id, m.in_reply_to, " \
	"m.refs, m.thread_id, m.depth, m.date, m.date_raw, m.from_name, " \
	"m.from_addr, m.to_text, m.cc_text, m.subject, m.flags, m.keywords, " \
	"m.size, m.has_attachments, mm.headers, mm.bodystructure, " \
	"m.internal_date, m.body_state, m.created " \
	"FROM messages m LEFT JOIN message_meta mm ON mm.msg = m.id "

/* A Message-ID without its angle brackets and blanks, or NULL. */
static char *
norm_id(const char *id)
{
	size_t	n;

	if (id == NULL)
		return NULL;
	while (*id == ' ' || *id == '<' || *id == '\t')
		id++;
	n = strlen(id);
	while (n > 0 && (id[n - 1] == ' ' || id[n - 1] == '>' ||
	    id[n - 1] == '\t' || id[n - 1] == '\r' || id[n - 1] == '\n'))
		n--;
	return n == 0 ? NULL : xstrndup(id, n);
}

static void
bind_uid(sqlite3_stmt *st, int i, uint32_t uid)
{
	if (uid == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, uid);
}

static int
folder_exists(struct store *s, int64_t folder_id, struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 v;

	if ((st = st_prep(s, "SELECT 1 FROM folders WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	if (st_int64(s, st, &v, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			st_notfound(err, "folder", folder_id);
		return -1;
	}
	return 0;
}

/* A unique constraint failed: say which, in words. */
static int
dup_error(struct store *s, int64_t folder_id, uint32_t uid, struct err *err)
{
	const char	*msg = sqlite3_errmsg(s->db);

	if (!err_failed(err) || err->code != ERR_USAGE ||
	    sqlite3_extended_errcode(s->db) != SQLITE_CONSTRAINT_UNIQUE)
		return -1;
	if (strstr(msg, "messages.uidl") != NULL)
		err_set(err, ERR_USAGE, _("folder %lld already has a message "
		    "with that UIDL"), (long long)folder_id);
	else if (strstr(msg, "messages.uid") != NULL)
		err_set(err, ERR_USAGE, _("folder %lld already has a message "
		    "with UID %lu"), (long long)folder_id, (unsigned long)uid);
	return -1;
}

/*
 * Adds a message just inserted to its folder's counters (the delete and
 * update triggers keep them from then on; see schema version 8).
 */
static int
count_new_row(struct store *s, int64_t folder_id, unsigned flags,
    int64_t size, struct err *err)
{
	sqlite3_stmt	*st;

	st = st_prep(s, "UPDATE folders SET total = total + 1, "
	    "unread = unread + ((?2 & 9) = 0), bytes = bytes + ?3 "
	    "WHERE id = ?1", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	bind_int64(st, 2, flags);
	bind_int64(st, 3, size);
	return st_run(s, st, err);
}

static int
insert_row(struct store *s, const struct store_msg *m, int64_t date,
    const struct thread_place *tp, int64_t *id_r, struct err *err)
{
	sqlite3_stmt	*st;
	char		 sfrom[STORE_SORTKEY_MAX + 1];
	char		 ssubj[STORE_SORTKEY_MAX + 1];
	char		*mid, *irt;
	int		 rc;

	st = st_prep(s, "INSERT INTO messages (folder_id, uid, uidl, "
	    "is_inbox, date, flags, size, has_attachments, body_state, "
	    "thread_id, thread_date, depth, sort_from, sort_subject, "
	    "from_name, from_addr, to_text, cc_text, subject, keywords, "
	    "message_id, in_reply_to, refs, date_raw, internal_date, created) "
	    "VALUES (?1, ?2, ?3, coalesce((SELECT role = 'inbox' FROM folders "
	    "WHERE id = ?1), 0), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)", err);
	if (st == NULL)
		return -1;
	sortkey_from(m->from_name, m->from_addr, sfrom, sizeof sfrom);
	sortkey_subject(m->subject, ssubj, sizeof ssubj);
	mid = norm_id(m->message_id);
	irt = norm_id(m->in_reply_to);
	bind_int64(st, 1, m->folder_id);
	bind_uid(st, 2, m->uid);
	bind_text(st, 3, m->uidl);
	bind_int64(st, 4, date);
	bind_int64(st, 5, m->flags & STORE_FLAGS_ALL);
	bind_int64(st, 6, m->size);
	bind_int64(st, 7, m->has_attachments);
	bind_text(st, 8, store_body_state_names[m->body_state <=
	    STORE_BODY_FULL ? m->body_state : 0]);
	bind_int64(st, 9, tp->thread);
	bind_int64(st, 10, tp->date);
	bind_int64(st, 11, tp->depth);
	bind_text(st, 12, sfrom);
	bind_text(st, 13, ssubj);
	bind_text(st, 14, m->from_name);
	bind_text(st, 15, m->from_addr);
	bind_text(st, 16, m->to);
	bind_text(st, 17, m->cc);
	bind_text(st, 18, m->subject);
	bind_text(st, 19, m->keywords);
	bind_text(st, 20, mid);
	bind_text(st, 21, irt);
	bind_text(st, 22, m->references);
	bind_text(st, 23, m->date_raw);
	bind_int64(st, 24, m->internal_date);
	bind_int64(st, 25, (int64_t)time(NULL));
	free(mid);
	free(irt);
	if ((rc = st_run(s, st, err)) == -1)
		return dup_error(s, m->folder_id, m->uid, err);
	*id_r = sqlite3_last_insert_rowid(s->db);
	fts_note_insert(s);
	return count_new_row(s, m->folder_id, m->flags & STORE_FLAGS_ALL,
	    m->size, err);
}

static int
insert_meta(struct store *s, int64_t id, const struct store_msg *m,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (m->headers == NULL && m->bodystructure == NULL)
		return 0;
	st = st_prep(s, "INSERT INTO message_meta (msg, headers, "
	    "bodystructure) VALUES (?1, ?2, ?3)", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_blob(st, 2, m->headers, m->headers != NULL && m->headers_len ==
	    0 ? strlen(m->headers) : m->headers_len);
	bind_text(st, 3, m->bodystructure);
	return st_run(s, st, err);
}

/*
 * The message already stored under m's UID or UIDL in its folder, or 0.
 * A sync that died after committing a batch fetches it again: finding
 * the row is what makes that harmless.
 */
/* The id of m's folder's message with m's UID (by_uidl: UIDL), or 0. */
static int
id_by_key(struct store *s, const struct store_msg *m, bool by_uidl,
    int64_t *id_r, struct err *err)
{
	sqlite3_stmt	*st;

	st = st_prep(s, by_uidl ? "SELECT coalesce((SELECT id FROM messages "
	    "WHERE folder_id = ?1 AND uidl = ?2), 0)" :
	    "SELECT coalesce((SELECT id FROM messages "
	    "WHERE folder_id = ?1 AND uid = ?2), 0)", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, m->folder_id);
	if (by_uidl)
		bind_text(st, 2, m->uidl);
	else
		bind_uid(st, 2, m->uid);
	return st_int64(s, st, id_r, err);
}

static int
existing(struct store *s, const struct store_msg *m, int64_t *id_r,
    struct err *err)
{
	*id_r = 0;
	/* The UID first, then the UIDL: one index probe each, where
	 * "uid = ? OR uidl = ?" built and sorted a temporary set. */
	if (m->uid != 0 && id_by_key(s, m, false, id_r, err) == -1)
		return -1;
	if (*id_r == 0 && m->uidl != NULL &&
	    id_by_key(s, m, true, id_r, err) == -1)
		return -1;
	return 0;
}

int
store_message_add(struct store *s, const struct store_msg *m,
    int64_t *id_r, bool *existed_r, struct err *err)
{
	struct thread_place	tp;
	int64_t			date, id = 0;
	int			rc;
	bool			light;

	if (existed_r != NULL)
		*existed_r = false;
	if (tx_writable(s, err) == -1)
		return -1;
	if (folder_exists(s, m->folder_id, err) == -1)
		return -1;
	/* Without a Date: header, sort by arrival. */
	date = m->date != 0 ? m->date : m->internal_date != 0 ?
	    m->internal_date : (int64_t)time(NULL);
	if (store_begin_light(s, &light, err) == -1)
		return -1;
	rc = existing(s, m, &id, err);
	if (rc == 0 && id != 0) {
		if (existed_r != NULL)
			*existed_r = true;
	} else if (rc == 0) {
		rc = thread_assign(s, m, date, &tp, err);
		if (rc == 0)
			rc = insert_row(s, m, date, &tp, &id, err);
		if (rc == 0)
			rc = insert_meta(s, id, m, err);
		if (rc == 0 && tp.mentioned)
			rc = thread_adopt(s, id, err);
	}
	if (store_end_light(s, light, rc, err) == -1)
		return -1;
	if (id_r != NULL)
		*id_r = id;
	return 0;
}

int
store_message_insert(struct store *s, const struct store_msg *m,
    int64_t *id_r, struct err *err)
{
	return store_message_add(s, m, id_r, NULL, err);
}

static struct store_msg *
msg_from_row(sqlite3_stmt *st)
{
	struct store_msg	*m;

	m = xcalloc(1, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->folder_id = sqlite3_column_int64(st, 1);
	m->uid = (uint32_t)sqlite3_column_int64(st, 2);
	m->uidl = col_strdup(st, 3);
	m->message_id = col_strdup(st, 4);
	m->in_reply_to = col_strdup(st, 5);
	m->references = col_strdup(st, 6);
	m->thread_id = sqlite3_column_int64(st, 7);
	m->depth = sqlite3_column_int(st, 8);
	m->date = sqlite3_column_int64(st, 9);
	m->date_raw = col_strdup(st, 10);
	m->from_name = col_strdup(st, 11);
	m->from_addr = col_strdup(st, 12);
	m->to = col_strdup(st, 13);
	m->cc = col_strdup(st, 14);
	m->subject = col_strdup(st, 15);
	m->flags = (unsigned)sqlite3_column_int(st, 16);
	m->keywords = col_strdup(st, 17);
	m->size = sqlite3_column_int64(st, 18);
	m->has_attachments = sqlite3_column_int(st, 19) != 0;
	if (sqlite3_column_type(st, 20) != SQLITE_NULL) {
		m->headers_len = (size_t)sqlite3_column_bytes(st, 20);
		m->headers = xmalloc(m->headers_len + 1);
		if (m->headers_len > 0)
			memcpy(m->headers, sqlite3_column_blob(st, 20),
			    m->headers_len);
		m->headers[m->headers_len] = '\0';
	}
	m->bodystructure = col_strdup(st, 21);
	m->internal_date = sqlite3_column_int64(st, 22);
	m->body_state = enum_parse(store_body_state_names, 3,
	    (const char *)sqlite3_column_text(st, 23));
	m->created = sqlite3_column_int64(st, 24);
	return m;
}

static int
get_one(struct store *s, sqlite3_stmt *st, struct store_msg **r,
    struct err *err)
{
	int	rc;

	*r = NULL;
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		err_set(err, ERR_NOTFOUND, _("no such message"));
		return -1;
	}
	*r = msg_from_row(st);
	st_done(st);
	return 0;
}

int
store_message_get(struct store *s, int64_t id, struct store_msg **r,
    struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " MSG_COLUMNS "WHERE m.id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (get_one(s, st, r, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			st_notfound(err, "message", id);
		return -1;
	}
	return 0;
}

int
store_message_get_uid(struct store *s, int64_t folder_id, uint32_t uid,
    struct store_msg **r, struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " MSG_COLUMNS
	    "WHERE m.folder_id = ?1 AND m.uid = ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	bind_int64(st, 2, uid);
	return get_one(s, st, r, err);
}

int
store_message_get_uidl(struct store *s, int64_t folder_id, const char *uidl,
    struct store_msg **r, struct err *err)
{
	sqlite3_stmt	*st;

	*r = NULL;
	if ((st = st_prep(s, "SELECT " MSG_COLUMNS
	    "WHERE m.folder_id = ?1 AND m.uidl = ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	bind_text(st, 2, uidl);
	return get_one(s, st, r, err);
}

int
store_message_id_by_uid(struct store *s, int64_t folder_id, uint32_t uid,
    int64_t *id_r, struct err *err)
{
	sqlite3_stmt	*st;

	if ((st = st_prep(s, "SELECT id FROM messages WHERE folder_id = ?1 "
	    "AND uid = ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	bind_int64(st, 2, uid);
	if (st_int64(s, st, id_r, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			err_set(err, ERR_NOTFOUND, _("no message with UID %lu "
			    "in folder %lld"), (unsigned long)uid,
			    (long long)folder_id);
		return -1;
	}
	return 0;
}

void
store_msg_clear(struct store_msg *m)
{
	free(m->uidl);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	free(m->date_raw);
	free(m->from_name);
	free(m->from_addr);
	free(m->to);
	free(m->cc);
	free(m->subject);
	free(m->keywords);
	free(m->headers);
	free(m->bodystructure);
	memset(m, 0, sizeof *m);
}

void
store_msg_free(struct store_msg **mp)
{
	if (*mp == NULL)
		return;
	store_msg_clear(*mp);
	xfree(mp);
}

static char *
join_ids(const struct mime_strlist *l)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, l->v[i]);
	}
	return b.len > 0 ? buf_detach(&b, NULL) : NULL;
}

void
store_msg_set_envelope(struct store_msg *m, const struct mime_headers *h,
    const struct mime_envelope *env)
{
	const char	*date;

	if (env->message_id != NULL)
		m->message_id = xstrdup(env->message_id);
	if (env->in_reply_to.n > 0)
		m->in_reply_to = xstrdup(env->in_reply_to.v[0]);
	m->references = join_ids(&env->references);
	m->date = env->date;
	if ((date = mime_headers_get(h, "Date")) != NULL)
		m->date_raw = xstrdup(date);
	if (env->from.n > 0) {
		if (env->from.v[0].name != NULL)
			m->from_name = xstrdup(env->from.v[0].name);
		m->from_addr = xstrdup(env->from.v[0].addr);
	}
	if (env->to.n > 0)
		m->to = mime_addrlist_format(&env->to);
	if (env->cc.n > 0)
		m->cc = mime_addrlist_format(&env->cc);
	m->subject = xstrdup(env->subject != NULL ? env->subject : "");
}

/* Run a one-row UPDATE/DELETE by id: ERR_NOTFOUND when nothing changed. */
static int
run_by_id(struct store *s, sqlite3_stmt *st, int64_t id, struct err *err)
{
	if (st_run(s, st, err) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return st_notfound(err, "message", id);
	return 0;
}

int
store_message_flags(struct store *s, int64_t id, unsigned set,
    unsigned clear, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE messages SET flags = (flags | ?2) & ~?3 "
	    "WHERE id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_int64(st, 2, set & STORE_FLAGS_ALL);
	bind_int64(st, 3, clear & STORE_FLAGS_ALL);
	return run_by_id(s, st, id, err);
}

int
store_message_set_flags_uid(struct store *s, int64_t folder_id, uint32_t uid,
    unsigned flags, const char *keywords, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE messages SET flags = ?3, "
	    "keywords = CASE WHEN ?5 THEN ?4 ELSE keywords END "
	    "WHERE folder_id = ?1 AND uid = ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	bind_int64(st, 2, uid);
	bind_int64(st, 3, flags & STORE_FLAGS_ALL);
	bind_text(st, 4, keywords);
	bind_int64(st, 5, keywords != NULL);
	if (st_run(s, st, err) == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0) {
		err_set(err, ERR_NOTFOUND, _("no message with UID %lu in "
		    "folder %lld"), (unsigned long)uid, (long long)folder_id);
		return -1;
	}
	return 0;
}

int
store_message_set_keywords(struct store *s, int64_t id, const char *keywords,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE messages SET keywords = ?2 WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_text(st, 2, keywords);
	return run_by_id(s, st, id, err);
}

int
store_message_set_uid(struct store *s, int64_t id, uint32_t uid,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE messages SET uid = ?2 WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_uid(st, 2, uid);
	if (run_by_id(s, st, id, err) == -1)
		return dup_error(s, 0, uid, err);
	return 0;
}

int
store_message_set_body_state(struct store *s, int64_t id,
    enum store_body_state state, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE messages SET body_state = ?2 "
	    "WHERE id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_text(st, 2, store_body_state_names[state <= STORE_BODY_FULL ?
	    state : 0]);
	return run_by_id(s, st, id, err);
}

int
store_message_move(struct store *s, int64_t id, int64_t folder_id,
    uint32_t new_uid, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1 || folder_exists(s, folder_id,
	    err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE messages SET folder_id = ?2, uid = ?3, "
	    "is_inbox = coalesce((SELECT role = 'inbox' FROM folders "
	    "WHERE id = ?2), 0) WHERE id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_int64(st, 2, folder_id);
	bind_uid(st, 3, new_uid);
	if (run_by_id(s, st, id, err) == -1)
		return dup_error(s, folder_id, new_uid, err);
	return 0;
}

static int
copy_children(struct store *s, int64_t from, int64_t to, struct err *err)
{
	static const char *const sql[] = {
		"INSERT INTO message_meta (msg, headers, bodystructure) "
		    "SELECT ?2, headers, bodystructure FROM message_meta "
		    "WHERE msg = ?1",
		"INSERT INTO body_chunks (msg, seq, data) "
		    "SELECT ?2, seq, data FROM body_chunks WHERE msg = ?1",
		"INSERT INTO parts (msg, section, data) "
		    "SELECT ?2, section, data FROM parts WHERE msg = ?1",
		"UPDATE fts SET body = (SELECT body FROM fts WHERE rowid = ?1) "
		    "WHERE rowid = ?2",
	};
	sqlite3_stmt	*st;
	size_t		 i;

	if (fts_flush(s, err) == -1)	/* the copy's entry takes the body */
		return -1;
	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if ((st = st_prep(s, sql[i], err)) == NULL)
			return -1;
		bind_int64(st, 1, from);
		bind_int64(st, 2, to);
		if (st_run(s, st, err) == -1)
			return -1;
	}
	return 0;
}

/* count_new_row() for the copy just made of a message. */
static int
count_copy(struct store *s, int64_t copy, int64_t folder_id,
    struct err *err)
{
	sqlite3_stmt	*st;
	unsigned	 flags;
	int64_t		 size;

	st = st_prep(s, "SELECT flags, size FROM messages WHERE id = ?1", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, copy);
	switch (st_step(s, st, err)) {
	case SQLITE_ROW:
		break;
	case SQLITE_DONE:
		st_done(st);
		return st_notfound(err, "message", copy);
	default:
		return -1;
	}
	flags = (unsigned)sqlite3_column_int64(st, 0);
	size = sqlite3_column_int64(st, 1);
	st_done(st);
	return count_new_row(s, folder_id, flags, size, err);
}

int
store_message_copy(struct store *s, int64_t id, int64_t folder_id,
    uint32_t new_uid, int64_t *id_r, struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 copy = 0;
	int		 rc = -1;

	if (tx_writable(s, err) == -1 || folder_exists(s, folder_id,
	    err) == -1 || tx_begin(s, err) == -1)
		return -1;
	/* The copy came from no POP3 server: no UIDL. */
	st = st_prep(s, "INSERT INTO messages (folder_id, uid, uidl, "
	    "is_inbox, date, flags, size, has_attachments, body_state, "
	    "thread_id, thread_date, depth, sort_from, sort_subject, "
	    "from_name, from_addr, to_text, cc_text, subject, keywords, "
	    "message_id, in_reply_to, refs, date_raw, internal_date, created) "
	    "SELECT ?2, ?3, NULL, coalesce((SELECT role = 'inbox' FROM folders "
	    "WHERE id = ?2), 0), date, flags, size, has_attachments, "
	    "body_state, thread_id, thread_date, depth, sort_from, "
	    "sort_subject, from_name, from_addr, to_text, cc_text, subject, "
	    "keywords, message_id, in_reply_to, refs, date_raw, "
	    "internal_date, ?4 FROM messages WHERE id = ?1", err);
	if (st == NULL)
		goto out;
	bind_int64(st, 1, id);
	bind_int64(st, 2, folder_id);
	bind_uid(st, 3, new_uid);
	bind_int64(st, 4, (int64_t)time(NULL));
	if (st_run(s, st, err) == -1) {
		dup_error(s, folder_id, new_uid, err);
		goto out;
	}
	if (sqlite3_changes(s->db) == 0) {
		st_notfound(err, "message", id);
		goto out;
	}
	copy = sqlite3_last_insert_rowid(s->db);
	fts_note_insert(s);
	rc = count_copy(s, copy, folder_id, err);
	if (rc == 0)
		rc = copy_children(s, id, copy, err);
out:
	if (tx_end(s, rc, err) == -1)
		return -1;
	if (id_r != NULL)
		*id_r = copy;
	return 0;
}

int
store_message_delete(struct store *s, int64_t id, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "DELETE FROM messages WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	return run_by_id(s, st, id, err);
}

int
store_message_delete_uid(struct store *s, int64_t folder_id, uint32_t uid,
    struct err *err)
{
	int64_t	id;

	if (store_message_id_by_uid(s, folder_id, uid, &id, err) == -1)
		return -1;
	return store_message_delete(s, id, err);
}

int
store_folder_uids(struct store *s, int64_t folder_id, uint32_t lo,
    uint32_t hi, uint32_t **uids_r, size_t *n_r, struct err *err)
{
	sqlite3_stmt	*st;
	uint32_t	*uids = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc;

	*uids_r = NULL;
	*n_r = 0;
	if ((st = st_prep(s, "SELECT uid FROM messages WHERE folder_id = ?1 "
	    "AND uid BETWEEN ?2 AND ?3 ORDER BY uid", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	bind_int64(st, 2, lo);
	bind_int64(st, 3, hi == 0 ? UINT32_MAX : hi);
	while ((rc = st_step(s, st, err)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			uids = xreallocarray(uids, cap, sizeof *uids);
		}
		uids[n++] = (uint32_t)sqlite3_column_int64(st, 0);
	}
	if (rc == -1) {
		free(uids);
		return -1;
	}
	st_done(st);
	*uids_r = uids;
	*n_r = n;
	return 0;
}

int
store_folder_uid_max(struct store *s, int64_t folder_id, uint32_t *uid_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 v;

	if ((st = st_prep(s, "SELECT coalesce(max(uid), 0) FROM messages "
	    "WHERE folder_id = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	if (st_int64(s, st, &v, err) == -1)
		return -1;
	*uid_r = (uint32_t)v;
	return 0;
}
