# unit tests for src/sync: local changes and their queue, reports, the
# job queue's plumbing (no server; the engine itself is tested against
# Dovecot in tests/integration/test_imap_sync).
check_PROGRAMS += tests/unit/test_sync
TESTS += tests/unit/test_sync
tests_unit_test_sync_SOURCES = tests/unit/test_sync.c
tests_unit_test_sync_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sync_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_sync_part
TESTS += tests/unit/test_sync_part
tests_unit_test_sync_part_SOURCES = tests/unit/test_sync_part.c
tests_unit_test_sync_part_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sync_part_LDADD = $(UNIT_LIBS)
