/* FETCH responses: UID, FLAGS, dates, sizes, ENVELOPE, BODYSTRUCTURE and
 * BODY[section]<origin> items. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "util/err.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* An nstring, forgiving atoms that some servers send for plain words. */
static int
nstr(const struct imap_arg *a, const char **s_r)
{
	if (a->type == IMAP_ARG_NIL) {
		*s_r = NULL;
		return 0;
	}
	if (!imap_arg_is_string(a))
		return -1;
	*s_r = a->str;
	return 0;
}

static int
parse_addresses(const struct imap_arg *a, struct imap_address **v_r,
    size_t *n_r)
{
	const struct imap_arg	*f;
	struct imap_address	*v;
	size_t			 i;

	*v_r = NULL;
	*n_r = 0;
	if (a->type == IMAP_ARG_NIL)
		return 0;
	if (a->type != IMAP_ARG_LIST)
		return -1;
	if (a->count == 0)
		return 0;
	v = xcalloc(a->count, sizeof *v);
	for (i = 0; i < a->count; i++) {
		f = a->list[i].list;
		if (a->list[i].type != IMAP_ARG_LIST || a->list[i].count != 4 ||
		    nstr(&f[0], &v[i].name) < 0 || nstr(&f[1], &v[i].adl) < 0 ||
		    nstr(&f[2], &v[i].mailbox) < 0 ||
		    nstr(&f[3], &v[i].host) < 0) {
			free(v);
			return -1;
		}
	}
	*v_r = v;
	*n_r = a->count;
	return 0;
}

static void
envelope_free(struct imap_envelope **ep)
{
	struct imap_envelope	*e = *ep;

	if (e == NULL)
		return;
	free(e->from);
	free(e->sender);
	free(e->reply_to);
	free(e->to);
	free(e->cc);
	free(e->bcc);
	xfree(ep);
}

static int
parse_envelope(const struct imap_arg *a, struct imap_envelope **e_r)
{
	struct imap_envelope	*e;
	const struct imap_arg	*f = a->list;

	*e_r = NULL;
	if (a->type != IMAP_ARG_LIST || a->count < 10)
		return -1;
	e = xcalloc(1, sizeof *e);
	if (nstr(&f[0], &e->date) < 0 || nstr(&f[1], &e->subject) < 0 ||
	    parse_addresses(&f[2], &e->from, &e->n_from) < 0 ||
	    parse_addresses(&f[3], &e->sender, &e->n_sender) < 0 ||
	    parse_addresses(&f[4], &e->reply_to, &e->n_reply_to) < 0 ||
	    parse_addresses(&f[5], &e->to, &e->n_to) < 0 ||
	    parse_addresses(&f[6], &e->cc, &e->n_cc) < 0 ||
	    parse_addresses(&f[7], &e->bcc, &e->n_bcc) < 0 ||
	    nstr(&f[8], &e->in_reply_to) < 0 ||
	    nstr(&f[9], &e->message_id) < 0) {
		envelope_free(&e);
		return -1;
	}
	*e_r = e;
	return 0;
}

/* body-fld-param: NIL or (name value ...). */
static int
parse_params(const struct imap_arg *a, struct imap_param **v_r, size_t *n_r)
{
	struct imap_param	*v;
	size_t			 i;

	*v_r = NULL;
	*n_r = 0;
	if (a->type == IMAP_ARG_NIL)
		return 0;
	if (a->type != IMAP_ARG_LIST || a->count % 2 != 0)
		return -1;
	if (a->count == 0)
		return 0;
	v = xcalloc(a->count / 2, sizeof *v);
	for (i = 0; i < a->count / 2; i++) {
		if (!imap_arg_is_string(&a->list[2 * i]) ||
		    nstr(&a->list[2 * i + 1], &v[i].value) < 0) {
			free(v);
			return -1;
		}
		v[i].name = a->list[2 * i].str;
	}
	*v_r = v;
	*n_r = a->count / 2;
	return 0;
}

static void
body_clear(struct imap_body *b)
{
	size_t	i;

	for (i = 0; i < b->nparts; i++)
		body_clear(&b->parts[i]);
	free(b->parts);
	free(b->params);
	free(b->dparams);
	envelope_free(&b->envelope);
	memset(b, 0, sizeof *b);
}

/* body-fld-dsp: NIL or (type params). Unreadable extension data is
 * ignored: it is optional and nothing depends on it being right. */
static void
parse_disposition(const struct imap_arg *a, struct imap_body *b)
{
	if (a->type != IMAP_ARG_LIST || a->count != 2 ||
	    !imap_arg_is_string(&a->list[0]))
		return;
	if (parse_params(&a->list[1], &b->dparams, &b->ndparams) < 0)
		return;
	b->disposition = a->list[0].str;
}

static int	parse_body(const struct imap_arg *, struct imap_body *);

