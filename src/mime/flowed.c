/* format=flowed (RFC 3676): join soft-broken lines back into paragraphs. */
#include "config.h"

#include <string.h>

#include "util/buf.h"
#include "mime/internal.h"
#include "mime/mime.h"

/*
 * Output lines are logical paragraphs, each prefixed with ">" per quote
 * level and a space, so later stages can wrap them to the screen.
 */
void
mime_flowed_decode(struct buf *out, const char *s, size_t len, bool delsp)
{
	const char	*p = s, *end = s + len, *nl;
	size_t		 llen;
	int		 depth, open_depth = -1;
	bool		 flowed, sig;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		llen = (size_t)(nl - p);
		if (llen > 0 && p[llen - 1] == '\r')
			llen--;
		for (depth = 0; (size_t)depth < llen && p[depth] == '>';
		    depth++)
			;
		p += depth;
		llen -= (size_t)depth;
		if (llen > 0 && p[0] == ' ')	/* space-stuffing */
			p++, llen--;
		sig = llen == 3 && memcmp(p, "-- ", 3) == 0;
		flowed = !sig && llen > 0 && p[llen - 1] == ' ';
		if (open_depth >= 0 && open_depth != depth) {
			/* A quote depth change ends a paragraph. */
			buf_addc(out, '\n');
			open_depth = -1;
		}
		if (open_depth < 0 && depth > 0) {
			int i;
			for (i = 0; i < depth; i++)
				buf_addc(out, '>');
			buf_addc(out, ' ');
		}
		if (flowed && delsp)
			llen--;
		buf_add(out, p, llen);
		if (flowed)
			open_depth = depth;
		else {
			buf_addc(out, '\n');
			open_depth = -1;
		}
		p = nl < end ? nl + 1 : end;
	}
	if (open_depth >= 0)
		buf_addc(out, '\n');
}
