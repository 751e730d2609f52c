/*
 * surat show: one message, from the store (by id) or from a file or
 * stdin, rendered as the pager shows it; or its headers, its raw bytes,
 * one decoded part, or everything as JSON (doc/json.md).  It changes
 * nothing: showing does not mark a message read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_common.h"
#include "cmd_message.h"
#include "mime/mime.h"
#include "store/store.h"
#include "sync/sync.h"
#include "util/fdio.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Messages read from a file or stdin are capped like no stored one. */
#define SHOW_FILE_MAX	(256u * 1024 * 1024)

enum show_mode {
	SHOW_RENDER = 0,
	SHOW_HEADERS,
	SHOW_RAW,
	SHOW_PART,
};

struct show {
	struct cmd		*c;
	enum show_mode		 mode;
	const char		*part;
	const char		*save;
	struct store_msg	*stored;	/* NULL for a file */
	bool			 headers_only;	/* body not downloaded */
	bool			 partial;	/* text parts missing */
	struct store_view	 view;		/* what of it is here */
	struct buf		 raw;
};

static int
read_fd(int fd, const char *name, struct buf *b, struct err *err)
{
	char	chunk[65536];
	ssize_t	n;

	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err_set(err, ERR_IO, "%s: %s", name, strerror(errno));
			return -1;
		}
		if (b->len + (size_t)n > SHOW_FILE_MAX) {
			err_set(err, ERR_TOOBIG, _("%s: larger than %u MiB"),
			    name, SHOW_FILE_MAX >> 20);
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	return 0;
}

static int
load_file(struct show *sh, const char *path, struct err *err)
{
	int	fd, rc;

	if (strcmp(path, "-") == 0)
		rc = read_fd(STDIN_FILENO, "stdin", &sh->raw, err);
	else {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
			return -1;
		}
		rc = read_fd(fd, path, &sh->raw, err);
		close(fd);
	}
	if (rc == 0 && cmd_message_check(sh->raw.data, sh->raw.len,
	    err) == -1) {
		err_prefix(err, "%s: ", path);
		return -1;
	}
	return rc;
}

/* The pager's preference in multipart/alternative. */
static const char *
prefer(const struct show *sh)
{
	return sh->c->cfg.general.prefer_plain ? NULL : "text/html";
}

/*
 * Ask the server for what is missing: the parts a reader needs (or the
 * whole message when that is cheaper), or one part to save.  On a
 * connection of our own to the store; when the store is busy or the
 * server away, say so once and show what is here.
 */
static void
fetch_missing(struct show *sh, const char *section)
{
	const struct cmd_folder_name	*fn;
	const struct config_account	*ca;
	struct sync_session		*ss;
	struct store			*wst = NULL;
	struct err			 e;
	int				 rc;

	fn = cmd_folder_name(sh->c, sh->stored->folder_id);
	if (fn->kind != STORE_ACCOUNT_IMAP || !sh->c->have_cfg ||
	    (ca = config_account_find(&sh->c->cfg, fn->account)) == NULL)
		return;
	err_clear(&e);
	if (store_open(sh->c->data_dir, 0, "surat show", &wst, &e) == -1) {
		fprintf(stderr, "surat: %s\n", e.msg);
		return;
	}
	ss = sync_session_new(wst, ca);
	rc = sync_session_connect(ss, &e);
	if (rc == 0)
		rc = section != NULL ? sync_fetch_part(ss, sh->stored->id,
		    section, &e) : sync_fetch_view(ss, sh->stored->id,
		    prefer(sh), &e);
	if (rc == -1)
		fprintf(stderr, _("surat: %s: %s; showing what is here\n"),
		    ca->id, cmd_unprefixed(e.msg, ca->id));
	sync_session_disconnect(ss);
	sync_session_free(&ss);
	store_close(&wst);
}

/* The message as far as the store has it; ERR_NOTFOUND: headers only. */
static int
view_stored(struct show *sh, struct err *err)
{
	buf_reset(&sh->raw);
	store_view_clear(&sh->view);
	return store_message_view(sh->c->st, sh->stored->id, prefer(sh),
	    &sh->raw, &sh->view, err);
}

static bool
section_missing(const struct show *sh, const char *section)
{
	size_t	i;

	for (i = 0; i < sh->view.nmissing; i++)
		if (strcmp(sh->view.missing[i], section) == 0)
			return true;
	return false;
}

/*
 * The whole header as the server sent it: with the whole message, or
 * the part HEADER fetched beside the parts of one read in pieces.  (The
 * sync keeps only the fields it uses.)
 */
