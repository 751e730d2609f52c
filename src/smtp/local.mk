noinst_LIBRARIES += src/smtp/libsmtp.a
src_smtp_libsmtp_a_SOURCES = src/smtp/placeholder.c
src_smtp_libsmtp_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
