/*
 * surat list and surat search: message rows from the store, newest
 * first, as a text table or as JSON (doc/json.md).  list pages through a
 * folder's index; search asks the full-text index with the same query
 * words as the UI's search prompt, and with --server also the IMAP
 * servers (UID SEARCH through sync_search()), which know the bodies the
 * store never downloaded.
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "cmd_common.h"
#include "store/store.h"
#include "sync/sync.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define LIST_PAGE	500
#define FROM_COLS	22

struct rows {
	struct cmd	*c;
	size_t		 n;
	size_t		 limit;		/* 0: no limit */
	bool		 server;	/* search --server */
	bool		 partial;	/* a server could not be asked */
};

/* Text cut to cols columns and padded, sanitized. */
static void
put_column(const char *s, size_t cols, bool pad)
{
	char	*t;
	size_t	 len, used;

	t = sanitize_str(s != NULL ? s : "", 0);
	len = utf8_fit(t, strlen(t), cols, &used);
	fwrite(t, 1, len, stdout);
	if (pad) {
		for (; used < cols; used++)
			putchar(' ');
	}
	free(t);
}

static void
put_text_row(struct cmd *c, const struct store_msg *m)
{
	char		 fl[8], when[32];
	time_t		 t = (time_t)m->date;
	struct tm	 tm;

	(void)c;
	cmd_flag_letters(m->flags, fl);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm) == 0)
		str_lcpy(when, "?", sizeof when);
	printf("%6" PRId64 "  %s  %s%c  ", m->id, when, fl,
	    m->has_attachments ? '@' : ' ');
	put_column(m->from_name != NULL && *m->from_name != '\0' ?
	    m->from_name : m->from_addr, FROM_COLS, true);
	fputs("  ", stdout);
	put_column(m->subject, 200, false);
	putchar('\n');
}

/* One row; returns 1 when the limit is reached. */
static int
put_row(struct rows *r, int64_t id, struct err *err)
{
	struct store_msg	*m;

	if (r->limit != 0 && r->n >= r->limit)
		return 1;
	if (cmd_get_message(r->c, id, &m, err) == -1)
		return -1;
	if (r->c->j != NULL)
		cmd_json_message(r->c, m);
	else
		put_text_row(r->c, m);
	store_msg_free(&m);
	r->n++;
	/* Stream large listings instead of holding them. */
	if (r->c->j != NULL && r->c->out.len > 65536)
		cmd_json_flush(r->c);
	return 0;
}

static int
list_folder(struct rows *r, int64_t folder_id, bool threaded,
    struct err *err)
{
	struct store_sort	 sort = { STORE_SORT_DATE, true, threaded };
	struct store_cursor	 cur;
	struct store_row	*rows;
	size_t			 n, i;
	bool			 first = true;
	int			 rc = 0;

	memset(&cur, 0, sizeof cur);
	while (rc == 0) {
		if (store_index_page(r->c->st, folder_id, &sort,
		    first ? NULL : &cur, STORE_PAGE_FORWARD, LIST_PAGE, &rows,
		    &n, err) == -1)
			return -1;
		for (i = 0; i < n && rc == 0; i++)
			rc = put_row(r, rows[i].id, err);
		if (n > 0)
			cur = rows[n - 1].cursor;
		store_rows_free(&rows, n);
		first = false;
		if (n < LIST_PAGE)
			break;
	}
	return rc == -1 ? -1 : 0;
}

/* ---- Query words ------------------------------------------------------ */

struct query {
	struct store_query	 q;
	struct buf		 text, from, to, subject;
	char			*folder;
	char			*account;
};

static void
add_word(struct buf *b, const char *w, size_t n)
{
	if (b->len > 0)
		buf_addc(b, ' ');
	buf_add(b, w, n);
}

/* YYYY-MM-DD as local midnight. */
static int
parse_day(const char *s, int64_t *t_r)
{
	struct tm	tm;
	int		y, m, d;
	char		extra;

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
	    y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	*t_r = (int64_t)mktime(&tm);
	return *t_r == -1 ? -1 : 0;
}

