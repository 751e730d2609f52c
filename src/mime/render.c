/*
 * Rendering a message to lines for the pager: chosen headers, the text
 * parts (plain, flowed, HTML through a converter), quote levels and
 * signatures marked, attachments listed.  Every line is sanitized.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

static const char *const default_headers[] = {
	"From", "To", "Cc", "Date", "Subject", NULL,
};

static const char *const address_headers[] = {
	"from", "to", "cc", "bcc", "reply-to", "sender", "resent-from",
	"resent-to", "resent-cc", NULL,
};

struct render {
	const struct mime_message	*msg;
	const struct mime_render_opts	*o;
	struct mime_render		*r;
	size_t				 cap;
	bool				 truncated;
	int				 width;
};

static void render_part(struct render *, const struct mime_part *);

static void
add_line(struct render *rd, enum mime_line_kind kind, int quote,
    const char *s, size_t len, const struct mime_part *p)
{
	struct mime_render	*r = rd->r;
	struct mime_line	*l;
	struct buf		 tmp = BUF_INIT, clean = BUF_INIT;

	if (r->nlines >= MIME_MAX_RENDER_LINES) {
		if (!rd->truncated) {
			rd->truncated = true;
			l = &r->lines[r->nlines - 1];
			free(l->text);
			l->text = xstrdup(_("[-- Message truncated --]"));
			l->len = strlen(l->text);
			l->kind = MIME_LINE_ATTACHMENT;
		}
		return;
	}
	if (r->nlines == rd->cap) {
		rd->cap = rd->cap == 0 ? 64 : rd->cap * 2;
		r->lines = xreallocarray(r->lines, rd->cap, sizeof *r->lines);
	}
	mime_expand_tabs(&tmp, s, len);
	sanitize_append(&clean, buf_cstr(&tmp), tmp.len, 0);
	buf_free(&tmp);
	l = &r->lines[r->nlines++];
	l->kind = kind;
	l->quote = quote;
	l->len = clean.len;
	l->text = buf_detach(&clean, NULL);
	l->part = p;
}

static void
add_blank(struct render *rd, const struct mime_part *p)
{
	if (rd->r->nlines > 0 && rd->r->lines[rd->r->nlines - 1].len > 0)
		add_line(rd, MIME_LINE_BODY, 0, "", 0, p);
}

/* ---- Headers ----------------------------------------------------------- */

static bool
in_list(const char *const *list, const char *s, size_t len)
{
	for (; *list != NULL; list++)
		if (mime_eq(s, len, *list))
			return true;
	return false;
}

static void
render_header(struct render *rd, const struct mime_header *h,
    const struct mime_part *p)
{
	struct buf		 b = BUF_INIT;
	struct mime_addrlist	 al = { NULL, 0 };
	char			*v;

	buf_add(&b, h->name, h->name_len);
	buf_add(&b, ": ", 2);
	if (in_list(address_headers, h->name, h->name_len)) {
		mime_addrlist_parse(&al, h->value, strlen(h->value),
		    rd->o->fallback_charset);
		v = mime_addrlist_format(&al);
		mime_addrlist_free(&al);
	} else
		v = mime_header_decode(h->value, strlen(h->value),
		    rd->o->fallback_charset);
	buf_adds(&b, v);
	free(v);
	add_line(rd, MIME_LINE_HEADER, 0, b.data, b.len, p);
	buf_free(&b);
}

static void
render_headers(struct render *rd, const struct mime_part *p)
{
	const struct mime_headers	*hs = p->headers;
	const struct mime_header	*h;
	const char *const		*names;
	size_t				 i;

	if (rd->o->all_headers) {
		for (i = 0; (h = mime_headers_at(hs, i)) != NULL; i++)
			render_header(rd, h, p);
		return;
	}
	names = rd->o->headers != NULL ? rd->o->headers : default_headers;
	for (; *names != NULL; names++)
		for (i = 0; (h = mime_headers_at(hs, i)) != NULL; i++)
			if (mime_eq(h->name, h->name_len, *names))
				render_header(rd, h, p);
}

/* ---- Attachments ------------------------------------------------------- */

uint64_t
mime_part_decoded_size(const struct mime_part *p)
{
	uint64_t	s = p->size;

	if (p->encoding == MIME_ENC_BASE64) {
		/* Line breaks every 76 characters, then 4 -> 3. */
		s -= s / 78 * 2;
		return s / 4 * 3;
	}
	return s;
}

struct att_walk {
	struct mime_attachment	*v;
	size_t			 n;
};

