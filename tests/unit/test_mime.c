/*
 * Unit tests for src/mime parsing primitives: header blocks, addresses,
 * dates, message-ids, RFC 2047, RFC 2231, quoted-printable, charsets.
 */
#include "config.h"

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* ---- Headers ------------------------------------------------------------- */

static void
test_headers_unfold(void **state)
{
	static const char msg[] =
	    "From nobody Mon Jan  1 00:00:00 2024\n"
	    "Subject: a long\r\n"
	    "\tsubject  \r\n"
	    "  continued\r\n"
	    "X-Empty:\r\n"
	    "Received: one\r\n"
	    "Received: two\r\n"
	    "Bad Name: x\r\n"
	    "no colon at all\r\n"
	    "Spaced : value\r\n"
	    "\r\n"
	    "Body: not a header\r\n";
	struct mime_headers		*hs;
	const struct mime_header	*h;
	size_t				 off;

	(void)state;
	hs = mime_headers_parse(msg, sizeof msg - 1, &off);
	assert_string_equal(msg + off, "Body: not a header\r\n");
	assert_string_equal(mime_headers_get(hs, "SUBJECT"),
	    "a long\tsubject    continued");
	assert_string_equal(mime_headers_get(hs, "x-empty"), "");
	/* Duplicates are all kept, in order; find gives the first. */
	assert_string_equal(mime_headers_get(hs, "received"), "one");
	assert_int_equal(mime_headers_count(hs), 5);
	h = mime_headers_at(hs, 3);
	assert_memory_equal(h->name, "Received", 8);
	assert_string_equal(h->value, "two");
	assert_string_equal(mime_headers_get(hs, "spaced"), "value");
	assert_null(mime_headers_get(hs, "bad name"));
	assert_null(mime_headers_find(hs, "body"));
	assert_null(mime_headers_at(hs, 99));
	mime_headers_free(&hs);
	assert_null(hs);
	mime_headers_free(&hs);
}

static void
test_headers_edge(void **state)
{
	struct mime_headers	*hs;
	size_t			 off;
	struct buf		 b = BUF_INIT;
	int			 i;

	(void)state;
	/* Nothing at all, and a block without the empty line. */
	hs = mime_headers_parse("", 0, &off);
	assert_int_equal(mime_headers_count(hs), 0);
	assert_int_equal(off, 0);
	mime_headers_free(&hs);
	hs = mime_headers_parse("  orphan continuation\nA: 1\nB: 2", 32,
	    &off);
	assert_int_equal(mime_headers_count(hs), 2);
	assert_string_equal(mime_headers_get(hs, "b"), "2");
	assert_int_equal(off, 32);
	mime_headers_free(&hs);
	/* A NUL inside a value becomes a space, LF-only lines work. */
	hs = mime_headers_parse("A: x\0y\n\nbody", 12, &off);
	assert_string_equal(mime_headers_get(hs, "a"), "x y");
	assert_int_equal(off, 8);
	mime_headers_free(&hs);
	/* The field cap. */
	for (i = 0; i < MIME_MAX_HEADERS + 50; i++)
		buf_addf(&b, "X-%d: %d\n", i, i);
	buf_adds(&b, "\nbody");
	hs = mime_headers_parse(b.data, b.len, &off);
	assert_int_equal(mime_headers_count(hs), MIME_MAX_HEADERS);
	assert_string_equal(b.data + off, "body");
	mime_headers_free(&hs);
	buf_free(&b);
}

static void
test_header_decode_controls(void **state)
{
	char	*s;

	(void)state;
	s = mime_header_decode("a\x1b[2Jb =?utf-8?q?=1B]0;x=07?= c", 31,
	    NULL);
	assert_null(strchr(s, 0x1b));
	assert_null(strchr(s, 0x07));
	assert_true(utf8_valid(s, strlen(s)));
	free(s);
}

/* ---- Addresses ----------------------------------------------------------- */

struct addr_case {
	const char	*in;
	size_t		 n;
	const char	*name[4];
	const char	*addr[4];
};

static void
check_addrs(const struct addr_case *c)
{
	struct mime_addrlist	l = { NULL, 0 };
	size_t			i;

	mime_addrlist_parse(&l, c->in, strlen(c->in), NULL);
	if (l.n != c->n) {
		fprintf(stderr, "'%s': %zu addresses\n", c->in, l.n);
		for (i = 0; i < l.n; i++)
			fprintf(stderr, "  [%s] <%s>\n", l.v[i].name ?
			    l.v[i].name : "(null)", l.v[i].addr);
	}
	assert_int_equal(l.n, c->n);
	for (i = 0; i < c->n; i++) {
		if (c->name[i] == NULL) {
			if (l.v[i].name != NULL)
				fprintf(stderr, "'%s': name '%s'\n", c->in,
				    l.v[i].name);
			assert_null(l.v[i].name);
		} else {
			assert_non_null(l.v[i].name);
			assert_string_equal(l.v[i].name, c->name[i]);
		}
		assert_string_equal(l.v[i].addr, c->addr[i]);
		assert_true(utf8_valid(l.v[i].addr, strlen(l.v[i].addr)));
	}
	mime_addrlist_free(&l);
}

