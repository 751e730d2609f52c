/*
 * Parameters of Content-Type and Content-Disposition: plain, quoted,
 * RFC 2231 (charset, language, continuations) and the RFC 2047 words some
 * mailers put in quoted file names.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define PARAMS_MAX	64	/* parameters kept per header */
#define SECTIONS_MAX	128	/* continuation sections per parameter */

/* One raw parameter before continuations are joined. */
struct rawparam {
	char	*base;		/* name without "*N" or "*" */
	int	 section;	/* -1: not a continuation */
	bool	 extended;	/* value is charset'lang'%XX */
	char	*value;
};

static const char *
skip_cfws(const char *s, const char *end)
{
	int	depth;

	for (;;) {
		while (s < end && MIME_SPACE(*s))
			s++;
		if (s >= end || *s != '(')
			return s;
		depth = 0;
		for (; s < end; s++) {
			if (*s == '\\' && s + 1 < end)
				s++;
			else if (*s == '(')
				depth++;
			else if (*s == ')' && --depth == 0) {
				s++;
				break;
			}
		}
	}
}

/* Parse the value at s (quoted or token); allocated, s moved past it. */
static char *
param_value(const char **sp, const char *end)
{
	const char	*s = *sp, *start;
	struct buf	 b = BUF_INIT;
	size_t		 len;

	if (s < end && *s == '"') {
		for (s++; s < end && *s != '"'; s++) {
			if (*s == '\\' && s + 1 < end)
				s++;
			if (*s == '\r' || *s == '\n')
				continue;	/* folded quoted string */
			buf_addc(&b, *s);
		}
		if (s < end)
			s++;
		*sp = s;
		return buf_detach(&b, NULL);
	}
	/* A token, or broken unquoted text with spaces: up to ';'. */
	start = s;
	while (s < end && *s != ';')
		s++;
	len = (size_t)(s - start);
	mime_trim(&start, &len);
	*sp = s;
	return xstrndup(start, len);
}

/* Tokens and parameter names are printable ASCII; anything else goes. */
static char *
token_dup(const char *s, size_t len)
{
	char	*t = mime_lowdup(s, len), *d = t, *p;

	for (p = t; *p != '\0'; p++)
		if ((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f)
			*d++ = *p;
	*d = '\0';
	return t;
}

static void
rawparam_add(struct rawparam **v, size_t *n, const char *name, size_t nlen,
    char *value)
{
	struct rawparam	*p;
	const char	*star;
	size_t		 blen = nlen;
	int		 section = -1;
	bool		 ext = false;

	if (*n >= PARAMS_MAX * 4) {
		free(value);
		return;
	}
	if (nlen > 0 && name[nlen - 1] == '*') {
		ext = true;
		blen = --nlen;
	}
	star = memchr(name, '*', nlen);
	if (star != NULL) {
		size_t	i;
		int	sec = 0;

		blen = (size_t)(star - name);
		for (i = blen + 1; i < nlen; i++) {
			if (name[i] < '0' || name[i] > '9' || sec > 10000) {
				sec = -2;
				break;
			}
			sec = sec * 10 + (name[i] - '0');
		}
		if (sec < 0 || i == blen + 1 || sec >= SECTIONS_MAX) {
			free(value);
			return;
		}
		section = sec;
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	p = &(*v)[(*n)++];
	p->base = token_dup(name, blen);
	p->section = section;
	p->extended = ext;
	p->value = value;
}

/* Append %XX-decoded bytes. */
static void
pct_decode(struct buf *out, const char *s)
{
	int	hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '%' && (hi = mime_hexval((unsigned char)s[1])) >= 0 &&
		    (lo = mime_hexval((unsigned char)s[2])) >= 0) {
			buf_addc(out, (char)(hi << 4 | lo));
			s += 2;
		} else
			buf_addc(out, *s);
	}
}

/* Section number a raw piece takes in the RFC 2231 value, -1 if none. */
static int
rawparam_section(const struct rawparam *p)
{
	if (p->section >= 0)
		return p->section;
	return p->extended ? 0 : -1;
}

