/*
 * The outbox sender: due messages of one account go out through its SMTP
 * server.  The store learns "sending" durably just before the final dot,
 * so after a crash a message is either still queued (the server never saw
 * the dot: resending is safe) or marked "check" (it may have arrived).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"
#include "smtp/smtp.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "sync/delivery_int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct sender {
	struct store			*store;
	const struct config_account	*acc;
	const char			*secret;
	struct smtp_conn		*conn;
	int64_t				 account_id;
	enum store_account_kind		 kind;
	int64_t				 now;
	struct sync_outbox_stats	*stats;
};

/* The state of one message while smtp_send() runs. */
struct attempt {
	struct sender	*s;
	int64_t		 id;
	bool		 marked;	/* "sending" is in the store */
	bool		 crashed;	/* a crash point stopped us */
};

static enum smtp_auth
smtp_auth_of(enum config_auth a)
{
	switch (a) {
	case CONFIG_AUTH_PLAIN:
		return SMTP_AUTH_PLAIN;
	case CONFIG_AUTH_LOGIN:
		return SMTP_AUTH_LOGIN;
	case CONFIG_AUTH_XOAUTH2:
		return SMTP_AUTH_XOAUTH2;
	default:
		return SMTP_AUTH_AUTO;
	}
}

static int
open_conn(struct sender *s, struct err *err)
{
	struct net_endpoint	ep;

	ep = config_account_endpoint(s->acc, true);
	s->conn = smtp_connect(&ep, s->acc->outgoing.security, NULL, err);
	if (s->conn == NULL)
		return -1;
	if (s->secret != NULL && smtp_auth(s->conn, smtp_auth_of(s->acc->auth),
	    s->acc->smtp_user != NULL ? s->acc->smtp_user : s->acc->user,
	    s->secret, err) == -1) {
		smtp_close(&s->conn);
		return -1;
	}
	return 0;
}

/* Just before the final dot: from here on, a crash means "maybe sent". */
static int
before_dot(void *arg, struct err *err)
{
	struct attempt	*a = arg;

	if (store_begin(a->s->store, err) == -1)
		return -1;
	if (store_outbox_mark_sending(a->s->store, a->id, err) == -1 ||
	    store_commit_durable(a->s->store, err) == -1) {
		store_rollback(a->s->store);
		return -1;
	}
	a->marked = true;
	if (delivery_crash_point("smtp-dot", err) == -1) {
		a->crashed = true;
		return -1;
	}
	return 0;
}

/* Does the provider file sent mail itself (so no copy from us)? */
static bool
server_files_sent(const struct config_account *acc)
{
	const char	*h = acc->outgoing.host;
	size_t		 n;

	if (h == NULL)
		return false;
	n = strlen(h);
	return (n >= 9 && strcasecmp(h + n - 9, "gmail.com") == 0) ||
	    (n >= 14 && strcasecmp(h + n - 14, "googlemail.com") == 0);
}

/* The Sent copy, inside the caller's transaction. */
static int
file_sent_copy(struct sender *s, const struct buf *raw, struct err *err)
{
	const struct config_account	*acc = s->acc;
	struct store_folder		*f = NULL;
	struct store_msg		 m;
	struct store_op			 op;
	int64_t				 folder_id, id;
	size_t				 hlen;
	int				 rc = -1;

	if (acc->sent_copy == CONFIG_SENT_COPY_NO || (s->kind ==
	    STORE_ACCOUNT_IMAP && acc->sent_copy == CONFIG_SENT_COPY_AUTO &&
	    server_files_sent(acc)))
		return 0;
	if (acc->sent_folder == NULL && store_folder_find_role(s->store,
	    s->account_id, STORE_ROLE_SENT, &f, err) == 0) {
		folder_id = f->id;
		store_folder_free(&f);
	} else if (store_folder_ensure(s->store, s->account_id,
	    acc->sent_folder != NULL ? acc->sent_folder : "Sent", 0,
	    STORE_ROLE_SENT, &folder_id, err) == -1)
		return -1;
	hlen = delivery_header_end(raw->data, raw->len);
	delivery_msg_from_headers(&m, raw->data, hlen != 0 ? hlen : raw->len,
	    (int64_t)raw->len, s->now);
	m.folder_id = folder_id;
	m.flags = STORE_FLAG_SEEN;
	if (store_message_insert(s->store, &m, &id, err) == -1 ||
	    store_body_set(s->store, id, raw->data, raw->len, NULL, 0,
	    err) == -1)
		goto out;
	if (s->kind == STORE_ACCOUNT_IMAP) {
		/* The sync engine replays it: APPEND to the server's Sent. */
		memset(&op, 0, sizeof op);
		op.account_id = s->account_id;
		op.type = STORE_OP_APPEND;
		op.message_id = id;
		op.target_folder_id = folder_id;
		op.flags = STORE_FLAG_SEEN;
		if (store_op_enqueue(s->store, &op, NULL, err) == -1)
			goto out;
	}
	rc = 0;
out:
	store_msg_clear(&m);
	return rc;
}

