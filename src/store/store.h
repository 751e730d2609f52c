/*
 * The store: one SQLite database that holds everything surat knows about
 * mail (accounts, folders, messages, bodies, the full-text index, offline
 * operations, the outbox, POP3 UIDLs, addresses).  It is the only module
 * with SQL.  For POP3 and local folders it holds the user's only copy of
 * their mail: nothing here drops mail unless a caller asks by name.
 *
 * Threads: one struct store (one SQLite connection) per thread.  The first
 * store_open() of a process takes the data directory's lock; more
 * connections for worker threads come from store_open_more() and share it.
 * Readers never block the writer (WAL).
 *
 * Errors: every function returns 0 or -1 and fills struct err.  Codes:
 * ERR_LOCKED (another process holds the store, or SQLite stayed busy past
 * the timeout), ERR_CORRUPT (damaged file: never repaired or replaced
 * silently), ERR_IO, ERR_DISKFULL, ERR_NOTFOUND (no such row), ERR_USAGE
 * (the caller asked for something the data forbids: duplicate UID, folder
 * still holds mail, ...), ERR_STORE (anything else SQLite reports).
 *
 * Strings handed in are copied; nothing keeps a caller's pointer.  Strings
 * handed out belong to the struct that carries them and are released by
 * that struct's free function.  Text must be UTF-8; the store does not
 * sanitize (the UI does, before drawing).  Times are Unix seconds.
 */
#ifndef SURAT_STORE_STORE_H
#define SURAT_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;
struct store;

/* ------------------------------------------------------------------ */
/* Opening, closing, transactions                                      */

#define STORE_DB_NAME		"surat.db"
#define STORE_LOCK_NAME		"surat.lock"
#define STORE_SCHEMA_VERSION	8

#define STORE_OPEN_READONLY	0x1	/* no lock, no writes, no creation */
#define STORE_OPEN_CHECK	0x2	/* always run PRAGMA quick_check */
#define STORE_OPEN_NOCHECK	0x4	/* never run it (tools, tests) */

/*
 * Open (creating when missing, unless read-only) data_dir/surat.db.  The
 * directory is created with mode 0700, the database and its -wal/-shm
 * files get mode 0600 whatever the umask.  who names the program for the
 * lock file ("surat sync"); NULL uses the program's name.
 *
 * A writable open takes data_dir/surat.lock (fcntl lock, holding the PID
 * and who): a second process fails with ERR_LOCKED "store is in use by
 * process 1234 (surat sync)".  Read-only opens take no lock.
 *
 * On open the file is checked: not a database, or a failed quick_check,
 * is ERR_CORRUPT and the file is left exactly as it was.  quick_check
 * reads the whole file, so it runs when the previous writer did not close
 * cleanly, when the file is small, or with STORE_OPEN_CHECK.  A database
 * written by a newer surat is refused ("created by a newer surat");
 * an older one is migrated, each step in its own transaction.
 * A writable open also turns outbox messages left in "sending" by a dead
 * process into "check" (nobody knows whether the server took them).
 */
int	 store_open(const char *data_dir, unsigned flags, const char *who,
	    struct store **store_r, struct err *);
/*
 * Another connection to the same database for another thread, sharing
 * the process lock (the lock is released when the last one closes).
 * Same read-only-ness as the original; no checks run again.
 */
int	 store_open_more(struct store *, struct store **store_r, struct err *);
/* Close one connection; accepts NULL and clears the pointer. */
void	 store_close(struct store **);
bool	 store_readonly(const struct store *);
const char *store_path(const struct store *);	/* .../surat.db */

/*
 * Transactions: store_begin() takes the write lock at once (BEGIN
 * IMMEDIATE), so a batch never fails halfway on a busy database.  They
 * nest (inner levels are savepoints); a rollback at any level undoes just
 * that level.  Use one transaction per sync batch: it is also what makes
 * inserts fast.  Every API function that writes several rows is atomic
 * on its own, inside or outside a caller's transaction.
 */
int	 store_begin(struct store *, struct err *);
int	 store_commit(struct store *, struct err *);
/* Never fails in a way the caller can act on; safe at depth 0 (no-op). */
void	 store_rollback(struct store *);
/*
 * Commit the outermost transaction and make it durable (fsync) before
 * returning: use it before deleting anything on a server (POP3 DELE, an
 * IMAP move's expunge), because a plain commit may be lost on power
 * failure in WAL mode.  At depth 0 it just syncs what was committed.
 */
