/*
 * Raw messages and single parts.  A raw message is a sequence of chunk
 * rows: a writer appends as bytes arrive from the network and a reader
 * hands them out one chunk at a time, so a 50 MB message is never whole
 * in memory (nor twice).  The body's search text goes to the FTS table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "store/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

#define BODY_CHUNK	(256 * 1024)

struct store_body_writer {
	struct store	*s;
	int64_t		 id;
	int64_t		 seq;
	char		*buf;
	size_t		 len;
	bool		 failed;
	bool		 light;		/* see store_begin_light() */
};

static int
msg_exists(struct store *s, int64_t id, struct err *err)
{
	sqlite3_stmt	*st;
	int64_t		 v;

	if ((st = st_prep(s, "SELECT 1 FROM messages WHERE id = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if (st_int64(s, st, &v, err) == -1) {
		if (err_failed(err) && err->code == ERR_NOTFOUND)
			st_notfound(err, "message", id);
		return -1;
	}
	return 0;
}

/* Index text for search, at most STORE_FTS_TEXT_MAX bytes of it. */
int
body_index_text(struct store *s, int64_t id, const char *text, size_t len,
    struct err *err)
{
	sqlite3_stmt	*st;

	if (fts_flush(s, err) == -1)
		return -1;
	if ((st = st_prep(s, "UPDATE fts SET body = ?2 WHERE rowid = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_textn(st, 2, text != NULL ? text : "", text != NULL ?
	    utf8_clip(text, len, STORE_FTS_TEXT_MAX) : 0);
	return st_run(s, st, err);
}

int
store_message_index_text(struct store *s, int64_t id, const char *text,
    size_t len, struct err *err)
{
	if (tx_writable(s, err) == -1 || msg_exists(s, id, err) == -1)
		return -1;
	return body_index_text(s, id, text, len, err);
}

static int
drop_chunks(struct store *s, int64_t id, struct err *err)
{
	sqlite3_stmt	*st;

	if ((st = st_prep(s, "DELETE FROM body_chunks WHERE msg = ?1",
	    err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	return st_run(s, st, err);
}

int
store_body_write_begin(struct store *s, int64_t id,
    struct store_body_writer **w_r, struct err *err)
{
	struct store_body_writer	*w;
	bool				 light;

	*w_r = NULL;
	if (tx_writable(s, err) == -1)
		return -1;
	if (s->writer_open) {
		err_set(err, ERR_INTERNAL, _("a body writer is already open "
		    "on this connection"));
		return -1;
	}
	if (store_begin_light(s, &light, err) == -1)
		return -1;
	if (msg_exists(s, id, err) == -1 || drop_chunks(s, id, err) == -1) {
		(void)store_end_light(s, light, -1, err);
		return -1;
	}
	w = xcalloc(1, sizeof *w);
	w->light = light;
	w->s = s;
	w->id = id;
	w->buf = xmalloc(BODY_CHUNK);
	s->writer_open = true;
	*w_r = w;
	return 0;
}

static int
flush_chunk(struct store_body_writer *w, struct err *err)
{
	sqlite3_stmt	*st;

	st = st_prep(w->s, "INSERT INTO body_chunks (msg, seq, data) "
	    "VALUES (?1, ?2, ?3)", err);
	if (st == NULL)
		return -1;
	bind_int64(st, 1, w->id);
	bind_int64(st, 2, w->seq);
	/* SQLITE_STATIC: the statement is done with buf before we reuse it */
	sqlite3_bind_blob64(st, 3, w->buf, w->len, SQLITE_STATIC);
	if (st_run(w->s, st, err) == -1)
		return -1;
	sqlite3_clear_bindings(st);
	w->seq++;
	w->len = 0;
	return 0;
}

int
store_body_write(struct store_body_writer *w, const void *data, size_t len,
    struct err *err)
{
	const char	*p = data;
	size_t		 n;

	if (w->failed) {
		err_set(err, ERR_INTERNAL, _("body writer used after a "
		    "failure"));
		return -1;
	}
	while (len > 0) {
		n = BODY_CHUNK - w->len;
		if (n > len)
			n = len;
		memcpy(w->buf + w->len, p, n);
		w->len += n;
		p += n;
		len -= n;
		if (w->len == BODY_CHUNK && flush_chunk(w, err) == -1) {
			w->failed = true;
			return -1;
		}
	}
	return 0;
}

static void
writer_free(struct store_body_writer **wp)
{
	struct store_body_writer	*w = *wp;

	w->s->writer_open = false;
	free(w->buf);
	xfree(wp);
}

int
store_body_write_commit(struct store_body_writer **wp, const char *text,
    size_t text_len, struct err *err)
{
	struct store_body_writer	*w = *wp;
	struct store			*s;
	sqlite3_stmt			*st;
	int				 rc = -1;
	bool				 light;

	if (w == NULL)
		return -1;
	s = w->s;
	light = w->light;
	if (w->failed) {
		err_set(err, ERR_INTERNAL, _("body writer used after a "
		    "failure"));
		goto out;
	}
	/* Always at least one chunk, so an empty message still "has" one. */
	if ((w->len > 0 || w->seq == 0) && flush_chunk(w, err) == -1)
		goto out;
	if ((st = st_prep(s, "UPDATE messages SET body_state = 'full' "
	    "WHERE id = ?1", err)) == NULL)
		goto out;
	bind_int64(st, 1, w->id);
	if (st_run(s, st, err) == -1)
		goto out;
	/* The whole message holds every part fetched on its own: keep one
	 * copy. */
	if ((st = st_prep(s, "DELETE FROM parts WHERE msg = ?1",
	    err)) == NULL)
		goto out;
	bind_int64(st, 1, w->id);
	if (st_run(s, st, err) == -1)
		goto out;
	if (text != NULL && body_index_text(s, w->id, text, text_len,
	    err) == -1)
		goto out;
	rc = 0;
out:
	writer_free(wp);
	return store_end_light(s, light, rc, err);
}

void
store_body_write_abort(struct store_body_writer **wp)
{
	struct store	*s;
	struct err	 e;
	bool		 light;

	if (*wp == NULL)
		return;
	s = (*wp)->s;
	light = (*wp)->light;
	writer_free(wp);
	err_clear(&e);
	(void)store_end_light(s, light, -1, &e);
}

int
store_body_set(struct store *s, int64_t id, const void *data, size_t len,
    const char *text, size_t text_len, struct err *err)
{
	struct store_body_writer	*w;
	const char			*p = data;
	size_t				 n;

	if (store_body_write_begin(s, id, &w, err) == -1)
		return -1;
	/* Straight from the caller's memory: no copy of the whole. */
	while (len > 0) {
		n = len < BODY_CHUNK ? len : BODY_CHUNK;
		if (w->len == 0 && n == BODY_CHUNK) {
			sqlite3_stmt	*st;

			st = st_prep(s, "INSERT INTO body_chunks (msg, seq, "
			    "data) VALUES (?1, ?2, ?3)", err);
			if (st == NULL)
				goto fail;
			bind_int64(st, 1, id);
			bind_int64(st, 2, w->seq);
			sqlite3_bind_blob64(st, 3, p, n, SQLITE_STATIC);
			if (st_run(s, st, err) == -1)
				goto fail;
			sqlite3_clear_bindings(st);
			w->seq++;
		} else if (store_body_write(w, p, n, err) == -1)
			goto fail;
		p += n;
		len -= n;
	}
	return store_body_write_commit(&w, text, text_len, err);
fail:
	store_body_write_abort(&w);
	return -1;
}

int
store_body_read(struct store *s, int64_t id, store_body_fn fn, void *arg,
    struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc, n = 0, stop;

	/*
	 * One statement reads one snapshot, so the chunks are consistent
	 * even while another connection writes.
	 */
	if ((st = st_prep(s, "SELECT data FROM body_chunks WHERE msg = ?1 "
	    "ORDER BY seq", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	while ((rc = st_step(s, st, err)) == SQLITE_ROW) {
		n++;
		stop = fn(arg, sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
		if (stop != 0) {
			st_done(st);
			return stop;
		}
	}
	if (rc == -1)
		return -1;
	st_done(st);
	if (n == 0) {
		err_set(err, ERR_NOTFOUND, _("message %lld has no body here"),
		    (long long)id);
		return -1;
	}
	return 0;
}

static int
append_buf(void *arg, const void *data, size_t len)
{
	buf_add(arg, data, len);
	return 0;
}

int
store_body_get(struct store *s, int64_t id, struct buf *out, struct err *err)
{
	return store_body_read(s, id, append_buf, out, err);
}

int
store_body_size(struct store *s, int64_t id, int64_t *size_r,
    struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT count(*), coalesce(sum(length(data)), 0) "
	    "FROM body_chunks WHERE msg = ?1", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (sqlite3_column_int64(st, 0) == 0) {
		st_done(st);
		err_set(err, ERR_NOTFOUND, _("message %lld has no body here"),
		    (long long)id);
		return -1;
	}
	*size_r = sqlite3_column_int64(st, 1);
	st_done(st);
	return 0;
}

int
store_body_drop(struct store *s, int64_t id, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (tx_writable(s, err) == -1 || msg_exists(s, id, err) == -1)
		return -1;
	if (tx_begin(s, err) == -1)
		return -1;
	rc = drop_chunks(s, id, err);
	if (rc == 0 && (st = st_prep(s, "UPDATE messages SET body_state = "
	    "CASE WHEN EXISTS (SELECT 1 FROM parts WHERE msg = ?1) "
	    "THEN 'partial' ELSE 'none' END WHERE id = ?1", err)) != NULL) {
		bind_int64(st, 1, id);
		rc = st_run(s, st, err);
	} else
		rc = -1;
	return tx_end(s, rc, err);
}

int
store_part_set(struct store *s, int64_t id, const char *section,
    const void *data, size_t len, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	if (tx_writable(s, err) == -1 || msg_exists(s, id, err) == -1)
		return -1;
	if (section == NULL || *section == '\0') {
		err_set(err, ERR_USAGE, _("empty part section"));
		return -1;
	}
	if (tx_begin(s, err) == -1)
		return -1;
	/* Not kept beside a whole message, which has it already. */
	if ((st = st_prep(s, "INSERT OR REPLACE INTO parts (msg, section, "
	    "data) SELECT ?1, ?2, ?3 FROM messages WHERE id = ?1 AND "
	    "body_state <> 'full'", err)) == NULL)
		goto out;
	bind_int64(st, 1, id);
	bind_text(st, 2, section);
	sqlite3_bind_blob64(st, 3, len > 0 ? data : "", len, SQLITE_STATIC);
	if (st_run(s, st, err) == -1)
		goto out;
	sqlite3_clear_bindings(st);
	if ((st = st_prep(s, "UPDATE messages SET body_state = 'partial' "
	    "WHERE id = ?1 AND body_state = 'none'", err)) == NULL)
		goto out;
	bind_int64(st, 1, id);
	rc = st_run(s, st, err);
out:
	return tx_end(s, rc, err);
}

int
store_part_get(struct store *s, int64_t id, const char *section,
    struct buf *out, struct err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = st_prep(s, "SELECT data FROM parts WHERE msg = ?1 "
	    "AND section = ?2", err)) == NULL)
		return -1;
	bind_int64(st, 1, id);
	bind_text(st, 2, section);
	if ((rc = st_step(s, st, err)) == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		err_set(err, ERR_NOTFOUND, _("message %lld: part %s is not "
		    "here"), (long long)id, section);
		return -1;
	}
	buf_add(out, sqlite3_column_blob(st, 0),
	    (size_t)sqlite3_column_bytes(st, 0));
	st_done(st);
	return 0;
}

struct raw_cmp {
	const char	*p;
	size_t		 left;
};

/* 0 while the chunks match the caller's bytes so far, 1 on a difference. */
static int
raw_cmp_chunk(void *arg, const void *data, size_t len)
{
	struct raw_cmp	*c = arg;

	if (len > c->left || memcmp(c->p, data, len) != 0)
		return 1;
	c->p += len;
	c->left -= len;
	return 0;
}

int
store_message_find_raw(struct store *s, int64_t folder_id, const void *data,
    size_t len, int64_t *id_r, struct err *err)
{
	sqlite3_stmt	*st;
	struct raw_cmp	 c;
	int64_t		*ids = NULL;
	size_t		 n = 0, i;
	int		 rc;

	/* Same size first (an index), then the bytes, chunk by chunk. */
	if ((st = st_prep(s, "SELECT id FROM messages WHERE folder_id = ?1 "
	    "AND size = ?2 AND body_state = 'full'", err)) == NULL)
		return -1;
	bind_int64(st, 1, folder_id);
	bind_int64(st, 2, (int64_t)len);
	while ((rc = st_step(s, st, err)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc == -1) {
		free(ids);
		return -1;
	}
	st_done(st);
	for (i = 0; i < n; i++) {
		c.p = data;
		c.left = len;
		rc = store_body_read(s, ids[i], raw_cmp_chunk, &c, err);
		if (rc == -1 && err->code != ERR_NOTFOUND) {
			free(ids);
			return -1;
		}
		err_clear(err);
		if (rc == 0 && c.left == 0) {
			*id_r = ids[i];
			free(ids);
			return 0;
		}
	}
	free(ids);
	err_set(err, ERR_NOTFOUND, "%s", _("no message with these bytes in "
	    "the folder"));
	return -1;
}

/* ------------------------------------------------------------------ */
/* A message as far as it is here                                     */

struct part_src {
	struct store	*s;
	int64_t		 id;
};

static int
part_src_get(void *arg, const char *section, struct buf *out)
{
	struct part_src	*ps = arg;
	struct err	 e;

	err_clear(&e);
	return store_part_get(ps->s, ps->id, section, out, &e);
}

int
store_message_view(struct store *s, int64_t id, const char *prefer,
    struct buf *raw, struct store_view *v, struct err *err)
{
	struct store_msg	*m = NULL;
	struct part_src		 ps = { s, id };
	struct mime_strlist	 miss = { NULL, 0 };
	struct buf		 hdr = BUF_INIT;
	size_t			 len0 = raw->len;

	memset(v, 0, sizeof *v);
	/* A whole message wins over any parts. */
	if (store_body_get(s, id, raw, err) == 0) {
		v->whole = true;
		return 0;
	}
	if (err->code != ERR_NOTFOUND)
		return -1;
	buf_truncate(raw, len0);
	if (store_message_get(s, id, &m, err) == -1)
		return -1;
	if (m->bodystructure != NULL)
		v->structure = mime_structure_parse(m->bodystructure,
		    strlen(m->bodystructure));
	if (v->structure == NULL) {
		store_msg_free(&m);
		err_set(err, ERR_NOTFOUND, _("message %lld has no body here"),
		    (long long)id);
		return -1;
	}
	err_clear(err);
	/* The whole header when it came with the parts (the sync stores
	 * only the fields it uses); else those. */
	if (part_src_get(&ps, "HEADER", &hdr) == -1 && m->headers != NULL)
		buf_add(&hdr, m->headers, m->headers_len);
	v->wanted_missing = mime_structure_assemble(v->structure,
	    buf_cstr(&hdr), hdr.len, prefer, part_src_get, &ps, raw, &miss);
	v->missing = miss.v;
	v->nmissing = miss.n;
	buf_free(&hdr);
	store_msg_free(&m);
	return 0;
}

void
store_view_clear(struct store_view *v)
{
	struct mime_strlist	miss = { v->missing, v->nmissing };

	mime_part_free(&v->structure);
	mime_strlist_free(&miss);
	memset(v, 0, sizeof *v);
}
