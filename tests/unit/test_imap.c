/* Unit tests for the IMAP response parser and its typed readings; every
 * transcript is also fed one byte at a time. */
#include "config.h"

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

/* A canonical text form of a response, to compare feeding strategies. */
static void
dump_arg(struct buf *b, const struct imap_arg *a)
{
	size_t	i;

	switch (a->type) {
	case IMAP_ARG_NIL:
		buf_adds(b, "NIL");
		break;
	case IMAP_ARG_ATOM:
		buf_adds(b, a->str);
		break;
	case IMAP_ARG_STRING:
		buf_addf(b, "\"%s\"", a->str);
		break;
	case IMAP_ARG_LITERAL:
		buf_addf(b, "{%zu}", a->len);
		buf_add(b, a->str, a->len);
		break;
	case IMAP_ARG_LIST:
		buf_addc(b, '(');
		for (i = 0; i < a->count; i++) {
			if (i > 0)
				buf_addc(b, ' ');
			dump_arg(b, &a->list[i]);
		}
		buf_addc(b, ')');
		break;
	}
}

static char *
dump(const struct imap_response *r)
{
	struct buf	b = BUF_INIT;

	buf_addf(&b, "%d|%s|%d|%s|%s|%s|", r->type, r->tag ? r->tag : "-",
	    r->cond, r->code ? r->code : "-", r->code_text ? r->code_text : "-",
	    r->text ? r->text : "-");
	if (r->has_number)
		buf_addf(&b, "%u ", r->number);
	buf_adds(&b, r->name ? r->name : "-");
	dump_arg(&b, &r->args);
	return buf_detach(&b, NULL);
}

#define MAX_RESP 128

struct feed_result {
	struct imap_response	*r[MAX_RESP];
	size_t			 n;
	enum imap_parse_result	 last;
	struct err		 err;
	size_t			 consumed;
};

/* Feed data in chunks of the given size; stop at the first error. */
static void
feed(struct imap_parser *p, const char *data, size_t len, size_t chunk,
    struct feed_result *fr)
{
	size_t			 off = 0, n, used;
	struct imap_response	*resp;

	memset(fr, 0, sizeof *fr);
	while (off < len) {
		n = len - off < chunk ? len - off : chunk;
		while (n > 0) {
			fr->last = imap_parser_feed(p, data + off, n, &used,
			    &resp, &fr->err);
			off += used;
			n -= used;
			fr->consumed = off;
			if (fr->last == IMAP_PARSE_ERROR)
				return;
			if (fr->last == IMAP_PARSE_DONE) {
				assert_true(fr->n < MAX_RESP);
				fr->r[fr->n++] = resp;
			} else
				assert_int_equal(n, 0);
		}
	}
}

static void
feed_free(struct feed_result *fr)
{
	size_t	i;

	for (i = 0; i < fr->n; i++)
		imap_response_free(&fr->r[i]);
	fr->n = 0;
}

