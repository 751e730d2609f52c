/*
 * Unit tests for the MIME tree, rendering, HTML and flowed text, and
 * saving attachments, on sample messages in tests/data/mime.
 */
#include "config.h"

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static char *
load(const char *name, size_t *len_r)
{
	char		*path, *data;
	FILE		*f;
	long		 n;

	path = xasprintf("%s/mime/%s", TEST_DATA_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	free(path);
	*len_r = (size_t)n;
	return data;
}

/* All render lines joined with \n, for strstr checks. */
static char *
render_text(const struct mime_render *r)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < r->nlines; i++) {
		assert_true(utf8_valid(r->lines[i].text, r->lines[i].len));
		assert_int_equal(strlen(r->lines[i].text), r->lines[i].len);
		assert_null(strchr(r->lines[i].text, '\x1b'));
		assert_null(strchr(r->lines[i].text, '\n'));
		buf_add(&b, r->lines[i].text, r->lines[i].len);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b, NULL);
}

static const struct mime_line *
find_line(const struct mime_render *r, const char *text)
{
	size_t	i;

	for (i = 0; i < r->nlines; i++)
		if (strstr(r->lines[i].text, text) != NULL)
			return &r->lines[i];
	return NULL;
}

/* ---- Tree ---------------------------------------------------------------- */

static void
test_tree_nested(void **state)
{
	struct mime_message	*m;
	const struct mime_part	*root, *p;
	struct buf		 b = BUF_INIT;
	char			*raw;
	const char		*body;
	size_t			 len, blen;

	(void)state;
	raw = load("nested.eml", &len);
	m = mime_message_parse(raw, len, MIME_PARSE_COPY);
	free(raw);
	root = mime_message_root(m);
	assert_true(mime_part_is(root, "multipart", "mixed"));
	assert_string_equal(root->section, "");
	assert_false(root->broken);
	assert_int_equal(root->nchildren, 3);
	/* IMAP BODY[section] numbers. */
	p = mime_tree_find(root, "1");
	assert_true(mime_part_is(p, "multipart", "alternative"));
	p = mime_tree_find(root, "1.1");
	assert_true(mime_part_is(p, "text", "plain"));
	assert_string_equal(mime_part_charset(p), "utf-8");
	assert_int_equal(p->encoding, MIME_ENC_QP);
	assert_true(mime_part_is(mime_tree_find(root, "1.2"), "text",
	    "html"));
	p = mime_tree_find(root, "2");
	assert_true(mime_part_is(p, "application", "pdf"));
	assert_string_equal(p->filename, "Bericht M\xc3\xa4rz.pdf");
	assert_string_equal(p->disposition, "attachment");
	assert_true(mime_part_is_attachment(p));
	mime_part_decode(m, p, &b);
	assert_memory_equal(b.data, "%PDF-1.4", 8);
	buf_reset(&b);
	p = mime_tree_find(root, "3");
	assert_true(mime_part_is(p, "message", "rfc822"));
	assert_non_null(p->child);
	assert_true(mime_part_is(p->child, "multipart", "mixed"));
	assert_string_equal(mime_headers_get(p->child->headers, "subject"),
	    "Alte Nachricht");
	assert_true(mime_part_is(mime_tree_find(root, "3.1"), "text",
	    "plain"));
	p = mime_tree_find(root, "3.2");
	assert_true(mime_part_is(p, "image", "png"));
	/* The name as sent; mime_safe_filename makes it harmless. */
	assert_string_equal(p->filename, "../../.bashrc");
	assert_null(mime_tree_find(root, "4"));
	assert_null(mime_tree_find(root, "3.3"));
	assert_int_equal(mime_message_part_count(m), 9);
	/* BODY[1.1] is the raw body, as IMAP would send it. */
	body = mime_part_raw(m, mime_tree_find(root, "1.1"), &blen);
	assert_memory_equal(body, "Hallo Bob,=20\r\n", 15);
	assert_memory_equal(body + blen - 5, "Alice", 5);
	mime_part_text(m, mime_tree_find(root, "1.1"), NULL, &b);
	assert_non_null(strstr(buf_cstr(&b), "Gr\xc3\xbc\xc3\x9f" "e"));
	buf_free(&b);
	mime_message_free(&m);
	assert_null(m);
}

