# unit tests for src/imap
check_PROGRAMS += tests/unit/test_imap
TESTS += tests/unit/test_imap
tests_unit_test_imap_SOURCES = tests/unit/test_imap.c
tests_unit_test_imap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_imap_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/data/imap/session.txt
# the client's commands and state over a socketpair transcript
check_PROGRAMS += tests/unit/test_imap_client
TESTS += tests/unit/test_imap_client
tests_unit_test_imap_client_SOURCES = tests/unit/test_imap_client.c
tests_unit_test_imap_client_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_imap_client_LDADD = $(UNIT_LIBS)