/*
 * One word of the query.  Keys: from: to: subject: before: after:
 * folder: account: is:unread is:flagged has:attachment; anything else
 * (URLs included) is text.
 */
static int
query_word(struct query *qr, const char *w, size_t n, struct err *err)
{
	char	*v = NULL, *key;
	size_t	 kl;
	int	 rc = 0;

	kl = strcspn(w, ":");
	if (kl >= n || kl == 0 || w[0] == '"') {
		add_word(&qr->text, w, n);
		return 0;
	}
	key = xstrndup(w, kl);
	v = xstrndup(w + kl + 1, n - kl - 1);
	str_lower(key);
	if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0 ||
	    strcmp(key, "subject") == 0 || strcmp(key, "folder") == 0 ||
	    strcmp(key, "account") == 0 || strcmp(key, "before") == 0 ||
	    strcmp(key, "after") == 0) {
		if (*v == '\0') {
			err_set(err, ERR_USAGE, _("query: '%s' needs a "
			    "value"), key);
			rc = -1;
		} else if (strcmp(key, "from") == 0)
			add_word(&qr->from, v, strlen(v));
		else if (strcmp(key, "to") == 0)
			add_word(&qr->to, v, strlen(v));
		else if (strcmp(key, "subject") == 0)
			add_word(&qr->subject, v, strlen(v));
		else if (strcmp(key, "folder") == 0) {
			free(qr->folder);
			qr->folder = xstrdup(v);
		} else if (strcmp(key, "account") == 0) {
			free(qr->account);
			qr->account = xstrdup(v);
		} else if (parse_day(v, strcmp(key, "before") == 0 ?
		    &qr->q.before : &qr->q.after) == -1) {
			err_set(err, ERR_USAGE, _("query: '%s:%s' is not a "
			    "date (YYYY-MM-DD)"), key, v);
			rc = -1;
		}
	} else if (strcmp(key, "is") == 0) {
		str_lower(v);
		if (strcmp(v, "unread") == 0)
			qr->q.unread = true;
		else if (strcmp(v, "flagged") == 0)
			qr->q.flagged = true;
		else {
			err_set(err, ERR_USAGE, _("query: unknown 'is:%s' "
			    "(is:unread or is:flagged)"), v);
			rc = -1;
		}
	} else if (strcmp(key, "has") == 0) {
		str_lower(v);
		if (strcmp(v, "attachment") == 0 ||
		    strcmp(v, "attachments") == 0)
			qr->q.has_attachment = true;
		else {
			err_set(err, ERR_USAGE, _("query: unknown 'has:%s' "
			    "(has:attachment)"), v);
			rc = -1;
		}
	} else
		add_word(&qr->text, w, n);
	free(key);
	free(v);
	return rc;
}

static int
query_parse(struct query *qr, const char *s, struct err *err)
{
	const char	*p = s, *start;

	while (*p != '\0') {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		if (*p == '"') {
			p = strchr(p + 1, '"');
			if (p == NULL) {
				err_set(err, ERR_USAGE, "%s", _("query: a "
				    "quoted phrase is not closed"));
				return -1;
			}
			p++;
		} else {
			while (*p != '\0' && !isspace((unsigned char)*p))
				p++;
		}
		if (query_word(qr, start, (size_t)(p - start), err) == -1)
			return -1;
	}
	return 0;
}

static void
query_free(struct query *qr)
{
	buf_free(&qr->text);
	buf_free(&qr->from);
	buf_free(&qr->to);
	buf_free(&qr->subject);
	free(qr->folder);
	free(qr->account);
}

/* ---- Asking the servers too ------------------------------------------ */

