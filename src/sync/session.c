/*
 * An IMAP session of the sync engine: connection, login, extensions
 * enabled, the selected folder, and the report helpers every step uses.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "imap/imap.h"
#include "store/store.h"
#include "sync/sync-int.h"
#include "sync/sync.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

void
sync_report_clear(struct sync_report *r)
{
	size_t	i;

	for (i = 0; i < r->nconflicts; i++)
		free(r->conflicts[i]);
	free(r->conflicts);
	memset(r, 0, sizeof *r);
}

void
sync_report_conflict(struct sync_report *r, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	log_warn("sync: %s", buf_cstr(&b));
	if (r == NULL) {
		buf_free(&b);
		return;
	}
	r->conflicts = xreallocarray(r->conflicts, r->nconflicts + 1,
	    sizeof *r->conflicts);
	r->conflicts[r->nconflicts++] = buf_detach(&b, NULL);
}

struct sync_session *
sync_session_new(struct store *store, const struct config_account *acct)
{
	struct sync_session	*s;

	s = xcalloc(1, sizeof *s);
	s->store = store;
	s->acct = acct;
	return s;
}

void
sync_session_free(struct sync_session **sp)
{
	struct sync_session	*s = *sp;

	if (s == NULL)
		return;
	sync_session_disconnect(s);
	str_free_secret(&s->secret);
	free(s);
	*sp = NULL;
}

void
sync_session_disconnect(struct sync_session *s)
{
	struct err	e;

	if (s->conn != NULL && imap_get_state(s->conn) != IMAP_STATE_LOGOUT) {
		err_clear(&e);
		(void)imap_logout(s->conn, &e);
	}
	imap_close(&s->conn);
	s->selected = 0;
	sess_listed_clear(s);
}

void
sess_listed_add(struct sync_session *s, int64_t folder_id,
    const struct imap_status *st)
{
	const unsigned	need = IMAP_STATUS_UIDVALIDITY | IMAP_STATUS_UIDNEXT |
			    IMAP_STATUS_HIGHESTMODSEQ;
	struct sync_listed *l;

	if ((st->have & need) != need || st->highestmodseq == 0)
		return;
	s->listed = xreallocarray(s->listed, s->nlisted + 1,
	    sizeof *s->listed);
	l = &s->listed[s->nlisted++];
	l->folder_id = folder_id;
	l->uidvalidity = st->uidvalidity;
	l->uidnext = st->uidnext;
	l->highestmodseq = st->highestmodseq;
}

bool
sess_listed_take(struct sync_session *s, int64_t folder_id,
    struct sync_listed *l_r)
{
	size_t	i;

	for (i = 0; i < s->nlisted; i++) {
		if (s->listed[i].folder_id != folder_id)
			continue;
		*l_r = s->listed[i];
		s->listed[i] = s->listed[--s->nlisted];
		return true;
	}
	return false;
}

void
sess_listed_clear(struct sync_session *s)
{
	free(s->listed);
	s->listed = NULL;
	s->nlisted = 0;
}

bool
sync_session_online(const struct sync_session *s)
{
	return s->conn != NULL && imap_get_state(s->conn) != IMAP_STATE_LOGOUT;
}

void
sync_session_set_limits(struct sync_session *s, unsigned limits)
{
	s->limits = limits;
}

int64_t
sync_session_account_id(const struct sync_session *s)
{
	return s->account_id;
}

void
sess_check_conn(struct sync_session *s)
{
	if (s->conn != NULL && imap_get_state(s->conn) == IMAP_STATE_LOGOUT) {
		imap_close(&s->conn);
		s->selected = 0;
	}
}

bool
sess_cancelled(const struct sync_opts *o, struct err *err)
{
	if (o == NULL || o->cancel == NULL || *o->cancel == 0)
		return false;
	err_set(err, ERR_CANCELLED, "%s", _("sync cancelled"));
	return true;
}

static enum imap_auth_method
auth_method(enum config_auth a)
{
	switch (a) {
	case CONFIG_AUTH_PLAIN:
		return IMAP_AUTH_PLAIN;
	case CONFIG_AUTH_LOGIN:
		return IMAP_AUTH_LOGIN;
	case CONFIG_AUTH_XOAUTH2:
		return IMAP_AUTH_XOAUTH2;
	case CONFIG_AUTH_AUTO:
	default:
		return IMAP_AUTH_AUTO;
	}
}

static int
get_secret(struct sync_session *s, struct err *err)
{
	enum config_secret	which;
	int			rc;

	if (s->secret != NULL)
		return 0;
	which = s->acct->auth == CONFIG_AUTH_XOAUTH2 ? CONFIG_SECRET_OAUTH :
	    CONFIG_SECRET_INCOMING;
	rc = config_get_password(s->acct, which, &s->secret, err);
	if (rc == -1)
		return -1;
	if (rc == CONFIG_NEED_PROMPT || s->secret == NULL) {
		err_set(err, ERR_AUTH, _("account %s: no password (set "
		    "password_cmd in the configuration)"), s->acct->id);
		return -1;
	}
	return 0;
}

int
sync_session_connect(struct sync_session *s, struct err *err)
{
	struct imap_params	 p;
	struct imap_auth	 a;
	const struct config_account *acct = s->acct;
	bool			 want_q, want_c;

	sess_check_conn(s);
	if (s->conn != NULL)
		return 0;
	if (acct->incoming.protocol != CONFIG_PROTO_IMAP ||
	    acct->incoming.host == NULL) {
		err_set(err, ERR_CONFIG, _("account %s: not an IMAP account"),
		    acct->id);
		return -1;
	}
	if (get_secret(s, err) == -1)
		return -1;
	memset(&p, 0, sizeof p);
	p.ep = config_account_endpoint(acct, false);
	p.security = acct->incoming.security;
	p.allow_plaintext = acct->allow_plaintext;
	if ((s->conn = imap_connect(&p, err)) == NULL)
		goto fail;
	memset(&a, 0, sizeof a);
	a.user = acct->user != NULL ? acct->user : acct->email;
	a.secret = s->secret;
	a.method = auth_method(acct->auth);
	if (imap_login(s->conn, &a, err) == -1) {
		if (err->code == ERR_AUTH || err->code == ERR_REFUSED)
			str_free_secret(&s->secret);
		goto fail;
	}
	/* imap_login() has the capabilities after login (asked if need be). */
	want_q = imap_has_cap(s->conn, "QRESYNC") &&
	    !(s->limits & (SYNC_NO_QRESYNC | SYNC_NO_CONDSTORE));
	want_c = imap_has_cap(s->conn, "CONDSTORE") &&
	    !(s->limits & SYNC_NO_CONDSTORE);
	if ((want_q || want_c) && imap_enable(s->conn, want_q ? "QRESYNC" :
	    "CONDSTORE", err) == -1)
		goto fail;
	s->qresync = want_q && imap_is_enabled(s->conn, "QRESYNC");
	s->condstore = want_c;
	s->selected = 0;
	log_info("sync: %s: connected to %s%s", acct->id,
	    imap_peer(s->conn), s->qresync ? " (QRESYNC)" :
	    s->condstore ? " (CONDSTORE)" : "");
	return 0;
