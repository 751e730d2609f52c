noinst_LIBRARIES += src/mime/libmime.a
src_mime_libmime_a_SOURCES = src/mime/placeholder.c
src_mime_libmime_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
