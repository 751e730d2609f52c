/*
 * The attachment list of one message: view a part as text or with its
 * mailcap entry, open it with a program, save it to a file (never
 * overwriting one).  Names come from the message, so they are sanitized
 * to draw, made safe before any file is written, and never used for the
 * temporary files viewers get (see mailcap.h).
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mime/mime.h"
#include "store/store.h"
#include "ui/format.h"
#include "ui/jobs.h"
#include "ui/mailcap.h"
#include "ui/priv.h"
#include "ui/term.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

struct attview {
	struct ui_view		 view;
	int64_t			 id;
	struct store_view	 sv;		/* which parts are here */
	bool			 waiting;	/* a part was asked for */
	struct mime_message	*msg;
	struct mime_attachment	*atts;
	size_t			 n;
	size_t			 sel, top;
};

static void
att_draw(struct ui *ui, struct ui_view *v)
{
	struct attview		*a = (struct attview *)v;
	const struct ui_rect	*r = &ui->layout.pager;
	struct buf		 b = BUF_INIT;
	const char		*title = _("Attachments");
	size_t			 i;
	int			 y, h = r->h - 1;

	if (r->h <= 0)
		return;
	term_set_role(UI_C_STATUS);
	term_put(r->y, r->x, title, strlen(title), r->w, true);
	a->top = (size_t)ui_scroll_top((int)a->top, (int)a->sel, h,
	    (int)a->n);
	for (y = 0; y < h; y++) {
		i = a->top + (size_t)y;
		term_set_role(i == a->sel ? UI_C_INDICATOR : UI_C_NORMAL);
		if (i >= a->n) {
			term_set_role(UI_C_NORMAL);
			term_fill(r->y + 1 + y, r->x, r->w);
			continue;
		}
		buf_reset(&b);
		buf_addf(&b, "%2zu ", i + 1);
		ui_fit(&b, a->atts[i].type, strlen(a->atts[i].type), 28,
		    UI_FIT_PAD);
		buf_addc(&b, ' ');
		ui_fmt_size_short(&b, (int64_t)a->atts[i].size);
		buf_adds(&b, "  ");
		ui_clean(&b, a->atts[i].name);
		if (ui_msg_part_missing(&a->sv, a->atts[i].part->section))
			buf_adds(&b, _("  (not downloaded)"));
		term_put(r->y + 1 + y, r->x, buf_cstr(&b), b.len, r->w, true);
	}
	buf_free(&b);
}

static const char *att_label(const struct mime_attachment *);

/* The selected part is not here: ask the engine for it; true if so. */
static bool
att_missing(struct ui *ui, struct attview *a)
{
	const struct mime_attachment	*at = &a->atts[a->sel];

	if (!ui_msg_part_missing(&a->sv, at->part->section))
		return false;
	if (ui->jobs != NULL && ui->jobs->fetch_part != NULL) {
		ui->jobs->fetch_part(ui->jobs->arg, a->id, at->part->section);
		a->waiting = true;
		ui_message(ui, _("Downloading %s; try again once it is "
		    "here."), att_label(at));
	} else
		ui_error(ui, "%s", _("This attachment is not downloaded, and "
		    "there is no connection to fetch it."));
	return true;
}

static void
att_view_text(struct ui *ui, struct attview *a)
{
	struct buf		 b = BUF_INIT;
	const struct mime_attachment *at = &a->atts[a->sel];
	char			*title;

	mime_part_text(a->msg, at->part, NULL, &b);
	title = xasprintf("%s (%s)", at->name[0] ? at->name : _("attachment"),
	    at->type);
	ui_text_open(ui, title, b.data != NULL ? b.data : "", b.len);
	free(title);
	buf_free(&b);
}

static void
att_save(struct ui *ui, struct attview *a)
{
	const struct mime_attachment *at = &a->atts[a->sel];
	struct err	 err;
	char		*safe, *answer = NULL, *d1, *d2, *path = NULL;

	err_clear(&err);
	safe = mime_safe_filename(at->name[0] ? at->name : "attachment");
	if (ui_prompt(ui, _("Save to file: "), safe, NULL, NULL,
	    &answer) == -1 || *answer == '\0') {
		free(safe);
		free(answer);
		return;
	}
	d1 = xstrdup(answer);
	d2 = xstrdup(answer);
	if (mime_part_save(a->msg, at->part, dirname(d1), basename(d2), &path,
	    &err) == -1) {
		if (err.code == ERR_EXISTS)
			ui_error(ui, _("%s exists; not overwritten."), answer);
		else
			ui_error_err(ui, &err);
	} else
		ui_message(ui, _("Saved %s."), path);
	free(path);
	free(d1);
	free(d2);
	free(safe);
	free(answer);
}

