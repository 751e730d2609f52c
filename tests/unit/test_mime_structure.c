/*
 * Unit tests for part trees without bodies (src/mime/structure.c): the
 * stored text form and its parser fed every truncation and corruption,
 * the parts a reader wants, and messages put together from some parts.
 */
#include "config.h"

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char sample[] =
    "From: Alice <alice@example.test>\r\n"
    "To: budi@example.test\r\n"
    "Subject: Laporan\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Halo Budi, laporan terlampir. Caf=C3=A9.\r\n"
    "--alt\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>Halo <b>Budi</b>, HTMLWORD.</p>\r\n"
    "--alt--\r\n"
    "--outer\r\n"
    "Content-Type: application/pdf; name=\"x.pdf\"\r\n"
    "Content-Disposition: attachment;\r\n"
    " filename*=utf-8''laporan%20%C3%A9t%C3%A9.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-ID: <att1@example.test>\r\n"
    "\r\n"
    "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: Carol <carol@example.test>\r\n"
    "Subject: Diteruskan\r\n"
    "\r\n"
    "Isi pesan yang diteruskan.\r\n"
    "--outer--\r\n";

static struct mime_message *
sample_msg(void)
{
	struct mime_message	*m;

	m = mime_message_parse(sample, sizeof sample - 1, 0);
	assert_non_null(m);
	return m;
}

static char *
format_tree(const struct mime_part *root)
{
	struct buf	b = BUF_INIT;

	mime_structure_format(root, &b);
	buf_adds(&b, "");
	return buf_detach(&b, NULL);
}

static void
test_round_trip(void **state)
{
	struct mime_message	*m = sample_msg();
	struct mime_part	*t;
	const struct mime_part	*p;
	char			*s1, *s2;

	(void)state;
	s1 = format_tree(mime_message_root(m));
	/* One line of printable ASCII. */
	for (const char *c = s1; *c != '\0'; c++)
		assert_true(*c >= 0x20 && *c < 0x7f);
	t = mime_structure_parse(s1, strlen(s1));
	assert_non_null(t);
	s2 = format_tree(t);
	assert_string_equal(s1, s2);
	assert_true(mime_part_is(t, "multipart", "mixed"));
	assert_string_equal(t->section, "");
	p = mime_tree_find(t, "1.1");
	assert_non_null(p);
	assert_true(mime_part_is(p, "text", "plain"));
	assert_string_equal(mime_part_charset(p), "utf-8");
	assert_string_equal(mime_part_param(p, "format"), "flowed");
	assert_int_equal(p->encoding, MIME_ENC_QP);
	assert_false(p->has_body);
	p = mime_tree_find(t, "2");
	assert_non_null(p);
	assert_true(mime_part_is(p, "application", "pdf"));
	assert_string_equal(p->disposition, "attachment");
	assert_string_equal(mime_part_filename(p),
	    "laporan \xc3\xa9t\xc3\xa9.pdf");
	assert_string_equal(p->content_id, "att1@example.test");
	assert_int_equal(p->size,
	    mime_tree_find(mime_message_root(m), "2")->size);
	p = mime_tree_find(t, "3");
	assert_non_null(p);
	assert_true(mime_part_is(p, "message", "rfc822"));
	assert_non_null(p->child);
	assert_string_equal(p->child->section, "3.1");
	free(s1);
	free(s2);
	mime_part_free(&t);
	mime_message_free(&m);
}

