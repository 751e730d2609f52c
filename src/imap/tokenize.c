/*
 * Tokenising one complete IMAP response (framed by parse.c) into a tag,
 * a condition or a name, a response code and a tree of values.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "imap/imap-int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

struct tok {
	const char	*p;
	const char	*end;
	int		 depth;
	struct err	*err;
};

static int
tok_fail(struct tok *t, const char *what)
{
	err_set(t->err, ERR_PROTO, "IMAP response: %s", what);
	return -1;
}

static bool
at_end(const struct tok *t)
{
	return t->p >= t->end;
}

static bool
is_atom_char(unsigned char c)
{
	if (c <= 0x20 || c == 0x7f)
		return false;
	return strchr("(){\"", c) == NULL;
}

/* Length of the atom at t->p; a "[...]" part may hold spaces and parens. */
static size_t
atom_span(const struct tok *t, bool code)
{
	const char	*q = t->p, *close;

	while (q < t->end && is_atom_char((unsigned char)*q)) {
		if (*q == ']' && code)
			break;
		if (*q == '[') {
			close = memchr(q, ']', (size_t)(t->end - q));
			if (close == NULL || memchr(q, '\n',
			    (size_t)(close - q)) != NULL ||
			    memchr(q, '\r', (size_t)(close - q)) != NULL)
				return 0;
			q = close;
		}
		q++;
	}
	return (size_t)(q - t->p);
}

static void
arg_set_str(struct imap_arg *a, enum imap_arg_type type, const char *s,
    size_t len)
{
	a->type = type;
	a->str = xmemdup(s, len + 1);
	a->str[len] = '\0';
	a->len = len;
}

static int	parse_value(struct tok *, struct imap_arg *, bool);

static int
parse_quoted(struct tok *t, struct imap_arg *a)
{
	struct buf	b = BUF_INIT;
	char		c;

	t->p++;
	for (;;) {
		if (at_end(t)) {
			buf_free(&b);
			return tok_fail(t, "unterminated quoted string");
		}
		c = *t->p++;
		if (c == '"')
			break;
		if (c == '\\') {
			if (at_end(t)) {
				buf_free(&b);
				return tok_fail(t, "bad escape");
			}
			c = *t->p++;
		}
		if (c == '\r' || c == '\n' || c == '\0') {
			buf_free(&b);
			return tok_fail(t, "control character in a string");
		}
		buf_addc(&b, c);
	}
	a->type = IMAP_ARG_STRING;
	a->len = b.len;
	a->str = buf_detach(&b, NULL);
	return 0;
}

static int
parse_literal(struct tok *t, struct imap_arg *a)
{
	uint64_t	n = 0;
	bool		digits = false;

	if (*t->p == '~')
		t->p++;
	t->p++;		/* '{' */
	while (!at_end(t) && isdigit((unsigned char)*t->p)) {
		if (n > (UINT64_MAX - 9) / 10)
			return tok_fail(t, "literal size overflows");
		n = n * 10 + (uint64_t)(*t->p++ - '0');
		digits = true;
	}
	if (!at_end(t) && *t->p == '+')
		t->p++;
	if (!digits || at_end(t) || *t->p != '}')
		return tok_fail(t, "bad literal");
	t->p++;
	if (!at_end(t) && *t->p == '\r')
		t->p++;
	if (at_end(t) || *t->p != '\n')
		return tok_fail(t, "literal not followed by a line end");
	t->p++;
	if (n > (uint64_t)(t->end - t->p))
		return tok_fail(t, "literal longer than the response");
	arg_set_str(a, IMAP_ARG_LITERAL, t->p, (size_t)n);
	t->p += n;
	return 0;
}

/*
 * Items up to close (')') or, at the top level (close == 0), the end.
 * Extra spaces are forgiven: some servers send a trailing one.
 */
static int
parse_items(struct tok *t, struct imap_arg *list, char close, bool code)
{
	size_t	cap = 0;

	list->type = IMAP_ARG_LIST;
	list->list = NULL;
	list->count = 0;
	for (;;) {
		while (!at_end(t) && *t->p == ' ')
			t->p++;
		if (at_end(t)) {
			if (close != 0)
				return tok_fail(t, "unterminated list");
			return 0;
		}
		if (close != 0 && *t->p == close) {
			t->p++;
			return 0;
		}
		if (list->count == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			list->list = xreallocarray(list->list, cap,
			    sizeof *list->list);
		}
		memset(&list->list[list->count], 0, sizeof *list->list);
		list->count++;
		if (parse_value(t, &list->list[list->count - 1], code) < 0)
			return -1;
		/* body-type-mpart puts bodies side by side: ")(". */
		if (!at_end(t) && *t->p != ' ' && *t->p != close &&
		    *t->p != '(')
			return tok_fail(t, "expected a space");
	}
}

