/* Writing to file descriptors. */
#ifndef SURAT_UTIL_FDIO_H
#define SURAT_UTIL_FDIO_H

#include <stddef.h>

/*
 * Write all len bytes, through short writes and EINTR.  0, or -1 with
 * errno set (EIO when the descriptor takes no more and says nothing).
 */
int	 fd_write_all(int, const void *, size_t);

#endif
