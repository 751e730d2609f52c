/*
 * surat outbox: what waits to be sent, and the user's say over messages
 * that need it: send a failed or "maybe sent" message again, or drop it.
 */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_common.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/json.h"

#define OUTBOX_USAGE N_("usage: surat outbox [--json] [list | retry ID... | " \
	"cancel ID...]")

static const char *
state_name(enum store_out_state s)
{
	switch (s) {
	case STORE_OUT_QUEUED:
		return "queued";
	case STORE_OUT_SENDING:
		return "sending";
	case STORE_OUT_SENT:
		return "sent";
	case STORE_OUT_FAILED:
		return "failed";
	case STORE_OUT_CHECK:
		return "check";
	}
	return "?";
}

/* What the user should know about a state, on a terminal. */
static const char *
state_hint(enum store_out_state s)
{
	switch (s) {
	case STORE_OUT_FAILED:
		return _("refused by the server; 'surat outbox retry ID' "
		    "sends it again");
	case STORE_OUT_CHECK:
		return _("the connection died after the whole message went "
		    "out: it may have arrived; check, then retry or cancel");
	default:
		return NULL;
	}
}

static void
put_row_text(struct cmd *c, const struct store_out *o)
{
	struct buf	 when = BUF_INIT;
	const char	*first_rcpt = o->rcpts != NULL ? o->rcpts : "";
	size_t		 len = strcspn(first_rcpt, "\n");
	const char	*hint = state_hint(o->state);

	(void)c;
	cmd_rfc3339(&when, o->created, NULL);
	printf("%6" PRId64 "  %-8s %s  %.*s", o->id, state_name(o->state),
	    buf_cstr(&when), (int)len, first_rcpt);
	if (o->rcpt_count > 1)
		printf(" (+%zu)", o->rcpt_count - 1);
	putchar('\n');
	if (o->last_error != NULL) {
		fputs("        ", stdout);
		cmd_put_line_text(stdout, o->last_error);
		putchar('\n');
	}
	if (hint != NULL)
		printf("        %s\n", hint);
	buf_free(&when);
}

static void
put_row_json(struct cmd *c, const struct store_out *o)
{
	struct buf	 t = BUF_INIT;
	const char	*p, *nl;

	json_object_begin(c->j);
	json_kv_int(c->j, "id", o->id);
	json_kv_int(c->j, "account_id", o->account_id);
	json_kv_string(c->j, "state", state_name(o->state));
	json_kv_string(c->j, "from", o->env_from);
	json_key(c->j, "to");
	json_array_begin(c->j);
	for (p = o->rcpts; p != NULL && *p != '\0'; p = nl + 1) {
		nl = p + strcspn(p, "\n");
		json_string_len(c->j, p, (size_t)(nl - p));
		if (*nl == '\0')
			break;
	}
	json_array_end(c->j);
	json_kv_int(c->j, "size", o->size);
	json_kv_int(c->j, "attempts", o->attempts);
	json_kv_string(c->j, "last_error", o->last_error);
	cmd_rfc3339(&t, o->created, NULL);
	json_kv_string(c->j, "created", buf_cstr(&t));
	if (o->state == STORE_OUT_QUEUED && o->next_attempt_at > 0) {
		buf_reset(&t);
		cmd_rfc3339(&t, o->next_attempt_at, NULL);
		json_kv_string(c->j, "next_attempt", buf_cstr(&t));
	} else
		json_kv_null(c->j, "next_attempt");
	if (o->sent_at > 0) {
		buf_reset(&t);
		cmd_rfc3339(&t, o->sent_at, NULL);
		json_kv_string(c->j, "sent", buf_cstr(&t));
	} else
		json_kv_null(c->j, "sent");
	json_object_end(c->j);
	buf_free(&t);
}

static int
list_outbox(struct cmd *c)
{
	struct store_out	*v = NULL;
	struct err		 err;
	size_t			 n = 0, i;

	err_clear(&err);
	if (store_outbox_list(c->st, 0, &v, &n, &err) == -1)
		return cmd_fail(c, EXIT_ERROR, &err);
	if (c->j != NULL)
		json_array_begin(c->j);
	else if (n == 0)
		printf("%s\n", _("the outbox is empty"));
	for (i = 0; i < n; i++) {
		if (c->j != NULL)
			put_row_json(c, &v[i]);
		else
			put_row_text(c, &v[i]);
	}
	if (c->j != NULL)
		json_array_end(c->j);
	store_outbox_list_free(&v, n);
	return EXIT_OK;
}

/* retry or cancel each ID; every one is tried, the exit says if any failed. */
static int
act_on_ids(struct cmd *c, bool retry, int argc, char **argv)
{
	struct err	 err;
	int64_t		 id = 0;
	int		 i, rc = EXIT_OK;

	if (c->j != NULL)
		json_array_begin(c->j);
	for (i = 0; i < argc; i++) {
		err_clear(&err);
		if (cmd_parse_id(argv[i], &id) == -1) {
			err_set(&err, ERR_USAGE, _("'%s' is not a message id"),
			    argv[i]);
		} else if (retry) {
			(void)store_outbox_requeue(c->st, id, (int64_t)time(NULL),
			    &err);
		} else
			(void)store_outbox_cancel(c->st, id, &err);
		if (c->j != NULL) {
			json_object_begin(c->j);
			if (err.code == ERR_USAGE)
				json_kv_string(c->j, "id", argv[i]);
			else
				json_kv_int(c->j, "id", id);
			json_kv_bool(c->j, "done", err.code == ERR_OK);
			json_kv_string(c->j, "error", err.code == ERR_OK ?
			    NULL : err.msg);
			json_object_end(c->j);
		} else if (err.code != ERR_OK)
			fprintf(stderr, "surat: %s\n", err.msg);
		else
			printf(retry ? _("outbox message %s queued to send "
			    "again\n") : _("outbox message %s removed\n"),
			    argv[i]);
		if (err.code != ERR_OK)
			rc = EXIT_ERROR;
	}
	if (c->j != NULL)
		json_array_end(c->j);
	return rc;
}

int
cmd_outbox(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd	 c;
	const char	*what;
	int		 ch, rc;

	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return cmd_usage(cli, "%s", _(OUTBOX_USAGE));
		cli->json = 1;
	}
	argc -= optind;
	argv += optind;
	what = argc > 0 ? argv[0] : "list";
	if (strcmp(what, "list") == 0 ? argc > 1 :
	    (strcmp(what, "retry") != 0 && strcmp(what, "cancel") != 0) ||
	    argc < 2)
		return cmd_usage(cli, "%s", _(OUTBOX_USAGE));
	if ((rc = cmd_open(&c, cli, strcmp(what, "list") == 0 ?
	    CMD_STORE_READ : CMD_STORE_WRITE)) != EXIT_OK)
		return rc;
	if (strcmp(what, "list") == 0)
		rc = list_outbox(&c);
	else
		rc = act_on_ids(&c, strcmp(what, "retry") == 0, argc - 1,
		    argv + 1);
	cmd_close(&c);
	return rc;
}
