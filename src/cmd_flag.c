/*
 * surat flag, read, unread, move, copy and delete: user actions on
 * stored messages, applied to the store at once and, for IMAP accounts,
 * queued as pending operations in the same transaction, through the same
 * sync_local_* functions as the UI's actions (the sync engine replays
 * them on the server).  All the ids of one command change together or
 * not at all.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "cmd_common.h"
#include "store/store.h"
#include "sync/sync.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/xmalloc.h"

#define LOCAL_TRASH	"Trash"

struct act {
	struct cmd	*c;
	int64_t		*ids;
	size_t		 nids;
	size_t		 changed;
	size_t		 queued;
	size_t		 trashed;
	size_t		 deleted;
};

/* The message, its folder, and whether its account has a server. */
static int
load(struct act *a, int64_t id, struct store_msg **m_r,
    struct store_folder **f_r, bool *imap_r, struct err *err)
{
	struct store_account	*acc;

	*m_r = NULL;
	*f_r = NULL;
	if (cmd_get_message(a->c, id, m_r, err) == -1)
		return -1;
	if (store_folder_get(a->c->st, (*m_r)->folder_id, f_r, err) == -1 ||
	    store_account_get(a->c->st, (*f_r)->account_id, &acc, err) == -1) {
		store_msg_free(m_r);
		store_folder_free(f_r);
		return -1;
	}
	*imap_r = acc->kind == STORE_ACCOUNT_IMAP;
	store_account_free(&acc);
	return 0;
}

static int
act_flags(struct act *a, int64_t id, unsigned set, unsigned clear,
    struct err *err)
{
	struct store_msg	*m;
	int			 rc = 0;

	if (cmd_get_message(a->c, id, &m, err) == -1)
		return -1;
	if ((set & ~m->flags) != 0 || (clear & m->flags) != 0) {
		a->changed++;
		rc = sync_local_flags(a->c->st, id, set, clear, err);
	}
	store_msg_free(&m);
	return rc;
}

static int
act_move(struct act *a, int64_t id, int64_t target, bool copy,
    struct err *err)
{
	struct store_msg	*m;
	int			 rc = 0;

	if (cmd_get_message(a->c, id, &m, err) == -1)
		return -1;
	if (target != m->folder_id || copy) {
		a->changed++;
		rc = copy ? sync_local_copy(a->c->st, id, target, NULL, err) :
		    sync_local_move(a->c->st, id, target, err);
	}
	store_msg_free(&m);
	return rc;
}

/* The trash of the message's account: role, config name, or for a
 * local or POP3 account a local folder made on demand.  0: none. */
static int
find_trash(struct act *a, const struct store_folder *f, bool imap,
    int64_t *trash_r, struct err *err)
{
	const struct config_account	*ca;
	struct store_account		*acc;
	struct store_folder		*t;

	*trash_r = 0;
	if (store_folder_find_role(a->c->st, f->account_id, STORE_ROLE_TRASH,
	    &t, err) == 0) {
		*trash_r = t->id;
		store_folder_free(&t);
		return 0;
	}
	if (err->code != ERR_NOTFOUND)
		return -1;
	err_clear(err);
	if (store_account_get(a->c->st, f->account_id, &acc, err) == -1)
		return -1;
	ca = config_account_find(&a->c->cfg, acc->name);
	store_account_free(&acc);
	if (ca != NULL && ca->trash_folder != NULL &&
	    store_folder_find(a->c->st, f->account_id, ca->trash_folder, &t,
	    NULL) == 0) {
		*trash_r = t->id;
		store_folder_free(&t);
		return 0;
	}
	if (imap)
		return 0;
	return store_folder_ensure(a->c->st, f->account_id, LOCAL_TRASH, '/',
	    STORE_ROLE_TRASH, trash_r, err);
}

