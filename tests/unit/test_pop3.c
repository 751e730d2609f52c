/* Unit tests for src/pop3: the reply parser, fed whole and in pieces. */
#include "config.h"

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "pop3/pop3.h"
#include "util/buf.h"
#include "util/err.h"

struct result {
	enum pop3_parse_result	 r;
	enum pop3_reply_kind	 kind;
	struct buf		 text;
	struct buf		 data;	/* stream, or lines joined with '|' */
	size_t			 used;	/* bytes of the input in the reply */
	struct err		 err;
	int			 fail_after;	/* sink fails on this call */
	int			 calls;
};

static int
collect(void *arg, const char *s, size_t len, struct err *e)
{
	struct result	*res = arg;

	if (res->fail_after > 0 && ++res->calls >= res->fail_after) {
		err_set(e, ERR_DISKFULL, "sink full");
		return -1;
	}
	buf_add(&res->data, s, len);
	return 0;
}

static int
collect_line(void *arg, const char *s, size_t len, struct err *e)
{
	struct result	*res = arg;

	(void)e;
	buf_add(&res->data, s, len);
	buf_addc(&res->data, '|');
	return 0;
}

/*
 * Feed in chunks of step bytes (0: all at once); stop at DONE or ERROR.
 * Bytes after the reply are not fed again.
 */
static void
parse(const char *in, size_t len, int flags, size_t step, struct result *res)
{
	struct pop3_parser	p;
	size_t			off = 0, n, used;

	memset(res, 0, sizeof *res);
	pop3_parser_init(&p, flags, (flags & POP3_PARSE_LINES) ?
	    collect_line : collect, res);
	res->r = POP3_PARSE_MORE;
	while (off < len && res->r == POP3_PARSE_MORE) {
		n = step == 0 || step > len - off ? len - off : step;
		res->r = pop3_parser_feed(&p, in + off, n, &used, &res->err);
		assert_true(used <= n);
		if (res->r == POP3_PARSE_MORE)
			assert_int_equal(used, n);
		off += used;
	}
	res->used = off;
	res->kind = pop3_parser_kind(&p);
	buf_adds(&res->text, pop3_parser_text(&p));
	pop3_parser_free(&p);
}

static void
result_free(struct result *res)
{
	buf_free(&res->text);
	buf_free(&res->data);
}

/* Whole, one byte at a time, and every two-piece split agree. */
static void
check_splits(const char *in, int flags, enum pop3_parse_result want_r,
    const char *want_data, size_t want_used)
{
	struct result	res;
	size_t		len = strlen(in), step;

	for (step = 0; step <= len; step++) {
		parse(in, len, flags, step, &res);
		assert_int_equal(res.r, want_r);
		if (want_r == POP3_PARSE_DONE) {
			assert_int_equal(res.used, want_used);
			assert_string_equal(buf_cstr(&res.data), want_data);
		}
		result_free(&res);
	}
}

static void
test_single_ok(void **state)
{
	struct result	res;
	const char	*in = "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n";

	(void)state;
	parse(in, strlen(in), 0, 1, &res);
	assert_int_equal(res.r, POP3_PARSE_DONE);
	assert_int_equal(res.kind, POP3_REPLY_OK);
	assert_string_equal(buf_cstr(&res.text),
	    "POP3 ready <1896.697170952@dbc.mtview.ca.us>");
	result_free(&res);
	parse("+OK\r\n", 5, 0, 0, &res);
	assert_int_equal(res.kind, POP3_REPLY_OK);
	assert_string_equal(buf_cstr(&res.text), "");
	result_free(&res);
}

