noinst_LIBRARIES += src/imap/libimap.a
src_imap_libimap_a_SOURCES = \
	src/imap/imap.h src/imap/imap-int.h \
	src/imap/arg.c \
	src/imap/client.c \
	src/imap/cmd.c \
	src/imap/code.c \
	src/imap/data.c \
	src/imap/date.c \
	src/imap/fetch.c \
	src/imap/idle.c \
	src/imap/mailbox.c \
	src/imap/message.c \
	src/imap/parse.c \
	src/imap/tokenize.c \
	src/imap/utf7.c
src_imap_libimap_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
