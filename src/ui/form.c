/*
 * The setup wizard's form: one screen of labelled fields, edited with the
 * keys people expect from a line editor.  Plain curses, so it also runs on
 * first start, before the mail reader has set anything up.
 */
#include <config.h>

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "ui/form.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/utf8.h"

#define LABEL_COLS	26
#define CTRL(c)		((c) & 0x1f)
#define KEY_ESCAPE	27

const char *
form_choice(const struct form_field *f)
{
	return f->choices[f->choice];
}

void
form_set(struct form_field *f, const char *v)
{
	size_t	i;

	if (f->kind == FORM_CHOICE) {
		for (i = 0; f->choices[i] != NULL; i++)
			if (strcmp(f->choices[i], v) == 0)
				f->choice = (int)i;
		return;
	}
	snprintf(f->value, sizeof f->value, "%s", v != NULL ? v : "");
}

void
form_message(struct form *form, bool error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(form->message, sizeof form->message, fmt, ap);
	va_end(ap);
	form->message_is_error = error;
}

void
form_focus(struct form *form, size_t i)
{
	if (i < form->nfields && !form->fields[i].hidden)
		form->current = i;
}

/* The last `cols` columns' worth of s, so the end being typed shows. */
static const char *
tail_fitting(const char *s, size_t cols)
{
	size_t	len = strlen(s);

	while (*s != '\0' && utf8_width(s, len) > cols) {
		uint32_t	cp;
		size_t		n = utf8_decode(s, len, &cp);

		if (n == 0)
			n = 1;
		s += n;
		len -= n;
	}
	return s;
}

static int
draw_paragraph(int row, int cols, const char *text)
{
	const char	*p = text;

	while (*p != '\0' && row < LINES - 3) {
		size_t	used, n;
		const char *nl = strchr(p, '\n');
		size_t	linelen = nl ? (size_t)(nl - p) : strlen(p);

		n = utf8_fit(p, linelen, (size_t)cols - 2, &used);
		/* Break at the last space that fits, like a person would. */
		if (n < linelen) {
			size_t	k = n;

			while (k > 0 && p[k] != ' ')
				k--;
			if (k > 0)
				n = k;
		}
		mvaddnstr(row++, 1, p, (int)n);
		p += n;
		while (*p == ' ')
			p++;
		if (*p == '\n')
			p++;
	}
	return row;
}

static void
draw_value(const struct form_field *f, bool current, int cols)
{
	char		 stars[FORM_VALUE_MAX];
	const char	*shown = f->value;
	size_t		 n;

	if (f->kind == FORM_SECRET) {
		n = strlen(f->value) < sizeof stars - 1 ?
		    strlen(f->value) : sizeof stars - 1;
		memset(stars, '*', n);
		stars[n] = '\0';
		shown = stars;
	} else if (f->kind == FORM_CHOICE) {
		shown = form_choice(f);
	}
	if (current)
		attron(A_REVERSE);
	if (f->kind == FORM_CHOICE)
		printw("< %s >", shown);
	else
		addstr(tail_fitting(shown, (size_t)(cols > 4 ? cols - 2 : 2)));
	if (current)
		attroff(A_REVERSE);
}

void
form_draw(struct form *form)
{
	int	 row = 0, cursor_row = -1, cursor_col = 0;
	int	 valcols = COLS - LABEL_COLS - 3;
	size_t	 i;

	erase();
	attron(A_BOLD);
	mvaddstr(row, 1, form->title);
	attroff(A_BOLD);
	row += 2;
	if (form->note != NULL)
		row = draw_paragraph(row, COLS, form->note) + 1;
	for (i = 0; i < form->nfields && row < LINES - 3; i++) {
		const struct form_field *f = &form->fields[i];

		if (f->hidden)
			continue;
		mvprintw(row, 1, "%*s ", LABEL_COLS - 1, f->label);
		move(row, LABEL_COLS + 1);
		draw_value(f, i == form->current, valcols);
		if (i == form->current) {
			cursor_row = row;
			getyx(stdscr, cursor_row, cursor_col);
		}
		row++;
	}
	if (form->current < form->nfields &&
	    form->fields[form->current].hint != NULL)
		draw_paragraph(row + 1, COLS,
		    form->fields[form->current].hint);
	if (form->message[0] != '\0') {
		if (form->message_is_error)
			attron(A_BOLD);
		mvaddnstr(LINES - 2, 1, form->message, COLS - 2);
		attroff(A_BOLD);
	}
	mvaddnstr(LINES - 1, 1,
	    _("Enter: next  Up/Down: move  Ctrl-B: back  Esc: cancel"),
	    COLS - 2);
	if (cursor_row >= 0)
		move(cursor_row, cursor_col);
	refresh();
}

static void
delete_last_char(char *s)
{
	size_t	len = strlen(s);

	/* Step back over UTF-8 continuation bytes. */
	while (len > 0) {
		len--;
		if (((unsigned char)s[len] & 0xc0) != 0x80)
			break;
	}
	s[len] = '\0';
}