static void
test_tree_single(void **state)
{
	static const char msg[] = "Subject: x\n\nbody\n";
	struct mime_message	*m;
	const struct mime_part	*root;
	size_t			 len;

	(void)state;
	m = mime_message_parse(msg, sizeof msg - 1, 0);
	root = mime_message_root(m);
	assert_true(mime_part_is(root, "text", "plain"));
	assert_string_equal(root->section, "1");
	assert_int_equal(root->lines, 1);
	assert_int_equal(root->size, 5);
	assert_string_equal(mime_message_raw(m, &len), msg);
	mime_message_free(&m);
	/* Nothing at all still parses. */
	m = mime_message_parse(NULL, 0, 0);
	assert_non_null(mime_message_root(m));
	mime_message_free(&m);
	m = mime_message_parse("", 0, MIME_PARSE_COPY);
	mime_message_free(&m);
}

static void
test_tree_bad_boundary(void **state)
{
	struct mime_message	*m;
	const struct mime_part	*root, *p;
	struct buf		 b = BUF_INIT;
	char			*raw;
	size_t			 len;

	(void)state;
	raw = load("badboundary.eml", &len);
	m = mime_message_parse(raw, len, 0);
	root = mime_message_root(m);
	/* The declared boundary is wrong; the real one is found. */
	assert_true(root->broken);
	assert_true(mime_part_is(root, "multipart", "mixed"));
	assert_int_equal(root->nchildren, 2);
	p = mime_tree_find(root, "1");
	mime_part_text(m, p, NULL, &b);
	assert_string_equal(buf_cstr(&b), "Caf\xc3\xa9 =ZZ ok");
	buf_reset(&b);
	/* base64 with garbage and no closing delimiter. */
	p = mime_tree_find(root, "2");
	mime_part_decode(m, p, &b);
	assert_memory_equal(b.data, "Hello world", 11);
	buf_free(&b);
	mime_message_free(&m);
	free(raw);
}

static void
test_tree_missing_boundary(void **state)
{
	static const char msg[] = "Content-Type: multipart/mixed\n\n"
	    "just text, no parts at all\n";
	static const char msg2[] = "Content-Type: multipart/mixed; "
	    "boundary=b\n\npreamble\n--b\n\nonly part, never closed\n";
	struct mime_message	*m;
	const struct mime_part	*root;
	struct mime_render	*r;

	(void)state;
	m = mime_message_parse(msg, sizeof msg - 1, 0);
	root = mime_message_root(m);
	assert_true(root->broken);
	r = mime_render(m, NULL);
	assert_non_null(find_line(r, "just text"));
	mime_render_free(&r);
	mime_message_free(&m);
	/* A guessed boundary with a NUL in it (fuzzer find). */
	{
		static const char nul[] = "Content-Type: multipart/mixed\n\n"
		    "--ab\0cd\n\nx\n--ab\0cd--\n";
		char *copy = xmemdup(nul, sizeof nul - 1);
		m = mime_message_parse(copy, sizeof nul - 1, 0);
		r = mime_render(m, NULL);
		mime_render_free(&r);
		mime_message_free(&m);
		free(copy);
	}
	m = mime_message_parse(msg2, sizeof msg2 - 1, 0);
	root = mime_message_root(m);
	assert_true(root->broken);
	assert_int_equal(root->nchildren, 1);
	r = mime_render(m, NULL);
	assert_non_null(find_line(r, "only part, never closed"));
	mime_render_free(&r);
	mime_message_free(&m);
}

