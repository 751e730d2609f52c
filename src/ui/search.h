/*
 * What the user types at the search prompt, turned into a store query:
 * plain words and "quoted phrases" search everywhere; from:, to:,
 * subject: limit a word to a field; is:unread, is:flagged, has:attachment
 * filter; after:/before: take YYYY-MM-DD; in:all searches every folder.
 */
#ifndef SURAT_UI_SEARCH_H
#define SURAT_UI_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

struct store_query;

struct ui_query {
	char	*text;		/* the free words, or NULL */
	char	*from;
	char	*to;
	char	*subject;
	bool	 unread;
	bool	 flagged;
	bool	 attachment;
	bool	 all_folders;
	int64_t	 after;		/* local midnight of the day, 0: none */
	int64_t	 before;
};

void	 ui_query_parse(const char *, struct ui_query *);
/* Point q's fields at uq's (uq must outlive q). */
void	 ui_query_fill(const struct ui_query *, struct store_query *);
void	 ui_query_free(struct ui_query *);

#endif
