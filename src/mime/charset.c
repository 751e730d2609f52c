/*
 * Charsets to UTF-8: aliases for the labels mailers really send, fast
 * paths for UTF-8, ASCII, Latin-1 and windows-1252, iconv for the rest,
 * U+FFFD for whatever cannot be converted.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "mime/internal.h"
#include "mime/mime.h"

/* Labels seen in mail and the name iconv should get. */
static const struct {
	const char	*label;
	const char	*canon;
} charset_aliases[] = {
	{ "utf8", "UTF-8" },
	{ "utf-8", "UTF-8" },
	{ "x-utf-8", "UTF-8" },
	{ "unicode-1-1-utf-8", "UTF-8" },
	{ "us-ascii", "US-ASCII" },
	{ "ascii", "US-ASCII" },
	{ "ansi_x3.4-1968", "US-ASCII" },
	{ "iso646-us", "US-ASCII" },
	{ "646", "US-ASCII" },
	/* Mail labelled Latin-1 is written on Windows: read it as 1252. */
	{ "iso-8859-1", "WINDOWS-1252" },
	{ "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" },
	{ "iso-8859-1:1987", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" },
	{ "latin-1", "WINDOWS-1252" },
	{ "l1", "WINDOWS-1252" },
	{ "windows-1252", "WINDOWS-1252" },
	{ "cp1252", "WINDOWS-1252" },
	{ "x-cp1252", "WINDOWS-1252" },
	{ "cp819", "WINDOWS-1252" },
	{ "iso-8859-15", "ISO-8859-15" },
	{ "latin9", "ISO-8859-15" },
	{ "latin-9", "ISO-8859-15" },
	{ "iso-8859-8-i", "ISO-8859-8" },
	{ "iso-8859-6-i", "ISO-8859-6" },
	{ "tis-620", "CP874" },
	{ "iso-8859-11", "CP874" },
	{ "windows-874", "CP874" },
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "x-gbk", "GB18030" },
	{ "cp936", "GB18030" },
	{ "euc-cn", "GB18030" },
	{ "x-euc-cn", "GB18030" },
	{ "big5", "BIG5-HKSCS" },
	{ "x-x-big5", "BIG5-HKSCS" },
	{ "cn-big5", "BIG5-HKSCS" },
	{ "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601", "CP949" },
	{ "euc-kr", "CP949" },
	{ "x-euc-kr", "CP949" },
	{ "korean", "CP949" },
	{ "shift_jis", "CP932" },
	{ "shift-jis", "CP932" },
	{ "x-sjis", "CP932" },
	{ "sjis", "CP932" },
	{ "ms_kanji", "CP932" },
	{ "windows-31j", "CP932" },
	{ "x-euc-jp", "EUC-JP" },
	{ "euc-jp", "EUC-JP" },
	{ "x-mac-roman", "MACINTOSH" },
	{ "macintosh", "MACINTOSH" },
	{ "mac", "MACINTOSH" },
	{ "koi8r", "KOI8-R" },
	{ "koi8-r", "KOI8-R" },
	{ "koi8-u", "KOI8-U" },
	{ "unicode-1-1-utf-7", "UTF-7" },
	{ "utf-7", "UTF-7" },
	{ "utf-16", "UTF-16" },
	{ "ucs-2", "UTF-16" },
};

/* Labels that say nothing: treat the text as undeclared. */
static const char *const charset_unknown[] = {
	"unknown", "unknown-8bit", "x-unknown", "default", "x-user-defined",
	"charset", "none", "",
};

/* windows-1252 0x80..0x9f; 0 where the code page leaves a hole. */
static const unsigned short cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* Trimmed, unquoted label without an RFC 2231 "*language" suffix. */
static void
charset_label(const char *cs, char *out, size_t size)
{
	size_t	len, i, n = 0;

	while (*cs == ' ' || *cs == '\t' || *cs == '"' || *cs == '\'')
		cs++;
	len = strcspn(cs, "*\"' \t;");
	for (i = 0; i < len && n + 1 < size; i++)
		out[n++] = (cs[i] >= 'A' && cs[i] <= 'Z') ? cs[i] + 32 : cs[i];
	out[n] = '\0';
}

const char *
mime_charset_canon(const char *cs)
{
	/* Per thread: the UI and the sync workers both parse mail. */
	static _Thread_local char label[64];
	size_t	i;

	if (cs == NULL)
		return NULL;
	charset_label(cs, label, sizeof label);
	for (i = 0; i < sizeof charset_unknown / sizeof charset_unknown[0];
	    i++)
		if (strcmp(label, charset_unknown[i]) == 0)
			return NULL;
	for (i = 0; i < sizeof charset_aliases / sizeof charset_aliases[0];
	    i++)
		if (strcmp(label, charset_aliases[i].label) == 0)
			return charset_aliases[i].canon;
	return label[0] != '\0' ? label : NULL;
}

