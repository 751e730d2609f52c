/*
 * From IMAP FETCH data to store rows: flags, header blocks made into
 * index rows, bodies with their search text.  Headers and bodies are
 * fetched for a list of UIDs in one command and written in one
 * transaction, so a batch is all there or not at all.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap.h"
#include "mime/mime.h"
#include "store/store.h"
#include "sync/sync-int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

static const struct {
	const char	*name;
	unsigned	 bit;
} flag_names[] = {
	{ "\\Seen", STORE_FLAG_SEEN },
	{ "\\Answered", STORE_FLAG_ANSWERED },
	{ "\\Flagged", STORE_FLAG_FLAGGED },
	{ "\\Deleted", STORE_FLAG_DELETED },
	{ "\\Draft", STORE_FLAG_DRAFT },
};
#define NFLAGS (sizeof flag_names / sizeof flag_names[0])

void
sync_flags_parse(const struct imap_fetch *fx, unsigned *flags_r,
    char **keywords_r)
{
	struct buf	kw = BUF_INIT;
	size_t		i, j;
	unsigned	flags = 0;

	for (i = 0; i < fx->nflags; i++) {
		const char *f = fx->flags[i];

		for (j = 0; j < NFLAGS; j++) {
			if (strcasecmp(f, flag_names[j].name) == 0)
				break;
		}
		if (j < NFLAGS) {
			flags |= flag_names[j].bit;
			continue;
		}
		if (f[0] == '\\')	/* \Recent and the like */
			continue;
		if (kw.len > 0)
			buf_addc(&kw, ' ');
		buf_adds(&kw, f);
	}
	*flags_r = flags;
	buf_adds(&kw, "");
	*keywords_r = buf_detach(&kw, NULL);
}

void
sync_flags_format(struct buf *out, unsigned flags, const char *keywords)
{
	size_t	i;

	for (i = 0; i < NFLAGS; i++) {
		if (flags & flag_names[i].bit) {
			if (out->len > 0)
				buf_addc(out, ' ');
			buf_adds(out, flag_names[i].name);
		}
	}
	if (keywords != NULL && *keywords != '\0') {
		if (out->len > 0)
			buf_addc(out, ' ');
		buf_adds(out, keywords);
	}
	buf_adds(out, "");
}

static bool
body_has_attachment(const struct imap_body *b, int depth)
{
	size_t	i;

	if (b == NULL || depth > 32)
		return false;
	if (b->disposition != NULL &&
	    strcasecmp(b->disposition, "attachment") == 0)
		return true;
	if (b->type == NULL || strcasecmp(b->type, "multipart") == 0) {
		for (i = 0; i < b->nparts; i++) {
			if (body_has_attachment(&b->parts[i], depth + 1))
				return true;
		}
		return false;
	}
	/* Below the top, anything but text is shown as an attachment. */
	if (depth > 0 && strcasecmp(b->type, "text") != 0)
		return true;
	return false;
}

static const struct imap_section *
find_section(const struct imap_fetch *fx, const char *name)
{
	size_t	i;

	for (i = 0; i < fx->nsections; i++) {
		if (strcasecmp(fx->sections[i].section, name) == 0)
			return &fx->sections[i];
	}
	return NULL;
}

/* The header block: HEADER.FIELDS (...) as asked, or HEADER (a server
 * may send all of it). */
