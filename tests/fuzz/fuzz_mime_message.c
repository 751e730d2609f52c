/*
 * libFuzzer target: a whole message parsed into its MIME tree, every part
 * decoded, rendered for the pager (lines must be clean UTF-8 without
 * control characters), and used to start a reply and a forward.
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

static int
visit(const struct mime_part *p, void *arg)
{
	const struct mime_message	*m = arg;
	struct buf			 b = BUF_INIT;

	if (p->section == NULL || mime_tree_find(mime_message_root(m),
	    p->section) == NULL)
		abort();
	if (p->depth > MIME_MAX_DEPTH + 2)
		abort();
	mime_part_decode(m, p, &b);
	buf_reset(&b);
	if (mime_part_is(p, "text", NULL)) {
		mime_part_text(m, p, NULL, &b);
		if (!utf8_valid(buf_cstr(&b), b.len))
			abort();
	}
	buf_free(&b);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const me[] = { "me@example.org", NULL };
	struct mime_message	*m;
	struct mime_render	*r;
	struct mime_render_opts	 o;
	struct mime_reply	 rep;
	size_t			 i, j;

	m = mime_message_parse((const char *)data, size, MIME_PARSE_COPY);
	if (mime_message_part_count(m) > MIME_MAX_PARTS + 1)
		abort();
	mime_tree_walk(mime_message_root(m), visit, m);
	memset(&o, 0, sizeof o);
	o.width = size > 0 ? 20 + data[0] % 120 : 80;
	o.prefer = size > 1 && (data[1] & 1) ? "text/html" : NULL;
	o.all_headers = size > 1 && (data[1] & 2);
	r = mime_render(m, &o);
	for (i = 0; i < r->nlines; i++) {
		const struct mime_line *l = &r->lines[i];
		if (strlen(l->text) != l->len || !utf8_valid(l->text, l->len))
			abort();
		for (j = 0; j < l->len; j++)
			if ((unsigned char)l->text[j] < 0x20 ||
			    l->text[j] == 0x7f)
				abort();
	}
	for (i = 0; i < r->natts; i++)
		if (!utf8_valid(r->atts[i].name, strlen(r->atts[i].name)))
			abort();
	mime_render_free(&r);
	mime_reply_prepare(m, MIME_REPLY_ALL, me, NULL, &rep);
	mime_reply_free(&rep);
	mime_forward_prepare(m, true, NULL, &rep);
	mime_reply_free(&rep);
	mime_message_free(&m);
	return 0;
}
