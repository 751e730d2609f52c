/*
 * surat import: mbox files, Maildir directories and single message files
 * into a folder of the store, all or nothing (one transaction).  mbox is
 * read as mboxrd (">From " unquoted by one '>'), the reverse of export,
 * so an export imported again gives the same bytes.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_common.h"
#include "cmd_message.h"
#include "mime/mime.h"
#include "store/store.h"
#include "sync/sync.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/xmalloc.h"

#define IMPORT_DEFAULT_ACCOUNT	"local"

struct import {
	struct cmd		*c;
	int64_t			 account_id;
	enum store_account_kind	 kind;
	const char		*account;
	int64_t			 folder_id;
	const char		*folder;
	const char		*path;
	size_t			 nth;		/* message number in path */
	int64_t			*ids;
	size_t			 nids;
	size_t			 present;	/* skipped: already there */
};

/* Flags an mbox writer left in Status / X-Status. */
static unsigned
mbox_status_flags(const char *headers, size_t len)
{
	struct mime_headers	*hs;
	const char		*v;
	unsigned		 f = 0;

	hs = mime_headers_parse(headers, len, NULL);
	if ((v = mime_headers_get(hs, "Status")) != NULL &&
	    strchr(v, 'R') != NULL)
		f |= STORE_FLAG_SEEN;
	if ((v = mime_headers_get(hs, "X-Status")) != NULL) {
		if (strchr(v, 'A') != NULL)
			f |= STORE_FLAG_ANSWERED;
		if (strchr(v, 'F') != NULL)
			f |= STORE_FLAG_FLAGGED;
		if (strchr(v, 'T') != NULL)
			f |= STORE_FLAG_DRAFT;
		if (strchr(v, 'D') != NULL)
			f |= STORE_FLAG_DELETED;
	}
	mime_headers_free(&hs);
	return f;
}

static int
import_message(struct import *im, const char *raw, size_t len,
    unsigned flags, bool mbox, int64_t received, struct err *err)
{
	struct store_msg	*m;
	struct buf		 text = BUF_INIT;
	int64_t			 id;
	int			 rc = -1;

	im->nth++;
	if (cmd_message_check(raw, len, err) == -1)
		goto fail;
	/*
	 * Importing the same file again must not make copies.  The key is
	 * the folder plus the exact raw bytes, not the Message-ID: ids are
	 * missing, reused by broken software, or shared by different
	 * versions of one message (a list's copy with a footer, an edited
	 * draft), and an id match would silently drop those.  Equal bytes
	 * can only be the same message, and export/import keeps the bytes.
	 */
	if (store_message_find_raw(im->c->st, im->folder_id, raw, len, &id,
	    err) == 0) {
		im->present++;
		return 0;
	}
	if (err->code != ERR_NOTFOUND)
		goto fail;
	err_clear(err);
	m = cmd_message_from_raw(raw, len, received, &text);
	m->folder_id = im->folder_id;
	m->flags = flags;
	if (mbox)
		m->flags |= mbox_status_flags(m->headers, m->headers_len);
	if (im->kind == STORE_ACCOUNT_IMAP) {
		/* The message exists only here: stored and queued for upload
		 * as a message the UI saves, through sync_local_append(). */
		rc = sync_local_append(im->c->st, im->folder_id, raw, len,
		    m->flags, &id, err);
	} else if (store_message_insert(im->c->st, m, &id, err) == 0 &&
	    store_body_set(im->c->st, id, raw, len, buf_cstr(&text),
	    text.len, err) == 0)
		rc = 0;
	store_msg_free(&m);
	buf_free(&text);
	if (rc == 0) {
		im->ids = xreallocarray(im->ids, im->nids + 1,
		    sizeof *im->ids);
		im->ids[im->nids++] = id;
		return 0;
	}
fail:
	err_prefix(err, _("%s: message %zu: "), im->path, im->nth);
	return -1;
}

/* Undo mboxrd quoting: ">From " lines at any depth lose one '>'. */
static void
mbox_unquote(struct buf *out, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *eol;
	size_t		 n;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol != NULL ? eol + 1 : end;
		n = strspn(p, ">");
		if (n > 0 && p + n + 5 <= eol && memcmp(p + n, "From ", 5) == 0)
			p++;
		buf_add(out, p, (size_t)(eol - p));
		p = eol;
	}
}

