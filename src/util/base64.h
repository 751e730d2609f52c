/* Base64 (RFC 4648): strict encoding, and decoding that survives garbage. */
#ifndef SURAT_UTIL_BASE64_H
#define SURAT_UTIL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Append the encoding of len bytes; no line breaks. */
void	 base64_encode(struct buf *, const void *, size_t);

/*
 * Incremental decoder for message bodies: characters outside the
 * alphabet (line breaks, spaces, junk) are skipped, decoding stops at the
 * first '=' pad of a quantum and resumes with a new quantum afterwards, as
 * mail readers must to read what broken senders produce.
 */
struct base64_decoder {
	unsigned int	bits;
	int		nbits;
};

void	 base64_decoder_init(struct base64_decoder *);
void	 base64_decode_feed(struct base64_decoder *, struct buf *,
	    const char *, size_t);

/*
 * Strict decoding of a whole token (SASL): only the alphabet and correct
 * padding; returns -1 on anything else.
 */
int	 base64_decode_strict(struct buf *, const char *, size_t);

#endif
