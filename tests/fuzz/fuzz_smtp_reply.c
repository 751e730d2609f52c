/*
 * libFuzzer target: the SMTP reply parser fed in pieces, replies one
 * after another as with pipelining, and the dot-stuffing encoder.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "smtp/smtp.h"
#include "util/buf.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_parser	 p;
	struct smtp_dot_encoder	 d;
	struct buf		 out = BUF_INIT;
	struct err		 e;
	size_t			 off = 0, n, used, step;
	enum smtp_parse_result	 r = SMTP_PARSE_MORE;
	char			*text;

	if (size < 1)
		return 0;
	step = data[0] + 1;
	data++;
	size--;
	smtp_parser_init(&p);
	while (off < size) {
		n = size - off < step ? size - off : step;
		r = smtp_parser_feed(&p, (const char *)data + off, n, &used,
		    &e);
		if (used > n)
			__builtin_trap();
		off += used;
		if (r == SMTP_PARSE_ERROR)
			break;
		if (r == SMTP_PARSE_DONE) {
			text = smtp_reply_text(smtp_parser_reply(&p));
			free(text);
			smtp_parser_free(&p);
			smtp_parser_init(&p);
		}
	}
	smtp_parser_free(&p);
	smtp_dot_init(&d);
	smtp_dot_encode(&d, (const char *)data, size, &out);
	smtp_dot_end_data(&d, &out);
	buf_free(&out);
	return 0;
}
