/*
 * One writer process per data directory: an fcntl lock on surat.lock,
 * which also holds the owner's PID and name so a second process can say
 * who is in the way.  POSIX locks belong to the process and vanish when
 * any descriptor of the file closes, so the process keeps one descriptor
 * per directory, shared by all its connections through a reference count.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

struct store_lock {
	int			 fd;
	dev_t			 dev;
	ino_t			 ino;
	pid_t			 pid;	/* a forked child does not own it */
	int			 refs;
	struct store_lock	*next;
};

static pthread_mutex_t	 lock_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct store_lock *lock_list;

#ifdef __GLIBC__
extern char *program_invocation_short_name;
#endif

static const char *
default_who(void)
{
#ifdef __GLIBC__
	return program_invocation_short_name;
#else
	return "surat";
#endif
}

/* "1234 surat sync" from the file, for the message to the loser. */
static void
read_owner(int fd, long *pid_r, char *who, size_t whosz)
{
	char	 buf[256];
	ssize_t	 n;
	char	*end;
	long	 pid;

	*pid_r = 0;
	who[0] = '\0';
	n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	pid = strtol(buf, &end, 10);
	if (end == buf || pid <= 0)
		return;
	*pid_r = pid;
	if (*end == ' ')
		str_lcpy(who, end + 1, whosz);
}

static int
lock_locked(int fd, const char *path, struct err *err)
{
	struct flock	fl;
	char		who[200];
	long		pid;

	read_owner(fd, &pid, who, sizeof who);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK &&
	    fl.l_pid > 0 && fl.l_pid != pid) {
		/* The kernel knows better than a file being rewritten. */
		pid = fl.l_pid;
		who[0] = '\0';
	}
	if (pid > 0 && who[0] != '\0')
		err_set(err, ERR_LOCKED, _("%s: store is in use by process "
		    "%ld (%s)"), path, pid, who);
	else if (pid > 0)
		err_set(err, ERR_LOCKED, _("%s: store is in use by process "
		    "%ld"), path, pid);
	else
		err_set(err, ERR_LOCKED, _("%s: store is in use by another "
		    "process"), path);
	return -1;
}

static int
lock_take(int fd, const char *path, const char *who, bool *unclean_r,
    struct err *err)
{
	struct flock	fl;
	struct stat	sb;
	char		line[256];
	int		n;

	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) == -1) {
		if (errno == EACCES || errno == EAGAIN)
			return lock_locked(fd, path, err);
		err_set(err, ERR_IO, _("%s: cannot lock: %s"), path,
		    strerror(errno));
		return -1;
	}
	/* A clean close empties the file: content means a crash. */
	*unclean_r = fstat(fd, &sb) == 0 && sb.st_size > 0;
	n = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(),
	    who != NULL ? who : default_who());
	if (n < 0 || (size_t)n >= sizeof line)
		n = (int)strlen(line);
	if (ftruncate(fd, 0) == -1 || pwrite(fd, line, (size_t)n, 0) != n) {
		err_set(err, ERR_IO, _("%s: cannot write: %s"), path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static struct store_lock *
lock_find(dev_t dev, ino_t ino)
{
	struct store_lock	*l;

	for (l = lock_list; l != NULL; l = l->next) {
		if (l->dev == dev && l->ino == ino && l->pid == getpid())
			return l;
	}
	return NULL;
}

int
lock_acquire(const char *dir, const char *who, struct store_lock **lock_r,
    bool *unclean_r, struct err *err)
{
	struct store_lock	*l;
	struct stat		 sb;
	char			*path;
	int			 fd = -1, rc = -1;

	*unclean_r = false;
	path = xasprintf("%s/%s", dir, STORE_LOCK_NAME);
	pthread_mutex_lock(&lock_mutex);
	/*
	 * Look for our own lock with stat(), not open(): closing a second
	 * descriptor of the file would drop the process's lock.
	 */
	if (stat(path, &sb) == 0 && (l = lock_find(sb.st_dev,
	    sb.st_ino)) != NULL) {
		l->refs++;
		*lock_r = l;
		rc = 0;
		goto out;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 || fstat(fd, &sb) == -1) {
		err_set(err, ERR_IO, _("%s: cannot open: %s"), path,
		    strerror(errno));
		goto out;
	}
	if (lock_take(fd, path, who, unclean_r, err) == -1)
		goto out;
	l = xcalloc(1, sizeof *l);
	l->fd = fd;
	l->dev = sb.st_dev;
	l->ino = sb.st_ino;
	l->pid = getpid();
	l->refs = 1;
	l->next = lock_list;
	lock_list = l;
	*lock_r = l;
	fd = -1;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	pthread_mutex_unlock(&lock_mutex);
	free(path);
	return rc;
}

void
lock_ref(struct store_lock *l)
{
	pthread_mutex_lock(&lock_mutex);
	l->refs++;
	pthread_mutex_unlock(&lock_mutex);
}

/* The last reference empties the file (a clean close) and unlocks. */
void
lock_release(struct store_lock **lp)
{
	struct store_lock	*l = *lp, **pp;

	if (l == NULL)
		return;
	*lp = NULL;
	pthread_mutex_lock(&lock_mutex);
	if (--l->refs == 0) {
		for (pp = &lock_list; *pp != NULL; pp = &(*pp)->next) {
			if (*pp == l) {
				*pp = l->next;
				break;
			}
		}
		if (ftruncate(l->fd, 0) == -1) {
			/* Next open will run a check: harmless. */
		}
		close(l->fd);
		free(l);
	}
	pthread_mutex_unlock(&lock_mutex);
}