int	 store_commit_durable(struct store *, struct err *);
int	 store_in_transaction(const struct store *);	/* nesting depth */
/*
 * An atomic section for what runs once per stored message: a transaction
 * of its own at depth 0, but no level at all inside a caller's: FTS5
 * writes its pending terms out as a new segment at every SAVEPOINT, and
 * one per message cost a third of the CPU of a sync.  A failure inside
 * cannot then be undone alone, so it poisons the enclosing level:
 * committing that level rolls it back and fails (rolling it back is what
 * its owner does on errors anyway).  Pass store_end_light() what
 * store_begin_light() put in *light_r and the section's result (0, -1);
 * it returns 0 only when rc was 0 and, at depth 0, the commit worked.
 */
int	 store_begin_light(struct store *, bool *light_r, struct err *);
int	 store_end_light(struct store *, bool light, int rc, struct err *);

/*
 * A number that changes whenever the database changed, through this
 * connection or any other (also other processes).  Cheap: the UI may call
 * it on every pass of its loop and redraw when it differs.
 */
uint64_t store_change_counter(struct store *);

/* ------------------------------------------------------------------ */
/* Accounts                                                            */

enum store_account_kind {
	STORE_ACCOUNT_IMAP = 0,
	STORE_ACCOUNT_POP3,
	STORE_ACCOUNT_LOCAL,	/* folders that live only here */
};

struct store_account {
	int64_t			 id;
	char			*name;
	enum store_account_kind	 kind;
	int64_t			 quota_used;	/* bytes, -1 unknown */
	int64_t			 quota_limit;	/* bytes, -1 unknown */
};

/*
 * The id of the account called name, created when missing.  ERR_USAGE when
 * it exists with another kind (the store will not reinterpret mail).
 */
int	 store_account_ensure(struct store *, const char *name,
	    enum store_account_kind, int64_t *id_r, struct err *);
int	 store_account_get(struct store *, int64_t id,
	    struct store_account **r, struct err *);
int	 store_account_find(struct store *, const char *name,
	    struct store_account **r, struct err *);	/* ERR_NOTFOUND */
void	 store_account_free(struct store_account **);
/* All accounts by name; free with store_account_list_free(). */
int	 store_account_list(struct store *, struct store_account **arr_r,
	    size_t *n_r, struct err *);
void	 store_account_list_free(struct store_account **, size_t);
int	 store_account_set_quota(struct store *, int64_t id, int64_t used,
	    int64_t limit, struct err *);
/*
 * Forget an account.  Without force, ERR_USAGE while it still has folders
 * with messages or an unsent outbox; with force, drops all its mail.
 */
int	 store_account_delete(struct store *, int64_t id, bool force,
	    struct err *);
const char *store_account_kind_name(enum store_account_kind);
int	 store_account_kind_parse(const char *, enum store_account_kind *);

/* ------------------------------------------------------------------ */
/* Folders                                                             */

enum store_role {
	STORE_ROLE_NONE = 0,
	STORE_ROLE_INBOX,
	STORE_ROLE_SENT,
	STORE_ROLE_DRAFTS,
	STORE_ROLE_TRASH,
	STORE_ROLE_JUNK,
	STORE_ROLE_ARCHIVE,
};

struct store_folder {
	int64_t		 id;
	int64_t		 account_id;
	/*
	 * The exact name, as on the server (decoded UTF-8): it may hold
	 * control characters or bidi overrides, so it is for lookups and
	 * commands only.  display is the same name sanitized
	 * (util/sanitize.h): every screen, message and log line uses it.
	 */
	char		*name;
	char		*display;
	/* The server's exact bytes when they are not name in modified
	 * UTF-7 (raw UTF-8, control bytes); NULL: encode name. */
	char		*wire;
	char		 delim;		/* hierarchy delimiter, 0 for none */
	enum store_role	 role;
	uint32_t	 uidvalidity;	/* 0: never synced */
	uint32_t	 uidnext;
	uint64_t	 highestmodseq;	/* 0: no CONDSTORE */
	int64_t		 total;		/* messages, kept up to date */
	int64_t		 unread;	/* without \Seen and without \Deleted */
	int64_t		 last_sync;	/* 0: never */
	int64_t		 size;		/* bytes of its messages */
};

