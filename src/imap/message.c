/*
 * Commands on messages of the selected mailbox, all by UID: FETCH (with
 * CHANGEDSINCE and VANISHED), STORE (with UNCHANGEDSINCE), COPY, MOVE
 * (or its fallback), EXPUNGE, SEARCH; and APPEND.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap.h"
#include "imap/imap-int.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define SELECTED	IMAP_IN(IMAP_STATE_SELECTED)

bool
imap_valid_set(const char *s)
{
	return s != NULL && *s != '\0' &&
	    strspn(s, "0123456789:,*") == strlen(s);
}

static int
bad_set(struct imap_conn *c, const char *what, struct err *err)
{
	err_set(err, ERR_USAGE, "%s: %s: not a UID set", imap_peer(c),
	    what != NULL ? what : "(null)");
	return -1;
}

/* Flags as the caller gives them: atoms, "\Seen", separated by spaces. */
static bool
valid_flags(const char *s)
{
	const char	*p;

	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 && *p != ' ')
			return false;
		if ((unsigned char)*p >= 0x7f || strchr("(){%*\"]", *p) != NULL)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* FETCH                                                               */

struct fetch_ctx {
	const struct imap_fetch_req	*req;
	struct imap_seqset		 want;
};

static int
fetch_untagged(struct imap_conn *c, struct imap_cmd *cmd,
    const struct imap_response *r, struct err *err)
{
	struct fetch_ctx		*f = cmd->arg;
	const struct imap_fetch_req	*req = f->req;
	struct imap_fetch		 fe;
	struct imap_seqset		 set = { 0 };
	bool				 earlier;
	int				 rc = 1;

	(void)c;
	if (r->name == NULL)
		return 0;
	if (strcmp(r->name, "VANISHED") == 0) {
		if (imap_vanished_parse(r, &set, &earlier, err) < 0)
			return -1;
		/* A live VANISHED also went to the state: an event. */
		if (!earlier || req->on_vanished == NULL)
			rc = 0;
		else if (req->on_vanished(req->arg, &set, err) < 0)
			rc = -1;
		imap_seqset_clear(&set);
		return rc;
	}
	if (strcmp(r->name, "FETCH") != 0)
		return 0;
	if (imap_fetch_parse(r, &fe, err) < 0)
		return -1;
	if (!(fe.have & IMAP_FETCH_UID) ||
	    !imap_seqset_contains(&f->want, fe.uid))
		rc = 0;
	else if (req->on_fetch != NULL && req->on_fetch(req->arg, &fe,
	    err) < 0)
		rc = -1;
	imap_fetch_clear(&fe);
	return rc;
}

struct imap_fetch_pending {
	struct imap_cmd		cmd;
	struct fetch_ctx	f;
	size_t			old_max;
};

int
imap_uid_fetch_start(struct imap_conn *c, const struct imap_fetch_req *req,
    struct imap_fetch_pending **p_r, struct err *err)
{
	struct imap_fetch_pending	*p;

	*p_r = NULL;
	if (!imap_valid_set(req->uids))
		return bad_set(c, req->uids, err);
	if (req->items == NULL || strpbrk(req->items, "\r\n") != NULL) {
		err_set(err, ERR_USAGE, "%s: bad FETCH items", imap_peer(c));
		return -1;
	}
	p = xcalloc(1, sizeof *p);
	p->f.req = req;
	p->old_max = c->max_response;
	if (imap_seqset_parse(&p->f.want, req->uids, err) < 0) {
		free(p);
		return -1;
	}
	imap_cmd_init(&p->cmd, "FETCH", SELECTED);
	p->cmd.on_untagged = fetch_untagged;
	p->cmd.arg = &p->f;
	imap_cmd_addf(&p->cmd, "UID FETCH %s (%s)", req->uids, req->items);
	if (req->changedsince != 0) {
		imap_cmd_addf(&p->cmd, " (CHANGEDSINCE %llu%s)",
		    (unsigned long long)req->changedsince, req->vanished &&
		    imap_is_enabled(c, "QRESYNC") ? " VANISHED" : "");
	}
	if (imap_cmd_start(c, &p->cmd, err) == -1) {
		imap_cmd_free(&p->cmd);
		imap_seqset_clear(&p->f.want);
		free(p);
		return -1;
	}
	*p_r = p;
	return 0;
}

int
imap_uid_fetch_finish(struct imap_conn *c, struct imap_fetch_pending **pp,
    struct err *err)
{
	struct imap_fetch_pending	*p = *pp;
	int				 rc;

