# unit tests for src/smtp
check_PROGRAMS += tests/unit/test_smtp
TESTS += tests/unit/test_smtp
tests_unit_test_smtp_SOURCES = tests/unit/test_smtp.c
tests_unit_test_smtp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_smtp_LDADD = $(UNIT_LIBS)
