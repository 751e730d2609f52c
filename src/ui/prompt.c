/* Questions on the message line: a line editor with completion, and
 * one-key choices.  They wait through ui_getkey(), so resizes, store
 * changes and redraws go on while the user types. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "ui/keymap.h"
#include "ui/priv.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

size_t
ui_token_start(const char *line, size_t cursor, bool list)
{
	size_t	i = cursor;

	if (!list)
		return 0;
	while (i > 0 && line[i - 1] != ',')
		i--;
	while (line[i] == ' ' && i < cursor)
		i++;
	return i;
}

size_t
ui_common_prefix(char *const *v, size_t n)
{
	size_t		len, i, j;
	uint32_t	cp;

	if (n == 0)
		return 0;
	len = strlen(v[0]);
	for (i = 1; i < n; i++) {
		for (j = 0; j < len && v[i][j] == v[0][j]; j++)
			;
		len = j;
	}
	/* Never end inside a UTF-8 sequence. */
	for (i = 0; i < len; ) {
		j = utf8_decode(v[0] + i, strlen(v[0] + i), &cp);
		if (i + j > len)
			break;
		i += j;
	}
	return i;
}

static size_t
prev_char(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && ((unsigned char)s[pos] & 0xc0) == 0x80)
		pos--;
	return pos;
}

static size_t
next_char(const char *s, size_t len, size_t pos)
{
	uint32_t	cp;

	if (pos >= len)
		return len;
	return pos + utf8_decode(s + pos, len - pos, &cp);
}

struct completion {
	char	**v;
	size_t	  n;
	size_t	  next;		/* for cycling with repeated Tab */
	size_t	  start;	/* where the completed token starts */
	bool	  active;
};

