/* The search prompt's little language (see search.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store/store.h"
#include "ui/search.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* Next word; a "quoted phrase" stays one word, quotes included. */
static const char *
next_word(const char *p, struct buf *w)
{
	bool	q = false;

	buf_reset(w);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return NULL;
	for (; *p != '\0'; p++) {
		if (*p == '"')
			q = !q;
		else if (!q && (*p == ' ' || *p == '\t'))
			break;
		buf_addc(w, *p);
	}
	return p;
}

static void
append(char **field, const char *s)
{
	char	*n;

	if (*s == '\0')
		return;
	if (*field == NULL) {
		*field = xstrdup(s);
		return;
	}
	n = xasprintf("%s %s", *field, s);
	free(*field);
	*field = n;
}

static int64_t
parse_day(const char *s)
{
	struct tm	tm;
	uint32_t	y, m, d;
	char		part[8];

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	memcpy(part, s, 4); part[4] = '\0';
	if (str_to_u32(part, &y) == -1)
		return 0;
	memcpy(part, s + 5, 2); part[2] = '\0';
	if (str_to_u32(part, &m) == -1)
		return 0;
	memcpy(part, s + 8, 2); part[2] = '\0';
	if (str_to_u32(part, &d) == -1)
		return 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

void
ui_query_parse(const char *s, struct ui_query *q)
{
	struct buf	 w = BUF_INIT;
	const char	*p = s, *v;

	memset(q, 0, sizeof *q);
	while ((p = next_word(p, &w)) != NULL) {
		const char *word = buf_cstr(&w);

		if (strncasecmp(word, "from:", 5) == 0)
			append(&q->from, word + 5);
		else if (strncasecmp(word, "to:", 3) == 0)
			append(&q->to, word + 3);
		else if (strncasecmp(word, "subject:", 8) == 0)
			append(&q->subject, word + 8);
		else if (strcasecmp(word, "is:unread") == 0 ||
		    strcasecmp(word, "is:new") == 0)
			q->unread = true;
		else if (strcasecmp(word, "is:flagged") == 0)
			q->flagged = true;
		else if (strcasecmp(word, "has:attachment") == 0 ||
		    strcasecmp(word, "has:attach") == 0)
			q->attachment = true;
		else if (strcasecmp(word, "in:all") == 0)
			q->all_folders = true;
		else if (strncasecmp(word, "after:", 6) == 0 &&
		    parse_day(word + 6) != 0)
			q->after = parse_day(word + 6);
		else if (strncasecmp(word, "before:", 7) == 0 &&
		    parse_day(word + 7) != 0)
			q->before = parse_day(word + 7);
		else {
			v = word;
			append(&q->text, v);
		}
	}
	buf_free(&w);
}

void
ui_query_fill(const struct ui_query *uq, struct store_query *q)
{
	q->text = uq->text;
	q->from = uq->from;
	q->to = uq->to;
	q->subject = uq->subject;
	q->unread = uq->unread;
	q->flagged = uq->flagged;
	q->has_attachment = uq->attachment;
	q->after = uq->after;
	q->before = uq->before;
}

void
ui_query_free(struct ui_query *q)
{
	free(q->text);
	free(q->from);
	free(q->to);
	free(q->subject);
	memset(q, 0, sizeof *q);
}
