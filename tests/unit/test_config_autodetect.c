/* Unit tests of the wizard's SRV handling: DNS answers built by hand. */
#include <config.h>

#include "testutil.h"

#include <string.h>

#include "config/config.h"

struct packet {
	unsigned char	b[1024];
	size_t		len;
};

static void
put16(struct packet *p, unsigned v)
{
	p->b[p->len++] = (unsigned char)(v >> 8);
	p->b[p->len++] = (unsigned char)v;
}

static void
put_name(struct packet *p, const char *name)
{
	while (*name != '\0') {
		const char	*dot = strchr(name, '.');
		size_t		 n = dot ? (size_t)(dot - name) : strlen(name);

		p->b[p->len++] = (unsigned char)n;
		memcpy(p->b + p->len, name, n);
		p->len += n;
		name += n + (dot ? 1 : 0);
	}
	p->b[p->len++] = 0;
}

static void
start_answer(struct packet *p, const char *qname, unsigned ancount)
{
	memset(p, 0, sizeof *p);
	put16(p, 0x1234);	/* id */
	put16(p, 0x8180);	/* response, recursion available */
	put16(p, 1);
	put16(p, ancount);
	put16(p, 0);
	put16(p, 0);
	put_name(p, qname);
	put16(p, 33);		/* SRV */
	put16(p, 1);		/* IN */
}

static void
add_srv(struct packet *p, unsigned prio, unsigned weight, unsigned port,
    const char *target)
{
	size_t	rdlen_at;

	put16(p, 0xc00c);	/* the question's name, compressed */
	put16(p, 33);
	put16(p, 1);
	put16(p, 0);
	put16(p, 300);		/* TTL */
	rdlen_at = p->len;
	put16(p, 0);
	put16(p, prio);
	put16(p, weight);
	put16(p, port);
	put_name(p, target);
	p->b[rdlen_at] = (unsigned char)((p->len - rdlen_at - 2) >> 8);
	p->b[rdlen_at + 1] = (unsigned char)(p->len - rdlen_at - 2);
}

static void
test_srv_parse_and_order(void **state)
{
	struct packet		 p;
	struct config_srv	*list = NULL;
	size_t			 n;
	bool			 absent = false;

	(void)state;
	start_answer(&p, "_imaps._tcp.example.test", 3);
	add_srv(&p, 20, 0, 993, "backup.example.test");
	add_srv(&p, 10, 5, 993, "light.example.test");
	add_srv(&p, 10, 60, 1993, "heavy.example.test");
	n = config_srv_parse(p.b, p.len, &list, 0, &absent);
	assert_int_equal(n, 3);
	assert_false(absent);
	config_srv_sort(list, n);
	assert_string_equal(list[0].host, "heavy.example.test");
	assert_int_equal(list[0].port, 1993);
	assert_int_equal(list[0].weight, 60);
	assert_string_equal(list[1].host, "light.example.test");
	assert_string_equal(list[2].host, "backup.example.test");
	assert_int_equal(list[2].priority, 20);
	config_srv_free(&list, n);
	assert_null(list);
}

static void
test_srv_not_offered(void **state)
{
	struct packet		 p;
	struct config_srv	*list = NULL;
	size_t			 n;
	bool			 absent = false;

	(void)state;
	/* RFC 6186: target "." says the service is not offered at all. */
	start_answer(&p, "_pop3._tcp.example.test", 1);
	add_srv(&p, 0, 0, 0, "");
	n = config_srv_parse(p.b, p.len, &list, 0, &absent);
	assert_int_equal(n, 0);
	assert_true(absent);
	assert_null(list);
}

static void
test_srv_garbage(void **state)
{
	struct packet		 p;
	struct config_srv	*list = NULL;
	size_t			 n, cut;
	bool			 absent = false;

	(void)state;
	start_answer(&p, "_imaps._tcp.example.test", 2);
	add_srv(&p, 1, 1, 993, "a.example.test");
	add_srv(&p, 2, 1, 993, "b.example.test");
	/* Every truncation parses without reading past the end. */
	for (cut = 0; cut < p.len; cut++) {
		n = config_srv_parse(p.b, cut, &list, 0, &absent);
		assert_true(n <= 2);
		config_srv_free(&list, n);
	}
	/* A compression pointer that points at itself. */
	start_answer(&p, "x.test", 1);
	put16(&p, 0xc000 | (unsigned)p.len);
	put16(&p, 33);
	n = config_srv_parse(p.b, p.len, &list, 0, &absent);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_srv_parse_and_order),
		cmocka_unit_test(test_srv_not_offered),
		cmocka_unit_test(test_srv_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