static int
parse_multipart(const struct imap_arg *a, struct imap_body *b)
{
	size_t	n = 0, i;

	while (n < a->count && a->list[n].type == IMAP_ARG_LIST)
		n++;
	if (n == a->count || !imap_arg_is_string(&a->list[n]))
		return -1;
	b->type = "multipart";
	b->subtype = a->list[n].str;
	b->parts = xcalloc(n, sizeof *b->parts);
	b->nparts = n;
	for (i = 0; i < n; i++) {
		if (parse_body(&a->list[i], &b->parts[i]) < 0)
			return -1;
	}
	i = n + 1;
	if (i < a->count &&
	    parse_params(&a->list[i], &b->params, &b->nparams) < 0)
		b->params = NULL;
	if (++i < a->count)
		parse_disposition(&a->list[i], b);
	if (++i < a->count && ++i < a->count)
		nstr(&a->list[i], &b->location);
	return 0;
}

static int
parse_single(const struct imap_arg *a, struct imap_body *b)
{
	const struct imap_arg	*f = a->list;
	size_t			 i;

	if (a->count < 7 || !imap_arg_is_string(&f[0]) ||
	    !imap_arg_is_string(&f[1]))
		return -1;
	b->type = f[0].str;
	b->subtype = f[1].str;
	if (parse_params(&f[2], &b->params, &b->nparams) < 0 ||
	    nstr(&f[3], &b->id) < 0 || nstr(&f[4], &b->description) < 0 ||
	    nstr(&f[5], &b->encoding) < 0 || imap_arg_u63(&f[6], &b->size) < 0)
		return -1;
	i = 7;
	if ((strcasecmp(b->type, "message") == 0 &&
	    (strcasecmp(b->subtype, "rfc822") == 0 ||
	    strcasecmp(b->subtype, "global") == 0)) && a->count >= 10 &&
	    f[7].type == IMAP_ARG_LIST && f[8].type == IMAP_ARG_LIST) {
		if (parse_envelope(&f[7], &b->envelope) < 0)
			return -1;
		b->parts = xcalloc(1, sizeof *b->parts);
		b->nparts = 1;
		if (parse_body(&f[8], &b->parts[0]) < 0 ||
		    imap_arg_u32(&f[9], &b->lines) < 0)
			return -1;
		i = 10;
	} else if (strcasecmp(b->type, "text") == 0 && a->count >= 8) {
		if (imap_arg_u32(&f[7], &b->lines) < 0)
			return -1;
		i = 8;
	}
	if (i < a->count)
		nstr(&f[i], &b->md5);
	if (++i < a->count)
		parse_disposition(&f[i], b);
	if (++i < a->count && ++i < a->count)
		nstr(&f[i], &b->location);
	return 0;
}

static int
parse_body(const struct imap_arg *a, struct imap_body *b)
{
	if (a->type != IMAP_ARG_LIST || a->count == 0)
		return -1;
	if (a->list[0].type == IMAP_ARG_LIST)
		return parse_multipart(a, b);
	return parse_single(a, b);
}

const struct imap_body *
imap_body_part(const struct imap_body *b, const char *section)
{
	const char	*p = section;
	char		*end;
	unsigned long	 k;

	if (b == NULL || section == NULL)
		return NULL;
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return NULL;
		k = strtoul(p, &end, 10);
		if (k == 0)
			return NULL;
		/* Inside a message/rfc822 part, numbers name its body. */
		if (b->envelope != NULL && b->nparts == 1)
			b = &b->parts[0];
		if (b->type != NULL && strcasecmp(b->type, "multipart") == 0) {
			if (k > b->nparts)
				return NULL;
			b = &b->parts[k - 1];
		} else if (k != 1)
			return NULL;
		p = end;
		if (*p == '.')
			p++;
		else if (*p != '\0')
			return NULL;
	}
	return b;
}

/* "BODY[HEADER]<0>", "BINARY[1]", "RFC822.HEADER". */
static int
parse_section(const struct imap_arg *name, const struct imap_arg *value,
    struct imap_fetch *f)
{
	struct imap_section	*s;
	const char		*open, *close, *o;
	uint32_t		 origin = 0;
	bool			 has_origin = false;
	char			*sect;