static void
charset_from_cp1252(struct buf *out, const char *s, size_t len)
{
	size_t		i, start = 0;
	unsigned char	c;
	uint32_t	cp;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x80)
			continue;
		buf_add(out, s + start, i - start);
		start = i + 1;
		if (c < 0xa0)
			cp = cp1252_high[c - 0x80];
		else
			cp = c;
		utf8_encode(out, cp == 0 ? UTF8_REPLACEMENT : cp);
	}
	buf_add(out, s + start, len - start);
}

static void
charset_from_latin1(struct buf *out, const char *s, size_t len)
{
	size_t	i, start = 0;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x80)
			continue;
		buf_add(out, s + start, i - start);
		start = i + 1;
		utf8_encode(out, (unsigned char)s[i]);
	}
	buf_add(out, s + start, len - start);
}

/* Append valid UTF-8, repairing only when needed (the common case is fast). */
static void
charset_add_utf8(struct buf *out, const char *s, size_t len)
{
	if (utf8_valid(s, len))
		buf_add(out, s, len);
	else
		utf8_repair(out, s, len);
}

static int
charset_iconv(struct buf *out, const char *cs, const char *s, size_t len)
{
	iconv_t	 cd;
	char	 tmp[4096], *in, *o;
	size_t	 inleft, oleft, start, r;

	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return -1;
	start = out->len;
	in = (char *)s;
	inleft = len;
	while (inleft > 0) {
		o = tmp;
		oleft = sizeof tmp;
		r = iconv(cd, &in, &inleft, &o, &oleft);
		buf_add(out, tmp, sizeof tmp - oleft);
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL for a truncated sequence at the end. */
		utf8_encode(out, UTF8_REPLACEMENT);
		in++;
		inleft--;
		if (errno == EINVAL)
			break;
	}
	/* Flush the shift state of stateful encodings (ISO-2022-JP). */
	o = tmp;
	oleft = sizeof tmp;
	iconv(cd, NULL, NULL, &o, &oleft);
	buf_add(out, tmp, sizeof tmp - oleft);
	iconv_close(cd);
	if (!utf8_valid(out->data + start, out->len - start)) {
		struct buf	fix = BUF_INIT;

		utf8_repair(&fix, out->data + start, out->len - start);
		buf_truncate(out, start);
		buf_add(out, fix.data, fix.len);
		buf_free(&fix);
	}
	return 0;
}

int
mime_charset_to_utf8(struct buf *out, const char *charset, const char *s,
    size_t len)
{
	const char	*cs;

	if (charset == NULL || (cs = mime_charset_canon(charset)) == NULL)
		return -1;
	if (strcasecmp(cs, "UTF-8") == 0) {
		charset_add_utf8(out, s, len);
		return 0;
	}
	if (strcasecmp(cs, "US-ASCII") == 0) {
		/* 8-bit text labelled ASCII is undeclared in truth. */
		mime_undeclared_to_utf8(out, s, len, NULL);
		return 0;
	}
	if (mime_is_ascii(s, len) && strncasecmp(cs, "UTF-", 4) != 0 &&
	    strncasecmp(cs, "UCS", 3) != 0 &&
	    strncasecmp(cs, "ISO-2022", 8) != 0) {
		/* ASCII-compatible charsets need no conversion for ASCII. */
		buf_add(out, s, len);
		return 0;
	}
	if (strcasecmp(cs, "WINDOWS-1252") == 0) {
		charset_from_cp1252(out, s, len);
		return 0;
	}
	if (strcasecmp(cs, "ISO-8859-1") == 0) {
		charset_from_latin1(out, s, len);
		return 0;
	}
	return charset_iconv(out, cs, s, len);
}

void
mime_undeclared_to_utf8(struct buf *out, const char *s, size_t len,
    const char *fallback)
{
	if (mime_is_ascii(s, len) || utf8_valid(s, len)) {
		buf_add(out, s, len);
		return;
	}
	if (fallback == NULL)
		fallback = MIME_DEFAULT_FALLBACK;
	if (mime_charset_to_utf8(out, fallback, s, len) == -1)
		charset_from_cp1252(out, s, len);
}

void
mime_text_to_utf8(struct buf *out, const char *charset, const char *s,
    size_t len, const char *fallback)
{
	if (charset != NULL && mime_charset_to_utf8(out, charset, s, len) == 0)
		return;
	mime_undeclared_to_utf8(out, s, len, fallback);
}
