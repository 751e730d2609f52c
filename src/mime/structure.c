/*
 * Part trees without bodies (what an IMAP BODYSTRUCTURE says): a compact
 * text form for the store and its bounded parser, which parts a reader
 * needs to show a message, and a raw message put together from the
 * stored header and whichever parts were fetched, so the usual parser
 * and renderer show it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/internal.h"
#include "mime/mime.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define STRUCT_VERSION		"1"
#define STRUCT_MAX_PARAMS	64	/* per parameter list */

/* ---- The text form --------------------------------------------------- */

/*
 * Tokens separated by one space: "(" and ")", numbers, "-" for NULL and
 * "'" then a string with every byte outside 0x21..0x7e, '%', '(' and ')'
 * written %XX, so the text is one line of printable ASCII.  A part is
 *   ( type subtype encoding size lines N {name value}*N disposition
 *     N {name value}*N filename description content-id N part*N )
 * after the version.  Counts come before what they count, so the parser
 * never guesses and any cut-off text fails.
 */

static void
put_str(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	buf_addc(b, ' ');
	if (s == NULL) {
		buf_addc(b, '-');
		return;
	}
	buf_addc(b, '\'');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '%' || *p == '(' ||
		    *p == ')') {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
		} else
			buf_addc(b, (char)*p);
	}
}

static void
put_params(struct buf *b, const struct mime_params *ps)
{
	size_t	i, n = ps->n < STRUCT_MAX_PARAMS ? ps->n : STRUCT_MAX_PARAMS;

	buf_addf(b, " %zu", n);
	for (i = 0; i < n; i++) {
		put_str(b, ps->v[i].name);
		put_str(b, ps->v[i].value);
	}
}

static void
put_part(struct buf *b, const struct mime_part *p, int depth)
{
	const struct mime_part	*c;
	size_t			 n = 0;

	buf_adds(b, " (");
	put_str(b, p->type);
	put_str(b, p->subtype);
	buf_addf(b, " %d %llu %llu", (int)p->encoding,
	    (unsigned long long)p->size, (unsigned long long)p->lines);
	put_params(b, &p->params);
	put_str(b, p->disposition);
	put_params(b, &p->disp_params);
	put_str(b, p->filename);
	put_str(b, p->description);
	put_str(b, p->content_id);
	if (depth < MIME_MAX_DEPTH)
		for (c = p->child; c != NULL; c = c->next)
			n++;
	buf_addf(b, " %zu", n);
	for (c = p->child; c != NULL && n > 0; c = c->next, n--)
		put_part(b, c, depth + 1);
	buf_adds(b, " )");
}

void
mime_structure_format(const struct mime_part *root, struct buf *out)
{
	buf_adds(out, STRUCT_VERSION);
	put_part(out, root, 0);
}

struct sparse {
	const char	*s;
	size_t		 len, pos;
	size_t		 nparts;
	bool		 bad;
};

/* The next token (after its one leading space); false at the end. */
static bool
next_tok(struct sparse *ps, const char **t_r, size_t *n_r)
{
	size_t	start;

	if (ps->bad || ps->pos >= ps->len || ps->s[ps->pos] != ' ') {
		ps->bad = true;
		return false;
	}
	start = ++ps->pos;
	while (ps->pos < ps->len && ps->s[ps->pos] != ' ')
		ps->pos++;
	if (ps->pos == start) {
		ps->bad = true;
		return false;
	}
	*t_r = ps->s + start;
	*n_r = ps->pos - start;
	return true;
}

static bool
get_sym(struct sparse *ps, char c)
{
	const char	*t;
	size_t		 n;

	if (!next_tok(ps, &t, &n) || n != 1 || *t != c)
		ps->bad = true;
	return !ps->bad;
}

static bool
get_num(struct sparse *ps, uint64_t max, uint64_t *v_r)
{
	const char	*t;
	size_t		 n, i;
	uint64_t	 v = 0;

	if (!next_tok(ps, &t, &n) || n > 20)
		return ps->bad = true, false;
	for (i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return ps->bad = true, false;
		v = v * 10 + (uint64_t)(t[i] - '0');
	}
	if (v > max || (n > 1 && t[0] == '0'))
		return ps->bad = true, false;
	*v_r = v;
	return true;
}

