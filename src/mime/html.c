/*
 * A small built-in HTML to text converter, so HTML-only mail is readable
 * without any external program: block elements become line breaks, lists
 * get bullets, blockquotes become "> " quotes, links are numbered with
 * their URLs listed at the end, entities are decoded, scripts and styles
 * dropped.  It never fetches anything.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define HTML_MAX_QUOTE	16
#define HTML_MAX_LIST	16
#define HTML_MAX_LINKS	5000

struct html {
	struct buf	*out;
	size_t		 width;
	struct buf	 line;		/* words of the line being built */
	size_t		 cols;		/* columns in line */
	int		 quote;
	int		 nlist;
	int		 listnum[HTML_MAX_LIST];
	bool		 ordered[HTML_MAX_LIST];
	char		 bullet[16];	/* to print before the next word */
	int		 pre;
	int		 breaks;	/* pending: 1 new line, 2 blank line */
	bool		 space;		/* a space before the next word */
	bool		 any;		/* something was written */
	bool		 blank;		/* the last line written was blank */
	struct mime_strlist links;
	char		*href;		/* open <a> */
	struct buf	 atext;		/* its text */
};

/* ---- Output --------------------------------------------------------- */

static size_t
html_indent(const struct html *h)
{
	return h->nlist > 0 ? (size_t)(h->nlist - 1) * 3 + 3 : 0;
}

static void
html_prefix(struct html *h, bool blank)
{
	int	i;

	for (i = 0; i < h->quote; i++)
		buf_addc(h->out, '>');
	if (h->quote > 0 && !blank)
		buf_addc(h->out, ' ');
}

static void
html_emit_line(struct html *h)
{
	html_prefix(h, h->line.len == 0);
	buf_add(h->out, h->line.data, h->line.len);
	buf_addc(h->out, '\n');
	h->blank = h->line.len == 0;
	buf_reset(&h->line);
	h->cols = 0;
	h->any = true;
}

/* Start a line: list indentation, or the pending bullet in its place. */
static void
html_line_start(struct html *h)
{
	size_t	ind = html_indent(h), blen, i;

	if (h->bullet[0] != '\0') {
		blen = strlen(h->bullet);
		for (i = blen; i < ind; i++)
			buf_addc(&h->line, ' ');
		buf_adds(&h->line, h->bullet);
		h->cols = ind > blen ? ind : blen;
		h->bullet[0] = '\0';
		return;
	}
	for (i = 0; i < ind; i++)
		buf_addc(&h->line, ' ');
	h->cols = ind;
}

static void
html_flush_breaks(struct html *h)
{
	if (h->breaks == 0)
		return;
	if (h->line.len > 0 && h->cols > html_indent(h))
		html_emit_line(h);
	else {
		buf_reset(&h->line);
		h->cols = 0;
	}
	if (h->breaks >= 2 && h->any && !h->blank)
		html_emit_line(h);
	h->breaks = 0;
	h->space = false;
}

static void
html_break(struct html *h, int n)
{
	if (h->breaks < n)
		h->breaks = n;
}

/* Append one word (no white space in it) with wrapping. */
static void
html_word(struct html *h, const char *w, size_t len)
{
	size_t	wcols;

	if (len == 0)
		return;
	if (h->href != NULL)
		buf_add(&h->atext, w, len);
	html_flush_breaks(h);
	wcols = utf8_width(w, len);
	if (h->line.len == 0)
		html_line_start(h);
	else if (h->space) {
		if (h->cols + 1 + wcols > h->width &&
		    h->cols > html_indent(h)) {
			html_emit_line(h);
			html_line_start(h);
		} else {
			buf_addc(&h->line, ' ');
			h->cols++;
			if (h->href != NULL)
				buf_addc(&h->atext, ' ');
		}
	}
	buf_add(&h->line, w, len);
	h->cols += wcols;
	h->space = false;
}

