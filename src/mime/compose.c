/*
 * Building outgoing messages: headers encoded and folded, a UTF-8 text
 * body in 7bit, 8bit or quoted-printable, attachments in base64 with RFC
 * 2231 names, and a forwarded message as message/rfc822.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/base64.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define HDR_COLS	78	/* fold header lines before this */
#define LINE_MAX_SMTP	998	/* RFC 5322 hard limit without CRLF */
#define FLOWED_COLS	72
#define ATT_MAX		(256u * 1024 * 1024)

/* ---- Small things ------------------------------------------------------- */

static const struct {
	const char	*ext;
	const char	*type;
} ext_types[] = {
	{ "txt", "text/plain" }, { "text", "text/plain" },
	{ "log", "text/plain" }, { "diff", "text/x-diff" },
	{ "patch", "text/x-diff" }, { "csv", "text/csv" },
	{ "htm", "text/html" }, { "html", "text/html" },
	{ "ics", "text/calendar" }, { "vcf", "text/vcard" },
	{ "md", "text/markdown" }, { "xml", "application/xml" },
	{ "json", "application/json" }, { "pdf", "application/pdf" },
	{ "zip", "application/zip" }, { "gz", "application/gzip" },
	{ "tgz", "application/gzip" }, { "tar", "application/x-tar" },
	{ "bz2", "application/x-bzip2" }, { "xz", "application/x-xz" },
	{ "7z", "application/x-7z-compressed" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "pptx", "application/vnd.openxmlformats-officedocument."
	    "presentationml.presentation" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
	{ "rtf", "application/rtf" }, { "asc", "application/pgp-keys" },
	{ "sig", "application/pgp-signature" },
	{ "eml", "message/rfc822" },
	{ "png", "image/png" }, { "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" }, { "gif", "image/gif" },
	{ "webp", "image/webp" }, { "svg", "image/svg+xml" },
	{ "bmp", "image/bmp" }, { "tif", "image/tiff" },
	{ "tiff", "image/tiff" }, { "heic", "image/heic" },
	{ "mp3", "audio/mpeg" }, { "ogg", "audio/ogg" },
	{ "opus", "audio/opus" }, { "wav", "audio/wav" },
	{ "flac", "audio/flac" }, { "mp4", "video/mp4" },
	{ "webm", "video/webm" }, { "mkv", "video/x-matroska" },
	{ "c", "text/x-c" }, { "h", "text/x-c" }, { "sh", "text/x-shellscript" },
	{ "py", "text/x-python" },
};

const char *
mime_type_by_name(const char *name)
{
	const char	*dot;
	size_t		 i;

	if (name == NULL || (dot = strrchr(name, '.')) == NULL ||
	    strchr(dot, '/') != NULL)
		return "application/octet-stream";
	for (i = 0; i < sizeof ext_types / sizeof ext_types[0]; i++)
		if (strcasecmp(dot + 1, ext_types[i].ext) == 0)
			return ext_types[i].type;
	return "application/octet-stream";
}

static void
add_hex(struct buf *b, const unsigned char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t		  i;

	for (i = 0; i < n; i++) {
		buf_addc(b, hex[v[i] >> 4]);
		buf_addc(b, hex[v[i] & 15]);
	}
}

char *
mime_msgid_generate(const char *domain)
{
	unsigned char	r[12];
	struct buf	b = BUF_INIT;
	const char	*p;

	mime_random(r, sizeof r);
	buf_addf(&b, "%llx.", (unsigned long long)time(NULL));
	add_hex(&b, r, sizeof r);
	buf_addc(&b, '@');
	/* Only characters that are safe in a dot-atom domain. */
	for (p = domain != NULL ? domain : ""; *p != '\0'; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')
			buf_addc(&b, *p);
	if (b.data[b.len - 1] == '@')
		buf_adds(&b, "localhost");
	return buf_detach(&b, NULL);
}

/* Column at the end of the buffer. */
static size_t
col_of(const struct buf *b)
{
	size_t	i;

	for (i = b->len; i > 0; i--)
		if (b->data[i - 1] == '\n')
			break;
	return b->len - i;
}

/* ---- Headers ------------------------------------------------------------ */

/* "Name: addr, addr" with names encoded and folding between addresses. */
static void
hdr_addresses(struct buf *out, const char *name,
    const struct mime_addrlist *l)
{
	struct buf	one = BUF_INIT;
	size_t		i, col;
	const struct mime_address *a;

	buf_addf(out, "%s:", name);
	for (i = 0; i < l->n; i++) {
		a = &l->v[i];
		buf_reset(&one);
		col = col_of(out) + 1;
		if (a->name != NULL && *a->name != '\0' &&
		    strcmp(a->name, a->addr) != 0) {
			mime_rfc2047_encode(&one, a->name, strlen(a->name),
			    col, true);
			buf_addf(&one, " <%s>", a->addr);
		} else
			buf_adds(&one, a->addr);
		if (i > 0)
			buf_addc(out, ',');
		/* Fold before the address if its first line would not fit. */
		size_t first = strcspn(buf_cstr(&one), "\r");
		if (i > 0 && col_of(out) + 1 + first > HDR_COLS)
			buf_add(out, "\r\n", 2);
		buf_addc(out, ' ');
		buf_add(out, one.data, one.len);
	}
	buf_add(out, "\r\n", 2);
	buf_free(&one);
}

static int
hdr_address_field(struct buf *out, const char *name, const char *value,
    bool required, struct err *e)
{
	struct mime_addrlist	l = { NULL, 0 };

	if (value != NULL)
		mime_addrlist_parse(&l, value, strlen(value), "utf-8");
	if (l.n == 0) {
		mime_addrlist_free(&l);
		if (required) {
			err_set(e, ERR_USAGE, _("no %s address"), name);
			return -1;
		}
		return 0;
	}
	hdr_addresses(out, name, &l);
	mime_addrlist_free(&l);
	return 0;
}

/* "Name: <a> <b>": ids folded between words. */
static void
hdr_ids(struct buf *out, const char *name, const char *value)
{
	struct mime_strlist	l = { NULL, 0 };
	size_t			i, len;

	if (value == NULL)
		return;
	mime_msgid_parse_list(&l, value, strlen(value));
	if (l.n == 0)
		return;
	buf_addf(out, "%s:", name);
	for (i = 0; i < l.n; i++) {
		len = strlen(l.v[i]) + 2;
		if (i > 0 && col_of(out) + 1 + len > HDR_COLS)
			buf_add(out, "\r\n", 2);
		buf_addf(out, " <%s>", l.v[i]);
	}
	buf_add(out, "\r\n", 2);
	mime_strlist_free(&l);
}

/* The domain of the first From address, for Message-IDs. */
static char *
from_domain(const char *from)
{
	struct mime_addrlist	 l = { NULL, 0 };
	const char		*at;
	char			*d = NULL;

	mime_addrlist_parse(&l, from, strlen(from), "utf-8");
	if (l.n > 0 && (at = strrchr(l.v[0].addr, '@')) != NULL)
		d = xstrdup(at + 1);
	mime_addrlist_free(&l);
	return d;
}

static int
local_tzoff(time_t t)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL)
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

/* Extra header lines: only "Name: value" with a sane name, no breaks. */
static void
hdr_extra(struct buf *out, const char *const *extra)
{
	const char	*colon, *p;

	for (; extra != NULL && *extra != NULL; extra++) {
		colon = strchr(*extra, ':');
		if (colon == NULL || colon == *extra)
			continue;
		for (p = *extra; p < colon; p++)
			if ((unsigned char)*p <= 0x20 ||
			    (unsigned char)*p >= 0x7f)
				break;
		if (p < colon || strpbrk(*extra, "\r\n") != NULL)
			continue;
		buf_add(out, *extra, (size_t)(colon - *extra) + 1);
		p = colon + 1;
		while (*p == ' ')
			p++;
		buf_addc(out, ' ');
		mime_rfc2047_encode(out, p, strlen(p),
		    (size_t)(colon - *extra) + 2, false);
		buf_add(out, "\r\n", 2);
	}
}

/* ---- Bodies ------------------------------------------------------------- */

/* Longest line in bytes and whether there is a lone CR or a NUL. */
static size_t
longest_line(const char *s, size_t len, bool *odd_r)
{
	size_t	i, cur = 0, max = 0;

	*odd_r = false;
	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			cur = 0;
			continue;
		}
		if (s[i] == '\0' || (s[i] == '\r' && (i + 1 >= len ||
		    s[i + 1] != '\n')))
			*odd_r = true;
		if (s[i] != '\r' && ++cur > max)
			max = cur;
	}
	return max;
}