/* Hostile nesting: the depth cap holds and nothing recurses forever. */
static void
test_tree_depth(void **state)
{
	struct buf		 b = BUF_INIT;
	struct mime_message	*m;
	const struct mime_part	*p;
	struct mime_render	*r;
	int			 i, depth = 0;

	(void)state;
	for (i = 0; i < 500; i++)
		buf_addf(&b, "Content-Type: multipart/mixed; boundary=b%d\n\n"
		    "--b%d\n", i, i);
	buf_adds(&b, "\ndeep\n");
	m = mime_message_parse(b.data, b.len, 0);
	for (p = mime_message_root(m); p->child != NULL; p = p->child)
		depth++;
	assert_true(depth <= MIME_MAX_DEPTH);
	assert_true(mime_message_root(m)->broken);
	r = mime_render(m, NULL);
	mime_render_free(&r);
	mime_message_free(&m);
	/* message/rfc822 in message/rfc822 ... */
	buf_reset(&b);
	for (i = 0; i < 500; i++)
		buf_adds(&b, "Content-Type: message/rfc822\n\n");
	buf_adds(&b, "\nx\n");
	m = mime_message_parse(b.data, b.len, 0);
	depth = 0;
	for (p = mime_message_root(m); p->child != NULL; p = p->child)
		depth++;
	assert_true(depth <= MIME_MAX_DEPTH + 1);
	r = mime_render(m, NULL);
	mime_render_free(&r);
	mime_message_free(&m);
	/* Many parts: the count cap. */
	buf_reset(&b);
	buf_adds(&b, "Content-Type: multipart/mixed; boundary=x\n\n");
	for (i = 0; i < MIME_MAX_PARTS + 100; i++)
		buf_adds(&b, "--x\n\n.\n");
	buf_adds(&b, "--x--\n");
	m = mime_message_parse(b.data, b.len, 0);
	assert_true(mime_message_part_count(m) <= MIME_MAX_PARTS);
	assert_true(mime_message_root(m)->broken);
	mime_message_free(&m);
	buf_free(&b);
}

static void
test_tree_digest_and_uuencode(void **state)
{
	static const char msg[] =
	    "Content-Type: multipart/digest; boundary=d\n\n"
	    "--d\n\nSubject: first\n\none\n"
	    "--d\n\nSubject: second\n\ntwo\n"
	    "--d--\n";
	static const char uu[] =
	    "Content-Type: application/octet-stream; name=a.txt\n"
	    "Content-Transfer-Encoding: x-uuencode\n\n"
	    "begin 644 a.txt\n"
	    "#0V%T\n"
	    "`\n"
	    "end\n";
	struct mime_message	*m;
	const struct mime_part	*p;
	struct buf		 b = BUF_INIT;

	(void)state;
	m = mime_message_parse(msg, sizeof msg - 1, 0);
	p = mime_tree_find(mime_message_root(m), "2");
	assert_true(mime_part_is(p, "message", "rfc822"));
	assert_string_equal(mime_headers_get(p->child->headers, "subject"),
	    "second");
	assert_string_equal(p->child->section, "2.1");
	mime_message_free(&m);
	m = mime_message_parse(uu, sizeof uu - 1, 0);
	mime_part_decode(m, mime_message_root(m), &b);
	assert_string_equal(buf_cstr(&b), "Cat");
	buf_free(&b);
	mime_message_free(&m);
}