static void
test_addresses(void **state)
{
	static const struct addr_case cases[] = {
		{ "a@b.c", 1, { NULL }, { "a@b.c" } },
		{ "Joe Q. Public <john.q.public@example.com>", 1,
		    { "Joe Q. Public" }, { "john.q.public@example.com" } },
		{ "\"Doe, John\" <jd@x.org>, <bare@x.org>", 2,
		    { "Doe, John", NULL }, { "jd@x.org", "bare@x.org" } },
		{ "\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>", 1,
		    { "Giant; \"Big\" Box" }, { "sysservices@example.net" } },
		{ "jdoe@example.org (John Doe)", 1, { "John Doe" },
		    { "jdoe@example.org" } },
		{ "Pete(A nice \\) chap) <pete(his account)@silly.test"
		    "(his host)>", 1, { "Pete" }, { "pete@silly.test" } },
		{ "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one"
		    ".test>;", 3, { "Ed Jones", NULL, "John" },
		    { "c@a.test", "joe@where.test", "jdoe@one.test" } },
		{ "Undisclosed recipients:;", 0, { NULL }, { NULL } },
		{ "<@route.example,@other:user@dom.example>", 1, { NULL },
		    { "user@dom.example" } },
		{ "=?UTF-8?Q?Andr=C3=A9?= <andre@x.fr>", 1, { "Andr\xc3\xa9" },
		    { "andre@x.fr" } },
		{ "\"=?ISO-8859-1?Q?Fran=E7ois?=\" <f@x.fr>", 1,
		    { "Fran\xc3\xa7ois" }, { "f@x.fr" } },
		{ "John Smith, Jr. <js@x.org>", 1, { "John Smith, Jr." },
		    { "js@x.org" } },
		{ "a@b.c,,, ,c@d.e", 2, { NULL, NULL }, { "a@b.c", "c@d.e" } },
		{ "  ", 0, { NULL }, { NULL } },
		{ "Mary Smith <mary@x.test>, jdoe@example.org, Who? "
		    "<one@y.test>", 3, { "Mary Smith", NULL, "Who?" },
		    { "mary@x.test", "jdoe@example.org", "one@y.test" } },
		{ "user@[192.0.2.1]", 1, { NULL }, { "user@[192.0.2.1]" } },
		{ "\"quoted local\"@example.com", 1, { NULL },
		    { "\"quoted local\"@example.com" } },
		{ "Bob <bob@x.org", 1, { "Bob" }, { "bob@x.org" } },
		{ "Jo\xc3\xabl <joel@x.fr>", 1, { "Jo\xc3\xabl" },
		    { "joel@x.fr" } },
		{ "Jo\xebl <joel@x.fr>", 1, { "Jo\xc3\xabl" }, { "joel@x.fr" } },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_addrs(&cases[i]);
}

static void
test_address_group_and_format(void **state)
{
	struct mime_addrlist	 l = { NULL, 0 };
	struct buf		 b = BUF_INIT;
	char			*s;
	static const char	 in[] = "Friends: a@x.test, \"B, b\" <b@x.test>;"
	    " c@y.test";

	(void)state;
	mime_addrlist_parse(&l, in, sizeof in - 1, NULL);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].group, "Friends");
	assert_string_equal(l.v[1].group, "Friends");
	assert_null(l.v[2].group);
	s = mime_addrlist_format(&l);
	assert_string_equal(s, "a@x.test, \"B, b\" <b@x.test>, c@y.test");
	free(s);
	mime_addrlist_add(&l, "Zo\xc3\xab", "z@x.test");
	mime_address_format(&b, &l.v[3]);
	assert_string_equal(buf_cstr(&b), "Zo\xc3\xab <z@x.test>");
	buf_free(&b);
	mime_addrlist_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
}

/* ---- Dates --------------------------------------------------------------- */

struct date_case {
	const char	*in;
	int64_t		 t;
	int		 tz;
};

