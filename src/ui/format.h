/*
 * Text the screens show, computed without a terminal: sizes ("4.2K",
 * "2.1 GB"), dates, columns fitted to a width with wide characters kept
 * whole, index lines from a mutt-like format, and the status line.
 * Message text is sanitized here before it is measured.
 */
#ifndef SURAT_UI_FORMAT_H
#define SURAT_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct store_row;

/*
 * Append s fitted to cols columns: cut before a character that would
 * pass the edge, padded with spaces when pad; right aligns instead.
 * Returns the columns appended.
 */
#define UI_FIT_PAD	0x1
#define UI_FIT_RIGHT	0x2
size_t	 ui_fit(struct buf *, const char *, size_t, size_t, int);

/* Index sizes: "512", "4.2K", "13K", "1.2M", "3G". */
void	 ui_fmt_size_short(struct buf *, int64_t);
/* Quota sizes: "512 B", "4.2 KB", "2.1 GB", "15 GB" (1024-based). */
void	 ui_fmt_size_long(struct buf *, int64_t);
/* "2.1 GB of 15 GB"; limit < 0: only "2.1 GB used"; used < 0: nothing. */
void	 ui_fmt_quota(struct buf *, int64_t, int64_t);
/* Index dates relative to now: "14:05" today, "Mar 04" this year,
 * "Mar 2023" before (8 columns at most); local time. */
void	 ui_fmt_date(struct buf *, int64_t, int64_t);

/* One index entry and what the index knows about it. */
struct ui_entry {
	const struct store_row	*row;
	const char		*tree;		/* thread arrows, or "" */
	bool			 tagged;
	size_t			 hidden;	/* collapsed replies under it */
	bool			 from_me;	/* show the recipient instead */
	int64_t			 now;		/* for relative dates */
};

/*
 * The default index format, mutt-like.  Conversions: %Z status marks
 * (tagged '*', 'D' deleted / 'N' unread / 'r' replied, 'F' flagged, '@'
 * attachment), %d date, %D full date, %F sender (or "To recipient" for
 * own mail), %a sender address, %t recipients, %s subject with the
 * thread tree and the count of a collapsed thread, %c size, %> the rest
 * goes to the right edge, %% a percent sign.  Width: %-20.20F.
 */
#define UI_INDEX_FORMAT "%Z %-8.8d %-20.20F %s%> %c"
/* The default on a narrow index, so the subject keeps some room. */
#define UI_INDEX_FORMAT_NARROW "%Z %-10.10F %s"
#define UI_INDEX_NARROW	64	/* columns */

/* Append exactly cols columns for the entry. */
void	 ui_format_index(struct buf *, const char *, const struct ui_entry *,
	    size_t);

/*
 * Thread arrows for a row at depth with, per level 1..depth, whether a
 * later sibling at that level follows (more[0] is level 1).  Appended.
 */
void	 ui_format_tree(struct buf *, int, const bool *, bool);

/* Turn one untrusted string into one safe line (appended). */
void	 ui_clean(struct buf *, const char *);

#endif