	if (p->f.req->max_response != 0)
		imap_set_max_response(c, p->f.req->max_response);
	rc = imap_cmd_finish(c, &p->cmd, err);
	if (p->f.req->max_response != 0)
		imap_set_max_response(c, p->old_max);
	imap_cmd_free(&p->cmd);
	imap_seqset_clear(&p->f.want);
	free(p);
	*pp = NULL;
	return rc;
}

int
imap_uid_fetch(struct imap_conn *c, const struct imap_fetch_req *req,
    struct err *err)
{
	struct imap_fetch_pending	*p;

	if (imap_uid_fetch_start(c, req, &p, err) == -1)
		return -1;
	return imap_uid_fetch_finish(c, &p, err);
}

struct part_ctx {
	struct buf	*out;
	size_t		 cap;
	bool		 found;
};

static int
part_fetched(void *arg, const struct imap_fetch *fe, struct err *err)
{
	struct part_ctx	*p = arg;

	if (fe->nsections == 0 || p->found)
		return 0;
	p->found = true;
	if (fe->sections[0].len > p->cap) {
		err_set(err, ERR_TOOBIG, "message part of %zu bytes, over "
		    "the limit of %zu", fe->sections[0].len, p->cap);
		return -1;
	}
	if (fe->sections[0].data != NULL)
		buf_add(p->out, fe->sections[0].data, fe->sections[0].len);
	return 0;
}

