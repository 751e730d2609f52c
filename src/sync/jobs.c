/*
 * The worker thread the UI hands network work to: a FIFO of jobs run one
 * at a time with the worker's own store connection, a pipe that wakes
 * the UI when the store or the status changed, and IDLE on one folder
 * while there is nothing else to do, reconnecting with backoff.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "sync/sync-int.h"
#include "sync/sync.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"

#define IDLE_SLICE_MS	500		/* how often IDLE looks at the queue */
#define IDLE_RESTART_S	(25 * 60)	/* RFC 2177: re-issue within 29 min */
#define BACKOFF_MAX_S	300

enum job_kind {
	JOB_SYNC = 0,
	JOB_BODY,
	JOB_REPLAY,
	JOB_SEND,
	JOB_SEARCH,
	JOB_PART,
};

/* A search's query, copied: the UI's strings may go meanwhile. */
struct job_query {
	struct store_query	 q;
	char			*text, *from, *to, *subject;
};

struct job {
	enum job_kind	 kind;
	int64_t		 id;		/* JOB_SEARCH: the caller's token */
	struct job_query *query;
	char		*section;	/* JOB_PART */
	struct job	*next;
};

struct sync_jobs {
	pthread_t		 thread;
	bool			 started;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct job		*head, *tail;
	size_t			 pending;	/* queued + running */
	bool			 stop;
	int64_t			 idle_folder;
	unsigned		 poll;		/* seconds between full syncs */
	time_t			 next_poll;
	int			 pipe[2];
	struct store		*store;		/* the worker's */
	const struct config	*cfg;
	struct sync_session	**sess;		/* per cfg account, or NULL */
	struct sync_status	 status;
	volatile int		 cancel;
	/* The answer of the latest search, until the UI takes it. */
	bool			 found_ready;
	uint64_t		 found_token;
	int64_t			*found_ids;
	size_t			 found_n;
	bool			 found_server;
};

static void
notify(struct sync_jobs *j)
{
	char	c = 1;

	if (write(j->pipe[1], &c, 1) == -1 && errno != EAGAIN)
		log_warn("sync: notify pipe: %s", strerror(errno));
}

static void
set_error(struct sync_jobs *j, const char *msg)
{
	pthread_mutex_lock(&j->mu);
	str_lcpy(j->status.error, msg, sizeof j->status.error);
	pthread_mutex_unlock(&j->mu);
	notify(j);
}

static void
on_progress(void *arg, const char *account, const char *what, uint64_t done,
    uint64_t total)
{
	struct sync_jobs	*j = arg;

	pthread_mutex_lock(&j->mu);
	if (total > 0)
		snprintf(j->status.progress, sizeof j->status.progress,
		    "%s: %s %llu/%llu", account, what,
		    (unsigned long long)done, (unsigned long long)total);
	else
		snprintf(j->status.progress, sizeof j->status.progress,
		    "%s: %s", account, what);
	pthread_mutex_unlock(&j->mu);
	notify(j);
}

/* The session of the account a store account id names, or NULL. */
static struct sync_session *
session_for_account(struct sync_jobs *j, int64_t account_id)
{
	struct store_account	*a;
	struct err		 e;
	size_t			 i;
	struct sync_session	*s = NULL;

	err_clear(&e);
	if (store_account_get(j->store, account_id, &a, &e) == -1)
		return NULL;
	for (i = 0; i < j->cfg->naccounts; i++) {
		if (j->sess[i] != NULL &&
		    strcmp(j->cfg->accounts[i].id, a->name) == 0)
			s = j->sess[i];
	}
	store_account_free(&a);
	return s;
}

static struct sync_session *
session_for_folder(struct sync_jobs *j, int64_t folder_id)
{
	struct store_folder	*f;
	struct sync_session	*s;
	struct err		 e;

	err_clear(&e);
	if (store_folder_get(j->store, folder_id, &f, &e) == -1)
		return NULL;
	s = session_for_account(j, f->account_id);
	store_folder_free(&f);
	return s;
}

/*
 * The session of the account a message belongs to: *s_r is NULL when
 * that account has none (POP3, or gone from the config), which is not an
 * error; a message the store cannot find is.
 */
static int
session_for_message(struct sync_jobs *j, int64_t msg_id,
    struct sync_session **s_r, struct err *e)
{
	struct store_msg	*m;