/* Text in <pre>: kept as it is, line by line. */
static void
html_pre_text(struct html *h, const char *s, size_t len)
{
	size_t	i, start = 0;

	html_flush_breaks(h);
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		if (h->line.len == 0 && i > start)
			html_line_start(h);
		buf_add(&h->line, s + start, i - start);
		h->cols += utf8_width(s + start, i - start);
		if (i < len)
			html_emit_line(h);
		start = i + 1;
	}
}

static void
html_text(struct html *h, const char *s, size_t len)
{
	size_t	i, start;

	if (h->pre > 0) {
		html_pre_text(h, s, len);
		return;
	}
	for (i = 0; i < len;) {
		if (MIME_SPACE(s[i]) || s[i] == '\f') {
			h->space = true;
			i++;
			continue;
		}
		start = i;
		while (i < len && !MIME_SPACE(s[i]) && s[i] != '\f')
			i++;
		html_word(h, s + start, i - start);
	}
}

/* ---- Entities -------------------------------------------------------- */

/* Latin-1 entity names for U+00A0..U+00FF, in order. */
static const char *const latin1_names[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
	"deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
	"cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34",
	"iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring",
	"AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave",
	"Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
	"Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute",
	"Ucirc", "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute",
	"acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave",
	"eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth",
	"ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
	"oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn",
	"yuml",
};

static const struct {
	const char	*name;
	uint32_t	 cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
	{ "hellip", 0x2026 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "sbquo", 0x201a }, { "ldquo", 0x201c }, { "rdquo", 0x201d },
	{ "bdquo", 0x201e }, { "bull", 0x2022 }, { "euro", 0x20ac },
	{ "trade", 0x2122 }, { "dagger", 0x2020 }, { "Dagger", 0x2021 },
	{ "permil", 0x2030 }, { "lsaquo", 0x2039 }, { "rsaquo", 0x203a },
	{ "oelig", 0x0153 }, { "OElig", 0x0152 }, { "scaron", 0x0161 },
	{ "Scaron", 0x0160 }, { "Yuml", 0x0178 }, { "circ", 0x02c6 },
	{ "tilde", 0x02dc }, { "ensp", ' ' }, { "emsp", ' ' },
	{ "thinsp", ' ' }, { "zwnj", 0 }, { "zwj", 0 }, { "lrm", 0 },
	{ "rlm", 0 }, { "larr", 0x2190 }, { "rarr", 0x2192 },
	{ "uarr", 0x2191 }, { "darr", 0x2193 }, { "hearts", 0x2665 },
	{ "check", 0x2713 }, { "star", 0x2606 }, { "minus", 0x2212 },
};

/* Decode the entity at s (s[0] == '&'); returns bytes used, 0 if none. */
static size_t
html_entity(const char *s, size_t len, uint32_t *cp)
{
	size_t		i, n;
	uint32_t	v = 0;
	bool		hex;

	if (len < 3)
		return 0;
	if (s[1] == '#') {
		hex = s[2] == 'x' || s[2] == 'X';
		for (i = hex ? 3 : 2; i < len && i < 12; i++) {
			int d = hex ? mime_hexval((unsigned char)s[i]) :
			    (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
			if (d < 0)
				break;
			v = v * (hex ? 16 : 10) + (uint32_t)d;
			if (v > 0x10ffff)
				v = 0x110000;
		}
		if (i == (hex ? 3u : 2u))
			return 0;
		if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			v = UTF8_REPLACEMENT;
		*cp = v;
		return i < len && s[i] == ';' ? i + 1 : i;
	}
	for (n = 1; n < len && n < 10 &&
	    ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	    (s[n] >= '0' && s[n] <= '9')); n++)
		;
	if (n == 1)
		return 0;
	for (i = 0; i < sizeof entities / sizeof entities[0]; i++)
		if (strlen(entities[i].name) == n - 1 &&
		    memcmp(entities[i].name, s + 1, n - 1) == 0) {
			*cp = entities[i].cp;
			goto found;
		}
	for (i = 0; i < 96; i++)
		if (strlen(latin1_names[i]) == n - 1 &&
		    memcmp(latin1_names[i], s + 1, n - 1) == 0) {
			*cp = i == 0 ? ' ' : 0xa0 + (uint32_t)i;
			goto found;
		}
	return 0;
found:
	return n < len && s[n] == ';' ? n + 1 : n;
}