/*
 * The id of the folder, created when missing.  The delimiter is updated;
 * the role too unless STORE_ROLE_NONE is passed (a role set earlier stays).
 * A role belongs to one folder per account: giving it to this folder takes
 * it from any other.
 */
int	 store_folder_ensure(struct store *, int64_t account_id,
	    const char *name, char delim, enum store_role, int64_t *id_r,
	    struct err *);
int	 store_folder_get(struct store *, int64_t id, struct store_folder **r,
	    struct err *);
int	 store_folder_find(struct store *, int64_t account_id,
	    const char *name, struct store_folder **r, struct err *);
int	 store_folder_find_role(struct store *, int64_t account_id,
	    enum store_role, struct store_folder **r, struct err *);
void	 store_folder_free(struct store_folder **);
/* Folders of one account (0: all accounts), by account then name. */
int	 store_folder_list(struct store *, int64_t account_id,
	    struct store_folder **arr_r, size_t *n_r, struct err *);
void	 store_folder_list_free(struct store_folder **, size_t);
int	 store_folder_set_role(struct store *, int64_t id, enum store_role,
	    struct err *);
/* IMAP state after a sync; last_sync 0 means "now". */
int	 store_folder_set_sync(struct store *, int64_t id,
	    uint32_t uidvalidity, uint32_t uidnext, uint64_t highestmodseq,
	    int64_t last_sync, struct err *);
/*
 * ERR_USAGE when the account already has a folder of that name.  The
 * wire form goes back to NULL (the new name, encoded).
 */
int	 store_folder_rename(struct store *, int64_t id, const char *name,
	    struct err *);
/* The server's exact name, when it is not the name encoded (NULL). */
int	 store_folder_set_wire(struct store *, int64_t id, const char *wire,
	    struct err *);
/*
 * Delete a folder.  Without STORE_DELETE_MAIL, ERR_USAGE while it holds
 * messages (the schema refuses it too); with it, its messages go as well.
 */
#define STORE_DELETE_MAIL	0x1
int	 store_folder_delete(struct store *, int64_t id, unsigned flags,
	    struct err *);
/*
 * Delete every message of a folder that has a UID, keeping the folder:
 * for an IMAP folder whose UIDVALIDITY changed (that mail lives on the
 * server and is fetched again).  Messages without a UID (an offline
 * draft whose APPEND is pending) are only here, so they stay.
 */
int	 store_folder_clear(struct store *, int64_t id, struct err *);
/*
 * The unified inbox's counts (every account's inbox), for the sidebar's
 * row of STORE_UNIFIED_INBOX; unread as in struct store_folder.
 */
int	 store_unified_counts(struct store *, int64_t *total_r,
	    int64_t *unread_r, struct err *);
/* Recompute total/unread/size from the messages (0: every folder). */
int	 store_folder_recount(struct store *, int64_t id, struct err *);
const char *store_role_name(enum store_role);	/* "inbox", "none" */
int	 store_role_parse(const char *, enum store_role *);

/* ------------------------------------------------------------------ */
/* Messages                                                            */

#define STORE_FLAG_SEEN		0x01
#define STORE_FLAG_ANSWERED	0x02
#define STORE_FLAG_FLAGGED	0x04
#define STORE_FLAG_DELETED	0x08
#define STORE_FLAG_DRAFT	0x10
#define STORE_FLAGS_ALL		0x1f

enum store_body_state {
	STORE_BODY_NONE = 0,	/* headers only */
	STORE_BODY_PARTIAL,	/* some parts (store_part_set) */
	STORE_BODY_FULL,	/* the raw message is here */
};

/*
 * One message.  For store_message_insert() the caller fills what it knows
 * (NULL strings and zero numbers are "unknown"); id, thread_id, depth and
 * created are computed by the store.  From store_message_get*() every
 * field is filled; free with store_msg_free().
 */
