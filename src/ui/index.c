/*
 * The message index.  Only the rows on screen (plus a few for thread
 * arrows) are ever in memory: the window is a store cursor for its top
 * row, and every move pages from the store by keyset, so opening a folder
 * of a million messages costs what opening one of ten does.  Collapsed
 * threads are filtered while paging.  A search is a virtual folder: the
 * list of matching ids, whose visible rows are read one by one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config/config.h"
#include "store/store.h"
#include "ui/format.h"
#include "ui/jobs.h"
#include "ui/priv.h"
#include "ui/search.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

#define LOOKAHEAD	8	/* rows past the screen, for thread arrows */
#define SCAN_BATCH	500	/* rows per page when searching forward */
#define SCAN_MAX	200000	/* give up scanning after this many rows */

struct ui_index {
	struct ui_view		 view;
	struct ui		*ui;
	int64_t			 folder;	/* -1: none open */
	int64_t			 prev_folder;	/* before the unified inbox */
	struct store_sort	 sort;

	/* A search: the matching ids, shown as a virtual folder. */
	bool			 search;
	int64_t			*ids;
	size_t			 nids;
	size_t			 spos;		/* index of the top row */
	char			*search_text;
	uint64_t		 search_token;	/* the server's answer waited */
	bool			 search_waiting;

	bool			 have_top;	/* else: from the start */
	struct store_cursor	 top;

	struct store_row	*rows;		/* visible rows, from the top */
	size_t			 nrows;
	size_t			*hidden;	/* collapsed replies per row */
	char			**tree;
	bool			 at_end;	/* rows reach the end of the view */
	int			 sel;		/* selected row */
	int64_t			 sel_id;
	int			 h;		/* rows on screen */

	/* Collapsed threads; with collapse_all, the expanded ones. */
	struct ui_idset		 cset;
	bool			 collapse_all;
	int64_t			 total, unread;
};

static struct ui_index *
IX(struct ui *ui)
{
	return ui->index;
}

/* ---- Rows ---- */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
row_copy(struct store_row *d, const struct store_row *s)
{
	*d = *s;
	d->from = dup_or_null(s->from);
	d->from_addr = dup_or_null(s->from_addr);
	d->to = dup_or_null(s->to);
	d->subject = dup_or_null(s->subject);
	d->keywords = dup_or_null(s->keywords);
}

static void
row_clear(struct store_row *r)
{
	free(r->from);
	free(r->from_addr);
	free(r->to);
	free(r->subject);
	free(r->keywords);
	memset(r, 0, sizeof *r);
}

static void
rows_clear(struct ui_index *ix)
{
	size_t	i;

	for (i = 0; i < ix->nrows; i++) {
		row_clear(&ix->rows[i]);
		free(ix->tree[i]);
	}
	free(ix->rows);
	free(ix->hidden);
	free(ix->tree);
	ix->rows = NULL;
	ix->hidden = NULL;
	ix->tree = NULL;
	ix->nrows = 0;
}

static void
rows_add(struct ui_index *ix, const struct store_row *r, size_t *cap)
{
	if (ix->nrows == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		ix->rows = xreallocarray(ix->rows, *cap, sizeof *ix->rows);
		ix->hidden = xreallocarray(ix->hidden, *cap,
		    sizeof *ix->hidden);
		ix->tree = xreallocarray(ix->tree, *cap, sizeof *ix->tree);
	}
	row_copy(&ix->rows[ix->nrows], r);
	ix->hidden[ix->nrows] = 0;
	ix->tree[ix->nrows] = NULL;
	ix->nrows++;
}

static bool
thread_collapsed(const struct ui_index *ix, int64_t tid)
{
	bool	in = ui_idset_has(&ix->cset, tid);

	return ix->collapse_all ? !in : in;
}

static bool
row_hidden(const struct ui_index *ix, const struct store_row *r)
{
	return ix->sort.threaded && !ix->search && r->depth > 0 &&
	    thread_collapsed(ix, r->thread_id);
}

static int
page(struct ui_index *ix, const struct store_cursor *after, int dir,
    size_t limit, struct store_row **rows_r, size_t *n_r)
{
	struct err	err;

	err_clear(&err);
	*rows_r = NULL;
	*n_r = 0;
	if (store_index_page(ix->ui->store, ix->folder, &ix->sort, after, dir,
	    limit, rows_r, n_r, &err) == -1) {
		ui_error_err(ix->ui, &err);
		return -1;
	}
	return 0;
}

/*
 * Fill rows with up to want visible rows following after (NULL: from the
 * start), counting the replies hidden under each collapsed thread.
 */
static void
collect_forward(struct ui_index *ix, const struct store_cursor *after,
    size_t want)
{
	struct store_row	*r;
	struct store_cursor	 c;
	size_t			 n, i, cap = 0, batch;
	bool			 have = after != NULL, done = false;

	if (have)
		c = *after;
	ix->at_end = false;
	while (!done) {
		batch = want - ix->nrows + 1;
		if (ix->collapse_all || ix->cset.live > 0)
			batch = batch < 200 ? 200 : batch;
		if (batch > STORE_PAGE_MAX)
			batch = STORE_PAGE_MAX;
		if (page(ix, have ? &c : NULL, STORE_PAGE_FORWARD, batch,
		    &r, &n) == -1)
			break;
		for (i = 0; i < n && !done; i++) {
			if (row_hidden(ix, &r[i])) {
				if (ix->nrows > 0 &&
				    ix->rows[ix->nrows - 1].thread_id ==
				    r[i].thread_id)
					ix->hidden[ix->nrows - 1]++;
				continue;
			}
			/* One visible row past want closes the last count. */
			if (ix->nrows == want)
				done = true;
			else
				rows_add(ix, &r[i], &cap);
		}
		if (n > 0) {
			c = r[n - 1].cursor;
			have = true;
		}
		if (!done && n < batch)
			ix->at_end = done = true;
		store_rows_free(&r, n);
	}
}

/*
 * The cursors of up to want visible rows before `before` (NULL: the end),
 * nearest first.  Returns how many; *earliest_r gets the farthest.
 */
