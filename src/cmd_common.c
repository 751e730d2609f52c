/*
 * Shared plumbing of the headless commands: config and store opening,
 * resolving what the user typed into ids, message rows and errors.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_common.h"
#include "mime/mime.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static void
error_object(struct cli *cli, int code, const char *name, const char *msg)
{
	struct buf	 b = BUF_INIT;
	struct json	*j;

	if (!cli->json)
		return;
	j = json_new(&b, JSON_PRETTY);
	json_object_begin(j);
	json_key(j, "error");
	json_object_begin(j);
	json_kv_string(j, "code", name);
	json_kv_string(j, "message", msg);
	json_kv_int(j, "exit", code);
	json_object_end(j);
	json_object_end(j);
	json_free(&j);
	buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
}

int
cmd_usage(struct cli *cli, const char *fmt, ...)
{
	va_list	ap;
	char	msg[ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	error_object(cli, EXIT_USAGE, "usage", msg);
	return cli_usage_error("%s", msg);
}

int
cmd_fail(struct cmd *c, int code, const struct err *err)
{
	const char	*msg = err->msg[0] != '\0' ? err->msg : _("failed");

	/* Drop a half-written document: the error object replaces it. */
	if (c->j != NULL) {
		json_free(&c->j);
		buf_reset(&c->out);
	}
	error_object(c->cli, code, err_code_name(err->code), msg);
	fprintf(stderr, "surat: %s\n", msg);
	return code;
}

int
cmd_failf(struct cmd *c, int code, enum err_code ec, const char *fmt, ...)
{
	struct err	err;
	va_list		ap;

	err_clear(&err);
	va_start(ap, fmt);
	err_setv(&err, ec, fmt, ap);
	va_end(ap);
	return cmd_fail(c, code, &err);
}

void
cmd_getopt_reset(void)
{
	/* 0 makes glibc start over, rereading the option string. */
	optind = 0;
	opterr = 1;
}

