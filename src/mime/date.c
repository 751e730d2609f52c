/*
 * Dates as mail really carries them: RFC 5322, obsolete zones, asctime(),
 * IMAP's "01-Jan-2024", ISO 8601, missing pieces; and the sort date of a
 * message when its Date cannot be trusted.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "mime/internal.h"
#include "mime/mime.h"

static const char *const months[] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};

static const char *const wdays[] = {
	"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed",	/* from 1970 */
};

static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Named zones in minutes east of UTC. */
static const struct {
	const char	*name;
	int		 off;
} zones[] = {
	{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 }, { "WET", 0 },
	{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
	{ "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
	{ "AKST", -540 }, { "AKDT", -480 }, { "HST", -600 },
	{ "AST", -240 }, { "ADT", -180 }, { "NST", -210 }, { "NDT", -150 },
	{ "CET", 60 }, { "CEST", 120 }, { "MET", 60 }, { "MEST", 120 },
	{ "MEZ", 60 }, { "MESZ", 120 }, { "BST", 60 }, { "IST", 330 },
	{ "WEST", 60 }, { "EET", 120 }, { "EEST", 180 }, { "MSK", 180 },
	{ "JST", 540 }, { "KST", 540 }, { "HKT", 480 }, { "SGT", 480 },
	{ "WIB", 420 }, { "WITA", 480 }, { "WIT", 540 }, { "ICT", 420 },
	{ "AEST", 600 }, { "AEDT", 660 }, { "ACST", 570 }, { "AWST", 480 },
	{ "NZST", 720 }, { "NZDT", 780 },
};

struct dparse {
	int	year, mon, day, hour, min, sec;
	int	zone;
	int	zone_kind;	/* 0 none, 1 named, 2 numeric */
	bool	have_time;
	int	pm;		/* 0 none, 1 am, 2 pm */
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Read up to max digits; -1 if none. */
static int
read_num(const char **sp, const char *end, int max, int *ndig)
{
	const char	*s = *sp;
	int		 v = 0, n = 0;

	while (s < end && is_digit(*s)) {
		if (n < max)
			v = v * 10 + (*s - '0');
		n++;
		s++;
	}
	*sp = s;
	if (ndig != NULL)
		*ndig = n;
	return n == 0 ? -1 : v;
}

static void
date_word(struct dparse *d, const char *w, size_t len)
{
	size_t	i;

	if (len >= 3) {
		for (i = 0; i < 12; i++)
			if (strncasecmp(w, months[i], 3) == 0 &&
			    d->mon == 0) {
				/* "May" is also no weekday: months first. */
				d->mon = (int)i + 1;
				return;
			}
	}
	if (mime_eq(w, len, "am")) {
		d->pm = 1;
		return;
	}
	if (mime_eq(w, len, "pm")) {
		d->pm = 2;
		return;
	}
	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		if (mime_eq(w, len, zones[i].name)) {
			if (d->zone_kind < 2) {
				d->zone = zones[i].off;
				d->zone_kind = 1;
			}
			return;
		}
	}
	/* Military zones: their signs were reversed in RFC 822; use 0. */
	if (len == 1 && d->have_time && d->zone_kind == 0) {
		d->zone = 0;
		d->zone_kind = 1;
	}
}

/* hh:mm[:ss][.frac]; s points at the first digit. */
static const char *
date_time(struct dparse *d, const char *s, const char *end)
{
	int	v;

	d->hour = read_num(&s, end, 2, NULL);
	if (s < end && (*s == ':' || *s == '.')) {
		s++;
		if ((v = read_num(&s, end, 2, NULL)) >= 0)
			d->min = v;
	}
	if (s < end && *s == ':') {
		s++;
		if ((v = read_num(&s, end, 2, NULL)) >= 0)
			d->sec = v;
	}
	if (s < end && (*s == '.' || *s == ',') && s + 1 < end &&
	    is_digit(s[1])) {
		s++;
		read_num(&s, end, 9, NULL);
	}
	d->have_time = true;
	return s;
}

/* +hhmm, -hh:mm, +hh; s points at the sign. */
static const char *
date_zone(struct dparse *d, const char *s, const char *end)
{
	int	sign = *s == '-' ? -1 : 1, v, n, m = 0;

	s++;
	v = read_num(&s, end, 4, &n);
	if (n == 2 && s < end && *s == ':') {
		s++;
		m = read_num(&s, end, 2, NULL);
		if (m < 0)
			m = 0;
		v = v * 100 + m;
	} else if (n <= 2)
		v *= 100;
	else if (n != 4)
		return s;
	if (v / 100 > 23 || v % 100 > 59)
		return s;
	d->zone = sign * ((v / 100) * 60 + v % 100);
	d->zone_kind = 2;
	return s;
}

static void
date_number(struct dparse *d, int v, int ndig)
{
	if ((ndig >= 3 || v > 31) && d->year < 0) {
		/* "97" is 1997, "123" is 2023 (a tm_year printed raw). */
		if (ndig <= 2)
			d->year = v < 50 ? 2000 + v : 1900 + v;
		else
			d->year = ndig == 3 ? v + 1900 : v;
		return;
	}
	if (d->day < 0 && ndig <= 2 && v >= 1) {
		d->day = v;
		return;
	}
	if (d->year < 0 && ndig <= 2)
		d->year = v < 50 ? 2000 + v : 1900 + v;
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30,
	    31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int
mime_date_parse(const char *s, size_t len, int64_t *t_r, int *tzoff_r)
{
	struct dparse	 d = { -1, 0, -1, 0, 0, 0, 0, 0, false, 0 };
	const char	*end = s + len, *w;
	int		 v, n, depth;
	int64_t		 days;

	while (s < end) {
		if (*s == '(') {
			for (depth = 0; s < end; s++) {
				if (*s == '(')
					depth++;
				else if (*s == ')' && --depth == 0)
					break;
			}
			if (s < end)
				s++;
			continue;
		}
		if (is_alpha(*s)) {
			w = s;
			while (s < end && is_alpha(*s))
				s++;
			/* ISO 8601 "T" between date and time. */
			if (s - w == 1 && (*w == 'T' || *w == 't') && s < end &&
			    is_digit(*s) && d.day >= 0 && !d.have_time)
				continue;
			date_word(&d, w, (size_t)(s - w));
			continue;
		}
		if ((*s == '+' || *s == '-') && s + 1 < end &&
		    is_digit(s[1]) && d.have_time) {
			s = date_zone(&d, s, end);
			continue;
		}
		if (!is_digit(*s)) {
			s++;
			continue;
		}
		w = s;
		v = read_num(&s, end, 9, &n);
		if (s < end && *s == ':' && n <= 2 && !d.have_time) {
			s = date_time(&d, w, end);
			continue;
		}
		if (n == 4 && s + 5 <= end && *s == '-' &&
		    is_digit(s[1]) && is_digit(s[2]) && s[3] == '-' &&
		    is_digit(s[4]) && d.year < 0) {
			/* ISO 8601 2024-01-31 */
			d.year = v;
			s++;
			d.mon = read_num(&s, end, 2, NULL);
			s++;
			d.day = read_num(&s, end, 2, NULL);
			continue;
		}
		if (n > 9)
			continue;
		date_number(&d, v, n);
	}
	if (d.year < 0 || d.mon < 1 || d.mon > 12 || d.day < 1)
		return -1;
	if (d.year < 1000 || d.year > 9999)
		return -1;
	if (d.day > days_in_month(d.year, d.mon))
		return -1;
	if (d.pm == 2 && d.hour < 12)
		d.hour += 12;
	else if (d.pm == 1 && d.hour == 12)
		d.hour = 0;
	if (d.hour > 23 || d.min > 59 || d.sec > 60)
		return -1;
	if (d.sec == 60)
		d.sec = 59;
	days = mime_days_from_civil(d.year, d.mon, d.day);
	*t_r = days * 86400 + d.hour * 3600 + d.min * 60 + d.sec -
	    (int64_t)d.zone * 60;
	if (tzoff_r != NULL)
		*tzoff_r = d.zone;
	return 0;
}

/* The date after the last ';' of the first Received field. */
static int
received_date(const struct mime_headers *hs, int64_t *t_r)
{
	const struct mime_header	*h;
	const char			*semi;
	size_t				 i;

	for (i = 0; (h = mime_headers_at(hs, i)) != NULL; i++) {
		if (!mime_eq(h->name, h->name_len, "received"))
			continue;
		if ((semi = strrchr(h->value, ';')) == NULL)
			continue;
		if (mime_date_parse(semi + 1, strlen(semi + 1), t_r,
		    NULL) == 0)
			return 0;
	}
	return -1;
}

int64_t
mime_date_sortkey(const struct mime_headers *hs, int64_t received)
{
	const char	*v;
	int64_t		 t, limit;

	limit = (received != 0 ? received : (int64_t)time(NULL)) + 86400;
	if ((v = mime_headers_get(hs, "date")) != NULL &&
	    mime_date_parse(v, strlen(v), &t, NULL) == 0 && t >= 0 &&
	    t <= limit)
		return t;
	if (received_date(hs, &t) == 0 && t >= 0 && t <= limit)
		return t;
	if (received != 0)
		return received;
	return 0;
}

void
mime_date_format(struct buf *out, int64_t t, int tzoff)
{
	int64_t	local, days, y, secs;
	int	m, d, off;

	if (tzoff < -24 * 60 || tzoff > 24 * 60)
		tzoff = 0;
	local = t + (int64_t)tzoff * 60;
	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	secs = local - days * 86400;
	mime_civil_from_days(days, &y, &m, &d);
	off = tzoff < 0 ? -tzoff : tzoff;
	buf_addf(out, "%s, %02d %s %04lld %02d:%02d:%02d %c%02d%02d",
	    wdays[((days % 7) + 7) % 7], d, month_names[m - 1], (long long)y,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
	    tzoff < 0 ? '-' : '+', off / 60, off % 60);
}
