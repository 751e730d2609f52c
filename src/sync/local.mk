noinst_LIBRARIES += src/sync/libsync.a
src_sync_libsync_a_SOURCES = src/sync/sync.h src/sync/placeholder.c $(SYNC_DELIVERY_SOURCES)
src_sync_libsync_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