static int
load_header(struct show *sh, struct err *err)
{
	if (view_stored(sh, err) == 0 && sh->view.whole)
		return 0;
	store_view_clear(&sh->view);
	buf_reset(&sh->raw);
	err_clear(err);
	return store_part_get(sh->c->st, sh->stored->id, "HEADER", &sh->raw,
	    err);
}

static int
load_stored(struct show *sh, int64_t id, struct err *err)
{
	const char	*want = NULL;
	int		 rc;

	if (cmd_get_message(sh->c, id, &sh->stored, err) == -1)
		return -1;
	if (sh->mode == SHOW_HEADERS) {
		if (load_header(sh, err) == 0)
			return 0;
		fetch_missing(sh, NULL);
		if (load_header(sh, err) == 0)
			return 0;
		goto headers_only;
	}
	rc = view_stored(sh, err);
	if (rc == -1 && err->code != ERR_NOTFOUND)
		return -1;
	/* The exact bytes are only what the server sent. */
	if (sh->mode == SHOW_RAW && (rc == -1 || !sh->view.whole))
		goto headers_only;
	if (rc == 0 && sh->mode == SHOW_PART && sh->part != NULL &&
	    section_missing(sh, sh->part))
		want = sh->part;
	if (rc == -1 || want != NULL || (!sh->view.whole &&
	    sh->view.wanted_missing > 0)) {
		err_clear(err);
		fetch_missing(sh, want);
		rc = view_stored(sh, err);
		if (rc == -1 && err->code != ERR_NOTFOUND)
			return -1;
	}
	if (rc == 0) {
		sh->partial = !sh->view.whole && sh->view.wanted_missing > 0;
		return 0;
	}
headers_only:
	/* Only the headers are here: show those and say so. */
	err_clear(err);
	store_view_clear(&sh->view);
	buf_reset(&sh->raw);
	buf_add(&sh->raw, sh->stored->headers != NULL ?
	    sh->stored->headers : "", sh->stored->headers_len);
	sh->headers_only = true;
	return 0;
}

static void
put_text(struct show *sh, const char *s, size_t len)
{
	struct buf	b = BUF_INIT;

	if (!sh->c->tty) {
		fwrite(s, 1, len, stdout);
		return;
	}
	sanitize_append(&b, s, len, SANITIZE_MULTILINE | SANITIZE_KEEP_TABS);
	fwrite(b.data != NULL ? b.data : "", 1, b.len, stdout);
	buf_free(&b);
}

static void
show_headers(struct show *sh, const struct mime_message *msg)
{
	const struct mime_headers	*hs = mime_message_headers(msg);
	const struct mime_header	*h;
	size_t				 i;
	char				*v, *name;

	for (i = 0; i < mime_headers_count(hs); i++) {
		h = mime_headers_at(hs, i);
		name = sanitize_text(h->name, h->name_len, 0);
		v = mime_header_decode(h->value, strlen(h->value), NULL);
		printf("%s: ", name);
		put_text(sh, v, strlen(v));
		putchar('\n');
		free(v);
		free(name);
	}
}

/* The pager's options from [general]: converter, preference, charset. */
static void
render_opts(const struct show *sh, struct mime_render_opts *o)
{
	const struct config_general	*g = &sh->c->cfg.general;

	memset(o, 0, sizeof *o);
	o->width = 80;
	o->html_command = g->html_converter;
	o->prefer = g->prefer_plain ? NULL : "text/html";
	o->fallback_charset = g->legacy_charset;
}

/* Lines of parts not here say so, with the sizes the server gave. */
static void
mark_missing(const struct show *sh, struct mime_render *r)
{
	struct mime_strlist	miss;

	if (sh->view.structure == NULL || sh->view.whole)
		return;
	miss.v = sh->view.missing;
	miss.n = sh->view.nmissing;
	mime_structure_mark_missing(r, sh->view.structure, &miss);
}

static void
show_render(const struct show *sh, const struct mime_message *msg,
    bool headers_only)
{
	struct mime_render_opts	 o;
	struct mime_render	*r;
	size_t			 i;

	render_opts(sh, &o);
	r = mime_render(msg, &o);
	mark_missing(sh, r);
	for (i = 0; i < r->nlines; i++) {
		fwrite(r->lines[i].text, 1, r->lines[i].len, stdout);
		putchar('\n');
	}
	if (headers_only)
		printf("\n%s\n", _("[-- The body is not downloaded yet; "
		    "'surat sync' fetches it. --]"));
	mime_render_free(&r);
}

