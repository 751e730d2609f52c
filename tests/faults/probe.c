/*
 * Runs one protocol client operation against a server (for fault tests:
 * fakeserver) and prints the outcome in a form run.sh can match:
 *   ok                       then what the operation returned
 *   error ERR_CODE: message  control bytes shown as \xHH
 *   rss-growth-kb N          how much the operation grew the process
 *
 * Usage: probe imap|pop3|smtp --port N|--portfile F [--host H]
 *            [--security tls|starttls|plain] [--user U] [--pass P]
 *            [--auth auto|user|plain|login] [--ca FILE] [--pin FP]
 *            [--timeout-ms N] [--op OP] [--arg N] [--cap NAME]
 * imap ops: connect login list select fetch part (of UID --arg)
 * pop3 ops: connect login stat uidl list retr top dele
 * smtp ops: connect auth send
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "imap/imap.h"
#include "net/net.h"
#include "pop3/pop3.h"
#include "smtp/smtp.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/str.h"

struct probe {
	const char		*proto;
	const char		*op;
	const char		*user, *pass, *auth;
	const char		*portfile;
	const char		*cap;
	uint32_t		 arg;
	enum net_security	 sec;
	struct net_endpoint	 ep;
	struct net_cert_info	 cert;
};

/* Printable ASCII as is; anything else as \xHH, so a test sees it. */
static void
put_escaped(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static long
max_rss_kb(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int
report(int rv, const struct err *e)
{
	if (rv == 0) {
		printf("ok\n");
		return 0;
	}
	printf("error %s: ", err_code_name(e->code));
	put_escaped(e->msg, strlen(e->msg));
	putchar('\n');
	return 1;
}

static int
count_sink(void *arg, const char *s, size_t len, struct err *e)
{
	size_t	*total = arg;

	(void)s;
	(void)e;
	*total += len;
	return 0;
}

static enum pop3_auth
pop3_auth_of(const char *s)
{
	if (s == NULL || strcmp(s, "auto") == 0)
		return POP3_AUTH_AUTO;
	if (strcmp(s, "user") == 0)
		return POP3_AUTH_USER;
	if (strcmp(s, "apop") == 0)
		return POP3_AUTH_APOP;
	return POP3_AUTH_PLAIN;
}

static int
run_pop3(struct probe *p, struct err *e)
{
	struct pop3_conn	*c;
	struct pop3_uidl	*u = NULL;
	struct pop3_list	*l = NULL;
	size_t			 n, i, total = 0;
	uint32_t		 count;
	uint64_t		 size;
	int			 rv = 0;

	if ((c = pop3_connect(&p->ep, p->sec, e)) == NULL)
		return -1;
	printf("tls %s\n", pop3_is_tls(c) ? "yes" : "no");
	if (strcmp(p->op, "connect") == 0)
		goto out;
	if (pop3_login(c, pop3_auth_of(p->auth), p->user, p->pass, e) == -1) {
		rv = -1;
		goto out;
	}
	if (strcmp(p->op, "login") == 0)
		;
	else if (strcmp(p->op, "stat") == 0) {
		if ((rv = pop3_stat(c, &count, &size, e)) == 0)
			printf("stat %u %llu\n", count,
			    (unsigned long long)size);
	} else if (strcmp(p->op, "uidl") == 0) {
		if ((rv = pop3_uidl(c, &u, &n, e)) == 0) {
			for (i = 0; i < n; i++) {
				printf("uid %u ", u[i].num);
				put_escaped(u[i].uid, strlen(u[i].uid));
				putchar('\n');
			}
			pop3_uidl_free(&u, n);
		}
	} else if (strcmp(p->op, "list") == 0) {
		if ((rv = pop3_list(c, &l, &n, e)) == 0) {
			for (i = 0; i < n; i++)
				printf("size %u %llu\n", l[i].num,
				    (unsigned long long)l[i].size);
			free(l);
		}
	} else if (strcmp(p->op, "retr") == 0 || strcmp(p->op, "top") == 0) {
		if (strcmp(p->op, "retr") == 0)
			rv = pop3_retr(c, p->arg, count_sink, &total, e);
		else
			rv = pop3_top(c, p->arg, 0, count_sink, &total, e);
		printf("bytes %zu\n", total);
	} else if (strcmp(p->op, "dele") == 0) {
		if ((rv = pop3_dele(c, p->arg, e)) == 0)
			rv = pop3_quit(c, e);
	} else {
		err_set(e, ERR_USAGE, "unknown pop3 op %s", p->op);
		rv = -1;
	}
out:
	pop3_close(&c);
	return rv;
}

static enum smtp_auth
smtp_auth_of(const char *s)
{
	if (s == NULL || strcmp(s, "auto") == 0)
		return SMTP_AUTH_AUTO;
	if (strcmp(s, "login") == 0)
		return SMTP_AUTH_LOGIN;
	return SMTP_AUTH_PLAIN;
}

static int
run_smtp(struct probe *p, struct err *e)
{
	static const char	 msg[] = "From: a@example.org\r\n"
	    "Subject: probe\r\n\r\n.dot line\r\nbody\r\n";
	const char		*rcpts[] = { "b@example.org" };
	struct smtp_envelope	 env = { "a@example.org", rcpts, 1 };
	struct smtp_result	 res;
	struct smtp_conn	*c;
	int			 rv = 0;

	if ((c = smtp_connect(&p->ep, p->sec, "probe.example.org", e)) ==
	    NULL)
		return -1;
	printf("tls %s\n", smtp_is_tls(c) ? "yes" : "no");
	if (strcmp(p->op, "connect") == 0)
		goto out;
	if (smtp_auth(c, smtp_auth_of(p->auth), p->user, p->pass, e) == -1) {
		rv = -1;
		goto out;
	}
	if (strcmp(p->op, "send") == 0) {
		memset(&res, 0, sizeof res);
		rv = smtp_send(c, &env, msg, sizeof msg - 1, NULL, NULL,
		    &res, e);
		printf("unknown %s\n", res.unknown ? "yes" : "no");
	} else if (strcmp(p->op, "auth") != 0) {
		err_set(e, ERR_USAGE, "unknown smtp op %s", p->op);
		rv = -1;
	}
out:
	smtp_close(&c);
	return rv;
}

/* Untagged news the client passed on: which, never their raw text. */
static void
imap_event(void *arg, const struct imap_response *r)
{
	(void)arg;
	printf("event %s %u\n", r->name != NULL ? r->name : "status",
	    r->number);
}

static int
imap_on_fetch(void *arg, const struct imap_fetch *f, struct err *e)
{
	(void)arg;
	(void)e;
	printf("fetch uid %u size %llu\n", f->uid,
	    (unsigned long long)f->size);
	return 0;
}

static void
imap_print_alerts(struct imap_conn *c)
{
	char	**v;
	size_t	  i, n;

	v = imap_take_alerts(c, &n);
	for (i = 0; i < n; i++) {
		printf("alert ");
		put_escaped(v[i], strlen(v[i]));
		putchar('\n');
		free(v[i]);
	}
	free(v);
}

static int
imap_op(struct probe *p, struct imap_conn *c, struct err *e)
{
	const struct imap_mailbox	*mb;
	struct imap_folder		*f = NULL;
	struct imap_fetch_req		 req;
	struct buf			 out = BUF_INIT;
	size_t				 n, i;
	int				 rv;

	if (strcmp(p->op, "list") == 0) {
		if (imap_list_folders(c, "*", 0, &f, &n, e) == -1)
			return -1;
		for (i = 0; i < n; i++) {
			printf("folder ");
			put_escaped(f[i].name, strlen(f[i].name));
			printf(" utf8 ");
			put_escaped(f[i].utf8, strlen(f[i].utf8));
			putchar('\n');
		}
		imap_folders_free(&f, n);
		return 0;
	}
	if (imap_select(c, "INBOX", false, NULL, e) == -1)
		return -1;
	mb = imap_mailbox(c);
	printf("selected exists %u uidvalidity %u uidnext %u\n", mb->exists,
	    mb->uidvalidity, mb->uidnext);
	if (strcmp(p->op, "select") == 0)
		return 0;
	if (strcmp(p->op, "fetch") == 0) {
		memset(&req, 0, sizeof req);
		req.uids = "1:*";
		req.items = "UID FLAGS RFC822.SIZE";
		req.on_fetch = imap_on_fetch;
		return imap_uid_fetch(c, &req, e);
	}
	if (strcmp(p->op, "part") == 0) {
		rv = imap_fetch_part(c, p->arg, "", 1024 * 1024, &out, e);
		printf("bytes %zu\n", out.len);
		buf_free(&out);
		return rv;
	}
	err_set(e, ERR_USAGE, "unknown imap op %s", p->op);
	return -1;
}

static int
run_imap(struct probe *p, struct err *e)
{
	struct imap_params	 ip;
	struct imap_auth	 a;
	struct imap_conn	*c;
	int			 rv = 0;

	memset(&ip, 0, sizeof ip);
	ip.ep = p->ep;
	ip.security = p->sec;
	if ((c = imap_connect(&ip, e)) == NULL)
		return -1;
	imap_set_event_cb(c, imap_event, NULL);
	if (p->cap != NULL)
		printf("cap %s %s\n", p->cap, imap_has_cap(c, p->cap) ?
		    "yes" : "no");
	if (strcmp(p->op, "connect") == 0)
		goto out;
	memset(&a, 0, sizeof a);
	a.user = p->user;
	a.secret = p->pass;
	a.method = p->auth != NULL && strcmp(p->auth, "login") == 0 ?
	    IMAP_AUTH_LOGIN : IMAP_AUTH_AUTO;
	if ((rv = imap_login(c, &a, e)) == 0 && strcmp(p->op, "login") != 0)
		rv = imap_op(p, c, e);
out:
	imap_print_alerts(c);
	imap_close(&c);
	return rv;
}

/* fakeserver writes its port once it listens; wait for that. */
static uint16_t
port_from_file(const char *path)
{
	struct timespec	 ts = { 0, 20 * 1000 * 1000 };
	FILE		*fp;
	int		 i, port;

	for (i = 0; i < 500; i++) {
		if ((fp = fopen(path, "r")) != NULL) {
			if (fscanf(fp, "%d", &port) == 1 && port > 0 &&
			    port < 65536) {
				fclose(fp);
				return (uint16_t)port;
			}
			fclose(fp);
		}
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "probe: no port in %s\n", path);
	exit(2);
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: probe pop3|smtp --port N [--host H] "
	    "[--security tls|starttls|plain] [--user U] [--pass P] "
	    "[--auth A] [--ca FILE] [--pin FP] [--timeout-ms N] --op OP "
	    "[--arg N]\n");
	exit(2);
}

static void
parse_args(struct probe *p, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'h' },
		{ "port", required_argument, NULL, 'P' },
		{ "portfile", required_argument, NULL, 'F' },
		{ "security", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "pass", required_argument, NULL, 'w' },
		{ "auth", required_argument, NULL, 'a' },
		{ "ca", required_argument, NULL, 'c' },
		{ "pin", required_argument, NULL, 'p' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "op", required_argument, NULL, 'o' },
		{ "arg", required_argument, NULL, 'n' },
		{ "cap", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	if (argc < 2)
		usage();
	p->proto = argv[1];
	p->op = "connect";
	p->user = "user";
	p->pass = "secret-pass";
	p->arg = 1;
	p->sec = NET_SECURITY_TLS;
	p->ep.host = "localhost";
	p->ep.timeout_ms = 5000;
	p->ep.no_system_trust = true;
	p->ep.log_name = p->proto;
	p->ep.cert_r = &p->cert;
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'h': p->ep.host = optarg; break;
		case 'P': p->ep.port = (uint16_t)atoi(optarg); break;
		case 'F': p->portfile = optarg; break;
		case 'u': p->user = optarg; break;
		case 'w': p->pass = optarg; break;
		case 'a': p->auth = optarg; break;
		case 'c': p->ep.ca_file = optarg; break;
		case 'p': p->ep.pin = optarg; break;
		case 't': p->ep.timeout_ms = atoi(optarg); break;
		case 'o': p->op = optarg; break;
		case 'n': p->arg = (uint32_t)atoi(optarg); break;
		case 'C': p->cap = optarg; break;
		case 's':
			if (strcmp(optarg, "tls") == 0)
				p->sec = NET_SECURITY_TLS;
			else if (strcmp(optarg, "starttls") == 0)
				p->sec = NET_SECURITY_STARTTLS;
			else if (strcmp(optarg, "plain") == 0)
				p->sec = NET_SECURITY_PLAIN;
			else
				usage();
			break;
		default:
			usage();
		}
	}
	if (p->portfile != NULL)
		p->ep.port = port_from_file(p->portfile);
	if (p->ep.port == 0)
		usage();
}

int
main(int argc, char **argv)
{
	struct probe	p;
	struct err	e;
	long		rss0;
	int		rv;

	memset(&p, 0, sizeof p);
	parse_args(&p, argc, argv);
	err_clear(&e);
	rss0 = max_rss_kb();
	if (strcmp(p.proto, "imap") == 0)
		rv = run_imap(&p, &e);
	else if (strcmp(p.proto, "pop3") == 0)
		rv = run_pop3(&p, &e);
	else if (strcmp(p.proto, "smtp") == 0)
		rv = run_smtp(&p, &e);
	else
		usage();
	rv = report(rv, &e);
	if (p.cert.valid)
		printf("cert %s\n", p.cert.fingerprint);
	printf("rss-growth-kb %ld\n", max_rss_kb() - rss0);
	return rv;
}