static int
cmp_id(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A message the server found, checked against what UID SEARCH was not
 * asked (dates, attachments) and against the store's own flags, which
 * may hold changes the server has not seen yet.
 */
static bool
server_hit_ok(struct cmd *c, const struct store_query *q, int64_t id)
{
	struct store_msg	*m;
	struct err		 e;
	bool			 ok;

	err_clear(&e);
	if (store_message_get(c->st, id, &m, &e) == -1)
		return false;
	ok = (q->after == 0 || m->date >= q->after) &&
	    (q->before == 0 || m->date < q->before) &&
	    (!q->has_attachment || m->has_attachments) &&
	    (!q->unread || !(m->flags & STORE_FLAG_SEEN)) &&
	    (!q->flagged || (m->flags & STORE_FLAG_FLAGGED));
	store_msg_free(&m);
	return ok;
}

/* Some folders of one account, over one session. */
static int
server_account(struct rows *r, struct store_query *q,
    const struct config_account *ca, const int64_t *fids, size_t nf,
    int64_t **seen, size_t *nseen, struct err *err)
{
	struct sync_session	*ss;
	struct err		 e;
	int64_t			*ids;
	size_t			 n, i, k;
	bool			 used;
	int			 rc = 0;

	ss = sync_session_new(r->c->st, ca);
	err_clear(&e);
	if (sync_session_connect(ss, &e) == -1) {
		fprintf(stderr, _("surat: %s: %s; showing local results "
		    "only\n"), ca->id, cmd_unprefixed(e.msg, ca->id));
		r->partial = true;
		sync_session_free(&ss);
		return 0;
	}
	for (k = 0; k < nf && rc == 0; k++) {
		q->folder_id = fids[k];
		q->account_id = 0;
		if (sync_search(ss, q, &ids, &n, &used, err) == -1) {
			rc = -1;
			break;
		}
		for (i = 0; i < n && rc == 0; i++) {
			if ((*nseen > 0 && bsearch(&ids[i], *seen, *nseen,
			    sizeof **seen, cmp_id) != NULL) ||
			    !server_hit_ok(r->c, q, ids[i]))
				continue;
			rc = put_row(r, ids[i], err);
			/* Sorted again so each id is shown once. */
			*seen = xreallocarray(*seen, *nseen + 1,
			    sizeof **seen);
			(*seen)[(*nseen)++] = ids[i];
			qsort(*seen, *nseen, sizeof **seen, cmp_id);
		}
		free(ids);
		if (rc == 1)
			rc = 0;	/* the limit: done */
		if (!used && !sync_session_online(ss)) {
			fprintf(stderr, _("surat: %s: the connection to the "
			    "server was lost; some results may be missing\n"),
			    ca->id);
			r->partial = true;
			break;
		}
	}
	sync_session_disconnect(ss);
	sync_session_free(&ss);
	return rc;
}

/*
 * Add what the servers find in the folders searched (fid, else every
 * folder of aid, else of every account) to the local rows already shown
 * (ids, sorted here).  Folders of accounts without a server, or not in
 * the config, are skipped.
 */
static int
search_servers(struct rows *r, struct store_query *q, int64_t fid,
    int64_t aid, int64_t *ids, size_t n, struct err *err)
{
	const struct cmd_folder_name	*fn;
	const struct config_account	*ca;
	struct store_folder		*v = NULL;
	int64_t				*fids, *group;
	size_t				 nv = 0, nf = 0, ng, i, j;
	int				 rc = 0;
	bool				 any = false;

	if (fid != 0) {
		fids = xreallocarray(NULL, 1, sizeof *fids);
		fids[nf++] = fid;
	} else {
		if (store_folder_list(r->c->st, aid, &v, &nv, err) == -1)
			return -1;
		fids = xreallocarray(NULL, nv + 1, sizeof *fids);
		for (i = 0; i < nv; i++)
			fids[nf++] = v[i].id;
		store_folder_list_free(&v, nv);
	}
	if (n > 0)
		qsort(ids, n, sizeof *ids, cmp_id);
	group = xreallocarray(NULL, nf + 1, sizeof *group);
	for (i = 0; i < nf && rc == 0; i++) {
		if (fids[i] == 0)
			continue;
		fn = cmd_folder_name(r->c, fids[i]);
		ca = config_account_find(&r->c->cfg, fn->account);
		if (fn->kind != STORE_ACCOUNT_IMAP || ca == NULL)
			continue;
		/* This folder and the later ones of the same account. */
		for (ng = 0, j = i; j < nf; j++) {
			if (fids[j] != 0 && strcmp(cmd_folder_name(r->c,
			    fids[j])->account, ca->id) == 0) {
				group[ng++] = fids[j];
				fids[j] = 0;
			}
		}
		any = true;
		rc = server_account(r, q, ca, group, ng, &ids, &n, err);
	}
	free(group);
	free(fids);
	free(ids);
	if (rc == 0 && !any)
		fprintf(stderr, "surat: %s\n", _("search --server: no IMAP "
		    "account of the config among the folders searched"));
	return rc;
}

static int
run_search(struct rows *r, struct query *qr, const char *account,
    const char *folder, struct err *err)
{
	int64_t	*ids = NULL, fid = 0, aid = 0;
	size_t	 n = 0, i;
	int	 rc = 0;

	if (qr->account != NULL)
		account = qr->account;
	if (qr->folder != NULL)
		folder = qr->folder;
	if (folder != NULL) {
		if (cmd_resolve_folder(r->c, account, folder, true, &fid,
		    &aid, err) == -1)
			return -1;
	} else if (account != NULL &&
	    cmd_resolve_account(r->c, account, &aid, err) == -1)
		return -1;
	qr->q.text = qr->text.len > 0 ? qr->text.data : NULL;
	qr->q.from = qr->from.len > 0 ? qr->from.data : NULL;
	qr->q.to = qr->to.len > 0 ? qr->to.data : NULL;
	qr->q.subject = qr->subject.len > 0 ? qr->subject.data : NULL;
	qr->q.folder_id = fid;
	qr->q.account_id = fid != 0 ? 0 : aid;
	qr->q.limit = r->limit != 0 ? r->limit : 100000;
	if (store_search(r->c->st, &qr->q, &ids, &n, err) == -1)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = put_row(r, ids[i], err);
	if (rc == 0 && r->server)
		return search_servers(r, &qr->q, fid, aid, ids, n, err);
	free(ids);
	return rc == -1 ? -1 : 0;
}

/* ---- Commands --------------------------------------------------------- */

struct list_opts {
	const char	*account;
	const char	*folder;
	size_t		 limit;
	bool		 unread;
	bool		 flagged;
	bool		 threaded;
	bool		 server;
	struct buf	 words;
};

static int
parse_opts(struct cli *cli, int argc, char **argv, struct list_opts *o,
    const char *usage)
{
	static const struct option	 longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "folder", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ "unread", no_argument, NULL, 'u' },
		{ "flagged", no_argument, NULL, 'F' },
		{ "thread", no_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "server", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t			 v;
	int				 ch, i;

	memset(o, 0, sizeof *o);
	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "a:f:n:ut", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'a': o->account = optarg; break;
		case 'f': o->folder = optarg; break;
		case 'n':
			if (str_to_u64(optarg, &v) == -1 || v > 10000000)
				return cmd_usage(cli, _("--limit: '%s' is not "
				    "a number"), optarg);
			o->limit = (size_t)v;
			break;
		case 'u': o->unread = true; break;
		case 'F': o->flagged = true; break;
		case 't': o->threaded = true; break;
		case 'j': cli->json = 1; break;
		case 'S': o->server = true; break;
		default:
			return cmd_usage(cli, "%s", usage);
		}
	}
	for (i = optind; i < argc; i++)
		add_word(&o->words, argv[i], strlen(argv[i]));
	return EXIT_OK;
}