static size_t
collect_backward(struct ui_index *ix, const struct store_cursor *before,
    size_t want, struct store_cursor *earliest_r)
{
	struct store_row	*r;
	struct store_cursor	 c;
	size_t			 n, got = 0, batch;
	bool			 have = before != NULL;
	long			 i;

	if (have)
		c = *before;
	while (got < want) {
		batch = want - got;
		if (ix->collapse_all || ix->cset.live > 0)
			batch = batch < 200 ? 200 : batch;
		if (batch > STORE_PAGE_MAX)
			batch = STORE_PAGE_MAX;
		if (page(ix, have ? &c : NULL, STORE_PAGE_BACKWARD, batch,
		    &r, &n) == -1)
			break;
		for (i = (long)n - 1; i >= 0 && got < want; i--) {
			if (row_hidden(ix, &r[i]))
				continue;
			*earliest_r = r[i].cursor;
			got++;
		}
		if (n > 0) {
			c = r[0].cursor;
			have = true;
		}
		store_rows_free(&r, n);
		if (n < batch)
			break;
	}
	return got;
}

static void
search_load(struct ui_index *ix, size_t want)
{
	struct store_msg	*m;
	struct store_row	 r;
	struct err		 err;
	size_t			 i, cap = 0;

	for (i = ix->spos; i < ix->nids && ix->nrows < want; ) {
		err_clear(&err);
		if (store_message_get(ix->ui->store, ix->ids[i], &m,
		    &err) == -1) {
			/* Gone since the search: drop it from the list. */
			memmove(&ix->ids[i], &ix->ids[i + 1],
			    (ix->nids - i - 1) * sizeof ix->ids[0]);
			ix->nids--;
			continue;
		}
		memset(&r, 0, sizeof r);
		r.id = m->id;
		r.folder_id = m->folder_id;
		r.date = m->date;
		r.from = m->from_name;
		r.from_addr = m->from_addr;
		r.to = m->to;
		r.subject = m->subject;
		r.flags = m->flags;
		r.keywords = m->keywords;
		r.size = m->size;
		r.has_attachments = m->has_attachments;
		r.body_state = m->body_state;
		r.thread_id = m->thread_id;
		rows_add(ix, &r, &cap);
		store_msg_free(&m);
		i++;
	}
	ix->at_end = i >= ix->nids;
}

/* Thread arrows need to know whether a later sibling follows. */
static void
build_trees(struct ui_index *ix)
{
	struct buf	b = BUF_INIT;
	bool		more[64];
	size_t		i, j;
	int		d, l;

	for (i = 0; i < ix->nrows; i++) {
		free(ix->tree[i]);
		ix->tree[i] = NULL;
		d = ix->rows[i].depth;
		if (!ix->sort.threaded || ix->search || d <= 0)
			continue;
		if (d > 64)
			d = 64;
		for (l = 1; l <= d; l++) {
			more[l - 1] = false;
			for (j = i + 1; j < ix->nrows; j++) {
				if (ix->rows[j].thread_id !=
				    ix->rows[i].thread_id ||
				    ix->rows[j].depth < l)
					break;
				if (ix->rows[j].depth == l) {
					more[l - 1] = true;
					break;
				}
			}
			/* Ran off the loaded rows inside the thread. */
			if (j == ix->nrows && !ix->at_end && j > i + 1 &&
			    ix->rows[j - 1].thread_id ==
			    ix->rows[i].thread_id)
				more[l - 1] = true;
		}
		buf_reset(&b);
		ui_format_tree(&b, d, more, term_utf8());
		ix->tree[i] = buf_detach(&b, NULL);
	}
	buf_free(&b);
}

static void
index_height(struct ui *ui, struct ui_index *ix)
{
	struct ui_layout_opts	o = ui->lopts;
	struct ui_layout	l;

	o.pager = false;
	ui_layout_compute(term_cols(), term_rows(), &o, &l);
	ix->h = l.index.h > 0 ? l.index.h : 1;
}

/* Re-read the window from its top, keeping the selection if it stays. */
static void
reload_rows(struct ui_index *ix)
{
	struct store_row	*prev;
	size_t			 n, want, i;
	int			 old_sel = ix->sel;

	index_height(ix->ui, ix);
	rows_clear(ix);
	want = (size_t)ix->h + LOOKAHEAD;
	if (ix->folder < 0 && !ix->search)
		return;
	if (ix->search)
		search_load(ix, want);
	else if (!ix->have_top)
		collect_forward(ix, NULL, want);
	else {
		/* Start just before the top row, so the top row comes first. */
		if (page(ix, &ix->top, STORE_PAGE_BACKWARD, 1, &prev, &n) == -1)
			return;
		collect_forward(ix, n > 0 ? &prev[0].cursor : NULL, want);
		store_rows_free(&prev, n);
	}
	build_trees(ix);
	ix->sel = old_sel;
	for (i = 0; i < ix->nrows && (int)i < ix->h; i++) {
		if (ix->rows[i].id == ix->sel_id) {
			ix->sel = (int)i;
			break;
		}
	}
	if (ix->sel >= ix->h)
		ix->sel = ix->h - 1;
	if (ix->sel >= (int)ix->nrows)
		ix->sel = (int)ix->nrows - 1;
	if (ix->sel < 0)
		ix->sel = 0;
	ix->sel_id = ix->nrows > 0 ? ix->rows[ix->sel].id : 0;
}

static void
set_top_row(struct ui_index *ix, size_t i)
{
	if (ix->search) {
		ix->spos += i;
		return;
	}
	ix->top = ix->rows[i].cursor;
	ix->have_top = true;
}

static void
go_first(struct ui_index *ix)
{
	ix->have_top = false;
	ix->spos = 0;
	ix->sel = 0;
	ix->sel_id = 0;
	reload_rows(ix);
}

/* Scroll the window up by k visible rows; false if already at the top. */
static bool
scroll_up(struct ui_index *ix, size_t k)
{
	struct store_cursor	earliest;
	size_t			got;

	if (ix->search) {
		if (ix->spos == 0)
			return false;
		ix->spos = ix->spos > k ? ix->spos - k : 0;
		return true;
	}
	if (!ix->have_top || ix->nrows == 0)
		return false;
	got = collect_backward(ix, &ix->rows[0].cursor, k, &earliest);
	if (got == 0) {
		ix->have_top = false;
		return false;
	}
	if (got < k)
		ix->have_top = false;
	else
		ix->top = earliest;
	return true;
}