static char *
read_data(const char *name, size_t *len_r)
{
	char	 path[4096];
	FILE	*f;
	char	*data;
	long	 n;

	snprintf(path, sizeof path, "%s/imap/%s", TEST_DATA_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	*len_r = (size_t)n;
	return data;
}

/* Parse a whole string, also one byte at a time: both must agree. */
static struct imap_response *
parse1(const char *s)
{
	struct imap_parser	*p = imap_parser_new();
	struct feed_result	 whole, bytes;
	struct imap_response	*r;
	char			*d1, *d2;

	feed(p, s, strlen(s), strlen(s), &whole);
	assert_int_equal(whole.n, 1);
	imap_parser_reset(p);
	feed(p, s, strlen(s), 1, &bytes);
	assert_int_equal(bytes.n, 1);
	d1 = dump(whole.r[0]);
	d2 = dump(bytes.r[0]);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	r = whole.r[0];
	whole.n = 0;
	feed_free(&bytes);
	imap_parser_free(&p);
	return r;
}

/* Feed must fail, in one piece and byte by byte, with this code. */
static void
parse_fails(const char *s, size_t len, enum err_code code)
{
	struct imap_parser	*p = imap_parser_new();
	struct feed_result	 fr;
	size_t			 chunks[] = { len, 1, 7 };
	size_t			 i;

	for (i = 0; i < 3; i++) {
		imap_parser_reset(p);
		feed(p, s, len, chunks[i], &fr);
		assert_int_equal(fr.last, IMAP_PARSE_ERROR);
		assert_int_equal(fr.n, 0);
		assert_int_equal(fr.err.code, code);
	}
	imap_parser_free(&p);
}

static void
test_session_any_split(void **state)
{
	struct imap_parser	*p = imap_parser_new();
	struct feed_result	 ref, fr;
	size_t			 len, chunk, i;
	char			*data, *d1, *d2;
	size_t			 chunks[] = { 1, 2, 3, 5, 13, 64, 1000 };

	(void)state;
	data = read_data("session.txt", &len);
	feed(p, data, len, len, &ref);
	assert_int_equal(ref.last, IMAP_PARSE_DONE);
	assert_int_equal(ref.n, 49);
	assert_true(imap_parser_idle(p));
	for (chunk = 0; chunk < sizeof chunks / sizeof chunks[0]; chunk++) {
		feed(p, data, len, chunks[chunk], &fr);
		assert_int_equal(fr.n, ref.n);
		for (i = 0; i < ref.n; i++) {
			d1 = dump(ref.r[i]);
			d2 = dump(fr.r[i]);
			assert_string_equal(d1, d2);
			free(d1);
			free(d2);
		}
		feed_free(&fr);
	}
	/* Spot checks on the shapes. */
	assert_int_equal(ref.r[0]->type, IMAP_RESP_UNTAGGED);
	assert_int_equal(ref.r[0]->cond, IMAP_COND_OK);
	assert_string_equal(ref.r[0]->code, "CAPABILITY");
	assert_string_equal(ref.r[0]->text, "Dovecot ready.");
	assert_string_equal(ref.r[1]->tag, "a001");
	assert_int_equal(ref.r[1]->type, IMAP_RESP_TAGGED);
	feed_free(&ref);
	free(data);
	imap_parser_free(&p);
}

static void
test_status_responses(void **state)
{
	struct imap_response	*r;
	struct imap_code	 c;
	struct err		 err;

	(void)state;
	r = parse1("a1 OK [UIDNEXT 4] Predicted\r\n");
	assert_int_equal(r->type, IMAP_RESP_TAGGED);
	assert_int_equal(r->cond, IMAP_COND_OK);
	assert_int_equal(imap_code_parse(r, &c, &err), 0);
	assert_int_equal(c.type, IMAP_CODE_UIDNEXT);
	assert_int_equal(c.num, 4);
	imap_code_clear(&c);
	imap_response_free(&r);

	/* Text that ends like a literal is only text. */
	r = parse1("* OK see {5}\r\n");
	assert_string_equal(r->text, "see {5}");
	imap_response_free(&r);

	r = parse1("a2 NO\r\n");
	assert_int_equal(r->cond, IMAP_COND_NO);
	assert_string_equal(r->text, "");
	imap_response_free(&r);

	r = parse1("* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
	assert_int_equal(r->cond, IMAP_COND_PREAUTH);
	assert_int_equal(imap_code_parse(r, &c, &err), 0);
	assert_int_equal(c.type, IMAP_CODE_CAPABILITY);
	assert_int_equal(c.args.count, 1);
	assert_string_equal(c.args.list[0].str, "IMAP4rev1");
	imap_code_clear(&c);
	imap_response_free(&r);

	r = parse1("* BYE [UNAVAILABLE] going down\n");	/* bare LF too */
	assert_int_equal(r->cond, IMAP_COND_BYE);
	assert_string_equal(r->code, "UNAVAILABLE");
	imap_response_free(&r);

	r = parse1("+ \r\n");
	assert_int_equal(r->type, IMAP_RESP_CONTINUE);
	imap_response_free(&r);
	r = parse1("+\r\n");
	assert_int_equal(r->type, IMAP_RESP_CONTINUE);
	imap_response_free(&r);
	r = parse1("+ dm9pZA==\r\n");
	assert_string_equal(r->text, "dm9pZA==");
	imap_response_free(&r);

	/* A '[' without a closing ']' is plain text. */
	r = parse1("* OK [ALERT oops\r\n");
	assert_null(r->code);
	assert_string_equal(r->text, "[ALERT oops");
	imap_response_free(&r);
}

static void
test_codes(void **state)
{
	static const struct {
		const char		*line;
		enum imap_code_type	 type;
	} ok[] = {
		{ "* OK [ALERT] x\r\n", IMAP_CODE_ALERT },
		{ "* OK [READ-ONLY] x\r\n", IMAP_CODE_READ_ONLY },
		{ "* OK [CLOSED] x\r\n", IMAP_CODE_CLOSED },
		{ "* OK [NOMODSEQ] x\r\n", IMAP_CODE_NOMODSEQ },
		{ "* OK [REFERRAL imap://u@h/INBOX;UIDVALIDITY=3] x\r\n",
		    IMAP_CODE_REFERRAL },
		{ "* NO [X-FOO a b c] x\r\n", IMAP_CODE_OTHER },
		{ "a1 NO [AUTHENTICATIONFAILED] x\r\n",
		    IMAP_CODE_AUTHENTICATIONFAILED },
	};
	static const char *const bad[] = {
		"* OK [UIDNEXT -1] x\r\n",
		"* OK [UIDNEXT 4294967296] x\r\n",
		"* OK [UIDVALIDITY] x\r\n",
		"* OK [HIGHESTMODSEQ 9223372036854775808] x\r\n",
		"* OK [COPYUID 1 1:3 5:6] x\r\n",
		"* OK [APPENDUID x 3] x\r\n",
		"* OK [PERMANENTFLAGS (\\Seen (x))] x\r\n",
	};
	struct imap_response	*r;
	struct imap_code	 c;
	struct err		 err;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		r = parse1(ok[i].line);
		assert_int_equal(imap_code_parse(r, &c, &err), 0);
		assert_int_equal(c.type, ok[i].type);
		imap_code_clear(&c);
		imap_response_free(&r);
	}
	r = parse1("* OK [REFERRAL imap://u@h/INBOX;UIDVALIDITY=3] x\r\n");
	assert_int_equal(imap_code_parse(r, &c, &err), 0);
	assert_string_equal(c.text, "imap://u@h/INBOX;UIDVALIDITY=3");
	imap_code_clear(&c);
	imap_response_free(&r);

	r = parse1("* OK [HIGHESTMODSEQ 9223372036854775807] x\r\n");
	assert_int_equal(imap_code_parse(r, &c, &err), 0);
	assert_true(c.modseq == 9223372036854775807ULL);
	imap_code_clear(&c);
	imap_response_free(&r);

	r = parse1("a1 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n");
	assert_int_equal(imap_code_parse(r, &c, &err), 0);
	assert_int_equal(c.type, IMAP_CODE_COPYUID);
	assert_int_equal(c.num, 38505);
	assert_int_equal(imap_seqset_count(&c.set1), 3);
	assert_true(imap_seqset_contains(&c.set1, 319));
	assert_true(imap_seqset_contains(&c.set2, 3957));
	imap_code_clear(&c);
	imap_response_free(&r);

	r = parse1("a1 OK [APPENDUID 38505 3955] Done\r\n");
	assert_int_equal(imap_code_parse(r, &c, &err), 0);
	assert_int_equal(c.num, 38505);
	assert_int_equal(c.uid, 3955);
	imap_code_clear(&c);
	imap_response_free(&r);

	r = parse1("* OK [PERMANENTFLAGS (\\Seen \\Deleted $Junk \\*)] x\r\n");
	assert_int_equal(imap_code_parse(r, &c, &err), 0);
	assert_int_equal(c.args.count, 4);
	assert_string_equal(c.args.list[3].str, "\\*");
	imap_code_clear(&c);
	imap_response_free(&r);

	r = parse1("a1 OK [MODIFIED 7,9] Conditional STORE failed\r\n");
	assert_int_equal(imap_code_parse(r, &c, &err), 0);
	assert_int_equal(c.type, IMAP_CODE_MODIFIED);
	assert_true(imap_seqset_contains(&c.set1, 9));
	imap_code_clear(&c);
	imap_response_free(&r);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = parse1(bad[i]);
		assert_int_equal(imap_code_parse(r, &c, &err), -1);
		assert_int_equal(err.code, ERR_PROTO);
		imap_response_free(&r);
	}
}

