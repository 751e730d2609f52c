/*
 * Make untrusted text safe to draw: no escape sequences, no C0/C1 controls,
 * no bidi overrides or invisible characters, always valid UTF-8.  Every
 * string from the network or from a message passes here before the screen.
 */
#ifndef SURAT_UTIL_SANITIZE_H
#define SURAT_UTIL_SANITIZE_H

#include <stddef.h>

struct buf;

#define SANITIZE_MULTILINE	0x1	/* keep \n (else it becomes a space) */
#define SANITIZE_KEEP_TABS	0x2	/* keep \t (else it becomes a space) */

void	 sanitize_append(struct buf *, const char *, size_t, int);
/* Returns an allocated, NUL-terminated copy. */
char	*sanitize_text(const char *, size_t, int);
char	*sanitize_str(const char *, int);

#endif
