/* Unit tests for src/util: buffers, strings, UTF-8, sanitizing, errors, log. */
#include "config.h"

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/base64.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fdio.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static void
test_buf_grows_and_consumes(void **state)
{
	struct buf	b = BUF_INIT;
	int		i;

	(void)state;
	assert_string_equal(buf_cstr(&b), "");
	for (i = 0; i < 1000; i++)
		buf_addf(&b, "%d,", i);
	assert_true(b.len > 1000);
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf_consume(&b, 2);
	assert_memory_equal(b.data, "1,2,", 4);
	buf_truncate(&b, 3);
	assert_string_equal(buf_cstr(&b), "1,2");
	buf_consume(&b, 100);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	assert_null(b.data);
}

static void
test_buf_detach(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	size_t		 len;

	(void)state;
	s = buf_detach(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	buf_add(&b, "a\0b", 3);
	s = buf_detach(&b, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 4);
	assert_null(b.data);
	free(s);
}

static void
test_str_numbers(void **state)
{
	uint32_t	u32;
	uint64_t	u64;
	int		i;

	(void)state;
	assert_int_equal(str_to_u32("4294967295", &u32), 0);
	assert_int_equal(u32, 4294967295u);
	assert_int_equal(str_to_u32("4294967296", &u32), -1);
	assert_int_equal(str_to_u64("18446744073709551615", &u64), 0);
	assert_int_equal(str_to_u64("18446744073709551616", &u64), -1);
	assert_int_equal(str_to_u64("", &u64), -1);
	assert_int_equal(str_to_u64("12a", &u64), -1);
	assert_int_equal(str_to_u64("-1", &u64), -1);
	assert_int_equal(str_to_int("-5", -10, 10, &i), 0);
	assert_int_equal(i, -5);
	assert_int_equal(str_to_int("11", -10, 10, &i), -1);
	assert_int_equal(str_to_int("-11", -10, 10, &i), -1);
}

static void
test_str_trim_and_prefix(void **state)
{
	char	s[] = " \t hello world \r\n";

	(void)state;
	assert_string_equal(str_trim(s), "hello world");
	assert_true(str_starts_with("imaps://x", "imaps://"));
	assert_false(str_starts_with("imap://x", "imaps://"));
	assert_true(str_istarts_with("STARTTLS", "start"));
	assert_true(str_ends_with("file.eml", ".eml"));
	assert_false(str_ends_with("eml", "file.eml"));
}

static void
test_utf8_decode_rejects_bad_forms(void **state)
{
	uint32_t	cp;

	(void)state;
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	/* overlong '/', surrogate, beyond U+10FFFF, truncated */
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 1);
	assert_int_equal(cp, UTF8_REPLACEMENT);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 1);
	assert_int_equal(cp, UTF8_REPLACEMENT);
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 1);
	assert_int_equal(utf8_decode("\xe2\x82", 2, &cp), 1);
	assert_false(utf8_valid("a\xffz", 3));
	/* A bad byte or sequence after ASCII runs of every length (the
	 * runs are skipped eight bytes at a time). */
	{
		char	t[40];
		size_t	k;

		for (k = 0; k + 3 <= sizeof t; k++) {
			memset(t, 'a', sizeof t);
			assert_true(utf8_valid(t, sizeof t));
			t[k] = '\xff';
			assert_false(utf8_valid(t, sizeof t));
			assert_false(utf8_valid(t, k + 1));
			assert_true(utf8_valid(t, k));
			memcpy(t + k, "\xc3\xa9", 2);
			assert_true(utf8_valid(t, sizeof t));
			assert_false(utf8_valid(t, k + 1));
		}
	}
	assert_true(utf8_valid("caf\xc3\xa9", 5));
}

