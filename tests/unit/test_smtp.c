/*
 * Unit tests for src/smtp: the reply parser fed whole and in pieces, the
 * dot-stuffing encoder (and its inverse in the POP3 parser).
 */
#include "config.h"

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "pop3/pop3.h"
#include "smtp/smtp.h"
#include "util/buf.h"
#include "util/err.h"

/* Parse in chunks of step bytes (0: at once) until DONE or ERROR. */
static enum smtp_parse_result
parse(const char *in, size_t len, size_t step, struct smtp_reply *r,
    size_t *used_r, struct err *e)
{
	struct smtp_parser	p;
	enum smtp_parse_result	res = SMTP_PARSE_MORE;
	size_t			off = 0, n, used;

	smtp_parser_init(&p);
	while (off < len && res == SMTP_PARSE_MORE) {
		n = step == 0 || step > len - off ? len - off : step;
		res = smtp_parser_feed(&p, in + off, n, &used, e);
		assert_true(used <= n);
		off += used;
	}
	*used_r = off;
	smtp_parser_take(&p, r);
	smtp_parser_free(&p);
	return res;
}

static void
test_single_line(void **state)
{
	struct smtp_reply	r;
	struct err		e;
	size_t			used, step;
	const char		*in = "220 mail.example.test ESMTP Postfix\r\n";

	(void)state;
	for (step = 0; step <= strlen(in); step++) {
		assert_int_equal(parse(in, strlen(in), step, &r, &used, &e),
		    SMTP_PARSE_DONE);
		assert_int_equal(used, strlen(in));
		assert_int_equal(r.code, 220);
		assert_int_equal(r.nlines, 1);
		assert_string_equal(r.lines[0], "mail.example.test ESMTP "
		    "Postfix");
		assert_string_equal(r.enhanced, "");
		smtp_reply_free(&r);
	}
	/* No text at all, and a bare LF. */
	assert_int_equal(parse("354\n", 4, 1, &r, &used, &e),
	    SMTP_PARSE_DONE);
	assert_int_equal(r.code, 354);
	assert_string_equal(r.lines[0], "");
	smtp_reply_free(&r);
}

static void
test_ehlo_multiline(void **state)
{
	struct smtp_reply	 r;
	struct err		 e;
	size_t			 used, step;
	const char		*in = "250-mail.example.test\r\n250-PIPELINING\r\n"
	    "250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n"
	    "250 SMTPUTF8\r\n221 next reply";
	char			*text;

	(void)state;
	for (step = 0; step <= strlen(in); step++) {
		assert_int_equal(parse(in, strlen(in), step, &r, &used, &e),
		    SMTP_PARSE_DONE);
		/* The next reply's bytes are left alone (pipelining). */
		assert_int_equal(used, strlen(in) - strlen("221 next reply"));
		assert_int_equal(r.code, 250);
		assert_int_equal(r.nlines, 6);
		assert_string_equal(r.lines[2], "SIZE 10240000");
		assert_string_equal(r.lines[5], "SMTPUTF8");
		smtp_reply_free(&r);
	}
	parse(in, strlen(in), 0, &r, &used, &e);
	text = smtp_reply_text(&r);
	assert_string_equal(text, "mail.example.test PIPELINING SIZE 10240000 "
	    "AUTH PLAIN LOGIN 8BITMIME SMTPUTF8");
	free(text);
	smtp_reply_free(&r);
}

static void
test_enhanced_codes(void **state)
{
	struct smtp_reply	 r;
	struct err		 e;
	size_t			 used;
	const char		*in = "550-5.1.1 <nobody@example.test>: Recipient "
	    "address rejected:\r\n550 5.1.1 User unknown in virtual mailbox "
	    "table\r\n";

	(void)state;
	assert_int_equal(parse(in, strlen(in), 1, &r, &used, &e),
	    SMTP_PARSE_DONE);
	assert_int_equal(r.code, 550);
	assert_string_equal(r.enhanced, "5.1.1");
	assert_string_equal(r.lines[1], "User unknown in virtual mailbox "
	    "table");
	smtp_reply_free(&r);
	/* The class must match the code's first digit. */
	assert_int_equal(parse("250 5.0.0 odd\r\n", 15, 0, &r, &used, &e),
	    SMTP_PARSE_DONE);
	assert_string_equal(r.enhanced, "");
	assert_string_equal(r.lines[0], "5.0.0 odd");
	smtp_reply_free(&r);
	assert_int_equal(parse("250 2.0.0\r\n", 11, 0, &r, &used, &e),
	    SMTP_PARSE_DONE);
	assert_string_equal(r.enhanced, "2.0.0");
	assert_string_equal(r.lines[0], "");
	smtp_reply_free(&r);
	/* Not an enhanced code: 4 digits in a part. */
	assert_int_equal(parse("451 4.1234.1 x\r\n", 16, 0, &r, &used, &e),
	    SMTP_PARSE_DONE);
	assert_string_equal(r.enhanced, "");
	smtp_reply_free(&r);
}