static void
test_tree_by_hand(void **state)
{
	struct mime_part	*root, *alt, *msg, *inner;
	struct mime_attachment	*atts;
	size_t			 n;

	(void)state;
	/* What an IMAP BODYSTRUCTURE reader builds. */
	root = mime_part_new("multipart", "mixed");
	alt = mime_part_new("multipart", "alternative");
	mime_part_add_child(alt, mime_part_new("text", "plain"));
	mime_part_add_child(alt, mime_part_new("text", "html"));
	mime_part_add_child(root, alt);
	msg = mime_part_new("message", "rfc822");
	inner = mime_part_new("text", "plain");
	mime_part_add_child(msg, inner);
	mime_part_add_child(root, msg);
	mime_part_add_child(root, mime_part_new("image", "jpeg"));
	mime_tree_number(root);
	assert_string_equal(root->section, "");
	assert_string_equal(alt->section, "1");
	assert_string_equal(alt->child->next->section, "1.2");
	assert_string_equal(msg->section, "2");
	assert_string_equal(inner->section, "2.1");
	assert_string_equal(root->child->next->next->section, "3");
	assert_int_equal(inner->depth, 2);
	mime_attachments(root, &atts, &n);
	assert_int_equal(n, 1);
	assert_string_equal(atts[0].type, "image/jpeg");
	assert_string_equal(atts[0].name, "");
	mime_attachments_free(&atts, n);
	assert_null(atts);
	assert_string_equal(mime_encoding_name(MIME_ENC_BASE64), "base64");
	assert_int_equal(mime_encoding_parse(" Base64 "), MIME_ENC_BASE64);
	assert_int_equal(mime_encoding_parse("x-weird"), MIME_ENC_OTHER);
	assert_int_equal(mime_encoding_parse(NULL), MIME_ENC_7BIT);
	mime_part_free(&root);
	assert_null(root);
}

/* ---- Rendering ----------------------------------------------------------- */

static void
test_render_nested(void **state)
{
	struct mime_message	*m;
	struct mime_render	*r;
	const struct mime_line	*l;
	char			*raw, *text;
	size_t			 len;

	(void)state;
	raw = load("nested.eml", &len);
	m = mime_message_parse(raw, len, 0);
	r = mime_render(m, NULL);
	text = render_text(r);
	/* Headers decoded. */
	l = find_line(r, "Subject: Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln");
	assert_non_null(l);
	assert_int_equal(l->kind, MIME_LINE_HEADER);
	assert_non_null(strstr(text, "From: Alice M\xc3\xbcller "
	    "<alice@example.org>"));
	assert_non_null(strstr(text, "To: \"Bob, Jr.\" <bob@example.net>, "
	    "carol@example.net"));
	/* Flowed paragraph joined; plain part chosen over HTML. */
	assert_non_null(strstr(text, "Er ist ziemlich lang, also nimm dir "
	    "Zeit."));
	assert_null(strstr(text, "<b>"));
	l = find_line(r, "Hast du den Bericht?");
	assert_int_equal(l->kind, MIME_LINE_QUOTE);
	assert_int_equal(l->quote, 1);
	l = find_line(r, "Ja, bitte.");
	assert_int_equal(l->quote, 2);
	l = find_line(r, "Alice");
	assert_non_null(l);
	/* The forwarded message, its headers and text. */
	assert_non_null(strstr(text, "Alte Nachricht"));
	assert_non_null(strstr(text, "Inner text."));
	/* Attachments listed. */
	assert_int_equal(r->natts, 2);
	assert_string_equal(r->atts[0].type, "application/pdf");
	assert_string_equal(r->atts[0].name, "Bericht M\xc3\xa4rz.pdf");
	assert_string_equal(r->atts[1].name, "../../.bashrc");
	l = find_line(r, "Bericht M\xc3\xa4rz.pdf");
	assert_int_equal(l->kind, MIME_LINE_ATTACHMENT);
	assert_ptr_equal(l->part, r->atts[0].part);
	free(text);
	mime_render_free(&r);
	assert_null(r);
	mime_message_free(&m);
	free(raw);
}

