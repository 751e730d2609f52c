/* Key bindings: action names, mutt-compatible defaults, key spec parsing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/keymap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

struct binding {
	int32_t		key;
	enum ui_action	action;
};

struct keymap {
	struct binding	*b[UI_CTX_COUNT];	/* sorted by key */
	size_t		 n[UI_CTX_COUNT];
	size_t		 cap[UI_CTX_COUNT];
};

struct action_info {
	const char	*name;
	const char	*help;
};

static const struct action_info actions[A_ACTION_COUNT] = {
	[A_NONE] = { "noop", N_("do nothing") },
	[A_NEXT] = { "next-entry", N_("move to the next entry") },
	[A_PREV] = { "previous-entry", N_("move to the previous entry") },
	[A_NEXT_UNDELETED] = { "next-undeleted",
	    N_("move to the next undeleted message") },
	[A_PREV_UNDELETED] = { "previous-undeleted",
	    N_("move to the previous undeleted message") },
	[A_PAGE_DOWN] = { "next-page", N_("move to the next page") },
	[A_PAGE_UP] = { "previous-page", N_("move to the previous page") },
	[A_HALF_DOWN] = { "half-down", N_("scroll down half a page") },
	[A_HALF_UP] = { "half-up", N_("scroll up half a page") },
	[A_FIRST] = { "first-entry", N_("move to the first entry") },
	[A_LAST] = { "last-entry", N_("move to the last entry") },
	[A_TOP_PAGE] = { "top-page", N_("move to the top of the page") },
	[A_MIDDLE_PAGE] = { "middle-page",
	    N_("move to the middle of the page") },
	[A_BOTTOM_PAGE] = { "bottom-page",
	    N_("move to the bottom of the page") },
	[A_NEXT_LINE] = { "next-line", N_("scroll down one line") },
	[A_PREV_LINE] = { "previous-line", N_("scroll up one line") },
	[A_NEXT_UNREAD] = { "next-unread", N_("jump to the next unread "
	    "message") },
	[A_PREV_UNREAD] = { "previous-unread", N_("jump to the previous "
	    "unread message") },
	[A_NEXT_THREAD] = { "next-thread", N_("jump to the next thread") },
	[A_PREV_THREAD] = { "previous-thread",
	    N_("jump to the previous thread") },
	[A_SELECT] = { "select-entry", N_("select the current entry") },
	[A_EXIT] = { "exit", N_("leave this screen") },
	[A_QUIT] = { "quit", N_("quit surat") },
	[A_HELP] = { "help", N_("show the key bindings") },
	[A_REDRAW] = { "redraw-screen", N_("clear and redraw the screen") },
	[A_SEARCH] = { "search", N_("search") },
	[A_SEARCH_REVERSE] = { "search-reverse", N_("search backwards") },
	[A_SEARCH_NEXT] = { "search-next", N_("repeat the last search") },
	[A_SEARCH_OPPOSITE] = { "search-opposite",
	    N_("repeat the last search backwards") },
	[A_SUSPEND] = { "suspend", N_("suspend surat (fg to return)") },
	[A_SHOW_ERRORS] = { "show-errors", N_("show recent messages and "
	    "errors in full") },
	[A_TAG] = { "tag-entry", N_("tag or untag the current entry") },
	[A_TAG_PREFIX] = { "tag-prefix", N_("apply the next action to the "
	    "tagged messages") },
	[A_UNTAG_ALL] = { "untag-all", N_("untag every message") },
	[A_TAG_THREAD] = { "tag-thread", N_("tag the current thread") },
	[A_DISPLAY] = { "display-message", N_("open the message") },
	[A_REPLY] = { "reply", N_("reply to the sender") },
	[A_GROUP_REPLY] = { "group-reply", N_("reply to all recipients") },
	[A_LIST_REPLY] = { "list-reply", N_("reply to the mailing list") },
	[A_FORWARD] = { "forward-message", N_("forward the message "
	    "inline") },
	[A_FORWARD_ATTACH] = { "forward-attached",
	    N_("forward the message as an attachment") },
	[A_MAIL] = { "mail", N_("write a new message") },
	[A_FLAG] = { "flag-message", N_("flag or unflag the message") },
	[A_TOGGLE_NEW] = { "toggle-new", N_("mark the message read or "
	    "unread") },
	[A_READ] = { "read-message", N_("mark the message read") },
	[A_READ_THREAD] = { "read-thread", N_("mark the thread read") },
	[A_DELETE] = { "delete-message", N_("delete the message") },
	[A_UNDELETE] = { "undelete-message", N_("undelete the message") },
	[A_UNDO] = { "undo", N_("undo the last delete or move") },
	[A_DELETE_THREAD] = { "delete-thread", N_("delete the thread") },
	[A_SAVE] = { "save-message", N_("move the message to a folder") },
	[A_COPY] = { "copy-message", N_("copy the message to a folder") },
	[A_CHANGE_FOLDER] = { "change-folder", N_("open another folder") },
	[A_SORT] = { "sort-mailbox", N_("change the sort order") },
	[A_SORT_REVERSE] = { "sort-reverse", N_("change the sort order, "
	    "reversed") },
	[A_TOGGLE_THREADS] = { "toggle-threads", N_("switch between "
	    "threaded and flat view") },
	[A_COLLAPSE_THREAD] = { "collapse-thread", N_("collapse or expand "
	    "the thread") },
	[A_COLLAPSE_ALL] = { "collapse-all", N_("collapse or expand every "
	    "thread") },
	[A_VIEW_ATTACH] = { "view-attachments", N_("list the attachments") },
	[A_SYNC] = { "sync-mailbox", N_("synchronise with the server now") },
	[A_RECALL] = { "recall-message", N_("continue a postponed message") },
	[A_UNIFIED] = { "unified-inbox", N_("show or hide the unified "
	    "inbox") },
	[A_SIDEBAR_TOGGLE] = { "sidebar-toggle-visible",
	    N_("show or hide the folder list") },
	[A_SIDEBAR_NEXT] = { "sidebar-next", N_("highlight the next "
	    "folder") },
	[A_SIDEBAR_PREV] = { "sidebar-prev", N_("highlight the previous "
	    "folder") },
	[A_SIDEBAR_OPEN] = { "sidebar-open", N_("open the highlighted "
	    "folder") },
	[A_SIDEBAR_FOCUS] = { "sidebar-focus", N_("move the focus to or "
	    "from the folder list") },
	[A_TOGGLE_HEADERS] = { "display-toggle-weed",
	    N_("show or hide all headers") },
	[A_TOGGLE_QUOTED] = { "toggle-quoted", N_("show or hide quoted "
	    "text") },
	[A_SKIP_QUOTED] = { "skip-quoted", N_("skip past quoted text") },
	[A_NEXT_URL] = { "next-url", N_("highlight the next link") },
	[A_OPEN_URL] = { "open-url", N_("show the highlighted link") },
	[A_EDIT_TO] = { "edit-to", N_("edit the To list") },
	[A_EDIT_CC] = { "edit-cc", N_("edit the Cc list") },
	[A_EDIT_BCC] = { "edit-bcc", N_("edit the Bcc list") },
	[A_EDIT_SUBJECT] = { "edit-subject", N_("edit the subject") },
	[A_EDIT_FROM] = { "edit-from", N_("edit the From address") },
	[A_EDIT_BODY] = { "edit-message", N_("edit the message text") },
	[A_ATTACH_FILE] = { "attach-file", N_("attach a file") },
	[A_DETACH] = { "detach-file", N_("remove the attachment") },
	[A_SEND] = { "send-message", N_("send the message") },
	[A_POSTPONE] = { "postpone-message", N_("save the message to "
	    "Drafts") },
	[A_ABORT] = { "abort", N_("abandon the message") },
	[A_VIEW] = { "view-attach", N_("open the attachment with its "
	    "viewer") },
	[A_SAVE_ATTACH] = { "save-entry", N_("save the attachment to a "
	    "file") },
	[A_VIEW_TEXT] = { "view-text", N_("show the attachment as text") },
	[A_VIEW_MAILCAP] = { "view-mailcap", N_("show the attachment with "
	    "its mailcap entry") },
	[A_OPEN_ATTACH] = { "open-attach", N_("open the attachment with its "
	    "program or the system's opener") },
};

