/*
 * RFC 5322 address lists with the obsolete and broken forms seen in
 * real mail: comments as names, routes, groups, unquoted specials in
 * names, bare addresses, encoded words inside quoted strings.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define ADDR_MAX	10000	/* mailboxes kept from one header */

enum tok {
	TOK_END,
	TOK_ATOM,	/* also quoted strings and domain literals */
	TOK_COMMENT,
	TOK_CHAR,	/* one of < > : ; @ , */
};

struct lexer {
	const char	*s, *end;
	struct buf	 text;		/* display form of the token */
	const char	*raw;		/* token as written */
	size_t		 raw_len;
	char		 c;		/* for TOK_CHAR */
	bool		 quoted;
	bool		 space;		/* white space came before */
};

static bool
addr_special(char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	    c == ']' || c == ':' || c == ';' || c == '@' || c == ',' ||
	    c == '"';
}

static enum tok
lex(struct lexer *lx)
{
	const char	*s;
	char		 close;
	int		 depth;
	const char	*before = lx->s;

again:
	while (lx->s < lx->end && MIME_SPACE(*lx->s))
		lx->s++;
	lx->space = lx->s != before;
	if (lx->s >= lx->end)
		return TOK_END;
	buf_reset(&lx->text);
	s = lx->raw = lx->s;
	lx->quoted = false;
	switch (*s) {
	case '"':
	case '[':
		close = *s == '"' ? '"' : ']';
		lx->quoted = *s == '"';
		if (*s == '[')
			buf_addc(&lx->text, '[');
		for (s++; s < lx->end && *s != close; s++) {
			if (*s == '\\' && s + 1 < lx->end)
				s++;
			if (*s != '\r' && *s != '\n')
				buf_addc(&lx->text, *s);
		}
		if (close == ']')
			buf_addc(&lx->text, ']');
		if (s < lx->end)
			s++;
		lx->s = s;
		lx->raw_len = (size_t)(s - lx->raw);
		return TOK_ATOM;
	case '(':
		depth = 0;
		for (; s < lx->end; s++) {
			if (*s == '\\' && s + 1 < lx->end) {
				s++;
				buf_addc(&lx->text, *s);
				continue;
			}
			if (*s == '(' && depth++ == 0)
				continue;
			if (*s == ')' && --depth == 0) {
				s++;
				break;
			}
			buf_addc(&lx->text, *s);
		}
		lx->s = s;
		lx->raw_len = (size_t)(s - lx->raw);
		return TOK_COMMENT;
	case ')':
	case ']':
		/* Stray closers: skip them as white space. */
		lx->s++;
		goto again;
	}
	if (addr_special(*s)) {
		lx->c = *s;
		lx->s++;
		lx->raw_len = 1;
		return TOK_CHAR;
	}
	while (s < lx->end && !MIME_SPACE(*s) && !addr_special(*s))
		s++;
	buf_add(&lx->text, lx->raw, (size_t)(s - lx->raw));
	lx->s = s;
	lx->raw_len = (size_t)(s - lx->raw);
	return TOK_ATOM;
}

/* What one mailbox collects while its tokens go by. */
struct mbox {
	struct buf	 phrase;	/* display words, space-separated */
	struct buf	 spec;		/* tokens outside <> without spaces */
	struct buf	 angle;		/* inside <> */
	struct buf	 comment;
	bool		 got_angle, in_angle, has_at, quoted;
	bool		 sep;		/* a comment since the last word */
};

/* Side information for the "Last, First <addr>" repair. */
struct parsed {
	bool	bare;		/* no @, no <>, no quotes: maybe half a name */
	bool	named_angle;	/* phrase <addr> */
	bool	after_comma;
};

/* Decoded, control-free, trimmed; NULL if nothing is left. */
static char *
addr_decode(const char *s, size_t len, const char *fallback)
{
	struct buf	 b = BUF_INIT, c = BUF_INIT;
	const char	*p;
	size_t		 n;

	mime_rfc2047_decode(&b, s, len, fallback);
	sanitize_append(&c, buf_cstr(&b), b.len, 0);
	buf_free(&b);
	p = buf_cstr(&c);
	n = c.len;
	mime_trim(&p, &n);
	if (n == 0) {
		buf_free(&c);
		return NULL;
	}
	b.data = xstrndup(p, n);
	buf_free(&c);
	return b.data;
}