/* A string token, allocated; *s_r NULL for "-". */
static bool
get_str(struct sparse *ps, char **s_r)
{
	const char	*t;
	size_t		 n, i;
	struct buf	 b = BUF_INIT;
	int		 hi, lo;

	*s_r = NULL;
	if (!next_tok(ps, &t, &n))
		return false;
	if (n == 1 && *t == '-')
		return true;
	if (*t != '\'')
		return ps->bad = true, false;
	for (i = 1; i < n; i++) {
		if (t[i] != '%') {
			buf_addc(&b, t[i]);
			continue;
		}
		if (i + 2 >= n || (hi = mime_hexval((unsigned char)t[i +
		    1])) < 0 || (lo = mime_hexval((unsigned char)t[i + 2])) <
		    0 || (hi == 0 && lo == 0)) {
			buf_free(&b);
			return ps->bad = true, false;
		}
		buf_addc(&b, (char)(hi << 4 | lo));
		i += 2;
	}
	buf_adds(&b, "");
	*s_r = buf_detach(&b, NULL);
	return true;
}

static bool
get_params(struct sparse *ps, struct mime_params *out)
{
	uint64_t	 n, i;
	char		*name, *value;

	if (!get_num(ps, STRUCT_MAX_PARAMS, &n))
		return false;
	for (i = 0; i < n; i++) {
		if (!get_str(ps, &name) || name == NULL) {
			ps->bad = true;
			free(name);
			return false;
		}
		if (!get_str(ps, &value) || value == NULL) {
			ps->bad = true;
			free(name);
			free(value);
			return false;
		}
		mime_params_set(out, name, value);
		free(name);
		free(value);
	}
	return true;
}