static void
test_render_prefer_html(void **state)
{
	struct mime_message	*m;
	struct mime_render	*r;
	struct mime_render_opts	 o;
	char			*raw, *text;
	size_t			 len;

	(void)state;
	memset(&o, 0, sizeof o);
	o.prefer = "text/html";
	o.no_headers = true;
	raw = load("nested.eml", &len);
	m = mime_message_parse(raw, len, 0);
	r = mime_render(m, &o);
	text = render_text(r);
	assert_non_null(strstr(text, "Bericht"));
	assert_null(strstr(text, "Viele Gr"));
	/* Only the forwarded message's headers are shown. */
	assert_null(strstr(text, "Subject: Gr"));
	assert_non_null(strstr(text, "Subject: Alte Nachricht"));
	free(text);
	mime_render_free(&r);
	mime_message_free(&m);
	free(raw);
}

static void
test_render_html_only(void **state)
{
	struct mime_message	*m;
	struct mime_render	*r;
	char			*raw, *text;
	size_t			 len;

	(void)state;
	raw = load("htmlonly.eml", &len);
	m = mime_message_parse(raw, len, 0);
	r = mime_render(m, NULL);
	text = render_text(r);
	assert_non_null(strstr(text, "Big Sale"));
	assert_non_null(strstr(text, "Prices & more \xe2\x82\xac" "5 "
	    "\xe2\x80\x94"));
	assert_non_null(strstr(text, "https://example.com/x"));
	assert_non_null(strstr(text, "one"));
	assert_null(strstr(text, "alert"));
	assert_null(strstr(text, "color:red"));
	assert_null(strstr(text, "<p>"));
	assert_int_equal(r->natts, 0);
	free(text);
	mime_render_free(&r);
	mime_message_free(&m);
	free(raw);
}

static void
test_render_html_command(void **state)
{
	static const char msg[] = "Content-Type: text/html; charset=utf-8\n\n"
	    "<p>caf\xc3\xa9</p>\n";
	struct mime_message	*m;
	struct mime_render	*r;
	struct mime_render_opts	 o;
	char			*text, *flag;
	char			 dir[] = "/tmp/test-mime-XXXXXX";

	(void)state;
	memset(&o, 0, sizeof o);
	o.no_headers = true;
	m = mime_message_parse(msg, sizeof msg - 1, 0);
	/* The converter reads the file named in place of %s. */
	o.html_command = "sed -e s/caf/CAF/ %s";
	r = mime_render(m, &o);
	text = render_text(r);
	assert_non_null(strstr(text, "<p>CAF\xc3\xa9</p>"));
	free(text);
	mime_render_free(&r);
	/* Or its standard input. */
	o.html_command = "tr a-z A-Z";
	r = mime_render(m, &o);
	text = render_text(r);
	assert_non_null(strstr(text, "<P>CAF"));
	free(text);
	mime_render_free(&r);
	/* No shell: metacharacters are plain arguments. */
	assert_non_null(mkdtemp(dir));
	flag = xasprintf("cat %%s ; touch %s/pwned", dir);
	o.html_command = flag;
	r = mime_render(m, &o);
	text = render_text(r);
	/* cat fails on ";" so the built-in converter takes over. */
	assert_non_null(strstr(text, "caf\xc3\xa9"));
	assert_null(strstr(text, "<p>"));
	free(flag);
	flag = xasprintf("%s/pwned", dir);
	assert_int_equal(access(flag, F_OK), -1);
	free(text);
	mime_render_free(&r);
	/* A missing program, a failing one and a slow one fall back. */
	o.html_command = "/nonexistent/converter %s";
	r = mime_render(m, &o);
	assert_non_null(find_line(r, "caf\xc3\xa9"));
	mime_render_free(&r);
	o.html_command = "false";
	r = mime_render(m, &o);
	assert_non_null(find_line(r, "caf\xc3\xa9"));
	mime_render_free(&r);
	o.html_command = "sleep 5";
	o.html_timeout_ms = 200;
	r = mime_render(m, &o);
	assert_non_null(find_line(r, "caf\xc3\xa9"));
	mime_render_free(&r);
	o.html_command = "'unterminated";
	r = mime_render(m, &o);
	assert_non_null(find_line(r, "caf\xc3\xa9"));
	mime_render_free(&r);
	rmdir(dir);
	free(flag);
	mime_message_free(&m);
}

