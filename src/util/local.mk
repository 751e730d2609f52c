noinst_LIBRARIES += src/util/libutil.a
src_util_libutil_a_SOURCES = \
	src/util/base64.c src/util/base64.h \
	src/util/buf.c src/util/buf.h \
	src/util/err.c src/util/err.h \
	src/util/fdio.c src/util/fdio.h \
	src/util/i18n.h \
	src/util/json.c src/util/json.h \
	src/util/log.c src/util/log.h \
	src/util/sanitize.c src/util/sanitize.h \
	src/util/str.c src/util/str.h \
	src/util/utf8.c src/util/utf8.h \
	src/util/xmalloc.c src/util/xmalloc.h