static const char *const ctx_names[UI_CTX_COUNT] = {
	"generic", "index", "pager", "compose", "attach", "browser",
};

/* Named keys accepted inside <...>; the first name is the canonical one. */
static const struct {
	const char	*name;
	int32_t		 key;
} key_names[] = {
	{ "Up", UI_KEY_UP }, { "Down", UI_KEY_DOWN },
	{ "Left", UI_KEY_LEFT }, { "Right", UI_KEY_RIGHT },
	{ "PageUp", UI_KEY_PGUP }, { "PageDown", UI_KEY_PGDN },
	{ "Home", UI_KEY_HOME }, { "End", UI_KEY_END },
	{ "Insert", UI_KEY_INSERT }, { "Delete", UI_KEY_DELETE },
	{ "Backspace", UI_KEY_BACKSPACE }, { "BackTab", UI_KEY_BTAB },
	{ "KeypadEnter", UI_KEY_ENTER },
	{ "Enter", '\r' }, { "Return", '\r' },
	{ "Tab", '\t' }, { "Space", ' ' }, { "Esc", UI_KEY_ESC },
	{ "Escape", UI_KEY_ESC },
	{ "Lt", '<' },
};

/* mutt's defaults, extended where mutt has no key for something we do. */
static const struct {
	enum ui_ctx	ctx;
	const char	*key;
	enum ui_action	action;
} defaults[] = {
	{ UI_CTX_GENERIC, "<Down>", A_NEXT },
	{ UI_CTX_GENERIC, "<Up>", A_PREV },
	{ UI_CTX_GENERIC, "j", A_NEXT },
	{ UI_CTX_GENERIC, "k", A_PREV },
	{ UI_CTX_GENERIC, "<PageDown>", A_PAGE_DOWN },
	{ UI_CTX_GENERIC, "<PageUp>", A_PAGE_UP },
	{ UI_CTX_GENERIC, ">", A_PAGE_DOWN },
	{ UI_CTX_GENERIC, "<", A_PAGE_UP },
	{ UI_CTX_GENERIC, "z", A_PAGE_DOWN },
	{ UI_CTX_GENERIC, "Z", A_PAGE_UP },
	{ UI_CTX_GENERIC, "^F", A_PAGE_DOWN },
	{ UI_CTX_GENERIC, "^B", A_PAGE_UP },
	{ UI_CTX_GENERIC, "^D", A_HALF_DOWN },
	{ UI_CTX_GENERIC, "^U", A_HALF_UP },
	{ UI_CTX_GENERIC, "<Home>", A_FIRST },
	{ UI_CTX_GENERIC, "<End>", A_LAST },
	{ UI_CTX_GENERIC, "=", A_FIRST },
	{ UI_CTX_GENERIC, "*", A_LAST },
	{ UI_CTX_GENERIC, "H", A_TOP_PAGE },
	{ UI_CTX_GENERIC, "M", A_MIDDLE_PAGE },
	{ UI_CTX_GENERIC, "L", A_BOTTOM_PAGE },
	{ UI_CTX_GENERIC, "<Enter>", A_SELECT },
	{ UI_CTX_GENERIC, "<KeypadEnter>", A_SELECT },
	{ UI_CTX_GENERIC, "^J", A_SELECT },
	{ UI_CTX_GENERIC, "q", A_EXIT },
	{ UI_CTX_GENERIC, "?", A_HELP },
	{ UI_CTX_GENERIC, "<F1>", A_HELP },
	{ UI_CTX_GENERIC, "^L", A_REDRAW },
	{ UI_CTX_GENERIC, "/", A_SEARCH },
	{ UI_CTX_GENERIC, "<Esc>/", A_SEARCH_REVERSE },
	{ UI_CTX_GENERIC, "n", A_SEARCH_NEXT },
	{ UI_CTX_GENERIC, "^Z", A_SUSPEND },
	{ UI_CTX_GENERIC, "E", A_SHOW_ERRORS },
	{ UI_CTX_GENERIC, "t", A_TAG },
	{ UI_CTX_GENERIC, ";", A_TAG_PREFIX },

	{ UI_CTX_INDEX, "<Enter>", A_DISPLAY },
	{ UI_CTX_INDEX, "<KeypadEnter>", A_DISPLAY },
	{ UI_CTX_INDEX, "^J", A_DISPLAY },
	{ UI_CTX_INDEX, "<Space>", A_DISPLAY },
	{ UI_CTX_INDEX, "<Right>", A_DISPLAY },
	{ UI_CTX_INDEX, "j", A_NEXT_UNDELETED },
	{ UI_CTX_INDEX, "k", A_PREV_UNDELETED },
	{ UI_CTX_INDEX, "J", A_NEXT },
	{ UI_CTX_INDEX, "K", A_PREV },
	{ UI_CTX_INDEX, "q", A_QUIT },
	{ UI_CTX_INDEX, "x", A_QUIT },
	{ UI_CTX_INDEX, "r", A_REPLY },
	{ UI_CTX_INDEX, "g", A_GROUP_REPLY },
	{ UI_CTX_INDEX, "L", A_LIST_REPLY },
	{ UI_CTX_INDEX, "f", A_FORWARD },
	{ UI_CTX_INDEX, "<Esc>f", A_FORWARD_ATTACH },
	{ UI_CTX_INDEX, "m", A_MAIL },
	{ UI_CTX_INDEX, "F", A_FLAG },
	{ UI_CTX_INDEX, "N", A_TOGGLE_NEW },
	{ UI_CTX_INDEX, "^R", A_READ_THREAD },
	{ UI_CTX_INDEX, "d", A_DELETE },
	{ UI_CTX_INDEX, "<Delete>", A_DELETE },
	{ UI_CTX_INDEX, "u", A_UNDO },
	{ UI_CTX_INDEX, "^D", A_DELETE_THREAD },
	{ UI_CTX_INDEX, "s", A_SAVE },
	{ UI_CTX_INDEX, "C", A_COPY },
	{ UI_CTX_INDEX, "c", A_CHANGE_FOLDER },
	{ UI_CTX_INDEX, "o", A_SORT },
	{ UI_CTX_INDEX, "O", A_SORT_REVERSE },
	{ UI_CTX_INDEX, "<Esc>t", A_TOGGLE_THREADS },
	{ UI_CTX_INDEX, "<Esc>v", A_COLLAPSE_THREAD },
	{ UI_CTX_INDEX, "<Esc>V", A_COLLAPSE_ALL },
	{ UI_CTX_INDEX, "v", A_VIEW_ATTACH },
	{ UI_CTX_INDEX, "$", A_SYNC },
	{ UI_CTX_INDEX, "R", A_RECALL },
	{ UI_CTX_INDEX, "<Tab>", A_NEXT_UNREAD },
	{ UI_CTX_INDEX, "<BackTab>", A_PREV_UNREAD },
	{ UI_CTX_INDEX, "^N", A_NEXT_THREAD },
	{ UI_CTX_INDEX, "^P", A_PREV_THREAD },
	{ UI_CTX_INDEX, "T", A_TAG_THREAD },
	{ UI_CTX_INDEX, "^T", A_UNTAG_ALL },
	{ UI_CTX_INDEX, "y", A_UNIFIED },
	{ UI_CTX_INDEX, "B", A_SIDEBAR_TOGGLE },
	{ UI_CTX_INDEX, "<Esc>j", A_SIDEBAR_NEXT },
	{ UI_CTX_INDEX, "<Esc>k", A_SIDEBAR_PREV },
	{ UI_CTX_INDEX, "<Esc>o", A_SIDEBAR_OPEN },
	{ UI_CTX_INDEX, "<Esc><Tab>", A_SIDEBAR_FOCUS },
	{ UI_CTX_INDEX, "`", A_SIDEBAR_FOCUS },

	{ UI_CTX_PAGER, "<Enter>", A_NEXT_LINE },
	{ UI_CTX_PAGER, "<KeypadEnter>", A_NEXT_LINE },
	{ UI_CTX_PAGER, "^J", A_NEXT_LINE },
	{ UI_CTX_PAGER, "<Down>", A_NEXT_LINE },
	{ UI_CTX_PAGER, "<Up>", A_PREV_LINE },
	{ UI_CTX_PAGER, "<Backspace>", A_PREV_LINE },
	{ UI_CTX_PAGER, "<Space>", A_PAGE_DOWN },
	{ UI_CTX_PAGER, "-", A_PAGE_UP },
	{ UI_CTX_PAGER, "^", A_FIRST },
	{ UI_CTX_PAGER, "$", A_LAST },
	{ UI_CTX_PAGER, "j", A_NEXT_UNDELETED },
	{ UI_CTX_PAGER, "k", A_PREV_UNDELETED },
	{ UI_CTX_PAGER, "J", A_NEXT },
	{ UI_CTX_PAGER, "K", A_PREV },
	{ UI_CTX_PAGER, "q", A_EXIT },
	{ UI_CTX_PAGER, "i", A_EXIT },
	{ UI_CTX_PAGER, "x", A_EXIT },
	{ UI_CTX_PAGER, "<Left>", A_EXIT },
	{ UI_CTX_PAGER, "h", A_TOGGLE_HEADERS },
	{ UI_CTX_PAGER, "T", A_TOGGLE_QUOTED },
	{ UI_CTX_PAGER, "S", A_SKIP_QUOTED },
	{ UI_CTX_PAGER, "r", A_REPLY },
	{ UI_CTX_PAGER, "g", A_GROUP_REPLY },
	{ UI_CTX_PAGER, "L", A_LIST_REPLY },
	{ UI_CTX_PAGER, "f", A_FORWARD },
	{ UI_CTX_PAGER, "<Esc>f", A_FORWARD_ATTACH },
	{ UI_CTX_PAGER, "m", A_MAIL },
	{ UI_CTX_PAGER, "F", A_FLAG },
	{ UI_CTX_PAGER, "N", A_TOGGLE_NEW },
	{ UI_CTX_PAGER, "d", A_DELETE },
	{ UI_CTX_PAGER, "u", A_UNDO },
	{ UI_CTX_PAGER, "s", A_SAVE },
	{ UI_CTX_PAGER, "C", A_COPY },
	{ UI_CTX_PAGER, "v", A_VIEW_ATTACH },
	{ UI_CTX_PAGER, "<Tab>", A_NEXT_URL },
	{ UI_CTX_PAGER, "o", A_OPEN_URL },
	{ UI_CTX_PAGER, "t", A_NONE },

	{ UI_CTX_COMPOSE, "t", A_EDIT_TO },
	{ UI_CTX_COMPOSE, "c", A_EDIT_CC },
	{ UI_CTX_COMPOSE, "b", A_EDIT_BCC },
	{ UI_CTX_COMPOSE, "s", A_EDIT_SUBJECT },
	{ UI_CTX_COMPOSE, "<Esc>f", A_EDIT_FROM },
	{ UI_CTX_COMPOSE, "e", A_EDIT_BODY },
	{ UI_CTX_COMPOSE, "a", A_ATTACH_FILE },
	{ UI_CTX_COMPOSE, "D", A_DETACH },
	{ UI_CTX_COMPOSE, "y", A_SEND },
	{ UI_CTX_COMPOSE, "P", A_POSTPONE },
	{ UI_CTX_COMPOSE, "q", A_ABORT },
	{ UI_CTX_COMPOSE, "t", A_EDIT_TO },

	{ UI_CTX_ATTACH, "<Enter>", A_VIEW },
	{ UI_CTX_ATTACH, "^J", A_VIEW },
	{ UI_CTX_ATTACH, "m", A_VIEW_MAILCAP },
	{ UI_CTX_ATTACH, "o", A_OPEN_ATTACH },
	{ UI_CTX_ATTACH, "s", A_SAVE_ATTACH },
	{ UI_CTX_ATTACH, "T", A_VIEW_TEXT },

	{ UI_CTX_BROWSER, "<Enter>", A_SELECT },
	{ UI_CTX_BROWSER, "<Space>", A_SELECT },
	{ UI_CTX_BROWSER, "<Right>", A_SELECT },
	{ UI_CTX_BROWSER, "y", A_UNIFIED },
	{ UI_CTX_BROWSER, "B", A_SIDEBAR_TOGGLE },
	{ UI_CTX_BROWSER, "<Esc><Tab>", A_SIDEBAR_FOCUS },
	{ UI_CTX_BROWSER, "`", A_SIDEBAR_FOCUS },
	{ UI_CTX_BROWSER, "<Left>", A_SIDEBAR_FOCUS },
	{ UI_CTX_BROWSER, "q", A_QUIT },
	{ UI_CTX_BROWSER, "m", A_MAIL },
};

