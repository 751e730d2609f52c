/* IMAP date-time ("17-Jul-1996 02:44:25 -0700"), read and written. */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#include "imap/imap.h"
#include "util/buf.h"

static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static int
digits(const char **pp, int n, int *v_r)
{
	const char	*p = *pp;
	int		 v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*v_r = v;
	*pp = p + n;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (no timegm). */
static long
days_from_civil(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
imap_parse_date_time(const char *s, time_t *t_r)
{
	const char	*p = s;
	int		 day, mon, year, hh, mm, ss, zh, zm, sign;
	long long	 t;

	if (*p == ' ')		/* day may be " 7" */
		p++;
	if (*p == '\0')
		return -1;
	if (digits(&p, isdigit((unsigned char)p[1]) ? 2 : 1, &day) < 0 ||
	    *p++ != '-')
		return -1;
	for (mon = 0; mon < 12; mon++) {
		if (strncasecmp(p, months[mon], 3) == 0)
			break;
	}
	if (mon == 12)
		return -1;
	p += 3;
	if (*p++ != '-' || digits(&p, 4, &year) < 0 || *p++ != ' ' ||
	    digits(&p, 2, &hh) < 0 || *p++ != ':' || digits(&p, 2, &mm) < 0 ||
	    *p++ != ':' || digits(&p, 2, &ss) < 0 || *p++ != ' ')
		return -1;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &zh) < 0 || digits(&p, 2, &zm) < 0 || *p != '\0')
		return -1;
	if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || zm > 59)
		return -1;
	t = (long long)days_from_civil(year, mon + 1, day) * 86400 +
	    hh * 3600 + mm * 60 + ss;
	t -= sign * (zh * 3600 + zm * 60);
	*t_r = (time_t)t;
	return 0;
}

void
imap_format_date_time(struct buf *b, time_t t)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	buf_addf(b, "%02d-%s-%04d %02d:%02d:%02d +0000", tm.tm_mday,
	    months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}
