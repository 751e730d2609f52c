/* Colour roles, defaults, parsing and reduction to the terminal's palette. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/color.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/str.h"
#include "util/xmalloc.h"

static const char *const role_names[UI_C_COUNT] = {
	"normal", "indicator", "status", "help", "message", "error", "tree",
	"index_new", "index_flagged", "index_deleted", "index_tagged",
	"header_name", "header", "quote1", "quote2", "quote3", "quote4",
	"signature", "url", "url_selected", "attachment", "search", "sidebar",
	"sidebar_new", "sidebar_current", "sidebar_highlight", "divider",
	"markers", "prompt",
};

static const char *const basic_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

#define D UI_COLOR_DEFAULT

/*
 * Defaults lean on attributes, and on colours that read on both light
 * and dark backgrounds (no yellow or white text, no fixed background
 * except where reverse video does the work).
 */
void
ui_color_defaults(struct ui_color_spec s[UI_C_COUNT])
{
	static const struct ui_color_spec def[UI_C_COUNT] = {
		[UI_C_NORMAL] = { D, D, 0 },
		[UI_C_INDICATOR] = { D, D, UI_A_REVERSE },
		[UI_C_STATUS] = { D, D, UI_A_REVERSE },
		[UI_C_HELP] = { D, D, UI_A_REVERSE },
		[UI_C_MESSAGE] = { D, D, 0 },
		[UI_C_ERROR] = { 1, D, UI_A_BOLD },
		[UI_C_TREE] = { 5, D, 0 },
		[UI_C_INDEX_NEW] = { D, D, UI_A_BOLD },
		[UI_C_INDEX_FLAGGED] = { 1, D, UI_A_BOLD },
		[UI_C_INDEX_DELETED] = { D, D, UI_A_DIM },
		[UI_C_INDEX_TAGGED] = { 4, D, UI_A_BOLD },
		[UI_C_HEADER_NAME] = { D, D, UI_A_BOLD },
		[UI_C_HEADER] = { D, D, 0 },
		[UI_C_QUOTE1] = { 2, D, 0 },
		[UI_C_QUOTE2] = { 6, D, 0 },
		[UI_C_QUOTE3] = { 5, D, 0 },
		[UI_C_QUOTE4] = { 4, D, 0 },
		[UI_C_SIGNATURE] = { D, D, UI_A_DIM },
		[UI_C_URL] = { 4, D, UI_A_UNDERLINE },
		[UI_C_URL_SELECTED] = { D, D, UI_A_REVERSE | UI_A_UNDERLINE },
		[UI_C_ATTACHMENT] = { 5, D, UI_A_BOLD },
		[UI_C_SEARCH] = { D, D, UI_A_REVERSE | UI_A_BOLD },
		[UI_C_SIDEBAR] = { D, D, 0 },
		[UI_C_SIDEBAR_NEW] = { D, D, UI_A_BOLD },
		[UI_C_SIDEBAR_CURRENT] = { 2, D, UI_A_BOLD },
		[UI_C_SIDEBAR_HIGHLIGHT] = { D, D, UI_A_REVERSE },
		[UI_C_DIVIDER] = { D, D, UI_A_DIM },
		[UI_C_MARKERS] = { 6, D, 0 },
		[UI_C_PROMPT] = { D, D, UI_A_BOLD },
	};

	memcpy(s, def, sizeof def);
}

int
ui_color_role_parse(const char *s, enum ui_role *r_r)
{
	int	i;

	for (i = 0; i < UI_C_COUNT; i++) {
		if (strcasecmp(role_names[i], s) == 0) {
			*r_r = (enum ui_role)i;
			return 0;
		}
	}
	return -1;
}

const char *
ui_color_role_name(enum ui_role r)
{
	return (unsigned)r < UI_C_COUNT ? role_names[r] : "?";
}

static int
parse_attr(const char *w, unsigned *attrs)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} names[] = {
		{ "bold", UI_A_BOLD }, { "underline", UI_A_UNDERLINE },
		{ "reverse", UI_A_REVERSE }, { "dim", UI_A_DIM },
		{ "italic", UI_A_ITALIC }, { "blink", UI_A_BLINK },
		{ "standout", UI_A_STANDOUT },
	};
	size_t	i;

	if (strcasecmp(w, "none") == 0 || strcasecmp(w, "normal") == 0) {
		*attrs = 0;
		return 0;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(w, names[i].name) == 0) {
			*attrs |= names[i].bit;
			return 0;
		}
	}
	return -1;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