static int
binding_cmp(const void *a, const void *b)
{
	const struct binding	*x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static struct binding *
keymap_find(const struct keymap *km, enum ui_ctx ctx, int32_t key)
{
	struct binding	k = { key, A_NONE };

	if (km->n[ctx] == 0)
		return NULL;
	return bsearch(&k, km->b[ctx], km->n[ctx], sizeof k, binding_cmp);
}

/*
 * An explicit A_NONE stays in the table: it hides the generic binding
 * (so "bind pager t noop" stops t from tagging inside the pager).
 */
void
keymap_set(struct keymap *km, enum ui_ctx ctx, int32_t key, enum ui_action a)
{
	struct binding	*b;
	size_t		 i;

	if ((b = keymap_find(km, ctx, key)) != NULL) {
		b->action = a;
		return;
	}
	if (km->n[ctx] == km->cap[ctx]) {
		km->cap[ctx] = km->cap[ctx] ? km->cap[ctx] * 2 : 32;
		km->b[ctx] = xreallocarray(km->b[ctx], km->cap[ctx],
		    sizeof *km->b[ctx]);
	}
	for (i = km->n[ctx]; i > 0 && km->b[ctx][i - 1].key > key; i--)
		km->b[ctx][i] = km->b[ctx][i - 1];
	km->b[ctx][i].key = key;
	km->b[ctx][i].action = a;
	km->n[ctx]++;
}

struct keymap *
keymap_new(void)
{
	struct keymap	*km;
	size_t		 i;
	int32_t		 key;

	km = xcalloc(1, sizeof *km);
	for (i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		if (keymap_parse_key(defaults[i].key, &key) == 0)
			keymap_set(km, defaults[i].ctx, key,
			    defaults[i].action);
	}
	return km;
}

void
keymap_free(struct keymap **kmp)
{
	struct keymap	*km = *kmp;
	int		 i;

	if (km == NULL)
		return;
	for (i = 0; i < UI_CTX_COUNT; i++)
		free(km->b[i]);
	free(km);
	*kmp = NULL;
}

enum ui_action
keymap_lookup(const struct keymap *km, enum ui_ctx ctx, int32_t key)
{
	const struct binding	*b;

	if ((b = keymap_find(km, ctx, key)) != NULL)
		return b->action;
	if (ctx != UI_CTX_GENERIC &&
	    (b = keymap_find(km, UI_CTX_GENERIC, key)) != NULL)
		return b->action;
	return A_NONE;
}

static int
named_key(const char *s, size_t len, int32_t *key_r)
{
	size_t		i;
	uint32_t	n;
	char		num[8];

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (strlen(key_names[i].name) == len &&
		    strncasecmp(key_names[i].name, s, len) == 0) {
			*key_r = key_names[i].key;
			return 0;
		}
	}
	if (len >= 2 && len <= 3 && (s[0] == 'F' || s[0] == 'f')) {
		memcpy(num, s + 1, len - 1);
		num[len - 1] = '\0';
		if (str_to_u32(num, &n) == 0 && n >= 1 && n <= 63) {
			*key_r = UI_KEY_F0 + (int32_t)n;
			return 0;
		}
	}
	return -1;
}

