noinst_LIBRARIES += src/store/libstore.a
src_store_libstore_a_SOURCES = \
	src/store/store.h src/store/internal.h \
	src/store/account.c \
	src/store/address.c \
	src/store/body.c \
	src/store/db.c \
	src/store/folder.c \
	src/store/fts.c \
	src/store/lock.c \
	src/store/message.c \
	src/store/open.c \
	src/store/ops.c \
	src/store/outbox.c \
	src/store/page.c \
	src/store/pop3.c \
	src/store/schema.c \
	src/store/search.c \
	src/store/sortkey.c \
	src/store/thread.c
src_store_libstore_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
