/* Helpers shared by the files of the mime module; not for other modules. */
#ifndef SURAT_MIME_INTERNAL_H
#define SURAT_MIME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define MIME_WSP(c) ((c) == ' ' || (c) == '\t')
#define MIME_SPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* Trim white space (including CR/LF) on both sides of [*s, *s + *len). */
void	 mime_trim(const char **, size_t *);
/* Case-insensitive comparison of a counted string with a C string. */
bool	 mime_eq(const char *, size_t, const char *);
/* Whether the bytes are all below 0x80. */
bool	 mime_is_ascii(const char *, size_t);
/* Hex digit value or -1. */
int	 mime_hexval(unsigned char);
/* Append text with every CRLF and lone CR turned into LF. */
void	 mime_add_lf(struct buf *, const char *, size_t);
/* Fill with cryptographically random bytes (getrandom, /dev/urandom). */
void	 mime_random(void *, size_t);
/* Lower-cased allocated copy of a counted string. */
char	*mime_lowdup(const char *, size_t);
/* Days since 1970-01-01 of a civil date, and back. */
int64_t	 mime_days_from_civil(int64_t, int, int);
void	 mime_civil_from_days(int64_t, int64_t *, int *, int *);
/* Append text with TABs expanded to 8-column stops. */
void	 mime_expand_tabs(struct buf *, const char *, size_t);

/* uudecode the lines between "begin" and "end" (uudecode.c in tree.c). */
void	 mime_uu_decode(struct buf *, const char *, size_t);

/* Run an external HTML converter (htmlcmd.c); -1 if it failed. */
int	 mime_html_command(struct buf *, const char *, const char *, size_t,
	    int);

/* Undeclared charset detection in text: ASCII, UTF-8 or fallback. */
void	 mime_undeclared_to_utf8(struct buf *, const char *, size_t,
	    const char *);

#endif