static void
test_fetch_full(void **state)
{
	struct imap_parser	*p = imap_parser_new();
	struct feed_result	 fr;
	struct imap_fetch	 f;
	const struct imap_body	*b;
	struct err		 err;
	size_t			 len, i;
	char			*data;
	struct imap_response	*r = NULL;

	(void)state;
	data = read_data("session.txt", &len);
	feed(p, data, len, 1, &fr);
	for (i = 0; i < fr.n; i++) {
		if (fr.r[i]->name != NULL &&
		    strcmp(fr.r[i]->name, "FETCH") == 0 &&
		    fr.r[i]->number == 1 && fr.r[i]->args.list[0].count > 8) {
			r = fr.r[i];
			break;
		}
	}
	assert_non_null(r);
	assert_int_equal(imap_fetch_parse(r, &f, &err), 0);
	assert_int_equal(f.seq, 1);
	assert_int_equal(f.uid, 1);
	assert_int_equal(f.size, 1234);
	assert_int_equal(f.modseq, 5);
	assert_int_equal(f.nflags, 2);
	assert_string_equal(f.flags[1], "$Forwarded");
	assert_true(f.have & IMAP_FETCH_INTERNALDATE);
	assert_int_equal((long long)f.internaldate, 837596665LL);
	assert_non_null(f.envelope);
	assert_string_equal(f.envelope->subject,
	    "=?utf-8?q?Gr=C3=BC=C3=9Fe?=");
	assert_int_equal(f.envelope->n_from, 1);
	assert_string_equal(f.envelope->from[0].name, "Terry Gray");
	assert_null(f.envelope->from[0].adl);
	assert_int_equal(f.envelope->n_cc, 2);
	assert_string_equal(f.envelope->cc[1].host, "MIT.EDU");
	assert_null(f.envelope->bcc);
	assert_null(f.envelope->in_reply_to);
	assert_string_equal(f.envelope->message_id,
	    "<B27397-0100000@cac.washington.edu>");
	/* multipart/mixed (text/plain, multipart/related (html, png),
	 * message/rfc822 (text/plain)) */
	assert_non_null(f.body);
	assert_string_equal(f.body->subtype, "mixed");
	assert_int_equal(f.body->nparts, 3);
	assert_int_equal(f.body->nparams, 1);
	assert_string_equal(f.body->params[0].value, "b1");
	b = imap_body_part(f.body, "1");
	assert_non_null(b);
	assert_string_equal(b->encoding, "quoted-printable");
	assert_int_equal(b->lines, 4);
	b = imap_body_part(f.body, "2.2");
	assert_non_null(b);
	assert_string_equal(b->type, "image");
	assert_string_equal(b->id, "<id1>");
	assert_string_equal(b->disposition, "inline");
	assert_string_equal(b->dparams[0].value, "a.png");
	assert_int_equal(b->size, 5000);
	b = imap_body_part(f.body, "3");
	assert_non_null(b->envelope);
	assert_string_equal(b->envelope->subject, "inner");
	assert_int_equal(b->lines, 10);
	assert_string_equal(b->disposition, "attachment");
	b = imap_body_part(f.body, "3.1");
	assert_non_null(b);
	assert_string_equal(b->subtype, "plain");
	assert_int_equal(b->size, 20);
	assert_null(imap_body_part(f.body, "4"));
	assert_null(imap_body_part(f.body, "2.3"));
	assert_null(imap_body_part(f.body, "1.2"));
	assert_null(imap_body_part(f.body, "x"));
	assert_int_equal(f.nsections, 1);
	assert_string_equal(f.sections[0].section,
	    "HEADER.FIELDS (FROM SUBJECT)");
	assert_false(f.sections[0].has_origin);
	assert_int_equal(f.sections[0].len, 59);
	assert_memory_equal(f.sections[0].data,
	    "From: Terry Gray <gray@cac.washington.edu>\r\nSubject: hi\r\n"
	    "\r\n", 59);
	imap_fetch_clear(&f);

	/* BODY[]<0> literal with parens inside, and a NIL section. */
	r = fr.r[i + 1];
	assert_int_equal(imap_fetch_parse(r, &f, &err), 0);
	assert_int_equal(f.uid, 2);
	assert_int_equal(f.nflags, 0);
	assert_true(f.have & IMAP_FETCH_FLAGS);
	assert_int_equal(f.nsections, 2);
	assert_string_equal(f.sections[0].section, "");
	assert_true(f.sections[0].has_origin);
	assert_int_equal(f.sections[0].origin, 0);
	assert_memory_equal(f.sections[0].data,
	    "line one\r\nline two (with ) paren\r\n", 34);
	assert_string_equal(f.sections[1].section, "1");
	assert_null(f.sections[1].data);
	imap_fetch_clear(&f);

	/* literal8 */
	r = fr.r[i + 2];
	assert_int_equal(imap_fetch_parse(r, &f, &err), 0);
	assert_string_equal(f.sections[0].section, "TEXT");
	assert_memory_equal(f.sections[0].data, "bin", 3);
	imap_fetch_clear(&f);

	feed_free(&fr);
	free(data);
	imap_parser_free(&p);
}