#define VIEW_OUTPUT_MAX	(8u * 1024 * 1024)	/* copiousoutput shown */
#define VIEW_TIMEOUT_MS	30000
#define TEST_TIMEOUT_MS	5000

struct run_ctx {
	struct ui			*ui;
	const struct mime_part		*part;
	const char			*type;
	const char			*file;
};

static const char *
part_param(void *arg, const char *name)
{
	struct run_ctx	*c = arg;

	return mime_part_param(c->part, name);
}

/* A test= command: true when it exits 0 (RFC 1524). */
static bool
run_test(void *arg, const char *test)
{
	struct run_ctx	*c = arg;
	struct buf	 out = BUF_INIT;
	struct err	 err;
	char		*cmd;
	bool		 uses;
	int		 rc;

	err_clear(&err);
	cmd = mailcap_expand(test, c->file, c->type, part_param, c, &uses);
	rc = mailcap_run_capture(cmd, NULL, 4096, TEST_TIMEOUT_MS, &out,
	    &err);
	free(cmd);
	buf_free(&out);
	return rc == 0;
}

static void
viewer_add(struct ui *ui, pid_t pid, const char *path, const char *what)
{
	struct ui_viewer	*v = xcalloc(1, sizeof *v);

	v->pid = pid;
	v->path = path != NULL ? xstrdup(path) : NULL;
	v->what = xstrdup(what);
	v->next = ui->viewers;
	ui->viewers = v;
}

void
ui_attach_reap(struct ui *ui)
{
	struct ui_viewer	**vp = &ui->viewers, *v;
	int			  status;
	pid_t			  r;

	while ((v = *vp) != NULL) {
		r = waitpid(v->pid, &status, WNOHANG);
		if (r == 0 || (r == -1 && errno == EINTR)) {
			vp = &v->next;
			continue;
		}
		if (r == v->pid && (!WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0))
			ui_error(ui, _("The program for %s failed (status "
			    "%d)."), v->what, WIFEXITED(status) ?
			    WEXITSTATUS(status) : 128 + WTERMSIG(status));
		if (v->path != NULL)
			unlink(v->path);
		*vp = v->next;
		free(v->path);
		free(v->what);
		free(v);
	}
}

void
ui_attach_forget(struct ui *ui)
{
	struct ui_viewer	*v;

	while ((v = ui->viewers) != NULL) {
		ui->viewers = v->next;
		free(v->path);
		free(v->what);
		free(v);
	}
}

/* The decoded part in a private 0600 file named by us; NULL on error. */
static char *
temp_copy(struct ui *ui, const struct mime_message *m,
    const struct mime_attachment *at, const struct mailcap_entry *first)
{
	struct buf	 data = BUF_INIT;
	struct err	 err;
	const char	*dir;
	char		*suffix, *path;

	err_clear(&err);
	if ((dir = ui_tmpdir(ui, &err)) == NULL) {
		ui_error_err(ui, &err);
		return NULL;
	}
	mime_part_decode(m, at->part, &data);
	suffix = mailcap_suffix(first, at->name);
	path = mailcap_write_temp(dir, suffix, data.data != NULL ? data.data :
	    "", data.len, &err);
	if (path == NULL)
		ui_error_err(ui, &err);
	free(suffix);
	buf_free(&data);
	return path;
}

static const char *
att_label(const struct mime_attachment *at)
{
	return at->name[0] != '\0' ? at->name : at->type;
}

/* Run a mailcap entry on the file as its flags say. */
static void
run_entry(struct ui *ui, struct run_ctx *c, const struct mailcap_entry *e,
    const struct mime_attachment *at, bool *keep_r)
{
	struct buf	 out = BUF_INIT;
	struct err	 err;
	char		*cmd, *title;
	char		*argv[] = { (char *)"/bin/sh", (char *)"-c", NULL,
			    NULL };
	bool		 uses;
	int		 rc;
	pid_t		 pid;

	err_clear(&err);
	*keep_r = false;
	cmd = mailcap_expand(e->view, c->file, c->type, part_param, c, &uses);
	if (e->copiousoutput) {
		rc = mailcap_run_capture(cmd, uses ? NULL : c->file,
		    VIEW_OUTPUT_MAX, VIEW_TIMEOUT_MS, &out, &err);
		if (rc == -1)
			ui_error_err(ui, &err);
		else if (rc != 0 && out.len == 0)
			ui_error(ui, _("The viewer for %s exited with status "
			    "%d."), att_label(at), rc);
		else {
			if (rc != 0)
				ui_error(ui, _("The viewer for %s exited with "
				    "status %d."), att_label(at), rc);
			/* ui_text_open sanitizes every line it keeps. */
			title = xasprintf("%s (%s)", att_label(at), at->type);
			ui_text_open(ui, title, out.data != NULL ? out.data :
			    "", out.len);
			free(title);
		}
	} else if (e->needsterminal) {
		argv[2] = cmd;
		rc = term_run(argv, uses ? NULL : c->file, &err);
		ui_dirty(ui, UI_DIRTY_ALL);
		if (rc == -1)
			ui_error_err(ui, &err);
		else if (rc != 0)
			ui_error(ui, _("The viewer for %s exited with status "
			    "%d."), att_label(at), rc);
	} else {
		/* A window of its own: the reader goes on meanwhile. */
		if ((pid = mailcap_run_background(cmd, uses ? NULL : c->file,
		    &err)) == -1)
			ui_error_err(ui, &err);
		else {
			viewer_add(ui, pid, c->file, att_label(at));
			*keep_r = true;
			ui_message(ui, _("Started the viewer for %s."),
			    att_label(at));
		}
	}
	buf_free(&out);
	free(cmd);
}

