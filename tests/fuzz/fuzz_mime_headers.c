/*
 * libFuzzer target: header blocks, and every field through the readers
 * of addresses, dates, message-ids and RFC 2047; the envelope; threading
 * of the message with itself and a few neighbours.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
must_utf8(const char *s)
{
	if (s != NULL && !utf8_valid(s, strlen(s)))
		abort();
}

static void
check_list(const struct mime_addrlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		must_utf8(l->v[i].name);
		must_utf8(l->v[i].addr);
		must_utf8(l->v[i].group);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char			*s = (const char *)data;
	struct mime_headers		*hs;
	const struct mime_header	*h;
	struct mime_addrlist		 l = { NULL, 0 };
	struct mime_strlist		 ids = { NULL, 0 };
	struct mime_envelope		 env;
	struct mime_thread_in		 in[3];
	struct mime_thread_out		*out;
	struct buf			 b = BUF_INIT;
	size_t				 i, off;
	int64_t				 t;
	int				 tz;
	char				*v;

	hs = mime_headers_parse(s, size, &off);
	if (off > size)
		abort();
	for (i = 0; (h = mime_headers_at(hs, i)) != NULL; i++) {
		size_t vlen = strlen(h->value);
		v = mime_header_decode(h->value, vlen, NULL);
		must_utf8(v);
		free(v);
		mime_addrlist_parse(&l, h->value, vlen, "iso-8859-2");
		check_list(&l);
		v = mime_addrlist_format(&l);
		must_utf8(v);
		free(v);
		mime_addrlist_free(&l);
		if (mime_date_parse(h->value, vlen, &t, &tz) == 0) {
			mime_date_format(&b, t, tz);
			buf_reset(&b);
		}
		mime_msgid_parse_list(&ids, h->value, vlen);
		mime_strlist_free(&ids);
		free(mime_msgid_parse(h->value, vlen));
	}
	mime_envelope_from_headers(&env, hs, 1700000000, NULL);
	must_utf8(env.subject);
	check_list(&env.from);
	check_list(&env.to);
	check_list(&env.cc);
	mime_envelope_free(&env);
	memset(in, 0, sizeof in);
	in[0].message_id = mime_headers_get(hs, "message-id");
	in[0].in_reply_to = mime_headers_get(hs, "in-reply-to");
	in[0].references = mime_headers_get(hs, "references");
	in[0].subject = mime_headers_get(hs, "subject");
	in[1] = in[0];
	in[1].message_id = mime_headers_get(hs, "in-reply-to");
	in[1].references = mime_headers_get(hs, "message-id");
	in[2].message_id = mime_headers_get(hs, "references");
	in[2].subject = in[0].subject;
	mime_thread(in, 3, MIME_THREAD_SUBJECT, &out);
	for (i = 0; i < 3; i++)
		if (out[i].msg >= 3 || out[i].thread >= 3)
			abort();
	free(out);
	v = mime_subject_base(in[0].subject);
	free(v);
	buf_free(&b);
	mime_headers_free(&hs);
	return 0;
}
