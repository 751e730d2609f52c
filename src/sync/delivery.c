/*
 * What the POP3 and outbox engines share: the test clock and crash
 * points, the endpoint of an account's server, and turning a header
 * block into the summary row the store keeps.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "mime/mime.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "sync/delivery_int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

static int64_t		(*clock_fn)(void);
static sync_crash_fn	*crash_fn;
static void		*crash_arg;
static int		 crash_hits;

void
sync_delivery_set_clock(int64_t (*fn)(void))
{
	clock_fn = fn;
}

int64_t
sync_delivery_now(void)
{
	return clock_fn != NULL ? clock_fn() : (int64_t)time(NULL);
}

void
sync_delivery_set_crash(sync_crash_fn *fn, void *arg)
{
	crash_fn = fn;
	crash_arg = arg;
}

int
delivery_crash_point(const char *step, struct err *err)
{
	const char	*env, *colon;
	size_t		 len;
	int		 k = 1;

	if (crash_fn != NULL) {
		if (crash_fn(crash_arg, step) == 0)
			return 0;
		err_set(err, ERR_CANCELLED, "crash point %s", step);
		return -1;
	}
	if ((env = getenv("SURAT_CRASH_AT")) == NULL || *env == '\0')
		return 0;
	colon = strchr(env, ':');
	len = colon != NULL ? (size_t)(colon - env) : strlen(env);
	if (len != strlen(step) || strncmp(env, step, len) != 0)
		return 0;
	if (colon != NULL)
		k = atoi(colon + 1);
	/* The whole point is to die as a power cut would: no cleanup. */
	if (++crash_hits >= k)
		raise(SIGKILL);
	return 0;
}

int64_t
sync_outbox_backoff(int attempts)
{
	int64_t	d = 60;

	while (attempts-- > 0 && d < 4 * 3600)
		d *= 2;
	return d < 4 * 3600 ? d : 4 * 3600;
}

size_t
delivery_header_end(const char *p, size_t len)
{
	return delivery_header_end_from(p, len, 0);
}

size_t
delivery_header_end_from(const char *p, size_t len, size_t seen)
{
	size_t	i;

	/* No header at all: the message starts with the empty line. */
	if (len >= 1 && p[0] == '\n')
		return 1;
	if (len >= 2 && p[0] == '\r' && p[1] == '\n')
		return 2;
	/* A line end before seen - 2 was judged with all it needs. */
	for (i = seen > 2 ? seen - 2 : 0; i < len; i++) {
		if (p[i] != '\n')
			continue;
		if (i + 1 < len && p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

void
delivery_msg_from_headers(struct store_msg *m, const char *hdr, size_t len,
    int64_t size, int64_t now)
{
	struct mime_headers	*h;
	struct mime_envelope	 env;

	memset(m, 0, sizeof *m);
	h = mime_headers_parse(hdr, len, NULL);
	memset(&env, 0, sizeof env);
	mime_envelope_from_headers(&env, h, now, NULL);
	store_msg_set_envelope(m, h, &env);
	m->size = size;
	m->headers = xmemdup(hdr, len);
	m->headers_len = len;
	m->internal_date = now;
	m->body_state = STORE_BODY_FULL;
	mime_envelope_free(&env);
	mime_headers_free(&h);
}

