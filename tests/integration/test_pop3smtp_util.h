/*
 * Shared by the POP3 and SMTP integration tests: the harness's settings
 * (tests/integration/servers.sh writes them to the environment), endpoints
 * and seeding mail with doveadm.  Header-only, static functions.
 */
#ifndef SURAT_TEST_POP3SMTP_UTIL_H
#define SURAT_TEST_POP3SMTP_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "net/net.h"
#include "util/buf.h"
#include "util/err.h"

struct it_env {
	const char	*host;
	const char	*ca;
	const char	*other_ca;
	const char	*user, *pass, *addr;
	const char	*user2, *pass2, *addr2;
	const char	*doveadm;
	const char	*servers;
	const char	*rundir;
	uint16_t	 pop3, pop3s, submission, smtps, notls;
};

static struct it_env	it;

static const char *
it_getenv(const char *name)
{
	const char	*v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "%s is not set: run under with-servers.sh\n",
		    name);
		exit(77);
	}
	return v;
}

static uint16_t
it_port(const char *name)
{
	return (uint16_t)atoi(it_getenv(name));
}

/* Exits 77 (skip) unless the harness is up. */
static void
it_load(void)
{
	it.host = it_getenv("SURAT_TEST_HOST");
	it.ca = it_getenv("SURAT_TEST_CA");
	it.other_ca = it_getenv("SURAT_TEST_OTHER_CA");
	it.user = it_getenv("SURAT_TEST_USER");
	it.pass = it_getenv("SURAT_TEST_PASS");
	it.addr = it_getenv("SURAT_TEST_ADDR");
	it.user2 = it_getenv("SURAT_TEST_USER2");
	it.pass2 = it_getenv("SURAT_TEST_PASS2");
	it.addr2 = it_getenv("SURAT_TEST_ADDR2");
	it.doveadm = it_getenv("SURAT_TEST_DOVEADM");
	it.servers = it_getenv("SURAT_TEST_SERVERS");
	it.rundir = it_getenv("SURAT_TEST_RUNDIR");
	it.pop3 = it_port("SURAT_TEST_POP3_PORT");
	it.pop3s = it_port("SURAT_TEST_POP3S_PORT");
	it.submission = it_port("SURAT_TEST_SUBMISSION_PORT");
	it.smtps = it_port("SURAT_TEST_SMTPS_PORT");
	it.notls = it_port("SURAT_TEST_SMTP_NOTLS_PORT");
}

static __attribute__((unused)) struct net_endpoint
it_endpoint(uint16_t port)
{
	struct net_endpoint	ep;

	memset(&ep, 0, sizeof ep);
	ep.host = it.host;
	ep.port = port;
	ep.timeout_ms = 20000;
	ep.ca_file = it.ca;
	ep.no_system_trust = true;
	return ep;
}

static int
it_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));

/* Run a shell command; returns its exit status. */
static int
it_sh(const char *fmt, ...)
{
	struct buf	cmd = BUF_INIT;
	va_list		ap;
	int		rc;

	va_start(ap, fmt);
	buf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(buf_cstr(&cmd));
	buf_free(&cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Empty a user's INBOX. */
static __attribute__((unused)) void
it_clear(const char *user)
{
	it_sh("%s expunge -u %s mailbox INBOX all", it.doveadm, user);
}

/* Store one message in the user's INBOX as it is. */
static __attribute__((unused)) int
it_seed(const char *user, const char *msg, size_t len)
{
	struct buf	 cmd = BUF_INIT;
	FILE		*f;
	int		 rc;

	buf_addf(&cmd, "%s save -u %s", it.doveadm, user);
	f = popen(buf_cstr(&cmd), "w");
	buf_free(&cmd);
	if (f == NULL)
		return -1;
	fwrite(msg, 1, len, f);
	rc = pclose(f);
	return WIFEXITED(rc) && WEXITSTATUS(rc) == 0 ? 0 : -1;
}

/* servers.sh stop-smtp / start-smtp and friends. */
static __attribute__((unused)) int
it_servers(const char *what)
{
	return it_sh("bash %s %s %s >/dev/null 2>&1", it.servers, what,
	    it.rundir);
}

#endif
