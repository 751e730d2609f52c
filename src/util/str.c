/* Small string helpers. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/str.h"

size_t
str_lcpy(char *dst, const char *src, size_t size)
{
	size_t	len;

	len = strlen(src);
	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool
str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_istarts_with(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_ends_with(const char *s, const char *suffix)
{
	size_t	ls, lx;

	ls = strlen(s);
	lx = strlen(suffix);
	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

char *
str_trim(char *s)
{
	char	*end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

int
str_to_u64(const char *s, uint64_t *v_r)
{
	uint64_t	v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*v_r = v;
	return 0;
}

int
str_to_u32(const char *s, uint32_t *v_r)
{
	uint64_t	v;

	if (str_to_u64(s, &v) != 0 || v > UINT32_MAX)
		return -1;
	*v_r = (uint32_t)v;
	return 0;
}

int
str_to_int(const char *s, int min, int max, int *v_r)
{
	uint64_t	v;
	int		neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (str_to_u64(s, &v) != 0 || v > (uint64_t)INT_MAX + 1)
		return -1;
	if (neg ? -(int64_t)v < min : (int64_t)v > max)
		return -1;
	*v_r = neg ? (int)-(int64_t)v : (int)v;
	if (*v_r < min || *v_r > max)
		return -1;
	return 0;
}

void
str_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

void
str_wipe(void *p, size_t len)
{
	volatile unsigned char	*v = p;

	while (len-- > 0)
		*v++ = 0;
}

void
str_free_secret(char **sp)
{
	if (*sp == NULL)
		return;
	str_wipe(*sp, strlen(*sp));
	free(*sp);
	*sp = NULL;
}