struct store_msg {
	int64_t			 id;
	int64_t			 folder_id;
	uint32_t		 uid;		/* IMAP UID, 0: none */
	char			*uidl;		/* POP3 UIDL or NULL */
	char			*message_id;	/* without <>, or NULL */
	char			*in_reply_to;	/* one id without <>, or NULL */
	char			*references;	/* ids without <>, space-separated */
	int64_t			 thread_id;
	int			 depth;		/* in its thread, 0 for a root */
	int64_t			 date;		/* Date: header, Unix time */
	char			*date_raw;	/* the header as sent */
	char			*from_name;	/* decoded display name */
	char			*from_addr;
	char			*to;		/* display text, decoded */
	char			*cc;
	char			*subject;	/* decoded */
	unsigned		 flags;		/* STORE_FLAG_* */
	char			*keywords;	/* other flags, space-separated */
	int64_t			 size;		/* RFC822.SIZE */
	bool			 has_attachments;
	char			*headers;	/* raw header block */
	size_t			 headers_len;
	char			*bodystructure;	/* opaque to the store */
	int64_t			 internal_date;
	enum store_body_state	 body_state;
	int64_t			 created;
};

/*
 * Insert; the store works out the thread (from message_id, in_reply_to
 * and references, merging threads a message links) and the sort keys,
 * indexes subject, from and to for search, and updates the folder's
 * counts.  Idempotent: when the folder already has a message with that
 * UID (or that UIDL), nothing changes and *id_r is that message, so a
 * sync resumed after a crash may store a batch again.  (Flags the server
 * changed meanwhile go through store_message_set_flags_uid().)
 */
int	 store_message_insert(struct store *, const struct store_msg *,
	    int64_t *id_r, struct err *);
/* The same, saying whether the message was there already. */
int	 store_message_add(struct store *, const struct store_msg *,
	    int64_t *id_r, bool *existed_r, struct err *);
int	 store_message_get(struct store *, int64_t id, struct store_msg **r,
	    struct err *);
int	 store_message_get_uid(struct store *, int64_t folder_id, uint32_t uid,
	    struct store_msg **r, struct err *);
int	 store_message_get_uidl(struct store *, int64_t folder_id,
	    const char *uidl, struct store_msg **r, struct err *);
/* The id only, or ERR_NOTFOUND: cheaper than a whole get. */
int	 store_message_id_by_uid(struct store *, int64_t folder_id,
	    uint32_t uid, int64_t *id_r, struct err *);
void	 store_msg_free(struct store_msg **);
/* Free what a store_msg filled in place holds, and zero it. */
void	 store_msg_clear(struct store_msg *);
struct mime_headers;
struct mime_envelope;
/*
 * The summary fields of a row (Message-ID, In-Reply-To, References, date
 * and its raw text, From, To, Cc, Subject) from parsed headers: what
 * every path that stores a message (POP3, import, IMAP APPEND) shares.
 */
void	 store_msg_set_envelope(struct store_msg *,
	    const struct mime_headers *, const struct mime_envelope *);
/* Set the bits of set, then clear those of clear; counts follow. */
int	 store_message_flags(struct store *, int64_t id, unsigned set,
	    unsigned clear, struct err *);
/* Replace flags and keywords with what the server says (keywords NULL:
 * keep them). ERR_NOTFOUND when the folder has no such UID. */
int	 store_message_set_flags_uid(struct store *, int64_t folder_id,
	    uint32_t uid, unsigned flags, const char *keywords, struct err *);
int	 store_message_set_keywords(struct store *, int64_t id,
	    const char *keywords, struct err *);
/* Learn the UID after an APPEND/COPY/MOVE (0 forgets it). */
int	 store_message_set_uid(struct store *, int64_t id, uint32_t uid,
	    struct err *);
/*
 * Move to another folder, keeping the body and parts.  The message gets
 * new_uid there (0: not known yet, e.g. until the server's COPYUID).
 */
int	 store_message_move(struct store *, int64_t id, int64_t folder_id,
	    uint32_t new_uid, struct err *);
/* A copy (with body and parts) in another folder; *id_r is the copy. */
int	 store_message_copy(struct store *, int64_t id, int64_t folder_id,
	    uint32_t new_uid, int64_t *id_r, struct err *);
/* Delete the message with its body, parts and search entry. */
int	 store_message_delete(struct store *, int64_t id, struct err *);
int	 store_message_delete_uid(struct store *, int64_t folder_id,
	    uint32_t uid, struct err *);
/*
 * The UIDs of a folder in [lo, hi] (hi 0: no upper end), ascending, as a
 * compact array the caller frees with free(): for expunge detection.
 */
int	 store_folder_uids(struct store *, int64_t folder_id, uint32_t lo,
	    uint32_t hi, uint32_t **uids_r, size_t *n_r, struct err *);
/* Highest UID in the folder, 0 when none. */
int	 store_folder_uid_max(struct store *, int64_t folder_id,
	    uint32_t *uid_r, struct err *);
