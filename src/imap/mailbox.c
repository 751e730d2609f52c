/*
 * Commands on mailboxes: LIST (with SPECIAL-USE and LIST-STATUS, or a
 * STATUS per folder), CREATE, DELETE, STATUS, SELECT/EXAMINE with
 * CONDSTORE and QRESYNC, UNSELECT, GETQUOTAROOT.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap.h"
#include "imap/imap-int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* The STATUS items for a mask, limited to what the server knows. */
void
imap_add_status_items(struct imap_conn *c, struct buf *b, unsigned int mask)
{
	static const struct {
		unsigned int	 bit;
		const char	*name, *cap;
	} items[] = {
		{ IMAP_STATUS_MESSAGES, "MESSAGES", NULL },
		{ IMAP_STATUS_RECENT, "RECENT", NULL },
		{ IMAP_STATUS_UIDNEXT, "UIDNEXT", NULL },
		{ IMAP_STATUS_UIDVALIDITY, "UIDVALIDITY", NULL },
		{ IMAP_STATUS_UNSEEN, "UNSEEN", NULL },
		{ IMAP_STATUS_HIGHESTMODSEQ, "HIGHESTMODSEQ", "CONDSTORE" },
		{ IMAP_STATUS_SIZE, "SIZE", "STATUS=SIZE" },
	};
	size_t	i;
	bool	first = true;

	buf_addc(b, '(');
	for (i = 0; i < sizeof items / sizeof items[0]; i++) {
		if (!(mask & items[i].bit))
			continue;
		if (items[i].cap != NULL && !imap_has_cap(c, items[i].cap))
			continue;
		if (!first)
			buf_addc(b, ' ');
		buf_adds(b, items[i].name);
		first = false;
	}
	if (first)	/* nothing the server knows: ask for something */
		buf_adds(b, "MESSAGES");
	buf_addc(b, ')');
}

/* ------------------------------------------------------------------ */
/* LIST                                                                */

struct list_ctx {
	struct imap_folder	*v;
	size_t			 n, cap;
};

/*
 * The exact name as UTF-8.  Nothing is sanitized here: a name that is
 * cleaned is a different name, which the server then does not know.
 */
static void
folder_set_utf8(struct imap_folder *f)
{
	struct buf	b = BUF_INIT;
	struct err	e;

	if (imap_mutf7_decode(f->name, &b, &e) == 0) {
		f->utf7 = true;
		f->utf8 = buf_detach(&b, NULL);
		return;
	}
	/* Not modified UTF-7 (some servers send raw UTF-8). */
	buf_reset(&b);
	utf8_repair(&b, f->name, strlen(f->name));
	f->utf7 = false;
	f->utf8 = buf_detach(&b, NULL);
}

static struct imap_folder *
find_folder(struct list_ctx *l, const char *name)
{
	size_t	i;

	/* LIST-STATUS sends STATUS right after its LIST: look back. */
	for (i = l->n; i > 0; i--) {
		if (strcmp(l->v[i - 1].name, name) == 0)
			return &l->v[i - 1];
	}
	return NULL;
}

static int
list_untagged(struct imap_conn *c, struct imap_cmd *cmd,
    const struct imap_response *r, struct err *err)
{
	struct list_ctx		*l = cmd->arg;
	struct imap_list	 li;
	struct imap_status	 st;
	struct imap_folder	*f;

	if (r->name == NULL)
		return 0;
	if (strcmp(r->name, "LIST") == 0) {
		if (imap_list_parse(r, &li, err) < 0)
			return -1;
		if (find_folder(l, li.name) != NULL)
			return 1;	/* some servers repeat INBOX */
		if (l->n == l->cap) {
			l->cap = l->cap == 0 ? 16 : l->cap * 2;
			l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
		}
		f = &l->v[l->n++];
		memset(f, 0, sizeof *f);
		f->name = xstrdup(li.name);
		f->delim = li.delim;
		f->flags = li.flags;
		f->role = li.role;
		folder_set_utf8(f);
		return 1;
	}
	if (strcmp(r->name, "STATUS") == 0) {
		if (imap_status_parse(r, &st, err) < 0)
			return -1;
		f = find_folder(l, st.mailbox);
		if (f == NULL)
			return 0;
		st.mailbox = NULL;
		f->status = st;
		return 1;
	}
	(void)c;
	return 0;
}

void
imap_folders_free(struct imap_folder **vp, size_t n)
{
	size_t	i;

	if (*vp == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*vp)[i].name);
		free((*vp)[i].utf8);
	}
	xfree(vp);
}

