/* UTF-8 decoding, validation and display width. */
#ifndef SURAT_UTIL_UTF8_H
#define SURAT_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define UTF8_REPLACEMENT 0xFFFD

/*
 * Decode one code point from s (at most len bytes).  Returns the number of
 * bytes used (>= 1).  Invalid, overlong, surrogate and truncated sequences
 * yield UTF8_REPLACEMENT and consume exactly one byte, so a caller always
 * makes progress and resynchronises at the next byte.
 */
size_t	 utf8_decode(const char *, size_t, uint32_t *);
/* Append the encoding of one code point (1 to 4 bytes). */
void	 utf8_encode(struct buf *, uint32_t);
bool	 utf8_valid(const char *, size_t);
/* Append in to out, replacing every invalid sequence with U+FFFD. */
void	 utf8_repair(struct buf *, const char *, size_t);
/* Columns a code point takes on a terminal: 0, 1 or 2 (control: 0). */
int	 utf8_cp_width(uint32_t);
/* Columns a valid UTF-8 string takes. */
size_t	 utf8_width(const char *, size_t);
/*
 * Length in bytes of the longest prefix that fits in cols columns, never
 * splitting a character; *used_r gets the columns that prefix takes.
 */
size_t	 utf8_fit(const char *, size_t, size_t, size_t *);

#endif