int	 store_message_set_body_state(struct store *, int64_t id,
	    enum store_body_state, struct err *);
/*
 * Messages of a folder dated since (0: any) whose raw message is not
 * stored, newest first, at most limit (0: all): what an offline prefetch
 * policy ("recent N days", "all") still has to fetch.  free(*ids_r).
 */
int	 store_folder_missing_bodies(struct store *, int64_t folder_id,
	    int64_t since, size_t limit, int64_t **ids_r, size_t *n_r,
	    struct err *);

/* ------------------------------------------------------------------ */
/* Bodies: the raw message, stored in chunks so a 50 MB POP3 message is  */
/* never held in memory whole, and single parts fetched on their own.   */

/* Cap on the text indexed for search per message; the rest is ignored. */
#define STORE_FTS_TEXT_MAX	(1024 * 1024)

/*
 * Set the raw message in one call: replaces any stored body, marks the
 * body full, and indexes text (the caller's rendering of the body for
 * search; NULL: leave the search text as is).
 */
int	 store_body_set(struct store *, int64_t id, const void *, size_t,
	    const char *text, size_t text_len, struct err *);

struct store_body_writer;
/*
 * Streaming write: begin, append as the bytes arrive, commit.  Nothing is
 * visible until commit; abort (or an error) leaves the previous state.
 * The writer runs in a savepoint of the store's connection: do not start
 * or end transactions on that connection while it is open.
 */
int	 store_body_write_begin(struct store *, int64_t id,
	    struct store_body_writer **w_r, struct err *);
int	 store_body_write(struct store_body_writer *, const void *, size_t,
	    struct err *);
/* Ends the writer (also on failure) and frees it. */
int	 store_body_write_commit(struct store_body_writer **, const char *text,
	    size_t text_len, struct err *);
void	 store_body_write_abort(struct store_body_writer **);

/* The whole raw message appended to out; ERR_NOTFOUND without a body. */
int	 store_body_get(struct store *, int64_t id, struct buf *out,
	    struct err *);
/* The raw message chunk by chunk (at most 256 KiB each); a non-zero
 * return from fn stops and is returned (err untouched). */
typedef int (*store_body_fn)(void *arg, const void *data, size_t len);
int	 store_body_read(struct store *, int64_t id, store_body_fn, void *arg,
	    struct err *);
int	 store_body_size(struct store *, int64_t id, int64_t *size_r,
	    struct err *);
/* Drop a body (keeps the message: headers only again). */
int	 store_body_drop(struct store *, int64_t id, struct err *);
/*
 * A message of the folder whose stored raw bytes are exactly these (what
 * import skips as already there); ERR_NOTFOUND when none.  Messages with
 * only their headers here never match.
 */
int	 store_message_find_raw(struct store *, int64_t folder_id,
	    const void *, size_t, int64_t *id_r, struct err *);

/* One MIME part by IMAP section ("1.2"), replacing any earlier copy.
 * Marks the body partial; a message whose body is full keeps no parts
 * (storing the whole body drops them, and a part then is not stored). */
int	 store_part_set(struct store *, int64_t id, const char *section,
	    const void *, size_t, struct err *);
int	 store_part_get(struct store *, int64_t id, const char *section,
	    struct buf *out, struct err *);		/* ERR_NOTFOUND */
/* Replace the search text of the body (e.g. after fetching one part). */
int	 store_message_index_text(struct store *, int64_t id, const char *,
	    size_t, struct err *);

/* ------------------------------------------------------------------ */
/* Index paging: the rows on screen, never the whole folder.            */

#define STORE_UNIFIED_INBOX	0	/* folder_id: every account's inbox */

enum store_sort_key {
	STORE_SORT_DATE = 0,
	STORE_SORT_FROM,
	STORE_SORT_SUBJECT,	/* "Re:", "Fwd:" ... ignored */
	STORE_SORT_SIZE,
};

/*
 * threaded: threads in order of their root's date (newest thread first
 * when desc), messages inside a thread always oldest first; the key is
 * then ignored.  Ties break on id, so the order is total.
 */
struct store_sort {
	enum store_sort_key	key;
	bool			desc;
	bool			threaded;
};

#define STORE_SORTKEY_MAX	64	/* bytes of a from/subject sort key */

/*
 * A position in one sort order, made from a row's values (not its id), so
 * it stays valid when that message is deleted.  Copy it freely; only use
 * it with the sort that made it.
 */