static void
mbox_reset(struct mbox *m)
{
	buf_reset(&m->phrase);
	buf_reset(&m->spec);
	buf_reset(&m->angle);
	buf_reset(&m->comment);
	m->got_angle = m->in_angle = m->has_at = m->quoted = false;
	m->sep = false;
}

static void
mbox_free(struct mbox *m)
{
	buf_free(&m->phrase);
	buf_free(&m->spec);
	buf_free(&m->angle);
	buf_free(&m->comment);
}

static void
list_push(struct mime_addrlist *l, char *name, char *addr, const char *group)
{
	struct mime_address	*a;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	a = &l->v[l->n++];
	a->name = name;
	a->addr = addr;
	a->group = group != NULL ? xstrdup(group) : NULL;
}

/* Turn what the mailbox collected into an address, if it holds one. */
static void
mbox_emit(struct mime_addrlist *l, struct parsed **pv, struct mbox *m,
    const char *group, bool after_comma, const char *fallback)
{
	struct parsed	*p;
	char		*name = NULL, *addr;
	const char	*a, *sp;
	size_t		 alen;

	if (l->n >= ADDR_MAX)
		return;
	if (m->got_angle) {
		a = buf_cstr(&m->angle);
		alen = m->angle.len;
		name = addr_decode(buf_cstr(&m->phrase), m->phrase.len,
		    fallback);
		if (name == NULL)
			name = addr_decode(buf_cstr(&m->comment),
			    m->comment.len, fallback);
	} else {
		a = buf_cstr(&m->spec);
		alen = m->spec.len;
		if (m->has_at && (sp = memrchr(m->phrase.data, ' ',
		    m->phrase.len)) != NULL && sp[1] != '@' &&
		    sp[1] != '\0' && m->phrase.data[m->phrase.len - 1] != '@' &&
		    memchr(sp + 1, '@', m->phrase.len - (size_t)(sp + 1 -
		    m->phrase.data)) != NULL && !m->quoted) {
			/* "Joe Bloggs joe@example.com": no angle brackets. */
			name = addr_decode(m->phrase.data,
			    (size_t)(sp - m->phrase.data), fallback);
			a = sp + 1;
			alen = m->phrase.len - (size_t)(sp + 1 -
			    m->phrase.data);
		} else if (m->has_at || m->quoted)
			name = addr_decode(buf_cstr(&m->comment),
			    m->comment.len, fallback);
		else if (m->phrase.len > 0 &&
		    memchr(m->phrase.data, ' ', m->phrase.len) != NULL) {
			/* Several bare words: a name, not an address. */
			a = buf_cstr(&m->phrase);
			alen = m->phrase.len;
		}
	}
	if (alen == 0 && name == NULL)
		return;
	addr = addr_decode(a, alen, fallback);
	if (addr == NULL)
		addr = xstrdup("");
	list_push(l, name, addr, group);
	*pv = xreallocarray(*pv, l->n, sizeof **pv);
	p = &(*pv)[l->n - 1];
	p->bare = !m->got_angle && !m->has_at && !m->quoted &&
	    name == NULL && addr[0] != '\0';
	p->named_angle = m->got_angle && m->phrase.len > 0;
	p->after_comma = after_comma;
}

static void
mbox_token(struct mbox *m, struct lexer *lx, enum tok t)
{
	if (m->in_angle) {
		if (t == TOK_ATOM || (t == TOK_CHAR && lx->c == '@'))
			buf_add(&m->angle, lx->raw, lx->raw_len);
		else if (t == TOK_CHAR && lx->c == ':')
			buf_reset(&m->angle);	/* end of a source route */
		return;
	}
	if (t == TOK_COMMENT) {
		if (m->comment.len == 0)
			buf_add(&m->comment, lx->text.data, lx->text.len);
		m->sep = true;
		return;
	}
	if (t == TOK_CHAR && lx->c == '@')
		m->has_at = true;
	if (t == TOK_ATOM && lx->quoted)
		m->quoted = true;
	buf_add(&m->spec, lx->raw, lx->raw_len);
	if ((lx->space || m->sep) && m->phrase.len > 0)
		buf_addc(&m->phrase, ' ');
	m->sep = false;
	buf_add(&m->phrase, lx->text.data, lx->text.len);
}

