/*
 * What the UI asks of the sync engine, as function pointers the program
 * fills in (src/sync/ owns the real queue; this is the UI's whole view of
 * it).  Every call only queues work and returns at once: the UI never
 * waits on the network.  Any pointer may be NULL (the demo, or no
 * accounts): the UI then just leaves the work in the store's queues.
 */
#ifndef SURAT_UI_JOBS_H
#define SURAT_UI_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store_query;

/* For the status line. */
struct ui_sync_status {
	bool	online;		/* at least one account connected */
	char	progress[128];	/* "INBOX 120/4000", "" when idle */
	char	error[512];	/* the latest failure, "" if none */
};

struct ui_jobs {
	void	*arg;
	/* Replay the pending operations of an account (0: every account). */
	void	(*replay)(void *, int64_t);
	/* Fetch the body of a message the store has only headers of. */
	void	(*fetch_body)(void *, int64_t);
	/* Send what the outbox holds for an account (0: all). */
	void	(*send)(void *, int64_t);
	/* Synchronise one folder now (0: everything). */
	void	(*sync)(void *, int64_t);
	/*
	 * Search again with the server's help (q limited to one folder):
	 * the answer comes later through search_result, named by token.
	 */
	void	(*search)(void *, const struct store_query *, uint64_t);
	/*
	 * The answer of a finished search, once: token, ids (the UI frees
	 * them), whether the server took part.  false when none waits.
	 */
	bool	(*search_result)(void *, uint64_t *, int64_t **, size_t *,
		    bool *);
	/* Fill the current state; called when notify_fd wakes the UI. */
	void	(*status)(void *, struct ui_sync_status *);
	/*
	 * Readable when the engine changed the store or its status (a pipe
	 * or an eventfd the workers write to); the UI drains it, reloads the
	 * visible rows and redraws.  -1: none.
	 */
	int	 notify_fd;
	/* Fetch one part ("2", "1.3") of a message, to save or open it. */
	void	(*fetch_part)(void *, int64_t, const char *);
};

#endif
