# unit tests for src/store: opening, the lock, damaged files, migrations,
# transactions (test_store); accounts, folders, messages, bodies, threads
# (test_store_msg); index paging and search (test_store_page); pending
# operations, outbox, POP3 UIDLs, addresses (test_store_queue).  They link
# only what the store uses, so they build while other modules change.
STORE_TEST_LIBS = src/store/libstore.a src/mime/libmime.a src/util/libutil.a \
	$(CMOCKA_LIBS) $(SURAT_EXTERNAL_LIBS)

check_PROGRAMS += tests/unit/test_store
TESTS += tests/unit/test_store
tests_unit_test_store_SOURCES = tests/unit/test_store.c \
	tests/unit/teststore.h
tests_unit_test_store_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_LDADD = $(STORE_TEST_LIBS)

EXTRA_DIST += tests/data/store/schema-v1.sql

check_PROGRAMS += tests/unit/test_store_msg
TESTS += tests/unit/test_store_msg
tests_unit_test_store_msg_SOURCES = tests/unit/test_store_msg.c \
	tests/unit/teststore.h
tests_unit_test_store_msg_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_msg_LDADD = $(STORE_TEST_LIBS)

check_PROGRAMS += tests/unit/test_store_page
TESTS += tests/unit/test_store_page
tests_unit_test_store_page_SOURCES = tests/unit/test_store_page.c \
	tests/unit/teststore.h
tests_unit_test_store_page_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_page_LDADD = $(STORE_TEST_LIBS)

check_PROGRAMS += tests/unit/test_store_queue
TESTS += tests/unit/test_store_queue
tests_unit_test_store_queue_SOURCES = tests/unit/test_store_queue.c \
	tests/unit/teststore.h
tests_unit_test_store_queue_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_queue_LDADD = $(STORE_TEST_LIBS)
