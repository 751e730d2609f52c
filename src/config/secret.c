/*
 * Secrets: running password_cmd / oauth_token_cmd with a deadline, the
 * clear-text fallback, and the prompt hook.  A secret never reaches a log
 * or an error message, and every copy is wiped before it is freed.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "config/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/xmalloc.h"

extern char **environ;

#define SECRET_MAX	4096	/* a password or token line; more is odd */
#define STDERR_MAX	512	/* enough for the first line of a complaint */

static pthread_mutex_t	 prompt_lock = PTHREAD_MUTEX_INITIALIZER;
static config_prompt_fn	 prompt_fn;
static void		*prompt_arg;

void
config_set_prompt(config_prompt_fn fn, void *arg)
{
	pthread_mutex_lock(&prompt_lock);
	prompt_fn = fn;
	prompt_arg = arg;
	pthread_mutex_unlock(&prompt_lock);
}

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct child {
	pid_t		 pid;
	int		 out, err;	/* read ends; -1 at EOF */
	struct buf	 outb, errb;
	bool		 reaped;
	int		 status;
};

static int
spawn(const char *cmd, struct child *c, struct err *e)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 at;
	sigset_t			 none, dfl;
	int				 outp[2], errp[2], rc;
	char				*argv[] = { (char *)"sh", (char *)"-c",
					    (char *)cmd, NULL };

	if (pipe2(outp, O_CLOEXEC) == -1)
		goto fail;
	if (pipe2(errp, O_CLOEXEC) == -1) {
		close(outp[0]);
		close(outp[1]);
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawnattr_init(&at);
	/* Its own process group, so a timeout kills the whole pipeline. */
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGCHLD);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&c->pid, "/bin/sh", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(outp[1]);
	close(errp[1]);
	if (rc != 0) {
		close(outp[0]);
		close(errp[0]);
		errno = rc;
		goto fail;
	}
	c->out = outp[0];
	c->err = errp[0];
	return 0;
fail:
	err_set(e, ERR_IO, _("cannot run /bin/sh: %s"), strerror(errno));
	return -1;
}

/* Read what is there; keep at most cap bytes, drain the rest. */
static void
drain(int *fd, struct buf *b, size_t cap)
{
	char	chunk[1024];
	ssize_t	n;

	n = read(*fd, chunk, sizeof chunk);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	if (b->len < cap)
		buf_add(b, chunk, (size_t)n < cap - b->len ? (size_t)n :
		    cap - b->len);
	str_wipe(chunk, sizeof chunk);
}

/*
 * Wait until the child exits and its pipes are drained, or the deadline
 * passes.  A daemon it started (gpg-agent) may keep a pipe open, so once
 * the child is gone we stop at the first quiet moment.
 */
static bool
wait_child(struct child *c, int64_t deadline)
{
	struct pollfd	pfd[2];
	int64_t		left;
	int		n, ready, i;

	while (c->out != -1 || c->err != -1 || !c->reaped) {
		left = deadline - now_ms();
		if (left <= 0)
			return false;
		n = 0;
		if (c->out != -1)
			pfd[n++] = (struct pollfd){ c->out, POLLIN, 0 };
		if (c->err != -1)
			pfd[n++] = (struct pollfd){ c->err, POLLIN, 0 };
		ready = poll(pfd, (nfds_t)n, left < 50 ? (int)left : 50);
		for (i = 0; i < n && ready > 0; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == c->out)
				drain(&c->out, &c->outb, SECRET_MAX);
			else
				drain(&c->err, &c->errb, STDERR_MAX);
		}
		if (!c->reaped) {
			pid_t p = waitpid(c->pid, &c->status, WNOHANG);

			/* ECHILD: SIGCHLD is ignored, the status is lost. */
			if (p == c->pid || (p == -1 && errno == ECHILD))
				c->reaped = true;
		}
		if (c->reaped && ready == 0)
			break;
	}
	return true;
}

static void
child_close(struct child *c)
{
	if (c->out != -1)
		close(c->out);
	if (c->err != -1)
		close(c->err);
	c->out = c->err = -1;
	if (!c->reaped) {
		kill(-c->pid, SIGKILL);
		while (waitpid(c->pid, &c->status, 0) == -1 && errno == EINTR)
			;
		c->reaped = true;
	}
	cfg_buf_wipe(&c->outb);
	buf_free(&c->errb);
}

