/* Base64 encoding and decoding (see base64.h). */
#include "config.h"

#include "util/base64.h"
#include "util/buf.h"

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

void
base64_encode(struct buf *out, const void *data, size_t len)
{
	const unsigned char	*p = data;
	char			 q[4];
	unsigned int		 v;
	size_t			 i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned int)p[i] << 16 | (unsigned int)p[i + 1] << 8 |
		    p[i + 2];
		q[0] = base64_alphabet[v >> 18];
		q[1] = base64_alphabet[(v >> 12) & 63];
		q[2] = base64_alphabet[(v >> 6) & 63];
		q[3] = base64_alphabet[v & 63];
		buf_add(out, q, 4);
	}
	if (i < len) {
		v = (unsigned int)p[i] << 16;
		if (i + 1 < len)
			v |= (unsigned int)p[i + 1] << 8;
		q[0] = base64_alphabet[v >> 18];
		q[1] = base64_alphabet[(v >> 12) & 63];
		q[2] = i + 1 < len ? base64_alphabet[(v >> 6) & 63] : '=';
		q[3] = '=';
		buf_add(out, q, 4);
	}
}

void
base64_decoder_init(struct base64_decoder *d)
{
	d->bits = 0;
	d->nbits = 0;
}

void
base64_decode_feed(struct base64_decoder *d, struct buf *out,
    const char *s, size_t len)
{
	size_t	i;
	int	v;

	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			/* End of a quantum: drop the partial bits. */
			d->bits = 0;
			d->nbits = 0;
			continue;
		}
		if ((v = base64_value((unsigned char)s[i])) < 0)
			continue;
		d->bits = (d->bits << 6) | (unsigned int)v;
		d->nbits += 6;
		if (d->nbits >= 8) {
			d->nbits -= 8;
			buf_addc(out, (char)((d->bits >> d->nbits) & 0xff));
		}
		d->bits &= (1u << d->nbits) - 1;
	}
}

int
base64_decode_strict(struct buf *out, const char *s, size_t len)
{
	struct base64_decoder	d;
	size_t			i, pad = 0;

	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			if (i < len - 2)
				return -1;
			pad++;
		} else if (pad > 0 || base64_value((unsigned char)s[i]) < 0)
			return -1;
	}
	base64_decoder_init(&d);
	base64_decode_feed(&d, out, s, len);
	return 0;
}
