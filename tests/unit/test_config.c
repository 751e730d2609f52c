/* Unit tests for src/config: loading, errors, writing, paths, providers. */
#include "config.h"

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

static char	tmpdir[] = "/tmp/surat-test-config.XXXXXX";

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE	*fp;

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static char *
read_all(const char *path)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[512];
	size_t		 n;
	FILE		*fp;

	fp = fopen(path, "r");
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_detach(&b, NULL);
}

/* Load text written to a scratch file; returns config_load's result. */
static int
load_text(const char *text, struct config *cfg, struct err *e)
{
	char	*path = tmp_path("scratch.conf");
	int	 rc;

	write_file(path, text, 0600);
	err_clear(e);
	rc = config_load(path, cfg, e);
	free(path);
	return rc;
}

static const char minimal[] =
    "[account a]\n"
    "email = a@example.com\n"
    "incoming = imaps://mail.example.com\n";

/* ------------------------------------------------------------------ */

static void
test_defaults(void **state)
{
	struct config			 cfg;
	struct err			 e;
	const struct config_account	*a;

	(void)state;
	assert_int_equal(load_text(minimal, &cfg, &e), 0);
	assert_int_equal(cfg.naccounts, 1);
	a = &cfg.accounts[0];
	assert_string_equal(a->id, "a");
	assert_null(a->name);
	assert_int_equal(a->incoming.protocol, CONFIG_PROTO_IMAP);
	assert_int_equal(a->incoming.security, NET_SECURITY_TLS);
	assert_string_equal(a->incoming.host, "mail.example.com");
	assert_int_equal(a->incoming.port, 993);
	assert_null(a->outgoing.host);
	assert_string_equal(a->user, "a@example.com");
	assert_string_equal(a->smtp_user, "a@example.com");
	assert_int_equal(a->auth, CONFIG_AUTH_AUTO);
	assert_int_equal(a->pop3_policy, CONFIG_POP3_KEEP);
	assert_int_equal(a->prefetch, CONFIG_PREFETCH_RECENT);
	assert_int_equal(a->prefetch_recent, 30);
	assert_int_equal(a->sent_copy, CONFIG_SENT_COPY_AUTO);
	assert_int_equal(a->rate_period, CONFIG_RATE_NONE);
	assert_true(a->idle);
	assert_int_equal(a->poll_interval, 300);
	assert_int_equal(a->timeout, 300);
	assert_false(a->allow_plaintext);
	assert_false(a->is_default);
	assert_int_equal(a->line, 1);
	assert_true(config_default_account(&cfg) == a);
	assert_true(config_account_find(&cfg, "a") == a);
	assert_null(config_account_find(&cfg, "b"));

	assert_null(cfg.general.editor);
	assert_int_equal(cfg.general.log_level, LOG_LEVEL_WARN);
	assert_int_equal(cfg.general.sort, CONFIG_SORT_DATE);
	assert_false(cfg.general.sort_reverse);
	assert_true(cfg.general.threading);
	assert_true(cfg.general.sidebar);
	assert_string_equal(cfg.general.legacy_charset, "windows-1252");
	assert_true(cfg.general.prefer_plain);
	assert_int_equal(cfg.general.delete_mode, CONFIG_DELETE_TRASH);
	assert_int_equal(cfg.nwarnings, 0);
	config_free(&cfg);
	assert_null(cfg.accounts);
	config_free(&cfg);	/* twice is fine */
}