/*
 * format=flowed (RFC 3676): trailing spaces removed from hard lines,
 * long lines broken at spaces with a trailing space, lines that would be
 * misread space-stuffed.  In: \n lines; out: \n lines.
 */
static void
flowed_encode(struct buf *out, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *nl;
	size_t		 llen, q, start, brk, lim;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		llen = (size_t)(nl - p);
		for (q = 0; q < llen && p[q] == '>'; q++)
			;
		if (!(llen - q == 3 && memcmp(p + q, "-- ", 3) == 0))
			while (llen > q && p[llen - 1] == ' ')
				llen--;
		start = q;
		if (q > 0 && start < llen && p[start] == ' ')
			start++;	/* "> text": the space is the stuffing */
		for (;;) {
			buf_add(out, p, q);
			if (start < llen && (p[start] == ' ' ||
			    (q == 0 && p[start] == '>') ||
			    (llen - start >= 5 &&
			    memcmp(p + start, "From ", 5) == 0) || q > 0))
				buf_addc(out, ' ');
			lim = FLOWED_COLS > q + 1 ? FLOWED_COLS - q - 1 : 1;
			if (llen - start <= lim + 1) {
				buf_add(out, p + start, llen - start);
				break;
			}
			/* Break after the last space before the limit. */
			for (brk = start + lim; brk > start && p[brk] != ' ';
			    brk--)
				;
			if (brk == start) {
				/* One long word: break after it, if ever. */
				for (brk = start + lim; brk < llen &&
				    p[brk] != ' '; brk++)
					;
				if (brk >= llen) {
					buf_add(out, p + start, llen - start);
					break;
				}
			}
			/* Keep the space at the end: a soft break. */
			buf_add(out, p + start, brk + 1 - start);
			buf_addc(out, '\n');
			start = brk + 1;
			if (start >= llen)
				break;
		}
		buf_addc(out, '\n');
		p = nl < end ? nl + 1 : end;
	}
}

