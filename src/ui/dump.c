/* The index as plain text, for runs without a terminal. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "store/store.h"
#include "ui/format.h"
#include "ui/ui.h"
#include "util/buf.h"
#include "util/err.h"

static int
first_inbox(struct store *st, int64_t *id_r, struct err *err)
{
	struct store_folder	*f = NULL;
	size_t			 n = 0, i;

	if (store_folder_list(st, 0, &f, &n, err) == -1)
		return -1;
	*id_r = n > 0 ? f[0].id : 0;
	for (i = 0; i < n; i++) {
		if (f[i].role == STORE_ROLE_INBOX) {
			*id_r = f[i].id;
			break;
		}
	}
	store_folder_list_free(&f, n);
	if (*id_r == 0) {
		err_set(err, ERR_NOTFOUND, "no folders");
		return -1;
	}
	return 0;
}

int
ui_dump_index(struct store *st, int64_t folder, size_t n, size_t width,
    struct buf *out, struct err *err)
{
	struct store_sort	 sort = { STORE_SORT_DATE, true, false };
	struct store_row	*rows = NULL;
	struct ui_entry		 e;
	size_t			 nrows = 0, i;

	if (folder == 0 && first_inbox(st, &folder, err) == -1)
		return -1;
	if (store_index_page(st, folder, &sort, NULL, STORE_PAGE_FORWARD, n,
	    &rows, &nrows, err) == -1)
		return -1;
	memset(&e, 0, sizeof e);
	e.now = (int64_t)time(NULL);
	e.tree = "";
	for (i = 0; i < nrows; i++) {
		e.row = &rows[i];
		ui_format_index(out, UI_INDEX_FORMAT, &e, width);
		/* Trailing padding helps nobody reading a log. */
		while (out->len > 0 && out->data[out->len - 1] == ' ')
			buf_truncate(out, out->len - 1);
		buf_addc(out, '\n');
	}
	store_rows_free(&rows, nrows);
	return 0;
}
