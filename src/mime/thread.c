/*
 * Threading by the JWZ algorithm: messages linked through References and
 * In-Reply-To into trees of containers, empty containers pruned, threads
 * optionally gathered by subject, then sorted by date.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define NONE	((size_t)-1)

/* A node of the id table: a message, or a placeholder for a missing one. */
struct cont {
	char	*id;		/* message-id or NULL */
	size_t	 msg;		/* input index or NONE */
	size_t	 parent, child, next;	/* container indexes or NONE */
	int64_t	 date;		/* for sorting: the message's or earliest */
};

struct threader {
	const struct mime_thread_in	*in;
	size_t				 nin;
	struct cont			*c;
	size_t				 n, cap;
	size_t				*hash;		/* container index */
	size_t				 hcap;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t
cont_new(struct threader *t, char *id, size_t msg)
{
	struct cont	*c;

	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->c = xreallocarray(t->c, t->cap, sizeof *t->c);
	}
	c = &t->c[t->n];
	c->id = id;
	c->msg = msg;
	c->parent = c->child = c->next = NONE;
	c->date = msg != NONE ? t->in[msg].date : INT64_MAX;
	return t->n++;
}

static void
hash_grow(struct threader *t)
{
	size_t	*old = t->hash, ocap = t->hcap, i, h;

	t->hcap = t->hcap == 0 ? 256 : t->hcap * 2;
	t->hash = xreallocarray(NULL, t->hcap, sizeof *t->hash);
	for (i = 0; i < t->hcap; i++)
		t->hash[i] = NONE;
	for (i = 0; i < ocap; i++) {
		if (old[i] == NONE)
			continue;
		h = hash_str(t->c[old[i]].id) & (t->hcap - 1);
		while (t->hash[h] != NONE)
			h = (h + 1) & (t->hcap - 1);
		t->hash[h] = old[i];
	}
	free(old);
}

/* The container for id, created empty if new; takes id. */
static size_t
lookup(struct threader *t, char *id)
{
	size_t	h, ci;

	if (t->n * 2 >= t->hcap)
		hash_grow(t);
	h = hash_str(id) & (t->hcap - 1);
	while ((ci = t->hash[h]) != NONE) {
		if (strcmp(t->c[ci].id, id) == 0) {
			free(id);
			return ci;
		}
		h = (h + 1) & (t->hcap - 1);
	}
	ci = cont_new(t, id, NONE);
	t->hash[h] = ci;
	return ci;
}

/* Whether a is b or one of b's ancestors. */
static bool
is_ancestor(const struct threader *t, size_t a, size_t b)
{
	size_t	steps = 0;

	for (; b != NONE && steps <= t->n; b = t->c[b].parent, steps++)
		if (a == b)
			return true;
	return false;
}

static void
unlink_child(struct threader *t, size_t ci)
{
	size_t	p = t->c[ci].parent, *pp;

	if (p == NONE)
		return;
	for (pp = &t->c[p].child; *pp != NONE; pp = &t->c[*pp].next)
		if (*pp == ci) {
			*pp = t->c[ci].next;
			break;
		}
	t->c[ci].parent = NONE;
	t->c[ci].next = NONE;
}

static void
link_child(struct threader *t, size_t parent, size_t ci)
{
	if (parent == ci || is_ancestor(t, ci, parent))
		return;		/* would make a loop */
	unlink_child(t, ci);
	t->c[ci].parent = parent;
	t->c[ci].next = t->c[parent].child;
	t->c[parent].child = ci;
}

void
mime_thread_refs(const char *references, const char *in_reply_to,
    struct mime_strlist *l)
{
	size_t	start = l->n;

	if (references != NULL)
		mime_msgid_parse_list(l, references, strlen(references));
	if (l->n == start && in_reply_to != NULL) {
		mime_msgid_parse_list(l, in_reply_to, strlen(in_reply_to));
		while (l->n > start + 1)	/* only the first is the parent */
			free(l->v[--l->n]);
	}
}

