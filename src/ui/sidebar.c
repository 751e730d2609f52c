/* The folder list: accounts, their folders with unread counts, and the
 * unified inbox; also folder names for prompts and their completion. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "ui/format.h"
#include "ui/priv.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define ENTRY_ACCOUNT	(-1)	/* a heading, not a folder */

struct entry {
	int64_t		 folder_id;	/* STORE_UNIFIED_INBOX, ENTRY_ACCOUNT */
	int64_t		 account_id;
	char		*label;		/* sanitized, for drawing */
	char		*path;		/* "account/name", exact */
	char		*name;		/* the folder's own name, exact */
	/* The same, sanitized: what prompts offer and show. */
	char		*spath;
	char		*sname;
	int		 indent;
	int64_t		 unread;
	int64_t		 total;
	enum store_role	 role;
};

struct ui_sidebar {
	struct entry	*e;
	size_t		 n;
	int		 cur;		/* highlighted entry */
	int		 top;
	bool		 placed;	/* cur was put on the open folder */
};

struct ui_sidebar *
ui_sidebar_new(void)
{
	return xcalloc(1, sizeof(struct ui_sidebar));
}

static void
entries_free(struct ui_sidebar *sb)
{
	size_t	i;

	for (i = 0; i < sb->n; i++) {
		free(sb->e[i].label);
		free(sb->e[i].path);
		free(sb->e[i].name);
		free(sb->e[i].spath);
		free(sb->e[i].sname);
	}
	free(sb->e);
	sb->e = NULL;
	sb->n = 0;
}

void
ui_sidebar_free(struct ui_sidebar **sbp)
{
	if (*sbp == NULL)
		return;
	entries_free(*sbp);
	free(*sbp);
	*sbp = NULL;
}

static struct entry *
add(struct ui_sidebar *sb, size_t *cap)
{
	if (sb->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		sb->e = xreallocarray(sb->e, *cap, sizeof *sb->e);
	}
	memset(&sb->e[sb->n], 0, sizeof sb->e[0]);
	return &sb->e[sb->n++];
}

/* Inbox first, then the special folders, then the rest by name. */
static int
role_rank(enum store_role r)
{
	switch (r) {
	case STORE_ROLE_INBOX: return 0;
	case STORE_ROLE_DRAFTS: return 1;
	case STORE_ROLE_SENT: return 2;
	case STORE_ROLE_ARCHIVE: return 3;
	case STORE_ROLE_JUNK: return 4;
	case STORE_ROLE_TRASH: return 5;
	default: return 6;
	}
}

static int
folder_cmp(const void *a, const void *b)
{
	const struct store_folder	*x = a, *y = b;
	int				 rx, ry;

	if (x->account_id != y->account_id)
		return x->account_id < y->account_id ? -1 : 1;
	rx = role_rank(x->role);
	ry = role_rank(y->role);
	if (rx != ry)
		return rx - ry;
	return strcmp(x->name, y->name);
}

static void
add_folder(struct ui_sidebar *sb, size_t *cap, const struct store_folder *f,
    const char *acct)
{
	struct entry	*e = add(sb, cap);
	const char	*leaf = f->name, *p;
	struct buf	 b = BUF_INIT;

	e->folder_id = f->id;
	e->account_id = f->account_id;
	e->unread = f->unread;
	e->total = f->total;
	e->role = f->role;
	e->indent = 1;
	if (f->delim != '\0') {
		for (p = f->name; (p = strchr(p, f->delim)) != NULL; p++) {
			e->indent++;
			leaf = p + 1;
		}
	}
	ui_clean(&b, *leaf ? leaf : f->name);
	e->label = buf_detach(&b, NULL);
	e->path = xasprintf("%s/%s", acct, f->name);
	e->name = xstrdup(f->name);
	e->spath = sanitize_str(e->path, 0);
	e->sname = xstrdup(f->display);
}