/* Without LIST-STATUS: one STATUS per selectable folder. */
static int
status_each(struct imap_conn *c, struct list_ctx *l, unsigned int mask,
    struct err *err)
{
	struct imap_folder	*f;
	size_t			 i;

	for (i = 0; i < l->n; i++) {
		f = &l->v[i];
		if (f->flags & (IMAP_LIST_NOSELECT | IMAP_LIST_NONEXISTENT))
			continue;
		if (imap_get_status(c, f->name, mask, &f->status, err) < 0) {
			if (err->code != ERR_REFUSED)
				return -1;
			/* One odd folder does not spoil the list. */
			log_warn("%s", err->msg);
			err_clear(err);
			memset(&f->status, 0, sizeof f->status);
		}
	}
	return 0;
}

int
imap_list_folders(struct imap_conn *c, const char *pattern,
    unsigned int statusmask, struct imap_folder **v_r, size_t *n_r,
    struct err *err)
{
	struct imap_cmd	cmd;
	struct list_ctx	l = { NULL, 0, 0 };
	bool		special = imap_has_cap(c, "SPECIAL-USE");
	bool		lstatus = statusmask != 0 &&
			    imap_has_cap(c, "LIST-STATUS");
	int		rc;

	*v_r = NULL;
	*n_r = 0;
	imap_cmd_init(&cmd, "LIST", IMAP_AUTHED);
	cmd.on_untagged = list_untagged;
	cmd.arg = &l;
	imap_cmd_addf(&cmd, "LIST \"\" ");
	imap_cmd_add_string(&cmd, pattern != NULL ? pattern : "*");
	if (special || lstatus) {
		imap_cmd_addf(&cmd, " RETURN (");
		if (special)
			imap_cmd_addf(&cmd, "SPECIAL-USE%s", lstatus ? " " :
			    "");
		if (lstatus) {
			imap_cmd_addf(&cmd, "STATUS ");
			imap_add_status_items(c, &cmd.text, statusmask);
		}
		imap_cmd_addf(&cmd, ")");
	}
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	if (rc == 0 && statusmask != 0 && !lstatus)
		rc = status_each(c, &l, statusmask, err);
	if (rc < 0) {
		imap_folders_free(&l.v, l.n);
		return -1;
	}
	*v_r = l.v;
	*n_r = l.n;
	return 0;
}

/* ------------------------------------------------------------------ */

static int
name_command(struct imap_conn *c, const char *verb, const char *wire,
    struct err *err)
{
	struct imap_cmd	cmd;
	int		rc;

	imap_cmd_init(&cmd, verb, IMAP_AUTHED);
	imap_cmd_addf(&cmd, "%s ", verb);
	imap_cmd_add_string(&cmd, wire);
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	return rc;
}

int
imap_create(struct imap_conn *c, const char *wire, struct err *err)
{
	return name_command(c, "CREATE", wire, err);
}

int
imap_delete(struct imap_conn *c, const char *wire, struct err *err)
{
	return name_command(c, "DELETE", wire, err);
}

struct status_ctx {
	const char		*wire;
	struct imap_status	*st;
	bool			 seen;
};

static int
status_untagged(struct imap_conn *c, struct imap_cmd *cmd,
    const struct imap_response *r, struct err *err)
{
	struct status_ctx	*s = cmd->arg;
	struct imap_status	 st;

	(void)c;
	if (r->name == NULL || strcmp(r->name, "STATUS") != 0)
		return 0;
	if (imap_status_parse(r, &st, err) < 0)
		return -1;
	if (strcmp(st.mailbox, s->wire) != 0)
		return 0;
	st.mailbox = NULL;
	*s->st = st;
	s->seen = true;
	return 1;
}

int
imap_get_status(struct imap_conn *c, const char *wire, unsigned int mask,
    struct imap_status *st, struct err *err)
{
	struct imap_cmd		cmd;
	struct status_ctx	s = { wire, st, false };
	int			rc;

