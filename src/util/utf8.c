/* UTF-8 decoding, validation and display width. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "util/buf.h"
#include "util/utf8.h"

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp_r)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 cp, min;
	size_t			 n, i;

	if (len == 0) {
		*cp_r = UTF8_REPLACEMENT;
		return 0;
	}
	if (u[0] < 0x80) {
		*cp_r = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2; cp = u[0] & 0x1f; min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3; cp = u[0] & 0x0f; min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4; cp = u[0] & 0x07; min = 0x10000;
	} else
		goto bad;
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto bad;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*cp_r = cp;
	return n;
bad:
	*cp_r = UTF8_REPLACEMENT;
	return 1;
}

void
utf8_encode(struct buf *b, uint32_t cp)
{
	char	s[4];

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		s[0] = (char)cp;
		buf_add(b, s, 1);
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 4);
	}
}

/* True when the byte sequence at s decodes to itself (not a repair). */
static size_t
utf8_valid_step(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		n;

	n = utf8_decode(s, len, &cp);
	if (cp == UTF8_REPLACEMENT && n == 1 && (unsigned char)s[0] >= 0x80)
		return 0;
	return n;
}

/*
 * How many bytes at s are ASCII, eight at a time: most text is, and the
 * decoder's checks per byte cost more than the text's length.
 */
static size_t
ascii_run(const char *s, size_t len)
{
	uint64_t	w;
	size_t		i = 0;

	while (len - i >= sizeof w) {
		memcpy(&w, s + i, sizeof w);
		if ((w & UINT64_C(0x8080808080808080)) != 0)
			break;
		i += sizeof w;
	}
	while (i < len && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t	i, n;

	for (i = 0; i < len; i += n) {
		if ((i += ascii_run(s + i, len - i)) == len)
			break;
		if ((n = utf8_valid_step(s + i, len - i)) == 0)
			return false;
	}
	return true;
}

void
utf8_repair(struct buf *out, const char *s, size_t len)
{
	size_t	i, start, n;

	for (i = start = 0; i < len; i += n) {
		if ((i += ascii_run(s + i, len - i)) == len)
			break;
		if ((n = utf8_valid_step(s + i, len - i)) != 0)
			continue;
		buf_add(out, s + start, i - start);
		utf8_encode(out, UTF8_REPLACEMENT);
		n = 1;
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

int
utf8_cp_width(uint32_t cp)
{
	int	w;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x7f)
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	/* Unknown to the C library (or a C locale): guess by block. */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

size_t
utf8_width(const char *s, size_t len)
{
	size_t		i, n, cols = 0;
	uint32_t	cp;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		cols += (size_t)utf8_cp_width(cp);
	}
	return cols;
}

size_t
utf8_fit(const char *s, size_t len, size_t cols, size_t *used_r)
{
	size_t		i, n, used = 0, w;
	uint32_t	cp;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		w = (size_t)utf8_cp_width(cp);
		if (used + w > cols)
			break;
		used += w;
	}
	if (used_r != NULL)
		*used_r = used;
	return i;
}