static void
test_dates(void **state)
{
	static const struct date_case cases[] = {
		{ "Tue, 14 Mar 2023 09:12:40 +0100", 1678781560, 60 },
		{ "14 Mar 2023 09:12:40 +0100", 1678781560, 60 },
		{ "Tue, 14 Mar 2023 09:12 +0100", 1678781520, 60 },
		{ "Tue,14 Mar 2023 09:12:40 +0100", 1678781560, 60 },
		{ "Tue, 14 Mar 23 09:12:40 +0100", 1678781560, 60 },
		{ "Fri, 21 Nov 97 09:55:06 -0600", 880127706, -360 },
		{ "Thu, 13 Feb 1969 23:32:54 -0330", -27723426, -210 },
		{ "Mon, 1 Jan 2024 00:00:00 GMT", 1704067200, 0 },
		{ "Mon, 1 Jan 2024 00:00:00 UT", 1704067200, 0 },
		{ "Mon, 1 Jan 2024 00:00:00 Z", 1704067200, 0 },
		{ "Mon, 1 Jan 2024 00:00:00 EST", 1704085200, -300 },
		{ "Mon, 1 Jan 2024 00:00:00 PDT", 1704092400, -420 },
		{ "Mon, 1 Jan 2024 00:00:00 +0000 (UTC)", 1704067200, 0 },
		{ "Mon, 1 Jan 2024 00:00:00", 1704067200, 0 },
		{ "Mon, 1 Jan 2024 00:00:00 -0000", 1704067200, 0 },
		{ "Mon, 01 Jan 2024 01:00:00 CET", 1704067200, 60 },
		{ "Mon Jan  1 00:00:00 2024", 1704067200, 0 },
		{ "2024-01-01T00:00:00Z", 1704067200, 0 },
		{ "2024-01-01T02:00:00+02:00", 1704067200, 120 },
		{ "  monday, 1 JAN 2024 00:00:00 +0000", 1704067200, 0 },
		{ "Wed, 29 Feb 2024 12:00:00 +0000", 1709208000, 0 },
		{ "Sat, 01 Jan 2000 00:00:00 +0000", 946684800, 0 },
		{ "1 Jan 2024 00:00:00 GMT+0100", 1704063600, 60 },
	};
	static const char *const bad[] = {
		"", "garbage", "Mon, 32 Jan 2024 00:00:00 +0000",
		"Mon, 1 Foo 2024 00:00:00", "Mon, 1 Jan 2024 25:00:00 +0000",
		"31 Feb 2023 10:00:00 +0000", "12345678901234567890",
	};
	int64_t	t;
	int	tz;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = 0;
		tz = 9999;
		if (mime_date_parse(cases[i].in, strlen(cases[i].in), &t,
		    &tz) != 0 || t != cases[i].t || tz != cases[i].tz)
			fprintf(stderr, "date '%s': %lld %d\n", cases[i].in,
			    (long long)t, tz);
		assert_int_equal(mime_date_parse(cases[i].in,
		    strlen(cases[i].in), &t, &tz), 0);
		assert_int_equal(t, cases[i].t);
		assert_int_equal(tz, cases[i].tz);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (mime_date_parse(bad[i], strlen(bad[i]), &t, NULL) == 0)
			fprintf(stderr, "bad date '%s' read as %lld\n",
			    bad[i], (long long)t);
		assert_int_equal(mime_date_parse(bad[i], strlen(bad[i]), &t,
		    NULL), -1);
	}
}

static void
test_date_format(void **state)
{
	struct buf	b = BUF_INIT;
	int64_t		t;
	int		tz;

	(void)state;
	mime_date_format(&b, 1704067200, 0);
	assert_string_equal(buf_cstr(&b), "Mon, 01 Jan 2024 00:00:00 +0000");
	buf_reset(&b);
	mime_date_format(&b, 1678781560, -210);
	assert_string_equal(buf_cstr(&b), "Tue, 14 Mar 2023 04:42:40 -0330");
	assert_int_equal(mime_date_parse(b.data, b.len, &t, &tz), 0);
	assert_int_equal(t, 1678781560);
	assert_int_equal(tz, -210);
	buf_reset(&b);
	mime_date_format(&b, 0, 0);
	assert_string_equal(buf_cstr(&b), "Thu, 01 Jan 1970 00:00:00 +0000");
	buf_free(&b);
}

static int64_t
sortkey(const char *hdr, int64_t received)
{
	struct mime_headers	*hs;
	int64_t			 k;

	hs = mime_headers_parse(hdr, strlen(hdr), NULL);
	k = mime_date_sortkey(hs, received);
	mime_headers_free(&hs);
	return k;
}

