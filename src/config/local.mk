noinst_LIBRARIES += src/config/libconfig.a
src_config_libconfig_a_SOURCES = \
	src/config/config.h src/config/internal.h \
	src/config/account.c \
	src/config/autodetect.c \
	src/config/keys.c \
	src/config/lex.c \
	src/config/load.c \
	src/config/paths.c \
	src/config/providers.c \
	src/config/secret.c \
	src/config/server.c \
	src/config/write.c
src_config_libconfig_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
