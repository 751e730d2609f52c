/* Logging to a file with credential masking (see log.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/xmalloc.h"

static FILE		*log_file;
static enum log_level	 log_level = LOG_LEVEL_WARN;
static pthread_mutex_t	 log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *log_names[] = { "error", "warn", "info", "debug", "wire" };

int
log_open(const char *path, enum log_level level, struct err *e)
{
	int	fd;

	log_close();
	log_level = level;
	if (path == NULL)
		return 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		return -1;
	}
	log_file = fdopen(fd, "a");
	if (log_file == NULL) {
		close(fd);
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		return -1;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	return 0;
}

void
log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
	pthread_mutex_unlock(&log_lock);
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

bool
log_enabled(enum log_level level)
{
	return log_file != NULL && level <= log_level;
}

int
log_level_parse(const char *s, enum log_level *level_r)
{
	size_t	i;

	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++) {
		if (strcasecmp(s, log_names[i]) == 0) {
			*level_r = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

static void
log_write(enum log_level level, const char *text)
{
	char		stamp[32];
	struct tm	tm;
	struct timespec	now;

	/* Milliseconds: a slow step in a sync is found by reading the log. */
	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL)
		fprintf(log_file, "%s.%03ld [%s] %s\n", stamp,
		    now.tv_nsec / 1000000, log_names[level], text);
	pthread_mutex_unlock(&log_lock);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list	 ap;
	char	*raw, *clean;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	if (vasprintf(&raw, fmt, ap) < 0)
		raw = NULL;
	va_end(ap);
	if (raw == NULL)
		return;
	/* Messages quote server text; keep the log file terminal-safe. */
	clean = sanitize_str(raw, 0);
	log_write(level, clean);
	free(clean);
	free(raw);
}

/* Find the verb of a client line, skipping an IMAP tag when there is one. */
static const char *
log_line_verb(const char *line, size_t len, size_t *verb_len_r)
{
	const char	*p = line, *end = line + len, *sp;

	sp = memchr(p, ' ', len);
	/* "a001 LOGIN ..." : the first word is a tag when a verb follows. */
	if (sp != NULL && sp + 1 < end) {
		const char *v = sp + 1;
		if (strncasecmp(v, "LOGIN ", 6) == 0 ||
		    strncasecmp(v, "AUTHENTICATE ", 13) == 0)
			p = v;
	}
	sp = memchr(p, ' ', (size_t)(end - p));
	*verb_len_r = sp != NULL ? (size_t)(sp - p) : (size_t)(end - p);
	return p;
}

void
log_mask_line(const char *line, size_t len, bool secret, char *out,
    size_t outsize)
{
	static const char *verbs[] = { "LOGIN", "AUTHENTICATE", "AUTH", "PASS",
	    "APOP", "USER" };
	const char	*verb;
	size_t		 vlen, i;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (secret) {
		snprintf(out, outsize, "<credentials masked, %zu bytes>", len);
		return;
	}
	verb = log_line_verb(line, len, &vlen);
	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		if (vlen == strlen(verbs[i]) &&
		    strncasecmp(verb, verbs[i], vlen) == 0) {
			snprintf(out, outsize, "%.*s%.*s <masked>",
			    (int)(verb - line), line, (int)vlen, verb);
			return;
		}
	}
	snprintf(out, outsize, "%.*s", (int)len, line);
}

void
log_wire(const char *who, char dir, const char *line, size_t len, bool secret)
{
	char	masked[1024];

	if (!log_enabled(LOG_LEVEL_WIRE))
		return;
	if (dir == '>')
		log_mask_line(line, len, secret, masked, sizeof masked);
	else
		log_mask_line(line, len, false, masked, sizeof masked);
	log_msg(LOG_LEVEL_WIRE, "%s %c %s", who, dir, masked);
}