struct store_cursor {
	int64_t	id;
	int64_t	k1;		/* date, size, or thread root date */
	int64_t	k2;		/* thread id (threaded) */
	int64_t	k3;		/* date (threaded, from, subject) */
	char	text[STORE_SORTKEY_MAX + 1];	/* from/subject key */
};

struct store_row {
	int64_t			 id;
	int64_t			 folder_id;
	int64_t			 date;
	char			*from;		/* name, or address */
	char			*from_addr;
	char			*to;
	char			*subject;
	unsigned		 flags;
	char			*keywords;
	int64_t			 size;
	bool			 has_attachments;
	enum store_body_state	 body_state;
	int64_t			 thread_id;
	int			 depth;		/* threaded only, else 0 */
	struct store_cursor	 cursor;	/* this row's position */
};

#define STORE_PAGE_FORWARD	1	/* rows after the cursor */
#define STORE_PAGE_BACKWARD	(-1)	/* rows before the cursor */
#define STORE_PAGE_MAX		1000	/* limit is capped to this */

/*
 * Up to limit rows next to after, in sort order either way.  after NULL:
 * the first page (forward) or the last page (backward).  The query walks
 * an index from the cursor: the cost does not depend on where the page is.
 * rows are freed with store_rows_free().
 */
int	 store_index_page(struct store *, int64_t folder_id,
	    const struct store_sort *, const struct store_cursor *after,
	    int direction, size_t limit, struct store_row **rows_r,
	    size_t *n_r, struct err *);
void	 store_rows_free(struct store_row **, size_t);
/* The cursor of one message in a sort (to start paging around it). */
int	 store_index_cursor(struct store *, int64_t id,
	    const struct store_sort *, struct store_cursor *cur_r,
	    struct err *);
/* How many rows come before the message in that sort (for a scrollbar
 * and for "go to message"); ERR_NOTFOUND when it is not in the view. */
int	 store_index_position(struct store *, int64_t folder_id,
	    const struct store_sort *, int64_t id, size_t *pos_r,
	    struct err *);
/* Rows in the view. */
int	 store_index_count(struct store *, int64_t folder_id, size_t *n_r,
	    struct err *);

/* ------------------------------------------------------------------ */
/* Search                                                              */

/*
 * All given criteria must hold.  text is what the user typed: words (all
 * must appear, in subject, from, to or body), "quoted phrases", and word*
 * for a prefix; every other character is taken literally, so no input can
 * make a syntax error.  from/to/subject are matched the same way, limited
 * to that field.
 */
struct store_query {
	const char	*text;
	const char	*from;
	const char	*to;		/* to and cc */
	const char	*subject;
	int64_t		 after;		/* date >= after; 0: no bound */
	int64_t		 before;	/* date < before; 0: no bound */
	bool		 has_attachment;
	bool		 unread;
	bool		 flagged;
	int64_t		 folder_id;	/* 0: any (STORE_UNIFIED_INBOX not special) */
	int64_t		 account_id;	/* 0: any */
	size_t		 limit;		/* 0: 1000 */
};

/* Matching message ids, newest first; free(*ids_r) after. */
int	 store_search(struct store *, const struct store_query *,
	    int64_t **ids_r, size_t *n_r, struct err *);

/* ------------------------------------------------------------------ */
/* Pending operations: user actions waiting to be replayed on a server.  */

enum store_op_type {
	STORE_OP_FLAG = 0,	/* add flags / keywords */
	STORE_OP_UNFLAG,	/* remove them */
	STORE_OP_MOVE,
	STORE_OP_COPY,
	STORE_OP_DELETE,	/* \Deleted + expunge of that UID */
	STORE_OP_EXPUNGE,	/* the whole folder */
	STORE_OP_APPEND,	/* upload the message's body to folder */
};

enum store_op_state {
	STORE_OP_QUEUED = 0,
	STORE_OP_FAILED,	/* gave up: shown to the user, not retried */
};

/*
 * What the replay needs is copied in when queuing (folder and UID at that
 * moment), so the operation survives the local row moving or going.
 */