static void
check_full(const struct config *cfg)
{
	const struct config_account	*a;

	assert_string_equal(cfg->general.editor, "vim -c 'set tw=72'");
	assert_string_equal(cfg->general.log_file, "/tmp/surat-test.log");
	assert_int_equal(cfg->general.log_level, LOG_LEVEL_DEBUG);
	assert_int_equal(cfg->general.sort, CONFIG_SORT_ARRIVAL);
	assert_true(cfg->general.sort_reverse);
	assert_false(cfg->general.threading);
	assert_false(cfg->general.sidebar);
	assert_string_equal(cfg->general.html_converter,
	    "w3m -dump -T text/html");
	assert_string_equal(cfg->general.legacy_charset, "iso-8859-2");
	assert_false(cfg->general.prefer_plain);
	assert_int_equal(cfg->general.delete_mode, CONFIG_DELETE_EXPUNGE);

	assert_int_equal(cfg->ncolors, 2);
	assert_string_equal(cfg->colors[0].key, "index.new");
	assert_string_equal(cfg->colors[0].value, "bold green");
	assert_string_equal(cfg->colors[1].key, "quoted = key");
	assert_string_equal(cfg->colors[1].value, "red#not-a-comment");
	assert_int_equal(cfg->nkeys, 2);
	assert_string_equal(cfg->keys[0].key, "index <Esc>v");
	assert_string_equal(cfg->keys[0].value, "collapse-thread");
	assert_string_equal(cfg->keys[1].key, "pager,index ^F");

	assert_int_equal(cfg->naccounts, 3);
	a = &cfg->accounts[0];
	assert_string_equal(a->id, "work");
	assert_string_equal(a->name, "Budi \"Bud\" Santoso");
	assert_string_equal(a->email, "budi@example.com");
	assert_int_equal(a->incoming.protocol, CONFIG_PROTO_IMAP);
	assert_int_equal(a->incoming.security, NET_SECURITY_TLS);
	assert_string_equal(a->incoming.host, "mail.example.com");
	assert_int_equal(a->incoming.port, 10993);
	assert_string_equal(a->incoming.url_user, "budi@example.com");
	assert_int_equal(a->outgoing.protocol, CONFIG_PROTO_SMTP);
	assert_int_equal(a->outgoing.security, NET_SECURITY_STARTTLS);
	assert_int_equal(a->outgoing.port, 587);
	assert_null(a->outgoing.url_user);
	assert_string_equal(a->user, "budi.s");
	assert_string_equal(a->smtp_user, "budi-smtp");
	assert_string_equal(a->password_cmd, "pass show mail/work");
	assert_null(a->password);
	assert_string_equal(a->smtp_password_cmd, "pass show mail/work-smtp");
	assert_int_equal(a->auth, CONFIG_AUTH_LOGIN);
	assert_string_equal(a->oauth_token_cmd, "oauth2-token work");
	assert_string_equal(a->ca_file, "/etc/ssl/certs/ca-certificates.crt");
	assert_string_equal(a->pin, "sha256:abcdef0123456789abcdef0123456789"
	    "abcdef0123456789abcdef0123456789");
	assert_int_equal(a->timeout, 120);
	assert_int_equal(a->prefetch, CONFIG_PREFETCH_RECENT);
	assert_int_equal(a->prefetch_recent, 50);
	assert_false(a->idle);
	assert_int_equal(a->poll_interval, 600);
	assert_int_equal(a->sent_copy, CONFIG_SENT_COPY_NO);
	assert_string_equal(a->sent_folder, "Sent Items");
	assert_string_equal(a->drafts_folder, "Drafts");
	assert_string_equal(a->trash_folder, "Deleted Items");
	assert_int_equal(a->rate_limit, 100);
	assert_int_equal(a->rate_period, CONFIG_RATE_HOUR);
	assert_string_equal(a->signature_file, "/home/budi/.signature");
	assert_true(a->is_default);

	a = &cfg->accounts[1];
	assert_string_equal(a->id, "home pop");
	assert_int_equal(a->incoming.protocol, CONFIG_PROTO_POP3);
	assert_int_equal(a->incoming.security, NET_SECURITY_STARTTLS);
	assert_int_equal(a->incoming.port, 110);
	assert_int_equal(a->outgoing.security, NET_SECURITY_TLS);
	assert_int_equal(a->outgoing.port, 2465);
	assert_string_equal(a->password, "p#ss \\word");
	assert_true(a->save_password);
	assert_string_equal(a->user, "budi@home.example.org");
	assert_string_equal(a->smtp_user, "budi@home.example.org");
	assert_int_equal(a->pop3_policy, CONFIG_POP3_KEEP_DAYS);
	assert_int_equal(a->pop3_keep_days, 14);
	assert_int_equal(a->prefetch, CONFIG_PREFETCH_ALL);
	assert_int_equal(a->rate_limit, 500);
	assert_int_equal(a->rate_period, CONFIG_RATE_DAY);
	assert_false(a->is_default);

	a = &cfg->accounts[2];
	assert_string_equal(a->id, "plain");
	assert_int_equal(a->incoming.security, NET_SECURITY_PLAIN);
	assert_int_equal(a->outgoing.security, NET_SECURITY_PLAIN);
	assert_int_equal(a->outgoing.port, 10025);
	assert_true(a->allow_plaintext);
	assert_int_equal(a->pop3_policy, CONFIG_POP3_DELETE);
	assert_int_equal(a->prefetch, CONFIG_PREFETCH_NONE);
	assert_int_equal(a->sent_copy, CONFIG_SENT_COPY_YES);
	assert_string_equal(config_default_account(cfg)->id, "work");
}

static bool
has_warning(const struct config *cfg, const char *needle)
{
	size_t	i;

	for (i = 0; i < cfg->nwarnings; i++) {
		if (strstr(cfg->warnings[i], needle) != NULL)
			return true;
	}
	return false;
}

static void
test_full_roundtrip(void **state)
{
	struct config	 cfg, cfg2;
	struct err	 e;
	struct stat	 st;
	char		*out = tmp_path("sub/dir/roundtrip.conf");
	char		*text1, *text2;

	(void)state;
	err_clear(&e);
	assert_int_equal(config_load(TEST_DATA_DIR "/config/full.conf", &cfg,
	    &e), 0);
	check_full(&cfg);
	/* An IMAP account with pop3_policy gets a warning with its line. */
	assert_true(has_warning(&cfg, "full.conf:64: pop3_policy"));

	assert_int_equal(config_write(out, &cfg, &e), 0);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	config_free(&cfg);

	assert_int_equal(config_load(out, &cfg2, &e), 0);
	check_full(&cfg2);
	text1 = read_all(out);
	/* Writing what was read back gives the same bytes. */
	assert_int_equal(config_write(out, &cfg2, &e), 0);
	text2 = read_all(out);
	assert_string_equal(text1, text2);
	/* Defaults are not written; the password the file had is. */
	assert_null(strstr(text1, "idle = yes"));
	assert_null(strstr(text1, "threading = yes"));
	/* Backslashes are literal in unquoted values. */
	assert_non_null(strstr(text1, "password = p#ss \\word\n"));
	assert_non_null(strstr(text1, "[account \"home pop\"]\n"));
	free(text1);
	free(text2);
	config_free(&cfg2);
	free(out);
}

