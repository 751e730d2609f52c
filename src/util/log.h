/*
 * Logging to a file, for people debugging a connection.  Nothing here ever
 * writes a password: protocol lines are passed through log_wire(), which
 * masks credentials, and callers mark lines they know to be secret.
 */
#ifndef SURAT_UTIL_LOG_H
#define SURAT_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_WIRE,		/* every protocol line, credentials masked */
};

struct err;

/* Open (append, mode 0600) the log file; NULL path means no logging. */
int	 log_open(const char *, enum log_level, struct err *);
void	 log_close(void);
void	 log_set_level(enum log_level);
enum log_level log_get_level(void);
bool	 log_enabled(enum log_level);
int	 log_level_parse(const char *, enum log_level *);
void	 log_msg(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/*
 * One protocol line, sent ('>') or received ('<').  secret: the caller
 * knows the line carries a credential (SASL response, PASS, LOGIN...).
 * Independently of that flag, lines that look like credentials are masked.
 */
void	 log_wire(const char *, char, const char *, size_t, bool);
/* The masked form of a client line, for logs and for tests. */
void	 log_mask_line(const char *, size_t, bool, char *, size_t);

#endif
