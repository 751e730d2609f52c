noinst_LIBRARIES += src/config/libconfig.a
src_config_libconfig_a_SOURCES = src/config/placeholder.c src/config/config.h
src_config_libconfig_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
