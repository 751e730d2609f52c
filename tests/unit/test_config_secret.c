/* Unit tests for src/config secrets: password_cmd, clear text, prompt. */
#include "config.h"

#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

static void
account(struct config_account *a, const char *cmd)
{
	config_account_init(a);
	a->id = xstrdup("t");
	a->email = xstrdup("t@example.com");
	if (cmd != NULL)
		a->password_cmd = xstrdup(cmd);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_cmd_success(void **state)
{
	struct config_account	 a;
	struct err		 e;
	char			*pw = NULL;

	(void)state;
	/* First line only, CR stripped; stderr noise does not matter. */
	account(&a, "echo 'hunter2 with spaces\r'; echo second; echo x >&2");
	err_clear(&e);
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), 0);
	assert_string_equal(pw, "hunter2 with spaces");
	str_free_secret(&pw);
	assert_null(pw);

	/* stdin is /dev/null: a command reading it does not hang. */
	xfree(&a.password_cmd);
	a.password_cmd = xstrdup("cat; printf 'no-newline'");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), 0);
	assert_string_equal(pw, "no-newline");
	str_free_secret(&pw);

	/* SMTP uses smtp_password_cmd, else password_cmd. */
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_OUTGOING, &pw,
	    &e), 0);
	assert_string_equal(pw, "no-newline");
	str_free_secret(&pw);
	a.smtp_password_cmd = xstrdup("echo smtp-secret");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_OUTGOING, &pw,
	    &e), 0);
	assert_string_equal(pw, "smtp-secret");
	str_free_secret(&pw);

	a.oauth_token_cmd = xstrdup("echo ya29.token");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_OAUTH, &pw,
	    &e), 0);
	assert_string_equal(pw, "ya29.token");
	str_free_secret(&pw);
	config_account_clear(&a);
}

static void
test_cmd_failure(void **state)
{
	struct config_account	 a;
	struct err		 e;
	char			*pw = NULL;

	(void)state;
	account(&a, "echo the-secret; echo 'gpg: decryption failed' >&2; "
	    "echo second-line >&2; exit 3");
	err_clear(&e);
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), -1);
	assert_null(pw);
	assert_int_equal(e.code, ERR_AUTH);
	assert_non_null(strstr(e.msg, "account 't': password_cmd:"));
	assert_non_null(strstr(e.msg, "exit status 3"));
	assert_non_null(strstr(e.msg, "gpg: decryption failed"));
	assert_null(strstr(e.msg, "second-line"));
	/* Whatever it printed on stdout never shows up. */
	assert_null(strstr(e.msg, "the-secret"));

	/* Control characters from stderr are made safe. */
	xfree(&a.password_cmd);
	a.password_cmd = xstrdup("printf 'bad\\033[31mred\\n' >&2; exit 1");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), -1);
	assert_null(strchr(e.msg, '\033'));

	/* Killed by a signal. */
	xfree(&a.password_cmd);
	a.password_cmd = xstrdup("kill -TERM $$");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), -1);
	assert_int_equal(e.code, ERR_AUTH);
	assert_non_null(strstr(e.msg, "signal 15"));

	/* A command that does not exist. */
	xfree(&a.password_cmd);
	a.password_cmd = xstrdup("/nonexistent/surat-pass");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), -1);
	assert_int_equal(e.code, ERR_AUTH);
	assert_non_null(strstr(e.msg, "exit status 127"));
	config_account_clear(&a);
}

static void
test_cmd_empty(void **state)
{
	struct config_account	 a;
	struct err		 e;
	char			*pw = NULL;

	(void)state;
	account(&a, "true");
	err_clear(&e);
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), -1);
	assert_int_equal(e.code, ERR_AUTH);
	assert_non_null(strstr(e.msg, "printed nothing"));
	xfree(&a.password_cmd);
	a.password_cmd = xstrdup("echo; echo second");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), -1);
	assert_non_null(strstr(e.msg, "printed nothing"));
	config_account_clear(&a);
}

static void
test_cmd_timeout(void **state)
{
	struct config_account	 a;
	struct err		 e;
	char			*pw = NULL;
	double			 t0;

	(void)state;
	account(&a, "echo partial; sleep 30");
	a.timeout = 1;
	err_clear(&e);
	t0 = now();
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), -1);
	assert_true(now() - t0 < 5);
	assert_null(pw);
	assert_int_equal(e.code, ERR_TIMEOUT);
	assert_non_null(strstr(e.msg, "within 1 seconds"));
	assert_null(strstr(e.msg, "partial"));

	/*
	 * A daemon left behind holding stdout (as gpg-agent could) does not
	 * keep us waiting once the command itself is done.
	 */
	xfree(&a.password_cmd);
	a.password_cmd = xstrdup("(sleep 3 &); echo pw");
	a.timeout = 20;
	t0 = now();
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), 0);
	assert_true(now() - t0 < 2);
	assert_string_equal(pw, "pw");
	str_free_secret(&pw);
	config_account_clear(&a);
}

static int	prompt_calls;

static int
prompt(const struct config_account *a, enum config_secret which, char **pw_r,
    void *arg, struct err *e)
{
	(void)a;
	prompt_calls++;
	if (which == CONFIG_SECRET_OUTGOING) {
		err_set(e, ERR_CANCELLED, "cancelled");
		return -1;
	}
	*pw_r = xstrdup(arg);
	return 0;
}

static void
test_clear_text_and_prompt(void **state)
{
	struct config_account	 a;
	struct err		 e;
	char			*pw = NULL;

	(void)state;
	account(&a, NULL);
	err_clear(&e);
	/* Nothing configured and no hook: the caller must ask. */
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), CONFIG_NEED_PROMPT);
	assert_null(pw);

	config_set_prompt(prompt, (void *)"typed");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_INCOMING, &pw,
	    &e), 0);
	assert_string_equal(pw, "typed");
	str_free_secret(&pw);
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_OUTGOING, &pw,
	    &e), -1);
	assert_int_equal(e.code, ERR_CANCELLED);
	assert_int_equal(prompt_calls, 2);

	/* The password from the file comes before the prompt. */
	a.password = xstrdup("from-file");
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_OUTGOING, &pw,
	    &e), 0);
	assert_string_equal(pw, "from-file");
	str_free_secret(&pw);
	assert_int_equal(prompt_calls, 2);
	config_set_prompt(NULL, NULL);

	/* OAuth2 without a token command is a configuration error. */
	assert_int_equal(config_get_password(&a, CONFIG_SECRET_OAUTH, &pw,
	    &e), -1);
	assert_int_equal(e.code, ERR_CONFIG);
	config_account_clear(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_success),
		cmocka_unit_test(test_cmd_failure),
		cmocka_unit_test(test_cmd_empty),
		cmocka_unit_test(test_cmd_timeout),
		cmocka_unit_test(test_clear_text_and_prompt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