struct store_op {
	int64_t			 id;		/* also the queue order */
	int64_t			 account_id;
	enum store_op_type	 type;
	int64_t			 message_id;	/* 0: none, or gone */
	int64_t			 folder_id;	/* source folder, 0: none */
	uint32_t		 uid;		/* source UID, 0: none */
	int64_t			 target_folder_id;	/* move/copy/append */
	unsigned		 flags;		/* flag/unflag */
	char			*args;		/* keywords or other text */
	enum store_op_state	 state;
	int			 attempts;
	char			*last_error;
	int64_t			 created;
};

/* Queue one; the op's id, state, attempts and created are ignored. */
int	 store_op_enqueue(struct store *, const struct store_op *,
	    int64_t *id_r, struct err *);
/* The first n queued (not failed) operations of an account, in order. */
int	 store_op_next(struct store *, int64_t account_id, size_t n,
	    struct store_op **arr_r, size_t *n_r, struct err *);
/* All operations of an account (0: all), failed included. */
int	 store_op_list(struct store *, int64_t account_id,
	    struct store_op **arr_r, size_t *n_r, struct err *);
void	 store_op_list_free(struct store_op **, size_t);
int	 store_op_done(struct store *, int64_t id, struct err *);
/* attempts + 1 and the error; permanent makes it STORE_OP_FAILED. */
int	 store_op_failed(struct store *, int64_t id, const char *error,
	    bool permanent, struct err *);
/* Put a failed operation back in the queue. */
int	 store_op_retry(struct store *, int64_t id, struct err *);
/*
 * The sync engine learnt the UID a message got in a folder (COPYUID,
 * APPENDUID): later queued operations on that message and folder that
 * were queued before the UID was known (uid 0) get it.
 */
int	 store_op_learn_uid(struct store *, int64_t message_id,
	    int64_t folder_id, uint32_t uid, struct err *);
/* Queued operations of an account (0: all). */
int	 store_op_count(struct store *, int64_t account_id, size_t *n_r,
	    struct err *);

/* ------------------------------------------------------------------ */
/* Outbox                                                              */

enum store_out_state {
	STORE_OUT_QUEUED = 0,
	STORE_OUT_SENDING,	/* claimed by a sender */
	STORE_OUT_SENT,
	STORE_OUT_FAILED,	/* the server refused it for good */
	STORE_OUT_CHECK,	/* the connection died after the final dot:
				   maybe sent; the user must decide */
};

struct store_out {
	int64_t			 id;
	int64_t			 account_id;
	char			*env_from;
	char			*rcpts;		/* addresses, one per line */
	size_t			 rcpt_count;
	enum store_out_state	 state;
	int			 attempts;
	int64_t			 next_attempt_at;
	char			*last_error;
	int64_t			 created;
	int64_t			 sent_at;	/* 0: not sent */
	int64_t			 size;		/* of the raw message */
};

/* Queue a message (due now); rcpts: one address per line. */
int	 store_outbox_add(struct store *, int64_t account_id,
	    const void *raw, size_t raw_len, const char *env_from,
	    const char *rcpts, int64_t *id_r, struct err *);
/*
 * The oldest queued message due at now (next_attempt_at <= now) for an
 * account (0: any): ERR_NOTFOUND when none.
 */
int	 store_outbox_next_due(struct store *, int64_t account_id, int64_t now,
	    struct store_out **r, struct err *);
/*
 * When the next queued message is due (account 0: any), so a sender can
 * sleep until then and the UI can say when: ERR_NOTFOUND when none.
 */
int	 store_outbox_next_time(struct store *, int64_t account_id,
	    int64_t *when_r, struct err *);
int	 store_outbox_get(struct store *, int64_t id, struct store_out **r,
	    struct err *);
void	 store_out_free(struct store_out **);
/* The raw message, appended to out. */
int	 store_outbox_raw(struct store *, int64_t id, struct buf *out,
	    struct err *);
/* Claim a queued message: ERR_USAGE when it is not queued any more. */
int	 store_outbox_mark_sending(struct store *, int64_t id, struct err *);
/* Sent at now; the row stays (rate counting, the Sent copy) until
 * store_outbox_prune_sent(). */
int	 store_outbox_mark_sent(struct store *, int64_t id, int64_t now,
	    struct err *);
/* Back to queued: attempts + 1, due again at next_attempt_at. */
int	 store_outbox_mark_retry(struct store *, int64_t id,
	    int64_t next_attempt_at, const char *error, struct err *);
int	 store_outbox_mark_failed(struct store *, int64_t id,
	    const char *server_text, struct err *);
