/* Quoted-printable (RFC 2045): decoding that survives garbage, encoding. */
#include "config.h"

#include "util/buf.h"
#include "mime/internal.h"
#include "mime/mime.h"

/*
 * Trailing white space on a line was possibly added in transport and is
 * dropped; "=" followed by white space and a line end is a soft break;
 * an "=" not followed by two hex digits is kept as written.
 */
void
mime_qp_decode(struct buf *out, const char *s, size_t len)
{
	size_t	i, ws_start = 0, ws_len = 0, j;
	int	hi, lo;

	buf_reserve(out, len);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t') {
			if (ws_len == 0)
				ws_start = i;
			ws_len++;
			continue;
		}
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
			ws_len = 0;
			continue;
		}
		if (c == '\n') {
			ws_len = 0;
			buf_addc(out, '\n');
			continue;
		}
		if (ws_len > 0) {
			buf_add(out, s + ws_start, ws_len);
			ws_len = 0;
		}
		if (c != '=') {
			buf_addc(out, c);
			continue;
		}
		if (i + 2 < len &&
		    (hi = mime_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = mime_hexval((unsigned char)s[i + 2])) >= 0) {
			buf_addc(out, (char)(hi << 4 | lo));
			i += 2;
			continue;
		}
		/* A soft line break, maybe with padding before the end. */
		for (j = i + 1; j < len && (s[j] == ' ' || s[j] == '\t'); j++)
			;
		if (j >= len) {
			i = len;
			break;
		}
		if (s[j] == '\n') {
			i = j;
			continue;
		}
		if (s[j] == '\r' && (j + 1 >= len || s[j + 1] == '\n')) {
			i = j + 1 < len ? j + 1 : j;
			continue;
		}
		buf_addc(out, '=');
	}
}

static void
qp_hex(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";

	buf_addc(out, '=');
	buf_addc(out, hex[c >> 4]);
	buf_addc(out, hex[c & 15]);
}

/* Encode one line (without its end) with soft breaks at 76 columns. */
static void
qp_encode_line(struct buf *out, const char *s, size_t len)
{
	size_t		i, col = 0, need;
	unsigned char	c;
	bool		enc;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		enc = c == '=' || c >= 0x7f || (c < 0x20 && c != '\t');
		/* Space at the end of a line would be eaten in transport. */
		if ((c == ' ' || c == '\t') && i + 1 == len)
			enc = true;
		/* Lines a transport might mangle: "From " and a lone ".". */
		if (i == 0 && col == 0 && (c == '.' ||
		    (c == 'F' && len - i >= 5 && s[i + 1] == 'r' &&
		    s[i + 2] == 'o' && s[i + 3] == 'm' && s[i + 4] == ' ')))
			enc = true;
		need = enc ? 3 : 1;
		/* Keep room for the "=" of a soft break unless this ends it. */
		if (col + need > (i + 1 == len ? 76 : 75)) {
			buf_add(out, "=\r\n", 3);
			col = 0;
		}
		if (enc)
			qp_hex(out, c);
		else
			buf_addc(out, (char)c);
		col += need;
	}
}

void
mime_qp_encode(struct buf *out, const char *s, size_t len)
{
	size_t	i, start = 0, end;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		end = i;
		if (end > start && s[end - 1] == '\r')
			end--;
		qp_encode_line(out, s + start, end - start);
		if (i < len)
			buf_add(out, "\r\n", 2);
		start = i + 1;
	}
}