static void
go_last(struct ui_index *ix)
{
	struct store_cursor	earliest;
	size_t			got;

	index_height(ix->ui, ix);
	if (ix->search) {
		ix->spos = ix->nids > (size_t)ix->h ? ix->nids - ix->h : 0;
	} else {
		got = collect_backward(ix, NULL, (size_t)ix->h, &earliest);
		ix->have_top = got == (size_t)ix->h;
		if (ix->have_top)
			ix->top = earliest;
	}
	ix->sel_id = 0;
	ix->sel = ix->h;
	reload_rows(ix);
	ix->sel = ix->nrows == 0 ? 0 :
	    (int)(ix->nrows < (size_t)ix->h ? ix->nrows : (size_t)ix->h) - 1;
	ix->sel_id = ix->nrows > 0 ? ix->rows[ix->sel].id : 0;
}

static void
select_row(struct ui_index *ix, int i)
{
	ix->sel = i;
	ix->sel_id = ix->nrows > 0 ? ix->rows[i].id : 0;
	ui_dirty(ix->ui, 0);
}

/* Move down by k rows, scrolling when the selection leaves the screen. */
static bool
move_down(struct ui_index *ix, int k)
{
	int	target = ix->sel + k, shift;

	if (ix->nrows == 0)
		return false;
	if (target >= (int)ix->nrows) {
		if (ix->sel == (int)ix->nrows - 1)
			return false;
		target = (int)ix->nrows - 1;
	}
	if (target < ix->h) {
		select_row(ix, target);
		return true;
	}
	shift = target - ix->h + 1;
	set_top_row(ix, (size_t)shift);
	ix->sel_id = ix->rows[target].id;
	reload_rows(ix);
	ui_dirty(ix->ui, 0);
	return true;
}

static bool
move_up(struct ui_index *ix, int k)
{
	int64_t	id;

	if (ix->nrows == 0)
		return false;
	if (ix->sel - k >= 0) {
		select_row(ix, ix->sel - k);
		return true;
	}
	k -= ix->sel;
	if (!scroll_up(ix, (size_t)k)) {
		if (ix->sel == 0)
			return false;
		select_row(ix, 0);
		return true;
	}
	ix->sel_id = 0;
	reload_rows(ix);
	id = ix->nrows > 0 ? ix->rows[0].id : 0;
	select_row(ix, 0);
	ix->sel_id = id;
	return true;
}

static void
page_move(struct ui_index *ix, int dir, int amount)
{
	int	sel = ix->sel;

	if (dir > 0) {
		if (ix->nrows <= (size_t)ix->h ||
		    ix->nrows <= (size_t)amount) {
			select_row(ix, ix->nrows > 0 ? (int)ix->nrows - 1 : 0);
			return;
		}
		set_top_row(ix, (size_t)amount);
	} else {
		if (!scroll_up(ix, (size_t)amount)) {
			select_row(ix, 0);
			return;
		}
	}
	ix->sel_id = 0;
	reload_rows(ix);
	if (sel >= (int)ix->nrows)
		sel = (int)ix->nrows - 1;
	select_row(ix, sel < 0 ? 0 : sel);
}

/* Show message id with some context above it; false if not in view. */
static bool
jump_to(struct ui_index *ix, int64_t id)
{
	struct store_cursor	c, earliest;
	struct err		err;
	size_t			i, got;
	int			ctx;

	index_height(ix->ui, ix);
	ctx = ix->h / 3;
	if (ix->search) {
		for (i = 0; i < ix->nids; i++) {
			if (ix->ids[i] == id)
				break;
		}
		if (i == ix->nids)
			return false;
		ix->spos = i > (size_t)ctx ? i - (size_t)ctx : 0;
	} else {
		err_clear(&err);
		if (store_index_cursor(ix->ui->store, id, &ix->sort, &c,
		    &err) == -1)
			return false;
		got = collect_backward(ix, &c, (size_t)ctx, &earliest);
		ix->have_top = got == (size_t)ctx && ctx > 0;
		if (ix->have_top)
			ix->top = earliest;
		else if (ctx == 0) {
			ix->top = c;
			ix->have_top = true;
		}
	}
	ix->sel_id = id;
	reload_rows(ix);
	for (i = 0; i < ix->nrows && (int)i < ix->h; i++) {
		if (ix->rows[i].id == id) {
			select_row(ix, (int)i);
			return true;
		}
	}
	return false;
}

/*
 * Find the next (dir 1) or previous (-1) row after the selection that
 * satisfies pred, paging through the store; wraps around once.
 */
static bool
scan(struct ui_index *ix, int dir, bool (*pred)(const struct store_row *,
    const struct store_row *), bool wrap)
{
	struct store_row	*r, cur;
	struct store_cursor	 c;
	size_t			 n, seen = 0, i;
	long			 j;
	bool			 have, wrapped = false, back = false;
	int64_t			 found = 0;

	if (ix->nrows == 0)
		return false;
	row_copy(&cur, &ix->rows[ix->sel]);
	if (ix->search) {
		for (i = 0; i < ix->nrows; i++) {
			j = dir > 0 ? ix->sel + 1 + (long)i :
			    ix->sel - 1 - (long)i;
			if (j < 0 || (size_t)j >= ix->nrows)
				break;
			if (pred(&ix->rows[j], &cur)) {
				found = ix->rows[j].id;
				break;
			}
		}
		row_clear(&cur);
		if (found == 0)
			return false;
		select_row(ix, (int)j);
		return true;
	}
	c = cur.cursor;
	have = true;
	while (found == 0 && seen < SCAN_MAX) {
		if (page(ix, have ? &c : NULL, dir, SCAN_BATCH, &r, &n) == -1)
			break;
		for (i = 0; i < n && found == 0; i++) {
			j = dir > 0 ? (long)i : (long)n - 1 - (long)i;
			if (r[j].id == cur.id) {
				back = true;	/* wrapped all the way round */
				break;
			}
			if (!row_hidden(ix, &r[j]) && pred(&r[j], &cur))
				found = r[j].id;
		}
		seen += n;
		if (n > 0) {
			c = dir > 0 ? r[n - 1].cursor : r[0].cursor;
			have = true;
		}
		store_rows_free(&r, n);
		if (back)
			break;
		if (found == 0 && n < SCAN_BATCH) {
			if (!wrap || wrapped)
				break;
			wrapped = true;
			have = false;
		}
	}
	row_clear(&cur);
	if (found == 0)
		return false;
	if (wrapped)
		ui_message(ix->ui, "%s", dir > 0 ? _("Search wrapped to top.") :
		    _("Search wrapped to bottom."));
	/* A short step stays on screen; a long one recentres. */
	for (i = 0; i < ix->nrows && (int)i < ix->h; i++) {
		if (ix->rows[i].id == found) {
			select_row(ix, (int)i);
			return true;
		}
	}
	return jump_to(ix, found);
}