int	 store_outbox_mark_check(struct store *, int64_t id, const char *why,
	    struct err *);
/* The user decided: send a failed or "check" message again, now. */
int	 store_outbox_requeue(struct store *, int64_t id, int64_t now,
	    struct err *);
/*
 * Queued messages waiting out a retry delay become due at now (account
 * 0: all): the network is back, or the user asked to send.
 */
int	 store_outbox_due_now(struct store *, int64_t, int64_t, struct err *);
/* Remove a message that is not being sent (ERR_USAGE while sending). */
int	 store_outbox_cancel(struct store *, int64_t id, struct err *);
/* Every message not yet pruned, oldest first; account 0: all. */
int	 store_outbox_list(struct store *, int64_t account_id,
	    struct store_out **arr_r, size_t *n_r, struct err *);
void	 store_outbox_list_free(struct store_out **, size_t);
/*
 * For the status line: messages waiting or being sent, and messages that
 * need the user (failed, or "check"), of an account (0: all).
 */
int	 store_outbox_count(struct store *, int64_t account_id,
	    size_t *queued_r, size_t *attention_r, struct err *);
/* Messages and recipients sent by an account since a time (rate limits). */
int	 store_outbox_sent_since(struct store *, int64_t account_id,
	    int64_t since, size_t *messages_r, size_t *rcpts_r, struct err *);
/* Remove sent messages sent before a time. */
int	 store_outbox_prune_sent(struct store *, int64_t before, struct err *);

/* ------------------------------------------------------------------ */
/* POP3 UIDLs: what was downloaded, so it is never downloaded twice.    */

enum store_uidl_state {
	STORE_UIDL_DOWNLOADED = 0,
	STORE_UIDL_DELETED,	/* deleted on the server by us */
};

struct store_uidl {
	char			*uidl;
	enum store_uidl_state	 state;
	int64_t			 first_seen;
	int64_t			 message_id;	/* 0: the local copy is gone */
};

int	 store_pop3_known(struct store *, int64_t account_id, const char *uidl,
	    bool *known_r, struct err *);
/*
 * Record a download; call it in the same transaction as the message's
 * insert so both happen or neither.  first_seen is now (kept when the
 * UIDL was known).
 */
int	 store_pop3_record(struct store *, int64_t account_id,
	    const char *uidl, int64_t message_id, struct err *);
/* Every UIDL of an account, oldest first. */
int	 store_pop3_list(struct store *, int64_t account_id,
	    struct store_uidl **arr_r, size_t *n_r, struct err *);
void	 store_pop3_list_free(struct store_uidl **, size_t);
int	 store_pop3_mark_deleted(struct store *, int64_t account_id,
	    const char *uidl, struct err *);
/* Forget the UIDLs that are not in present (the server's list now). */
int	 store_pop3_forget_missing(struct store *, int64_t account_id,
	    const char *const *present, size_t n, struct err *);

/* ------------------------------------------------------------------ */
/* Addresses for completion                                            */

struct store_address {
	char	*address;
	char	*name;		/* may be NULL */
	int64_t	 use_count;
	int64_t	 last_used;
};

/* Count one use (sent to, or read from); name NULL keeps the old one. */
int	 store_address_seen(struct store *, const char *address,
	    const char *name, int64_t when, struct err *);
/* Addresses or names starting with prefix (any word of the name), most
 * used first. */
int	 store_address_complete(struct store *, const char *prefix,
	    size_t limit, struct store_address **arr_r, size_t *n_r,
	    struct err *);
void	 store_address_list_free(struct store_address **, size_t);

/* ------------------------------------------------------------------ */
/* A message as far as it is here (body.c)                             */

struct mime_part;

struct store_view {
	bool			 whole;		/* the raw message */
	/* Otherwise put together from the parts (mime/structure.c): */
	struct mime_part	*structure;	/* from message_meta */
	char			**missing;	/* sections not here */
	size_t			 nmissing;
	unsigned		 wanted_missing; /* of those, to be shown */
};

/*
 * The raw message appended to raw when whole; else, when its structure
 * is known, one put together from its header and the parts stored so
 * far (mime_structure_assemble(), prefer as in mime_render_opts).
 * ERR_NOTFOUND when neither.  store_view_clear() after.
 */
int	 store_message_view(struct store *, int64_t, const char *,
	    struct buf *, struct store_view *, struct err *);
void	 store_view_clear(struct store_view *);

#endif
