/* The APOP digest (RFC 1939): MD5 over the greeting's timestamp and secret. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "pop3/pop3_int.h"
#include "util/buf.h"
#include "util/str.h"

int
pop3_apop_digest(const char *timestamp, const char *secret, char *hex)
{
	struct buf	in = BUF_INIT;
	unsigned char	md[16];
	int		i, rv;

	buf_adds(&in, timestamp);
	buf_adds(&in, secret);
	rv = gnutls_hash_fast(GNUTLS_DIG_MD5, in.data, in.len, md);
	str_wipe(in.data, in.len);
	buf_free(&in);
	if (rv < 0)
		return -1;
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}
