/*
 * Helpers the store's unit tests share: a private temporary data
 * directory per test, and short ways to make accounts, folders and
 * messages.
 */
#ifndef SURAT_TESTSTORE_H
#define SURAT_TESTSTORE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct tfix {
	char		*dir;	/* the temporary directory */
	char		*data;	/* dir/data: the store's data directory */
	struct store	*s;
};

/* rm -r, for the test's own temporary tree only. */
static inline void
t_rmtree(const char *path)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	char		*p;

	if (lstat(path, &sb) == -1)
		return;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			p = xasprintf("%s/%s", path, de->d_name);
			t_rmtree(p);
			free(p);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static inline struct tfix *
t_fix_new(bool open_it)
{
	struct tfix	*f = xcalloc(1, sizeof *f);
	const char	*tmp = getenv("TMPDIR");
	struct err	 err;

	f->dir = xasprintf("%s/surat-store-XXXXXX", tmp != NULL && *tmp !=
	    '\0' ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		abort();
	f->data = xasprintf("%s/data", f->dir);
	if (open_it) {
		err_clear(&err);
		if (store_open(f->data, 0, "surat-test", &f->s, &err) == -1) {
			fprintf(stderr, "store_open: %s\n", err.msg);
			abort();
		}
	}
	return f;
}

static inline int
t_setup(void **state)
{
	*state = t_fix_new(true);
	return 0;
}

static inline int
t_setup_closed(void **state)
{
	*state = t_fix_new(false);
	return 0;
}

static inline int
t_teardown(void **state)
{
	struct tfix	*f = *state;

	store_close(&f->s);
	t_rmtree(f->dir);
	free(f->dir);
	free(f->data);
	free(f);
	return 0;
}

/* Fail the test with the error's message when rc is -1. */
#define T_OK(expr, errp) do {						\
	if ((expr) == -1)						\
		fail_msg("%s: %s", #expr, (errp)->msg);			\
} while (0)

/* Expect failure with a given code. */
#define T_FAILS(expr, errp, ecode) do {					\
	err_clear(errp);						\
	if ((expr) != -1)						\
		fail_msg("%s: succeeded", #expr);			\
	if ((errp)->code != (ecode))					\
		fail_msg("%s: code %s (%s), wanted %s", #expr,		\
		    err_code_name((errp)->code), (errp)->msg,		\
		    err_code_name(ecode));				\
} while (0)

static inline int64_t
t_account(struct store *s, const char *name, enum store_account_kind kind)
{
	struct err	err;
	int64_t		id;

	err_clear(&err);
	T_OK(store_account_ensure(s, name, kind, &id, &err), &err);
	return id;
}

static inline int64_t
t_folder(struct store *s, int64_t account, const char *name,
    enum store_role role)
{
	struct err	err;
	int64_t		id;

	err_clear(&err);
	T_OK(store_folder_ensure(s, account, name, '/', role, &id, &err),
	    &err);
	return id;
}

/* A message with the fields threading and sorting look at. */
static inline int64_t
t_msg(struct store *s, int64_t folder, uint32_t uid, const char *msgid,
    const char *irt, const char *refs, int64_t date, const char *from,
    const char *subject, unsigned flags)
{
	struct store_msg	m;
	struct err		err;
	int64_t			id;

	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.uid = uid;
	m.message_id = (char *)msgid;
	m.in_reply_to = (char *)irt;
	m.references = (char *)refs;
	m.date = date;
	m.from_name = (char *)from;
	m.from_addr = (char *)"someone@example.com";
	m.to = (char *)"Budi <budi@example.com>";
	m.subject = (char *)subject;
	m.flags = flags;
	m.size = 1000 + uid;
	err_clear(&err);
	T_OK(store_message_insert(s, &m, &id, &err), &err);
	return id;
}

static inline int64_t
t_folder_total(struct store *s, int64_t folder, int64_t *unread_r)
{
	struct store_folder	*f;
	struct err		 err;
	int64_t			 total;

	err_clear(&err);
	T_OK(store_folder_get(s, folder, &f, &err), &err);
	total = f->total;
	if (unread_r != NULL)
		*unread_r = f->unread;
	store_folder_free(&f);
	return total;
}

#endif
