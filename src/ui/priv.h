/*
 * Inside the ui module: the session state shared by the screens, the
 * view stack, and the functions the screens call on each other.  Not
 * for use outside src/ui/.
 */
#ifndef SURAT_UI_PRIV_H
#define SURAT_UI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "store/store.h"
#include "ui/color.h"
#include "ui/keymap.h"
#include "ui/layout.h"

struct buf;
struct config;
struct err;
struct ui;
struct ui_jobs;
struct ui_sync_status;
struct mime_message;

/* What needs doing before the next key; handlers only set these. */
#define UI_DIRTY_SCREEN		0x01	/* repaint from memory */
#define UI_DIRTY_ROWS		0x02	/* reload the visible index rows */
#define UI_DIRTY_FOLDERS	0x04	/* reload the folder list, counts */
#define UI_DIRTY_LAYOUT		0x08	/* recompute where things go */
#define UI_DIRTY_PAGER		0x10	/* re-read the open message */
#define UI_DIRTY_ALL		0x1f

/* A set of ids (tags, collapsed threads): memory grows with its size. */
struct ui_idset {
	int64_t	*v;
	size_t	 n, cap;	/* open addressing; 0 is never an id */
	size_t	 live;		/* ids in the set */
};

bool	 ui_idset_has(const struct ui_idset *, int64_t);
void	 ui_idset_add(struct ui_idset *, int64_t);
void	 ui_idset_del(struct ui_idset *, int64_t);
void	 ui_idset_clear(struct ui_idset *);
/* Ids in unspecified order, allocated; *n_r gets the count. */
int64_t	*ui_idset_list(const struct ui_idset *, size_t *);

struct ui_view {
	enum ui_ctx	 ctx;
	const char	*title;
	/* Draw the main area (everything but the status and message lines). */
	void		(*draw)(struct ui *, struct ui_view *);
	/* Handle an action; false: not handled here. */
	bool		(*action)(struct ui *, struct ui_view *, enum ui_action,
			    int32_t);
	/* Something changed (store, size): refresh from the store. */
	void		(*reload)(struct ui *, struct ui_view *, unsigned);
	/* Text for the status line (appended). */
	void		(*status)(struct ui *, struct ui_view *, struct buf *);
	void		(*free)(struct ui_view *);
	struct ui_view	*below;
	bool		 full;	/* covers the folder list too */
};

struct ui_index;
struct ui_sidebar;

#define UI_NOTES_MAX	50

struct ui {
	struct store		*store;
	const struct config	*cfg;
	const struct ui_jobs	*jobs;
	const char		*label;
	struct keymap		*km;
	struct ui_color_spec	 colors[UI_C_COUNT];
	struct ui_layout_opts	 lopts;
	struct ui_layout	 layout;
	const char		*index_format;
	unsigned		 dirty;
	bool			 quit;
	uint64_t		 change_counter;

	struct ui_view		*top;		/* the view stack */
	struct ui_index		*index;		/* always at the bottom */
	struct ui_sidebar	*sidebar;
	bool			 sidebar_focus;

	/* The message line. */
	char			*msg;
	bool			 msg_error;
	int64_t			 msg_until;	/* ms; 0: until replaced */
	/* Recent messages and errors in full, for show-errors. */
	char			*notes[UI_NOTES_MAX];
	size_t			 nnotes;

	/* An open prompt draws itself on the message line. */
	const char		*prompt_q;
	const char		*prompt_text;
	size_t			 prompt_cursor;	/* byte offset */
	/* A view that edits text shows the cursor here (set in draw). */
	bool			 cursor_on;
	int			 cursor_y, cursor_x;

	struct ui_idset		 tags;
	bool			 tag_prefix;	/* ';' pressed */

	/* Undo of the last delete or move. */
	struct ui_undo		*undo;
	/* Replay of pending operations, delayed so undo can catch it. */
	int64_t			 replay_at;	/* ms; 0: nothing waiting */

	/* Cached for the status line; refreshed with the folder list. */
	size_t			 outbox_queued;
	size_t			 ops_queued;
	int64_t			 quota_used, quota_limit;
	struct ui_sync_status	*sync;
	char			*sync_error;	/* the last one shown */