static bool
pred_unread(const struct store_row *r, const struct store_row *cur)
{
	(void)cur;
	return !(r->flags & (STORE_FLAG_SEEN | STORE_FLAG_DELETED));
}

static bool
pred_undeleted(const struct store_row *r, const struct store_row *cur)
{
	(void)cur;
	return !(r->flags & STORE_FLAG_DELETED);
}

static bool
pred_thread(const struct store_row *r, const struct store_row *cur)
{
	return r->thread_id != cur->thread_id && r->depth == 0;
}

/* ---- Public ---- */

int64_t
ui_index_current(struct ui *ui)
{
	struct ui_index	*ix = IX(ui);

	if (ix == NULL || ix->nrows == 0)
		return 0;
	return ix->rows[ix->sel].id;
}

bool
ui_index_step(struct ui *ui, int dir, bool skip_deleted)
{
	struct ui_index	*ix = IX(ui);

	if (skip_deleted)
		return scan(ix, dir, pred_undeleted, false);
	return dir > 0 ? move_down(ix, 1) : move_up(ix, 1);
}

int64_t
ui_index_folder(const struct ui *ui)
{
	if (ui->index == NULL || ui->index->search)
		return -1;
	return ui->index->folder;
}

int64_t *
ui_index_targets(struct ui *ui, size_t *n_r)
{
	int64_t	*v;

	if (ui->tag_prefix && ui->tags.live > 0) {
		ui->tag_prefix = false;
		return ui_idset_list(&ui->tags, n_r);
	}
	*n_r = 0;
	if (ui_index_current(ui) == 0)
		return NULL;
	v = xmalloc(sizeof *v);
	v[0] = ui_index_current(ui);
	*n_r = 1;
	return v;
}

static void
search_end(struct ui_index *ix)
{
	free(ix->ids);
	ix->ids = NULL;
	ix->nids = 0;
	ix->spos = 0;
	free(ix->search_text);
	ix->search_text = NULL;
	ix->search = false;
	ix->search_waiting = false;
}

static void
sort_from_config(struct ui *ui, struct ui_index *ix)
{
	ix->sort.key = STORE_SORT_DATE;
	ix->sort.desc = true;
	ix->sort.threaded = true;
	if (ui->cfg == NULL)
		return;
	switch (ui->cfg->general.sort) {
	case CONFIG_SORT_FROM: ix->sort.key = STORE_SORT_FROM; break;
	case CONFIG_SORT_SUBJECT: ix->sort.key = STORE_SORT_SUBJECT; break;
	case CONFIG_SORT_SIZE: ix->sort.key = STORE_SORT_SIZE; break;
	default: break;
	}
	/* Newest first unless the user asked for the mail-reader order. */
	ix->sort.desc = !ui->cfg->general.sort_reverse;
	ix->sort.threaded = ui->cfg->general.threading;
}

/* The folder to open first: the default account's inbox, else any. */
static int64_t
first_folder(struct ui *ui)
{
	struct store_folder	*f = NULL;
	struct store_account	*a = NULL;
	const struct config_account *ca;
	struct err		 err;
	int64_t			 id = -1;
	struct store_folder	*fs = NULL;
	size_t			 n = 0, i;

	err_clear(&err);
	if (ui->cfg != NULL && (ca = config_default_account(ui->cfg)) != NULL &&
	    store_account_find(ui->store, ca->id, &a, &err) == 0) {
		if (store_folder_find_role(ui->store, a->id, STORE_ROLE_INBOX,
		    &f, &err) == 0) {
			id = f->id;
			store_folder_free(&f);
		}
		store_account_free(&a);
		if (id > 0)
			return id;
	}
	if (store_folder_list(ui->store, 0, &fs, &n, &err) == -1)
		return -1;
	for (i = 0; i < n && id < 0; i++) {
		if (fs[i].role == STORE_ROLE_INBOX)
			id = fs[i].id;
	}
	if (id < 0 && n > 0)
		id = fs[0].id;
	store_folder_list_free(&fs, n);
	return id;
}

void
ui_index_open_folder(struct ui *ui, int64_t folder)
{
	struct ui_index	*ix = IX(ui);

	if (folder < 0)
		folder = first_folder(ui);
	search_end(ix);
	if (folder != ix->folder) {
		ui_idset_clear(&ix->cset);
		ix->collapse_all = false;
	}
	if (folder == STORE_UNIFIED_INBOX && ix->folder != folder)
		ix->prev_folder = ix->folder;
	ix->folder = folder;
	ix->have_top = false;
	ix->sel = 0;
	ix->sel_id = 0;
	ui->sidebar_focus = false;
	ui_dirty(ui, UI_DIRTY_ROWS | UI_DIRTY_FOLDERS);
	reload_rows(ix);
	if (folder < 0)
		ui_message(ui, "%s", _("No folders yet: run 'surat sync', or "
		    "try 'surat --demo'."));
}

/*
 * The first sync of a new account brings folders into an empty store:
 * open the inbox then, as if it had been there when surat started.
 */
void
ui_index_open_when_ready(struct ui *ui)
{
	struct ui_index	*ix = IX(ui);
	int64_t		 id;

	if (ix->folder >= 0 ||
	    ix->search || (id = first_folder(ui)) < 0)
		return;
	ui_index_open_folder(ui, id);
}

void
ui_index_open_search(struct ui *ui, const char *text, int64_t *ids, size_t n)
{
	struct ui_index	*ix = IX(ui);

	search_end(ix);
	ix->search = true;
	ix->ids = ids;
	ix->nids = n;
	ix->search_text = xstrdup(text);
	ix->sel = 0;
	ix->sel_id = 0;
	reload_rows(ix);
	ui_dirty(ui, UI_DIRTY_FOLDERS);
}