static int
parse_value(struct tok *t, struct imap_arg *a, bool code)
{
	size_t	n;
	int	r;

	switch (*t->p) {
	case '(':
		if (++t->depth > IMAP_MAX_DEPTH)
			return tok_fail(t, "lists nested too deep");
		t->p++;
		r = parse_items(t, a, ')', code);
		t->depth--;
		return r;
	case '"':
		return parse_quoted(t, a);
	case '{':
		return parse_literal(t, a);
	case '~':
		if (t->p + 1 < t->end && t->p[1] == '{')
			return parse_literal(t, a);
		break;
	case ')':
		return tok_fail(t, "unbalanced parenthesis");
	}
	n = atom_span(t, code);
	if (n == 0)
		return tok_fail(t, "unexpected character");
	if (n == 3 && strncasecmp(t->p, "NIL", 3) == 0) {
		a->type = IMAP_ARG_NIL;
		t->p += n;
		return 0;
	}
	arg_set_str(a, IMAP_ARG_ATOM, t->p, n);
	t->p += n;
	return 0;
}

int
imap_parse_args(const char *s, size_t len, struct imap_arg *list,
    struct err *err)
{
	struct tok	t = { s, s + len, 0, err };

	memset(list, 0, sizeof *list);
	if (parse_items(&t, list, 0, true) < 0) {
		imap_arg_free(list);
		return -1;
	}
	return 0;
}

static char *
dup_upper(const char *s, size_t len)
{
	char	*u;
	size_t	 i;

	u = xstrndup(s, len);
	for (i = 0; i < len; i++)
		u[i] = (char)toupper((unsigned char)u[i]);
	return u;
}

/* Free text up to the end; no line breaks or NUL inside one line. */
static int
rest_text(struct tok *t, char **out)
{
	size_t	n = (size_t)(t->end - t->p);

	if (memchr(t->p, '\n', n) != NULL || memchr(t->p, '\r', n) != NULL ||
	    memchr(t->p, '\0', n) != NULL)
		return tok_fail(t, "control character in text");
	*out = xstrndup(t->p, n);
	t->p = t->end;
	return 0;
}

/* resp-text = ["[" resp-text-code "]" SP] text */
static int
parse_resp_text(struct tok *t, struct imap_response *r)
{
	const char	*q, *close;

	while (!at_end(t) && *t->p == ' ')
		t->p++;
	if (!at_end(t) && *t->p == '[') {
		close = memchr(t->p, ']', (size_t)(t->end - t->p));
		q = t->p + 1;
		while (q < t->end && is_atom_char((unsigned char)*q) &&
		    *q != ']' && *q != '[')
			q++;
		if (close != NULL && q > t->p + 1 &&
		    (*q == ' ' || *q == ']')) {
			r->code = dup_upper(t->p + 1, (size_t)(q - t->p - 1));
			if (*q == ' ')
				q++;
			if (q > close)
				q = close;
			r->code_text = xstrndup(q, (size_t)(close - q));
			if (memchr(r->code_text, '\r', (size_t)(close - q)) ||
			    memchr(r->code_text, '\n', (size_t)(close - q)) ||
			    memchr(r->code_text, '\0', (size_t)(close - q)))
				return tok_fail(t, "control character in "
				    "a response code");
			t->p = close + 1;
			while (!at_end(t) && *t->p == ' ')
				t->p++;
		}
	}
	if (r->code_text == NULL)
		r->code_text = xstrdup("");
	return rest_text(t, &r->text);
}

static enum imap_cond
cond_of(const char *s, size_t len)
{
	if (len == 2 && strncasecmp(s, "OK", 2) == 0)
		return IMAP_COND_OK;
	if (len == 2 && strncasecmp(s, "NO", 2) == 0)
		return IMAP_COND_NO;
	if (len == 3 && strncasecmp(s, "BAD", 3) == 0)
		return IMAP_COND_BAD;
	if (len == 3 && strncasecmp(s, "BYE", 3) == 0)
		return IMAP_COND_BYE;
	if (len == 7 && strncasecmp(s, "PREAUTH", 7) == 0)
		return IMAP_COND_PREAUTH;
	return IMAP_COND_NONE;
}