static void
test_utf8_repair(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	utf8_repair(&b, "a\xff" "b\xc3", 4);
	assert_string_equal(buf_cstr(&b), "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	assert_true(utf8_valid(b.data, b.len));
	/* The bad byte after ASCII runs of every length. */
	{
		char	t[24], want[32];
		size_t	k;

		for (k = 0; k < sizeof t; k++) {
			memset(t, 'x', sizeof t);
			t[k] = '\x80';
			memset(want, 'x', sizeof want);
			memcpy(want + k, "\xef\xbf\xbd", 3);
			want[sizeof t + 2] = '\0';
			buf_reset(&b);
			utf8_repair(&b, t, sizeof t);
			assert_string_equal(buf_cstr(&b), want);
		}
	}
	buf_free(&b);
}

static void
test_utf8_width_and_fit(void **state)
{
	const char	*cjk = "\xe6\x97\xa5\xe6\x9c\xac";	/* two wide */
	size_t		 used, n;

	(void)state;
	assert_int_equal(utf8_width("abc", 3), 3);
	assert_int_equal(utf8_width(cjk, 6), 4);
	n = utf8_fit(cjk, 6, 3, &used);
	assert_int_equal(n, 3);		/* one character, never half */
	assert_int_equal(used, 2);
}

static void
test_sanitize_strips_escapes(void **state)
{
	char	*s;

	(void)state;
	s = sanitize_str("a\033[31mred\033[0m b", 0);
	assert_string_equal(s, "ared b");
	free(s);
	/* OSC 52 clipboard write, terminated by BEL and by ST */
	s = sanitize_str("x\033]52;c;ZXZpbA==\ay\033]0;title\033\\z", 0);
	assert_string_equal(s, "xyz");
	free(s);
	/* unterminated OSC swallows the rest */
	s = sanitize_str("ok\033]0;never ends", 0);
	assert_string_equal(s, "ok");
	free(s);
	/* 8-bit CSI as UTF-8 (U+009B) and raw byte 0x9b */
	s = sanitize_str("a\xc2\x9b" "31mb\x9b" "c", 0);
	assert_string_equal(s, "a31mb\xef\xbf\xbd" "c");
	free(s);
}

static void
test_sanitize_controls_and_bidi(void **state)
{
	char	*s;

	(void)state;
	s = sanitize_str("a\rb\bc\x7f" "d\x01", 0);
	assert_string_equal(s, "abcd");
	free(s);
	s = sanitize_str("line1\nline2\tend", 0);
	assert_string_equal(s, "line1 line2 end");
	free(s);
	s = sanitize_str("line1\nline2\tend", SANITIZE_MULTILINE |
	    SANITIZE_KEEP_TABS);
	assert_string_equal(s, "line1\nline2\tend");
	free(s);
	/* RLO (U+202E), zero-width space, BOM, isolate */
	s = sanitize_str("ab\xe2\x80\xae" "cd\xe2\x80\x8b" "e\xef\xbb\xbf"
	    "\xe2\x81\xa6" "f", 0);
	assert_string_equal(s, "abcdef");
	free(s);
	s = sanitize_text("a\0b", 3, 0);
	assert_string_equal(s, "ab");
	free(s);
}

static void
test_err_prefix_and_defaults(void **state)
{
	struct err	e;

	(void)state;
	err_clear(&e);
	assert_false(err_failed(&e));
	err_set(&e, ERR_CERT, "certificate expired on %s", "2026-01-02");
	err_prefix(&e, "%s:%d: ", "imap.example.com", 993);
	assert_string_equal(e.msg,
	    "imap.example.com:993: certificate expired on 2026-01-02");
	assert_int_equal(e.scope, ERR_SCOPE_ACCOUNT);
	assert_int_equal(e.retry, ERR_RETRY_NEVER);
	assert_true(err_failed(&e));
	err_set(&e, ERR_TIMEOUT, "slow");
	assert_int_equal(e.retry, ERR_RETRY_LATER);
	assert_string_equal(err_code_name(ERR_LOCKED), "locked");
	err_set(NULL, ERR_IO, "ignored");
}

static void
test_log_masks_credentials(void **state)
{
	char	out[256];

	(void)state;
	log_mask_line("a001 LOGIN budi s3cret\r\n", 24, false, out, sizeof out);
	assert_string_equal(out, "a001 LOGIN <masked>");
	log_mask_line("AUTH PLAIN AGJ1ZGkAczNjcmV0", 27, false, out, sizeof out);
	assert_string_equal(out, "AUTH <masked>");
	log_mask_line("PASS s3cret", 11, false, out, sizeof out);
	assert_string_equal(out, "PASS <masked>");
	log_mask_line("AGJ1ZGkAczNjcmV0", 16, true, out, sizeof out);
	assert_null(strstr(out, "AGJ1"));
	log_mask_line("a002 SELECT INBOX", 17, false, out, sizeof out);
	assert_string_equal(out, "a002 SELECT INBOX");
}

static void
test_log_file_is_private_and_masked(void **state)
{
	char		 path[] = "/tmp/surat-test-log-XXXXXX";
	char		 text[4096];
	struct stat	 st;
	struct err	 e;
	int		 fd;
	ssize_t		 n;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(log_open(path, LOG_LEVEL_WIRE, &e), 0);
	log_wire("imap", '>', "a1 LOGIN user hunter2", 21, false);
	log_wire("imap", '<', "a1 OK \033[2J done", 16, false);
	log_info("connected to %s", "host");
	log_close();
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	fd = open(path, O_RDONLY);
	n = read(fd, text, sizeof text - 1);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	text[n] = '\0';
	assert_null(strstr(text, "hunter2"));
	assert_null(strstr(text, "\033"));
	assert_non_null(strstr(text, "connected to host"));
}

static void
test_base64_round_trip(void **state)
{
	struct buf	enc = BUF_INIT, dec = BUF_INIT;
	const char	*inputs[] = { "", "f", "fo", "foo", "foob", "fooba",
	    "foobar" };
	const char	*expect[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	    "Zm9vYmE=", "Zm9vYmFy" };
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		buf_reset(&enc);
		buf_reset(&dec);
		base64_encode(&enc, inputs[i], strlen(inputs[i]));
		assert_string_equal(buf_cstr(&enc), expect[i]);
		assert_int_equal(base64_decode_strict(&dec, enc.data ?
		    enc.data : "", enc.len), 0);
		assert_string_equal(buf_cstr(&dec), inputs[i]);
	}
	buf_free(&enc);
	buf_free(&dec);
}