/* Join "Doe" and "John <jd@x>" that an unquoted comma split. */
static void
repair_split_names(struct mime_addrlist *l, struct parsed *pv, size_t from)
{
	size_t	i;
	char	*name;

	for (i = from; i + 1 < l->n; i++) {
		if (!pv[i].bare || !pv[i + 1].named_angle ||
		    !pv[i + 1].after_comma)
			continue;
		name = xasprintf("%s, %s", l->v[i].addr, l->v[i + 1].name);
		free(l->v[i + 1].name);
		l->v[i + 1].name = name;
		free(l->v[i].addr);
		free(l->v[i].name);
		free(l->v[i].group);
		memmove(&l->v[i], &l->v[i + 1],
		    (l->n - i - 1) * sizeof l->v[0]);
		memmove(&pv[i], &pv[i + 1], (l->n - i - 1) * sizeof pv[0]);
		l->n--;
	}
}

void
mime_addrlist_parse(struct mime_addrlist *l, const char *s, size_t len,
    const char *fallback)
{
	struct lexer	 lx;
	struct mbox	 m;
	struct parsed	*pv = NULL;
	char		*group = NULL;
	enum tok	 t;
	size_t		 first = l->n;
	bool		 after_comma = false;

	memset(&lx, 0, sizeof lx);
	memset(&m, 0, sizeof m);
	lx.s = s;
	lx.end = s + len;
	/* Side info for addresses already in the list: never merged. */
	pv = xcalloc(l->n + 1, sizeof *pv);
	while ((t = lex(&lx)) != TOK_END) {
		if (t != TOK_CHAR || m.in_angle) {
			if (t == TOK_CHAR && lx.c == '>')
				m.in_angle = false;
			else
				mbox_token(&m, &lx, t);
			continue;
		}
		switch (lx.c) {
		case '<':
			m.in_angle = m.got_angle = true;
			buf_reset(&m.angle);
			break;
		case '>':
			break;
		case ':':
			if (group == NULL && !m.got_angle && !m.has_at) {
				group = addr_decode(buf_cstr(&m.phrase),
				    m.phrase.len, fallback);
				if (group == NULL)
					group = xstrdup("");
				mbox_reset(&m);
				after_comma = false;
			} else
				mbox_token(&m, &lx, TOK_ATOM);
			break;
		case ',':
		case ';':
			mbox_emit(l, &pv, &m, group, after_comma, fallback);
			mbox_reset(&m);
			after_comma = lx.c == ',';
			if (lx.c == ';')
				xfree(&group);
			break;
		default:	/* '@' */
			mbox_token(&m, &lx, t);
			break;
		}
	}
	mbox_emit(l, &pv, &m, group, after_comma, fallback);
	repair_split_names(l, pv, first);
	free(group);
	free(pv);
	mbox_free(&m);
	buf_free(&lx.text);
}

void
mime_addrlist_add(struct mime_addrlist *l, const char *name,
    const char *addr)
{
	list_push(l, name != NULL ? xstrdup(name) : NULL,
	    xstrdup(addr != NULL ? addr : ""), NULL);
}

void
mime_addrlist_free(struct mime_addrlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].addr);
		free(l->v[i].group);
	}
	xfree(&l->v);
	l->n = 0;
}

void
mime_address_format(struct buf *out, const struct mime_address *a)
{
	const char	*p;
	bool		 quote = false;

	if (a->name == NULL || *a->name == '\0' ||
	    strcmp(a->name, a->addr) == 0) {
		buf_adds(out, a->addr);
		return;
	}
	for (p = a->name; *p != '\0'; p++)
		if (strchr("()<>[]:;@\\,.\"", *p) != NULL)
			quote = true;
	if (quote) {
		buf_addc(out, '"');
		for (p = a->name; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(out, '\\');
			buf_addc(out, *p);
		}
		buf_addc(out, '"');
	} else
		buf_adds(out, a->name);
	if (*a->addr != '\0')
		buf_addf(out, " <%s>", a->addr);
}

char *
mime_addrlist_format(const struct mime_addrlist *l)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_add(&b, ", ", 2);
		mime_address_format(&b, &l->v[i]);
	}
	return buf_detach(&b, NULL);
}