/* ------------------------------------------------------------------ */
/* Errors: every one names FILE:LINE and says what was expected. */

struct bad_case {
	const char	*text;
	int		 line;
	const char	*needle;
};

static const struct bad_case bad_cases[] = {
	{ "[account a]\nemail = a@b.c\nincoming = http://mail.example.com\n",
	    3, "imaps://" },
	{ "[account a]\nemail = a@b.c\nincoming = smtps://mail.example.com\n",
	    3, "expected a URL starting with imaps://" },
	{ "[account a]\nemail = a@b.c\noutgoing = imaps://h\n", 3,
	    "smtps://" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h:70000\n", 3,
	    "port from 1 to 65535" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h:0\n", 3,
	    "port" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h:99x\n", 3,
	    "port" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://\n", 3,
	    "host name" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h/INBOX\n", 3,
	    "without a path" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://u:pw@h\n", 3,
	    "password does not belong" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "passwrd = x\n", 4, "unknown key 'passwrd' in [account a]; did "
	    "you mean 'password'? Known keys: name, email, incoming" },
	{ "[general]\nsidebar_width = 3\n", 2,
	    "unknown key 'sidebar_width' in [general]" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "timeout = 100\n\ntimeout = 200\n", 6,
	    "duplicate key 'timeout' (first at line 4)" },
	{ "[colors]\na = red\na = blue\n", 3, "duplicate key 'a'" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "[account a]\n", 4, "duplicate account 'a' (first at line 1)" },
	{ "[general]\n[general]\n", 2, "duplicate section [general]" },
	{ "[account a]\nemail = a@b.c\nincoming = pop3s://h\n"
	    "pop3_policy = sometimes\n", 4, "keep-days:N" },
	{ "[account a]\nemail = a@b.c\nincoming = pop3s://h\n"
	    "pop3_policy = keep-days:0\n", 4, "keep-days:N" },
	{ "[account a]\nemail = a@b.c\nincoming = pop3s://h\n"
	    "pop3_policy = keep-days:x\n", 4, "keep-days:N" },
	{ "[account a]\nemail = a@b.c\nincoming = imap://h\n", 3,
	    "allow_plaintext = yes" },
	{ "[account a]\nemail = a@b.c\nincoming = pop3://h\n", 3,
	    "use pop3s:// or pop3+starttls://" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "outgoing = smtp://h\n", 4, "smtp:// would send the password" },
	{ "[account a]\nincoming = imaps://h\n", 1, "has no email" },
	{ "[account a]\nemail = a@b.c\n", 1, "has no incoming" },
	{ "[account a]\nemail = nobody\n", 2, "expected an address" },
	{ "email = a@b.c\n", 1, "outside any section" },
	{ "[acount a]\n", 1, "unknown section [acount]" },
	{ "[account]\n", 1, "needs a name" },
	{ "[general x]\n", 1, "takes no name" },
	{ "[general\n", 1, "missing ']'" },
	{ "[general]\neditor = \"vim\n", 2, "missing closing quote" },
	{ "[general]\neditor = \"vim\" x\n", 2, "after the closing quote" },
	{ "[general]\neditor = \"a\\n\"\n", 2, "unknown escape" },
	{ "[general]\neditor\n", 2, "expected 'key = value'" },
	{ "[general]\neditor =\n", 2, "editor: expected a value" },
	{ "[general]\nthreading = maybe\n", 2, "expected yes or no" },
	{ "[general]\nsort = random\n", 2, "reverse- in front" },
	{ "[general]\nlog_level = loud\n", 2, "expected one of error, warn" },
	{ "[general]\ndelete_mode = shred\n", 2, "trash, expunge" },
	{ "[general]\nlegacy_charset = a b\n", 2, "character set" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "default = yes\n[account b]\nemail = a@b.c\n"
	    "incoming = imaps://h\ndefault = yes\n", 8,
	    "already set for account 'a'" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "password = x\npassword_cmd = y\n", 4, "keep one" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "auth = xoauth2\n", 4, "needs oauth_token_cmd" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "auth = cram-md5\n", 4, "auto, plain, login, xoauth2" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "prefetch = recent:0\n", 4, "recent:N" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "prefetch = some\n", 4, "recent:N" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "prefetch = days:0\n", 4, "days:N" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "rate_limit = 100/week\n", 4, "N/hour or N/day" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "rate_limit = 0/hour\n", 4, "N/hour or N/day" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "timeout = 0\n", 4, "timeout: expected a number from 1" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "poll_interval = 5\n", 4, "from 10 to 86400" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "pin = sha256:abcd\n", 4, "64 hex digits" },
	{ "[account a]\nemail = a@b.c\nincoming = imaps://h\n"
	    "sent_copy = maybe\n", 4, "auto, yes, no" },
	{ "[general]\neditor = vi\x01\n", 2, "control character" },
	{ "[general]\neditor = \xff\xfe\n", 2, "UTF-8" },
};

