noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_SOURCES = \
	src/ui/ui.h src/ui/priv.h src/ui/jobs.h \
	src/ui/actions.c \
	src/ui/attach.c \
	src/ui/color.c src/ui/color.h \
	src/ui/compose.c \
	src/ui/demo.c \
	src/ui/dump.c \
	src/ui/editor.c \
	src/ui/form.c src/ui/form.h \
	src/ui/format.c src/ui/format.h \
	src/ui/help.c \
	src/ui/idset.c \
	src/ui/index.c \
	src/ui/keymap.c src/ui/keymap.h \
	src/ui/layout.c src/ui/layout.h \
	src/ui/loop.c \
	src/ui/mailcap.c src/ui/mailcap.h \
	src/ui/mouse.c \
	src/ui/msg.c \
	src/ui/pager.c \
	src/ui/prompt.c \
	src/ui/search.c src/ui/search.h \
	src/ui/sidebar.c \
	src/ui/term.c src/ui/term.h \
	src/ui/wizard.c src/ui/wizard.h
src_ui_libui_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
