/*
 * surat send [--account A] [--now] [FILE]: put a message built elsewhere
 * (RFC 5322, from FILE or stdin) in the outbox; with --now, also work
 * through that account's outbox at once.  Recipients come from To, Cc
 * and Bcc; Bcc is removed from the copy that is sent.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "cmd_common.h"
#include "config/config.h"
#include "mime/mime.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* Postfix's default is 10 MB; no submission server takes 64. */
#define SEND_MAX	(64 * 1024 * 1024)

static int
read_all(const char *path, struct buf *out, struct err *err)
{
	FILE	*f = stdin;
	char	 chunk[65536];
	size_t	 n;

	if (path != NULL && strcmp(path, "-") != 0 &&
	    (f = fopen(path, "rb")) == NULL) {
		err_set(err, ERR_IO, _("%s: cannot open"), path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + n > SEND_MAX) {
			err_set(err, ERR_TOOBIG, _("the message is larger "
			    "than %d MB"), SEND_MAX / (1024 * 1024));
			break;
		}
		buf_add(out, chunk, n);
	}
	if (!err_failed(err) && ferror(f))
		err_set(err, ERR_IO, _("cannot read the message"));
	if (f != stdin)
		fclose(f);
	return err_failed(err) ? -1 : 0;
}

/* Does the header field at p (one line) have this name? */
static bool
field_is(const char *p, size_t len, const char *name)
{
	size_t	n = strlen(name);

	return len > n && strncasecmp(p, name, n) == 0 && p[n] == ':';
}

/*
 * The message as it goes out: Bcc fields dropped, Date and Message-ID
 * added when missing.  Recipients of To, Cc and Bcc, one per line.
 */
static void
prepare(const struct buf *in, const char *email, struct buf *out,
    struct buf *rcpts)
{
	struct mime_headers	*h;
	struct mime_addrlist	 al;
	static const char	*fields[] = { "To", "Cc", "Bcc" };
	const char		*p = in->data, *end = in->data + in->len, *v;
	const char		*nl;
	size_t			 body, i, len;
	bool			 skip = false;
	char			*id;

	h = mime_headers_parse(in->data, in->len, &body);
	memset(&al, 0, sizeof al);
	for (i = 0; i < 3; i++) {
		if ((v = mime_headers_get(h, fields[i])) != NULL)
			mime_addrlist_parse(&al, v, strlen(v), NULL);
	}
	for (i = 0; i < al.n; i++)
		if (al.v[i].addr != NULL && strchr(al.v[i].addr, '@') != NULL)
			buf_addf(rcpts, "%s\n", al.v[i].addr);
	if (mime_headers_get(h, "Date") == NULL) {
		buf_adds(out, "Date: ");
		mime_date_format(out, sync_delivery_now(), 0);
		buf_adds(out, "\r\n");
	}
	if (mime_headers_get(h, "Message-ID") == NULL) {
		v = strchr(email, '@');
		id = mime_msgid_generate(v != NULL ? v + 1 : "localhost");
		buf_addf(out, "Message-ID: <%s>\r\n", id);
		free(id);
	}
	/* Copy the header block line by line, leaving out Bcc. */
	while (p < in->data + body) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (*p != ' ' && *p != '\t')
			skip = field_is(p, len, "Bcc");
		if (!skip)
			buf_add(out, p, len);
		p += len;
	}
	buf_add(out, in->data + body, in->len - body);
	mime_addrlist_free(&al);
	mime_headers_free(&h);
}

static const struct config_account *
find_account(struct cmd *c, const char *name, struct err *err)
{
	const struct config_account	*a;

	if (name != NULL) {
		if ((a = config_account_find(&c->cfg, name)) == NULL)
			err_set(err, ERR_NOTFOUND, _("no account called %s in "
			    "the configuration"), name);
	} else if ((a = config_default_account(&c->cfg)) == NULL)
		err_set(err, ERR_NOTFOUND, _("no account in the "
		    "configuration; run 'surat setup'"));
	return a;
}

