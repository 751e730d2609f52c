/* Response codes: [UIDNEXT 5], [COPYUID 9 1:2 7:8], [CAPABILITY ...]. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "imap/imap-int.h"
#include "util/err.h"

static const struct {
	const char		*name;
	enum imap_code_type	 type;
} code_names[] = {
	{ "ALERT", IMAP_CODE_ALERT },
	{ "BADCHARSET", IMAP_CODE_BADCHARSET },
	{ "CAPABILITY", IMAP_CODE_CAPABILITY },
	{ "PARSE", IMAP_CODE_PARSE },
	{ "PERMANENTFLAGS", IMAP_CODE_PERMANENTFLAGS },
	{ "READ-ONLY", IMAP_CODE_READ_ONLY },
	{ "READ-WRITE", IMAP_CODE_READ_WRITE },
	{ "TRYCREATE", IMAP_CODE_TRYCREATE },
	{ "UIDNEXT", IMAP_CODE_UIDNEXT },
	{ "UIDVALIDITY", IMAP_CODE_UIDVALIDITY },
	{ "UNSEEN", IMAP_CODE_UNSEEN },
	{ "HIGHESTMODSEQ", IMAP_CODE_HIGHESTMODSEQ },
	{ "NOMODSEQ", IMAP_CODE_NOMODSEQ },
	{ "MODIFIED", IMAP_CODE_MODIFIED },
	{ "APPENDUID", IMAP_CODE_APPENDUID },
	{ "COPYUID", IMAP_CODE_COPYUID },
	{ "UIDNOTSTICKY", IMAP_CODE_UIDNOTSTICKY },
	{ "CLOSED", IMAP_CODE_CLOSED },
	{ "REFERRAL", IMAP_CODE_REFERRAL },
	{ "AUTHENTICATIONFAILED", IMAP_CODE_AUTHENTICATIONFAILED },
	{ "AUTHORIZATIONFAILED", IMAP_CODE_AUTHORIZATIONFAILED },
	{ "UNAVAILABLE", IMAP_CODE_UNAVAILABLE },
	{ "EXPIRED", IMAP_CODE_EXPIRED },
	{ "OVERQUOTA", IMAP_CODE_OVERQUOTA },
	{ "NONEXISTENT", IMAP_CODE_NONEXISTENT },
	{ "ALREADYEXISTS", IMAP_CODE_ALREADYEXISTS },
};

static int
code_fail(struct imap_code *c, const char *name, struct err *err)
{
	err_set(err, ERR_PROTO, "IMAP: malformed [%s] response code", name);
	imap_code_clear(c);
	return -1;
}

/* Argument i as a sequence set. */
static int
arg_set(const struct imap_arg *a, struct imap_seqset *s, struct err *err)
{
	if (a->type != IMAP_ARG_ATOM)
		return -1;
	return imap_seqset_parse(s, a->str, err);
}

/* All items (or the items of a single list) must be atoms. */
static int
flatten_atoms(struct imap_arg *args)
{
	struct imap_arg	 inner;
	size_t		 i;

	if (args->count == 1 && args->list[0].type == IMAP_ARG_LIST) {
		inner = args->list[0];
		args->list[0].list = NULL;
		args->list[0].count = 0;
		imap_arg_free(args);
		*args = inner;
	}
	for (i = 0; i < args->count; i++) {
		if (!imap_arg_is_string(&args->list[i]))
			return -1;
	}
	return 0;
}

static int
code_args(const struct imap_response *r, struct imap_code *c,
    struct err *err)
{
	const struct imap_arg	*a;
	size_t			 n;

	if (imap_parse_args(r->code_text, strlen(r->code_text), &c->args,
	    err) < 0)
		return code_fail(c, r->code, err);
	a = c->args.list;
	n = c->args.count;
	switch (c->type) {
	case IMAP_CODE_UIDNEXT:
	case IMAP_CODE_UIDVALIDITY:
	case IMAP_CODE_UNSEEN:
		if (n != 1 || imap_arg_u32(&a[0], &c->num) < 0)
			return code_fail(c, r->code, err);
		break;
	case IMAP_CODE_HIGHESTMODSEQ:
		if (n != 1 || imap_arg_u63(&a[0], &c->modseq) < 0)
			return code_fail(c, r->code, err);
		break;
	case IMAP_CODE_MODIFIED:
		if (n != 1 || arg_set(&a[0], &c->set1, err) < 0)
			return code_fail(c, r->code, err);
		break;
	case IMAP_CODE_APPENDUID:
		/* MULTIAPPEND may answer with a set; keep both forms. */
		if (n != 2 || imap_arg_u32(&a[0], &c->num) < 0 ||
		    arg_set(&a[1], &c->set1, err) < 0 || c->set1.n == 0)
			return code_fail(c, r->code, err);
		c->uid = c->set1.r[0].lo;
		break;
	case IMAP_CODE_COPYUID:
		if (n != 3 || imap_arg_u32(&a[0], &c->num) < 0 ||
		    arg_set(&a[1], &c->set1, err) < 0 ||
		    arg_set(&a[2], &c->set2, err) < 0 ||
		    imap_seqset_count(&c->set1) != imap_seqset_count(&c->set2))
			return code_fail(c, r->code, err);
		break;
	case IMAP_CODE_CAPABILITY:
	case IMAP_CODE_PERMANENTFLAGS:
	case IMAP_CODE_BADCHARSET:
		if (flatten_atoms(&c->args) < 0)
			return code_fail(c, r->code, err);
		break;
	default:
		break;
	}
	return 0;
}

enum imap_code_type
imap_code_type_of(const struct imap_response *r)
{
	size_t	i;

	if (r->code == NULL)
		return IMAP_CODE_NONE;
	for (i = 0; i < sizeof code_names / sizeof code_names[0]; i++) {
		if (strcmp(r->code, code_names[i].name) == 0)
			return code_names[i].type;
	}
	return IMAP_CODE_OTHER;
}

int
imap_code_parse(const struct imap_response *r, struct imap_code *c,
    struct err *err)
{
	memset(c, 0, sizeof *c);
	c->args.type = IMAP_ARG_LIST;
	if (r->code == NULL)
		return 0;
	c->type = imap_code_type_of(r);
	c->text = r->code_text;
	switch (c->type) {
	case IMAP_CODE_OTHER:
	case IMAP_CODE_ALERT:
	case IMAP_CODE_REFERRAL:
	case IMAP_CODE_PARSE:
		/* Free text; nothing to read. */
		return 0;
	default:
		return code_args(r, c, err);
	}
}

void
imap_code_clear(struct imap_code *c)
{
	imap_arg_free(&c->args);
	imap_seqset_clear(&c->set1);
	imap_seqset_clear(&c->set2);
	memset(c, 0, sizeof *c);
	c->args.type = IMAP_ARG_LIST;
}