/* One key without the meta prefix; returns bytes used or 0. */
static size_t
parse_one(const char *s, int32_t *key_r)
{
	const char	*end;
	size_t		 len = strlen(s), n;
	uint32_t	 cp;

	if (len == 0)
		return 0;
	if (s[0] == '<' && (end = strchr(s, '>')) != NULL && end > s + 1) {
		if (named_key(s + 1, (size_t)(end - s - 1), key_r) == 0)
			return (size_t)(end - s) + 1;
	}
	if ((s[0] == '^' && len >= 2) ||
	    ((s[0] == '\\') && len >= 3 && (s[1] == 'C' || s[1] == 'c'))) {
		char c = s[0] == '^' ? s[1] : s[2];

		if (c == '?') {
			*key_r = UI_KEY_BACKSPACE;
			return s[0] == '^' ? 2 : 3;
		}
		if ((c >= '@' && c <= '_') || (c >= 'a' && c <= 'z')) {
			*key_r = UI_KEY_CTRL(c);
			return s[0] == '^' ? 2 : 3;
		}
		return 0;
	}
	if (len >= 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-' &&
	    ((s[2] >= 'a' && s[2] <= 'z') || (s[2] >= 'A' && s[2] <= 'Z'))) {
		*key_r = UI_KEY_CTRL(s[2]);
		return 3;
	}
	if (s[0] == '\\' && len >= 2) {
		switch (s[1]) {
		case 'n': case 'r': *key_r = '\r'; return 2;
		case 't': *key_r = '\t'; return 2;
		case 'e': *key_r = UI_KEY_ESC; return 2;
		case '\\': *key_r = '\\'; return 2;
		}
	}
	n = utf8_decode(s, len, &cp);
	if (cp == UTF8_REPLACEMENT && n == 1 && (unsigned char)s[0] >= 0x80)
		return 0;
	*key_r = (int32_t)cp;
	return n;
}

