noinst_LIBRARIES += src/sync/libsync.a
src_sync_libsync_a_SOURCES = src/sync/check.c src/sync/check.h src/sync/sync.h src/sync/sync-int.h \
	src/sync/account.c \
	src/sync/dispatch.c \
	src/sync/fetch.c \
	src/sync/jobs.c \
	src/sync/folder.c \
	src/sync/local.c \
	src/sync/part.c \
	src/sync/replay.c \
	src/sync/session.c \
	$(SYNC_DELIVERY_SOURCES)
src_sync_libsync_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