static int
finish(struct cmd *c, struct rows *r, int rc, struct err *err)
{
	if (rc == -1) {
		rc = cmd_fail(c, err->code == ERR_USAGE ? EXIT_USAGE :
		    EXIT_ERROR, err);
		cmd_close(c);
		return rc;
	}
	if (c->j != NULL)
		json_array_end(c->j);
	else if (r->n == 0 && c->tty)
		fprintf(stderr, "%s\n", _("no messages"));
	cmd_close(c);
	return r->partial ? EXIT_PARTIAL : EXIT_OK;
}

int
cmd_list(struct cli *cli, int argc, char **argv)
{
	struct list_opts	 o;
	struct cmd		 c;
	struct rows		 r;
	struct query		 qr;
	struct err		 err;
	int64_t			 fid = 0, aid = 0;
	int			 rc;

	if ((rc = parse_opts(cli, argc, argv, &o, _("usage: surat list "
	    "[--account A] [--folder F] [--unread] [--flagged] [--thread] "
	    "[--limit N] [QUERY]"))) != EXIT_OK || o.server) {
		buf_free(&o.words);
		return rc != EXIT_OK ? rc : cmd_usage(cli, "%s", _("list: "
		    "--server is for surat search"));
	}
	if ((rc = cmd_open(&c, cli, CMD_CONFIG | CMD_STORE_READ)) != 0) {
		buf_free(&o.words);
		return rc;
	}
	memset(&r, 0, sizeof r);
	r.c = &c;
	r.limit = o.limit;
	err_clear(&err);
	if (c.j != NULL)
		json_array_begin(c.j);
	if (o.words.len > 0 || o.unread || o.flagged) {
		memset(&qr, 0, sizeof qr);
		qr.q.unread = o.unread;
		qr.q.flagged = o.flagged;
		rc = query_parse(&qr, buf_cstr(&o.words), &err);
		/* Filters without --folder look in every folder. */
		if (rc == 0)
			rc = run_search(&r, &qr, o.account, o.folder, &err);
		query_free(&qr);
	} else {
		rc = cmd_resolve_folder(&c, o.account, o.folder, false, &fid,
		    &aid, &err);
		if (rc == 0)
			rc = list_folder(&r, fid, o.threaded, &err);
	}
	buf_free(&o.words);
	return finish(&c, &r, rc, &err);
}