fail:
	err_prefix(err, "%s: ", acct->id);
	imap_close(&s->conn);
	return -1;
}

int
sess_ready(struct sync_session *s, struct err *err)
{
	struct store_account	*a;

	/* A read-only store (surat search --server) can only look it up. */
	if (s->account_id == 0 && store_readonly(s->store)) {
		if (store_account_find(s->store, s->acct->id, &a, err) == -1)
			return -1;
		s->account_id = a->id;
		store_account_free(&a);
	}
	if (s->account_id == 0 && store_account_ensure(s->store, s->acct->id,
	    STORE_ACCOUNT_IMAP, &s->account_id, err) == -1)
		return -1;
	return sync_session_connect(s, err);
}

int
sess_wire_name(const struct store_folder *f, struct buf *out,
    struct err *err)
{
	buf_reset(out);
	if (f->wire != NULL) {
		buf_adds(out, f->wire);
		return 0;
	}
	return imap_mutf7_encode(f->name, out, err);
}

int
sess_select(struct sync_session *s, const struct store_folder *f,
    struct err *err)
{
	struct buf	w = BUF_INIT;
	int		rc;

	if (s->selected == f->id &&
	    imap_get_state(s->conn) == IMAP_STATE_SELECTED)
		return 0;
	s->selected = 0;
	if (sess_wire_name(f, &w, err) == -1) {
		buf_free(&w);
		return -1;
	}
	rc = imap_select(s->conn, buf_cstr(&w), false, NULL, err);
	buf_free(&w);
	if (rc == -1) {
		err_prefix(err, "%s: ", f->display);
		return -1;
	}
	s->selected = f->id;
	return 0;
}