static void
completion_reset(struct completion *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static void
replace_token(struct buf *b, size_t *cursor, size_t start, const char *s)
{
	struct buf	tail = BUF_INIT;

	buf_add(&tail, b->data + *cursor, b->len - *cursor);
	buf_truncate(b, start);
	buf_adds(b, s);
	*cursor = b->len;
	buf_add(b, tail.data, tail.len);
	buf_free(&tail);
}

static void
complete(struct ui *ui, struct buf *b, size_t *cursor, ui_complete_fn fn,
    void *arg, struct completion *c, bool list)
{
	char	*prefix;
	size_t	 cp;

	if (c->active && c->n > 1) {
		/* Tab again: cycle through the candidates. */
		replace_token(b, cursor, c->start, c->v[c->next]);
		c->next = (c->next + 1) % c->n;
		return;
	}
	completion_reset(c);
	c->start = ui_token_start(buf_cstr(b), *cursor, list);
	prefix = xstrndup(buf_cstr(b) + c->start, *cursor - c->start);
	fn(ui, prefix, &c->v, &c->n, arg);
	c->active = true;
	if (c->n == 0)
		ui_message(ui, "%s", _("No completions."));
	else if (c->n == 1)
		replace_token(b, cursor, c->start, c->v[0]);
	else {
		cp = ui_common_prefix(c->v, c->n);
		if (cp > strlen(prefix)) {
			char *common = xstrndup(c->v[0], cp);

			replace_token(b, cursor, c->start, common);
			free(common);
		}
		ui_message(ui, _("%zu completions; Tab again to go through "
		    "them."), c->n);
	}
	free(prefix);
}

static int
prompt_run(struct ui *ui, const char *q, const char *initial,
    ui_complete_fn fn, void *arg, bool list, char **answer_r)
{
	struct buf		 b = BUF_INIT;
	struct completion	 comp;
	size_t			 cursor, i;
	int32_t			 key;
	int			 rc = -1;
	bool			 done = false;

	memset(&comp, 0, sizeof comp);
	if (initial != NULL)
		sanitize_append(&b, initial, strlen(initial), 0);
	cursor = b.len;
	ui->prompt_q = q;
	while (!done) {
		ui->prompt_text = buf_cstr(&b);
		ui->prompt_cursor = cursor;
		ui_dirty(ui, 0);
		key = ui_getkey(ui);
		if (key != '\t')
			comp.active = false;
		switch (key) {
		case '\r': case '\n': case UI_KEY_ENTER:
			rc = 0;
			done = true;
			break;
		case UI_KEY_CTRL('G'): case UI_KEY_ESC: case UI_KEY_CTRL('C'):
			done = true;
			break;
		case UI_KEY_BACKSPACE: case UI_KEY_CTRL('H'):
			if (cursor == 0) {
				if (b.len == 0)
					done = true;	/* as mutt does */
				break;
			}
			i = prev_char(b.data, cursor);
			memmove(b.data + i, b.data + cursor, b.len - cursor);
			buf_truncate(&b, b.len - (cursor - i));
			cursor = i;
			break;
		case UI_KEY_DELETE: case UI_KEY_CTRL('D'):
			if (cursor < b.len) {
				i = next_char(b.data, b.len, cursor);
				memmove(b.data + cursor, b.data + i, b.len - i);
				buf_truncate(&b, b.len - (i - cursor));
			}
			break;
		case UI_KEY_LEFT: case UI_KEY_CTRL('B'):
			cursor = prev_char(buf_cstr(&b), cursor);
			break;
		case UI_KEY_RIGHT: case UI_KEY_CTRL('F'):
			cursor = next_char(buf_cstr(&b), b.len, cursor);
			break;
		case UI_KEY_HOME: case UI_KEY_CTRL('A'):
			cursor = 0;
			break;
		case UI_KEY_END: case UI_KEY_CTRL('E'):
			cursor = b.len;
			break;
		case UI_KEY_CTRL('K'):
			buf_truncate(&b, cursor);
			break;
		case UI_KEY_CTRL('U'):
			buf_consume(&b, cursor);
			cursor = 0;
			break;
		case UI_KEY_CTRL('W'):
			i = cursor;
			while (i > 0 && b.data[i - 1] == ' ')
				i--;
			while (i > 0 && b.data[i - 1] != ' ')
				i--;
			memmove(b.data + i, b.data + cursor, b.len - cursor);
			buf_truncate(&b, b.len - (cursor - i));
			cursor = i;
			break;
		case '\t':
			if (fn != NULL)
				complete(ui, &b, &cursor, fn, arg, &comp, list);
			break;
		default:
			if (key < 0x20 || key == 0x7f || key >= UI_KEY_SPECIAL ||
			    (key & UI_KEY_META))
				break;
			{
				struct buf	ch = BUF_INIT;

				utf8_encode(&ch, (uint32_t)key);
				buf_add(&b, ch.data, ch.len);
				memmove(b.data + cursor + ch.len, b.data + cursor,
				    b.len - ch.len - cursor);
				memcpy(b.data + cursor, ch.data, ch.len);
				cursor += ch.len;
				buf_free(&ch);
			}
			break;
		}
	}
	ui->prompt_q = NULL;
	ui->prompt_text = NULL;
	completion_reset(&comp);
	ui_dirty(ui, 0);
	if (rc == 0)
		*answer_r = buf_detach(&b, NULL);
	else {
		*answer_r = NULL;
		buf_free(&b);
	}
	return rc;
}

int
ui_prompt(struct ui *ui, const char *q, const char *initial,
    ui_complete_fn fn, void *arg, char **answer_r)
{
	/* Address completion works per list item. */
	return prompt_run(ui, q, initial, fn, arg, fn == ui_complete_address,
	    answer_r);
}

int
ui_choice(struct ui *ui, const char *q, const char *choices)
{
	int32_t	key;
	int	rc = 0;

	ui->prompt_q = q;
	ui->prompt_text = "";
	ui->prompt_cursor = 0;
	for (;;) {
		ui_dirty(ui, 0);
		key = ui_getkey(ui);
		if (key == UI_KEY_CTRL('G') || key == UI_KEY_ESC ||
		    key == UI_KEY_CTRL('C'))
			break;
		if (key >= 'A' && key <= 'Z')
			key += 'a' - 'A';
		if (key > 0 && key < 0x80 && strchr(choices, key) != NULL) {
			rc = key;
			break;
		}
		if (key == '\r' && strchr(choices, '\r') != NULL) {
			rc = '\r';
			break;
		}
	}
	ui->prompt_q = NULL;
	ui->prompt_text = NULL;
	ui_dirty(ui, 0);
	return rc;
}

bool
ui_yesno(struct ui *ui, const char *q, bool def)
{
	char	*full;
	int	 c;

	full = xasprintf("%s ([%s]/%s): ", q, def ? _("yes") : _("no"),
	    def ? _("no") : _("yes"));
	/* 't' too: Indonesian answers "ya" or "tidak". */
	c = ui_choice(ui, full, "ynt\r");
	free(full);
	if (c == '\r')
		return def;
	return c == 'y';
}

void
ui_complete_address(struct ui *ui, const char *prefix, char ***v, size_t *n,
    void *arg)
{
	struct store_address	*a = NULL;
	struct err		 err;
	struct buf		 b = BUF_INIT;
	size_t			 na = 0, i;

	(void)arg;
	err_clear(&err);
	if (*prefix == '\0' || store_address_complete(ui->store, prefix, 20,
	    &a, &na, &err) == -1)
		return;
	*v = xreallocarray(*v, *n + na, sizeof **v);
	for (i = 0; i < na; i++) {
		buf_reset(&b);
		if (a[i].name != NULL && *a[i].name != '\0') {
			/* Quote names with specials so the list parses back. */
			if (strpbrk(a[i].name, ",;<>@\"()[]:\\.") != NULL) {
				const char *p;

				buf_addc(&b, '"');
				for (p = a[i].name; *p; p++) {
					if (*p == '"' || *p == '\\')
						buf_addc(&b, '\\');
					buf_addc(&b, *p);
				}
				buf_addc(&b, '"');
			} else
				buf_adds(&b, a[i].name);
			buf_addf(&b, " <%s>", a[i].address);
		} else
			buf_adds(&b, a[i].address);
		(*v)[(*n)++] = sanitize_text(buf_cstr(&b), b.len, 0);
	}
	buf_free(&b);
	store_address_list_free(&a, na);
}
