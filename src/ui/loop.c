/*
 * The main loop: one poll() over the terminal, the signal pipe and the
 * sync engine's notification fd.  Handlers only mark what is dirty; the
 * screen is reloaded and redrawn once per pass, before waiting.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "store/store.h"
#include "ui/format.h"
#include "ui/jobs.h"
#include "ui/priv.h"
#include "ui/term.h"
#include "ui/ui.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define MESSAGE_MS	6000	/* informational messages fade */
#define IDLE_POLL_MS	1000	/* other processes may change the store */
#define REPLAY_DELAY_MS	4000	/* the undo window for deletes and moves */

int64_t
ui_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
ui_dirty(struct ui *ui, unsigned what)
{
	ui->dirty |= what | UI_DIRTY_SCREEN;
}

static void
note_add(struct ui *ui, const char *text, bool error)
{
	char		*s;
	time_t		 now = time(NULL);
	struct tm	 tm;
	char		 ts[16] = "";

	if (localtime_r(&now, &tm) != NULL)
		strftime(ts, sizeof ts, "%H:%M:%S", &tm);
	s = xasprintf("%s %s%s", ts, error ? _("error: ") : "", text);
	if (ui->nnotes == UI_NOTES_MAX) {
		free(ui->notes[0]);
		memmove(ui->notes, ui->notes + 1,
		    (UI_NOTES_MAX - 1) * sizeof ui->notes[0]);
		ui->nnotes--;
	}
	ui->notes[ui->nnotes++] = s;
}