static void
test_fetch_literals_anywhere(void **state)
{
	struct imap_response	*r;
	struct imap_fetch	 f;
	struct err		 err;
	static const char	 s[] =
	    "* 7 FETCH (UID 70 ENVELOPE ({4}\r\nMon, {3}\r\nsub "
	    "(({4}\r\nA\0 B NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL "
	    "{3+}\r\n<x>) RFC822 {0}\r\n)\r\n";
	struct imap_parser	*p = imap_parser_new();
	struct feed_result	 fr;

	(void)state;
	/* The NUL inside a literal is allowed: bodies may hold one. */
	feed(p, s, sizeof s - 1, 1, &fr);
	assert_int_equal(fr.n, 1);
	r = fr.r[0];
	assert_int_equal(imap_fetch_parse(r, &f, &err), 0);
	assert_string_equal(f.envelope->date, "Mon,");
	assert_string_equal(f.envelope->subject, "sub");
	assert_memory_equal(f.envelope->from[0].name, "A\0 B", 4);
	assert_string_equal(f.envelope->message_id, "<x>");
	assert_int_equal(f.nsections, 1);
	assert_int_equal(f.sections[0].len, 0);
	assert_non_null(f.sections[0].data);
	imap_fetch_clear(&f);
	feed_free(&fr);
	imap_parser_free(&p);

	r = parse1("* 1 FETCH (UID 4294967295 MODSEQ (9223372036854775807) "
	    "X-GM-LABELS (\\Inbox) BINARY.SIZE[1] 3)\r\n");
	assert_int_equal(imap_fetch_parse(r, &f, &err), 0);
	assert_int_equal(f.uid, 4294967295U);
	assert_true(f.modseq == 9223372036854775807ULL);
	imap_fetch_clear(&f);
	imap_response_free(&r);
}