/* Append \n text with CRLF line ends, ending in a line break. */
static void
add_crlf(struct buf *out, const char *s, size_t len)
{
	size_t	i, start = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\n' && s[i] != '\r')
			continue;
		buf_add(out, s + start, i - start);
		buf_add(out, "\r\n", 2);
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
	if (len == 0 || (s[len - 1] != '\n' && s[len - 1] != '\r'))
		buf_add(out, "\r\n", 2);
}

static void
add_base64(struct buf *out, const char *s, size_t len)
{
	size_t	i, n;

	/* 57 bytes make one 76-character line. */
	for (i = 0; i < len; i += 57) {
		n = len - i > 57 ? 57 : len - i;
		base64_encode(out, s + i, n);
		buf_add(out, "\r\n", 2);
	}
}

/* The text part: its header lines and body. */
static void
text_part(struct buf *out, const struct mime_compose *c)
{
	struct buf	 body = BUF_INIT, lf = BUF_INIT;
	const char	*text = c->body != NULL ? c->body : "";
	bool		 ascii, odd;
	size_t		 longest;

	/* Only valid UTF-8 goes out under charset=utf-8. */
	utf8_repair(&lf, text, strlen(text));
	mime_add_lf(&body, buf_cstr(&lf), lf.len);
	buf_reset(&lf);
	if (c->flowed) {
		flowed_encode(&lf, buf_cstr(&body), body.len);
		buf_reset(&body);
		buf_add(&body, buf_cstr(&lf), lf.len);
	}
	buf_free(&lf);
	ascii = mime_is_ascii(buf_cstr(&body), body.len);
	longest = longest_line(buf_cstr(&body), body.len, &odd);
	buf_addf(out, "Content-Type: text/plain; charset=%s%s\r\n",
	    ascii ? "us-ascii" : "utf-8", c->flowed ? "; format=flowed" : "");
	if (longest <= LINE_MAX_SMTP && !odd && (ascii || c->allow_8bit)) {
		buf_addf(out, "Content-Transfer-Encoding: %s\r\n\r\n",
		    ascii ? "7bit" : "8bit");
		add_crlf(out, buf_cstr(&body), body.len);
	} else {
		buf_adds(out, "Content-Transfer-Encoding: quoted-printable"
		    "\r\n\r\n");
		mime_qp_encode(out, buf_cstr(&body), body.len);
		if (out->len < 2 || memcmp(out->data + out->len - 2, "\r\n",
		    2) != 0)
			buf_add(out, "\r\n", 2);
	}
	buf_free(&body);
}

