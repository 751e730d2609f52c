/* Raw message bytes to store rows: envelope, attachments, search text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd_message.h"
#include "mime/mime.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

/* A header field name: printable ASCII but colon, then a colon. */
static bool
header_line(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c == ':')
			return i > 0;
		if (c <= 32 || c >= 127)
			return false;
	}
	return false;
}

int
cmd_message_check(const char *raw, size_t len, struct err *err)
{
	static const char *const	 want[] = { "From", "Date", "Subject",
	    "Message-ID", "To", NULL };
	struct mime_headers		*hs;
	size_t				 i;
	bool				 ok = false;

	if (len == 0) {
		err_set(err, ERR_PARSE, "%s", _("empty file"));
		return -1;
	}
	if (!header_line(raw, len)) {
		err_set(err, ERR_PARSE, "%s", _("not a mail message (it does "
		    "not start with a header field)"));
		return -1;
	}
	hs = mime_headers_parse(raw, len, NULL);
	for (i = 0; want[i] != NULL && !ok; i++)
		ok = mime_headers_find(hs, want[i]) != NULL;
	mime_headers_free(&hs);
	if (!ok) {
		err_set(err, ERR_PARSE, "%s", _("not a mail message (no From, "
		    "Date, Subject, Message-ID or To field)"));
		return -1;
	}
	return 0;
}

struct text_walk {
	const struct mime_message	*msg;
	struct buf			*out;
	size_t				 cap;
};

static int
text_part(const struct mime_part *p, void *arg)
{
	struct text_walk	*tw = arg;
	struct buf		 t = BUF_INIT;

	if (tw->out->len >= tw->cap)
		return 1;
	if (!p->has_body || mime_part_is_multipart(p) ||
	    mime_part_is_attachment(p))
		return 0;
	if (mime_part_is(p, "text", "plain")) {
		mime_part_text(tw->msg, p, NULL, tw->out);
	} else if (mime_part_is(p, "text", "html")) {
		mime_part_text(tw->msg, p, NULL, &t);
		mime_html_to_text(tw->out, t.data != NULL ? t.data : "",
		    t.len, 80);
	} else
		return 0;
	buf_addc(tw->out, '\n');
	buf_free(&t);
	return 0;
}

void
cmd_message_text(const struct mime_message *msg, struct buf *out, size_t cap)
{
	struct text_walk	tw = { msg, out, cap };
	size_t			start = out->len;

	mime_tree_walk(mime_message_root(msg), text_part, &tw);
	if (out->len - start > cap)
		buf_truncate(out, start + cap);
}

static int
att_part(const struct mime_part *p, void *arg)
{
	bool	*has = arg;

	if (p->parent != NULL && !mime_part_is_multipart(p) &&
	    mime_part_is_attachment(p)) {
		*has = true;
		return 1;
	}
	return 0;
}


struct store_msg *
cmd_message_from_raw(const char *raw, size_t len, int64_t received,
    struct buf *text)
{
	struct store_msg		*m;
	struct mime_message		*msg;
	const struct mime_headers	*hs;
	struct mime_envelope		 env;
	size_t				 body_off = len;
	struct mime_headers		*tmp;
	bool				 has = false;

	m = xcalloc(1, sizeof *m);
	msg = mime_message_parse(raw, len, 0);
	tmp = mime_headers_parse(raw, len, &body_off);
	mime_headers_free(&tmp);
	hs = mime_message_headers(msg);
	memset(&env, 0, sizeof env);
	mime_envelope_from_headers(&env, hs, received, NULL);
	store_msg_set_envelope(m, hs, &env);
	m->size = (int64_t)len;
	m->headers = xmalloc(body_off + 1);
	memcpy(m->headers, raw, body_off);
	m->headers[body_off] = '\0';
	m->headers_len = body_off;
	m->internal_date = received != 0 ? received : env.date;
	mime_tree_walk(mime_message_root(msg), att_part, &has);
	m->has_attachments = has;
	if (text != NULL)
		cmd_message_text(msg, text, STORE_FTS_TEXT_MAX);
	mime_envelope_free(&env);
	mime_message_free(&msg);
	return m;
}

static const struct {
	char		letter;
	unsigned	bit;
} maildir_letters[] = {
	/* In ASCII order, as the Maildir convention wants them written. */
	{ 'D', STORE_FLAG_DRAFT },
	{ 'F', STORE_FLAG_FLAGGED },
	{ 'R', STORE_FLAG_ANSWERED },
	{ 'S', STORE_FLAG_SEEN },
	{ 'T', STORE_FLAG_DELETED },
};

unsigned
cmd_maildir_flags(const char *s)
{
	unsigned	f = 0;
	size_t		i;

	for (; s != NULL && *s != '\0'; s++) {
		for (i = 0; i < sizeof maildir_letters /
		    sizeof maildir_letters[0]; i++) {
			if (*s == maildir_letters[i].letter)
				f |= maildir_letters[i].bit;
		}
	}
	return f;
}

void
cmd_maildir_flag_string(unsigned flags, char *out)
{
	size_t	i, n = 0;

	for (i = 0; i < sizeof maildir_letters / sizeof maildir_letters[0];
	    i++) {
		if (flags & maildir_letters[i].bit)
			out[n++] = maildir_letters[i].letter;
	}
	out[n] = '\0';
}