static void
test_date_sortkey(void **state)
{
	(void)state;
	assert_int_equal(sortkey("Date: Mon, 1 Jan 2024 00:00:00 +0000\n\n",
	    1704070000), 1704067200);
	/* Bad Date: the newest Received wins, then the arrival time. */
	assert_int_equal(sortkey("Received: from a by b; Tue, 2 Jan 2024 "
	    "00:00:00 +0000\nReceived: from c by a; Mon, 1 Jan 2024 "
	    "23:00:00 +0000\nDate: yesterday\n\n", 1704200000), 1704153600);
	/* A Received date later than the arrival is not believed. */
	assert_int_equal(sortkey("Received: from a by b; Tue, 2 Jan 2024 "
	    "00:00:00 +0000\n\n", 1000), 1000);
	assert_int_equal(sortkey("Date: yesterday\n\n", 1704067200),
	    1704067200);
	assert_int_equal(sortkey("Subject: x\n\n", 0), 0);
	/* Before 1970 or far in the future: not plausible. */
	assert_int_equal(sortkey("Date: Thu, 1 Jan 1960 00:00:00 +0000\n\n",
	    1704067200), 1704067200);
	assert_int_equal(sortkey("Date: Fri, 1 Jan 2100 00:00:00 +0000\n\n",
	    1704067200), 1704067200);
}

/* ---- Message-IDs and envelope -------------------------------------------- */

static void
test_msgids(void **state)
{
	struct mime_strlist	 l = { NULL, 0 };
	static const char	 refs[] = "<a@x> <b@x>\r\n <c@x> (comment <z@z>)"
	    " <a@x>, junk d@x <e@x";
	char			*s;

	(void)state;
	mime_msgid_parse_list(&l, refs, sizeof refs - 1);
	assert_true(l.n >= 4);
	assert_string_equal(l.v[0], "a@x");
	assert_string_equal(l.v[1], "b@x");
	assert_string_equal(l.v[2], "c@x");
	/* The duplicate <a@x> is dropped, the comment is no id. */
	for (size_t i = 3; i < l.n; i++) {
		assert_string_not_equal(l.v[i], "a@x");
		assert_string_not_equal(l.v[i], "z@z");
	}
	mime_strlist_free(&l);
	s = mime_msgid_parse(" <123@host.example> (added)", 27);
	assert_string_equal(s, "123@host.example");
	free(s);
	s = mime_msgid_parse("bare@host.example", 17);
	assert_string_equal(s, "bare@host.example");
	free(s);
	assert_null(mime_msgid_parse("   ", 3));
	s = mime_msgid_parent("<r1@x> <r2@x>", "<irt@x>");
	assert_string_equal(s, "r2@x");
	free(s);
	s = mime_msgid_parent(NULL, "<irt@x> (Joe's message of Mon)");
	assert_string_equal(s, "irt@x");
	free(s);
	assert_null(mime_msgid_parent(NULL, NULL));
}

/*
 * A References field of two megabytes of '<' without a '>' (from a hostile
 * server or sender): each '<' once searched the rest of the field for its
 * '>', a minute of CPU for one message; linear, it takes milliseconds even
 * under ASan.  The bound is CPU time, so a loaded machine does not fail it.
 */
static void
test_msgid_unclosed_linear(void **state)
{
	const size_t		 n = 2 * 1024 * 1024;
	struct mime_strlist	 l = { NULL, 0 };
	char			*s = xmalloc(n);
	clock_t			 t0;
	double			 secs;

	(void)state;
	memset(s, '<', n);
	memcpy(s + n - 7, "<a@b> <", 7);
	t0 = clock();
	mime_msgid_parse_list(&l, s, n);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(secs < 2.0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "a@b");
	mime_strlist_free(&l);
	/* Ids between '<'s without '>' still count, up to the next '<'. */
	mime_msgid_parse_list(&l, "<a@b <c@d <<e@f>", 16);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "a@b");
	assert_string_equal(l.v[1], "c@d");
	assert_string_equal(l.v[2], "e@f");
	mime_strlist_free(&l);
	free(s);
}

static void
test_envelope(void **state)
{
	static const char hdr[] =
	    "From: =?utf-8?B?w4lsaXNl?= <elise@x.fr>\n"
	    "To: a@x.test\n"
	    "To: b@x.test\n"
	    "Cc: Group: c@x.test;\n"
	    "Subject: =?utf-8?q?hello?= world\n"
	    "Message-ID: <m1@x.fr>\n"
	    "In-Reply-To: <p@x.fr>\n"
	    "References: <r@x.fr> <p@x.fr>\n"
	    "List-Id: Test list <test.lists.x.fr>\n"
	    "Date: bad\n\n";
	struct mime_headers	*hs;
	struct mime_envelope	 env;

	(void)state;
	hs = mime_headers_parse(hdr, sizeof hdr - 1, NULL);
	mime_envelope_from_headers(&env, hs, 1000, NULL);
	assert_string_equal(env.subject, "hello world");
	assert_int_equal(env.from.n, 1);
	assert_string_equal(env.from.v[0].name, "\xc3\x89lise");
	assert_int_equal(env.to.n, 2);
	assert_int_equal(env.cc.n, 1);
	assert_string_equal(env.message_id, "m1@x.fr");
	assert_int_equal(env.in_reply_to.n, 1);
	assert_int_equal(env.references.n, 2);
	assert_string_equal(env.list_id, "test.lists.x.fr");
	assert_false(env.date_valid);
	assert_int_equal(env.date, 1000);
	mime_envelope_free(&env);
	mime_headers_free(&hs);
}

