/* Untagged data other than FETCH: LIST, STATUS, SEARCH, ESEARCH,
 * VANISHED, QUOTA. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "util/err.h"
#include "util/xmalloc.h"

static int
data_fail(const struct imap_response *r, struct err *err)
{
	err_set(err, ERR_PROTO, "IMAP: malformed %s response",
	    r->name != NULL ? r->name : "untagged");
	return -1;
}

static bool
name_is(const struct imap_response *r, const char *name)
{
	return r->name != NULL && strcmp(r->name, name) == 0;
}

static const struct {
	const char	*name;
	unsigned int	 flag;
	enum imap_role	 role;
} list_attrs[] = {
	{ "\\Noselect", IMAP_LIST_NOSELECT, IMAP_ROLE_NONE },
	{ "\\Noinferiors", IMAP_LIST_NOINFERIORS, IMAP_ROLE_NONE },
	{ "\\Marked", IMAP_LIST_MARKED, IMAP_ROLE_NONE },
	{ "\\Unmarked", IMAP_LIST_UNMARKED, IMAP_ROLE_NONE },
	{ "\\HasChildren", IMAP_LIST_HASCHILDREN, IMAP_ROLE_NONE },
	{ "\\HasNoChildren", IMAP_LIST_HASNOCHILDREN, IMAP_ROLE_NONE },
	{ "\\NonExistent", IMAP_LIST_NONEXISTENT | IMAP_LIST_NOSELECT,
	    IMAP_ROLE_NONE },
	{ "\\Subscribed", IMAP_LIST_SUBSCRIBED, IMAP_ROLE_NONE },
	{ "\\Remote", IMAP_LIST_REMOTE, IMAP_ROLE_NONE },
	{ "\\All", 0, IMAP_ROLE_ALL },
	{ "\\Archive", 0, IMAP_ROLE_ARCHIVE },
	{ "\\Drafts", 0, IMAP_ROLE_DRAFTS },
	{ "\\Flagged", 0, IMAP_ROLE_FLAGGED },
	{ "\\Junk", 0, IMAP_ROLE_JUNK },
	{ "\\Sent", 0, IMAP_ROLE_SENT },
	{ "\\Trash", 0, IMAP_ROLE_TRASH },
	{ "\\Important", 0, IMAP_ROLE_IMPORTANT },
};

static const char *const role_names[] = {
	"", "inbox", "all", "archive", "drafts", "flagged", "junk", "sent",
	"trash", "important",
};

const char *
imap_role_name(enum imap_role role)
{
	if ((size_t)role >= sizeof role_names / sizeof role_names[0])
		return "";
	return role_names[role];
}

/* LIST (attrs) delim name [extended data]; also LSUB. */
int
imap_list_parse(const struct imap_response *r, struct imap_list *l,
    struct err *err)
{
	const struct imap_arg	*a = r->args.list, *attr;
	size_t			 i, j;

	memset(l, 0, sizeof *l);
	if ((!name_is(r, "LIST") && !name_is(r, "LSUB")) ||
	    r->args.count < 3 || a[0].type != IMAP_ARG_LIST)
		return data_fail(r, err);
	for (i = 0; i < a[0].count; i++) {
		attr = &a[0].list[i];
		if (attr->type != IMAP_ARG_ATOM)
			return data_fail(r, err);
		for (j = 0; j < sizeof list_attrs / sizeof list_attrs[0]; j++) {
			if (strcasecmp(attr->str, list_attrs[j].name) != 0)
				continue;
			l->flags |= list_attrs[j].flag;
			if (list_attrs[j].role != IMAP_ROLE_NONE &&
			    l->role == IMAP_ROLE_NONE)
				l->role = list_attrs[j].role;
		}
	}
	if (a[1].type == IMAP_ARG_STRING && a[1].len == 1)
		l->delim = a[1].str[0];
	else if (a[1].type != IMAP_ARG_NIL)
		return data_fail(r, err);
	if (!imap_arg_is_string(&a[2]) || a[2].len == 0 ||
	    strlen(a[2].str) != a[2].len)
		return data_fail(r, err);
	l->name = a[2].str;
	if (strcasecmp(l->name, "INBOX") == 0 && l->role == IMAP_ROLE_NONE)
		l->role = IMAP_ROLE_INBOX;
	return 0;
}

/* STATUS name (MESSAGES 3 UIDNEXT 9 ...) */
int
imap_status_parse(const struct imap_response *r, struct imap_status *st,
    struct err *err)
{
	static const struct {
		const char	*name;
		unsigned int	 bit;
	} keys[] = {
		{ "MESSAGES", IMAP_STATUS_MESSAGES },
		{ "RECENT", IMAP_STATUS_RECENT },
		{ "UIDNEXT", IMAP_STATUS_UIDNEXT },
		{ "UIDVALIDITY", IMAP_STATUS_UIDVALIDITY },
		{ "UNSEEN", IMAP_STATUS_UNSEEN },
		{ "HIGHESTMODSEQ", IMAP_STATUS_HIGHESTMODSEQ },
		{ "SIZE", IMAP_STATUS_SIZE },
	};
	const struct imap_arg	*a = r->args.list, *kv;
	uint32_t		*u32[] = { &st->messages, &st->recent,
				    &st->uidnext, &st->uidvalidity,
				    &st->unseen };
	size_t			 i, j;
	int			 rc;

