noinst_LIBRARIES += src/pop3/libpop3.a
src_pop3_libpop3_a_SOURCES = \
	src/pop3/auth.c src/pop3/pop3_int.h \
	src/pop3/client.c \
	src/pop3/parse.c src/pop3/pop3.h
src_pop3_libpop3_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