int
keymap_parse_key(const char *spec, int32_t *key_r)
{
	int32_t	key;
	size_t	n;
	int	meta = 0;

	if (spec == NULL || *spec == '\0')
		return -1;
	if ((spec[0] == 'M' || spec[0] == 'm' || spec[0] == 'A' ||
	    spec[0] == 'a') && spec[1] == '-' && spec[2] != '\0') {
		meta = 1;
		spec += 2;
	} else if ((n = parse_one(spec, &key)) != 0 && key == UI_KEY_ESC &&
	    spec[n] != '\0') {
		meta = 1;
		spec += n;
	}
	if ((n = parse_one(spec, &key)) == 0 || spec[n] != '\0')
		return -1;
	if (key == '\n')
		key = UI_KEY_CTRL('J');
	*key_r = meta ? (key | UI_KEY_META) : key;
	return 0;
}

void
keymap_key_name(struct buf *out, int32_t key)
{
	size_t	i;
	int32_t	k = key & ~UI_KEY_META;

	if (key & UI_KEY_META)
		buf_adds(out, "<Esc>");
	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		/* Prefer the printable form for '<', space-free names. */
		if (key_names[i].key == k && k != '<') {
			buf_addf(out, "<%s>", key_names[i].name);
			return;
		}
	}
	if (k >= UI_KEY_F0 + 1 && k < UI_KEY_MAX) {
		buf_addf(out, "<F%d>", (int)(k - UI_KEY_F0));
		return;
	}
	if (k == 0x7f) {
		buf_adds(out, "^?");
		return;
	}
	if (k >= 0 && k < 0x20) {
		buf_addf(out, "^%c", (char)(k + '@'));
		return;
	}
	if (k >= 0 && k < 0x110000) {
		utf8_encode(out, (uint32_t)k);
		return;
	}
	buf_adds(out, "<?>");
}