static void
test_base64_tolerant_and_strict(void **state)
{
	struct buf		b = BUF_INIT;
	struct base64_decoder	d;

	(void)state;
	base64_decoder_init(&d);
	/* line breaks, junk, split across feeds */
	base64_decode_feed(&d, &b, "Zm9v\r\nY", 7);
	base64_decode_feed(&d, &b, "mF!!y", 5);
	assert_string_equal(buf_cstr(&b), "foobar");
	buf_reset(&b);
	assert_int_equal(base64_decode_strict(&b, "Zm9v!mFy", 8), -1);
	assert_int_equal(base64_decode_strict(&b, "Zg=", 3), -1);
	assert_int_equal(base64_decode_strict(&b, "Z=g=", 4), -1);
	buf_free(&b);
}

/* A megabyte arrives whole through a pipe read 1,000 bytes at a time
 * (the writer sees short writes); a closed descriptor is an error. */
static void
test_fd_write_all(void **state)
{
	static char	 out[1 << 20], in[sizeof out];
	size_t		 got = 0, i;
	ssize_t		 n;
	int		 p[2], status;
	pid_t		 pid;

	(void)state;
	for (i = 0; i < sizeof out; i++)
		out[i] = (char)(i * 7 + i / 251);
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		_exit(fd_write_all(p[1], out, sizeof out) == 0 ? 0 : 1);
	}
	close(p[1]);
	while ((n = read(p[0], in + got, sizeof in - got < 1000 ?
	    sizeof in - got : 1000)) > 0)
		got += (size_t)n;
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(got, sizeof out);
	assert_memory_equal(in, out, sizeof out);
	errno = 0;
	assert_int_equal(fd_write_all(p[1], out, 1), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(fd_write_all(p[1], out, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_consumes),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_str_numbers),
		cmocka_unit_test(test_str_trim_and_prefix),
		cmocka_unit_test(test_utf8_decode_rejects_bad_forms),
		cmocka_unit_test(test_utf8_repair),
		cmocka_unit_test(test_utf8_width_and_fit),
		cmocka_unit_test(test_sanitize_strips_escapes),
		cmocka_unit_test(test_sanitize_controls_and_bidi),
		cmocka_unit_test(test_err_prefix_and_defaults),
		cmocka_unit_test(test_log_masks_credentials),
		cmocka_unit_test(test_log_file_is_private_and_masked),
		cmocka_unit_test(test_base64_round_trip),
		cmocka_unit_test(test_fd_write_all),
		cmocka_unit_test(test_base64_tolerant_and_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