/* Join the RFC 2231 sections of one parameter and decode the value. */
static char *
param_join(const struct rawparam *v, size_t n, const char *base,
    const char *fallback)
{
	struct buf	 raw = BUF_INIT, out = BUF_INIT;
	char		*charset = NULL;
	const char	*val, *q1, *q2;
	int		 sec, maxsec = -1;
	size_t		 i;
	bool		 any_ext = false;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].base, base) == 0 &&
		    rawparam_section(&v[i]) > maxsec)
			maxsec = rawparam_section(&v[i]);
	for (sec = 0; sec <= maxsec; sec++) {
		for (i = 0; i < n; i++) {
			if (rawparam_section(&v[i]) != sec ||
			    strcmp(v[i].base, base) != 0)
				continue;
			val = v[i].value;
			if (v[i].extended) {
				any_ext = true;
				if (sec == 0 && charset == NULL &&
				    (q1 = strchr(val, '\'')) != NULL &&
				    (q2 = strchr(q1 + 1, '\'')) != NULL) {
					charset = xstrndup(val,
					    (size_t)(q1 - val));
					val = q2 + 1;
				}
				pct_decode(&raw, val);
			} else
				buf_adds(&raw, val);
			break;	/* a duplicate section is ignored */
		}
	}
	if (any_ext && charset != NULL && *charset != '\0')
		mime_text_to_utf8(&out, charset, buf_cstr(&raw), raw.len,
		    fallback);
	else
		mime_rfc2047_decode(&out, buf_cstr(&raw), raw.len, fallback);
	free(charset);
	buf_free(&raw);
	return buf_detach(&out, NULL);
}

/* Each name once, in order: RFC 2231 pieces win over a plain value. */
static void
params_finish(const struct rawparam *v, size_t n, struct mime_params *params,
    const char *fallback)
{
	struct buf	 b = BUF_INIT;
	char		*value;
	size_t		 i, j;
	bool		 ext;

	for (i = 0; i < n; i++) {
		if (mime_params_get(params, v[i].base) != NULL)
			continue;
		ext = false;
		for (j = i; j < n; j++)
			if (rawparam_section(&v[j]) >= 0 &&
			    strcmp(v[j].base, v[i].base) == 0)
				ext = true;
		if (ext) {
			value = param_join(v, n, v[i].base, fallback);
			mime_params_set(params, v[i].base, value);
			free(value);
			continue;
		}
		buf_reset(&b);
		mime_rfc2047_decode(&b, v[i].value, strlen(v[i].value),
		    fallback);
		mime_params_set(params, v[i].base, buf_cstr(&b));
	}
	buf_free(&b);
}

void
mime_params_parse(const char *s, size_t len, const char *fallback,
    char **token_r, struct mime_params *params)
{
	const char	*end = s + len, *start, *name;
	struct rawparam	*raw = NULL;
	size_t		 nraw = 0, nlen, i, tlen;
	char		*value;

	s = skip_cfws(s, end);
	start = s;
	while (s < end && *s != ';' && !MIME_SPACE(*s) && *s != '(')
		s++;
	/* A type split by spaces ("text / plain") is rare; a token is not. */
	tlen = (size_t)(s - start);
	if (token_r != NULL)
		*token_r = token_dup(start, tlen);
	while (s < end) {
		s = skip_cfws(s, end);
		while (s < end && (*s == ';' || MIME_SPACE(*s)))
			s++;
		s = skip_cfws(s, end);
		if (s >= end)
			break;
		name = s;
		while (s < end && *s != '=' && *s != ';' && !MIME_SPACE(*s))
			s++;
		nlen = (size_t)(s - name);
		s = skip_cfws(s, end);
		if (s >= end || *s != '=' || nlen == 0) {
			/* A word without a value: skip it. */
			while (s < end && *s != ';')
				s++;
			continue;
		}
		s = skip_cfws(s + 1, end);
		value = param_value(&s, end);
		rawparam_add(&raw, &nraw, name, nlen, value);
	}
	params_finish(raw, nraw, params, fallback);
	for (i = 0; i < nraw; i++) {
		free(raw[i].base);
		free(raw[i].value);
	}
	free(raw);
}