static void
test_single_err_and_cont(void **state)
{
	struct result	res;

	(void)state;
	parse("-ERR [AUTH] bad password\r\n", 26, 0, 1, &res);
	assert_int_equal(res.r, POP3_PARSE_DONE);
	assert_int_equal(res.kind, POP3_REPLY_ERR);
	assert_string_equal(buf_cstr(&res.text), "[AUTH] bad password");
	result_free(&res);
	parse("+ \r\n", 4, 0, 1, &res);
	assert_int_equal(res.kind, POP3_REPLY_CONT);
	assert_string_equal(buf_cstr(&res.text), "");
	result_free(&res);
	/* -ERR ends a multi-line command after its status line. */
	check_splits("-ERR no such message\r\nnext", POP3_PARSE_MULTI,
	    POP3_PARSE_DONE, "", 22);
}

static void
test_garbage_status(void **state)
{
	struct result	res;

	(void)state;
	parse("* OK imap\r\n", 11, 0, 1, &res);
	assert_int_equal(res.r, POP3_PARSE_ERROR);
	assert_int_equal(res.err.code, ERR_PROTO);
	result_free(&res);
	parse("+OKAY\r\n", 7, 0, 0, &res);
	assert_int_equal(res.r, POP3_PARSE_ERROR);
	result_free(&res);
	parse("+OK a\0b\r\n", 9, 0, 0, &res);
	assert_int_equal(res.r, POP3_PARSE_ERROR);
	result_free(&res);
}

static void
test_status_cap(void **state)
{
	struct result	 res;
	char		*big = malloc(POP3_STATUS_MAX + 10);

	(void)state;
	memset(big, 'x', POP3_STATUS_MAX + 10);
	memcpy(big, "+OK ", 4);
	parse(big, POP3_STATUS_MAX + 10, 0, 1, &res);
	assert_int_equal(res.r, POP3_PARSE_ERROR);
	assert_int_equal(res.err.code, ERR_TOOBIG);
	result_free(&res);
	free(big);
}

static void
test_multi_unstuffing(void **state)
{
	(void)state;
	/* "..", ".x" and "..." lines lose one dot; "." alone ends. */
	check_splits("+OK 5 octets\r\nSubject: a\r\n\r\n..\r\n...dots\r\n"
	    ".x\r\nlast\r\n.\r\nLEFT", POP3_PARSE_MULTI, POP3_PARSE_DONE,
	    "Subject: a\r\n\r\n.\r\n..dots\r\nx\r\nlast\r\n",
	    strlen("+OK 5 octets\r\nSubject: a\r\n\r\n..\r\n...dots\r\n"
	    ".x\r\nlast\r\n.\r\n"));
}

static void
test_multi_empty_and_bare_lf(void **state)
{
	(void)state;
	check_splits("+OK\r\n.\r\n", POP3_PARSE_MULTI, POP3_PARSE_DONE, "",
	    8);
	/* Bare LF line ends become CRLF; the terminator may be ".\n". */
	check_splits("+OK\na\nb\r\n.\n", POP3_PARSE_MULTI, POP3_PARSE_DONE,
	    "a\r\nb\r\n", 11);
	/* A bare CR inside a line is data. */
	check_splits("+OK\r\na\rb\r\n.\r\n", POP3_PARSE_MULTI,
	    POP3_PARSE_DONE, "a\rb\r\n", 13);
	/* ".\r" not followed by LF is a stuffed line, not the end. */
	check_splits("+OK\r\n.\rz\r\n.\r\n", POP3_PARSE_MULTI,
	    POP3_PARSE_DONE, "\rz\r\n", 13);
	/* A dot inside a line is just a dot. */
	check_splits("+OK\r\na.\r\n.b.\r\n.\r\n", POP3_PARSE_MULTI,
	    POP3_PARSE_DONE, "a.\r\nb.\r\n", 17);
}

static void
test_multi_incomplete(void **state)
{
	(void)state;
	check_splits("+OK\r\nline\r\n", POP3_PARSE_MULTI, POP3_PARSE_MORE,
	    NULL, 0);
	check_splits("+OK\r\nline\r\n.", POP3_PARSE_MULTI, POP3_PARSE_MORE,
	    NULL, 0);
	check_splits("+OK\r\nline\r\n.\r", POP3_PARSE_MULTI, POP3_PARSE_MORE,
	    NULL, 0);
}

