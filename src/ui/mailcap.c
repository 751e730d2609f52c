/*
 * RFC 1524 mailcap: parsing the files, finding the entry for a type,
 * expanding its command with shell quoting that holds in every quoting
 * context of the template, the private temporary file, and running the
 * command.  See mailcap.h for what is trusted and what is not.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ui/mailcap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fdio.h"
#include "util/xmalloc.h"

#define SUFFIX_MAX	16

/* ---- Parsing ---- */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *
trimmed(const char *s, size_t len)
{
	while (len > 0 && is_space(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_space(s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/*
 * Split a logical line into fields at unescaped ';'.  "\;" becomes ';'
 * and "\\" one backslash; any other backslash stays, for the shell (and
 * "\%" for mailcap_expand).
 */
static size_t
split_fields(const char *line, char ***fields_r)
{
	struct buf	 f = BUF_INIT;
	char		**v = NULL;
	size_t		 n = 0, cap = 0;
	const char	*p;

	for (p = line;; p++) {
		if (*p == '\\' && (p[1] == ';' || p[1] == '\\')) {
			buf_addc(&f, *++p);
			continue;
		}
		if (*p == ';' || *p == '\0') {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[n++] = trimmed(f.data != NULL ? f.data : "", f.len);
			buf_reset(&f);
			if (*p == '\0')
				break;
			continue;
		}
		buf_addc(&f, *p);
	}
	buf_free(&f);
	*fields_r = v;
	return n;
}

static void
set_field(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static void
parse_entry(struct mailcap *mc, const char *line)
{
	struct mailcap_entry	 e;
	char			**f, *eq, *name;
	size_t			 n, i;

	n = split_fields(line, &f);
	memset(&e, 0, sizeof e);
	if (n < 2 || f[0][0] == '\0' || f[1][0] == '\0')
		goto out;
	if (strchr(f[0], '/') == NULL)
		e.type = xasprintf("%s/*", f[0]);
	else
		e.type = xstrdup(f[0]);
	for (name = e.type; *name != '\0'; name++)
		if (*name >= 'A' && *name <= 'Z')
			*name = (char)(*name - 'A' + 'a');
	e.view = xstrdup(f[1]);
	for (i = 2; i < n; i++) {
		if ((eq = strchr(f[i], '=')) != NULL) {
			name = trimmed(f[i], (size_t)(eq - f[i]));
			eq = trimmed(eq + 1, strlen(eq + 1));
			if (strcasecmp(name, "test") == 0)
				set_field(&e.test, eq);
			else if (strcasecmp(name, "nametemplate") == 0)
				set_field(&e.nametemplate, eq);
			else if (strcasecmp(name, "description") == 0)
				set_field(&e.description, eq);
			free(name);
			free(eq);
		} else if (strcasecmp(f[i], "needsterminal") == 0)
			e.needsterminal = true;
		else if (strcasecmp(f[i], "copiousoutput") == 0)
			e.copiousoutput = true;
	}
	mc->v = xreallocarray(mc->v, mc->n + 1, sizeof *mc->v);
	mc->v[mc->n++] = e;
	memset(&e, 0, sizeof e);
out:
	for (i = 0; i < n; i++)
		free(f[i]);
	free(f);
}

void
mailcap_parse(struct mailcap *mc, const char *text, size_t len)
{
	struct buf	 line = BUF_INIT;
	const char	*p = text, *e = text + len, *nl, *s;
	size_t		 l, bs;

	while (p < e) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		l = (size_t)(nl - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		/* An odd run of backslashes at the end joins the next line. */
		for (bs = 0; bs < l && p[l - 1 - bs] == '\\'; bs++)
			;
		buf_add(&line, p, bs % 2 == 1 ? l - 1 : l);
		p = nl + 1;
		if (bs % 2 == 1 && p < e)
			continue;
		for (s = buf_cstr(&line); is_space(*s); s++)
			;
		/* A NUL inside the line: not a text file, skip the line. */
		if (*s != '\0' && *s != '#' &&
		    memchr(line.data, '\0', line.len) == NULL)
			parse_entry(mc, s);
		buf_reset(&line);
	}
	buf_free(&line);
}

static void
load_file(struct mailcap *mc, const char *path)
{
	struct buf	b = BUF_INIT;
	char		chunk[8192];
	ssize_t		r;
	int		fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	while ((r = read(fd, chunk, sizeof chunk)) > 0) {
		if (b.len + (size_t)r > MAILCAP_MAX_FILE) {
			r = -1;
			break;
		}
		buf_add(&b, chunk, (size_t)r);
	}
	close(fd);
	if (r == 0 && b.len > 0)
		mailcap_parse(mc, b.data, b.len);
	buf_free(&b);
}

void
mailcap_load(struct mailcap *mc)
{
	const char	*list = getenv("MAILCAPS"), *home;
	char		*copy, *p, *tok, *path;

	memset(mc, 0, sizeof *mc);
	if (list == NULL) {
		if ((home = getenv("HOME")) != NULL && *home != '\0') {
			path = xasprintf("%s/.mailcap", home);
			load_file(mc, path);
			free(path);
		}
		load_file(mc, "/etc/mailcap");
		return;
	}
	copy = xstrdup(list);
	for (p = copy; (tok = strsep(&p, ":")) != NULL;) {
		if (*tok == '\0')
			continue;
		if (tok[0] == '~' && tok[1] == '/' &&
		    (home = getenv("HOME")) != NULL) {
			path = xasprintf("%s%s", home, tok + 1);
			load_file(mc, path);
			free(path);
		} else
			load_file(mc, tok);
	}
	free(copy);
}

void
mailcap_free(struct mailcap *mc)
{
	size_t	i;

	for (i = 0; i < mc->n; i++) {
		free(mc->v[i].type);
		free(mc->v[i].view);
		free(mc->v[i].test);
		free(mc->v[i].nametemplate);
		free(mc->v[i].description);
	}
	free(mc->v);
	memset(mc, 0, sizeof *mc);
}

bool
mailcap_type_match(const char *pat, const char *type)
{
	size_t	major;

	if (strcmp(pat, "*/*") == 0 || strcmp(pat, "*") == 0)
		return true;
	major = strcspn(pat, "/");
	if (strcmp(pat + major, "/*") == 0)
		return strncasecmp(pat, type, major) == 0 &&
		    type[major] == '/';
	return strcasecmp(pat, type) == 0;
}

const struct mailcap_entry *
mailcap_find(const struct mailcap *mc, const char *type, bool skip_copious,
    bool (*test)(void *, const char *), void *arg)
{
	size_t	i;

	for (i = 0; i < mc->n; i++) {
		const struct mailcap_entry *e = &mc->v[i];

		if (!mailcap_type_match(e->type, type))
			continue;
		if (skip_copious && e->copiousoutput)
			continue;
		if (e->test != NULL && (test == NULL || !test(arg, e->test)))
			continue;
		return e;
	}
	return NULL;
}

/* ---- Expansion ---- */

void
mailcap_shell_quote(struct buf *out, const char *s)
{
	buf_addc(out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_adds(out, "'\\''");
		else
			buf_addc(out, *s);
	}
	buf_addc(out, '\'');
}

enum quoting { Q_NONE, Q_SINGLE, Q_DOUBLE };

/* Insert s where the template stands in quoting state q. */
static void
quote_in(struct buf *out, const char *s, enum quoting q)
{
	switch (q) {
	case Q_NONE:
		mailcap_shell_quote(out, s);
		break;
	case Q_SINGLE:
		/* Close, add an escaped quote, reopen. */
		for (; *s != '\0'; s++) {
			if (*s == '\'')
				buf_adds(out, "'\\''");
			else
				buf_addc(out, *s);
		}
		break;
	case Q_DOUBLE:
		for (; *s != '\0'; s++) {
			if (strchr("\"\\$`", *s) != NULL)
				buf_addc(out, '\\');
			buf_addc(out, *s);
		}
		break;
	}
}

/* Only characters no shell treats specially, from an untrusted value. */
static char *
harmless(const char *s)
{
	struct buf	b = BUF_INIT;

	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("+-._/=@,", c) != NULL)
			buf_addc(&b, (char)c);
	}
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

char *
mailcap_expand(const char *cmd, const char *file, const char *type,
    mailcap_param_fn *param, void *arg, bool *uses_file_r)
{
	struct buf	 out = BUF_INIT;
	enum quoting	 q = Q_NONE;
	const char	*p, *end;
	char		*v, *name;

	*uses_file_r = false;
	for (p = cmd; *p != '\0'; p++) {
		if (*p == '\\' && p[1] == '%') {
			buf_addc(&out, '%');
			p++;
			continue;
		}
		if (*p == '\\' && q != Q_SINGLE && p[1] != '\0') {
			buf_addc(&out, *p++);
			buf_addc(&out, *p);
			continue;
		}
		if (*p == '\'' && q != Q_DOUBLE)
			q = q == Q_SINGLE ? Q_NONE : Q_SINGLE;
		else if (*p == '"' && q != Q_SINGLE)
			q = q == Q_DOUBLE ? Q_NONE : Q_DOUBLE;
		if (*p != '%' || p[1] == '\0') {
			buf_addc(&out, *p);
			continue;
		}
		switch (*++p) {
		case '%':
			buf_addc(&out, '%');
			break;
		case 's':
			quote_in(&out, file, q);
			*uses_file_r = true;
			break;
		case 't':
			v = harmless(type);
			quote_in(&out, v, q);
			free(v);
			break;
		case '{':
			if ((end = strchr(p, '}')) == NULL) {
				buf_adds(&out, "%{");
				break;
			}
			name = xstrndup(p + 1, (size_t)(end - p - 1));
			v = harmless(param != NULL ? param(arg, name) : NULL);
			quote_in(&out, v, q);
			free(v);
			free(name);
			p = end;
			break;
		default:
			/* %n, %F (multipart) and unknown ones: nothing. */
			break;
		}
	}
	buf_addc(&out, '\0');
	return buf_detach(&out, NULL);
}

char *
mailcap_suffix(const struct mailcap_entry *e, const char *name)
{
	const char	*src = NULL, *dot, *p;
	struct buf	 b = BUF_INIT;
	size_t		 n = 0;

	if (e != NULL && e->nametemplate != NULL &&
	    (p = strstr(e->nametemplate, "%s")) != NULL)
		src = p + 2;
	else
		src = name;
	if (src == NULL || (dot = strrchr(src, '.')) == NULL)
		return xstrdup("");
	buf_addc(&b, '.');
	for (p = dot + 1; *p != '\0' && n < SUFFIX_MAX; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')) {
			buf_addc(&b, *p);
			n++;
		}
	}
	if (n == 0)
		buf_reset(&b);
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

char *
mailcap_write_temp(const char *dir, const char *suffix, const void *data,
    size_t len, struct err *err)
{
	char		*path;
	int		 fd;

	path = xasprintf("%s/surat-XXXXXX%s", dir, suffix);
	if ((fd = mkstemps(path, (int)strlen(suffix))) == -1) {
		err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	/* mkstemps makes it 0600 already; a umask cannot widen it. */
	(void)fchmod(fd, S_IRUSR | S_IWUSR);
	if (fd_write_all(fd, data, len) == -1) {
		err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		free(path);
		return NULL;
	}
	if (close(fd) == -1) {
		err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/* ---- Running ---- */

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * In the child, between fork and exec: only async-signal-safe calls
 * (the parent has threads).  Signals we catch or ignore go back to the
 * defaults the program expects.
 */
static void
child_exec(const char *cmd, int in_fd, int out_fd, int maxfd)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGWINCH,
	    SIGCONT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD };
	struct sigaction	sa;
	sigset_t		none;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (dup2(in_fd, STDIN_FILENO) == -1 ||
	    dup2(out_fd, STDOUT_FILENO) == -1 ||
	    dup2(out_fd, STDERR_FILENO) == -1)
		_exit(126);
	/* Nothing of ours (server connections, the store) stays open. */
	while (maxfd > STDERR_FILENO)
		close(maxfd--);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* The highest descriptor a child closes; found before fork. */
static int
max_fd(void)
{
	long	n = sysconf(_SC_OPEN_MAX);

	return n < 0 || n > 65536 ? 65536 : (int)n;
}

static int
open_input(const char *path, struct err *err)
{
	int	fd;

	if ((fd = open(path != NULL ? path : "/dev/null",
	    O_RDONLY | O_CLOEXEC)) == -1)
		err_set(err, ERR_IO, "%s: %s", path != NULL ? path :
		    "/dev/null", strerror(errno));
	return fd;
}

static int
status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int
mailcap_run_capture(const char *cmd, const char *stdin_path, size_t cap,
    int timeout_ms, struct buf *out, struct err *err)
{
	struct pollfd	 pfd;
	char		 chunk[8192];
	int		 p[2], in, status = 0, left;
	int64_t		 deadline = now_ms() + timeout_ms;
	int		 maxfd = max_fd();
	ssize_t		 r;
	pid_t		 pid;
	bool		 timed_out = false;

	if ((in = open_input(stdin_path, err)) == -1)
		return -1;
	if (pipe2(p, O_CLOEXEC) == -1) {
		err_set(err, ERR_IO, "pipe: %s", strerror(errno));
		close(in);
		return -1;
	}
	if ((pid = fork()) == -1) {
		err_set(err, ERR_IO, "fork: %s", strerror(errno));
		close(in);
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		child_exec(cmd, in, p[1], maxfd);
	setpgid(pid, pid);
	close(in);
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		left = (int)(deadline - now_ms());
		if (left <= 0) {
			timed_out = true;
			break;
		}
		if (poll(&pfd, 1, left) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents == 0)
			continue;
		if ((r = read(p[0], chunk, sizeof chunk)) == -1 &&
		    errno == EINTR)
			continue;
		if (r <= 0)
			break;
		/* Past the cap the output is drained and dropped. */
		if (out->len < cap)
			buf_add(out, chunk, (size_t)r < cap - out->len ?
			    (size_t)r : cap - out->len);
	}
	close(p[0]);
	if (timed_out)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return timed_out ? 124 : status_code(status);
}

pid_t
mailcap_run_background(const char *cmd, const char *stdin_path,
    struct err *err)
{
	int	in, out, maxfd = max_fd();
	pid_t	pid;

	if ((in = open_input(stdin_path, err)) == -1)
		return -1;
	if ((out = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1) {
		err_set(err, ERR_IO, "/dev/null: %s", strerror(errno));
		close(in);
		return -1;
	}
	if ((pid = fork()) == -1)
		err_set(err, ERR_IO, "fork: %s", strerror(errno));
	else if (pid == 0)
		child_exec(cmd, in, out, maxfd);
	else
		setpgid(pid, pid);
	close(in);
	close(out);
	return pid;
}
