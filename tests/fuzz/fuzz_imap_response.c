/*
 * libFuzzer target: the IMAP response parser fed in pieces whose size the
 * input's first byte chooses, under small caps, and every typed reading
 * (codes, FETCH, LIST, STATUS, SEARCH, VANISHED, QUOTA, modified UTF-7)
 * run over each response it completes.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "imap/imap.h"
#include "util/buf.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
read_all(const struct imap_response *r)
{
	struct imap_code	 code;
	struct imap_fetch	 f;
	struct imap_list	 l;
	struct imap_status	 st;
	struct imap_quota	 q;
	struct imap_seqset	 set = { 0 };
	struct buf		 b = BUF_INIT;
	struct err		 e;
	bool			 earlier;
	size_t			 i;

	if (imap_code_parse(r, &code, &e) == 0)
		imap_code_clear(&code);
	if (r->name == NULL)
		return;
	if (imap_fetch_parse(r, &f, &e) == 0) {
		for (i = 0; i < f.nsections; i++)
			(void)imap_body_part(f.body, f.sections[i].section);
		(void)imap_body_part(f.body, "1.2.1");
		imap_fetch_clear(&f);
	}
	if (imap_list_parse(r, &l, &e) == 0)
		(void)imap_mutf7_decode(l.name, &b, &e);
	(void)imap_status_parse(r, &st, &e);
	(void)imap_search_parse(r, &set, &e);
	(void)imap_vanished_parse(r, &set, &earlier, &e);
	imap_seqset_normalize(&set);
	(void)imap_seqset_count(&set);
	if (imap_quota_parse(r, &q, &e) == 0)
		imap_quota_clear(&q);
	imap_seqset_clear(&set);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_parser	*p;
	struct imap_response	*r;
	struct err		 e;
	size_t			 off, n, used, step;
	enum imap_parse_result	 res = IMAP_PARSE_MORE;

	if (size < 1)
		return 0;
	step = (size_t)(data[0] & 0x7f) + 1;
	data++;
	size--;
	p = imap_parser_new();
	imap_parser_set_limits(p, 4096, 65536);
	for (off = 0; off < size; off += used) {
		n = size - off < step ? size - off : step;
		r = NULL;
		res = imap_parser_feed(p, data + off, n, &used, &r, &e);
		if (used > n)
			__builtin_trap();
		if (res == IMAP_PARSE_ERROR)
			break;
		if (res == IMAP_PARSE_DONE) {
			read_all(r);
			imap_response_free(&r);
		} else if (used != n)
			__builtin_trap();	/* MORE eats everything */
	}
	imap_parser_free(&p);
	return 0;
}
