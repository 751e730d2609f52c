/* Sizes, dates, fitted columns and index lines (see format.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "ui/format.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/utf8.h"

size_t
ui_fit(struct buf *out, const char *s, size_t len, size_t cols, int flags)
{
	size_t	n, used, i;

	n = utf8_fit(s, len, cols, &used);
	if ((flags & UI_FIT_RIGHT) && used < cols) {
		for (i = used; i < cols; i++)
			buf_addc(out, ' ');
		buf_add(out, s, n);
		return cols;
	}
	buf_add(out, s, n);
	if ((flags & UI_FIT_PAD) && used < cols) {
		for (i = used; i < cols; i++)
			buf_addc(out, ' ');
		used = cols;
	}
	return used;
}

static void
fmt_scaled(struct buf *out, int64_t n, bool spaced)
{
	static const char	units[] = "KMGTP";
	double			v = (double)n;
	int			u = -1;

	if (n < 0)
		n = 0;
	if (n < 1024) {
		buf_addf(out, spaced ? "%lld B" : "%lld", (long long)n);
		return;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	/* One decimal below ten, where it carries information. */
	if (v < 9.95)
		buf_addf(out, "%.1f", v);
	else
		buf_addf(out, "%.0f", v);
	if (spaced)
		buf_addf(out, " %cB", units[u]);
	else
		buf_addc(out, units[u]);
}

void
ui_fmt_size_short(struct buf *out, int64_t n)
{
	fmt_scaled(out, n, false);
}

void
ui_fmt_size_long(struct buf *out, int64_t n)
{
	fmt_scaled(out, n, true);
}

void
ui_fmt_quota(struct buf *out, int64_t used, int64_t limit)
{
	if (used < 0)
		return;
	ui_fmt_size_long(out, used);
	if (limit > 0) {
		buf_adds(out, _(" of "));
		ui_fmt_size_long(out, limit);
	} else
		buf_adds(out, _(" used"));
}

void
ui_fmt_date(struct buf *out, int64_t t, int64_t now)
{
	struct tm	tm, tn;
	time_t		tt = (time_t)t, tnow = (time_t)now;
	char		s[64];

	if (t <= 0 || localtime_r(&tt, &tm) == NULL ||
	    localtime_r(&tnow, &tn) == NULL) {
		buf_adds(out, "-");
		return;
	}
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		strftime(s, sizeof s, "%H:%M", &tm);
	else if (tm.tm_year == tn.tm_year && t <= now)
		strftime(s, sizeof s, "%b %d", &tm);
	else
		strftime(s, sizeof s, "%b %Y", &tm);
	buf_adds(out, s);
}

void
ui_clean(struct buf *out, const char *s)
{
	if (s != NULL)
		sanitize_append(out, s, strlen(s), 0);
}

void
ui_format_tree(struct buf *out, int depth, const bool *more, bool utf8)
{
	int	l;

	for (l = 1; l < depth; l++) {
		if (more[l - 1])
			buf_adds(out, utf8 ? "\xe2\x94\x82 " : "| ");
		else
			buf_adds(out, "  ");
	}
	if (depth > 0) {
		if (more[depth - 1])
			buf_adds(out, utf8 ? "\xe2\x94\x9c\xe2\x94\x80>" : "|->");
		else
			buf_adds(out, utf8 ? "\xe2\x94\x94\xe2\x94\x80>" : "`->");
	}
}

static void
status_marks(struct buf *out, const struct ui_entry *e)
{
	unsigned	f = e->row->flags;

	buf_addc(out, e->tagged ? '*' : ' ');
	if (f & STORE_FLAG_DELETED)
		buf_addc(out, 'D');
	else if (!(f & STORE_FLAG_SEEN))
		buf_addc(out, 'N');
	else if (f & STORE_FLAG_ANSWERED)
		buf_addc(out, 'r');
	else
		buf_addc(out, ' ');
	buf_addc(out, (f & STORE_FLAG_FLAGGED) ? 'F' : ' ');
	buf_addc(out, e->row->has_attachments ? '@' : ' ');
}

