/*
 * Turning raw message bytes into what the store keeps (envelope fields,
 * attachment flag, search text), shared by import and show FILE.
 */
#ifndef SURAT_CMD_MESSAGE_H
#define SURAT_CMD_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;
struct mime_message;
struct store_msg;

/*
 * Does this look like a message: its first line a header field, and at
 * least one of From, Date, Subject, Message-ID, To present?  ERR_PARSE
 * with a reason otherwise.
 */
int	 cmd_message_check(const char *, size_t, struct err *);
/*
 * A new store_msg (free with store_msg_free()) filled from the bytes;
 * received is the arrival time (0: unknown).  text gets the words to
 * index for search (capped at STORE_FTS_TEXT_MAX).
 */
struct store_msg *cmd_message_from_raw(const char *, size_t, int64_t received,
	    struct buf *text);
/* The readable text of a parsed message: text parts, HTML converted. */
void	 cmd_message_text(const struct mime_message *, struct buf *,
	    size_t cap);
/* Maildir flags ("FRS") to STORE_FLAG_*; and back (sorted, ASCII). */
unsigned cmd_maildir_flags(const char *);
void	 cmd_maildir_flag_string(unsigned, char *);	/* 8 bytes */

#endif