static void
test_render_undeclared(void **state)
{
	struct mime_message	*m;
	struct mime_render	*r;
	char			*raw, *text;
	size_t			 len;

	(void)state;
	raw = load("undeclared.eml", &len);
	m = mime_message_parse(raw, len, 0);
	r = mime_render(m, NULL);
	text = render_text(r);
	assert_non_null(strstr(text, "From: J\xc3\xb6rg <jorg@example.de>"));
	assert_non_null(strstr(text, "To: caf\xc3\xa9 <cafe@example.fr>"));
	/* Latin-1 body without a charset; escapes never reach the screen. */
	assert_non_null(strstr(text, "\xc3\xa9t\xc3\xa9"));
	assert_non_null(strstr(text, "red"));
	free(text);
	mime_render_free(&r);
	/* A configured legacy charset. */
	{
		struct mime_render_opts o;
		memset(&o, 0, sizeof o);
		o.fallback_charset = "iso-8859-15";
		o.all_headers = true;
		r = mime_render(m, &o);
		text = render_text(r);
		assert_non_null(strstr(text, "Gr\xc3\xbc\xc3\x9f" "e"));
		assert_non_null(strstr(text, "Content-Type: text/plain"));
		free(text);
		mime_render_free(&r);
	}
	mime_message_free(&m);
	free(raw);
}

static void
test_render_wrap_and_signature(void **state)
{
	struct buf		 b = BUF_INIT;
	struct mime_message	*m;
	struct mime_render	*r;
	struct mime_render_opts	 o;
	size_t			 i;
	const struct mime_line	*l;

	(void)state;
	buf_adds(&b, "Content-Type: text/plain; format=flowed; charset=utf-8"
	    "\n\n");
	for (i = 0; i < 40; i++)
		buf_adds(&b, "word\xc3\xa9 ");
	buf_adds(&b, "\n> > quoted line\n>> deeper \n>> joined\n\n-- \nsig\n");
	buf_adds(&b, "\tTab\n");
	memset(&o, 0, sizeof o);
	o.width = 40;
	o.no_headers = true;
	m = mime_message_parse(b.data, b.len, 0);
	r = mime_render(m, &o);
	for (i = 0; i < r->nlines; i++)
		assert_true(utf8_width(r->lines[i].text, r->lines[i].len) <=
		    40);
	l = find_line(r, "deeper joined");
	assert_non_null(l);
	assert_int_equal(l->quote, 2);
	l = find_line(r, "quoted line");
	assert_int_equal(l->quote, 2);
	l = find_line(r, "sig");
	assert_int_equal(l->kind, MIME_LINE_SIGNATURE);
	l = find_line(r, "Tab");
	assert_int_equal(l->kind, MIME_LINE_SIGNATURE);
	assert_memory_equal(l->text, "        Tab", 11);
	mime_render_free(&r);
	mime_message_free(&m);
	buf_free(&b);
}

static void
test_flowed_decode(void **state)
{
	struct buf	b = BUF_INIT;
	static const char in[] = "one \r\ntwo \r\nthree\r\n> q1 \r\n> q2\r\n"
	    " stuffed\r\n-- \r\nsig\r\n";

	(void)state;
	mime_flowed_decode(&b, in, sizeof in - 1, false);
	assert_string_equal(buf_cstr(&b), "one two three\n> q1 q2\nstuffed\n"
	    "-- \nsig\n");
	buf_reset(&b);
	mime_flowed_decode(&b, "ab \ncd\n", 7, true);
	assert_string_equal(buf_cstr(&b), "abcd\n");
	buf_free(&b);
}

