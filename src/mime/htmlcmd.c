/*
 * Running an external HTML-to-text converter (a mailcap copiousoutput
 * command) without a shell: the command is split into words here, the
 * HTML goes into a 0600 file in a private directory, and that path
 * replaces %s or becomes the converter's standard input.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fdio.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define HTMLCMD_MAX_OUT		(16u * 1024 * 1024)
#define HTMLCMD_MAX_WORDS	64

/*
 * Split a command into words: white space separates, single quotes keep
 * everything, double quotes keep all but backslash escapes, a backslash
 * escapes one character.  Each %s in a word becomes path.  Returns the
 * number of words, or -1 for an unterminated quote or too many words.
 */
static int
split_words(const char *cmd, const char *path, char **argv, bool *used_r)
{
	struct buf	 w = BUF_INIT;
	const char	*p = cmd;
	int		 n = 0;
	char		 q;
	bool		 in = false;

	*used_r = false;
	for (;;) {
		if (*p == '\0' || MIME_SPACE(*p)) {
			if (in) {
				if (n >= HTMLCMD_MAX_WORDS)
					goto fail;
				argv[n++] = buf_detach(&w, NULL);
				in = false;
			}
			if (*p == '\0')
				break;
			p++;
			continue;
		}
		in = true;
		if (*p == '\'' || *p == '"') {
			q = *p++;
			while (*p != '\0' && *p != q) {
				if (q == '"' && *p == '\\' && p[1] != '\0')
					p++;
				buf_addc(&w, *p++);
			}
			if (*p == '\0')
				goto fail;
			p++;
		} else if (*p == '\\' && p[1] != '\0') {
			buf_addc(&w, p[1]);
			p += 2;
		} else if (*p == '%' && p[1] == 's') {
			buf_adds(&w, path);
			*used_r = true;
			p += 2;
		} else
			buf_addc(&w, *p++);
	}
	argv[n] = NULL;
	buf_free(&w);
	return n;
fail:
	buf_free(&w);
	while (n > 0)
		free(argv[--n]);
	argv[0] = NULL;
	return -1;
}

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read the child's output until EOF, the cap or the deadline. */
static int
read_output(int fd, struct buf *out, int timeout_ms)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	int64_t		deadline = now_ms() + timeout_ms, left;
	char		chunk[8192];
	ssize_t		n;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return -1;
		n = poll(&pfd, 1, (int)left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if ((n = read(fd, chunk, sizeof chunk)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		if (out->len + (size_t)n > HTMLCMD_MAX_OUT)
			return -1;
		buf_add(out, chunk, (size_t)n);
	}
}

static pid_t
spawn(char **argv, int in_fd, int out_fd)
{
	pid_t	pid;
	int	null;

	if ((pid = fork()) != 0)
		return pid;
	/* Only async-signal-safe calls from here to exec. */
	null = open("/dev/null", O_WRONLY);
	if (dup2(in_fd, 0) == -1 || dup2(out_fd, 1) == -1)
		_exit(127);
	if (null != -1)
		dup2(null, 2);
	execvp(argv[0], argv);
	_exit(127);
}

int
mime_html_command(struct buf *out, const char *cmd, const char *html,
    size_t len, int timeout_ms)
{
	char		*path = NULL;
	char		*argv[HTMLCMD_MAX_WORDS + 1];
	const char	*tmp;
	struct buf	 res = BUF_INIT;
	int		 fd = -1, pfd[2] = { -1, -1 }, status, rc = -1, i, n;
	bool		 used;
	pid_t		 pid = -1;
	char		*dirp;

	if (timeout_ms <= 0)
		timeout_ms = 5000;
	argv[0] = NULL;
	n = 0;
	if ((tmp = getenv("TMPDIR")) != NULL && *tmp == '/' &&
	    strlen(tmp) < 200)
		dirp = xasprintf("%s/surat-html-XXXXXX", tmp);
	else
		dirp = xstrdup("/tmp/surat-html-XXXXXX");
	if (mkdtemp(dirp) == NULL)
		goto out;
	path = xasprintf("%s/message.html", dirp);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1)
		goto out;
	if (fd_write_all(fd, html, len) == -1 || lseek(fd, 0, SEEK_SET) == -1)
		goto out;
	if ((n = split_words(cmd, path, argv, &used)) <= 0)
		goto out;
	if (pipe(pfd) == -1)
		goto out;
	if (used) {
		/* The converter reads the file; give it an empty stdin. */
		close(fd);
		if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			goto out;
	}
	if ((pid = spawn(argv, fd, pfd[1])) == -1)
		goto out;
	close(pfd[1]);
	pfd[1] = -1;
	rc = read_output(pfd[0], &res, timeout_ms);
	if (rc == -1)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = -1;
	if (rc == 0)
		utf8_repair(out, buf_cstr(&res), res.len);
out:
	for (i = 0; i < n; i++)
		free(argv[i]);
	if (fd != -1)
		close(fd);
	if (pfd[0] != -1)
		close(pfd[0]);
	if (pfd[1] != -1)
		close(pfd[1]);
	if (path != NULL)
		unlink(path);
	rmdir(dirp);
	free(path);
	free(dirp);
	buf_free(&res);
	return rc;
}
