/*
 * Unit tests for the pure pieces of src/ui: fitting text to columns with
 * wide characters, index lines, sizes, key specs and bindings, colours,
 * layout on tiny terminals, the search syntax, and the demo mailbox
 * (generated, dumped as text, hostile bytes gone).
 */
#include "config.h"

#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "ui/color.h"
#include "ui/format.h"
#include "ui/keymap.h"
#include "ui/layout.h"
#include "ui/search.h"
#include "ui/ui.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

static size_t
width(const struct buf *b)
{
	return utf8_width(buf_cstr(b), b->len);
}

static void
test_fit_wide(void **state)
{
	struct buf	b = BUF_INIT;
	size_t		used;

	(void)state;
	/* Three CJK characters are six columns: five columns hold two. */
	used = ui_fit(&b, "日本語", strlen("日本語"), 5, 0);
	assert_int_equal(used, 4);
	assert_string_equal(buf_cstr(&b), "日本");
	buf_reset(&b);
	used = ui_fit(&b, "日本語", strlen("日本語"), 5, UI_FIT_PAD);
	assert_int_equal(used, 5);
	assert_string_equal(buf_cstr(&b), "日本 ");
	buf_reset(&b);
	used = ui_fit(&b, "ab", 2, 5, UI_FIT_RIGHT);
	assert_int_equal(used, 5);
	assert_string_equal(buf_cstr(&b), "   ab");
	buf_reset(&b);
	/* An emoji is two columns and never split. */
	used = ui_fit(&b, "x🍜y", strlen("x🍜y"), 2, UI_FIT_PAD);
	assert_string_equal(buf_cstr(&b), "x ");
	buf_free(&b);
}

static void
test_sizes(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	ui_fmt_size_short(&b, 512);
	assert_string_equal(buf_cstr(&b), "512");
	buf_reset(&b);
	ui_fmt_size_short(&b, 4300);
	assert_string_equal(buf_cstr(&b), "4.2K");
	buf_reset(&b);
	ui_fmt_size_short(&b, 13 * 1024);
	assert_string_equal(buf_cstr(&b), "13K");
	buf_reset(&b);
	ui_fmt_quota(&b, (int64_t)(2.1 * 1024 * 1024 * 1024),
	    (int64_t)15 * 1024 * 1024 * 1024);
	assert_string_equal(buf_cstr(&b), "2.1 GB of 15 GB");
	buf_reset(&b);
	ui_fmt_quota(&b, -1, 100);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
}

static struct store_row
row(const char *from, const char *subject, unsigned flags, int64_t date)
{
	struct store_row	r;

	memset(&r, 0, sizeof r);
	r.id = 1;
	r.from = (char *)from;
	r.subject = (char *)subject;
	r.flags = flags;
	r.date = date;
	r.size = 2048;
	return r;
}

static void
test_index_line_alignment(void **state)
{
	static const char *const froms[] = { "Alice", "田中太郎",
	    "🍣 Sushi Club", "Zoë Müller", "\x1b[31mred\x1b[0m" };
	static const char *const subjects[] = { "Hello", "会議の議事録",
	    "Lunch? 🍜🍣", "Straße", "evil\x1b]0;title\x07\xe2\x80\xae" };
	struct buf	 b = BUF_INIT;
	struct ui_entry	 e;
	struct store_row r;
	size_t		 i, w;
	int64_t		 now = (int64_t)time(NULL);
	const char	*size_col;

	(void)state;
	for (w = 20; w <= 120; w += 17) {
		for (i = 0; i < 5; i++) {
			r = row(froms[i], subjects[i], i == 1 ? 0 :
			    STORE_FLAG_SEEN | STORE_FLAG_FLAGGED, now - 60);
			memset(&e, 0, sizeof e);
			e.row = &r;
			e.tree = "";
			e.now = now;
			buf_reset(&b);
			ui_format_index(&b, UI_INDEX_FORMAT, &e, w);
			/* Exactly w columns, whatever the characters. */
			assert_int_equal(width(&b), w);
			assert_null(memchr(b.data, 0x1b, b.len));
			assert_null(strstr(buf_cstr(&b), "\xe2\x80\xae"));
			if (w >= 60) {
				/* The size sits at the right edge. */
				size_col = buf_cstr(&b) + b.len - 4;
				assert_string_equal(size_col, "2.0K");
			}
		}
	}
	r = row("Bob", "Hi", 0, now);
	memset(&e, 0, sizeof e);
	e.row = &r;
	e.tree = "";
	e.now = now;
	e.tagged = true;
	buf_reset(&b);
	ui_format_index(&b, "%Z|%s", &e, 20);
	assert_true(strncmp(buf_cstr(&b), "*N  |Hi", 7) == 0);
	r.flags = STORE_FLAG_SEEN | STORE_FLAG_ANSWERED | STORE_FLAG_FLAGGED;
	r.has_attachments = true;
	e.tagged = false;
	buf_reset(&b);
	ui_format_index(&b, "%Z|", &e, 10);
	assert_true(strncmp(buf_cstr(&b), " rF@|", 5) == 0);
	buf_free(&b);
}

