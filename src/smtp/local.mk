noinst_LIBRARIES += src/smtp/libsmtp.a
src_smtp_libsmtp_a_SOURCES = \
	src/smtp/client.c \
	src/smtp/dot.c \
	src/smtp/parse.c src/smtp/smtp.h
src_smtp_libsmtp_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