/* Every cut of the text, fed as exactly that many bytes, is refused. */
static void
test_truncated(void **state)
{
	struct mime_message	*m = sample_msg();
	struct mime_part	*t;
	char			*s, *cut;
	size_t			 len, i;

	(void)state;
	s = format_tree(mime_message_root(m));
	len = strlen(s);
	for (i = 0; i < len; i++) {
		cut = xmemdup(s, i);	/* no NUL: the parser must not read on */
		t = mime_structure_parse(cut, i);
		if (t != NULL)
			fail_msg("a cut at %zu of %zu parsed", i, len);
		free(cut);
	}
	cut = xmemdup(s, len);
	t = mime_structure_parse(cut, len);
	assert_non_null(t);
	mime_part_free(&t);
	free(cut);
	free(s);
	mime_message_free(&m);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"1",
		"2 ( 'text 'plain 0 1 1 0 - 0 - - - 0 )",
		"1 ( 'text 'plain 0 1 1 0 - 0 - - - 0 ) ",
		"1 ( 'text 'plain 0 1 1 0 - 0 - - - 0 ) )",
		"1  ( 'text 'plain 0 1 1 0 - 0 - - - 0 )",
		"1 ( 'text 'plain 7 1 1 0 - 0 - - - 0 )",	/* encoding */
		"1 ( 'text 'plain 0 99999999999999999999 1 0 - 0 - - - 0 )",
		"1 ( 'text 'plain 0 01 1 0 - 0 - - - 0 )",
		"1 ( 'text 'plain 0 -1 1 0 - 0 - - - 0 )",
		"1 ( ' 'plain 0 1 1 0 - 0 - - - 0 )",		/* empty type */
		"1 ( 'te/xt 'plain 0 1 1 0 - 0 - - - 0 )",
		"1 ( - 'plain 0 1 1 0 - 0 - - - 0 )",
		"1 ( 'text 'plain 0 1 1 1 'charset - 0 - - - 0 )",
		"1 ( 'text 'plain 0 1 1 65 - 0 - - - 0 )",
		"1 ( 'text 'plain 0 1 1 0 'a%2 0 - - - 0 )",
		"1 ( 'text 'plain 0 1 1 0 'a%zz 0 - - - 0 )",
		"1 ( 'text 'plain 0 1 1 0 'a%00b 0 - - - 0 )",
		"1 ( 'text 'plain 0 1 1 0 x 0 - - - 0 )",
		/* A text part with a child; a message with two. */
		"1 ( 'text 'plain 0 1 1 0 - 0 - - - 1 ( 'text 'plain 0 1 1 0 "
		    "- 0 - - - 0 ) )",
		"1 ( 'message 'rfc822 0 1 1 0 - 0 - - - 2 ( 'text 'plain 0 1 "
		    "1 0 - 0 - - - 0 ) ( 'text 'plain 0 1 1 0 - 0 - - - 0 ) )",
		/* Fewer children than said. */
		"1 ( 'multipart 'mixed 0 0 0 0 - 0 - - - 2 ( 'text 'plain 0 1 "
		    "1 0 - 0 - - - 0 ) )",
		"1 ( 'multipart 'mixed 0 0 0 0 - 0 - - - 2001 )",
	};
	struct mime_part	*t;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = mime_structure_parse(bad[i], strlen(bad[i]));
		if (t != NULL)
			fail_msg("parsed: %s", bad[i]);
	}
	assert_null(mime_structure_parse(NULL, 0));
	t = mime_structure_parse("1 ( 'Text 'PLAIN 0 1 1 0 - 0 - - - 0 )",
	    38);
	assert_non_null(t);
	assert_true(mime_part_is(t, "text", "plain"));
	assert_string_equal(t->type, "text");
	assert_string_equal(t->section, "1");
	mime_part_free(&t);
}

/* Nesting and part counts are bounded. */
static void
test_bounds(void **state)
{
	struct buf		 b = BUF_INIT;
	struct mime_part	*t;
	int			 depth, i;

	(void)state;
	for (depth = 30; depth <= 40; depth += 10) {
		buf_reset(&b);
		buf_adds(&b, "1");
		for (i = 0; i < depth; i++)
			buf_adds(&b, " ( 'multipart 'mixed 0 0 0 0 - 0 - - - 1");
		buf_adds(&b, " ( 'text 'plain 0 1 1 0 - 0 - - - 0 )");
		for (i = 0; i < depth; i++)
			buf_adds(&b, " )");
		t = mime_structure_parse(b.data, b.len);
		if (depth <= MIME_MAX_DEPTH)
			assert_non_null(t);
		else
			assert_null(t);
		mime_part_free(&t);
	}
	/* 2001 parts in all: one too many. */
	buf_reset(&b);
	buf_adds(&b, "1 ( 'multipart 'mixed 0 0 0 0 - 0 - - - 2000");
	for (i = 0; i < 2000; i++)
		buf_adds(&b, " ( 'text 'plain 0 1 1 0 - 0 - - - 0 )");
	buf_adds(&b, " )");
	assert_null(mime_structure_parse(b.data, b.len));
	buf_free(&b);
}

struct collect {
	char	 list[256];
};

static int
collect_cb(const struct mime_part *p, void *arg)
{
	struct collect	*c = arg;

	if (c->list[0] != '\0')
		strcat(c->list, ",");
	strcat(c->list, p->section);
	return 0;
}

