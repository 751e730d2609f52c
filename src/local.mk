bin_PROGRAMS += src/surat
src_surat_SOURCES = src/main.c src/cli.h src/cli.c src/cmd_wizard.c src/cmd_ui.c src/cmd_sync.c
src_surat_SOURCES += src/cmd_send.c src/cmd_outbox.c
src_surat_SOURCES += src/cmd_common.c src/cmd_common.h \
	src/cmd_message.c src/cmd_message.h \
	src/cmd_import.c \
	src/cmd_export.c \
	src/cmd_list.c \
	src/cmd_show.c \
	src/cmd_flag.c \
	src/cmd_folders.c \
	src/cmd_setup.c
src_surat_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
src_surat_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