void
ui_index_click(struct ui *ui, int row, bool open)
{
	struct ui_index	*ix = IX(ui);

	ui->sidebar_focus = false;
	if (row < 0 || row >= ix->h || (size_t)row >= ix->nrows)
		return;
	select_row(ix, row);
	if (open)
		ui_pager_open(ui, ix->sel_id);
}

static bool
from_me(struct ui *ui, const struct store_row *r)
{
	size_t	i;

	if (ui->cfg == NULL || r->from_addr == NULL)
		return false;
	for (i = 0; i < ui->cfg->naccounts; i++) {
		if (ui->cfg->accounts[i].email != NULL &&
		    strcasecmp(ui->cfg->accounts[i].email, r->from_addr) == 0)
			return true;
	}
	return false;
}

static enum ui_role
row_role(struct ui *ui, const struct store_row *r)
{
	if (r->flags & STORE_FLAG_DELETED)
		return UI_C_INDEX_DELETED;
	if (ui_idset_has(&ui->tags, r->id))
		return UI_C_INDEX_TAGGED;
	if (r->flags & STORE_FLAG_FLAGGED)
		return UI_C_INDEX_FLAGGED;
	if (!(r->flags & STORE_FLAG_SEEN))
		return UI_C_INDEX_NEW;
	return UI_C_NORMAL;
}

/*
 * Draw the rows into r.  mini: the pager's mini index, which shows the
 * rows around the selection instead of the window from its top.
 */
void
ui_index_draw_rows(struct ui *ui, const struct ui_rect *r, bool mini)
{
	struct ui_index	*ix = IX(ui);
	struct ui_entry	 e;
	struct buf	 b = BUF_INIT;
	int		 y, first = 0;
	size_t		 i;

	if (r->h <= 0 || r->w <= 0)
		return;
	if (mini && ix->sel >= r->h / 2)
		first = ix->sel - r->h / 2;
	memset(&e, 0, sizeof e);
	e.now = (int64_t)time(NULL);
	for (y = 0; y < r->h; y++) {
		i = (size_t)(first + y);
		term_set_role(UI_C_NORMAL);
		if (i >= ix->nrows || (!mini && (int)i >= ix->h)) {
			term_fill(r->y + y, r->x, r->w);
			continue;
		}
		e.row = &ix->rows[i];
		e.tree = ix->tree[i] != NULL ? ix->tree[i] : "";
		e.tagged = ui_idset_has(&ui->tags, e.row->id);
		e.hidden = ix->hidden[i];
		e.from_me = from_me(ui, e.row);
		buf_reset(&b);
		ui_format_index(&b, r->w < UI_INDEX_NARROW &&
		    strcmp(ui->index_format, UI_INDEX_FORMAT) == 0 ?
		    UI_INDEX_FORMAT_NARROW : ui->index_format, &e,
		    (size_t)r->w);
		if ((int)i == ix->sel)
			term_set_role_attrs(UI_C_INDICATOR,
			    (e.row->flags & STORE_FLAG_SEEN) ? 0 : UI_A_BOLD);
		else
			term_set_role(row_role(ui, e.row));
		term_put(r->y + y, r->x, buf_cstr(&b), b.len, r->w, true);
	}
	if (ix->nrows == 0 && r->h > 0) {
		const char *s = ix->folder < 0 && !ix->search ?
		    _("No folder is open.") : _("No messages.");

		term_set_role(UI_C_MESSAGE);
		term_put(r->y + (r->h > 2 ? 1 : 0), r->x + 1, s, strlen(s),
		    r->w - 1, false);
	}
	buf_free(&b);
}

void
ui_index_status(struct ui *ui, struct buf *out)
{
	struct ui_index	*ix = IX(ui);
	char		*label;
	static const char *const keys[] = {
		N_("date"), N_("from"), N_("subject"), N_("size"),
	};

	if (ui->label != NULL)
		buf_addf(out, "%s -- ", ui->label);
	if (ix->search) {
		buf_adds(out, _("search: "));
		ui_clean(out, ix->search_text);
		buf_addf(out, " [%zu]", ix->nids);
		if (ix->search_waiting)
			buf_addf(out, " (%s)", _("asking the server"));
	} else if (ix->folder == STORE_UNIFIED_INBOX) {
		buf_addf(out, "%s [%s:%lld %s:%lld", _("All inboxes"),
		    _("Msgs"), (long long)ix->total, _("New"),
		    (long long)ix->unread);
	} else if (ix->folder > 0) {
		label = ui_folder_label(ui, ix->folder);
		buf_addf(out, "%s [%s:%lld %s:%lld", label, _("Msgs"),
		    (long long)ix->total, _("New"), (long long)ix->unread);
		free(label);
	}
	if (!ix->search && ix->folder >= 0) {
		if (ui->tags.live > 0)
			buf_addf(out, " %s:%zu", _("Tag"), ui->tags.live);
		buf_adds(out, "]");
	}
	buf_addf(out, " (%s%s%s)", ix->sort.threaded && !ix->search ?
	    _("threads/") : "", ix->sort.desc ? _("reverse-") : "",
	    _(keys[ix->sort.key]));
}

/* ---- The view ---- */

static void
index_draw(struct ui *ui, struct ui_view *v)
{
	struct ui_layout	*l = &ui->layout;

	(void)v;
	if (l->sidebar.w > 0)
		ui_sidebar_draw(ui, &l->sidebar);
	ui_index_draw_rows(ui, &l->index, false);
}

static void
index_reload(struct ui *ui, struct ui_view *v, unsigned what)
{
	struct ui_index	*ix = (struct ui_index *)v;

	if (what & (UI_DIRTY_FOLDERS | UI_DIRTY_LAYOUT)) {
		if (ix->folder >= 0)
			ui_sidebar_totals(ui, ix->folder, &ix->total,
			    &ix->unread);
	}
	if (what & (UI_DIRTY_ROWS | UI_DIRTY_LAYOUT))
		reload_rows(ix);
}

static void
index_status(struct ui *ui, struct ui_view *v, struct buf *out)
{
	(void)v;
	ui_index_status(ui, out);
}

