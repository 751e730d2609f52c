/*
 * SASL client answers (PLAIN, LOGIN, XOAUTH2) and challenge decoding; see
 * sasl.h.  Every temporary copy of a credential is wiped before it is freed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/sasl.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

static const struct {
	enum sasl_mech	 mech;
	const char	*name;
} sasl_mechs[] = {
	{ SASL_MECH_PLAIN, "PLAIN" },
	{ SASL_MECH_LOGIN, "LOGIN" },
	{ SASL_MECH_XOAUTH2, "XOAUTH2" },
};

enum sasl_mech
sasl_mech_from_name(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof sasl_mechs / sizeof sasl_mechs[0]; i++)
		if (strcasecmp(name, sasl_mechs[i].name) == 0)
			return sasl_mechs[i].mech;
	return SASL_MECH_NONE;
}

const char *
sasl_mech_name(enum sasl_mech mech)
{
	size_t	i;

	for (i = 0; i < sizeof sasl_mechs / sizeof sasl_mechs[0]; i++)
		if (sasl_mechs[i].mech == mech)
			return sasl_mechs[i].name;
	return "NONE";
}

/*
 * Append base64(raw) to out with room made first (no realloc can copy
 * the secret elsewhere), then wipe and free raw.
 */
static void
sasl_encode_secret(struct buf *out, char *raw, size_t len)
{
	buf_reserve(out, (len + 2) / 3 * 4);
	base64_encode(out, raw, len);
	str_wipe(raw, len);
	free(raw);
}

int
sasl_plain(struct buf *out, const char *authzid, const char *user,
    const char *pass, struct err *e)
{
	size_t	 zlen, ulen, plen, len;
	char	*raw;

	if (user == NULL || *user == '\0') {
		err_set(e, ERR_USAGE, _("PLAIN login needs a user name"));
		return -1;
	}
	if (pass == NULL)
		pass = "";
	zlen = authzid != NULL ? strlen(authzid) : 0;
	ulen = strlen(user);
	plen = strlen(pass);
	len = zlen + 1 + ulen + 1 + plen;
	raw = xmalloc(len);
	if (zlen > 0)
		memcpy(raw, authzid, zlen);
	raw[zlen] = '\0';
	memcpy(raw + zlen + 1, user, ulen);
	raw[zlen + 1 + ulen] = '\0';
	memcpy(raw + zlen + 1 + ulen + 1, pass, plen);
	sasl_encode_secret(out, raw, len);
	return 0;
}

int
sasl_login_step(struct buf *out, unsigned int step, const char *user,
    const char *pass, struct err *e)
{
	const char	*s;

	switch (step) {
	case 0:
		s = user != NULL ? user : "";
		break;
	case 1:
		s = pass != NULL ? pass : "";
		break;
	default:
		err_set(e, ERR_PROTO, _("LOGIN: the server asked a third "
		    "question after user name and password"));
		return -1;
	}
	sasl_encode_secret(out, xstrdup(s), strlen(s));
	return 0;
}

int
sasl_xoauth2(struct buf *out, const char *user, const char *token,
    struct err *e)
{
	char	*raw, *p;
	size_t	 len, ulen, tlen;

	if (user == NULL || token == NULL || *user == '\0' ||
	    *token == '\0') {
		err_set(e, ERR_USAGE, _("XOAUTH2 needs a user name and a "
		    "token"));
		return -1;
	}
	/* ^A separates the fields; one inside would forge a field. */
	if (strchr(user, '\001') != NULL || strchr(token, '\001') != NULL) {
		err_set(e, ERR_USAGE, _("XOAUTH2: control character in the "
		    "user name or token"));
		return -1;
	}
	/* Built by hand: printf-style helpers may copy it around. */
	ulen = strlen(user);
	tlen = strlen(token);
	len = 5 + ulen + 1 + 12 + tlen + 2;
	raw = xmalloc(len);
	p = raw;
	memcpy(p, "user=", 5);
	p += 5;
	memcpy(p, user, ulen);
	p += ulen;
	memcpy(p, "\001auth=Bearer ", 13);
	p += 13;
	memcpy(p, token, tlen);
	p += tlen;
	memcpy(p, "\001\001", 2);
	sasl_encode_secret(out, raw, len);
	return 0;
}

int
sasl_decode_challenge(struct buf *out, const char *s, size_t len,
    struct err *e)
{
	/* Be lenient about trailing white space, strict about the rest. */
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (len == 0)
		return 0;
	if (len == 1 && s[0] == '=')
		return 0;	/* RFC 4954's "empty", as some servers send it */
	if (base64_decode_strict(out, s, len) == -1) {
		err_set(e, ERR_PROTO, _("the server's SASL challenge is not "
		    "valid base64"));
		return -1;
	}
	return 0;
}

void
sasl_wipe(struct buf *b)
{
	if (b->data != NULL)
		str_wipe(b->data, b->cap);
	buf_free(b);
}
