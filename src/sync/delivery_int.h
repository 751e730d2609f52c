/* Shared by the POP3 and outbox engines: clock, crash points, messages. */
#ifndef SURAT_SYNC_DELIVERY_INT_H
#define SURAT_SYNC_DELIVERY_INT_H

#include <stdint.h>

#include "net/net.h"
#include "store/store.h"

struct config_account;
struct config_server;
struct err;

/*
 * 0, or -1 with ERR_CANCELLED when the test hook asks the engine to stop
 * at step as a crash would (SURAT_CRASH_AT kills the process instead).
 */
int	 delivery_crash_point(const char *, struct err *);

/*
 * Fill m from a raw header block (the summary fields the store keeps):
 * envelope, decoded names, Date, the raw block.  Strings are allocated;
 * release with store_msg_free() semantics via store_msg_clear().
 */
void	 delivery_msg_from_headers(struct store_msg *, const char *, size_t,
	    int64_t size, int64_t now);

/* Where the header block ends (after its empty line), or 0: not yet. */
size_t	 delivery_header_end(const char *, size_t);
/* The same for a block that grew: its first `seen` bytes (a call that
 * answered 0) are not searched again, so a header read line by line
 * costs its length, not its length times its lines. */
size_t	 delivery_header_end_from(const char *, size_t, size_t seen);

#endif
