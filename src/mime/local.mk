noinst_LIBRARIES += src/mime/libmime.a
src_mime_libmime_a_SOURCES = \
	src/mime/mime.h src/mime/internal.h \
	src/mime/address.c \
	src/mime/compose.c \
	src/mime/charset.c \
	src/mime/date.c \
	src/mime/flowed.c \
	src/mime/header.c \
	src/mime/html.c \
	src/mime/htmlcmd.c \
	src/mime/msgid.c \
	src/mime/qp.c \
	src/mime/render.c \
	src/mime/reply.c \
	src/mime/rfc2047.c \
	src/mime/rfc2231.c \
	src/mime/save.c \
	src/mime/structure.c \
	src/mime/thread.c \
	src/mime/tree.c \
	src/mime/util.c
src_mime_libmime_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
