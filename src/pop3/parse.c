/*
 * The POP3 reply parser: a status line, then for multi-line replies data
 * lines with the byte-stuffing undone up to the "." line.  No I/O; bytes
 * can arrive in any split, memory stays bounded.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pop3/pop3.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"

enum {
	ST_STATUS = 0,	/* reading the status line */
	ST_START,	/* at the start of a data line */
	ST_DOT,		/* a data line began with '.' */
	ST_MID,		/* inside a data line */
	ST_CR,		/* a CR inside a data line, LF may follow */
	ST_DOT_CR,	/* ".\r": LF ends the reply */
	ST_DONE,
	ST_ERROR,
};

void
pop3_parser_init(struct pop3_parser *p, int flags, pop3_data_fn data,
    void *arg)
{
	memset(p, 0, sizeof *p);
	p->state = ST_STATUS;
	p->flags = flags;
	p->data = data;
	p->arg = arg;
}

void
pop3_parser_free(struct pop3_parser *p)
{
	buf_free(&p->status);
	buf_free(&p->line);
}

enum pop3_reply_kind
pop3_parser_kind(const struct pop3_parser *p)
{
	return p->kind;
}

const char *
pop3_parser_text(const struct pop3_parser *p)
{
	return buf_cstr(&p->status);
}

/* Data bytes of the current line. */
static int
emit(struct pop3_parser *p, const char *s, size_t len, struct err *e)
{
	if (len == 0)
		return 0;
	if (p->flags & POP3_PARSE_LINES) {
		if (p->line.len + len > POP3_LINE_MAX) {
			err_set(e, ERR_TOOBIG, _("reply line longer than %d "
			    "bytes"), POP3_LINE_MAX);
			return -1;
		}
		buf_add(&p->line, s, len);
		return 0;
	}
	if (p->data != NULL)
		return p->data(p->arg, s, len, e);
	return 0;
}

static int
end_line(struct pop3_parser *p, struct err *e)
{
	int	rv = 0;

	if (!(p->flags & POP3_PARSE_LINES))
		return emit(p, "\r\n", 2, e);
	if (p->data != NULL)
		rv = p->data(p->arg, buf_cstr(&p->line), p->line.len, e);
	buf_reset(&p->line);
	return rv;
}

/* The status line is complete (without its line end). */
static int
status_done(struct pop3_parser *p, struct err *e)
{
	const char	*s;
	char		*safe;
	size_t		 skip;

	if (p->status.len > 0 && p->status.data[p->status.len - 1] == '\r')
		buf_truncate(&p->status, p->status.len - 1);
	s = buf_cstr(&p->status);
	if (strncmp(s, "+OK", 3) == 0 && (s[3] == '\0' || s[3] == ' ')) {
		p->kind = POP3_REPLY_OK;
		skip = 3;
	} else if (strncmp(s, "-ERR", 4) == 0 &&
	    (s[4] == '\0' || s[4] == ' ')) {
		p->kind = POP3_REPLY_ERR;
		skip = 4;
	} else if (s[0] == '+' && (s[1] == '\0' || s[1] == ' ')) {
		p->kind = POP3_REPLY_CONT;
		skip = 1;
	} else {
		safe = sanitize_text(s, p->status.len < 60 ?
		    p->status.len : 60, 0);
		err_set(e, ERR_PROTO, _("not a POP3 reply: %s"), safe);
		free(safe);
		return -1;
	}
	if (s[skip] == ' ')
		skip++;
	buf_consume(&p->status, skip);
	if (p->kind == POP3_REPLY_OK && (p->flags & POP3_PARSE_MULTI))
		p->state = ST_START;
	else
		p->state = ST_DONE;
	return 0;
}

/* Status line bytes up to and including LF. */
static size_t
feed_status(struct pop3_parser *p, const char *s, size_t len, struct err *e)
{
	const char	*nl = memchr(s, '\n', len);
	size_t		 n = nl == NULL ? len : (size_t)(nl - s);

	if (p->status.len + n > POP3_STATUS_MAX) {
		err_set(e, ERR_TOOBIG, _("status line longer than %d bytes"),
		    POP3_STATUS_MAX);
		p->state = ST_ERROR;
		return 0;
	}
	buf_add(&p->status, s, n);
	if (nl == NULL)
		return len;
	if (memchr(buf_cstr(&p->status), '\0', p->status.len) != NULL) {
		err_set(e, ERR_PROTO, _("NUL byte in a POP3 status line"));
		p->state = ST_ERROR;
		return 0;
	}
	if (status_done(p, e) == -1)
		p->state = ST_ERROR;
	return n + 1;
}

/* A run of ordinary bytes inside a line, handed over without copying. */
static size_t
feed_mid(struct pop3_parser *p, const char *s, size_t len, struct err *e)
{
	size_t	i;

	for (i = 0; i < len && s[i] != '\r' && s[i] != '\n'; i++)
		;
	if (emit(p, s, i, e) == -1) {
		p->state = ST_ERROR;
		return 0;
	}
	return i;
}

/* One byte in the states around line ends; returns bytes used (0 or 1). */
static size_t
feed_byte(struct pop3_parser *p, char c, struct err *e)
{
	int	rv = 0;

	switch (p->state) {
	case ST_START:
		if (c == '.') {
			p->state = ST_DOT;
			return 1;
		}
		p->state = ST_MID;
		return 0;
	case ST_DOT:
		if (c == '\n') {
			p->state = ST_DONE;
			return 1;
		}
		if (c == '\r') {
			p->state = ST_DOT_CR;
			return 1;
		}
		/* The stuffed dot goes; the rest is data. */
		p->state = ST_MID;
		return 0;
	case ST_MID:
		if (c == '\r') {
			p->state = ST_CR;
			return 1;
		}
		/* A bare LF ends a line too. */
		rv = end_line(p, e);
		p->state = ST_START;
		break;
	case ST_DOT_CR:
		if (c == '\n') {
			p->state = ST_DONE;
			return 1;
		}
		/* A stuffed line ".\r...": the dot goes, the CR stays. */
		/* FALLTHROUGH */
	case ST_CR:
		if (c == '\n') {
			rv = end_line(p, e);
			p->state = ST_START;
			break;
		}
		/* A bare CR is data, so is what follows. */
		rv = emit(p, "\r", 1, e);
		p->state = ST_MID;
		if (rv == -1)
			p->state = ST_ERROR;
		return 0;
	}
	if (rv == -1)
		p->state = ST_ERROR;
	return 1;
}

enum pop3_parse_result
pop3_parser_feed(struct pop3_parser *p, const char *s, size_t len,
    size_t *used_r, struct err *e)
{
	size_t	i = 0;

	*used_r = 0;
	while (i < len && p->state != ST_DONE && p->state != ST_ERROR) {
		if (p->state == ST_STATUS)
			i += feed_status(p, s + i, len - i, e);
		else if (p->state == ST_MID && s[i] != '\r' && s[i] != '\n')
			i += feed_mid(p, s + i, len - i, e);
		else
			i += feed_byte(p, s[i], e);
	}
	*used_r = i;
	if (p->state == ST_ERROR)
		return POP3_PARSE_ERROR;
	if (p->state == ST_DONE)
		return POP3_PARSE_DONE;
	return POP3_PARSE_MORE;
}