static int
show_part(struct show *sh, const struct mime_message *msg, struct err *err)
{
	const struct mime_part	*p;
	struct buf		 b = BUF_INIT;
	int			 fd, rc = 0;

	p = mime_tree_find(mime_message_root(msg), sh->part);
	if (p == NULL || mime_part_is_multipart(p)) {
		err_set(err, ERR_NOTFOUND, _("no part %s in this message "
		    "(surat show --json lists them)"), sh->part);
		return -1;
	}
	if (section_missing(sh, sh->part)) {
		err_set(err, ERR_NOTFOUND, _("part %s of this message is not "
		    "downloaded, and the server could not be asked for it"),
		    sh->part);
		return -1;
	}
	mime_part_decode(msg, p, &b);
	if (sh->save == NULL || strcmp(sh->save, "-") == 0) {
		if (sh->c->tty && !mime_part_is(p, "text", NULL)) {
			err_set(err, ERR_USAGE, "%s", _("not writing binary "
			    "data to a terminal; use --save FILE"));
			rc = -1;
		} else
			put_text(sh, b.data != NULL ? b.data : "", b.len);
		buf_free(&b);
		return rc;
	}
	fd = open(sh->save, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		err_set(err, errno == EEXIST ? ERR_EXISTS : ERR_IO, "%s: %s",
		    sh->save, errno == EEXIST ? _("exists already; not "
		    "overwriting it") : strerror(errno));
		buf_free(&b);
		return -1;
	}
	if (fd_write_all(fd, b.data, b.len) == -1) {
		err_set(err, ERR_IO, "%s: %s", sh->save, strerror(errno));
		rc = -1;
	}
	if (close(fd) == -1 && rc == 0) {
		err_set(err, ERR_IO, "%s: %s", sh->save, strerror(errno));
		rc = -1;
	}
	if (rc == -1)
		unlink(sh->save);
	buf_free(&b);
	return rc;
}

/* ---- JSON ------------------------------------------------------------- */

static void
json_addrs(struct json *j, const char *key, const struct mime_addrlist *l)
{
	size_t	i;

	json_key(j, key);
	json_array_begin(j);
	for (i = 0; i < l->n; i++) {
		json_object_begin(j);
		json_kv_string(j, "name", l->v[i].name);
		json_kv_string(j, "address", l->v[i].addr);
		json_object_end(j);
	}
	json_array_end(j);
}

static void
json_part(struct json *j, const struct mime_part *p)
{
	const struct mime_part	*ch;
	char			*type;

	type = mime_part_content_type(p);
	json_object_begin(j);
	json_kv_string(j, "section", p->section);
	json_kv_string(j, "type", type);
	json_kv_string(j, "charset", mime_part_charset(p));
	json_kv_string(j, "disposition", p->disposition);
	json_kv_string(j, "filename", mime_part_filename(p));
	json_kv_string(j, "encoding", mime_encoding_name(p->encoding));
	json_kv_int(j, "size", (int64_t)p->size);
	json_kv_bool(j, "attachment", p->parent != NULL &&
	    !mime_part_is_multipart(p) && mime_part_is_attachment(p));
	if (p->child != NULL) {
		json_key(j, "parts");
		json_array_begin(j);
		for (ch = p->child; ch != NULL; ch = ch->next)
			json_part(j, ch);
		json_array_end(j);
	}
	json_object_end(j);
	free(type);
}