static void
test_errors(void **state)
{
	struct config	 cfg;
	struct err	 e;
	char		*path = tmp_path("scratch.conf"), *prefix;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];

		if (load_text(c->text, &cfg, &e) == 0)
			fail_msg("case %zu loaded: %s", i, c->text);
		config_free(&cfg);
		prefix = xasprintf("%s:%d: ", path, c->line);
		if (e.code != ERR_CONFIG || !str_starts_with(e.msg, prefix) ||
		    strstr(e.msg, c->needle) == NULL)
			fail_msg("case %zu: got code %d '%s', want '%s' and "
			    "'%s'", i, e.code, e.msg, prefix, c->needle);
		free(prefix);
	}
	free(path);
}

static void
test_missing_file(void **state)
{
	struct config	 cfg;
	struct err	 e;
	char		*path = tmp_path("does/not/exist");

	(void)state;
	err_clear(&e);
	assert_int_equal(config_load(path, &cfg, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "run 'surat setup'"));
	config_free(&cfg);
	free(path);

	/* A directory is not a config file. */
	assert_int_equal(config_load(tmpdir, &cfg, &e), -1);
	assert_int_equal(e.code, ERR_CONFIG);
	config_free(&cfg);
}

static void
test_plaintext_allowed(void **state)
{
	struct config	cfg;
	struct err	e;

	(void)state;
	assert_int_equal(load_text("[account a]\nemail = a@b.c\n"
	    "incoming = pop3://h\noutgoing = smtp://h:25\n"
	    "allow_plaintext = yes\n", &cfg, &e), 0);
	assert_int_equal(cfg.accounts[0].incoming.port, 110);
	assert_int_equal(cfg.accounts[0].outgoing.port, 25);
	config_free(&cfg);
}

/* prefetch = days:N: the bodies of the last N days, written back alike. */
static void
test_prefetch_days(void **state)
{
	struct config	cfg;
	struct err	e;
	char		*path = tmp_path("days.conf"), *text;

	(void)state;
	assert_int_equal(load_text("[account a]\nemail = a@b.c\n"
	    "incoming = imaps://h\nprefetch = days:90\n", &cfg, &e), 0);
	assert_int_equal(cfg.accounts[0].prefetch, CONFIG_PREFETCH_DAYS);
	assert_int_equal(cfg.accounts[0].prefetch_days, 90);
	unlink(path);
	assert_int_equal(config_write_account(path, &cfg.accounts[0], &e), 0);
	config_free(&cfg);
	text = read_all(path);
	assert_non_null(strstr(text, "prefetch = days:90\n"));
	free(text);
	unlink(path);
	free(path);
}

/* An option that mirrors a key goes through the key's own setter. */
static void
test_account_set(void **state)
{
	struct config_account	a;
	struct err		e;

	(void)state;
	config_account_init(&a);
	err_clear(&e);
	assert_int_equal(config_account_set(&a, "prefetch", "--prefetch",
	    "DAYS:7", &e), 0);
	assert_int_equal(a.prefetch, CONFIG_PREFETCH_DAYS);
	assert_int_equal(a.prefetch_days, 7);
	assert_int_equal(config_account_set(&a, "pop3_policy",
	    "--pop3-policy", "keep-days:30", &e), 0);
	assert_int_equal(a.pop3_policy, CONFIG_POP3_KEEP_DAYS);
	assert_int_equal(a.pop3_keep_days, 30);
	assert_int_equal(config_account_set(&a, "prefetch", "--prefetch",
	    "recent:0", &e), -1);
	assert_non_null(strstr(e.msg, "--prefetch: expected none, "));
	assert_int_equal(a.prefetch, CONFIG_PREFETCH_DAYS);
	err_clear(&e);
	assert_int_equal(config_account_set(&a, "pop3_policy",
	    "--pop3-policy", "keep-days:36501", &e), -1);
	assert_non_null(strstr(e.msg, "--pop3-policy: expected keep, "));
	err_clear(&e);
	assert_int_equal(config_account_set(&a, "prefech", "--prefech",
	    "all", &e), -1);
	assert_non_null(strstr(e.msg, "'prefetch'"));
	config_account_clear(&a);
}

