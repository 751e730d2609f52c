/* Growable byte buffers, always NUL-terminated for convenience. */
#ifndef SURAT_UTIL_BUF_H
#define SURAT_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);	/* len = 0, keep memory */
void	 buf_reserve(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vaddf(struct buf *, const char *, va_list);
void	 buf_consume(struct buf *, size_t);	/* drop n bytes in front */
void	 buf_truncate(struct buf *, size_t);
/* Never NULL: "" for an empty buffer. */
const char *buf_cstr(const struct buf *);
/* Hand the memory to the caller (NUL-terminated); the buffer is empty. */
char	*buf_detach(struct buf *, size_t *);

#endif