static void
test_fetch_bad(void **state)
{
	static const char *const bad[] = {
		"* 1 FETCH (UID 0)\r\n",
		"* 1 FETCH (UID -5)\r\n",
		"* 1 FETCH (UID 4294967296)\r\n",
		"* 1 FETCH (MODSEQ (9223372036854775808))\r\n",
		"* 1 FETCH (MODSEQ 5)\r\n",
		"* 1 FETCH (UID 1 FLAGS)\r\n",
		"* 1 FETCH (FLAGS (\"x\"))\r\n",
		"* 1 FETCH (ENVELOPE (NIL NIL))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"text\"))\r\n",
		"* 1 FETCH (BODY[HEADER]<x> NIL)\r\n",
		"* 1 FETCH (BODY[1]<99999999999> NIL)\r\n",
		"* 1 FETCH (BODY[1] (a))\r\n",
		"* 1 FETCH UID 5\r\n",
		"* FETCH (UID 5)\r\n",
	};
	struct imap_response	*r;
	struct imap_fetch	 f;
	struct err		 err;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = parse1(bad[i]);
		assert_int_equal(imap_fetch_parse(r, &f, &err), -1);
		assert_int_equal(err.code, ERR_PROTO);
		imap_response_free(&r);
	}
}

static void
test_list_status(void **state)
{
	struct imap_response	*r;
	struct imap_list	 l;
	struct imap_status	 st;
	struct err		 err;

	(void)state;
	r = parse1("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Messages\"\r\n");
	assert_int_equal(imap_list_parse(r, &l, &err), 0);
	assert_int_equal(l.role, IMAP_ROLE_SENT);
	assert_int_equal(l.flags, IMAP_LIST_HASNOCHILDREN);
	assert_int_equal(l.delim, '/');
	assert_string_equal(l.name, "Sent Messages");
	assert_string_equal(imap_role_name(l.role), "sent");
	imap_response_free(&r);

	r = parse1("* LIST (\\Noselect \\HasChildren) NIL {5}\r\nA b\"c\r\n");
	assert_int_equal(imap_list_parse(r, &l, &err), 0);
	assert_int_equal(l.delim, 0);
	assert_true(l.flags & IMAP_LIST_NOSELECT);
	assert_string_equal(l.name, "A b\"c");
	imap_response_free(&r);

	r = parse1("* LIST () \".\" inbox\r\n");
	assert_int_equal(imap_list_parse(r, &l, &err), 0);
	assert_int_equal(l.role, IMAP_ROLE_INBOX);
	imap_response_free(&r);

	/* LIST-EXTENDED data after the name */
	r = parse1("* LIST (\\Subscribed \\NonExistent) \"/\" Foo "
	    "(\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n");
	assert_int_equal(imap_list_parse(r, &l, &err), 0);
	assert_true(l.flags & IMAP_LIST_NOSELECT);
	assert_true(l.flags & IMAP_LIST_SUBSCRIBED);
	imap_response_free(&r);

	r = parse1("* LIST (\\X) \"//\" Foo\r\n");
	assert_int_equal(imap_list_parse(r, &l, &err), -1);
	imap_response_free(&r);
	r = imap_parse_response("* LIST (\\X) \"/\" {5}\r\na\0bcd\r\n", 26,
	    &err);
	assert_non_null(r);
	assert_int_equal(imap_list_parse(r, &l, &err), -1);
	imap_response_free(&r);

	r = parse1("* STATUS \"Sent Messages\" (MESSAGES 3 UIDNEXT 4 "
	    "UIDVALIDITY 1700000000 UNSEEN 1 HIGHESTMODSEQ 77 SIZE 999 "
	    "X-UNKNOWN 5)\r\n");
	assert_int_equal(imap_status_parse(r, &st, &err), 0);
	assert_string_equal(st.mailbox, "Sent Messages");
	assert_int_equal(st.messages, 3);
	assert_int_equal(st.uidnext, 4);
	assert_int_equal(st.uidvalidity, 1700000000);
	assert_int_equal(st.unseen, 1);
	assert_int_equal(st.highestmodseq, 77);
	assert_int_equal(st.size, 999);
	assert_int_equal(st.have, IMAP_STATUS_MESSAGES | IMAP_STATUS_UIDNEXT |
	    IMAP_STATUS_UIDVALIDITY | IMAP_STATUS_UNSEEN |
	    IMAP_STATUS_HIGHESTMODSEQ | IMAP_STATUS_SIZE);
	imap_response_free(&r);
	r = parse1("* STATUS x (MESSAGES -3)\r\n");
	assert_int_equal(imap_status_parse(r, &st, &err), -1);
	imap_response_free(&r);
}

