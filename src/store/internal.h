/*
 * What the files of src/store share: the connection, the statement cache,
 * error mapping and small binding helpers.  Not for other modules.
 */
#ifndef SURAT_STORE_INTERNAL_H
#define SURAT_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct err;
struct store_lock;

struct stmt_slot {
	char		*sql;		/* NULL: empty slot */
	uint32_t	 hash;
	sqlite3_stmt	*stmt;
};

/* How long a statement waits for another connection's write lock. */
#define STORE_BUSY_TIMEOUT_MS	10000

struct store {
	sqlite3			*db;
	struct store_lock	*lock;		/* NULL when read-only */
	char			*dir;
	char			*path;
	bool			 readonly;
	int			 depth;		/* transaction nesting */
	int			 poisoned;	/* level with half-done writes */
	struct stmt_slot	*slots;		/* open addressing on SQL text */
	size_t			 nslots;
	size_t			 nused;
	bool			 writer_open;	/* a body writer is active */
	bool			 fts_behind;	/* messages without entries */
	unsigned		 sort_indexes;	/* built: 1 << store_sort_key */
};

/* Text columns of enumerations, in enum order. */
extern const char *const store_body_state_names[];
extern const char *const store_op_type_names[];
extern const char *const store_out_state_names[];
extern const char *const store_uidl_state_names[];

/* db.c: statements */
sqlite3_stmt *st_prep(struct store *, const char *, struct err *);
void	 st_cache_clear(struct store *);
/* One step: SQLITE_ROW or SQLITE_DONE, or -1 with err set (and reset). */
int	 st_step(struct store *, sqlite3_stmt *, struct err *);
/* Step to the end and reset: 0 or -1. */
int	 st_run(struct store *, sqlite3_stmt *, struct err *);
/* Prepare, bind nothing, run: for fixed statements. */
int	 st_exec(struct store *, const char *, struct err *);
void	 st_done(sqlite3_stmt *);
int	 st_fail(struct store *, int, struct err *);
int	 st_notfound(struct err *, const char *, int64_t);
void	 bind_text(sqlite3_stmt *, int, const char *);
void	 bind_textn(sqlite3_stmt *, int, const char *, size_t);
void	 bind_blob(sqlite3_stmt *, int, const void *, size_t);
void	 bind_int64(sqlite3_stmt *, int, int64_t);
/* NULL for SQL NULL; a copy the caller frees. */
char	*col_strdup(sqlite3_stmt *, int);
char	*col_strdup_len(sqlite3_stmt *, int, size_t *);
int	 enum_parse(const char *const *, size_t, const char *);
/* Single-row single-integer queries: ERR_NOTFOUND when no row. */
int	 st_int64(struct store *, sqlite3_stmt *, int64_t *, struct err *);
/*
 * Every row of st into a new array of elements of size elem, each zeroed
 * and then filled by fill(st, element); on failure clear (if not NULL)
 * runs on those filled and nothing is returned.  The list functions of
 * the store all go through here.  st_list_free() frees such an array.
 */
int	 st_collect(struct store *, sqlite3_stmt *, size_t,
	    void (*)(sqlite3_stmt *, void *), void (*)(void *), void **,
	    size_t *, struct err *);
void	 st_list_free(void **, size_t, size_t, void (*)(void *));
/* fill for st_collect: column 0 as an int64_t. */
void	 st_fill_id(sqlite3_stmt *, void *);

/* Internal atomic sections: begin, then end with ok or not. */
int	 tx_begin(struct store *, struct err *);
int	 tx_end(struct store *, int, struct err *);
/* Per stored message: store_begin_light() and store_end_light(). */
int	 tx_writable(struct store *, struct err *);

/* fts.c: search entries of new messages, written in one go (see there) */
void	 fts_note_insert(struct store *);
int	 fts_flush(struct store *, struct err *);

/* schema.c */
int	 schema_migrate(struct store *, struct err *);
int	 schema_check_version(struct store *, struct err *);
/* Before anything writes to the file (even the journal mode). */
int	 schema_refuse_newer(struct store *, struct err *);
/* A test's SIGKILL at a named point (SURAT_TEST_CRASH_AT). */
void	 schema_crash_point(const char *);

/* thread.c: where a new message goes in the threads */
struct thread_place {
	int64_t	thread;		/* threads.id */
	int64_t	date;		/* the thread's root date */
	int	depth;
	/* Its Message-ID was mentioned by a message stored before (or
	 * cannot be looked up): only then can a reply to it be stored. */
	bool	mentioned;
};
int	 thread_assign(struct store *, const struct store_msg *, int64_t date,
	    struct thread_place *, struct err *);
/* Fix the depth of stored replies to message id, which came after them. */
int	 thread_adopt(struct store *, int64_t id, struct err *);

/* sortkey.c */
void	 sortkey_from(const char *, const char *, char *, size_t);
void	 sortkey_subject(const char *, char *, size_t);
size_t	 utf8_clip(const char *, size_t, size_t);

/* page.c: the SQL of one index page (the tests check its plan) */
struct buf;
void	 page_sql(const int64_t *folders, size_t, const struct store_sort *,
	    bool after, bool reverse, struct buf *);
void	 page_sort_index(struct store *, const struct store_sort *);

/* body.c */
int	 body_index_text(struct store *, int64_t, const char *, size_t,
	    struct err *);

/* lock.c */
int	 lock_acquire(const char *dir, const char *who, struct store_lock **,
	    bool *unclean_r, struct err *);
void	 lock_ref(struct store_lock *);
void	 lock_release(struct store_lock **);

#endif
