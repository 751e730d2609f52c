/*
 * Running one IMAP command: tagging, sending its text and literals
 * (synchronizing or LITERAL+), reading responses up to the tagged reply,
 * and applying untagged data to the connection's state on the way.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "imap/imap-int.h"
#include "net/net.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define READ_CHUNK	16384
/* LITERAL- (RFC 7888) allows non-synchronizing literals up to 4096. */
#define LITERAL_MINUS_MAX 4096

void
imap_cmd_init(struct imap_cmd *cmd, const char *name, unsigned int states)
{
	memset(cmd, 0, sizeof *cmd);
	cmd->name = name;
	cmd->states = states;
}

void
imap_cmd_addf(struct imap_cmd *cmd, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vaddf(&cmd->text, fmt, ap);
	va_end(ap);
}

void
imap_cmd_add_literal(struct imap_cmd *cmd, const void *data, size_t len)
{
	cmd->lits = xreallocarray(cmd->lits, cmd->nlits + 1,
	    sizeof *cmd->lits);
	cmd->lits[cmd->nlits].at = cmd->text.len;
	cmd->lits[cmd->nlits].data = data;
	cmd->lits[cmd->nlits].len = len;
	cmd->nlits++;
}

void
imap_cmd_add_string(struct imap_cmd *cmd, const char *s)
{
	if (!imap_quote(&cmd->text, s))
		imap_cmd_add_literal(cmd, s, strlen(s));
}

void
imap_cmd_free(struct imap_cmd *cmd)
{
	if (cmd->secret && cmd->text.data != NULL)
		memset(cmd->text.data, 0, cmd->text.cap);
	buf_free(&cmd->text);
	free(cmd->lits);
	imap_response_free(&cmd->reply);
	cmd->lits = NULL;
	cmd->nlits = 0;
}

char *
imap_server_words(const char *text)
{
	char	*s;
	size_t	 used, n;

	s = sanitize_str(text != NULL ? text : "", 0);
	n = utf8_fit(s, strlen(s), 300, &used);
	s[n] = '\0';
	return s;
}

/*
 * The URL of an RFC 2221 referral ([REFERRAL imap://user;AUTH=*@host/]),
 * fit to show: the user part dropped (a hostile server could put anything
 * there), terminal-safe, short.  NULL when r carries no referral.  surat
 * never follows one: a server that could send the client and its password
 * elsewhere is the attacker's best friend, so the user decides.
 */
char *
imap_referral_words(const struct imap_response *r)
{
	const char	*u, *at, *slash;
	char		*url, *w;

	if (r == NULL || r->code == NULL || strcmp(r->code, "REFERRAL") != 0)
		return NULL;
	u = r->code_text != NULL ? r->code_text : "";
	u += strspn(u, " ");
	if ((slash = strstr(u, "://")) != NULL) {
		slash += 3;
		at = strchr(slash, '@');
		if (at != NULL && at < slash + strcspn(slash, "/ "))
			url = xasprintf("%.*s%s", (int)(slash - u), u, at + 1);
		else
			url = xstrdup(u);
	} else
		url = xstrdup(u);
	url[strcspn(url, " ")] = '\0';
	w = imap_server_words(url);
	free(url);
	return w;
}

void
imap_conn_broken(struct imap_conn *c)
{
	imap_set_state(c, IMAP_STATE_LOGOUT);
	c->idling = false;
}

/* The one place the state changes. */
void
imap_set_state(struct imap_conn *c, enum imap_state to)
{
	if (c->state == to)
		return;
	log_debug("%s: imap state %d -> %d", c->peer, c->state, to);
	if (to != IMAP_STATE_SELECTED)
		imap_mailbox_clear(&c->mbox);
	c->state = to;
}

void
imap_mailbox_clear(struct imap_mailbox *m)
{
	free(m->name);
	imap_arg_free(&m->flags);
	imap_arg_free(&m->permanentflags);
	memset(m, 0, sizeof *m);
	m->flags.type = IMAP_ARG_LIST;
	m->permanentflags.type = IMAP_ARG_LIST;
}