/* Lower case in place; false for "" and anything with a slash. */
static bool
type_word(char *s)
{
	char	*p;

	if (s == NULL || *s == '\0' || strchr(s, '/') != NULL)
		return false;
	for (p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return true;
}

static struct mime_part *
get_part(struct sparse *ps, int depth)
{
	struct mime_part	*p, *c;
	char			*type = NULL, *sub = NULL;
	uint64_t		 enc, n, i;

	if (depth > MIME_MAX_DEPTH || ++ps->nparts > MIME_MAX_PARTS ||
	    !get_sym(ps, '(') || !get_str(ps, &type) || !get_str(ps, &sub) ||
	    !type_word(type) || !type_word(sub)) {
		ps->bad = true;
		free(type);
		free(sub);
		return NULL;
	}
	p = mime_part_new(type, sub);
	free(type);
	free(sub);
	if (!get_num(ps, MIME_ENC_OTHER, &enc) ||
	    !get_num(ps, UINT64_MAX, &p->size) ||
	    !get_num(ps, UINT64_MAX, &p->lines) ||
	    !get_params(ps, &p->params) ||
	    !get_str(ps, &p->disposition) ||
	    !get_params(ps, &p->disp_params) ||
	    !get_str(ps, &p->filename) ||
	    !get_str(ps, &p->description) ||
	    !get_str(ps, &p->content_id) ||
	    !get_num(ps, MIME_MAX_PARTS, &n))
		goto bad;
	p->encoding = (enum mime_encoding)enc;
	/* Only a multipart has several children, a message one. */
	if (n > 0 && !mime_part_is_multipart(p) && (n > 1 ||
	    !mime_part_is(p, "message", NULL)))
		goto bad;
	for (i = 0; i < n; i++) {
		if ((c = get_part(ps, depth + 1)) == NULL)
			goto bad;
		mime_part_add_child(p, c);
	}
	if (!get_sym(ps, ')'))
		goto bad;
	return p;
bad:
	ps->bad = true;
	mime_part_free(&p);
	return NULL;
}

struct mime_part *
mime_structure_parse(const char *s, size_t len)
{
	struct sparse		 ps;
	struct mime_part	*root;

	if (s == NULL || len < 2 || len > MIME_STRUCTURE_MAX ||
	    memcmp(s, STRUCT_VERSION " ", 2) != 0)
		return NULL;
	memset(&ps, 0, sizeof ps);
	ps.s = s;
	ps.len = len;
	ps.pos = 1;
	root = get_part(&ps, 0);
	if (root == NULL || ps.bad || ps.pos != len) {
		mime_part_free(&root);
		return NULL;
	}
	mime_tree_number(root);
	return root;
}

/* ---- What a reader needs ---------------------------------------------- */

static bool
renderable(const struct mime_part *p)
{
	return mime_part_is(p, "text", "plain") ||
	    mime_part_is(p, "text", "html") || mime_part_is_multipart(p);
}

/* The child of an alternative the renderer would pick, bodies unseen. */
static const struct mime_part *
pick_alternative(const struct mime_part *mp, const char *prefer)
{
	const struct mime_part	*c, *pref = NULL, *best = NULL;
	const char		*want = prefer != NULL ? prefer : "text/plain";
	const char		*slash = strchr(want, '/');
	size_t			 tlen;

	tlen = slash != NULL ? (size_t)(slash - want) : strlen(want);
	for (c = mp->child; c != NULL; c = c->next) {
		if (slash == NULL && mime_part_is(c, "text", want))
			pref = c;
		else if (slash != NULL && strlen(c->type) == tlen &&
		    strncasecmp(c->type, want, tlen) == 0 &&
		    strcasecmp(c->subtype, slash + 1) == 0)
			pref = c;
		if (renderable(c))
			best = c;
	}
	return pref != NULL ? pref : best != NULL ? best : mp->child;
}

static int
want_walk(const struct mime_part *p, const char *prefer, mime_part_fn *fn,
    void *arg)
{
	const struct mime_part	*c;
	bool			 attached;
	int			 rc;

	if (p == NULL || p->depth > MIME_MAX_DEPTH)
		return 0;
	attached = p->disposition != NULL &&
	    strcasecmp(p->disposition, "attachment") == 0;
	if (!mime_part_is_multipart(p)) {
		if (mime_part_is(p, "message", "rfc822") ||
		    mime_part_is(p, "message", "global"))
			return p->size <= MIME_STRUCTURE_INLINE_MSG ?
			    fn(p, arg) : 0;
		if (mime_part_is(p, "text", NULL) && !attached &&
		    !mime_part_is(p, "text", "calendar"))
			return fn(p, arg);
		return 0;
	}
	if (strcasecmp(p->subtype, "alternative") == 0)
		return want_walk(pick_alternative(p, prefer), prefer, fn, arg);
	if (strcasecmp(p->subtype, "related") == 0)
		return want_walk(mime_related_start(p), prefer, fn, arg);
	if (strcasecmp(p->subtype, "signed") == 0)
		return want_walk(p->child, prefer, fn, arg);
	if (strcasecmp(p->subtype, "encrypted") == 0)
		return 0;
	for (c = p->child; c != NULL; c = c->next)
		if ((rc = want_walk(c, prefer, fn, arg)) != 0)
			return rc;
	return 0;
}

int
mime_structure_wanted(const struct mime_part *root, const char *prefer,
    mime_part_fn *fn, void *arg)
{
	return want_walk(root, prefer, fn, arg);
}

/* ---- Putting a message together ---------------------------------------- */

struct assemble {
	const char		*prefer;
	mime_part_get_fn	*get;
	void			*arg;
	struct buf		*out;
	struct mime_strlist	*missing;
	const struct mime_part	*root;
	unsigned		 nwanted_missing;
	char			 tag[13];	/* random, for boundaries */
};

static int
is_wanted_cb(const struct mime_part *p, void *arg)
{
	return p == arg ? 1 : 0;
}

static bool
is_wanted(struct assemble *a, const struct mime_part *p)
{
	return mime_structure_wanted(a->root, a->prefer, is_wanted_cb,
	    (void *)p) == 1;
}

static char *
boundary(const struct assemble *a, const struct mime_part *p)
{
	char	*b, *q;

	b = xasprintf("=_surat_%s_%s", *p->section ? p->section : "0",
	    a->tag);
	for (q = b; *q != '\0'; q++)
		if (*q == '.')
			*q = '-';
	return b;
}

/* Header fields of a part from what the structure says. */
static void
synth_headers(struct buf *out, const struct mime_part *p, const char *bnd,
    bool force_attachment)
{
	size_t	i;

	buf_addf(out, "Content-Type: %s/%s", p->type, p->subtype);
	for (i = 0; i < p->params.n; i++) {
		if (bnd != NULL && strcasecmp(p->params.v[i].name,
		    "boundary") == 0)
			continue;
		mime_param_encode(out, p->params.v[i].name,
		    p->params.v[i].value);
	}
	if (bnd != NULL)
		mime_param_encode(out, "boundary", bnd);
	buf_adds(out, "\r\n");
	if (p->encoding != MIME_ENC_7BIT && bnd == NULL)
		buf_addf(out, "Content-Transfer-Encoding: %s\r\n",
		    p->encoding == MIME_ENC_OTHER ? "binary" :
		    mime_encoding_name(p->encoding));
	if (p->disposition != NULL || force_attachment) {
		buf_addf(out, "Content-Disposition: %s", force_attachment ?
		    "attachment" : p->disposition);
		for (i = 0; i < p->disp_params.n; i++)
			mime_param_encode(out, p->disp_params.v[i].name,
			    p->disp_params.v[i].value);
		buf_adds(out, "\r\n");
	}
	if (p->content_id != NULL && strpbrk(p->content_id, "<>\r\n") == NULL)
		buf_addf(out, "Content-ID: <%s>\r\n", p->content_id);
}

/* A header block (a message's or a part's) ending in one empty line. */
static void
add_block(struct buf *out, const char *h, size_t len)
{
	while (len > 0 && (h[len - 1] == '\n' || h[len - 1] == '\r'))
		len--;
	buf_add(out, h, len);
	buf_adds(out, len > 0 ? "\r\n\r\n" : "\r\n");
}

/* The message's own header without the fields we write ourselves. */
static void
top_headers(struct buf *out, const char *h, size_t len, bool drop_type,
    bool drop_disp)
{
	const char	*p = h, *end = h + len, *eol;
	bool		 skip = false;

	while (p < end) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		else
			eol++;
		if (*p == '\r' || *p == '\n')
			break;		/* the empty line */
		if (*p != ' ' && *p != '\t')
			skip = (drop_type && (strncasecmp(p, "content-type:",
			    13) == 0 || strncasecmp(p,
			    "content-transfer-encoding:", 26) == 0)) ||
			    (drop_disp && strncasecmp(p,
			    "content-disposition:", 20) == 0);
		if (!skip)
			buf_add(out, p, (size_t)(eol - p));
		p = eol;
	}
	if (out->len > 0 && out->data[out->len - 1] != '\n')
		buf_adds(out, "\r\n");
}

