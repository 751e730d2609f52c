/* Reading parsed IMAP values, and sets of UIDs ("1:4,7,9:*"). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

const char *
imap_arg_str(const struct imap_arg *a)
{
	if (a == NULL)
		return NULL;
	switch (a->type) {
	case IMAP_ARG_ATOM:
	case IMAP_ARG_STRING:
	case IMAP_ARG_LITERAL:
		return a->str;
	default:
		return NULL;
	}
}

bool
imap_arg_is_string(const struct imap_arg *a)
{
	return imap_arg_str(a) != NULL;
}

bool
imap_arg_is_nstring(const struct imap_arg *a)
{
	return a != NULL && (a->type == IMAP_ARG_NIL ||
	    a->type == IMAP_ARG_STRING || a->type == IMAP_ARG_LITERAL);
}

bool
imap_arg_atom_is(const struct imap_arg *a, const char *name)
{
	return a != NULL && a->type == IMAP_ARG_ATOM &&
	    strcasecmp(a->str, name) == 0;
}

/* Digits only, no sign, no leading junk, at most max. */
static int
arg_number(const struct imap_arg *a, uint64_t max, uint64_t *n_r)
{
	uint64_t	n = 0;
	size_t		i;

	if (a == NULL || a->type != IMAP_ARG_ATOM || a->len == 0 ||
	    a->len > 20)
		return -1;
	for (i = 0; i < a->len; i++) {
		if (!isdigit((unsigned char)a->str[i]))
			return -1;
		if (n > (max - (uint64_t)(a->str[i] - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(a->str[i] - '0');
	}
	*n_r = n;
	return 0;
}

int
imap_arg_u32(const struct imap_arg *a, uint32_t *n_r)
{
	uint64_t	n;

	if (arg_number(a, UINT32_MAX, &n) < 0)
		return -1;
	*n_r = (uint32_t)n;
	return 0;
}

int
imap_arg_u63(const struct imap_arg *a, uint64_t *n_r)
{
	return arg_number(a, INT64_MAX, n_r);
}

void
imap_arg_free(struct imap_arg *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->count; i++)
		imap_arg_free(&a->list[i]);
	free(a->list);
	free(a->str);
	memset(a, 0, sizeof *a);
}

/* ------------------------------------------------------------------ */

void
imap_seqset_add(struct imap_seqset *s, uint32_t lo, uint32_t hi)
{
	uint32_t	t;

	if (lo > hi) {
		t = lo;
		lo = hi;
		hi = t;
	}
	if (s->n > 0 && s->r[s->n - 1].hi != UINT32_MAX &&
	    s->r[s->n - 1].hi + 1 == lo) {
		s->r[s->n - 1].hi = hi;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 8 : s->cap * 2;
		s->r = xreallocarray(s->r, s->cap, sizeof *s->r);
	}
	s->r[s->n].lo = lo;
	s->r[s->n].hi = hi;
	s->n++;
}

static int
seq_number(const char **pp, uint32_t *n_r)
{
	const char	*p = *pp;
	uint64_t	 n = 0;

	if (*p == '*') {
		*n_r = UINT32_MAX;
		*pp = p + 1;
		return 0;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		n = n * 10 + (uint64_t)(*p++ - '0');
		if (n > UINT32_MAX)
			return -1;
	}
	if (n == 0)
		return -1;
	*n_r = (uint32_t)n;
	*pp = p;
	return 0;
}

int
imap_seqset_parse(struct imap_seqset *s, const char *text, struct err *err)
{
	const char	*p = text;
	uint32_t	 lo, hi;

	for (;;) {
		if (seq_number(&p, &lo) < 0)
			goto bad;
		hi = lo;
		if (*p == ':') {
			p++;
			if (seq_number(&p, &hi) < 0)
				goto bad;
		}
		imap_seqset_add(s, lo, hi);
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			goto bad;
	}
bad:
	err_set(err, ERR_PROTO, "IMAP: bad sequence set");
	return -1;
}

bool
imap_seqset_contains(const struct imap_seqset *s, uint32_t n)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		if (n >= s->r[i].lo && n <= s->r[i].hi)
			return true;
	}
	return false;
}

uint64_t
imap_seqset_count(const struct imap_seqset *s)
{
	uint64_t	c = 0;
	size_t		i;

	for (i = 0; i < s->n; i++)
		c += (uint64_t)s->r[i].hi - s->r[i].lo + 1;
	return c;
}

static void
format_number(struct buf *b, uint32_t n)
{
	if (n == UINT32_MAX)
		buf_addc(b, '*');
	else
		buf_addf(b, "%u", n);
}

void
imap_seqset_format(const struct imap_seqset *s, struct buf *b)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		format_number(b, s->r[i].lo);
		if (s->r[i].hi != s->r[i].lo) {
			buf_addc(b, ':');
			format_number(b, s->r[i].hi);
		}
	}
}

static int
range_cmp(const void *a, const void *b)
{
	const struct imap_range	*x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

void
imap_seqset_normalize(struct imap_seqset *s)
{
	size_t	i, o;

	if (s->n < 2)
		return;
	qsort(s->r, s->n, sizeof *s->r, range_cmp);
	for (i = 1, o = 0; i < s->n; i++) {
		if (s->r[o].hi == UINT32_MAX ||
		    s->r[i].lo <= s->r[o].hi + 1) {
			if (s->r[i].hi > s->r[o].hi)
				s->r[o].hi = s->r[i].hi;
		} else
			s->r[++o] = s->r[i];
	}
	s->n = o + 1;
}

void
imap_seqset_clear(struct imap_seqset *s)
{
	free(s->r);
	memset(s, 0, sizeof *s);
}
