/*
 * libFuzzer target: the stored text form of a part tree without bodies
 * (mime/structure.c), read back as the store reads it.  A tree that
 * parses must print to a text that reads back to the same tree, and a
 * message put together from it (some parts "here", some not) must
 * parse, render and be marked without trouble.
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
count_cb(const struct mime_part *p, void *arg)
{
	(void)p;
	(*(size_t *)arg)++;
	return 0;
}

/* Every other section is "here", with a few bytes of text. */
static int
get_cb(void *arg, const char *section, struct buf *out)
{
	(void)arg;
	if (strlen(section) % 2 == 0)
		return -1;
	buf_adds(out, "Halo =C3=A9 <b>dunia</b>\r\n");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 hdr[] = "From: a@example.test\r\nSubject: x\r\n"
	    "Content-Type: multipart/mixed; boundary=zz\r\n\r\n";
	struct mime_part	*t, *t2;
	struct mime_message	*m;
	struct mime_render	*r;
	struct mime_strlist	 miss = { NULL, 0 };
	struct buf		 b = BUF_INIT, b2 = BUF_INIT;
	size_t			 n = 0, i;

	t = mime_structure_parse((const char *)data, size);
	if (t == NULL)
		return 0;
	/* Printed, it reads back to a tree that prints the same. */
	mime_structure_format(t, &b);
	t2 = mime_structure_parse(b.data, b.len);
	if (t2 == NULL)
		abort();
	mime_structure_format(t2, &b2);
	if (b.len != b2.len || memcmp(b.data, b2.data, b.len) != 0)
		abort();
	mime_part_free(&t2);
	buf_free(&b2);
	buf_reset(&b);
	mime_structure_wanted(t, NULL, count_cb, &n);
	mime_structure_wanted(t, "text/html", count_cb, &n);
	mime_structure_assemble(t, hdr, sizeof hdr - 1, NULL, get_cb, NULL, &b,
	    &miss);
	m = mime_message_parse(buf_cstr(&b), b.len, 0);
	if (m != NULL) {
		r = mime_render(m, NULL);
		mime_structure_mark_missing(r, t, &miss);
		for (i = 0; i < r->nlines; i++)
			if (!utf8_valid(r->lines[i].text, r->lines[i].len))
				abort();
		mime_render_free(&r);
		mime_message_free(&m);
	}
	mime_strlist_free(&miss);
	buf_free(&b);
	mime_part_free(&t);
	return 0;
}
