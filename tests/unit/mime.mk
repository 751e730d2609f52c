# unit tests for src/mime
check_PROGRAMS += tests/unit/test_mime
TESTS += tests/unit/test_mime
tests_unit_test_mime_SOURCES = tests/unit/test_mime.c
tests_unit_test_mime_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_LDADD = $(UNIT_LIBS)