int
cmd_search(struct cli *cli, int argc, char **argv)
{
	struct list_opts	 o;
	struct cmd		 c;
	struct rows		 r;
	struct query		 qr;
	struct err		 err;
	int			 rc;

	if ((rc = parse_opts(cli, argc, argv, &o, _("usage: surat search "
	    "[--server] [--account A] [--folder F] [--limit N] QUERY"))) !=
	    EXIT_OK) {
		buf_free(&o.words);
		return rc;
	}
	if (o.words.len == 0 && !o.unread && !o.flagged) {
		buf_free(&o.words);
		return cmd_usage(cli, "%s", _("search: what for? (words, "
		    "from:, to:, subject:, before:, after:, is:unread, "
		    "is:flagged, has:attachment, folder:)"));
	}
	memset(&qr, 0, sizeof qr);
	err_clear(&err);
	qr.q.unread = o.unread;
	qr.q.flagged = o.flagged;
	if (query_parse(&qr, buf_cstr(&o.words), &err) == -1) {
		query_free(&qr);
		buf_free(&o.words);
		return cmd_usage(cli, "%s", err.msg);
	}
	buf_free(&o.words);
	if ((rc = cmd_open(&c, cli, CMD_CONFIG | CMD_STORE_READ)) != 0) {
		query_free(&qr);
		return rc;
	}
	memset(&r, 0, sizeof r);
	r.c = &c;
	r.limit = o.limit;
	r.server = o.server;
	if (c.j != NULL)
		json_array_begin(c.j);
	rc = run_search(&r, &qr, o.account, o.folder, &err);
	query_free(&qr);
	return finish(&c, &r, rc, &err);
}