static int
act_delete(struct act *a, int64_t id, bool expunge, struct err *err)
{
	struct store_msg	*m;
	struct store_folder	*f;
	int64_t			 trash = 0;
	bool			 imap;
	int			 rc = -1;

	if (load(a, id, &m, &f, &imap, err) == -1)
		return -1;
	if (!expunge && a->c->cfg.general.delete_mode == CONFIG_DELETE_TRASH &&
	    f->role != STORE_ROLE_TRASH &&
	    find_trash(a, f, imap, &trash, err) == -1)
		goto out;
	if (trash != 0 && trash != f->id) {
		rc = act_move(a, id, trash, false, err);
		a->trashed++;
		goto out;
	}
	a->changed++;
	a->deleted++;
	rc = sync_local_delete(a->c->st, id, err);
out:
	store_msg_free(&m);
	store_folder_free(&f);
	return rc;
}

/* ---- Flag words ------------------------------------------------------- */

static const struct {
	const char	*name;
	unsigned	 bit;
} flag_words[] = {
	{ "seen", STORE_FLAG_SEEN },
	{ "read", STORE_FLAG_SEEN },
	{ "answered", STORE_FLAG_ANSWERED },
	{ "replied", STORE_FLAG_ANSWERED },
	{ "flagged", STORE_FLAG_FLAGGED },
	{ "deleted", STORE_FLAG_DELETED },
	{ "draft", STORE_FLAG_DRAFT },
};

static int
flag_word(const char *w, unsigned *bit_r)
{
	size_t	i;

	if (*w == '\\')
		w++;
	for (i = 0; i < sizeof flag_words / sizeof flag_words[0]; i++) {
		if (strcasecmp(w, flag_words[i].name) == 0) {
			*bit_r = flag_words[i].bit;
			return 0;
		}
	}
	return -1;
}

/* ---- Running one action over the ids ---------------------------------- */

enum act_kind {
	ACT_FLAGS = 0,
	ACT_MOVE,
	ACT_COPY,
	ACT_DELETE,
};

struct act_args {
	enum act_kind	 kind;
	unsigned	 set, clear;
	const char	*folder;	/* move/copy target */
	const char	*account;
	bool		 expunge;
};

static int
target_folder(struct act *a, const struct act_args *aa, int64_t first,
    int64_t *target_r, struct err *err)
{
	struct store_msg		*m;
	const struct cmd_folder_name	*fn;
	int64_t				 aid;
	int				 rc;

	if (cmd_get_message(a->c, first, &m, err) == -1)
		return -1;
	fn = cmd_folder_name(a->c, m->folder_id);
	store_msg_free(&m);
	rc = cmd_resolve_folder(a->c, aa->account != NULL ? aa->account :
	    fn->account, aa->folder, false, target_r, &aid, err);
	if (rc == -1 && err->code == ERR_NOTFOUND &&
	    fn->kind != STORE_ACCOUNT_IMAP && aa->account == NULL) {
		/* Local and POP3 folders exist only here: make it. */
		err_clear(err);
		if (cmd_resolve_account(a->c, fn->account, &aid, err) == -1)
			return -1;
		rc = store_folder_ensure(a->c->st, aid, aa->folder, '/',
		    STORE_ROLE_NONE, target_r, err);
	}
	return rc;
}

static int
run_actions(struct act *a, const struct act_args *aa, struct err *err)
{
	int64_t	target = 0;
	size_t	i, ops0 = 0, ops1 = 0;
	int	rc = 0;

	if (store_begin(a->c->st, err) == -1)
		return -1;
	if (store_op_count(a->c->st, 0, &ops0, err) == -1) {
		store_rollback(a->c->st);
		return -1;
	}
	if ((aa->kind == ACT_MOVE || aa->kind == ACT_COPY) &&
	    target_folder(a, aa, a->ids[0], &target, err) == -1) {
		store_rollback(a->c->st);
		return -1;
	}
	for (i = 0; i < a->nids && rc == 0; i++) {
		switch (aa->kind) {
		case ACT_FLAGS:
			rc = act_flags(a, a->ids[i], aa->set, aa->clear, err);
			break;
		case ACT_MOVE:
		case ACT_COPY:
			rc = act_move(a, a->ids[i], target,
			    aa->kind == ACT_COPY, err);
			break;
		case ACT_DELETE:
			rc = act_delete(a, a->ids[i], aa->expunge, err);
			break;
		}
	}
	if (rc == -1 || store_op_count(a->c->st, 0, &ops1, err) == -1 ||
	    store_commit(a->c->st, err) == -1) {
		store_rollback(a->c->st);
		return -1;
	}
	a->queued = ops1 > ops0 ? ops1 - ops0 : 0;
	return 0;
}