static void assemble_part(struct assemble *, const struct mime_part *);

/* A leaf's header and body, or its header and nothing when not here. */
static void
assemble_leaf(struct assemble *a, const struct mime_part *p, bool top,
    const char *hdr, size_t hlen)
{
	struct buf	 body = BUF_INIT, mh = BUF_INIT;
	char		*msec;
	bool		 have, wanted = false;

	have = a->get(a->arg, p->section, &body) == 0;
	if (!have) {
		mime_strlist_add(a->missing, p->section, strlen(p->section));
		if ((wanted = is_wanted(a, p)))
			a->nwanted_missing++;
	}
	if (top) {
		top_headers(a->out, hdr, hlen, false, !have && wanted);
		if (!have && wanted)
			buf_adds(a->out, "Content-Disposition: attachment\r\n");
		buf_adds(a->out, "\r\n");
	} else {
		msec = xasprintf("%s.MIME", p->section);
		if (have && a->get(a->arg, msec, &mh) == 0)
			add_block(a->out, buf_cstr(&mh), mh.len);
		else {
			synth_headers(a->out, p, NULL, !have && wanted);
			buf_adds(a->out, "\r\n");
		}
		free(msec);
	}
	buf_add(a->out, buf_cstr(&body), body.len);
	buf_free(&body);
	buf_free(&mh);
}

static void
assemble_multipart(struct assemble *a, const struct mime_part *p)
{
	const struct mime_part	*c;
	char			*bnd = boundary(a, p);

	buf_adds(a->out, "\r\n");
	for (c = p->child; c != NULL; c = c->next) {
		buf_addf(a->out, "--%s\r\n", bnd);
		assemble_part(a, c);
		buf_adds(a->out, "\r\n");
	}
	buf_addf(a->out, "--%s--\r\n", bnd);
	free(bnd);
}

