/* Helpers shared inside src/imap; not part of its public face. */
#ifndef SURAT_IMAP_IMAP_INT_H
#define SURAT_IMAP_IMAP_INT_H

#include <stddef.h>

struct err;
struct imap_arg;

/* Tokenise a complete, literal-free text (a response code's arguments)
 * into a LIST of values. */
int	 imap_parse_args(const char *, size_t, struct imap_arg *,
	    struct err *);

#endif