static int
settle_sent(struct sender *s, int64_t id, const struct buf *raw,
    struct err *err)
{
	if (delivery_crash_point("smtp-250", err) == -1)
		return -1;
	if (store_begin(s->store, err) == -1)
		return -1;
	if (store_outbox_mark_sent(s->store, id, s->now, err) == -1 ||
	    file_sent_copy(s, raw, err) == -1 ||
	    store_commit(s->store, err) == -1) {
		store_rollback(s->store);
		return -1;
	}
	s->stats->sent++;
	return delivery_crash_point("smtp-sent", err);
}

/*
 * Record a failure.  Returns 1 when the connection can carry on with
 * the next message, 0 when it is gone, -1 when the store failed.
 */
static int
settle_failure(struct sender *s, const struct store_out *o,
    const struct attempt *a, const struct smtp_result *res,
    const struct err *why, struct err *err)
{
	const char	*text;
	int		 rc, keep = 0;

	text = res->reply[0] != '\0' && why->code == ERR_REFUSED ?
	    res->reply : why->msg;
	if (store_begin(s->store, err) == -1)
		return -1;
	rc = a->marked ? 0 : store_outbox_mark_sending(s->store, o->id, err);
	if (rc == 0 && res->unknown) {
		rc = store_outbox_mark_check(s->store, o->id, why->msg, err);
		s->stats->check++;
	} else if (rc == 0 && (why->code == ERR_REFUSED ||
	    why->code == ERR_TOOBIG || why->code == ERR_USAGE ||
	    why->code == ERR_PARSE)) {
		rc = store_outbox_mark_failed(s->store, o->id, text, err);
		s->stats->failed++;
		keep = why->code != ERR_PARSE;
	} else if (rc == 0) {
		rc = store_outbox_mark_retry(s->store, o->id, s->now +
		    sync_outbox_backoff(o->attempts), why->msg, err);
		s->stats->retry++;
		keep = why->code == ERR_TEMPFAIL;
	}
	if (rc == -1 || store_commit(s->store, err) == -1) {
		store_rollback(s->store);
		return -1;
	}
	return keep;
}

/* Split "a\nb\n" into an array of the non-empty lines (in place). */
static const char **
split_rcpts(char *list, size_t *n_r)
{
	const char	**v = NULL;
	size_t		  n = 0;
	char		 *p, *line;

	for (p = list; (line = strsep(&p, "\r\n")) != NULL;) {
		line += strspn(line, " \t");
		if (*line == '\0')
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = line;
	}
	*n_r = n;
	return v;
}

/* Send one claimed message.  1: carry on, 0: stop (err set), -1: fatal. */
static int
send_one(struct sender *s, const struct store_out *o, struct err *err)
{
	struct smtp_envelope	 env;
	struct smtp_result	 res;
	struct attempt		 a;
	struct buf		 raw = BUF_INIT;
	struct err		 why;
	char			*rcpts;
	int			 rc;

	memset(&res, 0, sizeof res);
	memset(&a, 0, sizeof a);
	a.s = s;
	a.id = o->id;
	err_clear(&why);
	if (store_outbox_raw(s->store, o->id, &raw, err) == -1)
		return -1;
	rcpts = xstrdup(o->rcpts);
	env.from = o->env_from;
	env.rcpts = split_rcpts(rcpts, &env.nrcpts);
	if (s->conn == NULL && open_conn(s, &why) == -1)
		rc = -2;
	else
		rc = smtp_send(s->conn, &env, raw.data != NULL ? raw.data : "",
		    raw.len, before_dot, &a, &res, &why);
	if (a.crashed) {
		*err = why;
		rc = -1;
	} else if (rc == 0) {
		rc = settle_sent(s, o->id, &raw, err) == -1 ? -1 : 1;
	} else {
		if (rc == -2 && why.scope < ERR_SCOPE_ACCOUNT)
			why.scope = ERR_SCOPE_ACCOUNT;
		log_info("%s: message %lld: %s", s->acc->id,
		    (long long)o->id, why.msg);
		rc = settle_failure(s, o, &a, &res, &why, err);
		if (rc == 0) {
			*err = why;
			smtp_close(&s->conn);
		}
	}
	free(env.rcpts);
	free(rcpts);
	buf_free(&raw);
	return rc;
}

