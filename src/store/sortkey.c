/*
 * Sort keys for the index, computed once when a message is stored: short,
 * lower-case (ASCII), without the "Re:"/"Fwd:" noise of subjects.  They
 * fit in a struct store_cursor, which is what keyset paging needs.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "store/internal.h"
#include "util/str.h"

/* The longest prefix of s (n bytes) within max bytes, whole characters. */
size_t
utf8_clip(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	/* Back off continuation bytes so no character is cut. */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

static void
key_copy(const char *s, char *out, size_t outsz)
{
	size_t	n, i;

	while (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')
		s++;
	n = utf8_clip(s, strlen(s), outsz - 1);
	/* ASCII only: tolower() in a single-byte locale would rewrite
	 * UTF-8 bytes, and keys must not depend on the locale. */
	for (i = 0; i < n; i++)
		out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) :
		    s[i];
	out[n] = '\0';
}

void
sortkey_from(const char *name, const char *addr, char *out, size_t outsz)
{
	const char	*s = name;

	while (s != NULL && (*s == ' ' || *s == '"'))
		s++;
	if (s == NULL || *s == '\0')
		s = addr != NULL ? addr : "";
	key_copy(s, out, outsz);
}

/* Length of a reply/forward prefix at s ("re:", "fwd:", "re[2]:"), or 0. */
static size_t
reply_prefix(const char *s)
{
	static const char *const words[] = {
		"re", "fwd", "fw", "aw", "sv", "vs", "antw", "wg", "tr", "rv"
	};
	size_t	i, n;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		n = strlen(words[i]);
		if (strncasecmp(s, words[i], n) != 0)
			continue;
		if (s[n] == '[') {	/* "Re[2]:" */
			while (isdigit((unsigned char)s[++n]))
				;
			if (s[n] != ']')
				continue;
			n++;
		}
		if (s[n] == ':')
			return n + 1;
	}
	return 0;
}

void
sortkey_subject(const char *subject, char *out, size_t outsz)
{
	const char	*s = subject != NULL ? subject : "";
	size_t		 n;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if ((n = reply_prefix(s)) == 0)
			break;
		s += n;
	}
	key_copy(s, out, outsz);
}