static void
test_lines_mode(void **state)
{
	(void)state;
	check_splits("+OK Capability list follows\r\nTOP\r\nUIDL\r\n"
	    "SASL PLAIN LOGIN\r\n..odd\r\n.\r\n", POP3_PARSE_MULTI |
	    POP3_PARSE_LINES, POP3_PARSE_DONE,
	    "TOP|UIDL|SASL PLAIN LOGIN|.odd|", 68);
}

static void
test_lines_cap(void **state)
{
	struct result	res;
	struct buf	in = BUF_INIT;
	size_t		i;

	(void)state;
	buf_adds(&in, "+OK\r\n");
	for (i = 0; i < POP3_LINE_MAX + 1; i++)
		buf_addc(&in, 'u');
	buf_adds(&in, "\r\n.\r\n");
	parse(in.data, in.len, POP3_PARSE_MULTI | POP3_PARSE_LINES, 7, &res);
	assert_int_equal(res.r, POP3_PARSE_ERROR);
	assert_int_equal(res.err.code, ERR_TOOBIG);
	result_free(&res);
	/* The same long line in stream mode is fine: nothing is kept. */
	parse(in.data, in.len, POP3_PARSE_MULTI, 7, &res);
	assert_int_equal(res.r, POP3_PARSE_DONE);
	assert_int_equal(res.data.len, POP3_LINE_MAX + 3);
	result_free(&res);
	buf_free(&in);
}

static void
test_sink_failure_stops(void **state)
{
	struct result		res;
	struct pop3_parser	p;
	const char		*in = "+OK\r\nabc\r\ndef\r\n.\r\n";
	size_t			used;

	(void)state;
	memset(&res, 0, sizeof res);
	res.fail_after = 2;
	pop3_parser_init(&p, POP3_PARSE_MULTI, collect, &res);
	assert_int_equal(pop3_parser_feed(&p, in, strlen(in), &used,
	    &res.err), POP3_PARSE_ERROR);
	assert_int_equal(res.err.code, ERR_DISKFULL);
	/* Once broken, it stays broken. */
	assert_int_equal(pop3_parser_feed(&p, "x", 1, &used, &res.err),
	    POP3_PARSE_ERROR);
	pop3_parser_free(&p);
	result_free(&res);
}

/* A large message streams through without the parser keeping it. */
static void
test_stream_large(void **state)
{
	struct result	res;
	struct buf	in = BUF_INIT, want = BUF_INIT;
	size_t		i;

	(void)state;
	buf_adds(&in, "+OK\r\n");
	for (i = 0; i < 20000; i++) {
		buf_addf(&in, "%s%zu line of text\r\n", i % 7 ? "" : "..", i);
		buf_addf(&want, "%s%zu line of text\r\n", i % 7 ? "" : ".",
		    i);
	}
	buf_adds(&in, ".\r\n");
	parse(in.data, in.len, POP3_PARSE_MULTI, 4093, &res);
	assert_int_equal(res.r, POP3_PARSE_DONE);
	assert_int_equal(res.data.len, want.len);
	assert_memory_equal(res.data.data, want.data, want.len);
	result_free(&res);
	buf_free(&in);
	buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_ok),
		cmocka_unit_test(test_single_err_and_cont),
		cmocka_unit_test(test_garbage_status),
		cmocka_unit_test(test_status_cap),
		cmocka_unit_test(test_multi_unstuffing),
		cmocka_unit_test(test_multi_empty_and_bare_lf),
		cmocka_unit_test(test_multi_incomplete),
		cmocka_unit_test(test_lines_mode),
		cmocka_unit_test(test_lines_cap),
		cmocka_unit_test(test_sink_failure_stops),
		cmocka_unit_test(test_stream_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