static void
report(struct cmd *c, int64_t id, bool sent_now,
    const struct sync_outbox_stats *st, const struct err *err)
{
	if (c->j != NULL) {
		json_object_begin(c->j);
		json_kv_int(c->j, "queued", id);
		if (sent_now) {
			json_kv_int(c->j, "sent", (int64_t)st->sent);
			json_kv_int(c->j, "retry", (int64_t)st->retry);
			json_kv_int(c->j, "failed", (int64_t)st->failed);
			json_kv_int(c->j, "check", (int64_t)st->check);
			json_kv_int(c->j, "held", (int64_t)st->held);
			json_kv_int(c->j, "next_at", st->next_at);
		}
		json_object_end(c->j);
		return;
	}
	printf(_("queued as outbox message %lld\n"), (long long)id);
	if (!sent_now)
		return;
	printf(_("sent %zu, to retry %zu, failed %zu, to check %zu, held by "
	    "the rate limit %zu\n"), st->sent, st->retry, st->failed,
	    st->check, st->held);
	if (err_failed(err))
		fprintf(stderr, "surat: %s\n", err->msg);
}

int
cmd_send(struct cli *cli, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "now", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const struct config_account	*acc;
	struct sync_outbox_stats	 st;
	struct cmd			 c;
	struct buf			 in = BUF_INIT, raw = BUF_INIT;
	struct buf			 rcpts = BUF_INIT;
	struct err			 err;
	const char			*account = NULL;
	char				*secret = NULL;
	int64_t				 acc_id, id;
	bool				 now = false;
	int				 ch, rc;

	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "a:n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': account = optarg; break;
		case 'n': now = true; break;
		case 'j': cli->json = 1; break;
		default:
			return cmd_usage(cli, _("usage: surat send "
			    "[--account A] [--now] [FILE]"));
		}
	}
	if (argc - optind > 1)
		return cmd_usage(cli, _("send: one message at a time"));
	if ((rc = cmd_open(&c, cli, CMD_CONFIG | CMD_STORE_WRITE)) != 0)
		return rc;
	err_clear(&err);
	memset(&st, 0, sizeof st);
	if ((acc = find_account(&c, account, &err)) == NULL ||
	    read_all(optind < argc ? argv[optind] : NULL, &in, &err) == -1)
		goto fail;
	prepare(&in, acc->email, &raw, &rcpts);
	if (rcpts.len == 0) {
		err_set(&err, ERR_USAGE, _("the message has no recipient "
		    "(To, Cc or Bcc)"));
		goto fail;
	}
	if (store_account_ensure(c.st, acc->id, acc->incoming.protocol ==
	    CONFIG_PROTO_POP3 ? STORE_ACCOUNT_POP3 : STORE_ACCOUNT_IMAP,
	    &acc_id, &err) == -1 ||
	    store_outbox_add(c.st, acc_id, raw.data, raw.len, acc->email,
	    buf_cstr(&rcpts), &id, &err) == -1)
		goto fail;
	if (now) {
		rc = config_get_password(acc, acc->auth == CONFIG_AUTH_XOAUTH2 ?
		    CONFIG_SECRET_OAUTH : CONFIG_SECRET_OUTGOING, &secret,
		    &err);
		if (rc == CONFIG_NEED_PROMPT)
			err_set(&err, ERR_AUTH, _("%s: no SMTP password (set "
			    "password_cmd); the message stays in the outbox"),
			    acc->id);
		if (rc == 0 && sync_outbox_send(c.st, acc, secret, NULL, NULL,
		    &st, &err) == 0)
			err_clear(&err);
	}
	report(&c, id, now, &st, &err);
	rc = !now ? EXIT_OK : err_failed(&err) || st.sent == 0 ?
	    EXIT_PARTIAL : EXIT_OK;
	str_free_secret(&secret);
	buf_free(&in);
	buf_free(&raw);
	buf_free(&rcpts);
	cmd_close(&c);
	return rc;
fail:
	buf_free(&in);
	buf_free(&raw);
	buf_free(&rcpts);
	rc = cmd_fail(&c, EXIT_ERROR, &err);
	cmd_close(&c);
	return rc;
}
