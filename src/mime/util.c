/* Small helpers shared by the mime module: trimming, hex, random, dates. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

void
mime_trim(const char **s, size_t *len)
{
	while (*len > 0 && MIME_SPACE((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && MIME_SPACE((*s)[*len - 1]))
		(*len)--;
}

bool
mime_eq(const char *s, size_t len, const char *c)
{
	return strlen(c) == len && strncasecmp(s, c, len) == 0;
}

bool
mime_is_ascii(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

int
mime_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
mime_add_lf(struct buf *out, const char *s, size_t len)
{
	size_t	i, start = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\r')
			continue;
		buf_add(out, s + start, i - start);
		if (i + 1 >= len || s[i + 1] != '\n')
			buf_addc(out, '\n');
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

void
mime_random(void *p, size_t len)
{
	unsigned char	*u = p;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	while (got < len) {
		n = getrandom(u + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got == len)
		return;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		while (got < len && (n = read(fd, u + got, len - got)) > 0)
			got += (size_t)n;
		close(fd);
	}
	/* Last resort: unique enough for Message-IDs and boundaries. */
	while (got < len) {
		u[got] = (unsigned char)(time(NULL) ^ (getpid() << 3) ^ got);
		got++;
	}
}

char *
mime_lowdup(const char *s, size_t len)
{
	char	*p;
	size_t	 i;

	p = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		p[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
	p[len] = '\0';
	return p;
}

/* The usual era-based conversion between civil dates and day numbers. */
int64_t
mime_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
mime_civil_from_days(int64_t z, int64_t *y_r, int *m_r, int *d_r)
{
	int64_t		era, doe, yoe, doy, mp, y;
	int		m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d_r = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*m_r = m;
	*y_r = y + (m <= 2);
}

void
mime_expand_tabs(struct buf *out, const char *s, size_t len)
{
	size_t		i, n, col = 0;
	uint32_t	cp;

	for (i = 0; i < len; i += n) {
		if (s[i] == '\t') {
			do
				buf_addc(out, ' ');
			while (++col % 8 != 0);
			n = 1;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		buf_add(out, s + i, n);
		col += (size_t)utf8_cp_width(cp);
	}
}

void
mime_strlist_add(struct mime_strlist *l, const char *s, size_t len)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrndup(s, len);
}

void
mime_strlist_free(struct mime_strlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	xfree(&l->v);
	l->n = 0;
}
