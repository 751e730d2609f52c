noinst_LIBRARIES += src/pop3/libpop3.a
src_pop3_libpop3_a_SOURCES = src/pop3/placeholder.c
src_pop3_libpop3_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
