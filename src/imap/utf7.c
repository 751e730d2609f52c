/*
 * Modified UTF-7 mailbox names (RFC 3501 section 5.1.3), and quoting of
 * strings in commands.  Decoding is strict: it accepts only what a
 * correct encoder writes, so a name survives decode and encode unchanged.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static bool
printable(uint32_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* Write the UTF-16 units of a run of non-printable characters. */
static void
flush_run(struct buf *out, const uint16_t *u, size_t n)
{
	uint32_t	bits = 0;
	int		nbits = 0;
	size_t		i;

	buf_addc(out, '&');
	for (i = 0; i < n; i++) {
		bits = (bits << 16) | u[i];
		nbits += 16;
		while (nbits >= 6) {
			nbits -= 6;
			buf_addc(out, b64[(bits >> nbits) & 0x3f]);
		}
	}
	if (nbits > 0)
		buf_addc(out, b64[(bits << (6 - nbits)) & 0x3f]);
	buf_addc(out, '-');
}

int
imap_mutf7_encode(const char *s, struct buf *out, struct err *err)
{
	size_t		 len = strlen(s), i = 0, n, nu = 0;
	uint16_t	*u;
	uint32_t	 c;

	if (!utf8_valid(s, len)) {
		err_set(err, ERR_USAGE, "mailbox name is not valid UTF-8");
		return -1;
	}
	u = xcalloc(len * 2 + 1, sizeof *u);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &c);
		i += n;
		if (printable(c)) {
			if (nu > 0) {
				flush_run(out, u, nu);
				nu = 0;
			}
			if (c == '&')
				buf_adds(out, "&-");
			else
				buf_addc(out, (char)c);
		} else if (c >= 0x10000) {
			c -= 0x10000;
			u[nu++] = (uint16_t)(0xd800 | (c >> 10));
			u[nu++] = (uint16_t)(0xdc00 | (c & 0x3ff));
		} else
			u[nu++] = (uint16_t)c;
	}
	if (nu > 0)
		flush_run(out, u, nu);
	free(u);
	return 0;
}

static int
b64_value(char c)
{
	const char	*p;

	if (c == '\0')
		return -1;
	p = strchr(b64, c);
	return p == NULL ? -1 : (int)(p - b64);
}

/* Decode "&...-" starting after '&'; *pp ends after '-'. */
static int
decode_run(const char **pp, struct buf *out)
{
	const char	*p = *pp;
	uint32_t	 bits = 0, c, hi = 0;
	int		 nbits = 0, v;
	bool		 any = false;

	for (; *p != '-'; p++) {
		if ((v = b64_value(*p)) < 0)
			return -1;
		bits = (bits << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		c = (bits >> nbits) & 0xffff;
		bits &= (1u << nbits) - 1;
		any = true;
		if (hi != 0) {
			if (c < 0xdc00 || c > 0xdfff)
				return -1;
			utf8_encode(out, 0x10000 + ((hi - 0xd800) << 10) +
			    (c - 0xdc00));
			hi = 0;
		} else if (c >= 0xd800 && c <= 0xdbff) {
			hi = c;
		} else if (c >= 0xdc00 && c <= 0xdfff) {
			return -1;
		} else if (printable(c) || c == 0) {
			return -1;	/* would have been written directly */
		} else
			utf8_encode(out, c);
	}
	/* Leftover bits are padding: fewer than 6, all zero. */
	if (!any || hi != 0 || nbits >= 6 || (bits & ((1u << nbits) - 1)))
		return -1;
	*pp = p + 1;
	return 0;
}

int
imap_mutf7_decode(const char *s, struct buf *out, struct err *err)
{
	const char	*p = s;

	while (*p != '\0') {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			goto bad;
		if (*p != '&') {
			buf_addc(out, *p++);
			continue;
		}
		p++;
		if (*p == '-') {
			buf_addc(out, '&');
			p++;
			continue;
		}
		if (decode_run(&p, out) < 0)
			goto bad;
	}
	return 0;
bad:
	err_set(err, ERR_PARSE, "mailbox name is not valid modified UTF-7");
	return -1;
}

bool
imap_quote(struct buf *b, const char *s)
{
	const char	*p;

	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return false;
	}
	buf_addc(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
	return true;
}
