/*
 * The sync engines' public face: what surat sync, the CLI and the UI call.
 *
 * The IMAP engine keeps the store a faithful copy of the server: folders
 * with their roles, message headers (fetched in batches, one transaction
 * each, so a sync killed anywhere resumes without duplicates or losses),
 * flags, expunges, bodies on demand and by the prefetch policy, quota.
 * Local changes are queued in the store as pending operations (the
 * sync_local_* helpers do both halves at once) and replayed in order.
 *
 * Threads: a struct sync_session belongs to one thread and uses that
 * thread's store connection.  struct sync_jobs runs a worker thread with a
 * connection of its own.
 */
#ifndef SURAT_SYNC_H
#define SURAT_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct config_account;
struct err;
struct store;
struct store_query;

/*
 * Progress of a long step, reported often (at least once per batch) so
 * surat sync can draw a line and the UI a bar.  what is a short,
 * translated phrase ("fetching headers", "downloading"); total is 0 when
 * unknown.  Called on the engine's thread.
 */
typedef void	sync_progress_fn(void *arg, const char *account,
		    const char *what, uint64_t done, uint64_t total);

/* ------------------------------------------------------------------ */
/* One sync run                                                        */

/*
 * Messages per header batch when not set: the first batch is small so a
 * new folder shows something at once; each next one doubles up to the
 * cap, because every commit rewrites the index pages its rows touched
 * and a 100,000-message folder would otherwise pay that 500 times.
 * At 6,400 (20 commits for 100,000) the log is written a third less
 * than at 3,200; two batches in memory (one read, one being stored)
 * take about 15 MB.
 */
#define SYNC_BATCH_DEFAULT	200
#define SYNC_BATCH_MAX		6400

struct sync_opts {
	const char		*folder;	/* only this folder; NULL: all */
	size_t			 batch;		/* 0: growing from the default */
	bool			 no_prefetch;	/* headers only this run */
	sync_progress_fn	*progress;	/* may be NULL */
	void			*progress_arg;
	/*
	 * Tests: after this many committed header batches, the next batch
	 * is fetched, written and then rolled back, and the run fails with
	 * ERR_CANCELLED, as if killed in the middle of a batch.  0: never.
	 */
	unsigned		 test_stop_after_batches;
	/* Checked between steps; set to non-zero to stop (ERR_CANCELLED). */
	volatile int		*cancel;
};

/*
 * What a run did.  conflicts are translated sentences for the user
 * ("INBOX: message 12 is gone from the server; flag change dropped"),
 * owned by the report: sync_report_clear() frees them.
 */
struct sync_report {
	unsigned	 folders;	/* folders synced */
	unsigned	 folders_failed;
	uint64_t	 added;		/* new messages stored */
	uint64_t	 updated;	/* flag changes from the server */
	uint64_t	 removed;	/* expunged on the server */
	uint64_t	 bodies;	/* bodies fetched */
	uint64_t	 ops_done;	/* pending operations replayed */
	uint64_t	 ops_failed;	/* given up (see conflicts) */
	char		**conflicts;
	size_t		 nconflicts;
};

