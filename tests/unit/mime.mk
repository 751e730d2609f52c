# unit tests for src/mime
check_PROGRAMS += tests/unit/test_mime
TESTS += tests/unit/test_mime
tests_unit_test_mime_SOURCES = tests/unit/test_mime.c
tests_unit_test_mime_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_mime_tree
TESTS += tests/unit/test_mime_tree
tests_unit_test_mime_tree_SOURCES = tests/unit/test_mime_tree.c
tests_unit_test_mime_tree_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_tree_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_mime_compose
TESTS += tests/unit/test_mime_compose
tests_unit_test_mime_compose_SOURCES = tests/unit/test_mime_compose.c
tests_unit_test_mime_compose_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_compose_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/data/mime/nested.eml tests/data/mime/badboundary.eml \
	tests/data/mime/htmlonly.eml tests/data/mime/undeclared.eml
check_PROGRAMS += tests/unit/test_mime_structure
TESTS += tests/unit/test_mime_structure
tests_unit_test_mime_structure_SOURCES = tests/unit/test_mime_structure.c
tests_unit_test_mime_structure_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mime_structure_LDADD = $(UNIT_LIBS)
