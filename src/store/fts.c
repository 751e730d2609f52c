/*
 * Search entries of new messages, written once per transaction.
 *
 * An FTS5 table that is written inside a transaction is asked for a
 * savepoint by every later statement of it, and FTS5 answers each one by
 * writing its pending terms out as a new segment.  With the entry written
 * by an insert trigger, a header sync wrote one segment per message and
 * then merged them: a third of its time at 100,000 messages.  So inserts
 * only mark the store, and the entries of every message newer than the
 * newest entry are written in one statement: before the outermost commit,
 * and before anything reads or changes search entries.
 *
 * Message ids only grow, and an entry lives exactly as long as its
 * message, so "newer than the newest entry" is exactly the messages
 * without one, even after a rollback or a crash: nothing to lose track of.
 */
#include "config.h"

#include "store/internal.h"
#include "util/err.h"

void
fts_note_insert(struct store *s)
{
	s->fts_behind = true;
}

int
fts_flush(struct store *s, struct err *err)
{
	sqlite3_stmt	*st;

	if (!s->fts_behind)
		return 0;
	st = st_prep(s, "INSERT INTO fts (rowid, subject, sender, recipients, "
	    "body) SELECT id, coalesce(subject, ''), "
	    "coalesce(from_name, '') || ' ' || coalesce(from_addr, ''), "
	    "coalesce(to_text, '') || ' ' || coalesce(cc_text, ''), '' "
	    "FROM messages WHERE id > coalesce((SELECT rowid FROM fts "
	    "ORDER BY rowid DESC LIMIT 1), 0)", err);
	if (st == NULL || st_run(s, st, err) == -1)
		return -1;
	s->fts_behind = false;
	return 0;
}