static void
insert_char(struct form_field *f, wint_t wc)
{
	struct buf	 b = BUF_INIT;
	size_t		 len = strlen(f->value);

	if (f->kind == FORM_NUMBER && (wc < '0' || wc > '9'))
		return;
	if (wc < 0x20 || wc == 0x7f)
		return;
	/* Fields hold UTF-8 whatever the locale says. */
	utf8_encode(&b, (uint32_t)wc);
	if (b.len > 0 && len + b.len < sizeof f->value) {
		memcpy(f->value + len, b.data, b.len);
		f->value[len + b.len] = '\0';
	}
	buf_free(&b);
}

static void
move_focus(struct form *form, int dir)
{
	size_t	i = form->current;

	do {
		if (dir > 0 && i + 1 < form->nfields)
			i++;
		else if (dir < 0 && i > 0)
			i--;
		else
			return;
	} while (form->fields[i].hidden);
	form->current = i;
}

static bool
on_last_field(const struct form *form)
{
	size_t	i;

	for (i = form->current + 1; i < form->nfields; i++)
		if (!form->fields[i].hidden)
			return false;
	return true;
}

static void
cycle_choice(struct form_field *f, int dir)
{
	int	n = 0;

	while (f->choices[n] != NULL)
		n++;
	f->choice = (f->choice + dir + n) % n;
}

static int	handle_key(struct form *, struct form_field *, int, wint_t);

enum form_result
form_run(struct form *form)
{
	wint_t	 wc;
	int	 r;

	if (form->fields[form->current].hidden)
		move_focus(form, 1);
	for (;;) {
		struct form_field *f = &form->fields[form->current];

		form_draw(form);
		r = get_wch(&wc);
		if (r == ERR)
			continue;
		form->message[0] = '\0';
		r = handle_key(form, f, r, wc);
		if (form->changed != NULL)
			form->changed(form, form->changed_arg);
		if (r >= 0)
			return (enum form_result)r;
	}
}

/* One key: -1 to go on, else a form_result. */
static int
handle_key(struct form *form, struct form_field *f, int r, wint_t wc)
{
	{
		if (r == KEY_CODE_YES) {
			switch (wc) {
			case KEY_UP:
			case KEY_BTAB:
				move_focus(form, -1);
				break;
			case KEY_DOWN:
				move_focus(form, 1);
				break;
			case KEY_LEFT:
			case KEY_RIGHT:
				if (f->kind == FORM_CHOICE)
					cycle_choice(f, wc == KEY_LEFT ? -1 : 1);
				break;
			case KEY_BACKSPACE:
				delete_last_char(f->value);
				break;
			case KEY_ENTER:
				goto enter;
			}
			return -1;
		}
		switch (wc) {
		case '\t':
			move_focus(form, 1);
			break;
		case '\r':
		case '\n':
		enter:
			if (on_last_field(form))
				return FORM_DONE;
			move_focus(form, 1);
			break;
		case CTRL('x'):
			return FORM_DONE;
		case CTRL('b'):
			return FORM_BACK;
		case KEY_ESCAPE:
		case CTRL('c'):
			if (form_ask(_("Leave the setup without saving?"),
			    false))
				return FORM_CANCEL;
			break;
		case CTRL('u'):
			f->value[0] = '\0';
			break;
		case CTRL('h'):
		case 0x7f:
			delete_last_char(f->value);
			break;
		case ' ':
			if (f->kind == FORM_CHOICE) {
				cycle_choice(f, 1);
				break;
			}
			/* FALLTHROUGH */
		default:
			if (f->kind != FORM_CHOICE)
				insert_char(f, wc);
			break;
		}
	}
	return -1;
}

bool
form_ask(const char *question, bool def)
{
	wint_t	wc;
	int	r;

	for (;;) {
		move(LINES - 2, 0);
		clrtoeol();
		attron(A_BOLD);
		mvprintw(LINES - 2, 1, "%s %s ", question,
		    def ? _("[Y/n]") : _("[y/N]"));
		attroff(A_BOLD);
		refresh();
		r = get_wch(&wc);
		if (r == ERR || r == KEY_CODE_YES)
			continue;
		if (wc == '\n' || wc == '\r')
			return def;
		/* Both English and Indonesian answers: y/n and y(a)/t(idak). */
		if (wc == 'y' || wc == 'Y')
			return true;
		if (wc == 'n' || wc == 'N' || wc == 't' || wc == 'T' ||
		    wc == KEY_ESCAPE)
			return false;
	}
}

void
form_show(const char *title, const char *text)
{
	wint_t	wc;

	erase();
	attron(A_BOLD);
	mvaddstr(0, 1, title);
	attroff(A_BOLD);
	draw_paragraph(2, COLS, text);
	mvaddnstr(LINES - 1, 1, _("Press any key to go on."), COLS - 2);
	refresh();
	while (get_wch(&wc) == ERR)
		;
}
