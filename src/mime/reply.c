/*
 * Starting a reply or a forward from a message: recipients (reply-all
 * without ourselves), subject, In-Reply-To and References, and the body
 * with an attribution line and the original quoted.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/i18n.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define REFS_MAX	30	/* keep References from growing forever */

static bool
addr_in(const struct mime_addrlist *l, const char *addr)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].addr, addr) == 0)
			return true;
	return false;
}

static bool
addr_is_me(const char *const *me, const char *addr)
{
	for (; me != NULL && *me != NULL; me++)
		if (strcasecmp(*me, addr) == 0)
			return true;
	return false;
}

/* Append the addresses of src not already in dst, nor mine. */
static void
merge(struct mime_addrlist *dst, const struct mime_addrlist *src,
    const char *const *me, const struct mime_addrlist *skip)
{
	size_t	i;

	for (i = 0; i < src->n; i++) {
		const struct mime_address *a = &src->v[i];
		if (*a->addr == '\0' || addr_is_me(me, a->addr) ||
		    addr_in(dst, a->addr) ||
		    (skip != NULL && addr_in(skip, a->addr)))
			continue;
		mime_addrlist_add(dst, a->name, a->addr);
	}
}

static void
parse_field(struct mime_addrlist *l, const struct mime_headers *hs,
    const char *name, const char *fallback)
{
	const struct mime_header	*h;
	size_t				 i;

	for (i = 0; (h = mime_headers_at(hs, i)) != NULL; i++)
		if (mime_eq(h->name, h->name_len, name))
			mime_addrlist_parse(l, h->value, strlen(h->value),
			    fallback);
}

/* The mailto: address of List-Post, or NULL ("NO" means none). */
static char *
list_post(const struct mime_headers *hs)
{
	const char	*v, *s, *e;

	if ((v = mime_headers_get(hs, "list-post")) == NULL ||
	    (s = strstr(v, "mailto:")) == NULL)
		return NULL;
	s += 7;
	e = s + strcspn(s, ">?, \t");
	if (e == s || memchr(s, '@', (size_t)(e - s)) == NULL)
		return NULL;
	return xstrndup(s, (size_t)(e - s));
}

/* "Re: " + subject unless it already starts with a reply prefix. */
static char *
prefixed_subject(const struct mime_headers *hs, const char *prefix,
    const char *fallback)
{
	char	*subj, *out;

	subj = mime_headers_get_decoded(hs, "subject", fallback);
	if (subj == NULL)
		subj = xstrdup("");
	if (strncasecmp(subj, prefix, strlen(prefix)) == 0)
		return subj;
	out = xasprintf("%s%s", prefix, subj);
	free(subj);
	return out;
}

static void
references(const struct mime_headers *hs, struct mime_reply *r)
{
	struct mime_strlist	 l = { NULL, 0 };
	struct buf		 b = BUF_INIT;
	const char		*v;
	char			*id;
	size_t			 i;

	if ((v = mime_headers_get(hs, "message-id")) == NULL ||
	    (id = mime_msgid_parse(v, strlen(v))) == NULL)
		return;
	if ((v = mime_headers_get(hs, "references")) != NULL)
		mime_msgid_parse_list(&l, v, strlen(v));
	if (l.n == 0 && (v = mime_headers_get(hs, "in-reply-to")) != NULL) {
		mime_msgid_parse_list(&l, v, strlen(v));
		while (l.n > 1)
			free(l.v[--l.n]);
	}
	for (i = 0; i < l.n; i++) {
		/* The first (thread root) and the newest ones. */
		if (i != 0 && l.n - i >= REFS_MAX)
			continue;
		if (strcmp(l.v[i], id) == 0)
			continue;
		buf_addf(&b, "<%s> ", l.v[i]);
	}
	buf_addf(&b, "<%s>", id);
	r->in_reply_to = xasprintf("<%s>", id);
	r->references = buf_detach(&b, NULL);
	mime_strlist_free(&l);
	free(id);
}

/* The message's text, rendered, each line prefixed with "> ". */
static void
quote_body(const struct mime_message *msg,
    const struct mime_render_opts *opts, struct buf *out)
{
	struct mime_render_opts	 o;
	struct mime_render	*rn;
	size_t			 i;
	const struct mime_line	*l;

	if (opts != NULL)
		o = *opts;
	else
		memset(&o, 0, sizeof o);
	o.no_headers = true;
	rn = mime_render(msg, &o);
	/* No trailing blank lines nor the signature. */
	size_t n = rn->nlines;
	while (n > 0 && (rn->lines[n - 1].len == 0 ||
	    rn->lines[n - 1].kind == MIME_LINE_SIGNATURE ||
	    rn->lines[n - 1].kind == MIME_LINE_ATTACHMENT))
		n--;
	for (i = 0; i < n; i++) {
		l = &rn->lines[i];
		if (l->kind == MIME_LINE_SIGNATURE ||
		    l->kind == MIME_LINE_ATTACHMENT)
			continue;
		if (i == 0 && l->len == 0)
			continue;
		buf_addc(out, '>');
		if (l->len > 0 && l->text[0] != '>')
			buf_addc(out, ' ');
		buf_add(out, l->text, l->len);
		buf_addc(out, '\n');
	}
	mime_render_free(&rn);
}

