/*
 * libFuzzer target: the POP3 reply parser, in both data modes, fed the
 * input in pieces whose sizes the input's first byte chooses.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "pop3/pop3.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
sink(void *arg, const char *s, size_t len, struct err *e)
{
	size_t	*total = arg;

	(void)s; (void)e;
	*total += len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pop3_parser	 p;
	struct err		 e;
	size_t			 off, n, used, step, total = 0;
	int			 flags;
	enum pop3_parse_result	 r = POP3_PARSE_MORE;

	if (size < 1)
		return 0;
	flags = data[0] & (POP3_PARSE_MULTI | POP3_PARSE_LINES);
	step = (data[0] >> 2) + 1;
	data++;
	size--;
	pop3_parser_init(&p, flags, sink, &total);
	for (off = 0; off < size && r == POP3_PARSE_MORE; off += used) {
		n = size - off < step ? size - off : step;
		r = pop3_parser_feed(&p, (const char *)data + off, n, &used,
		    &e);
		if (used > n)
			__builtin_trap();
	}
	if (r == POP3_PARSE_DONE)
		(void)pop3_parser_text(&p);
	pop3_parser_free(&p);
	return 0;
}