static void
test_html_to_text(void **state)
{
	static const char html[] =
	    "<!DOCTYPE html><html><head><title>T</title></head><body>"
	    "<p>First&nbsp;para with <i>style</i>.</p>"
	    "<blockquote><p>quoted</p></blockquote>"
	    "<pre>  keep   spaces\n  here</pre>"
	    "<ol><li>a</li><li>b</li></ol>"
	    "<a href=\"http://x.test/\">http://x.test/</a>"
	    "<p>&lt;&gt;&amp;&quot;&#x41;&#66;&bogus;&#xFFFFFFFF;</p>"
	    "<!-- <p>hidden</p> -->"
	    "<table><tr><td>c1</td><td>c2</td></tr></table><br><br/>end"
	    "<p unclosed";
	struct buf	b = BUF_INIT;
	const char	*s;

	(void)state;
	mime_html_to_text(&b, html, sizeof html - 1, 60);
	s = buf_cstr(&b);
	assert_true(utf8_valid(s, b.len));
	assert_non_null(strstr(s, "First para with style."));
	assert_non_null(strstr(s, "> quoted"));
	assert_non_null(strstr(s, "  keep   spaces\n  here"));
	assert_non_null(strstr(s, "1. a"));
	assert_non_null(strstr(s, "<>&\"AB&bogus;"));
	assert_null(strstr(s, "hidden"));
	assert_non_null(strstr(s, "c1"));
	assert_non_null(strstr(s, "end"));
	assert_null(strstr(s, "<p"));
	buf_free(&b);
}

/* ---- Saving -------------------------------------------------------------- */

static void
test_safe_filename(void **state)
{
	static const char *const cases[][2] = {
		{ "report.pdf", "report.pdf" },
		{ "../../.bashrc", ".bashrc" },
		{ "/etc/passwd", "passwd" },
		{ "C:\\Users\\x\\evil.exe", "evil.exe" },
		{ "..", "attachment" },
		{ ".", "attachment" },
		{ "", "attachment" },
		{ "dir/", "attachment" },
		{ "...hidden", ".hidden" },
		{ "a\x1b[2Jb.txt", "ab.txt" },
		{ "new\nline.txt", "new line.txt" },
		{ "r\xc3\xa9sum\xc3\xa9.pdf", "r\xc3\xa9sum\xc3\xa9.pdf" },
		{ "trailing. . ", "trailing" },
	};
	struct buf	b = BUF_INIT;
	size_t		i;
	char		*s;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = mime_safe_filename(cases[i][0]);
		if (strcmp(s, cases[i][1]) != 0)
			fprintf(stderr, "'%s' -> '%s'\n", cases[i][0], s);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
	s = mime_safe_filename(NULL);
	assert_string_equal(s, "attachment");
	free(s);
	/* Long names keep their extension and stay valid UTF-8. */
	for (i = 0; i < 300; i++)
		buf_adds(&b, "\xc3\xa9");
	buf_adds(&b, ".pdf");
	s = mime_safe_filename(b.data);
	assert_true(strlen(s) <= 200);
	assert_true(utf8_valid(s, strlen(s)));
	assert_non_null(strstr(s, ".pdf"));
	assert_int_equal(strlen(strstr(s, ".pdf")), 4);
	free(s);
	buf_free(&b);
}

