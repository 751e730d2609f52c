/*
 * Key bindings: the actions the screens understand, mutt-compatible
 * defaults per context, and parsing of key names ("j", "^F", "<PageDown>",
 * "<Esc>v") so every binding can come from the config's [keys] section.
 * Nothing here draws or includes curses: term.c translates curses key
 * codes into the UI_KEY_* values below.
 */
#ifndef SURAT_UI_KEYMAP_H
#define SURAT_UI_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;

/*
 * A key is a Unicode code point, or one of the special keys below (above
 * the Unicode range), optionally with UI_KEY_META (Esc or Alt pressed
 * first).  Control characters are their code points (^F is 6).
 */
#define UI_KEY_META	0x40000000
enum {
	UI_KEY_NONE = 0,
	UI_KEY_SPECIAL = 0x110000,
	UI_KEY_UP = UI_KEY_SPECIAL,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_INSERT,
	UI_KEY_DELETE,
	UI_KEY_BACKSPACE,
	UI_KEY_BTAB,		/* shift-tab */
	UI_KEY_ENTER,		/* keypad enter; Return is '\r' */
	UI_KEY_RESIZE,
	UI_KEY_MOUSE,
	UI_KEY_F0 = UI_KEY_SPECIAL + 0x100,	/* F1 is UI_KEY_F0 + 1 */
	UI_KEY_MAX = UI_KEY_F0 + 64,
};
#define UI_KEY_ESC	0x1b
#define UI_KEY_CTRL(c)	((c) & 0x1f)

/* Where a binding applies; generic bindings apply in every menu. */
enum ui_ctx {
	UI_CTX_GENERIC = 0,
	UI_CTX_INDEX,
	UI_CTX_PAGER,
	UI_CTX_COMPOSE,
	UI_CTX_ATTACH,
	UI_CTX_BROWSER,		/* folder list (sidebar focus, folder picker) */
	UI_CTX_COUNT,
};

/* Every action a key can trigger; names in keymap.c (mutt's where any). */
enum ui_action {
	A_NONE = 0,
	/* movement */
	A_NEXT, A_PREV, A_NEXT_UNDELETED, A_PREV_UNDELETED,
	A_PAGE_DOWN, A_PAGE_UP, A_HALF_DOWN, A_HALF_UP,
	A_FIRST, A_LAST, A_TOP_PAGE, A_MIDDLE_PAGE, A_BOTTOM_PAGE,
	A_NEXT_LINE, A_PREV_LINE, A_NEXT_UNREAD, A_PREV_UNREAD,
	A_NEXT_THREAD, A_PREV_THREAD,
	/* generic */
	A_SELECT, A_EXIT, A_QUIT, A_HELP, A_REDRAW, A_SEARCH,
	A_SEARCH_REVERSE, A_SEARCH_NEXT, A_SEARCH_OPPOSITE, A_SUSPEND,
	A_SHOW_ERRORS, A_TAG, A_TAG_PREFIX, A_UNTAG_ALL, A_TAG_THREAD,
	/* index */
	A_DISPLAY, A_REPLY, A_GROUP_REPLY, A_LIST_REPLY, A_FORWARD,
	A_FORWARD_ATTACH, A_MAIL, A_FLAG, A_TOGGLE_NEW, A_READ, A_READ_THREAD,
	A_DELETE, A_UNDELETE, A_UNDO, A_DELETE_THREAD, A_SAVE, A_COPY,
	A_CHANGE_FOLDER, A_SORT, A_SORT_REVERSE, A_TOGGLE_THREADS,
	A_COLLAPSE_THREAD, A_COLLAPSE_ALL, A_VIEW_ATTACH, A_SYNC,
	A_RECALL, A_UNIFIED, A_SIDEBAR_TOGGLE, A_SIDEBAR_NEXT,
	A_SIDEBAR_PREV, A_SIDEBAR_OPEN, A_SIDEBAR_FOCUS,
	/* pager */
	A_TOGGLE_HEADERS, A_TOGGLE_QUOTED, A_SKIP_QUOTED, A_NEXT_URL,
	A_OPEN_URL,
	/* compose */
	A_EDIT_TO, A_EDIT_CC, A_EDIT_BCC, A_EDIT_SUBJECT, A_EDIT_FROM,
	A_EDIT_BODY, A_ATTACH_FILE, A_DETACH, A_SEND, A_POSTPONE, A_ABORT,
	/* attachments */
	A_VIEW, A_SAVE_ATTACH, A_VIEW_TEXT, A_VIEW_MAILCAP, A_OPEN_ATTACH,
	A_ACTION_COUNT,
};

struct keymap;

struct keymap	*keymap_new(void);		/* with the defaults */
void		 keymap_free(struct keymap **);
/* The action for key in ctx, falling back to the generic bindings. */
enum ui_action	 keymap_lookup(const struct keymap *, enum ui_ctx, int32_t);
/* Bind (or with A_NONE, unbind) one key in one context. */
void		 keymap_set(struct keymap *, enum ui_ctx, int32_t, enum ui_action);

/*
 * Parse one binding as the config writes it: ctx "index", "pager",
 * "compose", "attach", "browser" or "generic" (several separated by
 * commas), a key spec and an action name ("noop" unbinds).
 */
int		 keymap_bind(struct keymap *, const char *, const char *,
		    const char *, struct err *);
/* The same from one line: "index,pager <Esc>v collapse-thread". */
int		 keymap_bind_line(struct keymap *, const char *, struct err *);

/* Key spec to key; -1 on a spec that names no key. */
int		 keymap_parse_key(const char *, int32_t *);
/* Key to its canonical spec, appended ("^F", "<PageDown>", "<Esc>v"). */
void		 keymap_key_name(struct buf *, int32_t);

const char	*keymap_action_name(enum ui_action);
/* Untranslated one-line description (for help); wrap in _() to show. */
const char	*keymap_action_help(enum ui_action);
int		 keymap_action_parse(const char *, enum ui_action *);
const char	*keymap_ctx_name(enum ui_ctx);
int		 keymap_ctx_parse(const char *, enum ui_ctx *);

/*
 * Walk the bindings of one context (not the generic ones), in key order,
 * for the help screen; fn returns non-zero to stop.
 */
void		 keymap_each(const struct keymap *, enum ui_ctx,
		    int (*)(void *, int32_t, enum ui_action), void *);
/* The key names bound to action in ctx (or generic), comma-separated. */
void		 keymap_keys_for(const struct keymap *, enum ui_ctx,
		    enum ui_action, struct buf *);

#endif