/* Log the first line of a response (literals are not logged). */
static void
log_response(struct imap_conn *c, const struct imap_response *r)
{
	if (!log_enabled(LOG_LEVEL_WIRE))
		return;
	log_msg(LOG_LEVEL_WIRE, "imap < %s %s%s%s%s", r->type ==
	    IMAP_RESP_TAGGED ? r->tag : r->type == IMAP_RESP_CONTINUE ? "+" :
	    "*", r->name != NULL ? r->name : "", r->code != NULL ? "[" : "",
	    r->code != NULL ? r->code : "", r->code != NULL ? "]" : "");
}

int
imap_read_response(struct imap_conn *c, struct imap_response **r_r,
    struct err *err)
{
	char			 tmp[READ_CHUNK];
	size_t			 used;
	ssize_t			 n;
	enum imap_parse_result	 pr;

	*r_r = NULL;
	if (c->state == IMAP_STATE_LOGOUT && !c->logging_out) {
		err_set(err, ERR_CLOSED, "%s: connection no longer usable",
		    c->peer);
		return -1;
	}
	for (;;) {
		if (c->in.len > 0) {
			pr = imap_parser_feed(c->parser, c->in.data, c->in.len,
			    &used, r_r, err);
			buf_consume(&c->in, used);
			if (pr == IMAP_PARSE_DONE) {
				log_response(c, *r_r);
				return 0;
			}
			if (pr == IMAP_PARSE_ERROR) {
				err_prefix(err, "%s: ", c->peer);
				imap_conn_broken(c);
				return -1;
			}
		}
		n = net_read_some(c->net, tmp, sizeof tmp, err);
		if (n <= 0) {
			if (n == 0)
				err_set(err, ERR_CLOSED, "%s: connection "
				    "closed", c->peer);
			imap_conn_broken(c);
			return -1;
		}
		buf_add(&c->in, tmp, (size_t)n);
	}
}

static void
strv_free(char ***vp, size_t *np)
{
	size_t	i;

	for (i = 0; i < *np; i++)
		free((*vp)[i]);
	free(*vp);
	*vp = NULL;
	*np = 0;
}

/* Replace a list of words (capabilities, ENABLED) from atoms. */
static void
set_words(char ***vp, size_t *np, const struct imap_arg *items, size_t n,
    bool append)
{
	size_t	i, j;
	char	*w;

	if (!append)
		strv_free(vp, np);
	*vp = xreallocarray(*vp, *np + n + 1, sizeof **vp);
	for (i = 0; i < n; i++) {
		if (imap_arg_str(&items[i]) == NULL)
			continue;
		w = xstrdup(items[i].str);
		for (j = 0; w[j] != '\0'; j++)
			if (w[j] >= 'a' && w[j] <= 'z')
				w[j] = (char)(w[j] - 'a' + 'A');
		(*vp)[(*np)++] = w;
	}
}

void
imap_forget_caps(struct imap_conn *c)
{
	strv_free(&c->caps, &c->ncaps);
	c->caps_known = false;
}

static void
add_alert(struct imap_conn *c, const char *text)
{
	char	*w;

	w = imap_server_words(text);
	c->alerts = xreallocarray(c->alerts, c->nalerts + 1,
	    sizeof *c->alerts);
	c->alerts[c->nalerts++] = xasprintf(_("%s says: %s"), c->peer, w);
	free(w);
}

/* Status responses (tagged or not) may carry state in their codes. */
static int
apply_code(struct imap_conn *c, const struct imap_response *r,
    struct err *err)
{
	struct imap_code	 code;
	struct imap_mailbox	*m = &c->mbox;
	struct err		 cerr;