static size_t
word_span(const struct tok *t)
{
	const char	*q = t->p;

	while (q < t->end && *q != ' ')
		q++;
	return (size_t)(q - t->p);
}

static int
parse_untagged(struct tok *t, struct imap_response *r)
{
	size_t	n;
	char	*num;
	int	 rc;

	n = word_span(t);
	if (n == 0)
		return tok_fail(t, "missing response name");
	if (isdigit((unsigned char)*t->p) || *t->p == '-') {
		num = xstrndup(t->p, n);
		rc = str_to_u32(num, &r->number);
		free(num);
		if (rc < 0)
			return tok_fail(t, "bad message number");
		r->has_number = true;
		t->p += n;
		if (at_end(t))
			return tok_fail(t, "number without a name");
		t->p++;
		n = word_span(t);
		if (n == 0)
			return tok_fail(t, "missing response name");
	}
	/* Same rule as the framer: the condition is an alphabetic word. */
	if (!r->has_number) {
		size_t	wl;

		for (wl = 0; wl < n && isalpha((unsigned char)t->p[wl]); wl++)
			;
		r->cond = cond_of(t->p, wl);
		if (r->cond != IMAP_COND_NONE) {
			t->p += wl;
			return parse_resp_text(t, r);
		}
	}
	if (atom_span(t, false) != n)
		return tok_fail(t, "bad response name");
	r->name = dup_upper(t->p, n);
	t->p += n;
	return parse_items(t, &r->args, 0, false);
}

struct imap_response *
imap_parse_response(const void *data, size_t len, struct err *err)
{
	struct imap_response	*r;
	struct tok		 t;
	size_t			 n, wl;
	int			 rc;

	t.p = data;
	t.end = t.p + len;
	t.depth = 0;
	t.err = err;
	if (t.end > t.p && t.end[-1] == '\n')
		t.end--;
	if (t.end > t.p && t.end[-1] == '\r')
		t.end--;
	r = xcalloc(1, sizeof *r);
	r->args.type = IMAP_ARG_LIST;
	if (at_end(&t)) {
		rc = tok_fail(&t, "empty line");
	} else if (*t.p == '+') {
		r->type = IMAP_RESP_CONTINUE;
		t.p++;
		rc = parse_resp_text(&t, r);
	} else if (*t.p == '*') {
		t.p++;
		if (at_end(&t) || *t.p != ' ')
			rc = tok_fail(&t, "expected a space after '*'");
		else {
			t.p++;
			rc = parse_untagged(&t, r);
		}
	} else {
		r->type = IMAP_RESP_TAGGED;
		n = atom_span(&t, true);
		if (n == 0 || memchr(t.p, '+', n) != NULL ||
		    memchr(t.p, '[', n) != NULL) {
			rc = tok_fail(&t, "bad tag");
		} else {
			r->tag = xstrndup(t.p, n);
			t.p += n;
			if (at_end(&t) || *t.p != ' ') {
				rc = tok_fail(&t, "tagged response without "
				    "a condition");
			} else {
				t.p++;
				for (wl = 0; t.p + wl < t.end &&
				    isalpha((unsigned char)t.p[wl]); wl++)
					;
				r->cond = cond_of(t.p, wl);
				t.p += wl;
				if (r->cond != IMAP_COND_OK &&
				    r->cond != IMAP_COND_NO &&
				    r->cond != IMAP_COND_BAD)
					rc = tok_fail(&t, "tagged response "
					    "without OK, NO or BAD");
				else
					rc = parse_resp_text(&t, r);
			}
		}
	}
	if (rc == 0 && !at_end(&t))
		rc = tok_fail(&t, "junk at the end of the response");
	if (rc < 0) {
		imap_response_free(&r);
		return NULL;
	}
	return r;
}

void
imap_response_free(struct imap_response **rp)
{
	struct imap_response	*r = *rp;

	if (r == NULL)
		return;
	free(r->tag);
	free(r->code);
	free(r->code_text);
	free(r->text);
	free(r->name);
	imap_arg_free(&r->args);
	xfree(rp);
}
