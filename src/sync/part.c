/*
 * Bodies one part at a time: the BODYSTRUCTURE of a new message kept in
 * the store's text form, and a big message opened for reading fetched
 * as just the parts the reader shows (BODY.PEEK[n.MIME] and [n]), its
 * attachments only when asked for.  Small messages, and any whose
 * structure is unknown, come whole: one round trip is cheaper.
 */
#include "config.h"

#include <stdio.h>
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

/* ---- BODYSTRUCTURE to a part tree ------------------------------------ */

static char *
lowdup(const char *s, const char *def)
{
	char	*d = xstrdup(s != NULL && *s != '\0' ? s : def), *p;

	for (p = d; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

/*
 * Parameters as the header parser reads them, so RFC 2231 and RFC 2047
 * values come out decoded exactly as from the message itself.
 */
static void
params_from(const char *token, const struct imap_param *ps, size_t n,
    char **token_r, struct mime_params *out)
{
	struct buf	 b = BUF_INIT;
	const char	*v;
	size_t		 i;

	buf_adds(&b, token);
	for (i = 0; i < n; i++) {
		if (ps[i].name == NULL || ps[i].value == NULL ||
		    strpbrk(ps[i].name, " \t\r\n;=\"") != NULL)
			continue;
		buf_addf(&b, "; %s=\"", ps[i].name);
		for (v = ps[i].value; *v != '\0'; v++) {
			if (*v == '\r' || *v == '\n')
				continue;
			if (*v == '"' || *v == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *v);
		}
		buf_addc(&b, '"');
	}
	mime_params_parse(buf_cstr(&b), b.len, NULL, token_r, out);
	buf_free(&b);
}

static struct mime_part *
from_imap(const struct imap_body *b, int depth, size_t *count)
{
	struct mime_part	*p, *c;
	char			*type, *sub, *token = NULL;
	bool			 multi;
	size_t			 i;

	if (depth > MIME_MAX_DEPTH || ++*count > MIME_MAX_PARTS)
		return NULL;
	multi = b->type == NULL || strcasecmp(b->type, "multipart") == 0;
	type = lowdup(multi ? "multipart" : b->type, "text");
	sub = lowdup(b->subtype, multi ? "mixed" : "plain");
	p = mime_part_new(type, sub);
	free(type);
	free(sub);
	params_from("x/y", b->params, b->nparams, &token, &p->params);
	free(token);
	if (b->disposition != NULL) {
		params_from(b->disposition, b->dparams, b->ndparams, &token,
		    &p->disp_params);
		if (*token != '\0')
			p->disposition = token;
		else
			free(token);
	}
	p->encoding = mime_encoding_parse(b->encoding);
	p->size = b->size;
	p->lines = b->lines;
	p->filename = mime_clean_name(mime_params_get(&p->disp_params,
	    "filename"));
	if (p->filename == NULL)
		p->filename = mime_clean_name(mime_params_get(&p->params,
		    "name"));
	if (b->description != NULL)
		p->description = mime_header_decode(b->description,
		    strlen(b->description), NULL);
	if (b->id != NULL)
		p->content_id = mime_msgid_parse(b->id, strlen(b->id));
	if (multi || (mime_part_is(p, "message", NULL) && b->nparts == 1)) {
		for (i = 0; i < b->nparts; i++) {
			if ((c = from_imap(&b->parts[i], depth + 1,
			    count)) == NULL) {
				mime_part_free(&p);
				return NULL;
			}
			mime_part_add_child(p, c);
		}
	}
	return p;
}

char *
sync_structure_text(const struct imap_body *body)
{
	struct mime_part	*root;
	struct buf		 b = BUF_INIT;
	size_t			 count = 0;

	if (body == NULL || (root = from_imap(body, 0, &count)) == NULL)
		return NULL;
	mime_tree_number(root);
	mime_structure_format(root, &b);
	mime_part_free(&root);
	if (b.len > MIME_STRUCTURE_MAX) {
		buf_free(&b);
		return NULL;
	}
	buf_adds(&b, "");
	return buf_detach(&b, NULL);
}

/* ---- Fetching parts ---------------------------------------------------- */

struct want {
	char		**secs;		/* "1.1", "1.1.MIME", ... */
	size_t		  n;
	uint64_t	  bytes;
	struct store	 *store;
	int64_t		  id;
};

static void
want_add(struct want *w, const char *sec)
{
	w->secs = xreallocarray(w->secs, w->n + 1, sizeof *w->secs);
	w->secs[w->n++] = xstrdup(sec);
}

static void
want_clear(struct want *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		free(w->secs[i]);
	free(w->secs);
	w->secs = NULL;
	w->n = 0;
}

static bool
part_here(struct want *w, const char *sec)
{
	struct buf	b = BUF_INIT;
	struct err	e;
	int		rc;

	err_clear(&e);
	rc = store_part_get(w->store, w->id, sec, &b, &e);
	buf_free(&b);
	return rc == 0;
}

/* The part and, inside a multipart, its own header, unless here. */
static void
want_part(struct want *w, const struct mime_part *p)
{
	char	*msec;

	/* Sizes come from the server: saturate rather than wrap. */
	w->bytes = p->size > UINT64_MAX / 4 - w->bytes ? UINT64_MAX / 4 :
	    w->bytes + p->size;
	if (!part_here(w, p->section))
		want_add(w, p->section);
	if (p->parent == NULL || !mime_part_is_multipart(p->parent))
		return;
	msec = xasprintf("%s.MIME", p->section);
	if (!part_here(w, msec))
		want_add(w, msec);
	free(msec);
}

static int
want_cb(const struct mime_part *p, void *arg)
{
	want_part(arg, p);
	return 0;
}

struct got {
	struct want	*w;
	size_t		 stored;
};

static int
on_parts(void *arg, const struct imap_fetch *fx, struct err *err)
{
	struct got	*g = arg;
	size_t		 i, k;

	for (i = 0; i < fx->nsections; i++) {
		const struct imap_section *s = &fx->sections[i];

		if (s->data == NULL || s->has_origin)
			continue;
		/* Only what we asked for, under our own spelling. */
		for (k = 0; k < g->w->n; k++)
			if (strcasecmp(g->w->secs[k], s->section) == 0)
				break;
		if (k == g->w->n)
			continue;
		if (store_part_set(g->w->store, g->w->id, g->w->secs[k],
		    s->data, s->len, err) == -1)
			return -1;
		g->stored++;
	}
	return 0;
}

static int
fetch_sections(struct sync_session *s, const struct store_msg *m,
    struct want *w, struct err *err)
{
	struct store_folder	*f = NULL;
	struct imap_fetch_req	 req;
	struct got		 g = { w, 0 };
	struct buf		 items = BUF_INIT;
	char			 uid[16];
	size_t			 i;
	int			 rc = -1;

	if (sess_ready(s, err) == -1)
		return -1;
	/* The whole header comes along: the sync keeps only some fields. */
	if (!part_here(w, "HEADER"))
		want_add(w, "HEADER");
	if (store_folder_get(s->store, m->folder_id, &f, err) == -1)
		return -1;
	if (sess_select(s, f, err) == -1) {
		sess_check_conn(s);
		goto out;
	}
	buf_adds(&items, "UID");
	for (i = 0; i < w->n; i++)
		buf_addf(&items, " BODY.PEEK[%s]", w->secs[i]);
	snprintf(uid, sizeof uid, "%u", m->uid);
	memset(&req, 0, sizeof req);
	req.uids = uid;
	req.items = buf_cstr(&items);
	/*
	 * The parts, their headers and the response's own words; never more
	 * than the whole message could take, whatever the structure claims.
	 */
	req.max_response = (size_t)(w->bytes < (uint64_t)m->size ? w->bytes :
	    (uint64_t)m->size) + 64 * 1024 + w->n * 8192;
	if (req.max_response < IMAP_MAX_RESPONSE_DEFAULT)
		req.max_response = IMAP_MAX_RESPONSE_DEFAULT;
	req.on_fetch = on_parts;
	req.arg = &g;
	if (store_begin(s->store, err) == -1)
		goto out;
	if (imap_uid_fetch(s->conn, &req, err) == -1) {
		store_rollback(s->store);
		sess_check_conn(s);
		goto out;
	}
	if (store_commit(s->store, err) == -1)
		goto out;
	if (g.stored == 0) {
		err_set(err, ERR_NOTFOUND, _("%s: message UID %lu is gone from "
		    "the server"), f->display, (unsigned long)m->uid);
		goto out;
	}
	rc = 0;
out:
	buf_free(&items);
	store_folder_free(&f);
	return rc;
}

/* The search index gets the text of the parts that are here. */
static void
index_parts(struct sync_session *s, int64_t id, const char *prefer)
{
	struct store_view	 v;
	struct buf		 raw = BUF_INIT;
	struct err		 e;
	char			*text;
	size_t			 tlen;

	err_clear(&e);
	if (store_message_view(s->store, id, prefer, &raw, &v, &e) == 0 &&
	    !v.whole) {
		text = sync_search_text(buf_cstr(&raw), raw.len, &tlen);
		if (store_message_index_text(s->store, id, text, tlen,
		    &e) == -1)
			err_clear(&e);	/* search misses it; reading works */
		free(text);
	}
	store_view_clear(&v);
	buf_free(&raw);
}

/*
 * What a fetch by parts starts from: the message (*m_r, to free) and,
 * when its structure is known, its part tree (*root_r, else NULL: fetch
 * it whole), w ready to fill.  With small_whole, a message of at most
 * SYNC_PARTS_MIN bytes gets no tree either.  1: the whole body is here,
 * nothing to fetch and nothing to free; -1 likewise nothing to free.
 */
static int
parts_begin(struct sync_session *s, int64_t msg_id, bool small_whole,
    struct store_msg **m_r, struct mime_part **root_r, struct want *w,
    struct err *err)
{
	struct store_msg	*m;

	*m_r = NULL;
	*root_r = NULL;
	memset(w, 0, sizeof *w);
	w->store = s->store;
	w->id = msg_id;
	if (store_message_get(s->store, msg_id, &m, err) == -1)
		return -1;
	if (m->body_state == STORE_BODY_FULL) {
		store_msg_free(&m);
		return 1;
	}
	*m_r = m;
	if ((!small_whole || m->size > SYNC_PARTS_MIN) && m->uid != 0 &&
	    m->bodystructure != NULL)
		*root_r = mime_structure_parse(m->bodystructure,
		    strlen(m->bodystructure));
	return 0;
}

int
sync_fetch_view(struct sync_session *s, int64_t msg_id, const char *prefer,
    struct err *err)
{
	struct store_msg	*m;
	struct mime_part	*root;
	struct want		 w;
	int			 rc = -1, k;

	if ((k = parts_begin(s, msg_id, true, &m, &root, &w, err)) != 0)
		return k == 1 ? 0 : -1;
	if (root != NULL)
		mime_structure_wanted(root, prefer, want_cb, &w);
	/* Parts worth half the message: fetching it whole costs less. */
	if (root == NULL || w.bytes * 2 >= (uint64_t)m->size) {
		rc = sync_fetch_body(s, msg_id, err);
		goto out;
	}
	if (w.n > 0 && fetch_sections(s, m, &w, err) == -1)
		goto out;
	if (w.n > 0)
		index_parts(s, msg_id, prefer);
	rc = 0;
out:
	want_clear(&w);
	mime_part_free(&root);
	store_msg_free(&m);
	return rc;
}

int
sync_fetch_part(struct sync_session *s, int64_t msg_id, const char *section,
    struct err *err)
{
	struct store_msg	*m;
	struct mime_part	*root;
	const struct mime_part	*p;
	struct want		 w;
	int			 rc = -1, k;

	if ((k = parts_begin(s, msg_id, false, &m, &root, &w, err)) != 0)
		return k == 1 ? 0 : -1;
	if (root == NULL) {
		rc = sync_fetch_body(s, msg_id, err);
		goto out;
	}
	if ((p = mime_tree_find(root, section)) == NULL ||
	    mime_part_is_multipart(p)) {
		err_set(err, ERR_NOTFOUND, _("message %lld has no part %s"),
		    (long long)msg_id, section);
		goto out;
	}
	want_part(&w, p);
	if (w.n > 0 && fetch_sections(s, m, &w, err) == -1)
		goto out;
	rc = 0;
out:
	want_clear(&w);
	mime_part_free(&root);
	store_msg_free(&m);
	return rc;
}