	if (r->code == NULL)
		return 0;
	if (imap_code_parse(r, &code, &cerr) < 0) {
		/* A broken code in a human message is not worth a failure. */
		log_warn("%s: %s", c->peer, cerr.msg);
		return 0;
	}
	switch (code.type) {
	case IMAP_CODE_ALERT:
		add_alert(c, r->text);
		break;
	case IMAP_CODE_REFERRAL:
		/* Not followed; said, so the user knows where it pointed. */
		if (r->cond == IMAP_COND_OK) {
			char *u = imap_referral_words(r);
			char *t = xasprintf(_("refers to another server (%s), "
			    "which surat does not follow; %s"), u, r->text);

			add_alert(c, t);
			free(t);
			free(u);
		}
		break;
	case IMAP_CODE_CAPABILITY:
		if (r->cond == IMAP_COND_OK || r->cond == IMAP_COND_PREAUTH) {
			set_words(&c->caps, &c->ncaps, code.args.list,
			    code.args.count, false);
			c->caps_known = true;
		}
		break;
	case IMAP_CODE_UIDVALIDITY:
		m->uidvalidity = code.num;
		break;
	case IMAP_CODE_UIDNEXT:
		m->uidnext = code.num;
		break;
	case IMAP_CODE_UNSEEN:
		m->unseen = code.num;
		break;
	case IMAP_CODE_HIGHESTMODSEQ:
		m->highestmodseq = code.modseq;
		m->nomodseq = false;
		break;
	case IMAP_CODE_NOMODSEQ:
		m->highestmodseq = 0;
		m->nomodseq = true;
		break;
	case IMAP_CODE_PERMANENTFLAGS:
		imap_arg_free(&m->permanentflags);
		m->permanentflags = code.args;
		code.args.list = NULL;
		code.args.count = 0;
		break;
	case IMAP_CODE_READ_ONLY:
		m->readonly = true;
		break;
	case IMAP_CODE_READ_WRITE:
		m->readonly = false;
		break;
	default:
		break;
	}
	imap_code_clear(&code);
	(void)err;
	return 0;
}

static void
copy_list(struct imap_arg *dst, const struct imap_arg *src)
{
	size_t	i;

	imap_arg_free(dst);
	dst->type = src->type;
	dst->len = src->len;
	if (src->str != NULL)
		dst->str = xmemdup(src->str, src->len + 1);
	if (src->count > 0) {
		dst->list = xcalloc(src->count, sizeof *dst->list);
		for (i = 0; i < src->count; i++)
			copy_list(&dst->list[i], &src->list[i]);
	}
	dst->count = src->count;
}

int
imap_apply_untagged(struct imap_conn *c, const struct imap_response *r,
    struct err *err)
{
	struct imap_mailbox	*m = &c->mbox;
	struct imap_seqset	 set = { 0 };
	struct err		 e2;
	bool			 earlier;
	char			*w;

	if (r->cond == IMAP_COND_BYE) {
		if (c->logging_out)
			return 0;
		w = imap_server_words(r->text);
		err_set(err, ERR_CLOSED, _("%s: the server closed the "
		    "connection: %s"), c->peer, w);
		free(w);
		imap_conn_broken(c);
		return -1;
	}
	if (r->cond != IMAP_COND_NONE) {
		if (r->cond == IMAP_COND_NO || r->cond == IMAP_COND_BAD)
			log_warn("%s: server warning: %s", c->peer, r->text);
		return apply_code(c, r, err);
	}
	if (strcmp(r->name, "CAPABILITY") == 0) {
		set_words(&c->caps, &c->ncaps, r->args.list, r->args.count,
		    false);
		c->caps_known = true;
	} else if (strcmp(r->name, "ENABLED") == 0) {
		set_words(&c->enabled, &c->nenabled, r->args.list,
		    r->args.count, true);
	} else if (c->state != IMAP_STATE_SELECTED && c->mbox.name == NULL) {
		/* Mailbox data outside a mailbox has nothing to update. */
	} else if (strcmp(r->name, "FLAGS") == 0 && r->args.count == 1 &&
	    r->args.list[0].type == IMAP_ARG_LIST) {
		copy_list(&m->flags, &r->args.list[0]);
	} else if (strcmp(r->name, "EXISTS") == 0 && r->has_number) {
		m->exists = r->number;
	} else if (strcmp(r->name, "RECENT") == 0 && r->has_number) {
		m->recent = r->number;
	} else if ((strcmp(r->name, "FETCH") == 0 ||
	    strcmp(r->name, "EXPUNGE") == 0) && r->has_number &&
	    (r->number == 0 || r->number > m->exists)) {
		/*
		 * A message number the mailbox does not have: a broken or
		 * hostile server.  Dropped, so it can neither name a UID
		 * nor shrink the mailbox.
		 */
		log_warn("%s: ignored %s for message %u of %u", c->peer,
		    r->name, (unsigned)r->number, (unsigned)m->exists);
		return 1;
	} else if (strcmp(r->name, "EXPUNGE") == 0 && r->has_number) {
		if (m->exists > 0)
			m->exists--;
	} else if (strcmp(r->name, "VANISHED") == 0) {
		if (imap_vanished_parse(r, &set, &earlier, &e2) == 0 &&
		    !earlier) {
			uint64_t n = imap_seqset_count(&set);

			m->exists = n > m->exists ? 0 : m->exists - (uint32_t)n;
		}
		imap_seqset_clear(&set);
	}
	return 0;
}

