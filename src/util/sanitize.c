/* Strip terminal control from untrusted text (see sanitize.h). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "util/sanitize.h"
#include "util/utf8.h"

/*
 * Length of the escape sequence starting with ESC at s, so it can be
 * dropped whole: CSI runs to its final byte, OSC/DCS/APC/PM/SOS run to
 * BEL or ST; anything else is ESC plus one character.  An unterminated
 * string sequence swallows the rest, as a terminal would.
 */
static size_t
sanitize_escape_len(const char *s, size_t len)
{
	size_t	i;

	if (len < 2)
		return len;
	switch (s[1]) {
	case '[':
		for (i = 2; i < len; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c >= 0x40 && c <= 0x7e)
				return i + 1;
			if (c < 0x20 || c > 0x7e)	/* malformed: stop */
				return i;
		}
		return len;
	case ']': case 'P': case 'X': case '^': case '_':
		for (i = 2; i < len; i++) {
			if (s[i] == '\a')
				return i + 1;
			if (s[i] == '\033' && i + 1 < len && s[i + 1] == '\\')
				return i + 2;
		}
		return len;
	default:
		return 2;
	}
}

/* Invisible or direction-changing code points that can fake what is shown. */
static bool
sanitize_is_trick(uint32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) ||	/* ZW space..RLM */
	    (cp >= 0x202a && cp <= 0x202e) ||		/* embeddings */
	    (cp >= 0x2060 && cp <= 0x2069) ||		/* WJ..isolates */
	    cp == 0x061c || cp == 0xfeff || cp == 0x180e ||
	    (cp >= 0xfff9 && cp <= 0xfffb);		/* annotations */
}

void
sanitize_append(struct buf *out, const char *s, size_t len, int flags)
{
	size_t		i, n;
	uint32_t	cp;

	for (i = 0; i < len; i += n) {
		if (s[i] == '\033') {
			n = sanitize_escape_len(s + i, len - i);
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
			buf_addc(out, (flags & SANITIZE_MULTILINE) ? '\n' : ' ');
		} else if (cp == '\t') {
			buf_addc(out, (flags & SANITIZE_KEEP_TABS) ? '\t' : ' ');
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			/* C0 and C1 controls, CSI (U+009B) among them. */
		} else if (sanitize_is_trick(cp)) {
		} else if (cp < 0x80) {
			buf_addc(out, (char)cp);
		} else
			utf8_encode(out, cp);
	}
}

char *
sanitize_text(const char *s, size_t len, int flags)
{
	struct buf	b = BUF_INIT;

	buf_reserve(&b, len);
	sanitize_append(&b, s, len, flags);
	return buf_detach(&b, NULL);
}

char *
sanitize_str(const char *s, int flags)
{
	return sanitize_text(s, strlen(s), flags);
}