int
imap_fetch_part(struct imap_conn *c, uint32_t uid, const char *section,
    size_t cap, struct buf *out, struct err *err)
{
	struct imap_fetch_req	req;
	struct part_ctx		p = { out, cap, false };
	char			uids[16], *items;
	int			rc;

	if (section == NULL || strspn(section, "0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
	    strlen(section)) {
		err_set(err, ERR_USAGE, "%s: bad body section", imap_peer(c));
		return -1;
	}
	snprintf(uids, sizeof uids, "%u", uid);
	items = xasprintf("UID BODY.PEEK[%s]", section);
	memset(&req, 0, sizeof req);
	req.uids = uids;
	req.items = items;
	/* Room for the response's own words around the literal. */
	req.max_response = cap + 4096;
	req.on_fetch = part_fetched;
	req.arg = &p;
	rc = imap_uid_fetch(c, &req, err);
	free(items);
	if (rc == 0 && !p.found) {
		err_set(err, ERR_NOTFOUND, "%s: message UID %u is gone",
		    imap_peer(c), uid);
		err->scope = ERR_SCOPE_MESSAGE;
		return -1;
	}
	if (rc < 0 && err->code == ERR_TOOBIG) {
		err->scope = ERR_SCOPE_MESSAGE;
		if (imap_get_state(c) != IMAP_STATE_LOGOUT)
			err_prefix(err, "%s: UID %u: ", imap_peer(c), uid);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* STORE, COPY, MOVE, EXPUNGE                                          */

int
imap_uid_store(struct imap_conn *c, const char *uids, const char *action,
    const char *flags, uint64_t unchangedsince,
    struct imap_seqset *modified_r, struct err *err)
{
	static const char *const actions[] = { "+FLAGS", "-FLAGS", "FLAGS",
	    "+FLAGS.SILENT", "-FLAGS.SILENT", "FLAGS.SILENT" };
	struct imap_cmd		cmd;
	struct imap_code	code;
	struct err		e2;
	size_t			i;
	int			rc;

	if (!imap_valid_set(uids))
		return bad_set(c, uids, err);
	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		if (action != NULL && strcasecmp(action, actions[i]) == 0)
			break;
	}
	if (i == sizeof actions / sizeof actions[0] || flags == NULL ||
	    !valid_flags(flags)) {
		err_set(err, ERR_USAGE, "%s: bad STORE arguments",
		    imap_peer(c));
		return -1;
	}
	imap_cmd_init(&cmd, "STORE", SELECTED);
	imap_cmd_addf(&cmd, "UID STORE %s ", uids);
	if (unchangedsince != 0 && imap_has_cap(c, "CONDSTORE"))
		imap_cmd_addf(&cmd, "(UNCHANGEDSINCE %llu) ",
		    (unsigned long long)unchangedsince);
	imap_cmd_addf(&cmd, "%s (%s)", actions[i], flags);
	rc = imap_cmd_run(c, &cmd, err);
	if (rc == 0 && modified_r != NULL && cmd.reply->code != NULL &&
	    imap_code_parse(cmd.reply, &code, &e2) == 0) {
		if (code.type == IMAP_CODE_MODIFIED) {
			for (i = 0; i < code.set1.n; i++)
				imap_seqset_add(modified_r, code.set1.r[i].lo,
				    code.set1.r[i].hi);
		}
		imap_code_clear(&code);
	}
	imap_cmd_free(&cmd);
	return rc;
}

void
imap_copyuid_clear(struct imap_copyuid *cu)
{
	imap_seqset_clear(&cu->src);
	imap_seqset_clear(&cu->dst);
	cu->uidvalidity = 0;
}

/* Take [COPYUID v src dst] from a response into cu, when it has one. */
static bool
take_copyuid(const struct imap_response *r, struct imap_copyuid *cu)
{
	struct imap_code	code;
	struct err		e2;

	if (cu == NULL || r->code == NULL ||
	    strcmp(r->code, "COPYUID") != 0 ||
	    imap_code_parse(r, &code, &e2) < 0)
		return false;
	imap_copyuid_clear(cu);
	cu->uidvalidity = code.num;
	cu->src = code.set1;
	cu->dst = code.set2;
	memset(&code.set1, 0, sizeof code.set1);
	memset(&code.set2, 0, sizeof code.set2);
	imap_code_clear(&code);
	return true;
}

static int
copy_or_move(struct imap_conn *c, const char *verb, const char *uids,
    const char *wire, struct imap_copyuid *cu, struct err *err);

int
imap_uid_copy(struct imap_conn *c, const char *uids, const char *wire,
    struct imap_copyuid *cu, struct err *err)
{
	return copy_or_move(c, "COPY", uids, wire, cu, err);
}

/* MOVE sends its COPYUID in an untagged OK before the expunges. */
static int
move_untagged(struct imap_conn *c, struct imap_cmd *cmd,
    const struct imap_response *r, struct err *err)
{
	(void)c;
	(void)err;
	if (r->cond == IMAP_COND_OK && take_copyuid(r, cmd->arg))
		return 1;
	return 0;
}

static int
copy_or_move(struct imap_conn *c, const char *verb, const char *uids,
    const char *wire, struct imap_copyuid *cu, struct err *err)
{
	struct imap_cmd	cmd;
	int		rc;

	if (cu != NULL)
		memset(cu, 0, sizeof *cu);
	if (!imap_valid_set(uids))
		return bad_set(c, uids, err);
	imap_cmd_init(&cmd, verb, SELECTED);
	imap_cmd_addf(&cmd, "UID %s %s ", verb, uids);
	imap_cmd_add_string(&cmd, wire);
	if (strcmp(verb, "MOVE") == 0) {
		cmd.on_untagged = move_untagged;
		cmd.arg = cu;
	}
	rc = imap_cmd_run(c, &cmd, err);
	if (rc == 0)
		take_copyuid(cmd.reply, cu);
	imap_cmd_free(&cmd);
	return rc;
}

int
imap_uid_expunge(struct imap_conn *c, const char *uids, struct err *err)
{
	struct imap_cmd	cmd;
	int		rc;

	if (!imap_valid_set(uids))
		return bad_set(c, uids, err);
	imap_cmd_init(&cmd, "EXPUNGE", SELECTED);
	if (imap_has_cap(c, "UIDPLUS"))
		imap_cmd_addf(&cmd, "UID EXPUNGE %s", uids);
	else
		imap_cmd_addf(&cmd, "EXPUNGE");
	rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	return rc;
}

int
imap_uid_move(struct imap_conn *c, const char *uids, const char *wire,
    struct imap_copyuid *cu, struct err *err)
{
	if (imap_has_cap(c, "MOVE"))
		return copy_or_move(c, "MOVE", uids, wire, cu, err);
	if (copy_or_move(c, "COPY", uids, wire, cu, err) < 0)
		return -1;
	if (imap_uid_store(c, uids, "+FLAGS.SILENT", "\\Deleted", 0, NULL,
	    err) < 0 || imap_uid_expunge(c, uids, err) < 0) {
		if (cu != NULL)
			imap_copyuid_clear(cu);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* APPEND                                                              */

int
imap_append(struct imap_conn *c, const char *wire, const char *flags,
    time_t date, const void *msg, size_t len, uint32_t *uidvalidity_r,
    uint32_t *uid_r, struct err *err)
{
	struct imap_cmd		cmd;
	struct imap_code	code;
	struct err		e2;
	int			rc;

	if (uidvalidity_r != NULL)
		*uidvalidity_r = 0;
	if (uid_r != NULL)
		*uid_r = 0;
	if ((flags != NULL && !valid_flags(flags)) || len == 0 ||
	    memchr(msg, '\0', len) != NULL) {
		err_set(err, ERR_USAGE, "%s: APPEND: bad flags, or an empty "
		    "message or one with NUL bytes", imap_peer(c));
		return -1;
	}
	imap_cmd_init(&cmd, "APPEND", IMAP_AUTHED);
	imap_cmd_addf(&cmd, "APPEND ");
	imap_cmd_add_string(&cmd, wire);
	if (flags != NULL && *flags != '\0')
		imap_cmd_addf(&cmd, " (%s)", flags);
	if (date != 0) {
		imap_cmd_addf(&cmd, " \"");
		imap_format_date_time(&cmd.text, date);
		imap_cmd_addf(&cmd, "\"");
	}
	imap_cmd_addf(&cmd, " ");
	imap_cmd_add_literal(&cmd, msg, len);
	rc = imap_cmd_run(c, &cmd, err);
	if (rc == 0 && cmd.reply->code != NULL &&
	    strcmp(cmd.reply->code, "APPENDUID") == 0 &&
	    imap_code_parse(cmd.reply, &code, &e2) == 0) {
		if (uidvalidity_r != NULL)
			*uidvalidity_r = code.num;
		if (uid_r != NULL)
			*uid_r = code.uid;
		imap_code_clear(&code);
	}
	imap_cmd_free(&cmd);
	return rc;
}

/* ------------------------------------------------------------------ */
/* SEARCH                                                              */

static int
search_untagged(struct imap_conn *c, struct imap_cmd *cmd,
    const struct imap_response *r, struct err *err)
{
	(void)c;
	if (r->name == NULL || strcmp(r->name, "SEARCH") != 0)
		return 0;
	return imap_search_parse(r, cmd->arg, err) < 0 ? -1 : 1;
}

/* Keys whose value is a number or a set, sent bare. */
static bool
key_takes_number(const char *key)
{
	static const char *const keys[] = { "UID", "LARGER", "SMALLER",
	    "MODSEQ", "OLDER", "YOUNGER" };
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcasecmp(key, keys[i]) == 0)
			return true;
	}
	return false;
}

static bool
non_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return true;
	}
	return false;
}

