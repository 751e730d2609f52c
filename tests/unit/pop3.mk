# unit tests for src/pop3
check_PROGRAMS += tests/unit/test_pop3
TESTS += tests/unit/test_pop3
tests_unit_test_pop3_SOURCES = tests/unit/test_pop3.c
tests_unit_test_pop3_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pop3_LDADD = $(UNIT_LIBS)
