/*
 * surat export: folders of the store to mbox (mboxrd) files or Maildir
 * directories, with the stored bytes unchanged, so a POP3 user's only
 * copy can leave surat.  Bodies the store lacks (headers-only sync) are
 * fetched first through the sync engine, so the copy is complete; what
 * cannot be fetched (offline) is left out and counted.  Never overwrites
 * a file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_common.h"
#include "cmd_message.h"
#include "store/store.h"
#include "sync/sync.h"
#include "util/fdio.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/xmalloc.h"

#define EXPORT_PAGE	200

enum export_format {
	EXPORT_MBOX = 0,
	EXPORT_MAILDIR,
};

struct export {
	struct cmd		*c;
	enum export_format	 format;
	FILE			*fp;		/* mbox */
	char			*path;		/* file or Maildir */
	size_t			 count;
	size_t			 missing;
	size_t			 total;
	size_t			 total_missing;
	size_t			 fetched;
	unsigned		 serial;
	bool			 progress;	/* stderr is a terminal */
	bool			 drawn;		/* a progress line is shown */
};

/* ---- Fetching missing bodies first ------------------------------------ */

static void
progress(struct export *ex, const char *account, size_t done, size_t total)
{
	if (!ex->progress)
		return;
	fprintf(stderr, "\r\033[K%s: %s %zu/%zu", account,
	    _("fetching bodies"), done, total);
	fflush(stderr);
	ex->drawn = true;
}

static void
progress_clear(struct export *ex)
{
	if (ex->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		ex->drawn = false;
	}
}

/*
 * The bodies missing in folders of one IMAP account, fetched over one
 * session on a writable connection of the store.  A message that fails
 * alone (gone from the server) is skipped; a lost connection ends the
 * account's fetching, and export goes on with what is here.
 */
static void
fetch_account(struct export *ex, struct store *wst,
    const struct config_account *ca, const int64_t *ids, size_t n)
{
	struct sync_session	*ss;
	struct err		 e;
	size_t			 i;

	ss = sync_session_new(wst, ca);
	err_clear(&e);
	progress(ex, ca->id, 0, n);
	if (sync_session_connect(ss, &e) == -1) {
		progress_clear(ex);
		fprintf(stderr, _("surat: %s: %s; exporting what is here\n"),
		    ca->id, cmd_unprefixed(e.msg, ca->id));
		sync_session_free(&ss);
		return;
	}
	for (i = 0; i < n; i++) {
		err_clear(&e);
		if (sync_fetch_body(ss, ids[i], &e) == 0)
			ex->fetched++;
		else if (!sync_session_online(ss)) {
			progress_clear(ex);
			fprintf(stderr, _("surat: %s: %s; exporting what is "
			    "here\n"), ca->id, cmd_unprefixed(e.msg, ca->id));
			break;
		}
		progress(ex, ca->id, i + 1, n);
	}
	progress_clear(ex);
	sync_session_disconnect(ss);
	sync_session_free(&ss);
}

/*
 * Fetch what the folders lack, account by account.  The store is opened
 * for writing only when something is missing, so exporting a complete
 * store never waits for, or fails on, the lock of a running surat.
 */
static int
fetch_missing(struct export *ex, const int64_t *fids, size_t nf,
    struct err *err)
{
	const struct cmd_folder_name	*fn;
	struct store			*wst = NULL;
	const char			**acc = NULL;
	int64_t				*ids = NULL, *miss, *group;
	size_t				 n = 0, nmiss, ng, i, j;

	for (i = 0; i < nf; i++) {
		fn = cmd_folder_name(ex->c, fids[i]);
		if (fn->kind != STORE_ACCOUNT_IMAP ||
		    config_account_find(&ex->c->cfg, fn->account) == NULL)
			continue;
		if (store_folder_missing_bodies(ex->c->st, fids[i], 0, 0,
		    &miss, &nmiss, err) == -1) {
			free(ids);
			free(acc);
			return -1;
		}
		ids = xreallocarray(ids, n + nmiss + 1, sizeof *ids);
		acc = xreallocarray(acc, n + nmiss + 1, sizeof *acc);
		for (j = 0; j < nmiss; j++) {
			ids[n] = miss[j];
			/* The cached names live until cmd_close(). */
			acc[n++] = fn->account;
		}
		free(miss);
	}
	if (n > 0 && store_open(ex->c->data_dir, 0, "surat export", &wst,
	    err) == -1) {
		/* A running surat holds the store: export what is here. */
		fprintf(stderr, "surat: %s\n", err->msg);
		err_clear(err);
		n = 0;
	}
	group = xreallocarray(NULL, n + 1, sizeof *group);
	for (i = 0; i < n; i++) {
		if (acc[i] == NULL)
			continue;
		for (ng = 0, j = i; j < n; j++) {
			if (acc[j] != NULL && strcmp(acc[j], acc[i]) == 0) {
				group[ng++] = ids[j];
				if (j > i)
					acc[j] = NULL;
			}
		}
		fetch_account(ex, wst, config_account_find(&ex->c->cfg,
		    acc[i]), group, ng);
	}
	free(group);
	store_close(&wst);
	free(ids);
	free(acc);
	return 0;
}

