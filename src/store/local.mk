noinst_LIBRARIES += src/store/libstore.a
src_store_libstore_a_SOURCES = src/store/placeholder.c src/store/store.h
src_store_libstore_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