static const struct imap_section *
header_section(const struct imap_fetch *fx)
{
	const struct imap_section	*hs;

	if ((hs = find_section(fx, "HEADER")) != NULL)
		return hs;
	for (hs = fx->sections; hs < fx->sections + fx->nsections; hs++) {
		if (strncasecmp(hs->section, "HEADER.FIELDS (", 15) == 0)
			return hs;
	}
	return NULL;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
sync_msg_fill_headers(struct store_msg *m, const char *data, size_t len)
{
	struct mime_headers		*hdrs;
	struct mime_envelope		 env;
	struct buf			 refs = BUF_INIT;
	size_t				 i, off = len;

	m->headers = (char *)data;
	m->headers_len = len;
	hdrs = mime_headers_parse(data, len, &off);
	memset(&env, 0, sizeof env);
	mime_envelope_from_headers(&env, hdrs, m->internal_date, NULL);
	m->message_id = dup_or_null(env.message_id);
	if (env.in_reply_to.n > 0)
		m->in_reply_to = xstrdup(env.in_reply_to.v[0]);
	for (i = 0; i < env.references.n; i++) {
		if (i > 0)
			buf_addc(&refs, ' ');
		buf_adds(&refs, env.references.v[i]);
	}
	if (refs.len > 0)
		m->references = buf_detach(&refs, NULL);
	m->date = env.date;
	m->date_raw = mime_headers_get_decoded(hdrs, "Date", NULL);
	if (env.from.n > 0) {
		m->from_name = dup_or_null(env.from.v[0].name);
		m->from_addr = dup_or_null(env.from.v[0].addr);
	}
	if (env.to.n > 0)
		m->to = mime_addrlist_format(&env.to);
	if (env.cc.n > 0)
		m->cc = mime_addrlist_format(&env.cc);
	m->subject = xstrdup(env.subject != NULL ? env.subject : "");
	mime_envelope_free(&env);
	mime_headers_free(&hdrs);
	buf_free(&refs);
	if (off < len)
		m->headers_len = off;
}

int
sync_msg_from_fetch(const struct imap_fetch *fx, int64_t folder_id,
    struct store_msg *m, struct err *err)
{
	const struct imap_section	*hs;

	memset(m, 0, sizeof *m);
	if (!(fx->have & IMAP_FETCH_UID) || fx->uid == 0) {
		err_set(err, ERR_PROTO, "%s", _("FETCH without a UID"));
		return -1;
	}
	hs = header_section(fx);
	m->folder_id = folder_id;
	m->uid = fx->uid;
	m->internal_date = (fx->have & IMAP_FETCH_INTERNALDATE) ?
	    (int64_t)fx->internaldate : 0;
	m->size = (fx->have & IMAP_FETCH_SIZE) ? (int64_t)fx->size : 0;
	sync_flags_parse(fx, &m->flags, &m->keywords);
	m->has_attachments = body_has_attachment(fx->body, 0);
	m->bodystructure = sync_structure_text(fx->body);
	m->body_state = STORE_BODY_NONE;
	if (hs == NULL || hs->data == NULL) {
		m->date = m->internal_date;
		m->subject = xstrdup("");
		return 0;
	}
	sync_msg_fill_headers(m, hs->data, hs->len);
	return 0;
}

/* ------------------------------------------------------------------ */

static void
uid_set(struct buf *out, const uint32_t *uids, size_t n)
{
	struct imap_seqset	set;
	size_t			i;

	memset(&set, 0, sizeof set);
	for (i = 0; i < n; i++)
		imap_seqset_add(&set, uids[i], uids[i]);
	imap_seqset_normalize(&set);
	buf_reset(out);
	imap_seqset_format(&set, out);
	imap_seqset_clear(&set);
}

void
sync_msgs_free(struct sync_msgs *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		store_msg_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Room for one more message at l->v[l->n]; the caller counts it in. */
static struct store_msg *
sync_msgs_slot(struct sync_msgs *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	return &l->v[l->n];
}

int
sync_msgs_store(struct sync_session *s, const struct sync_msgs *l,
    uint64_t *added_r, struct err *err)
{
	size_t	i;
	bool	existed;

	for (i = 0; i < l->n; i++) {
		/*
		 * The store finds a message here already (a resumed batch,
		 * COPYUID) itself: asking first cost every new message a
		 * second lookup.
		 */
		if (store_message_add(s->store, &l->v[i], NULL, &existed,
		    err) == -1)
			return -1;
		if (!existed && added_r != NULL)
			(*added_r)++;
	}
	return 0;
}

struct hdr_ctx {
	int64_t			 folder_id;
	struct sync_msgs	 msgs;
	bool			 discard;	/* read the reply, keep nothing */
};

/* A batch of headers on its way: its FETCH sent, the reply not read. */
struct sync_hdr_batch {
	struct imap_fetch_req		 req;
	struct hdr_ctx			 c;
	struct buf			 set;
	struct imap_fetch_pending	*pending;
};

static int
on_header(void *arg, const struct imap_fetch *fx, struct err *err)
{
	struct hdr_ctx		*c = arg;
	struct sync_msgs	*l = &c->msgs;
	struct store_msg	*m;

	if (!(fx->have & IMAP_FETCH_UID) || c->discard)
		return 0;
	m = sync_msgs_slot(l);
	if (sync_msg_from_fetch(fx, c->folder_id, m, err) == -1)
		return -1;
	/* The header block is in the reply's buffer, reused by the next
	 * response: the message keeps a copy. */
	if (m->headers != NULL) {
		m->headers = xmemdup(m->headers, m->headers_len + 1);
		m->headers[m->headers_len] = '\0';
	}
	l->n++;
	return 0;
}

int
sync_headers_start(struct sync_session *s, int64_t folder_id,
    const uint32_t *uids, size_t n, struct sync_hdr_batch **b_r,
    struct err *err)
{
	struct sync_hdr_batch	*b;

	*b_r = NULL;
	if (n == 0)
		return 0;
	b = xcalloc(1, sizeof *b);
	uid_set(&b->set, uids, n);
	b->c.folder_id = folder_id;
	b->req.uids = buf_cstr(&b->set);
	b->req.items = SYNC_HEADER_ITEMS;
	b->req.on_fetch = on_header;
	b->req.arg = &b->c;
	if (imap_uid_fetch_start(s->conn, &b->req, &b->pending, err) == -1) {
		buf_free(&b->set);
		free(b);
		return -1;
	}
	*b_r = b;
	return 0;
}

int
sync_headers_finish(struct sync_session *s, struct sync_hdr_batch **bp,
    struct sync_msgs *out, struct err *err)
{
	struct sync_hdr_batch	*b = *bp;
	int			 rc;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (b == NULL)
		return 0;
	b->c.discard = out == NULL;
	rc = imap_uid_fetch_finish(s->conn, &b->pending, err);
	if (rc == 0 && out != NULL)
		*out = b->c.msgs;
	else
		sync_msgs_free(&b->c.msgs);
	buf_free(&b->set);
	free(b);
	*bp = NULL;
	return rc;
}

int
sync_fetch_headers(struct sync_session *s, int64_t folder_id,
    const uint32_t *uids, size_t n, uint64_t *added_r, struct err *err)
{
	struct sync_hdr_batch	*b;
	struct sync_msgs	 l;
	int			 rc;

	if (sync_headers_start(s, folder_id, uids, n, &b, err) == -1 ||
	    sync_headers_finish(s, &b, &l, err) == -1)
		return -1;
	rc = sync_msgs_store(s, &l, added_r, err);
	sync_msgs_free(&l);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Bodies                                                              */

char *
sync_search_text(const char *raw, size_t len, size_t *len_r)
{
	struct mime_message	*msg;
	struct mime_render	*r;
	struct mime_render_opts	 o;
	struct buf		 out = BUF_INIT;
	size_t			 i;

	memset(&o, 0, sizeof o);
	o.no_headers = true;
	o.html_timeout_ms = 2000;
	if ((msg = mime_message_parse(raw, len, 0)) != NULL) {
		r = mime_render(msg, &o);
		for (i = 0; r != NULL && i < r->nlines; i++) {
			if (r->lines[i].kind == MIME_LINE_ATTACHMENT)
				continue;
			if (out.len + r->lines[i].len + 1 > STORE_FTS_TEXT_MAX)
				break;
			buf_add(&out, r->lines[i].text, r->lines[i].len);
			buf_addc(&out, '\n');
		}
		mime_render_free(&r);
		mime_message_free(&msg);
	}
	buf_adds(&out, "");
	return buf_detach(&out, len_r);
}

struct body_ctx {
	struct sync_session	*s;
	int64_t			 folder_id;
	uint64_t		 got;
};

static int
on_body(void *arg, const struct imap_fetch *fx, struct err *err)
{
	struct body_ctx			*c = arg;
	const struct imap_section	*bs;
	int64_t				 id;
	char				*text;
	size_t				 tlen;
	int				 rc;

	if (!(fx->have & IMAP_FETCH_UID) ||
	    (bs = find_section(fx, "")) == NULL || bs->data == NULL)
		return 0;
	if (store_message_id_by_uid(c->s->store, c->folder_id, fx->uid, &id,
	    err) == -1)
		return err->code == ERR_NOTFOUND ? (err_clear(err), 0) : -1;
	text = sync_search_text(bs->data, bs->len, &tlen);
	rc = store_body_set(c->s->store, id, bs->data, bs->len, text, tlen,
	    err);
	free(text);
	if (rc == 0)
		c->got++;
	return rc;
}

int
sync_fetch_bodies(struct sync_session *s, int64_t folder_id,
    const uint32_t *uids, size_t n, size_t max_response, uint64_t *got_r,
    struct err *err)
{
	struct imap_fetch_req	 req;
	struct body_ctx		 c;
	struct buf		 set = BUF_INIT;
	int			 rc;

	if (n == 0)
		return 0;
	uid_set(&set, uids, n);
	memset(&c, 0, sizeof c);
	c.s = s;
	c.folder_id = folder_id;
	memset(&req, 0, sizeof req);
	req.uids = buf_cstr(&set);
	req.items = "UID BODY.PEEK[]";
	req.max_response = max_response;
	req.on_fetch = on_body;
	req.arg = &c;
	if (store_begin(s->store, err) == -1) {
		buf_free(&set);
		return -1;
	}
	rc = imap_uid_fetch(s->conn, &req, err);
	buf_free(&set);
	if (rc == -1) {
		store_rollback(s->store);
		return -1;
	}
	if (store_commit(s->store, err) == -1)
		return -1;
	if (got_r != NULL)
		*got_r += c.got;
	return 0;
}
