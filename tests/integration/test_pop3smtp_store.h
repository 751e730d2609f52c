/*
 * Shared by the delivery engines' integration tests: a store in a fresh
 * temporary directory and accounts pointing at the harness's servers.
 * Header-only, static functions; include after test_pop3smtp_util.h.
 */
#ifndef SURAT_TEST_POP3SMTP_STORE_H
#define SURAT_TEST_POP3SMTP_STORE_H

#include <unistd.h>

#include "config/config.h"
#include "store/store.h"
#include "sync/delivery.h"
#include "util/xmalloc.h"

static __attribute__((unused)) char *
ds_tempdir(void)
{
	char	*d = xstrdup("/tmp/surat-deliv-XXXXXX");

	if (mkdtemp(d) == NULL)
		fail_msg("mkdtemp failed");
	return d;
}

static __attribute__((unused)) struct store *
ds_open(const char *dir)
{
	struct store	*s;
	struct err	 e;

	if (store_open(dir, STORE_OPEN_NOCHECK, "test", &s, &e) == -1)
		fail_msg("store_open: %s", e.msg);
	return s;
}

static __attribute__((unused)) void
ds_rmdir(char **dirp)
{
	it_sh("rm -rf '%s'", *dirp);
	xfree(dirp);
}

/* A POP3 account (user budi) with the harness's POP3S and submission. */
static __attribute__((unused)) void
ds_account(struct config_account *a, const char *id,
    enum config_protocol in, enum config_pop3_policy policy)
{
	config_account_init(a);
	a->id = xstrdup(id);
	a->email = xstrdup(it.addr);
	a->user = xstrdup(it.user);
	a->smtp_user = xstrdup(it.user);
	a->ca_file = xstrdup(it.ca);
	a->timeout = 20;
	a->incoming.protocol = in;
	a->incoming.security = NET_SECURITY_TLS;
	a->incoming.host = xstrdup(it.host);
	a->incoming.port = in == CONFIG_PROTO_POP3 ? it.pop3s : 1;
	a->outgoing.protocol = CONFIG_PROTO_SMTP;
	a->outgoing.security = NET_SECURITY_STARTTLS;
	a->outgoing.host = xstrdup(it.host);
	a->outgoing.port = it.submission;
	a->pop3_policy = policy;
}

/* The account's folder with that role, or 0. */
static __attribute__((unused)) int64_t
ds_folder(struct store *s, const char *account, enum store_role role)
{
	struct store_account	*acc;
	struct store_folder	*f;
	struct err		 e;
	int64_t			 id;

	if (store_account_find(s, account, &acc, &e) == -1)
		return 0;
	if (store_folder_find_role(s, acc->id, role, &f, &e) == -1) {
		store_account_free(&acc);
		return 0;
	}
	id = f->id;
	store_folder_free(&f);
	store_account_free(&acc);
	return id;
}

static __attribute__((unused)) size_t
ds_count(struct store *s, int64_t folder)
{
	struct err	e;
	size_t		n;

	if (folder == 0)
		return 0;
	assert_int_equal(store_index_count(s, folder, &n, &e), 0);
	return n;
}

#endif
