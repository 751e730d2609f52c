/*
 * The MIME tree of a message in memory: parts as offsets into the raw
 * bytes (bodies are never copied), IMAP section numbers, broken
 * boundaries repaired where possible, and caps on depth and part count.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/base64.h"
#include "util/buf.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define BOUNDARY_MAX	200	/* RFC 2046 says 70; be generous */

struct mime_message {
	const char		*raw;
	size_t			 len;
	char			*copy;
	struct mime_part	*root;
	size_t			 nparts;
};

struct mime_part *
mime_part_new(const char *type, const char *subtype)
{
	struct mime_part	*p;

	p = xcalloc(1, sizeof *p);
	p->type = xstrdup(type != NULL ? type : "text");
	p->subtype = xstrdup(subtype != NULL ? subtype : "plain");
	p->section = xstrdup("");
	return p;
}

void
mime_part_add_child(struct mime_part *parent, struct mime_part *child)
{
	struct mime_part	**pp;

	for (pp = &parent->child; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = child;
	child->parent = parent;
	child->depth = parent->depth + 1;
	parent->nchildren++;
}

void
mime_part_free(struct mime_part **pp)
{
	struct mime_part	*p = *pp, *c, *next;

	if (p == NULL)
		return;
	for (c = p->child; c != NULL; c = next) {
		next = c->next;
		mime_part_free(&c);
	}
	free(p->type);
	free(p->subtype);
	mime_params_free(&p->params);
	free(p->disposition);
	mime_params_free(&p->disp_params);
	free(p->filename);
	free(p->description);
	free(p->content_id);
	free(p->section);
	mime_headers_free(&p->headers);
	free(p);
	*pp = NULL;
}

bool
mime_part_is(const struct mime_part *p, const char *type, const char *sub)
{
	return strcasecmp(p->type, type) == 0 &&
	    (sub == NULL || strcasecmp(p->subtype, sub) == 0);
}

bool
mime_part_is_multipart(const struct mime_part *p)
{
	return mime_part_is(p, "multipart", NULL);
}

static bool
part_is_message(const struct mime_part *p)
{
	return mime_part_is(p, "message", "rfc822") ||
	    mime_part_is(p, "message", "global");
}

static void
tree_number(struct mime_part *p, const char *section, int depth)
{
	struct mime_part	*c;
	char			*s;
	int			 i;

	free(p->section);
	p->section = xstrdup(section);
	p->depth = depth;
	if (mime_part_is_multipart(p)) {
		for (c = p->child, i = 1; c != NULL; c = c->next, i++) {
			s = *section == '\0' ? xasprintf("%d", i) :
			    xasprintf("%s.%d", section, i);
			tree_number(c, s, depth + 1);
			free(s);
		}
	} else if (p->child != NULL) {
		/* message/rfc822: a multipart body shares our number. */
		if (mime_part_is_multipart(p->child))
			tree_number(p->child, section, depth + 1);
		else {
			s = xasprintf("%s.1", section);
			tree_number(p->child, s, depth + 1);
			free(s);
		}
	}
}

void
mime_tree_number(struct mime_part *root)
{
	tree_number(root, mime_part_is_multipart(root) ? "" : "1", 0);
}

char *
mime_part_content_type(const struct mime_part *p)
{
	return xasprintf("%s/%s", p->type, p->subtype);
}

const char *
mime_part_param(const struct mime_part *p, const char *name)
{
	return mime_params_get(&p->params, name);
}

const char *
mime_part_charset(const struct mime_part *p)
{
	return mime_params_get(&p->params, "charset");
}

static const char *const enc_names[] = {
	[MIME_ENC_7BIT] = "7bit",
	[MIME_ENC_8BIT] = "8bit",
	[MIME_ENC_BINARY] = "binary",
	[MIME_ENC_QP] = "quoted-printable",
	[MIME_ENC_BASE64] = "base64",
	[MIME_ENC_UUENCODE] = "x-uuencode",
	[MIME_ENC_OTHER] = "other",
};

const char *
mime_encoding_name(enum mime_encoding e)
{
	if ((size_t)e >= sizeof enc_names / sizeof enc_names[0])
		return "other";
	return enc_names[e];
}

enum mime_encoding
mime_encoding_parse(const char *s)
{
	size_t	len;

	if (s == NULL)
		return MIME_ENC_7BIT;
	while (MIME_SPACE(*s))
		s++;
	len = strcspn(s, " \t\r\n;(");
	if (len == 0 || mime_eq(s, len, "7bit"))
		return MIME_ENC_7BIT;
	if (mime_eq(s, len, "8bit"))
		return MIME_ENC_8BIT;
	if (mime_eq(s, len, "binary"))
		return MIME_ENC_BINARY;
	if (mime_eq(s, len, "quoted-printable"))
		return MIME_ENC_QP;
	if (mime_eq(s, len, "base64"))
		return MIME_ENC_BASE64;
	if (mime_eq(s, len, "x-uuencode") || mime_eq(s, len, "uuencode") ||
	    mime_eq(s, len, "x-uue"))
		return MIME_ENC_UUENCODE;
	return MIME_ENC_OTHER;
}

const char *
mime_part_filename(const struct mime_part *p)
{
	return p->filename;
}

bool
mime_part_is_attachment(const struct mime_part *p)
{
	if (mime_part_is_multipart(p))
		return false;
	if (p->disposition != NULL &&
	    strcasecmp(p->disposition, "attachment") == 0)
		return true;
	if (part_is_message(p))
		return false;
	if (mime_part_is(p, "text", NULL) && p->filename == NULL)
		return false;
	if ((mime_part_is(p, "text", "plain") ||
	    mime_part_is(p, "text", "html")) && (p->disposition == NULL ||
	    strcasecmp(p->disposition, "inline") == 0) &&
	    p->filename == NULL)
		return false;
	return true;
}

const struct mime_part *
mime_tree_find(const struct mime_part *p, const char *section)
{
	const struct mime_part	*c, *r;

	if (p == NULL)
		return NULL;
	if (p->section != NULL && strcmp(p->section, section) == 0)
		return p;
	for (c = p->child; c != NULL; c = c->next)
		if ((r = mime_tree_find(c, section)) != NULL)
			return r;
	return NULL;
}

int
mime_tree_walk(const struct mime_part *p,
    int (*fn)(const struct mime_part *, void *), void *arg)
{
	const struct mime_part	*c;
	int			 r;

	if (p == NULL)
		return 0;
	if ((r = fn(p, arg)) != 0)
		return r;
	for (c = p->child; c != NULL; c = c->next)
		if ((r = mime_tree_walk(c, fn, arg)) != 0)
			return r;
	return 0;
}

/* ---- Parsing ------------------------------------------------------------ */

struct parser {
	struct mime_message	*msg;
	size_t			 nparts;
};

static size_t
count_lines(const char *s, size_t len)
{
	const char	*p = s, *end = s + len;
	size_t		 n = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	if (len > 0 && s[len - 1] != '\n')
		n++;
	return n;
}

char *
mime_clean_name(const char *s)
{
	char	*t;

	if (s == NULL || *s == '\0')
		return NULL;
	t = sanitize_str(s, 0);
	if (*t == '\0')
		xfree(&t);
	return t;
}

/* Content-Type, -Disposition and friends from the part's own header. */
static void
part_headers(struct mime_part *p, const char *deftype, const char *defsub)
{
	const char	*v;
	char		*token, *slash;
	struct buf	 b = BUF_INIT;

	if ((v = mime_headers_get(p->headers, "content-type")) != NULL) {
		mime_params_parse(v, strlen(v), NULL, &token, &p->params);
		slash = strchr(token, '/');
		if (slash != NULL && slash != token && slash[1] != '\0' &&
		    strchr(slash + 1, '/') == NULL) {
			*slash = '\0';
			free(p->type);
			free(p->subtype);
			p->type = xstrdup(token);
			p->subtype = xstrdup(slash + 1);
		} else if (strcmp(token, "text") == 0) {
			/* "Content-Type: text" alone: plain text. */
		} else {
			/* Unreadable type: RFC 2045 says text/plain. */
			mime_params_free(&p->params);
		}
		free(token);
	} else {
		free(p->type);
		free(p->subtype);
		p->type = xstrdup(deftype);
		p->subtype = xstrdup(defsub);
	}
	v = mime_headers_get(p->headers, "content-transfer-encoding");
	p->encoding = mime_encoding_parse(v);
	if ((v = mime_headers_get(p->headers, "content-disposition")) !=
	    NULL) {
		mime_params_parse(v, strlen(v), NULL, &token, &p->disp_params);
		if (*token != '\0')
			p->disposition = token;
		else
			free(token);
	}
	p->filename = mime_clean_name(mime_params_get(&p->disp_params,
	    "filename"));
	if (p->filename == NULL)
		p->filename = mime_clean_name(mime_params_get(&p->params,
		    "name"));
	if ((v = mime_headers_get(p->headers, "content-description")) !=
	    NULL)
		p->description = mime_header_decode(v, strlen(v), NULL);
	if ((v = mime_headers_get(p->headers, "content-id")) != NULL)
		p->content_id = mime_msgid_parse(v, strlen(v));
	buf_free(&b);
}

static struct mime_part *parse_entity(struct parser *, size_t, size_t, int,
	    const char *, const char *);

/*
 * The next delimiter line "--boundary" at or after from: *line_r gets its
 * start, *next_r the start of the line after it, *close_r whether it is
 * the closing "--boundary--".  Returns false if there is none.
 */
static bool
find_delim(const char *raw, size_t body, size_t from, size_t end,
    const char *needle, size_t nlen, size_t *line_r, size_t *next_r,
    bool *close_r)
{
	const char	*q;
	size_t		 pos, k;
	bool		 closing;

	while (from < end && end - from >= nlen) {
		q = memmem(raw + from, end - from, needle, nlen);
		if (q == NULL)
			return false;
		pos = (size_t)(q - raw);
		from = pos + 1;
		if (pos != body && raw[pos - 1] != '\n')
			continue;
		k = pos + nlen;
		closing = false;
		if (k + 1 < end && raw[k] == '-' && raw[k + 1] == '-') {
			closing = true;
			k += 2;
		}
		while (k < end && MIME_WSP(raw[k]))
			k++;
		if (k < end && raw[k] == '\r')
			k++;
		if (k < end && raw[k] != '\n')
			continue;
		*line_r = pos;
		*next_r = k < end ? k + 1 : end;
		*close_r = closing;
		return true;
	}
	return false;
}

/*
 * A wrong or missing boundary parameter: look for a "--token" line near
 * the start of the body that comes back later as a delimiter.  Bounded
 * work, so a hostile body cannot make this quadratic.
 */
static char *
guess_boundary(const char *raw, size_t body, size_t end)
{
	size_t		 p = body, lim, line, next, tries = 0, n;
	const char	*nl;
	bool		 cl;
	char		*cand;

	lim = end - body > 65536 ? body + 65536 : end;
	while (p < lim && tries < 8) {
		nl = memchr(raw + p, '\n', end - p);
		next = nl != NULL ? (size_t)(nl - raw) + 1 : end;
		n = next - p;
		while (n > 0 && MIME_SPACE(raw[p + n - 1]))
			n--;
		if (n > 2 && n - 2 <= BOUNDARY_MAX && raw[p] == '-' &&
		    raw[p + 1] == '-' &&
		    memchr(raw + p, ' ', n) == NULL &&
		    memchr(raw + p, '\0', n) == NULL) {
			tries++;
			cand = xstrndup(raw + p, n);
			if (find_delim(raw, body, next, end, cand, n, &line,
			    &next, &cl))
				return cand;
			free(cand);
		}
		p = next;
	}
	return NULL;
}

static void
parse_multipart(struct parser *ps, struct mime_part *p, int depth)
{
	const char		*raw = ps->msg->raw, *b;
	const char		*deftype, *defsub;
	char			*needle;
	size_t			 body = p->body_off, end = p->body_off +
				    p->body_len, line, next, start, pend, nlen;
	bool			 closing;
	struct mime_part	*c;

	b = mime_part_param(p, "boundary");
	needle = NULL;
	nlen = 0;
	if (b != NULL && *b != '\0' && strlen(b) <= BOUNDARY_MAX) {
		needle = xasprintf("--%s", b);
		nlen = strlen(needle);
		if (!find_delim(raw, body, body, end, needle, nlen, &line,
		    &next, &closing))
			xfree(&needle);
	}
	if (needle == NULL) {
		p->broken = true;
		if ((needle = guess_boundary(raw, body, end)) == NULL) {
			/* Nothing to split: show it as text. */
			free(p->type);
			free(p->subtype);
			p->type = xstrdup("text");
			p->subtype = xstrdup("plain");
			mime_params_free(&p->params);
			return;
		}
		nlen = strlen(needle);
		find_delim(raw, body, body, end, needle, nlen, &line, &next,
		    &closing);
	}
	deftype = "text";
	defsub = "plain";
	if (strcasecmp(p->subtype, "digest") == 0) {
		deftype = "message";
		defsub = "rfc822";
	}
	while (!closing) {
		start = next;
		if (!find_delim(raw, body, start, end, needle, nlen, &line,
		    &next, &closing)) {
			/* No closing delimiter: the part runs to the end. */
			p->broken = true;
			line = end;
			closing = true;
		}
		pend = line;
		/* The line break before a delimiter belongs to it. */
		if (pend > start && raw[pend - 1] == '\n' && line != end) {
			pend--;
			if (pend > start && raw[pend - 1] == '\r')
				pend--;
		}
		if (ps->nparts >= MIME_MAX_PARTS) {
			p->broken = true;
			break;
		}
		c = parse_entity(ps, start, pend, depth + 1, deftype, defsub);
		mime_part_add_child(p, c);
		if (c->broken)
			p->broken = true;
	}
	free(needle);
}

static struct mime_part *
parse_entity(struct parser *ps, size_t start, size_t end, int depth,
    const char *deftype, const char *defsub)
{
	struct mime_part	*p, *c;
	size_t			 boff;

	ps->nparts++;
	p = mime_part_new(deftype, defsub);
	p->depth = depth;
	p->has_body = true;
	p->hdr_off = start;
	p->headers = mime_headers_parse(ps->msg->raw + start, end - start,
	    &boff);
	p->body_off = start + boff;
	p->body_len = end - p->body_off;
	p->size = p->body_len;
	part_headers(p, deftype, defsub);
	if (mime_part_is_multipart(p)) {
		if (depth >= MIME_MAX_DEPTH)
			p->broken = true;
		else
			parse_multipart(ps, p, depth);
	} else if (part_is_message(p) && (p->encoding == MIME_ENC_7BIT ||
	    p->encoding == MIME_ENC_8BIT || p->encoding == MIME_ENC_BINARY)) {
		if (depth >= MIME_MAX_DEPTH || ps->nparts >= MIME_MAX_PARTS)
			p->broken = true;
		else {
			c = parse_entity(ps, p->body_off, end, depth + 1,
			    "text", "plain");
			mime_part_add_child(p, c);
			if (c->broken)
				p->broken = true;
		}
	}
	if (mime_part_is(p, "text", NULL) || part_is_message(p))
		p->lines = count_lines(ps->msg->raw + p->body_off,
		    p->body_len);
	return p;
}

struct mime_message *
mime_message_parse(const char *raw, size_t len, int flags)
{
	struct mime_message	*msg;
	struct parser		 ps;

	msg = xcalloc(1, sizeof *msg);
	if (flags & MIME_PARSE_COPY) {
		msg->copy = xmalloc(len + 1);
		if (len > 0)
			memcpy(msg->copy, raw, len);
		msg->copy[len] = '\0';
		raw = msg->copy;
	}
	msg->raw = raw != NULL ? raw : "";
	msg->len = raw != NULL ? len : 0;
	ps.msg = msg;
	ps.nparts = 0;
	msg->root = parse_entity(&ps, 0, msg->len, 0, "text", "plain");
	msg->nparts = ps.nparts;
	mime_tree_number(msg->root);
	return msg;
}

void
mime_message_free(struct mime_message **msgp)
{
	struct mime_message	*msg = *msgp;

	if (msg == NULL)
		return;
	mime_part_free(&msg->root);
	free(msg->copy);
	free(msg);
	*msgp = NULL;
}

const struct mime_headers *
mime_message_headers(const struct mime_message *msg)
{
	return msg->root->headers;
}

const struct mime_part *
mime_message_root(const struct mime_message *msg)
{
	return msg->root;
}

const char *
mime_message_raw(const struct mime_message *msg, size_t *len_r)
{
	if (len_r != NULL)
		*len_r = msg->len;
	return msg->raw;
}

size_t
mime_message_part_count(const struct mime_message *msg)
{
	return msg->nparts;
}

const char *
mime_part_raw(const struct mime_message *msg, const struct mime_part *p,
    size_t *len_r)
{
	if (!p->has_body || p->body_off > msg->len ||
	    p->body_len > msg->len - p->body_off) {
		*len_r = 0;
		return "";
	}
	*len_r = p->body_len;
	return msg->raw + p->body_off;
}

void
mime_part_decode(const struct mime_message *msg, const struct mime_part *p,
    struct buf *out)
{
	struct base64_decoder	 d;
	const char		*s;
	size_t			 len;

	s = mime_part_raw(msg, p, &len);
	switch (p->encoding) {
	case MIME_ENC_BASE64:
		base64_decoder_init(&d);
		buf_reserve(out, len / 4 * 3 + 3);
		base64_decode_feed(&d, out, s, len);
		break;
	case MIME_ENC_QP:
		mime_qp_decode(out, s, len);
		break;
	case MIME_ENC_UUENCODE:
		mime_uu_decode(out, s, len);
		break;
	default:
		buf_add(out, s, len);
		break;
	}
}

void
mime_part_text(const struct mime_message *msg, const struct mime_part *p,
    const char *fallback, struct buf *out)
{
	struct buf	raw = BUF_INIT;

	mime_part_decode(msg, p, &raw);
	mime_text_to_utf8(out, mime_part_charset(p), buf_cstr(&raw), raw.len,
	    fallback);
	buf_free(&raw);
}

/* uuencoded data: "begin 644 name", lines of (len, 4-char groups), "end". */
void
mime_uu_decode(struct buf *out, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *nl, *q;
	size_t		 llen, n, i;
	bool		 begun = false;
	unsigned int	 v[4];

	if (len >= 6 && memcmp(s, "begin ", 6) != 0 &&
	    (q = memmem(s, len, "\nbegin ", 7)) != NULL)
		p = q + 1;
	for (; p < end; p = nl < end ? nl + 1 : end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		llen = (size_t)(nl - p);
		if (llen > 0 && p[llen - 1] == '\r')
			llen--;
		if (!begun && llen >= 6 && memcmp(p, "begin ", 6) == 0) {
			begun = true;
			continue;
		}
		if (llen >= 3 && memcmp(p, "end", 3) == 0)
			break;
		if (llen == 0)
			continue;
		n = (size_t)((p[0] - ' ') & 0x3f);
		for (i = 1; n > 0 && i < llen; i += 4) {
			int k;
			for (k = 0; k < 4; k++)
				v[k] = i + (size_t)k < llen ?
				    (unsigned int)((p[i + k] - ' ') & 0x3f) : 0;
			buf_addc(out, (char)(v[0] << 2 | v[1] >> 4));
			if (--n == 0)
				break;
			buf_addc(out, (char)((v[1] << 4 | v[2] >> 2) & 0xff));
			if (--n == 0)
				break;
			buf_addc(out, (char)((v[2] << 6 | v[3]) & 0xff));
			n--;
		}
	}
}
