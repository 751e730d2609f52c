/* A small JSON writer: structure bookkeeping and RFC 8259 string escaping. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

struct json {
	struct buf	*out;
	int		 flags;
	int		 depth;
	/* Per level: how many values were written, and whether it is an
	 * object (keys before values). */
	size_t		 count[JSON_MAX_DEPTH + 1];
	bool		 object[JSON_MAX_DEPTH + 1];
	bool		 after_key;
};

struct json *
json_new(struct buf *out, int flags)
{
	struct json	*j;

	j = xcalloc(1, sizeof *j);
	j->out = out;
	j->flags = flags;
	return j;
}

void
json_free(struct json **jp)
{
	xfree(jp);
}

int
json_depth(const struct json *j)
{
	return j->depth;
}

static void
newline(struct json *j)
{
	int	i;

	if ((j->flags & JSON_PRETTY) == 0)
		return;
	buf_addc(j->out, '\n');
	for (i = 0; i < j->depth; i++)
		buf_adds(j->out, "  ");
}

/* What comes before any value or key: a comma and layout. */
static void
before_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->count[j->depth] > 0)
			buf_addc(j->out, ',');
		newline(j);
	}
	j->count[j->depth]++;
}

static void
open_level(struct json *j, char c, bool object)
{
	before_item(j);
	buf_addc(j->out, c);
	/* Deeper than the cap is a bug in the caller; stay well-formed by
	 * refusing to track more (the output keeps its brackets). */
	if (j->depth < JSON_MAX_DEPTH)
		j->depth++;
	j->count[j->depth] = 0;
	j->object[j->depth] = object;
}

static void
close_level(struct json *j, char c)
{
	bool	had = j->depth > 0 && j->count[j->depth] > 0;

	if (j->depth > 0)
		j->depth--;
	if (had)
		newline(j);
	buf_addc(j->out, c);
}

void
json_object_begin(struct json *j)
{
	open_level(j, '{', true);
}

void
json_object_end(struct json *j)
{
	close_level(j, '}');
}

void
json_array_begin(struct json *j)
{
	open_level(j, '[', false);
}

void
json_array_end(struct json *j)
{
	close_level(j, ']');
}

void
json_key(struct json *j, const char *key)
{
	before_item(j);
	json_escape(j->out, key, strlen(key));
	buf_adds(j->out, (j->flags & JSON_PRETTY) ? ": " : ":");
	j->after_key = true;
}

void
json_escape(struct buf *out, const char *s, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i = 0, n;
	uint32_t		cp;

	buf_addc(out, '"');
	while (i < len) {
		unsigned char	c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			buf_addc(out, (char)c);
			i++;
			continue;
		}
		if (c < 0x80) {
			switch (c) {
			case '"': buf_adds(out, "\\\""); break;
			case '\\': buf_adds(out, "\\\\"); break;
			case '\b': buf_adds(out, "\\b"); break;
			case '\f': buf_adds(out, "\\f"); break;
			case '\n': buf_adds(out, "\\n"); break;
			case '\r': buf_adds(out, "\\r"); break;
			case '\t': buf_adds(out, "\\t"); break;
			default:
				buf_adds(out, "\\u00");
				buf_addc(out, hex[c >> 4]);
				buf_addc(out, hex[c & 0xf]);
				break;
			}
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == 0x2028 || cp == 0x2029)
			buf_addf(out, "\\u%04" PRIx32, cp);
		else if (cp == UTF8_REPLACEMENT && n == 1)
			utf8_encode(out, UTF8_REPLACEMENT);
		else
			buf_add(out, s + i, n);
		i += n;
	}
	buf_addc(out, '"');
}

void
json_string_len(struct json *j, const char *s, size_t len)
{
	before_item(j);
	json_escape(j->out, s, len);
}

void
json_string(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_string_len(j, s, strlen(s));
}

void
json_int(struct json *j, int64_t v)
{
	before_item(j);
	buf_addf(j->out, "%" PRId64, v);
}

void
json_uint(struct json *j, uint64_t v)
{
	before_item(j);
	buf_addf(j->out, "%" PRIu64, v);
}

void
json_bool(struct json *j, bool v)
{
	before_item(j);
	buf_adds(j->out, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	before_item(j);
	buf_adds(j->out, "null");
}

void
json_kv_string(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_string(j, v);
}

void
json_kv_int(struct json *j, const char *k, int64_t v)
{
	json_key(j, k);
	json_int(j, v);
}

void
json_kv_bool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	json_bool(j, v);
}

void
json_kv_null(struct json *j, const char *k)
{
	json_key(j, k);
	json_null(j);
}