static void
test_search_vanished_quota(void **state)
{
	struct imap_response	*r;
	struct imap_seqset	 s = { 0 };
	struct imap_quota	 q;
	struct err		 err;
	bool			 earlier;

	(void)state;
	r = parse1("* SEARCH 2 3 9 (MODSEQ 17)\r\n");
	assert_int_equal(imap_search_parse(r, &s, &err), 0);
	assert_int_equal(imap_seqset_count(&s), 3);
	assert_true(imap_seqset_contains(&s, 9));
	imap_seqset_clear(&s);
	imap_response_free(&r);

	r = parse1("* SEARCH\r\n");
	assert_int_equal(imap_search_parse(r, &s, &err), 0);
	assert_int_equal(s.n, 0);
	imap_response_free(&r);

	r = parse1("* ESEARCH (TAG \"a8\") UID ALL 1:3,5 MIN 1 COUNT 4\r\n");
	assert_int_equal(imap_search_parse(r, &s, &err), 0);
	assert_int_equal(imap_seqset_count(&s), 4);
	imap_seqset_clear(&s);
	imap_response_free(&r);

	r = parse1("* ESEARCH (TAG \"a8\") UID COUNT 0\r\n");
	assert_int_equal(imap_search_parse(r, &s, &err), 0);
	assert_int_equal(s.n, 0);
	imap_response_free(&r);

	r = parse1("* SEARCH 1 0\r\n");
	assert_int_equal(imap_search_parse(r, &s, &err), -1);
	imap_seqset_clear(&s);
	imap_response_free(&r);

	r = parse1("* VANISHED (EARLIER) 300:310,405,411\r\n");
	assert_int_equal(imap_vanished_parse(r, &s, &earlier, &err), 0);
	assert_true(earlier);
	assert_int_equal(imap_seqset_count(&s), 13);
	imap_seqset_clear(&s);
	imap_response_free(&r);
	r = parse1("* VANISHED 5\r\n");
	assert_int_equal(imap_vanished_parse(r, &s, &earlier, &err), 0);
	assert_false(earlier);
	imap_seqset_clear(&s);
	imap_response_free(&r);
	r = parse1("* VANISHED (LATER) 5\r\n");
	assert_int_equal(imap_vanished_parse(r, &s, &earlier, &err), -1);
	imap_seqset_clear(&s);
	imap_response_free(&r);

	r = parse1("* QUOTA \"\" (STORAGE 10 1024 MESSAGE 3 1000)\r\n");
	assert_int_equal(imap_quota_parse(r, &q, &err), 0);
	assert_string_equal(q.root, "");
	assert_int_equal(q.nres, 2);
	assert_string_equal(q.res[0].name, "STORAGE");
	assert_int_equal(q.res[0].usage, 10);
	assert_int_equal(q.res[0].limit, 1024);
	assert_int_equal(q.res[1].limit, 1000);
	imap_quota_clear(&q);
	imap_response_free(&r);
	r = parse1("* QUOTA \"\" (STORAGE 10)\r\n");
	assert_int_equal(imap_quota_parse(r, &q, &err), -1);
	imap_response_free(&r);
}

static void
test_untagged_shapes(void **state)
{
	struct imap_response	*r;

	(void)state;
	r = parse1("* 23 EXISTS\r\n");
	assert_true(r->has_number);
	assert_int_equal(r->number, 23);
	assert_string_equal(r->name, "EXISTS");
	assert_int_equal(r->args.count, 0);
	imap_response_free(&r);
	r = parse1("* 4294967295 EXPUNGE\r\n");
	assert_int_equal(r->number, 4294967295U);
	imap_response_free(&r);
	r = parse1("* capability IMAP4rev1 IDLE AUTH=PLAIN\r\n");
	assert_string_equal(r->name, "CAPABILITY");
	assert_int_equal(r->args.count, 3);
	imap_response_free(&r);
	r = parse1("* ID NIL\r\n");
	assert_int_equal(r->args.list[0].type, IMAP_ARG_NIL);
	imap_response_free(&r);
	r = parse1("* ID (\"name\" \"Dovecot\" \"x\" NIL)\r\n");
	assert_int_equal(r->args.list[0].count, 4);
	imap_response_free(&r);
	r = parse1("* ENABLED CONDSTORE\r\n");
	assert_string_equal(r->args.list[0].str, "CONDSTORE");
	imap_response_free(&r);
	r = parse1("* FLAGS (\\Seen \\*) \r\n");	/* trailing space */
	assert_int_equal(r->args.list[0].count, 2);
	imap_response_free(&r);
	r = parse1("* QUOTAROOT INBOX \"\" \"user\"\r\n");
	assert_int_equal(r->args.count, 3);
	imap_response_free(&r);
	r = parse1("* NAMESPACE ((\"\" \"/\")) NIL ((\"#shared/\" \"/\" "
	    "\"X\" (\"a\" \"\\\\\")))\r\n");
	assert_int_equal(r->args.count, 3);
	imap_response_free(&r);
	r = parse1("* LIST () \"\\\\\" \"a\\\"b\"\r\n");
	assert_string_equal(r->args.list[1].str, "\\");
	assert_string_equal(r->args.list[2].str, "a\"b");
	imap_response_free(&r);
}

