/*
 * surat folders, surat accounts and surat pending: what the store holds
 * per folder and per account, and the operations waiting for a server.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "cmd_common.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/xmalloc.h"

/* Only --json; anything else is a usage error.  Returns optind. */
static int
json_only(struct cli *cli, int argc, char **argv, int maxargs,
    const char *usage)
{
	static const struct option	 longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int				 ch;

	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return -cmd_usage(cli, "%s", usage);
		cli->json = 1;
	}
	if (argc - optind > maxargs)
		return -cmd_usage(cli, "%s", usage);
	return optind;
}

static void
put_time(struct buf *b, int64_t t)
{
	cmd_rfc3339(b, t, NULL);
}

/* Bytes of the messages of a folder: the sum of their sizes. */
static int64_t
folder_size(struct cmd *c, int64_t folder_id)
{
	struct store_sort	 sort = { STORE_SORT_DATE, false, false };
	struct store_cursor	 cur;
	struct store_row	*rows;
	size_t			 n, i;
	int64_t			 sum = 0;
	bool			 first = true;

	memset(&cur, 0, sizeof cur);
	for (;;) {
		if (store_index_page(c->st, folder_id, &sort, first ? NULL :
		    &cur, STORE_PAGE_FORWARD, STORE_PAGE_MAX, &rows, &n,
		    NULL) == -1)
			return -1;
		for (i = 0; i < n; i++)
			sum += rows[i].size;
		if (n > 0)
			cur = rows[n - 1].cursor;
		store_rows_free(&rows, n);
		first = false;
		if (n < STORE_PAGE_MAX)
			return sum;
	}
}

int
cmd_folders(struct cli *cli, int argc, char **argv)
{
	struct cmd			 c;
	struct err			 err;
	struct store_folder		*v = NULL;
	const struct cmd_folder_name	*fn;
	struct buf			 b = BUF_INIT;
	size_t				 n = 0, i;
	int64_t				 aid = 0, size;
	int				 rc, ind;

	if ((ind = json_only(cli, argc, argv, 1, _("usage: surat folders "
	    "[ACCOUNT]"))) < 0)
		return -ind;
	if ((rc = cmd_open(&c, cli, CMD_CONFIG | CMD_STORE_READ)) != 0)
		return rc;
	err_clear(&err);
	if ((ind < argc && cmd_resolve_account(&c, argv[ind], &aid,
	    &err) == -1) || store_folder_list(c.st, aid, &v, &n, &err) == -1) {
		rc = cmd_fail(&c, EXIT_ERROR, &err);
		cmd_close(&c);
		return rc;
	}
	if (c.j != NULL)
		json_array_begin(c.j);
	else if (n > 0)
		printf("%-12s %-24s %-8s %7s %7s %10s  %s\n", _("ACCOUNT"),
		    _("FOLDER"), _("ROLE"), _("TOTAL"), _("UNREAD"),
		    _("SIZE"), _("LAST SYNC"));
	for (i = 0; i < n; i++) {
		fn = cmd_folder_name(&c, v[i].id);
		size = folder_size(&c, v[i].id);
		buf_reset(&b);
		if (v[i].last_sync != 0)
			put_time(&b, v[i].last_sync);
		if (c.j == NULL) {
			cmd_put_padded(stdout, fn->account, 12);
			putchar(' ');
			cmd_put_padded(stdout, v[i].display, 24);
			printf(" %-8s %7" PRId64 " %7" PRId64 " %10" PRId64
			    "  %s\n", store_role_name(v[i].role), v[i].total,
			    v[i].unread, size, v[i].last_sync != 0 ?
			    buf_cstr(&b) : _("never"));
			continue;
		}
		json_object_begin(c.j);
		json_kv_int(c.j, "id", v[i].id);
		json_kv_string(c.j, "account", fn->account);
		json_kv_string(c.j, "name", v[i].display);
		json_kv_string(c.j, "role", v[i].role == STORE_ROLE_NONE ?
		    NULL : store_role_name(v[i].role));
		json_kv_int(c.j, "total", v[i].total);
		json_kv_int(c.j, "unread", v[i].unread);
		json_kv_int(c.j, "size", size);
		json_kv_string(c.j, "last_sync", v[i].last_sync != 0 ?
		    buf_cstr(&b) : NULL);
		if (v[i].uidvalidity != 0)
			json_kv_int(c.j, "uidvalidity", v[i].uidvalidity);
		else
			json_kv_null(c.j, "uidvalidity");
		json_object_end(c.j);
	}
	if (c.j != NULL)
		json_array_end(c.j);
	buf_free(&b);
	store_folder_list_free(&v, n);
	cmd_close(&c);
	return EXIT_OK;
}