void
imap_emit_event(struct imap_conn *c, const struct imap_response *r)
{
	if (c->event_cb == NULL || r->type != IMAP_RESP_UNTAGGED ||
	    r->name == NULL)
		return;
	/* Capabilities are the connection's business, not news. */
	if (strcmp(r->name, "CAPABILITY") == 0 ||
	    strcmp(r->name, "ENABLED") == 0)
		return;
	c->event_cb(c->event_arg, r);
}

static int
refused(struct imap_conn *c, struct imap_cmd *cmd, struct err *err)
{
	const struct imap_response	*r = cmd->reply;
	char				*w, *u;

	c->refusal = imap_code_type_of(r);
	w = imap_server_words(r->text);
	if ((u = imap_referral_words(r)) != NULL)
		err_set(err, ERR_REFUSED, _("%s: %s refused: the server "
		    "refers to another server (%s), which surat does not "
		    "follow: %s"), c->peer, cmd->name, u, w);
	else
		err_set(err, ERR_REFUSED, _("%s: %s refused: %s%s%s%s"),
		    c->peer, cmd->name, r->code != NULL ? "[" : "",
		    r->code != NULL ? r->code : "", r->code != NULL ? "] " :
		    "", w);
	free(w);
	free(u);
	return -1;
}

/*
 * Handle one response during cmd.  Returns 1 when it was the tagged
 * reply, 2 for a continuation when want_continue, 0 to keep reading, -1
 * on a connection-level error.
 */
static int
dispatch(struct imap_conn *c, struct imap_cmd *cmd, struct imap_response *r,
    bool want_continue, struct err *err)
{
	int	rc;

	switch (r->type) {
	case IMAP_RESP_TAGGED:
		if (strcmp(r->tag, c->tag) != 0) {
			err_set(err, ERR_PROTO, "%s: tagged response for a "
			    "command never sent (%s)", c->peer, c->tag);
			imap_conn_broken(c);
			imap_response_free(&r);
			return -1;
		}
		apply_code(c, r, err);
		cmd->reply = r;
		return 1;
	case IMAP_RESP_CONTINUE:
		if (want_continue) {
			imap_response_free(&r);
			return 2;
		}
		if (cmd->on_continue == NULL) {
			err_set(err, ERR_PROTO, "%s: unexpected continuation "
			    "during %s", c->peer, cmd->name);
			imap_conn_broken(c);
			imap_response_free(&r);
			return -1;
		}
		rc = cmd->on_continue(c, cmd, r, err);
		imap_response_free(&r);
		if (rc < 0)
			imap_conn_broken(c);
		return rc < 0 ? -1 : 0;
	case IMAP_RESP_UNTAGGED:
		break;
	}
	if ((rc = imap_apply_untagged(c, r, err)) != 0) {
		imap_response_free(&r);
		return rc < 0 ? -1 : 0;
	}
	if (cmd->on_untagged != NULL && !cmd->cb_failed) {
		rc = cmd->on_untagged(c, cmd, r, &cmd->cb_err);
		if (rc < 0)
			cmd->cb_failed = true;
	}
	if (rc == 0)
		imap_emit_event(c, r);
	imap_response_free(&r);
	return 0;
}