const char *
keymap_action_name(enum ui_action a)
{
	if ((unsigned)a >= A_ACTION_COUNT || actions[a].name == NULL)
		return "noop";
	return actions[a].name;
}

const char *
keymap_action_help(enum ui_action a)
{
	if ((unsigned)a >= A_ACTION_COUNT || actions[a].help == NULL)
		return "";
	return actions[a].help;
}

int
keymap_action_parse(const char *s, enum ui_action *a_r)
{
	int	i;

	if (*s == '<') {	/* mutt writes functions as <name> */
		size_t len = strlen(s);

		if (len > 2 && s[len - 1] == '>') {
			char	tmp[64];

			if (len - 2 >= sizeof tmp)
				return -1;
			memcpy(tmp, s + 1, len - 2);
			tmp[len - 2] = '\0';
			return keymap_action_parse(tmp, a_r);
		}
	}
	for (i = 0; i < A_ACTION_COUNT; i++) {
		if (actions[i].name != NULL && strcmp(actions[i].name, s) == 0) {
			*a_r = (enum ui_action)i;
			return 0;
		}
	}
	return -1;
}

const char *
keymap_ctx_name(enum ui_ctx c)
{
	return (unsigned)c < UI_CTX_COUNT ? ctx_names[c] : "?";
}