static void
report(struct act *a, const char *what)
{
	struct json	*j = a->c->j;
	size_t		 i;

	if (j == NULL) {
		printf(ngettext_("%s: %zu message changed",
		    "%s: %zu messages changed", a->changed), what, a->changed);
		if (a->trashed > 0)
			printf(_(", %zu moved to the trash"), a->trashed);
		if (a->queued > 0)
			printf(ngettext_(", %zu server change queued",
			    ", %zu server changes queued", a->queued),
			    a->queued);
		putchar('\n');
		return;
	}
	json_object_begin(j);
	json_kv_string(j, "command", what);
	json_key(j, "ids");
	json_array_begin(j);
	for (i = 0; i < a->nids; i++)
		json_int(j, a->ids[i]);
	json_array_end(j);
	json_kv_int(j, "changed", (int64_t)a->changed);
	json_kv_int(j, "trashed", (int64_t)a->trashed);
	json_kv_int(j, "deleted", (int64_t)a->deleted);
	json_kv_int(j, "queued", (int64_t)a->queued);
	json_object_end(j);
}

static int
run(struct cli *cli, const char *what, int64_t *ids, size_t nids,
    const struct act_args *aa)
{
	struct cmd	c;
	struct act	a;
	struct err	err;
	int		rc;

	if ((rc = cmd_open(&c, cli, CMD_CONFIG | CMD_STORE_WRITE)) != 0) {
		free(ids);
		return rc;
	}
	memset(&a, 0, sizeof a);
	a.c = &c;
	a.ids = ids;
	a.nids = nids;
	err_clear(&err);
	if (run_actions(&a, aa, &err) == -1)
		rc = cmd_fail(&c, err.code == ERR_USAGE ? EXIT_USAGE :
		    EXIT_ERROR, &err);
	else
		report(&a, what);
	free(ids);
	cmd_close(&c);
	return rc;
}

static int
add_id(struct cli *cli, const char *s, int64_t **ids, size_t *n)
{
	int64_t	id;

	if (cmd_parse_id(s, &id) == -1)
		return cmd_usage(cli, _("'%s' is not a message id"), s);
	*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
	(*ids)[(*n)++] = id;
	return EXIT_OK;
}

/*
 * surat flag ID... [+seen -flagged ...]: words with + or - are flags, the
 * rest ids; with no flag word, flag sets \Flagged and unflag clears it.
 * getopt is not used: "-flagged" is a flag, not an option.
 */
static int
flag_cmd(struct cli *cli, int argc, char **argv, bool on)
{
	struct act_args	 aa;
	int64_t		*ids = NULL;
	size_t		 n = 0;
	unsigned	 bit;
	int		 i, rc;

	memset(&aa, 0, sizeof aa);
	aa.kind = ACT_FLAGS;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			cli->json = 1;
			continue;
		}
		if (argv[i][0] == '+' || argv[i][0] == '-') {
			if (flag_word(argv[i] + 1, &bit) == -1) {
				free(ids);
				return cmd_usage(cli, _("flag: unknown flag "
				    "'%s' (seen, answered, flagged, deleted, "
				    "draft)"), argv[i]);
			}
			if (argv[i][0] == '+') {
				aa.set |= bit;
				aa.clear &= ~bit;
			} else {
				aa.clear |= bit;
				aa.set &= ~bit;
			}
			continue;
		}
		if ((rc = add_id(cli, argv[i], &ids, &n)) != EXIT_OK) {
			free(ids);
			return rc;
		}
	}
	if (n == 0) {
		free(ids);
		return cmd_usage(cli, _("usage: surat %s ID... "
		    "[+FLAG|-FLAG...]"), argv[0]);
	}
	if (aa.set == 0 && aa.clear == 0) {
		if (on)
			aa.set = STORE_FLAG_FLAGGED;
		else
			aa.clear = STORE_FLAG_FLAGGED;
	}
	return run(cli, argv[0], ids, n, &aa);
}