static int
att_collect(const struct mime_part *p, void *arg)
{
	struct att_walk		*w = arg;
	struct mime_attachment	*a;

	if (!mime_part_is_attachment(p))
		return 0;
	w->v = xreallocarray(w->v, w->n + 1, sizeof *w->v);
	a = &w->v[w->n++];
	a->part = p;
	a->type = mime_part_content_type(p);
	a->name = sanitize_str(p->filename != NULL ? p->filename : "", 0);
	a->size = mime_part_decoded_size(p);
	return 0;
}

void
mime_attachments(const struct mime_part *root, struct mime_attachment **v_r,
    size_t *n_r)
{
	struct att_walk	w = { NULL, 0 };

	mime_tree_walk(root, att_collect, &w);
	*v_r = w.v;
	*n_r = w.n;
}

void
mime_attachments_free(struct mime_attachment **vp, size_t n)
{
	size_t	i;

	if (*vp == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*vp)[i].type);
		free((*vp)[i].name);
	}
	xfree(vp);
}

void
mime_size_text(struct buf *b, uint64_t n)
{
	if (n < 1024)
		buf_addf(b, _("%llu B"), (unsigned long long)n);
	else if (n < 1024 * 1024)
		buf_addf(b, _("%.1f KB"), (double)n / 1024);
	else
		buf_addf(b, _("%.1f MB"), (double)n / (1024 * 1024));
}

static void
render_att_line(struct render *rd, const struct mime_part *p)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	char		*type;

	for (i = 0; i < rd->r->natts; i++)
		if (rd->r->atts[i].part == p)
			break;
	type = mime_part_content_type(p);
	if (i < rd->r->natts)
		buf_addf(&b, _("[-- Attachment #%zu: %s (%s, "), i + 1,
		    rd->r->atts[i].name[0] != '\0' ? rd->r->atts[i].name :
		    _("unnamed"), type);
	else
		buf_addf(&b, _("[-- Part: %s ("), type);
	mime_size_text(&b, mime_part_decoded_size(p));
	buf_adds(&b, ") --]");
	free(type);
	add_blank(rd, p);
	add_line(rd, MIME_LINE_ATTACHMENT, 0, b.data, b.len, p);
	buf_free(&b);
}

/* ---- Text ----------------------------------------------------------------- */

/* Quote level of a line: '>' characters, single spaces between allowed. */
static int
quote_level(const char *s, size_t len)
{
	size_t	i = 0;
	int	q = 0;

	while (i < len && s[i] == '>') {
		q++;
		i++;
		if (i + 1 < len && s[i] == ' ' && s[i + 1] == '>')
			i++;
	}
	return q;
}

/* Wrap a long logical line at spaces, repeating its quote prefix. */
static void
add_wrapped(struct render *rd, enum mime_line_kind kind, int q,
    const char *s, size_t len, const struct mime_part *p)
{
	size_t	pre = 0, start, i, brk, cols, used;
	struct buf b = BUF_INIT;

	if (utf8_width(s, len) <= (size_t)rd->width || !utf8_valid(s, len)) {
		add_line(rd, kind, q, s, len, p);
		return;
	}
	while (pre < len && (s[pre] == '>' || (pre > 0 && s[pre] == ' ' &&
	    s[pre - 1] == '>')))
		pre++;
	if (pre * 2 > (size_t)rd->width)
		pre = 0;
	start = pre;
	while (start < len) {
		cols = (size_t)rd->width - pre;
		i = start + utf8_fit(s + start, len - start, cols, &used);
		if (i >= len)
			brk = len;
		else {
			for (brk = i; brk > start && s[brk] != ' '; brk--)
				;
			if (brk == start)
				brk = i > start ? i : start + 1;
		}
		buf_reset(&b);
		buf_add(&b, s, pre);
		buf_add(&b, s + start, brk - start);
		add_line(rd, kind, q, b.data, b.len, p);
		start = brk;
		while (start < len && s[start] == ' ')
			start++;
	}
	buf_free(&b);
}

/* Split text into lines; mark quotes and the signature. */
static void
render_lines(struct render *rd, const char *s, size_t len, bool wrap,
    const struct mime_part *p)
{
	const char		*end = s + len, *nl;
	size_t			 llen;
	bool			 sig = false;
	int			 q;
	enum mime_line_kind	 kind;

	/* Trailing blank lines say nothing. */
	while (len > 0 && MIME_SPACE(s[len - 1]))
		len--;
	end = s + len;
	while (s < end) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		llen = (size_t)(nl - s);
		if (!sig && ((llen == 3 && memcmp(s, "-- ", 3) == 0) ||
		    (llen == 2 && memcmp(s, "--", 2) == 0)))
			sig = true;
		q = quote_level(s, llen);
		kind = sig ? MIME_LINE_SIGNATURE : q > 0 ? MIME_LINE_QUOTE :
		    MIME_LINE_BODY;
		if (wrap)
			add_wrapped(rd, kind, sig ? 0 : q, s, llen, p);
		else
			add_line(rd, kind, sig ? 0 : q, s, llen, p);
		s = nl < end ? nl + 1 : end;
		if (rd->truncated)
			break;
	}
}

