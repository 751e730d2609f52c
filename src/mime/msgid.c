/*
 * Message-IDs from Message-ID, References and In-Reply-To as they really
 * look (comments, phrases, missing brackets), and the envelope the store
 * keeps for every message.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define MSGID_MAX_LEN	998	/* longer "ids" are junk */
#define MSGID_MAX_LIST	1000	/* ids kept from one header */

static bool
msgid_seen(const struct mime_strlist *l, size_t from, const char *s,
    size_t len)
{
	size_t	i;

	for (i = from; i < l->n; i++)
		if (strlen(l->v[i]) == len && memcmp(l->v[i], s, len) == 0)
			return true;
	return false;
}

/* Add an id with white space and controls removed, if new and sane. */
static void
msgid_add(struct mime_strlist *l, size_t from, const char *s, size_t len)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c > 0x20 && c != 0x7f)
			buf_addc(&b, (char)c);
	}
	if (b.len > 0 && !utf8_valid(b.data, b.len)) {
		struct buf fix = BUF_INIT;

		utf8_repair(&fix, b.data, b.len);
		buf_free(&b);
		b = fix;
	}
	if (b.len > 0 && b.len <= MSGID_MAX_LEN && l->n < MSGID_MAX_LIST &&
	    !msgid_seen(l, from, b.data, b.len))
		mime_strlist_add(l, b.data, b.len);
	buf_free(&b);
}

/* Skip a comment or quoted string starting at s; returns the end. */
static const char *
msgid_skip(const char *s, const char *end)
{
	int	depth = 0;
	char	open = *s;

	if (open == '"') {
		for (s++; s < end && *s != '"'; s++)
			if (*s == '\\' && s + 1 < end)
				s++;
		return s < end ? s + 1 : end;
	}
	for (; s < end; s++) {
		if (*s == '\\' && s + 1 < end)
			s++;
		else if (*s == '(')
			depth++;
		else if (*s == ')' && --depth == 0)
			return s + 1;
	}
	return end;
}

