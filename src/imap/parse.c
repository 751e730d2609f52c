/*
 * The incremental IMAP response parser.  Framing is done as bytes arrive
 * (lines, and literals announced at the end of a line); once a response
 * is complete it is tokenised in one pass into a tree of struct imap_arg.
 * Memory never exceeds what was received, and never the caps.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

struct imap_parser {
	size_t		max_line;
	size_t		max_response;
	struct buf	data;		/* the response so far, as on the wire */
	size_t		line_start;	/* where the current line began */
	size_t		literal_left;	/* bytes of a literal still to come */
	bool		in_literal;
	bool		first_line;	/* still in the response's first line */
	bool		failed;
};

struct imap_parser *
imap_parser_new(void)
{
	struct imap_parser	*p;

	p = xcalloc(1, sizeof *p);
	p->max_line = IMAP_MAX_LINE_DEFAULT;
	p->max_response = IMAP_MAX_RESPONSE_DEFAULT;
	p->first_line = true;
	return p;
}

void
imap_parser_free(struct imap_parser **pp)
{
	if (*pp == NULL)
		return;
	buf_free(&(*pp)->data);
	xfree(pp);
}

void
imap_parser_set_limits(struct imap_parser *p, size_t max_line,
    size_t max_response)
{
	p->max_line = max_line;
	p->max_response = max_response;
}

void
imap_parser_reset(struct imap_parser *p)
{
	buf_free(&p->data);
	p->line_start = 0;
	p->literal_left = 0;
	p->in_literal = false;
	p->first_line = true;
	p->failed = false;
}

bool
imap_parser_idle(const struct imap_parser *p)
{
	return p->data.len == 0 && !p->failed;
}

/*
 * Status responses and continuations carry free text, never literals: a
 * "{5}" at the end of their text is just text.
 */
static bool
line_is_text(const char *s, size_t len)
{
	static const char *const conds[] = {
		"OK", "NO", "BAD", "BYE", "PREAUTH"
	};
	const char	*sp, *w;
	size_t		 wl, i;

	if (len > 0 && s[0] == '+')
		return true;
	sp = memchr(s, ' ', len);
	if (sp == NULL)
		return false;
	w = sp + 1;
	for (wl = 0; w + wl < s + len && isalpha((unsigned char)w[wl]); wl++)
		;
	for (i = 0; i < sizeof conds / sizeof conds[0]; i++) {
		if (strlen(conds[i]) == wl &&
		    strncasecmp(w, conds[i], wl) == 0)
			return true;
	}
	return false;
}

/*
 * A line (without its line end) that ends in "{n}", "{n+}" or "~{n}"
 * announces a literal: returns 1 and the size, 0 when not, -1 on a
 * malformed or oversized number.
 */
static int
line_literal(const char *s, size_t len, uint64_t *n_r)
{
	size_t		i, digits_end;
	uint64_t	n;

	if (len < 3 || s[len - 1] != '}')
		return 0;
	i = len - 1;
	if (s[i - 1] == '+')
		i--;
	digits_end = i;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == 0 || s[i - 1] != '{')
		return 0;
	if (i == digits_end)
		return -1;
	n = 0;
	for (; i < digits_end; i++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	*n_r = n;
	return 1;
}

static int
parser_fail(struct imap_parser *p, struct err *err, enum err_code code,
    const char *msg)
{
	p->failed = true;
	err_set(err, code, "IMAP response: %s", msg);
	return -1;
}

/* A line is complete in data[line_start..len): decide what comes next. */
static int
line_done(struct imap_parser *p, bool *complete_r, struct err *err)
{
	const char	*s = p->data.data + p->line_start;
	size_t		 len = p->data.len - p->line_start;
	uint64_t	 n;
	int		 r;

	*complete_r = false;
	len--;			/* the LF */
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (p->first_line && line_is_text(p->data.data, len)) {
		*complete_r = true;
		return 0;
	}
	p->first_line = false;
	r = line_literal(s, len, &n);
	if (r < 0)
		return parser_fail(p, err, ERR_PARSE, "bad literal size");
	if (r == 0) {
		*complete_r = true;
		return 0;
	}
	if (n > p->max_response || p->data.len + n > p->max_response)
		return parser_fail(p, err, ERR_TOOBIG,
		    "literal larger than the limit");
	p->literal_left = (size_t)n;
	p->in_literal = n > 0;
	p->line_start = p->data.len;
	return 0;
}

enum imap_parse_result
imap_parser_feed(struct imap_parser *p, const void *in, size_t len,
    size_t *used_r, struct imap_response **resp_r, struct err *err)
{
	const char	*s = in;
	size_t		 used = 0, take;
	const char	*lf;
	bool		 complete = false;

	*used_r = 0;
	*resp_r = NULL;
	if (p->failed) {
		err_set(err, ERR_PROTO, "IMAP response: stream unusable "
		    "after an earlier error");
		return IMAP_PARSE_ERROR;
	}
	while (used < len && !complete) {
		if (p->in_literal) {
			take = len - used;
			if (take > p->literal_left)
				take = p->literal_left;
			buf_add(&p->data, s + used, take);
			used += take;
			p->literal_left -= take;
			if (p->literal_left == 0) {
				p->in_literal = false;
				p->line_start = p->data.len;
			}
			continue;
		}
		lf = memchr(s + used, '\n', len - used);
		take = lf != NULL ? (size_t)(lf - (s + used)) + 1 : len - used;
		if (memchr(s + used, '\0', take) != NULL) {
			*used_r = used;
			parser_fail(p, err, ERR_PARSE, "NUL byte in a line");
			return IMAP_PARSE_ERROR;
		}
		if (p->data.len - p->line_start + take > p->max_line ||
		    p->data.len + take > p->max_response) {
			*used_r = used;
			parser_fail(p, err, ERR_TOOBIG,
			    "line longer than the limit");
			return IMAP_PARSE_ERROR;
		}
		buf_add(&p->data, s + used, take);
		used += take;
		if (lf != NULL && line_done(p, &complete, err) < 0) {
			*used_r = used;
			return IMAP_PARSE_ERROR;
		}
	}
	*used_r = used;
	if (!complete)
		return IMAP_PARSE_MORE;
	*resp_r = imap_parse_response(p->data.data, p->data.len, err);
	/* Keep the memory of a small response for the next one. */
	if (p->data.cap > 64 * 1024)
		buf_free(&p->data);
	else
		buf_reset(&p->data);
	p->line_start = 0;
	p->first_line = true;
	if (*resp_r == NULL) {
		p->failed = true;
		return IMAP_PARSE_ERROR;
	}
	return IMAP_PARSE_DONE;
}