static void
test_hostile(void **state)
{
	static const char *const proto[] = {
		"* -1 EXISTS\r\n",
		"* 4294967296 EXISTS\r\n",
		"* 1x EXISTS\r\n",
		"* 5\r\n",
		"* LIST (a b\r\n",
		"* LIST a b)\r\n",
		"* LIST ((a) b))\r\n",
		"* LIST \"unterminated\r\n",
		"a1 FETCH (x)\r\n",
		"a+1 OK x\r\n",
		"*  OK x\r\n",
		"*OK x\r\n",
		"\r\n",
		"* LIST (a)b\r\n",
		"* X {3}x\r\nabc\r\n",
		"* X \"a\\\r\n",
	};
	struct imap_parser	*p;
	struct feed_result	 fr;
	struct buf		 b = BUF_INIT;
	size_t			 i;
	char			*big;

	(void)state;
	for (i = 0; i < sizeof proto / sizeof proto[0]; i++)
		parse_fails(proto[i], strlen(proto[i]), ERR_PROTO);
	/* A literal far over the cap fails at once, before its bytes. */
	parse_fails("* 1 FETCH (BODY[] {99999999999}\r\n", 33, ERR_TOOBIG);
	parse_fails("* 1 FETCH (BODY[] {4294967296}\r\n", 32, ERR_TOOBIG);
	parse_fails("* 1 FETCH (BODY[] {184467440737095516160}\r\n", 43,
	    ERR_PARSE);
	parse_fails("* 1 FETCH (BODY[] {}\r\n", 22, ERR_PARSE);
	parse_fails("* LIST a\0b\r\n", 12, ERR_PARSE);
	/* Nesting past the depth cap. */
	buf_adds(&b, "* X ");
	for (i = 0; i < 100; i++)
		buf_addc(&b, '(');
	for (i = 0; i < 100; i++)
		buf_addc(&b, ')');
	buf_adds(&b, "\r\n");
	parse_fails(b.data, b.len, ERR_PROTO);
	buf_free(&b);

	/* A 10 MB line stops at the line cap: the parser never holds it. */
	big = xmalloc(10 * 1024 * 1024);
	memset(big, 'a', 10 * 1024 * 1024);
	memcpy(big, "* X ", 4);
	p = imap_parser_new();
	feed(p, big, 10 * 1024 * 1024, 4096, &fr);
	assert_int_equal(fr.last, IMAP_PARSE_ERROR);
	assert_int_equal(fr.err.code, ERR_TOOBIG);
	assert_true(fr.consumed <= IMAP_MAX_LINE_DEFAULT);
	/* After an error the stream stays failed until reset. */
	feed(p, "* OK\r\n", 6, 6, &fr);
	assert_int_equal(fr.last, IMAP_PARSE_ERROR);
	imap_parser_reset(p);
	feed(p, "* OK\r\n", 6, 6, &fr);
	assert_int_equal(fr.n, 1);
	feed_free(&fr);
	/* Many literals, each small, still add up to the response cap. */
	imap_parser_set_limits(p, 1024, 64 * 1024);
	buf_adds(&b, "* X (");
	for (i = 0; i < 100; i++) {
		buf_adds(&b, "{1000}\r\n");
		buf_add(&b, big + 4, 1000);
		buf_addc(&b, ' ');
	}
	buf_adds(&b, ")\r\n");
	feed(p, b.data, b.len, b.len, &fr);
	assert_int_equal(fr.err.code, ERR_TOOBIG);
	assert_true(fr.consumed < 70 * 1024);
	/* A raised cap lets the same response through. */
	imap_parser_reset(p);
	imap_parser_set_limits(p, 1024, 1024 * 1024);
	feed(p, b.data, b.len, 333, &fr);
	assert_int_equal(fr.n, 1);
	assert_int_equal(fr.r[0]->args.list[0].count, 100);
	feed_free(&fr);
	buf_free(&b);
	free(big);
	imap_parser_free(&p);
}

static void
test_arg_numbers(void **state)
{
	struct imap_arg	a = { 0 };
	uint32_t	u;
	uint64_t	v;

	(void)state;
	a.type = IMAP_ARG_ATOM;
	a.str = (char *)"4294967295";
	a.len = strlen(a.str);
	assert_int_equal(imap_arg_u32(&a, &u), 0);
	assert_int_equal(u, 4294967295U);
	a.str = (char *)"4294967296";
	a.len = strlen(a.str);
	assert_int_equal(imap_arg_u32(&a, &u), -1);
	assert_int_equal(imap_arg_u63(&a, &v), 0);
	a.str = (char *)"9223372036854775808";
	a.len = strlen(a.str);
	assert_int_equal(imap_arg_u63(&a, &v), -1);
	a.str = (char *)"+1";
	a.len = 2;
	assert_int_equal(imap_arg_u32(&a, &u), -1);
	a.str = (char *)"";
	a.len = 0;
	assert_int_equal(imap_arg_u32(&a, &u), -1);
	a.type = IMAP_ARG_STRING;
	a.str = (char *)"5";
	a.len = 1;
	assert_int_equal(imap_arg_u32(&a, &u), -1);
}

