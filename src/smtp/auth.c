/* SASL responses for SMTP AUTH: PLAIN, LOGIN steps and XOAUTH2. */
#include "config.h"

#include <string.h>

#include "smtp/smtp_int.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/str.h"

void
smtp_b64(struct buf *out, const char *s)
{
	base64_encode(out, s, strlen(s));
}

static void
encode_wiped(struct buf *out, struct buf *raw)
{
	base64_encode(out, raw->data, raw->len);
	str_wipe(raw->data, raw->len);
	buf_free(raw);
}

void
smtp_sasl_plain(struct buf *out, const char *user, const char *pass)
{
	struct buf	raw = BUF_INIT;

	/* authzid (empty) NUL authcid NUL password (RFC 4616) */
	buf_addc(&raw, '\0');
	buf_adds(&raw, user);
	buf_addc(&raw, '\0');
	buf_adds(&raw, pass);
	encode_wiped(out, &raw);
}

void
smtp_sasl_xoauth2(struct buf *out, const char *user, const char *token)
{
	struct buf	raw = BUF_INIT;

	buf_addf(&raw, "user=%s\001auth=Bearer %s\001\001", user, token);
	encode_wiped(out, &raw);
}