static void
test_keys(void **state)
{
	static const char *const specs[] = { "j", "^F", "<PageDown>",
	    "<Esc>v", "<Enter>", "<F5>", "é", "<Up>" };
	struct buf	 b = BUF_INIT;
	int32_t		 k, k2;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		assert_int_equal(keymap_parse_key(specs[i], &k), 0);
		buf_reset(&b);
		keymap_key_name(&b, k);
		assert_int_equal(keymap_parse_key(buf_cstr(&b), &k2), 0);
		assert_int_equal(k, k2);
	}
	assert_int_equal(keymap_parse_key("^F", &k), 0);
	assert_int_equal(k, 6);
	assert_int_equal(keymap_parse_key("<NoSuchKey>", &k), -1);
	buf_free(&b);
}

static void
test_keymap_defaults_and_binds(void **state)
{
	struct keymap	*km = keymap_new();
	struct err	 err;
	enum ui_action	 a;

	(void)state;
	/* mutt's defaults. */
	a = keymap_lookup(km, UI_CTX_INDEX, 'j');
	assert_true(a == A_NEXT || a == A_NEXT_UNDELETED);
	a = keymap_lookup(km, UI_CTX_INDEX, 'k');
	assert_true(a == A_PREV || a == A_PREV_UNDELETED);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, 'q'), A_QUIT);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, 'd'), A_DELETE);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, 'F'), A_FLAG);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, 'r'), A_REPLY);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, 'g'), A_GROUP_REPLY);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, '/'), A_SEARCH);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, 't'), A_TAG);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, UI_KEY_PGDN),
	    A_PAGE_DOWN);
	assert_int_equal(keymap_lookup(km, UI_CTX_COMPOSE, 'y'), A_SEND);
	/* Rebinding from the config, several contexts at once. */
	err_clear(&err);
	assert_int_equal(keymap_bind_line(km, "index,pager x flag-message",
	    &err), 0);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, 'x'), A_FLAG);
	assert_int_equal(keymap_lookup(km, UI_CTX_PAGER, 'x'), A_FLAG);
	assert_int_equal(keymap_bind_line(km, "index d noop", &err), 0);
	assert_int_equal(keymap_lookup(km, UI_CTX_INDEX, 'd'), A_NONE);
	assert_int_equal(keymap_bind_line(km, "index d no-such-action",
	    &err), -1);
	assert_true(strlen(err.msg) > 0);
	assert_int_equal(keymap_bind_line(km, "nowhere d flag-message",
	    &err), -1);
	assert_int_equal(keymap_action_parse("flag-message", &a), 0);
	assert_int_equal(a, A_FLAG);
	keymap_free(&km);
	assert_null(km);
}

static void
test_colors(void **state)
{
	struct ui_color_spec	c;
	struct err		err;

	(void)state;
	err_clear(&err);
	assert_int_equal(ui_color_parse("bold red default", &c, &err), 0);
	assert_int_equal(c.fg, 1);
	assert_int_equal(c.bg, UI_COLOR_DEFAULT);
	assert_true(c.attrs & UI_A_BOLD);
	assert_int_equal(ui_color_parse("#ff0000", &c, &err), 0);
	assert_int_equal(c.fg, UI_COLOR_RGB | 0xff0000);
	/* Pure red on 256 colours is an exact palette entry, on 8 red. */
	assert_int_equal(ui_color_palette_rgb(ui_color_reduce(c.fg, 256)),
	    0xff0000);
	assert_int_equal(ui_color_reduce(c.fg, 8), 1);
	assert_int_equal(ui_color_reduce(c.fg, 0), UI_COLOR_DEFAULT);
	assert_int_equal(ui_color_reduce(9, 8), 1);
	assert_int_equal(ui_color_parse("color300", &c, &err), -1);
	assert_int_equal(ui_color_parse("purple-ish", &c, &err), -1);
}