static void
test_malformed(void **state)
{
	struct smtp_reply	 r;
	struct err		 e;
	size_t			 used;
	static const char	*bad[] = {
		"25\r\n", "2500 x\r\n", "abc hello\r\n", "150 hi\r\n",
		"650 no\r\n", "250_x\r\n", "250-a\r\n251 b\r\n", "250 a\0b\r\n",
	};
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t	len = i == 7 ? 10 : strlen(bad[i]);

		assert_int_equal(parse(bad[i], len, 1, &r, &used, &e),
		    SMTP_PARSE_ERROR);
		assert_int_equal(e.code, ERR_PROTO);
		smtp_reply_free(&r);
	}
}

static void
test_caps(void **state)
{
	struct smtp_reply	r;
	struct err		e;
	struct buf		in = BUF_INIT;
	size_t			used, i;

	(void)state;
	buf_adds(&in, "250 ");
	for (i = 0; i < SMTP_LINE_MAX; i++)
		buf_addc(&in, 'x');
	buf_adds(&in, "\r\n");
	assert_int_equal(parse(in.data, in.len, 100, &r, &used, &e),
	    SMTP_PARSE_ERROR);
	assert_int_equal(e.code, ERR_TOOBIG);
	smtp_reply_free(&r);
	buf_reset(&in);
	for (i = 0; i < SMTP_LINES_MAX + 1; i++)
		buf_adds(&in, "250-EXT\r\n");
	buf_adds(&in, "250 END\r\n");
	assert_int_equal(parse(in.data, in.len, 0, &r, &used, &e),
	    SMTP_PARSE_ERROR);
	assert_int_equal(e.code, ERR_TOOBIG);
	smtp_reply_free(&r);
	buf_free(&in);
}

/* Encode in to DATA with every split, compare with want. */
static void
check_dot(const char *in, const char *want)
{
	struct smtp_dot_encoder	d;
	struct buf		out = BUF_INIT;
	size_t			len = strlen(in), split, step;

	for (step = 1; step <= len + 1; step++) {
		buf_reset(&out);
		smtp_dot_init(&d);
		for (split = 0; split < len; split += step)
			smtp_dot_encode(&d, in + split, len - split < step ?
			    len - split : step, &out);
		smtp_dot_end_data(&d, &out);
		assert_string_equal(buf_cstr(&out), want);
	}
	buf_free(&out);
}

static void
test_dot_stuffing(void **state)
{
	(void)state;
	check_dot("", "");
	check_dot("a\r\n", "a\r\n");
	check_dot(".\r\n", "..\r\n");
	check_dot("..\r\n", "...\r\n");
	check_dot("a\r\n.\r\nb", "a\r\n..\r\nb\r\n");
	/* The final line without a line end gets one. */
	check_dot("last line", "last line\r\n");
	check_dot(".", "..\r\n");
	/* Bare LF and bare CR become CRLF. */
	check_dot("a\nb\n.c\n", "a\r\nb\r\n..c\r\n");
	check_dot("a\rb\r", "a\r\nb\r\n");
	check_dot("a\r\r\n.", "a\r\n\r\n..\r\n");
	/* Dots inside a line are left alone. */
	check_dot("a.b.\r\n", "a.b.\r\n");
}

static int
collect(void *arg, const char *s, size_t len, struct err *e)
{
	(void)e;
	buf_add(arg, s, len);
	return 0;
}

/* What SMTP stuffs, a POP3 server hands back unstuffed. */
static void
test_dot_roundtrip(void **state)
{
	static const char	*msgs[] = {
		"Subject: x\r\n\r\n.\r\n..\r\n.hidden\r\nend\r\n",
		"no final newline\r\n.",
		"",
		"\r\n\r\n",
	};
	struct smtp_dot_encoder	 d;
	struct pop3_parser	 p;
	struct buf		 wire = BUF_INIT, back = BUF_INIT;
	struct err		 e;
	size_t			 i, used;

	(void)state;
	for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		buf_reset(&wire);
		buf_reset(&back);
		buf_adds(&wire, "+OK\r\n");
		smtp_dot_init(&d);
		smtp_dot_encode(&d, msgs[i], strlen(msgs[i]), &wire);
		smtp_dot_end_data(&d, &wire);
		buf_adds(&wire, ".\r\n");
		pop3_parser_init(&p, POP3_PARSE_MULTI, collect, &back);
		assert_int_equal(pop3_parser_feed(&p, wire.data, wire.len,
		    &used, &e), POP3_PARSE_DONE);
		assert_int_equal(used, wire.len);
		pop3_parser_free(&p);
		assert_true(back.len >= strlen(msgs[i]));
		assert_memory_equal(buf_cstr(&back), msgs[i],
		    strlen(msgs[i]));
	}
	buf_free(&wire);
	buf_free(&back);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_line),
		cmocka_unit_test(test_ehlo_multiline),
		cmocka_unit_test(test_enhanced_codes),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_dot_stuffing),
		cmocka_unit_test(test_dot_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