/* The first line of the command's stderr, safe to show. */
static char *
stderr_line(const struct buf *b)
{
	const char	*s = buf_cstr(b);
	size_t		 len = strcspn(s, "\r\n");

	if (len > 200)
		len = 200;
	return sanitize_text(s, len, 0);
}

static int
run_secret_cmd(const char *key, const char *cmd, unsigned timeout_s,
    char **pw_r, struct err *e)
{
	struct child	 c;
	char		*why;
	const char	*s;
	size_t		 len;
	int		 rc = -1;

	memset(&c, 0, sizeof c);
	c.out = c.err = -1;
	if (spawn(cmd, &c, e) != 0) {
		err_prefix(e, "%s: ", key);
		return -1;
	}
	if (!wait_child(&c, now_ms() + (int64_t)timeout_s * 1000)) {
		err_set(e, ERR_TIMEOUT, _("%s: the command did not finish "
		    "within %u seconds"), key, timeout_s);
		goto out;
	}
	why = stderr_line(&c.errb);
	if (WIFSIGNALED(c.status))
		err_set(e, ERR_AUTH, _("%s: the command was killed by signal "
		    "%d%s%s"), key, WTERMSIG(c.status), *why ? ": " : "", why);
	else if (WEXITSTATUS(c.status) != 0)
		err_set(e, ERR_AUTH, _("%s: the command failed with exit "
		    "status %d%s%s"), key, WEXITSTATUS(c.status),
		    *why ? ": " : "", why);
	else {
		s = buf_cstr(&c.outb);
		len = strcspn(s, "\r\n");
		if (len == 0)
			err_set(e, ERR_AUTH, _("%s: the command printed "
			    "nothing%s%s"), key, *why ? ": " : "", why);
		else {
			*pw_r = xstrndup(s, len);
			rc = 0;
		}
	}
	free(why);
out:
	child_close(&c);
	return rc;
}

static const char *
secret_cmd(const struct config_account *a, enum config_secret which,
    const char **key_r)
{
	switch (which) {
	case CONFIG_SECRET_INCOMING:
		*key_r = "password_cmd";
		return a->password_cmd;
	case CONFIG_SECRET_OUTGOING:
		if (a->smtp_password_cmd != NULL) {
			*key_r = "smtp_password_cmd";
			return a->smtp_password_cmd;
		}
		*key_r = "password_cmd";
		return a->password_cmd;
	case CONFIG_SECRET_OAUTH:
		*key_r = "oauth_token_cmd";
		return a->oauth_token_cmd;
	}
	return NULL;
}

int
config_get_password(const struct config_account *a, enum config_secret which,
    char **pw_r, struct err *e)
{
	config_prompt_fn	 fn;
	void			*arg;
	const char		*cmd, *key;
	int			 rc;

	*pw_r = NULL;
	cmd = secret_cmd(a, which, &key);
	if (cmd != NULL) {
		log_debug("%s: running %s", a->id, key);
		rc = run_secret_cmd(key, cmd, a->timeout > 0 ? a->timeout :
		    300, pw_r, e);
		if (rc != 0)
			err_prefix(e, _("account '%s': "), a->id);
		return rc;
	}
	if (which == CONFIG_SECRET_OAUTH) {
		err_set(e, ERR_CONFIG, _("account '%s': auth = xoauth2 needs "
		    "oauth_token_cmd"), a->id);
		return -1;
	}
	if (a->password != NULL) {
		*pw_r = xstrdup(a->password);
		return 0;
	}
	pthread_mutex_lock(&prompt_lock);
	fn = prompt_fn;
	arg = prompt_arg;
	pthread_mutex_unlock(&prompt_lock);
	if (fn == NULL)
		return CONFIG_NEED_PROMPT;
	if (fn(a, which, pw_r, arg, e) != 0) {
		if (*pw_r != NULL)
			str_free_secret(pw_r);
		return -1;
	}
	return 0;
}