static void
test_seqset(void **state)
{
	struct imap_seqset	s = { 0 };
	struct buf		b = BUF_INIT;
	struct err		err;

	(void)state;
	assert_int_equal(imap_seqset_parse(&s, "9,1:3,4,7:*", &err), 0);
	assert_true(imap_seqset_contains(&s, 2));
	assert_true(imap_seqset_contains(&s, 4000000000U));
	assert_false(imap_seqset_contains(&s, 5));
	imap_seqset_normalize(&s);
	imap_seqset_format(&s, &b);
	assert_string_equal(buf_cstr(&b), "1:4,7:*");
	imap_seqset_clear(&s);
	buf_reset(&b);
	assert_int_equal(imap_seqset_parse(&s, "5:2", &err), 0);
	imap_seqset_format(&s, &b);
	assert_string_equal(buf_cstr(&b), "2:5");
	imap_seqset_clear(&s);
	assert_int_equal(imap_seqset_parse(&s, "0", &err), -1);
	imap_seqset_clear(&s);
	assert_int_equal(imap_seqset_parse(&s, "1,", &err), -1);
	imap_seqset_clear(&s);
	assert_int_equal(imap_seqset_parse(&s, "4294967296", &err), -1);
	imap_seqset_clear(&s);
	assert_int_equal(imap_seqset_parse(&s, "", &err), -1);
	imap_seqset_clear(&s);
	buf_free(&b);
}

static void
test_mutf7(void **state)
{
	static const struct {
		const char	*utf8, *wire;
	} pairs[] = {
		{ "INBOX", "INBOX" },
		{ "Entw\xc3\xbcrfe", "Entw&APw-rfe" },
		{ "A&B", "A&-B" },
		{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "&ZeVnLIqe-" },
		{ "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/"
		    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
		    "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
		{ "\xf0\x9f\x93\xa7 Mail", "&2D3c5w- Mail" },
		{ "a\tb", "a&AAk-b" },
	};
	static const char *const bad[] = {
		"&", "&Jjo", "&Jjo!-", "&AGE-", "&-&", "Entw\xc3\xbcrfe",
		"&2D0-", "&3gA-", "&AAA-", "&APx-", "&AP-", "a\tb", "&,,,-",
	};
	struct buf	b = BUF_INIT;
	struct err	err;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		buf_reset(&b);
		assert_int_equal(imap_mutf7_encode(pairs[i].utf8, &b, &err), 0);
		assert_string_equal(buf_cstr(&b), pairs[i].wire);
		buf_reset(&b);
		assert_int_equal(imap_mutf7_decode(pairs[i].wire, &b, &err), 0);
		assert_string_equal(buf_cstr(&b), pairs[i].utf8);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_reset(&b);
		assert_int_equal(imap_mutf7_decode(bad[i], &b, &err), -1);
		assert_int_equal(err.code, ERR_PARSE);
	}
	buf_reset(&b);
	assert_int_equal(imap_mutf7_encode("a\xff", &b, &err), -1);
	buf_free(&b);
}

static void
test_quote_and_dates(void **state)
{
	struct buf	b = BUF_INIT;
	time_t		t;

	(void)state;
	assert_true(imap_quote(&b, "a \"b\" \\c"));
	assert_string_equal(buf_cstr(&b), "\"a \\\"b\\\" \\\\c\"");
	buf_reset(&b);
	assert_false(imap_quote(&b, "a\r\nb"));
	assert_false(imap_quote(&b, "caf\xc3\xa9"));
	assert_int_equal(imap_parse_date_time("17-Jul-1996 02:44:25 -0700",
	    &t), 0);
	assert_int_equal((long long)t, 837596665LL);
	assert_int_equal(imap_parse_date_time(" 1-Jan-2024 00:00:00 +0000",
	    &t), 0);
	assert_int_equal((long long)t, 1704067200LL);
	assert_int_equal(imap_parse_date_time("1-Jan-2024 00:00:00 +0000",
	    &t), 0);
	assert_int_equal(imap_parse_date_time("1-Foo-2024 00:00:00 +0000",
	    &t), -1);
	assert_int_equal(imap_parse_date_time("", &t), -1);
	assert_int_equal(imap_parse_date_time("1-Jan-2024 00:00:00", &t), -1);
	imap_format_date_time(&b, 1704067200);
	assert_string_equal(buf_cstr(&b), "01-Jan-2024 00:00:00 +0000");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_any_split),
		cmocka_unit_test(test_status_responses),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_fetch_full),
		cmocka_unit_test(test_fetch_literals_anywhere),
		cmocka_unit_test(test_fetch_bad),
		cmocka_unit_test(test_list_status),
		cmocka_unit_test(test_search_vanished_quota),
		cmocka_unit_test(test_untagged_shapes),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_arg_numbers),
		cmocka_unit_test(test_seqset),
		cmocka_unit_test(test_mutf7),
		cmocka_unit_test(test_quote_and_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
