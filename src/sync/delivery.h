/*
 * The delivery engines: POP3 download into the store with the account's
 * leave-on-server policy, and the outbox sender (SMTP submission).  Both
 * are plain blocking code for one account on the calling thread; surat
 * sync calls them on the main thread, the UI from a worker thread with
 * that thread's own store connection.
 */
#ifndef SURAT_SYNC_DELIVERY_H
#define SURAT_SYNC_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sync/sync.h"

struct config_account;
struct err;
struct store;

/* ---- POP3 download ---------------------------------------------------- */

struct sync_pop3_stats {
	size_t		on_server;	/* messages on the server at login */
	size_t		downloaded;	/* new messages stored this run */
	size_t		deleted;	/* removed from the server (QUIT ok) */
	uint64_t	bytes;		/* of the messages downloaded */
	/*
	 * The server has no UIDL: nothing can be tracked, so nothing was
	 * downloaded unless the policy is "delete" (then everything was,
	 * and deleted).  warning holds a translated sentence for the user.
	 */
	bool		no_uidl;
	char		warning[256];
};

/*
 * Download every message of the account's POP3 mailbox not downloaded
 * before (by UIDL) into the account's Inbox in the store, then apply
 * acc->pop3_policy:
 *   keep                 nothing is deleted on the server;
 *   delete               every message stored here is deleted there;
 *   keep-days:N          those first seen N days ago or more are;
 *   keep-until-deleted   those whose local copy the user deleted are.
 * Each message and its UIDL are committed in one transaction before the
 * message is deleted on the server (and the commit made durable before
 * the first DELE), so a crash at any point loses nothing and downloads
 * nothing twice.  Messages are streamed (a spool file, then the store in
 * chunks), never held whole in memory.  password: the incoming secret.
 * progress may be NULL.  stats (may be NULL) is filled also on failure.
 * Errors: ERR_SCOPE_ACCOUNT for connection/login problems, with the
 * server in the message; a message the store refuses stops the run.
 */
int	 sync_pop3_download(struct store *, const struct config_account *,
	    const char *password, sync_progress_fn *, void *,
	    struct sync_pop3_stats *, struct err *);

/* ---- Outbox sending --------------------------------------------------- */

struct sync_outbox_stats {
	size_t		sent;		/* final 250 received */
	size_t		retry;		/* 4xx or network: queued again */
	size_t		failed;		/* 5xx: kept, marked failed */
	size_t		check;		/* no reply to the final dot */
	size_t		held;		/* due, but over the rate limit */
	/* When the next queued message is due (retry or rate limit), 0: none
	 * known.  Unix time. */
	int64_t		next_at;
};

/*
 * Send the account's due outbox messages through acc->outgoing.  A
 * message leaves the queue only after the server's final 250; then it is
 * marked sent and a copy filed: for an IMAP account in its Sent folder
 * with an APPEND queued as a pending operation (unless sent_copy = no,
 * or auto and the provider files it itself), for a POP3 or local account
 * in the local Sent folder.  4xx replies and network errors put it back
 * in the queue with a growing delay; 5xx marks it failed with the
 * server's text; a connection lost after the final dot and before the
 * reply marks it "check" (maybe sent: never resent without the user).
 * The account's rate limit (rate_limit per rate_period) holds the rest.
 * secret: the SMTP password, or the OAuth2 token when acc->auth is
 * XOAUTH2.  Returns -1 when the server could not be used at all (the
 * messages stay queued, stats->retry counts them).
 */
int	 sync_outbox_send(struct store *, const struct config_account *,
	    const char *secret, sync_progress_fn *, void *,
	    struct sync_outbox_stats *, struct err *);

/* Delay before retry number attempts + 1 (seconds): 1, 2, 4 ... min, 4 h. */
int64_t	 sync_outbox_backoff(int attempts);

/* ---- Test hooks --------------------------------------------------------- */

/* The engines' clock (Unix seconds); NULL restores time(). */
void	 sync_delivery_set_clock(int64_t (*)(void));
int64_t	 sync_delivery_now(void);

/*
 * Crash points.  The engines call the hook at named steps:
 *   "pop3-stored"   a message and its UIDL are committed
 *   "pop3-dele"     DELE sent for one message (before QUIT)
 *   "pop3-quit"     QUIT answered, before the store learns of it
 *   "smtp-dot"      the message is marked sending, the dot not yet sent
 *   "smtp-250"      the final 250 came, the store not yet told
 *   "smtp-sent"     marked sent with its Sent copy
 * A hook that returns non-zero stops the engine there as a crash would:
 * no QUIT, nothing more written; the call fails with ERR_CANCELLED.
 * Without a hook, the environment variable SURAT_CRASH_AT=STEP[:K] kills
 * the process with SIGKILL at the K-th (default first) time STEP is
 * reached, for tests that run the real binary.
 */
typedef int	 sync_crash_fn(void *, const char *step);
void	 sync_delivery_set_crash(sync_crash_fn *, void *);

#endif
