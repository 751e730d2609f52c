/*
 * RFC 5322 header blocks: split into fields, unfold, tolerate what broken
 * mailers write, and decode values for display.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

struct mime_headers {
	struct mime_header	*v;
	size_t			 n;
	char			*arena;		/* all unfolded values */
};

/* Whether a header name is plausible: printable ASCII, no colon. */
static bool
header_name_ok(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* Start a field from a line with a colon; false if the line is junk. */
static bool
header_start(struct mime_header *h, const char *line, size_t len)
{
	const char	*colon;
	size_t		 nlen;

	if ((colon = memchr(line, ':', len)) == NULL)
		return false;
	nlen = (size_t)(colon - line);
	/* "Subject : x" is seen in the wild: white space before the colon. */
	while (nlen > 0 && MIME_WSP(line[nlen - 1]))
		nlen--;
	if (!header_name_ok(line, nlen))
		return false;
	h->name = line;
	h->name_len = nlen;
	h->raw = colon + 1;
	h->raw_len = len - (size_t)(colon + 1 - line);
	h->value = NULL;
	return true;
}

/* Copy the raw value unfolded (line breaks dropped, NULs to spaces). */
static char *
header_unfold(char *dst, const char *s, size_t len)
{
	const char	*end = s + len;
	char		*start = dst;

	while (s < end && MIME_SPACE(*s))
		s++;
	for (; s < end; s++) {
		if (*s == '\r' || *s == '\n')
			continue;
		*dst++ = *s == '\0' ? ' ' : *s;
	}
	while (dst > start && MIME_WSP(dst[-1]))
		dst--;
	*dst++ = '\0';
	return dst;
}

struct mime_headers *
mime_headers_parse(const char *buf, size_t len, size_t *body_off_r)
{
	struct mime_headers	*hs;
	struct mime_header	*cur = NULL;
	const char		*p = buf, *end = buf + len, *nl, *line;
	size_t			 cap = 0, llen, total = 0, i;
	char			*dst;

	hs = xcalloc(1, sizeof *hs);
	while (p < end) {
		line = p;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		llen = (size_t)(nl - line);
		p = nl < end ? nl + 1 : end;
		if (llen > 0 && line[llen - 1] == '\r')
			llen--;
		if (llen == 0)
			break;		/* the empty line: the body follows */
		if (MIME_WSP(line[0])) {
			/* A continuation; of nothing if no field is open. */
			if (cur != NULL)
				cur->raw_len = (size_t)(line + llen - cur->raw);
			continue;
		}
		if (hs->n >= MIME_MAX_HEADERS) {
			cur = NULL;
			continue;
		}
		if (hs->n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			hs->v = xreallocarray(hs->v, cap, sizeof *hs->v);
		}
		if (header_start(&hs->v[hs->n], line, llen))
			cur = &hs->v[hs->n++];
		else
			cur = NULL;	/* a From_ line or junk */
	}
	if (body_off_r != NULL)
		*body_off_r = (size_t)(p - buf);
	total = 0;
	for (i = 0; i < hs->n; i++)
		total += hs->v[i].raw_len + 1;
	dst = hs->arena = xmalloc(total + 1);
	for (i = 0; i < hs->n; i++) {
		hs->v[i].value = dst;
		dst = header_unfold(dst, hs->v[i].raw, hs->v[i].raw_len);
	}
	return hs;
}

void
mime_headers_free(struct mime_headers **hsp)
{
	struct mime_headers	*hs = *hsp;

	if (hs == NULL)
		return;
	free(hs->v);
	free(hs->arena);
	free(hs);
	*hsp = NULL;
}

size_t
mime_headers_count(const struct mime_headers *hs)
{
	return hs == NULL ? 0 : hs->n;
}

const struct mime_header *
mime_headers_at(const struct mime_headers *hs, size_t i)
{
	if (hs == NULL || i >= hs->n)
		return NULL;
	return &hs->v[i];
}

const struct mime_header *
mime_headers_find(const struct mime_headers *hs, const char *name)
{
	size_t	i, len;

	if (hs == NULL)
		return NULL;
	len = strlen(name);
	for (i = 0; i < hs->n; i++)
		if (hs->v[i].name_len == len &&
		    strncasecmp(hs->v[i].name, name, len) == 0)
			return &hs->v[i];
	return NULL;
}

const char *
mime_headers_get(const struct mime_headers *hs, const char *name)
{
	const struct mime_header	*h;

	if ((h = mime_headers_find(hs, name)) == NULL)
		return NULL;
	return h->value;
}

char *
mime_header_decode(const char *s, size_t len, const char *fallback)
{
	struct buf	b = BUF_INIT;
	char		*out;

	mime_rfc2047_decode(&b, s, len, fallback);
	out = sanitize_text(buf_cstr(&b), b.len, 0);
	buf_free(&b);
	return out;
}

char *
mime_headers_get_decoded(const struct mime_headers *hs, const char *name,
    const char *fallback)
{
	const char	*v;

	if ((v = mime_headers_get(hs, name)) == NULL)
		return NULL;
	return mime_header_decode(v, strlen(v), fallback);
}
