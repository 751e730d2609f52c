noinst_LIBRARIES += src/imap/libimap.a
src_imap_libimap_a_SOURCES = src/imap/placeholder.c
src_imap_libimap_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