struct acct_stats {
	size_t	folders;
	int64_t	total, unread;
	size_t	pending;
};

static void
stats_for(struct cmd *c, int64_t aid, struct acct_stats *s)
{
	struct store_folder	*v = NULL;
	size_t			 n = 0, i;

	memset(s, 0, sizeof *s);
	if (c->st == NULL || aid == 0)
		return;
	if (store_folder_list(c->st, aid, &v, &n, NULL) == 0) {
		s->folders = n;
		for (i = 0; i < n; i++) {
			s->total += v[i].total;
			s->unread += v[i].unread;
		}
		store_folder_list_free(&v, n);
	}
	store_op_count(c->st, aid, &s->pending, NULL);
}

static void
account_row(struct cmd *c, const char *name, const char *kind,
    const struct config_account *ca, const struct store_account *sa)
{
	struct acct_stats	 s;
	char			*url;

	stats_for(c, sa != NULL ? sa->id : 0, &s);
	if (c->j == NULL) {
		cmd_put_padded(stdout, name, 12);
		printf(" %-6s %s  ", kind, ca != NULL && ca->email != NULL ?
		    ca->email : "-");
		printf(_("%zu folders, %" PRId64 " messages, %" PRId64
		    " unread, %zu pending"), s.folders, s.total, s.unread,
		    s.pending);
		putchar('\n');
		return;
	}
	json_object_begin(c->j);
	json_kv_string(c->j, "name", name);
	json_kv_string(c->j, "kind", kind);
	json_kv_bool(c->j, "configured", ca != NULL);
	json_kv_bool(c->j, "default", ca != NULL && ca->is_default);
	json_kv_string(c->j, "email", ca != NULL ? ca->email : NULL);
	url = ca != NULL && ca->incoming.host != NULL ?
	    config_server_url(&ca->incoming) : NULL;
	json_kv_string(c->j, "incoming", url);
	free(url);
	url = ca != NULL && ca->outgoing.host != NULL ?
	    config_server_url(&ca->outgoing) : NULL;
	json_kv_string(c->j, "outgoing", url);
	free(url);
	json_kv_int(c->j, "folders", (int64_t)s.folders);
	json_kv_int(c->j, "messages", s.total);
	json_kv_int(c->j, "unread", s.unread);
	json_kv_int(c->j, "pending", (int64_t)s.pending);
	if (sa != NULL && sa->quota_limit >= 0) {
		json_kv_int(c->j, "quota_used", sa->quota_used);
		json_kv_int(c->j, "quota_limit", sa->quota_limit);
	} else {
		json_kv_null(c->j, "quota_used");
		json_kv_null(c->j, "quota_limit");
	}
	json_object_end(c->j);
}

int
cmd_accounts(struct cli *cli, int argc, char **argv)
{
	struct cmd			 c;
	struct err			 err;
	struct store_account		*v = NULL, *sa;
	const struct config_account	*ca;
	struct stat			 sb;
	char				*db;
	size_t				 n = 0, i;
	int				 rc, ind;

	if ((ind = json_only(cli, argc, argv, 0, _("usage: surat "
	    "accounts"))) < 0)
		return -ind;
	if ((rc = cmd_open(&c, cli, CMD_CONFIG)) != 0)
		return rc;
	err_clear(&err);
	/* The store is optional here: a new account has no mail yet. */
	if ((c.data_dir = config_data_dir(cli->data_dir, &err)) != NULL) {
		db = xasprintf("%s/%s", c.data_dir, STORE_DB_NAME);
		if (stat(db, &sb) == 0 && (store_open(c.data_dir,
		    STORE_OPEN_READONLY, "surat", &c.st, &err) == -1 ||
		    store_account_list(c.st, &v, &n, &err) == -1)) {
			free(db);
			rc = cmd_fail(&c, EXIT_ERROR, &err);
			cmd_close(&c);
			return rc;
		}
		free(db);
	}
	if (c.j != NULL)
		json_array_begin(c.j);
	for (i = 0; i < c.cfg.naccounts; i++) {
		ca = &c.cfg.accounts[i];
		for (sa = NULL, rc = 0; (size_t)rc < n; rc++) {
			if (strcmp(v[rc].name, ca->id) == 0)
				sa = &v[rc];
		}
		account_row(&c, ca->id, config_protocol_name(
		    ca->incoming.protocol), ca, sa);
	}
	for (i = 0; i < n; i++) {
		if (config_account_find(&c.cfg, v[i].name) == NULL)
			account_row(&c, v[i].name,
			    store_account_kind_name(v[i].kind), NULL, &v[i]);
	}
	if (c.j != NULL)
		json_array_end(c.j);
	else if (c.cfg.naccounts == 0 && n == 0)
		fprintf(stderr, "%s\n", _("no accounts; add one with 'surat "
		    "setup'"));
	store_account_list_free(&v, n);
	cmd_close(&c);
	return EXIT_OK;
}

