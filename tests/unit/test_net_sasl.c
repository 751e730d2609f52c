/*
 * Unit tests for src/net/sasl: answers checked against the published
 * examples (RFC 4616, RFC 4954, Google's XOAUTH2 page) and challenge
 * decoding.
 */
#include "config.h"

#include "testutil.h"

#include <string.h>

#include "net/sasl.h"
#include "util/buf.h"
#include "util/err.h"

static void
test_mech_names(void **state)
{
	(void)state;
	assert_int_equal(sasl_mech_from_name("plain"), SASL_MECH_PLAIN);
	assert_int_equal(sasl_mech_from_name("LOGIN"), SASL_MECH_LOGIN);
	assert_int_equal(sasl_mech_from_name("XOAuth2"), SASL_MECH_XOAUTH2);
	assert_int_equal(sasl_mech_from_name("CRAM-MD5"), SASL_MECH_NONE);
	assert_string_equal(sasl_mech_name(SASL_MECH_XOAUTH2), "XOAUTH2");
}

static void
test_plain(void **state)
{
	struct buf	b = BUF_INIT;
	struct err	e;

	(void)state;
	err_clear(&e);
	/* RFC 4616 section 4: "\0tim\0tanstaaftanstaaf". */
	assert_int_equal(sasl_plain(&b, NULL, "tim", "tanstaaftanstaaf", &e),
	    0);
	assert_string_equal(buf_cstr(&b), "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
	sasl_wipe(&b);
	assert_null(b.data);
	assert_int_equal(sasl_plain(&b, "", "tim", "tanstaaftanstaaf", &e), 0);
	assert_string_equal(buf_cstr(&b), "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
	sasl_wipe(&b);
	/* RFC 4954 section 4: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ= */
	buf_adds(&b, "AUTH PLAIN ");
	assert_int_equal(sasl_plain(&b, "test", "test", "1234", &e), 0);
	assert_string_equal(buf_cstr(&b), "AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=");
	sasl_wipe(&b);
	assert_int_equal(sasl_plain(&b, NULL, "", "x", &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	sasl_wipe(&b);
}

static void
test_login(void **state)
{
	struct buf	b = BUF_INIT;
	struct err	e;

	(void)state;
	err_clear(&e);
	assert_int_equal(sasl_login_step(&b, 0, "tim", "tanstaaftanstaaf", &e),
	    0);
	assert_string_equal(buf_cstr(&b), "dGlt");
	sasl_wipe(&b);
	assert_int_equal(sasl_login_step(&b, 1, "tim", "tanstaaftanstaaf", &e),
	    0);
	assert_string_equal(buf_cstr(&b), "dGFuc3RhYWZ0YW5zdGFhZg==");
	sasl_wipe(&b);
	assert_int_equal(sasl_login_step(&b, 2, "tim", "x", &e), -1);
	assert_int_equal(e.code, ERR_PROTO);
	sasl_wipe(&b);
}

static void
test_xoauth2(void **state)
{
	struct buf	b = BUF_INIT;
	struct err	e;

	(void)state;
	err_clear(&e);
	/* The example of Google's XOAUTH2 protocol page. */
	assert_int_equal(sasl_xoauth2(&b, "someuser@example.com",
	    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg", &e), 0);
	assert_string_equal(buf_cstr(&b), "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFh"
	    "dXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRH"
	    "RXVZMjl0Q2cBAQ==");
	sasl_wipe(&b);
	assert_int_equal(sasl_xoauth2(&b, "a\001user=b", "t", &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	assert_int_equal(sasl_xoauth2(&b, "a", "", &e), -1);
	sasl_wipe(&b);
}

static void
test_decode_challenge(void **state)
{
	struct buf	b = BUF_INIT;
	struct err	e;
	const char	*json = "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVy"
	    "Iiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==";

	(void)state;
	err_clear(&e);
	assert_int_equal(sasl_decode_challenge(&b, "VXNlcm5hbWU6", 12, &e), 0);
	assert_string_equal(buf_cstr(&b), "Username:");
	buf_reset(&b);
	assert_int_equal(sasl_decode_challenge(&b, "UGFzc3dvcmQ6\r\n", 14,
	    &e), 0);
	assert_string_equal(buf_cstr(&b), "Password:");
	buf_reset(&b);
	assert_int_equal(sasl_decode_challenge(&b, json, strlen(json), &e), 0);
	assert_string_equal(buf_cstr(&b), "{\"status\":\"401\",\"schemes\":"
	    "\"bearer\",\"scope\":\"https://mail.google.com/\"}");
	buf_reset(&b);
	assert_int_equal(sasl_decode_challenge(&b, "", 0, &e), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(sasl_decode_challenge(&b, "=", 1, &e), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(sasl_decode_challenge(&b, "not base64!", 11, &e), -1);
	assert_int_equal(e.code, ERR_PROTO);
	assert_int_equal(sasl_decode_challenge(&b, "VXNlcm5hbWU", 11, &e), -1);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mech_names),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_xoauth2),
		cmocka_unit_test(test_decode_challenge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