const char *
cmd_unprefixed(const char *msg, const char *prefix)
{
	size_t	n = strlen(prefix);

	if (strncmp(msg, prefix, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

int
cmd_parse_id(const char *s, int64_t *id_r)
{
	uint64_t	v;

	if (str_to_u64(s, &v) == -1 || v == 0 || v > INT64_MAX)
		return -1;
	*id_r = (int64_t)v;
	return 0;
}

static int
open_config(struct cmd *c, struct err *err)
{
	char	*path;

	if ((path = config_path(c->cli->config_path, err)) == NULL)
		return -1;
	/* config_load() initialises cfg itself: drop cmd_open()'s defaults. */
	config_free(&c->cfg);
	if (config_load(path, &c->cfg, err) == 0) {
		c->have_cfg = true;
		free(path);
		return 0;
	}
	free(path);
	config_free(&c->cfg);
	config_init(&c->cfg);
	if (err->code == ERR_NOTFOUND) {
		err_clear(err);
		return 0;
	}
	return -1;
}

/* A failure while opening: report it and release what was opened. */
static int
open_failed(struct cmd *c, const struct err *err)
{
	int	rc;

	rc = cmd_fail(c, EXIT_ERROR, err);
	cmd_close(c);
	return rc;
}

int
cmd_open(struct cmd *c, struct cli *cli, unsigned what)
{
	struct err	err;
	char		*db;
	struct stat	 sb;

	memset(c, 0, sizeof *c);
	c->cli = cli;
	config_init(&c->cfg);
	c->tty = isatty(STDOUT_FILENO) == 1;
	err_clear(&err);
	if ((what & CMD_CONFIG) && open_config(c, &err) == -1)
		return open_failed(c, &err);
	if ((what & (CMD_STORE_READ | CMD_STORE_WRITE)) == 0)
		goto done;
	if ((c->data_dir = config_data_dir(cli->data_dir, &err)) == NULL)
		return open_failed(c, &err);
	if (what & CMD_STORE_READ) {
		db = xasprintf("%s/%s", c->data_dir, STORE_DB_NAME);
		if (stat(db, &sb) == -1) {
			free(db);
			err_set(&err, ERR_NOTFOUND, _("%s: no mail here yet; "
			    "run 'surat sync' or 'surat import'"),
			    c->data_dir);
			return open_failed(c, &err);
		}
		free(db);
	}
	if (store_open(c->data_dir, (what & CMD_STORE_WRITE) ? 0 :
	    STORE_OPEN_READONLY, "surat", &c->st, &err) == -1)
		return open_failed(c, &err);
done:
	if (cli->json)
		c->j = json_new(&c->out, JSON_PRETTY);
	return EXIT_OK;
}

void
cmd_json_flush(struct cmd *c)
{
	if (c->out.len > 0) {
		fwrite(c->out.data, 1, c->out.len, stdout);
		buf_reset(&c->out);
	}
}

void
cmd_close(struct cmd *c)
{
	size_t	i;

	if (c->j != NULL) {
		if (c->out.len > 0 || json_depth(c->j) > 0)
			buf_addc(&c->out, '\n');
		cmd_json_flush(c);
		json_free(&c->j);
	}
	fflush(stdout);
	buf_free(&c->out);
	store_close(&c->st);
	config_free(&c->cfg);
	free(c->data_dir);
	for (i = 0; i < c->nnames; i++) {
		free(c->names[i].account);
		free(c->names[i].folder);
	}
	free(c->names);
	memset(c, 0, sizeof *c);
}

int
cmd_resolve_account(struct cmd *c, const char *name, int64_t *id_r,
    struct err *err)
{
	struct store_account	*a;

	if (store_account_find(c->st, name, &a, err) == -1) {
		if (err->code == ERR_NOTFOUND) {
			if (config_account_find(&c->cfg, name) != NULL)
				err_set(err, ERR_NOTFOUND, _("account '%s' "
				    "has no mail here yet; run 'surat sync'"),
				    name);
			else
				err_set(err, ERR_NOTFOUND,
				    _("no account '%s'"), name);
		}
		return -1;
	}
	*id_r = a->id;
	store_account_free(&a);
	return 0;
}

static int
account_inbox(struct cmd *c, int64_t account_id, const char *aname,
    int64_t *folder_id_r, struct err *err)
{
	struct store_folder	*f;

	if (store_folder_find_role(c->st, account_id, STORE_ROLE_INBOX, &f,
	    err) == -1) {
		if (err->code != ERR_NOTFOUND)
			return -1;
		err_clear(err);
		if (store_folder_find(c->st, account_id, "INBOX", &f,
		    err) == -1) {
			if (err->code == ERR_NOTFOUND)
				err_set(err, ERR_NOTFOUND, _("account '%s' "
				    "has no inbox; name a folder with "
				    "--folder"), aname);
			return -1;
		}
	}
	*folder_id_r = f->id;
	store_folder_free(&f);
	return 0;
}

static bool
folder_name_eq(const char *a, const char *b)
{
	/* INBOX is case-insensitive in IMAP (RFC 3501 5.1). */
	if (strcasecmp(a, "INBOX") == 0)
		return strcasecmp(b, "INBOX") == 0;
	return strcmp(a, b) == 0;
}

/*
 * The folder of that name in whichever account has it (or in account aid
 * when not 0): its exact name, or else the name shown for it, since a
 * name with control characters cannot be typed.
 */
static int
folder_any_account(struct cmd *c, int64_t aid, const char *folder,
    int64_t *folder_id_r, int64_t *account_id_r, struct err *err)
{
	struct store_folder		*v;
	const struct config_account	*def;
	struct store_account		*a;
	size_t				 n, i, hits = 0, pick = 0;
	int				 rc = 0, pass;

	if (store_folder_list(c->st, aid, &v, &n, err) == -1)
		return -1;
	def = config_default_account(&c->cfg);
	for (pass = 0; pass < 2 && hits == 0; pass++) {
		for (i = 0; i < n; i++) {
			if (!folder_name_eq(pass == 0 ? v[i].name :
			    v[i].display, folder))
				continue;
			if (hits++ == 0)
				pick = i;
			if (aid != 0 || def == NULL || store_account_get(c->st,
			    v[i].account_id, &a, NULL) == -1)
				continue;
			if (strcmp(a->name, def->id) == 0) {
				pick = i;
				hits = 1;
				store_account_free(&a);
				break;
			}
			store_account_free(&a);
		}
	}
	if (hits == 0 || (hits > 1 && aid != 0)) {
		/* Within one account, only shown names can clash. */
		err_set(err, ERR_NOTFOUND, _("no folder '%s'"), folder);
		rc = -1;
	} else if (hits > 1) {
		err_set(err, ERR_USAGE, _("several accounts have a folder "
		    "'%s'; say which with --account"), folder);
		rc = -1;
	} else {
		*folder_id_r = v[pick].id;
		*account_id_r = v[pick].account_id;
	}
	store_folder_list_free(&v, n);
	return rc;
}

int
cmd_resolve_folder(struct cmd *c, const char *account, const char *folder,
    bool allow_all, int64_t *folder_id_r, int64_t *account_id_r,
    struct err *err)
{
	struct store_folder	*f = NULL;
	int64_t			 aid = 0;

	*folder_id_r = 0;
	*account_id_r = 0;
	if (account != NULL) {
		if (cmd_resolve_account(c, account, &aid, err) == -1)
			return -1;
		*account_id_r = aid;
		if (folder == NULL)
			return account_inbox(c, aid, account, folder_id_r, err);
		if (store_folder_find(c->st, aid, folder, &f, err) == -1 &&
		    (strcasecmp(folder, "INBOX") != 0 ||
		    account_inbox(c, aid, account, folder_id_r, err) == -1)) {
			if (err->code != ERR_NOTFOUND)
				return -1;
			err_clear(err);
			if (folder_any_account(c, aid, folder, folder_id_r,
			    &aid, err) == 0)
				return 0;
			if (err->code == ERR_NOTFOUND)
				err_set(err, ERR_NOTFOUND, _("account '%s' has "
				    "no folder '%s'"), account, folder);
			return -1;
		}
		if (*folder_id_r == 0) {
			*folder_id_r = f->id;
			store_folder_free(&f);
		}
		return 0;
	}
	if (folder != NULL)
		return folder_any_account(c, 0, folder, folder_id_r,
		    account_id_r, err);
	if (allow_all)
		return 0;
	*folder_id_r = STORE_UNIFIED_INBOX;
	return 0;
}

const struct cmd_folder_name *
cmd_folder_name(struct cmd *c, int64_t folder_id)
{
	struct cmd_folder_name	*fn;
	struct store_folder	*f = NULL;
	struct store_account	*a = NULL;
	size_t			 i;

	for (i = 0; i < c->nnames; i++) {
		if (c->names[i].id == folder_id)
			return &c->names[i];
	}
	c->names = xreallocarray(c->names, c->nnames + 1, sizeof *c->names);
	fn = &c->names[c->nnames++];
	fn->id = folder_id;
	fn->kind = STORE_ACCOUNT_LOCAL;
	if (store_folder_get(c->st, folder_id, &f, NULL) == 0 &&
	    store_account_get(c->st, f->account_id, &a, NULL) == 0) {
		fn->account = xstrdup(a->name);
		fn->folder = xstrdup(f->display);
		fn->kind = (int)a->kind;
	} else {
		fn->account = xstrdup("");
		fn->folder = xstrdup("");
	}
	store_folder_free(&f);
	store_account_free(&a);
	return fn;
}

int
cmd_get_message(struct cmd *c, int64_t id, struct store_msg **msg_r,
    struct err *err)
{
	if (store_message_get(c->st, id, msg_r, err) == -1) {
		if (err->code == ERR_NOTFOUND)
			err_set(err, ERR_NOTFOUND, _("no message with id %"
			    PRId64), id);
		return -1;
	}
	return 0;
}

void
cmd_rfc3339(struct buf *out, int64_t t, const char *date_raw)
{
	int64_t		 pt;
	int		 tz = 0, a;
	time_t		 tt;
	struct tm	 tm;

	if (date_raw == NULL || mime_date_parse(date_raw, strlen(date_raw),
	    &pt, &tz) == -1 || pt != t || tz < -24 * 60 || tz > 24 * 60)
		tz = 0;
	tt = (time_t)(t + (int64_t)tz * 60);
	if (gmtime_r(&tt, &tm) == NULL) {
		buf_adds(out, "1970-01-01T00:00:00Z");
		return;
	}
	buf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (tz == 0) {
		buf_addc(out, 'Z');
		return;
	}
	a = tz < 0 ? -tz : tz;
	buf_addf(out, "%c%02d:%02d", tz < 0 ? '-' : '+', a / 60, a % 60);
}

static const struct {
	unsigned	 bit;
	const char	*imap;
	char		 letter;
} flag_names[] = {
	{ STORE_FLAG_SEEN, "\\Seen", 0 },
	{ STORE_FLAG_ANSWERED, "\\Answered", 'A' },
	{ STORE_FLAG_FLAGGED, "\\Flagged", 'F' },
	{ STORE_FLAG_DELETED, "\\Deleted", 'D' },
	{ STORE_FLAG_DRAFT, "\\Draft", 'T' },
};

void
cmd_json_flags(struct json *j, unsigned flags, const char *keywords)
{
	const char	*p, *e;
	size_t		 i;

	json_array_begin(j);
	for (i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
		if (flags & flag_names[i].bit)
			json_string(j, flag_names[i].imap);
	}
	for (p = keywords; p != NULL && *p != '\0'; p = e) {
		p += strspn(p, " ");
		e = p + strcspn(p, " ");
		if (e > p)
			json_string_len(j, p, (size_t)(e - p));
	}
	json_array_end(j);
}

void
cmd_flag_letters(unsigned flags, char *out)
{
	size_t	i, n = 0;

	out[n++] = (flags & STORE_FLAG_SEEN) ? '-' : 'N';
	for (i = 1; i < sizeof flag_names / sizeof flag_names[0]; i++)
		out[n++] = (flags & flag_names[i].bit) ? flag_names[i].letter :
		    '-';
	out[n] = '\0';
}

static void
json_address(struct json *j, const char *name, const char *addr)
{
	json_object_begin(j);
	json_kv_string(j, "name", name != NULL && *name != '\0' ? name :
	    NULL);
	json_kv_string(j, "address", addr);
	json_object_end(j);
}

static void
json_addrlist(struct json *j, const struct mime_addrlist *l)
{
	size_t	i;

	json_array_begin(j);
	for (i = 0; i < l->n; i++)
		json_address(j, l->v[i].name, l->v[i].addr);
	json_array_end(j);
}

void
cmd_json_message(struct cmd *c, const struct store_msg *m)
{
	const struct cmd_folder_name	*fn;
	struct mime_headers		*hs = NULL;
	struct mime_addrlist		 to = { NULL, 0 }, cc = { NULL, 0 };
	const char			*v;
	struct buf			 d = BUF_INIT;
	struct json			*j = c->j;

	fn = cmd_folder_name(c, m->folder_id);
	if (m->headers != NULL) {
		hs = mime_headers_parse(m->headers, m->headers_len, NULL);
		if ((v = mime_headers_get(hs, "To")) != NULL)
			mime_addrlist_parse(&to, v, strlen(v), NULL);
		if ((v = mime_headers_get(hs, "Cc")) != NULL)
			mime_addrlist_parse(&cc, v, strlen(v), NULL);
	}
	json_object_begin(j);
	json_kv_int(j, "id", m->id);
	json_kv_string(j, "account", fn->account);
	json_kv_string(j, "folder", fn->folder);
	if (m->uid != 0)
		json_kv_int(j, "uid", m->uid);
	else
		json_kv_null(j, "uid");
	json_kv_string(j, "uidl", m->uidl);
	json_kv_string(j, "message_id", m->message_id);
	json_kv_string(j, "in_reply_to", m->in_reply_to);
	cmd_rfc3339(&d, m->date, m->date_raw);
	json_kv_string(j, "date", buf_cstr(&d));
	json_key(j, "from");
	if (m->from_addr != NULL || m->from_name != NULL)
		json_address(j, m->from_name, m->from_addr != NULL ?
		    m->from_addr : "");
	else
		json_null(j);
	json_key(j, "to");
	json_addrlist(j, &to);
	json_key(j, "cc");
	json_addrlist(j, &cc);
	json_kv_string(j, "subject", m->subject != NULL ? m->subject : "");
	json_key(j, "flags");
	cmd_json_flags(j, m->flags, m->keywords);
	json_kv_int(j, "size", m->size);
	json_kv_bool(j, "has_attachments", m->has_attachments);
	json_kv_string(j, "body", m->body_state == STORE_BODY_FULL ? "full" :
	    m->body_state == STORE_BODY_PARTIAL ? "partial" : "none");
	json_kv_int(j, "thread_id", m->thread_id);
	json_object_end(j);
	buf_free(&d);
	mime_addrlist_free(&to);
	mime_addrlist_free(&cc);
	mime_headers_free(&hs);
}

void
cmd_put_line_text(FILE *fp, const char *s)
{
	char	*t;

	t = sanitize_str(s != NULL ? s : "", 0);
	fputs(t, fp);
	free(t);
}

void
cmd_put_padded(FILE *fp, const char *s, size_t cols)
{
	char	*t;
	size_t	 len, used;

	t = sanitize_str(s != NULL ? s : "", 0);
	len = utf8_fit(t, strlen(t), cols, &used);
	fwrite(t, 1, len, fp);
	for (; used < cols; used++)
		fputc(' ', fp);
	free(t);
}
