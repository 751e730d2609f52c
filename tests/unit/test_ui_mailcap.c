/*
 * Unit tests for src/ui/mailcap.c: RFC 1524 parsing, type matching,
 * test= selection, %-expansion quoted for every shell context, the
 * private temporary file, and running commands -- with hostile
 * attachment names and parameters that must never reach a shell.
 */
#include "config.h"

#include "testutil.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ui/mailcap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

static const char *const hostile[] = {
	"$(touch x).pdf",
	";rm -rf ~;.txt",
	"../../.bashrc",
	"`touch x`.png",
	"a'b\"c$(touch x)'.jpg",
	"x\n; touch x;.html",
	"|touch x|",
	"",
};

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st; (void)type; (void)f;
	return remove(path);
}

static char *
make_dir(void)
{
	char	*d = xstrdup("/tmp/surat-mailcap-test-XXXXXX");

	assert_non_null(mkdtemp(d));
	return d;
}

static void
test_parse(void **state)
{
	static const char text[] =
	    "# comment line\n"
	    "\n"
	    "text/html; lynx -dump %s; copiousoutput; nametemplate=%s.html\n"
	    "image/*; display %s; test=test -n \"$DISPLAY\"\r\n"
	    "application/pdf; zathura \\\n  %s; needsterminal;"
	    " description=PDF \\; files\n"
	    "video; mpv -- %s\n"
	    "text/plain; printf 'a\\;b' %s; x-unknown=1; COPIOUSOUTPUT\n"
	    "   # indented comment\n"
	    "bad-line-without-command\n"
	    "text/x-odd; cmd \\\\\n"
	    "text/x-next; next %s\n";
	struct mailcap	mc;

	(void)state;
	memset(&mc, 0, sizeof mc);
	mailcap_parse(&mc, text, sizeof text - 1);
	assert_int_equal(mc.n, 7);
	assert_string_equal(mc.v[0].type, "text/html");
	assert_string_equal(mc.v[0].view, "lynx -dump %s");
	assert_true(mc.v[0].copiousoutput);
	assert_false(mc.v[0].needsterminal);
	assert_string_equal(mc.v[0].nametemplate, "%s.html");
	assert_string_equal(mc.v[1].type, "image/*");
	assert_string_equal(mc.v[1].test, "test -n \"$DISPLAY\"");
	assert_string_equal(mc.v[2].type, "application/pdf");
	assert_string_equal(mc.v[2].view, "zathura   %s");
	assert_true(mc.v[2].needsterminal);
	assert_string_equal(mc.v[2].description, "PDF ; files");
	/* A type without a subtype is the whole major type. */
	assert_string_equal(mc.v[3].type, "video/*");
	assert_string_equal(mc.v[4].view, "printf 'a;b' %s");
	assert_true(mc.v[4].copiousoutput);
	/* An even run of backslashes does not continue the line. */
	assert_string_equal(mc.v[5].view, "cmd \\");
	assert_string_equal(mc.v[6].type, "text/x-next");
	mailcap_free(&mc);

	/* A NUL in a line drops that line only. */
	memset(&mc, 0, sizeof mc);
	mailcap_parse(&mc, "a/b; x\0y\nc/d; z\n", 16);
	assert_int_equal(mc.n, 1);
	assert_string_equal(mc.v[0].type, "c/d");
	mailcap_free(&mc);
}

static void
test_match_and_find(void **state)
{
	static const char text[] =
	    "image/png; never %s; test=false\n"
	    "image/*; any-image %s\n"
	    "text/html; conv %s; copiousoutput\n"
	    "text/html; browser %s\n"
	    "*/*; fallback %s\n";
	struct mailcap			 mc;
	const struct mailcap_entry	*e;

	(void)state;
	assert_true(mailcap_type_match("image/*", "image/png"));
	assert_true(mailcap_type_match("IMAGE/PNG", "image/png"));
	assert_false(mailcap_type_match("image/*", "imagex/png"));
	assert_false(mailcap_type_match("image/png", "image/pngx"));
	assert_false(mailcap_type_match("text/plain", "text/html"));
	assert_true(mailcap_type_match("*/*", "application/pdf"));

	memset(&mc, 0, sizeof mc);
	mailcap_parse(&mc, text, sizeof text - 1);
	/* Without a way to run tests, entries with test= never match. */
	e = mailcap_find(&mc, "image/png", false, NULL, NULL);
	assert_non_null(e);
	assert_string_equal(e->view, "any-image %s");
	e = mailcap_find(&mc, "text/html", false, NULL, NULL);
	assert_string_equal(e->view, "conv %s");
	/* "open" wants a program, not text for the pager. */
	e = mailcap_find(&mc, "text/html", true, NULL, NULL);
	assert_string_equal(e->view, "browser %s");
	e = mailcap_find(&mc, "application/zip", false, NULL, NULL);
	assert_string_equal(e->view, "fallback %s");
	mailcap_free(&mc);
}