/* No mailcap entry: $SURAT_OPENER or xdg-open, in the background. */
static void
run_opener(struct ui *ui, struct run_ctx *c, const struct mime_attachment *at,
    bool *keep_r)
{
	struct buf	 cmd = BUF_INIT;
	struct err	 err;
	const char	*opener = getenv("SURAT_OPENER");
	pid_t		 pid;

	err_clear(&err);
	if (opener == NULL || *opener == '\0')
		opener = "xdg-open";
	/* The opener is the user's shell words; the path is quoted. */
	buf_adds(&cmd, opener);
	buf_addc(&cmd, ' ');
	mailcap_shell_quote(&cmd, c->file);
	if ((pid = mailcap_run_background(buf_cstr(&cmd), NULL, &err)) == -1)
		ui_error_err(ui, &err);
	else {
		/*
		 * Openers such as xdg-open hand the file on and return at
		 * once, so the file stays until surat quits.
		 */
		viewer_add(ui, pid, NULL, att_label(at));
		*keep_r = true;
		ui_message(ui, _("Opened %s with %s."), att_label(at), opener);
	}
	buf_free(&cmd);
}

/*
 * View (or open) the selected attachment with its mailcap entry.  false
 * when there is no entry and nothing was done.
 */
static bool
att_mailcap(struct ui *ui, struct attview *a, bool open)
{
	const struct mime_attachment *at = &a->atts[a->sel];
	const struct mailcap_entry *e, *first;
	struct mailcap		 mc;
	struct run_ctx		 c;
	char			*path;
	size_t			 i;
	bool			 keep = false, done = true;

	mailcap_load(&mc);
	memset(&c, 0, sizeof c);
	c.ui = ui;
	c.part = at->part;
	c.type = at->type;
	/* The name template of the first candidate decides the suffix. */
	first = NULL;
	for (i = 0; i < mc.n && first == NULL; i++) {
		if (mailcap_type_match(mc.v[i].type, at->type) &&
		    (!open || !mc.v[i].copiousoutput))
			first = &mc.v[i];
	}
	if (first == NULL && !open) {
		mailcap_free(&mc);
		return false;
	}
	if ((path = temp_copy(ui, a->msg, at, first)) == NULL) {
		mailcap_free(&mc);
		return true;
	}
	c.file = path;
	e = mailcap_find(&mc, at->type, open, run_test, &c);
	if (e != NULL)
		run_entry(ui, &c, e, at, &keep);
	else if (open)
		run_opener(ui, &c, at, &keep);
	else
		done = false;
	if (!keep)
		unlink(path);
	free(path);
	mailcap_free(&mc);
	return done;
}

/* What view does: text here, others through mailcap (as mutt does). */
static void
att_view(struct ui *ui, struct attview *a, enum ui_action act)
{
	const struct mime_part	*p = a->atts[a->sel].part;
	bool			 inline_text;

	inline_text = mime_part_is(p, "text", "plain") ||
	    mime_part_is(p, "message", NULL);
	if (act == A_VIEW_TEXT || (act != A_VIEW_MAILCAP && inline_text)) {
		att_view_text(ui, a);
		return;
	}
	if (att_mailcap(ui, a, false))
		return;
	if (act != A_VIEW_MAILCAP && mime_part_is(p, "text", NULL)) {
		att_view_text(ui, a);
		return;
	}
	ui_message(ui, _("No mailcap entry for %s: o opens it with the "
	    "system's opener, s saves it, T shows it as text."),
	    a->atts[a->sel].type);
}

