/*
 * RFC 2047 encoded words: decoding that forgives what real mailers send
 * (words glued to text, characters split across words, bad padding), and
 * encoding with folding for outgoing headers.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "util/base64.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define EW_MAX_CHARSET	64

struct ew {
	const char	*charset;
	size_t		 charset_len;
	char		 enc;		/* 'B' or 'Q' */
	const char	*text;
	size_t		 text_len;
	size_t		 len;		/* the whole word */
};

/* Recognise an encoded word at s; 0 if there is none. */
static size_t
ew_scan(const char *s, size_t len, struct ew *w)
{
	size_t	i, q1, q2;

	if (len < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	for (i = 2; i < len && s[i] != '?'; i++)
		if (MIME_SPACE(s[i]) || s[i] == '"' || i - 2 >= EW_MAX_CHARSET)
			return 0;
	if (i == 2 || i + 2 >= len)
		return 0;
	q1 = i;
	if (s[q1 + 2] != '?')
		return 0;
	w->enc = s[q1 + 1];
	if (w->enc == 'b')
		w->enc = 'B';
	else if (w->enc == 'q')
		w->enc = 'Q';
	if (w->enc != 'B' && w->enc != 'Q')
		return 0;
	for (q2 = q1 + 3; q2 + 1 < len; q2++) {
		if (s[q2] == '?' && s[q2 + 1] == '=')
			break;
		if (MIME_SPACE(s[q2]))
			return 0;
	}
	if (q2 + 1 >= len)
		return 0;
	w->charset = s + 2;
	w->charset_len = q1 - 2;
	w->text = s + q1 + 3;
	w->text_len = q2 - (q1 + 3);
	w->len = q2 + 2;
	return w->len;
}

/* The Q variant of quoted-printable: '_' is a space, bad escapes stay. */
static void
ew_q_decode(struct buf *out, const char *s, size_t len)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '_')
			buf_addc(out, ' ');
		else if (s[i] == '=' && i + 2 < len &&
		    (hi = mime_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = mime_hexval((unsigned char)s[i + 2])) >= 0) {
			buf_addc(out, (char)(hi << 4 | lo));
			i += 2;
		} else
			buf_addc(out, s[i]);
	}
}

struct ew_state {
	struct buf	 raw;		/* decoded bytes of adjacent words */
	char		 charset[EW_MAX_CHARSET + 1];
	struct base64_decoder b64;
	const char	*fallback;
};

static void
ew_flush(struct buf *out, struct ew_state *st)
{
	if (st->raw.len == 0)
		return;
	mime_text_to_utf8(out, st->charset, st->raw.data, st->raw.len,
	    st->fallback);
	buf_reset(&st->raw);
}

static bool
ew_all_space(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!MIME_SPACE(s[i]))
			return false;
	return true;
}

void
mime_rfc2047_decode(struct buf *out, const char *s, size_t len,
    const char *fallback)
{
	struct ew_state	 st;
	struct ew	 w;
	size_t		 i, plain, n;
	bool		 after_word = false;

	memset(&st, 0, sizeof st);
	st.fallback = fallback;
	plain = 0;
	for (i = 0; i < len;) {
		if (s[i] != '=' || (n = ew_scan(s + i, len - i, &w)) == 0) {
			i++;
			continue;
		}
		/* White space between two encoded words is dropped. */
		if (!after_word || !ew_all_space(s + plain, i - plain)) {
			ew_flush(out, &st);
			mime_undeclared_to_utf8(out, s + plain, i - plain,
			    fallback);
		}
		if (w.charset_len != strlen(st.charset) ||
		    strncasecmp(w.charset, st.charset, w.charset_len) != 0) {
			ew_flush(out, &st);
			memcpy(st.charset, w.charset, w.charset_len);
			st.charset[w.charset_len] = '\0';
		}
		if (w.enc == 'B') {
			/* Each word is padded on its own. */
			base64_decoder_init(&st.b64);
			base64_decode_feed(&st.b64, &st.raw, w.text,
			    w.text_len);
		} else
			ew_q_decode(&st.raw, w.text, w.text_len);
		i += n;
		plain = i;
		after_word = true;
	}
	ew_flush(out, &st);
	mime_undeclared_to_utf8(out, s + plain, len - plain, fallback);
	buf_free(&st.raw);
}

/* ---- Encoding -------------------------------------------------------- */

#define EW_LINE		76	/* longest line we write */
#define EW_PREFIX	"=?UTF-8?"
#define EW_MAX_WORD	75	/* RFC 2047 limit on one encoded word */

struct fold {
	struct buf	*out;
	size_t		 col;
};

/* Emit a separating space, or fold if the next n columns do not fit. */
static void
fold_space(struct fold *f, size_t n)
{
	if (f->col + 1 + n > EW_LINE && f->col > 1) {
		buf_add(f->out, "\r\n ", 3);
		f->col = 1;
	} else {
		buf_addc(f->out, ' ');
		f->col++;
	}
}

static bool
q_safe(unsigned char c, bool phrase)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	if (phrase)
		return c == '!' || c == '*' || c == '+' || c == '-' ||
		    c == '/';
	return c > 0x20 && c < 0x7f && c != '=' && c != '?' && c != '_' &&
	    c != '"' && c != '(' && c != ')';
}

/* Columns the Q or B encoding of one UTF-8 character takes. */
static size_t
ew_char_cost(const unsigned char *s, size_t n, bool b64, bool phrase)
{
	if (b64)
		return n;	/* counted in bytes, converted later */
	if (n == 1 && (s[0] == ' ' || q_safe(s[0], phrase)))
		return 1;
	return 3 * n;
}