/* Append text with entities decoded (cp 0: dropped). */
static void
html_decode_entities(struct buf *out, const char *s, size_t len)
{
	size_t		i, n, start = 0;
	uint32_t	cp;

	for (i = 0; i < len; i++) {
		if (s[i] != '&' || (n = html_entity(s + i, len - i, &cp)) == 0)
			continue;
		buf_add(out, s + start, i - start);
		if (cp != 0)
			utf8_encode(out, cp);
		i += n - 1;
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

/* ---- Tags ------------------------------------------------------------- */

struct tag {
	char	 name[16];
	bool	 close;
	char	*href;
	char	*alt;
	int	 start;		/* <ol start=N> */
};

/* Attribute value at s; allocated, entities decoded; s moved past it. */
static char *
tag_value(const char **sp, const char *end)
{
	const char	*s = *sp, *v;
	struct buf	 b = BUF_INIT;
	char		 q;

	if (s < end && (*s == '"' || *s == '\'')) {
		q = *s++;
		v = s;
		while (s < end && *s != q)
			s++;
		html_decode_entities(&b, v, (size_t)(s - v));
		if (s < end)
			s++;
	} else {
		v = s;
		while (s < end && !MIME_SPACE(*s) && *s != '>')
			s++;
		html_decode_entities(&b, v, (size_t)(s - v));
	}
	*sp = s;
	return buf_detach(&b, NULL);
}

/* Parse the tag at s (s[0] == '<'); returns the bytes it takes. */
static size_t
tag_parse(const char *s, size_t len, struct tag *t)
{
	const char	*p = s + 1, *end = s + len, *an;
	size_t		 n = 0, alen;
	char		*v;

	memset(t, 0, sizeof *t);
	if (p < end && *p == '/') {
		t->close = true;
		p++;
	}
	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
	    *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
		if (n + 1 < sizeof t->name)
			t->name[n++] = (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p;
		p++;
	}
	t->name[n] = '\0';
	while (p < end && *p != '>') {
		if (MIME_SPACE(*p) || *p == '/') {
			p++;
			continue;
		}
		an = p;
		while (p < end && !MIME_SPACE(*p) && *p != '=' && *p != '>')
			p++;
		alen = (size_t)(p - an);
		while (p < end && MIME_SPACE(*p))
			p++;
		if (p >= end || *p != '=')
			continue;
		p++;
		while (p < end && MIME_SPACE(*p))
			p++;
		v = tag_value(&p, end);
		if (mime_eq(an, alen, "href") && t->href == NULL)
			t->href = v;
		else if (mime_eq(an, alen, "alt") && t->alt == NULL)
			t->alt = v;
		else {
			if (mime_eq(an, alen, "start"))
				t->start = atoi(v);
			free(v);
		}
	}
	return p < end ? (size_t)(p - s) + 1 : len;
}

static bool
tag_is(const struct tag *t, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(t->name, *names) == 0)
			return true;
	return false;
}

/* End the line being built now (before quote or indent changes). */
static void
html_end_line(struct html *h)
{
	if (h->line.len > 0 && h->cols > html_indent(h)) {
		html_emit_line(h);
		if (h->breaks == 0)
			h->breaks = 1;
	}
}

/* Whether the link text already shows the URL (no need to number it). */
static bool
link_is_text(const char *url, const char *txt)
{
	size_t	ul, tl;

	if (strncasecmp(url, "mailto:", 7) == 0)
		url += 7;
	else if (strncasecmp(url, "https://", 8) == 0 &&
	    strncasecmp(txt, "https://", 8) != 0)
		url += 8;
	else if (strncasecmp(url, "http://", 7) == 0 &&
	    strncasecmp(txt, "http://", 7) != 0)
		url += 7;
	ul = strlen(url);
	tl = strlen(txt);
	if (ul > 0 && url[ul - 1] == '/')
		ul--;
	if (tl > 0 && txt[tl - 1] == '/')
		tl--;
	return ul == tl && strncasecmp(url, txt, ul) == 0;
}

static void
html_link_close(struct html *h)
{
	const char	*url = h->href, *txt = buf_cstr(&h->atext);
	char		 mark[32];
	size_t		 ul;

	h->href = NULL;
	if (link_is_text(url, txt)) {
		free((char *)url);
		buf_reset(&h->atext);
		return;
	}
	if (h->links.n >= HTML_MAX_LINKS) {
		free((char *)url);
		buf_reset(&h->atext);
		return;
	}
	ul = strlen(url);
	mime_strlist_add(&h->links, url, ul);
	free((char *)url);
	buf_reset(&h->atext);
	snprintf(mark, sizeof mark, "[%zu]", h->links.n);
	h->space = false;
	html_word(h, mark, strlen(mark));
}

static const char *const tags_para[] = { "p", "h1", "h2", "h3", "h4", "h5",
	"h6", "table", "pre", "dl", "address", "figure", "form", "fieldset",
	NULL };
static const char *const tags_line[] = { "div", "tr", "dt", "dd",
	"section", "article", "header", "footer", "nav", "aside", "main",
	"center", "caption", "title", "thead", "tbody", "tfoot", "details",
	"summary", "option", NULL };
/* Elements whose content is never shown. */
static const char *const tags_raw[] = { "script", "style", "template",
	"title", "textarea", "svg", "object", "iframe", "noembed", "xml",
	NULL };

static void
html_list(struct html *h, const struct tag *t)
{
	html_end_line(h);
	if (!t->close) {
		if (h->nlist < HTML_MAX_LIST) {
			h->ordered[h->nlist] = strcmp(t->name, "ol") == 0;
			h->listnum[h->nlist] = t->start > 0 && t->start < 100000 ?
			    t->start - 1 : 0;
		}
		h->nlist++;
	} else if (h->nlist > 0)
		h->nlist--;
	html_break(h, h->nlist == 0 ? 2 : 1);
}

static void
html_li(struct html *h)
{
	int	d;

	html_end_line(h);
	html_break(h, 1);
	if (h->nlist == 0)
		h->nlist = 1;		/* <li> outside a list */
	d = h->nlist <= HTML_MAX_LIST ? h->nlist - 1 : HTML_MAX_LIST - 1;
	if (h->ordered[d])
		snprintf(h->bullet, sizeof h->bullet, "%d. ",
		    ++h->listnum[d]);
	else
		snprintf(h->bullet, sizeof h->bullet, "%s ",
		    d % 2 == 0 ? "*" : "-");
}

static void
html_tag(struct html *h, struct tag *t)
{
	struct buf	b = BUF_INIT;
	static const char *const lists[] = { "ul", "ol", "menu", NULL };
	static const char *const quotes[] = { "blockquote", NULL };

	if (tag_is(t, tags_para))
		html_break(h, 2);
	else if (tag_is(t, tags_line))
		html_break(h, 1);
	if (strcmp(t->name, "pre") == 0) {
		html_end_line(h);
		h->pre += t->close ? (h->pre > 0 ? -1 : 0) : 1;
	} else if (tag_is(t, lists))
		html_list(h, t);
	else if (strcmp(t->name, "li") == 0 && !t->close)
		html_li(h);
	else if (tag_is(t, quotes)) {
		html_end_line(h);
		if (!t->close && h->quote < HTML_MAX_QUOTE)
			h->quote++;
		else if (t->close && h->quote > 0)
			h->quote--;
		html_break(h, 2);
	} else if (strcmp(t->name, "br") == 0) {
		html_flush_breaks(h);
		if (h->line.len == 0 && h->blank)
			return;		/* runs of <br> make one blank line */
		html_emit_line(h);
		h->space = false;
	} else if (strcmp(t->name, "hr") == 0 && !t->close) {
		html_break(h, 1);
		html_word(h, "--------------------", 20);
		html_break(h, 1);
	} else if ((strcmp(t->name, "td") == 0 || strcmp(t->name, "th") == 0)
	    && !t->close)
		h->space = true;
	else if (strcmp(t->name, "img") == 0 && t->alt != NULL &&
	    *t->alt != '\0') {
		buf_addc(&b, '[');
		buf_adds(&b, t->alt);
		buf_addc(&b, ']');
		h->space = true;
		html_text(h, b.data, b.len);
		h->space = true;
	} else if (strcmp(t->name, "a") == 0) {
		if (h->href != NULL)
			html_link_close(h);
		if (!t->close && t->href != NULL && t->href[0] != '#' &&
		    strncasecmp(t->href, "javascript:", 11) != 0) {
			/* URLs are one word: no white space inside. */
			size_t i;
			for (i = 0; t->href[i] != '\0'; i++)
				if (!MIME_SPACE(t->href[i]) &&
				    (unsigned char)t->href[i] >= 0x20)
					buf_addc(&b, t->href[i]);
			if (b.len > 0 && b.len < 4096)
				h->href = buf_detach(&b, NULL);
		}
	}
	buf_free(&b);
}

/* Skip to the end of "</name ...>"; returns the new position. */
static size_t
html_skip_raw(const char *s, size_t len, size_t i, const char *name)
{
	size_t	n = strlen(name);

	for (; i + 2 + n <= len; i++) {
		if (s[i] == '<' && s[i + 1] == '/' &&
		    strncasecmp(s + i + 2, name, n) == 0) {
			const char *gt = memchr(s + i, '>', len - i);
			return gt != NULL ? (size_t)(gt - s) + 1 : len;
		}
	}
	return len;
}

void
mime_html_to_text(struct buf *out, const char *s, size_t len, int width)
{
	struct html	 h;
	struct tag	 t;
	struct buf	 text = BUF_INIT;
	const char	*lt, *e;
	size_t		 i = 0, n, k;
	bool		 in_head = false;

	memset(&h, 0, sizeof h);
	h.out = out;
	h.width = width > 10 ? (size_t)width : 80;
	while (i < len) {
		if (s[i] != '<') {
			lt = memchr(s + i, '<', len - i);
			n = lt != NULL ? (size_t)(lt - s) - i : len - i;
			if (!in_head) {
				buf_reset(&text);
				html_decode_entities(&text, s + i, n);
				html_text(&h, text.data, text.len);
			}
			i += n;
			continue;
		}
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			e = memmem(s + i + 4, len - i - 4, "-->", 3);
			i = e != NULL ? (size_t)(e - s) + 3 : len;
			continue;
		}
		if (i + 1 < len && (s[i + 1] == '!' || s[i + 1] == '?')) {
			e = memchr(s + i, '>', len - i);
			i = e != NULL ? (size_t)(e - s) + 1 : len;
			continue;
		}
		k = i + 1 < len && s[i + 1] == '/' ? i + 2 : i + 1;
		if (k >= len || !((s[k] >= 'a' && s[k] <= 'z') ||
		    (s[k] >= 'A' && s[k] <= 'Z'))) {
			if (!in_head)
				html_text(&h, "<", 1);
			i++;
			continue;
		}
		i += tag_parse(s + i, len - i, &t);
		if (strcmp(t.name, "head") == 0)
			in_head = !t.close;
		else if (strcmp(t.name, "body") == 0)
			in_head = false;
		else if (!t.close && tag_is(&t, tags_raw))
			i = html_skip_raw(s, len, i, t.name);
		else if (!in_head)
			html_tag(&h, &t);
		free(t.href);
		free(t.alt);
	}
	if (h.href != NULL)
		html_link_close(&h);
	if (h.line.len > 0 && h.cols > html_indent(&h))
		html_emit_line(&h);
	if (h.links.n > 0) {
		h.quote = 0;
		if (h.any && !h.blank)
			buf_addc(out, '\n');
		for (k = 0; k < h.links.n; k++)
			buf_addf(out, "[%zu] %s\n", k + 1, h.links.v[k]);
	}
	mime_strlist_free(&h.links);
	buf_free(&h.line);
	buf_free(&h.atext);
	buf_free(&text);
	free(h.href);
}