static void
test_part_save(void **state)
{
	struct mime_message	*m;
	const struct mime_part	*p;
	struct err		 e;
	struct stat		 st;
	char			 dir[] = "/tmp/test-mime-XXXXXX";
	char			*raw, *path, *bashrc;
	size_t			 len;
	int			 fd;
	char			 got[16];

	(void)state;
	raw = load("nested.eml", &len);
	m = mime_message_parse(raw, len, 0);
	assert_non_null(mkdtemp(dir));
	p = mime_tree_find(mime_message_root(m), "3.2");
	err_clear(&e);
	assert_int_equal(mime_part_save(m, p, dir, NULL, &path, &e), 0);
	bashrc = xasprintf("%s/.bashrc", dir);
	assert_string_equal(path, bashrc);
	free(bashrc);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 8);
	fd = open(path, O_RDONLY);
	assert_int_equal(read(fd, got, sizeof got), 8);
	close(fd);
	assert_memory_equal(got, "\x89PNG\r\n\x1a\n", 8);
	/* Never overwrite. */
	assert_int_equal(mime_part_save(m, p, dir, NULL, NULL, &e), -1);
	assert_int_equal(e.code, ERR_EXISTS);
	assert_non_null(strstr(e.msg, ".bashrc"));
	/* Nor follow a planted symlink. */
	assert_int_equal(symlink("/tmp/test-mime-target", bashrc = xasprintf(
	    "%s/x.png", dir)) == 0, 1);
	assert_int_equal(mime_part_save(m, p, dir, "x.png", NULL, &e), -1);
	assert_int_equal(access("/tmp/test-mime-target", F_OK), -1);
	unlink(bashrc);
	free(bashrc);
	/* An explicit name is made safe too. */
	assert_int_equal(mime_part_save(m, p, dir, "../up.png", &bashrc, &e),
	    0);
	assert_non_null(strstr(bashrc, "/up.png"));
	assert_null(strstr(bashrc, ".."));
	unlink(bashrc);
	free(bashrc);
	/* A directory that is not there. */
	assert_int_equal(mime_part_save(m, p, "/nonexistent/dir", NULL, NULL,
	    &e), -1);
	assert_int_equal(e.code, ERR_IO);
	unlink(path);
	free(path);
	assert_int_equal(rmdir(dir), 0);
	mime_message_free(&m);
	free(raw);
}

/*
 * The message cut after every byte, as a partial download leaves it,
 * then grown a byte at a time: every prefix parses, renders to clean
 * lines, and the part tree never points outside the bytes.
 */
static int
check_bounds(const struct mime_part *p, void *arg)
{
	size_t	len = *(const size_t *)arg;

	if (p->has_body) {
		assert_true(p->body_off <= len);
		assert_true(p->body_len <= len - p->body_off);
	}
	return 0;
}

static void
test_every_prefix(void **state)
{
	static const char *const files[] = {
		"nested.eml", "badboundary.eml", "htmlonly.eml",
		"undeclared.eml",
	};
	struct mime_message	*m;
	struct mime_render	*r;
	char			*raw, *copy, *text;
	size_t			 len, n, f;

	(void)state;
	for (f = 0; f < sizeof files / sizeof files[0]; f++) {
		raw = load(files[f], &len);
		for (n = 0; n <= len; n++) {
			/* An exact-size copy, so ASan sees any overread. */
			copy = xmalloc(n > 0 ? n : 1);
			memcpy(copy, raw, n);
			m = mime_message_parse(copy, n, 0);
			mime_tree_walk(mime_message_root(m), check_bounds, &n);
			r = mime_render(m, NULL);
			text = render_text(r);
			free(text);
			mime_render_free(&r);
			mime_message_free(&m);
			free(copy);
		}
		free(raw);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_nested),
		cmocka_unit_test(test_tree_single),
		cmocka_unit_test(test_tree_bad_boundary),
		cmocka_unit_test(test_tree_missing_boundary),
		cmocka_unit_test(test_tree_depth),
		cmocka_unit_test(test_tree_digest_and_uuencode),
		cmocka_unit_test(test_tree_by_hand),
		cmocka_unit_test(test_render_nested),
		cmocka_unit_test(test_render_prefer_html),
		cmocka_unit_test(test_render_html_only),
		cmocka_unit_test(test_render_html_command),
		cmocka_unit_test(test_render_undeclared),
		cmocka_unit_test(test_render_wrap_and_signature),
		cmocka_unit_test(test_flowed_decode),
		cmocka_unit_test(test_html_to_text),
		cmocka_unit_test(test_safe_filename),
		cmocka_unit_test(test_part_save),
		cmocka_unit_test(test_every_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