void
mime_msgid_parse_list(struct mime_strlist *l, const char *s, size_t len)
{
	const char	*end = s + len, *p, *start, *close = NULL;
	size_t		 from = l->n;
	bool		 angled = false;

	for (p = s; p < end;) {
		if (*p == '(' || *p == '"') {
			p = msgid_skip(p, end);
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		start = p + 1;
		/*
		 * The first '>' after an earlier '<' is still the first one
		 * after this '<' when not behind it: searching again would
		 * make "<<<<..." quadratic.
		 */
		if (close == NULL || close < start) {
			close = memchr(start, '>', (size_t)(end - start));
			if (close == NULL)
				close = end;
		}
		/* "<a@b <c@d>": the inner '<' starts a new id. */
		p = memchr(start, '<', (size_t)(close - start));
		if (p != NULL && p < close) {
			msgid_add(l, from, start, (size_t)(p - start));
			angled = true;
			continue;
		}
		msgid_add(l, from, start, (size_t)(close - start));
		angled = true;
		p = close < end ? close + 1 : end;
	}
	if (angled)
		return;
	/* No brackets at all: words with an '@' are the ids. */
	for (p = s; p < end;) {
		if (*p == '(' || *p == '"') {
			p = msgid_skip(p, end);
			continue;
		}
		if (MIME_SPACE(*p) || *p == ',') {
			p++;
			continue;
		}
		start = p;
		while (p < end && !MIME_SPACE(*p) && *p != ',' && *p != '(')
			p++;
		if (memchr(start, '@', (size_t)(p - start)) != NULL)
			msgid_add(l, from, start, (size_t)(p - start));
	}
}

char *
mime_msgid_parse(const char *s, size_t len)
{
	struct mime_strlist	 l = { NULL, 0 };
	char			*id = NULL;
	const char		*t = s;
	size_t			 tlen = len;

	mime_msgid_parse_list(&l, s, len);
	if (l.n > 0) {
		id = l.v[0];
		l.v[0] = NULL;
		mime_strlist_free(&l);
		return id;
	}
	/* A Message-ID without brackets or '@': take the word as it is. */
	mime_trim(&t, &tlen);
	if (tlen > 0 && tlen <= MSGID_MAX_LEN &&
	    memchr(t, ' ', tlen) == NULL) {
		msgid_add(&l, 0, t, tlen);
		if (l.n > 0) {
			id = l.v[0];
			l.v[0] = NULL;
		}
	}
	mime_strlist_free(&l);
	return id;
}

char *
mime_msgid_parent(const char *references, const char *in_reply_to)
{
	struct mime_strlist	 l = { NULL, 0 };
	char			*id = NULL;
	size_t			 pick = 0;

	if (references != NULL)
		mime_msgid_parse_list(&l, references, strlen(references));
	if (l.n > 0)
		pick = l.n - 1;		/* References: the last */
	else if (in_reply_to != NULL)
		mime_msgid_parse_list(&l, in_reply_to, strlen(in_reply_to));
	if (l.n > 0) {
		id = l.v[pick];
		l.v[pick] = NULL;
	}
	mime_strlist_free(&l);
	return id;
}

/* ---- Envelope ---------------------------------------------------------- */

static void
env_addrs(struct mime_addrlist *l, const struct mime_headers *hs,
    const char *name, const char *fallback)
{
	const struct mime_header	*h;
	size_t				 i;

	/* Duplicate To or Cc fields all count (some mailers split them). */
	for (i = 0; (h = mime_headers_at(hs, i)) != NULL; i++)
		if (mime_eq(h->name, h->name_len, name))
			mime_addrlist_parse(l, h->value, strlen(h->value),
			    fallback);
}

void
mime_envelope_from_headers(struct mime_envelope *env,
    const struct mime_headers *hs, int64_t received, const char *fallback)
{
	const char	*v;
	int64_t		 t;
	int		 tz;

	memset(env, 0, sizeof *env);
	env->subject = mime_headers_get_decoded(hs, "subject", fallback);
	if (env->subject == NULL)
		env->subject = xstrdup("");
	env_addrs(&env->from, hs, "from", fallback);
	env_addrs(&env->sender, hs, "sender", fallback);
	env_addrs(&env->reply_to, hs, "reply-to", fallback);
	env_addrs(&env->to, hs, "to", fallback);
	env_addrs(&env->cc, hs, "cc", fallback);
	env_addrs(&env->bcc, hs, "bcc", fallback);
	if ((v = mime_headers_get(hs, "message-id")) != NULL)
		env->message_id = mime_msgid_parse(v, strlen(v));
	if ((v = mime_headers_get(hs, "in-reply-to")) != NULL)
		mime_msgid_parse_list(&env->in_reply_to, v, strlen(v));
	if ((v = mime_headers_get(hs, "references")) != NULL)
		mime_msgid_parse_list(&env->references, v, strlen(v));
	if ((v = mime_headers_get(hs, "list-id")) != NULL)
		env->list_id = mime_msgid_parse(v, strlen(v));
	env->date = mime_date_sortkey(hs, received);
	if ((v = mime_headers_get(hs, "date")) != NULL &&
	    mime_date_parse(v, strlen(v), &t, &tz) == 0) {
		env->date_valid = true;
		env->date_tz = tz;
	}
}

void
mime_envelope_free(struct mime_envelope *env)
{
	xfree(&env->subject);
	mime_addrlist_free(&env->from);
	mime_addrlist_free(&env->sender);
	mime_addrlist_free(&env->reply_to);
	mime_addrlist_free(&env->to);
	mime_addrlist_free(&env->cc);
	mime_addrlist_free(&env->bcc);
	xfree(&env->message_id);
	mime_strlist_free(&env->in_reply_to);
	mime_strlist_free(&env->references);
	xfree(&env->list_id);
}
