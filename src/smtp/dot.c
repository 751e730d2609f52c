/*
 * DATA encoding: CRLF line ends everywhere and dot-stuffing, applied to
 * message bytes in any split so a message streams out without a copy.
 */
#include "config.h"

#include <string.h>

#include "smtp/smtp.h"
#include "util/buf.h"

enum {
	DOT_START = 0,	/* at the start of a line */
	DOT_MID,	/* inside a line */
	DOT_CR,		/* after a CR: LF may follow */
};

void
smtp_dot_init(struct smtp_dot_encoder *d)
{
	d->state = DOT_START;
}

void
smtp_dot_encode(struct smtp_dot_encoder *d, const char *s, size_t len,
    struct buf *out)
{
	size_t	i = 0, run;

	while (i < len) {
		if (d->state == DOT_CR) {
			/* A CR ends the line whatever follows it. */
			buf_add(out, "\r\n", 2);
			d->state = DOT_START;
			if (s[i] == '\n')
				i++;
			continue;
		}
		if (s[i] == '\r') {
			d->state = DOT_CR;
			i++;
			continue;
		}
		if (s[i] == '\n') {
			buf_add(out, "\r\n", 2);
			d->state = DOT_START;
			i++;
			continue;
		}
		if (d->state == DOT_START && s[i] == '.')
			buf_addc(out, '.');
		for (run = i; run < len && s[run] != '\r' && s[run] != '\n';
		    run++)
			;
		buf_add(out, s + i, run - i);
		d->state = DOT_MID;
		i = run;
	}
}

void
smtp_dot_end_data(struct smtp_dot_encoder *d, struct buf *out)
{
	if (d->state != DOT_START)
		buf_add(out, "\r\n", 2);
	d->state = DOT_START;
}