/* ---- RFC 2047 ------------------------------------------------------------ */

static void
check_2047(const char *in, const char *want)
{
	struct buf	b = BUF_INIT;

	mime_rfc2047_decode(&b, in, strlen(in), NULL);
	if (strcmp(buf_cstr(&b), want) != 0)
		fprintf(stderr, "2047 '%s' -> '%s'\n", in, buf_cstr(&b));
	assert_string_equal(buf_cstr(&b), want);
	assert_true(utf8_valid(b.data != NULL ? b.data : "", b.len));
	buf_free(&b);
}

static void
test_rfc2047_decode(void **state)
{
	(void)state;
	check_2047("=?UTF-8?B?R3LDvMOfZQ==?=", "Gr\xc3\xbc\xc3\x9f" "e");
	check_2047("=?iso-8859-1?q?caf=E9_au_lait?=", "caf\xc3\xa9 au lait");
	/* Adjacent words join; white space between them goes. */
	check_2047("=?utf-8?q?a?= =?utf-8?q?b?=", "ab");
	check_2047("=?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab");
	check_2047("=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c");
	/* A character split over two words. */
	check_2047("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=", "\xc3\xa9\xc3\xa9");
	check_2047("=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=", "\xc3\xa9");
	check_2047("=?UTF-8?B?4oKs?=", "\xe2\x82\xac");
	/* Language suffix (RFC 2231) and lower case. */
	check_2047("=?utf-8*en?q?hi?=", "hi");
	/* Broken ones stay readable as written. */
	check_2047("=?utf-8?x?abc?=", "=?utf-8?x?abc?=");
	check_2047("=?utf-8?q?unterminated", "=?utf-8?q?unterminated");
	check_2047("plain =?", "plain =?");
	check_2047("=?unknown-cs?q?abc?=", "abc");
	/* Words glued to text, as broken mailers write them. */
	check_2047("Re:=?utf-8?q?caf=C3=A9?=", "Re:caf\xc3\xa9");
	/* Undeclared 8-bit: UTF-8 kept, else the fallback charset. */
	check_2047("na\xc3\xafve", "na\xc3\xafve");
	check_2047("na\xefve \x93quoted\x94",
	    "na\xc3\xafve \xe2\x80\x9cquoted\xe2\x80\x9d");
	/* Charset names of 64 characters fit, 65 do not (UBSan find). */
	check_2047("=?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "?q?x?=", "x");
	check_2047("=?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "?q?x?=", "=?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "?q?x?=");
	/* Bad base64 and bytes invalid in the declared charset. */
	check_2047("=?utf-8?b?!!!?=", "");
	check_2047("=?utf-8?q?=FF=FE?=", "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_rfc2047_encode_roundtrip(void **state)
{
	static const char *const texts[] = {
		"plain ascii subject",
		"Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6"
		    "\xe5\x90\x8d\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82\xe9\x95"
		    "\xb7\xe3\x81\x84\xe4\xbb\xb6\xe5\x90\x8d\xe3\x81\xaf\xe6"
		    "\x8a\x98\xe3\x82\x8a\xe8\xbf\x94\xe3\x81\x95\xe3\x82\x8c"
		    "\xe3\x81\xbe\xe3\x81\x99\xe3\x80\x82\xe6\x97\xa5\xe6\x9c"
		    "\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6\xe5\x90\x8d",
		"a =?looks?q?encoded?= word",
		"mixed caf\xc3\xa9 and a very long tail of plain words that "
		    "must be folded somewhere before the line gets too long",
		"\xf0\x9f\x98\x80 emoji",
	};
	struct buf	 enc = BUF_INIT, dec = BUF_INIT;
	size_t		 i, col;
	const char	*p;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		buf_reset(&enc);
		buf_reset(&dec);
		buf_adds(&enc, "Subject: ");
		mime_rfc2047_encode(&enc, texts[i], strlen(texts[i]), 9,
		    false);
		/* Every line ASCII and at most 78 columns. */
		assert_true(mime_headers_count(NULL) == 0);
		col = 0;
		for (p = enc.data; *p != '\0'; p++) {
			assert_true((unsigned char)*p < 0x80);
			if (*p == '\n')
				col = 0;
			else if (*p != '\r')
				col++;
			assert_true(col <= 78);
		}
		{
			struct mime_headers *hs = mime_headers_parse(enc.data,
			    enc.len, NULL);
			const char *v = mime_headers_get(hs, "subject");
			mime_rfc2047_decode(&dec, v, strlen(v), NULL);
			if (strcmp(buf_cstr(&dec), texts[i]) != 0)
				fprintf(stderr, "'%s'\n -> '%s'\n -> '%s'\n",
				    texts[i], enc.data, buf_cstr(&dec));
			assert_string_equal(buf_cstr(&dec), texts[i]);
			mime_headers_free(&hs);
		}
	}
	/* Display names: quoted when ASCII with specials. */
	buf_reset(&enc);
	mime_rfc2047_encode(&enc, "Doe, John", 9, 6, true);
	assert_string_equal(buf_cstr(&enc), "\"Doe, John\"");
	buf_reset(&enc);
	mime_rfc2047_encode(&enc, "J\xc3\xb6rg (home)", 13, 6, true);
	assert_non_null(strstr(enc.data, "=?UTF-8?"));
	assert_null(strchr(enc.data, '('));
	buf_free(&enc);
	buf_free(&dec);
}

/* ---- RFC 2231 and parameters --------------------------------------------- */

static void
test_params(void **state)
{
	static const char ct[] = "Text/Plain; CHARSET=\"ISO-8859-1\"; "
	    "format=flowed;delsp=yes ; name*0*=utf-8'de'Gr%C3%BC;"
	    " name*2=\".txt\"; name*1*=%C3%9Fe; junk; a=\"q\\\"x\"";
	static const char cd[] = "attachment; filename=\"=?UTF-8?Q?"
	    "r=C3=A9sum=C3=A9.pdf?=\"; size=1234";
	static const char cd2[] = "attachment; filename*=iso-8859-1''"
	    "caf%E9%20menu.pdf; filename=\"fallback.pdf\"";
	struct mime_params	 p = { NULL, 0 };
	char			*tok;

	(void)state;
	mime_params_parse(ct, sizeof ct - 1, NULL, &tok, &p);
	assert_string_equal(tok, "text/plain");
	assert_string_equal(mime_params_get(&p, "charset"), "ISO-8859-1");
	assert_string_equal(mime_params_get(&p, "FORMAT"), "flowed");
	assert_string_equal(mime_params_get(&p, "delsp"), "yes");
	assert_string_equal(mime_params_get(&p, "name"),
	    "Gr\xc3\xbc\xc3\x9f" "e.txt");
	assert_string_equal(mime_params_get(&p, "a"), "q\"x");
	assert_null(mime_params_get(&p, "missing"));
	free(tok);
	mime_params_free(&p);

	mime_params_parse(cd, sizeof cd - 1, NULL, &tok, &p);
	assert_string_equal(tok, "attachment");
	assert_string_equal(mime_params_get(&p, "filename"),
	    "r\xc3\xa9sum\xc3\xa9.pdf");
	free(tok);
	mime_params_free(&p);

	/* The RFC 2231 form wins over the plain one. */
	mime_params_parse(cd2, sizeof cd2 - 1, NULL, &tok, &p);
	assert_string_equal(mime_params_get(&p, "filename"),
	    "caf\xc3\xa9 menu.pdf");
	free(tok);
	mime_params_free(&p);

	/* Nothing, and undeclared 8-bit in a value. */
	mime_params_parse("", 0, NULL, &tok, &p);
	assert_string_equal(tok, "");
	assert_int_equal(p.n, 0);
	free(tok);
	mime_params_parse("a; name=\"caf\xe9.txt\"", 19, NULL, &tok, &p);
	assert_string_equal(mime_params_get(&p, "name"), "caf\xc3\xa9.txt");
	free(tok);
	/* Tokens and names keep printable ASCII only (fuzzer find). */
	mime_params_parse("from:\xff broken; N\xe9me=v", 21, NULL, &tok, &p);
	assert_string_equal(tok, "from:");
	assert_string_equal(mime_params_get(&p, "nme"), "v");
	free(tok);
	mime_params_set(&p, "name", "other");
	mime_params_set(&p, "new", "v");
	assert_string_equal(mime_params_get(&p, "name"), "other");
	assert_string_equal(mime_params_get(&p, "new"), "v");
	mime_params_free(&p);
}

static void
check_param_roundtrip(const char *name, const char *value)
{
	struct buf		 b = BUF_INIT;
	struct mime_params	 p = { NULL, 0 };
	char			*tok;
	const char		*s;
	size_t			 col = 0;

	buf_adds(&b, "attachment");
	mime_param_encode(&b, name, value);
	for (s = b.data; *s != '\0'; s++) {
		assert_true((unsigned char)*s < 0x80);
		col = *s == '\n' ? 0 : col + 1;
		assert_true(col <= 78);
	}
	mime_params_parse(b.data, b.len, NULL, &tok, &p);
	assert_string_equal(tok, "attachment");
	if (mime_params_get(&p, name) == NULL ||
	    strcmp(mime_params_get(&p, name), value) != 0)
		fprintf(stderr, "param '%s' -> '%s'\n", value, b.data);
	assert_string_equal(mime_params_get(&p, name), value);
	free(tok);
	mime_params_free(&p);
	buf_free(&b);
}

static void
test_param_encode(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	mime_param_encode(&b, "filename", "plain.txt");
	assert_string_equal(buf_cstr(&b), "; filename=plain.txt");
	buf_reset(&b);
	mime_param_encode(&b, "filename", "two words.txt");
	assert_string_equal(buf_cstr(&b), "; filename=\"two words.txt\"");
	buf_free(&b);
	check_param_roundtrip("filename", "plain.txt");
	check_param_roundtrip("filename", "with \"quotes\" and \\.txt");
	check_param_roundtrip("filename", "r\xc3\xa9sum\xc3\xa9.pdf");
	check_param_roundtrip("filename", "a very long file name that goes "
	    "on and on and on past any sensible length.tar.gz");
	check_param_roundtrip("filename", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa"
	    "\x9e\xe3\x81\xae\xe3\x83\x95\xe3\x82\xa1\xe3\x82\xa4\xe3\x83\xab"
	    "\xe5\x90\x8d\xe5\x89\x8d\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82"
	    "\xe9\x95\xb7\xe3\x81\x84.docx");
	check_param_roundtrip("name", "100%;evil=\"x\".txt");
}

/* ---- Quoted-printable and base64 ----------------------------------------- */

static void
check_qp(const char *in, const char *want)
{
	struct buf	b = BUF_INIT;

	mime_qp_decode(&b, in, strlen(in));
	if (strcmp(buf_cstr(&b), want) != 0)
		fprintf(stderr, "qp '%s' -> '%s'\n", in, buf_cstr(&b));
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void
test_qp_decode(void **state)
{
	(void)state;
	check_qp("caf=C3=A9", "caf\xc3\xa9");
	check_qp("caf=c3=a9", "caf\xc3\xa9");
	check_qp("soft=\r\nbreak", "softbreak");
	check_qp("soft=\nbreak", "softbreak");
	check_qp("soft=  \r\nbreak", "softbreak");
	check_qp("trailing   \r\nspace", "trailing\nspace");
	check_qp("bad =ZZ escape", "bad =ZZ escape");
	check_qp("half =A", "half =A");
	check_qp("end=", "end");
	check_qp("a=3D=3d", "a==");
}

static void
test_qp_roundtrip(void **state)
{
	static const char *const texts[] = {
		"short line\n",
		"From the start\n.\nspace at end \ntab at end\t\n",
		"=equals= and caf\xc3\xa9\n",
		("a line that is far longer than seventy-six characters and so "
		    "must be broken with soft line breaks by the encoder, "
		    "maybe twice or even three times over\n"),
		("=========================================================="
		    "==========================================\n"),
		"no newline at end",
	};
	struct buf	enc = BUF_INIT, dec = BUF_INIT, want = BUF_INIT;
	size_t		i, col;
	const char	*p;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		buf_reset(&enc);
		buf_reset(&dec);
		buf_reset(&want);
		mime_qp_encode(&enc, texts[i], strlen(texts[i]));
		col = 0;
		for (p = buf_cstr(&enc); *p != '\0'; p++) {
			assert_true((unsigned char)*p < 0x80);
			col = *p == '\n' ? 0 : col + 1;
			assert_true(col <= 77);	/* 76 + CR */
		}
		assert_null(strstr(buf_cstr(&enc), " \r\n"));
		mime_qp_decode(&dec, buf_cstr(&enc), enc.len);
		buf_adds(&want, texts[i]);
		assert_string_equal(buf_cstr(&dec), buf_cstr(&want));
	}
	buf_free(&enc);
	buf_free(&dec);
	buf_free(&want);
}

/* ---- Charsets ------------------------------------------------------------ */

static void
check_cs(const char *cs, const char *in, size_t len, const char *want)
{
	struct buf	b = BUF_INIT;

	assert_int_equal(mime_charset_to_utf8(&b, cs, in, len), 0);
	if (strcmp(buf_cstr(&b), want) != 0)
		fprintf(stderr, "charset %s -> '%s'\n", cs, buf_cstr(&b));
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void
test_charsets(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	check_cs("iso-8859-1", "caf\xe9", 4, "caf\xc3\xa9");
	check_cs("latin1", "caf\xe9", 4, "caf\xc3\xa9");
	check_cs("ISO_8859-1", "caf\xe9", 4, "caf\xc3\xa9");
	check_cs("\"windows-1252\"", "\x80\x93", 2, "\xe2\x82\xac\xe2\x80\x9c");
	check_cs("cp1252", "\x80", 1, "\xe2\x82\xac");
	check_cs("utf8", "caf\xc3\xa9", 5, "caf\xc3\xa9");
	check_cs("UTF-8", "bad \xff\xfe end", 10,
	    "bad \xef\xbf\xbd\xef\xbf\xbd end");
	check_cs("us-ascii", "caf\xc3\xa9", 5, "caf\xc3\xa9");
	check_cs("koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", 6,
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
	check_cs("shift_jis", "\x93\xfa\x96\x7b", 4,
	    "\xe6\x97\xa5\xe6\x9c\xac");
	check_cs("x-sjis", "\x93\xfa\x96\x7b", 4, "\xe6\x97\xa5\xe6\x9c\xac");
	check_cs("ks_c_5601-1987", "\xc7\xd1", 2, "\xed\x95\x9c");
	check_cs("gb2312", "\xd6\xd0", 2, "\xe4\xb8\xad");
	check_cs("iso-2022-jp", "\x1b$BF|\x1b(B", 8, "\xe6\x97\xa5");
	check_cs("utf-16le", "a\0\xe9\0", 4, "a\xc3\xa9");
	/* Bytes the charset cannot have: U+FFFD, and the rest survives. */
	check_cs("shift_jis", "ok\xff" "ok", 5, "ok\xef\xbf\xbdok");
	buf_reset(&b);
	assert_int_equal(mime_charset_to_utf8(&b, "iso-2022-jp",
	    "\x1b$B\xff\xff", 5), 0);
	assert_non_null(strstr(buf_cstr(&b), "\xef\xbf\xbd"));
	assert_true(utf8_valid(b.data, b.len));
	buf_reset(&b);
	assert_int_equal(mime_charset_to_utf8(&b, "no-such-charset", "\xe9",
	    1), -1);
	assert_int_equal(b.len, 0);
	/* Undeclared or unknown: UTF-8 if valid, else the fallback. */
	mime_text_to_utf8(&b, NULL, "caf\xc3\xa9", 5, NULL);
	assert_string_equal(buf_cstr(&b), "caf\xc3\xa9");
	buf_reset(&b);
	mime_text_to_utf8(&b, "x-unknown", "caf\xe9\x80", 5, NULL);
	assert_string_equal(buf_cstr(&b), "caf\xc3\xa9\xe2\x82\xac");
	buf_reset(&b);
	mime_text_to_utf8(&b, NULL, "caf\xe9", 4, "iso-8859-15");
	assert_string_equal(buf_cstr(&b), "caf\xc3\xa9");
	buf_reset(&b);
	mime_text_to_utf8(&b, NULL, "\xa4", 1, "iso-8859-15");
	assert_string_equal(buf_cstr(&b), "\xe2\x82\xac");
	buf_free(&b);
	assert_non_null(mime_charset_canon("latin1"));
}

/* Random bytes through every decoder: output is always valid UTF-8. */
static void
test_always_utf8(void **state)
{
	static const char *const cs[] = {
		"utf-8", "iso-8859-1", "windows-1252", "shift_jis",
		"iso-2022-jp", "euc-kr", "gb18030", "utf-16", "big5", NULL,
	};
	unsigned int	 seed = 12345;
	char		 in[256];
	struct buf	 b = BUF_INIT;
	size_t		 i, k;
	char		*s;

	(void)state;
	for (k = 0; k < 300; k++) {
		for (i = 0; i < sizeof in; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = (char)(seed >> 16);
		}
		if (k % 3 == 0)
			memcpy(in, "=?utf-8?q?", 10);
		buf_reset(&b);
		mime_text_to_utf8(&b, cs[k % 10], in, sizeof in, NULL);
		assert_true(utf8_valid(buf_cstr(&b), b.len));
		buf_reset(&b);
		mime_rfc2047_decode(&b, in, sizeof in, NULL);
		assert_true(utf8_valid(buf_cstr(&b), b.len));
		s = mime_header_decode(in, sizeof in, NULL);
		assert_true(utf8_valid(s, strlen(s)));
		free(s);
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_unfold),
		cmocka_unit_test(test_headers_edge),
		cmocka_unit_test(test_header_decode_controls),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_address_group_and_format),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_date_sortkey),
		cmocka_unit_test(test_msgids),
		cmocka_unit_test(test_msgid_unclosed_linear),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_rfc2047_decode),
		cmocka_unit_test(test_rfc2047_encode_roundtrip),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_param_encode),
		cmocka_unit_test(test_qp_decode),
		cmocka_unit_test(test_qp_roundtrip),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_always_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