static void
test_layout_tiny(void **state)
{
	struct ui_layout_opts	o = { true, true, 26, false, 0 };
	struct ui_layout	l;
	int			rows, cols;

	(void)state;
	ui_layout_compute(120, 40, &o, &l);
	assert_int_equal(l.sidebar.w, 26);
	assert_int_equal(l.index.w, 94);
	assert_int_equal(l.message.y, 39);
	/* Every size down to 1x1: nothing overlaps or leaves the screen. */
	for (rows = 1; rows < 12; rows++) {
		for (cols = 1; cols < 70; cols += 3) {
			ui_layout_compute(cols, rows, &o, &l);
			assert_int_equal(l.message.h, 1);
			assert_true(l.index.y + l.index.h <= rows - 1);
			assert_true(l.index.x + l.index.w <= cols);
			if (cols - 26 < UI_LAYOUT_MIN_MAIN)
				assert_int_equal(l.sidebar.w, 0);
		}
	}
	o.pager = true;
	ui_layout_compute(80, 24, &o, &l);
	assert_int_equal(l.pager.w, 80);
	assert_true(l.pager.h > 15);
	assert_int_equal(ui_scroll_top(0, 50, 10, 100), 41);
	assert_int_equal(ui_scroll_top(41, 45, 10, 100), 41);
	assert_int_equal(ui_scroll_top(41, 3, 10, 100), 3);
	assert_int_equal(ui_scroll_top(95, 99, 10, 100), 90);
}

static void
test_query(void **state)
{
	struct ui_query		q;
	struct store_query	sq;

	(void)state;
	ui_query_parse("from:alice \"lunch plans\" is:unread has:attachment "
	    "budget", &q);
	assert_string_equal(q.from, "alice");
	assert_true(q.unread);
	assert_true(q.attachment);
	assert_non_null(strstr(q.text, "budget"));
	assert_non_null(strstr(q.text, "lunch plans"));
	memset(&sq, 0, sizeof sq);
	ui_query_fill(&q, &sq);
	assert_true(sq.unread);
	assert_true(sq.has_attachment);
	ui_query_free(&q);
}

static int
rm_entry(const char *p, const struct stat *sb, int t, struct FTW *f)
{
	(void)sb; (void)t; (void)f;
	return remove(p);
}

static void
test_demo_store(void **state)
{
	char		 dir[] = "/tmp/surat-test-ui-XXXXXX";
	struct store	*st = NULL;
	struct err	 err;
	struct buf	 out = BUF_INIT;
	size_t		 n = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	err_clear(&err);
	assert_int_equal(store_open(dir, STORE_OPEN_NOCHECK, "test", &st,
	    &err), 0);
	assert_int_equal(ui_demo_fill(st, 200, true, &err), 0);
	assert_int_equal(store_index_count(st, 0, &n, &err), 0);
	assert_true(n > 100);
	assert_int_equal(ui_dump_index(st, 0, 40, 90, &out, &err), 0);
	/* The hostile message is there, and harmless. */
	assert_non_null(strstr(buf_cstr(&out), "Mallory"));
	assert_non_null(strstr(buf_cstr(&out), "Invoice"));
	assert_null(memchr(out.data, 0x1b, out.len));
	assert_null(memchr(out.data, 0x07, out.len));
	assert_null(strstr(buf_cstr(&out), "\xe2\x80\xae"));
	assert_non_null(strstr(buf_cstr(&out), "Résumé de la réunion"));
	buf_free(&out);
	store_close(&st);
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_wide),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_index_line_alignment),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_keymap_defaults_and_binds),
		cmocka_unit_test(test_colors),
		cmocka_unit_test(test_layout_tiny),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_demo_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