static void
test_wanted(void **state)
{
	struct mime_message	*m = sample_msg();
	struct mime_part	*t;
	struct collect		 c;
	char			*s;

	(void)state;
	s = format_tree(mime_message_root(m));
	t = mime_structure_parse(s, strlen(s));
	assert_non_null(t);
	memset(&c, 0, sizeof c);
	mime_structure_wanted(t, NULL, collect_cb, &c);
	assert_string_equal(c.list, "1.1,3");
	memset(&c, 0, sizeof c);
	mime_structure_wanted(t, "text/html", collect_cb, &c);
	assert_string_equal(c.list, "1.2,3");
	mime_part_free(&t);
	free(s);
	/* An alternative without plain text: the HTML. */
	s = xstrdup("1 ( 'multipart 'alternative 0 0 0 0 - 0 - - - 2 "
	    "( 'image 'png 5 10 0 0 - 0 - - - 0 ) "
	    "( 'text 'html 0 10 1 0 - 0 - - - 0 ) )");
	t = mime_structure_parse(s, strlen(s));
	assert_non_null(t);
	memset(&c, 0, sizeof c);
	mime_structure_wanted(t, NULL, collect_cb, &c);
	assert_string_equal(c.list, "2");
	mime_part_free(&t);
	free(s);
	mime_message_free(&m);
}

/* The sample's own bytes, except the sections named in skip. */
struct src {
	struct mime_message	*m;
	const char		*skip;
	unsigned		 calls;
};

static int
src_get(void *arg, const char *section, struct buf *out)
{
	struct src		*s = arg;
	const struct mime_part	*p;
	const char		*raw;
	char			*sec = xstrdup(section), *dot;
	size_t			 len;
	bool			 mime = false;

	s->calls++;
	if ((dot = strstr(sec, ".MIME")) != NULL && dot[5] == '\0') {
		*dot = '\0';
		mime = true;
	}
	p = mime_tree_find(mime_message_root(s->m), sec);
	if (p == NULL || strstr(s->skip, sec) != NULL) {
		free(sec);
		return -1;
	}
	free(sec);
	raw = mime_message_raw(s->m, &len);
	if (mime)
		buf_add(out, raw + p->hdr_off, p->body_off - p->hdr_off);
	else
		buf_add(out, raw + p->body_off, p->body_len);
	return 0;
}

static bool
has_line(const struct mime_render *r, const char *needle)
{
	size_t	i;

	for (i = 0; i < r->nlines; i++)
		if (strstr(r->lines[i].text, needle) != NULL)
			return true;
	return false;
}