static void
test_expand(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	bool		 uses;

	(void)state;
	s = mailcap_expand("view %s", "/tmp/d/f.pdf", "application/pdf",
	    NULL, NULL, &uses);
	assert_string_equal(s, "view '/tmp/d/f.pdf'");
	assert_true(uses);
	free(s);
	s = mailcap_expand("view -t %t 100%% \\%s", "/f", "text/plain", NULL,
	    NULL, &uses);
	assert_string_equal(s, "view -t 'text/plain' 100% %s");
	assert_false(uses);
	free(s);
	/* Inside the template's own quotes the quoting still holds. */
	s = mailcap_expand("a '%s' \"%s\" %n%F", "/d/it's", "x/y", NULL, NULL,
	    &uses);
	assert_string_equal(s, "a '/d/it'\\''s' \"/d/it's\" ");
	free(s);
	s = mailcap_expand("a \"%s\"", "/d/$x`y`\"z\\", "x/y", NULL, NULL,
	    &uses);
	assert_string_equal(s, "a \"/d/\\$x\\`y\\`\\\"z\\\\\"");
	free(s);
	mailcap_shell_quote(&b, "it's");
	assert_string_equal(buf_cstr(&b), "'it'\\''s'");
	buf_free(&b);
}

static const char *
hostile_param(void *arg, const char *name)
{
	if (strcmp(name, "name") == 0)
		return arg;
	if (strcmp(name, "charset") == 0)
		return "utf-8";
	return NULL;
}

static void
test_params_reduced(void **state)
{
	char	*s;
	bool	 uses;

	(void)state;
	s = mailcap_expand("v %{charset} %{name} %{none} %{open", "/f",
	    "text/x;$(touch x)", hostile_param, (void *)"$(touch x)'`;.pdf",
	    &uses);
	assert_string_equal(s, "v 'utf-8' 'touchx.pdf' '' %{open");
	free(s);
	s = mailcap_expand("v %t", "/f", "te'xt/`x`$(y)", NULL, NULL, &uses);
	assert_string_equal(s, "v 'text/xy'");
	free(s);
}

