/*
 * Colours: the roles the screens draw with, their defaults (attributes
 * and the eight basic colours on the terminal's own background, so they
 * read on light and dark themes alike), parsing of the config's [colors]
 * values, and reduction of #rrggbb or 256-colour values to what the
 * terminal has.  No curses here; term.c turns a spec into attributes.
 */
#ifndef SURAT_UI_COLOR_H
#define SURAT_UI_COLOR_H

#include <stdint.h>

struct err;

enum ui_role {
	UI_C_NORMAL = 0,
	UI_C_INDICATOR,		/* the selected index line */
	UI_C_STATUS,
	UI_C_HELP,		/* the key hint bar on top */
	UI_C_MESSAGE,		/* informational message line */
	UI_C_ERROR,
	UI_C_TREE,		/* thread arrows */
	UI_C_INDEX_NEW,
	UI_C_INDEX_FLAGGED,
	UI_C_INDEX_DELETED,
	UI_C_INDEX_TAGGED,
	UI_C_HEADER_NAME,
	UI_C_HEADER,		/* header values */
	UI_C_QUOTE1,
	UI_C_QUOTE2,
	UI_C_QUOTE3,
	UI_C_QUOTE4,
	UI_C_SIGNATURE,
	UI_C_URL,
	UI_C_URL_SELECTED,
	UI_C_ATTACHMENT,
	UI_C_SEARCH,		/* matches in the pager */
	UI_C_SIDEBAR,
	UI_C_SIDEBAR_NEW,	/* folders with unread mail */
	UI_C_SIDEBAR_CURRENT,	/* the open folder */
	UI_C_SIDEBAR_HIGHLIGHT,	/* the cursor in the folder list */
	UI_C_DIVIDER,
	UI_C_MARKERS,		/* '+' at the start of wrapped lines */
	UI_C_PROMPT,
	UI_C_COUNT,
};
#define UI_QUOTE_COLORS 4

/* Attributes, combined with | */
#define UI_A_BOLD	0x01
#define UI_A_UNDERLINE	0x02
#define UI_A_REVERSE	0x04
#define UI_A_DIM	0x08
#define UI_A_ITALIC	0x10
#define UI_A_BLINK	0x20
#define UI_A_STANDOUT	0x40

/* A colour value: UI_COLOR_DEFAULT, a palette index 0-255, or RGB. */
#define UI_COLOR_DEFAULT	(-1)
#define UI_COLOR_RGB		0x1000000	/* | 0xRRGGBB */

struct ui_color_spec {
	int32_t		fg;
	int32_t		bg;
	unsigned	attrs;
};

void		 ui_color_defaults(struct ui_color_spec[UI_C_COUNT]);
/* "index_new" -> UI_C_INDEX_NEW; -1 if unknown. */
int		 ui_color_role_parse(const char *, enum ui_role *);
const char	*ui_color_role_name(enum ui_role);
/*
 * "[attr...] [fg [bg]]" in any order: attributes bold, underline,
 * reverse, dim, italic, blink, standout, none; colours default, black,
 * red, green, yellow, blue, magenta, cyan, white, brightRED..., colorN,
 * #rrggbb.  The first colour is the foreground.
 */
int		 ui_color_parse(const char *, struct ui_color_spec *,
		    struct err *);
/*
 * The colour to ask the terminal for, given how many it has (curses'
 * COLORS; >= 0x1000000 means direct RGB): a palette index below ncolors,
 * or -1 (default) when there are no colours at all.
 */
int32_t		 ui_color_reduce(int32_t, int);
/* RGB of a 256-colour palette index (xterm's values). */
uint32_t	 ui_color_palette_rgb(int);

#endif
