/* struct err: filling, prefixing, and default blast radius per code. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "util/str.h"

static const struct {
	const char	*name;
	enum err_scope	 scope;
	enum err_retry	 retry;
} err_defaults[] = {
	[ERR_OK] = { "ok", ERR_SCOPE_NONE, ERR_RETRY_NEVER },
	[ERR_INTERNAL] = { "internal", ERR_SCOPE_PROGRAM, ERR_RETRY_NEVER },
	[ERR_USAGE] = { "usage", ERR_SCOPE_PROGRAM, ERR_RETRY_NEVER },
	[ERR_IO] = { "io", ERR_SCOPE_PROGRAM, ERR_RETRY_LATER },
	[ERR_DISKFULL] = { "disk-full", ERR_SCOPE_PROGRAM, ERR_RETRY_LATER },
	[ERR_DNS] = { "dns", ERR_SCOPE_ACCOUNT, ERR_RETRY_LATER },
	[ERR_CONNECT] = { "connect", ERR_SCOPE_ACCOUNT, ERR_RETRY_LATER },
	[ERR_TIMEOUT] = { "timeout", ERR_SCOPE_ACCOUNT, ERR_RETRY_LATER },
	[ERR_CLOSED] = { "closed", ERR_SCOPE_ACCOUNT, ERR_RETRY_NOW },
	[ERR_TLS] = { "tls", ERR_SCOPE_ACCOUNT, ERR_RETRY_LATER },
	[ERR_CERT] = { "certificate", ERR_SCOPE_ACCOUNT, ERR_RETRY_NEVER },
	[ERR_STARTTLS] = { "starttls", ERR_SCOPE_ACCOUNT, ERR_RETRY_NEVER },
	[ERR_AUTH] = { "auth", ERR_SCOPE_ACCOUNT, ERR_RETRY_NEVER },
	[ERR_PROTO] = { "protocol", ERR_SCOPE_ACCOUNT, ERR_RETRY_LATER },
	[ERR_TOOBIG] = { "too-big", ERR_SCOPE_MESSAGE, ERR_RETRY_NEVER },
	[ERR_PARSE] = { "parse", ERR_SCOPE_MESSAGE, ERR_RETRY_NEVER },
	[ERR_REFUSED] = { "refused", ERR_SCOPE_FOLDER, ERR_RETRY_NEVER },
	[ERR_TEMPFAIL] = { "tempfail", ERR_SCOPE_ACCOUNT, ERR_RETRY_LATER },
	[ERR_CONFIG] = { "config", ERR_SCOPE_PROGRAM, ERR_RETRY_NEVER },
	[ERR_STORE] = { "store", ERR_SCOPE_PROGRAM, ERR_RETRY_LATER },
	[ERR_LOCKED] = { "locked", ERR_SCOPE_PROGRAM, ERR_RETRY_LATER },
	[ERR_CORRUPT] = { "corrupt", ERR_SCOPE_PROGRAM, ERR_RETRY_NEVER },
	[ERR_NOTFOUND] = { "not-found", ERR_SCOPE_MESSAGE, ERR_RETRY_NEVER },
	[ERR_CANCELLED] = { "cancelled", ERR_SCOPE_PROGRAM, ERR_RETRY_NEVER },
	[ERR_EXISTS] = { "exists", ERR_SCOPE_NONE, ERR_RETRY_NEVER },
};

const char *
err_code_name(enum err_code code)
{
	if ((size_t)code >= sizeof err_defaults / sizeof err_defaults[0])
		return "unknown";
	return err_defaults[code].name;
}

void
err_setv(struct err *e, enum err_code code, const char *fmt, va_list ap)
{
	if (e == NULL)
		return;
	e->code = code;
	if ((size_t)code < sizeof err_defaults / sizeof err_defaults[0]) {
		e->scope = err_defaults[code].scope;
		e->retry = err_defaults[code].retry;
	} else {
		e->scope = ERR_SCOPE_PROGRAM;
		e->retry = ERR_RETRY_NEVER;
	}
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

void
err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	err_setv(e, code, fmt, ap);
	va_end(ap);
}

void
err_prefix(struct err *e, const char *fmt, ...)
{
	char	old[ERR_MSG_MAX];
	va_list	ap;
	int	n;

	if (e == NULL)
		return;
	memcpy(old, e->msg, sizeof old);
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof e->msg)
		return;
	str_lcpy(e->msg + n, old, sizeof e->msg - (size_t)n);
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->code = ERR_OK;
	e->scope = ERR_SCOPE_NONE;
	e->retry = ERR_RETRY_NEVER;
	e->msg[0] = '\0';
}
