/*
 * Unit tests for building outgoing mail (parsed back to check the round
 * trip), reply and forward preparation, and JWZ threading.
 */
#include "config.h"

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Every line CRLF-terminated, ASCII unless 8-bit is allowed, <= 998. */
static void
check_wire(const struct buf *b, bool allow_8bit)
{
	size_t	i, col = 0;

	assert_true(b->len >= 2);
	assert_memory_equal(b->data + b->len - 2, "\r\n", 2);
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if (!allow_8bit)
			assert_true(c < 0x80);
		assert_true(c != 0);
		if (c == '\n') {
			assert_true(i > 0 && b->data[i - 1] == '\r');
			col = 0;
		} else if (c == '\r')
			assert_true(i + 1 < b->len && b->data[i + 1] == '\n');
		else
			assert_true(++col <= 998);
	}
}

/* Header lines (up to the empty line) fit in 78 columns. */
static void
check_header_width(const struct buf *b)
{
	const char	*p = b->data, *nl;

	while ((nl = strstr(p, "\r\n")) != NULL && nl != p) {
		if ((size_t)(nl - p) > 78)
			fprintf(stderr, "long: %.*s\n", (int)(nl - p), p);
		assert_true((size_t)(nl - p) <= 78);
		p = nl + 2;
	}
}