void
ui_sidebar_reload(struct ui *ui)
{
	struct ui_sidebar	*sb = ui->sidebar;
	struct store_account	*accts = NULL;
	struct store_folder	*fs = NULL;
	struct entry		*e, *uni = NULL;
	size_t			 na = 0, nf = 0, i, j, cap = 0, inboxes = 0;
	struct err		 err;
	int64_t			 cur_id;
	struct buf		 b = BUF_INIT;

	err_clear(&err);
	cur_id = sb->n > 0 && sb->cur >= 0 && (size_t)sb->cur < sb->n ?
	    sb->e[sb->cur].folder_id : -2;
	entries_free(sb);
	if (store_account_list(ui->store, &accts, &na, &err) == -1 ||
	    store_folder_list(ui->store, 0, &fs, &nf, &err) == -1) {
		ui_error_err(ui, &err);
		store_account_list_free(&accts, na);
		return;
	}
	if (nf > 1)
		qsort(fs, nf, sizeof *fs, folder_cmp);
	for (i = 0; i < nf; i++)
		inboxes += fs[i].role == STORE_ROLE_INBOX;
	if (inboxes > 1) {
		uni = add(sb, &cap);
		uni->folder_id = STORE_UNIFIED_INBOX;
		uni->label = xstrdup(_("All inboxes"));
		uni->path = xstrdup(_("All inboxes"));
		uni->name = xstrdup("");
		uni->spath = xstrdup(uni->path);
		uni->sname = xstrdup("");
	}
	for (i = 0; i < na; i++) {
		e = add(sb, &cap);
		e->folder_id = ENTRY_ACCOUNT;
		e->account_id = accts[i].id;
		ui_clean(&b, accts[i].name);
		e->label = buf_detach(&b, NULL);
		e->path = xstrdup(accts[i].name);
		e->name = xstrdup(accts[i].name);
		e->spath = xstrdup(e->label);
		e->sname = xstrdup(e->label);
		for (j = 0; j < nf; j++) {
			if (fs[j].account_id != accts[i].id)
				continue;
			add_folder(sb, &cap, &fs[j], accts[i].name);
			if (uni != NULL && fs[j].role == STORE_ROLE_INBOX) {
				/* sb->e may have moved: find it again. */
				sb->e[0].unread += fs[j].unread;
				sb->e[0].total += fs[j].total;
			}
		}
	}
	store_folder_list_free(&fs, nf);
	store_account_list_free(&accts, na);
	sb->cur = 0;
	for (i = 0; i < sb->n; i++) {
		if (sb->e[i].folder_id == cur_id) {
			sb->cur = (int)i;
			break;
		}
	}
	if (cur_id == -2 || sb->e == NULL || sb->e[sb->cur].folder_id < 0) {
		for (i = 0; i < sb->n; i++) {
			if (sb->e[i].folder_id >= 0) {
				sb->cur = (int)i;
				break;
			}
		}
	}
}

bool
ui_sidebar_has_folders(struct ui *ui)
{
	size_t	i;

	for (i = 0; i < ui->sidebar->n; i++) {
		if (ui->sidebar->e[i].folder_id > 0)
			return true;
	}
	return false;
}

void
ui_sidebar_totals(struct ui *ui, int64_t folder, int64_t *total_r,
    int64_t *unread_r)
{
	size_t	i;

	*total_r = *unread_r = 0;
	for (i = 0; i < ui->sidebar->n; i++) {
		if (ui->sidebar->e[i].folder_id == folder) {
			*total_r = ui->sidebar->e[i].total;
			*unread_r = ui->sidebar->e[i].unread;
			return;
		}
	}
}

void
ui_sidebar_draw(struct ui *ui, const struct ui_rect *r)
{
	struct ui_sidebar	*sb = ui->sidebar;
	struct buf		 b = BUF_INIT, num = BUF_INIT;
	int			 i, w = r->w - 1, y;
	int64_t			 open = ui_index_folder(ui);
	size_t			 nw;
	enum ui_role		 role;

	if (r->w <= 0 || r->h <= 0)
		return;
	if (!sb->placed || !ui->sidebar_focus) {
		/* Without focus the highlight follows the open folder. */
		for (i = 0; (size_t)i < sb->n; i++) {
			if (sb->e[i].folder_id == open) {
				sb->cur = i;
				sb->placed = true;
			}
		}
	}
	sb->top = ui_scroll_top(sb->top, sb->cur, r->h, (int)sb->n);
	for (y = 0; y < r->h; y++) {
		i = sb->top + y;
		term_set_role(UI_C_SIDEBAR);
		if ((size_t)i >= sb->n) {
			term_fill(r->y + y, r->x, w);
			continue;
		}
		const struct entry *e = &sb->e[i];

		buf_reset(&b);
		buf_reset(&num);
		if (e->folder_id >= 0) {
			buf_addf(&b, "%*s", e->indent * 2 - 1, "");
			if (e->unread > 0)
				buf_addf(&num, " %lld", (long long)e->unread);
		}
		buf_adds(&b, e->label);
		nw = num.len;
		if ((size_t)w <= nw)
			nw = 0;
		role = UI_C_SIDEBAR;
		if (e->folder_id == ENTRY_ACCOUNT)
			role = UI_C_HEADER_NAME;
		else if (e->unread > 0)
			role = UI_C_SIDEBAR_NEW;
		if (e->folder_id == open)
			role = UI_C_SIDEBAR_CURRENT;
		if (i == sb->cur && ui->sidebar_focus)
			role = UI_C_SIDEBAR_HIGHLIGHT;
		term_set_role(role);
		term_put(r->y + y, r->x, buf_cstr(&b), b.len, w - (int)nw, true);
		if (nw > 0)
			term_put(r->y + y, r->x + w - (int)nw, num.data, nw,
			    (int)nw, true);
	}
	term_set_role(UI_C_DIVIDER);
	term_vline(r->y, r->x + r->w - 1, r->h);
	buf_free(&b);
	buf_free(&num);
}

static void
move_cur(struct ui_sidebar *sb, int dir, int count)
{
	int	i = sb->cur, last = sb->cur;

	while (count-- > 0) {
		do {
			i += dir;
		} while (i >= 0 && (size_t)i < sb->n && sb->e[i].folder_id < 0);
		if (i < 0 || (size_t)i >= sb->n)
			break;
		last = i;
	}
	sb->cur = last;
	sb->placed = true;
}