static bool
isalnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* charset="..." near the start of HTML without a declared charset. */
static char *
html_sniff_charset(const char *s, size_t len)
{
	const char	*p, *end;
	size_t		 n;

	if (len > 4096)
		len = 4096;
	end = s + len;
	for (p = s; p + 8 < end; p++) {
		if (strncasecmp(p, "charset=", 8) != 0)
			continue;
		p += 8;
		while (p < end && (*p == '"' || *p == '\'' || *p == ' '))
			p++;
		for (n = 0; p + n < end && n < 40 && (isalnum_ascii(p[n]) ||
		    p[n] == '-' || p[n] == '_' || p[n] == ':' || p[n] == '.');
		    n++)
			;
		return n > 0 ? xstrndup(p, n) : NULL;
	}
	return NULL;
}

static void
render_text(struct render *rd, const struct mime_part *p)
{
	struct buf	 raw = BUF_INIT, utf = BUF_INIT, lf = BUF_INIT;
	struct buf	 out = BUF_INIT;
	const char	*cs = mime_part_charset(p), *v;
	char		*sniffed = NULL;
	bool		 wrap = false;

	mime_part_decode(rd->msg, p, &raw);
	if (cs == NULL && mime_part_is(p, "text", "html"))
		cs = sniffed = html_sniff_charset(buf_cstr(&raw), raw.len);
	mime_text_to_utf8(&utf, cs, buf_cstr(&raw), raw.len,
	    rd->o->fallback_charset);
	free(sniffed);
	buf_free(&raw);
	mime_add_lf(&lf, buf_cstr(&utf), utf.len);
	buf_free(&utf);
	if (mime_part_is(p, "text", "html")) {
		if (rd->o->html_command == NULL ||
		    mime_html_command(&out, rd->o->html_command,
		    buf_cstr(&lf), lf.len, rd->o->html_timeout_ms) == -1) {
			buf_reset(&out);
			mime_html_to_text(&out, buf_cstr(&lf), lf.len,
			    rd->width);
		}
	} else if ((v = mime_part_param(p, "format")) != NULL &&
	    strcasecmp(v, "flowed") == 0) {
		v = mime_part_param(p, "delsp");
		mime_flowed_decode(&out, buf_cstr(&lf), lf.len,
		    v != NULL && strcasecmp(v, "yes") == 0);
		wrap = true;
	} else {
		out = lf;
		memset(&lf, 0, sizeof lf);
	}
	add_blank(rd, p);
	render_lines(rd, buf_cstr(&out), out.len, wrap, p);
	buf_free(&lf);
	buf_free(&out);
}

/* ---- Parts ------------------------------------------------------------- */

static bool
renderable(const struct mime_part *p)
{
	return mime_part_is(p, "text", "plain") ||
	    mime_part_is(p, "text", "html") ||
	    mime_part_is(p, "multipart", NULL);
}

/* Whether a part holds nothing but white space (empty text/plain). */
static bool
blank_part(const struct render *rd, const struct mime_part *p)
{
	const char	*s;
	size_t		 len, i;

	if (!p->has_body || mime_part_is_multipart(p))
		return false;
	s = mime_part_raw(rd->msg, p, &len);
	for (i = 0; i < len; i++)
		if (!MIME_SPACE(s[i]))
			return false;
	return true;
}

static const struct mime_part *
choose_alternative(const struct render *rd, const struct mime_part *mp)
{
	const struct mime_part	*c, *pref = NULL, *best = NULL;
	const char		*want = rd->o->prefer, *slash;
	size_t			 tlen;

	if (want == NULL)
		want = "text/plain";
	slash = strchr(want, '/');
	tlen = slash != NULL ? (size_t)(slash - want) : strlen(want);
	for (c = mp->child; c != NULL; c = c->next) {
		if (blank_part(rd, c))
			continue;
		if (mime_eq(c->type, strlen(c->type), "text") && slash == NULL &&
		    mime_eq(c->subtype, strlen(c->subtype), want))
			pref = c;	/* "html" alone */
		else if (slash != NULL && strlen(c->type) == tlen &&
		    strncasecmp(c->type, want, tlen) == 0 &&
		    strcasecmp(c->subtype, slash + 1) == 0)
			pref = c;
		if (renderable(c))
			best = c;	/* the last is the richest */
	}
	if (pref != NULL)
		return pref;
	if (best != NULL)
		return best;
	return mp->child;
}