static void
test_compose_simple(void **state)
{
	struct mime_compose	 c;
	struct buf		 out = BUF_INIT, txt = BUF_INIT;
	struct err		 e;
	struct mime_message	*m;
	struct mime_envelope	 env;
	char			*id;

	(void)state;
	memset(&c, 0, sizeof c);
	c.from = "J\xc3\xb6rg M\xc3\xbcller <jorg@example.de>";
	c.to = "\"Doe, John\" <jd@example.com>, plain@example.com";
	c.cc = "=?utf-8?q?not_decoded?= <x@example.com>";
	c.bcc = "hidden@example.com";
	c.subject = "Gr\xc3\xbc\xc3\x9f" "e \xe2\x80\x94 a subject long enough "
	    "that it has to be folded over more than one line, really";
	c.body = "Hallo,\n\nein Text mit Umlauten: \xc3\xa4\xc3\xb6\xc3\xbc.\n"
	    "From the start.\n";
	c.date = 1704067200;
	c.tzoff = 60;
	c.in_reply_to = "<p@example.com>";
	c.references = "<r@example.com> <p@example.com>";
	c.user_agent = "surat/0.1";
	{
		static const char *const extra[] = { "X-Test: yes",
		    "Bad\r\nInjected: 1", "No colon", NULL };
		c.extra_headers = extra;
	}
	err_clear(&e);
	assert_int_equal(mime_compose_build(&c, &out, &id, &e), 0);
	check_wire(&out, false);
	check_header_width(&out);
	assert_non_null(strstr(out.data, "Date: Mon, 01 Jan 2024 01:00:00 "
	    "+0100\r\n"));
	assert_non_null(strstr(out.data, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(out.data, "Content-Transfer-Encoding: "
	    "quoted-printable"));
	assert_non_null(strstr(out.data, "\r\nX-Test: yes\r\n"));
	assert_null(strstr(out.data, "Injected"));
	assert_null(strstr(out.data, "Bcc"));
	assert_null(strstr(out.data, "hidden"));
	/* Message-ID from the From domain. */
	assert_non_null(strstr(id, "@example.de"));
	assert_null(strchr(id, '<'));
	/* Parse it back: the same content. */
	m = mime_message_parse(out.data, out.len, 0);
	mime_envelope_from_headers(&env, mime_message_headers(m), 0, NULL);
	assert_string_equal(env.subject, c.subject);
	assert_string_equal(env.from.v[0].name, "J\xc3\xb6rg M\xc3\xbcller");
	assert_string_equal(env.from.v[0].addr, "jorg@example.de");
	assert_int_equal(env.to.n, 2);
	assert_string_equal(env.to.v[0].name, "Doe, John");
	assert_int_equal(env.cc.n, 1);
	assert_string_equal(env.message_id, id);
	assert_int_equal(env.references.n, 2);
	assert_string_equal(env.in_reply_to.v[0], "p@example.com");
	assert_int_equal(env.date, 1704067200);
	mime_part_text(m, mime_message_root(m), NULL, &txt);
	assert_string_equal(buf_cstr(&txt), c.body);
	mime_envelope_free(&env);
	mime_message_free(&m);
	free(id);
	buf_free(&txt);

	/* The sent-folder copy keeps Bcc; 8BITMIME servers get 8bit. */
	buf_reset(&out);
	c.keep_bcc = true;
	c.allow_8bit = true;
	c.message_id = "<fixed@here>";
	assert_int_equal(mime_compose_build(&c, &out, &id, &e), 0);
	check_wire(&out, true);
	assert_string_equal(id, "fixed@here");
	assert_non_null(strstr(out.data, "\r\nBcc: hidden@example.com\r\n"));
	assert_non_null(strstr(out.data, "Content-Transfer-Encoding: 8bit"));
	assert_non_null(strstr(out.data, "charset=utf-8"));
	assert_non_null(strstr(out.data, "Umlauten: \xc3\xa4"));
	free(id);
	buf_free(&out);
}

static void
test_compose_ascii_and_errors(void **state)
{
	struct mime_compose	c;
	struct buf		out = BUF_INIT;
	struct err		e;
	struct mime_compose_att	att;

	(void)state;
	memset(&c, 0, sizeof c);
	c.from = "a@b.example";
	c.body = "plain";
	assert_int_equal(mime_compose_build(&c, &out, NULL, &e), 0);
	check_wire(&out, false);
	assert_non_null(strstr(out.data, "charset=us-ascii"));
	assert_non_null(strstr(out.data, "Content-Transfer-Encoding: 7bit"));
	assert_non_null(strstr(out.data, "\r\n\r\nplain\r\n"));
	assert_non_null(strstr(out.data, "\r\nSubject: \r\n"));
	/* No From, an empty From, a missing file: nothing is appended. */
	buf_reset(&out);
	c.from = NULL;
	assert_int_equal(mime_compose_build(&c, &out, NULL, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	c.from = "  ";
	assert_int_equal(mime_compose_build(&c, &out, NULL, &e), -1);
	c.from = "a@b.example";
	memset(&att, 0, sizeof att);
	att.path = "/nonexistent/file.pdf";
	c.atts = &att;
	c.natts = 1;
	assert_int_equal(mime_compose_build(&c, &out, NULL, &e), -1);
	assert_int_equal(e.code, ERR_IO);
	assert_non_null(strstr(e.msg, "/nonexistent/file.pdf"));
	assert_int_equal(out.len, 0);
	/* A very long line goes out quoted-printable even with 8BITMIME. */
	c.natts = 0;
	{
		struct buf body = BUF_INIT;
		int i;
		for (i = 0; i < 1200; i++)
			buf_addc(&body, 'x');
		c.body = body.data;
		c.allow_8bit = true;
		assert_int_equal(mime_compose_build(&c, &out, NULL, &e), 0);
		check_wire(&out, false);
		assert_non_null(strstr(out.data, "quoted-printable"));
		buf_free(&body);
	}
	buf_free(&out);
}

static void
test_compose_attachments(void **state)
{
	struct mime_compose	 c;
	struct mime_compose_att	 att[3];
	struct buf		 out = BUF_INIT, dec = BUF_INIT;
	struct err		 e;
	struct mime_message	*m;
	const struct mime_part	*root, *p;
	char			 path[] = "/tmp/test-mime-att-XXXXXX";
	static const char	 fwd[] = "From: orig@example.com\r\nSubject: "
	    "the original\r\n\r\nOriginal body.\r\n";
	unsigned char		 bin[300];
	size_t			 i;
	int			 fd;

	(void)state;
	for (i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)i;
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "file text\n", 10), 10);
	close(fd);
	memset(att, 0, sizeof att);
	att[0].data = bin;
	att[0].len = sizeof bin;
	att[0].name = "r\xc3\xa9sum\xc3\xa9 de l'ann\xc3\xa9" "e 2024 avec un "
	    "nom vraiment tr\xc3\xa8s long.pdf";
	att[1].path = path;
	att[1].name = "notes.txt";
	att[2].data = "x";
	att[2].len = 1;
	att[2].name = "../../etc/passwd";
	att[2].type = "application/x-custom";
	att[2].inline_ = true;
	memset(&c, 0, sizeof c);
	c.from = "Me <me@example.org>";
	c.to = "you@example.org";
	c.subject = "files";
	c.body = "see attached\n";
	c.atts = att;
	c.natts = 3;
	c.forward_raw = fwd;
	c.forward_len = sizeof fwd - 1;
	assert_int_equal(mime_compose_build(&c, &out, NULL, &e), 0);
	unlink(path);
	check_wire(&out, false);
	check_header_width(&out);
	m = mime_message_parse(out.data, out.len, 0);
	root = mime_message_root(m);
	assert_true(mime_part_is(root, "multipart", "mixed"));
	assert_false(root->broken);
	assert_int_equal(root->nchildren, 5);
	p = mime_tree_find(root, "1");
	assert_true(mime_part_is(p, "text", "plain"));
	mime_part_text(m, p, NULL, &dec);
	assert_string_equal(buf_cstr(&dec), "see attached\r\n");
	buf_reset(&dec);
	p = mime_tree_find(root, "2");
	assert_true(mime_part_is(p, "application", "pdf"));
	assert_string_equal(p->filename, att[0].name);
	assert_string_equal(p->disposition, "attachment");
	mime_part_decode(m, p, &dec);
	assert_int_equal(dec.len, sizeof bin);
	assert_memory_equal(dec.data, bin, sizeof bin);
	buf_reset(&dec);
	p = mime_tree_find(root, "3");
	assert_true(mime_part_is(p, "text", "plain"));
	assert_string_equal(p->filename, "notes.txt");
	mime_part_decode(m, p, &dec);
	assert_string_equal(buf_cstr(&dec), "file text\r\n");
	buf_reset(&dec);
	p = mime_tree_find(root, "4");
	assert_true(mime_part_is(p, "application", "x-custom"));
	assert_string_equal(p->disposition, "inline");
	p = mime_tree_find(root, "5");
	assert_true(mime_part_is(p, "message", "rfc822"));
	assert_non_null(p->child);
	assert_string_equal(mime_headers_get(p->child->headers, "subject"),
	    "the original");
	mime_part_decode(m, p, &dec);
	assert_string_equal(buf_cstr(&dec), fwd);
	buf_free(&dec);
	mime_message_free(&m);
	buf_free(&out);
}

static void
test_compose_flowed(void **state)
{
	struct mime_compose	 c;
	struct buf		 out = BUF_INIT;
	struct err		 e;
	struct mime_message	*m;
	struct mime_render	*r;
	struct mime_render_opts	 o;
	size_t			 i;
	bool			 found = false;
	static const char	 body[] = "A paragraph that is much longer than "
	    "seventy-two characters and so must be broken into flowed lines "
	    "by the composer.   \n> quoted reply line\n From here\n-- \nme\n";

	(void)state;
	memset(&c, 0, sizeof c);
	c.from = "a@b.example";
	c.body = body;
	c.flowed = true;
	assert_int_equal(mime_compose_build(&c, &out, NULL, &e), 0);
	check_wire(&out, false);
	assert_non_null(strstr(out.data, "format=flowed"));
	assert_non_null(strstr(out.data, "\r\n  From here\r\n"));
	m = mime_message_parse(out.data, out.len, 0);
	memset(&o, 0, sizeof o);
	o.no_headers = true;
	o.width = 200;
	r = mime_render(m, &o);
	for (i = 0; i < r->nlines; i++)
		if (strcmp(r->lines[i].text, "A paragraph that is much longer "
		    "than seventy-two characters and so must be broken into "
		    "flowed lines by the composer.") == 0)
			found = true;
	assert_true(found);
	mime_render_free(&r);
	mime_message_free(&m);
	buf_free(&out);
}

static void
test_misc_compose(void **state)
{
	char	*a, *b;

	(void)state;
	assert_string_equal(mime_type_by_name("a.PDF"), "application/pdf");
	assert_string_equal(mime_type_by_name("x.tar.gz"), "application/gzip");
	assert_string_equal(mime_type_by_name("noext"),
	    "application/octet-stream");
	assert_string_equal(mime_type_by_name("dir.d/file"),
	    "application/octet-stream");
	assert_string_equal(mime_type_by_name(NULL),
	    "application/octet-stream");
	a = mime_msgid_generate("example.org");
	b = mime_msgid_generate("example.org");
	assert_string_not_equal(a, b);
	assert_non_null(strstr(a, "@example.org"));
	free(a);
	free(b);
	a = mime_msgid_generate("bad domain>\r\n");
	assert_null(strpbrk(a, " >\r\n"));
	free(a);
	a = mime_msgid_generate(NULL);
	assert_non_null(strstr(a, "@localhost"));
	free(a);
}

/* ---- Reply and forward --------------------------------------------------- */

static const char orig[] =
    "From: =?utf-8?q?Ren=C3=A9e?= <renee@example.com>\r\n"
    "Reply-To: team@example.com\r\n"
    "To: me@example.org, Other <other@example.net>\r\n"
    "Cc: ME@EXAMPLE.ORG, third@example.net, other@example.net\r\n"
    "Subject: Plans\r\n"
    "Date: Tue, 14 Mar 2023 09:12:40 +0100\r\n"
    "Message-ID: <orig@example.com>\r\n"
    "References: <root@example.com> <mid@example.com>\r\n"
    "List-Post: <mailto:list@lists.example.com>\r\n"
    "\r\n"
    "Line one.\r\n"
    "> earlier quote\r\n"
    "\r\n"
    "-- \r\n"
    "signature\r\n";

static void
test_reply(void **state)
{
	static const char *const me[] = { "me@example.org", NULL };
	struct mime_message	*m;
	struct mime_reply	 r;

	(void)state;
	m = mime_message_parse(orig, sizeof orig - 1, 0);
	mime_reply_prepare(m, 0, me, NULL, &r);
	assert_string_equal(r.to, "team@example.com");
	assert_string_equal(r.cc, "");
	assert_string_equal(r.subject, "Re: Plans");
	assert_string_equal(r.in_reply_to, "<orig@example.com>");
	assert_string_equal(r.references, "<root@example.com> "
	    "<mid@example.com> <orig@example.com>");
	assert_non_null(strstr(r.body, "On Tue, 14 Mar 2023 09:12:40 +0100, "
	    "Ren\xc3\xa9" "e wrote:\n"));
	assert_non_null(strstr(r.body, "\n> Line one.\n>> earlier quote\n"));
	assert_null(strstr(r.body, "signature"));
	mime_reply_free(&r);
	assert_null(r.to);
	/* Reply-all: everyone but me, once each. */
	mime_reply_prepare(m, MIME_REPLY_ALL, me, NULL, &r);
	assert_string_equal(r.to, "team@example.com");
	assert_string_equal(r.cc, "Other <other@example.net>, "
	    "third@example.net");
	mime_reply_free(&r);
	/* To the list. */
	mime_reply_prepare(m, MIME_REPLY_LIST, me, NULL, &r);
	assert_string_equal(r.to, "list@lists.example.com");
	mime_reply_free(&r);
	mime_message_free(&m);
	/* Replying to a "Re:" and to our own message. */
	{
		static const char own[] = "From: me@example.org\r\n"
		    "To: friend@example.net\r\nSubject: RE: old\r\n\r\nhi\r\n";
		m = mime_message_parse(own, sizeof own - 1, 0);
		mime_reply_prepare(m, MIME_REPLY_ALL, me, NULL, &r);
		assert_string_equal(r.to, "friend@example.net");
		assert_string_equal(r.cc, "");
		assert_string_equal(r.subject, "RE: old");
		assert_null(r.in_reply_to);
		assert_non_null(strstr(r.body, "me@example.org wrote:\n> hi"));
		mime_reply_free(&r);
		mime_message_free(&m);
	}
}

static void
test_forward(void **state)
{
	struct mime_message	*m;
	struct mime_reply	 r;
	struct mime_compose	 c;
	struct buf		 out = BUF_INIT;
	struct err		 e;

	(void)state;
	m = mime_message_parse(orig, sizeof orig - 1, 0);
	mime_forward_prepare(m, true, NULL, &r);
	assert_string_equal(r.subject, "Fwd: Plans");
	assert_string_equal(r.to, "");
	assert_non_null(strstr(r.body, "Forwarded message"));
	assert_non_null(strstr(r.body, "From: Ren\xc3\xa9" "e "
	    "<renee@example.com>"));
	assert_non_null(strstr(r.body, "Subject: Plans"));
	assert_non_null(strstr(r.body, "Line one."));
	mime_reply_free(&r);
	mime_forward_prepare(m, false, NULL, &r);
	assert_string_equal(r.body, "");
	/* As an attachment: the raw message as message/rfc822. */
	memset(&c, 0, sizeof c);
	c.from = "me@example.org";
	c.subject = r.subject;
	c.body = r.body;
	c.forward_raw = mime_message_raw(m, &c.forward_len);
	assert_int_equal(mime_compose_build(&c, &out, NULL, &e), 0);
	assert_non_null(strstr(out.data, "Content-Type: message/rfc822"));
	assert_non_null(strstr(out.data, "\r\nMessage-ID: <orig@example.com>"
	    "\r\n"));
	mime_reply_free(&r);
	mime_message_free(&m);
	buf_free(&out);
}

/* ---- Threading ----------------------------------------------------------- */

static void
test_subject_base(void **state)
{
	static const char *const cases[][2] = {
		{ "Re: hello", "hello" },
		{ "RE: Re: Fwd: hello", "hello" },
		{ "Re[2]: hello", "hello" },
		{ "AW: WG: hallo", "hallo" },
		{ "[list] Re: [list] topic  with   spaces ", "topic with spaces" },
		{ "hello (fwd)", "hello" },
		{ "Re:", "" },
		{ "[only tag]", "[only tag]" },
		{ "Regarding things", "Regarding things" },
		{ "Fwd : spaced", "spaced" },
	};
	size_t	i;
	char	*s;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = mime_subject_base(cases[i][0]);
		if (strcmp(s, cases[i][1]) != 0)
			fprintf(stderr, "'%s' -> '%s'\n", cases[i][0], s);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
	s = mime_subject_base(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void
test_thread_refs(void **state)
{
	struct mime_strlist	l = { NULL, 0 };

	(void)state;
	mime_thread_refs("<a@x> <b@x>", "<c@x>", &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1], "b@x");
	mime_strlist_free(&l);
	mime_thread_refs(NULL, "<c@x> <d@x>", &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "c@x");
	/* A word without "@" is no id; appends keep what was there. */
	mime_thread_refs("junk", NULL, &l);
	assert_int_equal(l.n, 1);
	mime_thread_refs("<e@x>", NULL, &l);
	assert_int_equal(l.n, 2);
	mime_strlist_free(&l);
	mime_thread_refs(NULL, NULL, &l);
	assert_int_equal(l.n, 0);
}

static void
test_thread_basic(void **state)
{
	/*
	 * 0 root, 1 reply to 0, 2 reply to 1 (References only), 3 reply to
	 * 0 by In-Reply-To, 4 reply to a missing message whose parent is 0,
	 * 5 unrelated, 6 duplicate Message-ID of 0, 7 two replies to a
	 * missing root (8 too).
	 */
	static const struct mime_thread_in in[] = {
		{ "<a@x>", NULL, NULL, "topic", 100 },
		{ "<b@x>", "<a@x>", "<a@x>", "Re: topic", 200 },
		{ "<c@x>", NULL, "<a@x> <b@x>", "Re: topic", 300 },
		{ "<d@x>", "<a@x> (Joe's message)", NULL, "Re: topic", 150 },
		{ "<e@x>", NULL, "<a@x> <gone@x>", "Re: topic", 400 },
		{ "<f@x>", NULL, NULL, "other", 50 },
		{ "<a@x>", NULL, NULL, "dup", 500 },
		{ "<g@x>", "<missing@x>", NULL, "lost", 600 },
		{ "<h@x>", "<missing@x>", NULL, "lost", 550 },
	};
	static const size_t want_msg[] = { 5, 0, 3, 1, 2, 4, 6, 8, 7 };
	static const int want_depth[] = { 0, 0, 1, 1, 2, 1, 0, 0, 1 };
	static const long want_parent[] = { -1, -1, 0, 0, 1, 0, -1, -1, 8 };
	static const size_t want_thread[] = { 5, 0, 0, 0, 0, 0, 6, 8, 8 };
	struct mime_thread_out	*out;
	size_t			 i, n = sizeof in / sizeof in[0];

	(void)state;
	mime_thread(in, n, 0, &out);
	for (i = 0; i < n; i++) {
		if (out[i].msg != want_msg[i] ||
		    out[i].depth != want_depth[i] ||
		    out[i].parent != want_parent[i] ||
		    out[i].thread != want_thread[i])
			fprintf(stderr, "%zu: msg %zu depth %d parent %ld "
			    "thread %zu\n", i, out[i].msg, out[i].depth,
			    out[i].parent, out[i].thread);
		assert_int_equal(out[i].msg, want_msg[i]);
		assert_int_equal(out[i].depth, want_depth[i]);
		assert_int_equal(out[i].parent, want_parent[i]);
		assert_int_equal(out[i].thread, want_thread[i]);
	}
	free(out);
	mime_thread(in, 0, 0, &out);
	free(out);
}

static void
test_thread_loops_and_subjects(void **state)
{
	/* References that make a loop, and a message that is its own parent. */
	static const struct mime_thread_in loop[] = {
		{ "<a@x>", NULL, "<b@x>", "s", 1 },
		{ "<b@x>", NULL, "<a@x>", "s", 2 },
		{ "<c@x>", NULL, "<c@x>", "s", 3 },
		{ NULL, NULL, NULL, NULL, 4 },
		{ "garbage", "<<<", "> <", "=?utf-8?q?Re=3A_s?=", 5 },
	};
	static const struct mime_thread_in subj[] = {
		{ "<1@x>", NULL, NULL, "Re: meeting", 10 },
		{ "<2@x>", NULL, NULL, "meeting", 20 },
		{ "<3@x>", NULL, NULL, "[team] Re: Meeting", 30 },
		{ "<4@x>", NULL, NULL, "unrelated", 5 },
	};
	struct mime_thread_out	*out;
	bool			 seen[5] = { false };
	size_t			 i;

	(void)state;
	mime_thread(loop, 5, 0, &out);
	for (i = 0; i < 5; i++) {
		assert_true(out[i].msg < 5);
		assert_false(seen[out[i].msg]);
		seen[out[i].msg] = true;
		assert_true(out[i].depth < 5);
	}
	free(out);
	/* Off by default: four threads. */
	mime_thread(subj, 4, 0, &out);
	for (i = 0; i < 4; i++)
		assert_int_equal(out[i].depth, 0);
	free(out);
	/* On: the original gathers the replies. */
	mime_thread(subj, 4, MIME_THREAD_SUBJECT, &out);
	assert_int_equal(out[0].msg, 3);
	assert_int_equal(out[1].msg, 1);
	assert_int_equal(out[1].depth, 0);
	assert_int_equal(out[2].parent, 1);
	assert_int_equal(out[3].parent, 1);
	assert_int_equal(out[2].thread, 1);
	free(out);
}

/*
 * Found by fuzz_mime_headers: Message-ID "<g<W" (two ids) and a reply
 * chain back to it make a loop; breaking it leaves an empty container
 * without children, whose (absent) children were copied from a NULL
 * pointer (UBSan).  All three messages must still come out once.
 */
static void
test_thread_empty_leaf(void **state)
{
	static const struct mime_thread_in in[] = {
		{ "<g<W", "<a", NULL, NULL, 0 },
		{ "<a", NULL, "<g<W", NULL, 0 },
		{ NULL, NULL, NULL, NULL, 0 },
	};
	struct mime_thread_out	*out;
	bool			 seen[3] = { false };
	size_t			 i;

	(void)state;
	mime_thread(in, 3, MIME_THREAD_SUBJECT, &out);
	for (i = 0; i < 3; i++) {
		assert_true(out[i].msg < 3);
		assert_false(seen[out[i].msg]);
		seen[out[i].msg] = true;
		assert_true(out[i].thread < 3);
	}
	free(out);
}

/* A long chain and a wide fan: no recursion limits, sane depth. */
static void
test_thread_big(void **state)
{
	enum { N = 20000 };
	struct mime_thread_in	*in;
	struct mime_thread_out	*out;
	char			**ids, **refs;
	size_t			 i;

	(void)state;
	in = xcalloc(N, sizeof *in);
	ids = xcalloc(N, sizeof *ids);
	refs = xcalloc(N, sizeof *refs);
	for (i = 0; i < N; i++) {
		ids[i] = xasprintf("<%zu@chain>", i);
		refs[i] = i > 0 ? xasprintf("<%zu@chain>", i - 1) : NULL;
		in[i].message_id = ids[i];
		in[i].in_reply_to = refs[i];
		in[i].date = (int64_t)(N - i);	/* dates backwards */
	}
	mime_thread(in, N, 0, &out);
	for (i = 0; i < N; i++) {
		assert_int_equal(out[i].msg, i);
		assert_int_equal(out[i].depth, (int)i);
	}
	free(out);
	for (i = 0; i < N; i++) {
		free(refs[i]);
		refs[i] = i > 0 ? xstrdup("<0@chain>") : NULL;
		in[i].in_reply_to = refs[i];
		in[i].date = (int64_t)i;
	}
	mime_thread(in, N, 0, &out);
	assert_int_equal(out[0].msg, 0);
	for (i = 1; i < N; i++) {
		assert_int_equal(out[i].msg, i);
		assert_int_equal(out[i].depth, 1);
	}
	free(out);
	for (i = 0; i < N; i++) {
		free(ids[i]);
		free(refs[i]);
	}
	free(ids);
	free(refs);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compose_simple),
		cmocka_unit_test(test_compose_ascii_and_errors),
		cmocka_unit_test(test_compose_attachments),
		cmocka_unit_test(test_compose_flowed),
		cmocka_unit_test(test_misc_compose),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_forward),
		cmocka_unit_test(test_subject_base),
		cmocka_unit_test(test_thread_refs),
		cmocka_unit_test(test_thread_basic),
		cmocka_unit_test(test_thread_loops_and_subjects),
		cmocka_unit_test(test_thread_empty_leaf),
		cmocka_unit_test(test_thread_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