static void
test_assemble(void **state)
{
	struct mime_message	*orig = sample_msg(), *am;
	struct mime_part	*t;
	struct mime_strlist	 miss = { NULL, 0 };
	struct mime_render	*r;
	struct src		 src = { orig, "[2][1.2]", 0 };
	struct buf		 out = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	const struct mime_part	*p, *q;
	char			*s;
	unsigned		 wm;

	(void)state;
	s = format_tree(mime_message_root(orig));
	t = mime_structure_parse(s, strlen(s));
	assert_non_null(t);
	/* Plain text and the forwarded message here, PDF and HTML not. */
	wm = mime_structure_assemble(t, sample, strstr(sample, "\r\n\r\n") -
	    sample + 4, NULL, src_get, &src, &out, &miss);
	assert_int_equal(wm, 0);
	assert_int_equal(miss.n, 2);
	assert_null(strstr(out.data, "JVBERi0"));	/* no PDF bytes */
	am = mime_message_parse(out.data, out.len, 0);
	assert_non_null(am);
	/* Same shape, same sections. */
	for (p = mime_tree_find(t, "1.1"); p != NULL; p = NULL) {
		q = mime_tree_find(mime_message_root(am), "1.1");
		assert_non_null(q);
		assert_true(mime_part_is(q, "text", "plain"));
	}
	assert_true(mime_part_is(mime_tree_find(mime_message_root(am), "2"),
	    "application", "pdf"));
	assert_true(mime_part_is(mime_tree_find(mime_message_root(am),
	    "3.1"), "text", "plain"));
	r = mime_render(am, NULL);
	assert_true(has_line(r, "Subject: Laporan"));
	assert_true(has_line(r, "Halo Budi, laporan terlampir. Caf\xc3\xa9."));
	assert_true(has_line(r, "Isi pesan yang diteruskan."));
	assert_false(has_line(r, "HTMLWORD"));
	mime_structure_mark_missing(r, t, &miss);
	assert_true(has_line(r, "laporan \xc3\xa9t\xc3\xa9.pdf"));
	assert_true(has_line(r, "Attachment #1: laporan \xc3\xa9t\xc3\xa9.pdf "
	    "(application/pdf): not downloaded (54 B) --]"));
	assert_int_equal(r->natts, 1);
	assert_true(r->atts[0].size > 0);
	mime_render_free(&r);
	mime_message_free(&am);
	mime_strlist_free(&miss);

	/* Everything here: the attachment decodes as the original's. */
	buf_reset(&out);
	src.skip = "";
	wm = mime_structure_assemble(t, sample, strstr(sample, "\r\n\r\n") -
	    sample + 4, "text/html", src_get, &src, &out, &miss);
	assert_int_equal(wm, 0);
	assert_int_equal(miss.n, 0);
	am = mime_message_parse(out.data, out.len, 0);
	mime_part_decode(orig, mime_tree_find(mime_message_root(orig), "2"),
	    &a);
	mime_part_decode(am, mime_tree_find(mime_message_root(am), "2"), &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_string_equal(mime_part_filename(mime_tree_find(
	    mime_message_root(am), "2")), "laporan \xc3\xa9t\xc3\xa9.pdf");
	mime_message_free(&am);

	/* Nothing here: the wanted text is listed as not downloaded. */
	buf_reset(&out);
	src.skip = "[1.1][1.2][2][3]";
	wm = mime_structure_assemble(t, sample, strstr(sample, "\r\n\r\n") -
	    sample + 4, NULL, src_get, &src, &out, &miss);
	assert_int_equal(wm, 2);
	am = mime_message_parse(out.data, out.len, 0);
	r = mime_render(am, NULL);
	mime_structure_mark_missing(r, t, &miss);
	assert_true(has_line(r, "Subject: Laporan"));
	assert_true(has_line(r, "text/plain"));
	assert_true(has_line(r, "not downloaded"));
	assert_false(has_line(r, "End of forwarded"));
	mime_render_free(&r);
	mime_message_free(&am);
	mime_strlist_free(&miss);

	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
	mime_part_free(&t);
	free(s);
	mime_message_free(&orig);
}

/* A single-part message: the top header stays, the body is section 1. */
static int
one_get(void *arg, const char *section, struct buf *out)
{
	if (arg == NULL || strcmp(section, "1") != 0)
		return -1;
	buf_adds(out, arg);
	return 0;
}

static void
test_assemble_single(void **state)
{
	static const char hdr[] = "From: a@example.test\r\nSubject: Satu\r\n"
	    "Content-Disposition: inline\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n";
	struct mime_part	*t;
	struct mime_message	*am;
	struct mime_strlist	 miss = { NULL, 0 };
	struct mime_render	*r;
	struct buf		 out = BUF_INIT;
	const char		*s = "1 ( 'text 'plain 0 2000 1 1 'charset "
	    "'utf-8 - 0 - - - 0 )";

	(void)state;
	t = mime_structure_parse(s, strlen(s));
	assert_non_null(t);
	assert_int_equal(mime_structure_assemble(t, hdr, sizeof hdr - 1,
	    NULL, one_get, (void *)"Isi satu bagian.\r\n", &out, &miss), 0);
	assert_int_equal(miss.n, 0);
	am = mime_message_parse(out.data, out.len, 0);
	r = mime_render(am, NULL);
	assert_true(has_line(r, "Subject: Satu"));
	assert_true(has_line(r, "Isi satu bagian."));
	mime_render_free(&r);
	mime_message_free(&am);
	/* Not here: said so, with the size the structure gives. */
	buf_reset(&out);
	assert_int_equal(mime_structure_assemble(t, hdr, sizeof hdr - 1,
	    NULL, one_get, NULL, &out, &miss), 1);
	assert_int_equal(miss.n, 1);
	assert_string_equal(miss.v[0], "1");
	am = mime_message_parse(out.data, out.len, 0);
	r = mime_render(am, NULL);
	mime_structure_mark_missing(r, t, &miss);
	assert_true(has_line(r, "Subject: Satu"));
	assert_true(has_line(r, "not downloaded (2.0 KB)"));
	mime_render_free(&r);
	mime_message_free(&am);
	buf_free(&out);
	mime_strlist_free(&miss);
	mime_part_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_wanted),
		cmocka_unit_test(test_assemble),
		cmocka_unit_test(test_assemble_single),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