static bool
att_action(struct ui *ui, struct ui_view *v, enum ui_action act, int32_t key)
{
	struct attview	*a = (struct attview *)v;

	(void)key;
	switch (act) {
	case A_NEXT: case A_NEXT_UNDELETED: case A_NEXT_LINE:
		if (a->sel + 1 < a->n)
			a->sel++;
		break;
	case A_PREV: case A_PREV_UNDELETED: case A_PREV_LINE:
		if (a->sel > 0)
			a->sel--;
		break;
	case A_FIRST: a->sel = 0; break;
	case A_LAST: a->sel = a->n ? a->n - 1 : 0; break;
	case A_VIEW: case A_VIEW_TEXT: case A_SELECT: case A_VIEW_MAILCAP:
		if (a->n > 0 && !att_missing(ui, a))
			att_view(ui, a, act);
		return true;
	case A_OPEN_ATTACH:
		if (a->n > 0 && !att_missing(ui, a))
			att_mailcap(ui, a, true);
		return true;
	case A_SAVE_ATTACH: case A_SAVE:
		if (a->n > 0 && !att_missing(ui, a))
			att_save(ui, a);
		break;
	case A_EXIT: case A_QUIT:
		ui_pop(ui);
		return true;
	default:
		return false;
	}
	ui_dirty(ui, 0);
	return true;
}

void
ui_attach_click(struct ui *ui, int y, bool open)
{
	struct attview	*a = (struct attview *)ui->top;
	size_t		 i;

	if (ui->top->ctx != UI_CTX_ATTACH || y <= ui->layout.pager.y)
		return;
	i = a->top + (size_t)(y - ui->layout.pager.y - 1);
	if (i >= a->n)
		return;
	a->sel = i;
	ui_dirty(ui, 0);
	if (open && !att_missing(ui, a))
		att_view(ui, a, A_VIEW);
}

static void
att_status(struct ui *ui, struct ui_view *v, struct buf *out)
{
	struct attview	*a = (struct attview *)v;

	(void)ui;
	buf_addf(out, _("attachments: %zu"), a->n);
}

static void
att_free(struct ui_view *v)
{
	struct attview	*a = (struct attview *)v;

	mime_attachments_free(&a->atts, a->n);
	mime_message_free(&a->msg);
	store_view_clear(&a->sv);
	free(a);
}

/* The list with the sizes the server gave for parts not here. */
static void
att_list(struct attview *a)
{
	struct mime_render	r;

	mime_attachments(mime_message_root(a->msg), &a->atts, &a->n);
	memset(&r, 0, sizeof r);
	r.atts = a->atts;
	r.natts = a->n;
	ui_msg_mark_missing(&a->sv, &r);
}

/* A part asked for may have arrived: read the message again. */
static void
att_reload(struct ui *ui, struct ui_view *v, unsigned what)
{
	struct attview		*a = (struct attview *)v;
	struct mime_message	*m;
	struct store_view	 sv;
	struct err		 err;

	if (!(what & UI_DIRTY_PAGER) || a->sv.whole || a->sv.nmissing == 0)
		return;
	err_clear(&err);
	if ((m = ui_msg_load_view(ui, a->id, &sv, &err)) == NULL)
		return;
	mime_attachments_free(&a->atts, a->n);
	mime_message_free(&a->msg);
	store_view_clear(&a->sv);
	a->msg = m;
	a->sv = sv;
	att_list(a);
	if (a->sel >= a->n)
		a->sel = a->n > 0 ? a->n - 1 : 0;
	if (a->waiting && a->n > 0 &&
	    !ui_msg_part_missing(&a->sv, a->atts[a->sel].part->section)) {
		a->waiting = false;
		ui_message(ui, _("%s is here."), att_label(&a->atts[a->sel]));
	}
	ui_dirty(ui, 0);
}

void
ui_attach_open(struct ui *ui, int64_t id)
{
	struct attview	*a;
	struct err	 err;
	struct store_view sv;
	struct mime_message *m;

	err_clear(&err);
	if ((m = ui_msg_load_view(ui, id, &sv, &err)) == NULL) {
		if (err.code != ERR_NOTFOUND)
			ui_error(ui, "%s", err.msg);
		else if (ui->jobs != NULL && ui->jobs->fetch_body != NULL) {
			ui->jobs->fetch_body(ui->jobs->arg, id);
			ui_message(ui, "%s", _("Downloading the message; its "
			    "attachments are listed once it is here."));
		} else
			ui_error(ui, "%s", _("The message is not downloaded "
			    "yet."));
		return;
	}
	a = xcalloc(1, sizeof *a);
	a->id = id;
	a->msg = m;
	a->sv = sv;
	att_list(a);
	if (a->n == 0) {
		att_free(&a->view);
		ui_message(ui, "%s", _("No attachments."));
		return;
	}
	a->view.ctx = UI_CTX_ATTACH;
	a->view.title = "attach";
	a->view.draw = att_draw;
	a->view.action = att_action;
	a->view.status = att_status;
	a->view.reload = att_reload;
	a->view.free = att_free;
	a->view.full = true;
	ui_push(ui, &a->view);
}