static void
render_message(struct render *rd, const struct mime_part *p)
{
	struct buf	 b = BUF_INIT;
	char		*subj = NULL;

	if (p->child == NULL) {
		render_att_line(rd, p);
		return;
	}
	subj = mime_headers_get_decoded(p->child->headers, "subject",
	    rd->o->fallback_charset);
	buf_addf(&b, _("[-- Forwarded message: %s --]"),
	    subj != NULL ? subj : "");
	free(subj);
	add_blank(rd, p);
	add_line(rd, MIME_LINE_ATTACHMENT, 0, b.data, b.len, p);
	buf_free(&b);
	render_headers(rd, p->child);
	render_part(rd, p->child);
	add_blank(rd, p);
	add_line(rd, MIME_LINE_ATTACHMENT, 0, _("[-- End of forwarded message --]"),
	    strlen(_("[-- End of forwarded message --]")), p);
}

const struct mime_part *
mime_related_start(const struct mime_part *p)
{
	const struct mime_part	*c, *start = NULL;
	const char		*cid = mime_part_param(p, "start");

	for (c = p->child; c != NULL && cid != NULL; c = c->next)
		if (c->content_id != NULL && strstr(cid, c->content_id) != NULL)
			start = c;
	return start != NULL ? start : p->child;
}

static void
render_multipart(struct render *rd, const struct mime_part *p)
{
	const struct mime_part	*c, *start;

	if (strcasecmp(p->subtype, "alternative") == 0) {
		if ((c = choose_alternative(rd, p)) != NULL)
			render_part(rd, c);
		return;
	}
	if (strcasecmp(p->subtype, "related") == 0) {
		/* The start part; the others are what it refers to. */
		start = mime_related_start(p);
		if (start != NULL)
			render_part(rd, start);
		for (c = p->child; c != NULL; c = c->next)
			if (c != start && c->disposition != NULL &&
			    strcasecmp(c->disposition, "attachment") == 0)
				render_att_line(rd, c);
		return;
	}
	if (strcasecmp(p->subtype, "signed") == 0) {
		for (c = p->child; c != NULL; c = c->next) {
			if (c == p->child)
				render_part(rd, c);
			else
				render_att_line(rd, c);
		}
		return;
	}
	if (strcasecmp(p->subtype, "encrypted") == 0) {
		for (c = p->child; c != NULL; c = c->next)
			render_att_line(rd, c);
		return;
	}
	for (c = p->child; c != NULL; c = c->next)
		render_part(rd, c);
}

static void
render_part(struct render *rd, const struct mime_part *p)
{
	bool	attached;

	if (rd->truncated)
		return;
	attached = p->disposition != NULL &&
	    strcasecmp(p->disposition, "attachment") == 0;
	if (mime_part_is_multipart(p))
		render_multipart(rd, p);
	else if ((mime_part_is(p, "message", "rfc822") ||
	    mime_part_is(p, "message", "global")))
		render_message(rd, p);
	else if (mime_part_is(p, "text", NULL) && !attached && p->has_body &&
	    !mime_part_is(p, "text", "calendar"))
		render_text(rd, p);
	else
		render_att_line(rd, p);
}

struct mime_render *
mime_render(const struct mime_message *msg,
    const struct mime_render_opts *opts)
{
	static const struct mime_render_opts defaults;
	struct render	rd;
	const struct mime_part *root = mime_message_root(msg);

	memset(&rd, 0, sizeof rd);
	rd.msg = msg;
	rd.o = opts != NULL ? opts : &defaults;
	rd.width = rd.o->width > 10 ? rd.o->width : 80;
	rd.r = xcalloc(1, sizeof *rd.r);
	mime_attachments(root, &rd.r->atts, &rd.r->natts);
	if (!rd.o->no_headers) {
		render_headers(&rd, root);
		add_line(&rd, MIME_LINE_BODY, 0, "", 0, root);
	}
	render_part(&rd, root);
	return rd.r;
}

void
mime_render_free(struct mime_render **rp)
{
	struct mime_render	*r = *rp;
	size_t			 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nlines; i++)
		free(r->lines[i].text);
	free(r->lines);
	mime_attachments_free(&r->atts, r->natts);
	free(r);
	*rp = NULL;
}