	char			*tmpdir;	/* private, made on demand */
	struct ui_viewer	*viewers;	/* running in the background */
	bool			 mouse;		/* clicks and the wheel on */
	char			*last_folder;	/* for save/copy prompts */
	char			*last_search;
	uint64_t		 search_seq;	/* names server searches */
};

/* ---- loop.c ---- */
int64_t	 ui_now_ms(void);
/* Next key, drawing and handling events while waiting. */
int32_t	 ui_getkey(struct ui *);
void	 ui_draw(struct ui *);
void	 ui_push(struct ui *, struct ui_view *);
/* Pop and free the top view (never the index). */
void	 ui_pop(struct ui *);
void	 ui_dirty(struct ui *, unsigned);
/* The key context of what has the focus. */
enum ui_ctx ui_focus_ctx(struct ui *);
/* Run one action as the focused view would. */
void	 ui_dispatch(struct ui *, enum ui_action, int32_t);
void	 ui_message(struct ui *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 ui_error(struct ui *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 ui_error_err(struct ui *, const struct err *);
/* The private temporary directory (0700), made on first use. */
const char *ui_tmpdir(struct ui *, struct err *);
/* Send what the outbox holds now, retry delays or not. */
void	 ui_send_queued(struct ui *);
/* Ask the sync engine to replay pending operations (soon or now). */
void	 ui_replay(struct ui *, bool);
/* The config's html converter etc., with safe fallbacks. */
const char *ui_editor(const struct ui *);

/* ---- prompt.c ---- */
/* Completion: append candidates for prefix to the list. */
typedef void (*ui_complete_fn)(struct ui *, const char *, char ***, size_t *,
	    void *);
/*
 * Ask for a line on the message line.  0 with an allocated answer, -1
 * when cancelled (^G, Esc, ^C).  Tab completes with fn (may be NULL).
 */
int	 ui_prompt(struct ui *, const char *, const char *, ui_complete_fn,
	    void *, char **);
/* One key from choices ("yn"); returns it, or 0 when cancelled. */
int	 ui_choice(struct ui *, const char *, const char *);
bool	 ui_yesno(struct ui *, const char *, bool);
/* Completion sources. */
void	 ui_complete_folder(struct ui *, const char *, char ***, size_t *,
	    void *);
void	 ui_complete_address(struct ui *, const char *, char ***, size_t *,
	    void *);
/* Where the token being completed starts (list: after the last ','). */
size_t	 ui_token_start(const char *, size_t, bool);
/* Bytes the candidates share at their start, whole characters only. */
size_t	 ui_common_prefix(char *const *, size_t);

/* ---- index.c ---- */
struct ui_index *ui_index_new(struct ui *);
struct ui_view	*ui_index_view(struct ui *);
void	 ui_index_open_folder(struct ui *, int64_t);
void	 ui_index_open_when_ready(struct ui *);
void	 ui_index_open_search(struct ui *, const char *, int64_t *, size_t);
/* The sync engine may have answered a server search: take it. */
void	 ui_index_search_done(struct ui *);
void	 ui_index_draw_rows(struct ui *, const struct ui_rect *, bool);
/* The selected message id (0: none). */
int64_t	 ui_index_current(struct ui *);
/* A click on the row'th visible row: select it; open: and show it. */
void	 ui_index_click(struct ui *, int, bool);
/* Move the selection (next/previous message); false at the end. */
bool	 ui_index_step(struct ui *, int, bool);
int64_t	 ui_index_folder(const struct ui *);
/* The ids an action applies to: tagged ones after ';', else current. */
int64_t	*ui_index_targets(struct ui *, size_t *);
void	 ui_index_status(struct ui *, struct buf *);

/* ---- sidebar.c ---- */
struct ui_sidebar *ui_sidebar_new(void);
void	 ui_sidebar_free(struct ui_sidebar **);
void	 ui_sidebar_reload(struct ui *);
void	 ui_sidebar_draw(struct ui *, const struct ui_rect *);
bool	 ui_sidebar_action(struct ui *, enum ui_action);
/* A click on the row'th visible line: open that folder. */
void	 ui_sidebar_click(struct ui *, int);
/* Name of a folder for display: "account/Folder" (allocated). */
char	*ui_folder_label(struct ui *, int64_t);
/* Find a folder by "account/name" or "name" (current account first). */
int	 ui_folder_lookup(struct ui *, const char *, int64_t *);
bool	 ui_sidebar_has_folders(struct ui *);
void	 ui_sidebar_totals(struct ui *, int64_t, int64_t *, int64_t *);

/* ---- mouse.c ---- */
/* Handle the event behind UI_KEY_MOUSE. */
void	 ui_mouse(struct ui *);

/* ---- pager.c ---- */
void	 ui_pager_open(struct ui *, int64_t);
/* A read-only text view (help, errors, viewer output). */
void	 ui_text_open(struct ui *, const char *, const char *, size_t);

/* ---- actions.c ---- */
struct ui_undo;
void	 ui_undo_free(struct ui_undo **);
int	 ui_act_flags(struct ui *, const int64_t *, size_t, unsigned, unsigned);
int	 ui_act_toggle(struct ui *, const int64_t *, size_t, unsigned);
int	 ui_act_move(struct ui *, const int64_t *, size_t, int64_t, bool);
int	 ui_act_delete(struct ui *, const int64_t *, size_t);
int	 ui_act_undo(struct ui *);
/* Prompt for a folder and move or copy the targets there. */
void	 ui_act_save(struct ui *, bool);
/* Mark a message read as the pager opens it. */
void	 ui_act_seen(struct ui *, int64_t);

/* ---- help.c ---- */
void	 ui_help_open(struct ui *, enum ui_ctx);
void	 ui_notes_open(struct ui *);

/* ---- attach.c ---- */
/* A viewer started in the background, and its file to remove after. */
struct ui_viewer {
	pid_t			 pid;
	char			*path;	/* NULL: kept until surat quits */
	char			*what;	/* for the message when it fails */
	struct ui_viewer	*next;
};

void	 ui_attach_open(struct ui *, int64_t);
/* A click on screen line y of the list: select; open: and view it. */
void	 ui_attach_click(struct ui *, int, bool);
/* Reap viewers that ended (their files go); from the main loop. */
void	 ui_attach_reap(struct ui *);
/* Forget the viewers at exit (the private directory goes anyway). */
void	 ui_attach_forget(struct ui *);

/* ---- compose.c ---- */
enum ui_compose_kind {
	UI_COMPOSE_NEW = 0,
	UI_COMPOSE_REPLY,
	UI_COMPOSE_GROUP_REPLY,
	UI_COMPOSE_LIST_REPLY,
	UI_COMPOSE_FORWARD,
	UI_COMPOSE_FORWARD_ATTACH,
	UI_COMPOSE_RECALL,
};
void	 ui_compose_start(struct ui *, enum ui_compose_kind, int64_t);

/* ---- editor.c ---- */
/* Edit text in place with the built-in editor; false when aborted. */
bool	 ui_editor_run(struct ui *, struct buf *);
/* In $VISUAL/$EDITOR when set, else the built-in one. */
bool	 ui_edit_text(struct ui *, struct buf *);

/* ---- message helpers (msg.c) ---- */
/* Load and parse a message; NULL with err (ERR_NOTFOUND: no body yet). */
struct mime_message *ui_msg_load(struct ui *, int64_t, struct err *);
/* The store account id of a message's folder (0 unknown). */
int64_t	 ui_msg_account(struct ui *, int64_t);

/* msg.c: a message as far as it is here (store_message_view). */
struct store_view;
struct mime_render;
const char *ui_msg_prefer(struct ui *);
/* Like ui_msg_load, also when only some parts are here; v is filled
 * (store_view_clear() it) when a message is returned. */
struct mime_message *ui_msg_load_view(struct ui *, int64_t,
	    struct store_view *, struct err *);
/* The raw message, or every one of its parts, is here. */
bool	 ui_msg_complete(struct ui *, int64_t);
/* Lines and sizes of parts not here say so (mime_structure_mark_missing). */
void	 ui_msg_mark_missing(const struct store_view *, struct mime_render *);
bool	 ui_msg_part_missing(const struct store_view *, const char *);

#endif