/* The text of one conversion, unfitted. */
static void
conversion(struct buf *out, char c, const struct ui_entry *e)
{
	const struct store_row	*r = e->row;
	struct tm		 tm;
	time_t			 t;
	char			 s[64];

	switch (c) {
	case 'Z':
		status_marks(out, e);
		break;
	case 'd':
		ui_fmt_date(out, r->date, e->now);
		break;
	case 'D':
		t = (time_t)r->date;
		if (localtime_r(&t, &tm) != NULL &&
		    strftime(s, sizeof s, "%Y-%m-%d %H:%M", &tm) > 0)
			buf_adds(out, s);
		break;
	case 'F':
		if (e->from_me) {
			buf_adds(out, _("To "));
			ui_clean(out, r->to);
		} else if (r->from != NULL && *r->from != '\0')
			ui_clean(out, r->from);
		else
			ui_clean(out, r->from_addr);
		break;
	case 'a':
		ui_clean(out, r->from_addr);
		break;
	case 't':
		ui_clean(out, r->to);
		break;
	case 's':
		if (e->tree != NULL)
			buf_adds(out, e->tree);
		ui_clean(out, r->subject);
		if (e->hidden > 0)
			buf_addf(out, " (%zu)", e->hidden + 1);
		break;
	case 'c':
		ui_fmt_size_short(out, r->size);
		break;
	case '%':
		buf_addc(out, '%');
		break;
	}
}

/*
 * Expand fmt (up to its end or a "%>") into out.  Fields with a width
 * are fitted here; the line as a whole is fitted by the caller.
 */
static const char *
expand(struct buf *out, const char *fmt, const struct ui_entry *e)
{
	struct buf	 tmp = BUF_INIT;
	const char	*p = fmt;
	bool		 left;
	unsigned long	 min, max;
	char		*end;

	while (*p != '\0') {
		if (*p != '%') {
			buf_addc(out, *p++);
			continue;
		}
		p++;
		if (*p == '>')
			break;
		left = false;
		if (*p == '-') {
			left = true;
			p++;
		}
		min = strtoul(p, &end, 10);
		p = end;
		max = 0;
		if (*p == '.') {
			max = strtoul(p + 1, &end, 10);
			p = end;
		}
		if (*p == '\0')
			break;
		buf_reset(&tmp);
		conversion(&tmp, *p++, e);
		if (max > 0 && utf8_width(tmp.data ? tmp.data : "", tmp.len) >
		    max) {
			size_t used, n;

			n = utf8_fit(buf_cstr(&tmp), tmp.len, max, &used);
			buf_truncate(&tmp, n);
		}
		if (min > 0)
			ui_fit(out, buf_cstr(&tmp), tmp.len,
			    min > 4096 ? 4096 : (size_t)min,
			    left ? UI_FIT_PAD : UI_FIT_RIGHT);
		else
			buf_add(out, buf_cstr(&tmp), tmp.len);
	}
	buf_free(&tmp);
	return *p == '>' ? p + 1 : NULL;
}

void
ui_format_index(struct buf *out, const char *fmt, const struct ui_entry *e,
    size_t cols)
{
	struct buf	 left = BUF_INIT, right = BUF_INIT;
	const char	*rest;
	size_t		 rw;

	rest = expand(&left, fmt, e);
	if (rest != NULL)
		expand(&right, rest, e);
	rw = utf8_width(buf_cstr(&right), right.len);
	if (rw > cols)
		rw = 0, buf_reset(&right);
	ui_fit(out, buf_cstr(&left), left.len, cols - rw, UI_FIT_PAD);
	buf_add(out, buf_cstr(&right), right.len);
	buf_free(&left);
	buf_free(&right);
}
