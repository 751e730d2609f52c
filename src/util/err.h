/*
 * Errors that say what broke and how much: a code, the blast radius and
 * whether trying again can help, plus a human message with context.
 */
#ifndef SURAT_UTIL_ERR_H
#define SURAT_UTIL_ERR_H

#include <stdarg.h>

enum err_code {
	ERR_OK = 0,
	ERR_INTERNAL,	/* a bug or an impossible state */
	ERR_USAGE,	/* the caller or the user asked for nonsense */
	ERR_IO,		/* local file or system call */
	ERR_DISKFULL,
	ERR_DNS,
	ERR_CONNECT,
	ERR_TIMEOUT,
	ERR_CLOSED,	/* the peer closed the connection */
	ERR_TLS,	/* handshake or record layer */
	ERR_CERT,	/* certificate verification */
	ERR_STARTTLS,	/* STARTTLS missing, refused or tampered with */
	ERR_AUTH,	/* credentials rejected */
	ERR_PROTO,	/* the server broke the protocol */
	ERR_TOOBIG,	/* input over a size cap */
	ERR_PARSE,	/* malformed input (message, config, reply) */
	ERR_REFUSED,	/* the server said no (NO/BAD/-ERR/5xx) */
	ERR_TEMPFAIL,	/* the server said later (4xx) */
	ERR_CONFIG,
	ERR_STORE,
	ERR_LOCKED,	/* another process holds the store */
	ERR_CORRUPT,	/* the store file is damaged */
	ERR_NOTFOUND,
	ERR_CANCELLED,
	ERR_EXISTS,	/* a file we must not overwrite exists */
};

/* How much is affected: the sync engine skips a message, a folder, ... */
enum err_scope {
	ERR_SCOPE_NONE = 0,
	ERR_SCOPE_MESSAGE,
	ERR_SCOPE_FOLDER,
	ERR_SCOPE_ACCOUNT,
	ERR_SCOPE_PROGRAM,
};

enum err_retry {
	ERR_RETRY_NEVER = 0,
	ERR_RETRY_NOW,
	ERR_RETRY_LATER,
};

#define ERR_MSG_MAX 1024

struct err {
	enum err_code	code;
	enum err_scope	scope;
	enum err_retry	retry;
	char		msg[ERR_MSG_MAX];
};

/* Set code, default scope and retry for that code, and the message. */
void	err_set(struct err *, enum err_code, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	err_setv(struct err *, enum err_code, const char *, va_list);
/* Put context in front of the message: "imap.example.com:993: ". */
void	err_prefix(struct err *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	err_clear(struct err *);
const char *err_code_name(enum err_code);
/* Accepts NULL for callers that do not care about details. */
#define err_failed(e) ((e) != NULL && (e)->code != ERR_OK)

#endif