int
cmd_flag(struct cli *cli, int argc, char **argv)
{
	return flag_cmd(cli, argc, argv, true);
}

/* surat unflag ID...: the flag words, if any, mean the same as for flag. */
int
cmd_unflag(struct cli *cli, int argc, char **argv)
{
	return flag_cmd(cli, argc, argv, false);
}

/* surat read ID... / surat unread ID... */
static int
seen(struct cli *cli, int argc, char **argv, bool on)
{
	struct act_args	 aa;
	int64_t		*ids = NULL;
	size_t		 n = 0;
	int		 i, rc;

	memset(&aa, 0, sizeof aa);
	aa.kind = ACT_FLAGS;
	if (on)
		aa.set = STORE_FLAG_SEEN;
	else
		aa.clear = STORE_FLAG_SEEN;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			cli->json = 1;
		else if ((rc = add_id(cli, argv[i], &ids, &n)) != EXIT_OK) {
			free(ids);
			return rc;
		}
	}
	if (n == 0)
		return cmd_usage(cli, _("usage: surat %s ID..."), argv[0]);
	return run(cli, argv[0], ids, n, &aa);
}

int
cmd_read(struct cli *cli, int argc, char **argv)
{
	return seen(cli, argc, argv, true);
}

int
cmd_unread(struct cli *cli, int argc, char **argv)
{
	return seen(cli, argc, argv, false);
}

/* surat move|copy [--account A] ID... FOLDER, surat delete ID... */
static int
ids_and_folder(struct cli *cli, int argc, char **argv, enum act_kind kind)
{
	static const struct option	 longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "expunge", no_argument, NULL, 'x' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct act_args			 aa;
	int64_t				*ids = NULL;
	size_t				 n = 0;
	int				 ch, i, last, rc;

	memset(&aa, 0, sizeof aa);
	aa.kind = kind;
	cmd_getopt_reset();
	while ((ch = getopt_long(argc, argv, "a:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': aa.account = optarg; break;
		case 'x': aa.expunge = true; break;
		case 'j': cli->json = 1; break;
		default:
			goto usage;
		}
	}
	if (kind == ACT_DELETE && aa.account != NULL)
		goto usage;
	last = kind == ACT_DELETE ? argc : argc - 1;
	if (optind >= last || (kind != ACT_DELETE && aa.expunge))
		goto usage;
	if (kind != ACT_DELETE)
		aa.folder = argv[last];
	for (i = optind; i < last; i++) {
		if ((rc = add_id(cli, argv[i], &ids, &n)) != EXIT_OK) {
			free(ids);
			return rc;
		}
	}
	return run(cli, argv[0], ids, n, &aa);
usage:
	free(ids);
	if (kind == ACT_DELETE)
		return cmd_usage(cli, "%s", _("usage: surat delete "
		    "[--expunge] ID..."));
	return cmd_usage(cli, _("usage: surat %s [--account A] ID... "
	    "FOLDER"), argv[0]);
}

int
cmd_move(struct cli *cli, int argc, char **argv)
{
	return ids_and_folder(cli, argc, argv, ACT_MOVE);
}

int
cmd_copy(struct cli *cli, int argc, char **argv)
{
	return ids_and_folder(cli, argc, argv, ACT_COPY);
}

int
cmd_delete(struct cli *cli, int argc, char **argv)
{
	return ids_and_folder(cli, argc, argv, ACT_DELETE);
}
