/*
 * Unit tests for bodies one part at a time (src/sync/part.c): a FETCH's
 * BODYSTRUCTURE, as Dovecot sends it, kept in the store's text form and
 * read back as the same part tree, names and parameters decoded.
 */
#include "config.h"

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "mime/mime.h"
#include "sync/sync-int.h"
#include "util/err.h"

static char *
structure_of(const char *line)
{
	struct imap_response	*r;
	struct imap_fetch	 f;
	struct err		 err;
	char			*s;

	err_clear(&err);
	r = imap_parse_response(line, strlen(line), &err);
	assert_non_null(r);
	memset(&f, 0, sizeof f);
	assert_int_equal(imap_fetch_parse(r, &f, &err), 0);
	s = sync_structure_text(f.body);
	imap_fetch_clear(&f);
	imap_response_free(&r);
	return s;
}

static void
test_multipart(void **state)
{
	static const char line[] = "* 1 FETCH (UID 7 BODYSTRUCTURE ("
	    "((\"text\" \"plain\" (\"charset\" \"utf-8\" \"format\" \"flowed\")"
	    " NIL NIL \"quoted-printable\" 120 3 NIL NIL NIL NIL)"
	    "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 300 "
	    "8 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"alt\") NIL "
	    "NIL NIL)"
	    "(\"application\" \"pdf\" (\"name\" \"x.pdf\") \"<a1@x>\" "
	    "\"=?utf-8?q?Laporan_=C3=A9?=\" \"base64\" 2736844 NIL "
	    "(\"attachment\" (\"filename*\" \"utf-8''lap%C3%A9.pdf\")) NIL "
	    "NIL)"
	    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 400 (NIL "
	    "\"Diteruskan\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" "
	    "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 30 1 NIL "
	    "NIL NIL NIL) 12 NIL NIL NIL NIL)"
	    " \"mixed\" (\"boundary\" \"b-parts\") NIL NIL NIL))\r\n";
	struct mime_part	*t;
	const struct mime_part	*p;
	char			*s;

	(void)state;
	s = structure_of(line);
	assert_non_null(s);
	t = mime_structure_parse(s, strlen(s));
	assert_non_null(t);
	assert_true(mime_part_is(t, "multipart", "mixed"));
	assert_string_equal(mime_part_param(t, "boundary"), "b-parts");
	p = mime_tree_find(t, "1");
	assert_true(mime_part_is(p, "multipart", "alternative"));
	p = mime_tree_find(t, "1.1");
	assert_true(mime_part_is(p, "text", "plain"));
	assert_string_equal(mime_part_param(p, "format"), "flowed");
	assert_int_equal(p->encoding, MIME_ENC_QP);
	assert_int_equal(p->size, 120);
	assert_int_equal(p->lines, 3);
	p = mime_tree_find(t, "2");
	assert_true(mime_part_is(p, "application", "pdf"));
	assert_string_equal(p->disposition, "attachment");
	assert_string_equal(mime_part_filename(p), "lap\xc3\xa9.pdf");
	assert_string_equal(p->content_id, "a1@x");
	assert_string_equal(p->description, "Laporan \xc3\xa9");
	assert_int_equal(p->encoding, MIME_ENC_BASE64);
	assert_int_equal(p->size, 2736844);
	p = mime_tree_find(t, "3");
	assert_true(mime_part_is(p, "message", "rfc822"));
	p = mime_tree_find(t, "3.1");
	assert_non_null(p);
	assert_true(mime_part_is(p, "text", "plain"));
	mime_part_free(&t);
	free(s);
}

static void
test_single_and_none(void **state)
{
	struct mime_part	*t;
	char			*s;

	(void)state;
	s = structure_of("* 1 FETCH (UID 1 BODYSTRUCTURE (\"TEXT\" \"PLAIN\" "
	    "(\"CHARSET\" \"iso-8859-1\") NIL NIL \"8BIT\" 5000 100 NIL NIL "
	    "NIL NIL))\r\n");
	assert_non_null(s);
	t = mime_structure_parse(s, strlen(s));
	assert_non_null(t);
	assert_true(mime_part_is(t, "text", "plain"));
	assert_string_equal(t->type, "text");
	assert_string_equal(t->section, "1");
	assert_string_equal(mime_part_charset(t), "iso-8859-1");
	assert_int_equal(t->encoding, MIME_ENC_8BIT);
	mime_part_free(&t);
	free(s);
	/* No BODYSTRUCTURE: nothing to keep. */
	s = structure_of("* 1 FETCH (UID 1 FLAGS ())\r\n");
	assert_null(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_single_and_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
