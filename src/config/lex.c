/*
 * The line syntax of the config file, shared by the loader and the
 * writer: sections, key = value, quoting and comments.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

void
cfg_line_clear(struct cfg_line *l)
{
	xfree(&l->section);
	xfree(&l->arg);
	xfree(&l->key);
	if (l->value != NULL)
		str_free_secret(&l->value);	/* may be a password */
	l->kind = CFG_LINE_BLANK;
}

bool
cfg_section_free(const char *name)
{
	return strcmp(name, "colors") == 0 || strcmp(name, "keys") == 0;
}

/*
 * A quoted string starting at *pp (on the opening quote) into out; *pp
 * ends after the closing quote.
 */
static int
lex_quoted(const char **pp, const char *end, struct buf *out,
    const char **why_r)
{
	const char	*p = *pp + 1;

	for (; p < end; p++) {
		if (*p == '"') {
			*pp = p + 1;
			return 0;
		}
		if (*p == '\\') {
			if (p + 1 >= end) {
				*why_r = N_("a quoted value ends in a "
				    "backslash");
				return -1;
			}
			if (p[1] != '"' && p[1] != '\\') {
				*why_r = N_("unknown escape in a quoted value "
				    "(only \\\" and \\\\ are known)");
				return -1;
			}
			p++;
		}
		buf_addc(out, *p);
	}
	*why_r = N_("missing closing quote");
	return -1;
}

/* After a value or header: only white space, then maybe a comment. */
static bool
rest_is_comment(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p == end || *p == '#';
}

static int
lex_section(const char *p, const char *end, struct cfg_line *l,
    const char **why_r)
{
	const char	*close, *q;
	struct buf	 arg = BUF_INIT;

	p++;	/* '[' */
	while (p < end && is_space(*p))
		p++;
	for (q = p; q < end && *q >= 'a' && *q <= 'z'; q++)
		;
	if (q == p) {
		*why_r = N_("expected a section name such as [general] or "
		    "[account NAME]");
		return -1;
	}
	l->section = xstrndup(p, (size_t)(q - p));
	p = q;
	while (p < end && is_space(*p))
		p++;
	if (p < end && *p == '"') {
		if (lex_quoted(&p, end, &arg, why_r) != 0) {
			buf_free(&arg);
			return -1;
		}
		l->arg = buf_detach(&arg, NULL);
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p != ']') {
			*why_r = N_("expected ']' after the quoted name");
			return -1;
		}
		close = p;
	} else {
		close = memchr(p, ']', (size_t)(end - p));
		if (close == NULL) {
			*why_r = N_("missing ']' at the end of the section "
			    "header");
			return -1;
		}
		q = close;
		while (q > p && is_space(q[-1]))
			q--;
		if (q > p)
			l->arg = xstrndup(p, (size_t)(q - p));
	}
	if (!rest_is_comment(close + 1, end)) {
		*why_r = N_("unexpected text after the section header");
		return -1;
	}
	l->kind = CFG_LINE_SECTION;
	return 0;
}

static int
lex_key(const char **pp, const char *end, bool free_keys, struct cfg_line *l,
    const char **why_r)
{
	const char	*p = *pp, *eq, *q;
	struct buf	 key = BUF_INIT;

	if (free_keys && *p == '"') {
		if (lex_quoted(&p, end, &key, why_r) != 0) {
			buf_free(&key);
			return -1;
		}
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p != '=' || key.len == 0) {
			buf_free(&key);
			*why_r = N_("expected 'key = value'");
			return -1;
		}
		l->key = buf_detach(&key, NULL);
		*pp = p + 1;
		return 0;
	}
	eq = memchr(p, '=', (size_t)(end - p));
	if (eq == NULL) {
		*why_r = N_("expected 'key = value'");
		return -1;
	}
	q = eq;
	while (q > p && is_space(q[-1]))
		q--;
	if (q == p) {
		*why_r = N_("expected a key before '='");
		return -1;
	}
	l->key = xstrndup(p, (size_t)(q - p));
	if (!free_keys && strpbrk(l->key, " \t\"") != NULL) {
		*why_r = N_("expected 'key = value' (a key has no spaces)");
		return -1;
	}
	*pp = eq + 1;
	return 0;
}