	if (name->str[0] == 'R' || name->str[0] == 'r') {
		if (strcasecmp(name->str, "RFC822") == 0)
			sect = xstrdup("");
		else if (strcasecmp(name->str, "RFC822.HEADER") == 0)
			sect = xstrdup("HEADER");
		else if (strcasecmp(name->str, "RFC822.TEXT") == 0)
			sect = xstrdup("TEXT");
		else
			return 1;
	} else {
		open = strchr(name->str, '[');
		close = strrchr(name->str, ']');
		if (open == NULL || close == NULL || close < open)
			return -1;
		o = close + 1;
		if (*o == '<') {
			const char	*q = ++o;
			uint64_t	 n = 0;

			while (isdigit((unsigned char)*q) && n <= UINT32_MAX)
				n = n * 10 + (uint64_t)(*q++ - '0');
			if (q == o || *q != '>' || q[1] != '\0' ||
			    n > UINT32_MAX)
				return -1;
			origin = (uint32_t)n;
			has_origin = true;
		} else if (*o != '\0')
			return -1;
		sect = xstrndup(open + 1, (size_t)(close - open - 1));
	}
	if (value->type != IMAP_ARG_NIL && !imap_arg_is_string(value)) {
		free(sect);
		return -1;
	}
	f->sections = xreallocarray(f->sections, f->nsections + 1,
	    sizeof *f->sections);
	s = &f->sections[f->nsections++];
	s->section = sect;
	s->has_origin = has_origin;
	s->origin = origin;
	s->data = value->type == IMAP_ARG_NIL ? NULL : value->str;
	s->len = value->type == IMAP_ARG_NIL ? 0 : value->len;
	return 0;
}

static int
parse_flags(const struct imap_arg *a, struct imap_fetch *f)
{
	size_t	i;

	if (a->type != IMAP_ARG_LIST)
		return -1;
	f->flags = xcalloc(a->count + 1, sizeof *f->flags);
	for (i = 0; i < a->count; i++) {
		if (a->list[i].type != IMAP_ARG_ATOM)
			return -1;
		f->flags[i] = a->list[i].str;
	}
	f->nflags = a->count;
	return 0;
}

static int
parse_item(const struct imap_arg *name, const struct imap_arg *v,
    struct imap_fetch *f)
{
	const char	*n = name->str;
	const char	*s;

	if (strcasecmp(n, "UID") == 0) {
		if (imap_arg_u32(v, &f->uid) < 0 || f->uid == 0)
			return -1;
		f->have |= IMAP_FETCH_UID;
	} else if (strcasecmp(n, "FLAGS") == 0) {
		if (f->flags != NULL || parse_flags(v, f) < 0)
			return -1;
		f->have |= IMAP_FETCH_FLAGS;
	} else if (strcasecmp(n, "INTERNALDATE") == 0) {
		if ((s = imap_arg_str(v)) == NULL)
			return -1;
		if (imap_parse_date_time(s, &f->internaldate) == 0)
			f->have |= IMAP_FETCH_INTERNALDATE;
	} else if (strcasecmp(n, "RFC822.SIZE") == 0) {
		if (imap_arg_u63(v, &f->size) < 0)
			return -1;
		f->have |= IMAP_FETCH_SIZE;
	} else if (strcasecmp(n, "MODSEQ") == 0) {
		if (v->type != IMAP_ARG_LIST || v->count != 1 ||
		    imap_arg_u63(&v->list[0], &f->modseq) < 0)
			return -1;
		f->have |= IMAP_FETCH_MODSEQ;
	} else if (strcasecmp(n, "ENVELOPE") == 0) {
		if (f->envelope != NULL || parse_envelope(v, &f->envelope) < 0)
			return -1;
		f->have |= IMAP_FETCH_ENVELOPE;
	} else if (strcasecmp(n, "BODYSTRUCTURE") == 0 ||
	    strcasecmp(n, "BODY") == 0) {
		if (f->body != NULL)
			return -1;
		f->body = xcalloc(1, sizeof *f->body);
		if (parse_body(v, f->body) < 0)
			return -1;
		f->have |= IMAP_FETCH_BODYSTRUCTURE;
	} else if (strchr(n, '[') != NULL || str_istarts_with(n, "RFC822")) {
		return parse_section(name, v, f) < 0 ? -1 : 0;
	}
	/* Anything else (X-GM-LABELS, SAVEDATE, ...) is skipped. */
	return 0;
}

int
imap_fetch_parse(const struct imap_response *r, struct imap_fetch *f,
    struct err *err)
{
	const struct imap_arg	*items;
	size_t			 i;

	memset(f, 0, sizeof *f);
	if (r->name == NULL || strcmp(r->name, "FETCH") != 0 ||
	    !r->has_number || r->args.count != 1 ||
	    r->args.list[0].type != IMAP_ARG_LIST ||
	    r->args.list[0].count % 2 != 0)
		goto bad;
	f->seq = r->number;
	items = r->args.list[0].list;
	for (i = 0; i < r->args.list[0].count; i += 2) {
		if (items[i].type != IMAP_ARG_ATOM ||
		    parse_item(&items[i], &items[i + 1], f) < 0)
			goto bad;
	}
	return 0;
bad:
	imap_fetch_clear(f);
	err_set(err, ERR_PROTO, "IMAP: malformed FETCH response");
	return -1;
}

void
imap_fetch_clear(struct imap_fetch *f)
{
	size_t	i;

	free(f->flags);
	envelope_free(&f->envelope);
	if (f->body != NULL) {
		body_clear(f->body);
		xfree(&f->body);
	}
	for (i = 0; i < f->nsections; i++)
		free(f->sections[i].section);
	free(f->sections);
	memset(f, 0, sizeof *f);
}