/* "From addr Www Mmm dd hh:mm:ss yyyy", in English whatever the locale. */
static void
from_line(struct buf *b, const struct store_msg *m)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const char	*a = m->from_addr;
	time_t		 t = (time_t)m->date;
	struct tm	 tm;

	if (a == NULL || *a == '\0' || strpbrk(a, " \t\r\n") != NULL)
		a = "MAILER-DAEMON";
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	buf_addf(b, "From %s %s %s %2d %02d:%02d:%02d %d\n", a,
	    wd[tm.tm_wday % 7], mo[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

/* mboxrd: every line that is ">*From " gets one more '>'. */
static void
mbox_quote(struct buf *out, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *eol;
	size_t		 n;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol != NULL ? eol + 1 : end;
		n = strspn(p, ">");
		if (p + n + 5 <= eol && memcmp(p + n, "From ", 5) == 0)
			buf_addc(out, '>');
		buf_add(out, p, (size_t)(eol - p));
		p = eol;
	}
}

static int
write_all(int fd, const char *path, const void *data, size_t len,
    struct err *err)
{
	if (fd_write_all(fd, data, len) == 0)
		return 0;
	err_set(err, errno == ENOSPC ? ERR_DISKFULL : ERR_IO, "%s: %s", path,
	    strerror(errno));
	return -1;
}

static int
export_mbox_one(struct export *ex, const struct store_msg *m,
    const struct buf *raw, struct err *err)
{
	struct buf	out = BUF_INIT;

	from_line(&out, m);
	mbox_quote(&out, raw->data != NULL ? raw->data : "", raw->len);
	/* The separator: import takes exactly this newline off again. */
	buf_addc(&out, '\n');
	if (fwrite(out.data, 1, out.len, ex->fp) != out.len) {
		err_set(err, errno == ENOSPC ? ERR_DISKFULL : ERR_IO, "%s: %s",
		    ex->path, strerror(errno));
		buf_free(&out);
		return -1;
	}
	buf_free(&out);
	return 0;
}

static int
export_maildir_one(struct export *ex, const struct store_msg *m,
    const struct buf *raw, struct err *err)
{
	char	*name, *tmp, *cur, fl[8];
	int	 fd, rc = -1;

	cmd_maildir_flag_string(m->flags, fl);
	name = xasprintf("%lld.S%" PRId64 "Q%uP%ld.surat",
	    (long long)time(NULL), m->id, ex->serial++, (long)getpid());
	tmp = xasprintf("%s/tmp/%s", ex->path, name);
	cur = xasprintf("%s/cur/%s:2,%s", ex->path, name, fl);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		err_set(err, ERR_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, tmp, raw->data != NULL ? raw->data : "", raw->len,
	    err) == -1 || fsync(fd) == -1) {
		if (!err_failed(err))
			err_set(err, ERR_IO, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	/* link() would refuse to replace; the name is ours alone anyway. */
	if (link(tmp, cur) == -1) {
		err_set(err, ERR_IO, "%s: %s", cur, strerror(errno));
		unlink(tmp);
		goto out;
	}
	unlink(tmp);
	rc = 0;
out:
	free(name);
	free(tmp);
	free(cur);
	return rc;
}

static int
export_message(struct export *ex, int64_t id, struct err *err)
{
	struct store_msg	*m;
	struct buf		 raw = BUF_INIT;
	int			 rc;

	if (store_message_get(ex->c->st, id, &m, err) == -1)
		return -1;
	if (store_body_get(ex->c->st, id, &raw, err) == -1) {
		store_msg_free(&m);
		if (err->code != ERR_NOTFOUND)
			return -1;
		err_clear(err);
		ex->missing++;
		return 0;
	}
	if (ex->format == EXPORT_MBOX)
		rc = export_mbox_one(ex, m, &raw, err);
	else
		rc = export_maildir_one(ex, m, &raw, err);
	if (rc == 0)
		ex->count++;
	buf_free(&raw);
	store_msg_free(&m);
	return rc;
}

static int
mkdir_p(const char *path, struct err *err)
{
	char	*p, *s;

	p = xstrdup(path);
	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			err_set(err, ERR_IO, "%s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*s = '/';
	}
	if (mkdir(p, 0700) == -1 && errno != EEXIST) {
		err_set(err, ERR_IO, "%s: %s", p, strerror(errno));
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

static int
open_dest(struct export *ex, struct err *err)
{
	static const char *const	 subs[] = { "tmp", "new", "cur" };
	char				*d;
	int				 fd;
	size_t				 i;

	if (ex->format == EXPORT_MAILDIR) {
		for (i = 0; i < 3; i++) {
			d = xasprintf("%s/%s", ex->path, subs[i]);
			if (mkdir_p(d, err) == -1) {
				free(d);
				return -1;
			}
			free(d);
		}
		return 0;
	}
	if ((d = strrchr(ex->path, '/')) != NULL && d != ex->path) {
		d = xstrndup(ex->path, (size_t)(d - ex->path));
		if (mkdir_p(d, err) == -1) {
			free(d);
			return -1;
		}
		free(d);
	}
	fd = open(ex->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		err_set(err, errno == EEXIST ? ERR_EXISTS : ERR_IO,
		    errno == EEXIST ? _("%s: exists already; not "
		    "overwriting it") : "%s: %s", ex->path, strerror(errno));
		return -1;
	}
	ex->fp = fdopen(fd, "w");
	return 0;
}

static int
close_dest(struct export *ex, bool ok, struct err *err)
{
	int	rc = 0;

	if (ex->fp == NULL)
		return 0;
	if (fflush(ex->fp) == EOF || fsync(fileno(ex->fp)) == -1) {
		if (ok)
			err_set(err, errno == ENOSPC ? ERR_DISKFULL : ERR_IO,
			    "%s: %s", ex->path, strerror(errno));
		rc = -1;
	}
	fclose(ex->fp);
	ex->fp = NULL;
	if (!ok || rc == -1)
		unlink(ex->path);
	return rc;
}

static int
export_folder(struct export *ex, int64_t folder_id, struct err *err)
{
	struct store_sort	 sort = { STORE_SORT_DATE, false, false };
	struct store_cursor	 cur;
	struct store_row	*rows;
	size_t			 n, i;
	bool			 first = true;
	int			 rc = 0;

	ex->count = ex->missing = 0;
	if (open_dest(ex, err) == -1)
		return -1;
	for (;;) {
		if (store_index_page(ex->c->st, folder_id, &sort,
		    first ? NULL : &cur, STORE_PAGE_FORWARD, EXPORT_PAGE,
		    &rows, &n, err) == -1) {
			rc = -1;
			break;
		}
		for (i = 0; i < n && rc == 0; i++)
			rc = export_message(ex, rows[i].id, err);
		if (n > 0)
			cur = rows[n - 1].cursor;
		store_rows_free(&rows, n);
		first = false;
		if (rc == -1 || n < EXPORT_PAGE)
			break;
	}
	if (close_dest(ex, rc == 0, err) == -1)
		rc = -1;
	ex->total += ex->count;
	ex->total_missing += ex->missing;
	return rc;
}

/* DEST/ACCOUNT/FOLDER, with no component able to climb out of DEST. */
static char *
folder_path(const char *dest, const char *account, const char *folder,
    const char *ext)
{
	struct buf	 b = BUF_INIT;
	const char	*parts[2] = { account, folder }, *p, *e;
	size_t		 i, n;

	buf_adds(&b, dest);
	for (i = 0; i < 2; i++) {
		for (p = parts[i]; ; p = e + 1) {
			e = p + strcspn(p, "/");
			n = (size_t)(e - p);
			buf_addc(&b, '/');
			if (n == 0 || (n == 1 && p[0] == '.') ||
			    (n == 2 && p[0] == '.' && p[1] == '.'))
				buf_addc(&b, '_');
			else
				buf_add(&b, p, n);
			if (*e == '\0')
				break;
		}
	}
	buf_adds(&b, ext);
	return buf_detach(&b, NULL);
}

static void
report_folder(struct export *ex, const struct cmd_folder_name *fn)
{
	struct json	*j = ex->c->j;

	if (j == NULL) {
		printf(ngettext_("%s/%s: %zu message written to %s\n",
		    "%s/%s: %zu messages written to %s\n", ex->count),
		    fn->account, fn->folder, ex->count, ex->path);
		return;
	}
	json_object_begin(j);
	json_kv_string(j, "account", fn->account);
	json_kv_string(j, "folder", fn->folder);
	json_kv_string(j, "path", ex->path);
	json_kv_int(j, "count", (int64_t)ex->count);
	json_kv_int(j, "missing_bodies", (int64_t)ex->missing);
	json_object_end(j);
}

static int
run_export(struct export *ex, const char *dest, const char *account,
    const char *folder, struct err *err)
{
	struct store_folder		*v = NULL;
	const struct cmd_folder_name	*fn;
	int64_t				 fid, aid, *fids;
	size_t				 n = 0, i;
	int				 rc = 0;

	if (folder != NULL) {
		if (cmd_resolve_folder(ex->c, account, folder, false, &fid,
		    &aid, err) == -1)
			return -1;
		/* Refuse before fetching anything, not after. */
		if (ex->format == EXPORT_MBOX && access(dest, F_OK) == 0) {
			err_set(err, ERR_EXISTS, _("%s: exists already; not "
			    "overwriting it"), dest);
			return -1;
		}
		if (fetch_missing(ex, &fid, 1, err) == -1)
			return -1;
		ex->path = xstrdup(dest);
		rc = export_folder(ex, fid, err);
		if (rc == 0)
			report_folder(ex, cmd_folder_name(ex->c, fid));
		xfree(&ex->path);
		return rc;
	}
	aid = 0;
	if (account != NULL && cmd_resolve_account(ex->c, account, &aid,
	    err) == -1)
		return -1;
	if (store_folder_list(ex->c->st, aid, &v, &n, err) == -1)
		return -1;
	fids = xreallocarray(NULL, n + 1, sizeof *fids);
	for (i = 0; i < n; i++)
		fids[i] = v[i].id;
	rc = fetch_missing(ex, fids, n, err);
	free(fids);
	for (i = 0; i < n && rc == 0; i++) {
		fn = cmd_folder_name(ex->c, v[i].id);
		ex->path = folder_path(dest, fn->account, fn->folder,
		    ex->format == EXPORT_MBOX ? ".mbox" : "");
		rc = export_folder(ex, v[i].id, err);
		if (rc == 0)
			report_folder(ex, fn);
		xfree(&ex->path);
	}
	store_folder_list_free(&v, n);
	return rc;
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "folder", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "mbox", required_argument, NULL, 'm' },
		{ "maildir", required_argument, NULL, 'M' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd			 c;
	struct export			 ex;
	struct err			 err;
	const char			*account = NULL, *folder = NULL;
	const char			*dest = NULL;
	int				 ch, rc;

	memset(&ex, 0, sizeof ex);
	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "a:f:F:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'a': account = optarg; break;
		case 'f': folder = optarg; break;
		case 'F':
			if (strcmp(optarg, "mbox") == 0)
				ex.format = EXPORT_MBOX;
			else if (strcmp(optarg, "maildir") == 0)
				ex.format = EXPORT_MAILDIR;
			else
				return cmd_usage(cli, _("export: unknown "
				    "format '%s' (mbox or maildir)"), optarg);
			break;
		case 'm': ex.format = EXPORT_MBOX; dest = optarg; break;
		case 'M': ex.format = EXPORT_MAILDIR; dest = optarg; break;
		case 'j': cli->json = 1; break;
		default:
			goto usage;
		}
	}
	if (dest == NULL && optind + 1 == argc)
		dest = argv[optind];
	else if (optind != argc)
		goto usage;
	if (dest == NULL || *dest == '\0')
		goto usage;
	if ((rc = cmd_open(&c, cli, CMD_CONFIG | CMD_STORE_READ)) != 0)
		return rc;
	ex.c = &c;
	ex.progress = isatty(STDERR_FILENO) == 1;
	err_clear(&err);
	if (c.j != NULL) {
		json_object_begin(c.j);
		json_key(c.j, "folders");
		json_array_begin(c.j);
	}
	if (run_export(&ex, dest, account, folder, &err) == -1) {
		rc = cmd_fail(&c, EXIT_ERROR, &err);
		cmd_close(&c);
		return rc;
	}
	if (c.j != NULL) {
		json_array_end(c.j);
		json_kv_int(c.j, "count", (int64_t)ex.total);
		json_kv_int(c.j, "missing_bodies", (int64_t)ex.total_missing);
		json_kv_int(c.j, "fetched", (int64_t)ex.fetched);
		json_object_end(c.j);
	}
	rc = EXIT_OK;
	if (ex.total_missing > 0) {
		fprintf(stderr, ngettext_("surat: %zu message was left out: "
		    "only its headers are here and its body could not be "
		    "fetched\n", "surat: %zu messages were left out: only "
		    "their headers are here and their bodies could not be "
		    "fetched\n", ex.total_missing), ex.total_missing);
		rc = EXIT_PARTIAL;
	}
	cmd_close(&c);
	return rc;
usage:
	return cmd_usage(cli, _("usage: surat export [--account A] "
	    "[--folder F] --mbox DEST | --maildir DEST"));
}