	memset(st, 0, sizeof *st);
	imap_cmd_init(&cmd, "STATUS", IMAP_AUTHED);
	cmd.on_untagged = status_untagged;
	cmd.arg = &s;
	imap_cmd_addf(&cmd, "STATUS ");
	imap_cmd_add_string(&cmd, wire);
	imap_cmd_addf(&cmd, " ");
	imap_add_status_items(c, &cmd.text, mask);
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	if (rc == 0 && !s.seen) {
		err_set(err, ERR_PROTO, "%s: STATUS answered without data",
		    imap_peer(c));
		return -1;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* SELECT                                                              */

int
imap_select(struct imap_conn *c, const char *wire, bool readonly,
    const struct imap_qresync *qr, struct err *err)
{
	struct imap_cmd	cmd;
	const char	*verb = readonly ? "EXAMINE" : "SELECT";
	int		rc;

	imap_cmd_init(&cmd, verb, IMAP_AUTHED);
	imap_cmd_addf(&cmd, "%s ", verb);
	imap_cmd_add_string(&cmd, wire);
	if (imap_is_enabled(c, "QRESYNC") && qr != NULL &&
	    qr->uidvalidity != 0 && qr->modseq != 0) {
		imap_cmd_addf(&cmd, " (QRESYNC (%u %llu", qr->uidvalidity,
		    (unsigned long long)qr->modseq);
		if (qr->known_uids != NULL && *qr->known_uids != '\0' &&
		    strspn(qr->known_uids, "0123456789:,*") ==
		    strlen(qr->known_uids))
			imap_cmd_addf(&cmd, " %s", qr->known_uids);
		imap_cmd_addf(&cmd, "))");
	} else if (imap_has_cap(c, "CONDSTORE") &&
	    !imap_is_enabled(c, "QRESYNC") &&
	    !imap_is_enabled(c, "CONDSTORE"))
		imap_cmd_addf(&cmd, " (CONDSTORE)");
	/*
	 * From here on responses describe the new mailbox (the old one is
	 * closed even when the SELECT fails, RFC 3501 6.3.1).
	 */
	imap_mailbox_clear(&c->mbox);
	if (imap_get_state(c) == IMAP_STATE_SELECTED)
		imap_set_state(c, IMAP_STATE_AUTH);
	c->mbox.name = xstrdup(wire);
	c->mbox.readonly = readonly;
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	if (rc < 0) {
		if (imap_get_state(c) != IMAP_STATE_LOGOUT)
			imap_mailbox_clear(&c->mbox);
		return -1;
	}
	imap_set_state(c, IMAP_STATE_SELECTED);
	return 0;
}

int
imap_unselect(struct imap_conn *c, struct err *err)
{
	struct imap_cmd	cmd;
	const char	*verb = imap_has_cap(c, "UNSELECT") ? "UNSELECT" :
			    "CLOSE";
	int		rc;

	imap_cmd_init(&cmd, verb, IMAP_IN(IMAP_STATE_SELECTED));
	imap_cmd_addf(&cmd, "%s", verb);
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	if (rc == 0)
		imap_set_state(c, IMAP_STATE_AUTH);
	return rc;
}

/* ------------------------------------------------------------------ */
/* QUOTA                                                               */

static int
quota_untagged(struct imap_conn *c, struct imap_cmd *cmd,
    const struct imap_response *r, struct err *err)
{
	struct imap_quota_usage	*u = cmd->arg;
	struct imap_quota	 q;
	size_t			 i;

	(void)c;
	if (r->name == NULL)
		return 0;
	if (strcmp(r->name, "QUOTAROOT") == 0)
		return 1;
	if (strcmp(r->name, "QUOTA") != 0)
		return 0;
	if (imap_quota_parse(r, &q, err) < 0)
		return -1;
	/* With several roots, the first that names a resource wins. */
	for (i = 0; i < q.nres; i++) {
		if (strcasecmp(q.res[i].name, "STORAGE") == 0 &&
		    !u->has_storage) {
			u->has_storage = true;
			u->storage_used = q.res[i].usage;
			u->storage_limit = q.res[i].limit;
		} else if (strcasecmp(q.res[i].name, "MESSAGE") == 0 &&
		    !u->has_messages) {
			u->has_messages = true;
			u->messages_used = q.res[i].usage;
			u->messages_limit = q.res[i].limit;
		}
	}
	imap_quota_clear(&q);
	return 1;
}

int
imap_getquotaroot(struct imap_conn *c, const char *wire,
    struct imap_quota_usage *u, struct err *err)
{
	struct imap_cmd	cmd;
	int		rc;

	memset(u, 0, sizeof *u);
	if (!imap_has_cap(c, "QUOTA")) {
		err_set(err, ERR_REFUSED, "%s: the server has no QUOTA",
		    imap_peer(c));
		return -1;
	}
	imap_cmd_init(&cmd, "GETQUOTAROOT", IMAP_AUTHED);
	cmd.on_untagged = quota_untagged;
	cmd.arg = u;
	imap_cmd_addf(&cmd, "GETQUOTAROOT ");
	imap_cmd_add_string(&cmd, wire);
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	return rc;
}