static int
read_file(const char *path, struct buf *out, struct err *e)
{
	char		chunk[65536];
	ssize_t		n;
	int		fd;
	struct stat	st;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		err_set(e, ERR_USAGE, _("%s: not a regular file"), path);
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > ATT_MAX) {
			err_set(e, ERR_TOOBIG, _("%s: attachment too large"),
			    path);
			close(fd);
			return -1;
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

static int
attachment_part(struct buf *out, const struct mime_compose_att *a,
    struct err *e)
{
	struct buf	 data = BUF_INIT;
	const char	*name = a->name, *type = a->type, *slash;
	bool		 odd;

	if (a->path != NULL) {
		if (read_file(a->path, &data, e) == -1) {
			buf_free(&data);
			return -1;
		}
	} else if (a->data != NULL)
		buf_add(&data, a->data, a->len);
	if (name == NULL && a->path != NULL)
		name = (slash = strrchr(a->path, '/')) != NULL ? slash + 1 :
		    a->path;
	if (type == NULL)
		type = mime_type_by_name(name);
	buf_addf(out, "Content-Type: %s", type);
	if (name != NULL && *name != '\0')
		mime_param_encode(out, "name", name);
	buf_add(out, "\r\n", 2);
	buf_adds(out, a->inline_ ? "Content-Disposition: inline" :
	    "Content-Disposition: attachment");
	if (name != NULL && *name != '\0')
		mime_param_encode(out, "filename", name);
	buf_add(out, "\r\n", 2);
	if (strncasecmp(type, "text/", 5) == 0 &&
	    mime_is_ascii(buf_cstr(&data), data.len) &&
	    longest_line(buf_cstr(&data), data.len, &odd) <= LINE_MAX_SMTP &&
	    !odd) {
		buf_adds(out, "Content-Transfer-Encoding: 7bit\r\n\r\n");
		if (data.len > 0)
			add_crlf(out, data.data, data.len);
	} else {
		buf_adds(out, "Content-Transfer-Encoding: base64\r\n\r\n");
		add_base64(out, buf_cstr(&data), data.len);
	}
	buf_free(&data);
	return 0;
}

static void
forward_part(struct buf *out, const struct mime_compose *c)
{
	const char	*s = c->forward_raw;
	size_t		 len = c->forward_len;
	bool		 ascii, odd;

	ascii = mime_is_ascii(s, len);
	buf_adds(out, "Content-Type: message/rfc822\r\n"
	    "Content-Disposition: inline\r\n");
	if (longest_line(s, len, &odd) <= LINE_MAX_SMTP && !odd &&
	    (ascii || c->allow_8bit)) {
		buf_addf(out, "Content-Transfer-Encoding: %s\r\n\r\n",
		    ascii ? "7bit" : "8bit");
		add_crlf(out, s, len);
	} else {
		/* RFC 2046 wants 7bit here; readers cope with base64. */
		buf_adds(out, "Content-Transfer-Encoding: base64\r\n\r\n");
		add_base64(out, s, len);
	}
}

int
mime_compose_build(const struct mime_compose *c, struct buf *out,
    char **msgid_r, struct err *e)
{
	struct buf	 parts = BUF_INIT;
	char		*msgid, *domain, *boundary = NULL;
	unsigned char	 r[12];
	int64_t		 date = c->date;
	int		 tzoff = c->tzoff;
	size_t		 i, start = out->len;
	bool		 multi;

	if (msgid_r != NULL)
		*msgid_r = NULL;
	if (c->from == NULL) {
		err_set(e, ERR_USAGE, _("no From address"));
		return -1;
	}
	multi = c->natts > 0 || c->forward_raw != NULL;
	/* Attachments first: a missing file fails before anything else. */
	if (multi) {
		struct buf bb = BUF_INIT;
		mime_random(r, sizeof r);
		buf_adds(&bb, "=_surat_");
		add_hex(&bb, r, sizeof r);
		boundary = buf_detach(&bb, NULL);
		buf_addf(&parts, "--%s\r\n", boundary);
		text_part(&parts, c);
		/*
		 * The line break before a delimiter belongs to it, so one
		 * more keeps each part's last line break.
		 */
		for (i = 0; i < c->natts; i++) {
			buf_addf(&parts, "\r\n--%s\r\n", boundary);
			if (attachment_part(&parts, &c->atts[i], e) == -1) {
				buf_free(&parts);
				free(boundary);
				return -1;
			}
		}
		if (c->forward_raw != NULL) {
			buf_addf(&parts, "\r\n--%s\r\n", boundary);
			forward_part(&parts, c);
		}
		buf_addf(&parts, "\r\n--%s--\r\n", boundary);
	}
	if (date == 0) {
		date = (int64_t)time(NULL);
		tzoff = local_tzoff((time_t)date);
	}
	buf_adds(out, "Date: ");
	mime_date_format(out, date, tzoff);
	buf_add(out, "\r\n", 2);
	if (hdr_address_field(out, "From", c->from, true, e) == -1)
		goto fail;
	hdr_address_field(out, "To", c->to, false, e);
	hdr_address_field(out, "Cc", c->cc, false, e);
	if (c->keep_bcc)
		hdr_address_field(out, "Bcc", c->bcc, false, e);
	hdr_address_field(out, "Reply-To", c->reply_to, false, e);
	buf_adds(out, "Subject: ");
	if (c->subject != NULL)
		mime_rfc2047_encode(out, c->subject, strlen(c->subject), 9,
		    false);
	buf_add(out, "\r\n", 2);
	if (c->message_id != NULL &&
	    (msgid = mime_msgid_parse(c->message_id,
	    strlen(c->message_id))) != NULL)
		;
	else {
		domain = from_domain(c->from);
		msgid = mime_msgid_generate(domain);
		free(domain);
	}
	buf_addf(out, "Message-ID: <%s>\r\n", msgid);
	hdr_ids(out, "In-Reply-To", c->in_reply_to);
	hdr_ids(out, "References", c->references);
	if (c->user_agent != NULL && strpbrk(c->user_agent, "\r\n") == NULL) {
		buf_adds(out, "User-Agent: ");
		mime_rfc2047_encode(out, c->user_agent, strlen(c->user_agent),
		    12, false);
		buf_add(out, "\r\n", 2);
	}
	hdr_extra(out, c->extra_headers);
	buf_adds(out, "MIME-Version: 1.0\r\n");
	if (multi) {
		buf_adds(out, "Content-Type: multipart/mixed");
		mime_param_encode(out, "boundary", boundary);
		buf_add(out, "\r\n\r\n", 4);
		buf_adds(out, "This is a multi-part message in MIME format."
		    "\r\n\r\n");
		buf_add(out, parts.data, parts.len);
	} else
		text_part(out, c);
	buf_free(&parts);
	free(boundary);
	if (msgid_r != NULL)
		*msgid_r = msgid;
	else
		free(msgid);
	return 0;
fail:
	buf_truncate(out, start);
	buf_free(&parts);
	free(boundary);
	return -1;
}