static const char *
find_from_line(const char *p, const char *end)
{
	const char	*q;

	for (q = p; q < end; q++) {
		q = memchr(q, '\n', (size_t)(end - q));
		if (q == NULL)
			return NULL;
		if ((size_t)(end - q) > 5 && memcmp(q + 1, "From ", 5) == 0)
			return q + 1;
	}
	return NULL;
}

static int
import_mbox(struct import *im, const char *data, size_t len,
    struct err *err)
{
	const char	*p = data, *end = data + len, *body, *next, *eol;
	struct buf	 msg = BUF_INIT;
	size_t		 seg;
	int		 rc = 0;

	while (p < end && rc == 0) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL) {
			err_set(err, ERR_PARSE, _("%s: truncated: the file "
			    "ends inside a From_ line"), im->path);
			rc = -1;
			break;
		}
		body = eol + 1;
		next = find_from_line(eol, end);
		if (next == NULL)
			next = end;
		seg = (size_t)(next - body);
		if (next == end && (seg == 0 || body[seg - 1] != '\n')) {
			err_set(err, ERR_PARSE, _("%s: message %zu is "
			    "truncated (the file ends in the middle of a "
			    "line)"), im->path, im->nth + 1);
			rc = -1;
			break;
		}
		/* The newline before the next From_ line separates. */
		if (seg > 0)
			seg--;
		buf_reset(&msg);
		mbox_unquote(&msg, body, seg);
		rc = import_message(im, msg.data != NULL ? msg.data : "",
		    msg.len, 0, true, 0, err);
		p = next;
	}
	buf_free(&msg);
	return rc;
}