const char *
mime_params_get(const struct mime_params *params, const char *name)
{
	size_t	i;

	for (i = 0; i < params->n; i++)
		if (strcasecmp(params->v[i].name, name) == 0)
			return params->v[i].value;
	return NULL;
}

void
mime_params_set(struct mime_params *params, const char *name,
    const char *value)
{
	size_t	i;

	for (i = 0; i < params->n; i++) {
		if (strcasecmp(params->v[i].name, name) == 0) {
			free(params->v[i].value);
			params->v[i].value = xstrdup(value);
			return;
		}
	}
	if (params->n >= PARAMS_MAX)
		return;
	params->v = xreallocarray(params->v, params->n + 1,
	    sizeof *params->v);
	params->v[params->n].name = mime_lowdup(name, strlen(name));
	params->v[params->n].value = xstrdup(value);
	params->n++;
}

void
mime_params_free(struct mime_params *params)
{
	size_t	i;

	for (i = 0; i < params->n; i++) {
		free(params->v[i].name);
		free(params->v[i].value);
	}
	xfree(&params->v);
	params->n = 0;
}

/* ---- Encoding -------------------------------------------------------- */

static bool
is_tspecial_free(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    strchr("()<>@,;:\\\"/[]?=", *s) != NULL)
			return false;
	return true;
}

/* Column of the end of the buffer (since its last line break). */
static size_t
buf_col(const struct buf *b)
{
	size_t	i;

	for (i = b->len; i > 0; i--)
		if (b->data[i - 1] == '\n')
			break;
	return b->len - i;
}

static void
param_sep(struct buf *out, size_t n)
{
	buf_addc(out, ';');
	if (buf_col(out) + 1 + n > 76)
		buf_add(out, "\r\n ", 3);
	else
		buf_addc(out, ' ');
}

void
mime_param_encode(struct buf *out, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf	 enc = BUF_INIT;
	size_t		 vlen = strlen(value), i, start, sec;
	const char	*p;

	if (mime_is_ascii(value, vlen) && vlen + strlen(name) < 60) {
		if (is_tspecial_free(value)) {
			param_sep(out, strlen(name) + 1 + vlen);
			buf_addf(out, "%s=%s", name, value);
			return;
		}
		for (p = value; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				break;
		if (*p == '\0') {
			param_sep(out, strlen(name) + 3 + vlen);
			buf_addf(out, "%s=\"", name);
			for (p = value; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					buf_addc(out, '\\');
				buf_addc(out, *p);
			}
			buf_addc(out, '"');
			return;
		}
	}
	/* RFC 2231: UTF-8''%XX, in sections of about 40 characters. */
	for (i = 0; i < vlen; i++) {
		unsigned char c = (unsigned char)value[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c) != NULL)
			buf_addc(&enc, (char)c);
		else {
			buf_addc(&enc, '%');
			buf_addc(&enc, hex[c >> 4]);
			buf_addc(&enc, hex[c & 15]);
		}
	}
	if (enc.len + strlen(name) < 60) {
		param_sep(out, strlen(name) + 10 + enc.len);
		buf_addf(out, "%s*=UTF-8''%s", name, buf_cstr(&enc));
		buf_free(&enc);
		return;
	}
	for (start = 0, sec = 0; start < enc.len; sec++) {
		size_t n = enc.len - start > 40 ? 40 : enc.len - start;
		/* Never split a %XX escape. */
		if (start + n < enc.len) {
			if (enc.data[start + n - 1] == '%')
				n -= 1;
			else if (n >= 2 && enc.data[start + n - 2] == '%')
				n -= 2;
		}
		buf_add(out, ";\r\n ", 4);
		buf_addf(out, "%s*%zu*=%s%.*s", name, sec,
		    sec == 0 ? "UTF-8''" : "", (int)n, enc.data + start);
		start += n;
	}
	buf_free(&enc);
}