static void
add_message(struct threader *t, size_t i)
{
	const struct mime_thread_in	*m = &t->in[i];
	struct mime_strlist		 refs = { NULL, 0 };
	char				*id;
	size_t				 ci, prev, r, k;

	id = m->message_id != NULL ?
	    mime_msgid_parse(m->message_id, strlen(m->message_id)) : NULL;
	if (id != NULL) {
		ci = lookup(t, id);
		if (t->c[ci].msg != NONE)	/* a duplicate id */
			ci = cont_new(t, NULL, i);
		else {
			t->c[ci].msg = i;
			t->c[ci].date = m->date;
		}
	} else
		ci = cont_new(t, NULL, i);
	mime_thread_refs(m->references, m->in_reply_to, &refs);
	prev = NONE;
	for (k = 0; k < refs.n; k++) {
		r = lookup(t, refs.v[k]);
		refs.v[k] = NULL;
		/* Earlier links win: keep a parent once one is known. */
		if (prev != NONE && t->c[r].parent == NONE)
			link_child(t, prev, r);
		prev = r;
	}
	mime_strlist_free(&refs);
	/* The message's own References say who its parent is. */
	if (prev != NONE && prev != ci && !is_ancestor(t, ci, prev))
		link_child(t, prev, ci);
	else if (prev == NONE)
		unlink_child(t, ci);
}

/* Children of ci as an array, for pruning and sorting. */
static size_t
children(const struct threader *t, size_t ci, size_t **v_r)
{
	size_t	n = 0, c, *v = NULL;

	for (c = t->c[ci].child; c != NONE; c = t->c[c].next)
		n++;
	if (n > 0)
		v = xreallocarray(NULL, n, sizeof *v);
	n = 0;
	for (c = t->c[ci].child; c != NONE; c = t->c[c].next)
		v[n++] = c;
	*v_r = v;
	return n;
}

static const struct threader *sort_t;

static int
cmp_date(const void *a, const void *b)
{
	const struct cont	*x = &sort_t->c[*(const size_t *)a];
	const struct cont	*y = &sort_t->c[*(const size_t *)b];

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->msg != y->msg)
		return x->msg < y->msg ? -1 : 1;
	return 0;
}

static void
sort_ids(const struct threader *t, size_t *v, size_t n)
{
	/* qsort has no context argument in C11; single-threaded use. */
	sort_t = t;
	qsort(v, n, sizeof *v, cmp_date);
	sort_t = NULL;
}

/* Rebuild ci's child list from an array, in that order. */
static void
set_children(struct threader *t, size_t ci, const size_t *v, size_t n)
{
	size_t	k;

	t->c[ci].child = n > 0 ? v[0] : NONE;
	for (k = 0; k < n; k++) {
		t->c[v[k]].parent = ci;
		t->c[v[k]].next = k + 1 < n ? v[k + 1] : NONE;
	}
}

/*
 * Replace empty containers by their children, bottom up (post-order,
 * iteratively: reference chains can be long).  An empty root keeps its
 * children together: the oldest becomes the root, the others its
 * children.  Dates propagate up so threads sort by their oldest message.
 */