static int
map_file(const char *path, int fd, void **map_r, size_t *len_r,
    int64_t *mtime_r, struct err *err)
{
	struct stat	sb;

	if (fstat(fd, &sb) == -1) {
		err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		return -1;
	}
	*mtime_r = sb.st_mtime;
	*len_r = (size_t)sb.st_size;
	*map_r = NULL;
	if (sb.st_size == 0)
		return 0;
	*map_r = mmap(NULL, *len_r, PROT_READ, MAP_PRIVATE, fd, 0);
	if (*map_r == MAP_FAILED) {
		*map_r = NULL;
		err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* One file: an mbox when it starts with a From_ line, else a message. */
static int
import_bytes(struct import *im, const char *data, size_t len,
    unsigned flags, int64_t mtime, struct err *err)
{
	if (len >= 5 && memcmp(data, "From ", 5) == 0)
		return import_mbox(im, data, len, err);
	return import_message(im, data, len, flags, false, mtime, err);
}

static int
import_file(struct import *im, const char *path, unsigned flags,
    struct err *err)
{
	void	*map;
	size_t	 len;
	int64_t	 mtime;
	int	 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = map_file(path, fd, &map, &len, &mtime, err);
	close(fd);
	if (rc == -1)
		return -1;
	rc = import_bytes(im, map != NULL ? map : "", len, flags, mtime, err);
	if (map != NULL)
		munmap(map, len);
	return rc;
}

static int
import_stdin(struct import *im, struct err *err)
{
	struct buf	b = BUF_INIT;
	char		chunk[65536];
	ssize_t		n;
	int		rc;

	while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err_set(err, ERR_IO, "stdin: %s", strerror(errno));
			buf_free(&b);
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	rc = import_bytes(im, b.data != NULL ? b.data : "", b.len, 0,
	    (int64_t)time(NULL), err);
	buf_free(&b);
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of DIR/sub, sorted (Maildir names start with the time). */
static int
list_dir(const char *dir, const char *sub, char ***v_r, size_t *n_r,
    struct err *err)
{
	DIR		*d;
	struct dirent	*de;
	char		*path;

	path = xasprintf("%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL) {
		if (errno == ENOENT) {
			free(path);
			return 0;
		}
		err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		*v_r = xreallocarray(*v_r, *n_r + 1, sizeof **v_r);
		(*v_r)[(*n_r)++] = xasprintf("%s/%s", path, de->d_name);
	}
	closedir(d);
	free(path);
	return 0;
}

static int
import_maildir(struct import *im, const char *dir, struct err *err)
{
	char		**v = NULL;
	const char	 *info;
	size_t		  n = 0, i, start;
	int		  rc = 0;

	if (list_dir(dir, "new", &v, &n, err) == -1)
		goto out;
	start = n;
	if (list_dir(dir, "cur", &v, &n, err) == -1) {
		rc = -1;
		goto out;
	}
	if (n > 0) {
		qsort(v, start, sizeof *v, cmp_names);
		qsort(v + start, n - start, sizeof *v, cmp_names);
	}
	for (i = 0; i < n && rc == 0; i++) {
		info = strstr(strrchr(v[i], '/'), ":2,");
		im->path = v[i];
		rc = import_file(im, v[i], info != NULL ?
		    cmd_maildir_flags(info + 3) : 0, err);
	}
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return err_failed(err) ? -1 : rc;
}

static bool
is_maildir(const char *dir)
{
	struct stat	 sb;
	char		*p;
	bool		 yes;

	p = xasprintf("%s/cur", dir);
	yes = stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(p);
	if (yes)
		return true;
	p = xasprintf("%s/new", dir);
	yes = stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(p);
	return yes;
}

/* Default folder: the mbox or Maildir's own name, else "Imported". */
static char *
default_folder(const char *path, bool dir)
{
	char		*s, *slash, *dot;
	size_t		 n;

	if (strcmp(path, "-") == 0)
		return xstrdup("Imported");
	s = xstrdup(path);
	while ((n = strlen(s)) > 1 && s[n - 1] == '/')
		s[n - 1] = '\0';
	slash = strrchr(s, '/');
	memmove(s, slash != NULL ? slash + 1 : s, strlen(slash != NULL ?
	    slash + 1 : s) + 1);
	if (!dir && (dot = strrchr(s, '.')) != NULL && dot != s &&
	    (strcasecmp(dot, ".eml") == 0 || strcasecmp(dot, ".msg") == 0)) {
		free(s);
		return xstrdup("Imported");
	}
	if (!dir && (dot = strrchr(s, '.')) != NULL && dot != s &&
	    strcasecmp(dot, ".mbox") == 0)
		*dot = '\0';
	if (*s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 ||
	    strcmp(s, "/") == 0) {
		free(s);
		return xstrdup("Imported");
	}
	return s;
}

static int
pick_account(struct import *im, const char *name, struct err *err)
{
	const struct config_account	*ca;
	struct store_account		*a;

	im->account = name != NULL ? name : IMPORT_DEFAULT_ACCOUNT;
	im->kind = STORE_ACCOUNT_LOCAL;
	if (store_account_find(im->c->st, im->account, &a, err) == 0) {
		im->kind = a->kind;
		store_account_free(&a);
	} else if (err->code != ERR_NOTFOUND)
		return -1;
	else if ((ca = config_account_find(&im->c->cfg, im->account)) !=
	    NULL)
		im->kind = ca->incoming.protocol == CONFIG_PROTO_POP3 ?
		    STORE_ACCOUNT_POP3 : STORE_ACCOUNT_IMAP;
	else if (name != NULL && im->c->have_cfg &&
	    strcmp(name, IMPORT_DEFAULT_ACCOUNT) != 0) {
		/* A typo must not quietly create a new account. */
		err_set(err, ERR_NOTFOUND, _("no account '%s' (import into "
		    "a new local account with --account %s)"), name,
		    IMPORT_DEFAULT_ACCOUNT);
		return -1;
	}
	err_clear(err);
	return store_account_ensure(im->c->st, im->account, im->kind,
	    &im->account_id, err);
}

static int
import_path(struct import *im, const char *path, const char *folder_opt,
    struct err *err)
{
	struct stat	 sb;
	bool		 dir = false;
	char		*folder;
	int		 rc;

	if (strcmp(path, "-") != 0) {
		if (stat(path, &sb) == -1) {
			err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
			return -1;
		}
		dir = S_ISDIR(sb.st_mode);
		if (dir && !is_maildir(path)) {
			err_set(err, ERR_USAGE, _("%s: a directory that is "
			    "not a Maildir (no cur/ or new/)"), path);
			return -1;
		}
	}
	folder = folder_opt != NULL ? xstrdup(folder_opt) :
	    default_folder(path, dir);
	im->folder = folder;
	im->path = path;
	im->nth = 0;
	rc = store_folder_ensure(im->c->st, im->account_id, folder, '/',
	    strcasecmp(folder, "INBOX") == 0 ? STORE_ROLE_INBOX :
	    STORE_ROLE_NONE, &im->folder_id, err);
	if (rc == 0) {
		if (strcmp(path, "-") == 0)
			rc = import_stdin(im, err);
		else if (dir)
			rc = import_maildir(im, path, err);
		else
			rc = import_file(im, path, 0, err);
	}
	return rc;
}

static void
report_path(struct import *im, const char *path, size_t first, size_t last,
    size_t present)
{
	struct json	*j = im->c->j;
	size_t		 i, n = last - first;

	if (j == NULL) {
		printf(ngettext_("%s: %zu message imported into %s/%s",
		    "%s: %zu messages imported into %s/%s", n), path, n,
		    im->account, im->folder);
		if (present > 0)
			printf(ngettext_(", %zu already present",
			    ", %zu already present", present), present);
		putchar('\n');
		return;
	}
	json_object_begin(j);
	json_kv_string(j, "path", path);
	json_kv_string(j, "account", im->account);
	json_kv_string(j, "folder", im->folder);
	json_kv_int(j, "count", (int64_t)n);
	json_kv_int(j, "already_present", (int64_t)present);
	json_key(j, "ids");
	json_array_begin(j);
	for (i = first; i < last; i++)
		json_int(j, im->ids[i]);
	json_array_end(j);
	json_object_end(j);
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "folder", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd			 c;
	struct import			 im;
	struct err			 err;
	const char			*account = NULL, *folder = NULL;
	size_t				*firsts, *present;
	int				 ch, i, rc;

	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "a:f:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': account = optarg; break;
		case 'f': folder = optarg; break;
		case 'j': cli->json = 1; break;
		default:
			return cmd_usage(cli, _("usage: surat import "
			    "[--account A] [--folder F] PATH..."));
		}
	}
	if (optind >= argc)
		return cmd_usage(cli, _("import: name an mbox file, a "
		    "Maildir directory or a message file ('-' for stdin)"));
	if ((rc = cmd_open(&c, cli, CMD_CONFIG | CMD_STORE_WRITE)) != 0)
		return rc;
	memset(&im, 0, sizeof im);
	im.c = &c;
	err_clear(&err);
	firsts = xcalloc((size_t)argc, sizeof *firsts);
	present = xcalloc((size_t)argc + 1, sizeof *present);
	if (store_begin(c.st, &err) == -1 ||
	    pick_account(&im, account, &err) == -1)
		goto fail;
	for (i = optind; i < argc; i++) {
		firsts[i] = im.nids;
		present[i] = im.present;
		if (import_path(&im, argv[i], folder, &err) == -1)
			goto fail;
		present[i] = im.present - present[i];
		free((char *)im.folder);
		im.folder = NULL;
	}
	if (store_commit(c.st, &err) == -1)
		goto fail;
	if (c.j != NULL) {
		json_object_begin(c.j);
		json_kv_int(c.j, "count", (int64_t)im.nids);
		json_kv_int(c.j, "already_present", (int64_t)im.present);
		json_key(c.j, "imported");
		json_array_begin(c.j);
	}
	for (i = optind; i < argc; i++) {
		/* The folder names again, for the report. */
		im.folder = folder != NULL ? xstrdup(folder) :
		    default_folder(argv[i], strcmp(argv[i], "-") != 0 &&
		    is_maildir(argv[i]));
		report_path(&im, argv[i], firsts[i], i + 1 < argc ?
		    firsts[i + 1] : im.nids, present[i]);
		free((char *)im.folder);
	}
	if (c.j != NULL) {
		json_array_end(c.j);
		json_object_end(c.j);
	}
	free(firsts);
	free(present);
	free(im.ids);
	cmd_close(&c);
	return EXIT_OK;
fail:
	store_rollback(c.st);
	free((char *)im.folder);
	free(firsts);
	free(present);
	free(im.ids);
	rc = cmd_fail(&c, EXIT_ERROR, &err);
	cmd_close(&c);
	return rc;
}