void	 sync_report_clear(struct sync_report *);
/* Add one line to conflicts (printf-style). */
void	 sync_report_conflict(struct sync_report *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ */
/* IMAP sessions                                                       */

/*
 * One IMAP account on one thread: the store connection and the account
 * are borrowed (they must outlive the session); the connection to the
 * server is made on first use and made again after a failure.  The
 * password comes from config_get_password() (password_cmd, the file, the
 * prompt hook) once per session and is wiped on free.
 */
struct sync_session;

struct sync_session *sync_session_new(struct store *,
	    const struct config_account *);
void	 sync_session_free(struct sync_session **);
/*
 * Act as if the server lacked these extensions, for servers whose
 * implementation is broken and for tests of the plain fallbacks: without
 * QRESYNC expunges are found by comparing UID lists, without CONDSTORE
 * every flag is fetched again.  Takes effect at the next connection.
 */
#define SYNC_NO_QRESYNC		0x1
#define SYNC_NO_CONDSTORE	0x2	/* implies SYNC_NO_QRESYNC */
void	 sync_session_set_limits(struct sync_session *, unsigned);
/* Connect and log in unless connected already. */
int	 sync_session_connect(struct sync_session *, struct err *);
/* Drop the server connection (LOGOUT when it still works). */
void	 sync_session_disconnect(struct sync_session *);
bool	 sync_session_online(const struct sync_session *);
/* The store account's id (created on first use), 0 before. */
int64_t	 sync_session_account_id(const struct sync_session *);

/*
 * Everything for the account: pending operations first (so the server
 * has the user's changes before its state is read back), the folder
 * list, every folder (or opts->folder), quota.  A folder that fails is
 * counted in report->folders_failed and the run goes on; -1 only when
 * the account as a whole failed (connection, login, store) or on cancel.
 */
int	 sync_account(struct sync_session *, const struct sync_opts *,
	    struct sync_report *, struct err *);
/* The folder list (LIST with special-use roles) into the store. */
int	 sync_folder_list(struct sync_session *, struct sync_report *,
	    struct err *);
/* One folder, by store id. */
int	 sync_folder(struct sync_session *, int64_t, const struct sync_opts *,
	    struct sync_report *, struct err *);
/* Replay the account's pending operations, in order. */
int	 sync_replay(struct sync_session *, struct sync_report *,
	    struct err *);
/* Fetch the raw message of one store message and keep it. */
int	 sync_fetch_body(struct sync_session *, int64_t, struct err *);
/* GETQUOTAROOT INBOX into the account's quota (-1/-1 without QUOTA). */
int	 sync_quota(struct sync_session *, struct err *);
/*
 * Search: the store's FTS5 answer for q merged with the server's UID
 * SEARCH (CHARSET UTF-8) in q->folder_id, which finds what was never
 * downloaded (bodies the store lacks).  Only messages the store has are
 * returned; local matches first.  Offline, the local answer alone
 * (*server_used_r false).
 */
int	 sync_search(struct sync_session *, const struct store_query *,
	    int64_t **, size_t *, bool *, struct err *);
/*
 * Wait on one folder with IDLE (or NOOP polling without it) for up to
 * timeout_ms; when the server reports a change, sync that folder.
 * Returns 1 when something changed, 0 on timeout.
 */
int	 sync_idle_once(struct sync_session *, int64_t, int,
	    struct sync_report *, struct err *);

/* ------------------------------------------------------------------ */
/* The delivery engines (sync/delivery.h) with their secrets            */

struct sync_pop3_stats;
struct sync_outbox_stats;

/* POP3 download with the account's incoming password. */
int	 sync_run_pop3(struct store *, const struct config_account *,
	    sync_progress_fn *, void *, struct sync_pop3_stats *,
	    struct err *);
/*
 * Send the account's due outbox messages; *nothing_r when none was due
 * (then no password is asked for).  For an IMAP account the Sent copies
 * are pending APPENDs: replay them (sync_replay) afterwards.
 */
int	 sync_run_outbox(struct store *, const struct config_account *,
	    sync_progress_fn *, void *, struct sync_outbox_stats *, bool *,
	    struct err *);

/* ------------------------------------------------------------------ */
/* Local changes: applied to the store at once and queued for replay.   */

/* Set, then clear, STORE_FLAG_* bits of a message. */
int	 sync_local_flags(struct store *, int64_t, unsigned, unsigned,
	    struct err *);
/* Move a message to another folder of its account. */
int	 sync_local_move(struct store *, int64_t, int64_t, struct err *);
/* Copy; *id_r (may be NULL) is the local copy. */
int	 sync_local_copy(struct store *, int64_t, int64_t, int64_t *,
	    struct err *);
/* Delete for good: gone locally now, \Deleted + UID EXPUNGE later. */
int	 sync_local_delete(struct store *, int64_t, struct err *);
/*
 * Store a raw message in a folder (a draft, a sent copy) and queue its
 * upload; flags STORE_FLAG_*.  *id_r (may be NULL) is the new message.
 */
int	 sync_local_append(struct store *, int64_t, const void *, size_t,
	    unsigned, int64_t *, struct err *);

/* ------------------------------------------------------------------ */
/* The worker thread for the UI                                        */

struct sync_status {
	bool	online;		/* at least one account connected */
	char	progress[128];	/* "INBOX 120/4000", "" when idle */
	char	error[512];	/* the latest failure, "" if none */
};

/*
 * A queue of jobs run one at a time by a worker thread with its own
 * store connection (store_open_more() of the one given) and one
 * sync_session per account of cfg.  cfg must outlive the queue.  Every
 * submit call returns at once; notify_fd becomes readable whenever a job
 * ended or the status changed (read it empty, then reload).  With
 * idle_folder set (sync_jobs_idle()), the worker sits in IDLE on that
 * folder between jobs, reconnecting with backoff when the network goes.
 */
struct sync_jobs;

int	 sync_jobs_new(struct store *, const struct config *,
	    struct sync_jobs **, struct err *);
/* Stop the worker (the job running ends first) and free; NULL is fine. */
void	 sync_jobs_free(struct sync_jobs **);
/* Sync one folder (store id), or every account (0). */
void	 sync_jobs_sync(struct sync_jobs *, int64_t);
void	 sync_jobs_fetch_body(struct sync_jobs *, int64_t);
/* Replay an account's pending operations (0: every account). */
void	 sync_jobs_replay(struct sync_jobs *, int64_t);
/* Send an account's outbox (0: every account). */
void	 sync_jobs_send(struct sync_jobs *, int64_t);
/*
 * Search in the worker: sync_search() for a query limited to one folder
 * of an IMAP account (the server finds what the store has no body for),
 * the store alone otherwise.  q is copied.  The search runs before other
 * waiting jobs and replaces a search still waiting; token names it.
 * notify_fd wakes when it is done.
 */
void	 sync_jobs_search(struct sync_jobs *, const struct store_query *,
	    uint64_t);
/*
 * The answer of the latest finished search, handed over once: its
 * token, the ids (free() them), and whether the server took part
 * (false: offline, or not an IMAP folder).  false when none is waiting.
 */
bool	 sync_jobs_search_result(struct sync_jobs *, uint64_t *, int64_t **,
	    size_t *, bool *);
/* Watch this folder with IDLE between jobs (0: stop watching). */
void	 sync_jobs_idle(struct sync_jobs *, int64_t);
/*
 * Sync every account every so many seconds while nothing else runs (the
 * folders IDLE does not watch learn of news this way; the accounts'
 * poll_interval is the usual value); 0 stops it.
 */
void	 sync_jobs_poll(struct sync_jobs *, unsigned);
int	 sync_jobs_notify_fd(const struct sync_jobs *);
/* Drain notify_fd; returns true when anything was there. */
bool	 sync_jobs_drain(struct sync_jobs *);
void	 sync_jobs_status(struct sync_jobs *, struct sync_status *);
/* Jobs queued or running (tests wait for 0). */
size_t	 sync_jobs_pending(struct sync_jobs *);

/* ------------------------------------------------------------------ */
/* Bodies one part at a time (part.c)                                  */

/* Messages above this size are opened part by part when possible. */
#define SYNC_PARTS_MIN		(64 * 1024)
/*
 * What reading a message needs: nothing when its raw message is here;
 * for one over SYNC_PARTS_MIN whose structure is known, just the parts
 * the reader shows (prefer as in mime_render_opts; attachments stay on
 * the server), with their search text; else the whole raw message.
 */
int	 sync_fetch_view(struct sync_session *, int64_t, const char *,
	    struct err *);
/*
 * One part by section ("2", "1.3") with its MIME header, to save or open
 * it; the whole message when its structure is unknown.
 */
int	 sync_fetch_part(struct sync_session *, int64_t, const char *,
	    struct err *);

/* Fetch one part of a message (sync_fetch_part), ahead of other jobs. */
void	 sync_jobs_fetch_part(struct sync_jobs *, int64_t, const char *);

#endif