static void
attribution(const struct mime_headers *hs, const char *fallback,
    struct buf *out)
{
	struct mime_addrlist	 from = { NULL, 0 };
	struct buf		 date = BUF_INIT;
	const char		*v, *who;
	int64_t			 t;
	int			 tz;

	parse_field(&from, hs, "from", fallback);
	who = from.n == 0 ? _("someone") : from.v[0].name != NULL &&
	    *from.v[0].name != '\0' ? from.v[0].name : from.v[0].addr;
	if ((v = mime_headers_get(hs, "date")) != NULL &&
	    mime_date_parse(v, strlen(v), &t, &tz) == 0) {
		mime_date_format(&date, t, tz);
		buf_addf(out, _("On %s, %s wrote:"), buf_cstr(&date), who);
	} else
		buf_addf(out, _("%s wrote:"), who);
	buf_addc(out, '\n');
	buf_free(&date);
	mime_addrlist_free(&from);
}

void
mime_reply_prepare(const struct mime_message *msg, int flags,
    const char *const *me, const struct mime_render_opts *opts,
    struct mime_reply *r)
{
	const struct mime_headers *hs = mime_message_headers(msg);
	const char		*fb = opts != NULL ? opts->fallback_charset :
				    NULL;
	struct mime_addrlist	 from = { NULL, 0 }, rt = { NULL, 0 };
	struct mime_addrlist	 to = { NULL, 0 }, cc = { NULL, 0 };
	struct mime_addrlist	 rto = { NULL, 0 }, rcc = { NULL, 0 };
	struct buf		 body = BUF_INIT;
	char			*lp = NULL;

	memset(r, 0, sizeof *r);
	parse_field(&from, hs, "from", fb);
	parse_field(&rt, hs, "reply-to", fb);
	parse_field(&to, hs, "to", fb);
	parse_field(&cc, hs, "cc", fb);
	if ((flags & MIME_REPLY_LIST) && (lp = list_post(hs)) != NULL)
		mime_addrlist_add(&rto, NULL, lp);
	else {
		merge(&rto, rt.n > 0 ? &rt : &from, me, NULL);
		/* Replying to our own message: to its recipients. */
		if (rto.n == 0)
			merge(&rto, &to, me, NULL);
	}
	if (flags & MIME_REPLY_ALL) {
		if (lp != NULL)
			merge(&rcc, rt.n > 0 ? &rt : &from, me, &rto);
		merge(&rcc, &to, me, &rto);
		merge(&rcc, &cc, me, &rto);
	}
	r->to = mime_addrlist_format(&rto);
	r->cc = mime_addrlist_format(&rcc);
	r->subject = prefixed_subject(hs, "Re: ", fb);
	references(hs, r);
	attribution(hs, fb, &body);
	quote_body(msg, opts, &body);
	r->body = buf_detach(&body, NULL);
	free(lp);
	mime_addrlist_free(&from);
	mime_addrlist_free(&rt);
	mime_addrlist_free(&to);
	mime_addrlist_free(&cc);
	mime_addrlist_free(&rto);
	mime_addrlist_free(&rcc);
}

void
mime_forward_prepare(const struct mime_message *msg, bool inline_,
    const struct mime_render_opts *opts, struct mime_reply *r)
{
	static const char *const fwd_headers[] = {
		"From", "Date", "Subject", "To", "Cc", NULL,
	};
	const struct mime_headers *hs = mime_message_headers(msg);
	struct mime_render_opts	 o;
	struct mime_render	*rn;
	struct buf		 body = BUF_INIT;
	size_t			 i, n;

	memset(r, 0, sizeof *r);
	r->to = xstrdup("");
	r->cc = xstrdup("");
	r->subject = prefixed_subject(hs, "Fwd: ",
	    opts != NULL ? opts->fallback_charset : NULL);
	if (inline_) {
		if (opts != NULL)
			o = *opts;
		else
			memset(&o, 0, sizeof o);
		o.no_headers = false;
		o.all_headers = false;
		o.headers = fwd_headers;
		rn = mime_render(msg, &o);
		buf_adds(&body, "\n\n");
		buf_adds(&body, _("-------- Forwarded message --------"));
		buf_addc(&body, '\n');
		n = rn->nlines;
		while (n > 0 && rn->lines[n - 1].len == 0)
			n--;
		for (i = 0; i < n; i++) {
			buf_add(&body, rn->lines[i].text, rn->lines[i].len);
			buf_addc(&body, '\n');
		}
		mime_render_free(&rn);
	}
	r->body = buf_detach(&body, NULL);
}

void
mime_reply_free(struct mime_reply *r)
{
	xfree(&r->to);
	xfree(&r->cc);
	xfree(&r->subject);
	xfree(&r->in_reply_to);
	xfree(&r->references);
	xfree(&r->body);
}