	memset(st, 0, sizeof *st);
	if (!name_is(r, "STATUS") || r->args.count != 2 ||
	    !imap_arg_is_string(&a[0]) || a[1].type != IMAP_ARG_LIST ||
	    a[1].count % 2 != 0)
		return data_fail(r, err);
	st->mailbox = a[0].str;
	kv = a[1].list;
	for (i = 0; i < a[1].count; i += 2) {
		if (kv[i].type != IMAP_ARG_ATOM)
			return data_fail(r, err);
		for (j = 0; j < sizeof keys / sizeof keys[0]; j++) {
			if (strcasecmp(kv[i].str, keys[j].name) == 0)
				break;
		}
		if (j == sizeof keys / sizeof keys[0])
			continue;
		if (j < 5)
			rc = imap_arg_u32(&kv[i + 1], u32[j]);
		else if (j == 5)
			rc = imap_arg_u63(&kv[i + 1], &st->highestmodseq);
		else
			rc = imap_arg_u63(&kv[i + 1], &st->size);
		if (rc < 0)
			return data_fail(r, err);
		st->have |= keys[j].bit;
	}
	return 0;
}

/*
 * SEARCH n n n [(MODSEQ m)], or ESEARCH [(TAG "x")] [UID] ALL set
 * [MIN n] [MAX n] [COUNT n].  Only the matches are kept.
 */
int
imap_search_parse(const struct imap_response *r, struct imap_seqset *set,
    struct err *err)
{
	const struct imap_arg	*a = r->args.list;
	uint32_t		 n;
	size_t			 i = 0;

	if (name_is(r, "SEARCH")) {
		for (i = 0; i < r->args.count; i++) {
			if (a[i].type == IMAP_ARG_LIST &&
			    i + 1 == r->args.count)
				break;	/* (MODSEQ n) of CONDSTORE */
			if (imap_arg_u32(&a[i], &n) < 0 || n == 0)
				return data_fail(r, err);
			imap_seqset_add(set, n, n);
		}
		return 0;
	}
	if (!name_is(r, "ESEARCH"))
		return data_fail(r, err);
	if (i < r->args.count && a[i].type == IMAP_ARG_LIST)
		i++;
	if (i < r->args.count && imap_arg_atom_is(&a[i], "UID"))
		i++;
	for (; i + 1 < r->args.count; i += 2) {
		if (a[i].type != IMAP_ARG_ATOM)
			return data_fail(r, err);
		if (strcasecmp(a[i].str, "ALL") == 0) {
			if (a[i + 1].type != IMAP_ARG_ATOM ||
			    imap_seqset_parse(set, a[i + 1].str, err) < 0)
				return data_fail(r, err);
		}
	}
	if (i != r->args.count)
		return data_fail(r, err);
	return 0;
}

int
imap_vanished_parse(const struct imap_response *r, struct imap_seqset *set,
    bool *earlier_r, struct err *err)
{
	const struct imap_arg	*a = r->args.list;
	size_t			 i = 0;

	*earlier_r = false;
	if (!name_is(r, "VANISHED") || r->args.count == 0)
		return data_fail(r, err);
	if (a[0].type == IMAP_ARG_LIST) {
		if (a[0].count != 1 || !imap_arg_atom_is(&a[0].list[0],
		    "EARLIER"))
			return data_fail(r, err);
		*earlier_r = true;
		i = 1;
	}
	if (i + 1 != r->args.count || a[i].type != IMAP_ARG_ATOM ||
	    imap_seqset_parse(set, a[i].str, err) < 0)
		return data_fail(r, err);
	return 0;
}

/* QUOTA root (STORAGE 10 512 MESSAGE 1 100) */
int
imap_quota_parse(const struct imap_response *r, struct imap_quota *q,
    struct err *err)
{
	const struct imap_arg	*a = r->args.list, *v;
	size_t			 i, n;

	memset(q, 0, sizeof *q);
	if (!name_is(r, "QUOTA") || r->args.count != 2 ||
	    !imap_arg_is_string(&a[0]) || a[1].type != IMAP_ARG_LIST ||
	    a[1].count % 3 != 0)
		return data_fail(r, err);
	q->root = a[0].str;
	n = a[1].count / 3;
	if (n == 0)
		return 0;
	q->res = xcalloc(n, sizeof *q->res);
	v = a[1].list;
	for (i = 0; i < n; i++) {
		if (v[3 * i].type != IMAP_ARG_ATOM ||
		    imap_arg_u63(&v[3 * i + 1], &q->res[i].usage) < 0 ||
		    imap_arg_u63(&v[3 * i + 2], &q->res[i].limit) < 0) {
			imap_quota_clear(q);
			return data_fail(r, err);
		}
		q->res[i].name = v[3 * i].str;
	}
	q->nres = n;
	return 0;
}

void
imap_quota_clear(struct imap_quota *q)
{
	free(q->res);
	memset(q, 0, sizeof *q);
}
