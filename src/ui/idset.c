/* A hash set of ids, for tags and collapsed threads (see priv.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/priv.h"
#include "util/xmalloc.h"

#define TOMB	INT64_MIN	/* a deleted slot */

static size_t
slot(int64_t id, size_t cap)
{
	uint64_t	h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 17) & (cap - 1);
}

bool
ui_idset_has(const struct ui_idset *s, int64_t id)
{
	size_t	i;

	if (s->cap == 0 || id == 0)
		return false;
	for (i = slot(id, s->cap); s->v[i] != 0; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == id)
			return true;
	}
	return false;
}

static void
grow(struct ui_idset *s)
{
	int64_t	*old = s->v;
	size_t	 oldcap = s->cap, i, j;

	s->cap = oldcap ? oldcap * 2 : 64;
	s->v = xcalloc(s->cap, sizeof *s->v);
	s->n = s->live = 0;
	for (i = 0; i < oldcap; i++) {
		if (old[i] == 0 || old[i] == TOMB)
			continue;
		for (j = slot(old[i], s->cap); s->v[j] != 0;
		    j = (j + 1) & (s->cap - 1))
			;
		s->v[j] = old[i];
		s->n++;
		s->live++;
	}
	free(old);
}

void
ui_idset_add(struct ui_idset *s, int64_t id)
{
	size_t	i;

	if (id == 0 || ui_idset_has(s, id))
		return;
	/* n counts tombstones too, so probing always ends. */
	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	for (i = slot(id, s->cap); s->v[i] != 0 && s->v[i] != TOMB;
	    i = (i + 1) & (s->cap - 1))
		;
	if (s->v[i] == 0)
		s->n++;
	s->v[i] = id;
	s->live++;
}

void
ui_idset_del(struct ui_idset *s, int64_t id)
{
	size_t	i;

	if (s->cap == 0 || id == 0)
		return;
	for (i = slot(id, s->cap); s->v[i] != 0; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == id) {
			s->v[i] = TOMB;
			s->live--;
			return;
		}
	}
}

void
ui_idset_clear(struct ui_idset *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

int64_t *
ui_idset_list(const struct ui_idset *s, size_t *n_r)
{
	int64_t	*v;
	size_t	 i, n = 0;

	v = xcalloc(s->n + 1, sizeof *v);
	for (i = 0; i < s->cap; i++) {
		if (s->v[i] != 0 && s->v[i] != TOMB)
			v[n++] = s->v[i];
	}
	*n_r = n;
	return v;
}
