/*
 * libFuzzer target: RFC 2047 words, RFC 2231 parameters, quoted-printable
 * and charsets.  The first byte picks a charset for the conversions; the
 * rest is the text.  Encoders get the text repaired to UTF-8 and must
 * produce what the decoders read back.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const charsets[] = {
	"utf-8", "iso-8859-1", "windows-1252", "shift_jis", "iso-2022-jp",
	"euc-kr", "gb18030", "utf-16", "big5", "koi8-r", "utf-7", "latin2",
	"us-ascii", "x-unknown", "\"windows-1251\"", "utf-8*en",
};

static void
must_utf8(const struct buf *b)
{
	if (!utf8_valid(buf_cstr(b), b->len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data + 1, *cs;
	struct buf		 b = BUF_INIT, enc = BUF_INIT, u = BUF_INIT;
	struct mime_params	 p = { NULL, 0 };
	char			*tok;
	size_t			 len, i;

	if (size < 1)
		return 0;
	cs = charsets[data[0] % (sizeof charsets / sizeof charsets[0])];
	len = size - 1;

	mime_rfc2047_decode(&b, s, len, cs);
	must_utf8(&b);
	buf_reset(&b);
	mime_params_parse(s, len, cs, &tok, &p);
	if (!utf8_valid(tok, strlen(tok)))
		abort();
	for (i = 0; i < p.n; i++)
		if (!utf8_valid(p.v[i].value, strlen(p.v[i].value)))
			abort();
	free(tok);
	mime_params_free(&p);
	mime_qp_decode(&b, s, len);
	buf_reset(&b);
	mime_text_to_utf8(&b, cs, s, len, NULL);
	must_utf8(&b);
	buf_reset(&b);
	if (mime_charset_to_utf8(&b, cs, s, len) == 0)
		must_utf8(&b);
	buf_reset(&b);
	mime_html_to_text(&b, s, len, 20 + data[0] % 100);
	buf_reset(&b);
	mime_flowed_decode(&b, s, len, data[0] & 1);
	buf_reset(&b);

	/* Encoders on valid UTF-8 without NULs. */
	utf8_repair(&u, s, len);
	for (i = 0; i < u.len; i++)
		if (u.data[i] == '\0')
			u.data[i] = ' ';
	mime_qp_encode(&enc, buf_cstr(&u), u.len);
	for (i = 0; i < enc.len; i++)
		if ((unsigned char)enc.data[i] >= 0x80)
			abort();
	buf_reset(&enc);
	mime_rfc2047_encode(&enc, buf_cstr(&u), u.len, data[0] % 40,
	    data[0] & 0x80);
	for (i = 0; i < enc.len; i++)
		if ((unsigned char)enc.data[i] >= 0x80)
			abort();
	buf_reset(&enc);
	buf_adds(&enc, "attachment");
	mime_param_encode(&enc, "filename", buf_cstr(&u));
	mime_params_parse(enc.data, enc.len, NULL, &tok, &p);
	if (strcmp(tok, "attachment") != 0 ||
	    mime_params_get(&p, "filename") == NULL)
		abort();
	free(tok);
	mime_params_free(&p);
	buf_free(&u);
	buf_free(&enc);
	buf_free(&b);
	return 0;
}