/* 0: may send now; 1: over the limit (stats->next_at says when). */
static int
rate_limited(struct sender *s, struct err *err)
{
	struct store_out	*arr;
	size_t			 n, nmsg, nrcpt, i;
	int64_t			 period, first = 0;

	if (s->acc->rate_limit == 0 || s->acc->rate_period == CONFIG_RATE_NONE)
		return 0;
	period = s->acc->rate_period == CONFIG_RATE_DAY ? 86400 : 3600;
	if (store_outbox_sent_since(s->store, s->account_id, s->now - period,
	    &nmsg, &nrcpt, err) == -1)
		return -1;
	if (nmsg < s->acc->rate_limit)
		return 0;
	if (store_outbox_list(s->store, s->account_id, &arr, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (arr[i].state == STORE_OUT_SENT && arr[i].sent_at >=
		    s->now - period && (first == 0 || arr[i].sent_at < first))
			first = arr[i].sent_at;
		if (arr[i].state == STORE_OUT_QUEUED &&
		    arr[i].next_attempt_at <= s->now)
			s->stats->held++;
	}
	store_outbox_list_free(&arr, n);
	s->stats->next_at = first + period;
	return 1;
}

/* When the next queued message of the account is due. */
static int
next_due_time(struct sender *s, struct err *err)
{
	struct store_out	*arr;
	size_t			 n, i;

	if (s->stats->next_at != 0)
		return 0;
	if (store_outbox_list(s->store, s->account_id, &arr, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (arr[i].state == STORE_OUT_QUEUED && (s->stats->next_at ==
		    0 || arr[i].next_attempt_at < s->stats->next_at))
			s->stats->next_at = arr[i].next_attempt_at;
	store_outbox_list_free(&arr, n);
	return 0;
}

int
sync_outbox_send(struct store *store, const struct config_account *acc,
    const char *secret, sync_progress_fn *progress, void *progress_arg,
    struct sync_outbox_stats *stats_r, struct err *err)
{
	struct sync_outbox_stats	 stats;
	struct sender			 s;
	struct store_out		*o;
	struct err			 e2;
	size_t				 done = 0;
	int				 rc = 0, r;

	err_clear(err);
	memset(&stats, 0, sizeof stats);
	memset(&s, 0, sizeof s);
	s.store = store;
	s.acc = acc;
	s.secret = secret;
	s.stats = &stats;
	s.now = sync_delivery_now();
	s.kind = acc->incoming.protocol == CONFIG_PROTO_POP3 ?
	    STORE_ACCOUNT_POP3 : STORE_ACCOUNT_IMAP;
	if (store_account_ensure(store, acc->id, s.kind, &s.account_id,
	    err) == -1) {
		rc = -1;
		goto out;
	}
	for (;;) {
		if ((r = rate_limited(&s, err)) != 0) {
			rc = r == 1 ? 0 : -1;
			break;
		}
		if (store_outbox_next_due(store, s.account_id, s.now, &o,
		    err) == -1) {
			rc = err->code == ERR_NOTFOUND ? 0 : -1;
			break;
		}
		if (acc->outgoing.host == NULL) {
			store_out_free(&o);
			err_set(err, ERR_CONFIG, _("%s: no SMTP server is "
			    "configured"), acc->id);
			err->scope = ERR_SCOPE_ACCOUNT;
			rc = -1;
			break;
		}
		if (progress != NULL)
			progress(progress_arg, acc->id, _("sending"), done, 0);
		r = send_one(&s, o, err);
		store_out_free(&o);
		done++;
		if (r != 1) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && err->code == ERR_NOTFOUND)
		err_clear(err);
	if (s.conn != NULL && rc == 0)
		(void)smtp_quit(s.conn, &e2);
	smtp_close(&s.conn);
	if (err->code != ERR_CANCELLED)
		(void)next_due_time(&s, &e2);
out:
	if (stats_r != NULL)
		*stats_r = stats;
	return rc;
}