static const char *
op_name(enum store_op_type t)
{
	switch (t) {
	case STORE_OP_FLAG: return "flag";
	case STORE_OP_UNFLAG: return "unflag";
	case STORE_OP_MOVE: return "move";
	case STORE_OP_COPY: return "copy";
	case STORE_OP_DELETE: return "delete";
	case STORE_OP_EXPUNGE: return "expunge";
	case STORE_OP_APPEND: return "append";
	}
	return "?";
}

int
cmd_pending(struct cli *cli, int argc, char **argv)
{
	struct cmd			 c;
	struct err			 err;
	struct store_op			*v = NULL;
	struct store_account		*a;
	struct buf			 b = BUF_INIT;
	size_t				 n = 0, i;
	int				 rc;

	if ((rc = json_only(cli, argc, argv, 0, _("usage: surat "
	    "pending"))) < 0)
		return -rc;
	if ((rc = cmd_open(&c, cli, CMD_CONFIG | CMD_STORE_READ)) != 0)
		return rc;
	err_clear(&err);
	if (store_op_list(c.st, 0, &v, &n, &err) == -1) {
		rc = cmd_fail(&c, EXIT_ERROR, &err);
		cmd_close(&c);
		return rc;
	}
	if (c.j != NULL)
		json_array_begin(c.j);
	for (i = 0; i < n; i++) {
		a = NULL;
		store_account_get(c.st, v[i].account_id, &a, NULL);
		buf_reset(&b);
		put_time(&b, v[i].created);
		if (c.j == NULL) {
			printf("%6" PRId64 "  %-8s %-8s msg %-6" PRId64 " %s%s",
			    v[i].id, op_name(v[i].type), a != NULL ? a->name :
			    "?", v[i].message_id, v[i].state ==
			    STORE_OP_FAILED ? _("FAILED: ") : "",
			    v[i].last_error != NULL ? "" : "");
			if (v[i].last_error != NULL)
				cmd_put_line_text(stdout, v[i].last_error);
			putchar('\n');
		} else {
			json_object_begin(c.j);
			json_kv_int(c.j, "id", v[i].id);
			json_kv_string(c.j, "account", a != NULL ? a->name :
			    NULL);
			json_kv_string(c.j, "type", op_name(v[i].type));
			json_kv_int(c.j, "message", v[i].message_id);
			if (v[i].uid != 0)
				json_kv_int(c.j, "uid", v[i].uid);
			else
				json_kv_null(c.j, "uid");
			json_key(c.j, "flags");
			cmd_json_flags(c.j, v[i].flags, v[i].args);
			json_kv_string(c.j, "state", v[i].state ==
			    STORE_OP_FAILED ? "failed" : "queued");
			json_kv_int(c.j, "attempts", v[i].attempts);
			json_kv_string(c.j, "last_error", v[i].last_error);
			json_kv_string(c.j, "created", buf_cstr(&b));
			json_object_end(c.j);
		}
		store_account_free(&a);
	}
	if (c.j != NULL)
		json_array_end(c.j);
	buf_free(&b);
	store_op_list_free(&v, n);
	cmd_close(&c);
	return EXIT_OK;
}