static int
lex_value(const char *p, const char *end, struct cfg_line *l,
    const char **why_r)
{
	struct buf	 v = BUF_INIT;
	const char	*q;

	while (p < end && is_space(*p))
		p++;
	if (p < end && *p == '"') {
		if (lex_quoted(&p, end, &v, why_r) != 0) {
			cfg_buf_wipe(&v);
			return -1;
		}
		if (!rest_is_comment(p, end)) {
			cfg_buf_wipe(&v);
			*why_r = N_("unexpected text after the closing quote");
			return -1;
		}
		l->value = buf_detach(&v, NULL);
		return 0;
	}
	/* '#' starts a comment only after white space: "a#b" is a value. */
	for (q = p; q < end; q++) {
		if (*q == '#' && is_space(q[-1]))
			break;
	}
	while (q > p && is_space(q[-1]))
		q--;
	l->value = xstrndup(p, (size_t)(q - p));
	return 0;
}

int
cfg_lex_line(const char *line, size_t len, bool free_keys, struct cfg_line *l,
    const char **why_r)
{
	const char	*p = line, *end = line + len;
	size_t		 i;

	memset(l, 0, sizeof *l);
	if (len > 0 && line[len - 1] == '\r')
		end--;
	for (i = 0; line + i < end; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			*why_r = N_("control character in the line");
			return -1;
		}
	}
	while (p < end && is_space(*p))
		p++;
	if (p == end || *p == '#')
		return 0;
	if (*p == '[') {
		if (lex_section(p, end, l, why_r) == 0)
			return 0;
	} else if (lex_key(&p, end, free_keys, l, why_r) == 0 &&
	    lex_value(p, end, l, why_r) == 0) {
		l->kind = CFG_LINE_KV;
		return 0;
	}
	cfg_line_clear(l);
	return -1;
}

/* Whether a value survives unquoted: the lexer would give it back as is. */
static bool
value_plain(const char *v)
{
	size_t	len = strlen(v);
	size_t	i;

	if (len == 0 || is_space(v[0]) || is_space(v[len - 1]) || v[0] == '"')
		return false;
	for (i = 0; i < len; i++) {
		if (v[i] == '#' && (i == 0 || is_space(v[i - 1])))
			return false;
	}
	return true;
}

static void
put_quoted(struct buf *b, const char *v)
{
	buf_addc(b, '"');
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *v);
	}
	buf_addc(b, '"');
}

void
cfg_put_value(struct buf *b, const char *v)
{
	if (value_plain(v))
		buf_adds(b, v);
	else
		put_quoted(b, v);
}

void
cfg_put_account_header(struct buf *b, const char *name)
{
	buf_adds(b, "[account ");
	if (strpbrk(name, " \t#]\"\\") != NULL)
		put_quoted(b, name);
	else
		buf_adds(b, name);
	buf_adds(b, "]\n");
}

bool
cfg_valid_account_name(const char *name, const char **why_r)
{
	const unsigned char *p;

	if (*name == '\0') {
		*why_r = N_("an account needs a name: [account NAME]");
		return false;
	}
	if (strlen(name) > CFG_MAX_NAME) {
		*why_r = N_("account name longer than 64 bytes");
		return false;
	}
	if (is_space(name[0]) || is_space(name[strlen(name) - 1])) {
		*why_r = N_("account name starts or ends with a space");
		return false;
	}
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '/') {
			*why_r = N_("account name with a control character "
			    "or '/'");
			return false;
		}
	}
	return true;
}

void
cfg_buf_wipe(struct buf *b)
{
	if (b->data != NULL)
		str_wipe(b->data, b->cap);
	buf_free(b);
}

int
cfg_read_file(const char *path, struct buf *out, struct err *e)
{
	struct stat	st;
	char		chunk[4096];
	ssize_t		n;
	int		fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		if (errno == ENOENT) {
			err_set(e, ERR_NOTFOUND, _("no configuration at %s; "
			    "run 'surat setup'"), path);
		} else {
			err_set(e, ERR_IO, _("%s: cannot open: %s"), path,
			    strerror(errno));
		}
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		err_set(e, ERR_CONFIG, _("%s: not a regular file"), path);
		close(fd);
		return -1;
	}
	/* One allocation up front: no stale copies of a password. */
	if (st.st_size > 0 && st.st_size <= CFG_MAX_FILE)
		buf_reserve(out, (size_t)st.st_size + 1);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err_set(e, ERR_IO, _("%s: cannot read: %s"), path,
			    strerror(errno));
			break;
		}
		if (n == 0) {
			str_wipe(chunk, sizeof chunk);
			close(fd);
			return 0;
		}
		if (out->len + (size_t)n > CFG_MAX_FILE) {
			err_set(e, ERR_CONFIG, _("%s: larger than %d KiB; "
			    "is this really a configuration file?"), path,
			    CFG_MAX_FILE / 1024);
			break;
		}
		buf_add(out, chunk, (size_t)n);
	}
	str_wipe(chunk, sizeof chunk);
	close(fd);
	cfg_buf_wipe(out);
	return -1;
}