bool
ui_sidebar_action(struct ui *ui, enum ui_action a)
{
	struct ui_sidebar	*sb = ui->sidebar;
	int			 page = ui->layout.sidebar.h > 1 ?
				    ui->layout.sidebar.h - 1 : 1;

	switch (a) {
	case A_SIDEBAR_FOCUS:
		if (ui->layout.sidebar.w == 0 && !ui->sidebar_focus) {
			ui_message(ui, "%s", _("The folder list is hidden "
			    "(B shows it; the terminal may be too narrow)."));
			return true;
		}
		ui->sidebar_focus = !ui->sidebar_focus;
		sb->placed = true;
		break;
	case A_SIDEBAR_TOGGLE:
		ui->lopts.sidebar = !ui->lopts.sidebar;
		if (!ui->lopts.sidebar)
			ui->sidebar_focus = false;
		ui_dirty(ui, UI_DIRTY_LAYOUT | UI_DIRTY_ROWS);
		return true;
	case A_NEXT: case A_NEXT_UNDELETED: case A_SIDEBAR_NEXT:
		move_cur(sb, 1, 1);
		break;
	case A_PREV: case A_PREV_UNDELETED: case A_SIDEBAR_PREV:
		move_cur(sb, -1, 1);
		break;
	case A_PAGE_DOWN: case A_HALF_DOWN:
		move_cur(sb, 1, page);
		break;
	case A_PAGE_UP: case A_HALF_UP:
		move_cur(sb, -1, page);
		break;
	case A_FIRST:
		sb->cur = 0;
		move_cur(sb, 1, 0);
		if (sb->n > 0 && sb->e[0].folder_id < 0)
			move_cur(sb, 1, 1);
		break;
	case A_LAST:
		sb->cur = sb->n > 0 ? (int)sb->n - 1 : 0;
		break;
	case A_SELECT: case A_SIDEBAR_OPEN: case A_DISPLAY:
		if (sb->n > 0 && sb->e[sb->cur].folder_id >= 0)
			ui_index_open_folder(ui, sb->e[sb->cur].folder_id);
		if (a == A_SELECT || a == A_DISPLAY)
			ui->sidebar_focus = false;
		break;
	default:
		return false;
	}
	ui_dirty(ui, 0);
	return true;
}

void
ui_sidebar_click(struct ui *ui, int row)
{
	struct ui_sidebar	*sb = ui->sidebar;
	int			 i = sb->top + row;

	if (row < 0 || i < 0 || (size_t)i >= sb->n ||
	    sb->e[i].folder_id < 0)
		return;
	sb->cur = i;
	ui_index_open_folder(ui, sb->e[i].folder_id);
}

char *
ui_folder_label(struct ui *ui, int64_t id)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < ui->sidebar->n; i++) {
		if (ui->sidebar->e[i].folder_id == id) {
			ui_clean(&b, ui->sidebar->e[i].path);
			return buf_detach(&b, NULL);
		}
	}
	return xstrdup("?");
}

/*
 * Full path, then a name in this account, then in any account; exact
 * names first, then the names as shown (a folder whose name holds
 * control characters is typed, and completed, as shown).
 */
int
ui_folder_lookup(struct ui *ui, const char *text, int64_t *id_r)
{
	struct ui_sidebar	*sb = ui->sidebar;
	int64_t			 cur_acct = 0;
	size_t			 i;
	int			 pass;
	const char		*path, *name;

	for (i = 0; i < sb->n; i++) {
		if (sb->e[i].folder_id == ui_index_folder(ui))
			cur_acct = sb->e[i].account_id;
	}
	for (pass = 0; pass < 6; pass++) {
		for (i = 0; i < sb->n; i++) {
			const struct entry *e = &sb->e[i];

			if (e->folder_id <= 0)
				continue;
			path = pass < 3 ? e->path : e->spath;
			name = pass < 3 ? e->name : e->sname;
			if ((pass % 3 == 0 && strcmp(path, text) == 0) ||
			    (pass % 3 == 1 && e->account_id == cur_acct &&
			    strcmp(name, text) == 0) ||
			    (pass % 3 == 2 && strcmp(name, text) == 0)) {
				*id_r = e->folder_id;
				return 0;
			}
		}
	}
	return -1;
}

void
ui_complete_folder(struct ui *ui, const char *prefix, char ***v, size_t *n,
    void *arg)
{
	struct ui_sidebar	*sb = ui->sidebar;
	size_t			 i, len = strlen(prefix);

	(void)arg;
	for (i = 0; i < sb->n; i++) {
		const struct entry *e = &sb->e[i];

		if (e->folder_id <= 0)
			continue;
		if (strncmp(e->spath, prefix, len) == 0 ||
		    strncmp(e->sname, prefix, len) == 0) {
			*v = xreallocarray(*v, *n + 1, sizeof **v);
			(*v)[(*n)++] = xstrdup(strncmp(e->sname, prefix,
			    len) == 0 && len > 0 ? e->sname : e->spath);
		}
	}
}
