noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_SOURCES = src/ui/placeholder.c
src_ui_libui_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