static void
assemble_part(struct assemble *a, const struct mime_part *p)
{
	char	*bnd;

	if (p->depth > MIME_MAX_DEPTH)
		return;
	if (!mime_part_is_multipart(p)) {
		assemble_leaf(a, p, false, NULL, 0);
		return;
	}
	bnd = boundary(a, p);
	synth_headers(a->out, p, bnd, false);
	free(bnd);
	assemble_multipart(a, p);
}

unsigned
mime_structure_assemble(const struct mime_part *root, const char *hdr,
    size_t hlen, const char *prefer, mime_part_get_fn *get, void *arg,
    struct buf *out, struct mime_strlist *missing)
{
	static const char	 hex[] = "0123456789abcdef";
	struct assemble		 a;
	unsigned char		 rnd[6];
	size_t			 i;

	memset(&a, 0, sizeof a);
	a.prefer = prefer;
	a.get = get;
	a.arg = arg;
	a.out = out;
	a.missing = missing;
	a.root = root;
	/* Parts from the server could hold a fixed boundary; not this. */
	mime_random(rnd, sizeof rnd);
	for (i = 0; i < sizeof rnd; i++) {
		a.tag[2 * i] = hex[rnd[i] >> 4];
		a.tag[2 * i + 1] = hex[rnd[i] & 15];
	}
	if (!mime_part_is_multipart(root)) {
		assemble_leaf(&a, root, true, hdr != NULL ? hdr : "", hlen);
		return a.nwanted_missing;
	}
	top_headers(out, hdr != NULL ? hdr : "", hlen, true, false);
	{
		char	*bnd = boundary(&a, root);

		synth_headers(out, root, bnd, false);
		free(bnd);
	}
	assemble_multipart(&a, root);
	return a.nwanted_missing;
}

/* ---- Saying what is missing --------------------------------------------- */

static bool
in_list(const struct mime_strlist *l, const char *s)
{
	size_t	i;

	for (i = 0; l != NULL && i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

void
mime_structure_mark_missing(struct mime_render *r,
    const struct mime_part *root, const struct mime_strlist *missing)
{
	const struct mime_part	*sp, *lp;
	struct mime_strlist	 done = { NULL, 0 };
	struct buf		 b = BUF_INIT;
	size_t			 i, k, out = 0;
	char			*type;

	for (i = 0; i < r->natts; i++) {
		lp = r->atts[i].part;
		if (in_list(missing, lp->section) &&
		    (sp = mime_tree_find(root, lp->section)) != NULL)
			r->atts[i].size = mime_part_decoded_size(sp);
	}
	for (i = 0; i < r->nlines; i++) {
		lp = r->lines[i].part;
		if (lp == NULL || !in_list(missing, lp->section) ||
		    (sp = mime_tree_find(root, lp->section)) == NULL ||
		    r->lines[i].kind != MIME_LINE_ATTACHMENT) {
			r->lines[out++] = r->lines[i];
			continue;
		}
		if (in_list(&done, lp->section)) {
			free(r->lines[i].text);	/* "End of forwarded" */
			continue;
		}
		mime_strlist_add(&done, lp->section, strlen(lp->section));
		for (k = 0; k < r->natts; k++)
			if (r->atts[k].part == lp)
				break;
		type = mime_part_content_type(sp);
		buf_reset(&b);
		if (k < r->natts)
			buf_addf(&b, _("[-- Attachment #%zu: %s (%s): not "
			    "downloaded ("), k + 1, r->atts[k].name[0] != '\0' ?
			    r->atts[k].name : _("unnamed"), type);
		else
			buf_addf(&b, _("[-- Part %s (%s): not downloaded ("),
			    sp->section, type);
		mime_size_text(&b, mime_part_decoded_size(sp));
		buf_adds(&b, ") --]");
		free(type);
		free(r->lines[i].text);
		r->lines[i].text = sanitize_text(b.data, b.len, 0);
		r->lines[i].len = strlen(r->lines[i].text);
		r->lines[out++] = r->lines[i];
	}
	r->nlines = out;
	mime_strlist_free(&done);
	buf_free(&b);
}