/* The ids of the selected message's thread, as far as the store says. */
static int64_t *
thread_ids(struct ui_index *ix, size_t *n_r)
{
	struct store_row	*r;
	struct store_cursor	 c;
	int64_t			*v = NULL, tid;
	size_t			 n, i, cap = 0, cnt = 0, start;
	bool			 stop = false;

	*n_r = 0;
	if (ix->nrows == 0)
		return NULL;
	tid = ix->rows[ix->sel].thread_id;
	if (!ix->sort.threaded || ix->search) {
		for (i = 0; i < ix->nrows; i++) {
			if (ix->rows[i].thread_id != tid)
				continue;
			if (cnt == cap) {
				cap = cap ? cap * 2 : 16;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[cnt++] = ix->rows[i].id;
		}
		*n_r = cnt;
		return v;
	}
	/* Threaded: the thread is contiguous; walk back to its root. */
	start = (size_t)ix->sel;
	while (start > 0 && ix->rows[start - 1].thread_id == tid)
		start--;
	c = ix->rows[start].cursor;
	if (page(ix, &c, STORE_PAGE_BACKWARD, STORE_PAGE_MAX, &r, &n) == 0) {
		for (i = n; i > 0 && r[i - 1].thread_id == tid; i--)
			c = r[i - 1].cursor;
		store_rows_free(&r, n);
	}
	/* Then forward from just before it, over every row of the thread. */
	if (page(ix, &c, STORE_PAGE_BACKWARD, 1, &r, &n) == -1)
		return NULL;
	if (n > 0)
		c = r[0].cursor;
	bool have = n > 0;
	store_rows_free(&r, n);
	while (!stop) {
		if (page(ix, have ? &c : NULL, STORE_PAGE_FORWARD, 200, &r,
		    &n) == -1)
			break;
		for (i = 0; i < n; i++) {
			if (r[i].thread_id != tid) {
				if (cnt > 0) {
					stop = true;
					break;
				}
				continue;
			}
			if (cnt == cap) {
				cap = cap ? cap * 2 : 16;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[cnt++] = r[i].id;
		}
		if (n > 0) {
			c = r[n - 1].cursor;
			have = true;
		}
		store_rows_free(&r, n);
		if (n < 200)
			break;
	}
	*n_r = cnt;
	return v;
}

static void
do_sort(struct ui *ui, struct ui_index *ix, bool reverse)
{
	int	c;

	c = ui_choice(ui, reverse ?
	    _("Rev-Sort (d)ate/(f)rom/(s)ubj/si(z)e/(t)hreads?") :
	    _("Sort (d)ate/(f)rom/(s)ubj/si(z)e/(t)hreads?"), "dfszt");
	if (c == 0)
		return;
	switch (c) {
	case 'd': ix->sort.key = STORE_SORT_DATE; ix->sort.threaded = false;
		break;
	case 'f': ix->sort.key = STORE_SORT_FROM; ix->sort.threaded = false;
		break;
	case 's': ix->sort.key = STORE_SORT_SUBJECT;
		ix->sort.threaded = false; break;
	case 'z': ix->sort.key = STORE_SORT_SIZE; ix->sort.threaded = false;
		break;
	case 't': ix->sort.threaded = true; break;
	}
	/* Dates read newest first by default, names from A. */
	if (ix->sort.key == STORE_SORT_DATE || ix->sort.key == STORE_SORT_SIZE ||
	    ix->sort.threaded)
		ix->sort.desc = !reverse;
	else
		ix->sort.desc = reverse;
	if (ix->sel_id == 0 || !jump_to(ix, ix->sel_id))
		go_first(ix);
}

static void
collapse(struct ui *ui, struct ui_index *ix, bool all)
{
	int64_t	tid, root = 0;
	int	i;

	if (!ix->sort.threaded || ix->search) {
		ui_message(ui, "%s", _("Threading is off (Esc t turns it "
		    "on)."));
		return;
	}
	if (ix->nrows == 0)
		return;
	tid = ix->rows[ix->sel].thread_id;
	for (i = ix->sel; i >= 0 && ix->rows[i].thread_id == tid; i--) {
		if (ix->rows[i].depth == 0)
			root = ix->rows[i].id;
	}
	if (all) {
		ix->collapse_all = !ix->collapse_all;
		ui_idset_clear(&ix->cset);
	} else if (ui_idset_has(&ix->cset, tid))
		ui_idset_del(&ix->cset, tid);
	else
		ui_idset_add(&ix->cset, tid);
	if (root != 0 && thread_collapsed(ix, tid))
		ix->sel_id = root;
	if (ix->sel_id == 0 || !jump_to(ix, ix->sel_id))
		reload_rows(ix);
	ui_dirty(ui, 0);
}

/* Whether the server can be asked about a folder: one of an IMAP account. */
static bool
server_searchable(struct ui *ui, int64_t folder)
{
	struct store_folder	*f = NULL;
	struct store_account	*a = NULL;
	struct err		 err;
	bool			 imap = false;

	if (folder <= 0 || ui->jobs == NULL || ui->jobs->search == NULL ||
	    ui->jobs->search_result == NULL)
		return false;
	err_clear(&err);
	if (store_folder_get(ui->store, folder, &f, &err) == -1)
		return false;
	if (store_account_get(ui->store, f->account_id, &a, &err) == 0) {
		imap = a->kind == STORE_ACCOUNT_IMAP;
		store_account_free(&a);
	}
	store_folder_free(&f);
	return imap;
}

static void
do_search(struct ui *ui, struct ui_index *ix, bool reverse)
{
	struct store_query	 q;
	struct ui_query		 uq;
	struct err		 err;
	char			*text = NULL;
	int64_t			*ids = NULL;
	size_t			 n = 0;
	bool			 server;

	(void)reverse;
	if (ui_prompt(ui, _("Search: "), ui->last_search, NULL, NULL,
	    &text) == -1 || *text == '\0') {
		free(text);
		return;
	}
	free(ui->last_search);
	ui->last_search = xstrdup(text);
	ui_query_parse(text, &uq);
	memset(&q, 0, sizeof q);
	ui_query_fill(&uq, &q);
	if (!uq.all_folders && ix->folder > 0 && !ix->search)
		q.folder_id = ix->folder;
	q.limit = 5000;
	err_clear(&err);
	server = server_searchable(ui, q.folder_id);
	if (store_search(ui->store, &q, &ids, &n, &err) == -1) {
		ui_error_err(ui, &err);
	} else if (n == 0 && !server) {
		ui_message(ui, _("No messages match '%s'."), text);
		free(ids);
	} else {
		ui_index_open_search(ui, text, ids, n);
		if (server) {
			/* The local answer now; the server's when it comes. */
			ix->search_token = ++ui->search_seq;
			ix->search_waiting = true;
			ui->jobs->search(ui->jobs->arg, &q, ix->search_token);
			ui_message(ui, ngettext_("%zu message found here; "
			    "asking the server too...", "%zu messages found "
			    "here; asking the server too...", n), n);
		} else
			ui_message(ui, ngettext_("%zu message found; q "
			    "returns to the folder.", "%zu messages found; q "
			    "returns to the folder.", n), n);
	}
	ui_query_free(&uq);
	free(text);
}

/*
 * The worker finished a search: add what the server found to the
 * virtual folder, after the local matches, keeping the selection.
 */
void
ui_index_search_done(struct ui *ui)
{
	struct ui_index	*ix = IX(ui);
	struct ui_idset	 have;
	uint64_t	 token;
	int64_t		*ids = NULL;
	size_t		 n = 0, i, added = 0;
	bool		 server;

	if (ix == NULL || ui->jobs == NULL || ui->jobs->search_result == NULL ||
	    !ui->jobs->search_result(ui->jobs->arg, &token, &ids, &n,
	    &server))
		return;
	if (!ix->search || !ix->search_waiting || token != ix->search_token) {
		free(ids);	/* an answer nobody waits for any more */
		return;
	}
	ix->search_waiting = false;
	memset(&have, 0, sizeof have);
	for (i = 0; i < ix->nids; i++)
		ui_idset_add(&have, ix->ids[i]);
	for (i = 0; i < n; i++) {
		if (ui_idset_has(&have, ids[i]))
			continue;
		ui_idset_add(&have, ids[i]);
		ix->ids = xreallocarray(ix->ids, ix->nids + 1,
		    sizeof *ix->ids);
		ix->ids[ix->nids++] = ids[i];
		added++;
	}
	ui_idset_clear(&have);
	free(ids);
	if (!server)
		ui_message(ui, _("The server cannot be reached: %zu local "
		    "results only."), ix->nids);
	else if (added > 0)
		ui_message(ui, ngettext_("The server found %zu more message.",
		    "The server found %zu more messages.", added), added);
	else
		ui_message(ui, _("The server found nothing more (%zu "
		    "messages)."), ix->nids);
	ui_dirty(ui, UI_DIRTY_ROWS);
}

static void
change_folder(struct ui *ui)
{
	char	*name = NULL;
	int64_t	 id;

	if (ui_prompt(ui, _("Open folder ('?' for list): "), NULL,
	    ui_complete_folder, NULL, &name) == -1) {
		free(name);
		return;
	}
	if (strcmp(name, "?") == 0 || *name == '\0') {
		ui->lopts.sidebar = true;
		ui->sidebar_focus = true;
		ui_dirty(ui, UI_DIRTY_LAYOUT);
	} else if (ui_folder_lookup(ui, name, &id) == 0)
		ui_index_open_folder(ui, id);
	else
		ui_error(ui, _("No folder called '%s'."), name);
	free(name);
}

static void
read_or_delete_thread(struct ui *ui, struct ui_index *ix, bool del)
{
	int64_t	*ids;
	size_t	 n;

	ids = thread_ids(ix, &n);
	if (n == 0)
		return;
	if (del)
		ui_act_delete(ui, ids, n);
	else
		ui_act_flags(ui, ids, n, STORE_FLAG_SEEN, 0);
	free(ids);
}

static bool
index_action(struct ui *ui, struct ui_view *v, enum ui_action a, int32_t key)
{
	struct ui_index	*ix = (struct ui_index *)v;
	int64_t		*ids, cur = ui_index_current(ui);
	size_t		 n;
	int		 half = ix->h / 2 > 0 ? ix->h / 2 : 1;

	(void)key;
	switch (a) {
	case A_NEXT:
		if (!move_down(ix, 1))
			ui_message(ui, "%s", _("You are on the last message."));
		break;
	case A_PREV:
		if (!move_up(ix, 1))
			ui_message(ui, "%s", _("You are on the first "
			    "message."));
		break;
	case A_NEXT_UNDELETED:
		if (!scan(ix, 1, pred_undeleted, false))
			ui_message(ui, "%s", _("You are on the last message."));
		break;
	case A_PREV_UNDELETED:
		if (!scan(ix, -1, pred_undeleted, false))
			ui_message(ui, "%s", _("You are on the first "
			    "message."));
		break;
	case A_PAGE_DOWN: page_move(ix, 1, ix->h); break;
	case A_PAGE_UP: page_move(ix, -1, ix->h); break;
	case A_HALF_DOWN: page_move(ix, 1, half); break;
	case A_HALF_UP: page_move(ix, -1, half); break;
	case A_FIRST: go_first(ix); ui_dirty(ui, 0); break;
	case A_LAST: go_last(ix); ui_dirty(ui, 0); break;
	case A_TOP_PAGE: select_row(ix, 0); break;
	case A_MIDDLE_PAGE:
		if (ix->nrows > 0)
			select_row(ix, (int)((ix->nrows < (size_t)ix->h ?
			    ix->nrows : (size_t)ix->h) - 1) / 2);
		break;
	case A_BOTTOM_PAGE:
		if (ix->nrows > 0)
			select_row(ix, (int)(ix->nrows < (size_t)ix->h ?
			    ix->nrows : (size_t)ix->h) - 1);
		break;
	case A_NEXT_UNREAD:
		if (!scan(ix, 1, pred_unread, true))
			ui_message(ui, "%s", _("No unread messages."));
		break;
	case A_PREV_UNREAD:
		if (!scan(ix, -1, pred_unread, true))
			ui_message(ui, "%s", _("No unread messages."));
		break;
	case A_NEXT_THREAD:
		if (!scan(ix, 1, pred_thread, false))
			ui_message(ui, "%s", _("No more threads."));
		break;
	case A_PREV_THREAD:
		if (!scan(ix, -1, pred_thread, false))
			ui_message(ui, "%s", _("No more threads."));
		break;
	case A_DISPLAY: case A_SELECT:
		if (cur != 0)
			ui_pager_open(ui, cur);
		else
			ui_message(ui, "%s", _("No messages."));
		break;
	case A_FLAG: case A_TOGGLE_NEW: case A_READ: case A_DELETE:
	case A_UNDELETE:
		ids = ui_index_targets(ui, &n);
		if (n == 0) {
			ui_message(ui, "%s", _("No messages."));
			break;
		}
		if (a == A_FLAG)
			ui_act_toggle(ui, ids, n, STORE_FLAG_FLAGGED);
		else if (a == A_TOGGLE_NEW)
			ui_act_toggle(ui, ids, n, STORE_FLAG_SEEN);
		else if (a == A_READ)
			ui_act_flags(ui, ids, n, STORE_FLAG_SEEN, 0);
		else if (a == A_UNDELETE)
			ui_act_flags(ui, ids, n, 0, STORE_FLAG_DELETED);
		else if (ui_act_delete(ui, ids, n) == 0 && n == 1)
			ui_index_step(ui, 1, true);
		free(ids);
		break;
	case A_UNDO:
		ui_act_undo(ui);
		break;
	case A_READ_THREAD:
		read_or_delete_thread(ui, ix, false);
		break;
	case A_DELETE_THREAD:
		read_or_delete_thread(ui, ix, true);
		break;
	case A_SAVE: ui_act_save(ui, false); break;
	case A_COPY: ui_act_save(ui, true); break;
	case A_CHANGE_FOLDER: change_folder(ui); break;
	case A_SORT: do_sort(ui, ix, false); break;
	case A_SORT_REVERSE: do_sort(ui, ix, true); break;
	case A_TOGGLE_THREADS:
		ix->sort.threaded = !ix->sort.threaded;
		if (ix->sel_id == 0 || !jump_to(ix, ix->sel_id))
			go_first(ix);
		ui_message(ui, "%s", ix->sort.threaded ? _("Threaded view.") :
		    _("Flat view."));
		break;
	case A_COLLAPSE_THREAD: collapse(ui, ix, false); break;
	case A_COLLAPSE_ALL: collapse(ui, ix, true); break;
	case A_TAG:
		if (cur == 0)
			break;
		if (ui_idset_has(&ui->tags, cur))
			ui_idset_del(&ui->tags, cur);
		else
			ui_idset_add(&ui->tags, cur);
		move_down(ix, 1);
		ui_dirty(ui, 0);
		break;
	case A_TAG_THREAD:
		ids = thread_ids(ix, &n);
		while (n > 0)
			ui_idset_add(&ui->tags, ids[--n]);
		free(ids);
		ui_dirty(ui, 0);
		break;
	case A_UNTAG_ALL:
		ui_idset_clear(&ui->tags);
		ui_dirty(ui, 0);
		break;
	case A_SEARCH: case A_SEARCH_REVERSE:
		do_search(ui, ix, a == A_SEARCH_REVERSE);
		break;
	case A_SEARCH_NEXT:
		if (!ix->search)
			ui_message(ui, "%s", _("No search yet: press / first."));
		else if (!move_down(ix, 1))
			ui_message(ui, "%s", _("No more matches."));
		break;
	case A_QUIT: case A_EXIT:
		if (ix->search) {
			search_end(ix);
			ix->have_top = false;
			if (ix->sel_id == 0 || !jump_to(ix, ix->sel_id))
				go_first(ix);
			ui_dirty(ui, UI_DIRTY_FOLDERS);
			break;
		}
		if (a == A_EXIT)
			return false;
		ui->quit = true;
		break;
	case A_UNIFIED:
		if (ix->folder == STORE_UNIFIED_INBOX && !ix->search)
			ui_index_open_folder(ui, ix->prev_folder > 0 ?
			    ix->prev_folder : -1);
		else
			ui_index_open_folder(ui, STORE_UNIFIED_INBOX);
		break;
	case A_SIDEBAR_TOGGLE: case A_SIDEBAR_NEXT: case A_SIDEBAR_PREV:
	case A_SIDEBAR_OPEN: case A_SIDEBAR_FOCUS:
		return ui_sidebar_action(ui, a);
	case A_MAIL: ui_compose_start(ui, UI_COMPOSE_NEW, 0); break;
	case A_RECALL: ui_compose_start(ui, UI_COMPOSE_RECALL, 0); break;
	case A_REPLY: case A_GROUP_REPLY: case A_LIST_REPLY: case A_FORWARD:
	case A_FORWARD_ATTACH:
		if (cur == 0) {
			ui_message(ui, "%s", _("No messages."));
			break;
		}
		ui_compose_start(ui, a == A_REPLY ? UI_COMPOSE_REPLY :
		    a == A_GROUP_REPLY ? UI_COMPOSE_GROUP_REPLY :
		    a == A_LIST_REPLY ? UI_COMPOSE_LIST_REPLY :
		    a == A_FORWARD ? UI_COMPOSE_FORWARD :
		    UI_COMPOSE_FORWARD_ATTACH, cur);
		break;
	case A_VIEW_ATTACH:
		if (cur != 0)
			ui_attach_open(ui, cur);
		break;
	case A_SYNC:
		if (ui->jobs == NULL || ui->jobs->sync == NULL) {
			ui_message(ui, "%s", _("No connection to synchronise "
			    "(offline)."));
			break;
		}
		ui_replay(ui, true);
		/* Mail that waited for the network goes too. */
		ui_send_queued(ui);
		ui->jobs->sync(ui->jobs->arg, ix->folder > 0 ? ix->folder : 0);
		ui_message(ui, "%s", _("Synchronising..."));
		break;
	default:
		return false;
	}
	return true;
}

static void
index_free(struct ui_view *v)
{
	struct ui_index	*ix = (struct ui_index *)v;

	rows_clear(ix);
	search_end(ix);
	ui_idset_clear(&ix->cset);
	ix->ui->index = NULL;
	free(ix);
}

struct ui_index *
ui_index_new(struct ui *ui)
{
	struct ui_index	*ix;

	ix = xcalloc(1, sizeof *ix);
	ix->ui = ui;
	ix->folder = -1;
	ix->prev_folder = -1;
	ix->view.ctx = UI_CTX_INDEX;
	ix->view.title = "index";
	ix->view.draw = index_draw;
	ix->view.action = index_action;
	ix->view.reload = index_reload;
	ix->view.status = index_status;
	ix->view.free = index_free;
	sort_from_config(ui, ix);
	return ix;
}

struct ui_view *
ui_index_view(struct ui *ui)
{
	return ui->index != NULL ? &ui->index->view : NULL;
}