static void
test_syntax(void **state)
{
	struct config			 cfg;
	struct err			 e;
	const struct config_account	*a;

	(void)state;
	assert_int_equal(load_text(
	    "  # indented comment\n"
	    "\n"
	    "[account a]\n"
	    "email = a@b.c\n"
	    "incoming = imaps://h\n"
	    "IDLE = no\n", &cfg, &e), -1);
	/* Keys are case-sensitive: IDLE is unknown. */
	assert_non_null(strstr(e.msg, ":6: unknown key 'IDLE' in "
	    "[account a]; did you mean 'idle'?"));
	config_free(&cfg);

	assert_int_equal(load_text(
	    "[ account   \"x y\" ]   # comment after a header\r\n"
	    "email=a@b.c\n"
	    "incoming\t=\timaps://USER@Mail.Example.COM:143   # comment\n"
	    "name = Budi # Santoso\n"
	    "sent_folder = a#b\n"
	    "drafts_folder = \"  spaced # not a comment  \"  # comment\n"
	    "trash_folder = \"\\\"q\\\\\"\n"
	    "password_cmd = echo \"a b\"\n"
	    "idle = NO\n", &cfg, &e), 0);
	a = &cfg.accounts[0];
	assert_string_equal(a->id, "x y");
	assert_string_equal(a->incoming.host, "mail.example.com");
	assert_string_equal(a->incoming.url_user, "USER");
	assert_string_equal(a->user, "USER");
	assert_int_equal(a->incoming.port, 143);
	assert_string_equal(a->name, "Budi");
	assert_string_equal(a->sent_folder, "a#b");
	assert_string_equal(a->drafts_folder, "  spaced # not a comment  ");
	assert_string_equal(a->trash_folder, "\"q\\");
	assert_string_equal(a->password_cmd, "echo \"a b\"");
	assert_false(a->idle);
	config_free(&cfg);
}

static void
test_server_urls(void **state)
{
	struct config_server	 s;
	struct err		 e;
	char			*url;

	(void)state;
	assert_int_equal(config_server_parse("IMAPS://me@example.com@h", true,
	    &s, &e), 0);
	assert_string_equal(s.url_user, "me@example.com");
	assert_string_equal(s.host, "h");
	assert_int_equal(s.port, 993);
	url = config_server_url(&s);
	assert_string_equal(url, "imaps://me@example.com@h:993");
	free(url);
	config_server_clear(&s);

	assert_int_equal(config_server_parse("pop3s://a%20b%3Ac@[::1]:1995",
	    true, &s, &e), 0);
	assert_string_equal(s.url_user, "a b:c");
	assert_string_equal(s.host, "::1");
	assert_int_equal(s.port, 1995);
	url = config_server_url(&s);
	assert_string_equal(url, "pop3s://a%20b%3Ac@[::1]:1995");
	free(url);
	config_server_clear(&s);

	assert_int_equal(config_server_parse("smtps://h", false, &s, &e), 0);
	assert_int_equal(s.port, 465);
	config_server_clear(&s);
	assert_int_equal(config_server_parse("smtp+starttls://h", false, &s,
	    &e), 0);
	assert_int_equal(s.port, 587);
	config_server_clear(&s);
	assert_int_equal(config_server_parse("pop3+starttls://h", true, &s,
	    &e), 0);
	assert_int_equal(s.port, 110);
	config_server_clear(&s);
	assert_int_equal(config_server_parse("imap+starttls://h", true, &s,
	    &e), 0);
	assert_int_equal(s.port, 143);
	config_server_clear(&s);

	assert_int_equal(config_server_parse("smtps://h", true, &s, &e), -1);
	assert_int_equal(e.code, ERR_CONFIG);
	assert_int_equal(config_server_parse("imaps://%zz@h", true, &s, &e),
	    -1);
	assert_int_equal(config_server_parse("imaps://%00@h", true, &s, &e),
	    -1);
	assert_int_equal(config_server_parse("imaps://@h", true, &s, &e), -1);
	assert_int_equal(config_server_parse("imaps://[::1", true, &s, &e),
	    -1);
	assert_int_equal(config_server_parse("imaps://h:", true, &s, &e), -1);
	assert_int_equal(config_server_parse("imaps://h:-1", true, &s, &e),
	    -1);
	assert_int_equal(config_server_parse("imaps://h h", true, &s, &e),
	    -1);
	assert_int_equal(config_server_parse("imaps:/h", true, &s, &e), -1);
}

/* ------------------------------------------------------------------ */
/* The writer */

static const char existing[] =
    "# My mail setup.\n"
    "[general]\n"
    "editor = vim   # my editor\n"
    "\n"
    "# The work account.\n"
    "[account work]\n"
    "email = budi@example.com   # keep this comment\n"
    "incoming = imaps://mail.example.com:993\n"
    "# a comment inside the section\n"
    "timeout = 100\n"
    "prefetch = all\n"
    "default = yes\n"
    "\n"
    "# The home account follows.\n"
    "[account home]\n"
    "email = me@home.example\n"
    "incoming = pop3s://pop.home.example:995\n"
    "password = secret1\n"
    "default = no\n";