static void
test_suffix(void **state)
{
	struct mailcap_entry	 e;
	char			*s;
	size_t			 i;

	(void)state;
	memset(&e, 0, sizeof e);
	s = mailcap_suffix(NULL, "$(touch x).pdf");
	assert_string_equal(s, ".pdf");
	free(s);
	s = mailcap_suffix(NULL, ";rm -rf ~;.txt");
	assert_string_equal(s, ".txt");
	free(s);
	s = mailcap_suffix(NULL, "../../.bashrc");
	assert_string_equal(s, ".bashrc");
	free(s);
	s = mailcap_suffix(NULL, "report.tar.g$(z)");
	assert_string_equal(s, ".gz");
	free(s);
	s = mailcap_suffix(NULL, "no-extension");
	assert_string_equal(s, "");
	free(s);
	s = mailcap_suffix(NULL, "dots.;;");
	assert_string_equal(s, "");
	free(s);
	s = mailcap_suffix(NULL, "x.abcdefghijklmnopqrstuvwxyz");
	assert_string_equal(s, ".abcdefghijklmnop");
	free(s);
	/* The entry's nametemplate wins over the attachment's name. */
	e.nametemplate = (char *)"%s.html";
	s = mailcap_suffix(&e, "evil.sh");
	assert_string_equal(s, ".html");
	free(s);
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		const char *p;

		s = mailcap_suffix(NULL, hostile[i]);
		for (p = s; *p != '\0'; p++)
			assert_true(*p == '.' || (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9'));
		free(s);
	}
}

static void
test_temp_file(void **state)
{
	struct stat	 st;
	struct err	 err;
	char		*dir, *path, *base, buf[16];
	int		 fd;
	ssize_t		 n;

	(void)state;
	dir = make_dir();
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	err_clear(&err);
	path = mailcap_write_temp(dir, ".pdf", "%PDF-1", 6, &err);
	assert_non_null(path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	base = strrchr(path, '/') + 1;
	assert_int_equal(strncmp(base, "surat-", 6), 0);
	assert_int_equal(strlen(base), strlen("surat-XXXXXX.pdf"));
	assert_string_equal(base + 12, ".pdf");
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	n = read(fd, buf, sizeof buf);
	close(fd);
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "%PDF-1", 6);
	free(path);
	/* Two files never share a name. */
	path = mailcap_write_temp(dir, "", "", 0, &err);
	assert_non_null(path);
	free(path);
	/* A directory that is not there: an error, no crash. */
	path = mailcap_write_temp("/nonexistent/dir", ".txt", "x", 1, &err);
	assert_null(path);
	assert_int_equal(err.code, ERR_IO);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/*
 * The whole path with each hostile name: its file gets our name, the
 * command runs through sh with %s, %t and %{name}, and nothing the name
 * says happens (no file x, nothing removed, no escape from the dir).
 */
static void
test_hostile_names_run(void **state)
{
	struct mailcap		 mc;
	const struct mailcap_entry *e;
	struct buf		 out = BUF_INIT;
	struct err		 err;
	struct stat		 st;
	char			*dir, *work, *home, *cwd, *suffix, *path, *cmd;
	char			*marker, *mcfile;
	size_t			 i;
	bool			 uses;
	int			 rc;
	FILE			*f;

	(void)state;
	dir = make_dir();
	work = xasprintf("%s/work", dir);
	home = xasprintf("%s/home", dir);
	marker = xasprintf("%s/home/keep", dir);
	assert_int_equal(mkdir(work, 0700), 0);
	assert_int_equal(mkdir(home, 0700), 0);
	assert_non_null(f = fopen(marker, "w"));
	fclose(f);
	mcfile = xasprintf("%s/mailcap", dir);
	assert_non_null(f = fopen(mcfile, "w"));
	fprintf(f, "application/*; cat %%s; copiousoutput\n"
	    "text/*; printf '\\%%s|' %%t %%{name}\\; cat \"%%s\"; "
	    "copiousoutput\n");
	fclose(f);
	setenv("MAILCAPS", mcfile, 1);
	mailcap_load(&mc);
	unsetenv("MAILCAPS");
	assert_int_equal(mc.n, 2);
	cwd = getcwd(NULL, 0);
	setenv("HOME", home, 1);
	assert_int_equal(chdir(work), 0);
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		const char *type = i % 2 ? "text/plain" : "application/pdf";

		e = mailcap_find(&mc, type, false, NULL, NULL);
		assert_non_null(e);
		suffix = mailcap_suffix(e, hostile[i]);
		err_clear(&err);
		path = mailcap_write_temp(dir, suffix, "DATA", 4, &err);
		assert_non_null(path);
		/* Our name: the directory we chose, nothing of theirs. */
		assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
		assert_null(strchr(path + strlen(dir) + 1, '/'));
		assert_null(strpbrk(path, "$`;'\"|~ \n()"));
		cmd = mailcap_expand(e->view, path, type, hostile_param,
		    (void *)hostile[i], &uses);
		assert_true(uses);
		buf_reset(&out);
		rc = mailcap_run_capture(cmd, NULL, 4096, 5000, &out, &err);
		assert_int_equal(rc, 0);
		assert_non_null(strstr(buf_cstr(&out), "DATA"));
		if (i % 2)
			assert_int_equal(strncmp(buf_cstr(&out),
			    "text/plain|", 11), 0);
		assert_int_equal(unlink(path), 0);
		free(cmd);
		free(path);
		free(suffix);
	}
	/* Nothing the names asked for happened. */
	assert_int_equal(stat("x", &st), -1);
	assert_int_equal(stat(marker, &st), 0);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	mailcap_free(&mc);
	buf_free(&out);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(dir);
	free(work);
	free(home);
	free(marker);
	free(mcfile);
}

static void
test_run(void **state)
{
	struct buf	 out = BUF_INIT;
	struct err	 err;
	struct timespec	 a, b;
	char		*dir, *in;
	int		 rc, status;
	pid_t		 pid;

	(void)state;
	err_clear(&err);
	rc = mailcap_run_capture("echo out; echo err >&2; exit 3", NULL,
	    1024, 5000, &out, &err);
	assert_int_equal(rc, 3);
	assert_string_equal(buf_cstr(&out), "out\nerr\n");
	/* The cap: the rest is read and dropped, the command ends. */
	buf_reset(&out);
	rc = mailcap_run_capture("head -c 200000 /dev/zero", NULL, 1000, 5000,
	    &out, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(out.len, 1000);
	/* A command that hangs is killed at the deadline. */
	buf_reset(&out);
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = mailcap_run_capture("sleep 20; echo late", NULL, 1000, 300,
	    &out, &err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(rc, 124);
	assert_true(b.tv_sec - a.tv_sec < 5);
	/* Standard input from the file when the command has no %s. */
	dir = make_dir();
	in = mailcap_write_temp(dir, ".txt", "from stdin\n", 11, &err);
	assert_non_null(in);
	buf_reset(&out);
	rc = mailcap_run_capture("cat", in, 1000, 5000, &out, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(buf_cstr(&out), "from stdin\n");
	pid = mailcap_run_background("read x; test \"$x\" = 'from stdin'", in,
	    &err);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(mailcap_run_capture("true", "/nonexistent/file",
	    10, 1000, &out, &err), -1);
	/* Descriptors of ours (no close-on-exec) are closed in the child. */
	{
		int	 fd = open("/dev/null", O_RDONLY);
		char	*cmd;

		assert_true(fd > 2);
		cmd = xasprintf("test ! -e /proc/$$/fd/%d", fd);
		if (access("/proc/self/fd", F_OK) == 0)
			assert_int_equal(mailcap_run_capture(cmd, NULL, 100,
			    5000, &out, &err), 0);
		free(cmd);
		close(fd);
	}
	free(in);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(dir);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_match_and_find),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_params_reduced),
		cmocka_unit_test(test_suffix),
		cmocka_unit_test(test_temp_file),
		cmocka_unit_test(test_hostile_names_run),
		cmocka_unit_test(test_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