int
keymap_ctx_parse(const char *s, enum ui_ctx *c_r)
{
	int	i;

	for (i = 0; i < UI_CTX_COUNT; i++) {
		if (strcmp(ctx_names[i], s) == 0) {
			*c_r = (enum ui_ctx)i;
			return 0;
		}
	}
	return -1;
}

int
keymap_bind(struct keymap *km, const char *ctxs, const char *keyspec,
    const char *action, struct err *err)
{
	enum ui_ctx	 list[UI_CTX_COUNT];
	enum ui_action	 a;
	int32_t		 key;
	size_t		 n = 0, i;
	char		*copy, *p, *tok;

	if (keymap_parse_key(keyspec, &key) == -1) {
		err_set(err, ERR_CONFIG, _("unknown key '%s'"), keyspec);
		return -1;
	}
	if (keymap_action_parse(action, &a) == -1) {
		err_set(err, ERR_CONFIG, _("unknown function '%s'"), action);
		return -1;
	}
	copy = p = xstrdup(ctxs);
	while ((tok = strsep(&p, ",")) != NULL) {
		tok = str_trim(tok);
		if (n == UI_CTX_COUNT ||
		    keymap_ctx_parse(tok, &list[n]) == -1) {
			err_set(err, ERR_CONFIG, _("unknown menu '%s'"), tok);
			free(copy);
			return -1;
		}
		n++;
	}
	free(copy);
	for (i = 0; i < n; i++)
		keymap_set(km, list[i], key, a);
	return 0;
}