static void
test_write_account_replace(void **state)
{
	struct config			 cfg;
	struct config_account		 a;
	struct err			 e;
	char				*path = tmp_path("merge.conf");
	char				*text;
	const struct config_account	*w;

	(void)state;
	write_file(path, existing, 0644);
	err_clear(&e);
	assert_int_equal(config_load(path, &cfg, &e), 0);
	/* Clear-text password in a 0644 file: warned, naming the line. */
	assert_true(has_warning(&cfg, "merge.conf:15: account 'home' has a "
	    "clear-text password"));
	config_account_copy(&a, config_account_find(&cfg, "work"));
	config_free(&cfg);

	a.timeout = 200;			/* changed */
	a.prefetch = CONFIG_PREFETCH_RECENT;	/* back to the default */
	a.prefetch_recent = 30;
	a.idle = false;				/* new */
	a.password = xstrdup("hunter2");	/* not insisted: not written */
	assert_int_equal(config_write_account(path, &a, &e), 0);

	text = read_all(path);
	assert_string_equal(text,
	    "# My mail setup.\n"
	    "[general]\n"
	    "editor = vim   # my editor\n"
	    "\n"
	    "# The work account.\n"
	    "[account work]\n"
	    "email = budi@example.com   # keep this comment\n"
	    "incoming = imaps://mail.example.com:993\n"
	    "# a comment inside the section\n"
	    "timeout = 200\n"
	    "default = yes\n"
	    "idle = no\n"
	    "\n"
	    "# The home account follows.\n"
	    "[account home]\n"
	    "email = me@home.example\n"
	    "incoming = pop3s://pop.home.example:995\n"
	    "password = secret1\n");
	assert_null(strstr(text, "hunter2"));
	free(text);

	/* The user insisted: now it is written. */
	a.save_password = true;
	assert_int_equal(config_write_account(path, &a, &e), 0);
	assert_int_equal(config_load(path, &cfg, &e), 0);
	w = config_account_find(&cfg, "work");
	assert_string_equal(w->password, "hunter2");
	assert_int_equal(w->timeout, 200);
	assert_false(w->idle);
	assert_string_equal(config_account_find(&cfg, "home")->password,
	    "secret1");
	assert_string_equal(cfg.general.editor, "vim");
	config_free(&cfg);
	config_account_clear(&a);
	free(path);
}