/* Read responses until the one dispatch says ends the wait. */
static int
read_until(struct imap_conn *c, struct imap_cmd *cmd, bool want_continue,
    struct err *err)
{
	struct imap_response	*r;
	int			 rc;

	for (;;) {
		if (imap_read_response(c, &r, err) < 0)
			return -1;
		rc = dispatch(c, cmd, r, want_continue, err);
		if (rc != 0)
			return rc;
	}
}

static bool
use_literal_plus(struct imap_conn *c, size_t len)
{
	if (imap_has_cap(c, "LITERAL+"))
		return true;
	return imap_has_cap(c, "LITERAL-") && len <= LITERAL_MINUS_MAX;
}

static int
send_command(struct imap_conn *c, struct imap_cmd *cmd, struct err *err)
{
	struct buf	line = BUF_INIT;
	size_t		pos = 0, i;
	bool		plus;
	int		rc = 0;

	buf_addf(&line, "%s ", c->tag);
	for (i = 0; i < cmd->nlits && rc == 0; i++) {
		plus = use_literal_plus(c, cmd->lits[i].len);
		buf_add(&line, cmd->text.data + pos, cmd->lits[i].at - pos);
		buf_addf(&line, "{%zu%s}", cmd->lits[i].len, plus ? "+" : "");
		pos = cmd->lits[i].at;
		rc = net_send_line(c->net, buf_cstr(&line), cmd->secret, err);
		if (cmd->secret)
			memset(line.data, 0, line.len);
		buf_reset(&line);
		if (rc == 0 && !plus) {
			rc = read_until(c, cmd, true, err);
			if (rc == 1)	/* refused before the literal */
				break;
			rc = rc == 2 ? 0 : -1;
		}
		if (rc == 0)
			rc = net_write(c->net, cmd->lits[i].data,
			    cmd->lits[i].len, cmd->secret, err);
	}
	if (rc == 0) {
		buf_add(&line, cmd->text.data + pos, cmd->text.len - pos);
		rc = net_send_line(c->net, buf_cstr(&line), cmd->secret, err);
	}
	if (cmd->secret && line.data != NULL)
		memset(line.data, 0, line.cap);
	buf_free(&line);
	if (rc < 0)
		imap_conn_broken(c);
	return rc;
}

int
imap_cmd_start(struct imap_conn *c, struct imap_cmd *cmd, struct err *err)
{
	int	rc;

	if (c->idling) {
		err_set(err, ERR_USAGE, "%s: %s during IDLE", c->peer,
		    cmd->name);
		return -1;
	}
	if (c->tag[0] != '\0') {
		err_set(err, ERR_USAGE, "%s: %s while %s is pending", c->peer,
		    cmd->name, c->tag);
		return -1;
	}
	if (!(cmd->states & IMAP_IN(c->state))) {
		err_set(err, c->state == IMAP_STATE_LOGOUT ? ERR_CLOSED :
		    ERR_USAGE, "%s: %s not possible in this state", c->peer,
		    cmd->name);
		return -1;
	}
	snprintf(c->tag, sizeof c->tag, "a%03u", ++c->tagn);
	rc = send_command(c, cmd, err);
	if (rc < 0)
		c->tag[0] = '\0';
	return rc < 0 ? -1 : 0;
}

int
imap_cmd_finish(struct imap_conn *c, struct imap_cmd *cmd, struct err *err)
{
	int	rc = 0;

	/* cmd->reply is set already when it came before a literal went. */
	if (cmd->reply == NULL)
		rc = read_until(c, cmd, false, err) == 1 ? 0 : -1;
	c->tag[0] = '\0';
	if (rc < 0)
		return -1;
	if (cmd->reply->cond != IMAP_COND_OK)
		return refused(c, cmd, err);
	if (cmd->cb_failed) {
		*err = cmd->cb_err;
		return -1;
	}
	return 0;
}

int
imap_cmd_run(struct imap_conn *c, struct imap_cmd *cmd, struct err *err)
{
	if (imap_cmd_start(c, cmd, err) == -1)
		return -1;
	return imap_cmd_finish(c, cmd, err);
}
