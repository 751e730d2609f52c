/*
 * What the files of the IMAP engine share: the session and small helpers.
 * Not for other modules.
 */
#ifndef SURAT_SYNC_SYNC_INT_H
#define SURAT_SYNC_SYNC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap/imap.h"
#include "sync/sync.h"

struct buf;
struct store_folder;
struct store_msg;

struct sync_session {
	struct store			*store;
	const struct config_account	*acct;
	struct imap_conn		*conn;
	char				*secret;	/* wiped on free */
	int64_t				 account_id;
	int64_t				 selected;	/* store folder id, 0 */
	bool				 qresync;
	bool				 condstore;
	bool				 changed;	/* IDLE saw something */
	unsigned			 limits;	/* SYNC_NO_* */
	/*
	 * Counters LIST-STATUS gave for each folder at the start of this
	 * sync_account(): a folder whose counters equal the store's needs
	 * no SELECT.  Each entry is used once and all are dropped when the
	 * account's sync ends, so they are never older than that run.
	 */
	struct sync_listed		*listed;
	size_t				 nlisted;
	unsigned			 nunchanged;	/* skipped by it */
	bool				 list_changed;	/* folder gone */
};

struct sync_listed {
	int64_t			 folder_id;
	uint32_t		 uidvalidity, uidnext;
	uint64_t		 highestmodseq;
};

/* session.c */
/* Connect if needed, and make the account known to the store. */
int	 sess_ready(struct sync_session *, struct err *);
/* The folder's name as the server spells it (modified UTF-7, or the
 * exact bytes it listed). */
int	 sess_wire_name(const struct store_folder *, struct buf *,
	    struct err *);
/* SELECT the folder unless it is selected already. */
int	 sess_select(struct sync_session *, const struct store_folder *,
	    struct err *);
/* After a failure: drop the connection unless it is still usable. */
void	 sess_check_conn(struct sync_session *);
bool	 sess_cancelled(const struct sync_opts *, struct err *);
/* The LIST-STATUS counters of a folder, once (see sync_session.listed). */
void	 sess_listed_add(struct sync_session *, int64_t,
	    const struct imap_status *);
bool	 sess_listed_take(struct sync_session *, int64_t,
	    struct sync_listed *);
void	 sess_listed_clear(struct sync_session *);

/* fetch.c: turning FETCH data into store rows */
/*
 * The header fields the index, threads, search and a reply use, not the
 * whole header: Received, DKIM and ARC lines make most of a real header
 * (kilobytes a message), and nothing reads them before the body is
 * here.  The whole header comes with the body, or as the part HEADER
 * beside the parts of a message read in pieces (part.c).
 */
#define SYNC_HEADER_FIELDS \
	"DATE FROM SENDER REPLY-TO TO CC BCC SUBJECT MESSAGE-ID " \
	"IN-REPLY-TO REFERENCES LIST-ID LIST-POST LIST-UNSUBSCRIBE " \
	"MAIL-FOLLOWUP-TO MAIL-REPLY-TO MIME-VERSION CONTENT-TYPE " \
	"CONTENT-TRANSFER-ENCODING X-PRIORITY IMPORTANCE AUTO-SUBMITTED " \
	"ORGANIZATION USER-AGENT X-MAILER DELIVERED-TO X-ORIGINAL-TO " \
	"RESENT-FROM RESENT-TO RESENT-CC RESENT-DATE NEWSGROUPS KEYWORDS " \
	"X-LABEL"
#define SYNC_HEADER_ITEMS \
	"UID FLAGS INTERNALDATE RFC822.SIZE BODYSTRUCTURE " \
	"BODY.PEEK[HEADER.FIELDS (" SYNC_HEADER_FIELDS ")]"
void	 sync_flags_parse(const struct imap_fetch *, unsigned *, char **);
void	 sync_flags_format(struct buf *, unsigned, const char *);
/* Fill m from the FETCH of SYNC_HEADER_ITEMS; store_msg_clear() after. */
int	 sync_msg_from_fetch(const struct imap_fetch *, int64_t,
	    struct store_msg *, struct err *);
/* The index fields from a header block (or a whole message: m->headers
 * then points at data and headers_len stops at the empty line). */
void	 sync_msg_fill_headers(struct store_msg *, const char *, size_t);
/* Store the headers of these UIDs (ascending) of the selected folder,
 * skipping those already here; *added_r counts the new ones. */
int	 sync_fetch_headers(struct sync_session *, int64_t, const uint32_t *,
	    size_t, uint64_t *, struct err *);
/* Messages read from a header FETCH, not yet stored. */
struct sync_msgs {
	struct store_msg	*v;
	size_t			 n, cap;
};
void	 sync_msgs_free(struct sync_msgs *);
/* Store them (skipping those already here); *added_r counts new ones. */
int	 sync_msgs_store(struct sync_session *, const struct sync_msgs *,
	    uint64_t *, struct err *);
/* sync_fetch_headers in steps: start sends the FETCH, finish reads the
 * reply into *out (NULL: reads and drops it), touching no store, so the
 * reading can go on beside a thread storing the batch before.  A finish
 * must follow a start that made *b. */
struct sync_hdr_batch;
int	 sync_headers_start(struct sync_session *, int64_t, const uint32_t *,
	    size_t, struct sync_hdr_batch **, struct err *);
int	 sync_headers_finish(struct sync_session *, struct sync_hdr_batch **,
	    struct sync_msgs *, struct err *);
/* Text for the search index from a raw message (allocated). */
char	*sync_search_text(const char *, size_t, size_t *);
/* Bodies of messages of the selected folder, by UID. */
int	 sync_fetch_bodies(struct sync_session *, int64_t, const uint32_t *,
	    size_t, size_t, uint64_t *, struct err *);

/* account.c: IDLE (or NOOP polling) on one folder, in three steps so
 * the job worker can look at its queue between waits. */
int	 sess_idle_begin(struct sync_session *, int64_t, struct err *);
int	 sess_idle_wait(struct sync_session *, int, struct err *);
int	 sess_idle_end(struct sync_session *, struct err *);

/* folder.c */
int	 sync_prefetch(struct sync_session *, const struct store_folder *,
	    const struct sync_opts *, struct sync_report *, struct err *);

/* part.c: a BODYSTRUCTURE in the store's text form (mime/structure.c),
 * allocated; NULL when there is none or it is over the caps. */
char	*sync_structure_text(const struct imap_body *);

#endif