static void
prune(struct threader *t, size_t *roots, size_t *nroots_r)
{
	size_t	*order, no = 0, k, ci, n, *kids, j, m, nroots = 0, best;
	size_t	*stack, sp, x, c;

	order = xreallocarray(NULL, t->n + 1, sizeof *order);
	stack = xreallocarray(NULL, t->n + 1, sizeof *stack);
	/* Pre-order with an explicit stack, then walk it backwards. */
	for (ci = 0; ci < t->n; ci++) {
		if (t->c[ci].parent != NONE)
			continue;
		sp = 0;
		stack[sp++] = ci;
		while (sp > 0) {
			x = stack[--sp];
			order[no++] = x;
			for (c = t->c[x].child; c != NONE; c = t->c[c].next)
				stack[sp++] = c;
		}
	}
	free(stack);
	for (k = no; k-- > 0;) {
		ci = order[k];
		n = children(t, ci, &kids);
		/* Splice the children of empty kids in their place. */
		size_t *nv = NULL, nn = 0;
		for (j = 0; j < n; j++) {
			if (t->c[kids[j]].msg != NONE) {
				nv = xreallocarray(nv, nn + 1, sizeof *nv);
				nv[nn++] = kids[j];
				continue;
			}
			size_t *gk;
			m = children(t, kids[j], &gk);
			nv = xreallocarray(nv, nn + m + 1, sizeof *nv);
			/* A loop broken above can leave an empty leaf: gk NULL. */
			if (m > 0)
				memcpy(nv + nn, gk, m * sizeof *gk);
			nn += m;
			t->c[kids[j]].child = NONE;
			free(gk);
		}
		for (j = 0; j < nn; j++)
			if (t->c[nv[j]].date < t->c[ci].date)
				t->c[ci].date = t->c[nv[j]].date;
		if (nn > 0)
			sort_ids(t, nv, nn);
		set_children(t, ci, nv, nn);
		free(nv);
		free(kids);
	}
	free(order);
	for (ci = 0; ci < t->n; ci++) {
		if (t->c[ci].parent != NONE)
			continue;
		if (t->c[ci].msg != NONE) {
			roots[nroots++] = ci;
			continue;
		}
		n = children(t, ci, &kids);
		if (n > 0) {
			best = kids[0];		/* sorted: the oldest */
			t->c[best].parent = NONE;
			t->c[best].next = NONE;
			/* Its younger siblings go under it, after its own. */
			size_t *bk, bn;
			bn = children(t, best, &bk);
			bk = xreallocarray(bk, bn + n, sizeof *bk);
			memcpy(bk + bn, kids + 1, (n - 1) * sizeof *kids);
			sort_ids(t, bk, bn + n - 1);
			set_children(t, best, bk, bn + n - 1);
			free(bk);
			roots[nroots++] = best;
		}
		t->c[ci].child = NONE;
		free(kids);
	}
	*nroots_r = nroots;
}

/* With MIME_THREAD_SUBJECT: roots with the same base subject join. */
static void
gather_subjects(struct threader *t, size_t *roots, size_t *nroots_r)
{
	size_t	 nroots = *nroots_r, k, j, out = 0, *kids, n;
	char	**base;
	bool	*reply;

	/* Oldest first, so the oldest original becomes the root. */
	sort_ids(t, roots, nroots);
	base = xcalloc(nroots + 1, sizeof *base);
	reply = xcalloc(nroots + 1, sizeof *reply);
	for (k = 0; k < nroots; k++) {
		const char *s = t->in[t->c[roots[k]].msg].subject;
		char *dec = s != NULL ? mime_header_decode(s, strlen(s),
		    NULL) : xstrdup("");
		base[k] = mime_subject_base(dec);
		reply[k] = strcmp(base[k], dec) != 0;
		free(dec);
	}
	for (k = 0; k < nroots; k++) {
		if (roots[k] == NONE || base[k][0] == '\0')
			continue;
		for (j = k + 1; j < nroots; j++) {
			if (roots[j] == NONE ||
			    strcasecmp(base[k], base[j]) != 0)
				continue;
			/* An original beats a reply as the root. */
			size_t keep = k, move = j;
			if (reply[k] && !reply[j]) {
				keep = j;
				move = k;
			}
			n = children(t, roots[keep], &kids);
			kids = xreallocarray(kids, n + 1, sizeof *kids);
			kids[n++] = roots[move];
			sort_ids(t, kids, n);
			set_children(t, roots[keep], kids, n);
			free(kids);
			if (t->c[roots[move]].date < t->c[roots[keep]].date)
				t->c[roots[keep]].date =
				    t->c[roots[move]].date;
			roots[move] = NONE;
			if (move == k)
				break;
		}
	}
	for (k = 0; k < nroots; k++) {
		if (roots[k] != NONE)
			roots[out++] = roots[k];
		free(base[k]);
	}
	free(base);
	free(reply);
	*nroots_r = out;
}

void
mime_thread(const struct mime_thread_in *in, size_t n, int flags,
    struct mime_thread_out **out_r)
{
	struct threader		 t;
	struct mime_thread_out	*out;
	size_t			*roots, nroots, k, no = 0, *stack, sp, ci, c;
	int			*depth;

