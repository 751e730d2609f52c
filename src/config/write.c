/*
 * Writing the config file for the setup wizard: a whole file, or one
 * account merged into an existing file line by line so that comments and
 * other sections survive.  Writes are atomic and the result is loaded
 * back from memory first, so a bug here cannot leave a broken file.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "config/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fdio.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

/* ------------------------------------------------------------------ */
/* Atomic replacement */

static int
mkdir_parents(const char *dir, struct err *e)
{
	char	*copy, *p;

	copy = xstrdup(dir);
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, 0700) == -1 && errno != EEXIST) {
			err_set(e, ERR_IO, _("%s: cannot create the directory: "
			    "%s"), copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return 0;
}

static void
sync_dir(const char *dir)
{
	int	fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1) {
		(void)fsync(fd);
		close(fd);
	}
}

static int
write_atomic(const char *path, const char *data, size_t len, struct err *e)
{
	char	*target, *dir, *slash, *tmp;
	int	 fd, rc = -1, saved;

	/* A symlinked config (dotfiles in git) stays a symlink. */
	target = realpath(path, NULL);
	if (target == NULL)
		target = xstrdup(path);
	slash = strrchr(target, '/');
	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == target)
		dir = xstrdup("/");
	else
		dir = xstrndup(target, (size_t)(slash - target));
	tmp = xasprintf("%s/.%s.XXXXXX", dir, slash != NULL ? slash + 1 :
	    target);
	if (mkdir_parents(dir, e) != 0)
		goto out;
	if ((fd = mkstemp(tmp)) == -1) {
		err_set(e, ERR_IO, _("%s: cannot create a temporary file: %s"),
		    tmp, strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0600) == -1 || fd_write_all(fd, data, len) != 0 ||
	    fsync(fd) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		err_set(e, saved == ENOSPC ? ERR_DISKFULL : ERR_IO,
		    _("%s: cannot write: %s"), tmp, strerror(saved));
		goto out;
	}
	if (close(fd) == -1 || rename(tmp, target) == -1) {
		saved = errno;
		unlink(tmp);
		err_set(e, ERR_IO, _("%s: cannot replace: %s"), target,
		    strerror(saved));
		goto out;
	}
	sync_dir(dir);
	rc = 0;
out:
	free(tmp);
	free(dir);
	free(target);
	return rc;
}

/* Check what is about to be written by loading it, then write it. */
static int
commit(const char *path, struct buf *out, struct err *e)
{
	struct config	check;
	int		rc;

	rc = cfg_load_buffer(path, buf_cstr(out), out->len, &check, e);
	config_free(&check);
	if (rc == 0)
		rc = write_atomic(path, buf_cstr(out), out->len, e);
	cfg_buf_wipe(out);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Rendering */

static void
put_pairs(struct buf *b, const struct cfg_pair *pairs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		buf_addf(b, "%s = ", pairs[i].key);
		cfg_put_value(b, pairs[i].value);
		buf_addc(b, '\n');
	}
}

static void
put_free_key(struct buf *b, const char *k)
{
	size_t	len = strlen(k);

	if (len > 0 && strpbrk(k, "=\"\\") == NULL && k[0] != '#' &&
	    k[0] != '[' && k[0] != ' ' && k[0] != '\t' &&
	    k[len - 1] != ' ' && k[len - 1] != '\t') {
		buf_adds(b, k);
		return;
	}
	buf_addc(b, '"');
	for (; *k != '\0'; k++) {
		if (*k == '"' || *k == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *k);
	}
	buf_addc(b, '"');
}

static void
put_kvs(struct buf *b, const char *section, const struct config_kv *kvs,
    size_t n)
{
	size_t	i;

	if (n == 0)
		return;
	buf_addf(b, "\n[%s]\n", section);
	for (i = 0; i < n; i++) {
		put_free_key(b, kvs[i].key);
		buf_adds(b, " = ");
		cfg_put_value(b, kvs[i].value);
		buf_addc(b, '\n');
	}
}

/* A checked copy of an account, rendered; -1 if it does not check. */
static int
render_account(const struct config_account *src, struct config_account *a,
    struct cfg_pair **pairs_r, size_t *n_r, struct err *e)
{
	config_account_copy(a, src);
	if (config_account_check(a, e) != 0) {
		config_account_clear(a);
		return -1;
	}
	*n_r = cfg_account_render(a, pairs_r);
	return 0;
}

int
config_write(const char *path, const struct config *cfg, struct err *e)
{
	struct buf		 out = BUF_INIT;
	struct config_account	 a;
	struct cfg_pair		*pairs;
	size_t			 i, n;

	buf_adds(&out, "# surat configuration; see surat.conf(5).\n");
	n = cfg_general_render(cfg, &pairs);
	if (n > 0) {
		buf_adds(&out, "\n[general]\n");
		put_pairs(&out, pairs, n);
	}
	cfg_pairs_free(&pairs, n);
	put_kvs(&out, "colors", cfg->colors, cfg->ncolors);
	put_kvs(&out, "keys", cfg->keys, cfg->nkeys);
	for (i = 0; i < cfg->naccounts; i++) {
		if (render_account(&cfg->accounts[i], &a, &pairs, &n, e) != 0) {
			cfg_buf_wipe(&out);
			return -1;
		}
		buf_addc(&out, '\n');
		cfg_put_account_header(&out, a.id);
		put_pairs(&out, pairs, n);
		cfg_pairs_free(&pairs, n);
		config_account_clear(&a);
	}
	return commit(path, &out, e);
}

/* ------------------------------------------------------------------ */
/* Merging into an existing file */