static void
test_write_account_add(void **state)
{
	struct config		 cfg;
	struct config_account	 a;
	struct err		 e;
	struct stat		 st;
	char			*path = tmp_path("new/dir/config");
	char			*link = tmp_path("link.conf");
	char			*text;

	(void)state;
	config_account_init(&a);
	a.id = xstrdup("gmail");
	a.email = xstrdup("budi@gmail.com");
	a.name = xstrdup("Budi Santoso");
	assert_int_equal(config_server_parse("imaps://imap.gmail.com", true,
	    &a.incoming, &e), 0);
	assert_int_equal(config_server_parse("smtps://smtp.gmail.com", false,
	    &a.outgoing, &e), 0);
	a.password_cmd = xstrdup("pass show gmail");
	err_clear(&e);
	/* A new file in a new directory. */
	assert_int_equal(config_write_account(path, &a, &e), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(config_load(path, &cfg, &e), 0);
	assert_int_equal(cfg.naccounts, 1);
	assert_string_equal(cfg.accounts[0].user, "budi@gmail.com");
	assert_string_equal(cfg.accounts[0].password_cmd, "pass show gmail");
	config_free(&cfg);

	/* Through a symlink: the link stays, its target changes. */
	assert_int_equal(symlink(path, link), 0);
	xfree(&a.id);
	a.id = xstrdup("second");
	a.is_default = true;
	assert_int_equal(config_write_account(link, &a, &e), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(config_load(path, &cfg, &e), 0);
	assert_int_equal(cfg.naccounts, 2);
	assert_string_equal(config_default_account(&cfg)->id, "second");
	config_free(&cfg);

	/* A new default takes "default" away from the others. */
	xfree(&a.id);
	a.id = xstrdup("gmail");
	assert_int_equal(config_write_account(path, &a, &e), 0);
	assert_int_equal(config_load(path, &cfg, &e), 0);
	assert_string_equal(config_default_account(&cfg)->id, "gmail");
	assert_false(config_account_find(&cfg, "second")->is_default);
	config_free(&cfg);

	/* A bad account is refused and the file stays as it was. */
	text = read_all(path);
	a.allow_plaintext = false;
	a.incoming.security = NET_SECURITY_PLAIN;
	assert_int_equal(config_write_account(path, &a, &e), -1);
	assert_int_equal(e.code, ERR_CONFIG);
	assert_non_null(strstr(e.msg, "allow_plaintext"));
	a.incoming.security = NET_SECURITY_TLS;
	xfree(&a.name);
	a.name = xstrdup("line\nbreak");
	assert_int_equal(config_write_account(path, &a, &e), -1);
	{
		char *now = read_all(path);

		assert_string_equal(text, now);
		free(now);
	}
	free(text);

	/* Removing. */
	assert_int_equal(config_remove_account(path, "second", &e), 0);
	assert_int_equal(config_load(path, &cfg, &e), 0);
	assert_int_equal(cfg.naccounts, 1);
	assert_string_equal(cfg.accounts[0].id, "gmail");
	config_free(&cfg);
	assert_int_equal(config_remove_account(path, "second", &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);

	config_account_clear(&a);
	free(link);
	free(path);
}

static void
test_write_refuses_broken_file(void **state)
{
	struct config_account	 a;
	struct err		 e;
	char			*path = tmp_path("broken.conf");

	(void)state;
	write_file(path, "[general]\neditor = \"unterminated\n", 0600);
	config_account_init(&a);
	a.id = xstrdup("x");
	a.email = xstrdup("x@example.com");
	assert_int_equal(config_server_parse("imaps://h", true, &a.incoming,
	    &e), 0);
	err_clear(&e);
	assert_int_equal(config_write_account(path, &a, &e), -1);
	assert_int_equal(e.code, ERR_CONFIG);
	assert_non_null(strstr(e.msg, "broken.conf:2: "));
	config_account_clear(&a);
	free(path);
}

static void
test_timeout_warning(void **state)
{
	struct config	cfg;
	struct err	e;

	(void)state;
	assert_int_equal(load_text("[account a]\nemail = a@b.c\n"
	    "incoming = imaps://h\npassword = x\ntimeout = 30\n", &cfg, &e),
	    0);
	/* Mode 0600: no permission warning; the short timeout is warned. */
	assert_int_equal(cfg.nwarnings, 1);
	assert_non_null(strstr(cfg.warnings[0], "scratch.conf:5: timeout = "
	    "30 is short"));
	config_free(&cfg);
}

/* ------------------------------------------------------------------ */
/* Paths */

static void
test_xdg_paths(void **state)
{
	struct err	 e;
	char		*p;

	(void)state;
	setenv("HOME", "/home/budi", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	p = config_default_path(&e);
	assert_string_equal(p, "/home/budi/.config/surat/config");
	free(p);
	p = config_default_data_dir(&e);
	assert_string_equal(p, "/home/budi/.local/share/surat");
	free(p);

	setenv("XDG_CONFIG_HOME", "/xdg/config", 1);
	setenv("XDG_DATA_HOME", "/xdg/data", 1);
	p = config_default_path(&e);
	assert_string_equal(p, "/xdg/config/surat/config");
	free(p);
	p = config_data_dir(NULL, &e);
	assert_string_equal(p, "/xdg/data/surat");
	free(p);

	/* Relative XDG values are ignored, as the spec says. */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = config_path(NULL, &e);
	assert_string_equal(p, "/home/budi/.config/surat/config");
	free(p);

	/* Overrides (--config, SURAT_CONFIG) win, with ~ expanded. */
	p = config_path("~/my.conf", &e);
	assert_string_equal(p, "/home/budi/my.conf");
	free(p);
	p = config_data_dir("/srv/mail", &e);
	assert_string_equal(p, "/srv/mail");
	free(p);

	/* "~/" in path values. */
	{
		struct config	cfg;

		assert_int_equal(load_text("[general]\nlog_file = ~/s.log\n",
		    &cfg, &e), 0);
		assert_string_equal(cfg.general.log_file, "/home/budi/s.log");
		config_free(&cfg);
	}
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
}

/* ------------------------------------------------------------------ */
/* Providers */

static void
test_provider_lookup(void **state)
{
	const struct config_provider	*p;
	struct config_server		 s;
	struct err			 e;
	size_t				 i;
	static const char *const	 all[] = {
		"gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
		"live.com", "msn.com", "yahoo.com", "icloud.com", "me.com",
		"fastmail.com", "zoho.com", "gmx.com", "gmx.de", "aol.com",
		"yandex.ru", "mail.ru", "proton.me",
	};

	(void)state;
	unsetenv("SURAT_PROVIDERS_FILE");
	p = config_provider_lookup("Budi.Santoso@GMail.COM");
	assert_non_null(p);
	assert_string_equal(p->name, "Gmail");
	assert_string_equal(p->imap_url, "imaps://imap.gmail.com:993");
	assert_string_equal(p->pop3_url, "pop3s://pop.gmail.com:995");
	assert_string_equal(p->smtp_url, "smtps://smtp.gmail.com:465");
	assert_string_equal(p->smtp_alt_url,
	    "smtp+starttls://smtp.gmail.com:587");
	assert_non_null(strstr(p->note, "app password"));
	p = config_provider_lookup("x@hotmail.com");
	assert_non_null(p);
	assert_string_equal(p->smtp_url,
	    "smtp+starttls://smtp.office365.com:587");
	p = config_provider_lookup("x@icloud.com");
	assert_null(p->pop3_url);
	assert_string_equal(p->smtp_url, "smtp+starttls://smtp.mail.me.com:587");
	p = config_provider_lookup("x@pm.me");
	assert_string_equal(p->imap_url, "imap+starttls://127.0.0.1:1143");
	assert_non_null(config_provider_lookup("googlemail.com"));
	assert_null(config_provider_lookup("x@example.com"));
	assert_null(config_provider_lookup("x@"));
	assert_null(config_provider_lookup(""));

	/* Every URL in the table parses as what it claims to be. */
	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		p = config_provider_lookup(all[i]);
		assert_non_null(p);
		assert_non_null(p->note);
		assert_non_null(p->imap_url);
		assert_int_equal(config_server_parse(p->imap_url, true, &s,
		    &e), 0);
		assert_int_equal(s.protocol, CONFIG_PROTO_IMAP);
		assert_int_not_equal(s.security, NET_SECURITY_PLAIN);
		config_server_clear(&s);
		if (p->pop3_url != NULL) {
			assert_int_equal(config_server_parse(p->pop3_url, true,
			    &s, &e), 0);
			assert_int_equal(s.protocol, CONFIG_PROTO_POP3);
			config_server_clear(&s);
		}
		assert_int_equal(config_server_parse(p->smtp_url, false, &s,
		    &e), 0);
		assert_int_not_equal(s.security, NET_SECURITY_PLAIN);
		config_server_clear(&s);
	}
}

static void
test_providers_file(void **state)
{
	const struct config_provider	*p;
	char				*path = tmp_path("providers");

	(void)state;
	write_file(path,
	    "# test providers\n"
	    "\n"
	    "Example.TEST imap+starttls://127.0.0.1:10143 - "
	    "smtp+starttls://127.0.0.1:10587 Local test server.\n"
	    "gmail.com imaps://127.0.0.1:10993 pop3s://127.0.0.1:10995 "
	    "smtps://127.0.0.1:10465\n"
	    "bad.test http://x - - broken url\n", 0644);
	setenv("SURAT_PROVIDERS_FILE", path, 1);
	p = config_provider_lookup("user@EXAMPLE.test");
	assert_non_null(p);
	assert_string_equal(p->domain, "example.test");
	assert_string_equal(p->imap_url, "imap+starttls://127.0.0.1:10143");
	assert_null(p->pop3_url);
	assert_string_equal(p->smtp_url, "smtp+starttls://127.0.0.1:10587");
	assert_string_equal(p->note, "Local test server.");
	/* The file comes before the built-in table. */
	p = config_provider_lookup("x@gmail.com");
	assert_string_equal(p->imap_url, "imaps://127.0.0.1:10993");
	assert_null(p->note);
	p = config_provider_lookup("x@bad.test");
	assert_non_null(p);
	assert_null(p->imap_url);

	/* A changed file is read again. */
	write_file(path, "other.test imaps://127.0.0.1:1 - - changed\n", 0644);
	{
		struct timespec ts[2] = { { 0, UTIME_NOW }, { 1, 0 } };

		assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
	assert_non_null(config_provider_lookup("x@other.test"));
	assert_null(config_provider_lookup("x@example.test"));
	assert_string_equal(config_provider_lookup("x@gmail.com")->imap_url,
	    "imaps://imap.gmail.com:993");
	unsetenv("SURAT_PROVIDERS_FILE");
	free(path);
}

static void
test_guess_servers(void **state)
{
	struct config_guess	*g;
	size_t			 n;

	(void)state;
	n = config_guess_servers("budi@Example.ORG", &g);
	assert_int_equal(n, 12);
	assert_int_equal(g[0].protocol, CONFIG_PROTO_IMAP);
	assert_int_equal(g[0].security, NET_SECURITY_TLS);
	assert_string_equal(g[0].host, "imap.example.org");
	assert_int_equal(g[0].port, 993);
	assert_string_equal(g[1].host, "mail.example.org");
	assert_int_equal(g[2].port, 143);
	assert_int_equal(g[2].security, NET_SECURITY_STARTTLS);
	assert_string_equal(g[4].host, "pop.example.org");
	assert_int_equal(g[4].port, 995);
	assert_int_equal(g[6].port, 110);
	assert_string_equal(g[8].host, "smtp.example.org");
	assert_int_equal(g[8].port, 465);
	assert_int_equal(g[10].port, 587);
	assert_string_equal(g[11].host, "mail.example.org");
	config_guess_free(&g, n);
	assert_null(g);
	assert_int_equal(config_guess_servers("no-domain", &g), 0);
	assert_null(g);
}

/* The sample configs shipped in contrib/ load without errors. */
static void
test_contrib_samples(void **state)
{
	static const char *const names[] = {
		"gmail-imap.conf", "pop3-keep-days.conf", "multi-account.conf",
	};
	struct config	 cfg;
	struct err	 e;
	char		*path;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		path = xasprintf("%s/../../contrib/%s", TEST_DATA_DIR,
		    names[i]);
		err_clear(&e);
		if (config_load(path, &cfg, &e) != 0)
			fail_msg("%s", e.msg);
		assert_true(cfg.naccounts > 0);
		config_free(&cfg);
		free(path);
	}
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char	*cmd;
	int	 rc;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_roundtrip),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_plaintext_allowed),
		cmocka_unit_test(test_prefetch_days),
		cmocka_unit_test(test_account_set),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_server_urls),
		cmocka_unit_test(test_write_account_replace),
		cmocka_unit_test(test_write_account_add),
		cmocka_unit_test(test_write_refuses_broken_file),
		cmocka_unit_test(test_timeout_warning),
		cmocka_unit_test(test_xdg_paths),
		cmocka_unit_test(test_provider_lookup),
		cmocka_unit_test(test_providers_file),
		cmocka_unit_test(test_guess_servers),
		cmocka_unit_test(test_contrib_samples),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
