# unit tests for src/ui: text fitting with wide characters, index lines,
# sizes, key specs and bindings, colours, layout, search syntax, and the
# demo mailbox.  Linked without curses-bound objects being needed.
UI_TEST_LIBS = src/ui/libui.a src/store/libstore.a src/mime/libmime.a \
	src/util/libutil.a $(CMOCKA_LIBS) $(SURAT_EXTERNAL_LIBS)

check_PROGRAMS += tests/unit/test_ui
TESTS += tests/unit/test_ui
tests_unit_test_ui_SOURCES = tests/unit/test_ui.c
tests_unit_test_ui_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ui_LDADD = $(UI_TEST_LIBS)

# The mailcap parser and runner (src/ui/mailcap.c), hostile names included.
check_PROGRAMS += tests/unit/test_ui_mailcap
TESTS += tests/unit/test_ui_mailcap
tests_unit_test_ui_mailcap_SOURCES = tests/unit/test_ui_mailcap.c
tests_unit_test_ui_mailcap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ui_mailcap_LDADD = $(UI_TEST_LIBS)