	memset(&t, 0, sizeof t);
	t.in = in;
	t.nin = n;
	for (k = 0; k < n; k++)
		add_message(&t, k);
	roots = xreallocarray(NULL, t.n + 1, sizeof *roots);
	prune(&t, roots, &nroots);
	if (flags & MIME_THREAD_SUBJECT)
		gather_subjects(&t, roots, &nroots);
	sort_ids(&t, roots, nroots);
	out = xreallocarray(NULL, n + 1, sizeof *out);
	stack = xreallocarray(NULL, t.n + 1, sizeof *stack);
	depth = xreallocarray(NULL, t.n + 1, sizeof *depth);
	for (k = 0; k < nroots; k++) {
		size_t root = t.c[roots[k]].msg;
		sp = 0;
		stack[sp] = roots[k];
		depth[sp++] = 0;
		while (sp > 0 && no < n) {
			int d;
			ci = stack[--sp];
			d = depth[sp];
			out[no].msg = t.c[ci].msg;
			out[no].thread = root;
			out[no].parent = t.c[ci].parent != NONE ?
			    (long)t.c[t.c[ci].parent].msg : -1;
			out[no].depth = d;
			no++;
			/* Push children in reverse so the oldest comes out first. */
			size_t first = sp;
			for (c = t.c[ci].child; c != NONE; c = t.c[c].next) {
				stack[sp] = c;
				depth[sp++] = d + 1;
			}
			for (size_t a = first, b = sp; a + 1 < b; a++, b--) {
				size_t tmp = stack[a];
				stack[a] = stack[b - 1];
				stack[b - 1] = tmp;
			}
		}
	}
	if (no < n) {
		/* Cannot happen; never hand out an incomplete order. */
		bool *seen = xcalloc(n + 1, sizeof *seen);
		for (k = 0; k < no; k++)
			seen[out[k].msg] = true;
		for (k = 0; k < n; k++)
			if (!seen[k]) {
				out[no].msg = out[no].thread = k;
				out[no].parent = -1;
				out[no++].depth = 0;
			}
		free(seen);
	}
	free(stack);
	free(depth);
	free(roots);
	for (k = 0; k < t.n; k++)
		free(t.c[k].id);
	free(t.c);
	free(t.hash);
	*out_r = out;
}

/* ---- Subjects -------------------------------------------------------- */

/* Length of a reply or forward prefix ("Re:", "Fwd[2]:", "AW:") at s. */
static size_t
reply_prefix(const char *s)
{
	static const char *const words[] = {
		"re", "fwd", "fw", "aw", "wg", "sv", "vs", "antw", "odp",
		"tr", "rif", NULL,
	};
	const char *const	*w;
	size_t			 len, k;

	for (w = words; *w != NULL; w++) {
		len = strlen(*w);
		if (strncasecmp(s, *w, len) != 0)
			continue;
		k = len;
		if (s[k] == '[' || s[k] == '(') {
			char close = s[k] == '[' ? ']' : ')';
			k++;
			while (s[k] >= '0' && s[k] <= '9')
				k++;
			if (s[k] != close)
				continue;
			k++;
		}
		if (s[k] == ' ' && s[k + 1] == ':')
			k++;
		if (s[k] == ':' || (unsigned char)s[k] == 0xef) {
			/* Also the full-width colon U+FF1A. */
			if (s[k] == ':')
				return k + 1;
			if ((unsigned char)s[k + 1] == 0xbc &&
			    (unsigned char)s[k + 2] == 0x9a)
				return k + 3;
		}
	}
	return 0;
}

char *
mime_subject_base(const char *subject)
{
	const char	*s = subject != NULL ? subject : "", *e;
	struct buf	 b = BUF_INIT;
	size_t		 n;
	bool		 again = true, sp = false;

	while (again) {
		again = false;
		while (MIME_SPACE(*s))
			s++;
		if ((n = reply_prefix(s)) > 0) {
			s += n;
			again = true;
		} else if (*s == '[' && (e = strchr(s, ']')) != NULL &&
		    e[1] != '\0') {
			/* A list tag "[list-name]" in front. */
			s = e + 1;
			again = true;
		}
	}
	e = s + strlen(s);
	while (e > s && MIME_SPACE(e[-1]))
		e--;
	if (e - s >= 5 && strncasecmp(e - 5, "(fwd)", 5) == 0) {
		e -= 5;
		while (e > s && MIME_SPACE(e[-1]))
			e--;
	}
	for (; s < e; s++) {
		if (MIME_SPACE(*s)) {
			sp = true;
			continue;
		}
		if (sp)
			buf_addc(&b, ' ');
		sp = false;
		buf_addc(&b, *s);
	}
	return buf_detach(&b, NULL);
}