/*
 * Encode text as a run of encoded words, never splitting a character,
 * each word fitting on its line.
 */
static void
ew_encode_run(struct fold *f, const char *s, size_t len, bool phrase,
    bool first)
{
	size_t		i, n, start, cost, width, room;
	uint32_t	cp;
	bool		b64;
	size_t		high = 0;
	static const char hex[] = "0123456789ABCDEF";

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			high++;
	b64 = high * 3 > len;
	for (start = 0; start < len;) {
		/* Room for the text of one word on the line. */
		width = 0;
		if (!first || f->col > 0) {
			room = EW_LINE > f->col + 1 ? EW_LINE - f->col - 1 : 0;
			if (room < 12 + 16)
				room = EW_LINE - 1;
		} else
			room = EW_LINE - f->col;
		if (room > EW_MAX_WORD)
			room = EW_MAX_WORD;
		room -= 12;	/* "=?UTF-8?Q?" and "?=" */
		for (i = start; i < len; i += n) {
			n = utf8_decode(s + i, len - i, &cp);
			cost = ew_char_cost((const unsigned char *)s + i, n,
			    b64, phrase);
			if (b64) {
				if (((width + cost + 2) / 3) * 4 > room &&
				    i > start)
					break;
			} else if (width + cost > room && i > start)
				break;
			width += cost;
		}
		if (!first) {
			if (b64)
				fold_space(f, 12 + ((width + 2) / 3) * 4);
			else
				fold_space(f, 12 + width);
		}
		first = false;
		buf_adds(f->out, EW_PREFIX);
		buf_add(f->out, b64 ? "B?" : "Q?", 2);
		if (b64) {
			size_t before = f->out->len;
			base64_encode(f->out, s + start, i - start);
			f->col += f->out->len - before;
		} else {
			size_t k;
			for (k = start; k < i; k++) {
				unsigned char c = (unsigned char)s[k];
				if (c == ' ')
					buf_addc(f->out, '_');
				else if (q_safe(c, phrase))
					buf_addc(f->out, (char)c);
				else {
					buf_addc(f->out, '=');
					buf_addc(f->out, hex[c >> 4]);
					buf_addc(f->out, hex[c & 15]);
					f->col += 2;
				}
				f->col++;
			}
		}
		buf_add(f->out, "?=", 2);
		f->col += 12;
		start = i;
	}
}

static bool
word_needs_encoding(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || c < 0x20 || c == 0x7f)
			return true;
		if (c == '=' && i + 1 < len && s[i + 1] == '?')
			return true;
	}
	return false;
}

static bool
phrase_needs_quotes(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (strchr("()<>[]:;@\\,.\"", s[i]) != NULL)
			return true;
	return false;
}

static void
encode_phrase(struct fold *f, const char *s, size_t len)
{
	size_t	i;

	if (word_needs_encoding(s, len)) {
		ew_encode_run(f, s, len, true, true);
		return;
	}
	if (!phrase_needs_quotes(s, len)) {
		/* Plain words may be folded at their spaces. */
		size_t start = 0;
		bool first = true;
		for (i = 0; i <= len; i++) {
			if (i < len && s[i] != ' ')
				continue;
			if (i > start) {
				if (!first)
					fold_space(f, i - start);
				buf_add(f->out, s + start, i - start);
				f->col += i - start;
				first = false;
			}
			start = i + 1;
		}
		return;
	}
	buf_addc(f->out, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			buf_addc(f->out, '\\');
			f->col++;
		}
		buf_addc(f->out, s[i]);
	}
	buf_addc(f->out, '"');
	f->col += len + 2;
}

void
mime_rfc2047_encode(struct buf *out, const char *s, size_t len, size_t col,
    bool phrase)
{
	struct fold	f = { out, col };
	size_t		i, ws, we, rs, re, k;
	bool		first = true;

	if (phrase) {
		encode_phrase(&f, s, len);
		return;
	}
	/*
	 * Unstructured text: words that need it are encoded, runs of such
	 * words in one go (the spaces between them inside), the others are
	 * written as they are, folding at spaces.
	 */
	for (i = 0; i < len;) {
		while (i < len && MIME_SPACE(s[i]))
			i++;
		if (i >= len)
			break;
		ws = i;
		while (i < len && !MIME_SPACE(s[i]))
			i++;
		we = i;
		if (!word_needs_encoding(s + ws, we - ws)) {
			if (!first)
				fold_space(&f, we - ws);
			buf_add(out, s + ws, we - ws);
			f.col += we - ws;
			first = false;
			continue;
		}
		/* Extend the run over following words that need encoding. */
		rs = ws;
		re = we;
		for (;;) {
			k = re;
			while (k < len && MIME_SPACE(s[k]))
				k++;
			if (k >= len)
				break;
			ws = k;
			while (k < len && !MIME_SPACE(s[k]))
				k++;
			if (!word_needs_encoding(s + ws, k - ws))
				break;
			re = k;
		}
		{
			/* Collapse inner white space runs to single spaces. */
			struct buf run = BUF_INIT;
			size_t j;
			bool sp = false;
			for (j = rs; j < re; j++) {
				if (MIME_SPACE(s[j])) {
					sp = true;
					continue;
				}
				if (sp)
					buf_addc(&run, ' ');
				sp = false;
				buf_addc(&run, s[j]);
			}
			ew_encode_run(&f, run.data, run.len, false, first);
			buf_free(&run);
		}
		first = false;
		i = re;
	}
}