static void
show_json(struct show *sh, const struct mime_message *msg)
{
	struct json			*j = sh->c->j;
	const struct mime_headers	*hs = mime_message_headers(msg);
	const struct mime_header	*h;
	struct mime_envelope		 env;
	struct mime_render_opts		 o;
	struct mime_render		*r;
	struct buf			 b = BUF_INIT;
	size_t				 i;
	char				*v;

	memset(&env, 0, sizeof env);
	mime_envelope_from_headers(&env, hs, 0, NULL);
	json_object_begin(j);
	json_key(j, "stored");
	if (sh->stored != NULL)
		cmd_json_message(sh->c, sh->stored);
	else
		json_null(j);
	json_kv_string(j, "message_id", env.message_id);
	cmd_rfc3339(&b, env.date, mime_headers_get(hs, "Date"));
	json_kv_string(j, "date", env.date_valid ? buf_cstr(&b) : NULL);
	json_kv_string(j, "subject", env.subject != NULL ? env.subject : "");
	json_addrs(j, "from", &env.from);
	json_addrs(j, "to", &env.to);
	json_addrs(j, "cc", &env.cc);
	json_addrs(j, "reply_to", &env.reply_to);
	json_key(j, "headers");
	json_array_begin(j);
	for (i = 0; i < mime_headers_count(hs); i++) {
		h = mime_headers_at(hs, i);
		v = mime_header_decode(h->value, strlen(h->value), NULL);
		json_object_begin(j);
		json_key(j, "name");
		json_string_len(j, h->name, h->name_len);
		json_kv_string(j, "value", v);
		json_object_end(j);
		free(v);
	}
	json_array_end(j);
	json_kv_bool(j, "body_downloaded", !sh->headers_only &&
	    (sh->stored == NULL || sh->view.whole));
	json_key(j, "mime");
	if (sh->headers_only)
		json_null(j);
	else
		json_part(j, mime_message_root(msg));
	render_opts(sh, &o);
	o.no_headers = true;
	r = mime_render(msg, &o);
	mark_missing(sh, r);
	buf_reset(&b);
	for (i = 0; i < r->nlines && !sh->headers_only; i++) {
		if (r->lines[i].kind == MIME_LINE_ATTACHMENT)
			continue;
		buf_add(&b, r->lines[i].text, r->lines[i].len);
		buf_addc(&b, '\n');
	}
	json_key(j, "text");
	json_string_len(j, b.data != NULL ? b.data : "", b.len);
	json_key(j, "attachments");
	json_array_begin(j);
	for (i = 0; i < r->natts && !sh->headers_only; i++) {
		json_object_begin(j);
		json_kv_string(j, "section", r->atts[i].part->section);
		json_kv_string(j, "type", r->atts[i].type);
		json_kv_string(j, "name", r->atts[i].name);
		json_kv_int(j, "size", (int64_t)r->atts[i].size);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
	mime_render_free(&r);
	mime_envelope_free(&env);
	buf_free(&b);
}

/* ---- The command ------------------------------------------------------ */

static int
show_one(struct show *sh, struct err *err)
{
	struct mime_message	*msg;
	int			 rc = 0;

	if (sh->mode == SHOW_RAW && sh->c->j == NULL) {
		put_text(sh, sh->raw.data != NULL ? sh->raw.data : "",
		    sh->raw.len);
		return 0;
	}
	if (sh->mode == SHOW_PART && sh->headers_only) {
		err_set(err, ERR_NOTFOUND, "%s", _("the body of this message "
		    "is not downloaded yet; run 'surat sync'"));
		return -1;
	}
	msg = mime_message_parse(sh->raw.data != NULL ? sh->raw.data : "",
	    sh->raw.len, 0);
	if (sh->c->j != NULL)
		show_json(sh, msg);
	else if (sh->mode == SHOW_HEADERS)
		show_headers(sh, msg);
	else if (sh->mode == SHOW_PART)
		rc = show_part(sh, msg, err);
	else
		show_render(sh, msg, sh->headers_only);
	mime_message_free(&msg);
	return rc;
}

int
cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "headers", no_argument, NULL, 'H' },
		{ "part", required_argument, NULL, 'p' },
		{ "save", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct show			 sh;
	struct cmd			 c;
	struct err			 err;
	struct stat			 sb;
	const char			*what;
	int64_t				 id;
	bool				 file;
	int				 ch, rc;

	memset(&sh, 0, sizeof sh);
	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "rHp:s:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'r': sh.mode = SHOW_RAW; break;
		case 'H': sh.mode = SHOW_HEADERS; break;
		case 'p': sh.mode = SHOW_PART; sh.part = optarg; break;
		case 's': sh.save = optarg; break;
		case 'j': cli->json = 1; break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc || (sh.save != NULL && sh.part == NULL))
		goto usage;
	what = argv[optind];
	/* An existing file wins over a number, so "surat show 12" in a
	 * directory holding a file "12" shows the file. */
	file = strcmp(what, "-") == 0 || stat(what, &sb) == 0 ||
	    cmd_parse_id(what, &id) == -1;
	if ((rc = cmd_open(&c, cli, file ? CMD_CONFIG : CMD_CONFIG |
	    CMD_STORE_READ)) != 0)
		return rc;
	sh.c = &c;
	err_clear(&err);
	if ((file ? load_file(&sh, what, &err) :
	    load_stored(&sh, id, &err)) == -1 || show_one(&sh, &err) == -1) {
		rc = cmd_fail(&c, err.code == ERR_USAGE ? EXIT_USAGE :
		    EXIT_ERROR, &err);
	} else
		rc = sh.headers_only || sh.partial ? EXIT_PARTIAL : EXIT_OK;
	store_msg_free(&sh.stored);
	store_view_clear(&sh.view);
	buf_free(&sh.raw);
	cmd_close(&c);
	return rc;
usage:
	return cmd_usage(cli, "%s", _("usage: surat show [--raw | --headers "
	    "| --part N [--save FILE]] ID|FILE|-"));
}
