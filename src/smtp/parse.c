/*
 * The SMTP reply parser: "ddd-text" lines up to a "ddd text" line, all
 * with one code, enhanced status codes (RFC 3463) split off.  No I/O;
 * bytes can arrive in any split; lines and their number are capped.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "smtp/smtp.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

enum {
	ST_LINE = 0,
	ST_DONE,
	ST_ERROR,
};

void
smtp_parser_init(struct smtp_parser *p)
{
	memset(p, 0, sizeof *p);
}

void
smtp_reply_free(struct smtp_reply *r)
{
	size_t	i;

	for (i = 0; i < r->nlines; i++)
		free(r->lines[i]);
	free(r->lines);
	memset(r, 0, sizeof *r);
}

void
smtp_parser_free(struct smtp_parser *p)
{
	buf_free(&p->line);
	smtp_reply_free(&p->reply);
}

const struct smtp_reply *
smtp_parser_reply(const struct smtp_parser *p)
{
	return &p->reply;
}

void
smtp_parser_take(struct smtp_parser *p, struct smtp_reply *r)
{
	*r = p->reply;
	memset(&p->reply, 0, sizeof p->reply);
}

char *
smtp_reply_text(const struct smtp_reply *r)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < r->nlines; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		sanitize_append(&b, r->lines[i], strlen(r->lines[i]), 0);
	}
	buf_cstr(&b);
	if (b.data == NULL)
		return xstrdup("");
	return buf_detach(&b, NULL);
}

/* Length of "c.sss.ddd" at s when it is an enhanced code of class cls. */
static size_t
enhanced_len(const char *s, int cls)
{
	size_t	i = 0, part, digits;

	if (s[0] - '0' != cls || s[1] != '.')
		return 0;
	i = 2;
	for (part = 0; part < 2; part++) {
		for (digits = 0; isdigit((unsigned char)s[i]); digits++)
			i++;
		if (digits == 0 || digits > 3)
			return 0;
		if (part == 0 && s[i++] != '.')
			return 0;
	}
	if (s[i] != ' ' && s[i] != '\0')
		return 0;
	return i;
}

/* A whole line without its line end; returns -1 on a malformed one. */
static int
line_done(struct smtp_parser *p, struct err *e)
{
	struct smtp_reply	*r = &p->reply;
	const char		*s = buf_cstr(&p->line), *text;
	char			*safe;
	size_t			 len = p->line.len, el;
	int			 code;

	if (len > 0 && s[len - 1] == '\r')
		buf_truncate(&p->line, --len);
	if (memchr(s, '\0', len) != NULL)
		goto bad;
	if (len < 3 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
	    s[0] < '2' || s[0] > '5')
		goto bad;
	if (len > 3 && s[3] != ' ' && s[3] != '-')
		goto bad;
	code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if (r->nlines > 0 && code != r->code) {
		err_set(e, ERR_PROTO, _("SMTP reply changes its code from %d "
		    "to %d"), r->code, code);
		return -1;
	}
	if (r->nlines == SMTP_LINES_MAX) {
		err_set(e, ERR_TOOBIG, _("SMTP reply longer than %d lines"),
		    SMTP_LINES_MAX);
		return -1;
	}
	r->code = code;
	text = len > 3 ? s + 4 : s + 3;
	len -= (size_t)(text - s);
	el = enhanced_len(text, code / 100);
	if (el > 0 && el < sizeof r->enhanced) {
		if (r->nlines == 0)
			memcpy(r->enhanced, text, el), r->enhanced[el] = '\0';
		if (strncmp(text, r->enhanced, el) == 0 &&
		    r->enhanced[el] == '\0') {
			text += el;
			len -= el;
			if (*text == ' ')
				text++, len--;
		}
	}
	r->lines = xreallocarray(r->lines, r->nlines + 1, sizeof *r->lines);
	r->lines[r->nlines++] = xstrndup(text, len);
	if (s[3] != '-')
		p->state = ST_DONE;
	buf_reset(&p->line);
	return 0;
bad:
	safe = sanitize_text(s, len < 60 ? len : 60, 0);
	err_set(e, ERR_PROTO, _("not an SMTP reply: %s"), safe);
	free(safe);
	return -1;
}

enum smtp_parse_result
smtp_parser_feed(struct smtp_parser *p, const char *s, size_t len,
    size_t *used_r, struct err *e)
{
	size_t		 i = 0, n;
	const char	*nl;

	while (i < len && p->state == ST_LINE) {
		nl = memchr(s + i, '\n', len - i);
		n = nl == NULL ? len - i : (size_t)(nl - (s + i));
		if (p->line.len + n > SMTP_LINE_MAX) {
			err_set(e, ERR_TOOBIG, _("SMTP reply line longer than "
			    "%d bytes"), SMTP_LINE_MAX);
			p->state = ST_ERROR;
			break;
		}
		buf_add(&p->line, s + i, n);
		i += n;
		if (nl == NULL)
			break;
		i++;
		if (line_done(p, e) == -1)
			p->state = ST_ERROR;
	}
	*used_r = i;
	if (p->state == ST_ERROR)
		return SMTP_PARSE_ERROR;
	if (p->state == ST_DONE)
		return SMTP_PARSE_DONE;
	return SMTP_PARSE_MORE;
}
