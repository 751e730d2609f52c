/*
 * A small JSON writer (RFC 8259) for machine-readable output: nesting and
 * commas are tracked here, strings are escaped, and bytes that are not
 * valid UTF-8 become U+FFFD so the output always parses.
 */
#ifndef SURAT_UTIL_JSON_H
#define SURAT_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define JSON_PRETTY	0x1	/* newlines and two-space indents */
#define JSON_MAX_DEPTH	64

struct json;

/* A writer appending to out, which must outlive it. */
struct json *json_new(struct buf *out, int flags);
void	 json_free(struct json **);

void	 json_object_begin(struct json *);
void	 json_object_end(struct json *);
void	 json_array_begin(struct json *);
void	 json_array_end(struct json *);
/* The key of the next value inside an object. */
void	 json_key(struct json *, const char *);

void	 json_string(struct json *, const char *);	/* NULL: null */
void	 json_string_len(struct json *, const char *, size_t);
void	 json_int(struct json *, int64_t);
void	 json_uint(struct json *, uint64_t);
void	 json_bool(struct json *, bool);
void	 json_null(struct json *);

/* Key and value in one call. */
void	 json_kv_string(struct json *, const char *, const char *);
void	 json_kv_int(struct json *, const char *, int64_t);
void	 json_kv_bool(struct json *, const char *, bool);
void	 json_kv_null(struct json *, const char *);

/* Depth of open containers; 0 when the document is complete. */
int	 json_depth(const struct json *);

/*
 * Append s as a JSON string literal (with the quotes): '"', '\\' and
 * controls escaped, U+2028/U+2029 escaped for JavaScript readers, every
 * invalid UTF-8 sequence replaced with U+FFFD.
 */
void	 json_escape(struct buf *, const char *, size_t);

#endif