int
keymap_bind_line(struct keymap *km, const char *line, struct err *err)
{
	char	*copy, *p, *f[3];
	int	 n = 0, rc;

	copy = p = xstrdup(line);
	while (n < 3) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		f[n++] = p;
		/* The action takes the rest, trailing space trimmed. */
		if (n == 3) {
			str_trim(p);
			break;
		}
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	if (n != 3 || strpbrk(f[2], " \t") != NULL) {
		err_set(err, ERR_CONFIG, _("expected 'MENU KEY FUNCTION': %s"),
		    line);
		free(copy);
		return -1;
	}
	rc = keymap_bind(km, f[0], f[1], f[2], err);
	free(copy);
	return rc;
}

void
keymap_each(const struct keymap *km, enum ui_ctx ctx,
    int (*fn)(void *, int32_t, enum ui_action), void *arg)
{
	size_t	i;

	for (i = 0; i < km->n[ctx]; i++) {
		if (fn(arg, km->b[ctx][i].key, km->b[ctx][i].action) != 0)
			return;
	}
}

void
keymap_keys_for(const struct keymap *km, enum ui_ctx ctx, enum ui_action a,
    struct buf *out)
{
	size_t		i;
	int		c, first = 1;
	enum ui_ctx	order[2] = { ctx, UI_CTX_GENERIC };

	for (c = 0; c < (ctx == UI_CTX_GENERIC ? 1 : 2); c++) {
		for (i = 0; i < km->n[order[c]]; i++) {
			const struct binding *b = &km->b[order[c]][i];

			if (b->action != a)
				continue;
			/* A generic key shadowed in ctx does not count. */
			if (c == 1 && keymap_find(km, ctx, b->key) != NULL)
				continue;
			if (!first)
				buf_adds(out, ", ");
			keymap_key_name(out, b->key);
			first = 0;
		}
	}
}
