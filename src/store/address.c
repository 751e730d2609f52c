/* Addresses the user wrote to or read from, for completion. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

#define COMPLETE_LIMIT_MAX	100

int
store_address_seen(struct store *s, const char *address, const char *name,
    int64_t when, struct err *err)
{
	sqlite3_stmt	*st;

	if (tx_writable(s, err) == -1)
		return -1;
	if (address == NULL || strchr(address, '@') == NULL) {
		err_set(err, ERR_USAGE, _("not an address: %s"),
		    address != NULL ? address : "(null)");
		return -1;
	}
	if ((st = st_prep(s, "INSERT INTO addresses (address, name, "
	    "use_count, last_used) VALUES (?1, ?2, 1, ?3) "
	    "ON CONFLICT (address) DO UPDATE SET "
	    "name = coalesce(excluded.name, name), "
	    "use_count = use_count + 1, "
	    "last_used = max(last_used, excluded.last_used)", err)) == NULL)
		return -1;
	bind_text(st, 1, address);
	bind_text(st, 2, name != NULL && *name != '\0' ? name : NULL);
	bind_int64(st, 3, when);
	return st_run(s, st, err);
}

/* prefix with LIKE's wildcards and our escape character escaped. */
static void
like_prefix(struct buf *b, const char *prefix)
{
	for (; *prefix != '\0'; prefix++) {
		if (*prefix == '%' || *prefix == '_' || *prefix == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *prefix);
	}
	buf_addc(b, '%');
}

int
store_address_complete(struct store *s, const char *prefix, size_t limit,
    struct store_address **arr_r, size_t *n_r, struct err *err)
{
	struct buf		 pat = BUF_INIT;
	struct store_address	*arr = NULL, *a;
	sqlite3_stmt		*st;
	size_t			 n = 0;
	int			 rc;

	*arr_r = NULL;
	*n_r = 0;
	if (limit == 0 || limit > COMPLETE_LIMIT_MAX)
		limit = COMPLETE_LIMIT_MAX;
	if ((st = st_prep(s, "SELECT address, name, use_count, last_used "
	    "FROM addresses WHERE address LIKE ?1 ESCAPE '\\' "
	    "OR name LIKE ?1 ESCAPE '\\' OR name LIKE '% ' || ?1 ESCAPE '\\' "
	    "ORDER BY use_count DESC, last_used DESC, address LIMIT ?2",
	    err)) == NULL)
		return -1;
	like_prefix(&pat, prefix != NULL ? prefix : "");
	bind_text(st, 1, buf_cstr(&pat));
	bind_int64(st, 2, (int64_t)limit);
	buf_free(&pat);
	arr = xcalloc(limit, sizeof *arr);
	while ((rc = st_step(s, st, err)) == SQLITE_ROW) {
		a = &arr[n++];
		a->address = col_strdup(st, 0);
		a->name = col_strdup(st, 1);
		a->use_count = sqlite3_column_int64(st, 2);
		a->last_used = sqlite3_column_int64(st, 3);
	}
	if (rc == -1) {
		store_address_list_free(&arr, n);
		return -1;
	}
	st_done(st);
	if (n == 0)
		xfree(&arr);
	*arr_r = arr;
	*n_r = n;
	return 0;
}

void
store_address_list_free(struct store_address **arrp, size_t n)
{
	size_t	i;

	if (*arrp == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*arrp)[i].address);
		free((*arrp)[i].name);
	}
	xfree(arrp);
}