static void set_message(struct ui *, bool, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static void
set_message(struct ui *ui, bool error, const char *fmt, va_list ap)
{
	char	*raw;

	if (vasprintf(&raw, fmt, ap) == -1)
		return;
	free(ui->msg);
	/* Messages quote servers and files: never draw them raw. */
	ui->msg = sanitize_str(raw, 0);
	free(raw);
	ui->msg_error = error;
	ui->msg_until = error ? 0 : ui_now_ms() + MESSAGE_MS;
	note_add(ui, ui->msg, error);
	if (error)
		log_warn("ui: %s", ui->msg);
	ui_dirty(ui, 0);
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	set_message(ui, false, fmt, ap);
	va_end(ap);
}

void
ui_error(struct ui *ui, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	set_message(ui, true, fmt, ap);
	va_end(ap);
}

void
ui_error_err(struct ui *ui, const struct err *err)
{
	ui_error(ui, "%s", err->msg[0] ? err->msg : err_code_name(err->code));
}

void
ui_push(struct ui *ui, struct ui_view *v)
{
	v->below = ui->top;
	ui->top = v;
	ui_dirty(ui, UI_DIRTY_LAYOUT);
}

void
ui_pop(struct ui *ui)
{
	struct ui_view	*v = ui->top;

	if (v == NULL || v->below == NULL)
		return;
	ui->top = v->below;
	if (v->free != NULL)
		v->free(v);
	ui_dirty(ui, UI_DIRTY_LAYOUT | UI_DIRTY_ROWS);
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st; (void)type; (void)f;
	return remove(path);
}

const char *
ui_tmpdir(struct ui *ui, struct err *err)
{
	const char	*base;
	char		*tmpl;

	if (ui->tmpdir != NULL)
		return ui->tmpdir;
	if ((base = getenv("TMPDIR")) == NULL || *base == '\0')
		base = "/tmp";
	tmpl = xasprintf("%s/surat-%ld-XXXXXX", base, (long)getpid());
	if (mkdtemp(tmpl) == NULL) {
		err_set(err, ERR_IO, "%s: %s", tmpl, strerror(errno));
		free(tmpl);
		return NULL;
	}
	ui->tmpdir = tmpl;
	return tmpl;
}

void
ui_replay(struct ui *ui, bool now)
{
	if (ui->jobs == NULL || ui->jobs->replay == NULL)
		return;
	if (now) {
		ui->replay_at = 0;
		ui->jobs->replay(ui->jobs->arg, 0);
	} else
		ui->replay_at = ui_now_ms() + REPLAY_DELAY_MS;
}

const char *
ui_editor(const struct ui *ui)
{
	const char	*e;

	if (ui->cfg != NULL && ui->cfg->general.editor != NULL &&
	    *ui->cfg->general.editor != '\0')
		return ui->cfg->general.editor;
	if ((e = getenv("VISUAL")) != NULL && *e != '\0')
		return e;
	if ((e = getenv("EDITOR")) != NULL && *e != '\0')
		return e;
	return NULL;	/* the built-in editor */
}

/* ---- Drawing ---- */

static void
help_bar(struct ui *ui, struct buf *out, enum ui_ctx ctx)
{
	static const struct {
		enum ui_action	a;
		const char	*label;
	} items[] = {
		{ A_QUIT, N_("Quit") }, { A_EXIT, N_("Exit") },
		{ A_DELETE, N_("Del") }, { A_UNDO, N_("Undo") },
		{ A_SAVE, N_("Move") }, { A_MAIL, N_("Mail") },
		{ A_REPLY, N_("Reply") }, { A_GROUP_REPLY, N_("Group") },
		{ A_FORWARD, N_("Fwd") }, { A_SEARCH, N_("Search") },
		{ A_VIEW, N_("View") }, { A_OPEN_ATTACH, N_("Open") },
		{ A_SAVE_ATTACH, N_("Save") },
		{ A_SEND, N_("Send") }, { A_EDIT_BODY, N_("Edit") },
		{ A_ATTACH_FILE, N_("Attach") }, { A_POSTPONE, N_("Postpone") },
		{ A_ABORT, N_("Abort") }, { A_SELECT, N_("Open") },
		{ A_HELP, N_("Help") },
	};
	struct buf	keys = BUF_INIT;
	size_t		i, n;

	for (i = 0; i < sizeof items / sizeof items[0]; i++) {
		buf_reset(&keys);
		keymap_keys_for(ui->km, ctx, items[i].a, &keys);
		if (keys.len == 0)
			continue;
		/* The first key only: the bar is short. */
		n = strcspn(keys.data, ",");
		buf_add(out, keys.data, n);
		buf_addf(out, ":%s  ", _(items[i].label));
	}
	buf_free(&keys);
}

enum ui_ctx
ui_focus_ctx(struct ui *ui)
{
	if (ui->top == ui_index_view(ui) && ui->sidebar_focus)
		return UI_CTX_BROWSER;
	return ui->top->ctx;
}

static void
status_line(struct ui *ui, struct buf *out)
{
	struct buf	right = BUF_INIT;

	buf_adds(out, "-- surat: ");
	if (ui->top->status != NULL)
		ui->top->status(ui, ui->top, out);
	if (ui->jobs == NULL || ui->jobs->status == NULL)
		buf_addf(&right, " -- %s", _("offline"));
	else if (ui->sync != NULL) {
		buf_addf(&right, " -- %s", ui->sync->online ? _("online") :
		    _("offline"));
		if (ui->sync->progress[0] != '\0') {
			buf_adds(&right, " -- ");
			ui_clean(&right, ui->sync->progress);
		}
	}
	if (ui->ops_queued > 0)
		buf_addf(&right, _(" -- pending: %zu"), ui->ops_queued);
	if (ui->outbox_queued > 0)
		buf_addf(&right, _(" -- outbox: %zu"), ui->outbox_queued);
	if (ui->quota_used >= 0) {
		buf_adds(&right, " -- ");
		ui_fmt_quota(&right, ui->quota_used, ui->quota_limit);
	}
	if (right.len > 0) {
		buf_add(out, right.data, right.len);
		buf_adds(out, " --");
	}
	buf_free(&right);
}

void
ui_draw(struct ui *ui)
{
	struct ui_layout	*l = &ui->layout;
	struct buf		 b = BUF_INIT;
	int			 cx;

	term_erase();
	if (l->help.h > 0) {
		help_bar(ui, &b, ui_focus_ctx(ui));
		term_set_role(UI_C_HELP);
		term_put(l->help.y, l->help.x, buf_cstr(&b), b.len, l->help.w,
		    true);
		buf_reset(&b);
	}
	ui->top->draw(ui, ui->top);
	if (l->status.h > 0) {
		status_line(ui, &b);
		term_set_role(UI_C_STATUS);
		term_put(l->status.y, 0, buf_cstr(&b), b.len, l->status.w,
		    true);
		buf_reset(&b);
	}
	term_set_role(UI_C_NORMAL);
	term_fill(l->message.y, 0, l->message.w);
	if (ui->prompt_q != NULL) {
		size_t	qw, tw, skip = 0;

		term_set_role(UI_C_PROMPT);
		qw = (size_t)term_put(l->message.y, 0, ui->prompt_q,
		    strlen(ui->prompt_q), l->message.w - 1, false);
		term_set_role(UI_C_NORMAL);
		/* Keep the cursor on screen: show the end of long input. */
		tw = (size_t)l->message.w - qw - 1;
		while (skip < ui->prompt_cursor &&
		    utf8_width(ui->prompt_text + skip,
		    ui->prompt_cursor - skip) > tw)
			skip++;
		while (skip < ui->prompt_cursor &&
		    ((unsigned char)ui->prompt_text[skip] & 0xc0) == 0x80)
			skip++;
		term_put(l->message.y, (int)qw, ui->prompt_text + skip,
		    strlen(ui->prompt_text + skip), (int)tw, false);
		cx = (int)qw + (int)utf8_width(ui->prompt_text + skip,
		    ui->prompt_cursor - skip);
		term_cursor(l->message.y, cx, true);
	} else {
		if (ui->msg != NULL) {
			term_set_role(ui->msg_error ? UI_C_ERROR :
			    UI_C_MESSAGE);
			term_put(l->message.y, 0, ui->msg, strlen(ui->msg),
			    l->message.w, false);
		}
		if (ui->cursor_on && ui->top->draw != NULL)
			term_cursor(ui->cursor_y, ui->cursor_x, true);
		else
			term_cursor(0, 0, false);
	}
	term_refresh();
	buf_free(&b);
}

/* ---- Events ---- */

static void
refresh_counts(struct ui *ui)
{
	struct err		 err;
	struct store_out	*outs = NULL;
	struct store_account	*acct = NULL;
	size_t			 n = 0, i;
	int64_t			 folder, aid = 0;

	err_clear(&err);
	ui->outbox_queued = 0;
	if (store_outbox_list(ui->store, 0, &outs, &n, &err) == 0) {
		for (i = 0; i < n; i++) {
			if (outs[i].state != STORE_OUT_SENT)
				ui->outbox_queued++;
		}
		store_outbox_list_free(&outs, n);
	}
	ui->ops_queued = 0;
	store_op_count(ui->store, 0, &ui->ops_queued, &err);
	ui->quota_used = ui->quota_limit = -1;
	folder = ui_index_folder(ui);
	if (folder > 0) {
		struct store_folder *f = NULL;

		if (store_folder_get(ui->store, folder, &f, &err) == 0) {
			aid = f->account_id;
			store_folder_free(&f);
		}
	}
	if (aid > 0 && store_account_get(ui->store, aid, &acct, &err) == 0) {
		ui->quota_used = acct->quota_used;
		ui->quota_limit = acct->quota_limit;
		store_account_free(&acct);
	}
}

static void
process_dirty(struct ui *ui)
{
	struct ui_view	*v;
	unsigned	 what;
	uint64_t	 cc;

	cc = store_change_counter(ui->store);
	if (cc != ui->change_counter) {
		ui->change_counter = cc;
		ui_dirty(ui, UI_DIRTY_ROWS | UI_DIRTY_FOLDERS | UI_DIRTY_PAGER);
	}
	if (ui->dirty & UI_DIRTY_LAYOUT) {
		ui->lopts.pager = false;
		for (v = ui->top; v != NULL; v = v->below) {
			if (v->full)
				ui->lopts.pager = true;
		}
		ui_layout_compute(term_cols(), term_rows(), &ui->lopts,
		    &ui->layout);
	}
	what = ui->dirty & ~UI_DIRTY_SCREEN;
	ui->dirty &= UI_DIRTY_SCREEN;
	if (what & (UI_DIRTY_FOLDERS | UI_DIRTY_LAYOUT)) {
		ui_sidebar_reload(ui);
		refresh_counts(ui);
	}
	if (what != 0) {
		/* Every view below may draw (the pager's mini index). */
		for (v = ui->top; v != NULL; v = v->below) {
			if (v->reload != NULL)
				v->reload(ui, v, what);
		}
	}
	/* Reloads may have changed the data in the store's counter. */
	ui->change_counter = store_change_counter(ui->store);
}

static int
poll_timeout(struct ui *ui)
{
	int64_t	now = ui_now_ms(), t = IDLE_POLL_MS;

	if (ui->replay_at != 0 && ui->replay_at - now < t)
		t = ui->replay_at - now;
	if (ui->msg_until != 0 && ui->msg_until - now < t)
		t = ui->msg_until - now;
	return t < 0 ? 0 : (int)t;
}

static void
timers(struct ui *ui)
{
	int64_t	now = ui_now_ms();

	if (ui->replay_at != 0 && now >= ui->replay_at)
		ui_replay(ui, true);
	if (ui->viewers != NULL)
		ui_attach_reap(ui);
	if (ui->msg_until != 0 && now >= ui->msg_until) {
		free(ui->msg);
		ui->msg = NULL;
		ui->msg_until = 0;
		ui_dirty(ui, 0);
	}
}

static void
drain(int fd)
{
	char	buf[256];

	while (read(fd, buf, sizeof buf) > 0)
		;
}

/* A new failure of the sync engine goes to the message line once. */
static void
sync_error(struct ui *ui)
{
	const char	*e = ui->sync->error;

	if (e[0] == '\0' || (ui->sync_error != NULL &&
	    strcmp(ui->sync_error, e) == 0))
		return;
	free(ui->sync_error);
	ui->sync_error = xstrdup(e);
	ui_error(ui, "%s", e);
}

/*
 * The network is back: what waited for it goes now (changes made
 * offline are replayed by the sync that reconnected; the outbox is not).
 */
static void
back_online(struct ui *ui)
{
	refresh_counts(ui);
	ui_send_queued(ui);
	if (ui->ops_queued > 0)
		ui_replay(ui, true);
}

void
ui_send_queued(struct ui *ui)
{
	struct err	err;

	if (ui->outbox_queued == 0 || ui->jobs == NULL ||
	    ui->jobs->send == NULL)
		return;
	/* A failed try offline set a retry delay; the network is back. */
	err_clear(&err);
	if (store_outbox_due_now(ui->store, 0, (int64_t)time(NULL),
	    &err) == -1)
		log_warn("ui: outbox: %s", err.msg);
	ui->jobs->send(ui->jobs->arg, 0);
}

int32_t
ui_getkey(struct ui *ui)
{
	struct pollfd	pfd[3];
	nfds_t		n;
	unsigned	ev;
	int32_t		key;

	for (;;) {
		if (ui->quit)
			return UI_KEY_CTRL('G');
		process_dirty(ui);
		if (ui->dirty & UI_DIRTY_SCREEN) {
			ui->dirty &= ~UI_DIRTY_SCREEN;
			ui_draw(ui);
		}
		if ((key = term_getkey()) != UI_KEY_NONE) {
			if (key == UI_KEY_RESIZE) {
				ui_dirty(ui, UI_DIRTY_LAYOUT);
				continue;
			}
			return key;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = term_signal_fd();
		pfd[1].events = POLLIN;
		n = 2;
		if (ui->jobs != NULL && ui->jobs->notify_fd >= 0) {
			pfd[2].fd = ui->jobs->notify_fd;
			pfd[2].events = POLLIN;
			n = 3;
		}
		if (poll(pfd, n, poll_timeout(ui)) == -1 && errno != EINTR) {
			ui->quit = true;
			continue;
		}
		timers(ui);
		if (n == 3 && (pfd[2].revents & POLLIN)) {
			drain(pfd[2].fd);
			if (ui->jobs->status != NULL && ui->sync != NULL) {
				bool was = ui->sync->online;

				ui->jobs->status(ui->jobs->arg, ui->sync);
				sync_error(ui);
				if (!was && ui->sync->online)
					back_online(ui);
			}
			ui_dirty(ui, UI_DIRTY_ROWS | UI_DIRTY_FOLDERS |
			    UI_DIRTY_PAGER);
			ui_index_open_when_ready(ui);
			ui_index_search_done(ui);
		}
		if ((pfd[0].revents & (POLLHUP | POLLERR)) &&
		    !(pfd[0].revents & POLLIN))
			ui->quit = true;	/* the terminal went away */
		ev = term_events();
		if (ev & TERM_EV_QUIT)
			ui->quit = true;
		if (ev & TERM_EV_TSTP)
			term_suspend();
		if (ev & (TERM_EV_RESIZE | TERM_EV_CONT | TERM_EV_TSTP)) {
			term_resize();
			ui_dirty(ui, UI_DIRTY_LAYOUT | UI_DIRTY_ROWS);
		}
	}
}

/* ---- Dispatch ---- */

void
ui_dispatch(struct ui *ui, enum ui_action a, int32_t key)
{
	struct ui_view	*v = ui->top;

	if (ui->sidebar_focus && v == ui_index_view(ui) &&
	    ui_sidebar_action(ui, a))
		return;
	if (v->action != NULL && v->action(ui, v, a, key))
		return;
	switch (a) {
	case A_HELP:
		ui_help_open(ui, ui_focus_ctx(ui));
		break;
	case A_REDRAW:
		term_clear();
		ui_dirty(ui, UI_DIRTY_ALL);
		break;
	case A_SUSPEND:
		term_suspend();
		ui_dirty(ui, UI_DIRTY_ALL);
		break;
	case A_SHOW_ERRORS:
		ui_notes_open(ui);
		break;
	case A_QUIT:
		ui->quit = true;
		break;
	case A_EXIT:
		if (v->below != NULL)
			ui_pop(ui);
		break;
	case A_TAG_PREFIX:
		if (ui->tags.live == 0)
			ui_message(ui, "%s", _("No tagged messages."));
		else {
			ui->tag_prefix = true;
			ui_message(ui, "%s", _("tag-"));
		}
		break;
	case A_NONE: {
		struct buf	kb = BUF_INIT, hb = BUF_INIT;

		keymap_key_name(&kb, key);
		keymap_keys_for(ui->km, ui_focus_ctx(ui), A_HELP, &hb);
		ui_message(ui, _("Key %s is not bound.  Press '%s' for help."),
		    buf_cstr(&kb), hb.len ? buf_cstr(&hb) : "?");
		buf_free(&kb);
		buf_free(&hb);
		break;
	}
	default:
		ui_message(ui, _("%s: not available here."),
		    keymap_action_name(a));
		break;
	}
}

static void
handle_key(struct ui *ui, int32_t key)
{
	enum ui_action	a;
	bool		prefix = ui->tag_prefix;

	if (key == UI_KEY_MOUSE) {
		if (ui->mouse)
			ui_mouse(ui);
		return;
	}
	a = keymap_lookup(ui->km, ui_focus_ctx(ui), key);
	ui_dispatch(ui, a, key);
	/* ';' applies to exactly the next action. */
	if (prefix && a != A_TAG_PREFIX)
		ui->tag_prefix = false;
}

/* ---- Set-up ---- */

static void
apply_config(struct ui *ui)
{
	const struct config	*c = ui->cfg;
	struct err		 err;
	size_t			 i;
	enum ui_role		 r;
	char			*line;

	ui_color_defaults(ui->colors);
	if (c == NULL)
		return;
	ui->lopts.sidebar = c->general.sidebar;
	ui->mouse = c->general.mouse;
	for (i = 0; i < c->nkeys; i++) {
		err_clear(&err);
		/* "index j = next-entry", or "bind = index j next-entry". */
		if (strcmp(c->keys[i].key, "bind") == 0)
			line = xstrdup(c->keys[i].value);
		else
			line = xasprintf("%s %s", c->keys[i].key,
			    c->keys[i].value);
		if (keymap_bind_line(ui->km, line, &err) == -1)
			note_add(ui, err.msg, true);
		free(line);
	}
	for (i = 0; i < c->ncolors; i++) {
		err_clear(&err);
		if (strcmp(c->colors[i].key, "index_format") == 0) {
			ui->index_format = c->colors[i].value;
			continue;
		}
		if (ui_color_role_parse(c->colors[i].key, &r) == -1) {
			note_add(ui, c->colors[i].key, true);
			continue;
		}
		if (ui_color_parse(c->colors[i].value, &ui->colors[r],
		    &err) == -1)
			note_add(ui, err.msg, true);
	}
}

static void
cleanup(struct ui *ui)
{
	size_t	i;

	while (ui->top != NULL && ui->top->below != NULL)
		ui_pop(ui);
	if (ui->top != NULL && ui->top->free != NULL)
		ui->top->free(ui->top);
	ui->top = NULL;
	ui_sidebar_free(&ui->sidebar);
	keymap_free(&ui->km);
	ui_idset_clear(&ui->tags);
	ui_undo_free(&ui->undo);
	free(ui->msg);
	for (i = 0; i < ui->nnotes; i++)
		free(ui->notes[i]);
	ui_attach_forget(ui);
	if (ui->tmpdir != NULL) {
		nftw(ui->tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
		free(ui->tmpdir);
	}
	free(ui->last_folder);
	free(ui->last_search);
	free(ui->sync);
	free(ui->sync_error);
}

int
ui_run(const struct ui_options *o, struct err *err)
{
	struct ui	ui;
	size_t		i;
	int32_t		key;

	memset(&ui, 0, sizeof ui);
	ui.store = o->store;
	ui.cfg = o->config;
	ui.jobs = o->jobs;
	ui.label = o->label;
	ui.km = keymap_new();
	ui.index_format = UI_INDEX_FORMAT;
	ui.lopts.help_bar = true;
	ui.lopts.sidebar = true;
	ui.lopts.sidebar_width = 26;
	ui.quota_used = ui.quota_limit = -1;
	ui.sync = xcalloc(1, sizeof *ui.sync);
	apply_config(&ui);
	if (ui.jobs != NULL && ui.jobs->status != NULL)
		ui.jobs->status(ui.jobs->arg, ui.sync);
	if (term_init(ui.colors, err) == -1) {
		cleanup(&ui);
		return -1;
	}
	term_mouse(ui.mouse);
	ui.sidebar = ui_sidebar_new();
	ui.index = ui_index_new(&ui);
	ui.top = ui_index_view(&ui);
	ui_dirty(&ui, UI_DIRTY_ALL);
	ui_sidebar_reload(&ui);
	ui_layout_compute(term_cols(), term_rows(), &ui.lopts, &ui.layout);
	ui_index_open_folder(&ui, -1);
	if (ui.nnotes > 0)
		ui_error(&ui, _("%zu problems in the configuration; press E "
		    "for details"), ui.nnotes);
	for (i = 0; i < o->nnotes; i++)
		ui_message(&ui, "%s", o->notes[i]);
	while (!ui.quit) {
		key = ui_getkey(&ui);
		if (!ui.quit)
			handle_key(&ui, key);
	}
	/* Leave nothing waiting for the undo window. */
	if (ui.replay_at != 0)
		ui_replay(&ui, true);
	term_end();
	cleanup(&ui);
	return 0;
}