/* Build the search program; -1 on a key or value that cannot be sent. */
int
imap_search_build(struct imap_cmd *cmd, const struct imap_search_key *keys,
    size_t n, struct err *err)
{
	size_t	i;
	bool	utf8 = false;

	for (i = 0; i < n; i++) {
		if (keys[i].key == NULL || *keys[i].key == '\0' ||
		    strspn(keys[i].key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz-") != strlen(keys[i].key))
			goto bad;
		if (keys[i].value != NULL && non_ascii(keys[i].value))
			utf8 = true;
	}
	imap_cmd_addf(cmd, "UID SEARCH");
	/* US-ASCII is the default every server has (RFC 3501 6.4.4). */
	if (utf8)
		imap_cmd_addf(cmd, " CHARSET UTF-8");
	for (i = 0; i < n; i++) {
		imap_cmd_addf(cmd, " %s", keys[i].key);
		if (keys[i].value == NULL)
			continue;
		if (key_takes_number(keys[i].key)) {
			if (!imap_valid_set(keys[i].value))
				goto bad;
			imap_cmd_addf(cmd, " %s", keys[i].value);
		} else if (strcasecmp(keys[i].key, "KEYWORD") == 0 ||
		    strcasecmp(keys[i].key, "UNKEYWORD") == 0) {
			if (*keys[i].value == '\0' || !valid_flags(
			    keys[i].value) || strchr(keys[i].value, ' '))
				goto bad;
			imap_cmd_addf(cmd, " %s", keys[i].value);
		} else {
			imap_cmd_addf(cmd, " ");
			imap_cmd_add_string(cmd, keys[i].value);
		}
	}
	if (n == 0)
		imap_cmd_addf(cmd, " ALL");
	return 0;
bad:
	err_set(err, ERR_USAGE, "bad search key");
	return -1;
}

int
imap_uid_search(struct imap_conn *c, const struct imap_search_key *keys,
    size_t n, struct imap_seqset *result, struct err *err)
{
	struct imap_cmd	cmd;
	int		rc;

	imap_cmd_init(&cmd, "SEARCH", SELECTED);
	cmd.on_untagged = search_untagged;
	cmd.arg = result;
	rc = imap_search_build(&cmd, keys, n, err);
	if (rc < 0)
		err_prefix(err, "%s: ", imap_peer(c));
	else
		rc = imap_cmd_run(c, &cmd, err);
	imap_cmd_free(&cmd);
	return rc;
}
