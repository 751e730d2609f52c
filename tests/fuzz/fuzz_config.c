/*
 * libFuzzer target: the configuration file.  The whole text is loaded as
 * surat loads ~/.config/surat/config; every line is also lexed alone, and
 * a value written back by the writer's quoting must lex to itself.  When
 * the text loads, what the writer renders from it must load again with the
 * same accounts: the setup wizard rewrites files it once read.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/internal.h"
#include "util/buf.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A value quoted by the writer lexes back to the same value. */
static void
requote(const char *value)
{
	struct buf	 b = BUF_INIT;
	struct cfg_line	 l;
	const char	*why;

	buf_adds(&b, "k = ");
	cfg_put_value(&b, value);
	memset(&l, 0, sizeof l);
	if (cfg_lex_line(buf_cstr(&b), b.len, false, &l, &why) != 0 ||
	    l.kind != CFG_LINE_KV || l.value == NULL ||
	    strcmp(l.value, value) != 0)
		abort();
	cfg_line_clear(&l);
	buf_free(&b);
}

static void
lex_lines(const char *p, size_t len)
{
	const char	*end = p + len, *nl, *why;
	struct cfg_line	 l;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		memset(&l, 0, sizeof l);
		if (cfg_lex_line(p, (size_t)(nl - p), (*p & 1) != 0, &l,
		    &why) == 0 && l.kind == CFG_LINE_KV && l.value != NULL &&
		    strchr(l.value, '\n') == NULL)
			requote(l.value);
		cfg_line_clear(&l);
		p = nl + 1;
	}
}

/* The accounts as the writer would put them in a file. */
static bool
render(const struct config *cfg, struct buf *out)
{
	struct config_account	 a;
	struct cfg_pair		*pairs;
	struct err		 e;
	size_t			 i, j, n;

	for (i = 0; i < cfg->naccounts; i++) {
		config_account_copy(&a, &cfg->accounts[i]);
		if (config_account_check(&a, &e) != 0) {
			config_account_clear(&a);
			return false;
		}
		n = cfg_account_render(&a, &pairs);
		cfg_put_account_header(out, a.id);
		buf_addc(out, '\n');
		for (j = 0; j < n; j++) {
			buf_addf(out, "%s = ", pairs[j].key);
			cfg_put_value(out, pairs[j].value);
			buf_addc(out, '\n');
		}
		cfg_pairs_free(&pairs, n);
		config_account_clear(&a);
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg, again;
	struct buf	 out = BUF_INIT;
	struct err	 e;
	size_t		 i;

	if (size > 65536)
		return 0;	/* a config is small; the loader caps at 1 MB */
	if (memchr(data, '\0', size) == NULL)
		lex_lines((const char *)data, size);
	if (cfg_load_buffer("fuzz.conf", (const char *)data, size, &cfg,
	    &e) == 0 && render(&cfg, &out)) {
		if (cfg_load_buffer("rendered.conf", buf_cstr(&out), out.len,
		    &again, &e) != 0 || again.naccounts != cfg.naccounts)
			abort();
		for (i = 0; i < cfg.naccounts; i++)
			if (strcmp(cfg.accounts[i].id,
			    again.accounts[i].id) != 0)
				abort();
		config_free(&again);
	}
	buf_free(&out);
	config_free(&cfg);
	return 0;
}