parse_color(const char *w, int32_t *c_r)
{
	uint32_t	n;
	int		i, v;

	if (strcasecmp(w, "default") == 0) {
		*c_r = UI_COLOR_DEFAULT;
		return 0;
	}
	for (i = 0; i < 8; i++) {
		if (strcasecmp(w, basic_names[i]) == 0) {
			*c_r = i;
			return 0;
		}
		if (strncasecmp(w, "bright", 6) == 0 &&
		    strcasecmp(w + 6, basic_names[i]) == 0) {
			*c_r = i + 8;
			return 0;
		}
	}
	if (strncasecmp(w, "color", 5) == 0 && str_to_u32(w + 5, &n) == 0 &&
	    n < 256) {
		*c_r = (int32_t)n;
		return 0;
	}
	if (w[0] == '#' && strlen(w) == 7) {
		n = 0;
		for (i = 1; i < 7; i++) {
			if ((v = hexval(w[i])) < 0)
				return -1;
			n = n << 4 | (uint32_t)v;
		}
		*c_r = (int32_t)(UI_COLOR_RGB | n);
		return 0;
	}
	return -1;
}

int
ui_color_parse(const char *s, struct ui_color_spec *spec, struct err *err)
{
	struct ui_color_spec	 out = { D, D, 0 };
	char			*copy, *p, *w;
	int			 ncolors = 0;
	int32_t			 c;

	copy = p = xstrdup(s);
	while ((w = strsep(&p, " \t,")) != NULL) {
		if (*w == '\0')
			continue;
		if (parse_attr(w, &out.attrs) == 0)
			continue;
		if (ncolors < 2 && parse_color(w, &c) == 0) {
			if (ncolors++ == 0)
				out.fg = c;
			else
				out.bg = c;
			continue;
		}
		err_set(err, ERR_CONFIG, _("unknown colour or attribute '%s'"),
		    w);
		free(copy);
		return -1;
	}
	free(copy);
	*spec = out;
	return 0;
}

uint32_t
ui_color_palette_rgb(int i)
{
	static const uint32_t base[16] = {
		0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080,
		0x008080, 0xc0c0c0, 0x808080, 0xff0000, 0x00ff00, 0xffff00,
		0x0000ff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const int	steps[6] = { 0, 95, 135, 175, 215, 255 };
	int			r, g, b, v;

	if (i < 0 || i > 255)
		return 0;
	if (i < 16)
		return base[i];
	if (i >= 232) {
		v = 8 + (i - 232) * 10;
		return (uint32_t)(v << 16 | v << 8 | v);
	}
	i -= 16;
	r = steps[i / 36];
	g = steps[(i / 6) % 6];
	b = steps[i % 6];
	return (uint32_t)(r << 16 | g << 8 | b);
}

static int
nearest(uint32_t rgb, int n)
{
	int		i, best = 0;
	long		bestd = -1, d, dr, dg, db;
	uint32_t	p;

	for (i = 0; i < n; i++) {
		p = ui_color_palette_rgb(i);
		dr = (long)(rgb >> 16 & 0xff) - (long)(p >> 16 & 0xff);
		dg = (long)(rgb >> 8 & 0xff) - (long)(p >> 8 & 0xff);
		db = (long)(rgb & 0xff) - (long)(p & 0xff);
		/* Weighted: the eye sees green best, blue least. */
		d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

int32_t
ui_color_reduce(int32_t c, int ncolors)
{
	uint32_t	rgb;

	if (c == UI_COLOR_DEFAULT || ncolors < 8)
		return UI_COLOR_DEFAULT;
	if (c & UI_COLOR_RGB) {
		rgb = (uint32_t)c & 0xffffff;
		if (ncolors >= 0x1000000)
			return (int32_t)rgb;
		return nearest(rgb, ncolors >= 256 ? 256 :
		    ncolors >= 16 ? 16 : 8);
	}
	if (ncolors >= 0x1000000)
		return c < 8 ? c : (int32_t)ui_color_palette_rgb(c);
	if (c < ncolors)
		return c;
	/* Bright colours on an 8-colour terminal become the plain ones. */
	if (c < 16)
		return c - 8;
	return nearest(ui_color_palette_rgb(c), ncolors >= 16 ? 16 : 8);
}
