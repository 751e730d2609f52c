# unit tests for the delivery engines of src/sync (POP3 download, outbox)
check_PROGRAMS += tests/unit/test_delivery
TESTS += tests/unit/test_delivery
tests_unit_test_delivery_SOURCES = tests/unit/test_delivery.c
tests_unit_test_delivery_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_delivery_LDADD = $(UNIT_LIBS)