struct merge_line {
	const char	*text;
	size_t		 len;
	struct cfg_line	 lex;
};

struct merge {
	struct buf		 data;
	struct merge_line	*lines;
	size_t			 n;
	/* The target section: header index, last key line; -1 if absent. */
	long			 head;
	long			 last;
};

static void
merge_free(struct merge *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		cfg_line_clear(&m->lines[i].lex);
	xfree(&m->lines);
	cfg_buf_wipe(&m->data);
}

/* Read and lex the existing file (none is fine) and find [account id]. */
static int
merge_read(const char *path, const char *id, struct merge *m, struct err *e)
{
	const char	*p, *end, *nl, *why;
	bool		 free_keys = false, in_target = false;
	struct err	 e2;

	memset(m, 0, sizeof *m);
	m->head = m->last = -1;
	err_clear(&e2);
	if (cfg_read_file(path, &m->data, &e2) != 0) {
		if (e2.code == ERR_NOTFOUND)
			return 0;
		if (e != NULL)
			*e = e2;
		return -1;
	}
	p = buf_cstr(&m->data);
	end = p + m->data.len;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		m->lines = xreallocarray(m->lines, m->n + 1, sizeof *m->lines);
		struct merge_line *ml = &m->lines[m->n++];

		ml->text = p;
		ml->len = (size_t)(nl - p);
		if (cfg_lex_line(p, ml->len, free_keys, &ml->lex, &why) != 0) {
			memset(&ml->lex, 0, sizeof ml->lex);
			err_set(e, ERR_CONFIG, _("%s:%zu: %s; fix this line "
			    "first, the file was not changed"), path, m->n,
			    _(why));
			return -1;
		}
		if (ml->lex.kind == CFG_LINE_SECTION) {
			free_keys = cfg_section_free(ml->lex.section);
			in_target = m->head < 0 &&
			    strcmp(ml->lex.section, "account") == 0 &&
			    ml->lex.arg != NULL && strcmp(ml->lex.arg, id) == 0;
			if (in_target)
				m->head = m->last = (long)m->n - 1;
		} else if (ml->lex.kind == CFG_LINE_KV && in_target)
			m->last = (long)m->n - 1;
		p = nl + 1;
	}
	return 0;
}

static void
copy_line(struct buf *out, const struct merge_line *ml)
{
	buf_add(out, ml->text, ml->len);
	buf_addc(out, '\n');
}

static void
put_unused(struct buf *out, const struct cfg_pair *pairs, const bool *used,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!used[i])
			put_pairs(out, &pairs[i], 1);
	}
}

/* One key line of the target section: keep, rewrite or drop. */
static void
merge_key(struct buf *out, const struct merge_line *ml,
    const struct cfg_pair *pairs, bool *used, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(pairs[i].key, ml->lex.key) != 0)
			continue;
		if (used[i])
			return;		/* a duplicate: drop it */
		used[i] = true;
		if (strcmp(pairs[i].value, ml->lex.value) == 0)
			copy_line(out, ml);	/* keeps its comment */
		else
			put_pairs(out, &pairs[i], 1);
		return;
	}
	/* Not in the new account: the value went back to its default. */
}

int
config_write_account(const char *path, const struct config_account *acct,
    struct err *e)
{
	struct merge		 m;
	struct config_account	 a;
	struct cfg_pair		*pairs;
	struct buf		 out = BUF_INIT;
	const struct merge_line	*ml;
	bool			*used, in_target = false, in_account = false;
	size_t			 i, n;

	if (render_account(acct, &a, &pairs, &n, e) != 0)
		return -1;
	if (merge_read(path, a.id, &m, e) != 0) {
		cfg_pairs_free(&pairs, n);
		config_account_clear(&a);
		merge_free(&m);
		return -1;
	}
	used = xcalloc(n + 1, sizeof *used);
	for (i = 0; i < m.n; i++) {
		ml = &m.lines[i];
		if (ml->lex.kind == CFG_LINE_SECTION) {
			in_target = (long)i == m.head;
			in_account = strcmp(ml->lex.section, "account") == 0;
			copy_line(&out, ml);
		} else if (ml->lex.kind == CFG_LINE_KV && in_target)
			merge_key(&out, ml, pairs, used, n);
		else if (ml->lex.kind == CFG_LINE_KV && in_account &&
		    a.is_default && strcmp(ml->lex.key, "default") == 0)
			;	/* only one default account */
		else
			copy_line(&out, ml);
		if ((long)i == m.last)
			put_unused(&out, pairs, used, n);
	}
	if (m.head < 0) {
		if (out.len > 0)
			buf_addc(&out, '\n');
		else
			buf_adds(&out, "# surat configuration; see "
			    "surat.conf(5).\n\n");
		cfg_put_account_header(&out, a.id);
		put_pairs(&out, pairs, n);
	}
	free(used);
	cfg_pairs_free(&pairs, n);
	config_account_clear(&a);
	merge_free(&m);
	return commit(path, &out, e);
}

int
config_remove_account(const char *path, const char *id, struct err *e)
{
	struct merge	m;
	struct buf	out = BUF_INIT;
	size_t		i;

	if (merge_read(path, id, &m, e) != 0) {
		merge_free(&m);
		return -1;
	}
	if (m.head < 0) {
		merge_free(&m);
		err_set(e, ERR_NOTFOUND, _("%s: no account '%s'"), path, id);
		return -1;
	}
	for (i = 0; i < m.n; i++) {
		/* Comments after the last key stay with what follows. */
		if ((long)i >= m.head && (long)i <= m.last)
			continue;
		copy_line(&out, &m.lines[i]);
	}
	merge_free(&m);
	return commit(path, &out, e);
}
