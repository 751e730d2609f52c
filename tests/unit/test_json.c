/* Unit tests for src/util/json: structure, escaping, invalid UTF-8. */
#include "config.h"

#include "testutil.h"

#include <string.h>

#include "util/buf.h"
#include "util/json.h"

static void
test_json_compact_document(void **state)
{
	struct buf	 b = BUF_INIT;
	struct json	*j;

	(void)state;
	j = json_new(&b, 0);
	json_object_begin(j);
	json_kv_int(j, "id", 42);
	json_kv_string(j, "subject", "hi");
	json_kv_null(j, "uid");
	json_kv_string(j, "uidl", NULL);
	json_key(j, "flags");
	json_array_begin(j);
	json_string(j, "\\Seen");
	json_string(j, "\\Flagged");
	json_array_end(j);
	json_key(j, "empty");
	json_array_begin(j);
	json_array_end(j);
	json_key(j, "o");
	json_object_begin(j);
	json_object_end(j);
	json_kv_bool(j, "t", true);
	json_kv_bool(j, "f", false);
	json_key(j, "neg");
	json_int(j, -7);
	json_key(j, "big");
	json_uint(j, UINT64_MAX);
	json_object_end(j);
	assert_int_equal(json_depth(j), 0);
	assert_string_equal(buf_cstr(&b),
	    "{\"id\":42,\"subject\":\"hi\",\"uid\":null,\"uidl\":null,"
	    "\"flags\":[\"\\\\Seen\",\"\\\\Flagged\"],\"empty\":[],\"o\":{},"
	    "\"t\":true,\"f\":false,\"neg\":-7,"
	    "\"big\":18446744073709551615}");
	json_free(&j);
	assert_null(j);
	buf_free(&b);
}

static void
test_json_pretty(void **state)
{
	struct buf	 b = BUF_INIT;
	struct json	*j;

	(void)state;
	j = json_new(&b, JSON_PRETTY);
	json_array_begin(j);
	json_object_begin(j);
	json_kv_int(j, "a", 1);
	json_key(j, "b");
	json_array_begin(j);
	json_array_end(j);
	json_object_end(j);
	json_int(j, 2);
	json_array_end(j);
	assert_string_equal(buf_cstr(&b),
	    "[\n  {\n    \"a\": 1,\n    \"b\": []\n  },\n  2\n]");
	json_free(&j);
	buf_free(&b);
}

static void
escaped(const char *in, size_t len, const char *want)
{
	struct buf	b = BUF_INIT;

	json_escape(&b, in, len);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void
test_json_escape(void **state)
{
	(void)state;
	escaped("", 0, "\"\"");
	escaped("a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"");
	escaped("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
	/* Other controls, DEL and NUL as \u escapes. */
	escaped("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"");
	escaped("a\0b", 3, "\"a\\u0000b\"");
	/* Terminal escape sequences cannot pass through raw. */
	escaped("\x1b[31m", 5, "\"\\u001b[31m\"");
	/* Valid UTF-8 passes unchanged. */
	escaped("Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
	    "\"Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* Line and paragraph separators are escaped. */
	escaped("\xe2\x80\xa8\xe2\x80\xa9", 6, "\"\\u2028\\u2029\"");
}

static void
test_json_invalid_utf8(void **state)
{
	(void)state;
	/* A stray continuation byte, a Latin-1 byte, an overlong form, a
	 * surrogate and a truncated sequence each become U+FFFD. */
	escaped("\x80", 1, "\"\xef\xbf\xbd\"");
	escaped("caf\xe9!", 5, "\"caf\xef\xbf\xbd!\"");
	escaped("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	escaped("\xed\xa0\x80", 3,
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	escaped("a\xe2\x82", 3, "\"a\xef\xbf\xbd\xef\xbf\xbd\"");
	/* A literal U+FFFD stays one U+FFFD. */
	escaped("\xef\xbf\xbd", 3, "\"\xef\xbf\xbd\"");
}

static void
test_json_string_len_embedded_nul(void **state)
{
	struct buf	 b = BUF_INIT;
	struct json	*j;

	(void)state;
	j = json_new(&b, 0);
	json_array_begin(j);
	json_string_len(j, "x\0y", 3);
	json_array_end(j);
	assert_string_equal(buf_cstr(&b), "[\"x\\u0000y\"]");
	json_free(&j);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_compact_document),
		cmocka_unit_test(test_json_pretty),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_json_string_len_embedded_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