	*s_r = NULL;
	if (store_message_get(j->store, msg_id, &m, e) == -1)
		return -1;
	*s_r = session_for_folder(j, m->folder_id);
	store_msg_free(&m);
	return 0;
}

static void
report_done(struct sync_jobs *j, struct sync_report *rep, int rc,
    const struct err *e)
{
	if (rc == -1)
		set_error(j, e->msg);
	else if (rep->nconflicts > 0)
		set_error(j, rep->conflicts[rep->nconflicts - 1]);
	sync_report_clear(rep);
}

static void
query_free(struct job_query **qp)
{
	struct job_query	*q = *qp;

	if (q == NULL)
		return;
	free(q->text);
	free(q->from);
	free(q->to);
	free(q->subject);
	free(q);
	*qp = NULL;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/*
 * The local answer and the server's, merged (sync_search); offline or
 * for a query spanning folders, the local one alone.  A failure leaves
 * an empty answer, so the UI still hears that the search is over.
 */
static void
run_search(struct sync_jobs *j, const struct job *job)
{
	struct sync_session	*s = NULL;
	int64_t			*ids = NULL;
	size_t			 n = 0;
	bool			 server = false;
	struct err		 e;

	err_clear(&e);
	if (job->query->q.folder_id > 0)
		s = session_for_folder(j, job->query->q.folder_id);
	if (s != NULL) {
		if (sync_search(s, &job->query->q, &ids, &n, &server,
		    &e) == -1)
			log_info("sync: search: %s", e.msg);
	} else if (store_search(j->store, &job->query->q, &ids, &n,
	    &e) == -1)
		log_info("sync: search: %s", e.msg);
	pthread_mutex_lock(&j->mu);
	free(j->found_ids);
	j->found_ids = ids;
	j->found_n = n;
	j->found_server = server;
	j->found_token = (uint64_t)job->id;
	j->found_ready = true;
	pthread_mutex_unlock(&j->mu);
}

static void
run_job(struct sync_jobs *j, const struct job *job)
{
	struct sync_opts	 o;
	struct sync_report	 rep;
	struct sync_session	*s;
	struct err		 e;
	size_t			 i;
	int			 rc = 0;

	memset(&o, 0, sizeof o);
	o.progress = on_progress;
	o.progress_arg = j;
	o.cancel = &j->cancel;
	memset(&rep, 0, sizeof rep);
	err_clear(&e);
	switch (job->kind) {
	case JOB_SYNC:
		if (job->id != 0) {
			if ((s = session_for_folder(j, job->id)) != NULL)
				rc = sync_folder(s, job->id, &o, &rep, &e);
			break;
		}
		for (i = 0; i < j->cfg->naccounts; i++) {
			err_clear(&e);
			if (j->sess[i] == NULL) {
				struct sync_pop3_stats	ps;

				if (j->cfg->accounts[i].incoming.protocol ==
				    CONFIG_PROTO_POP3 && sync_run_pop3(j->store,
				    &j->cfg->accounts[i], on_progress, j, &ps,
				    &e) == -1)
					report_done(j, &rep, -1, &e);
				continue;
			}
			if (sync_account(j->sess[i], &o, &rep, &e) == -1)
				report_done(j, &rep, -1, &e);
		}
		break;
	case JOB_BODY:
		if ((rc = session_for_message(j, job->id, &s, &e)) == 0 &&
		    s != NULL)
			rc = sync_fetch_view(s, job->id,
			    j->cfg->general.prefer_plain ? NULL : "text/html",
			    &e);
		break;
	case JOB_PART:
		if ((rc = session_for_message(j, job->id, &s, &e)) == 0 &&
		    s != NULL)
			rc = sync_fetch_part(s, job->id, job->section, &e);
		break;
	case JOB_REPLAY:
		for (i = 0; i < j->cfg->naccounts; i++) {
			if (j->sess[i] == NULL || (job->id != 0 &&
			    sync_session_account_id(j->sess[i]) != job->id))
				continue;
			err_clear(&e);
			if (sync_replay(j->sess[i], &rep, &e) == -1)
				report_done(j, &rep, -1, &e);
		}
		break;
	case JOB_SEND:
		for (i = 0; i < j->cfg->naccounts; i++) {
			struct sync_outbox_stats	os;
			struct store_account		*sa;
			bool				 nothing;

			err_clear(&e);
			if (job->id != 0) {
				if (store_account_get(j->store, job->id, &sa,
				    &e) == -1)
					break;
				nothing = strcmp(sa->name,
				    j->cfg->accounts[i].id) != 0;
				store_account_free(&sa);
				if (nothing)
					continue;
			}
			if (sync_run_outbox(j->store, &j->cfg->accounts[i],
			    on_progress, j, &os, &nothing, &e) == -1)
				report_done(j, &rep, -1, &e);
			else if (!nothing && os.sent > 0 && j->sess[i] != NULL &&
			    sync_replay(j->sess[i], &rep, &e) == -1)
				report_done(j, &rep, -1, &e);
		}
		break;
	case JOB_SEARCH:
		run_search(j, job);
		break;
	}
	report_done(j, &rep, rc, &e);
	pthread_mutex_lock(&j->mu);
	j->status.progress[0] = '\0';
	j->status.online = false;
	for (i = 0; i < j->cfg->naccounts; i++) {
		if (j->sess[i] != NULL && sync_session_online(j->sess[i]))
			j->status.online = true;
	}
	pthread_mutex_unlock(&j->mu);
}

/* Sleep up to secs, waking early when signalled.  Called locked. */
static void
wait_locked(struct sync_jobs *j, int secs)
{
	struct timespec	ts;

	/* One wait: the caller looks at everything again after any wake. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += secs > 0 ? secs : 0;
	if (!j->stop && j->head == NULL)
		(void)pthread_cond_timedwait(&j->cv, &j->mu, &ts);
}

/*
 * IDLE on the watched folder until the server says something (then sync
 * it), a job arrives or the folder changes.  Called unlocked; returns
 * the backoff to use next (0 after success).
 */
static int
idle_cycle(struct sync_jobs *j, int64_t folder, int backoff)
{
	struct sync_session	*s;
	struct sync_report	 rep;
	struct err		 e;
	time_t			 start = time(NULL);
	int			 rc = 0;
	bool			 leave;

	if ((s = session_for_folder(j, folder)) == NULL) {
		pthread_mutex_lock(&j->mu);
		if (j->idle_folder == folder)
			j->idle_folder = 0;
		pthread_mutex_unlock(&j->mu);
		return 0;
	}
	err_clear(&e);
	memset(&rep, 0, sizeof rep);
	if (sess_idle_begin(s, folder, &e) == -1)
		goto fail;
	for (;;) {
		rc = sess_idle_wait(s, IDLE_SLICE_MS, &e);
		if (rc != 0)
			break;
		pthread_mutex_lock(&j->mu);
		leave = j->stop || j->head != NULL || j->idle_folder != folder ||
		    (j->poll > 0 && time(NULL) >= j->next_poll);
		pthread_mutex_unlock(&j->mu);
		if (leave || time(NULL) - start > IDLE_RESTART_S)
			break;
	}
	if (rc == -1)
		goto fail;
	if (sess_idle_end(s, &e) == -1)
		goto fail;
	if (rc == 1) {
		if (sync_folder(s, folder, NULL, &rep, &e) == -1)
			goto fail;
		sync_report_clear(&rep);
		notify(j);
	}
	return 0;
fail:
	sync_report_clear(&rep);
	set_error(j, e.msg);
	sync_session_disconnect(s);
	backoff = backoff == 0 ? 1 : backoff * 2;
	return backoff > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff;
}

static void *
worker(void *arg)
{
	struct sync_jobs	*j = arg;
	struct job		*job;
	int64_t			 folder;
	int			 backoff = 0;

	pthread_mutex_lock(&j->mu);
	while (!j->stop) {
		if ((job = j->head) != NULL) {
			j->head = job->next;
			if (j->head == NULL)
				j->tail = NULL;
			pthread_mutex_unlock(&j->mu);
			run_job(j, job);
			query_free(&job->query);
			free(job->section);
			free(job);
			pthread_mutex_lock(&j->mu);
			j->pending--;
			pthread_mutex_unlock(&j->mu);
			notify(j);
			pthread_mutex_lock(&j->mu);
			continue;
		}
		if (j->poll > 0 && time(NULL) >= j->next_poll) {
			/* Polling: the other folders see news this way. */
			struct job	poll_job = { .kind = JOB_SYNC };

			j->next_poll = time(NULL) + j->poll;
			j->pending++;
			pthread_mutex_unlock(&j->mu);
			run_job(j, &poll_job);
			pthread_mutex_lock(&j->mu);
			j->pending--;
			pthread_mutex_unlock(&j->mu);
			notify(j);
			pthread_mutex_lock(&j->mu);
			continue;
		}
		if ((folder = j->idle_folder) != 0) {
			if (backoff > 0) {
				wait_locked(j, backoff);
				if (j->stop || j->head != NULL)
					continue;
			}
			pthread_mutex_unlock(&j->mu);
			backoff = idle_cycle(j, folder, backoff);
			pthread_mutex_lock(&j->mu);
			continue;
		}
		if (j->poll > 0)
			wait_locked(j, (int)(j->next_poll - time(NULL)) + 1);
		else
			pthread_cond_wait(&j->cv, &j->mu);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

int
sync_jobs_new(struct store *st, const struct config *cfg,
    struct sync_jobs **j_r, struct err *err)
{
	struct sync_jobs	*j;
	size_t			 i;
	int			 k;

	*j_r = NULL;
	j = xcalloc(1, sizeof *j);
	j->cfg = cfg;
	j->pipe[0] = j->pipe[1] = -1;
	if (pipe(j->pipe) == -1) {
		err_set(err, ERR_IO, "pipe: %s", strerror(errno));
		free(j);
		return -1;
	}
	for (k = 0; k < 2; k++) {
		fcntl(j->pipe[k], F_SETFL, fcntl(j->pipe[k], F_GETFL) |
		    O_NONBLOCK);
		fcntl(j->pipe[k], F_SETFD, FD_CLOEXEC);
	}
	if (store_open_more(st, &j->store, err) == -1) {
		close(j->pipe[0]);
		close(j->pipe[1]);
		free(j);
		return -1;
	}
	j->sess = xcalloc(cfg->naccounts + 1, sizeof *j->sess);
	for (i = 0; i < cfg->naccounts; i++) {
		if (cfg->accounts[i].incoming.protocol == CONFIG_PROTO_IMAP)
			j->sess[i] = sync_session_new(j->store,
			    &cfg->accounts[i]);
	}
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	if ((k = pthread_create(&j->thread, NULL, worker, j)) != 0) {
		err_set(err, ERR_INTERNAL, "pthread_create: %s", strerror(k));
		j->started = false;
		sync_jobs_free(&j);
		return -1;
	}
	j->started = true;
	*j_r = j;
	return 0;
}

void
sync_jobs_free(struct sync_jobs **jp)
{
	struct sync_jobs	*j = *jp;
	struct job		*job;
	size_t			 i;

	if (j == NULL)
		return;
	if (j->started) {
		pthread_mutex_lock(&j->mu);
		j->stop = true;
		j->cancel = 1;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
		pthread_join(j->thread, NULL);
	}
	while ((job = j->head) != NULL) {
		j->head = job->next;
		query_free(&job->query);
		free(job->section);
		free(job);
	}
	free(j->found_ids);
	for (i = 0; i < j->cfg->naccounts; i++)
		sync_session_free(&j->sess[i]);
	free(j->sess);
	store_close(&j->store);
	close(j->pipe[0]);
	close(j->pipe[1]);
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j);
	*jp = NULL;
}

static void
submit(struct sync_jobs *j, enum job_kind kind, int64_t id)
{
	struct job	*job, *q;

	if (j == NULL)
		return;
	pthread_mutex_lock(&j->mu);
	/* The same job waiting already does the work. */
	for (q = j->head; q != NULL; q = q->next) {
		if (q->kind == kind && q->id == id) {
			pthread_mutex_unlock(&j->mu);
			return;
		}
	}
	job = xcalloc(1, sizeof *job);
	job->kind = kind;
	job->id = id;
	if (j->tail != NULL)
		j->tail->next = job;
	else
		j->head = job;
	j->tail = job;
	j->pending++;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

void
sync_jobs_sync(struct sync_jobs *j, int64_t folder_id)
{
	submit(j, JOB_SYNC, folder_id);
}

void
sync_jobs_fetch_body(struct sync_jobs *j, int64_t msg_id)
{
	submit(j, JOB_BODY, msg_id);
}

void
sync_jobs_replay(struct sync_jobs *j, int64_t account_id)
{
	submit(j, JOB_REPLAY, account_id);
}

void
sync_jobs_send(struct sync_jobs *j, int64_t account_id)
{
	submit(j, JOB_SEND, account_id);
}

void
sync_jobs_search(struct sync_jobs *j, const struct store_query *q,
    uint64_t token)
{
	struct job	*job, **jp;

	if (j == NULL)
		return;
	job = xcalloc(1, sizeof *job);
	job->kind = JOB_SEARCH;
	job->id = (int64_t)token;
	job->query = xcalloc(1, sizeof *job->query);
	job->query->q = *q;
	job->query->q.text = job->query->text = dup_or_null(q->text);
	job->query->q.from = job->query->from = dup_or_null(q->from);
	job->query->q.to = job->query->to = dup_or_null(q->to);
	job->query->q.subject = job->query->subject = dup_or_null(q->subject);
	pthread_mutex_lock(&j->mu);
	/* A newer search replaces one still waiting. */
	for (jp = &j->head; *jp != NULL;) {
		struct job *old = *jp;

		if (old->kind != JOB_SEARCH) {
			jp = &old->next;
			continue;
		}
		*jp = old->next;
		query_free(&old->query);
		free(old);
		j->pending--;
	}
	/* The user is waiting on it: ahead of syncs and sends. */
	job->next = j->head;
	j->head = job;
	for (j->tail = j->head; j->tail->next != NULL; j->tail = j->tail->next)
		;
	j->pending++;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

bool
sync_jobs_search_result(struct sync_jobs *j, uint64_t *token_r,
    int64_t **ids_r, size_t *n_r, bool *server_r)
{
	bool	ready;

	pthread_mutex_lock(&j->mu);
	ready = j->found_ready;
	if (ready) {
		*token_r = j->found_token;
		*ids_r = j->found_ids;
		*n_r = j->found_n;
		*server_r = j->found_server;
		j->found_ids = NULL;
		j->found_n = 0;
		j->found_ready = false;
	}
	pthread_mutex_unlock(&j->mu);
	return ready;
}

void
sync_jobs_idle(struct sync_jobs *j, int64_t folder_id)
{
	pthread_mutex_lock(&j->mu);
	j->idle_folder = folder_id;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

void
sync_jobs_poll(struct sync_jobs *j, unsigned seconds)
{
	pthread_mutex_lock(&j->mu);
	j->poll = seconds;
	j->next_poll = time(NULL) + seconds;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

int
sync_jobs_notify_fd(const struct sync_jobs *j)
{
	return j != NULL ? j->pipe[0] : -1;
}

bool
sync_jobs_drain(struct sync_jobs *j)
{
	char	buf[64];
	bool	any = false;

	while (read(j->pipe[0], buf, sizeof buf) > 0)
		any = true;
	return any;
}

void
sync_jobs_status(struct sync_jobs *j, struct sync_status *st)
{
	pthread_mutex_lock(&j->mu);
	*st = j->status;
	pthread_mutex_unlock(&j->mu);
}

size_t
sync_jobs_pending(struct sync_jobs *j)
{
	size_t	n;

	pthread_mutex_lock(&j->mu);
	n = j->pending;
	pthread_mutex_unlock(&j->mu);
	return n;
}

void
sync_jobs_fetch_part(struct sync_jobs *j, int64_t msg_id, const char *section)
{
	struct job	*job, *q;

	if (j == NULL || section == NULL)
		return;
	pthread_mutex_lock(&j->mu);
	for (q = j->head; q != NULL; q = q->next) {
		if (q->kind == JOB_PART && q->id == msg_id &&
		    strcmp(q->section, section) == 0) {
			pthread_mutex_unlock(&j->mu);
			return;
		}
	}
	job = xcalloc(1, sizeof *job);
	job->kind = JOB_PART;
	job->id = msg_id;
	job->section = xstrdup(section);
	/* The user is waiting on it: ahead of syncs and sends. */
	job->next = j->head;
	j->head = job;
	if (j->tail == NULL)
		j->tail = job;
	j->pending++;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
}
